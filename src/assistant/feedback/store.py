"""Where readers' feedback is kept: the :class:`FeedbackStore` interface, and its
embedded implementation, a SQLite file next to the index.

With ``ASSISTANT_DATABASE_URL`` the feedback goes to the index's PostgreSQL database
instead (:class:`~assistant.feedback.postgres.PgFeedbackStore`), so every replica writes
to one table and one export holds all of it; :func:`open_feedback` picks the one the
settings name.

In the embedded store every call opens its own connection
(:func:`~assistant.index.store.connect`) and writes in one short ``BEGIN IMMEDIATE``
transaction (:func:`~assistant.index.store.immediate`) in WAL mode, so concurrent
requests, threads and processes are safe. The file is created on first use.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from assistant.core.errors import FeedbackUnavailableError
from assistant.index.store import FEEDBACK_COLUMNS, connect, immediate
from assistant.runtime import is_database_url

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from assistant.core.config import Settings

FEEDBACK_DB = "feedback.sqlite3"

_FEEDBACK_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT,{FEEDBACK_COLUMNS});
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
# The stored columns, in that order (the id is the store's own).
_STORED = EXPORT_COLUMNS[1:]
# One record in; qmark placeholders (the PostgreSQL store converts them).
INSERT_SQL = f"INSERT INTO feedback ({', '.join(_STORED)}) VALUES ({', '.join('?' * len(_STORED))})"
# Every record, oldest first.
SELECT_SQL = f"SELECT {', '.join(EXPORT_COLUMNS)} FROM feedback ORDER BY id"


# Files whose journal mode and table this process has set up (once: concurrent first
# connections would otherwise race on the journal-mode switch, which fails at once).
_PREPARED: set[Path] = set()
_PREPARE_LOCK = threading.Lock()


@dataclass(frozen=True)
class FeedbackRecord:
    """One reader's rating of one answer, as both stores keep it."""

    rating: str  # "up" or "down"
    question: str
    answer: str
    comment: str | None = None
    query: str | None = None
    citations: Sequence[dict[str, Any]] = ()
    # stamped when made; a copy from another store keeps the original stamp
    created_at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds")
    )

    @classmethod
    def of(cls, row: dict[str, Any]) -> FeedbackRecord:
        """A stored row (as :meth:`FeedbackStore.rows` gives it) as a record again."""
        return cls(**{key: row[key] for key in _STORED})

    def values(self) -> tuple[object, ...]:
        """The values of :data:`INSERT_SQL`, in order (citations as JSON text)."""
        citations = json.dumps(list(self.citations), ensure_ascii=False)
        return tuple(citations if key == "citations" else getattr(self, key) for key in _STORED)


class FeedbackStore(Protocol):
    """What the routes need from a feedback backend. Both raise
    :class:`~assistant.core.errors.FeedbackUnavailableError` when the storage fails."""

    location: str  # for operators' messages (a path, or a URL without its password)

    def add(self, record: FeedbackRecord) -> int:
        """Store one record; returns its id."""
        ...

    def is_empty(self) -> bool:
        """No record yet (a copy goes only into an empty store)."""
        ...

    def rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """All records, oldest first, with ``citations`` decoded."""
        ...

    def close(self) -> None:
        """Release connections (a later call may open new ones)."""
        ...


def open_feedback(settings: Settings) -> FeedbackStore:
    """The configured store: the index's database when ``database_url`` is set, else the
    file next to the index directory."""
    return feedback_at(settings.database_url or settings.index_dir)


def feedback_at(location: str | Path) -> FeedbackStore:
    """The store beside the index at ``location``: a ``postgresql://`` URL or a folder."""
    if is_database_url(location):
        from assistant.feedback.postgres import PgFeedbackStore

        return PgFeedbackStore(str(location))
    return SqliteFeedbackStore(Path(location) / FEEDBACK_DB)


def copy_feedback(source: FeedbackStore, target: FeedbackStore) -> int:
    """Every record of ``source`` into ``target`` with its original time stamp (ids are
    the target's own); how many. A target that already holds feedback is left alone, so
    a copy run twice does not double it."""
    if not target.is_empty():
        logger.warning("Feedback not copied: %s already holds some", target.location)
        return 0
    copied = 0
    for row in source.rows():
        target.add(FeedbackRecord.of(row))
        copied += 1
    return copied


def decoded(record: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the export gives it: ``citations`` back to a list."""
    try:
        record["citations"] = json.loads(record["citations"] or "[]")
    except ValueError:
        record["citations"] = []
    return record


class SqliteFeedbackStore:
    """The feedback table in its own SQLite file. Safe for concurrent use: nothing is
    shared between calls but the path."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(self.path)
        with _PREPARE_LOCK:  # switching to WAL does not wait for a busy database
            if self.path not in _PREPARED:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_FEEDBACK_SCHEMA)
                _PREPARED.add(self.path)
        return conn

    def add(self, record: FeedbackRecord) -> int:
        """Store one feedback record; returns its id."""
        try:
            with closing(self._connect()) as conn, immediate(conn):
                return int(conn.execute(INSERT_SQL, record.values()).lastrowid or 0)
        except sqlite3.Error as err:
            raise FeedbackUnavailableError(f"Feedback not stored in {self.path}: {err}") from err

    def is_empty(self) -> bool:
        if not self.path.exists():
            return True
        with closing(self._connect()) as conn:
            return conn.execute("SELECT 1 FROM feedback LIMIT 1").fetchone() is None

    def rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """All records, oldest first, with ``citations`` decoded (none if no file)."""
        if not self.path.exists():
            return
        with closing(self._connect()) as conn:
            cursor = conn.execute(SELECT_SQL)
            while True:
                found = cursor.fetchmany(batch)
                if not found:
                    return
                for row in found:
                    yield decoded(dict(row))
