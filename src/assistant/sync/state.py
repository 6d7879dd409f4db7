"""What ``assistant sync`` remembers between runs, in the index directory.

Per source (feed, sitemap, home page): its validators (ETag, Last-Modified) and the links
it listed, so an unchanged source costs one 304 and still yields its links. Per article
URL: its validators, the hash of the page body and of the document made from it, the
document id, when it was last checked and seen, and how many syncs in a row it answered
404/410. Per site: its robots.txt and validators.

It is a SQLite database next to the index's own (WAL, synchronous=NORMAL: a killed
process loses at most the transaction in flight) and is written only *after* the index
committed what it describes, so a crash in between makes the next sync fetch a page
again and find its text unchanged (nothing is embedded twice), never the other way round.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.sync.fetch import Validators

STATE_NAME = "sync.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,
    root TEXT NOT NULL,          -- the URL given to sync that led here
    kind TEXT NOT NULL,          -- feed, sitemap, page
    etag TEXT,
    last_modified TEXT,
    links TEXT NOT NULL DEFAULT '[]',   -- JSON [[url, lastmod|null], ...]
    checked_at REAL
);
CREATE TABLE IF NOT EXISTS runs (
    root TEXT PRIMARY KEY,
    finished_at REAL NOT NULL,
    status TEXT NOT NULL,        -- ok, failed
    error TEXT,
    report TEXT NOT NULL         -- JSON counts of the last run of this source
);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    root TEXT NOT NULL,
    doc_id TEXT,
    etag TEXT,
    last_modified TEXT,
    page_hash TEXT,
    doc_hash TEXT,
    checked_at REAL,
    seen_at REAL,
    gone INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
CREATE INDEX IF NOT EXISTS pages_root ON pages(root);
CREATE INDEX IF NOT EXISTS pages_doc ON pages(doc_id);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body TEXT NOT NULL
);
"""


@dataclass
class PageState:
    """What the last syncs learnt about one article URL."""

    url: str
    root: str
    doc_id: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    page_hash: str | None = None
    doc_hash: str | None = None
    checked_at: float | None = None
    seen_at: float | None = None
    gone: int = 0
    error: str | None = None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


@dataclass
class SourceState:
    url: str
    root: str
    kind: str
    validators: Validators
    links: list[tuple[str, str | None]]
    checked_at: float | None


class SyncState:
    """The sync state of one index directory (thread-safe: one connection, one lock)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / STATE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # --- sources ------------------------------------------------------------------------
    def source(self, url: str) -> SourceState | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT url, root, kind, etag, last_modified, links, checked_at FROM sources "
                "WHERE url=?",
                (url,),
            ).fetchone()
        if row is None:
            return None
        links = [(str(u), m) for u, m in json.loads(row[5])]
        return SourceState(row[0], row[1], row[2], Validators(row[3], row[4]), links, row[6])

    def save_source(
        self,
        url: str,
        root: str,
        kind: str,
        validators: Validators,
        links: Sequence[tuple[str, str | None]],
    ) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    url,
                    root,
                    kind,
                    validators.etag,
                    validators.last_modified,
                    json.dumps([list(link) for link in links]),
                    time.time(),
                ),
            )

    def save_run(self, root: str, status: str, error: str | None, report: dict[str, Any]) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?)",
                (root, time.time(), status, error, json.dumps(report, ensure_ascii=False)),
            )

    def runs(self) -> list[dict[str, object]]:
        """The last run of every source, for ``GET /api/sync``."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT root, finished_at, status, error, report FROM runs ORDER BY root"
            ).fetchall()
            known = dict(
                self._conn.execute("SELECT root, COUNT(*) FROM pages GROUP BY root").fetchall()
            )
        return [
            {
                "url": root,
                "finished_at": finished,
                "status": status,
                "error": error,
                "known_articles": known.get(root, 0),
                **json.loads(report),
            }
            for root, finished, status, error, report in rows
        ]

    # --- pages --------------------------------------------------------------------------
    _PAGE_COLUMNS = (
        "url, root, doc_id, etag, last_modified, page_hash, doc_hash, checked_at, seen_at, "
        "gone, error"
    )

    def pages(self) -> dict[str, PageState]:
        """Every known article URL."""
        with self._lock:
            rows = self._conn.execute(f"SELECT {self._PAGE_COLUMNS} FROM pages").fetchall()
        return {row[0]: PageState(*row) for row in rows}

    def save_pages(self, pages: Iterable[PageState]) -> None:
        with self._tx() as conn:
            conn.executemany(
                f"INSERT OR REPLACE INTO pages ({self._PAGE_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.url,
                        p.root,
                        p.doc_id,
                        p.etag,
                        p.last_modified,
                        p.page_hash,
                        p.doc_hash,
                        p.checked_at,
                        p.seen_at,
                        p.gone,
                        p.error,
                    )
                    for p in pages
                ],
            )

    def forget_pages(self, urls: Iterable[str]) -> None:
        with self._tx() as conn:
            conn.executemany("DELETE FROM pages WHERE url=?", [(u,) for u in urls])

    def live_urls_of(self, doc_id: str) -> list[str]:
        """The URLs of a document that did not answer 404/410 at their last check."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT url FROM pages WHERE doc_id=? AND gone=0", (doc_id,)
            ).fetchall()
        return [row[0] for row in rows]

    # --- robots.txt (the fetcher's RobotsCache) -------------------------------------------
    def robots(self, host: str) -> tuple[Validators, str] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT etag, last_modified, body FROM robots WHERE origin=?", (host,)
            ).fetchone()
        return (Validators(row[0], row[1]), row[2]) if row else None

    def save_robots(self, host: str, validators: Validators, body: str) -> None:
        with self._tx() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?)",
                (host, validators.etag, validators.last_modified, body),
            )
