"""Readable addresses on the execution and logframe sheets, for the rule cases (tests/rule_cases/EX*, LF*).

    "Execution:1.10:2:donor"           line 1.10, semester 2, MIF ("TOTAL" for the TOTAL row)
    "Execution:1.10:ref"             the Ref. cell of line 1.10
    "Disbursements:3:donor_received"   semester 3's row, a column key of layout.DISBURSEMENT_COLUMNS
    "Logframe:2.2:milestone_month"   the indicator's row (by code), a column key
    "Progress:3:2.2:status"          the Progress row of semester 3 and code 2.2, a column key
    "Activities:2:donor"               component 2's heading row
    "Narrative:3:achievements"       semester 3's row
    "Risks:3:b:rating"               the Risks row of semester 3 and risk b, a column key

Rows are found with openpyxl, independently of mifkit's readers.
"""

from __future__ import annotations

from workbook_templates import layout
from workbook_templates import logframe_layout as lf
from workbook_templates.spec import example_structure

EXAMPLE_SHAPE = example_structure()

TRACKING_SHEETS = (layout.EXECUTION_SHEET, layout.DISBURSEMENTS_SHEET, *lf.LOGFRAME_SHEETS, *lf.OPTIONAL_SHEETS)


def _find(ws, first: int, match) -> int:
    for r in range(first, ws.max_row + 1):
        if match(r):
            return r
    raise KeyError(f"no such row on sheet {ws.title!r}")


def locate_tracking(book, address: str) -> tuple[str, str]:
    sheet, *parts = address.split(":")
    ws = book[sheet]
    if sheet == layout.EXECUTION_SHEET:
        ref, *rest = parts
        col = 2 if ref == layout.LABEL_TOTAL else 1
        row = _find(ws, layout.EXECUTION_FIRST_ROW, lambda r: str(ws.cell(r, col).value) == ref)
        if rest == ["ref"]:
            return sheet, f"A{row}"
        semester, source = rest
        return sheet, layout.execution_cell(EXAMPLE_SHAPE, int(semester), source, row)
    if sheet == layout.DISBURSEMENTS_SHEET:
        semester, key = parts
        row = _find(ws, layout.DISBURSEMENTS_FIRST_ROW, lambda r: ws.cell(r, 1).value == int(semester))
        return sheet, layout.disbursement_cell(key, row)
    if sheet == lf.LOGFRAME_SHEET:
        code, key = parts
        row = _find(ws, lf.FIRST_ROW, lambda r: str(ws.cell(r, lf.col_number(sheet, "code")).value) == code)
    elif sheet in (lf.PROGRESS_SHEET, lf.RISKS_SHEET):
        semester, code, key = parts
        row = _find(ws, lf.FIRST_ROW, lambda r: ws.cell(r, 1).value == int(semester) and ws.cell(r, 2).value == code)
    elif sheet == lf.ACTIVITIES_SHEET:
        component, key = parts
        row = _find(ws, lf.FIRST_ROW, lambda r: ws.cell(r, 1).value == int(component) and not ws.cell(r, 2).value)
    else:
        semester, key = parts
        row = _find(ws, lf.FIRST_ROW, lambda r: ws.cell(r, 1).value == int(semester))
    return sheet, lf.cell(sheet, key, row)
