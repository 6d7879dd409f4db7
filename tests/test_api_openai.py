"""The OpenAI-compatible endpoints, checked with the official ``openai`` client talking
to a real HTTP server (uvicorn on a free local port)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from needs import dev_module
from test_api_support import EXPORT_FIGURE, QUESTION, served, sse_events

from assistant.answer.assistant import Assistant

pytest_plugins = ["test_api_support"]

model = pytest.mark.model

openai = dev_module("openai")


@pytest.fixture(scope="module")
def base_url(model_app: FastAPI) -> Iterator[str]:
    with served(model_app) as url:
        yield url


@pytest.fixture
def client(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key="not-needed-for-reading", max_retries=0)


@model
def test_models(client: openai.OpenAI) -> None:
    models = client.models.list()
    assert [m.id for m in models.data] == ["assistant"]
    assert client.models.retrieve("assistant").owned_by == "assistant"


@model
def test_chat_completion_keeps_markers_and_citations(client: openai.OpenAI) -> None:
    completion = client.chat.completions.create(
        model="gpt-4o-mini",  # whatever a tool sends, it is served
        messages=[
            {"role": "system", "content": "Bạn là trợ lý của báo."},
            {"role": "user", "content": QUESTION},
        ],
    )
    assert completion.object == "chat.completion"
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    assert EXPORT_FIGURE in choice.message.content and "[1]" in choice.message.content
    citations = completion.model_extra["citations"]
    assert citations[0]["n"] == 1 and EXPORT_FIGURE in citations[0]["quote"]
    assert completion.usage is not None and completion.usage.completion_tokens > 0


@model
def test_history_comes_from_earlier_messages(client: openai.OpenAI, base_url: str) -> None:
    completion = client.chat.completions.create(
        model="assistant",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": f"Đạt {EXPORT_FIGURE} [1]."},
            {"role": "user", "content": [{"type": "text", "text": "Còn nhập khẩu thì sao?"}]},
        ],
    )
    assert completion.choices[0].message.content


@model
def test_streamed_chat_completion(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="assistant",
        messages=[{"role": "user", "content": QUESTION}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert all(chunk.object == "chat.completion.chunk" for chunk in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert EXPORT_FIGURE in text and "[1]" in text
    final = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert len(final) == 1
    assert EXPORT_FIGURE in final[0].model_extra["citations"][0]["quote"]
    assert chunks[-1].usage is not None and not chunks[-1].choices


@model
def test_stream_ends_with_done(base_url: str) -> None:
    response = httpx.post(
        f"{base_url}/v1/chat/completions",
        json={"messages": [{"role": "user", "content": QUESTION}], "stream": True},
        timeout=120,
    )
    events = sse_events(response.text)
    assert events[-1] == ("message", "[DONE]")
    assert events[-2][1]["choices"][0]["finish_reason"] == "stop"


@model
def test_errors_reach_the_client(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="assistant", messages=[{"role": "system", "content": "Chỉ có hệ thống."}]
        )
    assert caught.value.body["code"] == "no_user_message"
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="assistant", messages=[{"role": "user", "content": "   "}], stream=True
        )
    with pytest.raises(openai.NotFoundError):
        client.models.retrieve("gpt-5")


def test_a_failure_mid_stream_reaches_the_client_as_an_error(
    hashing_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("index file vanished")

    monkeypatch.setattr(Assistant, "ask", broken)
    with served(hashing_app()) as url:
        client = openai.OpenAI(base_url=f"{url}/v1", api_key="not-needed", max_retries=0)
        stream = client.chat.completions.create(
            model="assistant", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
        with pytest.raises(openai.APIError, match="lỗi"):
            list(stream)
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(
                model="assistant", messages=[{"role": "user", "content": QUESTION}]
            )
