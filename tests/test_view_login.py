from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.server import Server, free_port
from tests.conftest import require
from tests.oidc_provider import Provider

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


# --- single sign-on (Streamlit's OIDC login) ----------------------------------------------------

APP = str(Path(__file__).resolve().parent.parent / "app.py")
AUTH = {  # what st.login() needs; AppTest never follows the redirect, so the URLs go nowhere
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "apptest-cookie-secret",
        "client_id": "alkedash",
        "client_secret": "apptest-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
SSO_BUTTON = "Kirjaudu organisaation tunnuksella"


def _signed_on(user: dict[str, object], *, page: str = "views/login.py", secrets: dict[str, object] = AUTH) -> AppTest:
    """The app as a browser sees it that came back from the identity provider as `user` (st.user).
    Take the `app` fixture too: it sets the database and the passwords."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets = dict(secrets)
    at.user = dict(user)
    at.run()
    at.switch_page(page).run()
    return at


@pytest.fixture
def lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALKEDASH_FACILITATOR_EMAILS", "fasi@alke.fi,@kunta.fi")
    monkeypatch.setenv("ALKEDASH_ORGANISER_EMAILS", "jarjestaja@tem.fi")


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def test_with_sso_configured_the_login_page_offers_it_and_passwords_still_work(app, lists) -> None:  # type: ignore[no-untyped-def]
    at = _signed_on({"is_logged_in": False})
    assert not at.exception
    assert SSO_BUTTON in _labels(at)
    at.text_input[0].input("apptest-password")
    at.button[0].click().run()
    assert at.session_state["alkedash_role"] == "facilitator"
    assert at.success[0].value == "Olet kirjautunut fasilitaattorina."


def test_without_sso_configured_there_is_no_sso_button_and_st_user_is_left_alone(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No [auth]: st.user has no is_logged_in (AppTest's default user has only an address), and even a
    listed address opens nothing: only a sign-on Streamlit itself completed counts."""
    monkeypatch.setenv("ALKEDASH_FACILITATOR_EMAILS", "test@example.com")
    at = app(page="views/login.py")
    assert not at.exception
    assert SSO_BUTTON not in _labels(at)
    assert not at.success and not at.warning
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/facilitate.py")


@pytest.mark.parametrize(
    ("email", "verified", "greeting"),
    [
        ("fasi@alke.fi", True, "Olet kirjautunut fasilitaattorina."),
        ("Kuka.Tahansa@KUNTA.fi", None, "Olet kirjautunut fasilitaattorina."),  # by domain, any case
        ("jarjestaja@tem.fi", "true", "Olet kirjautunut järjestäjänä."),  # some providers send a string
    ],
)
def test_a_listed_address_signs_in_with_its_role(app, lists, email: str, verified: object, greeting: str) -> None:  # type: ignore[no-untyped-def]
    user: dict[str, object] = {"is_logged_in": True, "email": email}
    if verified is not None:
        user["email_verified"] = verified
    at = _signed_on(user)
    assert not at.exception
    assert at.success[0].value == greeting
    assert "alkedash_role" not in at.session_state  # the role is the address's, not a stored password's
    assert SSO_BUTTON not in _labels(at) and not at.text_input


def test_a_facilitator_by_sso_reaches_the_facilitator_page(app, lists) -> None:  # type: ignore[no-untyped-def]
    at = _signed_on({"is_logged_in": True, "email": "fasi@alke.fi", "email_verified": True}, page="views/facilitate.py")
    assert not at.exception
    assert at.title[0].value == "Fasilitointi"


@pytest.mark.parametrize(
    ("email", "verified", "shown"),
    [
        ("vieras@example.com", True, "`vieras@example.com`"),
        ("fasi@alke.fi", False, "`fasi@alke.fi`"),  # listed, but the provider has not verified it
    ],
)
def test_a_signed_in_person_without_a_role_is_told_so_and_reaches_nothing(  # type: ignore[no-untyped-def]
    app, lists, email: str, verified: bool, shown: str
) -> None:
    at = _signed_on({"is_logged_in": True, "email": email, "email_verified": verified})
    assert not at.exception
    warning = at.warning[0].value
    assert f"Olet kirjautunut tunnuksella {shown}, mutta sinulla ei ole fasilitaattorin oikeuksia." in warning
    assert "Pyydä oikeuksia järjestäjältä." in warning
    assert ("ei ole vahvistanut" in warning) is (verified is False)
    assert not at.success and SSO_BUTTON not in _labels(at)
    assert at.text_input  # the password still works
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/facilitate.py")


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        ("**iso**_[linkki](http://x.invalid)<b>@example.com", "`**iso**_[linkki](http://x.invalid)<b>@example.com`"),
        ("a`b``c@example.com", "``` a`b``c@example.com ```"),  # a longer fence than any run inside
        ("a\n\n# otsikko@example.com", "`a # otsikko@example.com`"),  # a blank line would end the span
    ],
)
def test_the_signed_in_address_is_shown_as_text_not_markup(app, lists, email: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    """In a code span: markdown shows it character for character, and Streamlit makes no link of it."""
    at = _signed_on({"is_logged_in": True, "email": email})
    assert f"Olet kirjautunut tunnuksella {shown}, mutta" in at.warning[0].value


def test_signing_out_without_a_role_ends_the_sso_session(app, lists) -> None:  # type: ignore[no-untyped-def]
    at = _signed_on({"is_logged_in": True, "email": "vieras@example.com"})
    at.button(key="sso-logout").click().run()
    assert not at.exception
    assert at.user == {"is_logged_in": False}
    at.run()  # the browser back from Streamlit's /auth/logout
    assert not at.warning and SSO_BUTTON in _labels(at)


def test_signing_out_signs_out_of_the_password_and_the_sso_both(app, lists) -> None:  # type: ignore[no-untyped-def]
    at = _signed_on({"is_logged_in": True, "email": "vieras@example.com"})
    at.text_input[0].input(ORGANISER)
    at.button[1].click().run()  # [0] is the sign-out of the role-less sign-on
    assert at.success[0].value == "Olet kirjautunut järjestäjänä."
    at.button[0].click().run()
    assert not at.exception
    assert "alkedash_role" not in at.session_state and at.user == {"is_logged_in": False}
    at.run()
    assert not at.success and not at.warning and SSO_BUTTON in _labels(at)


def test_signing_out_of_a_password_alone_draws_the_page_again(app) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/login.py")
    at.text_input[0].input("apptest-password")
    at.button[0].click().run()
    at.button[0].click().run()
    assert not at.exception
    assert "alkedash_role" not in at.session_state
    assert not at.success and at.text_input


# --- single sign-on end to end: real server, real Chromium, a fake identity provider -------------

CHROMIUM = os.environ.get("ALKEDASH_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Provider]]:
    """The app with an [auth] section pointing at a fake provider on loopback (tests/oidc_provider.py);
    the secrets file is its own (`--secrets.files`), never the project's .streamlit/."""
    require(Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    folder = tmp_path_factory.mktemp("sso")
    url = f"http://127.0.0.1:{free_port()}"
    db_url = f"sqlite:///{folder / 'day.db'}"
    with Provider(client_id="alkedash-e2e", client_secret=secrets.token_urlsafe(16)).running() as idp:
        secrets_file = folder / "secrets.toml"
        auth = {
            "redirect_uri": f"{url}/oauth2callback",
            "cookie_secret": secrets.token_urlsafe(32),
            "client_id": idp.client_id,
            "client_secret": idp.client_secret,
            "server_metadata_url": idp.metadata_url,
        }
        secrets_file.write_text("[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in auth.items()), encoding="utf-8")
        env = {
            **os.environ,
            "ALKEDASH_DATABASE_URL": db_url,
            "ALKEDASH_FACILITATOR_PASSWORD": "sso-test-password",
            "ALKEDASH_PUBLIC_URL": url,
            "ALKEDASH_FACILITATOR_EMAILS": "fasi@alke.fi",
            "ALKEDASH_ORGANISER_EMAILS": "@tem.fi",
        }
        log = folder / "server.log"
        srv = Server(url=url, db_url=db_url, env=env, options=["--secrets.files", str(secrets_file)], log=log)
        srv.start()
        try:
            yield srv, idp
        finally:
            srv.stop()


@pytest.fixture(scope="module")
def chromium(sso_server: tuple[Server, Provider]):  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        require(False, reason="the Python package playwright is not installed (requirements-dev.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        yield b
        b.close()


def _sso_sign_in(page, server: Server, idp: Provider, *, email: str) -> None:  # type: ignore[no-untyped-def]
    """Click the button on the login page; the provider signs `email` in and sends the browser back."""
    idp.email = email
    page.goto(f"{server.url}/login")
    button = page.get_by_role("button", name="Kirjaudu organisaation tunnuksella")
    button.wait_for()
    page.screenshot(path=str(SHOTS / "sso-login.png"), full_page=True)
    button.click()
    # Streamlit's callback lands on the home page; "commit", for Chromium reports no "load" after the redirects.
    page.wait_for_url(f"{server.url}/", wait_until="commit", timeout=20000)
    page.get_by_role("button", name="Liity").or_(page.get_by_text("Nyt keskustellaan")).first.wait_for()


def _heading(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("heading", name=name, exact=True)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("email", "role"), [("fasi@alke.fi", "fasilitaattorina"), ("Paallikko@TEM.fi", "järjestäjänä")]
)
def test_sso_in_a_real_browser_a_listed_address_reaches_the_facilitator_page(  # type: ignore[no-untyped-def]
    chromium, sso_server: tuple[Server, Provider], email: str, role: str
) -> None:
    server, idp = sso_server
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    before = len(idp.requests)
    _sso_sign_in(page, server, idp, email=email)
    assert {"GET /authorize", "POST /token"} <= set(idp.requests[before:]) and "GET /jwks" in idp.requests
    assert any(c["name"].startswith("_streamlit_user") for c in context.cookies())
    page.get_by_role("link", name="Fasilitointi").click()
    _heading(page, "Fasilitointi").wait_for()
    page.goto(f"{server.url}/facilitate")  # a new page load: the role comes back from the signed cookie
    _heading(page, "Fasilitointi").wait_for()
    page.goto(f"{server.url}/login")
    page.get_by_text(f"Olet kirjautunut {role}.").wait_for()
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(f"{server.url}/", wait_until="commit", timeout=20000)
    assert not any(c["name"].startswith("_streamlit_user") for c in context.cookies())
    page.goto(f"{server.url}/login")
    page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for()
    assert page.get_by_role("link", name="Fasilitointi").count() == 0
    context.close()


@pytest.mark.browser
def test_sso_in_a_real_browser_an_unlisted_address_reaches_nothing(  # type: ignore[no-untyped-def]
    chromium, sso_server: tuple[Server, Provider]
) -> None:
    server, idp = sso_server
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sso_sign_in(page, server, idp, email="vieras@example.com")
    assert any(c["name"].startswith("_streamlit_user") for c in context.cookies())
    page.goto(f"{server.url}/login")
    page.get_by_text("Olet kirjautunut tunnuksella vieras@example.com, mutta sinulla ei ole").wait_for()
    page.screenshot(path=str(SHOTS / "sso-no-role.png"), full_page=True)
    assert page.get_by_role("link", name="Fasilitointi").count() == 0
    page.goto(f"{server.url}/facilitate")
    page.get_by_role("button", name="Liity").or_(page.get_by_text("Nyt keskustellaan")).first.wait_for()
    assert _heading(page, "Fasilitointi").count() == 0
    assert page.get_by_text("Sulje", exact=True).count() == 0
    page.goto(f"{server.url}/login")
    page.get_by_role("button", name="Kirjaudu ulos").click()
    page.wait_for_url(f"{server.url}/", wait_until="commit", timeout=20000)
    page.goto(f"{server.url}/login")
    page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for()
    context.close()
