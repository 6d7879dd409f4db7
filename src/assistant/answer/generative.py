"""Generative answers: a language model rewrites the retrieved passages into a fluent
answer, and the answer is only shown if it still cites and copies them faithfully.

The extractive answer is always computed first. It is the gate (when it refuses, the
model is never called: the articles do not answer, and a fluent model would only be
tempted to invent) and the fallback (when the endpoint fails, times out or the generated
text fails :func:`~assistant.answer.validate.validate_answer`). ``Answer.mode`` says which
of the two produced the response.

The model is any OpenAI-compatible chat endpoint (``POST {llm_base_url}/chat/completions``
with ``temperature`` 0), reached with plain ``httpx``: no SDK, so a local server (llama.cpp,
vLLM, Ollama) and a hosted one are configured the same way. The prompts are Vietnamese
templates in the package's ``prompts/`` folder (see its README), loaded once.

Citations of a generated answer are still exact spans of the source documents: for each
``[n]`` of a sentence, the sentence of passage ``n`` that best supports it (shares its
numbers, then most of its words) is quoted, and the markers are renumbered in order of
first use.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from assistant.answer.refusal import NOT_FOUND_VI
from assistant.answer.types import Answer, Citation, citation_for, refusal
from assistant.answer.validate import (
    MARKER,
    Validation,
    marker_numbers,
    numbers_in,
    validate_answer,
)
from assistant.core.config import Settings
from assistant.core.errors import AssistantError
from assistant.core.resources import packaged
from assistant.core.types import Passage
from assistant.core.words import STOPWORDS
from assistant.text.sentences import split_sentences
from assistant.text.vietnamese import is_numberlike, lexical_terms, raw_tokens, token_variants

logger = logging.getLogger(__name__)

# The package's prompts/ folder (package data: there in a source checkout and an install).
DEFAULT_PROMPTS_DIR = packaged("prompts")
SYSTEM_TEMPLATE = "answer_system.vi.md"
USER_TEMPLATE = "answer_user.vi.md"

GENERATE_PASSAGES = 6  # top passages numbered [1]..[k] in the prompt
HISTORY_TURNS = 6  # most recent turns shown to the model
HISTORY_TURN_CHARS = 600

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")
_MARKER_WITH_SPACE = re.compile(rf"\s*{MARKER.pattern}")
_REASONING = re.compile(r"^\s*<think>.*?</think>\s*", re.DOTALL)


class GenerationError(AssistantError):
    """The endpoint failed, timed out or answered something that is not a completion."""


class PromptError(AssistantError):
    """A prompt template is missing or uses an unknown placeholder."""


# --- prompts ---------------------------------------------------------------------------


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``{name}`` placeholders in one pass (``{{`` and ``}}`` are literal braces).

    Unlike ``str.format`` the values are never parsed, so braces, ``{0}`` or
    ``{__class__}`` inside an article or a question are just text."""

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name not in values:
            raise PromptError(f"unknown placeholder {token} in a prompt template")
        return values[name]

    return _PLACEHOLDER.sub(fill, template)


def as_data(text: str) -> str:
    """Text from an article, the history or the user, made unable to open or close a
    block of the prompt: angle brackets become look-alike guillemets, so "</passage>"
    inside an article stays inside its passage."""
    return text.replace("<", "‹").replace(">", "›")


@dataclass(frozen=True)
class Prompts:
    """The system and user templates of the answer prompt."""

    system: str
    user: str

    @classmethod
    def load(cls, folder: Path | None = None) -> Prompts:
        """Read the templates from ``folder`` (default: the package's prompts/) and
        check their placeholders now rather than at the first question."""
        folder = Path(folder) if folder is not None else DEFAULT_PROMPTS_DIR
        texts: dict[str, str] = {}
        for name in (SYSTEM_TEMPLATE, USER_TEMPLATE):
            path = folder / name
            try:
                texts[name] = path.read_text(encoding="utf-8").strip()
            except OSError as err:
                raise PromptError(
                    f"prompt template {name} not found in {folder} "
                    "(set ASSISTANT_PROMPTS_DIR to the folder holding the templates)"
                ) from err
        prompts = cls(system=texts[SYSTEM_TEMPLATE], user=texts[USER_TEMPLATE])
        prompts.check()
        return prompts

    def check(self) -> None:
        """The system template must say {not_found}; the user template must hold
        {question} and {passages} (and may hold {history})."""
        expected = {
            "system": (self.system, {"not_found"}, {"not_found"}),
            "user": (self.user, {"question", "passages"}, {"question", "passages", "history"}),
        }
        for label, (template, required, allowed) in expected.items():
            used = {m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)}
            if not required <= used:
                raise PromptError(f"the {label} prompt lacks {sorted(required - used)}")
            if used - allowed:
                raise PromptError(f"the {label} prompt uses unknown {sorted(used - allowed)}")


