"""Cleaning of scraped article text before it is indexed and quoted.

Citations quote ``Document.text`` by character offsets, so cleaning happens once, here,
before anything else sees the text: Unicode NFC, one space between words, one blank line
between paragraphs, and none of the page furniture that scrapers pick up around the
article (comment widget, share bar, navigation). Sentences of the article itself are never
rewritten, only whole lines and whole paragraphs are removed.

The boilerplate is described by data (lists of regular expressions below) rather than by
code, so a new portal layout means a new line in a list.
"""

from __future__ import annotations

import re

from assistant.text.vietnamese import fold, match_key, nfc, unify_tones

# Characters that are invisible on the page but break matching and offsets.
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Any run of whitespace inside a line (tabs, no-break spaces, ideographic spaces...).
_SPACE_RE = re.compile(r"\s+")

# Lines removed wherever they appear: each can only be page furniture, never a sentence
# of an article. Matched against the whole line (case-insensitive, tone marks unified).
_BOILERPLATE_LINES: tuple[str, ...] = (
    # comment widget rendered without data: "{name} - {time}", "{name}- {time}", "{body}"
    r"(?:\{\w+\}\s*[-–:|]?\s*)+",
    # comment widget buttons and counters: "Trả lời", "0 bình luận", "Bình luận (3)"
    r"Trả lời",
    r"\d+\s*bình luận",
    r"Bình luận\s*\(\d+\)",
    r"Gửi bình luận",
    # comment form notice
    r"Ý kiến của bạn sẽ được biên tập trước khi đăng\.?(?:\s*Vui lòng gõ tiếng Việt có dấu\.?)?",
    r"Vui lòng gõ tiếng Việt có dấu\.?",
    # share pop-up and its close button
    r"Chia sẻ thông tin với bạn bè!?",
    r"Tắt\s*\[X\]",
    # share bar: any line made only of share-button labels
    r"(?:(?:Chia sẻ(?: bài viết)?|Facebook|Zalo|Twitter|LinkedIn|Email|In bài(?: viết)?"
    r"|Gửi bài|Lưu bài|Copy link|Sao chép liên kết)\s*[:|·,/]?\s*)+",
)

