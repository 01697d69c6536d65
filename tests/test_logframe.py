"""The logframe workbook: the example against Annex I, building and reading, and the LF rules."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from conftest import DATA, EXAMPLE

from compiler.problems import WorkbookError
from compiler.read_logframe import load_logframe, parse_month, parse_recurring
from compiler.rules.logframe import due_months
from compiler.validate import validate_file
from workbook_templates import logframe_layout as lf
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import blank_logframe_spec, example_logframe_spec

ANNEX = (DATA / "annex_logframe.txt").read_text(encoding="utf-8")
NUMBERED = [f"1.{i}" for i in range(1, 9)] + [f"2.{i}" for i in range(1, 5)] + ["3.1", "3.2"] + \
    [f"4.{i}" for i in range(1, 7)]


def squeeze(text: str) -> str:
    """Letters and digits only, lower case: line breaks, hyphenation and spacing of the extraction ignored."""
    return re.sub(r"[^0-9a-z]", "", text.lower().replace("’", "'"))


@pytest.fixture(scope="module")
def lf_built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("logframe")
    write_logframe(example_logframe_spec(EXAMPLE), folder / "logframe.xlsx")
    write_logframe(blank_logframe_spec(), folder / "logframe_template.xlsx")
    return folder


@pytest.fixture
def lf_copy(lf_built, tmp_path):
    target = tmp_path / "logframe.xlsx"
    shutil.copy(lf_built / "logframe.xlsx", target)
    return target


# ------------------------------------------------------------------------------------------------
# The example against the annex
# ------------------------------------------------------------------------------------------------

def test_every_numbered_indicator_of_the_annex_is_in_the_example(lf_built):
    logframe = load_logframe(lf_built / "logframe.xlsx")
    codes = list(logframe.indicators["code"])
    for code in NUMBERED:
        assert code in codes, code
        assert re.search(rf"(?m)^\s*{re.escape(code)} ", ANNEX), f"{code} not numbered in the annex"
    assert {"G.1", "P.1", "P.2", "P.3", "C1", "C3.a", "C3.b", "1.7b"} <= set(codes)
    assert len(codes) == len(set(codes)) == 28


def test_indicator_and_activity_texts_are_the_annex_words(lf_built):
    logframe = load_logframe(lf_built / "logframe.xlsx")
    annex = squeeze(ANNEX)
    for _, ind in logframe.indicators.iterrows():
        if ind["code"] in NUMBERED or ind["code"] in ("C1", "C3.a", "1.7b"):
            core = re.sub(r"^(By month \d+|Annually, beginning in year 2): ", "", ind["text"])
            assert squeeze(core) in annex, ind["code"]
    for _, act in logframe.activities.iterrows():
        assert squeeze(act["text"]) in annex, act["code"]
    assert list(logframe.activities.groupby("component").size()) == [7, 6, 3, 7]


def test_component_amounts_are_the_annex_figures(lf_built):
    logframe = load_logframe(lf_built / "logframe.xlsx")
    printed = re.findall(r"MIF: US\$([\d,]+)\s+PROMPYME: US\$([\d,]+)", ANNEX)
    assert len(printed) == 4
    figures = [(float(m.replace(",", "")), float(p.replace(",", ""))) for m, p in printed]
    assert list(zip(logframe.amounts["donor"], logframe.amounts["counterpart"], strict=True)) == figures
    assert list(logframe.amounts["donor_cell"]) == [lf.cell(lf.ACTIVITIES_SHEET, "donor", r) for r in (5, 13, 20, 24)]


@pytest.mark.parametrize("code, month, recurring_from", [
    ("1.1", 3, None), ("1.5", 6, None), ("C1", 12, None), ("2.2", 14, None), ("4.1", 8, None), ("4.3", 18, None),
    ("P.1", 30, None), ("1.8", 36, None), ("2.3", None, 2), ("3.1", None, 2), ("3.2", 36, None)])
def test_milestones_as_the_annex_states_them(lf_built, code, month, recurring_from):
    ind = load_logframe(lf_built / "logframe.xlsx").indicator(code)
    assert (None if ind["milestone_month"] != ind["milestone_month"] else ind["milestone_month"]) == month
    assert (None if ind["recurring_from_year"] != ind["recurring_from_year"] else ind["recurring_from_year"]) \
        == recurring_from


def test_due_months_and_parsing():
    assert parse_month("By month 14") == 14 and parse_month(6) == 6 and parse_month("soon") is None
    assert parse_recurring("Annually, beginning in year 2") == 2
    assert parse_recurring("Anualmente, a partir del año 3") == 3
    assert parse_recurring("every semester") is None
    import pandas as pd
    ind = pd.Series({"milestone_month": float("nan"), "recurring_from_year": 2.0})
    assert due_months(ind, 36) == [24, 36]


# ------------------------------------------------------------------------------------------------
# Building and reading
# ------------------------------------------------------------------------------------------------

def test_workbooks_have_their_sheets_protected_with_yellow_inputs(lf_built):
    for name in ("logframe.xlsx", "logframe_template.xlsx"):
        book = openpyxl.load_workbook(lf_built / name)
        assert book.sheetnames == [*lf.LOGFRAME_SHEETS, *lf.OPTIONAL_SHEETS]
        for sheet in book.sheetnames:
            ws = book[sheet]
            assert ws.protection.sheet and not ws.protection.password
            assert [ws.cell(lf.HEADER_ROW, i).value for i in range(1, len(lf.COLUMNS[sheet]) + 1)] == \
                [c.header for c in lf.COLUMNS[sheet]]
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        ws = book[lf.PROGRESS_SHEET]
        assert ws.cell(lf.FIRST_ROW, lf.col_number(lf.PROGRESS_SHEET, "actual")).protection.locked is False
        assert any("Met" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)
        ws = book[lf.RISKS_SHEET]
        assert ws.cell(lf.FIRST_ROW, lf.col_number(lf.RISKS_SHEET, "rating")).protection.locked is False
        assert any("High" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)


def test_example_progress_and_narrative_read_back(lf_built):
    logframe = load_logframe(lf_built / "logframe.xlsx")
    assert logframe.project_number == "TC-03-02-01-0" and logframe.latest_period == 3
    assert len(logframe.progress) == 7 * (28 + 23)
    row = logframe.progress[(logframe.progress["code"] == "2.2") & (logframe.progress["period"] == 3)].iloc[0]
    assert (row["actual_number"], row["status"]) == (14, "Behind")
    book = openpyxl.load_workbook(lf_built / "logframe.xlsx")
    assert book[lf.PROGRESS_SHEET][row["actual_cell"]].value == "14"
    assert "Illustrative" in book[lf.PROGRESS_SHEET]["A3"].value
    assert list(logframe.narrative[logframe.narrative["problems"] != ""]["period"]) == [1, 2, 3]
    assert logframe.odd == [] and logframe.unreadable == []


def test_blank_template_reads_as_empty(lf_built):
    logframe = load_logframe(lf_built / "logframe_template.xlsx")
    assert logframe.indicators.empty and logframe.progress.empty and logframe.latest_period is None
    assert list(logframe.amounts["component"]) == ["1", "2", "3", "4"]


@pytest.mark.parametrize("sheet, cell, message", [
    (lf.LOGFRAME_SHEET, "D4", r"Logframe!D4 should be the column header 'Code'"),
    (lf.PROGRESS_SHEET, "F4", r"Progress!F4 should be the column header 'Actual value'"),
    (lf.LOGFRAME_SHEET, "G4", r"Logframe!G4 should be the column header 'Unit'"),  # a Spanish header renamed
])
def test_moved_header_is_a_workbook_error(lf_copy, sheet, cell, message):
    book = openpyxl.load_workbook(lf_copy)
    book[sheet][cell] = "Something else"
    book.save(lf_copy)
    with pytest.raises(WorkbookError, match=message):
        load_logframe(lf_copy)


def test_missing_sheet_is_a_workbook_error(lf_copy):
    book = openpyxl.load_workbook(lf_copy)
    del book[lf.NARRATIVE_SHEET]
    book.save(lf_copy)
    with pytest.raises(WorkbookError, match="no sheet named 'Narrative'") as exc:
        load_logframe(lf_copy)
    assert exc.value.sheet == lf.NARRATIVE_SHEET


# ------------------------------------------------------------------------------------------------
# The rules
# ------------------------------------------------------------------------------------------------

def lf_findings(budget, logframe, code=None, lang="en"):
    report = validate_file(budget, logframe, groups=["logframe"], lang=lang)
    return [f for f in report.findings if code is None or f.code == code]


def progress_row(book, semester: int, code: str) -> int:
    ws = book[lf.PROGRESS_SHEET]
    for r in range(lf.FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, 1).value == semester and ws.cell(r, 2).value == code:
            return r
    raise AssertionError(f"no Progress row for {semester}, {code}")


def logframe_row(book, code: str) -> int:
    ws = book[lf.LOGFRAME_SHEET]
    return next(r for r in range(lf.FIRST_ROW, ws.max_row + 1) if ws.cell(r, 4).value == code)


def test_example_findings_are_the_planted_and_the_documents_own(built, lf_built):
    found = {(f.code, f.sheet, f.cell, f.severity) for f in lf_findings(built / "example.xlsx",
                                                                         lf_built / "logframe.xlsx")}
    book = openpyxl.load_workbook(lf_built / "logframe.xlsx")
    assert found == {
        # the annex gives the goal no date; 14 of 20 managers by month 14
        ("LF02", "Logframe", lf.cell(lf.LOGFRAME_SHEET, "milestone_month", logframe_row(book, "G.1")), "warning"),
        ("LF04", "Progress", lf.cell(lf.PROGRESS_SHEET, "status", progress_row(book, 3, "2.2")), "warning"),
    }
    assert all(f.source == str(lf_built / "logframe.xlsx") for f in lf_findings(built / "example.xlsx",
                                                                                 lf_built / "logframe.xlsx"))


# The rule cases, failing and passing, are data: tests/rule_cases/LF01.toml ... LF07.toml.


def test_messages_in_spanish(built, lf_built):
    messages = [f.message for f in lf_findings(built / "example.xlsx", lf_built / "logframe.xlsx", lang="es")]
    assert any("el hito del mes 14 ya pasó" in m and "Semestre 3: jul–dic 2005" in m for m in messages)


# ------------------------------------------------------------------------------------------------
# Command line
# ------------------------------------------------------------------------------------------------

def mifkit(*args):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "compiler.cli", *map(str, args)], capture_output=True, text=True,
                          check=False)


def test_cli_new_logframe_and_validate_both_files(built, tmp_path):
    done = mifkit("new", "logframe", tmp_path / "lf.xlsx", "--example", "tc-03-02-01-0")
    assert done.returncode == 0 and "lf.xlsx" in done.stdout
    assert mifkit("new", "logframe", tmp_path / "blank.xlsx").returncode == 0
    again = mifkit("new", "logframe", tmp_path / "blank.xlsx")
    assert again.returncode == 2 and "already exists" in again.stderr
    import json
    done = mifkit("validate", built / "example.xlsx", tmp_path / "lf.xlsx", "--format", "json")
    codes = {(f["code"], f["sheet"]) for f in json.loads(done.stdout)["findings"]}
    assert {("EX01", "Execution"), ("EX04", "Execution"), ("LF02", "Logframe"), ("LF04", "Progress"),
            ("AR01", "Budget")} <= codes
    assert done.returncode == 1
    human = mifkit("validate", built / "example.xlsx", tmp_path / "lf.xlsx", "--only", "logframe").stdout
    assert "lf.xlsx" in human.splitlines()[0] and f"Progress!{lf.cell(lf.PROGRESS_SHEET, 'status', 0)[0]}" in human


def test_cli_logframe_given_first_is_named(built, tmp_path):
    mifkit("new", "logframe", tmp_path / "lf.xlsx", "--example", "tc-03-02-01-0")
    done = mifkit("validate", tmp_path / "lf.xlsx", built / "example.xlsx")
    assert done.returncode == 2 and "give the budget workbook first" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_annotate_refuses_to_write_the_logframe(built, tmp_path):
    mifkit("new", "logframe", tmp_path / "lf.xlsx", "--example", "tc-03-02-01-0")
    before = (tmp_path / "lf.xlsx").read_bytes()
    done = mifkit("validate", built / "example.xlsx", tmp_path / "lf.xlsx", "--annotate", tmp_path / "lf.xlsx",
                  "--force")
    assert done.returncode == 2 and (tmp_path / "lf.xlsx").read_bytes() == before
