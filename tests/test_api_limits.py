"""Admission control and cross-cutting behaviour: body and question size limits, the
per-client rate limit, CORS, request ids and structured logs. HTTP machinery only, so
the stand-in embedder is used."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_api_support import QUESTION, auth

from assistant.api.ratelimit import TokenBucketLimiter
from assistant.core.logging import setup_logging

pytest_plugins = ["test_api_support"]


def test_body_over_the_limit_is_a_413(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app(max_body_bytes=1000)) as client:
        big = {"question": "Câu hỏi " * 200}
        response = client.post("/api/ask", json=big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"
        assert "tối đa" in response.json()["error"]["message"]

        def chunks():  # no Content-Length: counted while it arrives
            for _ in range(10):
                yield b'{"question": "' + b"a" * 200 + b'"}'

        streamed = client.post(
            "/api/documents",
            content=chunks(),
            headers={**auth(), "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        small = client.post("/api/ask", json={"question": QUESTION})
        assert small.status_code == 200


def test_question_over_the_limit_is_a_400(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app(max_question_chars=50)) as client:
        response = client.post("/api/ask", json={"question": "Xuất khẩu " * 20})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "question_too_long" and "50" in error["message"]


def test_rate_limit_answers_429_with_retry_after(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app(rate_limit=3)) as client:
        statuses = [client.get("/api/stats").status_code for _ in range(3)]
        assert statuses == [200, 200, 200]
        limited = client.post("/api/ask", json={"question": QUESTION})
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        assert client.get("/api/health").status_code == 200  # probes are never limited
        assert client.get("/metrics").status_code == 200
        assert "assistant_rate_limited_total 1.0" in client.get("/metrics").text


def test_token_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(60, clock=lambda: now[0])  # one a second, bursts of 60
    assert all(limiter.acquire("a") == 0 for _ in range(60))
    assert limiter.acquire("a") == pytest.approx(1.0)
    assert limiter.acquire("b") == 0  # buckets are per client
    now[0] += 2.0
    assert limiter.acquire("a") == 0 and limiter.acquire("a") == 0
    assert limiter.acquire("a") > 0
    assert TokenBucketLimiter(0).acquire("a") == 0  # 0 = off


def test_cors_allow_list(hashing_app: Callable[..., FastAPI]) -> None:
    portal = "https://baothanhhoa.vn"
    with TestClient(hashing_app(cors_origins=[portal])) as client:
        preflight = client.options(
            "/api/ask",
            headers={
                "Origin": portal,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == portal
        allowed = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": portal})
        assert allowed.headers["access-control-allow-origin"] == portal
        assert "x-request-id" in allowed.headers["access-control-expose-headers"].lower()
        other = client.post(
            "/api/ask", json={"question": QUESTION}, headers={"Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
        refused = client.options(
            "/api/ask",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "cors_rejected"


def test_request_id_in_and_out(hashing_client: TestClient) -> None:
    given = hashing_client.get("/api/health", headers={"X-Request-ID": "portal-42.a"})
    assert given.headers["x-request-id"] == "portal-42.a"
    fresh = hashing_client.get("/api/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert fresh.headers["x-request-id"] != "bad id\twith spaces"
    assert len(fresh.headers["x-request-id"]) == 32
    error = hashing_client.get("/api/khong-co")
    assert error.headers["x-request-id"]


def test_json_logs_carry_the_request_id_and_stage_timings(
    hashing_client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        setup_logging("INFO", json_lines=True)
        hashing_client.post(
            "/api/ask", json={"question": QUESTION}, headers={"X-Request-ID": "rq-1"}
        )
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    mine = [line for line in lines if line["request_id"] == "rq-1"]
    access = next(line for line in mine if line.get("route") == "/api/ask")
    assert access["status"] == 200 and access["duration_ms"] > 0
    answered = next(line for line in mine if "timings_ms" in line)
    assert {"embed", "retrieve", "compose", "total"} <= answered["timings_ms"].keys()
