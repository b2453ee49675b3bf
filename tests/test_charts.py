from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from alkedash import charts
from alkedash.content import Catalogue, Event


def test_rating_chart_shows_room_and_stream_by_colour_and_pattern(catalogue: Catalogue) -> None:
    data = pd.DataFrame(
        [("P1", "room", 3, 4.0), ("P1", "stream", 5, 3.2)], columns=["element", "channel", "answers", "mean"]
    )
    fig = charts.rating_figure(data=data, frame=catalogue.frame, elements=("P1", "E1"), lang="fi")
    room, stream = fig.data
    assert (room.name, stream.name) == ("Salissa", "Striimin kautta")
    assert room.marker.color != stream.marker.color
    assert room.marker.pattern.shape != stream.marker.pattern.shape  # never colour alone
    assert list(room.x) == [4.0, 0.0] and list(room.text) == ["4,0 (n=3)", "–"]  # Finnish decimal comma
    en = charts.rating_figure(data=data, frame=catalogue.frame, elements=("P1", "E1"), lang="en")
    assert list(en.data[1].text) == ["3.2 (n=5)", "–"] and en.layout.xaxis.title.text == "Mean (1–5)"


def test_rating_table_has_one_row_per_element_with_both_channels(catalogue: Catalogue) -> None:
    data = pd.DataFrame([("P1", "room", 3, 4.0)], columns=["element", "channel", "answers", "mean"])
    table = charts.rating_table(data=data, frame=catalogue.frame, elements=catalogue.frame.keys, lang="sv")
    assert len(table) == 9
    assert table.iloc[0]["Del av ramen"] == "Hållbar livskraft och investeringar"
    assert table.iloc[0]["I salen: svar"] == 3 and table.iloc[1]["I salen: svar"] == 0
    assert table.iloc[0]["I salen: medelvärde (1–5)"] == 4.0


def test_poll_chart_and_table_label_every_option(event: Event) -> None:
    q = event.question("T1-poll")[1]  # type: ignore[index]
    data = pd.DataFrame(
        [
            {"option": o.id, "channel": c, "votes": 2 if c == "room" else 1}
            for o in q.options
            for c in ("room", "stream")
        ]
    )
    fig = charts.poll_figure(data=data, question=q, lang="en")
    assert list(fig.data[0].y) == [o.label("en") for o in q.options]
    table = charts.poll_table(data=data, question=q, lang="en")
    assert list(table.columns) == ["Option", "In the room", "On the stream"]
    assert table["In the room"].sum() == 2 * len(q.options)


def test_word_cloud_is_a_png_and_is_drawn_once_for_the_same_data() -> None:
    charts.clear_wordcloud_cache()
    words = (("luontokato", 9), ("yhteistyö", 5), ("älykäs", 2))
    before = charts.wordcloud_draws()
    png = charts.wordcloud_png(words=words, width=400, height=200)
    assert Image.open(io.BytesIO(png)).size == (400, 200)
    assert charts.wordcloud_png(words=words, width=400, height=200) is png
    assert charts.wordcloud_draws() == before + 1
    assert charts.wordcloud_png(words=(*words, ("vienti", 1)), width=400, height=200) is not png
    assert charts.wordcloud_draws() == before + 2


def test_word_cloud_keeps_an_odd_size_exactly() -> None:
    png = charts.wordcloud_png(words=(("metsät", 4), ("suot", 2)), width=301, height=151)
    assert Image.open(io.BytesIO(png)).size == (301, 151)


def test_screens_refreshing_at_once_wait_for_one_drawing() -> None:
    charts.clear_wordcloud_cache()
    words = (("huoltovarmuus", 7), ("luottamus", 3))
    before = charts.wordcloud_draws()
    start = threading.Barrier(4)

    def draw() -> bytes:
        start.wait()
        return charts.wordcloud_png(words=words, width=300, height=150)

    with ThreadPoolExecutor(max_workers=4) as pool:
        pngs = list(pool.map(lambda _: draw(), range(4)))
    assert charts.wordcloud_draws() == before + 1
    assert all(p is pngs[0] for p in pngs)


