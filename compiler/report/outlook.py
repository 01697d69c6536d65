"""The report's look ahead and its standing obligations: the disbursement timetable and its milestones
(paragraph 4.4), the next semester's work plan and disbursement projection, the risks (paragraph 6.3),
the external audits, environmental and occupational-safety compliance (paragraphs 5.4(v), 7.1), lessons
learned and, in the final report, the end-of-project assessment.

Sources: the budget workbook's Disbursements sheet (projected disbursement, milestone, milestone met per
semester) and the logframe workbook's Narrative, Risks, Audits and Closing sheets.  As everywhere in the
report, only records up to the report's period count: the risks as last reviewed by its last semester,
an audit delivered after the report's last day is not yet delivered.

"Next semester" is the one after the last semester the report's figures close (`last`); the final report
has none and says that no further disbursement is planned.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from compiler import periods
from compiler.logframe_model import in_language
from compiler.report import formatting
from compiler.report.logframe_part import _paragraphs

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "met_Yes": "met", "met_No": "not met", "met_Pending": "pending", "met_": "not recorded",
        "milestones_text": "{met} of the {count} disbursement milestones of the work plan met, to the end of {last}.",
        "milestones_none": "The Disbursements sheet records no disbursement milestones.",
        "next_text": "Next disbursement, {period}: the work plan projects a disbursement of {currency} {amount}, "
                     "conditioned on: {milestone}.",
        "next_none": "No disbursement is projected for the next semester ({period}).",
        "balance_text": "{donor} contribution: {currency} {contribution}, of which {received} received to the end "
                        "of {last}. Undisbursed balance: {balance}; projected for the remaining semesters: "
                        "{projected}.",
        "balance_over": " The projection exceeds the undisbursed balance by {over}.",
        "final_projection": "The disbursement period has ended: no further disbursement is planned. {donor} "
                            "disbursed {currency} {received} of its {contribution}, to the end of {last}; {balance} "
                            "not disbursed.",
        "no_milestone": "no milestone recorded",
        "risks_text": "Risks as last reviewed, in {period}.",
        "risks_none": "No risk review is recorded up to the end of {last}.",
        "rating_High": "High", "rating_Medium": "Medium", "rating_Low": "Low",
        "risk_Active": "Active", "risk_Mitigated": "Mitigated", "risk_Materialized": "Materialized",
        "risk_Closed": "Closed",
        "audits_text": "One external audit per year of disbursements, the last to the end of the disbursement "
                       "period; the audited statements are due at the Bank {days} days after the period audited "
                       "(status on {as_of}).",
        "audits_none": "The project's audits cannot be scheduled without the first-disbursement date.",
        "audit_delivered": "delivered", "audit_late": "delivered late", "audit_overdue": "overdue",
        "audit_preparing": "in preparation", "audit_not_due": "not yet due", "audit_unknown": "not known",
        "audit_name": "Audit {n}",
        "none_recorded": "Nothing recorded for {period}.",
        "closing_advance": "Revolving-fund advance outstanding at the close of {last}: {currency} {amount} "
                           "(Disbursements sheet).",
        "closing_no_advance": "No revolving-fund advance is outstanding at the close of {last}.",
        "closing_missing": "Not written yet (logframe workbook, sheet Closing).",
        "topic_sustainability": "Sustainability", "topic_satisfaction": "Beneficiaries' satisfaction",
        "topic_advance": "Settling the outstanding advance",
    },
    "es": {
        "met_Yes": "cumplido", "met_No": "no cumplido", "met_Pending": "pendiente", "met_": "sin registro",
        "milestones_text": "{met} de los {count} hitos de desembolso del plan de trabajo cumplidos, hasta el "
                           "final del {last}.",
        "milestones_none": "La hoja Disbursements no registra hitos de desembolso.",
        "next_text": "Próximo desembolso, {period}: el plan de trabajo proyecta un desembolso de {currency} {amount}, "
                     "condicionado a: {milestone}.",
        "next_none": "No se proyecta ningún desembolso para el próximo semestre ({period}).",
        "balance_text": "Aporte {donor_of}: {currency} {contribution}, del que se recibieron {received} "
                        "hasta el final del {last}. Saldo por desembolsar: {balance}; proyectado para los "
                        "semestres restantes: {projected}.",
        "balance_over": " La proyección supera el saldo por desembolsar en {over}.",
        "final_projection": "El período de desembolsos terminó: no se prevé ningún otro desembolso. Se "
                            "recibieron {currency} {received} {donor_of}, de un aporte de {contribution}, hasta el "
                            "final del {last}; {balance} sin desembolsar.",
        "no_milestone": "sin hito registrado",
        "risks_text": "Riesgos según su última revisión, en el {period}.",
        "risks_none": "No hay revisión de riesgos registrada hasta el final del {last}.",
        "rating_High": "Alto", "rating_Medium": "Medio", "rating_Low": "Bajo",
        "risk_Active": "Activo", "risk_Mitigated": "Mitigado", "risk_Materialized": "Materializado",
        "risk_Closed": "Cerrado",
        "audits_text": "Una auditoría externa por año de desembolsos, la última hasta el final del período de "
                       "desembolsos; los estados auditados vencen en el Banco {days} días después del período "
                       "auditado (estado al {as_of}).",
        "audits_none": "Las auditorías del proyecto no pueden programarse sin la fecha del primer desembolso.",
        "audit_delivered": "entregada", "audit_late": "entregada con retraso", "audit_overdue": "vencida",
        "audit_preparing": "en preparación", "audit_not_due": "aún no vence", "audit_unknown": "sin registro",
        "audit_name": "Auditoría {n}",
        "none_recorded": "Nada registrado para el {period}.",
        "closing_advance": "Anticipo del fondo rotatorio pendiente al cierre del {last}: {currency} {amount} "
                           "(hoja Disbursements).",
        "closing_no_advance": "No hay anticipo del fondo rotatorio pendiente al cierre del {last}.",
        "closing_missing": "Aún no redactado (libro del marco lógico, hoja Closing).",
        "topic_sustainability": "Sostenibilidad", "topic_satisfaction": "Satisfacción de los beneficiarios",
        "topic_advance": "Liquidación del anticipo pendiente",
    },
}
NARRATIVE_KEYS = {"next_plan": "next_plan", "compliance": "compliance", "lessons": "lessons"}
CLOSING_TOPICS = ("sustainability", "satisfaction", "advance")


def _number(value: object) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number


def _timetable(budget) -> pd.DataFrame:
    """The Disbursements sheet's rows with numbers for money (0 where empty) and texts for the rest."""
    frame = getattr(budget, "disbursements", None)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["period", "projected", "donor_received", "milestone", "milestone_es",
                                     "milestone_met", "has_projection"])
    frame = frame.copy()
    for key in ("milestone", "milestone_es", "milestone_met"):
        frame[key] = frame[key].fillna("").astype(str) if key in frame else ""
    frame["has_projection"] = pd.to_numeric(frame.get("projected"), errors="coerce").notna()
    for key in ("projected", "donor_received"):
        frame[key] = pd.to_numeric(frame.get(key), errors="coerce").fillna(0.0)
    frame["period"] = frame["period"].astype(int)
    return frame


