"""docs/portal.md's copy-paste examples, run: its configuration block must be valid
settings, its command lines valid `assistant` commands, and its shell and Python
examples must succeed against a running service (uvicorn on 127.0.0.1, stand-in
embedder) configured from the same block and following the fixture portal."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from needs import missing
from sync_site import FixtureSite
from test_api_support import served

from assistant.cli import build_parser
from assistant.core.config import Settings

pytest_plugins = ["test_api_support"]

DOC = Path(__file__).resolve().parents[1] / "docs" / "portal.md"
_BLOCK_RE = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    found = [body for lang, body in _BLOCK_RE.findall(DOC.read_text("utf-8")) if lang == language]
    assert found, f"docs/portal.md has no {language} example"
    return found


def doc_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings the documented environment block gives (every name must be real)."""
    for line in blocks("env")[0].strip().splitlines():
        name, _, value = line.partition("=")
        field = name.removeprefix("ASSISTANT_").lower()
        assert name.startswith("ASSISTANT_") and field in Settings.model_fields, name
        monkeypatch.setenv(name, value)
    return Settings()


def test_documented_commands_parse() -> None:
    parser = build_parser()
    lines = [line for line in blocks("console")[0].splitlines() if line.strip()]
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "assistant"
        args = parser.parse_args(words[1:])
        assert args.command == "sync" and args.urls


def test_documented_examples_run_against_a_service(
    monkeypatch: pytest.MonkeyPatch, hashing_app: Callable[..., FastAPI]
) -> None:
    if shutil.which("curl") is None:
        missing("curl is needed to run the documented shell examples")
    configured = doc_settings(monkeypatch)
    key = next(iter(configured.key_rates))
    assert key in configured.api_keys
    with FixtureSite(slow_s=0.5) as site:
        app = hashing_app(
            api_keys=configured.api_keys,
            key_rates=configured.key_rates,
            rate_limit=configured.rate_limit,
            trusted_proxies=configured.trusted_proxies,
            cors_origins=configured.cors_origins,
            sync_urls=[site.url("/rss.xml"), site.url("/sitemap.xml")],
            sync_interval_s=0,  # on demand only: the example starts it
            sync_host_rate=0,
            sync_recheck_s=0,
        )
        with served(app) as base:
            env = {**os.environ, "ASSISTANT_URL": base, "ASSISTANT_KEY": key}
            script = urlsplit(re.search(r'src="([^"]+)"', blocks("html")[0])[1]).path
            assert httpx.get(base + script).status_code == 200
            for example in blocks("python"):
                done = subprocess.run(
                    [sys.executable, "-c", example], env=env, capture_output=True, text=True
                )
                assert done.returncode == 0, done.stderr
                assert done.stdout.strip()
            for example in blocks("bash"):
                done = subprocess.run(
                    ["bash", "-euo", "pipefail", "-c", example],
                    env=env,
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert done.returncode == 0, (example, done.stdout, done.stderr)
            # the sync the example started follows the configured feed and sitemap
            headers = {"Authorization": f"Bearer {key}"}
            deadline = time.monotonic() + 30
            status = httpx.get(base + "/api/sync", headers=headers).json()
            while status["running"] or status["last"] is None:
                assert time.monotonic() < deadline, "the documented sync did not finish"
                time.sleep(0.05)
                status = httpx.get(base + "/api/sync", headers=headers).json()
            assert status["last"]["ok"] and status["last"]["summary"]["new"] == len(site.articles)
