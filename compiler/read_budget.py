"""Grids of a budget workbook into the `Budget` model.

Structure is checked here and data is not: a missing sheet, a moved header or a Project sheet
without its number of years stops the reading with a `WorkbookError` naming the sheet and cell;
text in an amount cell, a stray figure below TOTAL or a blank row inside a component is recorded
in the model for the rules to report, so that every data problem is found in one pass.

How rows are told apart (the officer inserts and edits rows, so position alone is not enough):
- a component row has its number (1-7) in the Ref. column;
- Contingencies, SUB-TOTAL, MIF cluster monitoring and TOTAL are found by their label;
- a row with a label but no Ref., no unit and no figures is a sub-heading;
- any other row with content is a cost line, and a row holding nothing but a Ref. is an unused slot.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from compiler.formula import address_to_rc
from compiler.grid import Grid, read_grids
from compiler.model import (
    LINE_TEXT_COLUMNS,
    Budget,
    FundingRule,
    OddCell,
    Project,
    StatedTotal,
    StrayCell,
)
from compiler.problems import WorkbookError
from workbook_templates import layout
from workbook_templates.layout import column_number

NAN = float("nan")


def load_budget(path: str | Path) -> Budget:
    """Read a budget workbook file (no Excel needed)."""
    grids = read_grids(path, layout.REQUIRED_SHEETS + layout.EXECUTION_SHEETS)
    return budget_from_grids(grids, str(path))


def budget_from_grids(grids: dict[str, Grid], source: str) -> Budget:
    """Build the model from the Project, Budget and Summary grids (from a file or live Excel)."""
    missing = [s for s in layout.REQUIRED_SHEETS if s not in grids]
    if missing:
        raise WorkbookError(f"{source}: no sheet named {missing[0]!r}; a budget workbook has the sheets "
                            f"{', '.join(layout.REQUIRED_SHEETS)}", sheet=missing[0])
    project = read_project(grids[layout.PROJECT_SHEET], source)
    years = project.values["years"]
    budget_grid = grids[layout.BUDGET_SHEET]
    check_budget_headers(budget_grid, years, source)
    check_merged(budget_grid, layout.BUDGET_FIRST_ROW, len(layout.budget_columns(years)), source)
    check_merged(grids[layout.SUMMARY_SHEET], layout.SUMMARY_FIRST_ROW, len(layout.SUMMARY_HEADERS), source)
    rows = _BudgetRows(budget_grid, years, source).read()
    summary, summary_odd = read_summary(grids[layout.SUMMARY_SHEET], source)
    formula_cells = None
    if all(g.formulas is not None for g in grids.values()):
        formula_cells = {name: set(g.formulas) for name, g in grids.items()}
    budget = Budget(
        source=source, years=years, project=project, lines=rows.lines_frame(), components=rows.components_frame(),
        foot=rows.foot, summary=summary, groups=rows.groups, odd_cells=rows.odd + summary_odd,
        stray_cells=rows.stray, blank_rows=rows.blank_inside(), formula_cells=formula_cells,
        computed_cells=sum(len(g.computed) for g in grids.values()),
    )
    _attach_execution(budget, grids, source)
    return budget


def _attach_execution(budget: Budget, grids: dict[str, Grid], source: str) -> None:
    """The optional Execution and Disbursements sheets (see compiler/read_execution.py)."""
    from compiler.read_execution import read_disbursements, read_execution

    if layout.EXECUTION_SHEET in grids:
        budget.execution, budget.execution_sheet, odd = read_execution(grids[layout.EXECUTION_SHEET], source)
        budget.execution_odd += odd
    if layout.DISBURSEMENTS_SHEET in grids:
        budget.disbursements, odd = read_disbursements(grids[layout.DISBURSEMENTS_SHEET], source)
        budget.execution_odd += odd


# ------------------------------------------------------------------------------------------------
# Values
# ------------------------------------------------------------------------------------------------

def as_number(value: object) -> float | None:
    """A cell's number, or None when it holds no number (empty, text, error, date, boolean)."""
    if type(value) is float:  # nearly every figure: the quick way first
        return None if value != value else value
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return None if math.isnan(value) else float(value)
    return None


