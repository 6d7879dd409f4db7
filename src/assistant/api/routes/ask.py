"""POST /api/ask and POST /api/ask/stream: a question in, a cited answer out.

The answer is computed in a worker thread (the model is CPU bound), so the event loop
keeps serving other requests meanwhile. The stream variant validates the question
before the response starts, so an invalid question is a plain 400, not a broken stream.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer.assistant import Assistant
from assistant.answer.question import InvalidQuestionError, clean_question
from assistant.api.deps import ReadAccess, Services, ServicesDep
from assistant.api.errors import default_error
from assistant.api.schemas import AskRequest, AskResponse, error_responses

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["Hỏi đáp"], dependencies=[ReadAccess])

_ERRORS = error_responses(400, 401, 403, 413, 422, 429, 503)

STREAM_DESCRIPTION = """\
Same request as `POST /api/ask`; the answer arrives as Server-Sent Events, in this order:

* `meta` – `{"query", "passages", "mode"}`: the standalone query and the passages found;
* `delta` (one or more) – `{"text"}`: the next piece of the answer text (with `[n]`);
* `citations` – `{"citations": [...]}`: always sent, empty when nothing is cited;
* `done` – `{"answerable", "mode", "timings_ms", "related"}` (related: passages shown with a
  "not found" answer).

If answering fails after the stream started, an `error` event `{"code", "message"}` is
sent instead and the stream ends. Invalid questions are refused before the stream with
a 400 and the usual JSON error.

JavaScript: `fetch` the endpoint with `method: "POST"` and read `response.body`.
"""


def sse_event(event: str, data: Any) -> bytes:
    """One Server-Sent Event; the JSON data is a single line (newlines are escaped)."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n".encode()


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


@router.post(
    "/ask",
    response_model=AskResponse,
    summary="Hỏi một câu, nhận câu trả lời có trích dẫn",
    responses=_ERRORS,
)
async def ask(body: AskRequest, services: ServicesDep) -> dict[str, Any]:
    """Answer one question from the indexed articles. Every claim ends with a marker
    `[n]` whose source is `citations[n-1]`; when the articles do not answer,
    `answerable` is false and `answer` explains why (in Vietnamese)."""
    answer = await services.ask(
        body.question,
        [turn.model_dump() for turn in body.history],
        body.filters.as_mapping() if body.filters else None,
    )
    return answer.to_dict()


@router.post(
    "/ask/stream",
    summary="Hỏi và nhận câu trả lời dạng luồng (Server-Sent Events)",
    description=STREAM_DESCRIPTION,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **_ERRORS},
)
async def ask_stream(body: AskRequest, services: ServicesDep) -> StreamingResponse:
    assistant = services.require_assistant()
    clean_question(body.question, services.settings.max_question_chars)  # 400 before streaming
    events = answer_events(services, assistant, body)
    return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)


async def answer_events(
    services: Services, assistant: Assistant, body: AskRequest
) -> AsyncIterator[bytes]:
    """meta, delta…, citations, done — or error. The assistant's event generator is
    advanced in worker threads: the first step computes the answer (under the limit on
    concurrent answering), the following ones only hand out its pieces."""
    yield b": answering\n\n"  # headers and a first byte go out at once
    events = assistant.stream(
        body.question,
        [turn.model_dump() for turn in body.history],
        body.filters.as_mapping() if body.filters else None,
    )
    cited: int | None = None  # number of citations, once their event went out
    first = True
    try:
        while True:
            if first:
                item = await services.run_read(next, events, None)
                first = False
            else:
                item = await anyio.to_thread.run_sync(next, events, None)
            if item is None:
                break
            name, data = item
            if name == "citations":
                cited = len(data.get("citations") or [])
            elif name == "done":
                if cited is None:  # the contract: citations always precede done
                    cited = 0
                    yield sse_event("citations", {"citations": []})
                services.record_answer(
                    bool(data.get("answerable")), cited, data.get("timings_ms") or {}
                )
            yield sse_event(name, data)
    except InvalidQuestionError as err:
        yield sse_event("error", {"code": err.code, "message": err.message_vi})
    except Exception as err:
        logger.error("Streaming answer failed: %s", err, exc_info=err)
        code, message = default_error(500)
        yield sse_event("error", {"code": code, "message": message})
    finally:
        events.close()
