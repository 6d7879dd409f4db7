"""Reports of a run: a plain-text table, a JSON file, a self-contained HTML page, and a
comparison with an earlier JSON report.

The JSON report is the record (metrics, every question's result, the settings that
produced them), so two runs can be compared later; the HTML page is for reading failures
and has no external assets or scripts, so it can be attached to a CI run or mailed as is.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from assistant.eval.metrics import RECALL_KS, QuestionResult, aggregate, percentile
from assistant.eval.runner import RunResult

REPORT_VERSION = 1

# (metric key, column title, kind) in table order; kind drives formatting.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("questions", "n", "count"),
    ("answer_accuracy", "acc", "rate"),
    *((f"recall@{k}", f"R@{k}", "rate") for k in RECALL_KS),
    ("mrr", "MRR", "rate"),
    ("citation_precision", "cit.P", "rate"),
    ("citation_recall", "cit.R", "rate"),
    ("refusal_rate", "refuse", "rate"),
    ("false_refusal_rate", "false-ref", "rate"),
    ("latency.total.p50", "p50 ms", "ms"),
    ("latency.total.p95", "p95 ms", "ms"),
    ("errors", "err", "count"),
)

# Metrics where a smaller value is the better one.
LOWER_IS_BETTER_PREFIXES = ("latency.", "false_refusal_rate", "errors", "total_wall_s")


# ---------------------------------------------------------------------------------------
# building and saving


def build_report(run: RunResult, config: dict[str, Any], testset: str) -> dict[str, Any]:
    """The JSON-ready report: metrics, per-question results and the config snapshot."""
    metrics = aggregate(run.results)
    metrics["overall"]["total_wall_s"] = round(run.wall_s, 3)
    return {
        "version": REPORT_VERSION,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "started_at": run.started_at,
        "testset": testset,
        "backend": run.backend,
        **run.extra,
        "wall_s": round(run.wall_s, 3),
        "config": config,
        "metrics": metrics,
        "results": [r.to_dict() for r in run.results],
    }


def write_json(report: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_json(path: Path | str) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "metrics" not in data:
        raise ValueError(f"{path} is not an eval report (no 'metrics')")
    return data


def failures(report: dict[str, Any]) -> list[QuestionResult]:
    return [r for r in (QuestionResult.from_dict(d) for d in report.get("results", [])) if r.failed]


# ---------------------------------------------------------------------------------------
# terminal table


def fmt(value: Any, kind: str = "rate") -> str:
    """A metric as shown in tables: '-' when not measured."""
    if value is None:
        return "-"
    if kind == "count":
        return str(int(value))
    if kind == "ms":
        return f"{value:.1f}"
    return f"{value:.3f}"


def _kind(key: str) -> str:
    if key.startswith("latency.") or key.endswith("_ms"):
        return "ms"
    if key in ("questions", "answerable", "unanswerable", "errors"):
        return "count"
    if key.endswith("_s"):
        return "s"
    return "rate"


def _align(rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-align the first column, right-align the others."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_table(report: dict[str, Any]) -> str:
    """Overall and per-type metrics, then latency per stage, then the wall time."""
    metrics = report["metrics"]
    rows = [["", *(title for _, title, _ in COLUMNS)]]
    groups = [("overall", metrics["overall"])]
    groups += [(f"  {name}", summary) for name, summary in metrics["per_type"].items()]
    for label, summary in groups:
        rows.append([label, *(fmt(summary.get(key), kind) for key, _, kind in COLUMNS)])
    lines = _align(rows)

    overall = metrics["overall"]
    stages = [
        k[len("latency.") : -len(".p50")]
        for k in overall
        if k.startswith("latency.") and k.endswith(".p50")
    ]
    if stages:
        latency_rows = [["latency (ms)", "p50", "p95"]]
        latency_rows += [
            [
                stage,
                fmt(overall.get(f"latency.{stage}.p50"), "ms"),
                fmt(overall.get(f"latency.{stage}.p95"), "ms"),
            ]
            for stage in stages
        ]
        lines += ["", *_align(latency_rows)]
    if overall.get("other_article_rate") is not None:
        lines += [
            "",
            f"answers citing an article other than the evidence's: "
            f"{overall['other_article_rate']:.3f}; citing an article about a place not "
            f"asked: {overall.get('out_of_scope_answers', 0)}",
        ]
    if overall.get("lead_rate") is not None:
        precision = overall.get("lead_precision")
        lines += [
            f"correct answers opening with the answer itself: {overall['lead_rate']:.3f}; "
            f"of those leads, holding an expected item: "
            + ("-" if precision is None else f"{precision:.3f}")
        ]
    wall = report.get("wall_s")
    if wall is not None:
        lines += ["", f"total wall time: {wall:.1f} s for {overall['questions']} questions"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# comparison


def _lower_is_better(key: str) -> bool:
    return key.startswith(LOWER_IS_BETTER_PREFIXES)


def compare_lines(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Per-metric ``old → new (delta)`` lines for the overall metrics, accuracy per type,
    and the settings that changed between the two runs."""
    old_all, new_all = old["metrics"]["overall"], new["metrics"]["overall"]
    keys = [*new_all, *(k for k in old_all if k not in new_all)]
    rows = [["metric", "old", "", "new", "delta", ""]]
    for key in keys:
        rows.append(_compare_row(key, old_all.get(key), new_all.get(key)))
    old_types, new_types = old["metrics"].get("per_type", {}), new["metrics"]["per_type"]
    for name in sorted(set(old_types) | set(new_types)):
        rows.append(
            _compare_row(
                f"answer_accuracy[{name}]",
                old_types.get(name, {}).get("answer_accuracy"),
                new_types.get(name, {}).get("answer_accuracy"),
                kind="rate",
            )
        )
    lines = _align(rows)
    old_cfg, new_cfg = old.get("config") or {}, new.get("config") or {}
    changed = [k for k in sorted(set(old_cfg) | set(new_cfg)) if old_cfg.get(k) != new_cfg.get(k)]
    if changed:
        lines.append("")
        lines.append("settings changed:")
        lines += [f"  {k}: {old_cfg.get(k)!r} → {new_cfg.get(k)!r}" for k in changed]
    return lines


