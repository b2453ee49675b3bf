"""Plotly figures as PNG images, drawn with matplotlib: no browser, nothing downloaded.

The post-event summary (a Word document) carries the figures the screen showed. plotly's own export
(kaleido) drives a Chrome, which a fresh machine lacks and must not fetch; matplotlib's Agg draws in
this process. So this module reads the figures alkedash.charts builds (grouped, stacked and
overlaid bars with their patterns and labels, heatmaps with their numbers and colour bar, lines on a
date axis with the breaks cut out, filled region outlines, annotations, legends) and draws each with
matplotlib's object API, never pyplot, whose global figure registry the app's session threads
would share.

Sizes follow the figure's own: plotly's pixels are meant for a figure about 1000 px wide, so a
1600 px picture draws every font, line and margin 1.6 times as large. Defaults come from the
figure's template, as in plotly. A trace type this module does not know (a pie, a map) is left out
and the rest of the figure is still drawn.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import itertools
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PatchCollection
from matplotlib.colors import Colormap, LinearSegmentedColormap, Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator, NullLocator
from matplotlib.transforms import (
    Bbox,
    BboxTransformTo,
    Transform,
    TransformedBbox,
    blended_transform_factory,
    offset_copy,
)
from plotly.exceptions import PlotlyError

Floats = npt.NDArray[np.float64]
RGBA = tuple[float, float, float, float]
Trace = dict[str, Any]  # one trace of the figure's plain JSON form

_REFERENCE_WIDTH = 1000  # px: the width plotly's sizes are meant for when the figure sets none
_DEFAULT_HEIGHT = 450  # px: plotly's own default height
_FAMILY = "DejaVu Sans"  # ships with matplotlib, so every machine has it; ä, ö and å included
_TEXTPAD = 3  # px between a bar's end and its label, as in plotly
_DARK_TEXT, _LIGHT_TEXT = "#444444", "#FFFFFF"  # plotly's text colours on light and dark fills
# One drawing at a time: matplotlib promises no thread safety, and drawing is CPU work under the GIL
# anyway, so a lock costs the app's threads nothing they would otherwise have had.
_LOCK = threading.Lock()
# plotly's marker symbols as matplotlib's; any other is drawn as a circle
_SYMBOLS = {
    "circle": "o",
    "square": "s",
    "diamond": "D",
    "cross": "P",
    "x": "X",
    "triangle-up": "^",
    "triangle-down": "v",
    "triangle-left": "<",
    "triangle-right": ">",
    "pentagon": "p",
    "hexagon": "h",
    "star": "*",
}
_DRAWN = ("bar", "heatmap", "scatter", "scattergl")  # the trace types drawn; others are left out
# plotly's colours for traces that set none, where the figure has no template
_COLOURWAY = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


def png(*, figure: go.Figure, width: int = 1600, height: int | None = None, dpi: int = 200) -> bytes:
    """`figure` as a PNG of `width` x `height` pixels, for documents that cannot run plotly's
    JavaScript. Without `height`, the figure's own height scaled like its width, so the picture
    keeps the shape it has on the screen; `dpi` sets how large the fonts are against the pixels."""
    if width < 1 or dpi < 1 or (height is not None and height < 1):
        raise ValueError(f"width, height and dpi must be positive, not {width}, {height}, {dpi}")
    with _LOCK:
        return _Drawing(figure=figure, width=width, height=height, dpi=dpi).png()


# --- small readers ------------------------------------------------------------------------------


def _get(obj: Any, path: str) -> Any:
    """A property of a figure's plain JSON form by its dotted path ("marker.line.color"); None where
    unset. (The plain form, not plotly's objects: reading those is a millisecond a property.)"""
    value = obj
    for key in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:  # a figure read back from JSON
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(n) for n in str(value.get("shape") or "").split(",") if n.strip()]
        return array.reshape(shape) if shape else array
    return value


def _nth(value: Any, i: int) -> Any:
    """Item `i` of a per-point property, or the property itself where it is one value for all points."""
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        return value
    return value[i] if i < len(value) else None


def _seq(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return list(value)
    if isinstance(value, str) or not isinstance(value, Sequence):
        return [value]
    return list(value)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _num(value: Any, default: float) -> float:
    """A number, or `default` where the value is unset or not a finite number."""
    number = _float(value)
    return number if math.isfinite(number) else default


def _floats(values: Any) -> Floats:
    return np.array([_float(v) for v in _seq(values)], dtype=np.float64)


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _plain(text: Any) -> str:
    """Plotly's text markup as plain text: <br> as a new line, other tags dropped, and '$' kept as a
    character (matplotlib would read a pair of them as mathematics)."""
    if _is_missing(text):
        return ""
    out = html.unescape(_TAG.sub("", _BREAK.sub("\n", str(text))))
    return out.replace("$", r"\$")


_RGB = re.compile(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)")


def _rgba(colour: Any) -> RGBA | None:
    """A CSS colour as plotly reads it (#hex, rgb(), rgba(), a name), or None."""
    if not isinstance(colour, str):
        return None
    value = colour.strip().lower()
    if value == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    found = _RGB.fullmatch(value)
    if found:
        r, g, b = (min(float(found[i]), 255.0) / 255 for i in (1, 2, 3))
        return (r, g, b, float(found[4]) if found[4] else 1.0)
    try:
        return to_rgba(value)
    except ValueError:
        return None


def _luminance(colour: RGBA) -> float:
    """WCAG relative luminance, the colour laid over white."""
    r, g, b, a = colour
    linear = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in (a * v + 1 - a for v in (r, g, b))]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(fill: RGBA) -> str:
    """plotly's text colour on a fill: white where white contrasts more than its dark grey does."""
    luminance = _luminance(fill)
    dark = _luminance(to_rgba(_DARK_TEXT))
    return _LIGHT_TEXT if 1.05 / (luminance + 0.05) > (luminance + 0.05) / (dark + 0.05) else _DARK_TEXT


def _with_alpha(colour: RGBA, alpha: float) -> RGBA:
    return (colour[0], colour[1], colour[2], colour[3] * alpha)


def _colormap(scale: Any, *, reverse: bool) -> Colormap:
    """A plotly colour scale ([[0, colour], ..., [1, colour]] or a scale's name) as a colour map."""
    if isinstance(scale, str):
        try:
            scale = plotly.colors.get_colorscale(scale)
        except PlotlyError:  # an unknown name: plotly itself falls back to its default
            scale = None
    stops: list[tuple[float, RGBA]] = []
    for stop in _seq(scale):
        try:
            where, colour = float(stop[0]), _rgba(stop[1])
        except (TypeError, ValueError, IndexError):
            continue
        if colour is not None:
            stops.append((where, colour))
    if len(stops) < 2:
        stops = [(0.0, (0.05, 0.03, 0.53, 1.0)), (1.0, (0.94, 0.98, 0.13, 1.0))]  # plasma's ends
    if reverse:
        stops = [(1 - w, c) for w, c in reversed(stops)]
    return LinearSegmentedColormap.from_list("plotly", stops)


_EPOCH = pd.Timestamp("1970-01-01")
_DAY = pd.Timedelta(days=1)
_DATE_LIKE = re.compile(
    r"\s*\d{4}-\d{1,2}(-\d{1,2})?([ T]\d{1,2}(:\d{2}(:\d{2}(\.\d*)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*"
)


def _days(values: Any) -> Floats:
    """Dates as days since 1970 on the wall clock: plotly shows a time in the zone it was given in."""
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        stamps = values.astype("datetime64[ns]")
        out = (stamps - np.datetime64("1970-01-01", "ns")) / np.timedelta64(1, "D")
        return np.where(np.isnat(stamps), np.nan, out).astype(np.float64)
    days = []
    for value in _seq(values):
        try:
            stamp = pd.Timestamp(value)
        except (TypeError, ValueError):
            days.append(math.nan)
            continue
        if stamp is pd.NaT:
            days.append(math.nan)
            continue
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        days.append((stamp - _EPOCH) / _DAY)
    return np.array(days, dtype=np.float64)


def _kind(values: Any) -> str | None:
    """Plotly's axis type for the values: 'date', 'linear' or 'category' (None: nothing to tell by)."""
    if isinstance(values, np.ndarray):
        if np.issubdtype(values.dtype, np.datetime64):
            return "date"
        if np.issubdtype(values.dtype, np.number):
            return "linear"
    numbers = dates = words = 0
    for value in _seq(values)[:1000]:
        if _is_missing(value):
            continue
        if isinstance(value, dt.date | np.datetime64):
            dates += 1
        elif isinstance(value, bool | int | float | np.number):
            numbers += 1
        elif isinstance(value, str) and value.strip():
            if not math.isnan(_float(value)):
                numbers += 1
            elif _DATE_LIKE.fullmatch(value):
                dates += 1
            else:
                words += 1
        else:
            words += 1
    if words:
        return "category"
    if dates:
        return "date"
    return "linear" if numbers else None


def _number(value: float, *, step: float) -> str:
    """A tick number as plotly writes it: as many decimals as the step needs, a real minus sign,
    and k/M/G from ten thousand up."""
    if not math.isfinite(value):
        return ""
    suffix = ""
    for size, letter in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(step) >= size and (abs(value) >= 10 * size or abs(step) >= 10 * size):
            value, step, suffix = value / size, step / size, letter
            break
    decimals = next((d for d in range(12) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d), 12)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", "−") + suffix


_TEMPLATE_VAR = re.compile(r"%\{([^}:|]+)(?::([^}|]*))?(?:\|[^}]*)?\}")


def _tick_step(span: float, *, count: float, length: float, letter: str) -> float:
    """plotly's automatic tick step: about one tick per 80 px across (40 px up), at most ten, the
    step rounded up to 2, 5 or 10 times a power of ten."""
    count = count or min(9.0, max(4.0, length / (40 if letter == "y" else 80))) + 1
    rough = abs(span) / count
    if not (math.isfinite(rough) and rough > 0):
        return 1.0
    base = 10.0 ** math.floor(math.log10(rough))
    return base * next(m for m in (2, 5, 10) if m >= rough / base - 1e-9)


