"""The web chat: GET / (the chat page), GET /widget.js and the page's static assets.

The files are the package's ``web/`` folder (plain HTML, CSS and JavaScript, no build
step; package data, so an installed package serves them too), or the ``web_dir`` setting
when the configuration has one. Only the files listed in :data:`ASSETS` are served, so
no request path ever reaches the file system; each with the common headers and its own.

The page is sent with a Content-Security-Policy that allows scripts, styles and requests
from this origin only (no inline script, no ``eval``), so even a rendering bug could not
run a script smuggled into an article. It may be framed by any site (``frame-ancestors``)
because the widget shows it in an iframe on the portal's pages; setting
``ASSISTANT_CORS_ORIGINS`` restricts framing to those origins.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from assistant.api.deps import SettingsDep
from assistant.api.errors import ApiError
from assistant.core.config import Settings
from assistant.core.resources import packaged

router = APIRouter(tags=["Giao diện web"])

COMMON_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    # Revalidate on every load (ETag/Last-Modified make that cheap), so a deployment is
    # seen at once by readers.
    "Cache-Control": "no-cache",
}


def web_dir(settings: Settings) -> Path:
    """The folder of the web files: the ``web_dir`` setting if the configuration has one,
    else the package's ``web/``."""
    configured = settings.web_dir
    if configured:
        return Path(configured)
    return packaged("web")


def content_security_policy(settings: Settings) -> str:
    """The page's CSP: same-origin scripts, styles and requests only; framing allowed
    for the configured origins, or for any site when none is configured."""
    ancestors = " ".join(["'self'", *settings.cors_origins]) if settings.cors_origins else "*"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


# What a file adds to COMMON_HEADERS, from the settings.
OwnHeaders = Callable[[Settings], dict[str, str]]


def _page_headers(settings: Settings) -> dict[str, str]:
    """The chat page's (also shown inside the widget's iframe as ``/?embed=1``): its CSP,
    and no camera, microphone, location or payment."""
    return {
        "Content-Security-Policy": content_security_policy(settings),
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }


def _widget_headers(_: Settings) -> dict[str, str]:
    """The embeddable widget's: one ``<script src=".../widget.js">`` loads it on any portal
    page, so pages of other origins load it, including ones that require CORP."""
    return {"Cross-Origin-Resource-Policy": "cross-origin"}


def _no_headers(_: Settings) -> dict[str, str]:
    return {}


# URL path -> (file name in web/, media type, the file's own headers)
ASSETS: dict[str, tuple[str, str, OwnHeaders]] = {
    "/": ("index.html", "text/html; charset=utf-8", _page_headers),
    "/widget.js": ("widget.js", "text/javascript; charset=utf-8", _widget_headers),
    "/app.js": ("app.js", "text/javascript; charset=utf-8", _no_headers),
    "/styles.css": ("styles.css", "text/css; charset=utf-8", _no_headers),
    "/favicon.svg": ("favicon.svg", "image/svg+xml", _no_headers),
}


def _file(settings: Settings, name: str, media_type: str, extra: dict[str, str]) -> FileResponse:
    path = web_dir(settings) / name
    if not path.is_file():
        raise ApiError(
            404,
            "web_not_installed",
            "Giao diện web chưa được cài đặt trên máy chủ này (thiếu thư mục web/).",
        )
    return FileResponse(path, media_type=media_type, headers={**COMMON_HEADERS, **extra})


def _asset_route(path: str, name: str, media_type: str, headers: OwnHeaders) -> None:
    def asset(settings: SettingsDep) -> FileResponse:
        return _file(settings, name, media_type, headers(settings))

    asset.__doc__ = f"The web chat's file {name}."
    router.add_api_route(path, asset, methods=["GET", "HEAD"], include_in_schema=False, name=name)


for _path, (_name, _media_type, _headers) in ASSETS.items():
    _asset_route(_path, _name, _media_type, _headers)
