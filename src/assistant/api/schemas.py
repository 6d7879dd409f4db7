"""Request and response models of the HTTP API.

They exist for two readers: the server (validation, so a malformed request is a clear 4xx
and never an exception deep inside answering) and the portal's developers, who learn the
API from ``/docs`` alone, hence the descriptions and the Vietnamese examples.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Body
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from assistant.answer.types import Citation, PassageView, Source
from assistant.api.errors import ApiError
from assistant.core.types import Document, DocumentFilter
from assistant.ingest.loaders import document_from_record

EXAMPLE_QUESTION = "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?"
EXAMPLE_QUOTE = (
    "tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, "
    "tăng 88% so với mục tiêu đại hội, gấp 2,5 lần năm 2010"
)
EXAMPLE_ANSWER = (
    "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt 14.081,67 triệu USD, "
    "tăng 88% so với mục tiêu đại hội, gấp 2,5 lần năm 2010 [1]."
)
EXAMPLE_TITLE = "Tăng cường công tác đối ngoại đáp ứng yêu cầu trong giai đoạn mới"

MAX_HISTORY_TURNS = 50
MAX_TURN_CHARS = 20_000
MAX_BATCH_DOCUMENTS = 1_000


# --- errors -----------------------------------------------------------------------------


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `rate_limited`.")
    message: str = Field(description="Explanation in Vietnamese, fit to show to the reader.")
    details: Any = Field(None, description="Validation errors, field by field (optional).")


class ErrorResponse(BaseModel):
    """Every error of the API has this shape."""

    error: ErrorBody

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "code": "rate_limited",
                        "message": "Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau 12 giây.",
                    }
                }
            ]
        }
    )


_ERROR_TEXT = {
    400: "Yêu cầu không hợp lệ (JSON hỏng, câu hỏi rỗng hoặc quá dài).",
    401: "Thiếu khóa truy cập hoặc sai dạng `Authorization: Bearer <khóa>`.",
    403: "Khóa truy cập không đúng, hoặc chức năng ghi chưa được bật.",
    404: "Không tìm thấy.",
    409: "Một lượt đồng bộ đang chạy; thử lại khi nó xong.",
    413: "Dữ liệu gửi lên quá lớn.",
    422: "Dữ liệu gửi lên sai cấu trúc.",
    429: "Quá nhiều yêu cầu; xem tiêu đề `Retry-After`.",
    503: "Dịch vụ đang khởi động (đang nạp mô hình và chỉ mục).",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error shape for these statuses."""
    return {
        status: {"model": ErrorResponse, "description": _ERROR_TEXT[status]} for status in statuses
    }


# --- asking -----------------------------------------------------------------------------


class Turn(BaseModel):
    """One earlier message of the conversation (lets follow-up questions be understood)."""

    role: Literal["user", "assistant", "system"] = Field(description="Who wrote it.")
    content: str = Field(max_length=MAX_TURN_CHARS, description="What was written.")


class Filters(BaseModel):
    """Restricts the articles the answer may come from."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"date_from": "2020-01-01", "date_to": "2021-12-31", "tags": ["đối ngoại"]}
            ]
        },
    )

    date_from: dt.date | None = Field(None, description="Published on or after (YYYY-MM-DD).")
    date_to: dt.date | None = Field(None, description="Published on or before (YYYY-MM-DD).")
    doc_ids: list[str] = Field(default_factory=list, description="Only these documents.")
    tags: list[str] = Field(
        default_factory=list, description="Only articles with one of these tags."
    )

    def to_filter(self) -> DocumentFilter:
        """The index's filter type: the request's filters go to the store as they are."""
        return DocumentFilter(
            date_from=self.date_from.isoformat() if self.date_from else None,
            date_to=self.date_to.isoformat() if self.date_to else None,
            doc_ids=tuple(self.doc_ids),
            tags=tuple(self.tags),
        )


class AskRequest(BaseModel):
    """A question, optionally with the conversation so far and filters."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"question": EXAMPLE_QUESTION},
                {
                    "question": "Còn nhập khẩu thì sao?",
                    "history": [
                        {"role": "user", "content": EXAMPLE_QUESTION},
                        {"role": "assistant", "content": EXAMPLE_ANSWER},
                    ],
                },
                {
                    "question": "Thanh Hóa hợp tác với tỉnh nào của Lào?",
                    "filters": {"date_from": "2021-01-01"},
                },
            ]
        }
    )

    question: str = Field(
        description="The reader's question, in Vietnamese (with or without diacritics).",
        examples=[EXAMPLE_QUESTION],
    )
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY_TURNS,
        description="Earlier turns, oldest first; used to understand follow-up questions.",
    )
    filters: Filters | None = None

    def document_filter(self) -> DocumentFilter | None:
        return self.filters.to_filter() if self.filters else None


