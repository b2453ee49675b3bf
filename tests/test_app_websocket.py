"""Role boundaries at the websocket: what a visitor can reach by writing Streamlit's protocol by hand.

No browser is needed to attack the app: anyone on the hall's wifi can open `/_stcore/stream` and send
any BackMsg (any page name or page hash, any query string, any widget id as a trigger). These tests
do that with `bench.streamclient` against a real `streamlit run` server. A facilitator and an
organiser sign in with their passwords in their own sessions, which shows the page hashes and the
widget ids of their pages. A visitor without a password then asks for those pages and presses those
buttons. We check that the database did not change (live_state, question_status, inputs.hidden and
.highlighted, moderation_log) and that no message the server sent back holds any text of the
role's pages. The same buttons pressed from the signed-in session do work, so the tests use the
right ids and would notice a change.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import text_format
from sqlalchemy import create_engine, text
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from alkedash import access, comments, intake, live
from alkedash.content import load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.ui import ROLE_KEY
from bench.server import Server, free_port
from bench.streamclient import StreamClient, Widget
from tests.conftest import require

FACILITATOR_PASSWORD = "websocket-test-facilitator"
ORGANISER_PASSWORD = "websocket-test-organiser"
# url paths anyone's navigation lists
PUBLIC_PAGES = {"", "programme", "timeline", "screen", "privacy", "accessibility", "login"}
ROLE_PAGES = ("facilitate", "analysis", "summary", "events", "memos")
# Text only the facilitator's and analysis pages show (case matters: the login page explains that the
# password "avaa fasilitoinnin ja analyysin").
FACILITATOR_TEXT = (
    "Fasilitointi",
    "Näytä tulokset",
    "Piilota tulokset",
    "Tulokset ovat piilossa",
    "Moderointi",
    "Nosta esiin",
    "Idearyhmät",
    "Salissa nyt",
    "Analyysi",
    "Vastanneita osallistujia",
)
ORGANISER_TEXT = (
    "Yhteenveto ja lataukset",
    "Poista pysyvästi",
    "Koko tapahtuman arkisto",
    "Tietojen poistaminen",
    "Muistioiden tila",
    "Kommentointilinkit",
    "Merkitse kommentoiduksi",
)
JOIN_PAGE = "Liity keskusteluun"
OTHERS_COMMENT = "Ympäristöministeriön kommentti, jota muut eivät näe"
IDEAS = ("Yhteinen TKI-tiekartta maakunnille", "Raideyhteydet kuntoon")
TIMEOUT = 60.0


@dataclass(frozen=True)
class Day:
    server: Server
    idea_ids: tuple[int, ...]
    comment_code: str  # Uusimaa's link to comment on the memos
    comment_id: int  # a comment by another organisation (the Ministry of the Environment)


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day]:
    """A server on theme 1: the idea question open and on the screen, results hidden, two ideas in."""
    folder = tmp_path_factory.mktemp("websocket")
    db_url = f"sqlite:///{folder / 'day.db'}"
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    engine = make_engine(url=db_url)
    migrate(engine=engine)
    live.ensure_event(engine=engine, event=event)
    live.set_theme(engine=engine, event=event, theme_id="T1")
    live.set_open(engine=engine, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=engine, event=event, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    ids = tuple(
        intake.submit(
            engine=engine, event=event, frame_keys=catalogue.frame.keys, token=token, question_id="T1-idea", text=idea
        ).input_id
        for idea in IDEAS
    )
    comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue)
    codes = {link.org_code: link.code for link in comments.links(engine=engine, event_slug=event.slug)}
    comment = comments.add_comment(
        engine=engine, event=event, code=codes["YM"], theme_id="T1", section="scope", text=OTHERS_COMMENT,
        author=None, lang="fi",
    )  # fmt: skip
    engine.dispose()
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_FACILITATOR_PASSWORD": FACILITATOR_PASSWORD,
        "ALKEDASH_ORGANISER_PASSWORD": access.hash_password(password=ORGANISER_PASSWORD, iterations=1000),
        "ALKEDASH_PUBLIC_URL": url,
    }
    server = Server(url=url, db_url=db_url, env=env, log=folder / "server.log")
    server.start()
    yield Day(server=server, idea_ids=ids, comment_code=codes["MK01"], comment_id=comment.comment_id)
    server.stop()


def _reset(day: Day) -> None:
    """Back to the day's starting point after a test let a signed-in session change something."""
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    engine = make_engine(url=day.server.db_url)
    try:
        live.set_theme(engine=engine, event=event, theme_id="T1")
        for question in event.themes[0].questions:
            live.set_open(engine=engine, event=event, question_id=question.id, is_open=question.id == "T1-idea")
        with engine.begin() as conn:
            conn.execute(text("UPDATE inputs SET hidden = 0, highlighted = 0"))
            conn.execute(text("DELETE FROM memo_states"))
            conn.execute(text("UPDATE comment_links SET revoked = 0"))
            conn.execute(text("UPDATE memo_comments SET handled = 0, handled_by = NULL, handled_at = NULL"))
    finally:
        engine.dispose()


