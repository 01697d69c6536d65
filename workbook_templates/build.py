"""Write a budget workbook (Project, Budget, Summary) from a `BudgetSpec`.

Two modes:
- "formulas": the template.  Derived cells (year subtotals, line totals, counterpart subtotals,
  component rows, SUB-TOTAL, TOTAL, % contribution, the Summary sheet) are formulas with correct
  saved values; input cells are unlocked and carry data validation; the sheets are protected
  without a password so the officer can unprotect them if needed.
- "typed": a transcription.  Every figure is written as a typed value exactly as given, so that
  the slips of a printed document stay visible to the validator.

Why XlsxWriter: it stores a formula's cached value, so a freshly built template reads correctly in
programs that do not recalculate, and it writes protection, validation and print settings fully.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

from compiler.formula import evaluate_all
from workbook_templates import layout, structure
from workbook_templates.layout import cell, column_letter
from workbook_templates.spec import BudgetRow, BudgetSpec, SummaryLine
from workbook_templates.structure import Structure

FORMULAS = "formulas"
TYPED = "typed"

INPUT_FILL = "#FFF7D6"       # pale yellow: cells the officer fills in
COMPONENT_FILL = "#DCE6F1"   # component rows
FOOT_FILL = "#EDEDED"        # SUB-TOTAL and TOTAL
HEADER_FILL = "#D9D9D9"
NOT_PHASED_FILL = "#F2F2F2"  # year cells of lines that are not phased by year (contingencies)


class _Styles:
    """XlsxWriter formats, made once per combination of properties."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook, self.cache = workbook, {}

    def __call__(self, **props) -> xlsxwriter.format.Format:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {"font_name": "Arial", "font_size": 9, "valign": "top"}
            self.cache[key] = self.workbook.add_format({**base, **props})
        return self.cache[key]


@dataclass
class _Placed:
    """Where each Budget row landed, for the formulas that refer to it."""

    row_of: list[int]           # Excel row of spec.rows[i]
    header_rows: dict[str, int]  # component -> Excel row of its header
    lines_of: dict[str, tuple[int, int]]  # component -> first and last Excel row of its lines
    contingencies: int | None
    subtotal: int | None
    outside: dict[str, int]     # outside-line key -> Excel row
    total: int | None


def write_budget(spec: BudgetSpec, path: str | Path, mode: str = FORMULAS) -> None:
    """Write `spec` to `path` (an .xlsx file).  The caller handles atomic replacement."""
    if mode not in (FORMULAS, TYPED):
        raise ValueError(f"mode must be {FORMULAS!r} or {TYPED!r}")
    placed = _place(spec)
    cells = _budget_cells(spec, placed, mode) + _summary_cells(spec, placed, mode)
    _fill_cached_values(cells)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"title": f"Budget {spec.project.get('project_number') or ''}".strip(),
                             "comments": f"Built by mifkit ({layout.TEMPLATE_VERSION})"})
    styles = _Styles(workbook)
    _write_project(workbook, styles, spec, mode)
    _write_budget_sheet(workbook, styles, spec, placed, cells, mode)
    _write_summary_sheet(workbook, styles, spec, cells, mode)
    from workbook_templates.build_execution import write_disbursements_sheet, write_execution_sheet
    write_execution_sheet(workbook, styles, spec, protect=True)
    write_disbursements_sheet(workbook, styles, spec, protect=True)
    from workbook_templates.build_revisions import write_revisions_sheet
    write_revisions_sheet(workbook, styles, spec)
    from workbook_templates.build_currency import write_local_sheet, write_rates_sheet
    write_local_sheet(workbook, styles, spec, protect=True)
    write_rates_sheet(workbook, styles, spec, protect=True)
    workbook.close()


# ----------------------------------------------------------------------------------------------
# Placement and cell contents (no I/O): every cell is (sheet, address, value or formula, style key)
# ----------------------------------------------------------------------------------------------

@dataclass
class _Cell:
    sheet: str
    row: int
    col: int
    value: object = None      # typed value, or the formula's cached value once computed
    formula: str | None = None
    style: str = "derived"    # input | derived | label | label_input | not_phased
    key: str = ""             # column key

    @property
    def address(self) -> str:
        return f"{column_letter(self.col)}{self.row}"


