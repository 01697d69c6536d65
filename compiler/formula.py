"""A small evaluator for the formulas mifkit's templates write.

Why it exists: a workbook saved by a library (openpyxl, a script) and never opened in a spreadsheet
program has formulas without saved results.  Python formula engines take tens of seconds on a real
budget, and LibreOffice is not on the finance officer's machine, so mifkit evaluates the template's
own formula language itself: numbers, cell references (with or without a sheet and $), ranges,
+ - * / and unary minus, &, parentheses, and the functions SUM, IFERROR, ROUND, MIN, MAX and ABS.
A formula outside that language raises `Unsupported`, and the caller says so to the user rather
than guessing.  The builder uses the same evaluator to store correct cached values in the
templates, and the LibreOffice tests check it against a real spreadsheet engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from workbook_templates.layout import column_letter, column_number


@dataclass(frozen=True)
class CellError:
    """A spreadsheet error value such as #REF! or #DIV/0!."""

    code: str

    def __str__(self) -> str:
        return self.code


ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")


class Unsupported(ValueError):
    """The formula uses something outside the template's formula language."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
      | (?P<str>"(?:[^"]|"")*")
      | (?P<ref>(?:(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)
      | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
      | (?P<bool>TRUE|FALSE)\b
      | (?P<op><=|>=|<>|[-+*/&(),=<>])
      | (?P<err>\#[A-Z0-9/]+[!?]?)
    )""",
    re.VERBOSE,
)


def split_ref(ref: str, default_sheet: str) -> tuple[str, str]:
    """'Budget'!$E$7 -> ("Budget", "E7")."""
    sheet = default_sheet
    if "!" in ref:
        sheet, ref = ref.rsplit("!", 1)
        if sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
    return sheet, ref.replace("$", "").upper()


def address_to_rc(address: str) -> tuple[int, int]:
    """'E7' -> (7, 5)."""
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", address)
    if not m:
        raise Unsupported(f"not a cell address: {address}")
    return int(m.group(2)), column_number(m.group(1))


def rc_to_address(row: int, col: int) -> str:
    """(7, 5) -> 'E7'."""
    return f"{column_letter(col)}{row}"


def tokenize(formula: str) -> list[tuple[str, str]]:
    text = formula[1:] if formula.startswith("=") else formula
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"cannot read formula near {text[pos:pos + 12]!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


Lookup = Callable[[str, str], object]  # (sheet, "E7") -> value


