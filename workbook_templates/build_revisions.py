"""The budget workbook's Revisions sheet: the register of approved revisions and their revised lines.

The Budget sheet stays as the Bank approved it; a revision is recorded here, as the officer reads it in
the Bank's letter: its number, the date it takes effect, the approval reference (the letter or
no-objection number; empty when the revision needed none) and a note, then in the second table one
row per line it changes with the line's whole revised figures (the amount of each budget year, TOTAL
and each source).  Lines a revision does not list keep their figures.  Yellow cells are inputs; the
sheet is not protected (the officer inserts rows as revisions come).
"""

from __future__ import annotations

import datetime as dt
import math

from workbook_templates import layout
from workbook_templates.build_execution import HEADER_FILL, INPUT_FILL, NOTE_COLOR
from workbook_templates.spec import BudgetSpec

TITLE_ROW, NOTE_ROW = 1, 2
REGISTER_TITLE_ROW = 4
DATE_FORMAT = "yyyy-mm-dd"


def write_revisions_sheet(workbook, styles, spec: BudgetSpec) -> None:
    """The Revisions sheet: the register from row 4, the Revised lines table below it."""
    ws = workbook.add_worksheet(layout.REVISIONS_SHEET)
    shape = spec.structure
    columns = layout.revision_line_columns(shape)
    widths = [9, 9, 40, *([12] * (len(columns) - 3))]
    for i, width in enumerate(widths):
        ws.set_column(i, i, width)
    ws.set_column(2, 2, 40)
    ws.write(TITLE_ROW - 1, 0, "Budget revisions approved by the Bank", styles(bold=True, font_size=12))
    ws.write(NOTE_ROW - 1, 0, "The Budget sheet stays as approved. For each revision: a row in the register, "
             "then one row per line it changes with the line's whole revised figures (empty = 0). Lines not "
             "listed keep their figures.", styles(italic=True, font_color=NOTE_COLOR))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter", text_wrap=True)
    border = {"border": 1, "border_color": "#BFBFBF"}
    text_in = styles(bg_color=INPUT_FILL, text_wrap=True, valign="top", **border)
    date_in = styles(bg_color=INPUT_FILL, num_format=DATE_FORMAT, align="left", **border)
    number_in = styles(bg_color=INPUT_FILL, align="center", **border)
    money_in = styles(bg_color=INPUT_FILL, num_format=layout.MONEY_FORMAT, **border)

    row = REGISTER_TITLE_ROW
    ws.write(row - 1, 0, layout.REVISIONS_REGISTER_TITLE, styles(bold=True))
    for i, header in enumerate(layout.REVISIONS_REGISTER_HEADERS):
        ws.write(row, i, header, head)
    ws.set_column(3, 3, 16)  # Note in the register, Year 1 in the revised lines
    first = row + 1
    entries = sorted(spec.revisions, key=lambda r: r.number)
    for i in range(max(len(entries), layout.REVISIONS_REGISTER_ROWS)):
        r = first + i
        entry = entries[i] if i < len(entries) else None
        _value(ws, r, 0, entry.number if entry else None, number_in)
        if entry and isinstance(entry.date, dt.date):
            ws.write_datetime(r, 1, dt.datetime.combine(entry.date, dt.time()), date_in)
        else:
            ws.write_blank(r, 1, None, date_in)
        _value(ws, r, 2, entry.approval if entry and entry.approval else None, text_in)
        _value(ws, r, 3, entry.note if entry and entry.note else None, text_in)
        if entry:  # wrapped text: the row as high as its longest cell needs (spreadsheets do not size it)
            lines = max(math.ceil(len(entry.approval or "") / 44), math.ceil(len(entry.note or "") / 17), 1)
            ws.set_row(r, 13 * lines)
    row = first + max(len(entries), layout.REVISIONS_REGISTER_ROWS) + 1
    ws.write(row, 0, layout.REVISIONS_LINES_TITLE, styles(bold=True))
    for i, (_, header) in enumerate(columns):
        ws.write(row + 1, i, header, head)
    first = row + 2
    revised = [(entry.number, ref, item, figures) for entry in entries for ref, item, figures in entry.lines]
    for i in range(max(len(revised), layout.REVISIONS_LINE_ROWS)):
        r = first + i
        number, ref, item, figures = revised[i] if i < len(revised) else (None, None, None, {})
        _value(ws, r, 0, number, number_in)
        _value(ws, r, 1, ref, text_in)
        _value(ws, r, 2, item, text_in)
        for c, (key, _) in enumerate(columns[3:], start=3):
            _value(ws, r, c, figures.get(key), money_in)
    ws.data_validation(first - 1, 3, first + max(len(revised), layout.REVISIONS_LINE_ROWS) - 2, len(columns) - 1,
                       {"validate": "decimal", "criteria": ">=", "value": 0,
                        "error_title": "Not an amount / No es un monto",
                        "error_message": "Type a number ≥ 0. / Escriba un número ≥ 0."})
    ws.set_paper(9)  # A4, as the other sheets; no repeated rows: the sheet holds two tables
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&F — &A&RPage &P of &N")


def _value(ws, r: int, c: int, value: object, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    else:
        ws.write_number(r, c, value, fmt)
