"""The `assistant` command. Each sub-command lives in its own module with a
``register(subparsers)`` function, so adding one never touches the others."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import Any

from assistant.core.config import Settings, get_settings
from assistant.core.errors import AssistantError
from assistant.core.logging import setup_logging

logger = logging.getLogger("assistant")

_COMMAND_MODULES = ("ingest", "sync", "index", "models", "ask", "serve", "eval")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="Vietnamese question answering over news articles, with citations.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _COMMAND_MODULES:
        # imported here, not at the top: each module imports this one's helpers. A
        # missing module is an error, never a command silently gone from the CLI.
        importlib.import_module(f"assistant.cli.{name}").register(subparsers)
    return parser


def add_index_option(parser: argparse.ArgumentParser) -> None:
    """``--index DIR``: wins over ASSISTANT_INDEX_DIR and the default."""
    parser.add_argument("--index", metavar="DIR", help="index directory (default: ./index)")


def settings_from(args: argparse.Namespace, **extra: Any) -> Settings:
    """Settings with command-line values on top of the environment."""
    return get_settings(index_dir=getattr(args, "index", None), **extra)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    level = "DEBUG" if args.verbose else ("WARNING" if args.quiet else settings.log_level)
    setup_logging(level, json_lines=settings.log_json)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        logger.error("Interrupted.")
        return 130
    except AssistantError as err:
        logger.error("%s", err)
        return 2


if __name__ == "__main__":
    sys.exit(main())
