"""A country's engagement with each centre of power (the Balance page) and the reports behind one cell."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from fastapi import HTTPException

from communique.api.params import Code, Direction, Limit, Offset, Period, PeriodLabel, Text, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus import relations as rel


def balance(
    state: State,
    country: Code,
    by: Period = "year",
    since: date | None = None,
    until: date | None = None,
    direction: Direction = "both",
) -> dict[str, Any]:
    """A country's engagement with each centre of power per period, and the evenness index."""
    country = state.party(country)
    result = rel.balance(state.store, country, None, by, iso(since), iso(until), direction)
    return {
        "country": country,
        "by": by,
        "direction": direction,
        "centres": [c.name for c in result.centres],
        "labels": {c.name: c.label for c in result.centres},
        "periods": [
            {
                "period": p.period,
                "evenness": p.evenness,
                "centres": {
                    n: {
                        "share": c.share,
                        "net_score": c.net_score,
                        "cooperative": c.cooperative,
                        "conflictual": c.conflictual,
                    }
                    for n, c in p.centres.items()
                },
            }
            for p in result.periods
        ],
        "coverage": queries.coverage(state.store, by),
        "set_aside_by_language": result.set_aside_by_language,
        # UN General Assembly ideal points per year: the country's against each centre's (kb/unga.py)
        "ideal_points": dataclasses.asdict(result.ideal_points) if result.ideal_points else None,
    }


def balance_events(
    state: State,
    country: Code,
    period: PeriodLabel,
    by: Period = "year",
    centre: Text = None,
    since: date | None = None,
    until: date | None = None,
    direction: Direction = "both",
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The reports behind one period of the balance: with ``centre``, that centre's cell; else every centre's."""
    country = state.party(country)
    result = rel.balance(state.store, country, None, by, iso(since), iso(until), direction)
    cells = next((p.centres for p in result.periods if p.period == period), None)
    if cells is None:
        raise HTTPException(404, f"{country} has no engagement with a centre of power in period {period!r}")
    if centre and centre not in cells:
        raise HTTPException(404, f"no centre {centre!r}; the centres are {', '.join(cells)}")
    clusters = [i for name, cell in cells.items() if not centre or name == centre for i in cell.clusters]
    return queries.evidence_page(state.store, clusters, limit, offset)
