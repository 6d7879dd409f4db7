"""Extractive answers: the sentences (or clauses) of the retrieved passages that answer
the question, each quoted exactly and cited.

Nothing is generated, so nothing can be invented: figures, names and codes are copied
from the article. Candidate segments are sentences split further at ``;`` (the articles
pack several facts into one sentence), scored by how much of the question they cover
(terms weighted by rarity), by their semantic similarity to the question, and by whether
they carry the kind of fact asked for (a figure, a date).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from assistant.answer.kinds import (
    RANK,
    as_reached,
    asked_code_issuer,
    asked_side,
    asked_unit,
    asked_unit_topic,
    asks_for_a_country,
    asks_for_a_role,
    asks_for_contact,
    asks_for_rank,
    asks_for_target,
    asks_for_the_first,
    asks_one_projects_money,
    asks_price,
    asks_worth_of_each,
    codes_of_issuer,
    counted_word,
    english_money,
    holds_the_role,
    measured_in,
    names_a_person,
    names_of_kind,
    names_someone,
    of_another_side,
    ranks_first,
    states_contact,
    states_counted,
    states_price,
    states_unit,
    states_worth_of_each,
    totals_several_projects,
)
from assistant.answer.question import (
    Question,
    event_forms,
    events_in,
    is_english,
    without_false_events,
)
from assistant.core.cache import BoundedCache
from assistant.core.tuning import Tuning
from assistant.core.types import Passage
from assistant.core.words import CHAT_PARTICLES, STOPWORDS
from assistant.text.periods import DATE_OPENING
from assistant.text.places import (
    COUNTRIES,
    countries_in,
    foreign_in,
    foreign_keys,
    known_provinces,
    only_set_aside,
    partners_of,
)
from assistant.text.sentences import split_sentences
from assistant.text.vietnamese import fold, has_diacritics, lexical_terms, unify_tones

# Discourse connectors that open a sentence but carry no fact; the quote starts after them.
_LEADING_CONNECTOR = re.compile(
    r"^(?:Nhờ đó|Trong đó|Đồng thời|Cùng với đó|Bên cạnh đó|Ngoài ra|Theo đó|Do đó|"
    r"Tuy nhiên|Vì vậy|Như vậy|Hàng năm|Hằng năm)\s*,\s*"
)
_CLAUSE_BREAK = re.compile(r";\s+")
_DATE = re.compile(r"\b\d{1,2}[-/]\d{1,2}[-/]\d{4}\b|\bnăm \d{4}\b|\b(?:19|20)\d{2}\b")
_NUMBER = re.compile(r"\d")
# A date as a lexical term: "21_9_2023" (day, month, year), "9_2023" (month, year).
_DATE_TERM = re.compile(r"^(?:\d{1,2}_)?\d{1,2}_(?:19|20)\d\d$")
# A sentence that opens with its date ("Ngày 20-9-2023, …", "Sáng 27-10-2022, …").
_OPENING_DATE = re.compile(rf"^{DATE_OPENING}\s*,")
# A clause that gives a cause (as written: folded, "do" would also be "đó", "độ").
_REASON = re.compile(
    r"(?<!\w)(?:do|vì|bởi|nhờ|nguyên nhân|lý do|trong bối cảnh|khiến|dẫn đến|thiếu hụt|"
    r"vì vậy|do đó|bởi vậy)(?!\w)|, nên(?!\w)"
)
# A clause that says how, or what will be done: "theo hình thức", "bằng cách", "sẽ".
_MANNER = re.compile(
    r"(?<!\w)(?:theo hình thức|bằng hình thức|bằng cách|bằng việc|thông qua|theo phương thức|"
    r"theo mô hình|phương châm|kết hợp|vừa \w+ vừa|sẽ|dự kiến)(?!\w)"
)


# Kind nouns that folding confuses ("trường" with "trưởng"; "thị trường" is a market),
# matched as written.
_KIND_WRITTEN = {
    "truong": re.compile(r"(?<!thị )(?<!môi )(?<!\w)trường(?!\w)"),
    # a work handed over is named by what it is ("bàn giao Trường …, 4 nhà văn hóa bản")
    "cong trinh": re.compile(
        r"(?<!\w)(?:công trình|trường|bệnh xá|bệnh viện|trạm y tế|nhà văn hóa|trụ sở|"
        r"cầu|đường|nhà máy|ký túc xá|nhà ở|khu tái định cư|hệ thống)(?!\w)"
    ),
    # a document is named by what it is ("ký Biên bản ghi nhớ", "ký kế hoạch hợp tác")
    "van ban": re.compile(
        r"(?<!\w)(?:văn bản|biên bản|thỏa thuận|hiệp định|nghị quyết|chỉ thị|quyết định|"
        r"(?<!sở )kế hoạch|chương trình hợp tác|văn kiện|bản ghi nhớ|ghi nhớ)(?!\w)"
    ),
    **dict.fromkeys(("khu vuc", "vung"), re.compile(r"(?<!\w)(?:khu vực|vùng)(?!\w)")),
    **dict.fromkeys(
        ("han che", "diem yeu", "yeu kem", "bat cap"),
        re.compile(r"(?<!\w)(?:hạn chế|điểm yếu|yếu kém|bất cập|tồn tại)(?!\w)"),
    ),
}


def completes(seg: Segment, question: Question) -> bool:
    """Does the clause give what a "vì sao" (a cause), "thế nào" (a way) or "lĩnh vực
    nào" (the items, named by that noun) asks for?"""
    if question.asked_kind and not question.wants_explanation:
        written = _KIND_WRITTEN.get(question.asked_kind)
        if written:
            return bool(written.search(unify_tones(seg.text.lower())))
        return bool(re.search(rf"\b{question.asked_kind}\b", fold(seg.text)))
    cue = _REASON if question.wants_reason else _MANNER if question.wants_manner else None
    return bool(cue and cue.search(unify_tones(seg.text.lower())))


