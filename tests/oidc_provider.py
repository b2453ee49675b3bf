"""A tiny OpenID Connect provider on 127.0.0.1, for the end-to-end single sign-on test.

Real enough for Streamlit's `st.login()` (Authlib underneath) to go through its whole flow, with no
network and no accounts: discovery, an authorisation endpoint that signs in `Provider.email` at once
and redirects back with a code and the given state, a token endpoint that checks the client and the
code and returns an RS256-signed id_token (with the authorisation request's nonce), and the key set
to check that signature with. Each code works once, as at a real provider.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_ID = "alkedash-test-key"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class Provider:
    """`with Provider(client_id=..., client_secret=...).running() as idp:`; set `idp.email` (and
    `idp.email_verified`, None to leave the claim out) to choose who signs in next."""

    client_id: str
    client_secret: str
    email: str = "fasi@alke.fi"
    email_verified: bool | None = True
    url: str = ""
    requests: list[str] = field(default_factory=list)  # "GET /authorize", "POST /token", ... in order
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @contextmanager
    def running(self) -> Iterator[Provider]:
        """Serve on a free loopback port for the length of the block."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }

    def jwks(self) -> dict[str, Any]:
        numbers = self._key.public_key().public_numbers()
        jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": KEY_ID, "n": _uint(numbers.n), "e": _uint(numbers.e)}
        return {"keys": [jwk]}

    def authorize(self, *, query: dict[str, str]) -> str:
        """Where the browser goes next: back to the client with a fresh code and the given state."""
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            raise ValueError("unknown client or unsupported response type")
        code = secrets.token_urlsafe(16)
        with self._lock:
            self._codes[code] = {
                "nonce": query.get("nonce"),
                "redirect_uri": query["redirect_uri"],
                "email": self.email,
                "email_verified": self.email_verified,
            }
        back = {"code": code, **({"state": query["state"]} if "state" in query else {})}
        return f"{query['redirect_uri']}?{urlencode(back)}"

    def token(self, *, form: dict[str, str], authorization: str | None) -> dict[str, Any]:
        """The code exchanged, once, for an id_token; the client proves itself by Basic auth or form."""
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode("utf-8").partition(":")
        if (client_id, client_secret) != (self.client_id, self.client_secret):
            raise PermissionError("invalid_client")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if form.get("grant_type") != "authorization_code" or grant is None:
            raise ValueError("invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            raise ValueError("invalid_grant")
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": _b64(grant["email"].encode("utf-8")),
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "email": grant["email"],
            "name": grant["email"].split("@")[0],
        }
        if grant["nonce"] is not None:
            claims["nonce"] = grant["nonce"]
        if grant["email_verified"] is not None:
            claims["email_verified"] = grant["email_verified"]
        return {
            "access_token": secrets.token_urlsafe(16),
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": self.sign(claims=claims),
        }

    def sign(self, *, claims: dict[str, Any]) -> str:
        """A compact RS256 JWS, as RFC 7515 describes it."""
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}".encode("ascii")
        signature = self._key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input.decode('ascii')}.{_b64(signature)}"


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet: the test output stays readable
            pass

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            provider.requests.append(f"GET {parts.path}")
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/.well-known/openid-configuration":
                self._json(provider.metadata())
            elif parts.path == "/jwks":
                self._json(provider.jwks())
            elif parts.path == "/authorize":
                try:
                    location = provider.authorize(query=query)
                except (KeyError, ValueError) as exc:
                    self._json({"error": "invalid_request", "error_description": str(exc)}, status=400)
                    return
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._json({"error": "not_found"}, status=404)

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            provider.requests.append(f"POST {parts.path}")
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            if parts.path != "/token":
                self._json({"error": "not_found"}, status=404)
                return
            try:
                self._json(provider.token(form=form, authorization=self.headers.get("Authorization")))
            except PermissionError:
                self._json({"error": "invalid_client"}, status=401)
            except ValueError:
                self._json({"error": "invalid_grant"}, status=400)

    return Handler
