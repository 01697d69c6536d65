"""The annotated copy changes only what it marks: workbooks the officer made richer in a spreadsheet
program (LibreOffice, through its UNO API) keep every part of theirs.

Each variant adds one thing a real workbook carries (a logo, a chart, a text box, rich text, her
comments, conditional formatting, a drop-down, names, a hidden sheet, links, grouped rows, a print
area, an autofilter, document properties, macros, a sheet of hers named Findings).  `mifkit validate
--annotate` runs on each, and the two packages are compared part by part:

- a part the marks do not concern is byte for byte the same;
- a marked sheet differs only in the style index of its marked cells (and the link to its comments);
- styles, comments, the comments' drawing, the workbook's sheet list, relationships and content types
  keep every element of hers, in order, with mifkit's appended.

LibreOffice then renders the copies: her text box, rich text, chart title and comments are there.
"""

from __future__ import annotations

import hashlib
import posixpath
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from lo_uno import edit_each, needs_uno
from lxml import etree

from compiler import cli
from compiler.annotate import DOC_REL, ERROR_FILL, MAIN, WARNING_FILL
from compiler.libreoffice import convert
from compiler.validate import validate_file
from workbook_templates.build import FORMULAS, write_budget
from workbook_templates.spec import example_spec

pytestmark = [needs_uno, pytest.mark.libreoffice]

EXAMPLE = "tc-03-02-01-0"
TEXT_BOX = "Reallocation of 2.01 requested from the Bank on 12 March"
HER_NOTE = "Checked against invoice 4411, Ana"
PROTECTED = ("Project", "Budget", "Summary", "Execution", "Disbursements")
HER_FINDINGS = "My own list of pending receipts"


