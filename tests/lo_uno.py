"""Workbooks edited the way a person edits them: LibreOffice Calc driven through its UNO API.

Tests use it to make the files a finance officer really sends (rows inserted, formulas copied, a logo,
a chart, comments, a text box...), saved by a spreadsheet program rather than written by a library.

From any test (the project's python; LibreOffice's `uno` module is not needed there):

    from lo_uno import edit, needs_uno

    @needs_uno
    def test_something(tmp_path):
        values = edit("budget.xlsx", tmp_path / "edited.xlsx", [
            {"op": "insert_rows", "sheet": "Budget", "row": 12, "count": 2},
            {"op": "set", "sheet": "Budget", "cell": "B12", "value": "Printer"},
            {"op": "set", "sheet": "Budget", "cell": "I12", "value": "=SUM(D12:H12)"},
            {"op": "get", "sheet": "Budget", "cell": "I40"},   # read back, after recalculation
        ], author="Ana Quispe")
        # values == [<value of Budget!I40>]

`edit_each([(source, out, ops), ...])` does several such edits in one LibreOffice session.
`edit(source, out, ops)` opens `source` (None: a new, empty workbook with one sheet "Sheet1"), performs
the operations in order, recalculates, and saves to `out` in the format its suffix names (.xlsx, .xlsm
keeping the workbook's macros, .ods, .pdf).  The source is never written.  It returns the values the
"get" operations read.  Each call runs `/usr/bin/python3 tests/lo_uno.py` (the system python, which
has python3-uno) as a child process; the child starts its own soffice (headless, its own profile in a
temporary folder, a private pipe), connects, edits, saves, and shuts soffice down; every step has a
bounded time (`timeout`, 180 s by default), after which soffice is killed and `LibreOfficeEditError`
is raised with LibreOffice's own message.  Comments are written under `author` (the profile's user).

Operations (`sheet` is a sheet's name; cells and ranges are A1 text, "B12", "A1:C9"; rows are
1-based numbers; columns are letters or 1-based numbers):

  set               cell, value (text starting "=" is a formula, English function names; numbers stay numbers)
  get               cell -> the cell's value (number or text) after recalculation
  get_formula       cell -> the cell's formula ("" for a constant)
  insert_rows       row, count=1        (before `row`, as Excel's Insert > Rows; references move)
  delete_rows       row, count=1
  insert_columns    column, count=1
  delete_columns    column, count=1
  copy_range        source (range), target (top-left cell), target_sheet=sheet (relative references adjust)
  add_sheet         name, position=None (0-based; None: last)
  rename_sheet      name (the new name)
  hide_sheet        -
  unprotect         password="" (Tools > Protect Sheet off: LibreOffice, like Excel, refuses most
                    edits on a protected sheet, and mifkit's templates protect theirs without a password)
  protect           password=""
  fill              range, color ("#RRGGBB", or None for no fill)
  bold              range
  rich_text         cell, parts: [{"text", "bold"?, "italic"?, "color"?}, ...]
  comment           cell, text (a cell note; `author` of edit() is its author)
  get_comment       cell -> {"text", "author"}
  append_comment    cell, text (typed at the end of the cell's comment)
  hyperlink         cell, url, text (a link inside the cell's text)
  image             cell, path (a .png/.jpg), width_mm=40, height_mm=15
  chart             range (data with headers), cell (top-left of the chart), name="Chart1",
                    width_mm=120, height_mm=70, title=None
  text_box          cell, text, width_mm=80, height_mm=20
  conditional_format range, operator ("greater", "less", "equal", "between", "formula"), value
                    (a formula text), value2=None, style="Good" (a cell style: "Good", "Bad", "Neutral"...)
  validation        range, items (a drop-down list)
  defined_name      name, refers_to (Excel style "'Budget'!$A$1:$C$3" or LibreOffice's "$Budget.$A$1")
  macro             module, code (a Basic module; kept in a .xlsm)
  group_rows        first, last (row numbers; an outline group), collapse=False
  print_area        range
  autofilter        range (with its header row)
  properties        title, subject, author, keywords, description, custom: {name: text}

Measured with LibreOffice 7.4: soffice sometimes crashes on a later document of a session (inserting a
comment after four other documents): `edit_each` then starts a new one and does that edit again, once.
It does not read comment authors back from an .xlsx (a comment of a
file it opened is saved with a blank author), and it saves no frozen panes from a hidden document.

Add an operation by writing `_op_<name>(doc, sheet, **arguments)` below; it runs in the child.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xlsm": "Calc MS Excel 2007 VBA XML",
           ".ods": "calc8", ".pdf": "calc_pdf_Export"}


class LibreOfficeEditError(RuntimeError):
    """LibreOffice could not perform the edits (its message), or did not finish in time."""


def available() -> bool:
    """Whether soffice and the system python with python3-uno are both installed."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


