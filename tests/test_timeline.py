"""The timeline figure and its table: today marked, tentative dates told apart without colour,
every label in the viewer's language, one table row per milestone."""

from __future__ import annotations

import datetime as dt
import re

import plotly.graph_objects as go
import pytest

from alkedash import series, timeline
from alkedash.charts import PALETTE
from alkedash.content import Text

D = dt.date


def plan(slug: str) -> timeline.Plan:
    found = next(f for f in series.load_all() if f.series.slug == slug)
    return timeline.Plan(info=found.series, milestones=found.milestones)


DECISION = plan("alke-paatos-2023")
DAYS = plan("alke-keskustelut-2025")


def named(fig: go.Figure, name: str) -> list[object]:
    return [a for a in (*fig.layout.shapes, *fig.layout.annotations) if a.name == name]


def texts(fig: go.Figure, prefix: str = "") -> list[str]:
    return [str(a.text) for a in fig.layout.annotations if (a.name or "").startswith(prefix)]


@pytest.mark.parametrize(("lang", "word"), [("fi", "Tänään"), ("sv", "I dag"), ("en", "Today")])
def test_today_is_a_labelled_line_at_the_given_date(lang: str, word: str) -> None:
    fig = timeline.figure(plans=[DAYS], lang=lang, today=D(2025, 2, 20))
    line = next(s for s in fig.layout.shapes if s.name == "today")
    assert line.x0 == line.x1 == "2025-02-20"
    assert (line.yref, line.y0, line.y1) == ("paper", 0, 1)
    label = next(a for a in fig.layout.annotations if a.name == "today")
    assert label.x == "2025-02-20" and word in label.text
    first, last = fig.layout.xaxis.range
    assert first <= "2025-02-20" <= last


@pytest.mark.parametrize(
    ("today", "arrow", "edge"), [(D(2026, 11, 23), "Tänään 23.11.2026 →", 1), (D(2022, 1, 3), "← Tänään 3.1.2022", 0)]
)
def test_a_today_far_from_the_series_is_an_arrow_at_the_edge_not_a_squashed_axis(
    today: dt.date, arrow: str, edge: int
) -> None:
    fig = timeline.figure(plans=[DECISION], lang="fi", today=today)
    assert not [s for s in fig.layout.shapes if s.name == "today"]
    (label,) = named(fig, "today")
    assert arrow in label.text and label.x == edge and label.xref == "paper"
    first, last = fig.layout.xaxis.range
    assert first >= "2023-08-01" and last <= "2024-02-29"  # the axis is the series', five months


def test_a_today_just_after_the_series_widens_the_axis_to_show_it() -> None:
    fig = timeline.figure(plans=[DECISION], lang="fi", today=D(2024, 2, 15))
    assert [s for s in fig.layout.shapes if s.name == "today"]
    assert fig.layout.xaxis.range[1] >= "2024-02-15"


@pytest.mark.parametrize(("lang", "mark"), [("fi", "(alustava)"), ("sv", "(preliminär)"), ("en", "(tbc)")])
def test_a_tentative_milestone_says_so_in_words(lang: str, mark: str) -> None:
    fig = timeline.figure(plans=[DAYS], lang=lang, today=D(2025, 2, 20))
    rows = texts(fig, "milestone ")
    assert len(rows) == len(DAYS.milestones)
    for m, text in zip(DAYS.milestones, rows, strict=True):
        assert (mark in text) == m.tentative, text


def test_a_tentative_date_is_drawn_differently_not_only_in_another_colour() -> None:
    fig = timeline.figure(plans=[DECISION, DAYS], lang="fi", today=D(2025, 2, 20))
    bars = [t for t in fig.data if t.mode == "lines" and t.line.width == timeline.BAR_WIDTH]
    markers = [t for t in fig.data if t.mode == "markers"]
    assert bars and markers
    tentative_bars = [t for t in bars if t.line.dash == timeline.TENTATIVE_DASH]
    assert tentative_bars and all(t.line.dash == timeline.TENTATIVE_DASH for t in bars if "Alustava" in t.hovertext)
    assert all(t.line.dash == "solid" for t in bars if "Vahvistettu" in t.hovertext)
    # A tentative single day is a hollow marker; the event, fixed, is a filled one.
    assert all(t.marker.symbol.endswith("-open") == ("Alustava" in t.hovertext) for t in markers)
    assert any(not t.marker.symbol.endswith("-open") for t in markers)


