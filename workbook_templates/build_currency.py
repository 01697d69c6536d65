"""The budget workbook's local-currency sheets: Local spending (a ledger of entries) and Rates.

Local spending has one row per entry: date, Ref. of the budget line, source (as the Execution sheet
names it), currency code, amount, the rate where the agreement converts at a rate per entry, and a
description or voucher number.  The officer keeps it as she keeps her books: one row per line,
period and source (dated within the period), or one row per payment.  mifkit converts each entry
into the project currency and counts it in the line's execution for the period its date falls in.

Rates has one row per month of the disbursement period (the month written when the file is made,
from the first-disbursement date) and the month's rate.  Rates are local-currency units per one unit
of the project currency (3.35 PEN per USD), the way banks in the region quote them.
"""

from __future__ import annotations

import datetime as dt

from compiler import periods
from workbook_templates import layout
from workbook_templates.build_execution import HEADER_FILL, INPUT_FILL, NOTE_COLOR, _page_setup, _protect
from workbook_templates.spec import BudgetSpec

RATE_VALIDATION = {"validate": "decimal", "criteria": ">", "value": 0,
                   "input_title": "Rate / Tipo de cambio",
                   "input_message": "Local currency per 1 unit of the project currency (3.35).\n"
                                    "Moneda local por 1 unidad de la moneda del proyecto (3,35).",
                   "error_title": "Not a rate / No es una tasa",
                   "error_message": "Type a number above 0. / Escriba un número mayor que 0."}
DATE_VALIDATION = {"validate": "date", "criteria": ">", "value": dt.datetime(1990, 1, 1),
                   "input_title": "Date / Fecha", "input_message": "The date of the payment (2025-03-15).\n"
                                                                   "La fecha del pago (2025-03-15).",
                   "error_title": "Not a date / No es una fecha",
                   "error_message": "Type a date such as 2025-03-15. / Escriba una fecha como 2025-03-15."}


def _currencies(spec: BudgetSpec) -> tuple[str, str]:
    project = str(spec.project.get("currency") or "USD")
    return project, spec.structure.local_currency


def write_local_sheet(workbook, styles, spec: BudgetSpec, protect: bool) -> None:
    ws = workbook.add_worksheet(layout.LOCAL_SHEET)
    shape = spec.structure
    project_currency, local = _currencies(spec)
    for i, c in enumerate(layout.LOCAL_COLUMNS):
        ws.set_column(i, i, c.width)
    ws.write(0, 0, f"Local spending: amounts paid in {local or 'the local currency'}, converted into "
             f"{project_currency} by mifkit", styles(bold=True, font_size=12))
    rule = shape.conversion_rule
    how = {"disbursement": "at the rate of the latest disbursement received (Disbursements sheet)",
           "monthly": "at the month's rate on the Rates sheet",
           "entry": "at the rate typed on each entry (column Rate)"}[rule]
    ws.write(1, 0, f"One row per payment, or per line, period and source dated within the period. Converted {how}; "
             f"rates are {local or 'local currency'} per 1 {project_currency}. Spending paid in {project_currency} "
             "goes on the Execution sheet.", styles(italic=True))
    if spec.execution_note:
        ws.write(2, 0, spec.execution_note, styles(italic=True, font_color=NOTE_COLOR))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter", text_wrap=True)
    for i, c in enumerate(layout.LOCAL_COLUMNS):
        ws.write(layout.LOCAL_HEADER_ROW - 1, i, c.header, head)
    border = {"border": 1, "border_color": "#BFBFBF", "bg_color": INPUT_FILL, "locked": False}
    formats = {"date": styles(num_format=layout.DATE_FORMAT, **border), "text": styles(**border),
               "money": styles(num_format='#,##0.00;-#,##0.00;"-"', **border),
               "rate": styles(num_format=layout.RATE_FORMAT, **border)}
    entries = list(spec.local_spending)
    count = max(layout.LOCAL_INPUT_ROWS, len(entries) + 20)
    names = {s: layout.execution_source_header(shape, s) for s in shape.sources}
    for i in range(count):
        row = layout.LOCAL_FIRST_ROW - 1 + i
        entry = entries[i] if i < len(entries) else {}
        for col, c in enumerate(layout.LOCAL_COLUMNS):
            value = entry.get(c.key)
            if c.key == "source" and value in names:
                value = names[value]
            fmt = formats[c.kind]
            if value is None or value == "":
                ws.write_blank(row, col, None, fmt)
            elif isinstance(value, dt.date):
                ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
            elif isinstance(value, int | float):
                ws.write_number(row, col, value, fmt)
            else:
                ws.write_string(row, col, str(value), fmt)
    first, last = layout.LOCAL_FIRST_ROW - 1, layout.LOCAL_FIRST_ROW - 2 + count
    col_of = {c.key: i for i, c in enumerate(layout.LOCAL_COLUMNS)}
    ws.data_validation(first, col_of["date"], last, col_of["date"], DATE_VALIDATION)
    ws.data_validation(first, col_of["source"], last, col_of["source"],
                       {"validate": "list", "source": list(names.values())})
    codes = [c for c in (local, project_currency) if c]
    if local:
        ws.data_validation(first, col_of["currency"], last, col_of["currency"],
                           {"validate": "list", "source": codes[:1]})
    ws.data_validation(first, col_of["amount"], last, col_of["amount"],
                       {"validate": "decimal", "criteria": ">=", "value": 0})
    ws.data_validation(first, col_of["rate"], last, col_of["rate"], RATE_VALIDATION)
    ws.freeze_panes(layout.LOCAL_FIRST_ROW - 1, 0)
    ws.autofilter(layout.LOCAL_HEADER_ROW - 1, 0, last, len(layout.LOCAL_COLUMNS) - 1)
    _page_setup(ws, (layout.LOCAL_HEADER_ROW, layout.LOCAL_HEADER_ROW))
    if protect:
        _protect(ws)


