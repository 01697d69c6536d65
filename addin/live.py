"""Sheets of the open workbook into grids: the add-in's reader, twin of `compiler.grid.read_grids`.

The add-in checks what Excel shows *now*, unsaved edits included, so it reads values from Excel
rather than from the file on disk.  It produces the same `Grid`s as the file reader, so the model
and the rules cannot tell where the figures came from and the add-in finds exactly what
`mifkit validate` would find in the saved file.

Hosts differ in what they can tell: desktop Excel gives each cell's formula, Excel on the web
(xlwings Lite) does not send formulas with the cells, so there the grids say "formulas unknown"
(`formulas=None`) and the rules that need them stay quiet rather than guess.
Objects come from xlwings, but this module does not import it: it only calls their methods.
"""

from __future__ import annotations

from compiler.formula import rc_to_address
from compiler.grid import MAX_COLS, MAX_ROWS, Grid, grid_from_values
from compiler.problems import WorkbookError
from workbook_templates import layout


def sheet_names(book) -> list[str]:
    return [sheet.name for sheet in book.sheets]


def recalculate_if_manual(book) -> bool:
    """With calculation set to manual, formulas show stale results until F9: recalculate first.

    Only the results of formulas change, as on pressing F9; returns whether it recalculated.
    (Excel on the web sends values before any action runs, so there it cannot help.)
    """
    try:
        manual = book.app.calculation == "manual"
    except (NotImplementedError, AttributeError):
        return False
    if manual:
        book.app.calculate()
    return manual


def grids_from_book(book, sheets=layout.READ_SHEETS) -> dict[str, Grid]:
    """The named sheets of an open workbook as grids (missing sheets are left out, as in read_grids)."""
    recalculate_if_manual(book)
    present = set(sheet_names(book))
    return {name: grid_from_sheet(book.sheets[name], book.name) for name in sheets if name in present}


def grid_from_sheet(sheet, source: str) -> Grid:
    """One sheet from A1 to the end of its used range, values as Excel shows them."""
    used = sheet.used_range
    n_rows, n_cols = used.shape
    last_row, last_col = used.row + n_rows - 1, used.column + n_cols - 1
    if last_row > MAX_ROWS or last_col > MAX_COLS:
        raise WorkbookError(
            f"{source}: sheet {sheet.name!r} uses cells up to {rc_to_address(last_row, last_col)}; "
            f"mifkit reads sheets of at most {MAX_ROWS:,} rows and {MAX_COLS} columns. "
            "Delete the stray cells far from the table", sheet=sheet.name)
    block = sheet.range((1, 1), (last_row, last_col))
    values = block.options(ndim=2, err_to_str=True).value
    return grid_from_values(sheet.name, [list(row) for row in values], formulas_of(block))


def formulas_of(block) -> dict[tuple[int, int], str] | None:
    """(row, column) -> formula text without "=", or None where the host does not tell formulas."""
    try:
        texts = block.formula
    except NotImplementedError:
        return None
    if isinstance(texts, str):
        texts = ((texts,),)
    formulas = {}
    for r, row in enumerate(texts, start=block.row):
        for c, text in enumerate(row, start=block.column):
            if isinstance(text, str) and text.startswith("="):
                formulas[(r, c)] = text[1:]
    return formulas
