"""The generative answer mode over real HTTP.

``StandInLLM`` below is a stand-in for the external LLM service: a minimal
OpenAI-compatible FastAPI app (``POST /v1/chat/completions``, plain JSON and SSE
streaming) served by uvicorn on 127.0.0.1 by this module. It replies with scripted
answers built from the passages it receives (a faithful one, one with a wrong figure, one
citing a passage that does not exist, the "not found" sentence, a slow one) and records
every request. It says nothing about the quality of any real model: it checks the
client, the validation gate and the fallback to the extractive answer.

The end-to-end tests use the real embedding model and the sample index (``model``
marker; skipped, with the reason, when the model is not available).
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.testclient import TestClient

from assistant.answer.assistant import Assistant
from assistant.answer.events import AnswerRequest, AnswerSource, Event
from assistant.answer.generative import (
    ChatClient,
    GenerationError,
    GenerativeComposer,
    Prompts,
)
from assistant.answer.refusal import NOT_FOUND_VI
from assistant.answer.types import Answer, Citation
from assistant.core.types import Passage

model = pytest.mark.model

QUESTION = "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"
FIGURE = "14.081,67"
API_KEY = "stand-in-key"
_BLOCK = re.compile(r'<passage id="(\d+)">\n(.*?)</passage>', re.DOTALL)

Script = Callable[[dict[int, str]], str]  # passages of the prompt → reply text


# --- the stand-in for the external LLM service ------------------------------------------------


def passage_with(passages: dict[int, str], fragment: str) -> int:
    """Number of the first prompt passage containing ``fragment`` (1 if none does)."""
    return next((n for n, text in sorted(passages.items()) if fragment in text), 1)


def faithful(passages: dict[int, str]) -> str:
    n = passage_with(passages, FIGURE)
    return (
        "Giai đoạn 2016-2020, tổng giá trị xuất khẩu hàng hóa và dịch vụ của tỉnh đạt "
        f"{FIGURE} triệu USD [{n}]."
    )


def wrong_figure(passages: dict[int, str]) -> str:
    return f"Tổng giá trị xuất khẩu đạt 15.000 triệu USD [{passage_with(passages, FIGURE)}]."


def invalid_marker(passages: dict[int, str]) -> str:
    return f"Tổng giá trị xuất khẩu đạt {FIGURE} triệu USD [9]."


def not_found(passages: dict[int, str]) -> str:
    return NOT_FOUND_VI


@dataclass
class StandInLLM:
    """Stand-in for the external OpenAI-compatible LLM service (test double)."""

    script: Script = faithful
    delay_s: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reset(self, script: Script = faithful, delay_s: float = 0.0) -> None:
        self.script, self.delay_s = script, delay_s
        self.requests.clear()

    def app(self) -> FastAPI:
        app = FastAPI(title="stand-in LLM service")

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Any:
            body = await request.json()
            self.requests.append({"body": body, "auth": request.headers.get("authorization")})
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            user = next(m["content"] for m in body["messages"] if m["role"] == "user")
            passages = {int(n): text for n, text in _BLOCK.findall(user)}
            reply = self.script(passages)
            if body.get("stream"):
                return StreamingResponse(_sse(reply), media_type="text/event-stream")
            return JSONResponse(
                {
                    "id": "chatcmpl-stand-in",
                    "object": "chat.completion",
                    "model": body["model"],
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": reply},
                            "finish_reason": "stop",
                        }
                    ],
                }
            )

        @app.post("/broken/v1/chat/completions")
        async def broken() -> JSONResponse:
            return JSONResponse({"error": {"message": "overloaded"}}, status_code=500)

        return app


async def _sse(reply: str) -> AsyncIterator[bytes]:
    """The reply as ``chat.completion.chunk`` events of a few characters each."""

    def chunk(delta: dict[str, str], finish: str | None = None) -> bytes:
        payload = {
            "id": "chatcmpl-stand-in",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()

    yield chunk({"role": "assistant", "content": ""})
    for i in range(0, len(reply), 7):
        yield chunk({"content": reply[i : i + 7]})
        await asyncio.sleep(0)
    yield chunk({}, "stop")
    yield b"data: [DONE]\n\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free local port (in a thread); yields the base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the stand-in LLM service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[tuple[StandInLLM, str]]:
    """The stand-in LLM service and its OpenAI-style base URL (``…/v1``)."""
    llm = StandInLLM()
    with serve(llm.app()) as url:
        yield llm, f"{url}/v1"


@pytest.fixture
def llm(stand_in: tuple[StandInLLM, str]) -> StandInLLM:
    stand_in[0].reset()
    return stand_in[0]


@pytest.fixture
def llm_url(stand_in: tuple[StandInLLM, str]) -> str:
    return stand_in[1]


def down_url() -> str:
    """A local URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/v1"


