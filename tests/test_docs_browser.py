"""The API reference renders in a browser that cannot reach the internet.

The test starts ``python -m assistant serve`` on a free local port (no model: the pages
and the schema need none; the service answers while it reports that loading failed) and
opens ``/docs`` and ``/redoc`` in Debian's Chromium with every request to another origin
aborted and recorded, as on a newsroom network without internet. Swagger UI must list
every operation of the schema and run one ("Try it out"); ReDoc must show the API's
title. Screenshots go to ``artifacts/`` (git-ignored).

Skipped locally, failed in CI, when Chromium or Playwright is missing (``needs.py``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
import pytest
from browser import ARTIFACTS, HAVE_PLAYWRIGHT, chromium, require_browser, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

if HAVE_PLAYWRIGHT:
    from playwright.sync_api import expect

TITLE = "Trợ lý hỏi đáp tin tức"
# ReDoc's menu shows this logo and hides it when it cannot load: decoration, not needed
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(autouse=True, scope="module")
def _browser_available() -> None:
    require_browser()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``assistant serve`` without a model (it answers all the same)."""
    work = tmp_path_factory.mktemp("docs-browser")
    env = {
        **os.environ,
        "ASSISTANT_MODEL_SOURCE": "local",  # never reach the network for a model
        "ASSISTANT_MODEL": str(work / "no-model"),
        "ASSISTANT_RATE_LIMIT": "0",
    }
    command = [sys.executable, "-m", "assistant", "serve", "--index", str(work / "index")]
    with serving(command, env, work / "serve.log", "/api/health", 120) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class OfflinePage:
    """A page whose requests to any origin but the server's are aborted, as without
    internet; it records those, the requests that failed and the script errors."""

    def __init__(self, page: Page, server: str) -> None:
        self.page = page
        self.origin = server
        self.aborted: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", self._console)

    def _outside(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ws", "wss"):
            return False  # data: and blob: URLs never leave the browser
        return f"{parts.scheme}://{parts.netloc}" != self.origin

    def _route(self, route: Route) -> None:
        url = route.request.url
        if self._outside(url):
            self.aborted.append(url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url')})")

    def _failed(self, request: Any) -> None:
        if request.url not in self.aborted:
            self.failed.append(f"{request.failure} {request.url}")


@pytest.fixture
def offline(browser: Browser, server: str) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    try:
        yield OfflinePage(context.new_page(), server)
    finally:
        context.close()


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def _operations(server: str) -> int:
    schema = httpx.get(f"{server}/openapi.json", timeout=10).json()
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    return sum(1 for item in schema["paths"].values() for method in item if method in methods)


def test_swagger_ui_renders_offline(offline: OfflinePage, server: str) -> None:
    page = offline.page
    page.goto(f"{server}/docs")
    expect(page).to_have_title(f"{TITLE} - Swagger UI")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(TITLE)
    expect(page.locator(".opblock")).to_have_count(_operations(server))

    # the page works, not just shows: run GET /api/health from it
    health = page.locator(".opblock-get").filter(has=page.locator('[data-path="/api/health"]'))
    health.locator(".opblock-summary").click()
    health.get_by_role("button", name="Try it out").click()
    health.get_by_role("button", name="Execute").click()
    expect(health.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        "200"
    )
    expect(health.locator(".live-responses-table")).to_contain_text('"status": "ok"')
    _screenshot(page, "docs-offline.png")

    assert offline.aborted == [], "the page asked for outside files"
    assert offline.failed == []
    assert offline.errors == []


def test_redoc_renders_offline(offline: OfflinePage, server: str) -> None:
    page = offline.page
    page.goto(f"{server}/redoc")
    expect(page).to_have_title(f"{TITLE} - ReDoc")
    expect(page.locator("h1").first).to_contain_text(TITLE)
    expect(page.get_by_text("/api/ask", exact=True).first).to_be_attached()
    _screenshot(page, "redoc-offline.png")

    assert set(offline.aborted) <= {REDOC_LOGO}, "the page asked for outside files"
    assert offline.failed == []
    assert [e for e in offline.errors if REDOC_LOGO not in e] == []
