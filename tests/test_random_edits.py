"""Random edits to the example workbook never crash the reader or the validator: the only outcomes
allowed are a report or a WorkbookError (a clear message, exit code 2 on the command line).

Two kinds of edits: what a person does in a spreadsheet (any cell of the Project, Budget and Summary
sheets set to a number, text, a date, an error value, a huge or negative number, nothing; rows
inserted and deleted), and what a broken program or transfer does to a sheet's XML (bytes cut,
removed, repeated, digits changed).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import openpyxl
from hostile.corpus import BOOK_PART, BUDGET_PART, STRINGS_PART, STYLES_PART, example_workbook, rewrite_zip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from compiler.problems import WorkbookError
from compiler.read_budget import load_budget
from compiler.validate import validate_file
from workbook_templates import layout

SHEETS = {layout.PROJECT_SHEET: (40, 6), layout.BUDGET_SHEET: (95, 22), layout.SUMMARY_SHEET: (18, 6)}
# MIFKIT_FUZZ_EXAMPLES=1000 for a longer hunt; 40 keeps the suite fast on two shared cores.
SETTINGS = settings(max_examples=int(os.environ.get("MIFKIT_FUZZ_EXAMPLES", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@cache
def example_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return example_workbook(Path(folder) / "example.xlsx").read_bytes()


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
values = st.one_of(
    st.none(),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 5e-324, 2**53 + 1, -0.0, 0.5]),
    printable,
    st.sampled_from(["#REF!", "#DIV/0!", "#N/A", "#VALUE!", "#NAME?", "1,200.00", "S/ 1 200", "1.200,00", "(1,200)",
                     " ", "=1/0", "=SUM(D6:D9)", "=Budget!ZZ999", "=VLOOKUP(1,A1:B2,2)", "TOTAL", "SUB-TOTAL", "1",
                     "Contingencies", "Year 1", "Qty."]),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.booleans(),
)
sheets = st.sampled_from(sorted(SHEETS))


@st.composite
def cell_edit(draw):
    sheet = draw(sheets)
    rows, cols = SHEETS[sheet]
    return ("set", sheet, draw(st.integers(1, rows)), draw(st.integers(1, cols)), draw(values))


@st.composite
def row_edit(draw):
    sheet = draw(sheets)
    return (draw(st.sampled_from(["insert", "delete"])), sheet, draw(st.integers(1, SHEETS[sheet][0])),
            draw(st.integers(1, 3)))


def _apply(book: openpyxl.Workbook, change: tuple) -> None:
    kind, sheet, row, *rest = change
    ws = book[sheet]
    if kind == "set":
        col, value = rest
        if isinstance(value, str) and value.startswith("=") and sheet != layout.BUDGET_SHEET:
            value = value.replace("Budget!", "")
        cell = ws.cell(row, col)
        if not isinstance(cell, MergedCell):  # the template's merged captions: Excel would not let a person either
            cell.value = value
    elif kind == "insert":
        ws.insert_rows(row, rest[0])
    else:
        ws.delete_rows(row, rest[0])


def _outcome(path: Path, run=validate_file) -> None:
    try:
        run(path)
    except WorkbookError as exc:
        assert str(path) in str(exc) and "\n" not in str(exc)


edits = st.lists(st.one_of(cell_edit(), cell_edit(), cell_edit(), row_edit()), min_size=1, max_size=8)


def _edited(changes, check) -> None:
    book = openpyxl.load_workbook(io.BytesIO(example_bytes()))
    for change in changes:
        _apply(book, change)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edited.xlsx"
        book.save(path)
        check(path)


@SETTINGS
@given(edits)
def test_spreadsheet_edits_never_crash_the_reader(changes):
    _edited(changes, lambda path: _outcome(path, load_budget))


@SETTINGS
@given(edits)
def test_spreadsheet_edits_never_crash_the_validator(changes):
    _edited(changes, _outcome)


PARTS = (BUDGET_PART, BUDGET_PART, STRINGS_PART, BOOK_PART, STYLES_PART, "xl/worksheets/sheet1.xml")


@st.composite
def xml_damage(draw):
    """One change to one part's XML (mostly the Budget sheet): a slice cut, removed or repeated, or a digit
    changed."""
    name = draw(st.sampled_from(PARTS))
    with zipfile.ZipFile(io.BytesIO(example_bytes())) as z:
        size = len(z.read(name))
    kind = draw(st.sampled_from(["cut", "remove", "repeat", "digit"]))
    start = draw(st.integers(0, size - 1))
    length = draw(st.integers(1, 2000))
    return name, kind, start, length, draw(st.integers(0, 9))


def _damage(data: bytes, kind: str, start: int, length: int, digit: int) -> bytes:
    if kind == "cut":
        return data[:start]
    if kind == "remove":
        return data[:start] + data[start + length:]
    if kind == "repeat":
        return data[:start + length] + data[start:start + length] * 3 + data[start + length:]
    found = list(re.finditer(rb"\d", data))
    if not found:
        return data
    at = min(found, key=lambda m: abs(m.start() - start)).start()
    return data[:at] + str(digit).encode() + data[at + 1:]


@SETTINGS
@given(st.lists(xml_damage(), min_size=1, max_size=3))
def test_damaged_xml_parts_never_crash_the_reader(damages):
    def change(name: str):
        def damaged(data: bytes) -> bytes:
            for part, *damage in damages:
                if part == name:
                    data = _damage(data, *damage)
            return data
        return damaged

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "example.xlsx"
        source.write_bytes(example_bytes())
        path = Path(folder) / "damaged.xlsx"
        rewrite_zip(source, path, {name: change(name) for name in {d[0] for d in damages}})
        _outcome(path)
