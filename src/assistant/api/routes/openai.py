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
import logging
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer.question import InvalidQuestionError, clean_question
from assistant.api.deps import ReadAccess, Services, ServicesDep
from assistant.api.errors import ApiError, default_error, error_body
from assistant.api.routes.ask import SSE_HEADERS
from assistant.api.schemas import (
    ChatCompletion,
    ChatCompletionRequest,
    ChatMessage,
    ModelCard,
    ModelList,
    error_responses,
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["Tương thích OpenAI"], dependencies=[ReadAccess])

MODEL_ID = "assistant"
OWNER = "assistant"


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """(question, history): the last user message and the user/assistant turns before it."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        raise ApiError(
            400,
            "no_user_message",
            "Thiếu câu hỏi: cần ít nhất một tin nhắn có role “user”.",
        )
    history = [
        {"role": m.role, "content": m.text()}
        for m in messages[:last_user]
        if m.role in ("user", "assistant")
    ]
    return messages[last_user].text(), history


def _words(text: str) -> int:
    return len(text.split())


def _usage(messages: list[ChatMessage], answer: str) -> dict[str, int]:
    prompt = sum(_words(m.text()) for m in messages)
    completion = _words(answer)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


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
async def chat_completions(body: ChatCompletionRequest, services: ServicesDep) -> Any:
    """Any `model` value is accepted. With `stream: true` the reply is a stream of
    `chat.completion.chunk` objects ending with `data: [DONE]`; the last chunk carries
    `finish_reason: "stop"` and `citations`."""
    question, history = split_messages(body.messages)
    assistant = services.require_assistant()
    clean_question(question, services.settings.max_question_chars)  # 400 before any stream
    filters = body.filters.as_mapping() if body.filters else None
    header = {"id": f"chatcmpl-{uuid.uuid4().hex}", "created": int(time.time()), "model": MODEL_ID}
    if body.stream:
        events = assistant.stream(question, history, filters)
        chunks = _chunks(services, events, body, header)
        return StreamingResponse(chunks, media_type="text/event-stream", headers=SSE_HEADERS)
    answer = await services.ask(question, history, filters)
    data = answer.to_dict(passage_text=False)
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
        "usage": _usage(body.messages, answer.answer),
        "citations": data["citations"],
        "answerable": answer.answerable,
    }


def _sse(payload: Any) -> bytes:
    return f"data: {json.dumps(payload, ensure_ascii=False, separators=(',', ':'))}\n\n".encode()


async def _chunks(
    services: Services,
    events: Iterator[tuple[str, dict[str, Any]]],
    body: ChatCompletionRequest,
    header: dict[str, Any],
) -> AsyncIterator[bytes]:
    """``chat.completion.chunk`` events made from the assistant's answer events (advanced
    in worker threads), then the usage chunk if asked for, then ``[DONE]``."""

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
        return _sse({**header, "object": "chat.completion.chunk", "choices": choices, **extra})

    def choice(delta: dict[str, Any], finish: str | None = None) -> list[dict[str, Any]]:
        return [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]

    yield chunk(choice({"role": "assistant", "content": ""}))
    text: list[str] = []
    citations: list[Any] = []
    try:
        item = await services.run_read(next, events, None)
        while item is not None:
            name, data = item
            if name == "delta":
                text.append(str(data.get("text", "")))
                yield chunk(choice({"content": text[-1]}))
            elif name == "citations":
                citations = list(data.get("citations") or [])
            elif name == "done":
                answerable = bool(data.get("answerable"))
                services.record_answer(answerable, len(citations), data.get("timings_ms") or {})
                yield chunk(choice({}, "stop"), citations=citations, answerable=answerable)
            item = await anyio.to_thread.run_sync(next, events, None)
    except InvalidQuestionError as err:
        yield _sse(error_body(err.code, err.message_vi))
        return
    except Exception as err:
        logger.error("Streaming chat completion failed: %s", err, exc_info=err)
        yield _sse(error_body(*default_error(500)))
        return
    finally:
        events.close()  # type: ignore[attr-defined]
    stream_options = body.stream_options
    if stream_options is not None and stream_options.include_usage:
        yield chunk([], usage=_usage(body.messages, "".join(text)))
    yield b"data: [DONE]\n\n"
