"""Figures of execution that the rules check and the reports print, computed once, from the models.

The Word reports (executed against budget per line, pari passu per semester, disbursements to
date) and the EX rules read the same numbers from here, so a report can never show a share the
validator did not check.  Pure functions of the models: no files, no Excel.

    periods_of(budget)              the semesters (compiler.periods.Period) of the project, or []
    executed(budget, upto)          per line and source: budget, executed to the end of `upto`, balance
    pari_passu(budget)              per semester: cumulative total, counterpart, share, agreed, owed
    disbursed(budget)               per semester: cumulative MIF received, advances outstanding
                                    (disbursed_rows: the same as row dicts, for the rules)
    reporting_period(budget, lf)    the semester being reported (latest with anything recorded)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING

from compiler import periods
from compiler.model import Budget, line_key
from compiler.sums import column_sum, zero_if_empty
from workbook_templates import layout
from workbook_templates.structure import DONOR_KEY

if TYPE_CHECKING:
    import pandas as pd

SUBTOTAL_KINDS = ("line", layout.CONTINGENCIES)  # the agreed shares are shares of the SUB-TOTAL


def periods_of(budget: Budget) -> list[periods.Period]:
    """The project's semesters over the disbursement period; [] without a first-disbursement date."""
    first = budget.project.first_disbursement_date
    months = budget.project.get("disbursement_months") or 42
    return periods.semesters(first, int(months)) if isinstance(first, dt.date) else []


def executed(budget: Budget, upto: int | None = None) -> pd.DataFrame:
    """One row per budget line (lines, contingencies, MIF cluster monitoring) and source: ref, item, kind,
    component, source, budget, executed (to the end of semester `upto`, all semesters if None), balance."""
    import pandas as pd

    execution = budget.execution
    if upto is not None and not execution.empty:
        execution = execution[execution["period"] <= upto]
    spent = execution.groupby(["ref", "source"])["amount"].sum().to_dict() if not execution.empty else {}
    records = []
    for _, line in budget.lines.iterrows():
        key = line_key(line["ref"], line["kind"], line["component"])
        for source in budget.structure.sources:
            amount = line[source]
            planned = 0.0 if pd.isna(amount) else float(amount)
            done = float(spent.get((key, source), 0.0))
            records.append({"ref": key, "item": line["item"], "kind": line["kind"], "component": line["component"],
                            "source": source, "budget": planned, "executed": done, "balance": planned - done})
    return pd.DataFrame(records, columns=["ref", "item", "kind", "component", "source", "budget", "executed",
                                          "balance"])


@dataclass(frozen=True)
class PariPassu:
    """Pari passu at the end of a semester: cumulative execution within the SUB-TOTAL's scope."""

    period: int
    total: float
    counterpart: float
    agreed: float  # the agreed counterpart share (Project sheet)

    @property
    def share(self) -> float:
        return self.counterpart / self.total if self.total else 0.0

    @property
    def owed(self) -> float:
        """What the counterpart must add to reach the agreed share: (cp + x) / (total + x) = agreed."""
        if not 0 < self.agreed < 1:
            return 0.0
        return max(0.0, (self.agreed * self.total - self.counterpart) / (1 - self.agreed))


def agreed_local_share(budget: Budget) -> float | None:
    """The agreed share of everyone but the donor (counterpart and co-financiers): what pari passu
    measures execution against.  None for a project the donor funds alone."""
    shape = budget.structure
    if not shape.non_donor_funders:
        return None
    shares = [v for k, v in shape.shares(budget.project.values).items() if k != DONOR_KEY]
    return None if any(v is None for v in shares) else float(sum(shares))


def pari_passu(budget: Budget) -> list[PariPassu]:
    """Per semester with execution, the cumulative counterpart share (lines and contingencies)."""
    agreed = agreed_local_share(budget)
    if not budget.execution_rows or agreed is None:
        return []
    keys = {key for key, line in zip(budget.line_keys(), budget.line_rows, strict=True)
            if line["kind"] in SUBTOTAL_KINDS}
    scope = [r for r in budget.execution_rows if r["ref"] in keys]
    local = [r for r in scope if r["source"] != DONOR_KEY]
    semesters, amounts = [r["period"] for r in scope], [r["amount"] for r in scope]
    local_semesters, local_amounts = [r["period"] for r in local], [r["amount"] for r in local]
    out = []
    for period in sorted(set(semesters)):
        # the amounts up to `period`, in the record's order (as pandas adds them)
        total = column_sum(compress(amounts, map(period.__ge__, semesters)))
        counterpart = column_sum(compress(local_amounts, map(period.__ge__, local_semesters)))
        out.append(PariPassu(period, total, counterpart, float(agreed)))
    return out


DISBURSED_COLUMNS = ["period", "row", "donor_received", "advance", "justified", "outstanding"]


def disbursed_rows(budget: Budget) -> list[dict]:
    """Per Disbursements row with any figure, by semester: period, row, and cumulative donor_received, advance,
    justified, outstanding (advances not yet justified: the revolving fund's balance)."""
    money = layout.DISBURSEMENT_MONEY_KEYS
    rows = [r for r in budget.disbursement_rows if any(r[k] == r[k] for k in money)]  # NaN != NaN: empty
    totals = dict.fromkeys(("donor_received", "advance", "justified"), 0.0)
    out = []
    for r in sorted(rows, key=lambda r: (r["period"], r["row"])):
        for key in totals:
            totals[key] += zero_if_empty(r[key])
        out.append({"period": int(r["period"]), "row": int(r["row"]), **totals,
                    "outstanding": totals["advance"] - totals["justified"]})
    return out


def disbursed(budget: Budget) -> pd.DataFrame:
    """`disbursed_rows` as a DataFrame (columns DISBURSED_COLUMNS)."""
    import pandas as pd

    rows = disbursed_rows(budget)
    return pd.DataFrame(rows, columns=DISBURSED_COLUMNS) if rows else pd.DataFrame(columns=DISBURSED_COLUMNS)


def reporting_period(budget: Budget, logframe=None) -> int | None:
    """The semester being reported: the latest with execution, progress or narrative recorded."""
    found = []
    if budget.execution_rows:
        found.append(max(budget.execution_periods()))
    latest = getattr(logframe, "latest_period", None)
    if latest:
        found.append(int(latest))
    return max(found) if found else None
