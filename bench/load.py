"""Load benchmark: hundreds of phones and a few projectors on Streamlit's own websocket protocol.

    python -m bench.load                                  # 500 phones (140 room + 360 stream), 5 screens
    python -m bench.load --burst                          # everyone presses "send" in the same second
    python -m bench.load --url http://127.0.0.1:8501 --pids 123,456 --database-url postgresql+psycopg://...
        (start that app with ALKEDASH_JOINS_PER_MINUTE=100000: behind nginx all phones share one address)

Without --url it starts its own server on a fresh SQLite file. Each phone loads the join URL,
joins (room or stream, a region), and submits --inputs answers (idea, words, then a poll or a
rating) with a think time drawn from --pace; each projector sits on /screen and follows its
automatic refresh. It prints latency percentiles (send -> script finished), the projectors' real
refresh interval, the server's CPU and memory, and then checks the database: every acknowledged
input must be there exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import random
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alkedash.content import load_catalogue
from alkedash.db import make_engine
from alkedash.demo import sample_texts
from alkedash.models import Input, Participant
from bench.server import Server, app_env, free_port, open_theme
from bench.streamclient import ProtocolError, StreamClient

SUCCESS = 4  # Alert.Format.SUCCESS
ERROR = 1  # Alert.Format.ERROR
FI = {  # what a Finnish phone reads on its buttons (alkedash/messages.py)
    "channel": "Missä osallistut?",
    "region": "Maakunta (vapaaehtoinen)",
    "join": "Liity",
    "send": "Lähetä",
    "idea": "Ideasi",
}
WORDS = ["TKI", "osaaminen", "yritykset", "investoinnit", "yhteistyö", "vienti", "kasvu", "elinvoima", "luottamus"]


@dataclass
class Submit:
    token: str
    question_id: str
    content: str
    sent_at: float
    seconds: float
    acked: bool
    error: str = ""


@dataclass
class Tally:
    joins: list[float] = field(default_factory=list)
    submits: list[Submit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    refresh: list[float] = field(default_factory=list)  # projector: seconds between fragment runs


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {"n": len(ordered), "p50": at(50), "p95": at(95), "p99": at(99), "max": ordered[-1]}


class Meter(threading.Thread):
    """Samples the server processes' CPU and resident memory once a second."""

    def __init__(self, *, pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.procs = [psutil.Process(p) for p in pids]
        self.samples: list[tuple[float, float, float]] = []  # (time, cpu seconds, rss MiB)
        self.stop_event = threading.Event()

    def read(self) -> tuple[float, float]:
        cpu = rss = 0.0
        for proc in self.procs:
            try:
                for p in [proc, *proc.children(recursive=True)]:
                    t = p.cpu_times()
                    cpu += t.user + t.system
                    rss += p.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                continue
        return cpu, rss

    def run(self) -> None:
        while not self.stop_event.wait(1.0):
            self.samples.append((time.monotonic(), *self.read()))

    def cpu_share(self, start: float, end: float) -> float:
        """Mean CPU use between two moments, in cores (1.0 = one core fully busy)."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            return float("nan")
        return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])

    def rss_at(self, moment: float) -> float:
        before = [s for s in self.samples if s[0] <= moment] or self.samples[:1]
        return before[-1][2] if before else float("nan")


async def phone(*, i: int, args: argparse.Namespace, tally: Tally, go: asyncio.Event, burst_at: list[float]) -> None:
    rng = random.Random(i)
    await asyncio.sleep(rng.uniform(0, args.ramp))
    client = StreamClient(base_url=args.url, query="code=ALKE25", timeout=args.timeout)
    try:
        await client.open()
        channel = client.widget(kind="radio", label=FI["channel"])
        client.fill(channel, channel.options[0 if i < args.room else 1])
        region = client.widget(kind="selectbox", label=FI["region"])
        client.fill(region, rng.choice(region.options))
        run = await client.submit(form="join", button=FI["join"])
        token = client.query_param("p")
        if token is None:
            raise ProtocolError(f"join gave no token; alerts {run.alerts}; trace {client.trace[-12:]}")
        tally.joins.append(run.seconds)
    except (ProtocolError, OSError) as exc:
        tally.failures.append(f"phone {i} join: {exc}")
        await client.close()
        return
    try:
        await go.wait()
        for k in range(args.inputs):
            if args.burst and k == 0:
                await asyncio.sleep(max(0.0, burst_at[0] + rng.uniform(0, 1.0) - time.monotonic()))
            else:
                await asyncio.sleep(rng.uniform(*args.pace))
            await answer(client=client, i=i, k=k, token=token, rng=rng, tally=tally)
        await asyncio.sleep(args.linger)
    except (ProtocolError, OSError) as exc:
        tally.failures.append(f"phone {i}: {exc}")
    finally:
        await client.close()


async def answer(*, client: StreamClient, i: int, k: int, token: str, rng: random.Random, tally: Tally) -> None:
    """Idea first, then words, then a poll (even phones) or a rating (odd), then more ideas."""
    kind = ["idea", "words", "poll" if i % 2 == 0 else "rating"][k] if k < 3 else "idea"
    form = f"q-T1-{kind}"
    if kind == "idea":
        content = f"{rng.choice(IDEAS)} (puhelin {i}, vastaus {k})"
        client.fill(client.widget(kind="text_area", label=FI["idea"], form=form), content)
    elif kind == "words":
        content = " ".join(rng.sample(WORDS, 3))
        client.fill(client.widget(kind="text_input", form=form), content)
    elif kind == "poll":
        poll = client.widget(kind="radio", form=form)
        content = rng.choice(poll.options)
        client.fill(poll, content)
    else:
        radios = [w for w in client.widgets() if w.kind == "radio" and w.form_id == form]
        content = ",".join(rng.choice("12345") for _ in radios)
        for widget, value in zip(radios, content.split(","), strict=True):
            client.fill(widget, value)
    sent_at = time.monotonic()
    try:
        run = await client.submit(form=form, button=FI["send"])
    except ProtocolError as exc:
        tally.submits.append(Submit(token, f"T1-{kind}", content, sent_at, time.monotonic() - sent_at, False, str(exc)))
        raise
    # "saved" and no error; an info beside it (the frame elements offered for an idea) is not a refusal
    acked = any(fmt == SUCCESS for fmt, _ in run.alerts) and not any(fmt == ERROR for fmt, _ in run.alerts)
    error = "" if acked else f"alerts {run.alerts}"
    tally.submits.append(Submit(token, f"T1-{kind}", content, sent_at, run.seconds, acked, error))


async def projector(*, j: int, args: argparse.Namespace, tally: Tally, done: asyncio.Event) -> None:
    client = StreamClient(base_url=args.url, page="screen", query="code=ALKE25", timeout=args.timeout)
    try:
        await client.open()
        await done.wait()
    except (ProtocolError, OSError) as exc:
        tally.failures.append(f"screen {j}: {exc}")
    finally:
        await client.close()
    runs = client.fragment_runs
    tally.refresh.extend(b - a for a, b in itertools.pairwise(runs))


IDEAS: list[str] = []


async def drive(args: argparse.Namespace, meter: Meter | None) -> dict[str, object]:
    tally = Tally()
    go, done = asyncio.Event(), asyncio.Event()
    # The first visitor of each process pays for imports and dictionaries; the day starts warm. Behind
    # nginx a new visitor lands on a process at random, so a few visits warm every process.
    for page in ("", "screen") * (4 if args.pids.count(",") else 1):
        warm = StreamClient(base_url=args.url, page=page, query="code=ALKE25", timeout=args.timeout)
        await warm.open()
        await warm.close()
    burst_at = [0.0]
    screens = [asyncio.create_task(projector(j=j, args=args, tally=tally, done=done)) for j in range(args.screens)]
    t0 = time.monotonic()
    phones = [
        asyncio.create_task(phone(i=i, args=args, tally=tally, go=go, burst_at=burst_at))
        for i in range(args.participants)
    ]
    while len(tally.joins) + len(tally.failures) < args.participants and not all(p.done() for p in phones):
        await asyncio.sleep(0.2)
    joined_at = time.monotonic()
    await asyncio.sleep(2.0)
    rss_joined = meter.read()[1] if meter else float("nan")
    print(f"joined: {len(tally.joins)} phones in {joined_at - t0:.1f} s; server RSS {rss_joined:.0f} MiB", flush=True)
    # The phones are separate devices: this process's own collection pauses (up to 0.3 s with
    # 1,000 phones' objects) would be counted as the server's latency. None during the load.
    gc.collect()
    gc.freeze()
    gc.disable()
    burst_at[0] = time.monotonic() + 1.0
    go.set()
    load_start, client_cpu = time.monotonic(), time.process_time()
    await asyncio.gather(*phones)
    load_end = time.monotonic()
    client_cores = (time.process_time() - client_cpu) / (load_end - load_start)
    gc.enable()
    done.set()
    await asyncio.gather(*screens)
    refresh_in_load = tally.refresh
    out: dict[str, object] = {
        "participants": args.participants,
        "room": min(args.room, args.participants),
        "screens": args.screens,
        "joined": len(tally.joins),
        "join_seconds": percentiles(tally.joins),
        "submits": len(tally.submits),
        "acked": sum(s.acked for s in tally.submits),
        "submit_seconds": percentiles([s.seconds for s in tally.submits]),
        "submit_seconds_by_kind": {
            kind: percentiles([s.seconds for s in tally.submits if s.question_id == f"T1-{kind}"])
            for kind in ("idea", "words", "poll", "rating")
        },
        "load_seconds": load_end - load_start,
        "screen_refresh_seconds": percentiles(refresh_in_load),
        "load_generator_cpu_cores": client_cores,  # on the same machine: CPU the server did not get
        "failures": tally.failures[:20],
        "failure_count": len(tally.failures),
        "not_acked": [asdict(s) for s in tally.submits if not s.acked][:10],
        # every submit: seconds after the load started (monotonic clock of this machine), latency, kind
        "submit_log": {
            "load_started_at": load_start,
            "submits": [(s.sent_at - load_start, s.seconds, s.question_id) for s in tally.submits],
        },
    }
    if args.burst:
        firsts = [s for s in tally.submits if s.sent_at >= burst_at[0] - 0.01]
        if firsts:
            out["burst_all_acked_within_seconds"] = max(s.sent_at + s.seconds for s in firsts) - burst_at[0]
    if meter:
        out["server_cpu_cores_during_load"] = meter.cpu_share(load_start, load_end)
        out["server_rss_mib_peak"] = max(s[2] for s in meter.samples) if meter.samples else float("nan")
        out["server_rss_mib_joined"] = rss_joined
    out["_tally"] = tally
    return out


def check_database(*, db_url: str, submits: list[Submit]) -> dict[str, int]:
    """Every acknowledged input is stored; nothing is stored twice (same phone, question and content)."""
    engine = make_engine(url=db_url)
    with Session(engine) as s:
        rows = s.execute(
            select(Participant.token, Input.question_id, Input.text, Input.option, func.count())
            .join(Participant, Participant.id == Input.participant_id)
            .group_by(Participant.token, Input.question_id, Input.text, Input.option)
        ).all()
        total = s.scalar(select(func.count()).select_from(Input)) or 0
    engine.dispose()
    ideas = {(token, q, text_value): n for token, q, text_value, _o, n in rows}
    answered: dict[tuple[str, str], int] = {}
    for token, q, _t, _o, n in rows:
        answered[(token, q)] = answered.get((token, q), 0) + n
    lost = sum(
        (
            ideas.get((s.token, s.question_id, s.content), 0)
            if s.question_id.endswith("idea")
            else answered.get((s.token, s.question_id), 0)
        )
        == 0
        for s in submits
        if s.acked
    )
    duplicated = sum(n - 1 for *_key, n in rows if n > 1)
    duplicated += sum(n - 1 for (_tok, q), n in answered.items() if q.endswith(("poll", "rating")) and n > 1)
    return {"inputs_in_database": total, "acked": sum(s.acked for s in submits), "lost": lost, "duplicated": duplicated}


def report(result: dict[str, object], db: dict[str, int]) -> None:
    def ms(p: object) -> str:
        assert isinstance(p, dict)
        if not p:
            return "-"
        ms_ = {k: f"{p[k] * 1000:.0f}" for k in ("p50", "p95", "p99", "max")}
        return f"n={p['n']}  p50 {ms_['p50']} ms  p95 {ms_['p95']}  p99 {ms_['p99']}  max {ms_['max']}"

    print()
    print(f"phones {result['participants']} ({result['room']} room), screens {result['screens']}", end="")
    print(f", joined {result['joined']}")
    print(f"join      {ms(result['join_seconds'])}")
    print(f"submit    {ms(result['submit_seconds'])}   acked {result['acked']}/{result['submits']}")
    by_kind = result.get("submit_seconds_by_kind")
    if isinstance(by_kind, dict):
        for kind, p in by_kind.items():
            print(f"  {kind:<7} {ms(p)}")
    ref = result["screen_refresh_seconds"]
    if isinstance(ref, dict) and ref:
        print(f"screen refresh interval: p50 {ref['p50']:.2f} s  p95 {ref['p95']:.2f}  max {ref['max']:.2f}")
    if "burst_all_acked_within_seconds" in result:
        print(f"burst: every first submit acknowledged within {result['burst_all_acked_within_seconds']:.2f} s")
    if "server_cpu_cores_during_load" in result:
        print(
            f"server: CPU {result['server_cpu_cores_during_load']:.2f} cores during load, "
            f"RSS peak {result['server_rss_mib_peak']:.0f} MiB"
        )
    print(f"load generator (this process): CPU {result['load_generator_cpu_cores']:.2f} cores during load")
    if "memory_per_participant_kib" in result:
        print(f"memory per connected participant: {result['memory_per_participant_kib']:.0f} KiB")
    print(f"database: {db}")
    if result["failure_count"]:
        print(f"failures ({result['failure_count']}): {result['failures']}")
        if any("join gave no token" in f for f in result["failures"]):  # type: ignore[attr-defined]
            print(
                "joins were refused: behind nginx every simulated phone comes from one address; start the "
                "app with ALKEDASH_JOINS_PER_MINUTE=100000 (README, Performance)"
            )
    if result["not_acked"]:
        print(f"not acknowledged (first 10): {result['not_acked']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--room", type=int, default=140, help="the first N phones join as 'in the room'")
    parser.add_argument("--screens", type=int, default=5)
    parser.add_argument("--inputs", type=int, default=3)
    parser.add_argument("--pace", type=float, nargs=2, default=(2.0, 8.0), metavar=("MIN", "MAX"))
    parser.add_argument("--ramp", type=float, default=30.0, help="phones arrive spread over this many seconds")
    parser.add_argument("--linger", type=float, default=3.0, help="seconds a phone stays after its last input")
    parser.add_argument("--burst", action="store_true", help="all first submits in the same second")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--url", help="an already running app (then give --database-url and --pids)")
    parser.add_argument("--database-url", help="database to check afterwards (own server: a fresh SQLite file)")
    parser.add_argument("--pids", default="", help="comma-separated server pids to measure (with --url)")
    parser.add_argument("--gc", choices=["on", "off"], default=None, help="force runner.postScriptGC (own server)")
    parser.add_argument("--screen-refresh", type=float, default=3.0)
    parser.add_argument("--phone-refresh", type=float, default=10.0)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.burst and args.inputs == 3 and "--inputs" not in (argv or sys.argv):
        args.inputs = 1

    IDEAS.extend(sample_texts(theme_id="T1") or ["Yhteinen tilannekuva kasvun esteistä"])
    server = None
    if args.url is None:
        workdir = Path(tempfile.mkdtemp(prefix="alkedash-bench-"))
        args.database_url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
        url = f"http://127.0.0.1:{free_port()}"
        env = app_env(
            db_url=args.database_url,
            url=url,
            password="bench",  # noqa: S106 (a throw-away server on loopback)
            screen_refresh_seconds=str(args.screen_refresh),
            phone_refresh_seconds=str(args.phone_refresh),
        )
        options = [] if args.gc is None else ["--runner.postScriptGC", "true" if args.gc == "on" else "false"]
        open_theme(db_url=args.database_url, catalogue=load_catalogue(), theme_id="T1")
        server = Server(url=url, db_url=args.database_url, env=env, options=options, log=workdir / "server.log")
        server.start()
        args.url = url
        pids = [server.pid]
        print(f"server {url} pid {server.pid}, database {args.database_url}, log {workdir / 'server.log'}")
    else:
        if not args.database_url:
            parser.error("--url needs --database-url to check the inputs afterwards")
        open_theme(db_url=args.database_url, catalogue=load_catalogue(), theme_id="T1")
        pids = [int(p) for p in args.pids.split(",") if p]
    meter = Meter(pids=pids) if pids else None
    try:
        if meter:
            baseline = meter.read()[1]
            meter.start()
        result = asyncio.run(drive(args, meter))
    finally:
        if meter:
            meter.stop_event.set()
        if server is not None:
            server.stop()
    tally = result.pop("_tally")
    assert isinstance(tally, Tally)
    if meter and result["joined"]:
        joined_rss = result["server_rss_mib_joined"]
        assert isinstance(joined_rss, float) and isinstance(result["joined"], int)
        result["memory_per_participant_kib"] = (joined_rss - baseline) * 1024 / result["joined"]
    db = check_database(db_url=args.database_url, submits=tally.submits)
    result["database"] = db
    report(result, db)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    ok = db["lost"] == 0 and db["duplicated"] == 0 and not result["failure_count"]
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
