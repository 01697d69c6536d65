"""The Revisions sheet into the budget model's revisions.

The sheet is optional: a workbook without it has no revisions and its current budget is the approved
one.  Two tables are found by their titles in column A (the officer may insert rows above or between
them): the register of revisions (number, date, the Bank's approval reference, note; every row down
to the second title) and the revised lines (revision, Ref., item, a year amount per budget year, TOTAL,
one amount per source; every row to the end of the sheet).  Columns are found by their headers.

As for the other sheets, structure stops the reading (a table or a column header missing, with the cell
to look at) and data does not: a revision without a number or a date, a figure that is not a number,
a line given twice in one revision are kept in `RevisionsSheet.problems` for rule RV04, so one pass
reports everything.  A revised line gives the line's whole figures, an empty cell counting as 0; an
empty TOTAL is the sum of its years.
"""

from __future__ import annotations

from compiler.grid import Grid
from compiler.model import Revision, RevisionsSheet
from compiler.problems import WorkbookError
from compiler.read_budget import as_date, as_number, as_text, foot_labels, norm_label, ref_text
from workbook_templates import layout
from workbook_templates.structure import COUNTERPART_CASH, COUNTERPART_IN_KIND, COUNTERPART_SUBTOTAL, Structure

REGISTER_KEYS = ("revision", "date", "approval", "note")
# Spanish headers an officer may type over the English ones.
SPANISH = {"revision": ("revisión", "revision n°", "n°"), "date": ("fecha",),
           "approval": ("referencia de aprobación", "aprobación"), "note": ("nota",),
           "ref": ("ref",), "item": ("ítem", "rubro")}


def _address(row: int, col: int) -> str:
    return f"{layout.column_letter(col)}{row}"


def _title_row(grid: Grid, title: str) -> int | None:
    wanted = norm_label(title)
    return next((r for r in range(1, grid.n_rows + 1) if norm_label(grid.value(r, 1)) == wanted), None)


def _columns(grid: Grid, row: int, expected: tuple[tuple[str, str], ...], source: str) -> dict[str, int]:
    """key -> column of each expected header on `row` (any order); a missing one stops the reading."""
    found = {norm_label(grid.value(row, c)): c for c in range(1, grid.n_cols + 1) if as_text(grid.value(row, c))}
    columns = {}
    for key, header in expected:
        names = (norm_label(header), *SPANISH.get(key, ()))
        col = next((found[n] for n in names if n in found), None)
        if col is None:
            sheet = layout.REVISIONS_SHEET
            raise WorkbookError(f"{source}: {sheet}!{_address(row, 1)}: the header row has no column "
                                f"{header!r}; the columns have been renamed or deleted", sheet=sheet,
                                cell=_address(row, 1))
        columns[key] = col
    return columns


def read_revisions(grid: Grid, shape: Structure, source: str) -> tuple[list[Revision], RevisionsSheet]:
    """The revisions by number, and where the sheet keeps things (with the entries it could not use)."""
    sheet = layout.REVISIONS_SHEET
    info = RevisionsSheet()
    register = _title_row(grid, layout.REVISIONS_REGISTER_TITLE)
    lines_title = _title_row(grid, layout.REVISIONS_LINES_TITLE)
    for title, row in ((layout.REVISIONS_REGISTER_TITLE, register), (layout.REVISIONS_LINES_TITLE, lines_title)):
        if row is None:
            raise WorkbookError(f"{source}: sheet {sheet!r} has no table titled {title!r} in column A; mifkit reads "
                                "the budget's revisions from this sheet (rename the sheet if it holds something else)",
                                sheet=sheet)
    info.register_columns = _columns(grid, register + 1,
                                     tuple(zip(REGISTER_KEYS, layout.REVISIONS_REGISTER_HEADERS, strict=True)), source)
    info.register_first, info.lines_title, info.lines_first = register + 2, lines_title, lines_title + 2
    end = lines_title if lines_title > register else grid.n_rows + 1
    revisions = _register(grid, register + 2, end, info)
    info.line_columns = _columns(grid, lines_title + 1, layout.revision_line_columns(shape), source)
    _revised_lines(grid, lines_title + 2, shape, info, revisions)
    return sorted(revisions.values(), key=lambda r: r.number), info


