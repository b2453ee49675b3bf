"""DataFrames → plotly figures and word-cloud images, labelled in the viewer's language.

No database and no Streamlit here: the same figures go to the projector, and later into the
downloadable summary. Room and stream are told apart by colour *and* pattern and label, never
by colour alone (WCAG 1.4.1); the colours are from the Okabe–Ito colour-blind-safe set, and only
those with at least 3:1 against the white background (WCAG 1.4.11): blue, vermillion, green,
pink and black. (Orange, sky blue and yellow are for dark backgrounds only.) Every bar carries
its value as text, and every label is in the viewer's language (alkedash.translation).
"""

from __future__ import annotations

import io
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from alkedash.content import CHANNELS, Frame, Question
from alkedash.translation import Translator, translator

BACKGROUND = "#FFFFFF"
INK = "#111111"  # text: 18.9:1 on white
# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour-vision deficiency.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "pink": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
}


def _luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #RRGGBB colours, 1 to 21."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The Okabe–Ito colours a chart on white may use: 3:1 or more against the background (blue 5.2,
# vermillion 3.9, green 3.4, pink 3.1, black 21). Every trace of every chart takes its colour from here.
PALETTE = tuple(c for c in OKABE_ITO.values() if contrast(c, BACKGROUND) >= 3.0)
CHANNEL_COLOURS = {"room": OKABE_ITO["blue"], "stream": OKABE_ITO["vermillion"]}
CHANNEL_PATTERNS = {"room": "", "stream": "/"}  # the stream's bars hatched, the room's solid
CHANNEL_DASHES = {"room": "solid", "stream": "dash"}  # and its line dashed
PATTERN_INK = "#333333"
# Dark enough for 4.5:1 on white, distinguishable with the common colour-vision deficiencies.
CLOUD_COLOURS = ("#00508A", "#A83D00", "#006B4F", "#7A3D8F", "#222222")
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
CHANNEL_IDS = tuple(c for c, _text in CHANNELS)
BIG_FONT = 24  # px: chart text on the projector, read from the back of a 140-seat room


def mean_label(_: Translator) -> str:
    return _("Keskiarvo (1–5)")


def answers_label(_: Translator) -> str:
    return _("Vastauksia")


def channel_label(*, channel: str, lang: str) -> str:
    return next((t(lang) for c, t in CHANNELS if c == channel), channel)


def _layout(fig: go.Figure, *, height: int, font_size: int) -> go.Figure:
    fig.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 30, "t": 30, "b": 10},
        font={"size": font_size, "color": INK},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": font_size}},
        hoverlabel={"font": {"size": font_size}},
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        uirevision="keep",  # keep zoom/legend state across the screen's refreshes
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"color": INK, "size": font_size})
    fig.update_xaxes(
        gridcolor="#DDDDDD",
        zeroline=False,
        automargin=True,
        tickfont={"color": INK, "size": font_size},
        title_font={"size": font_size},
    )
    return fig


def _no_answers(fig: go.Figure, *, lang: str, font_size: int) -> None:
    """A chart without any answer says so in words, instead of showing empty axes."""
    _ = translator(lang=lang)
    say_empty(fig, text=_("Ei vielä vastauksia."), font_size=font_size)


def say_empty(fig: go.Figure, *, text: str, font_size: int) -> None:
    """Words in the middle of a chart that has nothing to draw yet."""
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": font_size, "color": INK},
        bgcolor=BACKGROUND,
    )


def _channel_bar(
    *, name: str, channel: str, x: list[float], y: list[str], text: list[str], font_size: int | None = None
) -> go.Bar:
    return go.Bar(
        name=name,
        x=x,
        y=y,
        text=text,
        # The value written next to each bar, so no reader needs the colour or the axis to read it.
        texttemplate="%{text}",
        textposition="outside",
        textfont={"color": INK, **({"size": font_size} if font_size else {})},
        cliponaxis=False,
        orientation="h",
        hovertemplate=f"{name}<br>%{{y}}: %{{text}}<extra></extra>",
        marker={
            "color": CHANNEL_COLOURS[channel],
            # overlay: the stripes go over the channel's colour. Without it the bar is white with
            # stripes under any template but plotly's own, Streamlit's included.
            "pattern": {
                "shape": CHANNEL_PATTERNS[channel],
                "fgcolor": PATTERN_INK,
                "solidity": 0.3,
                "fillmode": "overlay",
            },
            "line": {"color": PATTERN_INK, "width": 1},
        },
    )


