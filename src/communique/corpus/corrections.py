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

import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from communique.corpus.store.corrected import (
    ACTIONS,
    ANALYST_CONFIDENCE,
    REJECTED,
    STATUSES,
    Correction,
    check_party,
    corrected_record,
    correction,
    corrections,
    current_user,
    sentence_of,
)
from communique.errors import InputError

if TYPE_CHECKING:
    from communique.corpus.store import Store

__all__ = [
    "ACTIONS",
    "ANALYST_CONFIDENCE",
    "Correction",
    "REJECTED",
    "STATUSES",
    "add_event",
    "annotation_lines",
    "check_party",
    "correct_event",
    "corrected_event_ids",
    "corrected_record",
    "correction",
    "correction_records",
    "corrections",
    "current_user",
    "machine_record",
    "rebuild",
    "sentence_of",
    "write_annotations",
]


def _changes(
    record: dict[str, Any],
    type: str | None,
    actor: Sequence[str] | None,
    recipient: Sequence[str] | None,
    status: str | None,
) -> dict[str, Any]:
    from communique.vocabulary import PLOVER_TYPES

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
            changes[role] = [check_party(record, p) for p in parties]
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
    from communique.corpus.clock import now
    from communique.corpus.dedup import merge_events
    from communique.corpus.exports import document_contract

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
    from communique.corpus.clock import now
    from communique.corpus.dedup import merge_events
    from communique.corpus.exports import document_contract

    with store.transaction():
        record = document_contract(store, document_id)
        if record is None:
            raise InputError(f"no stored document {document_id!r}")
        span = sentence_of(record, sentence)
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
    from communique.corpus.store.rows import AnalysedDocument

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
        span = sentence_of(record, index)
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
