"""`communique correct`, `corrections` and `reanalyze`: an analyst's corrections of events, and analysing the
stored documents again with the current analyzer (communique.corpus.corrections, communique.corpus.reanalyze)."""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from communique.cli.corpus import DbOption, JsonOption, corpus_store, print_json
from communique.cli.errors import fail
from communique.cli.tables import Row, print_table

out = Console()
err = Console(stderr=True)

PartyOption = Annotated[
    list[str] | None,
    typer.Option(
        help="A state code (RUS) or the name of an actor of the document; repeat for several. Replaces them all."
    ),
]


def correct(
    event_id: Annotated[
        str | None, typer.Argument(help="The event, DOCUMENT_ID:N as the UI and exports show it.")
    ] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="The right PLOVER 2.0 type.")] = None,
    actor: PartyOption = None,
    recipient: PartyOption = None,
    status: Annotated[
        str | None, typer.Option(help="realized, future, hypothetical, negated or historical.")
    ] = None,
    reject: Annotated[bool, typer.Option("--reject", help="The event is false: count it nowhere.")] = False,
    add: Annotated[
        str | None,
        typer.Option("--add", help="Add an event the machine missed to this document (with --sentence)."),
    ] = None,
    sentence: Annotated[
        int | None, typer.Option(help="With --add: the sentence (its index) telling it.")
    ] = None,
    trigger: Annotated[
        str | None, typer.Option(help="With --add: the word naming the event, as written in the sentence.")
    ] = None,
    by: Annotated[
        str | None, typer.Option(help="Who corrects (default: $COMMUNIQUE_USER, else the login name).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why, in a few words (kept with the correction).")] = None,
    db: DbOption = "communique.db",
) -> None:
    """Correct an event's type, participants or status, reject it, or add a missed one; the analytics and
    exports follow, and the correction holds through re-ingest and re-analysis."""
    from communique.corpus.corrections import add_event, correct_event

    with corpus_store(db) as store:
        if add is not None:
            if event_id is not None or reject:
                fail("--add makes a new event: give no EVENT_ID and no --reject")
            if sentence is None or event_type is None or not actor:
                fail("--add needs --sentence, --type and at least one --actor")
            made = add_event(
                store,
                add,
                sentence,
                type=event_type,
                actor=actor,
                recipient=recipient or [],
                status=status or "realized",
                trigger=trigger,
                by=by,
                note=note,
            )
        else:
            if event_id is None:
                fail("name the event to correct (DOCUMENT_ID:N), or add one with --add DOCUMENT_ID")
            if sentence is not None or trigger is not None:
                fail("--sentence and --trigger go with --add")
            made = correct_event(
                store,
                event_id,
                type=event_type,
                actor=actor,
                recipient=recipient,
                status=status,
                reject=reject,
                by=by,
                note=note,
            )
        now_id = store.query("SELECT id FROM events WHERE correction_id = ?", (made.id,))
        from communique.corpus.alerts import check_alerts

        raised = check_alerts(store)  # the corrected event may match a saved query now
    where = now_id[0][0] if now_id else made.event_id
    err.print(
        f"correction {made.id} by {escape(made.corrected_by)}: {made.action} {escape(str(where))} "
        f"{escape(json.dumps(made.changes, ensure_ascii=False))}",
        highlight=False,
    )
    for alert in raised:
        err.print(f"new alert {alert.id} ({escape(alert.query)}): {escape(alert.summary)}", highlight=False)


def corrections(
    document: Annotated[str | None, typer.Option(help="Only the corrections of this document.")] = None,
    db: DbOption = "communique.db",
    as_json: JsonOption = False,
) -> None:
    """Every correction, oldest first: who, when, what it set and the machine's original."""
    from communique.corpus.corrections import corrections as stored_corrections

    with corpus_store(db) as store:
        found = stored_corrections(store, document)
    if as_json:
        print_json([dataclasses.asdict(c) for c in found])
        return
    if not found:
        err.print("no corrections")
        return

    def machine(c: object) -> str:
        original = getattr(c, "original", None)
        if not original:
            return "(added)"
        parties = "/".join(p.get("code") or p.get("text") or "?" for p in original.get("actor", []))
        targets = "/".join(p.get("code") or p.get("text") or "?" for p in original.get("recipient", []))
        return f"{original.get('type')} {parties} → {targets or '-'} {original.get('status')}"

    rows: list[Row] = [
        (
            c.id,
            c.corrected_at,
            c.corrected_by,
            c.event_id or f"{c.document_id} s{c.sentence}",
            c.action,
            json.dumps(c.changes, ensure_ascii=False),
            machine(c),
        )
        for c in found
    ]
    print_table(out, ("id", "when", "who", "event", "action", "set", "machine's original"), rows)


def reanalyze(
    db: DbOption = "communique.db",
    since: Annotated[
        str | None, typer.Option(help="Only the documents published on or after this day, YYYY-MM-DD.")
    ] = None,
) -> None:
    """Analyse the stored documents again with the current analyzer, each exactly once (a killed run resumes
    where it stopped), keeping every correction; `runs` shows the analyzer of each run."""
    from communique.corpus.provenance import analyzer_version
    from communique.corpus.reanalyze import pending
    from communique.corpus.reanalyze import reanalyze as run_reanalyze

    with corpus_store(db) as store:
        todo = pending(store, since)
        if not todo:
            err.print(f"every document is already analysed by {analyzer_version()}", highlight=False)
            return
        err.print(f"analysing {todo} documents again with {analyzer_version()}", highlight=False)
        with err.status("re-analysing...") as status:
            report = run_reanalyze(
                store, since, on_document=lambda r: status.update(f"re-analysed {r.analysed} of {todo}")
            )
    err.print(
        f"run {report.run_id}: {report.analysed} documents re-analysed by {escape(report.analyzer)}"
        + (f", {len(report.failed)} failed (see `communique runs --errors`)" if report.failed else ""),
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    for command in (correct, corrections, reanalyze):
        app.command(command.__name__)(command)