def as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def ref_text(value: object) -> str:
    """The Ref. cell as text: 1 -> "1", 1.1 (typed as a number) -> "1.10"."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return as_text(value)


def component_number(ref: str) -> str | None:
    """ "3" -> "3" when 3 is a component number of the layout."""
    return ref if ref.isdigit() and int(ref) in layout.COMPONENT_NUMBERS else None


# ------------------------------------------------------------------------------------------------
# Project sheet
# ------------------------------------------------------------------------------------------------

def _parse_field(field: layout.ProjectField, raw: object) -> tuple[object, bool]:
    """(value, ok) for one Project field; ok is False when the cell cannot be read as its kind."""
    if raw is None or raw == "":
        return None, True
    kind = field.kind
    if kind == "text":
        return as_text(raw), True
    if kind == "choice":
        text = as_text(raw).lower()
        match = next((c for c in field.choices if c.lower() == text), None)
        return match, match is not None
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date(), True
        if isinstance(raw, dt.date):
            return raw, True
        try:
            return dt.date.fromisoformat(as_text(raw)), True
        except ValueError:
            return None, False
    number = as_number(raw)
    if number is None and isinstance(raw, str):
        text = raw.strip()
        try:
            number = float(text[:-1]) / 100 if text.endswith("%") and kind == "share" else float(text)
        except ValueError:
            number = None
    if number is None:
        return None, False
    if kind == "int":
        return (int(number), True) if number.is_integer() else (None, False)
    return number, True


def read_project(grid: Grid, source: str) -> Project:
    sheet = layout.PROJECT_SHEET
    label_rows = {as_text(grid.value(r, 1)).lower(): r for r in range(1, grid.n_rows + 1) if grid.value(r, 1)}
    values, cells, odd = {}, {}, []
    for field in layout.PROJECT_FIELDS:
        row = label_rows.get(field.label.lower())
        if row is None:
            if field.required:
                raise WorkbookError(f"{source}: sheet {sheet!r} has no row labelled {field.label!r} in column A",
                                    sheet=sheet)
            values[field.key], cells[field.key] = field.default, ""
            continue
        raw = grid.value(row, 2)
        value, ok = _parse_field(field, raw)
        cells[field.key] = f"B{row}"
        if not ok:
            odd.append((field.key, f"B{row}", raw))
        values[field.key] = value if ok else field.default
    years = values.get("years")
    bad_years = any(key == "years" for key, _, _ in odd)
    if bad_years or not isinstance(years, int) or not 1 <= years <= layout.MAX_YEARS:
        found = as_text(grid.value(*address_to_rc(cells["years"])))
        raise WorkbookError(f"{source}: {sheet}!{cells['years']}: the number of budget years must be a whole "
                            f"number from 1 to {layout.MAX_YEARS}, not {found!r}",
                            sheet=sheet, cell=cells["years"])
    for key in ("tolerance", "share_tolerance"):
        if values.get(key) is None:
            values[key] = layout.PROJECT_FIELD_BY_KEY[key].default
    project = Project(values, cells, odd=odd)
    project.funding = _read_funding(grid, label_rows)
    project.stated = _read_stated(grid, label_rows)
    return project


def _table_rows(grid: Grid, label_rows: dict[str, int], title: str) -> list[int]:
    """Rows of a small table on the Project sheet: after its title and header, until a blank row."""
    start = label_rows.get(title.lower())
    if start is None:
        return []
    rows, r = [], start + 2
    while r <= grid.n_rows and any(grid.value(r, c) not in (None, "") for c in range(1, 7)):
        rows.append(r)
        r += 1
    return rows


def _read_funding(grid: Grid, label_rows: dict[str, int]) -> list[FundingRule]:
    rules = []
    for r in _table_rows(grid, label_rows, layout.FUNDING_TABLE_TITLE):
        funding = as_text(grid.value(r, 3))
        match = next((c for c in layout.FUNDING_CHOICES if c.lower() == funding.lower()), funding)
        rules.append(FundingRule(as_text(grid.value(r, 1)), as_text(grid.value(r, 2)), match, r))
    return rules


def _read_stated(grid: Grid, label_rows: dict[str, int]) -> list[StatedTotal]:
    stated = []
    for r in _table_rows(grid, label_rows, layout.STATED_TABLE_TITLE):
        figures = [as_number(grid.value(r, c)) for c in (3, 4, 5)]
        if all(f is None for f in figures):
            continue
        compared = as_text(grid.value(r, 2)).upper() or "TOTAL"
        stated.append(StatedTotal(as_text(grid.value(r, 1)), compared, *figures, r, as_text(grid.value(r, 6))))
    return stated


# ------------------------------------------------------------------------------------------------
# Budget sheet
# ------------------------------------------------------------------------------------------------

def norm_label(text: object) -> str:
    """A label as compared with the layout's: spaces collapsed, lower case."""
    return re.sub(r"\s+", " ", as_text(text)).strip().lower()


