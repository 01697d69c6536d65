"""The budget workbook's record of execution: the Execution and Disbursements sheets.

Execution has one row per cost line of the Budget sheet (same Ref. and item, under the same
component headings) and, for each semester or quarter counted from the first disbursement, one yellow
input column per source of the project (donor, counterpart in cash and in kind, each co-financier).
On the right, "Executed to date" adds the
semesters up per source, and a TOTAL row adds the lines up: formulas with saved values, for the
officer's eye only (mifkit reads the inputs, never these sums).

Disbursements has one row per semester: MIF requested and received, the revolving-fund advance,
the amount justified, the advance still outstanding (a formula) and a justification note.

Periods: ceil(disbursement months / 6) semesters (42 months: 7), or ceil(months / 3) quarters.  The
dates under each period number are written when the file is made, from the Project sheet's first-disbursement date.
"""

from __future__ import annotations

import datetime as dt

from compiler import periods
from compiler.formula import address_to_rc, evaluate_all
from workbook_templates import layout
from workbook_templates.layout import column_letter
from workbook_templates.spec import BudgetSpec

INPUT_FILL = "#FFF7D6"
HEADER_FILL = "#D9D9D9"
COMPONENT_FILL = "#DCE6F1"
FOOT_FILL = "#EDEDED"
NOTE_COLOR = "#9C0006"


def _disbursement_months(spec: BudgetSpec) -> int:
    months = spec.project.get("disbursement_months") or layout.PROJECT_FIELD_BY_KEY["disbursement_months"].default
    return int(months)


def semester_count(spec: BudgetSpec) -> int:
    return periods.semester_count(_disbursement_months(spec))


def period_count(spec: BudgetSpec) -> int:
    """Columns blocks of the Execution sheet: semesters or quarters of the disbursement period."""
    return spec.structure.period_count(_disbursement_months(spec))


def _period_dates(spec: BudgetSpec, count: int, kind: str = "semester") -> list[str]:
    first = spec.project.get("first_disbursement")
    if not isinstance(first, dt.date):
        return [""] * count
    months = 3 if kind == "quarter" else 6
    return [p.span() for p in periods.periods(first, count * months, kind)]


def _execution_rows(spec: BudgetSpec) -> list[tuple[str, str, str]]:
    """(kind, ref, label) of each Execution row: component headings, sub-headings, lines, foot lines."""
    out = []
    for r in spec.rows:
        if r.kind == "component":
            out.append(("component", r.ref or r.component, r.label))
        elif r.kind == "group":
            out.append(("group", "", r.label))
        elif r.kind in ("line", layout.CONTINGENCIES, layout.OUTSIDE):
            out.append((r.kind, r.ref if r.kind == "line" else r.component, r.label))
    return out


