"""The organiser's memo page: status moves, comments by section and organisation to mark handled,
who has not commented yet, the links; and a comment written on the commenter's page shows up here."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from alkedash import comments
from alkedash.comments import CommentError
from alkedash.content import Catalogue, Event

VIEWS = Path(__file__).resolve().parent.parent / "views"
HOSTILE = "<script>alert(1)</script> **ei lihavoitu** | =SUM(A1)"
ORGS = 12 + 18  # without Åland


def _memos(app, lang: str = "fi") -> AppTest:  # type: ignore[no-untyped-def]
    return app(page="views/memos.py", role="organiser", code="ALKE25", lang=lang)


def _links(app, catalogue: Catalogue, event: Event) -> dict[str, str]:  # type: ignore[no-untyped-def]
    comments.create_links(engine=app.engine, event_slug=event.slug, catalogue=catalogue)
    return {link.org_code: link.code for link in comments.links(engine=app.engine, event_slug=event.slug)}


def _comment(app, event: Event, code: str, text: str, **kw: str) -> int:  # type: ignore[no-untyped-def]
    args = {"theme_id": "T1", "section": "scope", "author": None, "lang": "fi"} | kw
    receipt = comments.add_comment(engine=app.engine, event=event, code=code, text=text, throttle=None, **args)  # type: ignore[arg-type]
    return receipt.comment_id


@pytest.mark.parametrize("role", [None, "facilitator"])
def test_only_an_organiser_reaches_the_memo_page(app, role: str | None) -> None:  # type: ignore[no-untyped-def]
    at = app(role=role)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/memos.py")
    direct = AppTest.from_file(str(VIEWS / "memos.py"), default_timeout=30)
    if role:
        direct.session_state["alkedash_role"] = role
    direct.run()
    assert "vain järjestäjille" in direct.error[0].value and not direct.title and not direct.button


@pytest.mark.parametrize(
    ("lang", "title", "headers", "create"),
    [
        ("fi", "Muistiot", ["Muistioiden tila", "Kommentit", "Kuka on kommentoinut", "Kommentointilinkit",
                            "Poista kommentointikierroksen tiedot"], "Luo linkit"),
        ("sv", "Promemorior", ["Promemoriornas status", "Kommentarer", "Vem har kommenterat", "Kommentarslänkar",
                               "Radera kommentarsrundans uppgifter"], "Skapa länkar"),
        ("en", "Memos", ["Status of the memos", "Comments", "Who has commented", "Comment links",
                         "Erase the comment round's data"], "Create links"),
    ],
)  # fmt: skip
def test_the_page_starts_with_no_links_and_makes_one_per_organisation(  # type: ignore[no-untyped-def]
    app, event: Event, lang: str, title: str, headers: list[str], create: str
) -> None:
    at = _memos(app, lang=lang)
    assert not at.exception
    assert at.title[0].value == title and [h.value for h in at.header] == headers
    assert at.info  # no links yet: says where to make them
    button = at.button(key="links-create")
    assert button.label.startswith(create) and f"({ORGS})" in button.label
    button.click().run()
    assert not at.exception and not at.info
    assert not [b for b in at.button if b.key == "links-create"]  # all made
    links = at.dataframe[-1].value
    assert len(links) == ORGS
    urls = list(links.iloc[:, -1])
    assert all(u.startswith("http://localhost:8501/comment?c=") for u in urls)  # the settings' public_url
    stored = {comments.link_url(public_url="http://localhost:8501", code=c.code) for c in comments.links(
        engine=app.engine, event_slug=event.slug)}  # fmt: skip
    assert set(urls) == stored
    assert at.get("code")[0].value in stored  # the chosen organisation's link, with a copy button


def test_comments_are_grouped_by_section_then_organisation_escaped_and_marked_handled(  # type: ignore[no-untyped-def]
    app, catalogue: Catalogue, event: Event
) -> None:
    codes = _links(app, catalogue, event)
    _comment(app, event, codes["YM"], "Rajaus on liian laaja.")
    first = _comment(app, event, codes["MK01"], HOSTILE, author="Maija Meikäläinen", lang="sv")
    _comment(app, event, codes["MK01"], "Lopputulema: tiekartta.", section="expected_outcome")
    _comment(app, event, codes["TEM"], "Teeman 2 kommentti", theme_id="T2")
    at = _memos(app)
    assert not at.exception
    assert [s.value for s in at.subheader] == [
        "Rajaus ja keskustelukysymykset (2)",
        "Keskustelun odotettu lopputulema (1)",
    ]
    orgs = [m.value for m in at.markdown if " · " in m.value]
    assert orgs == [
        "**Ympäristöministeriö** · Ministeriö",
        "**Uusimaa** · Maakunnan liitto",
        "**Uusimaa** · Maakunnan liitto",
    ]
    assert [t.value for t in at.text] == ["Rajaus on liian laaja.", HOSTILE, "Lopputulema: tiekartta."]
    assert not any("alert(1)" in str(h.proto.body) for h in at.get("html"))
    assert any("Maija Meikäläinen" in c.value and "Svenska" in c.value for c in at.caption)
    assert "Teeman 2 kommentti" not in [t.value for t in at.text]  # another theme

    at.button(key=f"handled-{first}").click().run()
    assert not at.exception
    assert at.button(key=f"handled-{first}").label == "Palauta käsittelemättömäksi"
    assert any("käsitelty" in c.value and "(järjestäjä)" in c.value for c in at.caption)
    [done] = [c for c in comments.comments(engine=app.engine, event_slug=event.slug) if c.id == first]
    assert done.handled and done.handled_by == "organiser"

    at.toggle(key="memos-unhandled").set_value(True).run()
    assert HOSTILE not in [t.value for t in at.text] and len(at.text) == 2

    at.selectbox(key="memos-theme").set_value("T2").run()
    assert [t.value for t in at.text] == ["Teeman 2 kommentti"]
    csv = at.get("download_button")
    assert "Lataa kaikki kommentit (CSV)" in [str(d.proto.label) for d in csv]


def test_status_moves_one_step_and_the_programme_shows_it(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = _memos(app)
    assert [b.label for b in at.button if b.key.startswith("move-T1-")] == ["Merkitse kommentoiduksi"]
    assert "Tila: **luonnos**" in at.caption[1].value
    at.button(key="move-T1-commented").click().run()
    assert [b.label for b in at.button if b.key.startswith("move-T1-")] == [
        "Merkitse valmiiksi",
        "Palauta luonnokseksi",
    ]
    at.button(key="move-T1-final").click().run()
    assert [b.label for b in at.button if b.key.startswith("move-T1-")] == ["Avaa uudelleen kommentoitavaksi"]
    assert comments.memo_status(engine=app.engine, event=event, theme_id="T1") == "final"

    programme = app(page="views/programme.py", code="ALKE25", lang="en")
    assert [e.label for e in programme.expander][:2] == ["Background memo (final)", "Background memo (draft)"]


def test_a_move_someone_else_made_first_is_refused_with_a_message(app, event: Event) -> None:  # type: ignore[no-untyped-def]
    at = _memos(app)
    comments.set_memo_status(
        engine=app.engine, event=event, theme_id="T1", expected="draft", status="commented", actor="o"
    )
    at.button(key="move-T1-commented").click().run()  # drawn before the other organiser's move
    assert [e.value for e in at.error] == [comments.MESSAGES["stale_status"]]
    assert comments.memo_status(engine=app.engine, event=event, theme_id="T1") == "commented"


def test_who_has_not_commented_yet_is_visible_with_counts(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    codes = _links(app, catalogue, event)
    _comment(app, event, codes["TEM"], "Yksi")
    _comment(app, event, codes["TEM"], "Kaksi", section="ongoing")
    _comment(app, event, codes["MK19"], "Lapin kommentti", theme_id="T3")
    at = _memos(app, lang="en")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Theme 1: commented": "1 / 30", "Theme 2: commented": "0 / 30", "Theme 3: commented": "1 / 30"}
    table = at.dataframe[0].value.set_index("Organisation")
    assert table.loc["Ministry of Economic Affairs and Employment", ["Theme 1", "Theme 2", "Total"]].tolist() == [
        "2", "not yet", "2",
    ]  # fmt: skip
    assert table.loc["Lapland", "Theme 3"] == "1" and table.loc["Uusimaa", "Theme 1"] == "not yet"
    waiting = [e for e in at.expander if e.label.startswith("Not commented yet")]
    assert [e.label for e in waiting] == ["Not commented yet (29)", "Not commented yet (30)", "Not commented yet (29)"]


def test_a_revoked_link_stops_working_and_a_new_one_works(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    codes = _links(app, catalogue, event)
    at = _memos(app)
    at.selectbox(key="links-org").set_value(("ministry", "YM")).run()
    assert at.get("code")[0].value.endswith(codes["YM"])
    at.button(key="links-revoke").click().run()
    assert not at.exception and "poistettu käytöstä" in at.warning[0].value and not at.get("code")
    with pytest.raises(CommentError, match="revoked_link"):
        comments.resolve(engine=app.engine, code=codes["YM"])
    at.button(key="links-renew").click().run()
    new = at.get("code")[0].value.rsplit("=", 1)[1]
    assert new != codes["YM"] and comments.resolve(engine=app.engine, code=new).org_code == "YM"


def test_a_comment_written_through_the_link_reaches_the_organiser(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    codes = _links(app, catalogue, event)
    commenter = app(page="views/comment.py", c=codes["MK15"], lang="en")
    commenter.text_area(key="text-T1-current_state").set_value(HOSTILE)
    commenter.text_input(key="author-T1-current_state").set_value("Alex")
    next(b for b in commenter.button if b.key.startswith("FormSubmitter:form-T1-current_state-")).click().run()
    assert [s.value for s in commenter.success] == ["Thank you! Your comment has been saved."]

    at = _memos(app, lang="en")
    assert [s.value for s in at.subheader] == ["Current state: why the theme matters now (1)"]
    assert "**Ostrobothnia** · Regional council" in [m.value for m in at.markdown]
    assert [t.value for t in at.text] == [HOSTILE]
    assert any("Alex" in c.value and "English" in c.value for c in at.caption)


def test_the_comment_round_is_erased_only_when_confirmed(app, catalogue: Catalogue, event: Event) -> None:  # type: ignore[no-untyped-def]
    codes = _links(app, catalogue, event)
    _comment(app, event, codes["TEM"], "Kommentti nimellä", author="Maija Meikäläinen")
    at = _memos(app)
    erase = next(b for b in at.button if b.label == "Poista kommentit, linkit ja vaiheet")
    erase.click().run()
    assert "Vahvista poisto rastittamalla ruutu." in [e.value for e in at.error]
    assert len(comments.links(engine=app.engine, event_slug=event.slug)) == ORGS
    next(c for c in at.checkbox if c.label == "Ymmärrän, että poistettua ei saa takaisin").check()
    next(b for b in at.button if b.label == "Poista kommentit, linkit ja vaiheet").click().run()
    assert f"Poistettu: 1 kommenttia, {ORGS} linkkiä, 0 muistion vaihetta." in [s.value for s in at.success]
    assert comments.links(engine=app.engine, event_slug=event.slug) == []
