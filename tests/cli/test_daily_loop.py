"""The daily loop on the command line: `alerts`, `correct`, `corrections`, `export corrections` (read back as
training labels) and `runs` showing the analyzer."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from corpus_records import REPORTS, record, stored
from typer.testing import CliRunner

from communique.cli import app
from communique.corpus.dedup import merge_events
from communique.corpus.provenance import analyzer_version
from communique.corpus.store import open_store
from communique.training.annotations import load

ACCUSATION = "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin."


def run(*args: object) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(store)
    return path


def event_id(db: Path, text: str = ACCUSATION) -> str:
    with open_store(db) as store:
        return store.query(
            "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.text = ?", (text,)
        )[0][0]


def add(db: Path, *records: dict) -> None:
    with open_store(db) as store:
        store.write_batch(None, [stored(r) for r in records])
        merge_events(store)


def test_a_saved_query_alerts_once_and_shows_its_evidence(db):
    result = run("alerts", "save", "aze-rus", "--dyad", "Azerbaijan", "RUS", "--type", "ACCUSE", "--db", db)
    assert result.exit_code == 0, result.output
    assert "AZE → RUS (ACCUSE)" in result.output
    text = "Azerbaijan accused Russia of shelling villages near Tovuz."
    add(db, record(text, "2023-02-01", [("ACCUSE", "AZE", "RUS")]))
    first = run("alerts", "check", "--db", db)
    assert first.exit_code == 0 and "ACCUSE AZE → RUS on 2023-02-01" in first.output
    assert "1 new alerts" in first.output
    again = run("alerts", "check", "--db", db)
    assert "0 new alerts" in again.output
    listed = run("alerts", "list", "--json", "--db", db)
    assert json.loads(listed.output)[0]["unread"] == 1
    shown = run("alerts", "show", "aze-rus", "--json", "--db", db)
    (alert,) = json.loads(shown.output)
    (evidence,) = alert["evidence"]
    assert evidence["text"] == text and (evidence["start"], evidence["end"]) == (0, len(text))
    assert run("alerts", "read", "--all", "--db", db).exit_code == 0
    assert json.loads(run("alerts", "list", "--json", "--db", db).output)[0]["unread"] == 0


def test_the_feed_command_writes_a_valid_atom_feed(db, tmp_path):
    run("alerts", "save", "aze-rus", "--dyad", "AZE", "RUS", "--db", db)
    add(
        db,
        record(
            "Azerbaijan accused Russia of shelling villages near Tovuz.",
            "2023-02-01",
            [("ACCUSE", "AZE", "RUS")],
        ),
    )
    run("alerts", "check", "--db", db)
    out = tmp_path / "feed.atom"
    assert run("alerts", "feed", "aze-rus", "--out", out, "--db", db).exit_code == 0
    feed = feedparser.parse(out.read_text(encoding="utf-8"))
    assert not feed.bozo and [e.title for e in feed.entries] == ["ACCUSE AZE → RUS on 2023-02-01"]


def test_a_bad_query_fails_with_one_line_and_saves_nothing(db):
    result = run("alerts", "save", "q", "--dyad", "AZE", "RUS", "--type", "SHOUT", "--db", db)
    assert result.exit_code == 2
    assert "not PLOVER 2.0 types: SHOUT" in result.output
    assert json.loads(run("alerts", "list", "--json", "--db", db).output) == []


def test_correct_changes_the_relations_and_corrections_lists_it(db):
    before = json.loads(run("relations", "AZE", "RUS", "--json", "--db", db).output)
    result = run(
        "correct", event_id(db), "--recipient", "ARM", "--by", "ana", "--note", "the target", "--db", db
    )
    assert result.exit_code == 0, result.output
    assert "correction 1 by ana: change" in result.output
    after = json.loads(run("relations", "AZE", "RUS", "--json", "--db", db).output)
    assert before != after
    listed = json.loads(run("corrections", "--json", "--db", db).output)
    assert [(c["corrected_by"], c["changes"], c["original"]["type"]) for c in listed] == [
        ("ana", {"recipient": ["ARM"]}, "ACCUSE")
    ]
    table = run("corrections", "--db", db).output
    assert "ACCUSE AZE → RUS realized" in table  # the machine's original


def test_a_correction_that_makes_an_event_match_a_saved_query_alerts_at_once(db):
    run("alerts", "save", "aze-arm", "--dyad", "AZE", "ARM", "--db", db)
    result = run("correct", event_id(db), "--recipient", "ARM", "--db", db)
    assert "(aze-arm): ACCUSE AZE → ARM on 2022-08-04" in result.output
    assert json.loads(run("alerts", "list", "--json", "--db", db).output)[0]["unread"] == 1


def test_correct_refuses_what_it_cannot_do(db):
    assert (
        "give --reject alone"
        in run("correct", event_id(db), "--reject", "--type", "AGREE", "--db", db).output
    )
    assert "no stored event" in run("correct", "nope:1", "--type", "AGREE", "--db", db).output
    assert "--add needs --sentence" in run("correct", "--add", "x", "--db", db).output
    assert json.loads(run("corrections", "--json", "--db", db).output) == []


def test_exported_corrections_read_back_as_training_labels(db, tmp_path):
    doc_id = event_id(db).split(":")[0]
    run("correct", event_id(db), "--type", "THREATEN", "--recipient", "ARM", "--db", db)
    text = "Azerbaijan's foreign minister met his counterpart from Kyrgyzstan in Bishkek on Monday."
    rec = record(text, "2022-10-10", [])
    rec["actors"] = record(text, "2022-10-10", [("CONSULT", "AZE", "KGZ")])["actors"]
    add(db, rec)
    added = run(
        "correct", "--add", rec["document"]["id"], "--sentence", "0", "--type", "CONSULT", "--actor", "AZE",
        "--recipient", "KGZ", "--trigger", "met", "--db", db,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    out = tmp_path / "corrections.jsonl"
    exported = run("export", "corrections", "--out", out, "--db", db)
    assert exported.exit_code == 0 and "wrote 2 corrected sentences" in exported.output
    empty = tmp_path / "no-corpus"
    empty.mkdir()
    sentences = {s.doc: s for s in load(empty, tmp_path / "absent.jsonl.gz", [out])}
    accusation, meeting = sentences[doc_id], sentences[rec["document"]["id"]]
    assert accusation.sentence == ACCUSATION and accusation.source == "written"
    (event,) = accusation.events
    assert (event.type, event.status) == ("THREATEN", "realized")
    assert [accusation.span(m) for m in event.actor] == ["Azerbaijan"]
    assert [m.code for m in event.actor] == ["AZE"]
    # ARM is not named in the sentence: a label's spans are in its sentence, so it is left out
    assert event.recipient == []
    (meet,) = meeting.events
    assert (meet.type, meeting.span(meet.trigger)) == ("CONSULT", "met")
    assert [(meeting.span(m), m.code) for m in meet.actor + meet.recipient] == [
        ("Azerbaijan", "AZE"),
        ("Kyrgyzstan", "KGZ"),
    ]
    assert {s.split for s in sentences.values()} <= {"train", "dev", "test"}


def test_a_rejected_event_is_left_out_of_its_exported_sentence(db, tmp_path):
    run("correct", event_id(db), "--reject", "--db", db)
    out = tmp_path / "corrections.jsonl"
    assert run("export", "corrections", out, "--db", db).exit_code == 0  # the file as an argument
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["text"] == ACCUSATION and line["events"] == []


def test_runs_shows_the_analyzer_of_each_run(db, tmp_path):
    source = tmp_path / "one.jsonl"
    source.write_text(
        json.dumps({"text": "Azerbaijan and Georgia held talks.", "published": "2022-01-01"}) + "\n"
    )
    with open_store(db) as store:
        store.finish_run(store.start_run([str(source)], {}), "finished", {})
    result = run("runs", "--json", "--db", db)
    assert [r["analyzer"] for r in json.loads(result.output)] == [analyzer_version()]
    assert analyzer_version() in run("runs", "--tsv", "--db", db).output
