"""The reader's scan of the sheet XML: the fast scan agrees with the cell-by-cell one wherever it
applies, and formatted empty rows and cells far below the table (which spreadsheet programs write)
read fine, while content there is refused before python-calamine could abort the process on it."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import needs_libreoffice

from compiler.grid import (
    _cells_to_read,
    _formula_cells_found,
    _scan_fast,
    _scan_linear,
    _up_to,
    read_grids,
    scan_sheet,
)
from workbook_templates import layout
from workbook_templates.layout import column_letter

SYSTEM_PYTHON = "/usr/bin/python3"  # has LibreOffice's UNO bridge (python3-uno)


def _has_uno() -> bool:
    return Path(SYSTEM_PYTHON).exists() and subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.parametrize("limit", [1, 9, 10, 11, 99, 100, 101, 187, 1000, 7095, 20_000, 99_999, 250_000])
def test_row_numbers_up_to_a_limit(limit):
    pattern = re.compile(_up_to(str(limit), "0123456789"))
    for n in {*range(1, min(limit, 2000) + 50), limit - 1, limit, limit + 1, limit * 10, 10 ** len(str(limit))}:
        if n > 0:
            assert bool(pattern.fullmatch(str(n))) == (n <= limit), (limit, n)
    assert not pattern.fullmatch("0") and not pattern.fullmatch("01")


@pytest.mark.parametrize("limit", [1, 2, 25, 26, 27, 52, 99, 256, 702, 703])
def test_column_letters_up_to_a_limit(limit):
    pattern = re.compile(_up_to(column_letter(limit), "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    for n in range(1, 800):
        assert bool(pattern.fullmatch(column_letter(n))) == (n <= limit), (limit, n)


@pytest.mark.parametrize("limit", [1, 26, 27, 52, 256, 702, 703, 16_384])
def test_column_letters_up_to_a_limit_shorter_first(limit):
    pattern = re.compile(_up_to(column_letter(limit), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", shorter_first=True))
    for n in range(1, 800):
        assert bool(pattern.fullmatch(column_letter(n))) == (n <= limit), (limit, n)


# Cells as spreadsheet programs and libraries write them, and some no program writes ({a}: the address)
USUAL_CELLS = [
    '<c r="{a}" s="3"/>', '<c r="{a}"><v>1.5</v></c>', '<c r="{a}" s="2" t="s"><v>0</v></c>',
    '<c r="{a}" s="7"><f>A1*2</f><v>2</v></c>', '<c r="{a}">\n  <f>SUM(A1:A2)</f>\n  <v>3</v>\n</c>',
    '<c r="{a}"><f t="shared" ref="A1:A3" si="0">B1</f><v>4</v></c>', '<c r="{a}"><f t="shared" si="0"/><v>4</v></c>',
    '<c r="{a}" t="e"><f>1/0</f><v>#DIV/0!</v></c>', '<c r="{a}" t="inlineStr"><is><t>x</t></is></c>',
    '<c r="{a}"><f>A1&amp;"&lt;"</f><v>1</v></c>',
]
ODD_CELLS = [
    '<c r="{a}"><f>A1</f></c>', '<c r="{a}" t="str"><f>""</f><v></v></c>',      # no saved result
    '<c r="{a}"><v>1</v><f>A1</f></c>', '<c r="{a}"><foo/></c>', '<c r="{a}"><fx>1</fx><v>1</v></c>',
    '<c r="{a}" x="a>b"><f>A1</f><v>1</v></c>', '<c r="{a}"><f>A1</f>\t<v>1</v></c>', '<c r="{a}"><f>A1<f>',
    '<c r="{a}"><f/><f>A2</f><v>1</v></c>', '<c r="{a}"/><f>A1</f>', '<c  r="{a}"><v>1</v></c>',
]


def _random_sheet(rng: random.Random, cells: list[str]) -> bytes:
    rows = []
    for r in range(1, rng.randint(1, 40)):
        columns = sorted(rng.sample(range(1, 60), rng.randint(0, 8)))
        if rng.random() < 0.02:
            columns.append(rng.choice([300, 16_384]))  # far to the right
        rows.append(f'<row r="{r}">' + "".join(rng.choice(cells).format(a=f"{column_letter(c)}{r}")
                                                for c in columns) + "</row>")
    return ('<worksheet><sheetData>' + "".join(rows) + "</sheetData></worksheet>").encode()


def test_formula_cells_found_as_the_one_pass_finds_them():
    """The three passes of the fast scan give what the one pass over every cell gives, on any mix of cells."""
    rng = random.Random(16)
    for trial in range(3000):
        xml = _random_sheet(rng, USUAL_CELLS if trial % 2 else USUAL_CELLS + ODD_CELLS)  # half: the three passes
        start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
        rows, cols = rng.choice([(39, 256), (20, 40), (39, 26)])
        found = _cells_to_read(rows, cols).findall(xml, start, end)
        expected = None if any(not letters for letters, _, _ in found) else \
            [(letters, int(row), result) for letters, row, result in found]
        columns = _formula_cells_found(xml, start, end, rows, cols)
        got = None if columns is None else list(zip(*columns, strict=True))
        assert got == expected, xml


def test_fast_scan_agrees_with_the_linear_scan_on_random_sheets():
    rng = random.Random(17)
    taken = 0
    for _ in range(2000):
        xml = _random_sheet(rng, USUAL_CELLS + ODD_CELLS[:2])
        fast = _scan_fast(xml)
        if fast is not None:
            taken += 1
            _same(fast, _scan_linear(xml))
    assert taken > 1000, "most random sheets take the fast scan"


def _sheets(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist() if name.startswith("xl/worksheets/sheet")}


def _same(fast, linear) -> None:
    assert fast.max_row == linear.max_row
    assert fast.max_col >= linear.max_col and fast.max_row * fast.max_col <= 2_000_000
    assert (fast.formulas, fast.uncached, fast.errors, fast.merged) == \
        (linear.formulas, linear.uncached, linear.errors, linear.merged)
    assert fast.problem is None and linear.problem is None


def test_fast_scan_agrees_with_the_linear_scan_on_the_workbooks(built):
    for name in ("example.xlsx", "example_formulas.xlsx", "template.xlsx"):
        for part, xml in _sheets(built / name).items():
            fast = _scan_fast(xml)
            assert fast is not None, f"{name} {part}: a workbook mifkit writes takes the fast scan"
            _same(fast, _scan_linear(xml))


CELLS = b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>1+1</f><v>2</v></c></row>'


@pytest.mark.parametrize("rows, fast_applies", [
    (b'<row r="1048576" customFormat="false"></row>', True),                     # LibreOffice after a deletion
    (b'<row r="1048576" s="3" customFormat="1"><c r="A1048576" s="3"/><c r="T1048576" s="3"></c></row>', False),
    (b'<row r="5"><c r="A5" s="3"/><c r="B5" s="3"/></row><row r="6"><c r="A6" s="3"/></row>', True),  # input rows
    (b'<row r="5"><c r="A5" s="3"/><c r="B5" s="3" x="/>"><v>1</v></c></row>', True),  # its value counts
    (b'<row r="9"><c r="C9"><f>A1*2</f></c></row>', True),                       # a formula without a result
    (b'<row r="9"><c r="C9" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>', True),
    (b'<row r="9"><c r="C9" t="str"><f>""</f><v></v></c></row>', True),
    (b'<row r="9"><c r="C9" s="1" r="XFD9"><v>1</v></c></row>', False),          # two addresses
    (b'<row r="9"><c r="C9"\t r="XFD9"><v>1</v></c></row>', False),
    (b'<row r="9"><c s="1" r="C9"><v>1</v></c></row>', False),                   # address not first
    (b'<row r="9"><c r="C9" x="/>"><v>1</v></c></row>', True),
    (b'<row r="3"><c r="C3"><v>1</v></c></row><row r="2"><c r="IV2"><v>1</v></c></row>', False),  # out of order
    (b'<row r="9">\n  <c r="C9">\n    <f>A1*2</f>\n    <v>2</v>\n  </c>\n</row>', True),  # indented
])
def test_fast_scan_agrees_or_steps_aside(rows, fast_applies):
    xml = (b'<?xml version="1.0"?><worksheet><dimension ref="A1:T1048576"/><sheetData>' + CELLS + rows
           + b'</sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>')
    fast, linear = _scan_fast(xml), _scan_linear(xml)
    assert (fast is not None) == fast_applies
    if fast is not None:
        _same(fast, linear)
    assert scan_sheet(xml).problem is None


@pytest.mark.parametrize("cell", [
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="XFD1048576" t="inlineStr"><is><t></t></is></c>',
    b'<c r="XFD1048576"><f>1+1</f></c>',
    b'<c r="XFD1048576" x="/>"><v>1</v></c>',                  # an attribute that looks like the tag's end
    b"<c r='XFD1048576'><v>1</v></c>",
])
def test_content_beyond_the_limits_is_refused(cell):
    xml = b'<worksheet><sheetData>' + CELLS + b'<row r="1048576">' + cell + b'</row></sheetData></worksheet>'
    scan = scan_sheet(xml)
    assert scan.problem and "far outside the table" in scan.problem and scan.cell == "XFD1048576"


@needs_libreoffice
@pytest.mark.libreoffice
@pytest.mark.skipif(not _has_uno(), reason="the system python has no LibreOffice UNO bridge (python3-uno)")
def test_a_row_deleted_in_libreoffice_reads_fine(built, tmp_path):
    """LibreOffice saves a formatted empty row 1,048,576 and declares the range down to it."""
    source = tmp_path / "budget.xlsx"
    shutil.copy(built / "example.xlsx", source)
    saved = tmp_path / "budget_row_deleted.xlsx"
    subprocess.run([SYSTEM_PYTHON, str(Path(__file__).parent / "uno_delete_row.py"), str(source), str(saved),
                    layout.BUDGET_SHEET, "12"], check=True, timeout=180)
    budget_xml = next(xml for xml in _sheets(saved).values() if b"1048576" in xml)
    assert re.search(rb'<row r="1048576"[^>]*>(</row>|<c )', budget_xml), "the file has the row to test with"

    result = subprocess.run([sys.executable, "-m", "compiler.cli", "validate", str(saved)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "far outside" not in result.stderr
    grids = read_grids(saved, layout.REQUIRED_SHEETS)
    original = read_grids(source, layout.REQUIRED_SHEETS)
    assert grids[layout.BUDGET_SHEET].n_rows == original[layout.BUDGET_SHEET].n_rows - 1
    assert grids[layout.BUDGET_SHEET].row(12) == original[layout.BUDGET_SHEET].row(13)
