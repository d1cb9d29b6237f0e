"""Ingestion runs: sources to stored documents, exactly once, with exact and near copies linked, not re-stored."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import shared_path

from communique.corpus import run as corpus_module
from communique.corpus.dedup import signature, similarity
from communique.corpus.run import IngestSettings, ingest, read_sources
from communique.corpus.store import open_store
from communique.document import content_id
from communique.ingest.records import RECORD_FIELDS, read_jsonl

CORPUS = ("corpora", "allsides-geopolitics.jsonl.gz")


def corpus_records(n: int, chars: int = 2500) -> list[dict]:
    """The first n articles of the shared corpus, cut to about ``chars`` characters at a paragraph end, without the
    page furniture ingestion removes (so a record's text is the text stored: its content id is the document's)."""
    from communique.ingest.furniture import strip_furniture

    records = []
    with gzip.open(shared_path(*CORPUS), "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = record["text"]
            if len(text) > chars:
                text = text[: text.rfind("\n", 0, chars)] if "\n" in text[:chars] else text[:chars]
            record["text"] = strip_furniture(text).text
            records.append(record)
            if len(records) == n:
                break
    return records


@pytest.fixture(scope="module")
def in_process(analyzer):
    """Analyse in this process with the session's model (workers=0), as the CLI does with --workers 0."""
    corpus_module._analyzer = analyzer
    yield IngestSettings(workers=0, chunk_size=4)
    corpus_module._analyzer = None


@pytest.fixture(scope="module")
def mixed_input(tmp_path_factory):
    """Five articles, an exact copy under another id, a re-edited copy, and a broken line."""
    records = corpus_records(5)
    copy = dict(records[1], ID="syndicated-copy-1", source="Syndicator")
    edited = dict(records[3], ID="re-edit-3")
    words = edited["text"].split(" ")
    words[5:8] = ["(updated", "with", "comment)"]
    edited["text"] = " ".join(words)
    path = tmp_path_factory.mktemp("input") / "articles.jsonl"
    lines = [json.dumps(r) for r in records] + [
        json.dumps(copy),
        json.dumps(edited),
        '{"ID": "broken", "text": ',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, records


@pytest.fixture(scope="module")
def ingested(in_process, mixed_input, tmp_path_factory):
    path, records = mixed_input
    db = tmp_path_factory.mktemp("db") / "corpus.db"
    store = open_store(db)
    report = ingest([str(path)], store, in_process)
    yield store, report, records
    store.close()


def test_new_articles_are_analysed_and_stored_once(ingested):
    store, report, _ = ingested
    assert report.added == 5
    assert store.counts()["documents"] == 5
    assert store.counts()["sentences"] > 5


def test_document_id_is_the_content_hash_and_the_input_id_is_kept(ingested):
    store, _, records = ingested
    rows = dict(store.query("SELECT external_id, id FROM documents"))
    assert rows[records[0]["ID"]] == content_id(records[0]["text"])


def test_record_fields_fill_the_document(ingested):
    store, _, records = ingested
    row = store.query(
        "SELECT title, published, source, url, author FROM documents WHERE external_id = ?",
        (records[0]["ID"],),
    )[0]
    assert row == (
        records[0]["title"],
        records[0]["date"],
        records[0]["source"],
        records[0]["url"],
        records[0]["authors"],
    )


def test_an_exact_copy_under_another_id_is_linked_not_stored(ingested):
    store, report, records = ingested
    links = store.query("SELECT document_id, kind, external_id FROM document_links WHERE kind = 'exact'")
    assert links == [(content_id(records[1]["text"]), "exact", "syndicated-copy-1")]


def test_a_re_edited_copy_is_linked_to_its_original_as_a_near_duplicate(ingested):
    store, report, records = ingested
    links = store.query("SELECT document_id, kind, similarity FROM document_links WHERE kind = 'near'")
    assert len(links) == 1
    assert links[0][0] == content_id(records[3]["text"])
    assert links[0][2] >= 0.8
    assert report.linked == 2


def test_a_broken_line_is_recorded_as_a_run_error_and_the_run_goes_on(ingested):
    store, report, _ = ingested
    assert report.errors == 1
    errors = store.run_errors(report.run_id)
    assert len(errors) == 1 and errors[0][1].endswith("articles.jsonl:8")


def test_ingesting_the_same_input_again_adds_no_rows(ingested, in_process, mixed_input):
    store, _, _ = ingested
    before = store.counts()
    again = ingest([str(mixed_input[0])], store, in_process)
    assert (again.added, again.linked) == (0, 0)
    assert again.skipped == 7
    assert store.counts() == before


def test_a_directory_of_text_html_and_json_files_and_a_list_file_are_read(tmp_path):
    records = corpus_records(3, chars=800)
    folder = tmp_path / "articles"
    (folder / "deeper").mkdir(parents=True)
    (folder / "one.txt").write_text(records[0]["text"], encoding="utf-8")
    (folder / "deeper" / "two.json").write_text(
        json.dumps({"text": records[1]["text"], "title": "Two"}), encoding="utf-8"
    )
    (folder / "ignored.png").write_bytes(b"\x89PNG")
    listed = tmp_path / "three.txt"
    listed.write_text(records[2]["text"], encoding="utf-8")
    sources = tmp_path / "sources.txt"
    sources.write_text(f"# what to read\n{folder}\nthree.txt\n", encoding="utf-8")
    found = list(read_sources([str(sources)]))
    assert [Path(i.origin).name for i in found] == ["two.json", "one.txt", "three.txt"]
    assert all(i.document.id == content_id(i.document.text) for i in found)
    assert found[0].document.title == "Two"


def test_a_feed_file_gives_one_document_per_entry_with_its_date_and_feed_title(tmp_path):
    records = corpus_records(2, chars=600)
    items = "".join(
        f"<item><title>{r['title']}</title><guid>urn:test:{i}</guid><pubDate>Tue, 12 May 2015 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[<p>{r['text']}</p>]]></description></item>"
        for i, r in enumerate(records)
    )
    feed = tmp_path / "world.rss"
    feed.write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>World desk</title>{items}</channel></rss>',
        encoding="utf-8",
    )
    found = list(read_sources([str(feed)]))
    assert [i.document.title for i in found] == [r["title"] for r in records]
    assert {i.document.source for i in found} == {"World desk"}
    assert {str(i.document.published) for i in found} == {"2015-05-12"}
    assert found[0].external_id == "urn:test:0"