def _place(spec: BudgetSpec) -> _Placed:
    row_of, header_rows, lines_of = [], {}, {}
    foot: dict[str, int] = {}
    outside: dict[str, int] = {}
    current = None
    for i, r in enumerate(spec.rows):
        excel_row = layout.BUDGET_FIRST_ROW + i
        row_of.append(excel_row)
        if r.kind == "component":
            current = r.component
            header_rows[current] = excel_row
        elif r.kind in ("line", "group") and current is not None:
            first, _ = lines_of.get(current, (excel_row, excel_row))
            lines_of[current] = (first, excel_row)
        elif r.kind == layout.OUTSIDE:
            current = None
            outside[r.component] = excel_row
        else:
            current = None
            foot[r.kind] = excel_row
    return _Placed(row_of, header_rows, lines_of, foot.get(layout.CONTINGENCIES), foot.get("subtotal"),
                   outside, foot.get("total"))


def _budget_cells(spec: BudgetSpec, placed: _Placed, mode: str) -> list[_Cell]:
    shape = spec.structure
    cols = layout.column_index(shape)
    out: list[_Cell] = []
    for r, excel_row in zip(spec.rows, placed.row_of, strict=True):
        formulas = _row_formulas(r, excel_row, placed, shape) if mode == FORMULAS else {}
        for c in layout.budget_columns(shape):
            text = {"ref": r.ref, "item": r.label, "unit": r.unit}.get(c.key)
            style = _cell_style(r, c, mode, shape)
            if c.role == "label":
                out.append(_Cell(layout.BUDGET_SHEET, excel_row, cols[c.key], text or None, None, style, c.key))
            elif c.key in formulas:
                out.append(_Cell(layout.BUDGET_SHEET, excel_row, cols[c.key], None, formulas[c.key], style, c.key))
            else:
                out.append(_Cell(layout.BUDGET_SHEET, excel_row, cols[c.key], r.values.get(c.key), None,
                                 style, c.key))
    return out


def _is_input(r: BudgetRow, c: layout.Column, shape: Structure) -> bool:
    if r.kind in ("line", "group"):
        return c.role == "input"
    if r.kind in (layout.CONTINGENCIES, layout.OUTSIDE):
        return c.key in shape.sources
    return False


def _cell_style(r: BudgetRow, c: layout.Column, mode: str, shape: Structure) -> str:
    if c.role == "label":
        editable = r.kind in ("line", "group") or (r.kind == "component" and c.key == "item")
        return "label_input" if editable and mode == FORMULAS else "label"
    if _is_input(r, c, shape):
        return "input"
    if r.kind in (layout.CONTINGENCIES, layout.OUTSIDE) and c.key.startswith("y"):
        return "not_phased"
    return "derived"


def _row_formulas(r: BudgetRow, row: int, placed: _Placed, shape: Structure) -> dict[str, str]:
    """Formulas of the derived cells on one Budget row."""
    def at(key: str, excel_row: int = row) -> str:
        return cell(shape, key, excel_row)

    f: dict[str, str] = {}
    year_subtotals = [layout.year_keys(y)[2] for y in range(1, shape.years + 1)]
    amount_keys = [*year_subtotals, *shape.amount_keys]
    sub = placed.subtotal
    if shape.has_counterpart and r.kind in ("line", "group", layout.CONTINGENCIES, layout.OUTSIDE):
        f["counterpart_subtotal"] = f"={at('counterpart_cash')}+{at('counterpart_in_kind')}"
    if r.kind in ("line", "group"):
        for y in range(1, shape.years + 1):
            uc, qty, s = layout.year_keys(y)
            f[s] = f"={at(uc)}*{at(qty)}"
        f["total"] = "=" + "+".join(at(k) for k in year_subtotals)
    elif r.kind == "component":
        span = placed.lines_of.get(r.component)
        for k in amount_keys:
            f[k] = f"=SUM({at(k, span[0])}:{at(k, span[1])})" if span else "=0"
        f.update(_pct_formulas(row, sub, shape))
    elif r.kind in (layout.CONTINGENCIES, layout.OUTSIDE):
        f["total"] = "=" + "+".join(at(k) for k in shape.funder_columns)
    elif r.kind == "subtotal":
        parts = list(placed.header_rows.values())
        for k in amount_keys:
            rows = parts + ([placed.contingencies] if placed.contingencies and not k.startswith("y") else [])
            f[k] = "=" + "+".join(at(k, x) for x in rows) if rows else "=0"
        f.update(_pct_formulas(row, row, shape))
    elif r.kind == "total":
        for k in amount_keys:
            rows = [x for x in (sub, *([] if k.startswith("y") else placed.outside.values())) if x]
            f[k] = "=" + "+".join(at(k, x) for x in rows) if rows else "=0"
    return f


