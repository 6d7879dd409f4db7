"""The quality gate CI enforces: the test split of the project's questions
(eval/test.jsonl, never tuned on), scored by `assistant eval` on the sample corpus plus
the synthetic portal corpus, must meet eval/thresholds.json, which was fitted on the
figures of that split (raise the thresholds as the system improves; never lower them to
make a change pass)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.model, pytest.mark.slow]


def test_testset_meets_the_thresholds(sample_index_dir: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "-q",
            "eval",
            str(ROOT / "eval" / "test.jsonl"),
            "--index",
            str(sample_index_dir),
            "--report",
            str(tmp_path),
            "--gate",
            str(ROOT / "eval" / "thresholds.json"),
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    sys.stdout.write(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["overall"]["questions"] >= 80
    assert (tmp_path / "report.html").exists()
