from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from alkedash import intake, live
from alkedash.content import LANGS, Catalogue, Event
from alkedash.db import StoreUnavailable, make_engine
from alkedash.intake import IntakeError
from alkedash.messages import message
from alkedash.models import Input, ModerationEntry, Participant, Rating, Tag, Vote
from tests.conftest import sqlite_write_lock

Join = Callable[..., str]


def _submit(
    engine: Engine, event: Event, catalogue: Catalogue, token: str, question_id: str, **kw: object
) -> intake.Receipt:
    return intake.submit(
        engine=engine,
        event=event,
        frame_keys=catalogue.frame.keys,
        token=token,
        question_id=question_id,
        **kw,  # type: ignore[arg-type]
    )


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_joining_stores_an_anonymous_participant_with_channel_and_region(
    engine: Engine, live_event: Event, join: Join
) -> None:
    token = join(channel="stream", region="MK09", org_type="regional_council")
    p = intake.find_participant(engine=engine, event_slug=live_event.slug, token=token)
    assert p is not None
    assert (p.channel, p.region, p.org_type) == ("stream", "MK09", "regional_council")
    assert len(token) >= 20


@pytest.mark.parametrize(
    ("joined_in", "written_in", "recorded"),
    [("fi", None, "fi"), ("fi", "sv", "sv"), ("sv", "en", "en"), ("en", "xx", "en")],
)
def test_an_input_is_stored_as_written_with_the_language_the_phone_showed(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join,
    joined_in: str, written_in: str | None, recorded: str,
) -> None:  # fmt: skip
    token = join(lang=joined_in)
    text = "Hållbar tillväxt i hela landet – «ÅÄÖ» 🚆"
    _submit(engine, live_event, catalogue, token, "T1-idea", text=text, lang=written_in)
    with Session(engine) as s:
        row = s.scalars(select(Input)).one()
    assert (row.text, row.lang) == (text, recorded)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"channel": "balcony"}, "bad_channel"),
        ({"channel": "room", "region": "MK03"}, "bad_region"),
        ({"channel": "room", "org_type": "pirate"}, "bad_org_type"),
    ],
)
def test_joining_with_unknown_values_is_refused(
    engine: Engine, live_event: Event, catalogue: Catalogue, kwargs: dict[str, str], code: str
) -> None:
    with pytest.raises(IntakeError) as err:
        intake.join(
            engine=engine,
            event=live_event,
            region=kwargs.get("region"),
            org_type=kwargs.get("org_type"),
            channel=kwargs["channel"],
            lang="fi",
            catalogue=catalogue,
        )
    assert err.value.code == code
    assert _count(engine, Participant) == 0


@pytest.mark.parametrize(
    ("question_id", "kwargs"),
    [
        ("T1-idea", {"text": "Yhteinen TKI-tiekartta maakunnille"}),
        ("T1-words", {"text": "osaaminen, vienti"}),
        ("T1-poll", {"option": "funding"}),
        ("T1-rating", {"ratings": {"P1": 5, "E3": 4}}),
    ],
)
def test_every_question_kind_is_stored_with_the_participants_channel(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join, question_id: str, kwargs: dict[str, object]
) -> None:
    token = join(channel="stream", region="MK01")
    receipt = _submit(engine, live_event, catalogue, token, question_id, **kwargs)
    assert not receipt.duplicate
    with Session(engine) as s:
        row = s.get(Input, receipt.input_id)
        assert row is not None
        assert (row.channel, row.region, row.question_id, row.theme_id) == ("stream", "MK01", question_id, "T1")
        if question_id == "T1-rating":
            assert sorted(s.scalars(select(Rating.value).where(Rating.input_id == row.id))) == [4, 5]


