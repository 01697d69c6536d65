"""Exports of the budget model to plain formats."""

from __future__ import annotations

import csv
import io
import math

from compiler import revisions
from compiler.model import Budget, OddCell
from workbook_templates import layout
from workbook_templates.spec import csv_column, lines_keys


def plain_number(value: float) -> str:
    """52800.0 -> "52800", 1361.67 -> "1361.67", NaN -> "" (an empty cell)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def lines_csv(budget: Budget, current: bool = False) -> tuple[str, list[OddCell]]:
    """The cost lines as CSV (the approved budget, or with `current` the budget with its revisions: a
    revised line's amounts, its unit costs and quantities empty), and the amount cells left empty
    because they hold no number."""
    keys = lines_keys(budget.structure)
    lines = revisions.current_lines(budget) if current else budget.lines
    numeric = set(keys[4:])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([csv_column(k) for k in keys])
    for line in lines.to_dict("records"):
        writer.writerow([plain_number(line[c]) if c in numeric else line[c] for c in keys])
    rows = set(budget.lines["row"])
    skipped = [o for o in budget.odd_cells
               if o.sheet == layout.BUDGET_SHEET and o.row in rows and o.key in numeric]
    return out.getvalue(), skipped
