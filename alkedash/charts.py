"""DataFrames → plotly figures and word-cloud images, labelled in the viewer's language.

No database and no Streamlit here: the same figures go to the projector, and later into the
downloadable summary. Room and stream are told apart by colour *and* pattern and label, never
by colour alone (WCAG 1.4.1); the colours are from the Okabe–Ito colour-blind-safe set.
"""

from __future__ import annotations

import io
import itertools
import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from alkedash.content import CHANNELS, Frame, Question, Text

CHANNEL_COLOURS = {"room": "#0072B2", "stream": "#E69F00"}
CHANNEL_PATTERNS = {"room": "", "stream": "/"}
# Dark enough for 4.5:1 on white, distinguishable with the common colour-vision deficiencies.
CLOUD_COLOURS = ("#00508A", "#A83D00", "#006B4F", "#7A3D8F", "#222222")
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
MEAN_LABEL = Text(fi="Keskiarvo (1–5)", sv="Medelvärde (1–5)", en="Mean (1–5)")
VOTES_LABEL = Text(fi="Vastauksia", sv="Svar", en="Answers")
OPTION_LABEL = Text(fi="Vaihtoehto", sv="Alternativ", en="Option")


def channel_label(*, channel: str, lang: str) -> str:
    return next((t(lang) for c, t in CHANNELS if c == channel), channel)


