"""Figures of execution that the rules check and the reports print, computed once, from the models.

The Word reports (executed against budget per line, pari passu per semester, disbursements to
date) and the EX rules read the same numbers from here, so a report can never show a share the
validator did not check.  Pure functions of the models: no files, no Excel.

    periods_of(budget)              the semesters (compiler.periods.Period) of the project, or []
    executed(budget, upto)          per line and source: budget, executed to the end of `upto`, balance
    pari_passu(budget)              per semester: cumulative total, counterpart, share, agreed, owed
    disbursed(budget)               per semester: cumulative MIF received, advances outstanding
    reporting_period(budget, lf)    the semester being reported (latest with anything recorded)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from compiler import periods
from compiler.model import Budget, line_key
from workbook_templates import layout
from workbook_templates.structure import DONOR_KEY

SUBTOTAL_KINDS = ("line", layout.CONTINGENCIES)  # the agreed shares are shares of the SUB-TOTAL


def periods_of(budget: Budget) -> list[periods.Period]:
    """The project's semesters over the disbursement period; [] without a first-disbursement date."""
    first = budget.project.first_disbursement_date
    months = budget.project.get("disbursement_months") or 42
    return periods.semesters(first, int(months)) if isinstance(first, dt.date) else []


def executed(budget: Budget, upto: int | None = None) -> pd.DataFrame:
    """One row per budget line (lines, contingencies, MIF cluster monitoring) and source: ref, item, kind,
    component, source, budget, executed (to the end of semester `upto`, all semesters if None), balance."""
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
    execution = budget.execution
    if execution.empty or agreed is None:
        return []
    keys = {key for key, kind in zip(budget.line_keys(), budget.lines["kind"], strict=True) if kind in SUBTOTAL_KINDS}
    scope = execution[execution["ref"].isin(keys)]
    out = []
    for period in sorted(int(p) for p in scope["period"].unique()):
        upto = scope[scope["period"] <= period]
        counterpart = float(upto[upto["source"] != DONOR_KEY]["amount"].sum())
        out.append(PariPassu(period, float(upto["amount"].sum()), counterpart, float(agreed)))
    return out


def disbursed(budget: Budget) -> pd.DataFrame:
    """Per Disbursements row with any figure: period, row, and cumulative donor_received, advance, justified,
    outstanding (advances not yet justified: the revolving fund's balance)."""
    frame = budget.disbursements
    columns = ["period", "row", "donor_received", "advance", "justified", "outstanding"]
    if not frame.empty:
        frame = frame.dropna(how="all", subset=list(layout.DISBURSEMENT_MONEY_KEYS))
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.sort_values(["period", "row"])
    out = pd.DataFrame({"period": frame["period"].astype(int), "row": frame["row"].astype(int)})
    for key in ("donor_received", "advance", "justified"):
        out[key] = frame[key].fillna(0.0).astype(float).cumsum()
    out["outstanding"] = out["advance"] - out["justified"]
    return out.reset_index(drop=True)[columns]


def reporting_period(budget: Budget, logframe=None) -> int | None:
    """The semester being reported: the latest with execution, progress or narrative recorded."""
    found = []
    if not budget.execution.empty:
        found.append(int(budget.execution["period"].max()))
    latest = getattr(logframe, "latest_period", None)
    if latest:
        found.append(int(latest))
    return max(found) if found else None
