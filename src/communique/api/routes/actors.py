"""Actors: the list, one actor's profile page (knowledge base, timeline, stance, latest events), and the
articles' stance toward it."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException

from communique.api.params import ActorCode, Limit, Offset, Period, Text
from communique.api.state import State
from communique.corpus import queries
from communique.corpus.queries import EventFilters


def actors(state: State, q: Text = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Actors (states by code, organisations by name) by the number of articles naming them."""
    found = queries.actors_page(state.store, q, limit, offset)
    kb = state.kb
    for item in found["items"]:  # a state by the knowledge base's name for it, not an article's
        party = item["code"]
        country = kb.country(party) if len(party) == 3 and party.isupper() else None
        if country is not None:
            item["name"] = country.name
    return found


def actor(state: State, code: ActorCode, by: Period = "month", limit: Limit = 20) -> dict[str, Any]:
    """An actor's knowledge-base profile, the timeline of its events, sources' stance toward it, latest events."""
    store = state.store
    name, documents = queries.actor_mentions(store, code)
    found = profile(state.kb, code)
    if found is None and not documents:
        raise HTTPException(404, f"no actor {code!r} in the knowledge base or the store")
    latest = queries.events_page(store, EventFilters(party=code), limit, 0)
    return {
        "code": code,
        "name": (found or {}).get("name") or name or code,
        "documents": documents,
        "profile": found or {},
        "timeline": queries.actor_timeline(store, code, by),
        "coverage": queries.coverage(store, by),
        "stance_by_source": queries.stance_by_source(store, code),
        "events": latest["items"],
        "event_total": latest["total"],
    }


def actor_stance(
    state: State, code: ActorCode, source: Text = None, limit: Limit = 20, offset: Offset = 0
) -> dict[str, Any]:
    """The articles' stance toward an actor, newest first, each with the sentences it was read from;
    ``source`` keeps one outlet's (``(unknown)`` for articles without one)."""
    return queries.stance_page(state.store, code, source, limit, offset)


def profile(kb: Any, code: str) -> dict[str, Any] | None:
    """A knowledge-base profile for a state code or an organisation's name; None when the base has neither."""
    country = kb.country(code) if len(code) in (2, 3) and code.isalpha() else None
    if country is not None:
        members = sorted(o.name for o in kb.organizations.values() if country.code in o.members)
        return {
            "kind": "country",
            "name": country.name,
            "official": country.official,
            "capital": country.capital,
            "aliases": country.aliases,
            "adjectives": country.adjectives,
            "organizations": members,
        }
    for entry in kb.lookup(code):
        found = kb.entry(entry.kb_id)
        if found is not None and entry.kb_id.startswith("organization:"):
            return {
                "kind": "organization",
                "name": found.name,
                "official": found.name,
                "capital": None,
                "aliases": [*found.acronyms, *found.aliases],
                "members": found.members,
                "organizations": [],
            }
    return None
