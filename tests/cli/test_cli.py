"""The corpus commands as a user meets them: text printed as written, tables whole when piped (or TSV/JSON),
exports named and typed by their file, progress with a total, dating undated articles and correcting them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from corpus_records import record, stored
from typer.testing import CliRunner

from communique.cli import app
from communique.corpus import run as corpus_module
from communique.corpus.run import count_documents
from communique.corpus.store import open_store

SANCTIONS = (
    "Washington imposed new sanctions on Russian banks on Monday, and Moscow accused the United States of "
    "economic warfare."
)
TALKS = "Azerbaijan and Kyrgyzstan signed a strategic partnership treaty in Bishkek, Azerbaijan said."
# An article as a plain-text file: a headline, no date anywhere (the seed article is such a file).
UNDATED = (
    "Aliyev in Bishkek\n"
    "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek and the two presidents "
    "signed a declaration on strategic partnership. Azerbaijan and Kyrgyzstan agreed to deepen cooperation in "
    "energy and transport.\n"
)


def run(*args: str) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(
            None,
            [
                stored(
                    record(SANCTIONS, "2022-03-07", [("SANCTION", "USA", "RUS"), ("ACCUSE", "RUS", "USA")])
                ),
                stored(
                    record(TALKS, "2022-10-13", [("AGREE", "AZE", "KGZ")], title="Baku and [Bishkek] sign")
                ),
            ],
        )
        from communique.corpus.dedup import merge_events

        merge_events(store)
    return path


@pytest.fixture()
def in_process(analyzer):
    """`--workers 0` analyses with the session's model instead of loading another."""
    corpus_module._analyzer = analyzer
    yield
    corpus_module._analyzer = None


# -- printed text -----------------------------------------------------------------------------------------------


def test_search_prints_the_matched_words_in_their_brackets(db):
    result = run("search", "sanctions", "--db", db)
    assert result.exit_code == 0, result.output
    assert "[sanctions]" in result.output


def test_a_title_with_brackets_is_printed_as_written(db):
    result = run("search", "strategic", "--db", db)
    assert "Baku and [Bishkek] sign" in result.output


def test_a_table_written_to_a_file_is_not_cut_at_80_columns(db, tmp_path):
    long_source = str(tmp_path / ("a-folder-with-a-long-name-" * 4) / "articles-of-the-whole-year.jsonl")
    with open_store(db) as store:
        run_id = store.start_run([long_source], {})
        store.finish_run(run_id, "finished", {"added": 0})
    result = run("runs", "--db", db)
    assert long_source in result.output
    assert "…" not in result.output


def test_tsv_gives_a_header_and_one_row_a_line_with_both_directions(db):
    result = run("relations", "USA", "RUS", "--by", "year", "--db", db, "--tsv")
    lines = result.output.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["actor", "recipient", "period"]
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert {(r["actor"], r["recipient"], r["period"], r["events"]) for r in rows} == {
        ("USA", "RUS", "2022", "1"),
        ("RUS", "USA", "2022", "1"),
    }


def test_network_tsv_has_one_line_per_edge(db):
    lines = run("network", "--db", db, "--tsv").output.splitlines()
    assert lines[0].startswith("actor\trecipient\tevents")
    assert len(lines) == 1 + 3  # USA→RUS, RUS→USA, AZE→KGZ


def test_runs_as_json(db):
    with open_store(db) as store:
        store.finish_run(store.start_run(["articles.jsonl"], {}), "finished", {"added": 2})
    runs = json.loads(run("runs", "--db", db, "--json").output)
    assert runs[0]["sources"] == ["articles.jsonl"] and runs[0]["status"] == "finished"


# -- export ---------------------------------------------------------------------------------------------------


def test_export_reads_the_format_from_the_file_name(db, tmp_path):
    out = tmp_path / "events.parquet"
    result = run("export", "events", "--out", out, "--db", db)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"PAR1"
    csv = tmp_path / "events.csv"
    run("export", "events", "-o", csv, "--db", db)
    assert csv.read_text(encoding="utf-8").startswith("event_id") or "," in csv.read_text(encoding="utf-8")


