"""The extractive composer: from retrieved passages to a cited answer, or a refusal.

Steps: split the best passages into quotable segments → score them against the question
(segment vectors cached by content hash, so a sentence is embedded once in the index's
lifetime) → keep the segments that could answer (the asked kind of fact, the question's
figures, names and measure; the asked period in the passage or its article) → choose the
one article that answers (see :func:`~assistant.answer.scope.choose_article`) → decide
whether its best segment answers at all → quote it, a citation after every claim.

Every rule here looks at one article at a time, and the words' rarity comes from a fixed
reference (:mod:`.weights`): no decision depends on what else is indexed.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer.extractive import (
    Segment,
    SegmentCache,
    completes,
    earlier_in_paragraph,
    event_sentence,
    foretells_only,
    has_asked_kind,
    lead_in,
    names_the_asked_document,
    of_the_asked_partner,
    only_counts,
    query_weights,
    restated_without_cause,
    score_segments,
    segments_of,
    select,
)
from assistant.answer.kinds import asked_subject, asks_guiding_document
from assistant.answer.lead import answer_lead, english_label
from assistant.answer.lexicon import english_country, in_articles_words
from assistant.answer.question import Question
from assistant.answer.refusal import (
    NOT_FOUND_VI,
    NOT_YET_VI,
    OPINION_VI,
    Requirement,
    missing_message,
    requirements,
)
from assistant.answer.scope import (
    FIELD_MEASURE_TERMS,
    QuestionScope,
    asked_parts,
    choose_article,
    dated_within,
    event_periods,
    part_of_the_place,
    part_of_year,
    period_covered,
    speaks_of_the_province,
    states_another_measure,
    states_measure,
    without_recency,
)
from assistant.answer.types import Answer, Citation, citation_for, refusal
from assistant.answer.weights import reference_chunks, reference_frequencies
from assistant.core.cache import BoundedCache
from assistant.core.tuning import Tuning
from assistant.core.types import Passage, Period, content_hash
from assistant.embed.base import Embedder
from assistant.index.index import Index
from assistant.ingest.scope import lead_of
from assistant.text.periods import relative_spans, with_relative_spans
from assistant.text.places import (
    COUNTRIES,
    countries_in,
    country_names,
    foreign_in,
    foreign_keys,
    listed_countries,
    listed_partners,
)
from assistant.text.vietnamese import fold, lexical_terms

logger = logging.getLogger(__name__)

# A figure as a lexical term ("6_042_9", "22_9"), years excluded.
_FIGURE_TERM = re.compile(r"(?!(?:19|20)\d\d$)\d+(?:_\d+)*")


class SegmentVectors:
    """Vectors of answer segments: memory (bounded), then the index's cache, then the
    model for the few never seen before; new ones are written back to the index."""

    def __init__(self, index: Index, embedder: Embedder, capacity: int = 50_000) -> None:
        self.index = index
        self.embedder = embedder
        self.key = f"{embedder.key}#segment"
        self._memory: BoundedCache[str, np.ndarray] = BoundedCache(capacity)

    def of(self, segments: list[Segment]) -> np.ndarray | None:
        if not segments:
            return None
        keys = [content_hash(seg.text) for seg in segments]
        found: dict[str, np.ndarray] = {}
        for key in dict.fromkeys(keys):
            vector = self._memory.get(key)
            if vector is not None:
                found[key] = vector
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            found.update(self.index.cached_segment_vectors(missing, self.key))
            todo = {k: s.text for k, s in zip(keys, segments, strict=True) if k not in found}
            if todo:
                fresh = dict(
                    zip(todo, self.embedder.embed_documents(list(todo.values())), strict=True)
                )
                found.update(fresh)
                try:
                    self.index.cache_segment_vectors(self.key, fresh)
                except Exception as err:  # a busy writer must not fail a question
                    logger.debug("segment vectors not persisted: %s", err)
            for key in missing:
                self._memory.put(key, found[key])
        return np.vstack([found[k] for k in keys])


@dataclass(frozen=True)
class ArticleWords:
    """Folded terms of one article: counts over its body, the set of its title and of
    its lead (the first paragraph, where an article names what it is about)."""

    body: Counter[str]
    title: frozenset[str]
    lead: frozenset[str]
    # a name's other name in the article ("Thành Nhà Hồ, còn gọi là thành Tây Đô"):
    # each term of one → the terms of the other
    aliases: Mapping[str, frozenset[str]] = field(default_factory=dict)
    text: str = ""  # the article itself, for what a chunk leaves out of its paragraph
    # the years of its "N năm qua", where it gives them once ("5 năm qua (2016-2021)")
    spans: Mapping[str, Period] = field(default_factory=dict)


# "Thành Nhà Hồ, còn gọi là thành Tây Đô", "Khu kinh tế Nghi Sơn (tức …)": two names of
# one thing (a capitalised run, then one after the cue, a lower-case kind allowed).
_LOWER = "a-zđàáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹ"
_NAME_RUN = rf"[{_LOWER.upper()}][\w-]*(?:\s+[{_LOWER.upper()}][\w-]*)*"
_ALIAS = re.compile(
    rf"({_NAME_RUN}),?\s*\(?(?:còn gọi là|còn được gọi là|hay còn gọi là|tức là|tức)\s+"
    rf"(?:[{_LOWER}]+\s+)?({_NAME_RUN})"
)


def _aliases(text: str) -> dict[str, frozenset[str]]:
    """Each term of a name the article gives another name for → the other's terms."""
    out: dict[str, frozenset[str]] = {}
    for match in _ALIAS.finditer(text):
        # a name of several words by its word pairs ("tay_do"), as names are required
        one, other = (
            frozenset(t for t in terms if "_" in t) or frozenset(terms)
            for terms in (lexical_terms(g)[1] for g in match.groups())
        )
        for term in one:
            out[term] = out.get(term, frozenset()) | other
        for term in other:
            out[term] = out.get(term, frozenset()) | one
    return out