def rating_table(*, data: pd.DataFrame, frame: Frame, elements: tuple[str, ...], lang: str) -> pd.DataFrame:
    """One row per frame element, room and stream side by side: the chart's text alternative."""
    _ = translator(lang=lang)
    rows = []
    for key in elements:
        row: dict[str, object] = {COLUMN_LABELS["element"](_): frame.element(key).title(lang)}
        for ch in CHANNEL_IDS:
            sub = data[(data["element"] == key) & (data["channel"] == ch)]
            label = channel_label(channel=ch, lang=lang)
            row[_("{channel}: keskiarvo (1–5)", channel=label)] = float(sub["mean"].iloc[0]) if len(sub) else None
            row[_("{channel}: vastauksia", channel=label)] = int(sub["answers"].iloc[0]) if len(sub) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def rating_figure(
    *,
    data: pd.DataFrame,
    frame: Frame,
    elements: tuple[str, ...],
    lang: str,
    height: int = 520,
    font_size: int = 20,
    big: bool = False,
) -> go.Figure:
    """Mean rating per frame element, room and stream side by side; `big`: projector type (BIG_FONT)."""
    _ = translator(lang=lang)
    size = max(font_size, BIG_FONT) if big else font_size
    fig = go.Figure()
    labels = [frame.element(k).title(lang) for k in elements]
    answered = 0
    for ch in CHANNEL_IDS:
        sub = data[data["channel"] == ch].set_index("element")
        means = [float(sub.loc[k, "mean"]) if k in sub.index else 0.0 for k in elements]
        counts = [int(sub.loc[k, "answers"]) if k in sub.index else 0 for k in elements]
        answered += sum(counts)
        fig.add_trace(
            _channel_bar(
                name=channel_label(channel=ch, lang=lang),
                channel=ch,
                x=means,
                y=labels,
                text=[
                    _("{mean} (n={n})", mean=_.number(m, digits=1), n=n) if n else "–"
                    for m, n in zip(means, counts, strict=True)
                ],
                font_size=size,
            )
        )
    fig.update_xaxes(range=[0, 5.6], title=mean_label(_), dtick=1)
    if not answered:
        _no_answers(fig, lang=lang, font_size=size)
    return _layout(fig, height=height, font_size=size)


