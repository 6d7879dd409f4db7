"""Question understanding: the question as retrieval and composition will use it.

A follow-up is made standalone, a question typed without diacritics gets them back
(from the forms the articles use), its kind and names are read (:mod:`.question`), and
its scope (place, period, "latest", measure; :mod:`.scope`) is parsed against the places
the index knows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.answer.lexicon import (
    english_country,
    expansions,
    in_vietnamese_spelling,
    phrase_words,
    spelled_out,
)
from assistant.answer.question import (
    Question,
    analyse,
    asks_a_kind,
    clean_question,
    is_english,
    with_kind_of,
)
from assistant.answer.rewrite import continuation, elliptic, rewrite_followup
from assistant.answer.scope import QuestionScope, question_scope
from assistant.index.index import Index
from assistant.retrieve.restore import restore_diacritics
from assistant.text.names import names_in_lowercase
from assistant.text.periods import spelled_counts_as_digits
from assistant.text.places import only_set_aside
from assistant.text.vietnamese import fold


@dataclass
class Understood:
    """A question ready for retrieval: cleaned text, standalone query, focus, analysis
    and scope."""

    text: str
    query: str
    focus: str
    question: Question
    scope: QuestionScope
    expansions: list[str] = field(default_factory=list)  # the lexicon's additions

    @property
    def lexical_query(self) -> str:
        """The query with the articles' wording added (see :mod:`.lexicon`)."""
        return " ".join([self.query, *self.expansions])


class QuestionUnderstanding:
    """Stage 1 of answering. ``home_place`` is the portal's province: the place of a
    question that names none."""

    def __init__(self, index: Index, home_place: str, max_question_chars: int) -> None:
        if not home_place.strip():
            raise ValueError("home_place must name the portal's province")
        self.index = index
        self.home_place = home_place
        self.max_question_chars = max_question_chars

    def _spelt_in_articles(self, spelling: str) -> bool:
        """Do the articles write every word of this spelling of a place?"""
        words = fold(spelling).replace("-", " ").split()
        forms = self.index.written_forms(words)
        return all(forms.get(w) for w in words)

    def run(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] | None,
        *,
        after: str | None = None,
    ) -> Understood:
        """Raises InvalidQuestionError (Vietnamese message) for input that is no question.
        ``after``: the standalone first half of a question whose second half this is
        (see :mod:`.compound`); the history then is already in it."""
        text = clean_question(question, self.max_question_chars)
        if after is not None:
            rewrite = continuation(text, after)
        else:
            rewrite = rewrite_followup(text, [dict(turn) for turn in history or []])
        typed = rewrite  # diacritics are restored where the reader typed none
        # "FDI vào VN", "BV tỉnh": the articles spell them out
        rewrite = replace(
            rewrite, query=spelled_out(rewrite.query), focus=spelled_out(rewrite.focus)
        )
        if is_english(rewrite.query):
            # "Houaphanh": the articles write "Hủa Phăn", and the answer must name it
            rewrite = replace(
                rewrite,
                query=in_vietnamese_spelling(rewrite.query, self._spelt_in_articles),
                focus=in_vietnamese_spelling(rewrite.focus, self._spelt_in_articles),
            )
        else:
            # (before the spelled-out abbreviations, whose diacritics would say the
            # reader typed some: "kcn Hoang Long … vons ddaauf tuw")
            restored = restore_diacritics(typed.query, self.index.written_forms)
            if restored != typed.query:
                focus = restore_diacritics(typed.focus, self.index.written_forms)
                rewrite = replace(
                    rewrite, query=spelled_out(restored), focus=spelled_out(focus), rewritten=True
                )
            # "Chín tháng đầu năm": the articles write counts of months in digits
            rewrite = replace(
                rewrite,
                query=spelled_counts_as_digits(rewrite.query),
                focus=spelled_counts_as_digits(rewrite.focus),
            )
        q = analyse(rewrite.query)
        own = analyse(rewrite.focus)
        if rewrite.rewritten and not rewrite.parallel and asks_a_kind(own):
            # "Chiều hôm đó có bao nhiêu doanh nghiệp …?" after "… ký khi nào?": the kind
            # of answer is the new question's, the borrowed words only find the article
            q = with_kind_of(q, own)
        if not q.english and rewrite.query == rewrite.query.lower():
            q.names = names_in_lowercase(rewrite.query, self.index.known_names)
            own.names = names_in_lowercase(rewrite.focus, self.index.known_names)
        if rewrite.rewritten and own.names:
            # "Còn Mittelsachsen thì sao, …?": a follow-up naming its own partner asks
            # about that one; the previous question's names only helped find the article
            q.names = own.names
        # "khách Tây": a word of a reader's phrase the lexicon knows is no name to insist
        # on; a country is ("Chinese investors": the figure must be China's)
        in_phrases = phrase_words(rewrite.query, q.english)
        q.names = [
            n
            for n in q.names
            if not set(fold(n).split()) <= in_phrases or (q.english and english_country(n))
            if not (q.set_aside and only_set_aside(n, q.set_aside))
        ]
        places = self.index.place_keys()
        added = expansions(rewrite.query, q.english)
        scope = question_scope(rewrite.query, places, self.home_place, added)
        if rewrite.rewritten and not rewrite.parallel:
            asked = question_scope(
                rewrite.focus, places, self.home_place, expansions(rewrite.focus, q.english)
            )
            if asked.dated:  # "Tính đến giữa năm 2023 …": the new question's period
                scope = replace(
                    scope, periods=asked.periods, until=asked.until, latest=asked.latest
                )
            if not elliptic(rewrite.focus):
                # "Năm đó tỉnh ấy cấp mới mấy dự án FDI?" after an export question: the
                # measure is the new question's own (none: any), not the borrowed one
                scope = replace(
                    scope,
                    measure_terms=asked.measure_terms,
                    excluded_terms=asked.excluded_terms,
                )
        # "Sài Gòn", "xứ Thanh": the articles write the place's own name
        folded_query = fold(rewrite.query)
        added = [
            *added,
            *(
                name
                for name in scope.place_names
                if scope.explicit and fold(name) not in folded_query
            ),
        ]
        return Understood(text, rewrite.query, rewrite.focus, q, scope, added)
