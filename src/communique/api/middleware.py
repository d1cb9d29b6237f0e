"""The API's ASGI middleware: the Host check (against DNS rebinding), the body limit, and the read cache.

``create_app`` wraps the app in them in this order: HostCheck runs first, then BodyLimit, then ReadCache. A
request must name one of the server's own hosts in ``Host`` (a page whose name rebinds to 127.0.0.1 gets 400,
not the corpus), and a body over :data:`MAX_BODY_BYTES` is refused with 413 by its ``Content-Length``, or as
soon as that much has arrived.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from typing import Any

from fastapi import Request

from communique.api.state import AppState

# Answers that are never cached: sources is live (and cheap), an export is a download.
UNCACHED = frozenset({"/api/health", "/api/events/export", "/api/sources"})
# An article may be 20 MB (ingestion.MAX_INPUT_BYTES); the JSON around it gets a little room on top.
MAX_BODY_BYTES = 20 * 1024 * 1024 + 64 * 1024


class ReadCache:
    """ASGI middleware: answers reads from a cache kept until the store changes, and times every request.

    Every read answer depends only on the store's content, which changes only when a run starts or finishes or a
    document or link is added; so a page many analysts view is computed once. A page is computed by one request
    at a time; while it is, other requests for it get the previous answer (or wait for the first one). Each response carries
    ``Server-Timing: app;dur=<ms>`` (what this server spent, queueing included), which the load script reports.
    A plain ASGI class rather than ``@app.middleware``: a cache hit then costs no extra task or thread hop.
    """

    def __init__(self, app: Any, state: AppState) -> None:
        self.app = app
        self.state = state
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
            and path not in UNCACHED
            and self.state.may_read(Request(scope))
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


async def refuse(send: Any, status: int, message: str) -> None:
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
                await refuse(
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
            await refuse(
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
                await refuse(send, 413, too_large)
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
