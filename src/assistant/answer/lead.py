"""The answer itself, ahead of the quote: "14.081,67 triệu USD [1]." before the clause
that states it, so that a reader asking "bao nhiêu?" need not look for the figure inside
a forty-word sentence.

The lead is always a span of the cited clause, never a figure worked out or reworded:
it carries the same citation as the quote and can be checked against it. The clause's
figures are narrowed by what the question asks (the unit after "bao nhiêu", the measure
it names, a value rather than the change after it, the partner it names); when more than
one candidate is left, no lead is given: a wrong lead is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.kinds import (
    DOCUMENT_CODE,
    DURATION,
    RANK,
    UNITS,
    asked_code_issuer,
    asked_subject,
    asked_unit,
    asks_document_code,
    asks_for_change,
    asks_for_rank,
    asks_for_target,
    codes_of_issuer,
    is_retracted,
    is_target,
    measured_in,
    names_of_kind,
    states_unit,
)
from assistant.answer.question import (
    ENGLISH_AUXILIARIES,
    EVENT_WORDS,
    Question,
    event_forms,
    without_false_events,
)
from assistant.text.places import capitalised_run
from assistant.text.vietnamese import fold

# A number as articles write it: "14.081,67", "3.412", "85,5", a range "2 - 3" / "2-3".
_NUMBER = r"\d+(?:[.,]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?"
# What may follow a number to make it a figure: a scale, then a unit (as written).
_SCALE = r"(?:\s(?:nghìn|ngàn|triệu|tỷ|tỉ))?"
_UNIT = (
    r"(?:\s?%|\s?°C|\s(?:USD|đô la Mỹ|đồng|euro|EUR|won|yên|rúp|kíp|"
    r"lần|người|lượt người|lượt khách|lượt|đoàn|dự án|doanh nghiệp|lao động|học viên|"
    r"học sinh|sinh viên|du học sinh|lưu học sinh|tấn|ha|héc ta|km|m|mét|giường|"
    r"đơn vị|hộ|xã|trường|chương trình|thỏa thuận|văn bản|nước|quốc gia|"
    r"địa phương|tỉnh|đối tác|nhà đầu tư|sản phẩm|mặt hàng|thị trường|thành viên|khán giả|"
    r"cổ động viên|bài thi|buồng|cơ sở lưu trú|công nhân|kỹ sư|điều dưỡng|trường hợp|đợt|"
    r"ca|bác sĩ|giáo viên|bệnh nhân))?"
)
_FIGURE = re.compile(rf"(?<![\w.,/-]){_NUMBER}{_SCALE}{_UNIT}(?![\w/])")
# A duration, for "bao lâu" only ("có hiệu lực 5 năm"): elsewhere "6 tháng" is a part of
# a year, not a figure.
_DURATION = re.compile(rf"(?<![\w.,/-]){_NUMBER}\s(?:năm|tháng|tuần|ngày)(?!\w)")
# Not a figure: a year, a year range, a date, a code ("41-CT/TW"), a time ("8 giờ").
_NOT_A_FIGURE = re.compile(
    r"(?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)\d\d)?$|\d{1,2}[-/]\d{1,2}(?:[-/]\d{4})?$"
)
# Words right before a number that make it an ordinal or an identifier, not a figure:
# "Nghị quyết số 22", "vòng 9", "tháng 6", "khóa XIX", "lần thứ 3".
_ORDINAL_BEFORE = re.compile(r"(?:\bsố|vòng|tháng|quý|khóa|khoá|thứ|ngày|Điều|khoản)\s*$")
# Words right before a figure that make it a change or a comparison, not the value.
_CHANGE_BEFORE = re.compile(
    r"(?:tăng|giảm|bằng|vượt|đạt tỷ lệ|chiếm|gấp|hơn|so với)\s*$", re.IGNORECASE
)

_DATE = re.compile(
    r"(?<![\d-])\d{1,2}[-/]\d{1,2}[-/]\d{4}|tháng\s+\d{1,2}[-/]\d{4}|quý\s+[IV]+[-/]\d{4}|"
    r"tháng\s+\d{1,2}\s+năm\s+\d{4}|năm\s+(?:19|20)\d\d"
)
_YEAR_CUES = ("nam nao", "nam bao nhieu", "what year", "which year")

# Kinds of document (folded question word → as written before its number).
_DOCUMENT_KINDS = {
    "nghi quyet": "nghị quyết",
    "chi thi": "chỉ thị",
    "quyet dinh": "quyết định",
    "ket luan": "kết luận",
    "directive": "chỉ thị",
    "resolution": "nghị quyết",
    "decision": "quyết định",
}
_PERSON = re.compile(r"\b(?:ông|bà|Ông|Bà)\s+")
_RESPECTIVELY = re.compile(r"\b(?:lan luot|respectively)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Lead:
    """The answer as a span of the cited clause: ``clause[start:end] == text``."""

    text: str
    start: int
    end: int


def answer_lead(question: Question, clause: str) -> Lead | None:
    """The span of ``clause`` that answers ``question`` (a figure, a date, a name), or
    None when the question wants no single item or the clause does not single one out."""
    if question.broad or question.wants_explanation:
        return None
    folded = fold(question.text)
    if asks_document_code(folded.lower()):
        return _code(clause, folded)
    if question.wants_date:
        return _date(question, clause, folded)
    if question.wants_number:
        # "… lần lượt là bao nhiêu": a figure for each thing named, no single one
        return None if _RESPECTIVELY.search(folded) else _figure(question, clause, folded)
    if question.wants_person:
        return _person(clause)
    if not question.wants_list or "nhung" in folded.split() or "cac" in folded.split():
        return None  # "những … nào", "các …": a list, not one name
    return _name(question, clause, folded)


def _single(found: list[re.Match[str]]) -> Lead | None:
    texts = {m.group(0).strip() for m in found}
    if len(texts) != 1:
        return None
    m = found[0]
    return Lead(m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()))


def _figure(question: Question, clause: str, folded: str) -> Lead | None:
    given = set(question.numbers)
    if asks_for_rank(question.text) or "rank" in folded:
        return _single(list(RANK.finditer(clause)))
    if measured_in(question.text, english=question.english) == DURATION:
        return _single([m for m in _DURATION.finditer(clause) if m.group(0) not in given])
    found = [
        m
        for m in _FIGURE.finditer(clause)
        if _is_figure(m, clause, given) and not is_retracted(clause, m.start())
    ]
    forms = (
        asked_unit(question.text)
        or _subject_units(question.text)
        or measured_in(question.text, english=question.english)
    )
    # "how many … in total": "nâng tổng số lưu học sinh … lên 680 người" (the counted
    # thing named before it), not the year's "210 lưu học sinh" before it
    totals = [m for m in found if _is_total(clause, m)] if _TOTAL_ASKED.search(folded) else []
    if forms:
        # the unit, or the counted thing a few words on ("38 lượt trao đổi đoàn")
        found = [m for m in found if states_unit(_with_next_words(clause, m), forms)]
    # "đặt chỉ tiêu … tổng cộng bao nhiêu": "bằng 57,4% mục tiêu 26.000 triệu USD", not
    # the 14.927,9 reached so far
    targets = [m for m in found if is_target(clause, m.start())] if asks_for_target(folded) else []
    found = targets or totals or found
    changes = [m for m in found if _CHANGE_BEFORE.search(clause[: m.start()])]
    if asks_for_change(question.text):
        found = changes or found  # "tăng bao nhiêu": "tăng 21,5%", not the value
    elif "gap" not in folded.split():
        found = [m for m in found if m not in changes] or found
    lead = _single(found)
    if lead is None:
        return None
    # "150 đến 180 triệu USD" is a range, not "180 triệu USD"
    low = _RANGE_BEFORE.search(clause[: lead.start])
    if low:
        lead = Lead(clause[low.start() : lead.end], low.start(), lead.end)
    # "hơn 100 quốc gia" is not "100 quốc gia": the bound stays with the figure
    bound = _BOUND_BEFORE.search(clause[: lead.start])
    if bound:
        return Lead(clause[bound.start() : lead.end], bound.start(), lead.end)
    return lead


# A question for a total (folded), and a figure stated as one ("nâng tổng số … lên 680",
# "tổng cộng 35", "tổng số … là 12").
_TOTAL_ASKED = re.compile(
    r"\b(?:in total|total number|altogether|tong so|tong cong)\b|"
    # a stock asked ("hiện có bao nhiêu … đang theo học"): the total it was brought to
    r"\bhien co\b|\bdang (?:co|theo hoc|hoc tap|lam viec|sinh song)\b|\btat ca\b"
)
_TOTAL_VERB = re.compile(r"(?:lên|là|đạt|tổng cộng)\s*$", re.IGNORECASE)


def _is_total(clause: str, match: re.Match[str]) -> bool:
    before = clause[max(0, match.start() - 120) : match.start()]
    return bool(_TOTAL_VERB.search(before)) and "tổng" in before.lower()


# The lower end of a range before a figure ("150 đến 180", "2 - 3").
_RANGE_BEFORE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*\s*(?:đến|tới|-|–)\s*$")
# Words that make a figure a bound or an estimate ("hơn 100", "khoảng 11.500").
_BOUND_BEFORE = re.compile(
    r"(?<!\w)(?:hơn|trên|gần|khoảng|xấp xỉ|chừng|ngót|tới|dưới|ít nhất|tối đa)\s+$",
    re.IGNORECASE,
)


def _with_next_words(clause: str, match: re.Match[str], words: int = 3) -> str:
    following = clause[match.end() :].split(",")[0].split()[:words]
    return " ".join([match.group(0), *following])


_PLACE_WORDS = frozenset({"tinh", "thanh", "huyen", "xa"})


def _subject_units(text: str) -> tuple[str, ...]:
    """Units of a counted subject: "Số dự án … là mấy?" wants "134 dự án"."""
    for term in asked_subject(text):
        if term.split("_")[0] in _PLACE_WORDS:
            continue  # "Tỉnh thu hút được bao nhiêu?": the province, not a count of them
        forms = UNITS.get(term.replace("_", " ")) or UNITS.get(term.split("_")[0])
        if forms:
            return forms
    return ()


def _is_figure(match: re.Match[str], clause: str, given: set[str]) -> bool:
    number = re.match(_NUMBER, match.group(0))
    value = number.group(0) if number else match.group(0)
    if value in given or _NOT_A_FIGURE.match(value):
        return False
    after = clause[match.end() : match.end() + 8]
    if re.match(r"[-/]\w|\s+tháng\b", after):  # a code ("41-CT/TW"), "6 tháng đầu năm"
        return False
    return not _ORDINAL_BEFORE.search(clause[: match.start()])


def _date(question: Question, clause: str, folded: str) -> Lead | None:
    # not a date the question gives ("năm 2023"), but its days are new ("15-12-2023")
    found = [
        m
        for m in _DATE.finditer(clause)
        if not any(m.group(0).removeprefix("năm ") in n for n in question.numbers)
    ]
    if not any(cue in folded for cue in _YEAR_CUES):
        found = [m for m in found if not m.group(0).startswith("năm")] or found
    if question.events and len(found) > 1:
        lower = without_false_events(clause)  # same length: "đăng ký" is blanked
        asked = {form for e in question.events for form in event_forms(e)}
        told = [
            (m.start(), m.group(0))
            for m in re.finditer("|".join(map(re.escape, EVENT_WORDS)), lower)
        ]
        at = [i for i, word in told if word in asked]
        if at:
            # each date goes with the event named nearest to it: "khởi công trong tháng
            # 10/2022 và vận hành … từ quý IV/2023" dates the operation in its quarter
            def nearest(m: re.Match[str]) -> str:
                return min(told, key=lambda t: abs(t[0] - m.start()))[1]

            own = [m for m in found if nearest(m) in asked] or found
            found = [min(own, key=lambda m: min(abs(m.start() - i) for i in at))]
    return _single(found)


def _person(clause: str) -> Lead | None:
    people = []
    for match in _PERSON.finditer(clause):
        run = capitalised_run(clause, match.end())
        if run:
            people.append(Lead(clause[match.end() : run[1]], match.end(), run[1]))
    return people[0] if len({p.text for p in people}) == 1 else None


def _code(clause: str, folded: str) -> Lead | None:
    """The number of the asked kind of document ("Nghị quyết số 31-NQ/CP")."""
    issuer = asked_code_issuer(folded.lower())
    found = codes_of_issuer(clause, issuer) if issuer else list(DOCUMENT_CODE.finditer(clause))
    kinds = [written for word, written in _DOCUMENT_KINDS.items() if word in folded]
    if len(found) > 1 and kinds:
        lower = clause.lower()
        found = [
            m
            for m in found
            if any(
                lower[: m.start()].rstrip().removesuffix("số").rstrip().endswith(k) for k in kinds
            )
        ]
    return _single(found)


def _name(question: Question, clause: str, folded: str) -> Lead | None:
    if not question.named_kind:
        return None
    forms = question.named_kind.forms
    names = [Lead(clause[a:b], a, b) for a, b in names_of_kind(clause, forms)]
    # not a name the question gives ("Nghệ An ký … với tỉnh nào"); then the one followed
    # by the country the question names ("tỉnh Tula, Liên bang Nga")
    names = [n for n in names if fold(n.text) not in folded]
    asked = [fold(name) for name in question.names]
    near = [n for n in names if any(a in fold(clause[n.end : n.end + 40]) for a in asked)]
    names = near or names
    return names[0] if len({n.text for n in names}) == 1 else None


# The thing an English question asks about, up to its verb: "How many new FDI projects
# did …" → "new FDI projects"; "What was the actual two-way trade between …" → "actual
# two-way trade"; "Which German province cooperates …" → "German province".
_ENGLISH_ASKED = re.compile(
    r"^\W*(?:how many|how much(?: in)?|which|what(?: was| is| were| are)?(?: the)?)\s+"
    r"(?!(?:did|do|does|was|were|is|are|will|has|have|had)\b)"
    r"(?P<thing>[\w-]+(?:\s+[\w-]+){0,5}?)(?:\s+"
    r"(?:did|do|does|were|was|are|is|will|has|have|had|of|in|for|between|at|from|to|"
    r"that|cooperates?|signed|attracted|received?|came|went|visited|attended|joined)\b|\s*\?\s*$)",
    re.IGNORECASE,
)
# "How big was Thanh Hoa's trade deficit that year?" → "trade deficit".
_ENGLISH_SIZE = re.compile(
    r"\bhow (?:big|large|high|much|many)\s+(?:was|is|were|are)\s+(?:the\s+)?"
    r"(?:[\w-]+(?:\s+[\w-]+)?['’]s\s+)?(?P<thing>[\w-]+(?:\s+[\w-]+){0,3}?)"
    r"(?:\s+(?:that|this|last|in|of|for|at|from|to|between|when|after)\b|\s*\?\s*$)",
    re.IGNORECASE,
)
_ENGLISH_KIND_LABELS = (("when", "Date"), ("who", "Name"), ("where", "Place"))


def english_label(question: str) -> str:
    """The opening words of an English answer's lead, from the question itself: what it
    asks about ("New FDI projects: 756 dự án [1]."), "Date" for "when", "Answer" when
    the question does not say it in a few words."""
    words = question.strip().lower().split(maxsplit=2)
    for word, label in _ENGLISH_KIND_LABELS:
        # "When the delegation came, what …": a clause, not the question's word
        if words[:1] == [word] and not (
            word == "when" and words[1:2] and words[1] not in ENGLISH_AUXILIARIES
        ):
            return label
    # the question may open with a clause of its own ("After the correction, how big …")
    asking = question.rsplit(",", 1)[-1]
    match = _ENGLISH_ASKED.match(asking) or _ENGLISH_SIZE.search(question)
    if not match or match.group("thing").lower() in {"the", "a", "an"}:
        return "Answer"
    thing = match.group("thing")
    return thing[:1].upper() + thing[1:]