# A count whose items the question asks ("Kể tên 7 doanh nghiệp …", "5 dự án giao thông
# nào"): the number and the noun after it ("trẻ em dưới 5 tuổi" asks no items).
_GIVEN_COUNT = re.compile(
    r"(?:kể tên|liệt kê|nêu tên)\s+(?:(?:cả|các|những)\s+)?(\d{1,4})\s+([^\W\d_]+)|"
    r"(?<![\d.,/-])(\d{1,4})\s+([^\W\d_]+)(?:\s+[^\W\d_]+){0,4}\s+(?:nào|gì)(?!\w)",
    re.IGNORECASE,
)
# What lists the items after a count, anywhere in its clause: "gồm …", ": …", or a
# bracket of several ("… các địa phương của Lào (Hủa Phăn, Xiêng Khoảng, …)"), not one
# that only says where ("tỉnh Tula (Liên bang Nga)").
_ITEMS_OPEN = re.compile(r"\([^)]*,[^)]*\)|:|(?<!\w)(?:gồm|như)(?!\w)")
# Nouns of time after a number: "5 năm qua" is a span, not a count of items.
_TIME_NOUNS = frozenset("năm tháng ngày tuần quý giờ phút kỳ lần".split())


def only_counts(seg: Segment, question: Question) -> bool:
    """Does the clause repeat a count the question asks the items of without naming them
    ("Kể tên 7 doanh nghiệp …": "… cùng đại diện 7 doanh nghiệp đã thăm …")? It restates
    the question; the items are elsewhere, or nowhere."""
    for given in _GIVEN_COUNT.finditer(question.text):
        number, noun = (given.group(1), given.group(2)) if given.group(1) else given.group(3, 4)
        if re.fullmatch(r"(?:19|20)\d\d", number) or noun.lower() in _TIME_NOUNS:
            continue
        pattern = rf"(?<![\d.,]){number}\s+{re.escape(noun)}(?!\w)"
        for stated in re.finditer(pattern, seg.text, re.IGNORECASE):
            if not _ITEMS_OPEN.search(seg.text[stated.end() :]):
                return True
    return False


def restated_without_cause(chosen: Sequence[Segment], question: Question) -> bool:
    """Asked why a figure is what it is ("Vì sao … chỉ đạt 92,02% kế hoạch?"), do the
    quotes only restate that figure and give no cause? They read the question back, not
    its answer: the articles do not say why."""
    given = [n for n in (t.rstrip("%") for t in question.numbers) if _FIGURE.fullmatch(n)]
    return (
        question.wants_reason
        and bool(given)
        and any(n in seg.text for seg in chosen for n in given)
        and not any(completes(seg, question) for seg in chosen)
    )


# An outcome asked ("kết quả thế nào", "tỷ số mấy", "thắng hay thua"), and a clause that
# only foretells one ("Ở vòng 10, … sẽ làm khách trên sân Hàng Đẫy"), as written.
_OUTCOME_ASKED = re.compile(r"(?<!\w)(?:kết quả|tỷ số|thắng hay thua|thắng hay hòa)(?!\w)")
_FORETOLD = re.compile(r"(?<!\w)(?:sẽ|dự kiến|dự định|chuẩn bị)(?!\w)")


def foretells_only(seg: Segment, question: Question) -> bool:
    """Asked how something turned out, does the clause only say what was to happen? A
    plan is no result (unless the question asks for the plan)."""
    asked = unify_tones(question.text.lower())
    return (
        not question.broad
        and bool(_OUTCOME_ASKED.search(asked))
        and not _FORETOLD.search(asked)
        and not asks_for_target(question.folded)
        and bool(_FORETOLD.search(unify_tones(seg.text.lower())))
    )


# A figure that answers "bao nhiêu": a number that is not a year, a year range or a date.
_FIGURE = re.compile(
    r"(?<![\d.,/-])(?<!tháng )(?<!Tháng )(?<!vòng )(?<!khóa )"
    r"(?!(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?(?![\d.,]\d))"
    r"(?!\d{1,2}[-/]\d{1,2}[-/]\d{4})\d+(?:[.,]\d+)*"
    # "6 tháng cuối năm" is a part of the year, "tháng 6" a month: neither is a figure
    r"(?!\s+tháng)"
)


@dataclass
class Segment:
    """A quotable span of a document: ``document.text[start:end] == text``."""

    passage: Passage
    start: int
    end: int
    text: str
    terms: frozenset[str]
    context: frozenset[str] = frozenset()  # terms of its sentence and the one before
    # terms of the sentence before and of its own sentence up to the clause's end: where
    # what the clause is about is named ("Năm 2019, với Hủa Phăn, …; trao đổi 47 đoàn"),
    # unlike the clauses after it ("… 15,86 tỷ USD; nhà đầu tư Hàn Quốc, Nhật Bản …")
    leading: frozenset[str] = frozenset()
    passage_terms: frozenset[str] = frozenset()
    sentence_start: int = 0  # document offset where the segment's sentence begins
    # terms of the next sentence of the paragraph and where it begins (-1: none): news
    # dates the meeting and tells the signing after it ("Ngày 20-9-2023, … đã làm việc
    # với …. Hai bên đã ký Biên bản ghi nhớ …")
    following: frozenset[str] = frozenset()
    following_start: int = -1
    coverage: float = 0.0
    similarity: float = 0.0
    score: float = 0.0
    order: int = 0  # position among candidates, for stable tie-breaking