def _compare_row(key: str, old: Any, new: Any, kind: str | None = None) -> list[str]:
    kind = kind or _kind(key)
    show = "ms" if kind == "ms" else ("rate" if kind == "s" else kind)
    if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
        return [key, fmt(old, show), "→", fmt(new, show), "", ""]
    delta = new - old
    shown = fmt(abs(delta), show)
    if shown == fmt(0, show):  # below display precision: no change worth a verdict
        return [key, fmt(old, show), "→", fmt(new, show), shown, ""]
    better = delta < 0 if _lower_is_better(key) else delta > 0
    sign = "+" if delta > 0 else "-"
    return [key, fmt(old, show), "→", fmt(new, show), sign + shown, "better" if better else "worse"]


def compare(
    old: dict[str, Any] | Path | str, new: dict[str, Any], out: TextIO | None = None
) -> str:
    """Compare a previous report (dict or JSON path) with a new one; the text is returned
    and, when ``out`` is given, written to it."""
    old_report = old if isinstance(old, dict) else load_json(old)
    text = "\n".join(compare_lines(old_report, new)) + "\n"
    if out is not None:
        out.write(text)
    return text


# ---------------------------------------------------------------------------------------
# HTML

_e = html.escape

_CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:0.5rem 0 1.5rem}
th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}
.fail{border:1px solid #e0b4b4;background:#fff6f6;padding:0.5rem 1rem;margin:0.75rem 0}
.fail h3{margin:0.25rem 0;font-size:1rem}
.passage{font-size:0.9rem;border-left:3px solid #ccc;padding-left:0.5rem;margin:0.4rem 0}
.passage.hit{border-left-color:#2a7}
.muted{color:#666}
dt{font-weight:600}
"""


def _bar_chart(per_type: dict[str, dict[str, Any]], overall: dict[str, Any]) -> str:
    """Horizontal bars of answer accuracy, one per type plus overall."""
    rows = [("overall", overall.get("answer_accuracy"))]
    rows += [(name, s.get("answer_accuracy")) for name, s in per_type.items()]
    label_w, bar_w, row_h = 160, 400, 24
    height = row_h * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 70}" '
        f'height="{height}" role="img" aria-label="answer accuracy per type">'
    ]
    for i, (name, value) in enumerate(rows):
        y = 10 + i * row_h
        width = 0.0 if value is None else max(0.0, min(1.0, value)) * bar_w
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{_e(name)}</text>"
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row_h - 6}" '
            f'fill="{"#4a7" if name != "overall" else "#357"}"/>'
        )
        parts.append(
            f'<text x="{label_w + width + 4:.1f}" y="{y + 15}" font-size="12">'
            f"{_e(fmt(value))}</text>"
        )
    axis_y = 10 + len(rows) * row_h
    for tick in (0.0, 0.5, 1.0):
        x = label_w + tick * bar_w
        parts.append(
            f'<line x1="{x:.1f}" y1="8" x2="{x:.1f}" y2="{axis_y}" stroke="#bbb" '
            'stroke-dasharray="2,2"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 14}" text-anchor="middle" font-size="11">'
            f"{tick:.1f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def latency_values(results: Sequence[QuestionResult]) -> list[float]:
    """Total ms per question (the assistant's own ``total``, else the harness's wall)."""
    values = []
    for r in results:
        value = r.timings_ms.get("total", r.wall_ms)
        if value is not None:
            values.append(float(value))
    return values


def _latency_chart(values: Sequence[float], bins: int = 20) -> str:
    """Histogram of total ms with a box plot (min, quartiles, max) above it."""
    if not values:
        return '<p class="muted">No timings recorded.</p>'
    width, left, plot_w, hist_h = 640, 40, 580, 140
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - low) / span * bins))] += 1
    top = max(counts)

    def x_of(v: float) -> float:
        return left + (v - low) / span * plot_w

    box_y, hist_top = 10, 50
    base = hist_top + hist_h
    q1, med, q3 = (percentile(values, q) or 0.0 for q in (25, 50, 75))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{base + 40}" '
        'role="img" aria-label="latency distribution">',
        f'<line x1="{x_of(low):.1f}" y1="{box_y + 12}" x2="{x_of(high):.1f}" '
        f'y2="{box_y + 12}" stroke="#555"/>',
        f'<rect x="{x_of(q1):.1f}" y="{box_y}" width="{max(1.0, x_of(q3) - x_of(q1)):.1f}" '
        f'height="24" fill="#cde" stroke="#357"/>',
        f'<line x1="{x_of(med):.1f}" y1="{box_y}" x2="{x_of(med):.1f}" y2="{box_y + 24}" '
        'stroke="#135" stroke-width="2"/>',
    ]
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        h = count / top * hist_h if top else 0
        parts.append(
            f'<rect x="{left + i * bar_w:.1f}" y="{base - h:.1f}" width="{bar_w - 1:.1f}" '
            f'height="{h:.1f}" fill="#79b"><title>{count}</title></rect>'
        )
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#555"/>')
    for v in (low, med, high):
        parts.append(
            f'<text x="{x_of(v):.1f}" y="{base + 16}" text-anchor="middle" font-size="11">'
            f"{v:.0f}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2}" y="{base + 34}" text-anchor="middle" font-size="12">'
        f"total ms per question (n={len(values)}; box: quartiles, line: median)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _metrics_table(metrics: dict[str, Any]) -> str:
    head = "".join(f"<th>{_e(title)}</th>" for _, title, _ in COLUMNS)
    rows = [f"<tr><th></th>{head}</tr>"]
    groups = [("overall", metrics["overall"]), *metrics["per_type"].items()]
    for name, summary in groups:
        cells = "".join(f"<td>{_e(fmt(summary.get(k), kind))}</td>" for k, _, kind in COLUMNS)
        rows.append(f"<tr><td>{_e(name)}</td>{cells}</tr>")
    return f"<table>{''.join(rows)}</table>"


def _failure(r: QuestionResult) -> str:
    expected = "; ".join(
        f"{key}: {' | '.join(value) if isinstance(value, list) else value}"
        for key, value in r.expected.items()
    )
    answer = r.answer if r.answerable else f"(refused) {r.message or r.answer}"
    items = [
        f'<div class="fail"><h3>{_e(r.id)} <span class="muted">[{_e(r.type)}]</span></h3><dl>',
        f"<dt>Question</dt><dd>{_e(r.question)}</dd>",
        f"<dt>Expected</dt><dd>{_e(expected)}</dd>",
    ]
    if r.missing:
        items.append(f"<dt>Missing</dt><dd>{_e(' | '.join(r.missing))}</dd>")
    if r.error:
        items.append(f"<dt>Error</dt><dd>{_e(r.error)}</dd>")
    else:
        items.append(f"<dt>Answer</dt><dd>{_e(answer)}</dd>")
    if r.evidence:
        rank = r.retrieval_rank if r.retrieval_rank is not None else "not retrieved"
        items.append(f"<dt>Evidence (rank {_e(str(rank))})</dt><dd>{_e(r.evidence)}</dd>")
    if r.passages:
        items.append("<dt>Top passages</dt><dd>")
        for p in r.passages:
            hit = " hit" if p.get("contains_evidence") else ""
            items.append(
                f'<div class="passage{hit}"><b>#{_e(str(p.get("rank")))} '
                f"{_e(str(p.get('title', '')))}</b> "
                f'<span class="muted">{_e(str(p.get("doc_id", "")))} · score '
                f"{_e(fmt(p.get('score')))}</span><br>{_e(str(p.get('text', '')))}</div>"
            )
        items.append("</dd>")
    items.append("</dl></div>")
    return "".join(items)


def render_html(report: dict[str, Any]) -> str:
    """A self-contained page: summary, charts (inline SVG), settings and failures."""
    metrics = report["metrics"]
    results = [QuestionResult.from_dict(d) for d in report.get("results", [])]
    failed = [r for r in results if r.failed]
    config_rows = "".join(
        f"<tr><td>{_e(str(k))}</td><td>{_e(str(v))}</td></tr>"
        for k, v in (report.get("config") or {}).items()
    )
    overall = metrics["overall"]
    stages = [k for k in overall if k.startswith("latency.")]
    latency_rows = "".join(
        f"<tr><td>{_e(k)}</td><td>{_e(fmt(overall[k], 'ms'))}</td></tr>" for k in stages
    )
    title = f"Evaluation — {report.get('testset', '')}"
    wall = report.get("wall_s")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="muted">started {_e(str(report.get("started_at", "")))} · backend '
        f"{_e(str(report.get('backend', '')))} · {len(results)} questions · "
        f"{_e(fmt(wall, 'ms') if wall is not None else '-')} s wall · "
        f"{len(failed)} failed</p>",
        "<h2>Metrics</h2>",
        _metrics_table(metrics),
        "<h2>Answer accuracy per type</h2>",
        _bar_chart(metrics["per_type"], overall),
        "<h2>Latency</h2>",
        _latency_chart(latency_values(results)),
        f"<table><tr><th>stage</th><th>ms</th></tr>{latency_rows}</table>",
        "<h2>Settings</h2>",
        f"<table><tr><th>setting</th><th>value</th></tr>{config_rows}</table>",
        f"<h2>Failures ({len(failed)})</h2>",
        *(_failure(r) for r in failed),
        "" if failed else '<p class="muted">None.</p>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_html(report: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