def _pct_formulas(row: int, subtotal_row: int | None, shape: Structure) -> dict[str, str]:
    if subtotal_row is None:
        return {}
    base = f"{column_letter(layout.column_index(shape)['total'])}${subtotal_row}"
    return {pct: f"=IFERROR({cell(shape, amount, row)}/{base},0)" for pct, amount in layout.pct_pairs(shape)}


def _summary_cells(spec: BudgetSpec, placed: _Placed, mode: str) -> list[_Cell]:
    """The section III table: typed as printed, or formulas over the Budget sheet."""
    shape = spec.structure
    lines = {s.key: s for s in spec.summary}
    srows = shape.summary_rows()
    row_of = {r.key: layout.SUMMARY_FIRST_ROW + i for i, r in enumerate(srows)}
    budget_row = dict(placed.header_rows)
    budget_row.update(placed.outside)
    if placed.contingencies:
        budget_row[layout.CONTINGENCIES] = placed.contingencies
    columns = layout.summary_columns(shape)
    numerals = {r.key for r in srows if r.has_pct and r.components}
    out = []
    for srow in srows:
        r = row_of[srow.key]
        line = lines.get(srow.key)
        label = line.label if line and line.label else srow.label
        out.append(_Cell(layout.SUMMARY_SHEET, r, 1, label, None,
                         "label_input" if mode == FORMULAS and srow.key in numerals else "label", "label"))
        formulas = _summary_formulas(srow, r, row_of, budget_row, shape) if mode == FORMULAS else {}
        for col, key in enumerate(columns[1:], start=2):
            value = None if formulas else (line.values.get(key) if line else None)
            out.append(_Cell(layout.SUMMARY_SHEET, r, col, value, formulas.get(key), "derived", key))
    return out


def _summary_formulas(srow: layout.SummaryRow, r: int, row_of: dict[str, int],
                      budget_row: dict[str, int], shape: Structure) -> dict[str, str]:
    columns = layout.summary_columns(shape)
    letters = {key: column_letter(i) for i, key in enumerate(columns, start=1)}
    money = columns[1:-1]
    total_letter, sub = letters["total"], row_of["subtotal"]
    if srow.key == "pct":
        return {k: f"=IFERROR({letters[k]}{sub}/${total_letter}${sub},0)" for k in money}
    f: dict[str, str] = {}
    for k in money:
        if srow.parts:
            terms = [f"{letters[k]}{row_of[p]}" for p in srow.parts]
        else:
            budget_key = shape.budget_key_of_summary(k)
            terms = [f"{layout.BUDGET_SHEET}!{cell(shape, budget_key, budget_row[c])}"
                     for c in srow.components if c in budget_row]
        f[k] = "=" + "+".join(terms) if terms else "=0"
    if srow.has_pct:
        f["pct"] = f"=IFERROR({total_letter}{r}/${total_letter}${sub},0)"
    return f


def _fill_cached_values(cells: list[_Cell]) -> None:
    """Compute every formula's value so the file reads right without a recalculation."""
    formulas = {(c.sheet, c.address): c.formula for c in cells if c.formula}
    if not formulas:
        return
    values = {(c.sheet, c.address): c.value for c in cells if not c.formula}
    results = evaluate_all(formulas, values)
    for c in cells:
        if c.formula:
            c.value = results[(c.sheet, c.address)]


# ----------------------------------------------------------------------------------------------
# Sheets
# ----------------------------------------------------------------------------------------------

def _page_setup(ws, header_rows: tuple[int, int] | None = None) -> None:
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&F — &A&RPage &P of &N")
    if header_rows:
        ws.repeat_rows(header_rows[0] - 1, header_rows[1] - 1)


