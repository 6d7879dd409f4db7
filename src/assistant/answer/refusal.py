"""Deciding not to answer.

An extractive answer is only as good as the sentence it quotes, so the assistant refuses
when (a) a figure of the question appears in no candidate passage, or a year in neither
the passage nor its article's period ("năm 2023" when the articles stop at 2021), (b) a
proper name of the question (a partner) is neither in the sentence, its article's title,
nor among its article's topics, (c) the asked measure (imports) is not the sentence's,
or (d) the best sentence's support score (question coverage + semantic similarity) is
below the threshold. Each rule looks at one article at a time, so adding unrelated
articles to the index never changes whether a question about another one is answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.answer.question import Question
from assistant.text.places import VIETNAM_PROVINCES, place_key
from assistant.text.vietnamese import lexical_terms, raw_tokens

# Figures worth insisting on: years, and numbers with 3+ digits or separators. Small counts
# such as "5 năm" are often paraphrases ("giai đoạn 2016-2020") and are not required.
_SIGNIFICANT_NUMBER = re.compile(r"(?:19|20)\d\d|\d{3,}|\d[.,]\d")
# Years and year ranges ("2017", "2016-2020"): the scoping stage checks them per article.
_YEARLIKE = re.compile(
    r"(?:\d{1,2}[-/])?(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)\d\d)?"
)  # also a month of a year: "6-2022"

NOT_FOUND_VI = "Xin lỗi, các bài viết hiện có không chứa thông tin để trả lời câu hỏi này."


@dataclass
class Requirement:
    """What a candidate sentence must mention, as folded terms mapped to the question's
    words (for the explanation of a refusal), each at its own scope."""

    figures: dict[str, str]  # years and figures: in the sentence's passage
    names: dict[str, str]  # names (not places): in the sentence, its title, or its topic
    measure: tuple[str, ...] = ()  # the asked measure (nhập khẩu): in the sentence

    def met_by(
        self,
        sentence: frozenset[str],
        passage: frozenset[str],
        title: frozenset[str],
        topical: Callable[[str], bool],
    ) -> bool:
        """``topical(term)``: does the sentence's own article mention the term often
        enough for it to be the article's topic (see ``Tuning.topical_mentions``)?"""
        return (
            all(t in passage for t in self.figures)
            and all(t in sentence or t in title or topical(t) for t in self.names)
            and all(t in sentence for t in self.measure)
        )

    @property
    def words(self) -> dict[str, str]:
        return {**self.names, **self.figures}


def requirements(
    question: Question,
    place_keys: Iterable[str],
    known: Callable[[list[str]], dict[str, int]],
    measure: tuple[str, ...] = (),
) -> Requirement:
    """Figures, years and names of the question that the answer must mention.

    Places are not among them: scoping already restricted the articles to the asked
    place, and an article about Thanh Hóa calls it "tỉnh". A name of several words is
    required as its word pairs (``nhat_ban``), so "Bản" alone never satisfies "Nhật Bản".
    ``known(terms)`` says how often the corpus writes each term: an English word the
    articles never write ("German") is not a name to insist on. Years are checked against
    the article's period by the scoping stage, so only the other figures are here.
    """
    figures: dict[str, str] = {}
    names: dict[str, str] = {}
    for token in question.numbers:
        if not _SIGNIFICANT_NUMBER.search(token) or _YEARLIKE.fullmatch(token):
            continue
        folded = lexical_terms(token)[1]
        if folded:
            figures[folded[0]] = token
    places = set(place_keys)
    for name in question.names:
        if place_key(name) in places or place_key(name) in VIETNAM_PROVINCES:
            continue
        folded = lexical_terms(name)[1]
        words = len(raw_tokens(name))
        keys = folded[words:] if words > 1 else folded[:1]
        if not keys:
            continue
        if question.english and min(known(keys).values()) == 0:
            continue  # an English word ("German"), not a name the articles spell
        names.update({key: name for key in keys})
    return Requirement(figures, names, measure)


def missing_message(missing: list[str]) -> str:
    """Vietnamese explanation naming what the articles lack."""
    listed = ", ".join(f"“{word}”" for word in missing[:3])
    return f"{NOT_FOUND_VI} Không tìm thấy thông tin về {listed} trong các bài viết."
