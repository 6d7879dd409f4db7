"""Scoping: which articles may answer a question, and which one does when several can.

A portal holds the same measure for many places and many years. The question's scope is
read from its words: the place(s) it names (a Vietnamese province, or the whole country;
none means the portal's home province), the period(s) it names, whether it asks for the
latest figure, and the measure it asks for where two measures look alike (exports vs
imports). Retrieval is then restricted to articles about the asked place, and among the
articles that state the asked measure the one whose period matches wins; with no period
named, the most recent does (a correction supersedes what it corrects), and the answer
says which article it follows. Nothing here depends on how many articles are indexed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.answer.kinds import asks_for_rank
from assistant.answer.question import asks_figure_by_keywords
from assistant.core.types import ArticleScope, DocumentFilter, Passage, Period
from assistant.text.periods import deadline_years, periods_in
from assistant.text.places import (
    NATIONAL,
    NATIONAL_KEY,
    PLACE_ALIASES,
    VIETNAM_PROVINCES,
    admin_places,
    foreign_in,
    is_national,
    mentioned,
    place_key,
)
from assistant.text.vietnamese import fold, lexical_terms, unify_tones

if TYPE_CHECKING:
    from assistant.index.index import Index

# Asking for the newest figure ("mới nhất", "gần đây nhất", "hiện nay", "latest").
_LATEST = re.compile(
    r"\b(?:moi nhat|gan day nhat|gan nhat|gan day|hien nay|hien tai|hien gio|cap nhat|"
    r"latest|most recent|currently|now)\b"
)
# The wording of "latest" itself, which no article repeats: left out of word coverage.
_RECENCY_WORDING = tuple(
    phrase.split()
    for phrase in (
        "theo so lieu",
        "so lieu",
        "moi nhat",
        "gan day nhat",
        "gan nhat",
        "gan day",
        "hien nay",
        "hien tai",
        "cap nhat",
        "duoc bao cao",
        "duoc cong bo",
        "latest",
        "most recent",
    )
)
# A part of a year ("6 tháng đầu năm", "9 tháng", "quý I", "nửa đầu năm"): the half-year
# review and the yearly one state the same measure for the same year.
# "Từ đầu năm đến hết tháng 9", "tính hết tháng 9" are "9 tháng" too, and "hết quý II"
# (the quarters so far) is "6 tháng"; English "the first nine months" likewise.
_PART_OF_YEAR = re.compile(
    r"\b(?:(?:tinh |tu dau nam )?(?:den |toi )?(?:het|cuoi) quy (?P<upto>i{1,3}|iv|[1-4])\b|"
    r"(?P<months>\d{1,2}) thang(?! \d)|quy (?P<quarter>i{1,3}|iv|[1-4])\b|(?P<half>nua dau) nam|"
    r"first (?P<english>half|quarter)|"
    r"(?:first )?(?P<english_months>\d{1,2}|three|six|nine) months|"
    r"(?:tinh |tu dau nam )?(?:(?:den|toi) (?:het |cuoi )?|het )thang (?P<until>\d{1,2})\b)"
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_MONTH_COUNTS = {"three": "3", "six": "6", "nine": "9"}


# The whole of a year, said as such ("cả năm 2024", "for the whole of 2023").
_WHOLE_YEAR = re.compile(r"\b(?:ca nam|tron nam|suot nam|whole (?:of )?(?:the )?year|full year)\b")


def part_of_year(text: str) -> str | None:
    """The part of a year a text names, normalised ("6 thang", "quy 1"), or None."""
    match = _PART_OF_YEAR.search(fold(text))
    if not match:
        return None
    parts = match.groupdict()
    upto = parts["upto"] and int(_ROMAN.get(parts["upto"], parts["upto"]))
    english = parts["english_months"]
    months = (
        parts["months"]
        or parts["until"]
        or (english and _MONTH_COUNTS.get(english, english))
        or (upto and upto > 1 and str(3 * upto))
    )
    if months:
        return None if months == "12" else f"{months} thang"
    quarter = parts["quarter"] or (upto and str(upto))
    if quarter:
        return f"quy {_ROMAN.get(quarter, quarter)}"
    return "6 thang" if parts["half"] or parts["english"] == "half" else "quy 1"


# A question about Vietnam ("Năm 2025 Việt Nam xuất siêu …", "How much did Vietnam …")
# that names no province and no foreign partner is about the whole country; not a name
# that ends with it ("Công ty TNHH Hoshimi Auto Parts Việt Nam").
_VIETNAM_NAMED = re.compile(
    r"(?:(?<=^)|(?<=[^\w\s])|(?<=\s))(\S+\s+)?(?:việt nam|viet nam|vietnam)\b|"
    r"\b(?:nationwide|whole country|vietnamese (?:workers|labou?rers|exporters|exports|"
    r"people|provinces?|localit(?:y|ies)|cities))\b",
    re.IGNORECASE,
)


# A bare "tỉnh" ("Tỉnh đã chuẩn bị …", "tỉnh mình", "của tỉnh"): the portal's province,
# whose plans may name Vietnam as a destination ("đón làn sóng đầu tư … vào Việt Nam");
# not "các tỉnh", "tỉnh, thành phố", "tỉnh bạn" or a named one.
_BARE_PROVINCE = re.compile(
    r"(?<!\w)(?<![Cc]ác )(?<![Nn]hững )(?<![Mm]ọi )(?<![Nn]hiều )[Tt]ỉnh(?!\s*,)"
    r"(?!\s+(?:thành|bạn|nào|bậc|lộ|[A-ZĐ]))(?!\w)"
)


_WHOLE_COUNTRY = re.compile(r"\b(?:ca nuoc|toan quoc|nationwide|whole country)\b")


def _about_vietnam(text: str) -> bool:
    for match in _VIETNAM_NAMED.finditer(text):
        before = (match.group(1) or "").strip()
        if not before or not before[:1].isupper() or match.start() == 0:
            return True
    return False


# Measures that look alike but must not answer each other. Each entry: the folded words
# that name the measure, and the words whose presence without them names the other one.
MEASURE_CONTRASTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nhap khau", ("xuat khau",)),
    ("xuat khau", ("nhap khau",)),
    ("import", ("export",)),
    ("export", ("import",)),
)
_MEASURE_TERMS = {
    "nhap khau": ("nhap_khau",),
    "xuat khau": ("xuat_khau",),
    "import": ("nhap_khau",),
    "export": ("xuat_khau",),
}
# Words that narrow a measure to a part of it ("lao động nữ", "khách quốc tế", "vốn giải
# ngân", "thu hồi … dự án"). A figure question that names the part is answered by a
# clause stating that part: the whole's figure ("9.865 người", "112.600 lượt khách") is
# a wrong answer, and no clause stating the part is a reason to refuse. Each entry: the
# question's wording (folded regex) → the clause's wordings (folded, one of them).
MEASURE_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:lao dong|hoc vien|nguoi|thuc tap sinh|la|ve) nu\b|\bnu gioi\b|\bphu nu\b|"
        r"\bwomen\b|\bfemale\b",
        "nu|nu gioi",
    ),
    # the visitors themselves, not "đầu tư trực tiếp nước ngoài" in the same sentence
    (
        r"\bkhach(?: du lich)? (?:quoc te|nuoc ngoai)\b|"
        r"\b(?:international|foreign) (?:tourists?|visitors?|arrivals?|guests?)\b",
        "(?:du )?khach(?: du lich)? (?:quoc te|nuoc ngoai)",
    ),
    (
        r"\bkhach(?: du lich)? (?:noi dia|trong nuoc)\b|"
        r"\bdomestic (?:tourists?|visitors?|arrivals?|guests?)\b",
        "(?:du )?khach(?: du lich)? (?:noi dia|trong nuoc)",
    ),
    (r"\bgiai ngan\b|\bvon(?: \w+)? thuc hien\b|\bdisburs(?:ed|ement|e)\b", "giai ngan|thuc hien"),
    # registered capital, not the exports of the foreign-invested sector (the capital of
    # the projects still valid is what they registered)
    (
        r"\bvon(?: \w+){0,2} dang ky\b|\bregistered (?:\w+ )?capital\b",
        "dang ky|cap moi|cap giay chung nhan|cap phep|con hieu luc",
    ),
    (r"\bthu hoi\b", "thu hoi"),
    # the graduates, not the graduation exam's other figures ("thi tốt nghiệp … điểm 10")
    (r"(?<!thi )\btot nghiep\b", "tot nghiep"),
    (r"\btang von\b|\bdieu chinh (?:tang )?von\b", "tang von|dieu chinh"),
    (r"\b(?:binh quan|trung binh|average)\b", "binh quan|trung binh"),
    # the projects still running (a stock), not the year's new ones
    (r"\bcon (?:hieu luc|hoat dong)\b|\bluy ke\b", "con hieu luc|luy ke"),
    # the year's new projects, not the stock ("lũy kế … 104 dự án FDI còn hiệu lực")
    (
        r"\bcap moi\b|\b(?:du an|doanh nghiep)(?: \w+)? moi\b|"
        r"\bnew (?:\w+ ){0,2}(?:projects?|capital|investments?)\b",
        r"\bmoi\b|cap giay chung nhan|cap phep|thu hut",
    ),
    # people there now (a stock), not the year's departures ("xuất cảnh 5.836 người")
    (
        r"\bdang (?:lam viec|sinh song|hoc tap|theo hoc|cu tru|lao dong)\b|"
        r"\bcurrently (?:working|living|studying)\b",
        r"\bdang\b|\bhien co\b",
    ),
    # a share of a whole ("chiếm bao nhiêu phần trăm"), not a share of the plan
    # (folded, "chiêm" is also the rice crop: "vụ chiêm xuân")
    (r"(?<!vu )(?<!lua )\bchiem\b(?! xuan)", r"chiem|ty trong|ty le"),
    # remittances, not another sum of money in the same sentence (a loan to workers)
    (
        r"\bkieu hoi\b|\b(?:gui|chuyen) (?:tien )?ve\b|\bremittances?\b|"
        r"\bsen[dt] (?:\w+ )?(?:back|home)\b",
        "kieu hoi|gui ve|chuyen ve",
    ),
)
# Measures a figure question names, held to the same rule, but not parts of a measure
# (a refusal does not say the articles lack "a separate figure" for them).
NAMED_MEASURES: tuple[tuple[str, str], ...] = (
    # foreign investment, not the exports or the visitors of the same year
    (
        r"\bfdi\b|\bdau tu (?:truc tiep )?nuoc ngoai\b|\bvon (?:dau tu )?nuoc ngoai\b|"
        r"\bforeign (?:direct )?investment\b",
        # not "vay vốn": a loan to workers is no investment
        r"fdi|dau tu|tong von|von (?:dang ky|cap moi|dieu chinh|thuc hien|giai ngan|nuoc ngoai)",
    ),
    # what foreign non-governmental organisations give, not the province's other sums
    (r"\bngos?\b|\bphi chinh phu\b|\bpcpnn\b", "phi chinh phu|pcpnn|ngo"),
    # the balance of trade, not the exports it comes from
    # (and in plain words: "bán ra nhiều hơn mua vào")
    (
        r"\bxuat sieu\b|\bthang du\b|\bsurplus\b|\bnhieu hon mua vao\b|"
        r"\bxuat nhieu hon nhap\b",
        "xuat sieu|thang du|can can",
    ),
    (
        r"\bnhap sieu\b|\bdeficit\b|\bnhieu hon ban ra\b|\bnhap nhieu hon xuat\b",
        "nhap sieu|can can",
    ),
    # what visitors or sales bring in, not how many visitors came
    (
        r"\bdoanh thu\b|\btong thu\b|\brevenues?\b",
        r"doanh thu|tong thu|thu nhap|\bthu tu\b",
    ),
)


def names_a_measure(text: str) -> bool:
    """Does the text, a reader's phrase with or without a question word, name one of
    :data:`NAMED_MEASURES` ("tổng thu từ du lịch", "vốn FDI", "xuất siêu")?"""
    folded = fold(text)
    return any(re.search(asked, folded) for asked, _ in NAMED_MEASURES)


# The clause words of a measure that names a whole field (foreign investment), not one
# figure: a clause stating it may state another of the field's figures ("chiếm 75,8%
# tổng vốn FDI" for an asked localisation rate).
FIELD_MEASURE_TERMS = frozenset({NAMED_MEASURES[0][1]})
# Words of a clause that make it another measure than the asked part: the projects
# still running ("lũy kế … 134 dự án còn hiệu lực") are not the year's new ones.
MEASURE_EXCLUSIONS: tuple[tuple[str, str], ...] = (
    (
        r"\bcap moi\b|\b(?:du an|doanh nghiep)(?: \w+)? moi\b|"
        r"\bnew (?:\w+ ){0,2}(?:projects?|capital|investments?)\b",
        r"luy ke|con hieu luc|tinh den het",
    ),
    # projects or capital attracted over a span ("thu hút bao nhiêu dự án FDI giai đoạn
    # 2016-2020", "vốn … mới rót vào", "attract over 2016-2020"), unless the stock is
    # asked ("lũy kế", "to date")
    (
        r"(?i)^(?!.*\b(?:luy ke|tinh den|den nay|den het|con hieu luc|so far|to date|"
        r"cumulative|still)\b)(?=.*\b(?:thu hut|attract(?:ed|s)?|rot vao|do vao)\b)"
        r"(?=.*\b(?:du an|projects?|von|capital)\b)",
        r"luy ke|con hieu luc",
    ),
)
# A question asking for a figure (folded): only these are held to the qualifiers.
_ASKS_FIGURE = re.compile(
    r"\b(?:bao nhieu|may|ty le|phan tram|how many|how much|how big|how large|what share|"
    r"what percentage)\b"
)
# A list asked for by its items ("kể tên các dự án …", "những dự án nào"), folded.
_ASKS_ITEMS = re.compile(r"\b(?:ke ten|liet ke|(?:nhung|cac) (?:\w+ ){1,4}nao)\b")
# "mấy X … nào / đâu / gì": "mấy" points at the items another question word asks about.
_MAY_POINTING = re.compile(r"\bmay\b.*\b(?:nao|dau|gi)\b")
_TOTAL_TRADE = (
    "xuat nhap khau",
    "import and export",
    "export and import",
    "exports plus imports",
    "imports plus exports",
    "exports and imports",
    "imports and exports",
    "two-way trade",
    "total trade",
)
# Total trade in an article ("kim ngạch xuất, nhập khẩu", "xuất nhập khẩu"): neither
# exports nor imports.
_TOTAL_TRADE_WRITTEN = re.compile(r"xuat\s*(?:,|va|-|–)?\s*nhap\s+khau")
# Total trade also written as trade ("kim ngạch thương mại hai chiều", "trao đổi thương mại").
_TRADE_WRITTEN = re.compile(r"\bthuong mai\b|\bhai chieu\b")
TOTAL_TRADE_TERM = "xuat_nhap_khau"  # the measure term of total trade


@dataclass(frozen=True)
class QuestionScope:
    """What the question is about, beyond its words."""

    places: tuple[str, ...]  # folded place keys the answer's article must be about
    place_names: tuple[str, ...]  # the same places as the reader wrote or knows them
    explicit: bool  # the question named them (else: the home province, by default)
    periods: tuple[Period, ...] = ()
    latest: bool = False
    measure_terms: tuple[str, ...] = ()  # folded terms the answering clause must contain
    # folded clause words that make a clause another measure ("lũy kế" for new projects)
    excluded_terms: tuple[str, ...] = ()
    part: str | None = None  # part of a year asked for ("6 thang", "quy 1"), folded
    whole_year: bool = False  # "cả năm 2024": a part of the year's figure is no answer
    until: tuple[int, ...] = ()  # deadlines ("từ nay đến năm 2025"): a period ending then
    # codes of the Party's or the State's documents it names ("15_ct_tw", folded terms):
    # national pieces state them too, whatever place the question is about
    documents: tuple[str, ...] = ()
    # a document of the Party's or the State's central bodies asked for without its code
    # ("Chỉ thị của Ban Bí thư về ngoại giao kinh tế"): national pieces state it too
    central_document: bool = False
    # today or tomorrow asked about ("hôm nay trời thế nào"): the ISO date of the day
    # before today, the oldest article that may answer
    as_of: str | None = None

    @property
    def within_part(self) -> bool:
        """Do articles compete within the asked part of the year (the half-year review for
        "6 tháng đầu năm", the yearly one for a question naming none)? "Hiện nay" takes
        the newest figure, whatever part of the year it covers."""
        return self.part is not None or not self.latest

    @property
    def dated(self) -> bool:
        """Does the question name a period or a deadline the answer must be about?"""
        return bool(self.periods or self.until)

    @property
    def wants_recent(self) -> bool:
        """No period named, or "mới nhất": the newest article stating the measure wins."""
        return self.latest or not self.dated

    def document_filter(self, base: DocumentFilter | None) -> DocumentFilter:
        """The reader's own filter narrowed to articles about the asked place(s) and, for
        a province the question names, national pieces too: they give provinces' figures
        ("Hà Nội đứng thứ hai với khoảng 1,86 tỷ USD"), though only a clause naming the
        province may answer from them (:meth:`admits`)."""
        places = self.places
        if (self.explicit or self.documents or self.central_document) and (
            NATIONAL_KEY not in places
        ):
            places = (*places, NATIONAL_KEY)
        flt = replace(base or DocumentFilter(), places=places)
        if self.as_of and not (flt.date_from and flt.date_from > self.as_of):
            flt = replace(flt, date_from=self.as_of)
        return flt

    def about(self, article: ArticleScope | None) -> bool:
        """Is the article about an asked place (an unscoped one counts as such)?"""
        return article is None or not set(article.place_keys).isdisjoint(self.places)

    @cached_property
    def _place_terms(self) -> frozenset[str]:
        """The asked places as a clause names them (a name of several words by its word
        pairs: "ha_noi", not "noi")."""
        return frozenset(
            term
            for name in self.place_names
            for term in lexical_terms(name)[1]
            if "_" in term or " " not in name
        )

    def admits(self, article: ArticleScope | None, leading: frozenset[str]) -> bool:
        """May a clause of this article answer? One about an asked place may; a national
        piece only where the clause (or the sentence before it) names the asked place."""
        if self.about(article):
            return True
        if any(code in leading for code in self.documents):
            return True  # "Chỉ thị số 15-CT/TW ngày 10-8-2022 …" in a national piece
        if self.central_document and any(_CODE_TERM.match(term) for term in leading):
            return True  # the asked document, by its code, in a national piece
        return self.explicit and not self._place_terms.isdisjoint(leading)

    def as_dict(self) -> dict[str, object]:
        return {
            "places": list(self.place_names),
            # the places whose articles may answer: national pieces too, where admitted
            "place_keys": list(self.document_filter(None).places),
            "explicit": self.explicit,
            "periods": [list(p) for p in self.periods],
            "until": list(self.until),
            "latest": self.latest,
            "measure": list(self.measure_terms),
            "measure_excluded": list(self.excluded_terms),
            "part_of_year": self.part,
            "as_of": self.as_of,
        }


# A code of a Party or State document: "41-CT/TW", "22-NQ/TW", "19/NQ-CP", "15-CT/TW".
_DOCUMENT_CODE = re.compile(r"\b\d+[-/](?:CT|NQ|QĐ|KL|TB|CV)[-/][A-ZĐ]+\b")
# The same code as a clause's folded term ("15_ct_tw").
_CODE_TERM = re.compile(r"^\d+_(?:ct|nq|qd|kl|tb|cv)_[a-z]+$")
# A document of a central body asked for (folded): "chỉ thị … của Ban Bí thư", "the
# Politburo's resolution".
_DOCUMENT_KIND = r"(?:chi thi|nghi quyet|ket luan|quyet dinh|nghi dinh|directive|resolution|decree)"
_CENTRAL_BODY = (
    r"(?:ban bi thu|bo chinh tri|trung uong|chinh phu|thu tuong|quoc hoi|politburo|"
    r"secretariat|central committee|government|prime minister|national assembly)"
)
_CENTRAL_DOCUMENT = re.compile(
    rf"\b{_DOCUMENT_KIND}\b(?: \S+){{0,6}} (?:cua )?{_CENTRAL_BODY}\b|"
    rf"\b{_CENTRAL_BODY}(?:'s)?(?: \S+){{0,3}} {_DOCUMENT_KIND}\b"
)


# The whole country as what a place is ranked against: "xếp thứ mấy cả nước".
_COUNTRY_AS_BASE = re.compile(r"\b(?:trong |tren |so voi )?(?:ca nuoc|toan quoc|nationwide)\b")


def _national(text: str) -> bool:
    """Does the question ask about the whole country? Not when it asks a rank: "tỉnh
    mình xếp thứ mấy cả nước" asks the province's place among the country's."""
    if asks_for_rank(text):
        return is_national(_COUNTRY_AS_BASE.sub(" ", fold(text)))
    return is_national(text)