# Lines removed only in the trailing block after the last real paragraph: section menus
# and widget titles that are harmless words on their own ("Địa phương", "Thời tiết") and
# could in principle be an article's line elsewhere.
_TRAILING_LINES: tuple[str, ...] = (
    r"Địa phương",
    r"Thời tiết",
    r"Xem thêm\b.{0,80}",
    r"Tin liên quan",
    r"Tin cùng chuyên mục",
    r"Bài viết liên quan",
    r"Tin mới(?: nhất)?",
    r"Đọc nhiều(?: nhất)?",
    r"Ý kiến bạn đọc",
    r"Bình luận",
    r"(?:Từ khóa|Tags?)\s*:.{0,200}",
)


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One full-line matcher; tone marks are unified in the patterns and in the lines so
    that "khoá" on the page matches "khóa" in the list."""
    return re.compile("|".join(f"(?:{unify_tones(p)})" for p in patterns), re.IGNORECASE)


_BOILERPLATE_RE = _compile(_BOILERPLATE_LINES)
_TRAILING_RE = _compile(_TRAILING_LINES)
# Page furniture lines are short; longer lines are article text and are not matched at all
# (a cheap check that keeps cleaning fast on long documents).
_MAX_FURNITURE_CHARS = 300

# Prefixes ignored when comparing paragraphs for repeats: portals print the lead once with
# the dateline "(Baothanhhoa.vn) - " and repeat it without.
_REPEAT_IGNORED_PREFIXES: tuple[str, ...] = (r"\([^()\n]{2,40}\)\s*[-–—]\s*",)
_REPEAT_IGNORED_RE = re.compile("^(?:" + "|".join(_REPEAT_IGNORED_PREFIXES) + ")")

# A headline that a caption was glued to is a short single-line paragraph; the bounds
# keep ordinary words ("Hà") and whole paragraphs from being taken for headlines.
_HEADLINE_MIN_CHARS = 20
_HEADLINE_MAX_CHARS = 250


def clean_text(text: str) -> str:
    """Cleaned article text: NFC, normalised whitespace, boilerplate and repeats removed.

    Paragraphs are separated by exactly one blank line and the result has no leading or
    trailing whitespace. The function is idempotent: ``clean_text(clean_text(x)) ==
    clean_text(x)``, so cleaning twice (e.g. a cleaned sample loaded again) is harmless.
    One pass can expose more boilerplate (a caption cut off a headline may itself be a
    widget line), so passes are repeated until nothing changes; each pass only removes
    text or splits paragraphs, so this ends.
    """
    cleaned = _clean_once(text)
    while True:
        again = _clean_once(cleaned)
        if again == cleaned:
            return cleaned
        cleaned = again


def _clean_once(text: str) -> str:
    lines = [line for line in _normalise_lines(text) if not _is_boilerplate(line)]
    lines = _drop_trailing_navigation(lines)
    paragraphs = _split_glued_headlines(_paragraphs(lines))
    return "\n\n".join(_dedupe(paragraphs))


def _normalise_lines(text: str) -> list[str]:
    """NFC lines with single spaces and no surrounding whitespace (blank lines kept as
    "" so paragraph breaks survive); every line-break convention is accepted."""
    text = nfc(_INVISIBLE_RE.sub("", text))
    return [_SPACE_RE.sub(" ", line).strip() for line in text.splitlines()]


def _is_boilerplate(line: str) -> bool:
    return (
        0 < len(line) <= _MAX_FURNITURE_CHARS
        and _BOILERPLATE_RE.fullmatch(unify_tones(line)) is not None
    )


def _drop_trailing_navigation(lines: list[str]) -> list[str]:
    """Remove blank and navigation lines from the end, up to the last real line."""
    end = len(lines)
    while end and (not lines[end - 1] or _is_trailing_navigation(lines[end - 1])):
        end -= 1
    return lines[:end]


def _is_trailing_navigation(line: str) -> bool:
    return (
        len(line) <= _MAX_FURNITURE_CHARS and _TRAILING_RE.fullmatch(unify_tones(line)) is not None
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Group consecutive non-blank lines into paragraphs (lines joined by one newline)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _split_glued_headlines(paragraphs: list[str]) -> list[str]:
    """Split "<headline><Caption...>" into the headline and the caption.

    Scrapers join a photo caption to the headline printed above the photo without any
    space ("...giai đoạn mớiLãnh đạo tỉnh..."). When a paragraph starts with the text of a
    short paragraph of the same document directly followed by a capital letter, it is cut
    there; the copy of the headline is then dropped by the de-duplication.
    """
    headlines: dict[str, list[str]] = {}
    for p in paragraphs:
        if "\n" not in p and _HEADLINE_MIN_CHARS <= len(p) <= _HEADLINE_MAX_CHARS:
            headlines.setdefault(_prefix_key(p), []).append(unify_tones(p))
    result: list[str] = []
    for paragraph in paragraphs:
        cut = _glued_headline_length(paragraph, headlines.get(_prefix_key(paragraph), []))
        result.extend([paragraph[:cut], paragraph[cut:]] if cut else [paragraph])
    return result


def _prefix_key(paragraph: str) -> str:
    """Bucket of a paragraph by its opening characters, without diacritics (so tone-mark
    placement does not matter): only headlines of the same bucket can be glued to it,
    which keeps the search linear on long documents."""
    return fold(paragraph[:_HEADLINE_MIN_CHARS])


def _glued_headline_length(paragraph: str, unified_headlines: list[str]) -> int:
    """Length of the longest headline glued at the start of ``paragraph`` (0 if none).

    The candidate prefix is compared on its own (the glued word "mớiLãnh" is not a
    syllable), with tone marks unified so that "hoà"/"hòa" spellings still match.
    """
    best = 0
    for headline in unified_headlines:
        size = len(headline)
        if (
            best < size < len(paragraph)
            and paragraph[size].isupper()
            and not paragraph[size - 1].isspace()
            and unify_tones(paragraph[:size]) == headline
        ):
            best = size
    return best


def _dedupe(paragraphs: list[str]) -> list[str]:
    """Keep the first occurrence of each paragraph, as published.

    Paragraphs are compared by :func:`match_key` without a leading dateline, so a repeat
    that differs only in tone-mark placement, case, spacing or the "(Source) - " prefix is
    a repeat.
    """
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in paragraphs:
        key = match_key(_REPEAT_IGNORED_RE.sub("", paragraph)) or match_key(paragraph)
        if key not in seen:
            seen.add(key)
            kept.append(paragraph)
    return kept
