"""What a logframe workbook contains before it is written: the blank skeleton or a bundled example.

The example's logical framework (Annex I of TC-03-02-01-0) is kept in `examples/*/logframe.toml`,
its illustrative progress in `progress.csv` and its narrative in `narrative.toml`, readable and
diffable; `examples/*/LOGFRAME.md` records every interpretation the transcription made.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass, field

from workbook_templates import logframe_layout as lf
from workbook_templates.spec import EXAMPLES, _example_file


@dataclass
class ComponentSpec:
    number: int | None
    name: str = ""
    donor: float | None = None
    counterpart: float | None = None
    activities: list[str] = field(default_factory=list)
    name_es: str = ""
    activities_es: list[str] = field(default_factory=list)  # beside `activities`, "" where not translated

    def activity_es(self, index: int) -> str:
        return self.activities_es[index] if index < len(self.activities_es) else ""


@dataclass
class LogframeSpec:
    project_number: str = ""
    title: str = ""
    first_disbursement: dt.date | None = None
    semesters: int = 7
    execution_months: int = 36
    rows: list[dict[str, object]] = field(default_factory=list)  # Logframe sheet rows, by column key
    components: list[ComponentSpec] = field(default_factory=list)
    activity_means: str = ""
    activity_assumptions: str = ""
    activity_means_es: str = ""
    activity_assumptions_es: str = ""
    progress: dict[tuple[int, str], dict[str, str]] = field(default_factory=dict)  # (semester, code) -> values
    narrative: dict[int, dict[str, str]] = field(default_factory=dict)
    note: str = ""  # e.g. "illustrative", shown on Progress and Narrative
    translation_note: str = ""  # what the Spanish texts are (e.g. an unofficial translation), on Logframe
    blank: bool = False

    def codes(self) -> list[tuple[str, str, str, str]]:
        """(code, text, target, milestone) of every indicator, then every activity, in sheet order."""
        out = []
        for r in self.rows:
            if r.get("kind") == lf.INDICATOR and r.get("code"):
                out.append((str(r["code"]), str(r.get("text", "")), str(r.get("target", "")), milestone_text(r)))
        for c in self.components:
            for i, text in enumerate(c.activities):
                out.append((lf.activity_code(c.number, "abcdefghijklmnopqrstuvwxyz"[i]), text, "", ""))
        return out


def milestone_text(row: dict) -> str:
    if row.get("milestone_month"):
        return f"Month {row['milestone_month']}"
    return str(row.get("recurring") or "")


def blank_logframe_spec(semesters: int = 7) -> LogframeSpec:
    rows = [{"level": lf.GOAL, "kind": lf.OBJECTIVE}, {"level": lf.PURPOSE, "kind": lf.OBJECTIVE}]
    rows += [{} for _ in range(lf.BLANK_INDICATOR_ROWS)]
    components = [ComponentSpec(n, "", None, None, [""] * lf.BLANK_ACTIVITY_ROWS)
                  for n in range(1, lf.BLANK_COMPONENTS + 1)]
    return LogframeSpec(rows=rows, components=components, semesters=semesters, blank=True)


# The bundled examples that have a logframe.  US/GLO/04/158 has none: its evaluation says the project
# document "has not been used as a tool for overall project management (monitoring and evaluation on
# basis of logframe, indicators…)" and prints no indicators to transcribe.
LOGFRAME_EXAMPLES = ("tc-03-02-01-0",)


def example_logframe_spec(name: str) -> LogframeSpec:
    """Annex I of the example, with its illustrative progress and narrative for the first semesters."""
    if name not in EXAMPLES:
        raise KeyError(f"unknown example {name!r}; known: {', '.join(EXAMPLES)}")
    data = tomllib.loads(_example_file(name, "logframe.toml").read_text(encoding="utf-8"))
    project = tomllib.loads(_example_file(name, "project.toml").read_text(encoding="utf-8"))["project"]
    first = project.get("first_disbursement")
    first = dt.date.fromisoformat(first) if isinstance(first, str) else first
    months = int(project.get("disbursement_months", 42))
    components = [ComponentSpec(c["number"], c.get("name", ""), c.get("donor"), c.get("counterpart"),
                                list(c.get("activities", [])), c.get("name_es", ""), list(c.get("activities_es", [])))
                  for c in data.get("component", [])]
    progress = {}
    with _example_file(name, "progress.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            progress[(int(rec["semester"]), rec["code"])] = {
                k: rec.get(k) or "" for k in ("actual", "actual_es", "status", "comment", "comment_es")}
    narrative_data = tomllib.loads(_example_file(name, "narrative.toml").read_text(encoding="utf-8"))
    narrative = {int(s["number"]): {k: v for k, v in s.items() if k != "number"}
                 for s in narrative_data.get("semester", [])}
    activities = data.get("activities", {})
    return LogframeSpec(
        project_number=data.get("project_number", ""), title=data.get("title", ""), first_disbursement=first,
        semesters=-(-months // 6), execution_months=int(project.get("execution_months", 36)),
        rows=data.get("row", []), components=components, activity_means=activities.get("means", ""),
        activity_assumptions=activities.get("assumptions", ""), activity_means_es=activities.get("means_es", ""),
        activity_assumptions_es=activities.get("assumptions_es", ""), progress=progress, narrative=narrative,
        translation_note=data.get("translation_note", ""),
        note=data.get("progress_note", "Illustrative figures: the approved document has no actuals. Semesters 1-3 "
                      "are invented to show how progress is checked (indicator 2.2 behind its milestone)."),
    )


def logframe_spec_for_project(definition) -> LogframeSpec:
    """The blank logframe of a declared project (a PROJECT.toml's definition): one Activities block per
    component the logframe follows (the technical ones, or every component of a project that declares
    none as technical), and the project's semesters on the Progress sheet."""
    shape, values = definition.structure, definition.values
    followed = [c for c in shape.components if c.kind == "technical"] or list(shape.components)
    spec = blank_logframe_spec(-(-int(values.get("disbursement_months") or 42) // 6))  # progress is per semester
    spec.components = [ComponentSpec(c.number, c.name, None, None, [""] * lf.BLANK_ACTIVITY_ROWS, c.name_es)
                       for c in followed]
    spec.project_number = str(values.get("project_number") or "")
    spec.title = str(values.get("title") or "")
    first = values.get("first_disbursement")
    spec.first_disbursement = first if isinstance(first, dt.date) else None
    spec.execution_months = int(values.get("execution_months") or 36)
    return spec
