"""The budget as data: what the reader produces and what the rules and the reports consume.

The cost lines are rows (one dict per line, with its Excel row so any finding can point at its
cell); the component rows, the foot rows and the Summary table are printed figures kept exactly as
the workbook holds them, so that the rules can compare them with the lines.  Numbers are floats,
NaN where the cell is empty; anything that is not a number in a numeric cell is NaN here and listed
in `odd_cells`, so the rules can report it without the model guessing.

The tables are kept as plain rows because validating needs nothing more, and pandas alone takes
longer to import than reading a large workbook.  The reports and exports, which filter, join and
sum the tables, get them as pandas DataFrames (`Budget.lines`, `.execution` ...), built from the
rows on first use; only then is pandas imported.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, groupby, repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from workbook_templates import layout
from workbook_templates.structure import Structure

if TYPE_CHECKING:
    import pandas as pd

LINE_TEXT_COLUMNS = ("row", "ref", "kind", "component", "line_group", "item", "unit")
# The execution record (sheet Execution), long: one row per filled cell.  `ref` is the cost line's
# Ref. (or "contingencies" / an outside line's key), `period` the semester number, `quarter` the
# quarter number where execution is recorded per quarter (0 where it is recorded per semester),
# `source` one of the structure's sources, `cell` the A1 address of the figure on `sheet`, `row` its
# Excel row.
EXECUTION_COLUMNS = ("ref", "item", "period", "quarter", "source", "amount", "sheet", "cell", "row")
# The Disbursements sheet: one row per semester, figures NaN where empty, `row` its Excel row.
DISBURSEMENT_COLUMNS = ("period", "donor_requested", "donor_received", "received_local", "advance", "justified",
                        "note", "projected", "milestone", "milestone_es", "milestone_met", "row", "projected_cell",
                        "milestone_cell")
# The Local spending sheet, one row per entry as typed (`source` is a source key, "" when the text
# names none; `currency` upper-cased), and the Rates sheet (`month` the first day of its month).
LOCAL_COLUMNS = ("row", "date", "ref", "source", "currency", "amount", "rate", "description")
RATES_COLUMNS = ("row", "month", "rate", "note")
# What compiler/currency.py adds to each Local spending entry when it converts it.
CONVERTED_COLUMNS = ("period", "quarter", "status", "rate_used", "rate_sheet", "rate_cell", "converted",
                     "funding_rate", "at_funding_rate", "exchange_difference")
# The execution record's numeric columns, as the DataFrame types them.
EXECUTION_TYPES = {"period": "int64", "quarter": "int64", "amount": "float64", "row": "int64"}


def line_key(ref: str, kind: str, component: str = "") -> str:
    """How the execution record names a budget line: its Ref., or "contingencies" or the key of a line
    outside the subtotal, which have no Ref."""
    if kind == layout.CONTINGENCIES:
        return kind
    if kind == layout.OUTSIDE:
        return component
    return ref


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of a table as dicts, the same as `frame.to_dict("records")` gives, but made column by column:
    pandas boxes every cell of a text column one call at a time, several times slower on a large budget."""
    names = list(frame.columns)
    return [dict(zip(names, values, strict=True))
            for values in zip(*(frame[name].tolist() for name in names), strict=True)]


class CellSet:
    """A set of (row, column) cells, such as a sheet's formula cells, kept as one byte per row in each column.

    A budget of 20,000 lines holds about 200,000 formulas: as a set of tuples they would take some 25 MB
    for as long as the model lives; as a byte per row of the columns that have any, well under one.  The
    cells are grouped by column with one sort and marked without a Python step per cell (a large budget
    has tens of thousands).  Only what the rules ask is offered: membership, size and iteration."""

    def __init__(self, cells: Iterable[tuple[int, int]] = ()):
        self._columns: dict[int, bytearray] = {}
        for col, group in groupby(sorted(cells, key=itemgetter(1)), key=itemgetter(1)):
            rows = [row for row, _ in group if row >= 0]
            if rows:
                marks = self._columns[col] = bytearray(max(rows) + 1)
                deque(map(marks.__setitem__, rows, repeat(1)), maxlen=0)  # marks[row] = 1 for each row, in C
        self._size = sum(marks.count(1) for marks in self._columns.values())

    def __contains__(self, cell: object) -> bool:
        try:
            row, col = cell
            marks = self._columns.get(col)
            return marks is not None and 0 <= row < len(marks) and marks[row] == 1
        except (TypeError, ValueError):
            return False

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[tuple[int, int]]:
        for col in sorted(self._columns):
            marks = self._columns[col]
            yield from ((row, col) for row in compress(range(len(marks)), marks))

    def __repr__(self) -> str:
        return f"CellSet({self._size} cells)"


@dataclass(frozen=True)
class LedgerProblem:
    """A cell of the Local spending or Rates sheet that cannot be used as its column asks (a date that
    is not a date, a source the project does not have, a rate of zero...).  `what` says which, in a
    few words the rule's message completes."""

    sheet: str
    cell: str
    what: str     # not_a_date | not_a_number | unknown_source | not_positive | no_amount | outside | twice
    value: object