def poll_table(*, data: pd.DataFrame, question: Question, lang: str) -> pd.DataFrame:
    _ = translator(lang=lang)
    rows = []
    for option in question.options:
        row: dict[str, object] = {_("Vaihtoehto"): option.label(lang)}
        for ch in CHANNEL_IDS:
            sub = data[(data["option"] == option.id) & (data["channel"] == ch)]
            row[channel_label(channel=ch, lang=lang)] = int(sub["votes"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def poll_figure(
    *, data: pd.DataFrame, question: Question, lang: str, height: int = 420, font_size: int = 20, big: bool = False
) -> go.Figure:
    """Votes per option, room and stream side by side, each bar with its count and its channel's share."""
    _ = translator(lang=lang)
    size = max(font_size, BIG_FONT) if big else font_size
    fig = go.Figure()
    peak = 0
    labels = [o.label(lang) for o in question.options]
    for ch in CHANNEL_IDS:
        sub = data[data["channel"] == ch].set_index("option")
        counts = [int(sub.loc[o.id, "votes"]) if o.id in sub.index else 0 for o in question.options]
        total = sum(counts) or 1
        fig.add_trace(
            _channel_bar(
                name=channel_label(channel=ch, lang=lang),
                channel=ch,
                x=[float(c) for c in counts],
                y=labels,
                text=[
                    _("{count} ({share})", count=_.number(c), share=_.percent(c / total)) if c else "0" for c in counts
                ],
                font_size=size,
            )
        )
        peak = max(peak, *counts)
    # Room to the right of the longest bar for its label.
    fig.update_xaxes(title=answers_label(_), range=[0, peak * 1.35 + 1])
    if not peak:
        _no_answers(fig, lang=lang, font_size=size)
    return _layout(fig, height=height, font_size=size)


def _font_path() -> str | None:
    return next((str(p) for p in FONT_CANDIDATES if p.is_file()), None)


def _cloud_colour(word: str, **_: object) -> str:
    # Stable per word, so a word keeps its colour from one refresh to the next.
    return CLOUD_COLOURS[sum(map(ord, word)) % len(CLOUD_COLOURS)]


class _CloudCache:
    """Drawn clouds by their data, newest kept. One lock around drawing: screens refreshing at the
    same moment wait for one drawing and reuse it, instead of each drawing the same cloud on the
    same CPU. (A screen whose cloud is already drawn may wait for another's drawing, ~0.1 s.)"""

    size = 32  # a PNG is about 200 kB

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pngs: OrderedDict[tuple[tuple[tuple[str, int], ...], int, int], bytes] = OrderedDict()
        self.draws = 0

    def get(self, key: tuple[tuple[tuple[str, int], ...], int, int]) -> bytes | None:
        found = self.pngs.get(key)
        if found is not None:
            self.pngs.move_to_end(key)
        return found


_clouds = _CloudCache()


def wordcloud_png(*, words: tuple[tuple[str, int], ...], width: int = 1400, height: int = 560) -> bytes:
    """A PNG word cloud; cached by its data, so an unchanged cloud is never drawn twice."""
    key = (words, width, height)
    with _clouds.lock:
        found = _clouds.get(key)
        if found is None:
            found = _draw_cloud(words=words, width=width, height=height)
            _clouds.pngs[key] = found
            _clouds.draws += 1
            while len(_clouds.pngs) > _clouds.size:
                _clouds.pngs.popitem(last=False)
        return found


def wordcloud_draws() -> int:
    """How many clouds this process has drawn (for tests and benchmarks)."""
    return _clouds.draws


def clear_wordcloud_cache() -> None:
    with _clouds.lock:
        _clouds.pngs.clear()


def prepare_wordcloud() -> None:
    """Import the word-cloud package (and matplotlib, which it imports) now: about 0.2 s, otherwise
    paid by the first refresh that reveals a cloud. Free once done."""
    import wordcloud  # noqa: F401


def _draw_cloud(*, words: tuple[tuple[str, int], ...], width: int, height: int) -> bytes:
    from wordcloud import WordCloud  # imported here: heavy, and only the screen needs it

    # Laid out at half size and rendered at full size (`scale`): the same crisp letters, a quarter of
    # the placement work (measured at 1400 x 560 with 60 words: 0.25 s -> 0.07 s).
    scale = 2 if width % 2 == 0 and height % 2 == 0 else 1
    cloud = WordCloud(
        width=width // scale,
        height=height // scale,
        scale=scale,
        background_color="white",
        color_func=_cloud_colour,
        font_path=_font_path(),
        prefer_horizontal=1.0,
        random_state=7,
        max_words=80,
        min_font_size=14 // scale,
        max_font_size=height // scale // 4,  # the top word must not crowd out the rest
        collocations=False,
        normalize_plurals=False,
    )
    cloud.generate_from_frequencies(dict(words))
    buf = io.BytesIO()
    # zlib's default level: optimize=True made the file 3 % smaller for ten times the time (0.2 s).
    cloud.to_image().save(buf, format="PNG")
    return buf.getvalue()


# --- the analysis page ------------------------------------------------------------------------


def share_label(_: Translator) -> str:
    return _("Osuus (%)")


def inputs_label(_: Translator) -> str:
    return _.pgettext("inputs", "Vastauksia")


def participants_label(_: Translator) -> str:
    return _("Osallistujia")


def upvotes_label(_: Translator) -> str:
    return _("Peukutuksia")


def minute_label(_: Translator) -> str:
    return _("Kellonaika")


def not_given_label(_: Translator) -> str:
    """A participant who chose not to say (region, organisation type): the same words in charts and tables."""
    return _("Ei kerrottu")


# Sequential blues, light to dark, each bin told apart by lightness (and its label on the map).
# A sequence, not categories: the Okabe–Ito set has no light-to-dark order. Every region carries
# its number and a dark outline, so neither the fill nor its contrast is needed to read the map.
MAP_BINS = ("#C6DBEF", "#6BAED6", "#2171B5", "#08306B")
NOT_HEARD_COLOUR = "#F2F2F2"
MAP_OUTLINE = "#595959"  # 7:1 on white: each region's shape stands out even where its fill is pale
# The timeline's ticks, as each language writes a day and a time (d3's time format).
TICK_FORMATS = {"fi": "%-d.%-m. %H.%M", "sv": "%-d.%-m. %H.%M", "en": "%-d %b %H:%M"}


def _lon_scale(geojson: dict[str, object]) -> float:
    """Longitude shrink at Finland's mid-latitude, so the map is not stretched sideways."""
    lats = [pt[1] for f in geojson["features"] for ring in _rings(f) for pt in ring]  # type: ignore[attr-defined]
    return math.cos(math.radians((min(lats) + max(lats)) / 2))


def _rings(feature: dict[str, object]) -> list[list[list[float]]]:
    geometry = feature["geometry"]
    coords = geometry["coordinates"]  # type: ignore[index]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]  # type: ignore[index]
    return [polygon[0] for polygon in polygons]  # outer rings; Finland's regions have no holes worth drawing


def _bins(values: list[int]) -> list[tuple[int, int]]:
    """Up to four ranges from the smallest to the largest non-zero value, as even as whole numbers allow."""
    heard = [v for v in values if v > 0]
    if not heard:
        return []
    low, top = min(heard), max(heard)
    steps = len(MAP_BINS)
    edges = sorted({low - 1 + math.ceil((top - low + 1) * i / steps) for i in range(1, steps + 1)})
    ranges, start = [], low
    for high in edges:
        if high >= start:
            ranges.append((start, high))
            start = high + 1
    return ranges


def _centre(rings: list[list[list[float]]]) -> tuple[float, float]:
    """Area-weighted centroid of the largest ring: inside the region for Finland's shapes, unlike the
    middle of the bounding box, which falls into the sea or the neighbour for a coastal region."""
    ring = max(rings, key=len)
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return ring[0][0], ring[0][1]
    return cx / (3 * area), cy / (3 * area)


def region_map(
    *, data: pd.DataFrame, geojson: dict[str, object], measure: str, lang: str, height: int = 720
) -> go.Figure:
    """Finland's regions shaded by `measure` ("participants" or "inputs"); regions not heard from
    are pale grey, hatched and labelled, and every region carries its number, so the map never
    speaks by colour alone. Drawn as filled outlines on plain axes: plotly's geo charts fetch a base
    map from the internet, which the venue network and our tests do not allow."""
    values = {str(r): int(v) for r, v in zip(data["region"], data[measure], strict=True)}
    on_map = [f["properties"]["code"] for f in geojson["features"]]  # type: ignore[attr-defined]
    ranges = _bins([values.get(code, 0) for code in on_map])  # "not given" has no place on a map
    shrink = _lon_scale(geojson)
    fig = go.Figure()
    legend_shown: set[int] = set()
    _ = translator(lang=lang)
    label = participants_label(_) if measure == "participants" else inputs_label(_)
    for feature in geojson["features"]:  # type: ignore[attr-defined]
        props = feature["properties"]
        value = values.get(props["code"], 0)
        band = next((i for i, (low, high) in enumerate(ranges) if low <= value <= high), -1)
        name = props.get(lang) or props["fi"]
        legend = _("Ei vastauksia") if band < 0 else f"{_.number(ranges[band][0])}–{_.number(ranges[band][1])}"
        if measure == "participants":
            hover = _.ngettext("{name}: {n} osallistuja", "{name}: {n} osallistujaa", value, name=name)
        else:
            hover = _.ngettext("{name}: {n} vastaus", "{name}: {n} vastausta", value, name=name)
        for ring in _rings(feature):
            fig.add_trace(
                go.Scatter(
                    x=[pt[0] * shrink for pt in ring],
                    y=[pt[1] for pt in ring],
                    mode="lines",
                    fill="toself",
                    fillcolor=NOT_HEARD_COLOUR if band < 0 else MAP_BINS[band],
                    fillpattern={"shape": "x", "fgcolor": "#999999", "size": 6, "fillmode": "overlay"}
                    if band < 0
                    else None,
                    line={"color": MAP_OUTLINE, "width": 1},
                    hoveron="fills",
                    hoverinfo="text",
                    text=hover,
                    name=legend,
                    legendgroup=str(band),
                    legendrank=band if band >= 0 else 99,
                    showlegend=band not in legend_shown,
                )
            )
            legend_shown.add(band)
        x, y = _centre(_rings(feature))
        dark = band >= 2
        fig.add_annotation(
            x=x * shrink,
            y=y,
            text=_.number(value) if band >= 0 else "–",
            showarrow=False,
            font={"size": 13, "color": "#FFFFFF" if dark else "#111111"},
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        legend={"title": {"text": label}, "x": 0, "y": 1, "bgcolor": "rgba(255,255,255,0.8)"},
        font={"color": INK},
    )
    return fig


def channel_share_figure(*, data: pd.DataFrame, themes: Sequence[str], lang: str) -> go.Figure:
    """Per theme (by its id, the table names it), the room's and the stream's share of inputs and
    of upvotes, stacked to 100 %."""
    _ = translator(lang=lang)
    fig = go.Figure()
    rows = [(f"{t} · {inputs_label(_)}", t, "input_share", "inputs") for t in themes]
    rows += [(f"{t} · {upvotes_label(_)}", t, "upvote_share", "upvotes") for t in themes]
    rows.sort(key=lambda r: (list(themes).index(r[1]), r[2]))
    for ch in CHANNEL_IDS:
        sub = data[data["channel"] == ch].set_index("theme_id")
        shares = [float(sub.loc[t, share]) if t in sub.index else 0.0 for _l, t, share, _n in rows]
        counts = [int(sub.loc[t, n]) if t in sub.index else 0 for _l, t, _s, n in rows]
        bar = _channel_bar(
            name=channel_label(channel=ch, lang=lang),
            channel=ch,
            x=shares,
            y=[label for label, *_ in rows],
            text=[
                _("{count} ({share})", count=_.number(n), share=_.percent(s / 100))
                for s, n in zip(shares, counts, strict=True)
            ],
        )
        bar.textposition = "inside"
        bar.insidetextanchor = "middle"
        bar.textfont = {}  # inside a bar plotly picks black or white for the fill
        fig.add_trace(bar)
    fig.update_xaxes(range=[0, 100], title=share_label(_))
    out = _layout(fig, height=140 + 55 * len(rows), font_size=14)
    out.update_layout(barmode="stack", legend={"traceorder": "normal"})
    return out


def heatmap_figure(
    *, data: pd.DataFrame, measure: str, themes: dict[str, str], frame: Frame, lang: str, height: int = 420
) -> go.Figure:
    """Theme × frame element; each cell shows its number, so the colour is never the only cue."""
    _ = translator(lang=lang)
    elements = list(dict.fromkeys(data["element"]))
    theme_ids = [t for t in themes if t in set(data["theme_id"])]
    table = data.set_index(["theme_id", "element"])
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for t in theme_ids:
        row_z: list[float | None] = []
        row_t: list[str] = []
        for e in elements:
            value = table.loc[(t, e), measure]
            if measure == "mean_rating":
                n = int(table.loc[(t, e), "ratings"])
                number = None if pd.isna(value) else float(value)
                row_t.append("–" if number is None else _("{mean}<br>(n={n})", mean=_.number(number, digits=1), n=n))
            else:
                ideas = int(table.loc[(t, e), "ideas"])
                number = 100.0 * float(value) / ideas if ideas else 0.0
                row_t.append(_("{count}<br>({share})", count=_.number(int(value)), share=_.percent(number / 100)))
            row_z.append(number)
        z.append(row_z)
        text.append(row_t)
    scale = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[frame.element(e).title(lang) for e in elements],
            y=[themes[t] for t in theme_ids],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            colorscale=scale,
            zmin=1.0 if measure == "mean_rating" else 0.0,
            zmax=5.0 if measure == "mean_rating" else None,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": mean_label(_) if measure == "mean_rating" else share_label(_)}},
        )
    )
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor=BACKGROUND, paper_bgcolor=BACKGROUND
    )
    fig.update_xaxes(tickangle=-30, automargin=True)
    fig.update_yaxes(automargin=True, autorange="reversed")
    return fig


