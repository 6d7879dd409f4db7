"""Readers' feedback on answers, its export for the editors, and suggested questions.

* ``POST /api/feedback`` stores a thumbs up/down (with an optional comment) about one
  answer in ``feedback.sqlite3`` inside the index directory. The file is separate from the
  index so that rebuilding or replacing the index never loses feedback; it is created on
  first use. Every request opens its own connection and writes in one short
  ``BEGIN IMMEDIATE`` transaction (WAL journal, busy timeout), so concurrent requests,
  threads and processes are safe.
* ``GET /api/feedback/export?format=csv|jsonl`` (API key required) downloads all of it.
* ``GET /api/suggestions`` offers up to six questions drawn from the indexed articles,
  for the chat's empty screen: sentences that state a figure ("… đạt 14.081,67 triệu USD")
  are turned into the question they answer ("… đạt bao nhiêu?"). Deterministic, no model
  call, and computed once per index generation.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.deps import ReadAccess, ServicesDep, SettingsDep, WriteAccess
from assistant.api.errors import ApiError
from assistant.api.schemas import error_responses
from assistant.core.types import Document
from assistant.index.store import Store
from assistant.text.sentences import split_sentences

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["Góp ý và gợi ý"])

FEEDBACK_DB = "feedback.sqlite3"
MAX_SUGGESTIONS = 6
SUGGESTION_SCAN_DOCUMENTS = 200  # newest articles scanned for suggested questions

# ---------------------------------------------------------------------------------------
# Feedback storage
# ---------------------------------------------------------------------------------------

_FEEDBACK_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    query TEXT,
    citations TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS feedback_created ON feedback(created_at);
"""

EXPORT_COLUMNS = (
    "id",
    "created_at",
    "rating",
    "question",
    "answer",
    "comment",
    "query",
    "citations",
)


# Files whose journal mode and table this process has set up (once: concurrent first
# connections would otherwise race on the journal-mode switch, which fails at once).
_PREPARED: set[Path] = set()
_PREPARE_LOCK = threading.Lock()


class FeedbackStore:
    """The feedback table in its own SQLite file. Safe for concurrent use: nothing is
    shared between calls but the path."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=30000")
        with _PREPARE_LOCK:  # switching to WAL does not wait for a busy database
            if self.path not in _PREPARED:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_FEEDBACK_SCHEMA)
                _PREPARED.add(self.path)
        return conn

    def add(
        self,
        *,
        rating: str,
        question: str,
        answer: str,
        comment: str | None = None,
        query: str | None = None,
        citations: Sequence[dict[str, Any]] = (),
    ) -> int:
        """Store one feedback record; returns its id."""
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(
                    "INSERT INTO feedback (created_at, rating, question, answer, comment, "
                    "query, citations) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        created,
                        rating,
                        question,
                        answer,
                        comment,
                        query,
                        json.dumps(list(citations), ensure_ascii=False),
                    ),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return int(cursor.lastrowid or 0)

    def rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """All records, oldest first, with ``citations`` decoded."""
        with closing(self._connect()) as conn:
            cursor = conn.execute(f"SELECT {', '.join(EXPORT_COLUMNS)} FROM feedback ORDER BY id")
            while True:
                found = cursor.fetchmany(batch)
                if not found:
                    return
                for row in found:
                    record = dict(row)
                    try:
                        record["citations"] = json.loads(record["citations"] or "[]")
                    except ValueError:
                        record["citations"] = []
                    yield record


def feedback_store(index_dir: Path) -> FeedbackStore:
    return FeedbackStore(Path(index_dir) / FEEDBACK_DB)


# ---------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------


class CitationRef(BaseModel):
    """The citation the answer showed (as sent by the chat; extra fields are ignored)."""

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


# ---------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackStored,
    summary="Gửi đánh giá (hữu ích / chưa tốt) cho một câu trả lời",
    responses=error_responses(401, 403, 413, 422, 429),
    dependencies=[ReadAccess],
)
def post_feedback(body: FeedbackIn, settings: SettingsDep) -> FeedbackStored:
    """Store a reader's rating of an answer, with an optional comment, for the editors."""
    store = feedback_store(settings.index_dir)
    try:
        record_id = store.add(
            rating=body.rating,
            question=body.question,
            answer=body.answer,
            comment=body.comment,
            query=body.query,
            citations=[c.model_dump(exclude_none=True) for c in body.citations],
        )
    except sqlite3.Error as err:
        logger.error("Feedback not stored in %s: %s", store.path, err)
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
    settings: SettingsDep,
    fmt: Annotated[Literal["csv", "jsonl"], Query(alias="format")] = "csv",
) -> StreamingResponse:
    """All feedback, oldest first, as a download: CSV (UTF-8 with BOM, opens directly in
    Excel) or JSON Lines."""
    store = feedback_store(settings.index_dir)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    if fmt == "jsonl":
        body, media_type = _jsonl(store.rows()), "application/x-ndjson; charset=utf-8"
    else:
        body, media_type = _csv(store.rows()), "text/csv; charset=utf-8"
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
    assistant = services.require_assistant()
    return Suggestions(suggestions=suggestions_for(assistant.index.store))


