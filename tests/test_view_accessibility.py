"""The accessibility statement: in the visitor's language, reachable from every page, the feedback
contact from the settings and shown as text, every known gap listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alkedash import accessibility, settings
from alkedash.translation import translator

ROOT = Path(__file__).resolve().parent.parent


def _shown(at: AppTest) -> str:
    """The page's markdown as rendered: markdown escapes gone."""
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


@pytest.mark.parametrize(
    ("lang", "title", "supervisor", "website"),
    [
        ("fi", "Saavutettavuusseloste", "Etelä-Suomen aluehallintovirasto", "saavutettavuusvaatimukset.fi"),
        ("sv", "Tillgänglighetsutlåtande", "Regionförvaltningsverket i Södra Finland", "tillganglighetskrav.fi"),
        (
            "en",
            "Accessibility statement",
            "Regional State Administrative Agency for Southern Finland",
            "webaccessibility.fi",
        ),
    ],
)
def test_the_statement_is_in_the_visitors_language(app, lang: str, title: str, supervisor: str, website: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/accessibility.py", code="ALKE25", lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    shown = _shown(at)
    assert supervisor in shown and website in shown
    assert "saavutettavuus@avi.fi" in shown and "0295 016 000" in shown
    assert "306/2019" in shown and "WCAG 2.1" in shown
    _ = translator(lang=lang)
    assert _.date(accessibility.UPDATED) in shown


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_known_gap_is_listed_with_its_criterion(app, lang: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/accessibility.py", lang=lang)
    shown = _shown(at)
    _ = translator(lang=lang)
    assert accessibility.KNOWN_GAPS
    for gap in accessibility.KNOWN_GAPS:
        assert _(gap.text) in shown
        for criterion in gap.criteria:
            assert criterion in shown
    assert _(accessibility.CONFORMANCE_TEXTS[accessibility.CONFORMANCE]) in shown


def test_the_feedback_contact_comes_from_the_settings_and_is_shown_as_text(
    app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALKEDASH_ACCESSIBILITY_CONTACT", "saavutettavuus@alke.invalid <b>[x](javascript:y)</b>")
    settings._settings.cache_clear()
    at = app(page="views/accessibility.py", lang="en")
    feedback = next(m.value for m in at.markdown if "14 days" in m.value)
    assert "saavutettavuus@alke\\.invalid \\<b\\>\\[x\\]\\(javascript\\:y\\)\\</b\\>" in feedback
    assert "Tell us:" in feedback


def test_without_its_own_contact_the_privacy_contact_is_used(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ALKEDASH_ACCESSIBILITY_CONTACT", raising=False)
    monkeypatch.setenv("ALKEDASH_CONTACT_EMAIL", "alke@example.invalid")
    settings._settings.cache_clear()
    at = app(page="views/accessibility.py", lang="sv")
    assert any("alke@example\\.invalid" in m.value and "14 dagar" in m.value for m in at.markdown)


def test_without_any_contact_the_organiser_is_named(app, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("ALKEDASH_ACCESSIBILITY_CONTACT", raising=False)
    monkeypatch.delenv("ALKEDASH_CONTACT_EMAIL", raising=False)
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "none.toml")
    settings._settings.cache_clear()
    at = app(page="views/accessibility.py", code="ALKE25", lang="fi")
    assert not at.exception
    assert "Kerro siitä tapahtuman järjestäjälle, Työ- ja elinkeinoministeriö." in _shown(at)


@pytest.mark.parametrize("role", [None, "facilitator", "organiser"])
def test_every_visitor_can_reach_the_statement(app, role: str | None) -> None:  # type: ignore[no-untyped-def]
    at = app(role=role)
    at.switch_page("views/accessibility.py").run()
    assert not at.exception
    assert at.title[0].value == "Saavutettavuusseloste"


@pytest.mark.parametrize(
    ("lang", "privacy", "statement"),
    [
        ("fi", "Tietosuoja", "Saavutettavuusseloste"),
        ("sv", "Dataskydd", "Tillgänglighetsutlåtande"),
        ("en", "Privacy", "Accessibility statement"),
    ],
)
def test_footer_links_name_both_pages_in_the_language(tmp_path: Path, lang: str, privacy: str, statement: str) -> None:
    """ui.footer_links on a page without the navigation bar (a script beside the project's views/)."""
    (tmp_path / "views").symlink_to(ROOT / "views")
    script = tmp_path / "page.py"
    script.write_text(
        "import streamlit as st\n"
        "from alkedash import ui\n"
        "st.navigation([st.Page('views/join.py', default=True), st.Page('views/privacy.py', url_path='privacy'),\n"
        "    st.Page('views/accessibility.py', url_path='accessibility')], position='hidden')\n"
        "ui.footer_links(lang=st.query_params['lang'])\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(script), default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    links = {e.proto.label: e.proto.page for e in at.get("page_link")}
    assert links[privacy].endswith("privacy") and links[statement].endswith("accessibility")
