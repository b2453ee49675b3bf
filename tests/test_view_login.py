from __future__ import annotations

import pytest

ORGANISER = "organiser-password"  # conftest's app fixture stores it as a hash


@pytest.mark.parametrize(
    ("password", "role", "greeting"),
    [
        ("apptest-password", "facilitator", "Olet kirjautunut fasilitaattorina."),
        (ORGANISER, "organiser", "Olet kirjautunut järjestäjänä."),
    ],
)
def test_the_password_decides_the_role(app, password: str, role: str, greeting: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    at.text_input[0].input(password)
    at.button[0].click().run()
    assert at.session_state["alkedash_role"] == role
    assert at.success[0].value == greeting


@pytest.mark.parametrize("guess", ["", "wrong", "apptest-password ", "APPTEST-PASSWORD", "organiser-password\n"])
def test_a_wrong_password_is_refused(app, guess: str) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    at.text_input[0].input(guess)
    at.button[0].click().run()
    assert "alkedash_role" not in at.session_state
    assert at.error[0].value == "Väärä salasana."


def test_after_five_wrong_guesses_even_the_right_password_waits(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    for n in range(5):
        at.text_input[0].input(f"guess-{n}")
        at.button[0].click().run()
    assert at.error[0].value.startswith("Liian monta väärää yritystä. Yritä uudelleen 15 minuutin")
    at.text_input[0].input("apptest-password")
    at.button[0].click().run()
    assert "alkedash_role" not in at.session_state
    assert at.error[0].value.startswith("Liian monta väärää yritystä")


def test_without_a_configured_password_nobody_can_log_in(app, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alkedash import settings

    monkeypatch.delenv("ALKEDASH_FACILITATOR_PASSWORD")
    monkeypatch.delenv("ALKEDASH_ORGANISER_PASSWORD")
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "none.toml")
    at = app(page="views/login.py")
    assert "ALKEDASH_FACILITATOR_PASSWORD" in at.warning[0].value
    assert "ALKEDASH_ORGANISER_PASSWORD" in at.warning[0].value
    assert not at.text_input
