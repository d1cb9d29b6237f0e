"""The corpus store: documents and every layer of their analysis, in SQLite or PostgreSQL.

    open_store("communique.db")                       -> SQLiteStore (the default; ":memory:" also works)
    open_store("sqlite:///path/to/file.db")           -> SQLiteStore
    open_store("postgresql://user@host/database")     -> PostgresStore

Both implement :class:`Store` (base.py) over the same schema (migrations/<dialect>/) and write the same rows
(rows.py); see docs/corpus.md.
"""

from __future__ import annotations

from pathlib import Path

from communique.corpus.store.base import SearchFilters, SearchHit, Store
from communique.corpus.store.rows import (
    COLUMNS_WITHOUT_RUN,
    CONTENT_TABLES,
    LOG_TABLES,
    AnalysedDocument,
    DocumentError,
    DocumentLink,
)

DEFAULT_DB = "communique.db"

__all__ = [
    "COLUMNS_WITHOUT_RUN",
    "CONTENT_TABLES",
    "DEFAULT_DB",
    "LOG_TABLES",
    "AnalysedDocument",
    "DocumentError",
    "DocumentLink",
    "SearchFilters",
    "SearchHit",
    "Store",
    "open_store",
]


def open_store(url_or_path: str | Path = DEFAULT_DB) -> Store:
    """Open (and create or migrate) the store at a path or URL; the scheme decides the implementation."""
    target = str(url_or_path)
    if target.startswith(("postgresql://", "postgres://")):
        from communique.corpus.store.postgres import PostgresStore

        return PostgresStore(target)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    from communique.corpus.store.sqlite import SQLiteStore

    return SQLiteStore(target)
