"""An annotated copy of a workbook: each flagged cell coloured by severity with the finding in its
comment, and a Findings sheet whose rows link to their cells.

The officer's workbook carries more than any library models (rich text, text boxes, charts with
their formatting, comment boxes she sized, saved formula results, macros), so the copy is not made by
loading and re-saving the workbook: it is her file's package (the zip of XML parts) with only these
parts edited, each at the level of its XML:

- `xl/styles.xml`: fills, fonts and cell formats are appended; none of hers is changed or moved, so
  every style index her cells use keeps its meaning;
- each marked sheet: the style index of the marked cells (and, when the sheet had no comments, the
  reference to its comment drawing);
- the marked sheets' comments, their drawing (VML: the note boxes) and relationships: a comment of
  hers keeps its author, formatting and box, with the finding added below her words; a new comment
  is written by "mifkit";
- `xl/workbook.xml`, its relationships and `[Content_Types].xml`: the new Findings sheet and parts.

Every other part is copied byte for byte: saved formula results stay (nothing asks for a
recalculation), as do charts, images, text boxes, names, validation, macros of a .xlsm.  A sheet
named Findings is never replaced: the list goes to the first free name of "Findings",
"Findings (mifkit)", "Findings (mifkit 2)"...  The input is never written: the copy goes through
`atomic_output`.
"""

from __future__ import annotations

import copy
import datetime as dt
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from compiler.findings import ERROR, Finding, Report
from compiler.outputs import atomic_output
from compiler.problems import OutputError, WorkbookError
from workbook_templates.layout import column_letter, column_number

ERROR_FILL = "FFC7CE"    # light red
WARNING_FILL = "FFEB9C"  # light amber
FINDINGS_SHEET = "Findings"
AUTHOR = "mifkit"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_WORKSHEET = f"{DOC_REL}/worksheet"
REL_COMMENTS = f"{DOC_REL}/comments"
REL_VML = f"{DOC_REL}/vmlDrawing"
TYPE_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
TYPE_COMMENTS = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
TYPE_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"

# The children of a worksheet, in the order the file format requires (legacyDrawing must go in its place).
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr", "sheetProtection",
    "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate", "customSheetViews",
    "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks", "printOptions",
    "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
    "oleObjects", "controls", "webPublishItems", "tableParts", "extLst",
)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML cannot hold


