"""The blank template: formulas in derived cells, inputs unlocked and validated, the rest protected,
formats, frozen panes and print set-up; and the number of years taken from the Project sheet."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from compiler.read_budget import load_budget
from workbook_templates import layout
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.spec import blank_spec, example_structure

EXAMPLE_SHAPE = example_structure()


@pytest.fixture(scope="module")
def template(built):
    return openpyxl.load_workbook(built / "template.xlsx")


def _validated(ws, address: str) -> list:
    return [dv for dv in ws.data_validations.dataValidation if address in dv.sqref]


def test_sheets_are_protected_without_password(template):
    for name in layout.REQUIRED_SHEETS:
        protection = template[name].protection
        assert protection.sheet, name
        assert not protection.password, name


def test_line_inputs_are_unlocked_and_validated_derived_cells_are_locked_formulas(template):
    ws = template[layout.BUDGET_SHEET]
    row = layout.BUDGET_FIRST_ROW + 1  # first line slot of component 1
    cols = layout.column_index(EXAMPLE_SHAPE)
    for column in layout.budget_columns(EXAMPLE_SHAPE):
        c = ws.cell(row, cols[column.key])
        if column.role == "input":
            assert c.protection.locked is False, column.key
            assert c.value is None, column.key
            rules = _validated(ws, c.coordinate)
            assert rules and rules[0].type == "decimal" and rules[0].operator == "greaterThanOrEqual", column.key
        elif column.role == "derived" and not column.key.startswith("pct"):
            assert c.protection.locked is not False, column.key
            assert isinstance(c.value, str) and c.value.startswith("="), column.key
        elif column.role == "label":
            assert c.protection.locked is False, column.key  # ref, item, unit are typed by the officer
        else:
            assert c.protection.locked is not False and c.value is None, column.key  # % only on components
    assert ws.cell(row, cols["y1_subtotal"]).value == f"=D{row}*E{row}"
    assert ws.cell(row, cols["counterpart_subtotal"]).value == f"=O{row}+P{row}"


def test_component_and_foot_rows_are_formulas(template):
    ws = template[layout.BUDGET_SHEET]
    cols = layout.column_index(EXAMPLE_SHAPE)
    header = layout.BUDGET_FIRST_ROW
    assert ws.cell(header, cols["total"]).value == f"=SUM(M{header + 1}:M{header + 12})"
    assert ws.cell(header, cols["pct_donor"]).value.startswith("=IFERROR(N6/M$")
    labels = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    total = labels[layout.LABEL_TOTAL]
    subtotal = labels[layout.LABEL_SUBTOTAL]
    assert ws.cell(total, cols["total"]).value == f"=M{subtotal}"  # the blank template has no line outside it
    assert ws.cell(labels[layout.LABEL_CONTINGENCIES], cols["donor"]).protection.locked is False


def test_formats_panes_and_print_setup(template):
    ws = template[layout.BUDGET_SHEET]
    assert ws.freeze_panes == "D6"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows == "$4:$5"
    assert ws.cell(7, layout.column_index(EXAMPLE_SHAPE)["y1_unit_cost"]).number_format == layout.MONEY_FORMAT
    assert ws.cell(6, layout.column_index(EXAMPLE_SHAPE)["pct_total"]).number_format == "0%"
    project = template[layout.PROJECT_SHEET]
    labels = {project.cell(r, 1).value: r for r in range(1, project.max_row + 1)}
    years = project.cell(labels["Number of budget years"], 2)
    assert years.value == 3 and years.protection.locked is False
    rule = _validated(project, years.coordinate)[0]
    assert (rule.type, rule.formula1, rule.formula2) == ("whole", "1", "5")
    assert project.cell(labels["Template version"], 2).protection.locked is not False


@pytest.mark.parametrize("years", [1, 2, 4, 5])
def test_number_of_years_shapes_the_budget(tmp_path, years):
    path = tmp_path / f"y{years}.xlsx"
    write_budget(blank_spec(replace(blank_spec().structure, years=years), 3), path, FORMULAS)
    ws = openpyxl.load_workbook(path)[layout.BUDGET_SHEET]
    headers = [ws.cell(layout.BUDGET_GROUP_ROW, c).value for c in range(1, ws.max_column + 1)]
    assert [h for h in headers if h and h.startswith("Year")] == [f"Year {y}" for y in range(1, years + 1)]
    assert ws.max_column == 3 + 3 * years + 8
    budget = load_budget(path)
    assert budget.years == years and f"y{years}_subtotal" in budget.lines.columns
