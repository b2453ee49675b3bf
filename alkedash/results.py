"""Store → numbers: every figure is an SQL aggregate over one-row-per-input tables.

Functions return DataFrames keyed by ids (question, option, frame element, channel); turning
ids into words in the viewer's language is the charts' job.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select
from sqlalchemy.orm import Session

from alkedash import language
from alkedash.models import Input, ModerationEntry, Participant, Rating, Vote, utcnow

CHANNEL_KEYS: tuple[str, ...] = ("room", "stream")


def presence(*, engine: Engine, event_slug: str, minutes: int) -> pd.DataFrame:
    """Per channel: participants active within `minutes`, and all who ever joined."""
    since = utcnow() - dt.timedelta(minutes=minutes)
    stmt = (
        select(
            Participant.channel,
            func.count().label("joined"),
            func.sum(case((Participant.last_seen_at >= since, 1), else_=0)).label("present"),
        )
        .where(Participant.event == event_slug)
        .group_by(Participant.channel)
    )
    with Session(engine) as s:
        rows = {r.channel: (int(r.present or 0), int(r.joined)) for r in s.execute(stmt)}
    return pd.DataFrame(
        [{"channel": c, "present": rows.get(c, (0, 0))[0], "joined": rows.get(c, (0, 0))[1]} for c in CHANNEL_KEYS]
    )


def answer_counts(*, engine: Engine, event_slug: str, question_id: str | None = None) -> pd.DataFrame:
    """Visible inputs per question and channel: every question of the event that has any, or only
    `question_id` (the projector needs one question's numbers, not a scan of the whole event)."""
    stmt = (
        select(Input.question_id, Input.channel, func.count().label("inputs"))
        .where(Input.event == event_slug, Input.hidden.is_(False))
        .group_by(Input.question_id, Input.channel)
    )
    if question_id is not None:
        stmt = stmt.where(Input.question_id == question_id)
    with Session(engine) as s:
        rows = [r._asdict() for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=["question_id", "channel", "inputs"])


def question_total(*, counts: pd.DataFrame, question_id: str) -> dict[str, int]:
    sub = counts[counts["question_id"] == question_id]
    return {c: int(sub.loc[sub["channel"] == c, "inputs"].sum()) for c in CHANNEL_KEYS}


def ideas(
    *,
    engine: Engine,
    event_slug: str,
    question_ids: Sequence[str],
    include_hidden: bool = False,
    order: str = "votes",
    limit: int | None = None,
) -> pd.DataFrame:
    """Ideas with their upvote counts; `order` is "votes" (then oldest first) or "newest"."""
    votes = func.count(Vote.id).label("votes")
    stmt = (
        select(
            Input.id,
            Input.question_id,
            Input.text,
            Input.channel,
            Input.region,
            Input.org_type,
            Input.participant_id,
            Input.highlighted,
            Input.hidden,
            Input.created_at,
            votes,
        )
        .outerjoin(Vote, Vote.input_id == Input.id)
        .where(Input.event == event_slug, Input.kind == "idea", Input.question_id.in_(list(question_ids)))
        .group_by(Input.id)
    )
    if not include_hidden:
        stmt = stmt.where(Input.hidden.is_(False))
    stmt = stmt.order_by(votes.desc(), Input.id) if order == "votes" else stmt.order_by(Input.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    columns = [
        "id",
        "question_id",
        "text",
        "channel",
        "region",
        "org_type",
        "participant_id",
        "highlighted",
        "hidden",
        "created_at",
        "votes",
    ]
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=columns)


def inputs_for_moderation(*, engine: Engine, event_slug: str, question_id: str, limit: int = 200) -> pd.DataFrame:
    """Newest text inputs of a question, hidden ones included, for the facilitator."""
    stmt = (
        select(Input.id, Input.kind, Input.text, Input.channel, Input.hidden, Input.highlighted, Input.created_at)
        .where(Input.event == event_slug, Input.question_id == question_id, Input.text.is_not(None))
        .order_by(Input.id.desc())
        .limit(limit)
    )
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=["id", "kind", "text", "channel", "hidden", "highlighted", "created_at"])


