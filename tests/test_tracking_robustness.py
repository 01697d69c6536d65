"""Bad data in the execution and logframe sheets: the readers record it, the rules report it, and
nothing raises (a traceback is never what the officer sees)."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil

import openpyxl
import pytest

from compiler.validate import validate_file
from workbook_templates import layout
from workbook_templates import logframe_layout as lf
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

JUNK = ["abc", "12.960,00", True, dt.datetime(2005, 3, 1), -5000, 1e15, "=1/0", "=Z999+1", " ", "7OO", 0.0001,
        "Semester 3", "=SUM(C6:C7)"]


@pytest.fixture
def logframe_copy(tmp_path_factory, tmp_path):
    base = tmp_path_factory.getbasetemp() / "robust_logframe.xlsx"
    if not base.exists():
        write_logframe(example_logframe_spec("tc-03-02-01-0"), base)
    target = tmp_path / "logframe.xlsx"
    shutil.copy(base, target)
    return target


def scribble(path, sheets: dict[str, tuple[int, int, int, int]], step: int = 3) -> int:
    """Junk into every `step`-th cell of each sheet's block (first row, last row, first col, last col)."""
    book = openpyxl.load_workbook(path)
    junk = itertools.cycle(JUNK)
    written = 0
    for sheet, (r0, r1, c0, c1) in sheets.items():
        ws = book[sheet]
        for r in range(r0, r1 + 1, step):
            for c in range(c0, c1 + 1):
                ws.cell(r, c).value = next(junk)
                written += 1
    book.save(path)
    return written


def test_junk_everywhere_is_reported_not_raised(example_copy, logframe_copy):
    scribble(example_copy, {layout.EXECUTION_SHEET: (6, 90, 1, 26), layout.DISBURSEMENTS_SHEET: (5, 12, 1, 8)})
    scribble(logframe_copy, {lf.LOGFRAME_SHEET: (5, 40, 1, 12), lf.ACTIVITIES_SHEET: (5, 30, 1, 5),
                             lf.PROGRESS_SHEET: (5, 360, 1, 8), lf.NARRATIVE_SHEET: (5, 12, 1, 6)})
    for lang in ("en", "es"):
        report = validate_file(example_copy, logframe_copy, lang=lang)
        codes = {f.code for f in report.findings}
        assert {"EX08", "LF06"} <= codes
        assert all(f.message and f.cell is not None for f in report.findings)


def test_empty_execution_and_progress_give_no_findings(built, tmp_path):
    from workbook_templates.logframe_spec import blank_logframe_spec

    write_logframe(blank_logframe_spec(), tmp_path / "blank.xlsx")
    report = validate_file(built / "template.xlsx", tmp_path / "blank.xlsx", groups=["execution", "logframe"])
    assert report.findings == []


def test_negative_and_huge_amounts_do_not_break_pari_passu(example_copy):
    book = openpyxl.load_workbook(example_copy)
    ws = book[layout.EXECUTION_SHEET]
    ws["C8"] = -1e9  # a refund typed with the wrong sign, in semester 1 MIF of line 1.01
    book.save(example_copy)
    report = validate_file(example_copy, groups=["execution"])
    assert {f.code for f in report.findings} <= {"EX01", "EX02", "EX04"}
    assert all("-" not in f.message.split("owes")[-1] for f in report.findings if f.code == "EX04")
