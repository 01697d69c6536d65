"""Mutation test: from a clean workbook, one fault at a time; the validator must report the expected
code at the right cell, and nothing else.

The clean workbook is the blank template filled with consistent figures (tests/rules_support.py).
Faults that a formula workbook absorbs by design (deleting a row: Excel adjusts the sums) are made on
the typed copy, where the printed totals keep the deleted line's amount.
"""

from __future__ import annotations

import shutil

import pytest
from rules_support import apply, build_clean, expected_cells

from compiler.validate import validate_file

# The clean workbook's one finding, the same before and after each fault: like the template, it leaves the
# contingencies and the MIF cluster monitoring unphased by year (tests/rule_cases/AR12.toml checks it).
BASELINE = {"AR12"}

MUTATIONS = [
    ("change a quantity", "clean_formulas", [{"at": "1.01:y1_qty", "value": 23}], [("AR03", "1.01:total")]),
    ("change a unit cost", "clean_formulas", [{"at": "1.02:y2_unit_cost", "value": 650}], [("AR03", "1.02:total")]),
    ("change a funding amount", "clean_formulas", [{"at": "1.01:donor", "value": 80000}], [("AR03", "1.01:total")]),
    ("swap two columns' values", "clean_formulas", [{"swap": ["2.01:y1_qty", "2.01:y2_qty"]}],
     [("AR03", "2.01:total")]),
    ("type text into an amount", "clean_formulas", [{"at": "1.03:y1_unit_cost", "value": "7OO"}],
     [("DA01", "1.03:y1_unit_cost")]),
    ("delete a line", "clean_typed", [{"delete_row": "1.10"}],
     [("AR05", "component 1:y1_subtotal"), ("AR05", "component 1:total"), ("AR05", "component 1:donor")]),
    ("add a line outside any component", "clean_formulas",
     [{"append_below_total": ["", "Extra consultant", "month", 1000, 2, 2000]}], [("DA08", "Budget!D90")]),
    ("break a formula", "clean_formulas", [{"at": "1.01:y1_subtotal", "value": "=D8*E8*1.1"}],
     [("AR01", "1.01:y1_subtotal")]),
    ("type a number over a formula, disagreeing", "clean_formulas", [{"at": "1.01:y1_subtotal", "value": 50000}],
     [("AR01", "1.01:y1_subtotal"), ("DA05", "1.01:y1_subtotal")]),
    ("swap MIF and counterpart of a component row", "clean_typed",
     [{"swap": ["component 3:donor", "component 3:counterpart_subtotal"]}],
     [("AR05", "component 3:donor"), ("AR05", "component 3:counterpart_subtotal")]),
]


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    return build_clean(tmp_path_factory.mktemp("mutations"))


@pytest.mark.parametrize("name, base, edits, expected", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_one_fault_one_finding_at_its_cell(clean, tmp_path, name, base, edits, expected):
    path = tmp_path / "mutated.xlsx"
    shutil.copy(clean[base], path)
    apply(path, edits)
    cells = {}
    for code, address in expected:
        (cell,) = expected_cells(path, [address]) if "!" not in address else {tuple(address.split("!"))}
        cells.setdefault(cell, set()).add(code)
    want = {(code, sheet, cell) for (sheet, cell), codes in cells.items() for code in codes}
    report = validate_file(path)
    got = {(f.code, f.sheet, f.cell) for f in report.findings if f.code not in BASELINE}
    assert got == want, report.human()