# Today or tomorrow asked about, folded ("hôm nay", "ngày mai", "right now"); not "tính
# đến hôm nay" (up to now: the newest figure).
_NOW = re.compile(
    r"\b(?:hom nay|ngay mai|toi nay|sang nay|chieu nay|dem nay|bay gio|luc nay|"
    r"today|tomorrow|tonight|right now)\b"
)
_UP_TO_NOW = re.compile(
    r"\b(?:den|toi|tinh den|cho den|as of|until|up to|so far)\s+(?:hom nay|bay gio|luc nay|"
    r"today|now)\b"
)


def asked_as_of(folded: str, today: date | None = None) -> str | None:
    """For a question about today or tomorrow, the oldest publication date (ISO, the day
    before ``today``) of an article that may answer it; else None."""
    lower = _UP_TO_NOW.sub(" ", folded.lower())
    if not _NOW.search(lower):
        return None
    return ((today or date.today()) - timedelta(days=1)).isoformat()


def question_scope(
    text: str,
    known_places: Iterable[str],
    home_place: str,
    expansions: Sequence[str] = (),
    today: date | None = None,
) -> QuestionScope:
    """Read the scope of a (standalone, diacritics-restored) question.

    ``known_places`` are the place keys of the indexed articles: a question naming a
    province the portal covers is matched even when that name is in no list (and typed
    without diacritics). ``expansions``: the articles' wording of the reader's phrases
    ("mua hàng từ nước ngoài" → "nhập khẩu"), which name the measure as well.
    ``today``: the date a question about today or tomorrow is read against."""
    folded = fold(text)
    keywords = asks_figure_by_keywords(text)
    asking = asking_part(text)  # the clauses whose years are the asked ones
    keys = [*VIETNAM_PROVINCES, *known_places]
    named = mentioned(text, dict.fromkeys(k for k in keys if k != NATIONAL_KEY))
    named += [PLACE_ALIASES[alias] for alias in mentioned(text, PLACE_ALIASES)]
    named += [place_key(name) for name in admin_places(text)]
    known = set(known_places)
    names: dict[str, str] = {}
    for key in named:
        if key in VIETNAM_PROVINCES or key in known:
            names.setdefault(key, VIETNAM_PROVINCES.get(key) or _as_written(text, key))
    about_vietnam = _about_vietnam(text) and not foreign_in(text)
    national = _national(text) or about_vietnam
    # ("thứ mấy cả nước": the country as the base of a rank, not the subject)
    as_subject = _COUNTRY_AS_BASE.sub(" ", folded) if asks_for_rank(text) else folded
    if national and _BARE_PROVINCE.search(text) and not _WHOLE_COUNTRY.search(as_subject):
        national = False  # the province's own plans, for money coming into Vietnam
    if not names and national:
        names[NATIONAL_KEY] = NATIONAL
    explicit = bool(names)
    if not names:
        names[place_key(home_place)] = home_place
    codes = tuple(
        term for code in _DOCUMENT_CODE.findall(text) for term in lexical_terms(code)[1][:1]
    )
    return QuestionScope(
        places=tuple(names),
        place_names=tuple(names.values()),
        explicit=explicit,
        periods=tuple(_asked_periods(asking)),
        until=tuple(dict.fromkeys(deadline_years(asking))),
        latest=bool(_LATEST.search(folded)),
        measure_terms=_measure_terms(fold(" ".join([text, *expansions])), keywords)
        # a measure named in the reader's own words ("thu về" is no revenue asked)
        # (and by a list of its items: "kể tên các dự án FDI của Hàn Quốc" is not
        # answered by the year's labour sentence naming Korea)
        + tuple(
            part
            for _, part in _asked_parts(
                folded, NAMED_MEASURES, keywords or bool(_ASKS_ITEMS.search(folded))
            )
        ),
        excluded_terms=_excluded_terms(folded),
        part=part_of_year(text),
        whole_year=bool(_WHOLE_YEAR.search(folded)) and not part_of_year(text),
        documents=codes,
        # named by its code, the document is that one; else any code may be it
        # (a question naming the province asks for the one its articles say it followed)
        central_document=not codes and not explicit and bool(_CENTRAL_DOCUMENT.search(folded)),
        as_of=asked_as_of(folded, today),
    )


