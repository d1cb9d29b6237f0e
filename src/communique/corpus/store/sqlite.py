"""SQLite implementation of :class:`~communique.corpus.store.base.Store`: one file, WAL journal, FTS5 search."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from communique.corpus.store.base import Store
from communique.errors import StoreError

_WORD = re.compile(r"\w+", re.UNICODE)


class SQLiteStore(Store):
    """A corpus in one SQLite file (``:memory:`` works too, for a throwaway store)."""

    dialect = "sqlite"
    column_types: ClassVar[dict[str, str]] = {
        "auto_id": "INTEGER PRIMARY KEY",  # an alias of the rowid, numbered by SQLite
        "bigint": "INTEGER",  # SQLite's INTEGER holds 64 bits
        "float": "REAL",
        "bytes": "BLOB",
    }

    def __init__(self, path: str | Path = "communique.db") -> None:
        self.path = str(path)
        self.url = self.path
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves so a batch is exactly one transaction.
            self.connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.connection.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across process kills in WAL mode (only a power cut can lose the last commit).
            self.connection.execute("PRAGMA synchronous=NORMAL")
            self.connection.execute("PRAGMA busy_timeout=30000")
            self.connection.execute("PRAGMA foreign_keys=OFF")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {self.path}: {exc}") from exc
        self.migrate()

    def migrate(self) -> int:
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
        )
        applied = {r[0] for r in self.connection.execute("SELECT version FROM schema_migrations")}
        version = max(applied, default=0)
        for migration in self.migrations():
            if migration.number in applied:
                continue
            try:
                self.connection.executescript(
                    f"BEGIN;\n{migration.sql}\nINSERT INTO schema_migrations VALUES ({migration.number}, "
                    f"'{migration.name}', datetime('now'));\nCOMMIT;"
                )
            except sqlite3.Error as exc:
                self.connection.execute("ROLLBACK") if self.connection.in_transaction else None
                raise StoreError(f"migration {migration.name} failed on {self.path}: {exc}") from exc
            version = max(version, migration.number)  # a gap filled late does not lower it
        return version

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def _database_transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout) rather than failing
        # when it would upgrade a read lock halfway through its batch.
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        else:
            self.connection.execute("COMMIT")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self.connection.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite: {exc}") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        try:
            self.connection.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite: {exc}") from exc

    def week_start(self, column: str) -> str:
        return f"date({column}, '-6 days', 'weekday 1')"

    def group_concat(self, expression: str) -> str:
        return f"group_concat(DISTINCT {expression})"

    def size_bytes(self) -> int:
        if self.path == ":memory:":
            return 0
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return sum(p.stat().st_size for p in Path(self.path).parent.glob(Path(self.path).name + "*"))

    def _article_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        match = fts_query(query)
        if not match:
            return None
        sql = (
            "SELECT d.id, d.title, d.published, d.source, d.genre, "
            "snippet(documents_fts, 1, '[', ']', '…', 16), bm25(documents_fts) "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            f"WHERE documents_fts MATCH ? {conditions} "
            "ORDER BY bm25(documents_fts) LIMIT ?"
        )
        return sql, [match]

    def _quote_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        match = fts_query(query)
        if not match:
            return None
        sql = (
            "SELECT d.id, d.title, d.published, d.source, d.genre, "
            "snippet(quotes_fts, 0, '[', ']', '…', 16), bm25(quotes_fts), q.speaker_text, q.speaker_code, q.idx "
            "FROM quotes_fts JOIN quotes q ON q.rowid = quotes_fts.rowid JOIN documents d ON d.id = q.document_id "
            f"WHERE quotes_fts MATCH ? {conditions} "
            "ORDER BY bm25(quotes_fts) LIMIT ?"
        )
        return sql, [match]


def fts_query(text: str) -> str:
    """An FTS5 query from what a user typed: every word must occur; "quoted phrases" stay phrases."""
    parts: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', text):
        words = _WORD.findall(phrase or word)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts)
