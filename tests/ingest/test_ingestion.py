"""Ingestion: files, URLs, stdin and JSONL become documents, or one clear error line (communique/ingest/)."""

from __future__ import annotations

import gzip
import io
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
from conftest import shared_path
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from communique.cli import app
from communique.document import AnalysisFailure
from communique.errors import FetchError, InputError
from communique.ingest import read as ingestion
from communique.ingest import records
from communique.ingest.read import document_from_bytes, document_from_text, headline, read_source
from communique.ingest.records import read_jsonl
from communique.pipeline import parse_published

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ARTICLE_HTML = FIXTURES / "caspian-ferry-article.html"

REPORT = (
    "Georgia and Armenia agree to reopen rail link\n"
    "Tbilisi and Yerevan agreed on Tuesday to restore passenger trains between the two capitals, "
    "the Georgian transport ministry said.\n"
    "The service was suspended in 2020 and will resume next month.\n"
)


# -- plain text: encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_encodings_decode_with_or_without_byte_order_mark(encoding):
    text = (
        "Türkiye and Azerbaijan sign transit deal\nThe ministers met in Baku on Monday – “a new chapter”.\n"
    )
    document = document_from_bytes(text.encode(encoding), name="article.txt")
    assert document.text == text
    assert document.title == "Türkiye and Azerbaijan sign transit deal"


def test_utf16_without_bom_is_recognised_and_noted():
    document = document_from_bytes(REPORT.encode("utf-16-le"), name="article.txt")
    assert document.text == REPORT
    assert document.metadata["encoding"] == "utf-16-le"
    assert "no byte-order mark" in document.metadata["decoding"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_cyrillic_utf16_without_bom_is_recognised(encoding):
    text = "Переговоры на границе возобновились\nДелегации встретились в Тбилиси в понедельник.\n"
    document = document_from_bytes(text.encode(encoding), name="article.txt")
    assert document.text == text and document.metadata["encoding"] == encoding


def test_windows_1252_text_keeps_its_quotes_and_accents():
    text = "Café diplomacy in Tbilisi\nThe envoy called the talks “constructive” – a first since 2008.\n"
    document = document_from_bytes(text.encode("cp1252"), name="article.txt")
    assert document.text == text
    assert document.metadata["encoding"] == "cp1252"


def test_latin1_text_decodes():
    text = "Señor Álvarez visits Yerevan\nThe Spanish minister arrived in Yerevan on Friday for talks on trade.\n"
    assert document_from_bytes(text.encode("latin-1"), name="article.txt").text == text


def test_invalid_utf8_bytes_are_replaced_and_said_so_in_metadata():
    raw = REPORT.encode("utf-8").replace(b"Georgian", b"Georgi\xff\xfen") + "Türkiye welcomed it.\n".encode()
    document = document_from_bytes(raw, name="article.txt")
    assert "\ufffd" in document.text and "Türkiye" in document.text
    assert document.metadata["encoding"] == "utf-8"
    assert "invalid UTF-8" in document.metadata["decoding"]


def test_every_decoding_fallback_is_one_of_the_documents_warnings():
    guessed = document_from_bytes(REPORT.encode("utf-16-le"), name="article.txt")
    replaced = document_from_bytes(
        REPORT.encode().replace(b"Georgian", b"Georgi\xff\xfen") + "Türkiye.\n".encode()
    )
    for document in (guessed, replaced):
        assert document.warnings == [document.metadata["decoding"]]


def test_ascii_with_a_stray_byte_is_read_as_windows_1252_and_warned_about_not_as_a_dos_code_page():
    raw = b"Delegations met in Tbilisi on Monday.\x81 The talks resumed after a year, officials said.\n"
    document = document_from_bytes(raw, name="article.txt")
    assert document.text == raw.decode("cp1252", errors="replace")
    assert document.metadata["encoding"] == "cp1252"
    assert document.warnings == [document.metadata["decoding"]]
    assert "1 undecodable byte(s) replaced with U+FFFD" in document.warnings[0]


def test_curly_quotes_of_windows_1252_in_a_short_ascii_text_stay_quotes():
    document = document_from_bytes(b"Delegations met in Tbilisi \x93on Monday\x94.\n", name="article.txt")
    assert document.text == "Delegations met in Tbilisi \u201con Monday\u201d.\n"
    assert "cp1252" in document.warnings[0]


def test_windows_and_old_mac_newlines_become_newlines():
    document = document_from_bytes(REPORT.replace("\n", "\r\n").encode(), name="a.txt")
    assert document.text == REPORT
    assert document_from_bytes(REPORT.replace("\n", "\r").encode(), name="a.txt").text == REPORT


def test_control_characters_are_dropped():
    document = document_from_bytes(REPORT.replace("rail", "ra\x07il\x00").encode(), name="a.txt")
    assert "rail" in document.text and "\x07" not in document.text


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


# -- HTML -------------------------------------------------------------------------------------------------


def test_html_file_yields_title_author_date_and_body():
    document = read_source(str(ARTICLE_HTML))
    assert document.title == "Caspian ferry link reopens after two-year pause"
    assert document.author == "Leyla Mammadova"
    assert document.published == date(2023, 3, 14)
    assert "resumed on Monday after a two-year suspension" in document.text
    assert document.url == "https://ledger.example.org/2023/03/14/caspian-ferry"


def test_html_body_leaves_out_comments_navigation_and_cookie_banner():
    text = read_source(str(ARTICLE_HTML)).text
    assert "Great news for truckers" not in text
    assert "We use cookies" not in text
    assert "Home" not in text.split()


def test_html_is_detected_by_content_not_by_file_name(tmp_path):
    renamed = tmp_path / "story.txt"
    renamed.write_bytes(ARTICLE_HTML.read_bytes())
    assert read_source(str(renamed)).author == "Leyla Mammadova"


def test_published_option_overrides_the_date_found():
    document = read_source(str(ARTICLE_HTML), published="2023-03-20", title="Ferry link reopens")
    assert document.published == date(2023, 3, 20) and document.title == "Ferry link reopens"


def test_malformed_html_still_yields_its_text():
    html = (
        "<html><head><title>Yerevan reopens crossing</title></head><body><div><p>Officials in Yerevan said on "
        "Tuesday that the Margara crossing would reopen <b>next week<div><p>after talks with Baku and Ankara."
        "</span></table><p>Traders in the border villages welcomed the news"
    )
    document = document_from_bytes(html.encode(), name="broken.html")
    assert "Margara crossing would reopen" in document.text
    assert document.title == "Yerevan reopens crossing"


def test_html_in_the_charset_its_meta_tag_declares_is_decoded():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Переговоры в Тбилиси</title></head><body><article><p>Делегации Армении и Азербайджана "
        "встретились в Тбилиси в понедельник и договорились продолжить переговоры о границе.</p>"
        "<p>Следующая встреча состоится в следующем месяце в Алматы.</p></article></body></html>"
    )
    document = document_from_bytes(html.encode("cp1251"), name="ru.html")
    assert document.metadata["encoding"] == "cp1251"
    assert document.title == "Переговоры в Тбилиси" and "встретились в Тбилиси" in document.text


