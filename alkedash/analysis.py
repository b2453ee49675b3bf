"""Store → numbers for the analysis page: the same inputs, cut by every filter at once.

Each function takes one `Filters` and returns a DataFrame keyed by ids (theme, element, region,
channel), so a chart, its data table and its CSV download show the same numbers, and a test can
check them against a plain count of rows. Hidden (moderated) inputs are left out everywhere, as
on the projector. Counting is SQL `GROUP BY`; only the words and the keyword suggestions need the
texts themselves, and those read them once per call.
"""

from __future__ import annotations

import functools
import math
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, distinct, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql import Executable

from alkedash import language, tags, topics
from alkedash.content import EVENT_ZONE
from alkedash.models import Input, ModerationEntry, Rating, Tag, Vote
from alkedash.results import CHANNEL_KEYS

NOT_GIVEN = "-"  # the filter value for "region / organisation type not given"
TEXT_KINDS = ("idea", "words")


@dataclass(frozen=True, slots=True)
class Filters:
    """What the analysis looks at; an empty tuple means "all"."""

    event: str
    themes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()


def _one_of(column: InstrumentedAttribute[str | None], wanted: tuple[str, ...]) -> ColumnElement[bool]:
    named = [w for w in wanted if w != NOT_GIVEN]
    either = [column.in_(named)] if named else []
    if NOT_GIVEN in wanted:
        either.append(column.is_(None))
    return either[0] if len(either) == 1 else either[0] | either[1]


def _where(filters: Filters) -> ColumnElement[bool]:
    """The filters as one SQL condition on the inputs table."""
    clauses: list[ColumnElement[bool]] = [Input.event == filters.event, Input.hidden.is_(False)]
    if filters.themes:
        clauses.append(Input.theme_id.in_(filters.themes))
    if filters.questions:
        clauses.append(Input.question_id.in_(filters.questions))
    if filters.channels:
        clauses.append(Input.channel.in_(filters.channels))
    if filters.regions:
        clauses.append(_one_of(Input.region, filters.regions))
    if filters.org_types:
        clauses.append(_one_of(Input.org_type, filters.org_types))
    return and_(*clauses)


def _frame(engine: Engine, stmt: Executable, columns: Sequence[str]) -> pd.DataFrame:
    with Session(engine) as s:
        rows = [tuple(r) for r in s.execute(stmt)]
    return pd.DataFrame(rows, columns=list(columns))


def totals(*, engine: Engine, filters: Filters) -> dict[str, int]:
    """The headline: inputs, participants who gave them, and ideas, under the filters."""
    stmt = select(
        func.count(),
        func.count(distinct(Input.participant_id)),
        func.count().filter(Input.kind == "idea"),
    ).where(_where(filters))
    with Session(engine) as s:
        inputs, people, ideas = s.execute(stmt).one()
    return {"inputs": int(inputs), "participants": int(people), "ideas": int(ideas)}


def by_region(*, engine: Engine, filters: Filters, regions: Sequence[str]) -> pd.DataFrame:
    """Per region (every one in `regions`, zeros included, then "not given"): participants who
    answered and their inputs. A zero row is a region not heard from, which the map marks."""
    stmt = (
        select(Input.region, func.count(distinct(Input.participant_id)), func.count())
        .where(_where(filters))
        .group_by(Input.region)
    )
    with Session(engine) as s:
        found = {region or NOT_GIVEN: (int(p), int(n)) for region, p, n in s.execute(stmt)}
    rows = [(code, *found.get(code, (0, 0))) for code in [*regions, NOT_GIVEN]]
    return pd.DataFrame(rows, columns=["region", "participants", "inputs"])


def by_channel(*, engine: Engine, filters: Filters) -> pd.DataFrame:
    """Per theme and channel: participants, inputs, ideas, upvotes the channel's ideas received,
    and each channel's share of the theme's inputs and upvotes."""
    inputs = (
        select(
            Input.theme_id,
            Input.channel,
            func.count(distinct(Input.participant_id)),
            func.count(),
            func.count().filter(Input.kind == "idea"),
        )
        .where(_where(filters))
        .group_by(Input.theme_id, Input.channel)
    )
    received = (
        select(Input.theme_id, Input.channel, func.count(Vote.id))
        .join(Vote, Vote.input_id == Input.id)
        .where(_where(filters))
        .group_by(Input.theme_id, Input.channel)
    )
    base = _frame(engine, inputs, ["theme_id", "channel", "participants", "inputs", "ideas"])
    got = _frame(engine, received, ["theme_id", "channel", "upvotes"])
    themes = sorted(set(base["theme_id"]) | set(got["theme_id"]))
    grid = pd.DataFrame([(t, c) for t in themes for c in CHANNEL_KEYS], columns=["theme_id", "channel"])
    out = grid.merge(base, how="left").merge(got, how="left")
    numbers = ["participants", "inputs", "ideas", "upvotes"]
    out[numbers] = out[numbers].fillna(0).astype(int)
    for column, share in (("inputs", "input_share"), ("upvotes", "upvote_share")):
        total = out.groupby("theme_id")[column].transform("sum")
        out[share] = (100.0 * out[column] / total.where(total > 0)).round(1).fillna(0.0)
    return out


