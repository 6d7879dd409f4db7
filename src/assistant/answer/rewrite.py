"""Turning a follow-up ("Còn nhập khẩu thì sao?") into a standalone query.

Without a language model the rewrite is a rule: a short or elliptical question borrows the
topic of the previous user question. In the common "Còn X thì sao?" pattern, X replaces
the phrase of the previous question it parallels (``xuất khẩu`` → ``nhập khẩu``: they share
a syllable); otherwise the two are joined. The focus of the new question is kept apart so
that answer selection weighs it above the borrowed words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answer.lexicon import ENGLISH, ENGLISH_COUNTRIES, english_country
from assistant.answer.scope import names_a_measure
from assistant.core.words import STOPWORDS
from assistant.text.names import name_runs
from assistant.text.periods import period_spans
from assistant.text.places import place_spans
from assistant.text.vietnamese import fold, has_diacritics

_FOLLOWUP_PATTERNS = [
    # Còn X thì sao? / Còn X? / Thế còn X? / Vậy X thì sao?
    re.compile(
        r"^(?:(?:thế|vậy|the|vay)\s+)?(?:còn|con)\s+(?P<x>.+?)"
        r"(?:\s+(?:thì|thi)\s+(?:sao|thế nào|the nao|ra sao))?\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:(?:thế|vậy|the|vay)\s+)?(?P<x>.+?)\s+(?:thì|thi)\s+(?:sao|thế nào|the nao|ra sao)"
        r"\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:and|what about|how about)\s+(?P<x>.+?)\s*[?.!]*$", re.IGNORECASE),
    # the reader corrects what was understood: "Không, ý tôi là Nghệ An", "Ý mình hỏi năm
    # 2023 cơ", "Không phải Thanh Hóa mà là Nghệ An", "No, I meant Korea"
    re.compile(
        r"^(?:(?:không|khong|ko|no)\b[,.!]?\s*)?(?:(?:ý|y)\s+(?:tôi|toi|mình|minh|em|anh|"
        r"chị|chi)\s+(?:là|la|muốn hỏi|muon hoi|hỏi|hoi)|i\s+meant|i\s+mean)\s+(?P<x>.+?)"
        r"(?:\s+(?:cơ|co|ấy|ay))?\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:không|khong|ko)\s+(?:phải|phai)\s+.+?\s+(?:mà|ma)\s+(?:là\s+|la\s+)?(?P<x>.+?)"
        r"\s*[?.!]*$",
        re.IGNORECASE,
    ),
]
# A question that opens like this continues the conversation ("Còn sang Hàn Quốc thì bao
# nhiêu người?", "Trong số đó …", "Tính đến giữa năm 2023 thì …").
_CONTINUATION = re.compile(
    r"^(?:còn|con|vậy|vay|thế|the|trong số đó|trong so do|trong đó|trong do|tính đến|"
    r"tinh den|riêng|rieng|so với|so voi|and|what about|how about)\b",
    re.IGNORECASE,
)
# "cùng giai đoạn", "năm đó", "the same period": the previous question's time, kept as it
# is ("Tỉnh Hà Tĩnh cùng giai đoạn thì sao?" asks only for another place)
_SAME_TIME = re.compile(
    r"\s*(?<!\w)(?:(?:trong|in|for|over|during)\s+)?(?:"
    r"(?:cùng|cung)\s+(?:giai đoạn|giai doan|năm|nam|thời gian|thoi gian|thời kỳ|"
    r"thoi ky|thời điểm|thoi diem)(?:\s+(?:đó|ấy|do|ay))?|"
    r"(?:giai đoạn|giai doan|thời gian|thoi gian|năm|nam)\s+"
    r"(?:đó|ấy|trên|do|ay|tren)|the same (?:period|year|time))(?!\w)",
    re.IGNORECASE,
)
# "năm tiếp theo", "năm trước đó", "the following year": a year counted from the one
# the previous question asks about (folded)
_NEXT_YEAR = re.compile(
    r"(?<!\w)(?:nam (?:tiep theo|ke tiep|sau do|lien sau|sau)|mot nam sau|"
    r"(?:in )?(?:the )?(?:following|next) year|a year later)(?!\w)"
)
_YEAR_BEFORE = re.compile(
    r"(?<!\w)(?:nam (?:truoc do|lien truoc)|(?:in )?the (?:previous|preceding) year|"
    r"(?:in )?the year before)"
    r"(?!\w)"
)
_YEAR = re.compile(r"(?<![\d.,/-])(?:19|20)\d\d(?![\d.,/-])")
_ANAPHORA = re.compile(
    r"\b(?:đó|do|này|nay|ấy|ay|họ|ho|nó|no|it|they|that|those|this)\b", re.IGNORECASE
)


# Words that say when, how much or nothing at all: a question made only of them
# ("Đến hết 9 tháng thì được bao nhiêu?") names no topic and takes the previous one's.
_NO_TOPIC = STOPWORDS | frozenset(
    "nam thang quy dau cuoi het nua ngay hien nay luc thi duoc dat sao bao nhieu may "
    "tong cong khoang chung ket qua so lieu con vay the".split()
)


def elliptic(question: str) -> bool:
    """Does the question name nothing but a time and a question word?"""
    words = re.findall(r"[^\W\d_]+", fold(question))
    return bool(words) and all(word in _NO_TOPIC for word in words)


@dataclass
class Rewrite:
    query: str  # the standalone query used for retrieval (returned to the caller)
    focus: str  # the words of the new question itself
    rewritten: bool
    parallel: bool = False  # "Còn X thì sao?": X replaced its parallel in the previous one


def _previous_question(history: Sequence[Mapping[str, Any]]) -> str | None:
    """The last user question made standalone: each user turn is rewritten against the
    ones before it, so "Năm 2017 thì sao?" after "Còn năm 2025?" still borrows the first
    question's topic, not the bare "năm 2025"."""
    resolved: str | None = None
    for turn in history:
        text = str(turn.get("content", "")).strip() if turn.get("role") == "user" else ""
        if text:
            resolved = text if resolved is None else _rewrite(text, resolved).query
    return resolved


