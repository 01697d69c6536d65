"""The reporting period a report covers, from `--period`: "3" or "S3" (semester 3), "Q5" (quarter 5).

Periods count from the first-disbursement date on the Project sheet; the report is due 60 days
after the period closes (paragraph 5.1).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from compiler.problems import MifkitError
from compiler.report import formatting

SEMESTER, QUARTER = "semester", "quarter"
MONTHS = {SEMESTER: 6, QUARTER: 3}
_LETTER = {"S": SEMESTER, "Q": QUARTER, "": SEMESTER}
DUE_DAYS = 60
_NAMES = {("en", SEMESTER): "Semester", ("es", SEMESTER): "Semestre",
          ("en", QUARTER): "Quarter", ("es", QUARTER): "Trimestre"}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ReportPeriod:
    kind: str     # "semester" or "quarter"
    number: int   # 1-based
    start: dt.date
    end: dt.date  # last day

    @property
    def code(self) -> str:
        return f"{self.kind[0].upper()}{self.number}"

    @property
    def report_due(self) -> dt.date:
        return self.end + dt.timedelta(days=DUE_DAYS)

    def name(self, lang: str) -> str:
        """ "Semester 3: Jul–Dec 2005" / "Semestre 3: jul–dic 2005"."""
        first = formatting.month_year(self.start, lang).split(" ")[0]
        last = formatting.month_year(self.end, lang)
        return f"{_NAMES[(lang, self.kind)]} {self.number}: {first}–{last}" if self.start.year == self.end.year \
            else f"{_NAMES[(lang, self.kind)]} {self.number}: {formatting.month_year(self.start, lang)}–{last}"

    def short(self, lang: str) -> str:
        """ "S3 Jul–Dec 2005" for chart axes."""
        return self.name(lang).split(": ", 1)[1]


def period(first_disbursement: dt.date, kind: str, number: int) -> ReportPeriod:
    months = MONTHS[kind]
    start = add_months(first_disbursement, months * (number - 1))
    end = add_months(first_disbursement, months * number) - dt.timedelta(days=1)
    return ReportPeriod(kind, number, start, end)


def parse_period(text: str, first_disbursement: dt.date | None, count: dict[str, int]) -> ReportPeriod:
    """ "3" / "S3" / "Q5" -> the period; a clear message with the valid choices when wrong."""
    if first_disbursement is None:
        raise MifkitError("the Project sheet has no first-disbursement date; reporting periods count from it")
    m = re.fullmatch(r"\s*([SsQq]?)\s*(\d{1,3})\s*", str(text))
    kind = _LETTER[m.group(1).upper()] if m else None
    if not m or not 1 <= int(m.group(2)) <= count[kind]:
        raise MifkitError(f"--period {text!r} is not a reporting period of this project; choose a semester "
                          f"1-{count[SEMESTER]} (as 3 or S3) or a quarter Q1-Q{count[QUARTER]}")
    return period(first_disbursement, kind, int(m.group(2)))
