"""The LibreOffice helper edits workbooks as a person would: references move, the source stays as it was."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from lo_uno import LibreOfficeEditError, edit, needs_uno

pytestmark = [needs_uno, pytest.mark.libreoffice]


def test_edits_move_references_and_keep_what_she_added(tmp_path):
    first = tmp_path / "first.xlsx"
    ops = [{"op": "set", "cell": "A1", "value": "Item"}, {"op": "set", "cell": "B1", "value": "Amount"}]
    ops += [{"op": "set", "cell": f"B{row}", "value": row * 10} for row in range(2, 6)]
    ops += [{"op": "set", "cell": "B6", "value": "=SUM(B2:B5)"},
            {"op": "comment", "cell": "B2", "text": "Checked against invoice 12"},
            {"op": "defined_name", "name": "Total", "refers_to": "'Sheet1'!$B$6"}]
    edit(None, first, ops, author="Ana Quispe")
    assert openpyxl.load_workbook(first)["Sheet1"]["B2"].comment.author == "Ana Quispe"
    before = hashlib.sha256(first.read_bytes()).hexdigest()

    second = tmp_path / "second.xlsx"
    values = edit(first, second, [
        {"op": "insert_rows", "row": 3, "count": 2},
        {"op": "set", "cell": "B3", "value": 7},
        {"op": "copy_range", "source": "B8", "target": "C8"},
        {"op": "rename_sheet", "name": "Budget"},
        {"op": "add_sheet", "name": "Working"}, {"op": "hide_sheet", "sheet": "Working"},
        {"op": "get", "sheet": "Budget", "cell": "B8"},
        {"op": "get_formula", "sheet": "Budget", "cell": "C8"},
    ])
    assert hashlib.sha256(first.read_bytes()).hexdigest() == before, "the source was written"
    assert values[0] == pytest.approx(147.0, abs=1e-9)
    assert values[1] == "=SUM(C2:C7)"

    book = openpyxl.load_workbook(second)
    sheet = book["Budget"]
    assert sheet["B8"].value == "=SUM(B2:B7)"
    assert sheet["B2"].comment.text.strip() == "Checked against invoice 12"
    assert book.defined_names["Total"].attr_text == "Budget!$B$8"
    assert book["Working"].sheet_state == "hidden"


def test_an_unknown_operation_is_refused_with_its_name(tmp_path):
    with pytest.raises(LibreOfficeEditError, match="unknown operation 'juggle'"):
        edit(None, tmp_path / "x.xlsx", [{"op": "juggle"}])