class ScopeOut(BaseModel):
    """The question's scope: the answer comes only from articles about these places."""

    places: list[str] = Field(description="Places asked about (the home province if none).")
    place_keys: list[str] = Field(
        description="Keys of the places whose articles may answer: the places asked about, "
        "and 'viet nam' when a national piece may answer by a clause naming the asked "
        "province or document."
    )
    explicit: bool = Field(description="Did the question name them?")
    periods: list[list[int]] = Field(description="Years asked about, as [first, last].")
    latest: bool = Field(description="Did the question ask for the newest figure?")
    measure: list[str] = Field(description="Measure terms the quoted clause must contain.")
    expansions: list[str] = Field(
        default_factory=list,
        description="The articles' wording the domain lexicon added to the question.",
    )


class ArticleScopeOut(BaseModel):
    """What an article reports on, read at ingest from its headline, lead and tags."""

    places: list[str] = Field(description="Provinces (or Việt Nam) whose figures it gives.")
    periods: list[list[int]] = Field(description="Years its figures cover, [first, last].")
    correction: bool = Field(description="A published correction (đính chính).")


class LeadOut(BaseModel):
    """The answer itself, as the cited clause writes it."""

    text: str = Field(description="The figure, date or name, e.g. '14.081,67 triệu USD'.")
    citation: int = Field(description="The [n] of the citation whose quote contains it.")


class AskResponse(BaseModel):
    """The answer: text with ``[n]`` markers, the citations behind them, and more."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "answer": EXAMPLE_ANSWER,
                    "answerable": True,
                    "mode": "extractive",
                    "query": EXAMPLE_QUESTION,
                    "citations": [
                        {
                            "n": 1,
                            "doc_id": "thanh-hoa-doi-ngoai",
                            "title": EXAMPLE_TITLE,
                            "quote": EXAMPLE_QUOTE,
                            "start": 4071,
                            "end": 4262,
                            "url": None,
                            "published_at": None,
                        }
                    ],
                    "passages": [],
                    "timings_ms": {"embed": 35.2, "retrieve": 8.1, "compose": 41.7, "total": 86.3},
                    "related": [],
                }
            ]
        }
    )

    answer: str = Field(
        description="The answer, a [n] marker after every claim; when the articles do not "
        "answer, a Vietnamese explanation (answerable=false)."
    )
    answerable: bool
    mode: Literal["extractive", "generative"]
    query: str = Field(description="The question as searched (follow-ups made standalone).")
    citations: list[Citation]
    passages: list[PassageView]
    timings_ms: dict[str, float]
    related: list[Source] = Field(
        description="When the articles do not answer: the closest passages, as reading."
    )
    scope: ScopeOut | None = Field(
        None, description="What the question was read to be about: place(s), period(s)."
    )
    suggestions: list[str] = Field(
        default_factory=list,
        description="When the articles do not answer: questions that the closest passages "
        "do answer (e.g. the same measure in a year the articles cover), to ask instead.",
    )
    lead: LeadOut | None = Field(
        None,
        description="For a figure, date or name question, the answer itself (the answer "
        "text's first line); null when the cited clause does not single one out.",
    )


# --- documents --------------------------------------------------------------------------


class DocumentRecord(BaseModel):
    """An article as the portal exports it (the same shape as the .json/.jsonl files).

    ``text`` or ``html`` is required; without ``id`` one is derived from the URL."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "vi-du-bai-viet-1",
                    "title": "Bài viết ví dụ về hội chợ thương mại",
                    "url": "https://example.com/bai-viet-vi-du-1.html",
                    "published_at": "2024-01-05",
                    "text": "(Nội dung ví dụ, không phải tin thật.) Hội chợ thương mại của "
                    "tỉnh năm 2023 có 300 gian hàng, thu hút 50.000 lượt khách.",
                    "tags": ["ví dụ", "kinh tế"],
                }
            ]
        }
    )

    id: str | int | None = Field(
        None, description="Stable id; pushing the same id again replaces the article."
    )
    title: str | None = None
    url: str | None = None
    published_at: str | None = Field(None, description="YYYY-MM-DD, DD/MM/YYYY or ISO date-time.")
    text: str | None = Field(None, description="Plain text of the article.")
    html: str | None = Field(None, description="Or the article's HTML (main text is extracted).")
    tags: list[str] | str | None = Field(None, description="A list, or a comma-separated string.")


class DocumentBatch(BaseModel):
    """Several articles in one request (each is committed in the same way as one)."""

    documents: list[DocumentRecord] = Field(min_length=1, max_length=MAX_BATCH_DOCUMENTS)


