"""A Streamlit browser at the protocol level: one websocket, BackMsg out, ForwardMsg in.

It does what the browser does that costs the server something, and nothing else: it loads the
page over HTTP first (so a proxy can set its sticky cookie), sends the query string, page and
every widget value on each rerun, follows `st.query_params` changes, and keeps the browser's
`setInterval` timers for fragments with `run_every`. So one process can be hundreds of phones.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FULL_RUN_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}
WIDGETS = {"button", "radio", "selectbox", "text_area", "text_input", "button_group", "checkbox", "slider"}


class ProtocolError(RuntimeError):
    """The server did something a browser would show as an error (or nothing at all)."""


@dataclass(frozen=True)
class Widget:
    kind: str
    id: str
    label: str
    form_id: str
    options: tuple[str, ...]
    fragment_id: str  # a widget inside a fragment reruns only that fragment


@dataclass
class Run:
    """One script run as the browser saw it."""

    seconds: float
    status: int
    alerts: list[tuple[int, str]] = field(default_factory=list)  # (Alert.Format, body)


def fetch_cookie(*, url: str, timeout: float = 30.0) -> str:
    """GET the page like a browser does before its websocket; returns the Cookie header to send back."""
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (the app under test)
        cookies = response.headers.get_all("Set-Cookie") or []
        response.read()
    return "; ".join(c.split(";", 1)[0] for c in cookies)


class StreamClient:
    """One browser tab. `await open()`, then `rerun`, `fill` + `press`, `close()`."""

    def __init__(self, *, base_url: str, page: str = "", query: str = "", timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query = query
        self.timeout = timeout
        self.page_hash = ""
        self.elements: dict[tuple[int, ...], tuple[Any, str]] = {}  # delta path -> (element, fragment id)
        self.values: dict[str, WidgetState] = {}
        self.fragment_runs: list[float] = []  # monotonic finish time of every fragment run
        self.on_fragment: Callable[[float], None] | None = None
        self._ws: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._waiters: list[tuple[str, asyncio.Future[Run]]] = []  # (fragment id or "" for a full run)
        self._alerts: list[tuple[int, str]] = []  # of the run being received
        self._closed = False
        self.trace: list[str] = []  # what happened, for the report when something goes wrong

    # -- connection -------------------------------------------------------------------------

    async def open(self) -> Run:
        """Load the page, connect the websocket and run the script once, as a fresh tab does."""
        path = f"/{self.page}" if self.page else "/"
        url = f"{self.base_url}{path}" + (f"?{self.query}" if self.query else "")
        cookie = await asyncio.to_thread(fetch_cookie, url=url)
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Origin": self.base_url}
        if cookie:
            headers["Cookie"] = cookie
        self._ws = await websockets.connect(
            ws_url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,
            compression=None,
        )
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        self._closed = True
        for _, task in self._timers.values():
            task.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)

    # -- reruns -----------------------------------------------------------------------------

    async def rerun(self, *, triggers: tuple[WidgetState, ...] = (), fragment_id: str = "") -> Run:
        """A rerun from a widget (of the app, or of the widget's fragment); returns when it finished."""
        started, sent_at = time.monotonic(), len(self.trace)
        waiter: asyncio.Future[Run] = asyncio.get_running_loop().create_future()
        self._waiters.append((fragment_id, waiter))
        try:
            await self._send(fragment_id=fragment_id, auto=False, triggers=triggers)
        except websockets.ConnectionClosed as exc:
            self._waiters.remove((fragment_id, waiter))
            raise ProtocolError("websocket closed before the rerun was sent") from exc
        try:
            run = await asyncio.wait_for(waiter, self.timeout)
        except TimeoutError as exc:
            since = self.trace[sent_at : sent_at + 14]  # what came back right after the send
            raise ProtocolError(f"no script_finished within {self.timeout:.0f} s; trace {since}") from exc
        run.seconds = time.monotonic() - started
        return run

    async def _send(self, *, fragment_id: str, auto: bool, triggers: tuple[WidgetState, ...] = ()) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = self.page
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.widget_states.widgets.extend(self.values.values())
        state.widget_states.widgets.extend(triggers)
        self.trace.append(f"{time.monotonic():.2f} send fragment={fragment_id!r} triggers={len(triggers)}")
        await self._ws.send(msg.SerializeToString())

    async def _every(self, fragment_id: str, interval: float) -> None:
        """The browser's setInterval: fires on the clock, whether or not the last run has finished."""
        next_at = time.monotonic() + interval
        while not self._closed:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            try:
                await self._send(fragment_id=fragment_id, auto=True)
            except websockets.ConnectionClosed:
                return

    # -- incoming ---------------------------------------------------------------------------

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            for _, waiter in self._waiters:
                if not waiter.done():
                    waiter.set_exception(ProtocolError("websocket closed"))
            self._waiters.clear()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind != "delta":
            detail = (
                getattr(msg, kind)
                if kind in {"script_finished", "page_info_changed", "session_event", "session_status_changed"}
                else ""
            )
            ident = msg.metadata.run
            what = f"{kind} {str(detail).strip()} {ident.script_run_id[:6]} {list(ident.fragment_ids)}"
            self.trace.append(f"{time.monotonic():.2f} {what}")
        if kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            self._alerts = []
            redrawn = set(msg.metadata.run.fragment_ids)
            if redrawn:
                self.elements = {p: e for p, e in self.elements.items() if e[1] not in redrawn}
            else:
                self.elements = {}
        elif kind == "delta":
            path = tuple(msg.metadata.delta_path)
            if msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                self.elements[path] = (element, msg.delta.fragment_id)
                if element.WhichOneof("type") == "alert":
                    self._alerts.append((element.alert.format, element.alert.body))
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            fragment_id, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            known = self._timers.get(fragment_id)
            if known is None or known[0] != interval:
                if known is not None:
                    known[1].cancel()
                self._timers[fragment_id] = (interval, asyncio.create_task(self._every(fragment_id, interval)))
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                known = self._timers.pop(fragment_id, None)
                if known is not None:
                    known[1].cancel()
        elif kind == "script_finished":
            full = msg.script_finished in FULL_RUN_DONE
            fragments = set(msg.metadata.run.fragment_ids)
            if msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                now = time.monotonic()
                self.fragment_runs.append(now)
                if self.on_fragment is not None:
                    self.on_fragment(now)
            elif not full and not (fragments and self._alerts):
                return  # interrupted for a rerun: the rerun's own finish follows
            # A fragment run whose finish was still queued when the next run started is reported as
            # "early" although its elements were delivered; the browser shows them, and so do we.
            run = Run(seconds=0.0, status=msg.script_finished, alerts=list(self._alerts))
            still = []
            for fragment_id, waiter in self._waiters:
                if full or fragment_id in fragments:
                    if not waiter.done():
                        waiter.set_result(run)
                else:
                    still.append((fragment_id, waiter))
            self._waiters = still
        elif kind == "page_not_found":
            raise ProtocolError(f"page not found: {msg.page_not_found.page_name!r}")

    # -- widgets ----------------------------------------------------------------------------

    def widgets(self) -> list[Widget]:
        found = []
        for element, fragment_id in self.elements.values():
            kind = element.WhichOneof("type")
            if kind not in WIDGETS:
                continue
            proto = getattr(element, kind)
            options = tuple(getattr(proto, "options", ()) or ())
            if kind == "button_group":
                options = tuple(o.content for o in proto.options)
            found.append(
                Widget(
                    kind=kind,
                    id=proto.id,
                    label=proto.label,
                    form_id=proto.form_id,
                    options=options,
                    fragment_id=fragment_id,
                )
            )
        return found

    def widget(self, *, kind: str, label: str | None = None, form: str | None = None) -> Widget:
        """The one widget of this kind (and label / form-id fragment) on the page now."""
        hits = [
            w
            for w in self.widgets()
            if w.kind == kind and (label is None or w.label == label) and (form is None or form in w.form_id)
        ]
        if len(hits) != 1:
            seen = sorted(f"{w.kind}:{w.label!r}@{w.form_id}" for w in self.widgets())
            raise ProtocolError(f"expected one {kind} {label!r} in {form!r}, found {len(hits)}; page has {seen}")
        return hits[0]

    def texts(self) -> list[str]:
        """Every text the page shows now (markdown, headings, plain text, alerts, html)."""
        out = []
        for element, _fragment in self.elements.values():
            kind = element.WhichOneof("type")
            if kind in {"markdown", "text", "alert", "heading", "html"}:
                proto = getattr(element, kind)
                out.append(getattr(proto, "body", "") or getattr(proto, "text", ""))
        return out

    def fill(self, widget: Widget, value: str) -> None:
        """Set a text, radio or selectbox value (radio and selectbox take the option's label)."""
        if widget.options and value not in widget.options:
            raise ProtocolError(f"{value!r} is not an option of {widget.label!r}: {widget.options}")
        self.values[widget.id] = WidgetState(id=widget.id, string_value=value)

    async def submit(self, *, form: str, button: str) -> Run:
        """Press a form's submit button; like the browser, the form's values are then cleared."""
        pressed = self.widget(kind="button", label=button, form=form)
        in_form = {w.id for w in self.widgets() if w.form_id == pressed.form_id}
        run = await self.rerun(
            triggers=(WidgetState(id=pressed.id, trigger_value=True),), fragment_id=pressed.fragment_id
        )
        for widget_id in in_form:
            self.values.pop(widget_id, None)
        return run

    async def press(self, *, label: str) -> Run:
        button = self.widget(kind="button", label=label)
        trigger = WidgetState(id=button.id, trigger_value=True)
        return await self.rerun(triggers=(trigger,), fragment_id=button.fragment_id)

    def query_param(self, name: str) -> str | None:
        values = urllib.parse.parse_qs(self.query).get(name)
        return values[0] if values else None
