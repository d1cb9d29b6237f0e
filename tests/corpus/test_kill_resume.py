"""Exactly once under SIGKILL: an ingest killed twice and resumed ends with the rows of an uninterrupted one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique.corpus.store import CONTENT_TABLES, open_store
from tests.corpus.test_corpus import corpus_records

CLI = [sys.executable, "-c", "from communique.cli import main; main()"]
# Columns that say which run wrote a row: they differ between an interrupted and a clean history by design.
RUN_COLUMNS = {"run_id"}


def write_input(path: Path) -> int:
    """58 short real articles, then an exact copy under a new id and a near copy: 60 lines."""
    records = corpus_records(58, chars=900)
    copy = dict(records[10], ID="copy-of-10")
    near = dict(records[20], ID="near-20", text=records[20]["text"] + "\n\nThis story has been updated.")
    lines = [json.dumps(r) for r in [*records, copy, near]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def table_contents(db: Path) -> dict[str, list[tuple]]:
    """Every content table's rows, sorted, without the run bookkeeping columns."""
    connection = sqlite3.connect(db)
    contents = {}
    for table in CONTENT_TABLES:
        columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})") if r[1] not in RUN_COLUMNS]
        rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        contents[table] = sorted(rows, key=repr)
    connection.close()
    return contents


def stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def start_ingest(source: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, "ingest", str(source), "--db", str(db), "--workers", "1", "--chunk-size", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill_when_stored(process: subprocess.Popen, db: Path, documents: int, timeout: float = 300) -> int:
    """SIGKILL the whole run (main process and workers) once ``documents`` are stored; return the count then."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if stored_documents(db) >= documents:
            break
        time.sleep(0.1)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return stored_documents(db)


@pytest.mark.slow
def test_an_ingest_killed_twice_and_resumed_ends_with_the_rows_of_a_clean_run(tmp_path):
    source = tmp_path / "articles.jsonl"
    write_input(source)

    interrupted = tmp_path / "interrupted.db"
    first = kill_when_stored(start_ingest(source, interrupted), interrupted, 9)
    second = kill_when_stored(start_ingest(source, interrupted), interrupted, 30)
    assert 0 < first < second < 58, "the kills should land mid-run"
    resumed = start_ingest(source, interrupted)
    _, errors = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, errors.decode()

    clean = tmp_path / "clean.db"
    uninterrupted = start_ingest(source, clean)
    _, errors = uninterrupted.communicate(timeout=600)
    assert uninterrupted.returncode == 0, errors.decode()

    expected = table_contents(clean)
    assert len(expected["documents"]) == 58 and len(expected["document_links"]) == 2
    assert table_contents(interrupted) == expected
    with open_store(interrupted) as store:
        statuses = [r["status"] for r in store.runs()]
    assert statuses == ["interrupted", "interrupted", "finished"]  # each killed run, marked by the next start
