"""Hybrid retrieval: dense (FAISS) and lexical (FTS5 BM25) rankings fused into one.

Dense search understands paraphrases and English questions; lexical search nails exact
figures, codes and names and queries typed without diacritics. Two fusions are offered:
reciprocal-rank fusion (robust, scale-free) and a weighted sum of normalised scores (lets
a strong exact match dominate); `assistant eval` measures which is better.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from assistant.core.types import DocumentFilter, Passage
from assistant.index.index import Index


@dataclass
class FusionConfig:
    method: str = "rrf"  # "rrf" or "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.6


@dataclass
class Retrieval:
    passages: list[Passage]
    timings_ms: dict[str, float] = field(default_factory=dict)


def rrf_fuse(
    rankings: list[list[tuple[int, float]]], k: int = 60, weights: list[float] | None = None
) -> dict[int, float]:
    """Reciprocal-rank fusion: each ranking adds weight / (k + rank) to its items."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def _minmax(ranking: list[tuple[int, float]]) -> dict[int, float]:
    if not ranking:
        return {}
    scores = np.array([score for _, score in ranking], dtype=np.float64)
    low, high = float(scores.min()), float(scores.max())
    span = high - low
    return {item: (1.0 if span == 0 else (score - low) / span) for item, score in ranking}


def weighted_fuse(
    dense: list[tuple[int, float]], lexical: list[tuple[int, float]], dense_weight: float
) -> dict[int, float]:
    """Weighted sum of min-max normalised scores (an item missing from a list gets 0)."""
    d, lex = _minmax(dense), _minmax(lexical)
    return {
        item: dense_weight * d.get(item, 0.0) + (1 - dense_weight) * lex.get(item, 0.0)
        for item in d.keys() | lex.keys()
    }


def fuse(
    dense: list[tuple[int, float]], lexical: list[tuple[int, float]], config: FusionConfig
) -> list[tuple[int, float]]:
    """One ranking (item, fused score), best first; ties broken by the dense order."""
    if config.method == "weighted":
        fused = weighted_fuse(dense, lexical, config.dense_weight)
    else:
        fused = rrf_fuse(
            [dense, lexical], config.rrf_k, [2 * config.dense_weight, 2 * (1 - config.dense_weight)]
        )
    dense_order = {item: rank for rank, (item, _) in enumerate(dense)}
    return sorted(fused.items(), key=lambda kv: (-kv[1], dense_order.get(kv[0], len(dense))))


class HybridRetriever:
    """Retrieves passages for a query from one index."""

    def __init__(
        self, index: Index, config: FusionConfig | None = None, candidate_k: int = 40
    ) -> None:
        self.index = index
        self.config = config or FusionConfig()
        self.candidate_k = candidate_k

    def retrieve(
        self,
        query: str,
        query_vector: np.ndarray,
        k: int,
        flt: DocumentFilter | None = None,
        *,
        dense_weight: float | None = None,
    ) -> Retrieval:
        """Top ``k`` passages for a query whose embedding is already computed (so that
        the service can batch the embeddings of concurrent questions). ``dense_weight``
        overrides the configured one (an English question has no Vietnamese words to
        match lexically)."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        dense = self.index.dense_search(query_vector, self.candidate_k, flt)[0]
        timings["dense"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        lexical = self.index.lexical_search(query, self.candidate_k, flt)
        timings["lexical"] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        config = self.config
        if dense_weight is not None:
            config = FusionConfig(config.method, config.rrf_k, dense_weight)
        ranked = fuse(dense, lexical, config)[:k]
        found = self.index.passages([item for item, _ in ranked])
        dense_map = {item: (rank, score) for rank, (item, score) in enumerate(dense, start=1)}
        lex_map = {item: (rank, score) for rank, (item, score) in enumerate(lexical, start=1)}
        passages = []
        for item, score in ranked:
            passage = found.get(item)
            if passage is None:  # deleted between the searches and this read
                continue
            passage.score = score
            if item in dense_map:
                passage.dense_rank, passage.dense_score = dense_map[item]
            if item in lex_map:
                passage.lexical_rank, passage.lexical_score = lex_map[item]
            passages.append(passage)
        timings["fuse"] = (time.perf_counter() - started) * 1000
        return Retrieval(passages=passages, timings_ms=timings)
