"""Full-text search over articles and quotations."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query

from communique.api.params import Limit, Offset, Text, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus.store import SearchFilters


def search(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    actor: Text = None,
    type: Text = None,
    since: date | None = None,
    until: date | None = None,
    source: Text = None,
    genre: Text = None,
    quotes: bool = True,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search over articles and quotations, best first (as ``communique search``)."""
    filters = SearchFilters(
        actor=actor, event_type=type, since=iso(since), until=iso(until), source=source, genre=genre
    )
    return queries.search_page(state.store, q, filters, limit, offset, quotes=quotes)
