"""Budget revisions on projects of several shapes: reallocations with and without the Bank's approval, a
revision changing the total, and execution measured against the budget in force in each period.

Each project is declared and written as an officer would (PROJECT.toml and LINES.csv through `mifkit new
budget`, tests/test_project_shapes.py's builders); the revision is then typed on the Revisions sheet and
the spending on the Execution sheet (openpyxl here; tests/test_revisions_uno.py does it in LibreOffice).
Every expected figure is computed in the test from the lines the project was made from, never read back
from mifkit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from test_project_shapes import SHAPES, lines_csv, project_toml, run, split

from compiler.read_budget import load_budget
from compiler.revisions import current_lines, funder_totals, lines_as_of, number_for_period, year_totals
from compiler.validate import validate_file
from workbook_templates import layout

SEMESTER_SHAPES = ["five technical components", "a third co-financier", "donor only", "one component"]


def given_lines(s: dict) -> dict[str, dict[str, float]]:
    """Ref. -> figures of each cost line, as LINES.csv gives them (Refs are given in order per component)."""
    out, count = {}, {}
    for rec in csv.DictReader(io.StringIO(lines_csv(s))):
        if not rec["component"].isdigit():
            continue
        n = count[rec["component"]] = count.get(rec["component"], 0) + 1
        out[f"{rec['component']}.{n:02d}"] = {k: float(v) for k, v in rec.items()
                                              if k not in ("component", "line_group", "item", "unit") and v}
    return out


def component_total(lines: dict[str, dict], number: int) -> float:
    return sum(f["total"] for ref, f in lines.items() if ref.split(".")[0] == str(number))


def revised(s: dict, figures: dict[str, float], change: float, year: int) -> dict[str, float]:
    """A line's whole revised figures: `change` added to year `year`, the funders at the agreed shares."""
    years = {f"y{y}_subtotal": figures.get(f"y{y}_subtotal", 0.0) for y in range(1, s["years"] + 1)}
    years[f"y{year}_subtotal"] += change
    total = sum(years.values())
    funders = {k: v for k, v in split(total, s).items() if k != "counterpart_subtotal"}
    return {**years, "total": total, **{("cofin_" + k if k == "coop" else k): v for k, v in funders.items()}}


def build(tmp_path, capsys, name: str):
    s = SHAPES[name]
    (tmp_path / "PROJECT.toml").write_text(project_toml(s), encoding="utf-8")
    (tmp_path / "LINES.csv").write_text(lines_csv(s), encoding="utf-8")
    path = tmp_path / "budget.xlsx"
    code, _, err = run(capsys, "new", "budget", path, "--project", tmp_path / "PROJECT.toml",
                       "--lines", tmp_path / "LINES.csv")
    assert code == 0, err
    return s, path


def record_revision(path, s, number: int, date: dt.date, approval: str, lines: dict[str, dict[str, float]]) -> str:
    """Type a revision on the Revisions sheet; returns the A1 address of its approval reference."""
    book = openpyxl.load_workbook(path)
    ws = book[layout.REVISIONS_SHEET]
    titles = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    row = next(r for r in range(titles[layout.REVISIONS_REGISTER_TITLE] + 2, ws.max_row)
               if ws.cell(r, 1).value is None)
    for col, value in enumerate((number, date, approval or None), start=1):
        ws.cell(row, col).value = value
    header = titles[layout.REVISIONS_LINES_TITLE] + 1
    columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    names = dict(layout.revision_line_columns(load_budget(path).structure))
    line_row = next(r for r in range(header + 1, ws.max_row + 2) if ws.cell(r, 1).value is None)
    for ref, figures in lines.items():
        ws.cell(line_row, columns["Revision"]).value = number
        ws.cell(line_row, columns["Ref."]).value = ref
        for key, value in figures.items():
            ws.cell(line_row, columns[names[key]]).value = value
        line_row += 1
    book.save(path)
    return f"C{row}"


def record_spending(path, ref: str, semester: int, amount: float) -> str:
    """Type the donor's spending of a line in a semester on the Execution sheet; returns the cell."""
    book = openpyxl.load_workbook(path)
    ws = book[layout.EXECUTION_SHEET]
    row = next(r for r in range(layout.EXECUTION_FIRST_ROW, ws.max_row + 1) if ws.cell(r, 1).value == ref)
    col = next(c for c in range(1, ws.max_column + 1)
               if ws.cell(layout.EXECUTION_GROUP_ROW, c).value == f"Semester {semester}")
    ws.cell(row, col).value = amount
    book.save(path)
    return f"{layout.column_letter(col)}{row}"


def findings(path, code: str) -> list:
    return [f for f in validate_file(path).findings if f.code == code]


@pytest.mark.parametrize("name", SEMESTER_SHAPES)
@pytest.mark.parametrize("share, approval, reported", [(0.15, "", True), (0.15, "CPE/0012/2025", False),
                                                      (0.05, "", False)],
                         ids=["15% without approval", "15% approved", "5% without approval"])
