"""`assistant eval TESTSET.jsonl`: score the assistant on a test set.

Runs in-process (loading the model and ``--index``) or against a running service with
``--api URL``; writes ``report.json`` and ``report.html`` to ``--report DIR`` (default
``reports/eval``), prints the metrics table, optionally compares with an earlier
``report.json`` (``--compare``) and enforces thresholds (``--gate``) for CI.

Gate file (JSON object)::

    {
      "answer_accuracy": 0.8,
      "refusal_rate": 0.8,
      "recall@5": 0.9,
      "false_refusal_rate_max": 0.1,
      "latency.total.p95_max": 1500,
      "per_type": {"numeric": {"answer_accuracy": 0.7}}
    }

A key names an overall metric of the report (``answer_accuracy``, ``recall@1``,
``recall@5``, ``recall@10``, ``mrr``, ``citation_precision``, ``citation_recall``,
``refusal_rate``, ``false_refusal_rate``, ``errors``, ``total_wall_s``,
``latency.<stage>.p50|p95``). By default the value is a minimum; the suffix ``_max``
makes it a maximum (for rates where lower is better, latencies, errors) and ``_min``
states a minimum explicitly. ``per_type`` holds the same kind of object per question
type. A gated metric that could not be measured (say, ``refusal_rate`` with no
unanswerable question selected) fails the gate: a gate must never pass by accident.
Exit status: 0 when every threshold holds, 1 when one does not (each is listed), 2 on
errors (bad test set, bad gate file, model or service unavailable).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from assistant.cli import add_index_option, settings_from
from assistant.core.config import Settings
from assistant.core.errors import AssistantError
from assistant.eval.metrics import RECALL_KS
from assistant.eval.report import (
    build_report,
    compare,
    format_table,
    load_json,
    write_html,
    write_json,
)
from assistant.eval.runner import (
    API_KEY_ENV,
    ApiBackend,
    Backend,
    InProcessBackend,
    config_snapshot,
    run,
)
from assistant.eval.testset import load_testset, select

logger = logging.getLogger(__name__)

DEFAULT_REPORT_DIR = Path("reports/eval")
GATE_METRICS = frozenset(
    {
        "questions",
        "answerable",
        "unanswerable",
        "errors",
        "answer_accuracy",
        *(f"recall@{k}" for k in RECALL_KS),
        "mrr",
        "citation_precision",
        "citation_recall",
        "refusal_rate",
        "false_refusal_rate",
        "total_wall_s",
    }
)
_LATENCY_RE = re.compile(r"latency\.[\w.-]+\.p(?:50|95)")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score answers, retrieval and citations on a test set (.jsonl)",
        description=(__doc__ or "").split("\n", 1)[-1].replace("``", ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("testset", type=Path, metavar="TESTSET.jsonl")
    add_index_option(parser)
    parser.add_argument("--api", metavar="URL", help="evaluate a running service instead")
    parser.add_argument(
        "--api-key", metavar="KEY", help=f"API key for --api (default: ${API_KEY_ENV})"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per API call")
    parser.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        metavar="DIR",
        help=f"where report.json and report.html go (default: {DEFAULT_REPORT_DIR})",
    )
    parser.add_argument("--compare", type=Path, metavar="OLD.json", help="earlier report.json")
    parser.add_argument("--limit", type=int, metavar="N", help="first N questions only")
    parser.add_argument(
        "--type",
        action="append",
        metavar="T",
        help="only questions of this type (repeat or comma-separate for several)",
    )
    parser.add_argument("--gate", type=Path, metavar="THRESHOLDS.json", help="fail below these")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(handler=run_eval)


# ---------------------------------------------------------------------------------------
# gate


def _split_key(key: str) -> tuple[str, str]:
    for suffix, bound in (("_max", "max"), ("_min", "min")):
        if key.endswith(suffix):
            return key[: -len(suffix)], bound
    return key, "min"


def _check_names(thresholds: dict[str, Any], where: str) -> None:
    for key, value in thresholds.items():
        metric, _ = _split_key(key)
        if metric not in GATE_METRICS and not _LATENCY_RE.fullmatch(metric):
            known = ", ".join(sorted(GATE_METRICS))
            raise AssistantError(
                f"gate{where}: unknown metric {key!r} (known: {known}, latency.<stage>.p50|p95)"
            )
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise AssistantError(f"gate{where}: {key!r} must be a number, not {value!r}")


def load_gate(path: Path) -> dict[str, Any]:
    """Read and validate a thresholds file (see the module docstring for the format)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise AssistantError(f"cannot read gate file {path}: {err}") from err
    if not isinstance(data, dict):
        raise AssistantError(f"gate file {path} must hold a JSON object")
    per_type = data.get("per_type", {})
    if not isinstance(per_type, dict) or not all(isinstance(v, dict) for v in per_type.values()):
        raise AssistantError(f"gate file {path}: 'per_type' must map types to objects")
    _check_names({k: v for k, v in data.items() if k != "per_type"}, "")
    for name, thresholds in per_type.items():
        _check_names(thresholds, f"[{name}]")
    return data


