"""Readers' feedback in the index's PostgreSQL database.

Several service replicas share one database, so they share this table too: a rating
given through any replica is in the one export. The table belongs to the index's
versioned schema (:data:`~assistant.index.postgres.MIGRATIONS`, version 2), brought up
to date when the store opens, like the index itself. The store keeps a small pool of its
own (feedback is rare beside questions), opened on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from assistant.core.errors import AssistantError, FeedbackUnavailableError
from assistant.feedback.store import INSERT_SQL, SELECT_SQL, FeedbackRecord, decoded
from assistant.index.postgres import open_pool, pg_sql, prepare_schema, redacted

POOL_SIZE = 2


class PgFeedbackStore:
    """The ``feedback`` table of the database at ``url`` (safe to share between
    threads: every call borrows its own connection)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = redacted(url)
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None

    @property
    def pool(self) -> ConnectionPool[psycopg.Connection[Any]]:
        if self._pool is None:
            try:
                prepare_schema(self.url)
            except (psycopg.Error, AssistantError) as err:
                raise FeedbackUnavailableError(
                    f"Feedback database {self.location} not ready: {err}"
                ) from err
            self._pool = open_pool(self.url, POOL_SIZE, "assistant-feedback")
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def add(self, record: FeedbackRecord) -> int:
        """Store one record in its own (autocommitted) statement; returns its id."""
        try:
            with self.pool.connection() as conn:
                row = conn.execute(pg_sql(INSERT_SQL + " RETURNING id"), record.values()).fetchone()
        except (psycopg.Error, TimeoutError) as err:
            raise FeedbackUnavailableError(
                f"Feedback not stored in {self.location}: {err}"
            ) from err
        return int(row[0]) if row else 0

    def is_empty(self) -> bool:
        with self.pool.connection() as conn:
            return conn.execute("SELECT 1 FROM feedback LIMIT 1").fetchone() is None

    def rows(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """All records, oldest first, streamed through a server-side cursor."""
        with self.pool.connection() as conn, conn.transaction():
            cursor = conn.cursor("feedback_export", row_factory=dict_row)
            cursor.execute(SELECT_SQL)
            while found := cursor.fetchmany(batch):
                for row in found:
                    yield decoded(dict(row))
