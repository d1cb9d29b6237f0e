"""An analyst's corrections applied to an analysis: what the store does with every new analysis of a corrected
document, so the corrections hold through re-ingest and re-analysis.

    corrections(store, document_id) -> [Correction]      the corrections of a document, oldest first
    corrected_record(record, corrections) -> (record, {event position: correction id})

Making corrections (and their CLI, API and training export) is :mod:`communique.corpus.corrections`; this module
is the part the store itself needs, so the store never imports the layer above it.
"""

from __future__ import annotations

import copy
import getpass
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from communique.errors import InputError

if TYPE_CHECKING:
    from communique.corpus.store import Store

ACTIONS = ("change", "reject", "add")
# An event an analyst rejected keeps its row (and its number) with this status; no analytic counts it.
REJECTED = "rejected"
STATUSES = ("realized", "future", "hypothetical", "negated", "historical")
# The confidence of an event an analyst changed or added: it is no longer the model's guess.
ANALYST_CONFIDENCE = 1.0


@dataclass
class Correction:
    id: int
    root_id: int
    document_id: str
    event_id: str | None
    action: str  # change | reject | add
    sentence: int | None
    trigger_start: int | None
    trigger_end: int | None
    original_type: str | None
    changes: dict[str, Any]
    original: dict[str, Any] | None
    corrected_by: str
    corrected_at: str
    note: str | None = None


_SELECT = (
    "SELECT id, root_id, document_id, event_id, action, sentence, trigger_start, trigger_end, original_type, "
    "changes, original, corrected_by, corrected_at, note FROM corrections"
)


def _correction(row: Sequence[Any]) -> Correction:
    return Correction(
        int(row[0]),
        int(row[1]),
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        json.loads(row[9]),
        json.loads(row[10]) if row[10] else None,
        row[11],
        row[12],
        row[13],
    )


def corrections(store: Store, document_id: str | None = None) -> list[Correction]:
    """Every correction (of one document, if given), oldest first."""
    if document_id is None:
        return [_correction(r) for r in store.query(f"{_SELECT} ORDER BY id")]
    return [
        _correction(r) for r in store.query(f"{_SELECT} WHERE document_id = ? ORDER BY id", (document_id,))
    ]


def correction(store: Store, correction_id: int) -> Correction | None:
    rows = store.query(f"{_SELECT} WHERE id = ?", (correction_id,))
    return _correction(rows[0]) if rows else None


def current_user() -> str:
    """Who a correction made here is recorded as: $COMMUNIQUE_USER, else the login name."""
    return os.environ.get("COMMUNIQUE_USER") or getpass.getuser()


# -- applying corrections to an analysis ------------------------------------------------------------------------


def corrected_record(
    record: dict[str, Any], found: Sequence[Correction]
) -> tuple[dict[str, Any], dict[int, int]]:
    """The analysis ``record`` with the corrections ``found`` (of its document) applied, and which event (by
    position) carries which correction (the latest of its event).

    Corrections of one event (one root) apply in order, each setting only what it names. An event is found by
    its anchor: the same sentence and trigger offsets and the machine's type; else the same sentence and
    trigger; else the same sentence and type. A changed event the new analysis no longer has is added back
    (the machine's original with the analyst's changes); an added one is appended; a rejected one not found is
    simply absent. ``record`` itself is left as it is.
    """
    if not found:
        return record, {}
    record = copy.deepcopy(record)
    events: list[dict[str, Any]] = record.setdefault("events", [])
    roots: dict[int, list[Correction]] = {}
    for c in sorted(found, key=lambda c: c.id):
        roots.setdefault(c.root_id, []).append(c)
    claimed: set[int] = set()
    marks: dict[int, int] = {}
    for group in roots.values():
        root = group[0]
        index = None if root.action == "add" else _find_event(events, root, claimed)
        if index is None:
            if root.action == "add":
                event = _new_event(record, root)
            elif root.original is not None and group[-1].action != "reject":
                event = copy.deepcopy(root.original)
            else:
                continue  # rejected, and the new analysis does not have it either
            events.append(event)
            index = len(events) - 1
        claimed.add(index)
        for c in group:
            _apply(record, events[index], c)
        marks[index] = group[-1].id
    return record, marks


