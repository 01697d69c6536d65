"""What the add-in shows in Excel for a validation report, decided without Excel.

Every finding with a cell gets that cell coloured (red for an error, amber for a warning) and a
note holding the same message the command line prints, with the rule's hint on how to fix it.
All findings, including those about a whole sheet, are listed on the `Findings` sheet (the same
name and columns as `mifkit validate --annotate`), each with a link that jumps to its cell.
A hidden sheet, `_mifkit_marks`, keeps the record of the cells mifkit marked: for each, the fill it
had before, the fill mifkit gave it, and a fingerprint of the note mifkit added, so "Clear marks" can
put every cell back as the officer left it and take back only what is still mifkit's.  Where each
marked cell is, is kept by a defined name per cell (`_mifkit_mark_1`...) that refers to it: Excel
moves a name with its cell when rows or columns are inserted or deleted and renames its sheet in it
when the sheet is renamed, also after the workbook is saved and reopened, where a plain text
address would stay behind.  The sheet is hidden, not "very hidden": an auditor can unhide it
(right-click a sheet tab › Unhide).  This module only decides the contents; `addin.excel` writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from compiler import annotate
from compiler.findings import ERROR, WARNING, Finding, Report
from compiler.rules import RULE_BY_CODE

FINDINGS_SHEET = annotate.FINDINGS_SHEET  # "Findings", as the annotated copy of the command line
RECORD_SHEET = "_mifkit_marks"            # hidden: the record Clear marks reads
ERROR_FILL = f"#{annotate.ERROR_FILL}"      # the colours of `mifkit validate --annotate`: light red,
WARNING_FILL = f"#{annotate.WARNING_FILL}"  # light amber
NO_FILL = "none"          # recorded for a cell that had no fill before it was marked
OWNER_MARK = "mifkit"     # A1 of a Findings sheet mifkit wrote says so; any other is the officer's

# The record sheet: a title row, a header row, then one row a marked cell.  "Sheet" and "Cell" say
# where the cell was when it was marked (for a person reading the record); "Name" is the defined
# name that follows it.
RECORD_HEADERS = ("Sheet", "Cell", "Fill before", "Note added", "Fill from", "Name", "Fill set", "Note")
# A record written before the names (by an earlier mifkit): its cells are found at their addresses.
LEGACY_HEADERS = RECORD_HEADERS[:5]
MARK_NAME = "_mifkit_mark_"  # + the record's row number among the marks: the defined name of a marked cell
CELL, TEMPLATE = "cell", "template"  # where the fill before came from
RECORD_HEADER_ROW = 2
FINDINGS_HEADER_ROW = 3  # the Findings sheet: title with counts, when it ran, then the header row

TEXT = {
    "en": {
        "title": "mifkit: {errors} error(s), {warnings} warning(s) in {book} ({scope})",
        "scope": {"all": "every rule", "policy": "funding and policy rules only"},
        "checked": "Checked on {when}. Click a cell address to go to the cell; Clear marks removes the colours, "
                   "the notes and this sheet. Figures changed since then? Validate again.",
        "headers": ("Code", "Severity", "Cell", "Message", "Expected", "Actual", "How to fix it"),
        "severity": {ERROR: "error", WARNING: "warning"},
        "record_title": "Cells marked by mifkit: Clear marks reads this list to put them back; do not edit it",
        "fix": "How to fix it",
        "no_problems": "No problems found.",
    },
    "es": {
        "title": "mifkit: {errors} error(es), {warnings} advertencia(s) en {book} ({scope})",
        "scope": {"all": "todas las reglas", "policy": "solo reglas de financiamiento y políticas"},
        "checked": "Revisado el {when}. Haga clic en la dirección de una celda para ir a ella; Quitar marcas borra "
                   "los colores, las notas y esta hoja. ¿Cambió las cifras? Valide de nuevo.",
        "headers": ("Código", "Gravedad", "Celda", "Mensaje", "Esperado", "Encontrado", "Cómo corregirlo"),
        "severity": {ERROR: "error", WARNING: "advertencia"},
        "record_title": "Celdas marcadas por mifkit: Quitar marcas lee esta lista para devolverlas; no la modifique",
        "fix": "Cómo corregirlo",
        "no_problems": "No se encontraron problemas.",
    },
}


def text(lang: str) -> dict:
    return TEXT["es" if lang == "es" else "en"]


@dataclass(frozen=True)
class CellMark:
    """One cell to mark: its fill (the worst severity found there) and its note."""

    sheet: str
    cell: str
    severity: str
    fill: str
    note: str


@dataclass(frozen=True)
class MarkRecord:
    """What was done to one cell, so that Clear marks can undo exactly that and nothing more."""

    sheet: str
    cell: str
    fill_before: str  # "#RRGGBB", NO_FILL, or "" when the cell was not coloured
    note_added: bool
    fill_from: str = "cell"  # CELL: read from Excel; TEMPLATE: Excel could not tell, the template's fill
    name: str = ""           # the defined name that refers to the cell, wherever it has moved since
    fill_set: str = ""       # the fill mifkit gave the cell ("" when it gave none)
    note: str = ""           # fingerprint of the note mifkit added ("" when it added none)


def mark_name(index: int) -> str:
    """The defined name of the index-th marked cell (1-based)."""
    return f"{MARK_NAME}{index}"


def name_reference(sheet: str, cell: str) -> str:
    """="'Budget'!$I$12": an absolute reference, which Excel moves with the cell and its sheet."""
    column = "".join(ch for ch in cell if ch.isalpha())
    row = cell[len(column):]
    return "='" + sheet.replace("'", "''") + f"'!${column}${row}"


def referred_cell(refers_to: object) -> tuple[str, str] | None:
    """(sheet, cell) of a name's "='Budget'!$I$14"; None when its cell was deleted (#REF!)."""
    text = str(refers_to or "").lstrip("=").strip()
    if "#REF!" in text.upper() or "!" not in text:
        return None
    sheet, cell = text.rsplit("!", 1)
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    cell = cell.replace("$", "").upper()
    if ":" in cell or not cell[:1].isalpha() or not cell[-1:].isdigit():
        return None
    return sheet, cell


