"""Fixtures of the HTTP API tests, loaded as a plugin (``pytest_plugins``) by every
``test_api_*`` module so that session fixtures really are built once per session.

Two assistants:

* ``model_assistant`` – the REAL assistant (the configured embedding model) over an index
  of ``corpus/sample`` built once per session; tests of answers use it and are skipped,
  with the reason, when the model is not provisioned.
* ``hashing_assistant`` – the same Assistant class over a stand-in embedder, for tests of
  the HTTP machinery only (auth, limits, validation, error shapes): they say nothing about
  answer quality and run without the model.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_index
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.answer.assistant import Assistant
from assistant.api.batching import MicroBatchingEmbedder
from assistant.api.main import create_app
from assistant.core.config import Settings, get_settings
from assistant.embed.base import Embedder
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "corpus" / "sample"
WRITE_KEY = "test-write-key"
QUESTION = "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"
EXPORT_FIGURE = "14.081,67 triệu USD"


def api_settings(index_dir: Path, **overrides: Any) -> Settings:
    """Settings from the environment (the model comes from there) with test values on top:
    rate limit off and one write key, unless a test says otherwise."""
    values: dict[str, Any] = {"rate_limit": 0, "api_keys": [WRITE_KEY], **overrides}
    return get_settings(index_dir=index_dir, **values)


def build_index(folder: Path, embedder: Embedder, settings: Settings) -> None:
    """An index of a copy of corpus/sample in ``folder``."""
    corpus = folder.parent / f"{folder.name}-corpus"
    shutil.copytree(SAMPLE_DIR, corpus)
    index = Index(folder, embedder.key, embedder.dim)
    summary = Ingestor(
        index, embedder, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    ).ingest_paths([corpus])
    assert summary.failed == 0 and summary.added >= 1, summary.errors
    index.close()


# --- the real model -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def model_embedder(real_embedder: Embedder) -> Embedder:
    """The configured embedding model (conftest's, skipped with the reason when missing)."""
    return real_embedder


@pytest.fixture(scope="session")
def model_index_template(
    tmp_path_factory: pytest.TempPathFactory, model_embedder: Embedder
) -> Path:
    """A real index of corpus/sample, never opened by an app (tests copy it)."""
    folder = tmp_path_factory.mktemp("api-model") / "index"
    build_index(folder, model_embedder, api_settings(folder))
    return folder


def model_assistant_for(index_dir: Path, embedder: Embedder, settings: Settings) -> Assistant:
    batcher = MicroBatchingEmbedder(
        embedder, window_ms=settings.batch_window_ms, max_batch_size=settings.max_batch_size
    )
    index = Index(index_dir, embedder.key, embedder.dim, create=False)
    return Assistant(index, batcher, settings)


@pytest.fixture(scope="session")
def model_assistant(
    tmp_path_factory: pytest.TempPathFactory, model_index_template: Path, model_embedder: Embedder
) -> Assistant:
    """The real assistant on a read-only copy of the sample index (shared by the session)."""
    folder = copy_index(model_index_template, tmp_path_factory.mktemp("api-shared") / "index")
    return model_assistant_for(folder, model_embedder, api_settings(folder))


@pytest.fixture(scope="session")
def model_app(model_assistant: Assistant) -> FastAPI:
    return create_app(api_settings(model_assistant.index.index_dir), assistant=model_assistant)


@pytest.fixture
def model_client(model_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(model_app) as client:
        yield client


@pytest.fixture
def writable_model_app(
    tmp_path: Path, model_index_template: Path, model_embedder: Embedder
) -> Callable[..., FastAPI]:
    """Factory: an app on a private copy of the sample index (tests that write)."""

    def make(**overrides: Any) -> FastAPI:
        folder = copy_index(model_index_template, tmp_path / "index")
        settings = api_settings(folder, **overrides)
        return create_app(settings, assistant=model_assistant_for(folder, model_embedder, settings))

    return make


# --- the stand-in embedder (HTTP machinery only) ------------------------------------------


@pytest.fixture(scope="session")
def hashing_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api-hashing") / "index"
    build_index(folder, HashingEmbedder(dim=64), api_settings(folder))
    return folder


@pytest.fixture
def hashing_app(tmp_path: Path, hashing_template: Path) -> Callable[..., FastAPI]:
    """Factory: an app whose assistant uses the stand-in embedder, with settings overrides."""

    made = itertools.count()

    def make(**overrides: Any) -> FastAPI:
        folder = copy_index(hashing_template, tmp_path / f"index-{next(made)}")
        settings = api_settings(folder, **overrides)
        embedder = HashingEmbedder(dim=64)
        index = Index(folder, embedder.key, embedder.dim, create=False)
        return create_app(settings, assistant=Assistant(index, embedder, settings))

    return make


@pytest.fixture
def hashing_client(hashing_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(hashing_app()) as client:
        yield client


# --- a real HTTP server in this process ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port (in a thread); yields the base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def auth(key: str = WRITE_KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def sse_events(text: str) -> list[tuple[str, Any]]:
    """(event, decoded data) of a Server-Sent Events body; comments are skipped."""
    import json

    events: list[tuple[str, Any]] = []
    for block in text.split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            payload = "\n".join(data)
            events.append((name, payload if payload == "[DONE]" else json.loads(payload)))
    return events
