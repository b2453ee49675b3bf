"""Scaled mode: N Streamlit processes (one per core) behind nginx with cookie-sticky sessions, all on
one PostgreSQL.

    python deploy/scaled.py --procs N --port 8501        # or: make run-scaled PROCS=N

One Streamlit process uses about one core, so more phones need more processes. The live state is in
the database, so every process shows the same theme and question; a browser's Streamlit session, its
/media/ files and uploads live in one process, so nginx keeps each browser on one process by cookie.
This script migrates and seeds once, starts the app processes and nginx as its children, and stops
all of them together: on SIGINT/SIGTERM, or when any one of them dies.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import http.client
import os
import pwd
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
STATE_DIR = ROOT / "var" / "nginx"
START_TIMEOUT = 90.0  # seconds for an app process to answer its health check (cold imports, 2 cores)
STOP_TIMEOUT = 15.0  # seconds for the children to stop before they are killed
# Each app process may open this many PostgreSQL connections: pool_size 10 + max_overflow 20 (alkedash/db.py).
CONNECTIONS_PER_PROCESS = 30
PR_SET_PDEATHSIG = 1


class ConfTemplate(Template):
    """`@{name}` placeholders, because nginx itself uses `$name` everywhere."""

    delimiter = "@"


class Stop(Exception):
    """Raised by the signal handler, so a stop interrupts whatever is waiting."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class ChildDied(Exception):
    """One child ended while it should be running: everything stops, and the message names it."""


@dataclass
class Child:
    name: str
    argv: list[str]
    log: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)


def fail(message: str, *, code: int = 2) -> int:
    """One clear line on stderr, and the exit code to return."""
    print(f"deploy/scaled.py: {message}", file=sys.stderr)
    return code


def _die_with_parent() -> None:
    """In the child: get SIGTERM if this supervisor dies, even by SIGKILL, so nothing is orphaned."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signum)


def _port_free(*, host: str, port: int) -> bool:
    """Whether nothing listens on host:port yet, so a clash is named before anything starts."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _healthy(*, host: str, port: int) -> bool:
    """GET /_stcore/health with http.client, which ignores http_proxy (urllib would obey it)."""
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("GET", "/_stcore/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def _raise_fd_limit() -> None:
    """Each websocket is a file descriptor (two in nginx); the children inherit the raised soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = 65536 if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _app_processes(n: int) -> str:
    return f"{n} app process" if n == 1 else f"{n} app processes"


def _tail(*, path: Path, lines: int = 15) -> str:
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    return "\n".join(f"    {line}" for line in text)


def prepare_database(*, env: dict[str, str], need_password: bool) -> None:
    """Migrate and seed once, before any app process starts, so N processes never race on Alembic."""
    steps = [["check"], *([["init-secrets"]] if need_password else []), ["seed"]]
    for step in steps:
        result = subprocess.run([sys.executable, "-m", "alkedash", *step], cwd=ROOT, env=env, check=False)
        if result.returncode != 0:
            raise ChildDied(f"`python -m alkedash {' '.join(step)}` failed (exit {result.returncode})")


def warn_about_connections(*, database_url: str, procs: int) -> None:
    """PostgreSQL refuses connections past max_connections (100 by default): say so before the day does."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            limit = int(conn.execute(text("SHOW max_connections")).scalar_one())
    finally:
        engine.dispose()
    need = procs * CONNECTIONS_PER_PROCESS
    if need > limit - 5:
        print(
            f"warning: {procs} processes may open up to {need} PostgreSQL connections, and the server allows "
            f"{limit} (max_connections); raise it or use fewer processes",
            file=sys.stderr,
        )


def write_nginx_config(*, state_dir: Path, listen: str, backends: list[int]) -> Path:
    """Render the template into state_dir, with the logs and temp dirs nginx will write to."""
    for sub in ("logs", "tmp"):
        (state_dir / sub).mkdir(parents=True, exist_ok=True)
    # Run as root, nginx would start its worker as `nobody`, which cannot write var/nginx/tmp: keep the
    # worker as the user who started this script (the app processes run as that user anyway).
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else "# (not root: no user directive)"
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in backends)
    text = ConfTemplate(TEMPLATE.read_text(encoding="utf-8")).substitute(
        user_directive=user, listen=listen, servers=servers
    )
    path = state_dir / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def start(*, child: Child, env: dict[str, str]) -> None:
    """Start one child in its own process group: a terminal's Ctrl-C reaches only this supervisor, which
    then stops the children in order."""
    with child.log.open("ab") as log:
        child.proc = subprocess.Popen(
            child.argv,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,  # safe: no threads run in this process
        )


def check_alive(*, children: list[Child]) -> None:
    for child in children:
        if child.proc is not None and (code := child.proc.poll()) is not None:
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
            raise ChildDied(f"{child.name} died ({how}); last lines of {child.log}:\n{_tail(path=child.log)}")


