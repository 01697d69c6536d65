"""Hostile files a finance officer may be sent, built by code from the example workbook, and what
mifkit must answer for each: the exit code and a pattern the one-line message must match.

Every file is made here, at test time, from the example budget (TC-03-02-01-0 typed as printed),
then damaged at the level the damage happens in life: bytes cut or flipped (a broken download), a
zip part replaced (another program's writer, a forged file), or an edit in a spreadsheet library
(a moved column, a merged range).  `python -m hostile.corpus OUTDIR` (from tests/) writes them all,
to open them by hand.

Expectations per command: `lines` and `validate`; `periods` and `compile` refuse what `lines`
refuses.  A file that cannot be used exits 2 with a message naming the file and, where it applies,
the sheet and cell; a usable file with problems in its figures exits 1 and names each cell; a file
mifkit reads as it should exits 0.
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from workbook_templates import layout
from workbook_templates.build import TYPED, write_budget
from workbook_templates.spec import example_spec

EXAMPLE = "tc-03-02-01-0"
BUDGET_PART = "xl/worksheets/sheet2.xml"    # the example's parts, as XlsxWriter names them
STRINGS_PART = "xl/sharedStrings.xml"
STYLES_PART = "xl/styles.xml"
BOOK_PART = "xl/workbook.xml"
TYPES_PART = "[Content_Types].xml"
BOMB_BYTES = 64 * 1024 * 1024  # padding that compresses about a thousand to one

BILLION_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
                             for i in range(1, 10))
                  + b"]>")
EXTERNAL_ENTITY = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


@dataclass(frozen=True)
class Expect:
    exit: int
    message: str  # a regex searched in what the command prints (stderr, and stdout for validate)


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, Path], None]  # (the example workbook, the file to write)
    lines: Expect
    validate: Expect | None = None       # None: the same as `lines` when that is exit 2
    suffix: str = ".xlsx"
    bomb: bool = False                   # run under a memory cap too
    same_lines: bool = False             # must print exactly what the example gets (lines and findings)
    tags: tuple[str, ...] = field(default_factory=tuple)
    known_bug: str = ""                  # `validate` crashes on it today: the test expects the failure (strict)

    def expect(self, command: str) -> Expect | None:
        """`lines` and `validate` as given; every other command that reads the budget (periods, compile)
        must refuse an unusable file with the same message."""
        if command == "lines":
            return self.lines
        if command == "validate" and self.validate is not None:
            return self.validate
        return self.lines if self.lines.exit == 2 else None


# ------------------------------------------------------------------------------------------------
# Damage at the level of bytes, zip parts and spreadsheet edits
# ------------------------------------------------------------------------------------------------

def example_workbook(path: Path) -> Path:
    write_budget(example_spec(EXAMPLE), path, TYPED)
    return path


def rewrite_zip(source: Path, target: Path, changes: dict[str, object] | None = None,
                drop: tuple[str, ...] = (), add: dict[str, bytes] | None = None) -> None:
    """Copy a workbook part by part; `changes` maps a part to new bytes or a function of the old."""
    changes = changes or {}
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info.filename)
            change = changes.get(info.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)


def part(name: str, change: Callable[[bytes], bytes]) -> Callable[[Path, Path], None]:
    return lambda source, target: rewrite_zip(source, target, {name: change})


def edit(change: Callable[[openpyxl.Workbook], None]) -> Callable[[Path, Path], None]:
    """An edit made with openpyxl, as another program (or a person in Excel) would make it."""
    def build(source: Path, target: Path) -> None:
        book = openpyxl.load_workbook(source)
        change(book)
        book.save(target)
    return build


def raw(data: bytes) -> Callable[[Path, Path], None]:
    return lambda source, target: target.write_bytes(data)


def cut(keep: Callable[[int], int]) -> Callable[[Path, Path], None]:
    def build(source: Path, target: Path) -> None:
        data = source.read_bytes()
        target.write_bytes(data[:keep(len(data))])
    return build


def with_doctype(doctype: bytes, use: bytes, anchor: bytes) -> Callable[[bytes], bytes]:
    """Put a DTD after the XML declaration and an entity reference in place of `anchor`."""
    def change(data: bytes) -> bytes:
        declaration, rest = data.split(b"?>", 1)
        assert anchor in rest, anchor
        return declaration + b"?>" + doctype + rest.replace(anchor, use, 1)
    return change


def in_budget_sheet(row_xml: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</sheetData>", row_xml + b"</sheetData>", 1)


def padded(data: bytes, before: bytes = b"</sheetData>") -> bytes:
    """A part with 64 MB of spaces inside it: valid XML that unpacks a thousand times larger."""
    return data.replace(before, b" " * BOMB_BYTES + before, 1)


def flip_bytes_inside(part_name: str) -> Callable[[Path, Path], None]:
    """Zero 64 bytes in the middle of one part's compressed data: a broken download or disk."""
    def build(source: Path, target: Path) -> None:
        data = bytearray(source.read_bytes())
        with zipfile.ZipFile(source) as z:
            info = z.getinfo(part_name)
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
        start = info.header_offset + 30 + name_len + extra_len
        middle = start + info.compress_size // 2
        data[middle: middle + 64] = bytes(64)
        target.write_bytes(bytes(data))
    return build