def _png(path: Path) -> Path:
    """A small logo (a red and white band), as a real PNG file."""
    width, height = 60, 20
    raw = b"".join(b"\x00" + (bytes([190, 30, 45]) * (width // 2) + bytes([255, 255, 255]) * (width // 2))
                   for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
                     + chunk(b"IEND", b""))
    return path


def _with_macros(source: Path, target: Path) -> None:
    """Her workbook as a .xlsm with a real VBA project (the one of xlwings' quickstart workbook)."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as quickstart:
        vba = quickstart.read("xl/vbaProject.bin")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"PLACEHOLDER").replace(
                    b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                                 b"</Types>")
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft'
                                    b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", vba)


def _report(path: Path) -> dict:
    return validate_file(path).to_dict()


def _variants(base: Path, marked: list[str], folder: Path) -> dict[str, tuple[Path, Path, list[dict]]]:
    """Name -> (source, variant, the LibreOffice edits that make it from the source)."""
    logo = _png(folder / "logo.png")
    flagged = marked[0].split("!")
    ops = {
        "logo": [{"op": "image", "sheet": "Project", "cell": "E1", "path": str(logo)}],
        "chart": [{"op": "chart", "sheet": "Summary", "range": "A3:D12", "cell": "G3",
                   "title": "Cost by component"}],
        "text_box": [{"op": "text_box", "sheet": "Budget", "cell": "K1", "text": TEXT_BOX}],
        "rich_text": [{"op": "rich_text", "sheet": "Budget", "cell": "B8",
                       "parts": [{"text": "Cluster ", "bold": True},
                                 {"text": "coordinators (2)", "color": "#C00000"}]}],
        "comments": [{"op": "comment", "sheet": flagged[0], "cell": flagged[1], "text": HER_NOTE},
                     {"op": "comment", "sheet": "Budget", "cell": "B9", "text": "Two part-time assistants"}],
        "conditional_format": [{"op": "conditional_format", "sheet": "Budget", "range": "D8:D36",
                                "operator": "greater", "value": "5000"}],
        "validation": [{"op": "validation", "sheet": "Budget", "range": "C8:C12",
                        "items": ["month/consultant", "month/rent", "package"]}],
        "defined_names": [{"op": "defined_name", "name": "Coordinators", "refers_to": "'Budget'!$F$8"}],
        "hidden_sheet": [{"op": "add_sheet", "name": "Working"},
                         {"op": "set", "sheet": "Working", "cell": "A1", "value": "exchange rate"},
                         {"op": "set", "sheet": "Working", "cell": "B1", "value": 3.42},
                         {"op": "hide_sheet", "sheet": "Working"}],
        "hyperlinks": [{"op": "hyperlink", "sheet": "Project", "cell": "C5", "url": "https://www.iadb.org/en/projects",
                        "text": "Project page"}],
        "grouped_rows": [{"op": "group_rows", "sheet": "Budget", "first": 8, "last": 12}],
        "print_area": [{"op": "print_area", "sheet": "Budget", "range": "A1:T88"}],
        "autofilter": [{"op": "autofilter", "sheet": "Budget", "range": "A5:T36"}],
        "properties": [{"op": "properties", "title": "Budget TC-03-02-01-0", "author": "Ana Quispe",
                        "custom": {"Reviewed by": "Country office"}}],
        "macros": [{"op": "set", "sheet": "Project", "cell": "C6", "value": "Macros check the receipts"}],
        "her_findings_sheet": [{"op": "add_sheet", "name": "Findings"},
                               {"op": "set", "sheet": "Findings", "cell": "A1", "value": HER_FINDINGS},
                               {"op": "set", "sheet": "Findings", "cell": "A2", "value": "Receipt 12, hotel Cuzco"}],
    }
    macro_base = folder / "base.xlsm"
    _with_macros(base, macro_base)
    for edits in ops.values():  # she lifts the sheet's protection (no password), edits, and protects it again
        sheets = {op["sheet"] for op in edits if op.get("sheet") in PROTECTED}
        edits[:0] = [{"op": "unprotect", "sheet": s} for s in sorted(sheets)]
        edits += [{"op": "protect", "sheet": s} for s in sorted(sheets)]
    return {name: (macro_base if name == "macros" else base, folder / f"{name}.xls{'m' if name == 'macros' else 'x'}",
                   edits) for name, edits in ops.items()}


@pytest.fixture(scope="module")
def annotated(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Name -> (her variant saved by LibreOffice, its annotated copy)."""
    folder = tmp_path_factory.mktemp("variants")
    base = folder / "base.xlsx"
    write_budget(example_spec(EXAMPLE), base, FORMULAS)
    marked = [f"{f['sheet']}!{f['cell']}" for f in _report(base)["findings"] if f["cell"]]
    variants = _variants(base, marked, folder)
    edit_each([(source, target, ops) for source, target, ops in variants.values()])
    out = {}
    for name, (_, variant, _) in variants.items():
        copy = folder / f"{name}.annotated{variant.suffix}"
        before = hashlib.sha256(variant.read_bytes()).hexdigest()
        assert cli.main(["validate", str(variant), "--annotate", str(copy)]) == 1, name
        assert hashlib.sha256(variant.read_bytes()).hexdigest() == before, f"{name}: the input was written"
        out[name] = (variant, copy)
    return out


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False))


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n")


