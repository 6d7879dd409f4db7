"""Readers' feedback on answers, its export for the editors, and suggested questions.

* ``POST /api/feedback`` stores a thumbs up/down (with an optional comment) about one
  answer (:class:`~assistant.feedback.store.FeedbackStore`: next to the index, or in
  the index's PostgreSQL database);
* ``GET /api/feedback/export?format=csv|jsonl`` (API key required) downloads all of it;
* ``GET /api/suggestions`` offers up to six questions drawn from the indexed articles
  (:class:`~assistant.feedback.suggestions.Suggester`), for the chat's empty screen.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from assistant.api.deps import ReadAccess, ServicesDep, WriteAccess
from assistant.api.errors import ApiError
from assistant.api.schemas import FeedbackIn, FeedbackStored, Suggestions, error_responses
from assistant.core.errors import FeedbackUnavailableError
from assistant.feedback.export import as_csv, as_jsonl
from assistant.feedback.store import FeedbackRecord

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["Góp ý và gợi ý"])


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackStored,
    summary="Gửi đánh giá (hữu ích / chưa tốt) cho một câu trả lời",
    responses=error_responses(401, 403, 413, 422, 429),
    dependencies=[ReadAccess],
)
def post_feedback(body: FeedbackIn, services: ServicesDep) -> FeedbackStored:
    """Store a reader's rating of an answer, with an optional comment, for the editors."""
    try:
        record_id = services.feedback.add(
            FeedbackRecord(
                rating=body.rating,
                question=body.question,
                answer=body.answer,
                comment=body.comment,
                query=body.query,
                citations=[c.model_dump(exclude_none=True) for c in body.citations],
            )
        )
    except FeedbackUnavailableError as err:
        logger.error("%s", err)
        raise ApiError(
            503,
            "feedback_unavailable",
            "Chưa lưu được đánh giá do máy chủ đang bận. Vui lòng thử lại sau.",
            headers={"Retry-After": "5"},
        ) from err
    logger.info("feedback stored id=%d rating=%s", record_id, body.rating)
    return FeedbackStored(id=record_id)


@router.get(
    "/feedback/export",
    summary="Tải toàn bộ đánh giá (CSV hoặc JSONL) — cần khóa truy cập",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}, "application/x-ndjson": {}}},
        **error_responses(401, 403, 422, 429),
    },
    dependencies=[WriteAccess],
)
def export_feedback(
    services: ServicesDep,
    fmt: Annotated[Literal["csv", "jsonl"], Query(alias="format")] = "csv",
) -> StreamingResponse:
    """All feedback, oldest first, as a download: CSV (UTF-8 with BOM, opens directly in
    Excel) or JSON Lines."""
    rows = services.feedback.rows()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    if fmt == "jsonl":
        body, media_type = as_jsonl(rows), "application/x-ndjson; charset=utf-8"
    else:
        body, media_type = as_csv(rows), "text/csv; charset=utf-8"
    return StreamingResponse(
        body,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="feedback-{stamp}.{fmt}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get(
    "/suggestions",
    response_model=Suggestions,
    summary="Câu hỏi gợi ý rút ra từ các bài viết",
    responses=error_responses(401, 403, 429, 503),
    dependencies=[ReadAccess],
)
def get_suggestions(services: ServicesDep) -> Suggestions:
    """Up to six questions, each answered by a sentence of an indexed article."""
    return Suggestions(suggestions=services.require_suggester().questions())
