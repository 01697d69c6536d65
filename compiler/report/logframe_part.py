"""The report's outcomes, activities and narrative, from the logframe workbook (compiler.logframe_model).

Indicator status in the report, as of the end of the period (month M of the project):
- met: the latest status recorded up to the period is "Met";
- overdue: the milestone month (or, for a recurring indicator, the end of its first year) is M or
  earlier and the indicator is not met;
- behind: recorded as "Behind" or "Not met" while the milestone is still ahead;
- on track: recorded as "On track", or an actual value recorded with no status;
- not yet due: nothing recorded (or "Not yet due") and the milestone still ahead, or no milestone.
The officer's own words (status, comment) stay in the table; the report's status is derived the
same way for every indicator so that the director and the Bank read one scale.

Texts (indicator, baseline, target, actual value, comment, activity, narrative) are printed in the
report's language: a Spanish report takes the workbook's Spanish column where it is filled.
"""

from __future__ import annotations

import math

import pandas as pd

from compiler.logframe_model import in_language

STATUSES = ("met", "on_track", "behind", "overdue", "not_yet_due")
ACTIVITY_WORDS = {
    "es": {"Not started": "No iniciada", "In progress": "En ejecución", "Completed": "Completada",
           "Delayed": "Retrasada", "Cancelled": "Cancelada"},
}
LEVELS = {"es": {"Goal": "Fin", "Purpose": "Propósito", "Component": "Componente"}}
NARRATIVE = {"achievements": "achievements", "problems": "problems", "admin_matters": "administrative",
             "council_followup": "council_follow_up"}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _latest_rows(progress: pd.DataFrame, last: int) -> dict[str, pd.Series]:
    """Each code's latest progress row up to semester `last` that records an actual value or a status, found
    in one pass over the progress sheet (not one filtering of it per indicator and activity)."""
    rows = progress[(progress["period"] <= last)
                    & ((progress["actual"].astype(str) != "") | (progress["status"].astype(str) != ""))]
    rows = rows.sort_values("period", kind="stable")
    position = {code: n for n, code in enumerate(rows["code"].tolist())}   # the last row of each code wins
    return {code: rows.iloc[n] for code, n in position.items()}


def due_month(indicator: pd.Series) -> float | None:
    """The project month by which the indicator is due: its milestone, or the end of its first recurring year."""
    month = indicator.get("milestone_month")
    if isinstance(month, int | float) and not math.isnan(month):
        return float(month)
    year = indicator.get("recurring_from_year")
    if isinstance(year, int | float) and not math.isnan(year):
        return 12.0 * float(year)
    return None


def indicator_status(indicator: pd.Series, latest: pd.Series | None, month: int) -> str:
    recorded = _text(latest["status"]) if latest is not None else ""
    actual = _text(latest["actual"]) if latest is not None else ""
    if recorded == "Met":
        return "met"
    due = due_month(indicator)
    if due is not None and due <= month:
        return "overdue"
    if recorded in ("Behind", "Not met"):
        return "behind"
    if recorded == "On track" or (actual and recorded != "Not yet due"):
        return "on_track"
    return "not_yet_due"


def status_summary(indicators: list[dict], t: dict, month: int) -> str:
    """One generated sentence in the table's words: how many indicators are in each status, and which are overdue,
    so that the report says "overdue" wherever its table does, whatever the officer's narrative calls them."""
    if not indicators:
        return ""
    counts = [(status, sum(1 for r in indicators if r["kind"] == status)) for status in STATUSES]
    parts = "; ".join(f"{t[f'status_{status}']}: {n}" for status, n in counts if n)
    text = t["indicator_summary"].format(count=len(indicators), month=month, parts=parts)
    overdue = [r["code"] for r in indicators if r["kind"] == "overdue"]
    if overdue:
        text += " " + t["indicator_overdue"].format(codes=", ".join(overdue))
    return text


