"""Understanding the question before answering it: is it valid, what kind of answer does
it want (a figure, a date, a list, a summary), which of its words must the answer
contain (figures, names), and is it English."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from assistant.answer.kinds import NamedKind, asked_name_kind, noun_after
from assistant.answer.lexicon import ENGLISH
from assistant.core.errors import AssistantError
from assistant.text.names import name_runs
from assistant.text.places import (
    FOREIGN_NAMES,
    VIETNAM_PROVINCES,
    only_set_aside,
    place_key,
    set_aside_places,
)
from assistant.text.vietnamese import (
    fold,
    has_diacritics,
    is_numberlike,
    nfc,
    raw_tokens,
    unify_tones,
)

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)

_ENGLISH_WORDS = frozenset(
    "the what which who whom whose how many much when where why did does do is are was were "
    "of in on to for and with by from its their about has have had total value number list "
    "summarize summarise describe year years full half first latest".split()
)

# Cues (folded) for the kind of answer. Order matters only for readability.
_NUMERIC_CUES = (
    "bao nhieu",
    "con so",
    "tong gia tri",
    "tong von",
    "ty le",
    "phan tram",
    "toi dau",  # "hoàn thành tới đâu": how far, a share of the plan
    "den dau",
    "muc nao",
    "bao lau",  # a duration: "trong bao lâu" → "5 năm"
    "how many",
    "how long",
    "what rank",
    "ranked",
    "how much",
    "how big",
    "how large",
    "what was the value",
    "total",
    "number of",
    "percentage",
    "what was the",
    "value",
    "amount",
    "figure",
    "figures",
    "worth",
    "cost",
)
# Measures a search-box query names without a question word (folded, at its start).
_KEYWORD_MEASURE = re.compile(
    r"^(?:tong muc dau tu|tong von|von dau tu|kim ngach|so du an|so luong|so nguoi|"
    r"so lao dong|so luot|luong khach|tong thu|doanh thu|kieu hoi|ty le|gia tri)\b"
)
# The same typed in English ("thanh hoa remittances full year 2025"), anywhere in it.
_KEYWORD_MEASURE_EN = re.compile(
    r"\b(?:remittances?|exports?|imports?|fdi|revenue|turnover|trade surplus|trade deficit|"
    r"registered capital|total investment)\b"
)
_DATE_CUES = (
    "ngay nao",
    "khi nao",
    "nam nao",
    "thoi gian nao",
    "thoi diem nao",
    "bao gio",
    # as readers say it: "chừng nào mới xong", "lúc nào" (not "hồi nào": folded, it is
    # also "lễ hội nào")
    "chung nao",
    "luc nao",
    "tu hoi nao",  # "từ hồi nào": since when
    "vao hoi nao",
    "when",
    "hom nao",
    "ngay may",
    "thang nao",
    "what date",
    "which date",
    "what day",
    "which day",
    "exact date",
    "the date",
    "what year",
    "which year",
)
# English "when" asks a date before its verb ("When did …", "… and when was it signed")
# or last ("… and when?"); elsewhere it opens a clause ("When the delegation came, what
# were the gifts worth?").
ENGLISH_AUXILIARIES = tuple("was were did does do is are will has have had".split())
_ENGLISH_WHEN = re.compile(rf"\bwhen (?:{'|'.join(ENGLISH_AUXILIARIES)})\b|\bwhen\W*$")
_DATE_CUES_BUT_WHEN = tuple(cue for cue in _DATE_CUES if cue != "when")
# "năm nào … cũng" / "lúc nào cũng" is "every year" / "always", not "which year".
_EVERY = re.compile(r"\b(?:nam|ngay|thang|luc|khi) nao(?= (?:\w+ ){0,9}cung\b)")
# Events whose date a question may ask for: the answering clause must name the same event
# (the date of a visit is not the date of a signing). Tone-unified, lower case. Not "ban
# hành": documents are cited as "Chỉ thị số 41-CT/TW ngày 15-4-2010", without the verb.
EVENT_WORDS = (
    "ký",
    "thành lập",
    "khởi công",
    "khánh thành",
    "ghi danh",
    "công nhận",
    "thiết lập",
    "kết nghĩa",
    "động thổ",
    "vận hành",
    "hoàn thành",
    "làm xong",
    "xây xong",
    "hoàn tất",
    # "bao giờ xong", "chừng nào mới xong": finished, whatever the work
    "giờ xong",
    "nào xong",
    "mới xong",
    "thì xong",
    "xong vậy",
    "xong chưa",
    "sẽ xong",
)
# Event words that name the same event: a heritage "công nhận" is its "ghi danh" by
# UNESCO, a "động thổ" is the "khởi công". Each maps to the one :func:`events_in` gives.
SAME_EVENT = {
    "ghi danh": "công nhận",
    "động thổ": "khởi công",
    "làm xong": "hoàn thành",
    "xây xong": "hoàn thành",
    "hoàn tất": "hoàn thành",
    "giờ xong": "hoàn thành",
    "nào xong": "hoàn thành",
    "mới xong": "hoàn thành",
    "thì xong": "hoàn thành",
    "xong vậy": "hoàn thành",
    "xong chưa": "hoàn thành",
    "sẽ xong": "hoàn thành",
}

# Asking for a person ("ai", "tên là gì", "who"): the answer must name one.
_PERSON_CUES = ("ai", "la ai", "ten la gi", "ten gi")
# ... and by the words readers use for officials ("là đồng chí nào", "vị nào", "họ tên"),
# as whole words ("ông nào" is not the end of "phương nào")
_OFFICIAL_ASKED = re.compile(r"\b(?:(?:dong chi|vi|ong|ba) nao|ho ten)\b")
_NAME_ASKED = re.compile(r"\bten (?:la )?gi\b")
# English asks for a person with its first word ("Who heads …"); elsewhere "who" starts
# a relative clause ("the workers who went abroad").
_ENGLISH_PERSON = re.compile(
    r"^\W*(?:who|whom)\b|\b(?:by whom|who (?:is|was|are|were|will|heads|signed|led))\b|"
    # after the circumstances ("In the 2023 derby …, who scored …?")
    r"(?:[,;:]\s*|\band\s+)who\b|"
    # "What is the name of the Governor of …?"
    r"\bname of (?:the|its|their)(?: \w+)?? (?:governor|chairman|chairwoman|president|"
    r"mayor|secretary|director|ambassador|minister|head|leader|chief|consul|coach|principal)\b"
)
_LIST_CUES = (
    "nhung",
    "cac ",
    "liet ke",
    "ke ten",
    "gom nhung",
    "nao",
    "which",
    "list",
    "what are",
    # one figure for each of the things named ("Nhật Bản, Đài Loan và Hàn Quốc lần lượt
    # là bao nhiêu người")
    "lan luot",
    "respectively",
)
# Plural determiners among the list cues, and a span of time they open ("những năm
# 2016-2020", "trong những tháng đầu năm"), folded.
_PLURALS = ("nhung", "cac ")
_TIME_SPAN = re.compile(r"\bnhung (?:nam|thang|ngay|tuan|nam qua|dip)\b")
# Asking for a cause ("vì sao", "nguyên nhân"): a clause that gives one is preferred.
_REASON_CUES = (
    "vi sao",
    "tai sao",
    "nguyen nhan",
    "ly do",
    "vi dau",
    "do dau",
    "nho dau",  # "nhờ đâu": thanks to what
    "nho nhung",  # "nhờ những cách làm nào", "nhờ những yếu tố gì"
    "nho gi",
    "dua vao dau",  # "dựa vào đâu", "căn cứ vào đâu": on what grounds
    "can cu vao dau",
    "why",
)
# ... and as readers say it: "Sao báo lại phải đính chính …?", "how come", "what caused"
_REASON_SPOKEN = re.compile(
    r"^\W*sao (?!vang\b)|\bsao (?:\w+ ){0,3}lai\b|\bhow come\b|\bwhat caused\b|"
    r"\breasons? (?:for|why|behind)\b"
)


def _asks_reason(folded: str) -> bool:
    return _has_cue(folded, _REASON_CUES) or bool(_REASON_SPOKEN.search(folded))


# Asking how something is done ("thế nào", "bằng cách nào", "sẽ làm gì để"): a clause
# that says how (or what will be done) is preferred, as a cause is for "vì sao".
_MANNER_CUES = (
    "the nao",
    "bang cach nao",
    "lam cach nao",
    "ra sao",
    "lam gi de",
    "se lam gi",
    # what was done or prepared: the measures, often the clauses of one sentence
    "chuan bi nhung gi",
    "chuan bi gi",
    "da lam gi",
    "da lam nhung gi",
    "giai phap nao",
    "bien phap nao",
    # "nhờ những cách làm nào", "bằng những cách gì"
    "cach lam nao",
    "cach lam gi",
    "nhung cach nao",
    "nhung cach gi",
    "what steps",
    "what measures",
    "how do",
    "how did",
    "how does",
    "how will",
    "how is",
    "how are",
    "in what way",
)
# Things a "X nào" question asks to be named, that an article names with the same noun
# ("hợp tác ở những lĩnh vực nào" ← "hợp tác trong 5 lĩnh vực: …"), folded.
_KIND_NOUNS = (
    "linh vuc",
    "truong",
    "van ban",
    "mat hang",
    "san pham",
    "nganh",
    "cong trinh",
    "hinh thuc",
    "noi dung",
    "co quan",
    "chuong trinh",
    # a review's weak points ("chỉ ra những điểm yếu gì" ← "chỉ ra một số hạn chế: …")
    "han che",
    "diem yeu",
    "yeu kem",
    "bat cap",
    # regions of the world ("ở những vùng nào" ← "tập trung vào một số khu vực: …")
    "khu vuc",
    "vung",
)
# The noun may take modifiers before "nào" ("lĩnh vực hợp tác nào", "mặt hàng xuất
# khẩu chủ lực nào", "cơ quan hợp tác quốc tế nào").
_WHICH_KIND = re.compile(r"\b(" + "|".join(_KIND_NOUNS) + r")(?:\s+\w+){0,4}?\s+(?:nao|gi)\b")
# The same asked in English ("which international cooperation agencies"): the noun →
# the Vietnamese one articles name the items with.
_ENGLISH_KIND_NOUNS = {
    "agencies": "co quan",
    "agency": "co quan",
    "fields": "linh vuc",
    "sectors": "linh vuc",
    "areas": "linh vuc",
    "products": "san pham",
    "goods": "mat hang",
    "schools": "truong",
    "programmes": "chuong trinh",
    "programs": "chuong trinh",
    "regions": "khu vuc",
    "weaknesses": "han che",
    "shortcomings": "han che",
    "limitations": "han che",
}
_WHICH_ENGLISH_KIND = noun_after("(?:which|what)", _ENGLISH_KIND_NOUNS, 3)


def _asked_kind(folded: str) -> str | None:
    """The noun naming the items a "X nào" / "which X" question asks for, folded."""
    if kind := _WHICH_KIND.search(folded):
        return kind.group(1)
    if kind := _WHICH_ENGLISH_KIND.search(folded):
        return _ENGLISH_KIND_NOUNS[kind.group(1)]
    return None


_BROAD_CUES = (
    "tom tat",
    "tong quan",
    "khai quat",
    "trinh bay",
    "neu ro",
    "ket qua chinh",
    "ket qua noi bat",
    "diem chinh",
    "diem noi bat",
    # a reader's "look back over it" ("Điểm lại …", "Nói ngắn gọn … ra sao", "có gì đáng
    # chú ý"): the main points, not one sentence
    "diem lai",
    "nhin lai",
    "noi ngan gon",
    "ke ngan gon",
    "dang chu y",
    "co gi noi bat",
    "summar",
    "main results",
    "key results",
    "highlights",
    "overview",
    "describe",
    "outline",
)


class InvalidQuestionError(AssistantError):
    """A question that cannot be answered as typed; ``message_vi`` is shown to the reader."""

    def __init__(self, message_vi: str, code: str = "invalid_question") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.code = code


@dataclass
class Question:
    text: str  # cleaned question (NFC, no control characters, single spaces)
    folded: str
    english: bool
    wants_number: bool
    wants_date: bool
    wants_list: bool
    broad: bool
    wants_person: bool = False
    wants_reason: bool = False
    wants_manner: bool = False
    asked_kind: str | None = None  # "lĩnh vực nào" → "linh vuc": the noun naming the items
    named_kind: NamedKind | None = None  # "tỉnh nào": a name after "tỉnh" is asked for
    events: tuple[str, ...] = ()  # EVENT_WORDS the question names
    numbers: list[str] = field(default_factory=list)  # figures, years, codes as typed
    names: list[str] = field(default_factory=list)  # capitalised words inside the question
    # foreign places the reader puts aside ("Ngoài Nhật Bản, …"): not asked, see
    # :func:`~assistant.text.places.set_aside_places`
    set_aside: frozenset[str] = frozenset()
    # the reader asks the assistant's own view ("Theo bạn … nên … hay …?"): the articles
    # report, they do not advise
    asks_opinion: bool = False

    @property
    def wants_explanation(self) -> bool:
        """ "Vì sao" or "thế nào": answered by the fact and what explains it, often in
        sentences that do not repeat the question's words ("do già hóa dân số, …")."""
        return self.wants_reason or self.wants_manner

    @property
    def wants_completion(self) -> bool:
        """A why or how question, or one naming the kind of items it wants ("lĩnh vực
        nào"): the clause giving them is often a sentence of its own that does not repeat
        the question's words ("hai bên hợp tác trong 5 lĩnh vực: …")."""
        return self.wants_explanation or self.asked_kind is not None