def check_budget_headers(grid: Grid, years: int, source: str) -> None:
    """The header rows must be the template's for the Project's number of years."""
    sheet = layout.BUDGET_SHEET
    found_years = sum(1 for c in range(1, grid.n_cols + 1)
                      if re.fullmatch(r"year \d", norm_label(grid.value(layout.BUDGET_GROUP_ROW, c))))
    if found_years and found_years != years:
        raise WorkbookError(f"{source}: sheet {sheet!r} has {found_years} year column groups in row "
                            f"{layout.BUDGET_GROUP_ROW} but the Project sheet says {years} budget years",
                            sheet=sheet)
    for i, column in enumerate(layout.budget_columns(years), start=1):
        found = grid.value(layout.BUDGET_HEADER_ROW, i)
        if norm_label(found) != column.header.lower():
            address = f"{layout.column_letter(i)}{layout.BUDGET_HEADER_ROW}"
            what = f"finds {as_text(found)!r}" if found not in (None, "") else "finds it empty"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {column.header!r} "
                                f"({column.group or 'line'} column) but mifkit {what}; "
                                "the columns have been moved or renamed", sheet=sheet, cell=address)
        if column.group and (i == 1 or layout.budget_columns(years)[i - 2].group != column.group):
            group = grid.value(layout.BUDGET_GROUP_ROW, i)
            if norm_label(group) != column.group.lower():
                address = f"{layout.column_letter(i)}{layout.BUDGET_GROUP_ROW}"
                raise WorkbookError(f"{source}: {sheet}!{address} should read {column.group!r} but mifkit finds "
                                    f"{as_text(group)!r}; the columns have been moved or renamed",
                                    sheet=sheet, cell=address)


