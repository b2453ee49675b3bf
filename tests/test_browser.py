"""The day's key flow in real headless Chromium against a real server.

A facilitator opens the questions, a phone (360×740) joins from the QR URL as "on the stream"
from a region and answers every kind of question, the projector in a second browser shows the
input within 5 s, a third phone's upvote moves an idea up, and a restart loses nothing.
Screenshots go to test-artifacts/ (the README's pictures are made from them).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from alkedash import access, demo
from alkedash.content import load_catalogue
from alkedash.db import make_engine, migrate
from bench.server import Server, free_port
from tests.conftest import require

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ALKEDASH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-password"
ORGANISER_PASSWORD = "browser-test-organiser"
PHONE = {"width": 360, "height": 740}
PROJECTOR = {"width": 1600, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require(Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    url = f"http://127.0.0.1:{free_port()}"
    db_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'day.db'}"
    env = {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_FACILITATOR_PASSWORD": PASSWORD,
        "ALKEDASH_ORGANISER_PASSWORD": access.hash_password(password=ORGANISER_PASSWORD),
        "ALKEDASH_PUBLIC_URL": url,
        "ALKEDASH_SCREEN_REFRESH_SECONDS": "1.5",
        "ALKEDASH_PHONE_REFRESH_SECONDS": "3",
    }
    srv = Server(url=url, db_url=db_url, env=env)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(autouse=True)
def _screenshots_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every open page is photographed when a test fails, so a CI failure can be looked at."""
    yield
    report = getattr(request.node, "rep_call", None)
    b = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    if report is not None and report.failed and b is not None:
        for n, context in enumerate(b.contexts):
            for m, page in enumerate(context.pages):
                _shot(page, f"failure-{request.node.name}-{n}-{m}")


@pytest.fixture(scope="module")
def browser(server: Server):  # type: ignore[no-untyped-def]
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        require(False, reason="the Python package playwright is not installed (requirements-dev.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _form(page, prompt_start: str):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stForm"]').filter(has_text=prompt_start)