def _the_place(phrase: str) -> tuple[int, int, bool] | None:
    """The one place the phrase is, all of it ("tỉnh Nghệ An", "Hàn Quốc"), if any."""
    bare = phrase.strip(" ,.?")
    places = place_spans(bare)
    return places[0] if len(places) == 1 and places[0][:2] == (0, len(bare)) else None


def _replace_same_kind(previous: str, phrase: str) -> str | None:
    """A phrase that is only a place ("tỉnh Nghệ An", "Hàn Quốc") or only a period ("năm
    2023", "giai đoạn 2021-2025") replaces the previous question's first place of the same
    kind (Vietnamese or foreign) or its first period, whatever their syllables."""
    bare = phrase.strip(" ,.?")
    place = _the_place(phrase)
    periods = period_spans(bare)
    targets: list[tuple[int, int]] = []
    if place is not None:
        targets = [(a, b) for a, b, foreign in place_spans(previous) if foreign == place[2]]
    elif len(periods) == 1 and periods[0] == (0, len(bare)):
        targets = period_spans(previous)
    if not targets:
        return None
    start, end = targets[0]
    return previous[:start] + bare + previous[end:]


def _replace_parallel(previous: str, phrase: str) -> str | None:
    """Replace, in the previous question, the phrase that parallels ``phrase`` (same
    number of syllables, at least one shared syllable, not identical)."""
    words = previous.split()
    target = phrase.split()
    n = len(target)
    folded_target = [fold(w) for w in target]
    best: tuple[int, int] | None = None
    for i in range(len(words) - n + 1):
        window = [fold(re.sub(r"\W", "", w)) for w in words[i : i + n]]
        shared = sum(a == b for a, b in zip(window, folded_target, strict=True))
        if 0 < shared < n and (best is None or shared > best[1]):
            best = (i, shared)
    if best is None:
        return None
    i = best[0]
    tail = re.match(r".*?(\W*)$", words[i + n - 1])
    suffix = tail.group(1) if tail else ""
    return " ".join([*words[:i], phrase + suffix, *words[i + n :]])