# The fields that say what kind of answer is wanted (as opposed to what it is about).
KIND_FIELDS = (
    "wants_number",
    "wants_date",
    "wants_list",
    "broad",
    "wants_person",
    "wants_reason",
    "wants_manner",
    "named_kind",
    "asked_kind",  # "ký được văn bản gì?" after "… tỉnh nào của Nga?" asks a document
    "events",
)


def asks_a_kind(q: Question) -> bool:
    """Does the question itself say what kind of answer it wants (a figure, a date, a
    list, a summary, a person)? Naming an event alone does not."""
    return any(getattr(q, name) for name in KIND_FIELDS if name != "events")


def with_kind_of(q: Question, other: Question) -> Question:
    """``q`` (what to find) wanting the kind of answer ``other`` wants."""
    return replace(q, **{name: getattr(other, name) for name in KIND_FIELDS})


def clean_question(raw: str, max_chars: int) -> str:
    """The question as it will be used, or InvalidQuestionError with a Vietnamese message."""
    if not isinstance(raw, str):
        raise InvalidQuestionError("Câu hỏi phải là một đoạn văn bản.")
    text = _CONTROL.sub(" ", nfc(raw))
    text = " ".join(text.split())
    if not text:
        raise InvalidQuestionError("Vui lòng nhập câu hỏi.", "empty_question")
    if len(text) > max_chars:
        raise InvalidQuestionError(
            f"Câu hỏi quá dài ({len(text)} ký tự). Vui lòng rút gọn dưới {max_chars} ký tự.",
            "question_too_long",
        )
    letters = [ch for ch in text if unicodedata.category(ch)[0] in "LN"]
    if not letters:
        raise InvalidQuestionError(
            "Câu hỏi chưa có nội dung. Vui lòng đặt câu hỏi bằng chữ, ví dụ: "
            "“Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?”",
            "no_content",
        )
    return text


