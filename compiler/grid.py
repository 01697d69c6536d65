"""Workbook files into grids of cell values: the I/O edge of the reader.

A `Grid` is one sheet's used range as plain Python values (numbers, text, dates, booleans,
`CellError`), plus which cells hold formulas.  The file reader and the add-in's live-Excel reader
both produce grids, so the model and the rules never know where the values came from.

How a file is read, and why:
- python-calamine reads cell values about ten times faster than openpyxl, but it aborts the whole
  process on a sheet whose content reaches XFD1048576, and it reads error cells (#REF!) as empty
  text.  So each sheet's XML is scanned first, for what calamine cannot tell or must not be given:
  the range the content uses (refused above `MAX_ROWS` x `MAX_COLS` before calamine sees it; empty
  formatted cells and rows, and the declared <dimension>, do not count, as calamine skips them
  too), the formula cells (whether each has a saved result, and the text of those without) and the
  error cells, which are laid over calamine's values.  The scan costs about what calamine's own
  parse of the sheets does (bench/RESULTS.md): a few searches for literals and one pass of one
  pattern over the cells, run in C, with no Python step per cell.
- Formulas without a saved result (a file written by a library, never opened in a spreadsheet
  program) are evaluated with `compiler.formula`, and the grid records which cells were, so the
  user can be told.
- Hostile files (see tests/hostile/corpus.py for one of each) are refused before calamine sees
  them: zip bombs, too many or duplicate parts, DTDs and entities in any part, forged counts that
  make calamine reserve gigabytes, cells far from the table or a used rectangle beyond `MAX_CELLS`.
  No pattern of the scan can run past the tag it reads, so no input makes it hang.
"""

from __future__ import annotations

import functools
import html
import itertools
import operator
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from compiler.formula import ERROR_CODES, CellError, Unsupported, address_to_rc, evaluate_all, rc_to_address
from compiler.problems import WorkbookError
from workbook_templates.layout import column_number

MAX_ROWS = 250_000
MAX_COLS = 256
# calamine and the grid hold every cell of the used rectangle, empty or not: one stray cell at IV250000
# costs 64 million cells (measured: 2.6 GB and 18 s for a 20 KB file), so the rectangle is bounded too.
MAX_CELLS = 2_000_000
MAX_PART_BYTES = 512 * 1024 * 1024  # uncompressed size of one sheet's XML
MAX_RATIO = 150  # uncompressed / compressed, beyond which a part is treated as a zip bomb
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all XML parts together, unpacked
MAX_PARTS = 10_000  # zip entries; Excel writes a few dozen, more with many sheets, charts and images

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass
class Grid:
    """One sheet's cells.  Rows and columns are 1-based, as in Excel."""

    name: str
    values: list[list[object]]
    formulas: dict[tuple[int, int], str] | None = field(default_factory=dict)
    computed: set[tuple[int, int]] = field(default_factory=set)  # formulas evaluated by mifkit
    merged: list[str] = field(default_factory=list)  # merged ranges ("B10:D10"), where the source tells

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


# normalize() as one lookup per cell, for the hundreds of thousands of cells calamine returns (all hashable).
_NORMALIZED: dict[object, object] = {"": None, **{code: CellError(code) for code in ERROR_CODES}}


def _normalize_rows(rows: list[list[object]]) -> list[list[object]]:
    """normalize() every cell of calamine's rows, in place (no second copy of a large sheet)."""
    for line in rows:
        line[:] = map(_NORMALIZED.get, line, line)
    return rows


def grid_from_values(name: str, rows: list[list[object]], formulas: dict | None = None) -> Grid:
    """A grid from a block of values starting at A1 (what xlwings' used_range gives, padded)."""
    return Grid(name, [[normalize(v) for v in line] for line in rows], formulas)


# ------------------------------------------------------------------------------------------------
# Reading .xlsx files
# ------------------------------------------------------------------------------------------------

