"""Memo comments before the event: every ministry and regional council comments on each theme's
background memo, section by section, through a link of its own.

The link's random code is the whole credential (no account, no password: it goes out by e-mail), so
it can be revoked and renewed one organisation at a time; comments belong to the organisation, not
to the code, and survive a renewal. A comment is never edited or deleted, only marked handled by
the organiser. A double submit is one row (the idempotency key). The memo moves draft → commented
→ final one step at a time; a final memo takes no more comments. Refusals are `CommentError`s whose
code selects a sentence in `MESSAGES`, translated where it is shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

import pandas as pd
from sqlalchemy import Engine, and_, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash.content import LANGS, MEMO_SECTIONS, Catalogue, Event, Text
from alkedash.db import StoreUnavailable, transaction
from alkedash.intake import visible_character
from alkedash.models import CommentLink, MemoComment, MemoState, utcnow
from alkedash.throttle import Throttle
from alkedash.translation import N_

ORG_KINDS: tuple[tuple[str, Text], ...] = (
    ("ministry", Text(fi="Ministeriö", sv="Ministerium", en="Ministry")),
    ("regional_council", Text(fi="Maakunnan liitto", sv="Landskapsförbund", en="Regional council")),
)
SECTIONS: tuple[str, ...] = tuple(key for key, _title in MEMO_SECTIONS)
STATUSES: tuple[str, ...] = ("draft", "commented", "final")
TEXT_MAX_CHARS = 4000
AUTHOR_MAX_CHARS = 120
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,40}$")  # what secrets.token_urlsafe makes

# Per link, in this process: a person writes a comment in minutes; a script would fill the table.
SUBMITS = Throttle(limit=30, window=60.0)

# Refusals, marked here and translated where shown: `_(comments.MESSAGES[exc.code], **exc.params)`.
MESSAGES: dict[str, str] = {
    "unknown_link": N_(
        "Kommentointilinkkiä ei tunnistettu. Tarkista, että kopioit linkin kokonaan, "
        "tai pyydä uusi linkki tapahtuman järjestäjältä."
    ),
    "revoked_link": N_("Tämä kommentointilinkki on poistettu käytöstä. Pyydä uusi linkki tapahtuman järjestäjältä."),
    "unknown_event": N_("Linkin tapahtumaa ei enää löydy. Ota yhteyttä tapahtuman järjestäjään."),
    "empty": N_("Kirjoita kommentti ennen tallentamista."),
    "too_long": N_("Kommentti on liian pitkä: enintään {max} merkkiä."),
    "author_too_long": N_("Nimi on liian pitkä: enintään {max} merkkiä."),
    "unknown_theme": N_("Tapahtumassa ei ole tätä teemaa."),
    "unknown_section": N_("Muistiossa ei ole tätä kohtaa."),
    "memo_final": N_("Muistio on jo valmis, eikä sitä voi enää kommentoida."),
    "bad_status": N_(
        "Muistion tila voi siirtyä vain askeleen kerrallaan: luonnos → kommentoitu → valmis, tai askeleen takaisin."
    ),
    "stale_status": N_("Joku muu muutti muistion tilaa juuri. Katso tila uudelleen ja yritä sitten."),
    "unknown_comment": N_("Kommenttia ei löydy."),
    "unknown_org": N_("Tuntematon organisaatio."),
    "too_fast": N_("Tallennat nopeammin kuin kukaan ehtii kirjoittaa. Odota {seconds} s ja yritä uudelleen."),
    "store_busy": N_("Palvelu on juuri nyt ruuhkainen. Kommenttia ei tallennettu – yritä hetken päästä uudelleen."),
}  # fmt: skip

T = TypeVar("T")


class CommentError(ValueError):
    """A refused action; `code` selects the sentence in MESSAGES, `params` fill it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _in_store(*, engine: Engine, work: Callable[[Session], T], write: bool = True) -> T:
    """One retried unit of work; a store that stays busy is a message, never a stack trace."""
    try:
        return transaction(engine=engine, work=work, write=write)
    except StoreUnavailable as exc:
        raise CommentError("store_busy") from exc


# --- organisations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Organisation:
    kind: str  # ministry / regional_council
    code: str  # TEM, MK01, ...
    name: Text


# Åland (MK21) is autonomous: its government, not a regional council, speaks for it, and it has no
# regional council (maakunnan liitto) to comment the memos as one.
NO_REGIONAL_COUNCIL = frozenset({"MK21"})


