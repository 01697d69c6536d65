"""Execution rules (EX): the record of execution against the budget and the agreement.

They read `budget.execution_rows` (one row per amount spent: line, semester, source, cell) and
`budget.disbursement_rows` (one row per semester) and compare them with the Budget sheet's lines and
the Project sheet's shares and caps.  A workbook without the Execution sheets gives no findings.

Budget years and semesters: year 1 of the budget annex is taken as the first twelve months from
the first disbursement (semesters 1 and 2), year 2 as semesters 3 and 4, and so on.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from compiler import periods, revisions, tracking
from compiler.findings import WARNING, Finding
from compiler.rules.base import EXECUTION, Context, Rule
from compiler.sums import column_sum, running_sums, zero_if_empty
from workbook_templates import layout


def period_name(ctx: Context, semester: int) -> str:
    return periods.semester_label(int(semester), ctx.budget.project.first_disbursement_date, ctx.lang)


def budget_lines(ctx: Context) -> dict[str, dict]:
    """Budget lines by the key the execution record uses (Ref., or contingencies / monitoring)."""
    return ctx.memo("budget_lines", lambda: _budget_lines(ctx))


def _budget_lines(ctx: Context) -> dict[str, dict]:
    """The first line of each key, as a dict with its key (made from the model's rows, converted once)."""
    lines: dict[str, dict] = {}
    for key, line in zip(ctx.budget.line_keys(), ctx.budget.line_rows, strict=True):
        if key != "" and key not in lines:
            lines[key] = {**line, "key": key}
    return lines


def mif_contribution(ctx: Context) -> float | None:
    """The MIF contribution: the MIF figure of the Budget sheet's TOTAL row."""
    value = ctx.budget.foot.get("total", {}).get("donor")
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def describe(ctx: Context, line) -> str:
    """ "line 1.10 International consultant" / "línea 1.10 …"; the foot lines by their declared name."""
    return ctx.describe(line)


class LineOverBudget(Rule):
    """Cumulative spending on a cost line, from one funding source, above what the budget in force at the
    end of that semester gives that line from that source (the approved budget, or its latest revision
    dated by then, sheet Revisions).  The budget is the ceiling per line and source; spending
    beyond it needs a reallocation approved by the Bank.  The finding points at the semester's cell
    where the cumulative spending first went over, once per line and source."""

    code = "EX01"
    name = "line-over-budget"
    group = EXECUTION
    message = ("{line}: {column} spent to the end of {period} is {actual:money}, above the budget of "
               "{expected:money} for this line and source{in_force} (over by {over:money})")
    message_es = ("{line}: lo gastado con {column} hasta el final del {period} es {actual:money}, más que el "
                  "presupuesto de {expected:money} de esta línea y fuente{in_force_es} (excede en {over:money})")
    fix = "Check the amount; if it is right, the overspending needs a budget reallocation approved by the Bank."
    fix_es = "Revise el monto; si es correcto, el exceso requiere una reasignación aprobada por el Banco."

    def check(self, ctx: Context) -> Iterator[Finding]:
        lines = budget_lines(ctx)
        for spending, row, spent, ceiling in over_budget_cells(ctx):
            number = spending.in_force[row["period"]]
            yield self.finding(ctx, row["sheet"], row["cell"], ceiling, spent,
                               line=describe(ctx, lines[row["ref"]]), column=row["source"],
                               period=period_name(ctx, row["period"]), over=spent - ceiling,
                               in_force=f" as revised by revision {number}" if number else "",
                               in_force_es=f" según la revisión {number}" if number else "")


class LineSpending(NamedTuple):
    """The execution rows of one budget line and source, with the line's budget in force at the end of each
    of their semesters (the approved budget, or the latest revision dated by then)."""

    ref: str
    source: str
    rows: list[dict]                            # execution rows (EXECUTION_COLUMNS), by semester then row
    budgets: dict[int, tuple[dict, float]]      # semester -> (the line's total and year subtotals, its budget
    #                                             from the source), empty figures as 0
    in_force: dict[int, int]                    # semester -> the revision in force (0: the approved budget)
    throughout: tuple[dict, float] | None       # the budget in force in every semester, where it is one


class Crossing(NamedTuple):
    """Where the running spending of a line and source first goes over its ceiling."""

    spending: LineSpending
    row: dict       # the execution row where it goes over
    spent: float    # spent to that row
    ceiling: float


def first_crossing(spending: LineSpending, rows: list[dict], ceiling_of, tolerance: float,
                   same_ceiling: float | None = None) -> Crossing | None:
    """The first of `rows` (in order) where the running sum of the amounts exceeds `ceiling_of(row)` by more
    than `tolerance`.  The running sum is added as pandas' cumsum adds it (compiler/sums.py).  Where every row
    has the same ceiling, given as `same_ceiling`, the running sum's highest point tells whether any row goes over
    (most lines stay within their budget): a float subtraction never changes the order of what it subtracts from,
    and a sum that is not a number stays so and goes over nothing."""
    sums = running_sums([r["amount"] for r in rows])
    if same_ceiling is not None and not max(sums, default=0.0) - same_ceiling > tolerance:
        return None
    for row, spent in zip(rows, sums, strict=True):
        ceiling = ceiling_of(row)
        if spent - ceiling > tolerance:
            return Crossing(spending, row, spent, ceiling)
    return None


def spending_by_line(ctx: Context) -> list[LineSpending]:
    """Every line and source with spending, in order (Ref., source).  Rows of unknown lines are left out
    (EX03 reports them), and so are rows whose budget figure is not a number (DA01 reports it)."""
    return ctx.memo("spending_by_line", lambda: _spending_by_line(ctx))


def _spending_by_line(ctx: Context) -> list[LineSpending]:
    execution = ctx.budget.execution_rows
    if not execution:
        return []
    in_force = {p: revisions.number_for_period(ctx.budget, p) for p in ctx.budget.execution_periods()}
    budget_of = _BudgetBySource(ctx)
    key_of = itemgetter("ref", "source")
    # One stable sort puts each line and source's rows together, by semester then row, ties in the record's order
    # (as pandas' stable sort of each group does)
    ordered = sorted(execution, key=itemgetter("ref", "source", "period", "row"))
    numbers = set(in_force.values())
    out = []
    for key, group in groupby(ordered, key=key_of):
        rows = list(group)
        if len(numbers) == 1:  # one budget in force throughout (no revision dated within the record): the quick way
            budget = budget_of(*key, *numbers)
            if budget is None:
                continue
            budgets = dict.fromkeys(in_force, budget)
            throughout = budget
        else:
            by_number = {number: budget_of(*key, number) for number in numbers}
            budgets = {period: by_number[number] for period, number in in_force.items()}
            rows = [r for r in rows if budgets[r["period"]] is not None]
            if not rows:
                continue
            throughout = None
        out.append(LineSpending(*key, rows, budgets, in_force, throughout))
    return out


class _BudgetBySource:
    """(line key, source, revision) -> (the line's total and year subtotals, its budget from the source) in the
    budget as of that revision, empty figures as 0; None for a key no line has, or a figure that is not a
    number (reported where it is, by DA01, not again as overspending here).  A key names its first line."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.years = [layout.year_keys(y)[2] for y in range(1, ctx.budget.years + 1)]
        self.odd_rows = {source: set().union(*(ctx.odd.get(k, ()) for k in (source, "total", *self.years)))
                         for source in ctx.budget.structure.sources}
        self.lines: dict[int, dict[str, dict]] = {}  # revision -> line key -> its first row
        self.revised: dict[int, set[str]] = {}
        self.figures: dict[tuple[str, int], dict] = {}

    def __call__(self, ref: str, source: str, number: int) -> tuple[dict, float] | None:
        lines = self.lines.get(number)
        if lines is None:
            budget = self.ctx.budget
            lines = self.lines[number] = {}
            for key, line in zip(budget.line_keys(), revisions.rows_as_of(budget, number), strict=True):
                lines.setdefault(key, line)
            self.revised[number] = set(revisions.changed_lines(budget, number)) if number else set()
        line = lines.get(ref) if ref != "" else None
        if line is None or source not in self.odd_rows:
            return None
        if ref not in self.revised[number] and line["row"] in self.odd_rows[source]:
            return None
        figures = self.figures.get((ref, number))
        if figures is None:
            figures = self.figures[(ref, number)] = {k: zero_if_empty(line[k]) for k in ("total", *self.years)}
        return figures, zero_if_empty(line[source])


def over_budget_cells(ctx: Context) -> list[Crossing]:
    """Where each line and source first goes over its budget, by line and source."""
    def compute():
        crossings = (first_crossing(s, s.rows, lambda row, s=s: s.budgets[row["period"]][1], ctx.tolerance,
                                    s.throughout[1] if s.throughout else None)
                     for s in spending_by_line(ctx))
        return [c for c in crossings if c is not None]
    return ctx.memo("over_budget_cells", compute)


class YearOverBudget(Rule):
    """Spending on a cost line and source within one budget year above that year's share of the line's
    budget (the year's subtotal times the source's part of the line total).  A warning: the annual
    phasing of the annex may be reprogrammed in the annual work plan, but the officer should know.
    Not reported where the line is already over its whole budget at the same cell (EX01)."""

    code = "EX02"
    name = "year-over-budget"
    severity = WARNING
    group = EXECUTION
    message = ("{line}: {column} spent in budget year {year} (to the end of {period}) is {actual:money}, above "
               "that year's budget of {expected:money} for this line and source")
    message_es = ("{line}: lo gastado con {column} en el año {year} del presupuesto (hasta el final del {period}) "
                  "es {actual:money}, más que el presupuesto de ese año de {expected:money} para esta línea y fuente")
    fix = "Check the amount, or reprogramme the year's budget in the annual work plan."
    fix_es = "Revise el monto, o reprograme el presupuesto del año en el plan operativo anual."

    def check(self, ctx: Context) -> Iterator[Finding]:
        years = ctx.budget.years
        already = {crossing.row["cell"] for crossing in over_budget_cells(ctx)}
        lines = budget_lines(ctx)
        subtotal = {y: layout.year_keys(y)[2] for y in range(1, years + 1)}
        for spending in spending_by_line(ctx):
            budgets = spending.budgets

            def ceiling(row: dict, budgets=budgets) -> float:  # the year's share of the line's budget from the source
                line, source_budget = budgets[row["period"]]
                return line[subtotal[(row["period"] + 1) // 2]] * source_budget / line["total"]

            by_year: dict[int, list[dict]] = {}
            for row in spending.rows:
                year = (row["period"] + 1) // 2
                if year <= years and budgets[row["period"]][0]["total"] > 0:
                    by_year.setdefault(year, []).append(row)
            # One budget in force: a year's ceiling is the same for all its rows, its first row's
            crossings = (first_crossing(spending, by_year[year], ceiling, ctx.tolerance,
                                        ceiling(by_year[year][0]) if spending.throughout else None)
                         for year in sorted(by_year))
            for _, row, spent, expected in (c for c in crossings if c is not None):
                if row["cell"] in already:
                    continue
                yield self.finding(ctx, row["sheet"], row["cell"], expected, spent,
                                   line=describe(ctx, lines[row["ref"]]), column=row["source"],
                                   year=(row["period"] + 1) // 2, period=period_name(ctx, row["period"]))


class UnknownLine(Rule):
    """Spending recorded on a row whose Ref. is not a cost line of the Budget sheet (or that has no
    Ref.).  Such spending cannot be checked against any budget, and the reports could not place it."""

    code = "EX03"
    name = "spending-on-unknown-line"
    group = EXECUTION
    message = "Spending of {actual:money} on a row whose Ref. ({ref}) is not a cost line of the Budget sheet"
    message_es = "Gasto de {actual:money} en una fila cuya Ref. ({ref}) no es una línea de costo de la hoja Budget"
    fix = "Give the row the Ref. of its Budget line (for example 2.04), or add the line to the budget."
    fix_es = "Ponga en la fila la Ref. de su línea del presupuesto (por ejemplo 2.04), o agregue la línea."

    def check(self, ctx: Context) -> Iterator[Finding]:
        known = budget_lines(ctx)
        unknown: dict[tuple[str, str, int], list[float]] = {}
        for r in ctx.budget.execution_rows:
            if r["ref"] not in known or r["ref"] == "":
                unknown.setdefault((r["sheet"], r["ref"], r["row"]), []).append(r["amount"])
        for (sheet, ref, row), amounts in sorted(unknown.items()):
            cell = layout.local_cell("ref", int(row)) if sheet == layout.LOCAL_SHEET else f"A{int(row)}"
            yield self.finding(ctx, sheet, cell, None, column_sum(amounts), ref=ref or "empty")


class PariPassu(Rule):
    """Pari passu: the counterpart's share of cumulative execution (lines and contingencies, as the agreed
    shares are shares of the SUB-TOTAL) must keep up with the agreed counterpart share, within the
    Project sheet's pari-passu tolerance.  The first evaluation checks "compliance with the pari passu
    requirement" (paragraph 5.4).  The message says how much the counterpart must still contribute to be
    back in line: the x with (counterpart + x) / (total + x) = agreed share.  Checked at the end of every
    semester with execution; an error for the latest semester, a warning for earlier ones (the record of
    a past shortfall, which later spending may have made up)."""

    code = "EX04"
    name = "pari-passu"
    group = EXECUTION
    message = ("Pari passu: to the end of {period} the counterpart has provided {actual:pct} of execution "
               "({counterpart:money} of {total:money}), below the agreed {expected:pct} (tolerance {tol:pct}); "
               "the counterpart owes {owed:money} to be back in line")
    message_es = ("Pari passu: hasta el final del {period} la contrapartida aportó el {actual:pct} de la ejecución "
                  "({counterpart:money} de {total:money}), menos que el {expected:pct} acordado (tolerancia "
                  "{tol:pct}); la contrapartida debe {owed:money} para ponerse al día")
    fix = "Record the counterpart's spending of the semester, or plan the counterpart contribution that is owed."
    fix_es = "Registre el gasto de contrapartida del semestre, o programe el aporte de contrapartida pendiente."

    def check(self, ctx: Context) -> Iterator[Finding]:
        sheet = ctx.budget.execution_sheet
        agreed = tracking.agreed_local_share(ctx.budget)
        if sheet is None or agreed is None or not 0 < float(agreed) < 1:
            return
        tol = float(ctx.budget.project.get("pari_passu_tolerance", 2.0)) / 100
        status = [s for s in tracking.pari_passu(ctx.budget) if s.total > ctx.tolerance]
        for s in status:
            if s.share >= s.agreed - tol:
                continue
            local_source = ctx.budget.structure.sources[1]  # the first source after the donor's
            finding = self.finding(ctx, layout.EXECUTION_SHEET, sheet.cell(s.period, local_source), s.agreed, s.share,
                                   period=period_name(ctx, s.period), counterpart=s.counterpart,
                                   total=s.total, tol=tol, owed=s.owed)
            yield finding if s is status[-1] else dataclasses.replace(finding, severity=WARNING)


class MifDisbursedAboveContribution(Rule):
    """MIF disbursements received, added up semester by semester, above the MIF contribution (the MIF
    figure of the Budget's TOTAL row).  The Bank cannot disburse more than it contributes: a figure above
    it is a typing slip or a disbursement recorded twice.  Pointed at the semester where it first goes over."""

    code = "EX05"
    name = "mif-disbursed-above-contribution"
    group = EXECUTION
    message = ("{donor} funds received to the end of {period} add up to {actual:money}, above the {donor} "
               "contribution of {expected:money}")
    message_es = ("Lo recibido de {donor} hasta el final del {period} suma {actual:money}, más que el aporte de "
                  "{donor} de {expected:money}")
    fix = "Check the funds received in each semester against the donor's disbursement notices."
    fix_es = "Revise lo recibido en cada semestre contra los avisos de desembolso del donante."

    def check(self, ctx: Context) -> Iterator[Finding]:
        contribution = mif_contribution(ctx)
        if contribution is None:
            return
        for row in tracking.disbursed_rows(ctx.budget):
            if row["donor_received"] - contribution > ctx.tolerance:
                cell = layout.disbursement_cell("donor_received", int(row["row"]))
                yield self.finding(ctx, layout.DISBURSEMENTS_SHEET, cell, contribution, row["donor_received"],
                                   period=period_name(ctx, row["period"]))
                return


class RevolvingFundAboveCap(Rule):
    """The revolving fund (advances not yet justified: advances to date minus amounts justified to date)
    above its cap, a share of the MIF contribution set on the Project sheet (paragraph 4.4: "up to 10% of
    the MIF's contribution").  Reported at the advance of the semester where the balance goes over, once
    for each stretch of semesters above the cap."""

    code = "EX06"
    name = "revolving-fund-above-cap"
    group = EXECUTION
    message = ("Revolving fund: advances outstanding at the end of {period} are {actual:money}, above the cap of "
               "{expected:money} ({cap:pct} of the {donor} contribution)")
    message_es = ("Fondo rotatorio: los anticipos pendientes al final del {period} suman {actual:money}, más que "
                  "el tope de {expected:money} ({cap:pct} del aporte de {donor})")
    fix = "Justify expenditure against the advances before requesting a new one, or check the amounts."
    fix_es = "Justifique gastos contra los anticipos antes de pedir uno nuevo, o revise los montos."

    def check(self, ctx: Context) -> Iterator[Finding]:
        contribution = mif_contribution(ctx)
        cap_share = ctx.budget.project.get("revolving_fund_cap")
        if contribution is None or cap_share is None:
            return
        cap = float(cap_share) * contribution
        above = False
        for row in tracking.disbursed_rows(ctx.budget):
            outstanding = row["outstanding"]
            if outstanding - cap > ctx.tolerance:
                if not above:
                    cell = layout.disbursement_cell("advance", int(row["row"]))
                    yield self.finding(ctx, layout.DISBURSEMENTS_SHEET, cell, cap, outstanding,
                                       period=period_name(ctx, row["period"]), cap=float(cap_share))
                above = True
            else:
                above = False


class SpendingOutsideExecutionPeriod(Rule):
    """Spending recorded in a semester that starts after the execution period (Project sheet, 36 months in
    the example; paragraph 4.4).  Disbursements may continue for a few more months (42), but expenditure
    belongs inside the execution period.  One finding per line and semester, at its first amount."""

    code = "EX07"
    name = "spending-outside-execution-period"
    group = EXECUTION
    message = ("{line}: {actual:money} spent in {period}, after the execution period of {months} months "
               "from the first disbursement")
    message_es = ("{line}: {actual:money} gastados en el {period}, después del período de ejecución de {months} "
                  "meses desde el primer desembolso")
    fix = "Record the spending in the semester it happened, or ask the Bank to extend the execution period."
    fix_es = "Registre el gasto en el semestre en que ocurrió, o solicite al Banco la ampliación del plazo."

    def check(self, ctx: Context) -> Iterator[Finding]:
        execution = ctx.budget.execution_rows
        months = ctx.budget.project.get("execution_months")
        if not execution or not months:
            return
        lines = budget_lines(ctx)
        late: dict[tuple[str, int, int], list[dict]] = {}
        for r in execution:
            if (r["period"] - 1) * 6 >= int(months) and abs(r["amount"]) > ctx.tolerance:
                late.setdefault((r["sheet"], r["row"], r["period"]), []).append(r)
        for (_, _, period), group in sorted(late.items(), key=lambda item: item[0]):
            first = group[0]
            line = lines.get(first["ref"])
            name = describe(ctx, line) if line is not None else f"row {int(first['row'])}"
            yield self.finding(ctx, first["sheet"], first["cell"], 0, column_sum(r["amount"] for r in group),
                               line=name, period=period_name(ctx, period), months=int(months))


class ExecutionNotANumber(Rule):
    """An amount cell of the Execution or Disbursements sheet holding text, an error value, a date or a
    boolean.  mifkit cannot add it up, so it is left out of every total until it is corrected."""

    code = "EX08"
    name = "execution-not-a-number"
    group = EXECUTION
    message = "{value!r} is not an amount; it is left out of the execution totals"
    message_es = "{value!r} no es un monto; queda fuera de los totales de ejecución"
    fix = "Type the amount as a number, without text or currency sign."
    fix_es = "Escriba el monto como número, sin texto ni símbolo de moneda."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for odd in ctx.budget.execution_odd:
            yield self.finding(ctx, odd.sheet, odd.address, None, str(odd.value), value=str(odd.value))


class ExecutionOutsideTable(Rule):
    """A figure on the Execution sheet where no cost line is: on a component heading row or below the
    TOTAL row.  It is added to no line, so no rule and no report sees it."""

    code = "EX09"
    name = "execution-outside-table"
    group = EXECUTION
    message = "{actual:money} is outside the cost lines (on a component heading or below TOTAL): it is counted nowhere"
    message_es = ("{actual:money} está fuera de las líneas de costo (en el título de un componente o debajo de TOTAL): "
                  "no se cuenta en ningún lado")
    fix = "Move the amount to the row of its cost line (same Ref. as on the Budget sheet)."
    fix_es = "Pase el monto a la fila de su línea de costo (la misma Ref. que en la hoja Budget)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        sheet = ctx.budget.execution_sheet
        for stray in sheet.stray if sheet else ():
            yield self.finding(ctx, layout.EXECUTION_SHEET, stray.address, None, stray.value)


class DuplicateExecutionRow(Rule):
    """The same Ref. on two rows of the Execution sheet, both with figures: their spending is added up, which
    is right only if the row was split on purpose; a row copied by mistake counts its spending twice."""

    code = "EX10"
    name = "duplicate-execution-row"
    severity = WARNING
    group = EXECUTION
    message = "Ref. {ref} also has figures on row {first}; the spending of both rows is added up"
    message_es = "La Ref. {ref} también tiene montos en la fila {first}; se suma el gasto de ambas filas"
    fix = "Keep one row per cost line: move the figures to the first row and clear the copy."
    fix_es = "Deje una fila por línea de costo: pase los montos a la primera fila y borre la copia."

    def check(self, ctx: Context) -> Iterator[Finding]:
        sheet = ctx.budget.execution_sheet
        for key, first, row in sheet.duplicates if sheet else ():
            yield self.finding(ctx, layout.EXECUTION_SHEET, f"A{row}", first, row, ref=key, first=first)


class SemesterWithoutRecord(Rule):
    """A semester from the first one recorded up to the one being reported (the latest with anything
    recorded, or the period a report is compiled for, such as the final report's last semester) with no
    amount on the Execution sheet. The reports cannot tell a semester in which nothing was spent from one
    that was never recorded, so they say "no record" there; the cumulative figures stop at the last
    semester recorded. Semesters before the first record are not reported (a record may start with one
    cumulative entry). One finding per run of such semesters, at the first one's column."""

    code = "EX11"
    name = "semester-without-record"
    severity = WARNING
    group = EXECUTION
    message = "No execution is recorded for {semesters} (up to the end of {period}): the reports say \"no record\" " \
              "there and their cumulative figures stop before it"
    message_es = "No hay ejecución registrada para {semesters} (hasta el final del {period}): los informes dicen " \
                 "\"sin registro\" ahí y sus cifras acumuladas se detienen antes"
    fix = "Record the semester's spending on the Execution sheet; where nothing was spent, type 0 in one of its " \
          "cells so that the record says so."
    fix_es = "Registre el gasto del semestre en la hoja Execution; si no hubo gasto, escriba 0 en una de sus " \
             "celdas para que el registro lo diga."

    def check(self, ctx: Context) -> Iterator[Finding]:
        sheet = ctx.budget.execution_sheet
        last = ctx.as_of if ctx.as_of is not None else tracking.reporting_period(ctx.budget, ctx.logframe)
        if sheet is None or not last:
            return
        recorded = ctx.budget.execution_periods()
        missing = [n for n in range(min(recorded, default=1), int(last) + 1) if n not in recorded]
        for run in _runs(missing):
            yield self.finding(ctx, layout.EXECUTION_SHEET, sheet.cell(run[0], ctx.budget.structure.sources[0]),
                               None, None, semesters=_run_name(ctx, run), period=period_name(ctx, int(last)))


def _runs(numbers: list[int]) -> list[list[int]]:
    """[4, 5, 6, 9] -> [[4, 5, 6], [9]]."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return runs


def _run_name(ctx: Context, run: list[int]) -> str:
    """ "Semesters 4–7" / "los semestres 4–7"; one semester by its name ("el Semestre 4: ene–jun 2006")."""
    if len(run) == 1:
        return ("el " if ctx.lang == "es" else "") + period_name(ctx, run[0])
    return f"{'los semestres' if ctx.lang == 'es' else 'Semesters'} {run[0]}–{run[-1]}"


class ProjectionAboveBalance(Rule):
    """Disbursements projected for the semesters after the last one with funds received (the Disbursements
    sheet's "Projected disbursement"), added to what was received, above the donor contribution (the donor
    figure of the Budget's TOTAL row).  The work plan cannot ask for more than the undisbursed balance: a
    projection above it is a plan the Bank will not fund.  Pointed at the projection that goes over."""

    code = "EX12"
    name = "projection-above-balance"
    group = EXECUTION
    message = ("{donor} funds projected to the end of {period} add up to {projected:money}, above the undisbursed "
               "balance of {balance:money} (contribution {expected:money}, received {received:money})")
    message_es = ("Los fondos de {donor} proyectados hasta el final del {period} suman {projected:money}, más que el "
                  "saldo por desembolsar de {balance:money} (aporte {expected:money}, recibido {received:money})")
    fix = "Bring the projected disbursements within the undisbursed balance, or check the amounts received."
    fix_es = "Ajuste los desembolsos proyectados al saldo por desembolsar, o revise los montos recibidos."

    def check(self, ctx: Context) -> Iterator[Finding]:
        contribution = mif_contribution(ctx)
        rows = sorted(ctx.budget.disbursement_rows, key=lambda r: (r["period"], r["row"]))
        if contribution is None or not rows:
            return
        last = max((r["period"] for r in rows if zero_if_empty(r["donor_received"]) != 0), default=0)
        received = column_sum(r["donor_received"] for r in rows if r["period"] <= last)
        balance = contribution - received
        projected = 0.0
        for row in (r for r in rows if r["period"] > last):
            amount = row["projected"]
            if amount != amount:  # NaN: nothing projected for that semester
                continue
            projected += float(amount)
            if projected - balance > ctx.tolerance and row.get("projected_cell"):
                yield self.finding(ctx, layout.DISBURSEMENTS_SHEET, row["projected_cell"], contribution,
                                   received + projected, period=period_name(ctx, row["period"]),
                                   projected=projected, balance=balance, received=received)
                return


class DisbursedWithMilestoneNotMet(Rule):
    """Funds received in a semester whose disbursement milestone is recorded as not met.  Paragraph 4.4:
    meeting the milestones of the disbursement timetable is a condition precedent to disbursements, and the
    Bank may cancel the project when they are not met within six months of their deadline.  A warning: the
    Bank may have waived or rescheduled the milestone; the report should then say so."""

    code = "EX13"
    name = "disbursed-with-milestone-not-met"
    severity = WARNING
    group = EXECUTION
    message = ("{donor} funds of {actual:money} received in {period}, whose disbursement milestone is recorded as "
               "not met (paragraph 4.4: meeting it is a condition of the disbursement)")
    message_es = ("Se recibieron {actual:money} de {donor} en el {period}, cuyo hito de desembolso figura como no "
                  "cumplido (párrafo 4.4: cumplirlo es condición del desembolso)")
    fix = "Check the milestone's status; if the Bank waived or rescheduled it, say so in the justification note."
    fix_es = "Revise el estado del hito; si el Banco lo dispensó o reprogramó, indíquelo en la nota de justificación."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for row in sorted(ctx.budget.disbursement_rows, key=lambda r: (r["period"], r["row"])):
            received = row["donor_received"]
            if row["milestone_met"] == "No" and received == received and received > ctx.tolerance \
                    and row.get("milestone_cell"):
                yield self.finding(ctx, layout.DISBURSEMENTS_SHEET, row["milestone_cell"], None, float(received),
                                   period=period_name(ctx, row["period"]))


RULES: tuple[Rule, ...] = (
    LineOverBudget(), YearOverBudget(), UnknownLine(), PariPassu(), MifDisbursedAboveContribution(),
    RevolvingFundAboveCap(), SpendingOutsideExecutionPeriod(), ExecutionNotANumber(), ExecutionOutsideTable(),
    DuplicateExecutionRow(), SemesterWithoutRecord(), ProjectionAboveBalance(), DisbursedWithMilestoneNotMet(),
)