def _ole_reason(path: Path) -> str:
    """Why an OLE compound file is not readable: encrypted .xlsx, or the old .xls format."""
    try:
        import olefile

        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except Exception:  # a damaged OLE file: say what it looks like, nothing more
        streams = set()
    if {"encryptioninfo", "encryptedpackage"} & streams:
        return ("the workbook is password-protected (encrypted), so mifkit cannot read it; in Excel use "
                "File > Info > Protect Workbook > Encrypt with Password, clear the password, and save")
    if {"workbook", "book"} & streams:
        return "the workbook is in the old Excel 97-2003 format (.xls); open it in Excel and save it as .xlsx"
    return ("password-protected or in the old .xls format; open it in Excel, remove the password and "
            "save it as .xlsx")


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
        raise WorkbookError(f"{path}: {_ole_reason(path)}")
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_MAGIC):
            raise WorkbookError(f"{path}: the file is truncated or damaged (it starts like a workbook but its end "
                                "is missing); ask for a fresh copy of the file")
        raise WorkbookError(f"{path}: not an Excel workbook (.xlsx); it may be truncated or another kind of file")


def _refuse_dtd(path: Path, part: str, data: bytes) -> None:
    """No spreadsheet program writes a DTD; one in a part can only be an XML bomb or an external entity.

    python-calamine does not expand entities (it stops on them), but the message it gives says nothing
    a person can act on, so the parts are checked before it sees them.
    """
    if _has_dtd(data):
        raise WorkbookError(f"{path}: {part} contains a DTD or XML entity declarations, which no spreadsheet "
                            "program writes; refused as unsafe (an XML bomb or external entity)")


def _declared_entries(path: Path) -> int:
    """How many parts the zip's end record declares, read before zipfile builds an object for each.

    A forged zip of a few hundred thousand empty parts costs zipfile about half a kilobyte of memory
    per part; a workbook has a few dozen.
    """
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 65_557))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 12 > len(tail):
        return 0
    entries = int.from_bytes(tail[at + 10: at + 12], "little")
    if entries == 0xFFFF:  # ZIP64: the count is in the ZIP64 end record, just before
        at64 = tail.rfind(b"PK\x06\x06", 0, at)
        entries = int.from_bytes(tail[at64 + 32: at64 + 40], "little") if at64 >= 0 else entries
    return entries