def _as_written(text: str, key: str) -> str:
    """A place the portal's articles name (not in the list of provinces) as the reader
    wrote it ("Lạc Dương"), for messages; the key itself if it is not found."""
    match = re.search(rf"(?<!\w){re.escape(key)}(?!\w)", fold(text))
    written = text[match.start() : match.end()] if match else ""
    return written if fold(written) == key else key


def without_recency(text: str) -> str:
    """The question without its "mới nhất" wording ("Số liệu kiều hối mới nhất là bao
    nhiêu?" → "kiều hối … là bao nhiêu?"): the newest article says "năm 2025", not
    "mới nhất", and those words would only dilute the ones it does share."""
    words = text.split()
    folded = [fold(w).strip(",.?!") for w in words]
    keep = [True] * len(words)
    for i in range(len(words)):
        for phrase in _RECENCY_WORDING:
            if folded[i : i + len(phrase)] == phrase:
                keep[i : i + len(phrase)] = [False] * len(phrase)
    return " ".join(w for w, k in zip(words, keep, strict=True) if k)


def states_measure(clause: str, measure_terms: Sequence[str]) -> bool:
    """Does the quoted clause itself state the asked measure ("…xuất khẩu đạt X; nhập
    khẩu đạt Y": only the second clause answers for imports), and not as total trade
    ("xuất, nhập khẩu qua cửa khẩu … đạt 74,36 triệu USD" answers neither)? Total trade
    asked is stated only as such."""
    whole = fold(clause)
    folded = _TOTAL_TRADE_WRITTEN.sub(" ", whole)
    return all(
        bool(_TOTAL_TRADE_WRITTEN.search(whole) or _TRADE_WRITTEN.search(whole))
        if term == TOTAL_TRADE_TERM
        else re.search(rf"\b(?:{term.replace('_', ' ')})\b", folded)
        for term in measure_terms
    )


