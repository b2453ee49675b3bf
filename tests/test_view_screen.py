from __future__ import annotations

import pytest

from alkedash import demo, live
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
