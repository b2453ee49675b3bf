"""Events in the database: several events in one store, the join code choosing one.

An event's set-up (info, themes, memos, questions, agenda) is one validated document per row,
written whole by the organiser and versioned by `revision`. Every page resolves its event here
on every run, phones included, so the lookup is a dictionary: the join codes and revisions are
read from the database at most every REFRESH_SECONDS per process, and a document is parsed again
only when its revision moved on (a save in another process shows within that time).

data/events/*.toml are seeds: copied in once when their slug is not in the database yet, never
over an organiser's edit.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tomli_w
from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash import live
from alkedash.content import EVENT_ZONE, Catalogue, ContentError, Event, parse_toml
from alkedash.db import transaction
from alkedash.models import EventSetup, Input, utcnow

REFRESH_SECONDS = 2.0


class StaleEdit(ContentError):
    """Someone saved the event after this edit began; nothing was written."""


class EventExists(ContentError):
    """The slug or the join code is taken by another event (`field` says which)."""

    def __init__(self, *, field: str, value: str) -> None:
        super().__init__(f"event.{field}: {value!r} is in use by another event")
        self.field = field
        self.value = value


@dataclass
class _Directory:
    """One process's view of the stored events of one database."""

    read_at: float = float("-inf")
    rows: dict[str, tuple[str, int]] = field(default_factory=dict)  # slug -> (join code, revision)
    parsed: dict[tuple[str, int], Event] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_DIRECTORIES: weakref.WeakKeyDictionary[Engine, _Directory] = weakref.WeakKeyDictionary()
_DIRECTORIES_LOCK = threading.Lock()


def _directory(*, engine: Engine, clock: Callable[[], float] = time.monotonic) -> _Directory:
    with _DIRECTORIES_LOCK:
        d = _DIRECTORIES.setdefault(engine, _Directory())
    with d.lock:
        if clock() - d.read_at >= REFRESH_SECONDS:
            with Session(engine) as s:
                rows = s.execute(select(EventSetup.slug, EventSetup.join_code, EventSetup.revision)).all()
            d.rows = {slug: (code, rev) for slug, code, rev in rows}
            d.read_at = clock()
            missing = [(slug, rev) for slug, (_, rev) in d.rows.items() if (slug, rev) not in d.parsed]
            if missing:
                with Session(engine) as s:
                    docs = dict(
                        s.execute(
                            select(EventSetup.slug, EventSetup.document).where(
                                EventSetup.slug.in_([m[0] for m in missing])
                            )
                        ).all()
                    )
                for slug, rev in missing:
                    if slug in docs:
                        d.parsed[(slug, rev)] = Event.model_validate_json(docs[slug])
                current = {(slug, rev) for slug, (_, rev) in d.rows.items()}
                d.parsed = {k: v for k, v in d.parsed.items() if k in current}
        return d


def forget(*, engine: Engine) -> None:
    """Read the store again on the next lookup (after a save in this process)."""
    with _DIRECTORIES_LOCK:
        _DIRECTORIES.pop(engine, None)


def all_events(*, engine: Engine) -> list[Event]:
    """Every stored event, newest first."""
    d = _directory(engine=engine)
    found = [d.parsed[(slug, rev)] for slug, (_, rev) in d.rows.items() if (slug, rev) in d.parsed]
    return sorted(found, key=lambda e: (e.event.starts, e.slug), reverse=True)


def by_slug(*, engine: Engine, slug: str) -> Event | None:
    d = _directory(engine=engine)
    row = d.rows.get(slug)
    return d.parsed.get((slug, row[1])) if row else None


def by_code(*, engine: Engine, join_code: str) -> Event | None:
    code = join_code.strip().upper()
    d = _directory(engine=engine)
    for slug, (stored_code, rev) in d.rows.items():
        if stored_code == code:
            return d.parsed.get((slug, rev))
    return None


def revision(*, engine: Engine, slug: str) -> int | None:
    row = _directory(engine=engine).rows.get(slug)
    return row[1] if row else None


def default(*, engine: Engine, preferred: str | None) -> Event | None:
    """The event a visitor without a join code sees: the configured one, else the one nearest today
    that has not ended, else the latest."""
    if preferred and (event := by_slug(engine=engine, slug=preferred)):
        return event
    events = all_events(engine=engine)
    today = dt.datetime.now(EVENT_ZONE).date()
    coming = [e for e in events if e.event.ends >= today]
    if coming:
        return min(coming, key=lambda e: e.event.starts)
    return events[0] if events else None


def is_past(*, event: Event, today: dt.date | None = None) -> bool:
    """An event whose last day is behind us: its set-up is kept as it was, to be browsed or cloned."""
    return event.event.ends < (today or dt.datetime.now(EVENT_ZONE).date())


def seed(*, engine: Engine, catalogue: Catalogue) -> list[str]:
    """Copy data/events into the store where the slug is new; make every stored event's live state.
    Returns the slugs copied in. Safe at every start and from several processes at once."""
    added = []
    for event in catalogue.events:
        try:
            if transaction(engine=engine, work=functools.partial(_insert_if_missing, event=event)):
                added.append(event.slug)
        except IntegrityError:
            pass  # another process seeded it meanwhile, or its join code is taken by an organiser's event
    forget(engine=engine)
    for event in all_events(engine=engine):
        live.ensure_event(engine=engine, event=event)
    return added


