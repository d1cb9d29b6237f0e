"""`communique serve`: the HTTP API and web UI over a store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

err = Console(stderr=True)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db: Annotated[
        str | None, typer.Option(help="Store: a SQLite path or postgresql:// URL (default ./communique.db).")
    ] = None,
) -> None:
    """Serve the web UI (/) and the HTTP API (/api, OpenAPI at /docs)."""
    import uvicorn

    from ..api import create_app, load_or_create_token

    token, created = load_or_create_token()
    if created:
        err.print(f"API token for writing endpoints (saved for next time): [bold]{token}[/]")
    err.print(f"communique UI on [bold]http://{host}:{port}/[/]  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(db, token=token), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
