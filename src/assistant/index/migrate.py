"""Copying an index between backends (``assistant index migrate``) without re-embedding.

Every vector comes from the source's store; the lexical terms are derived again from the
same chunk text, so they are the same terms. The names and written forms the source has
counted over its whole history (they are never decremented when an article changes) are
copied as they are, so that questions are understood alike on both sides. Documents are
written in the order of their chunks, so the copy numbers chunks in the same order.
"""

from __future__ import annotations

import logging

from assistant.core.errors import AssistantError
from assistant.index.index import Index, PreparedDocument

logger = logging.getLogger(__name__)


class MigrationError(AssistantError):
    """The copy cannot start (the target holds articles, or is the source)."""


def copy_index(source: Index, target: Index, *, batch_docs: int) -> dict[str, int]:
    """Copy every document, chunk, vector and cached vector of ``source`` into the empty
    ``target``; the target's counts."""
    if target.counts()["documents"]:
        raise MigrationError(
            f"The target index {target.store.location} already holds articles. Copy into "
            "an empty database or a new folder (or delete the target's articles first)."
        )
    batch: list[PreparedDocument] = []
    copied = 0
    for item in source.exported():
        batch.append(item)
        if len(batch) >= batch_docs:
            target.write(batch)
            copied += len(batch)
            logger.info("Copied %d articles", copied)
            batch = []
    target.write(batch)
    for key in source.store.embedding_keys():
        target.store.cache_vectors(key, source.store.all_cached_vectors(key))
    target.store.replace_word_tables(*source.store.word_tables())
    return target.counts()
