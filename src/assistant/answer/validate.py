"""Checking a generated answer before anyone sees it.

A language model paraphrases, and a paraphrase can change a figure, cite a passage it never
saw or add a sentence from its own memory. The assistant promises a citation behind every
claim, so a generated answer is only shown when it keeps that promise:

* every ``[n]`` names one of the numbered passages the model was given;
* every sentence carries at least one ``[n]``;
* every number of a sentence (a figure such as ``14.081,67``, a year, a date, a document
  code such as ``41-CT/TW``) occurs verbatim in a passage that sentence cites;
* the exact "not found" sentence (and nothing else) is accepted as a refusal.

Anything else is rejected and the caller falls back to the extractive answer. The
functions here are pure (text and passages in, a verdict out) so they are tested without
a model or a network.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.core.types import Passage
from assistant.text.sentences import split_sentences
from assistant.text.vietnamese import is_numberlike, nfc, raw_tokens, token_variants

# ``[1]``, ``[1, 2]`` or ``[1;2]``; ``[1][2]`` is two markers.
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Marker:
    """One ``[...]`` in the answer text: its span and the passage numbers it names."""

    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass
class Claim:
    """A sentence of the generated answer and the passages it cites.

    ``text`` is the sentence without its markers (what is checked and matched against
    the passages); ``markers`` are the markers that belong to it, including a marker the
    model put right after the full stop ("... USD. [1]").
    """

    start: int
    end: int
    text: str
    markers: list[Marker] = field(default_factory=list)

    @property
    def cites(self) -> tuple[int, ...]:
        """Passage numbers cited by the sentence, in order of first mention."""
        return tuple(dict.fromkeys(n for m in self.markers for n in m.numbers))


@dataclass
class Validation:
    """The verdict on a generated answer. ``text`` is the normalised answer (NFC,
    stripped) whose offsets ``claims`` and their markers refer to."""

    text: str
    ok: bool
    refusal: bool = False
    claims: list[Claim] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def marker_numbers(match: re.Match[str]) -> tuple[int, ...]:
    """The passage numbers of one :data:`MARKER` match."""
    return tuple(int(x) for x in re.split(r"\s*[,;]\s*", match.group(1)))


def numbers_in(text: str) -> list[str]:
    """Number-like tokens (figures, dates, codes) as written, markers excluded."""
    return [t for t in raw_tokens(MARKER.sub(" ", text)) if is_numberlike(t)]


def allowed_numbers(passage: Passage) -> frozenset[str]:
    """Every number a sentence citing ``passage`` may state: the tokens of what the model
    was shown (title, date, text) and the parts of compound ones, so "2016" is backed by
    "2016-2020" while "14.081" is not backed by "14.081,67" (``token_variants`` keeps a
    decimal figure whole)."""
    shown = " ".join(x for x in (passage.title, passage.published_at or "", passage.text) if x)
    return frozenset(
        variant
        for token in raw_tokens(shown)
        if is_numberlike(token)
        for variant in token_variants(token)
    )


def is_refusal(text: str, not_found: str) -> bool:
    """True when the reply is exactly the "not found" sentence (spacing aside)."""
    return " ".join(nfc(text).split()) == " ".join(nfc(not_found).split())


def split_claims(text: str) -> list[Claim]:
    """Sentences of the answer with the markers that belong to each.

    Markers inside a sentence belong to it. Markers that open a sentence ("USD. [1] Năm
    2020 ...") belong to the sentence before: models often put the marker after the full
    stop. A piece that is only markers is not a sentence.
    """
    markers = [Marker(m.start(), m.end(), marker_numbers(m)) for m in MARKER.finditer(text)]
    claims: list[Claim] = []
    for start, end in split_sentences(text):
        inside = [m for m in markers if start <= m.start < end]
        leading = []
        for m in inside:
            if _WORD.search(MARKER.sub("", text[start : m.start])):
                break
            leading.append(m)
        if claims and leading:
            claims[-1].markers.extend(leading)
            inside = inside[len(leading) :]
        body = " ".join(MARKER.sub(" ", text[start:end]).split())
        if not _WORD.search(body):
            if inside and claims:
                claims[-1].markers.extend(inside)
            elif inside:  # markers before any sentence: they open the first one
                claims.append(Claim(start, end, "", list(inside)))
            continue
        if claims and not claims[-1].text:  # the markers-only opening piece
            inside = claims.pop().markers + inside
        claims.append(Claim(start, end, body, list(inside)))
    return claims


def validate_answer(text: str, passages: Sequence[Passage], not_found: str) -> Validation:
    """Check a generated answer against the numbered passages the model was given
    (``passages[0]`` is ``[1]``). See the module docstring for the rules."""
    normalised = nfc(text).strip()
    if not normalised:
        return Validation(normalised, ok=False, problems=["empty answer"])
    if is_refusal(normalised, not_found):
        return Validation(normalised, ok=True, refusal=True)
    claims = split_claims(normalised)
    problems: list[str] = []
    if not claims or not any(c.text for c in claims):
        problems.append("no sentence")
    allowed: dict[int, frozenset[str]] = {}
    for i, claim in enumerate(claims, start=1):
        cites = claim.cites
        if not cites:
            problems.append(f"sentence {i} has no citation: {claim.text[:80]!r}")
            continue
        unknown = [n for n in cites if not 1 <= n <= len(passages)]
        if unknown:
            problems.append(
                f"sentence {i} cites {_brackets(unknown)}, but only [1]..[{len(passages)}] exist"
            )
        known = [n for n in cites if 1 <= n <= len(passages)]
        for n in known:
            if n not in allowed:
                allowed[n] = allowed_numbers(passages[n - 1])
        for number in numbers_in(claim.text):
            if not any(number in allowed[n] for n in known):
                problems.append(
                    f"sentence {i}: {number!r} is not in the cited passage(s) {_brackets(known)}"
                )
    if not_found and not_found in normalised:
        problems.append("the not-found sentence mixed with an answer")
    return Validation(normalised, ok=not problems, claims=claims, problems=problems)


def _brackets(numbers: Iterable[int]) -> str:
    return "".join(f"[{n}]" for n in numbers) or "none"
