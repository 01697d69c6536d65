"""Charts for the report, as native Word charts (DrawingML chart parts).

Each function takes plain figures and already translated labels from the context builder and
returns a `Chart`: the chart part's XML (a `c:chartSpace` whose series carry their figures in their
caches) and the size it is printed at; the renderer adds the part to the document (render.py).  A native
chart is drawn by Word or LibreOffice themselves, so a reader can restyle it in Word (colours, chart
style, labels) and it prints sharp at any zoom; making one is writing a few kilobytes of XML, where drawing
a picture meant importing a plotting library and rasterising four figures on every compile.
Charts are for what a reader would rather look at than read: planned against executed by component,
cumulative execution and disbursements over time, pari passu over time, and indicator progress.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH_MM = 160
_INCH_MM = 25.4
FONT = "Arial"      # the report's font (LibreOffice prints it with the metric-compatible Liberation Sans)
_FONT_PT = 8
_BLUE, _ORANGE, _GREY, _GREEN, _RED = "1F4E79", "E07B00", "9E9E9E", "2E7D32", "C62828"
_GRID = "DDDDDD"
# Money on an axis: 1.2M above a million, 600k above a thousand (Excel number format, read by Word and LibreOffice).
AMOUNT_FORMAT = '[>=1000000]0.0,,"M";[>=1000]0,"k";0'
PERCENT_FORMAT = "0%"
_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_CATEGORY_AXIS, _VALUE_AXIS = 500100, 500200
DATA_RELATIONSHIP = "rId1"   # the chart part's one relationship: its embedded data sheet (render.py)


@dataclass(frozen=True)
class Chart:
    """A native chart: its part's XML, the size it takes on the page, a title for its alternative text, and
    its data sheet (a header row of series names, then a category and its figures per row), which the renderer
    embeds so that Word's "Edit Data" opens the figures the chart shows."""

    name: str
    xml: bytes
    title: str
    data: tuple[tuple, ...] = ()
    width_mm: float = WIDTH_MM
    height_mm: float = 70.0


def _data(categories: list[str], series: list[tuple[str, list[float]]]) -> tuple[tuple, ...]:
    """The chart's data sheet: series names in row 1 from column B, categories in column A (as the references
    in the chart part say)."""
    return (("", *(name for name, _ in series)),
            *((category, *(values[n] for _, values in series)) for n, category in enumerate(categories)))


# -- DrawingML pieces --------------------------------------------------------------------------------

def _text_properties(size_pt: float = _FONT_PT, bold: bool = False) -> str:
    """Font, size and weight of a chart element's text (c:txPr)."""
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{round(size_pt * 100)}" '
            f'b="{int(bold)}"><a:latin typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr></a:pPr>'
            '<a:endParaRPr lang="en-US"/></a:p></c:txPr>')


