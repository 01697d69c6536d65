"""Writing marks into the open workbook, and taking them away again.

Rules this module keeps, because the workbook is the officer's:
- no figure, formula or text of the officer's sheets is ever changed: mifkit changes only the fill
  of cells with findings, adds notes only to cells that have none, and owns two sheets: `Findings`
  (only if its A1 names mifkit: a Findings sheet of the officer's is never replaced) and the
  hidden `_mifkit_marks`, the record Clear marks reads;
- a cell is coloured only when its fill before is recorded, so Clear marks can put it back; where
  Excel cannot tell a cell's fill (Excel on the web), the record holds the fill the budget template
  gives that cell (`addin.template_fill`) and says so;
- a note the officer wrote is never replaced or deleted;
- each marked cell is followed by a defined name (`addin.marks`), so Clear marks finds it wherever
  rows, columns or sheet names have moved it; Clear takes back only what is still mifkit's: a cell
  she recoloured since keeps her colour, a note of mifkit's she wrote into keeps her words (where the
  host can tell: desktop Excel can; Excel on the web cannot read a fill or a note's text, see
  `HostReadings`); a name whose cell was deleted leaves nothing to undo; when every name is missing,
  the record cannot be trusted: Clear says so and changes nothing;
- the template's sheets are protected without a password; desktop Excel refuses formatting on a
  protected sheet, so mifkit lifts that protection while it marks and restores it, with the same
  options, straight after.  A sheet protected with a password is left untouched (its findings are
  still listed).

Objects come from xlwings, but this module does not import it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

from addin.marks import (
    CELL,
    FINDINGS_HEADER_ROW,
    FINDINGS_SHEET,
    NO_FILL,
    RECORD_SHEET,
    TEMPLATE,
    CellMark,
    MarkRecord,
    RecordUnreadable,
    cell_marks,
    findings_rows,
    is_mifkits_findings,
    mark_name,
    name_reference,
    note_fingerprint,
    read_record,
    record_rows,
    referred_cell,
)
from compiler.findings import Report

UNKNOWN = object()  # a fill the host cannot read

# Options of Worksheet.Protect (desktop Excel) that mifkit reads before unprotecting and puts back.
PROTECTION_OPTIONS = (
    "AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows", "AllowInsertingColumns",
    "AllowInsertingRows", "AllowInsertingHyperlinks", "AllowDeletingColumns", "AllowDeletingRows",
    "AllowSorting", "AllowFiltering", "AllowUsingPivotTables",
)


def fill_as_text(color: object) -> str:
    """A fill as xlwings reads it ((r, g, b), None for none) as the record keeps it: "#RRGGBB" / "none"."""
    if color is None:
        return NO_FILL
    if isinstance(color, str):
        return color.upper() if color.startswith("#") else f"#{color.upper()}"
    red, green, blue = color
    return f"#{red:02X}{green:02X}{blue:02X}"


def read_fills(book, cells: Iterable[tuple[str, str]]) -> dict[tuple[str, str], object]:
    """The current fill of each (sheet, cell), or UNKNOWN where the host cannot read fills."""
    fills = {}
    for sheet, cell in cells:
        try:
            fills[(sheet, cell)] = fill_as_text(book.sheets[sheet][cell].color)
        except NotImplementedError:
            fills[(sheet, cell)] = UNKNOWN
    return fills


@contextlib.contextmanager
def editable(sheet) -> Iterator[bool]:
    """Lift a password-less protection while mifkit marks the sheet; yields False if it cannot."""
    api = sheet.api
    if not hasattr(api, "ProtectContents") or not api.ProtectContents:
        yield True  # not protected, or a host (Excel on the web) that has no such setting to lift
        return
    options = {name: bool(getattr(api.Protection, name)) for name in PROTECTION_OPTIONS}
    drawing, scenarios = bool(api.ProtectDrawingObjects), bool(api.ProtectScenarios)
    try:
        api.Unprotect("")
    except Exception:  # protected with a password: leave the sheet as it is
        yield False
        return
    try:
        yield True
    finally:
        api.Protect("", drawing, True, scenarios, False, **options)


def _has_note(rng) -> bool:
    try:
        return rng.note is not None
    except NotImplementedError:
        return True  # a host that cannot tell: assume there is one rather than risk the officer's note


def mark_cells(book, marks: list[CellMark], fills: dict[tuple[str, str], object],
               from_template: frozenset = frozenset()) -> list[MarkRecord]:
    """Colour and annotate each marked cell, name it; return what was done, cell by cell."""
    records = []
    present = {s.name for s in book.sheets}
    by_sheet: dict[str, list[CellMark]] = {}
    for mark in marks:
        if mark.sheet in present:
            by_sheet.setdefault(mark.sheet, []).append(mark)
    for name, sheet_marks in by_sheet.items():
        sheet = book.sheets[name]
        with editable(sheet) as can_edit:
            if not can_edit:
                continue
            for mark in sheet_marks:
                rng = sheet[mark.cell]
                before = fills.get((mark.sheet, mark.cell), UNKNOWN)
                if before is not UNKNOWN:
                    rng.color = mark.fill
                noted = not _has_note(rng)
                if noted:
                    rng.add_note(mark.note)
                label = mark_name(len(records) + 1)
                book.names.add(label, name_reference(mark.sheet, mark.cell))
                source = TEMPLATE if (mark.sheet, mark.cell) in from_template else CELL
                records.append(MarkRecord(mark.sheet, mark.cell, "" if before is UNKNOWN else before, noted, source,
                                          label, "" if before is UNKNOWN else mark.fill,
                                          note_fingerprint(mark.note) if noted else ""))
    return records


def _add_sheet(book, name: str, rows: list[list[object]]):
    """A new last sheet holding `rows` from A1."""
    sheet = book.sheets.add(name, after=book.sheets[len(book.sheets) - 1])
    sheet.range((1, 1)).value = rows
    return sheet


def write_findings_sheet(book, rows: list[list[object]]) -> None:
    """The Findings sheet: the list of findings, title in bold, columns fitted to the list."""
    sheet = _add_sheet(book, FINDINGS_SHEET, rows)
    with contextlib.suppress(NotImplementedError):
        sheet.range((1, 1)).font.bold = True
        sheet.range((FINDINGS_HEADER_ROW, 1), (FINDINGS_HEADER_ROW, len(rows[0]))).font.bold = True
    with contextlib.suppress(NotImplementedError, AttributeError):  # fit the list, not the long title lines
        sheet.range((FINDINGS_HEADER_ROW, 1), (len(rows), len(rows[0]))).columns.autofit()


def write_record_sheet(book, rows: list[list[object]]) -> None:
    """The hidden record of marked cells (hidden, not very hidden: an auditor can unhide it)."""
    _add_sheet(book, RECORD_SHEET, rows).visible = False


def _values(sheet) -> list[list[object]]:
    """A sheet's values from A1 to the end of its used range, in one read."""
    used = sheet.used_range
    last = (used.row + used.shape[0] - 1, used.column + used.shape[1] - 1)
    return sheet.range((1, 1), last).options(ndim=2).value