def test_export_without_a_file_name_writes_nothing_and_says_why(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("export", "events", "--db", db)
    assert result.exit_code == 2
    assert "--out" in result.output
    assert not (tmp_path / "communique-export").exists()


def test_export_to_a_name_without_a_known_ending_asks_for_the_format(db, tmp_path):
    result = run("export", "events", "--out", tmp_path / "events.dat", "--db", db)
    assert result.exit_code == 2 and "--format" in result.output
    assert run("export", "events", "--out", tmp_path / "events.dat", "-f", "csv", "--db", db).exit_code == 0


def test_export_refuses_a_format_the_file_name_contradicts(db, tmp_path):
    result = run("export", "events", "--out", tmp_path / "events.csv", "--format", "parquet", "--db", db)
    assert result.exit_code == 2 and "agree" in result.output


# -- ingest ---------------------------------------------------------------------------------------------------


def test_the_documents_of_files_and_folders_are_counted_before_the_run(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(UNDATED, encoding="utf-8")
    (folder / "two.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    lines = tmp_path / "more.jsonl"
    lines.write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n', encoding="utf-8")
    assert count_documents([str(folder), str(lines)]) == 5
    assert count_documents([str(lines), "https://example.org/feed.xml"]) is None  # a feed's size is not known


def test_ingest_shows_the_total_it_works_through_and_the_time_left(tmp_path, in_process, monkeypatch):
    import io

    from rich.console import Console

    from communique.cli import corpus as commands

    screen = io.StringIO()
    monkeypatch.setattr(commands, "err", Console(file=screen, width=200))  # a terminal window's width
    source = tmp_path / "aliyev.txt"
    source.write_text(UNDATED, encoding="utf-8")
    result = run("ingest", source, "--db", tmp_path / "c.db", "--workers", "0", "--published", "2022-10-13")
    assert result.exit_code == 0, result.output
    assert "1/1" in screen.getvalue() and "left" in screen.getvalue()


def test_ingest_published_dates_an_undated_text_and_its_events_count(tmp_path, in_process):
    source = tmp_path / "aliyev.txt"
    source.write_text(UNDATED, encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", source, "--db", db, "--workers", "0", "--published", "2022-10-13").exit_code == 0
    with open_store(db) as store:
        assert store.query("SELECT published FROM documents") == [("2022-10-13",)]
    series = json.loads(run("relations", "AZE", "KGZ", "--by", "year", "--db", db, "--json").output)
    assert [p["period"] for s in series for p in s["periods"]][:1] == ["2022"]


def test_ingest_published_leaves_a_dated_document_its_own_date(tmp_path, in_process):
    source = tmp_path / "aliyev.txt"
    source.write_text(UNDATED.replace("\n", "\nBISHKEK, October 12, 2022 - ", 1), encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", source, "--db", db, "--workers", "0", "--published", "2022-10-13").exit_code == 0
    with open_store(db) as store:
        assert store.query("SELECT published FROM documents") == [("2022-10-12",)]


def test_ingest_says_how_to_date_what_it_stored_undated(tmp_path, in_process):
    source = tmp_path / "aliyev.txt"
    source.write_text(UNDATED, encoding="utf-8")
    result = run("ingest", source, "--db", tmp_path / "c.db", "--workers", "0")
    assert "1 documents stored without a publication date" in " ".join(result.output.split())
    assert "communique documents edit" in result.output


def test_an_unreadable_published_date_is_refused_before_the_run(tmp_path):
    result = run("ingest", tmp_path, "--db", tmp_path / "c.db", "--published", "13/13/2022")
    assert result.exit_code == 2 and "--published" in result.output


# -- documents edit -------------------------------------------------------------------------------------------


def test_dating_a_stored_document_puts_its_events_in_the_series(tmp_path, in_process):
    source = tmp_path / "aliyev.txt"
    source.write_text(UNDATED, encoding="utf-8")
    db = tmp_path / "c.db"
    run("ingest", source, "--db", db, "--workers", "0")
    before = json.loads(run("relations", "AZE", "KGZ", "--db", db, "--json").output)
    assert not any(s["periods"] for s in before)  # undated: counted nowhere
    with open_store(db) as store:
        (doc_id,) = store.query("SELECT id FROM documents")[0]
    result = run("documents", "edit", doc_id, "--published", "2022-10-13", "--source", "AzerNews", "--db", db)
    assert result.exit_code == 0, result.output
    assert "published (none) → 2022-10-13" in result.output
    after = json.loads(run("relations", "AZE", "KGZ", "--by", "year", "--db", db, "--json").output)
    assert "2022" in [p["period"] for s in after for p in s["periods"]]
    with open_store(db) as store:
        assert store.query("SELECT published, source FROM documents") == [("2022-10-13", "AzerNews")]
        assert store.query("SELECT DISTINCT outlet FROM event_sources") == [("AzerNews",)]
        assert store.query("SELECT count(*) FROM event_sources WHERE cluster_id IS NULL") == [(0,)]
        assert store.query("SELECT field, old_value, new_value FROM document_edits ORDER BY field") == [
            ("published", None, "2022-10-13"),
            ("source", None, "AzerNews"),
        ]


def test_a_new_title_is_what_search_finds(db, in_process):
    with open_store(db) as store:
        (doc_id,) = store.query("SELECT id FROM documents WHERE title LIKE 'Baku%'")[0]
    result = run("documents", "edit", doc_id, "--title", "Treaty of Bishkek", "--db", db)
    assert result.exit_code == 0, result.output
    assert "Treaty of Bishkek" in run("search", "treaty", "--db", db).output


def test_editing_an_unknown_document_is_an_error(db):
    result = run("documents", "edit", "nope", "--title", "x", "--db", db)
    assert result.exit_code == 2 and "no stored document" in result.output


def test_editing_with_nothing_to_change_is_an_error(db):
    assert run("documents", "edit", "x", "--db", db).exit_code == 2


# -- names where a code is asked for ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "a, b", [("usa", "rus"), ("United States", "Russia"), ("Washington", "Putin"), ("Biden", "Kremlin")]
)
def test_relations_take_codes_in_any_case_state_names_capitals_and_people(db, a, b):
    rows = [
        line.split("\t")
        for line in run("relations", a, b, "--by", "year", "--db", db, "--tsv").output.splitlines()
    ]
    assert {(r[0], r[1]) for r in rows[1:]} == {("USA", "RUS"), ("RUS", "USA")}


def test_an_unknown_name_is_an_error_that_lists_the_nearest_names_never_no_events(db):
    result = run("relations", "Rusia", "usa", "--db", db)
    assert result.exit_code == 2
    assert "names no state or person" in result.output and "Russia (RUS)" in result.output
    assert "no events" not in result.output


def test_balance_and_search_take_a_name(db):
    assert "no events with any centre" not in run("balance", "Azerbaijan", "--db", db).output
    hits = json.loads(run("search", "treaty", "--actor", "kgz", "--db", db, "--json").output)
    assert [h["document_id"] for h in hits]


def test_kb_show_prints_every_alias_whole_when_piped():
    result = run("kb", "show", "Azerbaijan", "--date", "2022-10-13")
    assert result.exit_code == 0, result.output
    from communique.cli.kb import describe
    from communique.kb.knowledge import KnowledgeBase

    (entry,) = [
        r for r in describe(KnowledgeBase.load(), "Azerbaijan", date(2022, 10, 13)) if r.get("code") == "AZE"
    ][:1]
    assert ", ".join(entry["aliases"]) in result.output  # on one line, none cut or wrapped


def test_analyze_jsonl_shows_the_total_and_the_time_left(tmp_path, analyzer, monkeypatch):
    import io

    from rich.console import Console

    from communique.cli import analyze as command

    screen = io.StringIO()
    monkeypatch.setattr(command, "err", Console(file=screen, width=200))
    monkeypatch.setattr("communique.pipeline.Analyzer", lambda *a, **k: analyzer)
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(json.dumps({"id": f"d{i}", "text": TALKS, "published": "2022-10-13"}) for i in range(2))
        + "\n",
        encoding="utf-8",
    )
    result = run("analyze", "--jsonl", source, "--out", tmp_path / "out.jsonl", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "2/2" in screen.getvalue() and "left" in screen.getvalue()
