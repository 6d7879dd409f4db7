"""Reports of the evaluation harness: table, JSON, self-contained HTML, comparison."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from assistant.answer.types import Answer, Citation
from assistant.core.types import Passage
from assistant.eval.metrics import QuestionResult, score_answer
from assistant.eval.report import (
    build_report,
    compare,
    format_table,
    load_json,
    render_html,
    write_html,
    write_json,
)
from assistant.eval.runner import RunResult
from assistant.eval.testset import parse_item

EVIDENCE = "tổng giá trị xuất khẩu giai đoạn 2016-2020 đạt 14.081,67 triệu USD"
CONFIG = {
    "chunk_size": 600,
    "chunk_overlap": 100,
    "fusion": "rrf",
    "rrf_k": 60,
    "dense_weight": 0.6,
    "refusal_threshold": 0.5,
    "model": "m",
    "embedding_dim": 768,
}


def _answer(text: str, answerable: bool = True, total: float = 100.0) -> Answer:
    passage = Passage(
        chunk_id=1,
        doc_id="doc<1>",
        title="Xuất & nhập",
        text="Năm 2020, " + EVIDENCE,
        start=0,
        end=10,
    )
    quote = EVIDENCE if answerable else ""
    return Answer(
        answer=text,
        answerable=answerable,
        mode="extractive",
        query=text,
        citations=[
            Citation(
                n=1, doc_id="doc<1>", title="Xuất & nhập", quote=quote, start=0, end=len(quote)
            )
        ]
        if quote
        else [],
        passages=[passage],
        timings_ms={"embed": total / 4, "retrieve": total / 4, "total": total},
    )


def _result(qid: str, kind: str, right: bool, question: str = "Xuất khẩu?") -> QuestionResult:
    item = parse_item(
        {
            "id": qid,
            "question": question,
            "type": kind,
            "any_of": ["14.081,67"],
            "evidence": EVIDENCE,
        }
    )
    text = "Đạt 14.081,67 triệu USD [1]." if right else "Đạt <b>13 & 14</b> [1]."
    return score_answer(item, _answer(text, total=80.0 + 10 * len(qid)), wall_ms=120.0)


def _report(results: list[QuestionResult], config: dict[str, Any] | None = None) -> dict[str, Any]:
    run = RunResult(
        results=results, wall_s=4.2, started_at="2024-01-01T00:00:00+00:00", backend="in-process"
    )
    return build_report(run, config or CONFIG, "eval/test.jsonl")


def test_table_has_overall_and_per_type_rows_aligned() -> None:
    report = _report([_result("a", "numeric", True), _result("bb", "name", False)])
    table = format_table(report)
    lines = table.splitlines()
    header, overall, name_row, numeric_row = lines[:4]
    assert header.split()[:3] == ["n", "acc", "R@1"]
    assert overall.split()[:3] == ["overall", "2", "0.500"]
    assert name_row.split()[:3] == ["name", "1", "0.000"]
    assert numeric_row.split()[:3] == ["numeric", "1", "1.000"]
    # right-aligned numeric columns: every row of the main table ends at the same column
    assert len({len(line) for line in lines[:4]}) == 1
    assert "latency (ms)" in table and re.search(r"^total\s+\S+\s+\S+$", table, re.M)
    assert "total wall time: 4.2 s for 2 questions" in table
    assert "-" in overall.split()  # refusal rate not measured: no unanswerable question


def test_json_report_has_metrics_results_and_config(tmp_path: Path) -> None:
    report = _report([_result("a", "numeric", True)])
    path = write_json(report, tmp_path / "out" / "report.json")
    loaded = load_json(path)
    assert loaded["config"] == CONFIG
    assert loaded["metrics"]["overall"]["answer_accuracy"] == 1.0
    assert loaded["metrics"]["overall"]["total_wall_s"] == 4.2
    assert loaded["results"][0]["id"] == "a"
    assert loaded["results"][0]["passages"][0]["text"].endswith(EVIDENCE)
    assert "14.081,67" in path.read_text(encoding="utf-8")  # not \\u-escaped


def test_html_is_self_contained_and_escapes_everything(tmp_path: Path) -> None:
    evil = "<script>alert('x')</script> xuất khẩu?"
    report = _report([_result("a", "numeric", True), _result("b", "<type>", False, question=evil)])
    page = render_html(report)
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;13 &amp; 14&lt;/b&gt;" in page  # the answer given
    assert "doc&lt;1&gt;" in page and "Xuất &amp; nhập" in page  # passages
    assert "&lt;type&gt;" in page
    assert page.count("<svg") == 2  # accuracy bars and latency distribution
    assert not re.search(r"<(link|img|iframe|object)\b", page)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "@import" not in page and "url(" not in page
    assert "Failures (1)" in page and "14.081,67" in page  # expected strings shown
    write_html(report, tmp_path / "report.html")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == page


def test_html_without_failures_or_timings() -> None:
    result = _result("a", "numeric", True)
    result.timings_ms, result.wall_ms = {}, None
    page = render_html(_report([result]))
    assert "Failures (0)" in page and "No timings recorded." in page


def test_compare_prints_old_new_and_delta(tmp_path: Path) -> None:
    old = _report([_result("a", "numeric", True), _result("bb", "numeric", False)])
    new = _report(
        [_result("a", "numeric", True), _result("bb", "numeric", True)],
        {**CONFIG, "chunk_size": 800},
    )
    new["metrics"]["overall"]["latency.total.p50"] = 50.0
    path = write_json(old, tmp_path / "old.json")
    out = io.StringIO()
    text = compare(path, new, out=out)
    assert out.getvalue() == text
    acc = next(line for line in text.splitlines() if line.startswith("answer_accuracy "))
    assert acc.split() == ["answer_accuracy", "0.500", "→", "1.000", "+0.500", "better"]
    lat = next(line for line in text.splitlines() if line.startswith("latency.total.p50"))
    assert lat.split()[-1] == "better" and lat.split()[-2].startswith("-")
    numeric = next(line for line in text.splitlines() if "answer_accuracy[numeric]" in line)
    assert numeric.split()[-2:] == ["+0.500", "better"]
    unchanged = next(line for line in text.splitlines() if line.startswith("questions"))
    assert unchanged.split() == ["questions", "2", "→", "2", "0"]
    assert "chunk_size: 600 → 800" in text


def test_compare_handles_metrics_missing_on_one_side() -> None:
    old = _report([_result("a", "numeric", True)])
    new = json.loads(json.dumps(old))
    new["metrics"]["overall"]["refusal_rate"] = 0.9
    old["metrics"]["overall"].pop("mrr")
    text = compare(old, new)
    assert re.search(r"^refusal_rate\s+-\s+→\s+0\.900\s*$", text, re.M)
    assert re.search(r"^mrr\s+-\s+→\s+1\.000\s*$", text, re.M)


def test_svg_charts_are_well_formed_xml() -> None:
    report = _report([_result("a", "numeric", True), _result("b", "<&>", False)])
    page = render_html(report)
    svgs = re.findall(r"<svg\b.*?</svg>", page, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        root = ElementTree.fromstring(svg)
        assert root.tag.endswith("svg") and len(root) > 3


def test_compare_gives_no_verdict_below_display_precision() -> None:
    old = _report([_result("a", "numeric", True)])
    new = json.loads(json.dumps(old))
    new["metrics"]["overall"]["latency.total.p50"] += 0.04
    new["metrics"]["overall"]["latency.total.p95"] -= 0.2
    lines = compare(old, new).splitlines()
    p50 = next(line for line in lines if line.startswith("latency.total.p50"))
    p95 = next(line for line in lines if line.startswith("latency.total.p95"))
    assert p50.split()[-1] == "0.0"
    assert p95.split()[-2:] == ["-0.2", "better"]
