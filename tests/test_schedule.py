"""When the evaluations of paragraph 5.4 fall due, computed from disbursements by period."""

from __future__ import annotations

import datetime as dt

from compiler.periods import semesters
from compiler.report.schedule import evaluations

START = dt.date(2004, 7, 1)
SEMESTERS = semesters(START, 42)  # the example: disbursements over 42 months, 7 semesters
DONOR = 970_000.0


def received(*amounts: float) -> list[float]:
    return list(amounts) + [0.0] * (len(SEMESTERS) - len(amounts))


def test_first_evaluation_at_18_months_when_half_is_not_yet_disbursed():
    """The example: 410,000 of 970,000 (42%) by the end of semester 3, which is also month 18."""
    first, second = evaluations(SEMESTERS, received(120_000, 140_000, 150_000), DONOR, START,
                                as_of=SEMESTERS[2].end)
    assert (first.reason, first.due, first.reached) == ("months", dt.date(2005, 12, 31), True)
    assert (second.reason, second.due, second.reached) == ("pending", None, False)


def test_first_evaluation_when_more_than_half_is_disbursed_before_18_months():
    # 300,000 + 200,000 = 500,000 > 485,000 (half) in semester 2, which ends 30 Jun 2005, before month 18.
    first, _second = evaluations(SEMESTERS, received(300_000, 200_000), DONOR, START, as_of=SEMESTERS[1].end)
    assert (first.reason, first.period.number, first.due) == ("share", 2, dt.date(2005, 6, 30))
    assert first.reached


def test_exactly_half_is_not_more_than_half():
    first, _second = evaluations(SEMESTERS, received(485_000), DONOR, START, as_of=SEMESTERS[0].end)
    assert first.reason == "months" and not first.reached  # 31 Dec 2005 is after semester 1


def test_second_evaluation_once_95_percent_is_disbursed():
    amounts = received(200_000, 200_000, 200_000, 200_000, 121_500)  # 921,500 = 95% of 970,000
    _first, second = evaluations(SEMESTERS, amounts, DONOR, START, as_of=SEMESTERS[-1].end)
    assert (second.reason, second.period.number, second.reached) == ("share", 5, True)


def test_a_later_record_is_not_used_by_an_earlier_report():
    amounts = received(200_000, 200_000, 200_000, 200_000, 121_500)
    _first, second = evaluations(SEMESTERS, amounts, DONOR, START, as_of=SEMESTERS[3].end)
    assert second.reason == "pending"
