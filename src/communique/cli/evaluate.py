"""`communique eval`: built-in evaluations against gold-standard files (``eval plover``)."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from ..errors import CommuniqueError

err = Console(stderr=True)

eval_app = typer.Typer(help="Measure communique against gold-standard files.", no_args_is_help=True)


class Split(StrEnum):
    all = "all"
    tune = "tune"
    check = "check"


@eval_app.command("plover")
def plover(
    file: Annotated[
        Path, typer.Argument(help="PLOVER gold records (JSON: {records: [...]}), e.g. plover-gsr-dev.json.")
    ],
    show: Annotated[
        int, typer.Option(help="How many of the worst misses to print with their sentences.")
    ] = 10,
    split: Annotated[
        Split,
        typer.Option(
            help="all records, or 'tune' (two of every three) / 'check' (the third) for held-out work."
        ),
    ] = Split.all,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON to this file.")
    ] = None,
) -> None:
    """Event-type accuracy, actor- and recipient-code precision/recall/F1, a confusion matrix and the worst misses."""
    from ..evaluation import evaluate_plover, format_plover_report, load_plover_records
    from ..pipeline import Analyzer

    try:
        records = load_plover_records(file, split.value)
        with err.status("loading model and knowledge base..."):
            analyzer = Analyzer()
        report = evaluate_plover(records, analyzer)
    except CommuniqueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    typer.echo(format_plover_report(report, show=show))
    if json_out is not None:
        json_out.write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")


@eval_app.command("quotes")
def quotes(
    directory: Annotated[
        Path,
        typer.Argument(help="Folder with text/*.txt and attributions/*.ann (brat standoff, PolNeAR layout)."),
    ],
    split: Annotated[
        Split,
        typer.Option(
            help="all articles, or 'tune' (two of every three) / 'check' (the third) for held-out work."
        ),
    ] = Split.all,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures as JSON to this file.")
    ] = None,
) -> None:
    """Quote attribution: precision/recall/F1 for cue, source and content (exact and overlap) and direct quotes."""
    from ..pipeline import Analyzer
    from ..quote_evaluation import evaluate, iter_split, read_corpus

    try:
        documents = list(iter_split(read_corpus(directory), split.value))
        with err.status("loading model and knowledge base..."):
            analyzer = Analyzer()
        total, _ = evaluate(documents, lambda texts: list(analyzer.analyze_documents(_as_documents(texts))))
    except CommuniqueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    typer.echo(f"{total.documents} annotated documents in {directory}")
    typer.echo(total.table())
    if json_out is not None:
        json_out.write_text(json.dumps(total.to_dict(), indent=2), encoding="utf-8")


def _as_documents(texts: list[str]) -> list[Any]:
    from ..document import Document

    return [Document(text=text) for text in texts]


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