def zip_password_flag(part_name: str) -> Callable[[Path, Path], None]:
    """Mark one part as encrypted with a zip password (which Excel never does)."""
    def build(source: Path, target: Path) -> None:
        data = bytearray(source.read_bytes())
        with zipfile.ZipFile(source) as z:
            info = z.getinfo(part_name)
        data[info.header_offset + 6] |= 0x01
        central = data.rfind(b"PK\x01\x02" + bytes(data[info.header_offset + 4: info.header_offset + 6]), 0)
        for m in re.finditer(rb"PK\x01\x02", bytes(data)):
            offset = struct.unpack("<I", data[m.start() + 42: m.start() + 46])[0]
            if offset == info.header_offset:
                central = m.start()
        data[central + 8] |= 0x01
        target.write_bytes(bytes(data))
    return build


def duplicate_part(part_name: str, first: bytes) -> Callable[[Path, Path], None]:
    """Two parts of the same name: the first with a cell at XFD1048576, the second harmless."""
    def build(source: Path, target: Path) -> None:
        import warnings

        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout, \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name, which is the point
            for info in zin.infolist():
                data = zin.read(info.filename)
                if info.filename == part_name:
                    zout.writestr(info.filename, in_budget_sheet(first)(data))
                zout.writestr(info.filename, data)
    return build


def many_parts(count: int) -> Callable[[Path, Path], None]:
    """The workbook with `count` empty parts added: small on disk, costly to list."""
    def build(source: Path, target: Path) -> None:
        rewrite_zip(source, target, add={f"customXml/item{i}.bin": b"" for i in range(count)})
    return build


def password_protected(source: Path, target: Path) -> None:
    """A real encrypted workbook, as Excel's "Encrypt with Password" writes it."""
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    with source.open("rb") as plain:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secreto", out)
    target.write_bytes(out.getvalue())


def old_xls(source: Path, target: Path) -> None:
    """A real Excel 97-2003 workbook with the right sheet names."""
    import xlwt

    book = xlwt.Workbook()
    for name in layout.REQUIRED_SHEETS:
        book.add_sheet(name).write(0, 0, name)
    book.save(str(target))


