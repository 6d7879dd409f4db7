"""The embedder interface every backend implements (sentence-transformers, test hashing)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors.

    ``key`` identifies the model *and* its settings (dimension): embeddings are cached per
    ``(content hash, key)``, so changing the model never mixes vectors of different spaces.
    """

    key: str
    dim: int

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        """Vectors of passages, shape (len(texts), dim). ``titles`` (one per text) are
        the articles' titles, given to models whose document prompt has a title slot."""
        ...

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors of questions, shape (len(texts), dim)."""
        ...