def held_inputs(*, engine: Engine, event_slug: str, limit: int = 200) -> pd.DataFrame:
    """Inputs waiting for a facilitator, oldest first; `flagged` when the word filter held it (the
    rest wait because pre-moderation was on)."""
    flagged = (
        select(ModerationEntry.id)
        .where(ModerationEntry.input_id == Input.id, ModerationEntry.action == "hold")
        .exists()
        .label("flagged")
    )
    stmt = (
        select(
            Input.id, Input.question_id, Input.kind, Input.text, Input.channel, Input.lang, Input.created_at, flagged
        )
        .where(Input.event == event_slug, Input.held.is_(True))
        .order_by(Input.id)
        .limit(limit)
    )
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=["id", "question_id", "kind", "text", "channel", "lang", "created_at", "flagged"])


def word_texts(*, engine: Engine, event_slug: str, question_id: str) -> list[tuple[str, str]]:
    """(text, language) of every visible word-cloud answer, oldest first, for the word pipeline."""
    stmt = (
        select(Input.text, Input.lang)
        .where(
            Input.event == event_slug,
            Input.question_id == question_id,
            Input.hidden.is_(False),
            Input.text.is_not(None),
        )
        .order_by(Input.id)
    )
    with Session(engine) as s:
        return [(str(t), str(lang)) for t, lang in s.execute(stmt)]


# (visible inputs of the question, newest visible input id, newest moderation entry id of the event)
WordStamp = tuple[int, int, int]


def word_stamp(*, engine: Engine, event_slug: str, question_id: str) -> WordStamp:
    """A cheap fingerprint of what `word_texts` would return, read from the question's index alone
    (over all visible inputs of the question: `word_texts` is a fixed part of them).

    Inputs are never edited or deleted, so a new answer moves the newest id, and hiding one lowers the
    count; every hide or unhide is also logged, so even "hide one, show another" between two reads
    moves the moderation id. (Any other moderation of the event moves it too: a needless recount,
    never a missed one.)"""
    moderated = (
        select(func.coalesce(func.max(ModerationEntry.id), 0))
        .where(ModerationEntry.event == event_slug)
        .scalar_subquery()
    )
    stmt = select(func.count(), func.coalesce(func.max(Input.id), 0), moderated).where(
        Input.event == event_slug,
        Input.question_id == question_id,
        Input.hidden.is_(False),
    )
    with Session(engine) as s:
        count, newest, moderation = s.execute(stmt).one()
    return int(count), int(newest), int(moderation)