def timeline_figure(*, data: pd.DataFrame, lang: str, height: int = 380) -> go.Figure:
    """Inputs per minute; the stream's line is dashed as well as coloured."""
    _ = translator(lang=lang)
    fig = go.Figure()
    for ch in CHANNEL_IDS:
        sub = data[data["channel"] == ch]
        fig.add_trace(
            go.Scatter(
                x=sub["minute"],
                y=sub["inputs"],
                mode="lines",
                name=channel_label(channel=ch, lang=lang),
                line={"color": CHANNEL_COLOURS[ch], "width": 2, "dash": CHANNEL_DASHES[ch]},
                line_shape="hv",
            )
        )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor=BACKGROUND,
        paper_bgcolor=BACKGROUND,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"color": INK},
        hovermode="x unified",
    )
    minutes = sorted(set(data["minute"]))
    gaps = [
        {"bounds": [a + pd.Timedelta(minutes=1), b]}
        for a, b in itertools.pairwise(minutes)
        if b - a > pd.Timedelta(minutes=1)
    ]
    # The hours between sessions are cut out of the axis, so the day's three bursts sit side by side.
    fig.update_xaxes(title=minute_label(_), gridcolor="#DDDDDD", tickformat=TICK_FORMATS[_.lang], rangebreaks=gaps)
    fig.update_yaxes(
        title=_.pgettext("inputs", "Vastauksia minuutissa"), gridcolor="#DDDDDD", rangemode="tozero", automargin=True
    )
    return fig