# ---------------------------------------------------------------------------------------
# Export formats
# ---------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(row[column]) for column in EXPORT_COLUMNS])
        yield buffer.getvalue()


def _jsonl(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------
# Suggested questions
# ---------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A figure: 14.081,67 / 3.777,5 / 79 / 2,5 — not part of a date, code or range like
# 15-4-2010, 41-CT/TW, 2016-2020.
_NUMBER = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/-]|[.,]\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# A measure after the figure: the question then ends with "bao nhiêu?".
_UNIT = re.compile(
    r"\s*(?:(?:triệu|tỷ|nghìn|ngàn)\s+\w+|USD|đồng|%|ha|tấn|km|m2|MW)(?!\w)", re.IGNORECASE
)
# A duration ("5 năm") is not a figure worth asking about.
_DURATION = re.compile(r"\s*(?:năm|tháng|ngày|tuần|giờ|phút)\b", re.IGNORECASE)
# The second half of a range: "150 đến 180", "2 - 3".
_RANGE_END = re.compile(r"\s*(?:đến|tới|-|–)\s*\d[\d.,]*")
# A clause that sets the time of the sentence: "Trong giai đoạn 2016-2020", "Năm 2019".
_TIME_CONTEXT = re.compile(
    r"^(?:trong\s+|tính\s+đến\s+|lũy\s+kế\s+đến\s+(?:hết\s+)?|đến\s+(?:hết\s+)?)?"
    r"(?:giai\s+đoạn|năm|hằng\s+năm|hàng\s+năm|tháng|quý|\d+\s+năm)\b",
    re.IGNORECASE,
)
# Where the noun phrase after a figure stops.
_PHRASE_END = re.compile(r"\s*\(|\s[-–]\s|\s(?:với|trong đó|tăng|gấp|đạt|so với)\s|\svà\s+\d")
# Clauses starting like this continue another clause: they have no subject of their own.
_NO_SUBJECT = _words(
    "với gấp tăng giảm đứng chiếm bằng trên dưới hơn từ đến và nhưng trong riêng gồm đạt khoảng như"
)
# Words before a figure that make it a label, not a quantity ("thứ 8", "Nghị quyết số 22").
_LABEL_BEFORE = _words("thứ số ngày tháng năm quý khóa lần đoạn")
_APPROXIMATELY = _words("khoảng gần hơn trên từ")
_DANGLING = _words("tại của ở với và cho từ đến các những trong theo về bằng là được")
_MAX_PHRASE_WORDS = 10
_MAX_QUESTION_CHARS = 130


@dataclass(frozen=True)
class _Candidate:
    question: str
    score: int
    position: int


