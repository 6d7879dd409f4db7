"""Ingest: load → clean → chunk → embed (only what is new) → commit.

Documents are processed in batches so that the model sees full embedding batches across
small articles (throughput) while each batch is one atomic commit (a crash loses at most
the batch in flight, never what was already indexed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from assistant.core.config import Settings
from assistant.core.types import Chunk, Document
from assistant.embed.base import Embedder
from assistant.index.index import Index, PreparedDocument
from assistant.ingest.chunk import chunk_document
from assistant.ingest.loaders import LoadError, load_paths
from assistant.ingest.scope import article_scope

logger = logging.getLogger(__name__)


@dataclass
class IngestSummary:
    """What an ingest did; printed at the end and returned by the API."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    errors: list[LoadError] = field(default_factory=list)

    @property
    def chunks_per_second(self) -> float:
        return self.chunks / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "chunks": self.chunks,
            "embedded": self.embedded,
            "seconds": round(self.seconds, 3),
            "chunks_per_second": round(self.chunks_per_second, 1),
            "errors": [{"path": e.path, "line": e.line, "message": e.message} for e in self.errors],
        }

    def line(self) -> str:
        return (
            f"documents: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.failed} failed; {self.chunks} chunks "
            f"({self.embedded} embedded) in {self.seconds:.1f} s "
            f"({self.chunks_per_second:.1f} chunks/s)"
        )


class Ingestor:
    """Adds documents to an index, embedding only chunks whose text is new."""

    def __init__(
        self,
        index: Index,
        embedder: Embedder,
        *,
        chunk_size: int,
        chunk_overlap: int,
        batch_chunks: int = 256,
        progress: bool = False,
        home_place: str = "Thanh Hóa",
    ) -> None:
        self.index = index
        self.home_place = home_place
        self.embedder = embedder
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.batch_chunks = batch_chunks
        self.progress = progress

    @classmethod
    def from_settings(
        cls, index: Index, embedder: Embedder, settings: Settings, *, progress: bool = False
    ) -> Ingestor:
        """An ingestor chunking and scoping as the settings say (every entry point that
        writes articles: CLI, API, sync)."""
        return cls(
            index,
            embedder,
            chunk_size=settings.chunk_size,
            chunk_overlap=settings.chunk_overlap,
            progress=progress,
            home_place=settings.home_place,
        )

    def ingest_paths(self, paths: Sequence[Path]) -> IngestSummary:
        summary = IngestSummary()
        documents: list[Document] = []
        for item in load_paths(list(paths)):
            if isinstance(item, LoadError):
                where = f"{item.path}:{item.line}" if item.line else item.path
                logger.warning("Skipped %s: %s", where, item.message)
                summary.errors.append(item)
                summary.failed += 1
            else:
                documents.append(item)
        return self.ingest_documents(documents, summary)

    def ingest_documents(
        self, documents: Iterable[Document], summary: IngestSummary | None = None
    ) -> IngestSummary:
        summary = summary or IngestSummary()
        started = time.perf_counter()
        docs = list({doc.id: doc for doc in documents}.values())  # last record of an id wins
        status = self.index.changed(docs)
        todo = [self._scoped(doc) for doc in docs if status[doc.id] != "unchanged"]
        summary.unchanged += len(docs) - len(todo)
        chunked = [(doc, chunk_document(doc, self.chunk_size, self.chunk_overlap)) for doc in todo]
        total = sum(len(chunks) for _, chunks in chunked)
        bar = tqdm(total=total, unit="chunk", desc="ingest", disable=not self.progress, leave=False)
        batch: list[tuple[Document, list[Chunk]]] = []
        size = 0
        for doc, chunks in chunked:
            batch.append((doc, chunks))
            size += len(chunks)
            if size >= self.batch_chunks:
                self._commit(batch, status, summary, bar)
                batch, size = [], 0
        self._commit(batch, status, summary, bar)
        bar.close()
        summary.seconds += time.perf_counter() - started
        return summary

    def rebuild(self) -> IngestSummary:
        """Re-chunk every stored document with the current settings and re-embed what
        the cache lacks (e.g. after changing the model or the chunk size), in one commit."""
        summary = IngestSummary()
        started = time.perf_counter()
        docs = [self._scoped(doc) for doc in self.index.documents()]
        batch = [(doc, chunk_document(doc, self.chunk_size, self.chunk_overlap)) for doc in docs]
        total = sum(len(chunks) for _, chunks in batch)
        with tqdm(total=total, unit="chunk", desc="rebuild", disable=not self.progress) as bar:
            self._commit(batch, {doc.id: "updated" for doc in docs}, summary, bar, rebuild=True)
        summary.seconds = time.perf_counter() - started
        return summary

    def _scoped(self, doc: Document) -> Document:
        """The document with its scope (places, periods) read from it."""
        return replace(doc, scope=article_scope(doc, self.home_place))

    def _commit(
        self,
        batch: list[tuple[Document, list[Chunk]]],
        status: Mapping[str, str],
        summary: IngestSummary,
        bar: Any,  # a tqdm progress bar (tqdm has no type information)
        *,
        rebuild: bool = False,
    ) -> None:
        if not batch and not rebuild:
            return
        hashes = [chunk.content_hash for _, chunks in batch for chunk in chunks]
        known = self.index.cached_vectors(hashes)
        missing: dict[str, Chunk] = {}
        for _, chunks in batch:
            for chunk in chunks:
                if chunk.content_hash not in known:
                    missing.setdefault(chunk.content_hash, chunk)
        if missing:
            todo = list(missing.values())
            vectors = np.vstack(
                [
                    self.embedder.embed_documents(
                        [c.text for c in todo[i : i + self.batch_chunks]],
                        [c.title for c in todo[i : i + self.batch_chunks]],
                    )
                    for i in range(0, len(todo), self.batch_chunks)
                ]
            )
            known.update(zip(missing.keys(), vectors, strict=True))
        summary.embedded += len(missing)
        prepared = [
            PreparedDocument(
                document=doc,
                chunks=chunks,
                vectors=np.vstack([known[c.content_hash] for c in chunks])
                if chunks
                else np.zeros((0, self.index.dim), dtype=np.float32),
            )
            for doc, chunks in batch
        ]
        self.index.write(prepared, rebuild=rebuild)
        for doc, chunks in batch:
            if status[doc.id] == "added":
                summary.added += 1
            else:
                summary.updated += 1
            summary.chunks += len(chunks)
            bar.update(len(chunks))
