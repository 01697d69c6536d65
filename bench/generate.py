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


def consistent_spec(lines: int) -> BudgetSpec:
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
    spec.project["derived_cells"] = layout.DERIVED_FORMULAS
    for row in spec.rows:
        if row.kind == layout.MIF_CLUSTER_MONITORING:
            row.values.pop("y1_qty", None)
    return spec


def _fix(line: BudgetRow) -> None:
    """The two corrections that make the annex's lines pass: 2.01's MIF, 1.17's counterpart in cash."""
    v = line.values
    if line.label.startswith("Network managers"):
        v["mif"] = 357_240
    if line.label.startswith("Dissemination workshops"):
        v["counterpart_cash"] = v.pop("counterpart_in_kind", 0)


def write_consistent_budget(lines: int, path: Path) -> Path:
    write_budget(consistent_spec(lines), path, FORMULAS)
    return path


if __name__ == "__main__":
    import sys

    write_consistent_budget(int(sys.argv[1]), Path(sys.argv[2]))
