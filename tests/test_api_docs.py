"""The API reference pages (``/docs``, ``/redoc``) name only this server's files, and
those files are served, with the right content type, from the installed package.

No browser and no model: the app is built without its lifespan (nothing is loaded).
``test_docs_browser.py`` checks in Chromium that the pages really render offline.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from assistant.api.main import create_app
from assistant.api.routes.docs import ASSETS, asset_dir
from assistant.core.config import get_settings

CONTENT_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
}


class _Urls(HTMLParser):
    """The URLs a page loads: ``href``/``src`` attributes and ReDoc's ``spec-url``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "spec-url") and value:
                self.urls.append(value)


def page_urls(html: str) -> list[str]:
    parser = _Urls()
    parser.feed(html)
    # Swagger UI is given the schema's address in its inline script
    return parser.urls + re.findall(r"\burl: '([^']+)'", html)


def client(tmp_path: Path, root_path: str = "") -> TestClient:
    settings = get_settings(index_dir=tmp_path / "index", rate_limit=0)
    return TestClient(create_app(settings), root_path=root_path)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
def test_reference_pages_load_only_local_files(
    tmp_path: Path, page: str, expected: set[str]
) -> None:
    http = client(tmp_path)
    response = http.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Trợ lý hỏi đáp tin tức" in response.text
    assert "://" not in response.text, "the page names an outside address"

    urls = page_urls(response.text)
    assert "/openapi.json" in urls
    assets = {url.removeprefix("/docs/assets/") for url in urls if url.startswith("/docs/assets/")}
    assert assets == expected
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url
        loaded = http.get(url)
        assert loaded.status_code == 200, url
        wanted = CONTENT_TYPES[Path(parts.path).suffix]
        assert loaded.headers["content-type"].startswith(wanted), (url, loaded.headers)
        assert loaded.content, url


def test_assets_are_the_installed_packages_files(tmp_path: Path) -> None:
    http = client(tmp_path)
    for name in ASSETS:
        response = http.get(f"/docs/assets/{name}")
        assert response.status_code == 200
        assert response.content == (asset_dir() / name).read_bytes()
        assert response.headers["x-content-type-options"] == "nosniff"
        assert http.head(f"/docs/assets/{name}").status_code == 200
    # a name outside the list is not looked up on disk
    assert http.get("/docs/assets/../static/favicon.png").status_code == 404
    assert http.get("/docs/assets/core.py").status_code == 404


def test_swagger_ui_uses_no_online_validator_and_keeps_the_oauth2_redirect(
    tmp_path: Path,
) -> None:
    http = client(tmp_path)
    assert '"validatorUrl": null' in http.get("/docs").text
    redirect = http.get("/docs/oauth2-redirect")
    assert redirect.status_code == 200 and "://" not in redirect.text


def test_pages_are_not_in_the_schema(tmp_path: Path) -> None:
    paths = client(tmp_path).get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]


def test_urls_follow_the_root_path(tmp_path: Path) -> None:
    """Behind a proxy that mounts the service under a prefix, the pages ask for
    ``<prefix>/docs/assets/...`` and ``<prefix>/openapi.json``."""
    http = client(tmp_path, root_path="/tro-ly")
    urls = page_urls(http.get("/docs").text)
    assert urls and all(url.startswith("/tro-ly/") for url in urls), urls
    for url in urls:
        assert http.get(url).status_code == 200, url