def _snapshot(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a facilitator's or organiser's action would change, row by row."""
    queries = {
        "live_state": "SELECT * FROM live_state ORDER BY event",
        "question_status": "SELECT * FROM question_status ORDER BY event, question_id",
        "inputs": "SELECT id, text, hidden, highlighted FROM inputs ORDER BY id",
        "moderation_log": "SELECT * FROM moderation_log ORDER BY id",
        "participants": "SELECT id, token, last_seen_at FROM participants ORDER BY id",
        "votes": "SELECT * FROM votes ORDER BY id",
        "memo_states": "SELECT * FROM memo_states ORDER BY event, theme_id",
        "comment_links": "SELECT * FROM comment_links ORDER BY code",
        "memo_comments": "SELECT id, handled, handled_by FROM memo_comments ORDER BY id",
    }
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in queries.items()}
    finally:
        engine.dispose()


async def _changed(db_url: str, *, since: dict[str, list[tuple[Any, ...]]], seconds: float = 10.0) -> dict[str, Any]:
    """The database once it differs from `since` (or after `seconds`): the facilitator's own fragment may
    have been mid-refresh when the trigger came, and then the trigger's run finishes a moment later."""
    deadline = asyncio.get_running_loop().time() + seconds
    while (now := _snapshot(db_url)) == since and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
    return now


class Tab(StreamClient):
    """A StreamClient that keeps every message the server sent, and follows page changes like a browser.

    The browser sends back the page hash of the last `navigation` message (the page it shows); a page
    name the app does not offer is answered with `page_not_found`, which a browser shows as a dialog
    and which is counted here instead of raised.
    """

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("timeout", TIMEOUT)
        super().__init__(**kw)
        self.received: list[ForwardMsg] = []
        self.pages: dict[str, str] = {}  # url path -> page script hash, as the navigation lists them
        self.hidden: set[str] = set()  # url paths registered but kept out of the menu (the comment link's page)
        self.not_found = 0

    def _handle(self, msg: ForwardMsg) -> None:
        self.received.append(msg)
        kind = msg.WhichOneof("type")
        if kind == "page_not_found":
            self.not_found += 1
            return
        super()._handle(msg)
        if kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.hidden = {p.url_pathname for p in msg.navigation.app_pages if p.is_hidden}
            self.page_hash = msg.navigation.page_script_hash

    async def go(self, *, page: str = "", page_hash: str = "", query: str | None = None) -> None:
        """Ask for a page by name or by hash, as a hand-written BackMsg can."""
        self.page, self.page_hash = page, page_hash
        if query is not None:
            self.query = query
        await self.rerun()

    async def press_raw(self, widget_id: str, *, fragment_id: str = "", values: tuple[WidgetState, ...] = ()) -> None:
        """Send a trigger for any widget id. A fragment this session never drew is dropped by the server
        without an answer, so a full rerun after it shows that the server has dealt with it."""
        for value in values:
            self.values[value.id] = value
        trigger = (WidgetState(id=widget_id, trigger_value=True),)
        if fragment_id:
            await self._send(fragment_id=fragment_id, auto=False, triggers=trigger)
            await self.rerun()
        else:
            await self.rerun(triggers=trigger)
        for value in values:
            self.values.pop(value.id, None)

    def said(self) -> str:
        """Everything the server sent this tab, as readable text."""
        return "\n".join(text_format.MessageToString(m, as_utf8=True) for m in self.received)

    def listed(self) -> set[str]:
        """The pages the navigation menu shows."""
        return set(self.pages) - self.hidden

    def find(self, key: str) -> Widget:
        """The widget whose user key is `key` (Streamlit ends a keyed widget's id with it)."""
        hits = [w for w in self.widgets() if w.id.endswith(f"-{key}")]
        assert len(hits) == 1, (key, sorted(w.id for w in self.widgets()))
        return hits[0]


async def _signed_in(server: Server, *, password: str, page: str, tabs: list[Tab]) -> Tab:
    """A tab signed in on the login page with `password`, then on `page` (kept in `tabs` to be closed)."""
    tab = Tab(base_url=server.url, page="login")
    tabs.append(tab)
    await tab.open()
    tab.fill(tab.widget(kind="text_input", label="Salasana"), password)
    run = await tab.submit(form="login", button="Kirjaudu")
    assert any(body.startswith("Olet kirjautunut") for _format, body in run.alerts), run.alerts
    await tab.go(page=page)
    return tab


def _run(body: Callable[[list[Tab]], Awaitable[None]]) -> None:
    """Run one test's conversation; every tab it opened is closed whatever happens."""

    async def main() -> None:
        tabs: list[Tab] = []
        try:
            await body(tabs)
        finally:
            await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)

    asyncio.run(main())