def _protect(ws, mode: str) -> None:
    if mode == FORMULAS:
        ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})


def _project_value_format(styles: _Styles, field: layout.ProjectField, editable: bool):
    fmt = {"text": "@", "date": "d mmm yyyy", "int": "0", "money": "#,##0.00", "share": "0%",
           "points": "0.0", "choice": "@"}[field.kind]
    props = {"num_format": fmt, "border": 1, "align": "left"}
    if editable:
        props.update(bg_color=INPUT_FILL, locked=False)
    return styles(**props)


def _write_project(workbook, styles: _Styles, spec: BudgetSpec, mode: str) -> None:
    ws = workbook.add_worksheet(layout.PROJECT_SHEET)
    ws.set_column(0, 0, 52)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 5, 16)
    ws.set_column(5, 5, 60)
    ws.write(0, 0, "Project", styles(bold=True, font_size=14))
    ws.write(1, 0, "Yellow cells are yours to fill in; the Budget and Summary sheets read them.",
             styles(italic=True))
    header = styles(bold=True, bg_color=HEADER_FILL, border=1)
    for col, text in enumerate(layout.PROJECT_HEADERS):
        ws.write(layout.PROJECT_FIRST_ROW - 2, col, text, header)
    row = layout.PROJECT_FIRST_ROW - 1
    for field in layout.PROJECT_FIELDS:
        editable = field.key != "template_version"
        value = spec.project.get(field.key, field.default)
        if field.key == "template_version":
            value = layout.TEMPLATE_VERSION
        ws.write(row, 0, field.label, styles(border=1))
        fmt = _project_value_format(styles, field, editable)
        if isinstance(value, dt.date):
            ws.write_datetime(row, 1, dt.datetime.combine(value, dt.time()), fmt)
        elif value is None:
            ws.write_blank(row, 1, None, fmt)
        else:
            ws.write(row, 1, value, fmt)
        ws.write(row, 2, spec.sources.get(field.key) or field.source, styles(border=1, italic=True))
        _project_validation(ws, row, field)
        row += 1

    row = _write_structure_tables(ws, styles, spec, row + 1)
    ws.write(row, 0, layout.STATED_TABLE_TITLE, styles(bold=True, font_size=11))
    row += 1
    for col, text in enumerate(layout.STATED_TABLE_HEADERS):
        ws.write(row, col, text, header)
    row += 1
    stated = list(spec.stated) or [None] * layout.STATED_TABLE_ROWS
    first = row
    money_in = styles(num_format=layout.MONEY_FORMAT, border=1, bg_color=INPUT_FILL, locked=False)
    text_in = styles(border=1, bg_color=INPUT_FILL, locked=False)
    for s in stated:
        values = ([s.statement, s.compared_with, s.total, s.donor, s.counterpart, s.source] if s
                  else [None, "TOTAL", None, None, None, None])
        for col, v in enumerate(values):
            fmt = money_in if 2 <= col <= 4 else text_in
            if v is None:
                ws.write_blank(row, col, None, fmt)
            else:
                ws.write(row, col, v, fmt)
        row += 1
    ws.data_validation(first, 1, row - 1, 1, {"validate": "list", "source": list(layout.STATED_COMPARED_WITH)})
    ws.data_validation(first, 2, row - 1, 4, _amount_validation())
    if spec.illustrative_note:
        ws.write(row + 1, 0, spec.illustrative_note, styles(italic=True, font_color="#9C0006"))
    _page_setup(ws)
    _protect(ws, mode)


