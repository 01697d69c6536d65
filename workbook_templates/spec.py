"""What a budget workbook contains, before it is written: the blank skeleton or a bundled example.

A `BudgetSpec` is the content (Project values, funding rules, stated totals, Budget rows, Summary
rows); `build.py` turns it into a workbook.  The example of TC-03-02-01-0 is kept as plain data
files under `examples/` (CSV for the tables, TOML for the Project sheet) so that every transcribed
figure can be read, diffed and checked against the annex.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from workbook_templates import layout, project_file, structure
from workbook_templates.project_file import ProjectDefinition
from workbook_templates.structure import Structure

ROW_KINDS = ("component", "group", "line", layout.CONTINGENCIES, "subtotal", layout.OUTSIDE, "total")


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
class RevisionSpec:
    """One revision for the Revisions sheet: its register entry and the lines it changes, each as
    (Ref. or line key, item, {Budget column key: amount}) with year subtotals, total and sources."""

    number: int
    date: object = None  # dt.date
    approval: str = ""
    note: str = ""
    lines: list[tuple[str, str, dict[str, float]]] = field(default_factory=list)


@dataclass
class BudgetSpec:
    structure: Structure
    project: dict[str, object]
    stated: list[StatedTotal]
    rows: list[BudgetRow]
    summary: list[SummaryLine]
    title: str = ""
    illustrative_note: str = ""
    # The record of execution: (line key, period, source) -> amount, and per semester the
    # Disbursements row (key -> value).  Line keys are Refs, "contingencies" or an outside line's key;
    # periods are semesters or quarters, as the structure records execution.
    execution: dict[tuple[str, int, str], float] = field(default_factory=dict)
    disbursements: dict[int, dict[str, object]] = field(default_factory=dict)
    execution_note: str = ""  # shown on the Execution and Disbursements sheets (e.g. "illustrative")
    # Local-currency spending: entries of the Local spending sheet (keys of layout.LOCAL_COLUMNS; `source`
    # a source key) and the Rates sheet's rate per month (first day of the month -> rate).
    local_spending: list[dict[str, object]] = field(default_factory=list)
    rates: dict[dt.date, float] = field(default_factory=dict)
    # "Source / note" beside Project fields and structure rows (component or outside-line key).
    sources: dict[str, str] = field(default_factory=dict)
    component_sources: dict[str, str] = field(default_factory=dict)
    revisions: list[RevisionSpec] = field(default_factory=list)  # the Revisions sheet's content

    @property
    def years(self) -> int:
        return self.structure.years

    def component_names(self) -> dict[str, str]:
        return {r.component: r.label for r in self.rows if r.kind == "component"}


EXAMPLES = {"tc-03-02-01-0": "tc_03_02_01_0", "us-glo-04-158": "us_glo_04_158"}


def blank_spec(shape: Structure | None = None, rows_per_component: int = 12,
               definition: ProjectDefinition | None = None) -> BudgetSpec:
    """The blank template: the structure's components with empty, referenced line slots."""
    if definition is None:
        definition = project_file.parse(tomllib.loads(project_file.STARTER))
        definition.values.update(project_number=None, title=None, executing_agency=None, country=None,
                                 first_disbursement=None)
    shape = shape or definition.structure
    project = dict(definition.values, years=shape.years, derived_cells=layout.DERIVED_FORMULAS)
    if definition.values.get("first_disbursement") is None:
        project["first_disbursement"] = None
    rows: list[BudgetRow] = []
    for comp in shape.components:
        rows.append(BudgetRow("component", comp.key, comp.key, comp.name))
        rows += [BudgetRow("line", comp.key, f"{comp.number}.{i:02d}") for i in range(1, rows_per_component + 1)]
    rows += foot_rows(shape)
    summary = [SummaryLine(r.key, r.label) for r in shape.summary_rows()]
    return BudgetSpec(shape, project, [], rows, summary, sources=dict(definition.sources),
                      component_sources=dict(definition.component_sources))


