"""Loading and validating an evaluation test set (JSON Lines, one question a line).

A malformed line would otherwise surface as a confusing ``KeyError`` deep inside a run that
may take minutes, so every line is checked up front and the error names the file and the
line number. The format::

    {"id": "q001", "question": "...", "type": "numeric",
     "history": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}],
     "any_of": ["..."], "all_of": ["..."], "evidence": "verbatim source text",
     "unanswerable": false, "filters": {...}}

``id`` and ``question`` are required. An answerable question needs ``any_of`` or
``all_of`` (otherwise correctness could not be judged); an unanswerable one must not have
them (its right answer is a refusal). Unknown keys are ignored so the file can carry notes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.errors import AssistantError
from assistant.core.types import DocumentFilter

logger = logging.getLogger(__name__)

UNTYPED = "untyped"
_ROLES = ("user", "assistant")
_KNOWN_KEYS = {
    "id",
    "question",
    "type",
    "history",
    "any_of",
    "all_of",
    "evidence",
    "unanswerable",
    "filters",
    "doc_id",
    "why",
    "split",
}


class TestSetError(AssistantError):
    """The test set cannot be used; the message names the file and line."""

    __test__ = False  # not a pytest test class despite the name


@dataclass(frozen=True)
class TestItem:
    """One question of the test set with what a right answer must contain."""

    __test__ = False

    id: str
    question: str
    type: str = UNTYPED
    history: list[dict[str, str]] = field(default_factory=list)
    any_of: list[str] = field(default_factory=list)
    all_of: list[str] = field(default_factory=list)
    evidence: str | None = None
    unanswerable: bool = False
    filters: dict[str, Any] | None = None
    doc_id: str | None = None  # the article holding the evidence
    line: int = 0

    def document_filter(self) -> DocumentFilter | None:
        """The item's filters as the assistant takes them (``filters`` stays the JSON
        an HTTP backend sends)."""
        return DocumentFilter.from_mapping(self.filters) if self.filters else None

    @property
    def expected(self) -> dict[str, Any]:
        """What the harness expected, as shown in failure lists and reports."""
        if self.unanswerable:
            return {"refusal": True}
        expected: dict[str, Any] = {}
        if self.any_of:
            expected["any_of"] = list(self.any_of)
        if self.all_of:
            expected["all_of"] = list(self.all_of)
        return expected


def _string_list(value: Any, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{key}' must be a list of non-empty strings")
    return list(value)


def _history(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ValueError("'history' must be a list of {role, content} objects")
    turns = []
    for i, turn in enumerate(value):
        if (
            not isinstance(turn, dict)
            or turn.get("role") not in _ROLES
            or not isinstance(turn.get("content"), str)
        ):
            raise ValueError(
                f"history[{i}] must be an object with role 'user' or 'assistant' "
                "and a string content"
            )
        turns.append({"role": turn["role"], "content": turn["content"]})
    return turns


def parse_item(data: Any, line: int = 0) -> TestItem:
    """Validate one decoded JSON value; raises ValueError with a plain message."""
    if not isinstance(data, dict):
        raise ValueError("each line must be a JSON object")
    item_id = data.get("id")
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        item_id = str(item_id)
    if not isinstance(item_id, str) or not item_id.strip():
        raise ValueError("'id' is required (a non-empty string)")
    question = data.get("question")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("'question' is required (a non-empty string)")
    kind = data.get("type") or UNTYPED
    if not isinstance(kind, str):
        raise ValueError("'type' must be a string")
    unanswerable = data.get("unanswerable", False)
    if not isinstance(unanswerable, bool):
        raise ValueError("'unanswerable' must be true or false")
    any_of = _string_list(data["any_of"], "any_of") if data.get("any_of") else []
    all_of = _string_list(data["all_of"], "all_of") if data.get("all_of") else []
    if unanswerable and (any_of or all_of):
        raise ValueError("an unanswerable question cannot have 'any_of' or 'all_of'")
    if not unanswerable and not (any_of or all_of):
        raise ValueError("an answerable question needs 'any_of' or 'all_of'")
    evidence = data.get("evidence")
    if evidence is not None and (not isinstance(evidence, str) or not evidence.strip()):
        raise ValueError("'evidence' must be a non-empty string")
    filters = data.get("filters")
    if filters is not None and not isinstance(filters, dict):
        raise ValueError("'filters' must be an object")
    unknown = set(data) - _KNOWN_KEYS
    if unknown:
        logger.debug("line %d: ignoring keys %s", line, ", ".join(sorted(unknown)))
    return TestItem(
        id=item_id,
        question=question,
        type=kind.strip() or UNTYPED,
        history=_history(data["history"]) if data.get("history") else [],
        any_of=any_of,
        all_of=all_of,
        evidence=evidence or None,
        unanswerable=unanswerable,
        filters=filters or None,
        doc_id=str(data["doc_id"]) if data.get("doc_id") else None,
        line=line,
    )


def parse_testset(lines: Iterable[str], source: str = "<testset>") -> list[TestItem]:
    """Parse JSON Lines text; blank lines are skipped, ids must be unique."""
    items: list[TestItem] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise TestSetError(f"{source}:{number}: not valid JSON ({err.msg})") from err
        try:
            item = parse_item(data, number)
        except ValueError as err:
            raise TestSetError(f"{source}:{number}: {err}") from err
        if item.id in seen:
            raise TestSetError(
                f"{source}:{number}: duplicate id {item.id!r} (first on line {seen[item.id]})"
            )
        seen[item.id] = number
        items.append(item)
    if not items:
        raise TestSetError(f"{source}: no questions")
    return items


def load_testset(path: Path | str) -> list[TestItem]:
    """Read and validate a ``.jsonl`` test set."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise TestSetError(f"{path}: no such test set") from err
    except UnicodeDecodeError as err:
        raise TestSetError(f"{path}: not UTF-8 ({err.reason})") from err
    return parse_testset(text.splitlines(), str(path))


def select(
    items: list[TestItem], types: Iterable[str] | None = None, limit: int | None = None
) -> list[TestItem]:
    """Keep the questions of the given types (all when None), then the first ``limit``."""
    wanted = {t for t in types or () if t}
    chosen = [item for item in items if not wanted or item.type in wanted]
    return chosen[:limit] if limit is not None and limit >= 0 else chosen
