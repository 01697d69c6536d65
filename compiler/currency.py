"""Local-currency spending into the project currency: the one place where money changes currency.

Pure functions over the model's tables; no I/O.  The agreement's rule (Project sheet, "Local
currency: conversion rule") says which rate converts an entry:

- "disbursement": the rate of the latest disbursement received up to the entry's semester, that is
  the local currency the bank credited divided by the donor's funds received (Disbursements sheet);
- "monthly": the rate of the entry's month on the Rates sheet;
- "entry": the rate typed on the entry itself.

Rates are local-currency units per one unit of the project currency, so an amount converts as
amount / rate.  Every converted amount is rounded to the cent (half away from zero, as accounting
does), once, per entry; the sums of converted entries are sums of those cents.  Against a figure
computed independently (a spreadsheet, a test) a converted total therefore agrees within half a
cent per entry; the rules compare money within the Project sheet's rounding tolerance (0.5 by
default), far above that.

Exchange difference.  The donor's money reaches the project as local currency at the rate of the
disbursement that brought it; its spending is reported at the agreement's rule.  The difference
between the two, per entry funded by the donor, is the exchange difference:

    converted at the rule  −  converted at the disbursement's rate

negative when the local currency weakened between the disbursement and the spending (an exchange
loss: the funds bought less than they are reported as), positive for a gain.  Under the
"disbursement" rule it is nil by construction; it cannot be computed (NaN) where no disbursement
with its local amount precedes the entry.  Counterpart and co-financiers' spending in local currency
is converted the same way but has no exchange difference: their money was never in the project
currency.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from compiler import periods
from compiler.model import CONVERTED_COLUMNS  # the columns conversion adds to an entry
from workbook_templates import layout
from workbook_templates.structure import DISBURSEMENT_RATE, DONOR_KEY, ENTRY_RATE, MONTHLY, QUARTER, Structure

CENT = Decimal("0.01")
# Entry states after conversion.
OK, NO_RATE, UNUSABLE, OUTSIDE, WRONG_CURRENCY = "ok", "no_rate", "unusable", "outside", "wrong_currency"


@dataclass(frozen=True)
class Rate:
    """A rate and the cell it comes from (for the finding that questions it)."""

    rate: float
    sheet: str
    cell: str


def to_project_currency(amount: float, rate: float) -> float:
    """amount / rate, rounded to the cent, half away from zero."""
    value = (Decimal(repr(float(amount))) / Decimal(repr(float(rate)))).quantize(CENT, rounding=ROUND_HALF_UP)
    return float(value)


def monthly_rates(rates: list[dict]) -> dict[dt.date, Rate]:
    """First day of the month -> its rate on the Rates sheet (`rates`: the model's rate rows)."""
    return {r["month"]: Rate(float(r["rate"]), layout.RATES_SHEET, layout.rates_cell("rate", int(r["row"])))
            for r in rates}


def disbursement_rates(disbursements: list[dict]) -> dict[int, Rate]:
    """Semester -> the rate of the funds received in it: local currency credited / donor funds received,
    where both are recorded and above zero (`disbursements`: the model's disbursement rows)."""
    out = {}
    for rec in disbursements:
        received, local = _number(rec.get("donor_received")), _number(rec.get("received_local"))
        if received > 0 and local > 0:
            out[int(rec["period"])] = Rate(local / received, layout.DISBURSEMENTS_SHEET,
                                           layout.disbursement_cell("received_local", int(rec["row"])))
    return out


def rate_of_disbursement(table: dict[int, Rate], semester: int) -> Rate | None:
    """The rate of the latest disbursement received up to and including `semester`."""
    earlier = [s for s in table if s <= semester]
    return table[max(earlier)] if earlier else None


def place(day: dt.date, spans: list) -> tuple[int, int] | None:
    """(semester, quarter) of a day among the disbursement period's `spans` (compiler.periods.periods;
    quarter 0 where execution is recorded per semester), or None outside them."""
    for p in spans:
        if p.contains(day):
            return ((p.number + 1) // 2, p.number) if p.kind == QUARTER else (p.number, 0)
    return None


def convert(local: list[dict], shape: Structure, first_disbursement: dt.date | None, months: int,
            monthly: dict[dt.date, Rate], by_disbursement: dict[int, Rate], unusable_rows: set[int]) -> list[dict]:
    """The entries of the Local spending sheet (model.LOCAL_COLUMNS) with CONVERTED_COLUMNS added.
    `unusable_rows` are rows with a cell the reader could not use (reported by the rules; left
    unconverted here)."""
    out = []
    spans = periods.periods(first_disbursement, months, shape.period) if first_disbursement else []
    for rec in local:
        rec = {**rec, **dict.fromkeys(CONVERTED_COLUMNS)}
        rec.update(period=0, quarter=0, converted=math.nan, at_funding_rate=math.nan, exchange_difference=math.nan)
        out.append(rec)
        if int(rec["row"]) in unusable_rows:
            rec["status"] = UNUSABLE
            continue
        if not shape.local_currency or rec["currency"] != shape.local_currency:
            rec["status"] = WRONG_CURRENCY
            continue
        where = place(rec["date"], spans)
        if where is None:
            rec["status"] = OUTSIDE
            continue
        rec["period"], rec["quarter"] = where
        funding = rate_of_disbursement(by_disbursement, rec["period"])
        rate = rate_for(rec, shape.conversion_rule, monthly, funding)
        if rate is None:
            rec["status"] = NO_RATE
            continue
        rec.update(status=OK, rate_used=rate.rate, rate_sheet=rate.sheet, rate_cell=rate.cell,
                   converted=to_project_currency(rec["amount"], rate.rate))
        if rec["source"] == DONOR_KEY and funding is not None:
            rec.update(funding_rate=funding.rate, at_funding_rate=to_project_currency(rec["amount"], funding.rate))
            rec["exchange_difference"] = round(rec["converted"] - rec["at_funding_rate"], 2)
    return out


def rate_for(entry: dict, rule: str, monthly: dict[dt.date, Rate], funding: Rate | None) -> Rate | None:
    """The rate the agreement's rule gives an entry, or None when there is none for its date."""
    if rule == DISBURSEMENT_RATE:
        return funding
    if rule == MONTHLY:
        return monthly.get(entry["date"].replace(day=1))
    if rule == ENTRY_RATE and entry["rate"] is not None and not _isnan(entry["rate"]):
        return Rate(float(entry["rate"]), layout.LOCAL_SHEET, layout.local_cell("rate", int(entry["row"])))
    return None


def as_execution(converted: list[dict]) -> list[dict]:
    """The converted entries as records of the execution record (model.EXECUTION_COLUMNS), so that
    every execution rule and report counts them with the Execution sheet's figures."""
    return [{"ref": r["ref"], "item": r["description"], "period": int(r["period"]), "quarter": int(r["quarter"]),
             "source": r["source"], "amount": float(r["converted"]), "sheet": layout.LOCAL_SHEET,
             "cell": layout.local_cell("amount", int(r["row"])), "row": int(r["row"])}
            for r in converted if r["status"] == OK]


def _number(value: object) -> float:
    return 0.0 if value is None or _isnan(value) else float(value)


def _isnan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)
