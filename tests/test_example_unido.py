"""The US/GLO/04/158 example against the text of UNIDO's evaluation, line by line.

The evaluation's tables (tests/data/unido_evaluation_budget.txt, verbatim) are parsed here; the
example workbook, written by `mifkit new budget --example us-glo-04-158`, is read back with openpyxl
(not with mifkit's reader).  Every budget line of Table 1 must be on the Budget sheet with its original
budget, in revision 1 of the Revisions sheet with its total allotment, and on the Execution sheet with
its expenditure; no line may be missing or added.  Then what mifkit makes of it: the findings are the
document's own inconsistencies, and the report's table by line prints Table 1's figures and, rounded
as Table 1 rounds them, its percentages.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import subprocess
import sys
from importlib import resources

import openpyxl
import pytest
from conftest import DATA

from workbook_templates import layout
from workbook_templates.spec import example_structure

NAME = "us-glo-04-158"
SHAPE = example_structure(NAME)
ROW = re.compile(r"^(\d\d-00)\t([^\t]+)\t(.*)$")
GROUP = re.compile(r"^(\d9-99) (\w+)\t(.*)$")


def amount(text: str) -> float:
    return float(text.replace(",", ""))


def section(title: str, end: str) -> list[str]:
    lines = (DATA / "unido_evaluation_budget.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    stop = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(end))
    return lines[start:stop]


def table_1() -> dict[str, dict]:
    """Ref. -> description, original, allotment, % of original (text), expenditure, % spent (text)."""
    rows = {}
    for line in section("Table 1:", "Source:"):
        if m := ROW.match(line):
            original, allotment, pct_original, spent, pct_spent = m.group(3).split("\t")
            rows[m.group(1)] = {"item": m.group(2), "original": amount(original), "allotment": amount(allotment),
                                "pct_original": pct_original, "spent": amount(spent), "pct_spent": pct_spent}
    return rows


def table_1_totals() -> list[str]:
    last = [line for line in section("Table 1:", "Source:") if line.startswith("\t\t")][0]
    return last.split()


def table_2() -> dict[str, dict]:
    rows = {}
    for line in section("Table 2:", "Source:"):
        if m := ROW.match(line):
            spent, pct = m.group(3).split("\t")
            rows[m.group(1)] = {"item": m.group(2), "spent": amount(spent), "pct": pct}
        elif line.startswith("Total"):
            rows["total"] = {"spent": amount(line.split("\t")[-2]), "pct": line.split("\t")[-1]}
    return rows


def budget_information() -> dict[str, dict]:
    """Annex I's table by line group (19-99 Personnel …): original, allotment, expenditures (May 2008)."""
    rows = {}
    for line in section("Budget Information", "Source and date"):
        if m := GROUP.match(line):
            original, allotment, spent, _pct = m.group(3).split("\t")
            rows[m.group(1)] = {"name": m.group(2), "original": amount(original), "allotment": amount(allotment),
                                "spent": amount(spent)}
    return rows


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("unido") / "us_glo.xlsx"
    done = subprocess.run([sys.executable, "-m", "compiler.cli", "new", "budget", str(path), "--example", NAME],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def book(workbook):
    return openpyxl.load_workbook(workbook, data_only=True)


def budget_rows(book) -> dict[str, dict]:
    ws = book[layout.BUDGET_SHEET]
    cols = layout.column_index(SHAPE)
    out = {}
    for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1):
        ref = ws.cell(r, 1).value
        if isinstance(ref, str) and ROW.match(f"{ref}\tx\t"):
            out[ref] = {key: ws.cell(r, cols[key]).value for key in ("item", "unit", "y1_unit_cost", "y1_qty",
                                                                     "y1_subtotal", "total", "donor")}
    return out


def test_the_tables_parse_as_printed():
    assert len(table_1()) == 10 and len(table_2()) == 5 and len(budget_information()) == 5
    assert table_1_totals() == ["800,000", "800,004", "100%", "745,000", "93%"]


def test_every_line_of_table_1_is_on_the_budget_sheet_with_its_original_budget(book):
    printed, lines = table_1(), budget_rows(book)
    assert list(lines) == list(printed), "lines missing, added or out of order"
    for ref, row in printed.items():
        line = lines[ref]
        assert line["item"] == row["item"], ref
        assert line["y1_subtotal"] == line["total"] == line["donor"] == row["original"], ref
        assert line["y1_unit_cost"] is None and line["y1_qty"] is None and not line["unit"], \
            f"{ref}: amounts only, no unit cost × quantity"


def test_component_rows_are_the_budget_information_groups(book):
    """Each group's original budget as annex I prints it; the lines under it are Table 1's lines whose
    budget line number starts with the group's digit (11-00 … 17-00 under 19-99 …)."""
    groups, printed = budget_information(), table_1()
    ws = book[layout.BUDGET_SHEET]
    cols = layout.column_index(SHAPE)
    components = {str(ws.cell(r, 1).value): ws.cell(r, cols["total"]).value
                  for r in range(layout.BUDGET_FIRST_ROW, ws.max_row + 1)
                  if str(ws.cell(r, 1).value) in SHAPE.component_keys}
    assert len(components) == len(groups)
    for number, (code, group) in enumerate(groups.items(), start=1):
        assert components[str(number)] == group["original"], code
        assert SHAPE.component(str(number)).name.startswith(group["name"]), code
        under = [ref for ref in printed if ref[0] == code[0]]
        assert sum(printed[ref]["original"] for ref in under) == group["original"], code


