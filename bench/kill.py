"""Kill test: SIGKILL the server in the middle of the load, start it again, lose nothing acknowledged.

    python -m bench.kill                                   # 60 phones, SIGKILL 8 s into the load, fresh SQLite
    python -m bench.kill --participants 60 --kill-after 8 --database-url postgresql+psycopg://...

It starts its own server (on a fresh SQLite file, or on --database-url) with theme T1 live and every
question open. --participants phones join at the protocol level and keep answering (an idea, words,
a poll or a rating, then ideas) with a short think time. --burst more phones join and stay quiet
until --kill-after seconds into the load, then all send one idea at once; as soon as the first answer
from that moment on comes back, the server gets SIGKILL (no shutdown handler, no flush: a power cut
of the process, or the OOM killer). So some submits are surely in flight: sent, not acknowledged.
Every phone then sees its websocket drop; a submit with no "saved" back is not acknowledged. The
server is started again on the same database, a new phone joins and sends one more idea, and the
database is checked: every acknowledged input is stored exactly once.

It exits non-zero if an acknowledged input was lost or an input was stored twice, if nothing was
acknowledged before the kill (then the run proves nothing), or if the restarted server did not
acknowledge the new input. The server log (both runs) is in the printed work directory.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import sys
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from alkedash.content import load_catalogue
from alkedash.db import make_engine
from alkedash.demo import sample_texts
from alkedash.models import Input, Participant
from bench import load
from bench.load import Submit, Tally, check_database, phone
from bench.server import Server, app_env, free_port, open_theme
from bench.streamclient import ProtocolError, StreamClient


@dataclass
class KillRun:
    """What one kill test saw. Times are time.monotonic()."""

    database_url: str
    participants: int
    burst: int = 0  # more phones that send one idea each at the kill moment
    joined: int = 0
    failures_before_kill: list[str] = field(default_factory=list)
    failures_after_kill: list[str] = field(default_factory=list)
    submits: list[Submit] = field(default_factory=list)  # the phones' submits up to the kill
    kill_at: float = 0.0
    load_seconds: float = 0.0  # from the start of the load to the kill
    restart_seconds: float = 0.0  # SIGKILL -> the restarted server answers its health check
    after_restart: list[Submit] = field(default_factory=list)  # the new phone's idea
    after_restart_failures: list[str] = field(default_factory=list)
    stored: int = 0  # inputs in the database from the phones of this run (restart phone included)
    in_flight_stored: int = 0  # sent, never acknowledged, but committed anyway (allowed)
    lost: int = 0
    duplicated: int = 0
    workdir: Path | None = None

    @property
    def acked_before_kill(self) -> int:
        return sum(s.acked for s in self.submits)

    @property
    def in_flight(self) -> list[Submit]:
        """Sent, and the connection dropped before an acknowledgement came back."""
        return [s for s in self.submits if not s.acked and s.sent_at + s.seconds >= self.kill_at]

    @property
    def refused_before_kill(self) -> list[Submit]:
        """Answered, but not with "saved" (an error message), while the server was still up."""
        return [s for s in self.submits if not s.acked and s.sent_at + s.seconds < self.kill_at]

    @property
    def restart_acked(self) -> bool:
        return len(self.after_restart) == 1 and self.after_restart[0].acked and not self.after_restart_failures

    @property
    def unexplained(self) -> int:
        """Stored rows that are neither an acknowledged input nor a committed in-flight one (must be 0)."""
        acked = self.acked_before_kill + sum(s.acked for s in self.after_restart)
        return self.stored - acked - self.in_flight_stored

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.acked_before_kill > 0 and self.restart_acked

    def report(self) -> str:
        lines = [
            f"database: {self.database_url}",
            f"phones: {self.joined}/{self.participants + self.burst} joined ({self.participants} answering every"
            f" 0.2-1 s, {self.burst} sending one idea together at the kill); load ran {self.load_seconds:.2f} s",
            f"acknowledged before the kill: {self.acked_before_kill}",
            f"in flight at the kill (sent, not acknowledged): {len(self.in_flight)}"
            f" (of which committed anyway: {self.in_flight_stored})",
            f"refused before the kill (an error instead of 'saved'): {len(self.refused_before_kill)}",
            f"restart: the server answered again {self.restart_seconds:.1f} s after SIGKILL;"
            f" new phone's idea acknowledged: {'yes' if self.restart_acked else 'NO'}",
            f"stored (this run's phones, new phone included): {self.stored}"
            f" (unexplained by acknowledged + committed in flight: {self.unexplained})",
            f"lost: {self.lost}",
            f"duplicated: {self.duplicated}",
        ]
        if self.failures_before_kill:
            lines.append(
                f"failures before the kill ({len(self.failures_before_kill)}): {self.failures_before_kill[:5]}"
            )
        if self.refused_before_kill:
            lines.append(f"refused (first 5): {[dataclasses.asdict(s) for s in self.refused_before_kill[:5]]}")
        if self.after_restart_failures or not self.restart_acked:
            lines.append(f"after restart: {self.after_restart_failures} {self.after_restart}")
        if self.workdir is not None:
            lines.append(f"server log: {self.workdir / 'server.log'}")
        lines.append("OK: nothing acknowledged was lost or duplicated" if self.ok else "FAILED")
        return "\n".join(lines)


def _phone_args(
    *, url: str, timeout: float, inputs: int, pace: tuple[float, float], ramp: float, room: int
) -> argparse.Namespace:
    """The options bench.load.phone reads: phones below `room` join as in the room, the rest on the stream."""
    return argparse.Namespace(
        url=url, timeout=timeout, ramp=ramp, room=room, inputs=inputs, pace=pace, burst=False, linger=0.0
    )


async def _guarded(coro: Coroutine[Any, Any, None], failures: list[str], i: int) -> None:
    """bench.load.phone catches ProtocolError and OSError; a send on a websocket that has already
    closed raises websockets' ConnectionClosed instead. Nothing was sent then, so it is not in flight."""
    try:
        await coro
    except Exception as exc:
        failures.append(f"phone {i}: {type(exc).__name__}: {exc}")