# --- the client and the composer (no embedding model needed) ---------------------------------

DOCUMENT = (
    "Xuất khẩu tăng trưởng.\n\nNhờ đó, tổng giá trị xuất khẩu giai đoạn 2016-2020 đạt "
    f"{FIGURE} triệu USD, tăng 88% so với mục tiêu. Nhập khẩu đạt 14.581,102 triệu USD."
)


def extractive_answer() -> Answer:
    """An extractive answer (as Assistant._compose makes it) over one passage of DOCUMENT."""
    start = DOCUMENT.index("Nhờ đó")
    passage = Passage(1, "xk", "Xuất khẩu", DOCUMENT[start:], start, len(DOCUMENT))
    quote_end = DOCUMENT.index(" Nhập khẩu")
    quote = DOCUMENT[start:quote_end]
    return Answer(
        answer=f"{quote[:-1]} [1].",
        answerable=True,
        mode="extractive",
        query=QUESTION,
        citations=[
            Citation(n=1, doc_id="xk", title="Xuất khẩu", quote=quote, start=start, end=quote_end)
        ],
        passages=[passage],
    )


def composer(url: str, timeout_s: float = 5.0, api_key: str | None = API_KEY) -> GenerativeComposer:
    return GenerativeComposer(ChatClient(url, "stand-in-model", api_key, timeout_s), Prompts.load())


def test_client_sends_an_openai_request_and_reads_plain_and_streamed_replies(
    llm: StandInLLM, llm_url: str
) -> None:
    client = ChatClient(llm_url, "stand-in-model", API_KEY, timeout_s=5)
    messages = [{"role": "user", "content": '<passage id="1">\nđạt 14.081,67\n</passage>'}]
    plain = client.complete(messages)
    pieces = list(client.stream(messages))
    assert plain == faithful({1: FIGURE}) == "".join(pieces)
    assert len(pieces) > 3  # really streamed in pieces
    body = llm.requests[0]["body"]
    assert body["model"] == "stand-in-model" and body["temperature"] == 0
    assert [r["body"]["stream"] for r in llm.requests] == [False, True]
    assert llm.requests[0]["auth"] == f"Bearer {API_KEY}"
    anonymous = ChatClient(llm_url, "m", None)
    anonymous.complete(messages)
    assert llm.requests[-1]["auth"] is None


def test_client_errors_are_generation_errors(llm_url: str) -> None:
    broken = ChatClient(llm_url.replace("/v1", "/broken/v1"), "m", timeout_s=5)
    with pytest.raises(GenerationError, match="HTTP 500"):
        broken.complete([{"role": "user", "content": "?"}])
    with pytest.raises(GenerationError, match="HTTP 500"):
        list(broken.stream([{"role": "user", "content": "?"}]))
    with pytest.raises(GenerationError, match="unreachable"):
        ChatClient(down_url(), "m", timeout_s=2).complete([{"role": "user", "content": "?"}])


@pytest.mark.parametrize("stream", [False, True])
def test_composer_keeps_a_faithful_answer_with_exact_citations(
    llm: StandInLLM, llm_url: str, stream: bool
) -> None:
    answer = composer(llm_url).compose(QUESTION, None, extractive_answer(), stream=stream)
    assert answer.mode == "generative" and answer.answerable
    assert FIGURE in answer.answer and answer.answer.endswith("[1].")
    (citation,) = answer.citations
    assert DOCUMENT[citation.start : citation.end] == citation.quote
    assert FIGURE in citation.quote and "Nhập khẩu" not in citation.quote


