"""Logical-framework rules (LF): the logframe workbook against the budget and against time.

They read `ctx.logframe` (compiler/logframe_model.py) and give no findings when no logframe was
given.  Their findings name the logframe file as their source.

"The period" is the one being reported: the latest semester with anything recorded, in the
logframe's Progress or Narrative or in the budget's Execution sheet.  A milestone month counts from
the first disbursement (month 14 falls in semester 3); "Annually, beginning in year 2" makes an
indicator due at months 24, 36 ... up to the end of the execution period.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from compiler import periods, tracking
from compiler.findings import WARNING, Finding
from compiler.logframe_model import Logframe, in_language
from compiler.rules.base import LOGFRAME, Context, Rule, num
from workbook_templates import logframe_layout as lf

if TYPE_CHECKING:
    import pandas as pd  # the logframe's tables (compiler/logframe_model.py); rows are Series


def logframe_of(ctx: Context) -> Logframe | None:
    return ctx.logframe if isinstance(ctx.logframe, Logframe) else None


def current_period(ctx: Context) -> int | None:
    """The semester being reported: the one validation is asked for, else the latest with progress, narrative or
    execution recorded."""
    if ctx.as_of is not None:
        return ctx.as_of or None  # 0: a quarter before any semester has closed, nothing is due yet
    return tracking.reporting_period(ctx.budget, logframe_of(ctx))


def period_name(ctx: Context, semester: int) -> str:
    return periods.semester_label(int(semester), ctx.budget.project.first_disbursement_date, ctx.lang)


def due_months(indicator: pd.Series, execution_months: int) -> list[int]:
    """The project months by which an indicator must show its value."""
    months = []
    if not math.isnan(num_or_nan(indicator["milestone_month"])):
        months.append(int(indicator["milestone_month"]))
    from_year = num_or_nan(indicator["recurring_from_year"])
    if not math.isnan(from_year):
        first = 12 * int(from_year)
        months += list(range(first, max(execution_months, first) + 1, 12))
    return sorted(set(months))


def num_or_nan(value: object) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def last_due(ctx: Context, indicator: pd.Series, period: int) -> int | None:
    """The latest month, by the end of `period`, by which the indicator was due (None: not yet due)."""
    months = int(ctx.budget.project.get("execution_months", 36))
    dues = [d for d in due_months(indicator, months) if d <= period * 6]
    return max(dues) if dues else None


def short(text: str, words: int = 10) -> str:
    parts = str(text).split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def named(indicator: pd.Series, ctx: Context) -> str:
    """The indicator's first words, in the language of the findings (its Spanish text where given)."""
    return short(in_language(indicator, "text", ctx.lang))


class LogframeFinding(Rule):
    """Base of the LF rules: findings name the logframe workbook as their source."""

    group = LOGFRAME

    def lf_finding(self, ctx: Context, sheet: str, cell: str, expected: object, actual: object, **values) -> Finding:
        finding = self.finding(ctx, sheet, cell, expected, actual, **values)
        return dataclasses.replace(finding, source=logframe_of(ctx).source)


class ComponentAmounts(LogframeFinding):
    """The MIF and counterpart amounts the logframe states for a component (Activities sheet) against the
    component's row on the Budget sheet (MIF; counterpart subtotal).  The logframe and the budget annex are
    two tables of one approved document: the Bank reads both and they must agree."""

    code = "LF01"
    name = "component-amounts-differ-from-budget"
    message = ("Component {component}: the logframe states {what} {actual:money}, the budget's component row "
               "{expected:money}")
    message_es = ("Componente {component}: el marco lógico indica {what} {actual:money}, la fila del componente en "
                  "el presupuesto {expected:money}")
    fix = "Correct the logframe's amount, or the budget if the logframe is right."
    fix_es = "Corrija el monto del marco lógico, o el presupuesto si el marco lógico es el correcto."

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        if logframe is None:
            return
        components = ctx.budget.components
        for _, row in logframe.amounts.iterrows():
            budget_row = components[components["component"] == row["component"]]
            for key, budget_key, cell_key in (("donor", "donor", "donor_cell"),
                                              ("counterpart", "counterpart_subtotal", "counterpart_cell")):
                stated = row[key]
                if isinstance(stated, float) and math.isnan(stated) or budget_key not in components:
                    continue
                if not budget_row.empty and ctx.is_odd(budget_key, int(budget_row.iloc[0]["row"])):
                    continue  # the budget's figure is not a number: DA01 reports it there
                budget = num(budget_row.iloc[0][budget_key]) if not budget_row.empty else 0.0
                if ctx.differs(stated, budget):
                    what = {"donor": ctx.budget.structure.funder_name("donor", ctx.lang),
                            "counterpart": "counterpart" if ctx.lang != "es" else "contrapartida"}[key]
                    yield self.lf_finding(ctx, lf.ACTIVITIES_SHEET, row[cell_key], budget, stated,
                                          component=row["component"] or "?", what=what)


