"""Answers as one stream of events, the same for every front-end.

An answer reaches a reader as ``meta`` → ``delta``… → ``citations`` → ``done``, or as a
single ``error``: ``POST /api/ask`` and ``/v1/chat/completions`` hand out the whole
answer, ``/api/ask/stream`` and streamed chat completions these events, ``assistant ask``
prints them. They all go through :class:`AnswerSource`, so what an answer is made of and
the order of its parts are decided here once; the service adds worker threads, metrics
and the error shape around it (``api/answering.py``).

Invariants of :func:`answer_events`: ``citations`` is always sent (empty when nothing is
cited) and always precedes ``done``; the ``delta`` texts joined are exactly
``Answer.answer``; ``mode`` in ``meta`` and ``done`` is final (in generative mode the
model's reply was validated whole before the first event, so a rejected reply is never
shown).

:attr:`AnswerSource.produce` is the one call that turns a request into an
:class:`~assistant.answer.types.Answer`: whatever should sit in front of the assistant
(an answer cache) wraps that callable and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.answer.assistant import Assistant
from assistant.answer.question import clean_question
from assistant.answer.types import Answer
from assistant.core.types import DocumentFilter

EventName = Literal["meta", "delta", "citations", "done", "error"]

# Words per ``delta`` event: small enough to look like typing, few enough events.
DELTA_WORDS = 6


@dataclass(frozen=True)
class AnswerRequest:
    """Everything an answer depends on besides the index and the settings."""

    question: str
    history: tuple[Mapping[str, Any], ...] = ()
    filters: DocumentFilter | None = None
    # generative mode reads the model's reply as a stream (same validated result)
    stream: bool = False


@dataclass(frozen=True)
class Event:
    """One event of an answer; ``data`` is JSON-ready."""

    name: EventName
    data: dict[str, Any] = field(default_factory=dict)


Produce = Callable[[AnswerRequest], Answer]


class AnswerSource:
    """The one door to answers: validates a request, produces its answer, cuts it into
    events. Thread-safe as the assistant is; the service shares one instance."""

    def __init__(self, assistant: Assistant, produce: Produce | None = None) -> None:
        self.assistant = assistant
        # the call an answer cache wraps (keyed by question, history, filters, mode and
        # the index generation); by default the assistant answers every request
        self.produce: Produce = produce or self.ask_assistant

    def ask_assistant(self, request: AnswerRequest) -> Answer:
        return self.assistant.ask(
            request.question,
            request.history,
            request.filters,
            stream_llm=request.stream,
        )

    def check(self, request: AnswerRequest) -> None:
        """Raise InvalidQuestionError for input that is not a question, before any work
        (so a stream never starts for it)."""
        clean_question(request.question, self.assistant.settings.max_question_chars)

    def answer(self, request: AnswerRequest) -> Answer:
        """The whole answer (blocking: run it off the event loop). Raises
        InvalidQuestionError for input that is not a question."""
        return self.produce(request)

    def events(self, request: AnswerRequest) -> Iterator[Event]:
        """The answer's events; a failure raises (front-ends decide its shape)."""
        return answer_events(self.answer(request))


def answer_events(answer: Answer) -> Iterator[Event]:
    """``meta``, ``delta``…, ``citations``, ``done`` for a computed answer."""
    data = answer.to_dict()
    yield Event("meta", {"query": answer.query, "passages": data["passages"], "mode": answer.mode})
    for piece in _pieces(answer.answer):
        yield Event("delta", {"text": piece})
    yield Event("citations", {"citations": data["citations"]})
    yield Event(
        "done",
        {
            "answerable": answer.answerable,
            "mode": answer.mode,
            "timings_ms": data["timings_ms"],
            "related": data["related"],
            "suggestions": data["suggestions"],
        },
    )


def _pieces(text: str, words: int = DELTA_WORDS) -> Iterator[str]:
    """Word-aligned pieces of the answer; joined they give ``text`` back exactly."""
    tokens = text.split(" ")
    for i in range(0, len(tokens), words):
        piece = " ".join(tokens[i : i + words])
        yield piece if i + words >= len(tokens) else piece + " "
