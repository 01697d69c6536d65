"""Grids of the Execution and Disbursements sheets into the budget model's execution record.

Both sheets are optional: a budget workbook made before they existed has no execution data and
reads as before.  When a sheet is there, its structure is checked (a moved header stops the
reading with a `WorkbookError` naming the cell); its data is not: text in an amount cell is kept
in `odd` for the rules to report, so every data problem is found in one pass.

Execution columns are found by their headings, not by position: each "Semester N" (or "Quarter N",
where the Project sheet records execution per quarter) heading on the group row starts a block of
one column per source of the project (donor, counterpart cash, counterpart in kind, each
co-financier).  A workbook with more or fewer periods than the template reads the same way.  Rows
are told apart as on the Budget sheet: a component number in Ref. is a heading, "Contingencies" and
the lines outside the subtotal are found by their label, "TOTAL" ends the table, a row with a Ref.
is a cost line.  A quarter's figures also count in its semester (quarters 1 and 2 make semester 1).
"""

from __future__ import annotations

import re

from compiler import periods
from compiler.grid import Grid
from compiler.model import (
    DISBURSEMENT_COLUMNS,
    ExecutionSheet,
    OddCell,
    StrayCell,
    line_key,
)
from compiler.problems import WorkbookError
from compiler.read_budget import as_number, as_text, component_number, foot_labels, norm_label, ref_text
from workbook_templates import layout
from workbook_templates.structure import QUARTER, Structure

NAN = float("nan")


def _address(row: int, col: int) -> str:
    return f"{layout.column_letter(col)}{row}"


def execution_columns(grid: Grid, shape: Structure, source: str) -> dict[tuple[int, str], int]:
    """(period, source) -> column, from the "Semester N" or "Quarter N" headings (as the Project sheet
    says execution is recorded); checks the source headers below each."""
    sheet = layout.EXECUTION_SHEET
    word = layout.PERIOD_TITLES[shape.period].lower()
    limit = periods.MAX_SEMESTERS * (2 if shape.period == QUARTER else 1)
    for col, header in enumerate(layout.EXECUTION_LABEL_HEADERS, start=1):
        found = grid.value(layout.EXECUTION_HEADER_ROW, col)
        if norm_label(found) != header.lower():
            raise WorkbookError(f"{source}: {sheet}!{_address(layout.EXECUTION_HEADER_ROW, col)} should be the "
                                f"column header {header!r} but mifkit finds {as_text(found)!r}; the columns have "
                                "been moved or renamed", sheet=sheet, cell=_address(layout.EXECUTION_HEADER_ROW, col))
    columns: dict[tuple[int, str], int] = {}
    for col in range(1, grid.n_cols + 1):
        match = re.match(layout.EXECUTION_PERIOD_PATTERN, as_text(grid.value(layout.EXECUTION_GROUP_ROW, col)),
                         re.IGNORECASE)
        if not match:
            continue
        address = _address(layout.EXECUTION_GROUP_ROW, col)
        if layout.PERIOD_WORDS[match.group(1).lower()] != shape.period:
            raise WorkbookError(f"{source}: {sheet}!{address}: the Project sheet records execution per {word}, but "
                                f"this column is headed {as_text(grid.value(layout.EXECUTION_GROUP_ROW, col))!r}",
                                sheet=sheet, cell=address)
        number = int(match.group(2))
        if not 1 <= number <= limit or any(p == number for p, _ in columns):
            raise WorkbookError(f"{source}: {sheet}!{address}: {word} {number} appears twice or is not a valid "
                                f"{word} number", sheet=sheet, cell=address)
        for k, key in enumerate(shape.sources):
            expected = layout.execution_source_header(shape, key)
            found = grid.value(layout.EXECUTION_HEADER_ROW, col + k)
            if norm_label(found) not in (norm_label(expected), "mif" if key == "donor" else expected.lower()):
                address = _address(layout.EXECUTION_HEADER_ROW, col + k)
                raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {expected!r} of "
                                    f"{word} {number} but mifkit finds {as_text(found)!r}; the columns have "
                                    "been moved or renamed", sheet=sheet, cell=address)
            columns[(number, key)] = col + k
    if not columns:
        title = layout.PERIOD_TITLES[shape.period]
        raise WorkbookError(f"{source}: sheet {sheet!r} has no {word} columns (\"{title} 1\", \"{title} 2\" … "
                            f"on row {layout.EXECUTION_GROUP_ROW})", sheet=sheet)
    return columns


