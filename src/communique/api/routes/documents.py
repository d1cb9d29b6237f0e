"""Stored articles: the list (the Articles page), one article with its copies and related reports (the
Article page), and corrections to its metadata."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel, Field

from communique.api.params import DocumentId, Limit, Offset, Text, iso
from communique.api.state import State
from communique.corpus import queries
from communique.corpus.store import SearchFilters


def documents(
    state: State,
    q: Text = None,
    actor: Text = None,
    type: Text = None,
    genre: Text = None,
    source: Text = None,
    since: date | None = None,
    until: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stored articles, newest first; ``q`` is a full-text search (best match first)."""
    filters = SearchFilters(
        actor=actor, event_type=type, since=iso(since), until=iso(until), source=source, genre=genre
    )
    return queries.documents_page(state.store, filters, limit, offset, q)


def document(state: State, document_id: DocumentId) -> dict[str, Any]:
    """A stored article's analysis (the contract JSON), its near-duplicates and the articles reporting the
    same real-world events."""
    from communique.corpus.exports import document_contract

    store = state.store
    record = document_contract(store, document_id)
    if record is None:
        raise HTTPException(404, f"no document {document_id!r}")
    record["duplicates"] = queries.document_duplicates(store, document_id)
    record["related"] = queries.related_documents(store, document_id)
    return record


class DocumentEditRequest(BaseModel):
    """The corrections to a stored document; a field left out stays as it is, null or "" clears it."""

    published: date | None = Field(None, description="Publication date YYYY-MM-DD.")
    title: str | None = Field(None, max_length=1000)
    source: str | None = Field(None, max_length=200, description="Outlet.")


def edit_document(state: State, document_id: DocumentId, body: DocumentEditRequest) -> dict[str, Any]:
    """Correct a stored document's publication date, title or outlet (needs the token). The document is
    analysed again with the corrected metadata and every analytic follows; answers what changed."""
    from communique.corpus.run import edit_document as edit

    changes = {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name, value in body.model_dump(exclude_unset=True).items()
    }
    if state.store.stored_document(document_id) is None:
        raise HTTPException(404, f"no document {document_id!r}")
    with state.analyze_lock:
        edits = edit(state.store, document_id, changes, state.analyzer)
    state.changed()
    return {"id": document_id, "changed": [{"field": f, "old": o, "new": n} for f, o, n in edits]}
