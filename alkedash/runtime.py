"""The server process, tuned for hundreds of phones: frames leave at once, threads take turns fast.

Nagle. Streamlit 1.67 binds its listening socket as `socket.socket(family)`, so accepted sockets have
`proto == 0`, and asyncio only sets TCP_NODELAY when `proto == IPPROTO_TCP`. Each rerun sends
several small frames; with Nagle on, the second waits for the browser's delayed ACK, which adds
40 ms (Linux's minimum) to every rerun of every phone and the projector. Measured with
`bench/streamclient.py` on an empty app (postScriptGC off): 44 ms per rerun before, 6 ms after.

The event loop. One thread reads every phone's websocket, starts every run and sends every message,
so its own work sets the latency of all of them. Timed inside the server at 500 phones (bench.load),
the submit's wait was almost all between "script finished" and "sent": 4.4 s at p95 in the busiest
ten seconds, against 0.1 s for the run itself. Three things in Streamlit 1.67 cost it most:
- the flush loop gives way to the event loop after every single message (`await asyncio.sleep(0)`),
  so sending a burst of N messages waits N times behind everything else that is ready;
- every run's first message re-reads the [theme] options six times from the whole option table
  (22 % of the event loop's CPU in a py-spy profile), although they never change while it runs;
- every run starts a new thread, and `Thread.start()` waits until that thread has taken the GIL
  once. With a dozen script threads computing that is a few milliseconds, and it was 40 % of the
  event loop's wall time in the busiest seconds (py-spy --idle). A starter thread waits instead.

A page that hangs. The flush loop hands each message to the browser's own sender task, whose queue
holds 500; flushing a 530-message run in one slice filled it, Streamlit closed that client while its
websocket stayed open, and the facilitator's page spun forever (1 visit in 15). A slice therefore
also ends after FLUSH_BURST messages.

A lost "saved". When a run has just ended, its last messages (the form's alert, "finished") are
still queued for the event loop while the script runner already refuses new requests. A request
read in that moment (a phone's timer) makes Streamlit create a new runner at once, and the queued
messages of the old one are then dropped as coming from "a non-current ScriptRunner": the answer
is stored but the phone never hears so (about 1 in 500 submits at 1,000 phones). The new runner is
now created after what is already queued, so the old run's messages go out first.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import logging
import queue
import socket
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import Any

from alkedash import collector

# Switch interval: Python's default 5 ms, set explicitly because it was once 1 ms. Every database
# call gives up the GIL and taking it back waits up to this long while another thread computes, so
# 1 ms once helped the ORM group commit (500 submits beside a busy thread: 111/s -> 363/s). Since the
# group commit is plain Core (under half the CPU per answer), 5 ms is as good on SQLite (500 phones: p95 37, 63 ms
# against 42, 75) and better on PostgreSQL, 2 processes, 1,000 phones: p95 188, 363, 194, 205 ms
# against 569, 241, 460, 471 ms (4 runs each; why is not measured: perhaps a switch every
# millisecond among a dozen threads costs more than the waits it shortens).
SWITCH_INTERVAL = 0.005

# Young collections. The full one is run by alkedash.collector at quiet moments: after the warm-up's
# gc.freeze() (alkedash/ui.py) each connected phone adds about half a MiB of long-lived objects,
# and a full collection walks all of them (15 ms at the start, 170 ms at 500 phones).
GC_YOUNG = (700, 10)

# The flush loop sends messages for this long before it lets the event loop read and start runs.
FLUSH_SLICE = 0.005
# ...and never more messages than this in a row. Each browser's sender task drains a queue that holds
# at most 500 messages (Streamlit's WEBSOCKET_MAX_SEND_QUEUE_SIZE); a full queue closes the client for
# good while its websocket stays open, so the browser waits forever for a run that has finished. The
# facilitator's page sends 530 deltas in one run, well inside one 5 ms slice.
FLUSH_BURST = 50

_patched = False


def _set_nodelay(sock: Any) -> None:
    if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class SlicedAsyncio(types.ModuleType):
    """`asyncio` as Streamlit's runtime module sees it: `sleep(0)` gives way once per time slice or
    burst of messages instead of after every message; everything else is asyncio itself."""

    def __init__(
        self,
        *,
        slice_seconds: float = FLUSH_SLICE,
        burst: int = FLUSH_BURST,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__("asyncio")
        self.slice_seconds = slice_seconds
        self.burst = burst
        self.clock = clock
        self.gave_way_at = clock()
        self.skipped = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float, result: Any = None) -> Any:
        now = self.clock()
        if delay <= 0 and now - self.gave_way_at < self.slice_seconds and self.skipped < self.burst - 1:
            self.skipped += 1
            return result
        self.gave_way_at = now
        self.skipped = 0
        return await asyncio.sleep(delay, result)


def cached_theme(
    *, populate: Callable[..., None], section_options: Callable[[str], dict[str, Any]], table: Callable[[], object]
) -> Callable[..., None]:
    """Streamlit's `_populate_theme_msg(msg, section)`, computed once per section and option table,
    then copied. A new option table (Streamlit re-reads config.toml into a new one) is a new key.
    Like Streamlit, a section with no option set leaves `msg` untouched (absent in its parent)."""
    done: dict[tuple[str, int], Any] = {}

    def wrapper(msg: Any, section: str = "theme") -> None:
        key = (section, id(table()))
        if key not in done:
            fresh = type(msg)()
            populate(fresh, section)
            done[key] = fresh if any(v is not None for v in section_options(section).values()) else None
        if done[key] is not None:
            msg.SetInParent()  # present even when no field is set, as Streamlit's own run leaves it
            msg.CopyFrom(done[key])

    wrapper.__wrapped__ = populate  # type: ignore[attr-defined]
    return wrapper


class ThreadStarter:
    """One thread that calls `Thread.start()` for others, so the event loop does not wait for it."""

    def __init__(self) -> None:
        self.waiting: queue.SimpleQueue[HandedOffThread] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def put(self, thread: HandedOffThread) -> None:
        self.waiting.put(thread)
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(target=self.run, name="alkedash-thread-starter", daemon=True)
                self.thread.start()

    def run(self) -> None:
        while True:
            thread = self.waiting.get()
            try:
                threading.Thread.start(thread)
            except Exception:  # the event loop would have logged this; the session stays as it was
                logging.getLogger(__name__).exception("could not start %s", thread.name)
            finally:
                thread.handed_over.set()


STARTER = ThreadStarter()


class HandedOffThread(threading.Thread):
    """A thread whose `start()` returns at once; `STARTER` starts it a moment later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed_over = threading.Event()

    def start(self) -> None:
        STARTER.put(self)

    def join(self, timeout: float | None = None) -> None:
        self.handed_over.wait(timeout)
        super().join(timeout)


