"""The web chat: GET / (the chat page), GET /widget.js and the page's static assets.

The files are the package's ``web/`` folder (plain HTML, CSS and JavaScript, no build
step; package data, so an installed package serves them too), or the ``web_dir`` setting
when the configuration has one. Only the files listed in :data:`ASSETS` are served, so
no request path ever reaches the file system.

The page is sent with a Content-Security-Policy that allows scripts, styles and requests
from this origin only (no inline script, no ``eval``), so even a rendering bug could not
run a script smuggled into an article. It may be framed by any site (``frame-ancestors``)
because the widget shows it in an iframe on the portal's pages; setting
``ASSISTANT_CORS_ORIGINS`` restricts framing to those origins.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from assistant.api.deps import SettingsDep
from assistant.api.errors import ApiError
from assistant.core.config import Settings
from assistant.core.resources import packaged

router = APIRouter(tags=["Giao diện web"])

# URL path -> (file name in web/, media type)
ASSETS: dict[str, tuple[str, str]] = {
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/styles.css": ("styles.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
}

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


def _file(settings: Settings, name: str, media_type: str, extra: dict[str, str]) -> FileResponse:
    path = web_dir(settings) / name
    if not path.is_file():
        raise ApiError(
            404,
            "web_not_installed",
            "Giao diện web chưa được cài đặt trên máy chủ này (thiếu thư mục web/).",
        )
    return FileResponse(path, media_type=media_type, headers={**COMMON_HEADERS, **extra})


@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def chat_page(settings: SettingsDep) -> FileResponse:
    """The chat page (also shown inside the widget's iframe as ``/?embed=1``)."""
    return _file(
        settings,
        "index.html",
        "text/html; charset=utf-8",
        {
            "Content-Security-Policy": content_security_policy(settings),
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        },
    )


@router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
def widget_script(settings: SettingsDep) -> FileResponse:
    """The embeddable widget: one ``<script src=".../widget.js">`` on any portal page."""
    return _file(
        settings,
        "widget.js",
        "text/javascript; charset=utf-8",
        # Loaded by pages of other origins, including ones that require CORP.
        {"Cross-Origin-Resource-Policy": "cross-origin"},
    )


def _asset_route(path: str, name: str, media_type: str) -> None:
    def asset(settings: SettingsDep) -> FileResponse:
        return _file(settings, name, media_type, {})

    asset.__doc__ = f"Static asset {name} of the chat page."
    router.add_api_route(path, asset, methods=["GET", "HEAD"], include_in_schema=False, name=name)


for _path, (_name, _media_type) in ASSETS.items():
    _asset_route(_path, _name, _media_type)
