from __future__ import annotations

import pytest


def test_the_right_password_makes_the_visitor_a_facilitator(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    at.text_input[0].input("apptest-password")
    at.button[0].click().run()
    assert at.session_state["alkedash_role"] == "facilitator"
    assert at.success[0].value == "Olet kirjautunut fasilitaattorina."


@pytest.mark.parametrize("guess", ["", "wrong", "apptest-password ", "APPTEST-PASSWORD"])
def test_a_wrong_password_is_refused(app, guess: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    at.text_input[0].input(guess)
    at.button[0].click().run()
    assert "alkedash_role" not in at.session_state
    assert at.error[0].value == "Väärä salasana."


def test_without_a_configured_password_nobody_can_log_in(app, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alkedash import settings

    monkeypatch.delenv("ALKEDASH_FACILITATOR_PASSWORD")
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "none.toml")
    at = app(page="views/login.py")
    assert "ALKEDASH_FACILITATOR_PASSWORD" in at.warning[0].value
    assert not at.text_input