@pytest.mark.parametrize("word", ["kriisinkestävyys", "åtgärder", "<b>x</b>"])
def test_word_cloud_draws_nordic_letters_and_markup_as_plain_words(word: str) -> None:
    png = charts.wordcloud_png(words=((word, 3),), width=300, height=150)
    assert png.startswith(b"\x89PNG")


# --- the analysis page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "bins"),
    [
        ([], []),
        ([0, 0], []),
        ([5], [(5, 5)]),
        ([1, 2, 3, 4], [(1, 1), (2, 2), (3, 3), (4, 4)]),
        ([10, 18, 0], [(10, 12), (13, 14), (15, 16), (17, 18)]),
        ([1, 100], [(1, 25), (26, 50), (51, 75), (76, 100)]),
    ],
)
def test_map_bins_cover_every_heard_value_without_overlap(values: list[int], bins: list[tuple[int, int]]) -> None:
    assert charts._bins(values) == bins
    for v in values:
        if v:
            assert sum(low <= v <= high for low, high in bins) == 1


def test_the_map_marks_regions_not_heard_from_by_pattern_and_label_not_colour_alone(catalogue: Catalogue) -> None:
    from alkedash.content import load_region_shapes

    codes = [r.code for r in catalogue.regions]
    data = pd.DataFrame(
        {"region": codes, "participants": [0 if c == "MK19" else i + 1 for i, c in enumerate(codes)], "inputs": 0}
    )
    fig = charts.region_map(data=data, geojson=load_region_shapes(), measure="participants", lang="fi")
    lapland = [t for t in fig.data if t.text.startswith("Lappi:")]
    assert lapland and all(t.fillpattern.shape == "x" and t.name == "Ei vastauksia" for t in lapland)
    heard = [t for t in fig.data if t.text.startswith("Uusimaa:")]
    assert heard[0].fillpattern.shape is None and heard[0].text == "Uusimaa: 1 osallistuja"
    labels = sorted(a.text for a in fig.layout.annotations)
    assert len(labels) == 19 and "–" in labels and "1" in labels
    # every label sits inside the bounding box of Finland
    xs = [x for t in fig.data for x in t.x]
    assert all(min(xs) <= a.x <= max(xs) for a in fig.layout.annotations)
    assert not any(t.type in ("choropleth", "choroplethmap") for t in fig.data)  # no base map from the internet


def test_the_timeline_cuts_long_breaks_out_of_the_axis() -> None:
    minutes = pd.to_datetime(
        ["2025-03-20 13:00", "2025-03-20 13:01", "2025-03-21 09:00", "2025-03-21 09:01"]
    ).tz_localize("Europe/Helsinki")
    data = pd.DataFrame(
        {"minute": [m for m in minutes for _ in (0, 1)], "channel": ["room", "stream"] * 4, "inputs": [1, 2] * 4}
    )
    fig = charts.timeline_figure(data=data, lang="en")
    breaks = fig.layout.xaxis.rangebreaks
    assert len(breaks) == 1
    assert [t.line.dash for t in fig.data] == ["solid", "dash"]


def test_labelled_table_names_ids_in_the_readers_language(catalogue: Catalogue) -> None:
    data = pd.DataFrame({"theme_id": ["T1"], "channel": ["stream"], "element": ["E1"], "region": ["-"], "inputs": [3]})
    table = charts.labelled_table(
        data=data, lang="sv", themes={"T1": "Tema 1"}, frame=catalogue.frame, regions={"MK01": "Nyland"}
    )
    assert table.to_dict("records") == [
        {
            "Tema": "Tema 1",
            "Kanal": "Via strömningen",
            "Del av ramen": "Tillgänglighet",
            "Landskap": "Inte angivet",
            "Svar": 3,
        }
    ]


# --- colour-blind-safe colours, patterns and labels (WCAG 1.4.1, 1.4.11) ------------------------


