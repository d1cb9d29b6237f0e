"""What the store writes: its tables, their columns, and the rows an analysed document becomes.

Dialect-neutral: both :class:`~communique.corpus.store.sqlite.SQLiteStore` and
:class:`~communique.corpus.store.postgres.PostgresStore` write exactly these rows (``?`` placeholders; each store
translates them to its driver's style), which is why their contents compare equal row for row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from communique.vocabulary import QUAD_CLASSES

# Content tables: identical rows after any sequence of interrupted and resumed ingests of the same input.
CONTENT_TABLES: tuple[str, ...] = (
    "documents",
    "document_links",
    "sentences",
    "actors",
    "mentions",
    "dates",
    "events",
    "event_participants",
    "event_evidence",
    "quotes",
    "rhetoric",
    "stance",
    "event_sources",
    "event_clusters",
)
# Log tables: one row per run / failure / feed; they record history, so they grow with every run.
LOG_TABLES: tuple[str, ...] = ("runs", "run_errors", "feeds")

# Kept compact (no formatter): each table's columns read as a short paragraph, as in the schema.
# fmt: off
COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "id", "external_id", "title", "published", "url", "author", "source", "genre", "language", "text",
        "origin", "signature", "run_id", "analyzer", "bias",
    ),
    "document_links": (
        "document_id", "copy_key", "kind", "similarity", "external_id", "url", "source", "title", "published",
        "run_id",
    ),
    "sentences": ("document_id", "idx", "char_start", "char_end", "kind", "cues"),
    "actors": ("document_id", "actor_id", "name", "type", "code", "sector", "role", "kb_id", "party"),
    "mentions": ("document_id", "actor_id", "idx", "text", "char_start", "char_end", "sentence", "kind"),
    "dates": ("document_id", "idx", "text", "char_start", "char_end", "value", "granularity", "sentence"),
    "events": (
        "id", "document_id", "idx", "type", "mode", "context", "quad_class", "status", "attribution", "score",
        "confidence", "sentence", "date_text", "date_value", "date_granularity", "event_date", "location_text",
        "location_code", "trigger_text", "trigger_start", "trigger_end",
    ),
    "event_participants": ("event_id", "role", "idx", "actor_id", "code", "sector", "text", "party"),
    "event_evidence": ("event_id", "idx", "text", "char_start", "char_end"),
    "quotes": (
        "document_id", "idx", "kind", "speaker_text", "speaker_actor_id", "speaker_name", "speaker_code",
        "cue_text", "cue_start", "cue_end", "content_text", "content_start", "content_end", "sentence",
    ),
    "rhetoric": ("document_id", "idx", "technique", "text", "char_start", "char_end", "sentence", "cue"),
    "stance": ("document_id", "actor_id", "code", "score", "sentences", "party"),
    "event_sources": (
        "event_id", "actor", "recipient", "document_id", "outlet", "type", "quad_class", "event_date", "score",
        "cluster_id",
    ),
    "event_clusters": (
        "id", "type", "quad_class", "actor", "recipient", "event_date", "last_date", "score", "reports",
        "documents", "sources",
    ),
}
# fmt: on

# The columns of each table that depend only on the input, not on which run wrote the row.
COLUMNS_WITHOUT_RUN: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in columns if c != "run_id") for table, columns in COLUMNS.items()
}

# Statuses whose events count in the relations analytics (docs/corpus.md, "Which events count").
COUNTED_STATUSES = frozenset({"realized", "historical"})


def party_of(code: str | None, name: str | None, kb_id: str | None = None) -> str | None:
    """The key analytics group an actor under: its state's code; for an IGO or a stateless actor, its name."""
    if code and code != "IGO":
        return code
    return name or kb_id or None


@dataclass
class AnalysedDocument:
    """A document and its analysis (the contract dict, with text), ready to be written."""

    record: dict[str, Any]
    external_id: str | None = None
    origin: str | None = None
    signature: bytes | None = None


@dataclass
class DocumentLink:
    """A copy of a stored document: the same text again under another id, or a near duplicate."""

    document_id: str
    copy_key: str
    kind: str  # exact | near
    similarity: float
    external_id: str | None = None
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None


