"""`assistant index stats`, `assistant index rebuild` and `assistant index migrate`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.cli import add_index_option, settings_from
from assistant.cli.ingest import make_ingestor
from assistant.feedback.store import copy_feedback, feedback_at
from assistant.index.migrate import MigrationError, copy_index
from assistant.runtime import (
    build_embedder,
    is_database_url,
    open_existing,
    open_index,
    open_location,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    index = subparsers.add_parser("index", help="inspect or rebuild the index")
    actions = index.add_subparsers(dest="action", required=True, metavar="ACTION")
    stats = actions.add_parser("stats", help="documents, chunks, vectors, size on disk")
    add_index_option(stats)
    stats.set_defaults(handler=run_stats)
    rebuild = actions.add_parser(
        "rebuild", help="re-chunk and re-embed everything (after a model or chunking change)"
    )
    add_index_option(rebuild)
    rebuild.set_defaults(handler=run_rebuild)
    migrate = actions.add_parser(
        "migrate",
        help="copy the index to a PostgreSQL database or a folder (nothing re-embedded)",
    )
    migrate.add_argument(
        "--to", required=True, metavar="URL|DIR", help="postgresql://… or an index folder"
    )
    migrate.add_argument(
        "--from",
        dest="source",
        metavar="URL|DIR",
        help="postgresql://… or an index folder (default: the configured index)",
    )
    add_index_option(migrate)
    migrate.set_defaults(handler=run_migrate)


def run_stats(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    index = open_index(settings, build_embedder(settings), create=False, adopt_embedder=True)
    sys.stdout.write(json.dumps(index.stats(), ensure_ascii=False, indent=2) + "\n")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    ingestor = make_ingestor(
        settings, progress=sys.stderr.isatty(), adopt_embedder=True, upgrade=True
    )
    summary = ingestor.rebuild()
    sys.stdout.write(f"rebuilt: {summary.line()}\n")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    source = args.source or settings.database_url or str(settings.index_dir)
    if str(source).rstrip("/") == str(args.to).rstrip("/"):
        raise MigrationError(f"--from and --to both name {args.to}: copy into another one.")
    origin = open_existing(source if is_database_url(source) else Path(source), settings)
    target = open_location(
        args.to if is_database_url(args.to) else Path(args.to),
        settings,
        origin.embedder_key,
        origin.dim,
        create=True,
    )
    from_feedback, to_feedback = feedback_at(source), feedback_at(args.to)
    try:
        counts = copy_index(origin, target, batch_docs=settings.copy_batch_docs)
        ratings = copy_feedback(from_feedback, to_feedback)
    finally:
        for opened in (origin, target, from_feedback, to_feedback):
            opened.close()
    sys.stdout.write(
        f"copied {counts['documents']} articles, {counts['chunks']} chunks, "
        f"{counts['cached_embeddings']} cached vectors, {ratings} feedback records to "
        f"{target.store.location}\n"
    )
    return 0
