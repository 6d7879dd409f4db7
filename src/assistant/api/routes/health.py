"""Probes and numbers: liveness, readiness, index statistics, Prometheus metrics.

Liveness answers as soon as the process serves HTTP; readiness only once the model and
the index are loaded (load balancers send questions only to ready processes).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Response

from assistant.api.deps import AssistantDep, ReadAccess, ServicesDep
from assistant.api.errors import ApiError
from assistant.api.metrics import CONTENT_TYPE
from assistant.api.schemas import Health, Ready, error_responses

router = APIRouter(tags=["Vận hành"])

LOAD_FAILED_VI = (
    "Trợ lý không khởi động được (không nạp được mô hình hoặc chỉ mục). "
    "Quản trị viên cần xem nhật ký máy chủ."
)


@router.get("/api/health", response_model=Health, summary="Tiến trình còn sống")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/api/ready",
    response_model=Ready,
    summary="Sẵn sàng trả lời (mô hình và chỉ mục đã nạp)",
    responses=error_responses(503),
)
def ready(services: ServicesDep) -> dict[str, Any]:
    if services.load_error is not None:
        raise ApiError(503, "load_failed", LOAD_FAILED_VI)
    assistant = services.require_assistant()
    counts = assistant.index.counts()
    return {"status": "ready", "documents": counts["documents"], "chunks": counts["chunks"]}


@router.get(
    "/api/stats",
    summary="Thống kê chỉ mục",
    dependencies=[ReadAccess],
    responses=error_responses(401, 403, 429, 503),
)
def stats(assistant: AssistantDep, services: ServicesDep) -> dict[str, Any]:
    """Documents, chunks, vectors, embedder, size on disk; plus service uptime."""
    data = assistant.index.stats()
    data.pop("index_dir", None)  # a server path is nobody else's business
    data.pop("database", None)  # nor is the database's address
    data["uptime_s"] = round(time.time() - services.started_at, 1)
    data["max_batch_size"] = services.settings.max_batch_size
    return data


@router.get(
    "/metrics",
    summary="Chỉ số Prometheus",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format."}},
)
def metrics(services: ServicesDep) -> Response:
    return Response(services.metrics.render(), media_type=CONTENT_TYPE)
