"""Numbers typed as text: "1,200.00", "1.200,00", "S/ 1 200", "US$ 1,200", "(1,200)".

A cell holding such text is not a number to Excel, so it counts as zero in every sum.  mifkit never
guesses it into the figures; it recognises what the officer meant, to say so in the finding.
"""

from __future__ import annotations

import re

_CURRENCY = re.compile(r"^(?:S/\.?|US\$|USD|PEN|\$|€)\s*|\s*(?:S/\.?|US\$|USD|PEN|\$|€)$", re.IGNORECASE)


def _decimal_point(text: str) -> str | None:
    """Which of "," and "." is the decimal separator of `text`, or None if it has none."""
    last_comma, last_dot = text.rfind(","), text.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        return "," if last_comma > last_dot else "."
    sep = "," if last_comma >= 0 else "." if last_dot >= 0 else None
    if sep is None:
        return None
    groups = text.split(sep)
    # "1,200" and "1.200.000": separators every three digits are thousands; "1,5" or "12.50" are decimals.
    if len(groups) > 2 or all(len(g) == 3 for g in groups[1:]) and groups[0].lstrip("-") not in ("", "0"):
        return None if len(groups[-1]) == 3 else sep
    return sep


def parse_number_text(text: object) -> float | None:
    """The number a text cell was meant to hold, or None when it is not a number at all."""
    if not isinstance(text, str):
        return None
    t = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    negative = t.startswith("(") and t.endswith(")")
    t = t.strip("()").strip()
    t = _CURRENCY.sub("", t).strip()
    if t.startswith("-"):
        negative, t = True, t[1:].strip()
    if not re.fullmatch(r"\d[\d., ]*", t or "x"):
        return None
    t = t.replace(" ", "")
    point = _decimal_point(t)
    if point is None:
        t = t.replace(",", "").replace(".", "")
    else:  # drop the thousands separator, then make the decimal separator a point
        t = t.replace({",": ".", ".": ","}[point], "").replace(point, ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return -value if negative else value
