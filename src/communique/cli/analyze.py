"""`communique analyze`: one document to a report, JSON or HTML; or a JSONL stream, one model load."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from communique.cli.errors import fail
from communique.document import to_contract
from communique.errors import CommuniqueError

err = Console(stderr=True)


class OutputFormat(StrEnum):
    report = "report"
    json = "json"
    html = "html"


def analyze(
    source: Annotated[
        str | None, typer.Argument(help="A text or HTML file, an http(s) URL, or - for standard input.")
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD; overrides any date found in the input.")
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Title; overrides the headline found in the input.")
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="report, json or html.")] = (
        OutputFormat.report
    ),
    jsonl: Annotated[
        Path | None,
        typer.Option(
            help="Analyse every line of this JSONL file (.gz allowed): {id, text, published, title}."
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the result here instead of standard output.")
    ] = None,
    sample: Annotated[
        bool, typer.Option(help="Analyse the sample articles that ship with communique.")
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per spaCy batch in --jsonl mode.")] = 16,
    workers: Annotated[
        int | None,
        typer.Option(help="Processes for --jsonl (default: every core); output keeps the input order."),
    ] = None,
) -> None:
    """Analyse articles: actors, dates, events, quotes, opinion, rhetoric and stance, each with its evidence."""
    from communique.pipeline import Analyzer

    if jsonl is not None:
        _analyze_jsonl(jsonl, out, batch_size, workers or os.cpu_count() or 1)
        return
    try:
        documents = _read_inputs(source, sample, published, title)
        with err.status("loading model and knowledge base..."):
            analyzer = Analyzer()
        results = [analyzer.analyze(d) for d in documents]
    except CommuniqueError as exc:
        fail(exc)
    except Exception as exc:  # a bug must still end in one error line, never a traceback
        fail(f"unexpected failure: {type(exc).__name__}: {exc}", 1)
    if format is OutputFormat.json:
        payload: Any = to_contract(results[0]) if len(results) == 1 else [to_contract(r) for r in results]
        _write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", out)
    elif format is OutputFormat.html:
        from communique.render.html import render_html

        _write(render_html(results), out)
    else:
        from communique.render.terminal import print_report

        console = Console(file=open(out, "w", encoding="utf-8")) if out else Console()
        for document in results:
            print_report(document, console)


def _read_inputs(source: str | None, sample: bool, published: str | None, title: str | None) -> list[Any]:
    from communique.ingest.read import read_source, sample_documents

    if sample:
        return list(sample_documents())
    if source is None:
        raise CommuniqueError("give a file, a URL, - for standard input, --jsonl FILE or --sample")
    return [read_source(source, published=published, title=title)]


def _analyze_jsonl(path: Path, out: Path | None, batch_size: int, workers: int) -> None:
    from communique.ingest.records import read_jsonl
    from communique.pipeline import analyze_contracts

    if not path.exists():
        fail(f"{path}: no such file")
    total = _count_lines(path)
    sink = open(out, "w", encoding="utf-8") if out else sys.stdout
    failures = 0
    try:
        with Progress(
            TextColumn("[bold]analysing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("left · {task.fields[rate]} docs/s"),
            TimeElapsedColumn(),
            console=err,
            disable=not err.is_terminal and out is None,
        ) as progress:
            task = progress.add_task("analyse", total=total, rate="-")
            for record in analyze_contracts(read_jsonl(path), workers=workers, batch_size=batch_size):
                failures += "error" in record
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
                progress.advance(task)
                elapsed = progress.tasks[0].elapsed or 0
                if elapsed:
                    progress.update(task, rate=f"{progress.tasks[0].completed / elapsed:.1f}")
    finally:
        if out:
            sink.close()
    if failures:
        err.print(f"{failures} of {total} documents could not be analysed (see their error records)")
        raise typer.Exit(1)  # every line was written, but not every document analysed: scripts must tell


def _count_lines(path: Path) -> int:
    import gzip

    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def _write(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
