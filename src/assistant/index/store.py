"""The document/chunk store: one SQLite file that is the index's source of truth.

Documents (cleaned text + metadata), chunks (offsets into that text), the embedding cache
(vectors keyed by content hash, so unchanged text is never embedded twice) and the lexical
index (FTS5 over Vietnamese terms and their diacritic-folded forms) all live here. One
SQLite transaction is the commit point of every change: a process killed at any moment
leaves the previous state intact, and readers in WAL mode never see half a write.

The statements both engines speak are in :class:`SqlStore`, shared with the PostgreSQL
store (:mod:`assistant.index.postgres`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import IndexFormatError, IndexNotFoundError
from assistant.core.types import ArticleScope, Chunk, Document, DocumentFilter, Passage
from assistant.index.lexical import COLUMN_WEIGHTS, match_expression
from assistant.text.names import name_pairs

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2
# What each format added; an index of an older listed version is upgraded in place by
# `assistant index rebuild` (columns added here, then every article re-chunked,
# re-scoped and re-embedded).
_UPGRADES = {
    1: [
        "ALTER TABLE documents ADD COLUMN scope TEXT NOT NULL DEFAULT '{}'",
        "CREATE TABLE IF NOT EXISTS document_places (doc_id TEXT NOT NULL REFERENCES "
        "documents(id) ON DELETE CASCADE, place TEXT NOT NULL, PRIMARY KEY (place, doc_id)) "
        "WITHOUT ROWID",
    ],
}
DB_NAME = "assistant.sqlite3"

# The tables both engines declare alike (see :mod:`assistant.index.postgres`): a change
# to one of them is a new format version here and a new schema migration there.
META_TABLE = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
# Readers' feedback: the columns both engines keep (the SQLite file beside an index, and
# the PostgreSQL database's table, each with its own kind of id column first).
FEEDBACK_COLUMNS = """
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    comment TEXT,
    query TEXT,
    citations TEXT NOT NULL DEFAULT '[]'"""
DOCUMENTS_TABLE = """CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT,
    published_at TEXT,
    source TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '{}'
)"""

_SCHEMA = f"""
{META_TABLE};
{DOCUMENTS_TABLE};
CREATE TABLE IF NOT EXISTS document_places (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    place TEXT NOT NULL,
    PRIMARY KEY (place, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_published ON documents(published_at);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS embeddings (
    content_hash TEXT NOT NULL,
    embedder TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (content_hash, embedder)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
    exact, folded, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms_vocab USING fts5vocab(chunk_terms, 'col');
CREATE TABLE IF NOT EXISTS name_pairs (folded TEXT PRIMARY KEY, n INTEGER NOT NULL)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_forms (
    folded TEXT NOT NULL,
    exact TEXT NOT NULL,
    PRIMARY KEY (folded, exact)
) WITHOUT ROWID;
"""


_TABLES = {
    "meta",
    "documents",
    "document_places",
    "chunks",
    "embeddings",
    "chunk_terms",
    "name_pairs",
    "term_forms",
}


# How each engine lists the elements of a document's JSON tag array (as rows of ``value``).
SQLITE_TAGS = "json_each({alias}.tags)"


def filter_sql(
    flt: DocumentFilter, alias: str = "d", tags: str = SQLITE_TAGS
) -> tuple[str, list[object]]:
    """SQL condition of a document filter over the documents table (aliased) and its
    parameters. Portable SQL (qmark placeholders) but for ``tags``, the engine's way of
    listing a JSON array (see :data:`SQLITE_TAGS`)."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.date_from:
        clauses.append(f"{alias}.published_at >= ?")
        params.append(flt.date_from)
    if flt.date_to:
        # a bare date as upper bound includes that whole day
        clauses.append(f"substr({alias}.published_at, 1, {len(flt.date_to)}) <= ?")
        params.append(flt.date_to)
    if flt.doc_ids:
        clauses.append(f"{alias}.id IN ({_marks(flt.doc_ids)})")
        params.extend(flt.doc_ids)
    if flt.tags:
        elements = tags.format(alias=alias)
        clauses.append(f"EXISTS (SELECT 1 FROM {elements} WHERE value IN ({_marks(flt.tags)}))")
        params.extend(flt.tags)
    if flt.places:
        clauses.append(
            f"EXISTS (SELECT 1 FROM document_places p WHERE p.doc_id = {alias}.id "
            f"AND p.place IN ({_marks(flt.places)}))"
        )
        params.extend(flt.places)
    return (" AND ".join(clauses) or "TRUE"), params


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def connect(path: Path) -> sqlite3.Connection:
    """A connection as every SQLite file of the project opens it: usable from any thread
    that owns it, rows readable by column name, waiting up to 30 s for a busy writer.
    The journal mode is the caller's (switching it does not wait for a busy file)."""
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once (``BEGIN IMMEDIATE``: no deadlock between
    two readers upgrading to writers); committed whole, or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _missing_message(index_dir: Path) -> str:
    return (
        f"No index at {index_dir}: run `assistant ingest PATH...` to create one "
        "(or point --index / ASSISTANT_INDEX_DIR at an existing one)."
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value: object) -> Any:
    """A JSON column's value: text in SQLite (and in the PostgreSQL schema, which keeps
    the same columns), parsed here."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


# Document's fields: the documents table's columns of the same names, as selected.
DOCUMENT_FIELDS = ("id", "title", "text", "url", "published_at", "source", "tags", "scope")
DOCUMENT_COLUMNS = ", ".join(DOCUMENT_FIELDS)
# Passage's fields, in the order SqlStore.passages selects their columns: the chunk's,
# then its document's.
PASSAGE_FIELDS = (
    "chunk_id",
    "doc_id",
    "start",
    "end",
    "text",
    "title",
    "url",
    "published_at",
    "tags",
    "scope",
)


def _fields(names: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """A row's values by field name (``names``: its columns'), the JSON ones parsed."""
    values = dict(zip(names, row, strict=True))
    values["tags"], values["scope"] = _json(values["tags"]), _json(values["scope"])
    return values


def _document_from_row(row: Sequence[Any]) -> Document:
    values = _fields(DOCUMENT_FIELDS, row)
    scope = values.pop("scope")
    return Document(**values, scope=ArticleScope.from_dict(scope) if scope else None)


def _float32(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def word_rows(chunk: Chunk, exact: str, folded: str) -> tuple[list[str], list[tuple[str, str]]]:
    """What a chunk adds to the name and written-form tables: its capitalised word pairs
    (folded) and its (folded, exact) term pairs that differ, both sorted (concurrent
    writers then take their row locks in one order)."""
    forms = {(f, e) for f, e in zip(folded.split(), exact.split(), strict=True) if f != e}
    return sorted(name_pairs(chunk.text)), sorted(forms)


class SqlStore:
    """What the SQLite store and the PostgreSQL one (:mod:`assistant.index.postgres`)
    share: the tables have the same names and columns, and every statement below is
    portable SQL with qmark placeholders, so it is written once. A subclass supplies its
    connections (:meth:`_read`, :meth:`_run`, :meth:`_begin`) and what its engine does
    differently: chunk inserts with their lexical terms, term statistics, lexical search.
    """

    tags_sql = SQLITE_TAGS
    location = ""  # names the index in messages (a folder, a database)

    # --- what a subclass provides ----------------------------------------------------
    def _read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """Every row of one read (outside any write transaction)."""
        raise NotImplementedError

    def _run(self, conn: Any, sql: str, params: Sequence[object] = ()) -> Any:
        """Execute one statement on a write transaction's connection; its cursor."""
        raise NotImplementedError

    def _run_many(self, conn: Any, sql: str, rows: Iterable[Sequence[object]]) -> None:
        raise NotImplementedError

    def _begin(self, keys: Sequence[str]) -> AbstractContextManager[Any]:
        """One write transaction excluding other writers of the documents ``keys``."""
        raise NotImplementedError

    def _insert_chunk(
        self, conn: Any, chunk: Chunk, exact: str, folded: str, vector: np.ndarray | None
    ) -> int:
        """Insert one chunk and its lexical terms; its new id."""
        raise NotImplementedError

    def document_frequencies(self, terms: Sequence[str], column: str = "folded") -> dict[str, int]:
        """How many chunks contain each (folded) term: the rarity that tells a name or a
        figure from a common word, and whether the corpus knows a word at all."""
        raise NotImplementedError

    def lexical_query(
        self, query: str, k: int, flt: DocumentFilter | None = None
    ) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) best first for a question's terms (see
        :mod:`assistant.index.lexical`)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connections (a later call opens new ones)."""
        raise NotImplementedError

    def check_format(self) -> None:
        """Raise :class:`IndexFormatError` unless this version can read the index."""
        raise NotImplementedError

    # --- transactions and metadata -----------------------------------------------------
    @contextmanager
    def transaction(self, keys: Sequence[str] = ()) -> Iterator[Any]:
        """One atomic write: everything inside commits together or not at all, and the
        generation counter moves so readers know to refresh what they derived from the
        index. ``keys`` are the ids of the documents written, for engines whose writers
        exclude each other per document."""
        with self._begin(keys) as conn:
            yield conn
            self._run(
                conn,
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                "WHERE key='generation'",
            )

    def get_meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key=?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, conn: Any, key: str, value: str) -> None:
        self._run(
            conn,
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # --- documents ------------------------------------------------------------------
    def document_hashes(self, ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            rows = self._read(
                f"SELECT id, content_hash FROM documents WHERE id IN ({_marks(part)})", part
            )
            out.update({row[0]: row[1] for row in rows})
        return out

    def get_document(self, doc_id: str) -> Document | None:
        rows = self._read(f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id=?", (doc_id,))
        return _document_from_row(rows[0]) if rows else None

    def chunk_ids(self, limit: int) -> list[int]:
        return [
            int(row[0]) for row in self._read("SELECT id FROM chunks ORDER BY id LIMIT ?", (limit,))
        ]

    def text_chars(self) -> int:
        return int(self._read("SELECT COALESCE(SUM(LENGTH(text)), 0) FROM chunks")[0][0])

    def filter(self, flt: DocumentFilter, alias: str = "d") -> tuple[str, list[object]]:
        """:func:`filter_sql` in this engine's dialect."""
        return filter_sql(flt, alias, self.tags_sql)

    def list_documents(
        self, flt: DocumentFilter | None = None, *, offset: int = 0, limit: int = 50
    ) -> tuple[list[Document], int]:
        """A page of documents (newest first) and the total count matching the filter."""
        where, params = self.filter(flt or DocumentFilter())
        total = int(self._read(f"SELECT COUNT(*) FROM documents d WHERE {where}", params)[0][0])
        rows = self._read(
            f"SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE {where} "
            "ORDER BY d.published_at IS NULL, d.published_at DESC, d.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_document_from_row(row) for row in rows], total

    def iter_documents(self, *, written_order: bool = False) -> Iterator[Document]:
        """Every document, by id, or in the order their chunks were written (a copy of
        the index that keeps that order numbers its chunks in the same order)."""
        order = "d.id"
        if written_order:
            order = "(SELECT MIN(c.id) FROM chunks c WHERE c.doc_id = d.id), d.id"
        columns = ", ".join(f"d.{name}" for name in DOCUMENT_FIELDS)
        for row in self._read(f"SELECT {columns} FROM documents d ORDER BY {order}"):
            yield _document_from_row(row)

    def put_document(
        self,
        conn: Any,
        doc: Document,
        chunks: Sequence[Chunk],
        terms: Sequence[tuple[str, str]],
        vectors: np.ndarray | None = None,
    ) -> tuple[list[int], list[int]]:
        """Insert or replace a document with its chunks and lexical terms (inside a
        transaction); ``vectors`` (one per chunk) for an engine that keeps them beside
        the chunks. Returns (removed chunk ids, new chunk ids)."""
        removed = self.delete_document(conn, doc.id)
        scope = doc.scope or ArticleScope()
        self._run(
            conn,
            "INSERT INTO documents (id, title, url, published_at, source, tags, text, "
            "content_hash, ingested_at, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.title,
                doc.url,
                doc.published_at,
                doc.source,
                json.dumps(doc.tags, ensure_ascii=False),
                doc.text,
                doc.content_hash,
                _now(),
                json.dumps(scope.to_dict(), ensure_ascii=False),
            ),
        )
        self._run_many(
            conn,
            "INSERT INTO document_places (doc_id, place) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(doc.id, key) for key in sorted(set(scope.place_keys))],
        )
        new_ids: list[int] = []
        for i, (chunk, (exact, folded)) in enumerate(zip(chunks, terms, strict=True)):
            vector = None if vectors is None else vectors[i]
            new_ids.append(self._insert_chunk(conn, chunk, exact, folded, vector))
            pairs, forms = word_rows(chunk, exact, folded)
            self._run_many(
                conn,
                "INSERT INTO name_pairs (folded, n) VALUES (?, 1) "
                "ON CONFLICT (folded) DO UPDATE SET n = name_pairs.n + 1",
                [(pair,) for pair in pairs],
            )
            self._run_many(
                conn,
                "INSERT INTO term_forms (folded, exact) VALUES (?, ?) ON CONFLICT DO NOTHING",
                forms,
            )
        return removed, new_ids

    def delete_document(self, conn: Any, doc_id: str) -> list[int]:
        """Remove a document, its chunks and their lexical terms (inside a transaction)."""
        rows = self._run(conn, "SELECT id FROM chunks WHERE doc_id=? ORDER BY id", (doc_id,))
        ids = [int(row[0]) for row in rows.fetchall()]
        self._delete_terms(conn, ids)
        self._run(conn, "DELETE FROM chunks WHERE doc_id=?", (doc_id,))
        self._run(conn, "DELETE FROM document_places WHERE doc_id=?", (doc_id,))
        self._run(conn, "DELETE FROM documents WHERE id=?", (doc_id,))
        return ids

    def _delete_terms(self, conn: Any, chunk_ids: Sequence[int]) -> None:
        """Remove the lexical terms of chunks about to be deleted (an engine whose term
        rows reference their chunk drops them by cascade)."""

    # --- embeddings cache -------------------------------------------------------------
    def cached_vectors(self, hashes: Iterable[str], embedder: str) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            rows = self._read(
                "SELECT content_hash, vector FROM embeddings WHERE embedder=? AND "
                f"content_hash IN ({_marks(part)})",
                [embedder, *part],
            )
            out.update({row[0]: _float32(row[1]) for row in rows})
        return out

    def put_vectors(self, conn: Any, embedder: str, vectors: dict[str, np.ndarray]) -> None:
        self._run_many(
            conn,
            "INSERT INTO embeddings (content_hash, embedder, vector) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [
                (key, embedder, np.asarray(vectors[key], dtype=np.float32).tobytes())
                for key in sorted(vectors)
            ],
        )

    def cache_vectors(self, embedder: str, vectors: dict[str, np.ndarray]) -> None:
        """Remember vectors outside any index change (no generation bump): used for
        sentence vectors computed while answering."""
        with self._begin(()) as conn:
            self.put_vectors(conn, embedder, vectors)

    def embedding_keys(self) -> list[str]:
        """Every embedder key with cached vectors (the index's model, answer segments)."""
        return [str(row[0]) for row in self._read("SELECT DISTINCT embedder FROM embeddings")]

    def all_cached_vectors(self, embedder: str) -> dict[str, np.ndarray]:
        """Every vector cached under one embedder key (for copying an index)."""
        rows = self._read(
            "SELECT content_hash, vector FROM embeddings WHERE embedder=?", (embedder,)
        )
        return {row[0]: _float32(row[1]) for row in rows}

    def chunk_vectors(self, embedder: str) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, vectors) of every chunk, for (re)building the vector index."""
        rows = self._read(
            "SELECT c.id, e.vector FROM chunks c JOIN embeddings e "
            "ON e.content_hash = c.content_hash AND e.embedder = ? ORDER BY c.id",
            (embedder,),
        )
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        vectors = np.vstack([_float32(row[1]) for row in rows])
        return ids, vectors

    def prune_embeddings(self, conn: Any) -> int:
        """Drop cached vectors no chunk uses any more."""
        cur = self._run(
            conn,
            "DELETE FROM embeddings WHERE content_hash NOT IN (SELECT content_hash FROM chunks)",
        )
        return int(cur.rowcount)

    # --- chunks -------------------------------------------------------------------------
    def document_chunks(self, doc_id: str) -> list[Chunk]:
        """A document's chunks as they were written (offsets, ordinals), in order."""
        rows = self._read(
            'SELECT c.ordinal, c.start, c."end", c.text, d.title FROM chunks c '
            "JOIN documents d ON d.id = c.doc_id WHERE c.doc_id = ? ORDER BY c.id",
            (doc_id,),
        )
        return [Chunk(doc_id, row[0], row[1], row[2], row[3], title=row[4]) for row in rows]

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, Passage]:
        """Passages (chunk + document metadata) for the given chunk ids."""
        out: dict[int, Passage] = {}
        ids = [int(i) for i in chunk_ids]
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            rows = self._read(
                'SELECT c.id, c.doc_id, c.start, c."end", c.text, d.title, d.url, '
                "d.published_at, d.tags, d.scope FROM chunks c "
                f"JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({_marks(part)})",
                part,
            )
            for row in rows:
                values = _fields(PASSAGE_FIELDS, row)
                values["scope"] = ArticleScope.from_dict(values["scope"])
                out[row[0]] = Passage(**values)
        return out

    def chunk_ids_matching(self, flt: DocumentFilter) -> np.ndarray:
        where, params = self.filter(flt)
        rows = self._read(
            f"SELECT c.id FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE {where}",
            params,
        )
        return np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))

    def known_names(self, pairs: Sequence[str]) -> set[str]:
        """The folded word pairs among ``pairs`` that the articles mostly write as a name:
        "Sở Lao động" makes ``so_lao`` a name once, but "số lao động" is far more often
        written in lower case, and a reader typing "so lao dong" names nothing."""
        if not pairs:
            return set()
        rows = self._read(
            f"SELECT folded, n FROM name_pairs WHERE folded IN ({_marks(pairs)})", list(pairs)
        )
        written = self.document_frequencies([folded for folded, _ in rows])
        return {folded for folded, n in rows if 2 * n >= written.get(folded, 0)}

    def written_forms(self, folded_terms: Sequence[str]) -> dict[str, list[tuple[str, int]]]:
        """For each folded term, the written forms the articles use and in how many
        chunks each occurs, most frequent first (``xuat_khau`` → ``xuất_khẩu``)."""
        out: dict[str, list[tuple[str, int]]] = {}
        for term in dict.fromkeys(folded_terms):
            forms = [term] + [
                row[0]
                for row in self._read("SELECT exact FROM term_forms WHERE folded = ?", (term,))
            ]
            freq = self.document_frequencies(forms, column="exact") if forms else {}
            ranked = sorted(((f, n) for f, n in freq.items() if n > 0), key=lambda x: -x[1])
            out[term] = ranked
        return out

    def place_keys(self) -> set[str]:
        """Every place some article reports on (folded keys)."""
        return {row[0] for row in self._read("SELECT DISTINCT place FROM document_places")}

    def article_scopes(self) -> list[tuple[str, ArticleScope]]:
        """Every article's id and scope, without its text."""
        return [
            (row[0], ArticleScope.from_dict(_json(row[1])))
            for row in self._read("SELECT id, scope FROM documents ORDER BY id")
        ]

    def word_tables(self) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
        """The name-pair counts and the written forms, as counted so far."""
        pairs = self._read("SELECT folded, n FROM name_pairs ORDER BY folded")
        forms = self._read("SELECT folded, exact FROM term_forms ORDER BY folded, exact")
        return [(row[0], int(row[1])) for row in pairs], [(row[0], row[1]) for row in forms]

    def replace_word_tables(
        self, pairs: Sequence[tuple[str, int]], forms: Sequence[tuple[str, str]]
    ) -> None:
        """Make the name-pair counts and the written forms those of another index."""
        with self.transaction() as conn:
            self._run(conn, "DELETE FROM name_pairs")
            self._run(conn, "DELETE FROM term_forms")
            self._run_many(conn, "INSERT INTO name_pairs (folded, n) VALUES (?, ?)", pairs)
            self._run_many(conn, "INSERT INTO term_forms (folded, exact) VALUES (?, ?)", forms)

    # --- statistics ---------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        def count(table: str) -> int:
            return int(self._read(f"SELECT COUNT(*) FROM {table}")[0][0])

        return {
            "documents": count("documents"),
            "chunks": count("chunks"),
            "cached_embeddings": count("embeddings"),
        }


