"""Local-currency rules (FX): the Local spending and Rates sheets, and the rates the conversion uses.

They read `budget.local_rows` (the entries, converted by compiler/currency.py, with each entry's status),
`budget.rate_rows`, `budget.disbursement_rows` and `budget.ledger_problems`.  A workbook without the
local-currency sheets, or with no entries, gives no findings.  An entry that cannot be converted is
left out of the execution record, so each of these findings also means "this amount is missing from
every total until corrected".
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from compiler import currency
from compiler.findings import WARNING, Finding
from compiler.rules.base import EXECUTION, Context, Rule
from workbook_templates import layout
from workbook_templates.structure import DISBURSEMENT_RATE, ENTRY_RATE


def _entries(ctx: Context, status: str):
    return [e for e in ctx.budget.local_rows if e["status"] == status]


def _where(ctx: Context, entry: dict) -> str:
    """ "the entry of 2025-03-15 on line 1.10" — how a finding names a Local spending entry."""
    date = entry["date"].isoformat() if entry["date"] else "?"
    if ctx.lang == "es":
        return f"el registro del {date} de la línea {entry['ref'] or '(sin Ref.)'}"
    return f"the entry of {date} on line {entry['ref'] or '(no Ref.)'}"


class RateMissing(Rule):
    """An amount in local currency with no rate for its date under the agreement's conversion rule: no
    disbursement with its local amount received up to the entry's semester ("disbursement"), no rate
    for the entry's month on the Rates sheet ("monthly"), or no rate on the entry ("entry").  The
    amount cannot be converted, so it is missing from the execution and from every report until a
    rate is recorded."""

    code = "FX01"
    name = "rate-missing"
    group = EXECUTION
    message = ("{where}: {amount:money} {currency} cannot be converted into {project_currency}: {reason}; "
               "it is left out of the execution until it is")
    message_es = ("{where}: {amount:money} {currency} no se puede convertir a {project_currency}: {reason}; "
                  "queda fuera de la ejecución hasta que se registre")
    fix = "Record the rate the agreement's rule asks for (see the message), or correct the entry's date."
    fix_es = "Registre el tipo de cambio que pide la regla del convenio (vea el mensaje), o corrija la fecha."
    REASONS = {DISBURSEMENT_RATE: ("no disbursement received up to {period} has its amount in local currency "
                                   "on the Disbursements sheet",
                                   "ningún desembolso recibido hasta el {period} tiene su monto en moneda local "
                                   "en la hoja Disbursements"),
               "monthly": ("the Rates sheet has no rate for {month}", "la hoja Rates no tiene tipo de cambio "
                                                                      "para {month}"),
               ENTRY_RATE: ("the entry has no rate", "el registro no tiene tipo de cambio")}

    def check(self, ctx: Context) -> Iterator[Finding]:
        rule = ctx.budget.structure.conversion_rule
        from compiler.rules.execution import period_name
        for e in _entries(ctx, currency.NO_RATE):
            reason = self.REASONS[rule][1 if ctx.lang == "es" else 0].format(
                period=period_name(ctx, int(e["period"])), month=e["date"].strftime("%Y-%m"))
            key = "rate" if rule == ENTRY_RATE else "amount"
            yield self.finding(ctx, layout.LOCAL_SHEET, layout.local_cell(key, int(e["row"])), None, e["amount"],
                               where=_where(ctx, e), amount=e["amount"], currency=e["currency"],
                               project_currency=_project_currency(ctx), reason=reason)


class RateFarFromTable(Rule):
    """A rate farther from the Rates sheet than the Project sheet's rate tolerance (5% by default): a
    rate typed on an entry against its month's rate, a disbursement's rate (local currency credited /
    funds received) against the rates of its semester's months, or a month of the Rates sheet against
    both its neighbours (the nearest months with a rate before and after it).  A rate typed upside down
    (0.30 for 3.30), with a digit slipped (33.0), or taken from the wrong month moves every converted
    amount it touches.  A warning: the agreement may
    allow a rate the table does not have, and the officer can say so."""

    code = "FX02"
    name = "rate-far-from-table"
    severity = WARNING
    group = EXECUTION
    message = ("{what}: the rate {actual:rate} is {gap:pct} away from the Rates sheet ({expected}), beyond the "
               "tolerance of {tol:pct}")
    message_es = ("{what}: el tipo de cambio {actual:rate} se aleja {gap:pct} de la hoja Rates ({expected}), más "
                  "que la tolerancia de {tol:pct}")
    fix = "Check the rate against the bank's document; if it is right, note why it differs."
    fix_es = "Revise el tipo de cambio con el documento del banco; si es correcto, anote por qué difiere."

    def check(self, ctx: Context) -> Iterator[Finding]:
        monthly = currency.monthly_rates(ctx.budget.rate_rows)
        if not monthly:
            return
        tol = float(ctx.budget.project.get("rate_tolerance", 0.05))
        es = ctx.lang == "es"
        if ctx.budget.structure.conversion_rule == ENTRY_RATE:
            for e in _entries(ctx, currency.OK):
                table = monthly.get(e["date"].replace(day=1))
                if table is not None and _gap(e["rate_used"], [table.rate]) > tol:
                    yield self._far(ctx, layout.LOCAL_SHEET, e["rate_cell"], e["rate_used"], [table.rate], tol,
                                    _where(ctx, e))
        first = ctx.budget.project.first_disbursement_date
        if first is not None:
            for semester, rate in currency.disbursement_rates(ctx.budget.disbursement_rows).items():
                months = _semester_months(first, semester)
                table = [monthly[m].rate for m in months if m in monthly]
                if table and _gap(rate.rate, table) > tol:
                    what = (f"desembolso del semestre {semester}" if es else f"disbursement of semester {semester}")
                    yield self._far(ctx, rate.sheet, rate.cell, rate.rate, table, tol, what)
        ordered = sorted(monthly)
        for i, month in enumerate(ordered):
            neighbours = [monthly[m].rate for m in ordered[max(0, i - 1):i + 2] if m != month]
            if neighbours and all(_gap(monthly[month].rate, [n]) > tol for n in neighbours):
                what = f"{'tipo de cambio de' if es else 'rate of'} {month.strftime('%Y-%m')}"
                yield self._far(ctx, layout.RATES_SHEET, monthly[month].cell, monthly[month].rate, neighbours, tol,
                                what)

    def _far(self, ctx: Context, sheet: str, cell: str, rate: float, table: list[float], tol: float,
             what: str) -> Finding:
        shown = " – ".join(f"{r:.4f}" for r in sorted({min(table), max(table)}))
        return self.finding(ctx, sheet, cell, shown, rate, what=what, gap=_gap(rate, table), tol=tol)


def _gap(rate: float, table: list[float]) -> float:
    """How far `rate` is outside the range of `table`, as a share of the nearest end (0 inside it)."""
    low, high = min(table), max(table)
    if rate < low:
        return (low - rate) / low
    if rate > high:
        return (rate - high) / high
    return 0.0


def _semester_months(first, semester: int):
    from compiler import periods
    start = periods.add_months(first.replace(day=1), (semester - 1) * 6)
    return [periods.add_months(start, i) for i in range(6 + (1 if first.day != 1 else 0))]


def _project_currency(ctx: Context) -> str:
    return str(ctx.budget.project.get("currency") or "USD")


class LocalCurrencyCode(Rule):
    """An entry of the Local spending sheet whose currency is not the project's local currency: no code
    at all, another code, or entries while the Project sheet declares no local currency.  mifkit would
    have to guess what the amount is in, so it leaves the entry out."""

    code = "FX03"
    name = "local-currency-code"
    group = EXECUTION
    message = "{where}: {amount:money} in currency {actual}, but the local currency of the Project sheet is {expected}"
    message_es = ("{where}: {amount:money} en la moneda {actual}, pero la moneda local de la hoja Project es "
                  "{expected}")
    fix = ("Type the local currency's code on the entry (amounts in the project currency go on the Execution "
           "sheet), or declare the local currency on the Project sheet.")
    fix_es = ("Escriba el código de la moneda local en el registro (los montos en la moneda del proyecto van en la "
              "hoja Execution), o declare la moneda local en la hoja Project.")

    def check(self, ctx: Context) -> Iterator[Finding]:
        local = ctx.budget.structure.local_currency
        none = "(ninguna)" if ctx.lang == "es" else "(none)"
        for e in _entries(ctx, currency.WRONG_CURRENCY):
            yield self.finding(ctx, layout.LOCAL_SHEET, layout.local_cell("currency", int(e["row"])),
                               local or none, e["currency"] or none, where=_where(ctx, e), amount=e["amount"])


class LedgerEntryUnusable(Rule):
    """A cell of the Local spending or Rates sheet that mifkit cannot use: a date that is not a date or
    falls outside the disbursement period, a source the project does not have, an amount or a rate that
    is not a number, a rate of zero or below, an entry without an amount, a month listed twice on the
    Rates sheet.  The entry (or the month's rate) is left out until it is corrected."""

    code = "FX04"
    name = "local-entry-unusable"
    group = EXECUTION
    message = "{place}: {problem} ({actual})"
    message_es = "{place}: {problem} ({actual})"
    fix = "Type the value as the column asks: a date (2025-03-15), a source of the list, a number above 0."
    fix_es = "Escriba el valor como pide la columna: una fecha (2025-03-15), una fuente de la lista, un número > 0."
    PROBLEMS = {"not_a_date": ("not a date", "no es una fecha"),
                "not_a_number": ("not a number", "no es un número"),
                "unknown_source": ("not a source of this project", "no es una fuente de este proyecto"),
                "not_positive": ("a rate must be above 0", "el tipo de cambio debe ser mayor que 0"),
                "no_amount": ("an entry without an amount", "un registro sin monto"),
                "twice": ("this month already has a rate above", "este mes ya tiene un tipo de cambio más arriba"),
                "outside": ("the date falls outside the disbursement period",
                            "la fecha cae fuera del período de desembolsos")}

    def check(self, ctx: Context) -> Iterator[Finding]:
        es = 1 if ctx.lang == "es" else 0
        problems = [(p.sheet, p.cell, p.what, p.value) for p in ctx.budget.ledger_problems]
        problems += [(layout.LOCAL_SHEET, layout.local_cell("date", int(e["row"])), "outside", e["date"].isoformat())
                     for e in _entries(ctx, currency.OUTSIDE)]
        for sheet, cell, what, value in problems:
            shown = "empty" if value is None or value == "" or (isinstance(value, float) and math.isnan(value)) \
                else str(value)
            yield self.finding(ctx, sheet, cell, None, shown, place=f"{sheet}!{cell}", problem=self.PROBLEMS[what][es])


RULES: tuple[Rule, ...] = (RateMissing(), RateFarFromTable(), LocalCurrencyCode(), LedgerEntryUnusable())
