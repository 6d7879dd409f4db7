"""The feedback table in its own SQLite file next to the index.

Every call opens its own connection (:func:`~assistant.index.store.connect`) and writes
in one short ``BEGIN IMMEDIATE`` transaction (:func:`~assistant.index.store.immediate`)
in WAL mode, so concurrent requests, threads and processes are safe. The file is created
on first use.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from assistant.index.store import connect, immediate

FEEDBACK_DB = "feedback.sqlite3"

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

    @classmethod
    def beside(cls, index_dir: Path) -> FeedbackStore:
        """The feedback file of an index directory."""
        return cls(Path(index_dir) / FEEDBACK_DB)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(self.path)
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
        with closing(self._connect()) as conn, immediate(conn):
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
