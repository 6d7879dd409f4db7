"""Questions a text answers, made from its sentences that state a figure.

"… đạt 14.081,67 triệu USD" becomes "… đạt bao nhiêu?". Deterministic, no model call.
Two users: the chat's empty screen (:mod:`assistant.feedback.suggestions`, the best
question of each article) and refusals (:func:`closest_questions`: what the passages
closest to a refused question can answer instead, e.g. the same measure in another year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.core.words import STOPWORDS
from assistant.text.sentences import split_sentences
from assistant.text.vietnamese import fold


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
# A clause that is a time phrase and nothing else ends with its year, span or period
# ("Lũy kế đến hết năm 2022", not "Năm 2019 Thanh Hóa đã hoàn thành").
_ENDS_WITH_TIME = re.compile(r"(?:\d|\bnăm|\bnay)\W*$", re.IGNORECASE)
# "tỉnh" alone (the article's own province), not "hai tỉnh", "các tỉnh", "tỉnh Hủa Phăn".
_BARE_PROVINCE = re.compile(
    r"(?<![Hh]ai )(?<![Cc]ác )(?<![Nn]hững )(?<![Bb]a )\b[Tt]ỉnh\b(?!\s+[A-ZĐ])"
)
# Where the noun phrase after a figure stops.
_PHRASE_END = re.compile(r"\s*[(:]|\s[-–]\s|\s(?:với|trong đó|tăng|gấp|đạt|so với)\s|\svà\s+\d")
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
            if _TIME_CONTEXT.match(clause) and _ENDS_WITH_TIME.search(clause):
                context = clause
                if len(clause.split()) <= 4:
                    continue
            result = _question(clause, None if clause == context else context)
            if result:
                found.append(result)
    return found


def closest_questions(
    question: str, texts: Sequence[str], limit: int, *, place: str | None = None
) -> list[str]:
    """Up to ``limit`` distinct questions that ``texts`` (the passages closest to a
    question the articles do not answer, best first) do answer, those sharing most words
    with ``question`` first, then in the passages' order.

    Only dated questions are offered: asked alone, "Kim ngạch xuất khẩu đạt bao nhiêu?"
    has no one answer on a portal that publishes the same measure every year. ``place``:
    the place the passages' articles are about, written into a question that does not
    name it (asked alone, a question without a place is about the home province)."""
    asked = set(fold(question).split()) - STOPWORDS
    found: list[tuple[int, int, str]] = []
    seen: list[set[str]] = []
    for question_text, _ in (q for text in texts for q in questions_from_text(text)):
        if not _YEAR.search(question_text):
            continue
        if place and fold(place) not in fold(question_text):
            question_text = _naming(question_text, place)
        words = set(fold(question_text).rstrip("?").split())
        if any(similar_words(words, other) for other in seen):
            continue
        seen.append(words)
        found.append((-len(words & asked), len(found), question_text))
    return [text for *_, text in sorted(found)[:limit]]


def _naming(question: str, place: str) -> str:
    """``question`` about ``place``: after its bare "tỉnh" ("toàn tỉnh Nghệ An có…"), else
    said first ("Tại Nghệ An, năm 2023, …")."""
    named, found = _BARE_PROVINCE.subn(rf"\g<0> {place}", question, count=1)
    return named if found else f"Tại {place}, {_lower_first(question)}"


def similar_words(a: set[str], b: set[str], threshold: float = 0.6) -> bool:
    """Near-duplicates ("Tổng giá trị xuất khẩu…" / "Tổng kim ngạch xuất khẩu…")."""
    return len(a & b) >= threshold * len(a | b)
