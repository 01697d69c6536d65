"""Numbers and dates as the report's reader writes them.

The convention, per report language (CLDR data through the `babel` package):
- English ("en"): 1,234,567 · 12.5% · 31 December 2005 · Jul–Dec 2005.
- Spanish ("es"), as used in Peru where the executing agency works (CLDR locale es_PE): grouping with
  a comma and a decimal point, like English — 1,234,567 · 12.5% — and Spanish month names in lower
  case: 31 de diciembre de 2005 · jul–dic 2005.  (Spain's "1.234.567,50" is not what a Peruvian
  reader expects.)
Money is shown in whole currency units, as the approved budget is; an empty figure is a dash.
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

LANGUAGES = ("en", "es")
LOCALES = {"en": "en", "es": "es_PE"}
DASH = "–"


def locale_of(lang: str) -> str:
    if lang not in LOCALES:
        raise ValueError(f"report language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return LOCALES[lang]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, lang: str) -> str:
    """1234567.4 -> "1,234,567" (whole units; rounding half away from zero, as a ledger does)."""
    if _missing(value):
        return DASH
    rounded = math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)
    return format_decimal(rounded, format="#,##0;-#,##0", locale=locale_of(lang))


def rate(value: float | None, lang: str) -> str:
    """An exchange rate, to four decimals as banks quote it: 3.3500 / 3,3500."""
    if _missing(value):
        return DASH
    return format_decimal(value, format="#,##0.0000", locale=locale_of(lang))


def percent(share: float | None, lang: str, decimals: int = 1) -> str:
    """0.1234 -> "12.3%"."""
    if _missing(share):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(share * 100, format=pattern, locale=locale_of(lang)) + "%"


def date(value: dt.date | None, lang: str) -> str:
    """31 December 2005 / 31 de diciembre de 2005."""
    if value is None:
        return DASH
    pattern = "d MMMM y" if lang == "en" else "d 'de' MMMM 'de' y"
    return _babel_date(value, pattern, locale=locale_of(lang))