def _third(value: float, low: str, middle: str, high: str) -> str:
    """plotly's "auto" anchor: by which third of the plot area the value falls in."""
    return low if value <= 1 / 3 else (high if value >= 2 / 3 else middle)


def _fill_template(template: str, values: dict[str, Any]) -> str:
    """Plotly's texttemplate for one point: %{text}, %{x}, %{y}, %{z} with simple d3 formats."""

    def one(found: re.Match[str]) -> str:
        value = values.get(found[1].strip())
        if _is_missing(value):
            return ""
        spec = (found[2] or "").replace("~", "")
        if spec:
            try:
                return format(value, spec)
            except (TypeError, ValueError):
                pass
        return str(value)

    return _TEMPLATE_VAR.sub(one, template)


# --- the axes -----------------------------------------------------------------------------------


@dataclass
class _Axis:
    """One plotly axis: how its values become positions, and the range it will show."""

    name: str  # "xaxis", "yaxis2"
    kind: str = "linear"  # "linear", "date" or "category" (a log axis is drawn linear)
    categories: dict[str, int] = field(default_factory=dict)
    breaks: list[tuple[float, float]] = field(default_factory=list)  # days, hidden from the axis
    extents: list[tuple[float, bool]] = field(default_factory=list)  # (position, padded)
    room: list[float] = field(default_factory=lambda: [0.0, 0.0])  # px for labels past the low/high end
    limits: tuple[float, float] = (0.0, 1.0)
    owner: Axes | None = None  # the matplotlib axes that draws this axis's ticks and title

    @property
    def letter(self) -> str:
        return self.name[0]

    def compress(self, days: Floats) -> Floats:
        """Dates as positions with the range breaks taken out, so breaks take no room."""
        out = days.copy()
        for start, end in self.breaks:
            out -= np.clip(days - start, 0.0, end - start)
        return out

    def expand(self, position: float) -> float:
        """A position back to its date (days): the inverse of `compress`."""
        day = position
        for start, end in self.breaks:
            if day >= start:
                day += end - start
        return day

    def positions(self, values: Any) -> Floats:
        if self.kind == "category":
            return np.array(
                [math.nan if _is_missing(v) else self.categories.get(str(v), math.nan) for v in _seq(values)],
                dtype=np.float64,
            )
        if self.kind == "date":
            return self.compress(_days(values))
        return _floats(values)

    def extend(self, values: Floats, *, padded: bool) -> None:
        finite = values[np.isfinite(values)]
        if finite.size:
            self.extents += [(float(finite.min()), padded), (float(finite.max()), padded)]

    @property
    def inverted(self) -> bool:
        return self.limits[0] > self.limits[1]


@dataclass
class _Bar:
    """One drawn bar, kept for its label, which is placed once the axes' ranges are known."""

    trace: Trace
    index: int
    horizontal: bool
    centre: float
    width: float
    base: float
    value: float
    face: RGBA
    axes: Axes
    position_axis: _Axis
    value_axis: _Axis


@dataclass
class _Entry:
    """One legend entry."""

    rank: float
    order: int
    label: str
    handle: Any
    line: bool  # drawn as a line (wider handle)


@dataclass
class _ColourBar:
    trace: Trace
    cmap: Colormap
    norm: Normalize
    axes: Axes | None = None
    title: Text | None = None


# --- the drawing --------------------------------------------------------------------------------


