"""The :class:`Store` interface: the one seam between communique and a database.

Two real implementations share this schema (``migrations/NNNN_*.sql``, with each dialect's column types and
full-text search from ``migrations/<dialect>/NNNN_*.sql``):
:class:`~communique.corpus.store.sqlite.SQLiteStore` (WAL, FTS5; the default ``./communique.db``) and
:class:`~communique.corpus.store.postgres.PostgresStore` (psycopg 3, tsvector + GIN). Everything dialect-neutral lives
here: the batched exactly-once write of the rows :mod:`~communique.corpus.store.rows` makes, search filters, counts. An
implementation supplies the connection, its transactions, its placeholder style, column types, date bucketing
and full-text search.

Exactly once: every row's primary key is derived from the document's content id, every insert is
``ON CONFLICT DO NOTHING``, and one batch (whole documents only) is one transaction, so a batch is either all in
the database or not at all, and writing it twice adds nothing.
"""

from __future__ import annotations

import json
import os
import re
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from communique.corpus.clock import now
from communique.corpus.store.rows import (
    COLUMNS,
    CONTENT_TABLES,
    AnalysedDocument,
    DocumentLink,
    Writable,
    document_rows,
    insert_sql,
    link_row,
    without_documents,
)
from communique.errors import StoreError

PERIODS = ("day", "week", "month", "year")


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


@dataclass(frozen=True)
class Migration:
    """One numbered schema change, as one dialect runs it."""

    number: int
    name: str  # the file name, recorded in schema_migrations
    sql: str


# A column type the shared migrations leave to the dialect, e.g. {float}.
_COLUMN_TYPE = re.compile(r"\{(\w+)\}")


def this_process() -> str:
    """This process as ``host:pid:start`` (see :func:`process_alive`)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or ''}"


def process_alive(process: str) -> bool:
    """Whether the process a run recorded (``host:pid:start``) still runs; one on another host is assumed to."""
    parts = process.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return True  # another machine's run (or a form not known here): nothing tells it is gone
    pid, started = int(parts[1]), parts[2]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        pass
    # The pid may have been given to a new process since: then the start times differ.
    return not started or _start_ticks(pid) in (None, started)


def _start_ticks(pid: int) -> str | None:
    """The process's start time (clock ticks after boot, /proc/PID/stat field 22), or None off Linux."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # fields after "(command)" start at field 3