def test_html_with_only_scripts_is_an_input_error():
    html = "<html><head><script>var a = 1;</script></head><body><script>track()</script></body></html>"
    with pytest.raises(InputError, match="no article text"):
        document_from_bytes(html.encode(), name="page.html")


def test_deeply_nested_html_still_yields_its_text():
    html = "<html><body>" + "<div>" * 20000 + "<p>Officials met in Baku &amp; Yerevan.</p>" + "</div>" * 20000
    document = document_from_bytes(html.encode(), name="nested.html")
    assert document.text == "Officials met in Baku & Yerevan."


# -- refusals ---------------------------------------------------------------------------------------------


def test_empty_input_is_refused():
    with pytest.raises(InputError, match="empty"):
        document_from_bytes(b"  \n\t\n", name="empty.txt")


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "ZIP"),
        (gzip.compress(REPORT.encode()), "gzip"),
    ],
)
def test_binary_formats_are_named_and_refused(raw, kind):
    with pytest.raises(InputError, match=kind):
        document_from_bytes(raw, name="upload")


def test_random_bytes_are_refused_as_binary():
    import random

    raw = random.Random(7).randbytes(6000)
    with pytest.raises(InputError, match="binary"):
        document_from_bytes(raw, name="noise.bin")


def test_text_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError, match="50 MB is over the 20 MB input limit"):
        read_source(str(big))


def test_missing_file_and_directory_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "nowhere.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_source(str(tmp_path))


def test_standard_input_is_read(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode("utf-16"))))
    document = read_source("-", published="2022-10-13")
    assert document.text == REPORT and document.published == date(2022, 10, 13)


# -- publication dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2016-10-24",
        "2016-10-24T08:00:00Z",
        "2016-10-24T08:00:00.000+00:00",
        "2016-10-24 08:00:00 UTC",
        "20161024",
        "2016/10/24",
        "Mon, 24 Oct 2016 08:00:00 GMT",
        "Mon, 24 Oct 2016 08:00:00 +0000",
        "24 Oct 2016 08:00 EST",
        "October 24, 2016",
        "Monday, October 24, 2016 8:00 AM ET",
        "24 October 2016",
        "24th of October 2016",
        "Oct. 24, 2016",
        "Oct 24, 2016, 8:00 a.m. EDT",
        "24-Oct-2016",
        "10/24/16",
        "10/24/2016",
        "24/10/2016",
        "24.10.2016",
    ],
)
def test_feed_and_export_date_formats_give_the_calendar_date(written):
    assert parse_published(written) == date(2016, 10, 24)


