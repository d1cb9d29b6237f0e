"""PLACEHOLDER: commands being built (see the issue tracker)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    return None
