"""The app's front door: who may write, which Host and Origin may talk to it, how fast logins may fail,
and that finished API calls leave no per-session state behind.

Writes (upload, remove) need authentication by default. With `policykg serve --auth USER` the login
covers everything; without it, reads stay open on the bind address and writes need the *write token*:
printed at start (or set in POLICYKG_WRITE_TOKEN), given once in the browser as `/?token=…` (it becomes
an HttpOnly, SameSite=Strict cookie) or by programs as `Authorization: Bearer …`.

The Host header must name the bind address (or a configured host), and a browser's Origin must be
one of those too: a page on another site cannot reach the app through DNS rebinding, and its origin
is never echoed back for CORS. Failed logins are counted per client address; too many in a window
lock that address out for a while.

Written as plain ASGI middleware (passed to Gradio's FastAPI app) so it sees every request before
Gradio does, including the upload and queue routes.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

TOKEN_COOKIE = "policykg-write-token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_BINDS = ("0.0.0.0", "::", "")
LOGIN_PATHS = ("/login", "/login/")
CALL_PREFIX = "/gradio_api/call/"


class WriteRefused(PermissionError):
    """A write without a login or the write token; the message says how to authenticate."""


def new_token() -> str:
    return secrets.token_urlsafe(24)


def allowed_hosts(bind: str, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """Host names the app answers to: loopback names, the bind address and configured ones.

    None (any host) when bound to all interfaces with no host configured: the operator chose to
    expose the app and must list its names (POLICYKG_ALLOWED_HOSTS) to get the check back."""
    names = {h.strip().lower().strip("[]") for h in extra if h.strip()}
    if bind in WILDCARD_BINDS and not names:
        return None
    return frozenset({*LOOPBACK_NAMES, bind.lower().strip("[]"), *names} - {""})


def host_of(value: str) -> str:
    """'example.org' from 'example.org:7860', '::1' from '[::1]:7860', lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    if value.count(":") > 1:  # a bare IPv6 address
        return value
    return value.rsplit(":", 1)[0] if ":" in value else value


