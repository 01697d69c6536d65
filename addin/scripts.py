"""The add-in's scripts, one per button: the only module of mifkit that imports xlwings.

`validate_workbook`, `check_funding_split`, `clear_marks` and `compile_report` each take the open
workbook.  Desktop Excel (Windows) calls them through xlwings' `RunPython`, from the ribbon add-ins
`mifkit addin` writes (see `addin/install.py`), with no argument: the workbook is the active one.
xlwings Lite (Excel 365 and Excel on the web) shows every `@xw.script` function as a button and
passes the workbook in.

Notes, the Findings sheet and messages follow Excel's own language (or the MIFKIT_LANG setting,
"en" or "es"); `validar` and `quitar_marcas` are Spanish buttons for xlwings Lite.
"""

from __future__ import annotations

import contextlib
import os

import xlwings as xw

from addin.commands import Outcome, check_funding_book, clear_book, compile_book, internal_error, validate_book

SPANISH = 0x0A  # primary language id of every Spanish locale (Peru 0x280A, Spain 0x0C0A, ...)


def excel_language(book) -> str:
    """"es" when MIFKIT_LANG says so or Excel's interface is in Spanish, else "en"."""
    setting = os.environ.get("MIFKIT_LANG", "").strip().lower()
    if setting in ("en", "es"):
        return setting
    try:
        ui_language = int(book.app.api.LanguageSettings.LanguageID(2))  # 2: msoLanguageIDUI (Windows only)
    except Exception:  # other hosts have no such setting
        return "en"
    return "es" if ui_language & 0x3FF == SPANISH else "en"


def workbook_to_check(caller):
    """The officer's workbook: when the button lives in an add-in (.xlam), the caller is the add-in
    itself (VBA's ThisWorkbook), and the workbook to check is the active one of the same Excel."""
    if caller.name.lower().endswith(".xlam"):
        return caller.app.books.active
    return caller


def _book(book):
    return book if book is not None else workbook_to_check(xw.Book.caller())


def _tell(book, outcome: Outcome) -> Outcome:
    if outcome.message:
        with contextlib.suppress(Exception):  # a host without dialogs: the outcome still carries the message
            book.app.alert(outcome.message, title="mifkit")
    return outcome


def _run(book, lang: str | None, action) -> Outcome:
    book = _book(book)
    lang = lang or excel_language(book)
    try:
        outcome = action(book, lang)
    except Exception as exc:  # a bug: one line in a dialog, never a traceback in the officer's face
        if os.environ.get("MIFKIT_DEBUG"):
            raise
        outcome = internal_error(exc, lang)
    return _tell(book, outcome)


# One script per button.  On Windows, `xw.script` is xlwings' `sub` decorator: it returns the function
# itself (tagged for "Import Python UDFs", which makes it a macro), so the ribbon's RunPython calls
# these very functions with no argument and `book` is then found from the caller (no return annotation:
# classic xlwings would take it as a converter).  In xlwings Lite
# each becomes a button that passes the workbook in (the one parameter annotated `xw.Book`).

@xw.script
def validate_workbook(book: xw.Book = None):
    """Validate: check the budget with every rule and mark each problem at its cell."""
    return _run(book, None, validate_book)


@xw.script
def check_funding_split(book: xw.Book = None):
    """Check funding split: only the funding and policy rules (MIF and counterpart shares, in kind, sources)."""
    return _run(book, None, check_funding_book)


@xw.script
def clear_marks(book: xw.Book = None):
    """Clear marks: put back the cells' colours and notes, remove the Findings sheet."""
    return _run(book, None, clear_book)


@xw.script
def compile_report(book: xw.Book = None):
    """Compile report (desktop Excel): the latest semiannual report, written next to the workbook."""
    return _run(book, None, compile_book)


# Spanish buttons for xlwings Lite, where Excel's language cannot be asked.

@xw.script
def validar(book: xw.Book = None):
    """Validar: revisa el presupuesto con todas las reglas y marca cada problema en su celda."""
    return _run(book, "es", validate_book)


@xw.script
def quitar_marcas(book: xw.Book = None):
    """Quitar marcas: devuelve los colores y notas de las celdas y quita la hoja Findings."""
    return _run(book, "es", clear_book)


SCRIPTS = (validate_workbook, check_funding_split, clear_marks, compile_report)