class ArticleTerms:
    """:class:`ArticleWords` of whole articles, per index generation."""

    def __init__(self, index: Index, capacity: int = 2_000) -> None:
        self.index = index
        self._cache: BoundedCache[tuple[str, int], ArticleWords] = BoundedCache(capacity)

    def get(self, doc_id: str) -> ArticleWords:
        key = (doc_id, self.index.generation)
        found = self._cache.get(key)
        if found is None:
            doc = self.index.get_document(doc_id)
            found = ArticleWords(
                Counter(lexical_terms(doc.text)[1]) if doc else Counter(),
                frozenset(lexical_terms(doc.title)[1]) if doc else frozenset(),
                frozenset(lexical_terms(lead_of(doc))[1]) if doc else frozenset(),
                _aliases(doc.text) if doc else {},
                doc.text if doc else "",
                relative_spans(doc.text) if doc else {},
            )
            self._cache.put(key, found)
        return found


class ExtractiveComposer:
    """Quotes the sentences (or clauses) that answer; refuses when none does."""

    def __init__(self, index: Index, embedder: Embedder, tuning: Tuning) -> None:
        self.index = index
        self.tuning = tuning
        self.vectors = SegmentVectors(index, embedder)
        self.articles = ArticleTerms(index)
        self._segments = SegmentCache()

    def warm(self, max_chunks: int, batch: int = 8) -> int:
        """Embed the segments of up to ``max_chunks`` chunks ahead of the first questions,
        a few at a time so that questions asked meanwhile are not held up."""
        ids = self.index.chunk_ids(max_chunks)
        for start in range(0, len(ids), batch):
            passages = list(self.index.passages(ids[start : start + batch]).values())
            self.vectors.of(segments_of(passages, self._segments))
        return len(ids)

    def run(
        self,
        q: Question,
        scope: QuestionScope,
        query: str,
        focus: str,
        passages: list[Passage],
        query_vector: np.ndarray,
        *,
        probed: Sequence[Passage] = (),
        expansions: Sequence[str] = (),
    ) -> Answer:
        """``probed``: passages that a targeted probe found beyond ``passages`` (articles
        newer than all of them, for a question that wants the newest figure; articles on
        the asked span of years as a whole); they always compete."""
        retrieved, passages = passages, [*passages, *probed]
        if q.asks_opinion:
            return refusal(query, passages, OPINION_VI)
        if not passages:
            return refusal(query, passages, _not_found(scope, q.text))
        tuning = self.tuning
        # the words a clause should share ("mới nhất" is no article's word)
        asked, own = (
            (without_recency(query), without_recency(focus)) if scope.latest else (query, focus)
        )
        # the asked place is settled by scoping, and its articles say "tỉnh", not its name
        place = {t for name in scope.place_names for t in lexical_terms(name)[1]}
        weights = _without(
            query_weights(asked, own, reference_frequencies, reference_chunks(), tuning), place
        )
        # the question in the articles' words: a clause may cover either wording
        # (an English question: the glossary's Vietnamese, with its names and figures)
        expanded = (
            " ".join([*expansions, *q.names, *q.numbers]) if q.english else in_articles_words(asked)
        )
        alternative = (
            _without(
                query_weights(expanded, own, reference_frequencies, reference_chunks(), tuning),
                place,
            )
            if expansions
            else None
        )
        # yearly articles compete: a few passages from each, and the probed ones
        competing = _per_article(
            retrieved, tuning.segment_passages, tuning.passages_per_article
        ) + list(probed)
        required = requirements(q, scope.places, self.index.document_frequencies)
        # "Dân số … là bao nhiêu?": the measure itself must be named; not required when
        # the reader's words differ from the articles' (English, a lexicon paraphrase)
        subject = {} if q.english or expansions else asked_subject(focus)

        def compete(chosen: list[Passage]) -> tuple[list[Segment], np.ndarray | None]:
            found = segments_of(chosen, self._segments)
            found_vectors = self.vectors.of(found)
            score_segments(found, q, weights, query_vector, found_vectors, tuning, alternative)
            return found, found_vectors

        segments, vectors = compete(competing)
        eligible = [s for s in segments if self._eligible(s, q, scope, required, subject)]
        taken = {p.chunk_id for p in competing}
        held_back = [p for p in retrieved if p.chunk_id not in taken]
        if not eligible and held_back:
            # no clause of the few passages per article answers: an article retrieved
            # all over may hold the answer in a passage the cap left out
            segments, vectors = compete(competing + held_back)
            eligible = [s for s in segments if self._eligible(s, q, scope, required, subject)]
        if not eligible:
            close = self._named_elsewhere(query, passages, segments, q, scope, required, subject)
            if close is not None:
                return close
            found = set().union(*(s.passage_terms for s in segments))
            wanted = {**subject, **required.words}
            missing = [word for term, word in wanted.items() if term not in found]
            words = list(dict.fromkeys(missing))  # name only what the passages lack
            message = missing_message(words) if words else _not_found(scope, q.text)
            return refusal(query, passages, message)
        if q.wants_number:
            # the province's own figure, never a border gate's, a district's or a
            # heritage site's the question does not name
            eligible = [
                s
                for s in eligible
                if not part_of_the_place(s.passage.title, q.text)
                or speaks_of_the_province(lead_in(s))
            ]
            if not eligible:
                return refusal(query, passages, _not_found(scope, q.text))
        if scope.part:
            # "6 tháng đầu năm": the half-year review's figure, not the yearly one's
            same_part = [s for s in eligible if part_of_year(s.passage.title) == scope.part]
            eligible = same_part or eligible
        if q.asked_kind and not q.wants_explanation:
            # "ở những khu vực nào": an article naming that kind of items ("một số khu vực
            # trọng điểm như: …") answers before one that only names the plan they serve
            naming = {s.passage.doc_id for s in eligible if completes(s, q)}
            eligible = [s for s in eligible if s.passage.doc_id in naming] or eligible
        by_article: dict[str, Segment] = {}
        for seg in eligible:
            known = by_article.get(seg.passage.doc_id)
            if known is None or seg.score > known.score:
                by_article[seg.passage.doc_id] = seg
        # articles compete on period and recency for a figure or a date (the same
        # measure published every year) and for a summary of an asked period (the review
        # of that period); a name or a list is the best match's
        by_period = q.wants_number or q.wants_date or scope.latest
        by_period = by_period or (q.broad and bool(scope.periods))
        margin = tuning.article_margin if by_period else 0.0
        alike = _alike(by_article, vectors, tuning.same_measure_similarity, margin, scope)
        if scope.latest:
            alike |= _same_words(by_article, alike, weights, tuning.same_measure_words)
        choice = choose_article(
            scope,
            [(seg.score, seg.passage) for seg in by_article.values()],
            margin,
            tuning.correction_margin,
            # a correction of another measure (imports, asked about remittances) does not
            # supersede the best article's figure
            self._correcting(by_article) & alike,
            # the newest, or the one of the asked part of the year ("6 tháng đầu năm"),
            # among the articles stating the same measure
            alike if scope.latest or scope.part else frozenset(),
        )
        chosen_article = [s for s in eligible if s.passage.doc_id == choice.doc_id]
        whole = [s for s in segments if s.passage.doc_id == choice.doc_id]
        if q.broad or q.wants_completion:
            # a summary, a cause or the items often go on past the retrieved passage
            leading = max(chosen_article, key=lambda s: s.score)
            scoring = (q, weights, alternative, query_vector)
            following = self._next_passage(leading)
            whole += self._scored([following] if following else [], whole, *scoring)
            if q.broad or (q.wants_completion and not any(completes(s, q) for s in whole)):
                # the items ("các lĩnh vực du lịch, …") often stand a paragraph or two
                # after the event the question names: read on in the article
                whole += self._scored(self._later_passages(leading), whole, *scoring)
        selection = select(chosen_article, q, tuning, whole)
        best = selection.candidates[0]
        # a date found in the sentence before the event's: quote the event too
        told = event_sentence(best, segments, q.events) if q.wants_date else None
        if told is not None and all(told is not seg for seg in selection.segments):
            selection.segments = sorted([*selection.segments, told], key=lambda s: s.start)
        support = {
            "score": round(best.score, 4),
            "coverage": round(best.coverage, 4),
            "similarity": round(best.similarity, 4),
        }
        # the clause states the asked measure, dates the asked event (both checked) or,
        # asked in English, gives a figure beside the asked country ("Đài Loan với
        # 3.412 người": the glossary's words are few)
        structured = (
            any(t not in FIELD_MEASURE_TERMS for t in scope.measure_terms)
            or bool(q.wants_date and q.events)
            or bool(q.english and q.wants_number and _asked_countries(q) & foreign_in(best.text))
        )
        if not self._supported(q, best, structured) or restated_without_cause(
            selection.segments, q
        ):
            answer = refusal(query, passages, NOT_FOUND_VI)
        else:
            answer = cite(query, passages, selection.segments, choice.note, q, best)
        answer.support = support
        return answer

    def _eligible(
        self,
        seg: Segment,
        q: Question,
        scope: QuestionScope,
        required: Requirement,
        subject: Mapping[str, str] | None = None,
    ) -> bool:
        if not (
            has_asked_kind(seg, q)
            and of_the_asked_partner(seg, q)
            and names_the_asked_document(seg, q)
        ):
            return False
        if not all(t in seg.context for t in subject or {}):
            return False
        if foretells_only(seg, q):
            return False  # "vòng 10 … kết quả thế nào": not "ở vòng 10, … sẽ làm khách"
        if q.wants_list and not q.wants_number and only_counts(seg, q):
            return False  # "Kể tên 7 doanh nghiệp": not "… cùng đại diện 7 doanh nghiệp"
        if not scope.admits(seg.passage.scope, seg.leading):
            return False  # a national piece, on a clause that is not about the asked place
        if scope.measure_terms and not states_measure(seg.text, scope.measure_terms):
            return False
        if states_another_measure(seg.text, scope.excluded_terms):
            return False  # "cấp mới bao nhiêu dự án": not the stock "còn hiệu lực"
        # a document asked by its number is dated by its issue, not by the asked period
        # (the 2016-2021 work followed a directive of 2010)
        code_asked = asks_guiding_document(q.folded.lower())
        if (
            q.wants_date
            and not code_asked
            and not dated_within(seg.text, event_periods(q.text, scope.periods))
        ):
            return False  # "hội đàm năm 2020 … ngày nào": not the talks of 17-12-2019
        if scope.whole_year and (part_of_year(seg.passage.title) or part_of_year(lead_in(seg))):
            return False  # "cả năm 2024": not the 9 months' figure
        words = self.articles.get(seg.passage.doc_id)
        if (
            scope.dated
            and not code_asked
            and not period_covered(
                scope,
                seg.passage.scope,
                with_relative_spans(lead_in(seg), words.spans),
                # the paragraph may begin in the chunk before (its period stated there)
                earlier_in_paragraph(seg, words.text),
                within=not (q.wants_number or q.wants_date),
            )
        ):
            return False

        def topical(term: str, aliased: bool = True) -> bool:
            """Named in the lead and often in the body: what the article is about (a
            yearly review names many partners, but not in its lead); or its other name
            is ("thành Tây Đô" of an article on Thành Nhà Hồ)."""
            if term in words.lead and words.body[term] >= self.tuning.topical_mentions:
                return True
            other = words.aliases.get(term, frozenset()) if aliased else frozenset()
            return any(topical(t, aliased=False) for t in other)

        def paragraph() -> frozenset[str]:
            """The clause's sentence so far and the earlier sentences of its paragraph
            that are about one country (not a list: "các nhà đầu tư Nhật Bản, Hàn
            Quốc, Đài Loan")."""
            own = lead_in(seg)
            # "toàn tỉnh có 151 dự án": the whole province's figure, no country's share
            whole = q.wants_number and _WHOLE_PROVINCE.search(own)
            about_one = [
                s for s in earlier_in_paragraph(seg) if len(countries_in(s)) == 1 and not whole
            ]
            terms = frozenset(lexical_terms(" ".join([own, *about_one]))[1])
            if not q.wants_number:
                return terms
            # a figure beside "các thị trường Nhật Bản, Đài Loan, Hàn Quốc" is none of theirs
            listed = {
                t
                for key in listed_countries(own)
                for name in country_names(key)
                for t in lexical_terms(name)[1]
            }
            return terms - (listed - frozenset(lexical_terms(" ".join(about_one))[1]))

        sentence = seg.leading
        if q.wants_number:
            # a figure beside "(Hủa Phăn, Xiêng Khoảng, Luông Pha Băng)" is none of theirs
            # (unless the question lists them too: "with Houaphanh, Xieng Khouang and …")
            listed = listed_partners(lead_in(seg))
            if listed and len(listed & listed_partners(q.text)) < 2:
                sentence -= {t for name in listed for t in lexical_terms(name)[1]}
        return required.met_by(
            sentence,
            seg.passage_terms,
            words.title,
            topical,
            paragraph,
            lambda term: term in words.lead or words.body[term] > 0,
            words.lead,
            figure=q.wants_number,
        )

    def _next_passage(self, best: Segment) -> Passage | None:
        """The chunk after the best clause's when it is the next part of the same
        paragraph (chunks of one article are stored in order, so its id is the next
        one; anything else is ignored)."""
        after = best.passage.chunk_id + 1
        following = self.index.passages([after]).get(after)
        if (
            following is None
            or following.doc_id != best.passage.doc_id
            or following.start <= best.passage.start
        ):
            return None
        if following.start > best.passage.end:
            # the splitter left the space between the chunks out: read it from the article
            # (a line break there ends the paragraph, and the continuation with it)
            doc = self.index.get_document(following.doc_id)
            gap = doc.text[best.passage.end : following.start] if doc else "\n"
            if "\n" in gap or len(gap) > 3:
                return None
            following = replace(following, start=best.passage.end, text=gap + following.text)
        return following

    def _later_passages(self, best: Segment) -> list[Passage]:
        """The next chunks of the best clause's article, at most
        ``tuning.completion_chunks`` (stored in order after it)."""
        first = best.passage.chunk_id + 1
        found = self.index.passages(list(range(first, first + self.tuning.completion_chunks)))
        return [
            p
            for _, p in sorted(found.items())
            if p.doc_id == best.passage.doc_id and p.start > best.passage.start
        ]

    def _scored(
        self,
        passages: list[Passage],
        known: list[Segment],
        q: Question,
        weights: dict[str, float],
        alternative: dict[str, float] | None,
        query_vector: np.ndarray,
    ) -> list[Segment]:
        """The passages' segments not among ``known``, scored like the others."""
        have = {(s.passage.doc_id, s.start, s.end) for s in known}
        fresh = [
            s
            for s in segments_of(passages, self._segments)
            if (s.passage.doc_id, s.start, s.end) not in have
        ]
        if fresh:
            vectors = self.vectors.of(fresh)
            score_segments(fresh, q, weights, query_vector, vectors, self.tuning, alternative)
        return fresh

    def _named_elsewhere(
        self,
        query: str,
        passages: list[Passage],
        segments: list[Segment],
        q: Question,
        scope: QuestionScope,
        required: Requirement,
        subject: Mapping[str, str],
    ) -> Answer | None:
        """Asked for a name ("địa phương nào của Nhật Bản") that no clause gives: the
        refusal says so and quotes, cited, what the articles do say about it ("… các quốc
        gia trọng điểm như Nhật Bản …"), if a clause would answer but for the name."""
        if q.named_kind is None:
            return None
        countries = [name for name in q.names if fold(name) in COUNTRIES]
        asked = foreign_keys(fold(c) for c in countries)
        loose = replace(q, named_kind=None)
        close = [
            s
            for s in segments
            if self._eligible(s, loose, scope, required, subject) and asked <= foreign_in(s.text)
        ]
        if not close:
            return None
        best = max(close, key=lambda s: s.score)
        if not self._supported(loose, best):
            return None
        about = ", ".join(f"“{c}”" for c in countries)
        said = f"có nhắc đến {about}" if about else "có thông tin liên quan"
        message = (
            f"{NOT_FOUND_VI} Các bài viết {said} nhưng không nêu tên "
            f"{q.named_kind.forms[0] if q.english else q.named_kind.written} cụ thể nào [1]."
        )
        citation = citation_for(1, best.passage, best.start, best.end, best.text)
        return refusal(
            query, passages, f"{message}\n{_as_sentence(best.text, 1)}", citations=[citation]
        )

    def _correcting(self, best: dict[str, Segment]) -> frozenset[str]:
        """Corrections whose best clause states a figure that the best-matching other
        article does not contain: they correct it (rather than restate it)."""
        originals = [
            s for s in best.values() if not (s.passage.scope and s.passage.scope.correction)
        ]
        if not originals:
            return frozenset()
        body = self.articles.get(max(originals, key=lambda s: s.score).passage.doc_id).body
        return frozenset(
            doc
            for doc, seg in best.items()
            if seg.passage.scope
            and seg.passage.scope.correction
            and any(t not in body for t in seg.terms if _FIGURE_TERM.fullmatch(t))
        )

    def _supported(self, q: Question, best: Segment, structured: bool = False) -> bool:
        """Does the best segment answer at all? Its score must reach the threshold and,
        for a Vietnamese question, it must share enough of the question's (rarity-
        weighted) words: a similar-sounding sentence about another topic is no answer.
        ``structured``: the segment states the measure the question names (kiều hối,
        nhập khẩu) or dates the event it asks about (checked before), so the reader's
        other words may be their own."""
        if q.english:  # few Vietnamese words to share (the glossary's): the meaning must
            # be close, or the glossary's words found (or the structure) make up for a
            # little distance
            return (
                best.similarity >= self.tuning.english_min_similarity
                or best.score >= self.tuning.refusal_threshold
                or (
                    (structured or best.coverage >= self.tuning.english_min_coverage)
                    and best.similarity >= self.tuning.english_covered_similarity
                )
            )
        covered = best.coverage >= self.tuning.min_coverage or (
            (structured or best.similarity >= self.tuning.close_similarity)
            and best.coverage >= self.tuning.close_min_coverage
        )
        return (
            best.score >= self.tuning.refusal_threshold and covered
        ) or best.similarity >= self.tuning.similarity_alone


