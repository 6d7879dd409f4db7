"""Fit the refusal thresholds on the dev split (never on test).

    .venv/bin/python eval/calibrate.py eval/dev.jsonl --index DIR

Asks every question once with the refusal thresholds disabled, records the support of
the answer it would give (score, coverage, similarity) and whether that answer is right,
then searches the thresholds that maximise accuracy (refusing is right for unanswerable
questions, wrong for answerable ones). Prints the best few settings; copy the chosen
values into ``src/assistant/core/tuning.py``.
"""

from __future__ import annotations

import argparse
import itertools
import logging
from pathlib import Path

from assistant.answer.assistant import Assistant
from assistant.core.config import get_settings
from assistant.eval.metrics import score_answer
from assistant.eval.testset import load_testset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("testset", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    base = get_settings(index_dir=args.index)
    open_tuning = base.tuning.model_copy(
        update={
            "refusal_threshold": -9.0,
            "min_coverage": 0.0,
            "english_min_similarity": -9.0,
            "similarity_alone": -9.0,
        }
    )
    settings = base.model_copy(update={"tuning": open_tuning})
    assistant = Assistant.from_settings(settings)
    rows = []
    for item in load_testset(args.testset):
        answer = assistant.ask(item.question, item.history, item.filters)
        result = score_answer(item, answer)
        right_if_answered = (not item.unanswerable) and result.correct
        support = answer.support or {}
        rows.append(
            (
                item.unanswerable,
                right_if_answered,
                answer.answerable,
                support.get("score", -9.0),
                support.get("coverage", 0.0),
                support.get("similarity", -9.0),
                item.type == "english",
            )
        )
    grid = []
    for threshold, coverage, english, alone in itertools.product(
        [x / 100 for x in range(20, 90, 4)],
        [x / 100 for x in range(0, 40, 4)],
        [x / 100 for x in range(30, 70, 4)],
        [x / 100 for x in range(50, 100, 3)],
    ):
        right = 0
        for unanswerable, good, answerable, score, cov, sim, is_english in rows:
            if not answerable:
                answered = False
            elif is_english:
                answered = sim >= english
            else:
                answered = (score >= threshold and cov >= coverage) or sim >= alone
            right += (not answered) if unanswerable else (answered and good)
        grid.append((right / len(rows), threshold, coverage, english, alone))
    grid.sort(key=lambda g: (-g[0], g[1], g[2], g[3], -g[4]))
    print(
        f"{len(rows)} questions; accuracy, refusal_threshold, min_coverage, "
        "english_min_similarity, similarity_alone"
    )
    for row in grid[:15]:
        print("  {:.3f}  {:.2f}  {:.2f}  {:.2f}  {:.2f}".format(*row))
    print("best without the similarity-alone rule:")
    for row in [g for g in grid if g[4] >= 0.98][:5]:
        print("  {:.3f}  {:.2f}  {:.2f}  {:.2f}  {:.2f}".format(*row))
    current = base.tuning
    # the landscape around the current English setting, without the similarity-alone
    # rule: a plateau is worth moving to, a lone spike is noise
    english_now = min({g[3] for g in grid}, key=lambda e: abs(e - current.english_min_similarity))
    table = {(g[1], g[2]): g[0] for g in grid if g[4] >= 0.98 and g[3] == english_now}
    thresholds = sorted({t for t, _ in table})
    coverages = sorted({c for _, c in table})
    print("accuracy by refusal_threshold (rows) and min_coverage (columns):")
    print("       " + " ".join(f"{c:5.2f}" for c in coverages))
    for t in thresholds:
        print(f"  {t:.2f} " + " ".join(f"{table[(t, c)]:5.3f}" for c in coverages))
    print(
        "current:",
        current.refusal_threshold,
        current.min_coverage,
        current.english_min_similarity,
        current.similarity_alone,
    )


if __name__ == "__main__":
    main()