@dataclass
class Selection:
    segments: list[Segment]
    candidates: list[Segment] = field(default_factory=list)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    match = _LEADING_CONNECTOR.match(text[start:end])
    if match and end - start - match.end() > 20:
        start += match.end()
    return start, end


def _passage_segments(passage: Passage) -> list[Segment]:
    """The quotable segments of one passage (independent of the question)."""
    text = passage.text
    passage_terms = frozenset(lexical_terms(text)[1])
    previous: frozenset[str] = frozenset()
    out: list[Segment] = []
    sentences = split_sentences(text)
    for i, (s_start, s_end) in enumerate(sentences):
        sentence_terms = frozenset(lexical_terms(text[s_start:s_end])[1])
        after = sentences[i + 1] if i + 1 < len(sentences) else None
        if after and "\n" in text[s_end : after[0]]:
            after = None  # another paragraph
        following = frozenset(lexical_terms(text[after[0] : after[1]])[1]) if after else frozenset()
        context = sentence_terms | previous
        earlier, previous = previous, sentence_terms
        pieces = []
        cursor = s_start
        for brk in _CLAUSE_BREAK.finditer(text, s_start, s_end):
            if text.count("(", s_start, brk.start()) > text.count(")", s_start, brk.start()):
                continue  # a ';' inside brackets separates list items, not facts
            if ":" in text[s_start : brk.start()]:
                continue  # so does one after a colon ("5 lĩnh vực: …; …; …")
            pieces.append((cursor, brk.start()))
            cursor = brk.end()
        pieces.append((cursor, s_end))
        for p_start, p_end in pieces:
            start, end = _trim(text, p_start, p_end)
            if end - start < 12:
                continue
            piece = text[start:end]
            leading = frozenset(lexical_terms(text[s_start:end])[1]) | earlier
            out.append(
                Segment(
                    passage=passage,
                    start=passage.start + start,
                    end=passage.start + end,
                    text=piece,
                    terms=frozenset(lexical_terms(piece)[1]),
                    context=context,
                    leading=leading,
                    passage_terms=passage_terms,
                    sentence_start=passage.start + s_start,
                    following=following,
                    following_start=passage.start + after[0] if after else -1,
                )
            )
    return out


def lead_in(seg: Segment) -> str:
    """The segment with the start of its sentence before it: a year stated before a
    clause ("Năm 2023, …; …") is its year, one after it is another clause's."""
    offset = seg.passage.start
    return seg.passage.text[seg.sentence_start - offset : seg.end - offset]


def _paragraph_context(seg: Segment) -> frozenset[str]:
    """Terms of the segment's sentence and of the one before it in its paragraph (a
    paragraph on exports after one on investment speaks of no capital)."""
    return frozenset(lexical_terms(" ".join([*earlier_in_paragraph(seg)[:1], lead_in(seg)]))[1])


def earlier_in_paragraph(seg: Segment, article: str = "") -> list[str]:
    """The sentences before the segment's own in its paragraph, nearest first: a report
    states the year once ("Theo báo cáo, trong năm 2023, …. Tỉnh hỗ trợ … 18,5 tỷ đồng")
    and the sentences after it keep to that year. Read from the ``article``'s text when
    given (a chunk may start inside a paragraph), else from the segment's chunk."""
    offset = 0 if article else seg.passage.start
    text = article or seg.passage.text
    begin = seg.sentence_start - offset
    paragraph = text.rfind("\n", 0, begin) + 1
    before = text[paragraph:begin]
    return [before[a:b] for a, b in reversed(split_sentences(before))]


class SegmentCache:
    """Segments per chunk id. A chunk id is never reused (the store's AUTOINCREMENT), so
    its segments never go stale; the least recently used are dropped beyond ``limit``."""

    def __init__(self, limit: int = 20_000) -> None:
        self._by_chunk: BoundedCache[int, list[Segment]] = BoundedCache(limit)

    def get(self, passage: Passage) -> list[Segment]:
        found = self._by_chunk.get(passage.chunk_id)
        if found is None:
            found = _passage_segments(passage)
            self._by_chunk.put(passage.chunk_id, found)
        return found


def segments_of(passages: Sequence[Passage], cache: SegmentCache | None = None) -> list[Segment]:
    """Sentences and ';'-clauses of the passages, de-duplicated across overlapping chunks,
    as fresh objects (scores are per question) tied to this retrieval's passages."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Segment] = []
    for passage in passages:
        templates = cache.get(passage) if cache else _passage_segments(passage)
        for template in templates:
            key = (passage.doc_id, template.start, template.end)
            if key in seen:
                continue
            seen.add(key)
            out.append(replace(template, passage=passage, order=len(out)))
    return out


# The chat particles in the tone placement the lexical terms are compared in.
_CHAT = frozenset(map(unify_tones, CHAT_PARTICLES))


def query_weights(
    query: str,
    focus: str,
    doc_freq: Callable[[list[str]], dict[str, int]],
    n_chunks: int,
    tuning: Tuning,
) -> dict[str, float]:
    """Folded query terms (syllables and bigrams, no stop words) weighted by rarity; the
    new question's own words (``focus``) count double in a rewritten follow-up."""
    # a pair with a function word ("la_bao", "bao_nhieu", "nam_cua") is the question's
    # grammar, not its topic: weighted as rare, it would drown the words that matter
    exact, folded = lexical_terms(query)
    chat = {f for e, f in zip(exact, folded, strict=True) if unify_tones(e) in _CHAT}
    chat |= {part for term in chat if "_" in term for part in term.split("_")}
    terms = [
        t
        for t in folded
        if not any(p in STOPWORDS or p in chat for p in t.split("_")) and t not in chat
    ]
    focus_terms = set(lexical_terms(focus)[1]) if focus != query else set()
    df = doc_freq([*terms, *(p for t in terms if "_" in t for p in t.split("_"))])
    if has_diacritics(query) and not is_english(query):
        # a lower-case word typed without marks that no article writes, in a question
        # typed with them, is English ("And what about imports that same year?" after
        # a Vietnamese question): no word an answer could contain (a name is capitalised)
        foreign = {
            f
            for e, f in zip(exact, folded, strict=True)
            if e.isascii()
            and e.isalpha()
            and not df.get(f, 0)
            and re.search(rf"(?<!\w){re.escape(e)}(?!\w)", query)
        }
        terms = [t for t in terms if not any(p in foreign for p in t.split("_"))]
    weights: dict[str, float] = {}

    def idf(found: int) -> float:
        # BM25's idf: a word in half the chunks says almost nothing, a rare one a lot
        return max(tuning.min_idf, math.log((n_chunks - found + 0.5) / (found + 0.5)))

    for term in terms:
        found = df.get(term, 0)
        parts = term.split("_")
        if not found and len(parts) > 1 and all(df.get(p, 0) for p in parts):
            # two known words never seen side by side ("cung_5", "tinh_mua") are as
            # likely the reader's phrasing as a phrase of the field: weighed as the
            # rarer of the two, not as an unseen name
            weight = max(idf(df[p]) for p in parts)
        else:
            weight = idf(found)
        if "_" in term:
            weight *= tuning.bigram_boost  # a matching pair says more than its syllables
        weights[term] = weight * (tuning.focus_boost if term in focus_terms else 1.0)
    return weights


