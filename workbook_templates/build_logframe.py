"""Write a logframe workbook (Logframe, Activities, Progress, Narrative, Risks, Audits, Closing) from a
`LogframeSpec`.

Like the budget builder: XlsxWriter, input cells unlocked and yellow with data validation, the sheets
protected without a password (Review › Unprotect Sheet), A4 landscape with the header row repeated.
Progress gets a row per semester and indicator or activity when the logframe is known (the example),
so the officer only fills values; the blank template offers empty rows to fill with semester and code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from compiler import periods
from workbook_templates import logframe_layout as lf
from workbook_templates.logframe_spec import ComponentSpec, LogframeSpec

INPUT_FILL = "#FFF7D6"
HEADER_FILL = "#D9D9D9"
HEADING_FILL = "#DCE6F1"
NOTE_COLOR = "#9C0006"
LETTERS = "abcdefghijklmnopqrstuvwxyz"


class _Styles:
    def __init__(self, workbook):
        self.workbook, self.cache = workbook, {}

    def __call__(self, **props):
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {"font_name": "Arial", "font_size": 9, "valign": "top", "border": 1, "border_color": "#BFBFBF"}
            self.cache[key] = self.workbook.add_format({**base, **props})
        return self.cache[key]


def write_logframe(spec: LogframeSpec, path: str | Path) -> None:
    """Write `spec` to `path` (the caller handles atomic replacement)."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    workbook.set_properties({"title": f"Logical framework {spec.project_number}".strip(),
                             "comments": f"Built by mifkit ({lf.LOGFRAME_TEMPLATE_VERSION})"})
    styles = _Styles(workbook)
    _logframe_sheet(workbook, styles, spec)
    _activities_sheet(workbook, styles, spec)
    _progress_sheet(workbook, styles, spec)
    _narrative_sheet(workbook, styles, spec)
    _risks_sheet(workbook, styles, spec)
    _audits_sheet(workbook, styles, spec)
    _closing_sheet(workbook, styles, spec)
    workbook.close()


def _start(workbook, styles, sheet: str, title: str, subtitle: str, note: str = ""):
    ws = workbook.add_worksheet(sheet)
    columns = lf.COLUMNS[sheet]
    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width)
    plain = {"border": 0}
    ws.write(lf.TITLE_ROW - 1, 0, title, styles(bold=True, font_size=12, **plain))
    ws.write(lf.SUBTITLE_ROW - 1, 0, subtitle, styles(italic=True, **plain))
    if note:
        ws.write(lf.SUBTITLE_ROW, 0, note, styles(italic=True, font_color=NOTE_COLOR, **plain))
    head = styles(bold=True, bg_color=HEADER_FILL, align="center", valign="vcenter", text_wrap=True)
    for i, c in enumerate(columns):
        ws.write(lf.HEADER_ROW - 1, i, c.header, head)
    ws.set_row(lf.HEADER_ROW - 1, 26)
    ws.freeze_panes(lf.HEADER_ROW, 0)
    return ws


def _finish(ws, last_row: int, columns: int) -> None:
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&L&F — &A&RPage &P of &N")
    ws.repeat_rows(lf.HEADER_ROW - 1)
    ws.print_area(0, 0, max(last_row, lf.HEADER_ROW) - 1, columns - 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "insert_rows": True, "delete_rows": True,
                    "autofilter": True, "sort": True, "select_locked_cells": True, "select_unlocked_cells": True})


def _put(ws, row: int, col: int, value, fmt) -> None:
    if value is None or value == "":
        ws.write_blank(row - 1, col - 1, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row - 1, col - 1, value, fmt)
    else:
        ws.write_string(row - 1, col - 1, str(value), fmt)


def _fit_row(ws, row: int, columns: tuple[lf.Col, ...], values: dict) -> None:
    """Set the row's height for its longest wrapped text: not every program fits rows by itself."""
    lines = 1
    for c in columns:
        text = values.get(c.key)
        if c.wrap and isinstance(text, str) and text:
            per_line = max(int(c.width * 1.7), 1)  # Arial 9 fits about 1.7 characters per width unit
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in text.split("\n")))
    if lines > 1:
        ws.set_row(row - 1, min(11.5 * lines + 2, 409))


