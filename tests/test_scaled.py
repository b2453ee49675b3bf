"""Scaled mode (deploy/scaled.py): two app processes behind nginx, all on one PostgreSQL.

One browser stays on one process by cookie (page, static files, websocket, /media/), fresh browsers
from one address spread over both, Streamlit's websocket works through nginx, and stopping the script,
or losing one of its processes, leaves no streamlit or nginx process behind.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL, require

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent
PUBLIC_PORTS = range(8600, 8700)
BACKEND_PORTS = range(18000, 18100)
NGINX = shutil.which("nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
START_TIMEOUT = 90.0
COOKIE = re.compile(r"^alkedash_node=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Lax$")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def backend(self) -> str:
        return str(self.headers["X-Alkedash-Backend"])

    @property
    def node_cookie(self) -> str | None:
        """The alkedash_node value nginx set on this response, if it set one (and never a malformed one)."""
        nodes = [h for h in self.headers.get_all("Set-Cookie") or [] if h.startswith("alkedash_node=")]
        assert len(nodes) <= 1, nodes
        if not nodes:
            return None
        match = COOKIE.match(nodes[0])
        assert match is not None, nodes[0]
        return match.group(1)


@dataclass
class Scaled:
    """One running deploy/scaled.py and where it answers."""

    proc: subprocess.Popen[bytes]
    port: int
    backends: list[int]
    state_dir: Path
    output: Path

    def get(self, path: str, *, cookie: str | None = None, host: str | None = None) -> Response:
        """One GET through nginx on a fresh connection, as a fresh phone would (http.client: no proxy)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {"Cookie": f"alkedash_node={cookie}"} if cookie else {}
        if host:
            headers["Host"] = host
        try:
            conn.request("GET", path, headers=headers)
            r = conn.getresponse()
            return Response(status=r.status, headers=r.msg, body=r.read())
        finally:
            conn.close()

    def descendants(self) -> set[int]:
        """Every live process under the script: the app processes, nginx master and worker."""
        return _descendants(pid=self.proc.pid)

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _free(*, port: int) -> bool:
    """Whether nothing listens on the port (SO_REUSEADDR: closed connections in TIME_WAIT don't count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports(*, procs: int) -> tuple[int, int]:
    """A free public port in 8600-8699 and `procs` consecutive free backend ports in 18000-18099."""
    public = next(p for p in PUBLIC_PORTS if _free(port=p))
    first = next(
        p for p in BACKEND_PORTS[: len(BACKEND_PORTS) - procs + 1] if all(_free(port=q) for q in range(p, p + procs))
    )
    return public, first


def _alive(*, pid: int) -> bool:
    """True for a running process; a zombie (dead, not yet reaped) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _descendants(*, pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and _alive(pid=child):
                found.add(child)
                todo.append(child)
    return found


def _cmdline(*, pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


def _processes_naming(*, needles: list[str]) -> list[str]:
    """Command lines of live processes that mention any needle (a state dir, a backend port)."""
    hits = []
    for proc in Path("/proc").glob("[0-9]*"):
        line = _cmdline(pid=int(proc.name))
        if any(n in line for n in needles) and int(proc.name) != os.getpid() and _alive(pid=int(proc.name)):
            hits.append(line)
    return hits


def _launch(*, tmp: Path, procs: int) -> Scaled:
    require(NGINX is not None, reason="nginx is not installed (Debian package 'nginx-light')")
    require(POSTGRES_URL is not None, reason="ALKEDASH_TEST_POSTGRES_URL is not set (no PostgreSQL server)")
    port, first = _ports(procs=procs)
    env = {
        **os.environ,
        # The suite's PostgreSQL database: other tests drop its tables, so this module stops its
        # processes before it ends; seeding here is idempotent.
        "ALKEDASH_DATABASE_URL": str(POSTGRES_URL),
        "ALKEDASH_FACILITATOR_PASSWORD": "scaled-test-password",
        "ALKEDASH_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    output = tmp / "scaled.out"
    with output.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "deploy/scaled.py", "--procs", str(procs), "--port", str(port), "--listen", "127.0.0.1",
             "--backend-port", str(first), "--state-dir", str(tmp / "nginx")],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    scaled = Scaled(proc=proc, port=port, backends=list(range(first, first + procs)), state_dir=tmp, output=output)
    deadline = time.monotonic() + START_TIMEOUT
    while "alkedash scaled mode:" not in scaled.text():
        if proc.poll() is not None or time.monotonic() > deadline:
            scaled.stop()
            pytest.fail(f"deploy/scaled.py did not start (exit {proc.poll()}):\n{scaled.text()}")
        time.sleep(0.3)
    return scaled


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    running = _launch(tmp=tmp_path_factory.mktemp("scaled"), procs=2)
    yield running
    running.stop()  # before the next module resets the PostgreSQL tables under it


def test_the_public_port_serves_the_apps_html(scaled: Scaled) -> None:
    r = scaled.get("/?code=ALKE25")
    assert r.status == 200
    assert r.headers.get_content_type() == "text/html"
    assert b'<div id="root">' in r.body and b"./static/js/" in r.body
    assert r.backend in {f"127.0.0.1:{p}" for p in scaled.backends}


def test_a_first_request_gets_an_alkedash_node_cookie_and_later_ones_do_not(scaled: Scaled) -> None:
    first = scaled.get("/")
    node = first.node_cookie
    assert node is not None, first.headers.get_all("Set-Cookie")
    again = scaled.get("/", cookie=node)
    assert again.status == 200
    assert again.node_cookie is None  # an empty add_header value sends no Set-Cookie at all


def test_twenty_requests_with_one_cookie_all_reach_the_same_backend(scaled: Scaled) -> None:
    first = scaled.get("/?code=ALKE25")
    node = first.node_cookie
    assert node is not None
    script = re.search(rb"\./(static/js/[^\"]+\.js)", first.body)
    assert script is not None
    paths = ["/", "/?code=ALKE25&lang=sv", f"/{script.group(1).decode()}", "/_stcore/health",
             "/_stcore/host-config", "/media/0123456789abcdef.png", "/screen"]  # fmt: skip
    backends = {(path, scaled.get(path, cookie=node).backend) for path in (paths * 3)[:20]}
    # The request without a cookie was hashed by the id that became its cookie: same process.
    assert {b for _, b in backends} == {first.backend}, backends


def test_forty_fresh_clients_from_one_address_are_spread_over_both_backends(scaled: Scaled) -> None:
    # Every request comes from 127.0.0.1, as a room of phones behind one NAT address would.
    seen = [scaled.get("/_stcore/health").backend for _ in range(40)]
    counts = {b: seen.count(b) for b in set(seen)}
    assert set(counts) == {f"127.0.0.1:{p}" for p in scaled.backends}, counts
    assert min(counts.values()) >= 5, counts


def test_the_websocket_upgrades_through_nginx_and_the_app_runs_for_a_phone(scaled: Scaled) -> None:
    require(find_spec("websockets") is not None, reason="the Python package websockets is not installed")
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    # A public host name, not 127.0.0.1: Streamlit accepts the websocket only if Origin matches the
    # Host it sees, so this fails unless nginx forwards the browser's Host (with its port) unchanged.
    public = f"alke.example:{scaled.port}"
    first = scaled.get("/?code=ALKE25", host=public)
    node = first.node_cookie
    assert node is not None
    sock = socket.create_connection(("127.0.0.1", scaled.port), timeout=10)
    with connect(
        f"ws://{public}/_stcore/stream",
        sock=sock,
        origin=f"http://{public}",
        subprotocols=["streamlit"],
        additional_headers={"Cookie": f"alkedash_node={node}"},
        proxy=None,
        open_timeout=10,
    ) as ws:
        assert ws.subprotocol == "streamlit"
        assert ws.response is not None and ws.response.status_code == 101
        assert ws.response.headers["X-Alkedash-Backend"] == first.backend  # the page's process
        msg = BackMsg()
        msg.rerun_script.query_string = "code=ALKE25"
        msg.rerun_script.page_script_hash = ""
        ws.send(msg.SerializeToString())
        kinds: list[str] = []
        errors: list[str] = []
        deadline = time.monotonic() + 30
        while "script_finished" not in kinds and time.monotonic() < deadline:
            reply = ForwardMsg()
            reply.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            kinds.append(str(reply.WhichOneof("type")))
            if kinds[-1] == "delta" and reply.delta.new_element.WhichOneof("type") == "exception":
                errors.append(reply.delta.new_element.exception.message)
    assert "new_session" in kinds, kinds
    assert "script_finished" in kinds, kinds
    assert errors == []


def test_a_dying_app_process_stops_everything_and_is_named(scaled: Scaled) -> None:
    """The last test on the shared instance: it ends it."""
    tree = scaled.descendants()
    victim = scaled.backends[1]
    apps = [p for p in tree if f"--server.port {victim} " in _cmdline(pid=p)]
    assert len(apps) == 1, tree
    os.kill(apps[0], signal.SIGKILL)
    assert scaled.proc.wait(timeout=30) == 1
    assert f"app process 2 (port {victim}) died (signal SIGKILL)" in scaled.text()
    _assert_all_gone(pids=tree, scaled=scaled)


def test_sigterm_leaves_no_streamlit_or_nginx_process_behind(tmp_path: Path) -> None:
    running = _launch(tmp=tmp_path, procs=1)
    try:
        tree = running.descendants()
        names = [_cmdline(pid=p) for p in tree]
        assert len(tree) == 3, names  # one app process, nginx master and nginx worker
        running.proc.send_signal(signal.SIGTERM)
        assert running.proc.wait(timeout=30) == 0
        assert "SIGTERM: stopping nginx and 1 app process" in running.text()
        _assert_all_gone(pids=tree, scaled=running)
    finally:
        running.stop()


def _assert_all_gone(*, pids: set[int], scaled: Scaled) -> None:
    deadline = time.monotonic() + 10
    while (left := {p for p in pids if _alive(pid=p)}) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == set()
    needles = [str(scaled.state_dir), *(f"--server.port {p} " for p in scaled.backends)]
    assert _processes_naming(needles=needles) == []
    assert _free(port=scaled.port) and all(_free(port=p) for p in scaled.backends)
