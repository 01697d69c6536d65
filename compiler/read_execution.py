"""Grids of the Execution and Disbursements sheets into the budget model's execution record.

Both sheets are optional: a budget workbook made before they existed has no execution data and
reads as before.  When a sheet is there, its structure is checked (a moved header stops the
reading with a `WorkbookError` naming the cell); its data is not: text in an amount cell is kept
in `odd` for the rules to report, so every data problem is found in one pass.

Execution columns are found by their headings, not by position: each "Semester N" heading on the
group row starts a block of three columns, MIF / Counterpart cash / Counterpart in kind.  A
workbook with more or fewer semesters than the template reads the same way.  Rows are told apart
as on the Budget sheet: a component number in Ref. is a heading, "Contingencies" and "MIF cluster
monitoring" are found by their label, "TOTAL" ends the table, a row with a Ref. is a cost line.
"""

from __future__ import annotations

import re

import pandas as pd

from compiler import periods
from compiler.grid import Grid
from compiler.model import (
    DISBURSEMENT_COLUMNS,
    EXECUTION_COLUMNS,
    ExecutionSheet,
    OddCell,
    StrayCell,
    line_key,
)
from compiler.problems import WorkbookError
from compiler.read_budget import as_number, as_text, component_number, norm_label, ref_text
from workbook_templates import layout

NAN = float("nan")
FOOT_KINDS = {layout.LABEL_CONTINGENCIES.lower(): layout.CONTINGENCIES,
              layout.LABEL_MIF_MONITORING.lower(): layout.MIF_CLUSTER_MONITORING}


def _address(row: int, col: int) -> str:
    return f"{layout.column_letter(col)}{row}"


def execution_columns(grid: Grid, source: str) -> dict[tuple[int, str], int]:
    """(semester, source) -> column, from the "Semester N" headings; checks the three headers below each."""
    sheet = layout.EXECUTION_SHEET
    for col, header in enumerate(layout.EXECUTION_LABEL_HEADERS, start=1):
        found = grid.value(layout.EXECUTION_HEADER_ROW, col)
        if norm_label(found) != header.lower():
            raise WorkbookError(f"{source}: {sheet}!{_address(layout.EXECUTION_HEADER_ROW, col)} should be the "
                                f"column header {header!r} but mifkit finds {as_text(found)!r}; the columns have "
                                "been moved or renamed", sheet=sheet, cell=_address(layout.EXECUTION_HEADER_ROW, col))
    columns: dict[tuple[int, str], int] = {}
    for col in range(1, grid.n_cols + 1):
        match = re.match(layout.EXECUTION_SEMESTER_PATTERN, as_text(grid.value(layout.EXECUTION_GROUP_ROW, col)),
                         re.IGNORECASE)
        if not match:
            continue
        semester = int(match.group(1))
        if not 1 <= semester <= periods.MAX_SEMESTERS or any(s == semester for s, _ in columns):
            raise WorkbookError(f"{source}: {sheet}!{_address(layout.EXECUTION_GROUP_ROW, col)}: semester "
                                f"{semester} appears twice or is not a valid semester number", sheet=sheet,
                                cell=_address(layout.EXECUTION_GROUP_ROW, col))
        for k, key in enumerate(layout.EXECUTION_SOURCES):
            expected = layout.EXECUTION_SOURCE_HEADERS[key]
            found = grid.value(layout.EXECUTION_HEADER_ROW, col + k)
            if norm_label(found) != expected.lower():
                address = _address(layout.EXECUTION_HEADER_ROW, col + k)
                raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {expected!r} of "
                                    f"semester {semester} but mifkit finds {as_text(found)!r}; the columns have "
                                    "been moved or renamed", sheet=sheet, cell=address)
            columns[(semester, key)] = col + k
    if not columns:
        raise WorkbookError(f"{source}: sheet {sheet!r} has no semester columns (\"Semester 1\", \"Semester 2\" … "
                            f"on row {layout.EXECUTION_GROUP_ROW})", sheet=sheet)
    return columns


