"""Typed dependencies of the routes: the settings, the loaded services, API-key checks.

:class:`Services` is the one object per application that owns the run-time state: the
assistant (absent until the model and index are loaded), the ingestor that writes to the
same index, and the thread pools that keep CPU-bound work off the event loop.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.answer.assistant import Assistant
from assistant.answer.events import AnswerSource
from assistant.api.answering import Answering
from assistant.api.batching import MicroBatchingEmbedder
from assistant.api.errors import ApiError
from assistant.api.metrics import Metrics
from assistant.core.config import Settings
from assistant.core.types import Document
from assistant.feedback.store import FeedbackStore, open_feedback
from assistant.feedback.suggestions import Suggester
from assistant.ingest.pipeline import Ingestor, IngestSummary
from assistant.sync.follow import Follower

logger = logging.getLogger(__name__)

T = TypeVar("T")

NOT_READY_VI = "Trợ lý đang khởi động (nạp mô hình và chỉ mục). Vui lòng thử lại sau ít giây."


class Services:
    """Run-time state shared by all requests of one application."""

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.assistant: Assistant | None = None
        self.ingestor: Ingestor | None = None
        self.batcher: MicroBatchingEmbedder | None = None
        self._owns_batcher = False
        self.load_error: str | None = None
        self.started_at = time.time()
        self.write_lock = threading.Lock()  # one writer at a time inside this process
        self.follower: Follower | None = None
        self.answering: Answering | None = None
        self.suggester: Suggester | None = None
        self._write_limiter: anyio.CapacityLimiter | None = None
        self._feedback: FeedbackStore | None = None
        self._feedback_lock = threading.Lock()  # requests in threads open it once

    # --- wiring ---------------------------------------------------------------------
    def attach(
        self,
        assistant: Assistant,
        batcher: MicroBatchingEmbedder | None = None,
        *,
        owned: bool = False,
    ) -> None:
        """Make ``assistant`` (and an ingestor on its index) available to requests.

        When the assistant's embedder batches queries, bulk ingest goes through its
        yielding view, so a push holds a question up for one small slice at most.
        ``owned`` says this application created the batcher and stops it at shutdown.
        """
        if batcher is None and isinstance(assistant.embedder, MicroBatchingEmbedder):
            batcher = assistant.embedder
        if batcher is not None and batcher.on_batch is None:
            batcher.on_batch = self.metrics.observe_batch
        bulk = batcher.background() if batcher else None
        self.ingestor = Ingestor.from_settings(
            assistant.index, bulk or assistant.embedder, self.settings
        )
        if self.follower is not None:
            self.follower.stop()
        self.follower = Follower(self.settings, self.ingestor, self.write_lock)
        self.batcher = batcher
        self._owns_batcher = owned
        self.answering = Answering(
            AnswerSource(assistant), self.metrics, self.settings.max_batch_size
        )
        self.suggester = Suggester(assistant.index)
        self.assistant = assistant
        self.load_error = None

    def close(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        if self._feedback is not None:
            self._feedback.close()
        if self.batcher is not None and self._owns_batcher:
            self.batcher.close()

    @property
    def ready(self) -> bool:
        return self.assistant is not None

    def require_follower(self) -> Follower:
        """The sync follower (it writes through the loaded index), or 503 while loading."""
        self.require_assistant()
        assert self.follower is not None
        return self.follower

    def require_assistant(self) -> Assistant:
        if self.assistant is None:
            raise ApiError(503, "not_ready", NOT_READY_VI, headers={"Retry-After": "5"})
        return self.assistant

    @property
    def feedback(self) -> FeedbackStore:
        """Readers' feedback (the index's database, or the file next to the index); it
        needs neither the model nor the index to be loaded."""
        with self._feedback_lock:
            if self._feedback is None:
                self._feedback = open_feedback(self.settings)
            return self._feedback

    def require_suggester(self) -> Suggester:
        """The suggested questions of the loaded index, or 503 while loading."""
        self.require_assistant()
        assert self.suggester is not None
        return self.suggester

    # --- work off the event loop ----------------------------------------------------
    def require_answering(self) -> Answering:
        """The door to answers, or 503 while the model and index are loading."""
        self.require_assistant()
        assert self.answering is not None
        return self.answering

    async def run_write(self, func: Callable[..., T], *args: Any) -> T:
        """Run an index change in a worker thread, one at a time (questions go on)."""
        if self._write_limiter is None:
            self._write_limiter = anyio.CapacityLimiter(1)

        def locked() -> T:
            with self.write_lock:
                return func(*args)

        return await anyio.to_thread.run_sync(locked, limiter=self._write_limiter)

    async def ingest(self, documents: Sequence[Document]) -> IngestSummary:
        self.require_assistant()
        assert self.ingestor is not None
        return await self.run_write(self.ingestor.ingest_documents, list(documents))

    async def delete(self, doc_id: str) -> bool:
        assistant = self.require_assistant()
        return await self.run_write(assistant.index.delete, doc_id)


def get_services(request: Request) -> Services:
    services = request.app.state.services
    assert isinstance(services, Services)
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_settings(services: ServicesDep) -> Settings:
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_answering(services: ServicesDep) -> Answering:
    """The door to answers, or 503 while the model and index are still loading."""
    return services.require_answering()


AnsweringDep = Annotated[Answering, Depends(get_answering)]


def get_assistant(services: ServicesDep) -> Assistant:
    """The loaded assistant, or 503 while the model and index are still loading."""
    return services.require_assistant()


AssistantDep = Annotated[Assistant, Depends(get_assistant)]

# Declared for the OpenAPI "Authorize" button; the checks below read the header directly
# so that a missing header and a wrong scheme get their own messages.
bearer_scheme = HTTPBearer(
    auto_error=False,
    description="API key from ASSISTANT_API_KEYS, sent as `Authorization: Bearer <key>`.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def _check_key(request: Request, keys: Sequence[str], purpose: str) -> None:
    """Raise 401 (no usable Bearer credentials) or 403 (no keys configured, wrong key)."""
    if not keys:
        logger.warning("%s refused: no API keys configured (set ASSISTANT_API_KEYS)", purpose)
        raise ApiError(
            403,
            "keys_not_configured",
            "Chức năng này đang tắt vì máy chủ chưa có khóa truy cập. Quản trị viên cần đặt "
            "biến môi trường ASSISTANT_API_KEYS (các khóa cách nhau bằng dấu phẩy) rồi khởi "
            "động lại dịch vụ.",
        )
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header or scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "missing_api_key" if not header else "invalid_auth_scheme",
            "Cần khóa truy cập: gửi tiêu đề “Authorization: Bearer <khóa>”.",
            headers={"WWW-Authenticate": 'Bearer realm="assistant"'},
        )
    given = token.strip().encode("utf-8")
    matched = False
    for key in keys:  # compare with every key: timing says nothing about which matched
        matched |= hmac.compare_digest(given, key.encode("utf-8"))
    if not matched:
        logger.warning("%s refused: wrong API key", purpose)
        raise ApiError(403, "invalid_api_key", "Khóa truy cập không đúng.")


def require_write_key(request: Request, services: ServicesDep, _: Credentials) -> None:
    """Writes always need a configured key."""
    _check_key(request, services.settings.api_keys, "write")


def require_read_key(request: Request, services: ServicesDep, _: Credentials) -> None:
    """Reads need a key only when ASSISTANT_READ_REQUIRES_KEY is set."""
    if services.settings.read_requires_key:
        _check_key(request, services.settings.api_keys, "read")


ReadAccess = Depends(require_read_key)
WriteAccess = Depends(require_write_key)
