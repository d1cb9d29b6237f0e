"""Corpus commands: ingest, search, relations, balance, convergence, network, export (docs/corpus.md).

Every command takes ``--db`` (a SQLite path or a ``postgresql://`` URL; default ./communique.db). The analytics
commands take ``--explain`` to list, under each table, the reports and evidence behind every number.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from communique.cli.errors import fail
from communique.cli.tables import Row, print_table, write_tsv
from communique.errors import CommuniqueError

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str,
    typer.Option(
        "--db", envvar="COMMUNIQUE_DB", help="SQLite file or postgresql:// URL of the corpus store."
    ),
]
SinceOption = Annotated[str | None, typer.Option(help="First day counted, YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option(help="Last day counted, YYYY-MM-DD.")]
ByOption = Annotated[str, typer.Option("--by", help="Period: day, week, month or year.")]
ExplainOption = Annotated[
    bool, typer.Option("--explain", help="List the events and evidence behind every number.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
TsvOption = Annotated[
    bool, typer.Option("--tsv", help="Print tab-separated values (a header line, then one row a line).")
]


@contextmanager
def corpus_store(db: str) -> Iterator[Any]:
    """The store at ``db`` for one command; a store that cannot be opened or written ends it with one line."""
    from communique.corpus.store import open_store

    try:
        store = open_store(db)
    except CommuniqueError as exc:
        fail(exc)
    try:
        yield store
    except CommuniqueError as exc:
        fail(exc)
    finally:
        store.close()


def state_code(name: str) -> str:
    """The state code a name typed on the command line stands for ("Turkey", "tur", "Erdogan" -> TUR); an
    unknown name ends the command with an error that lists the nearest names, never an empty answer."""
    from communique.kb.knowledge import KnowledgeBase

    try:
        return KnowledgeBase.load().actor_code(name)
    except CommuniqueError as exc:
        fail(exc)


def _party(name: str) -> str:
    """What ``search --actor`` matches: a person's canonical name ("Erdogan" -> Recep Tayyip Erdoğan), else
    the state code of ``state_code``."""
    from communique.kb.knowledge import KnowledgeBase

    people = {p.id: p for p in KnowledgeBase.load().people_named(name)}
    if len(people) == 1:
        return next(iter(people.values())).name
    return state_code(name)


def print_json(value: Any) -> None:
    """Print ``value`` (a dataclass, or anything JSON can hold) as indented JSON on standard output."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _print_set_aside(by_language: dict[str, int]) -> None:
    """Say how many documents of the period the numbers leave out for not being in English."""
    if by_language:
        languages = ", ".join(f"{code} {n}" for code, n in by_language.items())
        out.print(
            f"set aside: {sum(by_language.values())} stored documents not in English ({languages}), "
            "not analysed, so not counted here",
            highlight=False,
        )


def _centre_point(year: Any, name: str) -> float | None:
    """The centre's ideal point in a CentreYear (unga.py), None without one."""
    return None if year is None else year.centres[name].point


def _print_unga_source(series: Any, votes: dict[int, Any]) -> None:
    """One line saying what the UN-vote figures are and where they come from, or how to load them."""
    if series is None:
        return
    if votes:
        out.print(f"{escape(series.source)} {escape(series.definition)}", highlight=False)
    else:
        out.print(
            "UN vote figures: no ideal points loaded for these states ('communique import unga FILE' loads "
            "Bailey, Strezhnev & Voeten's estimates)",
            highlight=False,
        )


def _print_evidence(store: Any, label: str, clusters: Sequence[str]) -> None:
    from communique.corpus.relations import explain

    if not clusters:
        return
    out.print(f"[bold]{escape(label)}[/]", highlight=False)
    for e in explain(store, clusters):
        where = ", ".join(x for x in (e.outlet, e.published, (e.title or "")[:60]) if x)
        out.print(
            f"  {e.event_date} {escape(f'{e.actor}→{e.recipient}')} {e.type} {e.score:+.1f}  "
            f"[dim]{escape(e.event_id)}[/] ({escape(where)})",
            highlight=False,
        )
        if e.text:
            text = e.text.strip()
            out.print(f"    “{escape(text[:300])}{'…' if len(text) > 300 else ''}”", highlight=False)


