"""What the add-in's buttons do, given an open workbook: the same checks as `mifkit validate`.

Validate reads the Project, Budget and Summary sheets as Excel shows them now, runs the rule
catalogue through `compiler.validate.validate_grids` (the one entry point the command line uses
too), and shows the findings in the workbook.  Problems that stop the check (a moved column, a
missing sheet) come back as one message naming the sheet and cell, for the button to show in a
dialog; never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from addin.excel import NotOurs, RecordUnreadable, clear_marks, screen_paused, show_report
from addin.live import grids_from_book
from addin.marks import FINDINGS_SHEET, RECORD_SHEET, MarkRecord
from addin.template_fill import template_fill
from compiler.findings import Report
from compiler.problems import MifkitError
from compiler.read_budget import budget_from_grids
from compiler.validate import validate_grids

MESSAGES = {
    "en": {
        "edited": "The hidden {sheet} sheet, mifkit's list of marked cells, has been edited, so mifkit cannot "
                  "tell which colours and notes are its own ({detail}). Undo the edit (Ctrl+Z), or delete the "
                  "{sheet} and {findings} sheets and remove the remaining colours by hand.",
        "not_ours": "This workbook has a sheet named {findings} that mifkit did not write; mifkit never replaces "
                    "it. Rename it (right-click its tab › Rename) and click the button again.",
        "internal": "mifkit stopped on an internal error: {error}. Nothing in your figures was changed. "
                    "Please report this, with the workbook if you can.",
        "cleared": "mifkit: marks removed from {n} cell(s), and the Findings sheet with them.",
        "nothing": "mifkit: there are no marks to remove.",
        "logframe_unread": "mifkit checked the budget, but not the logframe workbook next to it: {error}",
        "title": "mifkit",
    },
    "es": {
        "edited": "La hoja oculta {sheet}, la lista de celdas marcadas por mifkit, fue modificada, así que "
                  "mifkit no puede saber qué colores y notas son suyos ({detail}). Deshaga el cambio (Ctrl+Z), "
                  "o elimine las hojas {sheet} y {findings} y quite a mano los colores que queden.",
        "not_ours": "Este libro tiene una hoja llamada {findings} que no escribió mifkit; mifkit nunca la "
                    "reemplaza. Cámbiele el nombre (clic derecho en su pestaña › Cambiar nombre) y vuelva a "
                    "hacer clic en el botón.",
        "internal": "mifkit se detuvo por un error interno: {error}. No se modificó ninguna de sus cifras. "
                    "Por favor, repórtelo, con el libro si es posible.",
        "cleared": "mifkit: se quitaron las marcas de {n} celda(s), y la hoja Findings con ellas.",
        "nothing": "mifkit: no hay marcas que quitar.",
        "logframe_unread": "mifkit revisó el presupuesto, pero no el libro de marco lógico junto a él: {error}",
        "title": "mifkit",
    },
}


def messages(lang: str) -> dict:
    return MESSAGES["es" if lang == "es" else "en"]


@dataclass
class Outcome:
    """What a button did: the report (for Validate), the cells it touched, and what to tell the officer."""

    report: Report | None = None
    records: list[MarkRecord] = field(default_factory=list)
    message: str = ""   # shown in a dialog when not empty
    ok: bool = True


POLICY = ("policy",)  # the funding and policy rules (FP..), what Check funding split runs


def check_book(book, lang: str = "en", groups: tuple[str, ...] | None = None) -> Report:
    """The findings on the open workbook's Project, Budget and Summary sheets (nothing is written)."""
    return check_grids(grids_from_book(book), book.name, lang, groups)[0]


def check_grids(grids: dict, source: str, lang: str, groups: tuple[str, ...] | None, logframe=None):
    """The report, and the template's fill of any cell (the budget model is built only if asked).
    With a logframe model (compiler.read_logframe), its rules run too and its findings are listed."""
    budget = functools.cache(lambda: budget_from_grids(grids, source))
    return (validate_grids(grids, source, lang=lang, groups=groups, logframe=logframe),
            lambda sheet, cell: template_fill(budget(), sheet, cell))


