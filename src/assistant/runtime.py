"""Wiring: settings → embedder → index. The CLI, the service and the harness share it."""

from __future__ import annotations

from assistant.core.config import Settings
from assistant.embed.base import Embedder
from assistant.index.index import Index


def build_embedder(settings: Settings) -> Embedder:
    """The configured sentence-transformers model (loaded lazily on first use)."""
    from assistant.embed.sentence_transformer import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings)


def open_index(
    settings: Settings,
    embedder: Embedder,
    *,
    create: bool = True,
    adopt_embedder: bool = False,
    upgrade: bool = False,
) -> Index:
    """Open (or create) the index directory of the settings for this embedder."""
    return Index(
        settings.index_dir,
        embedder.key,
        embedder.dim,
        ann_threshold=settings.ann_threshold,
        create=create,
        adopt_embedder=adopt_embedder,
        upgrade=upgrade,
    )