try:
    import pytest

    if os.environ.get("MIFKIT_REQUIRE_LIBREOFFICE") and not available():
        raise RuntimeError("MIFKIT_REQUIRE_LIBREOFFICE is set but LibreOffice with python3-uno is not installed")
    needs_uno = pytest.mark.skipif(not available(), reason="LibreOffice with python3-uno is not installed")
except ImportError:  # the child process (system python) has no pytest, and needs none
    needs_uno = None


def edit(source: str | Path | None, out: str | Path, ops: list[dict], author: str = "Ana Quispe",
         timeout: float = 180) -> list[object]:
    """Open `source` in LibreOffice, perform `ops`, save to `out`; returns what the "get" ops read."""
    return edit_each([(source, out, ops)], author, timeout)[0]


def edit_each(tasks: list[tuple[str | Path | None, str | Path, list[dict]]], author: str = "Ana Quispe",
              timeout: float = 300) -> list[list[object]]:
    """Several (source, out, ops) edits in one LibreOffice session (each from a fresh load of its
    source), which saves its start-up time per file; returns the "get" values of each."""
    job = {"tasks": [{"source": str(Path(source).resolve()) if source else None, "out": str(Path(out).resolve()),
                      "ops": ops} for source, out, ops in tasks],
           "author": author, "timeout": timeout}
    try:
        done = subprocess.run([SYSTEM_PYTHON, str(Path(__file__).resolve())], input=json.dumps(job),
                              capture_output=True, text=True, timeout=timeout + 30, check=False)
    except subprocess.TimeoutExpired:
        raise LibreOfficeEditError(f"LibreOffice did not finish within {timeout + 30:.0f} s") from None
    lines = done.stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        answer = {}
    if done.returncode != 0 or "error" in answer or "values" not in answer:
        detail = answer.get("error") or (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise LibreOfficeEditError(f"LibreOffice could not edit {answer.get('source') or 'a workbook'}: {detail}")
    return answer["values"]


# ---------------------------------------------------------------------------------------------------
# The child: runs under the system python, which has LibreOffice's `uno` module.

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
 <value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse">
 <value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def _prop(name, value):
    import uno  # noqa: F401  (registers the com.sun.star types)
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _col(column) -> int:
    """0-based column index of a letter ("C") or a 1-based number."""
    if isinstance(column, int):
        return column - 1
    n = 0
    for ch in column.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell_rc(address: str) -> tuple[int, int]:
    """0-based (row, column) of "B12"."""
    letters = "".join(ch for ch in address if ch.isalpha())
    digits = "".join(ch for ch in address if ch.isdigit())
    return int(digits) - 1, _col(letters)


def _rgb(color: str | None) -> int:
    return -1 if color is None else int(color.lstrip("#"), 16)


def _size(width_mm: float, height_mm: float):
    from com.sun.star.awt import Size

    return Size(int(width_mm * 100), int(height_mm * 100))


def _position(sheet, cell: str):
    from com.sun.star.awt import Point

    pos = sheet.getCellRangeByName(cell).Position
    return Point(pos.X, pos.Y)


def _range_address(sheet, ref: str):
    return sheet.getCellRangeByName(ref).RangeAddress


def _op_set(doc, sheet, cell, value):
    target = sheet.getCellRangeByName(cell)
    if isinstance(value, str) and value.startswith("="):
        target.setFormula(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        target.setValue(value)
    else:
        target.setString("" if value is None else str(value))


def _op_get(doc, sheet, cell):
    target = sheet.getCellRangeByName(cell)
    from com.sun.star.table.CellContentType import TEXT

    return target.getString() if target.getType() == TEXT else target.getValue()


def _op_get_formula(doc, sheet, cell):
    target = sheet.getCellRangeByName(cell)
    return target.getFormula() if target.getFormula().startswith("=") else ""


def _op_get_comment(doc, sheet, cell):
    note = sheet.getCellRangeByName(cell).Annotation
    return {"text": note.getString(), "author": note.Author}


def _op_insert_rows(doc, sheet, row, count=1):
    sheet.Rows.insertByIndex(row - 1, count)


def _op_delete_rows(doc, sheet, row, count=1):
    sheet.Rows.removeByIndex(row - 1, count)


def _op_insert_columns(doc, sheet, column, count=1):
    sheet.Columns.insertByIndex(_col(column), count)


def _op_delete_columns(doc, sheet, column, count=1):
    sheet.Columns.removeByIndex(_col(column), count)


def _op_copy_range(doc, sheet, source, target, target_sheet=None):
    destination = doc.Sheets.getByName(target_sheet) if target_sheet else sheet
    sheet.copyRange(destination.getCellRangeByName(target).CellAddress, _range_address(sheet, source))


def _op_add_sheet(doc, sheet, name, position=None):
    doc.Sheets.insertNewByName(name, doc.Sheets.Count if position is None else position)


def _op_rename_sheet(doc, sheet, name):
    sheet.Name = name


def _op_unprotect(doc, sheet, password=""):
    sheet.unprotect(password)


def _op_protect(doc, sheet, password=""):
    sheet.protect(password)


def _op_hide_sheet(doc, sheet):
    sheet.IsVisible = False


def _op_fill(doc, sheet, range, color):  # noqa: A002 (the operation's argument name)
    target = sheet.getCellRangeByName(range)
    target.CellBackColor = _rgb(color)
    target.IsCellBackgroundTransparent = color is None


def _op_bold(doc, sheet, range):  # noqa: A002
    from com.sun.star.awt.FontWeight import BOLD

    sheet.getCellRangeByName(range).CharWeight = BOLD


def _op_rich_text(doc, sheet, cell, parts):
    from com.sun.star.awt.FontSlant import ITALIC, NONE
    from com.sun.star.awt.FontWeight import BOLD, NORMAL

    target = sheet.getCellRangeByName(cell)
    target.setString("")
    text = target.getText()
    for part in parts:
        cursor = text.createTextCursorByRange(text.getEnd())
        cursor.CharWeight = BOLD if part.get("bold") else NORMAL
        cursor.CharPosture = ITALIC if part.get("italic") else NONE
        cursor.CharColor = _rgb(part.get("color", "#000000"))
        text.insertString(cursor, part["text"], False)


def _op_comment(doc, sheet, cell, text):
    """As Insert > Comment does, under the profile's user (the API's own insertNew leaves no author)."""
    controller = doc.CurrentController
    controller.setActiveSheet(sheet)
    controller.select(sheet.getCellRangeByName(cell))
    _dispatch(doc, ".uno:InsertAnnotation", _prop("Text", text), _prop("Author", _AUTHOR[0]))
    sheet.getCellRangeByName(cell).Annotation.IsVisible = False


def _op_append_comment(doc, sheet, cell, text):
    """Type more words at the end of the cell's comment (as she would, editing it)."""
    note = sheet.getCellRangeByName(cell).Annotation
    note.setString(note.getString() + text)


def _op_hyperlink(doc, sheet, cell, url, text):
    target = sheet.getCellRangeByName(cell)
    target.setString("")
    field = doc.createInstance("com.sun.star.text.TextField.URL")
    field.URL, field.Representation = url, text
    body = target.getText()
    body.insertTextContent(body.createTextCursor(), field, False)


def _op_image(doc, sheet, cell, path, width_mm=40, height_mm=15):
    import uno

    provider = _context().ServiceManager.createInstanceWithContext(
        "com.sun.star.graphic.GraphicProvider", _context())
    graphic = provider.queryGraphic((_prop("URL", uno.systemPathToFileUrl(str(Path(path).resolve()))),))
    shape = doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
    sheet.DrawPage.add(shape)
    shape.Graphic = graphic
    shape.setSize(_size(width_mm, height_mm))
    shape.setPosition(_position(sheet, cell))


def _op_chart(doc, sheet, range, cell, name="Chart1", width_mm=120, height_mm=70, title=None):  # noqa: A002
    from com.sun.star.awt import Rectangle

    at = _position(sheet, cell)
    size = _size(width_mm, height_mm)
    sheet.Charts.addNewByName(name, Rectangle(at.X, at.Y, size.Width, size.Height),
                              (_range_address(sheet, range),), True, True)
    if title:
        chart = sheet.Charts.getByName(name).EmbeddedObject
        chart.HasMainTitle = True
        chart.Title.String = title


def _op_text_box(doc, sheet, cell, text, width_mm=80, height_mm=20):
    shape = doc.createInstance("com.sun.star.drawing.TextShape")
    sheet.DrawPage.add(shape)
    shape.setSize(_size(width_mm, height_mm))
    shape.setPosition(_position(sheet, cell))
    shape.setString(text)
    shape.FillStyle = uno_enum("com.sun.star.drawing.FillStyle", "SOLID")
    shape.FillColor = 0xFFF2CC
    shape.LineStyle = uno_enum("com.sun.star.drawing.LineStyle", "SOLID")


def uno_enum(type_name: str, value: str):
    import uno

    return uno.Enum(type_name, value)


def _op_conditional_format(doc, sheet, range, operator, value, value2=None, style="Good"):  # noqa: A002
    target = sheet.getCellRangeByName(range)
    rules = target.ConditionalFormat
    names = {"greater": "GREATER", "less": "LESS", "equal": "EQUAL", "between": "BETWEEN", "formula": "FORMULA"}
    entry = [_prop("Operator", uno_enum("com.sun.star.sheet.ConditionOperator", names[operator])),
             _prop("Formula1", str(value)), _prop("StyleName", style)]
    if value2 is not None:
        entry.append(_prop("Formula2", str(value2)))
    rules.addNew(tuple(entry))
    target.ConditionalFormat = rules


def _op_validation(doc, sheet, range, items):  # noqa: A002
    target = sheet.getCellRangeByName(range)
    rule = target.Validation
    rule.Type = uno_enum("com.sun.star.sheet.ValidationType", "LIST")
    rule.ShowList = 1
    rule.setFormula1(";".join('"' + i.replace('"', '""') + '"' for i in items))
    rule.ShowErrorMessage = True
    target.Validation = rule


def _lo_reference(refers_to: str) -> str:
    """Excel's "'Budget'!$A$1:$C$3" as LibreOffice's "$'Budget'.$A$1:$C$3" (its own syntax passes as is)."""
    if "!" not in refers_to:
        return refers_to
    sheet, ref = refers_to.lstrip("=").rsplit("!", 1)
    return f"${sheet}.{ref}"


def _op_defined_name(doc, sheet, name, refers_to):
    from com.sun.star.table import CellAddress

    doc.NamedRanges.addNewByName(name, _lo_reference(refers_to), CellAddress(0, 0, 0), 0)


def _op_macro(doc, sheet, module, code):
    """A Basic module in the document's Standard library (saved into a .xlsm's VBA project)."""
    libraries = doc.BasicLibraries
    if not libraries.hasByName("Standard"):
        libraries.createLibrary("Standard")
    library = libraries.getByName("Standard")
    if library.hasByName(module):
        library.replaceByName(module, code)
    else:
        library.insertByName(module, code)


def _op_group_rows(doc, sheet, first, last, collapse=False):
    from com.sun.star.table import CellRangeAddress
    from com.sun.star.table.TableOrientation import ROWS

    area = CellRangeAddress(sheet.RangeAddress.Sheet, 0, first - 1, 0, last - 1)
    sheet.group(area, ROWS)
    if collapse:
        sheet.hideDetail(area)


def _op_print_area(doc, sheet, range):  # noqa: A002
    sheet.setPrintAreas((_range_address(sheet, range),))


def _op_autofilter(doc, sheet, range):  # noqa: A002
    controller = doc.CurrentController
    controller.setActiveSheet(sheet)
    controller.select(sheet.getCellRangeByName(range))
    _dispatch(doc, ".uno:DataFilterAutoFilter")  # as the menu does: Data > AutoFilter


def _op_properties(doc, sheet, title=None, subject=None, author=None, keywords=None, description=None,
                   custom=None):
    props = doc.DocumentProperties
    for attr, value in (("Title", title), ("Subject", subject), ("Author", author), ("Description", description)):
        if value is not None:
            setattr(props, attr, value)
    if keywords is not None:
        props.Keywords = tuple(keywords) if isinstance(keywords, list) else (keywords,)
    user = props.UserDefinedProperties
    for name, value in (custom or {}).items():
        user.addProperty(name, 128, value)  # 128: REMOVABLE


def _dispatch(doc, command: str, *args):
    helper = _context().ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", _context())
    helper.executeDispatch(doc.CurrentController.Frame, command, "", 0, tuple(args))


_CONTEXT = []
_CURRENT = []  # the source being edited, for the error message
_AUTHOR = []


def _context():
    return _CONTEXT[0]


def _connect(pipe: str, deadline: float):
    import uno

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if time.monotonic() > deadline:
                raise TimeoutError("soffice did not accept a connection in time") from None
            time.sleep(0.3)


def _set_user(context, author: str) -> None:
    """The profile's user name: LibreOffice writes it as the author of comments."""
    given, _, family = author.partition(" ")
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context)
    data = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                (_prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    data.setPropertyValue("givenname", given)
    data.setPropertyValue("sn", family)
    data.commitChanges()


def _load(desktop, source: str | None):
    import uno

    hidden = (_prop("Hidden", True), _prop("MacroExecutionMode", 4))  # 4: ALWAYS_EXECUTE_NO_WARN
    url = uno.systemPathToFileUrl(source) if source else "private:factory/scalc"
    doc = desktop.loadComponentFromURL(url, "_blank", 0, hidden)
    if doc is None:
        raise RuntimeError(f"LibreOffice could not open {source}")
    return doc


def _perform(doc, ops: list[dict], deadline: float) -> list[object]:
    values = []
    for op in ops:
        arguments = dict(op)
        name = arguments.pop("op")
        sheet_name = arguments.pop("sheet", None)
        sheet = doc.Sheets.getByName(sheet_name) if sheet_name else doc.Sheets.getByIndex(0)
        function = globals().get(f"_op_{name}")
        if function is None:
            raise ValueError(f"unknown operation {name!r}")
        result = function(doc, sheet, **arguments)
        if name.startswith("get"):
            values.append(result)
        if time.monotonic() > deadline:
            raise TimeoutError("the edits took longer than the time allowed")
    return values


class _Session:
    """One soffice process (its own profile and pipe) and the connection to it."""

    def __init__(self, profile: Path, author: str, deadline: float):
        user = profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        pipe = f"mifkit_uno_{os.getpid()}_{time.monotonic_ns()}"
        self.process = subprocess.Popen(
            [shutil.which("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
             "--norestore", "--nologo", "--nodefault", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.desktop = None
        try:
            context = _connect(pipe, deadline)
            _CONTEXT[:] = [context]
            _set_user(context, author)
            _AUTHOR[:] = [author]
            self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except BaseException:
            self.close()
            raise

    def edit(self, task: dict, deadline: float) -> list[object]:
        import uno

        doc = _load(self.desktop, task["source"])
        try:
            values = _perform(doc, task["ops"], deadline)
            doc.calculateAll()
            out = Path(task["out"])
            doc.storeToURL(uno.systemPathToFileUrl(str(out)), (_prop("FilterName", FILTERS[out.suffix.lower()]),))
            return values
        finally:
            with contextlib.suppress(Exception):
                doc.close(True)

    def close(self) -> None:
        if self.desktop is not None:
            with contextlib.suppress(Exception):  # the bridge goes down with soffice: expected
                self.desktop.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _crashed(exc: Exception) -> bool:
    return type(exc).__name__.endswith("DisposedException")  # pyuno names it com.sun.star.lang.Disposed...


def _run_job(job: dict, profile: Path) -> list[list[object]]:
    """Every task in one soffice; if soffice crashes (LibreOffice 7.4 sometimes does on a later document
    of a session), a new one starts and does that task again, once."""
    deadline = time.monotonic() + job["timeout"]
    sessions = 1
    session = _Session(profile / "1", job["author"], deadline)
    results = []
    try:
        for task in job["tasks"]:
            _CURRENT[:] = [f"{task['source']} (to {Path(task['out']).name})"]
            try:
                results.append(session.edit(task, deadline))
            except Exception as exc:
                if not _crashed(exc):
                    raise
                session.close()
                sessions += 1
                session = _Session(profile / str(sessions), job["author"], deadline)
                results.append(session.edit(task, deadline))
        return results
    finally:
        session.close()


def _child() -> int:
    job = json.loads(sys.stdin.read())
    with tempfile.TemporaryDirectory(prefix="mifkit-uno-") as profile:
        try:
            values = _run_job(job, Path(profile))
        except Exception as exc:  # reported to the parent as one line
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}", "source": (_CURRENT or [None])[0]}))
            return 1
    print(json.dumps({"values": values}))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