@pytest.mark.parametrize("script", [wrong_figure, invalid_marker])
@pytest.mark.parametrize("stream", [False, True])
def test_composer_falls_back_on_a_rejected_answer(
    llm: StandInLLM, llm_url: str, script: Script, stream: bool
) -> None:
    llm.reset(script)
    extractive = extractive_answer()
    assert composer(llm_url).compose(QUESTION, None, extractive, stream=stream) is extractive


def test_composer_falls_back_when_the_service_is_down_or_slow(
    llm: StandInLLM, llm_url: str
) -> None:
    extractive = extractive_answer()
    assert composer(down_url()).compose(QUESTION, None, extractive) is extractive
    llm.reset(faithful, delay_s=2.0)
    started = time.monotonic()
    assert composer(llm_url, timeout_s=0.3).compose(QUESTION, None, extractive) is extractive
    assert time.monotonic() - started < 1.5


def test_composer_accepts_the_not_found_reply_as_a_refusal(llm: StandInLLM, llm_url: str) -> None:
    llm.reset(not_found)
    answer = composer(llm_url).compose(QUESTION, None, extractive_answer())
    assert (answer.mode, answer.answerable, answer.answer) == ("generative", False, NOT_FOUND_VI)
    assert answer.citations == [] and answer.related


def test_no_composer_without_generative_mode_or_endpoint(llm_url: str) -> None:
    from assistant.core.config import Settings

    assert GenerativeComposer.from_settings(Settings(llm_base_url=llm_url)) is None
    assert GenerativeComposer.from_settings(Settings(answer_mode="generative")) is None
    made = GenerativeComposer.from_settings(
        Settings(answer_mode="generative", llm_base_url=llm_url, llm_api_key="k")
    )
    assert made is not None and made.client.url == f"{llm_url}/chat/completions"


# --- end to end: the real model and the sample index -----------------------------------------


@pytest.fixture
def generative(assistant: Assistant) -> Callable[..., Assistant]:
    """Factory: the real assistant's index and model with generative settings on top of
    the inherited configuration."""

    def make(url: str | None, **overrides: Any) -> Assistant:
        settings = assistant.settings.model_copy(
            update={
                "answer_mode": "generative",
                "llm_base_url": url,
                "llm_model": "stand-in-model",
                "llm_api_key": API_KEY,
                "llm_timeout_s": 5.0,
                **overrides,
            }
        )
        return Assistant(assistant.index, assistant.embedder, settings)

    return make


def assert_exact(assistant: Assistant, citations: list[Citation]) -> None:
    for citation in citations:
        document = assistant.index.get_document(citation.doc_id)
        assert document is not None
        assert document.text[citation.start : citation.end] == citation.quote