class NotOurs(ValueError):
    """A sheet named Findings that mifkit did not write: it is the officer's, never replaced."""


def own_findings_sheet(book) -> bool:
    """Whether the workbook has a Findings sheet, checking that it is mifkit's (raises NotOurs if not)."""
    if FINDINGS_SHEET not in {s.name for s in book.sheets}:
        return False
    if not is_mifkits_findings(book.sheets[FINDINGS_SHEET].range("A1").value):
        raise NotOurs(FINDINGS_SHEET)
    return True


@contextlib.contextmanager
def screen_paused(book) -> Iterator[None]:
    """Desktop Excel redraws after every cell change; pause it while mifkit marks (no-op elsewhere)."""
    try:
        app = book.app
        before = app.screen_updating
        app.screen_updating = False
    except (NotImplementedError, AttributeError):
        yield
        return
    try:
        yield
    finally:
        app.screen_updating = before


def show_report(book, report: Report, lang: str, when, fills: dict | None = None,
                scope: str = "all", template: Callable[[str, str], str] | None = None) -> list[MarkRecord]:
    """Take away the previous marks, mark every cell with findings, and write the Findings sheet.

    `fills` gives the cells' current fills where the caller already knows them; by default they
    are read from Excel.  Where Excel cannot tell a cell's fill, `template(sheet, cell)` gives the
    fill the budget template gives it, recorded as the one to put back (without it, such a cell
    gets its note but no colour).
    """
    with screen_paused(book):
        clear_marks(book)
        marks = cell_marks(report, lang)
        if fills is None:
            fills = read_fills(book, [(m.sheet, m.cell) for m in marks])
        unknown = frozenset(k for k, v in fills.items() if v is UNKNOWN) if template else frozenset()
        fills = {**fills, **{k: template(*k) for k in unknown}}
        records = mark_cells(book, marks, fills, unknown)
        write_findings_sheet(book, findings_rows(report, lang, book.name, when, scope))
        write_record_sheet(book, record_rows(records, lang))
        with contextlib.suppress(NotImplementedError, AttributeError):
            book.sheets[FINDINGS_SHEET].activate()
    return records