def format_passages(passages: Sequence[Passage]) -> str:
    """The numbered passages, each in its own ``<passage id="n">`` block with its title
    and publication date (the model may cite those too)."""
    blocks = []
    for n, p in enumerate(passages, start=1):
        blocks.append(
            f'<passage id="{n}">\n'
            f"Tiêu đề: {as_data(p.title)}\n"
            f"Ngày đăng: {as_data(p.published_at or 'không rõ')}\n"
            f"Nội dung:\n{as_data(p.text.strip())}\n"
            "</passage>"
        )
    return "\n\n".join(blocks)


def format_history(history: Sequence[Mapping[str, Any]] | None) -> str:
    """The last turns as "Người dùng: …" / "Trợ lý: …" lines. Markers are removed from
    earlier answers: their numbers referred to other passages."""
    lines = []
    for turn in list(history or [])[-HISTORY_TURNS:]:
        role = turn.get("role")
        content = " ".join(str(turn.get("content") or "").split())
        if role not in ("user", "assistant") or not content:
            continue
        if role == "assistant":
            content = _MARKER_WITH_SPACE.sub("", content)
        if len(content) > HISTORY_TURN_CHARS:
            content = content[:HISTORY_TURN_CHARS] + "…"
        speaker = "Người dùng" if role == "user" else "Trợ lý"
        lines.append(f"{speaker}: {as_data(content)}")
    return "\n".join(lines) or "(không có)"


def build_messages(
    prompts: Prompts,
    question: str,
    passages: Sequence[Passage],
    history: Sequence[Mapping[str, Any]] | None = None,
    *,
    query: str | None = None,
    not_found: str = NOT_FOUND_VI,
) -> list[dict[str, str]]:
    """The chat messages: the rules as the system message, the data (history, passages,
    question) as one user message. ``query`` is the standalone rewrite of a follow-up,
    shown next to the question when it differs."""
    asked = question.strip()
    if query and query.strip() != asked:
        asked = f"{asked}\n(Diễn đạt đầy đủ: {query.strip()})"
    return [
        {"role": "system", "content": render(prompts.system, {"not_found": not_found})},
        {
            "role": "user",
            "content": render(
                prompts.user,
                {
                    "question": as_data(asked),
                    "passages": format_passages(passages),
                    "history": format_history(history),
                },
            ),
        },
    ]


# --- the endpoint ------------------------------------------------------------------------


