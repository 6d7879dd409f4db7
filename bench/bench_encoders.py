"""Question encoders side by side: the PyTorch model against its prepared exports.

Why: a warm question's time is the question embedding; ``model_backend`` may only move
away from ``torch`` when an export is faster *and* gives the same vectors. In one process,
with the PyTorch fp32 model as the reference:

* **latency**: one question at a time (what a reader waits for), the backends taking
  turns question by question (the first one rotating), p50/p95 per backend and the ratio
  of p50s to torch fp32;
* **agreement**: cosine of every backend's question vector to fp32's, min and mean, on
  the project's questions (``eval/test.jsonl`` + ``eval/dev.jsonl``, the query prompt
  included, as ``Assistant.ask`` embeds them);
* **memory**: resident memory before anything is loaded, after the PyTorch model (which
  stays loaded in every configuration: documents are embedded by it) and after each
  export is loaded on top (the export's own cost), plus the peak.

Exports must be prepared first (``assistant models prepare --backend B``); a backend that
is not prepared is reported and skipped.

Usage: python bench/bench_encoders.py [--backends openvino,openvino-int8] [--rounds 2]
       [--every 1] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from benchlib import (
    ROOT,
    machine_line,
    p50,
    p95,
    peak_rss_mb,
    ratio,
    rss_mb,
    table,
    torch_threads,
    write_json,
)

from assistant.core.config import get_settings
from assistant.embed.encoders import EncoderNotReadyError, cosines
from assistant.embed.sentence_transformer import SentenceTransformerEmbedder
from assistant.eval.testset import load_testset


def questions(every: int) -> list[str]:
    """The project's questions (test, then dev split), every ``every``-th."""
    items = [
        *load_testset(ROOT / "eval" / "test.jsonl"),
        *load_testset(ROOT / "eval" / "dev.jsonl"),
    ]
    return [item.question for item in items][:: max(1, every)]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backends", default="openvino,openvino-int8")
    parser.add_argument("--rounds", type=int, default=2, help="latency rounds over the questions")
    parser.add_argument("--every", type=int, default=1, help="every N-th question (1 = all)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    args = parser.parse_args()
    print(machine_line())
    settings = get_settings().model_copy(update={"model_dtype": "fp32", "model_backend": "torch"})
    texts = questions(args.every)
    memory: dict[str, float] = {"start": rss_mb()}
    reference = SentenceTransformerEmbedder(settings)
    started = time.perf_counter()
    expected = reference.embed_queries(texts)
    memory["torch fp32"] = rss_mb()
    print(
        f"torch fp32 loaded, {len(texts)} questions embedded: {time.perf_counter() - started:.0f} s"
    )
    encoders: dict[str, SentenceTransformerEmbedder] = {"torch fp32": reference}
    agreement: dict[str, np.ndarray] = {}
    skipped: dict[str, str] = {}
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        embedder = SentenceTransformerEmbedder(
            settings.model_copy(update={"model_backend": backend})
        )
        before = rss_mb()
        try:
            vectors = embedder.embed_queries(texts)
        except EncoderNotReadyError as err:
            skipped[backend] = str(err)
            print(f"{backend}: skipped: {err}")
            continue
        memory[backend] = rss_mb() - before
        agreement[backend] = cosines(vectors, expected)
        encoders[backend] = embedder
    latency: dict[str, list[float]] = {name: [] for name in encoders}
    names = list(encoders)
    for number in range(args.rounds):
        for position, text in enumerate(texts):
            shift = (number + position) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                encoders[name].embed_queries([text])
                latency[name].append((time.perf_counter() - started) * 1000)
    base = p50(latency["torch fp32"])
    rows: list[list[object]] = []
    for name in names:
        cos = agreement.get(name)
        rows.append(
            [
                name,
                p50(latency[name]),
                p95(latency[name]),
                ratio(p50(latency[name]), base),
                float(cos.min()) if cos is not None else 1.0,
                float(cos.mean()) if cos is not None else 1.0,
                memory[name] - (memory["start"] if name == "torch fp32" else 0.0),
            ]
        )
    print(
        f"\n{len(texts)} questions x {args.rounds} rounds, one question per call; torch "
        f"threads {torch_threads()}; model {reference.key}"
    )
    print(
        table(
            ["backend", "p50 ms", "p95 ms", "vs torch fp32", "cos min", "cos mean", "+RSS MiB"],
            rows,
            3,
        )
    )
    print(
        f"\nRSS: {memory['start']:.0f} MiB before loading, {memory['torch fp32']:.0f} MiB with "
        f"the PyTorch model; +RSS of an export is measured on top of it. Peak "
        f"{peak_rss_mb():.0f} MiB. Agreement goal: cos min >= 0.99."
    )
    write_json(
        args.json,
        {
            "machine": machine_line(),
            "questions": len(texts),
            "latency_ms": latency,
            "cosine": {k: v.tolist() for k, v in agreement.items()},
            "rss_mb": memory,
            "peak_rss_mb": peak_rss_mb(),
            "skipped": skipped,
        },
    )


if __name__ == "__main__":
    main()
