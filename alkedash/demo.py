"""A believable discussion in the store: for screenshots, tests and benchmarks, never for the day itself.

Answers are drawn, with a fixed seed, from the hand-written participant-style inputs in
tests/fixtures/sample_inputs.csv, so the same call always builds the same dataset.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import random
from pathlib import Path

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from alkedash import intake, live, tags
from alkedash.content import EVENT_ZONE, ORG_TYPES, Catalogue, Event
from alkedash.models import Input

SAMPLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sample_inputs.csv"
WORDS = {
    ("T1", "fi"): ["TKI", "osaaminen", "yritykset", "investoinnit", "yhteistyö", "älykäs erikoistuminen", "vienti"],
    ("T2", "fi"): ["luontokato", "ennallistaminen", "metsät", "vesistöt", "suot", "monimuotoisuus", "luonto"],
    ("T3", "fi"): ["yhteisöllisyys", "varautuminen", "järjestöt", "luottamus", "kulttuuri", "huoltovarmuus"],
    ("T1", "sv"): ["innovationer", "kompetens", "företagen", "samarbete", "export"],
    ("T2", "sv"): ["skogarna", "naturen", "restaurering", "mångfald", "vattendrag"],
    ("T3", "sv"): ["gemenskap", "beredskap", "föreningar", "förtroende", "kultur"],
}


def sample_texts(*, theme_id: str, lang: str = "fi") -> list[str]:
    if not SAMPLES.is_file():
        return []
    with SAMPLES.open(encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(fh) if row["theme"] == theme_id]
    return [r["text"] for r in rows if r["lang"] == lang] or [r["text"] for r in rows]


def _last_input_id(*, engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.scalar(select(func.max(Input.id))) or 0)


def _spread_over_slot(*, engine: Engine, event: Event, theme_id: str, after_id: int, rng: random.Random) -> None:
    """Move the theme's new inputs into its slot of the agenda, as on the day: a burst when a
    question opens, then a tail. Without it every demo input would carry the same second."""
    slot = next((a for a in event.agenda if a.theme == theme_id), None)
    if slot is None:
        return
    start = dt.datetime.combine(slot.day, slot.start, tzinfo=EVENT_ZONE) + dt.timedelta(minutes=20)
    minutes = max(1.0, (dt.datetime.combine(slot.day, slot.end, tzinfo=EVENT_ZONE) - start).total_seconds() / 60 - 5)
    with Session(engine) as s, s.begin():
        ids = list(s.scalars(select(Input.id).where(Input.id > after_id).order_by(Input.id)))
        moves = [
            {"id": i, "created_at": start + dt.timedelta(minutes=min(minutes, rng.expovariate(6.0 / minutes)))}
            for i in ids
        ]
        if moves:
            s.execute(update(Input), moves)


def populate(*, engine: Engine, catalogue: Catalogue, event: Event, participants: int, seed: int = 2025) -> int:
    """Join `participants` phones (about 1 in 3 in the room) and let each answer every question
    of every theme; returns the number of inputs stored. Leaves the live state as it found it."""
    rng = random.Random(seed)
    keywords = tags.load_keywords()
    frame_keys = catalogue.frame.keys
    live.ensure_event(engine=engine, event=event)
    before = live.current(engine=engine, event_slug=event.slug)
    langs = ["sv" if rng.random() < 0.06 else "fi" for _ in range(participants)]
    tokens = [
        intake.join(
            engine=engine,
            event=event,
            channel="room" if rng.random() < 0.35 else "stream",
            region=rng.choice(catalogue.regions).code if rng.random() < 0.85 else None,
            org_type=rng.choice(ORG_TYPES)[0] if rng.random() < 0.8 else None,
            lang=lang,
            catalogue=catalogue,
        )
        for lang in langs
    ]
    stored = 0
    idea_ids: list[int] = []
    for theme in event.themes:
        first_new = _last_input_id(engine=engine)
        live.set_theme(engine=engine, event=event, theme_id=theme.id)
        for q in theme.questions:
            live.set_open(engine=engine, event=event, question_id=q.id, is_open=True)
        texts = {lang: sample_texts(theme_id=theme.id, lang=lang) or ["Idea"] for lang in ("fi", "sv")}
        for token, lang in zip(tokens, langs, strict=True):
            for q in theme.questions:
                if rng.random() < 0.25:
                    continue
                kwargs: dict[str, object] = {}
                if q.kind == "idea":
                    kwargs["text"] = f"{rng.choice(texts[lang])} ({rng.randint(1, 999)})"
                    if rng.random() < 0.4:  # some tick what the keywords would suggest, a few something else
                        found = tags.suggest(text=str(kwargs["text"]), lang=lang, keywords=keywords)
                        kwargs["tags"] = found[:1] if found and rng.random() < 0.8 else [rng.choice(frame_keys)]
                elif q.kind == "words":
                    words = WORDS.get((theme.id, lang), ["yhteistyö"])
                    kwargs["text"] = " ".join(rng.sample(words, k=rng.randint(1, 2)))
                elif q.kind == "poll":
                    kwargs["option"] = rng.choice(q.options).id
                else:
                    kwargs["ratings"] = {k: rng.randint(2, 5) for k in (q.elements or catalogue.frame.keys)}
                receipt = intake.submit(
                    engine=engine,
                    event=event,
                    frame_keys=catalogue.frame.keys,
                    token=token,
                    question_id=q.id,
                    throttle=None,  # one script speaks for many phones at once
                    **kwargs,  # type: ignore[arg-type]
                )
                stored += 0 if receipt.duplicate else 1
                if q.kind == "idea":
                    idea_ids.append(receipt.input_id)
        for token in tokens:
            for idea in rng.sample(idea_ids, k=min(3, len(idea_ids))):
                with contextlib.suppress(intake.IntakeError):  # one's own idea
                    intake.upvote(engine=engine, event=event, token=token, input_id=idea, throttle=None)
        idea_ids.clear()
        for q in theme.questions:
            live.set_open(engine=engine, event=event, question_id=q.id, is_open=False)
        _spread_over_slot(engine=engine, event=event, theme_id=theme.id, after_id=first_new, rng=rng)
    if before.theme_id:
        live.set_theme(engine=engine, event=event, theme_id=before.theme_id)
    return stored
