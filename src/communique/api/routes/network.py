"""Actors and their net directed relations (the Network page)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query

from communique.api.params import Text, iso
from communique.api.state import State
from communique.corpus import relations as rel


def network(
    state: State,
    since: date | None = None,
    until: date | None = None,
    min_events: Annotated[int, Query(ge=1, le=10_000)] = 1,
    actor: Text = None,
) -> dict[str, Any]:
    """Actors and their net directed relations in a period; ``actor`` keeps only its edges."""
    result = rel.network(state.store, iso(since), iso(until), min_events)
    edges = [e for e in result.edges if not actor or actor in (e.actor, e.recipient)]
    used = {p for e in edges for p in (e.actor, e.recipient)}
    return {
        "since": iso(since),
        "until": iso(until),
        "nodes": [{"id": k, "label": k, **v} for k, v in result.nodes.items() if k in used],
        "edges": [
            {
                "source": e.actor,
                "target": e.recipient,
                "events": e.events,
                "net_score": e.net_score,
                "cooperative": e.cooperative,
                "conflictual": e.conflictual,
                "sources": e.sources,
            }
            for e in edges
        ],
        "set_aside_by_language": result.set_aside_by_language,
    }
