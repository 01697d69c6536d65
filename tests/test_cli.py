"""The mifkit command as a user runs it: exit codes, one-line messages, no tracebacks, outputs
that never overwrite an input or an existing file, and the cost-line CSV."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import openpyxl
import pytest

from workbook_templates import layout


def mifkit(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False)


def test_new_budget_blank_and_example(tmp_path):
    done = mifkit("new", "budget", tmp_path / "t.xlsx")
    assert done.returncode == 0, done.stderr
    done = mifkit("new", "budget", tmp_path / "e.xlsx", "--example", "tc-03-02-01-0")
    assert done.returncode == 0 and "e.xlsx" in done.stdout
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    assert book.sheetnames == list(layout.READ_SHEETS)
    assert not list(tmp_path.glob(".*tmp*")), "temporary files left behind"


def test_new_budget_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"keep me")
    done = mifkit("new", "budget", target)
    assert done.returncode == 2
    assert "already exists; add --force" in done.stderr and "Traceback" not in done.stderr
    assert target.read_bytes() == b"keep me"
    assert mifkit("new", "budget", target, "--force").returncode == 0
    assert target.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("args, message", [
    (["new", "budget", "x.xlsx", "--example", "nope"], "unknown example 'nope'"),
    (["new", "budget", "x.xlsx", "--years", "6"], "--years must be 1 to 5"),
    (["new", "budget", "missing-folder/x.xlsx"], "missing-folder: no such folder"),
    (["lines", "nothing.xlsx"], "nothing.xlsx: no such file"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_are_one_line_with_exit_2(tmp_path, args, message):
    done = mifkit(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_lines_csv_columns_and_plain_numbers(built):
    done = mifkit("lines", built / "example.xlsx", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["component", "line_group", "item", "unit",
                       "y1_unit_cost", "y1_qty", "y1_subtotal", "y2_unit_cost", "y2_qty", "y2_subtotal",
                       "y3_unit_cost", "y3_qty", "y3_subtotal",
                       "total", "donor", "counterpart_cash", "counterpart_in_kind", "counterpart_subtotal"]
    assert len(rows) == 1 + 51 + 2
    by_item = {(r[0], r[2]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    managers = by_item[("2", "Network managers (20)")]
    assert (managers["y2_unit_cost"], managers["y2_qty"], managers["y2_subtotal"]) == ("1362", "120", "163400")
    assert managers["counterpart_cash"] == "" and managers["y1_subtotal"] == "57000"
    assert {r[0] for r in rows[1:]} == {"1", "2", "3", "4", "5", "6", "7", "contingencies",
                                         "mif_cluster_monitoring"}
    assert by_item[("contingencies", "Contingencies")]["total"] == "28280"


def test_lines_reports_text_in_an_amount_cell(example_copy):
    book = openpyxl.load_workbook(example_copy)
    book[layout.BUDGET_SHEET]["D8"] = "2.400,00"
    book.save(example_copy)
    done = mifkit("lines", example_copy)
    assert done.returncode == 1
    assert "Budget!D8 holds '2.400,00', not a number (2400 if typed as a number); left empty" in done.stderr
    first = next(r for r in csv.DictReader(io.StringIO(done.stdout)) if r["item"] == "Cluster coordinators (2)")
    assert first["y1_unit_cost"] == ""


def test_lines_says_when_it_computed_formulas(built, tmp_path):
    book = openpyxl.load_workbook(built / "example_formulas.xlsx")
    book.save(tmp_path / "scripted.xlsx")
    done = mifkit("lines", tmp_path / "scripted.xlsx")
    assert done.returncode == 0
    assert "formula cells had no saved result" in done.stderr
    assert ",163440," in done.stdout


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (b"name,amount\nx,1\n", "not an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected or in the old .xls format"),
])
def test_files_that_are_not_workbooks(tmp_path, content, message):
    path = tmp_path / "budget.xlsx"
    path.write_bytes(content)
    done = mifkit("lines", path)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