def test_a_reallocation_between_components(tmp_path, capsys, name, share, approval, reported):
    """`share` of component 1's budget moves from its first line to component 2's first line (or, in a
    project of one component, to its second line), keeping the total and the agreed shares."""
    s, path = build(tmp_path, capsys, name)
    lines = given_lines(s)
    source, target = "1.01", ("2.01" if "2.01" in lines else "1.02")
    moved = round(share * component_total(lines, 1), 2)
    cell = record_revision(path, s, 1, dt.date(2025, 3, 1), approval, {
        source: revised(s, lines[source], -moved, s["years"]), target: revised(s, lines[target], moved, 1)})
    found = findings(path, "RV01")
    components = {1, int(target.split(".")[0])}
    moved_beyond = [c for c in sorted(components) if len(components) == 2 and not approval
                    and moved > 0.10 * component_total(lines, c) + 0.5]  # the Project sheet's default 10%
    assert bool(moved_beyond) == (reported and target == "2.01")
    assert [(f.sheet, f.cell, f.expected) for f in found] == \
        [(layout.REVISIONS_SHEET, cell, component_total(lines, c)) for c in moved_beyond]
    assert not findings(path, "RV03") and not findings(path, "RV02") and not findings(path, "RV05")
    budget = load_budget(path)
    current = current_lines(budget)
    totals = dict(zip(budget.line_keys(), current["total"], strict=True))
    assert abs(totals[source] - (lines[source]["total"] - moved)) < 0.005
    assert abs(totals[target] - (lines[target]["total"] + moved)) < 0.005
    assert abs(current["total"].sum() - budget.lines["total"].sum()) < 0.005


@pytest.mark.parametrize("name", SEMESTER_SHAPES)
@pytest.mark.parametrize("approval", ["", "CPE/0013/2025"], ids=["without approval", "approved"])
def test_a_revision_changing_the_total(tmp_path, capsys, name, approval):
    s, path = build(tmp_path, capsys, name)
    lines = given_lines(s)
    added = 1_000.0
    cell = record_revision(path, s, 1, dt.date(2025, 3, 1), approval,
                           {"1.02": revised(s, lines["1.02"], added, 1)})
    original = sum(f["total"] for f in lines.values())
    if s["contingencies"]:
        original += float(next(r["total"] for r in csv.DictReader(io.StringIO(lines_csv(s)))
                               if r["component"] == "contingencies"))
    found = findings(path, "RV03")
    if approval:
        assert found == []
    else:
        assert [(f.cell, f.expected, f.actual) for f in found] == [(cell, original, original + added)]
    above = findings(path, "RV06")  # the donor gives more than its contribution, approved or not
    donor_added = added * s["shares"]["donor"]
    assert len(above) == 1 and abs(above[0].actual - above[0].expected - donor_added) < 0.01
    budget = load_budget(path)
    before, after = year_totals(budget.lines, s["years"]), year_totals(current_lines(budget), s["years"])
    assert abs(after[0] - before[0] - added) < 0.005 and after[1:] == before[1:]
    funded = funder_totals(current_lines(budget), budget.structure)
    approved = funder_totals(budget.lines, budget.structure)
    assert abs(funded["donor"] - approved["donor"] - donor_added) < 0.005
    assert abs(funded["total"] - approved["total"] - added) < 0.005


@pytest.mark.parametrize("name", ["five technical components", "a third co-financier", "donor only"])
def test_execution_against_the_budget_in_force_in_each_period(tmp_path, capsys, name):
    """Line 2.01's donor budget D.  Semester 2 spends D + 500: over the approved budget, unless a revision
    dated by the end of semester 2 raised it by 1,000.  A second revision, dated in semester 4, lowers it
    to D - 2,000: semester 3's spending (none) is measured against the first revision, semester 4's
    (100 more) against the second, so semester 4 is over and semester 2 is not."""
    s, path = build(tmp_path, capsys, name)
    lines = given_lines(s)
    donor = lines["2.01"]["donor"]
    spent_cell = record_spending(path, "2.01", 2, donor + 500)
    assert [(f.cell, f.expected) for f in findings(path, "EX01")] == [(spent_cell, donor)]

    later = tmp_path / "later.xlsx"
    later.write_bytes(path.read_bytes())
    raised = {"2.01": revised(s, lines["2.01"], 1000 / s["shares"]["donor"], 1)}
    record_revision(later, s, 1, dt.date(2026, 1, 15), "CPE/1", raised)  # semester 3: Jan-Jun 2026
    assert [(f.cell, f.expected) for f in findings(later, "EX01")] == [(spent_cell, donor)], \
        "a revision dated in semester 3 does not cover semester 2"

    record_revision(path, s, 1, dt.date(2025, 12, 31), "CPE/1", raised)  # semester 2 is Jul-Dec 2025
    assert findings(path, "EX01") == [], "the revision dated on semester 2's last day covers it"
    lowered = (donor - 2000) / s["shares"]["donor"]
    record_revision(path, s, 2, dt.date(2026, 8, 1), "CPE/2",
                    {"2.01": revised(s, lines["2.01"], lowered - lines["2.01"]["total"], 1)})
    over_cell = record_spending(path, "2.01", 4, 100)
    found = findings(path, "EX01")
    assert [(f.cell, round(f.expected, 2), round(f.actual, 2)) for f in found] == \
        [(over_cell, round(donor - 2000, 2), round(donor + 600, 2))]
    budget = load_budget(path)
    assert [number_for_period(budget, p) for p in (1, 2, 3, 4)] == [0, 1, 1, 2]
    in_force = dict(zip(budget.line_keys(), lines_as_of(budget, 1)["donor"], strict=True))
    assert abs(in_force["2.01"] - (donor + 1000)) < 0.005


def test_a_revisions_sheet_without_its_tables_is_refused_in_one_line(tmp_path, capsys):
    """A sheet named Revisions that is not the budget's (its titles gone) stops validation with the sheet
    named and what to do, exit code 2, no traceback."""
    _, path = build(tmp_path, capsys, "one component")
    book = openpyxl.load_workbook(path)
    ws = book[layout.REVISIONS_SHEET]
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == layout.REVISIONS_LINES_TITLE:
            ws.cell(r, 1).value = "My notes"
    book.save(path)
    code, out, err = run(capsys, "validate", path)
    assert code == 2 and "Revisions" in err and "Revised lines" in err and "rename the sheet" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
