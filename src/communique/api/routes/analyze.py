"""Analyse one article sent to the API; with ``store=true`` also ingest it (the Analyse page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from communique.api.state import State, require_read, require_write
from communique.document import content_id, to_contract


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
        result["stored"] = _store_analysis(state.store, result, body.url or "api:analyze")
        state.changed()
    return result


def _store_analysis(store: Any, record: dict[str, Any], origin: str) -> bool:
    """Write one analysis through the store's ingest path (a run, one batch, event merging); False if known."""
    from communique.corpus.dedup import merge_events, signature
    from communique.corpus.store import AnalysedDocument

    run_id = store.start_run([origin], {"via": "POST /api/analyze"})
    counts = {"added": 0}
    status = "failed"
    try:
        item = AnalysedDocument(record, None, origin, signature(record["document"]["text"]))
        counts = store.write_batch(run_id, [item])
        merge_events(store)
        status = "finished"
    finally:
        store.finish_run(run_id, status, counts)
    return counts["added"] > 0
