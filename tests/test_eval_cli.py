"""`assistant eval` end to end: with a stand-in assistant (fast, always runs), against a
mocked HTTP service, and once against the real Assistant and model (marked ``model``;
skipped, saying why, when the model is not provisioned)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from needs import missing

from assistant.answer.types import Answer, Citation
from assistant.cli import eval as cli_eval
from assistant.cli import main
from assistant.core.config import Settings
from assistant.core.errors import AssistantError
from assistant.core.types import DocumentFilter, Passage
from assistant.eval.runner import (
    API_KEY_ENV,
    ApiBackend,
    InProcessBackend,
    RunAborted,
    answer_from_dict,
    run,
)
from assistant.eval.testset import parse_testset

EXPORTS = "tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD"
HERITAGE = "Thành Nhà Hồ được UNESCO công nhận là Di sản văn hóa thế giới năm 2011"

TESTSET = [
    {
        "id": "num-1",
        "question": "Xuất khẩu giai đoạn 2016-2020 đạt bao nhiêu?",
        "type": "numeric",
        "any_of": ["14.081,67"],
        "evidence": EXPORTS,
    },
    {
        "id": "name-1",
        "question": "Di sản nào của Thanh Hoá được UNESCO công nhận?",
        "type": "name",
        "any_of": ["Thành Nhà Hồ"],
        "evidence": HERITAGE,
    },
    {
        "id": "un-1",
        "question": "Dân số của tỉnh Thanh Hóa năm 2020 là bao nhiêu người?",
        "type": "unanswerable",
        "unanswerable": True,
    },
]


def write_testset(path: Path, records: list[dict[str, Any]] = TESTSET) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


class FakeAssistant:
    """Answers the export question right, the heritage one wrong, refuses the rest."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, Any]] = []

    def ask(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: DocumentFilter | None = None,
    ) -> Answer:
        self.calls.append((question, history, filters))
        passages = [
            Passage(chunk_id=1, doc_id="d", title="T", text=EXPORTS, start=0, end=len(EXPORTS)),
            Passage(chunk_id=2, doc_id="d", title="T", text=HERITAGE, start=0, end=90),
        ]
        timings = {"embed": 5.0, "retrieve": 2.0, "total": 10.0}
        if "Xuất khẩu" in question:
            cite = Citation(n=1, doc_id="d", title="T", quote=EXPORTS, start=0, end=len(EXPORTS))
            return Answer(
                "Đạt 14.081,67 triệu USD [1].",
                True,
                "extractive",
                question,
                [cite],
                passages,
                timings,
            )
        if "Di sản" in question:
            return Answer("Vịnh Hạ Long [1].", True, "extractive", question, [], passages, timings)
        return Answer("Không có thông tin.", False, "extractive", question, [], passages, timings)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeAssistant:
    assistant = FakeAssistant()

    def make_backend(args: Any, settings: Settings) -> tuple[InProcessBackend, dict[str, Any]]:
        return InProcessBackend(assistant), {"model": "fake", "top_k": settings.tuning.top_k}

    monkeypatch.setattr(cli_eval, "make_backend", make_backend)
    return assistant


# --- the command with a stand-in assistant ----------------------------------------------


