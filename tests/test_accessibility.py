"""Every page in every language, checked by axe-core in real headless Chromium: no serious or
critical violation of WCAG 2.1 A/AA (the rules axe tags wcag2a, wcag2aa, wcag21a, wcag21aa).

axe-core comes from npm (package.json, pinned in package-lock.json; `make test` runs `npm ci`) and
is injected into the page from node_modules: nothing is downloaded while the tests run. Without it the
tests are skipped with a reason; in CI (ALKEDASH_REQUIRE_ALL=1) they fail instead.

One server on a seeded day (demo participants, theme 1 live, its questions open, results shown), so
that the phone has questions and the facilitator's, analysis and summary pages have charts and tables.
Every page's whole axe result (every impact) is written to test-artifacts/axe-<page>-<lang>.json.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from alkedash import access, comments, demo, intake, live
from alkedash.content import load_catalogue
from alkedash.db import make_engine, migrate
from bench.server import Server, free_port
from tests.conftest import require
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ORGANISER_PASSWORD, PASSWORD, PHONE, PROJECTOR

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("fi", "sv", "en")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
DESK = {"width": 1280, "height": 900}

# page id -> (path after sign-in or without, who signs in first, viewport)
PAGES: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "join": ("/?code=ALKE25", None, PHONE),  # the default page is at /: /join says "page not found"
    "phone": ("/?code=ALKE25&p={token}", None, PHONE),
    "programme": ("/programme?code=ALKE25", None, PHONE),
    "timeline": ("/timeline?code=ALKE25", None, DESK),
    "screen": ("/screen?code=ALKE25", None, PROJECTOR),
    "privacy": ("/privacy?code=ALKE25", None, PHONE),
    "login": ("/login?code=ALKE25", None, DESK),
    "facilitate": ("/facilitate", "facilitator", DESK),
    "analysis": ("/analysis", "facilitator", DESK),
    "summary": ("/summary", "organiser", DESK),
    "events": ("/events", "organiser", DESK),
    "comment": ("/comment?c={comment}", None, DESK),  # an organisation's own link, no sign-in
    "memos": ("/memos", "organiser", DESK),
    "timeline-edit": ("/timeline", "organiser", DESK),  # with the organiser's milestone form
}


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server on a seeded day, and the token of a phone that has joined it."""
    require(Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    require(AXE.is_file(), reason=f"axe-core is not installed ({AXE.relative_to(ROOT)}): run `npm ci` (make test)")
    url = f"http://127.0.0.1:{free_port()}"
    db_url = f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'day.db'}"
    engine = make_engine(url=db_url)
    migrate(engine=engine)
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    demo.populate(engine=engine, catalogue=catalogue, event=event, participants=80)
    live.set_theme(engine=engine, event=event, theme_id="T1")
    for q in event.themes[0].questions:
        live.set_open(engine=engine, event=event, question_id=q.id, is_open=True)
    live.set_revealed(engine=engine, event=event, revealed=True)
    token = intake.join(
        engine=engine, event=event, channel="stream", region="MK01", org_type=None, lang="fi", catalogue=catalogue,
        throttle=None,
    )  # fmt: skip
    engine.dispose()
    env = {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_FACILITATOR_PASSWORD": PASSWORD,
        "ALKEDASH_ORGANISER_PASSWORD": access.hash_password(password=ORGANISER_PASSWORD),
        "ALKEDASH_PUBLIC_URL": url,
    }
    srv = Server(url=url, db_url=db_url, env=env)
    srv.start()
    yield srv, token
    srv.stop()


@pytest.fixture(scope="module")
def comment_code(day: tuple[Server, str]) -> str:
    """A link to comment on the memos (Uusimaa's), with one comment already written through it."""
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    engine = make_engine(url=day[0].db_url)
    try:
        comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue)
        code = next(
            link.code for link in comments.links(engine=engine, event_slug=event.slug) if link.org_code == "MK01"
        )
        comments.add_comment(
            engine=engine, event=event, code=code, theme_id="T1", section="scope", author="Maija Meikäläinen",
            text="Rajaukseen kannattaa lisätä saavutettavuus.", lang="fi", throttle=None,
        )  # fmt: skip
    finally:
        engine.dispose()
    return code