class _Drawing:
    """One figure drawn once: build with the figure and the size, call png()."""

    def __init__(self, *, figure: go.Figure, width: int, height: int | None, dpi: int) -> None:
        spec = figure.to_plotly_json()
        self.data: list[dict[str, Any]] = [t for t in _seq(spec.get("data")) if isinstance(t, dict)]
        self.layout: dict[str, Any] = spec.get("layout") or {}
        self.template_layout = _get(self.layout, "template.layout")
        self.template_data = _get(self.layout, "template.data")
        self.scale = width / (_num(self.layout.get("width"), _REFERENCE_WIDTH))
        own_height = _num(self.layout.get("height"), _DEFAULT_HEIGHT)
        self.width = width
        self.height = height or max(1, round(own_height * self.scale))
        self.dpi = dpi
        self.paper = _rgba(self.lay("paper_bgcolor", "white")) or (1.0, 1.0, 1.0, 1.0)
        self.plot_bg = _rgba(self.lay("plot_bgcolor", "white")) or (1.0, 1.0, 1.0, 1.0)
        self.font_size = _num(self.lay("font.size", 12), 12.0)
        self.font_colour = _rgba(self.lay("font.color")) or to_rgba(_DARK_TEXT)
        # A hair over the size, so that Agg's truncation to whole pixels gives exactly width x height.
        self.fig = Figure(
            figsize=((self.width + 1e-6) / dpi, (self.height + 1e-6) / dpi), dpi=dpi, facecolor=self.paper
        )
        self.canvas = FigureCanvasAgg(self.fig)
        self.plot_box = Bbox.from_bounds(0.1, 0.1, 0.8, 0.8)  # the plot area, figure fraction; set by _place
        self.plot_transform: Transform = BboxTransformTo(TransformedBbox(self.plot_box, self.fig.transFigure))
        self.axes: dict[str, _Axis] = {}
        self.subplots: dict[tuple[str, str], Axes] = {}
        self.bars: list[_Bar] = []
        self.entries: list[_Entry] = []
        self.colour_bars: list[_ColourBar] = []
        self.legend: Legend | None = None
        self.title_band = 0.0  # px at the top taken by the title
        self.shrinkable: list[tuple[Text, Callable[[], tuple[float, float]], int]] = []  # (text, room, group)
        self.later: list[Callable[[], None]] = []  # bar labels: placed once the ranges are known
        self.stacks: dict[tuple[int, bool, float, bool], float] = {}  # stacked bars' tops so far
        self.last_line: dict[int, Floats] = {}  # per subplot, the line a "tonext" fill fills to

    @property
    def renderer(self) -> RendererAgg:
        """For measuring text before the picture is drawn."""
        renderer: RendererAgg = self.canvas.get_renderer()  # type: ignore[no-untyped-call]  # untyped in the stubs
        return renderer

    # sizes: plotly px -> output px (`px`) or points (`pt`)
    def px(self, value: float) -> float:
        return value * self.scale

    def pt(self, value: float) -> float:
        return value * self.scale * 72 / self.dpi

    def lay(self, path: str, default: Any = None) -> Any:
        """A layout property, else the template's, else `default`."""
        for source in (self.layout, self.template_layout):
            value = _get(source, path)
            if value is not None:
                return value
        return default

    def axis_prop(self, axis: _Axis, path: str, default: Any = None) -> Any:
        for source in (_get(self.layout, axis.name), _get(self.template_layout, f"{axis.letter}axis")):
            value = _get(source, path)
            if value is not None:
                return value
        return default

    def trace_prop(self, trace: Trace, path: str, default: Any = None) -> Any:
        value = _get(trace, path)
        if value is not None:
            return value
        for template_trace in _seq(_get(self.template_data, str(trace.get("type"))))[:1]:
            value = _get(template_trace, path)
            if value is not None:
                return value
        return default

    def colourway(self, index: int) -> RGBA:
        """The colour plotly gives the index-th trace that sets none."""
        colours = _seq(self.lay("colorway")) or _COLOURWAY
        return _rgba(colours[index % len(colours)]) or to_rgba(_COLOURWAY[0])

    # --- the whole --------------------------------------------------------------------------------

    def png(self) -> bytes:
        self._title()
        self._make_axes()
        self._place(self._margins())  # a first plot area, for how many ticks fit
        drawers: dict[str, Callable[[int, Any, Axes, _Axis, _Axis], None]] = {
            "bar": self._bar,
            "heatmap": self._heatmap,
            "scatter": self._scatter,
            "scattergl": self._scatter,
        }
        for index, trace in enumerate(self.data):
            draw = drawers.get(str(trace.get("type")))
            if draw is None or trace.get("visible") in (False, "legendonly"):
                continue  # a trace type not drawn here: left out, the rest of the figure still drawn
            x, y = self._axis_names(trace)
            draw(index, trace, self.subplots[(x, y)], self.axes[x], self.axes[y])
        for (x, y), ax in self.subplots.items():
            self._style(ax, self.axes[x], self.axes[y])
        for run in self.later:
            run()
        self._colour_bars()
        self._annotations()
        self._legend()
        self._fit()
        self._aspect()
        self._shrink()
        out = io.BytesIO()
        self.fig.savefig(out, format="png", dpi=self.dpi, facecolor=self.paper, metadata={"Software": None})
        return out.getvalue()

    # --- axes ---------------------------------------------------------------------------------------

    @staticmethod
    def _axis_names(trace: Trace) -> tuple[str, str]:
        x, y = _get(trace, "xaxis") or "x", _get(trace, "yaxis") or "y"
        return f"xaxis{x[1:]}", f"yaxis{y[1:]}"

    def _make_axes(self) -> None:
        traces = [t for t in self.data if t.get("type") in _DRAWN]
        pairs = list(dict.fromkeys(self._axis_names(t) for t in traces))
        if not self.data:
            pairs = [("xaxis", "yaxis")]  # an empty figure: plotly still shows its axes
        for x, y in pairs:
            for name in (x, y):
                if name not in self.axes:
                    self.axes[name] = self._axis(name, [t for t in traces if name in self._axis_names(t)])
        for x, y in pairs:
            ax = self.fig.add_axes((0.1, 0.1, 0.8, 0.8))
            ax.set_facecolor(self.plot_bg)
            if any(a.owner is not None for a in (self.axes[x], self.axes[y])):
                ax.patch.set_visible(False)  # an overlaid subplot: the first one draws the background
            for axis in (self.axes[x], self.axes[y]):
                axis.owner = axis.owner or ax
            self.subplots[(x, y)] = ax

    def _axis(self, name: str, traces: list[Any]) -> _Axis:
        axis = _Axis(name=name)
        letter = name[0]
        samples = [_get(t, letter) for t in traces]
        wanted = self.axis_prop(axis, "type", "-")
        if wanted in ("linear", "date", "category"):
            axis.kind = wanted
        else:
            kinds = [k for k in (_kind(s) for s in samples if s is not None) if k]
            axis.kind = "category" if "category" in kinds else (kinds[0] if kinds else "linear")
        if axis.kind == "category":
            seen: dict[str, int] = {}
            for sample in samples:
                for value in _seq(sample):
                    if not _is_missing(value):
                        seen.setdefault(str(value), len(seen))
            order = self.axis_prop(axis, "categoryorder", "trace")
            names = list(seen)
            if order == "array":
                given = [str(v) for v in _seq(self.axis_prop(axis, "categoryarray"))]
                names = given + [n for n in names if n not in given]
            elif order in ("category ascending", "category descending"):
                names.sort(reverse=order.endswith("descending"))
            axis.categories = {n: i for i, n in enumerate(names)}
        if axis.kind == "date":
            for rangebreak in _seq(self.axis_prop(axis, "rangebreaks")):
                if _get(rangebreak, "enabled") is False:
                    continue
                bounds = _seq(_get(rangebreak, "bounds"))
                if len(bounds) == 2 and _get(rangebreak, "pattern") in (None, ""):
                    start, end = _days(bounds)
                    if math.isfinite(start) and math.isfinite(end):
                        axis.breaks.append((min(start, end), max(start, end)))
                width = (_num(_get(rangebreak, "dvalue"), 86_400_000)) / 86_400_000
                axis.breaks += [(day, day + width) for day in _days(_get(rangebreak, "values")) if math.isfinite(day)]
            axis.breaks = self._merged(sorted(axis.breaks))
        return axis

    @staticmethod
    def _merged(breaks: list[tuple[float, float]]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for start, end in breaks:
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        return out

    def _style(self, ax: Axes, xa: _Axis, ya: _Axis) -> None:
        """Ranges, ticks, grid, titles: plotly's axis properties on a matplotlib axes."""
        ax.set_axisbelow(True)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for axis in (xa, ya):
            self._limits(axis)
        ax.set_xlim(*xa.limits)
        ax.set_ylim(*ya.limits)
        for axis in (xa, ya):
            self._ticks(ax, axis)

    def _aspect(self) -> None:
        """plotly's scaleanchor: one unit on both axes the same length on the picture (times the
        scale ratio). As plotly does by default, a range grows to fill the plot area."""
        for (x, y), ax in self.subplots.items():
            xa, ya = self.axes[x], self.axes[y]
            ratio = 0.0
            for this, other in ((ya, xa), (xa, ya)):
                anchor = str(self.axis_prop(this, "scaleanchor") or "")
                if anchor and f"{other.letter}axis{anchor[1:]}" == other.name:
                    given = _num(self.axis_prop(this, "scaleratio", 1), 1.0) or 1.0
                    ratio = given if this is ya else 1 / given  # px per y unit / px per x unit
            if not ratio:
                continue
            box = ax.get_position()
            width, height = box.width * self.width, box.height * self.height
            x_span, y_span = abs(xa.limits[1] - xa.limits[0]) or 1.0, abs(ya.limits[1] - ya.limits[0]) or 1.0
            y_per_x = (height / y_span) / (width / x_span) / ratio  # > 1: y is drawn too large
            axis, grow = (ya, y_per_x) if y_per_x > 1 else (xa, 1 / y_per_x)
            low, high = axis.limits
            middle, half = (low + high) / 2, (high - low) / 2 * grow
            axis.limits = (middle - half, middle + half)
            ax.set_xlim(*xa.limits)
            ax.set_ylim(*ya.limits)

    def _limits(self, axis: _Axis) -> None:
        given = _seq(self.axis_prop(axis, "range"))
        autorange = self.axis_prop(axis, "autorange")
        low, high = self._auto_limits(axis)
        if len(given) == 2 and autorange not in (True, "reversed"):
            ends = _days(given) if axis.kind == "date" else _floats(given)
            if axis.kind == "date":
                ends = axis.compress(ends)
            low = float(ends[0]) if math.isfinite(ends[0]) else low
            high = float(ends[1]) if math.isfinite(ends[1]) else high
        elif autorange == "reversed":
            low, high = high, low
        axis.limits = (low, high)

    def _auto_limits(self, axis: _Axis) -> tuple[float, float]:
        if not axis.extents:
            if axis.kind == "category" and axis.categories:
                return -0.5, len(axis.categories) - 0.5
            return (-1.0, 6.0) if axis.letter == "x" else (-1.0, 4.0)
        rangemode = self.axis_prop(axis, "rangemode", "normal")
        extents = list(axis.extents)
        if rangemode == "tozero" and axis.kind == "linear":
            extents.append((0.0, False))
        low, low_padded = min(extents, key=lambda e: (e[0], not e[1]))
        high, high_padded = max(extents, key=lambda e: (e[0], e[1]))
        span = high - low
        if span == 0:
            span = abs(low) or 1.0
            low_padded = high_padded = True
        # room for labels beyond the ends, as plotly makes it, else its 5 % padding
        box = axis.owner.get_position() if axis.owner is not None else Bbox.unit()
        length = box.width * self.width if axis.letter == "x" else box.height * self.height
        free = max(length - sum(axis.room), 0.3 * length, 1.0)
        low_pad = max(0.05 * span if low_padded else 0.0, span * axis.room[0] / free)
        high_pad = max(0.05 * span if high_padded else 0.0, span * axis.room[1] / free)
        low, high = low - low_pad, high + high_pad
        if rangemode == "nonnegative":
            low, high = max(low, 0.0), max(high, 0.0)
        return low, high

    def _ticks(self, ax: Axes, axis: _Axis) -> None:
        mpl_axis = ax.xaxis if axis.letter == "x" else ax.yaxis
        if self.axis_prop(axis, "visible") is False or axis.owner is not ax:
            mpl_axis.set_visible(False)
            return
        side = self.axis_prop(axis, "side")
        if side in ("top", "right"):
            mpl_axis.set_ticks_position("top" if axis.letter == "x" else "right")  # type: ignore[arg-type]
            mpl_axis.set_label_position(side)
        box = ax.get_position()
        length_px = box.width * self.width if axis.letter == "x" else box.height * self.height
        self._locate(axis, mpl_axis, length=length_px / self.scale)
        tick_size = _num(self.axis_prop(axis, "tickfont.size"), self.font_size)
        tick_colour = _rgba(self.axis_prop(axis, "tickfont.color")) or self.font_colour
        ticks = self.axis_prop(axis, "ticks", "")
        tick_length = (_num(self.axis_prop(axis, "ticklen", 5), 0)) if ticks in ("outside", "inside") else 0
        ax.tick_params(
            axis=axis.letter,  # type: ignore[arg-type]
            which="both",
            direction="in" if ticks == "inside" else "out",
            length=self.pt(tick_length),
            width=self.pt(_num(self.axis_prop(axis, "tickwidth", 1), 1)),
            color=_rgba(self.axis_prop(axis, "tickcolor")) or to_rgba(_DARK_TEXT),
            pad=self.pt(3 + tick_length),
            labelsize=self.pt(tick_size),
            labelcolor=tick_colour,
            labelfontfamily=_FAMILY,
        )
        if self.axis_prop(axis, "showticklabels") is False:
            ax.tick_params(axis=axis.letter, labelleft=False, labelbottom=False)  # type: ignore[arg-type]
        angle = _float(self.axis_prop(axis, "tickangle"))
        if math.isfinite(angle) and angle:
            for label in mpl_axis.get_ticklabels():
                label.set_rotation(-angle)
                label.set_rotation_mode("anchor")
                if axis.letter == "x":
                    label.set_horizontalalignment("right" if angle < 0 else "left")
                    label.set_verticalalignment("center" if abs(angle) == 90 else "top")
        if self.axis_prop(axis, "showgrid", True) is not False:
            ax.grid(
                True,
                axis=axis.letter,  # type: ignore[arg-type]
                color=_rgba(self.axis_prop(axis, "gridcolor")) or "#EEEEEE",
                linewidth=self.pt(_num(self.axis_prop(axis, "gridwidth", 1), 1)),
                linestyle="-",
            )
        if self.axis_prop(axis, "showline"):
            colour = _rgba(self.axis_prop(axis, "linecolor")) or to_rgba(_DARK_TEXT)
            edges = ("bottom", "top") if axis.letter == "x" else ("left", "right")
            mirror = self.axis_prop(axis, "mirror")
            shown = edges if mirror else ((edges[1],) if side in ("top", "right") else (edges[0],))
            for edge in shown:
                ax.spines[edge].set_visible(True)
                ax.spines[edge].set_color(colour)
                ax.spines[edge].set_linewidth(self.pt(_num(self.axis_prop(axis, "linewidth", 1), 1)))
        low, high = sorted(axis.limits)
        if axis.kind == "linear" and self.axis_prop(axis, "zeroline", True) is not False and low <= 0 <= high:
            colour = _rgba(self.axis_prop(axis, "zerolinecolor")) or to_rgba(_DARK_TEXT)
            width = self.pt(_num(self.axis_prop(axis, "zerolinewidth", 1), 1))
            line = ax.axvline if axis.letter == "x" else ax.axhline
            line(0, color=colour, linewidth=width, zorder=0.8)
        title = _plain(self.axis_prop(axis, "title.text"))
        if title:
            size = _num(self.axis_prop(axis, "title.font.size"), round(1.2 * self.font_size))
            colour = _rgba(self.axis_prop(axis, "title.font.color")) or self.font_colour
            standoff = _num(self.axis_prop(axis, "title.standoff"), 6.0)
            mpl_axis.set_label_text(title, fontsize=self.pt(size), color=colour, fontfamily=_FAMILY)
            mpl_axis.labelpad = self.pt(standoff)

    def _locate(self, axis: _Axis, mpl_axis: Any, *, length: float) -> None:
        """Where the ticks go and what they say, as plotly chooses them."""
        prefix = _plain(self.axis_prop(axis, "tickprefix", ""))
        suffix = _plain(self.axis_prop(axis, "ticksuffix", ""))
        values = _seq(self.axis_prop(axis, "tickvals"))
        if self.axis_prop(axis, "tickmode") == "array" or values:
            texts = [_plain(t) for t in _seq(self.axis_prop(axis, "ticktext"))]
            where = axis.positions(values)
            keep = [i for i, w in enumerate(where) if math.isfinite(w)]
            mpl_axis.set_major_locator(FixedLocator([where[i] for i in keep]))
            labels = [texts[i] if i < len(texts) else str(values[i]) for i in keep]
            mpl_axis.set_major_formatter(FuncFormatter(lambda _v, n: labels[n] if n < len(labels) else ""))
            return
        if axis.kind == "category":
            names = list(axis.categories)
            mpl_axis.set_major_locator(FixedLocator(list(range(len(names)))))
            mpl_axis.set_major_formatter(
                FuncFormatter(lambda v, _n: _plain(names[round(v)]) if 0 <= round(v) < len(names) else "")
            )
            return
        if axis.kind == "date":
            self._date_ticks(axis, mpl_axis, length=length)
            return
        step = _num(self.axis_prop(axis, "dtick"), 0.0)
        span = abs(axis.limits[1] - axis.limits[0])
        if step <= 0 or span / step > 200:  # none given, or too fine to draw
            step = _tick_step(span, count=_num(self.axis_prop(axis, "nticks"), 0.0), length=length, letter=axis.letter)
        mpl_axis.set_major_locator(MultipleLocator(step, offset=_num(self.axis_prop(axis, "tick0"), 0.0)))
        fmt = str(self.axis_prop(axis, "tickformat", "") or "").replace("~", "")

        def label(value: float, _n: int | None) -> str:
            if fmt:
                try:
                    return prefix + format(value, fmt) + suffix
                except ValueError:
                    pass
            return prefix + _number(value, step=step) + suffix

        mpl_axis.set_major_formatter(FuncFormatter(label))

    def _date_ticks(self, axis: _Axis, mpl_axis: Any, *, length: float) -> None:
        """Round times (every 10 min, hour, day...) as ticks on a date axis, none inside a break."""
        low, high = sorted(axis.limits)
        minutes = (high - low) * 1440
        wanted = max(2.0, min(9.0, length / 80))
        steps = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 20160, 43200, 129600, 525600]
        step = next((s for s in steps if s >= minutes / wanted), steps[-1]) / 1440
        first, last = axis.expand(low), axis.expand(high)
        ticks: list[tuple[float, float]] = []  # (position, day)
        tiny = 1e-7  # days (9 ms): a whole minute computed in floats stays that minute
        k = math.ceil(first / step - tiny)  # the k-th multiple of the step
        while k * step <= last + tiny and len(ticks) < 500:
            day = k * step
            hidden = next((end for start, end in axis.breaks if start - tiny <= day < end - tiny), None)
            if hidden is not None:  # no tick inside a break: the next one is the first after it
                k = math.ceil(hidden / step - tiny)
                continue
            position = float(axis.compress(np.array([day]))[0])
            if not ticks or position - ticks[-1][0] >= 0.5 * (high - low) / wanted:
                ticks.append((position, day))
            k += 1
        fmt = str(self.axis_prop(axis, "tickformat", "") or "")
        labels: list[str] = []
        previous = None
        for _position, day in ticks:
            stamp = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=round(day * 86400))
            if fmt:
                pattern = _BREAK.sub("\n", fmt)
            elif step < 1:
                pattern = "%H:%M" if previous == stamp.date() else "%H:%M\n%b %-d, %Y"
            else:
                pattern = "%b %-d" if previous is not None and previous.year == stamp.year else "%b %-d\n%Y"
            try:
                labels.append(stamp.strftime(pattern).replace("$", r"\$"))
            except ValueError:
                labels.append(stamp.isoformat(sep=" ", timespec="minutes"))
            previous = stamp.date()
        mpl_axis.set_major_locator(FixedLocator([p for p, _d in ticks]) if ticks else NullLocator())
        mpl_axis.set_major_formatter(
            FuncFormatter(lambda _v, n: labels[n] if n is not None and n < len(labels) else "")
        )

    # --- traces ---------------------------------------------------------------------------------

    def _colour_of(self, trace: Trace, path: str, n: int, default: RGBA) -> list[RGBA]:
        """A per-point colour property (one colour, a list of colours, or numbers on a colour scale)."""
        value = self.trace_prop(trace, path)
        if isinstance(value, str) or value is None:
            return [_rgba(value) or default] * n
        items = _seq(value)
        numbers = _floats(items)
        if items and np.isfinite(numbers).any():
            base = path.rsplit(".", 1)[0] + "." if "." in path else ""
            cmap = _colormap(
                self.trace_prop(trace, f"{base}colorscale") or self.lay("colorscale.sequential"),
                reverse=bool(self.trace_prop(trace, f"{base}reversescale")),
            )
            norm = Normalize(
                _num(self.trace_prop(trace, f"{base}cmin"), float(np.nanmin(numbers))),
                _num(self.trace_prop(trace, f"{base}cmax"), float(np.nanmax(numbers))),
            )
            return [tuple(cmap(norm(v))) if math.isfinite(v) else default for v in numbers]  # type: ignore[misc]
        return [(_rgba(items[i]) if i < len(items) else None) or default for i in range(n)]

    def _texts(self, trace: Trace, n: int, points: Callable[[int], dict[str, Any]]) -> list[str]:
        """Each point's label: its texttemplate filled in, else its text."""
        template = self.trace_prop(trace, "texttemplate")
        text = _get(trace, "text")
        out = []
        for i in range(n):
            one_template = _nth(template, i)
            one_text = _nth(text, i)
            if one_template:
                out.append(_plain(_fill_template(str(one_template), {"text": one_text, **points(i)})))
            else:
                out.append(_plain(one_text))
        return out

    def _pattern(self, source: Any, path: str, i: int, fill: RGBA) -> tuple[RGBA, str, RGBA, float]:
        """A plotly pattern as (face colour, matplotlib hatch, hatch colour, hatch width in points).

        plotly repeats a pattern every `size` px with strokes `solidity` of it wide; matplotlib's
        hatches come in whole multiples of a density per inch, so the nearest one is taken."""
        shape = _nth(self.trace_prop(source, f"{path}.shape"), i)
        if not shape or shape not in ("/", "\\", "x", "-", "|", "+", "."):
            return fill, "", fill, 0.0
        size = _num(_nth(self.trace_prop(source, f"{path}.size"), i), 8.0)
        solidity = _num(_nth(self.trace_prop(source, f"{path}.solidity"), i), 0.3)
        fg = _rgba(_nth(self.trace_prop(source, f"{path}.fgcolor"), i))
        bg = _rgba(_nth(self.trace_prop(source, f"{path}.bgcolor"), i))
        opacity = _float(self.trace_prop(source, f"{path}.fgopacity"))
        if self.trace_prop(source, f"{path}.fillmode", "replace") == "overlay":
            face = bg or fill
            ink = fg or to_rgba(_contrast(fill))
        else:
            face = bg or (0.0, 0.0, 0.0, 0.0)
            ink = fg or fill
        if math.isfinite(opacity):
            ink = _with_alpha(ink, opacity)
        # Along an edge, plotly repeats a diagonal every size·√2 px, a straight line every size px;
        # matplotlib, per repeat of the symbol, every dpi/3 px and dpi/6 px.
        diagonal = shape in ("/", "\\", "x")
        spacing = self.px(size) * (math.sqrt(2) if diagonal else 1.0)
        exact = self.dpi / ((3 if diagonal else 6) * spacing)  # how many repeats give plotly's spacing
        repeat = max(1, min((math.floor(exact), math.ceil(exact)), key=lambda k: abs(math.log(max(k, 1) / exact))))
        stroke = size * (1 - math.sqrt(max(0.0, 1 - solidity))) if shape in ("x", "+") else size * solidity
        return face, shape * repeat, ink, self.pt(max(stroke, 0.5))

    def _bar(self, index: int, trace: Trace, ax: Axes, xa: _Axis, ya: _Axis) -> None:
        horizontal = _get(trace, "orientation") == "h"
        pa, va = (ya, xa) if horizontal else (xa, ya)
        values = _floats(_get(trace, "x" if horizontal else "y"))
        n = len(values)
        if not n:
            return
        given = _get(trace, "y" if horizontal else "x")
        if given is not None:
            centres = pa.positions(given)[:n]
        else:
            start = _num(_get(trace, "y0" if horizontal else "x0"), 0.0)
            step = _num(_get(trace, "dy" if horizontal else "dx"), 1.0)
            centres = start + step * np.arange(n, dtype=np.float64)
        values = values[: len(centres)]
        mode = self.lay("barmode", "group")
        gap = _num(self.lay("bargap", 0.2), 0.2)
        group_gap = _num(self.lay("bargroupgap", 0), 0.0)
        siblings = [
            t
            for t in self.data
            if t.get("type") == "bar"
            and t.get("visible") is not False
            and self._axis_names(t) == self._axis_names(trace)
            and (_get(t, "orientation") == "h") == horizontal
        ]
        spacing = self._bar_spacing(siblings, pa, horizontal)
        slot = (1 - gap) * spacing
        width: Floats = np.full(len(values), slot)
        offset: Floats = np.zeros(len(values))
        if mode == "group" and len(siblings) > 1:
            rank = next(i for i, t in enumerate(siblings) if t is trace)
            width[:] = slot / len(siblings)
            offset[:] = -slot / 2 + (rank + 0.5) * width
        width = width * (1 - group_gap)
        own_width = _get(trace, "width")
        if own_width is not None:
            width = np.array([_float(_nth(own_width, i)) for i in range(len(values))])
        own_offset = _get(trace, "offset")
        if own_offset is not None:
            offset = np.array([_float(_nth(own_offset, i)) for i in range(len(values))]) + width / 2
        base_given = _get(trace, "base")
        bases = np.array([_float(_nth(base_given, i)) if base_given is not None else 0.0 for i in range(len(values))])
        bases = np.where(np.isfinite(bases), bases, 0.0)
        if mode in ("stack", "relative"):
            stacks = self.stacks
            for i, (centre, value) in enumerate(zip(centres, values, strict=True)):
                key = (id(ax), horizontal, round(float(centre), 9), mode == "relative" and value < 0)
                bases[i] = stacks.get(key, bases[i])
                if math.isfinite(value):
                    stacks[key] = bases[i] + value
        faces = self._colour_of(trace, "marker.color", len(values), self.colourway(index))
        edges = self._colour_of(trace, "marker.line.color", len(values), to_rgba(_DARK_TEXT))
        edge_widths = self.trace_prop(trace, "marker.line.width", 0)
        opacity = _num(self.trace_prop(trace, "opacity"), 1.0)
        marker_opacity = self.trace_prop(trace, "marker.opacity", 1)
        zorder = 2 + index / 1000
        patches = []
        for i, (centre, value) in enumerate(zip(centres, values, strict=True)):
            if not (math.isfinite(centre) and math.isfinite(value) and math.isfinite(width[i])):
                continue
            alpha = opacity * _num(_nth(marker_opacity, i), 1.0)
            fill = _with_alpha(faces[i], alpha)
            face, hatch, ink, hatch_width = self._pattern(trace, "marker.pattern", i, fill)
            low = centre + offset[i] - width[i] / 2
            corner = (bases[i], low) if horizontal else (low, bases[i])
            size = (value, width[i]) if horizontal else (width[i], value)
            line_width = _num(_nth(edge_widths, i), 0.0)
            rect = Rectangle(
                corner,
                *size,
                facecolor=face,
                edgecolor=edges[i] if line_width > 0 else "none",
                linewidth=self.pt(line_width),
                zorder=zorder,
            )
            if hatch:
                rect.set_hatch(hatch)
                rect.set_hatchcolor(ink)
                rect.set_hatch_linewidth(hatch_width)
            patches.append(rect)
            self.bars.append(
                _Bar(trace, i, horizontal, centre + offset[i], width[i], bases[i], value, face, ax, pa, va)
            )
        for patch in patches:
            ax.add_patch(patch)
        va.extend(bases, padded=False)
        va.extend(bases + np.where(np.isfinite(values), values, bases * 0), padded=True)
        half = spacing / 2
        pa.extend(centres - half, padded=False)
        pa.extend(centres + half, padded=False)
        self.later.append(lambda: self._bar_texts(trace))
        self._bar_room(trace, va, horizontal, values)
        if _get(trace, "showlegend") is not False:
            face, hatch, ink, hatch_width = self._pattern(trace, "marker.pattern", 0, _with_alpha(faces[0], opacity))
            line_width = _num(_nth(edge_widths, 0), 0.0)
            handle = Patch(
                facecolor=face,
                edgecolor=edges[0] if line_width > 0 else "none",
                linewidth=self.pt(line_width),
                hatch=hatch or None,
            )
            if hatch:
                handle.set_hatchcolor(ink)
                handle.set_hatch_linewidth(hatch_width)
            self._entry(trace, index, handle, line=False)

    @staticmethod
    def _bar_spacing(siblings: list[Any], axis: _Axis, horizontal: bool) -> float:
        """The narrowest distance between two bar positions: the room one position has."""
        positions: set[float] = set()
        for trace in siblings:
            given = _get(trace, "y" if horizontal else "x")
            if given is not None:
                positions.update(float(p) for p in axis.positions(given) if math.isfinite(p))
        ordered = sorted(positions)
        gaps = [b - a for a, b in itertools.pairwise(ordered) if b > a]
        return min(gaps) if gaps else 1.0

    def _bar_texts(self, trace: Trace) -> None:
        bars = [b for b in self.bars if b.trace is trace]
        if not bars:
            return
        where = self.trace_prop(trace, "textposition", "auto")
        anchor = self.trace_prop(trace, "insidetextanchor", "end")
        total = max(b.index for b in bars) + 1
        horizontal = bars[0].horizontal

        def point(i: int) -> dict[str, Any]:
            bar = next((b for b in bars if b.index == i), None)
            value = bar.value if bar else None
            xs, ys = _seq(_get(trace, "x")), _seq(_get(trace, "y"))
            return {
                "x": xs[i] if i < len(xs) else None,
                "y": ys[i] if i < len(ys) else None,
                "value": value,
            }

        texts = self._texts(trace, total, point)
        for bar in bars:
            text = texts[bar.index] if bar.index < len(texts) else ""
            position = _nth(where, bar.index) or "auto"
            if not text or position == "none":
                continue
            inside = position in ("inside", "auto")
            sign = 1.0 if bar.value >= 0 else -1.0
            if bar.value_axis.inverted:
                sign = -sign
            font = "insidetextfont" if inside else "outsidetextfont"
            size = _num(
                _nth(self.trace_prop(trace, f"{font}.size"), bar.index),
                _num(_nth(self.trace_prop(trace, "textfont.size"), bar.index), self.font_size),
            )
            colour = _rgba(_nth(self.trace_prop(trace, f"{font}.color"), bar.index)) or _rgba(
                _nth(self.trace_prop(trace, "textfont.color"), bar.index)
            )
            if inside:
                colour = colour or to_rgba(_contrast(bar.face))
                spot = {"start": 0.0, "middle": 0.5}.get(str(anchor), 1.0)
                at = bar.base + spot * bar.value
                shift = {"start": 1.0, "middle": 0.0}.get(str(anchor), -1.0) * sign * self.px(_TEXTPAD)
                align = {1.0: "left", 0.0: "center", -1.0: "right"}[float(np.sign(shift)) if shift else 0.0]
            else:
                colour = colour or self.font_colour
                at = bar.base + bar.value
                shift = sign * self.px(_TEXTPAD)
                align = "left" if shift > 0 else "right"
            if horizontal:
                xy, dx, dy = (at, bar.centre), shift, 0.0
                ha, va = align, "center"
            else:
                xy, dx, dy = (bar.centre, at), 0.0, shift
                ha, va = "center", {"left": "bottom", "right": "top"}.get(align, "center")
            label = bar.axes.text(
                *xy,
                text,
                transform=offset_copy(bar.axes.transData, fig=self.fig, x=dx, y=dy, units="dots"),
                ha=ha,
                va=va,
                fontsize=self.pt(size),
                color=colour,
                fontfamily=_FAMILY,
                clip_on=True,
                zorder=4,
                in_layout=False,
            )
            if inside:  # plotly shrinks a label to fit inside its bar
                box = (abs(bar.value), bar.width) if horizontal else (bar.width, abs(bar.value))
                self.shrinkable.append((label, self._room(bar.axes, *box), id(label)))

    def _bar_room(self, trace: dict[str, Any], axis: _Axis, horizontal: bool, values: Floats) -> None:
        """Room past the bars' ends for labels drawn outside them, so an automatic range keeps them."""
        where = self.trace_prop(trace, "textposition", "auto")
        texts = _seq(_get(trace, "texttemplate") or _get(trace, "text"))
        if not texts:
            return
        size = self.px(_num(self.trace_prop(trace, "outsidetextfont.size"), self.font_size))
        for i, value in enumerate(values):
            text = _plain(_nth(texts, i) if len(texts) > 1 else texts[0])
            if _nth(where, i) != "outside" or not text or not math.isfinite(value):
                continue
            lines = text.split("\n")
            need = 0.62 * size * max(len(line) for line in lines) if horizontal else 1.3 * size * len(lines)
            end = 1 if value >= 0 else 0
            axis.room[end] = max(axis.room[end], need + self.px(_TEXTPAD))

    def _room(self, ax: Axes, width: float, height: float) -> Callable[[], tuple[float, float]]:
        """The room (px, less plotly's text padding) of a width x height box in `ax`'s data units,
        measured once the axes have their final place."""

        def measure() -> tuple[float, float]:
            corner, origin = ax.transData.transform([(width, height), (0.0, 0.0)])
            return abs(corner[0] - origin[0]) - 2 * self.px(_TEXTPAD), abs(corner[1] - origin[1]) - self.px(_TEXTPAD)

        return measure

    def _heatmap(self, index: int, trace: Trace, ax: Axes, xa: _Axis, ya: _Axis) -> None:
        rows = [_floats(row) for row in _seq(_get(trace, "z"))]
        if not rows:
            return
        columns = max(len(r) for r in rows)
        z = np.full((len(rows), columns), np.nan)
        for r, row in enumerate(rows):
            z[r, : len(row)] = row
        texts_given = _seq(_get(trace, "text"))
        if _get(trace, "transpose"):
            z = z.T
        xs = self._cells(trace, xa, "x", z.shape[1])
        ys = self._cells(trace, ya, "y", z.shape[0])
        finite = z[np.isfinite(z)]
        low = _num(self.trace_prop(trace, "zmin"), float(finite.min()) if finite.size else 0.0)
        high = _num(self.trace_prop(trace, "zmax"), float(finite.max()) if finite.size else 1.0)
        cmap = _colormap(
            self.trace_prop(trace, "colorscale") or self.lay("colorscale.sequential"),
            reverse=bool(self.trace_prop(trace, "reversescale")),
        )
        norm = Normalize(low, high)
        cells: list[Rectangle] = []
        colours: list[RGBA] = []
        spots: list[tuple[int, int, float, float, RGBA | None]] = []  # every cell: row, column, centre, colour
        for r, (y, half_y) in enumerate(ys):
            for c, (x, half_x) in enumerate(xs):
                value = z[r, c]
                if not (math.isfinite(value) and math.isfinite(x) and math.isfinite(y)):
                    spots.append((r, c, x, y, None))
                    continue
                shade: RGBA = tuple(cmap(norm(value)))  # type: ignore[assignment]
                cells.append(Rectangle((x - half_x, y - half_y), 2 * half_x, 2 * half_y))
                colours.append(shade)
                spots.append((r, c, x, y, shade))
        gap = max(_num(self.trace_prop(trace, "xgap", 0), 0.0), _num(self.trace_prop(trace, "ygap", 0), 0.0))
        ax.add_collection(
            PatchCollection(
                cells,
                facecolors=colours,
                edgecolors=[self.plot_bg] if gap else "none",
                linewidths=self.pt(gap),
                zorder=1.5 + index / 1000,
            )
        )
        for axis, centres in ((xa, xs), (ya, ys)):
            axis.extend(np.array([c - h for c, h in centres]), padded=False)
            axis.extend(np.array([c + h for c, h in centres]), padded=False)
        template = self.trace_prop(trace, "texttemplate")
        if template:
            x_labels, y_labels = _seq(_get(trace, "x")), _seq(_get(trace, "y"))
            size = _num(self.trace_prop(trace, "textfont.size"), self.font_size)
            fixed = self.trace_prop(trace, "textfont.color")
            fixed_colour = _rgba(fixed) if fixed != "auto" else None
            for r, c, x, y, cell in spots:
                if not (math.isfinite(x) and math.isfinite(y)):
                    continue
                row_texts = texts_given[r] if r < len(texts_given) else None
                cell_text = _nth(row_texts, c)
                text = _plain(
                    _fill_template(
                        str(template),
                        {
                            "text": cell_text,
                            "z": z[r, c] if math.isfinite(z[r, c]) else None,
                            "x": x_labels[c] if c < len(x_labels) else c,
                            "y": y_labels[r] if r < len(y_labels) else r,
                        },
                    )
                )
                if not text:
                    continue
                label = ax.text(
                    x,
                    y,
                    text,
                    ha="center",
                    va="center",
                    multialignment="center",
                    fontsize=self.pt(size),
                    color=fixed_colour or _contrast(cell or self.plot_bg),
                    fontfamily=_FAMILY,
                    clip_on=True,
                    zorder=4,
                    in_layout=False,
                )
                # DejaVu Sans is wider than plotly's fonts: one size for the trace's numbers, small
                # enough that each stays inside its cell
                self.shrinkable.append((label, self._room(ax, 2 * xs[c][1], 2 * ys[r][1]), index))
        if self.trace_prop(trace, "showscale", True) is not False:
            self.colour_bars.append(_ColourBar(trace=trace, cmap=cmap, norm=norm))

    @staticmethod
    def _cells(trace: Trace, axis: _Axis, letter: str, count: int) -> list[tuple[float, float]]:
        """Each cell's centre and half width along one axis."""
        given = _get(trace, letter)
        if given is not None and len(_seq(given)) == count + 1 and axis.kind != "category":
            edges = axis.positions(given)
            return [((a + b) / 2, abs(b - a) / 2) for a, b in itertools.pairwise(edges)]
        if given is not None:
            centres = axis.positions(given)[:count]
            centres = np.concatenate([centres, np.full(count - len(centres), np.nan)])
        else:
            start, step = _num(_get(trace, f"{letter}0"), 0.0), _num(_get(trace, f"d{letter}"), 1.0)
            centres = start + step * np.arange(count, dtype=np.float64)
        finite = np.sort(centres[np.isfinite(centres)])
        steps = np.diff(finite)
        half = float(steps[steps > 0].min()) / 2 if axis.kind != "category" and (steps > 0).any() else 0.5
        return [(float(c), half) for c in centres]

    def _scatter(self, index: int, trace: Trace, ax: Axes, xa: _Axis, ya: _Axis) -> None:
        xs_given, ys_given = _get(trace, "x"), _get(trace, "y")
        n = max(len(_seq(xs_given)), len(_seq(ys_given)))
        if not n:
            return
        xs = xa.positions(xs_given) if xs_given is not None else np.arange(n, dtype=np.float64)
        ys = ya.positions(ys_given) if ys_given is not None else np.arange(n, dtype=np.float64)
        n = min(len(xs), len(ys))
        xs, ys = xs[:n], ys[:n]
        mode = _get(trace, "mode") or ("lines+markers" if n < 20 else "lines")
        lines, markers, texts = "lines" in mode, "markers" in mode, "text" in mode
        zorder = 2 + index / 1000
        opacity = _num(self.trace_prop(trace, "opacity", 1), 1.0)
        colour = _with_alpha(_rgba(self.trace_prop(trace, "line.color")) or self.colourway(index), opacity)
        width = _num(self.trace_prop(trace, "line.width", 2), 2.0)
        dash = self._dash(self.trace_prop(trace, "line.dash", "solid"), width)
        fill = self.trace_prop(trace, "fill", "none")
        fill_handle: Patch | None = None
        if fill and fill != "none":
            fill_colour = _rgba(self.trace_prop(trace, "fillcolor")) or _with_alpha(
                _rgba(self.trace_prop(trace, "line.color")) or self.colourway(index), 0.5
            )
            fill_colour = _with_alpha(fill_colour, opacity)
            face, hatch, ink, hatch_width = self._pattern(trace, "fillpattern", 0, fill_colour)
            for ring in self._fill_rings(trace, fill, xs, ys, ax):
                polygon = Polygon(
                    ring, closed=True, facecolor=face, edgecolor="none", zorder=1.8 + index / 1e5
                )  # fills under lines, as in plotly
                if hatch:
                    polygon.set_hatch(hatch)
                    polygon.set_hatchcolor(ink)
                    polygon.set_hatch_linewidth(hatch_width)
                ax.add_patch(polygon)
            fill_handle = Patch(
                facecolor=face,
                edgecolor=colour if lines and width > 0 else "none",
                linewidth=self.pt(width) if lines else 0,
                hatch=hatch or None,
            )
            if hatch:
                fill_handle.set_hatchcolor(ink)
                fill_handle.set_hatch_linewidth(hatch_width)
        shape = self.trace_prop(trace, "line.shape", "linear")
        drawstyle = {"hv": "steps-post", "vh": "steps-pre", "hvh": "steps-mid", "vhv": "steps-mid"}.get(
            shape, "default"
        )
        if lines and width > 0:
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=self.pt(width),
                linestyle=dash,
                drawstyle=drawstyle,
                solid_joinstyle="round",
                dash_capstyle="butt",
                zorder=zorder + 0.0001,
            )
        marker_line = None
        size = _num(self.trace_prop(trace, "marker.size", 6), 6.0)
        symbol = str(self.trace_prop(trace, "marker.symbol", "circle"))
        if markers:
            faces = [_with_alpha(c, opacity) for c in self._colour_of(trace, "marker.color", n, colour)]
            sizes = [_num(_nth(self.trace_prop(trace, "marker.size"), i), 6.0) for i in range(n)]
            edge_width = _num(self.trace_prop(trace, "marker.line.width", 0), 0.0)
            marker = _SYMBOLS.get(symbol, "o")  # others (open, dotted...) drawn as a filled circle
            ax.scatter(
                xs,
                ys,
                s=[self.pt(s) ** 2 for s in sizes],  # matplotlib's area, of plotly's diameter
                marker=marker,
                c=faces,  # type: ignore[arg-type]
                edgecolors=_rgba(self.trace_prop(trace, "marker.line.color")) or "none",
                linewidths=self.pt(edge_width),
                zorder=zorder + 0.0002,
            )
            marker_line = Line2D(
                [],
                [],
                color=colour if lines else "none",
                linewidth=self.pt(width) if lines else 0,
                linestyle=dash if lines else "none",
                marker=marker,
                markersize=self.pt(size),
                markerfacecolor=faces[0],
                markeredgecolor=faces[0],
            )
        if texts:
            self._point_texts(trace, ax, xs, ys, size if markers else 0.0, zorder)
            font = self.px(_num(self.trace_prop(trace, "textfont.size"), self.font_size))
            where = str(self.trace_prop(trace, "textposition", "middle center"))
            away = self.px(size / 2 + _TEXTPAD) if markers else 0.0
            if where.startswith(("top", "bottom")):
                end = 1 if where.startswith("top") else 0
                ya.room[end] = max(ya.room[end], 1.3 * font + away)
        # plotly pads x only for markers or text (and not under a fill to y), y unless it fills to x
        x_padded = (markers or texts) and fill not in ("tonexty", "tozeroy")
        y_padded = fill not in ("tonextx", "tozerox")
        for axis, values, padded in ((xa, xs, x_padded), (ya, ys, y_padded)):
            axis.extend(values, padded=padded and axis.kind != "category")
        if fill in ("tozeroy", "tozerox"):
            (ya if fill == "tozeroy" else xa).extend(np.array([0.0]), padded=False)
        finite = np.isfinite(xs) & np.isfinite(ys)
        self.last_line[id(ax)] = np.column_stack([xs[finite], ys[finite]])  # what a next "tonext" fills to
        if _get(trace, "showlegend") is not False and (lines or markers or fill_handle is not None):
            if fill_handle is not None and (not lines or fill == "toself"):
                self._entry(trace, index, fill_handle, line=True)
            elif marker_line is not None:
                self._entry(trace, index, marker_line, line=True)
            else:
                handle = Line2D([], [], color=colour, linewidth=self.pt(width), linestyle=dash)
                self._entry(trace, index, handle, line=True)

    def _fill_rings(self, trace: Trace, fill: str, xs: Floats, ys: Floats, ax: Axes) -> list[Floats]:
        """The outlines a scatter's fill covers: each gap-separated run closed on itself ("toself"),
        down to zero ("tozero*"), or back along the previous trace ("tonext*")."""
        points = np.column_stack([xs, ys])
        if fill == "toself":
            runs = np.split(points, np.where(~np.isfinite(points).all(axis=1))[0])
            return [r[np.isfinite(r).all(axis=1)] for r in runs if np.isfinite(r).all(axis=1).sum() >= 3]
        points = points[np.isfinite(points).all(axis=1)]
        previous = self.last_line.get(id(ax))
        if len(points) < 2 or fill not in ("tozeroy", "tozerox", "tonexty", "tonextx"):
            return []
        if fill.startswith("tonext") and previous is not None:
            return [np.vstack([points, previous[::-1]])]
        axis = 1 if fill.endswith("y") else 0  # down to zero; so is the first "tonext" of a subplot
        first, last = points[0].copy(), points[-1].copy()
        first[axis] = last[axis] = 0.0
        return [np.vstack([points, last, first])]

    def _point_texts(self, trace: Trace, ax: Axes, xs: Floats, ys: Floats, marker: float, zorder: float) -> None:
        xs_given, ys_given = _seq(_get(trace, "x")), _seq(_get(trace, "y"))
        texts = self._texts(
            trace,
            len(xs),
            lambda i: {
                "x": xs_given[i] if i < len(xs_given) else None,
                "y": ys_given[i] if i < len(ys_given) else None,
            },
        )
        where = self.trace_prop(trace, "textposition", "middle center")
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if not (texts[i] and math.isfinite(x) and math.isfinite(y)):
                continue
            vertical, _, horizontal = str(_nth(where, i) or "middle center").partition(" ")
            away = self.px(marker / 2 + _TEXTPAD) if marker else 0.0
            dx = {"left": -away, "right": away}.get(horizontal, 0.0)
            dy = {"top": away, "bottom": -away}.get(vertical, 0.0)
            size = _num(_nth(self.trace_prop(trace, "textfont.size"), i), self.font_size)
            colour = _rgba(_nth(self.trace_prop(trace, "textfont.color"), i)) or self.font_colour
            ax.text(
                x,
                y,
                texts[i],
                transform=offset_copy(ax.transData, fig=self.fig, x=dx, y=dy, units="dots"),
                ha={"left": "right", "right": "left"}.get(horizontal, "center"),
                va={"top": "bottom", "bottom": "top"}.get(vertical, "center"),
                multialignment="center",
                fontsize=self.pt(size),
                color=colour,
                fontfamily=_FAMILY,
                clip_on=self.trace_prop(trace, "cliponaxis", True) is not False,
                zorder=zorder + 0.0003,
                in_layout=False,
            )

    def _dash(self, dash: Any, width: float) -> Any:
        """A plotly dash as a matplotlib line style, with plotly's lengths (they grow with the width)."""
        unit = max(width, 3.0)
        named = {
            "dot": [unit, unit],
            "dash": [3 * unit, 3 * unit],
            "longdash": [5 * unit, 5 * unit],
            "dashdot": [3 * unit, unit, unit, unit],
            "longdashdot": [5 * unit, 2 * unit, unit, 2 * unit],
        }
        pattern = named.get(str(dash))
        if pattern is None and isinstance(dash, str) and dash != "solid":
            parts = [_float(p.strip().removesuffix("px")) for p in dash.split(",")]
            pattern = [p for p in parts if math.isfinite(p)] if all(math.isfinite(p) for p in parts) else None
        if not pattern or not any(pattern):
            return "solid"
        line = self.pt(width) or 1.0  # matplotlib scales dashes by the line width
        return (0, tuple(self.pt(p) / line for p in pattern))

    # --- legend, colour bars, annotations, title -----------------------------------------------

    def _entry(self, trace: Trace, index: int, handle: Any, *, line: bool) -> None:
        rank = _num(_get(trace, "legendrank"), 1000.0)
        name = _get(trace, "name")
        label = _plain(name) if name is not None else f"trace {index}"
        self.entries.append(_Entry(rank, index, label, handle, line))

    def _legend_shown(self) -> bool:
        shown = self.lay("showlegend")
        if shown is not None:
            return bool(shown)
        # plotly's rule: more than one trace in the legend, a trace asked into it counting twice
        counted = 0
        for trace in self.data:
            if trace.get("visible") is False or trace.get("type") == "heatmap":
                continue
            counted += (_get(trace, "showlegend") is not False) + (_get(trace, "showlegend") is True)
        return counted > 1

    def _legend(self) -> None:
        if not self.entries or not self._legend_shown():
            return
        order = str(self.lay("legend.traceorder", "") or "")
        stacked = self.lay("barmode") == "stack" and any(t.get("type") == "bar" for t in self.data)
        grouped = any(_get(t, "legendgroup") for t in self.data)
        entries = sorted(self.entries, key=lambda e: (e.rank, e.order))
        if "reversed" in order or (not order and stacked):
            entries = sorted(reversed(entries), key=lambda e: e.rank)
        horizontal = self.lay("legend.orientation", "v") == "h"
        x = _num(self.lay("legend.x"), 0.0 if horizontal else 1.02)
        y = _num(self.lay("legend.y"), -0.1 if horizontal else 1.0)
        x_anchor = self.lay("legend.xanchor", "left")
        y_anchor = self.lay("legend.yanchor", "top" if horizontal and y < 0.5 else "auto")
        if x_anchor == "auto":
            x_anchor = _third(x, "left", "center", "right")
        if y_anchor == "auto":
            y_anchor = _third(y, "bottom", "middle", "top")
        vertical_word = {"top": "upper", "bottom": "lower"}.get(y_anchor, "center")
        location: Any = f"{vertical_word} {x_anchor}" if (vertical_word, x_anchor) != ("center", "center") else "center"
        size = _num(self.lay("legend.font.size"), self.font_size)
        colour = _rgba(self.lay("legend.font.color")) or self.font_colour
        background = _rgba(self.lay("legend.bgcolor")) or self.paper
        border = _num(self.lay("legend.borderwidth", 0), 0.0)
        title = _plain(self.lay("legend.title.text"))
        group_gap = (_num(self.lay("legend.tracegroupgap", 10), 0.0)) if grouped else 0.0
        transform = self.fig.transFigure if self.lay("legend.xref") == "container" else self.plot_transform
        columns = len(entries) if horizontal else 1
        while True:
            legend = self.fig.legend(
                [e.handle for e in entries],
                [e.label for e in entries],
                loc=location,
                bbox_to_anchor=(x, y),
                bbox_transform=transform,
                ncols=columns,
                frameon=True,
                fancybox=False,
                shadow=False,
                facecolor=background,
                edgecolor=(_rgba(self.lay("legend.bordercolor")) or _DARK_TEXT) if border else "none",
                framealpha=background[3],
                borderaxespad=0,
                borderpad=0.4,
                handlelength=2.0 if any(e.line for e in entries) else 1.0,
                handleheight=0.8,
                handletextpad=0.5,
                columnspacing=1.6,
                labelspacing=0.5 + group_gap / size,
                prop={"family": _FAMILY, "size": self.pt(size)},
                labelcolor=colour,
                title=title or None,
                title_fontproperties={"family": _FAMILY, "size": self.pt(round(1.2 * size))},
                alignment="left",
            )
            if border:
                legend.get_frame().set_linewidth(self.pt(border))
            if title:
                legend.get_title().set_color(colour)
            width = legend.get_window_extent(self.renderer).width
            if columns <= 1 or width <= self.width * 0.95:
                break
            legend.remove()
            columns -= 1  # too wide for the picture: wrap onto more rows, as plotly does
        self.legend = legend

    def _colour_bars(self) -> None:
        for bar in self.colour_bars:
            cax = self.fig.add_axes((0.9, 0.1, 0.02, 0.8))
            low, high = bar.norm.vmin, bar.norm.vmax
            if low is None or high is None or low == high:
                low, high = (low or 0.0) - 0.5, (high or 0.0) + 0.5
            cax.imshow(
                np.linspace(0, 1, 256)[:, None],
                aspect="auto",
                cmap=bar.cmap,
                extent=(0, 1, low, high),
                origin="lower",
                interpolation="bilinear",
            )
            cax.set_xlim(0, 1)
            cax.set_ylim(low, high)
            cax.xaxis.set_visible(False)
            cax.yaxis.tick_right()
            outline = _num(self.trace_prop(bar.trace, "colorbar.outlinewidth", 1), 0.0)
            for spine in cax.spines.values():
                spine.set_visible(outline > 0)
                spine.set_linewidth(self.pt(outline))
                spine.set_color(_rgba(self.trace_prop(bar.trace, "colorbar.outlinecolor")) or _DARK_TEXT)
            size = _num(self.trace_prop(bar.trace, "colorbar.tickfont.size"), self.font_size)
            ticks = self.trace_prop(bar.trace, "colorbar.ticks", "")
            cax.tick_params(
                axis="y",
                length=self.pt(5) if ticks else 0,
                pad=self.pt(3),
                labelsize=self.pt(size),
                labelcolor=self.font_colour,
                labelfontfamily=_FAMILY,
            )
            length = self.plot_box.height * self.height / self.scale  # about the bar's, before the fit
            step = _tick_step(high - low, count=0.0, length=length, letter="y")
            cax.yaxis.set_major_locator(MultipleLocator(step))
            cax.yaxis.set_major_formatter(FuncFormatter(lambda v, _n, step=step: _number(v, step=step)))
            title = _plain(self.trace_prop(bar.trace, "colorbar.title.text"))
            if title:
                title_size = _num(self.trace_prop(bar.trace, "colorbar.title.font.size"), round(1.2 * self.font_size))
                bar.title = cax.text(
                    0,
                    1,
                    title,
                    transform=offset_copy(cax.transAxes, fig=self.fig, x=0, y=self.px(6), units="dots"),
                    ha="left",
                    va="bottom",
                    fontsize=self.pt(title_size),
                    color=_rgba(self.trace_prop(bar.trace, "colorbar.title.font.color")) or self.font_colour,
                    fontfamily=_FAMILY,
                )
            bar.axes = cax

    def _annotations(self) -> None:
        """layout.annotations: on data coordinates, on the plot area ('paper'), with or without arrow."""
        if not self.subplots:
            return
        for note in _seq(self.layout.get("annotations")):
            text = _plain(_get(note, "text"))
            if not text or _get(note, "visible") is False:
                continue
            x_ref, y_ref = str(_get(note, "xref") or "x"), str(_get(note, "yref") or "y")
            ax = self._subplot_of(x_ref, y_ref)
            x_transform, x = self._place_on(ax, x_ref, _get(note, "x"), "x")
            y_transform, y = self._place_on(ax, y_ref, _get(note, "y"), "y")
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            arrow = _get(note, "showarrow") is not False
            x_anchor, y_anchor = _get(note, "xanchor") or "auto", _get(note, "yanchor") or "auto"
            if x_anchor == "auto":  # plotly: by thirds of the plot area, centred on data and arrows
                x_anchor = "center" if arrow or x_ref != "paper" else _third(x, "left", "center", "right")
            if y_anchor == "auto":
                y_anchor = "middle" if arrow or y_ref != "paper" else _third(y, "bottom", "middle", "top")
            style: dict[str, Any] = {
                "ha": "center" if arrow else x_anchor,
                "va": "center" if arrow else {"middle": "center"}.get(y_anchor, y_anchor),
                "multialignment": _get(note, "align") or "center",
                "fontsize": self.pt(_num(_get(note, "font.size"), self.font_size)),
                "color": _rgba(_get(note, "font.color")) or self.font_colour,
                "fontfamily": _FAMILY,
                "rotation": -_num(_get(note, "textangle"), 0.0),
                "zorder": 5,
                "annotation_clip": False,
            }
            background = _rgba(_get(note, "bgcolor"))
            if background and background[3] > 0:
                style["bbox"] = {"facecolor": background, "edgecolor": "none", "pad": self.pt(1)}
            if arrow:  # the text at (ax, ay) px from the point, a line from it to the point
                style["xytext"] = (self.px(_num(_get(note, "ax"), -10.0)), -self.px(_num(_get(note, "ay"), -30.0)))
                style["textcoords"] = "offset pixels"
                style["arrowprops"] = {
                    "arrowstyle": "-|>" if _get(note, "arrowhead") else "-",
                    "color": _rgba(_get(note, "arrowcolor"))
                    or _rgba(self.lay("annotationdefaults.arrowcolor"))
                    or "#444",
                    "linewidth": self.pt(_num(_get(note, "arrowwidth"), 1.0)),
                }
            label = ax.annotate(text, (x, y), xycoords=blended_transform_factory(x_transform, y_transform), **style)
            # A note on the page around the plot (an attribution line) gets room of its own; one on the
            # data stays where it is put, as in plotly.
            label.set_in_layout(x_ref == "paper" or y_ref == "paper")

    def _subplot_of(self, x_ref: str, y_ref: str) -> Axes:
        """The subplot an annotation's "x2"/"y2" (or "x2 domain") refers to; the first one for "paper"."""
        for (x_name, y_name), ax in self.subplots.items():
            if x_ref.split()[0] == f"x{x_name[5:]}" or y_ref.split()[0] == f"y{y_name[5:]}":
                return ax
        return next(iter(self.subplots.values()))

    def _place_on(self, ax: Axes, ref: str, value: Any, letter: str) -> tuple[Transform, float]:
        """An annotation coordinate and its transform: 'paper' (the plot area), 'x domain' (the
        axes), or data on the named axis (category names and dates too)."""
        if ref == "paper":
            return self.plot_transform, _float(value)
        if ref.endswith("domain"):
            return ax.transAxes, _float(value)
        name = f"{letter}axis{ref.split()[0][1:]}"
        axis = self.axes.get(name)
        position = axis.positions([value])[0] if axis is not None else _float(value)
        return ax.transData, float(position)

    def _title(self) -> None:
        """layout.title at the top; the plot area keeps clear of it (see _fit)."""
        text = _plain(self.lay("title.text"))
        if not text:
            return
        at = _num(self.lay("title.x"), 0.5)
        anchor = self.lay("title.xanchor", "auto")
        pad = self.px(8)
        title = self.fig.text(
            at,
            1 - pad / self.height,
            text,
            ha=_third(at, "left", "center", "right") if anchor == "auto" else anchor,
            va="top",
            fontsize=self.pt(_num(self.lay("title.font.size"), round(1.4 * self.font_size))),
            color=_rgba(self.lay("title.font.color")) or self.font_colour,
            fontfamily=_FAMILY,
        )
        self.title_band = title.get_window_extent(self.renderer).height + 2 * pad

    # --- layout ---------------------------------------------------------------------------------

    def _place(self, margins: tuple[float, float, float, float]) -> None:
        """Put the plot area (and every subplot and colour bar in it) inside the given margins (px)."""
        left, right, top, bottom = margins
        width = max(self.width - left - right, self.width * 0.1)
        height = max(self.height - top - bottom, self.height * 0.1)
        self.plot_box.set_points(
            np.array([[left, bottom], [left + width, bottom + height]]) / (self.width, self.height)
        )
        for (x_name, y_name), ax in self.subplots.items():
            x0, x1 = self._domain(self.axes[x_name])
            y0, y1 = self._domain(self.axes[y_name])
            ax.set_position(
                (
                    (left + x0 * width) / self.width,
                    (bottom + y0 * height) / self.height,
                    (x1 - x0) * width / self.width,
                    (y1 - y0) * height / self.height,
                )
            )
        for bar in self.colour_bars:
            if bar.axes is None:
                continue
            # plotly's colour bar: `x` along the plot area, `xpad`/`ypad` inside it, the title on top
            # taking its share of the length
            at = _num(self.trace_prop(bar.trace, "colorbar.x"), 1.02)
            pad_x = self.px(_num(self.trace_prop(bar.trace, "colorbar.xpad"), 10.0))
            pad_y = self.px(_num(self.trace_prop(bar.trace, "colorbar.ypad"), 10.0))
            thickness = self.px(_num(self.trace_prop(bar.trace, "colorbar.thickness"), 30.0))
            length = _num(self.trace_prop(bar.trace, "colorbar.len"), 1.0) * height
            title = bar.title.get_window_extent(self.renderer).height + self.px(6) if bar.title is not None else 0.0
            bar.axes.set_position(
                (
                    (left + at * width + pad_x) / self.width,
                    (bottom + (height - length) / 2 + pad_y) / self.height,
                    thickness / self.width,
                    max(length - 2 * pad_y - title, height * 0.1) / self.height,
                )
            )

    def _domain(self, axis: _Axis) -> tuple[float, float]:
        """The share of the plot area an axis spans (subplots)."""
        given = _floats(self.axis_prop(axis, "domain"))
        return (float(given[0]), float(given[1])) if len(given) == 2 and np.isfinite(given).all() else (0.0, 1.0)

    def _shrink(self) -> None:
        """Labels that must stay inside a bar or a cell made smaller where they do not fit; one size
        for every label of a group."""
        if not self.shrinkable:
            return
        renderer = self.renderer
        factors: dict[int, float] = {}
        for text, room, group in self.shrinkable:
            box = text.get_window_extent(renderer)
            width, height = room()
            if box.width > 0 and box.height > 0:
                factor = min(1.0, max(width, 0.0) / box.width, max(height, 0.0) / box.height)
                factors[group] = min(factors.get(group, 1.0), factor)
        for text, _room, group in self.shrinkable:
            if factors.get(group, 1.0) < 1.0:
                text.set_fontsize(float(text.get_fontsize()) * factors[group])

    def _margins(self) -> tuple[float, float, float, float]:
        """The layout's margins (left, right, top, bottom) in output px; plotly's defaults where unset."""
        left, right, top, bottom = (
            self.px(_num(self.lay(f"margin.{side}", default), 0.0))
            for side, default in (("l", 80), ("r", 80), ("t", 100), ("b", 80))
        )
        return left, right, top, bottom

    def _fit(self) -> None:
        """plotly's automargin: the margins grow until the tick labels, titles, legend and colour bar
        around the plot area fit in the picture."""
        wanted = margins = self._margins()
        self._place(margins)
        renderer = self.renderer
        pad = self.px(3)
        for _ in range(3):
            plot = TransformedBbox(self.plot_box, self.fig.transFigure)
            boxes = [ax.get_tightbbox(renderer) for ax in self.subplots.values()]
            boxes += [bar.axes.get_tightbbox(renderer) for bar in self.colour_bars if bar.axes is not None]
            if self.legend is not None:
                boxes.append(self.legend.get_window_extent(renderer))
            found = [b for b in boxes if b is not None and b.width >= 0 and math.isfinite(b.x0)]
            if not found:
                return
            union = Bbox.union(found)
            needed = (
                max(wanted[0], plot.x0 - union.x0 + pad),
                max(wanted[1], union.x1 - plot.x1 + pad),
                max(wanted[2], union.y1 - plot.y1 + pad + self.title_band),  # the title above it all
                max(wanted[3], plot.y0 - union.y0 + pad),
            )
            if all(abs(a - b) < 1 for a, b in zip(needed, margins, strict=True)):
                return
            margins = needed
            self._place(margins)
