from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from alkedash import intake, live
from alkedash.content import Catalogue, Event
from tests.conftest import still_finnish

VIEWS = Path(__file__).resolve().parent.parent / "views"


def test_without_the_role_the_facilitator_view_is_not_even_in_the_navigation(app) -> None:  # type: ignore[no-untyped-def]
    at = app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/facilitate.py")


def test_run_directly_without_the_role_the_facilitator_view_refuses(app) -> None:  # type: ignore[no-untyped-def]
    """The second line of defence, should the view ever be reached some other way."""
    at = AppTest.from_file(str(VIEWS / "facilitate.py"), default_timeout=30).run()
    assert "vain fasilitaattoreille" in at.error[0].value
    assert not at.button and not at.title


def test_a_facilitator_opens_a_question_and_reveals_results(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/facilitate.py", role="facilitator")
    assert not at.exception
    assert at.title[0].value == "Fasilitointi"
    at.button(key="open-T1-idea").click().run()
    at.button(key="reveal").click().run()
    state = live.current(engine=app.engine, event_slug=event.slug)
    assert "T1-idea" in state.open_questions and state.revealed
    at.button(key="theme-T2").click().run()
    state = live.current(engine=app.engine, event_slug=event.slug)
    assert (state.theme_id, state.question_id, state.revealed) == ("T2", "T2-idea", False)


def test_a_facilitator_hides_and_highlights_an_idea(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    live.set_open(engine=app.engine, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=app.engine, event=event, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    idea = intake.submit(
        engine=app.engine,
        event=event,
        frame_keys=catalogue.frame.keys,
        token=token,
        question_id="T1-idea",
        text="<script>alert(1)</script>",
    ).input_id
    at = app(page="views/facilitate.py", role="facilitator")
    assert "<script>alert(1)</script>" in [t.value for t in at.text]  # shown as literal text
    at.button(key=f"hl-{idea}").click().run()
    at.button(key=f"hide-{idea}").click().run()
    from sqlalchemy import text

    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT hidden, highlighted FROM inputs")).one() == (True, True)
        assert conn.execute(text("SELECT COUNT(*) FROM moderation_log")).scalar() == 2


def test_the_facilitator_sees_the_live_themes_ideas_in_groups(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    from alkedash import demo

    demo.populate(engine=app.engine, catalogue=catalogue, event=event, participants=20)
    live.set_theme(engine=app.engine, event=event, theme_id="T2")
    at = app(page="views/facilitate.py", role="facilitator")
    assert not at.exception
    assert "Idearyhmät" in [h.value for h in at.subheader]
    groups = [m.value for m in at.markdown if m.value.startswith("**1. ")]
    assert groups and groups[0].endswith("ideaa")


def test_a_facilitator_approves_or_rejects_what_waits_and_the_log_says_who(  # type: ignore[no-untyped-def]
    app, catalogue: Catalogue, event: Event
) -> None:
    live.set_open(engine=app.engine, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=app.engine, event=event, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    at = app(page="views/facilitate.py", role="facilitator")
    at.button(key="premoderation").click().run()  # pre-moderation on
    assert live.current(engine=app.engine, event_slug=event.slug).premoderation

    def send(text_: str) -> int:
        return intake.submit(
            engine=app.engine, event=event, frame_keys=catalogue.frame.keys, token=token, question_id="T1-idea",
            text=text_,
        ).input_id  # fmt: skip

    good, bad, sworn = send("Hyvä idea"), send("<b>Huono</b> idea"), send("Vitun hyvä idea")
    at.run()
    assert "Odottaa tarkistusta (3)" in [h.value for h in at.subheader]
    assert "<b>Huono</b> idea" in [t.value for t in at.text]  # literal text, not markup
    assert any("sanasuodatin" in c.value for c in at.caption)  # the filter's catch says why it waits
    at.button(key=f"approve-{good}").click().run()
    at.button(key=f"reject-{bad}").click().run()
    at.button(key=f"approve-{sworn}").click().run()
    assert not [h.value for h in at.subheader if h.value.startswith("Odottaa")]
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, hidden, held FROM inputs ORDER BY id")).all()
        log = conn.execute(text("SELECT input_id, action, actor FROM moderation_log ORDER BY id")).all()
    assert rows == [(good, False, False), (bad, True, False), (sworn, False, False)]
    assert log == [
        (sworn, "hold", "word filter"),
        (good, "approve", "facilitator"),
        (bad, "reject", "facilitator"),
        (sworn, "approve", "facilitator"),
    ]
    table = at.dataframe[-1].value  # the log tab: a table with a CSV download under it
    assert list(table["Toimenpide"]) == [
        "sanasuodatin pidätti tarkistettavaksi",
        "hyväksytty näkyviin",
        "hylätty (piilotettu)",
        "hyväksytty näkyviin",
    ]


def test_a_facilitator_ends_the_event_and_can_reopen_it(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/facilitate.py", role="facilitator")
    at.button(key=next(b.key for b in at.button if b.label == "Päätä tapahtuma")).click().run()
    assert live.current(engine=app.engine, event_slug=event.slug).closed
    assert any("Tapahtuma on päätetty" in e.value for e in at.error)
    at.button(key=next(b.key for b in at.button if b.label == "Avaa tapahtuma uudelleen")).click().run()
    assert not live.current(engine=app.engine, event_slug=event.slug).closed


def test_one_tap_hides_everything_a_flooding_phone_wrote(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    live.set_open(engine=app.engine, event=event, question_id="T1-idea", is_open=True)
    spammer = intake.join(
        engine=app.engine, event=event, channel="stream", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    ids = [
        intake.submit(
            engine=app.engine, event=event, frame_keys=catalogue.frame.keys, token=spammer, question_id="T1-idea",
            text=f"Mainos {n}",
        ).input_id
        for n in range(3)
    ]  # fmt: skip
    at = app(page="views/facilitate.py", role="facilitator")
    at.button(key=f"flood-{ids[0]}").click().run()
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM inputs WHERE hidden")).scalar() == 3
    assert not at.exception


def test_the_facilitator_switches_the_screens_language(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = app(page="views/facilitate.py", role="facilitator")
    buttons = {b.key: b for b in at.button if b.key and b.key.startswith("screen-lang-")}
    assert [b.label for b in buttons.values()] == ["Suomi", "Svenska", "English"]  # each in its own language
    assert buttons["screen-lang-fi"].disabled and buttons["screen-lang-fi"].proto.type == "primary"
    assert "**Näytön kieli**" in [m.value for m in at.markdown]
    at.button(key="screen-lang-sv").click().run()
    assert not at.exception
    assert live.current(engine=app.engine, event_slug=event.slug).screen_lang == "sv"
    assert at.button(key="screen-lang-sv").disabled and not at.button(key="screen-lang-fi").disabled
    assert at.title[0].value == "Fasilitointi"  # the facilitator's own page stays in the facilitator's language


def finnish_left(at: AppTest, *, lang: str) -> list[str]:
    """Rendered UI texts that are still a Finnish source string the catalogue translates otherwise."""
    shown = [
        *(e.value for e in (*at.title, *at.header, *at.subheader, *at.caption, *at.info, *at.error, *at.success)),
        *(e.label for e in (*at.button, *at.tabs, *at.metric, *at.expander)),
        *(e.help for e in at.metric if e.help),
        *(e.value for e in at.markdown),
    ]
    return still_finnish(shown, lang=lang)


@pytest.mark.parametrize(
    ("lang", "title", "premoderation", "tabs", "end"),
    [
        ("sv", "Facilitering", "Slå på förhandsmoderering", ["Styrning och moderering", "Idégrupper",
         "Avslutning och logg"], "Avsluta evenemanget"),
        ("en", "Facilitation", "Turn on pre-moderation", ["Control and moderation", "Idea groups", "Ending and log"],
         "End the event"),
    ],
)  # fmt: skip
def test_the_facilitate_page_speaks_swedish_and_english(  # type: ignore[no-untyped-def]
    app, catalogue: Catalogue, event: Event, lang: str, title: str, premoderation: str, tabs: list[str], end: str
) -> None:
    live.set_open(engine=app.engine, event=event, question_id="T1-idea", is_open=True)
    token = intake.join(
        engine=app.engine, event=event, channel="room", region=None, org_type=None, lang="fi", catalogue=catalogue
    )
    intake.submit(
        engine=app.engine, event=event, frame_keys=catalogue.frame.keys, token=token, question_id="T1-idea",
        text="Kirjoitettu suomeksi",
    )  # fmt: skip
    at = app(page="views/facilitate.py", role="facilitator", lang=lang)
    assert not at.exception
    assert at.title[0].value == title
    assert at.button(key="premoderation").label == premoderation
    assert [t.label for t in at.tabs] == tabs
    assert end in [b.label for b in at.button]
    assert event.event.name is not None and event.event.name(lang) in at.caption[0].value  # content in that language
    theme = event.themes[0]
    assert theme.title is not None and any(theme.title(lang) in b.label for b in at.button)
    assert any(theme.questions[0].prompt(lang) in m.value for m in at.markdown)
    assert "Kirjoitettu suomeksi" in [t.value for t in at.text]  # a participant's own text as written
    assert not finnish_left(at, lang=lang)
    at.button(key="premoderation").click().run()  # a moderation step, then its log, in the same language
    with app.engine.connect() as conn:
        idea = conn.execute(text("SELECT id FROM inputs")).scalar_one()
    at.button(key=f"hl-{idea}").click().run()
    assert not at.exception and not finnish_left(at, lang=lang)
    action = {"sv": "Åtgärd", "en": "Action"}[lang]
    assert list(at.dataframe[-1].value[action]) == [{"sv": "framlyft", "en": "highlighted"}[lang]]
    when = {"sv": "Tid (finsk tid)", "en": "Time (Finnish time)"}[lang]
    shown = json.loads(at.dataframe[-1].proto.columns)[when]["type_config"]["format"]
    assert shown == {"sv": "YYYY-MM-DD HH:mm:ss", "en": "DD/MM/YYYY, HH:mm:ss"}[lang]  # the locale's way with times