def is_english(text: str) -> bool:
    """A question made mostly of English function words. Vietnamese marks are allowed
    only inside capitalised names ("… with Bắc Thủy province?")."""
    # ("(Hủa Phăn)": a name in brackets is still a name)
    if any(has_diacritics(w) for w in text.split() if not w.lstrip("([\"'“‘")[:1].isupper()):
        return False
    words = re.findall(r"[a-zA-Z]+", text.lower())
    if not words:
        return False
    hits = sum(word in _ENGLISH_WORDS for word in words)
    # a search-box query ("remittances Thanh Hoa 2021"): a word of the English glossary
    # no Vietnamese syllable spells (acronyms such as "fdi" are both languages')
    hits += sum(len(word) >= 5 and word in ENGLISH for word in words)
    return hits >= 2 or (hits >= 1 and len(words) <= 3)


def _has_cue(folded: str, cues: tuple[str, ...]) -> bool:
    """Is one of the cues in the question as whole words ("ai", not the start of "aim")?
    A cue of several words may start inside a word's end; one ending in a space is a
    prefix ("cac " before any noun)."""
    words = " ".join(re.findall(r"\w+", folded))
    padded = f" {words} "
    return any(
        (f" {cue}" if cue.endswith(" ") else f" {cue.strip()} ") in padded
        # (not ending inside a word: "tên gì" is not the start of "tên giùm")
        or (
            " " in cue.strip()
            and re.search(re.escape(cue) + ("" if cue.endswith(" ") else r"(?!\w)"), folded)
            is not None
        )
        for cue in cues
    )


