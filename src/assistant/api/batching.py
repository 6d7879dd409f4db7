"""Micro-batching of query embeddings across concurrent requests.

Why: on CPU, encoding 16 questions in one forward pass costs little more than encoding
one, while 16 separate passes cost 16 times as much and fight over the model lock. The
service answers each request in its own worker thread; this wrapper lets those threads
hand their question to one batching thread, which waits ``window_ms`` after the first
arrival (or until ``max_batch_size`` texts are queued) and encodes them all in ONE model
call. Under load, the questions that arrive while a batch is being encoded form the next
batch, so batches grow with concurrency without any extra waiting.

Document embeddings (ingest, sentence vectors of answers) pass straight through to the
wrapped embedder in the caller's thread: they are already batched by their caller. For
bulk ingest, :meth:`MicroBatchingEmbedder.background` gives a view that encodes in small
slices and lets pending questions go first, so pushing articles never stalls answers for
longer than one slice.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

import numpy as np

from assistant.embed.base import Embedder

logger = logging.getLogger(__name__)

# Longest time a bulk slice waits for questions to drain before it runs anyway (so a
# steady stream of questions cannot starve an ingest).
_BULK_YIELD_S = 2.0
# Passages per bulk model call: a question waits at most for one slice (about a second
# for 4 chunk-sized passages on 2 busy cores); larger slices gain little speed on CPU.
BULK_SLICE = 4


@dataclass
class _Pending:
    texts: list[str]
    future: Future[np.ndarray] = field(default_factory=Future)


class MicroBatchingEmbedder:
    """An :class:`~assistant.embed.base.Embedder` that coalesces concurrent
    ``embed_queries`` calls into single calls of the wrapped embedder."""

    def __init__(
        self,
        inner: Embedder,
        *,
        window_ms: float = 5.0,
        max_batch_size: int = 32,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.inner = inner
        self.key: str = inner.key
        self.dim: int = inner.dim
        self.window_s = max(0.0, window_ms) / 1000.0
        self.max_batch_size = max(1, max_batch_size)
        self.on_batch = on_batch
        self._queue: queue.Queue[_Pending | None] = queue.Queue()
        self._idle = threading.Condition()
        self._outstanding = 0  # queued or being encoded (guarded by _idle)
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    # --- Embedder protocol --------------------------------------------------------------
    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors of ``texts``, computed together with other threads' questions."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        item = _Pending(list(texts))
        with self._start_lock:  # enqueue and close never interleave: nothing is stranded
            if self._closed:
                return self.inner.embed_queries(texts)
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="query-batcher", daemon=True)
                self._worker.start()
            with self._idle:
                self._outstanding += 1
            self._queue.put(item)
        return item.future.result()

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        """Passage vectors, straight from the wrapped embedder (caller's thread)."""
        return self.inner.embed_documents(texts, titles)

    # --- bulk view ----------------------------------------------------------------------
    def background(self, slice_size: int = BULK_SLICE) -> Embedder:
        """An embedder for bulk document work that yields to queued questions."""
        return _YieldingEmbedder(self, max(1, slice_size))

    def wait_for_queries(self, timeout: float = _BULK_YIELD_S) -> None:
        """Block until no question is queued or being encoded (at most ``timeout``)."""
        with self._idle:
            self._idle.wait_for(lambda: self._outstanding == 0, timeout=timeout)

    # --- lifecycle ----------------------------------------------------------------------
    def close(self) -> None:
        """Stop the batching thread once the queued questions are encoded; later calls
        go straight to the wrapped embedder."""
        with self._start_lock:
            self._closed = True
            worker, self._worker = self._worker, None
            if worker is not None:
                self._queue.put(None)
        if worker is not None:
            worker.join(timeout=30)

    # --- the batching thread ------------------------------------------------------------
    def _run(self) -> None:
        carry: _Pending | None = None  # arrived too late for the previous (full) batch
        while True:
            first = carry if carry is not None else self._queue.get()
            carry = None
            if first is None:
                return
            batch, size = [first], len(first.texts)
            deadline = time.monotonic() + self.window_s
            stop = False
            while size < self.max_batch_size:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                if size + len(item.texts) > self.max_batch_size:
                    carry = item
                    break
                batch.append(item)
                size += len(item.texts)
            self._encode(batch)
            if stop:
                return

    def _encode(self, batch: list[_Pending]) -> None:
        texts = [text for item in batch for text in item.texts]
        try:
            vectors = self.inner.embed_queries(texts)
            if self.on_batch is not None:  # before the callers resume: metrics are exact
                self.on_batch(len(texts))
        except BaseException as err:  # handed to every waiting caller
            for item in batch:
                item.future.set_exception(err)
        else:
            start = 0
            for item in batch:
                item.future.set_result(vectors[start : start + len(item.texts)])
                start += len(item.texts)
        finally:
            with self._idle:
                self._outstanding -= len(batch)
                self._idle.notify_all()
        logger.debug("encoded %d queries from %d requests in one call", len(texts), len(batch))


class _YieldingEmbedder:
    """Bulk document embedding in slices, each waiting for queued questions first."""

    def __init__(self, owner: MicroBatchingEmbedder, slice_size: int) -> None:
        self.owner = owner
        self.key: str = owner.key
        self.dim: int = owner.dim
        self.slice_size = slice_size

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        parts = []
        for start in range(0, len(texts), self.slice_size):
            self.owner.wait_for_queries()
            end = start + self.slice_size
            parts.append(
                self.owner.inner.embed_documents(
                    texts[start:end], None if titles is None else titles[start:end]
                )
            )
        return np.vstack(parts) if parts else np.zeros((0, self.dim), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self.owner.embed_queries(texts)
