"""The articles: push (add or replace), list, read in full, delete.

Writes need an API key. They run in a worker thread, one at a time; each batch is
committed atomically by the index, which then swaps its vector index in one step, so
questions keep being answered during a write and see the change as soon as it commits,
without a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query

from assistant.api.deps import AssistantDep, ReadAccess, ServicesDep, WriteAccess
from assistant.api.errors import ApiError
from assistant.api.schemas import (
    Deleted,
    DocumentFull,
    DocumentPage,
    IngestResult,
    PushBody,
    document_summary,
    documents_from,
    error_responses,
    records_of,
)
from assistant.core.types import DocumentFilter

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api/documents", tags=["Bài viết"], dependencies=[ReadAccess])

MAX_OFFSET = 1_000_000_000
SOURCE = "api"


@router.post(
    "",
    response_model=IngestResult,
    summary="Thêm hoặc cập nhật bài viết (cần khóa)",
    dependencies=[WriteAccess],
    responses=error_responses(400, 401, 403, 413, 422, 429, 503),
)
async def push_documents(body: PushBody, services: ServicesDep) -> dict[str, Any]:
    """Add articles, or replace those whose `id` exists (unchanged ones are skipped).
    Invalid records are reported in `errors` and the others are still indexed; when no
    record is valid the answer is a 422."""
    services.require_assistant()
    records = records_of(body)
    documents, errors = await anyio.to_thread.run_sync(documents_from, records, SOURCE)
    if not documents:
        raise ApiError(
            422,
            "invalid_documents",
            "Không có bài viết hợp lệ nào: mỗi bài cần có nội dung (“text” hoặc “html”).",
            details=errors,
        )
    summary = await services.ingest(documents)
    logger.info(
        "documents pushed: %s",
        summary.line(),
        extra={"fields": {"ingest": summary.as_dict(), "rejected": len(errors)}},
    )
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "failed": len(errors),
        "chunks": summary.chunks,
        "embedded": summary.embedded,
        "seconds": round(summary.seconds, 3),
        "ids": list(dict.fromkeys(doc.id for doc in documents)),
        "errors": errors,
    }


@router.get(
    "",
    response_model=DocumentPage,
    summary="Danh sách bài viết (mới nhất trước)",
    responses=error_responses(401, 403, 422, 429, 503),
)
def list_documents(
    assistant: AssistantDep,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    date_from: Annotated[dt.date | None, Query(description="Published on/after")] = None,
    date_to: Annotated[dt.date | None, Query(description="Published on/before")] = None,
    tag: Annotated[list[str], Query(description="Has one of these tags (repeatable)")] = [],  # noqa: B006
) -> dict[str, Any]:
    flt = DocumentFilter(
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        tags=tuple(tag),
    )
    documents, total = assistant.index.list_documents(flt, offset=offset, limit=limit)
    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "documents": [document_summary(doc) for doc in documents],
    }


def _not_found(doc_id: str) -> ApiError:
    return ApiError(404, "document_not_found", f"Không tìm thấy bài viết có mã “{doc_id}”.")


@router.get(
    "/{doc_id:path}",
    response_model=DocumentFull,
    summary="Toàn văn một bài viết",
    responses=error_responses(401, 403, 404, 429, 503),
)
def get_document(doc_id: str, assistant: AssistantDep) -> dict[str, Any]:
    """The cleaned text that citations point into: `text[start:end] == quote`."""
    doc = assistant.index.get_document(doc_id)
    if doc is None:
        raise _not_found(doc_id)
    return {**document_summary(doc), "text": doc.text}


@router.delete(
    "/{doc_id:path}",
    response_model=Deleted,
    summary="Xóa một bài viết (cần khóa)",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 404, 429, 503),
)
async def delete_document(doc_id: str, services: ServicesDep) -> dict[str, Any]:
    """Remove the article, its passages and vectors; it is no longer cited."""
    if not await services.delete(doc_id):
        raise _not_found(doc_id)
    logger.info("document deleted: %s", doc_id)
    return {"id": doc_id, "deleted": True}