def _input(styles, c: lf.Col, **extra):
    fmt = {"money": "#,##0", "int": "0"}.get(c.kind, "@" if c.kind == "text" else "General")
    if c.kind == "int":
        extra.setdefault("align", "center")
    return styles(bg_color=INPUT_FILL, locked=False, text_wrap=c.wrap, num_format=fmt, **extra)


def _whole_number(minimum: int, maximum: int) -> dict:
    return {"validate": "integer", "criteria": "between", "minimum": minimum, "maximum": maximum,
            "error_title": "Not valid / No válido",
            "error_message": f"A whole number from {minimum} to {maximum}. / "
                             f"Un número entero de {minimum} a {maximum}."}


def _choice(options) -> dict:
    return {"validate": "list", "source": list(options)}


def _logframe_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.LOGFRAME_SHEET
    ws = _start(workbook, styles, sheet, f"Logical framework: {spec.title}".rstrip(": "),
                f"{spec.project_number}  ·  one row per objective or indicator; milestone = project month "
                "counted from the first disbursement; the Spanish columns feed the Spanish report (the English "
                "text where empty)".lstrip(" ·"), spec.translation_note)
    columns = lf.LOGFRAME_COLUMNS
    row = lf.FIRST_ROW
    for data in spec.rows:
        objective = data.get("kind") == lf.OBJECTIVE
        for i, c in enumerate(columns, start=1):
            extra = {"bold": True} if objective and data.get("text") else {}
            _put(ws, row, i, data.get(c.key), _input(styles, c, **extra))
        _fit_row(ws, row, columns, data)
        row += 1
    last = row - 1
    if last >= lf.FIRST_ROW:
        first = lf.FIRST_ROW - 1
        ws.data_validation(first, lf.col_number(sheet, "level") - 1, last - 1, lf.col_number(sheet, "level") - 1,
                           _choice(lf.LEVELS))
        ws.data_validation(first, lf.col_number(sheet, "kind") - 1, last - 1, lf.col_number(sheet, "kind") - 1,
                           _choice(lf.KINDS))
        ws.data_validation(first, lf.col_number(sheet, "component") - 1, last - 1,
                           lf.col_number(sheet, "component") - 1, _whole_number(1, 20))
        col = lf.col_number(sheet, "milestone_month") - 1
        ws.data_validation(first, col, last - 1, col, _whole_number(1, 240))
    _finish(ws, last, len(columns))


def _activities_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.ACTIVITIES_SHEET
    means = f"Means of verification (all activities): {spec.activity_means}" if spec.activity_means else \
        "Per component: a heading row with the MIF and counterpart amounts the logframe states, then its activities."
    assumptions = f"Assumptions: {spec.activity_assumptions}" if spec.activity_assumptions else ""
    if spec.activity_means_es:
        means += f"  /  Medios de verificación (todas las actividades): {spec.activity_means_es}"
    if spec.activity_assumptions_es:
        assumptions += f"  /  Supuestos: {spec.activity_assumptions_es}"
    ws = _start(workbook, styles, sheet, "Activities of each component, and the amounts the logframe states",
                means, assumptions)
    columns = lf.ACTIVITY_COLUMNS
    row = lf.FIRST_ROW
    amount_rows = []
    for comp in spec.components:
        row = _component_block(ws, styles, comp, row, amount_rows)
    last = row - 1
    for r in amount_rows:
        for key in ("donor", "counterpart"):
            col = lf.col_number(sheet, key) - 1
            ws.data_validation(r - 1, col, r - 1, col, {"validate": "decimal", "criteria": ">=", "value": 0,
                                                        "error_title": "Not an amount / No es un monto",
                                                        "error_message": "A number ≥ 0. / Un número ≥ 0."})
    _finish(ws, last, len(columns))


