"""DataFrames → plotly figures and word-cloud images, labelled in the viewer's language.

No database and no Streamlit here: the same figures go to the projector, and later into the
downloadable summary. Room and stream are told apart by colour *and* pattern and label, never
by colour alone (WCAG 1.4.1); the colours are from the Okabe–Ito colour-blind-safe set.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
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
    fig.update_xaxes(gridcolor="#DDDDDD", zeroline=False)
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
            "pattern": {"shape": CHANNEL_PATTERNS[channel], "fgcolor": "#333333", "solidity": 0.3},
            "line": {"color": "#333333", "width": 1},
        },
    )


def rating_table(*, data: pd.DataFrame, frame: Frame, elements: tuple[str, ...], lang: str) -> pd.DataFrame:
    """One row per frame element, room and stream side by side: the chart's text alternative."""
    rows = []
    for key in elements:
        row: dict[str, object] = {"element": frame.element(key).title(lang)}
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
        row: dict[str, object] = {"option": option.label(lang)}
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
