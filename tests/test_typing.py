"""The type checker passes on ``src/`` (mypy, strict; configuration in pyproject.toml).

Run as a test so that CI, which runs the README's test command, checks the types too.
mypy is a dev dependency: without it this test fails rather than skips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_strict_passes_on_src() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],  # files, strictness and plugins: pyproject.toml
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout
