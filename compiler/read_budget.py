"""Grids of a budget workbook into the `Budget` model.

Structure is checked here and data is not: a missing sheet, a moved header or a Project sheet
without its number of years stops the reading with a `WorkbookError` naming the sheet and cell;
text in an amount cell, a stray figure below TOTAL or a blank row inside a component is recorded
in the model for the rules to report, so that every data problem is found in one pass.

The project's structure (components, funders, lines outside the subtotal) is read first, from the
Project sheet; the Budget and Summary are then read in that shape.

How rows are told apart (the officer inserts and edits rows, so position alone is not enough):
- a component row has the number of a declared component in the Ref. column;
- Contingencies, SUB-TOTAL, the lines outside the subtotal and TOTAL are found by their label (in
  English or Spanish, or an outside line by its key in Ref.);
- a row with a label but no Ref., no unit and no figures is a sub-heading;
- any other row with content is a cost line, and a row holding nothing but a Ref. is an unused slot.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from compiler.formula import address_to_rc
from compiler.grid import Grid, read_grids
from compiler.model import (
    LOCAL_COLUMNS,
    Budget,
    CellSet,
    OddCell,
    Project,
    StatedTotal,
    StrayCell,
)
from compiler.problems import WorkbookError
from workbook_templates import layout, structure
from workbook_templates.layout import column_number
from workbook_templates.structure import Cofinancier, Component, OutsideLine, Structure

NAN = float("nan")


def load_budget(path: str | Path) -> Budget:
    """Read a budget workbook file (no Excel needed)."""
    grids = read_grids(path, layout.READ_SHEETS)
    return budget_from_grids(grids, str(path))


def budget_from_grids(grids: dict[str, Grid], source: str) -> Budget:
    """Build the model from the Project, Budget and Summary grids (from a file or live Excel)."""
    missing = [s for s in layout.REQUIRED_SHEETS if s not in grids]
    if missing:
        raise WorkbookError(f"{source}: no sheet named {missing[0]!r}; a budget workbook has the sheets "
                            f"{', '.join(layout.REQUIRED_SHEETS)}", sheet=missing[0])
    project = read_project(grids[layout.PROJECT_SHEET], source)
    shape = project.structure
    budget_grid = grids[layout.BUDGET_SHEET]
    check_budget_headers(budget_grid, shape, source)
    check_merged(budget_grid, layout.BUDGET_FIRST_ROW, len(layout.budget_columns(shape)), source)
    check_merged(grids[layout.SUMMARY_SHEET], layout.SUMMARY_FIRST_ROW, len(layout.summary_columns(shape)), source)
    rows = _BudgetRows(budget_grid, shape, source).read()
    summary, summary_odd = read_summary(grids[layout.SUMMARY_SHEET], shape, source)
    formula_cells = None
    if all(g.formulas is not None for g in grids.values()):
        formula_cells = {name: CellSet(g.formulas) for name, g in grids.items()}
    budget = Budget(
        source=source, structure=shape, project=project, line_rows=rows.lines, component_rows=rows.components,
        foot=rows.foot, summary_rows=summary, groups=rows.groups, odd_cells=rows.odd + summary_odd,
        stray_cells=rows.stray, blank_rows=rows.blank_inside(), formula_cells=formula_cells,
        computed_cells=sum(len(g.computed) for g in grids.values()),
    )
    _attach_execution(budget, grids, source)
    if layout.REVISIONS_SHEET in grids:
        from compiler.read_revisions import read_revisions

        budget.revisions, budget.revisions_sheet = read_revisions(grids[layout.REVISIONS_SHEET], shape, source)
    return budget


def _attach_execution(budget: Budget, grids: dict[str, Grid], source: str) -> None:
    """The optional Execution and Disbursements sheets (see compiler/read_execution.py)."""
    from compiler.read_execution import read_disbursements, read_execution

    if layout.EXECUTION_SHEET in grids:
        budget.execution_rows, budget.execution_sheet, odd = read_execution(grids[layout.EXECUTION_SHEET],
                                                                            budget.structure, source)
        budget.execution_odd += odd
    if layout.DISBURSEMENTS_SHEET in grids:
        budget.disbursement_rows, odd = read_disbursements(grids[layout.DISBURSEMENTS_SHEET], source)
        budget.execution_odd += odd
    _attach_local(budget, grids, source)


def _attach_local(budget: Budget, grids: dict[str, Grid], source: str) -> None:
    """The optional Local spending and Rates sheets, converted (compiler/currency.py); the converted
    entries join the execution record, so every execution rule and report counts them."""
    from compiler import currency
    from compiler.read_currency import read_local, read_rates

    if layout.RATES_SHEET in grids:
        budget.rate_rows, problems = read_rates(grids[layout.RATES_SHEET], source)
        budget.ledger_problems += problems
    if layout.LOCAL_SHEET not in grids:
        return
    local, problems = read_local(grids[layout.LOCAL_SHEET], budget.structure, source)
    budget.ledger_problems += problems
    budget.local_columns = (*LOCAL_COLUMNS, *currency.CONVERTED_COLUMNS)
    if not local:
        return
    unusable = {address_to_rc(p.cell)[0] for p in problems if p.sheet == layout.LOCAL_SHEET}
    months = int(budget.project.get("disbursement_months")
                 or layout.PROJECT_FIELD_BY_KEY["disbursement_months"].default)
    budget.local_rows = currency.convert(local, budget.structure, budget.project.first_disbursement_date, months,
                                         currency.monthly_rates(budget.rate_rows),
                                         currency.disbursement_rates(budget.disbursement_rows), unusable)
    budget.execution_rows = budget.execution_rows + currency.as_execution(budget.local_rows)


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


def as_date(value: object) -> dt.date | None:
    """A date cell's date, or the date written as ISO text (2005-11-15); None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(as_text(value))
    except ValueError:
        return None