def read_execution(grid: Grid, source: str) -> tuple[pd.DataFrame, ExecutionSheet, list[OddCell]]:
    """The Execution sheet as a long table (one row per filled amount), where it lives, and its odd cells."""
    sheet = layout.EXECUTION_SHEET
    info = ExecutionSheet(columns=execution_columns(grid, source))
    records, odd = [], []
    for r in range(layout.EXECUTION_FIRST_ROW, grid.n_rows + 1):
        ref, item = ref_text(grid.value(r, 1)), as_text(grid.value(r, 2))
        if not ref and item.lower() == layout.LABEL_TOTAL.lower():
            info.total_row = r
            _strays(grid, info, range(r + 1, grid.n_rows + 1))
            break
        if component_number(ref):
            info.component_rows.append(r)
            _strays(grid, info, [r])
            continue
        kind = FOOT_KINDS.get(item.lower()) if not ref else None
        key = line_key(ref, kind or "line")
        row_records = []
        line = grid.row(r)
        for (semester, src), col in info.columns.items():
            raw = line[col - 1] if col <= len(line) else None
            if raw is None:
                continue
            number = as_number(raw)
            if number is None and raw is not None:
                odd.append(OddCell(sheet, r, col, f"s{semester}_{src}", raw))
            elif number is not None:
                row_records.append({"ref": key, "item": item, "period": semester, "source": src, "amount": number,
                                    "sheet": sheet, "cell": _address(r, col), "row": r})
        if key and key in info.rows and row_records:
            info.duplicates.append((key, info.rows[key], r))
        if key and (row_records or key not in info.rows):
            info.rows.setdefault(key, r)
        records += row_records
    frame = pd.DataFrame(records, columns=list(EXECUTION_COLUMNS))
    frame = frame.astype({"period": "int64", "amount": "float64", "row": "int64"}) if len(frame) else frame
    return frame, info, odd


def _strays(grid: Grid, info: ExecutionSheet, rows) -> None:
    """Numbers where no line is: on a component heading, or below TOTAL.  They are counted nowhere."""
    for r in rows:
        for col in sorted(set(info.columns.values())):
            number = as_number(grid.value(r, col))
            if number is not None and number != 0:
                info.stray.append(StrayCell(layout.EXECUTION_SHEET, r, col, number))


def read_disbursements(grid: Grid, source: str) -> tuple[pd.DataFrame, list[OddCell]]:
    """The Disbursements sheet: one row per semester, figures NaN where empty, and its odd cells."""
    sheet = layout.DISBURSEMENTS_SHEET
    columns = layout.DISBURSEMENT_COLUMNS
    for col, c in enumerate(columns, start=1):
        found = grid.value(layout.DISBURSEMENTS_HEADER_ROW, col)
        if norm_label(found) != c.header.lower():
            address = _address(layout.DISBURSEMENTS_HEADER_ROW, col)
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {c.header!r} but mifkit "
                                f"finds {as_text(found)!r}; the columns have been moved or renamed",
                                sheet=sheet, cell=address)
    col_of = {c.key: i for i, c in enumerate(columns, start=1)}
    records, odd = [], []
    for r in range(layout.DISBURSEMENTS_FIRST_ROW, grid.n_rows + 1):
        first = grid.value(r, 1)
        if norm_label(first) == layout.LABEL_TOTAL.lower():
            break
        period = as_number(first)
        if period is None or not period.is_integer() or not 1 <= period <= periods.MAX_SEMESTERS:
            if any(grid.value(r, col_of[k]) is not None for k in (*layout.DISBURSEMENT_MONEY_KEYS, "note")):
                odd.append(OddCell(sheet, r, 1, "period", first))
            continue
        record = {"period": int(period), "note": as_text(grid.value(r, col_of["note"])), "row": r}
        for key in layout.DISBURSEMENT_MONEY_KEYS:
            raw = grid.value(r, col_of[key])
            number = as_number(raw)
            if number is None and raw is not None:
                odd.append(OddCell(sheet, r, col_of[key], key, raw))
            record[key] = NAN if number is None else number
        records.append(record)
    return pd.DataFrame(records, columns=list(DISBURSEMENT_COLUMNS)), odd
