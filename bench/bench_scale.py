"""Search at 10k, 100k and 1M chunks: vector index kinds, FTS5, and Matryoshka truncation.

Why: the archive grows. These figures say how far one machine goes (memory per chunk x
archive size against RAM, search p95 against the latency budget, build and load time)
and so when to switch to the settings or the architecture in docs/scaling.md.

Parts (each can be skipped):

1. **Vectors** — GENERATED vectors, not model embeddings: embedding a million chunks with
   the real model would take days here, so clustered unit vectors (768-d float32, see
   bench/synthetic_corpus.py) stand in. For each size, through the project's
   ``VectorIndex``: exact (flat) and approximate (HNSW, forced with ``ann_threshold``),
   optionally IVF-PQ (plain FAISS: the project has no such index): build time, index bytes
   per chunk (saved file) and RSS growth per chunk, save and load time (warm page cache),
   single-query search p50/p95 (one thread, as the service searches), recall@10 of the
   approximate index against exact search. Goals: recall@10 >= 0.95, p50 < 10 ms at 1M.
   HNSW uses the project's parameters (M 32, efConstruction 80, efSearch 128): its 1M
   build takes about 2.5 minutes on 2 idle cores and several times that on a busy
   machine, so ``--quick`` builds sizes >= 500k with efConstruction 40 instead (printed
   in the table; recall drops below the goal).
2. **Lexical** — FTS5 through the project's ``Store`` (``put_document`` with the
   project's terms, ``lexical_search`` of ``match_expression``) on generated
   Vietnamese-like text (bench/synthetic_corpus.py): build time, database bytes per
   chunk, search p50/p95 at 10k and 100k chunks; 1M only with ``--full`` (building
   costs ~2.5 ms per chunk, mostly term extraction in Python: ~40 min at 1M).
3. **Matryoshka** — the real model on the real test set: the shipped corpus ingested at
   ``embedding_dim`` 768, 512, 256 and 128 into temporary indexes and the eval harness
   run in-process (recall@5, MRR, answer accuracy); the memory and flat-search speed gain
   of each dimension measured on the largest generated vector set. The model runs once
   per text: lower dimensions reuse the 768-d output, truncated and renormalised exactly
   as ``SentenceTransformerEmbedder`` does (checked against it at the start).

Usage: python bench/bench_scale.py [--sizes 10000,100000,1000000]
       [--lexical-sizes 10000,100000] [--quick] [--full] [--ivfpq] [--skip-vectors]
       [--skip-lexical] [--skip-matryoshka] [--json PATH]
"""

from __future__ import annotations

import argparse
import gc
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import faiss
import numpy as np
from benchlib import (
    CORPORA,
    TESTSET,
    machine_line,
    p50,
    p95,
    peak_rss_mb,
    rss_mb,
    table,
    temp_dir,
    write_json,
)
from synthetic_corpus import clustered_unit_vectors, documents, lexical_queries, query_vectors

from assistant.core.config import Settings, get_settings
from assistant.core.types import Chunk, Document
from assistant.index.lexical import index_terms, match_expression
from assistant.index.store import DB_NAME, Store
from assistant.index.vectors import VECTORS_FILE, VectorIndex

DIM = 768
K = 10
GOAL_RECALL = 0.95
GOAL_P50_MS = 10.0
QUICK_FROM = 500_000
QUICK_EF_CONSTRUCTION = 40
MATRYOSHKA_DIMS = (768, 512, 256, 128)


# ---------------------------------------------------------------------------------------
# vectors


class TunedVectorIndex(VectorIndex):
    """The project's VectorIndex with another HNSW efConstruction (``--quick`` builds)."""

    def __init__(self, dim: int, ann_threshold: int, ef_construction: int | None) -> None:
        self.ef_construction = ef_construction
        super().__init__(dim, ann_threshold)

    def _new_index(self, size: int) -> faiss.Index:
        index = super()._new_index(size)
        inner = faiss.downcast_index(index.index)
        if self.ef_construction and isinstance(inner, faiss.IndexHNSW):
            inner.hnsw.efConstruction = self.ef_construction
        return index


