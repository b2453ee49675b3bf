from __future__ import annotations

import pytest
from sqlalchemy import text

from alkedash import live
from alkedash.content import Event


def test_a_phone_joins_from_the_qr_url_and_keeps_its_token_in_the_url(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    assert not at.exception
    assert at.title[0].value == "Aluekehittämisen keskustelut 2025"
    at.radio[0].set_value("stream")
    at.selectbox[0].set_value("MK06")
    at.button[0].click().run()  # "Liity"
    token = at.query_params["p"]
    assert token and isinstance(token[0] if isinstance(token, list) else token, str)
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT channel, region FROM participants")).one() == ("stream", "MK06")


def test_joining_without_a_channel_explains_what_is_missing(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    at.button[0].click().run()
    assert "Valitse, osallistutko salissa vai striimin kautta." in [e.value for e in at.error]
    assert "p" not in at.query_params


def test_an_unknown_join_code_asks_for_the_code_again(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="WRONG1")
    assert at.error[0].value.startswith("Liittymiskoodia ei tunnistettu")
    assert at.text_input[0].label == "Liittymiskoodi"


def _joined(app, event: Event, lang: str = "fi"):  # type: ignore[no-untyped-def]
    for q in event.themes[0].questions:
        live.set_open(engine=app.engine, event=event, question_id=q.id, is_open=True)
    at = app(code="ALKE25", lang=lang)
    at.radio[0].set_value("room")
    at.button[0].click().run()
    return at


def test_an_open_idea_question_takes_an_answer_and_confirms_it(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = _joined(app, event)
    at.text_area[0].input("Yhteinen TKI-tiekartta")
    at.button[0].click().run()  # the first form's "Lähetä"
    assert "Kiitos! Vastauksesi on tallennettu." in [s.value for s in at.success]
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT text, channel FROM inputs")).one() == ("Yhteinen TKI-tiekartta", "room")


@pytest.mark.parametrize(
    ("lang", "idea", "offer", "preselected"),
    [
        ("fi", "Raideyhteydet ja lentoliikenne kuntoon", "Liitä ideasi ALKE-päätöksen kohtiin", ["E1"]),
        ("sv", "Järnvägen och flygtrafiken", "Koppla din idé till delar av ALKE-beslutet", ["E1"]),
        ("fi", "Hyvä kysymys", "Liitä ideasi ALKE-päätöksen kohtiin", []),
    ],
)
def test_a_saved_idea_can_be_linked_to_frame_elements_its_words_preselect(  # type: ignore[no-untyped-def]
    app, event: Event, lang: str, idea: str, offer: str, preselected: list[str]
) -> None:
    at = _joined(app, event, lang=lang)
    at.text_area[0].input(idea)
    at.button[0].click().run()
    button = at.button(key="tag-T1-idea")
    assert button.label == offer
    assert not [g for g in at.button_group if g.key and g.key.startswith("tags-")]  # nothing asked before the tap
    button.click().run()
    pills = next(g for g in at.button_group if g.key and g.key.startswith("tags-T1-idea-"))
    assert list(pills.value) == preselected
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM input_tags")).scalar() == 0  # a suggestion, not a tag
    pills.set_value([*preselected, "X1"])
    at.button(key="save-tags-T1-idea").click().run()
    assert not at.exception
    with app.engine.connect() as conn:
        stored = conn.execute(text("SELECT element FROM input_tags ORDER BY element")).scalars().all()
    assert stored == sorted([*preselected, "X1"])
    assert not [g for g in at.button_group if g.key and g.key.startswith("tags-")]  # asked once


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "Kirjoita vastaus ennen lähettämistä."),
        ("sv", "Skriv ett svar innan du skickar."),
        ("en", "Please write an answer before sending."),
    ],
)
def test_an_empty_answer_is_explained_in_the_participants_language(app, event: Event, lang: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    at = _joined(app, event, lang=lang)
    at.button[0].click().run()
    assert expected in [e.value for e in at.error]
    assert not at.exception


def test_with_nothing_open_the_phone_asks_to_wait(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    at.radio[0].set_value("room")
    at.button[0].click().run()
    assert "fasilitaattori avaa pian" in at.info[0].value


def test_a_participant_who_visits_the_programme_comes_back_as_the_same_person(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25", lang="sv")
    at.radio[0].set_value("room")
    at.button[0].click().run()
    token = at.query_params["p"]
    at.query_params.clear()  # what Streamlit's navigation does to the URL
    at.switch_page("views/programme.py").run()
    at.switch_page("views/join.py").run()
    assert at.query_params["p"] == token
    assert at.query_params["lang"] == "sv"
    assert not [s for s in at.subheader if s.value == "Delta i diskussionen"]  # not asked to join again
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM participants")).scalar() == 1