def _layout(fig: go.Figure, *, height: int, font_size: int) -> go.Figure:
    fig.update_layout(
        barmode="group",
        height=height,
        margin={"l": 10, "r": 30, "t": 30, "b": 10},
        font={"size": font_size, "color": "#111111"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        uirevision="keep",  # keep zoom/legend state across the screen's refreshes
    )
    fig.update_yaxes(autorange="reversed", automargin=True, tickfont={"color": "#111111", "size": font_size})
    fig.update_xaxes(gridcolor="#DDDDDD", zeroline=False, automargin=True)
    return fig


def _channel_bar(*, name: str, channel: str, x: list[float], y: list[str], text: list[str]) -> go.Bar:
    return go.Bar(
        name=name,
        x=x,
        y=y,
        text=text,
        textposition="outside",
        orientation="h",
        marker={
            "color": CHANNEL_COLOURS[channel],
            # overlay: the stripes go over the channel's colour. Without it the bar is white with
            # stripes under any template but plotly's own, Streamlit's included.
            "pattern": {
                "shape": CHANNEL_PATTERNS[channel],
                "fgcolor": "#333333",
                "solidity": 0.3,
                "fillmode": "overlay",
            },
            "line": {"color": "#333333", "width": 1},
        },
    )


def rating_table(*, data: pd.DataFrame, frame: Frame, elements: tuple[str, ...], lang: str) -> pd.DataFrame:
    """One row per frame element, room and stream side by side: the chart's text alternative."""
    rows = []
    for key in elements:
        row: dict[str, object] = {COLUMN_LABELS["element"](lang): frame.element(key).title(lang)}
        for ch, _ in CHANNELS:
            sub = data[(data["element"] == key) & (data["channel"] == ch)]
            label = channel_label(channel=ch, lang=lang)
            row[f"{label}: {MEAN_LABEL(lang)}"] = float(sub["mean"].iloc[0]) if len(sub) else None
            row[f"{label}: {VOTES_LABEL(lang)}"] = int(sub["answers"].iloc[0]) if len(sub) else 0
        rows.append(row)
    return pd.DataFrame(rows)


def rating_figure(
    *, data: pd.DataFrame, frame: Frame, elements: tuple[str, ...], lang: str, height: int = 520, font_size: int = 20
) -> go.Figure:
    fig = go.Figure()
    labels = [frame.element(k).title(lang) for k in elements]
    for ch, _ in CHANNELS:
        sub = data[data["channel"] == ch].set_index("element")
        means = [float(sub.loc[k, "mean"]) if k in sub.index else 0.0 for k in elements]
        counts = [int(sub.loc[k, "answers"]) if k in sub.index else 0 for k in elements]
        fig.add_trace(
            _channel_bar(
                name=channel_label(channel=ch, lang=lang),
                channel=ch,
                x=means,
                y=labels,
                text=[f"{m:.1f} (n={n})" if n else "–" for m, n in zip(means, counts, strict=True)],
            )
        )
    fig.update_xaxes(range=[0, 5.6], title=MEAN_LABEL(lang), dtick=1)
    return _layout(fig, height=height, font_size=font_size)


def poll_table(*, data: pd.DataFrame, question: Question, lang: str) -> pd.DataFrame:
    rows = []
    for option in question.options:
        row: dict[str, object] = {OPTION_LABEL(lang): option.label(lang)}
        for ch, _ in CHANNELS:
            sub = data[(data["option"] == option.id) & (data["channel"] == ch)]
            row[channel_label(channel=ch, lang=lang)] = int(sub["votes"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def poll_figure(
    *, data: pd.DataFrame, question: Question, lang: str, height: int = 420, font_size: int = 20
) -> go.Figure:
    fig = go.Figure()
    peak = 0
    labels = [o.label(lang) for o in question.options]
    for ch, _ in CHANNELS:
        sub = data[data["channel"] == ch].set_index("option")
        counts = [int(sub.loc[o.id, "votes"]) if o.id in sub.index else 0 for o in question.options]
        total = sum(counts) or 1
        fig.add_trace(
            _channel_bar(
                name=channel_label(channel=ch, lang=lang),
                channel=ch,
                x=[float(c) for c in counts],
                y=labels,
                text=[f"{c} ({100 * c / total:.0f} %)" if c else "0" for c in counts],
            )
        )
        peak = max(peak, *counts)
    # Room to the right of the longest bar for its label.
    fig.update_xaxes(title=VOTES_LABEL(lang), range=[0, peak * 1.35 + 1])
    return _layout(fig, height=height, font_size=font_size)


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

SHARE_LABEL = Text(fi="Osuus (%)", sv="Andel (%)", en="Share (%)")
INPUTS_LABEL = Text(fi="Vastauksia", sv="Svar", en="Inputs")
PARTICIPANTS_LABEL = Text(fi="Osallistujia", sv="Deltagare", en="Participants")
UPVOTES_LABEL = Text(fi="Peukutuksia", sv="Röster", en="Upvotes")
NOT_HEARD_LABEL = Text(fi="Ei vastauksia", sv="Inga svar", en="Not heard from")
MINUTE_LABEL = Text(fi="Kellonaika", sv="Klockslag", en="Time")
PER_MINUTE_LABEL = Text(fi="Vastauksia minuutissa", sv="Svar per minut", en="Inputs per minute")
LEANS_LABEL = Text(
    fi="← käytetään enemmän striimissä · salissa enemmän →",
    sv="← används mer via strömningen · mer i salen →",
    en="← used more on the stream · more in the room →",
)
# Sequential blues, light to dark, each bin told apart by lightness (and its label on the map).
MAP_BINS = ("#C6DBEF", "#6BAED6", "#2171B5", "#08306B")
NOT_HEARD_COLOUR = "#F2F2F2"
NOT_GIVEN_LABEL = Text(fi="Ei kerrottu", sv="Inte angivet", en="Not given")


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
    label = PARTICIPANTS_LABEL(lang) if measure == "participants" else INPUTS_LABEL(lang)
    for feature in geojson["features"]:  # type: ignore[attr-defined]
        props = feature["properties"]
        value = values.get(props["code"], 0)
        band = next((i for i, (low, high) in enumerate(ranges) if low <= value <= high), -1)
        name = props.get(lang) or props["fi"]
        legend = NOT_HEARD_LABEL(lang) if band < 0 else f"{ranges[band][0]}–{ranges[band][1]}"
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
                    line={"color": "#FFFFFF" if band >= 0 else "#777777", "width": 1},
                    hoveron="fills",
                    hoverinfo="text",
                    text=f"{name}: {value} {label.lower()}",
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
            text=str(value) if band >= 0 else "–",
            showarrow=False,
            font={"size": 13, "color": "#FFFFFF" if dark else "#111111"},
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 30, "b": 0},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"title": {"text": label}, "x": 0, "y": 1, "bgcolor": "rgba(255,255,255,0.8)"},
        font={"color": "#111111"},
    )
    return fig


