"""Workbook files into grids of cell values: the I/O edge of the reader.

A `Grid` is one sheet's used range as plain Python values (numbers, text, dates, booleans,
`CellError`), plus which cells hold formulas.  The file reader and the add-in's live-Excel reader
both produce grids, so the model and the rules never know where the values came from.

How a file is read, and why:
- python-calamine reads cell values about ten times faster than openpyxl, but it aborts the whole
  process on a sheet whose used range reaches XFD1048576, and it reads error cells (#REF!) as
  empty text.  So each sheet's XML is scanned first: the scan finds the real used range (refused
  above `MAX_ROWS` x `MAX_COLS` before calamine sees it), the formula cells (with their text and
  whether a saved result exists) and the error cells, which are laid over calamine's values.
- Formulas without a saved result (a file written by a library, never opened in a spreadsheet
  program) are evaluated with `compiler.formula`, and the grid records which cells were, so the
  user can be told.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from compiler.formula import ERROR_CODES, CellError, Unsupported, address_to_rc, evaluate_all, rc_to_address
from compiler.problems import WorkbookError

MAX_ROWS = 250_000
MAX_COLS = 256
MAX_PART_BYTES = 512 * 1024 * 1024  # uncompressed size of one sheet's XML
MAX_RATIO = 150  # uncompressed / compressed, beyond which a part is treated as a zip bomb

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Grid:
    """One sheet's cells.  Rows and columns are 1-based, as in Excel."""

    name: str
    values: list[list[object]]
    formulas: dict[tuple[int, int], str] | None = field(default_factory=dict)
    computed: set[tuple[int, int]] = field(default_factory=set)  # formulas evaluated by mifkit

    @property
    def n_rows(self) -> int:
        return len(self.values)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.values), default=0)

    def value(self, row: int, col: int) -> object:
        if 1 <= row <= len(self.values):
            line = self.values[row - 1]
            if 1 <= col <= len(line):
                return line[col - 1]
        return None

    def row(self, row: int) -> list[object]:
        return self.values[row - 1] if 1 <= row <= len(self.values) else []

    def has_formula(self, row: int, col: int) -> bool | None:
        """True/False, or None where the source cannot tell (some live-Excel hosts)."""
        if self.formulas is None:
            return None
        return (row, col) in self.formulas

    def cells(self) -> Iterable[tuple[int, int, object]]:
        for r, line in enumerate(self.values, start=1):
            for c, v in enumerate(line, start=1):
                if v is not None:
                    yield r, c, v