def distinctive_figure(*, data: pd.DataFrame, lang: str) -> go.Figure:
    """Words one channel uses more: the room's to the right of zero, the stream's to the left."""
    _ = translator(lang=lang)
    fig = go.Figure()
    ordered = data.sort_values("log_odds")
    for ch in CHANNEL_IDS:
        sub = ordered[ordered["leans"] == ch]
        bar = _channel_bar(
            name=channel_label(channel=ch, lang=lang),
            channel=ch,
            x=[float(v) for v in sub["log_odds"]],
            y=list(sub["word"]),
            text=[f"{r} / {s}" for r, s in zip(sub["room_share"], sub["stream_share"], strict=True)],
        )
        bar.hovertemplate = "%{y}: %{text} %<extra></extra>"
        bar.textposition = "none"
        fig.add_trace(bar)
    out = _layout(fig, height=140 + 30 * len(data), font_size=14)
    reach = max([abs(float(v)) for v in data["log_odds"]] + [1.0]) * 1.1
    out.update_yaxes(autorange=True)
    out.update_xaxes(
        title=_("← käytetään enemmän striimissä · salissa enemmän →"),
        range=[-reach, reach],
        zeroline=True,
        zerolinecolor=PATTERN_INK,
    )
    out.update_layout(barmode="overlay", showlegend=True)
    return out


