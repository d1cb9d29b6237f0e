"""Reading sources (communique/ingest/read.py): files, standard input and URLs become documents, a plain text's
headline its title; the command line gives one clear error line for every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from communique.cli import app
from communique.errors import FetchError
from communique.ingest import read as ingestion
from communique.ingest.read import document_from_bytes, document_from_text, headline, read_source
from tests.ingest.test_decode import ARTICLE_HTML, REPORT
from tests.ingest.test_records import BAD_LINES, write_jsonl

# -- plain text: titles -----------------------------------------------------------------------------------


def test_headline_line_becomes_the_title_and_stays_in_the_text():
    document = document_from_text(REPORT)
    assert document.title == "Georgia and Armenia agree to reopen rail link"
    assert document.text == REPORT  # offsets point into the text as given


def test_first_line_that_is_a_sentence_is_not_a_title():
    text = "Tbilisi and Yerevan agreed on Tuesday to restore passenger trains.\nThe service resumes in May.\n"
    assert document_from_text(text).title is None


def test_single_line_text_has_no_title():
    assert (
        document_from_text("Tbilisi and Yerevan agreed on Tuesday to restore passenger trains").title is None
    )


def test_byline_is_not_a_title():
    text = "By Nino Beridze\nTbilisi and Yerevan agreed on Tuesday to restore passenger trains.\n"
    assert document_from_text(text).title is None


def test_run_on_standfirst_is_split_from_headline():
    text = (
        "Caspian ferry link reopens after two-year pause Restoring the shortest route to Kazakhstan\n"
        "The ferry service between Alat and Aktau resumed on Monday.\n"
    )
    assert document_from_text(text).title == "Caspian ferry link reopens after two-year pause"


def test_title_case_headline_is_kept_whole():
    text = "Kazakhstan Is Reshaping Its Oil Exports Amid Sanctions\nAstana is sending more crude via Baku.\n"
    assert document_from_text(text).title == "Kazakhstan Is Reshaping Its Oil Exports Amid Sanctions"


def test_photo_caption_line_is_not_a_title():
    text = (
        "Skyline of Baku at dusk, March 14, 2023. (Photo: Leyla Mammadova/AP)\nThe ferry service resumed.\n"
    )
    assert headline(text) is None


def test_agency_dateline_line_is_not_a_title():
    text = (
        "(CNN) Could the Middle Corridor replace the route through Russia?\nTraders in Aktau are not sure.\n"
    )
    assert headline(text) is None


def test_headline_ending_in_an_abbreviation_is_a_title():
    text = "Kazakhstan signs grain deal with the U.S.\nAstana agreed on Monday to sell wheat.\n"
    assert headline(text) == "Kazakhstan signs grain deal with the U.S."


def test_question_headline_is_a_title():
    text = "Can the Middle Corridor replace the route through Russia?\nTraders in Aktau are not sure.\n"
    assert headline(text) == "Can the Middle Corridor replace the route through Russia?"


def test_seed_headline_is_split_from_its_standfirst(seed_text, seed_gold):
    assert document_from_text(seed_text).title == seed_gold["document"]["title"]


def test_seed_text_is_kept_whole(seed_text):
    assert document_from_bytes(seed_text.encode("utf-8"), name="seed.txt").text == seed_text


# -- the command line -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _single_error_line(result) -> str:
    output = result.stderr if result.stderr else result.output
    lines = [line for line in output.splitlines() if line.strip()]
    assert "Traceback" not in output
    assert len(lines) == 1, output
    assert lines[0].startswith("error:")
    return lines[0]


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    import random

    files = {
        "empty": b"",
        "noise": random.Random(11).randbytes(4096),
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "scripts": b"<html><body><script>track();</script><style>p{}</style></body></html>",
    }
    paths = {}
    for name, raw in files.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_bytes(raw)
    paths["big"] = folder / "big.txt"
    with paths["big"].open("wb") as handle:
        line = REPORT.encode()
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    return paths


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty", "empty input"),
        ("noise", "binary"),
        ("png", "PNG image"),
        ("scripts", "no article text"),
        ("big", "over the 20 MB input limit"),
    ],
)
def test_bad_file_gives_one_error_line_and_nonzero_exit(runner, bad_inputs, case, message):
    result = runner.invoke(app, ["analyze", str(bad_inputs[case]), "--format", "json"])
    assert result.exit_code != 0
    assert message in _single_error_line(result)


def test_missing_file_gives_one_error_line(runner, tmp_path):
    result = runner.invoke(app, ["analyze", str(tmp_path / "missing.txt")])
    assert result.exit_code != 0 and "no such file" in _single_error_line(result)


def test_bad_published_date_gives_one_error_line(runner):
    result = runner.invoke(app, ["analyze", str(ARTICLE_HTML), "--published", "the day after the summit"])
    assert result.exit_code != 0 and "is not a date communique reads" in _single_error_line(result)


def test_ambiguous_published_option_is_refused_not_guessed(runner):
    result = runner.invoke(app, ["analyze", str(ARTICLE_HTML), "--published", "03/04/2022"])
    assert result.exit_code != 0 and "is ambiguous: March 4 or April 3" in _single_error_line(result)


def test_empty_standard_input_gives_one_error_line(runner):
    result = runner.invoke(app, ["analyze", "-"], input=b"")
    assert result.exit_code != 0 and "empty input" in _single_error_line(result)


def test_non_http_url_gives_one_error_line(runner):
    result = runner.invoke(app, ["analyze", "ftp://ftp.example.org/article.txt"])
    assert result.exit_code != 0 and "only http and https" in _single_error_line(result)


def test_loopback_url_is_refused_by_default(runner, monkeypatch):
    monkeypatch.delenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", raising=False)
    result = runner.invoke(app, ["analyze", "http://127.0.0.1:9/article"])
    assert result.exit_code != 0 and "loopback" in _single_error_line(result)


def test_binary_file_through_real_process_has_no_traceback(bad_inputs):
    completed = subprocess.run(
        [sys.executable, "-c", "from communique.cli import main; main()", "analyze", str(bad_inputs["png"])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip().splitlines() == [completed.stderr.strip()]
    assert completed.stderr.startswith("error:")


def test_jsonl_with_a_bad_line_writes_an_error_record_goes_on_and_exits_1(
    runner, tmp_path, analyzer, monkeypatch
):
    monkeypatch.setattr("communique.pipeline.Analyzer", lambda *a, **k: analyzer)
    source = write_jsonl(tmp_path / "in.jsonl", [BAD_LINES[0], BAD_LINES[1], BAD_LINES[7]])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", "--jsonl", str(source), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 1, result.output  # every line written, but a script must see one failed
    assert "1 of 3 documents could not be analysed" in result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["document"]["id"] for r in records] == ["a1", "line-2", "a8"]
    assert records[1]["error"].startswith("line 2:")
    assert records[0]["dates"] and "error" not in records[2]


def test_jsonl_output_of_an_undated_record_has_null_published_and_the_warning(
    runner, tmp_path, analyzer, monkeypatch
):
    monkeypatch.setattr("communique.pipeline.Analyzer", lambda *a, **k: analyzer)
    source = write_jsonl(tmp_path / "in.jsonl", [BAD_LINES[3], BAD_LINES[0]])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", "--jsonl", str(source), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    undated, dated = (json.loads(line)["document"] for line in out.read_text().splitlines())
    assert undated["id"] == "a4" and undated["published"] is None
    assert undated["warnings"][0].startswith("publication date 'the day after the summit' is not a date")
    assert dated["published"] == "2022-10-13" and dated["warnings"] == []


def test_jsonl_on_two_worker_processes_writes_the_same_lines_in_input_order(
    runner, tmp_path, analyzer, monkeypatch
):
    records = [
        {
            "id": f"n{i}",
            "text": f"Turkey and Azerbaijan signed {i} agreements in Baku on Monday.",
            "published": "2022-10-13",
        }
        for i in range(6)
    ]
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps(r).encode() for r in records] + [BAD_LINES[1]])
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    result = runner.invoke(
        app, ["analyze", "--jsonl", str(source), "--out", str(two), "--workers", "2", "--batch-size", "2"]
    )
    assert result.exit_code == 1, result.output  # the bad line is an error record; the rest are analysed
    monkeypatch.setattr("communique.pipeline.Analyzer", lambda *a, **k: analyzer)
    runner.invoke(app, ["analyze", "--jsonl", str(source), "--out", str(one), "--workers", "1"])
    lines_two = [json.loads(line) for line in two.read_text().splitlines()]
    assert [r["document"]["id"] for r in lines_two] == [*(f"n{i}" for i in range(6)), "line-7"]
    assert lines_two == [json.loads(line) for line in one.read_text().splitlines()]


# -- URLs, served from loopback ---------------------------------------------------------------------------


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        try:
            if self.path == "/ferry":
                body = ARTICLE_HTML.read_bytes()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif self.path == "/slow":
                time.sleep(2)
                self.send_response(200)
                self.end_headers()
            elif self.path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                chunk = REPORT.encode() * 300
                for _ in range(2 * 1024**3 // len(chunk)):
                    self.wfile.write(chunk)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def allow_loopback(monkeypatch):
    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setattr(ingestion, "FETCH_TIMEOUT", 1.0)
    monkeypatch.setattr(ingestion, "MAX_INPUT_BYTES", 2 * 1024 * 1024)


def test_url_yields_title_author_date_body_and_final_url(site, allow_loopback):
    document = read_source(site + "/ferry")
    assert document.title == "Caspian ferry link reopens after two-year pause"
    assert document.author == "Leyla Mammadova" and document.published == date(2023, 3, 14)
    assert "Alat and Aktau" in document.text
    assert document.metadata["fetched_from"] == site + "/ferry"


@pytest.mark.parametrize(
    "path, message", [("/gone", "HTTP 404"), ("/slow", "timed out"), ("/huge", "byte limit")]
)
def test_failing_url_gives_one_error_line_and_nonzero_exit(runner, site, allow_loopback, path, message):
    result = runner.invoke(app, ["analyze", site + path])
    assert result.exit_code != 0
    assert message in _single_error_line(result)


def test_fetch_errors_are_fetch_errors(site, allow_loopback):
    with pytest.raises(FetchError):
        read_source(site + "/gone")
