"""The sources `communique watch` polls (the Sources page)."""

from __future__ import annotations

from typing import Any

from communique.api.state import State


def watched_sources(state: State) -> dict[str, Any]:
    """The sources `communique watch` polls: each one's last fetch and what it stored (``last_added``,
    ``items_added``), its errors (``consecutive_errors``, ``last_error``, the ``backoff_seconds`` they
    earned) and its next run, soonest first."""
    from communique.corpus.watch import sources

    items = sources(state.store)
    return {"items": items, "total": len(items)}
