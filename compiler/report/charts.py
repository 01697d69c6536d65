"""Charts for the report, drawn with matplotlib (Agg: no display needed) as PNG bytes.

Each function takes plain figures and already translated labels from the context builder and
returns a `Chart`, drawn at the width it is printed (so that 8 pt is 8 pt on paper); the renderer
places it in the document with docxtpl's InlineImage.  Charts are
for what a reader would rather look at than read: planned against executed by component, cumulative
execution and disbursements over time, pari passu over time, and indicator progress.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

# Figures are made directly on the Agg canvas (no display needed), without pyplot, whose import and
# figure manager cost a third of a second per compile and keep figures alive until closed.  matplotlib
# itself is imported when the first chart is drawn, not with this module: by then the workbooks have been
# read and checked, and the memory their cells took is reused instead of adding to the compile's peak.

WIDTH_MM = 160
_INCH_MM = 25.4
_WIDTH_IN = WIDTH_MM / _INCH_MM   # drawn at the size it is printed, so that font sizes are true points
_FONT = 8
_BLUE, _ORANGE, _GREY, _GREEN, _RED = "#1f4e79", "#e07b00", "#9e9e9e", "#2e7d32", "#c62828"


@dataclass(frozen=True)
class Chart:
    """A PNG image and the width it takes on the page."""

    name: str
    png: bytes
    width_mm: int = WIDTH_MM


def short_amount(value: float) -> str:
    """An axis label for money: 600k, 1.2M (whole thousands below a million, tenths of a million above)."""
    size = abs(value)
    if size >= 1_000_000:
        text = f"{value / 1_000_000:.1f}".rstrip("0").rstrip(".")
        return f"{text}M"
    if size >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.0f}"


def _amounts():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: short_amount(value))


def _percent():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _p: f"{v:.0f}%")


def _finish(fig, name: str) -> Chart:
    """The PNG, drawn once: the constrained layout is worked out while saving, not by a separate draw."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return Chart(name, buffer.getvalue())


def _subplots(height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(_WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.tick_params(labelsize=_FONT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _legend_below(ax, columns: int) -> None:
    ax.legend(fontsize=_FONT, ncol=columns, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)


def _wrapped(name: str, width: int = 34) -> str:
    """A long name on two or three lines, in full (never cut short)."""
    return textwrap.fill(name, width) if name else name


def planned_vs_executed(names: list[str], planned: list[float], executed: list[float],
                        labels: dict[str, str], lang: str) -> Chart:
    """Horizontal bars per component: the budget and what has been executed to date."""
    wrapped = [_wrapped(n, 40) for n in names]
    lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    fig, ax = _subplots(1.1 + len(names) * (0.14 * lines + 0.12))  # room for each name's lines
    positions = range(len(names))
    ax.barh([p - 0.2 for p in positions], planned, height=0.4, color=_GREY, label=labels["planned"])
    ax.barh([p + 0.2 for p in positions], executed, height=0.4, color=_BLUE, label=labels["executed"])
    ax.set_yticks(list(positions), wrapped, fontsize=_FONT)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_amounts())
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(labels["title"], fontsize=_FONT + 1)
    _legend_below(ax, 2)
    return _finish(fig, "components")


def cumulative(periods: list[str], executed: list[float], disbursed: list[float], budget_total: float,
               labels: dict[str, str], lang: str) -> Chart:
    """Cumulative execution and MIF disbursements per period, against the total budget."""
    fig, ax = _subplots(2.6)
    ax.plot(periods, executed, marker="o", color=_BLUE, label=labels["executed"])
    ax.plot(periods, disbursed, marker="s", color=_ORANGE, label=labels["disbursed"])
    ax.axhline(budget_total, color=_GREY, linestyle="--", label=labels["budget"])
    ax.yaxis.set_major_formatter(_amounts())
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title(labels["title"], fontsize=_FONT + 1)
    _legend_below(ax, 3)
    return _finish(fig, "cumulative")


def share_limits(values: list[float], agreed: float, tolerance: float) -> tuple[float, float]:
    """A percentage scale that shows the movement: the values and the agreed band, 5 points either side,
    on multiples of 5 (a 0-100% scale flattens a move from 36% to 46%)."""
    points = [v * 100 for v in values] + [(agreed - tolerance) * 100, (agreed + tolerance) * 100]
    low = max(0.0, 5 * ((min(points) - 5) // 5))
    high = min(100.0, 5 * -(-(max(points) + 5) // 5))
    return low, high


def pari_passu(periods: list[str], counterpart_share: list[float], agreed: float, tolerance: float,
               labels: dict[str, str], lang: str) -> Chart:
    """The counterpart's share of cumulative execution per period, against the agreed share."""
    fig, ax = _subplots(2.5)
    shares = [s * 100 for s in counterpart_share]
    ax.plot(periods, shares, marker="o", color=_BLUE, label=labels["actual"])
    ax.axhline(agreed * 100, color=_GREEN, linestyle="--", label=labels["agreed"])
    ax.axhspan((agreed - tolerance) * 100, (agreed + tolerance) * 100, color=_GREEN, alpha=0.12)
    ax.yaxis.set_major_formatter(_percent())
    ax.set_ylim(*share_limits(counterpart_share, agreed, tolerance))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title(labels["title"], fontsize=_FONT + 1)
    _legend_below(ax, 2)
    return _finish(fig, "pari_passu")


def indicator_status(groups: list[str], counts: dict[str, list[int]], labels: dict[str, str]) -> Chart:
    """How many indicators of each level or component are met, on track, behind, overdue or not yet due.

    A status no indicator has is left out of the legend, which then lists only what the bars show."""
    colours = {"met": _GREEN, "on_track": _BLUE, "behind": _ORANGE, "overdue": _RED, "not_yet_due": _GREY}
    wrapped = [_wrapped(g, 28) for g in groups]
    fig, ax = _subplots(0.3 * max(len(groups), 1) + 1.2)
    left = [0] * len(groups)
    shown = 0
    for status, values in counts.items():
        if not any(values):
            continue
        ax.barh(range(len(groups)), values, left=left, color=colours[status], label=labels[status])
        left = [a + b for a, b in zip(left, values, strict=True)]
        shown += 1
    ax.set_yticks(list(range(len(groups))), wrapped, fontsize=_FONT)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(labels["title"], fontsize=_FONT + 1)
    if not groups:
        ax.text(0.5, 0.5, "–", ha="center", va="center", transform=ax.transAxes)
    if shown:
        _legend_below(ax, min(shown, 5))
    return _finish(fig, "indicators")
