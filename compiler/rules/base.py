"""What every rule is: a stable code, a short name, a severity, one message template, a fix hint.

A rule sees only the model (never a file) and never raises on bad data: it yields findings.  Its
message template is rendered with the finding's own figures, so the Excel note, the JSON, the
annotated copy and the Word annex all say the same words.  Templates exist in English and Spanish
(the executing agency works in Spanish); `{x:money}` formats an amount, `{x:pct}` a share.

Cascades are avoided on purpose: a relation whose failure is already explained by a finding lower
down (a wrong subtotal making the line total disagree with its funding, a text cell turning its
formulas into #VALUE!) is not reported again, so one slip is reported once, where it is.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from operator import itemgetter

from compiler.findings import ERROR, Finding, split_cell
from compiler.model import Budget
from workbook_templates import layout
from workbook_templates.structure import COFIN_PREFIX, Structure

ARITHMETIC, POLICY, DATA, EXECUTION, REVISION, LOGFRAME = (
    "arithmetic", "policy", "data", "execution", "revision", "logframe")
GROUPS = (ARITHMETIC, POLICY, DATA, EXECUTION, REVISION, LOGFRAME)


class _MessageFormatter(string.Formatter):
    """str.format with two extra specs: `money` (1,234 or 1,234.50) and `pct` (26.5%)."""

    def format_field(self, value, format_spec):
        if format_spec == "money":
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return "empty"
            value = float(value)
            if math.isinf(value):  # a product beyond any budget (1e308 × 22): say so rather than fail
                return "infinite" if value > 0 else "-infinite"
            return f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"
        if format_spec == "rate":
            return f"{float(value):.4f}"
        if format_spec == "pct":
            return f"{float(value) * 100:.1f}%".replace(".0%", "%")
        return super().format_field(value, format_spec)


FORMATTER = _MessageFormatter()


def render(template: str, values: dict) -> str:
    return FORMATTER.format(template, **values)


@dataclass
class Context:
    """What the rules read: the budget model (and, once given, the logframe), and the language."""

    budget: Budget
    lang: str = "en"
    logframe: object | None = None
    as_of: int | None = None  # the semester being reported (None: the latest with anything recorded; 0: none yet)
    odd: dict[str, set[int]] = field(default_factory=dict)  # Budget column key -> rows holding non-numbers
    _records: dict = field(default_factory=dict, repr=False)
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, name: str, compute):
        """A table several rules derive from the model, computed once per validation."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def __post_init__(self) -> None:
        for cell in self.budget.odd_cells:
            if cell.sheet == layout.BUDGET_SHEET:
                self.odd.setdefault(cell.key, set()).add(cell.row)

    @cached_property
    def tolerance(self) -> float:
        return float(self.budget.project.get("tolerance", 0.5))

    @cached_property
    def share_tolerance(self) -> float:
        """Share tolerance as a fraction (the Project sheet states it in percentage points)."""
        return float(self.budget.project.get("share_tolerance", 0.5)) / 100

    def differs(self, a: float, b: float) -> bool:
        return abs((a or 0.0) - (b or 0.0)) > self.tolerance

    def is_odd(self, key: str, row: int) -> bool:
        return row in self.odd.get(key, ())

    def any_odd(self, keys, row: int) -> bool:
        return any(row in self.odd.get(k, ()) for k in keys)

    def odd_in(self, key: str, rows) -> bool:
        """Whether any of `rows` holds a non-number in column `key`."""
        odd = self.odd.get(key)
        return bool(odd) and not odd.isdisjoint(rows)

    def odd_mask(self, rows: list[dict], keys) -> list[bool]:
        """Per row: does it hold a non-number in any of `keys`?"""
        odd = set().union(*(self.odd.get(k, ()) for k in keys))
        return [r["row"] in odd for r in rows] if odd else [False] * len(rows)

    def figures(self, key: str, kinds=("line",)) -> list[float]:
        """`figures` of the Budget lines of the given kinds (cached: several rules read each column).  A column is
        read out of the rows once, for every line, and the lines of each set of kinds picked from it."""
        name = ("figures", key, tuple(kinds))
        if name not in self._memo:
            every = self.memo(("figures", key), lambda: figures(self.budget.line_rows, key))
            self._memo[name] = list(compress(every, self._of_kinds(kinds)))
        return self._memo[name]

    def _of_kinds(self, kinds) -> list[bool]:
        """Per Budget line: is it of one of `kinds`?  (The lines `records` and `figures` pick.)"""
        return self.memo(("of kinds", tuple(kinds)), lambda: [r["kind"] in kinds for r in self.budget.line_rows])

    def records(self, kinds=("line",)) -> list[dict]:
        """The Budget lines of the given kinds, in the sheet's order (cached: every rule asks).  The rows are
        the model's: read them, do not change them."""
        key = tuple(kinds)
        if key not in self._records:
            self._records[key] = list(compress(self.budget.line_rows, self._of_kinds(key)))
        return self._records[key]

    def cell(self, key: str, row: int) -> str:
        return layout.cell(self.budget.structure, key, row)

    def describe(self, line) -> str:
        """How a finding names a line: "line 2.01 Network managers (20)"; contingencies and the lines
        outside the subtotal by the name the Project sheet declares, in the findings' language."""
        if line.get("kind") in (layout.CONTINGENCIES, layout.OUTSIDE):
            return self.budget.structure.name_of(line.get("component") or "", self.lang)
        return describe_line(line, self.lang)