class IndicatorWithoutTarget(LogframeFinding):
    """An indicator without a target, or without a milestone month or recurring rule.  Without them
    nobody can say whether it was met, and the progress report has nothing to compare the actual value
    with.  Reported at the empty cell (a warning: the approved document itself sometimes omits them)."""

    code = "LF02"
    name = "indicator-without-target-or-milestone"
    severity = WARNING
    message = "Indicator {code} ({text}) has no {what}"
    message_es = "El indicador {code} ({text}) no tiene {what}"
    fix = "Fill in the target, and the milestone month or a recurring rule (\"Annually, beginning in year 2\")."
    fix_es = "Complete la meta, y el mes del hito o una regla recurrente (\"Annually, beginning in year 2\")."

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        if logframe is None:
            return
        es = ctx.lang == "es"
        for _, ind in logframe.indicators.iterrows():
            odd_milestone = any(o.sheet == lf.LOGFRAME_SHEET and o.row == ind["row"] and o.key == "milestone_month"
                                for o in logframe.odd)
            if not ind["target"]:
                yield self.lf_finding(ctx, lf.LOGFRAME_SHEET, ind["target_cell"], None, None, code=ind["code"],
                                      text=named(ind, ctx), what="meta" if es else "target")
            if math.isnan(num_or_nan(ind["milestone_month"])) and not ind["recurring"] and not odd_milestone:
                yield self.lf_finding(ctx, lf.LOGFRAME_SHEET, ind["milestone_cell"], None, None, code=ind["code"],
                                      text=named(ind, ctx), what="mes de hito ni regla recurrente" if es
                                      else "milestone month or recurring rule")


def progress_rows(logframe: Logframe, code: str, first: int, last: int) -> pd.DataFrame:
    rows = logframe.progress
    return rows[(rows["code"] == code) & (rows["period"] >= first) & (rows["period"] <= last)]


def due_indicators(ctx: Context):
    """(logframe, period, indicator, month due, its Progress rows since it fell due) for every indicator
    that is due by the end of the period being reported."""
    logframe = logframe_of(ctx)
    period = current_period(ctx)
    if logframe is None or period is None:
        return
    for _, ind in logframe.indicators.iterrows():
        month = last_due(ctx, ind, period)
        if month is None or not ind["code"]:
            continue
        yield logframe, period, ind, month, progress_rows(logframe, ind["code"], periods.semester_of_month(month),
                                                          period)


class DueWithoutActual(LogframeFinding):
    """An indicator due by the end of the period being reported (its milestone month, or a yearly
    measurement, falls on or before it) with no actual value recorded since it fell due.  The semiannual
    report must state it (paragraph 5.1).  Reported at the indicator's Actual value cell for the period."""

    code = "LF03"
    name = "due-indicator-without-actual"
    message = ("Indicator {code} ({text}) was due by month {month}; no actual value is recorded for it up to the "
               "end of {period}")
    message_es = ("El indicador {code} ({text}) vencía en el mes {month}; no hay valor real registrado hasta el "
                  "final del {period}")
    fix = "Record the actual value (and its status) on the Progress sheet for this semester."
    fix_es = "Registre el valor real (y su estado) en la hoja Progress para este semestre."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for logframe, period, ind, month, rows in due_indicators(ctx):
            if (rows["actual"] != "").any():
                continue
            sheet, cell = self._where(logframe, ind, period)
            yield self.lf_finding(ctx, sheet, cell, None, None, code=ind["code"], text=named(ind, ctx),
                                  month=month, period=period_name(ctx, period))

    @staticmethod
    def _where(logframe: Logframe, ind: pd.Series, period: int) -> tuple[str, str]:
        rows = progress_rows(logframe, ind["code"], period, period)
        if not rows.empty:
            return lf.PROGRESS_SHEET, rows.iloc[0]["actual_cell"]
        return lf.LOGFRAME_SHEET, ind["code_cell"]


def _number(text: str) -> float | None:
    match = re.fullmatch(r"\s*([\d.,]+)\s*%?\s*", text or "")
    if not match:
        return None
    try:
        return float(match.group(1).replace(",", ""))
    except ValueError:
        return None