def ref_text(value: object) -> str:
    """The Ref. cell as text: 1 -> "1", 1.1 (typed as a number) -> "1.10"."""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return as_text(value)


def component_number(ref: str, shape: Structure) -> str | None:
    """ "3" -> "3" when 3 is a component number of the project ("03" -> "3")."""
    if not ref.isdigit():
        return None
    key = str(int(ref))
    return key if key in shape.component_keys else None


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
        day = as_date(raw)
        return day, day is not None
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
    label_rows: dict[str, int] = {}
    for r in range(1, grid.n_rows + 1):
        if grid.value(r, 1):
            label_rows.setdefault(norm_label(grid.value(r, 1)), r)
    values, cells, odd = {}, {}, []
    for field in (*layout.PROJECT_FIELDS, *layout.IATI_FIELDS):
        row = next((label_rows[norm_label(t)] for t in (field.label, *field.aliases) if norm_label(t) in label_rows),
                   None)
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
    if not cells.get("donor"):  # a workbook of the first template: its donor is the MIF
        values["donor"], values["donor_es"] = "MIF", "FOMIN"
    if not cells.get("counterpart"):
        values["counterpart"] = "Counterpart"
    values["counterpart"] = as_text(values.get("counterpart"))
    project = Project(values, cells, odd=odd)
    project.structure = _read_structure(grid, label_rows, values, source, odd)
    for title, headers in ((layout.COMPONENTS_TABLE_TITLE, layout.COMPONENTS_TABLE_HEADERS),
                           (layout.OUTSIDE_TABLE_TITLE, layout.OUTSIDE_TABLE_HEADERS),
                           (layout.COFIN_TABLE_TITLE, layout.COFIN_TABLE_HEADERS)):
        for r in _table_rows(grid, label_rows, title):
            project.table_inputs[r] = len(headers) - 1  # every column but the note
    project.stated = _read_stated(grid, label_rows)
    return project


def _table_rows(grid: Grid, label_rows: dict[str, int], title: str) -> list[int]:
    """Rows of a small table on the Project sheet: after its title and header, until a blank row."""
    start = label_rows.get(norm_label(title))
    if start is None:
        return []
    rows, r = [], start + 2
    while r <= grid.n_rows and any(grid.value(r, c) not in (None, "") for c in range(1, 7)):
        rows.append(r)
        r += 1
    return rows


