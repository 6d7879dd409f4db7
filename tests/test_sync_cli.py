"""`assistant sync` as a command: summary, exit status, and a kill -9 in the middle of a
sync (the index stays usable and the next sync completes). The command runs in a child
process with the stand-in embedder swapped in through the runtime hook."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sync_site import FixtureSite, generated_articles

from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.index.store import DB_NAME

ROOT = Path(__file__).resolve().parents[1]

_CLI = """
import sys
import assistant.runtime as runtime
from assistant.embed.hashing import HashingEmbedder
runtime.build_embedder = lambda settings: HashingEmbedder(dim=32)
from assistant.cli import main
print("ready", flush=True)
sys.exit(main(sys.argv[1:]))
"""


def _env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        "ASSISTANT_SYNC_TIMEOUT_S": "0.4",
        "ASSISTANT_SYNC_RETRIES": "1",
        "ASSISTANT_SYNC_BACKOFF_S": "0.01",
        "ASSISTANT_SYNC_HOST_RATE": "0",
        "ASSISTANT_SYNC_RECHECK_S": "0",
        **extra,
    }
    return env


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _CLI, *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=120,
    )


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with FixtureSite(slow_s=1.0) as served:
        yield served


def test_summary_and_exit_status(tmp_path: Path, site: FixtureSite) -> None:
    index = str(tmp_path / "index")
    good = [site.url("/rss.xml"), site.url("/sitemap.xml")]
    done = _cli("sync", *good, "--index", index, "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.splitlines()[-1])
    assert summary["new"] == len(site.articles) and summary["failed_sources"] == 0
    assert summary["sources"] == 2 and summary["seconds"] > 0

    # one bad source: the others are still synced, and the exit status says it
    bad = _cli("sync", site.url("/feed-hong.xml"), site.url("/atom.xml"), "--index", index)
    assert bad.returncode == 1, bad.stderr
    assert "sources: 2 (1 failed)" in bad.stdout
    assert "source failed: " + site.url("/feed-hong.xml") in bad.stdout
    assert "unchanged" in bad.stdout

    missing = _cli("sync", "--index", index)
    assert missing.returncode == 2 and "ASSISTANT_SYNC_URLS" in missing.stderr


def _check_usable(folder: Path) -> int:
    """The index opens, is consistent (vectors = chunks, offsets hold) and searchable."""
    embedder = HashingEmbedder(dim=32)
    index = Index(folder, embedder.key, embedder.dim)
    assert index.store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = index.counts()
    assert index.vectors().size == counts["chunks"]
    for doc in index.documents():
        rows = index.store.conn.execute(
            "SELECT start, end, text FROM chunks WHERE doc_id=?", (doc.id,)
        )
        for start, end, text in rows:
            assert doc.text[start:end] == text
    if counts["chunks"]:
        assert index.dense_search(embedder.embed_queries(["ngân sách"]), 3)[0]
    index.close()
    return counts["documents"]


def _wait_for_documents(folder: Path, count: int, proc: subprocess.Popen[str]) -> None:
    """Until the index holds ``count`` documents (or the process ended)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            uri = f"file:{folder / DB_NAME}?mode=ro"
            with closing(sqlite3.connect(uri, uri=True)) as conn:
                if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= count:
                    return
        except sqlite3.Error:
            pass  # not created yet
        time.sleep(0.02)


@pytest.mark.slow
def test_kill_9_mid_sync_leaves_a_usable_index(tmp_path: Path) -> None:
    articles = generated_articles(40)
    with FixtureSite(articles) as site:
        site.article_delay_s = 0.05
        folder = tmp_path / "index"
        command = [
            sys.executable,
            "-c",
            _CLI,
            "sync",
            site.url("/sitemap.xml"),
            "--index",
            str(folder),
            "--no-progress",
        ]
        env = _env(ASSISTANT_SYNC_BATCH_DOCS="3", ASSISTANT_SYNC_WORKERS="2")
        rng = random.Random(11)
        seen = mid_sync = 0
        for _attempt in range(4):
            proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            # kill once this run has committed something, at a random moment after it
            _wait_for_documents(folder, seen + 1, proc)
            time.sleep(rng.uniform(0.0, 0.3))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            documents = _check_usable(folder)
            assert documents >= seen, "articles committed before the kill were lost"
            seen = documents
            if 0 < documents < len(articles):
                mid_sync += 1
        assert mid_sync, "no kill landed between two commits: adjust the site's delay"
        done = subprocess.run([*command, "--json"], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout.splitlines()[-1])
        assert summary["new"] + summary["unchanged"] >= len(articles)
        assert _check_usable(folder) == len(articles)
