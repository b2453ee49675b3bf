from __future__ import annotations


def test_a_visitor_lands_on_the_join_page(app) -> None:  # type: ignore[no-untyped-def]
    at = app(code="ALKE25")
    assert not at.exception
    assert at.header[0].value == "Liity keskusteluun"  # h2 under the event's h1
