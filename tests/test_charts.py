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
    assert table.iloc[0]["element"] == "Hållbar livskraft och investeringar"
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
    assert list(table.columns) == ["option", "In the room", "On the stream"]
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
