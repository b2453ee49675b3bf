"""Start and stop a real app server for the benchmarks and the end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from alkedash import live
from alkedash.content import Catalogue, Event
from alkedash.db import make_engine, migrate

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(*, url: str, seconds: float = 60.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the app exited with code {proc.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:  # noqa: S310 (loopback)
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the app did not answer at {url} within {seconds:.0f} s")


@dataclass
class Server:
    """`streamlit run app.py` on loopback with its own environment (database, password, intervals)."""

    url: str
    db_url: str
    env: dict[str, str]
    options: list[str] = field(default_factory=list)  # extra `--section.option value` flags
    log: Path | None = None
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        port = self.url.rsplit(":", 1)[1]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115 (lives as long as the child)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", port, "--server.headless", "true",
             "--server.address", "127.0.0.1", *self.options],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_healthy(url=self.url, proc=self.proc)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush; what a power cut or the OOM killer does."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
            self.proc = None


def app_env(*, db_url: str, url: str, password: str, **extra: str) -> dict[str, str]:
    """The environment of a test or benchmark server: its own database and password, nothing from secrets."""
    return {
        **os.environ,
        "ALKEDASH_DATABASE_URL": db_url,
        "ALKEDASH_FACILITATOR_PASSWORD": password,
        "ALKEDASH_PUBLIC_URL": url,
        **{f"ALKEDASH_{k.upper()}": v for k, v in extra.items()},
    }


def open_theme(*, db_url: str, catalogue: Catalogue, theme_id: str, event_slug: str = "alke-2025") -> Event:
    """What the facilitator does before "now": the theme live, all its questions open, the first shown."""
    event = catalogue.event(slug=event_slug)
    assert event is not None, event_slug
    engine = make_engine(url=db_url)
    migrate(engine=engine)
    live.ensure_event(engine=engine, event=event)
    live.set_theme(engine=engine, event=event, theme_id=theme_id)
    theme = event.theme(theme_id)
    assert theme is not None, theme_id
    for q in theme.questions:
        live.set_open(engine=engine, event=event, question_id=q.id, is_open=True)
    live.set_question(engine=engine, event=event, question_id=theme.questions[0].id)
    live.set_revealed(engine=engine, event=event, revealed=True)
    engine.dispose()
    return event