def _write_table(ws, styles: _Styles, row: int, title: str, headers: tuple[str, ...],
                 rows: list[tuple], inputs: dict[int, tuple[str, ...] | None], spare: int = 0) -> int:
    """A titled table on the Project sheet; `inputs` maps editable column indexes to their choices
    (None: free input); `spare` empty input rows follow, for rows the officer adds later (the reader
    stops at the first blank row).  Returns the row after the table and a blank row."""
    rows = rows + [("",) * len(headers)] * spare
    header = styles(bold=True, bg_color=HEADER_FILL, border=1)
    ws.write(row, 0, title, styles(bold=True, font_size=11))
    for col, text in enumerate(headers):
        ws.write(row + 1, col, text, header)
    first = row = row + 2
    for values in rows:
        for col, value in enumerate(values):
            editable = col in inputs
            fmt = styles(border=1, bg_color=INPUT_FILL, locked=False) if editable else styles(border=1, italic=col
                                                                                               == len(values) - 1)
            if isinstance(value, float):
                fmt = styles(border=1, bg_color=INPUT_FILL, locked=False, num_format="0%")
            if value in (None, ""):
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                ws.write_string(row, col, value, fmt)
            else:
                ws.write(row, col, value, fmt)
        row += 1
    for col, choices in inputs.items():
        if choices and row > first:
            ws.data_validation(first, col, row - 1, col, {"validate": "list", "source": list(choices)})
    return row + 1


def _write_structure_tables(ws, styles: _Styles, spec: BudgetSpec, row: int) -> int:
    """Components, lines outside the subtotal and co-financiers: the project's shape, which the
    reader takes from here."""
    shape, notes = spec.structure, spec.component_sources
    components = [(c.number, c.name, c.name_es, c.kind, c.funding, notes.get(c.key, ""))
                  for c in shape.components]
    row = _write_table(ws, styles, row, layout.COMPONENTS_TABLE_TITLE, layout.COMPONENTS_TABLE_HEADERS, components,
                       {0: None, 1: None, 2: None, 3: structure.KINDS, 4: structure.FUNDING_RULES})
    outside = [(o.key, o.name, o.name_es, o.funding, notes.get(o.key, "")) for o in shape.outside]
    row = _write_table(ws, styles, row, layout.OUTSIDE_TABLE_TITLE, layout.OUTSIDE_TABLE_HEADERS, outside,
                       {0: None, 1: None, 2: None, 3: structure.FUNDING_RULES})
    cofin = [(f.key, f.name, float(f.share), "") for f in shape.cofinanciers]
    return _write_table(ws, styles, row, layout.COFIN_TABLE_TITLE, layout.COFIN_TABLE_HEADERS, cofin,
                        {0: None, 1: None, 2: None})


def _project_validation(ws, row: int, field: layout.ProjectField) -> None:
    if field.kind == "choice":
        ws.data_validation(row, 1, row, 1, {"validate": "list", "source": list(field.choices)})
    elif field.kind == "int":
        ws.data_validation(row, 1, row, 1, {
            "validate": "integer", "criteria": "between", "minimum": int(field.minimum or 0),
            "maximum": int(field.maximum or 10**6), "error_title": "Not valid / No válido",
            "error_message": f"Whole number from {field.minimum:g} to {field.maximum:g}. / "
                             f"Número entero de {field.minimum:g} a {field.maximum:g}."})
    elif field.kind in ("share", "points", "money"):
        ws.data_validation(row, 1, row, 1, {
            "validate": "decimal", "criteria": "between", "minimum": field.minimum or 0,
            "maximum": field.maximum if field.maximum is not None else 10**12, "error_title": "Not valid / No válido",
            "error_message": "Enter a number in range (a share as a percentage, e.g. 60%). / "
                             "Ingrese un número válido (una proporción como porcentaje, p. ej. 60%)."})
    elif field.kind == "date":
        ws.data_validation(row, 1, row, 1, {
            "validate": "date", "criteria": "between", "minimum": dt.date(1990, 1, 1),
            "maximum": dt.date(2100, 12, 31), "error_title": "Not a date / No es una fecha",
            "error_message": "Enter a date. / Ingrese una fecha."})


def _amount_validation() -> dict:
    return {"validate": "decimal", "criteria": ">=", "value": 0,
            "input_title": "Amount / Monto",
            "input_message": "A number ≥ 0, no text or currency sign.\nUn número ≥ 0, sin texto ni moneda.",
            "error_title": "Not an amount / No es un monto",
            "error_message": "Type a number ≥ 0 (no text, no currency sign). / "
                             "Escriba un número ≥ 0 (sin texto ni símbolo de moneda)."}


