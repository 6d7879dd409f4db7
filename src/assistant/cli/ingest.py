"""`assistant ingest PATH...` and `assistant delete ID`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from assistant.cli import add_index_option, settings_from
from assistant.core.config import Settings
from assistant.ingest.pipeline import Ingestor
from assistant.runtime import build_embedder, open_index

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ingest = subparsers.add_parser(
        "ingest", help="add or update articles (.txt .md .html .json .jsonl, files or folders)"
    )
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    add_index_option(ingest)
    ingest.add_argument("--json", action="store_true", help="print the summary as JSON")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.set_defaults(handler=run_ingest)

    delete = subparsers.add_parser("delete", help="remove a document and its chunks")
    delete.add_argument("doc_id", metavar="ID")
    add_index_option(delete)
    delete.set_defaults(handler=run_delete)


def make_ingestor(
    settings: Settings,
    *,
    progress: bool = False,
    adopt_embedder: bool = False,
    upgrade: bool = False,
) -> Ingestor:
    embedder = build_embedder(settings)
    index = open_index(settings, embedder, adopt_embedder=adopt_embedder, upgrade=upgrade)
    return Ingestor.from_settings(index, embedder, settings, progress=progress)


def run_ingest(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    missing = [str(p) for p in args.paths if not p.exists()]
    for path in missing:
        logger.error("No such file or folder: %s", path)
    ingestor = make_ingestor(settings, progress=not args.no_progress and sys.stderr.isatty())
    summary = ingestor.ingest_paths([p for p in args.paths if p.exists()])
    if args.json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(summary.line() + "\n")
        for error in summary.errors:
            where = f"{error.path}:{error.line}" if error.line else error.path
            sys.stdout.write(f"  failed: {where}: {error.message}\n")
    return 1 if summary.failed or missing else 0


def run_delete(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    index = open_index(settings, build_embedder(settings), create=False)
    if index.delete(args.doc_id):
        sys.stdout.write(f"deleted {args.doc_id}\n")
        return 0
    logger.error("No document with id %r in %s", args.doc_id, index.store.location)
    return 1