def _clauses(sentence: str) -> list[str]:
    parts: list[str] = []
    for part in re.split(r";\s+", sentence):
        parts.extend(p.strip() for p in re.split(r",\s+", part) if p.strip())
    return parts


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the clause starts with a proper name
    (two capitalised words: "Nghệ An", "Ban Quản lý")."""
    words = text.split(maxsplit=2)
    if len(words) > 1 and words[1][:1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _noun_phrase(rest: str) -> str | None:
    """The words after a figure that say what is counted ("dự án FDI")."""
    rest = rest.strip()
    if not rest or not rest[0].isalpha():
        return None
    end = _PHRASE_END.search(rest)
    if end and end.start() > 0:
        rest = rest[: end.start()]
    words = rest.split()
    if len(words) > _MAX_PHRASE_WORDS:  # cut short, it would read wrong
        return None
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,.;:") or None


def _question(clause: str, context: str | None) -> tuple[str, int] | None:
    """The question a clause with a figure answers, and how good a suggestion it is."""
    for match in _NUMBER.finditer(clause):
        if _YEAR.fullmatch(match.group(1)):
            continue
        after = clause[match.end() :]
        if _DURATION.match(after):
            continue
        span = _RANGE_END.match(after)
        if span:
            after = after[span.end() :]
        words = clause[: match.start()].split()
        if len(words) < 2 or words[0].lower() in _NO_SUBJECT or words[-1].lower() in _LABEL_BEFORE:
            return None
        if words[-1].lower() in _APPROXIMATELY and len(words) > 2:
            words = words[:-1]
        score = 0
        if _UNIT.match(after):
            body = " ".join(words) + " bao nhiêu"
            score += 1
        else:
            phrase = _noun_phrase(after)
            if phrase is None:
                return None
            body = " ".join(words) + " bao nhiêu " + phrase
        body = body.rstrip(" ,.;:")
        if context and not (_YEAR.search(body) or _TIME_CONTEXT.match(body)):
            body = f"{context}, {_lower_first(body)}"
        if _YEAR.search(body):  # a dated figure is a precise question
            score += 2
        if any(word[:1].isupper() for word in body.split()[1:]):  # names a place, a partner
            score += 1
        question = body[:1].upper() + body[1:] + "?"
        if len(question) > _MAX_QUESTION_CHARS or len(question.split()) < 5:
            return None
        return question, score
    return None


def questions_from_text(text: str) -> list[tuple[str, int]]:
    """(question, score) for each sentence clause of ``text`` that states a figure, in
    text order."""
    found: list[tuple[str, int]] = []
    for start, end in split_sentences(text):
        context: str | None = None
        for clause in _clauses(text[start:end]):
            if _TIME_CONTEXT.match(clause) and len(clause.split()) <= 7:
                context = clause
                if len(clause.split()) <= 4:
                    continue
            result = _question(clause, None if clause == context else context)
            if result:
                found.append(result)
    return found


def suggest_questions(documents: Sequence[Document], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to ``limit`` distinct questions: the best of each article in turn, articles
    richest in figures first (then newest). Deterministic for the same documents."""
    per_document: list[tuple[int, str, str, list[_Candidate]]] = []
    for doc in documents:
        found = questions_from_text(doc.text)
        if not found:
            continue
        ranked = sorted(
            (_Candidate(q, score, i) for i, (q, score) in enumerate(found)),
            key=lambda c: (-c.score, c.position),
        )
        per_document.append((len(found), doc.published_at or "", doc.id, ranked))
    per_document.sort(key=lambda item: (-item[0], not item[1], _desc(item[1]), item[2]))

    chosen: list[str] = []
    chosen_words: list[set[str]] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(item[3]) for item in per_document):
        for *_, ranked in per_document:
            if depth < len(ranked) and len(chosen) < limit:
                question = ranked[depth].question
                words = set(question.casefold().rstrip("?").split())
                if not any(_similar(words, other) for other in chosen_words):
                    chosen.append(question)
                    chosen_words.append(words)
        depth += 1
    return chosen


def _similar(a: set[str], b: set[str], threshold: float = 0.6) -> bool:
    """Near-duplicates ("Tổng giá trị xuất khẩu…" / "Tổng kim ngạch xuất khẩu…")."""
    return len(a & b) >= threshold * len(a | b)


def _desc(value: str) -> tuple[int, ...]:
    """Sort key that orders ISO date strings newest first."""
    return tuple(-ord(ch) for ch in value)


_cache_lock = threading.Lock()
_cache: dict[tuple[str, int], list[str]] = {}


def suggestions_for(store: Store) -> list[str]:
    """Suggested questions for an index, computed once per index generation."""
    key = (str(store.index_dir.resolve()), store.generation)
    with _cache_lock:
        if key in _cache:
            return list(_cache[key])
    documents, _ = store.list_documents(limit=SUGGESTION_SCAN_DOCUMENTS)
    questions = suggest_questions(documents)
    with _cache_lock:
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = questions
    return list(questions)
