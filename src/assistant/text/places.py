"""Places: which Vietnamese province (or the whole country) a text is about.

A portal publishes the same measures for many places: Thanh Hóa's exports beside Nghệ
An's, the country's FDI beside the province's. Answers must come from an article about
the place asked for, so places are recognised in articles (at ingest) and in questions
with the same rules, and compared by a folded key (``thanh hoa``) so that ``Thanh Hoá``,
``Thanh Hóa`` and ``thanh hoa`` are one place.

Three sources of evidence, from strongest to weakest:

* a name after an administrative noun (``tỉnh Nghệ An``, ``thành phố Hà Nội``);
* a headline's dateline (``Nghệ An: Đối ngoại …``): a run of capitalised words before
  the colon;
* the list of Vietnam's provinces and centrally-run cities below.

Foreign localities (``tỉnh Hủa Phăn (Lào)``, ``thành phố Seongnam, Hàn Quốc``) are
partners, never the subject: a name followed by a country in brackets or after a comma,
or listed among the partner names below, is not a place of this kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from assistant.text.vietnamese import fold, unify_tones

NATIONAL = "Việt Nam"  # the scope of national pieces ("cả nước")
NATIONAL_KEY = "viet nam"

# Vietnam's provinces and centrally-run cities (the 63 before the 2025 merger; the merged
# provinces kept names from this list). Folded keys.
_PROVINCE_NAMES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh",
    "Bến Tre", "Bình Dương", "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau",
    "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai",
    "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang",
    "Kon Tum", "Lai Châu", "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định",
    "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Huế",
    "Tiền Giang", "Hồ Chí Minh", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)  # fmt: skip
VIETNAM_PROVINCES: dict[str, str] = {fold(name): name for name in _PROVINCE_NAMES}
# What readers and the press also call a province ("xứ Thanh" is Thanh Hóa).
PLACE_ALIASES: dict[str, str] = {
    "xu thanh": "thanh hoa",
    "xu nghe": "nghe an",
    # as English writes them, in one word
    "hanoi": "ha noi",
    "saigon": "ho chi minh",
    "sai gon": "ho chi minh",
    "danang": "da nang",
    "haiphong": "hai phong",
}

# Countries: after a partner's own name ("tỉnh Savanh bên Lào", "Seongnam (Hàn Quốc)") a
# country only says where the partner is.
_COUNTRY_NAMES = (
    "Lào",
    "Hàn Quốc",
    "Nhật Bản",
    # as readers shorten them ("sang Nhật làm việc", "bên Hàn")
    "Nhật",
    "Hàn",
    "Đức",
    "CHLB Đức",
    "Kuwait",
    "Cô-oét",
    "Nga",
    "Liên bang Nga",
    "Trung Quốc",
    "Thái Lan",
    "Campuchia",
    "Pháp",
    "Hoa Kỳ",
    "Mỹ",
    "Anh",
    "Singapore",
    "Đài Loan",
    "Úc",
    "Australia",
    "Ấn Độ",
    "Cuba",
    "Belarus",
    "Hà Lan",
    "Hồng Kông",
    "Canada",
    "Thụy Điển",
    "Thụy Sĩ",
    "Na Uy",
    "Ba Lan",
    "Hungary",
    "Tây Ban Nha",
    "Italia",
    "Israel",
    "Malaysia",
    "Indonesia",
    "Philippines",
    "Myanmar",
    "Mông Cổ",
    "New Zealand",
    "CHDCND Lào",
)
COUNTRIES = frozenset(fold(name) for name in _COUNTRY_NAMES)
# Several names of one country (folded) → the one used as its key.
_SAME_COUNTRY = {
    "chlb duc": "duc",
    "lien bang nga": "nga",
    "kuwait": "co-oet",
    "hoa ky": "my",
    "australia": "uc",
    "chdcnd lao": "lao",
    "nhat": "nhat ban",
    "han": "han quoc",
}


def country_key(folded: str) -> str:
    """One key per country ("chlb duc" and "duc" → "duc")."""
    return _SAME_COUNTRY.get(folded, folded)


# Foreign partners named like provinces ("tỉnh Hủa Phăn"), by their country's name as
# listed above, each with its other spellings (the first names it when matching); with
# the countries: never a Vietnamese subject.
_PARTNERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Lào": (
        ("Hủa Phăn",),
        ("Xiêng Khoảng",),
        ("Luông Pha Bang", "Luông Pha Băng", "Luang Prabang"),
        ("Bôlykhămxay", "Bolikhamxay"),
        ("Khăm Muồn", "Khammouane"),
        ("Viêng Chăn", "Vientiane"),
        ("Xay Nha Bu Ly",),
        ("Sầm Nưa",),
        ("Chăm-pa-sắc", "Champasak"),
        ("Savannakhet", "Xa-vẳn-na-khệt"),
        ("Udomxay", "U-đôm-xay"),
        ("Phông Xa Lỳ", "Phongsaly"),
        ("Sê Kông",),
        ("Attapeu",),
    ),
    "Hàn Quốc": (("Seongnam",), ("Gyeonggi",)),
    "Đức": (("Mittelsachsen",), ("Saxony", "Sachsen")),
    "Cô-oét": (("Farwaniyah",),),
    "Nga": (("Tula",),),
}
# Each partner as written → its country's key.
PARTNER_NAMES: dict[str, str] = {
    name: country_key(fold(country))
    for country, places in _PARTNERS.items()
    for spellings in places
    for name in spellings
}
# The same, folded.
PARTNER_COUNTRY: dict[str, str] = {fold(name): country for name, country in PARTNER_NAMES.items()}
FOREIGN_NAMES = COUNTRIES | frozenset(PARTNER_COUNTRY)
# Countries and partners as written, capitalised: "Đức" and "Pháp", never "giáo dục" or
# "biện pháp" (which folding alone would confuse).
_FOREIGN_WRITTEN = re.compile(
    r"(?<!\w)("
    + "|".join(
        re.escape(unify_tones(name))
        for name in sorted(
            {*_COUNTRY_NAMES, *PARTNER_NAMES},
            key=len,
            reverse=True,
        )
    )
    + r")(?![\w-])"
)


def foreign_keys(folded_names: Iterable[str]) -> frozenset[str]:
    """Country keys of the given names (folded) that are countries or their partners
    ("hua phan" → {"hua phan", "lao"})."""
    keys: set[str] = set()
    for name in folded_names:
        if name in COUNTRIES:
            keys.add(country_key(name))
        elif name in PARTNER_COUNTRY:
            keys.update((name, PARTNER_COUNTRY[name]))
    return frozenset(keys)


@lru_cache(maxsize=8192)
def foreign_in(text: str) -> frozenset[str]:
    """The countries and foreign partners a text names, as :func:`foreign_keys`."""
    return foreign_keys(fold(m.group(1)) for m in _FOREIGN_WRITTEN.finditer(unify_tones(text)))


_COUNTRY_KEYS = frozenset(country_key(name) for name in COUNTRIES)
# What joins the items of a list of countries ("Nhật Bản, Đài Loan và Hàn Quốc").
_LIST_JOINER = re.compile(r"\s*(?:,|và|hoặc|cùng|or|and)\s*")


def _listed_foreign(text: str) -> list[str]:
    """The countries and partners a text names as items of a list of several, as
    written (tone-unified)."""
    unified = unify_tones(text)
    listed: list[str] = []
    previous: re.Match[str] | None = None
    for match in _FOREIGN_WRITTEN.finditer(unified):
        if previous and _LIST_JOINER.fullmatch(unified[previous.end() : match.start()]):
            listed += [previous.group(1), match.group(1)]
        previous = match
    return listed


def listed_countries(text: str) -> frozenset[str]:
    """The countries a text names as items of a list of several ("chủ yếu tại các thị
    trường Nhật Bản, Đài Loan, Hàn Quốc"): a figure beside such a list is not any one
    of theirs."""
    return frozenset(key for item in _listed_foreign(text) for key in countries_in(item))


def listed_partners(text: str) -> frozenset[str]:
    """The partner localities (folded names) a text names as items of a list of several
    ("các địa phương của Lào (Hủa Phăn, Xiêng Khoảng, Luông Pha Băng)"): a figure beside
    such a list is not any one of theirs."""
    folded = (fold(item) for item in _listed_foreign(text))
    return frozenset(name for name in folded if name in PARTNER_COUNTRY)


# "Ngoài Nhật Bản, Đài Loan và Hàn Quốc, …", "… những địa phương nào ngoài các tỉnh của
# Lào?", "besides Laos": what the reader puts aside (opening the question or a clause, or
# right after the asked item: "nước ngoài của Hàn Quốc" is no such thing).
_SET_ASIDE = re.compile(
    r"(?:^|,\s*|(?<!\w)(?:nào|nao|gì|gi|khác|khac)\s+)(?:ngoài|ngoai|trừ|tru)\s+|"
    r"(?<!\w)(?:besides|apart from|other than|except)\s+",
    re.IGNORECASE,
)


def set_aside_places(text: str) -> frozenset[str]:
    """The countries (keys) and partners (folded names) of the list right after "ngoài"
    or "besides": the question asks for others ("Ngoài các tỉnh của Lào, Thanh Hóa ký
    với những địa phương nào?")."""
    unified = unify_tones(text)
    keys: set[str] = set()
    for cue in _SET_ASIDE.finditer(unified):
        position = cue.end()
        for match in _FOREIGN_WRITTEN.finditer(unified, position):
            gap = unified[position : match.start()]
            if position == cue.end():  # "ngoài các tỉnh của Lào": a few words before it
                if len(gap.split()) > 4 or "," in gap:
                    break
            elif not _LIST_JOINER.fullmatch(gap):
                break
            name = fold(match.group(1))
            keys.add(name if name in PARTNER_COUNTRY else country_key(name))
            position = match.end()
    return frozenset(keys)


def only_set_aside(text: str, set_aside: frozenset[str]) -> bool:
    """Does the text name foreign places, all of them put aside (a partner, or a country
    put aside as a whole)? The country of a partner put aside is no other place."""
    named = foreign_in(text)
    partners_countries = {PARTNER_COUNTRY[k] for k in set_aside if k in PARTNER_COUNTRY}
    return bool(named) and all(
        key in set_aside or PARTNER_COUNTRY.get(key) in set_aside or key in partners_countries
        for key in named
    )


def country_names(key: str) -> tuple[str, ...]:
    """Every folded name of the country whose key is ``key`` ("duc" → "duc", "chlb duc")."""
    return tuple(name for name in COUNTRIES if country_key(name) == key)


# The partner each lies within (a provincial capital, a city of its province, a
# district of its state): one place for matching, as is each partner's every spelling.
_PARTNER_WITHIN = {"Sầm Nưa": "Hủa Phăn", "Seongnam": "Gyeonggi", "Mittelsachsen": "Sachsen"}
_ONE_PARTNER = {
    fold(name): fold(spellings[0])
    for places in _PARTNERS.values()
    for spellings in places
    for name in spellings
}


def _partner(key: str) -> str:
    return _ONE_PARTNER.get(key, key)


_WITHIN = {_partner(fold(a)): _partner(fold(b)) for a, b in _PARTNER_WITHIN.items()}


def partners_of(keys: frozenset[str]) -> frozenset[str]:
    """The foreign localities among keys of :func:`foreign_keys` ("hua phan"), without
    their countries, each with the partner it lies within ("sam nua" → also "hua phan")
    and under one spelling ("luang prabang" → "luong pha bang")."""
    found = {_partner(key) for key in keys - _COUNTRY_KEYS}
    return frozenset(found | {_WITHIN[key] for key in found if key in _WITHIN})


def countries_in(text: str) -> frozenset[str]:
    """The countries a text names, directly or through a partner of theirs (keys)."""
    return foreign_in(text) & _COUNTRY_KEYS


# Wording that makes a piece national ("cả nước thu hút …", "Bộ Ngoại giao tổ chức …").
_NATIONAL_CUES = (
    "ca nuoc",
    "toan quoc",
    "bo ngoai giao",
    "thu tuong",
    "ngan hang nha nuoc",
    "tong cuc thong ke",
    "cuc dau tu nuoc ngoai",
    "bo ke hoach va dau tu",
    "bo cong thuong",
    "bo lao dong",
    # money or people coming into the country as a whole (not "hàng của Việt Nam", which
    # a partner buys from a province)
    "ve viet nam",
    "vao viet nam",
    "nationwide",
    "foreign ministry",
    "ministry of foreign affairs",
    "prime minister",
    "state bank",
    "general statistics office",
    "ministry of industry and trade",
    "ministry of planning and investment",
    "ministry of labou?r",
    "into vietnam",
    "whole country",
    "vietnam's",
)
_ADMIN = r"\b(?:tỉnh|thành phố|TP)\.?\s+"
_ADMIN_NOUN = re.compile(_ADMIN, re.IGNORECASE)
_ADMIN_NOUN_BEFORE = re.compile(_ADMIN + "$", re.IGNORECASE)  # right before a name
_WORD = re.compile(r"[^\W\d_][\w'-]*")
# "(Lào)", "(Hàn Quốc)", ", Hàn Quốc", "của Lào", "nước bạn Lào" right after a name
_FOREIGN_AFTER = re.compile(r"^\s*(?:\(|,\s*|\s+của\s+|\s+nước\s+bạn\s+)([^)\n,.;]{2,30})")
_ANY_PROVINCE = re.compile(
    r"\b(?:"
    + "|".join(sorted((re.escape(k) for k in VIETNAM_PROVINCES), key=len, reverse=True))
    + r")\b"
)
_NATIONAL_RE = re.compile(r"\b(?:" + "|".join(_NATIONAL_CUES) + r")\b")
MAX_NAME_WORDS = 4


def capitalised_run(text: str, start: int = 0) -> tuple[str, int] | None:
    """The run of capitalised words starting at ``start`` (``Lạc Dương``, ``Bà Rịa - Vũng
    Tàu``) and where it ends, or None when the word there is not capitalised."""
    words: list[str] = []
    end = pos = start
    while len(words) < MAX_NAME_WORDS:
        gap = re.match(r"[ \t]*" if words else "", text[pos:])
        skip = gap.end() if gap else 0
        match = _WORD.match(text, pos + skip)
        if not match or not match.group(0)[:1].isupper():
            break
        words.append(match.group(0))
        end = pos = match.end()
    if not words:
        return None
    return " ".join(words), end


def place_key(name: str) -> str:
    """The folded key two spellings of one place share (``Thanh Hoá`` → ``thanh hoa``,
    ``xứ Thanh`` → ``thanh hoa``)."""
    key = re.sub(r"^(?:tinh|thanh pho|tp)\s+", "", fold(name)).strip()
    return PLACE_ALIASES.get(key, key)


def _is_foreign(key: str, following: str) -> bool:
    if key in FOREIGN_NAMES:
        return True
    after = _FOREIGN_AFTER.match(following)
    return bool(after and place_key(after.group(1)) in FOREIGN_NAMES)


def admin_places(text: str) -> list[str]:
    """Vietnamese places named after an administrative noun, in order, as written."""
    found: list[str] = []
    for match in _ADMIN_NOUN.finditer(text):
        run = capitalised_run(text, match.end())
        if run is None:
            continue
        name, end = run
        if not _is_foreign(place_key(name), text[end : end + 40]):
            found.append(name)
    return found


def dateline_place(headline: str) -> str | None:
    """``Nghệ An: …`` or ``Tỉnh Lạc Dương: …``: a capitalised run right before the colon
    that is a place (not ``Năm 2017:``, not ``Xuất khẩu lao động:``)."""
    text = re.sub(r"^(?:Tỉnh|Thành phố|TP\.?)\s+", "", headline.strip())
    run = capitalised_run(text)
    if run is None or not text[run[1] :].lstrip().startswith(":"):
        return None
    name = run[0]
    key = place_key(name)
    if key in FOREIGN_NAMES:
        return None
    if len(name.split()) < 2 and key not in VIETNAM_PROVINCES:
        return None  # one capitalised word before a colon is a topic ("Đối ngoại:")
    return name


def known_provinces(text: str, *, skip_locations: bool = False) -> list[str]:
    """Provinces of the list above mentioned in the text, as folded keys in order.

    Not counted: a province followed by a foreign-country marker, one whose name runs on
    into a longer name (``Thái Bình Dương``, ``Điện Biên Phủ``), and with
    ``skip_locations`` one that is only where something happened (``tại Hà Nội``)."""
    folded = fold(text)
    aligned = len(folded) == len(text)  # folding keeps NFC text's length
    out: list[str] = []
    for match in _ANY_PROVINCE.finditer(folded):
        key, end = match.group(0), match.end()
        if _is_foreign(key, folded[end : end + 40]):
            continue
        if aligned and re.match(r" [^\W\d_]", text[end : end + 2]) and text[end + 1].isupper():
            continue
        before = folded[max(0, match.start() - 5) : match.start()]
        if skip_locations and re.search(r"\b(?:tai|o)\s+$", before):
            continue
        out.append(key)
    return out


def place_spans(text: str) -> list[tuple[int, int, bool]]:
    """Where the text names a place, with its administrative noun ("tỉnh Nghệ An"), in
    order: (start, end, foreign). What a follow-up naming another place replaces."""
    folded = fold(text)
    if len(folded) != len(text):
        return []
    spans = [(m.start(), m.end(), False) for m in _ANY_PROVINCE.finditer(folded)]
    spans += [(m.start(1), m.end(1), True) for m in _FOREIGN_WRITTEN.finditer(unify_tones(text))]
    found: list[tuple[int, int, bool]] = []
    for start, end, foreign in sorted(spans):
        noun = _ADMIN_NOUN_BEFORE.search(text[max(0, start - 12) : start])
        found.append((start - len(noun.group(0)) if noun else start, end, foreign))
    return found


def is_national(text: str) -> bool:
    """Does the text speak of the whole country ("cả nước", a ministry)?"""
    return bool(_NATIONAL_RE.search(fold(text)))


def display_name(name: str) -> str:
    """How a place is shown: the list's spelling for a known province, else as written."""
    return VIETNAM_PROVINCES.get(place_key(name), name)


def mentioned(text: str, keys: Iterable[str]) -> list[str]:
    """Which of the given place keys the text mentions (folded, on word boundaries)."""
    words = re.findall(r"\w+", fold(text))
    folded = " " + " ".join(words) + " "
    return [key for key in keys if f" {key} " in folded]