def normalize(value: object) -> object:
    """Empty text is an empty cell; error strings from live Excel become CellError."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value in ERROR_CODES:
        return CellError(value)
    return value


def grid_from_values(name: str, rows: list[list[object]], formulas: dict | None = None) -> Grid:
    """A grid from a block of values starting at A1 (what xlwings' used_range gives, padded)."""
    return Grid(name, [[normalize(v) for v in line] for line in rows], formulas)


# ------------------------------------------------------------------------------------------------
# Reading .xlsx files
# ------------------------------------------------------------------------------------------------

def _sniff(path: Path) -> None:
    """Refuse what is not an .xlsx/.xlsm workbook, with the reason a person can act on."""
    if not path.exists():
        raise WorkbookError(f"{path}: no such file")
    if path.is_dir():
        raise WorkbookError(f"{path}: is a folder, not a workbook")
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError(f"{path}: the file is empty")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_MAGIC:
        raise WorkbookError(f"{path}: password-protected or in the old .xls format; "
                            "open it in Excel, remove the password and save it as .xlsx")
    if not zipfile.is_zipfile(path):
        raise WorkbookError(f"{path}: not an Excel workbook (.xlsx); it may be truncated or another kind of file")


class XlsxFile:
    """An open .xlsx package: sheet names, and each sheet's XML, with size guards."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        _sniff(self.path)
        try:
            self.zip = zipfile.ZipFile(self.path)
            self.sheet_parts = self._sheet_parts()
        except WorkbookError:
            raise
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise WorkbookError(f"{self.path}: not a readable Excel workbook ({exc})") from None

    def close(self) -> None:
        self.zip.close()

    def _xml(self, part: str):
        from defusedxml import ElementTree
        from defusedxml.common import DefusedXmlException

        data = self._read_part(part)
        try:
            return ElementTree.fromstring(data)
        except DefusedXmlException:
            raise WorkbookError(f"{self.path}: {part} contains XML entities or a DTD, refused as unsafe") from None
        except ElementTree.ParseError as exc:
            raise WorkbookError(f"{self.path}: {part} is damaged ({exc})") from None

    def _read_part(self, part: str) -> bytes:
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            raise WorkbookError(f"{self.path}: the workbook is incomplete (missing {part})") from None
        if info.file_size > MAX_PART_BYTES or (
                info.compress_size and info.file_size > 1_000_000
                and info.file_size / info.compress_size > MAX_RATIO):
            raise WorkbookError(f"{self.path}: {part} unpacks to {info.file_size:,} bytes; "
                                "refused as a possible zip bomb")
        return self.zip.read(part)

    def _sheet_parts(self) -> dict[str, str]:
        names = set(self.zip.namelist())
        content_types = self._read_part("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if b"addin.macroEnabled" in content_types:
            raise WorkbookError(f"{self.path}: an Excel add-in (.xlam), not a workbook")
        if "xl/workbook.xml" not in names:
            raise WorkbookError(f"{self.path}: not an Excel workbook (no xl/workbook.xml inside)")
        book = self._xml("xl/workbook.xml")
        rels = self._xml("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else None
        targets = {}
        if rels is not None:
            for rel in rels:
                target = rel.get("Target", "")
                target = target[1:] if target.startswith("/") else str(PurePosixPath("xl") / target)
                targets[rel.get("Id")] = target
        parts = {}
        for sheet in book.iter(f"{{{MAIN_NS}}}sheet"):
            rid = sheet.get(f"{{{REL_NS}}}id")
            parts[sheet.get("name")] = targets.get(rid, "")
        return parts

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheet_parts)

    def sheet_xml(self, name: str) -> bytes:
        part = self.sheet_parts[name]
        if part not in self.zip.namelist():
            raise WorkbookError(f"{self.path}: sheet {name!r} is listed but its contents are missing")
        return self._read_part(part)


_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,7})"')
_DIM = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,3}\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_CELL_START = re.compile(rb'<(?:\w+:)?c\b([^>]*)>')
_CELL_END = re.compile(rb'</(?:\w+:)?c>')
_F_START = re.compile(rb'<(?:\w+:)?f[\s>/]')
_FORMULA = re.compile(rb'<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)', re.S)
_VALUE = re.compile(rb'<(?:\w+:)?v>(.*?)</(?:\w+:)?v>', re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]{1,3}\d{1,7})"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bt="e"[^>]*>')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@dataclass
class _Scan:
    max_row: int
    max_col: int
    formulas: dict[tuple[int, int], str]   # text ("" for a shared formula's followers)
    uncached: set[tuple[int, int]]
    errors: dict[tuple[int, int], CellError]


def _cell_body(xml: bytes, head: re.Match) -> tuple[tuple[int, int] | None, bytes]:
    """The address of the cell that starts at `head`, and the XML between its tags."""
    ref = _ATTR_R.search(head.group(1))
    if head.group(0).endswith(b"/>") or not ref:
        return None, b""
    end = _CELL_END.search(xml, head.end())
    return address_to_rc(ref.group(1).decode()), xml[head.end():end.start() if end else len(xml)]


def scan_sheet(xml: bytes) -> _Scan:
    """Used range, formula cells and error cells of one sheet, without building a DOM."""
    max_row = max((int(m) for m in _ROW.findall(xml)), default=0)
    max_col = 0
    for letters, digits in _REF.findall(xml):
        max_row = max(max_row, int(digits))
        max_col = max(max_col, _col_number(letters))
    dim = _DIM.search(xml)
    if dim and dim.group(2):
        max_row = max(max_row, int(dim.group(3)))
        max_col = max(max_col, _col_number(dim.group(2)))
    formulas, uncached, errors = {}, set(), {}
    if max_row > MAX_ROWS or max_col > MAX_COLS:
        return _Scan(max_row, max_col, formulas, uncached, errors)
    for f in _F_START.finditer(xml):
        # A formula is a cell's first child, so the cell's start tag is the tag just before it.
        head = _CELL_START.match(xml, xml.rfind(b"<", 0, f.start()))
        rc, body = _cell_body(xml, head) if head else (None, b"")
        if rc is None:
            continue
        fm = _FORMULA.search(body)
        formulas[rc] = html.unescape(fm.group(2).decode("utf-8")) if fm and fm.group(2) else ""
        value = _VALUE.search(body)
        if value is None or value.group(1) == b"":
            uncached.add(rc)
    for head in _ERROR_CELL.finditer(xml):
        rc, body = _cell_body(xml, _CELL_START.match(xml, head.start()))
        value = _VALUE.search(body)
        if rc and value:
            errors[rc] = CellError(value.group(1).decode())
    return _Scan(max_row, max_col, formulas, uncached, errors)


def read_grids(path: str | Path, sheets: Iterable[str]) -> dict[str, Grid]:
    """Read the named sheets of an .xlsx file into grids (missing sheets are left out)."""
    import python_calamine

    book = XlsxFile(path)
    try:
        wanted = [s for s in sheets if s in book.sheet_parts]
        scans = {s: scan_sheet(book.sheet_xml(s)) for s in wanted}
    finally:
        book.close()
    for name, scan in scans.items():
        if scan.max_row > MAX_ROWS or scan.max_col > MAX_COLS:
            raise WorkbookError(
                f"{path}: sheet {name!r} uses cells up to {rc_to_address(scan.max_row, scan.max_col)}; "
                f"mifkit reads sheets of at most {MAX_ROWS:,} rows and {MAX_COLS} columns. "
                "Delete the stray cells far from the table and save again", sheet=name)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise WorkbookError(f"{path}: not a readable Excel workbook ({exc})") from None
    grids = {}
    for name, scan in scans.items():
        try:
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False) if scan.max_row else []
        except Exception as exc:
            raise WorkbookError(f"{path}: sheet {name!r} cannot be read ({exc})", sheet=name) from None
        values = [[normalize(v) for v in line] for line in rows]
        for (r, c), err in scan.errors.items():
            _put(values, r, c, err)
        grids[name] = Grid(name, values, scan.formulas)
    _compute_uncached(path, grids, {n: s.uncached for n, s in scans.items()})
    return grids


def _put(values: list[list[object]], row: int, col: int, value: object) -> None:
    while len(values) < row:
        values.append([])
    line = values[row - 1]
    while len(line) < col:
        line.append(None)
    line[col - 1] = value


def _compute_uncached(path, grids: dict[str, Grid], uncached: dict[str, set[tuple[int, int]]]) -> None:
    """Evaluate formulas that have no saved result, or say which one cannot be."""
    if not any(uncached.values()):
        return
    formulas, values = {}, {}
    for name, grid in grids.items():
        for (r, c), text in grid.formulas.items():
            if (r, c) in uncached[name]:
                if not text:
                    raise WorkbookError(
                        f"{path}: {name}!{rc_to_address(r, c)} holds a shared formula with no saved result; "
                        "open the file in Excel or LibreOffice and save it", sheet=name, cell=rc_to_address(r, c))
                formulas[(name, rc_to_address(r, c))] = text
        for r, c, v in grid.cells():
            values[(name, rc_to_address(r, c))] = v

    outside = _reference_outside(formulas, grids)
    if outside:
        sheet, address, target = outside
        raise WorkbookError(f"{path}: {sheet}!{address} refers to sheet {target!r}, which mifkit does not read, "
                            "and has no saved result; open the file in Excel or LibreOffice and save it",
                            sheet=sheet, cell=address)
    try:
        results = evaluate_all(formulas, values)
    except Unsupported as exc:
        raise WorkbookError(f"{path}: formulas without saved results that mifkit cannot compute ({exc}); "
                            "open the file in Excel or LibreOffice and save it") from None
    for (name, address), value in results.items():
        r, c = address_to_rc(address)
        _put(grids[name].values, r, c, normalize(value) if not isinstance(value, float) else value)
        grids[name].computed.add((r, c))


def _reference_outside(formulas: dict[tuple[str, str], str],
                       grids: dict[str, Grid]) -> tuple[str, str, str] | None:
    """(sheet, cell, other sheet) of the first formula that reads a sheet not loaded, if any."""
    for (sheet, address), text in formulas.items():
        for m in re.finditer(r"(?:'((?:[^']|'')+)'|([A-Za-z_][\w.]*))!", text):
            target = (m.group(1) or m.group(2)).replace("''", "'")
            if target not in grids:
                return sheet, address, target
    return None
