from __future__ import annotations

import pytest


def test_a_visitor_lands_on_the_join_page(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    assert not at.exception
    assert at.header[0].value == "Liity keskusteluun"  # h2 under the event's h1


def _titles(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(info.get("page_name")) for info in at._registered_pages.values()]


@pytest.mark.parametrize(
    ("lang", "role", "titles"),
    [
        # "Muistioiden kommentointi" is registered so that its link opens it, but hidden from the menu
        # (tests/test_app_websocket.py checks what the navigation lists)
        (
            "fi",
            None,
            [
                "Osallistu",
                "Ohjelma",
                "Aikajana",
                "Näyttö",
                "Tietosuoja",
                "Saavutettavuus",
                "Muistioiden kommentointi",
                "Kirjautuminen",
            ],
        ),
        (
            "sv",
            None,
            [
                "Delta",
                "Program",
                "Tidslinje",
                "Skärm",
                "Dataskydd",
                "Tillgänglighet",
                "Kommentarer på promemoriorna",
                "Inloggning",
            ],
        ),
        (
            "en",
            "organiser",
            [
                "Take part",
                "Programme",
                "Timeline",
                "Screen",
                "Privacy",
                "Accessibility",
                "Commenting on the memos",
                "Facilitation",
                "Analysis",
                "Events",
                "Memos",
                "Summary",
                "Sign in",
            ],
        ),
    ],
)
def test_the_navigation_is_in_the_visitors_language(app, lang: str, role: str | None, titles: list[str]) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25", lang=lang, role=role)
    assert not at.exception
    assert _titles(at) == titles


def test_the_language_picker_changes_the_language_and_the_next_page_keeps_it(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    picker = at.button_group(key="lang-global")
    assert picker.label == "Kieli / Språk / Language" and picker.value == "fi"
    assert picker.options == ["Suomi", "Svenska", "English"]
    picker.set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] == "en" and at.header[0].value == "Join the discussion"
    assert "Take part" in _titles(at)
    at.button_group(key="lang-global").set_value("sv").run()
    assert at.query_params["lang"] == "sv" and at.header[0].value == "Delta i diskussionen"
    at.switch_page("views/privacy.py").run()
    assert at.title[0].value == "Dataskyddsbeskrivning" and at.button_group(key="lang-global").value == "sv"


def test_the_projector_screen_has_no_language_picker(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/screen.py", code="ALKE25")
    assert not at.exception
    assert not [e for e in at.get("button_group") if e.key == "lang-global"]
