"""The commenter's page, reached by an organisation's own link without signing in: who they comment
as, the memo section by section, their own comments only, and a clear refusal for a bad link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from alkedash import comments
from alkedash.content import Catalogue, Event
from alkedash.models import MemoComment

HOSTILE = "<script>alert(1)</script> **ei lihavoitu** [linkki](https://example.invalid)"


@pytest.fixture
def linked(app, catalogue: Catalogue, event: Event) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Links for every organisation in the app's store: org code -> link code."""
    comments.create_links(engine=app.engine, event_slug=event.slug, catalogue=catalogue)
    return {link.org_code: link.code for link in comments.links(engine=app.engine, event_slug=event.slug)}


def _page(app, code: str, lang: str = "fi") -> AppTest:  # type: ignore[no-untyped-def]
    return app(page="views/comment.py", c=code, lang=lang)


def _texts(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.text]


def _save(at: AppTest, section: str, text: str, author: str = "", theme: str = "T1") -> None:
    at.text_area(key=f"text-{theme}-{section}").set_value(text)
    at.text_input(key=f"author-{theme}-{section}").set_value(author)
    next(b for b in at.button if b.key.startswith(f"FormSubmitter:form-{theme}-{section}-")).click().run()


@pytest.mark.parametrize(
    ("lang", "org", "kind", "section", "button"),
    [
        ("fi", "Pohjanmaa", "Maakunnan liitto", "Rajaus ja keskustelukysymykset", "Tallenna kommentti"),
        ("sv", "Österbotten", "Landskapsförbund", "Avgränsning och diskussionsfrågor", "Spara kommentaren"),
        ("en", "Ostrobothnia", "Regional council", "Scope and discussion questions", "Save comment"),
    ],
)
def test_the_link_shows_who_comments_on_which_memo_section_by_section(  # type: ignore[no-untyped-def]
    app, linked: dict[str, str], event: Event, lang: str, org: str, kind: str, section: str, button: str
) -> None:
    at = _page(app, linked["MK15"], lang=lang)
    assert not at.exception and not at.error
    assert org in at.info[0].value and kind in at.info[0].value
    assert event.event.name is not None and event.event.name(lang) in at.caption[0].value
    theme = event.themes[0]
    assert theme.title is not None and theme.title(lang) in at.header[0].value
    assert at.subheader[0].value == section and len(at.subheader) == 4
    assert len(at.text_area) == 4 and len(at.text_input) == 4
    assert {b.label for b in at.button if b.key.startswith("FormSubmitter")} == {button}
    memo = " ".join(m.value for m in at.markdown)
    assert theme.memo.scope(lang)[:40] in memo  # the memo's own text, in the page's language
    assert at.radio(key="comment-theme").options == [
        f"{n}. {t.title(lang)} ({ {'fi': 'luonnos', 'sv': 'utkast', 'en': 'draft'}[lang] })"  # type: ignore[union-attr]
        for n, t in enumerate(event.themes, start=1)
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Kommentointilinkkiä ei tunnistettu"),
        ("ei-ole-olemassa-oleva-koodi-123", "Kommentointilinkkiä ei tunnistettu"),
        ("<script>", "Kommentointilinkkiä ei tunnistettu"),
        ("revoked", "on poistettu käytöstä"),
    ],
)
def test_a_bad_or_revoked_link_shows_a_clear_message_and_nothing_else(  # type: ignore[no-untyped-def]
    app, linked: dict[str, str], event: Event, code: str, message: str
) -> None:
    if code == "revoked":
        code = linked["TEM"]
        comments.revoke_link(engine=app.engine, event_slug=event.slug, code=code)
    at = _page(app, code)
    assert not at.exception
    assert len(at.error) == 1 and message in at.error[0].value
    assert not at.text_area and not at.header and not at.info and not at.get("radio")
    assert not [m for m in at.markdown if "Rajaus" in m.value]


