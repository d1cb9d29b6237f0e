"""How the outlets differ (the Outlets page)."""

from __future__ import annotations

from typing import Any

from communique.api.params import Limit
from communique.api.state import State
from communique.corpus import queries


def outlets(state: State, limit: Limit = 100) -> dict[str, Any]:
    """How the outlets differ: per outlet its articles and genres, the share of its sentences that are the
    author's opinion, its persuasion techniques (per 100 sentences), the real-world events it reports most
    and its mean stance toward the parties it covers most."""
    return queries.outlets(state.store, limit)
