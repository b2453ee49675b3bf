"""The server process, tuned for hundreds of phones: frames leave at once, threads take turns fast.

Nagle. Streamlit 1.67 binds its listening socket as `socket.socket(family)`, so accepted sockets have
`proto == 0`, and asyncio only sets TCP_NODELAY when `proto == IPPROTO_TCP`. Each rerun sends
several small frames; with Nagle on, the second waits for the browser's delayed ACK, which adds
40 ms (Linux's minimum) to every rerun of every phone and the projector. Measured with
`bench/streamclient.py` on an empty app (postScriptGC off): 44 ms per rerun before, 6 ms after.
"""

from __future__ import annotations

import asyncio.base_events
import socket
import sys
from typing import Any

# Switch interval. Every database call and socket wait gives up the GIL; taking it back waits up
# to the switch interval (5 ms by default) while any other thread computes. At 500 phones some
# thread always computes, so a submit paid that many times over. 1 ms: 500 concurrent submits
# beside a busy thread went from 111/s to 363/s (p95 342 -> 114 ms).
SWITCH_INTERVAL = 0.001

_patched = False


def _set_nodelay(sock: Any) -> None:
    if sock.family in {socket.AF_INET, socket.AF_INET6} and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def tune() -> None:
    """Nagle off for every TCP socket asyncio opens, whatever its `proto`; a 1 ms switch interval.
    Safe to call again."""
    global _patched
    sys.setswitchinterval(SWITCH_INTERVAL)
    if not _patched and hasattr(socket, "TCP_NODELAY"):
        asyncio.base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]
        _patched = True
