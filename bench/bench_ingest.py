"""Ingest throughput against bare model encoding, re-ingest speed-up and peak memory.

Why: embedding is the one expensive step of an ingest, so the pipeline around it (loading,
cleaning, chunking, hashing, SQLite + FTS5 writes, the FAISS file) should cost little on
top: the goal is an ingest throughput of at least 0.9x what ``model.encode`` alone achieves
on exactly the same chunks. An unchanged corpus must not be embedded again (content-hash
cache): re-ingesting it should be at least 50x faster than the first ingest.

The shipped corpus (corpus/sample + corpus/synthetic) is replicated ``--copies`` times,
each copy with its figures and province names changed deterministically (digits rotated,
names permuted), so that chunk texts differ and the cache cannot dedupe them; the copies
are written as a portal export (.jsonl) to a scratch folder and ingested from there.

Measured in one process, with the same embedder object:

* bare: ``embedder.embed_documents`` on the unique chunk texts the ingest will embed;
* ingest: ``Ingestor.ingest_paths`` into a fresh temporary index (files → index);
* re-ingest: the same corpus again into that index (a new ``Index`` object each time, as
  a new ``assistant ingest`` run would open it), repeated ``--reingests`` times;
* peak RSS (getrusage) after each phase: it includes the model.

Wall time is the headline; the CPU time of the process is printed as a cross-check
because the machine may be shared (other jobs stretch wall time, much less CPU time).

Bare and ingest alternate (round 1: bare then ingest, round 2: ingest then bare, ...)
after a warm-up, so machine noise and warm-up hit both; medians are reported.

Usage: python bench/bench_ingest.py [--copies 6] [--rounds 3] [--json PATH]
Needs the real model (``assistant models fetch`` or ASSISTANT_MODEL=<folder>).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchlib import (
    CORPORA,
    machine_line,
    p50,
    peak_rss_mb,
    ratio,
    rss_mb,
    table,
    temp_dir,
    torch_threads,
    write_json,
)

from assistant.core.config import Settings, get_settings
from assistant.core.types import Document
from assistant.embed.base import Embedder
from assistant.ingest.chunk import chunk_document
from assistant.ingest.loaders import load_paths
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import build_embedder, open_index

PROVINCES = (
    "Thanh Hóa",
    "Nghệ An",
    "Hà Tĩnh",
    "Ninh Bình",
    "Quảng Bình",
    "Nam Định",
    "Thái Bình",
    "Hòa Bình",
    "Sơn La",
    "Điện Biên",
    "Lai Châu",
)
_PROVINCE_RE = re.compile("|".join(re.escape(p) for p in PROVINCES))
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])(?=\s)")
GOAL_RATIO = 0.9
GOAL_SPEEDUP = 50.0


def vary(text: str, copy: int) -> str:
    """Copy ``copy`` of a text: every digit rotated by ``copy``, every province name
    replaced by the one ``copy`` places later, and every sentence and line ended with an
    edition tag ``(bản N)``, so that even a chunk with no figure and no name differs
    between copies (copy 0 is the text itself)."""
    if copy == 0:
        return text
    digits = str.maketrans("0123456789", "".join(str((d + copy) % 10) for d in range(10)))
    renamed = _PROVINCE_RE.sub(
        lambda m: PROVINCES[(PROVINCES.index(m.group(0)) + copy) % len(PROVINCES)], text
    ).translate(digits)
    tag = f"(bản {copy + 1})"
    return "\n".join(
        f"{_SENTENCE_END_RE.sub(' ' + tag, line)} {tag}" if line.strip() else line
        for line in renamed.split("\n")
    )


def replicated_corpus(folder: Path, copies: int) -> int:
    """Write ``copies`` varied copies of the shipped corpus as ``corpus.jsonl`` in
    ``folder``; returns the number of documents."""
    originals = [item for item in load_paths(list(CORPORA)) if isinstance(item, Document)]
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for copy in range(copies):
            for doc in originals:
                record = {
                    "id": f"{doc.id}-copy{copy}",
                    "title": vary(doc.title, copy),
                    "url": None,
                    "published_at": doc.published_at,
                    "text": vary(doc.text, copy),
                    "tags": doc.tags,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def chunks_to_embed(folder: Path, settings: Settings) -> tuple[list[str], int]:
    """(unique chunk texts in ingest order, total chunks): what the ingest will embed."""
    seen: dict[str, str] = {}
    total = 0
    for item in load_paths([folder]):
        if not isinstance(item, Document):
            raise RuntimeError(f"replicated corpus failed to load: {item}")
        for chunk in chunk_document(item, settings.chunk_size, settings.chunk_overlap):
            seen.setdefault(chunk.content_hash, chunk.text)
            total += 1
    return list(seen.values()), total


@dataclass
class Results:
    """Raw measurements (seconds) and the peak RSS after each phase (MiB)."""

    documents: int = 0
    chunks: int = 0
    unique_chunks: int = 0
    bare_s: list[float] = field(default_factory=list)
    bare_cpu_s: list[float] = field(default_factory=list)
    ingest_s: list[float] = field(default_factory=list)
    ingest_cpu_s: list[float] = field(default_factory=list)
    ingest_embedded: list[int] = field(default_factory=list)
    reingest_s: list[float] = field(default_factory=list)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)


def run_bare(embedder: Embedder, texts: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of embedding ``texts`` directly."""
    started, cpu = time.perf_counter(), time.process_time()
    embedder.embed_documents(texts)
    return time.perf_counter() - started, time.process_time() - cpu