@pytest.mark.parametrize(
    ("lang", "kind", "month"),
    [("fi", "Työpaja", "syys<br>2023"), ("sv", "Remissrunda", "sep.<br>2023"), ("en", "Webinar", "Sept<br>2023")],
)
def test_kinds_and_months_are_written_in_the_viewers_language(lang: str, kind: str, month: str) -> None:
    fig = timeline.figure(plans=[DECISION], lang=lang, today=D(2023, 11, 10))
    assert kind in texts(fig, "kind")
    assert fig.layout.xaxis.ticktext[0] == month
    assert "<br>" not in fig.layout.xaxis.ticktext[1]  # the year once, then only where it changes


@pytest.mark.parametrize(("lang", "title"), [("fi", "Työpaja II (laaja)"), ("en", "Workshop II (broad)")])
def test_each_milestone_is_written_with_its_day_and_place(lang: str, title: str) -> None:
    fig = timeline.figure(plans=[DECISION], lang=lang, today=D(2023, 11, 10))
    (row,) = texts(fig, "milestone tyopaja-2")
    nbsp = "\u00a0"
    day = {"fi": "21.9.", "en": "21 Sept"}[lang].replace(" ", nbsp)
    assert row.startswith(f"<b>{day}{nbsp}·{nbsp}Mikkeli</b>")
    assert title.split()[-1] in row.replace("<br>", " ")


def test_the_colours_are_the_colour_blind_safe_ones_and_one_kind_keeps_one_colour() -> None:
    fig = timeline.figure(plans=[DECISION], lang="fi", today=D(2023, 11, 10))
    by_kind: dict[str, set[str]] = {}
    for t in fig.data:
        colour = t.line.color if t.mode == "lines" else t.marker.color
        assert colour in PALETTE
        by_kind.setdefault(t.name, set()).add(colour)
    assert all(len(c) == 1 for c in by_kind.values())
    assert len({next(iter(c)) for c in by_kind.values()}) == len(by_kind)  # four kinds, four colours


def test_a_title_with_markup_is_shown_as_text() -> None:
    m = DECISION.milestones[0].model_copy(update={"title": Text(fi="<a href='x'>Linkki</a>", sv="s", en="e")})
    fig = timeline.figure(plans=[timeline.Plan(info=DECISION.info, milestones=(m,))], lang="fi", today=D(2023, 8, 20))
    assert "&lt;a href='x'&gt;Linkki&lt;/a&gt;" in " ".join(texts(fig)).replace("<br>", " ")
    assert "<a " not in " ".join(texts(fig))


def test_several_series_each_start_with_their_title() -> None:
    fig = timeline.figure(plans=[DECISION, DAYS], lang="en", today=D(2024, 6, 1))
    headings = [" ".join(re.sub(r"<[^>]+>", " ", h).split()) for h in texts(fig, "series ")]
    assert len(headings) == 2
    assert any("Preparing the Government" in h for h in headings)
    assert any("Regional development discussions 2025" in h for h in headings)
    table = timeline.table(plans=[DECISION, DAYS], lang="en")
    assert table.columns[0] == "Series"
    assert len(table) == len(DECISION.milestones) + len(DAYS.milestones)


def test_a_series_without_milestones_says_so() -> None:
    fig = timeline.figure(plans=[timeline.Plan(info=DAYS.info, milestones=())], lang="sv", today=D(2025, 1, 1))
    assert texts(fig) == ["Serien har inga skeden ännu."]


@pytest.mark.parametrize(
    ("lang", "columns", "status", "when"),
    [
        ("fi", ["Ajankohta", "Vaihe", "Laji", "Paikka", "Tila", "Lisätietoja"], "Alustava (tbc)", "23.–24.8.2023"),
        ("sv", ["Tidpunkt", "Skede", "Typ", "Plats", "Status", "Mer information"], "Preliminär", "23–24 aug. 2023"),
        (
            "en",
            ["Date", "Milestone", "Kind", "Place", "Status", "More information"],
            "Tentative (tbc)",
            "23–24 Aug 2023",
        ),
    ],
)
def test_the_table_has_one_row_per_milestone_in_the_viewers_language(
    lang: str, columns: list[str], status: str, when: str
) -> None:
    table = timeline.table(plans=[DECISION], lang=lang)
    assert list(table.columns) == columns
    assert len(table) == len(DECISION.milestones)
    assert table.iloc[0, 0] == when
    assert set(table[columns[4]]) == {status}
    assert table.iloc[1][columns[3]] == "Mikkeli"
    assert table.iloc[1][columns[1]] == DECISION.milestones[1].title(lang)


def test_the_fixed_event_is_confirmed_in_the_table() -> None:
    table = timeline.table(plans=[DAYS], lang="en")
    last = table.iloc[-1]
    assert (last["Date"], last["Kind"], last["Place"], last["Status"]) == (
        "20–21 Mar 2025",
        "Event",
        "Helsinki",
        "Confirmed",
    )
