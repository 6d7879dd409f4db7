"""What an answer is: text with ``[n]`` markers, the citations behind them, and the
passages and timings that explain how it was produced. The field names are the ones the
HTTP API and ``assistant ask --json`` use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal, TypedDict

from pydantic import Field, TypeAdapter
from pydantic.dataclasses import dataclass as pydantic_dataclass

from assistant.core.types import Passage

Mode = Literal["extractive", "generative"]


@pydantic_dataclass(kw_only=True)
class Source:
    """A span of an article: ``quote`` is exactly ``document.text[start:end]`` of the
    document ``doc_id`` (see GET /api/documents/{id}). Related reading is a source."""

    doc_id: str
    title: str
    quote: str
    start: int
    end: int
    url: str | None = None
    published_at: str | None = None

    @classmethod
    def of(cls, passage: Passage) -> Source:
        """The whole passage as a source (related reading when the articles do not answer)."""
        return cls(quote=passage.text, start=passage.start, end=passage.end, **_article(passage))


@pydantic_dataclass(kw_only=True)
class Citation(Source):
    """The source of the claim marked ``[n]`` in the answer.

    The one citation model: built by the composers, serialised by pydantic in every
    answer (``/api/ask``, the stream's ``citations`` event, chat completions, ``--json``)."""

    n: int


@pydantic_dataclass(kw_only=True)
class PassageView:
    """A retrieved passage as answers show it: where it is, how it scored, its article's
    places (rounded scores keep answers byte-identical across runs of the same index)."""

    chunk_id: int
    doc_id: str
    title: str
    url: str | None
    published_at: str | None
    start: int
    end: int
    score: float
    dense_score: float | None = None
    lexical_score: float | None = None
    text: str | None = None
    places: Annotated[
        list[str], Field(description="Place keys of the passage's article (its scope).")
    ]

    @classmethod
    def of(cls, passage: Passage, *, with_text: bool = True) -> PassageView:
        return cls(
            chunk_id=passage.chunk_id,
            start=passage.start,
            end=passage.end,
            **_article(passage),
            score=round(passage.score, 6),
            dense_score=_rounded(passage.dense_score),
            lexical_score=_rounded(passage.lexical_score),
            text=passage.text if with_text else None,
            places=list(passage.scope.place_keys) if passage.scope else [],
        )


class _ArticleFields(TypedDict):
    doc_id: str
    title: str
    url: str | None
    published_at: str | None


def _article(passage: Passage) -> _ArticleFields:
    """The fields every view of a passage shares: which article, and where to read it."""
    return {
        "doc_id": passage.doc_id,
        "title": passage.title,
        "url": passage.url,
        "published_at": passage.published_at,
    }


def _rounded(score: float | None) -> float | None:
    return None if score is None else round(score, 6)


_CITATIONS = TypeAdapter(list[Citation])
_SOURCES = TypeAdapter(list[Source])
_PASSAGES = TypeAdapter(list[PassageView])


def citation_for(n: int, passage: Passage, start: int, end: int, quote: str) -> Citation:
    """A citation of ``quote == document.text[start:end]`` from the passage's article
    (the one place a citation is made from a span, whichever composer found it)."""
    return Citation(n=n, quote=quote, start=start, end=end, **_article(passage))


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
    # refused: questions the closest passages do answer, for the reader to ask instead
    suggestions: list[str] = field(default_factory=list)

    def to_dict(self, *, passage_text: bool = True) -> dict[str, object]:
        """JSON-ready dict with the public field names (``passage_text=False`` leaves the
        passages' text out, for clients that only show citations)."""
        passages = [PassageView.of(p, with_text=passage_text) for p in self.passages]
        return {
            "answer": self.answer,
            "answerable": self.answerable,
            "mode": self.mode,
            "query": self.query,
            "citations": _CITATIONS.dump_python(self.citations),
            "passages": _PASSAGES.dump_python(passages),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "support": self.support,
            "scope": self.scope or None,
            "lead": ({"text": self.lead, "citation": self.lead_citation} if self.lead else None),
            "related": _SOURCES.dump_python([Source.of(p) for p in self.related]),
            "suggestions": list(self.suggestions),
        }


def refusal(
    query: str,
    passages: list[Passage],
    message: str,
    *,
    mode: Mode = "extractive",
    support: dict[str, float] | None = None,
    citations: list[Citation] | None = None,
) -> Answer:
    """A refusal that still shows the closest passages as related reading (the one place
    a refusal is made, whichever composer refused). ``citations``: what the articles do
    say that comes close, when the message quotes it."""
    return Answer(
        answer=message,
        citations=citations or [],
        answerable=False,
        mode=mode,
        query=query,
        passages=passages,
        related=passages[:3],
        message=message,
        support=support or {},
    )
