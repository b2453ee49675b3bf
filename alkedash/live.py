"""The shared live state: which theme and question the room is on, what is open, what is shown.

It lives in the database, not in a process, so every browser and every server process agrees.
Each change bumps `version` (an SQL increment, never read-modify-write), which phones poll
cheaply to know when to redraw. Every change is one `alkedash.db.transaction`: retried when the
store is busy or the connection was lost, StoreUnavailable when it stays so. A rerun after a
commit that did land sets the same values again and moves the version on once more; only
`moderate` would then log its action twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash.content import LANGS, Event
from alkedash.db import transaction
from alkedash.models import Input, LiveState, ModerationEntry, QuestionStatus, utcnow

# Deciding on a held input (alkedash.intake: pre-moderation, the word filter) is hiding or showing
# it; "approve" and "reject" are the same changes under the names the log should show.
MODERATION_ACTIONS = {
    "hide": {"hidden": True, "held": False},
    "unhide": {"hidden": False, "held": False},
    "approve": {"hidden": False, "held": False},
    "reject": {"hidden": True, "held": False},
    "highlight": {"highlighted": True},
    "unhighlight": {"highlighted": False},
}


@dataclass(frozen=True)
class LiveView:
    theme_id: str | None
    question_id: str | None
    revealed: bool
    open_questions: frozenset[str]
    version: int
    closed: bool = False
    premoderation: bool = False
    screen_lang: str = "fi"


def ensure_event(*, engine: Engine, event: Event) -> None:
    """Create the live-state row and one status row per question; idempotent, safe at every start."""
    try:
        transaction(engine=engine, work=lambda s: _create_rows(s=s, event=event))
    except IntegrityError:
        # Two processes starting at once both inserted; the loser finds the rows there now.
        transaction(engine=engine, work=lambda s: _create_rows(s=s, event=event))


def _create_rows(*, s: Session, event: Event) -> None:
    if s.get(LiveState, event.slug) is None:
        first = event.themes[0]
        s.add(LiveState(event=event.slug, theme_id=first.id, question_id=first.questions[0].id, revealed=False))
    known = set(s.scalars(select(QuestionStatus.question_id).where(QuestionStatus.event == event.slug)))
    for theme in event.themes:
        for q in theme.questions:
            if q.id not in known:
                s.add(QuestionStatus(event=event.slug, question_id=q.id, is_open=False))


def current(*, engine: Engine, event_slug: str) -> LiveView:
    with Session(engine) as s:
        state = s.get(LiveState, event_slug)
        open_ids = frozenset(
            s.scalars(
                select(QuestionStatus.question_id).where(
                    QuestionStatus.event == event_slug, QuestionStatus.is_open.is_(True)
                )
            )
        )
        if state is None:
            return LiveView(theme_id=None, question_id=None, revealed=False, open_questions=open_ids, version=0)
        return LiveView(
            theme_id=state.theme_id,
            question_id=state.question_id,
            revealed=state.revealed,
            open_questions=open_ids,
            version=state.version,
            closed=state.closed,
            premoderation=state.premoderation,
            screen_lang=state.screen_lang,
        )


def version(*, engine: Engine, event_slug: str) -> int:
    with Session(engine) as s:
        return s.scalar(select(LiveState.version).where(LiveState.event == event_slug)) or 0


def _bump(*, s: Session, event_slug: str, **values: object) -> None:
    s.execute(
        update(LiveState)
        .where(LiveState.event == event_slug)
        .values(version=LiveState.version + 1, updated_at=utcnow(), **values)
    )


def set_theme(*, engine: Engine, event: Event, theme_id: str) -> None:
    """Move the room to a theme; the screen shows its first question, results hidden."""
    theme = event.theme(theme_id)
    if theme is None:
        raise ValueError(f"unknown theme {theme_id!r}")
    first = theme.questions[0].id
    transaction(
        engine=engine,
        work=lambda s: _bump(s=s, event_slug=event.slug, theme_id=theme.id, question_id=first, revealed=False),
    )


def set_question(*, engine: Engine, event: Event, question_id: str) -> None:
    found = event.question(question_id)
    if found is None:
        raise ValueError(f"unknown question {question_id!r}")
    theme_id = found[0].id
    transaction(
        engine=engine,
        work=lambda s: _bump(s=s, event_slug=event.slug, theme_id=theme_id, question_id=question_id, revealed=False),
    )


def set_open(*, engine: Engine, event: Event, question_id: str, is_open: bool) -> None:
    if event.question(question_id) is None:
        raise ValueError(f"unknown question {question_id!r}")

    def work(s: Session) -> None:
        s.execute(
            update(QuestionStatus)
            .where(QuestionStatus.event == event.slug, QuestionStatus.question_id == question_id)
            .values(is_open=is_open, updated_at=utcnow())
        )
        _bump(s=s, event_slug=event.slug)

    transaction(engine=engine, work=work)


def set_closed(*, engine: Engine, event: Event, closed: bool) -> None:
    """End the event (phones say so and nothing more is stored), or reopen it."""
    transaction(engine=engine, work=lambda s: _bump(s=s, event_slug=event.slug, closed=closed))


def set_premoderation(*, engine: Engine, event: Event, on: bool) -> None:
    """From now on, new ideas and words wait for a facilitator (those already in stay as they are)."""
    transaction(engine=engine, work=lambda s: _bump(s=s, event_slug=event.slug, premoderation=on))


def set_screen_lang(*, engine: Engine, event: Event, lang: str) -> None:
    """The projector's language: every screen of the event switches on its next refresh."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    transaction(engine=engine, work=lambda s: _bump(s=s, event_slug=event.slug, screen_lang=lang))


def set_revealed(*, engine: Engine, event: Event, revealed: bool) -> None:
    transaction(engine=engine, work=lambda s: _bump(s=s, event_slug=event.slug, revealed=revealed))


def moderate(*, engine: Engine, event: Event, input_id: int, action: str, actor: str) -> None:
    """Hide or highlight an input and log who did it; the row itself is never deleted."""
    if action not in MODERATION_ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")

    def work(s: Session) -> None:
        result = s.execute(
            update(Input).where(Input.id == input_id, Input.event == event.slug).values(**MODERATION_ACTIONS[action])
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise ValueError(f"no input {input_id} in event {event.slug}")
        s.add(ModerationEntry(event=event.slug, input_id=input_id, action=action, actor=actor))

    transaction(engine=engine, work=work)


def hide_participant(*, engine: Engine, event: Event, input_id: int, actor: str) -> int:
    """Hide every text input of the phone that sent this one, each logged: one tap against a phone
    that floods the room. Returns how many were hidden (those already hidden are left alone)."""

    def work(s: Session) -> int:
        author = s.scalar(select(Input.participant_id).where(Input.id == input_id, Input.event == event.slug))
        if author is None:
            raise ValueError(f"no input {input_id} in event {event.slug}")
        ids = list(
            s.scalars(
                select(Input.id).where(
                    Input.event == event.slug,
                    Input.participant_id == author,
                    Input.text.is_not(None),
                    Input.hidden.is_(False) | Input.held.is_(True),
                )
            )
        )
        if ids:
            s.execute(update(Input).where(Input.id.in_(ids)).values(**MODERATION_ACTIONS["hide"]))
            s.add_all(ModerationEntry(event=event.slug, input_id=i, action="hide", actor=actor) for i in ids)
        return len(ids)

    return transaction(engine=engine, work=work)
