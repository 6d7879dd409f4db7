"""The command line is assembled from one module per sub-command; a listed module that
cannot be imported is an error, not a command silently missing from ``assistant``."""

from __future__ import annotations

import pytest

import assistant.cli as cli

# The smallest valid command line of each sub-command.
ARGS = {
    "ingest": ["x.txt"],
    "sync": [],
    "index": ["stats"],
    "models": ["verify"],
    "ask": ["câu hỏi"],
    "serve": [],
    "eval": ["t.jsonl"],
}


def test_every_listed_command_is_registered() -> None:
    parser = cli.build_parser()
    for name in cli._COMMAND_MODULES:
        assert parser.parse_args([name, *ARGS[name]]).command == name


def test_a_missing_command_module_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, "vanished"))
    with pytest.raises(ModuleNotFoundError, match=r"assistant\.cli\.vanished"):
        cli.build_parser()
