"""Wiring: settings → embedder → index. The CLI, the service and the harness share it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from assistant.core.config import Settings
from assistant.core.errors import IndexNotFoundError
from assistant.embed.base import Embedder
from assistant.index.index import Index

if TYPE_CHECKING:
    from typing_extensions import Unpack


class OpenOptions(TypedDict, total=False):
    """How an index is opened, by :func:`open_location` and whatever opens through it
    (the defaults are :func:`open_location`'s)."""

    create: bool  # make the index where there is none (default True)
    adopt_embedder: bool  # take the embedder it was built with, unchecked (default False)
    upgrade: bool  # bring an older embedded index's format up to date (default False)


def build_embedder(settings: Settings) -> Embedder:
    """The configured sentence-transformers model (loaded lazily on first use)."""
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings)


def open_index(settings: Settings, embedder: Embedder, **options: Unpack[OpenOptions]) -> Index:
    """Open (or create) the configured index for this embedder: the PostgreSQL database
    of ``database_url`` when it is set, else the directory ``index_dir``."""
    location = settings.database_url or settings.index_dir
    return open_location(location, settings, embedder.key, embedder.dim, **options)


def open_location(
    location: str | Path,
    settings: Settings,
    embedder_key: str,
    dim: int,
    *,
    create: bool = True,
    adopt_embedder: bool = False,
    upgrade: bool = False,
) -> Index:
    """The index at ``location``: a ``postgresql://`` URL or a directory."""
    if is_database_url(location):
        from assistant.index.postgres import PostgresIndex

        return PostgresIndex(
            str(location),
            embedder_key,
            dim,
            index_dir=settings.index_dir,
            ann_threshold=min(settings.ann_threshold, settings.database_ann_threshold),
            create=create,
            adopt_embedder=adopt_embedder,
            pool_size=settings.database_pool_size,
            generation_ttl_s=settings.database_generation_ttl_s,
        )
    return Index(
        Path(location),
        embedder_key,
        dim,
        ann_threshold=settings.ann_threshold,
        create=create,
        adopt_embedder=adopt_embedder,
        upgrade=upgrade,
    )


def open_existing(location: str | Path, settings: Settings) -> Index:
    """The index at ``location`` with the embedder it was built with (no model needed:
    for copying it, never for answering)."""
    probe = open_location(location, settings, "", 0, create=False, adopt_embedder=True)
    key, dim = probe.store.get_meta("embedder"), probe.store.get_meta("dim")
    probe.close()
    if key is None or dim is None:
        raise IndexNotFoundError(f"The index at {probe.store.location} has no articles yet.")
    return open_location(location, settings, key, int(dim), create=False)


def is_database_url(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def index_exists(settings: Settings) -> bool:
    """Is there an index where the settings point? (A database is created on first use,
    so it always counts as there.)"""
    return bool(settings.database_url) or Index.exists(settings.index_dir)