class ChatClient:
    """Minimal OpenAI-compatible chat-completions client (plain and SSE streaming).

    Thread-safe: one ``httpx.Client`` (a connection pool) is shared by the service's
    worker threads. ``timeout_s`` bounds each network step and, for a stream, the whole
    reply (a server that trickles tokens forever is cut off)."""

    def __init__(
        self, base_url: str, model: str, api_key: str | None = None, timeout_s: float = 60.0
    ) -> None:
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.timeout_s = timeout_s
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.Client(headers=headers, timeout=httpx.Timeout(timeout_s))

    def close(self) -> None:
        self._http.close()

    def _payload(self, messages: Sequence[Mapping[str, str]], stream: bool) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": list(messages),
            "temperature": 0,
            "stream": stream,
        }

    def complete(self, messages: Sequence[Mapping[str, str]]) -> str:
        """The whole reply of a non-streaming request."""
        try:
            response = self._http.post(self.url, json=self._payload(messages, False))
        except httpx.HTTPError as err:
            raise GenerationError(f"chat endpoint unreachable: {err!r}") from err
        _raise_for_status(response)
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, LookupError, TypeError) as err:
            raise GenerationError(f"not a chat completion: {response.text[:200]!r}") from err
        if not isinstance(content, str):
            raise GenerationError("the completion has no text content")
        return content

    def stream(self, messages: Sequence[Mapping[str, str]]) -> Iterator[str]:
        """The reply's text pieces as they arrive (``stream: true``, SSE). Closing the
        iterator closes the connection, so a caller can stop a reply it already rejects."""
        deadline = time.monotonic() + self.timeout_s
        try:
            with self._http.stream("POST", self.url, json=self._payload(messages, True)) as resp:
                if resp.status_code >= 400:
                    resp.read()
                    _raise_for_status(resp)
                for line in resp.iter_lines():
                    if time.monotonic() > deadline:
                        raise GenerationError(f"no complete reply within {self.timeout_s:g} s")
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        return
                    piece = _delta_text(data)
                    if piece:
                        yield piece
        except httpx.HTTPError as err:
            raise GenerationError(f"chat endpoint failed while streaming: {err!r}") from err