SPANISH_STATUS = {english: spanish for spanish, english in lf.STATUS_SPANISH.items()
                  if spanish not in ("según lo previsto",)}


def status_word(status: str, lang: str) -> str:
    """A canonical status in the message's language: "Behind" -> "Atrasado" in Spanish."""
    return SPANISH_STATUS.get(status, status).capitalize() if lang == "es" and status else status


class MilestoneMissed(LogframeFinding):
    """A milestone that has passed (its month is on or before the end of the period being reported) and
    whose latest recorded status is not "Met" (or, with no status, whose actual value is below a numeric
    target): the indicator is overdue, the word the report's tables and charts use, whatever status the
    officer recorded.  The report must explain it and say what is being done: a warning, since the figure is true,
    but the director and the Bank need to see it."""

    code = "LF04"
    name = "milestone-passed-not-met"
    severity = WARNING
    message = ("Indicator {code} ({text}) is overdue: milestone month {month} has passed and it is not met at the "
               "end of {period}{recorded}: actual {actual}, target {expected} (status recorded: {status})")
    message_es = ("Indicador {code} ({text}) vencido: el hito del mes {month} ya pasó y no se ha cumplido al final "
                  "del {period}{recorded_es}: valor real {actual}, meta {expected} (estado registrado: {status})")
    fix = "Explain the delay and the action taken in the comment and in the Narrative's problems."
    fix_es = "Explique el retraso y las medidas tomadas en el comentario y en los problemas de la hoja Narrative."

    def check(self, ctx: Context) -> Iterator[Finding]:
        for _logframe, period, ind, month, rows in due_indicators(ctx):
            rows = rows[(rows["actual"] != "") | (rows["status"] != "")]
            if rows.empty:
                continue  # nothing recorded: DueWithoutActual (LF03) reports it
            latest = rows.sort_values(["period", "row"]).iloc[-1]
            if self._met(latest, ind):
                continue
            earlier = int(latest["period"]) != int(period)
            recorded = period_name(ctx, latest["period"]) if earlier else ""
            yield self.lf_finding(ctx, lf.PROGRESS_SHEET, latest["status_cell"], ind["target"] or "—",
                                  latest["actual"] or "—", code=ind["code"], text=named(ind, ctx), month=month,
                                  period=period_name(ctx, period),
                                  recorded=f" (last recorded at the end of {recorded})" if earlier else "",
                                  recorded_es=f" (último registro al final del {recorded})" if earlier else "",
                                  status=status_word(latest["status"], ctx.lang) or "—")

    @staticmethod
    def _met(row: pd.Series, ind: pd.Series) -> bool:
        if row["status"]:
            return row["status"] == lf.MET
        target = _number(ind["target"])
        actual = num_or_nan(row["actual_number"])
        return target is not None and not math.isnan(actual) and actual >= target


class UnknownProgressCode(LogframeFinding):
    """A Progress row whose code is neither an indicator of the Logframe sheet nor an activity of the
    Activities sheet (coded component.letter, 2.a), or that has values but no semester.  Its values would
    appear in no report."""

    code = "LF05"
    name = "progress-row-not-placed"
    message = "Progress row {row}: {problem}"
    message_es = "Fila {row} de Progress: {problem}"
    fix = "Use the code of an indicator (1.5) or an activity (2.a) and the semester number (1, 2 …)."
    fix_es = "Use el código de un indicador (1.5) o de una actividad (2.a) y el número de semestre (1, 2 …)."

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        if logframe is None:
            return
        odd_rows = {o.row for o in logframe.odd if o.sheet == lf.PROGRESS_SHEET}
        es = ctx.lang == "es"
        for _, row in logframe.progress.iterrows():
            has_values = bool(row["actual"] or row["status"] or row["comment"])
            if row["kind"] == "unknown" and (row["code"] or has_values):
                problem = (f"el código {row['code']!r} no es un indicador ni una actividad" if es else
                           f"code {row['code']!r} is not an indicator or an activity") if row["code"] else \
                    ("tiene valores pero no tiene código" if es else "has values but no code")
                yield self.lf_finding(ctx, lf.PROGRESS_SHEET, row["code_cell"], None, row["code"], row=int(row["row"]),
                                      problem=problem)
            elif math.isnan(num_or_nan(row["period"])) and has_values and row["row"] not in odd_rows:
                cell = lf.cell(lf.PROGRESS_SHEET, "period", int(row["row"]))
                yield self.lf_finding(ctx, lf.PROGRESS_SHEET, cell, None, None, row=int(row["row"]),
                                      problem="tiene valores pero no tiene semestre" if es else
                                      "has values but no semester")