def test_a_missing_source_is_an_error_not_a_crash(tmp_path):
    found = list(read_sources([str(tmp_path / "nowhere")]))
    assert len(found) == 1 and "no such file" in found[0].error


def test_minhash_similarity_separates_copies_from_different_articles():
    first, second = corpus_records(2)
    edited = first["text"].replace("the", "a", 3)
    assert similarity(signature(first["text"]), signature(first["text"])) == 1.0
    assert similarity(signature(first["text"]), signature(edited)) > 0.8
    assert similarity(signature(first["text"]), signature(second["text"])) < 0.2


@pytest.fixture
def news_site():
    """A local site with an RSS feed (answering conditional GETs) and the two articles it links to."""
    import html
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    records = corpus_records(2, chars=700)
    requests: list[tuple[str, str | None]] = []

    class Site(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            requests.append((self.path, self.headers.get("If-None-Match")))
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/rss.xml":
                if self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                items = "".join(
                    f"<item><title>{html.escape(r['title'])}</title><link>{host}/a{i}.html</link>"
                    "<pubDate>Tue, 12 May 2015 10:00:00 GMT</pubDate></item>"
                    for i, r in enumerate(records)
                )
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'
                self._send(body.encode(), "application/rss+xml", {"ETag": '"v1"'})
            else:
                i = int(self.path[2])
                paragraphs = "".join(
                    f"<p>{html.escape(p)}</p>" for p in records[i]["text"].split("\n") if p.strip()
                )
                page = (
                    f"<html><head><title>{html.escape(records[i]['title'])}</title></head><body><article>"
                    f"{paragraphs}</article></body></html>"
                )
                self._send(page.encode(), "text/html; charset=utf-8", {})

        def _send(self, body: bytes, kind: str, headers: dict[str, str]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss.xml", requests
    server.shutdown()


def test_a_feed_is_fetched_again_only_when_it_changed(news_site, in_process, tmp_path, monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    url, requests = news_site
    with open_store(tmp_path / "corpus.db") as store:
        first = ingest([url], store, in_process)
        assert first.added == 2
        assert store.feed_state(url)[0] == '"v1"'
        assert {r[0] for r in store.query("SELECT source FROM documents")} == {"Desk"}
        requests.clear()
        second = ingest([url], store, in_process)
    assert second.added == 0
    assert requests == [("/rss.xml", '"v1"')]  # a 304, and no article fetched again


def test_a_document_the_database_refuses_is_a_run_error_and_its_chunk_mates_are_stored(tmp_path, in_process):
    from communique.corpus.store import AnalysedDocument

    records = corpus_records(3, chars=600)
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    with open_store(tmp_path / "corpus.db") as store:
        real_write = store.write_batch

        def refuse_second(run_id, items):  # the database refuses the second article, as PostgreSQL does a NUL
            refused = content_id(records[1]["text"])
            if any(isinstance(i, AnalysedDocument) and i.record["document"]["id"] == refused for i in items):
                from communique.errors import StoreError

                raise StoreError("PostgreSQL: invalid byte sequence for encoding UTF8: 0x00")
            return real_write(run_id, items)

        store.write_batch = refuse_second
        report = ingest([str(path)], store, in_process)
        assert (report.added, report.errors) == (2, 1)
        assert "0x00" in store.run_errors(report.run_id)[0][3]


# -- records: `ingest` reads them as `analyze --jsonl` does ---------------------------------------------------

REPORT = (
    "Azerbaijan and Kyrgyzstan signed a declaration on strategic partnership in Bishkek on Wednesday, "
    "the Azerbaijani presidency said.\n"
)


def _jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


FIELD_VALUES = {
    "id": "aze-kgz-1",
    "title": "Baku and Bishkek sign partnership declaration",
    "url": "https://example.org/aze-kgz",
    "author": ["Leyla Mammadova", "Aibek Osmonov"],
    "source": "Caspian Wire",
    "genre": "news",
    "published": "Oct. 24, 2016",
    "bias": "center",
}


@pytest.mark.parametrize(
    "field, key", [(field, key) for field, keys in RECORD_FIELDS.items() if field != "text" for key in keys]
)
def test_ingest_and_analyze_jsonl_read_every_field_spelling_alike(tmp_path, field, key):
    path = _jsonl(tmp_path / "in.jsonl", {"text": REPORT, key: FIELD_VALUES[field]})
    (analysed,) = read_jsonl(path)
    (incoming,) = read_sources([str(path)])
    ingested = incoming.document
    attributes = ("title", "url", "author", "source", "genre", "published", "bias")
    assert [getattr(ingested, a) for a in attributes] == [getattr(analysed, a) for a in attributes]
    if field == "id":
        assert incoming.external_id == analysed.id == "aze-kgz-1"
    else:
        assert getattr(ingested, field) is not None  # the spelling was read, not merely ignored by both


def test_every_text_spelling_is_read_by_ingest(tmp_path):
    for key in RECORD_FIELDS["text"]:
        (incoming,) = read_sources([str(_jsonl(tmp_path / f"{key}.jsonl", {key: REPORT}))])
        assert incoming.document.text == REPORT


def test_a_record_with_an_unreadable_date_is_read_undated_and_the_warning_logged(tmp_path, caplog):
    path = _jsonl(
        tmp_path / "in.jsonl", {"ID": "undated", "text": REPORT, "date": "the day after the summit"}
    )
    (incoming,) = read_sources([str(path)])
    assert incoming.document.published is None and incoming.external_id == "undated"
    assert incoming.document.warnings[0].endswith("analysed without a publication date")
    assert f"{path}:1: publication date 'the day after the summit' is not a date" in caplog.text


def test_a_record_with_an_ambiguous_date_is_read_undated(tmp_path):
    (incoming,) = read_sources([str(_jsonl(tmp_path / "in.jsonl", {"text": REPORT, "date": "03/04/16"}))])
    assert incoming.document.published is None
    assert "is ambiguous: March 4 or April 3" in incoming.document.warnings[0]


def test_a_record_with_an_unreadable_date_is_stored_undated_not_lost(tmp_path, in_process):
    path = _jsonl(
        tmp_path / "in.jsonl", {"ID": "undated", "text": REPORT, "date": "the day after the summit"}
    )
    with open_store(tmp_path / "corpus.db") as store:
        report = ingest([str(path)], store, in_process)
        assert (report.added, report.errors) == (1, 0)
        assert store.query("SELECT external_id, published FROM documents") == [("undated", None)]


def test_the_corpus_line_dated_10_24_16_is_ingested_as_24_october_2016(tmp_path):
    with gzip.open(shared_path(*CORPUS), "rt", encoding="utf-8") as lines:
        record = next(json.loads(line) for line in lines if '"date": "10/24/16"' in line)
    (incoming,) = read_sources([str(_jsonl(tmp_path / "in.jsonl", record))])
    assert str(incoming.document.published) == "2016-10-24"


def test_a_line_that_is_not_utf8_is_a_run_error_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"ID": "bad", "text": "Bad \xff byte"}\n' + json.dumps({"text": REPORT}).encode() + b"\n"
    )
    bad, good = read_sources([str(path)])
    assert bad.origin == f"{path}:1" and "not valid UTF-8" in bad.error
    assert good.document.text == REPORT


def test_articles_not_in_english_are_stored_searchable_and_counted_as_set_aside(tmp_path, in_process):
    from communique.corpus.relations import dyad_series, network

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    folder = tmp_path / "articles"
    folder.mkdir()
    for code in ("ru", "tr"):
        name = f"aliyev-bishkek.{code}.txt"
        (folder / name).write_text((fixtures / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "en.txt").write_text(
        "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek on Wednesday, and "
        "the two leaders signed a treaty on strategic partnership.\n",
        encoding="utf-8",
    )
    with open_store(tmp_path / "languages.db") as store:
        report = ingest([str(folder)], store, in_process)
        assert report.added == 3 and report.errors == 0
        languages = dict(store.query("SELECT language, count(*) FROM documents GROUP BY language"))
        assert languages == {"en": 1, "ru": 1, "tr": 1}
        russian = store.search("Жапаров", quotes=False)
        assert len(russian) == 1 and "Бишкек" in russian[0].title
        assert store.query(
            "SELECT count(*) FROM actors a JOIN documents d ON d.id = a.document_id WHERE d.language <> 'en'"
        ) == [(0,)]
        assert dyad_series(store, "AZE", "KGZ").set_aside_by_language == {"ru": 1, "tr": 1}
        assert network(store).set_aside_by_language == {"ru": 1, "tr": 1}
    from typer.testing import CliRunner

    from communique.cli import app

    printed = CliRunner().invoke(app, ["balance", "AZE", "--db", str(tmp_path / "languages.db")]).output
    assert "set aside: 2 stored documents not in English (ru 1, tr 1)" in printed


def _articles_jsonl(path: Path, records: list[dict], broken: bool = False) -> Path:
    lines = [json.dumps(r) for r in records] + (['{"ID": "broken", "text": '] if broken else [])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_run_racing_another_over_the_same_input_reports_what_it_analysed_and_skipped(tmp_path, in_process):
    from communique.corpus.store.sqlite import SQLiteStore

    source = _articles_jsonl(tmp_path / "articles.jsonl", corpus_records(3, chars=600))
    db = tmp_path / "race.db"

    class RacedStore(SQLiteStore):
        """Another run ingests the same input between this run's decisions and its first write."""

        raced = False

        def write_batch(self, run_id, items):
            if not self.raced:
                self.raced = True
                with open_store(db) as other:
                    assert ingest([str(source)], other, in_process).added == 3
            return super().write_batch(run_id, items)

    store = RacedStore(db)
    try:
        report = ingest([str(source)], store, in_process)
        runs = store.runs()
    finally:
        store.close()
    assert (report.added, report.errors) == (0, 0)
    assert report.stored_meanwhile == 3 and report.skipped == 3 and report.documents == 3
    assert runs[0]["documents_skipped"] == 3
    assert runs[1]["id"] != report.run_id and runs[1]["documents_added"] == 3


def test_ingest_exits_non_zero_when_a_document_failed(tmp_path, in_process):
    from typer.testing import CliRunner

    from communique.cli import app

    source = _articles_jsonl(tmp_path / "articles.jsonl", corpus_records(1, chars=600), broken=True)
    db = tmp_path / "exit.db"
    result = CliRunner().invoke(app, ["ingest", str(source), "--db", str(db), "--workers", "0"])
    assert result.exit_code == 1, result.output
    assert "1 documents added" in result.output and "1 errors" in result.output


def test_ingest_exits_zero_when_every_document_was_stored(tmp_path, in_process):
    from typer.testing import CliRunner

    from communique.cli import app

    source = _articles_jsonl(tmp_path / "articles.jsonl", corpus_records(1, chars=600))
    result = CliRunner().invoke(
        app, ["ingest", str(source), "--db", str(tmp_path / "ok.db"), "--workers", "0"]
    )
    assert result.exit_code == 0, result.output


def test_ingest_says_plainly_how_many_documents_it_analysed_and_then_skipped(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from communique.cli import app
    from communique.corpus import run as corpus

    raced = corpus.IngestReport(run_id=1, skipped=60, stored_meanwhile=60)
    monkeypatch.setattr(corpus, "ingest", lambda *args, **kwargs: raced)
    result = CliRunner().invoke(
        app, ["ingest", "x.jsonl", "--db", str(tmp_path / "said.db"), "--workers", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "60 already stored (60 of them analysed here, then skipped: stored meanwhile by another run)" in (
        " ".join(result.output.split())
    )
