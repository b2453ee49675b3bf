"""Projector benchmark: how long one screen refresh takes with many inputs already stored.

    python -m bench.screen --inputs 50000            # fresh SQLite file, own server on 127.0.0.1:87xx
    python -m bench.screen --inputs 50000 --database-url postgresql+psycopg://... --reset

It stores --inputs answers in bulk (participants in both channels and every region, every theme
and question of the 2025 event, rating rows, upvotes, a few hidden and highlighted inputs), opens
theme T1 and starts the app. Then, for each question of T1 (idea, words, rating, poll), it makes
that question live and revealed, and as a projector on Streamlit's own protocol it measures

* the page load (HTTP GET, websocket, full script run): the first after the switch and warm ones;
* the live panel's refresh (a fragment rerun, send -> finished), --refreshes times with no new
  inputs, and --refreshes times with --new inputs stored through `alkedash.intake` before each.

The server's automatic refresh is set to 60 s (the most the settings allow) and every series
runs on a freshly opened tab, so only the measured reruns run. The
figures are printed as p50 / p95 / max in milliseconds, with the server's resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import random
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.engine import make_url

from alkedash import intake, live
from alkedash.content import ORG_TYPES, Catalogue, Event, Question, load_catalogue
from alkedash.db import make_engine, migrate
from alkedash.demo import WORDS, sample_texts
from alkedash.models import Base, Input, ModerationEntry, Participant, Rating, Vote, utcnow
from bench.server import Server, app_env, free_port, open_theme
from bench.streamclient import StreamClient

CHUNK = 5000
SKIP = 0.25  # a participant leaves about one question in four unanswered (as alkedash.demo does)
EXPECT = {  # what the live panel must show for each kind, so an error page is never timed
    "idea": ("html", "scr-ideas"),
    "words": ("imgs", ""),
    "rating": ("plotly_chart", ""),
    "poll": ("plotly_chart", ""),
}


# --- the stored discussion ------------------------------------------------------------------------


def vocabulary(*, theme_id: str, lang: str) -> list[str]:
    """Content-looking words of the theme's sample inputs, for word answers that vary."""
    words = {w.strip(".,;:!?()\"'").lower() for t in sample_texts(theme_id=theme_id, lang=lang) for w in t.split()}
    return sorted(w for w in words if len(w) > 4)


def word_answer(*, rng: random.Random, theme_id: str, lang: str, max_words: int) -> str:
    """Mostly the theme's common words (a cloud has a few big words), sometimes freer wording."""
    common = WORDS.get((theme_id, lang)) or WORDS[(theme_id, "fi")]
    if rng.random() < 0.6:
        return " ".join(rng.sample(common, k=min(len(common), rng.randint(1, 2))))
    free = vocabulary(theme_id=theme_id, lang=lang) or common
    return " ".join(rng.sample(free, k=min(len(free), rng.randint(1, max_words))))


def idea_answer(*, rng: random.Random, theme_id: str, lang: str) -> str:
    texts = sample_texts(theme_id=theme_id, lang=lang) or ["Yhteinen tilannekuva kasvun esteistä"]
    return f"{rng.choice(texts)} ({rng.randint(1, 9999)})"


