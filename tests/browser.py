"""What the browser tests share: Debian's Chromium driven by Playwright, and a real
``assistant serve`` on a free local port, started and stopped by the test module itself.

Locally a missing browser skips the test with its reason; in CI it fails (``needs.py``).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from needs import missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

try:
    from playwright.sync_api import sync_playwright

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - depends on the environment
    HAVE_PLAYWRIGHT = False

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_browser() -> None:
    """Playwright and Debian's Chromium: skip locally, fail in CI when missing."""
    if not HAVE_PLAYWRIGHT:
        missing("Playwright is not installed")
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the module's tests."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(
    url: str, headers: dict[str, str] | None = None, timeout: float = 10
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@contextlib.contextmanager
def serving(
    command: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    ready_path: str,
    timeout_s: float,
) -> Iterator[str]:
    """Base URL of ``command`` (an ``assistant serve`` without host and port) run on a
    free local port, once ``ready_path`` answers 200; stopped on exit. Its output goes
    to ``log``, whose end is shown if it exits or is not ready in time."""
    port = free_port()
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                pytest.fail(f"assistant serve exited with {process.returncode}:\n{log_tail(log)}")
            with contextlib.suppress(OSError):
                if http_get(f"{base}{ready_path}", timeout=2)[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"assistant serve was not ready in time:\n{log_tail(log)}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