def read_execution(grid: Grid, shape: Structure, source: str) -> tuple[list[dict], ExecutionSheet, list[OddCell]]:
    """The Execution sheet as a long table (one row per filled amount, model.EXECUTION_COLUMNS), where it
    lives, and its odd cells.  Each amount column's letter is worked out once: a large record has tens of
    thousands of amounts."""
    sheet = layout.EXECUTION_SHEET
    info = ExecutionSheet(columns=execution_columns(grid, shape, source), period=shape.period)
    labels = foot_labels(shape)
    quarterly = shape.period == QUARTER
    # (column, semester, quarter, source, column letter, odd-cell key) of each amount column, in the record's order
    blocks = [(col, (number + 1) // 2 if quarterly else number, number if quarterly else 0, src,
               layout.column_letter(col), f"{'q' if quarterly else 's'}{number}_{src}")
              for (number, src), col in info.columns.items()]
    table: list[dict] = []
    odd = []
    for r in range(layout.EXECUTION_FIRST_ROW, grid.n_rows + 1):
        line = grid.row(r)
        ref, item = ref_text(line[0] if line else None), as_text(line[1] if len(line) > 1 else None)
        if not ref and item.lower() == layout.LABEL_TOTAL.lower():
            info.total_row = r
            _strays(grid, info, range(r + 1, grid.n_rows + 1))
            break
        if component_number(ref, shape):
            info.component_rows.append(r)
            _strays(grid, info, [r])
            continue
        kind, component = labels.get(norm_label(item), (None, "")) if not ref else (None, "")
        if kind not in (layout.CONTINGENCIES, layout.OUTSIDE):
            kind = None
        key = line_key(ref, kind or "line", component)
        found = 0
        width = len(line)
        for col, semester, quarter, src, letter, odd_key in blocks:
            raw = line[col - 1] if col <= width else None
            if raw is None:
                continue
            amount = as_number(raw)
            if amount is None:
                odd.append(OddCell(sheet, r, col, odd_key, raw))
                continue
            found += 1
            table.append({"ref": key, "item": item, "period": semester, "quarter": quarter, "source": src,
                          "amount": amount, "sheet": sheet, "cell": f"{letter}{r}", "row": r})
        if key and key in info.rows and found:
            info.duplicates.append((key, info.rows[key], r))
        if key and (found or key not in info.rows):
            info.rows.setdefault(key, r)
    return table, info, odd


def _strays(grid: Grid, info: ExecutionSheet, rows) -> None:
    """Numbers where no line is: on a component heading, or below TOTAL.  They are counted nowhere."""
    for r in rows:
        for col in sorted(set(info.columns.values())):
            number = as_number(grid.value(r, col))
            if number is not None and number != 0:
                info.stray.append(StrayCell(layout.EXECUTION_SHEET, r, col, number))


def read_disbursements(grid: Grid, source: str) -> tuple[list[dict], list[OddCell]]:
    """The Disbursements sheet: one row per semester (model.DISBURSEMENT_COLUMNS), figures NaN where empty,
    and its odd cells.  The disbursement timetable's columns (projected disbursement, milestone, milestone
    met) are read where the sheet has them; a sheet made before them reads as before."""
    sheet = layout.DISBURSEMENTS_SHEET
    col_of = disbursement_columns(grid, source)
    plan_texts = ("milestone", "milestone_es", "milestone_met")
    records, odd = [], []
    for r in range(layout.DISBURSEMENTS_FIRST_ROW, grid.n_rows + 1):
        first = grid.value(r, 1)
        if norm_label(first) == layout.LABEL_TOTAL.lower():
            break
        period = as_number(first)
        keys = [k for k in (*layout.DISBURSEMENT_MONEY_KEYS, "note", "projected", *plan_texts) if k in col_of]
        if period is None or not period.is_integer() or not 1 <= period <= periods.MAX_SEMESTERS:
            if any(grid.value(r, col_of[k]) is not None for k in keys):
                odd.append(OddCell(sheet, r, 1, "period", first))
            continue
        record = {"period": int(period), "note": as_text(grid.value(r, col_of["note"])), "row": r,
                  **{k: as_text(grid.value(r, col_of[k])) if k in col_of else "" for k in plan_texts},
                  "projected_cell": _address(r, col_of["projected"]) if "projected" in col_of else "",
                  "milestone_cell": _address(r, col_of["milestone_met"]) if "milestone_met" in col_of else ""}
        met = record["milestone_met"]
        record["milestone_met"] = layout.MILESTONE_MET_WORDS.get(met.lower(), met)
        for key in (*layout.DISBURSEMENT_MONEY_KEYS, "projected"):
            if key not in col_of:  # an optional column the workbook does not have
                record[key] = NAN
                continue
            raw = grid.value(r, col_of[key])
            number = as_number(raw)
            if number is None and raw is not None:
                odd.append(OddCell(sheet, r, col_of[key], key, raw))
            record[key] = NAN if number is None else number
        records.append(record)
    return [{k: record[k] for k in DISBURSEMENT_COLUMNS} for record in records], odd


def disbursement_columns(grid: Grid, source: str) -> dict[str, int]:
    """Column key -> column of the Disbursements sheet.  The columns are expected in the template's order;
    an optional one (added in a later template) may be missing, the others must be where they are."""
    sheet = layout.DISBURSEMENTS_SHEET
    col_of, col = {}, 1
    for c in layout.DISBURSEMENT_COLUMNS:
        found = grid.value(layout.DISBURSEMENTS_HEADER_ROW, col)
        if norm_label(found) in {norm_label(t) for t in (c.header, *c.accepts)}:
            col_of[c.key] = col
            col += 1
        elif not c.optional:
            address = _address(layout.DISBURSEMENTS_HEADER_ROW, col)
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {c.header!r} but mifkit "
                                f"finds {as_text(found)!r}; the columns have been moved or renamed",
                                sheet=sheet, cell=address)
    return col_of