def _asked_countries(q: Question) -> frozenset[str]:
    """The countries and partners the question names (keys), English names too."""
    return foreign_keys(fold(english_country(n) or n if q.english else n) for n in q.names)


def _without(weights: dict[str, float], terms: set[str]) -> dict[str, float]:
    """The weights without ``terms``, unless nothing would be left."""
    kept = {t: w for t, w in weights.items() if t not in terms}
    return kept or weights


def _alike(
    best: dict[str, Segment],
    vectors: np.ndarray | None,
    threshold: float,
    margin: float,
    scope: QuestionScope,
) -> frozenset[str]:
    """Articles whose best clause means nearly what a best article's does: the same
    measure reported for another period ("Trong năm, tỉnh đã đón tiếp 94 đoàn …" and
    "Tỉnh đã đón tiếp 171 đoàn …"). The best articles are those within ``margin`` of the
    best score of the asked part of the year when one states it (a yearly figure is
    compared with yearly ones; see :attr:`QuestionScope.within_part`)."""
    if vectors is None or not best:
        return frozenset()
    of_part = [
        s
        for s in best.values()
        if not scope.within_part or part_of_year(s.passage.title) == scope.part
    ]
    top = max(of_part or best.values(), key=lambda s: s.score)
    found = {
        s.passage.doc_id: s
        for s in of_part or best.values()
        if s is top or s.score >= top.score - margin
    }
    # each year words it a little differently: a clause close to one already found
    # states the same measure too ("… năm 2023 đạt …" is close to "… năm 2025 đạt …")
    rest = [seg for seg in best.values() if seg.passage.doc_id not in found]
    grew = True
    while grew:
        grew = False
        for seg in rest:
            if seg.passage.doc_id not in found and any(
                float(vectors[seg.order] @ vectors[other.order]) >= threshold
                for other in found.values()
            ):
                found[seg.passage.doc_id] = seg
                grew = True
    return frozenset(found)


