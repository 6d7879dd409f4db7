"""The FastAPI application: ``create_app(settings, assistant)``.

One process holds one copy of the model: the lifespan loads the embedding model and the
index once, in a worker thread, so the process answers liveness probes at once and
readiness (``/api/ready``) as soon as loading is done. An injected assistant (tests,
embedding in another program) is used as is and nothing is loaded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from importlib.metadata import PackageNotFoundError, version

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import Headers
from starlette.responses import Response

from assistant.answer.assistant import Assistant
from assistant.api.batching import MicroBatchingEmbedder
from assistant.api.deps import Services
from assistant.api.errors import ApiError, install_error_handlers
from assistant.api.metrics import Metrics, ObservationMiddleware
from assistant.api.ratelimit import (
    BodySizeLimitMiddleware,
    ClientIdentity,
    RateLimitMiddleware,
    TokenBucketLimiter,
)
from assistant.api.routes import ask, docs, documents, feedback, health, openai, sync, web
from assistant.core.config import Settings, get_settings

logger = logging.getLogger(__name__)

DESCRIPTION = """\
Trợ lý hỏi đáp trên các bài viết của cổng thông tin: mỗi ý trong câu trả lời đều có trích
dẫn `[n]` trỏ tới đoạn văn gốc.

* **Hỏi đáp**: `POST /api/ask` (JSON) và `POST /api/ask/stream` (Server-Sent Events).
* **Tương thích OpenAI**: `POST /v1/chat/completions`, `GET /v1/models` — dùng được với
  thư viện `openai` bằng cách đặt `base_url` là `http://<máy chủ>/v1`.
* **Bài viết**: thêm/cập nhật, liệt kê, xem toàn văn, xóa (`/api/documents`); tự động
  theo dõi RSS/Atom và sitemap của cổng thông tin (`/api/sync`).
* **Vận hành**: `/api/health`, `/api/ready`, `/api/stats`, `/metrics`.

**Khóa truy cập.** Các thao tác ghi cần tiêu đề `Authorization: Bearer <khóa>` (khóa đặt
trong biến môi trường `ASSISTANT_API_KEYS`); thao tác đọc cũng cần khóa khi
`ASSISTANT_READ_REQUIRES_KEY=true`.

**Lỗi.** Mọi lỗi có dạng `{"error": {"code": "...", "message": "..."}}`; `message` bằng
tiếng Việt, hiển thị được ngay cho người đọc. Khi gửi quá nhiều yêu cầu, máy chủ trả 429
kèm tiêu đề `Retry-After` (số giây cần chờ).
"""

TAGS = [
    {"name": "Hỏi đáp", "description": "Đặt câu hỏi, nhận câu trả lời có trích dẫn."},
    {"name": "Tương thích OpenAI", "description": "Giao thức chat completions của OpenAI."},
    {"name": "Bài viết", "description": "Quản lý các bài viết được dùng để trả lời."},
    {"name": "Góp ý và gợi ý", "description": "Đánh giá của bạn đọc và câu hỏi gợi ý."},
    {"name": "Vận hành", "description": "Kiểm tra tình trạng, thống kê và chỉ số."},
]


class JsonCORSMiddleware(CORSMiddleware):
    """CORS with the API's error shape for refused pre-flight requests."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        headers = {
            key: value
            for key, value in response.headers.items()
            if key.lower() not in ("content-type", "content-length")
        }
        return ApiError(
            response.status_code,
            "cors_rejected",
            "Trang web này không được phép gọi API của trợ lý (CORS).",
            headers=headers,
        ).response()


def _version() -> str:
    try:
        return version("assistant")
    except PackageNotFoundError:
        return "0"


def load_assistant(services: Services) -> None:
    """Load the model and the index (blocking; run in a worker thread at start-up)."""
    from assistant.runtime import build_embedder, index_exists, open_index

    settings = services.settings
    try:
        embedder = build_embedder(settings)
        if not index_exists(settings):
            logger.warning(
                "No index at %s: starting with an empty one. Push articles with "
                "POST /api/documents or run `assistant ingest PATH...`.",
                settings.index_dir,
            )
        index = open_index(settings, embedder, create=True)
        batcher = MicroBatchingEmbedder(
            embedder,
            window_ms=settings.batch_window_ms,
            max_batch_size=settings.max_batch_size,
            on_batch=services.metrics.observe_batch,
        )
        assistant = Assistant(index, batcher, settings)
        embedder.embed_queries(["khởi động"])  # load the weights now, not at the first question
        index.load()
        services.attach(assistant, batcher, owned=True)
        assert services.follower is not None
        services.follower.start()  # follow the portal's feeds, when configured
        threading.Thread(target=_warm, args=(assistant,), name="warm", daemon=True).start()
    except Exception as err:
        services.load_error = str(err)
        logger.error("The assistant could not be loaded: %s", err)
        return
    logger.info("Ready: %s documents in %s", index.counts()["documents"], index.store.location)


def _warm(assistant: Assistant) -> None:
    """Pre-compute the answer segments' vectors so the first questions are fast."""
    started = time.perf_counter()
    try:
        chunks = assistant.warm()
    except Exception as err:  # warming is an optimisation: never take the service down
        logger.warning("Warming the answer cache stopped: %s", err)
        return
    logger.info("Answer cache warm: %d chunks in %.1f s", chunks, time.perf_counter() - started)


def create_app(settings: Settings | None = None, assistant: Assistant | None = None) -> FastAPI:
    """The application. Without ``assistant`` the model and index of ``settings`` are
    loaded at start-up (in the lifespan)."""
    settings = settings or get_settings()
    services = Services(settings, Metrics())
    if assistant is not None:
        services.attach(assistant)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            if services.assistant is None:
                load = partial(anyio.to_thread.run_sync, abandon_on_cancel=True)
                group.start_soon(load, load_assistant, services)
            elif services.follower is not None:
                services.follower.start()
            try:
                yield
            finally:
                group.cancel_scope.cancel()
                services.close()

    app = FastAPI(
        title="Trợ lý hỏi đáp tin tức",
        description=DESCRIPTION,
        version=_version(),
        openapi_tags=TAGS,
        lifespan=lifespan,
        # FastAPI's pages load their files from a CDN; routes/docs.py serves them locally
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)

    # Added innermost first: observation wraps everything, so 413 and 429 are logged,
    # counted and carry the request id and the CORS headers.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        RateLimitMiddleware,
        limiter=TokenBucketLimiter(settings.rate_limit),
        on_limited=services.metrics.rate_limited.inc,
        identity=ClientIdentity(settings.api_keys, settings.key_rates, settings.trusted_proxies),
    )
    if settings.cors_origins:
        app.add_middleware(
            JsonCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(ObservationMiddleware, metrics=services.metrics)

    for module in (health, ask, openai, documents, sync, feedback, web, docs):
        app.include_router(module.router)
    return app
