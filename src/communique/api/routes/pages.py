"""The web UI's pages and the API's own documentation page, all served from the package.

The HTML shell contains no article text at all: every page fetches its data as JSON and inserts it with
``textContent``, and the Content-Security-Policy allows scripts from this server only, so nothing from an
article can execute.
"""

from __future__ import annotations

from importlib import resources

from fastapi.responses import FileResponse, HTMLResponse, Response

WEB = resources.files("communique.api") / "web"

SECURITY_HEADERS = {
    # Scripts only from this server: an injected <script> or onerror= attribute cannot run.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def docs() -> HTMLResponse:
    """Swagger UI from the package: a page that works with no internet connection."""
    from fastapi.openapi.docs import get_swagger_ui_html

    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="communique API",
        swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/favicon.ico",
        # No validator badge: Swagger UI would fetch it from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )


def shell(page: str = "") -> HTMLResponse:
    """The single-page UI (``/`` and every ``/ui/...`` path); the script draws the page the path names."""
    html = (WEB / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def favicon() -> Response:
    return FileResponse(str(WEB / "static" / "favicon.svg"), media_type="image/svg+xml")
