"""Telex remnants: ``xuaats khaaur`` is what "xuất khẩu" looks like when a Vietnamese
keyboard is off. Converting a syllable is cheap and only proposes a candidate; the caller
keeps it only if the articles use that word."""

from __future__ import annotations

import re
import unicodedata

from assistant.text.vietnamese import unify_tone_word

_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
# Longest first: "uow" before "ow", "dd" is the letter đ.
_LETTERS = (
    ("uow", "ươ"),
    ("dd", "đ"),
    ("aa", "â"),
    ("ee", "ê"),
    ("oo", "ô"),
    ("aw", "ă"),
    ("ow", "ơ"),
    ("uw", "ư"),
    ("w", "ư"),
)
_VOWELS = set("aeiouyăâêôơư")
# A tone key typed before the syllable's final letter(s) ("muoosn" for "muốn", "ddaafu"
# for "đầu"): moved to the end, where the rest of the conversion expects it.
_FINAL_AFTER_TONE = re.compile(r"^(.*[aeiouyw])([sfrxj])(ch|ng|nh|[cmnpt]|[iouy])$")


def telex_to_vietnamese(token: str) -> str | None:
    """The Vietnamese syllable a Telex-typed ASCII token stands for, or None when the
    token shows no Telex sign (doubled vowel, dd, w, or a tone key at the end or before
    the final consonants)."""
    if not token.isascii() or not token.isalpha() or len(token) < 2:
        return None
    text = _FINAL_AFTER_TONE.sub(r"\1\3\2", token.lower())  # "muoosn": the tone key first
    tone = ""
    if text[-1] in _TONES and any(ch in "aeiouyw" for ch in text[:-1]):
        tone, text = _TONES[text[-1]], text[:-1]
    converted = text
    for typed, letter in _LETTERS:
        converted = converted.replace(typed, letter)
    if converted == text and not tone:
        return None
    if not any(ch in _VOWELS for ch in converted):
        return None
    base = unicodedata.normalize("NFC", converted)
    if not tone:
        return base
    # put the tone on the last vowel, then let the canonical rule move it
    last = max(i for i, ch in enumerate(base) if ch in _VOWELS)
    marked = unicodedata.normalize("NFC", base[: last + 1] + tone + base[last + 1 :])
    return unify_tone_word(marked)
