"""This project against the LangChain baseline a developer would write, side by side.

Why: the project's pipeline (its own chunker, SQLite + FTS5 store, hybrid retrieval,
extractive answers with citations and refusals) has to earn its complexity against the
obvious alternative: ``HuggingFaceEmbeddings`` + a LangChain ``FAISS`` vector store +
``RecursiveCharacterTextSplitter`` with its default settings. Same corpus
(corpus/sample + corpus/synthetic), same model folder (from the configuration, as the app
resolves it), same prompts (``document`` / ``query``), same dtype (``--baseline-dtype
same``; ``fp32`` gives the library default instead), same machine, same run.

Each side runs in its own subprocess (so its peak RSS is its own: both load the model)
and reports:

* ingest: documents → searchable index, wall time and chunks/s (and characters/s, since
  the default splitter makes 4000-character chunks and the project 600-character ones);
  the model is loaded and warmed up before the clock starts, on both sides;
* re-ingest of the unchanged corpus: the project's content-hash cache makes it a no-op;
  the baseline script, run again, splits, embeds and saves everything again;
* query latency p50/p95 per question (wall time of one ``Assistant.ask`` /
  ``similarity_search(k=5)`` call) in two passes after the quality pass (warm model,
  ``--latency-every N``: every N-th question only, for a busy machine):

  - **cold questions**: each question once, the project's answer cache off (every
    question goes through the whole pipeline);
  - **repeat mix**: what a portal sees, ``--repeat-share`` (default 40%) of the asks
    being the six suggested questions (``/api/suggestions`` of the project's index,
    drawn at random with a fixed seed), the rest distinct test questions, shuffled; the
    project starts with an empty answer cache of the configured size, and its hit rate
    is printed; the baseline answers the same sequence;
* retrieval recall@5 and MRR on eval/test.jsonl: a retrieved chunk contains the
  question's evidence (``assistant.eval.metrics.retrieval_rank``);
* answer accuracy with the eval harness's rules: for the baseline the top passage is its
  answer; it never refuses, so unanswerable questions count as wrong for it; it also sees
  only the question (no conversation history, so follow-ups get no context);
* peak RSS of the side's process.

Usage: python bench/bench_langchain.py [--with-600] [--baseline-dtype same|fp32]
       [--baseline-threads N] [--repeat-share 0.4] [--json PATH]
The table shows each side's torch threads, which must match for a fair comparison: the
project's vector module sets FAISS's OpenMP threads to 1 at import, and torch shares that
runtime (imported after it, torch keeps its default; imported before, it drops to one
thread). ``--baseline-threads N`` pins the baseline's threads for such experiments.
``--with-600`` adds a third column: the baseline with the splitter at the project's chunk
size and overlap, which separates the effect of chunk size from the rest.
Needs the real model and the ``bench`` extra (langchain-huggingface, langchain-community).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import time
import warnings
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

from assistant.answer.types import Answer, citation_for
from assistant.core.config import Settings, get_settings
from assistant.core.types import Document, Passage
from assistant.eval.metrics import QuestionResult, summarize
from assistant.eval.runner import Backend, InProcessBackend, run
from assistant.eval.testset import TestItem, load_testset
from assistant.ingest.loaders import load_paths

BASELINE_K = 5
REINGEST_REPEATS = 3
MIX_SEED = 15


# ---------------------------------------------------------------------------------------
# the project's side


def project_side(
    settings: Settings,
    items: list[TestItem],
    scratch: Path,
    latency_every: int,
    repeat_share: float,
) -> dict[str, Any]:
    """Ingest, re-ingest and evaluate the project (library, in-process)."""
    from assistant.answer.assistant import Assistant
    from assistant.feedback.suggestions import Suggester
    from assistant.ingest.pipeline import Ingestor
    from assistant.runtime import build_embedder, open_index

    settings = settings.model_copy(update={"index_dir": scratch / "index"})
    embedder = build_embedder(settings)
    load_s = _warm_up(lambda texts: embedder.embed_documents(texts))

    def ingest() -> Any:
        index = open_index(settings, embedder)
        return index, Ingestor(
            index, embedder, chunk_size=settings.chunk_size, chunk_overlap=settings.chunk_overlap
        ).ingest_paths(list(CORPORA))

    started = time.perf_counter()
    index, summary = ingest()
    ingest_s = time.perf_counter() - started
    chars = index.text_chars()
    reingest: list[float] = []
    for _ in range(REINGEST_REPEATS):
        started = time.perf_counter()
        _, again = ingest()
        reingest.append(time.perf_counter() - started)
        assert again.embedded == 0, again.line()

    def assistant(cache_size: int) -> Assistant:
        return Assistant(
            index, embedder, settings.model_copy(update={"answer_cache_size": cache_size})
        )

    mix = repeat_mix(items[:: max(1, latency_every)], Suggester(index).questions(), repeat_share)
    return {
        "ingest_s": ingest_s,
        "chunks": summary.chunks,
        "chunk_chars": chars,
        "reingest_s": p50(reingest),
        **_evaluate(
            InProcessBackend(assistant(settings.answer_cache_size)),
            InProcessBackend(assistant(0)),
            InProcessBackend(assistant(settings.answer_cache_size)),
            items,
            latency_every,
            mix,
        ),
        "mix": [dataclasses.asdict(item) for item in mix],
        "mix_share": repeat_share,
        "model_load_s": load_s,
        "notes": f"chunk_size {settings.chunk_size}/{settings.chunk_overlap}, "
        f"hybrid retrieval, top_k {settings.tuning.top_k}, model {embedder.key}, question "
        f"encoder {settings.model_backend}, answer cache {settings.answer_cache_size}",
    }


# ---------------------------------------------------------------------------------------
# the LangChain baseline


class BaselineBackend:
    """A LangChain vector store as a harness backend: the top passage is the answer."""

    name = "langchain-baseline"

    def __init__(self, store: Any, k: int = BASELINE_K) -> None:
        self.store = store
        self.k = k

    def ask(self, item: TestItem) -> Answer:
        docs = self.store.similarity_search(item.question, k=self.k)
        passages = [
            Passage(
                chunk_id=i,
                doc_id=str(d.metadata.get("id", "")),
                title=str(d.metadata.get("title", "")),
                text=d.page_content,
                start=0,
                end=len(d.page_content),
            )
            for i, d in enumerate(docs)
        ]
        top = passages[0] if passages else None
        return Answer(
            answer=top.text if top else "",
            answerable=top is not None,
            mode="baseline-top-passage",
            query=item.question,
            # the passage cites its own article: the harness credits an answer only from
            # the evidence's article
            citations=[citation_for(1, top, top.start, top.end, top.text)] if top else [],
            passages=passages,
        )


def baseline_embeddings(settings: Settings, dtype: str) -> tuple[Any, str]:
    """(``HuggingFaceEmbeddings`` on the configured model folder with the model's own
    ``document``/``query`` prompts, the dtype it runs in): the baseline must differ from
    the project in its pipeline only, not in the model it runs."""
    import torch
    from langchain_huggingface import HuggingFaceEmbeddings

    from assistant.embed.provision import resolve_model_path
    from assistant.embed.sentence_transformer import resolve_dtype

    chosen = resolve_dtype(settings.model_dtype) if dtype == "same" else dtype
    model_kwargs: dict[str, Any] = {"device": "cpu", "local_files_only": True}
    if chosen == "bf16":
        model_kwargs["model_kwargs"] = {"dtype": torch.bfloat16}
    return HuggingFaceEmbeddings(
        model=str(resolve_model_path(settings)),
        model_kwargs=model_kwargs,
        encode_kwargs={"prompt_name": "document", "normalize_embeddings": True},
        query_encode_kwargs={"prompt_name": "query", "normalize_embeddings": True},
    ), chosen


def baseline_side(
    settings: Settings,
    items: list[TestItem],
    scratch: Path,
    dtype: str,
    chunk: tuple[int, int] | None,
    latency_every: int,
    mix: list[TestItem],
    threads: int | None = None,
) -> dict[str, Any]:
    """The baseline script: load → split → embed into FAISS → save; then query it."""
    with warnings.catch_warnings():  # the package announces its sunset on import
        warnings.simplefilter("ignore", DeprecationWarning)
        from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if threads:
        import torch

        torch.set_num_threads(threads)
    started = time.perf_counter()
    embeddings, chosen = baseline_embeddings(settings, dtype)  # loads the model
    load_s = time.perf_counter() - started + _warm_up(embeddings.embed_documents)
    splitter = (
        RecursiveCharacterTextSplitter()
        if chunk is None
        else RecursiveCharacterTextSplitter(chunk_size=chunk[0], chunk_overlap=chunk[1])
    )

    def ingest() -> tuple[Any, int, int]:
        # the same loader as the project (the corpus is .txt + portal .jsonl), then the
        # usual LangChain steps
        docs = [
            LCDocument(page_content=d.text, metadata={"id": d.id, "title": d.title})
            for d in load_paths(list(CORPORA))
            if isinstance(d, Document)
        ]
        pieces = splitter.split_documents(docs)
        store = FAISS.from_documents(pieces, embeddings)
        store.save_local(str(scratch / "faiss"))
        return store, len(pieces), sum(len(p.page_content) for p in pieces)

    started = time.perf_counter()
    store, chunks, chars = ingest()
    ingest_s = time.perf_counter() - started
    started = time.perf_counter()
    ingest()  # the script run again: nothing tells it the corpus is unchanged
    reingest = [time.perf_counter() - started]
    size = "defaults (4000/200)" if chunk is None else f"{chunk[0]}/{chunk[1]}"
    return {
        "ingest_s": ingest_s,
        "chunks": chunks,
        "chunk_chars": chars,
        "reingest_s": p50(reingest),
        **_evaluate(*[BaselineBackend(store)] * 3, items, latency_every, mix),
        "model_load_s": load_s,
        "notes": f"RecursiveCharacterTextSplitter {size}, FAISS (L2 on normalised vectors), "
        f"k={BASELINE_K}, dtype {chosen}",
    }


# ---------------------------------------------------------------------------------------
# shared


def _warm_up(embed: Any) -> float:
    """Load the model and run it once, outside every timed section; returns seconds."""
    started = time.perf_counter()
    embed(["khởi động mô hình", "warm up"])
    return time.perf_counter() - started


def repeat_mix(items: list[TestItem], suggestions: list[str], share: float) -> list[TestItem]:
    """``len(items)`` asks: ``share`` of them suggested questions (drawn at random), the
    rest the first distinct test questions, shuffled (fixed seed: both sides and every
    run ask the same sequence)."""
    rng = random.Random(MIX_SEED)
    repeats = round(len(items) * share) if suggestions else 0
    asked = [
        TestItem(id=f"suggestion-{suggestions.index(q)}", question=q)
        for q in (rng.choice(suggestions) for _ in range(repeats))
    ]
    asked += items[: len(items) - repeats]
    rng.shuffle(asked)
    return asked


def _walls(results: list[QuestionResult]) -> list[float]:
    return [r.wall_ms for r in results if r.wall_ms is not None and not r.error]


def _evaluate(
    quality: Backend,
    cold: Backend,
    mixed: Backend,
    items: list[TestItem],
    latency_every: int,
    mix: list[TestItem],
) -> dict[str, Any]:
    """Quality from a first pass over the whole test set; latency from a cold pass over
    every ``latency_every``-th question (all types; keeps the run short) and from the
    repeat mix, each with its own backend (the project's differ in their answer cache)."""
    first = run(items, quality, progress=False)
    second = run(items[:: max(1, latency_every)], cold, progress=False)
    mixed_run = run(mix, mixed, progress=False) if mix else None
    summary = summarize(first.results)
    walls = _walls(second.results)
    mix_walls = _walls(mixed_run.results) if mixed_run else []
    hits = ["cache.hit" in (r.timings_ms or {}) for r in (mixed_run.results if mixed_run else [])]
    return {
        "recall@5": summary["recall@5"],
        "mrr": summary["mrr"],
        "answer_accuracy": summary["answer_accuracy"],
        "answerable_accuracy": _accuracy(first.results, unanswerable=False),
        "unanswerable_accuracy": _accuracy(first.results, unanswerable=True),
        "errors": summary["errors"],
        "unanswerable": summary["unanswerable"],
        "latency_p50_ms": p50(walls),
        "latency_p95_ms": p95(walls),
        "first_pass_latency_p50_ms": p50(
            [r.wall_ms for r in first.results if r.wall_ms is not None]
        ),
        "latency_questions": len(walls),
        "mix_p50_ms": p50(mix_walls),
        "mix_p95_ms": p95(mix_walls),
        "mix_asks": len(mix_walls),
        "mix_hit_rate": sum(hits) / len(hits) if hits else 0.0,
    }


def _accuracy(results: list[QuestionResult], *, unanswerable: bool) -> float:
    """Accuracy over the answerable or the unanswerable questions only (the baseline's
    refusal blindness shows in the second)."""
    chosen = [r for r in results if r.unanswerable == unanswerable]
    return sum(r.correct for r in chosen) / len(chosen) if chosen else float("nan")


def run_side(args: argparse.Namespace) -> None:
    """Child process: measure one side and write its JSON to --out."""
    settings = get_settings()
    items = load_testset(args.testset)[: args.limit]
    with temp_dir(f"bench-lc-{args.side}-") as scratch:
        if args.side == "project":
            data = project_side(settings, items, scratch, args.latency_every, args.repeat_share)
        else:
            chunk = (settings.chunk_size, settings.chunk_overlap) if args.side == "lc600" else None
            mix = [TestItem(**item) for item in json.loads(Path(args.mix).read_text())]
            data = baseline_side(
                settings,
                items,
                scratch,
                args.baseline_dtype,
                chunk,
                args.latency_every,
                mix,
                args.baseline_threads,
            )
    data["peak_rss_mb"] = peak_rss_mb()
    data["questions"] = len(items)
    data["torch_threads"] = torch_threads()
    Path(args.out).write_text(json.dumps(data))


def spawn(side: str, args: argparse.Namespace, out: Path, mix: Path) -> dict[str, Any]:
    """Run one side in a fresh interpreter (its own peak RSS) and read its figures. The
    project's side writes the repeat mix to ``mix``; the baselines read it there."""
    command = [sys.executable, __file__, "--side", side, "--out", str(out)]
    command += ["--testset", str(args.testset), "--baseline-dtype", args.baseline_dtype]
    command += ["--latency-every", str(args.latency_every), "--mix", str(mix)]
    command += ["--repeat-share", str(args.repeat_share)]
    if args.baseline_threads:
        command += ["--baseline-threads", str(args.baseline_threads)]
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    print(f"  {side}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    data = json.loads(out.read_text())
    if "mix" in data:
        mix.write_text(json.dumps(data.pop("mix"), ensure_ascii=False))
    return data


def compare(results: dict[str, dict[str, Any]]) -> None:
    """Print the side-by-side table with the goals next to the figures."""
    project, base = results["project"], results["baseline"]
    sides = list(results)
    names = {"project": "this project", "baseline": "LangChain baseline", "lc600": "LC @600/100"}

    def rate(side: dict[str, Any]) -> float:
        return side["chunks"] / side["ingest_s"]

    def chars_rate(side: dict[str, Any]) -> float:
        return side["chunk_chars"] / side["ingest_s"] / 1000

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    ingest_ratio = ratio(rate(project), rate(base))
    latency_ratio = ratio(project["latency_p50_ms"], base["latency_p50_ms"])
    mix_ratio = ratio(project["mix_p50_ms"], base["mix_p50_ms"])
    rows: list[list[object]] = [
        ["chunks", *(results[s]["chunks"] for s in sides), ""],
        ["ingest (s)", *(results[s]["ingest_s"] for s in sides), ""],
        [
            "ingest (chunks/s)",
            *(rate(results[s]) for s in sides),
            f">= 1.0x: {ingest_ratio:.2f}x {verdict(ingest_ratio >= 1.0)}",
        ],
        ["ingest (k chars/s)", *(chars_rate(results[s]) for s in sides), ""],
        [
            "re-ingest unchanged (s)",
            *(results[s]["reingest_s"] for s in sides),
            f"{ratio(base['reingest_s'], project['reingest_s']):,.0f}x faster",
        ],
        [
            "cold questions p50 (ms)",
            *(results[s]["latency_p50_ms"] for s in sides),
            f"<= 0.7x: {latency_ratio:.2f}x {verdict(latency_ratio <= 0.7)}",
        ],
        ["cold questions p95 (ms)", *(results[s]["latency_p95_ms"] for s in sides), ""],
        [
            f"repeat mix p50 (ms, {project['mix_share']:.0%} suggestions)",
            *(results[s]["mix_p50_ms"] for s in sides),
            f"<= 0.3x: {mix_ratio:.2f}x {verdict(mix_ratio <= 0.3)}",
        ],
        ["repeat mix p95 (ms)", *(results[s]["mix_p95_ms"] for s in sides), ""],
        [
            "  answer-cache hit rate",
            *(results[s]["mix_hit_rate"] if s == "project" else None for s in sides),
            "",
        ],
        [
            "recall@5",
            *(results[s]["recall@5"] for s in sides),
            f"higher: {verdict(project['recall@5'] > base['recall@5'])}",
        ],
        ["MRR", *(results[s]["mrr"] for s in sides), ""],
        [
            "answer accuracy",
            *(results[s]["answer_accuracy"] for s in sides),
            f"higher: {verdict(project['answer_accuracy'] > base['answer_accuracy'])}",
        ],
        ["  answerable questions", *(results[s]["answerable_accuracy"] for s in sides), ""],
        ["  unanswerable questions", *(results[s]["unanswerable_accuracy"] for s in sides), ""],
        ["peak RSS (MiB)", *(results[s]["peak_rss_mb"] for s in sides), ""],
        ["model load + warm-up (s)", *(results[s]["model_load_s"] for s in sides), "untimed"],
        ["torch threads", *(results[s]["torch_threads"] for s in sides), ""],
    ]
    print(table(["", *(names[s] for s in sides), "goal (project vs baseline)"], rows, 3))
    print()
    for side in sides:
        print(f"{names[side]}: {results[side]['notes']}")
    print(
        "\nAccuracy rules: the eval harness's (assistant.eval.metrics). The baseline's answer "
        f"is its top passage; it never refuses, so the {project['unanswerable']} unanswerable "
        f"questions (of {project['questions']}) all count as wrong for it, and a whole "
        "passage is credited whenever the "
        "expected figure appears anywhere in it (generous to the baseline, above all with "
        "4000-character chunks). The baseline sees the question only (no history). Latency "
        "is the wall time of one call from a warm second pass over the test set "
        "(project: Assistant.ask, which also composes a cited answer; baseline: "
        "similarity_search)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--side", choices=("project", "baseline", "lc600"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--mix", help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat-share",
        type=float,
        default=0.4,
        help="share of the repeat mix that are suggested questions",
    )
    parser.add_argument("--testset", type=Path, default=TESTSET, metavar="TESTSET.jsonl")
    parser.add_argument("--limit", type=int, help="first N questions only")
    parser.add_argument(
        "--latency-every", type=int, default=1, help="latency pass: every N-th question"
    )
    parser.add_argument(
        "--baseline-dtype",
        choices=("same", "fp32", "bf16"),
        default="same",
        help="model dtype of the baseline (same = the project's resolved model_dtype)",
    )
    parser.add_argument(
        "--baseline-threads",
        type=int,
        help="torch threads of the baseline (default: the library's, i.e. all cores)",
    )
    parser.add_argument(
        "--with-600", action="store_true", help="add the baseline at the project's chunk size"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    if args.side:
        run_side(args)
        return
    print(machine_line())
    sides = ["project", "baseline", *(["lc600"] if args.with_600 else [])]
    results: dict[str, dict[str, Any]] = {}
    with temp_dir("bench-lc-") as scratch:
        for side in sides:
            results[side] = spawn(side, args, scratch / f"{side}.json", scratch / "mix.json")
    print()
    compare(results)
    write_json(args.json, {"machine": machine_line(), "sides": results})


if __name__ == "__main__":
    main()
