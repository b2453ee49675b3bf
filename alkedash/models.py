"""The store: one row per participant, per input, per rating, per vote.

Nothing is ever a counter that is read, incremented and written back: every number on
the screen is a `GROUP BY` over these rows, so two phones pressing "send" in the same
millisecond can never overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every engine (SQLite forgets the zone, PostgreSQL keeps it)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use alkedash.models.utcnow()")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dt.date: Date}


class Participant(Base):
    """An anonymous phone: a random token in its URL, what it told us at join, nothing else."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(8))
    org_type: Mapped[str | None] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2), default="fi")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Input(Base):
    """One answer to one question. Channel, region and organisation type are copied from the
    participant at the moment of answering, so results group without a join and a later change
    of the participant's profile does not rewrite history."""

    __tablename__ = "inputs"
    __table_args__ = (Index("ix_inputs_event_question", "event", "question_id", "hidden"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    theme_id: Mapped[str] = mapped_column(String(40))
    question_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(8))
    org_type: Mapped[str | None] = mapped_column(String(20))
    lang: Mapped[str] = mapped_column(String(2), default="fi")
    text: Mapped[str | None] = mapped_column(Text)
    option: Mapped[str | None] = mapped_column(String(40))
    # Same participant + question + content = same key: a double tap or a resend is one row.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Set only for one-answer kinds (rating, poll): a second answer collides here.
    once_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # Waiting for a facilitator (pre-moderation or the word filter); also hidden until approved, so
    # every count and chart leaves it out without knowing about it.
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    highlighted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("input_id", "element"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"), index=True)
    element: Mapped[str] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(SmallInteger)


class Tag(Base):
    """A frame element (P1…E3) the participant ticked for an idea. Suggestions from keywords are
    not stored: they are computed when read, so a better keyword list improves old ideas too."""

    __tablename__ = "input_tags"
    __table_args__ = (UniqueConstraint("input_id", "element"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"), index=True)
    element: Mapped[str] = mapped_column(String(8))


class Vote(Base):
    """An upvote; the unique pair makes "one vote per participant per idea" the database's rule."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("input_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LiveState(Base):
    """What the room is looking at now, shared by every browser and every server process."""

    __tablename__ = "live_state"

    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    theme_id: Mapped[str | None] = mapped_column(String(40))
    question_id: Mapped[str | None] = mapped_column(String(40))
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    # After the day: phones are told the event has ended and nothing more is stored.
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # New ideas and words wait for a facilitator before anyone else sees them.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The language the projector shows (fi / sv / en), chosen on the facilitator's page.
    screen_lang: Mapped[str] = mapped_column(String(2), default="fi", server_default="fi")
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QuestionStatus(Base):
    __tablename__ = "question_status"

    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ModerationEntry(Base):
    """Who hid or highlighted what, and when: kept so moderation can be accounted for."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    input_id: Mapped[int] = mapped_column(ForeignKey("inputs.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(40))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EventSetup(Base):
    """An event's whole set-up as the organiser saved it (info, themes, memos, questions, agenda):
    one validated document (`alkedash.content.Event` as JSON) per event, so an edit is one row
    written whole and a clone is a copy. The join code is a column so the database keeps it unique."""

    __tablename__ = "event_setups"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    series: Mapped[str | None] = mapped_column(String(40), index=True)
    document: Mapped[str] = mapped_column(Text)
    # Bumped by every save (an SQL increment): processes re-read a document only when it moved on.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40), default="seed")


class Series(Base):
    """A run of events and milestones prepared together (the 2023 decision, the 2025 discussion days).
    Titles are JSON of `alkedash.content.Text` (fi, sv, en)."""

    __tablename__ = "series"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    organiser: Mapped[str] = mapped_column(String(12), default="TEM")


class Milestone(Base):
    """One step of a series on its timeline: a workshop, a consultation round, a webinar, a comment
    round, the event itself (then `event` names its set-up)."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("series", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(ForeignKey("series.slug", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)  # JSON Text
    starts: Mapped[dt.date] = mapped_column()
    ends: Mapped[dt.date | None] = mapped_column()
    place: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)  # JSON Text
    # "tbc" in the seed: the date is planned, not fixed.
    tentative: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    event: Mapped[str | None] = mapped_column(String(40))


class MemoState(Base):
    """Where a theme's background memo is: draft → commented → final. No row: as the set-up says."""

    __tablename__ = "memo_states"

    event: Mapped[str] = mapped_column(String(40), primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(40))


class CommentLink(Base):
    """The link one organisation (a ministry or a regional council) comments an event's memos with;
    the random code is the whole credential, so it can be sent by e-mail and revoked."""

    __tablename__ = "comment_links"
    __table_args__ = (UniqueConstraint("event", "org_kind", "org_code"),)

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    org_kind: Mapped[str] = mapped_column(String(20))  # ministry / regional_council
    org_code: Mapped[str] = mapped_column(String(8))  # TEM, MK01, ...
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MemoComment(Base):
    """One comment on one section of one theme's memo, from one organisation; never edited or deleted,
    only marked handled."""

    __tablename__ = "memo_comments"
    __table_args__ = (Index("ix_memo_comments_event_theme", "event", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(40))
    theme_id: Mapped[str] = mapped_column(String(40))
    section: Mapped[str] = mapped_column(String(20))  # scope / current_state / ongoing / expected_outcome
    org_kind: Mapped[str] = mapped_column(String(20))
    org_code: Mapped[str] = mapped_column(String(8))
    author: Mapped[str | None] = mapped_column(String(120))  # optional: who at the organisation wrote it
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2), default="fi")
    # Same link + section + text: a double tap or a resend is one comment.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    handled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    handled_by: Mapped[str | None] = mapped_column(String(40))
    handled_at: Mapped[dt.datetime | None] = mapped_column()