def check_merged(grid: Grid, first_row: int, width: int, source: str) -> None:
    """Merged cells inside a table are refused: a merged range keeps its value in its first cell only,
    so the rows and columns it covers would read as empty.  Merged captions above the table (the
    template's own year headers) are fine."""
    for ref in grid.merged:
        m = re.fullmatch(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?", ref)
        if not m:
            continue
        first_col, last_row = column_number(m.group(1)), int(m.group(4) or m.group(2))
        if last_row >= first_row and first_col <= width:
            raise WorkbookError(f"{source}: {grid.name}!{ref}: merged cells inside the table; mifkit reads each "
                                "row and column on its own, so unmerge them (Home > Merge & Center) and save again",
                                sheet=grid.name, cell=ref.split(":")[0])


class _BudgetRows:
    """One pass over the Budget rows, sorting each into lines, components, foot rows and strays."""

    FOOT = {layout.LABEL_CONTINGENCIES.lower(): layout.CONTINGENCIES,
            layout.LABEL_SUBTOTAL.lower(): "subtotal",
            layout.LABEL_MIF_MONITORING.lower(): layout.MIF_CLUSTER_MONITORING,
            layout.LABEL_TOTAL.lower(): "total"}

    def __init__(self, grid: Grid, years: int, source: str):
        self.grid, self.years, self.source = grid, years, source
        self.columns = layout.budget_columns(years)
        self.numeric = [(i, c) for i, c in enumerate(self.columns, start=1) if c.role != "label"]
        self.width = len(self.columns)
        self.lines: list[dict] = []
        self.components: list[dict] = []
        self.foot: dict[str, dict] = {}
        self.groups: list[tuple[int, str, str]] = []
        self.odd: list[OddCell] = []
        self.stray: list[StrayCell] = []
        self.blanks: list[tuple[int, str]] = []
        self.content_rows: list[tuple[int, str]] = []  # (row, component) of lines and headings

    def read(self) -> _BudgetRows:
        component: str | None = None
        group = ""
        after_total = False
        for r in range(layout.BUDGET_FIRST_ROW, self.grid.n_rows + 1):
            self._right_of_table(r)
            ref = ref_text(self.grid.value(r, 1))
            item, unit = as_text(self.grid.value(r, 2)), as_text(self.grid.value(r, 3))
            if after_total:
                self._stray_row(r)
                continue
            number = component_number(ref)
            foot = self.FOOT.get(item.lower()) if not ref else None
            if number:
                component, group = number, ""
                self.components.append({"row": r, "component": number, "item": item, **self._figures(r)})
            elif foot in (layout.CONTINGENCIES, layout.MIF_CLUSTER_MONITORING):
                component = None
                self.lines.append(self._line(r, foot, foot, "", item, unit, ref))
            elif foot:
                component = None
                self.foot[foot] = {"row": r, **self._figures(r)}
                after_total = foot == "total"
            elif self._is_blank(r):
                if component:
                    self.blanks.append((r, component))
            elif component is None:
                self._stray_row(r)
            elif not ref and item and not unit and self._is_heading(r):
                group = item
                self.groups.append((r, component, item))
                self.content_rows.append((r, component))
            elif ref and not item and not unit and self._is_heading(r):
                continue  # an unused line slot of the template
            else:
                self.lines.append(self._line(r, "line", component, group, item, unit, ref))
                self.content_rows.append((r, component))
        for needed in ("subtotal", "total"):
            if needed not in self.foot:
                label = layout.LABEL_SUBTOTAL if needed == "subtotal" else layout.LABEL_TOTAL
                raise WorkbookError(f"{self.source}: sheet {layout.BUDGET_SHEET!r} has no row labelled {label!r} "
                                    "in the Item column", sheet=layout.BUDGET_SHEET)
        if not self.components:
            raise WorkbookError(f"{self.source}: sheet {layout.BUDGET_SHEET!r} has no component rows (a component "
                                "number 1-7 in the Ref. column)", sheet=layout.BUDGET_SHEET)
        return self

    def _figures(self, r: int) -> dict[str, float]:
        out = {}
        line = self.grid.row(r)
        width = len(line)
        for col, column in self.numeric:
            raw = line[col - 1] if col <= width else None
            number = as_number(raw)
            if number is None and raw is not None:
                self.odd.append(OddCell(layout.BUDGET_SHEET, r, col, column.key, raw))
            out[column.key] = NAN if number is None else number
        return out

    def _line(self, r, kind, component, group, item, unit, ref) -> dict:
        return {"row": r, "ref": ref, "kind": kind, "component": component, "line_group": group,
                "item": item, "unit": unit, **self._figures(r)}

    def _is_blank(self, r: int) -> bool:
        return all(v is None for v in self.grid.row(r)[: self.width])

    def _is_heading(self, r: int) -> bool:
        """No inputs, and derived cells empty or zero (formulas over empty inputs)."""
        for col, column in self.numeric:
            v = self.grid.value(r, col)
            if v is None:
                continue
            if column.role == "input" or as_number(v) != 0:
                return False
        return True

    def _right_of_table(self, r: int) -> None:
        line = self.grid.row(r)
        for c in range(self.width + 1, len(line) + 1):
            if line[c - 1] is not None:
                self.stray.append(StrayCell(layout.BUDGET_SHEET, r, c, line[c - 1]))

    def _stray_row(self, r: int) -> None:
        for c, v in enumerate(self.grid.row(r)[: self.width], start=1):
            if v is not None:
                self.stray.append(StrayCell(layout.BUDGET_SHEET, r, c, v))

    def blank_inside(self) -> list[tuple[int, str]]:
        """Blank rows with more lines of the same component below them."""
        last = {}
        for r, comp in self.content_rows:
            last[comp] = r
        return [(r, comp) for r, comp in self.blanks if r < last.get(comp, 0)]

    def lines_frame(self) -> pd.DataFrame:
        columns = [*LINE_TEXT_COLUMNS, *layout.numeric_keys(self.years)]
        return pd.DataFrame(self.lines, columns=columns)

    def components_frame(self) -> pd.DataFrame:
        columns = ["row", "component", "item", *layout.numeric_keys(self.years)]
        return pd.DataFrame(self.components, columns=columns)


# ------------------------------------------------------------------------------------------------
# Summary sheet
# ------------------------------------------------------------------------------------------------

def read_summary(grid: Grid, source: str) -> tuple[pd.DataFrame, list[OddCell]]:
    sheet = layout.SUMMARY_SHEET
    for col, header in enumerate(layout.SUMMARY_HEADERS, start=1):
        found = grid.value(layout.SUMMARY_HEADER_ROW, col)
        if norm_label(found) != header.lower():
            address = f"{layout.column_letter(col)}{layout.SUMMARY_HEADER_ROW}"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {header!r} but mifkit "
                                f"finds {as_text(found)!r}; the columns have been moved or renamed",
                                sheet=sheet, cell=address)
    records, odd = {}, []
    for r in range(layout.SUMMARY_FIRST_ROW, grid.n_rows + 1):
        key = layout.summary_key_of(grid.value(r, 1))
        if key is None or key in records:
            continue
        record = {"key": key, "label": as_text(grid.value(r, 1)), "row": r}
        for col, name in enumerate(layout.SUMMARY_COLUMNS[1:], start=2):
            raw = grid.value(r, col)
            number = as_number(raw)
            if number is None and raw is not None:
                odd.append(OddCell(sheet, r, col, name, raw))
            record[name] = NAN if number is None else number
        records[key] = record
    missing = [row for row in layout.SUMMARY_ROWS if row.key not in records]
    if missing:
        raise WorkbookError(f"{source}: sheet {sheet!r} has no row {missing[0].label!r} (column A)", sheet=sheet)
    frame = pd.DataFrame([records[row.key] for row in layout.SUMMARY_ROWS],
                         columns=["key", "label", "row", *layout.SUMMARY_COLUMNS[1:]])
    return frame, odd