def _line(colour: str, width_pt: float = 1.5, dash: str = "") -> str:
    dashed = f'<a:prstDash val="{dash}"/>' if dash else ""
    return (f'<a:ln w="{round(width_pt * 12700)}" cap="rnd"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'{dashed}<a:round/></a:ln>')


def _fill(colour: str, alpha_pct: int = 100) -> str:
    alpha = f'<a:alpha val="{alpha_pct * 1000}"/>' if alpha_pct < 100 else ""
    return f'<a:solidFill><a:srgbClr val="{colour}">{alpha}</a:srgbClr></a:solidFill>'


def _column(index: int) -> str:
    """The column of the chart's data sheet a series' figures are said to come from (categories in A)."""
    return chr(ord("B") + index)


def _strings(reference: str, values: list[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return (f'<c:strRef><c:f>{reference}</c:f><c:strCache><c:ptCount val="{len(values)}"/>{points}</c:strCache>'
            '</c:strRef>')


def _numbers(reference: str, values: list[float], number_format: str) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{float(v)!r}</c:v></c:pt>' for i, v in enumerate(values)
                     if v is not None and math.isfinite(v))
    return (f'<c:numRef><c:f>{reference}</c:f><c:numCache><c:formatCode>{escape(number_format)}</c:formatCode>'
            f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>')


def _series(kind: str, index: int, name: str, categories: list[str], values: list[float], shape: str, *,
            number_format: str, marker: tuple[str, str] | None = None) -> str:
    """One series of a bar, line or area chart: its name, its look (c:spPr), and its categories and values,
    written into the part (each said to come from a column of a data sheet, as Word's own charts are)."""
    column, last = _column(index), len(categories) + 1
    parts = [f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>',
             f'<c:tx>{_strings(f"Sheet1!${column}$1", [name])}</c:tx><c:spPr>{shape}</c:spPr>']
    if kind == "bar":
        parts.append('<c:invertIfNegative val="0"/>')
    elif kind == "line":
        symbol, colour = marker or ("none", "")   # a line's points: a symbol in its colour, or none
        look = f'<c:size val="5"/><c:spPr>{_fill(colour)}{_line(colour, 0.75)}</c:spPr>' if marker else ""
        parts.append(f'<c:marker><c:symbol val="{symbol}"/>{look}</c:marker>')
    parts.append(f'<c:cat>{_strings(f"Sheet1!$A$2:$A${last}", categories)}</c:cat>'
                 f'<c:val>{_numbers(f"Sheet1!${column}$2:${column}${last}", values, number_format)}</c:val>')
    if kind == "line":
        parts.append('<c:smooth val="0"/>')
    parts.append("</c:ser>")
    return "".join(parts)


def _category_axis(position: str, *, reverse: bool = False) -> str:
    orientation = "maxMin" if reverse else "minMax"
    return (f'<c:catAx><c:axId val="{_CATEGORY_AXIS}"/><c:scaling><c:orientation val="{orientation}"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{position}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
            '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
            f'<c:spPr>{_line(_GREY, 0.75)}</c:spPr>{_text_properties()}'
            f'<c:crossAx val="{_VALUE_AXIS}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
            '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')


def _value_axis(position: str, number_format: str, *, low: float | None = None, high: float | None = None,
                unit: float | None = None, crosses: str = "autoZero", between: str = "between") -> str:
    bounds = (f'<c:max val="{high!r}"/>' if high is not None else "") + \
             (f'<c:min val="{low!r}"/>' if low is not None else "")
    step = f'<c:majorUnit val="{unit!r}"/>' if unit else ""
    return (f'<c:valAx><c:axId val="{_VALUE_AXIS}"/><c:scaling><c:orientation val="minMax"/>{bounds}</c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{position}"/>'
            f'<c:majorGridlines><c:spPr>{_line(_GRID, 0.5)}</c:spPr></c:majorGridlines>'
            f'<c:numFmt formatCode={quoteattr(number_format)} sourceLinked="0"/>'
            '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>{_text_properties()}'
            f'<c:crossAx val="{_CATEGORY_AXIS}"/><c:crosses val="{crosses}"/><c:crossBetween val="{between}"/>'
            f'{step}</c:valAx>')


def _inner_layout(height_mm: float, left: float) -> str:
    """Where the plot itself sits, as fractions of the chart: from `left` to the right edge, between the title and
    the axis labels and legend below.  Bars with long names on the left get a fixed share of the width, where
    their names wrap, rather than the automatic layout's, which gives the longest name a line of its own."""
    top, bottom = 10 / height_mm, 16 / height_mm
    return ('<c:layout><c:manualLayout><c:layoutTarget val="inner"/><c:xMode val="edge"/><c:yMode val="edge"/>'
            f'<c:x val="{left}"/><c:y val="{top:.4f}"/><c:w val="{0.97 - left:.4f}"/>'
            f'<c:h val="{max(0.2, 1 - top - bottom):.4f}"/></c:manualLayout></c:layout>')


def _chart_space(title: str, plots: str, axes: str, hidden_legend_entries: tuple[int, ...] = (),
                 layout: str = "<c:layout/>") -> bytes:
    """The whole part: title on top, the plots and their axes, the legend below, no border."""
    hidden = "".join(f'<c:legendEntry><c:idx val="{i}"/><c:delete val="1"/></c:legendEntry>'
                     for i in hidden_legend_entries)
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {_NS}>'
           '<c:date1904 val="0"/><c:roundedCorners val="0"/><c:chart>'
           f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{(_FONT_PT + 1) * 100}" b="1">'
           f'<a:latin typeface="{FONT}"/></a:defRPr></a:pPr><a:r><a:rPr lang="en-US" sz="{(_FONT_PT + 1) * 100}" '
           f'b="1"><a:latin typeface="{FONT}"/></a:rPr><a:t>{escape(title)}</a:t></a:r></a:p></c:rich></c:tx>'
           '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
           f'<c:plotArea>{layout}{plots}{axes}<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr></c:plotArea>'
           f'<c:legend><c:legendPos val="b"/>{hidden}<c:overlay val="0"/>{_text_properties()}</c:legend>'
           '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
           '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
           f'{_text_properties()}<c:externalData r:id="{DATA_RELATIONSHIP}"><c:autoUpdate val="0"/></c:externalData>'
           '</c:chartSpace>')
    return xml.encode("utf-8")


def _axis_ids() -> str:
    return f'<c:axId val="{_CATEGORY_AXIS}"/><c:axId val="{_VALUE_AXIS}"/>'


def _bars(series: str, *, stacked: bool) -> str:
    grouping = "stacked" if stacked else "clustered"
    overlap = '<c:overlap val="100"/>' if stacked else '<c:overlap val="-10"/>'
    return (f'<c:barChart><c:barDir val="bar"/><c:grouping val="{grouping}"/><c:varyColors val="0"/>{series}'
            f'<c:gapWidth val="60"/>{overlap}{_axis_ids()}</c:barChart>')


def _lines(series: str) -> str:
    return (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
            f'<c:marker val="1"/>{_axis_ids()}</c:lineChart>')


def _height_mm(inches: float) -> float:
    return round(inches * _INCH_MM, 1)


# -- the report's charts -----------------------------------------------------------------------------

def planned_vs_executed(names: list[str], planned: list[float], executed: list[float],
                        labels: dict[str, str], lang: str) -> Chart:
    """Horizontal bars per component: the budget and what has been executed to date (first component on top)."""
    series = (_series("bar", 0, labels["planned"], names, planned, _fill(_GREY), number_format=AMOUNT_FORMAT)
              + _series("bar", 1, labels["executed"], names, executed, _fill(_BLUE), number_format=AMOUNT_FORMAT))
    lines_per_name = max((math.ceil(len(n) / 40) for n in names), default=1)
    height = _height_mm(1.1 + len(names) * (0.14 * lines_per_name + 0.12) + 0.3)
    axes = _category_axis("l", reverse=True) + _value_axis("b", AMOUNT_FORMAT, low=0.0, crosses="max")
    return Chart("components", _chart_space(labels["title"], _bars(series, stacked=False), axes,
                                            layout=_inner_layout(height, 0.36)), labels["title"],
                 _data(names, [(labels["planned"], planned), (labels["executed"], executed)]), height_mm=height)


def cumulative(periods: list[str], executed: list[float], disbursed: list[float], budget_total: float,
               labels: dict[str, str], lang: str) -> Chart:
    """Cumulative execution and MIF disbursements per period, against the total budget."""
    money = {"number_format": AMOUNT_FORMAT}
    series = (_series("line", 0, labels["executed"], periods, executed, _line(_BLUE), marker=("circle", _BLUE), **money)
              + _series("line", 1, labels["disbursed"], periods, disbursed, _line(_ORANGE), marker=("square", _ORANGE),
                        **money)
              + _series("line", 2, labels["budget"], periods, [budget_total] * len(periods),
                        _line(_GREY, 1.25, "dash"), **money))
    axes = _category_axis("b") + _value_axis("l", AMOUNT_FORMAT, low=0.0, between="midCat")
    data = _data(periods, [(labels["executed"], executed), (labels["disbursed"], disbursed),
                           (labels["budget"], [budget_total] * len(periods))])
    return Chart("cumulative", _chart_space(labels["title"], _lines(series), axes), labels["title"], data,
                 height_mm=_height_mm(2.6))


def share_limits(values: list[float], agreed: float, tolerance: float) -> tuple[float, float]:
    """A percentage scale that shows the movement: the values and the agreed band, 5 points either side,
    on multiples of 5 (a 0-100% scale flattens a move from 36% to 46%)."""
    points = [v * 100 for v in values] + [(agreed - tolerance) * 100, (agreed + tolerance) * 100]
    low = max(0.0, 5 * ((min(points) - 5) // 5))
    high = min(100.0, 5 * -(-(max(points) + 5) // 5))
    return low, high


def pari_passu(periods: list[str], counterpart_share: list[float], agreed: float, tolerance: float,
               labels: dict[str, str], lang: str) -> Chart:
    """The counterpart's share of cumulative execution per period, against the agreed share and its band.

    The band (agreed share ± tolerance) is a stacked area: an invisible part up to its lower edge and a pale
    green part as wide as the band; neither is in the legend, which names the actual and the agreed share."""
    count, share = len(periods), {"number_format": PERCENT_FORMAT}
    no_line = "<a:ln><a:noFill/></a:ln>"
    band = (_series("area", 0, labels["band"], periods, [agreed - tolerance] * count, "<a:noFill/>" + no_line,
                    **share)
            + _series("area", 1, labels["band"], periods, [2 * tolerance] * count, _fill(_GREEN, 15) + no_line,
                      **share))
    area = f'<c:areaChart><c:grouping val="stacked"/><c:varyColors val="0"/>{band}{_axis_ids()}</c:areaChart>'
    series = (_series("line", 2, labels["actual"], periods, counterpart_share, _line(_BLUE), marker=("circle", _BLUE),
                      **share)
              + _series("line", 3, labels["agreed"], periods, [agreed] * count, _line(_GREEN, 1.25, "dash"), **share))
    low, high = share_limits(counterpart_share, agreed, tolerance)
    axes = _category_axis("b") + _value_axis("l", PERCENT_FORMAT, low=low / 100, high=high / 100,
                                             unit=0.05 if high - low <= 40 else 0.1, between="midCat")
    data = _data(periods, [(labels["band"], [agreed - tolerance] * count), (labels["band"], [2 * tolerance] * count),
                           (labels["actual"], counterpart_share), (labels["agreed"], [agreed] * count)])
    return Chart("pari_passu", _chart_space(labels["title"], area + _lines(series), axes, (0, 1)),
                 labels["title"], data, height_mm=_height_mm(2.5))


def integer_step(largest: int) -> int:
    """A whole-number step for a count axis with at most about eight marks: 1, 2, 5, 10, 20, 50..."""
    step = 1
    while largest / step > 8:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def indicator_status(groups: list[str], counts: dict[str, list[int]], labels: dict[str, str]) -> Chart:
    """How many indicators of each level or component are met, on track, behind, overdue or not yet due.

    A status no indicator has is left out, so the legend lists only what the bars show."""
    colours = {"met": _GREEN, "on_track": _BLUE, "behind": _ORANGE, "overdue": _RED, "not_yet_due": _GREY}
    names = groups or ["–"]
    shown = [(status, [float(v) for v in values]) for status, values in counts.items() if any(values)]
    # Nothing to count: one empty series keeps the chart's frame and its title.
    named = [(labels[status], values, colours[status]) for status, values in shown] or \
        [("–", [0.0] * len(names), _GREY)]
    series = "".join(_series("bar", i, name, names, values, _fill(colour), number_format="0")
                     for i, (name, values, colour) in enumerate(named))
    largest = max(sum(column) for column in zip(*(values for _, values, _ in named), strict=True))
    height = _height_mm(0.3 * len(names) + 1.2)
    axes = _category_axis("l", reverse=True) + _value_axis("b", "0", low=0.0,
                                                           unit=float(integer_step(int(largest) or 1)), crosses="max")
    return Chart("indicators", _chart_space(labels["title"], _bars(series, stacked=True), axes,
                                            layout=_inner_layout(height, 0.3)), labels["title"],
                 _data(names, [(name, values) for name, values, _ in named]), height_mm=height)