def test_frame_elements_ticked_on_an_idea_are_stored_in_frame_order_once_each(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    receipt = _submit(engine, live_event, catalogue, token, "T1-idea", text="Raideyhteydet", tags=["E1", "P1", "E1"])
    again = _submit(engine, live_event, catalogue, token, "T1-idea", text="Raideyhteydet", tags=["P1", "E1"])
    assert again == intake.Receipt(input_id=receipt.input_id, duplicate=True)
    with Session(engine) as s:
        assert list(s.scalars(select(Tag.element).where(Tag.input_id == receipt.input_id).order_by(Tag.id))) == [
            "P1",
            "E1",
        ]


def test_the_author_may_add_frame_elements_to_an_idea_later_and_no_one_else_may(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    author, other = join(), join()
    idea = _submit(engine, live_event, catalogue, author, "T1-idea", text="Raideyhteydet", tags=["P1"]).input_id
    words = _submit(engine, live_event, catalogue, author, "T1-words", text="raiteet").input_id

    def add(token: str, input_id: int, tags: list[str]) -> tuple[str, ...]:
        return intake.add_tags(
            engine=engine, event=live_event, frame_keys=catalogue.frame.keys, token=token, input_id=input_id, tags=tags
        )

    assert add(author, idea, ["E1"]) == ("P1", "E1")
    assert add(author, idea, ["E1", "P1"]) == ("P1", "E1")  # twice is harmless
    for token, input_id, tags, code in [
        (other, idea, ["E2"], "unknown_idea"),
        (author, words, ["E2"], "unknown_idea"),
        (author, idea, ["ZZ"], "bad_element"),
    ]:
        with pytest.raises(IntakeError) as err:
            add(token, input_id, tags)
        assert err.value.code == code
    assert _count(engine, Tag) == 2


def test_a_double_tap_is_one_input_and_says_so(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    first = _submit(engine, live_event, catalogue, token, "T1-idea", text="Sama idea")
    second = _submit(engine, live_event, catalogue, token, "T1-idea", text="  Sama   idea ")
    assert second == intake.Receipt(input_id=first.input_id, duplicate=True)
    assert _count(engine, Input) == 1


def test_two_participants_with_the_same_idea_are_two_inputs(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    for token in (join(), join()):
        _submit(engine, live_event, catalogue, token, "T1-idea", text="Sama idea")
    assert _count(engine, Input) == 2


def test_a_poll_is_answered_once_per_participant(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    _submit(engine, live_event, catalogue, token, "T1-poll", option="funding")
    assert _submit(engine, live_event, catalogue, token, "T1-poll", option="funding").duplicate
    with pytest.raises(IntakeError) as err:
        _submit(engine, live_event, catalogue, token, "T1-poll", option="timing")
    assert err.value.code == "already_answered"
    assert _count(engine, Input) == 1


@pytest.mark.parametrize(
    ("question_id", "kwargs", "code"),
    [
        ("T1-idea", {"text": ""}, "empty"),
        ("T1-idea", {"text": " \n\t \u200b "}, "empty"),
        ("T1-idea", {"text": "x" * 501}, "too_long"),
        ("T1-words", {"text": "yksi kaksi kolme neljä"}, "too_many_words"),
        ("T1-words", {"text": "a" * 41}, "word_too_long"),
        ("T1-poll", {"option": "nope"}, "bad_option"),
        ("T1-poll", {}, "bad_option"),
        ("T1-rating", {"ratings": {"P1": 6}}, "bad_rating"),
        ("T1-rating", {"ratings": {"P1": 0}}, "bad_rating"),
        ("T1-rating", {"ratings": {"ZZ": 3}}, "bad_element"),
        ("T1-rating", {"ratings": {}}, "empty"),
        ("T1-idea", {"text": "Idea", "tags": ["ZZ"]}, "bad_element"),
        ("T1-poll", {"option": "funding", "tags": ["P1"]}, "bad_element"),
        ("T2-idea", {"text": "teema ei ole auki"}, "closed"),
        ("T9-idea", {"text": "ei ole"}, "unknown_question"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_stores_nothing(
    engine: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    question_id: str,
    kwargs: dict[str, object],
    code: str,
) -> None:
    token = join()
    _submit(engine, live_event, catalogue, token, "T1-idea", text="Hyvä idea ensin")
    with pytest.raises(IntakeError) as err:
        _submit(engine, live_event, catalogue, token, question_id, **kwargs)
    assert err.value.code == code
    assert _count(engine, Input) == 1  # the good input is still there, nothing else


def test_a_closed_question_refuses_input(engine: Engine, live_event: Event, catalogue: Catalogue, join: Join) -> None:
    token = join()
    live.set_open(engine=engine, event=live_event, question_id="T1-idea", is_open=False)
    with pytest.raises(IntakeError, match="closed"):
        _submit(engine, live_event, catalogue, token, "T1-idea", text="Myöhässä")


def test_an_unknown_token_cannot_submit(engine: Engine, live_event: Event, catalogue: Catalogue) -> None:
    with pytest.raises(IntakeError, match="unknown_participant"):
        _submit(engine, live_event, catalogue, "forged-token", "T1-idea", text="Hei")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  hello   world ", "hello world"),
        ("a\u200bb\u202ec", "abc"),
        ("nul\x00byte", "nul byte"),
        ("e\u0301", "é"),  # NFC
        ("rivi 1\n\n\nrivi 2", "rivi 1\nrivi 2"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("soft\u00adhyphen", "softhyphen"),  # format characters go, leaving no space
        ("x\u200dy", "xy"),  # a zero-width joiner between letters is invisible noise
        ("👩\u200d💻 ja 🏳\ufe0f\u200d🌈", "👩\u200d💻 ja 🏳\ufe0f\u200d🌈"),  # inside an emoji it is the emoji
        ("\U0001fae8 uusi emoji", "\U0001fae8 uusi emoji"),  # newer than Python's Unicode tables: kept
        ("\ud800lone surrogate", "lone surrogate"),  # cannot be stored as UTF-8
        ("مرحبا بالعالم", "مرحبا بالعالم"),  # right-to-left text as written
        ("'; DROP TABLE inputs; --", "'; DROP TABLE inputs; --"),
    ],
)
def test_text_is_normalised_but_never_rewritten(raw: str, clean: str) -> None:
    assert intake.clean_text(text=raw) == clean


def test_sql_looking_text_is_stored_verbatim(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    text = "Robert'); DROP TABLE inputs;--"
    receipt = _submit(engine, live_event, catalogue, join(), "T1-idea", text=text)
    with Session(engine) as s:
        assert s.get(Input, receipt.input_id).text == text  # type: ignore[union-attr]


def test_upvotes_count_once_per_participant_and_never_for_ones_own_idea(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    author, voter = join(), join(channel="stream")
    idea = _submit(engine, live_event, catalogue, author, "T1-idea", text="Peukutettava").input_id
    assert intake.upvote(engine=engine, event=live_event, token=voter, input_id=idea) is True
    assert intake.upvote(engine=engine, event=live_event, token=voter, input_id=idea) is False
    with pytest.raises(IntakeError, match="own_idea"):
        intake.upvote(engine=engine, event=live_event, token=author, input_id=idea)
    assert _count(engine, Vote) == 1


def test_a_hidden_idea_cannot_be_upvoted(engine: Engine, live_event: Event, catalogue: Catalogue, join: Join) -> None:
    idea = _submit(engine, live_event, catalogue, join(), "T1-idea", text="Piilotettava").input_id
    live.moderate(engine=engine, event=live_event, input_id=idea, action="hide", actor="test")
    with pytest.raises(IntakeError, match="unknown_idea"):
        intake.upvote(engine=engine, event=live_event, token=join(), input_id=idea)


def test_my_answers_tell_what_the_participant_already_said(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    _submit(engine, live_event, catalogue, token, "T1-poll", option="timing")
    p = intake.find_participant(engine=engine, event_slug=live_event.slug, token=token)
    assert p is not None
    assert intake.my_answers(engine=engine, participant_id=p.id)["T1-poll"].option == "timing"


# --- durability: busy and lost stores ----------------------------------------------------------


@pytest.fixture
def impatient(engine: Engine) -> Iterator[Engine]:
    """A second process on the same SQLite file that waits only 100 ms for the write lock."""
    eng = make_engine(url=engine.url.render_as_string(hide_password=False), busy_timeout=0.1)
    yield eng
    eng.dispose()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("question_id", "kwargs"),
    [("T1-idea", {"text": "Odottaa vuoroaan"}), ("T1-rating", {"ratings": {"P1": 5, "E3": 4}})],
    ids=["idea", "rating"],
)
def test_a_submit_waits_out_another_writers_sqlite_lock_and_is_stored_once(
    engine: Engine,
    impatient: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    caplog: pytest.LogCaptureFixture,
    question_id: str,
    kwargs: dict[str, object],
) -> None:
    token = join()
    # Held six times the busy timeout; the store's five attempts span at least 1.25 s.
    with caplog.at_level(logging.WARNING, logger="alkedash.db"), sqlite_write_lock(engine, hold=0.6):
        receipt = _submit(impatient, live_event, catalogue, token, question_id, **kwargs)
    assert not receipt.duplicate
    assert any("database is locked" in r.getMessage() for r in caplog.records)  # it did retry
    assert _count(engine, Input) == 1
    assert _count(engine, Rating) == (2 if question_id == "T1-rating" else 0)


def _join_action(engine: Engine, event: Event, catalogue: Catalogue, **_: Any) -> object:
    return intake.join(engine=engine, event=event, channel="room", region=None, org_type=None, lang="fi",
                       catalogue=catalogue)  # fmt: skip


def _submit_action(engine: Engine, event: Event, catalogue: Catalogue, token: str, **_: Any) -> object:
    return _submit(engine, event, catalogue, token, "T1-rating", ratings={"P1": 5, "E3": 4})


def _upvote_action(engine: Engine, event: Event, catalogue: Catalogue, token: str, idea: int) -> object:
    return intake.upvote(engine=engine, event=event, token=token, input_id=idea)


def _rows(engine: Engine) -> dict[str, object]:
    with Session(engine) as s:
        counts: dict[str, object] = {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                                     for m in (Participant, Input, Rating, Vote)}  # fmt: skip
        counts["last_seen"] = sorted(str(t) for t in s.scalars(select(Participant.last_seen_at)))
    return counts


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("action", [_join_action, _submit_action, _upvote_action], ids=["join", "submit", "upvote"])
def test_a_lock_that_never_clears_is_refused_as_store_busy_and_changes_nothing(
    engine: Engine,
    impatient: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    action: Callable[..., object],
) -> None:
    token = join()
    idea = _submit(engine, live_event, catalogue, join(), "T1-idea", text="Peukutettava").input_id
    before = _rows(engine)
    with sqlite_write_lock(engine), pytest.raises(IntakeError) as err:
        action(impatient, live_event, catalogue, token=token, idea=idea)
    assert err.value.code == "store_busy"
    assert isinstance(err.value.__cause__, StoreUnavailable)
    assert _rows(engine) == before


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_submit_after_postgres_dropped_every_app_connection_is_stored(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    killer = create_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    with killer.begin() as k:  # as when the server restarts: the pool's idle connections are dead
        k.execute(
            text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
        )
    killer.dispose()
    receipt = _submit(engine, live_event, catalogue, token, "T1-idea", text="Palvelin käynnistyi uudelleen")
    assert not receipt.duplicate
    assert _count(engine, Input) == 1


@contextmanager
def _acknowledgement_lost_after(engine: Engine, table: str) -> Iterator[list[int]]:
    """The COMMIT of the first transaction that inserts into `table` reaches the database and
    commits, but the reply never arrives: the driver raises as a dropped connection would."""
    armed: list[bool] = []
    fired: list[int] = []
    real_commit = engine.dialect.do_commit

    def spot_insert(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            armed.append(True)

    def commit_then_lose_the_reply(dbapi_connection: Any) -> None:
        real_commit(dbapi_connection)
        if armed and not fired:
            fired.append(1)
            if engine.dialect.name == "sqlite":  # no network: a busy error stands in for the lost reply
                raise sqlite3.OperationalError("database is locked")
            raise psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", spot_insert)
    engine.dialect.do_commit = commit_then_lose_the_reply  # type: ignore[method-assign]
    try:
        yield fired
    finally:
        del engine.dialect.do_commit
        event.remove(engine, "before_cursor_execute", spot_insert)


@pytest.mark.parametrize(
    ("action", "table"),
    [(_join_action, "participants"), (_submit_action, "inputs"), (_upvote_action, "votes")],
    ids=["join", "submit", "upvote"],
)
def test_a_write_whose_commit_landed_but_whose_acknowledgement_was_lost_is_stored_once(
    engine: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    action: Callable[..., object],
    table: str,
) -> None:
    token = join()
    idea = _submit(engine, live_event, catalogue, join(), "T1-idea", text="Peukutettava").input_id
    before = _rows(engine)
    with _acknowledgement_lost_after(engine, table) as fired:
        result = action(engine, live_event, catalogue, token=token, idea=idea)
    assert fired == [1]  # the fault did happen, and the caller still got an answer
    after = _rows(engine)
    assert after[table] == before[table] + 1  # type: ignore[operator]
    if table == "inputs":
        assert isinstance(result, intake.Receipt) and result.duplicate
        assert result.input_id == max(_ids(engine))
    if table == "participants":
        assert intake.find_participant(engine=engine, event_slug=live_event.slug, token=str(result)) is not None


def _ids(engine: Engine) -> list[int]:
    with Session(engine) as s:
        return list(s.scalars(select(Input.id)))


@pytest.mark.parametrize(
    ("question_id", "mine", "twins", "outcome"),
    [
        ("T1-idea", {"text": "Sama idea"}, {"text": "Sama idea"}, "duplicate"),
        ("T1-poll", {"option": "funding"}, {"option": "timing"}, "already_answered"),
    ],
    ids=["same-idea", "poll-other-option"],
)
def test_a_submit_racing_its_twin_from_another_process_is_stored_once(
    engine: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    question_id: str,
    mine: dict[str, object],
    twins: dict[str, object],
    outcome: str,
) -> None:
    """The twin commits between our duplicate check and our insert: the unique key refuses our row,
    and a fresh transaction tells the participant what is stored."""
    token = join()
    other = make_engine(url=engine.url.render_as_string(hide_password=False))
    twin: list[intake.Receipt] = []

    def twin_first(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO INPUTS") and not twin:
            twin.append(_submit(other, live_event, catalogue, token, question_id, **twins))

    event.listen(engine, "before_cursor_execute", twin_first)
    try:
        if outcome == "duplicate":
            receipt = _submit(engine, live_event, catalogue, token, question_id, **mine)
            assert receipt == intake.Receipt(input_id=twin[0].input_id, duplicate=True)
        else:
            with pytest.raises(IntakeError) as err:
                _submit(engine, live_event, catalogue, token, question_id, **mine)
            assert err.value.code == outcome
    finally:
        event.remove(engine, "before_cursor_execute", twin_first)
        other.dispose()
    assert _count(engine, Input) == 1


def test_every_refusal_code_reads_well_in_finnish_swedish_and_english() -> None:
    source = Path(intake.__file__).read_text(encoding="utf-8")
    codes = set(re.findall(r'IntakeError\("(\w+)"', source))
    assert "store_busy" in codes
    for code in codes:
        texts = [message(key=code, lang=lang) for lang in LANGS]
        assert all(texts) and len(set(texts)) == len(LANGS), code


@pytest.mark.parametrize(
    ("first", "again", "same"),
    [
        ("Lisää junia Kajaaniin", "LISÄÄ JUNIA KAJAANIIN!!!", True),
        ("Lisää junia Kajaaniin", "lisää   junia, kajaaniin", True),
        ("Lisää junia Kajaaniin", "Lisää juniiiiaaa Kajaaniin", True),  # stretched letters
        ("tuuli", "tuli", False),  # a doubled letter is Finnish, not spam
        ("🚆", "👍", False),  # nothing but emoji: compared as written
        ("Lisää junia Kajaaniin", "Lisää junia Kajaaniin ja Ouluun", False),
    ],
)
def test_the_same_idea_resent_with_other_capitals_punctuation_or_spacing_is_one_input(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join, first: str, again: str, same: bool
) -> None:
    token = join()
    one = _submit(engine, live_event, catalogue, token, "T1-idea", text=first)
    two = _submit(engine, live_event, catalogue, token, "T1-idea", text=again)
    assert two.duplicate is same
    assert (two.input_id == one.input_id) is same
    assert _count(engine, Input) == (1 if same else 2)


def test_the_same_words_in_another_order_are_one_answer(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token = join()
    _submit(engine, live_event, catalogue, token, "T1-words", text="juna tie silta")
    assert _submit(engine, live_event, catalogue, token, "T1-words", text="Silta, juna, tie").duplicate


def test_a_phone_sending_faster_than_anyone_types_is_told_to_wait_and_loses_nothing(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    token, other = join(), join()
    for n in range(intake.SUBMITS.limit):
        _submit(engine, live_event, catalogue, token, "T1-idea", text=f"Idea numero {n}")
    with pytest.raises(IntakeError) as err:
        _submit(engine, live_event, catalogue, token, "T1-idea", text="Yksi liikaa")
    assert err.value.code == "too_fast"
    assert 0 < int(err.value.params["seconds"]) <= 60  # type: ignore[call-overload]
    _submit(engine, live_event, catalogue, other, "T1-idea", text="Toisen puhelimen idea")  # others unaffected
    assert _count(engine, Input) == intake.SUBMITS.limit + 1


def test_upvotes_are_rate_limited_per_phone(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join
) -> None:
    author, voter = join(), join()
    ideas = [
        _submit(engine, live_event, catalogue, author, "T1-idea", text=f"Idea {n}", throttle=None).input_id
        for n in range(intake.UPVOTES.limit + 1)
    ]
    for idea in ideas[:-1]:
        assert intake.upvote(engine=engine, event=live_event, token=voter, input_id=idea)
    with pytest.raises(IntakeError, match="too_fast"):
        intake.upvote(engine=engine, event=live_event, token=voter, input_id=ideas[-1])
    assert _count(engine, Vote) == intake.UPVOTES.limit


@pytest.mark.parametrize(
    ("lang", "text", "held"),
    [
        ("fi", "Vitun hyvä idea", True),  # every language's list has it
        ("sv", "Vitun hyvä idea", True),
        ("sv", "Det här är skit", True),
        ("fi", "Det här är skit", False),  # Swedish list only
        ("en", "fy fan", False),  # "fan" is an English word
        ("fi", "Lisää junia", False),
    ],
)
def test_a_word_filter_hit_is_stored_but_waits_hidden_for_a_facilitator_with_the_reason_logged(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join, lang: str, text: str, held: bool
) -> None:
    receipt = _submit(engine, live_event, catalogue, join(lang=lang), "T1-idea", text=text)
    assert receipt.held is held
    with Session(engine) as s:
        row = s.get(Input, receipt.input_id)
        assert row is not None and (row.held, row.hidden, row.text) == (held, held, text)
        logged = s.scalars(select(ModerationEntry.actor).where(ModerationEntry.input_id == row.id)).all()
    assert logged == (["word filter"] if held else [])


@pytest.mark.parametrize(
    ("question_id", "kwargs", "held"),
    [
        ("T1-idea", {"text": "Lisää junia"}, True),
        ("T1-words", {"text": "juna tie"}, True),
        ("T1-poll", {"option": "funding"}, False),  # no text: nothing to moderate
        ("T1-rating", {"ratings": {"P1": 4}}, False),
    ],
)
def test_in_pre_moderation_new_text_waits_hidden_until_approved(
    engine: Engine,
    live_event: Event,
    catalogue: Catalogue,
    join: Join,
    question_id: str,
    kwargs: dict[str, object],
    held: bool,
) -> None:
    live.set_premoderation(engine=engine, event=live_event, on=True)
    receipt = _submit(engine, live_event, catalogue, join(), question_id, **kwargs)
    assert receipt.held is held
    if held:
        live.moderate(engine=engine, event=live_event, input_id=receipt.input_id, action="approve", actor="test")
    with Session(engine) as s:
        row = s.get(Input, receipt.input_id)
        assert row is not None and (row.held, row.hidden) == (False, False)


@pytest.mark.parametrize("action", ["submit", "upvote", "join"])
def test_a_closed_event_refuses_every_input_with_its_own_message(
    engine: Engine, live_event: Event, catalogue: Catalogue, join: Join, action: str
) -> None:
    author, voter = join(), join()
    idea = _submit(engine, live_event, catalogue, author, "T1-idea", text="Ennen loppua").input_id
    live.set_closed(engine=engine, event=live_event, closed=True)
    with pytest.raises(IntakeError, match="event_closed"):
        if action == "submit":
            _submit(engine, live_event, catalogue, voter, "T1-idea", text="Liian myöhään")
        elif action == "upvote":
            intake.upvote(engine=engine, event=live_event, token=voter, input_id=idea)
        else:
            join()
    assert (_count(engine, Input), _count(engine, Vote), _count(engine, Participant)) == (1, 0, 2)


def test_joins_from_one_address_are_rate_limited_and_other_addresses_are_not(
    engine: Engine, live_event: Event, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake.JOINS, "limit", 3)  # 200 in the app: a whole room behind one address

    def join_from(client: str) -> str:
        return intake.join(
            engine=engine, event=live_event, channel="room", region=None, org_type=None, lang="fi",
            catalogue=catalogue, client=client,
        )  # fmt: skip

    for _ in range(intake.JOINS.limit):
        join_from("hall-wifi")
    with pytest.raises(IntakeError, match="join_busy"):
        join_from("hall-wifi")
    join_from("someone-at-home")
    assert _count(engine, Participant) == intake.JOINS.limit + 1