class _Parser:
    """Recursive-descent evaluation; precedence: comparison < & < + - < * / < unary."""

    FUNCS = {"SUM", "IFERROR", "ROUND", "MIN", "MAX", "ABS"}

    def __init__(self, tokens: list[tuple[str, str]], sheet: str, lookup: Lookup):
        self.tokens, self.i, self.sheet, self.lookup = tokens, 0, sheet, lookup

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            raise Unsupported(f"expected {value or 'a value'}")
        self.i += 1
        return tok

    def parse(self) -> object:
        value = self.comparison()
        if self.peek() is not None:
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return value

    def comparison(self) -> object:
        left = self.concat()
        while (tok := self.peek()) and tok[1] in ("=", "<>", "<", ">", "<=", ">="):
            self.take()
            right = self.concat()
            if isinstance(left, CellError):
                return left
            if isinstance(right, CellError):
                return right
            a, b = _scalar(left), _scalar(right)
            left = {"=": a == b, "<>": a != b, "<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[tok[1]]
        return left

    def concat(self) -> object:
        left = self.additive()
        while (tok := self.peek()) and tok[1] == "&":
            self.take()
            right = self.additive()
            for v in (left, right):
                if isinstance(v, CellError):
                    return v
            left = _text(left) + _text(right)
        return left

    def additive(self) -> object:
        left = self.term()
        while (tok := self.peek()) and tok[1] in ("+", "-"):
            self.take()
            left = _arith(tok[1], left, self.term())
        return left

    def term(self) -> object:
        left = self.unary()
        while (tok := self.peek()) and tok[1] in ("*", "/"):
            self.take()
            left = _arith(tok[1], left, self.unary())
        return left

    def unary(self) -> object:
        tok = self.peek()
        if tok and tok[1] in ("-", "+"):
            self.take()
            value = self.unary()
            return _arith("*", -1 if tok[1] == "-" else 1, value)
        return self.primary()

    def primary(self) -> object:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "err":
            return CellError(text)
        if kind == "bool":
            return text.upper() == "TRUE"
        if kind == "ref":
            if ":" in text:
                raise Unsupported("a range outside a function")
            return self.lookup(*split_ref(text, self.sheet))
        if kind == "func":
            return self.call(text.upper())
        if text == "(":
            value = self.comparison()
            self.take(")")
            return value
        raise Unsupported(f"unexpected {text!r}")

    def args(self) -> list[list[object]]:
        """Each argument as a list of values (a range gives many)."""
        args: list[list[object]] = []
        if self.peek() and self.peek()[1] == ")":
            self.take(")")
            return args
        while True:
            tok = self.peek()
            if tok and tok[0] == "ref" and ":" in tok[1] and self._next_is_separator():
                self.take()
                args.append(self.range_values(tok[1]))
            else:
                args.append([self.comparison()])
            sep = self.take()
            if sep[1] == ")":
                return args
            if sep[1] != ",":
                raise Unsupported(f"unexpected {sep[1]!r} in arguments")

    def _next_is_separator(self) -> bool:
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        return nxt is not None and nxt[1] in (",", ")")

    def range_values(self, text: str) -> list[object]:
        sheet, first = split_ref(text.split(":")[0], self.sheet)
        _, last = split_ref(text.split(":")[1], sheet)
        (r1, c1), (r2, c2) = address_to_rc(first), address_to_rc(last)
        return [self.lookup(sheet, rc_to_address(r, c))
                for r in range(min(r1, r2), max(r1, r2) + 1)
                for c in range(min(c1, c2), max(c1, c2) + 1)]

    def call(self, name: str) -> object:
        if name not in self.FUNCS:
            raise Unsupported(f"function {name} is not part of the template's formulas")
        args = self.args()
        flat = [v for arg in args for v in arg]
        if name == "IFERROR":
            if len(args) != 2:
                raise Unsupported("IFERROR takes two arguments")
            return args[1][0] if isinstance(args[0][0], CellError) else args[0][0]
        for v in flat:
            if isinstance(v, CellError):
                return v
        if name in ("SUM", "MIN", "MAX"):
            numbers = [float(v) for v in flat if isinstance(v, int | float) and not isinstance(v, bool)]
            if name == "SUM":
                return float(sum(numbers))
            return (min if name == "MIN" else max)(numbers) if numbers else 0.0
        if name == "ABS":
            return abs(_number(flat[0]))
        if name == "ROUND":
            value, digits = _number(args[0][0]), int(_number(args[1][0])) if len(args) > 1 else 0
            if isinstance(value, CellError):
                return value
            return _round_half_away(value, digits)
        raise Unsupported(name)


def _round_half_away(value: float, digits: int) -> float:
    """Spreadsheet ROUND: halves go away from zero (Python's round() goes to even)."""
    factor = 10.0 ** digits
    scaled = abs(value) * factor
    rounded = int(scaled + 0.5 + 1e-9) / factor
    return rounded if value >= 0 else -rounded


def _scalar(value: object) -> object:
    return 0.0 if value is None else value


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: object) -> float | CellError:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, CellError):
        return value
    try:
        return float(str(value).strip())
    except ValueError:
        return CellError("#VALUE!")


def _arith(op: str, left: object, right: object) -> object:
    a, b = _number(left), _number(right)
    if isinstance(a, CellError):
        return a
    if isinstance(b, CellError):
        return b
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        return CellError("#DIV/0!")
    return a / b


def evaluate(formula: str, sheet: str, lookup: Lookup) -> object:
    """Value of `formula` written on `sheet`, reading other cells through `lookup`."""
    return _Parser(tokenize(formula), sheet, lookup).parse()


def evaluate_all(formulas: Mapping[tuple[str, str], str],
                 values: Mapping[tuple[str, str], object]) -> dict[tuple[str, str], object]:
    """Evaluate every formula cell, following references to other formula cells.

    `formulas` and `values` are keyed by (sheet, "A1").  Returns the value of every formula cell.
    Raises Unsupported on a formula outside the language and on circular references.
    """
    results: dict[tuple[str, str], object] = {}
    in_progress: set[tuple[str, str]] = set()

    def value_of(sheet: str, address: str) -> object:
        key = (sheet, address)
        if key in results:
            return results[key]
        if key not in formulas:
            return values.get(key)
        if key in in_progress:
            raise Unsupported(f"circular reference at {sheet}!{address}")
        in_progress.add(key)
        try:
            results[key] = evaluate(formulas[key], sheet, value_of)
        except Unsupported as exc:
            if str(exc).startswith(f"{sheet}!"):
                raise
            raise Unsupported(f"{sheet}!{address}: {exc}") from None
        in_progress.discard(key)
        return results[key]

    for sheet, address in formulas:
        value_of(sheet, address)
    return results
