"""Reporting periods counted from the first-disbursement date: semesters and quarters.

The project document asks for a progress report within 60 days after the close of each six-month
period (paragraph 5.1) and for quarterly management reports to the strategy councils (paragraph
5.2), both counted from the first disbursement.  Every sheet, rule and report names a period the
same way, from here: "Semester 3: Jul–Dec 2005" / "Semestre 3: jul–dic 2005".

Convention for a first disbursement that is not on the 1st of a month: periods start on that day
of the month and end the day before the next period starts (first disbursement 15 Jul 2004:
Semester 1 runs 15 Jul 2004 – 14 Jan 2005).  Such a period is named with its days, so nobody reads
"Jul–Dec" for a period that ends on 14 January: "Semester 1: 15 Jul 2004–14 Jan 2005".  A start
on the 29th-31st is kept on that day where the month has it and on the month's last day where it
does not (31 Aug + 6 months = 28 or 29 Feb), so periods never overlap nor leave gaps.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass

SEMESTER, QUARTER = "semester", "quarter"
MONTHS_IN = {SEMESTER: 6, QUARTER: 3}
MAX_SEMESTERS = 40  # 20 years: a semester number beyond it is a typing slip, not a period
REPORT_DUE_DAYS = 60  # paragraph 5.1: within 60 days after the close of each six-month period
# External audits: one per year of disbursements counted from the first disbursement, the last one to the end of
# the disbursement period; the audited statements are due at the Bank this many days after the year audited
# closes.  The project document budgets the audits (section III, line D) but sets no term: 120 days is the
# Bank's usual term for audited financial statements, to be changed where an agreement says otherwise.
AUDIT_DUE_DAYS = 120

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
WORDS = {("en", SEMESTER): "Semester", ("es", SEMESTER): "Semestre",
         ("en", QUARTER): "Quarter", ("es", QUARTER): "Trimestre"}


def format_date(day: dt.date, lang: str = "en") -> str:
    """ "1 Jul 2004" / "1 jul 2004"."""
    months = MONTHS_ES if lang == "es" else MONTHS_EN
    return f"{day.day} {months[day.month - 1]} {day.year}"


def add_months(day: dt.date, months: int, anchor_day: int | None = None) -> dt.date:
    """`day` moved by whole months, on `anchor_day` (default: day.day) or the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    wanted = anchor_day or day.day
    return dt.date(year, month + 1, min(wanted, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Period:
    """One reporting period: number (1-based), first and last day (inclusive), months since start."""

    kind: str
    number: int
    start: dt.date
    end: dt.date
    first_month: int  # project month of its first month (1 for the first period)
    last_month: int   # project month of its last month (6 for semester 1, 3 for quarter 1)

    @property
    def report_due(self) -> dt.date:
        """The day the progress report on this period is due (paragraph 5.1: end + 60 days)."""
        return self.end + dt.timedelta(days=REPORT_DUE_DAYS)

    def name(self, lang: str = "en") -> str:
        """ "Semester 3: Jul–Dec 2005", "Semestre 3: jul–dic 2005"."""
        return f"{WORDS[(lang, self.kind)]} {self.number}: {self.span(lang)}"

    def span(self, lang: str = "en") -> str:
        """The dates alone: "Jul–Dec 2005", "Oct 2004–Mar 2005", "15 Jul 2004–14 Jan 2005"."""
        months = MONTHS_ES if lang == "es" else MONTHS_EN
        start, end = self.start, self.end
        whole_months = start.day == 1 and end == add_months(start, MONTHS_IN[self.kind]) - dt.timedelta(days=1)
        if not whole_months:
            return (f"{start.day} {months[start.month - 1]} {start.year}–"
                    f"{end.day} {months[end.month - 1]} {end.year}")
        if start.year == end.year:
            return f"{months[start.month - 1]}–{months[end.month - 1]} {end.year}"
        return f"{months[start.month - 1]} {start.year}–{months[end.month - 1]} {end.year}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def periods(first_disbursement: dt.date, months: int, kind: str = SEMESTER) -> list[Period]:
    """The periods covering `months` months from `first_disbursement` (the last may be partial in months:
    42 months give 7 semesters; 40 months give 7 as well, the seventh covering months 37-40)."""
    length = MONTHS_IN[kind]
    months = min(months, MAX_SEMESTERS * 6)  # a typing slip of 4200 months must not make 700 periods
    count = max(1, math.ceil(months / length))
    out = []
    for i in range(count):
        try:
            start = add_months(first_disbursement, i * length, first_disbursement.day)
            next_start = add_months(first_disbursement, (i + 1) * length, first_disbursement.day)
        except (ValueError, OverflowError):  # beyond the calendar (year 10000)
            break
        out.append(Period(kind, i + 1, start, next_start - dt.timedelta(days=1),
                          i * length + 1, min((i + 1) * length, months)))
    return out


def semesters(first_disbursement: dt.date, months: int) -> list[Period]:
    return periods(first_disbursement, months, SEMESTER)


def quarters(first_disbursement: dt.date, months: int) -> list[Period]:
    return periods(first_disbursement, months, QUARTER)


def semester_count(months: int) -> int:
    """How many semesters `months` months span (42 -> 7, 36 -> 6)."""
    return max(1, math.ceil(months / MONTHS_IN[SEMESTER]))


def semester_of_month(month: int) -> int:
    """The semester a project month falls in (month 14 -> semester 3)."""
    return max(1, math.ceil(month / MONTHS_IN[SEMESTER]))


def semester_label(number: int, first_disbursement: dt.date | None, lang: str = "en") -> str:
    """A semester's name, or "Semester 3" alone when the first-disbursement date is not known."""
    plain = f"{WORDS[(lang, SEMESTER)]} {number}"
    if first_disbursement is None or not 1 <= number <= MAX_SEMESTERS:
        return plain
    try:
        return periods(first_disbursement, number * 6, SEMESTER)[number - 1].name(lang)
    except (ValueError, OverflowError):  # dates beyond the calendar (year 10000)
        return plain


@dataclass(frozen=True)
class AuditYear:
    """The span one external audit covers and the day its audited statements are due at the Bank."""

    number: int
    start: dt.date
    end: dt.date

    @property
    def due(self) -> dt.date:
        return self.end + dt.timedelta(days=AUDIT_DUE_DAYS)

    def span(self, lang: str = "en") -> str:
        """ "Jul 2004–Jun 2005" (days shown when the span does not run from a 1st to a month's end)."""
        months = MONTHS_ES if lang == "es" else MONTHS_EN
        whole = self.start.day == 1 and (self.end + dt.timedelta(days=1)).day == 1
        if not whole:
            return f"{format_date(self.start, lang)}–{format_date(self.end, lang)}"
        return f"{months[self.start.month - 1]} {self.start.year}–{months[self.end.month - 1]} {self.end.year}"


def audit_years(first_disbursement: dt.date, disbursement_months: int) -> list[AuditYear]:
    """The external audits of a project: one per twelve months of disbursements from the first disbursement,
    the last one to the end of the disbursement period (42 months: four audits, the fourth over six months)."""
    months = min(max(int(disbursement_months), 1), MAX_SEMESTERS * 6)
    out = []
    for i in range(math.ceil(months / 12)):
        start = add_months(first_disbursement, 12 * i, first_disbursement.day)
        end = add_months(first_disbursement, min(12 * (i + 1), months), first_disbursement.day)
        out.append(AuditYear(i + 1, start, end - dt.timedelta(days=1)))
    return out
