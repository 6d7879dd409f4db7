"""Prometheus metrics and the per-request observation middleware.

Each application gets its own registry (several apps in one test process must not
collide on the global one). The middleware gives every request an id (the caller's
``X-Request-ID`` when it is sane, else a fresh one), puts it in the logging context so
every log line of the request carries it, returns it in the response, writes one access
log line and counts the request by route template (never by raw path: document ids in
paths would make the label set unbounded).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.core.logging import request_id

logger = logging.getLogger("assistant.api.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    """The service's counters and histograms, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # RSS, CPU seconds, open files
        self.requests = Counter(
            "assistant_http_requests",
            "HTTP requests by route template, method and status code.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "assistant_http_request_seconds",
            "HTTP request latency by route template.",
            ["route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.ask_stage = Histogram(
            "assistant_ask_stage_seconds",
            "Time spent answering, by stage (rewrite, embed, retrieve, compose, generate, total).",
            ["stage"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "assistant_answers",
            "Answers given, by whether the articles answered the question.",
            ["answerable"],
            registry=self.registry,
        )
        self.answer_cache = Counter(
            "assistant_answer_cache",
            "Answer-cache lookups by result (hit: answered without the pipeline).",
            ["result"],
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "assistant_embed_batch_size",
            "Questions encoded together in one model call.",
            buckets=_BATCH_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "assistant_rate_limited",
            "Requests refused by the per-client rate limit.",
            registry=self.registry,
        )

    def observe_answer(self, answerable: bool, timings_ms: Mapping[str, float]) -> None:
        self.answers.labels(answerable=str(answerable).lower()).inc()
        for result in ("hit", "miss"):
            if f"cache.{result}" in timings_ms:
                self.answer_cache.labels(result=result).inc()
        for stage in ("rewrite", "embed", "retrieve", "compose", "generate", "total"):
            if stage in timings_ms:
                self.ask_stage.labels(stage=stage).observe(timings_ms[stage] / 1000.0)

    def observe_batch(self, size: int) -> None:
        self.batch_size.observe(size)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = str(value.decode("latin-1")).strip()
            if _REQUEST_ID.match(text):
                return text
            break
    return uuid.uuid4().hex


class ObservationMiddleware:
    """Request id in and out, one access log line, request counters and latency."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_request_id(scope)
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(route=route, method=method, status=str(status)).inc()
            self.metrics.latency.labels(route=route).observe(elapsed)
            logger.info(
                "%s %s %d %.1fms",
                method,
                scope.get("path", ""),
                status,
                elapsed * 1000,
                extra={
                    "fields": {
                        "method": method,
                        "path": scope.get("path", ""),
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 1),
                    }
                },
            )
            request_id.reset(token)
