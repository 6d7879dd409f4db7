"""Smoke tests of the benchmark code (not of its timings): the synthetic generators are
deterministic, and the scale benchmark's measuring functions run on tiny sizes and give
recall figures in [0, 1]. Benchmarks themselves print figures and never fail on them."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from needs import missing

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_ingest  # noqa: E402
import bench_scale  # noqa: E402
import synthetic_corpus as sc  # noqa: E402

from assistant.core.config import get_settings  # noqa: E402
from assistant.embed.hashing import HashingEmbedder  # noqa: E402
from assistant.text.vietnamese import fold  # noqa: E402


def test_text_generator_is_deterministic_and_prefix_stable() -> None:
    first = list(sc.chunk_texts(30, seed=3))
    assert first == list(sc.chunk_texts(30, seed=3))
    assert first[:10] == list(sc.chunk_texts(10, seed=3))
    assert first != list(sc.chunk_texts(30, seed=4))
    assert all(300 < len(text) < 1200 for text in first)
    assert any(fold(text) != text.lower() for text in first)  # Vietnamese diacritics
    assert sc.lexical_queries(5, seed=3, corpus_chunks=30) == sc.lexical_queries(
        5, seed=3, corpus_chunks=30
    )


def test_syllable_inventory_follows_spelling_rules() -> None:
    inventory = set(sc.syllable_inventory())
    assert {"nghiêng", "quyết", "kê", "ghế", "được"} <= inventory
    assert not {"ce", "ka", "ngê", "ge"} & inventory
    assert len(inventory) > 5000


def test_documents_keep_chunk_offsets() -> None:
    docs = list(sc.documents(20, seed=1, chunks_per_doc=8))
    assert [len(d.text.split("\n\n")) for d in docs] == [8, 8, 4]
    for doc in docs:
        for chunk in bench_scale._chunks_of(doc):
            assert doc.text[chunk.start : chunk.end] == chunk.text


def test_vector_generator_is_deterministic_unit_and_clustered() -> None:
    vectors = sc.clustered_unit_vectors(300, dim=64, seed=2)
    assert vectors.dtype == np.float32
    assert np.array_equal(vectors, sc.clustered_unit_vectors(300, dim=64, seed=2))
    assert np.array_equal(vectors[:100], sc.clustered_unit_vectors(100, dim=64, seed=2))
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    queries = sc.query_vectors(20, dim=64, seed=2)
    best = (queries @ vectors.T).max(axis=1)
    assert best.mean() > 0.5  # neighbours exist: not isotropic noise


def test_scale_functions_on_2k_vectors(tmp_path: Path) -> None:
    vectors = sc.clustered_unit_vectors(2000, dim=128, seed=0)
    queries = sc.query_vectors(20, dim=128, seed=0)
    flat, truth = bench_scale.bench_vector_index("flat", vectors, queries, None, tmp_path)
    hnsw, found = bench_scale.bench_vector_index(
        "hnsw", vectors, queries, truth, tmp_path, ef_construction=40
    )
    assert flat.recall_at_10 is None and flat.kind == "flat"
    assert hnsw.kind == "hnsw" and "efC 40" in hnsw.params
    assert hnsw.recall_at_10 is not None and 0.0 <= hnsw.recall_at_10 <= 1.0
    assert bench_scale.recall_at_k(truth, truth) == 1.0
    assert 0.0 <= bench_scale.recall_at_k(found, truth) <= 1.0
    assert flat.file_bytes_per_chunk >= 128 * 4 and hnsw.p50_ms > 0


def test_lexical_benchmark_on_tiny_corpus() -> None:
    row = bench_scale.lexical_row(200, n_queries=10, candidate_k=40, seed=0)
    assert row.size == 200 and row.queries == 10
    assert row.mean_hits >= 1 and row.p50_ms > 0 and row.db_bytes_per_chunk > 0


def test_truncated_embedder_renormalises() -> None:
    native = HashingEmbedder(dim=32)
    memo: dict[tuple[str, str], np.ndarray] = {}
    small = bench_scale.TruncatedEmbedder(native, 8, "hashing:8", memo)
    vectors = small.embed_documents(["Thanh Hóa", "xuất khẩu"])
    expected = native.embed_documents(["Thanh Hóa", "xuất khẩu"])[:, :8]
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(vectors, expected, atol=1e-6)
    assert len(memo) == 2


def test_ingest_replicas_do_not_dedupe(tmp_path: Path) -> None:
    assert bench_ingest.vary("Thanh Hóa 2016-2020", 0) == "Thanh Hóa 2016-2020"
    assert bench_ingest.vary("Thanh Hóa 2016-2020. Xong", 1) == (
        "Nghệ An 3127-3131. (bản 2) Xong (bản 2)"
    )
    documents = bench_ingest.replicated_corpus(tmp_path / "corpus", 2)
    texts, total = bench_ingest.chunks_to_embed(tmp_path / "corpus", get_settings())
    assert documents > 0 and len(texts) == total


@pytest.mark.model
def test_truncation_matches_the_real_embedder() -> None:
    from assistant.embed.provision import ModelNotAvailableError
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder

    settings = get_settings()
    try:
        native = SentenceTransformerEmbedder(settings.model_copy(update={"embedding_dim": None}))
    except ModelNotAvailableError as err:
        missing(f"embedding model not available ({err})")
    real = SentenceTransformerEmbedder(settings.model_copy(update={"embedding_dim": 128}))
    ours = bench_scale.TruncatedEmbedder(native, 128, real.key, {})
    text = ["Tổng giá trị xuất khẩu giai đoạn 2016-2020 đạt 14.081,67 triệu USD."]
    assert np.allclose(ours.embed_documents(text), real.embed_documents(text), atol=1e-4)
