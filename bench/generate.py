"""Budget workbooks of any number of cost lines, consistent like a real one, for the benchmarks.

The lines are the annex's own, repeated (each copy with its own Ref. and item text) so that every
component keeps the annex's funding shape: the MIF share, the counterpart split and the funding
sources stay within policy, and the validator has a realistic few findings rather than thousands.
Workbooks are written with the template's formulas and correct saved values, as the officer's
file would be after Excel saved it.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

from workbook_templates import layout
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.spec import BudgetRow, BudgetSpec, example_spec


def consistent_spec(lines: int, semesters: int = 6) -> BudgetSpec:
    """The annex example with about `lines` cost lines, corrected to pass every policy rule."""
    spec = copy.deepcopy(example_spec("tc-03-02-01-0"))
    blocks: dict[str, list[BudgetRow]] = {}
    current = None
    for row in spec.rows:
        if row.kind == "component":
            current = row.component
            blocks[current] = []
        elif row.kind in ("line", "group") and current:
            blocks[current].append(row)
        else:
            current = None
    per_copy = sum(r.kind == "line" for block in blocks.values() for r in block)
    copies = max(1, math.ceil(lines / per_copy))
    rows: list[BudgetRow] = []
    made, counter = 0, {}
    for row in spec.rows:
        if row.kind in ("line", "group"):
            continue
        rows.append(row)
        if row.kind != "component":
            continue
        for k in range(copies):
            for original in blocks[row.component]:
                if made >= lines:
                    break
                new = copy.deepcopy(original)
                if k:
                    new.label = f"{original.label} ({k + 1})"
                if new.kind == "line":
                    made += 1
                    counter[row.component] = counter.get(row.component, 0) + 1
                    new.ref = f"{row.component}.{counter[row.component]:02d}"
                    _fix(new)
                rows.append(new)
    spec.rows = rows
    spec.stated = []
    spec.execution, spec.disbursements = {}, {}  # the example's illustrative execution has planted problems
    add_execution(spec, semesters)
    spec.project["derived_cells"] = layout.DERIVED_FORMULAS
    for row in spec.rows:
        if row.kind == layout.OUTSIDE:
            row.values.pop("y1_qty", None)
    return spec


def _fix(line: BudgetRow) -> None:
    """The two corrections that make the annex's lines pass: 2.01's MIF, 1.17's counterpart in cash."""
    v = line.values
    if line.label.startswith("Network managers"):
        v["donor"] = 357_240
    if line.label.startswith("Dissemination workshops"):
        v["counterpart_cash"] = v.pop("counterpart_in_kind", 0)


SPENT_PER_SEMESTER = 0.45  # of the year's budget: two semesters spend 90% of it, never more


def add_execution(spec: BudgetSpec, semesters: int) -> None:
    """Execution for the first `semesters` semesters that follows each line's yearly phasing.

    Every source is spent at the same pace, so the counterpart keeps pari passu, and no line goes
    over its budget in any year; MIF disbursements follow the MIF spending, with a revolving-fund
    advance of 5% of the MIF contribution (the cap is 10%).
    """
    mif_spent = {s: 0.0 for s in range(1, semesters + 1)}
    mif_total = 0.0
    for row in spec.rows:
        if row.kind != "line":
            continue
        total = row.values.get("total") or 0.0
        mif_total += row.values.get("donor") or 0.0
        if not total:
            continue
        for semester in range(1, semesters + 1):
            year = (semester + 1) // 2
            year_share = (row.values.get(f"y{year}_subtotal") or 0.0) / total
            for source in spec.structure.sources:
                amount = round((row.values.get(source) or 0.0) * year_share * SPENT_PER_SEMESTER, 2)
                if amount:
                    spec.execution[(row.ref, semester, source)] = amount
                    if source == "donor":
                        mif_spent[semester] += amount
    advance = round(mif_total * 0.05, 2)
    for semester, spent in mif_spent.items():
        spent = round(spent, 2)
        spec.disbursements[semester] = {"donor_requested": spent, "donor_received": spent,
                                        "advance": advance, "justified": advance if semester > 1 else None,
                                        "note": "Generated for the benchmark"}


def write_consistent_budget(lines: int, path: Path, semesters: int = 6) -> Path:
    write_budget(consistent_spec(lines, semesters), path, FORMULAS)
    return path


def write_logframe_for(budget: BudgetSpec, path: Path) -> Path:
    """The example's logical framework (its indicators do not grow with the budget's lines), with the
    MIF and counterpart amounts per component that the generated budget has."""
    from workbook_templates.build_logframe import write_logframe
    from workbook_templates.logframe_spec import example_logframe_spec

    spec = example_logframe_spec("tc-03-02-01-0")
    for component in spec.components:
        lines = [r for r in budget.rows if r.kind == "line" and r.component == str(component.number)]
        if component.donor is not None:
            component.donor = round(sum(r.values.get("donor") or 0.0 for r in lines), 2)
        if component.counterpart is not None:
            component.counterpart = round(sum((r.values.get("counterpart_cash") or 0.0)
                                              + (r.values.get("counterpart_in_kind") or 0.0) for r in lines), 2)
    write_logframe(spec, path)
    return path


def write_benchmark_pair(lines: int, folder: Path) -> tuple[Path, Path]:
    """budget_N.xlsx (with six semesters of execution) and logframe_N.xlsx in `folder`."""
    spec = consistent_spec(lines)
    budget = folder / f"budget_{lines}.xlsx"
    write_budget(spec, budget, FORMULAS)
    return budget, write_logframe_for(spec, folder / f"logframe_{lines}.xlsx")


if __name__ == "__main__":
    import sys

    print(*write_benchmark_pair(int(sys.argv[1]), Path(sys.argv[2])))
