"""Scoring: one answer against one test item, then aggregates over many.

Everything here is a pure function of test items and :class:`~assistant.answer.types.Answer`
objects, so the scoring rules can be unit-tested without a model and give the same
numbers whether the answers came from the library or from the HTTP API.

Text comparison uses :func:`~assistant.text.vietnamese.match_key` (NFC, canonical tone
marks, lower case, single spaces), so ``hoá`` and ``hóa`` match. Expected strings must
occur on word boundaries and numbers are compared exactly as written: ``14.081`` does not
match inside ``14.081,67``, nor ``5`` inside ``15``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.answer.types import Answer
from assistant.eval.testset import TestItem
from assistant.text.vietnamese import match_key

RECALL_KS = (1, 5, 10)
_FIGURE = re.compile(r"\d")
MIN_SHARED_CHARS = 20
TOP_PASSAGES_KEPT = 5
_MARKER_RE = re.compile(r"\[\d+(?:\s*[,;–-]\s*\d+)*\]")
_NUMBER_SEPARATORS = ".,"

Summary = dict[str, Any]


# ---------------------------------------------------------------------------------------
# text matching


def strip_markers(text: str) -> str:
    """The answer without its ``[n]`` citation markers (``[1]``, ``[1, 2]``, ``[2-3]``)."""
    return _MARKER_RE.sub(" ", text)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _on_boundary(hay: str, start: int, end: int, needle: str) -> bool:
    """True when ``hay[start:end]`` (== needle) is not part of a longer word or number."""
    if _is_word(needle[0]) and start > 0:
        before = hay[start - 1]
        if _is_word(before):
            return False
        if (
            needle[0].isdigit()
            and before in _NUMBER_SEPARATORS
            and start >= 2
            and hay[start - 2].isdigit()
        ):
            return False
    if _is_word(needle[-1]) and end < len(hay):
        after = hay[end]
        if _is_word(after):
            return False
        if (
            needle[-1].isdigit()
            and after in _NUMBER_SEPARATORS
            and end + 1 < len(hay)
            and hay[end + 1].isdigit()
        ):
            return False
    return True


def contains(text: str, expected: str) -> bool:
    """Whether ``expected`` occurs in ``text`` as whole words, compared by match key."""
    hay, needle = match_key(text), match_key(expected)
    if not needle:
        return False
    start = hay.find(needle)
    while start != -1:
        if _on_boundary(hay, start, start + len(needle), needle):
            return True
        start = hay.find(needle, start + 1)
    return False


def judge_text(text: str, any_of: Sequence[str], all_of: Sequence[str]) -> tuple[bool, list[str]]:
    """(expected strings satisfied?, the expected strings that are missing).

    ``any_of`` is satisfied by one hit (its missing list is the whole group when none hits);
    every ``all_of`` string must occur.
    """
    plain = strip_markers(text)
    missing_all = [s for s in all_of if not contains(plain, s)]
    any_hit = not any_of or any(contains(plain, s) for s in any_of)
    missing = missing_all if any_hit else [*any_of, *missing_all]
    return any_hit and not missing_all, missing


def retrieval_rank(evidence: str | None, passage_texts: Iterable[str]) -> int | None:
    """1-based rank of the first passage containing the evidence (by match key)."""
    if not evidence:
        return None
    key = match_key(evidence)
    for rank, text in enumerate(passage_texts, start=1):
        if key in match_key(text):
            return rank
    return None


def _shares_substring(a: str, b: str, size: int) -> bool:
    if len(a) < size or len(b) < size:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    grams = {long_[i : i + size] for i in range(len(long_) - size + 1)}
    return any(short[i : i + size] in grams for i in range(len(short) - size + 1))


def quote_overlaps(quote: str, evidence: str, min_shared: int = MIN_SHARED_CHARS) -> bool:
    """Whether a cited quote covers (part of) the evidence.

    Offsets would be exact, but the evidence is given as text, not as a span, and quotes
    may come from a document other than the one the test author read; so the rule is
    textual: one contains the other, or they share ``min_shared`` consecutive characters
    (after match-key normalisation), which is long enough not to be a common phrase.
    """
    q, e = match_key(quote), match_key(evidence)
    if not q or not e:
        return False
    return e in q or q in e or _shares_substring(q, e, min_shared)


# ---------------------------------------------------------------------------------------
# one question


@dataclass
class QuestionResult:
    """Everything the reports need about one question, JSON-ready via :meth:`to_dict`."""

    id: str
    type: str
    question: str
    unanswerable: bool
    expected: dict[str, Any]
    evidence: str | None
    answer: str = ""
    answerable: bool | None = None
    mode: str | None = None
    query: str | None = None
    message: str | None = None
    correct: bool = False
    refused: bool = False
    missing: list[str] = field(default_factory=list)
    retrieval_rank: int | None = None
    citation_precision: float | None = None
    citation_recall: float | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    passages: list[dict[str, Any]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    wall_ms: float | None = None
    error: str | None = None
    doc_id: str | None = None
    other_articles: list[str] = field(default_factory=list)  # cited besides doc_id
    out_of_scope: list[str] = field(default_factory=list)  # cited, about another place
    lead: str | None = None  # the answer's first line: the figure, date or name itself
    lead_correct: bool | None = None  # does the lead hold an expected item?

    @property
    def failed(self) -> bool:
        return not self.correct

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionResult:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def _base(item: TestItem) -> QuestionResult:
    return QuestionResult(
        id=item.id,
        type=item.type,
        question=item.question,
        unanswerable=item.unanswerable,
        expected=item.expected,
        evidence=item.evidence,
    )


def score_answer(item: TestItem, answer: Answer, wall_ms: float | None = None) -> QuestionResult:
    """Score one answer against its test item."""
    result = _base(item)
    result.answer = answer.answer
    result.answerable = bool(answer.answerable)
    result.mode = answer.mode
    result.query = answer.query
    result.message = answer.message
    result.refused = not answer.answerable
    result.timings_ms = {k: float(v) for k, v in answer.timings_ms.items()}
    result.wall_ms = wall_ms
    result.doc_id = item.doc_id
    keys = answer.scope.get("place_keys") if answer.scope else None
    asked = {str(k) for k in keys} if isinstance(keys, (list, tuple)) else set()
    places = {p.doc_id: set(p.scope.place_keys) for p in answer.passages if p.scope}
    result.out_of_scope = sorted(
        {
            c.doc_id
            for c in answer.citations
            if asked and c.doc_id in places and not places[c.doc_id] & asked
        }
    )
    result.other_articles = sorted(
        {c.doc_id for c in answer.citations if item.doc_id and c.doc_id != item.doc_id}
    )
    result.lead = answer.lead
    expected_items = [*item.any_of, *item.all_of]
    if answer.lead and not item.unanswerable and expected_items:
        # "41 dự án" is right for "41 dự án FDI": the lead is the item or a part of it
        result.lead_correct = any(
            contains(answer.lead, e) or contains(e, answer.lead) for e in expected_items
        )
    if item.unanswerable:
        result.correct = result.refused
    else:
        satisfied, result.missing = judge_text(answer.answer, item.any_of, item.all_of)
        result.correct = bool(answer.answerable) and satisfied
        if result.lead_correct is False and not item.all_of:
            # the first line states the answer: a wrong one there ("14.081,67 triệu USD"
            # asked for the FDI capital) is a wrong answer, whatever the quote says after it
            result.correct = False
        if item.doc_id:
            # right only from the right article: a quote of another article's look-alike
            # sentence, or a second figure from another article beside the right one,
            # is a wrong answer
            own = any(c.doc_id == item.doc_id for c in answer.citations)
            conflicting = any(
                c.doc_id != item.doc_id and _FIGURE.search(c.quote) for c in answer.citations
            )
            result.correct = result.correct and own and not conflicting

    result.retrieval_rank = retrieval_rank(item.evidence, (p.text for p in answer.passages))
    overlaps = [
        bool(item.evidence)
        and (item.doc_id is None or c.doc_id == item.doc_id)
        and quote_overlaps(c.quote, item.evidence or "")
        for c in answer.citations
    ]
    if item.evidence and not item.unanswerable:
        if overlaps:
            result.citation_precision = sum(overlaps) / len(overlaps)
        result.citation_recall = 1.0 if any(overlaps) else 0.0
    result.citations = [
        {
            "n": c.n,
            "doc_id": c.doc_id,
            "title": c.title,
            "quote": c.quote,
            "start": c.start,
            "end": c.end,
            "overlaps_evidence": hit,
        }
        for c, hit in zip(answer.citations, overlaps, strict=True)
    ]
    evidence_key = match_key(item.evidence) if item.evidence else None
    result.passages = [
        {
            "rank": rank,
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "title": p.title,
            "score": p.score,
            "text": p.text,
            "contains_evidence": bool(evidence_key and evidence_key in match_key(p.text)),
        }
        for rank, p in enumerate(answer.passages[:TOP_PASSAGES_KEPT], start=1)
    ]
    return result


def error_result(item: TestItem, error: str, wall_ms: float | None = None) -> QuestionResult:
    """A question whose run failed: counted as wrong (and not as a refusal)."""
    result = _base(item)
    result.error = error
    result.wall_ms = wall_ms
    if item.evidence and not item.unanswerable:
        result.citation_recall = 0.0
    return result


# ---------------------------------------------------------------------------------------
# aggregates


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation, as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(pos), math.ceil(pos)
    if low == high:
        return float(ordered[low])
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _stages(results: Sequence[QuestionResult]) -> list[str]:
    seen: dict[str, None] = {}
    for r in results:
        for stage in r.timings_ms:
            seen.setdefault(stage, None)
    stages = [s for s in seen if s != "total"]
    return [*stages, "total"] if "total" in seen else stages


def latency(results: Sequence[QuestionResult]) -> dict[str, float | None]:
    """``latency.<stage>.p50`` / ``.p95`` in ms for every stage in ``timings_ms``, plus
    ``wall`` (round trip measured by the harness, including HTTP when used)."""
    out: dict[str, float | None] = {}
    for stage in _stages(results):
        values = [r.timings_ms[stage] for r in results if stage in r.timings_ms]
        out[f"latency.{stage}.p50"] = percentile(values, 50)
        out[f"latency.{stage}.p95"] = percentile(values, 95)
    walls = [r.wall_ms for r in results if r.wall_ms is not None]
    if walls:
        out["latency.wall.p50"] = percentile(walls, 50)
        out["latency.wall.p95"] = percentile(walls, 95)
    return out


def summarize(results: Sequence[QuestionResult]) -> Summary:
    """Flat metrics of a group of results (None where the group has nothing to measure).

    * ``answer_accuracy`` — share of all questions answered correctly (refusal is the
      correct answer to an unanswerable one).
    * ``recall@k``, ``mrr`` — over answerable questions that have evidence.
    * ``citation_precision`` — mean share of citations quoting the evidence (in the
      evidence's own article when the item names it), over answerable questions answered
      with citations; ``citation_recall`` — share of all answerable questions whose
      answer cites the evidence at least once.
    * ``other_article_rate`` — among answerable questions answered, the share citing an
      article other than the one holding the evidence.
    * ``out_of_scope_answers`` — answers citing an article about a place the question did
      not ask about (the goal is 0).
    * ``lead_rate`` — among correct answers, the share opening with the answer itself
      (a figure, date or name); ``lead_precision`` — among correct answers with a lead,
      the share whose lead holds an expected item (a lead that misses is a wrong first
      line over a right quote).
    * ``refusal_rate`` — refusals among unanswerable questions (higher is better);
      ``false_refusal_rate`` — refusals among answerable ones (lower is better).
    """
    answerable = [r for r in results if not r.unanswerable]
    unanswerable = [r for r in results if r.unanswerable]
    ranked = [r for r in answerable if r.evidence]
    cited = [r for r in answerable if r.evidence]
    answered = [r for r in answerable if not r.refused and not r.error and r.doc_id]
    summary: Summary = {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "errors": sum(1 for r in results if r.error),
        "answer_accuracy": _mean([float(r.correct) for r in results]),
    }
    for k in RECALL_KS:
        summary[f"recall@{k}"] = _mean(
            [float(r.retrieval_rank is not None and r.retrieval_rank <= k) for r in ranked]
        )
    summary["mrr"] = _mean([1.0 / r.retrieval_rank if r.retrieval_rank else 0.0 for r in ranked])
    summary["citation_precision"] = _mean(
        [r.citation_precision for r in cited if r.citation_precision is not None]
    )
    summary["citation_recall"] = _mean(
        [r.citation_recall for r in cited if r.citation_recall is not None]
    )
    summary["other_article_rate"] = _mean([float(bool(r.other_articles)) for r in answered])
    summary["out_of_scope_answers"] = sum(1 for r in results if r.out_of_scope)
    right = [r for r in answerable if r.correct]
    summary["lead_rate"] = _mean([float(bool(r.lead)) for r in right])
    summary["lead_precision"] = _mean(
        [float(bool(r.lead_correct)) for r in right if r.lead and r.lead_correct is not None]
    )
    summary["refusal_rate"] = _mean([float(r.refused) for r in unanswerable])
    summary["false_refusal_rate"] = _mean([float(r.refused) for r in answerable])
    summary.update(latency(results))
    return summary


def aggregate(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """``{"overall": summary, "per_type": {type: summary}}`` (types sorted by name)."""
    by_type: dict[str, list[QuestionResult]] = {}
    for r in results:
        by_type.setdefault(r.type, []).append(r)
    return {
        "overall": summarize(results),
        "per_type": {t: summarize(by_type[t]) for t in sorted(by_type)},
    }
