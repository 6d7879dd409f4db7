"""Questions that ask two things at once, and the one answer made of their answers.

"Năm 2025 có bao nhiêu người đi làm việc ở nước ngoài, và kiều hối gửi về bao nhiêu?",
"… mời dự sự kiện gì và vào thời điểm nào?", "Which province attracted the most FDI in
2023, and how much?": the articles usually state the two facts in two sentences, and a
question read as a whole finds the sentence of one of them (or none that has both, and
refuses). Each part is also answered as a question of its own, the second read as a
follow-up of the first (it borrows its place, period and subject: "kiều hối gửi về bao
nhiêu" is the province's, in 2025) and from the first part's articles.

The answer to the whole question stays the base: the parts add the leading line and the
quotes it lacks, from its own articles. A whole question the articles do not answer is
answered from its parts only when both are answered and the second names a subject of
its own (not "… ngày nào, số mấy?"); one part alone is a weaker question than the
reader's (its constraints are in the other part), so the refusal stands.

A question splits only where a conjunction (or a comma) joins two clauses that each hold
a question word: "Thanh Hóa và Hủa Phăn ký … về những lĩnh vực gì?" asks once.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.compose import starts_with_name
from assistant.answer.types import Answer, Citation
from assistant.text.vietnamese import fold, has_diacritics, unify_tones

# Where a second question may start: "… bao nhiêu, và …", "… gì và …", "…; …",
# "…, and how much?", "…, còn …". Only between two clauses that both ask.
_JOINS = re.compile(
    r"\s*(?:,\s*(?:và|va|còn|con|đồng thời|dong thoi|and)\s+|\s+(?:và|va|and)\s+|;\s*|,\s+)",
    re.IGNORECASE,
)
# The words that ask, as written ("đầu tư" folds to the "dau" of "ở đâu", "máy" to "may")
# and, for a question typed without marks, folded.
_ASKING_WRITTEN = (
    r"(?<!\w)(?:bao nhiêu|mấy|gì|nào|ai|đâu|sao|bao giờ|bao lâu|chưa|how|what|which|who|"
    r"when|where|why)(?!\w)"
)
_ASKING_FOLDED = (
    r"(?<!\w)(?:bao nhieu|may|gi|nao|ai|o dau|tai dau|sao|bao gio|bao lau|how|what|which|"
    r"who|when|where|why)(?!\w)"
)
_ASKS = {True: re.compile(_ASKING_WRITTEN), False: re.compile(_ASKING_FOLDED)}
_ENDS_ASKING = {
    marked: re.compile(rf"{words}\W*$")
    for marked, words in ((True, _ASKING_WRITTEN), (False, _ASKING_FOLDED))
}
# A part shorter than this (in words) is a phrase, not a question of its own.
_MIN_WORDS = 2
# "mỗi nơi bao nhiêu": the second part counts the items the first one lists; it is
# answered by the list's own sentence, not as a question of its own.
_EACH = re.compile(r"^(?:mỗi|moi|từng|tung|each)\s", re.IGNORECASE)


# "xuất khẩu và nhập khẩu lần lượt đạt bao nhiêu", "… mỗi chiều bao nhiêu": one question
# word asked of each of two things (the second of as many words as the first); not "mỗi
# năm" ("Thanh Hóa và Hủa Phăn mỗi năm tổ chức mấy cuộc hội đàm?" asks one thing).
_EACH_OF_TWO = re.compile(
    r"^(?P<before>.*?)(?P<first>(?:\S+ ){1,4}?)(?:và|va) (?P<second>(?:\S+ ){1,4}?)"
    r"(?:(?:mỗi|moi|từng|tung) (?!(?:năm|nam|tháng|thang|quý|quy|ngày|ngay|tuần|tuan|kỳ|ky|"
    r"lần|lan)\b)\S+ |(?:lần lượt|lan luot|riêng|rieng) )(?P<rest>.+)$",
    re.IGNORECASE,
)


def asked_parts(question: str) -> tuple[str, str] | None:
    """The two questions a question asks, at the last join where both sides ask something
    with a question word, or None when it asks one thing."""
    text = question.strip()
    each = _EACH_OF_TWO.match(text)
    if each and _asks(each.group("rest")):
        second = each.group("second").split()
        words = (each.group("before") + each.group("first")).split()
        first, before = words[-len(second) :], words[: -len(second)]
        rest = each.group("rest")
        return (
            " ".join([*before, *first, rest]),
            " ".join([*before, *second, rest]),
        )
    for join in reversed(list(_JOINS.finditer(text))):
        first, second = text[: join.start()].strip(), text[join.end() :].strip()
        if len(first.split()) < _MIN_WORDS or len(second.split()) < _MIN_WORDS:
            continue
        if _EACH.match(second):
            continue
        if not join.group(0).strip(" ,;") and not _asks(first, at_end=True):
            # a bare comma also lists nouns ("của những nước, khu vực nào?"): it joins
            # two questions only after one that ends on its question word
            continue
        if _asks(first) and _asks(second):
            return first.rstrip(" ,;") + "?", second
    return None


def _asks(part: str, *, at_end: bool = False) -> bool:
    """Does the clause ask something of its own (a question word: not only a topic, as
    "Kim ngạch xuất khẩu hàng hóa" before "và dịch vụ … đạt bao nhiêu")? ``at_end``:
    does it end on its question word?"""
    marked = has_diacritics(part)
    text = unify_tones(part.lower()) if marked else fold(part).lower()
    return bool((_ENDS_ASKING if at_end else _ASKS)[marked].search(text))


def merge(base: Answer, extra: Answer, *, same_articles: bool = False) -> Answer:
    """``base`` with what the answerable ``extra`` adds: its leading line (unless it
    states what ``base``'s already does) and the quotes of passages ``base`` does not
    cite, numbered after ``base``'s (a passage both cite keeps its number).
    ``same_articles``: only passages of the articles ``base`` cites are added (an answer
    to the whole question stays with its articles; a part read alone may stray)."""
    cited = {c.doc_id for c in base.citations}
    kept = [c for c in extra.citations if not same_articles or c.doc_id in cited]
    numbers, citations = _renumbered(base.citations, kept)
    leads, body = _split_lead(base.answer)
    other_leads, other_body = _split_lead(extra.answer)
    added = [
        _with_number(sentence, numbers[n])
        for sentence, n in _cited_sentences(other_body)
        if numbers.get(n, 0) > len(base.citations)
    ]
    stated = _unmarked(leads[0]) if leads else ""
    more = [
        _with_number(lead, numbers[n])
        for lead, n in _marked(other_leads)
        if n in numbers and _unmarked(lead) not in stated
    ]
    if not (added or more):
        return base
    text = "\n".join([*_one_line(leads + more), " ".join([body, *added]).strip()])
    passages = base.passages + [p for p in extra.passages if p not in base.passages]
    merged = replace(base, answer=text, citations=citations, passages=passages)
    if not leads and more and extra.lead and extra.lead_citation in numbers:
        # the first line now states the extra's answer: so does the lead field
        merged.lead, merged.lead_citation = extra.lead, numbers[extra.lead_citation]
    return merged


def _unmarked(lead: str) -> str:
    """A leading line without its citation marker and stop, lower case (to compare)."""
    return re.sub(r"\s*\[\d+\]\.?\s*$", "", lead).strip().lower()


def _one_line(leads: list[str]) -> list[str]:
    """The leading lines of the two parts as one ("197 dự án [1]; 17,94 tỷ USD [1]."):
    the answer's first line states all it answers."""
    if len(leads) < 2:
        return leads
    lines = [leads[0]] + [
        lead if starts_with_name(lead) or ": " in lead[:40] else lead[:1].lower() + lead[1:]
        for lead in leads[1:]
    ]
    return ["; ".join([line.rstrip(".") for line in lines[:-1]] + [lines[-1]])]


def _renumbered(
    first: list[Citation], second: list[Citation]
) -> tuple[dict[int, int], list[Citation]]:
    """The second answer's citation numbers in the merged answer, and its citations: a
    span the first answer cites (or one inside it) keeps the first's number."""
    merged = list(first)
    numbers: dict[int, int] = {}
    for citation in second:
        same = next(
            (
                c.n
                for c in first
                if c.doc_id == citation.doc_id
                and c.start <= citation.start
                and citation.end <= c.end
            ),
            None,
        )
        if same is None:
            same = len(merged) + 1
            merged.append(replace(citation, n=same))
        numbers[citation.n] = same
    return numbers, merged


def _split_lead(text: str) -> tuple[list[str], str]:
    """The leading line (the answer itself, "14.081,67 triệu USD [1].") and the quotes."""
    lead, newline, body = text.partition("\n")
    return ([lead], body) if newline else ([], text)


_MARKED_SENTENCE = re.compile(r"(.+?\[(\d+)\]\.)(?:\s+|$)", re.DOTALL)


def _cited_sentences(body: str) -> list[tuple[str, int]]:
    """The quoted sentences of an answer's body, each with its citation number."""
    return [(m.group(1), int(m.group(2))) for m in _MARKED_SENTENCE.finditer(body)]


def _marked(lines: list[str]) -> list[tuple[str, int]]:
    return [(line, int(m.group(1))) for line in lines if (m := re.search(r"\[(\d+)\]", line))]


def _with_number(sentence: str, number: int) -> str:
    """The sentence with its (last) citation marker renumbered."""
    return re.sub(r"\[\d+\](?=\.?$)", f"[{number}]", sentence.rstrip())
