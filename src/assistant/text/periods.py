"""Periods: the years a text's figures cover (``năm 2017``, ``giai đoạn 2016-2020``).

A portal publishes the same measure every year; the year is what tells the figures
apart. Years are read only where they are years: four digits from 1945 to 2099 that are
not part of a larger number (``14.081,67``) or of a date's day and month
(``15-4-2010`` gives 2010, which is still the year it happened in).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.core.types import Period

_YEAR = r"(?:19[4-9]\d|20\d\d)"
_RANGE = re.compile(rf"(?<![\d.,])({_YEAR})\s*[-–]\s*({_YEAR})(?![\d.,]\d)")
# "từ năm 2016 đến năm 2020", "tu 2016 den het 2020", "from 2016 to 2020", "between 2016
# and 2020": one period
_FROM_TO = re.compile(
    rf"(?<!\w)(?:từ|tu|from|between)\s+(?:năm\s+|nam\s+)?({_YEAR})\s+"
    rf"(?:đến|den|tới|toi|to|until|and)\s+(?:hết\s+|het\s+)?(?:năm\s+|nam\s+)?({_YEAR})(?![\d.,]?\d)",
    re.IGNORECASE,
)
_SINGLE = re.compile(rf"(?<![\d.,])({_YEAR})(?![\d.,]?\d)")


def periods_in(text: str) -> list[Period]:
    """Year ranges and single years mentioned in the text, in order, without repeats.

    ``2016-2020`` and ``từ năm 2016 đến năm 2020`` are one period (2016, 2020), not
    three or two; a date ``15-4-2010`` gives (2010, 2010)."""
    found: list[Period] = []
    taken: list[tuple[int, int]] = []
    for match in [*_RANGE.finditer(text), *_FROM_TO.finditer(text)]:
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            found.append((first, last))
            taken.append(match.span())
    for match in _SINGLE.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue
        year = int(match.group(1))
        found.append((year, year))
    return list(dict.fromkeys(found))


# "5 năm qua (2016-2021)", "trong 5 năm vừa qua, từ 2016 đến 2021": an article defines
# a span relative to its writing once; its other sentences then say only "5 năm qua".
_RELATIVE = re.compile(r"(?<!\w)(\d{1,2})\s+năm\s+(?:vừa\s+)?qua(?!\w)", re.IGNORECASE)
_DEFINED_SPAN = re.compile(
    rf"^\W{{0,3}}(?:\(|,\s*)?(?:từ\s+|giai\s+đoạn\s+)?(?:năm\s+)?({_YEAR})\s*"
    rf"(?:[-–]|đến(?:\s+năm)?)\s*({_YEAR})(?![\d.,]?\d)",
    re.IGNORECASE,
)


def relative_spans(text: str) -> dict[str, Period]:
    """The spans an article gives its "N năm qua" once ("trong 5 năm qua (2016-2021)")
    → {"5 năm qua": (2016, 2021)}: the years its other sentences on those N years
    cover. Only spans whose length fits N (N years back to the year of writing)."""
    spans: dict[str, Period] = {}
    for match in _RELATIVE.finditer(text):
        defined = _DEFINED_SPAN.match(text[match.end() : match.end() + 40])
        if not defined:
            continue
        first, last = int(defined.group(1)), int(defined.group(2))
        if last - first in (int(match.group(1)), int(match.group(1)) - 1):
            spans.setdefault(f"{match.group(1)} năm qua", (first, last))
    return spans


def with_relative_spans(sentence: str, spans: Mapping[str, Period]) -> str:
    """The sentence with the years of the relative spans it names written after it
    ("… trong 5 năm qua, …" + " (2016-2021)"), for reading its periods."""
    named = {f"{m.group(1)} năm qua" for m in _RELATIVE.finditer(sentence)} & spans.keys()
    if not named or periods_in(sentence):
        return sentence
    return sentence + "".join(f" ({spans[k][0]}-{spans[k][1]})" for k in sorted(named))


# A period as a reader names it, with its noun: "năm 2023", "giai đoạn 2016-2020", "2019".
_NAMED_PERIOD = re.compile(
    rf"(?<!\w)(?:(?:năm|nam|giai đoạn|giai doan|thời kỳ|thoi ky|in)\s+)?"
    rf"(?:(?:từ|tu|from|between)\s+(?:năm\s+|nam\s+)?{_YEAR}\s+(?:đến|den|tới|toi|to|and)\s+(?:năm\s+|nam\s+)?"
    rf"{_YEAR}|{_YEAR}(?:\s*[-–]\s*{_YEAR})?)(?![\d.,]?\d)",
    re.IGNORECASE,
)


def period_spans(text: str) -> list[tuple[int, int]]:
    """Where the text names a period, with its noun ("năm 2023", "giai đoạn 2016-2020"):
    what a follow-up naming another period replaces."""
    return [match.span() for match in _NAMED_PERIOD.finditer(text)]


# A deadline: "từ nay đến năm 2025", "đến hết 2025", "tới cuối năm 2023", "by 2025".
_UNTIL = re.compile(
    rf"(?<!\w)(?:đến|den|tới|toi|by|until)\s+(?:hết\s+|het\s+|cuối\s+|cuoi\s+)?(?:năm\s+|nam\s+)?"
    rf"({_YEAR})(?![\d.,]?\d)",
    re.IGNORECASE,
)


def deadline_years(text: str) -> list[int]:
    """Years the text names as a deadline ("từ nay đến năm 2025 thiết lập thêm…"), not
    the end of a span it names ("từ 2016 đến 2020"). A plan "giai đoạn 2021-2025" or a
    stock "đến hết năm 2025" ends then: either answers."""
    spans = [m.span() for m in _FROM_TO.finditer(text)]
    return [
        int(m.group(1))
        for m in _UNTIL.finditer(text)
        if not any(a <= m.start() < b for a, b in spans)
    ]


def overlaps(a: Period, b: Period) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# Counts of months spelled out ("Sáu tháng đầu năm", "chín tháng"), as the articles write
# them in digits ("6 tháng đầu năm"). Not "năm": "năm tháng" is rarely "five months".
_SPELLED_COUNTS = {
    "mười một": "11",
    "mười hai": "12",
    "một": "1",
    "hai": "2",
    "ba": "3",
    "bốn": "4",
    "sáu": "6",
    "bảy": "7",
    "tám": "8",
    "chín": "9",
    "mười": "10",
}
_SPELLED_MONTHS = re.compile(
    r"(?<!\w)(" + "|".join(_SPELLED_COUNTS) + r")(?=\s+tháng(?!\s+\d))", re.IGNORECASE
)


def spelled_counts_as_digits(text: str) -> str:
    """``text`` with a count of months in words written in digits ("Chín tháng đầu năm
    2025" → "9 tháng đầu năm 2025"); "tháng 9" (a month's name) is left alone."""
    return _SPELLED_MONTHS.sub(lambda m: _SPELLED_COUNTS[m.group(1).lower()], text)


# A text that opens with a date, the way news opens ("Ngày 20-9-2023, …", "Sáng
# 27-10-2022, …"); the group is the year.
DATE_OPENING = (
    r"(?:(?:Ngày|Sáng|Chiều|Tối|Trưa|Hôm)\s+(?:ngày\s+)?)?\d{1,2}[-/]\d{1,2}[-/]((?:19|20)\d\d)"
)
