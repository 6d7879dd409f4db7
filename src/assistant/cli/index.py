"""`assistant index stats` and `assistant index rebuild`."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.cli import add_index_option, settings_from
from assistant.cli.ingest import make_ingestor
from assistant.runtime import build_embedder, open_index


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