class Store(SqlStore):
    """SQLite access for one index directory. Safe to share between threads: each
    thread gets its own read connection; writes go through one connection under a lock."""

    def __init__(self, index_dir: Path, *, create: bool = True, upgrade: bool = False) -> None:
        self.index_dir = Path(index_dir)
        self.location = str(self.index_dir)
        self.path = self.index_dir / DB_NAME
        if not self.path.exists() and not create:
            raise IndexNotFoundError(_missing_message(self.index_dir))
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        with self._write_lock:
            conn = self._connection()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            fresh = "meta" not in tables
            if fresh and not create:
                raise IndexNotFoundError(_missing_message(self.index_dir))
            if upgrade and not fresh:
                self._upgrade(conn)
            if fresh or not tables >= _TABLES:
                # a fresh index, or one from before a table was added (all are optional
                # caches that fill on the next write)
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.execute(
                        "INSERT OR IGNORE INTO meta VALUES ('format_version', ?)",
                        (str(FORMAT_VERSION),),
                    )
                    conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        self.check_format()

    # --- connections --------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._local.conn = conn
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._connection()

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        return self.conn.execute(sql, params).fetchall()

    def _run(self, conn: Any, sql: str, params: Sequence[object] = ()) -> Any:
        return conn.execute(sql, params)

    def _run_many(self, conn: Any, sql: str, rows: Iterable[Sequence[object]]) -> None:
        conn.executemany(sql, rows)

    @contextmanager
    def _begin(self, keys: Sequence[str]) -> Iterator[sqlite3.Connection]:
        """SQLite's write transaction already excludes every other writer (``keys`` are
        not needed)."""
        with self._write_lock, immediate(self._connection()) as conn:
            yield conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        """Bring an index of an older format to this one's tables (its contents are
        then re-derived by the rebuild that asked for the upgrade)."""
        found = int(self.get_meta("format_version") or 0)
        if found not in _UPGRADES and found != FORMAT_VERSION:
            return  # unknown: check_format explains
        with conn:
            for version in range(found, FORMAT_VERSION):
                for statement in _UPGRADES[version]:
                    conn.execute(statement)
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'format_version'", (str(FORMAT_VERSION),)
            )

    def check_format(self) -> None:
        found = self.get_meta("format_version")
        if found is not None and found.isdigit() and int(found) in _UPGRADES:
            raise IndexFormatError(
                f"Index at {self.index_dir} has format version {found}, from before "
                "article scopes and title-aware chunk vectors. Run `assistant index rebuild "
                f"--index {self.index_dir}` to upgrade it in place (every article is "
                "re-chunked and re-embedded; nothing is lost)."
            )
        if found != str(FORMAT_VERSION):
            raise IndexFormatError(
                f"Index at {self.index_dir} has format version {found}, this version of "
                f"the assistant reads version {FORMAT_VERSION}. Re-create it: move the "
                f"folder away and run `assistant ingest` on your articles again."
            )

    # --- the FTS5 lexical index ----------------------------------------------------------
    def _insert_chunk(
        self, conn: Any, chunk: Chunk, exact: str, folded: str, vector: np.ndarray | None
    ) -> int:
        cur = conn.execute(
            "INSERT INTO chunks (doc_id, ordinal, start, end, text, content_hash) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (chunk.doc_id, chunk.ordinal, chunk.start, chunk.end, chunk.text, chunk.content_hash),
        )
        chunk_id = int(cur.lastrowid or 0)
        conn.execute(
            "INSERT INTO chunk_terms (rowid, exact, folded) VALUES (?, ?, ?)",
            (chunk_id, exact, folded),
        )
        return chunk_id

    def _delete_terms(self, conn: Any, chunk_ids: Sequence[int]) -> None:
        conn.executemany("DELETE FROM chunk_terms WHERE rowid=?", [(i,) for i in chunk_ids])

    def lexical_query(
        self, query: str, k: int, flt: DocumentFilter | None = None
    ) -> list[tuple[int, float]]:
        return self.lexical_search(match_expression(query), k, flt)

    def lexical_search(
        self, match: str, k: int, flt: DocumentFilter | None = None
    ) -> list[tuple[int, float]]:
        """(chunk id, score) best first, from an FTS5 MATCH expression; score is the
        negated bm25 so that higher is better."""
        if not match:
            return []
        where, params = self.filter(flt or DocumentFilter())
        join = ""
        if flt is not None and not flt.is_empty:
            join = "JOIN chunks c ON c.id = t.rowid JOIN documents d ON d.id = c.doc_id"
        else:
            where, params = "1", []
        sql = (
            f"SELECT t.rowid, -bm25(chunk_terms, ?, ?) AS score FROM chunk_terms t {join} "
            f"WHERE chunk_terms MATCH ? AND {where} ORDER BY bm25(chunk_terms, ?, ?) LIMIT ?"
        )
        bound = [*COLUMN_WEIGHTS, match, *params, *COLUMN_WEIGHTS, k]
        rows = self.conn.execute(sql, bound).fetchall()
        return [(int(row[0]), float(row[1])) for row in rows]

    def document_frequencies(self, terms: Sequence[str], column: str = "folded") -> dict[str, int]:
        out = {}
        for term in dict.fromkeys(terms):
            row = self.conn.execute(
                "SELECT doc FROM chunk_terms_vocab WHERE term = ? AND col = ?", (term, column)
            ).fetchone()
            out[term] = int(row[0]) if row else 0
        return out
