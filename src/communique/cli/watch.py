"""`communique watch`: poll sources on a schedule and ingest what is new (communique.corpus.watch)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from communique.cli.corpus import DbOption, corpus_store
from communique.cli.errors import fail
from communique.errors import CommuniqueError

err = Console(stderr=True)

EveryOption = Annotated[
    str, typer.Option(help="How often each source is polled: 30s, 15m, 2h, 1d (a failing one backs off).")
]


def watch(
    sources: Annotated[
        list[str],
        typer.Argument(help="RSS/Atom feed URLs, list files (one path or URL a line), folders, files."),
    ],
    every: EveryOption = "15m",
    db: DbOption = "communique.db",
    polls: Annotated[
        int | None,
        typer.Option(
            help="Stop after this many rounds (a round polls every source that is due); default: never."
        ),
    ] = None,
    once: Annotated[
        bool,
        typer.Option(
            "--once", help="Poll the sources due now, then stop, without waiting for any (for cron)."
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            help="Analysis worker processes per poll (default 0: analyse in this process, model loaded once)."
        ),
    ] = 0,
) -> None:
    """Poll feeds, list files and folders on a schedule and ingest what is new, exactly once; the schedule and
    each source's errors are kept in the store, so a restarted watch goes on where it was."""
    from communique.corpus.run import IngestSettings
    from communique.corpus.watch import Poll, parse_interval
    from communique.corpus.watch import watch as run_watch

    try:
        interval = parse_interval(every)
    except CommuniqueError as exc:
        fail(f"--every: {exc}")
    if polls is not None and polls < 1:
        fail("--polls must be at least 1")
    rounds = 1 if once else polls

    def report(poll: Poll) -> None:
        if poll.status == "error":
            err.print(
                f"[red]{poll.source}[/]: {poll.error} (retried in {poll.next_run - poll.started:.0f} s)",
                highlight=False,
            )
        else:
            err.print(f"{poll.source}: {poll.status}, {poll.added} new", highlight=False)

    with corpus_store(db) as store:
        try:
            run_watch(
                sources,
                store,
                interval,
                rounds,
                IngestSettings(workers=workers),
                on_poll=report,
                wait=not once,
            )
        except KeyboardInterrupt:
            err.print("watch stopped; the next one goes on from the store's schedule")
            raise typer.Exit(130) from None


def register(app: typer.Typer) -> None:
    app.command("watch")(watch)
