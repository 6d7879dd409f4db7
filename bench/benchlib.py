"""Helpers shared by the benchmark scripts: paths, statistics, memory, tables, JSON.

The scripts are run as ``python bench/<name>.py``, which puts this folder first on
``sys.path``; that is how they import this module (the smoke test adds it too). Nothing
here times anything by itself: each script decides what a fair measurement is.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from assistant.eval.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (ROOT / "corpus" / "sample", ROOT / "corpus" / "synthetic")
TESTSET = ROOT / "eval" / "test.jsonl"


def p50(values: Sequence[float]) -> float:
    """Median (NaN for no values, so a table shows a gap instead of crashing)."""
    return float(statistics.median(values)) if values else float("nan")


def p95(values: Sequence[float]) -> float:
    """95th percentile with linear interpolation, the eval harness's definition."""
    found = percentile(list(values), 95)
    return float("nan") if found is None else found


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN when the denominator is zero or missing."""
    if not denominator or denominator != denominator:
        return float("nan")
    return numerator / denominator


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, MiB (getrusage; KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_mb() -> float:
    """Current resident memory of this process, MiB."""
    return psutil.Process().memory_info().rss / (1024 * 1024)


def machine_line() -> str:
    """What the figures were measured on (they are meaningless without it)."""
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {sys.version.split()[0]}"
    )


def torch_threads() -> int:
    """Intra-op threads torch uses now. Worth printing: the project's vector module sets
    FAISS's OpenMP threads to 1 when imported, and torch shares that runtime; when torch
    was initialised first, the model then runs on one core."""
    import torch

    return int(torch.get_num_threads())


def fmt(value: object, digits: int = 1) -> str:
    """A table cell: floats rounded, NaN/None as '-'."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if value != value:
            return "-"
        return f"{value:,.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], digits: int = 1) -> str:
    """A plain-text table with right-aligned columns (the first left-aligned)."""
    cells = [[fmt(c, digits) for c in row] for row in rows]
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in cells)) if cells else len(headers[i])
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        first = values[0].ljust(widths[0])
        rest = [v.rjust(w) for v, w in zip(values[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def write_json(path: Path | None, data: dict[str, Any]) -> None:
    """Write ``data`` as indented JSON when ``--json PATH`` was given."""
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"\nwrote {path}")


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder removed afterwards (indexes built by a benchmark are scratch)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        yield Path(name)


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call, by the monotonic high-resolution clock."""
    import time

    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result