class HostReadings:
    """What the host can tell of a cell now: its fill and the text of its note, or UNKNOWN.

    Desktop Excel tells both.  Excel on the web (Office.js, the sync API xlwings uses there) tells
    neither: there Clear marks cannot see that the officer recoloured a marked cell or wrote into
    mifkit's note, and takes back its colour and its note as it recorded them.  A host that can read
    them another way (xlwings Lite's `await rng.get_color()`) passes a reading of its own.
    """

    def __init__(self, book):
        self.book = book

    def fill(self, sheet: str, cell: str) -> object:
        try:
            return fill_as_text(self.book.sheets[sheet][cell].color)
        except NotImplementedError:
            return UNKNOWN

    def note(self, sheet: str, cell: str) -> object:
        """The note's text, None when the cell has none, UNKNOWN when the host cannot read it."""
        rng = self.book.sheets[sheet][cell]
        if _note_missing(rng):
            return None
        try:
            return str(rng.note.text)
        except (NotImplementedError, AttributeError):
            return UNKNOWN


def _names(book) -> dict[str, object]:
    out = {}
    with contextlib.suppress(NotImplementedError, AttributeError):
        for name in book.names:
            out[name.name] = name
    return out


Located = list[tuple[MarkRecord, tuple[str, str] | None]]


def locate(book, records: list[MarkRecord]) -> tuple[dict[str, object], Located]:
    """Where each marked cell is now, by its defined name (None: the officer deleted the cell).

    Raises RecordUnreadable when every name is missing: the record cannot then be trusted."""
    names = _names(book)
    if records and not any(record.name in names for record in records):
        raise RecordUnreadable(f"the names that follow the marked cells ({records[0].name}...) are missing")
    # One name missing: its cell was deleted (Excel on the web does not list a name whose cell is gone).
    located = [(record, referred_cell(names[record.name].refers_to) if record.name in names else None)
               for record in records]
    return names, located


def clear_marks(book, readings: HostReadings | None = None) -> list[MarkRecord]:
    """Take back the fills and notes mifkit added that are still as it left them, its names and its two
    sheets; a cell is found by its name, wherever it has moved.

    Raises NotOurs when a Findings sheet is not mifkit's, RecordUnreadable when the record was
    edited or a name is missing; in both cases before anything is changed.
    """
    readings = readings or HostReadings(book)
    sheets = {s.name for s in book.sheets}
    findings = own_findings_sheet(book)
    records = read_record(_values(book.sheets[RECORD_SHEET])) if RECORD_SHEET in sheets else []
    names, located = locate(book, records)
    by_sheet: dict[str, list[tuple[MarkRecord, str]]] = {}
    for record, where in located:
        if where is not None and where[0] in sheets:
            by_sheet.setdefault(where[0], []).append((record, where[1]))
    for name, cells in by_sheet.items():
        target = book.sheets[name]
        with editable(target) as can_edit:
            if can_edit:
                for record, cell in cells:
                    _unmark(target[cell], record, readings.fill(name, cell), readings.note(name, cell))
    for record in records:
        if record.name in names:
            names[record.name].delete()
    if RECORD_SHEET in sheets:
        book.sheets[RECORD_SHEET].delete()
    if findings:
        book.sheets[FINDINGS_SHEET].delete()
    return records


def _unmark(rng, record: MarkRecord, fill_now: object, note_now: object) -> None:
    """Put back the fill if the cell still has mifkit's; delete mifkit's note if still as written."""
    still_ours = fill_now is UNKNOWN or not record.fill_set or fill_now == record.fill_set
    if record.fill_before and still_ours:
        rng.color = None if record.fill_before == NO_FILL else record.fill_before
    if record.note_added and note_now is not None and _note_unchanged(note_now, record):
        rng.note.delete()


def _note_unchanged(note_now: object, record: MarkRecord) -> bool:
    if note_now is UNKNOWN:
        return True  # a host that cannot read notes (see HostReadings)
    return note_fingerprint(note_now) == record.note


def _note_missing(rng) -> bool:
    try:
        return rng.note is None
    except NotImplementedError:
        return True


__all__ = ["HostReadings", "NotOurs", "RecordUnreadable", "UNKNOWN", "clear_marks", "read_fills", "show_report"]