def ratings(*, engine: Engine, filters: Filters) -> pd.DataFrame:
    """Per theme, frame element and channel: how many rated it and the mean (1–5)."""
    stmt = (
        select(Input.theme_id, Rating.element, Input.channel, func.count(), func.avg(Rating.value))
        .join(Input, Input.id == Rating.input_id)
        .where(_where(filters))
        .group_by(Input.theme_id, Rating.element, Input.channel)
    )
    out = _frame(engine, stmt, ["theme_id", "element", "channel", "answers", "mean"])
    out["answers"] = out["answers"].astype(int)
    out["mean"] = out["mean"].astype(float).round(2)
    return out


def idea_texts(*, engine: Engine, filters: Filters) -> list[tuple[int, str, str, str, str]]:
    """(id, theme, channel, text, lang) of the filtered ideas, oldest first."""
    stmt = (
        select(Input.id, Input.theme_id, Input.channel, Input.text, Input.lang)
        .where(_where(filters), Input.kind == "idea", Input.text.is_not(None))
        .order_by(Input.id)
    )
    with Session(engine) as s:
        return [(int(i), th, ch, tx or "", lg) for i, th, ch, tx, lg in s.execute(stmt)]


def ideas(*, engine: Engine, filters: Filters) -> tuple[topics.Idea, ...]:
    """The filtered ideas with their upvotes: what idea groups are made of."""
    votes = select(Vote.input_id, func.count().label("n")).group_by(Vote.input_id).subquery()
    stmt = (
        select(Input.id, Input.text, Input.lang, func.coalesce(votes.c.n, 0))
        .outerjoin(votes, votes.c.input_id == Input.id)
        .where(_where(filters), Input.kind == "idea", Input.text.is_not(None))
        .order_by(Input.id)
    )
    with Session(engine) as s:
        return tuple(topics.Idea(id=int(i), text=t or "", lang=lg, votes=int(n)) for i, t, lg, n in s.execute(stmt))


@functools.lru_cache(maxsize=16)
def idea_groups(*, ideas: tuple[topics.Idea, ...], max_groups: int = 8) -> tuple[topics.IdeaGroup, ...]:
    """Idea groups, remembered by their ideas: a facilitator's page asks again every few seconds,
    and the same ideas (and votes) give the same groups, so only new input costs a regrouping."""
    return topics.idea_groups(ideas=ideas, max_groups=max_groups)


def group_table(*, groups: Sequence[topics.IdeaGroup], ideas: Sequence[topics.Idea]) -> pd.DataFrame:
    """One row per group: its words, its size and its most representative ideas, as text."""
    text = {i.id: i.text for i in ideas}
    rows = [
        {
            "group": n if g.label else None,
            "label": " · ".join(g.label),
            "size": g.size,
            "representatives": "\n".join(text[i] for i in g.representatives),
            "idea_ids": " ".join(str(i) for i in g.idea_ids),
        }
        for n, g in enumerate(groups, start=1)
    ]
    return pd.DataFrame(rows, columns=["group", "label", "size", "representatives", "idea_ids"])


def stamp(*, engine: Engine, event_slug: str) -> tuple[int, ...]:
    """What the event's data looks like now: inputs (count, newest id), tags, votes and moderation
    actions. Equal stamps mean equal data, so the text-heavy numbers below are reused instead of
    lemmatising every idea again on each click of a filter (0.9 s each at 50,000 inputs)."""
    mine = Input.event == event_slug
    with Session(engine) as s:
        inputs, newest = s.execute(select(func.count(Input.id), func.coalesce(func.max(Input.id), 0)).where(mine)).one()
        tagged = s.scalar(select(func.count(Tag.id)).join(Input, Input.id == Tag.input_id).where(mine))
        voted = s.scalar(select(func.count(Vote.id)).join(Input, Input.id == Vote.input_id).where(mine))
        moderated = s.scalar(
            select(func.coalesce(func.max(ModerationEntry.id), 0)).where(ModerationEntry.event == event_slug)
        )
    return (int(inputs), int(newest), int(tagged or 0), int(voted or 0), int(moderated or 0))


