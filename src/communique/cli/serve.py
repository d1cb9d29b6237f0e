"""`communique serve`: the HTTP API and web UI over a store."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

err = Console(stderr=True)


def ingest_samples(db: str) -> int:
    """Ingest the bundled sample articles into the store at ``db`` (already stored ones are skipped)."""
    from communique.corpus.run import IngestSettings, ingest
    from communique.corpus.store import open_store
    from communique.ingest.read import sample_documents

    records = [
        {
            "text": d.text,
            "title": d.title,
            "published": d.published.isoformat() if d.published else None,
            "source": d.source,
        }
        for d in sample_documents()
    ]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "samples.jsonl"
        source.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        store = open_store(db)
        try:
            report = ingest([str(source)], store, IngestSettings(workers=0))
        finally:
            store.close()
    return report.added


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: Annotated[
        str, typer.Option(envvar="COMMUNIQUE_DB", help="Store: a SQLite path or postgresql:// URL.")
    ] = "communique.db",
    sample: Annotated[
        bool, typer.Option(help="First ingest the sample articles that ship with communique into the store.")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another name clients reach the server by (its DNS name); repeatable. Requests naming any "
            "other host than these, --host, 127.0.0.1, localhost and [::1] get 400."
        ),
    ] = None,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address of a reverse proxy whose X-Forwarded-For is believed; repeatable. Without one the "
            "header is ignored."
        ),
    ] = None,
    watch: Annotated[
        list[str] | None,
        typer.Option(
            help="A source to poll while serving, as `communique watch` does (feed URL, list file, folder); "
            "repeatable. Its state shows on the Sources page and at GET /api/sources."
        ),
    ] = None,
    every: Annotated[
        str, typer.Option(help="How often each --watch source is polled: 30s, 15m, 2h, 1d.")
    ] = "15m",
) -> None:
    """Serve the web UI (/) and the HTTP API (/api, OpenAPI at /docs)."""
    import uvicorn

    from communique.api.app import load_or_create_token
    from communique.corpus.watch import parse_interval
    from communique.errors import CommuniqueError

    try:
        interval = parse_interval(every)
    except CommuniqueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None

    if sample:
        added = ingest_samples(db)
        err.print(f"sample articles: {added} added to {db}", highlight=False)
    token, created = load_or_create_token()
    if created:  # printed this once; later starts read it from the file and never show it
        err.print(f"API token for writing endpoints (saved for next time): [bold]{token}[/]")
    err.print(f"communique UI on [bold]http://{host}:{port}/[/]  (API docs: http://{host}:{port}/docs)")
    watcher = start_watch(db, watch, interval) if watch else None
    try:
        uvicorn.Server(server_config(db, token, host, port, allowed_host or [], trusted_proxy or [])).run()
    finally:
        if watcher is not None:
            watcher.stop()


class Watcher:
    """`communique watch` in a thread of the server, on its own connection to the store; :meth:`stop` ends it
    between two polls (a poll under way finishes first, or is simply done again by the next watch)."""

    def __init__(self, db: str, sources: list[str], every: float) -> None:
        import threading

        self.db, self.sources, self.every = db, sources, every
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="communique-watch", daemon=True)

    def _run(self) -> None:
        from communique.corpus.run import IngestSettings
        from communique.corpus.store import open_store
        from communique.corpus.watch import watch

        try:
            with open_store(self.db) as store:
                watch(
                    self.sources,
                    store,
                    self.every,
                    settings=IngestSettings(workers=0),
                    sleep=self.stopping.wait,
                    stop=self.stopping.is_set,
                )
        except Exception:  # the server goes on serving; the sources page shows what the watch last did
            import logging

            logging.getLogger(__name__).exception("the watch stopped")

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)


def start_watch(db: str, sources: list[str], every: float) -> Watcher:
    watcher = Watcher(db, sources, every)
    watcher.thread.start()
    err.print(f"watching {len(sources)} source(s) every {every:g} s", highlight=False)
    return watcher


def server_config(
    db: str, token: str, host: str, port: int, allowed_hosts: list[str], trusted_proxies: list[str]
) -> Any:
    """The uvicorn configuration `serve` runs: the app answering to its own names, proxies as given."""
    import uvicorn

    from communique.api.app import create_app

    app = create_app(db, token=token, hosts=[host, *allowed_hosts])
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        # uvicorn believes X-Forwarded-For from 127.0.0.1 by default, so anything on loopback could claim any
        # client address; only a configured proxy is believed.
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=list(trusted_proxies) or None,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
