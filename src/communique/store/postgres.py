"""PostgreSQL implementation of :class:`~communique.store.base.Store` (psycopg 3): same schema, tsvector search."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from importlib import resources
from typing import Any

from ..errors import StoreError
from .base import Store

# "?" placeholders outside quoted literals become psycopg's "%s"; a literal "%" must be doubled.
_TOKEN = re.compile(r"'(?:[^']|'')*'|\?|%")


def to_psycopg(sql: str) -> str:
    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        return token.replace("%", "%%")

    return _TOKEN.sub(swap, sql)


class PostgresStore(Store):
    """A corpus in a PostgreSQL database, given as a ``postgresql://`` URL."""

    dialect = "postgresql"
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        import psycopg

        self.url = url
        try:
            # autocommit: transactions are opened explicitly, one per batch (see transaction()).
            self.connection = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redacted(url)}: {exc}") from exc
        self.migrate()

    def migrate(self) -> int:
        import psycopg

        folder = resources.files("communique.store") / "migrations" / "postgresql"
        with self.connection.transaction():
            # Two processes migrating at once would both create the tables; the advisory lock serialises them.
            self.connection.execute("SELECT pg_advisory_xact_lock(722077)")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations "
                "(version INTEGER PRIMARY KEY, name TEXT, applied_at TIMESTAMPTZ DEFAULT now())"
            )
            applied = {r[0] for r in self.connection.execute("SELECT version FROM schema_migrations").fetchall()}
            version = max(applied, default=0)
            for entry in sorted(folder.iterdir(), key=lambda p: p.name):
                if not entry.name.endswith(".sql"):
                    continue
                number = int(entry.name.split("_", 1)[0])
                if number in applied:
                    continue
                try:
                    self.connection.execute(entry.read_text("utf-8").encode())
                    self.connection.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (number, entry.name)
                    )
                except psycopg.Error as exc:
                    raise StoreError(f"migration {entry.name} failed on {_redacted(self.url)}: {exc}") from exc
                version = number
        return version

    def close(self) -> None:
        self.connection.close()

    def _database_transaction(self) -> AbstractContextManager[Any]:
        return self.connection.transaction()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        import psycopg

        try:
            return self.connection.execute(to_psycopg(sql).encode(), tuple(params))  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL: {exc}") from exc

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        import psycopg

        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(to_psycopg(sql).encode(), rows)  # type: ignore[arg-type]
        except psycopg.Error as exc:
            raise StoreError(f"PostgreSQL: {exc}") from exc

    def week_start(self, column: str) -> str:
        return f"to_char(date_trunc('week', {column}::date), 'YYYY-MM-DD')"

    def group_concat(self, expression: str) -> str:
        return f"string_agg(DISTINCT {expression}, ',')"

    def size_bytes(self) -> int:
        return int(self.query("SELECT pg_database_size(current_database())")[0][0])

    def _article_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        # The headline is computed for the page of hits only: ts_headline re-parses the text.
        sql = (
            "SELECT h.id, h.title, h.published, h.source, h.genre, "
            "ts_headline('english', h.text, websearch_to_tsquery('english', ?), "
            "'StartSel=[, StopSel=], MaxFragments=1, MaxWords=24, MinWords=8'), h.rank FROM ("
            "SELECT d.id, d.title, d.published, d.source, d.genre, d.text, "
            "-ts_rank(d.tsv, websearch_to_tsquery('english', ?)) AS rank FROM documents d "
            f"WHERE d.tsv @@ websearch_to_tsquery('english', ?) {conditions} "
            "ORDER BY rank, d.id LIMIT ?) h ORDER BY h.rank, h.id"
        )
        return sql, [query, query, query]

    def _quote_search_sql(self, query: str, conditions: str) -> tuple[str, list[Any]] | None:
        sql = (
            "SELECT d.id, d.title, d.published, d.source, d.genre, q.content_text, "
            "-ts_rank(q.tsv, websearch_to_tsquery('english', ?)) AS rank, q.speaker_text, q.speaker_code, q.idx "
            "FROM quotes q JOIN documents d ON d.id = q.document_id "
            f"WHERE q.tsv @@ websearch_to_tsquery('english', ?) {conditions} "
            "ORDER BY rank, d.id, q.idx LIMIT ?"
        )
        return sql, [query, query]


def _redacted(url: str) -> str:
    """The URL without its password, fit for an error message."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
