"""Clean budget workbooks and a way to edit them by name, for the rule cases and the mutation test.

The clean workbook is the blank template filled with consistent figures: the annex's inputs, with
the three changes that make it satisfy every rule (the network managers' MIF covers the recomputed
163,440; the dissemination workshops' counterpart is cash, bringing in kind below 25%; the MIF
cluster monitoring's stray quantity is removed).  "clean_formulas" keeps the template's formulas;
"clean_typed" has every figure typed, as a transcription would.

Cells are addressed the way a person reads the sheet, resolved here with openpyxl (independently
of mifkit's reader):
    "1.01:y1_qty"                   a cost line (by Ref.) and a column key
    "component 7:total"             a component row
    "SUB-TOTAL:donor", "TOTAL:donor", "Contingencies:total", "MIF cluster monitoring:y1_qty"
    "Summary:II:total"              a Summary row (by its key) and column (mif, counterpart, total, pct)
    "Project:Number of budget years" the value cell of a Project field
    "Project funding:5:funding"     the funding cell of component 5 (Components table of the Project sheet)
    "Project stated:Paragraph 3.1:donor"  a stated total, by its source
    "Budget!W10", "Project!C37"     a plain cell ("Local spending!E5": sheet names may have spaces)
    "Revisions:1:approval"          revision 1's register cell (revision, date, approval, note)
    "Revisions:1:1.10:total"        line 1.10's revised figure in revision 1 (a revised-line column key)

Revisions are added with the edits {revision = {number, date, approval, note}} (the first empty register
row) and {revised_line = {revision, ref, item, <column key> = amount …}} (the first empty revised-line row).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
from tracking_support import TRACKING_SHEETS, locate_tracking

from workbook_templates import layout
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.spec import example_spec, example_structure

EXAMPLE_SHAPE = example_structure()

YEARS = 3


def clean_spec():
    spec = copy.deepcopy(example_spec("tc-03-02-01-0"))
    for row in spec.rows:
        if row.ref == "2.01":
            row.values["donor"] = 357_240
        if row.ref == "1.17":
            row.values["counterpart_cash"] = row.values.pop("counterpart_in_kind")
        if row.kind == layout.OUTSIDE:
            row.values.pop("y1_qty", None)
    spec.stated = []
    spec.execution, spec.disbursements = {}, {}  # the example's illustrative execution has planted problems
    spec.project["derived_cells"] = layout.DERIVED_FORMULAS
    return spec


def local_spec():
    """The clean workbook of a project that also pays in soles, converted at the month's rate: four
    entries on the Local spending sheet and the rates of its first twelve months (Jul 2004 - Jun 2005)."""
    spec = clean_spec()
    spec.structure = dataclasses.replace(spec.structure, local_currency="PEN", conversion_rule="monthly")
    spec.project.update(local_currency="PEN", conversion_rule="monthly", rate_tolerance=0.05)
    spec.local_spending = [
        {"date": dt.date(2004, 8, 16), "ref": "1.01", "source": "donor", "currency": "PEN", "amount": 16_550.0,
         "description": "Invoice 0012"},
        {"date": dt.date(2004, 10, 4), "ref": "1.02", "source": "counterpart_cash", "currency": "PEN",
         "amount": 11_000.0, "description": "Invoice 0031"},
        {"date": dt.date(2005, 2, 21), "ref": "2.01", "source": "donor", "currency": "PEN", "amount": 33_000.0,
         "description": "Payroll February"},
        {"date": dt.date(2005, 2, 25), "ref": "1.02", "source": "counterpart_cash", "currency": "PEN",
         "amount": 22_000.0, "description": "Invoice 0047"},
    ]
    rates = (3.38, 3.37, 3.35, 3.33, 3.31, 3.30, 3.28, 3.27, 3.26, 3.26, 3.25, 3.25)
    spec.rates = {dt.date(2004 + (6 + i) // 12, (6 + i) % 12 + 1, 1): r for i, r in enumerate(rates)}
    return spec


def build_clean(folder: Path) -> dict[str, Path]:
    """clean_formulas.xlsx and clean_typed.xlsx in `folder`."""
    formulas = folder / "clean_formulas.xlsx"
    write_budget(clean_spec(), formulas, FORMULAS)
    typed = folder / "clean_typed.xlsx"
    book = openpyxl.load_workbook(formulas, data_only=True)  # saved results become typed values
    project = book[layout.PROJECT_SHEET]
    for row in project.iter_rows(min_col=1, max_col=2):
        if row[0].value == layout.PROJECT_FIELD_BY_KEY["derived_cells"].label:
            row[1].value = layout.DERIVED_TYPED
    book.save(typed)
    local = folder / "clean_local.xlsx"
    write_budget(local_spec(), local, FORMULAS)
    return {"clean_formulas": formulas, "clean_typed": typed, "clean_local": local}


def locate(book, address: str) -> tuple[str, str]:
    """(sheet, A1 cell) of a human-readable address (see the module docstring)."""
    if "!" in address:
        sheet, cell = address.split("!")
        return sheet, cell
    if address.split(":")[0] in TRACKING_SHEETS:
        return locate_tracking(book, address)
    cols = layout.column_index(EXAMPLE_SHAPE)
    head, _, key = address.rpartition(":")
    if head.startswith("Summary:"):
        ws = book[layout.SUMMARY_SHEET]
        rows = EXAMPLE_SHAPE.summary_rows()
        row = next(r for r in range(1, ws.max_row + 1) if layout.summary_key_of(ws.cell(r, 1).value, rows) == head[8:])
        column = layout.summary_columns(EXAMPLE_SHAPE).index(key) + 1
        return layout.SUMMARY_SHEET, f"{layout.column_letter(column)}{row}"
    if head.startswith(("Project funding:", "Project stated:")):
        ws = book[layout.PROJECT_SHEET]
        table, _, name = head.partition(":")
        match_col = 1 if table == "Project funding" else 6
        row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, match_col).value) == name)
        letter = {"funding": "E", "compared_with": "B", "total": "C", "donor": "D", "counterpart": "E"}[key]
        return layout.PROJECT_SHEET, f"{letter}{row}"
    if head.startswith("Revisions:"):
        return locate_revision(book, address)
    if address.startswith("Project:"):
        ws = book[layout.PROJECT_SHEET]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == address[8:])
        return layout.PROJECT_SHEET, f"B{row}"
    ws = book[layout.BUDGET_SHEET]
    for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1):
        ref, item = ws.cell(r, 1).value, ws.cell(r, 2).value
        if (head.startswith("component ") and str(ref) == head[10:]) or str(ref) == head \
                or (ref is None and item == head):
            return layout.BUDGET_SHEET, f"{layout.column_letter(cols[key])}{r}"
    raise KeyError(f"no row {head!r} in the Budget sheet")


def row_of(book, head: str) -> int:
    sheet, cell = locate(book, f"{head}:total")
    return int("".join(ch for ch in cell if ch.isdigit()))


def apply(path: Path, edits: list[dict]) -> None:
    """Edit a workbook in place.  Each edit: {at, value} | {swap: [a, b]} | {delete_row: head} |
    {insert_blank_after: head} | {append_below_total: [values from column A]}."""
    book = openpyxl.load_workbook(path)
    for edit in edits:
        if "at" in edit:
            sheet, cell = locate(book, edit["at"])
            book[sheet][cell].value = edit["value"]
        elif "swap" in edit:
            (s1, c1), (s2, c2) = (locate(book, a) for a in edit["swap"])
            book[s1][c1].value, book[s2][c2].value = book[s2][c2].value, book[s1][c1].value
        elif "delete_row" in edit:
            book[layout.BUDGET_SHEET].delete_rows(row_of(book, edit["delete_row"]))
        elif "insert_blank_after" in edit:
            book[layout.BUDGET_SHEET].insert_rows(row_of(book, edit["insert_blank_after"]) + 1)
        elif "append_below_total" in edit:
            ws = book[layout.BUDGET_SHEET]
            row = row_of(book, layout.LABEL_TOTAL) + 2
            for col, value in enumerate(edit["append_below_total"], start=1):
                ws.cell(row, col).value = value
        elif "revision" in edit:
            ws = book[layout.REVISIONS_SHEET]
            first, _ = _revision_tables(ws)
            row = next(r for r in range(first, ws.max_row + 1) if ws.cell(r, 1).value is None)
            entry = edit["revision"]
            for col, key in enumerate(("number", "date", "approval", "note"), start=1):
                ws.cell(row, col).value = entry.get(key)
        elif "revised_line" in edit:
            ws = book[layout.REVISIONS_SHEET]
            _, header = _revision_tables(ws)
            columns = _revised_columns(ws, header)
            row = next(r for r in range(header + 1, ws.max_row + 2) if ws.cell(r, 1).value is None)
            for key, value in edit["revised_line"].items():
                ws.cell(row, columns[key]).value = value
        else:
            raise ValueError(f"unknown edit {edit}")
    book.save(path)


def expected_cells(path: Path, addresses: list[str]) -> set[tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    return {locate(book, a) for a in addresses}


def _revision_tables(ws) -> tuple[int, int]:
    """(first register row, header row of the Revised lines table) on the Revisions sheet."""
    titles = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    return titles[layout.REVISIONS_REGISTER_TITLE] + 2, titles[layout.REVISIONS_LINES_TITLE] + 1


def _revised_columns(ws, header: int) -> dict[str, int]:
    keys = dict(layout.revision_line_columns(EXAMPLE_SHAPE))
    by_header = {v: k for k, v in keys.items()}
    return {by_header[ws.cell(header, c).value]: c for c in range(1, ws.max_column + 1)
            if ws.cell(header, c).value in by_header}


def locate_revision(book, address: str) -> tuple[str, str]:
    ws = book[layout.REVISIONS_SHEET]
    first, header = _revision_tables(ws)
    parts = address.split(":")[1:]
    if len(parts) == 2:
        number, key = parts
        row = next(r for r in range(first, header) if str(ws.cell(r, 1).value) == number)
        col = ("revision", "date", "approval", "note").index(key) + 1
        return layout.REVISIONS_SHEET, f"{layout.column_letter(col)}{row}"
    number, ref, key = parts
    columns = _revised_columns(ws, header)
    row = next(r for r in range(header + 1, ws.max_row + 1)
               if str(ws.cell(r, 1).value) == number and str(ws.cell(r, 2).value) == ref)
    return layout.REVISIONS_SHEET, f"{layout.column_letter(columns[key])}{row}"
