"""The question-answering entry point: question (+ history, filters) → cited answer.

Stages, each timed: validate → rewrite follow-up → embed query → retrieve (dense + lexical,
fused) → split passages into quotable segments → score them (segment vectors are cached
by content hash, so a sentence is embedded once in the index's lifetime) → decide whether
the passages answer at all → compose the answer with a citation after every claim → in
generative mode, let a language model rephrase it (see :mod:`assistant.answer.generative`;
the extractive answer stays the gate and the fallback).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from assistant.answer.extractive import (
    Segment,
    SegmentCache,
    has_asked_kind,
    query_weights,
    score_segments,
    segments_of,
    select,
)
from assistant.answer.generative import GenerativeComposer
from assistant.answer.question import Question, analyse, clean_question, is_english
from assistant.answer.refusal import NOT_FOUND_VI, missing_message, requirements
from assistant.answer.rewrite import Rewrite, rewrite_followup
from assistant.answer.types import Answer, Citation
from assistant.core.config import Settings, get_settings
from assistant.core.types import Passage, content_hash
from assistant.embed.base import Embedder
from assistant.index.index import Index
from assistant.index.store import DocumentFilter
from assistant.retrieve.hybrid import FusionConfig, HybridRetriever
from assistant.retrieve.restore import restore_diacritics
from assistant.text.names import names_in_lowercase
from assistant.text.vietnamese import lexical_terms

logger = logging.getLogger(__name__)

SEGMENT_PASSAGES = 4  # passages whose sentences compete for the answer


def to_filter(filters: DocumentFilter | Mapping[str, Any] | None) -> DocumentFilter | None:
    """Accept the API's filter object ({date_from, date_to, doc_ids, tags}) or a filter."""
    if filters is None or isinstance(filters, DocumentFilter):
        return filters
    return DocumentFilter(
        date_from=filters.get("date_from") or None,
        date_to=filters.get("date_to") or None,
        doc_ids=tuple(filters.get("doc_ids") or ()),
        tags=tuple(filters.get("tags") or ()),
    )


class _Clock:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = self._start = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = self.timings.get(stage, 0.0) + (now - self._last) * 1000
        self._last = now

    def total(self) -> None:
        self.timings["total"] = (time.perf_counter() - self._start) * 1000


