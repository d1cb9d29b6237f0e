"""How the commands print a table: a Rich table on a terminal, whole when piped, or TSV for other programs.

Every cell is plain text, never Rich markup: an article title or snippet with "[sanctions]" in it is printed
as written. On a terminal a table fits the window; written to a file or a pipe it gets the width it needs, so
no cell is cut to "201…" at Rich's default 80 columns.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

Row = Sequence[object]


def tsv_cell(value: object) -> str:
    """A value as one TSV field: tabs and line breaks become spaces, None an empty field."""
    return "" if value is None else " ".join(str(value).replace("\t", " ").splitlines())


def write_tsv(headers: Sequence[str], rows: Iterable[Row]) -> None:
    """The rows as tab-separated values on standard output, a header line first."""
    sys.stdout.write("\t".join(headers) + "\n")
    for row in rows:
        sys.stdout.write("\t".join(tsv_cell(c) for c in row) + "\n")


def print_table(
    console: Console, headers: Sequence[str], rows: Iterable[Row], title: str | None = None
) -> None:
    """The rows as a Rich table on ``console``: fitted to a terminal, at its full width anywhere else."""
    table = Table(*[escape(h) for h in headers], title=escape(title) if title else None)
    for row in rows:
        table.add_row(*[escape(tsv_cell(c) if c is not None else "") for c in row])
    print_whole(console, table)


def print_whole(console: Console, table: Table) -> None:
    """A Rich table fitted to a terminal, or at the width it needs when written to a file or a pipe."""
    if console.is_terminal:
        console.print(table)
        return
    width = Measurement.get(console, console.options.update_width(100_000), table).maximum
    Console(file=console.file, width=max(width, console.width), color_system=None).print(table)