def _insert_if_missing(s: Session, *, event: Event) -> bool:
    if s.get(EventSetup, event.slug) is not None:
        return False
    s.add(_row(event=event, actor="seed"))
    s.flush()
    return True


def _row(*, event: Event, actor: str) -> EventSetup:
    return EventSetup(
        slug=event.slug,
        join_code=event.event.join_code,
        series=event.event.series,
        document=event.model_dump_json(),
        revision=1,
        updated_by=actor,
    )


def create(*, engine: Engine, event: Event, actor: str) -> Event:
    """Store a new event (from the form, a clone or an imported file) and open its live state."""

    def work(s: Session) -> None:
        if s.get(EventSetup, event.slug) is not None:
            raise EventExists(field="slug", value=event.slug)
        if s.scalar(select(EventSetup.slug).where(EventSetup.join_code == event.event.join_code)):
            raise EventExists(field="join_code", value=event.event.join_code)
        s.add(_row(event=event, actor=actor))

    try:
        transaction(engine=engine, work=work)
    except IntegrityError as exc:  # two organisers saving the same slug or code at once
        raise EventExists(field="join_code", value=event.event.join_code) from exc
    forget(engine=engine)
    live.ensure_event(engine=engine, event=event)
    return event


def update_event(*, engine: Engine, event: Event, actor: str, expected_revision: int) -> int:
    """Save an edited event over its stored version; refuse when another save came in between, when
    the join code is taken, or when a question that already has answers would disappear. Returns the
    new revision."""

    def work(s: Session) -> int:
        stored = s.get(EventSetup, event.slug)
        if stored is None:
            raise ContentError(f"event.slug: no event {event.slug!r}")
        taken = s.scalar(
            select(EventSetup.slug).where(EventSetup.join_code == event.event.join_code, EventSetup.slug != event.slug)
        )
        if taken:
            raise EventExists(field="join_code", value=event.event.join_code)
        before = Event.model_validate_json(stored.document)
        kept = {q.id for t in event.themes for q in t.questions}
        gone = [q.id for t in before.themes for q in t.questions if q.id not in kept]
        if gone:
            answered = s.execute(
                select(Input.question_id, func.count())
                .where(Input.event == event.slug, Input.question_id.in_(gone))
                .group_by(Input.question_id)
            ).all()
            if answered:
                listed = ", ".join(f"{q} ({n})" for q, n in sorted(answered))
                raise ContentError(f"themes.questions: questions with answers cannot be removed: {listed}")
        result = s.execute(
            update(EventSetup)
            .where(EventSetup.slug == event.slug, EventSetup.revision == expected_revision)
            .values(
                document=event.model_dump_json(),
                join_code=event.event.join_code,
                series=event.event.series,
                revision=EventSetup.revision + 1,
                updated_at=utcnow(),
                updated_by=actor,
            )
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise StaleEdit("someone saved this event after you opened it; reload to see their changes")
        return expected_revision + 1

    new_revision = transaction(engine=engine, work=work)
    forget(engine=engine)
    live.ensure_event(engine=engine, event=event)  # status rows for questions added
    return new_revision


def cloned(*, event: Event, slug: str, join_code: str, starts: dt.date, catalogue: Catalogue) -> Event:
    """A copy of `event` for a new date, validated like any other set-up."""
    raw = clone_document(event=event, slug=slug, join_code=join_code, starts=starts)
    return catalogue.parse_event(raw=raw, source="clone")


def clone_document(*, event: Event, slug: str, join_code: str, starts: dt.date) -> dict[str, Any]:
    """`event` for a new date, not yet validated: agenda days moved with it, memos back to draft, its
    own slug and join code."""
    shift = starts - event.event.starts
    raw = event.model_dump(mode="json")
    raw["event"].update(
        slug=slug,
        join_code=join_code,
        starts=starts.isoformat(),
        ends=(event.event.ends + shift).isoformat(),
    )
    for item in raw["agenda"]:
        item["day"] = (dt.date.fromisoformat(item["day"]) + shift).isoformat()
    for theme in raw["themes"]:
        theme["memo"]["status"] = "draft"
    return raw


def export_toml(*, event: Event) -> str:
    """The set-up as a TOML file in the format of data/events, to keep, mail or import elsewhere."""
    raw = event.model_dump(mode="python", exclude_none=True)
    header = f"# {event.event.name('fi') if event.event.name else event.slug}: alkedash event set-up\n"
    return header + tomli_w.dumps(_toml_ready(raw))


def _toml_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _toml_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_toml_ready(v) for v in value]
    return value


def import_toml(*, text: str, catalogue: Catalogue, source: str) -> Event:
    """An event from an exported (or hand-written) TOML file; a clear message naming the field if not."""
    return catalogue.parse_event(raw=parse_toml(text=text, source=source), source=source)