def _key(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


def store(*, engine: Engine, catalogue: Catalogue, event: Event, inputs: int, seed: int) -> dict[str, int]:
    """Bulk-insert `inputs` answers (SQLAlchemy core executemany) into an empty store."""
    rng = random.Random(seed)
    now = utcnow()
    questions = [(theme.id, q) for theme in event.themes for q in theme.questions]
    n_participants = math.ceil(inputs / (len(questions) * (1 - SKIP)) * 1.05)  # a little spare, trimmed below
    participants: list[dict[str, Any]] = []
    for pid in range(1, n_participants + 1):
        seen_minutes_ago = rng.uniform(0, 25) if rng.random() < 0.5 else rng.uniform(40, 300)
        participants.append(
            {
                "id": pid,
                "token": f"{rng.getrandbits(128):032x}",
                "event": event.slug,
                "channel": "room" if rng.random() < 0.3 else "stream",
                "region": rng.choice(catalogue.regions).code if rng.random() < 0.9 else None,
                "org_type": rng.choice(ORG_TYPES)[0] if rng.random() < 0.8 else None,
                "lang": "sv" if rng.random() < 0.06 else "fi",
                "created_at": now - timedelta(hours=6),
                # About half acted within the presence window; the rest joined earlier in the day.
                "last_seen_at": now - timedelta(minutes=seen_minutes_ago),
            }
        )
    # The day's order: theme by theme, each participant answering that theme's questions.
    pairs = [
        (p, theme_id, q)
        for theme_id in [t.id for t in event.themes]
        for p in participants
        for tid, q in questions
        if tid == theme_id and rng.random() >= SKIP
    ]
    if len(pairs) < inputs:
        raise RuntimeError(f"only {len(pairs)} answers drawn for {inputs}; raise the participant margin")
    keep = sorted(rng.sample(range(len(pairs)), inputs))
    rows: list[dict[str, Any]] = []
    ratings: list[dict[str, Any]] = []
    ideas_by_theme: dict[str, list[tuple[int, int]]] = {t.id: [] for t in event.themes}
    age = timedelta(hours=5)
    for n, index in enumerate(keep, start=1):
        p, theme_id, q = pairs[index]
        text_value = option = None
        if q.kind == "idea":
            text_value = idea_answer(rng=rng, theme_id=theme_id, lang=p["lang"])
            ideas_by_theme[theme_id].append((n, p["id"]))
        elif q.kind == "words":
            text_value = word_answer(rng=rng, theme_id=theme_id, lang=p["lang"], max_words=q.max_words)
        elif q.kind == "poll":
            option = rng.choice(q.options).id
        else:
            for element in q.elements or catalogue.frame.keys:
                ratings.append({"input_id": n, "element": element, "value": rng.randint(1, 5)})
        payload = f"{text_value}|{option}|{n if q.kind == 'rating' else ''}"
        rows.append(
            {
                "id": n,
                "event": event.slug,
                "theme_id": theme_id,
                "question_id": q.id,
                "kind": q.kind,
                "participant_id": p["id"],
                "channel": p["channel"],
                "region": p["region"],
                "org_type": p["org_type"],
                "lang": p["lang"],
                "text": text_value,
                "option": option,
                "idempotency_key": _key(event.slug, p["id"], q.id, payload),
                "once_key": f"{event.slug}|{p['id']}|{q.id}" if q.kind in intake.ONE_ANSWER_KINDS else None,
                "hidden": False,
                "highlighted": False,
                "created_at": now - age + timedelta(seconds=n * age.total_seconds() / inputs),
            }
        )
    # Upvotes: each participant up to three ideas of a theme, popular ones more often; never their own.
    votes: list[dict[str, Any]] = []
    for ideas in ideas_by_theme.values():
        if len(ideas) < 2:
            continue
        for p in participants:
            chosen = {ideas[int(len(ideas) * rng.random() ** 3)] for _ in range(rng.randint(0, 3))}
            for input_id, author in chosen:
                if author != p["id"]:
                    votes.append({"input_id": input_id, "participant_id": p["id"], "created_at": now})
    # Moderation: about 1 % of the text answers hidden, one idea per theme highlighted, each logged.
    texts = [r for r in rows if r["text"] is not None]
    moderation = []
    for r in rng.sample(texts, k=len(texts) // 100):
        r["hidden"] = True
        moderation.append({"event": event.slug, "input_id": r["id"], "action": "hide", "actor": "bench", "at": now})
    for ideas in ideas_by_theme.values():
        if ideas:
            input_id = ideas[0][0]
            rows[input_id - 1]["highlighted"] = True
            moderation.append(
                {"event": event.slug, "input_id": input_id, "action": "highlight", "actor": "bench", "at": now}
            )
    with engine.begin() as conn:
        for model, data in (
            (Participant, participants),
            (Input, rows),
            (Rating, ratings),
            (Vote, votes),
            (ModerationEntry, moderation),
        ):
            for chunk in _chunks(data):
                conn.execute(insert(model), chunk)
        if engine.dialect.name == "postgresql":
            # Explicit ids do not move PostgreSQL's sequences; the app's own inserts come next.
            for name in ("participants", "inputs", "ratings", "votes", "moderation_log"):
                sql = f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"  # noqa: S608 (our table names)
                conn.execute(text(sql))
        conn.execute(text("ANALYZE"))  # fresh statistics, as a store that grew over the day has
    return {
        "participants": len(participants),
        "inputs": len(rows),
        "ratings": len(ratings),
        "votes": len(votes),
        "moderated": len(moderation),
    }


def fresh_store(*, url: str, reset: bool) -> Engine:
    engine = make_engine(url=url)
    if reset and engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    migrate(engine=engine)
    with engine.connect() as conn:
        already = conn.scalar(select(func.count()).select_from(Input)) or 0
    if already:
        raise SystemExit(f"{make_url(url).render_as_string()} already holds {already} inputs; use --reset")
    return engine


# --- measuring --------------------------------------------------------------------------------------


@dataclass
class Row:
    kind: str
    what: str
    seconds: list[float] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        ordered = sorted(self.seconds)

        def at(p: float) -> float:
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

        return {"n": len(ordered), "p50": at(50), "p95": at(95), "max": ordered[-1]}


@dataclass
class NewInputs:
    """Answers that arrive between refreshes, through the real intake (validation, dedupe, commit)."""

    engine: Engine
    catalogue: Catalogue
    event: Event
    rng: random.Random

    def add(self, *, question: Question, theme_id: str, count: int) -> None:
        for _ in range(count):
            lang = "sv" if self.rng.random() < 0.06 else "fi"
            token = intake.join(
                engine=self.engine,
                event=self.event,
                channel="room" if self.rng.random() < 0.3 else "stream",
                region=self.rng.choice(self.catalogue.regions).code,
                org_type=None,
                lang=lang,
                catalogue=self.catalogue,
            )
            kwargs: dict[str, Any] = {}
            if question.kind == "idea":
                kwargs["text"] = idea_answer(rng=self.rng, theme_id=theme_id, lang=lang)
            elif question.kind == "words":
                kwargs["text"] = word_answer(rng=self.rng, theme_id=theme_id, lang=lang, max_words=question.max_words)
            elif question.kind == "poll":
                kwargs["option"] = self.rng.choice(question.options).id
            else:
                keys = question.elements or self.catalogue.frame.keys
                kwargs["ratings"] = {k: self.rng.randint(1, 5) for k in keys}
            intake.submit(
                engine=self.engine,
                event=self.event,
                frame_keys=self.catalogue.frame.keys,
                token=token,
                question_id=question.id,
                throttle=None,  # one script speaks for many phones
                **kwargs,
            )


def check_page(client: StreamClient, *, kind: str) -> str:
    """The live panel's fragment id; raises if the page shows an exception or not the kind's chart."""
    found = {element.WhichOneof("type") for element, _ in client.elements.values()}
    if "exception" in found:
        bodies = [e.exception.message for e, _ in client.elements.values() if e.WhichOneof("type") == "exception"]
        raise RuntimeError(f"the screen shows an exception for {kind}: {bodies}")
    element_type, marker = EXPECT[kind]
    hits = [
        e
        for e, _ in client.elements.values()
        if e.WhichOneof("type") == element_type and (not marker or marker in getattr(e, element_type).body)
    ]
    if not hits:
        raise RuntimeError(f"the screen shows no {element_type} for {kind}; it shows {sorted(found)}")
    fragments = {fid for _, fid in client.elements.values() if fid}
    if len(fragments) != 1:
        raise RuntimeError(f"expected one fragment on the screen, found {fragments}")
    return fragments.pop()


def rss_mib(pid: int) -> float:
    proc = psutil.Process(pid)
    return float(sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])) / 2**20


