"""The :class:`Store` interface: the one seam between communique and a database.

Two real implementations share this schema (``migrations/<dialect>/NNNN_*.sql``):
:class:`~communique.store.sqlite.SQLiteStore` (WAL, FTS5; the default ``./communique.db``) and
:class:`~communique.store.postgres.PostgresStore` (psycopg 3, tsvector + GIN). Everything dialect-neutral lives
here: how an analysed document becomes rows, the batched exactly-once write, search filters, counts. An
implementation supplies the connection, the transaction, placeholders, date bucketing and full-text matching.

Exactly once: every row's primary key is derived from the document's content id, every insert is
``ON CONFLICT DO NOTHING``, and one batch (whole documents only) is one transaction, so a batch is either all in
the database or not at all, and writing it twice adds nothing.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ..errors import StoreError

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

COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "id", "external_id", "title", "published", "url", "author", "source", "genre", "language", "text",
        "origin", "signature", "run_id",
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
    "stance": ("document_id", "actor_id", "code", "score", "sentences"),
    "event_sources": (
        "event_id", "actor", "recipient", "document_id", "outlet", "type", "quad_class", "event_date", "score",
        "cluster_id",
    ),
    "event_clusters": (
        "id", "type", "quad_class", "actor", "recipient", "event_date", "last_date", "score", "reports",
        "documents", "sources",
    ),
}

# The columns of each table that depend only on the input, not on which run wrote the row.
COLUMNS_WITHOUT_RUN: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in columns if c != "run_id") for table, columns in COLUMNS.items()
}

# Statuses whose events count in the relations analytics (docs/corpus.md, "Which events count").
COUNTED_STATUSES = frozenset({"realized", "historical"})
PERIODS = ("day", "week", "month", "year")


@cache
def quad_classes() -> dict[str, str]:
    """PLOVER event type -> quad class (verbal/material cooperation/conflict), from the packaged data file."""
    text = (resources.files("communique") / "data" / "corpus" / "quad_classes.yaml").read_text("utf-8")
    return {str(k): str(v) for k, v in yaml.safe_load(text).items()}


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


@dataclass
class SearchFilters:
    """Restrictions on a search; every field is optional."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    event_type: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    genre: str | None = None


