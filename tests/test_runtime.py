"""alkedash.runtime: the event loop's share of the work, made small (measured in bench/load.py)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest

from alkedash import runtime
from alkedash.runtime import (
    HandedOffThread,
    HandOffThreading,
    SessionsWithMessages,
    SlicedAsyncio,
    cached_theme,
    runner_after_queued_messages,
    unlocked_get_option,
)
from tests.conftest import FakeClock


@pytest.mark.parametrize(
    ("elapsed", "gives_way"),
    [(0.0, False), (0.004, False), (0.006, True), (0.1, True)],
)
def test_sleep_zero_gives_way_only_once_a_slice_has_passed(elapsed: float, gives_way: bool, clock: FakeClock) -> None:
    sliced = SlicedAsyncio(slice_seconds=0.005, clock=clock)
    others: list[str] = []

    async def flush() -> None:
        asyncio.get_running_loop().call_soon(others.append, "read a websocket")
        clock.now += elapsed
        await sliced.sleep(0)
        others.append("flushed")

    asyncio.run(flush())
    assert others == (["read a websocket", "flushed"] if gives_way else ["flushed", "read a websocket"])


def test_a_real_delay_always_sleeps_and_the_rest_is_asyncio(clock: FakeClock) -> None:
    sliced = SlicedAsyncio(clock=clock)

    async def wait() -> float:
        start = time.monotonic()
        assert await sliced.sleep(0.02, "done") == "done"
        return time.monotonic() - start

    assert asyncio.run(wait()) >= 0.015
    assert sliced.Event is asyncio.Event
    assert sliced.wait is asyncio.wait


def test_the_theme_message_is_computed_once_per_section_and_option_table() -> None:
    class Msg:
        def __init__(self) -> None:
            self.fields: dict[str, Any] = {}

        def SetInParent(self) -> None: ...

        def CopyFrom(self, other: Msg) -> None:
            self.fields = dict(other.fields)

    calls: list[str] = []
    table: list[object] = [object()]

    def populate(msg: Msg, section: str = "theme") -> None:
        calls.append(section)
        msg.fields["section"] = section

    cached = cached_theme(
        populate=populate, section_options=lambda s: {"primaryColor": "#00508A"}, table=lambda: table[0]
    )
    for section in ("theme", "theme", "theme.dark", "theme"):
        msg = Msg()
        cached(msg, section)
        assert msg.fields == {"section": section}
    assert calls == ["theme", "theme.dark"]
    table[0] = object()  # Streamlit re-read config.toml
    cached(Msg(), "theme")
    assert calls == ["theme", "theme.dark", "theme"]


@pytest.mark.parametrize("color", [None, "#00508A"])
@pytest.mark.parametrize("section", ["theme", "theme.dark.sidebar"])
def test_cached_populate_gives_streamlits_own_theme_message(section: str, color: str | None) -> None:
    from streamlit import config
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime import app_session

    original = app_session._populate_theme_msg
    while hasattr(original, "__wrapped__"):
        original = original.__wrapped__
    before = config.get_option(f"{section}.primaryColor")
    config.set_option(f"{section}.primaryColor", color)
    try:
        plain, cached = ForwardMsg(), ForwardMsg()
        original(plain.new_session.custom_theme, section)
        cached_theme(
            populate=original, section_options=config.get_options_for_section, table=config.get_config_options
        )(cached.new_session.custom_theme, section)
    finally:
        config.set_option(f"{section}.primaryColor", before)
    assert plain.SerializeToString() == cached.SerializeToString()


def test_a_handed_off_thread_starts_without_the_caller_waiting_for_it() -> None:
    ran = threading.Event()
    thread = HandedOffThread(target=ran.set, daemon=True)
    thread.start()
    thread.join(5)
    assert ran.is_set()
    assert not thread.is_alive()


def test_join_before_the_starter_got_to_the_thread_waits_instead_of_failing() -> None:
    hold = threading.Event()
    blocker = HandedOffThread(target=hold.wait, daemon=True)
    blocker.start()
    ran = threading.Event()
    thread = HandedOffThread(target=ran.set, daemon=True)
    thread.start()
    hold.set()
    thread.join(5)
    blocker.join(5)
    assert ran.is_set()


def test_the_script_runners_threading_is_threading_except_for_its_threads() -> None:
    proxy = HandOffThreading()
    assert proxy.Thread is HandedOffThread
    assert proxy.current_thread is threading.current_thread
    assert proxy.Lock is threading.Lock


def test_tune_patches_streamlit_once_and_turns_nagle_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_patched", False)
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)

    def theme(msg: object, section: str = "theme") -> None: ...

    class AppSession:
        def _create_scriptrunner(self, rerun_data: object) -> None: ...

    app_session = SimpleNamespace(
        _populate_theme_msg=theme, AppSession=AppSession, AppSessionState=SimpleNamespace(SHUTDOWN_REQUESTED="x")
    )
    server = SimpleNamespace(_session_mgr="sessions")
    the_runtime = SimpleNamespace(exists=lambda: True, instance=lambda: server)
    streamlit_runtime = SimpleNamespace(asyncio=asyncio, Runtime=the_runtime)
    script_runner = SimpleNamespace(threading=threading)

    def get_option(key: str) -> str:
        return f"locked {key}"

    config = SimpleNamespace(
        get_config_options=dict, get_options_for_section=lambda s: {}, get_option=get_option, _config_options=None
    )
    for _ in range(2):
        runtime.tune(
            streamlit_runtime=streamlit_runtime, app_session=app_session, script_runner=script_runner, config=config
        )
    assert isinstance(streamlit_runtime.asyncio, SlicedAsyncio)
    assert isinstance(script_runner.threading, HandOffThreading)
    assert app_session._populate_theme_msg.__wrapped__ is theme  # wrapped once, not twice
    assert AppSession._create_scriptrunner.__wrapped__.__name__ == "_create_scriptrunner"
    assert AppSession._handle_clear_cache_request is runtime.ignore_clear_cache  # type: ignore[attr-defined]
    assert config.get_option.__wrapped__ is get_option
    assert isinstance(server._session_mgr, SessionsWithMessages) and server._session_mgr.manager == "sessions"
    with socket.socket() as sock:
        asyncio.base_events._set_nodelay(sock)  # type: ignore[attr-defined]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


class FakeRunner:
    def __init__(self, first: str) -> None:
        self.requests = [first]

    def request_rerun(self, rerun_data: str) -> bool:
        self.requests.append(rerun_data)
        return True


class FakeSession:
    """What `runner_after_queued_messages` touches of an AppSession."""

    def __init__(self, loop: asyncio.AbstractEventLoop, *, runner: FakeRunner | None) -> None:
        self._event_loop = loop
        self._scriptrunner = runner
        self._state = "running"
        self.seen: list[str] = []


def create(session: FakeSession, rerun_data: str) -> None:
    session.seen.append(f"new runner for {rerun_data}")
    session._scriptrunner = FakeRunner(rerun_data)


@pytest.mark.parametrize(
    ("has_runner", "state", "expected_runner"),
    [
        (False, "running", ["watch"]),  # no runner at all: created at once, as before
        (True, "running", ["watch", "submit"]),  # the old runner's messages first, then one new runner
        (True, "shutdown", None),  # the phone left meanwhile: no runner
    ],
)
def test_a_new_runner_starts_after_the_finished_runs_queued_messages(
    has_runner: bool, state: str, expected_runner: list[str] | None
) -> None:
    async def scenario() -> FakeSession:
        loop = asyncio.get_running_loop()
        session = FakeSession(loop, runner=FakeRunner("form") if has_runner else None)
        old = session._scriptrunner
        start = runner_after_queued_messages(create=create, shutting_down="shutdown")
        loop.call_soon(session.seen.append, "old run: saved + finished")  # queued by the old runner
        start(session, "watch")
        if has_runner:
            start(session, "submit")  # another request before the loop came round
            session._state = state
        await asyncio.sleep(0.01)
        assert session._scriptrunner is not old or state == "shutdown"
        return session

    session = asyncio.run(scenario())
    if expected_runner is None:
        assert session.seen == ["old run: saved + finished"]
        return
    runner = session._scriptrunner
    assert isinstance(runner, FakeRunner)
    assert runner.requests == expected_runner
    new = [s for s in session.seen if s.startswith("new runner")]
    assert len(new) == 1
    if has_runner:
        assert session.seen == ["old run: saved + finished", "new runner for watch"]


class RefusingRunner(FakeRunner):
    def request_rerun(self, rerun_data: str) -> bool:
        return False


def test_a_runner_streamlit_started_meanwhile_is_kept_and_given_the_waiting_request() -> None:
    async def scenario() -> tuple[FakeSession, FakeRunner]:
        loop = asyncio.get_running_loop()
        session = FakeSession(loop, runner=RefusingRunner("sign-in"))
        start = runner_after_queued_messages(create=create, shutting_down="shutdown")
        start(session, "fragment timer")  # refused by the finished runner: waits one turn
        # A page change with fastReruns: Streamlit stops the old runner and starts one at once.
        session._scriptrunner = None
        start(session, "facilitate page")
        page_runner = session._scriptrunner
        assert isinstance(page_runner, FakeRunner)
        await asyncio.sleep(0.01)
        return session, page_runner

    session, page_runner = asyncio.run(scenario())
    assert session._scriptrunner is page_runner  # not replaced: its "finished" reaches the browser
    assert page_runner.requests == ["facilitate page", "fragment timer"]
    assert session.seen == ["new runner for facilitate page"]


def test_a_request_the_new_runner_refuses_gets_a_runner_of_its_own() -> None:
    async def scenario() -> FakeSession:
        loop = asyncio.get_running_loop()
        session = FakeSession(loop, runner=RefusingRunner("old"))
        start = runner_after_queued_messages(create=create, shutting_down="shutdown")
        start(session, "first")
        session._scriptrunner = RefusingRunner("started meanwhile, already stopping")
        await asyncio.sleep(0.01)
        return session

    session = asyncio.run(scenario())
    assert session.seen == ["new runner for first"]
    assert isinstance(session._scriptrunner, FakeRunner)
    assert session._scriptrunner.requests == ["first"]


@pytest.mark.parametrize(("burst", "messages"), [(50, 49), (50, 530), (1, 3)])
def test_a_long_run_still_gives_way_every_burst_so_the_browsers_queue_never_fills(
    burst: int, messages: int, clock: FakeClock
) -> None:
    sliced = SlicedAsyncio(slice_seconds=60.0, burst=burst, clock=clock)  # the clock never ends the slice
    queue: list[int] = []
    longest = 0

    def sender() -> None:  # Streamlit's per-browser task: takes everything queued when it gets a turn
        queue.clear()

    async def flush() -> None:
        nonlocal longest
        loop = asyncio.get_running_loop()
        for n in range(messages):
            queue.append(n)
            longest = max(longest, len(queue))
            loop.call_soon(sender)
            await sliced.sleep(0)

    asyncio.run(flush())
    assert longest == min(burst, messages)


@pytest.mark.parametrize("key", ["global.minCachedMessageSize", "global.appTest", "theme.primaryColor", "server.port"])
def test_the_unlocked_option_is_streamlits_own_value(key: str) -> None:
    from streamlit import config

    unlocked = unlocked_get_option(table=lambda: config._config_options, locked=config.get_option)
    config.get_config_options()  # parsed, as it is once the server runs
    assert unlocked(key) == config.get_option(key)


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        (None, "a.b", "locked a.b"),  # not parsed yet: Streamlit parses it, under its lock
        ({"a.b": SimpleNamespace(value=3)}, "a.b", 3),
        ({"a.b": SimpleNamespace(value=3)}, "a.c", "locked a.c"),  # unknown: Streamlit's own error
    ],
)
def test_an_option_is_read_without_the_lock_only_once_the_table_has_it(
    table: dict[str, Any] | None, key: str, expected: object
) -> None:
    unlocked = unlocked_get_option(table=lambda: table, locked=lambda k: f"locked {k}")
    assert unlocked(key) == expected


def test_the_flush_loop_sees_only_sessions_with_something_to_send() -> None:
    def info(name: str, queued: list[str], settle_pending: bool = False) -> SimpleNamespace:
        queue = SimpleNamespace(_queue=queued)
        return SimpleNamespace(name=name, session=SimpleNamespace(_browser_queue=queue, _settle_pending=settle_pending))

    everyone = [info("idle", []), info("sending", ["delta"]), info("settling", [], settle_pending=True)]
    manager = SimpleNamespace(list_active_sessions=lambda: everyone, num_sessions=lambda: 3)
    seen = SessionsWithMessages(manager)
    assert [i.name for i in seen.list_active_sessions()] == ["sending", "settling"]
    assert seen.num_sessions() == 3  # everything else is the manager itself


def test_tune_leaves_apptests_stand_in_runtime_and_option_overrides_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """AppTest's runtime is a mock without `_session_mgr`, and AppTest puts its own `get_option` in
    place for each run: the first page run must neither fail on the one nor hide the other."""
    monkeypatch.setattr(runtime, "_patched", False)
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)

    class StandIn:
        pass

    class AppSession:
        def _create_scriptrunner(self, rerun_data: object) -> None: ...

    def apptest_get_option(key: str) -> str:
        return key

    app_session = SimpleNamespace(
        _populate_theme_msg=lambda msg, section="theme": None,
        AppSession=AppSession,
        AppSessionState=SimpleNamespace(SHUTDOWN_REQUESTED="x"),
    )
    config = SimpleNamespace(
        get_config_options=dict,
        get_options_for_section=lambda s: {},
        get_option=apptest_get_option,
        _config_options=None,
    )
    server = StandIn()
    stand_in = SimpleNamespace(exists=lambda: True, instance=lambda: server)
    runtime.tune(
        streamlit_runtime=SimpleNamespace(asyncio=asyncio, Runtime=stand_in),
        app_session=app_session,
        script_runner=SimpleNamespace(threading=threading),
        config=config,
    )
    assert not hasattr(server, "_session_mgr")
    assert config.get_option is apptest_get_option
    assert runtime._patched