def foot_rows(shape: Structure) -> list[BudgetRow]:
    """Contingencies (if the project has them), SUB-TOTAL, the lines outside the subtotal, TOTAL."""
    rows = []
    if shape.contingencies:
        rows.append(BudgetRow(layout.CONTINGENCIES, layout.CONTINGENCIES, label=layout.LABEL_CONTINGENCIES))
    rows.append(BudgetRow("subtotal", label=layout.LABEL_SUBTOTAL))
    rows += [BudgetRow(layout.OUTSIDE, o.key, label=o.name) for o in shape.outside]
    rows.append(BudgetRow("total", label=layout.LABEL_TOTAL))
    return rows


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
    data = tomllib.loads(_example_file(name, "project.toml").read_text(encoding="utf-8"))
    definition = project_file.parse(data)
    if data.get("derived_cells"):
        definition.values["derived_cells"] = data["derived_cells"]
        definition.sources["derived_cells"] = data.get("derived_cells_source", "")
    shape = definition.structure
    with _example_file(name, "budget.csv").open(encoding="utf-8", newline="") as fh:
        rows = [row_from_record(rec, shape) for rec in csv.DictReader(fh)]
    summary = []
    if _example_file(name, "summary.csv").is_file():
        with _example_file(name, "summary.csv").open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                values = {k: v for k in (*shape.summary_columns(), "pct")
                          if (v := _figure(rec.get(k, ""))) is not None}
                summary.append(SummaryLine(rec["key"], rec["label"], values))
    stated = [StatedTotal(**s) for s in definition.stated]
    execution, disbursements = _example_execution(name, shape)
    spec = BudgetSpec(shape, definition.values, stated, rows, summary, title=definition.title,
                      illustrative_note=definition.illustrative_note, execution=execution,
                      disbursements=disbursements, execution_note=definition.execution_note,
                      sources=definition.sources, component_sources=definition.component_sources,
                      revisions=_example_revisions(name, shape))
    if not summary:  # the document prints no section III table: the Summary adds up the Budget sheet
        from workbook_templates.build import with_derived_figures

        derived = with_derived_figures(copy.deepcopy(spec))
        spec.summary = derived.summary
    return spec


