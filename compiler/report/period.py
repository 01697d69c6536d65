"""The reporting period a report covers, from `--period`: "3" or "S3" (semester 3), "Q5" (quarter 5).

Periods, their names and their due dates come from `compiler.periods` (counted from the
first-disbursement date; the report is due 60 days after the period closes, paragraph 5.1), so the
report names a period exactly as the Execution sheet and the findings do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from compiler import periods
from compiler.problems import MifkitError

SEMESTER, QUARTER = periods.SEMESTER, periods.QUARTER
_LETTER = {"S": SEMESTER, "Q": QUARTER, "": SEMESTER}


def project_periods(first_disbursement: dt.date | None, months: int) -> dict[str, list[periods.Period]]:
    """The semesters and quarters of the disbursement period."""
    if first_disbursement is None:
        raise MifkitError("the Project sheet has no first-disbursement date; reporting periods count from it")
    return {SEMESTER: periods.semesters(first_disbursement, months),
            QUARTER: periods.quarters(first_disbursement, months)}


def parse_period(text: str, available: dict[str, list[periods.Period]],
                 latest: int | None = None) -> periods.Period:
    """ "3" / "S3" / "Q5" / "latest" (the last semester with execution) -> the period; a clear message with
    the valid choices when wrong."""
    if str(text).strip().lower() in ("latest", "last", "ultimo", "último"):
        if latest is None:
            raise MifkitError("--period latest: the Execution sheet records no spending yet; give the period "
                              "as a semester (3 or S3) or a quarter (Q5)")
        text = str(latest)
    m = re.fullmatch(r"\s*([SsQq]?)\s*(\d{1,3})\s*", str(text))
    kind = _LETTER[m.group(1).upper()] if m else None
    if not m or not 1 <= int(m.group(2)) <= len(available[kind]):
        raise MifkitError(f"--period {text!r} is not a reporting period of this project; choose a semester "
                          f"1-{len(available[SEMESTER])} (as 3 or S3), a quarter "
                          f"Q1-Q{len(available[QUARTER])}, or latest")
    return available[kind][int(m.group(2)) - 1]


@dataclass(frozen=True)
class ProjectSpan:
    """The whole project up to a semester: the period of the final report."""

    number: int   # the last semester
    start: dt.date
    end: dt.date
    kind: str = "project"

    @property
    def report_due(self) -> dt.date:
        return self.end + dt.timedelta(days=periods.REPORT_DUE_DAYS)

    def span(self, lang: str = "en") -> str:
        months = periods.MONTHS_ES if lang == "es" else periods.MONTHS_EN
        return (f"{months[self.start.month - 1]} {self.start.year}–"
                f"{months[self.end.month - 1]} {self.end.year}")

    def name(self, lang: str = "en") -> str:
        word = "Semesters" if lang == "en" else "Semestres"
        return f"{word} 1–{self.number}: {self.span(lang)}"