def _assert_nothing_of(tab: Tab, texts: tuple[str, ...]) -> None:
    said = tab.said()
    leaked = [t for t in texts if t in said]
    assert not leaked, f"the server sent {leaked} to a session without the role"


@pytest.fixture(scope="module")
def role_hashes(day: Day) -> dict[str, str]:
    """The page hashes the organiser's session gets for the role pages (a facilitator's are the same)."""
    found: dict[str, str] = {}

    async def body(tabs: list[Tab]) -> None:
        organiser = await _signed_in(day.server, password=ORGANISER_PASSWORD, page="summary", tabs=tabs)
        assert "Yhteenveto ja lataukset" in organiser.texts()
        found.update({p: organiser.pages[p] for p in ROLE_PAGES})

    _run(body)
    return found


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ROLE_PAGES)
@pytest.mark.parametrize("how", ["a fresh tab on its url", "its name in a rerun", "its hash in a rerun"])
def test_a_visitor_without_a_password_is_shown_the_join_page_instead_of_a_role_page(
    day: Day, role_hashes: dict[str, str], page: str, how: str
) -> None:
    before = _snapshot(day.server.db_url)

    async def body(tabs: list[Tab]) -> None:
        visitor = Tab(base_url=day.server.url, page=page if how == "a fresh tab on its url" else "")
        tabs.append(visitor)
        await visitor.open()
        if how == "its name in a rerun":
            await visitor.go(page=page)
        elif how == "its hash in a rerun":
            await visitor.go(page_hash=role_hashes[page])
        assert JOIN_PAGE in visitor.texts()
        # A name the navigation does not list is "page not found"; an unknown hash quietly falls back.
        assert visitor.not_found == (0 if how == "its hash in a rerun" else 1)
        assert visitor.listed() == PUBLIC_PAGES
        assert visitor.page_hash == visitor.pages[""]  # the page the server ran is the join page
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)

    _run(body)
    assert _snapshot(day.server.db_url) == before


@pytest.mark.parametrize(
    ("page", "query", "shows"),
    [
        ("", "code=ALKE25&role=organiser", JOIN_PAGE),
        ("", "page=facilitate", JOIN_PAGE),
        ("", f"code=ALKE25&{ROLE_KEY}=organiser", JOIN_PAGE),
        ("facilitate", "code=ALKE25&role=facilitator", JOIN_PAGE),
        ("summary", "role=organiser&page=summary", JOIN_PAGE),
        ("login", "role=organiser", "Salasana"),
    ],
)
def test_query_parameters_give_a_visitor_no_role(day: Day, page: str, query: str, shows: str) -> None:
    async def body(tabs: list[Tab]) -> None:
        visitor = Tab(base_url=day.server.url, page=page, query=query)
        tabs.append(visitor)
        await visitor.open()
        await visitor.go(page="facilitate")  # and then asks for the facilitator's page with the same query
        await visitor.go(page=page)
        widgets = [w.label for w in visitor.widgets()]
        assert shows in visitor.texts() or shows in widgets
        assert not any(t.startswith("Olet kirjautunut") for t in visitor.texts())
        assert visitor.listed() == PUBLIC_PAGES
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)

    _run(body)