@model
def test_faithful_generated_answer_is_shown_with_exact_citations(
    assistant: Assistant, generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    history = [{"role": "user", "content": "Thanh Hóa hợp tác với Lào thế nào?"}]
    answer = generative(llm_url).ask(QUESTION, history=history)
    assert (answer.mode, answer.answerable) == ("generative", True), answer.answer
    assert FIGURE in answer.answer and "[1]" in answer.answer
    assert answer.citations[0].n == 1 and FIGURE in answer.citations[0].quote
    assert_exact(assistant, answer.citations)
    assert {"compose", "generate", "total"} <= answer.timings_ms.keys()
    (request,) = llm.requests
    prompt = request["body"]["messages"][1]["content"]
    assert "Người dùng: Thanh Hóa hợp tác với Lào thế nào?" in prompt
    assert f"Câu hỏi: {QUESTION}" in prompt
    assert request["body"]["stream"] is False and request["auth"] == f"Bearer {API_KEY}"


@model
@pytest.mark.parametrize("script", [wrong_figure, invalid_marker])
def test_rejected_generated_answer_falls_back_to_the_extractive_one(
    assistant: Assistant,
    generative: Callable[..., Assistant],
    llm: StandInLLM,
    llm_url: str,
    script: Script,
) -> None:
    llm.reset(script)
    answer = generative(llm_url).ask(QUESTION)
    extractive = assistant.ask(QUESTION)
    assert len(llm.requests) == 1
    assert answer.mode == "extractive"
    assert answer.answer == extractive.answer and answer.citations == extractive.citations
    assert "generate" in answer.timings_ms


@model
def test_unreachable_or_slow_service_falls_back(
    assistant: Assistant, generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    extractive = assistant.ask(QUESTION)
    down = generative(down_url()).ask(QUESTION)
    assert down.mode == "extractive" and down.answer == extractive.answer
    llm.reset(faithful, delay_s=2.0)
    slow = generative(llm_url, llm_timeout_s=0.3).ask(QUESTION)
    assert slow.mode == "extractive" and slow.answer == extractive.answer
    assert slow.timings_ms["generate"] < 1500


@model
def test_extractive_refusal_gates_the_model(
    generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    answer = generative(llm_url).ask("Giá vé máy bay đi Đà Nẵng tháng 7 là bao nhiêu?")
    assert answer.answerable is False and answer.mode == "extractive"
    assert llm.requests == []  # refused before any call
    assert "generate" not in answer.timings_ms


@model
def test_off_means_byte_identical_extractive_answers(
    assistant: Assistant, generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    # a fresh assistant: the shared one may answer from its answer cache (other timings)
    fresh = Assistant(assistant.index, assistant.embedder, assistant.settings)
    expected = fresh.ask(QUESTION).to_dict()
    for other in (generative(None), generative(llm_url, answer_mode="extractive")):
        assert other.generator is None
        got = other.ask(QUESTION).to_dict()
        assert {k: v for k, v in got.items() if k != "timings_ms"} == {
            k: v for k, v in expected.items() if k != "timings_ms"
        }
        assert got["timings_ms"].keys() == expected["timings_ms"].keys()
    assert llm.requests == []


def streamed(assistant: Assistant) -> list[Event]:
    """The events of QUESTION as the streaming routes read them."""
    return list(AnswerSource(assistant).events(AnswerRequest(QUESTION, stream=True)))


@model
def test_stream_buffers_validates_then_emits_the_generated_answer(
    assistant: Assistant, generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    events = streamed(generative(llm_url))
    names = [event.name for event in events]
    assert names[0] == "meta" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"delta"}
    text = "".join(event.data["text"] for event in events if event.name == "delta")
    assert FIGURE in text and "[1]" in text
    assert events[0].data["mode"] == events[-1].data["mode"] == "generative"
    citations = [Citation(**c) for c in events[-2].data["citations"]]
    assert citations and FIGURE in citations[0].quote
    assert_exact(assistant, citations)
    assert [r["body"]["stream"] for r in llm.requests] == [True]


@model
def test_stream_falls_back_before_anything_is_shown(
    assistant: Assistant, generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    llm.reset(invalid_marker)
    events = streamed(generative(llm_url))
    text = "".join(event.data["text"] for event in events if event.name == "delta")
    assert "[9]" not in text and text == assistant.ask(QUESTION).answer
    assert events[0].data["mode"] == events[-1].data["mode"] == "extractive"


@model
def test_api_stream_route_carries_the_generative_mode(
    generative: Callable[..., Assistant], llm: StandInLLM, llm_url: str
) -> None:
    from assistant.api.main import create_app

    gen = generative(llm_url, rate_limit=0)
    with TestClient(create_app(gen.settings, assistant=gen)) as client:
        response = client.post("/api/ask/stream", json={"question": QUESTION})
        plain = client.post("/api/ask", json={"question": QUESTION}).json()
    assert response.status_code == 200
    events = []
    for block in response.text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    assert [name for name, _ in events][-2:] == ["citations", "done"]
    assert events[-1][1]["mode"] == "generative" and plain["mode"] == "generative"
    text = "".join(data["text"] for name, data in events if name == "delta")
    assert text == plain["answer"]