def _rating(catalogue: Catalogue, event: Event, lang: str) -> go.Figure:
    data = pd.DataFrame(
        [("P1", "room", 3, 4.0), ("P1", "stream", 5, 3.2), ("E1", "room", 2, 2.5)],
        columns=["element", "channel", "answers", "mean"],
    )
    return charts.rating_figure(data=data, frame=catalogue.frame, elements=("P1", "E1"), lang=lang)


def _poll(catalogue: Catalogue, event: Event, lang: str) -> go.Figure:
    q = event.question("T1-poll")[1]  # type: ignore[index]
    data = pd.DataFrame([{"option": o.id, "channel": c, "votes": 3} for o in q.options for c in ("room", "stream")])
    return charts.poll_figure(data=data, question=q, lang=lang)


def _shares(catalogue: Catalogue, event: Event, lang: str) -> go.Figure:
    rows = [
        {"theme_id": t, "channel": c, "inputs": 4, "upvotes": 2, "input_share": 50.0, "upvote_share": 50.0}
        for t in ("T1", "T2")
        for c in ("room", "stream")
    ]
    return charts.channel_share_figure(data=pd.DataFrame(rows), themes=["T1", "T2"], lang=lang)


def _distinctive(catalogue: Catalogue, event: Event, lang: str) -> go.Figure:
    data = pd.DataFrame(
        {
            "word": ["metsä", "raide"],
            "leans": ["room", "stream"],
            "log_odds": [1.2, -0.8],
            "room_share": [10, 2],
            "stream_share": [3, 9],
        }
    )
    return charts.distinctive_figure(data=data, lang=lang)


def _timeline(catalogue: Catalogue, event: Event, lang: str) -> go.Figure:
    minutes = pd.to_datetime(["2025-03-20 13:00", "2025-03-20 13:01"]).tz_localize("Europe/Helsinki")
    data = pd.DataFrame(
        {"minute": [m for m in minutes for _ in (0, 1)], "channel": ["room", "stream"] * 2, "inputs": [1, 2] * 2}
    )
    return charts.timeline_figure(data=data, lang=lang)


BUILDERS = {"rating": _rating, "poll": _poll, "shares": _shares, "distinctive": _distinctive, "timeline": _timeline}
BARS = ("rating", "poll", "shares", "distinctive")