class XlsxFile:
    """An open .xlsx package: sheet names, and each sheet's XML, with size guards."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        _sniff(self.path)
        entries = _declared_entries(self.path)
        if entries > MAX_PARTS:
            raise WorkbookError(f"{self.path}: the file holds {entries:,} parts; a workbook holds a few dozen "
                                f"(mifkit reads up to {MAX_PARTS:,}): damaged or forged")
        try:
            self.zip = zipfile.ZipFile(self.path)
            self._check_members()
            self.sheet_parts = self._sheet_parts()
        except WorkbookError:
            raise
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, EOFError, zlib.error,
                NotImplementedError) as exc:
            raise WorkbookError(f"{self.path}: not a readable Excel workbook ({exc})") from None

    def close(self) -> None:
        self.zip.close()

    def _check_members(self) -> None:
        """Every XML part within the size guards, none encrypted: before any part is unpacked."""
        total, seen = 0, set()
        for info in self.zip.infolist():
            if info.filename in seen:  # which copy a reader takes is up to the reader: refuse both
                raise WorkbookError(f"{self.path}: the file holds two parts named {info.filename}; no spreadsheet "
                                    "program writes that (the file is damaged or forged)")
            seen.add(info.filename)
            if info.flag_bits & 0x1:
                raise WorkbookError(f"{self.path}: its parts are encrypted (a zip password), so it is not a "
                                    "workbook Excel wrote; save it again from Excel as .xlsx")
            if info.filename.endswith((".xml", ".rels")):
                self._check_size(info)
                total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise WorkbookError(f"{self.path}: its XML parts unpack to {total:,} bytes; refused as a possible "
                                "zip bomb (mifkit reads workbooks of up to "
                                f"{MAX_TOTAL_BYTES // 2**20:,} MB unpacked)")

    def _check_size(self, info: zipfile.ZipInfo) -> None:
        if info.file_size > MAX_PART_BYTES or (
                info.compress_size and info.file_size > 1_000_000
                and info.file_size / info.compress_size > MAX_RATIO):
            raise WorkbookError(f"{self.path}: {info.filename} unpacks to {info.file_size:,} bytes from "
                                f"{info.compress_size:,}; refused as a possible zip bomb")

    def _xml(self, part: str):
        from defusedxml import ElementTree
        from defusedxml.common import DefusedXmlException

        data = self._read_part(part)
        try:
            return ElementTree.fromstring(data)
        except DefusedXmlException:
            raise WorkbookError(f"{self.path}: {part} contains XML entities or a DTD, refused as unsafe") from None
        except (ElementTree.ParseError, LookupError, ValueError) as exc:  # LookupError: an unknown encoding
            raise WorkbookError(f"{self.path}: {part} is damaged ({exc})") from None

    def _read_part(self, part: str) -> bytes:
        try:
            info = self.zip.getinfo(part)
        except KeyError:
            raise WorkbookError(f"{self.path}: the workbook is incomplete (missing {part})") from None
        self._check_size(info)
        try:
            # zipfile never unpacks more than the declared size and checks the CRC, so a lying header
            # ends here as an error rather than as a bomb.
            return self.zip.read(part)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError) as exc:
            raise WorkbookError(f"{self.path}: the file is damaged ({part} cannot be unpacked: {exc}); "
                                "ask for a fresh copy of the file") from None

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
        data = self._read_part(part)
        _refuse_dtd(self.path, f"sheet {name!r} ({part})", data)
        return data

    def check_shared_parts(self) -> None:
        """The parts python-calamine reads besides the sheets: no DTD, no impossible counts.

        calamine reserves memory for the count the shared-strings part declares, so a forged
        uniqueCount of four billion aborts the whole process (measured: a 96 GB allocation).
        """
        for part in self.zip.namelist():
            if not part.endswith((".xml", ".rels")) or part in self.sheet_parts.values():
                continue
            data = self._read_part(part)
            _refuse_dtd(self.path, part, data)
            if part.endswith("sharedStrings.xml"):
                self._check_string_count(part, data)

    def _check_string_count(self, part: str, data: bytes) -> None:
        head = _SST_HEAD.search(data)
        if not head:
            return
        possible = len(data) // 4 + 1  # each string takes at least "<si>" in the part
        for count in _COUNT_ATTR.findall(head.group(1)):
            if int(count) > possible:
                raise WorkbookError(f"{self.path}: {part} declares {int(count):,} texts but holds room for at most "
                                    f"{possible:,}; the file is damaged or forged. Open it in Excel and save again")


_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!ENTITY".encode("utf-16-le"),
                "<!DOCTYPE".encode("utf-16-be"), "<!ENTITY".encode("utf-16-be"))


def _has_dtd(data: bytes) -> bool:
    """Whether any of `_DTD_MARKERS` is in the part.  Each UTF-8 marker holds a "!" and each UTF-16 one a
    NUL byte, which a sheet rarely holds: looking for one byte is a memchr, far cheaper than six searches."""
    return ((b"!" in data and any(marker in data for marker in _DTD_MARKERS[:2]))
            or (b"\x00" in data and any(marker in data for marker in _DTD_MARKERS[2:])))


_SST_HEAD = re.compile(rb'<(?:\w+:)?sst\b([^<>]*)>')
_COUNT_ATTR = re.compile(rb'\b(?:count|uniqueCount)="(\d{1,20})"')

# The sheet scan.  A cell counts towards the used range only when it has content (a value, a formula,
# anything in its body): spreadsheet programs write formatted empty cells and rows anywhere, down to
# row 1,048,576 (LibreOffice does after a row is deleted), and python-calamine skips them too, as it
# skips the <dimension> a program declares.  Every pattern stops at the next "<" (or is anchored on a
# literal and bounded by the tag it reads), so no crafted input makes the scan run past linear time.
_TAG = re.compile(rb'<(?:\w{1,32}:)?(row|c|mergeCell)\b([^<>]*)>')
_ATTR_R = re.compile(rb'\br=(?:"([^"<>]*)"|\'([^\'<>]*)\')')  # the address, in either quotes
_ATTR_REF = re.compile(rb'\bref="([^"<>]*)"')
_ATTR_T_ERROR = re.compile(rb'\bt="e"')
# Attributes plainly written (name="value", nothing in a value that could end the tag), closing the tag:
# only then is a cell known to be empty without reading further.
# No possessive quantifiers (*+, ++): Python 3.11 before 3.11.5 matches some of them wrongly (a cell
# with a value read as empty); every class here excludes the character that follows it, so greedy is the same.
_PLAIN_SELF_CLOSING = re.compile(rb'(?:\s+[\w:]+="[^"<>]*")*\s*/')
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9]\d{0,6})")
_CELL_END = re.compile(rb'</(?:\w{1,32}:)?c>')
_FORMULA = re.compile(rb'<(?:\w{1,32}:)?f\b([^<>]*?)(?:/>|>([^<]*)</(?:\w{1,32}:)?f>)')
_VALUE = re.compile(rb'<(?:\w{1,32}:)?v>([^<]*)</(?:\w{1,32}:)?v>')


@dataclass
class _Scan:
    max_row: int  # no cell with content lies below it (the last row with content)
    max_col: int  # nor right of it (the fast scan gives a bound within the limits, not the last column)
    formulas: dict[tuple[int, int], str]   # text of the formulas without a saved result, "" for the others
    uncached: set[tuple[int, int]]
    errors: dict[tuple[int, int], CellError]
    merged: list[str] = field(default_factory=list)  # merged ranges, "B10:D10"
    problem: str | None = None  # why the sheet cannot be read, if it cannot
    cell: str | None = None     # the cell the problem is at
    far_row: tuple[int, int] = (0, 0)  # the lowest cell, and the rightmost: what stretches the used range
    far_col: tuple[int, int] = (0, 0)


def _beyond(row: int, col: int) -> bool:
    return row > MAX_ROWS or col > MAX_COLS


def _limits() -> str:
    return f"mifkit reads sheets of at most {MAX_ROWS:,} rows and {MAX_COLS} columns"


def scan_sheet(xml: bytes) -> _Scan:
    """Used range, formula cells, error cells and merged ranges of one sheet, without building a DOM.

    The usual sheet (cells plainly written with their address, content within the limits) is read by
    the fast scan; any other, and any sheet to refuse, by the linear scan, which knows where each cell
    is and names the cell a refusal is about.  Both give the same result where both apply
    (tests/test_grid_scan.py).
    """
    return _scan_fast(xml) or _scan_linear(xml)


# The fast scan: searches anchored on literals, run in C, and no Python step per cell.  It reads sheets
# written as spreadsheet programs write them: each cell's start tag begins `<c r="B7"`, inside sheetData,
# without a namespace prefix.
_PREFIXED_CELL = re.compile(rb':c[\s/>]')
_PREFIXED_CELL_OR_FORMULA = re.compile(rb':[cf][\s/>]')  # inside sheetData; an <xm:f> after it is a data validation's
_ANY_CELL = re.compile(rb'<c[\s/>]')
# An address after another attribute (a cell's, or a second one): `"\s+r=` anchored on the rarer "r=", with the
# whitespace run before it one character long after a quote, or longer (a superset, so never less careful).
_SECOND_ADDRESS = re.compile(rb'r=(?<=[\s"]\sr=)')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([1-9]\d{0,6})"')
_FORMULA_CELL = rb'<c r="([A-Z]{1,3})([1-9]\d{0,6})"[^<>]*>\s*<f\b[^<>]*'
# For the few formulas without a saved result, the formula's text.
_FORMULA_TEXT = re.compile(_FORMULA_CELL + rb'(?:(?<=/)>|>([^<]*)</f>)')
_ERROR_CELL = re.compile(
    rb'<(?:\w{1,32}:)?c\s([^<>]*\bt="e"[^<>]*)>\s*(?:<(?:\w{1,32}:)?f\b[^<>]*?(?:/>|>[^<]*</(?:\w{1,32}:)?f>)\s*)?'
    rb'<(?:\w{1,32}:)?v>([^<]*)</(?:\w{1,32}:)?v>')
_MERGE_CELL = re.compile(rb'<(?:\w{1,32}:)?mergeCell\b[^<>]*?\bref="([^"<>]*)"')
_ADDRESS = re.compile(rb'\br="([A-Z]{1,3})([1-9]\d{0,6})"')
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _scan_fast(xml: bytes) -> _Scan | None:
    """The scan of a sheet as spreadsheet programs write it, or None to leave it to the linear scan.

    The used range is checked without a step per cell: the last cell with a value or formula gives the
    last row, the cell limit gives the columns that may be used with that many rows, and one pass over
    the cells (`_cells_to_read`) finds the formula cells and any cell outside that rectangle or not
    plainly written.  In a sheet written in order there is none of the latter; where there is one (a
    stray cell, a formatted empty cell far below), the linear scan finds the real range, and the cell to
    name if the sheet is refused.
    """
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    if start < 0 or end < 0 or not _plainly_written(xml, start, end):
        return None
    last_row = _last_content_row(xml, end)
    if last_row is None or last_row > MAX_ROWS:
        return None
    cols = min(MAX_COLS, MAX_CELLS // last_row) if last_row else 0
    if not last_row:  # no content: any cell at all is for the linear scan to place
        if xml.find(b"<c", start, end) != -1:
            return None
        found = ((), (), ())
    else:
        found = _formula_cells_found(xml, start, end, last_row, cols)
        if found is None:
            return None
    scan = _Scan(last_row, cols, {}, set(), {})
    _formula_cells(scan, *found)
    if scan.uncached:  # formulas without a saved result are rare (a file a library wrote): read their text
        for letters, digits, text in _FORMULA_TEXT.findall(xml, start, end):
            cell = (int(digits), column_number(letters.decode()))
            if cell in scan.uncached:
                scan.formulas[cell] = _formula_text(text)
    at = xml.find(b't="e"')
    while at != -1:  # error cells are rare: look only where one is
        m = _ERROR_CELL.match(xml, xml.rfind(b"<", 0, at))
        if m:
            rc = _address(m.group(1))
            if rc is None:
                return None
            scan.errors[rc] = CellError(m.group(2).decode("utf-8", "replace"))
        at = xml.find(b't="e"', at + 5)
    scan.merged = [ref.decode("ascii", "replace") for ref in _MERGE_CELL.findall(xml, end)]
    return scan


def _plainly_written(xml: bytes, start: int, end: int) -> bool:
    """No cell outside sheetData (start, end), none with a namespace prefix, no address after another
    attribute.  That every cell starts `<c r="` is checked by `_cells_to_read`."""
    return (xml[:2] not in (b"\xff\xfe", b"\xfe\xff")
            and not _SECOND_ADDRESS.search(xml, start, end)
            and not _ANY_CELL.search(xml, 0, start) and not _ANY_CELL.search(xml, end)
            and not _PREFIXED_CELL.search(xml, 0, start) and not _PREFIXED_CELL.search(xml, end)
            and not _PREFIXED_CELL_OR_FORMULA.search(xml, start, end))


def _last_content_row(xml: bytes, end: int) -> int | None:
    """The row of the last cell with a value or formula (0 if none; None if its tag is not as expected)."""
    at = xml.rfind(b"</v>", 0, end)
    for mark in (b"<f", b"<is"):  # only a later one matters: search after the last found, not the whole sheet
        at = max(at, xml.rfind(mark, max(at, 0), end))
    if at < 0:
        return 0
    m = _CELL_ROW.match(xml, xml.rfind(b"<c ", 0, at))
    return int(m.group(1)) if m else None


# A formula cell, read backwards from its formula: in the sheet reversed, `<c r="B7" s="1"><f` reads
# `f<>"1"=s "7B"=r c<`.  Anchored on the formula, the search steps only where a formula is, not at every cell
# (a large budget has hundreds of thousands of cells, a tenth of them formulas).
_FORMULA_CELL_REVERSED = re.compile(rb'f<\s*>[^<>]*"(\d{0,6}[1-9])([A-Z]{1,3})"=r c<')
_CACHED_FORMULA = re.compile(rb'<f\b[^<>]*(?:(?<=/)>|>[^<]*</f>)\s*<v>(?!</)')  # as in `_cells_to_read`, result saved


_Columns = tuple[Sequence[bytes], Sequence[int], Sequence[bytes]]  # formula cells' letters, rows, saved results


def _formula_cells_found(xml: bytes, start: int, end: int, rows: int, cols: int) -> _Columns | None:
    """The formula cells of sheetData (start, end) as `_cells_to_read` finds them, as three columns (letters, row,
    "<v>" where the result is saved), or None if there is a cell the fast scan cannot read (one not starting
    `<c r="`, or with content outside A1:(rows, cols)).

    Three passes that each step only where they must, in place of one that tries a pattern at every cell: the
    cells outside the rectangle, the formula cells found backwards from their formulas, the formulas with a
    saved result.  Where every formula ("<f") is a formula cell's first element with its result saved, as
    spreadsheet programs write them, those are the formula cells; otherwise (a formula without its result, or
    one written otherwise) the one pass of `_cells_to_read` tells them apart.
    """
    if xml.count(b"<c", start, end) != xml.count(b'<c r="', start, end) or \
            _cells_outside(rows, cols).search(xml, start, end):
        return None
    found = _FORMULA_CELL_REVERSED.findall(xml[start:end][::-1])
    if len(found) == xml.count(b"<f", start, end) == len(_CACHED_FORMULA.findall(xml, start, end)):
        if not found:
            return (), (), ()
        digits, letters = zip(*found, strict=True)  # the last formula first, each address spelled backwards
        row_of = {spelled: int(spelled[::-1]) for spelled in set(digits)}
        name_of = {spelled: spelled[::-1] for spelled in set(letters)}
        return ([*map(name_of.__getitem__, reversed(letters))], [*map(row_of.__getitem__, reversed(digits))],
                (b"<v>",) * len(found))
    found = _cells_to_read(rows, cols).findall(xml, start, end)
    if not found:
        return (), (), ()
    letters, numbers, results = zip(*found, strict=True)
    return (letters, [*map(int, numbers)], results) if all(letters) else None  # no letters: a cell to read slowly


def _inside(rows: int, cols: int) -> bytes:
    """A pattern for the addresses within A1:(rows, cols).  Letters shorter than the limit are tried first (most
    columns are A to Z), row numbers as long as it first (most rows of a large sheet)."""
    letters = _up_to(rc_to_address(1, cols)[:-1], _LETTERS, shorter_first=True)
    return (letters + _up_to(str(rows), "0123456789")).encode()


def _outside(rows: int, cols: int) -> bytes:
    """After `<c r="`: an address outside A1:(rows, cols), of a cell that may have content.  A formatted empty
    cell (`<c r="A5" s="3"/>`, attributes plainly written) has none wherever it is: templates and spreadsheet
    programs write rows of them below a table's last entry."""
    return rb'(?!(?:' + _inside(rows, cols) + rb')")[^"<>]*"(?!' + _PLAIN_SELF_CLOSING.pattern + rb'>)'