async def load(*, url: str, timeout: float, into: Row, old: StreamClient | None) -> StreamClient:
    """A fresh projector tab (the previous one closed): HTTP GET, websocket, the full first run."""
    if old is not None:
        await old.close()
    client = StreamClient(base_url=url, page="screen", query="code=ALKE25", timeout=timeout)
    started = time.monotonic()
    await client.open()
    into.seconds.append(time.monotonic() - started)
    return client


async def measure(
    *, args: argparse.Namespace, url: str, pid: int, engine: Engine, catalogue: Catalogue, event: Event
) -> tuple[list[Row], dict[str, float]]:
    theme = event.theme("T1")
    assert theme is not None
    for page in ("", "screen"):  # the first visitor pays for imports and dictionaries; the day starts warm
        warm = StreamClient(base_url=url, page=page, query="code=ALKE25", timeout=args.timeout)
        await warm.open()
        await warm.close()
    arrivals = NewInputs(engine=engine, catalogue=catalogue, event=event, rng=random.Random(args.seed + 1))
    rows: list[Row] = []
    memory: dict[str, float] = {"start": rss_mib(pid)}
    for question in theme.questions:
        if question.kind not in args.kinds:
            continue
        live.set_question(engine=engine, event=event, question_id=question.id)
        live.set_revealed(engine=engine, event=event, revealed=True)
        load_first = Row(question.kind, "page load, first after the switch")
        load_warm = Row(question.kind, "page load, warm")
        same = Row(question.kind, "refresh, no new inputs")
        changed = Row(question.kind, f"refresh, {args.new} new inputs before each")
        client: StreamClient | None = None
        for i in range(1 + args.loads):
            client = await load(url=url, timeout=args.timeout, into=load_first if i == 0 else load_warm, old=client)
        # Each series runs on a tab opened just before it, so the tab's own timer (every 60 s, the
        # longest the settings allow) does not fire in the middle of it.
        for series in (same, changed):
            client = await load(url=url, timeout=args.timeout, into=load_warm, old=client)
            fragment_id = check_page(client, kind=question.kind)
            for _ in range(args.refreshes):
                await asyncio.sleep(args.pause)
                if series is changed:
                    arrivals.add(question=question, theme_id=theme.id, count=args.new)
                series.seconds.append((await client.rerun(fragment_id=fragment_id)).seconds)
            check_page(client, kind=question.kind)
        assert client is not None
        await client.close()
        memory[question.kind] = rss_mib(pid)
        rows.extend([load_first, load_warm, same, changed])
        print(f"  {question.kind}: done", flush=True)
    return rows, memory