def test_a_widget_state_named_like_the_role_key_signs_no_one_in(day: Day, role_hashes: dict[str, str]) -> None:
    """Session state and widget state share one namespace: a widget value under the role's key is not
    read as the role. (Streamlit keeps state for a widget this session never drew without a
    deserializer, so reading it raises KeyError and `.get` gives None. Creating any widget then fails
    with that KeyError too, so the visitor's own page stops at its first widget; nobody else's does.)"""

    async def body(tabs: list[Tab]) -> None:
        visitor = Tab(base_url=day.server.url, page="login")
        tabs.append(visitor)
        await visitor.open()
        for value in ("organiser", "facilitator"):
            visitor.values[ROLE_KEY] = WidgetState(id=ROLE_KEY, string_value=value)
            await visitor.go(page="login")
            assert "Kirjautuminen" in visitor.texts()
            assert not any(t.startswith("Olet kirjautunut") for t in visitor.texts())
            await visitor.go(page_hash=role_hashes["summary"])
            assert JOIN_PAGE in visitor.texts()
            await visitor.go(page="facilitate")
            assert JOIN_PAGE in visitor.texts()
            assert visitor.listed() == PUBLIC_PAGES
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)

    _run(body)


# --- the facilitator's buttons -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        pytest.param("open-T1-words", {"live_state", "question_status"}, id="open a question"),
        pytest.param("open-T1-idea", {"live_state", "question_status"}, id="close a question"),
        pytest.param("reveal", {"live_state"}, id="reveal the results"),
        pytest.param("show-T1-words", {"live_state"}, id="put a question on the screen"),
        pytest.param("theme-T2", {"live_state"}, id="move to the next theme"),
        pytest.param("hide-{idea}", {"inputs", "moderation_log"}, id="hide an input"),
        pytest.param("hl-{idea}", {"inputs", "moderation_log"}, id="highlight an idea"),
    ],
)
def test_a_visitor_without_a_password_cannot_press_a_facilitator_button_over_the_websocket(
    day: Day, role_hashes: dict[str, str], key: str, changes: set[str]
) -> None:
    key = key.format(idea=day.idea_ids[0])
    before = _snapshot(day.server.db_url)

    async def body(tabs: list[Tab]) -> None:
        facilitator = await _signed_in(day.server, password=FACILITATOR_PASSWORD, page="facilitate", tabs=tabs)
        button = facilitator.find(key)
        assert button.fragment_id  # the controls are a fragment of the facilitator's page

        visitor = Tab(base_url=day.server.url, query="code=ALKE25")
        tabs.append(visitor)
        await visitor.open()
        await visitor.press_raw(button.id)  # a full rerun of whatever page the visitor is on
        await visitor.press_raw(button.id, fragment_id=button.fragment_id)  # the facilitator's fragment
        visitor.page, visitor.page_hash = "", role_hashes["facilitate"]
        await visitor.press_raw(button.id)  # on the facilitator's page, asked for by its hash
        visitor.page, visitor.page_hash = "facilitate", ""
        await visitor.press_raw(button.id)  # and by its name
        visitor.query = "code=ALKE25&role=facilitator"
        await visitor.press_raw(button.id, fragment_id=button.fragment_id)
        assert _snapshot(day.server.db_url) == before
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)
        assert visitor.listed() == PUBLIC_PAGES

        # The same trigger from the facilitator's own session does change the day: the id was right.
        await facilitator.rerun(
            triggers=(WidgetState(id=button.id, trigger_value=True),), fragment_id=button.fragment_id
        )
        after = await _changed(day.server.db_url, since=before)
        assert {table for table in before if after[table] != before[table]} == changes

    try:
        _run(body)
    finally:
        _reset(day)