@functools.lru_cache(maxsize=64)
def _cells_outside(rows: int, cols: int) -> re.Pattern:
    return re.compile(rb'<c r="' + _outside(rows, cols))


@functools.lru_cache(maxsize=64)
def _cells_to_read(rows: int, cols: int) -> re.Pattern:
    """One pattern for every cell start tag (`<c`) the fast scan must look at, for one pass over the cells.

    It matches, with no group set, a cell whose start tag does not begin `<c r="`, and a cell with possible
    content whose address lies outside A1:(rows, cols); and, with its column letters, row and "<v>" (where
    the formula has a saved result) as groups, a formula cell.  Other cells do not match.
    """
    formula = (rb'([A-Z]{1,3})([1-9]\d{0,6})"[^<>]*>\s*<f\b[^<>]*(?:(?<=/)>|>[^<]*</f>)\s*(<v>(?!</))?')
    return re.compile(rb'<c(?:(?! r=")| r="(?:' + _outside(rows, cols) + rb'|' + formula + rb'))')


def _formula_cells(scan: _Scan, letters: Sequence[bytes], rows: Sequence[int], results: Sequence[bytes]) -> None:
    """Record the formula cells (their column letters, rows, and whether each has a saved result) without a
    Python step for each: a large budget has tens of thousands."""
    column_of = {name: column_number(name.decode()) for name in set(letters)}
    cells = list(zip(rows, map(column_of.__getitem__, letters), strict=True))
    scan.formulas = dict.fromkeys(cells, "")  # from a list, so the dict is sized once
    if not all(results):  # rare: a formula without a saved result
        scan.uncached = set(itertools.compress(cells, map(operator.not_, results)))


