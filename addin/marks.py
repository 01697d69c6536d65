"""What the add-in shows in Excel for a validation report, decided without Excel.

Every finding with a cell gets that cell coloured (red for an error, amber for a warning) and a
note holding the same message the command line prints, with the rule's hint on how to fix it.
All findings, including those about a whole sheet, are listed on the `mifkit` sheet, each with a
link that jumps to its cell.  Below that list's title, at the right, the sheet keeps a record of
the cells mifkit marked and the fill each had before, so "Clear marks" can put every cell back as
the officer left it.  This module only decides the contents; `addin.excel` writes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compiler import annotate
from compiler.findings import ERROR, WARNING, Finding, Report
from compiler.rules import RULE_BY_CODE

MARKS_SHEET = "mifkit"
ERROR_FILL = f"#{annotate.ERROR_FILL}"      # the colours of `mifkit validate --annotate`: light red,
WARNING_FILL = f"#{annotate.WARNING_FILL}"  # light amber
NO_FILL = "none"          # recorded for a cell that had no fill before it was marked

# The record of marked cells on the mifkit sheet: a title cell, a header row, then one row a cell.
RECORD_COLUMN = 11  # column K, right of the findings list
RECORD_TITLE_ROW = 1
RECORD_HEADERS = ("Sheet", "Cell", "Fill before", "Note added")
TABLE_HEADER_ROW = 4  # findings list header; the record's header row is the same row

TEXT = {
    "en": {
        "title": "mifkit: {errors} error(s), {warnings} warning(s) in {book}",
        "clean": "mifkit: no problems found in {book}",
        "checked": "Checked on {when}. Click a cell address to go to the cell; "
                   "the Clear marks button removes the colours, the notes and this sheet.",
        "stale": "Figures changed since then? Validate again: this list is not updated by itself.",
        "headers": ("Severity", "Code", "Sheet", "Cell", "What is wrong", "Expected", "Found", "How to fix it"),
        "severity": {ERROR: "error", WARNING: "warning"},
        "record_title": "Cells marked by mifkit (Clear marks reads this list; do not edit it)",
        "fix": "How to fix it",
        "no_problems": "No problems found.",
    },
    "es": {
        "title": "mifkit: {errors} error(es), {warnings} advertencia(s) en {book}",
        "clean": "mifkit: no se encontraron problemas en {book}",
        "checked": "Revisado el {when}. Haga clic en la dirección de una celda para ir a ella; "
                   "el botón Quitar marcas borra los colores, las notas y esta hoja.",
        "stale": "¿Cambió las cifras después? Valide de nuevo: esta lista no se actualiza sola.",
        "headers": ("Gravedad", "Código", "Hoja", "Celda", "Qué está mal", "Esperado", "Encontrado",
                    "Cómo corregirlo"),
        "severity": {ERROR: "error", WARNING: "advertencia"},
        "record_title": "Celdas marcadas por mifkit (Quitar marcas lee esta lista; no la modifique)",
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
    """One mark per cell that has findings, in the report's sheet, row and column order."""
    marks = []
    for (sheet, cell), findings in report.by_cell().items():
        severity = ERROR if any(f.severity == ERROR for f in findings) else WARNING
        fill = ERROR_FILL if severity == ERROR else WARNING_FILL
        marks.append(CellMark(sheet, cell, severity, fill, note_text(findings, lang)))
    return marks


def link_formula(sheet: str, cell: str) -> str:
    """A HYPERLINK formula that jumps to the cell (works in Excel, Excel on the web and LibreOffice)."""
    target = "'" + sheet.replace("'", "''") + "'!" + cell
    shown = (cell or sheet).replace('"', '""')
    return f'=HYPERLINK("#{target.replace(chr(34), chr(34) * 2)}","{shown}")'


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


def findings_rows(report: Report, lang: str, book_name: str, when: dt.datetime) -> list[list[object]]:
    """The findings list of the mifkit sheet, from A1: title, when, blank, header, one row a finding."""
    words = text(lang)
    counts = report.counts
    title = (words["title"] if report.findings else words["clean"]).format(
        errors=counts[ERROR], warnings=counts[WARNING], book=book_name)
    rows: list[list[object]] = [[title], [words["checked"].format(when=when.strftime("%Y-%m-%d %H:%M"))],
                                [words["stale"]], list(words["headers"])]
    for f in report.findings:
        location = link_formula(f.sheet, f.cell) if f.cell else ""
        rows.append([words["severity"].get(f.severity, f.severity), f.code, f.sheet, location,
                     _shown(f.message), _shown(f.expected), _shown(f.actual), _shown(fix_hint(f, lang))])
    if not report.findings:
        rows.append([words["no_problems"]])
    return rows


def record_rows(records: list[MarkRecord], lang: str) -> list[list[object]]:
    """The record block (written at RECORD_COLUMN): title, blank rows up to the header, header, records."""
    rows: list[list[object]] = [[text(lang)["record_title"], "", "", ""]]
    rows += [["", "", "", ""] for _ in range(TABLE_HEADER_ROW - RECORD_TITLE_ROW - 1)]
    rows.append(list(RECORD_HEADERS))
    rows += [[r.sheet, r.cell, r.fill_before, "yes" if r.note_added else "no"] for r in records]
    return rows


class RecordUnreadable(ValueError):
    """The mifkit sheet's record of marked cells is missing or was edited."""


def read_record(values: list[list[object]]) -> list[MarkRecord]:
    """The marked cells listed on a mifkit sheet (its values from A1), for Clear marks."""
    def at(row: int, col: int) -> object:
        line = values[row - 1] if 0 < row <= len(values) else []
        return line[col - 1] if 0 < col <= len(line) else None

    header = [at(TABLE_HEADER_ROW, RECORD_COLUMN + i) for i in range(len(RECORD_HEADERS))]
    if [str(h or "").strip() for h in header] != list(RECORD_HEADERS):
        raise RecordUnreadable(f"the list of marked cells is not where mifkit wrote it "
                               f"(row {TABLE_HEADER_ROW}, from column K)")
    records = []
    for row in range(TABLE_HEADER_ROW + 1, len(values) + 1):
        sheet, cell, fill, noted = (at(row, RECORD_COLUMN + i) for i in range(len(RECORD_HEADERS)))
        if not sheet and not cell:
            break
        records.append(MarkRecord(str(sheet), str(cell), str(fill or ""), str(noted).strip().lower() == "yes"))
    return records
