"""The summary's pictures: every chart the screen shows, drawn as a PNG without a browser.

The data are hand-made in the shape alkedash.analysis and alkedash.results return (fixed seed), so
each chart is drawn as it is on the day, quickly and without a database.
"""

from __future__ import annotations

import io
import logging
import random
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from PIL import Image

from alkedash import charts, picture
from alkedash.content import Catalogue, Event, load_region_shapes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
Build = Callable[[Catalogue, Event], go.Figure]


def _rating(catalogue: Catalogue, event: Event) -> go.Figure:
    rng = random.Random(1)
    keys = catalogue.frame.keys
    data = pd.DataFrame(
        [(k, ch, rng.randint(5, 80), round(rng.uniform(2.5, 4.5), 2)) for k in keys for ch in ("room", "stream")],
        columns=["element", "channel", "answers", "mean"],
    )
    return charts.rating_figure(data=data, frame=catalogue.frame, elements=keys, lang="fi")


def _poll(catalogue: Catalogue, event: Event) -> go.Figure:
    question = event.question("T1-poll")[1]  # type: ignore[index]
    rng = random.Random(2)
    data = pd.DataFrame(
        [
            {"option": o.id, "channel": ch, "votes": rng.randint(1, 20)}
            for o in question.options
            for ch in ("room", "stream")
        ]
    )
    return charts.poll_figure(data=data, question=question, lang="fi")


def _shares(catalogue: Catalogue, event: Event) -> go.Figure:
    rows = []
    for theme, room in zip(("T1", "T2", "T3"), (35, 30, 41), strict=True):
        for channel, share in (("room", room), ("stream", 100 - room)):
            rows.append(
                {
                    "theme_id": theme,
                    "channel": channel,
                    "inputs": 3 * share,
                    "upvotes": 2 * share,
                    "input_share": float(share),
                    "upvote_share": float(share),
                }
            )
    return charts.channel_share_figure(data=pd.DataFrame(rows), themes=["T1", "T2", "T3"], lang="fi")


def _distinctive(catalogue: Catalogue, event: Event) -> go.Figure:
    words = [("huoltovarmuus", "room", 0.8), ("yhteisöllisyys", "room", 0.5), ("järjestöt", "stream", -0.6)]
    data = pd.DataFrame(
        [
            {"theme_id": "T3", "word": w, "leans": leans, "log_odds": odds, "room_share": 20, "stream_share": 10}
            for w, leans, odds in words
        ]
    )
    return charts.distinctive_figure(data=data, lang="fi")


def _matrix(catalogue: Catalogue, event: Event) -> pd.DataFrame:
    rng = random.Random(3)
    return pd.DataFrame(
        [
            {
                "theme_id": t.id,
                "element": e,
                "ratings": 110,
                "mean_rating": round(rng.uniform(1, 5), 2),
                "tagged": rng.randint(0, 30),
                "suggested": rng.randint(0, 60),
                "ideas": 100,
            }
            for t in event.themes
            for e in catalogue.frame.keys
        ]
    )


def _heatmap(measure: str) -> Build:
    def build(catalogue: Catalogue, event: Event) -> go.Figure:
        themes = {t.id: f"{t.id}: {t.title('fi')}" for t in event.themes}
        return charts.heatmap_figure(
            data=_matrix(catalogue, event), measure=measure, themes=themes, frame=catalogue.frame, lang="fi"
        )

    return build


def _timeline(catalogue: Catalogue, event: Event) -> go.Figure:
    rng = random.Random(4)
    starts = ["2025-03-20 13:00", "2025-03-20 14:45", "2025-03-21 09:30"]  # three sessions, hours apart
    minutes = [m for s in starts for m in pd.date_range(s, periods=30, freq="min", tz="Europe/Helsinki")]
    data = pd.DataFrame(
        [{"minute": m, "channel": ch, "inputs": rng.randint(0, 20)} for m in minutes for ch in ("room", "stream")]
    )
    return charts.timeline_figure(data=data, lang="fi")


def _map(measure: str) -> Build:
    def build(catalogue: Catalogue, event: Event) -> go.Figure:
        codes = [r.code for r in catalogue.regions]
        data = pd.DataFrame(
            {
                "region": codes,
                "participants": [0 if c == "MK19" else i + 1 for i, c in enumerate(codes)],  # Lapland not heard
                "inputs": [0 if c == "MK19" else 5 * i + 3 for i, c in enumerate(codes)],
            }
        )
        return charts.region_map(data=data, geojson=load_region_shapes(), measure=measure, lang="fi")

    return build