@dataclass
class DocumentError:
    """A document that could not be read or analysed in a run."""

    origin: str
    document_id: str | None
    error: str


Writable = AnalysedDocument | DocumentLink | DocumentError


def document_rows(item: AnalysedDocument, run_id: int | None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one analysed document contributes, by table, in the column order of :data:`COLUMNS`.

    An event counts in the analytics (``event_sources``) when its status is counted, it has a date and a score,
    and its confidence reaches :func:`~communique.stages.events.model.counting_threshold`; every event is stored."""
    from communique.corpus.provenance import analyzer_version
    from communique.stages.events.model import counting_threshold

    min_confidence = counting_threshold()
    record = item.record
    doc = record["document"]
    doc_id = doc["id"]
    published = doc.get("published")
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
    rows["documents"].append(
        (
            doc_id,
            item.external_id,
            doc.get("title"),
            published,
            doc.get("url"),
            doc.get("author"),
            doc.get("source"),
            doc.get("genre"),
            doc.get("language"),
            doc["text"],
            item.origin,
            item.signature,
            run_id,
            analyzer_version(),
            doc.get("bias"),
        )
    )
    for s in record.get("sentences", []):
        rows["sentences"].append(
            (
                doc_id,
                s["index"],
                s["start"],
                s["end"],
                s.get("kind") or "report",
                json.dumps(s.get("cues", [])),
            )
        )
    actors: dict[str, dict[str, Any]] = {}
    for a in record.get("actors", []):
        actors[a["id"]] = a
        rows["actors"].append(
            (
                doc_id,
                a["id"],
                a["name"],
                a.get("type"),
                a.get("code"),
                a.get("sector"),
                a.get("role"),
                a.get("kb_id"),
                party_of(a.get("code"), a.get("name"), a.get("kb_id")),
            )
        )
        for i, m in enumerate(a.get("mentions", [])):
            rows["mentions"].append(
                (doc_id, a["id"], i, m["text"], m["start"], m["end"], m.get("sentence"), m.get("kind"))
            )
    for i, d in enumerate(record.get("dates", [])):
        rows["dates"].append(
            (
                doc_id,
                i,
                d["text"],
                d["start"],
                d["end"],
                d.get("value"),
                d.get("granularity"),
                d.get("sentence"),
            )
        )
    quads = QUAD_CLASSES
    for i, e in enumerate(record.get("events", [])):
        event_id = f"{doc_id}:{i}"
        date = e.get("date") or {}
        event_date = counted_date(e.get("status"), date.get("value"), published)
        location = e.get("location") or {}
        trigger = e.get("trigger") or {}
        quad = quads.get(e["type"])
        rows["events"].append(
            (
                event_id,
                doc_id,
                i,
                e["type"],
                e.get("mode"),
                json.dumps(e.get("context", [])),
                quad,
                e.get("status"),
                e.get("attribution"),
                e.get("score"),
                e.get("confidence"),
                e.get("sentence"),
                date.get("text"),
                date.get("value"),
                date.get("granularity"),
                event_date,
                location.get("text"),
                location.get("code"),
                trigger.get("text"),
                trigger.get("start"),
                trigger.get("end"),
            )
        )
        parties: dict[str, list[str]] = {"actor": [], "recipient": []}
        for role in ("actor", "recipient"):
            for j, p in enumerate(e.get(role, [])):
                actor = actors.get(p.get("actor_id") or "", {})
                party = party_of(p.get("code"), actor.get("name"), actor.get("kb_id"))
                rows["event_participants"].append(
                    (
                        event_id,
                        role,
                        j,
                        p.get("actor_id"),
                        p.get("code"),
                        p.get("sector"),
                        p.get("text"),
                        party,
                    )
                )
                if party and party not in parties[role]:
                    parties[role].append(party)
        spans = [e.get("evidence")] + list(e.get("other_evidence") or [])
        for j, span in enumerate(s for s in spans if s):
            rows["event_evidence"].append((event_id, j, span["text"], span["start"], span["end"]))
        if (
            event_date
            and quad
            and e.get("score") is not None
            and e.get("status") in COUNTED_STATUSES
            and (e.get("confidence") is None or e["confidence"] >= min_confidence)
        ):
            for source, target in dyads(parties["actor"], parties["recipient"]):
                rows["event_sources"].append(
                    (
                        event_id,
                        source,
                        target,
                        doc_id,
                        doc.get("source"),
                        e["type"],
                        quad,
                        event_date,
                        float(e["score"]),
                        None,
                    )
                )
    for i, q in enumerate(record.get("quotes", [])):
        speaker = q.get("speaker") or {}
        cue = q.get("cue") or {}
        content = q.get("content") or {}
        rows["quotes"].append(
            (
                doc_id,
                i,
                q.get("kind"),
                speaker.get("text"),
                speaker.get("actor_id"),
                speaker.get("name"),
                speaker.get("code"),
                cue.get("text"),
                cue.get("start"),
                cue.get("end"),
                content.get("text") or "",
                content.get("start"),
                content.get("end"),
                q.get("sentence"),
            )
        )
    for i, r in enumerate(record.get("rhetoric", [])):
        rows["rhetoric"].append(
            (doc_id, i, r["technique"], r["text"], r["start"], r["end"], r.get("sentence"), r.get("cue"))
        )
    for s in record.get("stance", []):
        actor = actors.get(s["actor_id"], {})
        party = party_of(s.get("code"), actor.get("name"), actor.get("kb_id"))
        rows["stance"].append(
            (doc_id, s["actor_id"], s.get("code"), s["score"], json.dumps(s.get("sentences", [])), party)
        )
    return rows


def dyads(actors: list[str], recipients: list[str]) -> list[tuple[str, str]]:
    """The directed (actor, recipient) pairs an event stands for.

    With recipients: every actor toward every recipient. Without: PLOVER codes a reciprocal event (a meeting,
    an agreement between several parties) as all parties in ``actor`` and no recipient, so every ordered pair of
    distinct actors. Pairs of a party with itself are dropped.
    """
    if recipients:
        return [(a, r) for a in actors for r in recipients if a != r]
    return [(a, b) for a in actors for b in actors if a != b]


def counted_date(status: str | None, value: str | None, published: str | None) -> str | None:
    """The day an event is counted on.

    * its own day-precise date;
    * a month-precise date in another month than the publication ("in June 2021", "six months ago"): the first
      day of that month, so that series by month or year place it where it happened (by day or week it shows
      on the 1st);
    * otherwise, if it is current (realized), the publication date;
    * a historical event with neither is not counted: the publication date would misplace it.
    """
    if value and len(value) == 10:
        return value
    if value and len(value) == 7 and value != (published or "")[:7]:
        return f"{value}-01"
    if status == "historical":
        return None
    return published


def link_row(link: DocumentLink, run_id: int | None) -> tuple[Any, ...]:
    """The ``document_links`` row of a copy, in the column order of :data:`COLUMNS`."""
    return (
        link.document_id,
        link.copy_key,
        link.kind,
        round(link.similarity, 4),
        link.external_id,
        link.url,
        link.source,
        link.title,
        link.published,
        run_id,
    )


def insert_sql(table: str) -> str:
    """The insert of one row of ``table`` that leaves a row already there (same key) as it is."""
    columns = COLUMNS[table]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        "ON CONFLICT DO NOTHING"
    )


def without_documents(
    tables: dict[str, list[tuple[Any, ...]]], present: set[str]
) -> dict[str, list[tuple[Any, ...]]]:
    """Drop the rows of documents already stored; event rows are keyed '<document id>:<n>'."""
    kept: dict[str, list[tuple[Any, ...]]] = {}
    for table, rows in tables.items():
        if table in ("documents",):
            kept[table] = [r for r in rows if r[0] not in present]
        elif table in ("event_participants", "event_evidence"):
            kept[table] = [r for r in rows if r[0].rsplit(":", 1)[0] not in present]
        elif table == "events":
            kept[table] = [r for r in rows if r[1] not in present]
        elif table == "event_sources":
            kept[table] = [r for r in rows if r[3] not in present]
        elif table in ("document_links", "event_clusters"):
            kept[table] = rows
        else:
            kept[table] = [r for r in rows if r[0] not in present]
    return kept
