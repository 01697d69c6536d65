"""The fill the budget template gives a cell, for hosts that cannot tell the add-in a cell's fill.

Excel on the web (xlwings Lite) does not report a cell's colour to Python.  There the add-in still
colours a flagged cell, and records as its fill before the one the template (`mifkit new budget`)
gives that cell, so Clear marks paints the template's colour back: pale yellow on the officer's
input cells, blue on component rows, grey on SUB-TOTAL and TOTAL, none elsewhere.  The rows are
placed from the workbook's own figures (the Budget model), the colours are the builder's
(`workbook_templates.build`), and tests compare this with every data cell of built workbooks.
"""

from __future__ import annotations

from compiler.model import Budget
from workbook_templates import build, build_execution, layout

NO_FILL = "none"


def template_fill(budget: Budget, sheet: str, address: str) -> str:
    """"#RRGGBB" or "none": the template's fill of that cell, as the builder writes it with formulas."""
    row, col = _split(address)
    fill = {layout.BUDGET_SHEET: _budget, layout.PROJECT_SHEET: _project, layout.SUMMARY_SHEET: _summary,
            layout.EXECUTION_SHEET: _execution, layout.DISBURSEMENTS_SHEET: _disbursements,
            layout.REVISIONS_SHEET: _revisions, layout.LOCAL_SHEET: _local, layout.RATES_SHEET: _rates,
            }.get(sheet, lambda *_: None)(budget, row, col)
    return fill or NO_FILL


def _split(address: str) -> tuple[int, int]:
    letters = address.rstrip("0123456789")
    return int(address[len(letters):]), layout.column_number(letters.upper())


def _budget_row_kinds(budget: Budget) -> dict[int, str]:
    """Row -> kind; an empty row inside the components is a line row of the template, left blank."""
    components = [int(r) for r in budget.components["row"]]
    subtotal = budget.foot.get("subtotal", {}).get("row")
    kinds = {row: "line" for row in range(min(components), subtotal)} if components and subtotal else {}
    kinds.update({int(r): str(k) for r, k in zip(budget.lines["row"], budget.lines["kind"], strict=True)})
    kinds.update({row: "group" for row, _component, _heading in budget.groups})
    kinds.update({int(r): "component" for r in budget.components["row"]})
    kinds.update({part["row"]: name for name, part in budget.foot.items() if part.get("row")})
    return kinds


def _budget(budget: Budget, row: int, col: int) -> str | None:
    """The builder's two steps: the cell's style (its `_cell_style`, with formulas), then its fill."""
    kind = _budget_row_kinds(budget).get(row)
    columns = layout.budget_columns(budget.structure)
    if kind is None or not 1 <= col <= len(columns):
        return None
    column, fixed = columns[col - 1], (layout.CONTINGENCIES, layout.OUTSIDE)
    if column.role == "label":
        editable = kind in ("line", "group") or (kind == "component" and column.key == "item")
        style = "label_input" if editable else "label"
    elif (kind in ("line", "group") and column.role == "input"
          or kind in fixed and column.key in budget.structure.sources):
        style = "input"
    else:
        style = "not_phased" if kind in fixed and column.key.startswith("y") else "derived"
    fill = None
    if style in ("input", "label_input") and kind != "group":
        fill = build.INPUT_FILL
    if style == "not_phased":
        fill = build.NOT_PHASED_FILL
    if kind == "component" and style != "label_input":
        fill = build.COMPONENT_FILL
    if kind in ("subtotal", "total"):
        fill = build.FOOT_FILL
    return fill


def _project(budget: Budget, row: int, col: int) -> str | None:
    project = budget.project
    editable = {_split(cell) for key, cell in project.cells.items() if key != "template_version"}
    if (row, col) in editable:
        return build.INPUT_FILL
    if col <= project.table_inputs.get(row, 0):
        return build.INPUT_FILL
    if 1 <= col <= len(layout.STATED_TABLE_HEADERS) and any(s.row == row for s in project.stated):
        return build.INPUT_FILL
    return None


def _summary(budget: Budget, row: int, col: int) -> str | None:
    keys = dict(zip(budget.summary["row"], budget.summary["key"], strict=True))
    numerals = {r.key for r in budget.structure.summary_rows() if r.has_pct and r.components}
    return build.INPUT_FILL if col == 1 and keys.get(row) in numerals else None


def _execution(budget: Budget, row: int, col: int) -> str | None:
    """workbook_templates.build_execution: yellow semester inputs on line rows, blue component headings
    (every column), grey TOTAL row (from Ref. to the last "Executed to date" column)."""
    sheet = budget.execution_sheet
    if sheet is None or not sheet.columns:
        return None
    last_input = max(sheet.columns.values())
    width = last_input + len(budget.structure.sources)  # the "Executed to date" block
    if not 1 <= col <= width:
        return None
    if row in sheet.component_rows:
        return build_execution.COMPONENT_FILL
    if row == sheet.total_row:
        return build_execution.FOOT_FILL
    if row in sheet.rows.values() and 3 <= col <= last_input:
        return build_execution.INPUT_FILL
    return None


def _disbursements(budget: Budget, row: int, col: int) -> str | None:
    """Yellow money and note inputs on each semester's row; the TOTAL row grey."""
    rows = {int(r) for r in budget.disbursements["row"]}
    keys = [c.key for c in layout.DISBURSEMENT_COLUMNS]
    if not 1 <= col <= len(keys):
        return None
    if rows and row == max(rows) + 1:
        return build_execution.FOOT_FILL if keys[col - 1] not in ("outstanding", "note", "rate_received") else None
    if row in rows and keys[col - 1] in (*layout.DISBURSEMENT_MONEY_KEYS, "note"):
        return build_execution.INPUT_FILL
    return None


def _revisions(budget: Budget, row: int, col: int) -> str | None:
    """workbook_templates.build_revisions: yellow register rows (down to the blank row above the Revised
    lines title) and yellow revised-line rows, in their tables' columns."""
    sheet = budget.revisions_sheet
    if sheet is None:
        return None
    if sheet.register_first <= row < sheet.lines_title - 1 and 1 <= col <= len(layout.REVISIONS_REGISTER_HEADERS):
        return build_execution.INPUT_FILL
    if row >= sheet.lines_first and 1 <= col <= len(layout.revision_line_columns(budget.structure)):
        return build_execution.INPUT_FILL
    return None


def _local(budget: Budget, row: int, col: int) -> str | None:
    """Every cell of the ledger below its header is the officer's (rows inserted in it too)."""
    if row >= layout.LOCAL_FIRST_ROW and 1 <= col <= len(layout.LOCAL_COLUMNS):
        return build_execution.INPUT_FILL
    return None


def _rates(budget: Budget, row: int, col: int) -> str | None:
    if row >= layout.RATES_FIRST_ROW and 1 <= col <= len(layout.RATES_COLUMNS):
        return build_execution.INPUT_FILL
    return None