def hnsw_params(index: VectorIndex) -> str:
    """The HNSW parameters actually in a (loaded) index, for the table: what was measured,
    not what was asked for."""
    inner = faiss.downcast_index(index.index.index)
    if not isinstance(inner, faiss.IndexHNSW):
        return "exact"
    hnsw = inner.hnsw
    m = hnsw.nb_neighbors(1)
    return f"M {m}, efC {hnsw.efConstruction}, efS {hnsw.efSearch}"


@dataclass
class VectorRow:
    """One index kind at one size."""

    size: int
    kind: str
    params: str
    build_s: float
    file_bytes_per_chunk: float
    rss_bytes_per_chunk: float
    save_s: float
    load_s: float
    p50_ms: float
    p95_ms: float
    recall_at_10: float | None
    latency_queries: int


def _threads(count: int) -> None:
    """FAISS's OpenMP threads: all cores for batch ground truth, one for latencies (the
    service searches one query at a time on one thread)."""
    faiss.omp_set_num_threads(count)


def _latencies(search: Any, queries: np.ndarray) -> list[float]:
    """Milliseconds of one single-query search each (after one untimed warm-up)."""
    search(queries[:1])
    out = []
    for row in queries:
        started = time.perf_counter()
        search(row[None, :])
        out.append((time.perf_counter() - started) * 1000)
    return out


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean share of the true top-k ids that the approximate top-k contains (in [0, 1])."""
    hits = [
        len(set(f.tolist()) & set(t.tolist())) / len(t) for f, t in zip(found, truth, strict=True)
    ]
    return float(np.mean(hits)) if hits else float("nan")


def _save_load(
    index: VectorIndex, folder: Path, ann_threshold: int
) -> tuple[float, float, int, VectorIndex]:
    """(save s, load s, file bytes, loaded index) through the project's own persistence,
    which is what a restarted or newly started service pays."""
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    index.save(folder, 1, "synthetic")
    save_s = time.perf_counter() - started
    size = (folder / VECTORS_FILE).stat().st_size
    started = time.perf_counter()
    loaded = VectorIndex.load(folder, 1, "synthetic", index.dim, ann_threshold)
    load_s = time.perf_counter() - started
    if loaded is None or loaded.size != index.size:
        raise RuntimeError("the saved vector index did not load back")
    return save_s, load_s, size, loaded


def bench_vector_index(
    kind: str,
    vectors: np.ndarray,
    queries: np.ndarray,
    truth: np.ndarray | None,
    scratch: Path,
    *,
    ef_construction: int | None = None,
    latency_queries: int | None = None,
) -> tuple[VectorRow, np.ndarray]:
    """Build, save/load and search one VectorIndex of ``kind`` ('flat' or 'hnsw');
    returns the row and the batch top-k ids (the ground truth when kind is 'flat')."""
    n, dim = vectors.shape
    threshold = n if kind == "flat" else 0
    index = TunedVectorIndex(dim, threshold, ef_construction)
    ids = np.arange(1, n + 1, dtype=np.int64)
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    index.rebuild(ids, vectors)  # uses every core while building, like the project
    build_s = time.perf_counter() - started
    grown = (rss_mb() - before) * 2**20
    if index.kind != kind:
        raise RuntimeError(f"expected a {kind} index, got {index.kind}")
    _threads(os.cpu_count() or 1)
    try:
        _, found = index.index.search(np.ascontiguousarray(queries), K)
    finally:
        _threads(1)
    timed = queries[:latency_queries] if latency_queries else queries
    search = index.search
    latencies = _latencies(lambda q: search(q, K), timed)
    save_s, load_s, file_size, loaded = _save_load(index, scratch / f"{kind}-{n}", threshold)
    params = hnsw_params(loaded)
    del index, loaded
    gc.collect()
    row = VectorRow(
        size=n,
        kind=kind,
        params=params,
        build_s=build_s,
        file_bytes_per_chunk=file_size / n,
        rss_bytes_per_chunk=grown / n,
        save_s=save_s,
        load_s=load_s,
        p50_ms=p50(latencies),
        p95_ms=p95(latencies),
        recall_at_10=None if truth is None else recall_at_k(found, truth),
        latency_queries=len(timed),
    )
    return row, found


def bench_ivfpq(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray) -> VectorRow:
    """IVF-PQ (plain FAISS; the project has none): 64-byte codes, nprobe 16."""
    n, dim = vectors.shape
    nlist = max(16, min(1024, int(4 * np.sqrt(n))))
    index = faiss.index_factory(dim, f"IVF{nlist},PQ64", faiss.METRIC_INNER_PRODUCT)
    sample = vectors[
        np.random.default_rng(7).choice(n, size=min(n, max(40 * nlist, 10_000)), replace=False)
    ]
    gc.collect()
    before = rss_mb()
    _threads(os.cpu_count() or 1)
    started = time.perf_counter()
    try:
        index.train(sample)
        index.add(vectors)
        build_s = time.perf_counter() - started
        faiss.extract_index_ivf(index).nprobe = 16
        _, found = index.search(np.ascontiguousarray(queries), K)
    finally:
        _threads(1)
    grown = (rss_mb() - before) * 2**20
    latencies = _latencies(lambda q: index.search(q, K), queries)
    blob = faiss.serialize_index(index)
    started = time.perf_counter()
    faiss.deserialize_index(blob)
    load_s = time.perf_counter() - started
    return VectorRow(
        size=n,
        kind="ivf-pq",
        params=f"IVF{nlist}, PQ64x8, nprobe 16",
        build_s=build_s,
        file_bytes_per_chunk=len(blob) / n,
        rss_bytes_per_chunk=grown / n,
        save_s=float("nan"),
        load_s=load_s,
        p50_ms=p50(latencies),
        p95_ms=p95(latencies),
        recall_at_10=recall_at_k(found, truth - 1),
        latency_queries=len(queries),
    )


def vector_part(
    sizes: list[int],
    n_queries: int,
    flat_latency_queries: int,
    *,
    quick: bool,
    ivfpq: bool,
    seed: int,
) -> tuple[list[VectorRow], dict[str, Any]]:
    """All vector-index rows, plus flat search per Matryoshka dimension at the largest size."""
    rows: list[VectorRow] = []
    extra: dict[str, Any] = {"generation_s": {}}
    queries = query_vectors(n_queries, DIM, seed)
    largest = max(sizes)
    for n in sorted(sizes):
        started = time.perf_counter()
        vectors = clustered_unit_vectors(n, DIM, seed)
        extra["generation_s"][n] = time.perf_counter() - started
        with temp_dir("bench-scale-vec-") as scratch:
            flat, truth = bench_vector_index(
                "flat", vectors, queries, None, scratch, latency_queries=flat_latency_queries
            )
            rows.append(flat)
            print_progress(flat)
            quick_build = quick and n >= QUICK_FROM
            hnsw, _ = bench_vector_index(
                "hnsw",
                vectors,
                queries,
                truth,
                scratch,
                ef_construction=QUICK_EF_CONSTRUCTION if quick_build else None,
            )
            if quick_build:
                hnsw.params += " (quick)"
            rows.append(hnsw)
            print_progress(hnsw)
            if ivfpq:
                rows.append(bench_ivfpq(vectors, queries, truth))
                print_progress(rows[-1])
        if n == largest:
            extra["matryoshka_flat"] = matryoshka_flat(vectors, queries, flat_latency_queries)
        del vectors
        gc.collect()
    return rows, extra


def matryoshka_flat(
    vectors: np.ndarray, queries: np.ndarray, latency_queries: int
) -> list[dict[str, float]]:
    """Flat-search latency and vector memory at each Matryoshka dimension (the largest
    generated set truncated and renormalised; speed and memory only, not quality)."""
    out = []
    for dim in MATRYOSHKA_DIMS:
        part = np.ascontiguousarray(vectors[:, :dim])
        part /= np.linalg.norm(part, axis=1, keepdims=True)
        q = np.ascontiguousarray(queries[:latency_queries, :dim])
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        index = VectorIndex(dim, len(part))
        index.rebuild(np.arange(1, len(part) + 1, dtype=np.int64), part)
        latencies = _latencies(lambda row, index=index: index.search(row, K), q)
        out.append(
            {
                "dim": dim,
                "size": len(part),
                "vector_bytes_per_chunk": dim * 4,
                "vector_gib": len(part) * dim * 4 / 2**30,
                "flat_p50_ms": p50(latencies),
                "flat_p95_ms": p95(latencies),
            }
        )
        del part, index
        gc.collect()
    return out


def print_progress(row: VectorRow) -> None:
    print(
        f"  {row.kind:6} {row.size:>9,}: build {row.build_s:.1f} s, p50 {row.p50_ms:.2f} ms"
        + (f", recall@10 {row.recall_at_10:.3f}" if row.recall_at_10 is not None else ""),
        flush=True,
    )


# ---------------------------------------------------------------------------------------
# lexical


@dataclass
class LexicalRow:
    """FTS5 at one size."""

    size: int
    build_s: float
    db_bytes_per_chunk: float
    open_s: float
    p50_ms: float
    p95_ms: float
    mean_hits: float
    queries: int


def _chunks_of(doc: Document) -> list[Chunk]:
    """The generated paragraphs of a document as chunks with exact offsets."""
    chunks: list[Chunk] = []
    start = 0
    for ordinal, text in enumerate(doc.text.split("\n\n")):
        chunks.append(Chunk(doc.id, ordinal, start, start + len(text), text))
        start += len(text) + 2
    return chunks


def build_lexical(folder: Path, n: int, seed: int, batch_docs: int = 250) -> tuple[Store, float]:
    """An index store of ``n`` generated chunks (no vectors); returns it and build seconds.

    The one place outside ``Index`` that opens a ``Store``: this row measures SQLite FTS5
    alone, without the vectors an ``Index`` write requires."""
    store = Store(folder)
    started = time.perf_counter()
    pending: list[Document] = []

    def flush() -> None:
        with store.transaction() as conn:
            for doc in pending:
                chunks = _chunks_of(doc)
                store.put_document(conn, doc, chunks, [index_terms(c.text) for c in chunks])
        pending.clear()

    for doc in documents(n, seed):
        pending.append(doc)
        if len(pending) >= batch_docs:
            flush()
    if pending:
        flush()
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store, time.perf_counter() - started


def lexical_row(n: int, n_queries: int, candidate_k: int, seed: int) -> LexicalRow:
    """Build a store of ``n`` generated chunks, reopen it and time ``lexical_search`` with
    the project's MATCH expression and candidate count, as retrieval runs it."""
    with temp_dir("bench-scale-fts-") as scratch:
        store, build_s = build_lexical(scratch / "index", n, seed)
        size = sum(p.stat().st_size for p in (scratch / "index").glob(f"{DB_NAME}*"))
        store.close()
        started = time.perf_counter()
        store = Store(scratch / "index", create=False)
        open_s = time.perf_counter() - started
        expressions = [match_expression(q) for q in lexical_queries(n_queries, seed, n)]
        for expression in expressions[:5]:  # warm the page cache a little
            store.lexical_search(expression, candidate_k)
        latencies, hits = [], []
        for expression in expressions:
            started = time.perf_counter()
            found = store.lexical_search(expression, candidate_k)
            latencies.append((time.perf_counter() - started) * 1000)
            hits.append(len(found))
        store.close()
    return LexicalRow(
        size=n,
        build_s=build_s,
        db_bytes_per_chunk=size / n,
        open_s=open_s,
        p50_ms=p50(latencies),
        p95_ms=p95(latencies),
        mean_hits=float(np.mean(hits)),
        queries=len(expressions),
    )


