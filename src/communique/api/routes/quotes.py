"""Quotations and their speakers."""

from __future__ import annotations

from datetime import date
from typing import Any

from communique.api.params import Limit, Offset, Text, iso
from communique.api.state import State
from communique.corpus import queries


def quotes(
    state: State,
    speaker: Text = None,
    q: Text = None,
    document_id: Text = None,
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Quotations with their speakers; ``speaker`` is a code (AZE) or a name."""
    return queries.quotes_page(state.store, speaker, q, document_id, iso(since), iso(until), limit, offset)