@dataclass
class SearchHit:
    kind: str  # article | quote
    document_id: str
    title: str | None
    published: str | None
    source: str | None
    genre: str | None
    snippet: str
    rank: float
    speaker: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def document_rows(item: AnalysedDocument, run_id: int | None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one analysed document contributes, by table, in the column order of :data:`COLUMNS`."""
    record = item.record
    doc = record["document"]
    doc_id = doc["id"]
    published = doc.get("published")
    rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
    rows["documents"].append(
        (
            doc_id, item.external_id, doc.get("title"), published, doc.get("url"), doc.get("author"),
            doc.get("source"), doc.get("genre"), doc.get("language"), doc["text"], item.origin, item.signature,
            run_id,
        )
    )
    for s in record.get("sentences", []):
        rows["sentences"].append(
            (doc_id, s["index"], s["start"], s["end"], s.get("kind") or "report", json.dumps(s.get("cues", [])))
        )
    actors: dict[str, dict[str, Any]] = {}
    for a in record.get("actors", []):
        actors[a["id"]] = a
        rows["actors"].append(
            (
                doc_id, a["id"], a["name"], a.get("type"), a.get("code"), a.get("sector"), a.get("role"),
                a.get("kb_id"), party_of(a.get("code"), a.get("name"), a.get("kb_id")),
            )
        )
        for i, m in enumerate(a.get("mentions", [])):
            rows["mentions"].append(
                (doc_id, a["id"], i, m["text"], m["start"], m["end"], m.get("sentence"), m.get("kind"))
            )
    for i, d in enumerate(record.get("dates", [])):
        rows["dates"].append(
            (doc_id, i, d["text"], d["start"], d["end"], d.get("value"), d.get("granularity"), d.get("sentence"))
        )
    quads = quad_classes()
    for i, e in enumerate(record.get("events", [])):
        event_id = f"{doc_id}:{i}"
        date = e.get("date") or {}
        event_date = counted_date(e.get("status"), date.get("value"), published)
        location = e.get("location") or {}
        trigger = e.get("trigger") or {}
        quad = quads.get(e["type"])
        rows["events"].append(
            (
                event_id, doc_id, i, e["type"], e.get("mode"), json.dumps(e.get("context", [])), quad,
                e.get("status"), e.get("attribution"), e.get("score"), e.get("confidence"), e.get("sentence"),
                date.get("text"), date.get("value"), date.get("granularity"), event_date, location.get("text"),
                location.get("code"), trigger.get("text"), trigger.get("start"), trigger.get("end"),
            )
        )
        parties: dict[str, list[str]] = {"actor": [], "recipient": []}
        for role in ("actor", "recipient"):
            for j, p in enumerate(e.get(role, [])):
                actor = actors.get(p.get("actor_id") or "", {})
                party = party_of(p.get("code"), actor.get("name"), actor.get("kb_id"))
                rows["event_participants"].append(
                    (event_id, role, j, p.get("actor_id"), p.get("code"), p.get("sector"), p.get("text"), party)
                )
                if party and party not in parties[role]:
                    parties[role].append(party)
        spans = [e.get("evidence")] + list(e.get("other_evidence") or [])
        for j, span in enumerate(s for s in spans if s):
            rows["event_evidence"].append((event_id, j, span["text"], span["start"], span["end"]))
        if event_date and quad and e.get("score") is not None and e.get("status") in COUNTED_STATUSES:
            for source, target in dyads(parties["actor"], parties["recipient"]):
                rows["event_sources"].append(
                    (
                        event_id, source, target, doc_id, doc.get("source"), e["type"], quad, event_date,
                        float(e["score"]), None,
                    )
                )
    for i, q in enumerate(record.get("quotes", [])):
        speaker = q.get("speaker") or {}
        cue = q.get("cue") or {}
        content = q.get("content") or {}
        rows["quotes"].append(
            (
                doc_id, i, q.get("kind"), speaker.get("text"), speaker.get("actor_id"), speaker.get("name"),
                speaker.get("code"), cue.get("text"), cue.get("start"), cue.get("end"), content.get("text") or "",
                content.get("start"), content.get("end"), q.get("sentence"),
            )
        )
    for i, r in enumerate(record.get("rhetoric", [])):
        rows["rhetoric"].append(
            (doc_id, i, r["technique"], r["text"], r["start"], r["end"], r.get("sentence"), r.get("cue"))
        )
    for s in record.get("stance", []):
        rows["stance"].append(
            (doc_id, s["actor_id"], s.get("code"), s["score"], json.dumps(s.get("sentences", [])))
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
    """The day an event is counted on: its own day-precise date, else (if it is current) the publication date.

    A historical event without a day-precise date is not counted: the publication date would misplace it.
    """
    if value and len(value) == 10:
        return value
    if status == "historical":
        return None
    return published


def link_row(link: DocumentLink, run_id: int | None) -> tuple[Any, ...]:
    return (
        link.document_id, link.copy_key, link.kind, round(link.similarity, 4), link.external_id, link.url,
        link.source, link.title, link.published, run_id,
    )


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(ABC):
    """A communique corpus database. Open one with :func:`communique.store.open_store`."""

    dialect: str = ""
    url: str = ""
    # The placeholder the driver wants; SQL in this package is written with "?" and translated.
    placeholder: str = "?"

    # -- connection and dialect (each implementation) -----------------------------------------------------
    @abstractmethod
    def migrate(self) -> int:
        """Apply every migration not applied yet; return the schema version."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """A context manager: everything executed inside commits together or not at all."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders) and return the cursor."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def period(self, column: str, by: str) -> str:
        """SQL for the period label of an ISO date column: day 'YYYY-MM-DD', week (Monday), month 'YYYY-MM', year."""
        if by == "day":
            return column
        if by == "week":
            return self.week_start(column)
        if by == "month":
            return f"substr({column}, 1, 7)"
        if by == "year":
            return f"substr({column}, 1, 4)"
        raise StoreError(f"unknown period {by!r}; use day, week, month or year")

    @abstractmethod
    def week_start(self, column: str) -> str:
        """SQL for the Monday on or before an ISO date column, as 'YYYY-MM-DD' (the dialects differ here)."""

    @abstractmethod
    def group_concat(self, expression: str) -> str:
        """SQL aggregating the distinct values of ``expression`` into one comma-separated string."""

    @abstractmethod
    def size_bytes(self) -> int:
        """The database's size on disk."""

    @abstractmethod
    def _search_articles(
        self, query: str, where: list[str], params: list[Any], limit: int
    ) -> list[SearchHit]: ...

    @abstractmethod
    def _search_quotes(self, query: str, where: list[str], params: list[Any], limit: int) -> list[SearchHit]: ...

    # -- shared behaviour -----------------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query and return every row as a tuple."""
        return [tuple(row) for row in self.execute(sql, params).fetchall()]

    def start_run(self, sources: Sequence[str], settings: dict[str, Any]) -> int:
        """Record the start of an ingestion run; return its id."""
        with self.transaction():
            cursor = self.execute(
                "INSERT INTO runs (started_at, status, sources, settings) VALUES (?, 'running', ?, ?) RETURNING id",
                (now(), json.dumps(list(sources)), json.dumps(settings, default=str)),
            )
            return int(cursor.fetchone()[0])

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.transaction():
            self.execute(
                "UPDATE runs SET finished_at = ?, status = ?, documents_added = ?, documents_linked = ?, "
                "documents_skipped = ?, errors = ? WHERE id = ?",
                (
                    now(), status, counts.get("added", 0), counts.get("linked", 0), counts.get("skipped", 0),
                    counts.get("errors", 0), run_id,
                ),
            )

    def runs(self) -> list[dict[str, Any]]:
        cursor = self.execute("SELECT * FROM runs ORDER BY id")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def run_errors(self, run_id: int | None = None) -> list[tuple[Any, ...]]:
        if run_id is None:
            return self.query("SELECT run_id, origin, document_id, error FROM run_errors ORDER BY run_id")
        return self.query("SELECT run_id, origin, document_id, error FROM run_errors WHERE run_id = ?", (run_id,))

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these content ids (or copy keys) are already stored as a document or as a link."""
        keys = list(dict.fromkeys(keys))
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(r[0] for r in self.query(f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
            found.update(
                r[0] for r in self.query(f"SELECT copy_key FROM document_links WHERE copy_key IN ({marks})", chunk)
            )
        return found

    def document_identity(self, document_id: str) -> tuple[str | None, str | None] | None:
        """The stored (external id, url) of a document, or None when it is not stored."""
        rows = self.query("SELECT external_id, url FROM documents WHERE id = ?", (document_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(document id, MinHash signature) of every stored document, for the near-duplicate index."""
        for doc_id, signature in self.execute(
            "SELECT id, signature FROM documents WHERE signature IS NOT NULL ORDER BY id"
        ).fetchall():
            yield doc_id, bytes(signature)

    def write_batch(self, run_id: int | None, items: Sequence[Writable]) -> dict[str, int]:
        """Write whole documents, links and errors in one transaction; return what was added.

        A document already stored is left as it is (its rows are keyed by its content id), so writing a batch
        again, or after a crash, adds nothing.
        """
        tables: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        errors: list[tuple[Any, ...]] = []
        counts = {"added": 0, "linked": 0, "errors": 0}
        for item in items:
            if isinstance(item, AnalysedDocument):
                for table, rows in document_rows(item, run_id).items():
                    tables[table].extend(rows)
                counts["added"] += 1
            elif isinstance(item, DocumentLink):
                tables["document_links"].append(link_row(item, run_id))
                counts["linked"] += 1
            else:
                errors.append((run_id, item.origin, item.document_id, item.error))
                counts["errors"] += 1
        with self.transaction():
            present = self.known_keys(
                [i.record["document"]["id"] for i in items if isinstance(i, AnalysedDocument)]
            )
            if present:  # stored by an earlier run that was interrupted after its commit: keep those rows
                tables = _without_documents(tables, present)
                counts["added"] -= len(present)
            for table, rows in tables.items():
                if rows:
                    self.executemany(insert_sql(table), rows)
            if errors:
                self.executemany(
                    "INSERT INTO run_errors (run_id, origin, document_id, error) VALUES (?, ?, ?, ?)", errors
                )
        return counts

    def feed_state(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified a feed answered with last time (None, None if never fetched)."""
        rows = self.query("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,))
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    def set_feed_state(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.transaction():
            self.execute(
                "INSERT INTO feeds (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
                "checked_at = excluded.checked_at",
                (url, etag, last_modified, now()),
            )

    def counts(self, tables: Sequence[str] = CONTENT_TABLES) -> dict[str, int]:
        """Row count of each table."""
        return {t: int(self.query(f"SELECT count(*) FROM {t}")[0][0]) for t in tables}

    def search(self, query: str, filters: SearchFilters | None = None, limit: int = 20, quotes: bool = True
               ) -> list[SearchHit]:
        """Full-text search over articles (title and text) and, if ``quotes``, over quotations, best first."""
        filters = filters or SearchFilters()
        where, params = document_filters(filters, "d")
        hits = self._search_articles(query, list(where), list(params), limit)
        if quotes:
            qwhere, qparams = document_filters(SearchFilters(**{**filters.__dict__, "actor": None}), "d")
            if filters.actor:
                qwhere.append("(q.speaker_code = ? OR q.speaker_name = ?)")
                qparams += [filters.actor, filters.actor]
            hits += self._search_quotes(query, qwhere, qparams, limit)
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]


def insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        "ON CONFLICT DO NOTHING"
    )


def _without_documents(
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


def document_filters(filters: SearchFilters, alias: str) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if filters.actor:
        where.append(
            f"EXISTS (SELECT 1 FROM actors a WHERE a.document_id = {alias}.id AND (a.party = ? OR a.code = ?))"
        )
        params += [filters.actor, filters.actor]
    if filters.dyad:
        where.append(
            f"EXISTS (SELECT 1 FROM event_sources es WHERE es.document_id = {alias}.id "
            "AND es.actor = ? AND es.recipient = ?)"
        )
        params += list(filters.dyad)
    if filters.event_type:
        where.append(f"EXISTS (SELECT 1 FROM events e WHERE e.document_id = {alias}.id AND e.type = ?)")
        params.append(filters.event_type.upper())
    if filters.since:
        where.append(f"{alias}.published >= ?")
        params.append(filters.since)
    if filters.until:
        where.append(f"{alias}.published <= ?")
        params.append(filters.until)
    if filters.source:
        where.append(f"lower({alias}.source) = lower(?)")
        params.append(filters.source)
    if filters.genre:
        where.append(f"{alias}.genre = ?")
        params.append(filters.genre)
    return where, params
