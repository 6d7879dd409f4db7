"""What an answer is: text with ``[n]`` markers, the citations behind them, and the
passages and timings that explain how it was produced. The field names are the ones the
HTTP API and ``assistant ask --json`` use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from assistant.core.types import Passage

Mode = Literal["extractive", "generative"]


@pydantic_dataclass
class Citation:
    """The source of the claim marked ``[n]`` in the answer: ``quote`` is exactly
    ``document.text[start:end]`` of the document ``doc_id`` (see GET /api/documents/{id}).

    The one citation model: built by the composers, serialised by pydantic in every
    answer (``/api/ask``, the stream's ``citations`` event, chat completions, ``--json``)."""

    n: int
    doc_id: str
    title: str
    quote: str
    start: int
    end: int
    url: str | None = None
    published_at: str | None = None


_CITATIONS = TypeAdapter(list[Citation])


def citation_for(n: int, passage: Passage, start: int, end: int, quote: str) -> Citation:
    """A citation of ``quote == document.text[start:end]`` from the passage's article
    (the one place a citation is made from a span, whichever composer found it)."""
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        title=passage.title,
        quote=quote,
        start=start,
        end=end,
        url=passage.url,
        published_at=passage.published_at,
    )


@dataclass
class Answer:
    answer: str
    answerable: bool
    mode: Mode
    query: str
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    related: list[Passage] = field(default_factory=list)
    message: str | None = None  # why the assistant refused, in Vietnamese
    support: dict[str, float] = field(default_factory=dict)  # the refusal decision's inputs
    scope: dict[str, object] = field(default_factory=dict)  # the question's place/period
    # the answer itself (a figure, a date, a name) as a span of citation ``lead_citation``
    lead: str | None = None
    lead_citation: int | None = None

    def to_dict(self, *, passage_text: bool = True) -> dict[str, object]:
        """JSON-ready dict with the public field names."""
        passages = []
        for p in self.passages:
            item = {
                "chunk_id": p.chunk_id,
                "doc_id": p.doc_id,
                "title": p.title,
                "url": p.url,
                "published_at": p.published_at,
                "start": p.start,
                "end": p.end,
                "score": round(p.score, 6),
                "dense_score": None if p.dense_score is None else round(p.dense_score, 6),
                "lexical_score": None if p.lexical_score is None else round(p.lexical_score, 6),
                "places": list(p.scope.place_keys) if p.scope else [],
            }
            if passage_text:
                item["text"] = p.text
            passages.append(item)
        return {
            "answer": self.answer,
            "answerable": self.answerable,
            "mode": self.mode,
            "query": self.query,
            "citations": _CITATIONS.dump_python(self.citations),
            "passages": passages,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "support": self.support,
            "scope": self.scope or None,
            "lead": ({"text": self.lead, "citation": self.lead_citation} if self.lead else None),
            "related": [
                {
                    "doc_id": p.doc_id,
                    "title": p.title,
                    "quote": p.text,
                    "start": p.start,
                    "end": p.end,
                    "url": p.url,
                    "published_at": p.published_at,
                }
                for p in self.related
            ],
        }


def refusal(
    query: str,
    passages: list[Passage],
    message: str,
    *,
    mode: Mode = "extractive",
    support: dict[str, float] | None = None,
) -> Answer:
    """A refusal that still shows the closest passages as related reading (the one place
    a refusal is made, whichever composer refused)."""
    return Answer(
        answer=message,
        answerable=False,
        mode=mode,
        query=query,
        passages=passages,
        related=passages[:3],
        message=message,
        support=support or {},
    )