def note_fingerprint(text: object) -> str:
    """A short fingerprint of a note's words: Clear marks deletes a note only while it is unchanged.

    Line ends and spaces at the ends are left out, as hosts write them differently."""
    import hashlib

    words = "\n".join(line.rstrip() for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return hashlib.sha256(words.strip().encode("utf-8")).hexdigest()[:16]


def fix_hint(finding: Finding, lang: str) -> str:
    """The rule's advice on how to correct what it found ("" for a code not in the catalogue)."""
    rule = RULE_BY_CODE.get(finding.code)
    if rule is None:
        return ""
    return (rule.fix_es if lang == "es" and rule.fix_es else rule.fix) or ""


def note_text(findings: list[Finding], lang: str) -> str:
    """The note of a marked cell: every finding there, worst first, each with its fix."""
    words = text(lang)
    parts = []
    for f in sorted(findings, key=lambda f: (f.severity != ERROR, f.code)):
        part = f"mifkit {f.code} ({words['severity'].get(f.severity, f.severity)}): {f.message}"
        hint = fix_hint(f, lang)
        parts.append(f"{part}\n{words['fix']}: {hint}" if hint else part)
    return "\n\n".join(parts)


def cell_marks(report: Report, lang: str = "en") -> list[CellMark]:
    """One mark per cell of the budget workbook that has findings, in the report's sheet, row and column
    order.  The logframe's findings (a second source) are listed on the Findings sheet, not marked: their
    cells are in another workbook."""
    budget = report.sources[0] if report.sources else None
    marks = []
    for (sheet, cell), all_findings in report.by_cell().items():
        findings = [f for f in all_findings if budget is None or f.source in ("", budget)]
        if not findings:
            continue
        severity = ERROR if any(f.severity == ERROR for f in findings) else WARNING
        fill = ERROR_FILL if severity == ERROR else WARNING_FILL
        marks.append(CellMark(sheet, cell, severity, fill, note_text(findings, lang)))
    return marks


def link_formula(sheet: str, cell: str, book: str = "") -> str:
    """A HYPERLINK formula that jumps to the cell (works in Excel, Excel on the web and LibreOffice);
    with `book`, to the cell in that workbook of the same folder (the logframe next to the budget)."""
    target = "'" + sheet.replace("'", "''") + "'!" + cell
    shown = (f"{book}: " if book else "") + f"{sheet}!{cell}"
    address = f"{book}#{target}" if book else f"#{target}"
    return f'=HYPERLINK("{address.replace(chr(34), chr(34) * 2)}","{shown.replace(chr(34), chr(34) * 2)}")'


def _shown(value: object) -> object:
    """Expected/actual as a cell value: numbers stay numbers, anything else becomes text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text_value = str(value)
    return "'" + text_value if text_value.startswith(("=", "+", "-", "@")) else text_value


def findings_rows(report: Report, lang: str, book_name: str, when: dt.datetime,
                  scope: str = "all") -> list[list[object]]:
    """The Findings sheet from A1: title with the counts, when it ran, the header, one row a finding.

    The title starts with "mifkit", which is how a later run knows the sheet is its own to replace.
    """
    words = text(lang)
    counts = report.counts
    title = words["title"].format(errors=counts[ERROR], warnings=counts[WARNING], book=book_name,
                                  scope=words["scope"].get(scope, scope))
    rows: list[list[object]] = [[title], [words["checked"].format(when=when.strftime("%Y-%m-%d %H:%M"))],
                                list(words["headers"])]
    for f in report.findings:
        other = report.sources and f.source and f.source != report.sources[0]  # e.g. the logframe workbook
        if other:
            location = link_formula(f.sheet, f.cell, Path(f.source).name) if f.cell else f.sheet
        else:
            location = link_formula(f.sheet, f.cell) if f.cell else f.sheet
        rows.append([f.code, words["severity"].get(f.severity, f.severity), location, _shown(f.message),
                     _shown(f.expected), _shown(f.actual), _shown(fix_hint(f, lang))])
    if not report.findings:
        rows.append([words["no_problems"]])
    width = len(words["headers"])
    return [r + [""] * (width - len(r)) for r in rows]


def is_mifkits_findings(first_cell: object) -> bool:
    """Whether a Findings sheet is mifkit's own (the add-in's or `validate --annotate`'s): A1 names mifkit."""
    return isinstance(first_cell, str) and OWNER_MARK in first_cell.lower()


def record_rows(records: list[MarkRecord], lang: str) -> list[list[object]]:
    """The record sheet from A1: title, header, one row a marked cell."""
    rows: list[list[object]] = [[text(lang)["record_title"]] + [""] * (len(RECORD_HEADERS) - 1), list(RECORD_HEADERS)]
    rows += [[r.sheet, r.cell, r.fill_before, "yes" if r.note_added else "no", r.fill_from, r.name, r.fill_set,
              r.note] for r in records]
    return rows


class RecordUnreadable(ValueError):
    """The record of marked cells is missing or was edited."""


def read_record(values: list[list[object]]) -> list[MarkRecord]:
    """The marked cells listed on the record sheet (its values from A1), for Clear marks."""
    def at(row: int, col: int) -> object:
        line = values[row - 1] if 0 < row <= len(values) else []
        return line[col - 1] if 0 < col <= len(line) else None

    header = [str(at(RECORD_HEADER_ROW, 1 + i) or "").strip() for i in range(len(RECORD_HEADERS))]
    legacy = header[:len(LEGACY_HEADERS)] == list(LEGACY_HEADERS) and not any(header[len(LEGACY_HEADERS):])
    if header != list(RECORD_HEADERS) and not legacy:
        raise RecordUnreadable(f"its header is not on row {RECORD_HEADER_ROW} where mifkit wrote it")
    records = []
    for row in range(RECORD_HEADER_ROW + 1, len(values) + 1):
        sheet, cell, fill, noted, source, name, fill_set, note = (at(row, 1 + i) for i in range(len(RECORD_HEADERS)))
        if not sheet and not cell:
            break
        if not legacy and not str(name or "").startswith(MARK_NAME):
            raise RecordUnreadable(f"row {row} has no name following its cell")
        records.append(MarkRecord(str(sheet), str(cell), str(fill or ""), str(noted).strip().lower() == "yes",
                                  str(source or CELL), str(name or ""), str(fill_set or ""), str(note or "")))
    return records
