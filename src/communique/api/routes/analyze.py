"""Analyse one article sent to the API; with ``store=true`` also ingest it (the Analyse page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from communique.api.state import AppState, State, require_read, require_write
from communique.document import Document, content_id, to_contract


class AnalyzeRequest(BaseModel):
    text: str | None = Field(None, description="Article text (plain text or HTML).")
    url: str | None = Field(None, description="An http(s) URL to fetch and analyse instead of text.")
    published: date | None = Field(None, description="Publication date; overrides any date found.")
    title: str | None = None
    store: bool = Field(False, description="Also ingest the analysis into the store (needs the token).")


def analyze(state: State, body: AnalyzeRequest, request: Request) -> dict[str, Any]:
    """Analyse a text or a URL; returns the contract JSON. With ``store=true`` also ingests it."""
    from communique.ingest.read import document_from_bytes, read_source

    if body.store:
        require_write(request)
    else:
        require_read(request)
    if bool(body.text) == bool(body.url):
        raise HTTPException(422, "give exactly one of 'text' or 'url'")
    if body.url:
        document = read_source(body.url, published=body.published, title=body.title)
    else:
        document = document_from_bytes((body.text or "").encode("utf-8"), name="request")
        if body.published:
            document.published = body.published
        if body.title:
            document.title = body.title
    document.id = content_id(document.text)  # the store keys everything by the content id, as ingest does
    with state.analyze_lock:
        analysed = state.analyzer.analyze(document)
    analysed.parsed = None
    result = to_contract(analysed)
    if body.store:
        result.update(_store(state, document, result, body.url))
        state.changed()
    return result


def _store(state: AppState, document: Document, record: dict[str, Any], url: str | None) -> dict[str, Any]:
    """Ingest an analysed document through the ingestion run (its triage: exact copy, near copy or new; one
    transaction; event merging), as ``communique ingest`` would; answer what became of it.

    ``stored`` is whether it was added; ``stored_as`` says what it was: ``new``, ``near_copy`` or
    ``exact_copy`` (linked to the stored document ``copy_of``, with its ``similarity``) or ``already_stored``
    (this very text).
    """
    from communique.corpus import queries
    from communique.corpus.dedup import NearDuplicateIndex
    from communique.corpus.run import Incoming, IngestSettings, ingest_documents

    store = state.store
    settings = IngestSettings(workers=0)
    origin = url or "api:analyze"
    incoming = Incoming(document, origin, analysis=record)
    with state.store_lock:
        index = state.near_index
        state.near_index = None  # should the run fail, the next request indexes the store afresh
        if index is None:
            index = NearDuplicateIndex(settings.near_threshold)
        report = ingest_documents([incoming], store, settings, sources=[origin], near_index=index)
        # A document the database refused would stay in the index without being stored: then start afresh.
        state.near_index = index if not report.errors else None
    doc_id = record["document"]["id"]
    # A near copy is linked under its own content id; an exact copy (this text from another URL) under the URL.
    link = queries.copy_link(store, doc_id) or (queries.copy_link(store, url) if url else None)
    if report.added:
        kind, link = "new", None
    elif link is not None:
        kind = f"{link['kind']}_copy"
    else:
        kind = "already_stored"
    return {
        "stored": bool(report.added),
        "stored_as": kind,
        "copy_of": link["document_id"] if link else None,
        "similarity": link["similarity"] if link else None,
    }
