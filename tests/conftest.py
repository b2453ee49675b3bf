"""Shared fixtures: the content, an engine per database kind, one fixture dataset.

Every store test runs on SQLite and, when ALKEDASH_TEST_POSTGRES_URL names a server, on
PostgreSQL too. In CI (ALKEDASH_REQUIRE_ALL=1) a missing system part fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, text

from alkedash import access, demo, intake, language, live, recent
from alkedash.content import Catalogue, Event, load_catalogue
from alkedash.db import make_engine, migrate

FIXTURES = Path(__file__).parent / "fixtures"
POSTGRES_URL = os.environ.get("ALKEDASH_TEST_POSTGRES_URL")


def require(condition: bool, *, reason: str) -> None:
    """Skip with a printed reason on a laptop; fail in CI, where everything must run."""
    if condition:
        return
    if os.environ.get("ALKEDASH_REQUIRE_ALL"):
        pytest.fail(f"required in CI: {reason}")
    print(f"\nSKIPPED: {reason}")
    pytest.skip(reason)


@contextmanager
def sqlite_write_lock(engine: Engine, *, hold: float | None = None) -> Iterator[None]:
    """Another process's writer: BEGIN IMMEDIATE on the same file, for `hold` seconds or the whole block."""
    conn = sqlite3.connect(str(engine.url.database), isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(hold, conn.execute, args=("ROLLBACK",)) if hold is not None else None
    try:
        if release is not None:
            release.start()
        yield
    finally:
        if release is not None:
            release.cancel()
            release.join()
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()


class FakeClock:
    """A monotonic clock the test moves by hand: `clock.now += 1.0`."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(autouse=True)
def _fresh_polls() -> None:
    """Each test starts without the phones' shared answers of the one before (alkedash.recent), and
    without its wrong password guesses (alkedash.access) or its phones' sending rate (alkedash.intake)."""
    recent.PHONES.clear()
    recent.SCREENS.clear()
    access.LOCKOUT.clear()
    intake.SUBMITS.clear()
    intake.UPVOTES.clear()
    intake.JOINS.clear()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def event(catalogue: Catalogue) -> Event:
    found = catalogue.event(slug="alke-2025")
    assert found is not None
    return found


def _reset_postgres(engine: Engine) -> None:
    """Every table dropped, those of a newer or older schema too (another checkout's run leaves them)."""
    with engine.begin() as conn:
        found = MetaData()
        found.reflect(conn)
        found.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def fresh_engine(*, kind: str, path: Path) -> Engine:
    """An empty store at head: a new SQLite file at `path`, or the test PostgreSQL database emptied."""
    if kind == "sqlite":
        eng = make_engine(url=f"sqlite:///{path}")
    else:
        require(POSTGRES_URL is not None, reason="ALKEDASH_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
        eng = make_engine(url=str(POSTGRES_URL))
        _reset_postgres(eng)
    migrate(engine=eng)
    return eng


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    eng = fresh_engine(kind=request.param, path=tmp_path / "test.db")
    yield eng
    eng.dispose()


@pytest.fixture(params=["simplemma", "voikko"])
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The lemmatiser both ways: simplemma alone, and with Voikko where it is installed."""
    wanted = request.param == "voikko"
    active = language.use_voikko(enabled=wanted)
    try:
        if wanted:
            require(active, reason="Voikko is not available (apt-get install libvoikko1 voikko-fi)")
        yield language.backend()
    finally:
        language.use_voikko(enabled=True)


@pytest.fixture
def live_event(engine: Engine, event: Event) -> Event:
    """The 2025 event with theme T1 live and all of its questions open."""
    live.ensure_event(engine=engine, event=event)
    live.set_theme(engine=engine, event=event, theme_id="T1")
    for q in event.themes[0].questions:
        live.set_open(engine=engine, event=event, question_id=q.id, is_open=True)
    return event


@pytest.fixture
def join(engine: Engine, live_event: Event, catalogue: Catalogue):  # type: ignore[no-untyped-def]
    """Join a phone: join(channel="stream", region="MK01") -> token."""

    def _join(channel: str = "room", region: str | None = None, org_type: str | None = None, lang: str = "fi") -> str:
        return intake.join(
            engine=engine,
            event=live_event,
            channel=channel,
            region=region,
            org_type=org_type,
            lang=lang,
            catalogue=catalogue,
        )

    return _join


@pytest.fixture
def dataset(engine: Engine, catalogue: Catalogue, event: Event) -> Engine:
    """The shared fixture dataset: 40 participants answering all three themes (fixed seed)."""
    demo.populate(engine=engine, catalogue=catalogue, event=event, participants=40)
    return engine


HOSTILE = '=HYPERLINK("http://example.invalid")<script>alert(1)</script> **lihavoitu** | ei kaavaa'
SECRET = "Piilotettava viesti 7431 ei kuulu yhteenvetoon"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def moderated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The shared fixture dataset plus what a day's moderation leaves: an idea with markup and a
    formula in it (HOSTILE), highlighted; an idea the facilitator hid (SECRET); one per module."""
    eng = fresh_engine(kind=request.param, path=tmp_path_factory.mktemp("moderated") / "m.db")
    cat = load_catalogue()
    event = cat.event(slug="alke-2025")
    assert event is not None
    demo.populate(engine=eng, catalogue=cat, event=event, participants=40)
    live.set_theme(engine=eng, event=event, theme_id="T1")
    live.set_open(engine=eng, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(engine=eng, event=event, channel="stream", region="MK01", org_type=None, lang="fi",
                        catalogue=cat)  # fmt: skip
    for text_, action in ((HOSTILE, "highlight"), (SECRET, "hide")):
        receipt = intake.submit(
            engine=eng, event=event, frame_keys=cat.frame.keys, token=token, question_id="T1-idea", text=text_
        )
        live.moderate(engine=eng, event=event, input_id=receipt.input_id, action=action, actor="fasilitaattori")
    live.set_open(engine=eng, event=event, question_id="T1-idea", is_open=False)
    yield eng
    if request.param == "postgresql":
        _reset_postgres(eng)
    eng.dispose()


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue, event: Event):  # type: ignore[no-untyped-def]
    """AppTest factory on a fresh SQLite file: app(page="views/screen.py", role=None, **query)."""
    from streamlit.testing.v1 import AppTest

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("ALKEDASH_DATABASE_URL", url)
    monkeypatch.setenv("ALKEDASH_FACILITATOR_PASSWORD", "apptest-password")
    monkeypatch.setenv(
        "ALKEDASH_ORGANISER_PASSWORD", access.hash_password(password="organiser-password", iterations=1000)
    )
    eng = make_engine(url=url)
    migrate(engine=eng)
    live.ensure_event(engine=eng, event=event)

    def _app(page: str | None = None, role: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=30)
        for k, v in query.items():
            at.query_params[k] = v
        if role:
            at.session_state["alkedash_role"] = role
        at.run()
        if page:
            at.switch_page(page).run()
        return at

    _app.engine = eng  # type: ignore[attr-defined]
    return _app


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Expose each phase's report to fixtures (the browser tests photograph failures)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def still_finnish(shown: list[str], *, lang: str) -> list[str]:
    """Of the texts a page shows, those still a Finnish source string that `lang`'s catalogue translates
    otherwise ("Odottaa tarkistusta ({n})" is found as "Odottaa tarkistusta (3)", a bold one inside markdown)."""
    from babel.messages.pofile import read_po

    from alkedash import translation

    with translation.po_path(lang=lang).open("rb") as f:
        finnish = {str(m.id) for m in read_po(f) if m.id and isinstance(m.id, str) and m.string and m.string != m.id}
    patterns = [re.compile(".*?".join(re.escape(part) for part in re.split(r"\{\w*\}", f))) for f in finnish]
    return [
        text for text in shown if any(p.fullmatch(text) for p in patterns) or any(f"**{f}**" in text for f in finnish)
    ]
