"""Running a test set: ask every question, in-process or over HTTP, and score the answers.

Both backends yield :class:`~assistant.answer.types.Answer` objects, so scoring is the
same either way; running against ``--api`` measures the deployed service (HTTP, batching,
auth included), in-process measures the library alone. A question that fails is recorded
as a wrong answer with its error, so one bad question never loses the whole run, while
errors that would fail every question (service unreachable, key rejected) stop it at once.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, Protocol

import httpx
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from assistant.answer.types import Answer, Citation
from assistant.core.config import Settings
from assistant.core.errors import AssistantError
from assistant.core.types import ArticleScope, DocumentFilter, Passage
from assistant.eval.metrics import QuestionResult, error_result, score_answer
from assistant.eval.testset import TestItem

logger = logging.getLogger(__name__)

API_KEY_ENV = "ASSISTANT_EVAL_API_KEY"
ASK_PATH = "/api/ask"


class RunAborted(AssistantError):
    """An error every further question would hit too (service down, key rejected)."""


class Backend(Protocol):
    """Something that answers a test item."""

    name: str

    def ask(self, item: TestItem) -> Answer: ...


class AskingAssistant(Protocol):
    def ask(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: DocumentFilter | None = None,
    ) -> Answer: ...


class InProcessBackend:
    """Calls :meth:`Assistant.ask` directly."""

    name = "in-process"

    def __init__(self, assistant: AskingAssistant) -> None:
        self.assistant = assistant

    def ask(self, item: TestItem) -> Answer:
        return self.assistant.ask(
            item.question, history=item.history or None, filters=item.document_filter()
        )


def _pick(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def answer_from_dict(data: dict[str, Any]) -> Answer:
    """Rebuild an :class:`Answer` from the API's JSON (``Answer.to_dict()``)."""
    passages = [
        Passage(
            **_pick(Passage, {"chunk_id": -1, **p, "text": p.get("text") or ""}),
            scope=ArticleScope(place_keys=list(p.get("places") or [])),
        )
        for p in data.get("passages") or []
    ]
    citations = [Citation(**_pick(Citation, c)) for c in data.get("citations") or []]
    related = [
        Passage(**_pick(Passage, {"chunk_id": -1, "text": r.get("quote", ""), **r}))
        for r in data.get("related") or []
    ]
    return Answer(
        answer=str(data.get("answer") or ""),
        answerable=bool(data.get("answerable")),
        mode=data.get("mode", "extractive"),
        query=str(data.get("query") or ""),
        citations=citations,
        passages=passages,
        timings_ms={k: float(v) for k, v in (data.get("timings_ms") or {}).items()},
        related=related,
        message=data.get("message"),
        scope=dict(data.get("scope") or {}),
    )


class ApiBackend:
    """POSTs to ``{url}/api/ask`` with the key as ``Authorization: Bearer``.

    A 429 or 503 with ``Retry-After`` is waited out and retried (a few times), so the
    service's rate limit slows the run down instead of turning answers into errors; the
    harness's ``wall`` latency then includes the wait, the service's own timings do not.
    """

    name = "api"
    max_retries = 5
    max_wait_s = 60.0

    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        timeout_s: float = 120.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self.url = url.rstrip("/")
        self.client = httpx.Client(
            base_url=self.url, headers=headers, timeout=timeout_s, transport=transport
        )
        self._sleep = sleep

    def _post(self, payload: dict[str, Any]) -> httpx.Response:
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.post(ASK_PATH, json=payload)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                raise RunAborted(f"Cannot reach {self.url}{ASK_PATH}: {err}") from err
            retry_after = response.headers.get("Retry-After", "")
            if response.status_code not in (429, 503) or attempt == self.max_retries:
                return response
            try:
                wait = min(self.max_wait_s, max(0.0, float(retry_after)))
            except ValueError:
                wait = min(self.max_wait_s, 2.0**attempt)
            logger.warning(
                "HTTP %d from the service; retrying in %.0f s (raise its rate limit for "
                "faster evaluation)",
                response.status_code,
                wait,
            )
            self._sleep(wait)
        raise AssertionError("unreachable")

    def ask(self, item: TestItem) -> Answer:
        payload: dict[str, Any] = {"question": item.question}
        if item.history:
            payload["history"] = item.history
        if item.filters:
            payload["filters"] = item.filters
        response = self._post(payload)
        if response.status_code in (401, 403):
            raise RunAborted(
                f"{self.url}{ASK_PATH} refused the request (HTTP {response.status_code}); "
                f"pass --api-key or set {API_KEY_ENV}."
            )
        if response.status_code >= 400:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:300]}")
        return answer_from_dict(response.json())

    def close(self) -> None:
        self.client.close()


@dataclass
class RunResult:
    """The scored results of one run and how long it took."""

    results: list[QuestionResult]
    wall_s: float
    started_at: str
    backend: str
    extra: dict[str, Any] = field(default_factory=dict)


def run(items: Sequence[TestItem], backend: Backend, *, progress: bool = True) -> RunResult:
    """Ask every question in order and score it, with a progress bar on stderr."""
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results: list[QuestionResult] = []
    correct = 0
    run_start = time.perf_counter()
    bar = tqdm(items, desc="eval", unit="q", file=sys.stderr, disable=not progress)
    # log lines (the assistant logs every question) go above the bar instead of through it
    redirect = logging_redirect_tqdm() if progress else contextlib.nullcontext()
    with bar, redirect:
        for item in bar:
            start = time.perf_counter()
            try:
                answer = backend.ask(item)
            except RunAborted:
                raise
            except Exception as err:
                wall_ms = (time.perf_counter() - start) * 1000.0
                logger.warning("%s: %s: %s", item.id, type(err).__name__, err)
                result = error_result(item, f"{type(err).__name__}: {err}", wall_ms)
            else:
                wall_ms = (time.perf_counter() - start) * 1000.0
                result = score_answer(item, answer, wall_ms)
            if result.failed:
                logger.debug(
                    "%s failed: expected %s, got %r", item.id, item.expected, result.answer
                )
            correct += result.correct
            results.append(result)
            bar.set_postfix(acc=f"{correct / len(results):.2f}")
    return RunResult(
        results=results,
        wall_s=time.perf_counter() - run_start,
        started_at=started_at,
        backend=backend.name,
    )


def config_snapshot(settings: Settings, embedding_dim: int | None = None) -> dict[str, Any]:
    """The settings that move the metrics, stored with every report so runs compare."""
    return {
        "chunk_size": settings.chunk_size,
        "chunk_overlap": settings.chunk_overlap,
        "fusion": settings.fusion,
        "model": settings.model,
        "embedding_dim": embedding_dim if embedding_dim is not None else settings.embedding_dim,
        "top_k": settings.tuning.top_k,
        "answer_mode": settings.answer_mode,
        "home_place": settings.home_place,
        "tuning": settings.tuning.report(),
    }
