"""Vietnamese sentence boundaries, as character spans of the original text.

Answers quote whole sentences, so a boundary must never fall inside a number
(``14.081,67``), a date (``15-4-2010``), a document code (``41-CT/TW``) or an abbreviation
(``TP.``, ``TP.HCM``, ``v.v.``). The rule is deliberately conservative: a sentence ends only
at ``. ! ? …`` (optionally followed by a closing quote or bracket) that is followed by
whitespace and then by something that is not a lower-case letter, unless the word before
the full stop is a known abbreviation, a single capital initial or a list number at the
start of a line. A line break always ends a sentence (headlines and bylines have no full
stop).

:data:`SENTENCE_BREAK` is the same rule as a regular expression with no capturing group,
so the chunker can hand it to a regex-based text splitter and agree with
:func:`split_sentences`.
"""

from __future__ import annotations

import re

# Latin letters as used by Vietnamese (and foreign names), NFC: Basic Latin, Latin-1,
# Latin Extended-A/B and Latin Extended Additional (where most Vietnamese vowels live).
_LATIN = [chr(c) for c in (*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
_LOWER = "".join(re.escape(ch) for ch in _LATIN if ch.islower())
_UPPER = "".join(re.escape(ch) for ch in _LATIN if ch.isupper())

_TERMINATOR = "[.!?…]"
# Closing quotes and brackets that belong to the sentence they end: `... Hồ.”`
_CLOSER = "[\"'”’)\\]»]"

# Words that are always followed by a full stop and by a (capitalised) name, so that
# "TP. Thanh Hóa" or "PGS. TS. Nguyễn Văn A" never end a sentence. Case-sensitive.
ABBREVIATIONS: tuple[str, ...] = (
    "TP",  # thành phố
    "Tp",
    "Q",  # quận
    "P",  # phường
    "TX",  # thị xã
    "TT",  # thị trấn
    "GS",  # giáo sư
    "PGS",  # phó giáo sư
    "TS",  # tiến sĩ
    "ThS",  # thạc sĩ
    "BS",  # bác sĩ
    "KS",  # kỹ sư
    "CN",  # cử nhân
    "NXB",  # nhà xuất bản
    "Nxb",
    "tr",  # trang
    "Tr",
    "St",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "No",
)

# List markers at the start of a line: "1. ", "12. ", "IV. ", "a. ".
_ENUMERATORS: tuple[str, ...] = (
    r"\d",
    r"\d\d",
    r"\d\d\d",
    r"[IVX]",
    r"[IVX]{2}",
    r"[IVX]{3}",
    r"[IVX]{4}",
    f"[{_LOWER}]",
)


def _not_after_abbreviation() -> str:
    """Negative look-behinds (each fixed-width, as Python requires) for a full stop that
    closes an abbreviation, a capital initial ("Nguyễn V. A.") or a list number."""
    parts = [rf"(?<!\b{re.escape(word)}\.)" for word in ABBREVIATIONS]
    parts.append(rf"(?<!\b[{_UPPER}]\.)")
    for enumerator in _ENUMERATORS:
        parts.append(rf"(?<!^{enumerator}\.)")
        parts.append(rf"(?<!\n{enumerator}\.)")
    return "".join(parts)


# The whitespace between two sentences of one line. No capturing group (text splitters
# wrap the pattern in one of their own).
SENTENCE_BREAK = (
    rf"(?:(?<={_TERMINATOR})|(?<={_TERMINATOR}{_CLOSER}))"
    f"{_not_after_abbreviation()}"
    rf"\s+(?=[^\s{_LOWER}])"
)

_BREAK_RE = re.compile(rf"\s*\n\s*|{SENTENCE_BREAK}")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, in order.

    Each span is trimmed of surrounding whitespace, so ``text[start:end]`` is exactly the
    sentence as written and can be quoted with its offsets; whitespace-only text has no
    sentence.
    """
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _BREAK_RE.finditer(text):
        _append_trimmed(text, position, match.start(), spans)
        position = match.end()
    _append_trimmed(text, position, len(text), spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``[start, end)`` without its leading and trailing whitespace, if non-empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