def _violations(summary: dict[str, Any], thresholds: dict[str, Any], label: str) -> list[str]:
    found = []
    for key, limit in thresholds.items():
        metric, bound = _split_key(key)
        value = summary.get(metric)
        if value is None:
            found.append(f"{label}{metric}: not measured (threshold {bound} {limit})")
        elif bound == "min" and value < limit:
            found.append(f"{label}{metric} = {value:.4g} < {limit} (minimum)")
        elif bound == "max" and value > limit:
            found.append(f"{label}{metric} = {value:.4g} > {limit} (maximum)")
    return found


def check_gate(metrics: dict[str, Any], gate: dict[str, Any]) -> list[str]:
    """One line per threshold that does not hold (empty when the gate passes)."""
    overall = {k: v for k, v in gate.items() if k != "per_type"}
    found = _violations(metrics["overall"], overall, "")
    for name, thresholds in gate.get("per_type", {}).items():
        summary = metrics["per_type"].get(name)
        if summary is None:
            found.append(f"[{name}]: no questions of this type")
            continue
        found += _violations(summary, thresholds, f"[{name}] ")
    return found


# ---------------------------------------------------------------------------------------
# running


def _types(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [t.strip() for value in values for t in value.split(",") if t.strip()]


def make_backend(args: argparse.Namespace, settings: Settings) -> tuple[Backend, dict[str, Any]]:
    """The backend to ask and the config snapshot describing it."""
    if args.api:
        if args.index:
            logger.warning("--index is ignored with --api: the service uses its own index")
        backend = ApiBackend(
            args.api, args.api_key or os.environ.get(API_KEY_ENV), timeout_s=args.timeout
        )
        config = config_snapshot(settings)
        config["source"] = "local settings (the service's may differ)"
        config["api"] = args.api
        return backend, config
    try:
        from assistant.answer.assistant import Assistant
    except ModuleNotFoundError as err:
        if err.name != "assistant.answer.assistant":
            raise
        raise AssistantError(
            "in-process evaluation needs assistant.answer.assistant; use --api URL"
        ) from err
    from assistant.embed.provision import ModelNotAvailableError

    try:
        assistant = Assistant.from_settings(settings)
    except ModelNotAvailableError as err:
        raise AssistantError(str(err)) from err
    dim = getattr(getattr(assistant, "embedder", None), "dim", None)
    config = config_snapshot(settings, dim if isinstance(dim, int) else None)
    config["index_dir"] = str(settings.index_dir)
    return InProcessBackend(assistant), config


def _load_previous(path: Path) -> dict[str, Any]:
    """The --compare report, read before the run so a typo fails in seconds, not minutes."""
    try:
        return load_json(path)
    except (OSError, ValueError) as err:
        raise AssistantError(f"cannot use {path} for --compare: {err}") from err


def run_eval(args: argparse.Namespace) -> int:
    items = load_testset(args.testset)
    chosen = select(items, _types(args.type), args.limit)
    if not chosen:
        raise AssistantError(f"no question of {args.testset} matches --type {args.type}")
    gate = load_gate(args.gate) if args.gate else None
    old_report = _load_previous(args.compare) if args.compare else None
    settings = settings_from(args)
    backend, config = make_backend(args, settings)
    logger.info("Evaluating %d of %d questions (%s)", len(chosen), len(items), backend.name)
    try:
        result = run(chosen, backend, progress=not args.no_progress and sys.stderr.isatty())
    finally:
        close = getattr(backend, "close", None)
        if callable(close):
            close()
    report = build_report(result, config, testset=str(args.testset))
    json_path = write_json(report, args.report / "report.json")
    html_path = write_html(report, args.report / "report.html")
    logger.info("Wrote %s and %s", json_path, html_path)

    sys.stdout.write(format_table(report))
    if old_report is not None:
        sys.stdout.write(f"\ncompared with {args.compare}:\n")
        compare(old_report, report, out=sys.stdout)
    if gate is None:
        return 0
    violations = check_gate(report["metrics"], gate)
    if violations:
        sys.stdout.write("\ngate FAILED:\n" + "".join(f"  {v}\n" for v in violations))
        return 1
    sys.stdout.write("\ngate passed\n")
    return 0
