"""Following the portal: the state of the background sync, and starting one now.

Both need a key: the status names the portal's sources and errors, and a sync costs the
portal's server requests. The sync itself runs in the service's follower thread
(:mod:`assistant.sync.follow`), so the request returns at once.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Body

from assistant.api.deps import ServicesDep, WriteAccess
from assistant.api.errors import ApiError
from assistant.api.schemas import SyncRequest, SyncStarted, SyncStatus, error_responses

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/sync", tags=["Bài viết"], dependencies=[WriteAccess])


@router.get(
    "",
    response_model=SyncStatus,
    summary="Tình trạng đồng bộ nguồn tin (cần khóa)",
    responses=error_responses(401, 403, 429, 503),
)
def sync_status(services: ServicesDep) -> dict[str, Any]:
    """The last sync of every source (feeds, sitemaps) and whether one is running."""
    return services.require_follower().status()


@router.post(
    "",
    response_model=SyncStarted,
    status_code=202,
    summary="Đồng bộ ngay (cần khóa)",
    responses=error_responses(400, 401, 403, 409, 422, 429, 503),
)
def start_sync(services: ServicesDep, body: SyncRequest | None = Body(None)) -> dict[str, Any]:  # noqa: B008
    """Start a sync of the given URLs, or of ASSISTANT_SYNC_URLS; follow it with GET."""
    follower = services.require_follower()
    urls = (body.urls if body else None) or services.settings.sync_urls
    bad = [url for url in urls if not url.startswith(("http://", "https://"))]
    if not urls or bad:
        raise ApiError(
            400,
            "no_sync_urls" if not urls else "invalid_sync_url",
            'Chưa có nguồn tin để đồng bộ: gửi {"urls": [...]} hoặc đặt biến môi trường '
            "ASSISTANT_SYNC_URLS."
            if not urls
            else f"Địa chỉ không hợp lệ (cần http:// hoặc https://): {bad[0]}",
        )
    if not follower.trigger(urls):
        raise ApiError(
            409,
            "sync_running",
            "Một lượt đồng bộ đang chạy. Vui lòng thử lại khi lượt này kết thúc.",
            headers={"Retry-After": "30"},
        )
    logger.info("sync started on request: %s", ", ".join(urls))
    return {"started": True, "urls": list(urls)}
