"""Charts for the report, drawn with matplotlib (Agg: no display needed) as PNG bytes.

Each function takes plain figures and already translated labels from the context builder and
returns a `Chart`; the renderer places it in the document with docxtpl's InlineImage.  Charts are
for what a reader would rather look at than read: planned against executed by component, cumulative
execution and disbursements over time, pari passu over time, and indicator progress.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

# Figures are made directly on the Agg canvas (no display needed), without pyplot, whose import and
# figure manager cost a third of a second per compile and keep figures alive until closed.

WIDTH_MM = 160
_BLUE, _ORANGE, _GREY, _GREEN, _RED = "#1f4e79", "#e07b00", "#9e9e9e", "#2e7d32", "#c62828"


@dataclass(frozen=True)
class Chart:
    """A PNG image and the width it takes on the page."""

    name: str
    png: bytes
    width_mm: int = WIDTH_MM


def _grouping(lang: str) -> FuncFormatter:
    # Both report languages group thousands with a comma (see formatting.py).
    return FuncFormatter(lambda value, _pos: f"{value:,.0f}")


def _finish(fig, name: str) -> Chart:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=150)
    return Chart(name, buffer.getvalue())


def _subplots(width: float, height: float):
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def planned_vs_executed(names: list[str], planned: list[float], executed: list[float],
                        labels: dict[str, str], lang: str) -> Chart:
    """Horizontal bars per component: the budget and what has been executed to date."""
    fig, ax = _subplots(7.0, 0.45 * len(names) + 1.4)
    positions = range(len(names))
    ax.barh([p + 0.2 for p in positions], planned, height=0.4, color=_GREY, label=labels["planned"])
    ax.barh([p - 0.2 for p in positions], executed, height=0.4, color=_BLUE, label=labels["executed"])
    ax.set_yticks(list(positions), [textwrap.shorten(n, 48, placeholder="…") for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_grouping(lang))
    ax.set_title(labels["title"], fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return _finish(fig, "components")


def cumulative(periods: list[str], executed: list[float], disbursed: list[float], budget_total: float,
               labels: dict[str, str], lang: str) -> Chart:
    """Cumulative execution and MIF disbursements per period, against the total budget."""
    fig, ax = _subplots(7.0, 3.2)
    ax.plot(periods, executed, marker="o", color=_BLUE, label=labels["executed"])
    ax.plot(periods, disbursed, marker="s", color=_ORANGE, label=labels["disbursed"])
    ax.axhline(budget_total, color=_GREY, linestyle="--", label=labels["budget"])
    ax.yaxis.set_major_formatter(_grouping(lang))
    ax.set_ylim(bottom=0)
    ax.set_title(labels["title"], fontsize=10)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=8)
    return _finish(fig, "cumulative")


def pari_passu(periods: list[str], counterpart_share: list[float], agreed: float, tolerance: float,
               labels: dict[str, str], lang: str) -> Chart:
    """The counterpart's share of cumulative execution per period, against the agreed share."""
    fig, ax = _subplots(7.0, 3.0)
    shares = [s * 100 for s in counterpart_share]
    ax.plot(periods, shares, marker="o", color=_BLUE, label=labels["actual"])
    ax.axhline(agreed * 100, color=_GREEN, linestyle="--", label=labels["agreed"])
    ax.axhspan((agreed - tolerance) * 100, (agreed + tolerance) * 100, color=_GREEN, alpha=0.1)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:.0f}%"))
    ax.set_ylim(0, 100)
    ax.set_title(labels["title"], fontsize=10)
    ax.tick_params(axis="x", labelsize=7)
    ax.legend(fontsize=8)
    return _finish(fig, "pari_passu")


def indicator_status(groups: list[str], counts: dict[str, list[int]], labels: dict[str, str]) -> Chart:
    """How many indicators of each level or component are met, on track, behind, overdue or not yet due."""
    colours = {"met": _GREEN, "on_track": _BLUE, "behind": _ORANGE, "overdue": _RED, "not_yet_due": _GREY}
    fig, ax = _subplots(7.0, 0.4 * max(len(groups), 1) + 1.5)
    left = [0] * len(groups)
    for status, values in counts.items():
        ax.barh(range(len(groups)), values, left=left, color=colours[status], label=labels[status])
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(list(range(len(groups))), groups, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(labels["title"], fontsize=10)
    if not groups:
        ax.text(0.5, 0.5, "–", ha="center", va="center", transform=ax.transAxes)
    ax.legend(fontsize=7, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    return _finish(fig, "indicators")
