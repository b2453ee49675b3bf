"""The analysis numbers, each checked against a plain count of the stored rows under the same filters.

The oracle reads every input row once with raw SQL and filters and counts in Python, so it shares no
code with alkedash.analysis; the dataset is the shared fixture dataset, built once per engine.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from alkedash import analysis, demo, live, tags
from alkedash.analysis import NOT_GIVEN, Filters
from alkedash.content import Catalogue, Event
from tests.conftest import _reset_postgres, fresh_engine

SLUG = "alke-2025"
FILTERS = [
    Filters(event=SLUG),
    Filters(event=SLUG, themes=("T2",)),
    Filters(event=SLUG, channels=("stream",)),
    Filters(event=SLUG, regions=("MK01", "MK19", NOT_GIVEN)),
    Filters(event=SLUG, org_types=("municipality", NOT_GIVEN)),
    Filters(event=SLUG, themes=("T1", "T3"), questions=("T1-idea", "T3-idea"), channels=("room",)),
    Filters(event=SLUG, regions=("MK21",), channels=("room",), org_types=("ministry",)),
]
IDS = ["all", "theme", "channel", "regions", "org-types", "questions-room", "narrow"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The shared fixture dataset (demo.populate, 40 phones, fixed seed) plus one hidden idea."""
    from alkedash.content import load_catalogue

    eng = fresh_engine(kind=request.param, path=tmp_path_factory.mktemp("analysis") / "a.db")
    cat = load_catalogue()
    event = cat.event(slug=SLUG)
    assert event is not None
    demo.populate(engine=eng, catalogue=cat, event=event, participants=40)
    hidden = _rows(eng)[0]["id"]
    live.moderate(engine=eng, event=event, input_id=hidden, action="hide", actor="test")
    yield eng
    if request.param == "postgresql":
        _reset_postgres(eng)
    eng.dispose()


def _rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT id, theme_id, question_id, kind, participant_id, channel, region, org_type, lang, text,"
                " hidden, created_at FROM inputs WHERE event = :e ORDER BY id"
            ),
            {"e": SLUG},
        )
        return [dict(r._mapping) for r in found]


def _kept(engine: Engine, f: Filters) -> list[dict[str, Any]]:
    def ok(value: str | None, wanted: tuple[str, ...]) -> bool:
        return not wanted or (value if value is not None else NOT_GIVEN) in wanted

    return [
        r
        for r in _rows(engine)
        if not r["hidden"]
        and ok(r["theme_id"], f.themes)
        and ok(r["question_id"], f.questions)
        and ok(r["channel"], f.channels)
        and ok(r["region"], f.regions)
        and ok(r["org_type"], f.org_types)
    ]