def _read_structure(grid: Grid, label_rows: dict[str, int], values: dict, source: str, odd: list) -> Structure:
    """The project's shape from the Project sheet's tables (Components, Lines outside the subtotal,
    Co-financiers), or from the funding table of the first template."""
    sheet = layout.PROJECT_SHEET
    if norm_label(layout.COMPONENTS_TABLE_TITLE) in label_rows:
        components, first_row = _read_components(grid, label_rows, source, odd)
        outside = _read_outside(grid, label_rows, odd)
        cofinanciers = _read_cofinanciers(grid, label_rows, source)
    elif norm_label(layout.LEGACY_FUNDING_TABLE_TITLE) in label_rows:
        components, outside = _legacy_structure(grid, label_rows)
        first_row, cofinanciers = None, ()
    else:
        raise WorkbookError(f"{source}: sheet {sheet!r} has no table titled {layout.COMPONENTS_TABLE_TITLE!r} in "
                            "column A; mifkit reads the project's components from it", sheet=sheet)
    try:
        return Structure(components=components, years=values["years"], outside=outside,
                         contingencies=values.get("contingencies") != layout.NO,
                         donor=as_text(values.get("donor")) or "Donor", donor_es=as_text(values.get("donor_es")),
                         counterpart=values["counterpart"], cofinanciers=cofinanciers,
                         period=values.get("execution_period") or structure.SEMESTER,
                         local_currency=as_text(values.get("local_currency")).upper(),
                         conversion_rule=values.get("conversion_rule") or structure.MONTHLY)
    except structure.StructureError as exc:
        cell = f"A{first_row}" if first_row else ""
        where = f"{sheet}!{cell}" if cell else f"sheet {sheet!r}"
        raise WorkbookError(f"{source}: {where}: {exc}", sheet=sheet, cell=cell) from None


def _funding(text: object, address: str, what: str, odd: list) -> str:
    """A funding rule; a word mifkit does not know is kept in `odd` for DA11 and read as "both"."""
    rule = structure.normalise_funding(as_text(text) or structure.BOTH)
    if rule is None:
        odd.append((f"funding:{what}", address, text))
        return structure.BOTH
    return rule


def _read_components(grid: Grid, label_rows: dict[str, int], source: str,
                     odd: list) -> tuple[tuple[Component, ...], int]:
    sheet = layout.PROJECT_SHEET
    rows = _table_rows(grid, label_rows, layout.COMPONENTS_TABLE_TITLE)
    components = []
    for r in rows:
        number = as_number(grid.value(r, 1))
        if number is None or not number.is_integer():
            raise WorkbookError(f"{source}: {sheet}!A{r}: a component's number must be a whole number, not "
                                f"{as_text(grid.value(r, 1))!r}", sheet=sheet, cell=f"A{r}")
        kind = as_text(grid.value(r, 4)).lower() or structure.TECHNICAL
        if kind not in structure.KINDS:
            raise WorkbookError(f"{source}: {sheet}!D{r}: kind {kind!r} is not one of {', '.join(structure.KINDS)}",
                                sheet=sheet, cell=f"D{r}")
        components.append(Component(int(number), as_text(grid.value(r, 2)), as_text(grid.value(r, 3)), kind,
                                    _funding(grid.value(r, 5), f"E{r}", f"component {int(number)}", odd)))
    first = rows[0] if rows else label_rows[norm_label(layout.COMPONENTS_TABLE_TITLE)]
    return tuple(components), first


def _read_outside(grid: Grid, label_rows: dict[str, int], odd: list) -> tuple[OutsideLine, ...]:
    return tuple(OutsideLine(as_text(grid.value(r, 1)), as_text(grid.value(r, 2)), as_text(grid.value(r, 3)),
                             _funding(grid.value(r, 4), f"D{r}", as_text(grid.value(r, 2)), odd))
                 for r in _table_rows(grid, label_rows, layout.OUTSIDE_TABLE_TITLE))


def _read_cofinanciers(grid: Grid, label_rows: dict[str, int], source: str) -> tuple[Cofinancier, ...]:
    out = []
    share_field = layout.ProjectField("share", "", "share")
    for r in _table_rows(grid, label_rows, layout.COFIN_TABLE_TITLE):
        share, ok = _parse_field(share_field, grid.value(r, 3))
        if not ok:
            raise WorkbookError(f"{source}: {layout.PROJECT_SHEET}!C{r}: the agreed share must be a percentage, not "
                                f"{as_text(grid.value(r, 3))!r}", sheet=layout.PROJECT_SHEET, cell=f"C{r}")
        out.append(Cofinancier(as_text(grid.value(r, 1)), as_text(grid.value(r, 2)), float(share or 0.0)))
    return tuple(out)