def _sign_in(page, server: Server, *, organiser: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Sign in on the login page, as the facilitator or the organiser."""
    page.goto(f"{server.url}/login?code=ALKE25")
    page.get_by_label("Salasana").fill(ORGANISER_PASSWORD if organiser else PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_text(f"Olet kirjautunut {'järjestäjänä' if organiser else 'fasilitaattorina'}").wait_for()


def _facilitator(browser, server: Server):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, server)
    page.get_by_role("link", name="Siirry fasilitointiin").click()
    page.get_by_role("heading", name="Fasilitointi").wait_for()
    for _ in range(4):  # open the four questions of theme 1
        page.get_by_role("button", name="Avaa", exact=True).first.click()
        page.wait_for_timeout(600)
    page.get_by_role("button", name="Näytä tulokset").click()
    page.get_by_text("Tulokset näkyvät näytöllä.").wait_for()
    return page


def _join(browser, server: Server, *, channel: str, region: str | None):  # type: ignore[no-untyped-def]
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{server.url}/?code=ALKE25")
    phone.get_by_text(channel, exact=True).click()
    if region:
        phone.locator('[data-testid="stSelectbox"]').filter(has_text="Maakunta").click()
        phone.get_by_role("option", name=region).click()
    phone.get_by_role("button", name="Liity").click()
    phone.get_by_text("Nyt keskustellaan").wait_for()
    return phone


def _outcome(page, expected: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for the confirmation, or fail at once with the error message the phone showed instead."""
    error = page.locator('[data-testid="stAlertContentError"]')
    page.get_by_text(expected).or_(error).first.wait_for(timeout=15000)
    assert page.get_by_text(expected).count() >= 1, f"phone said: {error.all_inner_texts()}"


def _send_idea(phone, idea: str, tick: str | None = None) -> None:  # type: ignore[no-untyped-def]
    form = _form(phone, "Mikä yksi konkreettinen toimi")
    form.get_by_role("textbox", name="Ideasi").fill(idea)
    form.get_by_role("button", name="Lähetä").click()
    phone.get_by_text("Kiitos! Vastauksesi on tallennettu.").first.wait_for()
    if tick:  # link the saved idea to a frame element: offered after sending, pills under it
        phone.get_by_role("button", name="Liitä ideasi ALKE-päätöksen kohtiin").click()
        phone.get_by_role("button", name=tick).click()
        phone.get_by_role("button", name="Tallenna kohdat").click()
        added = phone.get_by_text("Lisätty:")
        added.wait_for()
        assert tick in added.inner_text()


def _screen_ideas(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.split("\n")[0].strip() for t in screen.locator("ol.scr-ideas li").all_inner_texts()]


def test_a_phone_answers_every_kind_and_the_screen_follows(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    facilitator = _facilitator(browser, server)
    screen = browser.new_page(viewport=PROJECTOR)
    screen.goto(f"{server.url}/screen")
    screen.get_by_text("Eniten peukutetut ideat").or_(screen.get_by_text("Ei vielä vastauksia.")).first.wait_for()
    _shot(screen, "screen-empty")

    phone = _join(browser, server, channel="Striimin kautta", region="Pirkanmaa")
    assert "p=" in phone.url  # the anonymous token lives in the URL
    _shot(phone, "phone-questions")

    idea = "Yhteinen TKI-tiekartta <b>maakunnille</b>"
    _send_idea(phone, idea, tick="Osaaminen ja sivistys")
    sent = time.monotonic()
    screen.locator("ol.scr-ideas li").filter(has_text=idea).wait_for(timeout=5000)
    elapsed = time.monotonic() - sent
    print(f"\nphone submit acknowledged -> idea on the projector: {elapsed:.2f} s (screen interval 1.5 s)")
    assert elapsed < 5.0
    assert screen.locator("ol.scr-ideas b").count() == 0  # markup shown as text, not rendered

    words = _form(phone, "Kuvaile alueesi")
    words.get_by_role("textbox").fill("osaaminen, vienti")
    words.get_by_role("button", name="Lähetä").click()
    phone.get_by_text("Kiitos! Vastauksesi on tallennettu.").nth(1).wait_for()

    rating = _form(phone, "Kuinka tärkeä")
    for group in rating.locator('[data-testid="stRadio"]').all()[:3]:
        group.get_by_text("5", exact=True).click()
        assert group.get_by_role("radio", name="5").is_checked()
    rating.get_by_role("button", name="Lähetä").click()
    _outcome(phone, "Kiitos, arviosi on tallennettu.")

    poll = _form(phone, "Mikä vaikeuttaa eniten")
    poll.locator('[role="radiogroup"] label').first.click()
    poll.get_by_role("button", name="Lähetä").click()
    phone.get_by_text("Vastasit:").wait_for()
    _shot(phone, "phone-answered")

    # A second phone in the room adds an idea, a third upvotes it: it moves to the top.
    second = _join(browser, server, channel="Salissa", region=None)
    _send_idea(second, "Maakuntien älykkään erikoistumisen strategiat TKI-rahoituksen pohjaksi")
    screen.locator("ol.scr-ideas li").nth(1).wait_for(timeout=5000)
    assert _screen_ideas(screen)[0] == idea
    third = _join(browser, server, channel="Salissa", region="Uusimaa")
    third.locator('[data-testid="stVerticalBlock"]').filter(has_text="älykkään erikoistumisen").get_by_role(
        "button", name="Peukuta"
    ).last.click()
    third.get_by_text("Peukutettu").wait_for()
    # The first phone is told there are new ideas (its own and the second phone's) and shows them when
    # asked: the list does not jump under a thumb.
    phone.get_by_role("button", name="Uusia ideoita: 2 – näytä").click(timeout=10000)
    phone.get_by_text("älykkään erikoistumisen").wait_for()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not _screen_ideas(screen)[0].startswith("Maakuntien"):
        screen.wait_for_timeout(250)
    assert _screen_ideas(screen)[0].startswith("Maakuntien")
    _shot(screen, "screen-ideas")

    # The projector follows the facilitator to the rating question.
    facilitator.locator('[data-testid="stVerticalBlock"]').filter(has_text="Kuinka tärkeä").get_by_role(
        "button", name="Näytä näytöllä"
    ).last.click()
    facilitator.get_by_role("button", name="Näytä tulokset").click()
    screen.locator(".js-plotly-plot").first.wait_for(timeout=8000)
    _shot(screen, "screen-rating")

    engine = create_engine(server.db_url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT kind, channel, region FROM inputs ORDER BY id")).all()
    assert [tuple(r) for r in before] == [
        ("idea", "stream", "MK06"),
        ("words", "stream", "MK06"),
        ("rating", "stream", "MK06"),
        ("poll", "stream", "MK06"),
        ("idea", "room", None),
    ]

    # Stop the app and start it again: nothing acknowledged is lost, the live state is kept.
    server.stop()
    server.start()
    with engine.connect() as conn:
        after = conn.execute(text("SELECT kind, channel, region FROM inputs ORDER BY id")).all()
        votes = conn.execute(text("SELECT COUNT(*) FROM votes")).scalar()
        ticked = conn.execute(text("SELECT element FROM input_tags")).scalars().all()
    assert after == before and votes == 1
    assert "E3" in ticked
    screen.goto(f"{server.url}/screen")
    # The first page after a start pays the warm-up (dictionaries, migrations, seeding): up to 20 s in CI.
    screen.locator(".js-plotly-plot").first.wait_for(timeout=20000)
    # The first visitor after a restart sees no list of the app's files (facilitator pages included).
    assert screen.get_by_text("facilitate").count() == 0


def test_a_visitor_without_the_password_reaches_no_facilitator_action(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=PHONE)
    for path in ("/facilitate", "/facilitate?code=ALKE25", "/analysis", "/summary", "/login"):
        page.goto(f"{server.url}{path}")
        page.wait_for_timeout(1500)
        assert page.get_by_role("button", name="Näytä tulokset").count() == 0
        assert page.get_by_role("button", name="Avaa", exact=True).count() == 0
        assert page.get_by_role("heading", name="Fasilitointi").count() == 0
        assert page.get_by_role("button", name="Word (.docx)").count() == 0
    page.get_by_label("Salasana").fill("wrong")
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_text("Väärä salasana.").wait_for()


# --- the analysis page on a seeded day ----------------------------------------------------------


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on the demo dataset: 300 phones, both channels, every region, about 2,700 inputs."""
    require(Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    url = f"http://127.0.0.1:{free_port()}"
    db_url = f"sqlite:///{tmp_path_factory.mktemp('seeded') / 'day.db'}"
    engine = make_engine(url=db_url)
    migrate(engine=engine)
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    demo.populate(engine=engine, catalogue=catalogue, event=event, participants=300)
    engine.dispose()
    env = {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_FACILITATOR_PASSWORD": PASSWORD,
        "ALKEDASH_ORGANISER_PASSWORD": access.hash_password(password=ORGANISER_PASSWORD),
    }
    srv = Server(url=url, db_url=db_url, env=env)
    srv.start()
    yield srv
    srv.stop()


def _metric_values(page) -> list[int]:  # type: ignore[no-untyped-def]
    # Read past the locale's digit grouping: 2 712 in Finnish, 2,712 in English.
    return [
        int("".join(c for c in v if c.isdigit()))
        for v in page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    ]


def _charts(page) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """What plotly drew: each chart's traces (type, name, x, y, text) and its legend title."""
    return page.evaluate(
        """() => {
            const list = v => v == null ? null : (Array.isArray(v) || ArrayBuffer.isView(v)) ? Array.from(v) : v;
            return [...document.querySelectorAll('.js-plotly-plot')].map(el => ({
                legend: el.layout.legend && el.layout.legend.title ? el.layout.legend.title.text : null,
                data: el._fullData.map(t => ({type: t.type, name: t.name, x: list(t.x), y: list(t.y),
                                              text: list(t.text), z: t.z ? t.z.map(list) : null}))}));
        }"""
    )


def _wait_for_charts(page, n: int) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {n}", timeout=30000)


def _db(server: Server, query: str, **params: object) -> list[tuple]:  # type: ignore[type-arg]
    engine = create_engine(server.db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query), params)]
    finally:
        engine.dispose()


def _wait_until_metrics(page, expected: list[int]) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and _metric_values(page) != expected:
        page.wait_for_timeout(250)
    assert _metric_values(page) == expected


def test_the_analysis_page_agrees_with_the_database_under_every_filter(browser, seeded_server: Server) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 6500})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(seeded_server.url) else None)
    _sign_in(page, seeded_server)
    page.get_by_role("link", name="Analyysi").first.click()
    page.get_by_role("heading", name="Analyysi").wait_for()
    _wait_for_charts(page, 8)

    visible = "FROM inputs WHERE hidden = 0"
    ((inputs, people, ideas),) = _db(
        seeded_server,
        f"SELECT COUNT(*), COUNT(DISTINCT participant_id), SUM(kind = 'idea') {visible}",
    )
    assert inputs > 2000
    _wait_until_metrics(page, [inputs, people, ideas])  # the metrics may still be redrawing after the charts

    # The map: every region's number is the database's count of people who answered from it.
    per_region = dict(_db(seeded_server, f"SELECT region, COUNT(DISTINCT participant_id) {visible} GROUP BY region"))
    drawn = {}
    for trace in _charts(page)[0]["data"]:
        name, _, number = trace["text"].partition(": ")
        drawn[name] = int(number.split()[0])
    regions = {r.name("fi"): r.code for r in load_catalogue().regions}
    assert len(drawn) == 19
    assert {regions[n]: v for n, v in drawn.items()} == {c: per_region.get(c, 0) for c in regions.values()}
    _shot(page, "analysis-all")

    # The timeline adds up to every input.
    timeline = next(c for c in _charts(page) if c["data"] and c["data"][0]["type"] == "scatter" and c["legend"] is None)
    assert sum(sum(t["y"]) for t in timeline["data"]) == inputs

    # Filter to theme 2 and the stream: the headline, the shares and the heatmap follow.
    page.locator('[data-testid="stMultiSelect"]').filter(has_text="Teema").click()
    page.get_by_role("option", name="T2: Luonnon monimuotoisuuden turvaaminen").click()
    page.keyboard.press("Escape")
    t2 = f"{visible} AND theme_id = 'T2'"
    ((n, p, i),) = _db(seeded_server, f"SELECT COUNT(*), COUNT(DISTINCT participant_id), SUM(kind = 'idea') {t2}")
    _wait_until_metrics(page, [n, p, i])
    page.get_by_role("button", name="Striimin kautta").first.click()
    t2s = f"{t2} AND channel = 'stream'"
    ((n, p, i),) = _db(seeded_server, f"SELECT COUNT(*), COUNT(DISTINCT participant_id), SUM(kind = 'idea') {t2s}")
    _wait_until_metrics(page, [n, p, i])
    _wait_for_charts(page, 6)
    page.wait_for_timeout(1500)

    drawn_charts = _charts(page)
    shares = next(
        c for c in drawn_charts if any(t["name"] == "Striimin kautta" and t["type"] == "bar" for t in c["data"])
    )
    stream_bar = next(t for t in shares["data"] if t["name"] == "Striimin kautta")
    inputs_row = stream_bar["y"].index("T2 · Vastauksia")
    assert stream_bar["text"][inputs_row] == f"{n} (100\u00a0%)"  # Finnish: count, then share with a no-break space

    heat = next(c for c in drawn_charts if c["data"] and c["data"][0]["type"] == "heatmap")["data"][0]
    means = _db(
        seeded_server,
        "SELECT r.element, AVG(r.value), COUNT(*) FROM ratings r JOIN inputs i ON i.id = r.input_id"
        " WHERE i.hidden = 0 AND i.theme_id = 'T2' AND i.channel = 'stream' GROUP BY r.element ORDER BY r.element",
    )
    cells = dict(zip(heat["x"], heat["text"][0], strict=True))
    frame = load_catalogue().frame
    for element, mean, count in means:
        shown, _, n_shown = cells[frame.element(element).title("fi")].partition("<br>")
        assert abs(float(shown.replace(",", ".")) - mean) <= 0.051 and n_shown == f"(n={count})", element  # 3,4
    _shot(page, "analysis-t2-stream")
    assert outside == []