def run_ingest(
    embedder: Embedder, settings: Settings, corpus: Path, index_dir: Path
) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, chunks embedded) of a first ingest into a fresh
    ``index_dir``."""
    index = open_index(settings.model_copy(update={"index_dir": index_dir}), embedder)
    ingestor = Ingestor(
        index, embedder, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    )
    started, cpu = time.perf_counter(), time.process_time()
    summary = ingestor.ingest_paths([corpus])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    if summary.failed:
        raise RuntimeError(f"ingest failed: {summary.errors}")
    index.close()
    return seconds, cpu_seconds, summary.embedded


def run_reingest(embedder: Embedder, settings: Settings, corpus: Path, index_dir: Path) -> float:
    """Seconds to ingest the unchanged corpus again, opening the index as a new run would."""
    index = open_index(settings.model_copy(update={"index_dir": index_dir}), embedder)
    ingestor = Ingestor(
        index, embedder, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    )
    started = time.perf_counter()
    summary = ingestor.ingest_paths([corpus])
    seconds = time.perf_counter() - started
    if summary.embedded or summary.added or summary.updated:
        raise RuntimeError(f"re-ingest was not a no-op: {summary.line()}")
    index.close()
    return seconds


def measure(copies: int, rounds: int, reingests: int) -> tuple[Results, Settings, Embedder]:
    """Run every phase in one process with one embedder, so the ratios compare like with
    like: the same model instance, the same texts, the same minutes of machine load."""
    settings = get_settings()
    embedder = build_embedder(settings)
    results = Results()
    with temp_dir("bench-ingest-") as scratch:
        corpus = scratch / "corpus"
        results.documents = replicated_corpus(corpus, copies)
        texts, results.chunks = chunks_to_embed(corpus, settings)
        results.unique_chunks = len(texts)
        results.peak_rss_mb["start"] = peak_rss_mb()
        started = time.perf_counter()
        embedder.embed_documents(texts[:32])  # load the model and warm it up (not timed)
        print(f"model loaded and warmed up in {time.perf_counter() - started:.1f} s")
        results.peak_rss_mb["model loaded"] = peak_rss_mb()
        last_index = scratch / "index-0"
        for number in range(rounds):
            order = ("bare", "ingest") if number % 2 == 0 else ("ingest", "bare")
            for phase in order:
                if phase == "bare":
                    wall, cpu = run_bare(embedder, texts)
                    results.bare_s.append(wall)
                    results.bare_cpu_s.append(cpu)
                    results.peak_rss_mb["after bare encode"] = peak_rss_mb()
                else:
                    last_index = scratch / f"index-{number}"
                    seconds, cpu, embedded = run_ingest(embedder, settings, corpus, last_index)
                    results.ingest_s.append(seconds)
                    results.ingest_cpu_s.append(cpu)
                    results.ingest_embedded.append(embedded)
                    results.peak_rss_mb["after ingest"] = peak_rss_mb()
                print(
                    f"round {number + 1}: {phase:6} "
                    f"{(results.bare_s if phase == 'bare' else results.ingest_s)[-1]:.1f} s"
                )
        for _ in range(reingests):
            results.reingest_s.append(run_reingest(embedder, settings, corpus, last_index))
        results.peak_rss_mb["after re-ingest"] = peak_rss_mb()
    return results, settings, embedder


def report(results: Results, settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """Print the table; return the figures for --json."""
    n = results.unique_chunks
    bare = p50(results.bare_s)
    ingest = p50(results.ingest_s)
    reingest = p50(results.reingest_s)
    bare_rate, ingest_rate = n / bare, n / ingest
    speedup = ratio(ingest, reingest)
    throughput_ratio = ratio(ingest_rate, bare_rate)
    print(
        f"\n{results.documents} documents, {results.chunks} chunks "
        f"({n} unique, all embedded by each first ingest: {results.ingest_embedded}); "
        f"chunk_size {settings.chunk_size}/{settings.chunk_overlap}; model {embedder.key}; "
        f"embed batch {settings.embed_batch_size}; torch threads {torch_threads()}; "
        f"medians of {len(results.bare_s)} runs "
        f"(re-ingest: {len(results.reingest_s)})"
    )
    rows = [
        ["bare embed_documents", bare, bare_rate, "baseline", ""],
        [
            "assistant ingest (fresh index)",
            ingest,
            ingest_rate,
            f"{throughput_ratio:.2f}x",
            f">= {GOAL_RATIO}x: {'met' if throughput_ratio >= GOAL_RATIO else 'NOT met'}",
        ],
        [
            "re-ingest, unchanged corpus",
            reingest,
            results.chunks / reingest,
            f"{speedup:,.0f}x faster",
            f">= {GOAL_SPEEDUP:.0f}x: {'met' if speedup >= GOAL_SPEEDUP else 'NOT met'}",
        ],
    ]
    print(table(["phase", "seconds (p50)", "chunks/s", "vs baseline", "goal"], rows, 2))
    paired = [ratio(b, i) for b, i in zip(results.bare_s, results.ingest_s, strict=True)]
    print(
        "per round (bare and ingest back to back), ingest throughput / bare: "
        + ", ".join(f"{r:.2f}x" for r in paired)
        + f"; runs (s): bare {[round(x, 1) for x in results.bare_s]}, "
        f"ingest {[round(x, 1) for x in results.ingest_s]}"
    )
    cpu_ratio = ratio(p50(results.bare_cpu_s), p50(results.ingest_cpu_s))
    print(
        f"cross-check by CPU time of this process (less sensitive to other jobs on the "
        f"machine): bare {p50(results.bare_cpu_s):.1f} s, ingest "
        f"{p50(results.ingest_cpu_s):.1f} s -> ingest throughput {cpu_ratio:.2f}x bare"
    )
    print("\npeak RSS of the process (includes the model), MiB:")
    print(table(["after", "peak RSS"], list(results.peak_rss_mb.items()), 0))
    print(f"current RSS at the end: {rss_mb():.0f} MiB")
    return {
        "results": asdict(results),
        "bare_chunks_per_s": bare_rate,
        "ingest_chunks_per_s": ingest_rate,
        "ingest_vs_bare": throughput_ratio,
        "ingest_vs_bare_cpu_time": cpu_ratio,
        "ingest_vs_bare_per_round": paired,
        "reingest_s": reingest,
        "reingest_speedup": speedup,
        "model": embedder.key,
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "torch_threads": torch_threads(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="varied copies of the corpus")
    parser.add_argument("--rounds", type=int, default=3, help="bare/ingest pairs (alternated)")
    parser.add_argument("--reingests", type=int, default=5, help="re-ingest repetitions")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    print(machine_line())
    results, settings, embedder = measure(args.copies, args.rounds, args.reingests)
    data = report(results, settings, embedder)
    data["machine"] = machine_line()
    write_json(args.json, data)


if __name__ == "__main__":
    main()