def _legacy_structure(grid: Grid, label_rows: dict[str, int]):
    """The first template's table (component, name, funding): the seven components of an MIF annex and
    its MIF cluster monitoring line."""
    kinds = {"5": structure.EXECUTING_UNIT, "6": structure.ADMINISTRATION, "7": structure.EVALUATION}
    components, outside = [], []
    for r in _table_rows(grid, label_rows, layout.LEGACY_FUNDING_TABLE_TITLE):
        key, name = as_text(grid.value(r, 1)), as_text(grid.value(r, 2))
        funding = structure.normalise_funding(as_text(grid.value(r, 3))) or structure.BOTH
        if key.isdigit():
            components.append(Component(int(key), name, "", kinds.get(key, structure.TECHNICAL), funding))
        elif key and key != layout.CONTINGENCIES:
            outside.append(OutsideLine(key, name, "", funding))
    return tuple(components), tuple(outside)


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
    """A label as compared with the layout's: spaces collapsed, lower case.  (str.split splits on the
    whitespace re's \\s matches, so this is re.sub(r"\\s+", " ", text).strip(), without a regex per cell.)"""
    return " ".join(as_text(text).split()).lower()


def check_budget_headers(grid: Grid, shape: Structure, source: str) -> None:
    """The header rows must be the template's for the project's years and funders."""
    sheet = layout.BUDGET_SHEET
    years = shape.years
    found_years = sum(1 for c in range(1, grid.n_cols + 1)
                      if re.fullmatch(r"year \d", norm_label(grid.value(layout.BUDGET_GROUP_ROW, c))))
    if found_years and found_years != years:
        raise WorkbookError(f"{source}: sheet {sheet!r} has {found_years} year column groups in row "
                            f"{layout.BUDGET_GROUP_ROW} but the Project sheet says {years} budget years",
                            sheet=sheet)
    columns = layout.budget_columns(shape)
    for i, column in enumerate(columns, start=1):
        found = grid.value(layout.BUDGET_HEADER_ROW, i)
        if norm_label(found) not in {norm_label(t) for t in (column.header, *column.accepts)}:
            address = f"{layout.column_letter(i)}{layout.BUDGET_HEADER_ROW}"
            what = f"finds {as_text(found)!r}" if found not in (None, "") else "finds it empty"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {column.header!r} "
                                f"({column.group or 'line'} column) but mifkit {what}; "
                                "the columns have been moved or renamed", sheet=sheet, cell=address)
        if column.group and (i == 1 or columns[i - 2].group != column.group):
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


def foot_labels(shape: Structure) -> dict[str, tuple[str, str]]:
    """Label (normalised) -> (row kind, component key) of the rows below the components: Contingencies,
    SUB-TOTAL, each line outside the subtotal (by its name in English or Spanish, or its key), TOTAL."""
    out = {label: (kind, kind if kind == layout.CONTINGENCIES else "") for label, kind in layout.FOOT_ALIASES.items()}
    for line in shape.outside:
        for text in (line.name, line.name_es, line.key):
            if text:
                out[norm_label(text)] = (layout.OUTSIDE, line.key)
    return out


