"""Deciding not to answer.

An extractive answer is only as good as the sentence it quotes, so the assistant refuses
when (a) a figure or a year of the question appears in no candidate sentence ("năm 2023"
when the articles stop at 2021), (b) a rare proper name of the question appears in no
candidate sentence (a partner the articles never mention), or (c) the best sentence's
support score (question coverage + semantic similarity) is below the calibrated threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.question import Question
from assistant.text.vietnamese import lexical_terms, raw_tokens

# Figures worth insisting on: years, and numbers with 3+ digits or separators. Small counts
# such as "5 năm" are often paraphrases ("giai đoạn 2016-2020") and are not required.
_SIGNIFICANT_NUMBER = re.compile(r"(?:19|20)\d\d|\d{3,}|\d[.,]\d")

NOT_FOUND_VI = "Xin lỗi, các bài viết hiện có không chứa thông tin để trả lời câu hỏi này."


@dataclass
class Requirement:
    """What a candidate sentence must mention, as folded terms mapped to the question's
    words (for the explanation of a refusal), each at its own scope."""

    figures: dict[str, str]  # years and figures: in the sentence's passage
    rare_names: dict[str, str]  # rare names: in the sentence (or the one before) or title
    names: dict[str, str]  # every name of the question: somewhere in the article

    def met_by(
        self,
        sentence: frozenset[str],
        passage: frozenset[str],
        title: frozenset[str],
        document: frozenset[str],
    ) -> bool:
        return (
            all(t in passage for t in self.figures)
            and all(t in sentence or t in title for t in self.rare_names)
            and all(t in document for t in self.names)
        )

    @property
    def words(self) -> dict[str, str]:
        return {**self.names, **self.rare_names, **self.figures}


def requirements(
    question: Question,
    doc_freq: Callable[[list[str]], dict[str, int]],
    n_chunks: int,
    rare_share: float = 0.2,
) -> Requirement:
    """Figures, years and rare names of the question that the answer must mention, and
    the names its article must mention (an answer about Nghệ An is no answer to a
    question about Thanh Hóa, however similar the sentence).

    A name of several words is required as its word pairs (``nhat_ban``), so "Bản" alone
    never satisfies "Nhật Bản". A name found in many chunks (the province itself) is the
    topic, not a constraint.
    """
    figures: dict[str, str] = {}
    rare: dict[str, str] = {}
    names: dict[str, str] = {}
    for token in question.numbers:
        if not _SIGNIFICANT_NUMBER.search(token):
            continue
        for part in (
            re.split(r"[-–/]", token) if re.search(r"(?:19|20)\d\d[-–/]", token) else [token]
        ):
            folded = lexical_terms(part)[1]
            if folded:
                figures[folded[0]] = token
    for name in question.names:
        folded = lexical_terms(name)[1]
        words = len(raw_tokens(name))
        keys = folded[words:] if words > 1 else folded[:1]
        if not keys:
            continue
        freq = doc_freq(keys)
        if question.english and min(freq.values()) == 0:
            continue  # an English word ("German"), not a name the articles spell
        names.update({key: name for key in keys})
        if min(freq.values()) <= rare_share * max(n_chunks, 1):
            rare.update({key: name for key in keys})
    return Requirement(figures, rare, names)


def missing_message(missing: list[str]) -> str:
    """Vietnamese explanation naming what the articles lack."""
    listed = ", ".join(f"“{word}”" for word in missing[:3])
    return f"{NOT_FOUND_VI} Không tìm thấy thông tin về {listed} trong các bài viết."