def _in_the_previous_language(phrase: str, previous: str) -> str:
    """ "what about imports?" after a Vietnamese question: the articles' word for the
    phrase ("nhập khẩu"), which can then replace its parallel ("xuất khẩu"). Only a phrase
    the English glossary knows whole, and only a short one."""
    if has_diacritics(phrase) or not has_diacritics(previous):
        return phrase
    country = english_country(phrase)  # "what about Japan?": "Nhật Bản"
    if country and fold(phrase).lower().strip(" ?.!") in ENGLISH_COUNTRIES:
        return country
    words = ENGLISH.get(fold(phrase).lower())
    return words if words and len(words.split()) <= 3 and words == words.lower() else phrase


def rewrite_followup(question: str, history: Sequence[Mapping[str, Any]] | None) -> Rewrite:
    """The standalone form of ``question`` given the conversation so far."""
    previous = _previous_question(history or [])
    if not previous:
        return Rewrite(query=question, focus=question, rewritten=False)
    return _rewrite(question, previous)


def continuation(question: str, previous: str) -> Rewrite:
    """``question`` as the second half of a question whose first half (made standalone)
    is ``previous`` ("… bao nhiêu người, và kiều hối gửi về bao nhiêu?"): it always
    borrows the first half's topic, place and period, whatever its length."""
    rewrite = _rewrite(question, previous)
    if rewrite.rewritten:
        return rewrite
    return Rewrite(query=f"{question} {_mid_sentence(previous)}", focus=question, rewritten=True)


def _mid_sentence(previous: str) -> str:
    """The previous question as it reads after the new one's words: its first letter in
    lower case unless it starts a name ("Du lịch Thanh Hóa …" → "du lịch Thanh Hóa …"),
    so the capital of its sentence start is not taken for a name the answer must give."""
    names = name_runs(previous)
    if any(previous.startswith(name) for name in names):
        return previous
    return previous[:1].lower() + previous[1:]


def _counted_year(question: str, previous: str) -> tuple[str, str]:
    """ "Thế năm tiếp theo thì sao?" after a question on 2022 asks about 2023: the relative
    year written as a year, in the question and in the previous one (unchanged when the
    previous question names no single year)."""
    folded = fold(question)
    years = set(_YEAR.findall(previous))
    if len(folded) != len(question) or len(years) != 1:
        return question, previous
    year = int(years.pop())
    for pattern, step in ((_NEXT_YEAR, 1), (_YEAR_BEFORE, -1)):
        match = pattern.search(folded)
        if match:
            english = not match.group(0).startswith(("nam", "mot"))
            written = f"in {year + step}" if english else f"năm {year + step}"
            question = question[: match.start()] + written + question[match.end() :]
            return question, _YEAR.sub(str(year + step), previous)
    return question, previous


def _rewrite(question: str, previous: str) -> Rewrite:
    """``question`` made standalone with the (standalone) previous user question."""
    question, previous = _counted_year(question, previous)
    for pattern in _FOLLOWUP_PATTERNS:
        match = pattern.match(question.strip())
        phrase = _SAME_TIME.sub("", match.group("x")).strip(" ,") if match else ""
        if phrase and len(phrase.split()) <= 5:
            phrase = _in_the_previous_language(phrase, previous)
            # a place replaces a place only ("Thanh Hóa" is no parallel of "hàng hóa")
            replaced = _replace_same_kind(previous, phrase) or (
                None if _the_place(phrase) is not None else _replace_parallel(previous, phrase)
            )
            # a phrase naming a measure of its own is a question of its own: "Còn tổng thu
            # từ du lịch?" after "… đón bao nhiêu khách?" counts no guests
            mark = "?" if names_a_measure(phrase) else ""
            joined = f"{phrase}{mark} {_mid_sentence(previous)}"
            query = replaced if replaced else joined
            return Rewrite(query=query, focus=phrase, rewritten=True, parallel=True)
    short = len(question.split()) <= 4
    if (
        short
        or elliptic(question)
        or _ANAPHORA.search(question)
        or _CONTINUATION.match(question.strip())
    ):
        return Rewrite(
            query=f"{question} {_mid_sentence(previous)}", focus=question, rewritten=True
        )
    return Rewrite(query=question, focus=question, rewritten=False)