class Store(ABC):
    """A communique corpus database. Open one with :func:`communique.corpus.store.open_store`."""

    dialect: str = ""
    url: str = ""
    # How the dialect spells the column types the shared migrations leave open (see migrations/0001_initial.sql).
    column_types: ClassVar[dict[str, str]] = {}

    # -- connection and dialect (each implementation) -----------------------------------------------------
    @abstractmethod
    def migrate(self) -> int:
        """Apply every migration not applied yet; return the schema version."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def _database_transaction(self) -> AbstractContextManager[Any]:
        """One transaction of the database itself: it commits on leaving and rolls back on an exception."""

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
    def _article_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        """The dialect's full-text search over documents ``d``, or None when ``query`` has nothing to look for.

        Returns the SQL selecting (id, title, published, source, genre, snippet, rank) of the documents that
        match ``query`` and ``conditions`` (``" AND ..."``, appended to its WHERE), lowest rank (best) first,
        ending ``LIMIT ?``; and the parameters that come before those of ``conditions``.
        """

    @abstractmethod
    def _quote_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        """As :meth:`_article_search_sql`, over quotes ``q`` joined to their documents ``d``.

        The SQL selects (document id, title, published, source, genre, snippet, rank, speaker_text,
        speaker_code, quote idx).
        """

    # -- shared behaviour -----------------------------------------------------------------------------------
    def migrations(self) -> list[Migration]:
        """Every migration of this dialect, oldest first.

        Migration NNNN is the shared ``migrations/NNNN_*.sql`` with this dialect's :attr:`column_types` filled
        in, followed by the dialect's own ``migrations/<dialect>/NNNN_*.sql`` of the same name; either may be
        absent.
        """
        folder = resources.files("communique.corpus.store") / "migrations"
        shared = {f.name: f.read_text("utf-8") for f in folder.iterdir() if f.name.endswith(".sql")}
        own = {
            f.name: f.read_text("utf-8") for f in (folder / self.dialect).iterdir() if f.name.endswith(".sql")
        }
        return [
            Migration(
                int(name.split("_", 1)[0]),
                name,
                _COLUMN_TYPE.sub(lambda m: self.column_types[m.group(1)], shared.get(name, ""))
                + own.get(name, ""),
            )
            for name in sorted(shared.keys() | own.keys())
        ]

    # How many transaction() blocks are open; only the outermost one begins and ends a database transaction.
    _depth: int = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything executed inside commits together or not at all; a nested block joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            with self._database_transaction():
                yield
        finally:
            self._depth = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read-only query and return every row as a tuple."""
        return [tuple(row) for row in self.execute(sql, params).fetchall()]

    def start_run(self, sources: Sequence[str], settings: dict[str, Any]) -> int:
        """Record the start of an ingestion run by this process; return its id.

        Runs of this host whose process is gone (killed before they could finish) are marked ``interrupted``
        first.
        """
        self.mark_interrupted_runs()
        with self.transaction():
            from communique.corpus.provenance import analyzer_version

            cursor = self.execute(
                "INSERT INTO runs (started_at, status, sources, settings, process, analyzer) "
                "VALUES (?, 'running', ?, ?, ?, ?) RETURNING id",
                (
                    now(),
                    json.dumps(list(sources)),
                    json.dumps(settings, default=str),
                    this_process(),
                    analyzer_version(),
                ),
            )
            return int(cursor.fetchone()[0])

    def mark_interrupted_runs(self) -> list[int]:
        """Mark ``interrupted`` every run still ``running`` whose process on this host is gone; return their ids."""
        gone = [
            run_id
            for run_id, process in self.query("SELECT id, process FROM runs WHERE status = 'running'")
            if process and not process_alive(process)
        ]
        if gone:
            with self.transaction():
                for run_id in gone:
                    self.execute(
                        "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
                        (now(), run_id),
                    )
        return gone

    def running_runs(self, sources: Sequence[str]) -> list[int]:
        """The runs still ``running`` over exactly these sources (another process ingesting the same input)."""
        wanted = json.dumps(list(sources))
        return [
            int(run_id)
            for run_id, given in self.query(
                "SELECT id, sources FROM runs WHERE status = 'running' ORDER BY id"
            )
            if given == wanted
        ]

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.transaction():
            self.execute(
                "UPDATE runs SET finished_at = ?, status = ?, documents_added = ?, documents_linked = ?, "
                "documents_skipped = ?, errors = ? WHERE id = ?",
                (
                    now(),
                    status,
                    counts.get("added", 0),
                    counts.get("linked", 0),
                    counts.get("skipped", 0),
                    counts.get("errors", 0),
                    run_id,
                ),
            )

    def runs(self) -> list[dict[str, Any]]:
        cursor = self.execute("SELECT * FROM runs ORDER BY id")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def run_errors(self, run_id: int | None = None) -> list[tuple[Any, ...]]:
        if run_id is None:
            return self.query("SELECT run_id, origin, document_id, error FROM run_errors ORDER BY run_id")
        return self.query(
            "SELECT run_id, origin, document_id, error FROM run_errors WHERE run_id = ?", (run_id,)
        )

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these content ids (or copy keys) are already stored as a document or as a link."""
        keys = list(dict.fromkeys(keys))
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            found.update(r[0] for r in self.query(f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
            found.update(
                r[0]
                for r in self.query(f"SELECT copy_key FROM document_links WHERE copy_key IN ({marks})", chunk)
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
        """Write whole documents, links and errors in one transaction; return what was added (``added``,
        ``linked``, ``errors``) and how many analysed documents were found stored already (``stored_meanwhile``).

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
            # Stored since this run decided to analyse them: by an earlier run interrupted after its commit, or by
            # another run ingesting the same input right now. Their rows are kept; the caller is told how many.
            counts["stored_meanwhile"] = len(present)
            if present:
                tables = without_documents(tables, present)
                counts["added"] -= len(present)
            for table, rows in tables.items():
                if rows:
                    self.executemany(insert_sql(table), rows)
            if errors:
                self.executemany(
                    "INSERT INTO run_errors (run_id, origin, document_id, error) VALUES (?, ?, ?, ?)", errors
                )
        return counts

    def stored_document(self, document_id: str) -> dict[str, Any] | None:
        """The ``documents`` row of a document as a dict (without its signature), or None if not stored."""
        cursor = self.execute(
            "SELECT id, external_id, title, published, url, author, source, genre, language, text, origin, "
            "run_id, bias FROM documents WHERE id = ?",
            (document_id,),
        )
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
        return dict(zip(names, row, strict=True)) if row else None

    def replace_document(self, item: AnalysedDocument, edits: Sequence[tuple[str, Any, Any]]) -> None:
        """Replace every row of a stored document by those of its new analysis ``item``, in one transaction,
        and record ``edits`` as (field, old value, new value) in ``document_edits``.

        The document keeps its id, run, origin, external id and signature, and its links to copies. Its events
        leave their real-world events: the clusters of every (type, actor, recipient) it had or now has are
        marked for rebuilding (call :func:`communique.corpus.dedup.merge_events` afterwards).
        """
        doc_id = item.record["document"]["id"]
        with self.transaction():
            kept = self.query("SELECT run_id, signature FROM documents WHERE id = ?", (doc_id,))
            if not kept:
                raise StoreError(f"no stored document {doc_id}")
            run_id, signature = kept[0]
            keys = self.query(
                "SELECT DISTINCT type, actor, recipient FROM event_sources WHERE document_id = ?", (doc_id,)
            )
            events = "SELECT id FROM events WHERE document_id = ?"
            self.execute(f"DELETE FROM event_participants WHERE event_id IN ({events})", (doc_id,))
            self.execute(f"DELETE FROM event_evidence WHERE event_id IN ({events})", (doc_id,))
            for table in (
                "sentences",
                "actors",
                "mentions",
                "dates",
                "events",
                "quotes",
                "rhetoric",
                "stance",
            ):
                self.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
            self.execute("DELETE FROM event_sources WHERE document_id = ?", (doc_id,))
            # Deleted and inserted again rather than updated: SQLite's full-text index follows inserts and
            # deletes (its triggers), so the search finds the corrected title.
            self.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            # An analyst's corrections of the document hold in every new analysis of it (corpus/corrections.py).
            from communique.corpus.store.corrected import corrected_record, corrections

            record, corrected = corrected_record(item.record, corrections(self, doc_id))
            fresh = AnalysedDocument(record, item.external_id, item.origin, signature)
            for table, rows in document_rows(fresh, run_id).items():
                if rows:
                    self.executemany(insert_sql(table), rows)
            if corrected:
                self.executemany(
                    "UPDATE events SET correction_id = ? WHERE id = ?",
                    [(correction_id, f"{doc_id}:{i}") for i, correction_id in corrected.items()],
                )
            if keys:
                # The other reports of the same keys are clustered again together with the new rows.
                self.executemany(
                    "UPDATE event_sources SET cluster_id = NULL WHERE type = ? AND actor = ? AND recipient = ?",
                    keys,
                )
                self.executemany(
                    "DELETE FROM event_clusters WHERE type = ? AND actor = ? AND recipient = ?", keys
                )
            at = now()
            self.executemany(
                "INSERT INTO document_edits (document_id, field, old_value, new_value, edited_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [(doc_id, name, old, new, at) for name, old, new in edits],
            )

    def stored_entry(self, link: str, entry_id: str | None) -> bool:
        """Whether a feed entry's article is stored: a document read from ``link`` under the entry's id."""
        if entry_id is None:
            rows = self.query(
                "SELECT 1 FROM documents WHERE origin = ? AND external_id IS NULL LIMIT 1", (link,)
            )
        else:
            rows = self.query(
                "SELECT 1 FROM documents WHERE origin = ? AND external_id = ? LIMIT 1", (link, entry_id)
            )
        return bool(rows)

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

    def search(
        self, query: str, filters: SearchFilters | None = None, limit: int = 20, quotes: bool = True
    ) -> list[SearchHit]:
        """Full-text search over articles (title and text) and, if ``quotes``, over quotations, best first."""
        filters = filters or SearchFilters()
        where, params = document_filters(filters, "d")
        hits = [
            SearchHit("article", r[0], r[1], r[2], r[3], r[4], r[5], float(r[6]))
            for r in self._full_text_rows(self._article_search_sql, query, where, params, limit)
        ]
        if quotes:
            qwhere, qparams = document_filters(SearchFilters(**{**filters.__dict__, "actor": None}), "d")
            if filters.actor:
                qwhere.append("(q.speaker_code = ? OR q.speaker_name = ?)")
                qparams += [filters.actor, filters.actor]
            hits += [
                SearchHit(
                    "quote",
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    r[5],
                    float(r[6]),
                    r[7],
                    {"speaker_code": r[8], "quote": r[9]},
                )
                for r in self._full_text_rows(self._quote_search_sql, query, qwhere, qparams, limit)
            ]
        hits.sort(key=lambda h: h.rank)
        return hits[:limit]

    def documents_matching(self, query: str, document_ids: Sequence[str]) -> set[str]:
        """Which of these documents the full-text ``query`` finds (title and text, as :meth:`search`)."""
        found: set[str] = set()
        ids = list(dict.fromkeys(document_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self._full_text_rows(
                self._article_search_sql,
                query,
                [f"d.id IN ({', '.join('?' * len(chunk))})"],
                chunk,
                len(chunk),
            )
            found.update(r[0] for r in rows)
        return found

    def _full_text_rows(
        self,
        search_sql: Callable[[str, str], tuple[str, list[Any]] | None],
        query: str,
        where: list[str],
        params: list[Any],
        limit: int,
    ) -> list[tuple[Any, ...]]:
        """The rows of one dialect full-text search, restricted by ``where`` (with its ``params``)."""
        found = search_sql(query, "".join(f" AND {w}" for w in where))
        if found is None:
            return []
        sql, leading = found
        return self.query(sql, [*leading, *params, limit])


# Written after every LIKE that takes a pattern from containing(): both dialects then read "\%" as a "%".
LIKE_ESCAPE = "ESCAPE '\\'"


def containing(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%`` and ``_`` taken literally (with LIKE_ESCAPE)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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
