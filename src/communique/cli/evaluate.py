"""`communique eval`: built-in evaluations against gold-standard files (``eval plover``, ``eval quotes``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from communique.cli.errors import fail
from communique.errors import CommuniqueError

err = Console(stderr=True)

eval_app = typer.Typer(help="Measure communique against gold-standard files.", no_args_is_help=True)


G = TypeVar("G")
T = TypeVar("T")


def _measure(load_gold: Callable[[], G], work: Callable[[Any, G], T]) -> T:
    """Read the gold data, then load the analyzer once and run ``work(analyzer, gold)``.

    The gold data comes first so a wrong path fails before the model load; a CommuniqueError becomes one
    error line and exit 1."""
    from communique.pipeline import Analyzer

    try:
        gold = load_gold()
        with err.status("loading model and knowledge base..."):
            analyzer = Analyzer()
        return work(analyzer, gold)
    except CommuniqueError as exc:
        fail(exc, 1)


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
    """Event-type accuracy, actor- and recipient-code precision/recall/F1, a confusion matrix and the worst misses.

    A ``.tsv`` file is read as PLV rows (sentence, source, target, gold_root: ../shared/eval/plv-dev/): type
    recall, pair recall, a per-type table and the confusions."""
    from communique.evaluation.plover import evaluate_plover, format_plover_report, load_plover_records

    if file.suffix.lower() == ".tsv":
        from communique.evaluation.plv import evaluate_plv, format_plv_report, load_plv

        plv = _measure(lambda: load_plv(file), lambda analyzer, rows: evaluate_plv(rows, analyzer))
        typer.echo(format_plv_report(plv, show=show))
        if json_out is not None:
            json_out.write_text(json.dumps(plv.as_dict(), indent=2), encoding="utf-8")
        return
    report = _measure(
        lambda: load_plover_records(file, split.value),
        lambda analyzer, records: evaluate_plover(records, analyzer),
    )
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
    from communique.evaluation.quotes import evaluate, iter_split, read_corpus

    total, _ = _measure(
        lambda: list(iter_split(read_corpus(directory), split.value)),
        lambda analyzer, documents: evaluate(
            documents, lambda texts: list(analyzer.analyze_documents(_as_documents(texts)))
        ),
    )
    typer.echo(f"{total.documents} annotated documents in {directory}")
    typer.echo(total.table())
    if json_out is not None:
        json_out.write_text(json.dumps(total.to_dict(), indent=2), encoding="utf-8")


@eval_app.command("articles")
def articles(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Folder of hand-annotated articles (*.json) with the score_article.py that defines them."
        ),
    ],
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the figures and every miss as JSON to this file."),
    ] = None,
) -> None:
    """Whole articles: required actors, dates, events and quotes found, per article and in all."""
    from communique.evaluation.articles import evaluate_articles, load_articles

    report = _measure(
        lambda: load_articles(directory), lambda analyzer, _: evaluate_articles(directory, analyzer)
    )
    typer.echo(report.table())
    if json_out is not None:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


def _as_documents(texts: list[str]) -> list[Any]:
    from communique.document import Document

    return [Document(text=text) for text in texts]


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
