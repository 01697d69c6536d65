"""LibreOffice as an independent spreadsheet engine.

1. The blank template, in the annex's shape, is filled with the annex's inputs only (unit costs,
   quantities, MIF, counterpart cash and in kind) by openpyxl, which saves no formula results;
   LibreOffice recalculates it; the recalculated totals are compared with the annex's printed ones,
   and every printed figure that does not follow from its inputs is named.
2. The example built with formulas (cached values computed by mifkit's evaluator) is recalculated
   by LibreOffice: every formula cell must come out the same, which checks the template's formulas
   and mifkit's evaluator against a real engine.
"""

from __future__ import annotations

import math

import openpyxl
import pytest
from conftest import EXAMPLE, needs_libreoffice

from compiler.libreoffice import convert
from workbook_templates import layout
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.spec import example_spec, example_structure, without_inputs

EXAMPLE_SHAPE = example_structure()

pytestmark = [needs_libreoffice, pytest.mark.libreoffice]

TOLERANCE = 0.5  # currency units: the Project sheet's rounding tolerance
INPUT_KEYS = [k for y in (1, 2, 3) for k in layout.year_keys(y)[:2]] + [
    "donor", "counterpart_cash", "counterpart_in_kind"]
DERIVED_KEYS = [layout.year_keys(y)[2] for y in (1, 2, 3)] + ["total", "counterpart_subtotal"]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """(spec, filled-and-recalculated workbook, example-with-formulas and its recalculation)."""
    folder = tmp_path_factory.mktemp("lo")
    spec = example_spec(EXAMPLE)
    write_budget(without_inputs(spec), folder / "blank.xlsx", FORMULAS)
    book = openpyxl.load_workbook(folder / "blank.xlsx")
    ws = book[layout.BUDGET_SHEET]
    cols = layout.column_index(spec.structure)
    for i, row in enumerate(spec.rows):
        if row.kind in ("line", layout.CONTINGENCIES, layout.OUTSIDE):
            for key in INPUT_KEYS:
                if key in row.values:
                    ws.cell(layout.BUDGET_FIRST_ROW + i, cols[key]).value = row.values[key]
    book.save(folder / "filled.xlsx")
    write_budget(spec, folder / "example_formulas.xlsx", FORMULAS)
    out = folder / "recalc"
    convert([folder / "filled.xlsx", folder / "example_formulas.xlsx"], "xlsx", out)
    return spec, folder, out


def _row_values(ws, excel_row: int) -> dict[str, float]:
    cols = layout.column_index(EXAMPLE_SHAPE)
    return {k: ws.cell(excel_row, c).value for k, c in cols.items()}


def _differs(printed: float | None, computed: float | None) -> bool:
    return not math.isclose(printed or 0.0, computed or 0.0, abs_tol=TOLERANCE)


def test_filled_file_has_no_saved_results_before_recalculation(recalculated):
    _, folder, _ = recalculated
    ws = openpyxl.load_workbook(folder / "filled.xlsx", data_only=True)[layout.BUDGET_SHEET]
    subtotal_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == layout.LABEL_SUBTOTAL)
    assert ws.cell(subtotal_row, layout.column_index(EXAMPLE_SHAPE)["total"]).value is None


def test_recalculated_totals_against_the_annex_name_the_slips(recalculated):
    spec, _, out = recalculated
    ws = openpyxl.load_workbook(out / "filled.xlsx", data_only=True)[layout.BUDGET_SHEET]
    by_kind = {r.kind: (layout.BUDGET_FIRST_ROW + i, r) for i, r in enumerate(spec.rows)
               if r.kind in ("subtotal", "total")}

    # Every derived cell whose printed figure does not follow from the inputs, line by line.
    slips = []
    for i, row in enumerate(spec.rows):
        if row.kind in ("line", "component"):
            got = _row_values(ws, layout.BUDGET_FIRST_ROW + i)
            for key in DERIVED_KEYS + (["donor", "counterpart_cash", "counterpart_in_kind"]
                                       if row.kind == "component" else []):
                if _differs(row.values.get(key), got[key]):
                    slips.append((row.ref, row.label, key, row.values.get(key), got[key]))
    names = "; ".join(f"{ref} {label}: {key} printed {p:,.0f}, follows from inputs {g:,.0f}"
                      for ref, label, key, p, g in slips)
    lines = {(ref, key) for ref, _, key, _, _ in slips if "." in ref}
    assert lines == {("2.01", "y2_subtotal"), ("2.01", "total")}, names
    components = {(ref, key) for ref, _, key, _, _ in slips if "." not in ref}
    # Component 2 carries the network managers' 40 up; component 7's printed row includes the
    # contingencies in its total and funding columns.
    assert components == {("2", "y2_subtotal"), ("2", "total"), ("7", "total"), ("7", "donor"),
                          ("7", "counterpart_cash"), ("7", "counterpart_subtotal")}, names
    network = next(s for s in slips if s[0] == "2.01" and s[2] == "y2_subtotal")
    assert network[3:] == (163_400, 163_440)

    # The totals: what the recalculation gives, against the annex's printed SUB-TOTAL and TOTAL.
    line_difference = sum(g - p for ref, _, key, p, g in slips if "." in ref and key == "total")
    for kind, printed_total, printed_mif, printed_counterpart in (
            ("subtotal", 1_570_000, 940_000, 630_000), ("total", 1_600_000, 970_000, 630_000)):
        excel_row, row = by_kind[kind]
        got = _row_values(ws, excel_row)
        assert row.values["total"] == printed_total
        assert math.isclose(got["donor"], printed_mif, abs_tol=TOLERANCE)
        assert math.isclose(got["counterpart_subtotal"], printed_counterpart, abs_tol=TOLERANCE)
        assert math.isclose(got["total"] - printed_total, line_difference, abs_tol=TOLERANCE), (
            f"{kind}: recalculated {got['total']:,.0f} vs printed {printed_total:,.0f}; "
            f"lines that do not follow from their inputs: {names}")
    assert line_difference == pytest.approx(40)


def test_mifkit_evaluator_agrees_with_libreoffice_on_every_formula(recalculated):
    _, folder, out = recalculated
    ours = openpyxl.load_workbook(folder / "example_formulas.xlsx", data_only=True)
    theirs = openpyxl.load_workbook(out / "example_formulas.xlsx", data_only=True)
    formulas = openpyxl.load_workbook(folder / "example_formulas.xlsx")
    checked = 0
    for name in (layout.BUDGET_SHEET, layout.SUMMARY_SHEET):
        for row in formulas[name].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    mine, lo = ours[name][c.coordinate].value, theirs[name][c.coordinate].value
                    assert mine == pytest.approx(lo, abs=1e-9), f"{name}!{c.coordinate} {c.value}"
                    checked += 1
    assert checked > 400