def logframe_for(book):
    """(the logframe model found next to the saved workbook, or None; a message if it cannot be read).

    Desktop Excel only: in the browser there are no local files, and an unsaved book has no folder.
    """
    if IN_BROWSER:
        return None, ""
    try:
        path = logframe_next_to(Path(book.fullname))
    except Exception:  # no full name on this host
        return None, ""
    if path is None:
        return None, ""
    from compiler.read_logframe import load_logframe
    try:
        return load_logframe(path), ""
    except MifkitError as exc:
        return None, str(exc)


def _refusal(exc: Exception, lang: str) -> Outcome:
    """A record edited by hand, or a Findings sheet of the officer's: one message, nothing changed."""
    key = "not_ours" if isinstance(exc, NotOurs) else "edited"
    text = messages(lang)[key].format(sheet=RECORD_SHEET, findings=FINDINGS_SHEET, detail=exc)
    return Outcome(message=text, ok=False)


def validate_book(book, lang: str = "en", when: dt.datetime | None = None, fills: dict | None = None,
                  groups: tuple[str, ...] | None = None) -> Outcome:
    """Check the workbook (every rule, or only `groups`) and show the findings in it.

    A problem that stops the check becomes the outcome's message.  Previous marks are cleared
    first, whichever button made them, so marks never pile up.
    """
    logframe, problem = logframe_for(book) if groups != POLICY else (None, "")
    try:
        report, template = check_grids(grids_from_book(book), book.name, lang, groups, logframe)
        records = show_report(book, report, lang, when or dt.datetime.now(), fills,
                              scope="policy" if groups == POLICY else "all", template=template)
    except MifkitError as exc:
        return Outcome(message=str(exc), ok=False)
    except (RecordUnreadable, NotOurs) as exc:
        return _refusal(exc, lang)
    note = messages(lang)["logframe_unread"].format(error=problem) if problem else ""
    return Outcome(report=report, records=records, message=note)


def check_funding_book(book, lang: str = "en", when: dt.datetime | None = None, fills: dict | None = None) -> Outcome:
    """Only the funding and policy rules: the MIF/counterpart split, in-kind cap, funding sources."""
    return validate_book(book, lang, when, fills, groups=POLICY)


def clear_book(book, lang: str = "en", readings=None) -> Outcome:
    """Remove mifkit's colours, notes and sheet, leaving every cell as the officer had it.

    `readings` tells the cells' fills and notes now where the host has read them another way
    (see `addin.excel.HostReadings`); by default they are asked of Excel."""
    try:
        with screen_paused(book):
            records = clear_marks(book, readings)
    except (RecordUnreadable, NotOurs) as exc:
        return _refusal(exc, lang)
    text = messages(lang)["cleared"].format(n=len(records)) if records else messages(lang)["nothing"]
    return Outcome(records=records, message=text)


def internal_error(exc: BaseException, lang: str = "en") -> Outcome:
    return Outcome(message=messages(lang)["internal"].format(error=f"{type(exc).__name__}: {exc}"), ok=False)


# ------------------------------------------------------------------------------------------------
# Compile report (desktop Excel only: it writes a Word file next to the workbook)
# ------------------------------------------------------------------------------------------------

IN_BROWSER = sys.platform == "emscripten"  # xlwings Lite runs Python in the browser: no local files
PERIOD, KIND = "latest", "semiannual"      # the report due next: the last semester with spending
# The logframe workbook is looked for next to the budget, under these names (first found wins).
LOGFRAME_NAMES = ("{stem}_logframe.xlsx", "logframe.xlsx")

