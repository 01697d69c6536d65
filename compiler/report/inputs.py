"""Reading what a report is compiled from: the budget workbook (with its execution record), the
logframe workbook, and the reporting period named on the command line."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from compiler.findings import Report
from compiler.model import Budget
from compiler.problems import MifkitError
from compiler.read_budget import load_budget
from compiler.report import formatting
from compiler.report.period import MONTHS, QUARTER, SEMESTER, parse_period, period
from compiler.validate import validate


@dataclass(frozen=True)
class ProjectSpan:
    """The whole project up to a semester: the period of the final report."""

    number: int   # the last semester
    start: dt.date
    end: dt.date
    kind: str = "project"

    @property
    def report_due(self) -> dt.date:
        return self.end + dt.timedelta(days=60)

    def span(self, lang: str) -> str:
        return f"{formatting.month_year(self.start, lang)}–{formatting.month_year(self.end, lang)}"

    def name(self, lang: str) -> str:
        word = "Semesters" if lang == "en" else "Semestres"
        return f"{word} 1–{self.number}: {self.span(lang)}"


@dataclass
class LoadedInputs:
    budget: Budget
    logframe: object | None
    semesters: list
    chosen: object

    def period(self, kind: str):
        if kind == "final":
            if self.chosen.kind != SEMESTER:
                raise MifkitError("a final report closes a semester: give --period as a semester (for example 7)")
            return ProjectSpan(self.chosen.number, self.semesters[0].start, self.chosen.end)
        if kind == "semiannual" and self.chosen.kind != SEMESTER:
            raise MifkitError(f"a semiannual report covers a semester, not {self.chosen.name('en')}; "
                              "give --period as 3 or S3, or use --kind quarterly")
        if kind == "quarterly" and self.chosen.kind != QUARTER:
            raise MifkitError(f"a quarterly report covers a quarter, not {self.chosen.name('en')}; "
                              "give --period as Q5, or use --kind semiannual")
        return self.chosen

    def validate(self, lang: str) -> Report:
        return validate(self.budget, lang=lang, logframe=self.logframe)


def load_logframe(path: str | Path | None):
    """The logframe model, or None when no logframe workbook is given."""
    if path is None:
        return None
    from compiler import read_logframe  # the logframe reader (issue 5)

    return read_logframe.load_logframe(path)


def load_inputs(budget_path: str | Path, logframe_path: str | Path | None, period_text: str) -> LoadedInputs:
    budget = load_budget(budget_path)
    logframe = load_logframe(logframe_path)
    first = budget.project.first_disbursement_date
    months = int(budget.project.get("disbursement_months", 42))
    count = {SEMESTER: math.ceil(months / MONTHS[SEMESTER]), QUARTER: math.ceil(months / MONTHS[QUARTER])}
    chosen = parse_period(period_text, first, count)
    semesters = [period(first, SEMESTER, n) for n in range(1, count[SEMESTER] + 1)]
    return LoadedInputs(budget, logframe, semesters, chosen)
