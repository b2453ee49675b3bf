"""Memo comments: links per organisation, validated comments, one row per double submit, memo
status moves, who has not commented yet, handled marking."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alkedash import comments
from alkedash.comments import CommentError
from alkedash.content import Catalogue, Event
from alkedash.models import CommentLink, MemoComment, MemoState

ORGS = 12 + 18  # data/ministries.csv + data/regions.csv without Åland (no regional council)


@pytest.fixture
def linked(engine: Engine, catalogue: Catalogue, event: Event) -> dict[tuple[str, str], str]:
    """Links for every organisation of the 2025 event: (kind, code) -> link code."""
    comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue)
    return {(link.org_kind, link.org_code): link.code for link in comments.links(engine=engine, event_slug=event.slug)}


def _add(engine: Engine, event: Event, code: str, text: str = "Hyvä rajaus.", **kw: object) -> comments.Receipt:
    args: dict[str, object] = {"theme_id": "T1", "section": "scope", "author": None, "lang": "fi", "throttle": None}
    args.update(kw)
    return comments.add_comment(engine=engine, event=event, code=code, text=text, **args)  # type: ignore[arg-type]


# --- links ---------------------------------------------------------------------------------------


def test_every_ministry_and_regional_council_gets_one_link_and_again_none(
    engine: Engine, catalogue: Catalogue, event: Event
) -> None:
    assert comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue) == ORGS
    assert comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue) == 0
    found = comments.links(engine=engine, event_slug=event.slug)
    assert len(found) == ORGS and len({link.code for link in found}) == ORGS
    assert {(link.org_kind, link.org_code) for link in found} >= {("ministry", "TEM"), ("regional_council", "MK01")}
    assert all(len(link.code) >= 32 and not link.revoked for link in found)


def test_links_are_made_once_when_two_organisers_press_at_the_same_moment(
    engine: Engine, catalogue: Catalogue, event: Event
) -> None:
    made: list[int] = []
    threads = [
        threading.Thread(
            target=lambda: made.append(comments.create_links(engine=engine, event_slug=event.slug, catalogue=catalogue))
        )
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(made) == ORGS
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(CommentLink)) == ORGS


def test_a_link_resolves_to_its_event_and_organisation(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    link = comments.resolve(engine=engine, code=linked[("regional_council", "MK15")])
    assert (link.event, link.org_kind, link.org_code) == (event.slug, "regional_council", "MK15")


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (None, "unknown_link"),
        ("", "unknown_link"),
        ("short", "unknown_link"),
        ("x" * 32, "unknown_link"),
        ("' OR 1=1 --" + "a" * 20, "unknown_link"),
        ("a" * 500, "unknown_link"),
    ],
)
def test_an_unknown_code_is_refused(engine: Engine, linked: dict, code: str | None, error: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(CommentError) as caught:
        comments.resolve(engine=engine, code=code)
    assert caught.value.code == error


def test_a_revoked_link_is_refused_and_a_renewed_one_works_with_the_comments_kept(
    engine: Engine,
    event: Event,
    linked: dict,  # type: ignore[type-arg]
) -> None:
    old = linked[("ministry", "YM")]
    _add(engine, event, old, text="Ennen uusimista.")
    comments.revoke_link(engine=engine, event_slug=event.slug, code=old)
    for attempt in (lambda: comments.resolve(engine=engine, code=old), lambda: _add(engine, event, old)):
        with pytest.raises(CommentError) as caught:
            attempt()
        assert caught.value.code == "revoked_link"
    new = comments.renew_link(engine=engine, event_slug=event.slug, code=old)
    assert new != old and comments.resolve(engine=engine, code=new).org_code == "YM"
    with pytest.raises(CommentError, match="unknown_link"):
        comments.resolve(engine=engine, code=old)
    _add(engine, event, new, text="Uusimisen jälkeen.")
    mine = comments.comments(engine=engine, event_slug=event.slug, org_kind="ministry", org_code="YM")
    assert [c.text for c in mine] == ["Ennen uusimista.", "Uusimisen jälkeen."]


def test_revoking_an_unknown_code_says_so(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(CommentError, match="unknown_link"):
        comments.revoke_link(engine=engine, event_slug=event.slug, code="y" * 32)


def test_the_link_url_carries_the_code() -> None:
    assert comments.link_url(public_url="https://alke.example/", code="abc-_123") == (
        "https://alke.example/comment?c=abc-_123"
    )


# --- comments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields", "error"),
    [
        ("", {}, "empty"),
        ("   \n\t  ", {}, "empty"),
        ("\u200b\u200b", {}, "empty"),
        ("x" * (comments.TEXT_MAX_CHARS + 1), {}, "too_long"),
        ("Hyvä", {"section": "summary"}, "unknown_section"),
        ("Hyvä", {"theme_id": "T9"}, "unknown_theme"),
        ("Hyvä", {"author": "n" * (comments.AUTHOR_MAX_CHARS + 1)}, "author_too_long"),
    ],
)
def test_a_comment_is_validated(
    engine: Engine, event: Event, linked: dict, text: str, fields: dict, error: str
) -> None:  # type: ignore[type-arg]
    with pytest.raises(CommentError) as caught:
        _add(engine, event, linked[("ministry", "TEM")], text=text, **fields)
    assert caught.value.code == error
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(MemoComment)) == 0


def test_a_comment_is_stored_as_written_with_its_language_and_author(
    engine: Engine, event: Event, linked: dict
) -> None:  # type: ignore[type-arg]
    text = "  Ensimmäinen kappale.\r\n\r\nToinen kappale: <script>alert(1)</script> **ei lihavoitu**\x00  "
    receipt = _add(
        engine,
        event,
        linked[("regional_council", "MK15")],
        text=text,
        section="ongoing",
        author=" Anna  A. ",
        lang="sv",
    )
    assert not receipt.duplicate
    [stored] = comments.comments(engine=engine, event_slug=event.slug)
    assert stored.text == "Ensimmäinen kappale.\n\nToinen kappale: <script>alert(1)</script> **ei lihavoitu**"
    assert (stored.section, stored.org_code, stored.author, stored.lang) == ("ongoing", "MK15", "Anna A.", "sv")
    assert not stored.handled


def test_the_longest_comment_allowed_is_stored(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    _add(engine, event, linked[("ministry", "TEM")], text="ä" * comments.TEXT_MAX_CHARS)
    assert len(comments.comments(engine=engine, event_slug=event.slug)[0].text) == comments.TEXT_MAX_CHARS


def test_a_double_submit_is_one_comment(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    code = linked[("ministry", "TEM")]
    first = _add(engine, event, code, text="Sama teksti.")
    second = _add(engine, event, code, text="Sama teksti.  ")
    assert second == comments.Receipt(comment_id=first.comment_id, duplicate=True)
    # another section, another organisation: other comments
    assert not _add(engine, event, code, text="Sama teksti.", section="ongoing").duplicate
    assert not _add(engine, event, linked[("ministry", "YM")], text="Sama teksti.").duplicate
    assert len(comments.comments(engine=engine, event_slug=event.slug)) == 3


def test_two_parallel_submits_of_the_same_comment_are_one_row(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    code = linked[("ministry", "TEM")]
    receipts: list[comments.Receipt] = []
    threads = [
        threading.Thread(target=lambda: receipts.append(_add(engine, event, code, text="Rinnakkain.")))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.comment_id for r in receipts}) == 1 and sum(not r.duplicate for r in receipts) == 1


def test_a_final_memo_takes_no_comments(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    for before, after in (("draft", "commented"), ("commented", "final")):
        comments.set_memo_status(engine=engine, event=event, theme_id="T2", expected=before, status=after, actor="o")
    with pytest.raises(CommentError, match="memo_final"):
        _add(engine, event, linked[("ministry", "TEM")], theme_id="T2")
    assert not _add(engine, event, linked[("ministry", "TEM")], theme_id="T1").duplicate  # other themes are open


def test_a_link_of_another_event_cannot_comment_on_this_one(engine: Engine, catalogue: Catalogue, event: Event) -> None:
    comments.create_links(engine=engine, event_slug="other-event", catalogue=catalogue)
    code = comments.links(engine=engine, event_slug="other-event")[0].code
    with pytest.raises(CommentError, match="unknown_link"):
        _add(engine, event, code)


def test_a_link_sending_too_fast_is_slowed_down(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    from alkedash.throttle import Throttle

    throttle = Throttle(limit=2, window=60.0)
    code = linked[("ministry", "TEM")]
    for n in range(2):
        _add(engine, event, code, text=f"Kommentti {n}", throttle=throttle)
    with pytest.raises(CommentError) as caught:
        _add(engine, event, code, text="Kolmas", throttle=throttle)
    assert caught.value.code == "too_fast" and caught.value.params["seconds"] >= 1


def test_the_commenter_sees_only_their_own_comments(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    _add(engine, event, linked[("ministry", "TEM")], text="TEM:n kommentti")
    _add(engine, event, linked[("ministry", "YM")], text="YM:n kommentti")
    mine = comments.comments(engine=engine, event_slug=event.slug, org_kind="ministry", org_code="YM")
    assert [c.text for c in mine] == ["YM:n kommentti"]


def test_comments_are_listed_by_theme_section_in_memo_order_then_organisation(
    engine: Engine,
    event: Event,
    linked: dict,  # type: ignore[type-arg]
) -> None:
    _add(engine, event, linked[("regional_council", "MK01")], text="a", section="expected_outcome")
    _add(engine, event, linked[("ministry", "YM")], text="b", section="scope")
    _add(engine, event, linked[("ministry", "TEM")], text="c", section="scope")
    _add(engine, event, linked[("ministry", "TEM")], text="d", section="scope", theme_id="T2")
    found = comments.comments(engine=engine, event_slug=event.slug, theme_id="T1")
    assert [c.text for c in found] == ["c", "b", "a"]
    grouped = comments.group(found=found)
    assert list(grouped) == ["scope", "expected_outcome"]
    assert list(grouped["scope"]) == [("ministry", "TEM"), ("ministry", "YM")]


def test_handled_marks_who_and_when_and_can_be_undone(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    receipt = _add(engine, event, linked[("ministry", "TEM")])
    comments.set_handled(
        engine=engine, event_slug=event.slug, comment_id=receipt.comment_id, handled=True, actor="organiser"
    )
    [done] = comments.comments(engine=engine, event_slug=event.slug)
    assert done.handled and done.handled_by == "organiser" and done.handled_at is not None
    assert comments.comments(engine=engine, event_slug=event.slug, unhandled_only=True) == []
    comments.set_handled(engine=engine, event_slug=event.slug, comment_id=receipt.comment_id, handled=False, actor="o")
    [undone] = comments.comments(engine=engine, event_slug=event.slug, unhandled_only=True)
    assert (undone.handled, undone.handled_by, undone.handled_at) == (False, None, None)
    with pytest.raises(CommentError, match="unknown_comment"):
        comments.set_handled(engine=engine, event_slug="other", comment_id=receipt.comment_id, handled=True, actor="o")


# --- memo status ---------------------------------------------------------------------------------


def test_without_a_move_the_status_is_the_set_ups(engine: Engine, event: Event) -> None:
    assert comments.memo_statuses(engine=engine, event=event) == {t.id: t.memo.status for t in event.themes}
    with pytest.raises(CommentError, match="unknown_theme"):
        comments.memo_status(engine=engine, event=event, theme_id="T9")


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["commented", "final"], None),
        (["commented", "draft"], None),
        (["commented", "final", "commented", "draft"], None),
        (["final"], "bad_status"),
        (["commented", "commented"], "bad_status"),
        (["unknown"], "bad_status"),
    ],
)
def test_the_memo_moves_one_step_at_a_time(engine: Engine, event: Event, path: list[str], refused: str | None) -> None:
    status = "draft"
    for n, target in enumerate(path):
        last = n == len(path) - 1
        if last and refused:
            with pytest.raises(CommentError) as caught:
                comments.set_memo_status(
                    engine=engine, event=event, theme_id="T3", expected=status, status=target, actor="o"
                )
            assert caught.value.code == refused
            assert comments.memo_status(engine=engine, event=event, theme_id="T3") == status
            return
        comments.set_memo_status(
            engine=engine, event=event, theme_id="T3", expected=status, status=target, actor="järjestäjä"
        )
        status = target
        assert comments.memo_status(engine=engine, event=event, theme_id="T3") == target
    with Session(engine) as s:
        row = s.get(MemoState, (event.slug, "T3"))
        assert row is not None and row.updated_by == "järjestäjä"


def test_a_move_from_a_status_someone_else_changed_is_refused(engine: Engine, event: Event) -> None:
    comments.set_memo_status(engine=engine, event=event, theme_id="T1", expected="draft", status="commented", actor="a")
    for expected, target in (("draft", "commented"), ("final", "commented")):
        with pytest.raises(CommentError, match="stale_status"):
            comments.set_memo_status(
                engine=engine, event=event, theme_id="T1", expected=expected, status=target, actor="b"
            )
    assert comments.memo_status(engine=engine, event=event, theme_id="T1") == "commented"


def test_allowed_moves() -> None:
    assert comments.allowed_moves(status="draft") == ("commented",)
    assert comments.allowed_moves(status="commented") == ("final", "draft")
    assert comments.allowed_moves(status="final") == ("commented",)


# --- who has commented ---------------------------------------------------------------------------


def test_who_has_not_commented_yet_per_theme_and_the_counts(engine: Engine, event: Event, linked: dict) -> None:  # type: ignore[type-arg]
    _add(engine, event, linked[("ministry", "TEM")], text="1")
    _add(engine, event, linked[("ministry", "TEM")], text="2", section="ongoing")
    _add(engine, event, linked[("regional_council", "MK01")], text="3", theme_id="T2")
    handled = _add(engine, event, linked[("regional_council", "MK01")], text="4")
    comments.set_handled(engine=engine, event_slug=event.slug, comment_id=handled.comment_id, handled=True, actor="o")
    comments.revoke_link(engine=engine, event_slug=event.slug, code=linked[("ministry", "VNK")])

    t1 = comments.not_commented(engine=engine, event_slug=event.slug, theme_id="T1")
    assert ("ministry", "TEM") not in t1 and ("regional_council", "MK01") not in t1
    assert ("ministry", "VNK") not in t1  # revoked: cannot comment, so not waited for
    assert len(t1) == ORGS - 3 and ("ministry", "YM") in t1
    t2 = comments.not_commented(engine=engine, event_slug=event.slug, theme_id="T2")
    assert ("ministry", "TEM") in t2 and ("regional_council", "MK01") not in t2

    table = comments.coverage(engine=engine, event=event)
    assert len(table) == ORGS and list(table.columns) == ["T1", "T2", "T3", "revoked"]
    assert table.loc[("ministry", "TEM")].tolist()[:3] == [2, 0, 0]
    assert table.loc[("regional_council", "MK01")].tolist()[:3] == [1, 1, 0]
    assert bool(table.loc[("ministry", "VNK"), "revoked"]) and table.loc[("ministry", "YM")].tolist()[:3] == [0, 0, 0]

    found = comments.counts(engine=engine, event_slug=event.slug).set_index(["org_kind", "org_code", "theme_id"])
    assert found.loc[("regional_council", "MK01", "T1"), ["comments", "unhandled"]].tolist() == [1, 0]
    assert found.loc[("ministry", "TEM", "T1"), ["comments", "unhandled"]].tolist() == [2, 2]


def test_coverage_without_any_link_is_empty(engine: Engine, event: Event) -> None:
    table = comments.coverage(engine=engine, event=event)
    assert table.empty and list(table.columns) == ["T1", "T2", "T3", "revoked"]


def test_organisation_names(catalogue: Catalogue) -> None:
    assert comments.organisation_name(catalogue=catalogue, kind="ministry", code="YM", lang="sv") == "Miljöministeriet"
    assert (
        comments.organisation_name(catalogue=catalogue, kind="regional_council", code="MK15", lang="sv")
        == "Österbotten"
    )
    assert comments.organisation_name(catalogue=catalogue, kind="ministry", code="XX", lang="fi") == "XX"
    assert comments.kind_name(kind="regional_council", lang="sv") == "Landskapsförbund"


def test_erasing_the_comment_round_removes_comments_links_and_stages_of_that_event_only(
    engine: Engine,
    event: Event,
    linked: dict,  # type: ignore[type-arg]
) -> None:
    _add(engine, event, linked[("ministry", "TEM")], author="Maija Meikäläinen")
    _add(engine, event, linked[("regional_council", "MK01")], text="Toinen kommentti")
    comments.set_memo_status(engine=engine, event=event, theme_id="T1", expected="draft", status="commented", actor="o")
    gone = comments.erase(engine=engine, event_slug=event.slug)
    assert gone == {"memo_comments": 2, "comment_links": len(linked), "memo_states": 1}
    assert comments.links(engine=engine, event_slug=event.slug) == []
    assert comments.memo_status(engine=engine, event=event, theme_id="T1") == "draft"  # as the set-up says
    assert comments.erase(engine=engine, event_slug=event.slug) == dict.fromkeys(gone, 0)
    with pytest.raises(comments.CommentError, match="unknown_link"):
        comments.resolve(engine=engine, code=linked[("ministry", "TEM")])