# ---------------------------------------------------------------------------------------
# Matryoshka quality (real model)


class TruncatedEmbedder:
    """The model's native output truncated to ``dim`` and renormalised — exactly what
    ``SentenceTransformerEmbedder`` with ``embedding_dim=dim`` returns — with the native
    vectors memoised, so four dimensions cost one pass of the model."""

    def __init__(self, native: Any, dim: int, key: str, memo: dict[tuple[str, str], Any]) -> None:
        self.native = native
        self.dim = dim
        self.key = key
        self.memo = memo

    def _embed(self, kind: str, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self.memo))
        if missing:
            embed = self.native.embed_documents if kind == "d" else self.native.embed_queries
            self.memo.update(zip(((kind, t) for t in missing), embed(missing), strict=True))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        full = np.vstack([self.memo[(kind, t)] for t in texts])[:, : self.dim]
        full /= np.maximum(np.linalg.norm(full, axis=1, keepdims=True), 1e-12)
        return np.ascontiguousarray(full, dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self._embed("d", texts)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._embed("q", texts)


def matryoshka_quality(settings: Settings, limit: int | None) -> list[dict[str, Any]]:
    """Retrieval and answer quality per embedding_dim on the real test set."""
    from assistant.answer.assistant import Assistant
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder
    from assistant.eval.metrics import summarize
    from assistant.eval.runner import InProcessBackend, run
    from assistant.eval.testset import load_testset
    from assistant.ingest.pipeline import Ingestor
    from assistant.runtime import open_index

    items = load_testset(TESTSET)[:limit]
    native = SentenceTransformerEmbedder(settings.model_copy(update={"embedding_dim": None}))
    memo: dict[tuple[str, str], Any] = {}
    check = ["Tổng giá trị xuất khẩu giai đoạn 2016-2020 đạt 14.081,67 triệu USD."]
    real_128 = SentenceTransformerEmbedder(settings.model_copy(update={"embedding_dim": 128}))
    ours = TruncatedEmbedder(native, 128, real_128.key, memo).embed_documents(check)
    drift = float(np.abs(real_128.embed_documents(check) - ours).max())
    print(f"  truncation check against SentenceTransformerEmbedder(128): max |diff| {drift:.2e}")
    out = []
    for dim in MATRYOSHKA_DIMS:
        dim_settings = settings.model_copy(update={"embedding_dim": dim})
        key = SentenceTransformerEmbedder(dim_settings).key
        embedder = TruncatedEmbedder(native, dim, key, memo)
        with temp_dir(f"bench-scale-mrl-{dim}-") as scratch:
            dim_settings = dim_settings.model_copy(update={"index_dir": scratch / "index"})
            index = open_index(dim_settings, embedder)  # type: ignore[arg-type]
            started = time.perf_counter()
            Ingestor(
                index,
                embedder,  # type: ignore[arg-type]
                chunk_size=settings.chunk_size,
                chunk_overlap=settings.chunk_overlap,
            ).ingest_paths(list(CORPORA))
            ingest_s = time.perf_counter() - started
            assistant = Assistant(index, embedder, dim_settings)  # type: ignore[arg-type]
            result = run(items, InProcessBackend(assistant), progress=False)
            summary = summarize(result.results)
        out.append(
            {
                "dim": dim,
                "key": key,
                "recall@1": summary["recall@1"],
                "recall@5": summary["recall@5"],
                "mrr": summary["mrr"],
                "answer_accuracy": summary["answer_accuracy"],
                "refusal_rate": summary["refusal_rate"],
                "false_refusal_rate": summary["false_refusal_rate"],
                "wall_s": ingest_s + result.wall_s,
            }
        )
        print(
            f"  dim {dim}: recall@5 {summary['recall@5']:.3f}, MRR {summary['mrr']:.3f}, "
            f"accuracy {summary['answer_accuracy']:.3f} ({ingest_s + result.wall_s:.0f} s)",
            flush=True,
        )
    out[0]["truncation_check_max_abs_diff"] = drift
    return out


def matryoshka_verdict(quality: list[dict[str, Any]], speed: list[dict[str, float]]) -> str:
    """One sentence from the numbers: the smallest dimension that keeps recall@5 and MRR
    within 0.01 of 768 and answer accuracy within 0.02, and what it saves."""
    full = quality[0]
    by_dim = {row["dim"]: row for row in speed}
    keep = [
        q
        for q in quality
        if q["recall@5"] >= full["recall@5"] - 0.01
        and q["mrr"] >= full["mrr"] - 0.01
        and q["answer_accuracy"] >= full["answer_accuracy"] - 0.02
    ]
    best = min(keep, key=lambda q: q["dim"])
    if best["dim"] == full["dim"]:
        return (
            "Truncation does not pay on this test set: every lower dimension loses "
            "retrieval or answer quality."
        )
    gain = ""
    if best["dim"] in by_dim and full["dim"] in by_dim:
        gain = (
            f" flat search at {by_dim[best['dim']]['size']:,} vectors goes from "
            f"{by_dim[768]['flat_p50_ms']:.1f} to {by_dim[best['dim']]['flat_p50_ms']:.1f} ms,"
        )
    return (
        f"Truncation to {best['dim']} keeps quality (recall@5 {best['recall@5']:.3f} vs "
        f"{full['recall@5']:.3f}, MRR {best['mrr']:.3f} vs {full['mrr']:.3f}, accuracy "
        f"{best['answer_accuracy']:.3f} vs {full['answer_accuracy']:.3f}):{gain} vector "
        f"memory shrinks {768 / best['dim']:.1f}x. It pays where vector memory or search "
        "time is the limit; on this small test set differences of one question are noise."
    )


# ---------------------------------------------------------------------------------------
# output


def print_vectors(rows: list[VectorRow]) -> None:
    """The vector table, saying loudly that the vectors are generated."""
    print(
        "\nVECTOR SEARCH on GENERATED vectors (clustered random unit vectors, 768-d float32; "
        "not model embeddings), k=10, one query at a time on one thread:"
    )
    headers = [
        "size",
        "index",
        "params",
        "build s",
        "B/chunk file",
        "B/chunk RSS",
        "save s",
        "load s",
        "p50 ms",
        "p95 ms",
        "recall@10",
        "goal",
    ]
    body = []
    for r in rows:
        goals = []
        if r.recall_at_10 is not None:
            goals.append(
                f"recall>={GOAL_RECALL}: {'met' if r.recall_at_10 >= GOAL_RECALL else 'NOT'}"
            )
        if r.size >= 1_000_000:
            goals.append(f"p50<{GOAL_P50_MS:.0f}ms: {'met' if r.p50_ms < GOAL_P50_MS else 'NOT'}")
        body.append(
            [
                f"{r.size:,}",
                r.kind,
                r.params,
                r.build_s,
                f"{r.file_bytes_per_chunk:,.0f}",
                f"{r.rss_bytes_per_chunk:,.0f}",
                r.save_s,
                r.load_s,
                f"{r.p50_ms:.2f}",
                f"{r.p95_ms:.2f}",
                "exact" if r.recall_at_10 is None else f"{r.recall_at_10:.3f}",
                "; ".join(goals),
            ]
        )
    print(table(headers, body, 1))
    print(
        "(load = VectorIndex.load of the file just saved, page cache warm; flat latency "
        "from the first queries only, since it grows linearly)"
    )


def print_lexical(rows: list[LexicalRow], skipped: str | None) -> None:
    """The FTS5 table, and why 1M was not built when it was not."""
    print(
        "\nLEXICAL SEARCH (SQLite FTS5 via Store.lexical_search) on GENERATED Vietnamese-like "
        "text, 40 candidates per query:"
    )
    body = [
        [
            f"{r.size:,}",
            r.build_s,
            f"{r.db_bytes_per_chunk:,.0f}",
            f"{r.open_s * 1000:.1f}",
            f"{r.p50_ms:.2f}",
            f"{r.p95_ms:.2f}",
            r.mean_hits,
        ]
        for r in rows
    ]
    print(table(["size", "build s", "DB B/chunk", "open ms", "p50 ms", "p95 ms", "hits"], body, 1))
    if skipped:
        print(skipped)


def print_matryoshka(quality: list[dict[str, Any]], speed: list[dict[str, float]]) -> None:
    """Quality per dimension next to its memory and exact-search cost, and the verdict."""
    by_dim = {row["dim"]: row for row in speed}
    q_by_dim = {row["dim"]: row for row in quality}
    print(
        "\nMATRYOSHKA: quality = real model on eval/test.jsonl (sample + synthetic corpus); "
        "memory and flat search = the largest GENERATED vector set truncated to each dim:"
    )
    body = []
    for dim in MATRYOSHKA_DIMS:
        q, s = q_by_dim.get(dim, {}), by_dim.get(dim, {})
        body.append(
            [
                dim,
                q.get("recall@5"),
                q.get("mrr"),
                q.get("answer_accuracy"),
                dim * 4,
                s.get("vector_gib"),
                s.get("flat_p50_ms"),
                s.get("flat_p95_ms"),
            ]
        )
    size = f"{speed[0]['size']:,}" if speed else "-"
    headers = [
        "dim",
        "recall@5",
        "MRR",
        "accuracy",
        "B/vector",
        f"GiB @ {size}",
        "flat p50 ms",
        "flat p95 ms",
    ]
    print(table(headers, body, 3))
    if quality and speed:
        print(matryoshka_verdict(quality, speed))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="vector index sizes")
    parser.add_argument("--lexical-sizes", default=None, help="default 10000,100000 (+1M --full)")
    parser.add_argument("--queries", type=int, default=200, help="vector queries (recall, p50)")
    parser.add_argument("--flat-latency-queries", type=int, default=50)
    parser.add_argument("--lexical-queries", type=int, default=200)
    parser.add_argument(
        "--quick", action="store_true", help="HNSW efConstruction 40 at sizes >= 500k"
    )
    parser.add_argument("--full", action="store_true", help="also FTS5 at 1M chunks (~40 min)")
    parser.add_argument("--ivfpq", action="store_true", help="also IVF-PQ (plain FAISS)")
    parser.add_argument("--skip-vectors", action="store_true")
    parser.add_argument("--skip-lexical", action="store_true")
    parser.add_argument("--skip-matryoshka", action="store_true")
    parser.add_argument("--limit", type=int, help="Matryoshka: first N questions only")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    print(machine_line())
    settings = get_settings()
    faiss.omp_set_num_threads(1)
    data: dict[str, Any] = {"machine": machine_line(), "seed": args.seed, "timings_s": {}}
    vector_rows: list[VectorRow] = []
    speed: list[dict[str, float]] = []
    if not args.skip_vectors:
        started = time.perf_counter()
        sizes = [int(s) for s in args.sizes.split(",") if s]
        vector_rows, extra = vector_part(
            sizes,
            args.queries,
            args.flat_latency_queries,
            quick=args.quick,
            ivfpq=args.ivfpq,
            seed=args.seed,
        )
        speed = extra.pop("matryoshka_flat", [])
        data["vectors"] = [asdict(r) for r in vector_rows]
        data["vector_generation_s"] = extra["generation_s"]
        data["matryoshka_speed"] = speed
        data["timings_s"]["vectors"] = time.perf_counter() - started
        print_vectors(vector_rows)
    lexical_rows: list[LexicalRow] = []
    if not args.skip_lexical:
        started = time.perf_counter()
        default = "10000,100000,1000000" if args.full else "10000,100000"
        lexical_sizes = [int(s) for s in (args.lexical_sizes or default).split(",") if s]
        for n in lexical_sizes:
            lexical_rows.append(
                lexical_row(n, args.lexical_queries, settings.tuning.candidate_k, 0)
            )
            print(f"  fts5 {n:>9,}: build {lexical_rows[-1].build_s:.0f} s", flush=True)
        skipped = None
        if max(lexical_sizes) < 1_000_000:
            per_chunk = lexical_rows[-1].build_s / lexical_rows[-1].size
            skipped = (
                f"1M not run by default: building it would take about "
                f"{per_chunk * 1e6 / 60:.0f} min at the measured {per_chunk * 1e3:.2f} ms per "
                f"chunk (and ~{lexical_rows[-1].db_bytes_per_chunk * 1e6 / 2**30:.1f} GiB); "
                "run with --full or --lexical-sizes 1000000."
            )
        data["lexical"] = [asdict(r) for r in lexical_rows]
        data["timings_s"]["lexical"] = time.perf_counter() - started
        print_lexical(lexical_rows, skipped)
    quality: list[dict[str, Any]] = []
    if not args.skip_matryoshka:
        started = time.perf_counter()
        print("\nMatryoshka quality with the real model:")
        quality = matryoshka_quality(settings, args.limit)
        data["matryoshka_quality"] = quality
        data["timings_s"]["matryoshka"] = time.perf_counter() - started
    if quality or speed:
        print_matryoshka(quality, speed)
    data["peak_rss_mb"] = peak_rss_mb()
    print(f"\npeak RSS {peak_rss_mb():,.0f} MiB; part timings (s): {data['timings_s']}")
    write_json(args.json, data)


if __name__ == "__main__":
    main()
