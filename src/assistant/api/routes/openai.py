"""OpenAI-compatible endpoints: POST /v1/chat/completions (plain and streamed) and
GET /v1/models, so tools built for OpenAI (the official clients, chat front-ends) can use
the assistant by changing only their base URL.

The last user message is the question and the earlier user/assistant messages the
history. The answer keeps its ``[n]`` markers; the sources travel in an extra top-level
``citations`` field (in the final chunk when streaming), which OpenAI clients keep as an
extra attribute.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer.events import Event
from assistant.api.deps import AnsweringDep, ReadAccess, Services, ServicesDep
from assistant.api.errors import ApiError
from assistant.api.routes.ask import SSE_HEADERS
from assistant.api.schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ModelCard,
    ModelList,
    error_responses,
)

router = APIRouter(prefix="/v1", tags=["Tương thích OpenAI"], dependencies=[ReadAccess])

MODEL_ID = "assistant"
OWNER = "assistant"


@router.get("/models", response_model=ModelList, summary="Mô hình phục vụ (một)")
async def list_models(services: ServicesDep) -> dict[str, Any]:
    return {"object": "list", "data": [_card(services)]}


@router.get(
    "/models/{model_id}",
    response_model=ModelCard,
    summary="Thông tin mô hình",
    responses=error_responses(404),
)
async def get_model(model_id: str, services: ServicesDep) -> dict[str, Any]:
    if model_id != MODEL_ID:
        raise ApiError(404, "model_not_found", f"Không có mô hình “{model_id}”. Dùng “{MODEL_ID}”.")
    return _card(services)


def _card(services: Services) -> dict[str, Any]:
    return {
        "id": MODEL_ID,
        "object": "model",
        "created": int(services.started_at),
        "owned_by": OWNER,
    }


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="Hỏi đáp theo giao thức chat completions của OpenAI",
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "JSON, or SSE chunks when stream=true.",
        },
        **error_responses(400, 401, 403, 413, 422, 429, 503),
    },
)
async def chat_completions(body: ChatCompletionRequest, answering: AnsweringDep) -> Any:
    """Any `model` value is accepted. With `stream: true` the reply is a stream of
    `chat.completion.chunk` objects ending with `data: [DONE]`; the last chunk carries
    `finish_reason: "stop"` and `citations`."""
    question, history = body.question_and_history()
    request = answering.request(question, history, body.document_filter(), stream=body.stream)
    header = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL_ID}
    if body.stream:
        chunks = _chunks(answering.events(request), body, header)
        return StreamingResponse(chunks, media_type="text/event-stream", headers=SSE_HEADERS)
    answer = await answering.answer(request)
    return {
        **header,
        "object": "chat.completion",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": body.usage(answer.answer),
        "citations": answer.to_dict(passage_text=False)["citations"],
        "answerable": answer.answerable,
    }


def _sse(payload: Any) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


async def _chunks(
    events: AsyncIterator[Event], body: ChatCompletionRequest, header: dict[str, Any]
) -> AsyncIterator[bytes]:
    """``chat.completion.chunk`` events made from the answer's events, then the usage
    chunk if asked for, then ``[DONE]``; a failure is one ``{"error": {...}}`` chunk."""

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return _sse({**header, "object": "chat.completion.chunk", "choices": choices, **extra})

    def choice(delta: dict[str, Any], finish: str | None = None) -> list[dict[str, Any]]:
        return [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]

    yield chunk(choice({"role": "assistant", "content": ""}))
    text: list[str] = []
    citations: list[Any] = []
    async for event in events:
        if event.name == "error":
            yield _sse(event.data)
            return
        if event.name == "delta":
            text.append(str(event.data["text"]))
            yield chunk(choice({"content": text[-1]}))
        elif event.name == "citations":
            citations = list(event.data["citations"])
        elif event.name == "done":
            answerable = bool(event.data["answerable"])
            yield chunk(choice({}, "stop"), citations=citations, answerable=answerable)
    stream_options = body.stream_options
    if stream_options is not None and stream_options.include_usage:
        yield chunk([], usage=body.usage("".join(text)))
    yield b"data: [DONE]\n\n"
