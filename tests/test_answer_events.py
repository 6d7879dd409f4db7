"""One event source for answers: the order and content of the events, and every answering
route (``/api/ask``, ``/api/ask/stream``, ``/v1/chat/completions`` plain and streamed)
going through the same ``produce`` call, metrics and error object (stand-in embedder:
mechanics only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from test_api_support import QUESTION, sse_events

from assistant.answer.events import AnswerRequest, answer_events
from assistant.answer.types import Answer, Citation
from assistant.api.deps import Services
from assistant.core.types import DocumentFilter

pytest_plugins = ["test_api_support"]

CHAT = "/v1/chat/completions"


def made_answer(text: str, citations: list[Citation] | None = None) -> Answer:
    return Answer(
        text, bool(citations), "extractive", "q", citations or [], timings_ms={"total": 1}
    )


@given(st.text(alphabet=st.sampled_from("ab ,.[1]\n"), max_size=200))
def test_the_deltas_join_to_the_answer_exactly(text: str) -> None:
    events = list(answer_events(made_answer(text)))
    assert "".join(e.data["text"] for e in events if e.name == "delta") == text


def test_events_come_in_order_and_citations_always_precede_done() -> None:
    citation = Citation(n=1, doc_id="doc", title="Tiêu đề", quote="trích", start=3, end=8)
    for answer in (made_answer("Không có."), made_answer("Một hai ba [1].", [citation])):
        events = list(answer_events(answer))
        names = [e.name for e in events]
        assert names[0] == "meta" and names[-2:] == ["citations", "done"]
        assert set(names[1:-2]) <= {"delta"}
        cited = events[-2].data["citations"]
        assert cited == [asdict(c) for c in answer.citations]
        assert events[-1].data["answerable"] is answer.answerable
        assert events[-1].data["mode"] == events[0].data["mode"] == "extractive"


def services_of(app: FastAPI) -> Services:
    services = app.state.services
    assert isinstance(services, Services)
    return services


def test_every_answering_route_goes_through_the_one_produce_call(
    hashing_app: Callable[..., FastAPI],
) -> None:
    app = hashing_app()
    source = services_of(app).require_answering().source
    seen: list[AnswerRequest] = []

    def produce(request: AnswerRequest) -> Answer:  # where an answer cache would sit
        seen.append(request)
        return source.ask_assistant(request)

    source.produce = produce
    filters = {"date_from": "2020-01-01", "tags": ["đối ngoại"]}
    messages = [{"role": "user", "content": QUESTION}]
    with TestClient(app) as client:
        client.post("/api/ask", json={"question": QUESTION, "filters": filters})
        client.post("/api/ask/stream", json={"question": QUESTION})
        client.post(CHAT, json={"messages": messages})
        client.post(CHAT, json={"messages": messages, "stream": True})
        metrics = client.get("/metrics").text
    assert [r.stream for r in seen] == [False, True, False, True]
    assert {r.question for r in seen} == {QUESTION}
    assert seen[0].filters == DocumentFilter(date_from="2020-01-01", tags=("đối ngoại",))
    assert all(r.filters is None for r in seen[1:])
    counted = re.findall(r'^assistant_answers_total\{answerable="\w+"\} (\S+)$', metrics, re.M)
    assert sum(float(n) for n in counted) == 4  # metrics once per answer, whatever the route


def test_a_failure_has_one_error_object_on_every_route(
    hashing_app: Callable[..., FastAPI], caplog: pytest.LogCaptureFixture
) -> None:
    app = hashing_app()

    def broken(_: AnswerRequest) -> Answer:
        raise RuntimeError("index file vanished")

    services_of(app).require_answering().source.produce = broken
    messages = [{"role": "user", "content": QUESTION}]
    with TestClient(app, raise_server_exceptions=False) as client:
        plain = client.post("/api/ask", json={"question": QUESTION})
        streamed = sse_events(client.post("/api/ask/stream", json={"question": QUESTION}).text)
        chat = client.post(CHAT, json={"messages": messages})
        chat_streamed = sse_events(
            client.post(CHAT, json={"messages": messages, "stream": True}).text
        )
    assert plain.status_code == chat.status_code == 500
    error = plain.json()
    assert error["error"]["code"] == "internal_error"
    assert streamed == [("error", error)]
    assert chat.json() == error
    assert chat_streamed[-1] == ("message", error)  # OpenAI's wire format, the same object
    assert "vanished" not in str(error)
    logged = [r for r in caplog.records if "index file vanished" in r.getMessage()]
    assert len(logged) == 4  # for the operator, once per failure
