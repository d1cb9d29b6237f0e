"""The HTTP API (FastAPI, OpenAPI at /docs) and the web UI it serves.

Reads are open to loopback clients and need the bearer token from anywhere else; every endpoint that writes
needs the token. The token is ``COMMUNIQUE_TOKEN`` or, if unset, one generated at first start, saved under the
data directory (created readable by its owner only) and printed by ``communique serve`` that once. A request
must name one of the server's own hosts in ``Host`` (a page whose name rebinds to 127.0.0.1 gets 400, not the
corpus), and a body over :data:`MAX_BODY_BYTES` is refused with 413 by its ``Content-Length``, or as soon as
that much has arrived. Errors are JSON ``{"error": message}``, never a traceback.
All article text reaches the browser as JSON and is inserted with ``textContent``; the HTML shell contains no
article text at all, so nothing from an article can execute.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import logging
import os
import secrets
import threading
import time
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as FastAPIPath
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique.document import content_id, to_contract
from communique.errors import CommuniqueError, FetchError, InputError

log = logging.getLogger(__name__)

WEB = resources.files("communique.api") / "web"
MAX_PAGE = 500
CACHE_ENTRIES = 2000
VERSION_SECONDS = 0.5
_UNCACHED = frozenset({"/api/health", "/api/events/export", "/api/sources"})  # sources: live, and cheap
# The names a server on loopback is reached by; `communique serve` adds --host and every --allowed-host.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# An article may be 20 MB (ingestion.MAX_INPUT_BYTES); the JSON around it gets a little room on top.
MAX_BODY_BYTES = 20 * 1024 * 1024 + 64 * 1024


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
    token = secrets.token_urlsafe(24)
    try:
        # Created with its final mode in one call: no moment at which another user could read it.
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip(), False
    with os.fdopen(handle, "w") as sink:
        sink.write(token + "\n")
    return token, True


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Article text (plain text or HTML).")
    url: str | None = Field(None, description="An http(s) URL to fetch and analyse instead of text.")
    published: date | None = Field(None, description="Publication date; overrides any date found.")
    title: str | None = None
    store: bool = Field(False, description="Also ingest the analysis into the store (needs the token).")


class DocumentEditRequest(BaseModel):
    """The corrections to a stored document; a field left out stays as it is, null or "" clears it."""

    published: date | None = Field(None, description="Publication date YYYY-MM-DD.")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200, description="Outlet.")


class AppState:
    """Lazily loaded, process-wide resources: one analyzer, one store."""

    def __init__(self, db: str | None, token: str) -> None:
        self.db = db
        self.token = token
        self._analyzer: Any = None
        self._kb: Any = None
        self._local = (
            threading.local()
        )  # one store connection per server thread: sqlite3 objects are not shared
        self._lock = threading.Lock()
        self.cache: dict[str, tuple[tuple[Any, ...], bytes]] = {}
        self._version: tuple[Any, ...] = ()
        self._version_at = -1e9
        self.analyze_lock = threading.Lock()  # spaCy pipelines are not guaranteed thread-safe

    @property
    def analyzer(self) -> Any:
        with self._lock:
            if self._analyzer is None:
                from communique.pipeline import Analyzer

                self._analyzer = Analyzer()
            return self._analyzer

    @property
    def store(self) -> Any:
        store = getattr(self._local, "store", None)
        if store is None:
            from communique.corpus.store import DEFAULT_DB, open_store

            store = self._local.store = open_store(self.db or DEFAULT_DB)
        return store

    def version(self) -> tuple[Any, ...]:
        """Changes whenever the store's content may have: a run started or finished, a document or link added,
        a document corrected.

        Read from the store at most every VERSION_SECONDS, so an answer can be that much older than a write.
        """
        now = time.monotonic()
        if now - self._version_at > VERSION_SECONDS:
            self._version = tuple(
                self.store.query(
                    "SELECT (SELECT max(id) FROM runs), (SELECT count(finished_at) FROM runs), "
                    "(SELECT count(*) FROM documents), (SELECT count(*) FROM document_links), "
                    "(SELECT max(id) FROM document_edits), (SELECT max(id) FROM unga_imports)"
                )[0]
            )
            self._version_at = now
        return self._version

    def changed(self) -> None:
        """This process wrote to the store: the next read checks the version at once."""
        self._version_at = -1e9

    def remember(self, key: str, version: tuple[Any, ...], body: bytes) -> None:
        with self._lock:
            if len(self.cache) >= CACHE_ENTRIES:
                self.cache.clear()
            self.cache[key] = (version, body)

    @property
    def kb(self) -> Any:
        with self._lock:
            if self._kb is None:
                from communique.kb.knowledge import KnowledgeBase

                self._kb = KnowledgeBase.load()
            return self._kb

    def party(self, name: str) -> str:
        """The code a name given for an actor stands for ("tur", "Turkey", "Erdogan" -> TUR); a name of an
        international organisation is kept as given; an unknown name is a 422 that lists the nearest names."""
        from communique.errors import UnknownActorError

        try:
            return str(self.kb.actor_code(name))
        except UnknownActorError as exc:
            if self.kb.lookup(name):
                return name  # an IGO or a group, by the name the store keeps
            raise HTTPException(422, str(exc)) from exc


class ReadCache:
    """ASGI middleware: answers reads from a cache kept until the store changes, and times every request.

    Every read answer depends only on the store's content, which changes only when a run starts or finishes or a
    document or link is added; so a page many analysts view is computed once. A page is computed by one request
    at a time; while it is, other requests for it get the previous answer (or wait for the first one). Each response carries
    ``Server-Timing: app;dur=<ms>`` (what this server spent, queueing included), which the load script reports.
    A plain ASGI class rather than ``@app.middleware``: a cache hit then costs no extra task or thread hop.
    """

    def __init__(self, app: Any, state: AppState, may_read: Any) -> None:
        self.app = app
        self.state = state
        self.may_read = may_read
        self.inflight: dict[
            str, asyncio.Event
        ] = {}  # pages being computed: later requests wait or get the last

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        def timing() -> tuple[bytes, bytes]:
            return b"server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.1f}".encode()

        path = scope["path"]
        cacheable = (
            scope["method"] == "GET"
            and path.startswith("/api/")
            and path not in _UNCACHED
            and self.may_read(Request(scope))
        )
        key = f"{path}?{scope.get('query_string', b'').decode('latin-1')}"
        version: tuple[Any, ...] = ()
        if cacheable:
            version = self.state.version()
            hit = self.state.cache.get(key)
            pending = self.inflight.get(key)
            if pending is not None and hit is None:  # the same page is being computed: wait for that answer
                await pending.wait()
                hit = self.state.cache.get(key)
            # A fresh answer, or (while the new one is being computed, e.g. during an ingest) the previous one.
            if hit is not None and (hit[0] == version or pending is not None):
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(hit[1])).encode()),
                    timing(),
                ]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": hit[1]})
                return
            if pending is None:
                done = self.inflight[key] = asyncio.Event()
                try:
                    await self._answer(scope, receive, send, timing, key, version)
                finally:
                    del self.inflight[key]
                    done.set()
                return
        await self._answer(scope, receive, send, timing, None, version)

    async def _answer(
        self,
        scope: dict[str, Any],
        receive: Any,
        send: Any,
        timing: Any,
        key: str | None,
        version: tuple[Any, ...],
    ) -> None:
        """Run the app; remember a successful answer under ``key`` (None: not cacheable)."""
        status = 0
        chunks: list[bytes] = []

        async def send_timed(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), timing()]}
            elif message["type"] == "http.response.body" and key is not None and status == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self.state.remember(key, version, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, send_timed)


async def _refuse(send: Any, status: int, message: str) -> None:
    """Answer a request from ASGI middleware, with the JSON error every endpoint uses."""
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def host_name(header: str) -> str:
    """The host of a ``Host`` header, lower-cased, without its port (``[::1]:8000`` -> ``[::1]``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class HostCheck:
    """ASGI middleware: a request whose ``Host`` is not one of this server's names gets 400.

    Against DNS rebinding: a web page whose own name resolves to 127.0.0.1 a moment after it loaded is, to the
    browser, the same site, and its requests arrive from loopback; only the Host header still names it.
    """

    def __init__(self, app: Any, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = {host_name(f"[{h}]" if ":" in h and not h.startswith("[") else h) for h in hosts}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            if host_name(header) not in self.hosts:
                await _refuse(
                    send, 400, f"unknown Host {header!r}: this server answers to {sorted(self.hosts)}"
                )
                return
        await self.app(scope, receive, send)


class BodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` gets 413 without being read whole.

    A declared ``Content-Length`` over the limit is refused before any of the body is read; a body without
    one (chunked) is read up to the limit and refused there. What was read is handed on to the endpoint.
    """

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        too_large = f"request body over the {self.max_bytes:,}-byte limit"
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(
                send,
                413 if declared.isdigit() else 400,
                too_large if declared.isdigit() else "bad Content-Length",
            )
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await _refuse(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        chunks.clear()
        handed_on = False

        async def replay() -> dict[str, Any]:
            nonlocal handed_on
            if handed_on:
                return dict(await receive())
            handed_on = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _is_loopback(request: Request) -> bool:
    # An IP address only: a name (a test client's, or "localhost" in a forwarded header) proves nothing.
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


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
        # FastAPI's own pages load Swagger UI and ReDoc from a CDN: /docs is served below from the package.
        docs_url=None,
        redoc_url=None,
    )
    app.state.communique = state

    def may_read(request: Request) -> bool:
        return _is_loopback(request) or secrets.compare_digest(_bearer(request) or "", state.token)

    def can_read(request: Request) -> None:
        if not may_read(request):
            raise HTTPException(401, "reads from outside loopback need 'Authorization: Bearer <token>'")

    def can_write(request: Request) -> None:
        if not secrets.compare_digest(_bearer(request) or "", state.token):
            raise HTTPException(401, "this endpoint writes: send 'Authorization: Bearer <token>'")

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

    # add_middleware wraps what is there: HostCheck runs first, then BodyLimit, then the read cache.
    app.add_middleware(ReadCache, state=state, may_read=may_read)
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(HostCheck, hosts=[*LOOPBACK_HOSTS, *hosts])

    # -- pages and assets ---------------------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    # Third-party scripts (ECharts, Swagger UI), copied into the package from npm by `make install`.
    app.mount("/vendor", StaticFiles(directory=str(WEB / "vendor"), check_dir=False), name="vendor")

    @app.get("/docs", include_in_schema=False)
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
        from communique.ingest.read import document_from_bytes, read_source

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
        document.id = content_id(document.text)  # the store keys everything by the content id, as ingest does
        with state.analyze_lock:
            analysed = state.analyzer.analyze(document)
        analysed.parsed = None
        result = to_contract(analysed)
        if body.store:
            result["stored"] = _store_analysis(state.store, result, body.url or "api:analyze")
            state.changed()
        return result

    _register_store_routes(app, state, can_read)

    @app.patch("/api/documents/{document_id}", tags=["corpus"])
    def edit_document(
        document_id: Annotated[str, FastAPIPath(max_length=200)], body: DocumentEditRequest, request: Request
    ) -> dict[str, Any]:
        """Correct a stored document's publication date, title or outlet (needs the token). The document is
        analysed again with the corrected metadata and every analytic follows; answers what changed."""
        from communique.corpus.run import edit_document as edit

        can_write(request)
        changes = {
            name: (value.isoformat() if isinstance(value, date) else value)
            for name, value in body.model_dump(exclude_unset=True).items()
        }
        if state.store.stored_document(document_id) is None:
            raise HTTPException(404, f"no document {document_id!r}")
        with state.analyze_lock:
            edits = edit(state.store, document_id, changes, state.analyzer)
        state.changed()
        return {"id": document_id, "changed": [{"field": f, "old": o, "new": n} for f, o, n in edits]}

    return app


_SECURITY_HEADERS = {
    # Scripts only from this server: an injected <script> or onerror= attribute cannot run.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _store_analysis(store: Any, record: dict[str, Any], origin: str) -> bool:
    """Write one analysis through the store's ingest path (a run, one batch, event merging); False if known."""
    from communique.corpus.dedup import merge_events, signature
    from communique.corpus.store import AnalysedDocument

    run_id = store.start_run([origin], {"via": "POST /api/analyze"})
    counts = {"added": 0}
    status = "failed"
    try:
        item = AnalysedDocument(record, None, origin, signature(record["document"]["text"]))
        counts = store.write_batch(run_id, [item])
        merge_events(store)
        status = "finished"
    finally:
        store.finish_run(run_id, status, counts)
    return counts["added"] > 0


def _coverage(store: Any, by: str) -> dict[str, int]:
    """How many analysed (English, dated) articles the store holds per period: the coverage behind a chart."""
    period = store.period("published", by)
    return {
        str(p): int(n)
        for p, n in store.query(
            f"SELECT {period} AS p, count(*) FROM documents WHERE published IS NOT NULL AND language = 'en' "
            "GROUP BY p ORDER BY p"
        )
    }


def _opening(text: str | None, title: str | None) -> str:
    """The first words of an article for a list, without the headline it starts with."""
    text = " ".join((text or "").split())
    if title and text.startswith(" ".join(title.split())):
        text = text[len(" ".join(title.split())) :].lstrip()
    return text if len(text) <= 240 else text[: text.rfind(" ", 0, 240)] + " …"


def _outlets(store: Any, limit: int) -> dict[str, Any]:
    by: dict[str, dict[str, Any]] = {}
    for source, articles, first, last, opinion, news, analysis in store.query(
        "SELECT source, count(*), min(published), max(published), "
        "sum(CASE WHEN genre = 'opinion' THEN 1 ELSE 0 END), sum(CASE WHEN genre = 'news' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN genre = 'analysis' THEN 1 ELSE 0 END) FROM documents WHERE source IS NOT NULL "
        "GROUP BY source ORDER BY 2 DESC, 1"
    )[:limit]:
        by[source] = {
            "source": source,
            "articles": int(articles),
            "first": first,
            "last": last,
            "genres": {"news": int(news or 0), "opinion": int(opinion or 0), "analysis": int(analysis or 0)},
            "sentences": 0,
            "kinds": {},
            "techniques": {},
            "events": [],
            "stance": [],
        }
    for source, kind, n in store.query(
        "SELECT d.source, s.kind, count(*) FROM sentences s JOIN documents d ON d.id = s.document_id "
        "WHERE d.source IS NOT NULL GROUP BY d.source, s.kind"
    ):
        if source in by:
            by[source]["kinds"][kind] = int(n)
            by[source]["sentences"] += int(n)
    for source, technique, n in store.query(
        "SELECT d.source, r.technique, count(*) FROM rhetoric r JOIN documents d ON d.id = r.document_id "
        "WHERE d.source IS NOT NULL GROUP BY d.source, r.technique ORDER BY 3 DESC, 2"
    ):
        if source in by:
            by[source]["techniques"][technique] = int(n)
    for source, type_, actor, recipient, n in store.query(
        "SELECT es.outlet, es.type, es.actor, es.recipient, count(DISTINCT es.cluster_id) FROM event_sources es "
        "WHERE es.outlet IS NOT NULL GROUP BY es.outlet, es.type, es.actor, es.recipient ORDER BY 5 DESC, 2, 3, 4"
    ):
        if source in by and len(by[source]["events"]) < 5:
            by[source]["events"].append(
                {"type": type_, "actor": actor, "recipient": recipient, "events": int(n)}
            )
    for source, party, mean, documents in store.query(
        "SELECT d.source, st.party, avg(st.score), count(DISTINCT st.document_id) FROM stance st "
        "JOIN documents d ON d.id = st.document_id WHERE d.source IS NOT NULL AND st.party IS NOT NULL "
        "GROUP BY d.source, st.party ORDER BY 4 DESC, 2"
    ):
        if source in by and len(by[source]["stance"]) < 5:
            by[source]["stance"].append(
                {"party": party, "mean": round(float(mean), 3), "documents": int(documents)}
            )
    items = list(by.values())
    for o in items:
        sentences = o["sentences"] or 1
        o["opinion_share"] = round(o["kinds"].get("opinion", 0) / sentences, 3) if o["sentences"] else None
        o["techniques_per_100_sentences"] = (
            round(100 * sum(o["techniques"].values()) / sentences, 2) if o["sentences"] else None
        )
    return {"items": items, "total": len(items)}


def _page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _codes(value: str | None) -> list[str]:
    return sorted(c for c in (value or "").split(",") if c)


Period = Literal["day", "week", "month", "year"]
Code = Annotated[
    str,
    Query(
        min_length=1,
        max_length=120,
        description="An actor: a code in any case (AZE, aze), a state or a person (Azerbaijan, Aliyev), or an IGO.",
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=500)]
PeriodLabel = Annotated[
    str, Query(min_length=4, max_length=10, description="A period label: 2024, 2024-05 or a day.")
]

# One event as the pages list it: its parties, date, evidence sentence, document and how many outlets reported it.
_EVENT_SELECT = (
    "SELECT e.id, e.document_id, coalesce(e.event_date, e.date_value, d.published), e.type, e.mode, e.status, "
    "e.attribution, e.score, e.quad_class, "
    "(SELECT {agg} FROM event_participants p WHERE p.event_id = e.id AND p.role = 'actor'), "
    "(SELECT {agg} FROM event_participants p WHERE p.event_id = e.id AND p.role = 'recipient'), "
    "(SELECT max(c.sources) FROM event_sources es JOIN event_clusters c ON c.id = es.cluster_id "
    "WHERE es.event_id = e.id), "
    "ev.text, d.title, d.source, d.published, e.confidence "
    "FROM events e JOIN documents d ON d.id = e.document_id "
    "LEFT JOIN event_evidence ev ON ev.event_id = e.id AND ev.idx = 0"
)


def _event_item(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "id": row[0],
        "document_id": row[1],
        "date": row[2],
        "type": row[3],
        "mode": row[4],
        "status": row[5],
        "attribution": row[6],
        "score": row[7],
        "quad_class": row[8],
        "actor_codes": _codes(row[9]),
        "recipient_codes": _codes(row[10]),
        "source_count": int(row[11] or 1),
        "evidence": row[12],
        "title": row[13],
        "source": row[14],
        "published": row[15],
        "confidence": row[16],
    }


def count_threshold() -> float | None:
    """The confidence at which the learned event coder's events count in the analytics (its model file's
    ``count_threshold``), or None when no model ships."""
    try:
        meta = json.loads(
            (resources.files("communique") / "data" / "models" / "event-coder.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return None
    value = meta.get("count_threshold")
    return float(value) if isinstance(value, int | float) else None


def _event_filters(
    actor: str | None,
    recipient: str | None,
    type_: str | None,
    since: date | None,
    until: date | None,
    source: str | None,
    genre: str | None = None,
    document_id: str | None = None,
    party: str | None = None,
    status: str | None = None,
    attribution: str | None = None,
    min_confidence: float | None = None,
) -> tuple[str, list[Any]]:
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    # status and attribution take one value or several, comma-separated (realized,historical).
    for column, wanted in (("status", status), ("attribution", attribution)):
        values = [v.strip().lower() for v in (wanted or "").split(",") if v.strip()]
        if values:
            where.append(f"e.{column} IN ({', '.join('?' * len(values))})")
            params += values
    if min_confidence is not None:  # an event coded without a confidence (the rule coder's) is kept
        where.append("(e.confidence IS NULL OR e.confidence >= ?)")
        params.append(min_confidence)
    # The events a party takes part in, looked up through the participants' party and code indexes (an EXISTS
    # per event would visit every event of the store).
    if party:  # on either side
        where.append(
            "e.id IN (SELECT event_id FROM event_participants WHERE party = ? "
            "UNION SELECT event_id FROM event_participants WHERE code = ?)"
        )
        params += [party, party]
    for role, party in (("actor", actor), ("recipient", recipient)):
        if party:
            where.append(
                "e.id IN (SELECT event_id FROM event_participants WHERE party = ? AND role = ? "
                "UNION SELECT event_id FROM event_participants WHERE code = ? AND role = ?)"
            )
            params += [party, role, party, role]
    if type_:
        where.append("e.type = ?")
        params.append(type_.upper())
    if since:
        where.append("coalesce(e.event_date, d.published) >= ?")
        params.append(since.isoformat())
    if until:
        where.append("coalesce(e.event_date, d.published) <= ?")
        params.append(until.isoformat())
    if source:
        where.append("lower(d.source) = lower(?)")
        params.append(source)
    if genre:
        where.append("d.genre = ?")
        params.append(genre)
    if document_id:
        where.append("e.document_id = ?")
        params.append(document_id)
    return " WHERE " + " AND ".join(where), params


def _events(store: Any, where: str, params: list[Any], limit: int, offset: int) -> dict[str, Any]:
    total = int(
        store.query(f"SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id{where}", params)[
            0
        ][0]
    )
    sql = _EVENT_SELECT.format(agg=store.group_concat("coalesce(p.party, p.text)"))
    order = "ORDER BY coalesce(e.event_date, d.published) DESC, e.id"
    # The page's ids first, then their columns: the per-event subqueries then run for the page's rows only,
    # not for every matching event before the sort (thousands for a frequent party).
    page = f"SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id{where} {order} LIMIT {limit} OFFSET {offset}"
    rows = store.query(f"{sql} WHERE e.id IN ({page}) {order}", params)
    return _page([_event_item(r) for r in rows], total, limit, offset)


def _evidence_page(
    store: Any, clusters: list[str], limit: int, offset: int, type_: str | None = None
) -> dict[str, Any]:
    """The reports (with their evidence sentences) behind the given real-world events, newest first, paginated;
    ``type_`` keeps the events of one PLOVER type."""
    from communique.corpus.relations import explain

    evidence = [e for e in explain(store, clusters) if not type_ or e.type == type_.upper()]
    evidence.sort(key=lambda e: (e.event_date, e.event_id), reverse=True)
    items = [
        {
            "id": e.event_id,
            "cluster_id": e.cluster_id,
            "date": e.event_date,
            "type": e.type,
            "actor_codes": [e.actor],
            "recipient_codes": [e.recipient],
            "score": e.score,
            "document_id": e.document_id,
            "title": e.title,
            "source": e.outlet,
            "published": e.published,
            "evidence": e.text,
        }
        for e in evidence[offset : offset + limit]
    ]
    return _page(items, len(evidence), limit, offset)


def _register_store_routes(app: FastAPI, state: AppState, can_read: Any) -> None:
    """Read endpoints over the store (documents, events, actors, quotes, relations, balance, ...)."""
    from communique.corpus import relations as rel
    from communique.corpus.store.base import LIKE_ESCAPE, SearchFilters, containing, document_filters

    reader = [Depends(can_read)]

    # -- documents ------------------------------------------------------------------------------------------
    @app.get("/api/documents", tags=["corpus"], dependencies=reader)
    def documents(
        q: Text = None,
        actor: Text = None,
        type: Text = None,
        genre: Text = None,
        source: Text = None,
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Stored articles, newest first; ``q`` is a full-text search (best match first)."""
        store = state.store
        filters = SearchFilters(
            actor=actor, event_type=type, since=_iso(since), until=_iso(until), source=source, genre=genre
        )
        if q and q.strip():
            hits = store.search(q, filters, limit=min(offset + limit, 2000), quotes=False)
            total = (
                len(hits) if len(hits) < offset + limit else len(store.search(q, filters, 2000, quotes=False))
            )
            items = [
                {
                    "id": h.document_id,
                    "title": h.title,
                    "published": h.published,
                    "source": h.source,
                    "genre": h.genre,
                    "snippet": h.snippet,
                }
                for h in hits[offset : offset + limit]
            ]
            return _page(items, total, limit, offset)
        where, params = document_filters(filters, "d")
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        total = int(store.query(f"SELECT count(*) FROM documents d{clause}", params)[0][0])
        rows = store.query(
            "SELECT d.id, d.title, d.published, d.source, d.genre, d.url, "
            "(SELECT count(*) FROM events e WHERE e.document_id = d.id), substr(d.text, 1, 400) "
            f"FROM documents d{clause} ORDER BY d.published DESC, d.id LIMIT {limit} OFFSET {offset}",
            params,
        )
        items = [
            {
                "id": r[0],
                "title": r[1],
                "published": r[2],
                "source": r[3],
                "genre": r[4],
                "url": r[5],
                "events": int(r[6]),
                "snippet": _opening(r[7], r[1]),
            }
            for r in rows
        ]
        return _page(items, total, limit, offset)

    @app.get("/api/outlets", tags=["corpus"], dependencies=reader)
    def outlets(limit: Limit = 100) -> dict[str, Any]:
        """How the outlets differ: per outlet its articles and genres, the share of its sentences that are the
        author's opinion, its persuasion techniques (per 100 sentences), the real-world events it reports most
        and its mean stance toward the parties it covers most."""
        return _outlets(state.store, limit)

    @app.get("/api/sources", tags=["corpus"], dependencies=reader)
    def watched_sources() -> dict[str, Any]:
        """The sources `communique watch` polls: each one's last fetch and what it stored (``last_added``,
        ``items_added``), its errors (``consecutive_errors``, ``last_error``, the ``backoff_seconds`` they
        earned) and its next run, soonest first."""
        from communique.corpus.watch import sources

        items = sources(state.store)
        return {"items": items, "total": len(items)}

    @app.get("/api/documents/{document_id}", tags=["corpus"], dependencies=reader)
    def document(document_id: Annotated[str, FastAPIPath(max_length=200)]) -> dict[str, Any]:
        """A stored article's analysis (the contract JSON), its near-duplicates and the articles reporting the
        same real-world events."""
        from communique.corpus.exports import document_contract

        store = state.store
        record = document_contract(store, document_id)
        if record is None:
            raise HTTPException(404, f"no document {document_id!r}")
        record["duplicates"] = [
            {"kind": r[0], "similarity": r[1], "url": r[2], "source": r[3], "title": r[4], "published": r[5]}
            for r in store.query(
                "SELECT kind, similarity, url, source, title, published FROM document_links WHERE document_id = ? "
                "ORDER BY similarity DESC, copy_key",
                (document_id,),
            )
        ]
        record["related"] = [
            {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "shared_events": int(r[4])}
            for r in store.query(
                "SELECT d.id, d.title, d.source, d.published, count(DISTINCT mine.cluster_id) FROM event_sources mine "
                "JOIN event_sources other ON other.cluster_id = mine.cluster_id AND other.document_id <> mine.document_id "
                "JOIN documents d ON d.id = other.document_id WHERE mine.document_id = ? "
                "GROUP BY d.id, d.title, d.source, d.published ORDER BY 5 DESC, d.published LIMIT 50",
                (document_id,),
            )
        ]
        return record

    # -- events ---------------------------------------------------------------------------------------------
    @app.get("/api/events", tags=["corpus"], dependencies=reader)
    def events(
        actor: Text = None,
        recipient: Text = None,
        type: Text = None,
        since: date | None = None,
        until: date | None = None,
        source: Text = None,
        genre: Text = None,
        document_id: Text = None,
        party: Text = None,
        status: Annotated[
            str | None, Query(max_length=200, description="Statuses, comma-separated: realized,historical")
        ] = None,
        attribution: Annotated[
            str | None, Query(max_length=200, description="Attributions, comma-separated: reported,claimed")
        ] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Coded events (each report of an event in an article), newest first, with the filters of ``search``;
        ``party`` keeps the events with that party on either side; ``status``, ``attribution`` and
        ``min_confidence`` keep the events so coded (``count_threshold`` in the answer: the confidence at which
        the analytics count an event)."""
        where, params = _event_filters(
            actor,
            recipient,
            type,
            since,
            until,
            source,
            genre,
            document_id,
            party,
            status,
            attribution,
            min_confidence,
        )
        return {**_events(state.store, where, params, limit, offset), "count_threshold": count_threshold()}

    @app.get("/api/events/export", tags=["corpus"], dependencies=reader, response_class=Response)
    def events_export(
        format: Literal["csv", "parquet"] = "csv",
        actor: Text = None,
        recipient: Text = None,
        type: Text = None,
        since: date | None = None,
        until: date | None = None,
        source: Text = None,
        party: Text = None,
        status: Annotated[str | None, Query(max_length=200)] = None,
        attribution: Annotated[str | None, Query(max_length=200)] = None,
        min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    ) -> Response:
        """Every event matching the filters as a CSV or Parquet download (the columns of ``communique export``)."""
        statuses = {v.strip().lower() for v in (status or "").split(",") if v.strip()}
        attributions = {v.strip().lower() for v in (attribution or "").split(",") if v.strip()}
        import io

        from communique.corpus.exports import EVENT_COLUMNS, event_rows, write_event_csv

        def wanted(r: dict[str, Any]) -> bool:
            return (
                (not actor or actor in r["actor"].split(";"))
                and (not recipient or recipient in r["recipient"].split(";"))
                and (not type or r["type"] == type.upper())
                and (not source or (r["source"] or "").lower() == source.lower())
                and (not party or party in (*r["actor"].split(";"), *r["recipient"].split(";")))
                and (not statuses or (r.get("status") or "") in statuses)
                and (not attributions or (r.get("attribution") or "") in attributions)
                and (
                    min_confidence is None or r.get("confidence") is None or r["confidence"] >= min_confidence
                )
            )

        rows = [r for r in event_rows(state.store, _iso(since), _iso(until)) if wanted(r)]
        if format == "csv":
            sink = io.StringIO()
            write_event_csv(rows, sink)
            return Response(
                sink.getvalue(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="events.csv"'},
            )
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [(c, pa.float64() if c in ("score", "confidence") else pa.string()) for c in EVENT_COLUMNS]
            + [("context", pa.list_(pa.string()))]
        )
        sink_bytes = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), sink_bytes)
        return Response(
            sink_bytes.getvalue(),
            media_type="application/vnd.apache.parquet",
            headers={"Content-Disposition": 'attachment; filename="events.parquet"'},
        )

    # -- actors and quotes ----------------------------------------------------------------------------------
    @app.get("/api/actors", tags=["actors"], dependencies=reader)
    def actors(q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        """Actors (states by code, organisations by name) by the number of articles naming them."""
        store = state.store
        where, params = "WHERE party IS NOT NULL", []
        if q:
            where += (
                f" AND (lower(party) LIKE lower(?) {LIKE_ESCAPE} OR lower(name) LIKE lower(?) {LIKE_ESCAPE})"
            )
            params += [containing(q), containing(q)]
        total = int(store.query(f"SELECT count(DISTINCT party) FROM actors {where}", params)[0][0])
        rows = store.query(
            f"SELECT party, min(name), min(type), count(DISTINCT document_id) FROM actors {where} "
            f"GROUP BY party ORDER BY 4 DESC, party LIMIT {limit} OFFSET {offset}",
            params,
        )
        kb = state.kb
        items = []
        for party, name, type_, docs in rows:
            country = kb.country(party) if len(party) == 3 and party.isupper() else None
            items.append(
                {
                    "code": party,
                    "name": country.name if country else name,
                    "type": type_,
                    "documents": int(docs),
                }
            )
        return _page(items, total, limit, offset)

    @app.get("/api/actors/{code}", tags=["actors"], dependencies=reader)
    def actor(
        code: Annotated[str, FastAPIPath(max_length=120)], by: Period = "month", limit: Limit = 20
    ) -> dict[str, Any]:
        """An actor's knowledge-base profile, the timeline of its events, sources' stance toward it, latest events."""
        store = state.store
        known = store.query(  # both halves answered from the (party|code, document_id) indexes alone
            "SELECT (SELECT name FROM actors WHERE party = ? LIMIT 1), count(DISTINCT document_id) FROM "
            "(SELECT document_id FROM actors WHERE party = ? UNION ALL SELECT document_id FROM actors WHERE code = ?) k",
            (code, code, code),
        )
        profile = _profile(state.kb, code)
        if profile is None and not known[0][1]:
            raise HTTPException(404, f"no actor {code!r} in the knowledge base or the store")
        period = store.period("event_date", by)
        coop = ", ".join("?" * len(rel.COOPERATIVE))
        timeline = [
            {
                "period": r[0],
                "cooperative": int(r[1]),
                "conflictual": int(r[2]),
                "net_score": round(float(r[3]), 2),
            }
            for r in store.query(
                f"SELECT {period} AS p, sum(CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END), "
                f"sum(CASE WHEN quad_class IN ({coop}) THEN 0 ELSE 1 END), sum(score) FROM event_clusters "
                "WHERE actor = ? OR recipient = ? GROUP BY p ORDER BY p",
                [*rel.COOPERATIVE, *rel.COOPERATIVE, code, code],
            )
        ]
        stance = [
            {"source": r[0], "documents": int(r[1]), "mean": round(float(r[2]), 3)}
            for r in store.query(
                # each article once (its mean stance toward the party's actors), then its outlet
                "SELECT coalesce(d.source, '(unknown)'), count(*), avg(x.score) FROM (SELECT document_id, "
                "avg(score) AS score FROM stance WHERE party = ? GROUP BY document_id) x "
                "JOIN documents d ON d.id = x.document_id GROUP BY 1 ORDER BY 2 DESC, 1",
                (code,),
            )
        ]
        where, params = _event_filters(None, None, None, None, None, None, party=code)
        latest = _events(store, where, params, limit, 0)
        return {
            "code": code,
            "name": (profile or {}).get("name") or known[0][0] or code,
            "documents": int(known[0][1]),
            "profile": profile or {},
            "timeline": timeline,
            "coverage": _coverage(store, by),
            "stance_by_source": stance,
            "events": latest["items"],
            "event_total": latest["total"],
        }

    @app.get("/api/actors/{code}/stance", tags=["actors"], dependencies=reader)
    def actor_stance(
        code: Annotated[str, FastAPIPath(max_length=120)],
        source: Text = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The articles' stance toward an actor, newest first, each with the sentences it was read from;
        ``source`` keeps one outlet's (``(unknown)`` for articles without one)."""
        store = state.store
        where, params = "WHERE s.party = ?", [code]
        if source:
            where += " AND coalesce(d.source, '(unknown)') = ?"
            params.append(source)
        base = (
            "FROM stance s JOIN documents d ON d.id = s.document_id JOIN actors a "
            f"ON a.document_id = s.document_id AND a.actor_id = s.actor_id {where}"
        )
        total = int(store.query(f"SELECT count(*) {base}", params)[0][0])
        rows = store.query(
            f"SELECT s.document_id, s.score, s.sentences, d.title, d.source, d.published, a.name {base} "
            f"ORDER BY d.published DESC, s.document_id, s.actor_id LIMIT {limit} OFFSET {offset}",
            params,
        )
        items = []
        for document_id, score, indices, title, outlet, published, name in rows:
            wanted = [int(i) for i in json.loads(indices or "[]")]
            spans = (
                store.query(
                    "SELECT idx, char_start, char_end FROM sentences WHERE document_id = ? "
                    f"AND idx IN ({', '.join('?' * len(wanted))}) ORDER BY idx",
                    [document_id, *wanted],
                )
                if wanted
                else []
            )
            text = (
                store.query("SELECT text FROM documents WHERE id = ?", (document_id,))[0][0] if spans else ""
            )
            items.append(
                {
                    "document_id": document_id,
                    "actor": name,
                    "score": score,
                    "title": title,
                    "source": outlet,
                    "published": published,
                    "sentences": [text[r[1] : r[2]].strip() for r in spans],
                }
            )
        return _page(items, total, limit, offset)

    @app.get("/api/quotes", tags=["actors"], dependencies=reader)
    def quotes(
        speaker: Text = None,
        q: Text = None,
        document_id: Text = None,
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Quotations with their speakers; ``speaker`` is a code (AZE) or a name."""
        store = state.store
        where, params = document_filters(SearchFilters(since=_iso(since), until=_iso(until)), "d")
        if speaker:
            where.append(
                "(qt.speaker_code = ? OR lower(qt.speaker_name) = lower(?) OR lower(qt.speaker_text) = lower(?))"
            )
            params += [speaker, speaker, speaker]
        if q:
            where.append(f"lower(qt.content_text) LIKE lower(?) {LIKE_ESCAPE}")
            params.append(containing(q))
        if document_id:
            where.append("qt.document_id = ?")
            params.append(document_id)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        base = "FROM quotes qt JOIN documents d ON d.id = qt.document_id"
        total = int(store.query(f"SELECT count(*) {base}{clause}", params)[0][0])
        rows = store.query(
            f"SELECT qt.document_id, qt.idx, qt.kind, coalesce(qt.speaker_name, qt.speaker_text), qt.speaker_code, "
            f"qt.content_text, d.title, d.source, d.published {base}{clause} "
            f"ORDER BY d.published DESC, qt.document_id, qt.idx LIMIT {limit} OFFSET {offset}",
            params,
        )
        items = [
            {
                "document_id": r[0],
                "index": r[1],
                "kind": r[2],
                "speaker": r[3],
                "speaker_code": r[4],
                "text": r[5],
                "title": r[6],
                "source": r[7],
                "published": r[8],
            }
            for r in rows
        ]
        return _page(items, total, limit, offset)

    # -- relations analytics --------------------------------------------------------------------------------
    @app.get("/api/relations", tags=["relations"], dependencies=reader)
    def relations(
        a: Code,
        b: Code,
        by: Period = "month",
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """A directed dyad's time series (score and counts by type) and the reports behind it (paginated)."""
        a, b = state.party(a), state.party(b)
        store = state.store
        series = rel.dyad_series(store, a, b, by, _iso(since), _iso(until))
        coop = set(rel.COOPERATIVE)
        rows, clusters = [], []
        for p in series.periods:
            rows.append(
                {
                    "period": p.period,
                    "events": p.events,
                    "reports": p.reports,
                    "score_sum": p.score_sum,
                    "score_mean": p.score_mean,
                    "by_type": p.by_type,
                    "cooperative": sum(n for q, n in p.by_quad.items() if q in coop),
                    "conflictual": sum(n for q, n in p.by_quad.items() if q not in coop),
                }
            )
            clusters += p.clusters
        found = _evidence_page(store, clusters, limit, offset)
        return {
            "a": a,
            "b": b,
            "by": by,
            "series": rows,
            "coverage": _coverage(store, by),
            "events": found["items"],
            "total": found["total"],
            "limit": limit,
            "offset": offset,
            "set_aside_by_language": series.set_aside_by_language,
        }

    @app.get("/api/relations/events", tags=["relations"], dependencies=reader)
    def relation_events(
        a: Code,
        b: Code,
        period: PeriodLabel,
        by: Period = "month",
        type: Text = None,
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The reports behind one period of a directed dyad's series (``type``: one PLOVER type's)."""
        a, b = state.party(a), state.party(b)
        series = rel.dyad_series(state.store, a, b, by, _iso(since), _iso(until))
        cell = next((p for p in series.periods if p.period == period), None)
        if cell is None:
            raise HTTPException(404, f"no events from {a} to {b} in period {period!r}")
        return _evidence_page(state.store, cell.clusters, limit, offset, type)

    @app.get("/api/relations/partners", tags=["relations"], dependencies=reader)
    def partners(country: Code, since: date | None = None, until: date | None = None) -> dict[str, Any]:
        """Net PLOVER score of a country's real-world events with each partner state, both directions (the map)."""
        country = state.party(country)
        dates, params = rel._date_filter(_iso(since), _iso(until))
        rows = state.store.query(
            "SELECT partner, count(*), sum(score) FROM ("
            f"SELECT recipient AS partner, score FROM event_clusters WHERE actor = ?{dates} UNION ALL "
            f"SELECT actor AS partner, score FROM event_clusters WHERE recipient = ?{dates}) legs "
            "GROUP BY partner ORDER BY partner",
            [country, *params, country, *params],
        )
        found = {
            r[0]: {"events": int(r[1]), "net_score": round(float(r[2]), 2)} for r in rows if r[0] != country
        }
        return {"country": country, "partners": found}

    @app.get("/api/balance", tags=["relations"], dependencies=reader)
    def balance(
        country: Code,
        by: Period = "year",
        since: date | None = None,
        until: date | None = None,
        direction: Literal["both", "out", "in"] = "both",
    ) -> dict[str, Any]:
        """A country's engagement with each centre of power per period, and the evenness index."""
        country = state.party(country)
        result = rel.balance(state.store, country, None, by, _iso(since), _iso(until), direction)
        return {
            "country": country,
            "by": by,
            "direction": direction,
            "centres": [c.name for c in result.centres],
            "labels": {c.name: c.label for c in result.centres},
            "periods": [
                {
                    "period": p.period,
                    "evenness": p.evenness,
                    "centres": {
                        n: {
                            "share": c.share,
                            "net_score": c.net_score,
                            "cooperative": c.cooperative,
                            "conflictual": c.conflictual,
                        }
                        for n, c in p.centres.items()
                    },
                }
                for p in result.periods
            ],
            "coverage": _coverage(state.store, by),
            "set_aside_by_language": result.set_aside_by_language,
            # UN General Assembly ideal points per year: the country's against each centre's (unga.py)
            "ideal_points": dataclasses.asdict(result.ideal_points) if result.ideal_points else None,
        }

    @app.get("/api/balance/events", tags=["relations"], dependencies=reader)
    def balance_events(
        country: Code,
        period: PeriodLabel,
        by: Period = "year",
        centre: Text = None,
        since: date | None = None,
        until: date | None = None,
        direction: Literal["both", "out", "in"] = "both",
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The reports behind one period of the balance: with ``centre``, that centre's cell; else every centre's."""
        country = state.party(country)
        result = rel.balance(state.store, country, None, by, _iso(since), _iso(until), direction)
        cells = next((p.centres for p in result.periods if p.period == period), None)
        if cells is None:
            raise HTTPException(
                404, f"{country} has no engagement with a centre of power in period {period!r}"
            )
        if centre and centre not in cells:
            raise HTTPException(404, f"no centre {centre!r}; the centres are {', '.join(cells)}")
        clusters = [i for name, cell in cells.items() if not centre or name == centre for i in cell.clusters]
        return _evidence_page(state.store, clusters, limit, offset)

    @app.get("/api/convergence", tags=["relations"], dependencies=reader)
    def convergence(
        a: Code,
        b: Code,
        by: Period = "year",
        since: date | None = None,
        until: date | None = None,
        measure: Literal["cosine", "pearson"] = "cosine",
    ) -> dict[str, Any]:
        """Are two countries moving together: their dyadic score and how alike they treat third parties."""
        a, b = state.party(a), state.party(b)
        result = rel.convergence(state.store, a, b, by, _iso(since), _iso(until), measure)
        return {**dataclasses.asdict(result), "coverage": _coverage(state.store, by)}

    @app.get("/api/convergence/events", tags=["relations"], dependencies=reader)
    def convergence_events(
        a: Code,
        b: Code,
        period: PeriodLabel,
        kind: Literal["dyad", "third_parties"] = "dyad",
        by: Period = "year",
        since: date | None = None,
        until: date | None = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """The reports behind one convergence point: the events between A and B (``dyad``) or those of A and B
        with their shared third parties (``third_parties``, what the similarity is computed from)."""
        a, b = state.party(a), state.party(b)
        result = rel.convergence(state.store, a, b, by, _iso(since), _iso(until))
        cell = next((p for p in result.periods if p.period == period), None)
        if cell is None:
            raise HTTPException(404, f"no events of {a} or {b} in period {period!r}")
        clusters = cell.dyad_clusters if kind == "dyad" else cell.third_party_clusters
        return _evidence_page(state.store, clusters, limit, offset)

    @app.get("/api/network", tags=["relations"], dependencies=reader)
    def network(
        since: date | None = None,
        until: date | None = None,
        min_events: Annotated[int, Query(ge=1, le=10_000)] = 1,
        actor: Text = None,
    ) -> dict[str, Any]:
        """Actors and their net directed relations in a period; ``actor`` keeps only its edges."""
        result = rel.network(state.store, _iso(since), _iso(until), min_events)
        edges = [e for e in result.edges if not actor or actor in (e.actor, e.recipient)]
        used = {p for e in edges for p in (e.actor, e.recipient)}
        return {
            "since": _iso(since),
            "until": _iso(until),
            "nodes": [{"id": k, "label": k, **v} for k, v in result.nodes.items() if k in used],
            "edges": [
                {
                    "source": e.actor,
                    "target": e.recipient,
                    "events": e.events,
                    "net_score": e.net_score,
                    "cooperative": e.cooperative,
                    "conflictual": e.conflictual,
                    "sources": e.sources,
                }
                for e in edges
            ],
            "set_aside_by_language": result.set_aside_by_language,
        }

    @app.get("/api/search", tags=["corpus"], dependencies=reader)
    def search(
        q: Annotated[str, Query(min_length=1, max_length=500)],
        actor: Text = None,
        type: Text = None,
        since: date | None = None,
        until: date | None = None,
        source: Text = None,
        genre: Text = None,
        quotes: bool = True,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Full-text search over articles and quotations, best first (as ``communique search``)."""
        filters = SearchFilters(
            actor=actor, event_type=type, since=_iso(since), until=_iso(until), source=source, genre=genre
        )
        if not q.strip():
            return _page([], 0, limit, offset)
        hits = state.store.search(q, filters, limit=min(offset + limit, 2000), quotes=quotes)
        items = [dataclasses.asdict(h) for h in hits[offset : offset + limit]]
        total = (
            len(hits)
            if len(hits) < offset + limit
            else len(state.store.search(q, filters, 2000, quotes=quotes))
        )
        return _page(items, total, limit, offset)


def _profile(kb: Any, code: str) -> dict[str, Any] | None:
    """A knowledge-base profile for a state code or an organisation's name; None when the base has neither."""
    country = kb.country(code) if len(code) in (2, 3) and code.isalpha() else None
    if country is not None:
        members = sorted(o.name for o in kb.organizations.values() if country.code in o.members)
        return {
            "kind": "country",
            "name": country.name,
            "official": country.official,
            "capital": country.capital,
            "aliases": country.aliases,
            "adjectives": country.adjectives,
            "organizations": members,
        }
    for entry in kb.lookup(code):
        found = kb.entry(entry.kb_id)
        if found is not None and entry.kb_id.startswith("organization:"):
            return {
                "kind": "organization",
                "name": found.name,
                "official": found.name,
                "capital": None,
                "aliases": [*found.acronyms, *found.aliases],
                "members": found.members,
                "organizations": [],
            }
    return None
