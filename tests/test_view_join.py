from __future__ import annotations

import re

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


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "Tapahtuma on päättynyt"), ("sv", "Evenemanget har avslutats"), ("en", "The event has ended")],
)
def test_after_the_event_is_closed_a_phone_is_told_so_instead_of_a_form(  # type: ignore[no-untyped-def]
    app, event: Event, lang: str, expected: str
) -> None:
    at = _joined(app, event, lang=lang)
    live.set_closed(engine=app.engine, event=event, closed=True)
    at.run()
    assert expected in at.info[0].value
    assert not at.text_area and not at.button
    late = app(code="ALKE25", lang=lang)  # a newcomer gets no join form either
    assert expected in late.info[0].value and not late.radio


def test_in_pre_moderation_a_saved_idea_says_it_waits_for_the_facilitator(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    live.set_premoderation(engine=app.engine, event=event, on=True)
    at = _joined(app, event)
    at.text_area[0].input("Odottaa tarkistusta")
    at.button[0].click().run()
    assert any("kun fasilitaattori on katsonut sen" in s.value for s in at.success)
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT held, hidden FROM inputs")).one() == (True, True)


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


# --- hostile input through the real page ---------------------------------------------------------

GOOD_IDEA = "Maakuntien yhteinen TKI-tiekartta"
EMPTY = "Kirjoita vastaus ennen lähettämistä."
TOO_MANY = "Enintään 3 sanaa, kiitos."


@pytest.mark.parametrize(
    ("form", "typed", "lang", "refusal", "stored"),
    [
        pytest.param("idea", "", "fi", EMPTY, None, id="idea: empty"),
        pytest.param("idea", "  \n\t \n ", "fi", EMPTY, None, id="idea: whitespace only"),
        pytest.param("idea", "\u200b\u200c\u200d\u2060\ufeff", "fi", EMPTY, None, id="idea: only zero-width"),
        # Streamlit cuts a text area's value to its max_chars on the server too: 501 arrive as 500.
        pytest.param("idea", "a" * 501, "fi", None, "a" * 500, id="idea: 501 characters"),
        pytest.param("idea", "a" * 500, "fi", None, "a" * 500, id="idea: 500 characters"),
        # 300 characters that NFC makes 600 (U+0958 is U+0915 U+093C): the app's own limit answers.
        pytest.param(
            "idea",
            "\u0958" * 300,
            "fi",
            "Vastaus on liian pitkä: enintään 500 merkkiä.",
            None,
            id="idea: 600 after NFC",
        ),
        pytest.param(
            "idea",
            "Idea\x00 jossa NUL\x07 ja \x1b[31m merkkejä",
            "fi",
            None,
            "Idea jossa NUL ja [31m merkkejä",
            id="idea: NUL and control characters",
        ),
        pytest.param("idea", "\u202eevil\u202c تعاون الأقاليم", "fi", None, "evil تعاون الأقاليم", id="idea: RTL"),
        pytest.param(
            "idea", "🚆 Raideyhteydet kuntoon 👍🏽", "fi", None, "🚆 Raideyhteydet kuntoon 👍🏽", id="idea: emoji"
        ),
        pytest.param("idea", "<script>alert(1)</script>", "fi", None, "<script>alert(1)</script>", id="idea: script"),
        pytest.param(
            "idea", "<img src=x onerror=alert(1)>", "fi", None, "<img src=x onerror=alert(1)>", id="idea: img"
        ),
        pytest.param(
            "idea", "**x** [a](javascript:alert(1))", "fi", None, "**x** [a](javascript:alert(1))", id="idea: Markdown"
        ),
        pytest.param("idea", '=HYPERLINK("http://x")', "fi", None, '=HYPERLINK("http://x")', id="idea: formula"),
        pytest.param("idea", "'; DROP TABLE inputs; --", "fi", None, "'; DROP TABLE inputs; --", id="idea: SQL"),
        pytest.param("words", "", "fi", EMPTY, None, id="words: empty"),
        pytest.param("words", " \u00a0 ", "fi", EMPTY, None, id="words: whitespace only"),
        pytest.param("words", "\u200b\u200d\ufeff", "fi", EMPTY, None, id="words: only zero-width"),
        pytest.param("words", "yksi kaksi kolme neljä", "fi", TOO_MANY, None, id="words: 4 words"),
        pytest.param(
            "words", "a" * 41, "fi", "Yksi sana saa olla enintään 40 merkkiä.", None, id="words: a 41-character word"
        ),
        pytest.param("words", "a" * 40, "fi", None, "a" * 40, id="words: a 40-character word"),
        pytest.param("words", "osaaminen\x00vienti\x1f", "fi", None, "osaaminen vienti", id="words: NUL and control"),
        pytest.param("words", "\u202eosaaminen\u202c شكرا", "fi", None, "osaaminen شكرا", id="words: RTL"),
        pytest.param("words", "🚆, vienti", "fi", None, "🚆 vienti", id="words: emoji"),
        pytest.param("words", "<script>alert(1)</script>", "fi", None, "<script>alert(1)</script>", id="words: script"),
        pytest.param(
            "words", "<img src=x onerror=alert(1)>", "fi", None, "<img src=x onerror=alert(1)>", id="words: img"
        ),
        pytest.param(
            "words",
            "**x** [a](javascript:alert(1))",
            "fi",
            None,
            "**x** [a](javascript:alert(1))",
            id="words: Markdown",
        ),
        pytest.param("words", '=HYPERLINK("http://x")', "fi", None, '=HYPERLINK("http://x")', id="words: formula"),
        # Split at spaces, commas and semicolons it is five words: ' DROP TABLE inputs --
        pytest.param("words", "'; DROP TABLE inputs; --", "fi", TOO_MANY, None, id="words: SQL"),
        pytest.param("words", "ett två tre fyra", "sv", "Högst 3 ord, tack.", None, id="words: 4 words, Swedish"),
    ],
)
def test_hostile_input_is_refused_in_the_participants_language_or_stored_cleaned(  # type: ignore[no-untyped-def]
    app, event: Event, form: str, typed: str, lang: str, refusal: str | None, stored: str | None
) -> None:
    from alkedash.messages import message

    at = _joined(app, event, lang=lang)
    at.text_area(key="text-T1-idea").input(GOOD_IDEA)
    next(b for b in at.button if b.form_id == "q-T1-idea").click().run()
    # set_value, not input: a hostile client is not held back by the browser's max_chars.
    field = at.text_area(key="text-T1-idea") if form == "idea" else at.text_input(key="text-T1-words")
    field.set_value(typed)
    next(b for b in at.button if b.form_id == f"q-T1-{form}").click().run()

    assert not at.exception
    errors = [e.value for e in at.error]
    if refusal is not None:
        assert errors == [refusal]
    else:
        assert errors == []
        assert message(key="saved", lang=lang) in [s.value for s in at.success]
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT question_id, text FROM inputs ORDER BY id")).all()
    expected = [("T1-idea", GOOD_IDEA)] + ([(f"T1-{form}", stored)] if stored is not None else [])
    assert [tuple(r) for r in rows] == expected

    at.run()  # the whole page again, with the idea list: participants' text is shown as plain text
    assert not at.exception
    assert at.title[0].value == event.event.name(lang)  # type: ignore[misc]
    shown = [t.value for t in at.text]
    assert GOOD_IDEA in shown
    if form == "idea" and stored is not None:
        assert stored in shown
        assert not [m.value for m in at.markdown if stored in m.value]  # never as Markdown


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_phone_has_one_h1_then_h2_and_h3_and_a_label_on_every_input(app, event: Event, lang: str) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25", lang=lang)
    assert len(at.title) == 1 and [h.value for h in at.header]  # the event (h1), "join" (h2)
    assert not at.subheader  # no h3 without its h2
    for widget in [*at.radio, *at.selectbox, *at.get("segmented_control")]:
        assert widget.label.strip()
    at = _joined(app, event, lang)
    assert len(at.title) == 1
    assert [h.value for h in at.header][:1] == [event.themes[0].title(lang)]  # the theme (h2)
    prompts = {q.prompt(lang) for q in event.themes[0].questions}
    assert prompts <= {s.value for s in at.subheader}  # each question (h3)
    for widget in [*at.text_area, *at.text_input, *at.radio, *at.get("segmented_control")]:
        assert widget.label.strip(), widget


def test_the_phones_css_has_no_fixed_pixel_widths(app) -> None:  # type: ignore[no-untyped-def]
    """200 % zoom on a 360 px phone leaves 180 CSS px: nothing may be wider than that."""
    at = app(code="ALKE25")
    css = " ".join(h.proto.body for h in at.get("html") if "<style>" in h.proto.body)
    assert "max-width: 40rem" in css
    assert not re.search(r"(?<![-\w])(min-)?width:\s*\d+px", css)
