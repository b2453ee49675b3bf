"""The summary page: only with the role, every download offered, the draft readable on the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alkedash import demo, summary
from alkedash.content import Catalogue, Event

VIEWS = Path(__file__).resolve().parent.parent / "views"
DOWNLOADS = [
    "Word (.docx)",
    "Excel (.xlsx)",
    "CSV-tiedostot (.zip)",
    "Verkkosivu (.html)",
    "Koko tapahtuman arkisto (.json)",
]


def test_without_the_role_the_summary_page_is_not_in_the_navigation(app) -> None:  # type: ignore[no-untyped-def]
    at = app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/summary.py")


def test_run_directly_without_the_role_the_summary_page_refuses(app) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(str(VIEWS / "summary.py"), default_timeout=30).run()
    assert "vain järjestäjille" in at.error[0].value
    assert not at.title


def test_a_facilitator_is_not_an_organiser(app) -> None:  # type: ignore[no-untyped-def]
    at = app(role="facilitator")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/summary.py")
    direct = AppTest.from_file(str(VIEWS / "summary.py"), default_timeout=30)
    direct.session_state["alkedash_role"] = "facilitator"
    direct.run()
    assert "vain järjestäjille" in direct.error[0].value and not direct.get("download_button")


def _download_labels(at: AppTest) -> list[str]:
    return [str(e.proto.label) for e in at.get("download_button")]


def test_the_page_offers_every_download_for_the_event_or_one_theme(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    at = app(page="views/summary.py", role="organiser", code="ALKE25")
    assert not at.exception
    assert at.title[0].value == "Yhteenveto ja lataukset"
    assert _download_labels(at) == DOWNLOADS
    assert at.selectbox("summary-scope").options == [
        "Koko tapahtuma",
        *(f"{t.id}: {t.title('fi')}" for t in event.themes),
    ]
    at.selectbox("summary-scope").set_value("T2").run()
    at.button_group("summary-lang").set_value("sv").run()
    assert not at.exception
    assert _download_labels(at) == DOWNLOADS


def test_the_draft_on_the_page_is_the_summarys_own(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    at = app(page="views/summary.py", role="organiser", code="ALKE25")
    at.toggle("summary-preview").set_value(True).run()
    assert not at.exception
    shown = [t.value for t in at.text]
    expected = summary.build(engine=app.engine, catalogue=catalogue, event=event, lang="fi")
    assert shown == [f"• {f}" for part in expected.themes for f in part.findings]


def test_erasing_needs_the_join_code_and_then_leaves_an_empty_event(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    stored = demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=6)
    at = app(page="views/summary.py", role="organiser", code="ALKE25")
    code = next(t for t in at.text_input if "liittymiskoodi" in t.label)
    code.input("ALKE24")
    at.button("FormSubmitter:erase-Poista pysyvästi").click().run()
    assert at.error[0].value == "Koodi ei täsmää. Mitään ei poistettu."
    assert summary.build(engine=app.engine, catalogue=catalogue, event=event).inputs == stored
    code = next(t for t in at.text_input if "liittymiskoodi" in t.label)
    code.input("alke25 ")
    at.button("FormSubmitter:erase-Poista pysyvästi").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Poistettu: {stored} vastausta, 6 osallistujaa")
    assert summary.build(engine=app.engine, catalogue=catalogue, event=event).inputs == 0
