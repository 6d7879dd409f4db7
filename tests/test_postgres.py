"""The PostgreSQL backend as several service replicas use it: its lexical ranking is the
embedded index's, a write through one replica is answered by the others, concurrent
ingests of one article leave one copy, a killed writer leaves nothing half-written, and
`assistant index migrate` copies an index both ways with identical answers (hashing
embedder: mechanics only; the server is the test run's own, see tests/pg.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_DIR, SYNTHETIC_DIR
from test_index import EXPORTS, LAOS, _doc, _prepare

from assistant.answer.assistant import Assistant
from assistant.cli import main
from assistant.core.config import get_settings
from assistant.core.errors import IndexFormatError, IndexNotFoundError
from assistant.core.types import Document, DocumentFilter
from assistant.embed.hashing import HashingEmbedder
from assistant.eval.testset import load_testset
from assistant.feedback.store import FeedbackRecord, feedback_at
from assistant.index.index import Index
from assistant.index.postgres import PostgresIndex
from assistant.ingest.pipeline import Ingestor

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "xuat khau 2016-2020",
    "Tổng giá trị xuất khẩu giai đoạn 2016-2020",
    "Hủa Phăn trao đổi đoàn",
    "hợp tác giai đoạn 2021-2025",
    "14.081,67 triệu USD",
]


def _pg(url: str, embedder: HashingEmbedder, tmp_path: Path, **options: object) -> PostgresIndex:
    return PostgresIndex(url, embedder.key, embedder.dim, index_dir=tmp_path, **options)  # type: ignore[arg-type]


def test_lexical_and_dense_rankings_are_the_embedded_ones(
    pg_url: str, tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    """The same BM25 (FTS5's, column weights and all) and the same cosine similarities, so
    the hybrid fusion of either backend sees the same inputs."""
    embedded = Index(tmp_path / "index", hashing_embedder.key, hashing_embedder.dim)
    database = _pg(pg_url, hashing_embedder, tmp_path)
    docs = [_prepare(EXPORTS, hashing_embedder), _prepare(LAOS, hashing_embedder)]
    for index in (embedded, database):
        index.write(docs)
    for query in QUERIES:
        for flt in (None, DocumentFilter(date_from="2022-01-01")):
            want = embedded.lexical_search(query, 10, flt)
            got = database.lexical_search(query, 10, flt)
            assert [i for i, _ in got] == [i for i, _ in want], query
            assert [s for _, s in got] == pytest.approx([s for _, s in want], rel=1e-9)
            vector = hashing_embedder.embed_queries([query])
            want_dense = embedded.dense_search(vector, 10, flt)[0]
            got_dense = database.dense_search(vector, 10, flt)[0]
            assert [i for i, _ in got_dense] == [i for i, _ in want_dense], query
            assert [s for _, s in got_dense] == pytest.approx([s for _, s in want_dense], abs=1e-5)
    assert database.written_forms(["xuat_khau"]) == embedded.written_forms(["xuat_khau"])
    database.close()


def test_database_errors_name_the_fix(pg_url: str, tmp_path: Path) -> None:
    embedder = HashingEmbedder(dim=32)
    with pytest.raises(IndexNotFoundError, match="assistant ingest"):
        _pg(pg_url, embedder, tmp_path, create=False)
    index = _pg(pg_url, embedder, tmp_path)
    with index.store.transaction() as conn:
        index.store.set_meta(conn, "format_version", "999")
    index.close()
    with pytest.raises(IndexFormatError, match="format version 999"):
        _pg(pg_url, embedder, tmp_path)
    with pytest.raises(IndexNotFoundError, match="ASSISTANT_DATABASE_URL"):
        _pg("postgresql://nobody@127.0.0.1:1/none", embedder, tmp_path)


def test_a_replica_answers_a_write_made_through_another(
    pg_url: str, tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    """Two service replicas on one database: the second one's answer cache drops its
    answers when the first one commits (within ``database_generation_ttl_s``), and it
    answers from the new article."""
    settings = get_settings(index_dir=tmp_path, database_url=pg_url, answer_cache_size=8)
    first = Assistant(_pg(pg_url, hashing_embedder, tmp_path), hashing_embedder, settings)
    second = Assistant(_pg(pg_url, hashing_embedder, tmp_path), hashing_embedder, settings)
    Ingestor.from_settings(first.index, hashing_embedder, settings).ingest_documents([EXPORTS])
    question = "Năm 2024 xuất khẩu của Hủa Phăn đạt bao nhiêu?"
    before = second.ask(question)
    assert "cache.miss" in before.timings_ms
    assert "cache.hit" in second.ask(question).timings_ms
    news = Document(
        id="moi", title="Hủa Phăn", text="Năm 2024 xuất khẩu của Hủa Phăn đạt 5 tỷ USD."
    )
    Ingestor.from_settings(first.index, hashing_embedder, settings).ingest_documents([news])
    deadline = time.monotonic() + 5
    after = second.ask(question)
    while "cache.hit" in after.timings_ms and time.monotonic() < deadline:
        time.sleep(0.1)
        after = second.ask(question)
    assert "cache.miss" in after.timings_ms
    assert any(p.doc_id == "moi" for p in after.passages)
    for assistant in (first, second):
        assistant.index.close()


def test_concurrent_ingests_of_one_article_leave_one_copy(
    pg_url: str, tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    """Writers on their own connections (as replicas would be) write versions of the
    same article at once: each commit replaces the previous one whole."""
    indexes = [_pg(pg_url, hashing_embedder, tmp_path) for _ in range(4)]
    versions = [
        _doc("exports", EXPORTS.text.replace("14.081,67", f"{n}.000") + " Thêm. " * n)
        for n in range(4)
    ]
    errors: list[BaseException] = []
    start = threading.Barrier(len(indexes))

    def write(index: Index, doc: Document) -> None:
        try:
            start.wait()
            for _ in range(3):
                index.write([_prepare(doc, hashing_embedder)])
        except BaseException as err:
            errors.append(err)

    threads = [
        threading.Thread(target=write, args=pair) for pair in zip(indexes, versions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    index = indexes[0]
    kept = index.get_document("exports")
    assert kept is not None and index.counts()["documents"] == 1
    chunks = index.store.document_chunks("exports")
    assert index.counts()["chunks"] == len(chunks) == len(_prepare(kept, hashing_embedder).chunks)
    assert all(kept.text[c.start : c.end] == c.text for c in chunks)
    terms = index.store._read("SELECT COUNT(DISTINCT chunk_id) FROM chunk_terms")[0][0]
    assert terms == len(chunks) == index.stats()["vectors"]
    for each in indexes:
        each.close()


_KILLED_WRITER = """
import sys, time
from assistant.embed.hashing import HashingEmbedder
from assistant.core.types import Document
from assistant.index.postgres import PostgresIndex
from assistant.ingest.chunk import chunk_document

embedder = HashingEmbedder(dim=32)
index = PostgresIndex(sys.argv[1], embedder.key, embedder.dim, index_dir=sys.argv[2])
doc = Document(id="half", title="Nửa chừng", text="Bài viết bị ngắt giữa chừng. " * 40)
chunks = chunk_document(doc, 120, 20)
with index.store.transaction(["half"]) as conn:
    index.store.put_document(conn, doc, chunks, [("nua chung", "nua chung")] * len(chunks))
    print("writing", flush=True)
    time.sleep(60)
"""


def test_a_writer_killed_mid_commit_leaves_nothing(
    pg_url: str, tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    index = _pg(pg_url, hashing_embedder, tmp_path)
    index.write([_prepare(EXPORTS, hashing_embedder)])
    generation = index.generation
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, pg_url, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "writing"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert index.get_document("half") is None
    assert index.counts()["documents"] == 1 and index.generation == generation
    index.write([_prepare(_doc("half", "Bài viết viết lại. Trọn vẹn."), hashing_embedder)])
    assert index.counts()["documents"] == 2  # the killed writer's lock died with it
    index.close()


def test_migrate_round_trip_keeps_answers_identical(pg_url: str, tmp_path: Path) -> None:
    """Folder → database → folder with `assistant index migrate`: nothing is re-embedded,
    every answer of the test split is the same on the three copies, and readers'
    feedback travels with the index (its time stamps kept)."""
    embedder = HashingEmbedder(dim=32)
    folder, back = tmp_path / "index", tmp_path / "back"
    source = Index(folder, embedder.key, embedder.dim)
    summary = Ingestor(source, embedder, chunk_size=600, chunk_overlap=100).ingest_paths(
        [SAMPLE_DIR, SYNTHETIC_DIR]
    )
    assert summary.failed == 0
    settings = get_settings(index_dir=folder)
    Assistant(source, embedder, settings).warm()  # sentence vectors cached in the index
    ratings = feedback_at(folder)
    stamp = "2025-01-02T03:04:05+00:00"
    ratings.add(FeedbackRecord("down", "Ai?", "Không rõ.", created_at=stamp))
    ratings.add(FeedbackRecord("up", "Bao nhiêu?", "42 [1].", citations=[{"n": 1}]))
    assert main(["-q", "index", "migrate", "--index", str(folder), "--to", pg_url]) == 0
    assert main(["-q", "index", "migrate", "--from", pg_url, "--to", str(back)]) == 0
    kept = [{k: v for k, v in row.items() if k != "id"} for row in feedback_at(back).rows()]
    assert kept == [{k: v for k, v in row.items() if k != "id"} for row in ratings.rows()]
    assert kept[0]["created_at"] == stamp and len(kept) == 2
    copies = [
        source,
        _pg(pg_url, embedder, tmp_path),
        Index(back, embedder.key, embedder.dim, create=False),
    ]
    assert len({str(sorted(c.counts().items())) for c in copies}) == 1
    assistants = [Assistant(copy, embedder, settings) for copy in copies]
    for item in load_testset(ROOT / "eval" / "test.jsonl")[::3]:
        answers = [
            a.ask(item.question, history=item.history, filters=item.document_filter())
            for a in assistants
        ]
        texts = {(a.answer, tuple(c.doc_id for c in a.citations)) for a in answers}
        assert len(texts) == 1, (item.id, texts)
    assert main(["-q", "index", "migrate", "--index", str(folder), "--to", pg_url]) == 2
    copies[1].close()


def test_a_write_of_many_articles_takes_the_index_lock(
    pg_url: str, tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    """More documents than per-document locks fit in PostgreSQL's lock table (a rebuild):
    the commit takes the index's lock alone, and still commits whole."""
    from assistant.index.postgres import MAX_DOCUMENT_LOCKS

    index = _pg(pg_url, hashing_embedder, tmp_path)
    docs = [_doc(f"d{n}", f"Bài {n}. Tin ngắn số {n}.") for n in range(MAX_DOCUMENT_LOCKS + 1)]
    index.write([_prepare(doc, hashing_embedder) for doc in docs])
    assert index.counts()["documents"] == len(docs)
    index.write([_prepare(EXPORTS, hashing_embedder)])  # the lock was released
    assert index.counts()["documents"] == len(docs) + 1
    index.close()