async def _load_and_kill(
    *, server: Server, out: KillRun, kill_after: float, timeout: float, pace: tuple[float, float]
) -> None:
    tally = Tally()
    extra: list[str] = []  # failures bench.load.phone did not catch
    warm = StreamClient(base_url=server.url, query="code=ALKE25", timeout=timeout)
    await warm.open()  # the first visitor pays for imports and dictionaries
    await warm.close()
    go = asyncio.Event()
    n, everyone = out.participants, out.participants + out.burst
    ramp = min(3.0, everyone / 20)
    steady = _phone_args(url=server.url, timeout=timeout, inputs=10**6, pace=pace, ramp=ramp, room=n // 2)
    # The burst phones think for exactly kill_after seconds, so their one idea leaves at the kill moment.
    burst = _phone_args(url=server.url, timeout=timeout, inputs=1, pace=(kill_after, kill_after), ramp=ramp, room=0)
    phones = [
        asyncio.create_task(
            _guarded(phone(i=i, args=steady if i < n else burst, tally=tally, go=go, burst_at=[0.0]), extra, i)
        )
        for i in range(everyone)
    ]
    deadline = time.monotonic() + timeout
    while len(tally.joins) + len(tally.failures) + len(extra) < everyone and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    out.joined = len(tally.joins)
    print(f"joined: {out.joined}/{everyone} phones; load for {kill_after:.1f} s, then SIGKILL", flush=True)
    go.set()
    started = time.monotonic()
    await asyncio.sleep(kill_after)
    if out.burst:
        # The burst phones wake just after this and send. The first answer sent from now on that
        # comes back means the server is working through the burst: kill it then, with the rest in flight.
        burst_sent, seen = time.monotonic(), len(tally.submits)
        await asyncio.sleep(0.01)
        limit = burst_sent + 5.0
        while time.monotonic() < limit and not any(s.sent_at >= burst_sent for s in tally.submits[seen:]):
            await asyncio.sleep(0.002)
    out.failures_before_kill = [*tally.failures, *extra]
    n_failures = len(out.failures_before_kill)
    out.kill_at = time.monotonic()
    out.load_seconds = out.kill_at - started
    pid = server.pid
    server.kill()
    print(f"SIGKILL sent to pid {pid}", flush=True)
    _, pending = await asyncio.wait(phones, timeout=timeout)
    for task in pending:  # a phone that never noticed the drop: its submits are not acknowledged either
        task.cancel()
    await asyncio.gather(*phones, return_exceptions=True)
    out.failures_after_kill = [*tally.failures, *extra][n_failures:]
    out.submits = list(tally.submits)
    _quiet_orphans()


def _quiet_orphans() -> None:
    """A phone whose send fails on a socket that is still closing leaves its StreamClient waiter
    behind, and the reader then fails it with "websocket closed" that nobody awaits. Collect those
    now, inside the loop, instead of letting asyncio print "Future exception was never retrieved"."""
    loop = asyncio.get_running_loop()
    default = loop.get_exception_handler()

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if isinstance(context.get("exception"), ProtocolError) and "never retrieved" in context.get("message", ""):
            return
        if default is not None:
            default(loop, context)
        else:
            loop.default_exception_handler(context)

    loop.set_exception_handler(handler)
    gc.collect()


async def _one_more(*, url: str, i: int, timeout: float, out: KillRun) -> None:
    tally = Tally()
    go = asyncio.Event()
    go.set()
    args = _phone_args(url=url, timeout=timeout, inputs=1, pace=(0.0, 0.0), ramp=0.0, room=0)
    await _guarded(phone(i=i, args=args, tally=tally, go=go, burst_at=[0.0]), tally.failures, i)
    out.after_restart = list(tally.submits)
    out.after_restart_failures = list(tally.failures)


def _stored(*, db_url: str, tokens: set[str]) -> int:
    engine = make_engine(url=db_url)
    try:
        with Session(engine) as s:
            query = select(func.count()).select_from(Input).join(Participant, Participant.id == Input.participant_id)
            return int(s.scalar(query.where(Participant.token.in_(tokens))) or 0) if tokens else 0
    finally:
        engine.dispose()


def run(
    *,
    participants: int = 60,
    kill_after: float = 8.0,
    burst: int = 10,
    database_url: str | None = None,
    workdir: Path | None = None,
    port: int | None = None,
    timeout: float = 90.0,
    pace: tuple[float, float] = (0.2, 1.0),
) -> KillRun:
    """One kill test end to end; the server is always stopped on the way out."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="alkedash-kill-"))
    db_url = database_url or f"sqlite:///{workdir / 'kill.db'}"
    ideas = getattr(load, "IDEAS", None)  # bench.load.answer draws idea texts from it; its main() fills it
    if isinstance(ideas, list) and not ideas:
        ideas.extend(sample_texts(theme_id="T1") or ["Yhteinen tilannekuva kasvun esteistä"])
    url = f"http://127.0.0.1:{port or free_port()}"
    open_theme(db_url=db_url, catalogue=load_catalogue(), theme_id="T1")
    # The steady phones answer every 0.2-1 s to have many submits in flight at the kill: far above
    # a person's rate, so the per-phone limit is lifted for this server.
    env = app_env(db_url=db_url, url=url, password="kill-test", answers_per_minute="100000")  # noqa: S106 (loopback)
    server = Server(url=url, db_url=db_url, env=env, log=workdir / "server.log")
    out = KillRun(
        database_url=make_url(db_url).render_as_string(hide_password=True), participants=participants, burst=burst
    )
    out.workdir = workdir
    try:
        server.start()
        print(f"server {url} pid {server.pid}, work directory {workdir}", flush=True)
        asyncio.run(_load_and_kill(server=server, out=out, kill_after=kill_after, timeout=timeout, pace=pace))
        server.start()  # the same database, the same address
        out.restart_seconds = time.monotonic() - out.kill_at
        print(f"restarted: pid {server.pid}", flush=True)
        asyncio.run(_one_more(url=url, i=participants + burst, timeout=timeout, out=out))
    finally:
        server.stop()
    everything = out.submits + out.after_restart
    db = check_database(db_url=db_url, submits=everything)
    out.lost, out.duplicated = db["lost"], db["duplicated"]
    in_flight = out.in_flight
    if in_flight:
        as_if_acked = [dataclasses.replace(s, acked=True) for s in in_flight]
        out.in_flight_stored = len(in_flight) - check_database(db_url=db_url, submits=as_if_acked)["lost"]
    out.stored = _stored(db_url=db_url, tokens={s.token for s in everything})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kill", description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--kill-after", type=float, default=8.0, help="seconds of load before SIGKILL")
    parser.add_argument("--burst", type=int, default=10, help="more phones sending one idea each at the kill")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a new temporary directory")
    parser.add_argument("--pace", type=float, nargs=2, default=(0.2, 1.0), metavar=("MIN", "MAX"), help="think time")
    parser.add_argument("--port", type=int, help="default: a free loopback port")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds a phone waits for one run")
    args = parser.parse_args(argv)
    result = run(
        participants=args.participants,
        kill_after=args.kill_after,
        burst=args.burst,
        database_url=args.database_url,
        port=args.port,
        timeout=args.timeout,
        pace=tuple(args.pace),
    )
    print()
    print(result.report())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