@pytest.fixture(scope="module")
def browser(day: tuple[Server, str]):  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        require(False, reason="the Python package playwright is not installed (requirements-dev.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # The first run of the app loads the dictionaries and the catalogue (ui._engine): not a test's time.
        page = b.new_page(viewport=PHONE)
        page.goto(f"{day[0].url}/?code=ALKE25")
        settled(page, timeout=90000)
        page.close()
        yield b
        b.close()


def settled(page, timeout: float = 30000) -> None:  # type: ignore[no-untyped-def]
    """Wait until Streamlit has drawn the page: connected, the script not running, nothing stale or
    still loading, every plotly chart drawn; then a moment more for the last paint."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator('[data-testid="stMain"]').first.wait_for(state="visible", timeout=timeout)
    try:
        page.wait_for_function(f"() => {STATE}.done", timeout=timeout, polling=200)
    except PlaywrightTimeout:
        pytest.fail(f"{page.url} was still not drawn after {timeout / 1000:.0f} s: {page.evaluate(f'() => {STATE}')}")
    page.wait_for_timeout(700)


STATE = """(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const status = document.querySelector('[data-testid="stStatusWidget"]');
    const state = {
        script: app && app.dataset.testScriptState,
        connection: app && app.dataset.testConnectionState,
        stale: document.querySelectorAll('[data-stale="true"]').length,
        skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
        status: status ? status.textContent : null,
        charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
        drawn: document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length,
    };
    state.done = state.script === 'notRunning' && state.connection === 'CONNECTED' && !state.stale
        && !state.skeletons && !/running/i.test(state.status || '') && state.drawn >= state.charts;
    return state;
})()"""


def sign_in(page, server: Server, *, lang: str, organiser: bool) -> None:  # type: ignore[no-untyped-def]
    """Sign in on the login page in the given language; the role stays in this browser's session."""
    page.goto(f"{server.url}/login?code=ALKE25&lang={lang}")
    page.locator('input[type="password"]').fill(ORGANISER_PASSWORD if organiser else PASSWORD)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.locator('[data-testid="stAlertContentSuccess"]').wait_for()


def open_page(browser, server: Server, token: str, name: str, lang: str, comment: str = ""):  # type: ignore[no-untyped-def]
    path, role, viewport = PAGES[name]
    page = browser.new_page(viewport=viewport)
    if role is None:
        page.goto(f"{server.url}{path.format(token=token, comment=comment)}&lang={lang}")
    else:  # a new page load would be a new session without the role: move through the navigation
        sign_in(page, server, lang=lang, organiser=role == "organiser")
        page.locator(f'a[href$="{path}"]').first.click()
        page.wait_for_url(f"**{path}*")
    settled(page)
    return page


