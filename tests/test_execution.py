"""The record of execution: the Execution and Disbursements sheets, their reader and the EX rules.

Every case edits a real copy of the example workbook with openpyxl (an independent writer) and
validates the file with mifkit; the expected cells are found on the sheet, not assumed.
"""

from __future__ import annotations

import openpyxl
import pytest
from conftest import needs_libreoffice

from compiler.problems import WorkbookError
from compiler.read_budget import load_budget
from compiler.validate import validate_file
from workbook_templates import layout
from workbook_templates.spec import example_structure

EXAMPLE_SHAPE = example_structure()

EX = layout.EXECUTION_SHEET
DI = layout.DISBURSEMENTS_SHEET


def row_of(book, ref: str) -> int:
    ws = book[EX]
    for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1):
        if str(ws.cell(r, 1).value or "") == ref:
            return r
    raise AssertionError(f"no Execution row with Ref. {ref}")


def at(book, ref: str, semester: int, source: str) -> str:
    return layout.execution_cell(EXAMPLE_SHAPE, semester, source, row_of(book, ref))


def total_row(book) -> int:
    ws = book[EX]
    return next(r for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1) if ws.cell(r, 2).value == "TOTAL")


def edited(path, edits) -> str:
    """Set cells of a workbook with openpyxl: edits(book) -> [(sheet, cell, value)]."""
    book = openpyxl.load_workbook(path)
    for sheet, cell, value in edits(book):
        book[sheet][cell] = value
    book.save(path)
    return path


def ex_findings(path, code: str | None = None):
    return [f for f in validate_file(path, groups=["execution"]).findings if code is None or f.code == code]


# ------------------------------------------------------------------------------------------------
# Building and reading
# ------------------------------------------------------------------------------------------------

def test_template_has_execution_sheets_with_seven_semesters(built):
    book = openpyxl.load_workbook(built / "template.xlsx")
    ws = book[EX]
    assert ws["C4"].value == "Semester 1" and ws.protection.sheet
    assert [ws.cell(5, c).value for c in (3, 4, 5)] == ["MIF", "Counterpart cash", "Counterpart in kind"]
    semesters = [ws.cell(4, c).value for c in range(1, ws.max_column + 1) if str(ws.cell(4, c).value or "")
                 .startswith("Semester")]
    assert semesters == [f"Semester {n}" for n in range(1, 8)]
    assert ws["C3"].value is None  # no first-disbursement date in the blank template, no dates
    assert ws.cell(row_of(book, "1.01"), 3).protection.locked is False
    assert book[DI]["A11"].value == 7 and book[DI]["C4"].value == "Requested from the donor"
    budget = load_budget(built / "template.xlsx")
    assert budget.execution.empty and len(budget.disbursements) == 7
    assert budget.execution_sheet.columns[(7, "counterpart_in_kind")] == 2 + 7 * 3


def test_example_execution_reads_back_as_written(built):
    book = openpyxl.load_workbook(built / "example.xlsx", data_only=True)
    assert book[EX]["C3"].value == "Jul–Dec 2004" and book[EX]["I3"].value == "Jul–Dec 2005"
    assert "Illustrative" in book[EX]["A2"].value and "Illustrative" in book[DI]["A2"].value
    budget = load_budget(built / "example.xlsx")
    frame = budget.execution
    assert set(frame["period"]) == {1, 2, 3}
    assert set(frame["source"]) <= set(EXAMPLE_SHAPE.sources)
    # every figure equals the cell it names (read independently with openpyxl)
    for rec in frame.itertuples():
        assert book[EX][rec.cell].value == pytest.approx(rec.amount)
        assert str(book[EX].cell(rec.row, 1).value) == rec.ref
    # the TOTAL row's saved values equal the model's sums
    tr = total_row(book)
    for semester in (1, 2, 3):
        for source in EXAMPLE_SHAPE.sources:
            expected = frame[(frame.period == semester) & (frame.source == source)]["amount"].sum()
            assert book[EX][layout.execution_cell(EXAMPLE_SHAPE, semester, source, tr)].value == pytest.approx(expected)
    d = budget.disbursements.set_index("period")
    assert d.loc[1, "advance"] == 97000 and d.loc[3, "donor_received"] == 150000
    assert book[DI]["G7"].value == pytest.approx(97000)  # advance outstanding, a formula


def test_a_budget_without_execution_sheets_still_reads_and_validates(example_copy):
    book = openpyxl.load_workbook(example_copy)
    del book[EX]
    del book[DI]
    book.save(example_copy)
    budget = load_budget(example_copy)
    assert budget.execution.empty and budget.disbursements.empty and budget.execution_sheet is None
    assert ex_findings(example_copy) == []


# ------------------------------------------------------------------------------------------------
# The example's illustrative problems, at the right cells
# ------------------------------------------------------------------------------------------------

def test_example_problems_are_found_where_they_are(built):
    book = openpyxl.load_workbook(built / "example.xlsx")
    found = {(f.code, f.cell, f.severity) for f in ex_findings(built / "example.xlsx")}
    overspent = at(book, "1.10", 2, "donor")
    pari_passu = layout.execution_cell(EXAMPLE_SHAPE, 2, "counterpart_cash", total_row(book))
    assert found == {("EX01", overspent, "error"), ("EX04", pari_passu, "warning")}