def _find_event(events: list[dict[str, Any]], root: Correction, claimed: set[int]) -> int | None:
    def same_trigger(e: dict[str, Any]) -> bool:
        trigger = e.get("trigger") or {}
        return (
            root.trigger_start is not None
            and trigger.get("start") == root.trigger_start
            and trigger.get("end") == root.trigger_end
        )

    tests = (
        lambda e: same_trigger(e) and e.get("type") == root.original_type,
        same_trigger,
        lambda e: e.get("type") == root.original_type,
    )
    for test in tests:
        for i, e in enumerate(events):
            if i not in claimed and e.get("sentence") == root.sentence and test(e):
                return i
    return None


def _new_event(record: dict[str, Any], root: Correction) -> dict[str, Any]:
    sentence = sentence_of(record, root.sentence)
    text = record["document"]["text"]
    trigger: dict[str, Any] = {"text": None, "start": None, "end": None}
    if root.trigger_start is not None and root.trigger_end is not None:
        trigger = {
            "text": text[root.trigger_start : root.trigger_end],
            "start": root.trigger_start,
            "end": root.trigger_end,
        }
    return {
        "type": root.changes["type"],
        "mode": None,
        "context": [],
        "actor": [],
        "recipient": [],
        "date": None,
        "location": None,
        "status": "realized",
        "attribution": None,
        "score": None,
        "confidence": ANALYST_CONFIDENCE,
        "sentence": root.sentence,
        "trigger": trigger,
        "evidence": {
            "text": text[sentence["start"] : sentence["end"]],
            "start": sentence["start"],
            "end": sentence["end"],
        },
        "other_evidence": [],
    }


def _apply(record: dict[str, Any], event: dict[str, Any], c: Correction) -> None:
    from communique.stages.events.coder import plover_score

    if c.action == "reject":
        event["status"] = REJECTED
        return
    changes = c.changes
    if changes.get("type") and (changes["type"] != event.get("type") or event.get("score") is None):
        event["type"] = changes["type"]
        event["mode"] = None  # a mode belongs to its type
        event["score"] = plover_score(event["type"])
    for role in ("actor", "recipient"):
        if role in changes:
            event[role] = [_participant(record, event.get("sentence"), party) for party in changes[role]]
    if changes.get("status"):
        event["status"] = changes["status"]
    event["confidence"] = ANALYST_CONFIDENCE


def sentence_of(record: dict[str, Any], index: int | None) -> dict[str, Any]:
    for s in record.get("sentences", []):
        if s["index"] == index:
            return s
    raise InputError(f"document {record['document']['id']} has no sentence {index}")


def _participant(record: dict[str, Any], sentence: int | None, party: str) -> dict[str, Any]:
    """The event participant for a party an analyst named: the document's actor of that party or code (with
    its mention in the event's sentence, if any), else a state by its code."""
    from communique.corpus.store.rows import party_of

    for actor in record.get("actors", []):
        if party in (party_of(actor.get("code"), actor.get("name"), actor.get("kb_id")), actor.get("code")):
            mentions = actor.get("mentions") or []
            here = [m for m in mentions if m.get("sentence") == sentence] or mentions
            return {
                "actor_id": actor["id"],
                "code": actor.get("code"),
                "sector": actor.get("sector"),
                "text": here[0]["text"] if here else actor.get("name"),
            }
    return {"actor_id": None, "code": party, "sector": None, "text": party}


# -- making corrections ----------------------------------------------------------------------------------------


def check_party(record: dict[str, Any], party: str) -> str:
    from communique.corpus.store.rows import party_of

    party = " ".join(party.split())
    known = {
        value
        for a in record.get("actors", [])
        for value in (party_of(a.get("code"), a.get("name"), a.get("kb_id")), a.get("code"))
        if value
    }
    if party in known or (len(party) == 3 and party.isalpha() and party.isupper()):
        return party
    named = ", ".join(sorted(known)) or "none"
    raise InputError(
        f"{party!r} is neither a state code (3 capital letters, e.g. RUS) nor an actor of this document "
        f"(its actors: {named})"
    )