def _m(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


@dataclass(frozen=True)
class Annotated:
    """What the copy holds: how many cells were marked, and the name of the sheet listing the findings."""

    marked: int
    findings_sheet: str


# --- the package: parts read once, the changed ones written back, the others copied as they were ----------

class Package:
    """The zip of XML parts of a workbook; parts not set through `put` are written back unchanged."""

    def __init__(self, path: Path):
        try:
            with zipfile.ZipFile(path) as archive:
                self.infos = archive.infolist()
                self.parts = {info.filename: archive.read(info) for info in self.infos}
        except (zipfile.BadZipFile, OSError) as exc:
            raise WorkbookError(f"{path}: cannot be read as an Excel workbook ({exc})") from None
        self.changed: dict[str, bytes] = {}
        self._trees: dict[str, etree._Element] = {}

    def has(self, name: str) -> bool:
        return name in self.parts or name in self.changed

    def xml(self, name: str) -> etree._Element:
        """A part's parsed XML, kept so that later edits accumulate; `save` serialises it once."""
        if name not in self._trees:
            self._trees[name] = etree.fromstring(self.changed.get(name) or self.parts[name], _PARSER)
        return self._trees[name]

    def touch(self, name: str) -> None:
        """Mark a parsed part as edited (serialised on save)."""
        self.changed.setdefault(name, b"")

    def put(self, name: str, data: bytes) -> None:
        self._trees.pop(name, None)
        self.changed[name] = data

    def bytes_of(self, name: str) -> bytes:
        return self.changed.get(name) or self.parts[name]

    def save(self, target: Path) -> None:
        for name, tree in self._trees.items():
            if name in self.changed:
                self.changed[name] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(target, "w") as out:
            for info in self.infos:
                data = self.changed.get(info.filename, self.parts[info.filename])
                out.writestr(info, data, compress_type=info.compress_type)
            for name, data in self.changed.items():
                if name not in self.parts:
                    out.writestr(zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6]), data,
                                 compress_type=zipfile.ZIP_DEFLATED)

    def free_name(self, pattern: str) -> str:
        """The first part name of the pattern ("xl/comments{}.xml") not in the package."""
        n = 1
        while self.has(pattern.format(n)):
            n += 1
        return pattern.format(n)

    # relationships
    @staticmethod
    def rels_name(part: str) -> str:
        folder, name = posixpath.split(part)
        return posixpath.join(folder, "_rels", f"{name}.rels")

    def rels(self, part: str) -> etree._Element:
        name = self.rels_name(part)
        if not self.has(name):
            self.put(name, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                           f'<Relationships xmlns="{PKG_REL}"/>'.encode())
        return self.xml(name)

    def targets(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, part name) of a part's relationships."""
        if not self.has(self.rels_name(part)):
            return {}
        out = {}
        for rel in self.xml(self.rels_name(part)):
            if rel.get("TargetMode") == "External":
                continue
            out[rel.get("Id")] = (rel.get("Type"), _resolve(part, rel.get("Target", "")))
        return out

    def relate(self, part: str, rel_type: str, target: str) -> str:
        """Add a relationship from `part` to the part `target`; returns its id."""
        rels = self.rels(part)
        used = {rel.get("Id") for rel in rels}
        n = len(used) + 1
        while f"rId{n}" in used:
            n += 1
        relative = posixpath.relpath(target, posixpath.dirname(part))
        etree.SubElement(rels, f"{{{PKG_REL}}}Relationship", Id=f"rId{n}", Type=rel_type, Target=relative)
        self.touch(self.rels_name(part))
        return f"rId{n}"

    def declare(self, part: str, content_type: str) -> None:
        """[Content_Types].xml: the type of a new part."""
        types = self.xml("[Content_Types].xml")
        etree.SubElement(types, f"{{{TYPES}}}Override", PartName="/" + part, ContentType=content_type)
        self.touch("[Content_Types].xml")

    def declare_extension(self, extension: str, content_type: str) -> None:
        types = self.xml("[Content_Types].xml")
        if not any(d.get("Extension", "").lower() == extension for d in types.iter(f"{{{TYPES}}}Default")):
            etree.SubElement(types, f"{{{TYPES}}}Default", Extension=extension, ContentType=content_type)
            self.touch("[Content_Types].xml")


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _workbook_part(package: Package) -> str:
    for _, (rel_type, part) in package.targets("").items():
        if rel_type.endswith("/officeDocument"):
            return part
    raise WorkbookError("the file has no workbook part")


def _sheets(package: Package, workbook: str) -> dict[str, str]:
    """Sheet name -> its part, for worksheets (not chart sheets)."""
    targets = package.targets(workbook)
    out = {}
    for sheet in package.xml(workbook).iter(_m("sheet")):
        rel_type, part = targets.get(sheet.get(f"{{{DOC_REL}}}id"), ("", ""))
        if rel_type == REL_WORKSHEET:
            out[sheet.get("name")] = part
    return out


# --- styles: the officer's formats stay; mifkit's are appended ----------------------------------------

