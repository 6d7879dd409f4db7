"""Vietnamese text normalisation for matching.

Citations always quote the original (NFC) text; the functions here only produce *keys*
used to compare text: tone marks placed in one canonical position (``hoá`` and ``hóa``
become the same), diacritics folded away for people who type without them
(``đ`` is its own letter, so it is mapped to ``d`` explicitly), and tokens that keep
numbers (``14.081,67``), dates (``15-4-2010``) and document codes (``41-CT/TW``) whole.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

# Combining marks that carry the five Vietnamese tones.
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Base vowels (after removing tone marks, NFC) – the ones with a quality mark first.
_MARKED_VOWELS = set("ăâêôơưĂÂÊÔƠƯ")
_VOWELS = set("aeiouyAEIOUY") | _MARKED_VOWELS
_WORD_RE = re.compile(r"\w+", re.UNICODE)

# A "compact" token: numbers with thousands/decimal separators, dates and document codes.
# Examples kept whole: 14.081,67  15-4-2010  41-CT/TW  22/NQ-TW  2016-2020  COVID-19
_COMPOUND = r"\w+(?:[.,/\-–]\w+)+"
_TOKEN_RE = re.compile(rf"{_COMPOUND}|\w+", re.UNICODE)
TOKEN_PATTERN = _TOKEN_RE  # public: callers that need token positions (finditer)
_HAS_DIGIT = re.compile(r"\d")


def nfc(text: str) -> str:
    """Unicode NFC: the one composed form used everywhere inside the project."""
    return unicodedata.normalize("NFC", text)


def _split_tone(syllable: str) -> tuple[str, str]:
    """Return (syllable without tone mark, the tone mark or '')."""
    tone = ""
    kept = []
    for ch in unicodedata.normalize("NFD", syllable):
        if ch in _TONE_MARKS:
            tone = ch
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_position(base: str) -> int | None:
    """Index of the vowel that carries the tone, by the 'new style' rules.

    ``hoà``/``thuý`` style: in the open clusters oa, oe, uy the mark goes on the second
    vowel; a vowel with a quality mark (ơ, ê, â...) always wins; with a final consonant the
    last vowel of the cluster carries it; otherwise the first of two, the middle of three.
    """
    lower = base.lower()
    start = 0
    if lower.startswith("qu") or (
        lower.startswith("gi") and len(lower) > 2 and lower[2] in "aeiouyăâêôơư"
    ):
        start = 2
    positions = [i for i in range(start, len(base)) if base[i] in _VOWELS]
    if not positions:
        positions = [i for i in range(len(base)) if base[i] in _VOWELS]
        if not positions:
            return None
    # the vowel cluster is the first contiguous run of vowels
    cluster = [positions[0]]
    for i in positions[1:]:
        if i == cluster[-1] + 1:
            cluster.append(i)
        else:
            break
    marked = [i for i in cluster if base[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    has_final = cluster[-1] < len(base) - 1
    if has_final or len(cluster) == 1:
        return cluster[-1]
    if len(cluster) == 3:
        return cluster[1]
    if lower[cluster[0] : cluster[0] + 2] in ("oa", "oe", "uy"):
        return cluster[1]
    return cluster[0]


def unify_tone_word(word: str) -> str:
    """Put the tone mark of one syllable in its canonical position."""
    base, tone = _split_tone(word)
    if not tone:
        return word if base == word else base
    pos = _tone_position(base)
    if pos is None:
        return nfc(word)
    return nfc(base[: pos + 1] + tone + base[pos + 1 :])


def unify_tones(text: str) -> str:
    """NFC text whose every syllable has its tone mark in the canonical position.

    The length of the text never changes (tone marks only move inside a syllable), so
    character offsets computed on the unified text are valid in the original.
    """
    text = nfc(text)
    return _WORD_RE.sub(lambda m: unify_tone_word(m.group(0)), text)


def fold(text: str) -> str:
    """Lower-case text with every diacritic removed and đ mapped to d (for typists
    without a Vietnamese keyboard)."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def match_key(text: str) -> str:
    """Key for comparing strings: NFC, canonical tones, lower case, single spaces."""
    return " ".join(unify_tones(text).lower().split())


def has_diacritics(text: str) -> bool:
    """True when the text contains any Vietnamese diacritic (or đ)."""
    return fold(text) != text.lower()


def raw_tokens(text: str) -> list[str]:
    """Tokens as written (NFC), keeping numbers, dates and codes whole."""
    return _TOKEN_RE.findall(nfc(text))


def token_variants(token: str) -> Iterable[str]:
    """A compound token (``41-CT/TW``, ``2016-2020``) and its parts, so that a query for
    ``2016`` still finds ``2016-2020`` while the exact code scores higher."""
    yield token
    if not _TOKEN_RE.fullmatch(token) or not re.search(r"[.,/\-–]", token):
        return
    parts = [p for p in re.split(r"[.,/\-–]", token) if p]
    # numbers such as 14.081,67 are only meaningful whole: no parts for them
    if all(p.isdigit() for p in parts) and re.search(r"[.,]", token):
        return
    yield from parts


def lexical_terms(text: str) -> tuple[list[str], list[str]]:
    """Terms for the lexical index: (tone-unified lower-case terms, folded terms).

    Each list holds single syllables plus syllable bigrams joined by ``_`` (Vietnamese words
    are mostly two syllables, so bigrams act as a light word segmentation). Compound tokens
    have their separators replaced by ``_`` so the index tokenizer keeps them whole.
    """
    syllables: list[str] = []
    bigram_source: list[str] = []
    for token in raw_tokens(text):
        unified = unify_tones(token).lower()
        for variant in token_variants(unified):
            syllables.append(_compact(variant))
        bigram_source.append(_compact(unified))
    bigrams = [f"{a}_{b}" for a, b in itertools.pairwise(bigram_source)]
    exact = syllables + bigrams
    folded = [fold(term) for term in exact]
    return exact, folded


def _compact(token: str) -> str:
    return re.sub(r"[.,/\-–]", "_", token)


def is_numberlike(token: str) -> bool:
    """True for tokens that carry a figure, date or code (they must be copied exactly)."""
    return bool(_HAS_DIGIT.search(token))