def word_document(source: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w") as z:
        z.writestr(TYPES_PART, b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                               b'package/2006/content-types"/>')
        z.writestr("word/document.xml", b"<w:document/>")


def macro_enabled(main_type: bytes) -> Callable[[Path, Path], None]:
    """The workbook with a macro project and the main content type of an .xlsm or .xlam."""
    def build(source: Path, target: Path) -> None:
        def types(data: bytes) -> bytes:
            data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                main_type)
            return data.replace(b"</Types>", b'<Default Extension="bin" '
                                b'ContentType="application/vnd.ms-office.vbaProject"/></Types>')

        def rels(data: bytes) -> bytes:
            return data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft.'
                                b'com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                b"</Relationships>")
        rewrite_zip(source, target, {TYPES_PART: types, "xl/_rels/workbook.xml.rels": rels},
                    add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)})
    return build


def unclosed_cells(count: int) -> bytes:
    """Cell start tags that never close, each different so the part does not look like a zip bomb:
    the input that makes a careless pattern backtrack for ever."""
    return b"".join(b'<c r="A%d"<f>SUM(' % i for i in range(1, count + 1))


def strip_cell_addresses(data: bytes) -> bytes:
    return re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", data)


def scripted_formulas(source: Path, target: Path) -> None:
    """The formula template filled by a script: formulas, no saved results."""
    from workbook_templates.build import FORMULAS

    write_budget(example_spec(EXAMPLE), target.with_suffix(".tmp.xlsx"), FORMULAS)
    openpyxl.load_workbook(target.with_suffix(".tmp.xlsx")).save(target)
    target.with_suffix(".tmp.xlsx").unlink()


def budget_cells(**cells: object) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        for address, value in cells.items():
            book[layout.BUDGET_SHEET][address] = value
    return change


def _protect(book: openpyxl.Workbook) -> None:
    sheet = book[layout.BUDGET_SHEET]
    sheet.protection.sheet = True
    sheet.protection.password = "clave"


# ------------------------------------------------------------------------------------------------
# The cases
# ------------------------------------------------------------------------------------------------

F = r"\S*{name}\S*: "  # the message starts with the file's path
UNUSABLE = 2


# Nothing on standard error, but the note that formulas without saved results were computed (a file saved
# by openpyxl, as most of these cases are, keeps the formulas of the template and drops their results).
CLEAN = r"^(mifkit: note: .*computed them from their formulas\n)?$"


def refused(pattern: str) -> Expect:
    return Expect(UNUSABLE, pattern)


