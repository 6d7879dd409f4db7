"""The quality gate CI enforces: the test split of the project's questions
(eval/test.jsonl, never tuned on), scored by `assistant eval` on the sample corpus plus
the synthetic portal corpus, must meet eval/thresholds.json, which was fitted on the
figures of that split (raise the thresholds as the system improves; never lower them to
make a change pass)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.text.places import FOREIGN_NAMES, NATIONAL_KEY, VIETNAM_PROVINCES
from assistant.text.vietnamese import fold

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.model, pytest.mark.slow]


def _eval(testset: str, index: Path, report: Path, *options: str) -> dict[str, Any]:
    """``assistant eval`` of one split of eval/ in a process of its own; its JSON report."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "-q",
            "eval",
            str(ROOT / "eval" / testset),
            "--index",
            str(index),
            "--report",
            str(report),
            *options,
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    sys.stdout.write(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    data: dict[str, Any] = json.loads((report / "report.json").read_text(encoding="utf-8"))
    return data


def test_testset_meets_the_thresholds(sample_index_dir: Path, tmp_path: Path) -> None:
    gate = str(ROOT / "eval" / "thresholds.json")
    report = _eval("test.jsonl", sample_index_dir, tmp_path, "--gate", gate)
    assert report["metrics"]["overall"]["questions"] >= 80
    assert (tmp_path / "report.html").exists()
    assert _broken_phrases(report) == []


def test_dev_refusals_name_whole_phrases(sample_index_dir: Path, tmp_path: Path) -> None:
    assert _broken_phrases(_eval("dev.jsonl", sample_index_dir, tmp_path)) == []


def _broken_phrases(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Phrases a refusal quotes (“…”) that are not a run of whole words of what the reader
    asked (the question, or its rewrite with the conversation) nor a known place's name.
    (Whether a run is a whole word group, "Chủ tịch" rather than "Chủ", is left to the
    unit tests of the messages: the reference corpus is too small to tell.)"""
    broken = []
    for result in report["results"]:
        if not result["refused"] or not result.get("message"):
            continue
        asked = f"{result['question']} {result.get('query') or ''}"
        for phrase in re.findall(r"“([^”]+)”", result["message"]):
            key = fold(phrase).lower()
            if key in VIETNAM_PROVINCES or key in FOREIGN_NAMES or key == NATIONAL_KEY:
                continue
            if not _words_in(phrase, asked):
                broken.append((result["id"], phrase))
    return broken


def _words(text: str) -> list[str]:
    return re.findall(r"[\w-]+", fold(text).lower())


def _words_in(phrase: str, text: str) -> bool:
    return f" {' '.join(_words(phrase))} " in f" {' '.join(_words(text))} "
