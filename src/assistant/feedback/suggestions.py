"""Suggested questions for the chat's empty screen, drawn from the indexed articles.

Sentences that state a figure ("… đạt 14.081,67 triệu USD") are turned into the question
they answer ("… đạt bao nhiêu?", :mod:`assistant.text.questions`). Deterministic, no
model call; :class:`Suggester` computes them once per index generation and keeps only
the latest list.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.types import Document
from assistant.index.index import Index
from assistant.text.questions import questions_from_text, similar_words

MAX_SUGGESTIONS = 6
SUGGESTION_SCAN_DOCUMENTS = 200  # newest articles scanned for suggested questions


@dataclass(frozen=True)
class _Candidate:
    question: str
    score: int
    position: int


def suggest_questions(documents: Sequence[Document], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to ``limit`` distinct questions: the best of each article in turn, articles
    richest in figures first (then newest). Deterministic for the same documents."""
    per_document: list[tuple[int, str, str, list[_Candidate]]] = []
    for doc in documents:
        found = questions_from_text(doc.text)
        if not found:
            continue
        ranked = sorted(
            (_Candidate(q, score, i) for i, (q, score) in enumerate(found)),
            key=lambda c: (-c.score, c.position),
        )
        per_document.append((len(found), doc.published_at or "", doc.id, ranked))
    per_document.sort(key=lambda item: (-item[0], not item[1], _desc(item[1]), item[2]))

    chosen: list[str] = []
    chosen_words: list[set[str]] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(item[3]) for item in per_document):
        for *_, ranked in per_document:
            if depth < len(ranked) and len(chosen) < limit:
                question = ranked[depth].question
                words = set(question.casefold().rstrip("?").split())
                if not any(similar_words(words, other) for other in chosen_words):
                    chosen.append(question)
                    chosen_words.append(words)
        depth += 1
    return chosen


def _desc(value: str) -> tuple[int, ...]:
    """Sort key that orders ISO date strings newest first."""
    return tuple(-ord(ch) for ch in value)


class Suggester:
    """The suggested questions of one index. Owns their cache: one list, for the
    index generation it was computed at (a newer generation recomputes it)."""

    def __init__(self, index: Index, limit: int = MAX_SUGGESTIONS) -> None:
        self.index = index
        self.limit = limit
        self._lock = threading.Lock()
        self._cached: tuple[int, list[str]] | None = None  # (generation, questions)

    def questions(self) -> list[str]:
        generation = self.index.generation
        with self._lock:
            if self._cached is not None and self._cached[0] == generation:
                return list(self._cached[1])
        documents, _ = self.index.list_documents(limit=SUGGESTION_SCAN_DOCUMENTS)
        questions = suggest_questions(documents, self.limit)
        with self._lock:
            self._cached = (generation, questions)
        return list(questions)