_MEMO: OrderedDict[tuple[object, ...], pd.DataFrame] = OrderedDict()
_MEMO_SIZE = 32
_MEMO_LOCK = threading.Lock()  # sessions run in threads; computing outside it lets two pages work at once


def _memo(key: tuple[object, ...], compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The latest results by (what, engine, data stamp, filters…); a copy each time, as callers may change it."""
    with _MEMO_LOCK:
        found = _MEMO.get(key)
        if found is not None:
            _MEMO.move_to_end(key)
    if found is None:
        found = compute()
        with _MEMO_LOCK:
            _MEMO[key] = found
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    return found.copy()


def frame_matrix(*, engine: Engine, filters: Filters, elements: Sequence[str], keywords: tags.Keywords) -> pd.DataFrame:
    """Theme × frame element (see `_frame_matrix`), reused while the event's data is unchanged."""
    now = stamp(engine=engine, event_slug=filters.event)
    key = ("frame", id(engine), now, filters, tuple(elements), id(keywords))
    return _memo(key, lambda: _frame_matrix(engine=engine, filters=filters, elements=elements, keywords=keywords))


def _frame_matrix(
    *, engine: Engine, filters: Filters, elements: Sequence[str], keywords: tags.Keywords
) -> pd.DataFrame:
    """Theme × frame element: mean rating and its count, ideas the participants tagged with the
    element, and ideas alkedash's keyword lists suggest for it (share of the theme's ideas)."""
    rated = (
        select(Input.theme_id, Rating.element, func.count(), func.avg(Rating.value))
        .join(Input, Input.id == Rating.input_id)
        .where(_where(filters))
        .group_by(Input.theme_id, Rating.element)
    )
    ticked = (
        select(Input.theme_id, Tag.element, func.count())
        .join(Input, Input.id == Tag.input_id)
        .where(_where(filters))
        .group_by(Input.theme_id, Tag.element)
    )
    rating = _frame(engine, rated, ["theme_id", "element", "ratings", "mean_rating"])
    tagged = _frame(engine, ticked, ["theme_id", "element", "tagged"])
    ideas: Counter[str] = Counter()
    suggested: Counter[tuple[str, str]] = Counter()
    for _id, theme_id, _channel, text, lang in idea_texts(engine=engine, filters=filters):
        ideas[theme_id] += 1
        for element in tags.suggest(text=text, lang=lang, keywords=keywords):
            suggested[(theme_id, element)] += 1
    themes = sorted(set(rating["theme_id"]) | set(tagged["theme_id"]) | set(ideas))
    grid = pd.DataFrame([(t, e) for t in themes for e in elements], columns=["theme_id", "element"])
    out = grid.merge(rating, how="left").merge(tagged, how="left")
    out["ratings"] = out["ratings"].fillna(0).astype(int)
    out["mean_rating"] = out["mean_rating"].astype(float).round(2)
    out["tagged"] = out["tagged"].fillna(0).astype(int)
    out["suggested"] = [suggested[(t, e)] for t, e in zip(out["theme_id"], out["element"], strict=True)]
    out["ideas"] = [ideas[t] for t in out["theme_id"]]
    return out


def _minute(engine: Engine) -> ColumnElement[str]:
    """The input's UTC minute as text, 'YYYY-MM-DD HH:MM', on either engine."""
    if engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Input.created_at), literal("YYYY-MM-DD HH24:MI"))
    return func.strftime(literal("%Y-%m-%d %H:%M"), Input.created_at)


def per_minute(*, engine: Engine, filters: Filters, pad: int = 10) -> pd.DataFrame:
    """Inputs per minute and channel, in the event's local time. Quiet minutes within `pad`
    minutes of an input are zero rows, so the line drops to zero instead of skipping them; the
    hours between sessions (lunch, the night between the two days) have no rows at all."""
    minute = _minute(engine).label("minute")
    stmt = select(minute, Input.channel, func.count()).where(_where(filters)).group_by(minute, Input.channel)
    found = _frame(engine, stmt, ["minute", "channel", "inputs"])
    if found.empty:
        return pd.DataFrame({"minute": pd.Series(dtype="datetime64[ns, Europe/Helsinki]"), "channel": [], "inputs": []})
    found["minute"] = pd.to_datetime(found["minute"], format="%Y-%m-%d %H:%M", utc=True).dt.tz_convert(EVENT_ZONE)
    active = pd.DatetimeIndex(sorted(set(found["minute"])))
    near = {m + pd.Timedelta(minutes=d) for m in active for d in range(-pad, pad + 1)}
    grid = pd.MultiIndex.from_product([sorted(near), CHANNEL_KEYS], names=["minute", "channel"])
    out = found.set_index(["minute", "channel"])["inputs"].reindex(grid, fill_value=0).reset_index()
    out["inputs"] = out["inputs"].astype(int)
    return out


