"""Exports of the budget model to plain formats."""

from __future__ import annotations

import csv
import io
import math

from compiler.model import Budget, OddCell
from workbook_templates import layout


def plain_number(value: float) -> str:
    """52800.0 -> "52800", 1361.67 -> "1361.67", NaN -> "" (an empty cell)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def lines_columns(years: int) -> list[str]:
    """component, line_group, item, unit, y1_unit_cost … yN_subtotal, total … counterpart_subtotal."""
    keys = [k for y in range(1, years + 1) for k in layout.year_keys(y)]
    return ["component", "line_group", "item", "unit", *keys, *layout.AMOUNT_KEYS]


def lines_csv(budget: Budget) -> tuple[str, list[OddCell]]:
    """The cost lines as CSV, and the amount cells left empty because they hold no number."""
    columns = lines_columns(budget.years)
    numeric = set(columns[4:])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for line in budget.lines.to_dict("records"):
        writer.writerow([plain_number(line[c]) if c in numeric else line[c] for c in columns])
    rows = set(budget.lines["row"])
    skipped = [o for o in budget.odd_cells
               if o.sheet == layout.BUDGET_SHEET and o.row in rows and o.key in numeric]
    return out.getvalue(), skipped
