"""Validating a budget works on plain rows: `mifkit validate BUDGET.xlsx` never imports pandas (its import
alone costs more than reading a large workbook), while the reports still get the same DataFrames.

- the command, run as the officer runs it, on the example, on a budget with an approved revision and
  on one with local-currency spending, ends without pandas loaded and with the findings it always gave;
- the DataFrames built from the rows on first use have the columns, types and values of the rows;
- the sums the rules make add up as pandas adds (the reports' figures), bit for bit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from rules_support import apply, build_clean

from compiler.read_budget import load_budget
from compiler.sums import column_sum, running_sums
from compiler.validate import validate

ROOT = Path(__file__).resolve().parents[1]

# Runs the command in a fresh interpreter, then says which of the heavy libraries it loaded.
RUNNER = """
import sys
from compiler.cli import main
code = main(sys.argv[1:])
print("LOADED:" + ",".join(m for m in ("pandas", "numpy") if m in sys.modules))
sys.exit(code)
"""

REVISION = [
    {"revision": {"number": 1, "date": dt.date(2005, 1, 15), "note": "Legal advice extended"}},
    {"revised_line": {"revision": 1, "ref": "1.01", "y1_subtotal": 52800, "y2_subtotal": 55200, "total": 108000,
                      "donor": 54000, "counterpart_cash": 54000}},
    {"revised_line": {"revision": 1, "ref": "2.02", "y1_subtotal": 68000, "total": 68000, "donor": 60000,
                      "counterpart_in_kind": 8000}},
]


@pytest.fixture(scope="module")
def budgets(tmp_path_factory, built) -> dict[str, Path]:
    """The example as printed, a clean budget with an unapproved revision, and one with local spending."""
    folder = tmp_path_factory.mktemp("nopandas")
    clean = build_clean(folder)
    revised = folder / "revised.xlsx"
    revised.write_bytes(clean["clean_typed"].read_bytes())
    apply(revised, REVISION)
    return {"example": built / "example.xlsx", "revised": revised, "local": clean["clean_local"]}


def run_validate(path: Path, *options: str) -> tuple[str, str]:
    done = subprocess.run([sys.executable, "-c", RUNNER, "validate", str(path), "--format", "json", *options],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    output, _, loaded = done.stdout.rpartition("LOADED:")
    return output, loaded.strip()


@pytest.mark.parametrize("name", ["example", "revised", "local"])
def test_validate_loads_no_pandas(budgets, name):
    output, loaded = run_validate(budgets[name], "--lang", "es")
    assert loaded == "", f"mifkit validate loaded {loaded}"
    report = json.loads(output)
    expected = validate(load_budget(budgets[name]), lang="es")  # in this process, where pandas may be loaded
    assert report == json.loads(expected.to_json())
    if name == "revised":
        assert "RV01" in {f["code"] for f in report["findings"]}
    if name == "local":
        assert load_budget(budgets[name]).local_rows, "the local budget has entries"


def _same(a: object, b: object) -> bool:
    """Equal, NaN and None both standing for an empty cell (a DataFrame column of numbers holds NaN)."""
    def empty(v: object) -> bool:
        return v is None or (isinstance(v, float) and math.isnan(v))
    return (empty(a) and empty(b)) or a == b


@pytest.mark.parametrize("name", ["example", "revised", "local"])
def test_the_dataframes_are_the_rows(budgets, name):
    """Each table's DataFrame has the model's columns, in order, and the rows' values; numbers are float64,
    Excel rows and periods int64; a table replaced by a DataFrame keeps its rows in step."""
    budget = load_budget(budgets[name])
    for table in ("lines", "components", "summary", "execution", "disbursements", "local", "rates"):
        frame, rows = getattr(budget, table), budget.records(table)
        assert frame is getattr(budget, table), "built once"
        assert list(frame.columns) == budget.columns(table)
        assert len(frame) == len(rows)
        for got, row in zip(frame.to_dict("records"), rows, strict=True):
            assert list(row) == list(frame.columns)
            assert all(_same(got[k], row[k]) for k in row), (table, got, row)
    figures = [k for k in budget.columns("lines") if k not in ("row", "ref", "kind", "component", "line_group",
                                                                "item", "unit")]
    assert all(budget.lines[k].dtype == "float64" for k in figures)
    assert budget.lines["row"].dtype == "int64"
    if len(budget.execution):
        assert {k: str(budget.execution[k].dtype) for k in ("period", "quarter", "amount", "row")} == \
            {"period": "int64", "quarter": "int64", "amount": "float64", "row": "int64"}
    lines = budget.lines.copy()
    lines.loc[0, "item"] = "Renamed"
    budget.lines = lines
    assert budget.line_rows[0]["item"] == "Renamed"
    assert_frame_equal(budget.lines, lines)


def test_the_local_table_has_its_conversion(budgets):
    local = load_budget(budgets["local"]).local
    assert {"status", "converted", "exchange_difference"} <= set(local.columns)
    assert (local["status"] == "ok").all()


def test_sums_add_as_pandas_adds():
    """column_sum is pandas' Series.sum (numpy's pairwise summation), running_sums its groupby cumsum: the
    same bits on lengths around numpy's blocks of 8 and 128, with cents, wide magnitudes and empty cells."""
    rnd = random.Random(16)
    for trial in range(400):
        n = rnd.choice([0, 1, 7, 8, 9, 16, 127, 128, 129, 256, 1000, rnd.randrange(2000)])
        values = [[round(rnd.uniform(-1e6, 1e7), 2), rnd.uniform(0, 1) * 10 ** rnd.randint(-3, 12),
                   rnd.choice([0.1, 0.2, 0.3, 3.3, 1e16, -1e16, math.nan])][trial % 3] for _ in range(n)]
        series = pd.Series(values, dtype="float64")
        assert column_sum(values) == float(series.fillna(0).sum())
        numbers = [v for v in values if v == v]
        expected = pd.Series(numbers, dtype="float64").groupby([0] * len(numbers)).cumsum().tolist()
        assert running_sums(numbers) == expected
