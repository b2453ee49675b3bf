"""Group commit: answers that arrive together share one transaction; each still gets its own result."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from alkedash import intake, writer
from alkedash.content import Catalogue, Event
from alkedash.db import make_engine, transaction
from alkedash.models import Input


def _run_together(*, engine: Engine, apply: writer.Apply, payloads: Sequence[Any]) -> dict[Any, Any]:
    """Every payload from its own thread, as phones do; returns payload -> result or exception."""
    outcome: dict[Any, Any] = {}

    def one(p: Any) -> None:
        try:
            outcome[p] = writer.commit(engine=engine, apply=apply, payload=p)
        except Exception as exc:
            outcome[p] = exc

    threads = [threading.Thread(target=one, args=(p,)) for p in payloads]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    return outcome


def test_answers_queued_while_a_group_commits_go_in_the_next_group_together(engine: Engine) -> None:
    first_started, release = threading.Event(), threading.Event()
    groups: list[list[int]] = []

    def apply(_s: Session, payloads: Sequence[int]) -> list[Any]:
        if not groups:
            first_started.set()
            release.wait(10)
        groups.append(list(payloads))
        return [p * 10 for p in payloads]

    blocker = threading.Thread(target=writer.commit, kwargs={"engine": engine, "apply": apply, "payload": 0})
    blocker.start()
    assert first_started.wait(10)
    results: dict[Any, Any] = {}
    rest = threading.Thread(
        target=lambda: results.update(_run_together(engine=engine, apply=apply, payloads=range(1, 31)))
    )
    rest.start()
    deadline = time.monotonic() + 10
    while writer._writers[engine].jobs.qsize() < 30 and time.monotonic() < deadline:
        time.sleep(0.01)  # the thirty queue up behind the group that is still committing
    release.set()
    rest.join(30)
    blocker.join(10)
    assert results == {p: p * 10 for p in range(1, 31)}
    assert groups[0] == [0]
    assert len(groups) <= 3 and sum(len(g) for g in groups) == 31


def test_one_refused_answer_in_a_group_costs_no_other_answer_its_place(engine: Engine) -> None:
    def apply(_s: Session, payloads: Sequence[int]) -> list[Any]:
        return [intake.IntakeError("empty") if p == 3 else p for p in payloads]

    out = _run_together(engine=engine, apply=apply, payloads=range(6))
    assert isinstance(out[3], intake.IntakeError) and out[3].code == "empty"
    assert {p: out[p] for p in (0, 1, 2, 4, 5)} == {0: 0, 1: 1, 2: 2, 4: 4, 5: 5}


def test_a_group_that_fails_as_a_whole_is_committed_one_answer_at_a_time(engine: Engine) -> None:
    def apply(_s: Session, payloads: Sequence[int]) -> list[Any]:
        if len(payloads) > 1:
            raise ValueError("a constraint only the group as a whole breaks")
        return list(payloads)

    out = _run_together(engine=engine, apply=apply, payloads=range(20))
    assert out == {p: p for p in range(20)}


def _answer(event: Event, token: str, question_id: str, **kw: Any) -> intake._Answer:
    text, option = kw.get("text"), kw.get("option")
    key = f"{token}|{question_id}|{text}|{option}"
    return intake._Answer(event, token, question_id, text, option, {}, key)


@pytest.mark.parametrize(
    ("first", "second", "codes"),
    [
        (
            {"question_id": "T1-idea", "text": "Sama idea"},
            {"question_id": "T1-idea", "text": "Sama idea"},
            ["new", "dup"],
        ),
        (
            {"question_id": "T1-poll", "option": "a"},
            {"question_id": "T1-poll", "option": "b"},
            ["new", "already_answered"],
        ),
        ({"question_id": "T1-idea", "text": "Yksi"}, {"question_id": "T1-idea", "text": "Toinen"}, ["new", "new"]),
    ],
    ids=["same-idea-twice", "two-poll-answers", "two-ideas"],
)
def test_one_group_stores_each_answer_once_and_one_answer_per_person_per_poll(
    engine: Engine,
    live_event: Event,
    join: Any,
    catalogue: Catalogue,
    first: dict[str, str],
    second: dict[str, str],
    codes: list[str],
) -> None:
    token = join()
    poll = next(q for q in live_event.themes[0].questions if q.kind == "poll")
    options = {"a": poll.options[0].id, "b": poll.options[1].id}
    answers = [
        _answer(live_event, token, **{**spec, **({"option": options[spec["option"]]} if "option" in spec else {})})
        for spec in (first, second)
    ]
    out = transaction(engine=engine, work=lambda s: intake._store_answers(s, answers))
    got = [
        r.code if isinstance(r, intake.IntakeError) else ("dup" if r.duplicate else "new")  # type: ignore[union-attr]
        for r in out
    ]
    assert got == codes
    with Session(engine) as s:
        stored = s.scalar(select(func.count()).select_from(Input))
    assert stored == codes.count("new")


def test_a_poll_answer_sent_twice_in_one_group_after_answering_is_refused_both_times(
    engine: Engine, live_event: Event, join: Any
) -> None:
    token = join()
    poll = next(q for q in live_event.themes[0].questions if q.kind == "poll")
    first = _answer(live_event, token, poll.id, option=poll.options[0].id)
    transaction(engine=engine, work=lambda s: intake._store_answers(s, [first]))
    again = _answer(live_event, token, poll.id, option=poll.options[1].id)
    out = transaction(engine=engine, work=lambda s: intake._store_answers(s, [again, again]))
    assert [getattr(r, "code", None) for r in out] == ["already_answered", "already_answered"]
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Input)) == 1


def test_the_writer_benchmark_stores_every_answer_it_times(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Figures are printed, not asserted (README, Performance); this only keeps the script working."""
    from bench import writer as bench_writer

    url = f"sqlite:///{tmp_path / 'bench.db'}"
    assert bench_writer.main(["--database-url", url, "--answers", "8"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("ms per answer") == 4
    stored = make_engine(url=url)
    with Session(stored) as s:
        assert s.scalar(select(func.count()).select_from(Input)) == 4 * 8
    stored.dispose()
