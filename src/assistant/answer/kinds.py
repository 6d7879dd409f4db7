"""What kind of thing the question counts or names, so the quoted clause can be checked
for it: "bao nhiêu lao động" is not answered by "420.000 euro", "ai" is not answered by a
sentence that names no person.

The lexicon is small and documented on purpose: each unit lists the written forms an
article uses for it (folded, so questions typed without diacritics match too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.text.places import COUNTRIES, VIETNAM_PROVINCES, capitalised_run, place_key
from assistant.text.vietnamese import fold, has_diacritics, unify_tones

# The counted thing after "bao nhiêu" / "mấy" (folded, as a question may be typed) → the
# forms a clause may state it with, as articles write them: folded, "đồng" (the currency)
# would match "lao động". A unit not listed here is left to coverage and similarity.
UNITS: dict[str, tuple[str, ...]] = {
    # people are counted by what they are ("36 điều dưỡng viên", "10 cán bộ")
    "nguoi": (
        "người",
        "lao động",
        "học viên",
        "học sinh",
        "sinh viên",
        "lượt",
        "thành viên",
        "điều dưỡng",
        "cán bộ",
        "công chức",
        "chuyên gia",
        "thực tập sinh",
        "kỹ sư",
        "giáo viên",
        "bác sĩ",
        "đại biểu",
    ),
    "lao dong": ("lao động", "người", "học viên", "thực tập sinh", "điều dưỡng"),
    "dieu duong": ("điều dưỡng",),
    "bac si": ("bác sĩ", "y bác sĩ", "cán bộ y tế", "người"),
    "giao vien": ("giáo viên", "người"),
    "cong nhan": ("công nhân", "lao động", "người"),
    "ky su": ("kỹ sư", "người"),
    "benh nhan": ("bệnh nhân", "người bệnh", "lượt", "ca", "người"),
    "bai": ("bài",),
    "tieng": ("giờ", "tiếng"),
    "met": ("m", "mét"),
    "cay so": ("km", "cây số"),
    "gio": ("giờ", "tiếng"),
    "dot": ("đợt", "lần", "lượt", "đoàn", "hoạt động"),
    "can bo": ("cán bộ", "công chức", "người"),
    "chuyen gia": ("chuyên gia", "người"),
    "thuc tap": ("thực tập sinh",),
    "luot": ("lượt",),
    "doan": ("đoàn", "hoạt động"),  # "250 hoạt động trao đổi đoàn"
    "chuyen": ("chuyến", "lượt", "đoàn", "hoạt động", "đợt"),
    "du an": ("dự án",),
    "doanh nghiep": ("doanh nghiệp", "công ty", "nhà đầu tư"),
    "phan tram": ("%", "phần trăm"),
    # a currency, not a bare scale word: "9,65 triệu lượt" is no sum of money
    "tien": ("usd", "đồng", "đô la", "euro", "won", "yên", "rúp", "kíp"),
    "von": ("usd", "đồng", "đô la", "euro", "won", "yên", "vốn"),
    "kinh phi": ("usd", "đồng", "đô la", "euro"),
    "luong": ("usd", "đồng", "đô la", "euro", "won", "yên"),
    "tan": ("tấn",),
    "ha": ("ha", "héc ta", "hecta"),
    "km": ("km",),
    "giuong": ("giường",),
    "khan gia": ("khán giả", "cổ động viên"),
    "khach": ("khách", "lượt"),
    "hoc sinh": ("học sinh", "lưu học sinh", "học viên"),
    "hoc vien": ("học viên", "học sinh", "sinh viên", "lao động", "người"),
    "sinh vien": ("sinh viên", "lưu học sinh", "học viên"),
    "luu hoc": ("lưu học sinh", "học sinh", "sinh viên", "học viên"),
    "nuoc": ("nước", "quốc gia", "thị trường"),
    "quoc gia": ("quốc gia", "nước", "thị trường"),
    "thi truong": ("thị trường", "quốc gia", "nước"),
    "dia phuong": ("địa phương", "tỉnh", "thành phố"),
    "tinh": ("tỉnh", "địa phương"),
    "nha dau": ("nhà đầu tư", "doanh nghiệp", "dự án"),
    "thoa thuan": ("thỏa thuận", "văn bản", "biên bản"),
    "hoat dong": ("hoạt động", "lượt", "sự kiện"),
    "chuong trinh": ("chương trình", "dự án"),
    "hop dong": ("hợp đồng",),
    "suat": ("suất", "học bổng"),
    "hoc bong": ("học bổng", "suất"),
    # "gấp bao nhiêu lần", "bao nhiêu lần" (visits): a multiple or a number of times
    "lan": ("lần", "lượt", "đợt", "đoàn", "hoạt động", "chuyến"),
}
# Units whose forms count more than the asked thing ("người" counts residents as well as
# workers): the folded terms of which the sentence must name one.
UNIT_TOPICS: dict[str, tuple[str, ...]] = {
    "lao dong": ("lao_dong", "lam_viec", "xuat_canh", "viec_lam", "thuc_tap"),
    # "bao nhiêu vốn": capital invested, not a scholarship "trị giá 10 triệu đồng"
    "von": ("von", "dau_tu", "fdi", "vien_tro", "tai_tro", "oda", "giai_ngan"),
    # pay, not a project's capital beside the factory's name
    "luong": ("luong", "thu_nhap"),
}
# Words after "bao nhiêu" that are not the counted thing (verbs, "năm" as in "how many
# years" is kept as a unit: the clause must then state years).
_NOT_UNITS = frozenset("la dat duoc co ve sang tai cua cho the".split())
_HOW_MANY = re.compile(
    r"\b(?:bao nhieu|may)\s+(\w+(?:\s+\w+)?)|^\s*(?:tong so|so luong|so)\s+(\w+(?:\s+\w+)?)"
)

# "thành phố nào", "tỉnh nào", "which city": the kind of name asked (folded) → the words
# an article writes right before such a name ("thành phố Seongnam", "tỉnh Tula").
_LOCALITY = ("tỉnh", "thành phố", "bang", "quận", "huyện", "thủ phủ", "địa phương")
# The kinds that are places: an article names a place after its kind ("tỉnh Tula"), an
# organisation often without it ("do UNICEF tài trợ").
_PLACE_KINDS = frozenset(
    {
        "thanh pho",
        "tinh",
        "bang",
        "quan",
        "huyen",
        "khu",
        "khu cong nghiep",
        "dia phuong",
        "city",
        "cities",
        "province",
        "provinces",
        "prefecture",
        "prefectures",
        "state",
        "locality",
        "localities",
    }
)
NAMED_KINDS: dict[str, tuple[str, ...]] = {
    "thanh pho": ("thành phố",),
    "tinh": ("tỉnh",),
    "bang": ("bang",),
    "quan": ("quận",),
    "huyen": ("huyện",),
    "dia phuong": _LOCALITY,
    "doanh nghiep": ("doanh nghiệp", "công ty", "tập đoàn"),
    "cong ty": ("công ty",),
    "tap doan": ("tập đoàn",),
    "khu": ("khu kinh tế", "khu công nghiệp", "khu du lịch", "khu"),
    "khu cong nghiep": ("khu công nghiệp",),
    "quy": ("quỹ",),
    "to chuc": ("tổ chức",),
    "city": ("thành phố",),
    "province": ("tỉnh",),
    "state": ("bang",),
    "locality": _LOCALITY,
    "localities": _LOCALITY,
    "cities": ("thành phố",),
    "provinces": ("tỉnh",),
    # a Japanese prefecture is a "tỉnh" in the articles
    "prefecture": ("tỉnh",),
    "prefectures": ("tỉnh",),
    "company": ("công ty", "doanh nghiệp", "tập đoàn"),
    "companies": ("công ty", "doanh nghiệp", "tập đoàn"),
    "firm": ("công ty", "doanh nghiệp", "tập đoàn"),
    "firms": ("công ty", "doanh nghiệp", "tập đoàn"),
    "investor": ("công ty", "doanh nghiệp", "tập đoàn", "nhà đầu tư"),
}
# The Vietnamese kinds as written: folded, "quan" is also "cơ quan" and "quý" a quarter,
# so a question typed with diacritics must spell the kind itself.
_NOT_NAMED_KINDS = frozenset({"co quan", "thi truong", "linh vuc"})
_KIND_SPELLING = {
    "thanh pho": "thành phố",
    "tinh": "tỉnh",
    "bang": "bang",
    "quan": "quận",
    "huyen": "huyện",
    "dia phuong": "địa phương",
    "doanh nghiep": "doanh nghiệp",
    "cong ty": "công ty",
    "tap doan": "tập đoàn",
    "quy": "quỹ",
    "to chuc": "tổ chức",
}
# Words between a kind and "nào" that do not change the kind ("địa phương nước ngoài").
_KIND_MODIFIERS = frozenset({"nuoc ngoai", "quoc te", "ket nghia", "doi tac", "huu nghi"})
_WHICH_EN = re.compile(r"\b(?:which|what)((?:\s+[\w-]+){1,4})")
# Verbs after "what" that make it ask for a thing, not a kind of name ("What were …").
_ENGLISH_VERBS = frozenset("is are was were did does do has have had will would can".split())


@dataclass(frozen=True)
class NamedKind:
    """The kind of name a question asks for: as the reader wrote it ("địa phương") and
    the words an article writes before such a name ("tỉnh", "thành phố", …)."""

    written: str
    forms: tuple[str, ...]
    place: bool  # a place, which a clause answering must name after its kind


def asked_name_kind(text: str) -> NamedKind | None:
    """The kind of name a question asks for ("tỉnh nào của Lào", "doanh nghiệp Nhật Bản
    nào", "which South Korean city"), or None for any other question."""
    words = re.findall(r"[\w-]+", text)
    folded = [fold(w).lower() for w in words]
    for at, word in enumerate(folded):
        if word != "nao" or at == 0:
            continue
        named = at
        while named > 0 and words[named - 1][:1].isupper():
            named -= 1  # the country of the asked name: "doanh nghiệp Nhật Bản nào"
        plain = at
        while plain >= 2 and " ".join(folded[plain - 2 : plain]) in _KIND_MODIFIERS:
            plain -= 2  # "những địa phương nước ngoài nào"
        for before in dict.fromkeys((at, named, plain)):
            for size in (3, 2, 1):  # "khu công nghiệp nào", "tỉnh nào"
                kind = " ".join(folded[before - size : before]) if before >= size else ""
                if kind in NAMED_KINDS:
                    written = " ".join(words[before - size : before]).lower()
                    if (
                        size == 1
                        and before >= 2
                        and " ".join(folded[before - 2 : before]) in _NOT_NAMED_KINDS
                    ):
                        break  # "cơ quan nào": the agencies, not a district ("quận")
                    spelled = _KIND_SPELLING.get(kind)
                    if spelled and has_diacritics(text) and unify_tones(written) != spelled:
                        continue  # "quý nào" is a quarter, not a fund ("quỹ")
                    return NamedKind(written, NAMED_KINDS[kind], kind in _PLACE_KINDS)
    for match in _WHICH_EN.finditer(fold(text).lower()):
        for word in match.group(1).split():
            if word in _ENGLISH_VERBS:
                break  # "What were Hoa Binh province's exports": no kind asked
            if word in NAMED_KINDS:
                return NamedKind(word, NAMED_KINDS[word], word in _PLACE_KINDS)
    return None


# After a kind in the plural, its names listed: "các địa phương của Lào (Hủa Phăn, Xiêng
# Khoảng)", "các tỉnh như Hủa Phăn, Xiêng Khoảng".
_LISTED = re.compile(r"[^().;]{0,40}?(?:\(([^)]{2,120})\)|\b(?:như|gồm|là)\s+([^.;()]{2,120}))")


# One or two lower-case words between a kind and its name ("huyện biên giới Mường Lát").
_MODIFIER = re.compile(r"(?:(?![A-ZĐÀ-Ỹ])[^\W\d_]+\s+){1,2}(?=[A-ZĐÀ-Ỹ])")


_NEXT_ITEM = re.compile(r",\s+|\s+và\s+")
_NOT_MODIFIERS = frozenset("như gồm là nhiều giáp cùng bạn".split())


def names_of_kind(clause: str, forms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the names ``clause`` gives after one of ``forms`` ("tỉnh Mittelsachsen"),
    or listed after it ("các địa phương của Lào (Hủa Phăn, Xiêng Khoảng)")."""
    lower = clause.lower()
    spans = []
    for form in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}\b\s*", lower):
            run = capitalised_run(clause, match.end())
            if run:
                spans.append((match.end(), run[1]))
                continue
            # "các huyện biên giới Mường Lát, Quan Sơn": a modifier or two before the name
            modifier = _MODIFIER.match(clause, match.end())
            if modifier and not any(
                _function(w) or w in _NOT_MODIFIERS for w in modifier.group(0).lower().split()
            ):
                run = capitalised_run(clause, modifier.end())
                if run:
                    spans.append((modifier.end(), run[1]))
                    while (more := _NEXT_ITEM.match(clause, spans[-1][1])) and (
                        next_run := capitalised_run(clause, more.end())
                    ):
                        spans.append((more.end(), next_run[1]))  # ", Quan Sơn"
                    continue
            listed = _LISTED.match(clause, match.end())
            if listed:
                group = 1 if listed.group(1) else 2
                at = listed.start(group)
                for item in re.finditer(r"[^,]+", listed.group(group)):
                    start = at + item.start() + len(item.group(0)) - len(item.group(0).lstrip())
                    found = capitalised_run(clause, start)
                    if found:
                        spans.append((start, found[1]))
    return sorted(set(spans))


# A person in an article: "ông/bà/đồng chí <Name>" or "<Name>, <title>".
_PERSON_LEAD = re.compile(
    r"\b(?:ông|bà|đồng chí|ngài|em|anh|chị|cầu thủ|trung vệ|hậu vệ|tiền vệ|tiền đạo|"
    r"thủ môn|huấn luyện viên|HLV|bác sĩ|kỹ sư|giáo sư|nhà văn|nhà thơ|nghệ nhân|"
    r"nghệ sĩ|vận động viên|VĐV|thủ khoa|tác giả|Ông|Bà|Đồng chí|Ngài|Em|Anh|Chị)\s+"
)
# The commonest Vietnamese family names: "Lê Quang Vĩnh" is a person by its first word.
_FAMILY_NAMES = frozenset(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Ngô Dương Lý Đinh Trịnh "
    "Mai Lương Đào Cao Lâm Tạ Hà Lò Quách Tô Trương Văn Vi Triệu Kiều Mạc".split()
)
_TITLE_AFTER = re.compile(
    r"^\s*,\s*(?:Phó\s+)?(?:Chủ tịch|Bí thư|Giám đốc|Tổng Giám đốc|Tỉnh trưởng|Thị trưởng|"
    r"Thống đốc|Đại sứ|Bộ trưởng|Thứ trưởng|Trưởng|Tổng Lãnh sự|Hiệu trưởng|Viện trưởng)"
)


MONEY: tuple[str, ...] = (
    "usd",
    "đồng",
    "euro",
    "eur",
    "won",
    "yên",
    "rúp",
    "kíp",
    "tỷ",
    "tỉ",
    "triệu",
)
PERCENT: tuple[str, ...] = ("%", "phần trăm")
# Money asked for in plain words ("hết bao nhiêu tiền"), matched as written: folded,
# "tiền" is also "tiến" and "tiên". Not "không lấy tiền" (free of charge): no sum asked.
_MONEY_WRITTEN = re.compile(
    r"(?<!không lấy )(?<!không mất )(?<!không thu )(?<!\w)(?:tiền|bao nhiêu đô la|bao nhiêu USD)"
    r"(?!\w)"
)
DURATION: tuple[str, ...] = ("năm", "tháng", "tuần", "ngày")
LENGTH: tuple[str, ...] = ("m", "mét", "km", "ki-lô-mét", "cây số")
# The measure a question names without "bao nhiêu <unit>" (folded words) → the units its
# figure is written in: "Tổng vốn … là bao nhiêu?" wants "3.777,5 triệu USD", not the
# "79 dự án" beside it; "tổng mức đầu tư" is not answered by "rút ngắn 14 km". Not
# "tiền" (folded, also "tiến", "tiên"): "bao nhiêu tiền" is a unit already.
_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # "gấp mấy (lần)", "tăng bao nhiêu lần so với": a multiple (not "qua lại bao nhiêu lần",
    # a count the articles give in "lượt" or "hoạt động")
    (
        r"\bgap (?:\w+ )?(?:bao nhieu|may)(?: lan)?\b|\b(?:bao nhieu|may) lan\b.*\bso voi\b",
        ("lần",),
    ),
    (r"\bbao lau\b", DURATION),  # "có giá trị trong bao lâu": "5 năm"
    # "cầu chính dài bao nhiêu", "cách Mát-xcơ-va bao xa": a length, not the bridge's cost
    (
        r"\b(?:chieu )?dai (?:khoang )?(?:bao nhieu|may)\b(?! (?:nam|thang|ngay|tuan))|\bbao xa\b",
        LENGTH,
    ),
    # (and "được bao nhiêu phần chỉ tiêu": a share of it)
    (
        r"\b(?:ty le|phan tram|toi dau|den dau)\b|\b(?:bao nhieu|may) phan\b",
        PERCENT,
    ),  # "hoàn thành tới đâu": % of plan
    (r"\b(?:von|kim ngach|gia tri|kinh phi|muc dau tu|doanh thu|kieu hoi)\b", MONEY),
)
# The same for English questions (the lead only: an English question's wording is too
# loose to refuse on).
_ENGLISH_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\btimes\b", ("lần",)),
    (r"\bhow long\b", DURATION),
    (r"\b(?:percent|percentage|share|rate)\b", PERCENT),
    (
        r"\b(?:capital|value|worth|money|funding|investment|turnover|remittance|loans?|lend|"
        r"lent|spend|spent|cost|paid|pay)s?\b",
        MONEY,
    ),
    (r"\b(?:visitors?|tourists?|arrivals?)\b", ("lượt",)),
    (r"\b(?:workers?|people|labou?rers?|persons?)\b", ("người", "lao động")),
    (r"\bprojects?\b", ("dự án",)),
    (r"\bdelegations?\b", ("đoàn",)),
    (r"\b(?:companies|enterprises|businesses|firms)\b", ("doanh nghiệp", "công ty")),
)
# Asking for a change ("tăng bao nhiêu"): stated in % or in the measure's unit alike.
_CHANGE_CUES = (
    "tang bao nhieu",
    "giam bao nhieu",
    "muc tang",
    "muc giam",
    "toc do tang",
    "tang them",
    "giam di",
    " chiem ",  # a share, not the rice crop ("vụ chiêm xuân"), see asks_for_change
    "by how much",
    "growth",
    "grow",
    "increase",
    "decrease",
)
# Asking for a rank: "đứng thứ mấy", "xếp hạng bao nhiêu".
RANK_CUES = (
    "thu may",
    "thu bao nhieu",
    "xep thu",
    "dung thu",
    "hang may",
    "hang bao nhieu",
    "what rank",
    "which rank",
    "ranked",
    "ranking",
    " rank ",  # "Where did Thanh Hoa rank nationally"
)


# A rank as written: "đứng thứ 8", "xếp thứ 12/63".
RANK = re.compile(r"\bthứ\s+\d+(?:/\d+)?")


# "nước nào đầu tư nhiều nhất", "the largest investor": only a clause that ranks answers
# (a total, or "các nhà đầu tư Nhật Bản, Hàn Quốc … chiếm phần lớn", names no first). The
# words before "nhất" that make a first; a clause keeps its diacritics ("Nhật" is no
# "nhất"), a question is matched folded (it may be typed without them).
_FIRST_BY = tuple("nhiều|lớn|cao|đông|mạnh|nhanh|tốt|chủ yếu|chủ lực|quan trọng".split("|"))
_SUPERLATIVE_ASKED = re.compile(
    rf"\b(?:{'|'.join(map(fold, _FIRST_BY))}) nhat\b|"
    r"\b(?:largest|biggest|highest|most(?! recent)|top(?! scorer))\b"
)
_MANY_STATED = re.compile(r"\b(?:có|với) nhiều\b")
_SUPERLATIVE_STATED = re.compile(
    rf"\b(?:{'|'.join(_FIRST_BY)})(?: [^ ,.;]+){{0,4}} nhất\b|"
    r"\b(?:dẫn đầu|đứng đầu|hàng đầu|số 1|số một|thứ nhất|top)\b"
)
_COUNTRY_ASKED = re.compile(r"\b(?:nuoc|quoc gia) nao\b|\b(?:which|what) countr(?:y|ies)\b")


def asks_for_a_country(question: str) -> bool:
    """Does the question ask which country ("nước nào", "which country")?"""
    return bool(_COUNTRY_ASKED.search(fold(question).lower()))


def asks_for_the_first(question: str) -> bool:
    """Does the question ask which one ranks first ("nhiều nhất", "largest")?"""
    return bool(_SUPERLATIVE_ASKED.search(fold(question).lower()))


def ranks_first(clause: str, several: bool = False) -> bool:
    """Does the clause say which one ranks first ("dẫn đầu", "lớn nhất")? ``several``:
    the question asks for the first few ("những huyện nào … nhiều nhất"), which a clause
    names as those having many ("các địa phương có nhiều người đi … là …")."""
    written = unify_tones(clause).lower()
    return bool(_SUPERLATIVE_STATED.search(written) or (several and _MANY_STATED.search(written)))


_RICE_CROP = re.compile(r"\bvu chiem\b|\bchiem xuan\b")


def asks_for_change(question: str) -> bool:
    folded = " " + _RICE_CROP.sub(" ", fold(question)) + " "
    return any(cue in folded for cue in _CHANGE_CUES)


def asks_for_rank(question: str) -> bool:
    folded = fold(question)
    return any(cue in folded for cue in RANK_CUES)


# Money asked for in English in so many words: held to a currency like "bao nhiêu tiền"
# ("How much money did tourism bring?" is not answered by "9,65 triệu lượt").
_ENGLISH_MONEY = re.compile(r"\b(?:money|revenues?|worth|cost|costs|spend|spent|paid)\b")


def english_money(question: str) -> tuple[str, ...]:
    """Currencies when an English question asks for a sum of money in so many words."""
    folded = fold(own_question(question))
    if "how many" in folded:
        return ()  # "how many countries put money into …": a count
    return UNITS["tien"] if _ENGLISH_MONEY.search(folded) else ()  # a currency


def measured_in(question: str, *, english: bool = False) -> tuple[str, ...]:
    """Units of the measure the question names ("Tổng vốn …" → money), empty when it
    names none or asks for a change (which may be stated in %)."""
    question = own_question(question)
    folded = fold(question)
    if asks_for_change(question):
        return ()
    for pattern, forms in _ENGLISH_MEASURES if english else _MEASURES:
        if re.search(pattern, folded):
            return forms
    if not english and _MONEY_WRITTEN.search(unify_tones(question.lower())):
        return MONEY
    return ()


# "how many people / projects / delegations …" → the Vietnamese unit's key in UNITS.
_ENGLISH_COUNT_UNITS = {
    "people": "nguoi",
    "persons": "nguoi",
    "workers": "lao dong",
    "labourers": "lao dong",
    "laborers": "lao dong",
    "projects": "du an",
    "delegations": "doan",
    "visitors": "khach",
    "tourists": "khach",
    "students": "hoc sinh",
    "agreements": "thoa thuan",
    "enterprises": "doanh nghiep",
    "companies": "doanh nghiep",
    "countries": "quoc gia",
    "fans": "khan gia",
    "spectators": "khan gia",
    "beds": "giuong",
    "doctors": "bac si",
    "nurses": "dieu duong",
    "engineers": "ky su",
    "teachers": "giao vien",
    "experts": "chuyen gia",
    "scholarships": "hoc bong",
    "contracts": "hop dong",
    "markets": "thi truong",
    "trips": "chuyen",
    "flights": "chuyen",
    "tonnes": "tan",
    "tons": "tan",
    "hectares": "ha",
    "kilometres": "km",
    "kilometers": "km",
    "investors": "nha dau",
}


def noun_after(lead: str, nouns: Iterable[str], words: int) -> re.Pattern[str]:
    """A pattern for one of ``nouns`` (group 1) at most ``words`` words after ``lead`` (a
    regex): "how many new FDI projects", "which international cooperation agencies"."""
    return re.compile(rf"\b{lead}\s+(?:[\w-]+\s+){{0,{words}}}?(" + "|".join(nouns) + r")\b")


_ENGLISH_COUNTED = noun_after("how many", _ENGLISH_COUNT_UNITS, 4)


def own_question(text: str) -> str:
    """The question itself, without the earlier question a follow-up was rewritten with
    ("Tổng vốn của các dự án đó là bao nhiêu? Năm 2025 có bao nhiêu dự án …?")."""
    first, mark, rest = text.partition("?")
    return first + mark if rest.strip() else text


# Pay asked for ("trả lương bao nhiêu", "thu nhập bao nhiêu một tháng"), as written.
_WAGE = re.compile(r"(?<!\w)(?:lương(?! thực)|thu nhập)(?!\w)")
# A price asked for ("giá bao nhiêu", "giá lúa tươi bao nhiêu"), as written ("gia" is
# also "già", "giả").
_PRICE = re.compile(
    r"(?<!\w)giá(?:\s+[\w-]+){0,4}?\s+(?:là\s+)?bao nhiêu"
    # "vé vào cổng bao nhiêu tiền", "bao nhiêu tiền một người": a price by its unit
    r"|(?<!bán )(?<!\w)vé(?:\s+[\w-]+){0,5}?\s+(?:là\s+)?bao nhiêu tiền"
    r"|bao nhiêu tiền\s+(?:một|mỗi|1)\s+(?:người|vé|lượt|khách|suất)(?!\w)"
)


# What states a price in a clause: "giá", or an amount per unit ("50.000 đồng/người",
# "mỗi vé").
_PRICE_STATED = re.compile(r"(?<!\w)giá(?!\w)|\d\s*(?:\w+\s*)?/\s*\w|(?<!\w)mỗi(?!\w)")


# A worth, not a price: "trị giá bao nhiêu", "đáng giá", "giá trị".
_WORTH = re.compile(r"(?:trị|đáng)\s+giá(?!\w)|(?<!\w)giá\s+trị(?!\w)")


# The worth of each one asked ("Mỗi chiếc xe … trị giá bao nhiêu?"), and what states a
# worth per unit ("mỗi xe trị giá …", "50.000 đồng/người"): a total of several is not it.
_EACH_ASKED = re.compile(
    r"(?<!\w)mỗi\s+(?:[\w-]+\s+){0,20}?(?:trị giá|giá|tốn|hết)\s+(?:là\s+)?bao nhiêu"
)
_EACH_STATED = re.compile(r"(?<!\w)mỗi(?!\w)|\d\s*(?:\w+\s*)?/\s*\w")


def asks_worth_of_each(question: str) -> bool:
    """Does the question ask what each one is worth, not what all are?"""
    return bool(_EACH_ASKED.search(unify_tones(own_question(question).lower())))


def states_worth_of_each(clause: str) -> bool:
    """Does the clause give a worth per unit ("mỗi …", "…/người")?"""
    return bool(_EACH_STATED.search(unify_tones(clause.lower())))


def asks_price(question: str) -> bool:
    """Does the question ask for a price ("giá vé bao nhiêu"), not a worth ("trị giá
    bao nhiêu", a total)?"""
    written = unify_tones(own_question(question).lower())
    return bool(_PRICE.search(written)) and not _WORTH.search(written)


def states_price(clause: str) -> bool:
    """Does the clause state a price, not a total (revenue from tickets is no price)?"""
    return bool(_PRICE_STATED.search(unify_tones(clause.lower())))


# Contact details asked for ("số điện thoại của Sở Ngoại vụ", "email", "hotline"),
# folded; and as an answer states them: a phone number, an address of mail or web.
_CONTACT_ASKED = re.compile(
    r"\b(?:so dien thoai|dien thoai|sdt|hotline|duong day nong|email|e-mail|thu dien tu|"
    r"website|trang web|phone|telephone|contact details|contact number)\b"
)
_CONTACT_STATED = re.compile(
    r"(?<![\d.,])(?:\+?84|0)\d{2,3}(?:[\s.-]?\d){6,8}(?![\d,])|[\w.-]+@[\w-]+\.\w|"
    r"\bwww\.|https?://|\.(?:gov|com|org)\.vn\b"
)


def asks_for_contact(question: str) -> bool:
    """Does the question ask for a phone number, an email or a website?"""
    return bool(_CONTACT_ASKED.search(fold(own_question(question))))


def states_contact(clause: str) -> bool:
    """Does the clause give a phone number, an email or a web address?"""
    return bool(_CONTACT_STATED.search(clause))


# One project's money asked for ("Dự án trung tâm logistics … có vốn đăng ký bao nhiêu"),
# folded: a project named, none counted or listed.
_ONE_PROJECT = re.compile(r"\b(?:du an|nha may|project|factory)\b")
_PROJECTS_COUNTED = re.compile(
    r"\b(?:bao nhieu|may|cac|nhung|nhieu|so|so luong|\d+) du an\b|\bprojects\b|"
    r"\b(?:tong cong|tinh ca|tat ca|toan bo|hieu luc|luy ke)\b"
)
_MONEY_ASKED = re.compile(
    r"\b(?:von|tong muc dau tu|tri gia|bao nhieu tien|kinh phi|chi phi|capital|investment|"
    r"worth|cost|money)\b"
)
# A total over several projects ("cho 12 dự án FDI mới, với tổng vốn đăng ký …").
_SEVERAL_PROJECTS = re.compile(r"(?<![\d.,])(?:[2-9]|\d{2,})(?:[.,]\d+)* (?:du an|projects)\b")


def asks_one_projects_money(question: str) -> bool:
    """Does the question ask for the money of one project it names?"""
    folded = fold(own_question(question))
    return bool(
        len(_ONE_PROJECT.findall(folded)) == 1
        and _MONEY_ASKED.search(folded)
        and not _PROJECTS_COUNTED.search(folded)
    )


def totals_several_projects(clause: str) -> bool:
    """Does the clause count several projects (its money is their total)?"""
    return bool(_SEVERAL_PROJECTS.search(fold(clause)))


def _counting(question: str) -> list[re.Match[str]]:
    """The "bao nhiêu X" / "mấy X" phrases of the question that count something (folded),
    "bao nhiêu" before "mấy", which also reads "the few" ("với mấy tỉnh bên Lào"); a
    question opening with "số X" only when it has none."""
    own = own_question(question)
    folded = fold(own)
    written = unify_tones(own.lower())

    def counted(m: re.Match[str]) -> bool:
        """ "bao nhiêu X" or "mấy X", not "nhà máy X" (folded alike)."""
        asked = written[m.start() : m.start() + 3] if len(written) == len(folded) else "mấy"
        return bool(m.group(1)) and (
            not folded[m.start() :].startswith("may ")
            or (asked == "mấy" or not has_diacritics(own))
        )

    counting = sorted(
        (m for m in _HOW_MANY.finditer(folded) if counted(m)),
        key=lambda m: not m.group(0).startswith("bao nhieu"),
    )
    return counting or [m for m in _HOW_MANY.finditer(folded) if m.group(2)][:1]


def _asked_unit_key(question: str) -> str | None:
    written = unify_tones(own_question(question).lower())
    if _PRICE.search(written):
        return "tien"  # "giá bao nhiêu một cân": a price is money, not hectares
    if _WAGE.search(written):
        return "luong"  # "trả lương bao nhiêu một tháng": pay, in a currency
    # the first "bao nhiêu X" or "mấy X" that counts a known thing ("mấy ông Nhật … bao
    # nhiêu công nhân" counts workers)
    for match in _counting(question):
        words = (match.group(1) or match.group(2)).split()
        if not words or words[0] in _NOT_UNITS:
            return None
        two = " ".join(words[:2])
        if two in UNITS:
            return two
        if words[0] in UNITS:
            return words[0]
    return None  # unlisted: left to coverage


def counted_word(question: str) -> str | None:
    """The counted noun of "mấy X" / "bao nhiêu X" when it is no unit of ``UNITS`` ("cao
    mấy tầng", "bao nhiêu phòng mổ"), as written (folded when the question is typed
    without marks). Unlisted, it cannot be required (a reader's "bao nhiêu đô" or "hạng
    mấy" would be refused), only preferred."""
    if _asked_unit_key(question):
        return None
    own = own_question(question)
    folded = fold(own)
    written = unify_tones(own.lower())
    matches = [m for m in _counting(question) if m.group(1)]
    if not matches:
        return None
    start = matches[0].start(1)
    word = matches[0].group(1).split()[0]
    form = (
        written[start : start + len(word)]
        if has_diacritics(own) and len(written) == len(folded)
        else word
    )
    if {word, form} & (_NOT_UNITS | _FUNCTION_WORDS | _SCALES) or not word.isalpha():
        return None
    return form


# Scale words and quantifiers after "bao nhiêu" that count no thing ("bao nhiêu triệu
# USD", "bao nhiêu phần", "bao nhiêu cả thảy"), folded.
_SCALES = frozenset("trieu ty nghin ngan tram chuc ca toan tat de so phan".split())


def states_counted(clause: str, word: str) -> bool:
    """Does the clause state a figure of the counted ``word`` ("khối nhà 9 tầng nổi")?
    Compared as written when the word has marks: folded, "tầng" would be "tăng"."""
    text = unify_tones(clause.lower()) if has_diacritics(word) else fold(clause)
    return bool(re.search(rf"\d(?:[\d.,]*\d)?\s+{re.escape(word)}(?!\w)", text))


def asked_unit(question: str) -> tuple[str, ...]:
    """Forms of the counted thing a "bao nhiêu X" (or "số X …", "how many X") question
    asks for (empty: any)."""
    key = _asked_unit_key(question)
    if key:
        return UNITS[key]
    english = _ENGLISH_COUNTED.search(fold(own_question(question)).lower())
    return UNITS[_ENGLISH_COUNT_UNITS[english.group(1)]] if english else ()


def asked_unit_topic(question: str) -> tuple[str, ...]:
    """Folded terms one of which the answer's sentence must contain for its count to be
    of the asked thing: "bao nhiêu lao động" is not answered by "dân số 1,18 triệu người"
    (empty: no such condition)."""
    key = _asked_unit_key(question)
    if key is None:  # "Dự án … có vốn bao nhiêu?": the measure named before the question
        heads = (term.replace("_", " ") for term in asked_subject(question))
        key = next((head for head in heads if head in UNIT_TOPICS), None)
    if key is None and _CAPITAL_ASKED.search(fold(own_question(question))):
        key = "von"  # "lọc hóa dầu Nghi Sơn tổng vốn đầu tư bao nhiêu tỷ đô"
    if key == "nguoi" and _WORK_ABROAD.search(fold(own_question(question))):
        key = "lao dong"  # "bao nhiêu người đi làm việc ở nước ngoài": workers, not visits
    return UNIT_TOPICS.get(key, ()) if key else ()


# Capital asked for right before "bao nhiêu", with no verb between (folded).
_CAPITAL_ASKED = re.compile(
    r"\b(?:tong muc dau tu|(?:tong )?von(?: dau tu| dang ky)?)\s+(?:la\s+)?(?:bao nhieu|may)\b"
)
# People counted as going to work abroad (folded).
_WORK_ABROAD = re.compile(r"\b(?:di (?:lam viec|lao dong|xuat khau lao dong)|xuat canh)\b")


# "X là / đạt / chiếm bao nhiêu?": X, the question's subject, is the measure asked for.
_SUBJECT_ASKED = re.compile(r"\b(?:la|dat|duoc|khoang|chiem)\s+(?:bao nhieu|may)\b")
# "… có X bao nhiêu?": X is the measure ("có tổng mức đầu tư bao nhiêu").
_HAS_HOW_MANY = re.compile(r"\bcó\s+((?:\w+\s+){1,4}?)bao nhiêu\s*\??\s*$", re.IGNORECASE)
# Words that open a subject without saying which measure ("Tổng giá trị xuất khẩu").
_GENERIC_OPENINGS: tuple[str, ...] = (
    # "kim ngạch" is a trade value, as "giá trị" is: "tổng kim ngạch nhập khẩu" asks
    # imports, which an article may state as "tổng giá trị nhập khẩu"
    "tong kim ngach",
    "kim ngach",
    "tong gia tri",
    "tong tri gia",
    "tri gia",
    "tong so",
    "so luong",
    "con so",
    # "số liệu nhập khẩu": the figures of imports ("liệu nhập" is no phrase)
    "so lieu",
    "du lieu",
    "tong",
    "so",
    "luong",
    "gia tri",
    "muc",
    # classifiers: "Cái nhà máy …", "Chiếc xe …" name the thing after them
    "cai",
    "chiec",
    # qualities of a figure, not measures: "con số đúng", "số liệu chính thức", "đúng ra
    # là bao nhiêu", "thực ra là"
    "dung ra",
    "thuc ra",
    "thuc su",
    "rot cuoc",
    "dung",
    "chinh xac",
    "chinh thuc",
    "thuc te",
    "cuoi cung",
    # and of its date: "số liệu mới nhất về lượng khách" (the scope's "latest")
    "moi nhat",
    "gan day nhat",
    "gan nhat",
    "hien nay",
    "hien tai",
    "ve",
)
# As written (folded, "về" would be "vé"): words that end a subject's head.
_FUNCTION_WORDS = frozenset(
    "là đạt được có của các những và với ở tại trong từ đến cho về theo bao nhiêu mấy "
    "thế còn bên phía vậy mà "
    "la dat duoc co cua cac nhung va voi o tai trong tu den cho theo nhieu may".split()
)
# Acronyms a question may type in lower case: not the second word of a head ("vốn FDI"
# is written "vốn … dự án FDI").
_ACRONYMS = frozenset("fdi oda odi usd ngo ubnd".split())
# A time phrase the question opens with ("Năm 2017", "6 tháng đầu năm 2025,", "Riêng
# nửa đầu năm 2023", "Quý I năm 2024").
_LEADING_TIME = re.compile(
    r"^(?:riêng\s+)?(?:(?:trong|tới|đến|tính đến)(?:\s+(?:hết|cuối))?\s+)?"
    r"(?:(?:\d+\s+tháng|nửa|quý\s+[IV\d]+)\s+(?:(?:đầu|cuối)\s+)?|cả\s+)?"
    r"(?:năm\s+)?(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*",
    re.IGNORECASE,
)
# The reader's request before the question ("Bạn kiểm tra lại xem …", "Cho mình hỏi
# …"): it names no measure.
_LEADING_REQUEST = re.compile(
    r"^(?:(?:bạn|anh|chị|em|ad)\s+)?(?:(?:hãy|thử|làm ơn)\s+)?"
    r"(?:(?:kiểm tra|xem|tra cứu|tìm|check)(?:\s+(?:lại|giúp|hộ|giùm))*"
    r"(?:\s+(?:cho\s+)?(?:tôi|mình|em))?(?:\s+xem)?|cho\s+(?:tôi|mình|em)\s+(?:hỏi|biết))"
    r"\s*,?\s+",
    re.IGNORECASE,
)
# A leading "latest" adverbial ("Gần đây nhất, …", "Theo số liệu mới nhất, …", "Hiện nay
# …"): it dates the question and names no measure.
_LEADING_RECENCY = re.compile(
    r"^(?:theo\s+(?:các\s+)?(?:số liệu|báo cáo|thống kê)\s+)?(?:mới nhất|gần đây(?:\s+nhất)?|"
    r"gần nhất|hiện nay|hiện tại|hiện giờ|tính đến nay|đến nay)\s*,?\s*",
    re.IGNORECASE,
)


# "cụ thể", "chính xác" before the asking "là": how precisely, not what is asked.
_EXACTLY = re.compile(r"(?<!\w)(?:cụ thể|chính xác|cu the|chinh xac)\s+(?=(?:là|la)\b)", re.I)


def asked_subject(question: str) -> dict[str, str]:
    """The head of the measure a "X … là bao nhiêu?" question asks for, as a folded term
    mapped to the words as typed (``{"dan_so": "Dân số"}`` for "Dân số tỉnh … là bao
    nhiêu người?"): a clause that never names it
    (a count of workers) does not answer. A leading time phrase ("Năm 2023, …") and
    openings that name no measure ("Tổng", "Số lượng") are skipped; a subject that is a
    name ("Thanh Hóa có …") or a question word gives nothing to require."""
    # "…, cụ thể là bao nhiêu người?": the adverb names no measure
    text = _EXACTLY.sub("", question.strip())
    # "…, nghe nói năm đó …, tỷ lệ đỗ là bao nhiêu?": the clause that asks names it
    asking = [c for c in re.split(r"[,.;!?]\s+", text) if _SUBJECT_ASKED.search(fold(c))]
    if len(asking) == 1 and not re.fullmatch(r"\W*(?:là|la)\b.*", asking[0].strip()):
        text = asking[0].strip()
    head, comma, rest = text.partition(",")
    if comma and re.search(r"\d", head):
        text = rest.strip()
    text = _LEADING_RECENCY.sub("", _LEADING_TIME.sub("", _LEADING_REQUEST.sub("", text)))
    having = _HAS_HOW_MANY.search(text)
    if having:  # "Dự án … có tổng mức đầu tư bao nhiêu?": the words between
        text = having.group(1) + " là bao nhiêu"
    if not _SUBJECT_ASKED.search(fold(text)):
        return {}
    words = re.findall(r"[\w-]+", text)
    if len(words) >= 2 and words[0][:1].isupper() and words[1][:1].isupper():
        return {}  # a name: "Thanh Hóa …", "Hủa Phăn …"
    folded = [fold(w) for w in words]
    i, skipped = 0, True
    while skipped:  # "Tổng mức đầu tư": neither "tổng" nor "mức" names the measure
        skipped = False
        for opening in _GENERIC_OPENINGS:
            parts = opening.split()
            if folded[i : i + len(parts)] == parts:
                i, skipped = i + len(parts), True
                break
    if i >= len(words) or _function(words[i]) or not words[i].isalpha():
        return {}
    if words[i][:1].isupper() and i > 0:
        return {}  # "Số Hàn Quốc …" names a partner
    nxt = i + 1
    if (
        nxt < len(words)
        and words[nxt].isalpha()
        and not _function(words[nxt])
        and not words[nxt][:1].isupper()
        and folded[nxt] not in _ACRONYMS
    ):
        if place_key(f"{folded[i]} {folded[nxt]}") in VIETNAM_PROVINCES:
            return {}  # "quảng bình đón …" typed in lower case: a place, not a measure
        if " ".join(folded[nxt : nxt + 2]) not in _COMPOUNDS:
            return {f"{folded[i]}_{folded[nxt]}": f"{words[i]} {words[nxt]}"}
        # "vốn đầu tư": the next word opens a word of its own ("đầu tư"), not "vốn đầu"
    return {folded[i]: words[i]}


# Two-syllable words of this field (folded) that a measure's head is often followed by.
_COMPOUNDS = frozenset(
    "dau tu|xuat khau|nhap khau|lao dong|du lich|hop tac|thuong mai|kinh te|nuoc ngoai|"
    "quoc te|phat trien|dang ky|thuc hien|giai ngan|doanh nghiep|du an|hieu luc|dich vu|"
    "hang hoa|ngoai giao|dao tao|giao duc|y te|van hoa|nong nghiep|cong nghiep|ke hoach|"
    "trao doi|tai tro|ho tro|vien tro|kieu hoi|san xuat".split("|")
)


def _function(word: str) -> bool:
    return unify_tones(word.lower()) in _FUNCTION_WORDS


def states_unit(clause: str, forms: tuple[str, ...]) -> bool:
    """Does the clause state a figure in one of the forms ("9.865 người", "75,8%", "38
    lượt trao đổi đoàn")? The form follows the figure within a few words ("đồng thời" is
    no amount of money). Compared as written (lower case, one tone placement), never
    folded."""
    if not forms:
        return True
    written = unify_tones(clause.lower())
    return any(
        re.search(
            rf"\d(?:[\d.,]*\d)?\s*(?:[^\W\d]+\s+){{0,4}}?{re.escape(unify_tones(f))}"
            + (r"(?!\w)" if f[-1].isalnum() else ""),
            written,
        )
        for f in forms
    )


# A figure set as a goal, not reached ("phấn đấu đón 120.000 lượt", "mục tiêu đến năm
# 2030 đạt …", "dự kiến đạt …"): the cue comes before the figure in its clause.
_TARGET_BEFORE = re.compile(
    r"(?<!\w)(?:phấn đấu|mục tiêu|dự kiến|chỉ tiêu|đặt kế hoạch|kế hoạch đề ra|định hướng)"
    r"(?!\w)",
    re.IGNORECASE,
)
# A question asking for a goal or a forecast (folded).
_ASKS_TARGET = re.compile(
    r"\b(?:muc tieu|ke hoach|phan dau|du kien|chi tieu|du tinh|se dat|se don|target|plan|"
    r"planned|expected|aims?|goal|forecast)\b"
)


def asks_for_target(question_folded: str) -> bool:
    """Does the question ask for a goal or a forecast ("mục tiêu", "dự kiến")?"""
    return bool(_ASKS_TARGET.search(question_folded))


def is_target(clause: str, figure_start: int) -> bool:
    """Is the figure starting at ``figure_start`` a goal set, not a result ("phấn đấu
    đón 120.000 lượt khách")? Only the words of its own clause before it count."""
    parts = re.split(r"[,;:]\s", clause[:figure_start])
    # "phấn đấu thu hút khoảng 35 dự án, trong đó có ít nhất 8 dự án FDI": the part of a
    # goal is a goal too
    within = len(parts) > 1 and re.match(r"(?:trong đó|trong số đó|bao gồm)\b", parts[-1], re.I)
    return bool(_TARGET_BEFORE.search(" ".join(parts[-2:] if within else parts[-1:])))


# A figure the article takes back: quoted as what was wrongly written ("có nội dung:
# “Kim ngạch nhập khẩu đạt 6.420,9 triệu USD …”") or denied ("chứ không phải 1.234,5
# triệu USD như bài viết đã nêu"). A correction states the right figure beside it.
_RETRACTED = re.compile(
    r"(?:có nội dung|viết là|ghi là|nêu là)\s*:?\s*“[^”]*”|"
    r"(?:chứ không phải|không phải là|thay vì)\s+\S+(?:\s+\S+){0,3}",
    re.IGNORECASE,
)


def is_retracted(clause: str, figure_start: int) -> bool:
    """Is the figure starting at ``figure_start`` one the clause takes back?"""
    return any(m.start() <= figure_start < m.end() for m in _RETRACTED.finditer(clause))


def as_reached(clause: str, figures: re.Pattern[str]) -> str:
    """The clause with the ``figures`` it does not state as reached blanked out (same
    length): goals set ("phấn đấu đón 120.000 lượt") and figures it takes back."""

    def blanked(m: re.Match[str]) -> str:
        dropped = is_target(clause, m.start()) or is_retracted(clause, m.start())
        return "…" * len(m.group(0)) if dropped else m.group(0)

    return figures.sub(blanked, clause)


# Roles that make "ai" ask for a person (else "ai" may be a fund or a company).
_ROLES = re.compile(
    r"\b(?:chu tich|bi thu|giam doc|tinh truong|thi truong|thong doc|dai su|bo truong|"
    r"thu truong|truong doan|nguoi dan dau|nguoi dung dau|dan dau doan|hieu truong|tac gia|"
    r"nguoi ky|dai dien|governor|chairman|"
    r"thu mon|tien dao|tien ve|hau ve|trung ve|huan luyen vien|goalkeeper|striker|coach|"
    r"president|secretary|director|mayor|ambassador|minister|author|leader|head)\b"
)


# The role a question asks the holder of → how an article writes it (folded).
_ROLE_FORMS: dict[str, tuple[str, ...]] = {
    "chu tich": ("chu tich",),
    "bi thu": ("bi thu",),
    "giam doc": ("giam doc",),
    "tinh truong": ("tinh truong",),
    "thi truong": ("thi truong",),
    "thong doc": ("thong doc", "tinh truong"),
    "dai su": ("dai su",),
    "bo truong": ("bo truong",),
    "thu truong": ("thu truong",),
    "truong doan": ("truong doan", "dan dau"),
    "nguoi dan dau": ("truong doan", "dan dau"),
    "nguoi dung dau": ("truong doan", "dan dau"),
    "dan dau doan": ("truong doan", "dan dau"),
    "thu mon": ("thu mon",),
    "tien dao": ("tien dao",),
    "tien ve": ("tien ve",),
    "hau ve": ("hau ve", "trung ve"),
    "trung ve": ("trung ve",),
    "huan luyen vien": ("huan luyen vien", "hlv"),
    "goalkeeper": ("thu mon",),
    "striker": ("tien dao",),
    "coach": ("huan luyen vien", "hlv"),
    "hieu truong": ("hieu truong",),
    "governor": ("tinh truong", "thong doc"),
    "chairman": ("chu tich",),
    "president": ("chu tich",),
    "secretary": ("bi thu",),
    "director": ("giam doc",),
    "mayor": ("thi truong",),
    "ambassador": ("dai su",),
    "minister": ("bo truong",),
    "leader": ("truong doan", "dan dau"),
    "head": ("truong doan", "dan dau"),
}
_DEPUTY = re.compile(r"\b(?:pho|deputy|vice)[ -]$")


def holds_the_role(clause: str, question: str) -> bool:
    """Does the clause name the asked role itself ("Chủ tịch UBND tỉnh"), not its deputy
    ("Phó Chủ tịch"), unless the question asks for the deputy?"""
    asked = _ROLES.search(fold(question))
    forms = _ROLE_FORMS.get(asked.group(0)) if asked else None
    if not forms:
        return True
    # "Phó Thị trưởng", "deputy governor": the word right before the role ("thành phố"
    # folds to "pho" too)
    deputy = bool(asked and _DEPUTY.search(fold(question)[: asked.start()]))
    folded = fold(clause)
    for form in forms:
        for match in re.finditer(rf"\b{form}\b", folded):
            if deputy or not folded[: match.start()].endswith("pho "):
                return True
    return False


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
        if run and 3 <= len(run[0].split()) <= 4 and run[0].split()[0] in _FAMILY_NAMES:
            return True  # "Lê Quang Vĩnh", "Nguyễn Thị Thu Hà"
    return False


# The side a person is asked for ("thay mặt tỉnh Thanh Hóa", "đoàn Seongnam", "phía
# Hủa Phăn", "on behalf of Toyama"): the place named right after it.
_SIDE_NAMED = r"\s+(?:tỉnh\s+|thành phố\s+|TP\.?\s*|the\s+)?(?=[A-ZĐ])"
_SIDE = re.compile(
    r"(?:thay mặt|đại diện(?: cho)?|phía|on behalf of|representing|"
    # "lãnh đạo tỉnh Thanh Hóa đã ký": the province, not the body ("lãnh đạo UBND …")
    r"lãnh đạo(?:\s+(?:UBND|HĐND))?(?=\s+(?:tỉnh|thành phố)\s))" + _SIDE_NAMED,
    re.IGNORECASE,
)
# Weaker: the delegation the person belongs to ("đoàn Thanh Hóa … ai dẫn đầu"), when no
# side is named as such.
_DELEGATION_SIDE = re.compile(
    r"đoàn(?: đại biểu| công tác)?(?: cấp cao)?(?: của)?" + _SIDE_NAMED, re.IGNORECASE
)
# Where a named person's role places them: "ông Vilay Sihalath, …, Tỉnh trưởng tỉnh Hủa
# Phăn" (the province written in lower case: "Tỉnh ủy" is the body, not the place).
_ROLE_PLACE = re.compile(r"(?<!\w)(?:tỉnh|thành phố|TP\.?|bang|quận|huyện)\s+(?=[A-ZĐ])")


# Lower-case syllables of a role written after a name ("Phó Bí thư Tỉnh ủy, Tỉnh trưởng
# tỉnh Hủa Phăn"): the appositive goes on while its words are these or capitalised.
_ROLE_SYLLABLES = frozenset(
    "tịch thư trưởng đốc sứ ủy viên nhân dân tỉnh thành phố bang huyện quận chủ tổng "
    "lãnh sự ban sở phó hội đồng".split()
)


def _appositive(after: str) -> str:
    """The role written right after a person's name (", Phó Tỉnh trưởng tỉnh Hủa Phăn"),
    up to the first word that is no part of it ("làm trưởng đoàn … tại tỉnh Hủa Phăn"
    tells where the person went, not whose they are)."""
    kept: list[str] = []
    for word in re.findall(r"[,]|[^\s,]+", after):
        bare = word.strip("().")
        if word == "," or bare[:1].isupper() or bare in _ROLE_SYLLABLES:
            kept.append(word)
        else:
            break
    return " ".join(kept)


def asked_side(question: str) -> str | None:
    """The place (folded) whose person the question asks for, if it names one that is
    not a country (a country's person holds a role of one of its places)."""
    for pattern in (_SIDE, _DELEGATION_SIDE):
        for match in pattern.finditer(question):
            run = capitalised_run(question, match.end())
            if run:
                key = place_key(run[0])
                return None if key in COUNTRIES else key
    return None


def of_another_side(clause: str, side: str) -> bool:
    """Does every person the clause names hold a role of another place than ``side``
    ("Ai thay mặt tỉnh Thanh Hóa ký …" is not answered by Hủa Phăn's governor)? A role
    naming no place ("Phó Chủ tịch UBND tỉnh") may be the asked side's own."""
    places: list[str | None] = []
    for match in _PERSON_LEAD.finditer(clause):
        run = capitalised_run(clause, match.end())
        if not run:
            continue
        after = _appositive(clause[run[1] : run[1] + 120])
        where = _ROLE_PLACE.search(after)
        named = capitalised_run(after, where.end()) if where else None
        places.append(place_key(named[0]) if named else None)
    return bool(places) and all(p is not None and p != side for p in places)


# A document's number as written: "41-CT/TW", "31-NQ/CP", "22/NQ-TW", "123/QĐ-UBND".
DOCUMENT_CODE = re.compile(r"(?<![\w/-])\d+(?:[-/][A-ZĐ][A-Za-zĐ]*)+(?![\w/-])")
# Asking for a document's number, folded: "số hiệu", "nghị quyết số mấy", "the number of
# the Politburo resolution", "which directive".
_CODE_ASKED = re.compile(
    r"\b(?:so hieu|ky hieu|so van ban|ma so)\b|"
    r"\b(?:chi thi|nghi quyet|quyet dinh|ket luan|nghi dinh|van ban) (?:so )?(?:nao|may|gi|"
    r"bao nhieu)\b|\b(?:which|what)(?: \w+){0,3} (?:directive|resolution|decision|decree)\b|"
    r"\bnumber (?:of|for) (?:the|that|this)\b|"
    # "Kế hoạch … được ban hành ngày nào, số mấy?": a document's number asked after it
    r"^(?=.*\b(?:ke hoach|chuong trinh|nghi quyet|chi thi|quyet dinh|van ban)\b)"
    r".*\bso (?:may|bao nhieu)\s*\??$"
)
# Who issued the document asked for (folded) → the last part of its number, as the
# issuer signs it: "22/NQ-TW" is the Party Central's, "31-NQ/CP" the Government's.
_ISSUERS: dict[str, str] = {
    "bo chinh tri": "TW",
    "ban bi thu": "TW",
    "trung uong": "TW",
    "politburo": "TW",
    "secretariat": "TW",
    "central committee": "TW",
    "thu tuong": "TTg",
    "prime minister": "TTg",
    "chinh phu": "CP",
    "government": "CP",
    "quoc hoi": "QH",
    "national assembly": "QH",
    "tinh uy": "TU",
    "ubnd": "UBND",
    "uy ban nhan dan": "UBND",
}
_ISSUER = re.compile(rf"\b(?:{'|'.join(_ISSUERS)})(?:'s)?\b")


def asks_document_code(question_folded: str) -> bool:
    """Does the (folded) question ask for a document's number ("số hiệu", "which
    resolution")?"""
    return bool(_CODE_ASKED.search(question_folded))


# The documents that guide a province's work for years (a directive, a resolution), as
# opposed to what it signs in a year ("ký được văn bản gì"), folded.
_GUIDING_KIND = re.compile(r"\b(?:chi thi|nghi quyet|ket luan|directive|resolution)\b")


def asks_guiding_document(question_folded: str) -> bool:
    """Does the (folded) question ask for the number of a directive or resolution? Its
    date is its issue's, years before the period whose work it guided."""
    return asks_document_code(question_folded) and bool(_GUIDING_KIND.search(question_folded))


def asked_code_issuer(question_folded: str) -> str | None:
    """The issuer's part of the asked document's number ("TW" for "Nghị quyết số mấy
    của Bộ Chính trị"), or None when the question asks no number or names no issuer
    ("thủ tướng" is looked for before "chính phủ": "Thủ tướng Chính phủ" signs TTg)."""
    if not asks_document_code(question_folded):
        return None
    found = [m.group(0).removesuffix("'s") for m in _ISSUER.finditer(question_folded)]
    return _ISSUERS[found[0]] if found else None


def codes_of_issuer(clause: str, issuer: str) -> list[re.Match[str]]:
    """The document numbers of the clause signed by the issuer ("TW": "22/NQ-TW",
    "41-CT/TW"; not "31-NQ/CP")."""
    return [
        m for m in DOCUMENT_CODE.finditer(clause) if re.split(r"[-/]", m.group(0))[-1] == issuer
    ]
