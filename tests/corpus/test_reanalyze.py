"""`communique reanalyze`: the current analyzer over the stored documents, each exactly once, resumable after a
kill, keeping the analysts' corrections; every document and run records its analyzer."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from corpus_records import REPORTS, record, stored

from communique.corpus import relations
from communique.corpus.corrections import correct_event, corrections
from communique.corpus.dedup import merge_events
from communique.corpus.provenance import analyzer_version
from communique.corpus.reanalyze import pending, reanalyze
from communique.corpus.store import open_store

CLI = [sys.executable, "-c", "from communique.cli import main; main()"]
OLD = "communique 0.0.9+events.0123456789ab"
ACCUSATION = "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin."


def corpus(path_or_store, extra: int = 0):
    """A store (opened at a path, or given) of the hand-coded reports (and ``extra`` more), as an older analyzer
    left it."""
    more = [
        record(
            f"Azerbaijan's president received the Russian ambassador in Baku for talks, round {i}.",
            f"2021-{i % 12 + 1:02d}-0{i % 9 + 1}",
            [("CONSULT", "AZE", "RUS")],
        )
        for i in range(extra)
    ]
    store = open_store(path_or_store) if isinstance(path_or_store, (str, os.PathLike)) else path_or_store
    store.write_batch(None, [stored(r) for r in [*REPORTS, *more]])
    merge_events(store)
    with store.transaction():
        store.execute("UPDATE documents SET analyzer = ?", (OLD,))
    return store


def accusation_event(store) -> str:
    return store.query(
        "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.text = ?", (ACCUSATION,)
    )[0][0]


def test_the_analyzer_is_the_package_version_and_the_event_models_hash():
    import json

    import communique
    from communique.stages.events.model import MODEL_DIR

    digest = json.loads((MODEL_DIR / "event-coder.json").read_text())["sha256"]
    assert analyzer_version() == f"communique {communique.__version__}+events.{digest[:12]}"


def test_documents_and_runs_record_the_analyzer_that_wrote_them(tmp_path):
    with open_store(tmp_path / "c.db") as store:
        run_id = store.start_run(["x"], {})
        store.write_batch(run_id, [stored(REPORTS[0])])
        assert store.query("SELECT analyzer FROM documents") == [(analyzer_version(),)]
        assert store.runs()[0]["analyzer"] == analyzer_version()


def test_reanalyze_replaces_every_older_documents_rows_once_and_keeps_corrections(store, analyzer):
    corpus(store)
    made = correct_event(store, accusation_event(store), recipient=["ARM"], by="ana")
    n = len(REPORTS)
    assert pending(store) == n

    report = reanalyze(store, analyzer=analyzer)

    assert (report.analysed, report.failed) == (n, [])
    assert pending(store) == 0
    assert store.query("SELECT DISTINCT analyzer FROM documents") == [(analyzer_version(),)]
    logged = store.query("SELECT document_id, run_id FROM document_analyses")
    assert len(logged) == n and {r for _, r in logged} == {report.run_id}
    # the correction holds in the new analysis: one event of that document carries it, toward Armenia
    doc_id = made.document_id
    carried = store.query(
        "SELECT e.type, p.party FROM events e JOIN event_participants p ON p.event_id = e.id "
        "AND p.role = 'recipient' WHERE e.document_id = ? AND e.correction_id = ?",
        (doc_id, made.id),
    )
    assert carried == [("ACCUSE", "ARM")]
    assert [p.events for p in relations.dyad_series(store, "AZE", "ARM").periods] == [1]
    assert len(corrections(store)) == 1
    # run again: nothing left to do
    assert reanalyze(store, analyzer=analyzer).analysed == 0
    runs = store.runs()
    assert [(r["sources"], r["status"], r["analyzer"]) for r in runs[-2:]] == [
        ('["reanalyze"]', "finished", analyzer_version())
    ] * 2


def test_since_restricts_reanalysis_to_documents_published_from_that_day(store, analyzer):
    corpus(store)
    later = int(store.query("SELECT count(*) FROM documents WHERE published >= '2022-07-01'")[0][0])
    assert 0 < later < len(REPORTS)
    assert reanalyze(store, since="2022-07-01", analyzer=analyzer).analysed == later
    assert pending(store) == len(REPORTS) - later


def _analysed(db) -> int:
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM document_analyses").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:
        return 0


def test_a_reanalysis_killed_mid_run_and_restarted_analyses_each_document_once(tmp_path):
    db = tmp_path / "c.db"
    store = corpus(db, extra=80)
    made = correct_event(store, accusation_event(store), recipient=["ARM"], by="ana")
    total = pending(store)
    store.close()
    command = [*CLI, "reanalyze", "--db", str(db)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None and _analysed(db) < 5:
        time.sleep(0.01)
    assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    at_kill = _analysed(db)
    assert 5 <= at_kill < total  # killed in the middle

    restarted = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert restarted.returncode == 0, restarted.stderr
    assert f"{total - at_kill} documents re-analysed" in restarted.stderr
    with open_store(db) as store:
        first, second = [r["id"] for r in store.runs() if r["sources"] == '["reanalyze"]']
        by_run = dict(store.query("SELECT run_id, count(*) FROM document_analyses GROUP BY run_id"))
        assert by_run == {first: at_kill, second: total - at_kill}  # none twice, none lost
        assert [r["status"] for r in store.runs() if r["id"] in (first, second)] == [
            "interrupted",
            "finished",
        ]
        assert store.query("SELECT DISTINCT analyzer FROM documents") == [(analyzer_version(),)]
        assert store.query("SELECT count(*) FROM event_sources WHERE cluster_id IS NULL") == [(0,)]
        assert store.query("SELECT count(*) FROM events WHERE correction_id = ?", (made.id,)) == [(1,)]
