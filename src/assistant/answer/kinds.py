"""What kind of thing the question counts or names, so the quoted clause can be checked
for it: "bao nhiêu lao động" is not answered by "420.000 euro", "ai" is not answered by a
sentence that names no person.

The lexicon is small and documented on purpose: each unit lists the written forms an
article uses for it (folded, so questions typed without diacritics match too).
"""

from __future__ import annotations

import re

from assistant.text.places import capitalised_run
from assistant.text.vietnamese import fold

# The counted thing after "bao nhiêu" / "mấy" → the forms a clause may state it with.
# A unit not listed here is required as written (its first word).
UNITS: dict[str, tuple[str, ...]] = {
    "nguoi": ("nguoi", "lao dong", "hoc vien", "hoc sinh", "luot"),
    "lao dong": ("lao dong", "nguoi", "hoc vien"),
    "luot": ("luot",),
    "doan": ("doan",),
    "du an": ("du an",),
    "doanh nghiep": ("doanh nghiep", "cong ty", "nha dau tu"),
    "phan tram": ("%", "phan tram"),
    "tien": ("usd", "dong", "euro", "won", "yen", "ty", "trieu"),
    "von": ("usd", "dong", "euro", "ty", "trieu", "von"),
    "kinh phi": ("usd", "dong", "euro", "ty", "trieu"),
    "tan": ("tan",),
    "ha": ("ha", "hec ta"),
    "km": ("km",),
    "giuong": ("giuong",),
}
# Words after "bao nhiêu" that are not the counted thing (verbs, "năm" as in "how many
# years" is kept as a unit: the clause must then state years).
_NOT_UNITS = frozenset("la dat duoc co ve sang tai cua cho the".split())
_HOW_MANY = re.compile(r"\b(?:bao nhieu|may)\s+(\w+(?:\s+\w+)?)")

# A person in an article: "ông/bà/đồng chí <Name>" or "<Name>, <title>".
_PERSON_LEAD = re.compile(r"\b(?:ông|bà|đồng chí|ngài|Ông|Bà|Đồng chí|Ngài)\s+")
_TITLE_AFTER = re.compile(
    r"^\s*,\s*(?:Phó\s+)?(?:Chủ tịch|Bí thư|Giám đốc|Tổng Giám đốc|Tỉnh trưởng|Thị trưởng|"
    r"Thống đốc|Đại sứ|Bộ trưởng|Thứ trưởng|Trưởng|Tổng Lãnh sự|Hiệu trưởng|Viện trưởng)"
)


def asked_unit(question: str) -> tuple[str, ...]:
    """Forms of the counted thing a "bao nhiêu X" question asks for (empty: any)."""
    folded = fold(question)
    match = _HOW_MANY.search(folded)
    if not match:
        return ()
    words = match.group(1).split()
    if not words or words[0] in _NOT_UNITS:
        return ()
    two = " ".join(words[:2])
    if two in UNITS:
        return UNITS[two]
    if words[0] in UNITS:
        return UNITS[words[0]]
    return ()  # unlisted: coverage and similarity judge it


def states_unit(clause: str, forms: tuple[str, ...]) -> bool:
    """Does the clause state a figure in one of the forms ("9.865 người", "75,8%")?"""
    if not forms:
        return True
    folded = fold(clause)
    return any(
        f in folded if not f[0].isalnum() else re.search(rf"(?<!\w){re.escape(f)}(?!\w)", folded)
        for f in forms
    )


# Roles that make "ai" ask for a person (else "ai" may be a fund or a company).
_ROLES = re.compile(
    r"\b(?:chu tich|bi thu|giam doc|tinh truong|thi truong|thong doc|dai su|bo truong|"
    r"thu truong|truong doan|hieu truong|tac gia|nguoi ky|dai dien|governor|chairman|"
    r"president|secretary|director|mayor|ambassador|minister|author|leader|head)\b"
)


def asks_for_a_role(question: str) -> bool:
    """Does an "ai" question ask for the holder of a role ("Chủ tịch … là ai")?"""
    return bool(_ROLES.search(fold(question)))


# An organisation that can be the "ai" of a question ("Ai tài trợ …?" — a fund).
_ORGANISATION = re.compile(
    r"\b(?:Quỹ|Tổ chức|Công ty|Tập đoàn|Ngân hàng|Cơ quan|Viện|Trường|Hội)\s+[A-ZĐ]"
)


def names_someone(clause: str) -> bool:
    """A person, or an organisation (a fund, a company) that acts."""
    return names_a_person(clause) or bool(_ORGANISATION.search(clause))


def names_a_person(clause: str) -> bool:
    """Does the clause name a person ("ông Kim Dong-hyun", "Claire Le Goff, Chủ tịch")?"""
    for match in _PERSON_LEAD.finditer(clause):
        if capitalised_run(clause, match.end()):
            return True
    for start in (m.start() for m in re.finditer(r"(?<![\w])[A-ZĐ]", clause)):
        run = capitalised_run(clause, start)
        if run and len(run[0].split()) >= 2 and _TITLE_AFTER.match(clause[run[1] :]):
            return True
    return False
