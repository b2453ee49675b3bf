"""Phone → store: validate, normalise, deduplicate, commit, acknowledge.

An input is acknowledged only after its transaction commits. A double tap or a resend of the
same answer maps to the same idempotency key and therefore to the same row; the caller learns
which happened, and either way the participant sees one confirmation. Writes run through
`alkedash.db.transaction`, which retries a busy or lost store; the idempotency key is also what
makes such a retry safe when the first commit did land. A store that stays unavailable becomes
IntakeError("store_busy"), a message, never a stack trace.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TypeVar

from sqlalchemy import ColumnElement, Engine, Table, and_, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alkedash import blocklist, writer
from alkedash.content import CHANNELS, LANGS, ORG_TYPES, Catalogue, Event, Question
from alkedash.db import StoreUnavailable, transaction
from alkedash.models import Input, LiveState, ModerationEntry, Participant, QuestionStatus, Rating, Tag, Vote, utcnow
from alkedash.throttle import Throttle

IDEA_MAX_CHARS = 500
WORD_MAX_CHARS = 40
ONE_ANSWER_KINDS = frozenset({"rating", "poll"})

# A zero-width joiner inside an emoji sequence (👩‍💻, 🏳️‍🌈) is part of the emoji; elsewhere it is
# one of the invisible characters that make two strings look alike, and goes.
_EMOJI_JOINER = re.compile(
    "(?<=[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f])\u200d(?=[\U0001f000-\U0001faff\u2600-\u27bf])"
)
_JOINER_MARK = "\U000f0000"  # private use: stands in for a kept joiner while format characters go
_WORD_SPLIT = re.compile(r"[\s,;]+")
_NOT_LETTER = re.compile(r"[\W_]+")
_REPEATS = re.compile(r"(.)\1{2,}")

# Per phone, in this process (alkedash.throttle). A person types an idea in half a minute and taps
# through a list of ideas in a few seconds; a script does both a hundred times faster. The server
# sizes them from the settings when it starts (alkedash.ui), with these defaults.
SUBMITS = Throttle(limit=12, window=60.0)
UPVOTES = Throttle(limit=40, window=60.0)
# Per client address: a venue's wifi puts the whole room behind one address, and the room joins in the
# first minute, so this only stops a script from making phones by the thousand.
JOINS = Throttle(limit=200, window=60.0)

T = TypeVar("T")


class IntakeError(ValueError):
    """A refused input. `code` selects the message shown in the participant's language."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _in_store(*, engine: Engine, work: Callable[[Session], T], write: bool = True) -> T:
    """One retried unit of work; a store that stays busy or unreachable is a message for the phone."""
    try:
        return transaction(engine=engine, work=work, write=write)
    except StoreUnavailable as exc:
        raise IntakeError("store_busy") from exc


@dataclass(frozen=True)
class Receipt:
    input_id: int
    duplicate: bool
    held: bool = False  # stored, and waiting for a facilitator before anyone else sees it


@dataclass(frozen=True)
class ParticipantView:
    id: int
    token: str
    event: str
    channel: str
    region: str | None
    org_type: str | None
    lang: str


def visible_character(ch: str) -> str:
    """What a typed character is stored as (participants' answers and memo comments alike).
    Control characters (NUL included) become a space; format characters (zero-width, bidi
    overrides, soft hyphen) and lone surrogates go. Unassigned and private-use code points stay:
    to this Python's Unicode tables a newer emoji is "unassigned"."""
    if ch in "\n\t":
        return ch
    category = unicodedata.category(ch)
    if category == "Cc":
        return " "
    if category in {"Cf", "Cs"}:
        return ""
    return ch