def _register(grid: Grid, first: int, end: int, info: RevisionsSheet) -> dict[int, Revision]:
    """The register's rows from `first` to the row before `end` (the Revised lines title), blank rows skipped."""
    cols = info.register_columns
    revisions: dict[int, Revision] = {}
    for r in range(first, min(end, grid.n_rows + 1)):
        if not any(as_text(grid.value(r, cols[k])) for k in REGISTER_KEYS):
            continue
        raw_number, raw_date = grid.value(r, cols["revision"]), grid.value(r, cols["date"])
        number = as_number(raw_number)
        cell = _address(r, cols["revision"])
        if number is None or not number.is_integer() or number < 1:
            info.problems.append((cell, f"revision number {as_text(raw_number)!r} is not a whole number from 1 on; "
                                        "the revision is left out",
                                  f"el número de revisión {as_text(raw_number)!r} no es un entero desde 1; "
                                  "la revisión no se toma en cuenta"))
        elif int(number) in revisions:
            info.problems.append((cell, f"revision {int(number)} is registered twice; the second row is left out",
                                  f"la revisión {int(number)} figura dos veces; la segunda fila no se toma en cuenta"))
        else:
            day = as_date(raw_date)
            if day is None:
                info.problems.append((_address(r, cols["date"]),
                                      f"revision {int(number)} has no date ({as_text(raw_date) or 'empty'}): mifkit "
                                      "cannot tell from which period it applies, so it applies to none",
                                      f"la revisión {int(number)} no tiene fecha ({as_text(raw_date) or 'vacía'}): "
                                      "no se sabe desde qué período rige, así que no se aplica"))
            revisions[int(number)] = Revision(int(number), day, as_text(grid.value(r, cols["approval"])),
                                              as_text(grid.value(r, cols["note"])), r)
    return revisions


def _line_key(ref: str, item: str, labels: dict[str, tuple[str, str]]) -> str:
    """A Ref., or "contingencies" / an outside line's key when the row names it (by label or key)."""
    kind, key = labels.get(norm_label(ref or item), (None, ""))
    if kind == layout.CONTINGENCIES:
        return layout.CONTINGENCIES
    if kind == layout.OUTSIDE:
        return key
    return ref


def _revised_lines(grid: Grid, first: int, shape: Structure, info: RevisionsSheet,
                   revisions: dict[int, Revision]) -> None:
    cols = info.line_columns
    labels = foot_labels(shape)
    money = [k for k, _ in layout.revision_line_columns(shape)[3:]]
    years = [layout.year_keys(y)[2] for y in range(1, shape.years + 1)]
    for r in range(first, grid.n_rows + 1):
        if all(as_text(grid.value(r, c)) == "" for c in cols.values()):
            continue
        raw_number = grid.value(r, cols["revision"])
        number = as_number(raw_number)
        ref, item = ref_text(grid.value(r, cols["ref"])), as_text(grid.value(r, cols["item"]))
        key = _line_key(ref, item, labels)
        cell = _address(r, cols["revision"])
        revision = revisions.get(int(number)) if number is not None and number.is_integer() else None
        if revision is None:
            info.problems.append((cell, f"revised line {key or item!r} belongs to revision {as_text(raw_number)!r}, "
                                        "which the register does not list; the row is left out",
                                  f"la línea revisada {key or item!r} es de la revisión {as_text(raw_number)!r}, que "
                                  "el registro no tiene; la fila no se toma en cuenta"))
            continue
        if not key:
            info.problems.append((_address(r, cols["ref"]), "a revised line without a Ref.; the row is left out",
                                  "una línea revisada sin Ref.; la fila no se toma en cuenta"))
            continue
        if key in revision.lines:
            info.problems.append((_address(r, cols["ref"]),
                                  f"revision {revision.number} gives line {key} twice (rows {revision.rows[key]} "
                                  f"and {r}); the second row is left out",
                                  f"la revisión {revision.number} da la línea {key} dos veces (filas "
                                  f"{revision.rows[key]} y {r}); la segunda fila no se toma en cuenta"))
            continue
        figures: dict[str, float] = {}
        for k in money:
            raw = grid.value(r, cols[k])
            value = as_number(raw)
            if value is None and as_text(raw):
                info.problems.append((_address(r, cols[k]), f"{as_text(raw)!r} is not a number; read as 0",
                                      f"{as_text(raw)!r} no es un número; se lee como 0"))
            figures[k] = value or 0.0
            revision.cells[(key, k)] = _address(r, cols[k])
        if as_text(grid.value(r, cols["total"])) == "":
            figures["total"] = sum(figures[y] for y in years)
        if shape.has_counterpart:
            figures[COUNTERPART_SUBTOTAL] = figures[COUNTERPART_CASH] + figures[COUNTERPART_IN_KIND]
        revision.lines[key] = figures
        revision.rows[key] = r
