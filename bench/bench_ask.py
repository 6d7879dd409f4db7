"""Per-stage latency of ``Assistant.ask`` against bare query embedding, same run.

Why: embedding the question is the one model call a warm question needs; everything else
(follow-up rewrite and diacritic restoration, dense + lexical retrieval and fusion, answer
composition with cached sentence vectors, refusal) should add little to it. The goal is a
median total of at most 1.3x the median bare ``embedder.embed_queries`` time.

Every question of eval/test.jsonl (with its history and filters; ``--every N`` takes
every N-th, for a shorter run on a busy machine) goes through ``Assistant.ask``: once
cold (sentence vectors get computed and cached; reported apart), then ``--rounds`` warm
rounds. In the warm rounds
each question is also embedded bare with the same embedder object, on the very string
``ask`` embeds (the rewritten query of the cold round), bare and ask alternating which
goes first, so machine noise hits both alike.
Reported: p50 and p95 per stage from ``Answer.timings_ms`` (rewrite, embed, retrieve,
compose, total, and the retrieval sub-stages), bare embedding p50/p95 and the ratio.

Usage: python bench/bench_ask.py [--index DIR] [--rounds 3] [--every 1] [--json PATH]
Without --index an index of corpus/sample + corpus/synthetic is built in a temporary
folder. Needs the real model (``assistant models fetch`` or ASSISTANT_MODEL=<folder>).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from benchlib import (
    CORPORA,
    TESTSET,
    machine_line,
    p50,
    p95,
    peak_rss_mb,
    ratio,
    table,
    temp_dir,
    torch_threads,
    write_json,
)

from assistant.answer.assistant import Assistant
from assistant.core.config import Settings, get_settings
from assistant.core.errors import AssistantError
from assistant.eval.testset import TestItem, load_testset
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import build_embedder, open_index

STAGES = ("rewrite", "embed", "retrieve", "compose", "total")
SUB_STAGES = ("retrieve.dense", "retrieve.lexical", "retrieve.fuse")
GOAL_RATIO = 1.3


def build_assistant(settings: Settings, index_dir: Path | None, scratch: Path) -> Assistant:
    """The assistant over ``index_dir``, or over a fresh index of the shipped corpora."""
    embedder = build_embedder(settings)
    if index_dir is not None:
        existing = settings.model_copy(update={"index_dir": index_dir})
        return Assistant(open_index(existing, embedder, create=False), embedder, settings)
    index = open_index(settings.model_copy(update={"index_dir": scratch / "index"}), embedder)
    started = time.perf_counter()
    summary = Ingestor(
        index, embedder, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
    ).ingest_paths(list(CORPORA))
    print(f"built a scratch index: {summary.line()} (wall {time.perf_counter() - started:.0f} s)")
    return Assistant(index, embedder, settings)


def ask(assistant: Assistant, item: TestItem) -> tuple[dict[str, float], str] | None:
    """(timings_ms, the query ask embedded) or None when the question is rejected."""
    try:
        answer = assistant.ask(
            item.question, history=item.history or None, filters=item.document_filter()
        )
    except AssistantError:
        return None
    return answer.timings_ms, answer.query


def bare_embed_ms(assistant: Assistant, query: str) -> float:
    """Milliseconds of the model call alone, through the assistant's own embedder."""
    started = time.perf_counter()
    assistant.embedder.embed_queries([query])
    return (time.perf_counter() - started) * 1000