# -- ingest ---------------------------------------------------------------------------------------------------


def ingest(
    sources: Annotated[
        list[str],
        typer.Argument(
            help="Directories, files (txt, html, json, jsonl, jsonl.gz, "
            "lists of sources), article URLs, RSS/Atom feed URLs."
        ),
    ],
    db: DbOption = "communique.db",
    workers: Annotated[
        int | None,
        typer.Option(help="Analysis worker processes (default: one per core; 0 analyses in this process)."),
    ] = None,
    chunk_size: Annotated[int, typer.Option(help="Documents per worker task and per write transaction.")] = 8,
    near_threshold: Annotated[
        float,
        typer.Option(help="Estimated Jaccard similarity at which an article is a near copy of a stored one."),
    ] = 0.8,
    engine: Annotated[
        str,
        typer.Option(
            help="Where analysis runs: 'local' (worker processes) or 'ray' "
            "(a Ray Data actor pool; docs/scale-out.md)."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join (HEAD:6379 or 'auto'); default: "
            "start Ray on this machine. Only with --engine ray."
        ),
    ] = None,
    actors: Annotated[
        int | None,
        typer.Option(
            help="Ray analysis actors, each with one model (default: one "
            "per core here). Only with --engine ray."
        ),
    ] = None,
    shard_dir: Annotated[
        str | None,
        typer.Option(
            help="Directory of the Ray run's Parquet result shards (default: ./communique-shards/<run key>)."
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date YYYY-MM-DD for the documents that have none (dated ones keep theirs)."
        ),
    ] = None,
) -> None:
    """Read, deduplicate, analyse and store articles; rerunning adds nothing, an interrupted run resumes."""
    from communique.corpus.run import IngestReport, IngestSettings, count_documents
    from communique.corpus.run import ingest as run_ingest

    if engine not in ("local", "ray"):
        fail(f"unknown engine {engine!r}: use 'local' or 'ray'")

    if published is not None:
        from communique.ingest.published import publication_date

        try:
            published = publication_date(published).isoformat()
        except CommuniqueError as exc:
            fail(f"--published: {exc}")
    settings = IngestSettings(
        workers=(os.cpu_count() or 1) if workers is None else workers,
        chunk_size=chunk_size,
        near_threshold=near_threshold,
        published=published,
    )
    # Files and directories say beforehand how many documents they hold: the bar then has a total and an
    # estimated end. A URL or a feed does not, and the bar only pulses.
    total = count_documents(sources)
    with (
        corpus_store(db) as store,
        Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingesting"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("left ·"),
            TextColumn(
                "{task.fields[added]} added, {task.fields[linked]} linked, {task.fields[skipped]} known, "
                "{task.fields[errors]} errors · {task.fields[rate]} documents/s"
            ),
            TimeElapsedColumn(),
            console=err,
            transient=False,
        ) as progress,
    ):
        task = progress.add_task("ingest", total=total, added=0, linked=0, skipped=0, errors=0, rate="–")

        def update(report: IngestReport) -> None:
            progress.update(
                task,
                completed=report.documents,
                added=report.added,
                linked=report.linked,
                skipped=report.skipped,
                errors=report.errors,
                rate=f"{report.analysed_per_second:.2f}",
            )

        started = time.perf_counter()
        if engine == "ray":
            from communique.corpus.ray_engine import RaySettings, ingest_ray

            ray_settings = RaySettings(
                address=address, actors=actors or settings.workers or 1, shard_dir=shard_dir
            )
            report = ingest_ray(sources, store, settings, ray_settings, on_progress=update)
        elif engine == "local":
            report = run_ingest(sources, store, settings, on_progress=update)
        else:  # refused before the store is opened (below); kept so no engine name falls through
            raise CommuniqueError(f"unknown engine {engine!r}: use 'local' or 'ray'")
        update(report)
        progress.update(task, total=report.documents, completed=report.documents)
        counts = store.counts(("documents", "events", "quotes", "event_clusters"))
        not_english = store.query(
            "SELECT count(*) FROM documents WHERE run_id = ? AND language <> 'en'", (report.run_id,)
        )[0][0]
        undated = store.query(
            "SELECT count(*) FROM documents WHERE run_id = ? AND published IS NULL", (report.run_id,)
        )[0][0]
    set_aside = f" ({not_english} of them set aside as not English)" if not_english else ""
    meanwhile = (
        f" ({report.stored_meanwhile} of them analysed here, then skipped: stored meanwhile by "
        f"{_runs_named(report.concurrent_runs) or 'another run'})"
        if report.stored_meanwhile
        else ""
    )
    err.print(
        f"run {report.run_id}: {report.added} documents added{set_aside}, {report.linked} linked as copies, "
        f"{report.skipped} already stored{meanwhile}, {report.errors} errors, {report.clusters} event clusters rebuilt "
        f"in {time.perf_counter() - started:.1f} s ({report.analysed_per_second:.2f} documents/s). "
        f"Store: {counts['documents']} documents, {counts['events']} events "
        f"({counts['event_clusters']} real-world), {counts['quotes']} quotes.",
        highlight=False,
        soft_wrap=True,
    )
    if undated:
        # An undated document is stored and searchable, but the analytics count events on dates: say so.
        err.print(
            f"{undated} documents stored without a publication date: their undated events count in no "
            "series. Date them with --published, or afterwards with: communique documents edit ID --published "
            "YYYY-MM-DD",
            highlight=False,
            soft_wrap=True,
        )
    if report.errors:
        err.print(f"see the errors with: communique runs --db {db} --errors", highlight=False)
        raise typer.Exit(1)  # the run finished, but not every document made it: scripts must be able to tell


