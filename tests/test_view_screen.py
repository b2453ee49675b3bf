from __future__ import annotations

import dataclasses
import json
import re

import pytest

from alkedash import charts, demo, live, recent
from alkedash.content import Catalogue, Event


@pytest.mark.parametrize("question_id", ["T2-idea", "T2-words", "T2-rating", "T2-poll"])
def test_the_screen_shows_each_kind_of_result_with_a_table(
    app, catalogue: Catalogue, event: Event, question_id: str
) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=12)
    live.set_question(engine=app.engine, event=event, question_id=question_id)
    live.set_revealed(engine=app.engine, event=event, revealed=True)
    at = app(page="views/screen.py")
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert event.question(question_id)[1].prompt("fi") in html  # type: ignore[index]
    assert "Salissa" in html and "/ 140 paikkaa" in html
    assert at.expander[0].label == "Taulukko"
    assert len(at.dataframe) == 1
    if question_id == "T2-words":
        assert len(at.image) == 1


def test_results_stay_hidden_until_the_facilitator_reveals_them(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=5)
    at = app(page="views/screen.py")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "tulokset näytetään pian" in html
    assert not at.dataframe


def test_the_screen_shows_the_qr_code_and_the_join_code(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/screen.py")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "data:image/svg+xml" in html and "ALKE25" in html
    assert 'alt="QR-koodi' in html


def test_the_screen_speaks_swedish_when_asked(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/screen.py", lang="sv")
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Delta med telefonen" in html and "I salen" in html


def _page_text(at) -> str:  # type: ignore[no-untyped-def]
    return " ".join(h.proto.body for h in at.get("html"))


def test_the_screen_follows_the_facilitators_language_on_its_next_refresh(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    live.set_question(engine=app.engine, event=event, question_id="T2-poll")
    live.set_revealed(engine=app.engine, event=event, revealed=True)
    at = app(page="views/screen.py")
    assert "Osallistu puhelimella" in _page_text(at) and "Salissa" in _page_text(at)
    live.set_screen_lang(engine=app.engine, event=event, lang="sv")
    recent.SCREENS.clear()  # the next refresh: the shared reading is older than its second
    at.run()
    assert not at.exception
    shown = _page_text(at)
    # the QR's caption beside the refreshing part, the counts and the question all in Swedish
    assert "Delta med telefonen" in shown and "I salen" in shown and "Osallistu puhelimella" not in shown
    assert event.question("T2-poll")[1].prompt("sv") in shown  # type: ignore[index]
    assert at.expander[0].label == "Tabell"


def test_a_refresh_that_finds_another_language_redraws_the_whole_page(
    app, event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The page drew its QR caption in Finnish; the fragment's own refresh then reads Swedish and
    reruns the app, so nothing is left in the old language."""
    at = app(page="views/screen.py")
    live.set_screen_lang(engine=app.engine, event=event, lang="sv")
    real, reads = live.current, []

    def stale_first(**kw: str) -> live.LiveView:
        view = real(**kw)
        reads.append(view)
        return dataclasses.replace(view, screen_lang="fi") if len(reads) == 1 else view

    monkeypatch.setattr(live, "current", stale_first)
    monkeypatch.setattr(recent.SCREENS, "max_age", 0.0)  # every read goes to the store
    at.run()
    assert not at.exception
    assert len(reads) >= 3  # the page's (stale), the fragment's (new), the rerun's
    assert "Delta med telefonen" in _page_text(at) and "Osallistu puhelimella" not in _page_text(at)


@pytest.mark.parametrize("url_lang", ["en", "sv"])
def test_the_urls_language_wins_over_the_facilitators(app, event: Event, url_lang: str) -> None:  # type: ignore[no-untyped-def]
    live.set_screen_lang(engine=app.engine, event=event, lang="fi" if url_lang != "fi" else "sv")
    at = app(page="views/screen.py", lang=url_lang)
    assert ("Take part on your phone" if url_lang == "en" else "Delta med telefonen") in _page_text(at)


def test_the_screen_is_set_in_large_high_contrast_type(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    live.set_question(engine=app.engine, event=event, question_id="T2-idea")
    live.set_revealed(engine=app.engine, event=event, revealed=True)
    at = app(page="views/screen.py")
    shown = _page_text(at)
    rules = {sel.strip(): body for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", shown)}
    sizes = {sel: float(m[1]) for sel, body in rules.items() if (m := re.search(r"font-size: ([\d.]+)rem", body))}
    assert sizes["h1.scr-question"] >= 2.6 and sizes[".scr-count"] >= 1.6 and sizes["ol.scr-ideas"] >= 1.5
    for colour in set(re.findall(r"color: (#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b", shown)):
        full = colour if len(colour) == 7 else "#" + "".join(c * 2 for c in colour[1:])
        assert charts.contrast(full, "#FFFFFF") >= 7.0, colour
    assert '<h1 class="scr-question">' in shown and '<h2 class="scr-heading">' in shown


def test_the_screens_charts_use_projector_type(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=8)
    live.set_question(engine=app.engine, event=event, question_id="T2-rating")
    live.set_revealed(engine=app.engine, event=event, revealed=True)
    at = app(page="views/screen.py", lang="en")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["font"]["size"] >= 20
    assert {t["name"] for t in figure["data"]} == {"In the room", "On the stream"}
