"""`communique brief COUNTRY --out brief.html`: the country brief (render/brief.py) as one self-contained page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from communique.cli.corpus import DbOption, SinceOption, UntilOption, corpus_store, err
from communique.cli.errors import fail
from communique.errors import CommuniqueError


def _code(name: str) -> str:
    from communique.kb.knowledge import KnowledgeBase

    try:
        return KnowledgeBase.load().actor_code(name)
    except CommuniqueError as exc:
        fail(exc)


def brief(
    country: Annotated[str, typer.Argument(help="The country: a code in any case, its name or its leader.")],
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.", dir_okay=False)],
    db: DbOption = "communique.db",
    since: SinceOption = None,
    until: UntilOption = None,
    partner: Annotated[
        str | None,
        typer.Option(help="The state to measure convergence with (default: the country's top partner)."),
    ] = None,
    top: Annotated[int, typer.Option(help="How many top partners to list.", min=1)] = 8,
) -> None:
    """A country brief: balance with the centres of power, top partners, convergence with a partner, UN votes
    beside them, the coverage, and the events behind every number; one printable page that loads nothing."""
    from communique.render.brief import country_brief, render_brief

    code = _code(country)
    other = _code(partner) if partner else None
    with corpus_store(db) as store:
        result = country_brief(store, code, other, since, until, top)
    try:
        out.write_text(render_brief(result), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    c = result.coverage
    err.print(
        f"wrote {out}: {result.name}, {c.events} events from {c.documents} articles "
        f"({len(c.outlets)} outlets), convergence with {result.partner or 'no partner'}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("brief")(brief)