# --- the memo comments: a page by link, the organiser's buttons -----------------------------------


@pytest.mark.parametrize("valid", [True, False], ids=["its link", "a wrong code"])
def test_the_comment_page_opens_by_its_link_without_a_password_and_is_not_in_the_menu(day: Day, valid: bool) -> None:
    code = day.comment_code if valid else "x" * 32

    async def body(tabs: list[Tab]) -> None:
        visitor = Tab(base_url=day.server.url, page="comment", query=f"c={code}")
        tabs.append(visitor)
        await visitor.open()
        said = visitor.said()
        assert visitor.not_found == 0 and visitor.page_hash == visitor.pages["comment"]
        assert visitor.listed() == PUBLIC_PAGES and visitor.hidden == {"comment"}
        if valid:
            assert "Uusimaa" in said and "Tallenna kommentti" in said
        else:
            assert "Kommentointilinkkiä ei tunnistettu" in said and "Tallenna kommentti" not in said
        assert OTHERS_COMMENT not in said  # another organisation's comment, never shown to a commenter
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)

    _run(body)


@pytest.mark.parametrize(
    ("key", "changes"),
    [
        pytest.param("move-T1-commented", {"memo_states"}, id="move a memo on"),
        pytest.param("links-revoke", {"comment_links"}, id="revoke a link"),
        pytest.param("handled-{comment}", {"memo_comments"}, id="mark a comment handled"),
    ],
)
def test_a_commenter_or_a_visitor_cannot_press_the_organisers_memo_buttons(
    day: Day, role_hashes: dict[str, str], key: str, changes: set[str]
) -> None:
    key = key.format(comment=day.comment_id)
    before = _snapshot(day.server.db_url)

    async def body(tabs: list[Tab]) -> None:
        organiser = await _signed_in(day.server, password=ORGANISER_PASSWORD, page="memos", tabs=tabs)
        button = organiser.find(key)
        for query, page in ((f"c={day.comment_code}", "comment"), ("code=ALKE25", "")):
            other = Tab(base_url=day.server.url, page=page, query=query)
            tabs.append(other)
            await other.open()
            await other.press_raw(button.id)  # on its own page
            other.page, other.page_hash = "", role_hashes["memos"]
            await other.press_raw(button.id)  # on the memo page, asked for by its hash
            other.page, other.page_hash = "memos", ""
            await other.press_raw(button.id)  # and by its name
            assert _snapshot(day.server.db_url) == before
            _assert_nothing_of(other, ORGANISER_TEXT)
            assert OTHERS_COMMENT not in other.said()

        await organiser.rerun(triggers=(WidgetState(id=button.id, trigger_value=True),))
        after = await _changed(day.server.db_url, since=before)
        assert {table for table in before if after[table] != before[table]} == changes

    try:
        _run(body)
    finally:
        _reset(day)


# --- the organiser's page, for a facilitator -----------------------------------------------------


@pytest.mark.parametrize("how", ["its name", "its hash", "a query string"])
def test_a_signed_in_facilitator_is_refused_the_organisers_summary_page(
    day: Day, role_hashes: dict[str, str], how: str
) -> None:
    async def body(tabs: list[Tab]) -> None:
        facilitator = await _signed_in(day.server, password=FACILITATOR_PASSWORD, page="facilitate", tabs=tabs)
        assert "Fasilitointi" in facilitator.texts()
        assert facilitator.listed() == PUBLIC_PAGES | {"facilitate", "analysis"}
        assert {p: facilitator.pages[p] for p in ("facilitate", "analysis")} == {
            p: role_hashes[p] for p in ("facilitate", "analysis")
        }
        if how == "its name":
            await facilitator.go(page="summary")
            assert facilitator.not_found == 1
            assert JOIN_PAGE in facilitator.texts()
        elif how == "its hash":
            await facilitator.go(page_hash=role_hashes["summary"])
            assert JOIN_PAGE in facilitator.texts()
        else:
            await facilitator.go(page="summary", query="code=ALKE25&role=organiser&page=summary")
            assert JOIN_PAGE in facilitator.texts()
            await facilitator.go(page="login")
            assert "Olet kirjautunut fasilitaattorina." in facilitator.texts()
        assert facilitator.listed() == PUBLIC_PAGES | {"facilitate", "analysis"}
        _assert_nothing_of(facilitator, ORGANISER_TEXT)

    _run(body)


