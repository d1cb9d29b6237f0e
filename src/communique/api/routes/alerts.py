"""Saved queries and their alerts (the Alerts page), the unread counts of the navigation, and the Atom feed of
each saved query (communique.corpus.alerts)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from communique.api.params import Limit
from communique.api.state import State

# A saved query's id: a database integer (over 2**63 - 1 the store could not even look it up).
MAX_ID = 2**63 - 1
QueryId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _query_json(query: Any, unread: dict[str, int]) -> dict[str, Any]:
    return {
        **dataclasses.asdict(query),
        "describe": query.describe(),
        "unread": unread.get(query.name, 0),
        "feed": f"/api/alerts/feeds/{query.id}.atom",
    }


def alerts(
    state: State,
    query: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this saved query's alerts (its id).")
    ] = None,
    unread: Annotated[bool, Query(description="Only the unread alerts.")] = False,
    limit: Limit = 100,
) -> dict[str, Any]:
    """Alerts, newest first, each with the events behind it: their evidence sentence, its offsets and the
    article (``/ui/article/ID``); and the saved queries with their unread counts."""
    from communique.corpus import alerts as found

    store = state.store
    counts = found.unread_counts(store)
    items = [
        {**dataclasses.asdict(a), "evidence": [dataclasses.asdict(e) for e in found.alert_evidence(store, a)]}
        for a in found.alerts(store, query, unread=unread, limit=limit)
    ]
    return {
        "items": items,
        "queries": [_query_json(q, counts) for q in found.saved_queries(store)],
        "unread": sum(counts.values()),
    }


def unread(state: State) -> dict[str, Any]:
    """How many alerts are unread, in all and by saved query (the navigation's count)."""
    from communique.corpus.alerts import unread_counts

    counts = unread_counts(state.store)
    return {"total": sum(counts.values()), "by_query": counts}


class SaveQueryRequest(BaseModel):
    """A saved query: exactly one of ``search``, ``dyad`` ([actor, recipient]) or ``country``."""

    name: str = Field(..., min_length=1, max_length=100)
    search: str | None = Field(None, max_length=500)
    dyad: tuple[str, str] | None = None
    country: str | None = Field(None, max_length=120)
    event_types: list[str] = Field(default_factory=list, max_length=16)
    min_confidence: float | None = Field(None, ge=0, le=1)
    deviation: float | None = Field(None, gt=0)
    baseline_months: int = Field(12, ge=3, le=120)
    webhook: str | None = Field(None, max_length=1000)


def save_query(state: State, body: SaveQueryRequest) -> dict[str, Any]:
    """Save a query (needs the token); only events stored from now on alert."""
    from communique.corpus.alerts import save_query as save

    dyad = (state.party(body.dyad[0]), state.party(body.dyad[1])) if body.dyad else None
    query = save(
        state.store,
        body.name,
        search=body.search,
        dyad=dyad,
        country=state.party(body.country) if body.country else None,
        event_types=body.event_types,
        min_confidence=body.min_confidence,
        deviation=body.deviation,
        baseline_months=body.baseline_months,
        webhook=body.webhook,
    )
    state.changed()
    return _query_json(query, {})


def delete_query(state: State, query_id: QueryId) -> dict[str, Any]:
    """Delete a saved query and its alerts (needs the token)."""
    from communique.corpus.alerts import delete_query as delete
    from communique.corpus.alerts import saved_query

    delete(state.store, saved_query(state.store, query_id).name)
    state.changed()
    return {"deleted": query_id}


class MarkReadRequest(BaseModel):
    """The alerts to mark read: their ids, or ``all``."""

    ids: list[int] = Field(default_factory=list, max_length=1000)
    all: bool = False


def mark_read(state: State, body: MarkReadRequest) -> dict[str, Any]:
    """Mark alerts read (needs the token); answers how many were unread."""
    from communique.corpus.alerts import mark_read as mark

    if not body.all and not body.ids:
        raise HTTPException(422, "give the alert ids to mark read, or all: true")
    n = mark(state.store, None if body.all else body.ids)
    state.changed()
    return {"marked": n}


def check(state: State) -> dict[str, Any]:
    """Raise the alerts of every saved query for what the store holds now and deliver the webhooks owed
    (needs the token; the watch does this after every poll that stored documents)."""
    from communique.corpus.alerts import check_alerts, deliver_webhooks

    made = check_alerts(state.store)
    deliveries = deliver_webhooks(state.store)
    state.changed()
    return {
        "alerts": [dataclasses.asdict(a) for a in made],
        "deliveries": [dataclasses.asdict(d) for d in deliveries],
    }


def feed(state: State, request: Request, query_id: QueryId) -> Response:
    """The saved query's alerts as an Atom 1.0 feed, for any feed reader."""
    from communique.corpus.alerts import atom_feed, saved_query

    query = saved_query(state.store, query_id)
    base = str(request.base_url).rstrip("/")
    return Response(atom_feed(state.store, query, base), media_type="application/atom+xml; charset=utf-8")