class _BudgetRows:
    """One pass over the Budget rows, sorting each into lines, components, foot rows and strays."""

    def __init__(self, grid: Grid, shape: Structure, source: str):
        self.grid, self.shape, self.source = grid, shape, source
        self.foot_labels = foot_labels(shape)
        self.columns = layout.budget_columns(shape)
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
            ref_cell, item_cell, unit_cell = (*self.grid.row(r)[:3], None, None, None)[:3]
            ref, item, unit = ref_text(ref_cell), as_text(item_cell), as_text(unit_cell)
            if after_total:
                self._stray_row(r)
                continue
            number = component_number(ref, self.shape)
            foot, key = self.foot_labels.get(norm_label(item) if not ref else norm_label(ref), (None, ""))
            if number:
                component, group = number, ""
                self.components.append({"row": r, "component": number, "item": item, **self._figures(r)})
            elif ref.isdigit() and item and not unit:
                declared = ", ".join(self.shape.component_keys)
                raise WorkbookError(f"{self.source}: {layout.BUDGET_SHEET}!A{r}: Ref. {ref} ({item!r}) looks like the "
                                    f"heading of a component, but the Project sheet's Components table declares "
                                    f"components {declared} only; add component {ref} there (number, name, kind, "
                                    "funding) or correct the Ref.", sheet=layout.BUDGET_SHEET, cell=f"A{r}")
            elif foot in (layout.CONTINGENCIES, layout.OUTSIDE):
                component = None
                self.lines.append(self._line(r, foot, key, "", item, unit, ""))
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
            numbers = ", ".join(self.shape.component_keys)
            raise WorkbookError(f"{self.source}: sheet {layout.BUDGET_SHEET!r} has no component rows (mifkit finds a "
                                f"component by its number, one of {numbers} on the Project sheet, in the Ref. column)",
                                sheet=layout.BUDGET_SHEET)
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
        line = self.grid.row(r)
        for col, column in self.numeric:
            v = line[col - 1] if col <= len(line) else None
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


# ------------------------------------------------------------------------------------------------
# Summary sheet
# ------------------------------------------------------------------------------------------------

def read_summary(grid: Grid, shape: Structure, source: str) -> tuple[list[dict], list[OddCell]]:
    """The section III table in the project's shape.  Rows are found by their letter or numeral
    ("B. …", "IV. …") or their label; a line outside the subtotal printed under another name is taken
    from the rows between % and TOTAL, in order."""
    sheet = layout.SUMMARY_SHEET
    columns = layout.summary_columns(shape)
    for col, (key, header) in enumerate(zip(columns, layout.summary_headers(shape), strict=True), start=1):
        found = grid.value(layout.SUMMARY_HEADER_ROW, col)
        if norm_label(found) not in {norm_label(t) for t in (header, *layout.summary_header_accepts(shape, key))}:
            address = f"{layout.column_letter(col)}{layout.SUMMARY_HEADER_ROW}"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {header!r} but mifkit "
                                f"finds {as_text(found)!r}; the columns have been moved or renamed",
                                sheet=sheet, cell=address)
    srows = shape.summary_rows()
    records, odd, unplaced = {}, [], []
    for r in range(layout.SUMMARY_FIRST_ROW, grid.n_rows + 1):
        label = grid.value(r, 1)
        key = layout.summary_key_of(label, srows)
        if key is None:
            if as_text(label):
                unplaced.append(r)
            continue
        if key not in records:
            records[key] = _summary_record(grid, r, key, columns, odd)
    _place_outside_rows(grid, shape, records, unplaced, odd)
    missing = [row for row in srows if row.key not in records]
    if missing:
        how = "its letter or numeral" if missing[0].lettered else "its label"
        raise WorkbookError(f"{source}: sheet {sheet!r} has no row {missing[0].label!r} in column A (mifkit finds a "
                            f"Summary row by {how}; the Project sheet's components decide which rows there are)",
                            sheet=sheet)
    return [records[row.key] for row in srows], odd


def _place_outside_rows(grid: Grid, shape: Structure, records: dict, unplaced: list[int], odd: list) -> None:
    """Lines outside the subtotal not found by name: the labelled rows between % and TOTAL, in order."""
    missing = [o.key for o in shape.outside if o.key not in records]
    if not missing or "pct" not in records or "total" not in records:
        return
    between = [r for r in unplaced if records["pct"]["row"] < r < records["total"]["row"]]
    columns = layout.summary_columns(shape)
    for key, r in zip(missing, between, strict=False):
        records[key] = _summary_record(grid, r, key, columns, odd)


def _summary_record(grid: Grid, r: int, key: str, columns: tuple[str, ...], odd: list) -> dict:
    """One Summary row's figures (NaN where empty); non-numbers go to `odd` for the rules."""
    record = {"key": key, "label": as_text(grid.value(r, 1)), "row": r}
    for col, name in enumerate(columns[1:], start=2):
        raw = grid.value(r, col)
        number = as_number(raw)
        if number is None and raw is not None:
            odd.append(OddCell(layout.SUMMARY_SHEET, r, col, name, raw))
        record[name] = NAN if number is None else number
    return record
