"""`assistant sync URL...`: follow the portal's feeds and sitemaps into the index."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys

from assistant.cli import add_index_option, settings_from
from assistant.cli.ingest import make_ingestor

logger = logging.getLogger(__name__)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = subparsers.add_parser(
        "sync",
        help="pull new and changed articles from feeds (RSS/Atom), sitemaps or home pages",
    )
    sync.add_argument(
        "urls",
        nargs="*",
        metavar="URL",
        help="feed, sitemap (index) or home page URLs (default: ASSISTANT_SYNC_URLS)",
    )
    add_index_option(sync)
    sync.add_argument("--since", type=_date, metavar="DATE", help="only articles from DATE on")
    sync.add_argument("--max", type=int, metavar="N", help="fetch at most N new articles")
    sync.add_argument("--json", action="store_true", help="print the summary as JSON")
    sync.add_argument("--no-progress", action="store_true", help="no progress bar")
    sync.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace) -> int:
    from assistant.sync.run import run

    settings = settings_from(args)
    urls = args.urls or settings.sync_urls
    if not urls:
        logger.error("No URL to sync: give feed or sitemap URLs, or set ASSISTANT_SYNC_URLS.")
        return 2
    progress = not args.no_progress and sys.stderr.isatty()
    ingestor = make_ingestor(settings)
    summary = run(
        urls, ingestor, settings, since=args.since, max_articles=args.max, progress=progress
    )
    if args.json:
        sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(summary.line() + "\n")
        for source in summary.failed_sources:
            sys.stdout.write(f"  source failed: {source.url}: {source.error}\n")
        for url, message in summary.errors:
            sys.stdout.write(f"  {url}: {message}\n")
    return 1 if summary.failed_sources else 0