def _milestone(indicator: pd.Series, lang: str) -> str:
    month = indicator.get("milestone_month")
    if isinstance(month, int | float) and not math.isnan(month):
        return (f"month {int(month)}" if lang == "en" else f"mes {int(month)}")
    year = indicator.get("recurring_from_year")
    if lang == "es" and isinstance(year, int | float) and not math.isnan(year):
        return "anual" if int(year) == 1 else f"anual, desde el año {int(year)}"
    return _text(indicator.get("recurring"))


def _paragraphs(narrative: pd.DataFrame, column: str, semesters: list[int], names: dict[int, str],
                many: bool, lang: str) -> list[str]:
    out = []
    for number in semesters:
        rows = narrative[narrative["period"] == number]
        for _, row in rows.iterrows():
            for para in (p.strip() for p in in_language(row, column, lang).splitlines()):
                if para:
                    out.append(f"{names[number]}: {para}" if many else para)
    return out


def logframe_context(logframe, inputs, lang: str, t: dict, last: int, month: int,
                     narrative_semesters: list[int]) -> dict:
    """Activities, indicators (status as of project month `month`, from progress recorded up to semester
    `last`) and the narrative of `narrative_semesters`; 'no data' without a logframe."""
    empty = [t["no_data"]]
    if logframe is None:
        return {"activities": [], "activities_none": t["no_logframe"], "indicators": [],
                "indicator_comments": empty, "indicators_on_track": "–",
                "indicator_chart": [], "indicator_summary": "",
                "indicators_text": t["no_logframe"],
                "achievements": empty, "problems": empty, "admin_matters": empty, "council_followup": empty}
    latest_of = _latest_rows(logframe.progress, last)
    indicators, chart = [], []
    for _, ind in logframe.indicators.iterrows():
        latest = latest_of.get(ind["code"])
        status = indicator_status(ind, latest, month)
        level = LEVELS.get(lang, {}).get(_text(ind["level"]), _text(ind["level"]))
        said = {key: in_language(ind, key, lang) for key in ("text", "baseline", "target")}
        indicators.append({"kind": status, "level": level, "code": _text(ind["code"]),
                           "text": said["text"], "baseline": said["baseline"] or "–",
                           "target": said["target"] or "–", "milestone": _milestone(ind, lang) or "–",
                           "actual": in_language(latest, "actual", lang) if latest is not None else "–",
                           "status": t[f"status_{status}"], "comment": in_language(latest, "comment", lang)})
        group = level if _text(ind["component"]) == "" else f"{t['component']} {_text(ind['component'])}"
        chart.append((group, status))
    activities = []
    for _, act in logframe.activities.iterrows():
        latest = latest_of.get(act["code"])
        status = _text(latest["status"]) if latest is not None else ""
        activities.append({"kind": "activity", "component": _text(act["component"]), "code": _text(act["code"]),
                           "activity": f"{_text(act['code'])} {in_language(act, 'text', lang)}".strip(),
                           "status": ACTIVITY_WORDS.get(lang, {}).get(status, status) or "–",
                           "comment": in_language(latest, "comment", lang)})
    good = sum(1 for r in indicators if r["kind"] in ("met", "on_track"))
    names = {s.number: s.name(lang) for s in inputs.semesters}
    many = len(narrative_semesters) > 1
    narrative = {key: _paragraphs(logframe.narrative, column, narrative_semesters, names, many, lang) or empty
                 for key, column in NARRATIVE.items()}
    comments = [f"{r['code']}: {r['comment']}" for r in indicators if r["comment"]] or [t["no_comments"]]
    return {"activities": activities, "activities_none": t["no_data"], "indicators": indicators,
            "indicator_comments": comments,
            "indicators_on_track": f"{good} / {len(indicators)}", "indicator_chart": chart,
            "indicator_summary": status_summary(indicators, t, month),
            "indicators_text": t["indicators_text"].format(month=month), **narrative}