COLUMN_LABELS: dict[str, Callable[[Translator], str]] = {
    "theme_id": lambda _: _("Teema"),
    "question_id": lambda _: _("Kysymys"),
    "channel": lambda _: _("Kanava"),
    "leans": lambda _: _("Käytetään enemmän"),
    "region": lambda _: _("Maakunta"),
    "element": lambda _: _("Kehyksen kohta"),
    "participants": participants_label,
    "inputs": inputs_label,
    "ideas": lambda _: _("Ideoita"),
    "upvotes": upvotes_label,
    "input_share": lambda _: _("Osuus vastauksista (%)"),
    "upvote_share": lambda _: _("Osuus peukutuksista (%)"),
    "answers": answers_label,
    "mean": mean_label,
    "ratings": lambda _: _("Arvioita"),
    "mean_rating": mean_label,
    "tagged": lambda _: _("Osallistujan merkitsemiä ideoita"),
    "suggested": lambda _: _("Avainsanojen ehdottamia ideoita"),
    "minute": minute_label,
    "word": lambda _: _("Sana"),
    "lemma": lambda _: _("Perusmuoto"),
    "room": lambda _: _("Salissa (tekstejä)"),
    "stream": lambda _: _("Striimissä (tekstejä)"),
    "room_share": lambda _: _("Salissa (%)"),
    "stream_share": lambda _: _("Striimissä (%)"),
    "log_odds": lambda _: _("Log-vetosuhde"),
}


def labelled_table(
    *,
    data: pd.DataFrame,
    lang: str,
    themes: dict[str, str] | None = None,
    frame: Frame | None = None,
    regions: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The chart's data as a reader sees it: ids turned into names, columns into words.

    The same table is shown beside the chart and offered as CSV, so what is downloaded is what was
    on the screen."""
    _ = translator(lang=lang)
    out = data.copy()
    for column in ("channel", "leans"):
        if column in out:
            out[column] = [channel_label(channel=c, lang=lang) for c in out[column]]
    if themes is not None and "theme_id" in out:
        out["theme_id"] = [themes.get(t, t) for t in out["theme_id"]]
    if frame is not None and "element" in out:
        out["element"] = [frame.element(e).title(lang) if e in frame.keys else e for e in out["element"]]
    if regions is not None and "region" in out:
        out["region"] = [regions.get(r, not_given_label(_)) for r in out["region"]]
    if "minute" in out:
        out["minute"] = [m.strftime("%Y-%m-%d %H:%M") for m in out["minute"]]
    return out.rename(columns={c: COLUMN_LABELS[c](_) for c in out.columns if c in COLUMN_LABELS})
