"""The one context builder every report template shares.

Workbook models + validation report + period + kind + language -> a plain dict: already formatted
strings, lists of row dicts for the tables (flat, with a `kind` for styling, since docxtpl cannot
nest row loops), and charts.  Every figure comes from the models here, so the templates hold no
arithmetic and the English and Spanish reports cannot disagree.  The README lists the keys.

What "the period" means for the figures: execution is recorded per semester.  A semiannual report
shows its semester and the cumulative figures to its end; a quarterly report shows the figures to
the end of the last semester closed by the end of the quarter (and says so in `financial_basis`);
the final report shows the whole project, cumulatively.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from compiler import tracking
from compiler.findings import ERROR, WARNING, Report
from compiler.model import Budget
from compiler.report import charts, formatting
from compiler.report.logframe_part import STATUSES
from compiler.report.text import words
from workbook_templates import layout

KINDS = ("semiannual", "quarterly", "final")
UNKNOWN = "?"  # spending on a Ref. the budget does not have (the validator reports it)
DEFAULT_PARI_PASSU_TOLERANCE = 2.0  # percentage points, when the Project sheet does not set one


@dataclass
class ReportInputs:
    """What a report is compiled from."""

    budget: Budget
    logframe: object | None
    validation: Report
    period: object            # a reporting period: kind, number, start, end, report_due, name(lang)
    semesters: list           # the project's semesters (same shape), for the figures over time
    kind: str
    lang: str
    compiled_on: dt.date
    draft: bool = False
    budget_file: str = ""
    logframe_file: str = ""


# ------------------------------------------------------------------------------------------------
# Figures from the models
# ------------------------------------------------------------------------------------------------

def _line_keys(budget: Budget) -> pd.DataFrame:
    """Budget lines with the key the execution record uses: the Ref., "contingencies" or an outside line's key."""
    return budget.lines.assign(key=[str(k) for k in budget.line_keys()])


def _execution(budget: Budget) -> pd.DataFrame:
    """The execution record (ref, period, source, amount), empty when the workbook has none."""
    frame = getattr(budget, "execution", None)
    if frame is None or len(frame) == 0:
        return pd.DataFrame({"ref": pd.Series(dtype=str), "period": pd.Series(dtype=int),
                             "source": pd.Series(dtype=str), "amount": pd.Series(dtype=float)})
    frame = frame[["ref", "period", "source", "amount"]].copy()
    frame["ref"] = frame["ref"].astype(str)
    frame["amount"] = pd.to_numeric(frame["amount"], errors="coerce").fillna(0.0)
    return frame


def _disbursements(budget: Budget) -> pd.DataFrame:
    frame = getattr(budget, "disbursements", None)
    columns = ("period", "donor_requested", "donor_received", "advance", "justified")
    if frame is None or len(frame) == 0:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})
    frame = frame[list(columns)].copy()
    for c in columns[1:]:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").fillna(0.0)
    return frame


def semesters_covered(kind: str, period, semesters: list) -> tuple[int, set[int]]:
    """(last semester in the cumulative figures, semesters whose execution is "the period")."""
    if kind == "final":
        return period.number, set(range(1, period.number + 1))
    if getattr(period, "kind", "semester") == "quarter":
        closed = [s.number for s in semesters if s.end <= period.end]
        last = max(closed, default=0)
        in_quarter = {s.number for s in semesters if period.start <= s.end <= period.end}
        return last, in_quarter
    return period.number, {period.number}


def _component_names(budget: Budget, lang: str) -> dict[str, str]:
    """Names of the components, contingencies and lines outside the subtotal in the report's language,
    as the Project sheet declares them."""
    shape = budget.structure
    keys = [*shape.component_keys, layout.CONTINGENCIES, *(o.key for o in shape.outside)]
    names = {key: shape.name_of(key, lang) for key in keys}
    names[UNKNOWN] = words(lang)["unknown_line"]
    return names