def _example_revisions(name: str, shape: Structure) -> list[RevisionSpec]:
    """revisions.csv (the register) and revised_lines.csv, when the example has them."""
    path = _example_file(name, "revisions.csv")
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        revisions = {int(rec["revision"]): RevisionSpec(int(rec["revision"]), dt.date.fromisoformat(rec["date"]),
                                                       rec.get("approval", ""), rec.get("note", ""))
                     for rec in csv.DictReader(fh)}
    keys = [k for k, _ in layout.revision_line_columns(shape)[3:]]
    with _example_file(name, "revised_lines.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            figures = {k: v for k in keys if (v := _figure(rec.get(k) or "")) is not None}
            revisions[int(rec["revision"])].lines.append((rec["ref"], rec.get("item", ""), figures))
    return list(revisions.values())


def row_from_record(rec: dict, shape: Structure) -> BudgetRow:
    """One row of a budget CSV (the example's budget.csv, with its kind column) as a BudgetRow."""
    values = {k: v for k in layout.numeric_keys(shape) if (v := _figure(rec.get(k) or "")) is not None}
    return BudgetRow(rec["kind"], rec["component"], rec.get("ref", ""), rec.get("label", ""), rec.get("unit", ""),
                     values, rec.get("note", ""))


def _example_execution(name: str, shape: Structure) -> tuple[dict, dict]:
    """execution.csv (ref, semester, one column per source) and disbursements.csv, when the example has them."""
    execution: dict[tuple[str, int, str], float] = {}
    disbursements: dict[int, dict[str, object]] = {}
    path = _example_file(name, "execution.csv")
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                for source in shape.sources:
                    if (v := _figure(rec.get(source, ""))) is not None:
                        execution[(rec["ref"], int(rec["period"]), source)] = v
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
    return BudgetSpec(spec.structure, project, spec.stated, rows,
                      [SummaryLine(s.key, s.label) for s in spec.summary], spec.title, sources=spec.sources,
                      component_sources=spec.component_sources)


class LinesFileError(ValueError):
    """A LINES.csv that cannot be laid out as the project's budget; the message names the row."""


def lines_keys(shape: Structure) -> list[str]:
    """The model columns of a lines CSV, in order: component, line_group, item, unit, the year columns,
    total, the donor, the counterpart's, each co-financier's."""
    keys = [k for y in range(1, shape.years + 1) for k in layout.year_keys(y)]
    return ["component", "line_group", "item", "unit", *keys, *shape.amount_keys]


def lines_columns(shape: Structure) -> list[str]:
    """The columns of a lines CSV as `mifkit lines --format csv` prints them (a co-financier by its key)."""
    return [csv_column(k) for k in lines_keys(shape)]


def csv_column(key: str) -> str:
    """A Budget column key as the lines CSV names it: a co-financier by its own key."""
    return key.removeprefix(structure.COFIN_PREFIX)


def spec_from_lines(definition: ProjectDefinition, text: str, source: str = "LINES.csv") -> BudgetSpec:
    """A budget in the definition's structure with the cost lines of a lines CSV (component numbers,
    "contingencies" or the key of a line outside the subtotal in `component`).  Refs are given in order
    within each component (1.01, 1.02 …); a change of `line_group` starts a sub-heading."""
    shape = definition.structure
    reader = csv.DictReader(text.splitlines())
    columns = {csv_column(k): k for k in layout.numeric_keys(shape)}
    missing = [c for c in ("component", "item") if c not in (reader.fieldnames or [])]
    if missing:
        raise LinesFileError(f"{source}: no column {missing[0]!r}; the columns are those of `mifkit lines`: "
                             + ", ".join(lines_columns(shape)))
    unknown = [c for c in reader.fieldnames if c not in columns and c not in ("component", "line_group", "item",
                                                                             "unit", "ref", "kind", "note")]
    if unknown:
        raise LinesFileError(f"{source}: unknown column {unknown[0]!r} for this project; its columns are "
                             + ", ".join(lines_columns(shape)))
    by_component: dict[str, list[dict]] = {}
    foot: dict[str, dict] = {}
    for number, rec in enumerate(reader, start=2):
        key = (rec.get("component") or "").strip()
        key = str(int(key)) if key.isdigit() else key
        values = {}
        for name, column in columns.items():
            try:
                if (v := _figure(rec.get(name) or "")) is not None:
                    values[column] = v
            except ValueError:
                raise LinesFileError(f"{source}, row {number}: {name} {rec[name]!r} is not a number") from None
        if key in shape.component_keys:
            by_component.setdefault(key, []).append({**rec, "values": values})
        elif key == layout.CONTINGENCIES and shape.contingencies or shape.outside_line(key):
            foot[key] = {**rec, "values": values}
        else:
            known = ", ".join([*shape.component_keys, *([layout.CONTINGENCIES] if shape.contingencies else []),
                               *(o.key for o in shape.outside)])
            raise LinesFileError(f"{source}, row {number}: component {key!r} is not in the project ({known})")
    rows: list[BudgetRow] = []
    for comp in shape.components:
        rows.append(BudgetRow("component", comp.key, comp.key, comp.name))
        group = ""
        for i, rec in enumerate(by_component.get(comp.key, []), start=1):
            if (rec.get("line_group") or "") != group:
                group = rec.get("line_group") or ""
                if group:
                    rows.append(BudgetRow("group", comp.key, "", group))
            rows.append(BudgetRow("line", comp.key, rec.get("ref") or f"{comp.number}.{i:02d}", rec.get("item", ""),
                                  rec.get("unit", ""), rec["values"]))
    for row in foot_rows(shape):
        if row.component in foot:
            rec = foot[row.component]
            row.values, row.unit = rec["values"], rec.get("unit") or ""
            row.label = rec.get("item") or row.label
        rows.append(row)
    summary = [SummaryLine(r.key, r.label) for r in shape.summary_rows()]
    stated = [StatedTotal(**s) for s in definition.stated]
    return BudgetSpec(shape, dict(definition.values), stated, rows, summary, title=definition.title,
                      sources=dict(definition.sources), component_sources=dict(definition.component_sources))


@cache
def example_structure(name: str = "tc-03-02-01-0") -> Structure:
    """The structure of a bundled example (for code and tests that lay out the example's sheets)."""
    data = tomllib.loads(_example_file(name, "project.toml").read_text(encoding="utf-8"))
    return project_file.parse(data).structure