# "số đúng là nhiêu?", "được nhiêu": "bao nhiêu" as spoken (as written: folded, it is
# "nhiều", many)
_SPOKEN_HOW_MUCH = re.compile(r"(?<!\w)(?:là|được|đạt|có|khoảng|chừng|hết|cỡ)\s+nhiêu(?!\w)")


def _asks_how_many(text: str) -> bool:
    """ "mấy" (how many) — folded it collides with "máy" (machine), so it is matched as
    written, or as "may" only in a question typed without any diacritics. A question
    that opens with "số" / "tổng số" / "số lượng" ("số lao động … năm 2021") asks for a
    count too (as written: folded, "số" is also "sở", a department)."""
    words = re.findall(r"\w+", text.lower())
    if _SPOKEN_HOW_MUCH.search(text.lower()):
        return True
    opens_with_count = words[:1] == ["số"] or words[:2] in (["tổng", "số"], ["số", "lượng"])
    asked = "mấy" if "mấy" in words else "may" if not has_diacritics(text) else None
    if asked in words:
        # "mấy dự án FDI mới … đặt ở những khu nào?": "mấy" only points at the items
        # another question word asks about
        later = words[words.index(asked) + 1 :]
        return not any(w in _OTHER_QUESTION_WORDS for w in later) or opens_with_count
    return opens_with_count