def test_a_time_zone_does_not_move_the_date_off_the_one_written():
    assert parse_published("2016-10-24T23:30:00-05:00") == date(2016, 10, 24)  # 25 October in UTC
    assert parse_published("Tue, 25 Oct 2016 01:30:00 +0900") == date(2016, 10, 25)  # 24 October in UTC


def test_sept_abbreviation_and_two_digit_rfc_822_years_are_read():
    assert parse_published("Sept. 5, 2016") == date(2016, 9, 5)
    assert parse_published("Fri, 05 Mar 99 12:00:00 GMT") == date(1999, 3, 5)


def test_numeric_date_with_both_numbers_up_to_12_is_refused_as_ambiguous():
    with pytest.raises(
        InputError, match=r"'03/04/16' is ambiguous: March 4 or April 3\? Write it as YYYY-MM-DD"
    ):
        parse_published("03/04/16")


def test_numeric_date_with_equal_day_and_month_is_not_ambiguous():
    assert parse_published("03/03/16") == date(2016, 3, 3)


@pytest.mark.parametrize("written", ["2016-02-30", "13/13/2016", "00/05/2016", "31 Sept 2016"])
def test_a_day_that_does_not_exist_is_refused(written):
    with pytest.raises(InputError, match="is not a real date"):
        parse_published(written)


@pytest.mark.parametrize("written", ["next Tuesday", "1477296000", "2016-10-24T25:00:00", "October 2016", ""])
def test_text_that_is_no_calendar_date_is_refused_with_the_formats_read(written):
    with pytest.raises(
        InputError, match="is not a date communique reads .YYYY-MM-DD, an ISO 8601 or RFC 2822"
    ):
        parse_published(written)


def test_a_date_object_is_taken_as_it_is():
    from datetime import datetime

    assert parse_published(date(2016, 10, 24)) == date(2016, 10, 24)
    assert parse_published(datetime(2016, 10, 24, 23, 30)) == date(2016, 10, 24)


# -- JSONL ------------------------------------------------------------------------------------------------


def _write_jsonl(path: Path, lines: list[bytes]) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wb") as handle:
        handle.write(b"\n".join(lines) + b"\n")
    return path


def _line(**record) -> bytes:
    return json.dumps(record).encode()


BAD_LINES = [
    _line(id="a1", text=REPORT, published="2022-10-13", title="Rail link"),
    b'{"id": "a2", "text": "unterminated',
    _line(id="a3", title="No text here"),
    _line(id="a4", text=REPORT, published="the day after the summit"),
    b"[1, 2, 3]",
    b'{"id": "a6", "text": "Bad \xff byte"}',
    b"",
    _line(ID="a8", text=REPORT, date="2015-05-12"),
]


