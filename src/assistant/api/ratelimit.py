"""Admission control: the rate limit and the request-body size limit.

Both refuse a request before any route (or the model) spends time on it, with the usual
JSON error: 429 with ``Retry-After``, or 413.

The rate limit is a token bucket per client: ``rate`` requests per minute on average,
with bursts up to ``rate`` (a reader clicking a few suggested questions in a row is
normal; a script sending hundreds is not). A request carrying a known API key
(``Authorization: Bearer``) is counted against its key, at the key's own rate
(``ASSISTANT_KEY_RATES``), because a portal backend asks for all of its readers from
one address; any other request is counted against its address. ``X-Forwarded-For`` is
believed only from the reverse proxies listed in ``ASSISTANT_TRUSTED_PROXIES`` (the
client is the right-most address that is not one of them); from anyone else it would
let a client pick its own bucket. Probes (health, readiness, metrics) and the static chat
page are never limited.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import ApiError

LIMITED_PREFIXES = ("/api/", "/v1/")
UNLIMITED_PATHS = frozenset({"/api/health", "/api/ready"})
_MAX_CLIENTS = 10_000  # buckets kept before idle ones are forgotten


class TokenBucketLimiter:
    """Thread-safe token buckets keyed by client; a rate ``<= 0`` means unlimited."""

    def __init__(
        self, rate_per_minute: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(max(0, rate_per_minute))
        self.clock = clock
        # key → (tokens, last time, capacity)
        self._buckets: dict[str, tuple[float, float, float]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def acquire(self, key: str, rate_per_minute: int | None = None) -> float:
        """Take one token for ``key`` (at the default rate, or ``rate_per_minute``):
        0.0 when allowed, else seconds until one is free."""
        capacity = self.capacity if rate_per_minute is None else float(max(0, rate_per_minute))
        if capacity <= 0:
            return 0.0
        refill_per_s = capacity / 60.0
        now = self.clock()
        with self._lock:
            tokens, last, _ = self._buckets.get(key, (capacity, now, capacity))
            tokens = min(capacity, tokens + (now - last) * refill_per_s)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now, capacity)
                if len(self._buckets) > _MAX_CLIENTS:
                    self._forget_idle(now)
                return 0.0
            self._buckets[key] = (tokens, now, capacity)
            return (1.0 - tokens) / refill_per_s

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no information."""
        for key, (_tokens, last, capacity) in list(self._buckets.items()):
            if now - last >= 60.0 or capacity <= 0:  # a full refill takes a minute
                del self._buckets[key]


class ClientIdentity:
    """Which bucket a request counts against, and at what rate (None = the default)."""

    def __init__(
        self,
        keys: Sequence[str] = (),
        key_rates: Mapping[str, int] | None = None,
        trusted_proxies: Sequence[str] = (),
    ) -> None:
        self.key_rates = dict(key_rates or {})
        self.keys = [key.encode("utf-8") for key in {*keys, *self.key_rates}]
        self.trusted = [ipaddress.ip_network(net.strip(), strict=False) for net in trusted_proxies]

    @property
    def has_key_rates(self) -> bool:
        return any(rate > 0 for rate in self.key_rates.values())

    def __call__(self, scope: Scope) -> tuple[str, int | None]:
        key = self._known_key(scope)
        if key is not None:
            bucket = "key:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
            return bucket, self.key_rates.get(key)
        return "ip:" + self.address(scope), None

    def _known_key(self, scope: Scope) -> str | None:
        """The Bearer token when it is a configured key (an unknown token must not get a
        fresh bucket of its own: that would lift the limit for anyone inventing keys)."""
        header = _header(scope, b"authorization")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return None
        given = token.encode("utf-8")
        matched = False
        for key in self.keys:  # compare with every key: timing says nothing about which
            matched |= hmac.compare_digest(given, key)
        return token if matched else None

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in self.trusted)

    def address(self, scope: Scope) -> str:
        """The client's address: the peer, or behind trusted proxies the right-most
        ``X-Forwarded-For`` entry that is not a trusted proxy."""
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        if not self.trusted or not self._is_trusted(peer):
            return peer
        forwarded = [part.strip() for part in _header(scope, b"x-forwarded-for").split(",")]
        chain = [part for part in forwarded if part]
        for address in reversed(chain):
            if not self._is_trusted(address):
                return address
        return chain[0] if chain else peer


def _header(scope: Scope, name: bytes) -> str:
    values = [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]
    return ",".join(values)


class RateLimitMiddleware:
    """429 with ``Retry-After`` when a client exceeds its bucket on /api/ and /v1/."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        on_limited: Callable[[], None] | None = None,
        identity: ClientIdentity | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.on_limited = on_limited
        self.identity = identity or ClientIdentity()
        self.enabled = limiter.enabled or self.identity.has_key_rates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not self.enabled
            or scope.get("method") == "OPTIONS"  # CORS pre-flight
            or path in UNLIMITED_PATHS
            or not path.startswith(LIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(*self.identity(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        if self.on_limited is not None:
            self.on_limited()
        seconds = max(1, math.ceil(wait))
        response = ApiError(
            429,
            "rate_limited",
            f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.",
            headers={"Retry-After": str(seconds)},
        ).response()
        await response(scope, receive, send)


class _BodyTooLarge(StarletteHTTPException):
    """Raised while reading the body; an HTTPException so that FastAPI's body parsing
    lets it through to the JSON error handler instead of turning it into a 400."""

    def __init__(self, message: str) -> None:
        super().__init__(413, detail=message)  # code: payload_too_large, 413's own


class BodySizeLimitMiddleware:
    """413 when the request body exceeds ``max_bytes`` (declared or actually sent).

    A declared ``Content-Length`` over the limit is refused before reading anything; a
    chunked body is counted as it arrives and refused as soon as it goes over.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return f"Dữ liệu gửi lên quá lớn (tối đa {self.max_bytes / 1_000_000:g} MB mỗi yêu cầu)."

    def _too_large(self) -> ASGIApp:
        return ApiError(413, "payload_too_large", self._message()).response()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._too_large()(scope, receive, send)
                    return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge(self._message())
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await self._too_large()(scope, receive, send)