def measure(assistant: Assistant, items: list[TestItem], rounds: int) -> dict[str, Any]:
    """One cold round (fills the sentence-vector cache, as a running service has it),
    then warm rounds with bare embedding interleaved question by question."""
    cold: list[float] = []
    queries: dict[str, str] = {}
    rejected: list[str] = []
    started = time.perf_counter()
    for item in items:
        found = ask(assistant, item)
        if found is None:
            rejected.append(item.id)
            continue
        cold.append(found[0]["total"])
        queries[item.id] = found[1]
    print(f"cold round: {len(cold)} questions in {time.perf_counter() - started:.0f} s")
    stages: dict[str, list[float]] = {s: [] for s in (*STAGES, *SUB_STAGES)}
    bare: list[float] = []
    paired: list[float] = []  # ask total / bare embedding of the same question, back to back
    for number in range(rounds):
        started = time.perf_counter()
        for position, item in enumerate(i for i in items if i.id in queries):
            bare_first = (number + position) % 2 == 0
            if bare_first:
                bare.append(bare_embed_ms(assistant, queries[item.id]))
            found = ask(assistant, item)
            if not bare_first:
                bare.append(bare_embed_ms(assistant, queries[item.id]))
            if found is None:
                continue
            paired.append(found[0]["total"] / bare[-1])
            for stage, values in stages.items():
                if stage in found[0]:
                    values.append(found[0][stage])
        print(f"warm round {number + 1}: {time.perf_counter() - started:.0f} s")
    return {
        "cold_total_ms": cold,
        "stages_ms": stages,
        "bare_embed_ms": bare,
        "paired_ratios": paired,
        "rejected": rejected,
    }


def report(data: dict[str, Any], settings: Settings, assistant: Assistant, rounds: int) -> None:
    """Print the stage table and the ratio; add the summary figures to ``data``."""
    stages = data["stages_ms"]
    bare = data["bare_embed_ms"]
    print(
        f"\n{len(data['cold_total_ms'])} questions x {rounds} warm rounds; model "
        f"{assistant.embedder.key}; {assistant.index.counts()['chunks']} chunks "
        f"({assistant.index.vectors().kind} vector index); top_k {settings.tuning.top_k}, "
        f"candidate_k {settings.tuning.candidate_k}; torch threads {torch_threads()}"
        + (f"; rejected as not a question: {data['rejected']}" if data["rejected"] else "")
    )
    rows = [[stage, p50(stages[stage]), p95(stages[stage])] for stage in (*STAGES, *SUB_STAGES)]
    rows.append(["bare embed_queries", p50(bare), p95(bare)])
    rows.append(["cold total (first ask)", p50(data["cold_total_ms"]), p95(data["cold_total_ms"])])
    print(table(["stage (ms)", "p50", "p95"], rows, 1))
    value = ratio(p50(stages["total"]), p50(bare))
    print(
        f"\ntotal p50 / bare embed p50 = {value:.2f}  (goal <= {GOAL_RATIO}: "
        f"{'met' if value <= GOAL_RATIO else 'NOT met'})"
    )
    print(
        f"cross-check less sensitive to drift: median over questions of (ask total / bare "
        f"embedding of the same query, measured back to back) = {p50(data['paired_ratios']):.2f}"
    )
    print(f"peak RSS {peak_rss_mb():.0f} MiB (includes the model)")
    data["summary"] = {
        **{f"{s}.p50": p50(stages[s]) for s in (*STAGES, *SUB_STAGES)},
        **{f"{s}.p95": p95(stages[s]) for s in (*STAGES, *SUB_STAGES)},
        "bare_embed.p50": p50(bare),
        "bare_embed.p95": p95(bare),
        "cold_total.p50": p50(data["cold_total_ms"]),
        "total_p50_over_bare_embed_p50": value,
        "paired_ratio_median": p50(data["paired_ratios"]),
        "peak_rss_mb": peak_rss_mb(),
        "model": assistant.embedder.key,
        "torch_threads": torch_threads(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--index", type=Path, metavar="DIR", help="existing index to use")
    parser.add_argument("--testset", type=Path, default=TESTSET, metavar="TESTSET.jsonl")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds")
    parser.add_argument("--every", type=int, default=1, help="every N-th question (1 = all)")
    parser.add_argument("--limit", type=int, help="at most N questions")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    print(machine_line())
    # the answer cache off: the warm rounds ask the same questions again, and this
    # measures the pipeline's stages (bench_langchain.py measures the cache)
    settings = get_settings().model_copy(update={"answer_cache_size": 0})
    items = load_testset(args.testset)[:: max(1, args.every)][: args.limit]
    with temp_dir("bench-ask-") as scratch:
        assistant = build_assistant(settings, args.index, scratch)
        data = measure(assistant, items, args.rounds)
        report(data, settings, assistant, args.rounds)
    data["machine"] = machine_line()
    write_json(args.json, data)


if __name__ == "__main__":
    main()