def score_segments(
    segments: list[Segment],
    question: Question,
    weights: dict[str, float],
    query_vector: np.ndarray | None,
    segment_vectors: np.ndarray | None,
    tuning: Tuning,
    alternative: dict[str, float] | None = None,
) -> None:
    """Fill coverage, similarity and score of every segment. ``alternative``: weights of
    the question in the articles' wording (the lexicon's); a clause's coverage is the
    better of the two."""
    coverage_weight = tuning.coverage_weight_english if question.english else tuning.coverage_weight
    share = tuning.passage_similarity_share
    anchors = {t for t in weights if _NUMBER.search(t)} | set(name_terms(question))
    counted = counted_word(question.text) if question.wants_number else None
    for i, seg in enumerate(segments):
        # words of the question found in the segment count fully; a year or a name found
        # only in its sentence or the sentence before (the clause's context), half
        told = (
            seg.following
            if question.wants_date and _dates_next_sentence(seg, question.events)
            else frozenset()
        )
        seg.coverage = _coverage(seg, weights, anchors, told)
        if alternative:
            seg.coverage = max(seg.coverage, _coverage(seg, alternative, anchors, told))
        passage_similarity = seg.passage.dense_score
        if segment_vectors is not None and query_vector is not None:
            own = float(segment_vectors[i] @ query_vector)
            # a clause read alone loses its context; its passage's similarity restores some
            seg.similarity = (
                own
                if passage_similarity is None
                else ((1 - share) * own + share * passage_similarity)
            )
        else:
            seg.similarity = passage_similarity or 0.0
        cue = 0.0
        if question.wants_number:  # "bao nhiêu" cannot be answered without a figure
            cue += tuning.figure_bonus if _FIGURE.search(seg.text) else -tuning.figure_penalty
            if counted and states_counted(seg.text, counted):
                cue += tuning.counted_bonus  # "cao mấy tầng": "khối nhà 9 tầng nổi"
        if question.wants_date:
            cue += tuning.date_bonus if _DATE.search(seg.text) else -tuning.date_penalty
        if question.wants_explanation and completes(seg, question):
            cue += tuning.reason_bonus
        seg.score = coverage_weight * seg.coverage + seg.similarity + cue


def _coverage(
    seg: Segment, weights: dict[str, float], anchors: set[str], told: frozenset[str]
) -> float:
    """Share of the question's weight the clause carries; a year or a name found only in
    its sentence or the one before (the clause's context), counts half. ``told``: terms
    of the sentence whose event the clause dates (it answers with them)."""
    total = sum(weights.values()) or 1.0
    terms = seg.terms | told
    return (
        sum(
            w if t in terms else (0.5 * w if t in anchors and t in seg.context else 0.0)
            for t, w in weights.items()
        )
        / total
    )


def _states_new_figure(text: str, given: set[str]) -> bool:
    """Does the text state a figure beyond those the question gives?"""
    return any(m.group(0) not in given for m in _FIGURE.finditer(text))


# A day asked for ("ngày nào", "hôm nào", "what date"), folded; and a day as written.
_ASKS_DAY = re.compile(r"\b(?:ngay nao|hom nao|ngay may|ngay bao nhieu|what date|which day)\b")
_DAY = re.compile(r"(?<![\d-])\d{1,2}[-/]\d{1,2}(?:[-/](?:19|20)\d\d)?(?![\d-])")
# "những huyện nào", "các nước nào": the first few asked, not the first one (folded).
_SEVERAL_ASKED = re.compile(r"\b(?:nhung|cac)(?: \w+){1,3} nao\b")


