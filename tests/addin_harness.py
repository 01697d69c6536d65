"""Excel without Excel, for the add-in tests: a real .xlsx file stands for the open workbook.

- `payload(path)` is what Excel's add-in client sends for that file (values of every sheet, used
  ranges, which cells have notes, the workbook's names that refer to a range), read with openpyxl,
  independently of mifkit's reader.
- `open_book(path)` turns it into a real `xlwings.Book` of xlwings' remote engine; the add-in's
  code runs on it unchanged, and `book.json()["actions"]` lists what Excel would be told to do.
- `replay(path, actions, out)` performs those actions on a copy of the file with openpyxl (values,
  sheets, fills, notes, names), so a test can open the result and see what the officer would see.
- `FileReadings(path)` is what a host that can read fills and notes' text (desktop Excel, or xlwings
  Lite's awaited reads) tells Clear marks of the file's cells; the sync remote engine cannot.

The remote engine is xlwings' PolyForm Noncommercial part, enabled by XLWINGS_LICENSE_KEY
(tests/conftest.py sets it): it is the tests' stand-in for Excel only; the add-in uses the
open-source API.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import xlwings as xw
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName


def _json_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat() + ".000Z"
    if isinstance(value, dt.date):
        return value.isoformat() + "T00:00:00.000Z"
    return value


def payload(path: str | Path, name: str | None = None) -> dict:
    """The JSON the Office.js client of xlwings sends for this workbook."""
    book = openpyxl.load_workbook(path, data_only=True)
    sheets = []
    for ws in book.worksheets:
        rows = [[_json_value(v) for v in row]
                for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment is not None]
        sheets.append({"name": ws.title, "values": rows or [[]], "pictures": [], "shapes": [], "charts": [],
                       "tables": [], "notes": notes, "print_area": None,
                       "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
                       "used_range_address": f"$A$1:${get_column_letter(ws.max_column)}${ws.max_row}"})
    return {"client": "Office.js", "version": xw.__version__,
            "book": {"name": name or Path(path).name, "active_sheet_index": 0, "selection": "A1"},
            "names": _names(book), "sheets": sheets}


def _names(book) -> list[dict]:
    """The workbook's names that refer to a range, as the client sends them (a name whose cell was
    deleted, =#REF!, is not a range and is left out, as Excel's client leaves it out)."""
    positions = {ws.title: i for i, ws in enumerate(book.worksheets)}
    out = []
    for name, defined in book.defined_names.items():
        text = str(defined.attr_text or "")
        if "#REF!" in text or "!" not in text:
            continue
        sheet, address = text.rsplit("!", 1)
        sheet = sheet.strip("'").replace("''", "'")
        if sheet not in positions:
            continue
        out.append({"name": name, "sheet_index": positions[sheet], "address": address.replace("$", ""),
                    "scope_sheet_name": None, "scope_sheet_index": None, "book_scope": True})
    return out


def open_book(path: str | Path, name: str | None = None) -> xw.Book:
    return xw.Book(json=payload(path, name))


def fills(path: str | Path) -> dict[tuple[str, str], str]:
    """Every cell's fill as the add-in records it ("#RRGGBB" or "none"), read from the file."""
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                out[(ws.title, c.coordinate)] = fill_of(c)
    return out


def fill_of(cell) -> str:
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return "none"
    return "#" + str(fill.fgColor.rgb)[-6:].upper()


def _cell(ws, action: dict, dr: int = 0, dc: int = 0):
    return ws.cell(row=action["start_row"] + 1 + dr, column=action["start_column"] + 1 + dc)


def replay(path: str | Path, actions: list[dict], out: str | Path) -> Path:
    """Do to a copy of the file what the actions would do in Excel; refuse actions it does not know."""
    book = openpyxl.load_workbook(path)
    for action in actions:
        func, args = action["func"], action["args"]
        ws = book.worksheets[action["sheet_position"]] if action["sheet_position"] is not None else None
        if func == "addSheet":
            book.create_sheet(args[1], index=args[0])
        elif func == "sheetDelete":
            book.remove(ws)
        elif func == "setValues":
            for dr, row in enumerate(action["values"]):
                for dc, value in enumerate(row):
                    _cell(ws, action, dr, dc).value = None if value == "" else value
        elif func == "setRangeColor":
            color = args[0]
            _cell(ws, action).fill = (PatternFill() if color is None
                                      else PatternFill("solid", fgColor="FF" + color.lstrip("#")))
        elif func == "addNote":
            _cell(ws, action).comment = Comment(args[1], "mifkit")
        elif func == "deleteNote":
            _cell(ws, action).comment = None
        elif func == "namesAdd":
            book.defined_names[args[0]] = DefinedName(args[0], attr_text=args[1].lstrip("="))
        elif func == "nameDelete":
            del book.defined_names[args[2]]
        elif func == "setSheetVisibility":
            ws.sheet_state = "hidden" if args[0] == "Hidden" else "visible"
        elif func in ("setFontProperty", "setAutofit", "setSheetAutofit", "activateSheet", "alert"):
            continue  # presentation only: nothing a test reads back
        else:
            raise AssertionError(f"the harness does not know the action {func!r}")
    book.save(out)
    return Path(out)


class FileReadings:
    """The fills and notes' text of a file's cells, as a host that can read them tells Clear marks."""

    def __init__(self, path: str | Path):
        book = openpyxl.load_workbook(path)
        self.fills = {(ws.title, c.coordinate): fill_of(c) for ws in book.worksheets
                      for row in ws.iter_rows() for c in row}
        self.notes = {(ws.title, c.coordinate): c.comment.text for ws in book.worksheets
                      for row in ws.iter_rows() for c in row if c.comment is not None}

    def fill(self, sheet: str, cell: str) -> str:
        return self.fills.get((sheet, cell), "none")

    def note(self, sheet: str, cell: str) -> str | None:
        return self.notes.get((sheet, cell))


def actions(book: xw.Book) -> list[dict]:
    return book.json()["actions"]


def sheet_position(book_payload: dict, name: str) -> int:
    return [s["name"] for s in book_payload["sheets"]].index(name)


def written(book: xw.Book, sheet_name: str) -> list[list[object]]:
    """The values the actions write into the new sheet of that name (from A1), as one block."""
    done = actions(book)
    position = next(a["args"][0] for a in done if a["func"] == "addSheet" and a["args"][1] == sheet_name)
    blocks = [a for a in done if a["func"] == "setValues" and a["sheet_position"] == position]
    assert len(blocks) == 1 and (blocks[0]["start_row"], blocks[0]["start_column"]) == (0, 0)
    return blocks[0]["values"]
