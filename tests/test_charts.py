from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
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
    assert list(room.x) == [4.0, 0.0] and list(room.text) == ["4.0 (n=3)", "–"]


def test_rating_table_has_one_row_per_element_with_both_channels(catalogue: Catalogue) -> None:
    data = pd.DataFrame([("P1", "room", 3, 4.0)], columns=["element", "channel", "answers", "mean"])
    table = charts.rating_table(data=data, frame=catalogue.frame, elements=catalogue.frame.keys, lang="sv")
    assert len(table) == 9
    assert table.iloc[0]["Del av ramen"] == "Hållbar livskraft och investeringar"
    assert table.iloc[0]["I salen: Svar"] == 3 and table.iloc[1]["I salen: Svar"] == 0


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
    assert heard[0].fillpattern.shape is None and heard[0].text == "Uusimaa: 1 osallistujia"
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
