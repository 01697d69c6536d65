"""The add-in's marks follow their cells: Validate, the officer keeps working in a spreadsheet program
(rows inserted and deleted above the marked cells, a column inserted left of them, a sheet renamed, a
marked cell recoloured, her words typed into one of mifkit's notes, the file saved), then Clear marks.

Validate and Clear run through xlwings' remote engine on the file (tests/addin_harness.py); her edits
are made in LibreOffice through its UNO API (tests/lo_uno.py).  What she should end with is made the
same way: her edits on the workbook that was never marked.  After Clear every cell has the value, fill
and note of that workbook (her recolour and her note kept), and nothing of mifkit's remains: no colour,
note, name or sheet.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import openpyxl
import pytest
from addin_harness import FileReadings, actions, fills, open_book, replay
from lo_uno import edit_each, needs_uno

from addin.commands import clear_book, validate_book
from addin.marks import ERROR_FILL, FINDINGS_SHEET, MARK_NAME, RECORD_SHEET, WARNING_FILL

pytestmark = [needs_uno, pytest.mark.libreoffice]

WHEN = dt.datetime(2026, 11, 21, 9, 30)
SHEETS = ("Project", "Budget", "Summary", "Execution", "Disbursements")
HER_COLOUR = "#92D050"
HER_WORDS = "\nAna: the Bank agreed this figure on 3 May"


def _shift(cell: str, inserted_at: int, inserted: int, deleted_at: int, column_at: int) -> str:
    """Where a Budget cell goes when `inserted` rows go in at `inserted_at`, then the row `deleted_at`
    is deleted and a column goes in at `column_at` (1-based)."""
    letters, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
    row = int(row)
    row += inserted if row >= inserted_at else 0
    row -= 1 if row > deleted_at else 0
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    number += 1 if number >= column_at else 0
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return f"{out}{row}"


def _state(path) -> tuple[dict, dict, dict, set]:
    """Values, fills and notes of her sheets' cells, and the names of the workbook."""
    book = openpyxl.load_workbook(path)
    values, notes = {}, {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    values[(ws.title, c.coordinate)] = c.value
                if c.comment is not None:
                    notes[(ws.title, c.coordinate)] = c.comment.text.strip()
    return values, fills(path), notes, set(book.defined_names.keys())


def test_clear_marks_after_she_kept_working_leaves_every_cell_as_she_left_it(example_copy, tmp_path):
    original = tmp_path / "original.xlsx"
    shutil.copy(example_copy, original)
    live = open_book(example_copy)
    outcome = validate_book(live, "en", WHEN, fills(example_copy))
    assert outcome.ok and outcome.records
    marked = replay(example_copy, actions(live), tmp_path / "marked.xlsx")
    records = {(r.sheet, r.cell): r for r in outcome.records}

    budget_marks = sorted((c for s, c in records if s == "Budget"), key=lambda c: int(re.sub(r"\D", "", c)))
    first_row = min(int(re.sub(r"\D", "", c)) for c in budget_marks)
    insert_at, deleted, column_at = 8, 20, 3  # rows and a column above and left of every Budget mark
    assert first_row > deleted + 2
    recoloured = _shift(budget_marks[0], insert_at, 2, deleted, column_at)
    written_into = next(cell for (sheet, cell), r in records.items() if sheet == "Project" and r.note_added)

    her_edits = [
        {"op": "unprotect", "sheet": "Budget"},
        {"op": "insert_rows", "sheet": "Budget", "row": insert_at, "count": 2},
        {"op": "set", "sheet": "Budget", "cell": f"B{insert_at}", "value": "Printer toner"},
        {"op": "delete_rows", "sheet": "Budget", "row": deleted},
        {"op": "insert_columns", "sheet": "Budget", "column": column_at},
        {"op": "fill", "sheet": "Budget", "range": recoloured, "color": HER_COLOUR},
        {"op": "protect", "sheet": "Budget"},
        {"op": "rename_sheet", "sheet": "Execution", "name": "Ejecución"},
    ]
    note_edit = [{"op": "append_comment", "sheet": "Project", "cell": written_into, "text": HER_WORDS}]
    edited, expected = tmp_path / "edited.xlsx", tmp_path / "expected.xlsx"
    edit_each([(marked, edited, her_edits + note_edit), (original, expected, her_edits)])

    values, her_fills, notes, names = _state(edited)
    assert {n for n in names if n.startswith(MARK_NAME)} == {r.name for r in outcome.records}
    assert her_fills[("Budget", recoloured)] == HER_COLOUR
    assert any(f in (ERROR_FILL, WARNING_FILL) for f in her_fills.values())

    live = open_book(edited)
    cleared_outcome = clear_book(live, "en", FileReadings(edited))
    assert cleared_outcome.ok, cleared_outcome.message
    cleared = replay(edited, actions(live), tmp_path / "cleared.xlsx")

    values, after_fills, notes, names = _state(cleared)
    want_values, want_fills, want_notes, want_names = _state(expected)
    assert not {FINDINGS_SHEET, RECORD_SHEET} & set(openpyxl.load_workbook(cleared).sheetnames)
    assert names == want_names, "a name of mifkit's remains"
    assert values == want_values
    her_sheets = set(SHEETS) - {"Execution"} | {"Ejecución"}
    wrong = {k: (after_fills.get(k), v) for k, v in want_fills.items() if k[0] in her_sheets
             and after_fills.get(k, "none") != v}
    assert not wrong, f"cells whose fill is not as she left it: {sorted(wrong.items())[:5]}"
    assert after_fills[("Budget", recoloured)] == HER_COLOUR
    kept = notes.pop(("Project", written_into))
    assert kept.endswith(HER_WORDS.strip()) and kept.startswith("mifkit "), "her words in mifkit's note were lost"
    assert notes == want_notes, "a note of mifkit's remains, or one of hers went"