def test_pari_passu_owed_amount_brings_the_share_back(built):
    book = openpyxl.load_workbook(built / "example.xlsx", data_only=True)
    ws = book[EX]
    mif = cp = 0.0
    for r in range(layout.EXECUTION_FIRST_ROW, total_row(book)):
        if ws.cell(r, 2).value == "MIF cluster monitoring":
            continue
        for s in (1, 2):
            mif += ws[layout.execution_cell(EXAMPLE_SHAPE, s, "donor", r)].value or 0
            cp += sum(ws[layout.execution_cell(EXAMPLE_SHAPE, s, k, r)].value or 0 for k in ("counterpart_cash",
                                                                            "counterpart_in_kind"))
    finding = ex_findings(built / "example.xlsx", "EX04")[0]
    owed = (0.4 * (mif + cp) - cp) / 0.6
    assert (cp + owed) / (mif + cp + owed) == pytest.approx(0.4)
    assert f"owes {owed:,.2f}" in finding.message
    assert finding.actual == pytest.approx(cp / (mif + cp), abs=1e-6) and finding.expected == 0.4


# The rule cases, failing and passing, are data: tests/rule_cases/EX01.toml ... EX08.toml.
# ------------------------------------------------------------------------------------------------

def test_messages_in_spanish(built):
    report = validate_file(built / "example.xlsx", groups=["execution"], lang="es")
    assert any("Semestre 2: ene–jun 2005" in f.message and "contrapartida debe" in f.message
               for f in report.findings)


# ------------------------------------------------------------------------------------------------
# Structure: a moved header stops the reading, naming sheet and cell
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sheet, cell, value, message", [
    (EX, "F5", "Fomin", r"Execution!F5 should be the column header 'MIF' of semester 2"),
    (EX, "B5", "Concepto", r"Execution!B5 should be the column header 'Item'"),
    (DI, "D4", "Received", r"Disbursements!D4 should be the column header 'Received from the donor'"),
])
def test_moved_headers_are_workbook_errors(example_copy, sheet, cell, value, message):
    edited(example_copy, lambda b: [(sheet, cell, value)])
    with pytest.raises(WorkbookError, match=message) as exc:
        load_budget(example_copy)
    assert exc.value.sheet == sheet


def test_no_semester_columns_is_a_workbook_error(example_copy):
    book = openpyxl.load_workbook(example_copy)
    ws = book[EX]
    for c in range(1, ws.max_column + 1):
        if str(ws.cell(4, c).value or "").startswith("Semester"):
            ws.cell(4, c).value = "Period"
    book.save(example_copy)
    with pytest.raises(WorkbookError, match="no semester columns"):
        load_budget(example_copy)


# ------------------------------------------------------------------------------------------------
# compiler/tracking.py: the figures the reports print, the same the rules check
# ------------------------------------------------------------------------------------------------

def test_tracking_figures_of_the_example(built):
    from compiler import tracking

    budget = load_budget(built / "example.xlsx")
    names = [p.name() for p in tracking.periods_of(budget)]
    assert names[0] == "Semester 1: Jul–Dec 2004" and len(names) == 7
    status = tracking.pari_passu(budget)
    assert [s.period for s in status] == [1, 2, 3]
    second = status[1]
    assert (second.total, second.counterpart) == (331000, 119040)
    assert (second.counterpart + second.owed) / (second.total + second.owed) == pytest.approx(0.40)
    assert status[2].share > 0.40 and status[2].owed == 0
    table = tracking.executed(budget, upto=2)
    row = table[(table.ref == "1.10") & (table.source == "donor")].iloc[0]
    assert (row.budget, row.executed, row.balance) == (18000, 19800, -1800)
    assert table["executed"].sum() == pytest.approx(331000)  # nothing on monitoring or contingencies
    money = tracking.disbursed(budget)
    assert list(money["donor_received"]) == [120000, 260000, 410000]
    assert list(money["outstanding"]) == [97000, 97000, 97000]
    assert tracking.reporting_period(budget) == 3


# ------------------------------------------------------------------------------------------------
# LibreOffice, an independent engine, recalculates the execution sheets' formulas to the same values
# ------------------------------------------------------------------------------------------------

@needs_libreoffice
@pytest.mark.libreoffice
def test_libreoffice_recalculates_execution_formulas_the_same(built, tmp_path):
    from compiler.libreoffice import convert

    out = tmp_path / "recalc"
    (recalculated,) = convert([built / "example.xlsx"], "xlsx", out)
    ours = openpyxl.load_workbook(built / "example.xlsx", data_only=True)
    formulas = openpyxl.load_workbook(built / "example.xlsx")
    theirs = openpyxl.load_workbook(recalculated, data_only=True)
    checked = 0
    for sheet in (EX, DI):
        for row in formulas[sheet].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    mine, lo = ours[sheet][c.coordinate].value, theirs[sheet][c.coordinate].value
                    assert lo == pytest.approx(mine or 0, abs=0.5), f"{sheet}!{c.coordinate} {c.value}"
                    checked += 1
    assert checked >= 150  # executed-to-date per line and source, TOTAL rows, advances outstanding


def test_a_project_sheet_without_the_pari_passu_row_reads_with_the_default(example_copy):
    book = openpyxl.load_workbook(example_copy)
    ws = book[layout.PROJECT_SHEET]
    label = layout.PROJECT_FIELD_BY_KEY["pari_passu_tolerance"].label
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)
    ws.delete_rows(row)
    book.save(example_copy)
    budget = load_budget(example_copy)
    assert budget.project.get("pari_passu_tolerance") == 2.0
    assert {f.code for f in ex_findings(example_copy)} == {"EX01", "EX04"}
