"""JSONL records (communique/ingest/records.py): one result a line, in order; a bad line is an error record that
says its line number, and the lines after it are read."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

from conftest import shared_path

from communique.document import AnalysisFailure
from communique.ingest import records
from communique.ingest.records import read_jsonl
from tests.ingest.test_decode import REPORT

# -- JSONL ------------------------------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[bytes]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wb") as handle:
        handle.write(b"\n".join(lines) + b"\n")
    return path


def jsonl_line(**record) -> bytes:
    return json.dumps(record).encode()


BAD_LINES = [
    jsonl_line(id="a1", text=REPORT, published="2022-10-13", title="Rail link"),
    b'{"id": "a2", "text": "unterminated',
    jsonl_line(id="a3", title="No text here"),
    jsonl_line(id="a4", text=REPORT, published="the day after the summit"),
    b"[1, 2, 3]",
    b'{"id": "a6", "text": "Bad \xff byte"}',
    b"",
    jsonl_line(ID="a8", text=REPORT, date="2015-05-12"),
]


def test_jsonl_yields_one_result_per_non_blank_line_in_order(tmp_path):
    results = list(read_jsonl(write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    assert len(results) == len(BAD_LINES) - 1  # the blank line is no record
    kinds = [type(r).__name__ for r in results]
    failure = "AnalysisFailure"
    assert kinds == ["Document", failure, failure, "Document", failure, failure, "Document"]


def test_jsonl_bad_lines_say_their_line_number_and_why(tmp_path):
    results = list(read_jsonl(write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    errors = {r.document_id: r.error for r in results if isinstance(r, AnalysisFailure)}
    assert errors["line-2"].startswith("line 2: not valid JSON")
    assert errors["a3"] == "line 3: record has no text"
    assert "a4" not in errors  # an unreadable date is a warning, not a failure
    assert errors["line-5"] == "line 5: expected a JSON object, got list"
    assert errors["line-6"] == "line 6: line is not valid UTF-8"
    assert "line-7" not in errors


def test_jsonl_line_with_an_unreadable_date_is_kept_undated_with_a_warning(tmp_path, caplog):
    results = list(read_jsonl(write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    undated = next(r for r in results if getattr(r, "id", None) == "a4")
    assert undated.published is None and undated.text == REPORT
    assert undated.warnings == [
        "publication date 'the day after the summit' is not a date communique reads (YYYY-MM-DD, an ISO 8601 "
        "or RFC 2822 date-time, 'October 24, 2016', '24 October 2016', or an unambiguous numeric date); "
        "analysed without a publication date"
    ]
    assert "line 4 (a4): publication date 'the day after the summit'" in caplog.text


def test_jsonl_line_with_an_ambiguous_date_is_kept_undated_and_says_why(tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", [jsonl_line(id="b1", text=REPORT, date="03/04/16")])
    (document,) = read_jsonl(path)
    assert document.published is None
    assert document.warnings[0].startswith("publication date '03/04/16' is ambiguous: March 4 or April 3?")


def test_the_corpus_line_dated_10_24_16_is_read_as_24_october_2016(tmp_path):
    with gzip.open(shared_path("corpora", "allsides-geopolitics.jsonl.gz"), "rb") as lines:
        line = next(line for line in lines if b'"date": "10/24/16"' in line)
    (document,) = read_jsonl(write_jsonl(tmp_path / "in.jsonl", [line.rstrip(b"\n")]))
    assert document.published == date(2016, 10, 24) and document.warnings == []


def test_jsonl_reads_corpus_field_spellings(tmp_path):
    results = list(read_jsonl(write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    last = results[-1]
    assert last.id == "a8" and last.published == date(2015, 5, 12)


def test_gzipped_jsonl_is_read(tmp_path):
    results = list(read_jsonl(write_jsonl(tmp_path / "in.jsonl.gz", BAD_LINES[:1])))
    assert results[0].title == "Rail link" and results[0].published == date(2022, 10, 13)


def test_truncated_gzip_ends_with_an_error_record(tmp_path):
    good = gzip.compress(b"\n".join([BAD_LINES[0]] * 200) + b"\n")
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(good[: len(good) // 2])
    results = list(read_jsonl(path))
    assert isinstance(results[-1], AnalysisFailure) and "input ends here" in results[-1].error


def test_jsonl_line_over_the_limit_is_an_error_and_the_next_line_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 1000)
    path = write_jsonl(tmp_path / "in.jsonl", [jsonl_line(id="long", text="Baku. " * 400), BAD_LINES[0]])
    results = list(read_jsonl(path))
    assert "over the" in results[0].error and results[1].id == "a1"
