"""Numbers typed as text: the suggestion the validator gives ("1.200,00 -> 1200") must be right,
and text that is not one number must never be read as one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.numbers import parse_number_text


@pytest.mark.parametrize("text, expected", [
    ("1,200.00", 1200), ("1.200,00", 1200), ("S/ 1 200", 1200), ("S/. 1,200.50", 1200.5),
    ("US$ 1,200", 1200), ("USD 1,200.00", 1200), ("1.200 USD", 1200), ("$1,234,567.89", 1_234_567.89),
    ("1\u00a0200,50", 1200.5), ("1\u202f200", 1200), ("1'200.00", 1200), ("(1,200)", -1200),
    ("-1.200,00", -1200), ("S/ -1 200", -1200), ("-S/ 1 200", -1200), ("1,200-", -1200), ("\u22121200", -1200),
    ("1,200", 1200), ("1.200", 1200), ("12.500", 12500), ("123,456", 123_456), ("1.234.567", 1_234_567),
    ("1,234,567", 1_234_567), ("1,5", 1.5), ("12.25", 12.25), ("0,500", 0.5), ("0.500", 0.5), (",5", 0.5),
    ("1234,567", 1234.567), ("1200", 1200), ("  1200  ", 1200), ("+1200", 1200), ("60%", 0.6),
    ("12,5 %", 0.125), ("1E+05", 100_000), ("€ 3.400,75", 3400.75),
])
def test_text_that_looks_like_a_number(text, expected):
    assert parse_number_text(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [
    "", "   ", "abc", "22 months", "1,23,4", "1.200.00", "1,200.000.5", "1 20", "12 34", "1..2", "1,,2",
    "--1", "S/", "$", "(", "()", "1.2.3,4,5", "nan", "inf", "1e999", "#REF!", "2004-07-01", "1/2", "x1200",
    "1200x", "1 200 months", "12'34", "1" * 80, None, 12, 1.5,
])
def test_text_that_is_not_one_number(text):
    assert parse_number_text(text) is None


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def _styles(value) -> list[str]:
    english = f"{value:,.2f}"
    spanish = english.replace(",", "_").replace(".", ",").replace("_", ".")
    spaced = english.replace(",", "\u00a0")
    return [english, spanish, f"S/ {spaced.replace('.', ',')}", f"US$ {english}", f"({english})"]


@settings(max_examples=200, deadline=None)
@given(amounts)
def test_amounts_written_in_any_house_style_read_back(value):
    for text in _styles(value):
        sign = -1 if text.startswith("(") else 1
        assert parse_number_text(text) == pytest.approx(sign * float(value), abs=0.005), text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_finite_number_or_none(text):
    value = parse_number_text(text)
    assert value is None or (isinstance(value, float) and abs(value) < float("inf"))
