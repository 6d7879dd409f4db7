"""The service's door to answers: every answering route goes through :class:`Answering`.

It adds to :class:`~assistant.answer.events.AnswerSource` what only the service needs,
once for ``/api/ask``, ``/api/ask/stream`` and ``/v1/chat/completions`` (both modes):

* worker threads: the answer is computed off the event loop (the model is CPU bound),
  as many at once as one embedding batch holds, so concurrent questions share model
  calls while the loop keeps serving other requests;
* metrics and one log line per answer;
* the error shape: a failure before a response starts goes to the exception handlers
  (``api/errors.py``), one after a stream started becomes an ``error`` event whose data
  is the same ``{"error": {"code", "message"}}`` object.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import anyio

from assistant.answer.events import AnswerRequest, AnswerSource, Event, answer_events
from assistant.answer.types import Answer
from assistant.api.errors import failure
from assistant.api.metrics import Metrics
from assistant.core.types import DocumentFilter

logger = logging.getLogger(__name__)


class Answering:
    """Answers for the routes, off the event loop, observed."""

    def __init__(self, source: AnswerSource, metrics: Metrics, concurrency: int) -> None:
        self.source = source
        self.metrics = metrics
        self._concurrency = max(1, concurrency)
        self._limiter: anyio.CapacityLimiter | None = None  # made inside the event loop

    def request(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] = (),
        filters: DocumentFilter | None = None,
        *,
        stream: bool = False,
    ) -> AnswerRequest:
        """A checked request: an invalid question raises here (a plain 400), before any
        stream has started."""
        request = AnswerRequest(question, tuple(history), filters, stream)
        self.source.check(request)
        return request

    async def answer(self, request: AnswerRequest) -> Answer:
        """The whole answer; a failure raises for the exception handlers."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self._concurrency)
        answer = await anyio.to_thread.run_sync(self.source.answer, request, limiter=self._limiter)
        self._record(answer)
        return answer

    async def events(self, request: AnswerRequest) -> AsyncIterator[Event]:
        """``meta``, ``delta``…, ``citations``, ``done``; or one ``error`` event."""
        try:
            answer = await self.answer(request)
        except Exception as exc:
            yield Event("error", failure(exc).body())
            return
        for event in answer_events(answer):
            yield event

    def _record(self, answer: Answer) -> None:
        """Metrics and one log line (with the per-stage timings) per answer."""
        timings = answer.timings_ms
        citations = len(answer.citations)
        self.metrics.observe_answer(answer.answerable, timings)
        logger.info(
            "answered answerable=%s citations=%d total_ms=%.1f",
            answer.answerable,
            citations,
            timings.get("total", 0.0),
            extra={
                "fields": {
                    "answerable": answer.answerable,
                    "citations": citations,
                    "timings_ms": {k: round(v, 1) for k, v in timings.items()},
                }
            },
        )
