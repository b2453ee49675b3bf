from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alkedash import live
from alkedash.content import Event
from alkedash.db import StoreUnavailable, make_engine
from alkedash.models import Input, ModerationEntry
from tests.conftest import sqlite_write_lock


def test_ensuring_an_event_twice_changes_nothing(engine: Engine, event: Event) -> None:
    live.ensure_event(engine=engine, event=event)
    first = live.current(engine=engine, event_slug=event.slug)
    live.ensure_event(engine=engine, event=event)
    assert live.current(engine=engine, event_slug=event.slug) == first
    assert first.theme_id == "T1" and first.question_id == "T1-idea" and not first.revealed
    assert first.open_questions == frozenset()


def test_moving_to_a_theme_shows_its_first_question_with_results_hidden(engine: Engine, live_event: Event) -> None:
    live.set_revealed(engine=engine, event=live_event, revealed=True)
    live.set_theme(engine=engine, event=live_event, theme_id="T3")
    state = live.current(engine=engine, event_slug=live_event.slug)
    assert (state.theme_id, state.question_id, state.revealed) == ("T3", "T3-idea", False)


def test_choosing_a_question_follows_its_theme(engine: Engine, live_event: Event) -> None:
    live.set_question(engine=engine, event=live_event, question_id="T2-poll")
    state = live.current(engine=engine, event_slug=live_event.slug)
    assert (state.theme_id, state.question_id) == ("T2", "T2-poll")


@pytest.mark.parametrize(
    ("action", "args"),
    [
        (live.set_theme, {"theme_id": "T2"}),
        (live.set_question, {"question_id": "T1-poll"}),
        (live.set_open, {"question_id": "T1-poll", "is_open": False}),
        (live.set_revealed, {"revealed": True}),
        (live.set_closed, {"closed": True}),
        (live.set_premoderation, {"on": True}),
        (live.set_screen_lang, {"lang": "sv"}),
    ],
)
def test_every_change_bumps_the_version_phones_poll(engine: Engine, live_event: Event, action, args) -> None:  # type: ignore[no-untyped-def]
    before = live.version(engine=engine, event_slug=live_event.slug)
    action(engine=engine, event=live_event, **args)
    assert live.version(engine=engine, event_slug=live_event.slug) == before + 1


@pytest.mark.parametrize("lang", ["sv", "en", "fi"])
def test_the_facilitator_sets_the_language_every_screen_shows(engine: Engine, live_event: Event, lang: str) -> None:
    assert live.current(engine=engine, event_slug=live_event.slug).screen_lang == "fi"
    live.set_screen_lang(engine=engine, event=live_event, lang=lang)
    assert live.current(engine=engine, event_slug=live_event.slug).screen_lang == lang


def test_an_unknown_screen_language_is_refused(engine: Engine, live_event: Event) -> None:
    with pytest.raises(ValueError, match="unknown language"):
        live.set_screen_lang(engine=engine, event=live_event, lang="de")


