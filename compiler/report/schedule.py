"""When the project's evaluations fall due, from its disbursements (paragraph 5.4 of the project document).

"The first evaluation will be conducted once more than 50% of the contribution has been disbursed, or
18 months have elapsed since the first disbursement" (whichever comes first); "the second evaluation
will be conducted once 95% of the MIF resources have been disbursed".  Disbursements are recorded per
period, so a threshold crossed in a period falls due at that period's end: the day the record shows it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from compiler.periods import add_months

FIRST_SHARE = 0.50      # "more than 50% of the contribution has been disbursed"
FIRST_MONTHS = 18       # "or 18 months have elapsed since the first disbursement"
SECOND_SHARE = 0.95     # "once 95% of the MIF resources have been disbursed"


@dataclass(frozen=True)
class Due:
    """One evaluation: the day it fell (or will fall) due, why, and whether that day has come."""

    name: str                  # "first" or "second"
    due: dt.date | None        # None: the threshold has not been reached and no date fixes it
    reason: str                # "share": disbursement threshold; "months": 18 months elapsed; "pending"
    period: object | None      # the period in which the disbursement threshold was crossed
    reached: bool              # due on or before the report's last day


def _crossing(periods: list, received: list[float], total: float, share: float, strictly: bool):
    """The first period whose cumulative disbursement passes `share` of `total` (or None)."""
    cumulative = 0.0
    for period, amount in zip(periods, received, strict=True):
        cumulative += amount
        if total and (cumulative > share * total if strictly else cumulative >= share * total - 0.005):
            return period
    return None


def evaluations(periods: list, received: list[float], donor_total: float, first_disbursement: dt.date,
                as_of: dt.date) -> list[Due]:
    """The first and second evaluations of paragraph 5.4, judged on the disbursements up to `as_of`.

    `periods` are the project's periods in order (objects with .end) and `received` what the donor paid
    in each; only periods ending by `as_of` count, so a report never uses a later record."""
    counted = [(p, r) for p, r in zip(periods, received, strict=True) if p.end <= as_of]
    shown = [p for p, _r in counted]
    amounts = [r for _p, r in counted]
    by_months = add_months(first_disbursement, FIRST_MONTHS) - dt.timedelta(days=1)
    half = _crossing(shown, amounts, donor_total, FIRST_SHARE, strictly=True)
    if half is not None and half.end < by_months:
        first = Due("first", half.end, "share", half, True)
    else:
        first = Due("first", by_months, "months", None, by_months <= as_of)
    most = _crossing(shown, amounts, donor_total, SECOND_SHARE, strictly=False)
    second = (Due("second", most.end, "share", most, True) if most is not None
              else Due("second", None, "pending", None, False))
    return [first, second]
