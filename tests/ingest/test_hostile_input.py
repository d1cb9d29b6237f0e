"""A corpus of hostile input, generated at test time: the batch finishes, every bad document analyses or is
recorded with a clear error, and the good articles mixed in are all stored.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from communique.corpus import run as corpus_module
from communique.corpus.run import IngestSettings, ingest
from communique.corpus.store import open_store
from communique.document import content_id
from tests.corpus.test_corpus import corpus_records

GOOD = 4
LONG_SENTENCE = (
    "Azerbaijan and Kyrgyzstan signed "
    + ", ".join(f"agreement number {i} on transit through the port of Baku" for i in range(200))
)[:10_000] + "."
OTHER_LONG_SENTENCE = (
    "Officials from Russia, China and Turkey discussed "
    + ", ".join(f"proposal {i} for a railway from Kashgar to Osh and on to Andijan" for i in range(200))
)[:10_000] + "."


def write_hostile_corpus(directory: Path, good: list[dict]) -> dict[str, str]:
    """Write the bad files (and the good articles) into ``directory``; return {file name: what it is}."""
    rng = random.Random(7)
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "whitespace.txt": b" \n\t \n",
        "binary.txt": bytes(rng.randrange(256) for _ in range(4096)),
        "png-image.html": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)),
        "huge.txt": b"The summit in Baku went on. " * (50 * 1024 * 1024 // 28 + 1),  # over 50 MB
        "invalid-utf8.txt": b"Baku hosted the talks on Tuesday. "
        + b"\xff\xfe\xc3\x28\xa0\xa1 "
        + b"Bishkek welcomed the outcome.",
        "utf16-without-bom.txt": "Kyrgyzstan and Azerbaijan agreed to expand trade, officials said.\n".encode(
            "utf-16-le"
        ),
        "deeply-nested.html": b"<html><body>"
        + b"<div>" * 20_000
        + b"<p>Turkey supported the plan.</p>"
        + b"</div>" * 20_000
        + b"</body></html>",
        "long-sentences.txt": (LONG_SENTENCE + " " + LONG_SENTENCE).encode(),
        "only-punctuation.txt": ("!?.,;:-\u2014()[]{}\"'\u00ab\u00bb\u2026 " * 300).encode(),
        "cjk.txt": "\u4e2d\u534e\u4eba\u6c11\u5171\u548c\u56fd\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u8868\u793a\uff0c"
        "\u4e2d\u65b9\u652f\u6301\u963f\u585e\u62dc\u7586\u548c\u5409\u5c14\u5409\u65af\u65af\u5766\u3002".encode(),
        "right-to-left.txt": (
            "\u0642\u0627\u0644 \u0648\u0632\u064a\u0631 \u0627\u0644\u062e\u0627\u0631\u062c"
            "\u064a\u0629 \u0625\u0646 \u0628\u0627\u0643\u0648 \u0648\u0628\u064a\u0634\u0643"
            "\u064a\u0643 \u0633\u062a\u0648\u0642\u0639\u0627\u0646 \u0627\u062a\u0641\u0627"
            "\u0642\u0627. \u05e9\u05dc\u05d5\u05dd \u05e2\u05dc\u05d9\u05db\u05dd."
        ).encode(),
        "unbalanced-quotes.txt": (
            'The minister said "Russia will respond. He added \u201cthe talks in Baku '
            'were \u201cuseful and "frank\u201d. \u00ab Nothing more \u201d was said. "'
        ).encode(),
        "scripts.html": b"<html><head><script>"
        + b"var x = '<p>Russia attacked</p>';" * 2000
        + b"</script><style>p{color:red}</style></head><body><script>alert('Baku')</script>"
        + b"<noscript>enable scripts</noscript><script>document.write('Moscow')</script></body></html>",
    }
    kinds = {name: "hostile" for name in files}
    for name, content in files.items():
        (directory / name).write_bytes(content)
    records = [
        {"id": "record-empty", "text": ""},
        {"id": "record-not-text", "text": 42},
        {"id": "record-control", "text": "Bishkek\x00\x01\x02 and Baku \x1b[31m agreed\u202e on transit."},
        {"id": "record-over-limit", "text": "Baku welcomed the Kyrgyz delegation. " * 30_000},
        {"id": "record-lone-surrogate", "text": "Kyrgyzstan said \ud800 it would join."},
        {"id": "record-long-sentences", "text": OTHER_LONG_SENTENCE + " " + OTHER_LONG_SENTENCE},
    ]
    lines = [json.dumps(r) for r in records] + ["{not json", "[1, 2, 3]"]
    (directory / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds["records.jsonl"] = "hostile"
    for i, record in enumerate(good):
        name = f"good-{i}.txt"
        (directory / name).write_text(record["text"], encoding="utf-8")
        kinds[name] = "good"
    return kinds


@pytest.fixture(scope="module")
def hostile_run(analyzer, tmp_path_factory):
    corpus_module._analyzer = analyzer  # analyse in this process with the session's model
    directory = tmp_path_factory.mktemp("hostile")
    good = corpus_records(GOOD, chars=1500)
    kinds = write_hostile_corpus(directory, good)
    db = tmp_path_factory.mktemp("hostile-db") / "store.db"
    store = open_store(db)
    report = ingest([str(directory)], store, IngestSettings(workers=0, chunk_size=4))
    yield store, report, kinds, good, directory
    store.close()


def test_a_batch_of_hostile_input_finishes(hostile_run):
    store, report, _, _, _ = hostile_run
    assert store.runs()[-1]["status"] == "finished"
    assert report.documents >= GOOD


def test_every_good_article_mixed_with_hostile_input_is_stored(hostile_run):
    store, _, _, good, _ = hostile_run
    ids = [content_id(record["text"]) for record in good]
    assert store.known_keys(ids) == set(ids)
    events = store.query("SELECT count(*) FROM events")[0][0]
    assert events > 0  # the good articles were really analysed, not stored empty


def test_every_hostile_file_is_either_stored_or_recorded_with_a_clear_error(hostile_run):
    store, _, kinds, _, directory = hostile_run
    stored_origins = {row[0] for row in store.query("SELECT origin FROM documents")}
    errors = {origin: error for _, origin, _, error in store.run_errors()}
    for name in kinds:
        if name == "records.jsonl":
            continue
        path = str(directory / name)
        assert path in stored_origins or path in errors, f"{name} was silently lost"
        if path in errors:
            assert len(errors[path]) > 10 and "Traceback" not in errors[path], errors[path]


@pytest.mark.parametrize("name", ["empty.txt", "binary.txt", "png-image.html", "huge.txt", "whitespace.txt"])
def test_unreadable_files_are_refused_with_the_reason(hostile_run, name):
    store, _, _, _, directory = hostile_run
    errors = {origin: error for _, origin, _, error in store.run_errors()}
    reason = errors.get(str(directory / name), "")
    assert any(word in reason for word in ("empty", "binary", "limit", "image", "not text")), reason


def test_every_hostile_record_is_either_stored_or_recorded(hostile_run):
    store, _, _, _, directory = hostile_run
    source = directory / "records.jsonl"
    stored = {row[0] for row in store.query("SELECT origin FROM documents")}
    errors = {origin for _, origin, _, _ in store.run_errors()}
    for line in range(1, 9):
        origin = f"{source}:{line}"
        assert origin in stored or origin in errors, f"line {line} of the records was silently lost"
    assert not store.query("SELECT copy_key FROM document_links WHERE copy_key LIKE 'record-%'")
    assert f"{source}:4" in errors  # over the analysis limit: refused, not analysed for minutes


@pytest.mark.parametrize(
    "name",
    [
        "long-sentences.txt",
        "only-punctuation.txt",
        "cjk.txt",
        "right-to-left.txt",
        "unbalanced-quotes.txt",
        "invalid-utf8.txt",
        "utf16-without-bom.txt",
        "deeply-nested.html",
        "scripts.html",
    ],
)
def test_readable_hostile_text_is_analysed_not_refused(hostile_run, name):
    # A one-line text file is first tried as a list of paths: a line too long for a file name once made
    # Path.exists() raise, and the article was refused with "File name too long".
    store, _, _, _, directory = hostile_run
    stored = {row[0] for row in store.query("SELECT origin FROM documents")}
    assert str(directory / name) in stored, f"{name} is text and should be analysed"


def test_ten_thousand_character_sentences_in_a_record_are_analysed(hostile_run):
    store, _, _, _, directory = hostile_run
    origin = f"{directory / 'records.jsonl'}:6"
    rows = store.query("SELECT id FROM documents WHERE origin = ?", (origin,))
    assert rows, "the record of two 10,000-character sentences should be stored"
    spans = store.query("SELECT char_end - char_start FROM sentences WHERE document_id = ?", (rows[0][0],))
    assert max(length for (length,) in spans) >= 5_000
