"""The question-answering entry point: question (+ history, filters) → cited answer.

A short orchestrator over stage objects, each built once and configured from
:class:`~assistant.core.config.Settings` (tuning from :class:`~assistant.core.tuning.Tuning`):

1. :class:`~assistant.answer.understand.QuestionUnderstanding`: standalone query, kind,
   names, scope (place, period, latest, measure);
2. embedding of the query (batched by the service across concurrent questions);
3. :class:`~assistant.retrieve.hybrid.HybridRetriever`: dense + lexical, fused, restricted
   to articles about the asked place;
4. :class:`~assistant.answer.compose.ExtractiveComposer`: segments, scores, the one
   article that answers (period, recency, corrections), the quote or the refusal;
5. a question asking two things ("… bao nhiêu người, và kiều hối bao nhiêu?") has each
   part answered too, through stages 1–4 (:mod:`~assistant.answer.compound`): the answer
   to the whole gains the leading line and quotes they add;
6. in generative mode, :class:`~assistant.answer.generative.GenerativeComposer` rephrases
   an answer that did not refuse (the extractive answer stays the gate and the fallback).

Each stage is timed into ``Answer.timings_ms``. The service and ``assistant ask`` read answers
through :class:`~assistant.answer.events.AnswerSource` (one event stream for both).
Whole answers are remembered by an
:class:`~assistant.answer.cache.AnswerCache` (keyed by the question, history, filters,
mode and index generation): a repeated question is answered from it, and its timings
then show ``cache.hit`` and the lookup time only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import numpy as np

from assistant.answer.cache import AnswerCache, answer_key
from assistant.answer.compose import ExtractiveComposer
from assistant.answer.compound import asked_parts, merge
from assistant.answer.generative import GenerativeComposer
from assistant.answer.rewrite import elliptic
from assistant.answer.scope import QuestionScope, SpanArticles
from assistant.answer.types import Answer
from assistant.answer.understand import QuestionUnderstanding, Understood
from assistant.core.config import Settings, get_settings
from assistant.core.types import DocumentFilter, Passage
from assistant.embed.base import Embedder
from assistant.index.index import Index
from assistant.retrieve.hybrid import FusionConfig, HybridRetriever
from assistant.text.periods import periods_in
from assistant.text.places import place_key
from assistant.text.questions import closest_questions

logger = logging.getLogger(__name__)

_History = Sequence[Mapping[str, Any]] | None  # the conversation so far, oldest first


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
        tuning = self.settings.tuning
        self.index = index
        self.embedder = embedder
        self.understanding = QuestionUnderstanding(
            index, self.settings.home_place, self.settings.max_question_chars
        )
        self.retriever = HybridRetriever(
            index,
            FusionConfig(
                method=self.settings.fusion, rrf_k=tuning.rrf_k, dense_weight=tuning.dense_weight
            ),
            candidate_k=tuning.candidate_k,
        )
        self.composer = ExtractiveComposer(index, embedder, tuning)
        self.span_articles = SpanArticles(index)
        # None unless answer_mode is "generative" with an endpoint: extractive only
        self.generator = GenerativeComposer.from_settings(self.settings)
        self.answers = AnswerCache(self.settings.answer_cache_size)

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
        filters: DocumentFilter | None = None,
        *,
        query_vector: np.ndarray | None = None,
        stream_llm: bool = False,
    ) -> Answer:
        """Answer one question. Raises InvalidQuestionError (Vietnamese message) for
        input that is not a question.

        In generative mode an extractive answer that did not refuse is handed to the
        language model (read as a stream when ``stream_llm``); a refusal never is.
        A question already answered on this generation of the index is answered from the
        answer cache (a copy: callers may change what they get)."""
        if not self.answers.enabled:
            return self._answer(question, history, filters, query_vector, stream_llm)
        started = time.perf_counter()
        key = answer_key(
            question, history, filters, self.settings.answer_mode, self.index.generation
        )
        cached = self.answers.get(key)
        lookup_ms = (time.perf_counter() - started) * 1000
        if cached is not None:
            cached.timings_ms = {"cache.hit": lookup_ms, "total": lookup_ms}
            logger.info("ask answered from the answer cache in %.2f ms", lookup_ms)
            return cached
        answer = self._answer(question, history, filters, query_vector, stream_llm)
        self.answers.put(key, answer)
        answer.timings_ms = {"cache.miss": lookup_ms, **answer.timings_ms}
        return answer

    def _answer(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] | None,
        filters: DocumentFilter | None,
        query_vector: np.ndarray | None,
        stream_llm: bool,
    ) -> Answer:
        """The answering pipeline itself (what :meth:`ask` caches)."""
        tuning = self.settings.tuning
        clock = _Clock()
        understood, answer, retrieval_ms = self._extract(
            question, history, filters, clock, query_vector=query_vector
        )
        parts = asked_parts(understood.text)
        if parts is not None:
            answer = self._two_questions(parts, history, filters, answer, clock)
        if self.generator is not None and answer.answerable:
            answer = self.generator.compose(understood.text, history, answer, stream=stream_llm)
            clock.lap("generate")
        if not answer.answerable:
            # from the asked place's own articles (a national piece's questions are not
            # about the province it was retrieved for)
            own = [p for p in answer.passages if understood.scope.about(p.scope)]
            answer.suggestions = closest_questions(
                understood.text,
                [p.text for p in own[: tuning.suggestion_passages]],
                tuning.refusal_suggestions,
                place=self._named_place(understood.scope),
            )
        answer.scope = {**understood.scope.as_dict(), "expansions": understood.expansions}
        clock.total()
        answer.timings_ms = {
            **clock.timings,
            **{f"retrieve.{k}": v for k, v in retrieval_ms.items()},
        }
        logger.info(
            "ask mode=%s answerable=%s citations=%d total_ms=%.1f",
            answer.mode,
            answer.answerable,
            len(answer.citations),
            answer.timings_ms["total"],
        )
        return answer

    def _extract(
        self,
        question: str,
        history: _History,
        filters: DocumentFilter | None,
        clock: _Clock,
        *,
        query_vector: np.ndarray | None = None,
        after: str | None = None,
    ) -> tuple[Understood, Answer, dict[str, float]]:
        """Stages 1–4 for one question (``after``: see :meth:`QuestionUnderstanding.run`):
        what was understood, the extractive answer, and the retrieval's own timings."""
        tuning = self.settings.tuning
        understood = self.understanding.run(question, history, after=after)
        clock.lap("rewrite")
        if query_vector is None:
            query_vector = self.embedder.embed_queries([understood.query])[0]
        clock.lap("embed")
        q = understood.question
        flt = understood.scope.document_filter(filters)
        retrieval = self.retriever.retrieve(
            understood.lexical_query,
            query_vector,
            tuning.top_k,
            flt,
            dense_weight=tuning.english_dense_weight if q.english else None,
        )
        if understood.scope.wants_recent:
            probed = self._newer(understood.lexical_query, query_vector, flt, retrieval.passages)
        else:
            probed = self._span_reports(
                understood.scope, understood.lexical_query, query_vector, flt, retrieval.passages
            )
        clock.lap("retrieve")
        answer = self.composer.run(
            q,
            understood.scope,
            understood.query,
            understood.focus,
            retrieval.passages,
            query_vector,
            probed=probed,
            expansions=understood.expansions,
        )
        clock.lap("compose")
        return understood, answer, retrieval.timings_ms

    def _two_questions(
        self,
        parts: tuple[str, str],
        history: _History,
        filters: DocumentFilter | None,
        whole: Answer,
        clock: _Clock,
    ) -> Answer:
        """A question asking two things (see :mod:`.compound`): each part answered on its
        own, the second as a follow-up of the first, from the first's articles when it
        has some. The whole question's answer gains what the parts add from its
        articles; refused, it is replaced only by the two parts' answers together, when
        the second names a subject of its own."""
        first_understood, first, _ = self._extract(parts[0], history, filters, clock)
        narrowed = filters
        if first.answerable:
            cited = tuple(dict.fromkeys(c.doc_id for c in first.citations))
            allowed = filters.doc_ids if filters else ()
            narrowed = replace(
                filters or DocumentFilter(),
                doc_ids=tuple(d for d in cited if not allowed or d in allowed),
            )
        _, second, _ = self._extract(parts[1], None, narrowed, clock, after=first_understood.query)
        if whole.answerable:
            for part in (first, second):
                if part.answerable:
                    whole = merge(whole, part, same_articles=True)
            return whole
        if not (first.answerable and second.answerable) or elliptic(parts[1]):
            # ("… ban hành ngày nào, số mấy?": a second part naming nothing of its own
            # asks about the first's subject, which the whole question did not find)
            return whole
        return replace(merge(first, second), query=whole.query)

    def _named_place(self, scope: QuestionScope) -> str | None:
        """The one place a question named, other than the home province: what a suggested
        question must name too (a question without a place is about the home province)."""
        if not scope.explicit or len(scope.places) != 1:
            return None
        return (
            None if scope.places[0] == place_key(self.settings.home_place) else scope.place_names[0]
        )

    def _newer(
        self,
        query: str,
        query_vector: np.ndarray,
        flt: DocumentFilter,
        passages: list[Passage],
    ) -> list[Passage]:
        """Passages of the newest retrieved articles and of articles newer than every
        retrieved one. A question that names no period wants the newest figure, and
        neither the newest article nor its passage stating the figure is always among
        the best-ranked: probe them directly, a bounded number of times (the first probe
        includes the newest retrieved day, for the passage of that article that states it)."""
        tuning = self.settings.tuning
        found: list[Passage] = []
        seen = {p.chunk_id for p in passages}
        for probe in range(tuning.newer_probes):
            dates = [p.published_at[:10] for p in passages + found if p.published_at]
            if not dates:
                break
            newest = date.fromisoformat(max(dates))
            start = newest if probe == 0 else newest + timedelta(days=1)
            newer = self._probe(
                query, query_vector, replace(flt, date_from=start.isoformat()), seen
            )
            if not newer and probe > 0:
                break
            found.extend(newer)
        return found

    def _span_reports(
        self,
        scope: QuestionScope,
        query: str,
        query_vector: np.ndarray,
        flt: DocumentFilter,
        passages: list[Passage],
    ) -> list[Passage]:
        """The best passages of the articles that report on the asked span of years as
        a whole ("trong 3 năm 2021-2023"): the yearly reviews state the same measures and
        outrank them, and even a retrieved span article may be represented by another of
        its passages than the one stating the asked figure."""
        found: list[Passage] = []
        seen = {p.chunk_id for p in passages}
        for span in scope.periods:
            if span[0] == span[1]:
                continue  # a single year: the yearly reviews are the articles on it
            ids = set(self.span_articles.run(span))
            # an undated article of many periods (none its own, or only the span it
            # reviews) that a retrieved passage of it names: the span may be one of its
            # subjects ("Trong giai đoạn 2016-2020, …")
            ids |= {
                p.doc_id
                for p in passages
                if not (p.published_at and p.scope and p.scope.periods)
                and span in periods_in(p.text)
            }
            if flt.doc_ids:  # the reader's own choice of articles still holds
                ids &= set(flt.doc_ids)
            if ids:  # (an empty doc_ids would mean every article)
                doc_ids = tuple(sorted(ids))
                found += self._probe(query, query_vector, replace(flt, doc_ids=doc_ids), seen)
        return found

    def _probe(
        self, query: str, query_vector: np.ndarray, flt: DocumentFilter, seen: set[int]
    ) -> list[Passage]:
        """The best passages (a few, as from one article) under ``flt`` that are not
        ``seen`` yet; they are added to ``seen``. (The article's passages retrieved
        already are often not the ones stating the asked figure: a few more are read.)"""
        wanted = self.settings.tuning.passages_per_article
        found = self.retriever.retrieve(query, query_vector, 2 * wanted, flt).passages
        fresh = [p for p in found if p.chunk_id not in seen][:wanted]
        seen.update(p.chunk_id for p in fresh)
        return fresh

    def warm(self, max_chunks: int = 20_000, batch: int = 8) -> int:
        """Embed (and cache) the answer segments of up to ``max_chunks`` chunks ahead of
        the first questions. Returns the number of chunks visited. Used by the service
        at start-up."""
        return self.composer.warm(max_chunks, batch)
