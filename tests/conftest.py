"""Shared fixtures: the repository's corpora, a deterministic embedder for tests of index
mechanics, and the real model + a real index for tests of quality (skipped, with the
reason, when the model has not been fetched)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from needs import missing
from pg import pg_server, pg_url

from assistant.core.config import Settings, get_settings
from assistant.embed.hashing import HashingEmbedder
from assistant.index.index import Index
from assistant.runtime import open_location

__all__ = ["pg_server", "pg_url"]  # fixtures of tests/pg.py, for every test module

BACKENDS = ("sqlite", "postgresql")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "corpus" / "sample"
SYNTHETIC_DIR = ROOT / "corpus" / "synthetic"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture
def sample_dir() -> Path:
    """The shipped sample corpus (the cleaned seed article)."""
    return SAMPLE_DIR


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    """Stand-in for the model in tests of index mechanics only (never of quality)."""
    return HashingEmbedder(dim=32)


@pytest.fixture
def make_index(tmp_path: Path, hashing_embedder: HashingEmbedder):  # type: ignore[no-untyped-def]
    """Factory: an Index in a fresh folder (or reopen one) with the hashing embedder."""

    def _make(folder: Path | None = None) -> Index:
        return Index(folder or tmp_path / "index", hashing_embedder.key, hashing_embedder.dim)

    return _make


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where an index lives, for the tests that run on both backends: a folder, or a
    fresh database of the test run's PostgreSQL (started only when a test asks)."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "index")


@pytest.fixture
def make_backend_index(backend: str, tmp_path: Path, hashing_embedder: HashingEmbedder):  # type: ignore[no-untyped-def]
    """Factory: the hashing-embedder Index of the test's backend (each call opens it
    again, as another process would); all closed after the test."""
    opened: list[Index] = []

    def _make(
        key: str = hashing_embedder.key,
        dim: int = hashing_embedder.dim,
        ann_threshold: int | None = None,
        **options: Any,
    ) -> Index:
        settings = get_settings(index_dir=tmp_path / "index", ann_threshold=ann_threshold)
        location = backend if backend.startswith("postgresql") else Path(backend)
        opened.append(open_location(location, settings, key, dim, **options))
        return opened[-1]

    yield _make
    for index in opened:
        index.close()


def copy_index(template: Path, folder: Path) -> Path:
    """A private copy of an index built once (without its writer's lock file)."""
    shutil.copytree(template, folder, ignore=shutil.ignore_patterns(".write.lock"))
    return folder


@pytest.fixture(scope="session")
def hashing_sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hashing-embedder index of corpus/sample, built once: tests of mechanics that
    need a whole assistant copy it (:func:`copy_index`) rather than ingest again."""
    from assistant.ingest.pipeline import Ingestor

    folder = tmp_path_factory.mktemp("hashing-sample") / "index"
    embedder = HashingEmbedder(dim=32)
    index = Index(folder, embedder.key, embedder.dim)
    summary = Ingestor(index, embedder, chunk_size=600, chunk_overlap=100).ingest_paths(
        [SAMPLE_DIR]
    )
    assert summary.failed == 0 and summary.added >= 1, summary.errors
    index.store.close()
    return folder


def _real_settings(index_dir: Path) -> Settings:
    return get_settings(index_dir=index_dir)


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The configured sentence-transformers model, loaded once per test session."""
    from assistant.embed.provision import ModelNotAvailableError, resolve_model_path
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder

    settings = get_settings()
    try:
        resolve_model_path(settings)
    except ModelNotAvailableError as err:
        missing(f"embedding model not available ({err}); run `assistant models fetch`")
    return SentenceTransformerEmbedder(settings)


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory: pytest.TempPathFactory, real_embedder) -> Path:  # type: ignore[no-untyped-def]
    """A real index of the sample article and the synthetic distractors."""
    from assistant.ingest.pipeline import Ingestor
    from assistant.runtime import open_index

    folder = tmp_path_factory.mktemp("sample-index")
    settings = _real_settings(folder)
    index = open_index(settings, real_embedder)
    ingestor = Ingestor.from_settings(index, real_embedder, settings)
    summary = ingestor.ingest_paths([SAMPLE_DIR, SYNTHETIC_DIR])
    assert summary.failed == 0, summary.errors
    from assistant.answer.assistant import Assistant

    Assistant(index, real_embedder, settings).warm()  # sentence vectors, cached in the index
    return folder


@pytest.fixture(scope="session")
def assistant(sample_index_dir: Path, real_embedder):  # type: ignore[no-untyped-def]
    """The real Assistant over the sample index (shared by the answer tests)."""
    from assistant.answer.assistant import Assistant
    from assistant.runtime import open_index

    settings = _real_settings(sample_index_dir)
    return Assistant(open_index(settings, real_embedder, create=False), real_embedder, settings)
