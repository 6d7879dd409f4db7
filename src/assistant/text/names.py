"""Proper names: runs of capitalised words (``Hủa Phăn``, ``Nhật Bản``, ``Prince Claus``).

Questions use them to say what the answer must be about; the index records the word pairs
that the articles capitalise, so that a question typed in lower case (``thanh hoa``)
still names ``Thanh Hóa``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from assistant.text.vietnamese import TOKEN_PATTERN, fold, is_numberlike, lexical_terms

# Common nouns that start a question and often a name after them ("Tỉnh Thanh Hóa",
# "Quỹ Prince Claus"): capitalised only because they come first.
_GENERIC_FIRST = frozenset(
    "tỉnh thành huyện xã nước quỹ tổ tổng năm giai trong ngoài hai các những ai có bao "
    "khi ở từ còn thế vậy tại theo người dự đề chỉ nghị ngày doanh vốn lũy hội lãnh tập "
    "thỏa quan công chủ ban bộ sở hợp trận vụ đợt lễ giải đoàn chương dự "
    # verbs and prepositions that open a question ("Sang Tula tháng 9-2023, …")
    "sang đến tới về với cùng sau trước qua nhân đối riêng so mỗi cả "
    # words that place or point ("Bên Đức …", "Phía Hàn Quốc …", "Hồi 2019 …")
    "bên phía hồi cứ mấy khu cái chiếc lúc hiện gần mới "
    # people and things a reader opens with ("Khách Cô-oét …", "Dân Hà Tĩnh …")
    "khách dân bà ông con nhà hàng tiền lao học trường bệnh cầu sân đội đường".split()
)
_NAME_TOKEN = TOKEN_PATTERN  # compound-aware: "22/NQ-TW" is one (numeric) token
# Words of titles written with capitals ("Phó Chủ tịch", "Thị trưởng", "Tổng Lãnh sự"): a
# run made only of them is a role, not a name the answer must repeat.
_TITLE_WORDS = frozenset(
    "phó chủ tịch nhiệm thị trưởng bí thư giám đốc tổng lãnh sự đại sứ tỉnh ủy uỷ viên "
    "thủ tướng bộ thứ".split()
)


# Institutions and kinds of documents capitalised by convention, not names an answer must
# repeat ("ngân hàng của Nhà nước": the article writes "Ngân hàng Chính sách xã hội";
# "Biên bản ghi nhớ được ký ngày nào": the sentence dating it may not name it).
_CONVENTIONAL_CAPITALS = re.compile(
    r"(?<!\w)(?:Nhà [nN]ước|(?:Biên bản|Bản ghi nhớ|Kế hoạch|Thỏa thuận|Hiệp định)"
    r"(?= [a-zà-ỹđ]))(?!\w)"
)


def name_runs(text: str) -> list[str]:
    """Runs of capitalised words: proper names the answer must mention (``Hủa Phăn``,
    ``Seongnam``, ``Nhật Bản``). Punctuation ends a run ("Hủa Phăn, Thanh Hóa" are two).
    The first word of a sentence is capitalised anyway: it starts a name only when it is
    an acronym, or when the next word is capitalised too and it is not a common noun."""
    text = _CONVENTIONAL_CAPITALS.sub(lambda m: m.group(0).lower(), text)
    names: list[str] = []
    run: list[str] = []
    last_end = 0
    for match in _NAME_TOKEN.finditer(text):
        token = match.group(0)
        gap = text[last_end : match.start()]
        last_end = match.end()
        if run and gap.strip():
            names.append(" ".join(run))
            run = []
        capital = not is_numberlike(token) and token[:1].isupper()
        j = match.start() - 1
        while j >= 0 and text[j] in " \t":
            j -= 1
        first = j < 0 or text[j] in '.!?:\n"“]'  # "[tóm tắt] Tóm tắt …"
        if capital and first and not (token.isupper() and len(token) > 1):  # "Ở" is a word
            following = _NAME_TOKEN.match(text, match.end() + 1)
            next_capital = bool(following and following.group(0)[:1].isupper())
            capital = next_capital and token.lower() not in _GENERIC_FIRST
        if capital:
            run.append(token)
        elif run:
            names.append(" ".join(run))
            run = []
    if run:
        names.append(" ".join(run))
    # a continent is written "châu Á", "châu Âu": the lower-case word is part of it
    names = [
        f"châu {name}" if re.search(rf"(?<!\w)châu {re.escape(name)}(?!\w)", text) else name
        for name in names
    ]
    return [name for name in names if not _is_title(name)]


def _is_title(run: str) -> bool:
    return all(word.lower() in _TITLE_WORDS for word in run.split())


def name_pairs(text: str) -> set[str]:
    """Folded word pairs (``thanh_hoa``) of the multi-word names in a text."""
    pairs: set[str] = set()
    for name in name_runs(text):
        words = name.split()
        if len(words) > 1:
            folded = lexical_terms(name)[1]
            pairs.update(t for t in folded[len(words) :] if t.count("_") == 1)
    return pairs


def names_in_lowercase(text: str, known: Callable[[list[str]], set[str]]) -> list[str]:
    """Names in a question typed without capitals: its word pairs that the articles
    write as a name (``known`` says which), returned as typed (``thanh hoá``)."""
    tokens = [m.group(0) for m in TOKEN_PATTERN.finditer(text) if not is_numberlike(m.group(0))]
    pairs = {f"{fold(a)}_{fold(b)}": f"{a} {b}" for a, b in itertools.pairwise(tokens)}
    names = known(list(pairs))
    found = [typed for pair, typed in pairs.items() if pair in names]
    # a one-word country after a verb of going ("sang đức làm việc", "xuat khau sang nhat"):
    # alone, "đức" and "nga" are ordinary words
    folded = fold(text).lower()
    aligned = len(folded) == len(text)
    return found + [
        text[m.start(1) : m.end(1)] if aligned else m.group(1)
        for m in _GONE_TO_COUNTRY.finditer(folded)
    ]


# A one-syllable country after going or being somewhere, folded (as typed, without marks
# or with them).
_GONE_TO_COUNTRY = re.compile(r"\b(?:sang|tai|o|den|qua|voi)\s+(duc|nga|lao|nhat|uc|phap|my)\b")