def _body_kind(value: Any) -> Literal["one", "batch", "list"]:
    """Which body shape was sent (decided by structure, not by trial validation)."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, DocumentBatch) or (isinstance(value, dict) and "documents" in value):
        return "batch"
    return "one"


PushBody = Annotated[
    Annotated[DocumentRecord, Tag("one")]
    | Annotated[DocumentBatch, Tag("batch")]
    | Annotated[list[DocumentRecord], Tag("list")],
    Discriminator(_body_kind),
    Body(
        description='One record, `{"documents": [...]}` or a JSON list of records.',
        openapi_examples={
            "one": {
                "summary": "Một bài viết",
                "value": DocumentRecord.model_config["json_schema_extra"]["examples"][0],
            },
            "batch": {
                "summary": "Nhiều bài viết",
                "value": {
                    "documents": [
                        {
                            "id": "vi-du-bai-viet-2",
                            "title": "Bài viết ví dụ gửi dạng HTML",
                            "published_at": "12/03/2024",
                            "html": "<article><h1>Bài viết ví dụ</h1><p>(Nội dung ví dụ, "
                            "không phải tin thật.) Lễ hội ví dụ kéo dài ba ngày.</p></article>",
                            "tags": "ví dụ, văn hóa",
                        }
                    ]
                },
            },
        },
    ),
]


def records_of(body: DocumentRecord | DocumentBatch | list[DocumentRecord]) -> list[DocumentRecord]:
    if isinstance(body, DocumentBatch):
        return body.documents
    return body if isinstance(body, list) else [body]


def documents_from(
    records: list[DocumentRecord], source: str
) -> tuple[list[Document], list[dict[str, Any]]]:
    """Documents from the records (cleaned, HTML extracted) and the per-record errors."""
    documents: list[Document] = []
    errors: list[dict[str, Any]] = []
    for number, record in enumerate(records, start=1):
        raw = record.model_dump(exclude_none=True)
        try:
            documents.append(document_from_record(raw, source, number))
        except ValueError as err:
            errors.append({"record": number, "id": _id_of(raw), "message": str(err)})
    return documents, errors


def _id_of(raw: dict[str, Any]) -> str | None:
    value = raw.get("id")
    return None if value is None else str(value)


class RecordError(BaseModel):
    record: int = Field(description="Position of the record in the request, from 1.")
    id: str | None = None
    message: str = Field(description="What is wrong with it (English, for the developer).")


class IngestResult(BaseModel):
    """What pushing documents changed; failed records are listed and the others kept."""

    added: int
    updated: int
    unchanged: int
    failed: int
    chunks: int
    embedded: int
    seconds: float
    ids: list[str] = Field(description="Ids of the documents accepted, in request order.")
    errors: list[RecordError]


class DocumentSummary(BaseModel):
    id: str
    title: str
    url: str | None = None
    published_at: str | None = None
    tags: list[str]
    source: str | None = None
    chars: int = Field(description="Length of the cleaned text.")
    scope: ArticleScopeOut | None = None


class DocumentFull(DocumentSummary):
    """The whole cleaned text: citation offsets (start, end) point into ``text``."""

    text: str


def document_summary(doc: Document) -> dict[str, Any]:
    """The fields of DocumentSummary for an indexed document."""
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "published_at": doc.published_at,
        "tags": doc.tags,
        "source": doc.source,
        "chars": len(doc.text),
        "scope": doc.scope.to_dict() if doc.scope else None,
    }


class DocumentPage(BaseModel):
    total: int
    offset: int
    limit: int
    documents: list[DocumentSummary]


class Deleted(BaseModel):
    id: str
    deleted: bool


# --- feedback and suggestions -------------------------------------------------------------


class CitationRef(BaseModel):
    """A reader's reference to a citation the answer showed: an answer's
    :class:`~assistant.answer.types.Citation` as the chat sends it back, every field but
    ``doc_id`` optional and bounded (it is untrusted input to be stored, not an answer's
    citation; extra fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    n: int | None = Field(None, ge=0, le=1000)
    doc_id: str = Field(max_length=512)
    title: str | None = Field(None, max_length=1000)
    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=0)
    quote: str | None = Field(None, max_length=5000)
    url: str | None = Field(None, max_length=2000)
    published_at: str | None = Field(None, max_length=40)


