"""Numbers typed as text: what a figure like "1.200,00" or "S/ 1 200" most likely means.

A finance officer pastes figures from e-mails, PDFs and Spanish or English spreadsheets, so an
amount cell can hold text that looks like a number.  mifkit never turns such text into a number
silently: the reader keeps it as text and the validator reports it (rule DA01).  This module gives
that report its suggestion ("1.200,00 → 1200"), so the officer can retype the figure with
confidence.

How the separators are told apart:
- both "." and "," present: the last one is the decimal mark ("1,200.50", "1.200,50");
- one of them, several times: it groups thousands ("1,200,000", "1.200.000");
- one of them, once: thousands when exactly three digits follow and the part before is not 0
  ("1,200" and "1.200" are 1200, "0,500" is 0.5), otherwise the decimal mark ("1,5", "12.25");
- spaces (also non-breaking) and apostrophes group thousands ("1 200", "1'200"); with them
  present, a single "." or "," is the decimal mark ("1 200,50").
Groups after the first must have exactly three digits, so "1,23,4" is not read as a number.
"""

from __future__ import annotations

import math
import re

# Currency marks an amount may carry in the documents of MIF projects (Latin America, the Bank).
_CURRENCY = r"(?:US\$|U\$S|USD|S/\.?|PEN|EUR|€|\$|£|Bs\.?|R\$|COP|MXN|CLP|ARS|soles|dólares|dolares)"
_PREFIX = re.compile(rf"^{_CURRENCY}\s*", re.IGNORECASE)
_SUFFIX = re.compile(rf"\s*{_CURRENCY}$", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_CORE = re.compile(r"\d[\d.,' ’]*|[.,]\d+")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d{1,3}")
_MAX_LENGTH = 64  # longer text is not a figure someone typed


def parse_number_text(text: object) -> float | None:
    """The number a piece of text stands for, or None when it does not look like one number.

    >>> parse_number_text("1.200,00"), parse_number_text("S/ 1 200"), parse_number_text("(1,200)")
    (1200.0, 1200.0, -1200.0)
    >>> parse_number_text("22 months") is None
    True
    """
    if not isinstance(text, str) or len(text) > _MAX_LENGTH:
        return None
    core, negative, percent = _strip_marks(_SPACES.sub(" ", text).strip().replace("\u2212", "-"))
    if core is None:
        return None
    if _SCIENTIFIC.fullmatch(core):
        value = float(core)
    else:
        digits = _plain_digits(core)
        if digits is None:
            return None
        value = float(digits)
    if percent:
        value /= 100
    if not math.isfinite(value):
        return None
    return -value if negative else value


def _strip_marks(text: str) -> tuple[str | None, bool, bool]:
    """(the digits and separators, negative?, percent?) once signs, brackets and currency are off."""
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    signed = False
    for _ in range(2):  # "-S/ 1 200" and "S/ -1 200" alike, with one sign at most
        text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
        if signed:
            continue
        if text[:1] and text[:1] in "+-":
            signed, negative, text = True, negative != (text[0] == "-"), text[1:].strip()
        elif text.endswith("-"):
            signed, negative, text = True, not negative, text[:-1].strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
    readable = _CORE.fullmatch(text) or _SCIENTIFIC.fullmatch(text)
    return (text if readable else None), negative, percent


def _plain_digits(core: str) -> str | None:
    """"1.234,50" -> "1234.50"; None when the separators do not form one number."""
    grouped = any(ch in core for ch in " '’")
    if grouped:
        parts = re.split(r"[ '’]", core)
        if any(not p for p in parts):
            return None
        core = parts[0] + "".join(parts[1:])
        head_groups = parts  # checked below with the decimal part removed
    marks = [ch for ch in core if ch in ".,"]
    if not marks:
        integer, decimals = core, ""
    elif len(set(marks)) == 2:
        decimal = core[max(core.rfind("."), core.rfind(","))]
        if marks.count(decimal) > 1:
            return None
        integer, decimals = core.rsplit(decimal, 1)
        thousands = "," if decimal == "." else "."
        if not _three_digit_groups(integer.split(thousands)):
            return None
        integer = integer.replace(thousands, "")
    elif len(marks) > 1:
        if not _three_digit_groups(core.split(marks[0])):
            return None
        integer, decimals = core.replace(marks[0], ""), ""
    else:
        integer, decimals = core.split(marks[0])
        if not grouped and len(decimals) == 3 and integer not in ("", "0") and len(integer) <= 3:
            integer, decimals = integer + decimals, ""
    if grouped and not _three_digit_groups(_regroup(head_groups, decimals)):
        return None
    if not integer.isdigit() and integer != "":
        return None
    if decimals and not decimals.isdigit():
        return None
    if not integer and not decimals:
        return None
    return f"{integer or '0'}.{decimals or '0'}"


def _regroup(parts: list[str], decimals: str) -> list[str]:
    """The space-separated groups of the integer part (the decimal part cut off the last group)."""
    if decimals:
        parts = [*parts[:-1], parts[-1][: -len(decimals) - 1]]
    return parts


def _three_digit_groups(groups: list[str]) -> bool:
    return (bool(groups) and groups[0].isdigit() and 1 <= len(groups[0]) <= 3
            and all(len(g) == 3 and g.isdigit() for g in groups[1:]))