def _raise_for_status(response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise GenerationError(
            f"chat endpoint answered HTTP {response.status_code}: {response.text[:200]!r}"
        )


def _delta_text(data: str) -> str:
    """The text of one ``chat.completion.chunk``; an ``error`` object ends the stream."""
    try:
        chunk = json.loads(data)
    except ValueError as err:
        raise GenerationError(f"not a JSON chunk: {data[:200]!r}") from err
    if not isinstance(chunk, dict):
        raise GenerationError(f"not a completion chunk: {data[:200]!r}")
    if "error" in chunk:
        raise GenerationError(f"chat endpoint error: {chunk['error']!r}")
    choices = chunk.get("choices") or []
    if not choices:  # e.g. the final usage chunk
        return ""
    content = (choices[0].get("delta") or {}).get("content")
    return content if isinstance(content, str) else ""


# --- citations -----------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {t for t in lexical_terms(text)[1] if t not in STOPWORDS}


def _numbers(text: str) -> set[str]:
    return {v for t in raw_tokens(text) if is_numberlike(t) for v in token_variants(t)}


def best_support(claim: str, passage_text: str) -> tuple[int, int]:
    """Local span of the sentence of ``passage_text`` that best supports ``claim``: the
    most shared numbers first (a figure pins the sentence down), then the most shared
    words; the earlier sentence on a tie."""
    spans = split_sentences(passage_text) or [(0, len(passage_text))]
    numbers = set(numbers_in(claim))
    words = _words(claim)

    def support(item: tuple[int, tuple[int, int]]) -> tuple[int, int, int]:
        i, (start, end) = item
        sentence = passage_text[start:end]
        return (len(numbers & _numbers(sentence)), len(words & _words(sentence)), -i)

    return max(enumerate(spans), key=support)[1]


def ground(result: Validation, passages: Sequence[Passage]) -> tuple[str, list[Citation]]:
    """Citations of a validated answer and its text with the markers renumbered.

    Each (sentence, ``[n]``) becomes the exact document span of the best-supporting
    sentence of passage ``n``; equal spans share a number; numbers follow first use."""
    citations: list[Citation] = []
    numbered: dict[tuple[str, int, int], int] = {}
    renumber: list[tuple[int, int, list[int]]] = []  # marker span → new numbers
    for claim in result.claims:
        new: dict[int, int] = {}
        for n in claim.cites:
            passage = passages[n - 1]
            local_start, local_end = best_support(claim.text, passage.text)
            key = (passage.doc_id, passage.start + local_start, passage.start + local_end)
            if key not in numbered:
                numbered[key] = len(citations) + 1
                quote = passage.text[local_start:local_end]
                citations.append(citation_for(numbered[key], passage, key[1], key[2], quote))
            new[n] = numbered[key]
        for marker in claim.markers:
            renumber.append(
                (marker.start, marker.end, list(dict.fromkeys(new[n] for n in marker.numbers)))
            )
    parts: list[str] = []
    position = 0
    for start, end, numbers in sorted(renumber):
        parts.append(result.text[position:start])
        parts.append("".join(f"[{n}]" for n in numbers))
        position = end
    parts.append(result.text[position:])
    return "".join(parts), citations


# --- the composer ---------------------------------------------------------------------------


class GenerativeComposer:
    """Turns an extractive answer that did not refuse into a validated generated one, or
    returns it unchanged (the fallback). Shared by the service's threads: it holds no
    per-question state."""

    def __init__(
        self,
        client: ChatClient,
        prompts: Prompts,
        *,
        max_passages: int = GENERATE_PASSAGES,
        not_found: str = NOT_FOUND_VI,
    ) -> None:
        self.client = client
        self.prompts = prompts
        self.max_passages = max_passages
        self.not_found = not_found

    @classmethod
    def from_settings(cls, settings: Settings) -> GenerativeComposer | None:
        """The composer when ``answer_mode`` is "generative" and an endpoint is set;
        None otherwise (the answer stays extractive, unchanged)."""
        if settings.answer_mode != "generative":
            return None
        if not settings.llm_base_url:
            logger.warning(
                "answer_mode is generative but ASSISTANT_LLM_BASE_URL is not set: "
                "answers stay extractive"
            )
            return None
        client = ChatClient(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key,
            settings.llm_timeout_s,
        )
        return cls(client, Prompts.load(settings.prompts_dir))

    def compose(
        self,
        question: str,
        history: Sequence[Mapping[str, Any]] | None,
        extractive: Answer,
        *,
        stream: bool = False,
    ) -> Answer:
        """The generated answer if it passes validation, else ``extractive``.

        With ``stream`` the reply is read as SSE into a buffer and abandoned as soon as it
        cites a passage that does not exist; either way the text is validated whole
        before anything is shown (markers are renumbered afterwards, so no piece of the
        raw reply could be shown as is)."""
        shown = extractive.passages[: self.max_passages]
        if not shown:
            return extractive
        messages = build_messages(
            self.prompts,
            question,
            shown,
            history,
            query=extractive.query,
            not_found=self.not_found,
        )
        try:
            if stream:
                text = _collect(self.client.stream(messages), len(shown))
            else:
                text = self.client.complete(messages)
            text = _REASONING.sub("", text)
            result = validate_answer(text, shown, self.not_found)
            if not result.ok:
                logger.warning(
                    "generated answer rejected, extractive answer kept: %s",
                    "; ".join(result.problems),
                )
                return extractive
            if result.refusal:
                return self._refusal(extractive)
            answer_text, citations = ground(result, shown)
        except GenerationError as err:
            logger.warning("generation failed, extractive answer kept: %s", err)
            return extractive
        except Exception as err:  # the optional mode must never fail a question
            logger.error("generation crashed, extractive answer kept: %s", err, exc_info=err)
            return extractive
        return Answer(
            answer=answer_text,
            answerable=True,
            mode="generative",
            query=extractive.query,
            citations=citations,
            passages=extractive.passages,
            support=extractive.support,
        )

    def _refusal(self, extractive: Answer) -> Answer:
        """The model found no answer in the passages: a refusal, like the extractive one."""
        return refusal(
            extractive.query,
            extractive.passages,
            self.not_found,
            mode="generative",
            support=extractive.support,
        )


def _collect(pieces: Iterable[str], n_passages: int) -> str:
    """Buffer a streamed reply; stop reading (and close the connection) at the first
    marker naming a passage that was not given, since the reply will be rejected."""
    buffer: list[str] = []
    checked = 0
    iterator = iter(pieces)
    try:
        for piece in iterator:
            buffer.append(piece)
            text = "".join(buffer)
            for match in MARKER.finditer(text, max(0, checked - 16)):
                if any(not 1 <= n <= n_passages for n in marker_numbers(match)):
                    raise GenerationError(f"reply cites {match.group(0)}: no such passage")
            checked = len(text)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    return "".join(buffer)
