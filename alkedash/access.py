"""Who may do what: the facilitator's and the organiser's passwords, and a lock after wrong guesses;
or, with single sign-on, the signed-in person's e-mail address (`role_for_email`).

A password is kept as a salted PBKDF2 hash (`hash_password`; `python -m alkedash init-secrets`
writes hashes), so the secrets file does not give the password away. A plain value from the
environment still works. Either way the comparison takes the same time whatever was typed, and
after `Lockout.limit` wrong guesses from one client in `Lockout.window` seconds that client is
refused for the rest of the window: a guesser gets a few tries an hour, while a facilitator on
another device is not locked out by someone else's guessing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Literal

from alkedash.throttle import Throttle

Role = Literal["facilitator", "organiser"]
ROLES: tuple[Role, ...] = ("organiser", "facilitator")  # the stronger first: one password, one role
# An organiser may do everything a facilitator may, and set up and sum up the event.
GRANTS: dict[str, frozenset[str]] = {
    "facilitator": frozenset({"facilitator"}),
    "organiser": frozenset({"facilitator", "organiser"}),
}
SCHEME = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256; about 0.3 s a check here


def grants(*, held: str | None, needed: str) -> bool:
    """Does a visitor signed in as `held` have the role `needed`?"""
    return held is not None and needed in GRANTS.get(held, frozenset())


def hash_password(*, password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """ "pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>": what the secrets file keeps."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{SCHEME}${iterations}${salt.hex()}${digest.hex()}"


def verify(*, password: str, stored: str) -> bool:
    """`password` against a stored hash, or against a plain stored password; constant time either way."""
    if not stored:
        return False
    if stored.startswith(SCHEME + "$"):
        try:
            _scheme, rounds, salt, digest = stored.split("$")
            expected = bytes.fromhex(digest)
            given = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(rounds))
        except ValueError:  # a damaged hash matches nothing
            return False
        return hmac.compare_digest(given, expected)
    a = hashlib.sha256(password.encode("utf-8")).digest()
    b = hashlib.sha256(stored.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


def role_for(*, password: str, stored: dict[str, str | None]) -> Role | None:
    """The role whose password this is (every stored one is checked, so the time says nothing of which)."""
    found: Role | None = None
    for role in ROLES:
        value = stored.get(role)
        if value and verify(password=password, stored=value) and found is None:
            found = role
    return found


def role_for_email(
    *, email: str | None, verified: bool | None, facilitators: Iterable[str], organisers: Iterable[str]
) -> Role | None:
    """The role a person signed in through single sign-on gets from their address, if any.

    An entry is a full address or "@domain.fi" for everyone at that domain, in any case. The
    organisers are looked at first, so someone on both lists gets the stronger role. The identity
    provider vouches for the address, unless it says it has not verified it (`email_verified`
    false): then anyone could have typed it, and it opens nothing."""
    if verified is False or not email:
        return None
    address = email.strip().lower()
    local, at, domain = address.rpartition("@")
    if not (local and at and domain):
        return None
    lists: tuple[tuple[Role, Iterable[str]], ...] = (("organiser", organisers), ("facilitator", facilitators))
    for role, entries in lists:
        for entry in entries:
            wanted = entry.strip().lower()
            if wanted == address or (wanted.startswith("@") and wanted[1:] == domain):
                return role
    return None


class Lockout(Throttle):
    """Wrong guesses per client, kept in this process's memory only (never stored): five in a
    quarter of an hour, then the client waits."""

    def __init__(self, *, limit: int = 5, window: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(limit=limit, window=window, clock=clock)

    def failed(self, *, key: str) -> None:
        self.record(key=key)

    def succeeded(self, *, key: str) -> None:
        self.forget(key=key)


def client_key(*, address: str | None, forwarded_for: str | None, trust_proxy: bool, session: str) -> str:
    """Whom a guess counts against: the address the request came from, else the browser session.

    Behind our nginx (`trust_proxy`), the address nginx itself appended last to X-Forwarded-For;
    anything before it was written by the client and is not believed. Hashed: the address itself
    is kept nowhere."""
    relayed = (forwarded_for or "").split(",")[-1].strip() if trust_proxy else ""
    origin = relayed or address or f"session:{session}"
    return hashlib.sha256(origin.encode("utf-8")).hexdigest()[:32]


LOCKOUT = Lockout()  # this process's count of wrong guesses
