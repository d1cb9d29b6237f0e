"""Corrections: an analyst changes, rejects or adds an event; the analytics follow it and nothing else moves."""

from __future__ import annotations

import pytest
from corpus_records import REPORTS, record, stored

from communique.corpus import relations
from communique.corpus.corrections import (
    REJECTED,
    add_event,
    correct_event,
    corrections,
    machine_record,
    rebuild,
)
from communique.corpus.dedup import merge_events
from communique.corpus.exports import event_rows
from communique.corpus.store.rows import CONTENT_TABLES
from communique.errors import InputError

ACCUSATION = "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin."
# Every content table but the links between documents, which no correction touches.
TABLES = tuple(t for t in CONTENT_TABLES if t != "document_links")


@pytest.fixture
def corpus(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    merge_events(store)
    return store


def event_of(store, text: str, index: int = 0) -> str:
    return store.query(
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.text = ? AND e.idx = ?",
        (text, index),
    )[0][0]


def rows(store) -> dict[str, set[tuple]]:
    return {t: set(store.query(f"SELECT * FROM {t}")) for t in TABLES}


def figures(store) -> dict[str, object]:
    """Every Relations figure the corpus gives, as plain data: the network, and every dyad's monthly series."""
    net = relations.network(store)
    series = {
        (e.actor, e.recipient): [
            (p.period, p.events, p.score_sum, p.by_type)
            for p in relations.dyad_series(store, e.actor, e.recipient).periods
        ]
        for e in net.edges
    }
    edges = {(e.actor, e.recipient): (e.events, e.net_score, e.cooperative, e.conflictual) for e in net.edges}
    return {"edges": edges, "series": series}


def test_rewriting_a_document_from_its_stored_rows_changes_no_row(corpus):
    before = rows(corpus)
    rebuild(corpus, event_of(corpus, ACCUSATION).split(":")[0])
    merge_events(corpus)
    assert rows(corpus) == before


def test_a_corrected_recipient_moves_the_event_between_dyads_and_changes_nothing_else(corpus):
    before = figures(corpus)
    correct_event(corpus, event_of(corpus, ACCUSATION), recipient=["ARM"], by="ana")
    after = figures(corpus)

    assert ("AZE", "RUS") in before["edges"]
    gone = before["edges"][("AZE", "RUS")][0] - after["edges"].get(("AZE", "RUS"), (0,))[0]
    assert gone == 1
    assert after["edges"][("AZE", "ARM")] == (1, -2.0, 0, 1)  # the accusation, its score kept
    assert ("AZE", "ARM") not in before["edges"]
    untouched = set(before["edges"]) - {("AZE", "RUS")}
    assert {k: after["edges"][k] for k in untouched} == {k: before["edges"][k] for k in untouched}
    assert {k: after["series"][k] for k in untouched} == {k: before["series"][k] for k in untouched}


def test_a_corrected_type_takes_its_plover_score_and_quad_class(corpus):
    correct_event(corpus, event_of(corpus, ACCUSATION), type="threaten", by="ana")
    (series,) = [p for p in relations.dyad_series(corpus, "AZE", "RUS").periods if p.period == "2022-08"]
    assert series.by_type == {"THREATEN": 1}
    assert series.score_sum == -3.5  # PLOVER's THREATEN score (data/plover/scores.tsv), not the record's -2
    assert series.by_quad == {"verbal_conflict": 1}


def test_a_rejected_event_keeps_its_row_and_counts_nowhere(corpus):
    event_id = event_of(corpus, ACCUSATION)
    correct_event(corpus, event_id, reject=True, by="ana")
    assert corpus.query("SELECT status FROM events WHERE id = ?", (event_id,)) == [(REJECTED,)]
    assert not corpus.query("SELECT 1 FROM event_sources WHERE event_id = ?", (event_id,))
    assert "2022-08" not in [p.period for p in relations.dyad_series(corpus, "AZE", "RUS").periods]


def test_every_correction_is_kept_with_who_when_and_the_machines_original(corpus):
    event_id = event_of(corpus, ACCUSATION)
    correct_event(corpus, event_id, type="THREATEN", by="ana")
    correct_event(corpus, event_id, recipient=["ARM"], by="ben", note="Armenian forces are the target")
    first, second = corrections(corpus)
    assert (first.corrected_by, second.corrected_by) == ("ana", "ben")
    assert first.corrected_at and second.corrected_at >= first.corrected_at
    assert second.root_id == first.id
    # the machine's original, not the first correction's result
    assert second.original["type"] == "ACCUSE"
    assert [p["code"] for p in second.original["recipient"]] == ["RUS"]
    assert second.note == "Armenian forces are the target"
    stored_event = corpus.query("SELECT type, correction_id FROM events WHERE id = ?", (event_id,))[0]
    assert stored_event == ("THREATEN", second.id)


def test_exports_and_evidence_mark_the_corrected_event(corpus):
    event_id = event_of(corpus, ACCUSATION)
    correct_event(corpus, event_id, type="THREATEN", by="ana")
    marked = {r["id"]: r["corrected"] for r in event_rows(corpus)}
    assert marked[event_id] is True
    assert sum(marked.values()) == 1
    (series,) = [p for p in relations.dyad_series(corpus, "AZE", "RUS").periods if p.period == "2022-08"]
    evidence = relations.explain(corpus, series.clusters)
    assert [e.corrected for e in evidence] == [True]


def test_a_rejected_event_is_left_out_of_the_plover_export_and_a_corrected_one_marked(corpus, tmp_path):
    import json

    from communique.corpus.exports import export

    rejected, changed = event_of(corpus, ACCUSATION), event_of(corpus, REPORTS[2]["document"]["text"])
    correct_event(corpus, rejected, reject=True, by="ana")
    correct_event(corpus, changed, type="SUPPORT", by="ana")
    out = tmp_path / "events.plover.json"
    n = export(corpus, "events", "plover", out)
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert n == len(records) and rejected not in records
    assert records[changed]["event"] == ["SUPPORT"] and records[changed]["corrected"] is True
    assert sum(r["corrected"] for r in records.values()) == 1


def test_an_added_event_counts_with_its_sentence_as_evidence(store):
    text = "Azerbaijan's foreign minister met his Kyrgyz counterpart in Bishkek on Monday."
    rec = record(text, "2022-10-10", [])
    rec["actors"] = record(text, "2022-10-10", [("CONSULT", "AZE", "KGZ")])["actors"]
    store.write_batch(None, [stored(rec)])
    made = add_event(
        store,
        rec["document"]["id"],
        0,
        type="CONSULT",
        actor=["AZE"],
        recipient=["KGZ"],
        trigger="met",
        by="ana",
    )
    assert made.action == "add" and made.original is None
    (period,) = relations.dyad_series(store, "AZE", "KGZ").periods
    assert period.by_type == {"CONSULT": 1}
    (evidence,) = relations.explain(store, period.clusters)
    assert evidence.text == text and evidence.corrected
    trigger = store.query(
        "SELECT trigger_text, trigger_start FROM events WHERE correction_id = ?", (made.id,)
    )
    assert trigger == [("met", text.index("met"))]


def test_corrections_hold_when_the_document_is_written_again(corpus):
    event_id = event_of(corpus, ACCUSATION)
    doc_id = event_id.split(":")[0]
    correct_event(corpus, event_id, recipient=["ARM"], by="ana")
    corrected = rows(corpus)
    # a fresh analysis of the document (here: the machine's record again, as a re-analysis would give it)
    rebuild(corpus, doc_id)
    merge_events(corpus)
    assert rows(corpus) == corrected
    # and re-ingesting the same input adds nothing and keeps the correction
    corpus.write_batch(None, [stored(r) for r in REPORTS])
    merge_events(corpus)
    assert rows(corpus) == corrected
    assert [p["code"] for p in machine_record(corpus, doc_id)["events"][0]["recipient"]] == ["RUS"]


def test_a_correction_finds_its_event_in_a_new_analysis_that_numbers_events_otherwise(corpus):
    from communique.corpus.store import AnalysedDocument

    event_id = event_of(corpus, ACCUSATION)
    doc_id = event_id.split(":")[0]
    correct_event(corpus, event_id, recipient=["ARM"], by="ana")
    fresh = machine_record(corpus, doc_id)
    # the new analysis finds another event first, so the corrected one is numbered 1 now
    consult = dict(fresh["events"][0], type="CONSULT", trigger={"text": "near", "start": 62, "end": 66})
    fresh["events"] = [consult, fresh["events"][0]]
    corpus.replace_document(AnalysedDocument(fresh, None, "test"), [])
    merge_events(corpus)
    got = corpus.query(
        "SELECT e.idx, e.type, p.party, e.correction_id FROM events e JOIN event_participants p "
        "ON p.event_id = e.id AND p.role = 'recipient' WHERE e.document_id = ? ORDER BY e.idx",
        (doc_id,),
    )
    assert got == [(0, "CONSULT", "RUS", None), (1, "ACCUSE", "ARM", 1)]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"type": "SHOUT"}, "not a PLOVER 2.0 type"),
        ({"status": "rumoured"}, "is not one of"),
        ({"recipient": ["Atlantis"]}, "neither a state code"),
        ({}, "nothing to correct"),
        ({"reject": True, "type": "AGREE"}, "give --reject alone"),
    ],
)
def test_a_bad_correction_is_refused_and_writes_nothing(corpus, change, message):
    before = rows(corpus)
    with pytest.raises(InputError, match=message):
        correct_event(corpus, event_of(corpus, ACCUSATION), by="ana", **change)
    assert rows(corpus) == before
    assert corrections(corpus) == []


def test_an_unknown_event_is_named_in_the_error(corpus):
    with pytest.raises(InputError, match="no stored event 'nope:0'"):
        correct_event(corpus, "nope:0", type="AGREE")
