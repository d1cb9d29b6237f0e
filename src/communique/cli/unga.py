"""`communique import unga FILE`: external reference data loaded into the corpus store (docs/corpus.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from communique.cli.corpus import DbOption, corpus_store, out

import_app = typer.Typer(help="Load external reference data into the corpus store.", no_args_is_help=True)


@import_app.command("unga")
def unga(
    file: Annotated[
        Path,
        typer.Argument(
            help="Bailey, Strezhnev & Voeten's ideal-point CSV (IdealpointestimatesAll_Apr2020.csv).",
            exists=True,
            dir_okay=False,
        ),
    ],
    db: DbOption = "communique.db",
) -> None:
    """UN General Assembly ideal points per state and session; a new import replaces the one before."""
    from communique.kb.unga import SOURCE, import_unga

    with corpus_store(db) as store:
        result = import_unga(store, file)
    replaced = f", replacing the {result.replaced} loaded before" if result.replaced else ""
    out.print(f"loaded {result.rows} ideal points from {result.source}{replaced}", highlight=False)
    out.print(SOURCE, highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
