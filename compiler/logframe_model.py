"""The logical framework and its progress record as data: what read_logframe produces and the LF rules,
the reports and the add-in consume.

Every table is a pandas DataFrame with the Excel `row` of each entry, and every figure a rule can
report on carries its A1 cell, so a finding points at the cell to fix.  Texts are kept as typed;
numbers that are not numbers are listed in `odd` instead of being guessed.  A text the reports print
has a Spanish twin, KEY_es, "" when the workbook gives none (the Spanish report then prints the English).

Tables (columns):
- objectives:  level, component, text, means, assumptions (and their _es), row
- indicators:  level, component, code, text, unit, baseline, target, means, assumptions (and their _es),
               milestone_month (float, NaN when none), recurring (text), recurring_from_year (float, NaN
               when none), row, code_cell, target_cell, milestone_cell
- amounts:     component, text, text_es, donor, counterpart, row, donor_cell, counterpart_cell
               (Activities headings)
- activities:  component, letter, code ("2.a"), text, text_es, row
- progress:    period, code, kind ("indicator" | "activity" | "unknown"), actual (text as typed), actual_es,
               actual_number (float or NaN), status (canonical English or as typed), comment, comment_es,
               row, actual_cell, status_cell, code_cell
- narrative:   period, achievements, problems, administrative, council_follow_up, next_plan, compliance,
               lessons (and their _es), row
- risks:       period, code, risk, risk_es, rating (High | Medium | Low, or as typed), mitigation,
               mitigation_es, status (Active | Mitigated | Materialized | Closed, or as typed), comment,
               comment_es, row, rating_cell, code_cell  (empty without a Risks sheet)
- audits:      number, delivered (datetime.date or None), opinion, opinion_es, row, delivered_cell
               (empty without an Audits sheet)
- closing:     topic key ("sustainability" | "satisfaction" | "advance") -> {"text": ..., "text_es": ...}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from compiler.model import OddCell

if TYPE_CHECKING:
    import pandas as pd

OBJECTIVE_TEXTS = ("text", "text_es", "means", "means_es", "assumptions", "assumptions_es")
INDICATOR_TEXTS = ("text", "text_es", "unit", "unit_es", "baseline", "baseline_es", "target", "target_es",
                   "means", "means_es", "assumptions", "assumptions_es")
NARRATIVE_TEXTS = ("achievements", "achievements_es", "problems", "problems_es", "administrative",
                   "administrative_es", "council_follow_up", "council_follow_up_es", "next_plan", "next_plan_es",
                   "compliance", "compliance_es", "lessons", "lessons_es")
OBJECTIVE_COLUMNS = ("level", "component", *OBJECTIVE_TEXTS, "row")
INDICATOR_COLUMNS = ("level", "component", "code", *INDICATOR_TEXTS, "milestone_month", "recurring",
                     "recurring_from_year", "row", "code_cell", "target_cell", "milestone_cell")
AMOUNT_COLUMNS = ("component", "text", "text_es", "donor", "counterpart", "row", "donor_cell", "counterpart_cell")
ACTIVITY_COLUMNS = ("component", "letter", "code", "text", "text_es", "row")
PROGRESS_COLUMNS = ("period", "code", "kind", "actual", "actual_es", "actual_number", "status", "comment",
                    "comment_es", "row", "actual_cell", "status_cell", "code_cell")
NARRATIVE_COLUMNS = ("period", *NARRATIVE_TEXTS, "row")
RISK_COLUMNS = ("period", "code", "risk", "risk_es", "rating", "mitigation", "mitigation_es", "status", "comment",
                "comment_es", "row", "rating_cell", "code_cell")
AUDIT_COLUMNS = ("number", "delivered", "opinion", "opinion_es", "row", "delivered_cell")


def empty_risks() -> pd.DataFrame:
    import pandas as pd  # a logframe is read with pandas; the budget's validation needs none of it

    return pd.DataFrame(columns=list(RISK_COLUMNS))


def empty_audits() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(columns=list(AUDIT_COLUMNS))


def in_language(row: pd.Series | None, key: str, lang: str) -> str:
    """The text of `key` in language `lang`: in Spanish the workbook's Spanish text (KEY_es) where it is
    filled, the English otherwise; "" for no row."""
    if row is None:
        return ""
    for name in ((f"{key}_es", key) if lang == "es" else (key,)):
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool) and value == value:  # not NaN
            return str(int(value)) if float(value).is_integer() else str(value)
    return ""


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
    risks: pd.DataFrame = field(default_factory=empty_risks)
    audits: pd.DataFrame = field(default_factory=empty_audits)
    closing: dict[str, dict[str, str]] = field(default_factory=dict)

    def indicator(self, code: str) -> pd.Series | None:
        found = self.indicators[self.indicators["code"] == code]
        return None if found.empty else found.iloc[0]

    @property
    def latest_period(self) -> int | None:
        """The latest semester with anything recorded (an actual value, status, comment or narrative)."""
        texts = ["actual", "actual_es", "status", "comment", "comment_es"]
        filled = self.progress[(self.progress[texts] != "").any(axis=1)]
        periods = list(filled["period"])
        text_cols = list(NARRATIVE_TEXTS)
        if not self.narrative.empty:
            written = self.narrative[(self.narrative[text_cols] != "").any(axis=1)]
            periods += list(written["period"])
        return int(max(periods)) if periods else None
