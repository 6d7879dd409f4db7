"""Sync of a portal against bare ingest of the same texts, and a no-change re-sync.

Why: following the portal (``assistant sync``) adds HTTP, robots.txt, conditional
requests, trafilatura extraction and its own state on top of an ingest. Pages are fetched
and extracted by worker threads while the model embeds the previous batch, so the
network side should cost little: the goal is a sync throughput (articles/s) of at least
0.8x a bare ingest of the very same article texts. A re-sync of an unchanged site must
cost only conditional requests and no embedding: the goal is under 2 s.

The site is the tests' fixture portal (tests/sync_site.py) with ``--articles`` generated
articles (each with the menus, ads, comments and related links of a real page) listed by
a sitemap index of two sitemaps, served by a threaded ``http.server`` on 127.0.0.1 in
this process (its CPU time counts against the sync: a real portal's would not). The
per-host request rate is off for this local site (ASSISTANT_SYNC_HOST_RATE=0), as the
operator of a portal would set it for their own server; every other setting is the
default.

Measured in one process, with the same embedder object:

* **bare**: ``Ingestor.ingest_documents`` of the documents the sync produced (same ids,
  titles, texts) into a fresh index;
* **sync**: ``assistant.sync.run.run`` of the sitemap index into a fresh index;
* bare and sync alternate (bare/sync, sync/bare, ...) for ``--rounds`` rounds after a
  warm-up, medians reported;
* **re-sync**: the unchanged site again into the last synced index, ``--resyncs`` times,
  with the default recheck interval (known articles are not asked again: only robots.txt
  and the sitemaps, conditionally) and with ``sync_recheck_s=0`` (every article asked
  conditionally: one 304 each).

Usage: python bench/bench_sync.py [--articles 500] [--rounds 2] [--resyncs 5] [--json PATH]
Needs the real model (``assistant models fetch`` or ASSISTANT_MODEL=<folder>).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchlib import ROOT, machine_line, p50, ratio, table, temp_dir, torch_threads, write_json

sys.path.insert(0, str(ROOT / "tests"))  # the fixture portal of the sync tests

from sync_site import FixtureSite, generated_articles

from assistant.core.config import Settings, get_settings
from assistant.core.types import Document
from assistant.embed.base import Embedder
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import build_embedder
from assistant.sync.run import SyncSummary, run

GOAL_RATIO = 0.8
GOAL_RESYNC_S = 2.0


@dataclass
class Results:
    articles: int = 0
    chunks: int = 0
    bare_s: list[float] = field(default_factory=list)
    sync_s: list[float] = field(default_factory=list)
    sync_embedded: list[int] = field(default_factory=list)
    resync_s: list[float] = field(default_factory=list)
    resync_all_s: list[float] = field(default_factory=list)
    resync_requests: int = 0
    resync_all_requests: int = 0


def _ingestor(embedder: Embedder, settings: Settings, folder: Path) -> Ingestor:
    index = Index(folder, embedder.key, embedder.dim, ann_threshold=settings.ann_threshold)
    return Ingestor.from_settings(index, embedder, settings)


def _sync(site: FixtureSite, ingestor: Ingestor, settings: Settings) -> tuple[float, SyncSummary]:
    started = time.perf_counter()
    summary = run([site.url("/sitemap.xml")], ingestor, settings)
    seconds = time.perf_counter() - started
    if summary.failed_sources or summary.total("failed"):
        raise RuntimeError(f"sync failed: {summary.as_dict()['errors']}")
    return seconds, summary


def measure(
    articles: int, rounds: int, resyncs: int, embedder: Embedder | None = None
) -> tuple[Results, Settings, Embedder]:
    settings = get_settings(sync_host_rate=0)
    embedder = embedder or build_embedder(settings)
    results = Results(articles=articles)
    with temp_dir("bench-sync-") as scratch, FixtureSite(generated_articles(articles)) as site:
        # the documents a sync makes, for the bare ingest of the same texts (a stand-in
        # embedder is enough to read them: the texts do not depend on it)
        first = _ingestor(HashingEmbedder(dim=32), settings, scratch / "reference")
        _sync(site, first, settings)
        documents: list[Document] = list(first.index.documents())
        if len(documents) != articles:
            raise RuntimeError(f"the sync made {len(documents)} documents of {articles}")
        results.chunks = first.index.counts()["chunks"]
        first.index.close()
        embedder.embed_documents([documents[0].text[:500]])  # load and warm the model
        last = scratch / "bare-0"
        for number in range(rounds):
            order = ("bare", "sync") if number % 2 == 0 else ("sync", "bare")
            for phase in order:
                folder = scratch / f"{phase}-{number}"
                ingestor = _ingestor(embedder, settings, folder)
                if phase == "bare":
                    started = time.perf_counter()
                    ingestor.ingest_documents(documents)
                    results.bare_s.append(time.perf_counter() - started)
                else:
                    seconds, summary = _sync(site, ingestor, settings)
                    results.sync_s.append(seconds)
                    results.sync_embedded.append(summary.embedded)
                    last = folder
                ingestor.index.close()
                seconds = (results.bare_s if phase == "bare" else results.sync_s)[-1]
                print(f"round {number + 1}: {phase:5} {seconds:.1f} s")
        for recheck, times in (
            (settings.sync_recheck_s, results.resync_s),
            (0.0, results.resync_all_s),
        ):
            resync = settings.model_copy(update={"sync_recheck_s": recheck})
            for _ in range(resyncs):
                ingestor = _ingestor(embedder, settings, last)
                site.take_requests()
                seconds, summary = _sync(site, ingestor, resync)
                if summary.embedded or summary.total("new") or summary.total("updated"):
                    raise RuntimeError(f"re-sync was not a no-op: {summary.line()}")
                times.append(seconds)
                requests = len(site.take_requests())
                ingestor.index.close()
            if recheck:
                results.resync_requests = requests
            else:
                results.resync_all_requests = requests
    return results, settings, embedder


def report(results: Results, settings: Settings, embedder: Embedder) -> dict[str, Any]:
    n = results.articles
    bare, synced = p50(results.bare_s), p50(results.sync_s)
    bare_rate, sync_rate = n / bare, n / synced
    throughput = ratio(sync_rate, bare_rate)
    resync, resync_all = p50(results.resync_s), p50(results.resync_all_s)
    print(
        f"\n{n} articles, {results.chunks} chunks; model {embedder.key}; torch threads "
        f"{torch_threads()}; sync workers {settings.sync_workers}, batch "
        f"{settings.sync_batch_docs} articles; medians of {len(results.bare_s)} runs "
        f"(re-sync: {len(results.resync_s)})"
    )
    met = "met" if throughput >= GOAL_RATIO else "NOT met"
    rows = [
        ["bare ingest of the same texts", bare, bare_rate, "baseline", ""],
        [
            "assistant sync (fresh index)",
            synced,
            sync_rate,
            f"{throughput:.2f}x",
            f">= {GOAL_RATIO}x: {met}",
        ],
        [
            f"re-sync, unchanged ({results.resync_requests} requests)",
            resync,
            n / resync,
            "",
            f"< {GOAL_RESYNC_S:g} s: {'met' if resync < GOAL_RESYNC_S else 'NOT met'}",
        ],
        [
            f"re-sync asking every article ({results.resync_all_requests} requests)",
            resync_all,
            n / resync_all,
            "",
            f"< {GOAL_RESYNC_S:g} s: {'met' if resync_all < GOAL_RESYNC_S else 'NOT met'}",
        ],
    ]
    print(table(["phase", "seconds (p50)", "articles/s", "vs baseline", "goal"], rows, 2))
    paired = [ratio(b, s) for b, s in zip(results.bare_s, results.sync_s, strict=True)]
    print(
        "per round, sync throughput / bare: "
        + ", ".join(f"{r:.2f}x" for r in paired)
        + f"; runs (s): bare {[round(x, 1) for x in results.bare_s]}, "
        f"sync {[round(x, 1) for x in results.sync_s]}, re-sync "
        f"{[round(x, 3) for x in results.resync_s]}, re-sync asking every article "
        f"{[round(x, 3) for x in results.resync_all_s]}"
    )
    return {
        "results": asdict(results),
        "bare_articles_per_s": bare_rate,
        "sync_articles_per_s": sync_rate,
        "sync_vs_bare": throughput,
        "sync_vs_bare_per_round": paired,
        "resync_s": resync,
        "resync_every_article_s": resync_all,
        "model": embedder.key,
        "torch_threads": torch_threads(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="articles on the site")
    parser.add_argument("--rounds", type=int, default=2, help="bare/sync pairs (alternated)")
    parser.add_argument("--resyncs", type=int, default=5, help="re-sync repetitions")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    print(machine_line())
    results, settings, embedder = measure(args.articles, args.rounds, args.resyncs)
    data = report(results, settings, embedder)
    data["machine"] = machine_line()
    write_json(args.json, data)


if __name__ == "__main__":
    main()