def test_revision_1_is_the_total_allotment_line_by_line(book):
    ws = book[layout.REVISIONS_SHEET]
    titles = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    register = titles[layout.REVISIONS_REGISTER_TITLE] + 2
    assert ws.cell(register, 1).value == 1
    assert ws.cell(register, 2).value.date() == dt.date(2008, 10, 31)  # "as of October 2008"
    assert ws.cell(register + 1, 1).value is None, "one revision only"
    header = titles[layout.REVISIONS_LINES_TITLE] + 1
    columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    donor = SHAPE.funder_name("donor")
    revised = {ws.cell(r, columns["Ref."]).value: r for r in range(header + 1, ws.max_row + 1)
               if ws.cell(r, columns["Revision"]).value == 1}
    printed = table_1()
    assert list(revised) == list(printed)
    for ref, row in printed.items():
        r = revised[ref]
        figures = [ws.cell(r, columns[h]).value for h in ("Year 1", "TOTAL", donor)]
        assert figures == [row["allotment"]] * 3, ref
        assert ws.cell(r, columns["Item"]).value == row["item"], ref


def test_execution_is_the_expenditure_to_october_2008(book):
    """Entered in the semester holding October 2008 (semester 8 from January 2005), Government of Italy."""
    ws = book[layout.EXECUTION_SHEET]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(layout.EXECUTION_GROUP_ROW, c).value == "Semester 8")
    assert ws.cell(layout.EXECUTION_DATES_ROW, col).value == "Jul–Dec 2008"
    spent = {ws.cell(r, 1).value: ws.cell(r, col).value for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1)
             if isinstance(ws.cell(r, 1).value, str) and "-" in ws.cell(r, 1).value}
    printed = table_1()
    assert spent == {ref: row["spent"] for ref, row in printed.items()}
    others = [ws.cell(r, c).value for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1)
              for c in range(3, col) if isinstance(ws.cell(r, c).value, int | float)]
    assert not any(others), "the evaluation prints no split by semester"


def test_peru_component_is_table_2_and_within_the_project_spending():
    path = resources.files("workbook_templates").joinpath("examples/us_glo_04_158/peru_component.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        kept = {rec["ref"]: rec for rec in csv.DictReader(fh)}
    printed, project = table_2(), table_1()
    assert list(kept) == list(printed)
    for ref, row in printed.items():
        assert amount(kept[ref]["expenditure"]) == row["spent"] and kept[ref]["pct_of_total"] == row["pct"], ref
        if ref != "total":
            assert row["item"] == kept[ref]["item"]
            assert row["spent"] <= project[ref]["spent"], f"{ref}: Peru spent more than the whole project"
            assert f"{round(100 * row['spent'] / printed['total']['spent'])}%" == row["pct"], ref
    assert sum(r["spent"] for k, r in printed.items() if k != "total") == printed["total"]["spent"]


def test_validate_reports_the_documents_own_inconsistencies(workbook):
    """17-00: expenditure 204,280 against an allotment of 204,071 (Table 1 prints "100%"); the allotment
    adds up to 800,004, four euros more than the 800,000 the Government of Italy provided."""
    from compiler.validate import validate_file

    report = validate_file(workbook)
    found = {(f.code, f.sheet): f for f in report.findings}
    assert set(found) == {("EX01", layout.EXECUTION_SHEET), ("RV06", layout.REVISIONS_SHEET)}, report.human()
    over = found[("EX01", layout.EXECUTION_SHEET)]
    assert (over.expected, over.actual) == (204_071, 204_280) and "17-00" in over.message
    assert "revision 1" in over.message
    above = found[("RV06", layout.REVISIONS_SHEET)]
    assert (above.expected, above.actual) == (800_000, 800_004)


def test_the_report_table_by_line_reads_like_table_1(workbook):
    """Original, allotment and expenditure as printed; the percentages, rounded to whole percent as
    Table 1 prints them, are Table 1's ("not planned" where the original is 0)."""
    from compiler.report.context import ReportInputs, build_context
    from compiler.report.inputs import load_inputs

    loaded = load_inputs(workbook, None, "latest")
    period = loaded.period("semiannual")
    context = build_context(ReportInputs(loaded.budget, None, loaded.validate("en"), period, loaded.semesters,
                                         "semiannual", "en", dt.date(2008, 11, 11), draft=True))
    rows = {row["ref"]: row for row in context["revision_lines"]}
    printed = table_1()
    assert list(rows) == list(printed)

    def whole_pct(text: str) -> str:
        return text if text == "not planned" else f"{round(float(text.rstrip('%').replace(',', '')))}%"

    for ref, row in printed.items():
        shown = rows[ref]
        assert [amount(shown[k]) for k in ("original", "current", "executed")] == \
            [row["original"], row["allotment"], row["spent"]], ref
        assert whole_pct(shown["pct_original"]) == row["pct_original"], ref
        assert whole_pct(shown["pct_current"]) == row["pct_spent"], ref
    total = context["revision_total"]
    totals = table_1_totals()
    assert [total["original"], total["current"], total["executed"]] == [totals[0], totals[1], totals[3]]
    assert [whole_pct(total["pct_original"]), whole_pct(total["pct_current"])] == [totals[2], totals[4]]
    assert [r["number"] for r in context["revisions"]] == ["1"]
    labels = [f["label"] for f in context["key_figures"]]
    assert not any("ounterpart" in label for label in labels), "no counterpart: pari passu does not apply"
    assert "Budget: as revised by revision 1 of 31 October 2008." in context["financial_basis"]
