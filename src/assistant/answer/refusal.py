"""Deciding not to answer.

An extractive answer is only as good as the sentence it quotes, so the assistant refuses
when (a) a figure of the question appears in no candidate passage, or a year in neither
the passage nor its article's period ("năm 2023" when the articles stop at 2021), (b) a
proper name of the question (a partner) is neither in the sentence, its article's title,
nor among its article's topics, or (c) the best sentence's support score (question
coverage + semantic similarity) is below the threshold. (The asked measure, imports or
exports, is checked by the scoping stage.) Each rule looks at one article at a time, so
adding unrelated articles to the index never changes whether a question about another
one is answered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.lexicon import english_country
from assistant.answer.question import Question
from assistant.answer.scope import FULL_DATE, asking_clauses
from assistant.text.places import (
    COUNTRIES,
    PARTNER_NAMES,
    VIETNAM_PROVINCES,
    country_key,
    place_key,
)
from assistant.text.vietnamese import lexical_terms, raw_tokens

# A code of a letter and digits ("D01", "A00", "C00"): a name, not an amount.
_LETTER_CODE = re.compile(r"[A-ZĐ]\d{2,3}")
# Figures worth insisting on: years, and numbers with 3+ digits or separators. Small counts
# such as "5 năm" are often paraphrases ("giai đoạn 2016-2020") and are not required.
_SIGNIFICANT_NUMBER = re.compile(r"(?:19|20)\d\d|\d{3,}|\d[.,]\d")
# Years and year ranges ("2017", "2016-2020"): the scoping stage checks them per article.
_YEARLIKE = re.compile(
    r"(?:(?:\d{1,2}|[IV]{1,3})[-/])?(?:19|20)\d\d(?:\s*[-–/]\s*(?:19|20)\d\d)?"
)  # also a month or a quarter of a year: "6-2022", "II/2023"

# A document named by its number ("Chỉ thị 15", "Nghị quyết số 22-NQ/TW").
_DOCUMENT_NUMBER = re.compile(
    r"(?:Chỉ thị|Nghị quyết|Quyết định|Kết luận|Nghị định|Thông tư|Luật)\s+(?:số\s+)?(\d+)",
    re.IGNORECASE,
)

# A figure the question sets as a bound ("vốn từ 200 triệu USD trở lên", "trên 1.000
# lao động", "more than 500"): the answering clause states the items' own figures.
_BOUND = re.compile(
    r"(?:từ|trên|hơn|dưới|quá|tối thiểu|tối đa|ít nhất|cứ|mỗi|more than|over|at least|"
    r"under|per|every|out of)"
    r"\s+(\d[\d.,]*)",
    re.IGNORECASE,
)

# A name right after a locative ("… ở Vĩnh Lộc", "tại huyện Hoằng Hóa", "in Nghi Son").
_LOCATED = re.compile(
    r"(?:\bở|\btại|\bin|\bat)\s+(?:the\s+)?(?:(?:huyện|thị xã|xã|thành phố|quận|district|"
    r"town|commune|(?:khu|cụm)(?:\s+(?:công nghiệp|kinh tế|du lịch|đô thị))?)\s+)?$",
    re.IGNORECASE,
)

# Regions of the world (folded). Asked "nước nào (ở) Trung Đông", "quỹ nào bên châu Âu",
# the region only says where the asked thing is: the answer names it and its country.
_REGIONS = frozenset(
    "trung dong|chau au|chau a|chau phi|chau my|chau uc|bac my|nam my|my latinh|"
    "dong nam a|dong a|nam a|trung a|tay a|bac au|tay au|dong au|nam au|trung au|"
    "middle east|europe|asia|africa|north america|latin america|southeast asia".split("|")
)
_ASKS_COUNTRY = re.compile(r"\b(?:nuoc|quoc gia) nao\b|\b(?:which|what) countr(?:y|ies)\b")

# A name of the circumstances, not of the asked thing ("giữa lúc dịch COVID", "during
# the COVID pandemic"), or the agent of a passive clause that describes the asked thing
# ("tòa thành được UNESCO ghi danh", "recognised by UNESCO"): the answering sentence
# need not repeat it, its article names it.
_CIRCUMSTANCE = re.compile(
    r"(?:(?:\bgiữa lúc|\btrong lúc|\bbối cảnh|\bthời kỳ|\bmùa|\bdịch|\bduring|\bamid|"
    r"\bdespite|\beven with)\s+(?:(?:dịch|đại dịch|the)\s+)?|(?:\bđược|\bbởi|\bby)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)

NOT_FOUND_VI = "Xin lỗi, các bài viết hiện có không chứa thông tin để trả lời câu hỏi này."
# The assistant's own view asked for: it reports what the articles say, nothing more.
OPINION_VI = (
    "Xin lỗi, trợ lý chỉ trả lời theo những gì các bài viết nêu, không đưa ra ý kiến hay "
    "lời khuyên riêng. Bạn có thể hỏi các bài viết nói gì về vấn đề này."
)
# Today or tomorrow asked about (the weather, a match), and no article that recent.
NOT_YET_VI = (
    f"{NOT_FOUND_VI} Trợ lý chỉ trả lời theo các bài đã đăng; chưa có bài nào về thời điểm bạn hỏi."
)


@dataclass
class Requirement:
    """What a candidate sentence must mention, as folded terms mapped to the question's
    words (for the explanation of a refusal), each at its own scope."""

    figures: dict[str, str]  # years and figures: in the sentence's passage
    names: dict[str, str]  # names (not places): in the sentence, its title, or its topic
    # a country is also named by its localities ("bạn Lào": an article on Hủa Phăn)
    localities: dict[str, frozenset[str]] = field(default_factory=dict)
    # where the asked thing is ("Thành Tây Đô ở Vĩnh Lộc"): anywhere in its article
    located: dict[str, str] = field(default_factory=dict)
    # a list over several countries ("Nhật Bản, Đài Loan và Hàn Quốc lần lượt …"): each
    # item names one of them, not all
    any_country: bool = False

    def met_by(
        self,
        sentence: frozenset[str],
        passage: frozenset[str],
        title: frozenset[str],
        topical: Callable[[str], bool],
        paragraph: Callable[[], frozenset[str]] | None = None,
        mentioned: Callable[[str], bool] | None = None,
        lead: frozenset[str] = frozenset(),
        figure: bool = False,
    ) -> bool:
        """``topical(term)``: does the sentence's own article mention the term often
        enough for it to be the article's topic (see ``Tuning.topical_mentions``)? The
        asked measure is the scoping stage's (:func:`~.scope.states_measure`).
        A country is checked in ``paragraph()`` (when given) instead of ``sentence``:
        the terms of the sentence itself and of the sentences before it in its
        paragraph that are about that one country ("Hợp tác với tỉnh Erzgebirge (CHLB
        Đức) …. Năm 2021, tỉnh đưa 36 điều dưỡng viên sang …"), not one listing several
        ("… với các nhà đầu tư Nhật Bản, Hàn Quốc, Đài Loan. Tổng vốn … đạt 538,9 triệu
        USD"); or by a locality of it ("bạn Lào": an article on Hủa Phăn). A place the
        question locates the asked thing in ("ở Vĩnh Lộc"), or the circumstance it sets
        it in ("giữa lúc dịch COVID"), is ``mentioned`` anywhere in the article: the
        sentence that answers names the thing, not always its place. A name in the
        article's ``lead`` counts when its title names another asked name.
        Asked for a ``figure``, a country must be named near it, not only often."""

        def named(term: str) -> bool:
            return term in sentence or term in title or topical(term) or in_lead(term)

        def in_lead(term: str) -> bool:
            """Named where the article sets out its event ("… ở vòng 9 V.League 1"), when
            its title names another of the asked names: the article is the asked event's."""
            asked = self.names.get(term)
            return term in lead and any(
                key in title
                for key, name in self.names.items()
                if name != asked and len(name.split()) > 1
            )

        def country(term: str) -> bool:
            return (
                term in (paragraph() if paragraph else sentence)
                or term in title
                # a country an article often names is not the one every figure is of
                # ("… bằng 114,9% kế hoạch" in a review whose main market is Japan)
                or (not figure and topical(term))
                or any(named(a) for a in self.localities[term])
            )

        def located(term: str) -> bool:
            return named(term) or term in passage or bool(mentioned and mentioned(term))

        countries = [t for t in self.names if t in self.localities]
        return (
            all(t in passage for t in self.figures)
            and all(
                located(t) if t in self.located else named(t)
                for t in self.names
                if t not in self.localities
            )
            and (
                any(map(country, countries))
                if self.any_country and countries
                else all(map(country, countries))
            )
        )

    @property
    def words(self) -> dict[str, str]:
        return {**self.names, **self.figures}


def requirements(
    question: Question,
    place_keys: Iterable[str],
    known: Callable[[list[str]], dict[str, int]],
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
    localities: dict[str, frozenset[str]] = {}
    located: dict[str, str] = {}
    bounds = {m.group(1) for m in _BOUND.finditer(question.text)}
    for token in question.numbers:
        if _LETTER_CODE.fullmatch(token):
            # "khối D01", "tổ hợp A00": a code the answering sentence itself must give
            names.update({key: token for key in lexical_terms(token)[1][:1]})
            continue
        if not _SIGNIFICANT_NUMBER.search(token) or _YEARLIKE.fullmatch(token):
            continue
        if token in bounds:  # "từ 200 triệu USD trở lên": a condition, not a figure stated
            continue
        folded = lexical_terms(token)[1]
        if folded and FULL_DATE.fullmatch(token):
            # "ở Tula từ 18 đến 22-9-2023, … ký ngày nào": the visit, not the answer; "Tại
            # hội đàm ngày 17-12-2019, ai phát biểu": it dates the event, which the
            # article's opening sentence tells, not each sentence about it
            if not question.wants_date:
                names[folded[0]] = located[folded[0]] = token
            continue
        if folded:
            figures[folded[0]] = token
    for match in _DOCUMENT_NUMBER.finditer(question.text):
        # "Chỉ thị 15", "Nghị quyết số 22": a small number that names a document
        folded = lexical_terms(match.group(1))[1]
        if folded:
            figures[folded[0]] = match.group(0)
    places = set(place_keys)
    # "xứ Thanh" is the province's byname: "Thanh" alone is no partner
    partners = [
        n
        for n in question.names
        if not {place_key(n), place_key(f"xứ {n}")} & (places | VIETNAM_PROVINCES.keys())
    ]
    for name in partners:
        if place_key(name) in COUNTRIES and _qualifies(question.text, name, partners):
            continue  # "tỉnh Savanh bên Lào": the partner is Savanh, Lào says where it is
        if _a_region(name, question):
            continue  # "quỹ nào bên châu Âu": the region says where, the clause names it
        keys = _name_keys(name)
        place = place_key(name)
        if place in COUNTRIES and len(country_key(place).split()) > len(name.split()):
            # "Nhật" folds to "nhất" too: required as "Nhật Bản"
            keys = _name_keys(country_key(place))
        if not keys:
            continue
        if question.english and min(known(keys).values()) == 0:
            # an English word the articles never spell: its country, if it names one
            # ("South Korean city" → Hàn Quốc), must be there in Vietnamese
            country = english_country(name)
            if country:
                keys = _name_keys(country)
                names.update({k: name for k in keys})
                localities.update(_by_localities(keys, country))
            continue
        names.update({key: name for key in keys})
        at = question.text.find(name)
        if at > 0 and (
            _in_appositive(question.text, at)
            or _LOCATED.search(question.text[:at])
            or _CIRCUMSTANCE.search(question.text[:at])
        ):
            located.update({key: name for key in keys})
        if place_key(name) in COUNTRIES:
            localities.update(_by_localities(keys, name))
    several = len({names[t] for t in localities}) > 1
    return Requirement(figures, names, localities, located, question.wants_list and several)


# A clause that describes the name before it ("Hà Tĩnh, tỉnh ký thỏa thuận … với Khăm
# Muồn tại Thà Khẹc, …"): it opens with the kind of that name.
_APPOSITIVE = re.compile(
    r"(?:tỉnh|thành phố|huyện|nơi|địa phương|người|đơn vị|cơ quan|tổ chức|doanh nghiệp|"
    r"công ty|a province|the province|a city|the city)\s",
    re.IGNORECASE,
)


def _in_appositive(text: str, at: int) -> bool:
    """Is the offset inside a clause that describes the question's subject before the
    clause that asks? Names there tell which subject is meant; the answering sentence
    need not repeat them (its article names them somewhere)."""
    before = text[: len(text) - len(asking_clauses(text))]
    if at >= len(before):
        return False
    clauses = list(re.finditer(r"[^,;]+", before))
    return any(
        i > 0 and m.start() <= at < m.end() and _APPOSITIVE.match(m.group(0).lstrip())
        for i, m in enumerate(clauses)
    )


def _a_region(name: str, question: Question) -> bool:
    """Is the name a region of the world ("Trung Đông", "vùng Vịnh": the Gulf) where a
    country or a named thing is asked for ("quỹ nào bên châu Âu": the clause names the
    fund and its country, not the region)? Asked for a figure, the region is its scope."""
    key = place_key(name)
    folded = question.folded
    asks_name = bool(_ASKS_COUNTRY.search(folded)) or (
        question.named_kind is not None and not question.wants_number
    )
    return asks_name and (key in _REGIONS or f"vung {key}" in folded)


# A company's legal form and home ("Công ty TNHH Akatsuki Seimitsu Việt Nam"): articles
# name it once in full, then by its core ("Akatsuki Seimitsu").
_LEGAL_FORM = re.compile(
    r"^(?:(?:TNHH|Cổ phần|CP|JSC|MTV|Một thành viên)\s+)+|\s+(?:Việt Nam|Co\.?,? Ltd\.?)$"
)


def _name_keys(name: str) -> list[str]:
    """The folded terms a name is required as: its word pairs ("nhat_ban", so that
    "Bản" alone never satisfies "Nhật Bản"), or the word of a one-word name; a
    company's name without its legal form."""
    name = _LEGAL_FORM.sub("", name).strip() or name
    folded = lexical_terms(name)[1]
    words = len(raw_tokens(name))
    return folded[words:] if words > 1 else folded[:1]


def _by_localities(keys: list[str], country: str) -> dict[str, frozenset[str]]:
    """Each key of a country's name → the terms of its partner localities, which name it
    too ("bạn Lào": an article on Hủa Phăn)."""
    terms = _locality_terms(country_key(place_key(country)))
    return dict.fromkeys(keys, terms)


@lru_cache(maxsize=64)
def _locality_terms(country: str) -> frozenset[str]:
    """The terms that name the country's partner localities, as a name is required
    (a name of several words by its first word pair: "hua_phan")."""
    return frozenset(
        key
        for name, of_country in PARTNER_NAMES.items()
        if of_country == country
        for key in _name_keys(name)[:1]
    )


def _qualifies(text: str, country: str, names: list[str]) -> bool:
    """Does the country follow another of the names within a few words ("Savanh bên
    Lào", "Seongnam (Hàn Quốc)")?"""
    at = text.find(country)
    for other in names:
        end = text.find(other) + len(other)
        if (
            other != country
            and place_key(other) not in COUNTRIES
            and 0 < end <= at
            and len(text[end:at].split()) <= 2
        ):
            return True
    return False


def missing_message(missing: list[str]) -> str:
    """Vietnamese explanation naming what the articles lack."""
    listed = ", ".join(f"“{word}”" for word in missing[:3])
    return f"{NOT_FOUND_VI} Không tìm thấy thông tin về {listed} trong các bài viết."
