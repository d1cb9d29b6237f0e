"""The corpus store: exactly-once writes, whole-document transactions, search with filters (both dialects)."""

from __future__ import annotations

import pytest
from corpus_records import REPORTS, record, stored

from communique.corpus.store import CONTENT_TABLES, SearchFilters, open_store
from communique.errors import StoreError


def test_writing_the_same_documents_twice_adds_no_rows(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    before = store.counts()
    again = store.write_batch(None, [stored(r) for r in REPORTS])
    assert again["added"] == 0
    assert store.counts() == before


def test_every_layer_of_a_document_is_stored(store):
    store.write_batch(None, [stored(REPORTS[-1])])
    counts = store.counts()
    assert counts["documents"] == 1
    assert counts["actors"] == 2 and counts["mentions"] == 2
    assert counts["events"] == 1 and counts["event_participants"] == 2 and counts["event_evidence"] == 1
    assert counts["quotes"] == 1 and counts["stance"] == 2 and counts["sentences"] == 1
    assert counts["event_sources"] == 1


def test_a_batch_that_fails_midway_leaves_no_document_behind(store):
    broken = record(
        "Russia and Turkey agreed on a ceasefire in Idlib.", "2020-03-05", [("AGREE", "RUS", "TUR")]
    )
    broken["events"][0]["type"] = None  # events.type is NOT NULL: the insert fails after the documents row
    with pytest.raises(StoreError):
        store.write_batch(None, [stored(REPORTS[0]), stored(broken)])
    assert all(n == 0 for n in store.counts().values())


def test_event_without_a_day_counts_on_the_publication_date(store):
    store.write_batch(None, [stored(REPORTS[2])])
    assert store.query("SELECT event_date FROM event_sources") == [("2022-03-02",)]


def test_hypothetical_events_are_stored_but_not_counted(store):
    rec = record(
        "Azerbaijan could sign a gas deal with Germany next year.",
        "2022-07-01",
        [("AGREE", "AZE", "DEU")],
        status="hypothetical",
    )
    store.write_batch(None, [stored(rec)])
    assert store.counts()["events"] == 1
    assert store.counts()["event_sources"] == 0


def test_search_finds_an_article_by_its_words(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    hits = store.search("strategic partnership", quotes=False)
    assert {h.source for h in hits} == {"Eurasianet", "AKIpress"}
    assert all(h.kind == "article" for h in hits)


def test_search_filters_by_actor_date_source_and_event_type(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    by_actor = store.search("agreed", SearchFilters(actor="CHN"), quotes=False)
    assert [h.source for h in by_actor] == ["Xinhua"]
    by_date = store.search("Azerbaijan", SearchFilters(since="2022-10-01", until="2022-10-31"), quotes=False)
    assert sorted(h.published for h in by_date) == ["2022-10-13", "2022-10-14"]
    by_source = store.search("Azerbaijan", SearchFilters(source="reuters"), quotes=False)
    assert {h.source for h in by_source} == {"Reuters"}
    by_type = store.search("Russia", SearchFilters(event_type="ACCUSE"), quotes=False)
    assert len(by_type) == 2


def test_search_filters_by_directed_dyad(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    hits = store.search("Azerbaijan", SearchFilters(dyad=("TUR", "AZE")), quotes=False)
    assert [h.source for h in hits] == ["Hurriyet"]
    assert "drones" in hits[0].snippet


def test_search_finds_a_quote_and_its_speaker(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    quotes = [h for h in store.search("brothers", SearchFilters(actor="KGZ")) if h.kind == "quote"]
    assert len(quotes) == 1
    assert quotes[0].speaker == "Sadyr Japarov"


def test_reopening_a_store_keeps_its_rows_and_applies_no_migration_twice(tmp_path):
    path = tmp_path / "corpus.db"
    with open_store(path) as first:
        first.write_batch(None, [stored(REPORTS[0])])
    with open_store(f"sqlite:///{path}") as second:
        assert second.counts()["documents"] == 1
        assert second.query("SELECT count(*) FROM schema_migrations") == [(len(second.migrations()),)]
        assert second.query("PRAGMA journal_mode") == [("wal",)]


def test_content_tables_cover_every_layer_of_the_contract():
    layers = {"sentences", "actors", "mentions", "dates", "events", "quotes", "rhetoric", "stance"}
    assert layers <= set(CONTENT_TABLES)


def test_a_reciprocal_event_counts_once_in_each_direction(store):
    rec = record(
        "Azerbaijan and Kyrgyzstan signed a declaration on strategic partnership.",
        "2022-10-13",
        [("AGREE", "AZE", "KGZ")],
    )
    event = rec["events"][0]
    event["actor"] += event["recipient"]  # PLOVER: all parties of a reciprocal event are actors, no recipient
    event["recipient"] = []
    store.write_batch(None, [stored(rec)])
    assert sorted(store.query("SELECT actor, recipient FROM event_sources")) == [
        ("AZE", "KGZ"),
        ("KGZ", "AZE"),
    ]


def test_a_document_written_inside_an_outer_transaction_is_rolled_back_with_it(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.write_batch(None, [stored(REPORTS[0])])  # its own transaction joins the outer one
        raise RuntimeError("interrupted before the outer commit")
    assert store.counts()["documents"] == 0


def test_a_search_with_no_words_finds_nothing(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    assert store.search("?! …") == []


def test_a_new_store_records_schema_version_1_under_its_original_name(tmp_path):
    # Stores created before the schema was shared between dialects recorded this row; it must not change,
    # or opening them would apply the first migration again.
    with open_store(tmp_path / "corpus.db") as store:
        assert store.query("SELECT version, name FROM schema_migrations ORDER BY version")[0] == (
            1,
            "0001_initial.sql",
        )


def test_a_store_made_before_schema_version_2_gets_its_stance_parties_on_opening(tmp_path):
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(None, [stored(REPORTS[0])])
        written = store.query("SELECT actor_id, party FROM stance ORDER BY actor_id")
        # back to what version 1 had: no party on stance rows, no record of migration 2
        store.execute("DROP INDEX stance_party")
        store.execute("ALTER TABLE stance DROP COLUMN party")
        for index in ("actors_code", "event_participants_party", "event_participants_code"):
            store.execute(f"DROP INDEX {index}")
        store.execute("DELETE FROM schema_migrations WHERE version = 2")
    with open_store(path) as reopened:
        assert reopened.query("SELECT actor_id, party FROM stance ORDER BY actor_id") == written
    assert {party for _, party in written} == {"AZE", "KGZ"}


def test_a_run_whose_process_was_killed_is_marked_interrupted_when_the_next_one_starts(store):
    import os
    import subprocess
    import sys

    # The killed run's process: it records a run in the same store, then dies without finishing it.
    script = (
        "import os, signal, sys; from communique.corpus.store import open_store; "
        "open_store(sys.argv[1]).start_run(['articles.jsonl'], {}); os.kill(os.getpid(), signal.SIGKILL)"
    )
    killed = subprocess.run([sys.executable, "-c", script, store.url], env={**os.environ}, timeout=120)
    assert killed.returncode == -9
    assert [r["status"] for r in store.runs()] == ["running"]
    store.start_run(["articles.jsonl"], {})
    first, second = store.runs()
    assert first["status"] == "interrupted" and first["finished_at"]
    assert second["status"] == "running"  # this process's own run: alive, so left alone


def test_a_run_still_running_in_a_live_process_is_not_marked_interrupted(store):
    run = store.start_run(["articles.jsonl"], {})
    assert store.mark_interrupted_runs() == []
    assert store.runs()[0]["id"] == run and store.runs()[0]["status"] == "running"


def test_replacing_a_documents_analysis_rewrites_its_rows_and_records_the_edit(store):
    from communique.corpus.dedup import merge_events

    text = "Azerbaijan and Kyrgyzstan signed a strategic partnership treaty in Bishkek."
    other = "Kyrgyzstan and Azerbaijan agreed in Baku to deepen their strategic partnership."
    store.write_batch(
        None,
        [
            stored(record(text, None, [("AGREE", "AZE", "KGZ")])),
            stored(record(other, "2022-10-14", [("AGREE", "AZE", "KGZ")])),
        ],
    )
    merge_events(store)
    (doc_id,) = store.query("SELECT id FROM documents WHERE published IS NULL")[0]
    corrected = stored(record(text, "2022-10-13", [("AGREE", "AZE", "KGZ")], source="AzerNews"))
    store.replace_document(
        corrected, [("published", None, "2022-10-13"), ("source", "Eurasianet", "AzerNews")]
    )
    merge_events(store)
    assert store.query("SELECT published, source FROM documents WHERE id = ?", (doc_id,)) == [
        ("2022-10-13", "AzerNews")
    ]
    assert store.query("SELECT event_date, outlet FROM event_sources WHERE document_id = ?", (doc_id,)) == [
        ("2022-10-13", "AzerNews")
    ]
    # both reports of the talks are one real-world event again, reported by two outlets
    assert store.query("SELECT reports, sources FROM event_clusters WHERE type = 'AGREE'") == [(2, 2)]
    assert store.query("SELECT count(*) FROM event_sources WHERE cluster_id IS NULL") == [(0,)]
    assert store.counts()["documents"] == 2 and store.counts()["events"] == 2
    assert store.query("SELECT field, old_value, new_value FROM document_edits ORDER BY id") == [
        ("published", None, "2022-10-13"),
        ("source", "Eurasianet", "AzerNews"),
    ]
    assert store.search("strategic treaty")[0].source == "AzerNews"
