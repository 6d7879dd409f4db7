"""Suggested questions for the chat's empty screen, drawn from the indexed articles.

Sentences that state a figure ("… đạt 14.081,67 triệu USD") are turned into the question
they answer ("… đạt bao nhiêu?"). Deterministic, no model call; :class:`Suggester`
computes them once per index generation and keeps only the latest list.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.core.types import Document
from assistant.index.index import Index
from assistant.text.sentences import split_sentences

MAX_SUGGESTIONS = 6
SUGGESTION_SCAN_DOCUMENTS = 200  # newest articles scanned for suggested questions


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A figure: 14.081,67 / 3.777,5 / 79 / 2,5 — not part of a date, code or range like
# 15-4-2010, 41-CT/TW, 2016-2020.
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/-]|[.,]\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# A measure after the figure: the question then ends with "bao nhiêu?".
_UNIT = re.compile(
    r"\s*(?:(?:triệu|tỷ|nghìn|ngàn)\s+\w+|USD|đồng|%|ha|tấn|km|m2|MW)(?!\w)", re.IGNORECASE
)
# A duration ("5 năm") is not a figure worth asking about.
_DURATION = re.compile(r"\s*(?:năm|tháng|ngày|tuần|giờ|phút)\b", re.IGNORECASE)
# The second half of a range: "150 đến 180", "2 - 3".
_RANGE_END = re.compile(r"\s*(?:đến|tới|-|–)\s*\d[\d.,]*")
# A clause that sets the time of the sentence: "Trong giai đoạn 2016-2020", "Năm 2019".
_TIME_CONTEXT = re.compile(
    r"^(?:trong\s+|tính\s+đến\s+|lũy\s+kế\s+đến\s+(?:hết\s+)?|đến\s+(?:hết\s+)?)?"
    r"(?:giai\s+đoạn|năm|hằng\s+năm|hàng\s+năm|tháng|quý|\d+\s+năm)\b",
    re.IGNORECASE,
)
# Where the noun phrase after a figure stops.
_PHRASE_END = re.compile(r"\s*\(|\s[-–]\s|\s(?:với|trong đó|tăng|gấp|đạt|so với)\s|\svà\s+\d")
# Clauses starting like this continue another clause: they have no subject of their own.
_NO_SUBJECT = _words(
    "với gấp tăng giảm đứng chiếm bằng trên dưới hơn từ đến và nhưng trong riêng gồm đạt khoảng như"
)
# Words before a figure that make it a label, not a quantity ("thứ 8", "Nghị quyết số 22").
_LABEL_BEFORE = _words("thứ số ngày tháng năm quý khóa lần đoạn")
_APPROXIMATELY = _words("khoảng gần hơn trên từ")
_DANGLING = _words("tại của ở với và cho từ đến các những trong theo về bằng là được")
_MAX_PHRASE_WORDS = 10
_MAX_QUESTION_CHARS = 130


@dataclass(frozen=True)
class _Candidate:
    question: str
    score: int
    position: int


def _clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    for part in re.split(r";\s+", sentence):
        parts.extend(p.strip() for p in re.split(r",\s+", part) if p.strip())
    return parts


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the clause starts with a proper name
    (two capitalised words: "Nghệ An", "Ban Quản lý")."""
    words = text.split(maxsplit=2)
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _noun_phrase(rest: str) -> str | None:
    """The words after a figure that say what is counted ("dự án FDI")."""
    rest = rest.strip()
    if not rest or not rest[0].isalpha():
        return None
    end = _PHRASE_END.search(rest)
    if end and end.start() > 0:
        rest = rest[: end.start()]
    words = rest.split()
    if len(words) > _MAX_PHRASE_WORDS:  # cut short, it would read wrong
        return None
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,.;:") or None


def _question(clause: str, context: str | None) -> tuple[str, int] | None:
    """The question a clause with a figure answers, and how good a suggestion it is."""
    for match in _NUMBER.finditer(clause):
        if _YEAR.fullmatch(match.group(1)):
            continue
        after = clause[match.end() :]
        if _DURATION.match(after):
            continue
        span = _RANGE_END.match(after)
        if span:
            after = after[span.end() :]
        words = clause[: match.start()].split()
        if len(words) < 2 or words[0].lower() in _NO_SUBJECT or words[-1].lower() in _LABEL_BEFORE:
            return None
        if words[-1].lower() in _APPROXIMATELY and len(words) > 2:
            words = words[:-1]
        score = 0
        if _UNIT.match(after):
            body = " ".join(words) + " bao nhiêu"
            score += 1
        else:
            phrase = _noun_phrase(after)
            if phrase is None:
                return None
            body = " ".join(words) + " bao nhiêu " + phrase
        body = body.rstrip(" ,.;:")
        if context and not (_YEAR.search(body) or _TIME_CONTEXT.match(body)):
            body = f"{context}, {_lower_first(body)}"
        if _YEAR.search(body):  # a dated figure is a precise question
            score += 2
        if any(word[:1].isupper() for word in body.split()[1:]):  # names a place, a partner
            score += 1
        question = body[:1].upper() + body[1:] + "?"
        if len(question) > _MAX_QUESTION_CHARS or len(question.split()) < 5:
            return None
        return question, score
    return None


def questions_from_text(text: str) -> list[tuple[str, int]]:
    """(question, score) for each sentence clause of ``text`` that states a figure, in
    text order."""
    found: list[tuple[str, int]] = []
    for start, end in split_sentences(text):
        context: str | None = None
        for clause in _clauses(text[start:end]):
            if _TIME_CONTEXT.match(clause) and len(clause.split()) <= 7:
                context = clause
                if len(clause.split()) <= 4:
                    continue
            result = _question(clause, None if clause == context else context)
            if result:
                found.append(result)
    return found


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
                if not any(_similar(words, other) for other in chosen_words):
                    chosen.append(question)
                    chosen_words.append(words)
        depth += 1
    return chosen


def _similar(a: set[str], b: set[str], threshold: float = 0.6) -> bool:
    """Near-duplicates ("Tổng giá trị xuất khẩu…" / "Tổng kim ngạch xuất khẩu…")."""
    return len(a & b) >= threshold * len(a | b)


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