class FeedbackIn(BaseModel):
    """A reader's rating of one answer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "question": "Tổng giá trị xuất khẩu giai đoạn 2016-2020 là bao nhiêu?",
                    "answer": "Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 "
                    "đạt 14.081,67 triệu USD [1].",
                    "rating": "down",
                    "comment": "Nên nói rõ là của tỉnh Thanh Hóa.",
                    "citations": [
                        {"n": 1, "doc_id": "thanh-hoa-doi-ngoai", "start": 5230, "end": 5330}
                    ],
                }
            ]
        }
    )

    question: str = Field(min_length=1, max_length=4000, description="The question asked.")
    answer: str = Field(max_length=50_000, description="The answer shown (with its [n]).")
    rating: Literal["up", "down"] = Field(description="Thumbs up or down.")
    comment: str | None = Field(None, max_length=4000, description="Optional comment.")
    query: str | None = Field(None, max_length=4000, description="Standalone query answered.")
    citations: list[CitationRef] = Field(default_factory=list, max_length=100)

    @field_validator("question")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("question is blank")
        return value

    @field_validator("comment", "query")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return value.strip() or None


class FeedbackStored(BaseModel):
    id: int = Field(description="Number of the stored record.")
    stored: bool = True


class Suggestions(BaseModel):
    suggestions: list[str] = Field(
        description="Up to six questions the indexed articles answer.",
        examples=[
            ["Tổng giá trị xuất khẩu hàng hóa và dịch vụ giai đoạn 2016-2020 đạt bao nhiêu?"]
        ],
    )


# --- following the portal (sync) ---------------------------------------------------------


class SyncRequest(BaseModel):
    """Which sources to sync now; without ``urls``, those of ASSISTANT_SYNC_URLS."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"urls": ["https://baothanhhoa.vn/rss/home.rss"]}]},
    )

    urls: list[str] | None = Field(
        None, max_length=100, description="Feed, sitemap (index) or home page URLs."
    )


class SyncSource(BaseModel):
    """The last sync of one source."""

    url: str
    finished_at: float = Field(description="Unix time the last sync of it ended.")
    status: Literal["ok", "failed"]
    error: str | None = None
    kind: str = Field("", description="feed, sitemap, sitemapindex or page.")
    known_articles: int = Field(description="Article URLs remembered from this source.")
    listed: int
    new: int
    updated: int
    unchanged: int
    removed: int
    failed: int
    skipped: int


class SyncStatus(BaseModel):
    running: bool
    running_urls: list[str]
    configured_urls: list[str] = Field(description="ASSISTANT_SYNC_URLS.")
    interval_s: float = Field(description="ASSISTANT_SYNC_INTERVAL_S (0 = on demand only).")
    last: dict[str, Any] | None = Field(
        None, description="The last sync of this process: times, ok, and its summary."
    )
    sources: list[SyncSource]


class SyncStarted(BaseModel):
    started: bool
    urls: list[str]


# --- service ----------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"]


class Ready(BaseModel):
    status: Literal["ready"]
    documents: int
    chunks: int


# --- OpenAI-compatible ------------------------------------------------------------------


class ContentPart(BaseModel):
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text or "" for part in self.content if part.type == "text")


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """OpenAI chat-completions request. The last user message is the question, earlier
    messages the history; sampling parameters are accepted and ignored (answers are
    extractive). ``filters`` is an extension (send it with ``extra_body``)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": "assistant",
                    "messages": [{"role": "user", "content": EXAMPLE_QUESTION}],
                }
            ]
        },
    )

    model: str = Field("assistant", description="Any value is accepted (one model is served).")
    messages: list[ChatMessage] = Field(min_length=1, max_length=MAX_HISTORY_TURNS + 1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    filters: Filters | None = None

    def document_filter(self) -> DocumentFilter | None:
        return self.filters.to_filter() if self.filters else None

    def question_and_history(self) -> tuple[str, list[dict[str, str]]]:
        """The last user message and the user/assistant turns before it; 400 without a
        user message."""
        messages = self.messages
        last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
        if last_user is None:
            raise ApiError(
                400,
                "no_user_message",
                "Thiếu câu hỏi: cần ít nhất một tin nhắn có role “user”.",
            )
        history = [
            {"role": m.role, "content": m.text()}
            for m in messages[:last_user]
            if m.role in ("user", "assistant")
        ]
        return messages[last_user].text(), history

    def usage(self, answer: str) -> dict[str, int]:
        """OpenAI's ``usage``, counted in words (no tokenizer is involved)."""
        prompt = sum(len(m.text().split()) for m in self.messages)
        completion = len(answer.split())
        return {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int
    message: ChatChoiceMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class Usage(BaseModel):
    """Counts of whitespace-separated words (the answers come from no token-based model)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    """OpenAI ``chat.completion``, plus the ``citations`` of the ``[n]`` markers."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage
    citations: list[Citation]
    answerable: bool


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]