def _sql(engine: Engine, query: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def test_the_fixture_dataset_covers_both_channels_many_regions_and_a_hidden_idea(seeded: Engine) -> None:
    rows = _rows(seeded)
    assert len(rows) > 300
    assert {r["channel"] for r in rows} == {"room", "stream"}
    assert len({r["region"] for r in rows}) > 10
    assert sum(r["hidden"] for r in rows) == 1


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_totals_count_the_filtered_visible_inputs_their_people_and_ideas(seeded: Engine, f: Filters) -> None:
    kept = _kept(seeded, f)
    assert analysis.totals(engine=seeded, filters=f) == {
        "inputs": len(kept),
        "participants": len({r["participant_id"] for r in kept}),
        "ideas": sum(r["kind"] == "idea" for r in kept),
    }


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_every_region_has_a_row_and_its_counts_match_the_rows(seeded: Engine, catalogue: Catalogue, f: Filters) -> None:
    codes = [r.code for r in catalogue.regions]
    got = analysis.by_region(engine=seeded, filters=f, regions=codes).set_index("region")
    assert list(got.index) == [*codes, NOT_GIVEN]
    kept = _kept(seeded, f)
    for code in got.index:
        mine = [r for r in kept if (r["region"] or NOT_GIVEN) == code]
        assert got.loc[code, "inputs"] == len(mine), code
        assert got.loc[code, "participants"] == len({r["participant_id"] for r in mine}), code
    if f.regions:  # a region outside the filter is "not heard from", not missing
        assert (got.loc[[c for c in codes if c not in f.regions], "inputs"] == 0).all()


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_room_and_stream_shares_of_inputs_and_upvotes_add_up_per_theme(seeded: Engine, f: Filters) -> None:
    got = analysis.by_channel(engine=seeded, filters=f)
    kept = _kept(seeded, f)
    votes = Counter(r[0] for r in _sql(seeded, "SELECT input_id FROM votes"))
    for theme in {r["theme_id"] for r in kept}:
        for channel in ("room", "stream"):
            mine = [r for r in kept if r["theme_id"] == theme and r["channel"] == channel]
            row = got[(got["theme_id"] == theme) & (got["channel"] == channel)].iloc[0]
            assert row["inputs"] == len(mine)
            assert row["ideas"] == sum(r["kind"] == "idea" for r in mine)
            assert row["upvotes"] == sum(votes[r["id"]] for r in mine)
        shares = got[got["theme_id"] == theme]
        assert shares["input_share"].sum() == pytest.approx(100.0, abs=0.15)
        if shares["upvotes"].sum():
            assert shares["upvote_share"].sum() == pytest.approx(100.0, abs=0.15)


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_rating_means_match_the_stored_ratings(seeded: Engine, f: Filters) -> None:
    kept = {r["id"]: r for r in _kept(seeded, f)}
    values: dict[tuple[str, str, str], list[int]] = {}
    for input_id, element, value in _sql(seeded, "SELECT input_id, element, value FROM ratings"):
        if input_id in kept:
            row = kept[input_id]
            values.setdefault((row["theme_id"], element, row["channel"]), []).append(value)
    got = analysis.ratings(engine=seeded, filters=f)
    assert len(got) == len(values)
    for r in got.itertuples():
        found = values[(r.theme_id, r.element, r.channel)]
        assert r.answers == len(found)
        assert r.mean == pytest.approx(sum(found) / len(found), abs=0.006)


@pytest.mark.parametrize("f", FILTERS[:3], ids=IDS[:3])
def test_the_frame_matrix_counts_ratings_ticks_and_keyword_suggestions(
    seeded: Engine, catalogue: Catalogue, f: Filters
) -> None:
    keywords = tags.load_keywords()
    got = analysis.frame_matrix(engine=seeded, filters=f, elements=catalogue.frame.keys, keywords=keywords)
    kept = {r["id"]: r for r in _kept(seeded, f)}
    ticked = Counter(
        (kept[i]["theme_id"], e) for i, e in _sql(seeded, "SELECT input_id, element FROM input_tags") if i in kept
    )
    rated = Counter(
        (kept[i]["theme_id"], e) for i, e in _sql(seeded, "SELECT input_id, element FROM ratings") if i in kept
    )
    ideas = [r for r in kept.values() if r["kind"] == "idea"]
    assert sum(ticked.values()) > 0
    for r in got.itertuples():
        assert r.tagged == ticked[(r.theme_id, r.element)]
        assert r.ratings == rated[(r.theme_id, r.element)]
        assert r.ideas == sum(i["theme_id"] == r.theme_id for i in ideas)
        assert r.suggested == sum(
            i["theme_id"] == r.theme_id and r.element in tags.suggest(text=i["text"], lang=i["lang"], keywords=keywords)
            for i in ideas
        )
    assert len(got) == len(set(got["theme_id"])) * len(catalogue.frame.keys)


@pytest.mark.parametrize("f", FILTERS, ids=IDS)
def test_inputs_per_minute_add_up_to_the_total_in_helsinki_time(seeded: Engine, f: Filters) -> None:
    got = analysis.per_minute(engine=seeded, filters=f)
    kept = _kept(seeded, f)
    assert got["inputs"].sum() == len(kept)
    if kept:
        assert str(got["minute"].dt.tz) == "Europe/Helsinki"
        first = min(pd.Timestamp(r["created_at"]) for r in kept)
        first = first.tz_localize("UTC") if first.tzinfo is None else first.tz_convert("UTC")
        busiest = got.loc[got["inputs"] > 0, "minute"].min()
        assert busiest == first.tz_convert("Europe/Helsinki").floor("min")
        # demo inputs sit in the agenda's theme slots, 12:40–17:00 local time on the two days
        assert set(got["minute"].dt.date.astype(str)) <= {"2025-03-20", "2025-03-21"}


def test_quiet_minutes_near_activity_are_zero_rows_and_long_breaks_have_none(seeded: Engine) -> None:
    got = analysis.per_minute(engine=seeded, filters=Filters(event=SLUG), pad=10)
    minutes = sorted(set(got["minute"]))
    steps = Counter((b - a) for a, b in itertools.pairwise(minutes))
    assert steps[pd.Timedelta(minutes=1)] > 0
    assert max(steps) > pd.Timedelta(hours=1)  # the night between the days is not filled in
    assert (got.groupby("minute").size() == 2).all()  # both channels on every minute


def test_distinctive_words_only_show_clear_differences_and_use_the_stored_counts(seeded: Engine) -> None:
    got = analysis.distinctive_words(engine=seeded, filters=Filters(event=SLUG), min_count=3, min_z=1.96)
    for r in got.itertuples():
        assert abs(r.z) >= 1.96
        assert (r.log_odds > 0) == (r.leans == "room")
        assert r.room + r.stream >= 3


@pytest.mark.parametrize(
    ("room", "stream", "n_room", "n_stream", "leans"),
    [
        (30, 1, 100, 100, "room"),  # 30 % against 1 %: clear
        (1, 30, 100, 100, "stream"),
        (3, 2, 100, 60, None),  # 3 % against 3 %: nothing to say
        (3, 0, 10, 10, None),  # too few texts to tell
    ],
)
def test_a_word_leans_to_a_channel_only_when_the_difference_is_clear(
    engine: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Any,
    room: int,
    stream: int,
    n_room: int,
    n_stream: int,
    leans: str | None,
) -> None:
    from alkedash import intake

    def send(channel: str, total: int, with_word: int) -> None:
        for i in range(total):
            token = join(channel=channel)
            words = "metsä" if i < with_word else "vesi"
            intake.submit(
                engine=engine,
                event=live_event,
                frame_keys=catalogue.frame.keys,
                token=token,
                question_id="T1-words",
                text=words,
            )

    send("room", n_room, room)
    send("stream", n_stream, stream)
    got = analysis.distinctive_words(engine=engine, filters=Filters(event=SLUG), min_count=3)
    found = got[got["lemma"] == "metsä"]
    assert (found["leans"].iloc[0] if len(found) else None) == leans
    if leans:
        row = found.iloc[0]
        assert (row["room_share"], row["stream_share"]) == (
            round(100 * room / n_room, 1),
            round(100 * stream / n_stream, 1),
        )
        assert math.isfinite(row["z"])


def test_an_event_without_inputs_gives_empty_tables_not_errors(engine: Engine, catalogue: Catalogue) -> None:
    f = Filters(event=SLUG)
    assert analysis.totals(engine=engine, filters=f) == {"inputs": 0, "participants": 0, "ideas": 0}
    assert analysis.by_channel(engine=engine, filters=f).empty
    assert analysis.per_minute(engine=engine, filters=f).empty
    assert analysis.distinctive_words(engine=engine, filters=f).empty
    assert (analysis.by_region(engine=engine, filters=f, regions=["MK01"])["inputs"] == 0).all()
    matrix = analysis.frame_matrix(engine=engine, filters=f, elements=catalogue.frame.keys, keywords={})
    assert matrix.empty


def test_ideas_carry_their_upvotes_and_leave_hidden_ones_out(seeded: Engine) -> None:
    f = Filters(event=SLUG, themes=("T1",))
    got = analysis.ideas(engine=seeded, filters=f)
    votes = Counter(r[0] for r in _sql(seeded, "SELECT input_id FROM votes"))
    kept = [r for r in _kept(seeded, f) if r["kind"] == "idea"]
    assert [(i.id, i.text, i.votes) for i in got] == [(r["id"], r["text"], votes[r["id"]]) for r in kept]
    assert sum(i.votes for i in got) > 0


def test_idea_groups_are_remembered_by_their_ideas_and_tabled_with_their_texts(seeded: Engine) -> None:
    ideas = analysis.ideas(engine=seeded, filters=Filters(event=SLUG, themes=("T2",)))
    first = analysis.idea_groups(ideas=ideas)
    assert analysis.idea_groups(ideas=tuple(ideas)) is first  # the same ideas: no regrouping
    table = analysis.group_table(groups=first, ideas=ideas)
    assert table["size"].sum() == len(ideas)
    texts = {i.text for i in ideas}
    for row in table.itertuples():
        assert all(line in texts for line in row.representatives.split("\n"))


def test_text_heavy_numbers_are_reused_until_the_data_changes(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Any
) -> None:
    from alkedash import intake

    token = join(channel="stream")
    idea = intake.submit(
        engine=engine,
        event=live_event,
        frame_keys=catalogue.frame.keys,
        token=token,
        question_id="T1-idea",
        text="Raideyhteydet kuntoon",
    ).input_id
    f = Filters(event=SLUG)
    keywords = tags.load_keywords()
    before = analysis.frame_matrix(engine=engine, filters=f, elements=catalogue.frame.keys, keywords=keywords)
    again = analysis.frame_matrix(engine=engine, filters=f, elements=catalogue.frame.keys, keywords=keywords)
    assert again.equals(before)
    stamp = analysis.stamp(engine=engine, event_slug=SLUG)
    intake.add_tags(
        engine=engine, event=live_event, frame_keys=catalogue.frame.keys, token=token, input_id=idea, tags=["X1"]
    )
    assert analysis.stamp(engine=engine, event_slug=SLUG) != stamp
    after = analysis.frame_matrix(engine=engine, filters=f, elements=catalogue.frame.keys, keywords=keywords)
    assert after.set_index("element").loc["X1", "tagged"] == 1
    assert before.set_index("element").loc["X1", "tagged"] == 0