def num(value: object) -> float:
    """A model figure as a number: NaN (empty) counts as 0."""
    if value is None:
        return 0.0
    value = float(value)
    return 0.0 if math.isnan(value) else value


def describe_line(line, lang: str = "en") -> str:
    """ "line 2.01 Network managers (20)" — how a finding names a cost line."""
    ref = line.get("ref") or ""
    item = line.get("item") or ("(no item)" if lang != "es" else "(sin ítem)")
    if line.get("kind") in (layout.CONTINGENCIES, layout.OUTSIDE):
        return item
    word = "línea" if lang == "es" else "line"
    return f"{word} {ref} {item}" if ref else f"{word} {item}"


def column_name(key: str, shape: Structure | None = None, lang: str = "en") -> str:
    """A column key as the officer reads it: "y2_subtotal" -> "year 2 subtotal", "donor" -> "MIF"."""
    if shape is not None and (key == "donor" or key.startswith(COFIN_PREFIX)):
        return shape.funder_name(key, lang)
    if shape is not None and key.startswith("pct_" + COFIN_PREFIX):
        return "% " + shape.funder_name(key[4:], lang)
    if shape is not None and key == "pct_donor":
        return "% " + shape.funder_name("donor", lang)
    if lang == "es":
        return column_name_es(key)
    names = {"total": "TOTAL", "donor": "donor", "counterpart_cash": "counterpart in cash",
             "counterpart_in_kind": "counterpart in kind", "counterpart_subtotal": "counterpart subtotal",
             "pct_total": "% TOT.", "pct_donor": "% donor", "pct_counterpart": "% counterpart",
             "counterpart": "counterpart", "pct": "%", "label": "label"}
    if key in names:
        return names[key]
    year, _, part = key.partition("_")
    return f"year {year[1:]} " + {"unit": "unit cost", "qty": "quantity", "subtotal": "subtotal"}[part.split("_")[0]]


def column_name_es(key: str) -> str:
    names = {"total": "TOTAL", "donor": "donante", "counterpart_cash": "contrapartida en efectivo",
             "counterpart_in_kind": "contrapartida en especie", "counterpart_subtotal": "subtotal de contrapartida",
             "pct_total": "% TOT.", "pct_donor": "% donante", "pct_counterpart": "% contrapartida",
             "counterpart": "contrapartida", "pct": "%", "label": "etiqueta"}
    if key in names:
        return names[key]
    year, _, part = key.partition("_")
    return f"año {year[1:]}, " + {"unit": "costo unitario", "qty": "cantidad", "subtotal": "subtotal"}[
        part.split("_")[0]]


class Rule:
    """Base class of every rule.  Subclasses set the attributes and write `check`."""

    code = ""
    name = ""
    severity = ERROR
    group = ARITHMETIC
    message = ""
    message_es = ""
    fix = ""
    fix_es = ""

    @property
    def description(self) -> str:
        """The rule's docstring: what it checks and why."""
        return " ".join((self.__doc__ or "").split())

    def check(self, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(self, ctx: Context, sheet: str, cell: str, expected: object, actual: object,
                **values) -> Finding:
        template = self.message_es if ctx.lang == "es" and self.message_es else self.message
        shape = ctx.budget.structure
        if "column" in values:
            values["column"] = column_name(values["column"], shape, ctx.lang)
        names = {"donor": shape.funder_name("donor", ctx.lang), "counterpart": shape.counterpart or "-"}
        text = render(template, {**names, "expected": expected, "actual": actual, **values})
        row, col = split_cell(cell)
        return Finding(self.code, self.severity, sheet, cell, row, col, _plain(expected), _plain(actual), text,
                       ctx.budget.source)


def _plain(value: object) -> object:
    """Expected/actual as JSON-friendly values: whole amounts as int, NaN as None."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):  # JSON has no infinity
            return "infinite" if value > 0 else "-infinite"
        return int(value) if value.is_integer() else round(value, 6)
    return value


def figures(rows: list[dict], key: str) -> list[float]:
    """A column of rows as numbers, empty cells (NaN) as 0."""
    return [v if v == v else 0.0 for v in map(itemgetter(key), rows)]


def add(*columns: list[float]) -> list[float]:
    """Row by row, the columns added in the order given (0 + a + b + …, as adding numpy arrays one by one)."""
    out = [0.0] * (len(columns[0]) if columns else 0)
    for column in columns:
        out = [a + b for a, b in zip(out, column, strict=True)]
    return out
