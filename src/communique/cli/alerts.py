"""`communique alerts ...`: saved queries and the alerts they raise (communique.corpus.alerts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from communique.cli.corpus import DbOption, JsonOption, corpus_store, print_json, state_code
from communique.cli.errors import fail
from communique.cli.tables import Row, print_table

out = Console()
err = Console(stderr=True)

alerts_app = typer.Typer(
    help="Saved queries and their alerts: new matching events, changes against a baseline."
)


@alerts_app.command("save")
def save(
    name: Annotated[str, typer.Argument(help="A name for the query (unique in the store).")],
    search: Annotated[
        str | None, typer.Option(help="Alert on events in the articles this search finds.")
    ] = None,
    dyad: Annotated[
        tuple[str, str] | None,
        typer.Option(
            help="Alert on events from the first state to the second (codes or names).", show_default=False
        ),
    ] = None,
    balance: Annotated[
        str | None, typer.Option(help="Alert on a country's events with the centres of power (either way).")
    ] = None,
    event_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only these PLOVER types (repeat the option for more).")
    ] = None,
    min_confidence: Annotated[
        float | None, typer.Option(help="Only events of at least this confidence (0-1).")
    ] = None,
    deviation: Annotated[
        float | None,
        typer.Option(
            help="Also alert when the dyad's monthly mean score, or a balance share, moves more than this many "
            "standard deviations from its trailing baseline."
        ),
    ] = None,
    baseline_months: Annotated[int, typer.Option(help="Months with events in the trailing baseline.")] = 12,
    webhook: Annotated[str | None, typer.Option(help="POST each alert as JSON to this URL.")] = None,
    db: DbOption = "communique.db",
) -> None:
    """Save a query; from now on each new matching real-world event raises one alert."""
    from communique.corpus.alerts import save_query

    pair = (state_code(dyad[0]), state_code(dyad[1])) if dyad else None
    country = state_code(balance) if balance else None
    with corpus_store(db) as store:
        query = save_query(
            store,
            name,
            search=search,
            dyad=pair,
            country=country,
            event_types=event_type or [],
            min_confidence=min_confidence,
            deviation=deviation,
            baseline_months=baseline_months,
            webhook=webhook,
        )
    err.print(f"saved query {escape(query.name)}: {escape(query.describe())}", highlight=False)


@alerts_app.command("list")
def list_queries(db: DbOption = "communique.db", as_json: JsonOption = False) -> None:
    """The saved queries, with their unread alerts."""
    from communique.corpus.alerts import saved_queries, unread_counts

    with corpus_store(db) as store:
        queries = saved_queries(store)
        unread = unread_counts(store)
    if as_json:
        print_json([dict(dataclasses.asdict(q), unread=unread.get(q.name, 0)) for q in queries])
        return
    if not queries:
        err.print("no saved queries: save one with `communique alerts save NAME --dyad AZE RUS`")
        return
    rows: list[Row] = [(q.name, q.describe(), unread.get(q.name, 0), q.webhook or "") for q in queries]
    print_table(out, ("query", "watches", "unread", "webhook"), rows)


@alerts_app.command("check")
def check(
    db: DbOption = "communique.db",
    deliver: Annotated[
        bool, typer.Option(help="Also POST the alerts not yet delivered to their query's webhook.")
    ] = True,
) -> None:
    """Raise the alerts of every saved query for what the store holds now (the watch does this after each
    poll that stored documents)."""
    from communique.corpus.alerts import check_alerts, deliver_webhooks

    with corpus_store(db) as store:
        made = check_alerts(store)
        deliveries = deliver_webhooks(store) if deliver else []
    for alert in made:
        out.print(f"{alert.id}\t{escape(alert.query)}\t{escape(alert.summary)}", highlight=False)
    failed = [d for d in deliveries if not d.delivered]
    err.print(
        f"{len(made)} new alerts; {len(deliveries) - len(failed)} delivered"
        + (f", {len(failed)} to retry ({escape(failed[0].error or '')})" if failed else ""),
        highlight=False,
    )


@alerts_app.command("show")
def show(
    query: Annotated[str | None, typer.Argument(help="A saved query's name (default: every query).")] = None,
    unread: Annotated[bool, typer.Option("--unread", help="Only the unread alerts.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many alerts, newest first.")] = 50,
    db: DbOption = "communique.db",
    as_json: JsonOption = False,
) -> None:
    """The alerts, newest first, each with the events behind it and their evidence sentences."""
    from communique.corpus.alerts import alert_evidence, alerts, saved_query

    with corpus_store(db) as store:
        query_id = saved_query(store, query).id if query else None
        found = alerts(store, query_id, unread=unread, limit=limit)
        evidence = {a.id: alert_evidence(store, a) for a in found}
    if as_json:
        print_json(
            [
                dict(dataclasses.asdict(a), evidence=[dataclasses.asdict(e) for e in evidence[a.id]])
                for a in found
            ]
        )
        return
    if not found:
        err.print("no alerts" + (" unread" if unread else ""))
        return
    for alert in found:
        state = "" if alert.read_at else "[bold]new[/] "
        out.print(
            f"{state}#{alert.id} {escape(alert.query)} {escape(alert.created_at)}: {escape(alert.summary)}",
            highlight=False,
        )
        for e in evidence[alert.id]:
            mark = " (corrected)" if e.corrected else ""
            out.print(
                f"    {escape(e.published or 'undated')} {escape(e.source or '')} {escape(e.event_id)}{mark} "
                f"sentence {e.sentence} [{e.start}:{e.end}]: {escape(e.text or '')}",
                highlight=False,
            )


@alerts_app.command("read")
def read(
    alert_ids: Annotated[
        list[int] | None, typer.Argument(help="The alerts to mark read (their #ids).")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Mark every alert read.")] = False,
    db: DbOption = "communique.db",
) -> None:
    """Mark alerts read."""
    from communique.corpus.alerts import mark_read

    if not alert_ids and not everything:
        fail("name the alerts to mark read, or give --all")
    with corpus_store(db) as store:
        n = mark_read(store, None if everything else alert_ids)
    err.print(f"{n} alerts marked read", highlight=False)


@alerts_app.command("feed")
def feed(
    query: Annotated[str, typer.Argument(help="The saved query's name.")],
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: print it).")
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="Where the web UI is served, for the entries' links.")
    ] = "http://127.0.0.1:8000",
    db: DbOption = "communique.db",
) -> None:
    """The query's alerts as an Atom feed (the API serves the same at /api/alerts/feeds/ID.atom)."""
    from communique.corpus.alerts import atom_feed, saved_query

    with corpus_store(db) as store:
        text = atom_feed(store, saved_query(store, query), base_url)
    if out_path is None:
        typer.echo(text, nl=False)
    else:
        out_path.write_text(text, encoding="utf-8")
        err.print(f"wrote the feed of {escape(query)} to {escape(str(out_path))}", highlight=False)


@alerts_app.command("delete")
def delete(
    query: Annotated[str, typer.Argument(help="The saved query's name.")],
    db: DbOption = "communique.db",
) -> None:
    """Delete a saved query and its alerts."""
    from communique.corpus.alerts import delete_query

    with corpus_store(db) as store:
        delete_query(store, query)
    err.print(f"deleted query {escape(query)}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