# Question words that, after "mấy", make it a determiner ("mấy dự án … ở đâu?").
_OTHER_QUESTION_WORDS = frozenset({"nào", "đâu", "gì", "nao", "dau"})


# Words that hold an event word but name no event: "vốn đăng ký" signs nothing.
# Nor does completing a task: "hoàn thành giải phóng mặt bằng" finishes no works.
_NOT_EVENTS = re.compile(
    r"(?<!\w)(?:đăng ký|thư ký|ký túc xá|ký hiệu|ký ức|ký giả|hoàn thành(?= (?:giải phóng|"
    r"kế hoạch|chỉ tiêu|nhiệm vụ|thủ tục|mục tiêu|việc|công tác)(?!\w)))(?!\w)"
)


def without_false_events(text: str) -> str:
    """The text (lower case, one tone placement) with the words that hold an event word
    but name no event ("đăng ký", "thư ký") blanked: same length, so that an offset in it
    is one in the text."""
    return _NOT_EVENTS.sub(lambda m: " " * len(m.group(0)), unify_tones(text).lower())


def events_in(text: str) -> tuple[str, ...]:
    """The events (of :data:`EVENT_WORDS`, as :data:`SAME_EVENT` names them) the text
    names, as whole words."""
    padded = " " + " ".join(re.findall(r"\w+", without_false_events(text))) + " "
    found = (SAME_EVENT.get(e, e) for e in EVENT_WORDS if f" {e} " in padded)
    return tuple(dict.fromkeys(found))