@dataclass
class LoginThrottle:
    """At most `limit` failed logins per client address in `window` seconds, then `lockout` seconds
    of refusals (correct passwords included: guessing cannot continue in the meantime)."""

    limit: int = 5
    window: float = 300.0
    lockout: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, client: str) -> float:
        """Seconds until `client` may try again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(client, 0.0) - self.clock())

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < self.window] + [now]
            self._failures[client] = recent
            if len(recent) >= self.limit:
                self._locked_until[client] = now + self.lockout
                self._failures[client] = []
            if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
                self._failures.clear()

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


@dataclass
class WriteGuard:
    """Decides whether a write request is authenticated: a logged-in user, or the write token."""

    token: str | None
    login_required: bool

    def check(self, request) -> None:
        """Raise WriteRefused unless `request` (a gr.Request) is allowed to write."""
        if request is None:
            raise WriteRefused("写操作需要身份验证。")
        if self.login_required:
            if getattr(request, "username", None):
                return
            raise WriteRefused("写操作需要登录。")
        if self.token and self._has_token(request):
            return
        raise WriteRefused(
            "上传和删除需要写入令牌：请使用启动时显示的链接（/?token=…）打开页面，"
            "或在请求头中提供 Authorization: Bearer <令牌>。"
        )

    def _has_token(self, request) -> bool:
        headers = {k.lower(): v for k, v in dict(getattr(request, "headers", {}) or {}).items()}
        given = headers.get("authorization", "")
        candidates = [given[7:].strip()] if given.lower().startswith("bearer ") else []
        candidates.append(headers.get("x-policykg-token", ""))
        cookies = dict(getattr(request, "cookies", {}) or {})
        candidates.append(cookies.get(TOKEN_COOKIE, ""))
        return any(c and hmac.compare_digest(c.encode(), self.token.encode()) for c in candidates)


class FrontDoor:
    """ASGI middleware: Host/Origin checks, the token link, login throttling, API session clean-up."""

    def __init__(self, app, hosts: frozenset[str] | None, token: str | None,
                 throttle: LoginThrottle | None = None,
                 forget_session: Callable[[str], None] | None = None) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token
        self.throttle = throttle or LoginThrottle()
        self.forget_session = forget_session

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        refusal = self._refusal(headers)
        if refusal:
            await _respond(scope, receive, send, 403, refusal)
            return
        path = scope.get("path", "")
        if scope["type"] == "http" and self.token and scope.get("method") == "GET" and _token_in(scope):
            await self._accept_token_link(scope, receive, send)
            return
        if scope["type"] == "http" and scope.get("method") == "POST" and path in LOGIN_PATHS:
            await self._login(scope, receive, send)
            return
        await self.app(scope, receive, send)
        if self.forget_session and scope.get("method") == "GET" and path.startswith(CALL_PREFIX):
            parts = path[len(CALL_PREFIX):].strip("/").split("/")
            if len(parts) == 2 and parts[1]:
                self.forget_session(parts[1])  # the result was delivered: its session is done

    def _refusal(self, headers: dict[str, str]) -> str | None:
        if self.hosts is None:
            return None
        if host_of(headers.get("host", "")) not in self.hosts:
            return "Host not allowed"
        origin = headers.get("origin")
        if origin and origin != "null" and host_of(urlsplit(origin).netloc) not in self.hosts:
            return "Origin not allowed"
        return None

    async def _accept_token_link(self, scope, receive, send) -> None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0]
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            await _respond(scope, receive, send, 403, "wrong write token")
            return
        rest = urlencode([(k, v) for k, vs in query.items() if k != "token" for v in vs], doseq=True)
        location = scope.get("path", "/") + (f"?{rest}" if rest else "")
        cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode()),
                                (b"cache-control", b"no-store"), (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})

    async def _login(self, scope, receive, send) -> None:
        client = _client(scope)
        wait = self.throttle.blocked(client)
        if wait > 0:
            await _respond(scope, receive, send, 429, f"too many failed logins; try again in {wait:.0f} s",
                           extra=[(b"retry-after", str(int(wait) + 1).encode())])
            return
        status: dict[str, int] = {}

        async def recording_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, recording_send)
        if status.get("code", 500) >= 400:
            self.throttle.failed(client)
        else:
            self.throttle.succeeded(client)


def _token_in(scope) -> bool:
    return b"token=" in scope.get("query_string", b"")


def _client(scope) -> str:
    client = scope.get("client") or ("?", 0)
    try:
        return str(ipaddress.ip_address(client[0]))
    except ValueError:
        return str(client[0])


async def _respond(scope, receive, send, status: int, text: str, extra: list | None = None) -> None:
    body = text.encode()
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


def session_forgetter(blocks) -> Callable[[str], None]:
    """Drop the per-session state Gradio keeps for one finished API call.

    Every POST /gradio_api/call/<name> without a session of its own runs in a fresh session named
    by its event id, and Gradio keeps a SessionState (a copy of the whole app's configuration,
    ~240 KB here) for up to 10,000 such sessions: memory grew with every API request. Once the
    result has been streamed to the caller, nothing will use that session again.

    Its message queue goes too once no event of the session is pending, even when not empty: a
    heartbeat that Gradio's stream put after the result (every 15 s while a request waits or runs)
    stays unread, and each such queue (~2 KB) was kept for up to 2,000 sessions: ~1.6 KB per request
    under load.
    """

    def forget(event_id: str) -> None:
        holder = getattr(blocks, "state_holder", None)
        queue = getattr(blocks, "_queue", None)
        if holder is not None:
            with holder.lock:
                holder.session_data.pop(event_id, None)
                holder.time_last_used.pop(event_id, None)
        if queue is not None and not queue.pending_event_ids_session.get(event_id):
            queue.pending_messages_per_session.pop(event_id, None)  # leftover heartbeats included
            queue.pending_event_ids_session.pop(event_id, None)

    return forget
