"""The budget as data: what the reader produces and what the rules and the reports consume.

The cost lines are a pandas DataFrame (one row per line, with its Excel row so any finding can
point at its cell); the component rows, the foot rows and the Summary table are printed figures
kept exactly as the workbook holds them, so that the rules can compare them with the lines.
Numbers are floats, NaN where the cell is empty; anything that is not a number in a numeric cell
is NaN here and listed in `odd_cells`, so the rules can report it without the model guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from workbook_templates import layout

LINE_TEXT_COLUMNS = ("row", "ref", "kind", "component", "line_group", "item", "unit")


@dataclass(frozen=True)
class OddCell:
    """A numeric cell holding something else: text, an error value, a date, a boolean."""

    sheet: str
    row: int
    col: int
    key: str
    value: object

    @property
    def address(self) -> str:
        return f"{layout.column_letter(self.col)}{self.row}"


@dataclass(frozen=True)
class StrayCell:
    """A value outside the area the template lays out (below TOTAL, right of the table...)."""

    sheet: str
    row: int
    col: int
    value: object

    @property
    def address(self) -> str:
        return f"{layout.column_letter(self.col)}{self.row}"


@dataclass
class FundingRule:
    component: str
    name: str
    funding: str
    row: int


@dataclass
class StatedTotal:
    statement: str
    compared_with: str
    total: float | None
    mif: float | None
    counterpart: float | None
    row: int
    source: str = ""


@dataclass
class Project:
    """The Project sheet: typed values, and the cell each came from."""

    values: dict[str, object]
    cells: dict[str, str]
    funding: list[FundingRule] = field(default_factory=list)
    stated: list[StatedTotal] = field(default_factory=list)
    odd: list[tuple[str, str, object]] = field(default_factory=list)  # (key, cell, raw value)

    def get(self, key: str, default: object = None) -> object:
        value = self.values.get(key)
        return default if value is None else value

    @property
    def first_disbursement_date(self) -> dt.date | None:
        value = self.values.get("first_disbursement")
        return value if isinstance(value, dt.date) else None

    def funding_of(self, component: str) -> str:
        for rule in self.funding:
            if rule.component == component:
                return rule.funding
        return layout.FUNDING_BOTH


@dataclass
class Budget:
    """Everything read from a budget workbook."""

    source: str
    years: int
    project: Project
    lines: pd.DataFrame        # LINE_TEXT_COLUMNS + layout.numeric_keys(years)
    components: pd.DataFrame   # component rows as printed: row, component, item + numeric keys
    foot: dict[str, dict]      # "subtotal", "total": {"row": n, key: figure...}
    summary: pd.DataFrame      # key, label, row, mif, counterpart, total, pct
    groups: list[tuple[int, str, str]] = field(default_factory=list)  # (row, component, heading)
    odd_cells: list[OddCell] = field(default_factory=list)
    stray_cells: list[StrayCell] = field(default_factory=list)
    blank_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, component) inside a component
    formula_cells: dict[str, set[tuple[int, int]]] | None = None  # sheet -> cells holding formulas
    computed_cells: int = 0    # formulas without a saved result, evaluated by mifkit

    def cell(self, key: str, row: int) -> str:
        return layout.cell(self.years, key, row)

    @property
    def cost_lines(self) -> pd.DataFrame:
        """Lines of the components 1-7 (without contingencies and MIF cluster monitoring)."""
        return self.lines[self.lines["kind"] == "line"]
