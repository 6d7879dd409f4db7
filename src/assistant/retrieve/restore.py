"""Putting the diacritics back into a question typed without them.

``thanh hoa xuat khau`` matches the folded lexical index as it is, but the dense model
understands ``thanh hóa xuất khẩu`` far better. Each syllable (and each pair, which
disambiguates ``hoa``: hoa/hóa/hòa) is mapped to the written form the articles use most
often; Telex remnants (``xuaats``) are converted first. Words the articles never use are
left as typed, so English words, names and numbers pass through unchanged.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from assistant.text.telex import telex_to_vietnamese
from assistant.text.vietnamese import TOKEN_PATTERN, fold, has_diacritics, is_numberlike

FormsLookup = Callable[[Sequence[str]], dict[str, list[tuple[str, int]]]]


# Question words are rare in news articles, so the articles cannot tell how to write them;
# these are the usual forms (an extra candidate with a fixed weight, not an override).
_QUESTION_WORDS = {
    "nao": "nào",
    "gi": "gì",
    "may": "mấy",
    "dau": "đâu",
    "khong": "không",
    "co": "có",
    "la": "là",
    "cua": "của",
    "voi": "với",
    "duoc": "được",
    "va": "và",
    "nhung": "những",
    "cac": "các",
    "ai": "ai",
    "sao": "sao",
    "bao": "bao",
    "nhieu": "nhiêu",
    "tinh": "tỉnh",
}
# Question phrases, written the one way they are meant: the syllables alone are ambiguous
# and the articles' frequent words would win ("bao nhieu tien" is not "bảo nhiều tiến").
_QUESTION_PHRASES: list[tuple[tuple[str, ...], tuple[str, ...]]] = sorted(
    {
        tuple(fold(phrase).split()): tuple(phrase.split())
        for phrase in (
            "bao nhiêu tiền",
            "bao nhiêu",
            "bao lâu",
            "bao giờ",
            "khi nào",
            "ở đâu",
            "như thế nào",
            "thế nào",
            "ra sao",
            "vì sao",
            "tại sao",
            "là gì",
            "là ai",
            "năm nào",
            "ngày nào",
            "những gì",
        )
    }.items(),
    key=lambda pair: -len(pair[0]),  # longest first: "bao nhiêu tiền" before "bao nhiêu"
)
_QUESTION_WEIGHT = math.log1p(20)
_PAIR_WEIGHT = 3.0  # a pair the articles use says more than two frequent syllables


def _best_forms(
    keys: list[str], typed: list[str], forms: FormsLookup, fixed: list[str | None]
) -> list[str]:
    """The most likely written form of each syllable (Viterbi over syllable pairs): a
    form scores by how often the articles use it, a pair of neighbours by how often
    they use that pair, so ``thanh hoa ky thoa thuan`` gives ``ký`` (ký thoả thuận),
    not ``kỳ`` (Hoa Kỳ)."""
    pairs = [f"{a}_{b}" for a, b in itertools.pairwise(keys)]
    found = forms([*keys, *pairs])
    candidates: list[dict[str, float]] = []
    for key, original, sure in zip(keys, typed, fixed, strict=True):
        if sure:
            candidates.append({sure: 0.0})
            continue
        options = {form: math.log1p(df) for form, df in found.get(key, [])[:6]}
        if key in _QUESTION_WORDS:
            usual = _QUESTION_WORDS[key]
            options[usual] = max(options.get(usual, 0.0), _QUESTION_WEIGHT)
        options.setdefault(original, 0.0)
        candidates.append(options)
    pair_scores = [
        {form: _PAIR_WEIGHT * math.log1p(df) for form, df in found.get(pair, [])} for pair in pairs
    ]
    best: dict[str, tuple[float, list[str]]] = {
        form: (score, [form]) for form, score in candidates[0].items()
    }
    for i in range(1, len(keys)):
        step: dict[str, tuple[float, list[str]]] = {}
        for form, score in candidates[i].items():
            step[form] = max(
                (
                    (prev + score + pair_scores[i - 1].get(f"{left}_{form}", 0.0), [*path, form])
                    for left, (prev, path) in best.items()
                ),
                key=lambda item: item[0],
            )
        best = step
    return max(best.values(), key=lambda item: item[0])[1]


def _pin_question_phrases(keys: list[str], fixed: list[str | None]) -> None:
    """Fix the written form of every question phrase among ``keys`` (longest first)."""
    i = 0
    while i < len(keys):
        for folded, written in _QUESTION_PHRASES:
            if tuple(keys[i : i + len(folded)]) == folded:
                fixed[i : i + len(folded)] = list(written)
                i += len(folded) - 1
                break
        i += 1


def restore_diacritics(query: str, forms: FormsLookup) -> str:
    """The query with diacritics restored where the articles make them clear; the query
    unchanged when it already has diacritics."""
    if has_diacritics(query):
        return query
    matches = [m for m in TOKEN_PATTERN.finditer(query) if not is_numberlike(m.group(0))]
    if not matches:
        return query
    typed = [m.group(0).lower() for m in matches]
    # a Telex syllable the articles use is taken as typed ("phaanf" is phần, not Phăn)
    telex = [telex_to_vietnamese(t) for t in typed]
    # one look-up for the Telex forms and for the typed words that have one (below)
    looked_up = [fold(t) for t in telex if t]
    looked_up += [fold(t) for t, form in zip(typed, telex, strict=True) if form]
    known = forms(list(dict.fromkeys(looked_up)))
    fixed = [
        form if form and any(w == form for w, _ in known.get(fold(form), [])) else None
        for form in telex
    ]
    # a Telex syllable the articles do not use as typed ("vons": vón) still gives its
    # letters ("von", restored from context as vốn) unless the typed word is a word
    keys = [
        fold(f) if f else fold(form) if form and not known.get(fold(t)) else fold(t)
        for f, form, t in zip(fixed, telex, typed, strict=True)
    ]
    _pin_question_phrases(keys, fixed)
    chosen = _best_forms(keys, [f or t for f, t in zip(fixed, typed, strict=True)], forms, fixed)
    pieces, cursor = [], 0
    for match, written in zip(matches, chosen, strict=True):
        if written == match.group(0).lower():
            written = match.group(0)  # nothing restored: keep it as typed ("FDI")
        elif match.group(0)[:1].isupper():
            written = written[:1].upper() + written[1:]
        pieces.append(query[cursor : match.start()])
        pieces.append(written)
        cursor = match.end()
    pieces.append(query[cursor:])
    return "".join(pieces)