def runner_after_queued_messages(*, create: Callable[..., None], shutting_down: object) -> Callable[..., None]:
    """`AppSession._create_scriptrunner`, deferred by one turn of the event loop when the session
    still has a runner (one that has finished and refused the request). Requests that arrive in
    the meantime join the first one.

    A runner started in that turn by Streamlit itself (a page change with `runner.fastReruns`
    stops the old runner and starts one at once) is kept and given the waiting requests. Replacing
    it would drop its "started" and "finished" messages as coming from a non-current runner, and a
    browser that asked for the page change would wait forever (a fragment's timer racing a page
    switch can do this)."""

    def start_pending(session: Any) -> None:
        pending = session.__dict__.pop("_alkedash_pending_runs", [])
        refused_by = session.__dict__.pop("_alkedash_refused_by", None)
        if not pending or session._state == shutting_down:
            return
        runner = session._scriptrunner
        if runner is None or runner is refused_by:
            create(session, pending.pop(0))
        for rerun_data in pending:
            if not session._scriptrunner.request_rerun(rerun_data):
                create(session, rerun_data)

    def wrapper(session: Any, rerun_data: Any) -> None:
        if session._scriptrunner is None:
            create(session, rerun_data)
            return
        pending = session.__dict__.setdefault("_alkedash_pending_runs", [])
        pending.append(rerun_data)
        if len(pending) == 1:
            session.__dict__["_alkedash_refused_by"] = session._scriptrunner
            session._event_loop.call_soon(start_pending, session)

    wrapper.__wrapped__ = create  # type: ignore[attr-defined]
    return wrapper