REPORT_MESSAGES = {
    "en": {
        "browser": "Compile report needs desktop Excel with the mifkit add-in: in Excel on the web (xlwings Lite) "
                   "Python cannot write files. Use desktop Excel, or `mifkit compile` in a Command Prompt.",
        "missing": "This installation of mifkit has no report compiler ({error}). Update mifkit "
                   "(pip install --upgrade mifkit) and try again.",
        "unsaved": "Save the workbook first (Ctrl+S): the report is compiled from the saved file.",
        "done": "mifkit: the latest semiannual report was written to {out}, from {budget}{logframe}.",
        "draft": " It is a DRAFT (its cover says so): validation found {errors} error(s); click Validate to see "
                 "them at their cells, correct them, save, and compile again.",
        "with_logframe": " and {logframe}",
        "no_logframe": " (no logframe workbook named {names} was found next to it, so the report has no "
                       "logframe indicators)",
    },
    "es": {
        "browser": "Compilar informe necesita Excel de escritorio con el complemento mifkit: en Excel para la web "
                   "(xlwings Lite) Python no puede escribir archivos. Use Excel de escritorio, o `mifkit compile` "
                   "en una ventana de comandos.",
        "missing": "Esta instalación de mifkit no tiene el compilador de informes ({error}). Actualice mifkit "
                   "(pip install --upgrade mifkit) y vuelva a intentarlo.",
        "unsaved": "Guarde primero el libro (Ctrl+G): el informe se compila desde el archivo guardado.",
        "done": "mifkit: el último informe semestral se escribió en {out}, a partir de {budget}{logframe}.",
        "draft": " Es un BORRADOR (su portada lo dice): la validación encontró {errors} error(es); haga clic en "
                 "Validar para verlos en sus celdas, corríjalos, guarde y compile de nuevo.",
        "with_logframe": " y {logframe}",
        "no_logframe": " (no se encontró junto a él un libro de marco lógico llamado {names}, así que el informe "
                       "no tiene los indicadores del marco lógico)",
    },
}


def logframe_next_to(budget: Path) -> Path | None:
    """The logframe workbook in the budget's folder (BUDGET_logframe.xlsx, else logframe.xlsx), if any."""
    for name in LOGFRAME_NAMES:
        path = budget.with_name(name.format(stem=budget.stem))
        if path.is_file():
            return path
    return None


def free_name(folder: Path, stem: str, suffix: str = ".docx") -> Path:
    """A file name in `folder` that is not taken: STEM.docx, else STEM (2).docx, STEM (3).docx, ..."""
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem} ({n}){suffix}"
    return path


def _unsaved(book) -> bool:
    """Desktop Excel knows whether the workbook has unsaved changes; other hosts cannot tell (False)."""
    try:
        return not bool(book.api.Saved)
    except Exception:  # no COM object (remote engine, macOS AppleScript without the property)
        return False


def compile_book(book, lang: str = "en") -> Outcome:
    """Compile the latest semiannual report of the saved budget file, next to it, under a new name.

    With validation errors the report is still written, as a DRAFT whose cover says why (as
    `mifkit compile --allow-errors`): the officer sees the report while correcting the figures.
    """
    words = REPORT_MESSAGES["es" if lang == "es" else "en"]
    if IN_BROWSER:
        return Outcome(message=words["browser"], ok=False)
    try:
        from compiler.report import compile_report
    except ImportError as exc:
        return Outcome(message=words["missing"].format(error=exc), ok=False)
    budget = Path(book.fullname)
    if not budget.is_file() or _unsaved(book):
        return Outcome(message=words["unsaved"], ok=False)
    logframe = logframe_next_to(budget)
    out = free_name(budget.parent, f"{budget.stem}_report_{lang}")
    try:
        result = compile_report(budget, logframe, PERIOD, KIND, lang, out, allow_errors=True)
    except MifkitError as exc:
        return Outcome(message=str(exc), ok=False)
    names = " / ".join(n.format(stem=budget.stem) for n in LOGFRAME_NAMES)
    source = (words["with_logframe"].format(logframe=logframe.name) if logframe
              else words["no_logframe"].format(names=names))
    text = words["done"].format(out=result.docx, budget=budget.name, logframe=source)
    if result.draft:
        text += words["draft"].format(errors=result.validation.counts["error"])
    return Outcome(report=result.validation, message=text)