@dataclass
class ExecutionSheet:
    """Where the Execution sheet keeps things, so findings about a semester can point at a cell."""

    columns: dict[tuple[int, str], int] = field(default_factory=dict)  # (period, source) -> column
    period: str = "semester"        # what the columns record: "semester" or "quarter"
    total_row: int | None = None    # the TOTAL row at the foot (formulas), when present
    header_row: int = layout.EXECUTION_HEADER_ROW
    rows: dict[str, int] = field(default_factory=dict)  # line key -> Excel row (the first with figures)
    stray: list[StrayCell] = field(default_factory=list)  # figures on a component heading or below TOTAL
    component_rows: list[int] = field(default_factory=list)  # component heading rows
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # (line key, first row, repeated row)

    def cell(self, semester: int, source: str, row: int | None = None) -> str:
        """A1 address of a semester's source column on `row` (default: the TOTAL row, else the header).
        Where execution is recorded per quarter, the semester's second quarter stands for it."""
        col = self.columns.get((semester * 2 if self.period == "quarter" else semester, source))
        if col is None:
            return ""
        return f"{layout.column_letter(col)}{row or self.total_row or self.header_row}"


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
class StatedTotal:
    statement: str
    compared_with: str
    total: float | None
    donor: float | None
    counterpart: float | None
    row: int
    source: str = ""


@dataclass
class Project:
    """The Project sheet: typed values, and the cell each came from."""

    values: dict[str, object]
    cells: dict[str, str]
    structure: Structure | None = None
    table_inputs: dict[int, int] = field(default_factory=dict)  # row of a structure table -> its input columns
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
        return self.structure.funding_of(component)


@dataclass
class Revision:
    """One approved revision of the budget (sheet Revisions): its register row and the lines it changes.

    `lines` maps a line key (Ref., "contingencies", an outside line's key) to the line's whole revised
    figures by Budget column key (year subtotals, total, each source, counterpart_subtotal derived);
    lines it does not list keep their figures from the revision before.  `cells` says where each figure
    is, so a finding about a revised figure points at it."""

    number: int
    date: dt.date | None
    approval: str
    note: str
    row: int                                   # register row on the Revisions sheet
    lines: dict[str, dict[str, float]] = field(default_factory=dict)
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (line key, column key) -> A1
    rows: dict[str, int] = field(default_factory=dict)               # line key -> Excel row

    @property
    def approved(self) -> bool:
        """Whether the Bank's approval reference is recorded."""
        return bool(self.approval.strip())


@dataclass
class RevisionsSheet:
    """Where the Revisions sheet keeps things, and what in it could not be used (for RV04)."""

    register_columns: dict[str, int] = field(default_factory=dict)   # register key -> column
    line_columns: dict[str, int] = field(default_factory=dict)       # revised-line key -> column
    register_first: int = 0   # first row of the register (below its header)
    lines_title: int = 0      # row of the "Revised lines" title
    lines_first: int = 0      # first row of the revised lines (below their header)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (cell, English, Spanish)

    def register_cell(self, key: str, row: int) -> str:
        return f"{layout.column_letter(self.register_columns[key])}{row}"