def write_rates_sheet(workbook, styles, spec: BudgetSpec, protect: bool) -> None:
    ws = workbook.add_worksheet(layout.RATES_SHEET)
    project_currency, local = _currencies(spec)
    for i, c in enumerate(layout.RATES_COLUMNS):
        ws.set_column(i, i, c.width)
    ws.write(0, 0, f"Rates: {local or 'local currency'} per 1 {project_currency}, one rate per month",
             styles(bold=True, font_size=12))
    ws.write(1, 0, "The month's rate as the agreement defines it (the central bank's monthly average, for example); "
             "say where it comes from in the note.", styles(italic=True))
    head = styles(bold=True, bg_color=HEADER_FILL, border=1, align="center", valign="vcenter")
    for i, c in enumerate(layout.RATES_COLUMNS):
        ws.write(layout.RATES_HEADER_ROW - 1, i, c.header, head)
    border = {"border": 1, "border_color": "#BFBFBF"}
    month_fmt = styles(num_format=layout.MONTH_FORMAT, align="left", bg_color=INPUT_FILL, locked=False, **border)
    rate_in = styles(num_format=layout.RATE_FORMAT, bg_color=INPUT_FILL, locked=False, **border)
    text_in = styles(bg_color=INPUT_FILL, locked=False, **border)
    months = _months(spec)
    for i, month in enumerate(months):
        row = layout.RATES_FIRST_ROW - 1 + i
        if month is None:
            ws.write_blank(row, 0, None, month_fmt)
        else:
            ws.write_datetime(row, 0, dt.datetime.combine(month, dt.time()), month_fmt)
        rate = spec.rates.get(month) if month else None
        ws.write_number(row, 1, rate, rate_in) if rate is not None else ws.write_blank(row, 1, None, rate_in)
        ws.write_blank(row, 2, None, text_in)
    first, last = layout.RATES_FIRST_ROW - 1, layout.RATES_FIRST_ROW - 2 + len(months)
    ws.data_validation(first, 1, last, 1, RATE_VALIDATION)
    ws.freeze_panes(layout.RATES_FIRST_ROW - 1, 0)
    _page_setup(ws, (layout.RATES_HEADER_ROW, layout.RATES_HEADER_ROW))
    if protect:
        _protect(ws)


def _months(spec: BudgetSpec) -> list[dt.date | None]:
    """First day of each month of the disbursement period, or empty month cells when the first
    disbursement is not known yet (the officer types the months)."""
    first = spec.project.get("first_disbursement")
    count = int(spec.project.get("disbursement_months") or 42)
    if not isinstance(first, dt.date):
        return [None] * count
    start = first.replace(day=1)
    return [periods.add_months(start, i) for i in range(count)]
