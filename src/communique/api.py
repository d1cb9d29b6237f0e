"""The HTTP API (FastAPI, OpenAPI at /docs) and the web UI it serves.

Reads are open to loopback clients and need the bearer token from anywhere else; every endpoint that writes
needs the token. The token is ``COMMUNIQUE_TOKEN`` or, if unset, one generated at first start, saved under the
data directory and printed by ``communique serve``. Errors are JSON ``{"error": message}``, never a traceback.
All article text reaches the browser as JSON and is inserted with ``textContent``; the HTML shell contains no
article text at all, so nothing from an article can execute.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import threading
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from .document import to_contract
from .errors import CommuniqueError, FetchError, InputError

log = logging.getLogger(__name__)

WEB = resources.files("communique") / "web"
MAX_PAGE = 500


def data_dir() -> Path:
    path = Path(os.environ.get("COMMUNIQUE_DATA_DIR", Path.home() / ".local" / "share" / "communique"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_or_create_token() -> tuple[str, bool]:
    """The API token and whether it was just created (so the caller can print it once)."""
    token = os.environ.get("COMMUNIQUE_TOKEN")
    if token:
        return token, False
    path = data_dir() / "api-token"
    if path.exists():
        return path.read_text().strip(), False
    token = secrets.token_urlsafe(24)
    path.write_text(token + "\n")
    path.chmod(0o600)
    return token, True


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Article text (plain text or HTML).")
    url: str | None = Field(None, description="An http(s) URL to fetch and analyse instead of text.")
    published: date | None = Field(None, description="Publication date; overrides any date found.")
    title: str | None = None
    store: bool = Field(False, description="Also ingest the analysis into the store (needs the token).")


class AppState:
    """Lazily loaded, process-wide resources: one analyzer, one store."""

    def __init__(self, db: str | None, token: str) -> None:
        self.db = db
        self.token = token
        self._analyzer: Any = None
        self._store: Any = None
        self._lock = threading.Lock()
        self.analyze_lock = threading.Lock()  # spaCy pipelines are not guaranteed thread-safe

    @property
    def analyzer(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                from .pipeline import Analyzer

                self._analyzer = Analyzer()
            return self._analyzer

    @property
    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from .store import open_store

                self._store = open_store(self.db)
            return self._store


def _is_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    if host in ("testclient", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    """The API and UI over the store at ``db`` (default ./communique.db)."""
    if token is None:
        token, _ = load_or_create_token()
    state = AppState(db, token)
    app = FastAPI(
        title="communique",
        version="1",
        description="Evidence-linked geopolitical events, quotes, opinion, rhetoric and relations.",
    )
    app.state.communique = state

    def can_read(request: Request) -> None:
        if _is_loopback(request) or secrets.compare_digest(_bearer(request) or "", state.token):
            return
        raise HTTPException(401, "reads from outside loopback need 'Authorization: Bearer <token>'")

    def can_write(request: Request) -> None:
        if not secrets.compare_digest(_bearer(request) or "", state.token):
            raise HTTPException(401, "this endpoint writes: send 'Authorization: Bearer <token>'")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return JSONResponse({"error": f"invalid request: {problems}"}, status_code=422)

    @app.exception_handler(CommuniqueError)
    async def communique_error(request: Request, exc: CommuniqueError) -> JSONResponse:
        status = 502 if isinstance(exc, FetchError) else 400 if isinstance(exc, InputError) else 500
        return JSONResponse({"error": exc.message, "code": exc.code}, status_code=status)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"error": f"internal error ({type(exc).__name__})"}, status_code=500)

    # -- pages and assets ---------------------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")

    @app.get("/", include_in_schema=False)
    @app.get("/ui/{page:path}", include_in_schema=False)
    def shell(page: str = "") -> HTMLResponse:
        html = (WEB / "index.html").read_text(encoding="utf-8")
        return HTMLResponse(html, headers=_SECURITY_HEADERS)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return FileResponse(str(WEB / "static" / "favicon.svg"), media_type="image/svg+xml")

    # -- analysis -------------------------------------------------------------------------------------------
    @app.get("/api/health", tags=["meta"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "schema": "communique/1"}

    @app.post("/api/analyze", tags=["analysis"])
    def analyze(body: AnalyzeRequest, request: Request) -> dict[str, Any]:
        """Analyse a text or a URL; returns the contract JSON. With ``store=true`` also ingests it."""
        from .ingestion import document_from_bytes, read_source

        if body.store:
            can_write(request)
        else:
            can_read(request)
        if bool(body.text) == bool(body.url):
            raise HTTPException(422, "give exactly one of 'text' or 'url'")
        if body.url:
            document = read_source(body.url, published=body.published, title=body.title)
        else:
            document = document_from_bytes((body.text or "").encode("utf-8"), name="request")
            if body.published:
                document.published = body.published
            if body.title:
                document.title = body.title
        with state.analyze_lock:
            analysed = state.analyzer.analyze(document)
        result = to_contract(analysed)
        if body.store:
            state.store.write_analyses([analysed])
            result["stored"] = True
        return result

    _register_store_routes(app, state, can_read)
    return app


_SECURITY_HEADERS = {
    # Scripts only from this server: an injected <script> or onerror= attribute cannot run.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(limit, MAX_PAGE)), max(0, offset)


def _register_store_routes(app: FastAPI, state: AppState, can_read: Any) -> None:
    """Read endpoints over the store (documents, events, actors, quotes, relations, balance, ...)."""
    reader = [Depends(can_read)]
    Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
    Offset = Annotated[int, Query(ge=0)]

    @app.get("/api/documents", tags=["corpus"], dependencies=reader)
    def documents(
        q: str | None = None,
        actor: str | None = None,
        genre: str | None = None,
        source: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        return state.store.list_documents(
            q=q, actor=actor, genre=genre, source=source, since=since, until=until, limit=limit, offset=offset
        )
