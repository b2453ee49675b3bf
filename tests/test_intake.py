from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alkedash import intake, live
from alkedash.content import Catalogue, Event
from alkedash.intake import IntakeError
from alkedash.models import Input, Participant, Rating, Vote

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
