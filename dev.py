#!/usr/bin/env python3
"""Set up and run the assistant with nothing but ``python3`` on the machine.

    python3 dev.py run    # venv + dependencies + model + sample index, then serve :8000
    python3 dev.py test   # venv + dependencies + model (+ its int8 question encoder),
                          # then the whole test suite

Both are idempotent: the virtual environment is re-installed only when pyproject.toml
changes, the model is fetched once into the user's cache, and re-ingesting the unchanged
sample corpus embeds nothing. Extra arguments after ``test`` go to pytest; after ``run``,
to ``assistant serve``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("ASSISTANT_VENV", ROOT / ".venv"))
STAMP = VENV / ".installed"
# torch first and pinned: an unpinned resolution would pull a multi-GB CUDA build.
TORCH = "torch==2.13.0"


def _bin(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def _run(*cmd: str, **kwargs: object) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def ensure_venv() -> None:
    """Create the venv and install the project with its dev extra, once per pyproject."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not Path(_bin("python")).exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [_bin("python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    _run(*pip, "--upgrade", "pip")
    _run(*pip, TORCH)
    _run(*pip, "-e", f"{ROOT}[dev]")
    STAMP.write_text(wanted)


def ensure_model() -> None:
    _run(_bin("assistant"), "models", "fetch")


def ensure_int8_encoder() -> None:
    """The OpenVINO int8 question encoder, exported once beside the model: its tests
    check it against the fp32 model (a few minutes the first time, then a quick check)."""
    _run(_bin("assistant"), "models", "prepare", "--backend", "openvino-int8")


def ensure_sample_index() -> None:
    _run(_bin("assistant"), "ingest", str(ROOT / "corpus" / "sample"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    ensure_model()
    if command == "test":
        ensure_int8_encoder()
        done = subprocess.run([_bin("python"), "-m", "pytest", *rest], cwd=ROOT)
        return done.returncode
    ensure_sample_index()
    print("Starting the assistant at http://127.0.0.1:8000 (Ctrl+C to stop)", flush=True)
    os.execv(_bin("assistant"), [_bin("assistant"), "serve", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
