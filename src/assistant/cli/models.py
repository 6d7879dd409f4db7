"""`assistant models fetch|verify|path`: provision the embedding model offline-first."""

from __future__ import annotations

import argparse
import sys

from assistant.cli import settings_from
from assistant.embed.provision import fetch_model, resolve_model_path, verify_model


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = subparsers.add_parser("models", help="get, check or locate the embedding model")
    actions = models.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser(
        "fetch", help="download the configured model into the cache (once; sha256-verified)"
    )
    fetch.add_argument("--force", action="store_true", help="download again even if cached")
    fetch.set_defaults(handler=run_fetch)
    verify = actions.add_parser("verify", help="re-hash the model files (slow)")
    verify.set_defaults(handler=run_verify)
    path = actions.add_parser("path", help="print the model folder in use")
    path.set_defaults(handler=run_path)


def run_fetch(args: argparse.Namespace) -> int:
    folder = fetch_model(settings_from(args), force=args.force)
    sys.stdout.write(f"model ready: {folder}\n")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    folder = verify_model(settings_from(args))
    sys.stdout.write(f"model verified: {folder}\n")
    return 0


def run_path(args: argparse.Namespace) -> int:
    sys.stdout.write(f"{resolve_model_path(settings_from(args))}\n")
    return 0