def _up_to(limit: str, symbols: str, shorter_first: bool = False) -> str:
    """A pattern for the numerals from 1 up to `limit`, written in `symbols` (in order, "0" for none).

    Row numbers are decimal numerals without a leading zero; column letters are numerals in A-Z with no
    zero, where at equal length the alphabetical order is the numeric one too.  The numerals shorter than
    the limit are tried last, or first if `shorter_first`: the order changes only how soon a match is found.
    """
    first = symbols[1:] if symbols[0] == "0" else symbols
    any_ = f"[{symbols[0]}-{symbols[-1]}]"
    options = []  # the numerals as long as `limit`
    for i, symbol in enumerate(limit):
        start = first[0] if i == 0 else symbols[0]
        if symbol > start:
            below = f"[{start}-{chr(ord(symbol) - 1)}]"
            options.append(f"{re.escape(limit[:i])}{below}{any_}{{{len(limit) - i - 1}}}")
    options.append(re.escape(limit))
    if len(limit) > 1:
        shorter = f"[{first[0]}-{first[-1]}]{any_}{{0,{len(limit) - 2}}}"
        options = [shorter, *options] if shorter_first else [*options, shorter]
    return "(?:" + "|".join(options) + ")"


def _formula_text(raw: bytes | None) -> str:
    text = raw.decode("utf-8", "replace") if raw else ""
    return html.unescape(text) if "&" in text else text


