"""PostgreSQL: the same schema and the same rows as SQLite, on a real server (started by scripts/test-services)."""

from __future__ import annotations

import threading

import pytest
from corpus_records import REPORTS, stored

from communique.corpus import run as corpus_module
from communique.corpus.run import IngestSettings, ingest
from communique.corpus.store import COLUMNS_WITHOUT_RUN, CONTENT_TABLES, open_store
from tests.corpus.test_corpus import corpus_records

pytestmark = pytest.mark.postgres


def contents(store) -> dict[str, list[tuple]]:
    found = {}
    for table in CONTENT_TABLES:
        rows = store.query(f"SELECT {', '.join(COLUMNS_WITHOUT_RUN[table])} FROM {table}")
        found[table] = sorted(
            (tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows), key=repr
        )
    return found


def test_real_articles_ingested_into_sqlite_and_postgresql_give_identical_rows(
    analyzer, tmp_path, pg_database
):
    import json

    source = tmp_path / "articles.jsonl"
    source.write_text(
        "\n".join(json.dumps(r) for r in corpus_records(4, chars=1500)) + "\n", encoding="utf-8"
    )
    corpus_module._analyzer = analyzer
    try:
        found = []
        for target in (str(tmp_path / "corpus.db"), pg_database):
            with open_store(target) as store:
                report = ingest([str(source)], store, IngestSettings(workers=0))
                assert report.added == 4
                again = ingest([str(source)], store, IngestSettings(workers=0))
                assert again.added == 0 and again.skipped == 4
                found.append(contents(store))
    finally:
        corpus_module._analyzer = None
    assert found[0] == found[1]
    assert len(found[1]["sentences"]) > 4


def test_reopening_postgresql_applies_no_migration_twice(pg_database):
    with open_store(pg_database) as first:
        first.write_batch(None, [stored(REPORTS[0])])
    with open_store(pg_database) as second:
        assert second.query("SELECT count(*) FROM schema_migrations") == [(len(second.migrations()),)]
        assert second.counts()["documents"] == 1


def test_two_writers_storing_the_same_documents_store_them_once(pg_database):
    open_store(pg_database).close()  # migrate before the race
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with open_store(pg_database) as store:
                store.write_batch(None, [stored(r) for r in REPORTS])
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    writers = [threading.Thread(target=write) for _ in range(2)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert not errors
    with open_store(pg_database) as store:
        assert store.counts()["documents"] == len(REPORTS)
        assert store.counts()["events"] == 15


def test_postgresql_search_stems_words_and_filters(pg_database):
    from communique.corpus.store import SearchFilters

    with open_store(pg_database) as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        hits = store.search("consultation", SearchFilters(actor="USA"), quotes=False)
        assert [h.source for h in hits] == ["Reuters"]


def test_sqlite_and_postgresql_create_the_same_tables_with_the_same_columns(tmp_path, pg_database):
    with open_store(tmp_path / "corpus.db") as lite:
        tables = [
            r[0]
            for r in lite.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' ORDER BY name"
            )
        ]
        in_sqlite = {t: [r[1] for r in lite.query(f"PRAGMA table_info({t})")] for t in tables}
    with open_store(pg_database) as pg:
        rows = pg.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name <> 'tsv' ORDER BY table_name, ordinal_position"
        )
    in_postgresql: dict[str, list[str]] = {}
    for table, column in rows:
        in_postgresql.setdefault(table, []).append(column)
    assert in_postgresql == in_sqlite
    assert set(CONTENT_TABLES) <= set(in_sqlite)
