"""The add-in on the record of execution and with the logframe next to the budget (desktop Excel).

The stand-in for Excel is the harness of tests/test_addin.py (xlwings' remote engine, actions
replayed with openpyxl)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
from addin_harness import actions, fills, open_book, replay, written

from addin.commands import validate_book
from addin.marks import ERROR_FILL, FINDINGS_HEADER_ROW, FINDINGS_SHEET, WARNING_FILL
from workbook_templates import logframe_layout as lf
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

WHEN = dt.datetime(2026, 11, 21, 9, 30)


def test_validate_marks_execution_cells_and_lists_the_logframe_findings(built, tmp_path):
    budget = tmp_path / "budget.xlsx"
    shutil.copy(built / "example.xlsx", budget)
    write_logframe(example_logframe_spec("tc-03-02-01-0"), tmp_path / "budget_logframe.xlsx")
    live = open_book(budget, name=str(budget))  # a saved workbook: its full name is its path
    outcome = validate_book(live, "en", WHEN, fills(budget))
    assert outcome.ok and outcome.message == ""
    codes = {(f.code, f.sheet, f.cell) for f in outcome.report.findings}
    status, milestone = lf.cell(lf.PROGRESS_SHEET, "status", 122), lf.cell(lf.LOGFRAME_SHEET, "milestone_month", 6)
    assert {("EX01", "Execution", "F18"), ("EX04", "Execution", "G87"), ("LF04", "Progress", status),
            ("LF02", "Logframe", milestone)} <= codes
    marked = replay(budget, actions(live), tmp_path / "marked.xlsx")
    after = fills(marked)
    assert after[("Execution", "F18")] == ERROR_FILL and after[("Execution", "G87")] == WARNING_FILL
    assert "Progress" not in openpyxl.load_workbook(marked).sheetnames  # nothing written for the other book
    rows = written(live, FINDINGS_SHEET)[FINDINGS_HEADER_ROW:]
    links = [r[2] for r in rows if r[0] == "LF04"]
    target = f"budget_logframe.xlsx#'Progress'!{status}"
    assert links == [f'=HYPERLINK("{target}","budget_logframe.xlsx: Progress!{status}")']


def test_an_unreadable_logframe_is_said_and_the_budget_still_checked(built, tmp_path):
    budget = tmp_path / "budget.xlsx"
    shutil.copy(built / "example.xlsx", budget)
    (tmp_path / "logframe.xlsx").write_text("not a workbook")
    live = open_book(budget, name=str(budget))
    outcome = validate_book(live, "es", WHEN, fills(budget))
    assert outcome.ok and "marco lógico" in outcome.message and "logframe.xlsx" in outcome.message
    assert any(f.code == "EX01" for f in outcome.report.findings)
    assert not any(f.code.startswith("LF") for f in outcome.report.findings)


def test_without_a_saved_path_no_logframe_is_looked_for(built):
    live = open_book(built / "example.xlsx")  # a name only, as in Excel on the web
    outcome = validate_book(live, "en", WHEN, fills(built / "example.xlsx"))
    assert outcome.ok and not any(f.code.startswith("LF") for f in outcome.report.findings)