def _runs_named(run_ids: Sequence[int]) -> str:
    return ("run " if len(run_ids) == 1 else "runs ") + ", ".join(map(str, run_ids)) if run_ids else ""


def runs(
    db: DbOption = "communique.db",
    errors: Annotated[bool, typer.Option("--errors", help="List each failed document.")] = False,
    as_json: JsonOption = False,
    tsv: TsvOption = False,
) -> None:
    """The ingestion runs of a store, and the documents that failed in them."""
    with corpus_store(db) as store:
        store.mark_interrupted_runs()  # a run whose process was killed is shown as what it is
        found = store.runs()
        failed = store.run_errors() if errors else []
    if as_json:
        records = [dict(r, sources=json.loads(r["sources"])) for r in found]
        if errors:
            errors_json = [
                {"run": run_id, "origin": origin, "document": doc_id, "error": error}
                for run_id, origin, doc_id, error in failed
            ]
            print_json({"runs": records, "errors": errors_json})
        else:
            print_json(records)
        return
    headers = (
        "run", "started", "finished", "status", "added", "linked", "known", "errors", "sources", "analyzer"
    )  # fmt: skip
    rows: list[Row] = [
        (
            r["id"],
            r["started_at"],
            r["finished_at"] or "",
            r["status"],
            r["documents_added"],
            r["documents_linked"],
            r["documents_skipped"],
            r["errors"],
            ", ".join(json.loads(r["sources"])),
            r.get("analyzer") or "",
        )
        for r in found
    ]
    if tsv:
        write_tsv(headers, rows)
        if errors:
            sys.stdout.write("\n")
            write_tsv(("run", "origin", "document", "error"), failed)
        return
    print_table(out, headers, rows)
    for run_id, origin, doc_id, error in failed:
        out.print(
            f"run {run_id} {escape(str(origin))} {escape(doc_id or '')}: {escape(error)}", highlight=False
        )


