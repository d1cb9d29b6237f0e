"""The HTTP API (FastAPI, OpenAPI at /docs) and the web UI it serves: one table of routes, :data:`ROUTES`.

Each route names its view, a function in ``api/routes/<page or resource>.py`` that asks the store's query
layer (:mod:`communique.corpus.queries`, :mod:`communique.corpus.relations`) and shapes its answer; no view
holds SQL. Reads are open to loopback clients and need the bearer token from anywhere else; every endpoint that
writes needs the token (:mod:`communique.api.state`). The token is ``COMMUNIQUE_TOKEN`` or, if unset, one
generated at first start, saved under the data directory and printed by ``communique serve`` that once. The
Host check, the body limit and the read cache are ASGI middleware (:mod:`communique.api.middleware`). Errors
are JSON ``{"error": message}``, never a traceback. All article text reaches the browser as JSON and is
inserted with ``textContent``; the HTML shell contains no article text at all, so nothing from an article can
execute.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique.api.middleware import MAX_BODY_BYTES, BodyLimit, HostCheck, ReadCache
from communique.api.routes import (
    actors,
    alerts,
    analyze,
    balance,
    brief,
    convergence,
    corrections,
    documents,
    events,
    meta,
    network,
    outlets,
    pages,
    quotes,
    relations,
    search,
    vocabulary,
    watch,
)
from communique.api.state import AppState, load_or_create_token, require_read, require_write
from communique.errors import CommuniqueError, FetchError, InputError

log = logging.getLogger(__name__)

__all__ = ["LOOPBACK_HOSTS", "MAX_BODY_BYTES", "ROUTES", "Route", "create_app", "load_or_create_token"]

# The names a server on loopback is reached by; `communique serve` adds --host and every --allowed-host.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


@dataclass(frozen=True)
class Route:
    """One route: its path, its view, and who may call it.

    ``access``: ``open`` (anyone), ``read`` (loopback, or the token), ``write`` (the token), or ``view`` (the
    view decides: analysing is a read, analysing and storing a write). A route without a ``tag`` is a page,
    left out of the OpenAPI schema.
    """

    path: str
    view: Callable[..., Any]
    method: str = "GET"
    tag: str | None = None
    access: Literal["open", "read", "write", "view"] = "read"
    response_class: type[Response] | None = None


ROUTES: list[Route] = [
    # pages and the API's documentation
    Route("/docs", pages.docs, access="open"),
    Route("/", pages.shell, access="open"),
    Route("/ui/{page:path}", pages.shell, access="open"),
    Route("/favicon.ico", pages.favicon, access="open"),
    # drawn on the server, no script (routes/brief.py)
    Route("/brief", brief.brief, response_class=HTMLResponse),
    # analysis
    Route("/api/health", meta.health, tag="meta", access="open"),
    Route("/api/vocabulary", vocabulary.vocabulary, tag="meta", access="open"),
    Route("/api/analyze", analyze.analyze, "POST", tag="analysis", access="view"),
    # the corpus
    Route("/api/documents", documents.documents, tag="corpus"),
    Route("/api/outlets", outlets.outlets, tag="corpus"),
    Route("/api/sources", watch.watched_sources, tag="corpus"),
    Route("/api/documents/{document_id}", documents.document, tag="corpus"),
    Route("/api/events", events.events, tag="corpus"),
    Route("/api/events/export", events.events_export, tag="corpus", response_class=Response),
    # actors and quotes
    Route("/api/actors", actors.actors, tag="actors"),
    Route("/api/actors/{code}", actors.actor, tag="actors"),
    Route("/api/actors/{code}/stance", actors.actor_stance, tag="actors"),
    Route("/api/quotes", quotes.quotes, tag="actors"),
    # relations analytics
    Route("/api/relations", relations.relations, tag="relations"),
    Route("/api/relations/events", relations.relation_events, tag="relations"),
    Route("/api/relations/partners", relations.partners, tag="relations"),
    Route("/api/balance", balance.balance, tag="relations"),
    Route("/api/balance/events", balance.balance_events, tag="relations"),
    Route("/api/convergence", convergence.convergence, tag="relations"),
    Route("/api/convergence/events", convergence.convergence_events, tag="relations"),
    Route("/api/network", network.network, tag="relations"),
    Route("/api/search", search.search, tag="corpus"),
    # saved queries and their alerts (the Alerts page), the Atom feed of each
    Route("/api/alerts", alerts.alerts, tag="alerts"),
    Route("/api/alerts/unread", alerts.unread, tag="alerts"),
    Route("/api/alerts/feeds/{query_id}.atom", alerts.feed, tag="alerts", response_class=Response),
    Route("/api/alerts/queries", alerts.save_query, "POST", tag="alerts", access="write"),
    Route("/api/alerts/queries/{query_id}", alerts.delete_query, "DELETE", tag="alerts", access="write"),
    Route("/api/alerts/read", alerts.mark_read, "POST", tag="alerts", access="write"),
    Route("/api/alerts/check", alerts.check, "POST", tag="alerts", access="write"),
    # corrections
    Route("/api/documents/{document_id}", documents.edit_document, "PATCH", tag="corpus", access="write"),
    Route("/api/corrections", corrections.corrections, tag="corrections"),
    Route(
        "/api/events/{event_id}/corrections", corrections.correct, "POST", tag="corrections", access="write"
    ),
    Route("/api/documents/{document_id}/events", corrections.add, "POST", tag="corrections", access="write"),
]

_ACCESS = {"read": [Depends(require_read)], "write": [Depends(require_write)]}


def create_app(db: str | None = None, token: str | None = None, hosts: Iterable[str] = ()) -> FastAPI:
    """The API and UI over the store at ``db`` (default ./communique.db), answering to :data:`LOOPBACK_HOSTS`
    and ``hosts`` (the names and addresses clients reach it by)."""
    if token is None:
        token, _ = load_or_create_token()
    state = AppState(db, token)
    app = FastAPI(
        title="communique",
        version="1",
        description="Evidence-linked geopolitical events, quotes, opinion, rhetoric and relations.",
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN: /docs is served from the package instead.
        docs_url=None,
        redoc_url=None,
    )
    app.state.communique = state
    _handle_errors(app)
    # add_middleware wraps what is there: HostCheck runs first, then BodyLimit, then the read cache.
    app.add_middleware(ReadCache, state=state)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(HostCheck, hosts=[*LOOPBACK_HOSTS, *hosts])
    app.mount("/static", StaticFiles(directory=str(pages.WEB / "static")), name="static")
    # Third-party scripts (ECharts, Swagger UI), copied into the package from npm by `make install`.
    app.mount("/vendor", StaticFiles(directory=str(pages.WEB / "vendor"), check_dir=False), name="vendor")
    for route in ROUTES:
        extra: dict[str, Any] = {"response_class": route.response_class} if route.response_class else {}
        app.add_api_route(
            route.path,
            route.view,
            methods=[route.method],
            tags=[route.tag] if route.tag else None,
            include_in_schema=route.tag is not None,
            dependencies=_ACCESS.get(route.access),
            **extra,
        )
    return app


def _handle_errors(app: FastAPI) -> None:
    """Every error as JSON ``{"error": message}`` (a CommuniqueError also with its ``code``), never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
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