def event_forms(event: str) -> tuple[str, ...]:
    """The words an article may name the event with ("công nhận", "ghi danh")."""
    return (event, *(word for word, same in SAME_EVENT.items() if same == event))


def _english_name(run: str) -> str:
    """A name of an English question without the capitalised question word before it
    ("Which German" → "German")."""
    words = run.split()
    while words and words[0].lower() in _ENGLISH_WORDS:
        words = words[1:]
    if len(words) == 1 and words[0].lower() in _ENGLISH_MONTHS:
        return ""  # "in May 2023": a date, not a name
    return " ".join(words)


_ENGLISH_MONTHS = frozenset(
    "january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


# Cues of every other kind of question: a search-box query with one of them asks no figure.
_NOT_FIGURE_CUES = (
    _DATE_CUES + _LIST_CUES + _PERSON_CUES + _REASON_CUES + _MANNER_CUES + _BROAD_CUES
)


def asks_figure_by_keywords(text: str) -> bool:
    """ "kim ngạch nhập khẩu Thanh Hóa 2024": a search-box query naming a measure asks
    its figure."""
    folded = fold(text)
    # a question mark after a few keywords ("Thanh Hoa remittances 2019?") asks no more
    terse = len(text.split()) <= 6 and text.rstrip().endswith("?") and text.count("?") == 1
    return (
        ("?" not in text or terse)
        and not _has_cue(folded, _NOT_FIGURE_CUES)
        and bool(_KEYWORD_MEASURE_EN.search(folded) or _KEYWORD_MEASURE.search(folded))
    )


# "cụ thể" before "nào" ("ngày cụ thể nào", "địa phương cụ thể nào"), folded.
_SPECIFIC = re.compile(r"\bcu the (?=nao\b)")


def analyse(text: str) -> Question:
    folded = fold(text)
    # "ngày cụ thể nào" asks "ngày nào", not "thế nào" (folded, "cụ thể nào" ends so)
    cues = _SPECIFIC.sub("", folded)
    numbers = [t for t in raw_tokens(text) if is_numberlike(t)]
    english = is_english(text)
    names = [part for name in name_runs(text) for part in split_at_place(name)]
    if english:
        names = [n for n in map(_english_name, names) if n]
    set_aside = set_aside_places(text)
    names = [n for n in names if not (set_aside and only_set_aside(n, set_aside))]
    wants_date = _has_cue(_EVERY.sub(" ", cues), _DATE_CUES)
    if english and wants_date and not _ENGLISH_WHEN.search(folded):
        wants_date = _has_cue(cues, _DATE_CUES_BUT_WHEN)
    keyword_figure = asks_figure_by_keywords(text)
    named_kind = asked_name_kind(text)
    wants_person = (
        bool(_ENGLISH_PERSON.search(folded))
        if english
        else _has_cue(folded, _PERSON_CUES) or bool(_OFFICIAL_ASKED.search(folded.lower()))
    )
    if named_kind is None and not english and _NAME_ASKED.search(folded):
        # "Thành phố bên Hàn Quốc … tên là gì?": the name of the kind it opens with, as
        # "thành phố nào" asks it, not a person's
        opening = re.split(r":\s*", text)[-1].split()
        named_kind = asked_name_kind(" ".join([*opening[:2], "nào"])) or asked_name_kind(
            " ".join([*opening[:1], "nào"])
        )
        wants_person = wants_person and named_kind is None
    # a cause or a way is asked for, whatever figure the question names; "What was the
    # exact date …" asks a date, not a figure
    wants_number = (
        (
            _has_cue(folded, _NUMERIC_CUES)
            or (not english and _asks_how_many(text))
            or keyword_figure
        )
        and not (_asks_reason(cues) or _has_cue(cues, _MANNER_CUES))
        and not (english and wants_date and not _has_cue(folded, ("how many", "how much")))
    )
    # "Những năm 2016-2020, …", "các tổ chức … tổng cộng bao nhiêu tiền?": a plural or a
    # span of years asks for one figure, not a list
    listed = _has_cue(_TIME_SPAN.sub(" ", folded), _LIST_CUES)
    if listed and wants_number:
        listed = _has_cue(folded, tuple(c for c in _LIST_CUES if c not in _PLURALS))
    return Question(
        text=text,
        folded=folded,
        english=english,
        wants_number=wants_number,
        wants_date=wants_date,
        wants_list=listed or named_kind is not None,
        broad=_has_cue(folded, _BROAD_CUES),
        wants_person=wants_person,
        wants_reason=_asks_reason(cues),
        wants_manner=_has_cue(cues, _MANNER_CUES),
        asked_kind=_asked_kind(folded),
        named_kind=named_kind,
        events=events_in(text),
        numbers=numbers,
        names=names,
        set_aside=set_aside,
        asks_opinion=asks_opinion(folded),
    )


# The assistant's own view asked for (folded): "theo bạn", "bạn nghĩ", "in your opinion"
# with a judgement ("nên", "tốt hơn", "should", "better"); or a choice between two
# judged by worth ("… hay … thì tốt hơn?").
_ADDRESSEE_VIEW = re.compile(
    r"\b(?:theo (?:ban|anh|chi|em|tro ly)|(?:ban|anh|chi|em) (?:nghi|thay|danh gia)|"
    r"y kien (?:cua|rieng cua) (?:ban|anh|chi|em)|in your (?:opinion|view)|"
    r"do you think|what do you think|would you recommend)\b"
)
_JUDGEMENTS = ("nen", "tot hon", "hay hon", "tot khong", "dung khong", "hop ly", "should")
_JUDGEMENT = re.compile(rf"\b(?:{'|'.join(_JUDGEMENTS)}|better|worth|recommend|good idea)\b")
_WHICH_IS_BETTER = re.compile(r"\bhay\b.{1,60}\b(?:thi )?(?:tot hon|hay hon|loi hon)\b")


def asks_opinion(folded: str) -> bool:
    """Does the question ask the assistant's own judgement rather than a fact the
    articles state?"""
    lower = folded.lower()
    return bool(
        (_ADDRESSEE_VIEW.search(lower) and _JUDGEMENT.search(lower))
        or _WHICH_IS_BETTER.search(lower)
    )


def split_at_place(name: str) -> list[str]:
    """A capitalised run that starts with a place and goes on with another name
    ("Seongnam Lee Dong-hwan": a city, then its deputy mayor) is two names; the article
    writes them apart ("thành phố Seongnam … ông Lee Dong-hwan"). So is a run with a
    place of two words or more inside or at its end, as keyword queries run names
    together ("Akatsuki Seimitsu Thanh Hoa"); a one-word place there may be part of a
    person's name ("Nguyễn Đức Anh")."""
    words = name.split()

    def is_place(part: list[str]) -> bool:
        key = place_key(" ".join(part))
        return key in FOREIGN_NAMES or key in VIETNAM_PROVINCES

    if is_place(words):
        return [name]  # "Nhật Bản" is one country, though readers also say "Nhật"
    for cut in range(len(words) - 1, 0, -1):
        if is_place(words[:cut]):
            return [" ".join(words[:cut]), *split_at_place(" ".join(words[cut:]))]
    for size in range(len(words) - 1, 1, -1):
        for start in range(1, len(words) - size + 1):
            if is_place(words[start : start + size]):
                after = " ".join(words[start + size :])
                return [
                    " ".join(words[:start]),
                    " ".join(words[start : start + size]),
                    *(split_at_place(after) if after else []),
                ]
    return [name]