def organisations(*, catalogue: Catalogue) -> list[Organisation]:
    """Who comments: every ministry (data/ministries.csv), then the 18 regional councils (data/regions.csv)."""
    return [Organisation(kind="ministry", code=m.code, name=m.name) for m in catalogue.ministries] + [
        Organisation(kind="regional_council", code=r.code, name=r.name)
        for r in catalogue.regions
        if r.code not in NO_REGIONAL_COUNCIL
    ]


def ranks(*, catalogue: Catalogue) -> dict[tuple[str, str], int]:
    """(kind, code) -> place in the order people know them: ministries as data/ministries.csv lists
    them (the Prime Minister's Office first), then the regions by their codes."""
    return {(o.kind, o.code): n for n, o in enumerate(organisations(catalogue=catalogue))}


def organisation(*, catalogue: Catalogue, kind: str, code: str) -> Organisation | None:
    return next((o for o in organisations(catalogue=catalogue) if o.kind == kind and o.code == code), None)


def organisation_name(*, catalogue: Catalogue, kind: str, code: str, lang: str) -> str:
    """A ministry by its name, a regional council by its region's (Uusimaa); the code if unknown."""
    found = organisation(catalogue=catalogue, kind=kind, code=code)
    return found.name(lang) if found else code


def kind_name(*, kind: str, lang: str) -> str:
    return next((title(lang) for key, title in ORG_KINDS if key == kind), kind)


# --- links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    code: str
    event: str
    org_kind: str
    org_code: str
    revoked: bool
    created_at: dt.datetime


def _new_code() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 random bits


def link_url(*, public_url: str, code: str) -> str:
    """`https://host/comment?c=CODE`: what the organiser sends to one organisation."""
    return f"{public_url.rstrip('/')}/comment?{urlencode({'c': code})}"


def create_links(*, engine: Engine, event_slug: str, catalogue: Catalogue) -> int:
    """A link for every ministry and regional council of the event that has none yet; returns how
    many were made. Running it again makes none, and keeps revoked links revoked."""
    wanted = [(o.kind, o.code) for o in organisations(catalogue=catalogue)]

    def work(s: Session) -> int:
        have = set(
            s.execute(select(CommentLink.org_kind, CommentLink.org_code).where(CommentLink.event == event_slug)).all()
        )
        missing = [(kind, code) for kind, code in wanted if (kind, code) not in have]
        for kind, code in missing:
            s.add(CommentLink(code=_new_code(), event=event_slug, org_kind=kind, org_code=code))
        return len(missing)

    try:
        return _in_store(engine=engine, work=work)
    except IntegrityError:  # another organiser pressed the same button at the same moment
        return _in_store(engine=engine, work=work)


def links(*, engine: Engine, event_slug: str) -> list[Link]:
    """The event's links, ministries first, then regional councils, each by code."""
    columns = (
        CommentLink.code,
        CommentLink.event,
        CommentLink.org_kind,
        CommentLink.org_code,
        CommentLink.revoked,
        CommentLink.created_at,
    )
    with Session(engine) as s:
        rows = s.execute(
            select(*columns).where(CommentLink.event == event_slug).order_by(CommentLink.org_kind, CommentLink.org_code)
        ).all()
    return [Link(*row) for row in rows]