class Outlook:
    """Builds the outlook sections from a context builder (compiler.report.context._Builder): its inputs,
    its last semester, money formatting and the advance still outstanding."""

    def __init__(self, builder):
        self.b = builder
        self.i = builder.i
        self.lang = builder.lang
        self.w = WORDS[self.lang]
        self.last = builder.last
        self.semesters = self.i.semesters
        self.last_name = self.semesters[self.last - 1].name(self.lang) if self.last else formatting.DASH

    def context(self) -> dict:
        out = {}
        out.update(self.disbursement_plan())
        out.update(self.risks())
        out.update(self.audits())
        out.update(self.narratives())
        out.update(self.closing())
        return out

    # -- disbursements ------------------------------------------------------------------------------
    def disbursement_plan(self) -> dict:
        """The milestones to date (met or not), and the projection for the semesters after `last`."""
        b, w = self.b, self.w
        frame = _timetable(b.budget)
        contribution = float(b.lines["donor"].sum())
        done = frame[frame["period"] <= self.last]
        ahead = frame[frame["period"] > self.last]
        received = float(done["donor_received"].sum())
        milestones = []
        for _, row in done.sort_values("period").iterrows():
            text = in_language(row, "milestone", self.lang)
            if not text and not row["has_projection"] and not row["milestone_met"]:
                continue
            milestones.append({"kind": row["milestone_met"] or "none",
                               "period": self.semesters[int(row["period"]) - 1].name(self.lang)
                               if int(row["period"]) <= len(self.semesters) else str(int(row["period"])),
                               "condition": text or w["no_milestone"],
                               "projected": b.m(float(row["projected"])) if row["has_projection"] else formatting.DASH,
                               "received": b.m(float(row["donor_received"])),
                               "met": w[f"met_{row['milestone_met']}"] if f"met_{row['milestone_met']}" in w
                               else row["milestone_met"]})
        met = sum(1 for m in milestones if m["kind"] == "Yes")
        milestones_text = (w["milestones_text"].format(last=self.last_name, met=met, count=len(milestones))
                           if milestones else w["milestones_none"])
        projection = []
        for _, row in ahead.sort_values("period").iterrows():
            if not row["has_projection"] and not in_language(row, "milestone", self.lang):
                continue
            number = int(row["period"])
            projection.append({"kind": "semester",
                               "period": self.semesters[number - 1].name(self.lang) if number <= len(self.semesters)
                               else str(number),
                               "projected": b.m(float(row["projected"])),
                               "condition": in_language(row, "milestone", self.lang) or w["no_milestone"]})
        projected = float(ahead["projected"].sum())
        balance = contribution - received
        names = b.donor_names()
        values = {"currency": b.currency, "contribution": b.m(contribution), "received": b.m(received),
                  "balance": b.m(balance), "projected": b.m(projected), "last": self.last_name,
                  "donor": names["donor_name"], "donor_of": names["donor_of"]}
        if self.i.kind == "final":
            next_text = w["final_projection"].format(**values)
        else:
            next_text = self._next_text(ahead)
            next_text += " " + w["balance_text"].format(**values)
            if projected - balance > b.tolerance:
                next_text += w["balance_over"].format(over=b.m(projected - balance))
        total = {"name": b.t["total"], "projected": b.m(projected), "condition": ""}
        return {"milestones": milestones, "milestones_text": milestones_text, "projection": projection,
                "projection_total": total, "projection_text": next_text}

    def _next_text(self, ahead: pd.DataFrame) -> str:
        number = self.last + 1
        if number > len(self.semesters):
            return self.w["next_none"].format(period=formatting.DASH)
        name = self.semesters[number - 1].name(self.lang)
        row = ahead[ahead["period"] == number]
        if row.empty or not bool(row["has_projection"].iloc[0]):
            return self.w["next_none"].format(period=name)
        first = row.iloc[0]
        return self.w["next_text"].format(period=name, currency=self.b.currency, amount=self.b.m(first["projected"]),
                                          milestone=in_language(first, "milestone", self.lang) or
                                          self.w["no_milestone"])

    # -- risks --------------------------------------------------------------------------------------
    def risks(self) -> dict:
        """Each risk as last reviewed by the end of `last` (the latest semester's row for its code)."""
        logframe, w = self.i.logframe, self.w
        frame = getattr(logframe, "risks", None)
        if frame is None or frame.empty:
            return {"risks": [], "risks_text": w["risks_none"].format(last=self.last_name)}
        upto = frame[pd.to_numeric(frame["period"], errors="coerce") <= self.last]
        if upto.empty:
            return {"risks": [], "risks_text": w["risks_none"].format(last=self.last_name)}
        reviewed = int(upto["period"].max())
        latest = upto.sort_values(["period", "row"]).groupby(upto["code"].astype(str).str.lower(), sort=False).tail(1)
        rows = []
        for _, row in latest.sort_values(["code", "row"]).iterrows():
            rating, status = str(row["rating"]), str(row["status"])
            rows.append({"kind": status.lower() or "none", "code": str(row["code"]),
                         "risk": in_language(row, "risk", self.lang),
                         "rating": w.get(f"rating_{rating}", rating) or formatting.DASH,
                         "mitigation": in_language(row, "mitigation", self.lang),
                         "status": w.get(f"risk_{status}", status) or formatting.DASH,
                         "comment": in_language(row, "comment", self.lang)})
        return {"risks": rows, "risks_text": w["risks_text"].format(period=self.semesters[reviewed - 1].name(self.lang))
                if reviewed <= len(self.semesters) else ""}

    # -- audits -------------------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        """The report's last day for the standing obligations: the end of its period (a quarter's own end)."""
        if getattr(self.i.period, "kind", "") == "quarter":
            return self.i.period.end
        return self.semesters[self.last - 1].end if self.last else self.i.period.end

    def audits(self) -> dict:
        w, b = self.w, self.b
        first = self.semesters[0].start if self.semesters else None
        if first is None:
            return {"audits": [], "audits_text": w["audits_none"]}
        months = int(b.budget.project.get("disbursement_months", 6 * len(self.semesters)) or 6 * len(self.semesters))
        as_of = self.as_of()
        recorded = getattr(self.i.logframe, "audits", None)
        rows = []
        for year in periods.audit_years(first, months):
            record = None
            if recorded is not None and not recorded.empty:
                match = recorded[pd.to_numeric(recorded["number"], errors="coerce") == year.number]
                record = None if match.empty else match.iloc[0]
            delivered = record["delivered"] if record is not None else None
            delivered = delivered if isinstance(delivered, dt.date) and delivered <= as_of else None
            if delivered is not None:
                status = "audit_late" if delivered > year.due else "audit_delivered"
            elif year.due <= as_of:
                # Deliveries are recorded in the logframe workbook: without it, nothing says one is late.
                status = "audit_overdue" if self.i.logframe is not None else "audit_unknown"
            elif year.end <= as_of:
                status = "audit_preparing"
            else:
                status = "audit_not_due"
            rows.append({"kind": status, "audit": w["audit_name"].format(n=year.number), "covers": year.span(self.lang),
                         "due": formatting.date(year.due, self.lang),
                         "delivered": formatting.date(delivered, self.lang) if delivered else formatting.DASH,
                         "status": w[status],
                         "opinion": in_language(record, "opinion", self.lang) if delivered is not None else ""})
        text = w["audits_text"].format(days=periods.AUDIT_DUE_DAYS, as_of=formatting.date(as_of, self.lang))
        return {"audits": rows, "audits_text": text}

    # -- narratives ---------------------------------------------------------------------------------
    def narrative_semesters(self) -> list[int]:
        """The semesters whose narrative the report prints: its own (the final report: all of them)."""
        if getattr(self.i.period, "kind", "") == "quarter":
            return sorted(self.b.in_period)
        return sorted(self.b.in_period) if self.b.in_period else [self.last]

    def narratives(self) -> dict:
        """Work plan for the next semester, compliance and lessons learned, in the report's language."""
        logframe = self.i.logframe
        semesters = self.narrative_semesters()
        if logframe is None or not semesters:
            missing = [self.w["none_recorded"].format(period=self.i.period.name(self.lang))]
            return {key: missing for key in NARRATIVE_KEYS}
        names = {s.number: s.name(self.lang) for s in self.semesters}
        many = len(semesters) > 1
        out = {}
        for key, column in NARRATIVE_KEYS.items():
            if column not in logframe.narrative:
                out[key] = [self.w["none_recorded"].format(period=self.i.period.name(self.lang))]
                continue
            found = _paragraphs(logframe.narrative, column, semesters, names, many, self.lang)
            out[key] = found or [self.w["none_recorded"].format(period=self.i.period.name(self.lang))]
        return out

    # -- closing ------------------------------------------------------------------------------------
    def closing(self) -> dict:
        """The end-of-project assessment (final report): the officer's texts, and the advance outstanding at the
        close as the Disbursements sheet gives it."""
        w, b = self.w, self.b
        texts = getattr(self.i.logframe, "closing", None) or {}
        rows = []
        for topic in CLOSING_TOPICS:
            entry = texts.get(topic) or {}
            text = (entry.get("text_es") if self.lang == "es" and entry.get("text_es") else entry.get("text")) or ""
            rows.append({"topic": w[f"topic_{topic}"], "text": text.strip() or w["closing_missing"]})
        outstanding = getattr(b, "outstanding_advance", 0.0)
        advance = (w["closing_advance"].format(last=self.last_name, currency=b.currency, amount=b.m(outstanding))
                   if outstanding > b.tolerance else w["closing_no_advance"].format(last=self.last_name))
        return {"closing": rows, "closing_advance": advance}


def outlook_context(builder) -> dict:
    """Every outlook key a template may use (see the module docstring); call after the disbursement rows."""
    return Outlook(builder).context()