def _m(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


def _same_children_then_more(original: etree._Element, annotated: etree._Element, where: str) -> None:
    """Every child element of hers is there, unchanged and in order; mifkit's come after."""
    mine = [child for child in original if isinstance(child.tag, str)]
    theirs = [child for child in annotated if isinstance(child.tag, str)]
    assert [_c14n(c) for c in theirs[:len(mine)]] == [_c14n(c) for c in mine], f"{where}: an element of hers changed"


def _check_sheet(original: bytes, annotated: bytes, marked: set[str], where: str) -> set[str]:
    """A marked sheet differs only in the style of its marked cells, empty cells made to mark, and the
    link to its comments; returns the style indexes of the marked cells (annotated, original)."""
    mine, theirs = _xml(original), _xml(annotated)
    her_cells = {c.get("r") for c in mine.iter(_m("c"))}
    her_rows = {r.get("r") for r in mine.iter(_m("row"))}
    for cell in list(theirs.iter(_m("c"))):
        ref = cell.get("r")
        if ref not in her_cells:
            assert ref in marked and len(cell) == 0, f"{where}: a cell {ref} appeared that mifkit does not mark"
            cell.getparent().remove(cell)
    for row in list(theirs.iter(_m("row"))):
        if row.get("r") not in her_rows:
            assert len(row) == 0
            row.getparent().remove(row)
    styles = {}
    her_styles = {c.get("r"): c.get("s") for c in mine.iter(_m("c"))}
    for cell in theirs.iter(_m("c")):
        if cell.get("r") in marked:
            styles[cell.get("r")] = cell.get("s")
            if her_styles.get(cell.get("r")) is None:
                cell.attrib.pop("s")
            else:
                cell.set("s", her_styles[cell.get("r")])
    her_drawing = mine.find(_m("legacyDrawing"))
    drawing = theirs.find(_m("legacyDrawing"))
    if her_drawing is None and drawing is not None:
        theirs.remove(drawing)
    assert _c14n(theirs) == _c14n(mine), f"{where}: something other than the marks changed"
    return styles


def _part(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _check_package(name: str, variant: Path, copy: Path, marked: dict[str, set[str]]) -> None:
    before, after = _parts(variant), _parts(copy)
    missing = set(before) - set(after)
    assert not missing, f"{name}: parts lost: {sorted(missing)}"
    book = _xml(before["xl/workbook.xml"])
    rels = {r.get("Id"): r.get("Target") for r in _xml(before["xl/_rels/workbook.xml.rels"])}
    sheet_part = {s.get("name"): _part("xl/workbook.xml", rels[s.get(f"{{{DOC_REL}}}id")])
                  for s in book.iter(_m("sheet"))}
    concerned = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    for sheet, cells in marked.items():
        part = sheet_part[sheet]
        concerned.add(part)
        rels_part = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
        concerned.add(rels_part)
        if rels_part in before:
            for rel in _xml(before[rels_part]):
                if rel.get("Type").endswith(("/comments", "/vmlDrawing")):
                    concerned.add(_part(part, rel.get("Target")))
        styles = _check_sheet(before[part], after[part], cells, f"{name}: {sheet}")
        assert set(styles) == cells, f"{name}: not every finding's cell of {sheet} is marked"
        xfs = _xml(after["xl/styles.xml"]).find(_m("cellXfs"))
        fills = _xml(after["xl/styles.xml"]).find(_m("fills"))
        for ref, index in styles.items():
            fill = fills[int(xfs[int(index)].get("fillId"))].find(f"{_m('patternFill')}/{_m('fgColor')}")
            assert fill.get("rgb")[-6:] in (ERROR_FILL, WARNING_FILL), f"{name}: {sheet}!{ref} not coloured"
    for part, data in before.items():
        if part in concerned:
            continue
        assert after[part] == data, f"{name}: the part {part} changed, and the marks do not concern it"
    for part in ("xl/styles.xml",):
        for tag in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
            mine = _xml(before[part]).find(_m(tag))
            if mine is not None:
                _same_children_then_more(mine, _xml(after[part]).find(_m(tag)), f"{name}: styles {tag}")
    for part in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
        _same_children_then_more(_xml(before[part]), _xml(after[part]), f"{name}: {part}")
    mine, theirs = _xml(before["xl/workbook.xml"]), _xml(after["xl/workbook.xml"])
    _same_children_then_more(mine.find(_m("sheets")), theirs.find(_m("sheets")), f"{name}: sheet list")
    theirs.find(_m("sheets")).__setitem__(slice(None), [])
    mine.find(_m("sheets")).__setitem__(slice(None), [])
    assert _c14n(theirs) == _c14n(mine), f"{name}: workbook.xml changed beyond the new sheet"
    for part in concerned:
        if part.endswith(".vml") and part in before:
            end = before[part].rfind(b"</xml>")
            assert after[part].startswith(before[part][:end]) and after[part].endswith(before[part][end:]), \
                f"{name}: her note boxes in {part} changed"
        if "comments" in part and part in before:
            _check_her_comments(before[part], after[part], f"{name}: {part}")


def _check_her_comments(original: bytes, annotated: bytes, where: str) -> None:
    """Each comment of hers keeps its author and its formatted text, the finding added after it."""
    mine, theirs = _xml(original), _xml(annotated)
    authors = [a.text for a in mine.find(_m("authors"))]
    their_authors = [a.text for a in theirs.find(_m("authors"))]
    assert their_authors[:len(authors)] == authors, where
    by_ref = {c.get("ref"): c for c in theirs.iter(_m("comment"))}
    for comment in mine.iter(_m("comment")):
        now = by_ref[comment.get("ref")]
        assert now.get("authorId") == comment.get("authorId"), f"{where}: the author of her comment changed"
        _same_children_then_more(comment.find(_m("text")), now.find(_m("text")), where)


def _marked(copy: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in _report(copy)["findings"]:
        if f["cell"]:
            out.setdefault(f["sheet"], set()).add(f["cell"])
    return out


VARIANT_NAMES = ["logo", "chart", "text_box", "rich_text", "comments", "conditional_format", "validation",
                 "defined_names", "hidden_sheet", "hyperlinks", "grouped_rows", "print_area", "autofilter",
                 "properties", "macros", "her_findings_sheet"]


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_annotated_copy_keeps_every_part_of_hers(annotated, name):
    variant, copy = annotated[name]
    _check_package(name, variant, copy, _marked(variant))


def test_her_comment_keeps_its_author_and_gets_the_finding(annotated):
    import openpyxl

    variant, copy = annotated["comments"]
    report = _report(variant)
    flagged = next(f for f in report["findings"] if f["cell"])
    cell = openpyxl.load_workbook(copy)[flagged["sheet"]][flagged["cell"]]
    assert cell.comment.text.startswith(HER_NOTE)
    assert f"[{flagged['code']}]" in cell.comment.text
    assert cell.comment.author == openpyxl.load_workbook(variant)[flagged["sheet"]][flagged["cell"]].comment.author


def test_her_findings_sheet_is_kept_and_mifkits_list_gets_a_free_name(annotated):
    import openpyxl

    _, copy = annotated["her_findings_sheet"]
    book = openpyxl.load_workbook(copy)
    assert book["Findings"]["A1"].value == HER_FINDINGS
    assert "mifkit" in book["Findings (mifkit)"]["A1"].value


def test_saved_formula_results_stay(annotated):
    variant, copy = annotated["chart"]
    import openpyxl

    mine = openpyxl.load_workbook(variant, data_only=True)
    theirs = openpyxl.load_workbook(copy, data_only=True)
    formulas = openpyxl.load_workbook(variant)
    counted = 0
    for sheet in mine.sheetnames:
        for row in formulas[sheet].iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert theirs[sheet][cell.coordinate].value == mine[sheet][cell.coordinate].value
                    counted += mine[sheet][cell.coordinate].value is not None
    assert counted > 100, "the variant should carry saved results of its formulas"
    assert b"fullCalcOnLoad" not in _parts(copy)["xl/workbook.xml"]


def test_libreoffice_renders_the_copies_with_her_content(annotated, tmp_path):
    names = ["text_box", "rich_text", "chart", "comments"]
    pdfs = convert([annotated[n][1] for n in names], "pdf", tmp_path)
    text = {n: subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True,
                              check=True).stdout for n, p in zip(names, pdfs, strict=True)}
    flat = {n: " ".join(t.split()) for n, t in text.items()}
    assert TEXT_BOX in flat["text_box"]
    assert "Cluster coordinators (2)" in flat["rich_text"]
    assert "Cost by component" in flat["chart"]
    for n in names:
        assert "Checked by mifkit" in flat[n], f"{n}: the Findings sheet is not in the rendering"
