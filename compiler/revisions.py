"""The budget in force: the approved budget with its revisions applied, as of a revision, a day or a period.

The Budget sheet is the budget as approved (revision 0).  Each revision on the Revisions sheet gives the
whole revised figures of the lines it changes; a line it does not list keeps its figures from the
revision before.  A revision applies from its date: to a reporting period when it is dated on or
before the period's last day, so execution to the end of a period is measured against the budget the
Bank had approved by then.  The current budget is the latest dated revision (a revision without a
date applies to no period; rule RV04 says so).

Everything here is a pure function of the model, for the rules, the reports, `mifkit lines --budget`
and any export (IATI's original and revised budgets per year: `year_totals` of `original_lines` and
`current_lines`).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from compiler import periods
from compiler.model import Budget, Revision
from workbook_templates import layout
from workbook_templates.structure import Structure

if TYPE_CHECKING:
    import pandas as pd

ORIGINAL = 0


def dated(budget: Budget) -> list[Revision]:
    """The revisions that apply from a date, by number."""
    return [r for r in budget.revisions if r.date is not None]


def current_number(budget: Budget) -> int:
    """The number of the revision in force now: the latest dated one (0, the approved budget, when none)."""
    return max((r.number for r in dated(budget)), default=ORIGINAL)


def number_in_force(budget: Budget, day: dt.date) -> int:
    """The revision in force on `day`: the highest-numbered revision dated on or before it."""
    return max((r.number for r in dated(budget) if r.date <= day), default=ORIGINAL)


def period_end(budget: Budget, semester: int) -> dt.date | None:
    """The last day of semester `semester`, or None without a first-disbursement date."""
    first = budget.project.first_disbursement_date
    if first is None or not 1 <= semester <= periods.MAX_SEMESTERS:
        return None
    try:
        return periods.semesters(first, semester * 6)[semester - 1].end
    except (ValueError, OverflowError, IndexError):
        return None


def number_for_period(budget: Budget, semester: int) -> int:
    """The revision in force at the end of semester `semester` (the current one when the periods have
    no dates: without a first-disbursement date mifkit cannot place a revision in time)."""
    end = period_end(budget, semester)
    return current_number(budget) if end is None else number_in_force(budget, end)


def changed_lines(budget: Budget, number: int | None = None) -> dict[str, tuple[int, dict[str, float]]]:
    """Line key -> (revision, revised figures) of every line revised by revisions 1..`number` (None: up to
    the current one), the latest revision of each line winning."""
    upto = current_number(budget) if number is None else number
    out: dict[str, tuple[int, dict[str, float]]] = {}
    for revision in dated(budget):
        if revision.number <= upto:
            for key, figures in revision.lines.items():
                out[key] = (revision.number, figures)
    return out


def rows_as_of(budget: Budget, number: int | None = None) -> list[dict]:
    """The Budget's line rows (same keys, same rows) as revised by revisions 1..`number`: 0 is the
    approved budget, None the current one.  A revised line's unit costs and quantities are NaN (a
    revision gives amounts); lines a revision names that the Budget sheet lacks are left out (RV04).
    Lines no revision changes are the model's own rows (shared: read them, do not change them)."""
    if number == ORIGINAL or not budget.revisions:
        return budget.line_rows
    changed = changed_lines(budget, number)
    if not changed:
        return budget.line_rows
    shape = budget.structure
    blanked = dict.fromkeys((k for y in range(1, shape.years + 1) for k in layout.year_keys(y)[:2]), math.nan)
    out = []
    for key, line in zip(budget.line_keys(), budget.line_rows, strict=True):
        if key in changed:
            _, figures = changed[key]
            line = {**line, **{c: v for c, v in figures.items() if c in line}, **blanked}
        out.append(line)
    return out


def lines_as_of(budget: Budget, number: int | None = None) -> pd.DataFrame:
    """`rows_as_of` as a DataFrame with the columns of `budget.lines` (which it is when nothing is revised)."""
    rows = rows_as_of(budget, number)
    if rows is budget.line_rows:
        return budget.lines
    import pandas as pd

    return pd.DataFrame(rows, columns=budget.columns("lines"))


def original_lines(budget: Budget) -> pd.DataFrame:
    return lines_as_of(budget, ORIGINAL)


def current_lines(budget: Budget) -> pd.DataFrame:
    return lines_as_of(budget, None)


def _sum(frame: pd.DataFrame, key: str) -> float:
    return float(frame[key].fillna(0).sum()) if key in frame.columns else 0.0


def year_totals(lines: pd.DataFrame, years: int) -> list[float]:
    """Per budget year, the sum of the year amounts of every line (cost lines, contingencies and the
    lines outside the subtotal): the budget's phasing by year."""
    return [_sum(lines, layout.year_keys(y)[2]) for y in range(1, years + 1)]


def funder_totals(lines: pd.DataFrame, shape: Structure) -> dict[str, float]:
    """TOTAL and each funding column (donor, counterpart cash / in kind / subtotal, co-financiers) summed."""
    return {key: _sum(lines, key) for key in shape.amount_keys}
