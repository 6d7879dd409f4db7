"""POST /api/ask and POST /api/ask/stream: a question in, a cited answer out.

Both go through :class:`~assistant.api.answering.Answering` (worker threads, metrics,
the error shape); the routes only format. The stream variant validates the question
before the response starts, so an invalid question is a plain 400, not a broken stream.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from assistant.answer.events import Event
from assistant.api.deps import AnsweringDep, ReadAccess
from assistant.api.schemas import AskRequest, AskResponse, error_responses

router = APIRouter(prefix="/api", tags=["Hỏi đáp"], dependencies=[ReadAccess])

_ERRORS = error_responses(400, 401, 403, 413, 422, 429, 503)

STREAM_DESCRIPTION = """\
Same request as `POST /api/ask`; the answer arrives as Server-Sent Events, in this order:

* `meta` – `{"query", "passages", "mode"}`: the standalone query and the passages found;
* `delta` (one or more) – `{"text"}`: the next piece of the answer text (with `[n]`);
* `citations` – `{"citations": [...]}`: always sent, empty when nothing is cited;
* `done` – `{"answerable", "mode", "timings_ms", "related"}` (related: passages shown with a
  "not found" answer).

If answering fails after the stream started, an `error` event with the usual JSON error
`{"error": {"code", "message"}}` is sent instead and the stream ends. Invalid questions
are refused before the stream with a 400 and the same JSON error.

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
async def ask(body: AskRequest, answering: AnsweringDep) -> dict[str, Any]:
    """Answer one question from the indexed articles. Every claim ends with a marker
    `[n]` whose source is `citations[n-1]`; when the articles do not answer,
    `answerable` is false and `answer` explains why (in Vietnamese)."""
    request = answering.request(body.question, _history(body), body.document_filter())
    return (await answering.answer(request)).to_dict()


@router.post(
    "/ask/stream",
    summary="Hỏi và nhận câu trả lời dạng luồng (Server-Sent Events)",
    description=STREAM_DESCRIPTION,
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **_ERRORS},
)
async def ask_stream(body: AskRequest, answering: AnsweringDep) -> StreamingResponse:
    request = answering.request(
        body.question, _history(body), body.document_filter(), stream=True
    )  # an invalid question is a 400 here, before the stream
    events = _sse_stream(answering.events(request))
    return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)


def _history(body: AskRequest) -> list[dict[str, Any]]:
    return [turn.model_dump() for turn in body.history]


async def _sse_stream(events: AsyncIterator[Event]) -> AsyncIterator[bytes]:
    yield b": answering\n\n"  # headers and a first byte go out at once
    async for event in events:
        yield sse_event(event.name, event.data)