def write_execution_sheet(workbook, styles, spec: BudgetSpec, protect: bool) -> None:
    ws = workbook.add_worksheet(layout.EXECUTION_SHEET)
    shape = spec.structure
    n = period_count(spec)
    sources = shape.sources
    width = len(sources)
    title = layout.PERIOD_TITLES[shape.period]
    first_total_col = 2 + n * len(sources) + 1
    ws.set_column(0, 0, 7)
    ws.set_column(1, 1, 44)
    ws.set_column(2, first_total_col + width - 1, 11)
    ws.write(0, 0, f"Execution: actual expenditure per cost line, {title.lower()} and source",
             styles(bold=True, font_size=12))
    if spec.execution_note:
        ws.write(layout.EXECUTION_NOTE_ROW - 1, 0, spec.execution_note, styles(italic=True, font_color=NOTE_COLOR))
    else:
        ws.write(layout.EXECUTION_NOTE_ROW - 1, 0, f"Yellow cells: amounts actually spent in each {title.lower()} "
                 "(amounts in the project currency, no text).", styles(italic=True))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter", text_wrap=True)
    dates = _period_dates(spec, n, shape.period)
    for i, text in enumerate(layout.EXECUTION_LABEL_HEADERS):
        ws.write(layout.EXECUTION_HEADER_ROW - 1, i, text, head)
        ws.write_blank(layout.EXECUTION_GROUP_ROW - 1, i, None, head)
    blocks = [(f"{title} {s}", dates[s - 1], 2 + (s - 1) * width) for s in range(1, n + 1)]
    blocks.append((layout.EXECUTION_TOTAL_GROUP, "", first_total_col - 1))
    for title, span, col in blocks:  # noqa: B020 (the sheet title is no longer needed)
        _caption(ws, layout.EXECUTION_GROUP_ROW - 1, col, width, title, head)
        if span:
            _caption(ws, layout.EXECUTION_DATES_ROW - 1, col, width, span, styles(italic=True, align="center"))
        for k, source in enumerate(sources):
            ws.write(layout.EXECUTION_HEADER_ROW - 1, col + k, layout.execution_source_header(shape, source), head)
    ws.set_row(layout.EXECUTION_HEADER_ROW - 1, 24)

    rows = _execution_rows(spec)
    first, last = layout.EXECUTION_FIRST_ROW, layout.EXECUTION_FIRST_ROW + len(rows) - 1
    total_row = last + 1
    formulas, values, fmt_of = {}, {}, {}
    money_in = styles(num_format=layout.MONEY_FORMAT, border=1, border_color="#BFBFBF", bg_color=INPUT_FILL,
                      locked=False)
    money_out = styles(num_format=layout.MONEY_FORMAT, border=1, border_color="#BFBFBF")
    for i, (kind, ref, label) in enumerate(rows):
        row = first + i
        bold = kind == "component"
        fill = {"bg_color": COMPONENT_FILL} if bold else {}
        ws.write_string(row - 1, 0, ref, styles(border=1, border_color="#BFBFBF", bold=bold, **fill)) if ref else \
            ws.write_blank(row - 1, 0, None, styles(border=1, border_color="#BFBFBF", **fill))
        ws.write(row - 1, 1, label, styles(border=1, border_color="#BFBFBF", bold=bold, italic=kind == "group",
                                           **fill))
        if kind not in ("line", layout.CONTINGENCIES, layout.OUTSIDE):
            for col in range(2, first_total_col + width - 1):
                ws.write_blank(row - 1, col, None, styles(border=1, border_color="#BFBFBF", **fill))
            continue
        key = ref if kind == "line" else ref or kind
        for s in range(1, n + 1):
            for source in sources:
                col = layout.execution_column(shape, s, source)
                address = f"{column_letter(col)}{row}"
                amount = spec.execution.get((key, s, source))
                values[address] = amount
                fmt_of[address] = money_in
        for k, source in enumerate(sources):
            address = f"{column_letter(first_total_col + k)}{row}"
            parts = [f"{column_letter(layout.execution_column(shape, s, source))}{row}" for s in range(1, n + 1)]
            formulas[address] = "=" + "+".join(parts)
            fmt_of[address] = money_out
    foot = styles(num_format=layout.MONEY_FORMAT, border=1, bold=True, bg_color=FOOT_FILL, top=2)
    ws.write_blank(total_row - 1, 0, None, foot)
    ws.write(total_row - 1, 1, layout.LABEL_TOTAL, foot)
    for col in range(3, first_total_col + width):
        letter = column_letter(col)
        address = f"{letter}{total_row}"
        formulas[address] = f"=SUM({letter}{first}:{letter}{last})"
        fmt_of[address] = foot
    _write_values(ws, layout.EXECUTION_SHEET, formulas, values, fmt_of)
    for s in range(1, n + 1):
        c0 = layout.execution_column(shape, s, sources[0]) - 1
        ws.data_validation(first - 1, c0, last - 1, c0 + width - 1, amount_validation())
    ws.freeze_panes(layout.EXECUTION_FIRST_ROW - 1, 2)
    ws.print_area(0, 0, total_row - 1, first_total_col + width - 2)
    _page_setup(ws, (layout.EXECUTION_GROUP_ROW, layout.EXECUTION_HEADER_ROW))
    if protect:
        _protect(ws)