def _set_revoked(*, engine: Engine, event_slug: str, code: str, revoked: bool) -> None:
    def work(s: Session) -> None:
        result = s.execute(
            update(CommentLink).where(CommentLink.event == event_slug, CommentLink.code == code).values(revoked=revoked)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise CommentError("unknown_link")

    _in_store(engine=engine, work=work)


def revoke_link(*, engine: Engine, event_slug: str, code: str) -> None:
    """The link stops working at once; the organisation's comments stay."""
    _set_revoked(engine=engine, event_slug=event_slug, code=code, revoked=True)


def renew_link(*, engine: Engine, event_slug: str, code: str) -> str:
    """A new code for the same organisation (the old one stops working); returns the new code."""
    new = _new_code()

    def work(s: Session) -> str:
        if s.get(CommentLink, new) is not None:  # a retry after the commit landed
            return new
        result = s.execute(
            update(CommentLink)
            .where(CommentLink.event == event_slug, CommentLink.code == code)
            .values(code=new, revoked=False, created_at=utcnow())
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise CommentError("unknown_link")
        return new

    return _in_store(engine=engine, work=work)


def _link(*, s: Session, code: str | None) -> Link:
    if not code or not CODE_PATTERN.match(code):
        raise CommentError("unknown_link")
    row = s.get(CommentLink, code)
    if row is None:
        raise CommentError("unknown_link")
    if row.revoked:
        raise CommentError("revoked_link")
    return Link(row.code, row.event, row.org_kind, row.org_code, row.revoked, row.created_at)


def resolve(*, engine: Engine, code: str | None) -> Link:
    """The event and organisation a link's code stands for; CommentError("unknown_link") for a code
    nobody made (or mistyped), CommentError("revoked_link") for one the organiser revoked."""
    return _in_store(engine=engine, work=lambda s: _link(s=s, code=code), write=False)


# --- memo status ---------------------------------------------------------------------------------


def _statuses(*, s: Session, event: Event) -> dict[str, str]:
    stored = dict(s.execute(select(MemoState.theme_id, MemoState.status).where(MemoState.event == event.slug)).all())
    return {t.id: stored.get(t.id, t.memo.status) for t in event.themes}


def memo_statuses(*, engine: Engine, event: Event) -> dict[str, str]:
    """Each theme's memo status: the organiser's last move, else what the set-up says."""
    with Session(engine) as s:
        return _statuses(s=s, event=event)


def memo_status(*, engine: Engine, event: Event, theme_id: str) -> str:
    if event.theme(theme_id) is None:
        raise CommentError("unknown_theme")
    return memo_statuses(engine=engine, event=event)[theme_id]


def allowed_moves(*, status: str) -> tuple[str, ...]:
    """One step forward or one back: draft ⇄ commented ⇄ final."""
    at = STATUSES.index(status)
    return tuple(STATUSES[i] for i in (at + 1, at - 1) if 0 <= i < len(STATUSES))


def set_memo_status(*, engine: Engine, event: Event, theme_id: str, expected: str, status: str, actor: str) -> None:
    """Move a memo from `expected` (the status the organiser saw) to `status`, one step. Refused when
    the move skips a step, or when someone else moved it since (`stale_status`): two organisers
    pressing at once cannot skip a step together."""
    theme = event.theme(theme_id)
    if theme is None:
        raise CommentError("unknown_theme")
    if expected not in STATUSES or status not in allowed_moves(status=expected):
        raise CommentError("bad_status")

    def work(s: Session) -> None:
        row = s.get(MemoState, (event.slug, theme_id))
        if row is None:
            if theme.memo.status != expected:
                raise CommentError("stale_status")
            s.add(MemoState(event=event.slug, theme_id=theme_id, status=status, updated_by=actor[:40]))
            return
        result = s.execute(
            update(MemoState)
            .where(MemoState.event == event.slug, MemoState.theme_id == theme_id, MemoState.status == expected)
            .values(status=status, updated_at=utcnow(), updated_by=actor[:40])
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise CommentError("stale_status")

    try:
        _in_store(engine=engine, work=work)
    except IntegrityError as exc:  # another organiser made the first row at the same moment
        raise CommentError("stale_status") from exc


# --- comments ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    comment_id: int
    duplicate: bool


@dataclass(frozen=True)
class Comment:
    id: int
    theme_id: str
    section: str
    org_kind: str
    org_code: str
    author: str | None
    text: str
    lang: str
    created_at: dt.datetime
    handled: bool
    handled_by: str | None
    handled_at: dt.datetime | None


def clean_comment(*, text: str) -> str:
    """The text as written, paragraphs and all: only line endings unified, control and invisible
    characters removed, the ends trimmed. Refused when nothing is left or it is too long."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(visible_character(ch) for ch in text).strip()
    if not text:
        raise CommentError("empty")
    if len(text) > TEXT_MAX_CHARS:
        raise CommentError("too_long", max=TEXT_MAX_CHARS)
    return text


def clean_author(*, author: str | None) -> str | None:
    if author is None:
        return None
    name = " ".join("".join(visible_character(ch) for ch in author).split())
    if len(name) > AUTHOR_MAX_CHARS:
        raise CommentError("author_too_long", max=AUTHOR_MAX_CHARS)
    return name or None


def _key(*, event_slug: str, link: Link, theme_id: str, section: str, text: str) -> str:
    raw = "\x1f".join((event_slug, link.org_kind, link.org_code, theme_id, section, text))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def add_comment(
    *,
    engine: Engine,
    event: Event,
    code: str,
    theme_id: str,
    section: str,
    text: str,
    author: str | None,
    lang: str,
    throttle: Throttle | None = SUBMITS,
) -> Receipt:
    """Store one organisation's comment on one memo section. The link is checked in the same
    transaction as the write, so a link revoked a moment ago stores nothing; the same text on the same
    section from the same organisation again (a double click, a resend) is the first comment."""
    theme = event.theme(theme_id)
    if theme is None:
        raise CommentError("unknown_theme")
    if section not in SECTIONS:
        raise CommentError("unknown_section")
    body = clean_comment(text=text)
    name = clean_author(author=author)
    if throttle is not None and (wait := throttle.take(key=code)):
        raise CommentError("too_fast", seconds=max(1, round(wait)))

    def work(s: Session) -> Receipt:
        link = _link(s=s, code=code)
        if link.event != event.slug:
            raise CommentError("unknown_link")
        if _statuses(s=s, event=event)[theme_id] == "final":
            raise CommentError("memo_final")
        key = _key(event_slug=event.slug, link=link, theme_id=theme_id, section=section, text=body)
        found = s.scalar(select(MemoComment.id).where(MemoComment.idempotency_key == key))
        if found is not None:
            return Receipt(comment_id=found, duplicate=True)
        row = MemoComment(
            event=event.slug,
            theme_id=theme_id,
            section=section,
            org_kind=link.org_kind,
            org_code=link.org_code,
            author=name,
            text=body,
            lang=lang if lang in LANGS else "fi",
            idempotency_key=key,
        )
        s.add(row)
        s.flush()
        return Receipt(comment_id=row.id, duplicate=False)

    try:
        return _in_store(engine=engine, work=work)
    except IntegrityError:  # the same comment committed by a parallel click: it is the one
        return _in_store(engine=engine, work=work)


def comments(
    *,
    engine: Engine,
    event_slug: str,
    theme_id: str | None = None,
    section: str | None = None,
    org_kind: str | None = None,
    org_code: str | None = None,
    unhandled_only: bool = False,
) -> list[Comment]:
    """Comments in reading order: by theme, section (the memo's order), organisation, time."""
    where = [MemoComment.event == event_slug]
    if theme_id is not None:
        where.append(MemoComment.theme_id == theme_id)
    if section is not None:
        where.append(MemoComment.section == section)
    if org_kind is not None:
        where.append(MemoComment.org_kind == org_kind)
    if org_code is not None:
        where.append(MemoComment.org_code == org_code)
    if unhandled_only:
        where.append(MemoComment.handled.is_(False))
    columns: list[Any] = [
        MemoComment.id,
        MemoComment.theme_id,
        MemoComment.section,
        MemoComment.org_kind,
        MemoComment.org_code,
        MemoComment.author,
        MemoComment.text,
        MemoComment.lang,
        MemoComment.created_at,
        MemoComment.handled,
        MemoComment.handled_by,
        MemoComment.handled_at,
    ]
    with Session(engine) as s:
        rows = s.execute(
            select(*columns)
            .where(*where)
            .order_by(MemoComment.theme_id, MemoComment.org_kind, MemoComment.org_code, MemoComment.id)
        ).all()
    found = [Comment(*row) for row in rows]
    order = {key: n for n, key in enumerate(SECTIONS)}
    return sorted(found, key=lambda c: (c.theme_id, order.get(c.section, len(order))))  # stable: org, time kept


def set_handled(*, engine: Engine, event_slug: str, comment_id: int, handled: bool, actor: str) -> None:
    """Mark a comment handled (who, when) or back to unhandled."""

    def work(s: Session) -> None:
        values: dict[str, object] = (
            {"handled": True, "handled_by": actor[:40], "handled_at": utcnow()}
            if handled
            else {"handled": False, "handled_by": None, "handled_at": None}
        )
        result = s.execute(
            update(MemoComment).where(MemoComment.event == event_slug, MemoComment.id == comment_id).values(**values)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise CommentError("unknown_comment")

    _in_store(engine=engine, work=work)


# --- who has commented ---------------------------------------------------------------------------


def counts(*, engine: Engine, event_slug: str) -> pd.DataFrame:
    """Per organisation with a link and theme: its comments and how many are unhandled. Columns
    org_kind, org_code, revoked, theme_id (None: no comment at all yet), comments, unhandled."""
    joined = and_(
        MemoComment.event == CommentLink.event,
        MemoComment.org_kind == CommentLink.org_kind,
        MemoComment.org_code == CommentLink.org_code,
    )
    unhandled = func.sum(case((MemoComment.handled.is_(False), 1), else_=0))
    with Session(engine) as s:
        rows = s.execute(
            select(
                CommentLink.org_kind,
                CommentLink.org_code,
                CommentLink.revoked,
                MemoComment.theme_id,
                func.count(MemoComment.id),
                unhandled,
            )
            .outerjoin(MemoComment, joined)
            .where(CommentLink.event == event_slug)
            .group_by(CommentLink.org_kind, CommentLink.org_code, CommentLink.revoked, MemoComment.theme_id)
            .order_by(CommentLink.org_kind, CommentLink.org_code)
        ).all()
    table = pd.DataFrame(
        [tuple(r) for r in rows], columns=["org_kind", "org_code", "revoked", "theme_id", "comments", "unhandled"]
    )
    table["unhandled"] = table["unhandled"].fillna(0).astype(int)
    return table


def not_commented(*, engine: Engine, event_slug: str, theme_id: str) -> list[tuple[str, str]]:
    """Organisations with a working link and no comment on the theme yet, as (kind, code)."""
    commented = (
        select(MemoComment.id)
        .where(
            MemoComment.event == CommentLink.event,
            MemoComment.theme_id == theme_id,
            MemoComment.org_kind == CommentLink.org_kind,
            MemoComment.org_code == CommentLink.org_code,
        )
        .exists()
    )
    with Session(engine) as s:
        rows = s.execute(
            select(CommentLink.org_kind, CommentLink.org_code)
            .where(CommentLink.event == event_slug, CommentLink.revoked.is_(False), ~commented)
            .order_by(CommentLink.org_kind, CommentLink.org_code)
        ).all()
    return [(kind, code) for kind, code in rows]


def coverage(*, engine: Engine, event: Event) -> pd.DataFrame:
    """Organisations × themes: the number of comments each organisation with a link has made on each
    theme's memo (0: not yet). Index (org_kind, org_code), one column per theme id, then revoked."""
    found = counts(engine=engine, event_slug=event.slug)
    theme_ids = [t.id for t in event.themes]
    orgs = found[["org_kind", "org_code", "revoked"]].drop_duplicates(["org_kind", "org_code"])
    table = orgs.set_index(["org_kind", "org_code"])
    with_theme = found.dropna(subset=["theme_id"])
    pivot = with_theme.pivot_table(
        index=["org_kind", "org_code"], columns="theme_id", values="comments", aggfunc="sum", fill_value=0
    )
    for theme_id in theme_ids:
        table[theme_id] = pivot[theme_id] if theme_id in pivot.columns else 0
    table[theme_ids] = table[theme_ids].fillna(0).astype(int)
    return table[[*theme_ids, "revoked"]]


def group(*, found: Sequence[Comment]) -> dict[str, dict[tuple[str, str], list[Comment]]]:
    """Comments by section (the memo's order), then organisation (kind, code), each in time order."""
    out: dict[str, dict[tuple[str, str], list[Comment]]] = {}
    for comment in found:
        out.setdefault(comment.section, {}).setdefault((comment.org_kind, comment.org_code), []).append(comment)
    return {key: out[key] for key in SECTIONS if key in out}


# --- erasing ---------------------------------------------------------------------------------------


def erase(*, engine: Engine, event_slug: str) -> dict[str, int]:
    """Every comment, link and memo stage of the event deleted in one transaction: comments may carry
    their writers' names, and the comment round's data must be removable on its own (download the CSV
    first). The event's set-up and the day's answers stay. Returns the rows deleted per table."""

    def work(s: Session) -> dict[str, int]:
        done = {}
        for name, model in (("memo_comments", MemoComment), ("comment_links", CommentLink), ("memo_states", MemoState)):
            result = s.execute(delete(model).where(model.event == event_slug))
            done[name] = int(result.rowcount)  # type: ignore[attr-defined]
        return done

    return _in_store(engine=engine, work=work)
