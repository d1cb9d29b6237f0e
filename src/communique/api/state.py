"""What the API's views share: the process-wide state (one analyzer, one store per thread, the read cache),
the token, and who may read and write.

A view asks for the state and for an access check as FastAPI dependencies::

    def documents(state: State, limit: Limit = 50) -> dict[str, Any]: ...
    Route("/api/documents", documents, tag="corpus", access="read")   # in app.py's ROUTES

Reads are open to loopback clients and need the bearer token from anywhere else; every write needs the token.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import threading
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

CACHE_ENTRIES = 2000
VERSION_SECONDS = 0.5


def data_dir() -> Path:
    path = Path(os.environ.get("COMMUNIQUE_DATA_DIR", Path.home() / ".local" / "share" / "communique"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_or_create_token() -> tuple[str, bool]:
    """The API token and whether it was just created (so the caller can print it once).

    The token is ``COMMUNIQUE_TOKEN`` or, if unset, one generated at first start and saved under the data
    directory, created readable by its owner only.
    """
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


class AppState:
    """Lazily loaded, process-wide resources: one analyzer, one store connection per server thread."""

    def __init__(self, db: str | None, token: str) -> None:
        self.db = db
        self.token = token
        self._analyzer: Any = None
        self._kb: Any = None
        self._local = threading.local()  # sqlite3 objects are not shared between threads
        self._lock = threading.Lock()
        self.cache: dict[str, tuple[tuple[Any, ...], bytes]] = {}
        self._version: tuple[Any, ...] = ()
        self._version_at = -1e9
        self.analyze_lock = threading.Lock()  # spaCy pipelines are not guaranteed thread-safe
        # The near-duplicate index of the store's documents, kept between the requests that store an analysis
        # (indexing every document for each would cost seconds on a large store); None until the first.
        self.near_index: Any = None
        self.store_lock = threading.Lock()  # one storing request at a time keeps the index in step

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
        """Changes whenever the store's content may have (:func:`~communique.corpus.queries.store_version`).

        Read from the store at most every VERSION_SECONDS, so an answer can be that much older than a write.
        """
        from communique.corpus.queries import store_version

        now = time.monotonic()
        if now - self._version_at > VERSION_SECONDS:
            self._version = store_version(self.store)
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

    # -- access -------------------------------------------------------------------------------------------
    def may_read(self, request: Request) -> bool:
        return is_loopback(request) or self.has_token(request)

    def has_token(self, request: Request) -> bool:
        return secrets.compare_digest(bearer(request) or "", self.token)


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.communique
    return state


State = Annotated[AppState, Depends(app_state)]


def require_read(request: Request) -> None:
    if not app_state(request).may_read(request):
        raise HTTPException(401, "reads from outside loopback need 'Authorization: Bearer <token>'")


def require_write(request: Request) -> None:
    if not app_state(request).has_token(request):
        raise HTTPException(401, "this endpoint writes: send 'Authorization: Bearer <token>'")


def is_loopback(request: Request) -> bool:
    # An IP address only: a name (a test client's, or "localhost" in a forwarded header) proves nothing.
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
