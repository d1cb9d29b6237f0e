"""Bytes to text (communique/ingest/decode.py): encodings detected, newlines and control characters normalised, binary
data and empty input refused in one line, whatever the bytes."""

from __future__ import annotations

import gzip
import io
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.errors import InputError
from communique.ingest.read import document_from_bytes, read_source

# The fixtures and the plain-text report the ingest tests share.
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