class Assistant:
    """Answers questions from one index. Thread-safe: the service shares one instance."""

    def __init__(self, index: Index, embedder: Embedder, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.index = index
        self.embedder = embedder
        self.retriever = HybridRetriever(
            index,
            FusionConfig(
                method=self.settings.fusion,
                rrf_k=self.settings.rrf_k,
                dense_weight=self.settings.dense_weight,
            ),
            candidate_k=self.settings.candidate_k,
        )
        self._segment_cache: dict[str, np.ndarray] = {}
        self._doc_terms: dict[tuple[str, int, bool], frozenset[str]] = {}
        self._segments = SegmentCache()
        self._counted: tuple[int, int] = (-1, 0)
        self._segment_key = f"{embedder.key}#segment"
        # None unless answer_mode is "generative" with an endpoint: extractive only
        self.generator = GenerativeComposer.from_settings(self.settings)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        from assistant.runtime import build_embedder, open_index

        settings = settings or get_settings()
        embedder = build_embedder(settings)
        return cls(open_index(settings, embedder, create=False), embedder, settings)

    # --- public API ---------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] | None = None,
        filters: DocumentFilter | Mapping[str, Any] | None = None,
        *,
        query_vector: np.ndarray | None = None,
        stream_llm: bool = False,
    ) -> Answer:
        """Answer one question. Raises InvalidQuestionError (Vietnamese message) for
        input that is not a question.

        In generative mode an extractive answer that did not refuse is handed to the
        language model (read as a stream when ``stream_llm``); a refusal never is."""
        clock = _Clock()
        text = clean_question(question, self.settings.max_question_chars)
        rewrite, q = self._standalone(text, history)
        clock.lap("rewrite")
        if query_vector is None:
            query_vector = self.embedder.embed_queries([rewrite.query])[0]
        clock.lap("embed")
        retrieval = self.retriever.retrieve(
            rewrite.query,
            query_vector,
            self.settings.top_k,
            to_filter(filters),
            dense_weight=0.9 if q.english else None,
        )
        clock.lap("retrieve")
        answer = self._compose(q, rewrite.query, rewrite.focus, retrieval.passages, query_vector)
        clock.lap("compose")
        if self.generator is not None and answer.answerable:
            answer = self.generator.compose(text, history, answer, stream=stream_llm)
            clock.lap("generate")
        clock.total()
        answer.timings_ms = {
            **clock.timings,
            **{f"retrieve.{k}": v for k, v in retrieval.timings_ms.items()},
        }
        logger.info(
            "ask mode=%s answerable=%s citations=%d total_ms=%.1f",
            answer.mode,
            answer.answerable,
            len(answer.citations),
            answer.timings_ms["total"],
        )
        return answer

    def _standalone(
        self, text: str, history: Sequence[Mapping[str, Any]] | None
    ) -> tuple[Rewrite, Question]:
        """The question as retrieval will use it: a follow-up made standalone, diacritics
        restored when typed without them, and what the answer must be about."""
        store = self.index.store
        rewrite = rewrite_followup(text, [dict(turn) for turn in history or []])
        if not is_english(rewrite.query):
            restored = restore_diacritics(rewrite.query, store.written_forms)
            if restored != rewrite.query:
                focus = restore_diacritics(rewrite.focus, store.written_forms)
                rewrite = Rewrite(query=restored, focus=focus, rewritten=True)
        q = analyse(rewrite.query)
        if not q.english and rewrite.query == rewrite.query.lower():
            q.names = names_in_lowercase(rewrite.query, store.known_names)
        return rewrite, q

    def stream(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] | None = None,
        filters: DocumentFilter | Mapping[str, Any] | None = None,
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Server-sent-event style stream: ``meta``, ``delta``…, ``citations``, ``done``.

        In generative mode the model's reply is streamed into a buffer and validated
        whole before the first event: a reply that fails validation must never have been
        shown, and the markers of one that passes are renumbered. The deltas are then
        pieces of the validated (or fallback) text, and ``mode`` in ``meta`` and ``done``
        is final."""
        answer = self.ask(question, history, filters, stream_llm=True)
        data = answer.to_dict()
        yield "meta", {"query": answer.query, "passages": data["passages"], "mode": answer.mode}
        for piece in _pieces(answer.answer):
            yield "delta", {"text": piece}
        yield "citations", {"citations": data["citations"]}
        yield (
            "done",
            {
                "answerable": answer.answerable,
                "mode": answer.mode,
                "timings_ms": data["timings_ms"],
                "related": data["related"],
            },
        )

    def warm(self, max_chunks: int = 20_000, batch: int = 8) -> int:
        """Embed (and cache) the answer segments of up to ``max_chunks`` chunks ahead of
        the first questions, a few at a time so questions asked meanwhile are not held
        up. Returns the number of chunks visited. Used by the service at start-up."""
        ids = [
            row[0]
            for row in self.index.store.conn.execute(
                "SELECT id FROM chunks ORDER BY id LIMIT ?", (max_chunks,)
            )
        ]
        for start in range(0, len(ids), batch):
            passages = list(self.index.passages(ids[start : start + batch]).values())
            self._segment_vectors(segments_of(passages, self._segments))
        return len(ids)

    # --- composition --------------------------------------------------------------
    def _segment_vectors(self, segments: list[Segment]) -> np.ndarray | None:
        """Vectors of the candidate segments: memory, then the index's cache, then the
        model (for the few never seen before); new ones are remembered."""
        if not segments:
            return None
        keys = [content_hash(seg.text) for seg in segments]
        missing = [k for k in dict.fromkeys(keys) if k not in self._segment_cache]
        if missing:
            stored = self.index.store.cached_vectors(missing, self._segment_key)
            self._segment_cache.update(stored)
            todo = {
                k: seg.text
                for k, seg in zip(keys, segments, strict=True)
                if k not in self._segment_cache
            }
            if todo:
                vectors = self.embedder.embed_documents(list(todo.values()))
                fresh = dict(zip(todo.keys(), vectors, strict=True))
                self._segment_cache.update(fresh)
                try:
                    self.index.store.cache_vectors(self._segment_key, fresh)
                except Exception as err:  # a busy writer must not fail a question
                    logger.debug("segment vectors not persisted: %s", err)
        return np.vstack([self._segment_cache[k] for k in keys])

    def _compose(
        self,
        q: Question,
        query: str,
        focus: str,
        passages: list[Passage],
        query_vector: np.ndarray,
    ) -> Answer:
        if not passages:
            return self._refuse(query, passages, NOT_FOUND_VI)
        n_chunks = self._chunk_count()
        weights = query_weights(query, focus, self.index.store.document_frequencies, n_chunks)
        segments = segments_of(passages[:SEGMENT_PASSAGES], self._segments)
        score_segments(segments, q, weights, query_vector, self._segment_vectors(segments))
        required = requirements(q, self.index.store.document_frequencies, n_chunks)
        eligible = [
            s
            for s in segments
            if has_asked_kind(s, q)
            and required.met_by(
                s.terms | s.context,
                s.passage_terms,
                self._document_terms(s.passage.doc_id, title=True),
                self._document_terms(s.passage.doc_id),
            )
        ]
        if not eligible:
            found = set().union(*(s.passage_terms for s in segments))
            missing = [word for term, word in required.words.items() if term not in found]
            words = list(dict.fromkeys(missing or required.words.values()))
            return self._refuse(query, passages, missing_message(words))
        selection = select(eligible, q, self.settings.max_answer_sentences)
        best = selection.candidates[0]
        support = {
            "score": round(best.score, 4),
            "coverage": round(best.coverage, 4),
            "similarity": round(best.similarity, 4),
        }
        if not self._supported(q, best):
            answer = self._refuse(query, passages, NOT_FOUND_VI)
        else:
            answer = self._cite(query, passages, selection.segments)
        answer.support = support
        return answer

    def _document_terms(self, doc_id: str, *, title: bool = False) -> frozenset[str]:
        """Folded terms of a whole article, or of its title (cached per generation)."""
        key = (doc_id, self._generation, title)
        terms = self._doc_terms.get(key)
        if terms is None:
            doc = self.index.get_document(doc_id)
            source = (doc.title if title else doc.text) if doc else ""
            terms = frozenset(lexical_terms(source)[1])
            if len(self._doc_terms) > 2000:
                self._doc_terms.clear()
            self._doc_terms[key] = terms
        return terms

    @property
    def _generation(self) -> int:
        return self.index.store.generation

    def _chunk_count(self) -> int:
        """Number of chunks (for term rarity), recounted only when the index changes."""
        generation = self._generation
        if self._counted[0] != generation:
            self._counted = (generation, self.index.store.counts()["chunks"])
        return self._counted[1]

    def _supported(self, q: Question, best: Segment) -> bool:
        """Does the best segment answer at all? Its score must reach the calibrated
        threshold and, for a Vietnamese question, it must share enough of the question's
        (rarity-weighted) words: a similar-sounding sentence about another topic is not
        an answer."""
        if q.english:  # no Vietnamese words to share: the meaning must be close
            return best.similarity >= self.settings.english_min_similarity
        return (
            best.score >= self.settings.refusal_threshold
            and best.coverage >= self.settings.min_coverage
        )

    def _cite(self, query: str, passages: list[Passage], chosen: list[Segment]) -> Answer:
        citations: list[Citation] = []
        parts: list[str] = []
        for n, seg in enumerate(chosen, start=1):
            citations.append(
                Citation(
                    n=n,
                    doc_id=seg.passage.doc_id,
                    title=seg.passage.title,
                    quote=seg.text,
                    start=seg.start,
                    end=seg.end,
                    url=seg.passage.url,
                    published_at=seg.passage.published_at,
                )
            )
            parts.append(_as_sentence(seg.text, n))
        return Answer(
            answer=" ".join(parts),
            answerable=True,
            mode="extractive",
            query=query,
            citations=citations,
            passages=passages,
        )

    def _refuse(self, query: str, passages: list[Passage], message: str) -> Answer:
        return Answer(
            answer=message,
            answerable=False,
            mode="extractive",
            query=query,
            passages=passages,
            related=passages[:3],
            message=message,
        )


def _as_sentence(text: str, n: int) -> str:
    """A quoted segment as a sentence of the answer: capitalised, marker before the stop."""
    body = text.rstrip().rstrip(".;,:…")
    body = body[:1].upper() + body[1:]
    return f"{body} [{n}]."


def _pieces(text: str, words: int = 6) -> Iterator[str]:
    """Word-aligned pieces of the answer for streaming."""
    tokens = text.split(" ")
    for i in range(0, len(tokens), words):
        piece = " ".join(tokens[i : i + words])
        yield piece if i + words >= len(tokens) else piece + " "
