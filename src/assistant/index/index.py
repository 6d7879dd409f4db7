"""The persistent hybrid index of one directory: store + vectors, kept consistent.

Writers (``assistant ingest``, the documents API) are serialised across processes by a
lock file; each change is one SQLite transaction followed by an atomic rewrite of the
vector file. Readers search an in-memory vector index that is swapped, never mutated,
and refreshed when the store's generation moves.

:class:`~assistant.index.postgres.PostgresIndex` is the same API over a PostgreSQL
database; :func:`assistant.runtime.open_index` picks one from the settings.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.core.errors import IndexFormatError
from assistant.core.types import ArticleScope, Chunk, Document, DocumentFilter, Passage
from assistant.index.lexical import index_terms
from assistant.index.store import DB_NAME, SqlStore, Store
from assistant.index.vectors import VectorIndex

logger = logging.getLogger(__name__)

LOCK_FILE = ".write.lock"


@dataclass
class PreparedDocument:
    """A document ready to be written: its chunks and one vector per chunk."""

    document: Document
    chunks: list[Chunk]
    vectors: np.ndarray


class Index:
    """Open an index directory for reading and writing with one embedder key and size."""

    def __init__(
        self,
        index_dir: Path,
        embedder_key: str,
        dim: int,
        *,
        ann_threshold: int = 200_000,
        create: bool = True,
        adopt_embedder: bool = False,
        upgrade: bool = False,
    ) -> None:
        self.index_dir = Path(index_dir)
        self._open(
            Store(self.index_dir, create=create, upgrade=upgrade),
            embedder_key,
            dim,
            ann_threshold,
            adopt_embedder,
        )

    def _open(
        self, store: SqlStore, embedder_key: str, dim: int, ann_threshold: int, adopt: bool
    ) -> None:
        """What every backend's constructor does once it has its store."""
        self.store = store
        self.embedder_key = embedder_key
        self.dim = dim
        self.ann_threshold = ann_threshold
        if not adopt:
            self._check_embedder()
        self._vectors_lock = threading.Lock()
        self._vectors: VectorIndex | None = None
        self._vectors_generation = -1

    @staticmethod
    def exists(index_dir: Path) -> bool:
        """Is there an index in ``index_dir`` (possibly empty)?"""
        return (Path(index_dir) / DB_NAME).exists()

    def close(self) -> None:
        """Close this thread's database connection (the index stays usable: a later
        call opens a new one)."""
        self.store.close()

    # --- consistency --------------------------------------------------------------
    def _check_embedder(self) -> None:
        stored = self.store.get_meta("embedder")
        if stored is None:
            with self.store.transaction() as conn:
                self.store.set_meta(conn, "embedder", self.embedder_key)
                self.store.set_meta(conn, "dim", str(self.dim))
        elif stored != self.embedder_key:
            raise IndexFormatError(
                f"Index at {self.store.location} was built with embedder '{stored}', but the "
                f"configured one is '{self.embedder_key}'. Run `assistant index rebuild` "
                "to re-embed it with the configured model, or set ASSISTANT_MODEL back."
            )

    @contextmanager
    def _writer(self) -> Iterator[None]:
        """Cross-process writer lock (two ingests at once must not interleave the
        vector-file writes of their commits)."""
        with open(self.index_dir / LOCK_FILE, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def vectors(self) -> VectorIndex:
        """The current vector index, refreshed if another writer committed since."""
        generation = self.store.generation
        if self._vectors is not None and generation == self._vectors_generation:
            return self._vectors
        with self._vectors_lock:
            generation = self.store.generation
            if self._vectors is None or generation != self._vectors_generation:
                loaded = VectorIndex.load(
                    self.index_dir, generation, self.embedder_key, self.dim, self.ann_threshold
                )
                if loaded is None:
                    loaded = VectorIndex(self.dim, self.ann_threshold)
                    loaded.rebuild(*self.store.chunk_vectors(self.embedder_key))
                self._vectors, self._vectors_generation = loaded, generation
        return self._vectors

    # --- writing ------------------------------------------------------------------
    def changed(self, docs: Sequence[Document]) -> dict[str, str]:
        """Per document id: 'added', 'updated' or 'unchanged' (by content hash)."""
        known = self.store.document_hashes([doc.id for doc in docs])
        return {
            doc.id: "added"
            if doc.id not in known
            else ("unchanged" if known[doc.id] == doc.content_hash else "updated")
            for doc in docs
        }

    def cached_vectors(self, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return self.store.cached_vectors(hashes, self.embedder_key)

    def write(
        self,
        prepared: Sequence[PreparedDocument],
        deletions: Sequence[str] = (),
        *,
        rebuild: bool = False,
    ) -> None:
        """Commit documents (inserted or replaced) and deletions atomically.

        ``rebuild`` marks a complete re-chunk/re-embed of the index: the configured
        embedder becomes the index's one, unused cached vectors are dropped and the
        vector index is rebuilt from scratch.
        """
        if prepared or deletions or rebuild:
            self._write(prepared, deletions, rebuild)

    def _write(
        self, prepared: Sequence[PreparedDocument], deletions: Sequence[str], rebuild: bool
    ) -> None:
        """:meth:`write` of something: the store's commit, then the FAISS index and its
        file, under the cross-process writer lock."""
        with self._writer():
            current = (
                VectorIndex(self.dim, self.ann_threshold) if rebuild else self.vectors().copy()
            )
            removed, added_ids, added_vectors = self._commit(prepared, deletions, rebuild)
            generation = self.store.generation
            vectors = np.vstack(added_vectors) if added_vectors else np.zeros((0, self.dim))
            if rebuild:
                removed = []
            if removed and current.kind == "hnsw":
                # FAISS's HNSW cannot remove ids: rebuild it from the committed store
                current.rebuild(*self.store.chunk_vectors(self.embedder_key))
            else:
                current.update(np.asarray(removed, dtype=np.int64), np.asarray(added_ids), vectors)
            if current.size > self.ann_threshold and current.kind == "flat":
                current.rebuild(*self.store.chunk_vectors(self.embedder_key))
            current.save(self.index_dir, generation, self.embedder_key)
            with self._vectors_lock:
                self._vectors, self._vectors_generation = current, generation

    def _commit(
        self, prepared: Sequence[PreparedDocument], deletions: Sequence[str], rebuild: bool
    ) -> tuple[list[int], list[int], list[np.ndarray]]:
        """The store's side of :meth:`write`, in one transaction: (removed chunk ids,
        added chunk ids, the added chunks' vectors)."""
        removed: list[int] = []
        added_ids: list[int] = []
        added_vectors: list[np.ndarray] = []
        keys = sorted({*deletions, *(item.document.id for item in prepared)})
        with self.store.transaction(keys) as conn:
            if rebuild:
                self.store.set_meta(conn, "embedder", self.embedder_key)
                self.store.set_meta(conn, "dim", str(self.dim))
            for doc_id in deletions:
                removed.extend(self.store.delete_document(conn, doc_id))
            for item in prepared:
                # the lexical side sees the title too, as the vectors do
                terms = [
                    index_terms(f"{chunk.title}\n{chunk.text}" if chunk.title else chunk.text)
                    for chunk in item.chunks
                ]
                self.store.put_vectors(
                    conn,
                    self.embedder_key,
                    {c.content_hash: v for c, v in zip(item.chunks, item.vectors, strict=True)},
                )
                gone, new = self.store.put_document(
                    conn, item.document, item.chunks, terms, item.vectors
                )
                removed.extend(gone)
                added_ids.extend(new)
                if len(new):
                    added_vectors.append(item.vectors)
            if rebuild:
                self.store.prune_embeddings(conn)
        return removed, added_ids, added_vectors

    def delete(self, doc_id: str) -> bool:
        if self.store.get_document(doc_id) is None:
            return False
        self.write([], [doc_id])
        return True

    # --- reading ------------------------------------------------------------------
    def get_document(self, doc_id: str) -> Document | None:
        return self.store.get_document(doc_id)

    def dense_search(
        self, query_vectors: np.ndarray, k: int, flt: DocumentFilter | None = None
    ) -> list[list[tuple[int, float]]]:
        """Per query: (chunk id, cosine similarity), best first."""
        allowed = None
        if flt is not None and not flt.is_empty:
            allowed = self.store.chunk_ids_matching(flt)
            if not len(allowed):
                return [[] for _ in range(len(np.atleast_2d(query_vectors)))]
        scores, ids = self.vectors().search(query_vectors, k, allowed)
        return [
            [(int(i), float(s)) for s, i in zip(row_s, row_i, strict=True) if i >= 0]
            for row_s, row_i in zip(scores, ids, strict=True)
        ]

    def lexical_search(
        self, query: str, k: int, flt: DocumentFilter | None = None
    ) -> list[tuple[int, float]]:
        return self.store.lexical_query(query, k, flt)

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]:
        return self.store.passages(chunk_ids)

    # --- what answering needs to know about the corpus ----------------------------------
    @property
    def generation(self) -> int:
        """Moves with every committed change: the key of anything derived from the index."""
        return self.store.generation

    def chunk_ids(self, limit: int) -> list[int]:
        """The first ``limit`` chunk ids (for warming caches)."""
        return self.store.chunk_ids(limit)

    def text_chars(self) -> int:
        """Characters of all chunks (overlaps counted twice): what embedding reads."""
        return self.store.text_chars()

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def document_frequencies(self, terms: Sequence[str]) -> dict[str, int]:
        return self.store.document_frequencies(terms)

    def known_names(self, pairs: Sequence[str]) -> set[str]:
        return self.store.known_names(pairs)

    def written_forms(self, folded_terms: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        return self.store.written_forms(folded_terms)

    def place_keys(self) -> set[str]:
        """Every place some article reports on (folded keys)."""
        return self.store.place_keys()

    def cached_segment_vectors(self, hashes: Sequence[str], key: str) -> dict[str, np.ndarray]:
        return self.store.cached_vectors(hashes, key)

    def cache_segment_vectors(self, key: str, vectors: dict[str, np.ndarray]) -> None:
        """Remember vectors computed while answering (no generation bump)."""
        self.store.cache_vectors(key, vectors)

    def documents(self) -> Iterator[Document]:
        return self.store.iter_documents()

    def article_scopes(self) -> list[tuple[str, ArticleScope]]:
        """Every article's id and scope (read without the articles' text)."""
        return self.store.article_scopes()

    def list_documents(
        self, flt: DocumentFilter | None = None, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[Document], int]:
        """A page of documents, newest first, and how many match in all."""
        return self.store.list_documents(flt, offset=offset, limit=limit)

    def exported(self) -> Iterator[PreparedDocument]:
        """Every document as it is stored (its chunks and their vectors, nothing
        re-embedded), in the order its chunks were written: what a copy of the index
        (``assistant index migrate``) writes into another one."""
        for doc in self.store.iter_documents(written_order=True):
            chunks = self.store.document_chunks(doc.id)
            found = self.store.cached_vectors([c.content_hash for c in chunks], self.embedder_key)
            vectors = (
                np.vstack([found[c.content_hash] for c in chunks])
                if chunks
                else np.zeros((0, self.dim), dtype=np.float32)
            )
            yield PreparedDocument(doc, chunks, vectors)

    def load(self) -> None:
        """Load what searching needs (the vector index) now, not at the first question."""
        self.vectors()

    def stats(self) -> dict[str, object]:
        return {
            **self.store.counts(),
            **self._vector_stats(),
            "embedder": self.store.get_meta("embedder"),
            "dim": self.dim,
            "generation": self.store.generation,
            "format_version": int(self.store.get_meta("format_version") or 0),
            **self._storage_stats(),
        }

    def _vector_stats(self) -> dict[str, object]:
        vectors = self.vectors()
        return {"vectors": vectors.size, "vector_index": vectors.kind}

    def _storage_stats(self) -> dict[str, object]:
        files = sum(p.stat().st_size for p in self.index_dir.iterdir() if p.is_file())
        return {"bytes_on_disk": files, "index_dir": str(self.index_dir)}