BUILDERS: dict[str, Build] = {
    "rating": _rating,
    "poll": _poll,
    "channel shares": _shares,
    "distinctive words": _distinctive,
    "heatmap of means": _heatmap("mean_rating"),
    "heatmap of tags": _heatmap("tagged"),
    "heatmap of suggestions": _heatmap("suggested"),
    "timeline": _timeline,
    "map of participants": _map("participants"),
    "map of inputs": _map("inputs"),
}
BAR_CHARTS = ["rating", "poll", "channel shares", "distinctive words"]


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    return Image.open(io.BytesIO(png))


def _rgb(png: bytes) -> np.ndarray:
    return np.asarray(_image(png).convert("RGB"))


def _count(pixels: np.ndarray, colour: str) -> int:
    wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return int((pixels == wanted).all(axis=2).sum())


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_chart_renders_to_a_png_of_the_figures_shape_without_a_warning(
    name: str, catalogue: Catalogue, event: Event, caplog: pytest.LogCaptureFixture
) -> None:
    figure = BUILDERS[name](catalogue, event)
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or an ignored limit would be a warning
        png = picture.png(figure=figure)
    assert _image(png).size == (1600, round(figure.layout.height * 1.6))
    assert not caplog.records


@pytest.fixture(params=["plotly", "streamlit"])
def default_template(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """plotly's default template, and Streamlit's, which the app's figures are built under."""
    from streamlit.elements.lib.streamlit_plotly_theme import configure_streamlit_plotly_theme

    configure_streamlit_plotly_theme()
    monkeypatch.setattr(pio.templates, "default", request.param)
    return str(request.param)


@pytest.mark.parametrize("name", BAR_CHARTS)
def test_bar_charts_show_the_room_and_the_stream_in_their_own_colours(
    name: str, catalogue: Catalogue, event: Event, default_template: str
) -> None:
    pixels = _rgb(picture.png(figure=BUILDERS[name](catalogue, event), width=800, dpi=100))
    for channel, colour in charts.CHANNEL_COLOURS.items():
        assert _count(pixels, colour) > 200, channel


def test_the_stream_bars_carry_their_hatching_as_well_as_their_colour(catalogue: Catalogue, event: Event) -> None:
    pixels = _rgb(picture.png(figure=_shares(catalogue, event), width=800, dpi=100))
    hatch = _count(pixels, "#333333")  # the pattern's ink (and the bars' edges)
    plain = _rgb(
        picture.png(figure=_shares(catalogue, event).update_traces(marker_pattern_shape=""), width=800, dpi=100)
    )
    assert hatch > 3 * _count(plain, "#333333")


def _inside(pixels: np.ndarray, fill: str, test: Callable[[np.ndarray], np.ndarray]) -> int:
    """How many pixels inside the box of the `fill`-coloured cell pass `test`."""
    wanted = tuple(int(fill[i : i + 2], 16) for i in (1, 3, 5))
    rows, columns = np.nonzero((pixels == wanted).all(axis=2))
    box = pixels[rows.min() + 2 : rows.max() - 1, columns.min() + 2 : columns.max() - 1]
    return int(test(box).sum())


@pytest.mark.parametrize("with_text", [True, False])
def test_heatmap_cells_print_their_numbers_dark_on_light_and_white_on_dark(
    catalogue: Catalogue, with_text: bool
) -> None:
    data = pd.DataFrame(
        [
            {
                "theme_id": "T1",
                "element": "P1",
                "ratings": 12,
                "mean_rating": 1.0,
                "tagged": 0,
                "suggested": 0,
                "ideas": 1,
            },
            {
                "theme_id": "T1",
                "element": "P2",
                "ratings": 34,
                "mean_rating": 5.0,
                "tagged": 0,
                "suggested": 0,
                "ideas": 1,
            },
        ]
    )
    figure = charts.heatmap_figure(
        data=data, measure="mean_rating", themes={"T1": "Teema 1"}, frame=catalogue.frame, lang="fi"
    )
    figure.update_traces(showscale=False)  # its darkest end would share the dark cell's colour
    if not with_text:
        figure.update_traces(texttemplate=None)
    pixels = _rgb(picture.png(figure=figure))
    dark_text = _inside(pixels, "#F7FBFF", lambda box: (box < 0x60).all(axis=2))  # on the lightest cell
    white_text = _inside(pixels, "#08306B", lambda box: (box > 0xE0).all(axis=2))  # on the darkest cell
    assert (dark_text > 20, white_text > 20) == (with_text, with_text)


def test_the_timeline_gives_no_room_to_the_hours_between_sessions() -> None:
    minutes = [
        *pd.date_range("2025-03-20 10:00", periods=30, freq="min", tz="Europe/Helsinki"),
        *pd.date_range("2025-03-22 10:00", periods=30, freq="min", tz="Europe/Helsinki"),
    ]
    data = pd.DataFrame({"minute": minutes, "channel": "room", "inputs": [10] * 30 + [2] * 30})
    pixels = _rgb(picture.png(figure=charts.timeline_figure(data=data, lang="en"))).astype(int)
    rows, columns = np.nonzero((abs(pixels - (0x00, 0x72, 0xB2)) < 0x20).all(axis=2))  # the room's line
    left, right = (
        rows[columns < columns.min() + 0.4 * np.ptp(columns)],
        rows[columns > columns.max() - 0.4 * np.ptp(columns)],
    )
    # two days apart, yet the second session (lower line) fills the right part of the plot
    assert np.median(right) > np.median(left) + 20


@pytest.mark.parametrize(
    ("width", "height", "dpi", "size"),
    [
        (1600, None, 200, (1600, 832)),  # the figure's 520 px, scaled like its width
        (1000, None, 100, (1000, 520)),
        (801, 333, 150, (801, 333)),
        (1234, 777, 96, (1234, 777)),
    ],
)
def test_the_picture_has_exactly_the_asked_size(
    catalogue: Catalogue, event: Event, width: int, height: int | None, dpi: int, size: tuple[int, int]
) -> None:
    png = picture.png(figure=_rating(catalogue, event), width=width, height=height, dpi=dpi)
    assert _image(png).size == size


@pytest.mark.parametrize("text", ["Pääkaupunkiseutu", "Åland och Österbotten", "työllisyys ja hyvinvointi"])
def test_finnish_and_swedish_letters_are_drawn_from_the_font(text: str) -> None:
    def figure(label: str) -> go.Figure:
        fig = go.Figure(go.Bar(x=[3], y=[label], orientation="h", text=[label], textposition="outside"))
        return fig.update_layout(title=label, xaxis_title=label, height=300)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of a glyph its font lacks
        drawn = _rgb(picture.png(figure=figure(text), width=800, dpi=100))
    plain = _rgb(picture.png(figure=figure(text.translate(str.maketrans("äöåÄÖÅ", "aoaAOA"))), width=800, dpi=100))
    assert drawn.shape == plain.shape and (drawn != plain).any()  # the dots and rings are there


@pytest.mark.parametrize(
    "figure",
    [
        go.Figure(),
        go.Figure(go.Pie(labels=["sali", "striimi"], values=[1, 2])),
        go.Figure([go.Pie(labels=["x"], values=[1]), go.Bar(x=["a", "b"], y=[1, 2], name="palkki")]),
        go.Figure(go.Scattergeo(lon=[25.0], lat=[60.2])),
        go.Figure(go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]})),
        go.Figure(go.Bar(x=[], y=[])),
        go.Figure(go.Heatmap(z=[[None, None]])),
        go.Figure(
            [
                go.Scatter(x=[1, 2, 3], y=[1, 3, 2], mode="markers+text", text=["yö", "työ", "öljy"], name="pisteet"),
                go.Scatter(x=[1, 2, 3], y=[2, 4, 3], fill="tonexty", marker_symbol="diamond-open", name="alue"),
            ]
        ),
    ],
    ids=["empty", "pie", "pie and bar", "map", "sankey", "bar without data", "heatmap without numbers", "points"],
)
def test_empty_figures_and_unknown_trace_types_still_give_a_picture(
    figure: go.Figure, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = picture.png(figure=figure, width=600, dpi=100)
    assert _image(png).size == (600, 270)
    assert not caplog.records


def test_annotations_and_titles_are_drawn_around_the_plot() -> None:
    figure = go.Figure(go.Scatter(x=[1, 2], y=[1, 2], mode="lines"))
    bare = _rgb(picture.png(figure=figure, width=600, dpi=100))
    figure.update_layout(title="Otsikko")
    figure.add_annotation(text="Lähde: Maanmittauslaitos", xref="paper", yref="paper", x=0, y=-0.2, showarrow=False)
    noted = _rgb(picture.png(figure=figure, width=600, dpi=100))
    assert (bare != noted).any(axis=2).sum() > 500


def test_screens_and_summaries_drawing_at_once_get_the_same_pictures(catalogue: Catalogue, event: Event) -> None:
    figures = [BUILDERS[name](catalogue, event) for name in ("rating", "map of inputs", "heatmap of tags")]
    alone = [picture.png(figure=f, width=600, dpi=100) for f in figures]
    start = threading.Barrier(6)

    def draw(i: int) -> bytes:
        start.wait()
        return picture.png(figure=figures[i % 3], width=600, dpi=100)

    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(draw, range(6)))
    assert together == alone + alone


@pytest.mark.parametrize(("width", "height", "dpi"), [(0, None, 100), (100, 0, 100), (100, None, 0)])
def test_a_picture_needs_a_positive_size(width: int, height: int | None, dpi: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        picture.png(figure=go.Figure(), width=width, height=height, dpi=dpi)