class _WordCache:
    """Counted cloud words per engine and question, kept while the question's stamp is unchanged.

    One lock: two screens refreshing at the same moment count once, and the second reuses the result.
    Per engine (weakly, so a disposed test engine takes its entries with it), one entry per question."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: weakref.WeakKeyDictionary[
            Engine, dict[tuple[str, str], tuple[WordStamp, tuple[language.WordCount, ...]]]
        ] = weakref.WeakKeyDictionary()
        self.recounts = 0


_words = _WordCache()


def cloud_words(*, engine: Engine, event_slug: str, question_id: str) -> tuple[language.WordCount, ...]:
    """`language.word_counts` of the question's visible answers, recounted only when they changed.

    The stamp is read before the texts: an answer arriving in between is in the counts but not in the
    stamp, so the next call counts once more. That costs an extra count, never a stale cloud."""
    stamp = word_stamp(engine=engine, event_slug=event_slug, question_id=question_id)
    key = (event_slug, question_id)
    with _words.lock:
        per_engine = _words.entries.setdefault(engine, {})
        known = per_engine.get(key)
        if known is not None and known[0] == stamp:
            return known[1]
        texts = word_texts(engine=engine, event_slug=event_slug, question_id=question_id)
        counted = tuple(language.word_counts(texts=texts))
        per_engine[key] = (stamp, counted)
        _words.recounts += 1
        return counted


def word_recounts() -> int:
    """How many times `cloud_words` has counted words in this process (for tests and benchmarks)."""
    return _words.recounts


def ratings(*, engine: Engine, event_slug: str, question_id: str) -> pd.DataFrame:
    """Per frame element and channel: how many rated it, the mean, and the count of each score."""
    score_cols = [func.sum(case((Rating.value == v, 1), else_=0)).label(f"n{v}") for v in range(1, 6)]
    stmt = (
        select(
            Rating.element,
            Input.channel,
            func.count().label("answers"),
            func.avg(Rating.value).label("mean"),
            *score_cols,
        )
        .join(Input, Input.id == Rating.input_id)
        .where(and_(Input.event == event_slug, Input.question_id == question_id, Input.hidden.is_(False)))
        .group_by(Rating.element, Input.channel)
    )
    with Session(engine) as s:
        rows = [r._asdict() for r in s.execute(stmt)]
    frame = pd.DataFrame(rows, columns=["element", "channel", "answers", "mean", "n1", "n2", "n3", "n4", "n5"])
    frame["mean"] = frame["mean"].astype(float).round(2)
    return frame


def poll(*, engine: Engine, event_slug: str, question_id: str, options: Sequence[str]) -> pd.DataFrame:
    """Votes per option and channel, with a zero row for every option nobody chose yet."""
    stmt = (
        select(Input.option, Input.channel, func.count().label("votes"))
        .where(Input.event == event_slug, Input.question_id == question_id, Input.hidden.is_(False))
        .group_by(Input.option, Input.channel)
    )
    with Session(engine) as s:
        found = {(r.option, r.channel): int(r.votes) for r in s.execute(stmt)}
    return pd.DataFrame(
        [{"option": o, "channel": c, "votes": found.get((o, c), 0)} for o in options for c in CHANNEL_KEYS]
    )


def idea_count(*, engine: Engine, event_slug: str, question_ids: Sequence[str]) -> int:
    """Visible ideas so far: what a phone polls to offer "n new ideas" without redrawing its list."""
    with Session(engine) as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Input)
                .where(
                    Input.event == event_slug,
                    Input.kind == "idea",
                    Input.question_id.in_(list(question_ids)),
                    Input.hidden.is_(False),
                )
            )
            or 0
        )


def highlighted(*, engine: Engine, event_slug: str, question_ids: Sequence[str]) -> pd.DataFrame:
    """Visible text inputs the facilitator highlighted, oldest first, with their upvotes."""
    stmt = (
        select(Input.id, Input.question_id, Input.kind, Input.text, Input.channel, func.count(Vote.id))
        .outerjoin(Vote, Vote.input_id == Input.id)
        .where(
            Input.event == event_slug,
            Input.question_id.in_(list(question_ids)),
            Input.highlighted.is_(True),
            Input.hidden.is_(False),
            Input.text.is_not(None),
        )
        .group_by(Input.id)
        .order_by(Input.id)
    )
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=["id", "question_id", "kind", "text", "channel", "votes"])


def moderation_log(*, engine: Engine, event_slug: str, theme_ids: Sequence[str]) -> pd.DataFrame:
    """Every moderation step on the themes' inputs (hold, approve, reject, hide, unhide, highlight,
    unhighlight), oldest first, with the input as it was written and whether it is hidden now: the
    summary's moderation appendix and the facilitator's log download."""
    stmt = (
        select(
            ModerationEntry.at,
            ModerationEntry.input_id,
            ModerationEntry.action,
            ModerationEntry.actor,
            Input.question_id,
            Input.kind,
            func.coalesce(Input.text, Input.option),
            Input.hidden,
        )
        .join(Input, Input.id == ModerationEntry.input_id)
        .where(ModerationEntry.event == event_slug, Input.theme_id.in_(list(theme_ids)))
        .order_by(ModerationEntry.id)
    )
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=["at", "input_id", "action", "actor", "question_id", "kind", "text", "hidden"])