def report(*, rows: Sequence[Row], memory: dict[str, float], stored: dict[str, int]) -> None:
    print()
    print(", ".join(f"{k} {v:,}" for k, v in stored.items()))
    print(f"{'kind':<7} {'what':<38} {'n':>3} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for row in rows:
        s = row.stats()
        ms = " ".join(f"{s[k] * 1000:>7.0f}" for k in ("p50", "p95", "max"))
        print(f"{row.kind:<7} {row.what:<38} {s['n']:>3} {ms}")
    print("server RSS (MiB): " + ", ".join(f"{k} {v:.0f}" for k, v in memory.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.screen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=50_000)
    parser.add_argument("--refreshes", type=int, default=20, help="refreshes measured per case")
    parser.add_argument("--loads", type=int, default=2, help="warm page loads measured per question")
    parser.add_argument("--new", type=int, default=3, help="inputs stored before each refresh of the 'new' case")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between refreshes")
    parser.add_argument("--kinds", default="idea,words,rating,poll")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--reset", action="store_true", help="drop every table of --database-url first (PostgreSQL)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    args.kinds = set(args.kinds.split(","))

    workdir = Path(tempfile.mkdtemp(prefix="alkedash-screen-"))
    db_url = args.database_url or f"sqlite:///{workdir / 'screen.db'}"
    catalogue = load_catalogue()
    event = catalogue.event(slug="alke-2025")
    assert event is not None
    engine = fresh_store(url=db_url, reset=args.reset)
    live.ensure_event(engine=engine, event=event)
    started = time.monotonic()
    stored = store(engine=engine, catalogue=catalogue, event=event, inputs=args.inputs, seed=args.seed)
    took = time.monotonic() - started
    print(f"stored {stored['inputs']:,} inputs in {took:.1f} s ({engine.dialect.name})", flush=True)
    open_theme(db_url=db_url, catalogue=catalogue, theme_id="T1")

    url = f"http://127.0.0.1:{free_port()}"
    env = app_env(db_url=db_url, url=url, password="bench", screen_refresh_seconds="60")  # noqa: S106
    server = Server(url=url, db_url=db_url, env=env, log=workdir / "server.log")
    server.start()
    shown = make_url(db_url).render_as_string()  # the password masked
    print(f"server {url} pid {server.pid}, database {shown}, log {workdir / 'server.log'}")
    try:
        rows, memory = asyncio.run(
            measure(args=args, url=url, pid=server.pid, engine=engine, catalogue=catalogue, event=event)
        )
    finally:
        server.stop()
        engine.dispose()
    report(rows=rows, memory=memory, stored=stored)
    if args.json:
        figures = [{"kind": r.kind, "what": r.what, **r.stats()} for r in rows]
        args.json.write_text(json.dumps({"stored": stored, "rows": figures, "rss_mib": memory}, indent=2))
    p50s = [r.stats()["p50"] for r in rows if r.what.startswith("refresh")]
    print(f"median of the refresh p50s: {statistics.median(p50s) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