CASES: tuple[Case, ...] = (
    # Not a workbook at all
    Case("empty", raw(b""), refused(F + "the file is empty")),
    Case("csv_renamed", raw(b"Ref.,Item,Unit\n1,Training,course\n"), refused(F + "not an Excel workbook")),
    Case("pdf_renamed", raw(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
         refused(F + "not an Excel workbook")),
    Case("word_document", word_document, refused(F + r"not an Excel workbook \(no xl/workbook.xml inside\)")),
    Case("folder", lambda s, t: t.mkdir(), refused(F + "is a folder, not a workbook")),
    # Broken in transit
    Case("truncated_half", cut(lambda n: n // 2), refused(F + "the file is truncated or damaged")),
    Case("truncated_end", cut(lambda n: n - 10), refused(F + "the file is truncated or damaged")),
    Case("damaged_part", flip_bytes_inside(BUDGET_PART),
         refused(F + r"the file is damaged \(xl/worksheets/sheet2.xml cannot be unpacked")),
    Case("zip_password", zip_password_flag(BUDGET_PART), refused(F + r"its parts are encrypted")),
    # Other Office formats
    Case("password_protected", password_protected, refused(F + "the workbook is password-protected")),
    Case("old_xls", old_xls, refused(F + r"the workbook is in the old Excel 97-2003 format \(\.xls\)"), suffix=".xls"),
    Case("ole_unknown", raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
         refused(F + r"password-protected or in the old \.xls format")),
    Case("xlam_addin", macro_enabled(b"application/vnd.ms-excel.addin.macroEnabled.main+xml"),
         refused(F + r"an Excel add-in \(\.xlam\), not a workbook"), suffix=".xlam"),
    Case("xlsm_with_macros", macro_enabled(b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
         Expect(0, CLEAN), Expect(1, r"."), suffix=".xlsm", same_lines=True),
    # Parts missing
    Case("duplicate_part", duplicate_part(BUDGET_PART, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
         refused(F + r"the file holds two parts named xl/worksheets/sheet2.xml"), bomb=True),
    Case("many_parts", many_parts(20_000), refused(F + r"the file holds 20,01\d parts; a workbook holds a few dozen"),
         bomb=True),
    Case("no_workbook_part", lambda s, t: rewrite_zip(s, t, drop=(BOOK_PART,)),
         refused(F + r"not an Excel workbook \(no xl/workbook.xml inside\)")),
    Case("no_budget_part", lambda s, t: rewrite_zip(s, t, drop=(BUDGET_PART,)),
         refused(F + r"sheet 'Budget' is listed but its contents are missing")),
    Case("no_summary_sheet", edit(lambda b: b.remove(b[layout.SUMMARY_SHEET])),
         refused(F + r"no sheet named 'Summary'")),
    Case("sheet_translated", edit(lambda b: setattr(b[layout.BUDGET_SHEET], "title", "Presupuesto")),
         refused(F + r"no sheet named 'Budget'")),
    # Structure edited
    Case("header_renamed", edit(budget_cells(E5="Cantidad")),
         refused(F + r"Budget!E5 should be the column header 'Qty\.' .* finds 'Cantidad'")),
    Case("column_deleted", edit(lambda b: b[layout.BUDGET_SHEET].delete_cols(5)),
         refused(F + r"Budget!E5 should be the column header 'Qty\.'")),
    Case("headers_moved_down", edit(lambda b: b[layout.BUDGET_SHEET].insert_rows(1)),
         refused(F + r"Budget!\w+[45] should (be the column header|read)")),
    Case("project_label_renamed", edit(lambda b: b[layout.PROJECT_SHEET].cell(12, 1, "Años")),
         refused(F + r"sheet 'Project' has no row labelled 'Number of budget years'")),
    Case("years_not_a_number", edit(lambda b: b[layout.PROJECT_SHEET].cell(12, 2, "tres")),
         refused(F + r"Project!B12: the number of budget years must be a whole number")),
    Case("total_row_renamed", edit(budget_cells(B88="Gran total")),
         refused(F + r"sheet 'Budget' has no row labelled 'TOTAL'")),
    Case("merged_in_table", edit(lambda b: b[layout.BUDGET_SHEET].merge_cells("B10:D10")),
         refused(F + r"Budget!B10:D10: merged cells inside the table")),
    Case("merged_summary", edit(lambda b: b[layout.SUMMARY_SHEET].merge_cells("B6:C6")),
         refused(F + r"Summary!B6:C6: merged cells inside the table")),
    Case("merged_title_is_fine", edit(lambda b: b[layout.BUDGET_SHEET].merge_cells("A1:T1")),
         Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    Case("sheet_protected_is_fine", edit(_protect), Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    # Used range
    # A declared range and formatted empty rows and cells reach the last row when a program formats
    # them (LibreOffice writes both after a row is deleted); only content there is refused.
    Case("declared_range_xfd", part(BUDGET_PART, lambda d: d.replace(b'<dimension ref="A1:T88"/>',
                                                                     b'<dimension ref="A1:XFD1048576"/>')),
         Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    Case("cell_at_xfd", part(BUDGET_PART, in_budget_sheet(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
         refused(F + r"sheet 'Budget' has a cell at XFD1048576, far outside the table"), bomb=True),
    Case("cell_far_right", part(BUDGET_PART, in_budget_sheet(b'<row r="90"><c r="ZZ90"><v>1</v></c></row>')),
         refused(F + r"sheet 'Budget' has a cell at ZZ90")),
    Case("cell_stretching_range", part(BUDGET_PART, in_budget_sheet(b'<row r="250000"><c r="IV250000"><v>1</v></c>'
                                                                     b"</row>")),
         refused(F + r"sheet 'Budget' uses the range A1:IV250000 \(64,000,000 cells\) because of the cell at "
                 r"IV250000"), bomb=True),
    Case("row_at_bottom", part(BUDGET_PART, in_budget_sheet(b'<row r="1048576"/>')),
         Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    Case("formatted_empty_cells_at_bottom", part(BUDGET_PART, in_budget_sheet(
        b'<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/><c r="T1048576" s="1"></c>'
        b'<c r="XFD1048576" s="1"/></row>')), Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    Case("empty_value_at_xfd", part(BUDGET_PART, in_budget_sheet(b'<row r="1048576"><c r="XFD1048576" t="str">'
                                                                 b'<v></v></c></row>')),
         refused(F + r"sheet 'Budget' has a cell at XFD1048576, far outside the table"), bomb=True),
    Case("bad_cell_address", part(BUDGET_PART, in_budget_sheet(b'<row r="90"><c r="A99999999999"><v>1</v></c>'
                                                                b"</row>")),
         refused(F + r"sheet 'Budget' is damaged \(a cell with the address 'A99999999999'\)")),
    Case("cells_without_addresses", part(BUDGET_PART, strip_cell_addresses), Expect(0, CLEAN), Expect(1, r"."),
         same_lines=True),
    Case("utf16_sheet", part(BUDGET_PART, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="UTF-16"')
                             .decode("utf-8").encode("utf-16")),
         refused(F + r"sheet 'Budget' is saved in UTF-16")),
    Case("workbook_unknown_encoding", part(BOOK_PART, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="UTF-0"')),
         refused(F + r"xl/workbook.xml is damaged \(unknown encoding: UTF-0\)")),
    Case("sheet_unknown_encoding", part(BUDGET_PART, lambda d: d.replace(b'encoding="UTF-8"', b'encoding="UTF-0"')),
         Expect(0, CLEAN), Expect(1, r"."), same_lines=True),
    Case("sheet_xml_broken", part(BUDGET_PART, lambda d: d[: len(d) // 2]),
         refused(F + r"sheet 'Budget' cannot be read")),
    Case("sheet_xml_unclosed_tags", part(BUDGET_PART, lambda d: d.replace(b"</sheetData>",
                                                                          unclosed_cells(200_000) + b"</sheetData>")),
         refused(F + r"sheet 'Budget' cannot be read")),
    Case("formula_nested_deep", part(BUDGET_PART, lambda d: re.sub(
        rb'<c r="D8"([^>]*)>.*?</c>', b'<c r="D8"\\1><f>' + b"(" * 50_000 + b"1" + b")" * 50_000 + b"</f></c>", d,
        count=1)), refused(F + r"formulas without saved results nested or chained too deeply")),
    Case("formula_chain_long", part(BUDGET_PART, in_budget_sheet(b"".join(
        b'<row r="%d"><c r="A%d"><f>A%d+1</f></c></row>' % (r, r, r + 1) for r in range(100, 20_100)))),
        refused(F + r"formulas without saved results nested or chained too deeply")),
    # XML bombs and external entities
    Case("billion_laughs_sheet", part(BUDGET_PART, with_doctype(BILLION_LAUGHS, b"&lol9;", b"</sheetData>")),
         refused(F + r"sheet 'Budget' \(xl/worksheets/sheet2.xml\) contains a DTD"), bomb=True),
    Case("external_entity_sheet", part(BUDGET_PART, with_doctype(EXTERNAL_ENTITY, b"&xxe;", b"</sheetData>")),
         refused(F + r"sheet 'Budget' \(xl/worksheets/sheet2.xml\) contains a DTD")),
    Case("billion_laughs_strings", part(STRINGS_PART, with_doctype(BILLION_LAUGHS, b"&lol9;", b"<t>Project</t>")),
         refused(F + r"xl/sharedStrings.xml contains a DTD"), bomb=True),
    Case("external_entity_strings", part(STRINGS_PART, with_doctype(EXTERNAL_ENTITY, b"<t>&xxe;</t>",
                                                                    b"<t>Project</t>")),
         refused(F + r"xl/sharedStrings.xml contains a DTD")),
    Case("billion_laughs_workbook", part(BOOK_PART, with_doctype(BILLION_LAUGHS, b'name="&lol9;"',
                                                                 b'name="Project"')),
         refused(F + r"xl/workbook.xml contains XML entities or a DTD"), bomb=True),
    Case("external_entity_styles", part(STYLES_PART, with_doctype(EXTERNAL_ENTITY, b"<numFmts", b"<numFmts")),
         refused(F + r"xl/styles.xml contains a DTD")),
    Case("forged_string_count", part(STRINGS_PART, lambda d: re.sub(rb'uniqueCount="\d+"',
                                                                    b'uniqueCount="4000000000"', d)),
         refused(F + r"xl/sharedStrings.xml declares 4,000,000,000 texts"), bomb=True),
    Case("zip_bomb_sheet", part(BUDGET_PART, padded), refused(F + r"xl/worksheets/sheet2.xml unpacks to .* zip bomb"),
         bomb=True),
    Case("zip_bomb_strings", part(STRINGS_PART, lambda d: padded(d, b"</sst>")),
         refused(F + r"xl/sharedStrings.xml unpacks to .* zip bomb"), bomb=True),
    Case("zip_bomb_styles", part(STYLES_PART, lambda d: padded(d, b"</styleSheet>")),
         refused(F + r"xl/styles.xml unpacks to .* zip bomb"), bomb=True),
    # Problems in the figures: the file is usable, each cell is named
    Case("formula_errors", edit(budget_cells(E8="#REF!", N9="#DIV/0!")),
         Expect(1, r"Budget!E8 holds #REF!.*\n.*Budget!N9 holds #DIV/0!"),
         Expect(1, r"(?s)Budget!E8 +error +DA01 .*holds the error #REF!.*Budget!N9 +error +DA01 .*#DIV/0!")),
    Case("numbers_as_text", edit(budget_cells(E8="1,200.00", D9="S/ 1 200", N10="1.200,00")),
         Expect(1, r"Budget!E8 holds '1,200.00', not a number \(1200 if typed as a number\).*\n"
                  r".*Budget!D9 holds 'S/ 1 200'.*\n.*Budget!N10 holds '1.200,00'"),
         Expect(1, r"(?s)Budget!E8 +error +DA01 .*'1,200\.00'.*looks like 1,200 .*Budget!D9 +error +DA01 .*"
                   r"'S/ 1 200'.*Budget!N10 +error +DA01 .*'1\.200,00'.*looks like 1,200 ")),
    Case("blank_row_in_component", edit(lambda b: b[layout.BUDGET_SHEET].insert_rows(10)), Expect(0, CLEAN),
         Expect(1, r"Budget!A10 +warning +DA09 +Budget row 10 is empty, inside component 1")),
    Case("text_in_contingencies_year", edit(budget_cells(D85="n/a")),
         Expect(1, r"Budget!D85 holds 'n/a', not a number"), Expect(1, r"Budget!D85 +error +DA01")),
    Case("huge_unit_cost", edit(budget_cells(D8=1e308)), Expect(0, CLEAN), Expect(1, r"Budget!\w+8 +error")),
    Case("formulas_without_results", scripted_formulas, Expect(0, r"note: .*formula cells had no saved result"),
         Expect(1, r"note: .*formula cells had no saved result")),
)

CASE_BY_NAME = {case.name: case for case in CASES}


def build_case(case: Case, example: Path, folder: Path) -> Path:
    target = folder / f"{case.name}{case.suffix}"
    case.build(example, target)
    return target


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    example = example_workbook(out / "example.xlsx")
    for case in CASES:
        print(build_case(case, example, out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