def ignore_clear_cache(session: Any) -> None:
    """`AppSession._handle_clear_cache_request`, refused. Streamlit takes a "clear caches" message
    from any websocket, menu item shown or not, and empties every cache of every user: a visitor
    could make every screen recompute its word cloud, and each cleared engine left its database
    connections open (30 messages: 3 -> 63 open files on the SQLite database)."""
    logging.getLogger(__name__).info("refused a clear-cache request from session %s", getattr(session, "id", "?"))


class HandOffThreading(types.ModuleType):
    """`threading` as Streamlit's script runner sees it: its script threads are `HandedOffThread`."""

    Thread = HandedOffThread

    def __init__(self) -> None:
        super().__init__("threading")

    def __getattr__(self, name: str) -> Any:
        return getattr(threading, name)


def unlocked_get_option(
    *, table: Callable[[], dict[str, Any] | None], locked: Callable[[str], Any]
) -> Callable[[str], Any]:
    """`streamlit.config.get_option` without the config lock once the options are parsed. Every
    element a run draws reads one or two options under one process-wide lock; with a short switch
    interval its holder is often switched out inside it, and the other script threads queue behind
    (22 % of the script threads' samples at 1,000 phones were waits there). Reading one key of a
    dict is atomic in CPython, and Streamlit replaces the table rather than editing it in place;
    before it exists, and for an unknown key, Streamlit's own function answers."""

    def get_option(key: str) -> Any:
        options = table()
        option = options.get(key) if options is not None else None
        return locked(key) if option is None else option.value

    get_option.__wrapped__ = locked  # type: ignore[attr-defined]
    return get_option


class SessionsWithMessages:
    """Streamlit's session manager as the runtime's flush loop sees it: `list_active_sessions` leaves
    out sessions with nothing to send. The loop runs up to 200 times a second under load and asked
    every connected session for its queue each time: with 500 phones a process spent 9 % of its
    GIL time on empty queues. A message queued after the look is not missed: queueing one sets
    the loop's "need to send" flag again, which the loop clears before it looks."""

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    def __getattr__(self, name: str) -> Any:
        return getattr(self.manager, name)

    def list_active_sessions(self) -> list[Any]:
        return [
            info
            for info in self.manager.list_active_sessions()
            if info.session._browser_queue._queue or info.session._settle_pending
        ]


def tune(*, streamlit_runtime: Any, app_session: Any, script_runner: Any, config: Any) -> None:
    """Nagle off for every TCP socket asyncio opens, whatever its `proto`; a 5 ms switch interval;
    full garbage collections at quiet moments; the event loop flushes in time slices, reads the theme once,
    does not wait for threads to start, and delivers a finished run's last messages before the
    next runner starts; a visitor cannot clear the server's caches. Takes Streamlit's modules
    (`streamlit.runtime.runtime`, `.app_session`, `.scriptrunner.script_runner`, `streamlit.config`)
    from the caller, so this module stays free of Streamlit. Safe to call again."""
    global _patched
    sys.setswitchinterval(SWITCH_INTERVAL)
    collector.start(young=GC_YOUNG)
    if _patched:
        return
    if hasattr(socket, "TCP_NODELAY"):
        asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
    streamlit_runtime.asyncio = SlicedAsyncio()
    script_runner.threading = HandOffThreading()
    app_session.AppSession._handle_clear_cache_request = ignore_clear_cache
    app_session.AppSession._create_scriptrunner = runner_after_queued_messages(
        create=app_session.AppSession._create_scriptrunner,
        shutting_down=app_session.AppSessionState.SHUTDOWN_REQUESTED,
    )
    if streamlit_runtime.Runtime.exists():
        server = streamlit_runtime.Runtime.instance()
        # Only a real server. AppTest's stand-in runtime (a mock) has no session manager, and AppTest
        # swaps `get_option` for its own overrides ("global.appTest") on every run: wrapping that
        # swap would hide them from the widgets it reads back.
        manager = getattr(server, "_session_mgr", None)
        if manager is not None:
            server._session_mgr = SessionsWithMessages(manager)
            config.get_option = unlocked_get_option(table=lambda: config._config_options, locked=config.get_option)
    app_session._populate_theme_msg = cached_theme(
        populate=app_session._populate_theme_msg,
        section_options=config.get_options_for_section,
        table=config.get_config_options,
    )
    _patched = True
