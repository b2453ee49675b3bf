"""The organiser's Events page: past events read-only, clone into a new event, edit, validation, export."""

from __future__ import annotations

import datetime as dt

import pytest

from alkedash import events, live

PAGE = "views/events.py"


def button(at, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def text_input(at, label: str):  # type: ignore[no-untyped-def]
    return next(t for t in at.text_input if t.label == label)


def stored_event(app, slug: str):  # type: ignore[no-untyped-def]
    """The event as the database holds it now: the page's process saves through its own engine, so
    this engine's directory is read again (as another server process would after REFRESH_SECONDS)."""
    events.forget(engine=app.engine)
    return events.by_slug(engine=app.engine, slug=slug)


def cloned(app):  # type: ignore[no-untyped-def]
    """The 2025 event cloned into ALKE26 on 18.3.2027 and saved, as an organiser does it."""
    at = app(page=PAGE, role="organiser")
    text_input(at, "Uuden tunniste").set_value("alke-2026")
    text_input(at, "Uuden liittymiskoodi").set_value("alke26")
    at.date_input[0].set_value(dt.date(2027, 3, 18))
    button(at, "Kloonaa ja avaa muokattavaksi").click().run()
    assert [s.value for s in at.success] == ["Kopio on luonnos: tallenna se, kun tiedot ovat valmiit."]
    for code, name in (
        ("Suomi", "ALKE-keskustelut 2026"),
        ("Svenska", "ALKE-diskussionerna 2026"),
        ("English", "ALKE 2026"),
    ):
        text_input(at, f"Nimi ({code})").set_value(name)
    button(at, "Tallenna tapahtuma").click().run()
    return at


def test_a_past_event_is_shown_read_only_with_its_themes(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page=PAGE, role="organiser")
    assert not at.exception
    assert at.title[0].value == "Tapahtumat"
    assert at.info[0].value.startswith("Tapahtuma on päättynyt 21. maaliskuuta 2025")
    assert "Tallenna tapahtuma" not in [b.label for b in at.button]  # nothing to save on a past event
    assert [e.label for e in at.expander][:3] == [
        "Alueellisten ja kansallisten toimien yhteensovitus talouskasvun vauhdittamiseksi",
        "Luonnon monimuotoisuuden turvaaminen",
        "Alueellinen resilienssi ja henkinen kriisinkestävyys",
    ]
    assert at.dataframe[0].value["Liittymiskoodi"].tolist() == ["ALKE25"]


def test_a_clone_saved_becomes_a_second_event_with_its_own_join_code_and_dates(app) -> None:  # type: ignore[no-untyped-def]
    at = cloned(app)
    assert not at.exception
    assert [s.value for s in at.success] == ["Tallennettu: ALKE-keskustelut 2026"]
    assert at.header[0].value == "ALKE-keskustelut 2026"
    overview = at.dataframe[0].value
    assert overview["Liittymiskoodi"].tolist() == ["ALKE26", "ALKE25"]
    assert overview["Vaihe"].tolist()[1] == "Mennyt"
    stored = stored_event(app, "alke-2026")
    assert stored is not None and stored.event.join_code == "ALKE26"
    assert (stored.event.starts, stored.days[-1]) == (dt.date(2027, 3, 18), dt.date(2027, 3, 19))
    assert live.current(engine=app.engine, event_slug="alke-2026").open_questions == frozenset()


def test_an_edit_is_saved_and_a_wrong_field_is_named_without_saving(app) -> None:  # type: ignore[no-untyped-def]
    at = cloned(app)
    text_input(at, "Kaupunki").set_value("Lahti")
    text_input(at, "Liittymiskoodi").set_value("a!")
    button(at, "Tallenna tapahtuma").click().run()
    assert at.error[0].value.startswith("Tapahtumaa ei tallennettu. Korjaa nämä:")
    assert "Liittymiskoodi: muoto ei kelpaa (4–12 isoa kirjainta tai numeroa, esim. ALKE26)" in at.error[0].value
    stored = stored_event(app, "alke-2026")
    assert stored is not None and stored.event.city == "Helsinki"
    text_input(at, "Liittymiskoodi").set_value("LAHTI26")
    button(at, "Tallenna tapahtuma").click().run()
    assert not at.error
    stored = stored_event(app, "alke-2026")
    assert stored is not None and (stored.event.city, stored.event.join_code) == ("Lahti", "LAHTI26")


def test_a_join_code_in_use_is_refused_with_a_clear_message(app) -> None:  # type: ignore[no-untyped-def]
    at = cloned(app)
    text_input(at, "Liittymiskoodi").set_value("ALKE25")
    button(at, "Tallenna tapahtuma").click().run()
    assert "Liittymiskoodi ALKE25 on jo toisen tapahtuman käytössä." in at.error[0].value


def test_closing_an_event_tells_the_phones_and_opening_it_again_too(app) -> None:  # type: ignore[no-untyped-def]
    at = cloned(app)
    button(at, "Sulje osallistuminen").click().run()
    assert live.current(engine=app.engine, event_slug="alke-2026").closed
    assert at.dataframe[0].value["Osallistuminen"].tolist() == ["Suljettu", "Avoinna"]
    button(at, "Avaa osallistumiselle").click().run()
    assert not live.current(engine=app.engine, event_slug="alke-2026").closed


@pytest.mark.parametrize(
    ("lang", "title", "past"),
    [
        ("sv", "Evenemang", "Evenemanget avslutades"),
        ("en", "Events", "The event ended on"),
    ],
)
def test_the_page_speaks_swedish_and_english(app, lang: str, title: str, past: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page=PAGE, role="organiser", lang=lang)
    assert at.title[0].value == title
    assert at.info[0].value.startswith(past)


@pytest.mark.parametrize("role", [None, "facilitator"])
def test_only_an_organiser_reaches_the_page(app, role: str | None) -> None:  # type: ignore[no-untyped-def]
    at = app(role=role)
    assert "views/events.py" not in str(at.get("navigation"))
    from streamlit.testing.v1 import AppTest

    direct = AppTest.from_file(str(__import__("pathlib").Path(__file__).parent.parent / PAGE), default_timeout=30)
    if role:
        direct.session_state["alkedash_role"] = role
    direct.run()
    assert direct.error and not direct.title