def clean_text(*, text: str) -> str:
    """NFC, no control or invisible characters, single spaces: the same word is stored once."""
    text = _EMOJI_JOINER.sub(_JOINER_MARK, text.replace(_JOINER_MARK, ""))
    text = "".join(visible_character(ch) for ch in text).replace(_JOINER_MARK, "\u200d")
    # after the removals: "e", a zero-width space and a combining accent is "é", like "é" typed
    text = unicodedata.normalize("NFC", text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def fingerprint(*, text: str) -> str:
    """What stays of a text when case, punctuation, spacing and stretched letters are ignored:
    "LISÄÄ JUNIA!!!", "lisää junia" and "lisää   juniiiiaaa" are one idea from one phone. Doubled
    letters stay (Finnish "tuuli" is not "tuli")."""
    return _REPEATS.sub(r"\1", _NOT_LETTER.sub(" ", unicodedata.normalize("NFKC", text).casefold())).strip()


def clean_words(*, text: str, max_words: int) -> str:
    words = [w for w in _WORD_SPLIT.split(clean_text(text=text)) if w]
    if not words:
        raise IntakeError("empty")
    if len(words) > max_words:
        raise IntakeError("too_many_words", max=max_words)
    if any(len(w) > WORD_MAX_CHARS for w in words):
        raise IntakeError("word_too_long", max=WORD_MAX_CHARS)
    return " ".join(words)


def join(
    *,
    engine: Engine,
    event: Event,
    channel: str,
    region: str | None,
    org_type: str | None,
    lang: str,
    catalogue: Catalogue,
    client: str | None = None,
    throttle: Throttle | None = JOINS,
) -> str:
    """Create an anonymous participant and return the token that goes into the phone's URL.

    `client` is whom the join counts against (alkedash.access.client_key: the address, never stored)."""
    if channel not in {c for c, _ in CHANNELS}:
        raise IntakeError("bad_channel")
    if region is not None and catalogue.region(region) is None:
        raise IntakeError("bad_region")
    if org_type is not None and org_type not in {o for o, _ in ORG_TYPES}:
        raise IntakeError("bad_org_type")
    if client is not None and throttle is not None and (wait := throttle.take(key=client)):
        raise IntakeError("join_busy", seconds=math.ceil(wait))
    token = secrets.token_urlsafe(18)

    def work(s: Session) -> None:
        if _event_closed(s=s, event_slug=event.slug):
            raise IntakeError("event_closed")
        # A retry after a commit whose acknowledgement was lost finds the participant already there.
        if s.scalar(select(Participant.id).where(Participant.token == token)) is not None:
            return
        s.add(
            Participant(
                token=token,
                event=event.slug,
                channel=channel,
                region=region,
                org_type=org_type,
                lang=lang if lang in LANGS else "fi",
            )
        )

    _in_store(engine=engine, work=work)
    return token


def find_participant(*, engine: Engine, event_slug: str, token: str | None) -> ParticipantView | None:
    """The participant behind a phone's token; a busy or lost store is retried (StoreUnavailable if it stays so)."""
    if not token or len(token) > 40:
        return None
    return transaction(engine=engine, work=lambda s: _participant(s=s, event_slug=event_slug, token=token), write=False)


def _participant_views(*, s: Session, where: ColumnElement[bool]) -> list[ParticipantView]:
    """Participants as plain values, read as columns: no ORM objects in the session."""
    columns = [getattr(Participant, f.name) for f in fields(ParticipantView)]
    return [ParticipantView(*row) for row in s.execute(select(*columns).where(where))]


def _participant(*, s: Session, event_slug: str, token: str) -> ParticipantView | None:
    found = _participant_views(s=s, where=(Participant.token == token) & (Participant.event == event_slug))
    return found[0] if found else None


def _known_participant(*, engine: Engine, event_slug: str, token: str) -> ParticipantView:
    if not token or len(token) > 40:
        raise IntakeError("unknown_participant")
    found = _in_store(engine=engine, work=lambda s: _participant(s=s, event_slug=event_slug, token=token), write=False)
    if found is None:
        raise IntakeError("unknown_participant")
    return found


@dataclass(frozen=True)
class _Opened:
    theme_id: str
    question: Question
    premoderation: bool


def _event_closed(*, s: Session, event_slug: str) -> bool:
    return bool(s.scalar(select(LiveState.closed).where(LiveState.event == event_slug)))


def _payload(
    *,
    question: Question,
    text: str | None,
    option: str | None,
    ratings: Mapping[str, int] | None,
    frame_keys: tuple[str, ...],
) -> tuple[str | None, str | None, dict[str, int]]:
    if question.kind == "idea":
        cleaned = clean_text(text=text or "")
        if not cleaned:
            raise IntakeError("empty")
        if len(cleaned) > IDEA_MAX_CHARS:
            raise IntakeError("too_long", max=IDEA_MAX_CHARS)
        return cleaned, None, {}
    if question.kind == "words":
        return clean_words(text=text or "", max_words=question.max_words), None, {}
    if question.kind == "poll":
        if option is None or question.option(option) is None:
            raise IntakeError("bad_option")
        return None, option, {}
    allowed = question.elements or frame_keys
    given = {k: v for k, v in (ratings or {}).items() if v is not None}
    if not given:
        raise IntakeError("empty")
    for key, value in given.items():
        if key not in allowed:
            raise IntakeError("bad_element")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise IntakeError("bad_rating")
    return None, None, dict(sorted(given.items()))


def _in_frame_order(*, tags: Sequence[str], frame_keys: tuple[str, ...]) -> tuple[str, ...]:
    """Known frame elements, each once, in frame order; an unknown one refuses the lot."""
    given = set(tags)
    if not given <= set(frame_keys):
        raise IntakeError("bad_element")
    return tuple(k for k in frame_keys if k in given)


def _tags(*, question: Question, tags: Sequence[str] | None, frame_keys: tuple[str, ...]) -> tuple[str, ...]:
    """Frame elements ticked on an idea; only ideas carry them."""
    if tags and question.kind != "idea":
        raise IntakeError("bad_element")
    return _in_frame_order(tags=tags or (), frame_keys=frame_keys)


@dataclass(frozen=True)
class _Answer:
    """A validated answer waiting for its group commit."""

    event: Event
    token: str
    question_id: str
    text: str | None
    option: str | None
    ratings: dict[str, int]
    idempotency_key: str
    tags: tuple[str, ...] = ()
    flagged: frozenset[str] = frozenset()  # languages whose word filter this text trips
    lang: str | None = None  # the phone's language when it was written; None: the participant's at joining


def submit(
    *,
    engine: Engine,
    event: Event,
    frame_keys: tuple[str, ...],
    token: str,
    question_id: str,
    text: str | None = None,
    option: str | None = None,
    ratings: Mapping[str, int] | None = None,
    tags: Sequence[str] | None = None,
    lang: str | None = None,
    throttle: Throttle | None = SUBMITS,
) -> Receipt:
    """Store one answer; raise IntakeError with a code the page turns into a message.

    Returns only after the answer is committed (with others that arrived at the same moment: see
    alkedash.writer). The unit may run more than once (a busy or lost store is retried); the
    idempotency key makes a rerun after a commit that did land come back as `duplicate=True`,
    never as a second row.
    """
    if not token or len(token) > 40:
        raise IntakeError("unknown_participant")
    found = event.question(question_id)
    if found is None:
        raise IntakeError("unknown_question")
    question = found[1]
    clean, opt, rated = _payload(question=question, text=text, option=option, ratings=ratings, frame_keys=frame_keys)
    ticked = _tags(question=question, tags=tags, frame_keys=frame_keys)
    if throttle is not None and (wait := throttle.take(key=f"{event.slug}|{token}")):
        raise IntakeError("too_fast", seconds=math.ceil(wait))
    # The key is made of the text's fingerprint: the same idea sent again with other capitals,
    # punctuation or spacing is recognised as sent, not stored twice (near-duplicate spam).
    same = (fingerprint(text=clean) or clean) if clean is not None else None  # "🚆" alone is not "👍"
    if same is not None and question.kind == "words":
        same = " ".join(sorted(set(same.split())))
    payload = f"{same}|{opt}|{sorted(rated.items())}" + (f"|{','.join(ticked)}" if ticked else "")
    idem = hashlib.sha256(f"{event.slug}|{token}|{question_id}|{payload}".encode()).hexdigest()
    flagged = blocklist.flagged_langs(text=clean, blocklist=blocklist.load_blocklist()) if clean else frozenset()
    answer = _Answer(event, token, question_id, clean, opt, rated, idem, ticked, flagged, lang)
    for _attempt in range(2):
        try:
            result: Receipt = writer.commit(engine=engine, apply=_store_answers, payload=answer)
        except IntegrityError:
            # Another process stored the same answer between our check and our insert: the failed
            # transaction is rolled back, and a fresh one looks again.
            continue
        except StoreUnavailable as exc:
            raise IntakeError("store_busy") from exc
        return result
    raise IntakeError("already_answered")


def _table(model: type[object]) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_INPUTS, _PEOPLE, _LIVE, _STATUS = (_table(m) for m in (Input, Participant, LiveState, QuestionStatus))
# The group commit's statements, built once: building and keying a statement cost more CPU than
# running it (py-spy, 1,000 phones on PostgreSQL: the writer thread held the GIL a quarter of the
# time). Plain Core on the session's connection, no unit of work: rows are written, never loaded.
_GROUP_PEOPLE = select(*(_PEOPLE.c[f.name] for f in fields(ParticipantView))).where(
    _PEOPLE.c.token.in_(bindparam("tokens", expanding=True))
)
_GROUP_STORED = select(_INPUTS.c.idempotency_key, _INPUTS.c.id).where(
    _INPUTS.c.idempotency_key.in_(bindparam("keys", expanding=True))
)
_GROUP_ANSWERED = select(_INPUTS.c.once_key).where(_INPUTS.c.once_key.in_(bindparam("keys", expanding=True)))
_GROUP_LIVE = (
    select(_LIVE.c.theme_id, _LIVE.c.closed, _LIVE.c.premoderation, _STATUS.c.question_id, _STATUS.c.is_open)
    .outerjoin(
        _STATUS,
        and_(_STATUS.c.event == _LIVE.c.event, _STATUS.c.question_id.in_(bindparam("questions", expanding=True))),
    )
    .where(_LIVE.c.event == bindparam("event"))
)
_GROUP_INSERT = insert(_INPUTS).returning(_INPUTS.c.idempotency_key, _INPUTS.c.id)
_GROUP_SEEN = (
    update(_PEOPLE).where(_PEOPLE.c.id.in_(bindparam("ids", expanding=True))).values(last_seen_at=bindparam("seen"))
)


def _opened_questions(*, s: Session, event: Event, question_ids: set[str]) -> dict[str, _Opened | IntakeError]:
    """The event must be running, and each question belong to the live theme and be open now:
    all of a group's questions of one event answered by one statement."""
    out: dict[str, _Opened | IntakeError] = {}
    rows = s.connection().execute(_GROUP_LIVE, {"event": event.slug, "questions": sorted(question_ids)}).all()
    is_open = {qid: bool(flag) for *_live, qid, flag in rows if qid is not None}
    for qid in question_ids:
        found = event.question(qid)
        if found is None:
            out[qid] = IntakeError("unknown_question")
        elif not rows:
            out[qid] = IntakeError("closed")
        elif rows[0].closed:
            out[qid] = IntakeError("event_closed")
        elif rows[0].theme_id != found[0].id or not is_open.get(qid):
            out[qid] = IntakeError("closed")
        else:
            out[qid] = _Opened(theme_id=found[0].id, question=found[1], premoderation=bool(rows[0].premoderation))
    return out


def _store_answers(s: Session, answers: Sequence[_Answer]) -> list[Receipt | IntakeError]:
    """One group of answers in one transaction: a handful of statements, whatever the group's size.

    Each answer gets its own receipt or its own refusal; only a database error fails the group.
    """
    db = s.connection()
    rows = db.execute(_GROUP_PEOPLE, {"tokens": sorted({a.token for a in answers})})
    people = {p.token: p for p in (ParticipantView(*row) for row in rows)}
    keys = [a.idempotency_key for a in answers]
    stored: dict[str, int] = {key: input_id for key, input_id in db.execute(_GROUP_STORED, {"keys": keys})}
    opened: dict[tuple[str, str], _Opened | IntakeError] = {}
    for slug in {a.event.slug for a in answers}:
        event = next(a.event for a in answers if a.event.slug == slug)
        asked = {a.question_id for a in answers if a.event.slug == slug}
        opened.update(
            ((slug, qid), state) for qid, state in _opened_questions(s=s, event=event, question_ids=asked).items()
        )
    pending: list[tuple[int, dict[str, object], _Answer]] = []
    out: list[Receipt | IntakeError] = []
    now = utcnow()
    people_seen: set[int] = set()
    for a in answers:
        person = people.get(a.token)
        if person is None or person.event != a.event.slug:
            out.append(IntakeError("unknown_participant"))
            continue
        if a.idempotency_key in stored:
            out.append(Receipt(input_id=stored[a.idempotency_key], duplicate=True))
            continue
        state = opened[(a.event.slug, a.question_id)]
        if isinstance(state, IntakeError):
            out.append(state)
            continue
        question = state.question
        once = f"{a.event.slug}|{person.id}|{a.question_id}" if question.kind in ONE_ANSWER_KINDS else None
        written_in = a.lang if a.lang in LANGS else person.lang
        held = a.text is not None and (state.premoderation or written_in in a.flagged)
        row: dict[str, object] = {
            "event": a.event.slug,
            "theme_id": state.theme_id,
            "question_id": a.question_id,
            "kind": question.kind,
            "participant_id": person.id,
            "channel": person.channel,
            "region": person.region,
            "org_type": person.org_type,
            "lang": written_in,
            "text": a.text,
            "option": a.option,
            "idempotency_key": a.idempotency_key,
            "once_key": once,
            "held": held,
            "hidden": held,
            "highlighted": False,
            "created_at": now,
        }
        pending.append((len(out), row, a))
        people_seen.add(person.id)
        stored[a.idempotency_key] = -1  # the same answer twice in one group is stored once
        out.append(Receipt(input_id=-1, duplicate=False))
    once_keys = [row["once_key"] for _i, row, _a in pending if row["once_key"] is not None]
    if once_keys:
        seen = set(db.execute(_GROUP_ANSWERED, {"keys": once_keys}).scalars())
        refused: set[int] = set()
        for index, row, _a in pending:  # one answer per person per poll, also inside the group
            if row["once_key"] is None:
                continue
            if row["once_key"] in seen:
                refused.add(index)
                out[index] = IntakeError("already_answered")
            seen.add(row["once_key"])
        pending = [p for p in pending if p[0] not in refused]
    ids: dict[str, int] = {}
    if pending:
        ids = {key: input_id for key, input_id in db.execute(_GROUP_INSERT, [row for _i, row, _a in pending])}
        children: list[tuple[Table, list[dict[str, object]]]] = [
            (
                _table(Rating),
                [
                    {"input_id": ids[a.idempotency_key], "element": k, "value": v}
                    for _i, _row, a in pending
                    for k, v in a.ratings.items()
                ],
            ),
            (
                _table(Tag),
                [{"input_id": ids[a.idempotency_key], "element": k} for _i, _row, a in pending for k in a.tags],
            ),
            (  # the word filter's holds are logged, so a facilitator can see why an input waits
                _table(ModerationEntry),
                [
                    {
                        "event": row["event"],
                        "input_id": ids[a.idempotency_key],
                        "action": "hold",
                        "actor": "word filter",
                        "at": now,
                    }
                    for _i, row, a in pending
                    if row["held"] and row["lang"] in a.flagged
                ],
            ),
        ]
        for table, values in children:
            if values:
                db.execute(insert(table), values)
        db.execute(_GROUP_SEEN, {"ids": sorted(people_seen), "seen": now})
    waiting = {a.idempotency_key for _i, row, a in pending if row["held"]}
    inserted = {i for i, _row, _a in pending}
    for i, a in enumerate(answers):
        receipt = out[i]
        if isinstance(receipt, Receipt) and receipt.input_id == -1:
            # A repeat of an answer refused just above is refused the same way.
            new_id = ids.get(a.idempotency_key)
            out[i] = (
                IntakeError("already_answered")
                if new_id is None
                else Receipt(new_id, i not in inserted, a.idempotency_key in waiting)
            )
    return out


def upvote(*, engine: Engine, event: Event, token: str, input_id: int, throttle: Throttle | None = UPVOTES) -> bool:
    """One vote per participant per idea; True when this call added the vote.

    (A rerun after a commit whose acknowledgement was lost finds the vote there and says False.)
    """
    participant = _known_participant(engine=engine, event_slug=event.slug, token=token)
    if throttle is not None and (wait := throttle.take(key=f"{event.slug}|{token}")):
        raise IntakeError("too_fast", seconds=math.ceil(wait))

    def work(s: Session) -> bool:
        idea = s.get(Input, input_id)
        if idea is None or idea.event != event.slug or idea.kind != "idea" or idea.hidden:
            raise IntakeError("unknown_idea")
        if idea.participant_id == participant.id:
            raise IntakeError("own_idea")
        live_theme, closed = s.execute(
            select(LiveState.theme_id, LiveState.closed).where(LiveState.event == event.slug)
        ).one()
        if closed:
            raise IntakeError("event_closed")
        if live_theme != idea.theme_id:
            raise IntakeError("closed")
        already = s.scalar(
            select(func.count())
            .select_from(Vote)
            .where(Vote.input_id == input_id, Vote.participant_id == participant.id)
        )
        if already:
            return False
        s.add(Vote(input_id=input_id, participant_id=participant.id))
        s.execute(update(Participant).where(Participant.id == participant.id).values(last_seen_at=utcnow()))
        return True

    try:
        return _in_store(engine=engine, work=work)
    except IntegrityError:
        return False  # the same vote from a parallel request won the race


def add_tags(
    *, engine: Engine, event: Event, frame_keys: tuple[str, ...], token: str, input_id: int, tags: Sequence[str]
) -> tuple[str, ...]:
    """Frame elements added to one's own idea after sending it (the phone offers the keyword
    suggestions then); returns every element the idea now carries. Adding one twice is harmless."""
    participant = _known_participant(engine=engine, event_slug=event.slug, token=token)
    wanted = _in_frame_order(tags=tags, frame_keys=frame_keys)

    def work(s: Session) -> tuple[str, ...]:
        idea = s.get(Input, input_id)
        if idea is None or idea.event != event.slug or idea.kind != "idea" or idea.participant_id != participant.id:
            raise IntakeError("unknown_idea")
        have = set(s.scalars(select(Tag.element).where(Tag.input_id == input_id)))
        s.add_all(Tag(input_id=input_id, element=k) for k in wanted if k not in have)
        return tuple(k for k in frame_keys if k in have or k in wanted)

    try:
        return _in_store(engine=engine, work=work)
    except IntegrityError:  # the same tap from a parallel request stored it first
        with Session(engine) as s:
            have = set(s.scalars(select(Tag.element).where(Tag.input_id == input_id)))
        return tuple(k for k in frame_keys if k in have)


def voted_ideas(*, engine: Engine, participant_id: int) -> frozenset[int]:
    with Session(engine) as s:
        return frozenset(s.scalars(select(Vote.input_id).where(Vote.participant_id == participant_id)))


def my_answers(*, engine: Engine, participant_id: int) -> dict[str, Input]:
    """The participant's latest answer per question, to show what they already said."""
    with Session(engine) as s:
        rows = s.scalars(select(Input).where(Input.participant_id == participant_id).order_by(Input.id)).all()
        s.expunge_all()
    return {r.question_id: r for r in rows}
