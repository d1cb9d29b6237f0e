"""How every `communique` command reports a failure: one line on standard error, then a non-zero exit."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True)


def fail(message: object, code: int = 2) -> NoReturn:
    """Print ``error: <message>`` on one line (never wrapped, never read as markup) and exit with ``code``."""
    err.print(
        f"[bold red]error:[/] {escape(' '.join(str(message).split()))}", highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)
