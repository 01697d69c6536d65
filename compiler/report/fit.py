"""Table columns wide enough for their longest word, so that no word is broken inside a cell.

Word and LibreOffice break a word that is wider than its column in the middle ("Complete|d"); which
words a table will hold is known only once the report is filled.  So, after filling, each table's
columns are measured: a column too narrow for its longest word is widened to fit it, and the room it
takes comes from the columns with room to spare, in proportion to that room, keeping the table's
width.  The words are measured with the advance widths of the report's font (Arial, which LibreOffice prints
as the metric-compatible Liberation Sans), kept in font_metrics.py: no font file or font library is
needed, and a table is sized the same on every machine.  Kerning is left out, which errs on the wide side.
"""

from __future__ import annotations

import functools
import re

from docx.oxml.ns import qn
from docx.shared import Emu, Pt

from compiler.report import font_metrics

DEFAULT_SIZE_PT = 10.0   # a run without its own size: the body text's
CELL_MARGINS_TWIPS = 2 * 108   # Word's default left and right cell margins
SAFETY = 1.06                  # rendering engines differ a little in kerning and hinting
TWIPS_PER_PT = 20
_UNKNOWN = font_metrics.UNITS_PER_EM   # a character the table lacks counts as one em, wider than any letter


@functools.lru_cache(maxsize=20000)
def word_width_pt(word: str, size_pt: float, bold: bool) -> float:
    """The printed width of one word, in points."""
    widths = font_metrics.BOLD if bold else font_metrics.REGULAR
    units = sum(widths.get(ord(char), _UNKNOWN) for char in word)
    return units * size_pt / font_metrics.UNITS_PER_EM


def _run_size(run, paragraph_style_size: float) -> float:
    size = run.find(qn("w:rPr") + "/" + qn("w:sz"))
    return int(size.get(qn("w:val"))) / 2 if size is not None else paragraph_style_size


def _longest_word_twips(cell, default_size: float) -> int:
    longest = 0.0
    for run in cell.iter(qn("w:r")):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if not text.strip():
            continue
        bold = run.find(qn("w:rPr") + "/" + qn("w:b")) is not None
        size = _run_size(run, default_size)
        for word in re.split(r"\s+", text):
            if word:
                longest = max(longest, word_width_pt(word, size, bold))
    return int(longest * SAFETY * TWIPS_PER_PT) + CELL_MARGINS_TWIPS if longest else 0


def _grid(table) -> list:
    return table._tbl.tblGrid.findall(qn("w:gridCol"))


def fit_table(table, default_size: float = DEFAULT_SIZE_PT) -> bool:
    """Widen the columns of `table` too narrow for their longest word; True when anything changed."""
    grid = _grid(table)
    widths = [int(col.get(qn("w:w")) or 0) for col in grid]
    if not widths or not all(widths):
        return False
    needed = [0] * len(widths)
    for tr in table._tbl.tr_lst:
        cells = tr.tc_lst
        if len(cells) != len(widths):  # merged cells: leave the table as its author made it
            return False
        for n, tc in enumerate(cells):
            needed[n] = max(needed[n], _longest_word_twips(tc, default_size))
    short = {n: needed[n] - widths[n] for n in range(len(widths)) if needed[n] > widths[n]}
    if not short:
        return False
    spare = {n: widths[n] - needed[n] for n in range(len(widths)) if n not in short and widths[n] > needed[n]}
    wanted, available = sum(short.values()), sum(spare.values())
    taken = min(wanted, available)
    new = list(widths)
    for n, gap in short.items():
        new[n] = widths[n] + int(gap * taken / wanted) if wanted else widths[n]
    for n, room in spare.items():
        new[n] = widths[n] - int(room * taken / available) if available else widths[n]
    _set_widths(table, new)
    return True


def _set_widths(table, twips: list[int]) -> None:
    for col, width in zip(_grid(table), twips, strict=True):
        col.set(qn("w:w"), str(width))
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, twips, strict=True):
            tc.width = Emu(Pt(width / TWIPS_PER_PT))


def fit_tables(document) -> int:
    """Fit every table of a python-docx Document; returns how many were changed."""
    return sum(fit_table(table) for table in document.tables)