def axe(page) -> dict:  # type: ignore[no-untyped-def, type-arg]
    page.add_script_tag(path=str(AXE))
    return page.evaluate(  # type: ignore[no-any-return]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )


def describe(violations: list[dict]) -> str:  # type: ignore[type-arg]
    lines = []
    for v in violations:
        targets = ["".join(str(t) for t in node["target"]) for node in v["nodes"][:3]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']}: {len(v['nodes'])} × {targets}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_wcag_violation(  # type: ignore[no-untyped-def]
    browser, day: tuple[Server, str], comment_code: str, name: str, lang: str
) -> None:
    server, token = day
    page = open_page(browser, server, token, name, lang, comment=comment_code)
    try:
        result = axe(page)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{name}-{lang}.json").write_text(json.dumps(result["violations"], indent=1))
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
        declared = page.evaluate("document.documentElement.lang")
        if blocking or declared != lang:
            page.screenshot(path=str(ARTIFACTS / f"axe-{name}-{lang}.png"), full_page=True)
        assert not blocking, f"axe-core {result['testEngine']['version']} on {page.url}:\n{describe(blocking)}"
        # WCAG 3.1.1: axe only checks that <html lang> is a valid code; Streamlit's own says "en".
        assert declared == lang, f"<html lang={declared!r}> on a page in {lang!r} (ui.accessible_theme sets it)"
    finally:
        page.close()


# --- 200 % zoom and the keyboard -------------------------------------------------------------------

# The phone (360×740 CSS px) at 200 % browser zoom: half the CSS pixels at twice the density.
ZOOMED_PHONE = {"width": PHONE["width"] // 2, "height": PHONE["height"] // 2}


@pytest.mark.parametrize("name", ["join", "phone"])
def test_the_phone_at_200_percent_zoom_needs_no_sideways_scrolling(  # type: ignore[no-untyped-def]
    browser, day: tuple[Server, str], name: str
) -> None:
    """WCAG 1.4.10 (reflow): at 200 % the main content fits the width; only a wide table may scroll."""
    server, token = day
    page = browser.new_page(viewport=ZOOMED_PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        page.goto(f"{server.url}{PAGES[name][0].format(token=token)}")
        settled(page)
        wide = page.evaluate(
            """() => {
                const width = document.documentElement.clientWidth;
                const main = document.querySelector('[data-testid="stMain"]');
                const over = [...main.querySelectorAll('*')]
                    .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
                    .filter(el => !el.closest('[data-testid="stDataFrame"], [data-testid="stTable"]'))
                    .map(el => (el.dataset.testid || el.tagName) + ': ' + (el.innerText || '').slice(0, 40));
                return {page: document.documentElement.scrollWidth, main: main.scrollWidth, width, over};
            }"""
        )
        if wide["page"] > wide["width"] or wide["main"] > wide["width"] or wide["over"]:
            page.screenshot(path=str(ARTIFACTS / f"zoom-{name}.png"), full_page=True)
        assert wide["page"] <= wide["width"] and wide["main"] <= wide["width"], wide
        assert wide["over"] == [], wide
    finally:
        page.close()


def test_a_phone_joins_with_the_keyboard_alone(browser, day: tuple[Server, str]) -> None:  # type: ignore[no-untyped-def]
    """Tab reaches the channel choice and the join button, never a link off the screen (the collapsed
    sidebar's navigation); Space chooses a channel, Enter joins."""
    server, _ = day
    page = browser.new_page(viewport=PHONE)
    try:
        page.goto(f"{server.url}{PAGES['join'][0]}&lang=en")
        settled(page)
        reached: list[str] = []
        for _ in range(40):
            page.keyboard.press("Tab")
            focus = page.evaluate(
                """() => {
                    const el = document.activeElement, box = el.getBoundingClientRect();
                    if (box.right <= 0 || box.left >= window.innerWidth)  // focus where nobody sees it
                        return 'off screen: ' + (el.innerText || el.tagName).replace(/\\s+/g, ' ');
                    if (el.closest('[data-testid="stFormSubmitButton"]')) return 'submit';
                    if (el.type === 'radio' && el.closest('[data-testid="stForm"]')) return 'channel';
                    return el.tagName;
                }"""
            )
            reached.append(focus)
            if focus == "channel":
                page.keyboard.press("Space")  # the first channel, chosen without a pointer
            if focus == "submit":
                break
        assert "channel" in reached and reached[-1] == "submit", reached
        assert not [f for f in reached if f.startswith("off screen")], reached  # WCAG 2.4.7
        page.keyboard.press("Enter")
        page.wait_for_url("**p=*", timeout=15000)  # joined: the anonymous token is in the URL
    finally:
        page.close()