class Styles:
    """Appends fills, fonts and cell formats to styles.xml and hands back their indexes."""

    def __init__(self, package: Package, workbook: str):
        part = next((p for t, p in package.targets(workbook).values() if t.endswith("/styles")), None)
        if part is None:
            raise WorkbookError("the workbook has no styles part")
        package.touch(part)
        self.root = package.xml(part)
        self._marked: dict[tuple[int, str], int] = {}
        self._fills: dict[str, int] = {}

    def _list(self, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
        found = self.root.find(_m(tag))
        if found is None:
            found = etree.Element(_m(tag), count="0")
            anchor = next((self.root.find(_m(t)) for t in before if self.root.find(_m(t)) is not None), None)
            if anchor is None:
                self.root.append(found)
            else:
                anchor.addprevious(found)
        return found

    def _append(self, tag: str, element: etree._Element) -> int:
        items = self._list(tag)
        items.append(element)
        items.set("count", str(len(items)))
        return len(items) - 1

    def fill(self, rgb: str) -> int:
        if rgb not in self._fills:
            fill = etree.Element(_m("fill"))
            pattern = etree.SubElement(fill, _m("patternFill"), patternType="solid")
            etree.SubElement(pattern, _m("fgColor"), rgb=f"FF{rgb}")
            etree.SubElement(pattern, _m("bgColor"), indexed="64")
            self._fills[rgb] = self._append("fills", fill)
        return self._fills[rgb]

    def font(self, bold: bool = False, size: float | None = None, color: str | None = None,
             underline: bool = False) -> int:
        base = self._list("fonts").find(_m("font"))
        font = etree.Element(_m("font"))
        if bold:
            etree.SubElement(font, _m("b"))
        if underline:
            etree.SubElement(font, _m("u"))
        base_size = base.find(_m("sz")) if base is not None else None
        etree.SubElement(font, _m("sz"), val=str(size or (base_size.get("val") if base_size is not None else 11)))
        if color:
            etree.SubElement(font, _m("color"), rgb=f"FF{color}")
        base_name = base.find(_m("name")) if base is not None else None
        etree.SubElement(font, _m("name"), val=base_name.get("val") if base_name is not None else "Calibri")
        return self._append("fonts", font)

    def _xfs(self) -> etree._Element:
        return self._list("cellXfs", before=("cellStyles", "dxfs", "tableStyles", "colors", "extLst"))

    def marked(self, index: int, rgb: str) -> int:
        """A copy of her cell format `index` with mifkit's fill: number format, font, borders stay."""
        key = (index, rgb)
        if key not in self._marked:
            xfs = self._xfs()
            original = xfs[index] if 0 <= index < len(xfs) else None
            xf = copy.deepcopy(original) if original is not None else etree.Element(
                _m("xf"), numFmtId="0", fontId="0", borderId="0", xfId="0")
            xf.set("fillId", str(self.fill(rgb)))
            xf.set("applyFill", "1")
            self._marked[key] = self._append("cellXfs", xf)
        return self._marked[key]

    def new(self, font: int = 0, fill: int | None = None, wrap: bool = False, number_format: int = 0) -> int:
        """A cell format of mifkit's own (for the Findings sheet)."""
        xf = etree.Element(_m("xf"), numFmtId=str(number_format), fontId=str(font),
                           fillId=str(fill if fill is not None else 0), borderId="0", xfId="0")
        xf.set("applyFont", "1")
        if fill is not None:
            xf.set("applyFill", "1")
        if number_format:
            xf.set("applyNumberFormat", "1")
        if wrap:
            xf.set("applyAlignment", "1")
            etree.SubElement(xf, _m("alignment"), wrapText="1", vertical="top")
        return self._append("cellXfs", xf)


# --- cells -----------------------------------------------------------------------------------------

_ADDRESS = re.compile(r"([A-Z]{1,3})(\d+)")


def _split(address: str) -> tuple[int, int]:
    """"I12" -> (12, 9)."""
    match = _ADDRESS.fullmatch(address.replace("$", "").upper())
    if match is None:
        raise ValueError(address)
    return int(match.group(2)), column_number(match.group(1))


def _cell(sheet_data: etree._Element, address: str) -> etree._Element:
    """The cell element at `address`, created in its row and column order when the cell is empty."""
    row_number, column = _split(address)
    row, previous = None, 0
    for candidate in sheet_data.iter(_m("row")):
        number = int(candidate.get("r") or previous + 1)
        previous = number
        if number == row_number:
            row = candidate
            break
        if number > row_number:
            row = etree.Element(_m("row"), r=str(row_number))
            candidate.addprevious(row)
            break
    if row is None:
        row = etree.SubElement(sheet_data, _m("row"), r=str(row_number))
    previous_column = 0
    for cell in row.iter(_m("c")):
        ref = cell.get("r")
        number = _split(ref)[1] if ref else previous_column + 1
        previous_column = number
        if number == column:
            return cell
        if number > column:
            new = etree.Element(_m("c"), r=address)
            cell.addprevious(new)
            return new
    return etree.SubElement(row, _m("c"), r=address)


# --- comments and their note boxes ---------------------------------------------------------------------

_SHAPETYPE = (b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              b'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')


def _vml_shape(shape_id: int, row: int, column: int, lines: int) -> bytes:
    """A hidden note box next to the cell (row, column are 1-based), sized for its text."""
    height = min(12 + 6 * lines, 60)  # rows of the anchor
    return (f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:0;'
            f'margin-top:0;width:300pt;height:{height * 12}pt;z-index:{shape_id};visibility:hidden" '
            f'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            f'<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            f'<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            f'<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f'<x:Anchor>{column}, 15, {max(row - 2, 0)}, 2, {column + 5}, 15, {max(row - 2, 0) + height}, 4'
            f'</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row - 1}</x:Row><x:Column>{column - 1}</x:Column>'
            f'</x:ClientData></v:shape>').encode()


def _new_vml(block: int, shapes: bytes) -> bytes:
    return (b'<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            b'xmlns:x="urn:schemas-microsoft-com:office:excel">'
            + f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'.encode()
            + _SHAPETYPE + shapes + b"</xml>")


def _plain(text: str) -> str:
    return _NOT_XML.sub("", text)


def _run(parent: etree._Element, text: str, properties: etree._Element | None) -> None:
    run = etree.SubElement(parent, _m("r"))
    if properties is not None:
        run.append(copy.deepcopy(properties))
    t = etree.SubElement(run, _m("t"))
    t.text = _plain(text)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _findings_text(findings: list[Finding]) -> str:
    return "\n".join(f"[{f.code}] {f.message}" for f in findings)


class SheetComments:
    """The comments of one sheet and their VML note boxes, created on first use."""

    def __init__(self, package: Package, sheet_part: str, shape_ids: list[int]):
        self.package, self.sheet_part, self.shape_ids = package, sheet_part, shape_ids
        targets = package.targets(sheet_part)
        self.part = next((p for t, p in targets.values() if t == REL_COMMENTS), None)
        self.vml = next((p for t, p in targets.values() if t == REL_VML), None)
        self.new_shapes: list[bytes] = []
        self._root = None

    def root(self) -> etree._Element:
        if self._root is None:
            if self.part is None:
                self.part = self.package.free_name("xl/comments{}.xml")
                self.package.put(self.part, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                            f'<comments xmlns="{MAIN}"><authors/><commentList/></comments>'.encode())
                self.package.declare(self.part, TYPE_COMMENTS)
                self.package.relate(self.sheet_part, REL_COMMENTS, self.part)
            self.package.touch(self.part)
            self._root = self.package.xml(self.part)
        return self._root

    def existing(self, address: str) -> etree._Element | None:
        if self.part is None:
            return None
        for comment in self.root().iter(_m("comment")):
            if comment.get("ref", "").upper() == address:
                return comment
        return None

    def _author_id(self) -> int:
        authors = self.root().find(_m("authors"))
        for i, author in enumerate(authors):
            if author.text == AUTHOR:
                return i
        etree.SubElement(authors, _m("author")).text = AUTHOR
        return len(authors) - 1

    def add(self, address: str, findings: list[Finding]) -> None:
        """Her comment keeps its author, runs and box, with the findings added below; else a new one."""
        text = _findings_text(findings)
        comment = self.existing(address)
        if comment is not None:
            body = comment.find(_m("text"))
            runs = body.findall(_m("r"))
            if runs:
                _run(body, f"\n—\n{AUTHOR}: {text}", runs[-1].find(_m("rPr")))
            else:
                t = body.find(_m("t"))
                t.text = _plain(f"{(t.text or '').rstrip()}\n—\n{AUTHOR}: {text}")
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return
        comments = self.root()
        comment = etree.SubElement(comments.find(_m("commentList")), _m("comment"), ref=address,
                                   authorId=str(self._author_id()))
        body = etree.SubElement(comment, _m("text"))
        bold = etree.Element(_m("rPr"))
        etree.SubElement(bold, _m("b"))
        etree.SubElement(bold, _m("sz"), val="9")
        etree.SubElement(bold, _m("rFont"), val="Tahoma")
        _run(body, f"{AUTHOR}:", bold)
        plain = copy.deepcopy(bold)
        plain.remove(plain.find(_m("b")))
        _run(body, f"\n{text}", plain)
        row, column = _split(address)
        self.shape_ids[0] += 1
        self.new_shapes.append(_vml_shape(self.shape_ids[0], row, column, text.count("\n") + 2 * len(findings)))

    def finish(self, sheet: etree._Element) -> None:
        """Add the new note boxes to her VML drawing (as text: its bytes stay), or make the drawing."""
        if not self.new_shapes:
            return
        shapes = b"".join(self.new_shapes)
        if self.vml is not None:
            data = self.package.bytes_of(self.vml)
            end = data.rfind(b"</xml>")
            if end < 0:
                raise WorkbookError(f"{self.vml}: the drawing of the comments is not in a form mifkit knows")
            if b"_x0000_t202" not in data:
                shapes = _SHAPETYPE + shapes
            self.package.put(self.vml, data[:end] + shapes + data[end:])
            return
        self.vml = self.package.free_name("xl/drawings/vmlDrawing{}.vml")
        self.package.put(self.vml, _new_vml(self.shape_ids[0] // 1024, shapes))
        self.package.declare_extension("vml", TYPE_VML)
        rel = self.package.relate(self.sheet_part, REL_VML, self.vml)
        _insert_in_order(sheet, etree.Element(_m("legacyDrawing"), {f"{{{DOC_REL}}}id": rel}))


def _insert_in_order(sheet: etree._Element, element: etree._Element) -> None:
    tag = etree.QName(element).localname
    after = WORKSHEET_ORDER[WORKSHEET_ORDER.index(tag) + 1:]
    for child in sheet:
        if isinstance(child.tag, str) and etree.QName(child).localname in after:
            child.addprevious(element)
            return
    sheet.append(element)


def _first_shape_id(package: Package) -> int:
    """Note boxes need ids unique in the workbook: start in a block of 1024 after every id in use."""
    used = [0]
    for name in list(package.parts) + list(package.changed):
        if name.lower().endswith(".vml"):
            used += [int(n) for n in re.findall(rb"_x0000_s(\d+)", package.bytes_of(name))]
    return (max(used) // 1024 + 1) * 1024


# --- the Findings sheet ------------------------------------------------------------------------------

FINDINGS_HEADERS = ("Code", "Severity", "Cell", "Message", "Expected", "Actual")
COLUMN_WIDTHS = (8, 9, 16, 100, 14, 14)
MESSAGE_CHARACTERS_PER_LINE = 90  # of the Message column (100 wide), with room for wider letters


def findings_sheet_name(existing: list[str]) -> str:
    """A sheet named Findings is never replaced: the first free name of mifkit's."""
    taken = {name.lower() for name in existing}
    numbered = (f"{FINDINGS_SHEET} (mifkit {n})" for n in range(2, 100))
    candidates = (FINDINGS_SHEET, f"{FINDINGS_SHEET} (mifkit)", *numbered)
    for name in candidates:
        if name.lower() not in taken:
            return name
    raise OutputError("the workbook has no free name for the Findings sheet")


def _text_cell(row: etree._Element, ref: str, text: str, style: int | None = None) -> None:
    cell = etree.SubElement(row, _m("c"), r=ref, t="inlineStr")
    if style:
        cell.set("s", str(style))
    t = etree.SubElement(etree.SubElement(cell, _m("is")), _m("t"))
    t.text = _plain(text)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _value_cell(row: etree._Element, ref: str, value: object, style: int) -> None:
    if value is None or value == "":
        return
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < float("inf"):
        cell = etree.SubElement(row, _m("c"), r=ref, s=str(style))
        etree.SubElement(cell, _m("v")).text = repr(float(value)) if isinstance(value, float) else str(value)
    else:
        _text_cell(row, ref, str(value))


def _findings_xml(report: Report, findings: list[Finding], sheets: set[str], styles: Styles,
                  when: dt.datetime) -> bytes:
    title = styles.new(font=styles.font(bold=True, size=12))
    header = styles.new(font=styles.font(bold=True), fill=styles.fill("D9D9D9"))
    severity_style = {ERROR: styles.new(fill=styles.fill(ERROR_FILL)),
                      "warning": styles.new(fill=styles.fill(WARNING_FILL))}
    link = styles.new(font=styles.font(color="0563C1", underline=True))
    wrapped = styles.new(wrap=True)
    number = styles.new(number_format=4)  # #,##0.00

    sheet = etree.Element(_m("worksheet"), nsmap={None: MAIN, "r": DOC_REL})
    etree.SubElement(etree.SubElement(sheet, _m("sheetPr")), _m("pageSetUpPr"), fitToPage="1")
    view = etree.SubElement(etree.SubElement(sheet, _m("sheetViews")), _m("sheetView"), workbookViewId="0")
    etree.SubElement(view, _m("pane"), ySplit="3", topLeftCell="A4", activePane="bottomLeft", state="frozen")
    etree.SubElement(sheet, _m("sheetFormatPr"), defaultRowHeight="15")
    cols = etree.SubElement(sheet, _m("cols"))
    for i, width in enumerate(COLUMN_WIDTHS, start=1):
        etree.SubElement(cols, _m("col"), min=str(i), max=str(i), width=str(width), customWidth="1")
    data = etree.SubElement(sheet, _m("sheetData"))
    counts = report.counts
    row = etree.SubElement(data, _m("row"), r="1")
    _text_cell(row, "A1", f"Checked by mifkit on {when:%Y-%m-%d %H:%M}: {counts['error']} error(s), "
                          f"{counts['warning']} warning(s)", title)
    row = etree.SubElement(data, _m("row"), r="3")
    for col, text in enumerate(FINDINGS_HEADERS, start=1):
        _text_cell(row, f"{column_letter(col)}3", text, header)
    links = []
    for r, f in enumerate(report.findings, start=4):
        lines = max(1, -(-len(f.message) // MESSAGE_CHARACTERS_PER_LINE))  # wrapped: the row grows to show it
        row = etree.SubElement(data, _m("row"), r=str(r), ht=str(15 * lines), customHeight="1")
        _text_cell(row, f"A{r}", f.code)
        _text_cell(row, f"B{r}", f.severity, severity_style.get(f.severity))
        linked = f.cell and f.sheet in sheets and f in findings
        _text_cell(row, f"C{r}", f.location, link if linked else None)
        if linked:
            links.append((f"C{r}", f"'{f.sheet.replace(chr(39), chr(39) * 2)}'!{f.cell}"))
        _text_cell(row, f"D{r}", f.message, wrapped)
        _value_cell(row, f"E{r}", f.expected, number)
        _value_cell(row, f"F{r}", f.actual, number)
    if not report.findings:
        _text_cell(etree.SubElement(data, _m("row"), r="4"), "A4", "No problems found.")
    if links:
        hyperlinks = etree.SubElement(sheet, _m("hyperlinks"))
        for ref, location in links:
            etree.SubElement(hyperlinks, _m("hyperlink"), ref=ref, location=location, display=location)
    etree.SubElement(sheet, _m("pageMargins"), left="0.5", right="0.5", top="0.75", bottom="0.75",
                     header="0.3", footer="0.3")
    etree.SubElement(sheet, _m("pageSetup"), paperSize="9", orientation="landscape", fitToWidth="1",
                     fitToHeight="0")
    return etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_findings_sheet(package: Package, workbook: str, name: str, xml: bytes) -> None:
    part = package.free_name("xl/worksheets/sheet{}.xml")
    package.put(part, xml)
    package.declare(part, TYPE_WORKSHEET)
    rel = package.relate(workbook, REL_WORKSHEET, part)
    book = package.xml(workbook)
    package.touch(workbook)
    sheets = book.find(_m("sheets"))
    ids = [int(s.get("sheetId", 0)) for s in sheets]
    etree.SubElement(sheets, _m("sheet"), {"name": name, "sheetId": str(max(ids, default=0) + 1),
                                           f"{{{DOC_REL}}}id": rel})


# --- the annotated copy ------------------------------------------------------------------------------

def _ours(report: Report, source: Path) -> dict[tuple[str, str], list[Finding]]:
    """The findings about cells of this workbook (a logframe's findings are only listed)."""
    main = report.sources[0] if report.sources else ""
    return {key: found for key, found in report.by_cell().items()
            if all(not f.source or f.source == main or Path(f.source) == source for f in found)}


def annotate(source: str | Path, report: Report, output: str | Path, force: bool = False,
             when: dt.datetime | None = None) -> Annotated:
    """Write the annotated copy of `source` to `output`."""
    source, output = Path(source), Path(output)
    if source.suffix.lower() == ".xlsm" and output.suffix.lower() != ".xlsm":
        raise OutputError(f"{output}: the annotated copy of a .xlsm workbook must also end in .xlsm, "
                          "or Excel would refuse it and its macros would be lost")
    package = Package(source)
    workbook = _workbook_part(package)
    sheets = _sheets(package, workbook)
    styles = Styles(package, workbook)
    shape_ids = [_first_shape_id(package)]
    by_sheet: dict[str, list[tuple[str, list[Finding]]]] = {}
    for (sheet, address), found in _ours(report, source).items():
        if sheet in sheets and _ADDRESS.fullmatch(address):
            by_sheet.setdefault(sheet, []).append((address, found))
    marked = 0
    for sheet, cells in by_sheet.items():
        part = sheets[sheet]
        root = package.xml(part)
        package.touch(part)
        data = root.find(_m("sheetData"))
        comments = SheetComments(package, part, shape_ids)
        for address, found in cells:
            cell = _cell(data, address)
            fill = ERROR_FILL if any(f.severity == ERROR for f in found) else WARNING_FILL
            cell.set("s", str(styles.marked(int(cell.get("s", "0")), fill)))
            comments.add(address, found)
            marked += 1
        comments.finish(root)
    listed = [f for found in _ours(report, source).values() for f in found]
    name = findings_sheet_name([s.get("name") for s in package.xml(workbook).iter(_m("sheet"))])
    _add_findings_sheet(package, workbook, name,
                        _findings_xml(report, listed, set(sheets), styles, when or dt.datetime.now()))
    with atomic_output(output, force=force, inputs=(source,)) as tmp:
        package.save(tmp)
    return Annotated(marked, name)
