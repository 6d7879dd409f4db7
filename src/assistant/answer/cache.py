"""A bounded LRU of whole answers, for the questions readers ask over and over.

Why: portal readers click the same suggested questions again and again, and each one used
to be understood, embedded, retrieved and composed anew although nothing it depends on
had changed. An answer depends on exactly these inputs, which make the key:

* the question, normalised only in ways that cannot change the answer (Unicode NFC,
  runs of white space collapsed, ends stripped); letter case is kept, since names are
  recognised by their capitals;
* the conversation history (a follow-up is rewritten with it), normalised the same way;
* the document filters of the request;
* the answer mode (extractive or generative);
* the index generation, which moves with every committed change (ingest, delete, sync):
  an answer is never served from an older state of the index. Entries of an older
  generation can never be hit again, so they are all dropped as soon as a newer
  generation is seen.

Nothing else goes in: answering reads no clock and no randomness, and the settings are
fixed for the life of an :class:`~assistant.answer.assistant.Assistant` (which owns one
cache, shared by every entry point that goes through ``Assistant.ask``).

Answers are mutable dataclasses, and callers fill in or change fields (timings, scope):
the cache stores a deep copy and hands out deep copies, so no caller ever sees another's
changes. Thread-safe: the service answers in several worker threads at once.
"""

from __future__ import annotations

import copy
import json
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Any

from assistant.answer.types import Answer
from assistant.core.cache import BoundedCache
from assistant.core.types import DocumentFilter


@dataclass(frozen=True)
class AnswerKey:
    """What an answer depends on (see the module docstring)."""

    question: str
    history: str  # normalised turns as canonical JSON
    filters: tuple[Any, ...] | None
    mode: str
    generation: int


def normalise_text(text: str) -> str:
    """NFC and collapsed white space: spellings of one question that answer alike."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _normalised(value: Any) -> Any:
    """Strings normalised (recursively), everything else as it is (for the JSON key)."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, Mapping):
        return {str(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(v) for v in value]
    return value


def answer_key(
    question: str,
    history: Sequence[Mapping[str, Any]] | None,
    filters: DocumentFilter | None,
    mode: str,
    generation: int,
) -> AnswerKey:
    """The cache key of one question (see the module docstring for what goes in)."""
    turns = json.dumps(
        _normalised(list(history or [])), ensure_ascii=False, sort_keys=True, default=str
    )
    scope = None if filters is None or filters.is_empty else astuple(filters)
    return AnswerKey(normalise_text(question), turns, scope, mode, generation)


class AnswerCache:
    """Least-recently-used answers, at most ``size`` of them (0 disables the cache): a
    :class:`~assistant.core.cache.BoundedCache` that is emptied when the index moves on,
    and counts its hits and misses."""

    def __init__(self, size: int) -> None:
        self.size = max(0, int(size))
        self._entries: BoundedCache[AnswerKey, Answer] = BoundedCache(self.size)
        self._generation: int | None = None
        self._lock = threading.Lock()  # the generation and the counters
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def __len__(self) -> int:
        return len(self._entries)

    def _see_generation(self, generation: int) -> None:
        """Drop everything when the index has moved on (call with the lock held)."""
        if self._generation is None or generation > self._generation:
            self._entries.clear()
            self._generation = generation

    def get(self, key: AnswerKey) -> Answer | None:
        """A copy of the cached answer for ``key``, or None (counted as a miss)."""
        if not self.enabled:
            return None
        with self._lock:
            self._see_generation(key.generation)
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            return copy.deepcopy(found)

    def put(self, key: AnswerKey, answer: Answer) -> None:
        """Remember a copy of ``answer``, evicting the least recently used beyond size.

        An answer computed against a generation older than the newest one seen is not
        stored: the index changed while it was being composed."""
        if not self.enabled:
            return
        stored = copy.deepcopy(answer)
        with self._lock:
            self._see_generation(key.generation)
            if key.generation != self._generation:
                return
            self._entries.put(key, stored)

    def clear(self) -> None:
        self._entries.clear()
