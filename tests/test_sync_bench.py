"""Smoke test of bench/bench_sync.py's measuring code on a tiny site with the stand-in
embedder (its timings are not checked: benchmarks print figures, they never fail)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import bench_sync  # noqa: E402

from assistant.embed.hashing import HashingEmbedder  # noqa: E402


def test_bench_sync_measures_and_reports() -> None:
    results, settings, embedder = bench_sync.measure(
        12, rounds=2, resyncs=1, embedder=HashingEmbedder(dim=32)
    )
    assert len(results.bare_s) == len(results.sync_s) == 2
    assert results.sync_embedded[0] > 0 and results.chunks > 0
    # unchanged re-sync with the default recheck: robots.txt and the three sitemaps only
    assert results.resync_requests == 4
    assert results.resync_all_requests > results.articles  # every article asked, 304s
    data = bench_sync.report(results, settings, embedder)
    assert data["sync_vs_bare"] > 0
