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
import re
from dataclasses import dataclass

import pandas as pd

from compiler import revisions, tracking
from compiler.findings import ERROR, WARNING, Report
from compiler.model import Budget
from compiler.report import charts, formatting
from compiler.report.logframe_part import STATUSES
from compiler.report.outlook import outlook_context
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

def _line_keys(budget: Budget, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Budget lines (default: as approved) with the key the execution record uses: the Ref., "contingencies"
    or an outside line's key."""
    frame = budget.lines if lines is None else lines
    return frame.assign(key=[str(k) for k in budget.line_keys()])


def _execution(budget: Budget) -> pd.DataFrame:
    """The execution record (ref, period, source, amount), empty when the workbook has none."""
    frame = getattr(budget, "execution", None)
    if frame is None or len(frame) == 0:
        return pd.DataFrame({"ref": pd.Series(dtype=str), "period": pd.Series(dtype=int),
                             "quarter": pd.Series(dtype=int), "source": pd.Series(dtype=str),
                             "amount": pd.Series(dtype=float)})
    frame = frame[["ref", "period", "quarter", "source", "amount"]].copy() if "quarter" in frame else \
        frame[["ref", "period", "source", "amount"]].assign(quarter=0)
    frame["quarter"] = pd.to_numeric(frame["quarter"], errors="coerce").fillna(0).astype(int)
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


def _minus_signs(text: str) -> str:
    """A minus before a figure as the minus sign (U+2212), to which a line never breaks: with a hyphen, Word and
    LibreOffice may end a line with "-" and start the next with the figure."""
    return re.sub(r"(?<![\w-])-(?=\d)", "\u2212", text)


def _figure(value: object) -> float:
    """A model figure as a number: empty (NaN) counts as 0."""
    return 0.0 if value is None or pd.isna(value) else float(value)


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# ------------------------------------------------------------------------------------------------
# Sections
# ------------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, inputs: ReportInputs):
        self.i = inputs
        self.lang = inputs.lang
        self.t = words(inputs.lang, inputs.budget.structure.funder_name("donor", inputs.lang))
        self.budget = inputs.budget
        self.currency = str(self.budget.project.get("currency", "USD"))
        self.tolerance = float(self.budget.project.get("tolerance", 0.5))
        self.last, self.in_period = semesters_covered(inputs.kind, inputs.period, inputs.semesters)
        # Budget figures are the budget in force at the end of the report's period (approved, or revised).
        self.in_force = revisions.number_for_period(self.budget, self.last) if self.last else \
            revisions.current_number(self.budget)
        self.original = _line_keys(self.budget)
        self.lines = _line_keys(self.budget, revisions.lines_as_of(self.budget, self.in_force))
        self.names = _component_names(self.budget, self.lang)
        self.component_of = dict(zip(self.lines["key"], self.lines["component"].astype(str), strict=True))
        execution = _execution(self.budget)
        execution["component"] = execution["ref"].map(self.component_of).fillna(UNKNOWN)
        self.execution = execution
        self.cumulative = execution[execution["period"] <= self.last]
        self.current = execution[execution["period"].isin(self.in_period)]
        # A quarterly report takes the quarter's own records where execution is recorded per quarter; where it
        # is recorded per semester the quarter's spending is not in the record, and the report says so rather
        # than print a semester's spending as the quarter's.
        is_quarter = getattr(inputs.period, "kind", "") == "quarter"
        per_quarter = bool((execution["quarter"] > 0).any())
        self.quarter_unrecorded = is_quarter and not per_quarter
        self.quarter_recorded = is_quarter and per_quarter
        if self.quarter_recorded:
            self.cumulative = execution[(execution["quarter"] > 0) & (execution["quarter"] <= inputs.period.number)]
            self.current = execution[execution["quarter"] == inputs.period.number]
        self.recorded = {int(p) for p in execution["period"].unique()}
        self.unrecorded = [s for s in inputs.semesters[: self.last] if s.number not in self.recorded]

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
            first = next((f for f in report.findings if f.severity == ERROR), None)
            draft_reason = self.t["draft_reason"].format(
                errors=report.counts[ERROR], warnings=report.counts[WARNING],
                first=f"{first.message} ({first.location})" if first else formatting.DASH)
        due = period.report_due if i.kind != "final" else i.semesters[-1].end + dt.timedelta(days=60)
        return {
            "report_title": self.t[f"title_{i.kind}"],
            **self.donor_names(),
            "project_title": self._in_language(project, "title"),
            "project_number": str(project.get("project_number", "")),
            "executing_agency": str(project.get("executing_agency", "")),
            "country": self._in_language(project, "country"),
            "currency": self.currency,
            "period_name": period.name(self.lang),
            "period_start": formatting.date(period.start, self.lang),
            "period_end": formatting.date(period.end, self.lang),
            "due_date": formatting.date(due, self.lang),
            "compiled_on": formatting.date(i.compiled_on, self.lang),
            "budget_file": i.budget_file,
            "logframe_file": i.logframe_file or "-",
            "draft_banner": self.t["draft"] if i.draft else "",
            "draft_mark": self.t["draft_mark"] if i.draft else "",
            "draft_reason": draft_reason,
            "financial_basis": self._basis(),
        }

    def _in_language(self, project, key: str) -> str:
        """A Project field in the report's language: the Spanish report takes `<key>_es` where it is filled."""
        spanish = str(project.get(f"{key}_es") or "").strip() if self.lang == "es" else ""
        return spanish or str(project.get(key) or "")

    def donor_names(self) -> dict[str, str]:
        """The donor as the templates' fixed texts name it: "MIF"; in Spanish also "del FOMIN" and "el FOMIN"
        (for another donor its name alone: mifkit cannot know its article)."""
        name = self.budget.structure.funder_name("donor", self.lang)
        mif = name in ("MIF", "FOMIN")
        return {"donor_name": name, "donor_of": "del FOMIN" if mif and self.lang == "es" else f"de {name}",
                "donor_the": "el FOMIN" if mif and self.lang == "es" else name}

    def _basis(self) -> str:
        """Which records the figures come from, and which periods have none."""
        if self.last == 0:
            return self.t["no_data"]
        last = self.i.semesters[self.last - 1]
        text = self.t["figures_to"].format(period=last.name(self.lang))
        if self.quarter_recorded:
            text = self.t["figures_to"].format(period=self.i.period.name(self.lang))
        if self.quarter_unrecorded:
            text = self.t["quarter_unrecorded"].format(quarter=self.i.period.name(self.lang)) + " " + text + "."
        if self.unrecorded:
            text = text.rstrip(".") + ". " + self.t["unrecorded"].format(periods=self._names(self.unrecorded))
        if self.budget.revisions:
            text = text.rstrip(".") + ". " + self._budget_basis()
        return text

    def _budget_basis(self) -> str:
        """Which budget the figures are measured against: the approved one, or its revision in force."""
        revision = next((r for r in self.budget.revisions if r.number == self.in_force), None)
        if revision is None:
            return self.t["budget_approved"]
        return self.t["budget_revised"].format(number=revision.number,
                                               date=formatting.date(revision.date, self.lang))

    # -- revisions -------------------------------------------------------------------------------
    def revision_rows(self) -> dict:
        """Per line: the approved budget, the budget in force, its % of the approved one, executed to date and
        its % of the budget in force (the layout of a budget-versus-expenditure table); and the register of
        revisions up to the report's period.  Empty lists when the project has no revisions."""
        if not self.budget.revisions:
            return {"revisions": [], "revision_lines": [], "revision_total": {}, "revisions_text": ""}
        spent = self.cumulative.groupby("ref")["amount"].sum()
        rows = []
        for (_, new), (_, old) in zip(self.lines.iterrows(), self.original.iterrows(), strict=True):
            original, current = _figure(old["total"]), _figure(new["total"])
            executed = float(spent.get(new["key"], 0.0))
            is_line = new["kind"] == "line"
            rows.append({"kind": "line", "ref": new["ref"] if is_line else "",
                         "item": new["item"] if is_line else self.budget.structure.name_of(new["key"], self.lang),
                         "original": self.m(original), "current": self.m(current),
                         "pct_original": self._pct_or_unplanned(current, original),
                         "executed": self.m(executed), "pct_current": self._pct_or_unplanned(executed, current)})
        original = float(self.original["total"].fillna(0).sum())
        current = float(self.lines["total"].fillna(0).sum())
        executed = float(self.cumulative["amount"].sum())
        total = {"name": self.t["total"], "item": "", "original": self.m(original), "current": self.m(current),
                 "pct_original": self._pct_or_unplanned(current, original), "executed": self.m(executed),
                 "pct_current": self._pct_or_unplanned(executed, current)}
        register = [{"kind": "revision", "number": str(r.number),
                     "date": formatting.date(r.date, self.lang) if r.date else formatting.DASH,
                     "approval": r.approval or self.t["no_approval"], "revision_note": r.note,
                     "in_force": self.t["yes"] if r.number <= self.in_force and r.date else self.t["no"]}
                    for r in self.budget.revisions]
        key = "revisions_text_one" if len(register) == 1 else "revisions_text"
        text = self.t[key].format(count=len(register), basis=self._budget_basis())
        return {"revisions": register, "revision_lines": rows, "revision_total": total, "revisions_text": text}

    def _pct_or_unplanned(self, part: float, whole: float) -> str:
        """A share, or "not planned" where the whole is zero and the part is not (Table 1's wording)."""
        if abs(whole) <= self.tolerance and abs(part) > self.tolerance:
            return self.t["not_planned"]
        return self.p(_share(part, whole))

    def _names(self, semesters: list) -> str:
        numbers = [s.number for s in semesters]
        word = self.t["semester_word" if len(numbers) == 1 else "semesters_word"]
        runs, start = [], numbers[0]
        for a, b in zip(numbers, numbers[1:] + [None], strict=True):
            if b != a + 1:
                runs.append(str(start) if start == a else f"{start}–{a}")
                start = b
        return f"{word} {', '.join(runs)}"

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
                         "period": self.in_period_amount(float(now.get(comp, 0.0))),
                         "cumulative": self.m(cumulative),
                         "pct": self.p(_share(cumulative, budget))})
            chart.append((names.get(comp, comp), budget, cumulative))
        total_budget, total_cum = float(planned.sum()), float(cum.sum())
        total = {"name": self.t["total"], "budget": self.m(total_budget),
                 "period": self.in_period_amount(float(now.sum())),
                 "cumulative": self.m(total_cum), "pct": self.p(_share(total_cum, total_budget))}
        return rows, total, chart

    def in_period_amount(self, amount: float) -> str:
        """The spending of the report's period, or a dash for a quarter (recorded per semester only)."""
        return formatting.DASH if self.quarter_unrecorded else self.m(amount)

    def year_rows(self) -> tuple[list[dict], dict]:
        """Planned (the budget's year columns) against executed (the semesters of each project year), year by
        year; contingencies and lines outside the subtotal are not phased by year and get a row of their own,
        so that the rows add up to the budget's total."""
        years = int(self.budget.project.get("years", 3) or 3)
        unphased = [layout.CONTINGENCIES, *(o.key for o in self.budget.structure.outside)]
        phased = self.lines[~self.lines["key"].isin(unphased)]
        spent = self.cumulative
        outside = spent["component"].isin(unphased)
        rows, planned_total, executed_total = [], 0.0, 0.0
        for year in range(1, years + 1):
            column = f"y{year}_subtotal"
            planned = float(phased[column].sum()) if column in phased else 0.0
            semesters = {2 * year - 1, 2 * year}
            started = 2 * year - 1 <= self.last
            executed = float(spent.loc[spent["period"].isin(semesters) & ~outside, "amount"].sum())
            planned_total += planned
            executed_total += executed if started else 0.0
            rows.append({"kind": "year", "name": self.t["year"].format(year=year), "planned": self.m(planned),
                         "executed": self.m(executed) if started else formatting.DASH,
                         "pct": self.p(_share(executed, planned)) if started else formatting.DASH,
                         "note": (self.t["no_record"] if started and not semesters & self.recorded
                                  else self.t["year_to_date"] if started and 2 * year > self.last else "")})
        later = float(spent.loc[(spent["period"] > 2 * years) & ~outside, "amount"].sum())
        if later:
            rows.append({"kind": "later", "name": self.t["after_years"], "planned": self.m(0.0),
                         "executed": self.m(later), "pct": formatting.DASH, "note": ""})
            executed_total += later
        unphased_plan = float(self.lines.loc[self.lines["key"].isin(unphased), "total"].sum())
        unphased_spent = float(spent.loc[outside, "amount"].sum())
        rows.append({"kind": "unphased", "name": self.t["not_phased"], "planned": self.m(unphased_plan),
                     "executed": self.m(unphased_spent), "pct": self.p(_share(unphased_spent, unphased_plan)),
                     "note": ""})
        planned_total += unphased_plan
        executed_total += unphased_spent
        total = {"name": self.t["total"], "planned": self.m(planned_total), "executed": self.m(executed_total),
                 "pct": self.p(_share(executed_total, planned_total)), "note": ""}
        return rows, total

    def source_rows(self) -> tuple[list[dict], dict]:
        rows = []
        sources = self.budget.structure.sources
        for source in sources:
            budget = float(self.lines[source].sum(min_count=1) or 0.0)
            cum = float(self.cumulative.loc[self.cumulative["source"] == source, "amount"].sum())
            now = float(self.current.loc[self.current["source"] == source, "amount"].sum())
            rows.append({"kind": "source", "name": self.source_name(source), "budget": self.m(budget),
                         "period": self.in_period_amount(now),
                         "cumulative": self.m(cum), "pct": self.p(_share(cum, budget))})
        budget = float(self.lines[list(sources)].sum(min_count=1).sum())
        cum, now = float(self.cumulative["amount"].sum()), float(self.current["amount"].sum())
        total = {"name": self.t["total"], "budget": self.m(budget), "period": self.in_period_amount(now),
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
                         "status": (self.t["no_record"] if semester.number not in self.recorded
                                    else self.t[f"pari_status_{status}"] if share is not None else formatting.DASH)})
        return rows, latest or {"share": None, "owed": 0.0, "status": "ok", "agreed": agreed,
                                "tolerance": tolerance}, shares

    def pari_text(self, latest: dict) -> str:
        if not self.budget.structure.non_donor_funders:
            return self.t["pari_single"]
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
            advance = float(this["advance"].sum())
            # The first payment into the revolving fund is the advance; later ones replenish what was justified.
            kind = ("" if not advance else "advance" if advanced == 0 else "replenishment")
            received += float(this["donor_received"].sum())
            advanced += advance
            justified += float(this["justified"].sum())
            series.append(received)
            rows.append({"kind": "semester", "period": semester.name(self.lang),
                         "requested": self.m(float(this["donor_requested"].sum())),
                         "received": self.m(float(this["donor_received"].sum())), "cumulative": self.m(received),
                         "advance": self.m(advance), "type": self.t[f"fund_{kind}"] if kind else formatting.DASH,
                         "justified": self.m(float(this["justified"].sum())),
                         "outstanding": self.m(advanced - justified), "cap": self.m(cap)})
        self.outstanding_advance = advanced - justified
        return rows, received, series

    def cash_text(self, received: float) -> str:
        """The MIF's cash, reconciled: received to date less MIF spending to date is what is on hand; and, in
        the final report, the advance still to be justified or returned."""
        if self.last == 0:
            return self.t["no_data"]
        spent = float(self.cumulative.loc[self.cumulative["source"] == "donor", "amount"].sum())
        period = self.i.semesters[self.last - 1].name(self.lang)
        values = {"period": period, "currency": self.currency, "received": self.m(received), "spent": self.m(spent),
                  "on_hand": self.m(abs(received - spent))}
        text = self.t["cash_on_hand" if received >= spent else "cash_prefinanced"].format(**values)
        if self.i.kind == "final" and self.outstanding_advance > self.tolerance:
            text += " " + self.t["advance_at_close"].format(currency=self.currency,
                                                              amount=self.m(self.outstanding_advance))
        return text

    def evaluation_rows(self, received_series: list[float]) -> list[dict]:
        """The two evaluations of paragraph 5.4 and when they fall due, from the disbursements recorded."""
        from compiler.report.schedule import evaluations

        semesters = self.i.semesters[: self.last]
        received = [b - a for a, b in zip([0.0, *received_series], received_series, strict=False)]
        donor_total = float(self.lines["donor"].sum())
        start = self.i.semesters[0].start if self.i.semesters else self.i.period.start
        as_of = semesters[-1].end if semesters else self.i.period.start
        share = _share(received_series[-1] if received_series else 0.0, donor_total)
        rows = []
        for due in evaluations(semesters, received, donor_total, start, as_of):
            if due.reason == "share":
                basis = self.t[f"eval_{due.name}_share"].format(period=due.period.name(self.lang))
            elif due.reason == "months":
                basis = self.t["eval_first_months"]
            else:
                basis = self.t["eval_second_pending"].format(share=self.p(share))
            rows.append({"kind": due.name, "name": self.t[f"eval_{due.name}"], "rule": self.t[f"eval_{due.name}_rule"],
                         "basis": basis, "due": formatting.date(due.due, self.lang),
                         "status": self.t["eval_due" if due.reached else "eval_not_due"]})
        return rows

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

    def local_spending(self) -> dict:
        """Spending paid in the local currency, per semester to the end of the report's figures: the local
        amount, its conversion, the rates used and the exchange difference on the donor's funds (all
        computed by compiler/currency.py; here only added up and worded)."""
        from compiler import currency

        local, code = self.budget.local, self.budget.structure.local_currency
        empty = {"has_local": False, "local_rows": [], "local_total": {}, "local_text": "", "local_code": code}
        if local.empty or "status" not in local or not code:
            return empty
        ok = local[(local["status"] == currency.OK) & (local["period"] <= self.last)]
        rows = []
        for semester in self.i.semesters[: self.last]:
            this = ok[ok["period"] == semester.number]
            if this.empty:
                continue
            rows.append({"kind": "semester", "period": semester.name(self.lang), **self._local_figures(this)})
        period = self.i.semesters[self.last - 1].name(self.lang) if self.last else ""
        total = {"name": self.t["total"], **self._local_figures(ok)}
        rule = self.t[f"local_rule_{self.budget.structure.conversion_rule}"]
        text = [self.t["local_text"].format(local=code, currency=self.currency, rule=rule, period=period,
                                            local_amount=total["local"], converted=total["converted"])]
        donor = ok[ok["source"] == "donor"]
        known = donor["exchange_difference"].notna()
        if known.any():
            difference = float(donor.loc[known, "exchange_difference"].sum())
            meaning = ("local_nil" if abs(difference) < 0.005 else "local_gain" if difference > 0 else "local_loss")
            text.append(self.t["local_difference"].format(currency=self.currency, difference=self.m(difference),
                                                          meaning=self.t[meaning]))
        if (~known).any():
            text.append(self.t["local_difference_unknown"].format(
                local=code, amount=self.m(float(donor.loc[~known, "amount"].sum()))))
        failed = local[(local["status"] != currency.OK)]
        if len(failed):
            amount = float(pd.to_numeric(failed["amount"], errors="coerce").fillna(0.0).sum())
            text.append(self.t["local_unconverted"].format(count=len(failed), local=code, amount=self.m(amount)))
        return {"has_local": bool(rows), "local_rows": rows, "local_total": total, "local_text": " ".join(text),
                "local_code": code}

    def _local_figures(self, entries: pd.DataFrame) -> dict:
        donor = entries[entries["source"] == "donor"]
        difference = donor["exchange_difference"]
        rates = entries["rate_used"].astype(float)
        shown = "" if rates.empty else formatting.rate(rates.min(), self.lang) if rates.min() == rates.max() else \
            f"{formatting.rate(rates.min(), self.lang)}–{formatting.rate(rates.max(), self.lang)}"
        return {"local": self.m(float(entries["amount"].sum())), "converted": self.m(float(entries["converted"].sum())),
                "rates": shown, "difference": self.m(float(difference.sum())) if difference.notna().any()
                else formatting.DASH}

    # -- annex ---------------------------------------------------------------------------------------
    def findings(self) -> dict:
        report = self.i.validation
        rows = [{"kind": f.severity, "code": f.code, "severity": self.t[f"severity_{f.severity}"], "cell": f.location,
                 "message": _minus_signs(f.message)} for f in report.findings]
        period = self.i.semesters[self.last - 1].name(self.lang) if self.last else self.i.period.name(self.lang)
        text = (self.t["open_findings"].format(errors=report.counts[ERROR], warnings=report.counts[WARNING],
                                               period=period)
                if rows else self.t["clean"].format(period=period))
        return {"findings": rows, "findings_text": text, "findings_count": str(len(rows))}

    # -- everything ----------------------------------------------------------------------------------
    def build(self) -> dict:
        context = self.cover()
        components, components_total, chart_rows = self.component_rows()
        sources, sources_total = self.source_rows()
        years, years_total = self.year_rows()
        context.update(years=years, years_total=years_total)
        pari_rows, latest, shares = self.pari_passu()
        disbursements, disbursed, disbursed_series = self.disbursement_rows()
        context.update(cash_text=self.cash_text(disbursed), evaluations=self.evaluation_rows(disbursed_series))
        context.update(outlook_context(self))
        overspent = self.overspent_rows()
        context.update(components=components, components_total=components_total, sources=sources,
                       sources_total=sources_total, pari_passu=pari_rows, pari_passu_text=self.pari_text(latest),
                       pari_passu_applies=bool(self.budget.structure.non_donor_funders),
                       disbursements=disbursements, mif_disbursed=self.m(disbursed),
                       revolving_fund_cap=self.m(float(self.budget.project.get("revolving_fund_cap", 0.1))
                                                 * float(self.lines["donor"].sum())),
                       overspent=overspent,
                       overspent_text=(self.t["overspent_some"].format(count=len(overspent)) if overspent
                                       else self.t["overspent_none"]))
        context.update(self.revision_rows())
        context.update(self.local_spending())
        context.update(self.findings())
        context.update(self.outcomes())
        context.update(self.summary(components_total, disbursed, latest, overspent, context))
        context.update(self.charts(chart_rows, disbursed_series, shares, latest, context))
        return context

    def summary(self, total: dict, disbursed: float, latest: dict, overspent: list, context: dict) -> dict:
        t = self.t
        key = "summary_to_date" if self.quarter_unrecorded else "summary"
        last = self.i.semesters[self.last - 1].name(self.lang) if self.last else formatting.DASH
        text = t[key].format(period=context["period_name"], last=last, currency=self.currency,
                                   period_amount=total["period"], cumulative=total["cumulative"], pct=total["pct"],
                                   budget=total["budget"], disbursed=self.m(disbursed),
                                   pari=self.pari_text(latest))
        share_label = t["kf_counterpart_share"].format(agreed=self.p(latest["agreed"]))
        figures = [(t["kf_budget"], total["budget"]), (t["kf_period"], total["period"]),
                   (t["kf_cumulative"], total["cumulative"]), (t["kf_pct"], total["pct"]),
                   (t["kf_disbursed"], self.m(disbursed)),
                   (share_label, self.p(latest["share"])),
                   (t["kf_owed"], self.m(latest["owed"] if latest["status"] == "behind" else 0.0)),
                   (t["kf_overspent"], str(len(overspent))),
                   (t["kf_indicators"], context["indicators_on_track"]),
                   (t["kf_findings"], context["findings_count"])]
        if not self.budget.structure.non_donor_funders:  # the donor funds all: pari passu does not apply
            figures = [f for f in figures if f[0] not in (t["kf_owed"], share_label)]
        return {"summary_text": text, "key_figures": [{"label": k, "value": v} for k, v in figures]}

    def outcomes(self) -> dict:
        """Activities, indicators and narrative from the logframe (empty lists without one).

        Progress and narrative are recorded per semester, at its close (the logframe has no quarterly record, even
        where the budget's execution is recorded per quarter, and the quarterly report says so above its
        indicators): a quarterly report takes the progress
        recorded by the last semester closed by the quarter's end (judging milestones at the quarter's last
        month), and the narrative of the semester that closes with the quarter; a quarter in which no semester
        closes has no narrative of its own yet, and the report says so instead of printing one written later."""
        from compiler.report.logframe_part import NARRATIVE, logframe_context

        period = self.i.period
        if getattr(period, "kind", "") == "quarter":
            closing = sorted(self.in_period)
            context = logframe_context(self.i.logframe, self.i, self.lang, self.t, self.last,
                                       int(period.last_month), closing)
            if self.i.logframe is not None:
                values = {"quarter": period.name(self.lang), "month": int(period.last_month),
                          "semester": self.i.semesters[self.last - 1].name(self.lang) if self.last else ""}
                basis = self.t["quarter_progress" if self.last else "quarter_progress_none"].format(**values)
                context["indicators_text"] = basis + " " + context["indicators_text"]
            if not closing and self.i.logframe is not None:
                note = [self.t["quarter_no_narrative"].format(quarter=period.name(self.lang))]
                context.update({key: note for key in NARRATIVE})
            return context
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
                {"title": t["chart_pari"], "actual": t["actual"], "agreed": t["agreed"], "band": t["band"]}, lang),
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