def _order(shape) -> callable:
    """Sort key: the components in the Project sheet's order, then contingencies, the lines outside the
    subtotal, then anything else (spending on a line the budget does not have)."""
    keys = [*shape.component_keys, layout.CONTINGENCIES, *(o.key for o in shape.outside)]
    return lambda component: (keys.index(component), "") if component in keys else (len(keys), component)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# ------------------------------------------------------------------------------------------------
# Sections
# ------------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, inputs: ReportInputs):
        self.i = inputs
        self.lang = inputs.lang
        self.t = words(inputs.lang)
        self.budget = inputs.budget
        self.currency = str(self.budget.project.get("currency", "USD"))
        self.tolerance = float(self.budget.project.get("tolerance", 0.5))
        self.lines = _line_keys(self.budget)
        self.names = _component_names(self.budget, self.lang)
        self.component_of = dict(zip(self.lines["key"], self.lines["component"].astype(str), strict=True))
        self.last, self.in_period = semesters_covered(inputs.kind, inputs.period, inputs.semesters)
        execution = _execution(self.budget)
        execution["component"] = execution["ref"].map(self.component_of).fillna(UNKNOWN)
        self.execution = execution
        self.cumulative = execution[execution["period"] <= self.last]
        self.current = execution[execution["period"].isin(self.in_period)]

    def m(self, value: float | None) -> str:
        return formatting.money(value, self.lang)

    def p(self, share: float | None) -> str:
        return formatting.percent(share, self.lang)

    # -- cover -------------------------------------------------------------------------------------
    def cover(self) -> dict:
        project, period, i = self.budget.project, self.i.period, self.i
        report = i.validation
        draft_reason = ""
        if i.draft:
            errors = [f for f in report.findings if f.severity == ERROR][:3]
            first_text = "; ".join(f"{f.code} {f.location}: {f.message}" for f in errors) or "-"
            draft_reason = self.t["draft_reason"].format(errors=report.counts[ERROR], warnings=report.counts[WARNING],
                                                         first=first_text)
        due = period.report_due if i.kind != "final" else i.semesters[-1].end + dt.timedelta(days=60)
        return {
            "report_title": self.t[f"title_{i.kind}"],
            "project_title": str(project.get("title", "")),
            "project_number": str(project.get("project_number", "")),
            "executing_agency": str(project.get("executing_agency", "")),
            "country": str(project.get("country", "")),
            "currency": self.currency,
            "period_name": period.name(self.lang),
            "period_start": formatting.date(period.start, self.lang),
            "period_end": formatting.date(period.end, self.lang),
            "due_date": formatting.date(due, self.lang),
            "compiled_on": formatting.date(i.compiled_on, self.lang),
            "budget_file": i.budget_file,
            "logframe_file": i.logframe_file or "-",
            "draft_banner": self.t["draft"] if i.draft else "",
            "draft_reason": draft_reason,
            "financial_basis": self._basis(),
        }

    def _basis(self) -> str:
        if self.last == 0:
            return self.t["no_data"]
        last = self.i.semesters[self.last - 1]
        return ("Figures to the end of " if self.lang == "en" else "Cifras al cierre del ") + last.name(self.lang)

    # -- financial performance ----------------------------------------------------------------------
    def component_rows(self) -> tuple[list[dict], dict, list[tuple[str, float, float]]]:
        names = self.names
        planned = self.lines.groupby(self.lines["component"].astype(str))["total"].sum(min_count=1).fillna(0.0)
        now = self.current.groupby("component")["amount"].sum()
        cum = self.cumulative.groupby("component")["amount"].sum()
        rows, chart = [], []
        for comp in sorted(set(planned.index) | set(cum.index), key=_order(self.budget.structure)):
            budget, cumulative = float(planned.get(comp, 0.0)), float(cum.get(comp, 0.0))
            is_component = comp in self.budget.structure.component_keys
            rows.append({"kind": "component" if is_component else "other", "number": comp if is_component else "",
                         "name": names.get(comp, comp), "budget": self.m(budget),
                         "period": self.m(float(now.get(comp, 0.0))), "cumulative": self.m(cumulative),
                         "pct": self.p(_share(cumulative, budget))})
            chart.append((names.get(comp, comp), budget, cumulative))
        total_budget, total_cum = float(planned.sum()), float(cum.sum())
        total = {"name": self.t["total"], "budget": self.m(total_budget), "period": self.m(float(now.sum())),
                 "cumulative": self.m(total_cum), "pct": self.p(_share(total_cum, total_budget))}
        return rows, total, chart

    def source_rows(self) -> tuple[list[dict], dict]:
        rows = []
        sources = self.budget.structure.sources
        for source in sources:
            budget = float(self.lines[source].sum(min_count=1) or 0.0)
            cum = float(self.cumulative.loc[self.cumulative["source"] == source, "amount"].sum())
            now = float(self.current.loc[self.current["source"] == source, "amount"].sum())
            rows.append({"kind": "source", "name": self.source_name(source), "budget": self.m(budget),
                         "period": self.m(now), "cumulative": self.m(cum), "pct": self.p(_share(cum, budget))})
        budget = float(self.lines[list(sources)].sum(min_count=1).sum())
        cum, now = float(self.cumulative["amount"].sum()), float(self.current["amount"].sum())
        total = {"name": self.t["total"], "budget": self.m(budget), "period": self.m(now),
                 "cumulative": self.m(cum), "pct": self.p(_share(cum, budget))}
        return rows, total

    def source_name(self, source: str) -> str:
        """A source as the report names it: the donor and co-financiers by name, the counterpart's two kinds."""
        if source in ("counterpart_cash", "counterpart_in_kind"):
            return self.t[source]
        return self.budget.structure.funder_name(source, self.lang)

    def pari_passu(self) -> tuple[list[dict], dict, list[float]]:
        """The local share (counterpart and co-financiers) of cumulative execution within the subtotal (lines
        outside it left out) per semester, and what is owed to be back at the agreed share."""
        agreed = tracking.agreed_local_share(self.budget) or 0.0
        points = self.budget.project.get("pari_passu_tolerance", DEFAULT_PARI_PASSU_TOLERANCE)
        tolerance = float(points) / 100
        outside = {o.key for o in self.budget.structure.outside}
        shared = self.execution[~self.execution["component"].isin(outside)]
        rows, shares, latest = [], [], None
        for semester in self.i.semesters[: self.last]:
            upto = shared[shared["period"] <= semester.number]
            mif = float(upto.loc[upto["source"] == "donor", "amount"].sum())
            cp = float(upto.loc[upto["source"] != "donor", "amount"].sum())
            share = _share(cp, cp + mif)
            owed = max(0.0, agreed / (1 - agreed) * mif - cp) if agreed < 1 else 0.0
            status = ("ok" if share is None or abs(share - agreed) <= tolerance
                      else "behind" if share < agreed else "ahead")
            latest = {"share": share, "owed": owed, "status": status, "agreed": agreed, "tolerance": tolerance}
            shares.append(share or 0.0)
            rows.append({"kind": status, "period": semester.name(self.lang), "donor": self.m(mif),
                         "counterpart": self.m(cp), "share": self.p(share), "agreed": self.p(agreed),
                         "owed": self.m(owed if status == "behind" else 0.0),
                         "status": self.t[f"pari_status_{status}"] if share is not None else formatting.DASH})
        return rows, latest or {"share": None, "owed": 0.0, "status": "ok", "agreed": agreed,
                                "tolerance": tolerance}, shares

    def pari_text(self, latest: dict) -> str:
        if latest["share"] is None:
            return self.t["pari_none"]
        values = {"share": self.p(latest["share"]), "agreed": self.p(latest["agreed"]), "currency": self.currency,
                  "owed": self.m(latest["owed"])}
        return self.t["pari_behind" if latest["status"] == "behind" else "pari_ok"].format(**values)

    def disbursement_rows(self) -> tuple[list[dict], float, list[float]]:
        frame = _disbursements(self.budget)
        cap = float(self.budget.project.get("revolving_fund_cap", 0.1)) * float(self.lines["donor"].sum())
        rows, received, advanced, justified, series = [], 0.0, 0.0, 0.0, []
        for semester in self.i.semesters[: self.last]:
            this = frame[frame["period"] == semester.number]
            received += float(this["donor_received"].sum())
            advanced += float(this["advance"].sum())
            justified += float(this["justified"].sum())
            series.append(received)
            rows.append({"kind": "semester", "period": semester.name(self.lang),
                         "requested": self.m(float(this["donor_requested"].sum())),
                         "received": self.m(float(this["donor_received"].sum())), "cumulative": self.m(received),
                         "advance": self.m(float(this["advance"].sum())),
                         "justified": self.m(float(this["justified"].sum())),
                         "outstanding": self.m(advanced - justified), "cap": self.m(cap)})
        return rows, received, series

    def overspent_rows(self) -> list[dict]:
        """Lines whose cumulative execution from a source exceeds their budget from that source."""
        spent = self.cumulative.groupby(["ref", "source"], as_index=False)["amount"].sum()
        sources = sorted(set(spent["source"]) & set(self.lines.columns))
        planned = self.lines.drop_duplicates("key").melt(id_vars=["key", "item"], value_vars=sources,
                                                         var_name="source", value_name="planned")
        merged = spent.merge(planned, left_on=["ref", "source"], right_on=["key", "source"], how="inner")
        merged["planned"] = merged["planned"].astype(float).fillna(0.0)
        over = merged[merged["amount"] > merged["planned"] + self.tolerance]
        return [{"kind": "line", "ref": ref if ref not in self.names else "",
                 "item": item if isinstance(item, str) else self.names.get(ref, ref),
                 "source": self.source_name(source), "budget": self.m(planned_amount), "executed": self.m(amount),
                 "over": self.m(amount - planned_amount)}
                for ref, source, amount, item, planned_amount in
                over[["ref", "source", "amount", "item", "planned"]].itertuples(index=False)]

    # -- annex ---------------------------------------------------------------------------------------
    def findings(self) -> dict:
        report = self.i.validation
        rows = [{"kind": f.severity, "code": f.code, "severity": self.t[f"severity_{f.severity}"], "cell": f.location,
                 "message": f.message} for f in report.findings]
        text = (self.t["open_findings"].format(errors=report.counts[ERROR], warnings=report.counts[WARNING])
                if rows else self.t["clean"])
        return {"findings": rows, "findings_text": text, "findings_count": str(len(rows))}

    # -- everything ----------------------------------------------------------------------------------
    def build(self) -> dict:
        context = self.cover()
        components, components_total, chart_rows = self.component_rows()
        sources, sources_total = self.source_rows()
        pari_rows, latest, shares = self.pari_passu()
        disbursements, disbursed, disbursed_series = self.disbursement_rows()
        overspent = self.overspent_rows()
        context.update(components=components, components_total=components_total, sources=sources,
                       sources_total=sources_total, pari_passu=pari_rows, pari_passu_text=self.pari_text(latest),
                       disbursements=disbursements, mif_disbursed=self.m(disbursed),
                       revolving_fund_cap=self.m(float(self.budget.project.get("revolving_fund_cap", 0.1))
                                                 * float(self.lines["donor"].sum())),
                       overspent=overspent,
                       overspent_text=(self.t["overspent_some"].format(count=len(overspent)) if overspent
                                       else self.t["overspent_none"]))
        context.update(self.findings())
        context.update(self.outcomes())
        context.update(self.summary(components_total, disbursed, latest, overspent, context))
        context.update(self.charts(chart_rows, disbursed_series, shares, latest, context))
        return context

    def summary(self, total: dict, disbursed: float, latest: dict, overspent: list, context: dict) -> dict:
        t = self.t
        text = t["summary"].format(period=context["period_name"], currency=self.currency,
                                   period_amount=total["period"], cumulative=total["cumulative"], pct=total["pct"],
                                   budget=total["budget"], disbursed=self.m(disbursed),
                                   pari=self.pari_text(latest))
        figures = [(t["kf_budget"], total["budget"]), (t["kf_period"], total["period"]),
                   (t["kf_cumulative"], total["cumulative"]), (t["kf_pct"], total["pct"]),
                   (t["kf_disbursed"], self.m(disbursed)),
                   (t["kf_counterpart_share"].format(agreed=self.p(latest["agreed"])), self.p(latest["share"])),
                   (t["kf_owed"], self.m(latest["owed"] if latest["status"] == "behind" else 0.0)),
                   (t["kf_overspent"], str(len(overspent))),
                   (t["kf_indicators"], context["indicators_on_track"]),
                   (t["kf_findings"], context["findings_count"])]
        return {"summary_text": text, "key_figures": [{"label": k, "value": v} for k, v in figures]}

    def outcomes(self) -> dict:
        """Activities, indicators and narrative from the logframe (empty lists without one).

        Progress and narrative are recorded per semester: a quarterly report takes those of the semester
        the quarter falls in, and judges milestones at the quarter's last month."""
        from compiler.report.logframe_part import logframe_context

        period, semesters = self.i.period, self.i.semesters
        if getattr(period, "kind", "") == "quarter":
            containing = next((s.number for s in semesters if s.start <= period.end <= s.end), self.last)
            return logframe_context(self.i.logframe, self.i, self.lang, self.t, containing,
                                    int(period.last_month), [containing])
        narrative = sorted(self.in_period) if self.in_period else [self.last]
        return logframe_context(self.i.logframe, self.i, self.lang, self.t, self.last, 6 * self.last, narrative)

    def charts(self, chart_rows, disbursed_series, shares, latest, context) -> dict:
        t, lang = self.t, self.lang
        labels = [s.span(lang) if hasattr(s, "span") else s.name(lang) for s in self.i.semesters[: self.last]]
        executed_series = [float(self.execution.loc[self.execution["period"] <= s.number, "amount"].sum())
                           for s in self.i.semesters[: self.last]]
        total_budget = sum(r[1] for r in chart_rows)
        groups = list(dict.fromkeys(group for group, _status in context["indicator_chart"]))
        counts = {status: [sum(1 for g, s in context["indicator_chart"] if g == group and s == status)
                           for group in groups] for status in STATUSES}
        return {
            "chart_components": charts.planned_vs_executed(
                [r[0] for r in chart_rows], [r[1] for r in chart_rows], [r[2] for r in chart_rows],
                {"title": t["chart_components"], "planned": t["planned"], "executed": t["executed"]}, lang),
            "chart_cumulative": charts.cumulative(
                labels, executed_series, disbursed_series, total_budget,
                {"title": t["chart_cumulative"], "executed": t["executed"], "disbursed": t["disbursed"],
                 "budget": t["budget"]}, lang),
            "chart_pari_passu": charts.pari_passu(
                labels, shares, latest["agreed"], latest["tolerance"],
                {"title": t["chart_pari"], "actual": t["actual"], "agreed": t["agreed"]}, lang),
            "chart_indicators": charts.indicator_status(
                groups, counts, {"title": t["chart_indicators"], **{s: t[f"status_{s}"] for s in STATUSES}}),
        }


def build_context(inputs: ReportInputs) -> dict:
    """The report context: every key a template may use (see the README for the list)."""
    if inputs.kind not in KINDS:
        raise ValueError(f"report kind must be one of {', '.join(KINDS)}")
    context = _Builder(inputs).build()
    context.pop("indicator_chart", None)
    return context

