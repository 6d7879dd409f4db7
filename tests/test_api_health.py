"""Liveness, readiness (503 until loaded), statistics, Prometheus metrics, and the
lifespan that loads the model and the index once."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_api_support import QUESTION, api_settings, copy_index

from assistant.api.main import create_app

pytest_plugins = ["test_api_support"]


def wait_ready(client: TestClient, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/api/ready")
        if response.status_code == 200 or response.json()["error"]["code"] == "load_failed":
            return response.json()
        time.sleep(0.2)
    raise AssertionError("the service did not become ready")


def test_health_and_ready(hashing_client: TestClient) -> None:
    assert hashing_client.get("/api/health").json() == {"status": "ok"}
    ready = hashing_client.get("/api/ready").json()
    assert ready["status"] == "ready" and ready["documents"] == 1 and ready["chunks"] > 1


def test_not_ready_until_loaded_and_503_when_loading_fails(tmp_path: Path) -> None:
    settings = api_settings(
        tmp_path / "index", model=str(tmp_path / "no-model"), model_source="local"
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/health").status_code == 200
        body = wait_ready(client, timeout=30)
        assert body["error"]["code"] == "load_failed"
        response = client.post("/api/ask", json={"question": QUESTION})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "not_ready"
        assert response.headers["retry-after"]
        assert client.get("/api/stats").status_code == 503


def test_stats_hide_server_paths(hashing_client: TestClient) -> None:
    stats = hashing_client.get("/api/stats").json()
    assert stats["documents"] == 1 and stats["vectors"] == stats["chunks"]
    assert "index_dir" not in stats and "uptime_s" in stats


def test_metrics_count_requests_by_route(hashing_client: TestClient) -> None:
    hashing_client.post("/api/ask", json={"question": QUESTION})
    hashing_client.get("/api/documents/khong-co")
    text = hashing_client.get("/metrics").text
    assert 'assistant_http_requests_total{method="POST",route="/api/ask",status="200"} 1.0' in text
    # the route template, never the raw path (document ids would explode the label set)
    assert 'route="/api/documents/{doc_id:path}",status="404"' in text
    assert 'assistant_ask_stage_seconds_count{stage="retrieve"} 1.0' in text
    assert "process_resident_memory_bytes" in text


@pytest.mark.model
def test_lifespan_loads_model_and_index(tmp_path: Path, model_index_template: Path) -> None:
    folder = copy_index(model_index_template, tmp_path / "index")
    with TestClient(create_app(api_settings(folder))) as client:
        assert wait_ready(client)["status"] == "ready"
        body = client.post("/api/ask", json={"question": QUESTION}).json()
        assert body["answerable"] is True
        assert "assistant_embed_batch_size_count" in client.get("/metrics").text


@pytest.mark.model
def test_lifespan_starts_on_a_missing_index(tmp_path: Path, model_embedder: object) -> None:
    """A fresh deployment: the index is created empty and filled over the API."""
    folder = tmp_path / "new-index"
    with TestClient(create_app(api_settings(folder))) as client:
        assert wait_ready(client) == {"status": "ready", "documents": 0, "chunks": 0}
        body = client.post("/api/ask", json={"question": QUESTION}).json()
        assert body["answerable"] is False
    shutil.rmtree(folder)


def test_error_shape_for_unknown_routes_and_methods(hashing_app: Callable[..., FastAPI]) -> None:
    with TestClient(hashing_app()) as client:
        missing = client.get("/api/khong-co")
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        method = client.put("/api/ask", json={})
        assert method.status_code == 405
        assert method.json()["error"]["code"] == "method_not_allowed"
