"""The records that flow through the pipeline: ingest → index → retrieve → answer."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """SHA-256 of the text: the key under which embeddings and documents are cached, so
    unchanged text is never embedded twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


Period = tuple[int, int]  # first and last year, inclusive ("2016-2020" → (2016, 2020))


@dataclass
class ArticleScope:
    """What an article reports on, recorded at ingest (see :mod:`assistant.ingest.scope`).

    ``places`` are the Vietnamese provinces (or ``Việt Nam`` for a national piece) whose
    figures the article gives, never its foreign partners; ``place_keys`` are the same
    places folded for matching. ``periods`` are the years its figures cover.
    ``correction`` marks a published correction (đính chính), which supersedes the
    figure it corrects.
    """

    places: list[str] = field(default_factory=list)
    place_keys: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    correction: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "places": list(self.places),
            "place_keys": list(self.place_keys),
            "periods": [list(p) for p in self.periods],
            "correction": self.correction,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object] | None) -> ArticleScope:
        data = data or {}

        def items(key: str) -> list[Any]:  # stored JSON: lists, or absent
            value = data.get(key)
            return list(value) if isinstance(value, (list, tuple)) else []

        return cls(
            places=[str(p) for p in items("places")],
            place_keys=[str(p) for p in items("place_keys")],
            periods=[(int(a), int(b)) for a, b in items("periods")],
            correction=bool(data.get("correction")),
        )

    def covers(self, period: Period) -> bool:
        """Is the asked period one the article reports on? Exactly: a review of 2021-2025
        gives that period's totals, not the figures of 2022."""
        return tuple(period) in {tuple(p) for p in self.periods}


@dataclass
class Document:
    """A cleaned article. ``text`` is what citations quote: offsets refer to it."""

    id: str
    title: str
    text: str
    url: str | None = None
    published_at: str | None = None  # ISO date "YYYY-MM-DD" (or full ISO datetime)
    source: str | None = None  # path or origin it was loaded from
    tags: list[str] = field(default_factory=list)
    scope: ArticleScope | None = None  # filled at ingest; derived, so not in the hash

    @property
    def content_hash(self) -> str:
        """Hash of everything that changes the index: text, title and metadata."""
        meta = "\x1f".join(
            [self.title, self.url or "", self.published_at or "", ",".join(self.tags)]
        )
        return content_hash(meta + "\x1e" + self.text)


@dataclass
class Chunk:
    """A span of a document: ``document.text[start:end] == text`` always holds."""

    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    title: str = ""  # the article's title, embedded with the chunk

    @property
    def content_hash(self) -> str:
        """Key of the chunk's vector: the text *and* the title it is embedded with."""
        return content_hash(f"{self.title}\x1e{self.text}" if self.title else self.text)


@dataclass
class Passage:
    """A chunk returned by retrieval, with its document's metadata and its scores."""

    chunk_id: int
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    url: str | None = None
    published_at: str | None = None
    tags: list[str] = field(default_factory=list)
    scope: ArticleScope | None = None
    score: float = 0.0
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class DocumentFilter:
    """Restricts the articles an answer may come from: published-date range (ISO strings,
    inclusive), ids, tags, and the places asked about. The one filter type from a
    request (API, command line, test set) to the store."""

    date_from: str | None = None
    date_to: str | None = None
    doc_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # folded place keys: articles about one of these places

    @property
    def is_empty(self) -> bool:
        return not (self.date_from or self.date_to or self.doc_ids or self.tags or self.places)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> DocumentFilter:
        """The JSON form (``{date_from, date_to, doc_ids, tags}``) of a test set or a
        request body."""
        return cls(
            date_from=data.get("date_from") or None,
            date_to=data.get("date_to") or None,
            doc_ids=tuple(data.get("doc_ids") or ()),
            tags=tuple(data.get("tags") or ()),
        )