def wait_healthy(*, host: str, port: int, children: list[Child], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not _healthy(host=host, port=port):
        check_alive(children=children)
        if time.monotonic() > deadline:
            raise ChildDied(f"{what} did not answer http://{host}:{port}/_stcore/health within {START_TIMEOUT:.0f} s")
        time.sleep(0.3)


def stop_all(*, children: list[Child]) -> None:
    """nginx first (no new requests), then the apps; SIGTERM, then SIGKILL to the whole group."""
    running = [c for c in reversed(children) if c.proc is not None and c.proc.poll() is None]
    for child in running:
        assert child.proc is not None
        # SIGTERM is nginx's fast shutdown; its graceful SIGQUIT would wait a day for open websockets.
        child.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in running:
        assert child.proc is not None
        try:
            child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{child.name} did not stop within {STOP_TIMEOUT:.0f} s; killing it", file=sys.stderr)
    for child in children:  # also the nginx worker, or anything a child left in its group
        if child.proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/scaled.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1, help="app processes (default: cores)")
    parser.add_argument("--port", type=int, default=8501, help="public port nginx listens on (default 8501)")
    parser.add_argument("--listen", default="0.0.0.0", help="address nginx listens on (default all)")  # noqa: S104
    parser.add_argument("--backend-port", type=int, default=8601, help="first app port; the rest follow (8601)")
    parser.add_argument("--state-dir", type=Path, default=STATE_DIR, help="nginx config, logs, temp (var/nginx)")
    parser.add_argument("--nginx", default=None, help="nginx binary (default: found on PATH or /usr/sbin)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from sqlalchemy.engine import make_url

    from alkedash.settings import load_settings

    settings = load_settings()
    url = make_url(settings.database_url)
    if url.get_backend_name() != "postgresql":
        return fail(
            f"ALKEDASH_DATABASE_URL must be a PostgreSQL URL (postgresql+psycopg://user:pw@host/db), "
            f"not {url.render_as_string(hide_password=True)}: several processes need a server database"
        )
    if args.procs < 1:
        return fail("--procs must be at least 1")
    nginx = shutil.which(args.nginx or "nginx", path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if nginx is None:
        return fail(f"no {args.nginx or 'nginx'} to run (Debian: apt-get install nginx-light)")
    backends = [args.backend_port + i for i in range(args.procs)]
    for host, port in [(args.listen, args.port), *(("127.0.0.1", p) for p in backends)]:
        if not _port_free(host=host, port=port):
            return fail(f"port {host}:{port} is already in use")

    state_dir: Path = args.state_dir.resolve()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ALKEDASH_TRUSTED_PROXY": "1"}
    # Streamlit signs its cookies with this; replicas should share it (Streamlit's config docs).
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
    children: list[Child] = []
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    try:
        prepare_database(env=env, need_password=settings.facilitator_password is None)
        warn_about_connections(database_url=settings.database_url, procs=args.procs)
        conf = write_nginx_config(state_dir=state_dir, listen=f"{args.listen}:{args.port}", backends=backends)
        nginx_argv = [nginx, "-p", f"{state_dir}/", "-c", conf.name, "-g", "daemon off;"]
        test = subprocess.run([*nginx_argv, "-t", "-q"], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            return fail(f"nginx rejects {conf}: {test.stderr.strip()}")
        _raise_fd_limit()
        for n, port in enumerate(backends, start=1):
            argv = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                    "--server.address", "127.0.0.1", "--server.headless", "true",
                    # No code reloads during an event: no file watcher per process.
                    "--server.fileWatcherType", "none"]  # fmt: skip
            child = Child(name=f"app process {n} (port {port})", argv=argv, log=state_dir / "logs" / f"app-{port}.log")
            children.append(child)
            start(child=child, env=env)
        for child, port in zip(children, backends, strict=True):
            wait_healthy(host="127.0.0.1", port=port, children=children, what=child.name)
        proxy = Child(name=f"nginx (port {args.port})", argv=nginx_argv, log=state_dir / "logs" / "error.log")
        children.append(proxy)
        start(child=proxy, env=env)
        local = "127.0.0.1" if args.listen in ("0.0.0.0", "") else args.listen  # noqa: S104
        wait_healthy(host=local, port=args.port, children=children, what="nginx")
        print(
            f"alkedash scaled mode: {_app_processes(args.procs)} "
            f"(127.0.0.1:{backends[0]}-{backends[-1]}) behind nginx at http://{args.listen}:{args.port}\n"
            f"  phones use {settings.public_url} (ALKEDASH_PUBLIC_URL); database "
            f"{url.render_as_string(hide_password=True)}\n"
            f"  logs in {state_dir / 'logs'}; Ctrl-C (SIGINT) or SIGTERM stops everything",
            flush=True,
        )
        while True:
            check_alive(children=children)
            time.sleep(0.5)
    except Stop as stop:
        print(f"{stop.args[0]}: stopping nginx and {_app_processes(args.procs)}", file=sys.stderr, flush=True)
        return 0
    except ChildDied as died:
        return fail(f"{died}\nstopping everything" if children else str(died), code=1)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        stop_all(children=children)


if __name__ == "__main__":
    raise SystemExit(main())
