"""The `communique` command line: a thin layer over the library, one module per group of commands."""

from __future__ import annotations

import typer

from communique.cli import alerts, analyze, brief, corpus, correct, evaluate, kb, serve, train, unga, watch

app = typer.Typer(
    name="communique",
    help="Evidence-linked geopolitical intelligence from news and opinion articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def root() -> None:
    """Evidence-linked geopolitical intelligence from news and opinion articles."""


# unga: `communique import unga`, reference data for the analytics
for module in (analyze, kb, evaluate, corpus, serve, train, watch, unga, alerts, correct, brief):
    module.register(app)


def main() -> None:
    app()