# A plan named by its period: "Kế hoạch hợp tác giai đoạn 2023-2025", "Chương trình hội
# nhập 2021-2025". Asked when it was signed, the years name the plan: the signing is not
# within them.
# Matched on folded text (same length as the original), so typed without diacritics too.
_PLAN_PERIOD = re.compile(
    r"\b(?:ke hoach|chuong trinh|de an|chien luoc|quy hoach|thoa thuan|bien ban)"
    r"(?:\s+[^\s\d,.;:?]+){0,6}?\s+(?:giai doan\s+)?(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d"
    # a document's horizon: "Chỉ thị 15-CT/TW … đến năm 2030", "Directive … to 2030"
    r"|\b(?:chi thi|nghi quyet|ket luan|chien luoc|de an|directive|resolution|strategy)"
    r"(?:\s+[^\s,.;:?]+){0,10}?\s+(?:den nam|den|toi nam|to|until|by)\s+(?:19|20)\d\d"
)


# A full date in a clause ("17-12-2019", "15/8/2022"): its year.
FULL_DATE = re.compile(r"(?<![\d/-])\d{1,2}[-/]\d{1,2}[-/]((?:19|20)\d\d)(?![\d/-])")


# A year that names a plan or an agreement (the single years :data:`_PLAN_PERIOD` leaves
# out, and the English word order) ("ký kế hoạch hợp tác năm 2024", "their
# 2022-2024 cooperation plan"), folded: it is not when the event asked about took place.
_PLAN_YEAR = re.compile(
    r"\b(?:ke hoach|chuong trinh|thoa thuan|bien ban|de an)(?: \S+){0,3}? (?:nam )?"
    r"(?:giai doan )?((?:19|20)\d\d)\b"
    r"|\b((?:19|20)\d\d)(?:\s*[-–]\s*(?:19|20)\d\d)?(?: \S+){0,2} "
    r"(?:plan|agreement|programme|program|memorandum)\b"
)


