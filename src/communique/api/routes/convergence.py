"""Are two countries moving together (the Convergence page), and the reports behind one point."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Literal

from fastapi import HTTPException

from communique.api.params import Code, Limit, Offset, Period, PeriodLabel, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus import relations as rel


def convergence(
    state: State,
    a: Code,
    b: Code,
    by: Period = "year",
    since: date | None = None,
    until: date | None = None,
    measure: Literal["cosine", "pearson"] = "cosine",
) -> dict[str, Any]:
    """Are two countries moving together: their dyadic score and how alike they treat third parties."""
    a, b = state.party(a), state.party(b)
    result = rel.convergence(state.store, a, b, by, iso(since), iso(until), measure)
    return {**dataclasses.asdict(result), "coverage": queries.coverage(state.store, by)}


def convergence_events(
    state: State,
    a: Code,
    b: Code,
    period: PeriodLabel,
    kind: Literal["dyad", "third_parties"] = "dyad",
    by: Period = "year",
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The reports behind one convergence point: the events between A and B (``dyad``) or those of A and B
    with their shared third parties (``third_parties``, what the similarity is computed from)."""
    a, b = state.party(a), state.party(b)
    result = rel.convergence(state.store, a, b, by, iso(since), iso(until))
    cell = next((p for p in result.periods if p.period == period), None)
    if cell is None:
        raise HTTPException(404, f"no events of {a} or {b} in period {period!r}")
    clusters = cell.dyad_clusters if kind == "dyad" else cell.third_party_clusters
    return queries.evidence_page(state.store, clusters, limit, offset)
