"""The add-in's buttons, as xlwings calls them: the only module of mifkit that imports xlwings.

Desktop Excel (Windows) calls `validate` and `clear_marks` through xlwings' `RunPython`, from the
ribbon add-ins `mifkit addin` writes (see `addin/install.py`), with no argument: the workbook is
the active one.  xlwings Lite (Excel 365 and Excel on the web) shows every `@xw.script` function
as a button and passes the workbook in.

Validate / Validar differ only in the language of the notes and the findings list; `validate`
follows Excel's own language (or the MIFKIT_LANG setting, "en" or "es").
"""

from __future__ import annotations

import contextlib
import os

import xlwings as xw

from addin.commands import Outcome, clear_book, internal_error, validate_book

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


# Desktop Excel: RunPython calls these with no argument (the workbook is found from the caller).

def validate(book=None, lang: str | None = None) -> Outcome:
    """Validate: check the budget and mark every problem at its cell."""
    return _run(book, lang, validate_book)


def validar(book=None) -> Outcome:
    """Validar: the same check, with notes and list in Spanish."""
    return _run(book, "es", validate_book)


def clear_marks(book=None, lang: str | None = None) -> Outcome:
    """Clear marks: put back the cells' colours, remove mifkit's notes and its sheet."""
    return _run(book, lang, clear_book)


def quitar_marcas(book=None) -> Outcome:
    """Quitar marcas: the same, with the message in Spanish."""
    return _run(book, "es", clear_book)


# xlwings Lite: one button per script; a script takes exactly the workbook (any other argument
# would become a form field above its button).

@xw.script(name="Validate")
def lite_validate(book: xw.Book) -> None:
    """Check the budget and mark every problem at its cell."""
    validate(book, "en")


@xw.script(name="Validar")
def lite_validar(book: xw.Book) -> None:
    """Revisa el presupuesto y marca cada problema en su celda."""
    validar(book)


@xw.script(name="Clear marks")
def lite_clear_marks(book: xw.Book) -> None:
    """Put back the cells' colours, remove mifkit's notes and its sheet."""
    clear_marks(book, "en")


@xw.script(name="Quitar marcas")
def lite_quitar_marcas(book: xw.Book) -> None:
    """Devuelve los colores de las celdas, quita las notas de mifkit y su hoja."""
    quitar_marcas(book)


def main() -> Outcome:
    """What a one-button ribbon add-in made with `xlwings quickstart --addin --ribbon` calls."""
    return validate()
