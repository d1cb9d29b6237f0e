"""An analyst's corrections of events: change, reject, add a missed one, and the list of them
(communique.corpus.corrections). Every write needs the token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Path, Query
from pydantic import BaseModel, Field

from communique.api.params import DocumentId
from communique.api.state import State

EventId = Annotated[str, Path(max_length=220, description="DOCUMENT_ID:N")]
Parties = list[Annotated[str, Field(min_length=1, max_length=120)]]


def corrections(
    state: State, document: Annotated[str | None, Query(max_length=200)] = None
) -> dict[str, Any]:
    """Every correction (of one document, if given), oldest first: who, when, what it set, the machine's original,
    and the event that carries it now (``current_event``; none for a rejected event the analysis lost)."""
    from communique.corpus.corrections import correction_records

    items = correction_records(state.store, document)
    return {"items": items, "total": len(items)}


class CorrectionRequest(BaseModel):
    """What to set; a field left out stays as it is. ``reject`` alone rejects the event."""

    type: str | None = Field(None, max_length=20)
    actor: Parties | None = Field(None, max_length=20)
    recipient: Parties | None = Field(None, max_length=20)
    status: str | None = Field(None, max_length=20)
    reject: bool = False
    by: str = Field(..., min_length=1, max_length=100, description="Who corrects.")
    note: str | None = Field(None, max_length=1000)


def correct(state: State, event_id: EventId, body: CorrectionRequest) -> dict[str, Any]:
    """Correct a stored event's type, participants or status, or reject it (needs the token); the analytics
    follow at once."""
    from communique.corpus.corrections import correct_event, correction_records

    made = correct_event(
        state.store,
        event_id,
        type=body.type,
        actor=body.actor,
        recipient=body.recipient,
        status=body.status,
        reject=body.reject,
        by=body.by,
        note=body.note,
    )
    _alert(state)
    return next(c for c in correction_records(state.store, made.document_id) if c["id"] == made.id)


def _alert(state: State) -> None:
    """A corrected or added event may match a saved query now: raise its alert at once."""
    from communique.corpus.alerts import check_alerts

    check_alerts(state.store)
    state.changed()


class AddEventRequest(BaseModel):
    """An event the machine missed, told by one sentence of the document."""

    sentence: int = Field(..., ge=0)
    type: str = Field(..., max_length=20)
    actor: Parties = Field(..., min_length=1, max_length=20)
    recipient: Parties = Field(default_factory=list, max_length=20)
    status: str = Field("realized", max_length=20)
    trigger: str | None = Field(None, max_length=200)
    by: str = Field(..., min_length=1, max_length=100)
    note: str | None = Field(None, max_length=1000)


def add(state: State, document_id: DocumentId, body: AddEventRequest) -> dict[str, Any]:
    """Add an event the machine missed from a sentence of a stored document (needs the token)."""
    from communique.corpus.corrections import add_event, correction_records

    if state.store.stored_document(document_id) is None:
        raise HTTPException(404, f"no document {document_id!r}")
    made = add_event(
        state.store,
        document_id,
        body.sentence,
        type=body.type,
        actor=body.actor,
        recipient=body.recipient,
        status=body.status,
        trigger=body.trigger,
        by=body.by,
        note=body.note,
    )
    _alert(state)
    return next(c for c in correction_records(state.store, document_id) if c["id"] == made.id)