def distinctive_words(
    *, engine: Engine, filters: Filters, top: int = 8, min_count: int = 3, min_z: float = 1.96
) -> pd.DataFrame:
    """Words one channel uses clearly more (see `_distinctive_words`), reused while the data is unchanged."""
    key = ("words", id(engine), stamp(engine=engine, event_slug=filters.event), filters, top, min_count, min_z)
    return _memo(
        key,
        lambda: _distinctive_words(engine=engine, filters=filters, top=top, min_count=min_count, min_z=min_z),
    )


def _distinctive_words(*, engine: Engine, filters: Filters, top: int, min_count: int, min_z: float) -> pd.DataFrame:
    """Per theme: the words one channel uses clearly more than the other.

    A word's share of each channel's texts is compared by the log odds ratio (with 0.5 added to
    every cell); only a ratio at least `min_z` standard errors from zero counts, so with 40 streamed
    texts and 300 in the room a word three people happened to use does not make the stream look
    different. Words used fewer than `min_count` times in all are left out; `top` per channel.
    """
    stmt = (
        select(Input.theme_id, Input.channel, Input.text, Input.lang)
        .where(_where(filters), Input.kind.in_(TEXT_KINDS), Input.text.is_not(None))
        .order_by(Input.id)
    )
    with Session(engine) as s:
        texts = [(th, ch, tx or "", lg) for th, ch, tx, lg in s.execute(stmt)]
    rows: list[dict[str, object]] = []
    for theme_id in sorted({r[0] for r in texts}):
        per: dict[str, list[tuple[str, str]]] = {c: [] for c in CHANNEL_KEYS}
        for th, channel, text, lang in texts:
            if th == theme_id and channel in per:
                per[channel].append((text, lang))
        if not per["room"] or not per["stream"]:
            continue
        counts: dict[str, dict[str, int]] = {}
        display: dict[str, str] = {}
        for channel, items in per.items():
            words = language.word_counts(texts=items)
            counts[channel] = {w.lemma: w.count for w in words}
            for w in words:
                display.setdefault(w.lemma, w.display)
        scored = [
            row
            for lemma, word in display.items()
            if (row := _contrast(lemma, word, counts, len(per["room"]), len(per["stream"]))) is not None
            and int(row["room"]) + int(row["stream"]) >= min_count  # type: ignore[call-overload]
            and abs(float(row["z"])) >= min_z  # type: ignore[arg-type]
        ]
        for channel, sign in (("room", 1.0), ("stream", -1.0)):
            leaning = sorted(
                (r for r in scored if sign * float(r["log_odds"]) > 0),  # type: ignore[arg-type]
                key=lambda r: (-sign * float(r["log_odds"]), str(r["lemma"])),  # type: ignore[arg-type]
            )
            rows.extend({"theme_id": theme_id, "leans": channel, **r} for r in leaning[:top])
    columns = ["theme_id", "leans", "word", "lemma", "room", "stream", "room_share", "stream_share", "log_odds", "z"]
    return pd.DataFrame(rows, columns=columns)


def _contrast(
    lemma: str, word: str, counts: Mapping[str, Mapping[str, int]], n_room: int, n_stream: int
) -> dict[str, object] | None:
    room, stream = counts["room"].get(lemma, 0), counts["stream"].get(lemma, 0)
    cells = (room + 0.5, n_room - room + 0.5, stream + 0.5, n_stream - stream + 0.5)
    log_odds = math.log(cells[0] / cells[1]) - math.log(cells[2] / cells[3])
    z = log_odds / math.sqrt(sum(1.0 / c for c in cells))
    return {
        "word": word,
        "lemma": lemma,
        "room": room,
        "stream": stream,
        "room_share": round(100.0 * room / n_room, 1),
        "stream_share": round(100.0 * stream / n_stream, 1),
        "log_odds": round(log_odds, 3),
        "z": round(z, 2),
    }
