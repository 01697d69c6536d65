"""What the add-in's buttons do, given an open workbook: the same checks as `mifkit validate`.

Validate reads the Project, Budget and Summary sheets as Excel shows them now, runs the rule
catalogue through `compiler.validate.validate_grids` (the one entry point the command line uses
too), and shows the findings in the workbook.  Problems that stop the check (a moved column, a
missing sheet) come back as one message naming the sheet and cell, for the button to show in a
dialog; never a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from addin.excel import RecordUnreadable, clear_marks, screen_paused, show_report
from addin.live import grids_from_book
from addin.marks import MARKS_SHEET, MarkRecord
from compiler.findings import Report
from compiler.problems import MifkitError
from compiler.validate import validate_grids

MESSAGES = {
    "en": {
        "edited": "The {sheet} sheet's list of marked cells has been edited, so mifkit cannot tell which "
                  "colours and notes are its own ({detail}). Undo the edit (Ctrl+Z), or delete the {sheet} "
                  "sheet and remove the remaining colours by hand.",
        "internal": "mifkit stopped on an internal error: {error}. Nothing in your figures was changed. "
                    "Please report this, with the workbook if you can.",
        "cleared": "mifkit: marks removed from {n} cell(s).",
        "nothing": "mifkit: there are no marks to remove.",
        "title": "mifkit",
    },
    "es": {
        "edited": "La lista de celdas marcadas de la hoja {sheet} fue modificada, así que mifkit no puede "
                  "saber qué colores y notas son suyos ({detail}). Deshaga el cambio (Ctrl+Z), o elimine la "
                  "hoja {sheet} y quite a mano los colores que queden.",
        "internal": "mifkit se detuvo por un error interno: {error}. No se modificó ninguna de sus cifras. "
                    "Por favor, repórtelo, con el libro si es posible.",
        "cleared": "mifkit: se quitaron las marcas de {n} celda(s).",
        "nothing": "mifkit: no hay marcas que quitar.",
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


def check_book(book, lang: str = "en") -> Report:
    """The findings on the open workbook's Project, Budget and Summary sheets (nothing is written)."""
    return validate_grids(grids_from_book(book), book.name, lang=lang)


def validate_book(book, lang: str = "en", when: dt.datetime | None = None, fills: dict | None = None) -> Outcome:
    """Check the workbook and show the findings in it; a stopping problem becomes the outcome's message."""
    try:
        report = check_book(book, lang)
        records = show_report(book, report, lang, when or dt.datetime.now(), fills)
    except MifkitError as exc:
        return Outcome(message=str(exc), ok=False)
    except RecordUnreadable as exc:
        return Outcome(message=messages(lang)["edited"].format(sheet=MARKS_SHEET, detail=exc), ok=False)
    return Outcome(report=report, records=records)


def clear_book(book, lang: str = "en") -> Outcome:
    """Remove mifkit's colours, notes and sheet, leaving every cell as the officer had it."""
    try:
        with screen_paused(book):
            records = clear_marks(book)
    except RecordUnreadable as exc:
        return Outcome(message=messages(lang)["edited"].format(sheet=MARKS_SHEET, detail=exc), ok=False)
    text = messages(lang)["cleared"].format(n=len(records)) if records else messages(lang)["nothing"]
    return Outcome(records=records, message=text)


def internal_error(exc: BaseException, lang: str = "en") -> Outcome:
    return Outcome(message=messages(lang)["internal"].format(error=f"{type(exc).__name__}: {exc}"), ok=False)