def event_periods(question: str, periods: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The asked periods that date the event, not those naming a plan."""
    named = {int(m.group(1) or m.group(2)) for m in _PLAN_YEAR.finditer(fold(question))}
    return [p for p in periods if not (p[0] in named or p[1] in named)]


def dated_within(clause: str, periods: Sequence[tuple[int, int]]) -> bool:
    """Does a clause giving full dates give one within the asked periods (none asked, or
    no full date: it may)?"""
    years = [int(m.group(1)) for m in FULL_DATE.finditer(clause)]
    if not periods or not years:
        return True
    return any(start <= year <= end for year in years for start, end in periods)


# Asking when (folded): the plan's years then name it; asking for its figures, they are
# the period they cover.
_WHEN = ("ngay nao", "khi nao", "bao gio", "thoi gian nao", "luc nao", "when", "what date")


# What makes a clause the one that asks (folded).
_ASKING = re.compile(r"\b(?:bao nhieu|may|nao|gi|ai|dau|bao gio|how|what|which|when|who|where)\b")


def asking_clauses(text: str) -> str:
    """The question from its first clause that asks on: the clauses before it only set
    out the subject ("Hà Tĩnh, tỉnh ký thỏa thuận giai đoạn 2021-2025 với Khăm Muồn, đến
    hết năm 2020 có bao nhiêu dự án FDI?")."""
    pieces = re.split(r"([,;]\s+)", text)  # clauses and the marks between them
    for i in range(0, len(pieces), 2):
        if _ASKING.search(fold(pieces[i])):
            return "".join(pieces[i:])
    return text


def asking_part(text: str) -> str:
    """The clauses that ask, when those before them carry years of their own and they ask
    about years too (not a plan's, named where its date is asked): theirs are the asked
    ones (the end of 2020 above, not 2021-2025). Else the whole question."""
    asking = asking_clauses(text)
    before = text[: len(text) - len(asking)]
    if before and periods_in(before) and (_asked_periods(asking) or deadline_years(asking)):
        return asking
    return text


def _asked_periods(text: str) -> list[Period]:
    """The periods a question asks about: not a year it compares with ("so với năm
    2021, … năm 2022 tăng bao nhiêu?" asks about 2022), nor, asking when, the years
    that name a plan ("ký Kế hoạch hợp tác giai đoạn 2023-2025 vào ngày nào?")."""
    folded = fold(text)  # the same length as the text: its offsets are the text's
    if any(cue in folded for cue in _WHEN):
        for match in _PLAN_PERIOD.finditer(folded):
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
    until = set(deadline_years(text))
    periods = [
        p for p in own_periods(text) or periods_in(text) if not (p[0] == p[1] and p[0] in until)
    ]
    return [_span_part(folded, p) for p in periods]


# The first or last years of a span: "Ba năm đầu của chương trình 2021-2025" (2021-2023),
# "the first three years of 2021-2025".
_SPAN_PART = re.compile(
    r"\b(\d|hai|ba|bon|nam|two|three|four) (?:nam|years?) (dau|cuoi)\b"
    r"|\b(first|last) (\d|two|three|four) years\b"
)
_COUNTS = {"hai": 2, "ba": 3, "bon": 4, "nam": 5, "two": 2, "three": 3, "four": 4}


def _span_part(folded: str, period: Period) -> Period:
    """``period`` narrowed to the first or last years the question names, if any."""
    match = _SPAN_PART.search(folded)
    if not match or period[0] == period[1]:
        return period
    count_word = match.group(1) or match.group(4)
    count = int(count_word) if count_word.isdigit() else _COUNTS[count_word]
    first = (match.group(2) or match.group(3)) in ("dau", "first")
    if not 0 < count < period[1] - period[0] + 1:
        return period
    return (period[0], period[0] + count - 1) if first else (period[1] - count + 1, period[1])


# Sending workers abroad, which articles word as "đi làm việc ở nước ngoài": no export.
_LABOUR_EXPORT = re.compile(
    r"\bxuat khau lao dong\b|\b(?:labou?r|workers?)[- ]exports?(?:ers?|ing)?\b|"
    r"\bexports? of (?:labou?r|workers)\b|\bexporting (?:labou?r|workers)\b"
)


# The balance of trade asked for ("nhập siêu", "trade deficit"): the exports or imports
# the question also names are what it is computed from, not the measure asked.
_BALANCE = re.compile(r"\b(?:xuat sieu|nhap sieu|thang du|tham hut|surplus|deficit)\b")


def _measure_terms(folded: str, keywords: bool = False) -> tuple[str, ...]:
    """Folded terms (``a|b``: one of them) the answering clause must contain: the asked
    one of two look-alike measures, and the part of a measure a figure question names."""
    terms: list[str] = []
    folded = _LABOUR_EXPORT.sub(" ", folded)
    if any(total in folded for total in _TOTAL_TRADE) and _ASKS_FIGURE.search(folded):
        terms.append(TOTAL_TRADE_TERM)  # "xuất nhập khẩu đạt bao nhiêu": not the exports
    if not any(total in folded for total in _TOTAL_TRADE) and not _BALANCE.search(folded):
        for measure, others in MEASURE_CONTRASTS:
            if re.search(rf"\b{measure}", folded) and not any(o in folded for o in others):
                terms.extend(_MEASURE_TERMS[measure])
                break
    terms.extend(part for _, part in _asked_parts(folded, keywords=keywords))
    return tuple(terms)


def _excluded_terms(folded: str) -> tuple[str, ...]:
    """Folded clause words that make a clause another measure than the asked part."""
    return tuple(words for _, words in _asked_parts(folded, MEASURE_EXCLUSIONS))


def states_another_measure(clause: str, excluded: Sequence[str]) -> bool:
    """Does the clause state the measure the asked part is not (the stock for new)?"""
    if not excluded:
        return False  # most questions exclude nothing: no folding on every clause
    folded = fold(clause)
    return any(re.search(rf"\b(?:{words})\b", folded) for words in excluded)


def _asked_parts(
    folded: str, table: tuple[tuple[str, str], ...] = MEASURE_QUALIFIERS, keywords: bool = False
) -> list[tuple[re.Match[str], str]]:
    """The parts of a measure a figure question names (or the measures, or the excluded
    wordings, by ``table``): where, and the clause's words. ``keywords``: a search-box
    query that asks a figure without a question word ("kiều hối Thanh Hóa 2024"), or a
    question asking the measure's items."""
    asks = {m.group(0) for m in _ASKS_FIGURE.finditer(folded)} or ({"?"} if keywords else set())
    if not asks or (asks == {"may"} and _MAY_POINTING.search(folded)):
        return []  # "mấy dự án … ở những khu nào?": no figure asked
    found = ((re.search(asked, folded), part) for asked, part in table)
    return [(match, part) for match, part in found if match]


def asked_parts(text: str) -> list[str]:
    """The parts of a measure the question names, as the reader wrote them ("lao động
    nữ"): what a refusal says the articles do not give separately."""
    parts = [text[m.start() : m.end()] for m, _ in _asked_parts(fold(text))]
    # "là nữ": the part is "nữ"; the verb before it only made the regex sure
    return [re.sub(r"^(?:là|về)\s+", "", part, flags=re.IGNORECASE) for part in parts]


# A year compared with: "so với năm 2022", "so với vụ chiêm xuân năm 2023", "cùng kỳ 2022".
_COMPARED = re.compile(
    r"(?:so với|cùng kỳ|hơn|compared (?:with|to)|than|over)\s+(?:[^\d,.;:]{0,30}?\s)?"
    r"(?:năm\s+)?(\d{4})",
    re.IGNORECASE,
)


# A sentence that opens with its year: "Năm 2025, …", "Trong năm 2023, …".
_OPENING_YEAR = re.compile(r"^\s*(?:(?:trong|riêng|tính riêng)\s+)?năm\s+((?:19|20)\d\d)\s*,", re.I)


# What straddles two years: a school year, a season ("năm học 2022-2023"), with its years.
_STRADDLING_KINDS = ("năm học", "niên khóa", "niên khoá", "mùa giải", "niên vụ")
_STRADDLING_YEAR = re.compile(
    rf"(?<!\w)(?:{'|'.join(_STRADDLING_KINDS)})\s+((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)",
    re.IGNORECASE,
)


def own_periods(text: str) -> list[Period]:
    """The periods a text states as its own: not the years it compares with ("tăng 8%
    so với năm 2022" is not about 2022), nor, in a sentence that opens with its year, a
    span framing that year ("Năm 2025, … 2,06 tỷ USD, mức cao nhất trong giai đoạn
    2021-2025" gives 2025's figure, not the span's)."""
    compared = {int(m.group(1)) for m in _COMPARED.finditer(text)}
    periods = [p for p in periods_in(text) if not (p[0] == p[1] and p[0] in compared)]
    opening = _OPENING_YEAR.match(text)
    if opening:
        year = int(opening.group(1))
        periods = [p for p in periods if p[0] == p[1] or not p[0] <= year <= p[1]]
    # a school year or a season straddles two years and is about each of them ("Năm
    # học 2022-2023, … đang học tập tại tỉnh lên 680 em": at the end of 2022 too)
    for match in _STRADDLING_YEAR.finditer(text):
        first, second = int(match.group(1)), int(match.group(2))
        if second == first + 1:
            periods += [p for p in ((first, first), (second, second)) if p not in periods]
    return periods


# A sentence about a span without naming its years: "cả giai đoạn có …", "trong giai đoạn
# này", "suốt nhiệm kỳ" (not "mục tiêu … của cả giai đoạn", which names the target's span).
_SPAN_REFERENCE = re.compile(
    r"(?<!\w)(?<!của )(?<!mục tiêu )"
    r"(?:(?:cả|toàn|suốt)\s+(?:giai đoạn|nhiệm kỳ)|giai đoạn\s+(?:này|trên|đó|nói trên))"
    r"(?!\s*(?:19|20)\d\d)",
    re.IGNORECASE,
)
# A sentence about one year without naming it: "Trong năm, …", "Cũng trong năm", "cả năm".
_ONE_YEAR = re.compile(r"(?<!\w)(?:trong|cả|cùng) năm(?!\s*\d)(?!\w)", re.IGNORECASE)


def _reported_year(article: ArticleScope) -> Period | None:
    """The year an article's "Trong năm, …" speaks of: of several single years (this
    year's talks and next year's plan), the earliest."""
    years = sorted(p for p in article.periods if p[0] == p[1])
    return years[0] if years else None


def period_covered(
    scope: QuestionScope,
    article: ArticleScope | None,
    sentence: str,
    earlier: Sequence[str] = (),
    *,
    within: bool = False,
) -> bool:
    """Is every asked period the sentence's own? ``within``: a year inside an asked span
    will do (an event of 2016 is one of "giai đoạn 2016-2020"; a figure of 2016 is not
    the span's, so a figure question leaves it off). A sentence that states years of its own
    is about those; one that states none is about the year last stated before it in its
    paragraph (``earlier``: those sentences, nearest first), else about its article's
    period ("Trong năm, tỉnh …")."""
    stated = own_periods(sentence)
    if _SPAN_REFERENCE.search(sentence):
        # "cả giai đoạn có 53.068 người …, chủ yếu do … trong năm 2021": the span named
        # before it in the paragraph (or the article's), not the year it mentions
        spans = [p for text in earlier for p in own_periods(text) if p[0] != p[1]] + [
            p for p in (article.periods if article else []) if p[0] != p[1]
        ]
        stated = [p for p in stated if p[0] != p[1]] or spans[:1]
    for before in earlier:
        if stated:
            break
        stated = own_periods(before)
    one_year = bool(_ONE_YEAR.search(sentence))
    for year in scope.until:  # a plan for 2021-2025 or a stock at the end of 2025
        ends = stated or (article.periods if article else [])
        if not any(p[1] == year for p in ends):
            return False
    for period in scope.periods:
        if stated:
            inside = within and all(period[0] <= p[0] and p[1] <= period[1] for p in stated)
            if period not in stated and not inside:
                return False
        elif article is None or not article.covers(period):
            return False
        elif one_year and period[0] != period[1]:
            return False  # "Cũng trong năm, …" in a review of 2025 and of 2021-2025
        elif one_year and period != _reported_year(article):
            # "Trong năm, … trao tặng 500 tấn gạo" in the talks of December 2023 that sign
            # the plan for 2024: the year it reports on, not the plan's
            return False
    return True


class SpanArticles:
    """Which articles report on a span of years as a whole ("Sơ kết 3 năm 2021-2023"),
    read from their ingest-time scope and kept until the index changes.

    A question about a span is drowned out by the yearly reviews, which name the same
    measures every year: these are the articles to probe for it. One read of the
    articles' scopes per index generation; the map holds one entry per span, a handful."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._generation = -1
        self._by_span: dict[Period, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def run(self, span: Period) -> tuple[str, ...]:
        """Ids of the articles whose own period is ``span`` (several years)."""
        if span[0] == span[1]:
            return ()
        with self._lock:
            generation = self.index.generation
            if generation != self._generation:
                by_span: dict[Period, list[str]] = {}
                for doc_id, scope in self.index.article_scopes():
                    for period in scope.periods:
                        if period[0] != period[1]:
                            by_span.setdefault(period, []).append(doc_id)
                self._by_span = {k: tuple(v) for k, v in by_span.items()}
                self._generation = generation
            return self._by_span.get(span, ())


@dataclass
class ArticleChoice:
    """Which article answers, and what the reader should be told about the choice."""

    doc_id: str
    note: str | None = None  # "Theo bài đăng ngày 12-1-2024, " when articles competed


def _published(passage: Passage) -> str:
    return passage.published_at or ""


def display_date(iso: str | None) -> str | None:
    """``2024-01-12`` as the portal writes it: ``12-1-2024``."""
    if not iso or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
        return None
    year, month, day = iso[:10].split("-")
    return f"{int(day)}-{int(month)}-{year}"


# A part of the province an article may report on by itself (its headline names it):
# "Kim ngạch qua cửa khẩu quốc tế Na Mèo …", "Huyện Quan Sơn …", "KKT Nghi Sơn …".
_SUB_PLACE = re.compile(
    r"(?<!\w)(?:[Cc]ửa khẩu(?: quốc tế)?|[Hh]uyện|[Tt]hị xã|[Kk]hu kinh tế|KKT|"
    r"[Kk]hu công nghiệp|KCN|[Cc]ảng)\s+([A-ZĐ][\w-]*(?:\s+[A-ZĐ][\w-]*)*)"
)
# A site of the province ("Di sản Thành Nhà Hồ đón 158.400 lượt khách …"): its visitors
# are not the province's. Readers call a site by many names ("thành Tây Đô", "the Ho
# Dynasty Citadel"), so any word for a site in the question (folded) asks about one.
_SITE = re.compile(
    r"(?<!\w)(?:[Dd]i sản(?: văn hóa thế giới)?|[Kk]hu di tích(?: lịch sử)?|[Kk]hu du lịch|"
    r"[Vv]ườn quốc gia|[Kk]hu bảo tồn(?: thiên nhiên)?)\s+([A-ZĐ][\w-]*(?:\s+[A-ZĐ][\w-]*)*)"
)
_SITE_ASKED = re.compile(
    r"\b(?:di san|di tich|heritage|citadel|site|toa thanh|thanh (?!hoa\b)\w+|khu du lich|"
    r"vuon quoc gia|khu bao ton|national park|resort)\b"
)


def part_of_the_place(title: str, question: str) -> str | None:
    """The part of the province (a border gate, a district, an economic zone, a heritage
    site) the headline reports on, when the question does not name it: such an article's
    figures are that part's ("nhập khẩu qua cửa khẩu Na Mèo đạt 29,18 triệu USD"), not
    the province's, though its body says "tỉnh"."""
    asked = fold(question)
    for match in _SUB_PLACE.finditer(title):
        if fold(match.group(1)) not in asked:
            return match.group(1)
    site = _SITE.search(title)
    if site and not _SITE_ASKED.search(asked):
        return site.group(1)
    return None


# The province as the subject of a sentence ("toàn tỉnh", "hai tỉnh", "tỉnh đã").
_PROVINCE_SUBJECT = re.compile(r"(?<!\w)(?:(?:toàn|cả|hai|của) tỉnh|tỉnh đã)(?!\w)", re.IGNORECASE)


def speaks_of_the_province(sentence: str) -> bool:
    """Does the sentence report on the province itself, even in an article about a part
    of it ("Năm 2023, hai tỉnh đã tổ chức 38 lượt trao đổi đoàn")?"""
    return bool(_PROVINCE_SUBJECT.search(unify_tones(sentence)))


def _followed(passage: Passage) -> ArticleChoice:
    """The choice of a dated article among several, saying which one is followed."""
    day = display_date(passage.published_at)
    kind = "đính chính" if passage.scope and passage.scope.correction else "bài"
    return ArticleChoice(passage.doc_id, f"Theo {kind} đăng ngày {day}, " if day else None)


def choose_article(
    scope: QuestionScope,
    best_by_article: Sequence[tuple[float, Passage]],
    margin: float,
    correction_margin: float,
    correcting: frozenset[str] = frozenset(),
    alike: frozenset[str] = frozenset(),
) -> ArticleChoice:
    """The article to answer from, given each article's best clause score.

    Articles within ``margin`` of the best score state the asked thing about as well as
    each other: then an article whose own period is the asked one wins; with no period
    asked (or "mới nhất"), the most recent one does. A correction of the asked period
    within ``correction_margin`` wins when it is among ``correcting`` (its clause states
    a figure the article it corrects does not: it corrects, rather than restates, the
    asked one). ``alike``: articles known to state the same measure as the best one
    (another year's review of it); they compete whatever their score."""
    ranked = sorted(best_by_article, key=lambda item: -item[0])
    # the margin is measured from the best of the asked part (:attr:`within_part`)
    if scope.within_part:
        same_part = [(score, p) for score, p in ranked if part_of_year(p.title) == scope.part]
        ranked = same_part or ranked
    top_score, top = ranked[0]

    def period_match(p: Passage) -> bool:
        return bool(scope.periods) and all(p.scope and p.scope.covers(x) for x in scope.periods)

    if margin > 0 and scope.periods:
        corrections = [
            p
            for score, p in ranked
            if p.doc_id in correcting and score >= top_score - correction_margin and period_match(p)
        ]
        if corrections:
            return _followed(max(corrections, key=_published))
    # the margin is measured from the best article that is not a correction: one restates
    # a single figure, in the asked words, and would set the bar above every review's
    originals = [(score, p) for score, p in ranked if not (p.scope and p.scope.correction)]
    base = originals[0][0] if originals else top_score
    close = [
        p for score, p in originals if margin > 0 and (score >= base - margin or p.doc_id in alike)
    ] or [top]
    if len(close) == 1:
        return ArticleChoice(close[0].doc_id)
    if scope.periods and not scope.latest:
        matching = [p for p in close if period_match(p)]
        if matching:
            return ArticleChoice(max(matching, key=_published).doc_id)
        # none reports on the asked period: one that reports on other periods (the 2019
        # review, asked about 2016-2021) is less likely to hold it than one whose
        # headline and lead name no period at all
        unperiodised = [p for p in close if not (p.scope and p.scope.periods)]
        return ArticleChoice((unperiodised or close)[0].doc_id)
    return _followed(max(close, key=_published))
