"""A tiny deterministic embedder for TESTS OF INDEX MECHANICS ONLY.

It is not a language model and says nothing about retrieval quality: use it where a test
needs vectors that are cheap, reproducible and similar for similar strings (building,
saving, loading and searching an index, cache invalidation), never to judge answers.
"""

from __future__ import annotations

import hashlib

import numpy as np

from assistant.text.vietnamese import fold


class HashingEmbedder:
    """Character n-gram hashing of diacritic-folded text into ``dim`` signed buckets.

    FOR TESTS OF INDEX MECHANICS ONLY – a stand-in for the real model, so that index tests
    run in milliseconds without a 1.2 GB download. Text is folded (lower case, diacritics
    and đ removed, whitespace collapsed), padded with spaces so word edges count, cut into
    character n-grams, and each n-gram adds ±1 to a bucket chosen by a stable hash
    (blake2b, not Python's randomised ``hash``). Vectors are L2-normalised float32; a text
    with no characters maps to the zero vector. Queries and documents are embedded alike.
    """

    def __init__(self, dim: int = 64, ngram_range: tuple[int, int] = (2, 4)) -> None:
        if dim < 1:
            raise ValueError("dim must be positive")
        low, high = ngram_range
        if not 1 <= low <= high:
            raise ValueError("ngram_range must be (low, high) with 1 <= low <= high")
        self.dim: int = dim
        self.ngram_range = (low, high)
        self.key: str = f"hashing-v1-{low}{high}:{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        padded = f" {' '.join(fold(text).split())} "
        if not padded.strip():
            return vector
        low, high = self.ngram_range
        for n in range(low, high + 1):
            for start in range(len(padded) - n + 1):
                gram = padded[start : start + n].encode("utf-8")
                value = int.from_bytes(hashlib.blake2b(gram, digest_size=8).digest(), "big")
                vector[value % self.dim] += 1.0 if value >> 63 else -1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def _embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(text) for text in texts]).astype(np.float32)

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        """Passage vectors, shape (len(texts), dim); titles are ignored."""
        return self._embed(texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Question vectors, shape (len(texts), dim) – same function as for documents."""
        return self._embed(texts)
