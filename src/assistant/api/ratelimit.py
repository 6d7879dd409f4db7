"""Admission control: the per-client rate limit and the request-body size limit.

Both refuse a request before any route (or the model) spends time on it, with the usual
JSON error: 429 with ``Retry-After``, or 413.

The rate limit is a token bucket per client address: ``rate`` requests per minute on
average, with bursts up to ``rate`` (a reader clicking a few suggested questions in a row
is normal; a script sending hundreds is not). Behind a reverse proxy on the same host,
uvicorn already replaces the client address with the proxy's ``X-Forwarded-For``.
Probes (health, readiness, metrics) and the static chat page are never limited.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import error_response

LIMITED_PREFIXES = ("/api/", "/v1/")
UNLIMITED_PATHS = frozenset({"/api/health", "/api/ready"})
_MAX_CLIENTS = 10_000  # buckets kept before idle ones are forgotten


class TokenBucketLimiter:
    """Thread-safe token buckets keyed by client; ``rate_per_minute <= 0`` disables."""

    def __init__(
        self, rate_per_minute: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = float(max(0, rate_per_minute))
        self.refill_per_s = self.capacity / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last time)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.capacity > 0

    def acquire(self, key: str) -> float:
        """Take one token for ``key``: 0.0 when allowed, else seconds until one is free."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_s)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > _MAX_CLIENTS:
                    self._forget_idle(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.refill_per_s

    def _forget_idle(self, now: float) -> None:
        """Drop buckets that have refilled completely: they hold no information."""
        full_after = self.capacity / self.refill_per_s
        for key, (_tokens, last) in list(self._buckets.items()):
            if now - last >= full_after:
                del self._buckets[key]


def _client_key(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


class RateLimitMiddleware:
    """429 with ``Retry-After`` when a client exceeds its bucket on /api/ and /v1/."""

    def __init__(
        self,
        app: ASGIApp,
        limiter: TokenBucketLimiter,
        on_limited: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.on_limited = on_limited

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not self.limiter.enabled
            or scope.get("method") == "OPTIONS"  # CORS pre-flight
            or path in UNLIMITED_PATHS
            or not path.startswith(LIMITED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(_client_key(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        if self.on_limited is not None:
            self.on_limited()
        seconds = max(1, math.ceil(wait))
        response = error_response(
            429,
            "rate_limited",
            f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {seconds} giây.",
            headers={"Retry-After": str(seconds)},
        )
        await response(scope, receive, send)


class _BodyTooLarge(StarletteHTTPException):
    """Raised while reading the body; an HTTPException so that FastAPI's body parsing
    lets it through to the JSON error handler instead of turning it into a 400."""

    def __init__(self, message: str) -> None:
        super().__init__(413, detail={"code": "payload_too_large", "message": message})


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
        return error_response(413, "payload_too_large", self._message())

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