@dataclass
class Budget:
    """Everything read from a budget workbook.

    The tables are lists of row dicts (`line_rows` ...), each row with the same keys in the same order;
    read them, do not change them.  The same tables as pandas DataFrames are the properties `lines`,
    `components`, `summary`, `execution`, `disbursements`, `local` and `rates` (built once, on first use);
    assigning a DataFrame to one of them replaces its rows."""

    source: str
    structure: Structure
    project: Project
    line_rows: list[dict]       # LINE_TEXT_COLUMNS + layout.numeric_keys(years)
    component_rows: list[dict]  # component rows as printed: row, component, item + numeric keys
    foot: dict[str, dict]       # "subtotal", "total": {"row": n, key: figure...}
    summary_rows: list[dict]    # key, label, row + the Summary's columns (donor, counterpart, total, pct ...)
    groups: list[tuple[int, str, str]] = field(default_factory=list)  # (row, component, heading)
    odd_cells: list[OddCell] = field(default_factory=list)
    stray_cells: list[StrayCell] = field(default_factory=list)
    blank_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, component) inside a component
    formula_cells: dict[str, CellSet] | None = None  # sheet -> cells holding formulas
    computed_cells: int = 0    # formulas without a saved result, evaluated by mifkit
    # The record of execution (optional sheets Execution and Disbursements; empty when absent).
    execution_rows: list[dict] = field(default_factory=list)     # EXECUTION_COLUMNS
    disbursement_rows: list[dict] = field(default_factory=list)  # DISBURSEMENT_COLUMNS
    execution_sheet: ExecutionSheet | None = None  # None when the workbook has no Execution sheet
    execution_odd: list[OddCell] = field(default_factory=list)  # non-numbers on Execution / Disbursements
    # The approved revisions (optional sheet Revisions), by number; the Budget sheet stays as approved.
    revisions: list[Revision] = field(default_factory=list)
    revisions_sheet: RevisionsSheet | None = None
    # Local-currency spending (optional sheets Local spending and Rates): the entries as typed, converted
    # by compiler/currency.py (`local_columns` then ends with CONVERTED_COLUMNS), and the monthly rates.
    local_rows: list[dict] = field(default_factory=list)
    local_columns: tuple[str, ...] = LOCAL_COLUMNS
    rate_rows: list[dict] = field(default_factory=list)          # RATES_COLUMNS
    ledger_problems: list[LedgerProblem] = field(default_factory=list)
    _frames: dict = field(default_factory=dict, repr=False, compare=False)  # table -> (its rows, its DataFrame)

    @property
    def years(self) -> int:
        return self.structure.years

    def cell(self, key: str, row: int) -> str:
        return layout.cell(self.structure, key, row)

    def records(self, table: str) -> list[dict]:
        """The rows of a table by its DataFrame's name ("lines", "execution" ...)."""
        return getattr(self, _ROWS[table])

    def _derived(self, name: str, rows: list[dict], compute):
        """What `compute(rows)` gives, worked out once for these rows, and again if the table's rows are replaced."""
        cached = self._frames.get(name)
        if cached is None or cached[0] is not rows:
            cached = self._frames[name] = (rows, compute(rows))
        return cached[1]

    def line_keys(self) -> list[str]:
        """The execution record's name of each line row (Ref., "contingencies", an outside line's key); worked out
        once for the rows (every execution rule asks)."""
        return list(self._derived("line_keys", self.line_rows,
                                  lambda rows: [line_key(r["ref"], r["kind"], r["component"]) for r in rows]))

    def execution_periods(self) -> set[int]:
        """The semesters the execution record has amounts for; worked out once for the rows (the reporting period,
        the budget in force and the missing-semester check all ask, over tens of thousands of rows)."""
        return set(self._derived("execution_periods", self.execution_rows,
                                 lambda rows: {int(r["period"]) for r in rows}))

    def columns(self, table: str) -> list[str]:
        """The columns of a table, in order (those of its DataFrame)."""
        shape = self.structure
        if table == "lines":
            return [*LINE_TEXT_COLUMNS, *layout.numeric_keys(shape)]
        if table == "components":
            return ["row", "component", "item", *layout.numeric_keys(shape)]
        if table == "summary":
            return ["key", "label", "row", *layout.summary_columns(shape)[1:]]
        return list({"execution": EXECUTION_COLUMNS, "disbursements": DISBURSEMENT_COLUMNS,
                     "local": self.local_columns, "rates": RATES_COLUMNS}[table])

    def frame(self, table: str) -> pd.DataFrame:
        """A table as a pandas DataFrame, built from its rows once (and again if the rows are replaced)."""
        return self._derived(table, self.records(table), lambda rows: _frame_of(table, rows, self.columns(table)))

    def replace_frame(self, table: str, frame: pd.DataFrame) -> None:
        """Replace a table by a DataFrame (its rows follow)."""
        rows = frame_records(frame)
        if table == "local":
            self.local_columns = tuple(frame.columns)
        setattr(self, _ROWS[table], rows)
        self._frames[table] = (rows, frame)

    lines = property(lambda self: self.frame("lines"), lambda self, f: self.replace_frame("lines", f))
    components = property(lambda self: self.frame("components"),
                          lambda self, f: self.replace_frame("components", f))
    summary = property(lambda self: self.frame("summary"), lambda self, f: self.replace_frame("summary", f))
    execution = property(lambda self: self.frame("execution"), lambda self, f: self.replace_frame("execution", f))
    disbursements = property(lambda self: self.frame("disbursements"),
                             lambda self, f: self.replace_frame("disbursements", f))
    local = property(lambda self: self.frame("local"), lambda self, f: self.replace_frame("local", f))
    rates = property(lambda self: self.frame("rates"), lambda self, f: self.replace_frame("rates", f))

    @property
    def cost_lines(self) -> pd.DataFrame:
        """Lines of the components (without contingencies and the lines outside the subtotal)."""
        return self.lines[self.lines["kind"] == "line"]


_ROWS = {"lines": "line_rows", "components": "component_rows", "summary": "summary_rows",
         "execution": "execution_rows", "disbursements": "disbursement_rows", "local": "local_rows",
         "rates": "rate_rows"}


def _frame_of(table: str, rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A table's DataFrame as the readers made it before they kept rows: the same columns, types and values."""
    import pandas as pd

    if table == "local" and not rows and len(columns) > len(LOCAL_COLUMNS):  # a Local spending sheet, empty
        return pd.DataFrame([], columns=list(LOCAL_COLUMNS)).assign(**{c: [] for c in CONVERTED_COLUMNS})
    frame = pd.DataFrame(rows, columns=columns)
    if table == "execution" and rows:
        frame = frame.astype(EXECUTION_TYPES)
    return frame