def _same_words(
    best: dict[str, Segment], found: frozenset[str], weights: Mapping[str, float], share: float
) -> frozenset[str]:
    """Articles whose best clause has ``share`` of the question's words (by weight) that
    a clause of ``found`` has: another year's statement of the same measure, worded with
    another lead-in ("Các thị trường … mở cửa trở lại giúp số người …: năm 2022, …" and
    "Năm 2025, toàn tỉnh có … người …")."""
    # words, not word pairs: "số người" is one lead-in's, "có 13.204 người" another's
    shared = [
        {t: w for t, w in weights.items() if "_" not in t and t in best[doc].terms}
        for doc in found
        if doc in best
    ]
    return frozenset(
        doc
        for doc, seg in best.items()
        if any(
            sum(w for t, w in words.items() if t in seg.terms) >= share * sum(words.values())
            for words in shared
            if words
        )
    )


# A figure stated as the whole province's ("toàn tỉnh có …", "trên địa bàn tỉnh …").
_WHOLE_PROVINCE = re.compile(
    r"(?<!\w)(?:toàn tỉnh|cả tỉnh|trên địa bàn(?: toàn)? tỉnh|toàn địa bàn)(?!\w)", re.IGNORECASE
)


def _per_article(passages: list[Passage], wanted: int, per_article: int) -> list[Passage]:
    """The best ``wanted`` passages, at most ``per_article`` from any one article but a
    correction (short, and each of its passages restates another corrected figure)."""
    taken: Counter[str] = Counter()
    out: list[Passage] = []
    for passage in passages:
        correction = passage.scope is not None and passage.scope.correction
        if correction or taken[passage.doc_id] < per_article:
            taken[passage.doc_id] += 1
            out.append(passage)
            if len(out) == wanted:
                break
    return out


