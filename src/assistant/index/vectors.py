"""The FAISS vector index: a cache derived from the store's vectors.

The SQLite store holds every vector, so this file can always be rebuilt; it is written
atomically (temporary file + rename) with the store generation it matches. A reader that
finds a file of another generation (a writer was killed between its commit and this
write) rebuilds from the store instead of trusting it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

logger = logging.getLogger(__name__)

# One query at a time is the common case, and FAISS's OpenMP start-up costs more than a
# flat scan of a news archive; threads are used only while building a large index.
faiss.omp_set_num_threads(1)

# HNSW graph parameters, the same for FAISS and for pgvector (so that both backends make
# the same speed/recall trade-off): links per node, candidates while building, while searching.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128

VECTORS_FILE = "vectors.faiss"
VECTORS_META = "vectors.json"


def _atomic_write(path: Path, write: Callable[[str], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    os.close(fd)
    try:
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class VectorIndex:
    """Inner-product search over normalised vectors, addressed by chunk id.

    Exact (flat) search up to ``ann_threshold`` vectors, HNSW above it: at a few hundred
    thousand chunks exact search stops fitting a 10 ms budget.
    """

    def __init__(self, dim: int, ann_threshold: int = 200_000) -> None:
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.index: faiss.Index = self._new_index(0)

    def _new_index(self, size: int) -> faiss.Index:
        inner: faiss.Index
        if size > self.ann_threshold:
            inner = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            inner.hnsw.efSearch = HNSW_EF_SEARCH
        else:
            inner = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(inner)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        # an IndexIDMap2 around the searched index (see _new_index); clone_index and
        # read_index are typed as returning the base Index, which has no .index
        inner = faiss.downcast_index(self.index.index)  # type: ignore[attr-defined]
        return "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"

    def rebuild(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        index = self._new_index(len(ids))
        if len(ids):
            faiss.omp_set_num_threads(os.cpu_count() or 1)
            try:
                index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            finally:
                faiss.omp_set_num_threads(1)
        self.index = index

    def copy(self) -> VectorIndex:
        """An independent copy, so a writer can change it while readers keep searching
        the current one (FAISS indexes are not safe to mutate during a search)."""
        twin = VectorIndex(self.dim, self.ann_threshold)
        twin.index = faiss.clone_index(self.index)
        return twin

    def update(self, removed: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(removed):
            # faiss's Python layer takes an id array (its stubs only know the C++ selector)
            self.index.remove_ids(np.asarray(removed, dtype=np.int64))  # type: ignore[arg-type]
        if len(ids):
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
            )

    def search(
        self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, chunk ids) of shape (n_queries, k); ids are -1 where fewer exist."""
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        k = max(1, min(k, self.size)) if self.size else 1
        if self.size == 0:
            n = len(queries)
            return np.zeros((n, 1), dtype=np.float32), -np.ones((n, 1), dtype=np.int64)
        params = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(allowed.astype(np.int64))
            # keyword arguments are set as attributes by faiss's Python layer (not in stubs)
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        return self.index.search(queries, k, params=params)

    # --- persistence --------------------------------------------------------------
    def save(self, index_dir: Path, generation: int, embedder: str) -> None:
        _atomic_write(index_dir / VECTORS_FILE, lambda tmp: faiss.write_index(self.index, tmp))
        meta = {"generation": generation, "embedder": embedder, "dim": self.dim, "size": self.size}
        _atomic_write(index_dir / VECTORS_META, lambda tmp: Path(tmp).write_text(json.dumps(meta)))

    @classmethod
    def load(
        cls, index_dir: Path, generation: int, embedder: str, dim: int, ann_threshold: int
    ) -> VectorIndex | None:
        """The saved index if it matches this store generation and embedder, else None."""
        try:
            meta = json.loads((index_dir / VECTORS_META).read_text())
            if (meta["generation"], meta["embedder"], meta["dim"]) != (generation, embedder, dim):
                return None
            loaded = cls(dim, ann_threshold)
            loaded.index = faiss.read_index(str(index_dir / VECTORS_FILE))
            return loaded
        except (OSError, ValueError, KeyError, RuntimeError) as err:
            logger.info("Vector file not usable (%s); rebuilding from the store", err)
            return None