class LogframeNotReadable(LogframeFinding):
    """A cell of the logframe workbook that mifkit cannot read as what its column holds: a milestone month
    or semester that is not a whole number, an amount that is not a number, a recurring rule or a status
    it does not know.  The value is left out until it is corrected."""

    code = "LF06"
    name = "logframe-cell-not-readable"
    message = "{value!r} is not {what}"
    message_es = "{value!r} no es {what_es}"
    fix = "Type the value as the column asks (a whole number, an amount, or one of the listed choices)."
    fix_es = "Escriba el valor como pide la columna (un número entero, un monto o una de las opciones)."

    WHAT = {"milestone_month": ("a month number (14 for \"by month 14\")", "un número de mes (14 para \"mes 14\")"),
            "period": ("a semester number", "un número de semestre"),
            "component": ("a component number", "un número de componente"),
            "donor": ("an amount", "un monto"), "counterpart": ("an amount", "un monto")}

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        if logframe is None:
            return
        for odd in logframe.odd:
            what, what_es = self.WHAT.get(odd.key, ("a number", "un número"))
            yield self.lf_finding(ctx, odd.sheet, odd.address, None, str(odd.value), value=str(odd.value),
                                  what=what, what_es=what_es)
        for sheet, cell, value, what in logframe.unreadable:
            yield self.lf_finding(ctx, sheet, cell, None, value, value=value, what=what, what_es=what)


class NarrativeMissing(LogframeFinding):
    """The period being reported has no narrative: achievements, problems and action taken, administrative
    matters and follow-up on the strategy councils' decisions are what the progress and management reports
    must say (paragraphs 5.1 and 5.2).  A warning, at the Narrative row of the period."""

    code = "LF07"
    name = "narrative-missing"
    severity = WARNING
    message = "No narrative for {period}: the progress report needs its achievements and problems"
    message_es = "No hay narrativa para el {period}: el informe de avance necesita sus logros y problemas"
    fix = "Write the semester's achievements and problems (and the action taken) on the Narrative sheet."
    fix_es = "Escriba los logros y problemas del semestre (y las medidas tomadas) en la hoja Narrative."

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        period = current_period(ctx)
        if logframe is None or period is None:
            return
        rows = logframe.narrative[logframe.narrative["period"] == period]
        keys = ["achievements", "problems"]
        if not rows.empty and (rows[keys] != "").any(axis=1).any():
            return
        row = int(rows.iloc[0]["row"]) if not rows.empty else lf.FIRST_ROW + period - 1
        yield self.lf_finding(ctx, lf.NARRATIVE_SHEET, lf.cell(lf.NARRATIVE_SHEET, "achievements", row), None, None,
                              period=period_name(ctx, period))


class RiskWithoutRating(LogframeFinding):
    """A risk on the Risks sheet with no rating.  The report's risk table is read by its ratings (High, Medium,
    Low): a risk without one tells the Bank nothing about how much it matters.  (A rating mifkit does not
    know is reported by LF06.)  A warning, at the rating cell."""

    code = "LF08"
    name = "risk-without-rating"
    severity = WARNING
    message = "Risk {risk} ({period}) has no rating"
    message_es = "El riesgo {risk} ({period}) no tiene calificación"
    fix = "Rate the risk High, Medium or Low on the Risks sheet."
    fix_es = "Califique el riesgo como Alto, Medio o Bajo en la hoja Risks."

    def check(self, ctx: Context) -> Iterator[Finding]:
        logframe = logframe_of(ctx)
        if logframe is None or logframe.risks.empty:
            return
        for _, row in logframe.risks.iterrows():
            described = in_language(row, "risk", ctx.lang)
            if row["rating"] or not (described or row["code"]):
                continue
            period = row["period"]
            name = period_name(ctx, period) if period == period else lf.RISKS_SHEET
            risk = f"{row['code']} {short(described, 6)}".strip()
            yield self.lf_finding(ctx, lf.RISKS_SHEET, row["rating_cell"], None, None, risk=risk, period=name)


RULES: tuple[Rule, ...] = (
    ComponentAmounts(), IndicatorWithoutTarget(), DueWithoutActual(), MilestoneMissed(), UnknownProgressCode(),
    LogframeNotReadable(), NarrativeMissing(), RiskWithoutRating(),
)
