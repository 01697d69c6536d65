"""What a budget workbook contains, before it is written: the blank skeleton or a bundled example.

A `BudgetSpec` is the content (Project values, funding rules, stated totals, Budget rows, Summary
rows); `build.py` turns it into a workbook.  The example of TC-03-02-01-0 is kept as plain data
files under `examples/` (CSV for the tables, TOML for the Project sheet) so that every transcribed
figure can be read, diffed and checked against the annex.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from workbook_templates import layout

ROW_KINDS = ("component", "group", "line", layout.CONTINGENCIES, "subtotal",
             layout.MIF_CLUSTER_MONITORING, "total")


@dataclass
class BudgetRow:
    """One row of the Budget sheet.  `values` maps column keys to figures (empty = absent)."""

    kind: str
    component: str = ""
    ref: str = ""
    label: str = ""
    unit: str = ""
    values: dict[str, float] = field(default_factory=dict)
    note: str = ""  # transcription note (which column was inferred), not written to the sheet


@dataclass
class StatedTotal:
    statement: str
    compared_with: str = "TOTAL"
    total: float | None = None
    donor: float | None = None
    counterpart: float | None = None
    source: str = ""


@dataclass
class SummaryLine:
    key: str
    label: str
    values: dict[str, float] = field(default_factory=dict)


@dataclass
class BudgetSpec:
    years: int
    project: dict[str, object]
    funding: list[tuple[str, str, str, str]]  # component, name, funding, note
    stated: list[StatedTotal]
    rows: list[BudgetRow]
    summary: list[SummaryLine]
    title: str = ""
    illustrative_note: str = ""
    # The record of execution: (line key, semester, source) -> amount, and per semester the
    # Disbursements row (key -> value).  Line keys are Refs, or "contingencies" / "mif_cluster_monitoring".
    execution: dict[tuple[str, int, str], float] = field(default_factory=dict)
    disbursements: dict[int, dict[str, object]] = field(default_factory=dict)
    execution_note: str = ""  # shown on the Execution and Disbursements sheets (e.g. "illustrative")

    def component_names(self) -> dict[str, str]:
        return {r.component: r.label for r in self.rows if r.kind == "component"}


EXAMPLES = {"tc-03-02-01-0": "tc_03_02_01_0"}


def blank_spec(years: int = 3, rows_per_component: int = 12) -> BudgetSpec:
    """The blank template: seven components with empty, referenced line slots."""
    project = {f.key: f.default for f in layout.PROJECT_FIELDS}
    project["years"] = years
    project["derived_cells"] = layout.DERIVED_FORMULAS
    rows: list[BudgetRow] = []
    for number in layout.COMPONENT_NUMBERS:
        comp = str(number)
        rows.append(BudgetRow("component", comp, comp, layout.DEFAULT_COMPONENT_NAMES[number]))
        rows += [BudgetRow("line", comp, f"{number}.{i:02d}") for i in range(1, rows_per_component + 1)]
    rows += _foot_rows()
    funding = [(c, name, f, "Section III of the MIF annex") for c, name, f in layout.DEFAULT_FUNDING]
    summary = [SummaryLine(r.key, r.label) for r in layout.SUMMARY_ROWS]
    return BudgetSpec(years, project, funding, [], rows, summary, title="")


def _foot_rows() -> list[BudgetRow]:
    return [
        BudgetRow(layout.CONTINGENCIES, layout.CONTINGENCIES, label=layout.LABEL_CONTINGENCIES),
        BudgetRow("subtotal", label=layout.LABEL_SUBTOTAL),
        BudgetRow(layout.MIF_CLUSTER_MONITORING, layout.MIF_CLUSTER_MONITORING,
                  label=layout.LABEL_MIF_MONITORING, unit="product"),
        BudgetRow("total", label=layout.LABEL_TOTAL),
    ]


def _figure(text: str) -> float | None:
    """'52,800' -> 52800.0, '26%' -> 0.26, '' -> None."""
    text = text.strip()
    if not text:
        return None
    if text.endswith("%"):
        return float(text[:-1].replace(",", "")) / 100
    return float(text.replace(",", ""))


def _example_file(name: str, filename: str):
    return resources.files("workbook_templates").joinpath("examples").joinpath(EXAMPLES[name]).joinpath(filename)


def example_spec(name: str) -> BudgetSpec:
    """The bundled example, with its figures exactly as the approved document prints them."""
    if name not in EXAMPLES:
        raise KeyError(f"unknown example {name!r}; known: {', '.join(EXAMPLES)}")
    meta = tomllib.loads(_example_file(name, "project.toml").read_text(encoding="utf-8"))
    project = {f.key: f.default for f in layout.PROJECT_FIELDS}
    project.update(meta["project"])
    if isinstance(project.get("first_disbursement"), str):
        project["first_disbursement"] = dt.date.fromisoformat(project["first_disbursement"])
    years = int(project["years"])
    rows = []
    with _example_file(name, "budget.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            values = {k: v for k in layout.numeric_keys(years) if (v := _figure(rec.get(k, ""))) is not None}
            rows.append(BudgetRow(rec["kind"], rec["component"], rec["ref"], rec["label"], rec["unit"],
                                  values, rec.get("note", "")))
    summary = []
    with _example_file(name, "summary.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            values = {k: v for k in ("donor", "counterpart", "total", "pct") if (v := _figure(rec[k])) is not None}
            summary.append(SummaryLine(rec["key"], rec["label"], values))
    funding = [(f["component"], f["name"], f["funding"], f.get("source", "")) for f in meta["funding"]]
    stated = [StatedTotal(**s) for s in meta.get("stated", [])]
    execution, disbursements = _example_execution(name)
    return BudgetSpec(years, project, funding, stated, rows, summary, title=meta.get("title", ""),
                      illustrative_note=meta.get("illustrative_note", ""), execution=execution,
                      disbursements=disbursements, execution_note=meta.get("execution_note", ""))


def _example_execution(name: str) -> tuple[dict, dict]:
    """execution.csv (ref, semester, one column per source) and disbursements.csv, when the example has them."""
    execution: dict[tuple[str, int, str], float] = {}
    disbursements: dict[int, dict[str, object]] = {}
    path = _example_file(name, "execution.csv")
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                for source in layout.EXECUTION_SOURCES:
                    if (v := _figure(rec.get(source, ""))) is not None:
                        execution[(rec["ref"], int(rec["semester"]), source)] = v
    path = _example_file(name, "disbursements.csv")
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                row = {k: _figure(rec.get(k, "")) for k in layout.DISBURSEMENT_MONEY_KEYS}
                row["note"] = rec.get("note", "")
                disbursements[int(rec["semester"])] = row
    return execution, disbursements


def without_inputs(spec: BudgetSpec) -> BudgetSpec:
    """The same rows and labels with every figure removed: the blank template in the example's shape."""
    rows = [BudgetRow(r.kind, r.component, r.ref, r.label, r.unit, {}, r.note) for r in spec.rows]
    project = dict(spec.project, derived_cells=layout.DERIVED_FORMULAS)
    return BudgetSpec(spec.years, project, spec.funding, spec.stated, rows,
                      [SummaryLine(s.key, s.label) for s in spec.summary], spec.title)