def _budget_style(styles: _Styles, c: _Cell, kind: str, column: layout.Column):
    props: dict = {"border": 1, "border_color": "#BFBFBF"}
    if column.number_format:
        props["num_format"] = column.number_format
    if c.style in ("input", "label_input"):
        props.update(locked=False)
        if kind != "group":
            props["bg_color"] = INPUT_FILL
    if c.style == "not_phased":
        props["bg_color"] = NOT_PHASED_FILL
    if column.key == "item" and kind != "group":
        props["text_wrap"] = True
    if kind == "component":
        props.update(bold=True)
        if c.style != "label_input":
            props["bg_color"] = COMPONENT_FILL
    elif kind == "group":
        props.update(italic=True, bold=column.key == "item")
    elif kind in ("subtotal", "total"):
        props.update(bold=True, bg_color=FOOT_FILL, top=2 if kind == "subtotal" else 6)
    return styles(**props)


def _write_budget_sheet(workbook, styles: _Styles, spec: BudgetSpec, placed: _Placed,
                        cells: list[_Cell], mode: str) -> None:
    ws = workbook.add_worksheet(layout.BUDGET_SHEET)
    columns = layout.budget_columns(spec.structure)
    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width)
    title = spec.title or spec.project.get("title") or "Project budget"
    ws.write(layout.BUDGET_TITLE_ROW - 1, 0, f"Budget: {title}", styles(bold=True, font_size=12))
    number = spec.project.get("project_number") or ""
    currency = spec.project.get("currency") or ""
    ws.write(layout.BUDGET_SUBTITLE_ROW - 1, 0, f"{number}  ·  amounts in {currency}".strip(" ·"),
             styles(italic=True))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter", text_wrap=True)
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(columns):
        ws.write(layout.BUDGET_HEADER_ROW - 1, i, c.header, head)
        if c.group:
            groups.setdefault(c.group, []).append(i)
        else:
            ws.write_blank(layout.BUDGET_GROUP_ROW - 1, i, None, head)
    for text, idx in groups.items():
        if len(idx) > 1:
            ws.merge_range(layout.BUDGET_GROUP_ROW - 1, idx[0], layout.BUDGET_GROUP_ROW - 1, idx[-1], text, head)
        else:  # a single co-financier: one cell cannot be merged
            ws.write(layout.BUDGET_GROUP_ROW - 1, idx[0], text, head)
    ws.set_row(layout.BUDGET_HEADER_ROW - 1, 24)

    kinds = {row: r.kind for r, row in zip(spec.rows, placed.row_of, strict=True)}
    item_width = next(c.width for c in columns if c.key == "item")
    for r, row in zip(spec.rows, placed.row_of, strict=True):
        lines = _wrapped_lines(r.label, item_width) if r.kind != "group" else 1
        if lines > 1:  # row heights are not auto-fitted by every program: set them
            ws.set_row(row - 1, 12 * lines)
    col_of = {c.key: c for c in columns}
    for c in cells:
        if c.sheet != layout.BUDGET_SHEET:
            continue
        fmt = _budget_style(styles, c, kinds[c.row], col_of[c.key])
        _write_cell(ws, c, fmt)
    if mode == FORMULAS:
        _budget_validation(ws, spec, placed)
    last_col = len(columns) - 1
    last_row = placed.row_of[-1] if placed.row_of else layout.BUDGET_FIRST_ROW
    ws.freeze_panes(layout.BUDGET_FIRST_ROW - 1, 3)
    ws.print_area(0, 0, last_row - 1, last_col)
    _page_setup(ws, (layout.BUDGET_GROUP_ROW, layout.BUDGET_HEADER_ROW))
    _protect(ws, mode)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines a label takes in a wrapped cell of `width` characters (Arial 9 fits about 1.15 per unit)."""
    per_line = max(int(width * 1.15), 1)
    return max(1, -(-len(text or "") // per_line))


def _budget_validation(ws, spec: BudgetSpec, placed: _Placed) -> None:
    """Numbers ≥ 0 in every numeric input cell, block by block of line rows."""
    cols = layout.column_index(spec.structure)
    input_cols = [cols[c.key] - 1 for c in layout.budget_columns(spec.structure) if c.role == "input"]
    blocks = list(placed.lines_of.values())
    blocks += [(r, r) for r in (placed.contingencies, *placed.outside.values()) if r]
    for first, last in blocks:
        for col in input_cols:
            ws.data_validation(first - 1, col, last - 1, col, _amount_validation())


def _write_summary_sheet(workbook, styles: _Styles, spec: BudgetSpec, cells: list[_Cell], mode: str) -> None:
    ws = workbook.add_worksheet(layout.SUMMARY_SHEET)
    money = len(layout.summary_columns(spec.structure)) - 2
    ws.set_column(0, 0, 70)
    ws.set_column(1, money, 14)
    ws.set_column(money + 1, money + 1, 8)
    ws.write(0, 0, "Cost and financing of the project (section III)", styles(bold=True, font_size=12))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center")
    shape = spec.structure
    for col, text in enumerate(layout.summary_headers(shape)):
        ws.write(layout.SUMMARY_HEADER_ROW - 1, col, text, head)
    srows = shape.summary_rows()
    bold_rows = {layout.SUMMARY_FIRST_ROW + i for i, r in enumerate(srows) if r.parts}
    pct_row = layout.SUMMARY_FIRST_ROW + [r.key for r in srows].index("pct")
    for c in cells:
        if c.sheet != layout.SUMMARY_SHEET:
            continue
        props: dict = {"border": 1, "border_color": "#BFBFBF", "bold": c.row in bold_rows}
        if c.key not in ("label", "pct"):
            props["num_format"] = layout.PCT_FORMAT if c.row == pct_row else layout.MONEY_FORMAT
        elif c.key == "pct":
            props["num_format"] = layout.PCT_FORMAT
        if c.style == "label_input":
            props.update(bg_color=INPUT_FILL, locked=False)
        _write_cell(ws, c, styles(**props))
    _page_setup(ws)
    _protect(ws, mode)


def _write_cell(ws, c: _Cell, fmt) -> None:
    r, col = c.row - 1, c.col - 1
    if c.formula:
        value = c.value if isinstance(c.value, int | float | str) else 0
        ws.write_formula(r, col, c.formula, fmt, value)
    elif c.value is None or c.value == "":
        ws.write_blank(r, col, None, fmt)
    elif isinstance(c.value, str):
        ws.write_string(r, col, c.value, fmt)
    else:
        ws.write_number(r, col, c.value, fmt)


def with_derived_figures(spec: BudgetSpec) -> BudgetSpec:
    """The spec with every figure a formula would compute and the spec leaves out filled in: component
    rows, SUB-TOTAL, TOTAL, the % columns, the Summary, and a line's subtotals where only its inputs are
    given.  A figure the spec gives is kept as given, and the totals above it add up the given figures,
    so a slip in a source stays where it is (for a transcription written with mode TYPED)."""
    placed = _place(spec)
    cells = _budget_cells(spec, placed, FORMULAS) + _summary_cells(spec, placed, FORMULAS)
    kinds = {row: r for r, row in zip(spec.rows, placed.row_of, strict=True)}
    for c in cells:
        given = kinds[c.row].values.get(c.key) if c.sheet == layout.BUDGET_SHEET else None
        if c.formula and given is not None:
            c.formula, c.value = None, given
    _fill_cached_values(cells)
    computed = {(c.sheet, c.row, c.key): c.value for c in cells if c.formula}
    for r, row in zip(spec.rows, placed.row_of, strict=True):
        own_figures = r.kind in ("line", "group", layout.CONTINGENCIES, layout.OUTSIDE)
        for key in layout.numeric_keys(spec.structure):
            value = computed.get((layout.BUDGET_SHEET, row, key))
            if key in r.values or not isinstance(value, int | float) or own_figures and not value:
                continue  # a line's empty year stays empty, as a transcription leaves it
            r.values[key] = value
    lines = {s.key: s for s in spec.summary}
    for i, srow in enumerate(spec.structure.summary_rows()):
        line = lines.setdefault(srow.key, SummaryLine(srow.key, srow.label))
        for key in layout.summary_columns(spec.structure)[1:]:
            value = computed.get((layout.SUMMARY_SHEET, layout.SUMMARY_FIRST_ROW + i, key))
            if key not in line.values and isinstance(value, int | float):
                line.values[key] = value
    spec.summary = [lines[r.key] for r in spec.structure.summary_rows()]
    return spec