def channel_share_figure(*, data: pd.DataFrame, themes: Sequence[str], lang: str) -> go.Figure:
    """Per theme (by its id, the table names it), the room's and the stream's share of inputs and
    of upvotes, stacked to 100 %."""
    fig = go.Figure()
    rows = [(f"{t} · {INPUTS_LABEL(lang)}", t, "input_share", "inputs") for t in themes]
    rows += [(f"{t} · {UPVOTES_LABEL(lang)}", t, "upvote_share", "upvotes") for t in themes]
    rows.sort(key=lambda r: (list(themes).index(r[1]), r[2]))
    for ch, _ in CHANNELS:
        sub = data[data["channel"] == ch].set_index("theme_id")
        shares = [float(sub.loc[t, share]) if t in sub.index else 0.0 for _l, t, share, _n in rows]
        counts = [int(sub.loc[t, n]) if t in sub.index else 0 for _l, t, _s, n in rows]
        bar = _channel_bar(
            name=channel_label(channel=ch, lang=lang),
            channel=ch,
            x=shares,
            y=[label for label, *_ in rows],
            text=[f"{s:.0f} % ({n})" for s, n in zip(shares, counts, strict=True)],
        )
        bar.textposition = "inside"
        bar.insidetextanchor = "middle"
        fig.add_trace(bar)
    fig.update_xaxes(range=[0, 100], title=SHARE_LABEL(lang))
    out = _layout(fig, height=140 + 55 * len(rows), font_size=14)
    out.update_layout(barmode="stack", legend={"traceorder": "normal"})
    return out


def heatmap_figure(
    *, data: pd.DataFrame, measure: str, themes: dict[str, str], frame: Frame, lang: str, height: int = 420
) -> go.Figure:
    """Theme × frame element; each cell shows its number, so the colour is never the only cue."""
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
                row_t.append("–" if number is None else f"{number:.1f}<br>(n={n})")
            else:
                ideas = int(table.loc[(t, e), "ideas"])
                number = 100.0 * float(value) / ideas if ideas else 0.0
                row_t.append(f"{int(value)}<br>({number:.0f} %)")
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
            colorbar={"title": {"text": MEAN_LABEL(lang) if measure == "mean_rating" else SHARE_LABEL(lang)}},
        )
    )
    fig.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 30, "b": 10}, plot_bgcolor="white", paper_bgcolor="white"
    )
    fig.update_xaxes(tickangle=-30, automargin=True)
    fig.update_yaxes(automargin=True, autorange="reversed")
    return fig


def timeline_figure(*, data: pd.DataFrame, lang: str, height: int = 380) -> go.Figure:
    """Inputs per minute; the stream's line is dashed as well as coloured."""
    fig = go.Figure()
    for ch, _ in CHANNELS:
        sub = data[data["channel"] == ch]
        fig.add_trace(
            go.Scatter(
                x=sub["minute"],
                y=sub["inputs"],
                mode="lines",
                name=channel_label(channel=ch, lang=lang),
                line={"color": CHANNEL_COLOURS[ch], "width": 2, "dash": "solid" if ch == "room" else "dash"},
                line_shape="hv",
            )
        )
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        font={"color": "#111111"},
        hovermode="x unified",
    )
    minutes = sorted(set(data["minute"]))
    gaps = [
        {"bounds": [a + pd.Timedelta(minutes=1), b]}
        for a, b in itertools.pairwise(minutes)
        if b - a > pd.Timedelta(minutes=1)
    ]
    # The hours between sessions are cut out of the axis, so the day's three bursts sit side by side.
    fig.update_xaxes(title=MINUTE_LABEL(lang), gridcolor="#DDDDDD", tickformat="%d.%m. %H:%M", rangebreaks=gaps)
    fig.update_yaxes(title=PER_MINUTE_LABEL(lang), gridcolor="#DDDDDD", rangemode="tozero", automargin=True)
    return fig