# -- search ---------------------------------------------------------------------------------------------------


def search(
    query: Annotated[str, typer.Argument(help='Words that must all occur; "quoted phrase" for a phrase.')],
    db: DbOption = "communique.db",
    actor: Annotated[
        str | None,
        typer.Option(
            help="Only documents naming this actor (a code, state or person: AZE, Turkey, Erdogan); for quotes, "
            "only this speaker."
        ),
    ] = None,
    dyad: Annotated[
        str | None, typer.Option(help="Only documents reporting an event from A to B: A,B.")
    ] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only documents with a PLOVER event of this type.")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    genre: Annotated[str | None, typer.Option(help="news, opinion or analysis.")] = None,
    limit: Annotated[int, typer.Option(help="Most hits shown.")] = 20,
    quotes: Annotated[bool, typer.Option(help="Search quotations too.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over articles and quotes, with filters."""
    from communique.corpus.store import SearchFilters

    pair = None
    if dyad:
        parts = [p.strip() for p in dyad.replace("-", ",").split(",") if p.strip()]
        if len(parts) != 2:
            fail("--dyad takes two actors: A,B")
        pair = (state_code(parts[0]), state_code(parts[1]))
    filters = SearchFilters(_party(actor) if actor else None, pair, event_type, since, until, source, genre)
    with corpus_store(db) as store:
        hits = store.search(query, filters, limit=limit, quotes=quotes)
        if as_json:
            print_json([dataclasses.asdict(h) for h in hits])
            return
        if not hits:
            err.print("no matches")
            return
        for h in hits:
            head = " · ".join(x for x in (h.published, h.source, h.genre) if x)
            who = f" — {h.speaker}" if h.speaker else ""
            out.print(
                f"[bold]{h.kind}[/] {escape(h.title or h.document_id)} [dim]({escape(head)}) {h.document_id}[/]",
                highlight=False,
            )
            # The snippet brackets the matched words ("[sanctions]"): escaped, so they are printed, not eaten.
            out.print(f"    {escape(' '.join(h.snippet.split()) + who)}", highlight=False)


# -- analytics ------------------------------------------------------------------------------------------------


def relations(
    a: Annotated[
        str,
        typer.Argument(
            help="First actor: a code in any case, a state or a person (AZE, tur, Turkey, Erdogan)."
        ),
    ],
    b: Annotated[str, typer.Argument(help="Second actor, as the first (KGZ, Kyrgyzstan).")],
    db: DbOption = "communique.db",
    by: ByOption = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    tsv: TsvOption = False,
) -> None:
    """Directed dyad series, both directions: events by PLOVER type and quad class, score sum and mean."""
    from communique.corpus.relations import QUADS, dyad_series

    a, b = state_code(a), state_code(b)

    with corpus_store(db) as store:
        series = [dyad_series(store, a, b, by, since, until), dyad_series(store, b, a, by, since, until)]
        if as_json:
            print_json([dataclasses.asdict(s) for s in series])
            return
        headers = (
            "period",
            "events",
            "reports",
            "sources",
            *[q.replace("_", " ") for q in QUADS],
            "score sum",
            "score mean",
            "types",
        )

        def rows(s: Any) -> list[Row]:
            return [
                (
                    p.period,
                    p.events,
                    p.reports,
                    p.sources,
                    *[p.by_quad.get(q, 0) for q in QUADS],
                    _number(p.score_sum),
                    _number(p.score_mean),
                    ", ".join(f"{t} {n}" for t, n in sorted(p.by_type.items())),
                )
                for p in s.periods
            ]

        if tsv:  # both directions in one table, told apart by their first two columns
            write_tsv(
                ("actor", "recipient", *headers),
                [(s.actor, s.recipient, *r) for s in series for r in rows(s)],
            )
            return
        for s in series:
            if s.periods:
                print_table(out, headers, rows(s), title=f"{s.actor} → {s.recipient} by {s.by}")
            else:
                out.print(f"{escape(s.actor)} → {escape(s.recipient)}: no events", highlight=False)
            if explain:
                for p in s.periods:
                    _print_evidence(store, f"{s.actor} → {s.recipient} {p.period}", p.clusters)
        _print_set_aside(series[0].set_aside_by_language)


def balance(
    country: Annotated[
        str,
        typer.Argument(
            help="The country: a code in any case, its name or its leader (AZE, Azerbaijan, Aliyev)."
        ),
    ],
    db: DbOption = "communique.db",
    by: ByOption = "year",
    since: SinceOption = None,
    until: UntilOption = None,
    direction: Annotated[
        str, typer.Option(help="Events from the country (out), toward it (in), or both.")
    ] = "both",
    centres: Annotated[
        Path | None,
        typer.Option(
            help="YAML file of centres of power (as data/corpus/"
            "centres.yaml); default RUS, USA, EU, CHN, TUR, OTS."
        ),
    ] = None,
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    tsv: TsvOption = False,
) -> None:
    """Multi-vector balance: the country's cooperative engagement per centre of power, net scores, evenness."""
    from communique.resources import parse_yaml

    country = state_code(country)

    from communique.corpus.relations import balance as compute
    from communique.corpus.relations import load_centres

    try:
        chosen = (
            load_centres(parse_yaml(centres.read_text(encoding="utf-8"), str(centres))) if centres else None
        )
    except CommuniqueError as exc:  # a repeated key or bad YAML: one line naming the file and line
        fail(exc)
    with corpus_store(db) as store:
        result = compute(store, country, chosen, by, since, until, direction)
        if as_json:
            print_json(result)
            return
        names = [c.name for c in result.centres]
        votes = {y.year: y for y in result.ideal_points.years} if result.ideal_points else {}
        headers = (
            "period",
            *[f"{n} share" for n in names],
            *[f"{n} cooperative" for n in names],
            *[f"{n} net" for n in names],
            "evenness",
        )
        rows: list[Row] = [
            (
                p.period,
                *[_number(p.centres[n].share) for n in names],
                *[p.centres[n].cooperative for n in names],
                *[_number(p.centres[n].net_score, 1) for n in names],
                _number(p.evenness),
            )
            for p in result.periods
        ]
        if tsv:
            # the UN-vote columns of the period's year, after the event columns
            write_tsv(
                (*headers, f"{country} ideal point", *[f"{n} ideal point" for n in names]),
                [
                    (
                        *row,
                        _number(getattr(votes.get(int(p.period[:4])), "point", None), 3),
                        *[_number(_centre_point(votes.get(int(p.period[:4])), n), 3) for n in names],
                    )
                    for row, p in zip(rows, result.periods, strict=True)
                ],
            )
            return
        if result.periods:
            print_table(
                out,
                headers,
                rows,
                title=f"{country}: cooperative share, cooperative events and net score per centre of power, by {by}",
            )
        else:
            out.print(f"{escape(country)}: no events with any centre of power", highlight=False)
        if votes:
            print_table(
                out,
                ("year", f"{country} ideal point", *[f"{n} (distance)" for n in names]),
                [
                    (
                        y.year,
                        _number(y.point, 3),
                        *[
                            "–"
                            if y.centres[n].point is None
                            else f"{y.centres[n].point:.3f} ({y.centres[n].distance:.3f})"
                            for n in names
                        ],
                    )
                    for y in votes.values()
                ],
                title=f"{country}: UN General Assembly ideal point against each centre's, by year",
            )
        _print_unga_source(result.ideal_points, votes)
        _print_set_aside(result.set_aside_by_language)
        if explain:
            for p in result.periods:
                for n in names:
                    _print_evidence(store, f"{country} ↔ {n} {p.period}", p.centres[n].clusters)


def convergence(
    a: Annotated[str, typer.Argument(help="First country: code, name or leader.")],
    b: Annotated[str, typer.Argument(help="Second country: code, name or leader.")],
    db: DbOption = "communique.db",
    by: ByOption = "year",
    since: SinceOption = None,
    until: UntilOption = None,
    measure: Annotated[
        str, typer.Option(help="Similarity of stances to third parties: cosine or pearson.")
    ] = ("cosine"),
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    tsv: TsvOption = False,
) -> None:
    """Are two countries converging? Their dyadic score trend, and how alike they treat the same third parties."""
    from communique.corpus.relations import convergence as compute

    a, b = state_code(a), state_code(b)

    with corpus_store(db) as store:
        result = compute(store, a, b, by, since, until, measure)
        if as_json:
            print_json(result)
            return
        headers = (
            "period",
            "dyad events",
            "score sum",
            "score mean",
            "shared third parties",
            f"similarity ({measure})",
            "UN vote distance",
        )
        votes = {y.year: y for y in result.ideal_points.years} if result.ideal_points else {}
        cells: dict[str, Row] = {
            p.period: (
                p.period,
                p.dyad_events,
                _number(p.dyad_score_sum),
                _number(p.dyad_score_mean),
                ", ".join(p.shared_parties),
                _number(p.similarity),
                _number(p.ideal_point_distance, 3),
            )
            for p in result.periods
        }
        if by == "year":  # every year with ideal points gets its row, events or not
            for year, v in votes.items():
                cells.setdefault(str(year), (str(year), 0, "–", "–", "", "–", _number(v.distance, 3)))
        rows: list[Row] = [cells[p] for p in sorted(cells)]
        if tsv:
            write_tsv(headers, rows)
            return
        if rows:
            print_table(out, headers, rows, title=f"{a} ↔ {b} by {by}")
        if not result.periods:
            out.print(f"{escape(a)} ↔ {escape(b)}: no events", highlight=False)
        out.print(
            f"trend of the dyadic mean score: {_number(result.score_trend, 3)} per {by}; "
            f"trend of the similarity: {_number(result.similarity_trend, 3)} per {by}",
            highlight=False,
        )
        if votes and result.ideal_points:
            out.print(
                f"trend of the UN vote distance: {_number(result.ideal_points.trend, 3)} per year "
                f"({min(votes)}–{max(votes)}; negative = their votes moving together)",
                highlight=False,
            )
        _print_unga_source(result.ideal_points, votes)
        _print_set_aside(result.set_aside_by_language)
        if explain:
            for p in result.periods:
                _print_evidence(store, f"{a} ↔ {b} {p.period}", p.dyad_clusters)
                _print_evidence(store, f"{a}, {b} ↔ third parties {p.period}", p.third_party_clusters)


def network(
    db: DbOption = "communique.db",
    since: SinceOption = None,
    until: UntilOption = None,
    min_events: Annotated[int, typer.Option(help="Leave out edges with fewer events.")] = 1,
    explain: ExplainOption = False,
    as_json: JsonOption = False,
    tsv: TsvOption = False,
) -> None:
    """The relation network of a period: actors as nodes, directed edges with net PLOVER scores."""
    from communique.corpus.relations import network as compute

    with corpus_store(db) as store:
        result = compute(store, since, until, min_events)
        if as_json:
            print_json(result)
            return
        headers = ("actor", "recipient", "events", "cooperative", "conflictual", "net score", "sources")
        rows: list[Row] = [
            (e.actor, e.recipient, e.events, e.cooperative, e.conflictual, _number(e.net_score, 1), e.sources)
            for e in sorted(result.edges, key=lambda e: -e.events)
        ]
        if tsv:
            write_tsv(headers, rows)
            return
        print_table(out, headers, rows, title=f"relation network {since or ''}–{until or ''}")
        _print_set_aside(result.set_aside_by_language)
        if explain:
            for e in result.edges:
                _print_evidence(store, f"{e.actor} → {e.recipient}", e.clusters)


# The format a file name asks for, by its ending; `export` reads it from --out when --format is not given.
FORMAT_BY_SUFFIX = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".plover.json": "plover",
    ".gexf": "gexf",
}


def format_of(path: Path) -> str | None:
    """The export format a file name asks for ("events.parquet": parquet), or None for an unknown ending."""
    name = path.name.lower()
    return next((f for suffix, f in FORMAT_BY_SUFFIX.items() if name.endswith(suffix)), None)


def export(
    what: Annotated[str, typer.Argument(help="events, documents, network or corrections.")],
    file: Annotated[
        Path | None, typer.Argument(help="The file to write, as --out says (give one or the other).")
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (required); its ending gives the format: .csv, .parquet, .jsonl, "
            ".plover.json, .gexf.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="events: csv, parquet, jsonl, plover; documents: jsonl (the contract); network: gexf "
            "(default: from the --out file name).",
        ),
    ] = None,
    db: DbOption = "communique.db",
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Export events, documents, the relation network, or the analysts' corrections as training labels."""
    from communique.corpus.exports import export as run_export

    if file is not None and out_path is not None and file != out_path:
        fail(f"two files to write: {str(file)!r} and --out {str(out_path)!r}; give one")
    out_path = out_path or file
    if out_path is None:
        fail("give the file to write with --out, e.g. --out events.csv: export does not choose a name for it")
    if what == "corrections":  # in the event annotation corpus's format (docs/annotation.md), for training
        from communique.corpus.corrections import write_annotations

        with corpus_store(db) as store:
            n = write_annotations(store, out_path)
        err.print(f"wrote {n} corrected sentences to {out_path} (training labels)", highlight=False)
        return
    named = format_of(out_path)
    if fmt is None:
        if named is None:
            fail(
                f"cannot tell the format from the name {str(out_path)!r}: end it in "
                f"{', '.join(FORMAT_BY_SUFFIX)} or give --format"
            )
        fmt = named
    elif named is not None and named != fmt:
        fail(f"--format {fmt} but the file name {str(out_path)!r} says {named}: make them agree")
    with corpus_store(db) as store:
        n = run_export(store, what, fmt, out_path, since, until)
    err.print(f"wrote {n} {what if what != 'network' else 'edges'} to {out_path} ({fmt})", highlight=False)


documents_app = typer.Typer(help="Stored documents: correct a document's date, title or outlet.")


@documents_app.command("edit")
def edit(
    document_id: Annotated[str, typer.Argument(help="The document's id (as search and the web UI show it).")],
    published: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD ('' clears it).")] = None,
    title: Annotated[str | None, typer.Option(help="Title ('' clears it).")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet ('' clears it).")] = None,
    db: DbOption = "communique.db",
) -> None:
    """Correct a stored document's date, title or outlet; it is analysed again and every analytic follows."""
    from communique.corpus.run import edit_document

    changes = {
        name: value
        for name, value in (("published", published), ("title", title), ("source", source))
        if value is not None
    }
    if not changes:
        fail("nothing to change: give --published, --title or --source")
    with corpus_store(db) as store:
        with err.status("analysing the document again with the corrected metadata..."):
            edits = edit_document(store, document_id, changes)
        events = store.query("SELECT count(*) FROM events WHERE document_id = ?", (document_id,))[0][0]
    if not edits:
        err.print(f"document {escape(document_id)}: already so, nothing changed", highlight=False)
        return
    said = "; ".join(f"{name} {old or '(none)'} → {new or '(none)'}" for name, old, new in edits)
    err.print(
        f"document {escape(document_id)}: {escape(said)}; {events} events counted again", highlight=False
    )


def register(app: typer.Typer) -> None:
    for command in (ingest, runs, search, relations, balance, convergence, network, export):
        app.command(command.__name__)(command)
    app.add_typer(documents_app, name="documents")