def test_the_summary_downloads_from_the_page_and_its_html_works_offline(  # type: ignore[no-untyped-def]
    browser, seeded_server: Server, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    _sign_in(page, seeded_server, organiser=True)
    page.get_by_role("link", name="Yhteenveto").first.click()
    page.get_by_role("heading", name="Yhteenveto ja lataukset").wait_for()
    _shot(page, "summary-page")
    files = {}
    for label in ("Word (.docx)", "Verkkosivu (.html)", "Excel (.xlsx)"):
        with page.expect_download(timeout=60_000) as info:
            page.get_by_role("button", name=label).click()
        files[label] = tmp_path / info.value.suggested_filename
        info.value.save_as(files[label])
    assert files["Word (.docx)"].name == "alke-2025-kaikki-fi-yhteenveto.docx"

    import docx
    import openpyxl

    ((inputs, people),) = _db(
        seeded_server, "SELECT COUNT(*), COUNT(DISTINCT participant_id) FROM inputs WHERE hidden = 0"
    )
    document = docx.Document(str(files["Word (.docx)"]))
    assert any(p.text.startswith(f"Vastanneita osallistujia {people}:") for p in document.paragraphs)
    assert openpyxl.load_workbook(files["Excel (.xlsx)"])["Vastaukset"].max_row - 1 == inputs

    # The HTML file on its own, with the network cut: every chart draws, nothing is fetched.
    context = browser.new_context(offline=True, viewport={"width": 1300, "height": 2000})
    offline = context.new_page()
    fetched: list[str] = []
    offline.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    offline.goto(files["Verkkosivu (.html)"].as_uri())
    _wait_for_charts(offline, 8)
    assert f"Vastanneita osallistujia {people}:" in offline.inner_text("main")
    assert offline.locator("img[alt^='Sanapilvi']").count() == 3
    _shot(offline, "summary-html")
    context.close()
    assert fetched == []


# --- participants' markup on the projector --------------------------------------------------------

HOSTILE_IDEAS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def test_script_and_html_in_an_idea_are_shown_as_text_on_the_screen_and_run_nowhere(  # type: ignore[no-untyped-def]
    browser, server: Server
) -> None:
    from alkedash import live

    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    engine = make_engine(url=server.db_url)
    try:  # the idea question of theme 1 open, on the screen, results shown (also when this test runs alone)
        migrate(engine=engine)
        live.ensure_event(engine=engine, event=event)
        live.set_theme(engine=engine, event=event, theme_id="T1")
        live.set_open(engine=engine, event=event, question_id="T1-idea", is_open=True)
        live.set_revealed(engine=engine, event=event, revealed=True)
    finally:
        engine.dispose()

    dialogs: list[str] = []

    def watched(page):  # type: ignore[no-untyped-def]
        """A page on which any alert, confirm or prompt is recorded (and dismissed): the test then fails."""
        page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
        return page

    screen = watched(browser.new_page(viewport=PROJECTOR))
    screen.goto(f"{server.url}/screen")
    phone = _join(browser, server, channel="Salissa", region=None)
    watched(phone)
    for idea in HOSTILE_IDEAS:
        _send_idea(phone, idea)

    for idea in HOSTILE_IDEAS:  # the literal characters are on the projector: escaped, not parsed
        screen.locator("ol.scr-ideas li").filter(has_text=idea).first.wait_for(timeout=8000)
    screen.wait_for_timeout(1500)  # one more refresh of the screen (every 1.5 s here) with both ideas drawn
    injected = screen.evaluate(
        """() => ({
            scripts: [...document.scripts].filter(s => s.textContent.includes('alert(1)')).length,
            images: document.querySelectorAll('img[src="x"], img[onerror]').length,
            inList: document.querySelectorAll('ol.scr-ideas script, ol.scr-ideas img').length,
        })"""
    )
    assert injected == {"scripts": 0, "images": 0, "inList": 0}
    _shot(screen, "screen-hostile-ideas")

    # The phone's own list of ideas and the facilitator's moderation list show them as text too.
    phone.reload()
    phone.get_by_text("Nyt keskustellaan").wait_for()
    for idea in HOSTILE_IDEAS:
        phone.get_by_text(idea, exact=True).first.wait_for(timeout=8000)
    facilitator = watched(browser.new_page(viewport={"width": 1280, "height": 900}))
    _sign_in(facilitator, server)
    facilitator.get_by_role("link", name="Siirry fasilitointiin").click()
    facilitator.get_by_role("heading", name="Fasilitointi").wait_for()
    for idea in HOSTILE_IDEAS:
        facilitator.get_by_text(idea, exact=True).first.wait_for(timeout=8000)
    for page in (phone, facilitator):
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0
    assert dialogs == []


def test_an_organiser_creates_an_event_opens_it_and_a_phone_answers_in_it(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    organiser = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(organiser, server, organiser=True)
    organiser.get_by_role("link", name="Tapahtumat").click()
    organiser.get_by_role("heading", name="Tapahtumat", exact=True).wait_for()
    # The 2025 event is over: cloned as the next one's basis, named, saved.
    organiser.get_by_role("textbox", name="Uuden tunniste").fill("alke-2027")
    organiser.get_by_role("textbox", name="Uuden liittymiskoodi").fill("alke27")
    organiser.get_by_role("button", name="Kloonaa ja avaa muokattavaksi").click()
    organiser.get_by_text("Kopio on luonnos").wait_for()
    organiser.get_by_role("textbox", name="Nimi (Suomi)").fill("ALKE-keskustelut 2027")
    organiser.get_by_role("textbox", name="Kaupunki").fill("Lahti")
    organiser.get_by_role("button", name="Tallenna tapahtuma").click()
    organiser.get_by_text("Tallennettu: ALKE-keskustelut 2027").wait_for()
    _shot(organiser, "events-saved")
    assert _db(server, "SELECT join_code FROM event_setups WHERE slug = 'alke-2027'") == [("ALKE27",)]
    # Opened for the room: the facilitator's page of the new event opens its first question.
    organiser.get_by_role("link", name="Fasilitoi tätä tapahtumaa").click()
    organiser.get_by_role("heading", name="Fasilitointi").wait_for()
    organiser.get_by_role("button", name="Avaa", exact=True).first.click()
    organiser.wait_for_timeout(800)
    # A phone joins with the new join code and answers.
    phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    phone.goto(f"{server.url}/?code=ALKE27")
    phone.get_by_text("ALKE-keskustelut 2027").first.wait_for()
    phone.get_by_text("Salissa", exact=True).click()
    phone.get_by_role("button", name="Liity").click()
    phone.get_by_text("Nyt keskustellaan").wait_for()
    _send_idea(phone, "Lahden idea uudelle tapahtumalle")
    _shot(phone, "events-phone")
    assert _db(server, "SELECT event, text FROM inputs WHERE text LIKE 'Lahden%'") == [
        ("alke-2027", "Lahden idea uudelle tapahtumalle")
    ]
    organiser.close()
    phone.close()