def write_disbursements_sheet(workbook, styles, spec: BudgetSpec, protect: bool) -> None:
    ws = workbook.add_worksheet(layout.DISBURSEMENTS_SHEET)
    n = semester_count(spec)
    columns = layout.DISBURSEMENT_COLUMNS
    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width)
    donor = spec.structure.donor
    ws.write(0, 0, f"Disbursements: {donor} funds requested and received, revolving fund",
             styles(bold=True, font_size=12))
    note = spec.execution_note or (f"Revolving-fund advance: {donor} funds advanced to the executing agency; amount "
                                   "justified: expenditure documented to the Bank against the advances.")
    ws.write(1, 0, note, styles(italic=True, font_color=NOTE_COLOR if spec.execution_note else "#000000"))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter", text_wrap=True)
    for i, c in enumerate(columns):
        ws.write(layout.DISBURSEMENTS_HEADER_ROW - 1, i, c.header, head)
    ws.set_row(layout.DISBURSEMENTS_HEADER_ROW - 1, 24)
    first = layout.DISBURSEMENTS_FIRST_ROW
    dates = _period_dates(spec, n)
    formulas, values, fmt_of = {}, {}, {}
    border = {"border": 1, "border_color": "#BFBFBF"}
    money_in = styles(num_format=layout.MONEY_FORMAT, bg_color=INPUT_FILL, locked=False, **border)
    text_in = styles(bg_color=INPUT_FILL, locked=False, text_wrap=True, **border)
    money_out = styles(num_format=layout.MONEY_FORMAT, **border)
    rate_out = styles(num_format=layout.RATE_FORMAT + ';-' + layout.RATE_FORMAT + ';""', **border)
    for s in range(1, n + 1):
        row = first + s - 1
        data = spec.disbursements.get(s, {})
        ws.write_number(row - 1, 0, s, styles(align="center", **border))
        ws.write(row - 1, 1, dates[s - 1] or f"Semester {s}", styles(**border))  # disbursed per semester
        for key in layout.DISBURSEMENT_MONEY_KEYS:
            address = layout.disbursement_cell(key, row)
            values[address], fmt_of[address] = data.get(key), money_in
        advance, justified = (layout.disbursement_cell(k, first)[0] for k in ("advance", "justified"))
        address = layout.disbursement_cell("outstanding", row)
        formulas[address] = f"=SUM({advance}${first}:{advance}{row})-SUM({justified}${first}:{justified}{row})"
        fmt_of[address] = money_out
        address = layout.disbursement_cell("note", row)
        values[address], fmt_of[address] = data.get("note") or None, text_in
        received, local = (layout.disbursement_cell(k, row) for k in ("donor_received", "received_local"))
        address = layout.disbursement_cell("rate_received", row)
        formulas[address] = f"=IFERROR({local}/{received},0)"  # 0 shows as empty
        fmt_of[address] = rate_out
    total_row = first + n
    foot = styles(num_format=layout.MONEY_FORMAT, border=1, bold=True, bg_color=FOOT_FILL, top=2)
    ws.write(total_row - 1, 0, layout.LABEL_TOTAL, foot)
    ws.write_blank(total_row - 1, 1, None, foot)
    for key in layout.DISBURSEMENT_MONEY_KEYS:
        letter = layout.disbursement_cell(key, first)[0]
        address = f"{letter}{total_row}"
        formulas[address], fmt_of[address] = f"=SUM({letter}{first}:{letter}{total_row - 1})", foot
    _write_values(ws, layout.DISBURSEMENTS_SHEET, formulas, values, fmt_of)
    for key in layout.DISBURSEMENT_MONEY_KEYS:
        c0 = next(i for i, c in enumerate(columns) if c.key == key)
        ws.data_validation(first - 1, c0, total_row - 2, c0, amount_validation())
    ws.freeze_panes(layout.DISBURSEMENTS_FIRST_ROW - 1, 2)
    _page_setup(ws, (layout.DISBURSEMENTS_HEADER_ROW, layout.DISBURSEMENTS_HEADER_ROW))
    if protect:
        _protect(ws)


def _caption(ws, row: int, col: int, width: int, text: str, fmt) -> None:
    """A caption over `width` columns (merged when more than one: a single cell cannot be merged)."""
    if width > 1:
        ws.merge_range(row, col, row, col + width - 1, text, fmt)
    else:
        ws.write(row, col, text, fmt)


def _write_values(ws, sheet: str, formulas: dict[str, str], values: dict[str, object], fmt_of: dict) -> None:
    """Write inputs and formulas; formulas carry their computed value so the file reads right at once."""
    results = evaluate_all({(sheet, a): f for a, f in formulas.items()},
                           {(sheet, a): v for a, v in values.items() if v is not None})
    for address, fmt in fmt_of.items():
        row, col = _rc(address)
        if address in formulas:
            value = results[(sheet, address)]
            ws.write_formula(row, col, formulas[address], fmt, value if isinstance(value, int | float) else 0)
        elif values.get(address) is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(values[address], str):
            ws.write_string(row, col, values[address], fmt)
        else:
            ws.write_number(row, col, values[address], fmt)


def _rc(address: str) -> tuple[int, int]:
    """0-based (row, col) of an A1 address, as XlsxWriter counts."""
    row, col = address_to_rc(address)
    return row - 1, col - 1


def amount_validation() -> dict:
    return {"validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": "Amount / Monto",
            "input_message": "A number ≥ 0, no text or currency sign.\nUn número ≥ 0, sin texto ni moneda.",
            "error_title": "Not an amount / No es un monto",
            "error_message": "Type a number ≥ 0 (no text, no currency sign). / "
                             "Escriba un número ≥ 0 (sin texto ni símbolo de moneda)."}


def _page_setup(ws, header_rows: tuple[int, int]) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&F — &A&RPage &P of &N")
    ws.repeat_rows(header_rows[0] - 1, header_rows[1] - 1)


def _protect(ws) -> None:
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})