def has_asked_kind(seg: Segment, question: Question) -> bool:
    """A question for a figure ("bao nhiêu") or a date ("ngày nào") is only answered by
    a sentence that states one beyond those the question already gives."""
    given = set(question.numbers)
    # a goal ("phấn đấu đón 120.000 lượt") answers only a question asking for one
    # nor a figure a correction takes back ("có nội dung: “… 6.420,9 triệu USD”")
    stated = (
        seg.text
        if asks_for_target(question.folded) or not question.wants_number
        else as_reached(seg.text, _FIGURE)
    )
    if question.wants_number and not _states_new_figure(stated, given):
        return False
    if question.wants_date:
        dates = {m.group(0).removeprefix("năm ") for m in _DATE.finditer(seg.text)}
        if not any(all(d not in g for g in given) for d in dates):
            return False  # only the year the question gives ("năm 2025") is no date
        if _ASKS_DAY.search(question.folded.lower()) and not any(
            m.group(0) not in given for m in _DAY.finditer(seg.text)
        ):
            return False  # "đăng ngày nào": a day, not "so với năm 2021"
        if question.events and not (
            _names_event(seg, question.events) or _dates_next_sentence(seg, question.events)
        ):
            return False  # the date of another event (a visit, not the signing)
        if not signs_the_asked_document(seg, question):
            return False  # a memorandum is not the agreement it leads to
    if question.wants_number:
        # "bao nhiêu lao động" is not answered by "420.000 euro", nor "tổng mức đầu tư"
        # by "rút ngắn 14 km", nor "đứng thứ mấy" by a count
        forms = asked_unit(question.text) or (
            english_money(question.text) if question.english else measured_in(question.text)
        )
        if not states_unit(stated, forms):
            return False
        topic = () if question.english else asked_unit_topic(question.text)
        if topic and not any(t in _paragraph_context(seg) for t in topic):
            return False  # "dân số 1,18 triệu người" counts no workers
        if asks_price(question.text) and not states_price(seg.text):
            return False  # "giá vé bao nhiêu" is not answered by the tickets' revenue
        if asks_worth_of_each(question.text) and not states_worth_of_each(seg.text):
            return False  # "mỗi chiếc xe trị giá": not "2 xe … trị giá 180.000 USD"
        if asks_one_projects_money(question.text) and totals_several_projects(seg.text):
            return False  # one project's capital is not the total of the year's twelve
    if not of_the_asked_span(seg, question):
        return False  # the plan of 2023-2025 is not the asked one of 2024-2027
    if asks_for_contact(question.text) and not states_contact(seg.text):
        return False  # "số điện thoại của Sở Ngoại vụ": not a sentence naming the office
    if asks_for_rank(question.text) and not RANK.search(seg.text):
        return False  # "đứng thứ mấy", "what ranking": a place in a ranking, not a total
    if asks_for_the_first(question.text) and not ranks_first(
        seg.text, several=bool(_SEVERAL_ASKED.search(question.folded.lower()))
    ):
        return False  # "nhiều nhất" is not answered by a total or a list of partners
    if asks_for_a_country(question.text) and not (
        foreign_in(seg.text) - foreign_keys(map(fold, question.names))
    ):
        return False  # "nước nào": a clause naming no other country names none
    if (
        question.named_kind
        and question.named_kind.place
        and not (question.wants_number or question.wants_date or question.wants_explanation)
    ):
        # "địa phương nào của Nhật Bản": a clause naming Japan but no locality of it is
        # no answer; nor is one naming only the places the question gives, or a partner
        # of another country ("tỉnh Tula", "tỉnh Hủa Phăn")
        asked = foreign_keys(map(fold, question.names))
        spans = names_of_kind(seg.text, question.named_kind.forms)
        if not any(_a_new_place_of(fold(seg.text[a:b]), question.folded, asked) for a, b in spans):
            # "tỉnh nào … cả nước": a province of the country is named without its kind
            # ("56 tỉnh, thành phố, trong đó Quảng Ninh dẫn đầu")
            domestic = not asked and {"tỉnh", "thành phố"} & set(question.named_kind.forms)
            if not (domestic and _a_province_not_asked(seg.text, question.folded)):
                return False
    if not question.wants_person:
        return True
    side = asked_side(question.text)
    if side and of_another_side(seg.text, side):
        return False  # the host's governor is no member of the guest delegation
    if asks_for_a_role(question.text):  # "Chủ tịch … là ai": a person, by name
        return names_a_person(seg.text) and holds_the_role(seg.text, question.text)
    return names_someone(seg.text)  # "ai tài trợ": a fund will do


# An agreement asked for ("ký thỏa thuận hợp tác chính thức", "văn kiện hợp tác"), not a
# memorandum.
_AGREEMENT = re.compile(r"\b(?:thoa thuan|hiep dinh|van kien|agreement)\b")
# An agreement said to be signed ("ký kết thỏa thuận hợp tác", "thỏa thuận … đã được
# ký"), not one only named ("đánh giá kết quả thực hiện thỏa thuận … và ký kế hoạch").
_AGREEMENT_SIGNED = re.compile(
    r"\bky(?: ket)?(?: \w+){0,3} (?:thoa thuan|hiep dinh|van kien)\b|"
    r"\b(?:thoa thuan|hiep dinh|van kien)(?: \S+){0,8} (?:duoc|da) ky\b"
)
_MEMORANDUM = re.compile(r"\b(?:ghi nho|memorandum|mou)\b")
# A plan signed ("ký Kế hoạch hợp tác …"): what an agreement is carried out by.
_PLAN_SIGNED = re.compile(
    r"\bky(?: ket)? (?:\w+ ){0,2}ke hoach\b|\bke hoach(?: \S+){0,6} (?:duoc|da) ky\b"
)
# An agreement only aimed at ("làm cơ sở để tiến tới ký kết thỏa thuận hợp tác").
_AIMED_AT = re.compile(r"\b(?:tien toi|huong toi|de)(?: \w+){0,3} (?:thoa thuan|hiep dinh)\b")


