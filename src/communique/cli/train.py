"""`communique train`: learn the event coder from the project's annotated corpus (docs/event-coder.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from communique.cli.errors import fail
from communique.errors import CommuniqueError

err = Console(stderr=True)
train_app = typer.Typer(
    help="Train the learned parts of communique from annotated data.", no_args_is_help=True
)


@train_app.command("events")
def events(
    annotations: Annotated[
        Path | None,
        typer.Option(help="Folder of committed label files (default: the repository's annotations/events)."),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(help="The AllSides corpus the labels point into (default: ../shared/corpora/...)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write event-coder.npz/.json (default: the package's data/models)."),
    ] = None,
    with_corrections: Annotated[
        list[Path] | None,
        typer.Option(
            "--with-corrections",
            help="Further label files in the committed format (e.g. exported corrections).",
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same data and seed give the same weights.")
    ] = 13,
    limit: Annotated[
        int | None, typer.Option(help="Use only the first N labelled sentences (a smoke run).")
    ] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Keep the articles' analyses here between runs (by sentence).")
    ] = None,
) -> None:
    """Fit the sentence and event models, choose thresholds on dev, measure on test, write the weights."""
    from communique.stages.events.model import MODEL_DIR
    from communique.training.annotations import ANNOTATIONS, CORPUS
    from communique.training.train import train_events

    try:
        train_events(
            annotations=annotations or ANNOTATIONS,
            corpus=corpus or CORPUS,
            out=out or MODEL_DIR,
            seed=seed,
            limit=limit,
            cache=cache,
            extra=with_corrections or [],
            log=lambda line: err.print(line, markup=False, highlight=False),
        )
    except (CommuniqueError, ValueError, FileNotFoundError) as exc:
        fail(exc, 1)


@train_app.command("vectors")
def vectors(
    corpus: Annotated[
        Path | None,
        typer.Option(help="Corpus whose words make the vocabulary (default: the AllSides corpus)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Where to write word-vectors.npz (default: the package's).")
    ] = None,
    size: Annotated[int, typer.Option(help="At most this many words, most frequent first.")] = 40000,
    dims: Annotated[int, typer.Option(help="Dimensions kept after PCA.")] = 96,
) -> None:
    """Distil all-MiniLM-L6-v2 into static word vectors for the sentence model (needs the 'vectors' extra)."""
    from communique.stages.events.model import MODEL_DIR
    from communique.training.annotations import CORPUS
    from communique.training.distill import distill

    try:
        distill(
            corpus or CORPUS,
            out or MODEL_DIR,
            size=size,
            dims=dims,
            log=lambda line: err.print(line, markup=False),
        )
    except ImportError as exc:
        fail(f"{exc}: install the training extra: pip install -r requirements/vectors.txt -e '.[vectors]'", 1)


@train_app.command("agreement")
def agreement(
    annotations: Annotated[Path | None, typer.Option(help="Folder of committed label files.")] = None,
) -> None:
    """Agreement between the first labels and the independent second labels (agreement-*.jsonl)."""
    from communique.training.agreement import agreement_report
    from communique.training.annotations import ANNOTATIONS

    typer.echo(agreement_report(annotations or ANNOTATIONS))


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
