"""Reading what a report is compiled from: the budget workbook (with its execution record), the
logframe workbook, and the reporting period named on the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from compiler.findings import Report
from compiler.model import Budget
from compiler.problems import MifkitError
from compiler.read_budget import load_budget
from compiler.report.period import QUARTER, SEMESTER, ProjectSpan, parse_period, project_periods
from compiler.validate import validate


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

    def validate(self, lang: str, kind: str = "semiannual") -> Report:
        """Validation as of the semester the report closes with (a final report: its own last semester, even
        where the record stops earlier), so its annex judges what is due by the report's period."""
        from compiler.report.context import semesters_covered

        as_of, _ = semesters_covered(kind, self.period(kind), self.semesters)
        return validate(self.budget, lang=lang, logframe=self.logframe, as_of=as_of)


def load_logframe(path: str | Path | None):
    """The logframe model, or None when no logframe workbook is given."""
    if path is None:
        return None
    from compiler import read_logframe  # the logframe reader (issue 5)

    return read_logframe.load_logframe(path)


def load_inputs(budget_path: str | Path, logframe_path: str | Path | None, period_text: str) -> LoadedInputs:
    budget = load_budget(budget_path)
    logframe = load_logframe(logframe_path)
    months = int(budget.project.get("disbursement_months", 42))
    available = project_periods(budget.project.first_disbursement_date, months)
    recorded = budget.execution["period"] if len(budget.execution) else []
    latest = int(max(recorded)) if len(recorded) else None
    chosen = parse_period(period_text, available, latest)
    return LoadedInputs(budget, logframe, available[SEMESTER], chosen)
