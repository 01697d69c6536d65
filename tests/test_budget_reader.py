"""Reading budget workbooks into the model: the example, the template, files without saved results,
and workbooks whose structure is broken (each refused with the sheet and cell named)."""

from __future__ import annotations

import math

import openpyxl
import pytest
from conftest import needs_libreoffice

from compiler.libreoffice import convert
from compiler.problems import WorkbookError
from compiler.read_budget import load_budget
from workbook_templates import layout


def test_example_model_has_every_line_under_its_component(built):
    budget = load_budget(built / "example.xlsx")
    assert budget.years == 3
    lines = budget.cost_lines
    assert len(lines) == 51
    per_component = lines.groupby("component").size().to_dict()
    assert per_component == {"1": 22, "2": 3, "3": 3, "4": 10, "5": 4, "6": 7, "7": 2}
    managers = lines[lines["ref"] == "2.01"].iloc[0]
    assert managers["item"] == "Network managers (20)"
    assert managers["line_group"].startswith("Hiring of network managers")
    assert (managers["y2_unit_cost"], managers["y2_qty"], managers["y2_subtotal"]) == (1362, 120, 163_400)
    assert math.isnan(managers["counterpart_cash"])
    assert list(budget.components["component"]) == ["1", "2", "3", "4", "5", "6", "7"]
    assert budget.components.set_index("component").loc["7", "total"] == 49_280
    assert budget.foot["subtotal"]["total"] == 1_570_000
    assert budget.foot["total"]["donor"] == 970_000
    kinds = budget.lines["kind"].value_counts().to_dict()
    assert kinds == {"line": 51, layout.CONTINGENCIES: 1, layout.OUTSIDE: 1}
    assert budget.summary.set_index("key").loc["D", "total"] == 21_000
    assert not budget.odd_cells and not budget.stray_cells and not budget.blank_rows
    assert budget.computed_cells == 0


def test_example_project_sheet(built):
    project = load_budget(built / "example.xlsx").project
    assert project.get("project_number") == "TC-03-02-01-0"
    assert project.get("donor_share") == pytest.approx(0.60)
    assert project.get("in_kind_cap") == pytest.approx(0.25)
    assert project.get("tolerance") == pytest.approx(0.5)
    assert project.get("derived_cells") == layout.DERIVED_TYPED
    assert project.first_disbursement_date.isoformat() == "2004-07-01"
    assert project.funding_of("5") == "counterpart"
    assert project.funding_of("mif_cluster_monitoring") == "donor"
    assert project.structure.donor == "MIF" and project.structure.counterpart == "PROMPYME"
    assert [c.kind for c in project.structure.components] == ["technical"] * 4 + ["executing_unit",
                                                                                  "administration", "evaluation"]
    stated = {s.total for s in project.stated}
    assert stated == {1_561_720, 1_600_000}
    assert project.cells["years"].startswith("B")


def test_blank_template_reads_as_empty_budget(built):
    budget = load_budget(built / "template.xlsx")
    assert budget.cost_lines.empty  # unused slots are not lines
    assert len(budget.components) == 7
    assert budget.foot["total"]["total"] == 0
    assert budget.formula_cells and len(budget.formula_cells[layout.BUDGET_SHEET]) > 500


def test_formulas_without_saved_results_are_computed_and_counted(built, tmp_path):
    # openpyxl keeps formulas but saves no results: the file a script would leave behind.
    book = openpyxl.load_workbook(built / "example_formulas.xlsx")
    book.save(tmp_path / "scripted.xlsx")
    budget = load_budget(tmp_path / "scripted.xlsx")
    assert budget.computed_cells > 400
    managers = budget.cost_lines.set_index("ref").loc["2.01"]
    assert managers["y2_subtotal"] == pytest.approx(163_440)
    assert budget.foot["subtotal"]["total"] == pytest.approx(1_570_040)
    assert budget.summary.set_index("key").loc["II", "total"] == pytest.approx(585_240)


