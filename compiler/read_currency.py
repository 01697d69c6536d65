"""Grids of the Local spending and Rates sheets into the model (entries as typed, monthly rates).

Both sheets are optional: a workbook made before them reads as before, with no local spending.  The
headers are checked (a moved column stops the reading with a `WorkbookError` naming the cell); the
data is not: a cell that cannot be used (a date that is no date, a source the project does not
have, a rate of zero) is listed as a `LedgerProblem` for the rules to report at its cell, and its
entry is left out of the conversion.  Converting is compiler/currency.py's work, not the reader's.
"""

from __future__ import annotations

import datetime as dt
import re

from compiler.grid import Grid
from compiler.model import LedgerProblem
from compiler.problems import WorkbookError
from compiler.read_budget import as_number, as_text, norm_label, ref_text
from workbook_templates import layout
from workbook_templates.structure import Structure


def _check_headers(grid: Grid, sheet: str, columns, header_row: int, source: str) -> None:
    for col, c in enumerate(columns, start=1):
        found = grid.value(header_row, col)
        if norm_label(found) != norm_label(c.header):
            address = f"{layout.column_letter(col)}{header_row}"
            raise WorkbookError(f"{source}: {sheet}!{address} should be the column header {c.header!r} but mifkit "
                                f"finds {as_text(found)!r}; the columns have been moved or renamed",
                                sheet=sheet, cell=address)


EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIALS = (18_264, 73_051)  # 1950-01-01 to 2099-12-31 as Excel's day numbers


def as_date(value: object) -> dt.date | None:
    """A cell's date: a date cell, Excel's day number of one (what a host that does not convert dates
    sends), or text written as 2025-03-15 (or 15/03/2025, as typed in Peru)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and SERIALS[0] <= value <= SERIALS[1]:
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = as_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def source_names(shape: Structure) -> dict[str, str]:
    """Normalised name -> source key: the Execution sheet's header, the funder's name and the key itself."""
    names = {}
    for key in shape.sources:
        for text in (key, layout.execution_source_header(shape, key), shape.funder_name(key),
                     shape.funder_name(key, "es")):
            names.setdefault(norm_label(text), key)
    return names


def read_local(grid: Grid, shape: Structure, source: str) -> tuple[list[dict], list[LedgerProblem]]:
    """The Local spending sheet: one record per entry (a row with any figure, date, Ref. or source), with
    model.LOCAL_COLUMNS."""
    sheet = layout.LOCAL_SHEET
    _check_headers(grid, sheet, layout.LOCAL_COLUMNS, layout.LOCAL_HEADER_ROW, source)
    col = {c.key: i for i, c in enumerate(layout.LOCAL_COLUMNS, start=1)}
    names = source_names(shape)
    records, problems = [], []
    for r in range(layout.LOCAL_FIRST_ROW, grid.n_rows + 1):
        raw = {k: grid.value(r, c) for k, c in col.items()}
        if all(raw[k] in (None, "") for k in ("date", "ref", "source", "currency", "amount", "rate")):
            continue

        def problem(key: str, what: str, r: int = r, raw: dict = raw) -> None:
            problems.append(LedgerProblem(sheet, layout.local_cell(key, r), what, raw[key]))

        date = as_date(raw["date"])
        if date is None:
            problem("date", "not_a_date")
        src = names.get(norm_label(raw["source"]), "")
        if not src:
            problem("source", "unknown_source")
        amount = as_number(raw["amount"])
        if amount is None:
            problem("amount", "no_amount" if raw["amount"] in (None, "") else "not_a_number")
        rate = as_number(raw["rate"])
        if rate is None and raw["rate"] not in (None, ""):
            problem("rate", "not_a_number")
        elif rate is not None and rate <= 0:
            problem("rate", "not_positive")
            rate = None
        records.append({"row": r, "date": date, "ref": ref_text(raw["ref"]), "source": src,
                        "currency": as_text(raw["currency"]).upper(), "amount": amount, "rate": rate,
                        "description": as_text(raw["description"])})
    return records, problems


def read_rates(grid: Grid, source: str) -> tuple[list[dict], list[LedgerProblem]]:
    """The Rates sheet: one record per month with a rate (month = the first day of the month), with
    model.RATES_COLUMNS."""
    sheet = layout.RATES_SHEET
    _check_headers(grid, sheet, layout.RATES_COLUMNS, layout.RATES_HEADER_ROW, source)
    records, problems, seen = [], [], {}
    for r in range(layout.RATES_FIRST_ROW, grid.n_rows + 1):
        month_raw, rate_raw = grid.value(r, 1), grid.value(r, 2)
        if rate_raw in (None, ""):
            continue  # a month without a rate yet: FX01 reports the entries that need it
        month = as_date(month_raw)
        if month is None and (m := re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", as_text(month_raw))):
            month = dt.date(int(m.group(1)), int(m.group(2)), 1) if 1 <= int(m.group(2)) <= 12 else None
        rate = as_number(rate_raw)
        if month is None:
            problems.append(LedgerProblem(sheet, layout.rates_cell("month", r), "not_a_date", month_raw))
            continue
        if rate is None or rate <= 0:
            problems.append(LedgerProblem(sheet, layout.rates_cell("rate", r),
                                          "not_a_number" if rate is None else "not_positive", rate_raw))
            continue
        month = month.replace(day=1)
        if month in seen:
            problems.append(LedgerProblem(sheet, layout.rates_cell("month", r), "twice", month_raw))
            continue
        seen[month] = r
        records.append({"row": r, "month": month, "rate": rate, "note": as_text(grid.value(r, 3))})
    return records, problems