def test_a_bad_link_is_explained_in_the_visitors_language(app, linked: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    at = _page(app, "x" * 32, lang="sv")
    assert "Kommentarslänken kändes inte igen" in at.error[0].value


def test_a_comment_is_saved_shown_as_written_and_counted_once(  # type: ignore[no-untyped-def]
    app, linked: dict[str, str], event: Event
) -> None:
    at = _page(app, linked["MK15"], lang="sv")
    _save(at, "ongoing", HOSTILE, author="Anna Andersson")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Tack! Din kommentar har sparats."]
    assert _texts(at) == [HOSTILE]  # plain text, never markup
    assert at.text_area(key="text-T1-ongoing").value == ""  # cleared for the next comment
    assert any("Anna Andersson" in c.value and "Svenska" in c.value for c in at.caption)
    assert not any("alert(1)" in str(h.proto.body) for h in at.get("html"))
    assert not any("<script>" in m.value for m in at.markdown)
    # the name is offered again in the next section
    assert at.text_input(key="author-T1-expected_outcome").value == "Anna Andersson"

    _save(at, "ongoing", HOSTILE, author="Anna Andersson")  # a resend
    assert [s.value for s in at.success] == ["Den här kommentaren var redan sparad."]
    [stored] = comments.comments(engine=app.engine, event_slug=event.slug)
    assert (stored.text, stored.lang, stored.org_code, stored.section) == (HOSTILE, "sv", "MK15", "ongoing")


def test_an_empty_comment_is_refused_and_nothing_is_stored(app, linked: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    at = _page(app, linked["MK15"])
    _save(at, "scope", "   \n  ")
    assert [e.value for e in at.error] == ["Kirjoita kommentti ennen tallentamista."]
    assert not at.success
    with Session(app.engine) as s:
        assert s.scalar(select(func.count()).select_from(MemoComment)) == 0


def test_the_commenter_sees_only_their_own_organisations_comments(  # type: ignore[no-untyped-def]
    app, linked: dict[str, str], event: Event
) -> None:
    for org, text in (("YM", "Ympäristöministeriön salainen kommentti"), ("MK15", "Pohjanmaan oma kommentti")):
        comments.add_comment(
            engine=app.engine, event=event, code=linked[org], theme_id="T1", section="scope", text=text,
            author=None, lang="fi", throttle=None,
        )  # fmt: skip
    at = _page(app, linked["MK15"])
    assert _texts(at) == ["Pohjanmaan oma kommentti"]
    assert "Aiempi kommenttisi" in [m.value.strip("*") for m in at.markdown]
    other = _page(app, linked["YM"])
    assert _texts(other) == ["Ympäristöministeriön salainen kommentti"]


def test_a_final_memo_says_comments_are_closed(app, linked: dict[str, str], event: Event) -> None:  # type: ignore[no-untyped-def]
    for before, after in (("draft", "commented"), ("commented", "final")):
        comments.set_memo_status(
            engine=app.engine, event=event, theme_id="T2", expected=before, status=after, actor="o"
        )
    at = _page(app, linked["TEM"], lang="en")
    assert len(at.text_area) == 4  # theme 1 is open
    at.radio(key="comment-theme").set_value("T2").run()
    assert "(final)" in at.header[0].value
    assert "commenting on it has closed" in at.warning[0].value
    assert not at.text_area and len(at.subheader) == 4  # the memo stays readable


# --- in real headless Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def comment_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A server whose store has a link for every organisation; yields (server, Ostrobothnia's code)."""
    from alkedash import access
    from alkedash.content import load_catalogue
    from alkedash.db import make_engine, migrate
    from bench.server import Server, free_port
    from tests.conftest import require
    from tests.test_browser import CHROMIUM, ORGANISER_PASSWORD

    require(Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    url = f"http://127.0.0.1:{free_port()}"
    db_url = f"sqlite:///{tmp_path_factory.mktemp('comment') / 'day.db'}"
    engine = make_engine(url=db_url)
    migrate(engine=engine)
    catalogue = load_catalogue()
    comments.create_links(engine=engine, event_slug="alke-2025", catalogue=catalogue)
    code = next(link.code for link in comments.links(engine=engine, event_slug="alke-2025") if link.org_code == "MK15")
    engine.dispose()
    env = {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_ORGANISER_PASSWORD": access.hash_password(password=ORGANISER_PASSWORD, iterations=1000),
        "ALKEDASH_PUBLIC_URL": url,
    }
    srv = Server(url=url, db_url=db_url, env=env)
    srv.start()
    yield srv, code
    srv.stop()


@pytest.mark.browser
def test_in_a_browser_a_comment_link_opens_the_memo_and_a_comment_is_saved_and_reaches_the_organiser(  # type: ignore[no-untyped-def]
    comment_server,
) -> None:
    from playwright.sync_api import sync_playwright

    from alkedash.db import make_engine
    from tests.test_accessibility import settled
    from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ORGANISER_PASSWORD

    server, code = comment_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
            dialogs: list[str] = []
            phone.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            phone.goto(f"{server.url}/comment?c={code}")
            settled(phone, timeout=90000)  # the first run loads the dictionaries
            phone.get_by_text("Kommentoit organisaationa").wait_for()
            assert "Pohjanmaa" in phone.locator('[data-testid="stAlertContentInfo"]').inner_text()
            assert phone.get_by_role("link", name="Muistioiden kommentointi").count() == 0  # not in the menu
            phone.screenshot(path=str(ARTIFACTS / "comment-phone.png"), full_page=False)

            box = phone.get_by_label("Kommenttisi kohtaan ”Rajaus ja keskustelukysymykset”")
            box.fill(HOSTILE)
            phone.get_by_label("Nimesi (vapaaehtoinen)").first.fill("Selma Selainen")
            phone.get_by_role("button", name="Tallenna kommentti").first.click()
            phone.get_by_text("Kiitos! Kommenttisi on tallennettu.").wait_for(timeout=15000)
            assert phone.locator('[data-testid="stText"]').filter(has_text="alert(1)").count() == 1
            assert dialogs == []  # the <script> in the comment did not run
            phone.screenshot(path=str(ARTIFACTS / "comment-phone-saved.png"), full_page=True)

            engine = make_engine(url=server.db_url)
            try:
                [stored] = comments.comments(engine=engine, event_slug="alke-2025")
            finally:
                engine.dispose()
            assert (stored.text, stored.author, stored.org_code) == (HOSTILE, "Selma Selainen", "MK15")

            again = browser.new_page(viewport={"width": 1280, "height": 900})  # a new visit by the same link
            again.goto(f"{server.url}/comment?c={code}&lang=en")
            settled(again)
            again.get_by_text("Your earlier comment").wait_for()
            assert again.locator('[data-testid="stText"]').filter(has_text="alert(1)").count() == 1
            again.screenshot(path=str(ARTIFACTS / "comment-desk.png"), full_page=False)

            desk = browser.new_page(viewport={"width": 1280, "height": 900})
            desk.goto(f"{server.url}/login?code=ALKE25")
            desk.get_by_label("Salasana").fill(ORGANISER_PASSWORD)
            desk.get_by_role("button", name="Kirjaudu", exact=True).click()
            desk.get_by_text("Olet kirjautunut järjestäjänä").wait_for()
            desk.locator('a[href$="/memos"]').first.click()
            settled(desk)
            desk.get_by_role("heading", name="Rajaus ja keskustelukysymykset (1)").wait_for()
            assert desk.locator('[data-testid="stText"]').filter(has_text="alert(1)").count() == 1
            desk.screenshot(path=str(ARTIFACTS / "memos-desk.png"), full_page=True)
        finally:
            browser.close()