def _component_block(ws, styles, comp: ComponentSpec, row: int, amount_rows: list[int]) -> int:
    columns = lf.ACTIVITY_COLUMNS
    heading = {"component": comp.number, "letter": "",
               "text": f"Component {comp.number}: {comp.name}" if comp.name else f"Component {comp.number}",
               "text_es": f"Componente {comp.number}: {comp.name_es}" if comp.name_es else "",
               "donor": comp.donor, "counterpart": comp.counterpart}
    for i, c in enumerate(columns, start=1):
        editable = c.key in ("text", "text_es", "donor", "counterpart")
        fmt = _input(styles, c, bold=True) if editable else styles(bold=True, bg_color=HEADING_FILL, num_format="0")
        _put(ws, row, i, heading[c.key], fmt)
    amount_rows.append(row)
    row += 1
    for k, text in enumerate(comp.activities):
        values = {"component": comp.number, "letter": LETTERS[k], "text": text, "text_es": comp.activity_es(k)}
        for i, c in enumerate(columns, start=1):
            if c.key in ("donor", "counterpart"):
                _put(ws, row, i, None, styles(bg_color="#F2F2F2"))
            else:
                _put(ws, row, i, values[c.key], _input(styles, c) if c.kind == "text" else styles(num_format="0"))
        _fit_row(ws, row, columns, values)
        row += 1
    return row


def _period_name(spec: LogframeSpec, semester: int) -> str:
    return periods.semester_label(semester, spec.first_disbursement)


def _progress_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.PROGRESS_SHEET
    ws = _start(workbook, styles, sheet, "Progress per semester: indicators and activities",
                "Actual value, status and comment for each indicator and activity, semester by semester "
                "(activities are coded component.letter, e.g. 2.a).", spec.note)
    columns = lf.PROGRESS_COLUMNS
    row = lf.FIRST_ROW
    label = styles(text_wrap=True)
    centered = styles(align="center")
    if spec.blank:
        entries = [(None, None, "", "", "")] * lf.BLANK_PROGRESS_ROWS
    else:
        entries = [(s, code, text, target, milestone) for s in range(1, spec.semesters + 1)
                   for code, text, target, milestone in spec.codes()]
    for semester, code, text, target, milestone in entries:
        values = {"period": semester, "code": code, "label": text, "target": target, "milestone": milestone,
                  **spec.progress.get((semester, code), {})}
        for i, c in enumerate(columns, start=1):
            editable = c.kind != "label" and (spec.blank or c.key not in ("period", "code"))
            fmt = _input(styles, c) if editable else (centered if c.kind == "int" else label)
            _put(ws, row, i, values.get(c.key), fmt)
        _fit_row(ws, row, columns, values)
        row += 1
    last = row - 1
    first = lf.FIRST_ROW - 1
    col = lf.col_number(sheet, "status") - 1
    ws.data_validation(first, col, last - 1, col, _choice((*lf.INDICATOR_STATUSES, *lf.ACTIVITY_STATUSES)))
    col = lf.col_number(sheet, "period") - 1
    ws.data_validation(first, col, last - 1, col, _whole_number(1, max(spec.semesters, 1)))
    ws.autofilter(lf.HEADER_ROW - 1, 0, last - 1, len(columns) - 1)
    _finish(ws, last, len(columns))


def _narrative_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.NARRATIVE_SHEET
    ws = _start(workbook, styles, sheet, "Narrative per semester, for the progress reports",
                "Paragraphs 5.1 and 5.2 of the project document: achievements, problems and the action taken, "
                "administrative matters, follow-up on the strategy councils' decisions; the work plan for the next "
                "semester; environmental and occupational-safety compliance (paragraphs 5.4(v), 7.1); lessons "
                "learned.", spec.note)
    columns = lf.NARRATIVE_COLUMNS
    label = styles(text_wrap=True)
    for semester in range(1, spec.semesters + 1):
        row = lf.FIRST_ROW + semester - 1
        values = {"period": semester, "period_name": _period_name(spec, semester).split(": ", 1)[-1],
                  **spec.narrative.get(semester, {})}
        for i, c in enumerate(columns, start=1):
            _put(ws, row, i, values.get(c.key), _input(styles, c) if c.kind == "text" else label)
        ws.set_row(row - 1, 30)
        _fit_row(ws, row, columns, values)
    _finish(ws, lf.FIRST_ROW + spec.semesters - 1, len(columns))


def _rows(ws, styles, sheet: str, entries: list[dict], editable) -> int:
    """Write `entries` (values by column key) from the first row; `editable(key)` says which cells are inputs.
    Returns the last row written."""
    columns = lf.COLUMNS[sheet]
    label = styles(text_wrap=True)
    row = lf.FIRST_ROW
    for values in entries:
        for i, c in enumerate(columns, start=1):
            _put(ws, row, i, values.get(c.key), _input(styles, c) if editable(c) else label)
        _fit_row(ws, row, columns, values)
        row += 1
    return row - 1