def test_eval_writes_reports_and_prints_table(
    fake: FakeAssistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    code = main(["eval", str(testset), "--report", str(tmp_path / "r"), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[1].split()[:3] == ["overall", "3", "0.667"]
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in report["results"]] == ["num-1", "name-1", "un-1"]
    assert report["config"]["model"] == "fake"
    assert report["metrics"]["per_type"]["numeric"]["citation_recall"] == 1.0
    failed = [r for r in report["results"] if not r["correct"]]
    assert [(r["id"], r["answer"], r["expected"]) for r in failed] == [
        ("name-1", "Vịnh Hạ Long [1].", {"any_of": ["Thành Nhà Hồ"]})
    ]
    assert failed[0]["passages"][1]["text"] == HERITAGE  # the passages retrieved
    assert "Vịnh Hạ Long" in (tmp_path / "r" / "report.html").read_text(encoding="utf-8")


def test_type_and_limit_select_questions(fake: FakeAssistant, tmp_path: Path) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    args = ["eval", str(testset), "--report", str(tmp_path), "--no-progress"]
    assert main([*args, "--type", "name,unanswerable", "--limit", "1"]) == 0
    assert [q for q, _, _ in fake.calls] == [TESTSET[1]["question"]]


def test_gate_fails_listing_each_metric_below_threshold(
    fake: FakeAssistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    gate = tmp_path / "gate.json"
    gate.write_text(
        json.dumps(
            {
                "answer_accuracy": 0.8,
                "refusal_rate": 0.8,
                "recall@5": 0.9,
                "false_refusal_rate_max": 0.1,
                "latency.total.p95_max": 5,
                "per_type": {"name": {"answer_accuracy": 1.0}},
            }
        ),
        encoding="utf-8",
    )
    code = main(
        ["eval", str(testset), "--report", str(tmp_path), "--gate", str(gate), "--no-progress"]
    )
    out = capsys.readouterr().out
    assert code == 1
    failed = out.split("gate FAILED:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in failed] == [
        "answer_accuracy",
        "latency.total.p95",
        "[name]",
    ]
    assert "0.6667 < 0.8 (minimum)" in failed[0] and "10 > 5 (maximum)" in failed[1]

    gate.write_text(json.dumps({"answer_accuracy": 0.6, "errors_max": 0}), encoding="utf-8")
    code = main(
        ["eval", str(testset), "--report", str(tmp_path), "--gate", str(gate), "--no-progress"]
    )
    assert code == 0 and "gate passed" in capsys.readouterr().out


def test_gate_on_unmeasured_metric_fails(fake: FakeAssistant, tmp_path: Path) -> None:
    testset = write_testset(tmp_path / "t.jsonl", TESTSET[:1])
    gate = tmp_path / "gate.json"
    gate.write_text(json.dumps({"refusal_rate": 0.5}), encoding="utf-8")
    assert main(["eval", str(testset), "--report", str(tmp_path), "--gate", str(gate)]) == 1


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ({"accuracy": 0.8}, "unknown metric 'accuracy'"),
        ({"recall@5": "high"}, "must be a number"),
        ({"per_type": {"name": {"mrr_min": 0.5, "bogus_max": 1}}}, "gate[name]: unknown"),
        ([0.8], "must hold a JSON object"),
    ],
)
def test_bad_gate_file_is_rejected_before_the_run(
    fake: FakeAssistant, tmp_path: Path, gate: Any, message: str
) -> None:
    path = tmp_path / "gate.json"
    path.write_text(json.dumps(gate), encoding="utf-8")
    with pytest.raises(AssistantError, match=message.replace("[", r"\[").replace("]", r"\]")):
        cli_eval.load_gate(path)
    testset = write_testset(tmp_path / "t.jsonl")
    assert main(["eval", str(testset), "--report", str(tmp_path), "--gate", str(path)]) == 2
    assert fake.calls == []


def test_check_gate_accepts_latency_stages_with_dots() -> None:
    metrics = {"overall": {"latency.retrieve.dense.p95": 30.0}, "per_type": {}}
    gate = {"latency.retrieve.dense.p95_max": 20}
    assert cli_eval._check_names(gate, "") is None
    assert cli_eval.check_gate(metrics, gate) == ["latency.retrieve.dense.p95 = 30 > 20 (maximum)"]
    assert cli_eval.check_gate(metrics, {"per_type": {"x": {"mrr": 0.1}}}) == [
        "[x]: no questions of this type"
    ]


def test_compare_with_previous_report(
    fake: FakeAssistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    assert main(["eval", str(testset), "--report", str(tmp_path / "old"), "--limit", "1"]) == 0
    capsys.readouterr()
    old = tmp_path / "old" / "report.json"
    assert (
        main(["eval", str(testset), "--report", str(tmp_path / "new"), "--compare", str(old)]) == 0
    )
    out = capsys.readouterr().out
    assert f"compared with {old}" in out
    line = next(x for x in out.splitlines() if x.startswith("answer_accuracy "))
    assert line.split() == ["answer_accuracy", "1.000", "→", "0.667", "-0.333", "worse"]


def test_missing_compare_file_fails_fast(fake: FakeAssistant, tmp_path: Path) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    code = main(
        ["eval", str(testset), "--report", str(tmp_path), "--compare", str(tmp_path / "nope.json")]
    )
    assert code == 2 and fake.calls == []


def test_bad_testset_line_is_reported_with_its_number(
    fake: FakeAssistant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(TESTSET[0]) + "\n{oops\n", encoding="utf-8")
    assert main(["eval", str(path), "--report", str(tmp_path)]) == 2
    assert f"{path}:2: not valid JSON" in capsys.readouterr().err


# --- the HTTP backend -------------------------------------------------------------------


def _mock_service(seen: list[httpx.Request], status: int = 200) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        filters = DocumentFilter.from_mapping(body["filters"]) if body.get("filters") else None
        answer = FakeAssistant().ask(body["question"], body.get("history"), filters)
        if status != 200:
            return httpx.Response(status, json={"detail": "nope"})
        return httpx.Response(200, json=answer.to_dict())

    return httpx.MockTransport(handler)


def test_api_backend_posts_question_and_rebuilds_the_answer() -> None:
    seen: list[httpx.Request] = []
    backend = ApiBackend("http://svc/", "k3y", transport=_mock_service(seen))
    records = [{**TESTSET[0], "history": [{"role": "user", "content": "Chào"}]}, TESTSET[2]]
    items = parse_testset([json.dumps(r) for r in records])
    result = run(items, backend, progress=False)
    assert [r.correct for r in result.results] == [True, True]
    assert seen[0].url == "http://svc/api/ask"
    assert seen[0].headers["Authorization"] == "Bearer k3y"
    assert json.loads(seen[0].content) == {
        "question": TESTSET[0]["question"],
        "history": [{"role": "user", "content": "Chào"}],
    }
    first = result.results[0]
    assert first.retrieval_rank == 1 and first.citation_recall == 1.0
    assert first.timings_ms["total"] == 10.0 and first.wall_ms is not None


def test_answer_from_dict_round_trips_to_dict() -> None:
    answer = FakeAssistant().ask("Xuất khẩu?")
    again = answer_from_dict(json.loads(json.dumps(answer.to_dict())))
    assert again.to_dict() == answer.to_dict()


def test_api_key_rejected_aborts_the_run() -> None:
    backend = ApiBackend("http://svc", transport=_mock_service([], status=401))
    with pytest.raises(RunAborted, match=API_KEY_ENV):
        run(parse_testset([json.dumps(TESTSET[0])]), backend, progress=False)


def test_server_error_is_recorded_and_the_run_goes_on() -> None:
    backend = ApiBackend("http://svc", transport=_mock_service([], status=500))
    result = run(parse_testset([json.dumps(r) for r in TESTSET]), backend, progress=False)
    assert [r.error for r in result.results] == ['RuntimeError: HTTP 500: {"detail":"nope"}'] * 3
    assert not any(r.correct or r.refused for r in result.results)


def test_rate_limit_is_waited_out_and_retried() -> None:
    replies = iter(
        [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(503, headers={"Retry-After": "soon"}),
        ]
    )
    answer = FakeAssistant().ask(TESTSET[0]["question"]).to_dict()
    transport = httpx.MockTransport(lambda request: next(replies, httpx.Response(200, json=answer)))
    waits: list[float] = []
    backend = ApiBackend("http://svc", transport=transport, sleep=waits.append)
    result = run(parse_testset([json.dumps(TESTSET[0])]), backend, progress=False)
    assert result.results[0].correct and waits == [3.0, 2.0]


def test_cli_api_mode_takes_the_key_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Request] = []
    transport = _mock_service(seen)
    monkeypatch.setenv(API_KEY_ENV, "from-env")
    monkeypatch.setattr(
        cli_eval,
        "ApiBackend",
        lambda url, key, **kw: ApiBackend(url, key, transport=transport, **kw),
    )
    testset = write_testset(tmp_path / "t.jsonl")
    assert main(["eval", str(testset), "--api", "http://svc", "--report", str(tmp_path)]) == 0
    assert len(seen) == 3 and seen[0].headers["Authorization"] == "Bearer from-env"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert report["backend"] == "api" and report["config"]["api"] == "http://svc"


# --- the real thing ---------------------------------------------------------------------

ARTICLE = f"""Thanh Hóa mở rộng hợp tác quốc tế

Giai đoạn 2016-2020, {EXPORTS}, tăng 88% so với mục tiêu đại hội.

Tỉnh đã thu hút 79 dự án FDI, với tổng vốn 3.777,5 triệu USD.

{HERITAGE}, một niềm tự hào của người xứ Thanh.
"""


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one small article built with the real model (skips when it is missing)."""
    from assistant.answer.assistant import Assistant
    from assistant.embed.provision import ModelNotAvailableError

    folder = tmp_path_factory.mktemp("eval-real")
    (folder / "docs").mkdir()
    (folder / "docs" / "thanh-hoa.txt").write_text(ARTICLE, encoding="utf-8")
    index = folder / "index"
    try:
        code = main(["ingest", str(folder / "docs"), "--index", str(index), "--no-progress"])
        assert code == 0
        Assistant.from_settings(Settings(index_dir=index))
    except ModelNotAvailableError as exc:
        missing(f"real embedding model not provisioned: {exc}")
    return index


@pytest.mark.model
def test_eval_against_the_real_assistant(
    real_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    gate = tmp_path / "gate.json"
    gate.write_text(json.dumps({"errors_max": 0, "recall@10": 1.0}), encoding="utf-8")
    code = main(
        [
            "eval",
            str(testset),
            "--index",
            str(real_index),
            "--report",
            str(tmp_path / "r"),
            "--gate",
            str(gate),
            "--no-progress",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "gate passed" in out and out.splitlines()[1].split()[:2] == ["overall", "3"]
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    config = report["config"]
    assert isinstance(config["embedding_dim"], int) and isinstance(config["chunk_size"], int)
    for result in report["results"]:
        assert result["answerable"] is not None and result["error"] is None
        assert result["timings_ms"]["total"] > 0
    assert (tmp_path / "r" / "report.html").stat().st_size > 0