@pytest.mark.parametrize("bad", [{"theme_id": "T9"}])
def test_unknown_themes_are_refused(engine: Engine, live_event: Event, bad: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        live.set_theme(engine=engine, event=live_event, **bad)


def test_the_live_state_is_shared_between_processes(engine: Engine, live_event: Event) -> None:
    """A second engine stands in for a second server process on the same database."""
    other = make_engine(url=engine.url.render_as_string(hide_password=False))
    live.set_question(engine=other, event=live_event, question_id="T1-words")
    live.set_revealed(engine=other, event=live_event, revealed=True)
    state = live.current(engine=engine, event_slug=live_event.slug)
    assert state.question_id == "T1-words" and state.revealed
    other.dispose()


def test_moderation_flags_the_input_and_logs_who_did_it(engine: Engine, live_event: Event, join, catalogue) -> None:  # type: ignore[no-untyped-def]
    from alkedash import intake

    idea = intake.submit(
        engine=engine,
        event=live_event,
        frame_keys=catalogue.frame.keys,
        token=join(),
        question_id="T1-idea",
        text="Moderoitava",
    ).input_id
    for action in ("hide", "highlight", "unhide"):
        live.moderate(engine=engine, event=live_event, input_id=idea, action=action, actor="fasilitaattori")
    with Session(engine) as s:
        row = s.get(Input, idea)
        assert row is not None and not row.hidden and row.highlighted
        log = s.scalars(select(ModerationEntry.action).order_by(ModerationEntry.id)).all()
    assert log == ["hide", "highlight", "unhide"]
    with pytest.raises(ValueError):
        live.moderate(engine=engine, event=live_event, input_id=999_999, action="hide", actor="x")


def test_hiding_a_flooding_phone_hides_all_its_text_and_logs_each(
    engine: Engine, live_event: Event, join, catalogue
) -> None:  # type: ignore[no-untyped-def]
    from alkedash import intake

    spammer, other = join(), join()

    def send(token: str, question_id: str, **kw: object) -> int:
        return intake.submit(
            engine=engine, event=live_event, frame_keys=catalogue.frame.keys, token=token, question_id=question_id,
            **kw,  # type: ignore[arg-type]
        ).input_id  # fmt: skip

    spam = [send(spammer, "T1-idea", text=f"Osta nyt {n}") for n in range(3)]
    words = send(spammer, "T1-words", text="osta osta")
    poll = send(spammer, "T1-poll", option="funding")
    good = send(other, "T1-idea", text="Hyvä idea")
    live.moderate(engine=engine, event=live_event, input_id=spam[0], action="hide", actor="f")
    assert live.hide_participant(engine=engine, event=live_event, input_id=spam[1], actor="f") == 3
    with Session(engine) as s:
        hidden = {i: h for i, h in s.execute(select(Input.id, Input.hidden))}
        logged = s.scalars(select(ModerationEntry.input_id).order_by(ModerationEntry.id)).all()
    assert hidden == {spam[0]: True, spam[1]: True, spam[2]: True, words: True, poll: False, good: False}
    assert logged == [spam[0], spam[1], spam[2], words]  # the one hidden before is not logged twice


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("action", "args"),
    [
        (live.set_theme, {"theme_id": "T2"}),
        (live.set_question, {"question_id": "T1-poll"}),
        (live.set_open, {"question_id": "T1-poll", "is_open": False}),
        (live.set_revealed, {"revealed": True}),
    ],
    ids=["set_theme", "set_question", "set_open", "set_revealed"],
)
def test_a_facilitators_change_waits_out_another_writers_sqlite_lock(  # type: ignore[no-untyped-def]
    engine: Engine, live_event: Event, caplog: pytest.LogCaptureFixture, action, args
) -> None:
    impatient = make_engine(url=engine.url.render_as_string(hide_password=False), busy_timeout=0.1)
    before = live.version(engine=engine, event_slug=live_event.slug)
    with caplog.at_level(logging.WARNING, logger="alkedash.db"), sqlite_write_lock(engine, hold=0.4):
        action(engine=impatient, event=live_event, **args)
    impatient.dispose()
    assert any("database is locked" in r.getMessage() for r in caplog.records)
    assert live.version(engine=engine, event_slug=live_event.slug) == before + 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_facilitators_change_against_a_lock_that_never_clears_reports_the_store_unavailable(
    engine: Engine, live_event: Event
) -> None:
    impatient = make_engine(url=engine.url.render_as_string(hide_password=False), busy_timeout=0.1)
    before = live.current(engine=engine, event_slug=live_event.slug)
    with sqlite_write_lock(engine), pytest.raises(StoreUnavailable):
        live.set_revealed(engine=impatient, event=live_event, revealed=True)
    impatient.dispose()
    assert live.current(engine=engine, event_slug=live_event.slug) == before