def _address(attrs: bytes) -> tuple[int, int] | None:
    m = _ADDRESS.search(attrs)
    return (int(m.group(2)), column_number(m.group(1).decode())) if m else None


def _scan_linear(xml: bytes) -> _Scan:
    """The cell-by-cell scan: used range, formula cells, error cells and merged ranges.

    Cells may omit their address (the format allows it: the cell follows the previous one), so the
    position is tracked as the file is read rather than taken from the `r` attributes alone.  The
    scan stops at the first cell with content beyond the limits: that cell is what the message names.
    """
    scan = _Scan(0, 0, {}, set(), {})
    if xml[:2] in (b"\xff\xfe", b"\xfe\xff") or xml[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        scan.problem = "is saved in UTF-16, which mifkit does not read; open the file in Excel and save it again"
        return scan
    row = col = 0
    pending = None  # (end of a cell's start tag, row, col, attributes) whose body is not read yet
    for tag in _TAG.finditer(xml):
        if pending:
            _read_cell_body(scan, xml, *pending, tag.start())
            pending = None
            if scan.problem:
                return scan
        kind, attrs = tag.group(1), tag.group(2)
        if kind == b"c":
            row, col = _cell_position(scan, attrs, row, col)
            if scan.problem:
                return scan
            if not _PLAIN_SELF_CLOSING.fullmatch(attrs):
                pending = (tag.end(), row, col, attrs)
        elif kind == b"row":
            row, col = _row_position(scan, attrs, row), 0
            if scan.problem:
                return scan
        else:
            ref = _ATTR_REF.search(attrs)
            if ref:
                scan.merged.append(ref.group(1).decode("ascii", "replace"))
    if pending:
        end = _CELL_END.search(xml, pending[0])
        _read_cell_body(scan, xml, *pending, end.start() if end else len(xml))
    if not scan.problem and scan.max_row * scan.max_col > MAX_CELLS:
        scan.cell = rc_to_address(*scan.far_row) if scan.far_row[0] == scan.max_row else rc_to_address(*scan.far_col)
        scan.problem = (f"uses the range A1:{rc_to_address(scan.max_row, scan.max_col)} "
                        f"({scan.max_row * scan.max_col:,} cells) because of the cell at {scan.cell}, far from the "
                        f"table; mifkit reads sheets of at most {MAX_CELLS:,} cells. Delete the stray cells far from "
                        "the table and save again")
    if not scan.problem and scan.max_row == 0 and b"<sheetData" not in xml and b":sheetData" not in xml:
        scan.problem = "is damaged (its XML has no sheetData element); open the file in Excel and save it again"
    return scan


def _row_position(scan: _Scan, attrs: bytes, previous: int) -> int:
    r = _ATTR_R.search(attrs)
    if r is None:
        return previous + 1
    number = r.group(1) if r.group(1) is not None else r.group(2)
    if number.isdigit() and len(number) <= 9 and int(number) > 0:
        return int(number)  # a row beyond the limits is fine while it holds no content
    scan.problem = f"is damaged (a row numbered {number.decode('ascii', 'replace')[:20]!r})"
    return previous


def _cell_position(scan: _Scan, attrs: bytes, row: int, col: int) -> tuple[int, int]:
    r = _ATTR_R.search(attrs)
    if r is None:
        return max(row, 1), col + 1
    address = (r.group(1) if r.group(1) is not None else r.group(2)).decode("ascii", "replace")
    ref = _CELL_REF.fullmatch(address.upper())
    if ref is None:
        scan.problem = f"is damaged (a cell with the address {address[:20]!r})"
        return row, col
    return int(ref.group(2)), column_number(ref.group(1))


def _has_content(scan: _Scan, row: int, col: int) -> None:
    """A cell with content at (row, col): it stretches the used range, or is refused beyond the limits."""
    if _beyond(row, col):
        scan.cell = rc_to_address(row, col)
        scan.problem = (f"has a cell at {scan.cell}, far outside the table; {_limits()}. Delete the stray cells "
                        "far from the table and save again")
    if row > scan.far_row[0]:
        scan.far_row = (row, col)
    if col > scan.far_col[1]:
        scan.far_col = (row, col)
    scan.max_row, scan.max_col = max(scan.max_row, row), max(scan.max_col, col)


def _read_cell_body(scan: _Scan, xml: bytes, start: int, row: int, col: int, attrs: bytes, limit: int) -> None:
    """The formula, saved result and error value of one cell, read between its start tag and `limit`."""
    end = _CELL_END.search(xml, start, limit)
    body = xml[start:end.start() if end else limit]
    if not body.strip():
        return
    _has_content(scan, row, col)
    value = _VALUE.search(body)
    formula = _FORMULA.search(body)
    if formula:
        scan.formulas[(row, col)] = ""
        if value is None or value.group(1) == b"":
            scan.uncached.add((row, col))
            scan.formulas[(row, col)] = _formula_text(formula.group(2))
    if value and _ATTR_T_ERROR.search(attrs):
        scan.errors[(row, col)] = CellError(value.group(1).decode("utf-8", "replace"))


def read_grids(path: str | Path, sheets: Iterable[str]) -> dict[str, Grid]:
    """Read the named sheets of an .xlsx file into grids (missing sheets are left out)."""
    import python_calamine

    book = XlsxFile(path)
    try:
        wanted = [s for s in sheets if s in book.sheet_parts]
        scans = {}
        for name in wanted:
            scans[name] = scan = scan_sheet(book.sheet_xml(name))
            if scan.problem:
                raise WorkbookError(f"{path}: sheet {name!r} {scan.problem}", sheet=name, cell=scan.cell)
        book.check_shared_parts()
    finally:
        book.close()
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
        except BaseException as exc:  # a panic inside calamine (e.g. a duration out of range) is no Exception
            if type(exc).__name__ != "PanicException":
                raise
            raise WorkbookError(f"{path}: sheet {name!r} cannot be read ({exc})", sheet=name) from None
        values = _normalize_rows(rows)
        for (r, c), err in scan.errors.items():
            _put(values, r, c, err)
        grids[name] = Grid(name, values, scan.formulas, merged=scan.merged)
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
    except RecursionError:  # a formula nested thousands deep, or a chain of thousands of cells
        raise WorkbookError(f"{path}: formulas without saved results nested or chained too deeply for mifkit to "
                            "compute; open the file in Excel or LibreOffice and save it") from None
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