def _risks_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.RISKS_SHEET
    ws = _start(workbook, styles, sheet, "Risks per semester (paragraph 6.3), for the progress reports",
                "One row per semester and risk: rating High, Medium or Low; status Active, Mitigated, Materialized "
                "or Closed. The report shows each risk as last reviewed by the report's semester.",
                spec.note if spec.risks else "")
    entries = spec.risks or [{}] * lf.BLANK_RISK_ROWS
    last = _rows(ws, styles, sheet, entries, lambda c: c.kind != "label")
    first = lf.FIRST_ROW - 1
    for key, options in (("rating", lf.RISK_RATINGS), ("status", lf.RISK_STATUSES)):
        col = lf.col_number(sheet, key) - 1
        ws.data_validation(first, col, last - 1, col, _choice(options))
    col = lf.col_number(sheet, "period") - 1
    ws.data_validation(first, col, last - 1, col, _whole_number(1, max(spec.semesters, 1)))
    ws.autofilter(lf.HEADER_ROW - 1, 0, last - 1, len(lf.RISK_COLUMNS) - 1)
    _finish(ws, last, len(lf.RISK_COLUMNS))


def _audits_sheet(workbook, styles, spec: LogframeSpec) -> None:
    """One row per external audit; the period audited and the due date are written when the first-disbursement
    date is known (mifkit computes them again when it reads, from the budget's Project sheet)."""
    sheet = lf.AUDITS_SHEET
    ws = _start(workbook, styles, sheet, "External audits: when each audited statement reached the Bank",
                f"One audit per year of disbursements from the first disbursement, the last to the end of the "
                f"disbursement period; due {periods.AUDIT_DUE_DAYS} days after the period audited (the Bank's "
                "usual term; the project document sets none). Enter the date the Bank received it and the opinion.",
                "Illustrative: the approved document schedules no audits." if spec.audits else "")
    years = (periods.audit_years(spec.first_disbursement, spec.disbursement_months) if spec.first_disbursement
             else [None] * -(-spec.disbursement_months // 12))
    entries = []
    for n, year in enumerate(years, start=1):
        entry = {"number": n, **spec.audits.get(n, {})}
        if year is not None:
            entry |= {"covers": year.span(), "due": periods.format_date(year.due)}
        entries.append(entry)
    date_input = styles(bg_color=INPUT_FILL, locked=False, num_format="d mmm yyyy", align="center")
    last = _rows(ws, styles, sheet, entries, lambda c: c.kind in ("text", "int"))
    col = lf.col_number(sheet, "delivered") - 1
    for row, entry in enumerate(entries, start=lf.FIRST_ROW):
        delivered = entry.get("delivered")
        if delivered:
            ws.write_datetime(row - 1, col, dt.datetime.combine(delivered, dt.time()), date_input)
        else:
            ws.write_blank(row - 1, col, None, date_input)
    ws.data_validation(lf.FIRST_ROW - 1, col, last - 1, col,
                       {"validate": "date", "criteria": ">", "value": dt.date(1990, 1, 1),
                        "error_title": "Not a date / No es una fecha",
                        "error_message": "A date. / Una fecha."})
    _finish(ws, last, len(lf.AUDIT_COLUMNS))


def _closing_sheet(workbook, styles, spec: LogframeSpec) -> None:
    sheet = lf.CLOSING_SHEET
    ws = _start(workbook, styles, sheet, "End-of-project assessment, for the final report",
                "Sustainability of the project's activities, the beneficiaries' satisfaction (paragraph 5.4, second "
                "evaluation) and how the revolving-fund advance still outstanding is settled.",
                "Illustrative: written ahead of the project's close." if spec.closing else "")
    entries = [{"topic": en, **spec.closing.get(key, {})} for key, en, _es in lf.CLOSING_TOPICS]
    last = _rows(ws, styles, sheet, entries, lambda c: c.kind == "text")
    for row in range(lf.FIRST_ROW, last + 1):
        ws.set_row(row - 1, 90)
    _finish(ws, last, len(lf.CLOSING_COLUMNS))
