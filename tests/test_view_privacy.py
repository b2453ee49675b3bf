"""The privacy notice: reachable from the join form, in the participant's language, no markup leaks."""

from __future__ import annotations

import pytest

from alkedash.messages import message


@pytest.mark.parametrize(
    ("lang", "title", "organiser"),
    [
        ("fi", "Tietosuojaseloste", "Työ- ja elinkeinoministeriö"),
        ("sv", "Dataskyddsbeskrivning", "Arbets- och näringsministeriet"),
        ("en", "Privacy notice", "Ministry of Economic Affairs and Employment"),
    ],
)
def test_the_notice_names_the_controller_in_the_participants_language(
    app, lang: str, title: str, organiser: str
) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/privacy.py", code="ALKE25", lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    shown = "\n".join(m.value for m in at.markdown).replace("\\", "")  # as rendered: markdown escapes gone
    assert organiser in shown and "IP" in shown


def test_the_contact_address_comes_from_the_settings(app, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALKEDASH_CONTACT_EMAIL", "alke@example.invalid")
    at = app(page="views/privacy.py", lang="en")
    assert any(m.value == "Contact: alke@example\\.invalid" for m in at.markdown)


def test_the_join_form_links_to_the_notice(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25", lang="sv")
    links = [e for e in at.get("page_link") if e.proto.label == message(key="privacy_link", lang="sv")]
    assert len(links) == 1 and links[0].proto.page.endswith("privacy")
