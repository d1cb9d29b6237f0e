"""A directed dyad's relations over time (the Relations page), the reports behind one period, and a
country's partners (the map)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException

from communique.api.params import Code, Limit, Offset, Period, PeriodLabel, Text, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus import relations as rel


def relations(
    state: State,
    a: Code,
    b: Code,
    by: Period = "month",
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    """A directed dyad's time series (score and counts by type) and the reports behind it (paginated)."""
    a, b = state.party(a), state.party(b)
    store = state.store
    series = rel.dyad_series(store, a, b, by, iso(since), iso(until))
    coop = set(rel.COOPERATIVE)
    rows, clusters = [], []
    for p in series.periods:
        rows.append(
            {
                "period": p.period,
                "events": p.events,
                "reports": p.reports,
                "score_sum": p.score_sum,
                "score_mean": p.score_mean,
                "by_type": p.by_type,
                "cooperative": sum(n for q, n in p.by_quad.items() if q in coop),
                "conflictual": sum(n for q, n in p.by_quad.items() if q not in coop),
            }
        )
        clusters += p.clusters
    found = queries.evidence_page(store, clusters, limit, offset)
    return {
        "a": a,
        "b": b,
        "by": by,
        "series": rows,
        "coverage": queries.coverage(store, by),
        "events": found["items"],
        "total": found["total"],
        "limit": limit,
        "offset": offset,
        "set_aside_by_language": series.set_aside_by_language,
    }


def relation_events(
    state: State,
    a: Code,
    b: Code,
    period: PeriodLabel,
    by: Period = "month",
    type: Text = None,
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The reports behind one period of a directed dyad's series (``type``: one PLOVER type's)."""
    a, b = state.party(a), state.party(b)
    series = rel.dyad_series(state.store, a, b, by, iso(since), iso(until))
    cell = next((p for p in series.periods if p.period == period), None)
    if cell is None:
        raise HTTPException(404, f"no events from {a} to {b} in period {period!r}")
    return queries.evidence_page(state.store, cell.clusters, limit, offset, type)


def partners(
    state: State, country: Code, since: date | None = None, until: date | None = None
) -> dict[str, Any]:
    """Net PLOVER score of a country's real-world events with each partner state, both directions (the map)."""
    country = state.party(country)
    return {"country": country, "partners": queries.partners(state.store, country, iso(since), iso(until))}
