"""Sums of money added in the same order and the same way as the reports add them.

The rules work on plain rows; the Word reports and the IATI export add the same figures with pandas.
Floating-point addition depends on its order, so a total added naively could differ from the
report's in its last bits, and a figure just at the tolerance, or a whole amount printed as 1234 or
1234.0 in the JSON, could then differ between the finding and the report.  These functions add as
pandas does, so the validator and the reports state the same figures to the last bit:

    column_sum(values)   pandas' Series.sum (numpy's pairwise summation), NaN counted as 0
    figures_sum(numbers) the same, of figures with no NaN left
    running_sums(values) pandas' groupby cumsum (compensated, Kahan)
    zero_if_empty(value) one figure, an empty cell (NaN) counted as 0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from operator import add

_BLOCK = 128  # numpy's pairwise block: below it, eight running partial sums


def zero_if_empty(value: float) -> float:
    """One figure of the model as money: an empty cell (NaN) counts as 0."""
    return 0.0 if value != value else float(value)


def column_sum(values: Iterable[float]) -> float:
    """Σ values as `pandas.Series(values).fillna(0).sum()` gives it (numpy's pairwise summation)."""
    return figures_sum([v if v == v else 0.0 for v in values])  # NaN (an empty cell) counts as 0


def figures_sum(numbers: Sequence[float]) -> float:
    """`column_sum` of figures that hold no NaN (empty cells already counted as 0)."""
    return 0.0 + _pairwise(numbers, 0, len(numbers))


def _pairwise(a: Sequence[float], start: int, n: int) -> float:
    """numpy's pairwise_sum (loops_utils.h): in order below 8 numbers; up to 128, eight running sums (of every
    eighth number) added pairwise, then the rest in order; above, the two halves so, added.  Each running sum is
    a plain left-to-right addition (`reduce`), never Python's `sum`, whose float algorithm differs by version."""
    if n < 8:
        return reduce(add, a[start:start + n], -0.0)
    if n <= _BLOCK:
        whole = start + n - n % 8
        r = [reduce(add, a[start + j:whole:8]) for j in range(8)]
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        return reduce(add, a[whole:start + n], res)
    half = n // 2
    half -= half % 8
    return _pairwise(a, start, half) + _pairwise(a, start + half, n - half)


def running_sums(values: Iterable[float]) -> list[float]:
    """The running totals of one group as a pandas groupby cumsum gives them (Kahan's compensated sum)."""
    out = []
    total = compensation = 0.0
    for value in values:
        y = value - compensation
        t = total + y
        compensation = t - total - y
        total = t
        out.append(t)
    return out
