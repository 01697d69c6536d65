"""The add-in's traffic with Excel does not grow with the budget: reads per sheet, actions per finding.

Every call that reads from the workbook in xlwings' remote engine goes through a Range's
`raw_value` (cell values) or `note` (whether a cell has a note); the tests count both while one
validation runs on budgets of 50, 2,000 and 5,000 lines.  Each round trip to Excel costs the same
whatever its size, so what matters is how many there are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from addin_harness import actions, open_book
from xlwings.pro import _xlremote

from addin.commands import validate_book
from bench.generate import consistent_spec
from workbook_templates import layout
from workbook_templates.build import FORMULAS, write_budget

WHEN = dt.datetime(2026, 11, 21, 9, 30)
SIZES = (50, 2000, 5000)  # 5,000: the size the benchmarks name


@dataclass
class Traffic:
    value_reads: int
    note_reads: int
    actions: int
    marked: int
    findings: tuple[str, ...]  # their codes


def counted(monkeypatch) -> dict[str, int]:
    """Count reads of cell values and of notes on the remote engine's Range (the calls are unchanged)."""
    counts = {"raw_value": 0, "note": 0}
    for name in counts:
        original = getattr(_xlremote.Range, name)

        def getter(self, _original=original, _name=name):
            counts[_name] += 1
            return _original.fget(self)

        monkeypatch.setattr(_xlremote.Range, name, property(getter, original.fset))
    return counts


SLIPS = (0, 7)


def budget_with_slips(lines: int, slips: int, path):
    """A consistent budget of `lines` cost lines, `slips` of them without their item text (DA03)."""
    spec = consistent_spec(lines)
    for row in [r for r in spec.rows if r.kind == "line"][:slips]:
        row.label = ""
    write_budget(spec, path, FORMULAS)
    return path


@pytest.fixture(scope="module")
def budgets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sizes")
    return {(n, k): budget_with_slips(n, k, folder / f"budget_{n}_{k}.xlsx") for n in SIZES for k in SLIPS}


def traffic(path, monkeypatch) -> Traffic:
    live = open_book(path)
    counts = counted(monkeypatch)
    outcome = validate_book(live, "en", WHEN)
    monkeypatch.undo()
    assert outcome.ok, outcome.message
    return Traffic(counts["raw_value"], counts["note"], len(actions(live)), len(outcome.records),
                   tuple(f.code for f in outcome.report.findings))


def test_reads_do_not_grow_with_the_number_of_lines(budgets, monkeypatch):
    for slips in SLIPS:
        runs = [traffic(budgets[(n, slips)], monkeypatch) for n in SIZES]
        # one read per sheet: Project, Budget, Summary, Execution, Disbursements, Revisions, Local spending, Rates
        assert [run.value_reads for run in runs] == [len(layout.READ_SHEETS)] * len(SIZES)
        # Notes: per marked cell, mifkit asks whether the officer wrote one, and xlwings' add_note asks again.
        assert [run.note_reads for run in runs] == [2 * run.marked for run in runs]


def test_actions_grow_with_the_findings_only(budgets, monkeypatch):
    runs = {key: traffic(path, monkeypatch) for key, path in budgets.items()}
    # The consistent budget's one finding: its contingencies are not phased by year (AR12, a warning).
    assert {runs[(n, 0)].findings for n in SIZES} == {("AR12",)}
    marked = {runs[(n, 7)].marked for n in SIZES}
    assert len(marked) == 1 and marked.pop() >= 7
    # Fixed: two sheets added, their values written, the record hidden, the list made bold, fitted,
    # shown; then per marked cell its colour, its note and the name that follows it.
    fixed = {run.actions - 3 * run.marked for run in runs.values()}
    assert len(fixed) == 1 and fixed.pop() <= 10
