"""An analyst's corrections of stored events: change a type, participants or status, reject one, add a missed one.

    correct_event(store, "DOC:3", type="ACCUSE", recipient=["RUS"], by="ana")   -> Correction
    correct_event(store, "DOC:4", reject=True, by="ana")
    add_event(store, "DOC", sentence=2, type="CONSULT", actor=["AZE"], recipient=["KGZ"], by="ana")
    corrections(store)                                                             -> every correction, oldest first

Every correction is a row of ``corrections`` (migration 0009), never overwritten: who, when, what it set and the
machine's original event. It is anchored to its document, sentence and trigger (and the machine's type), not to
the event's position, so it finds its event again in a new analysis of the document: every path that replaces
a document's rows (:meth:`~communique.corpus.store.base.Store.replace_document`: ``reanalyze``, ``documents
edit``, a correction itself) passes the analysis through :func:`corrected_record` first. The analytics then
count the corrected event (a rejected one has status ``rejected`` and counts nowhere; one an analyst set or
added has confidence 1.0, so it counts whatever the model thought), and ``events.correction_id`` marks it.
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
    sentence = _sentence(record, root.sentence)
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


def _sentence(record: dict[str, Any], index: int | None) -> dict[str, Any]:
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


def _check_party(record: dict[str, Any], party: str) -> str:
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


def _changes(
    record: dict[str, Any],
    type: str | None,
    actor: Sequence[str] | None,
    recipient: Sequence[str] | None,
    status: str | None,
) -> dict[str, Any]:
    from communique.stages.events.coder import PLOVER_TYPES

    changes: dict[str, Any] = {}
    if type is not None:
        if type.upper() not in PLOVER_TYPES:
            raise InputError(f"type {type!r} is not a PLOVER 2.0 type ({', '.join(PLOVER_TYPES)})")
        changes["type"] = type.upper()
    if status is not None:
        if status not in STATUSES:
            raise InputError(
                f"status {status!r} is not one of {', '.join(STATUSES)} (use --reject to reject)"
            )
        changes["status"] = status
    for role, parties in (("actor", actor), ("recipient", recipient)):
        if parties is not None:
            changes[role] = [_check_party(record, p) for p in parties]
    return changes


def _insert(store: Store, values: dict[str, Any]) -> int:
    columns = list(values)
    cursor = store.execute(
        f"INSERT INTO corrections ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) RETURNING id",
        [values[c] for c in columns],
    )
    new_id = int(cursor.fetchone()[0])
    if values.get("root_id") is None:
        store.execute("UPDATE corrections SET root_id = ? WHERE id = ?", (new_id, new_id))
    return new_id


def correct_event(
    store: Store,
    event_id: str,
    *,
    type: str | None = None,
    actor: Sequence[str] | None = None,
    recipient: Sequence[str] | None = None,
    status: str | None = None,
    reject: bool = False,
    by: str | None = None,
    note: str | None = None,
) -> Correction:
    """Correct a stored event's type, actor or recipient parties (state codes or the document's actors) or
    status, or reject it; the document's rows and its real-world events are rebuilt with the correction.

    Raises InputError (nothing is written) for an unknown event, type, status or party, or an empty change.
    """
    from communique.corpus.dedup import merge_events
    from communique.corpus.exports import document_contract
    from communique.corpus.store.base import now

    if reject and any(v is not None for v in (type, actor, recipient, status)):
        raise InputError("a rejection changes nothing else: give --reject alone")
    with store.transaction():
        rows = store.query(
            "SELECT document_id, idx, sentence, trigger_start, trigger_end, type, correction_id FROM events "
            "WHERE id = ?",
            (event_id,),
        )
        if not rows:
            raise InputError(
                f"no stored event {event_id!r} (an event id is DOCUMENT_ID:N, as the UI shows it)"
            )
        doc_id, idx, sentence, t_start, t_end, machine_type, earlier = rows[0]
        record = document_contract(store, doc_id)
        assert record is not None  # the event's document is stored
        changes = {} if reject else _changes(record, type, actor, recipient, status)
        if not reject and not changes:
            raise InputError("nothing to correct: give --type, --actor, --recipient, --status or --reject")
        values: dict[str, Any] = {
            "document_id": doc_id,
            "event_id": event_id,
            "action": "reject" if reject else "change",
            "changes": json.dumps(changes),
            "corrected_by": by or current_user(),
            "corrected_at": now(),
            "note": note,
        }
        root = correction(store, int(earlier)) if earlier is not None else None
        if root is not None:
            root = correction(store, root.root_id) or root
            values.update(
                root_id=root.id,
                sentence=root.sentence,
                trigger_start=root.trigger_start,
                trigger_end=root.trigger_end,
                original_type=root.original_type,
                original=json.dumps(root.original) if root.original else None,
            )
        else:
            values.update(
                sentence=sentence,
                trigger_start=t_start,
                trigger_end=t_end,
                original_type=machine_type,
                original=json.dumps(record["events"][int(idx)]),
            )
        new_id = _insert(store, values)
        rebuild(store, doc_id)
    merge_events(store)
    made = correction(store, new_id)
    assert made is not None
    return made


def add_event(
    store: Store,
    document_id: str,
    sentence: int,
    *,
    type: str,
    actor: Sequence[str],
    recipient: Sequence[str] = (),
    status: str = "realized",
    trigger: str | None = None,
    by: str | None = None,
    note: str | None = None,
) -> Correction:
    """Add an event the machine missed, from a sentence of a stored document (its evidence is the sentence;
    ``trigger``, if given, is the word naming the event, found in the sentence)."""
    from communique.corpus.dedup import merge_events
    from communique.corpus.exports import document_contract
    from communique.corpus.store.base import now

    with store.transaction():
        record = document_contract(store, document_id)
        if record is None:
            raise InputError(f"no stored document {document_id!r}")
        span = _sentence(record, sentence)
        if not actor:
            raise InputError("an added event needs an actor (--actor)")
        changes = _changes(record, type, actor, recipient, status)
        t_start = t_end = None
        if trigger:
            text = record["document"]["text"]
            at = text.find(trigger, span["start"], span["end"])
            if at < 0:
                raise InputError(f"trigger {trigger!r} is not in sentence {sentence}")
            t_start, t_end = at, at + len(trigger)
        new_id = _insert(
            store,
            {
                "document_id": document_id,
                "event_id": None,
                "action": "add",
                "sentence": sentence,
                "trigger_start": t_start,
                "trigger_end": t_end,
                "original_type": None,
                "changes": json.dumps(changes),
                "original": None,
                "corrected_by": by or current_user(),
                "corrected_at": now(),
                "note": note,
            },
        )
        rebuild(store, document_id)
    merge_events(store)
    made = correction(store, new_id)
    assert made is not None
    return made


def machine_record(store: Store, document_id: str) -> dict[str, Any]:
    """The stored analysis of a document as the machine made it: corrected events put back as they were, added
    ones left out."""
    from communique.corpus.exports import document_contract

    record = document_contract(store, document_id)
    if record is None:
        raise InputError(f"no stored document {document_id!r}")
    marked = dict(
        store.query(
            "SELECT idx, correction_id FROM events WHERE document_id = ? AND correction_id IS NOT NULL",
            (document_id,),
        )
    )
    if not marked:
        return record
    by_id = {c.id: c for c in corrections(store, document_id)}
    events = []
    for i, event in enumerate(record["events"]):
        if i in marked:
            made = by_id.get(int(marked[i]))
            root = by_id.get(made.root_id) if made else None
            if root is None or root.original is None:
                continue  # added by an analyst: not the machine's
            event = root.original
        events.append(event)
    record["events"] = events
    return record


def rebuild(store: Store, document_id: str) -> None:
    """Write a stored document's rows again from the machine's analysis and every correction of it (call
    :func:`~communique.corpus.dedup.merge_events` afterwards)."""
    from communique.corpus.store import AnalysedDocument

    row = store.stored_document(document_id)
    if row is None:
        raise InputError(f"no stored document {document_id!r}")
    analyzer = store.query("SELECT analyzer FROM documents WHERE id = ?", (document_id,))[0][0]
    with store.transaction():
        store.replace_document(
            AnalysedDocument(machine_record(store, document_id), row["external_id"], row["origin"]), []
        )
        # The machine's rows are still the old analyzer's: a re-analysis must not take them for its own.
        store.execute("UPDATE documents SET analyzer = ? WHERE id = ?", (analyzer, document_id))


def corrected_event_ids(store: Store, event_ids: Sequence[str]) -> set[str]:
    """Which of these events carry an analyst's correction."""
    found: set[str] = set()
    ids = list(event_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        found.update(
            r[0]
            for r in store.query(
                f"SELECT id FROM events WHERE correction_id IS NOT NULL AND id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        )
    return found


# -- corrections as training labels -----------------------------------------------------------------------------


def annotation_lines(store: Store) -> list[dict[str, Any]]:
    """The corrected sentences in the committed format of the event annotation corpus (docs/annotation.md),
    written form: the sentence's text inline, every span an offset into it.

    One line per sentence with a correction, listing the events the store now holds for it (corrected, added and
    the machine's others an analyst left standing; rejected ones are left out, so the sentence teaches that
    they are not there). A participant's span is its mention in the sentence (an actor named only elsewhere in
    the article is left out of the label: a label's spans are in its sentence). The split is the annotation
    corpus's split of the article (training/sample.py), so a correction of a test article stays in test.
    """
    from communique.corpus.exports import document_contract
    from communique.training.sample import split_of

    sentences: dict[tuple[str, int], list[Correction]] = {}
    for c in corrections(store):
        placed = store.query("SELECT sentence FROM events WHERE correction_id = ?", (c.id,))
        sentence = placed[0][0] if placed else c.sentence
        if sentence is not None:
            sentences.setdefault((c.document_id, int(sentence)), []).append(c)
    lines: list[dict[str, Any]] = []
    records: dict[str, dict[str, Any] | None] = {}
    for (doc_id, index), made in sorted(sentences.items()):
        if doc_id not in records:
            records[doc_id] = document_contract(store, doc_id)
        record = records[doc_id]
        if record is None:
            continue
        external = store.query("SELECT external_id FROM documents WHERE id = ?", (doc_id,))[0][0]
        span = _sentence(record, index)
        start, end = span["start"], span["end"]
        text = record["document"]["text"][start:end]
        events = [
            _label(e, text, start)
            for e in record["events"]
            if e.get("sentence") == index and e.get("status") in STATUSES
        ]
        lines.append(
            {
                "sid": f"correction-{doc_id}-{index}",
                "doc": external or doc_id,
                "start": 0,
                "end": len(text),
                "split": split_of(external or doc_id),
                "kind": span.get("kind"),
                "annotator": "corrections:" + ",".join(sorted({c.corrected_by for c in made})),
                "text": text,
                "published": record["document"].get("published"),
                "events": events,
            }
        )
    return lines


def _label(event: dict[str, Any], sentence: str, offset: int) -> dict[str, Any]:
    trigger = event.get("trigger") or {}
    span = None
    if (
        trigger.get("start") is not None
        and offset <= trigger["start"]
        and trigger["end"] - offset <= len(sentence)
    ):
        span = [trigger["start"] - offset, trigger["end"] - offset]

    def mentions(role: str) -> list[dict[str, Any]]:
        found = []
        for p in event.get(role) or []:
            at = sentence.find(p.get("text") or "\0")
            if p.get("text") and at >= 0:
                found.append(
                    {"span": [at, at + len(p["text"])], "code": p.get("code"), "sector": p.get("sector")}
                )
        return found

    return {
        "type": event["type"],
        "mode": event.get("mode"),
        "status": event["status"],
        "trigger": span,
        "actor": mentions("actor"),
        "recipient": mentions("recipient"),
    }


def write_annotations(store: Store, path: str | os.PathLike[str]) -> int:
    """Write :func:`annotation_lines` to ``path`` (JSONL); return the number of sentences."""
    lines = annotation_lines(store)
    with open(path, "w", encoding="utf-8") as sink:
        for line in lines:
            sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)


def correction_records(store: Store, document_id: str | None = None) -> list[dict[str, Any]]:
    """:func:`corrections` as plain data, each with ``current_event``: the event that carries it now (the
    latest correction of an event is the one its row names; an earlier one is carried by the same event)."""
    import dataclasses

    found = corrections(store, document_id)
    carried: dict[int, str] = {}
    for event_id, correction_id in store.query(
        "SELECT id, correction_id FROM events WHERE correction_id IS NOT NULL"
        + (" AND document_id = ?" if document_id else ""),
        (document_id,) if document_id else (),
    ):
        carried[int(correction_id)] = event_id
    by_root = {c.root_id: carried[c.id] for c in found if c.id in carried}
    return [dict(dataclasses.asdict(c), current_event=by_root.get(c.root_id)) for c in found]
