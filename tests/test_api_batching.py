"""MicroBatchingEmbedder: concurrent questions share one model call; documents pass
through; bulk work yields to questions. A recording stand-in embedder shows the calls;
one test checks the batching end to end over HTTP."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest
from test_api_support import QUESTION, api_settings, copy_index, served

from assistant.answer.assistant import Assistant
from assistant.api.batching import MicroBatchingEmbedder
from assistant.api.main import create_app
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index

pytest_plugins = ["test_api_support"]


class Recorder:
    """Embeds a text as [its number, 0, ...]; records every call and its thread."""

    key = "recorder:4"
    dim = 4

    def __init__(self, delay: float = 0.05, fail: bool = False) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.delay = delay
        self.fail = fail
        self.lock = threading.Lock()

    def _embed(self, kind: str, texts: list[str]) -> np.ndarray:
        with self.lock:
            self.calls.append((kind, list(texts)))
        time.sleep(self.delay)
        if self.fail:
            raise RuntimeError("model exploded")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[:, 0] = [float(t) for t in texts]
        return out

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed("query", texts)

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        return self._embed("document", texts)


def ask_concurrently(embedder: MicroBatchingEmbedder, n: int) -> list[np.ndarray]:
    barrier = threading.Barrier(n)

    def one(i: int) -> np.ndarray:
        barrier.wait()
        return embedder.embed_queries([str(i)])

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_concurrent_queries_are_encoded_in_one_call() -> None:
    inner = Recorder()
    sizes: list[int] = []
    batcher = MicroBatchingEmbedder(inner, window_ms=200, max_batch_size=32, on_batch=sizes.append)
    try:
        results = ask_concurrently(batcher, 8)
    finally:
        batcher.close()
    assert [int(r[0, 0]) for r in results] == list(range(8))  # each caller gets its own
    assert len(inner.calls) == 1 and sorted(inner.calls[0][1], key=int) == [
        str(i) for i in range(8)
    ]
    assert sizes == [8]


def test_batches_never_exceed_the_maximum() -> None:
    inner = Recorder()
    batcher = MicroBatchingEmbedder(inner, window_ms=100, max_batch_size=3)
    try:
        results = ask_concurrently(batcher, 10)
    finally:
        batcher.close()
    assert [int(r[0, 0]) for r in results] == list(range(10))
    assert all(len(texts) <= 3 for _, texts in inner.calls)
    assert len(inner.calls) >= 4


def test_multi_text_calls_are_not_split_and_do_not_overflow_a_batch() -> None:
    inner = Recorder()
    batcher = MicroBatchingEmbedder(inner, window_ms=100, max_batch_size=4)
    barrier = threading.Barrier(4)

    def three(i: int) -> list[int]:
        barrier.wait()
        texts = [str(10 * i + k) for k in range(3)]
        return [int(v) for v in batcher.embed_queries(texts)[:, 0]]

    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(three, range(4)))
    finally:
        batcher.close()
    assert results == [[10 * i + k for k in range(3)] for i in range(4)]
    assert all(len(texts) <= 4 for _, texts in inner.calls)


def test_a_lone_query_waits_only_the_window() -> None:
    batcher = MicroBatchingEmbedder(Recorder(delay=0), window_ms=5)
    try:
        started = time.perf_counter()
        assert batcher.embed_queries(["7"])[0, 0] == 7
        assert time.perf_counter() - started < 1.0
        assert batcher.embed_queries([]).shape == (0, 4)
    finally:
        batcher.close()


def test_errors_reach_every_caller_of_the_batch() -> None:
    batcher = MicroBatchingEmbedder(Recorder(fail=True), window_ms=100)
    try:
        with pytest.raises(RuntimeError, match="exploded"):
            ask_concurrently(batcher, 3)
        with pytest.raises(RuntimeError, match="exploded"):  # the worker survives
            batcher.embed_queries(["1"])
    finally:
        batcher.close()


def test_documents_pass_through_in_the_callers_thread() -> None:
    inner = Recorder(delay=0)
    batcher = MicroBatchingEmbedder(inner)
    assert batcher.embed_documents(["1", "2"])[:, 0].tolist() == [1, 2]
    assert inner.calls == [("document", ["1", "2"])]
    assert batcher._worker is None  # no thread was needed
    assert batcher.key == inner.key and batcher.dim == inner.dim


def test_bulk_embedding_goes_in_slices() -> None:
    inner = Recorder(delay=0)
    batcher = MicroBatchingEmbedder(inner)
    bulk = batcher.background(slice_size=4)
    vectors = bulk.embed_documents([str(i) for i in range(10)])
    assert vectors[:, 0].tolist() == list(range(10))
    assert [len(texts) for _, texts in inner.calls] == [4, 4, 2]


def test_closed_batcher_still_answers() -> None:
    inner = Recorder(delay=0)
    batcher = MicroBatchingEmbedder(inner)
    batcher.embed_queries(["1"])
    batcher.close()
    assert batcher.embed_queries(["2"])[0, 0] == 2


def test_concurrent_http_questions_share_batches(tmp_path: Path, hashing_template: Path) -> None:
    folder = copy_index(hashing_template, tmp_path / "index")
    settings = api_settings(folder, batch_window_ms=300)
    embedder = MicroBatchingEmbedder(HashingEmbedder(dim=64), window_ms=300, max_batch_size=32)
    index = Index(folder, embedder.key, embedder.dim, create=False)
    app = create_app(settings, assistant=Assistant(index, embedder, settings))
    with served(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        barrier = threading.Barrier(6)

        def one(_: int) -> int:
            barrier.wait()
            return client.post("/api/ask", json={"question": QUESTION}).status_code

        with ThreadPoolExecutor(6) as pool:
            assert list(pool.map(one, range(6))) == [200] * 6
        metrics = client.get("/metrics").text
    count = _metric(metrics, "assistant_embed_batch_size_count")
    total = _metric(metrics, "assistant_embed_batch_size_sum")
    assert total == 6 and count < 6  # at least two questions shared a model call
    embedder.close()


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in metrics")
