"""The records that flow through the pipeline: ingest → index → retrieve → answer."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_hash(text: str) -> str:
    """SHA-256 of the text: the key under which embeddings and documents are cached, so
    unchanged text is never embedded twice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


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
    score: float = 0.0
    dense_score: float | None = None
    lexical_score: float | None = None
    dense_rank: int | None = None
    lexical_rank: int | None = None