def test_unknown_function_without_saved_result_is_refused_by_cell(built, tmp_path):
    book = openpyxl.load_workbook(built / "example_formulas.xlsx")
    book[layout.BUDGET_SHEET]["F8"] = "=VLOOKUP(D8,A1:B2,2,FALSE)"
    book.save(tmp_path / "odd.xlsx")
    expected = r"Budget!F8: function VLOOKUP is not part.*open the file in Excel or LibreOffice and save it"
    with pytest.raises(WorkbookError, match=expected):
        load_budget(tmp_path / "odd.xlsx")


def _edit(path, edit):
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda b: b.remove(b[layout.SUMMARY_SHEET]), r"no sheet named 'Summary'"),
    (lambda b: b[layout.BUDGET_SHEET].cell(5, 5, "Quantity"), r"Budget!E5 should be the column header 'Qty.'"),
    (lambda b: b[layout.BUDGET_SHEET].delete_cols(5), r"Budget!E5 should be the column header 'Qty.'"),
    (lambda b: b[layout.PROJECT_SHEET].cell(12, 2, 2), r"3 year column groups in row 4 but the Project sheet says 2"),
    (lambda b: b[layout.PROJECT_SHEET].cell(12, 2, "three"), r"Project!B12: the number of budget years"),
    (lambda b: b[layout.PROJECT_SHEET].cell(12, 1, "Years"), r"no row labelled 'Number of budget years'"),
    (lambda b: b[layout.BUDGET_SHEET].cell(88, 2, "Grand total"), r"no row labelled 'TOTAL'"),
])
def test_broken_structure_is_refused_naming_sheet_and_cell(example_copy, edit, message):
    _edit(example_copy, edit)
    with pytest.raises(WorkbookError, match=message):
        load_budget(example_copy)


def test_data_problems_are_recorded_not_raised(example_copy):
    def edit(book):
        ws = book[layout.BUDGET_SHEET]
        ws["E8"] = "22 months"        # text in a quantity (line 1.01)
        ws["N9"] = "#REF!"            # typed error text (line 1.02)
        ws["D90"] = 5000              # a figure below TOTAL (row 88)
        ws["W10"] = 12                # a figure right of the table
    _edit(example_copy, edit)
    budget = load_budget(example_copy)
    odd = {(o.address, o.value) for o in budget.odd_cells}
    assert ("E8", "22 months") in odd
    assert any(o.address == "N9" and str(o.value) == "#REF!" for o in budget.odd_cells)
    stray = {s.address for s in budget.stray_cells}
    assert {"W10", "D90"} <= stray
    line = budget.cost_lines.set_index("ref").loc["1.01"]
    assert math.isnan(line["y1_qty"])


@needs_libreoffice
def test_real_error_cells_survive_the_fast_reader(built, tmp_path):
    """python-calamine reads error cells as empty text; mifkit's scan puts them back."""
    book = openpyxl.load_workbook(built / "example_formulas.xlsx")
    book[layout.BUDGET_SHEET]["F7"] = "=D7/0"
    book.save(tmp_path / "errors.xlsx")
    recalculated = convert([tmp_path / "errors.xlsx"], "xlsx", tmp_path / "lo")[0]
    budget = load_budget(recalculated)
    assert any(o.address == "F7" and str(o.value) == "#DIV/0!" for o in budget.odd_cells)
    assert budget.computed_cells == 0


def test_inserted_rows_blank_rows_and_headings(example_copy):
    def edit(book):
        ws = book[layout.BUDGET_SHEET]
        ws.insert_rows(10)  # a blank row inside component 1
        ws.insert_rows(12)
        ws["B12"] = "New heading"
        ws.insert_rows(13)
        ws["A13"], ws["B13"], ws["C13"], ws["D13"], ws["E13"] = "1.30", "New line", "day", 10, 3
    _edit(example_copy, edit)
    budget = load_budget(example_copy)
    assert (10, "1") in budget.blank_rows
    assert (12, "1", "New heading") in budget.groups
    new = budget.cost_lines.set_index("ref").loc["1.30"]
    assert new["line_group"] == "New heading" and new["y1_qty"] == 3
