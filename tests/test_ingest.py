"""Ingest end to end on files: incremental re-ingest, replacement, delete, bad input,
and crash safety (a process killed at random moments never damages the index)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor


class CountingEmbedder(HashingEmbedder):
    """Hashing embedder that counts the texts it embeds."""

    def __init__(self) -> None:
        super().__init__(dim=32)
        self.embedded = 0

    def embed_documents(self, texts: list[str], titles: list[str] | None = None) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed_documents(texts, titles)


def _ingestor(folder: Path, embedder: CountingEmbedder) -> Ingestor:
    index = Index(folder, embedder.key, embedder.dim)
    return Ingestor(index, embedder, chunk_size=300, chunk_overlap=50)


def _write_corpus(folder: Path, sample_dir: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    sample = (sample_dir / "thanh-hoa-doi-ngoai.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in sample.split("\n\n") if p.strip()]
    for i in range(count):
        body = "\n\n".join(paragraphs[(i + j) % len(paragraphs)] for j in range(4))
        (folder / f"bai-{i:03d}.txt").write_text(f"Bài số {i}\n\n{body}\n", encoding="utf-8")


def test_reingest_of_unchanged_corpus_embeds_nothing(tmp_path: Path, sample_dir: Path) -> None:
    embedder = CountingEmbedder()
    first = _ingestor(tmp_path / "index", embedder).ingest_paths([sample_dir])
    assert first.added == 1 and first.chunks > 3 and embedder.embedded == first.chunks
    embedder.embedded = 0
    second = _ingestor(tmp_path / "index", embedder).ingest_paths([sample_dir])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 1)
    assert embedder.embedded == 0


def test_changed_document_replaces_its_chunks(tmp_path: Path, sample_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article = corpus / "bai.txt"
    text = (sample_dir / "thanh-hoa-doi-ngoai.txt").read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-8")
    embedder = CountingEmbedder()
    ingestor = _ingestor(tmp_path / "index", embedder)
    ingestor.ingest_paths([corpus])
    before = ingestor.index.counts()
    embedder.embedded = 0
    article.write_text(text.replace("14.081,67", "99.999,99"), encoding="utf-8")
    summary = ingestor.ingest_paths([corpus])
    after = ingestor.index.counts()
    assert summary.updated == 1
    assert after["documents"] == 1 and after["chunks"] == before["chunks"]
    assert embedder.embedded < before["chunks"], "only the changed chunks are embedded"
    assert ingestor.index.vectors().size == after["chunks"]
    assert ingestor.index.lexical_search("99.999,99", 3)
    assert not ingestor.index.lexical_search("14.081,67", 3)


def test_bad_files_are_skipped_and_nothing_is_lost(tmp_path: Path, sample_dir: Path) -> None:
    embedder = CountingEmbedder()
    ingestor = _ingestor(tmp_path / "index", embedder)
    ingestor.ingest_paths([sample_dir])
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00")
    (bad / "empty.txt").write_text("   \n")
    (bad / "cp1258.txt").write_bytes("Thành Đà".encode("cp1258"))
    (bad / "records.jsonl").write_text(
        json.dumps(
            {"id": "ok", "title": "Bài tốt", "text": "Nội dung hợp lệ về Lào."}, ensure_ascii=False
        )
        + "\n{not json\n",
        encoding="utf-8",
    )
    summary = ingestor.ingest_paths([bad])
    assert summary.added == 1 and summary.failed == 4
    messages = {Path(e.path).name: (e.line, e.message) for e in summary.errors}
    assert messages["records.jsonl"][0] == 2
    assert "UTF-8" in messages["cp1258.txt"][1]
    assert ingestor.index.get_document("thanh-hoa-doi-ngoai") is not None


def test_cli_exit_status_and_summary(tmp_path: Path) -> None:
    """The real CLI path with the test embedder swapped in through the runtime hook."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.md").write_text("# Tiêu đề\n\nNội dung bài viết.\n", encoding="utf-8")
    (tmp_path / "in" / "bad.json").write_text("{oops", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import sys
        import assistant.runtime as runtime
        from assistant.embed.hashing import HashingEmbedder
        runtime.build_embedder = lambda settings: HashingEmbedder(dim=32)
        from assistant.cli import main
        sys.exit(main(["ingest", {str(tmp_path / "in")!r}, "--index", {str(tmp_path / "ix")!r},
                       "--json"]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert summary["added"] == 1 and summary["failed"] == 1
    assert summary["errors"][0]["path"].endswith("bad.json")


_CRASH_SCRIPT = """
import sys, time
from pathlib import Path
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.ingest.pipeline import Ingestor

class Slow(HashingEmbedder):
    def embed_documents(self, texts, titles=None):
        time.sleep(0.002 * len(texts))
        return super().embed_documents(texts, titles)

embedder = Slow(dim=32)
index = Index(Path(sys.argv[1]), embedder.key, embedder.dim)
ingestor = Ingestor(index, embedder, chunk_size=300, chunk_overlap=50, batch_chunks=8)
print("ready", flush=True)
ingestor.ingest_paths([Path(sys.argv[2])])
"""


def _check_consistent(folder: Path) -> int:
    embedder = HashingEmbedder(dim=32)
    index = Index(folder, embedder.key, embedder.dim)
    assert index.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = index.counts()
    assert index.vectors().size == counts["chunks"]
    orphans = index.store.conn.execute(
        "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
        "(SELECT 1 FROM chunks c WHERE c.doc_id = d.id)"
    ).fetchone()[0]
    assert orphans == 0, "a document committed without its chunks"
    terms = index.store.conn.execute("SELECT COUNT(*) FROM chunk_terms").fetchone()[0]
    assert terms == counts["chunks"]
    for doc in index.store.iter_documents():
        for row in index.store.conn.execute(
            "SELECT start, end, text FROM chunks WHERE doc_id=?", (doc.id,)
        ):
            assert doc.text[row[0] : row[1]] == row[2]
    if counts["chunks"]:
        hits = index.dense_search(embedder.embed_queries(["xuất khẩu"]), 3)[0]
        assert hits
    return counts["documents"]


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_a_usable_index(tmp_path: Path, sample_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, sample_dir, 60)
    folder = tmp_path / "index"
    rng = random.Random(7)
    seen = 0
    for _attempt in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", _CRASH_SCRIPT, str(folder), str(corpus)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        documents = _check_consistent(folder)
        assert documents >= seen, "documents committed before a crash were lost"
        seen = documents
    # a final run completes the corpus, skipping what the killed runs committed
    done = subprocess.run(
        [sys.executable, "-c", _CRASH_SCRIPT, str(folder), str(corpus)], capture_output=True
    )
    assert done.returncode == 0
    assert _check_consistent(folder) == 60