def test_the_palette_is_okabe_ito_with_3_to_1_against_the_background() -> None:
    assert set(charts.PALETTE) <= set(charts.OKABE_ITO.values())
    assert set(charts.PALETTE) == {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"}
    assert all(charts.contrast(c, charts.BACKGROUND) >= 3.0 for c in charts.PALETTE)
    assert charts.contrast("#E69F00", "#FFFFFF") < 3.0  # why orange is not used on white
    assert set(charts.CHANNEL_COLOURS.values()) <= set(charts.PALETTE)
    assert charts.contrast(charts.INK, charts.BACKGROUND) >= 7.0


@pytest.mark.parametrize("name", list(BUILDERS))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_trace_takes_its_colour_from_the_palette(
    catalogue: Catalogue, event: Event, name: str, lang: str
) -> None:
    fig = BUILDERS[name](catalogue, event, lang)
    assert fig.data
    for trace in fig.data:
        colour = trace.line.color if trace.type == "scatter" else trace.marker.color
        assert colour in charts.PALETTE, (name, trace.name, colour)
    assert fig.layout.plot_bgcolor == fig.layout.paper_bgcolor == charts.BACKGROUND


@pytest.mark.parametrize("name", list(BUILDERS))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_room_and_stream_differ_by_more_than_colour_and_the_legend_names_them(
    catalogue: Catalogue, event: Event, name: str, lang: str
) -> None:
    fig = BUILDERS[name](catalogue, event, lang)
    room, stream = fig.data
    assert [room.name, stream.name] == [charts.channel_label(channel=c, lang=lang) for c in ("room", "stream")]
    assert room.showlegend is not False and stream.showlegend is not False
    if name == "timeline":
        assert (room.line.dash, stream.line.dash) == ("solid", "dash")
    else:
        assert (room.marker.pattern.shape, stream.marker.pattern.shape) == ("", "/")
        assert stream.marker.pattern.fillmode == "overlay"  # stripes over the colour, not instead of it


@pytest.mark.parametrize("name", ["rating", "poll", "shares"])
def test_every_bar_has_its_value_written_on_or_next_to_it(catalogue: Catalogue, event: Event, name: str) -> None:
    fig = BUILDERS[name](catalogue, event, "sv")
    for trace in fig.data:
        assert trace.texttemplate == "%{text}" and trace.textposition in ("outside", "inside")
        assert len(trace.text) == len(trace.x) and all(trace.text)
        assert trace.hovertemplate and "%{text}" in trace.hovertemplate


def test_the_poll_writes_counts_and_shares_in_the_readers_format(catalogue: Catalogue, event: Event) -> None:
    q = event.question("T1-poll")[1]  # type: ignore[index]
    data = pd.DataFrame(
        [
            {"option": q.options[0].id, "channel": "room", "votes": 1},
            {"option": q.options[1].id, "channel": "room", "votes": 3},
        ]
    )
    fi = charts.poll_figure(data=data, question=q, lang="fi").data[0].text
    en = charts.poll_figure(data=data, question=q, lang="en").data[0].text
    assert [t.replace("\xa0", " ") for t in fi[:2]] == ["1 (25 %)", "3 (75 %)"]
    assert list(en[:2]) == ["1 (25%)", "3 (75%)"]


@pytest.mark.parametrize(
    ("lang", "note"), [("fi", "Ei vielä vastauksia."), ("sv", "Inga svar ännu."), ("en", "No answers yet.")]
)
def test_a_chart_without_answers_says_so_in_words(catalogue: Catalogue, event: Event, lang: str, note: str) -> None:
    empty = pd.DataFrame(columns=["element", "channel", "answers", "mean"])
    fig = charts.rating_figure(data=empty, frame=catalogue.frame, elements=("P1",), lang=lang)
    assert [a.text for a in fig.layout.annotations] == [note]
    q = event.question("T1-poll")[1]  # type: ignore[index]
    poll = charts.poll_figure(data=pd.DataFrame(columns=["option", "channel", "votes"]), question=q, lang=lang)
    assert [a.text for a in poll.layout.annotations] == [note]
    assert not _rating(catalogue, event, lang).layout.annotations


@pytest.mark.parametrize("name", ["rating", "poll"])
def test_the_projector_gets_big_type(catalogue: Catalogue, event: Event, name: str) -> None:
    small = BUILDERS[name](catalogue, event, "fi")
    if name == "rating":
        data = pd.DataFrame([("P1", "room", 3, 4.0)], columns=["element", "channel", "answers", "mean"])
        big = charts.rating_figure(data=data, frame=catalogue.frame, elements=("P1",), lang="fi", big=True)
    else:
        q = event.question("T1-poll")[1]  # type: ignore[index]
        big = charts.poll_figure(
            data=pd.DataFrame([{"option": q.options[0].id, "channel": "room", "votes": 1}]),
            question=q,
            lang="fi",
            big=True,
        )
    assert small.layout.font.size >= 20
    assert big.layout.font.size >= charts.BIG_FONT >= 20
    for size in (big.layout.legend.font.size, big.layout.xaxis.tickfont.size, big.layout.yaxis.tickfont.size):
        assert size >= 20
    assert all(t.textfont.size >= 20 for t in big.data)


@pytest.mark.parametrize(
    ("lang", "axis", "column"),
    [("fi", "Osuus (%)", "Kanava"), ("sv", "Andel (%)", "Kanal"), ("en", "Share (%)", "Channel")],
)
def test_axis_titles_and_columns_are_in_the_readers_language(
    catalogue: Catalogue, event: Event, lang: str, axis: str, column: str
) -> None:
    assert _shares(catalogue, event, lang).layout.xaxis.title.text == axis
    table = charts.labelled_table(data=pd.DataFrame({"channel": ["room"], "inputs": [2]}), lang=lang)
    assert table.columns[0] == column
