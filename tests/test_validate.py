"""mifkit validate on the annex example and on edited copies: the document's real slips at their
cells, the JSON contract, exit codes, messages in both languages, and the annotated copy."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest
from rules_support import expected_cells

from compiler.annotate import ERROR_FILL, WARNING_FILL
from compiler.validate import validate_file
from workbook_templates import layout

# The slips of the approved document TC-03-02-01-0, as the README lists them.
EXAMPLE_FINDINGS = [
    ("AR01", "2.01:y2_subtotal"),                      # 1,362 x 120 = 163,440, printed 163,400
    ("AR05", "component 7:total"),                     # component 7's row includes the contingencies
    ("AR05", "component 7:donor"),
    ("AR05", "component 7:counterpart_cash"),
    ("AR05", "component 7:counterpart_subtotal"),
    ("FP03", "SUB-TOTAL:counterpart_in_kind"),         # in kind 26.5% against "less than 25%" (para 3.1)
    ("DA04", "MIF cluster monitoring:y1_unit_cost"),   # a quantity of 1, no unit cost
    ("AR11", "Project stated:Paragraph 3.1:total"),    # para 3.1: 1,561,720 against 1,600,000
    ("AR11", "Project stated:Paragraph 3.1:donor"),      # 946,400 against 970,000
    ("AR11", "Project stated:Paragraph 3.1:counterpart"),  # 615,320 against 630,000
    ("AR12", "TOTAL:total"),      # the year columns leave out contingencies 28,280 and MIF cluster monitoring 30,000
    # and the illustrative execution's planted problems (see examples/tc_03_02_01_0/LOGFRAME.md)
    ("EX01", "Execution:1.10:2:donor"),                  # 19,800 spent against MIF 18,000
    ("EX04", "Execution:TOTAL:2:counterpart_cash"),    # counterpart behind pari passu in semester 2
]


def mifkit(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compiler.cli", *map(str, args)], capture_output=True, text=True,
                          check=False)


def test_example_reports_exactly_the_documents_slips(built):
    path = built / "example.xlsx"
    report = validate_file(path)
    want = set()
    for code, address in EXAMPLE_FINDINGS:
        (cell,) = expected_cells(path, [address])
        want.add((code, *cell))
    assert {(f.code, f.sheet, f.cell) for f in report.findings} == want, report.human()
    assert report.counts == {"error": 10, "warning": 3}
    messages = " | ".join(f.message for f in report.findings)
    for figure in ("163,440", "163,400", "49,280", "26.5%", "1,561,720", "946,400", "615,320", "58,280"):
        assert figure in messages


def test_json_contract_and_exit_code(built):
    done = mifkit("validate", built / "example.xlsx", "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout)
    assert set(data) == {"valid", "counts", "findings"}
    assert data["valid"] is False and data["counts"] == {"error": 10, "warning": 3}
    first = next(f for f in data["findings"] if f["code"] == "AR01")
    assert set(first) == {"code", "severity", "sheet", "cell", "row", "column", "expected", "actual", "message"}
    assert (first["sheet"], first["cell"], first["row"], first["column"]) == ("Budget", "I39", 39, "I")
    assert (first["expected"], first["actual"]) == (163440, 163400)


def test_clean_template_exits_0_and_warnings_alone_exit_0(built, tmp_path):
    assert mifkit("validate", built / "template.xlsx").returncode == 0
    path = tmp_path / "warn.xlsx"
    book = openpyxl.load_workbook(built / "template.xlsx")
    ws = book[layout.BUDGET_SHEET]
    ws["B7"], ws["C7"], ws["D7"] = "Consultant", "month", 1000  # a unit cost without a quantity: a warning
    book.save(path)
    done = mifkit("validate", path, "--format", "json")
    data = json.loads(done.stdout)
    assert data["counts"]["error"] == 0 and data["counts"]["warning"] >= 1 and done.returncode == 0


def test_spanish_messages(built):
    done = mifkit("validate", built / "example.xlsx", "--lang", "es")
    assert "costo unitario 1,362 × cantidad 120 = 163,440, pero el subtotal es 163,400" in done.stdout
    assert "debe quedar por debajo de 25%" in done.stdout


def test_only_policy_rules(built):
    report = validate_file(built / "example.xlsx", groups=["policy"])
    assert [f.code for f in report.findings] == ["FP03"]


def test_unusable_file_exits_2(tmp_path):
    path = tmp_path / "budget.xlsx"
    path.write_text("not a workbook")
    done = mifkit("validate", path)
    assert done.returncode == 2 and "not an Excel workbook" in done.stderr and "Traceback" not in done.stderr


def test_annotated_copy_marks_cells_and_keeps_the_officers_comment(example_copy, tmp_path):
    book = openpyxl.load_workbook(example_copy)
    book[layout.BUDGET_SHEET]["I39"].comment = openpyxl.comments.Comment("Checked with PROMPYME, Ana", "Ana")
    book.save(example_copy)
    before = example_copy.read_bytes()
    out = tmp_path / "annotated.xlsx"
    done = mifkit("validate", example_copy, "--annotate", out)
    assert done.returncode == 1 and out.exists()
    assert example_copy.read_bytes() == before, "the input was written to"
    annotated = openpyxl.load_workbook(out)
    ws = annotated[layout.BUDGET_SHEET]
    assert ws["I39"].fill.fgColor.rgb.endswith(ERROR_FILL)
    assert ws["I39"].comment.text.startswith("Checked with PROMPYME, Ana")
    assert "[AR01]" in ws["I39"].comment.text and "163,440" in ws["I39"].comment.text
    assert ws["D87"].fill.fgColor.rgb.endswith(WARNING_FILL)
    findings = annotated["Findings"]
    assert "10 error(s), 3 warning(s)" in findings["A1"].value
    links = {findings.cell(r, 3).value: findings.cell(r, 3).hyperlink.location
             for r in range(4, findings.max_row + 1)}
    assert links["Budget!I39"] == "'Budget'!I39"
    original = openpyxl.load_workbook(example_copy)
    for name in original.sheetnames:  # every value the officer typed is unchanged
        for row in original[name].iter_rows():
            for c in row:
                assert annotated[name][c.coordinate].value == c.value


@pytest.mark.parametrize("target", ["same", "exists"])
def test_annotate_never_overwrites(example_copy, tmp_path, target):
    out = example_copy if target == "same" else tmp_path / "exists.xlsx"
    if target == "exists":
        out.write_bytes(b"keep")
    before = out.read_bytes()
    done = mifkit("validate", example_copy, "--annotate", out)
    assert done.returncode == 2 and out.read_bytes() == before
    assert ("input file" if target == "same" else "already exists") in done.stderr


def test_readme_documents_the_whole_catalogue():
    from pathlib import Path

    from compiler.catalogue import catalogue_text
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    documented = readme.split("<!-- catalogue:start -->")[1].split("<!-- catalogue:end -->")[0].strip()
    assert documented == catalogue_text("markdown"), "stale README catalogue: paste `mifkit rules --format markdown`"