def signs_the_asked_document(seg: Segment, question: Question) -> bool:
    """Asked when an agreement was signed, a sentence signing a memorandum of
    understanding (which at most leads to one) does not answer."""
    if not _AGREEMENT.search(question.folded) or _MEMORANDUM.search(question.folded):
        return True
    said = _AIMED_AT.sub(" ", fold(seg.text + " " + _next_sentence_text(seg)))
    # nor a plan signed under it ("đã ký Kế hoạch hợp tác giai đoạn 2023-2025")
    signed_other = _MEMORANDUM.search(said) or _PLAN_SIGNED.search(said)
    return not (signed_other and not _AGREEMENT_SIGNED.search(said))


def _next_sentence_text(seg: Segment) -> str:
    """The sentence after the segment's, as far as its passage holds it."""
    if seg.following_start < 0:
        return ""
    rest = seg.passage.text[max(0, seg.following_start - seg.passage.start) :]
    return rest[: _sentence_end(rest, 0)]


def _gives(question: str, name: str) -> bool:
    """Does the question (folded) give the name (folded) as whole words ("Sachsen" is not
    given by "Mittelsachsen")?"""
    return bool(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", question))


def _a_province_not_asked(clause: str, question: str) -> bool:
    """Does the clause name a Vietnamese province the question (folded) does not?"""
    return any(not _gives(question, key) for key in known_provinces(clause))


def _a_new_place_of(name: str, question: str, asked: frozenset[str]) -> bool:
    """Is ``name`` (folded) a place the question does not give, not a country, and not a
    partner of another country than the ``asked`` ones (:func:`foreign_keys`)?"""
    if _gives(question, name) or name in COUNTRIES:
        return False
    partner_of = foreign_keys([name])
    return not asked or not partner_of or bool(partner_of & asked)


# A document named by its kind and number ("Chỉ thị 15", "Nghị quyết số 22", "Directive
# 41"), folded; English kinds → the Vietnamese ones articles write.
_DOCUMENT_REF = re.compile(
    r"\b(chi thi|nghi quyet|quyet dinh|ket luan|nghi dinh|thong tu|directive|resolution|"
    r"decision|decree)\s+(?:so\s+|no\.?\s+)?(\d+)\b"
)
_DOCUMENT_KIND = {
    "directive": "chi thi",
    "resolution": "nghi quyet",
    "decision": "quyet dinh",
    "decree": "nghi dinh",
}


# A plan, programme or agreement named with its span ("Kế hoạch hợp tác đào tạo nghề
# giai đoạn 2024-2027"), folded: the kind and the years.
_PLAN_SPAN = re.compile(
    r"\b(ke hoach|chuong trinh|thoa thuan|de an|bien ban ghi nho)\b[^.;?]{0,60}?"
    r"\b((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)\b"
)


def of_the_asked_span(seg: Segment, question: Question) -> bool:
    """A question naming a plan by its span is not answered by a sentence (or the next,
    which may tell the signing) naming a plan of the same kind for other years
    ("Kế hoạch hợp tác giai đoạn 2023-2025" for the asked "giai đoạn 2024-2027")."""
    asked = {(kind, f"{a}-{b}") for kind, a, b in _PLAN_SPAN.findall(question.folded)}
    if not asked:
        return True
    kinds = {kind for kind, _ in asked}
    said = fold(lead_in(seg) + " " + _next_sentence_text(seg))
    named = {(kind, f"{a}-{b}") for kind, a, b in _PLAN_SPAN.findall(said) if kind in kinds}
    return not named or bool(named & asked)


def names_the_asked_document(seg: Segment, question: Question) -> bool:
    """A question naming a document ("… thực hiện Chỉ thị 15") is answered by a clause
    whose sentence names it too, not by one about another document of the same kind
    ("Nghị quyết số 31-NQ/CP … thực hiện Nghị quyết số 22"); one asking the number of
    an issuer's document by a clause holding a number that issuer signs."""
    issuer = asked_code_issuer(question.folded.lower())
    if issuer and not codes_of_issuer(seg.text, issuer):
        return False  # "Nghị quyết số mấy của Bộ Chính trị": a "…/TW" number, not "31-NQ/CP"
    asked = [
        (_DOCUMENT_KIND.get(kind, kind), number)
        for kind, number in _DOCUMENT_REF.findall(question.folded)
    ]
    if not asked:
        return True
    said = fold(lead_in(seg))
    return any(re.search(rf"\b{kind}\s+(?:so\s+)?{number}\b", said) for kind, number in asked)


# A figure owned by one country's investors, market or firms, named before it ("các
# nhà đầu tư Nhật Bản có 12 dự án FDI", "Nhật Bản … là thị trường … với 5.836 người").
_COUNTRYS_SHARE = re.compile(
    r"(?:nhà đầu tư|doanh nghiệp|thị trường|đối tác)(?:\s+(?:của|từ|tại))?\s+(?=[A-ZĐ])|"
    r"(?:^|,\s+)(?=[A-ZĐ][^,]{0,40}?\s(?:tiếp tục\s+)?là\s+(?:thị trường|nhà đầu tư|đối tác))"
)


def gives_one_countrys_share(clause: str) -> bool:
    """Does the clause give one country's share of a measure before any other figure,
    not the whole ("Tỉnh có 134 dự án, trong đó Nhật Bản 20" gives the whole first)?"""
    first = _FIGURE.search(clause)
    end = first.start() if first else len(clause)
    return any(
        len(countries_in(clause[m.end() : m.end() + 40])) == 1
        for m in _COUNTRYS_SHARE.finditer(clause[:end])
    )


def of_the_asked_partner(seg: Segment, question: Question) -> bool:
    """A clause naming other countries or partners only ("711 lao động … tại CHLB Đức,
    Úc, Singapore") does not answer for the one the question names (Đài Loan); one
    naming none may (its sentence or article names it). Asked for a figure of no
    country, one country's share is no answer ("bao nhiêu dự án FDI": not "các nhà đầu
    tư Nhật Bản có 12 dự án")."""
    if question.set_aside and only_set_aside(seg.text, question.set_aside):
        return False  # it names only what the reader put aside ("Ngoài Nhật Bản, …")
    asked = foreign_keys(map(fold, question.names))
    if not asked and (
        question.wants_number
        and not question.english  # its countries are English words ("Japan's")
        and not foreign_in(question.text)
        and not (asks_for_a_country(question.text) or asks_for_the_first(question.text))
    ):
        return not gives_one_countrys_share(seg.text)
    if not asked:
        return True
    named = foreign_in(seg.text)
    asked_partners, named_partners = partners_of(asked), partners_of(named)
    if asked_partners and named_partners and not asked_partners & named_partners:
        return False  # "riêng Luông Pha Băng": not the 250 exchanges with Hủa Phăn
    return not named or bool(asked & named)


# Where a sentence ends: after its full stop, before the space that follows.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def _sentence_end(text: str, at: int) -> int:
    """Where the sentence running at offset ``at`` of ``text`` ends (its text's end if
    no full stop follows)."""
    found = _SENTENCE_END.search(text, at)
    return found.start() if found else len(text)


def _names_event(seg: Segment, events: tuple[str, ...]) -> bool:
    """Does the clause, or its sentence (where "Ngày 9-7-2024, … đã ký" often puts the
    date apart from the verb), name one of the events? Not the sentence before:
    "Phát biểu tại lễ ký, …. Tháng 10-2024, …" dates no signing."""
    if set(events) & set(events_in(seg.text)):
        return True
    text, offset = seg.passage.text, seg.passage.start
    own = text[seg.sentence_start - offset : _sentence_end(text, seg.end - offset)]
    terms = frozenset(lexical_terms(without_false_events(own))[1])
    return any(term in terms for term in _event_terms(events))


def _event_terms(events: tuple[str, ...]) -> list[str]:
    """The events as folded terms, in every form an article may name them ("cong_nhan",
    "ghi_danh")."""
    return [fold(form).replace(" ", "_") for event in events for form in event_forms(event)]


def _dates_next_sentence(seg: Segment, events: tuple[str, ...]) -> bool:
    """Is the clause the one dating the event the next sentence tells ("Ngày 20-9-2023,
    tại thành phố Tula, đoàn đã làm việc với …. Hai bên đã ký …")? Only when that
    sentence states no date of its own, and the clause's date opens its sentence."""
    if not seg.following or any(_DATE_TERM.match(t) for t in seg.following):
        return False
    if not _OPENING_DATE.match(lead_in(seg)):
        return False
    return any(term in seg.following for term in _event_terms(events))


def event_sentence(
    best: Segment, segments: Sequence[Segment], events: tuple[str, ...]
) -> Segment | None:
    """The next sentence's segment when ``best`` only dates the event it tells (see
    :func:`_dates_next_sentence`): the answer quotes both, the date and the event."""
    if not events or _names_event(best, events) or best.following_start < 0:
        return None
    return next(
        (
            seg
            for seg in segments
            if seg.passage.doc_id == best.passage.doc_id
            and seg.sentence_start == best.following_start
        ),
        None,
    )


def name_terms(question: Question) -> list[str]:
    """Folded terms (syllables and pairs) of the proper names in the question."""
    return [t for name in question.names for t in lexical_terms(name)[1]]


# A why or how question that also asks for a figure ("…, và số liệu đúng là bao nhiêu?").
_HOW_MUCH_TOO = re.compile(r"\b(?:bao nhieu|how much|how many)\b")


def select(
    segments: list[Segment],
    question: Question,
    tuning: Tuning,
    article: Sequence[Segment] = (),
) -> Selection:
    """The segments that answer (all from one article, chosen before): the best one for
    a factual question, several diverse ones for a list or a broad question, a few for
    "vì sao" (the fact and its cause are often two sentences), in document order.

    ``article``: all the scored segments of that article. The cause or the way that a
    "vì sao" or "thế nào" asks for may be one of them though it is not eligible alone:
    it need not repeat the names or the year the fact beside it states."""
    ranked = sorted(segments, key=lambda s: (-s.score, s.order))
    if not ranked:
        return Selection([], [])
    best = ranked[0]
    limit = (
        tuning.max_answer_sentences
        if (question.broad or question.wants_list)
        else tuning.reason_sentences
        if question.wants_explanation
        else 2
    )
    floor = best.score * (
        tuning.floor_broad
        if question.broad
        else tuning.floor_list
        if limit > 2
        else tuning.floor_factual
    )
    # a summary of results ("tóm tắt kết quả …") is told in figures: a clause that states
    # one ranks higher among its further sentences
    bonus = (
        tuning.results_figure_bonus
        if question.broad and _RESULTS_ASKED.search(question.folded)
        else 0.0
    )

    def rank(seg: Segment) -> float:
        return seg.score + (bonus if bonus and _FIGURE.search(seg.text) else 0.0)

    pool = ranked[1:]
    if question.broad:  # a summary draws on the article's best paragraphs
        pool = sorted(
            (s for s in article or ranked if s is not best), key=lambda s: (-rank(s), s.order)
        )
    chosen = [best]
    cause = _cause_before(best, article or pool) if question.wants_reason else []
    chosen += cause  # "Nhờ đó, thị trường … mở rộng": the sentence before says thanks to what
    if question.wants_completion and not cause and not completes(best, question):
        # the cause, the way or the items are often a sentence of their own that does
        # not repeat the question's words: the article's best one joins, on a lower
        # floor; of several, first one that opens its sentence with the cause ("Do sơ
        # suất …, các chữ số … bị đảo"): it tells why the fact before it is so, while a
        # "do" or "vì" inside a sentence ("nhập khẩu tăng chủ yếu do giá dầu", "xin lỗi
        # … vì sai sót") explains that sentence's own fact
        reason_floor = best.score * tuning.floor_reason
        causes = [
            s
            for s in article or pool
            if s is not best and s.score >= reason_floor and completes(s, question)
        ]
        if causes:
            chosen.append(max(causes, key=lambda s: (_opens_with_cause(s), s.score)))
    if question.wants_explanation and _HOW_MUCH_TOO.search(question.folded):
        # "vì sao …, và số đúng là bao nhiêu?": the cause and the figure, each quoted
        # (an eligible one first: it states the asked measure, not total trade beside it)
        given = set(question.numbers)

        def figures_of(candidates: Sequence[Segment]) -> list[Segment]:
            return [
                s
                for s in candidates
                if all(_overlap(s, other) < 1.0 for other in chosen)
                and _states_new_figure(as_reached(s.text, _FIGURE), given)
            ]

        figures = figures_of(ranked) or figures_of(article or pool)
        if figures:
            chosen.append(max(figures, key=lambda s: s.score))
    if question.broad:
        # a summary of a topic is the paragraph that opens with it: the sentences after
        # the best one in its paragraph, in order, before any other passage's
        chosen += _rest_of_paragraph(best, article or pool)[: tuning.summary_sentences - 1]
    elif question.wants_manner:
        # "bằng cách nào", "chuẩn bị những gì": the ways are the clauses of one sentence
        # ("thành lập tổ công tác …; chuẩn bị các điều kiện …"), quoted whole
        clauses = [
            seg
            for seg in article or pool
            if seg.passage.doc_id == best.passage.doc_id
            and seg.sentence_start == best.sentence_start
            and all(_overlap(seg, other) < 1.0 for other in chosen)
        ]
        room = max(0, tuning.reason_sentences - len(chosen))
        chosen += sorted(clauses, key=lambda s: s.start)[:room]
    for seg in pool:
        if len(chosen) >= limit or rank(seg) < floor:
            break
        if any(_overlap(seg, other) > 0.6 for other in chosen):  # (the companion too)
            continue
        if limit == 2 and not (seg.terms - best.terms) & set(_weighted_terms(question)):
            continue  # a second sentence for a factual question must add asked-for words
        chosen.append(seg)
    chosen.sort(key=lambda s: s.start)
    return Selection(chosen, ranked)


# A summary asked for in results or figures (folded).
_RESULTS_ASKED = re.compile(r"\b(?:ket qua|con so|so lieu|thanh tich|thanh tuu|results?|figures)\b")

# A sentence opening by pointing back at its cause ("Nhờ đó, …", "Do đó, …").
_THEREFORE = re.compile(
    r"\s*(?:nhờ đó|nhờ vậy|do đó|do vậy|vì vậy|vì thế|bởi vậy|từ đó|kết quả là)\s*,?\s*$",
    re.IGNORECASE,
)


def _cause_before(best: Segment, segments: Sequence[Segment]) -> list[Segment]:
    """The clauses of the sentence before ``best``'s when ``best`` opens its sentence
    with "Nhờ đó" or "Do đó" (the connector itself is not quoted): that sentence is the
    cause it points back at. Empty when the passages do not hold it."""
    passage = best.passage
    opening = passage.text[best.sentence_start - passage.start : best.start - passage.start]
    if best.sentence_start < passage.start or not _THEREFORE.fullmatch(unify_tones(opening)):
        return []
    before = [
        seg
        for seg in segments
        if seg.passage.doc_id == passage.doc_id and seg.end <= best.sentence_start
    ]
    if not before:
        return []
    last = max(before, key=lambda seg: seg.end)
    if "\n" in passage.text[max(0, last.end - passage.start) : best.start - passage.start]:
        return []  # another paragraph
    return sorted(
        (seg for seg in before if seg.sentence_start == last.sentence_start),
        key=lambda seg: seg.start,
    )


_CAUSE_OPENING = re.compile(r"(?:do|vì|bởi|nhờ|nguyên nhân|lý do)(?!\w)", re.IGNORECASE)


def _opens_with_cause(seg: Segment) -> bool:
    """Does the segment open its sentence with a cause ("Do sơ suất …", "Nguyên nhân là")?"""
    return seg.start == seg.sentence_start and bool(_CAUSE_OPENING.match(unify_tones(seg.text)))


def _rest_of_paragraph(best: Segment, segments: Sequence[Segment]) -> list[Segment]:
    """The segments after ``best`` in its paragraph (its passage or the next one, no line
    break between), in the article's order."""
    return sorted(
        (
            seg
            for seg in segments
            if seg.passage.doc_id == best.passage.doc_id
            and seg.start >= best.end
            and _same_paragraph(best, seg)
        ),
        key=lambda seg: seg.start,
    )


def _same_paragraph(first: Segment, later: Segment) -> bool:
    """No line break between ``first`` and ``later`` (which starts after it), read from
    their passages: ``later``'s may be the next chunk, overlapping ``first``'s."""
    one, two = first.passage, later.passage
    if two.start > one.end:
        return False  # a gap the passages do not show
    between = one.text[first.end - one.start :] if two is not one else ""
    start = max(first.end, one.end) if two is not one else first.end
    between += two.text[max(0, start - two.start) : later.start - two.start]
    return "\n" not in between


def _weighted_terms(question: Question) -> list[str]:
    return [t for t in lexical_terms(question.text)[1] if t not in STOPWORDS]


def _overlap(a: Segment, b: Segment) -> float:
    if a.passage.doc_id == b.passage.doc_id and a.start < b.end and b.start < a.end:
        return 1.0
    union = len(a.terms | b.terms) or 1
    return len(a.terms & b.terms) / union
