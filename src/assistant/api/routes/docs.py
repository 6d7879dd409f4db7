"""The API reference without internet: Swagger UI at ``/docs`` and ReDoc at ``/redoc``,
their JavaScript, CSS and icon served by this server from ``/docs/assets/``.

FastAPI's own pages load those files from a CDN, so on a newsroom network without
internet they stay blank. The files come from the installed ``fastapi-offline`` package
(a pinned dependency that ships Swagger UI 5 and ReDoc 2 as package data; only its files
are used, not its app factory). The app is created with ``docs_url=None`` and
``redoc_url=None`` and includes this router instead. Only the files listed in
:data:`ASSETS` are served, so no request path ever reaches the file system.

Both pages work offline:

* Swagger UI's online validator is switched off (``validatorUrl: null``): its badge would
  send the schema's address to an outside service.
* ReDoc is served without Google Fonts (the browser's own sans-serif is used). The one
  outside request left is the small Redocly logo at the foot of its menu, which hides
  itself when it cannot load; nothing that the page needs.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

from assistant.api.errors import ApiError

logger = logging.getLogger(__name__)

router = APIRouter()

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
ASSETS_URL = "/docs/assets"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

# file name in fastapi_offline/static/ (also its URL under ASSETS_URL) -> media type
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}

ASSET_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    # The files change only when the pinned package does: a day of caching spares sending
    # megabytes on every visit, and a day-old copy after an upgrade still works.
    "Cache-Control": "public, max-age=86400",
}

SWAGGER_UI_PARAMETERS: dict[str, Any] = {"validatorUrl": None}


def asset_dir() -> Path:
    """The folder of Swagger UI's and ReDoc's files in the installed ``fastapi-offline``."""
    return Path(str(files("fastapi_offline") / "static"))


def _root(request: Request) -> str:
    """The prefix the server is mounted under (``--root-path`` behind a proxy), or ''."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def _openapi_url(request: Request) -> str:
    app: FastAPI = request.app
    if app.openapi_url is None:  # the schema is switched off: there is nothing to show
        raise ApiError(404, "not_found", "Không tìm thấy địa chỉ được yêu cầu.")
    return _root(request) + app.openapi_url


def _asset_url(request: Request, name: str) -> str:
    """Where the page loads one of the packaged files from (behind any root path)."""
    return f"{_root(request)}{ASSETS_URL}/{name}"


@router.get(DOCS_URL, include_in_schema=False)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this server's OpenAPI schema, with local assets only."""
    app: FastAPI = request.app
    return get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title=f"{app.title} - Swagger UI",
        swagger_js_url=_asset_url(request, "swagger-ui-bundle.js"),
        swagger_css_url=_asset_url(request, "swagger-ui.css"),
        swagger_favicon_url=_asset_url(request, "favicon.png"),
        oauth2_redirect_url=_root(request) + OAUTH2_REDIRECT_URL,
        init_oauth=app.swagger_ui_init_oauth,
        swagger_ui_parameters={**(app.swagger_ui_parameters or {}), **SWAGGER_UI_PARAMETERS},
    )


@router.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
def swagger_ui_oauth2_redirect() -> HTMLResponse:
    """Swagger UI's OAuth2 redirect page (an inline script, no outside file)."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get(REDOC_URL, include_in_schema=False)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc over this server's OpenAPI schema, with local assets and no Google Fonts."""
    app: FastAPI = request.app
    return get_redoc_html(
        openapi_url=_openapi_url(request),
        title=f"{app.title} - ReDoc",
        redoc_js_url=_asset_url(request, "redoc.standalone.js"),
        redoc_favicon_url=_asset_url(request, "favicon.png"),
        with_google_fonts=False,
    )


def _asset_route(name: str, media_type: str) -> None:
    def asset() -> FileResponse:
        path = asset_dir() / name
        if not path.is_file():
            logger.error(
                "%s is missing from the fastapi-offline package (%s): reinstall it",
                name,
                path.parent,
            )
            raise ApiError(
                404,
                "docs_not_installed",
                "Trang tài liệu API chưa được cài đặt đầy đủ trên máy chủ này.",
            )
        return FileResponse(path, media_type=media_type, headers=ASSET_HEADERS)

    asset.__doc__ = f"Static asset {name} of the API reference pages."
    router.add_api_route(
        f"{ASSETS_URL}/{name}",
        asset,
        methods=["GET", "HEAD"],
        include_in_schema=False,
        name=f"docs-{name}",
    )


for _name, _media_type in ASSETS.items():
    _asset_route(_name, _media_type)