def distinctive_figure(*, data: pd.DataFrame, lang: str) -> go.Figure:
    """Words one channel uses more: the room's to the right of zero, the stream's to the left."""
    fig = go.Figure()
    ordered = data.sort_values("log_odds")
    for ch, _ in CHANNELS:
        sub = ordered[ordered["leans"] == ch]
        bar = _channel_bar(
            name=channel_label(channel=ch, lang=lang),
            channel=ch,
            x=[float(v) for v in sub["log_odds"]],
            y=list(sub["word"]),
            text=[f"{r} / {s}" for r, s in zip(sub["room_share"], sub["stream_share"], strict=True)],
        )
        bar.hovertemplate = "%{y}: %{text} % " + "<extra></extra>"
        bar.textposition = "none"
        fig.add_trace(bar)
    out = _layout(fig, height=140 + 30 * len(data), font_size=14)
    reach = max([abs(float(v)) for v in data["log_odds"]] + [1.0]) * 1.1
    out.update_yaxes(autorange=True)
    out.update_xaxes(title=LEANS_LABEL(lang), range=[-reach, reach], zeroline=True, zerolinecolor="#333333")
    out.update_layout(barmode="overlay", showlegend=True)
    return out


COLUMN_LABELS: dict[str, Text] = {
    "theme_id": Text(fi="Teema", sv="Tema", en="Theme"),
    "question_id": Text(fi="Kysymys", sv="Fråga", en="Question"),
    "channel": Text(fi="Kanava", sv="Kanal", en="Channel"),
    "leans": Text(fi="Käytetään enemmän", sv="Används mer", en="Used more"),
    "region": Text(fi="Maakunta", sv="Landskap", en="Region"),
    "element": Text(fi="Kehyksen kohta", sv="Del av ramen", en="Frame element"),
    "participants": PARTICIPANTS_LABEL,
    "inputs": INPUTS_LABEL,
    "ideas": Text(fi="Ideoita", sv="Idéer", en="Ideas"),
    "upvotes": UPVOTES_LABEL,
    "input_share": Text(fi="Osuus vastauksista (%)", sv="Andel av svaren (%)", en="Share of inputs (%)"),
    "upvote_share": Text(fi="Osuus peukutuksista (%)", sv="Andel av rösterna (%)", en="Share of upvotes (%)"),
    "answers": VOTES_LABEL,
    "mean": MEAN_LABEL,
    "ratings": Text(fi="Arvioita", sv="Bedömningar", en="Ratings"),
    "mean_rating": MEAN_LABEL,
    "tagged": Text(
        fi="Osallistujan merkitsemiä ideoita", sv="Idéer märkta av deltagaren", en="Ideas tagged by participants"
    ),
    "suggested": Text(
        fi="Avainsanojen ehdottamia ideoita", sv="Idéer föreslagna av nyckelord", en="Ideas suggested by keywords"
    ),
    "minute": MINUTE_LABEL,
    "word": Text(fi="Sana", sv="Ord", en="Word"),
    "lemma": Text(fi="Perusmuoto", sv="Grundform", en="Lemma"),
    "room": Text(fi="Salissa (tekstejä)", sv="I salen (texter)", en="In the room (texts)"),
    "stream": Text(fi="Striimissä (tekstejä)", sv="Via strömningen (texter)", en="On the stream (texts)"),
    "room_share": Text(fi="Salissa (%)", sv="I salen (%)", en="In the room (%)"),
    "stream_share": Text(fi="Striimissä (%)", sv="Via strömningen (%)", en="On the stream (%)"),
    "log_odds": Text(fi="Log-vetosuhde", sv="Log-oddskvot", en="Log odds ratio"),
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
    out = data.copy()
    for column in ("channel", "leans"):
        if column in out:
            out[column] = [channel_label(channel=c, lang=lang) for c in out[column]]
    if themes is not None and "theme_id" in out:
        out["theme_id"] = [themes.get(t, t) for t in out["theme_id"]]
    if frame is not None and "element" in out:
        out["element"] = [frame.element(e).title(lang) if e in frame.keys else e for e in out["element"]]
    if regions is not None and "region" in out:
        out["region"] = [regions.get(r, NOT_GIVEN_LABEL(lang)) for r in out["region"]]
    if "minute" in out:
        out["minute"] = [m.strftime("%Y-%m-%d %H:%M") for m in out["minute"]]
    return out.rename(columns={c: COLUMN_LABELS[c](lang) for c in out.columns if c in COLUMN_LABELS})