def test_a_signed_in_facilitator_cannot_erase_the_event_with_the_organisers_form(
    day: Day, role_hashes: dict[str, str]
) -> None:
    before = _snapshot(day.server.db_url)

    async def body(tabs: list[Tab]) -> None:
        organiser = await _signed_in(day.server, password=ORGANISER_PASSWORD, page="summary", tabs=tabs)
        confirm = next(w for w in organiser.widgets() if w.form_id == "erase" and w.kind == "text_input")
        erase = organiser.widget(kind="button", label="Poista pysyvästi", form="erase")
        code = (WidgetState(id=confirm.id, string_value="ALKE25"),)

        facilitator = await _signed_in(day.server, password=FACILITATOR_PASSWORD, page="facilitate", tabs=tabs)
        await facilitator.press_raw(erase.id, values=code)
        facilitator.page, facilitator.page_hash = "", role_hashes["summary"]
        await facilitator.press_raw(erase.id, values=code)
        facilitator.page, facilitator.page_hash = "summary", ""
        await facilitator.press_raw(erase.id, values=code)
        assert _snapshot(day.server.db_url) == before
        _assert_nothing_of(facilitator, ORGANISER_TEXT)

        # The organiser's own session reaches the form with the same ids (a wrong code, so nothing goes).
        wrong = WidgetState(id=confirm.id, string_value="WRONG1")
        organiser.values[wrong.id] = wrong
        run = await organiser.rerun(triggers=(WidgetState(id=erase.id, trigger_value=True),))
        assert (Alert.ERROR, "Koodi ei täsmää. Mitään ei poistettu.") in run.alerts

    _run(body)
    assert _snapshot(day.server.db_url) == before


# --- Streamlit's other messages ------------------------------------------------------------------


def _db_files(pid: int, db_url: str) -> int:
    """Open file descriptors of process `pid` on the SQLite file (and its -wal and -shm)."""
    path = db_url.removeprefix("sqlite:///")
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            count += os.readlink(f"/proc/{pid}/fd/{fd}").startswith(path)
        except OSError:  # closed while we looked
            continue
    return count


def test_a_visitors_clear_cache_message_signs_no_one_out_and_changes_nothing(day: Day) -> None:
    """Streamlit honours a `clear_cache` BackMsg from any session (the menu item is hidden, the message
    is not): it empties st.cache_resource for every user. The day goes on."""
    before = _snapshot(day.server.db_url)

    async def body(tabs: list[Tab]) -> None:
        facilitator = await _signed_in(day.server, password=FACILITATOR_PASSWORD, page="facilitate", tabs=tabs)
        visitor = Tab(base_url=day.server.url)
        tabs.append(visitor)
        await visitor.open()
        await visitor._ws.send(BackMsg(clear_cache=True).SerializeToString())
        await visitor.rerun()
        assert JOIN_PAGE in visitor.texts()
        await facilitator.rerun()
        assert "Fasilitointi" in facilitator.texts()
        _assert_nothing_of(visitor, FACILITATOR_TEXT + ORGANISER_TEXT)

    _run(body)
    assert _snapshot(day.server.db_url) == before


def test_a_visitors_clear_cache_messages_leave_no_database_connection_behind(day: Day) -> None:
    require(Path(f"/proc/{day.server.pid}/fd").is_dir(), reason="needs Linux /proc to count open files")
    rounds = 10

    async def body(tabs: list[Tab]) -> None:
        visitor = Tab(base_url=day.server.url)
        tabs.append(visitor)
        await visitor.open()
        await visitor.rerun()
        opened = _db_files(day.server.pid, day.server.db_url)
        for _ in range(rounds):
            await visitor._ws.send(BackMsg(clear_cache=True).SerializeToString())
            await visitor.rerun()
        grown = _db_files(day.server.pid, day.server.db_url) - opened
        assert grown < rounds, f"{grown} more open files on the database after {rounds} clear_cache messages"

    _run(body)
