"""Every rule's cases, kept as data in tests/rule_cases/<CODE>.toml and loaded here by one test.

A case names a base workbook (clean_typed, clean_formulas or the annex example), the edits to make
to it, and the cells at which the rule must report (nothing else from that rule).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from rules_support import apply, build_clean, expected_cells

from compiler.rules import CATALOGUE
from compiler.validate import validate_file
from workbook_templates.build_logframe import write_logframe
from workbook_templates.logframe_spec import example_logframe_spec

CASES = Path(__file__).parent / "rule_cases"


def load_cases() -> list:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            params.append(pytest.param(data["rule"], case, id=f"{data['rule']}: {case['name']}"))
    return params


@pytest.fixture(scope="session")
def bases(tmp_path_factory, built) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clean")
    write_logframe(example_logframe_spec("tc-03-02-01-0"), folder / "logframe_example.xlsx")
    return {**build_clean(folder), "example": built / "example.xlsx",
            "logframe_example": folder / "logframe_example.xlsx"}


@pytest.mark.parametrize("code, case", load_cases())
def test_rule_case(code, case, bases, tmp_path):
    """A case may add a logframe workbook: `logframe` (its base), `logframe_edits`, `expect_logframe`."""
    path = tmp_path / "case.xlsx"
    shutil.copy(bases[case["base"]], path)
    apply(path, case.get("edits", []))
    expected = expected_cells(path, case.get("expect", []))
    expected |= {tuple(c.split("!")) for c in case.get("expect_cells", [])}
    logframe = None
    if "logframe" in case:
        logframe = tmp_path / "logframe.xlsx"
        shutil.copy(bases[case["logframe"]], logframe)
        apply(logframe, case.get("logframe_edits", []))
        expected |= expected_cells(logframe, case.get("expect_logframe", []))
    report = validate_file(path, logframe)
    got = {(f.sheet, f.cell) for f in report.findings if f.code == code}
    assert got == expected, "\n".join(f.message for f in report.findings if f.code == code)


def test_every_rule_has_passing_and_failing_cases():
    seen: dict[str, set[bool]] = {}
    for path in CASES.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert path.stem == data["rule"]
        for case in data["case"]:
            seen.setdefault(data["rule"], set()).add(bool(case.get("expect") or case.get("expect_cells")
                                                          or case.get("expect_logframe")))
    for rule in CATALOGUE:
        assert seen.get(rule.code) == {True, False}, f"{rule.code} needs a passing and a failing case"


def test_clean_workbooks_have_no_findings_but_the_unphased_amounts(bases):
    """Clean: no finding but the one warning every budget with contingencies has (the template does not phase
    them by year), naming exactly the contingencies and the MIF cluster monitoring, at the TOTAL row."""
    for name in ("clean_typed", "clean_formulas"):
        report = validate_file(bases[name])
        assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
            ("AR12", *expected_cells(bases[name], ["TOTAL:total"]).pop())], f"{name}: " + report.human()
        assert "Contingencies 28,280, MIF cluster monitoring 30,000 (58,280 in all)" in report.findings[0].message