def test_jsonl_yields_one_result_per_non_blank_line_in_order(tmp_path):
    results = list(read_jsonl(_write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    assert len(results) == len(BAD_LINES) - 1  # the blank line is no record
    kinds = [type(r).__name__ for r in results]
    failure = "AnalysisFailure"
    assert kinds == ["Document", failure, failure, "Document", failure, failure, "Document"]


def test_jsonl_bad_lines_say_their_line_number_and_why(tmp_path):
    results = list(read_jsonl(_write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    errors = {r.document_id: r.error for r in results if isinstance(r, AnalysisFailure)}
    assert errors["line-2"].startswith("line 2: not valid JSON")
    assert errors["a3"] == "line 3: record has no text"
    assert "a4" not in errors  # an unreadable date is a warning, not a failure
    assert errors["line-5"] == "line 5: expected a JSON object, got list"
    assert errors["line-6"] == "line 6: line is not valid UTF-8"
    assert "line-7" not in errors


def test_jsonl_line_with_an_unreadable_date_is_kept_undated_with_a_warning(tmp_path, caplog):
    results = list(read_jsonl(_write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    undated = next(r for r in results if getattr(r, "id", None) == "a4")
    assert undated.published is None and undated.text == REPORT
    assert undated.warnings == [
        "publication date 'the day after the summit' is not a date communique reads (YYYY-MM-DD, an ISO 8601 "
        "or RFC 2822 date-time, 'October 24, 2016', '24 October 2016', or an unambiguous numeric date); "
        "analysed without a publication date"
    ]
    assert "line 4 (a4): publication date 'the day after the summit'" in caplog.text


def test_jsonl_line_with_an_ambiguous_date_is_kept_undated_and_says_why(tmp_path):
    path = _write_jsonl(tmp_path / "in.jsonl", [_line(id="b1", text=REPORT, date="03/04/16")])
    (document,) = read_jsonl(path)
    assert document.published is None
    assert document.warnings[0].startswith("publication date '03/04/16' is ambiguous: March 4 or April 3?")


def test_the_corpus_line_dated_10_24_16_is_read_as_24_october_2016(tmp_path):
    with gzip.open(shared_path("corpora", "allsides-geopolitics.jsonl.gz"), "rb") as lines:
        line = next(line for line in lines if b'"date": "10/24/16"' in line)
    (document,) = read_jsonl(_write_jsonl(tmp_path / "in.jsonl", [line.rstrip(b"\n")]))
    assert document.published == date(2016, 10, 24) and document.warnings == []


def test_jsonl_reads_corpus_field_spellings(tmp_path):
    results = list(read_jsonl(_write_jsonl(tmp_path / "in.jsonl", BAD_LINES)))
    last = results[-1]
    assert last.id == "a8" and last.published == date(2015, 5, 12)


def test_gzipped_jsonl_is_read(tmp_path):
    results = list(read_jsonl(_write_jsonl(tmp_path / "in.jsonl.gz", BAD_LINES[:1])))
    assert results[0].title == "Rail link" and results[0].published == date(2022, 10, 13)


def test_truncated_gzip_ends_with_an_error_record(tmp_path):
    good = gzip.compress(b"\n".join([BAD_LINES[0]] * 200) + b"\n")
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(good[: len(good) // 2])
    results = list(read_jsonl(path))
    assert isinstance(results[-1], AnalysisFailure) and "input ends here" in results[-1].error


def test_jsonl_line_over_the_limit_is_an_error_and_the_next_line_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 1000)
    path = _write_jsonl(tmp_path / "in.jsonl", [_line(id="long", text="Baku. " * 400), BAD_LINES[0]])
    results = list(read_jsonl(path))
    assert "over the" in results[0].error and results[1].id == "a1"


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
    source = _write_jsonl(tmp_path / "in.jsonl", [BAD_LINES[0], BAD_LINES[1], BAD_LINES[7]])
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
    source = _write_jsonl(tmp_path / "in.jsonl", [BAD_LINES[3], BAD_LINES[0]])
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
    source = _write_jsonl(tmp_path / "in.jsonl", [json.dumps(r).encode() for r in records] + [BAD_LINES[1]])
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


# -- any input --------------------------------------------------------------------------------------------

HTML_PIECES = [
    "<html>",
    "<body>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<script>",
    "</script>",
    "<title>",
    "&amp;",
    "<!--",
    "-->",
    "<!DOCTYPE html>",
    "Officials met in Baku on Monday.",
    "\x00",
    "\ufeff",
    "é",
    "\r\n",
]


@settings(max_examples=150, deadline=None)
@given(
    raw=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=2000).map(lambda t: t.encode("utf-8")),
        st.text(max_size=500).map(lambda t: t.encode("utf-16")),
        st.lists(st.sampled_from(HTML_PIECES), max_size=40).map(lambda p: "".join(p).encode("utf-8")),
    )
)
def test_any_bytes_give_a_document_or_an_input_error(raw):
    try:
        document = document_from_bytes(raw, name="fuzz")
    except InputError as exc:
        assert exc.message.startswith("fuzz: ")
    else:
        assert document.text.strip()
        assert "\r" not in document.text


# -- a plain text's own date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "top",
    [
        "BAKU, October 13, 2022 (Reuters) - Azerbaijan and Kyrgyzstan signed a treaty.",
        "BISHKEK, Kyrgyzstan, 13 October 2022 — Azerbaijan and Kyrgyzstan signed a treaty.",
        "Published: 13 October 2022",
        "October 13, 2022",
        "2022-10-13",
    ],
)
def test_a_dateline_near_the_top_of_a_plain_text_is_its_publication_date(top):
    text = f"Aliyev in Bishkek\n{top}\nAzerbaijan and Kyrgyzstan signed a treaty in Bishkek on Thursday.\n"
    assert document_from_text(text).published == date(2022, 10, 13)


def test_a_dateline_without_a_year_dates_nothing():
    text = "Aliyev in Bishkek\nBAKU, Oct 13 (Reuters) - Azerbaijan and Kyrgyzstan signed a treaty.\n"
    assert document_from_text(text).published is None


def test_a_date_inside_the_body_is_not_taken_for_the_publication_date():
    text = "Aliyev in Bishkek\nThe talks began in 2021 and ended on 12 May 2022 with a treaty in Bishkek.\n"
    assert document_from_text(text).published is None
