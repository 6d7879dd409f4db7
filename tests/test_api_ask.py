"""POST /api/ask and POST /api/ask/stream: answers, citations, history, filters and the
SSE event order with the real assistant (marked ``model``); validation errors, failures
while streaming and a free event loop with the stand-in embedder."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from test_api_support import EXPORT_FIGURE, QUESTION, served, sse_events

from assistant.answer.assistant import Assistant

pytest_plugins = ["test_api_support"]

model = pytest.mark.model


@model
def test_ask_answers_with_a_citation_that_quotes_the_article(model_client: TestClient) -> None:
    response = model_client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body["answerable"] is True
    assert EXPORT_FIGURE in body["answer"] and "[1]" in body["answer"]
    citation = body["citations"][0]
    assert citation["n"] == 1 and EXPORT_FIGURE in citation["quote"]
    document = model_client.get(f"/api/documents/{citation['doc_id']}").json()
    assert document["text"][citation["start"] : citation["end"]] == citation["quote"]
    assert {"embed", "retrieve", "compose", "total"} <= body["timings_ms"].keys()
    assert body["passages"] and "text" in body["passages"][0]
    # the figure itself leads the answer, as a span of the quote it cites
    assert body["lead"]["citation"] == 1 and body["lead"]["text"] in citation["quote"]
    assert EXPORT_FIGURE in body["lead"]["text"] and body["answer"].startswith(body["lead"]["text"])


@model
def test_the_response_shows_the_questions_scope_and_expansions(model_client: TestClient) -> None:
    body = model_client.post(
        "/api/ask", json={"question": "Thanh Hóa thu hút bao nhiêu vốn ngoại giai đoạn 2016-2020?"}
    ).json()
    scope = body["scope"]
    assert scope["places"] == ["Thanh Hóa"] and scope["periods"] == [[2016, 2020]]
    assert "FDI đầu tư trực tiếp nước ngoài" in scope["expansions"]


@model
def test_follow_up_uses_the_history(model_client: TestClient) -> None:
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": f"Đạt {EXPORT_FIGURE} [1]."},
    ]
    body = model_client.post(
        "/api/ask", json={"question": "Còn nhập khẩu thì sao?", "history": history}
    ).json()
    assert "nhập khẩu" in body["query"] and "2016-2020" in body["query"]


@model
def test_unanswerable_question_is_refused_in_vietnamese(model_client: TestClient) -> None:
    body = model_client.post(
        "/api/ask", json={"question": "Giá vé máy bay đi Đà Nẵng tháng 7 là bao nhiêu?"}
    ).json()
    assert body["answerable"] is False
    assert body["citations"] == []
    assert "Đà Nẵng" in body["answer"]
    assert body["suggestions"] == []  # no article is about Đà Nẵng: nothing to offer
    refused = model_client.post(
        "/api/ask", json={"question": "Kim ngạch xuất khẩu của Thanh Hóa năm 2030 là bao nhiêu?"}
    ).json()
    assert refused["answerable"] is False
    # what it offers instead are questions the articles do answer
    assert 1 <= len(refused["suggestions"]) <= 3, refused["suggestions"]
    for suggestion in refused["suggestions"]:
        answered = model_client.post("/api/ask", json={"question": suggestion}).json()
        assert answered["answerable"] and answered["citations"], suggestion


@model
def test_filters_restrict_the_articles(model_client: TestClient) -> None:
    body = model_client.post(
        "/api/ask", json={"question": QUESTION, "filters": {"doc_ids": ["khong-ton-tai"]}}
    ).json()
    assert body["answerable"] is False and body["citations"] == []


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"question": "   "}, 400, "empty_question"),
        ({"question": "?!…"}, 400, "no_content"),
        ({"question": "x" * 2001}, 400, "question_too_long"),
        ({}, 422, "validation_error"),
        ({"question": 42}, 422, "validation_error"),
        ({"question": "Hỏi?", "filters": {"date_from": "hôm qua"}}, 422, "validation_error"),
        ({"question": "Hỏi?", "filters": {"tag": ["x"]}}, 422, "validation_error"),
        (
            {"question": "Hỏi?", "history": [{"role": "robot", "content": "x"}]},
            422,
            "validation_error",
        ),
    ],
)
def test_invalid_questions_get_a_vietnamese_error(
    hashing_client: TestClient, payload: dict, status: int, code: str
) -> None:
    response = hashing_client.post("/api/ask", json=payload)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and not error["message"].isascii()  # Vietnamese, for the reader


def test_malformed_json_is_a_400(hashing_client: TestClient) -> None:
    response = hashing_client.post(
        "/api/ask", content=b'{"question": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


@model
def test_stream_sends_meta_deltas_citations_done_in_order(model_client: TestClient) -> None:
    with model_client.stream("POST", "/api/ask/stream", json={"question": QUESTION}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        text = response.read().decode("utf-8")
    events = sse_events(text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"delta"} and len(names) > 3
    meta, citations, done = events[0][1], events[-2][1], events[-1][1]
    assert meta["query"] == QUESTION and meta["passages"]
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    plain = model_client.post("/api/ask", json={"question": QUESTION}).json()
    assert streamed == plain["answer"]
    assert citations["citations"] == plain["citations"]
    assert done["answerable"] is True and "total" in done["timings_ms"]


@model
def test_stream_of_an_unanswerable_question_still_sends_citations(
    model_client: TestClient,
) -> None:
    response = model_client.post(
        "/api/ask/stream", json={"question": "Giá vé máy bay đi Đà Nẵng tháng 7 là bao nhiêu?"}
    )
    names = [name for name, _ in sse_events(response.text)]
    assert names[-2:] == ["citations", "done"]
    assert dict(sse_events(response.text))["citations"] == {"citations": []}


def test_stream_refuses_an_invalid_question_before_streaming(
    hashing_client: TestClient,
) -> None:
    response = hashing_client.post("/api/ask/stream", json={"question": ""})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["code"] == "empty_question"


def test_a_failure_while_streaming_is_an_error_event(
    hashing_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("index file vanished")

    monkeypatch.setattr(Assistant, "ask", broken)
    with TestClient(hashing_app(), raise_server_exceptions=False) as client:
        response = client.post("/api/ask/stream", json={"question": QUESTION})
        assert response.status_code == 200
        events = sse_events(response.text)
        assert [name for name, _ in events] == ["error"]
        error = events[0][1]["error"]  # the same shape as the plain answer's error
        assert error["code"] == "internal_error" and error["message"]
        plain = client.post("/api/ask", json={"question": QUESTION})
        assert plain.status_code == 500
        assert plain.json()["error"]["code"] == "internal_error"
        assert "vanished" not in plain.text  # nothing internal leaks


def test_answering_never_blocks_the_event_loop(
    hashing_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a (slow, CPU-bound) answer is computed, other requests are served."""
    original = Assistant.ask

    def slow(self: Assistant, *args: object, **kwargs: object) -> object:
        time.sleep(2.0)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Assistant, "ask", slow)
    with served(hashing_app()) as url, httpx.Client(base_url=url, timeout=30) as client:
        asking = threading.Thread(
            target=lambda: client.post("/api/ask", json={"question": QUESTION})
        )
        asking.start()
        time.sleep(0.3)
        started = time.perf_counter()
        assert client.get("/api/health").status_code == 200
        assert time.perf_counter() - started < 1.0
        assert asking.is_alive()
        asking.join()
