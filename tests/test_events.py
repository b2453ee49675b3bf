"""Events in the database: seeding, lookup by join code, editing, cloning, export and import."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alkedash import events, intake, live
from alkedash.content import Catalogue, ContentError, Event
from alkedash.models import EventSetup, LiveState, QuestionStatus


def seeded(engine: Engine, catalogue: Catalogue) -> Event:
    assert events.seed(engine=engine, catalogue=catalogue) == ["alke-2025"]
    found = events.by_slug(engine=engine, slug="alke-2025")
    assert found is not None
    return found


def test_seeding_copies_data_events_once_and_readies_their_live_state(engine: Engine, catalogue: Catalogue) -> None:
    event = seeded(engine, catalogue)
    assert event == catalogue.event(slug="alke-2025")
    assert events.seed(engine=engine, catalogue=catalogue) == []  # a second start adds nothing
    with Session(engine) as s:
        assert s.scalar(select(LiveState.event)) == "alke-2025"
        assert len(s.scalars(select(QuestionStatus.question_id)).all()) == 12


def test_seeding_never_overwrites_an_organisers_edit(engine: Engine, catalogue: Catalogue) -> None:
    event = seeded(engine, catalogue)
    edited = event.model_copy(update={"event": event.event.model_copy(update={"room_capacity": 90})})
    events.update_event(engine=engine, event=edited, actor="organiser", expected_revision=1)
    events.seed(engine=engine, catalogue=catalogue)
    stored = events.by_slug(engine=engine, slug="alke-2025")
    assert stored is not None and stored.event.room_capacity == 90


@pytest.mark.parametrize("code", ["ALKE25", "alke25", "  Alke25 "])
def test_the_join_code_finds_its_event_however_it_is_typed(engine: Engine, catalogue: Catalogue, code: str) -> None:
    seeded(engine, catalogue)
    found = events.by_code(engine=engine, join_code=code)
    assert found is not None and found.slug == "alke-2025"
    assert events.by_code(engine=engine, join_code="NOPE99") is None


def answer(engine: Engine, catalogue: Catalogue, event: Event, question_id: str) -> intake.Receipt:
    token = intake.join(
        engine=engine, event=event, catalogue=catalogue, channel="room", region=None, org_type=None, lang="fi"
    )
    return intake.submit(
        engine=engine, event=event, frame_keys=catalogue.frame.keys, token=token, question_id=question_id, text="Idea"
    )


def clone_2026(event: Event, catalogue: Catalogue, *, slug: str = "alke-2026", code: str = "ALKE26") -> Event:
    return events.cloned(event=event, slug=slug, join_code=code, starts=dt.date(2026, 3, 19), catalogue=catalogue)


def test_a_clone_moves_its_agenda_with_its_dates_and_starts_its_memos_as_drafts(
    engine: Engine, catalogue: Catalogue
) -> None:
    event = seeded(engine, catalogue)
    copy = clone_2026(event, catalogue)
    assert (copy.event.starts, copy.event.ends) == (dt.date(2026, 3, 19), dt.date(2026, 3, 20))
    assert copy.days == [dt.date(2026, 3, 19), dt.date(2026, 3, 20)]
    assert {t.memo.status for t in copy.themes} == {"draft"}
    assert [q.id for t in copy.themes for q in t.questions] == [q.id for t in event.themes for q in t.questions]


def test_several_events_live_side_by_side_and_each_join_code_takes_its_own_answers(
    engine: Engine, catalogue: Catalogue
) -> None:
    event = seeded(engine, catalogue)
    events.create(engine=engine, event=clone_2026(event, catalogue), actor="organiser")
    assert [e.slug for e in events.all_events(engine=engine)] == ["alke-2026", "alke-2025"]
    new = events.by_code(engine=engine, join_code="ALKE26")
    assert new is not None
    live.set_open(engine=engine, event=new, question_id=new.themes[0].questions[0].id, is_open=True)
    assert answer(engine, catalogue, new, new.themes[0].questions[0].id).input_id > 0
    with Session(engine) as s:
        assert s.scalar(select(LiveState.event).where(LiveState.event == "alke-2026")) == "alke-2026"


@pytest.mark.parametrize(
    ("slug", "code", "field"),
    [("alke-2025", "ALKE99", "event.slug"), ("alke-2027", "ALKE25", "event.join_code")],
)
def test_a_new_event_cannot_take_a_slug_or_join_code_in_use(
    engine: Engine, catalogue: Catalogue, slug: str, code: str, field: str
) -> None:
    event = seeded(engine, catalogue)
    with pytest.raises(events.EventExists, match=field):
        events.create(engine=engine, event=clone_2026(event, catalogue, slug=slug, code=code), actor="organiser")


def test_a_save_over_someone_elses_newer_save_is_refused_and_writes_nothing(
    engine: Engine, catalogue: Catalogue
) -> None:
    event = seeded(engine, catalogue)
    first = event.model_copy(update={"event": event.event.model_copy(update={"city": "Lahti"})})
    assert events.update_event(engine=engine, event=first, actor="a", expected_revision=1) == 2
    second = event.model_copy(update={"event": event.event.model_copy(update={"city": "Oulu"})})
    with pytest.raises(events.StaleEdit):
        events.update_event(engine=engine, event=second, actor="b", expected_revision=1)
    stored = events.by_slug(engine=engine, slug="alke-2025")
    assert stored is not None and stored.event.city == "Lahti"
    assert events.revision(engine=engine, slug="alke-2025") == 2


def test_a_question_that_has_answers_cannot_be_removed(engine: Engine, catalogue: Catalogue) -> None:
    event = seeded(engine, catalogue)
    question = event.themes[0].questions[0]
    live.set_open(engine=engine, event=event, question_id=question.id, is_open=True)
    answer(engine, catalogue, event, question.id)
    theme = event.themes[0]
    fewer = theme.model_copy(update={"questions": theme.questions[1:]})
    edited = event.model_copy(update={"themes": (fewer, *event.themes[1:])})
    with pytest.raises(ContentError, match=rf"{question.id} \(1\)"):
        events.update_event(engine=engine, event=edited, actor="organiser", expected_revision=1)


def test_an_exported_set_up_imports_as_the_same_event(engine: Engine, catalogue: Catalogue) -> None:
    event = seeded(engine, catalogue)
    text = events.export_toml(event=event)
    assert text.startswith("# Aluekehittämisen keskustelut 2025")
    assert events.import_toml(text=text, catalogue=catalogue, source="alke-2025.toml") == event


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[event\nslug = 1", "not valid TOML"),
        ('[event]\nslug = "x"', "themes: Field required"),
        ("", "event: Field required"),
    ],
)
def test_a_broken_import_says_what_is_wrong_and_where(catalogue: Catalogue, text: str, problem: str) -> None:
    with pytest.raises(ContentError, match=problem):
        events.import_toml(text=text, catalogue=catalogue, source="upload.toml")


def test_an_unknown_ministry_in_an_import_is_named(engine: Engine, catalogue: Catalogue) -> None:
    text = events.export_toml(event=seeded(engine, catalogue)).replace('"TEM"', '"XYZ"')
    with pytest.raises(ContentError, match="unknown ministry"):
        events.import_toml(text=text, catalogue=catalogue, source="upload.toml")


@pytest.mark.parametrize(
    ("today", "past"), [(dt.date(2025, 3, 19), False), (dt.date(2025, 3, 21), False), (dt.date(2025, 3, 22), True)]
)
def test_an_event_is_past_after_its_last_day(event: Event, today: dt.date, past: bool) -> None:
    assert events.is_past(event=event, today=today) is past


def test_a_save_in_another_process_shows_after_the_refresh_interval(engine: Engine, catalogue: Catalogue) -> None:
    seeded(engine, catalogue)
    with Session(engine) as s, s.begin():  # another process's save: this one's directory is not told
        row = s.get(EventSetup, "alke-2025")
        assert row is not None
        row.join_code, row.revision = "NEW123", row.revision + 1
        row.document = row.document.replace('"ALKE25"', '"NEW123"')
    assert events.by_code(engine=engine, join_code="ALKE25") is not None  # still the cached directory
    events.forget(engine=engine)  # what REFRESH_SECONDS does by itself
    found = events.by_code(engine=engine, join_code="NEW123")
    assert found is not None and found.event.join_code == "NEW123"
