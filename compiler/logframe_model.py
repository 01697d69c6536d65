"""The logical framework and its progress record as data: what read_logframe produces and the LF rules,
the reports and the add-in consume.

Every table is a pandas DataFrame with the Excel `row` of each entry, and every figure a rule can
report on carries its A1 cell, so a finding points at the cell to fix.  Texts are kept as typed;
numbers that are not numbers are listed in `odd` instead of being guessed.

Tables (columns):
- objectives:  level, component, text, means, assumptions, row
- indicators:  level, component, code, text, unit, baseline, target, milestone_month (float, NaN when
               none), recurring (text), recurring_from_year (float, NaN when none), means, assumptions,
               row, code_cell, target_cell, milestone_cell
- amounts:     component, text, mif, counterpart, row, donor_cell, counterpart_cell   (Activities headings)
- activities:  component, letter, code ("2.a"), text, row
- progress:    period, code, kind ("indicator" | "activity" | "unknown"), actual (text as typed),
               actual_number (float or NaN), status (canonical English or as typed), comment, row,
               actual_cell, status_cell, code_cell
- narrative:   period, achievements, problems, administrative, council_follow_up, row
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from compiler.model import OddCell

OBJECTIVE_COLUMNS = ("level", "component", "text", "means", "assumptions", "row")
INDICATOR_COLUMNS = ("level", "component", "code", "text", "unit", "baseline", "target", "milestone_month",
                     "recurring", "recurring_from_year", "means", "assumptions", "row", "code_cell", "target_cell",
                     "milestone_cell")
AMOUNT_COLUMNS = ("component", "text", "donor", "counterpart", "row", "donor_cell", "counterpart_cell")
ACTIVITY_COLUMNS = ("component", "letter", "code", "text", "row")
PROGRESS_COLUMNS = ("period", "code", "kind", "actual", "actual_number", "status", "comment", "row",
                    "actual_cell", "status_cell", "code_cell")
NARRATIVE_COLUMNS = ("period", "achievements", "problems", "administrative", "council_follow_up", "row")


@dataclass
class Logframe:
    """Everything read from a logframe workbook."""

    source: str
    project_number: str
    objectives: pd.DataFrame
    indicators: pd.DataFrame
    amounts: pd.DataFrame
    activities: pd.DataFrame
    progress: pd.DataFrame
    narrative: pd.DataFrame
    odd: list[OddCell] = field(default_factory=list)          # non-numbers where a number belongs
    unreadable: list[tuple[str, str, str, str]] = field(default_factory=list)  # (sheet, cell, value, what)

    def indicator(self, code: str) -> pd.Series | None:
        found = self.indicators[self.indicators["code"] == code]
        return None if found.empty else found.iloc[0]

    @property
    def latest_period(self) -> int | None:
        """The latest semester with anything recorded (an actual value, status, comment or narrative)."""
        filled = self.progress[(self.progress["actual"] != "") | (self.progress["status"] != "")
                               | (self.progress["comment"] != "")]
        periods = list(filled["period"])
        text_cols = ["achievements", "problems", "administrative", "council_follow_up"]
        if not self.narrative.empty:
            written = self.narrative[(self.narrative[text_cols] != "").any(axis=1)]
            periods += list(written["period"])
        return int(max(periods)) if periods else None