def _not_found(scope: QuestionScope, question: str) -> str:
    """Why no clause answers: the asked part of a measure is not given separately
    ("lao động nữ"), or nothing about the asked place states it."""
    if scope.as_of:
        return NOT_YET_VI
    parts = ", ".join(f"“{part}”" for part in asked_parts(question))
    places = ", ".join(f"“{name}”" for name in scope.place_names)
    if parts:
        about = f" về {places}" if scope.explicit else ""
        return f"{NOT_FOUND_VI} Các bài viết{about} không nêu số liệu riêng về {parts}."
    if scope.explicit:
        return f"{NOT_FOUND_VI} Các bài viết về {places} không nêu thông tin này."
    return NOT_FOUND_VI


def cite(
    query: str,
    passages: list[Passage],
    chosen: list[Segment],
    note: str | None = None,
    question: Question | None = None,
    best: Segment | None = None,
) -> Answer:
    """The answer quoting the chosen segments (in the article's order), ``[n]`` after
    each; ``note`` (which article was followed) opens it. For a figure, date or name
    ``question`` whose best clause (``best``, else the first) singles one out, a first
    line states it, citing that clause ("14.081,67 triệu USD [2].")."""
    citations: list[Citation] = []
    parts: list[str] = []
    for n, seg in enumerate(chosen, start=1):
        citations.append(citation_for(n, seg.passage, seg.start, seg.end, seg.text))
        parts.append(_as_sentence(seg.text, n))
    text = " ".join(parts)
    answering = next((n for n, seg in enumerate(chosen, start=1) if seg is best), 1)
    lead = answer_lead(question, chosen[answering - 1].text) if question and chosen else None
    if lead:
        # "Remittances: Theo bài đăng ngày …, 285 triệu USD [1]." (the note stays
        # Vietnamese; the label is what the English question asks about)
        label = f"{english_label(question.text)}: " if question and question.english else ""
        opening = label + _after_note(note, lead.text)
        # a line of its own starts with a capital ("Hơn 100 quốc gia [1].")
        text = f"{opening[:1].upper()}{opening[1:]} [{answering}].\n{text}"
    elif note:
        text = _after_note(note, text)
    return Answer(
        answer=text,
        answerable=True,
        mode="extractive",
        query=query,
        citations=citations,
        passages=passages,
        lead=lead.text if lead else None,
        lead_citation=answering if lead else None,
    )


def _after_note(note: str | None, text: str) -> str:
    """``text`` after the note on which article was followed ("Theo bài đăng …, ")."""
    if not note:
        return text
    return note + text if starts_with_name(text) else note + text[:1].lower() + text[1:]


def starts_with_name(text: str) -> bool:
    """Is the first word a name (kept capitalised after a lead-in)? Two capitalised
    words in a row, or an acronym, say so."""
    words = text.split()
    if not words:
        return False
    if words[0].isupper() and len(words[0]) > 1:
        return True
    return len(words) > 1 and words[0][:1].isupper() and words[1][:1].isupper()


def _as_sentence(text: str, n: int) -> str:
    """A quoted segment as a sentence of the answer: capitalised, marker before the stop."""
    body = text.rstrip().rstrip(".;,:…")
    body = body[:1].upper() + body[1:]
    return f"{body} [{n}]."
