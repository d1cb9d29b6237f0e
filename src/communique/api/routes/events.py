"""Coded events: the list (the Events page) and the download of every event matching its filters."""

from __future__ import annotations

import io
import json
from datetime import date
from importlib import resources
from typing import Any, Literal

from fastapi.responses import Response

from communique.api.params import Attributions, Confidence, Limit, Offset, Statuses, Text, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus.queries import EventFilters


def count_threshold() -> float | None:
    """The confidence at which the learned event coder's events count in the analytics (its model file's
    ``count_threshold``), or None when no model ships."""
    try:
        meta = json.loads(
            (resources.files("communique") / "data" / "models" / "event-coder.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return None
    value = meta.get("count_threshold")
    return float(value) if isinstance(value, int | float) else None


def events(
    state: State,
    actor: Text = None,
    recipient: Text = None,
    type: Text = None,
    since: date | None = None,
    until: date | None = None,
    source: Text = None,
    genre: Text = None,
    document_id: Text = None,
    party: Text = None,
    status: Statuses = None,
    attribution: Attributions = None,
    min_confidence: Confidence = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Coded events (each report of an event in an article), newest first, with the filters of ``search``;
    ``party`` keeps the events with that party on either side; ``status``, ``attribution`` and
    ``min_confidence`` keep the events so coded (``count_threshold`` in the answer: the confidence at which
    the analytics count an event)."""
    filters = EventFilters(
        actor,
        recipient,
        type,
        iso(since),
        iso(until),
        source,
        genre,
        document_id,
        party,
        status,
        attribution,
        min_confidence,
    )
    return {**queries.events_page(state.store, filters, limit, offset), "count_threshold": count_threshold()}


def events_export(
    state: State,
    format: Literal["csv", "parquet"] = "csv",
    actor: Text = None,
    recipient: Text = None,
    type: Text = None,
    since: date | None = None,
    until: date | None = None,
    source: Text = None,
    party: Text = None,
    status: Statuses = None,
    attribution: Attributions = None,
    min_confidence: Confidence = None,
) -> Response:
    """Every event matching the filters as a CSV or Parquet download (the columns of ``communique export``)."""
    from communique.corpus.exports import event_rows, write_event_csv, write_event_parquet

    filters = EventFilters(
        actor=actor,
        recipient=recipient,
        type=type,
        source=source,
        party=party,
        status=status,
        attribution=attribution,
        min_confidence=min_confidence,
    )
    rows = (r for r in event_rows(state.store, iso(since), iso(until)) if filters.matches(r))
    if format == "csv":
        text = io.StringIO()
        write_event_csv(rows, text)
        return Response(
            text.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="events.csv"'},
        )
    data = io.BytesIO()
    write_event_parquet(rows, data)
    return Response(
        data.getvalue(),
        media_type="application/vnd.apache.parquet",
        headers={"Content-Disposition": 'attachment; filename="events.parquet"'},
    )
