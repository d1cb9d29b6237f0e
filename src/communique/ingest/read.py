"""Ingestion: any supported input becomes a :class:`Document`, or a one-line :class:`InputError`/`FetchError`.

Public functions:

    read_source(source, published=None, title=None) -> Document     a file path, an http(s) URL, or "-" (stdin)
    document_from_bytes(raw, name=..., ...) -> Document              plain text or HTML, encoding detected
    document_from_text(text) -> Document                             plain text; a headline line becomes the title,
                                                                     a dateline date the publication date
    dateline_date(text) -> date | None                               the date of a plain text's dateline
    document_from_html(html, url=None) -> Document                   article body, title, author, date, url
    read_jsonl(path) -> Iterator[Document | AnalysisFailure]          JSONL (optionally .gz), one result a line
    jsonl_records(path) -> Iterator[RecordLine]                       JSONL lines as JSON objects (also `ingest`'s)
    document_from_record(record) -> Document                          one JSON record, fields per RECORD_FIELDS
    publication_date(value) -> date                                   a publication date as feeds and exports write it
    sample_documents() -> Iterator[Document]                          the articles that ship with the package

What each promises:

* **Encoding.** UTF-8 (with or without BOM), UTF-16/32 with a BOM, UTF-16 LE/BE without one (told apart by
  where the zero bytes fall), otherwise charset-normalizer's best guess (Windows-1252, Latin-1, ...). Mostly
  valid UTF-8 with a few bad bytes is decoded with U+FFFD in their place; mostly-ASCII text that is not UTF-8
  is read as Windows-1252, never as a DOS or Mac code page. ``Document.metadata`` records the ``encoding``
  and, when anything was replaced or guessed, a ``decoding`` note, which is also one of ``Document.warnings``.
* **Text.** Newlines become ``\\n``; control characters other than tab and newline are dropped;
  ``Document.text`` is exactly what the pipeline analyses (every offset points into it).
* **Plain-text dates.** A date on a line of its own near the top ("October 13, 2022", "Published: 13 October
  2022") or opening the first paragraph as a dateline ("BAKU, October 13, 2022 (Reuters) -") is the
  publication date; a dateline without a year ("BAKU, Oct 13 -") dates nothing (the year is not guessed).
* **HTML** is recognised by content, not by file name; trafilatura extracts the body (precision first, no
  comments), htmldate the publication date, trafilatura's metadata the title and author.
* **Refusals** (one clear line each): empty input, binary data (images, archives, PDFs, random bytes), input
  over :data:`MAX_INPUT_BYTES`, HTML with no article text, and every fetch failure.
"""

from __future__ import annotations

import codecs
import gzip
import json
import logging
import re
import sys
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from communique.document import Document
from communique.errors import CommuniqueError, InputError
from communique.pipeline import AnalysisFailure

log = logging.getLogger(__name__)

# A file, a page or standard input larger than this is refused before it is decoded (an article is rarely
# over 200 KB; HTML pages with inline scripts reach a few MB).
MAX_INPUT_BYTES = 20 * 1024 * 1024
# Seconds a URL may take, redirects and body included.
FETCH_TIMEOUT = 20.0
# One JSONL line larger than this is an error record (the rest of the line is skipped, the run goes on).
MAX_LINE_BYTES = 20 * 1024 * 1024

# Signatures of common binary formats: (leading bytes, what to call them).
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image or WAV audio)"),
    (b"%PDF-", "a PDF document (extract its text first)"),
    (b"PK\x03\x04", "a ZIP archive (or a DOCX/ODT/XLSX document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Single-byte encodings charset-normalizer confuses with Windows-1252 on short English text.
LATIN_GUESSES = {"latin-1", "iso8859-1", "iso8859-2", "iso8859-15", "cp1250", "cp1252", "ascii", "mac-roman"}
# Code pages of DOS (cp437, cp775, cp850...) and of the old Mac OS, which charset-normalizer may pick for
# mostly-ASCII text with a few bytes over 0x7f.
DOS_AND_MAC_PREFIXES = ("cp4", "cp7", "cp8", "mac")
# Control characters that have no place in article text (tab, newline and carriage return are kept).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_VALID_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"<(?:head|body|title|meta|div|p|article|section|span|a|br|h[1-6]|script|style)\b[^>]*>", re.I
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


# -- sources ------------------------------------------------------------------------------------------------


def read_source(source: str, published: str | date | None = None, title: str | None = None) -> Document:
    """The document at ``source``: a file path, an http(s) URL, or ``-`` for standard input.

    ``published`` and ``title``, when given, override what was found in the input.
    """
    if source == "-":
        document = document_from_bytes(_read_capped(sys.stdin.buffer, "standard input"), name="<stdin>")
    elif _URL.match(source):
        document = document_from_url(source)
    else:
        document = document_from_bytes(_read_file(Path(source)), name=source)
    if published is not None:
        document.published = publication_date(published)
    if title is not None:
        document.title = title
    return document


def document_from_url(url: str) -> Document:
    """Fetch ``url`` safely (see :mod:`communique.ingest.fetch`) and ingest what came back."""
    from communique.ingest.fetch import fetch

    fetched = fetch(url, timeout=FETCH_TIMEOUT, max_bytes=MAX_INPUT_BYTES)
    document = document_from_bytes(
        fetched.content,
        name=url,
        url=fetched.final_url,
        declared_charset=fetched.charset,
        content_type=fetched.content_type,
    )
    document.url = document.url or fetched.final_url
    document.metadata["fetched_from"] = fetched.final_url
    return document


def _read_file(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{path}: {_megabytes(size)} is over the {_megabytes(MAX_INPUT_BYTES)} input limit"
            )
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grows while read (or /dev/zero) is still caught.
            return _read_capped(handle, str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _read_capped(stream: IO[bytes], name: str) -> bytes:
    raw = stream.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: input is over the {_megabytes(MAX_INPUT_BYTES)} limit")
    return raw


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size % 2**20 else f"{size // 2**20} MB"


# -- bytes -> text ------------------------------------------------------------------------------------------


def document_from_bytes(
    raw: bytes,
    name: str = "<input>",
    *,
    url: str | None = None,
    declared_charset: str | None = None,
    content_type: str | None = None,
) -> Document:
    """Plain text or HTML (told apart by content), with the encoding detected."""
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: input is over the {_megabytes(MAX_INPUT_BYTES)} limit")
    if not raw.strip():
        raise InputError(f"{name}: empty input (nothing to analyse)")
    kind = binary_kind(raw)
    if kind:
        raise InputError(f"{name}: this is {kind}, not text or HTML")
    if _control_ratio(raw) > 0.02 and not _wide_unicode(raw):
        raise InputError(f"{name}: looks like binary data, not text or HTML")
    text, encoding, note = decode(raw, declared_charset or _meta_charset(raw))
    if not text.strip():  # a byte-order mark, UTF-16 spaces or control characters and nothing else
        raise InputError(f"{name}: empty input (nothing to analyse)")
    if _looks_binary(text):
        raise InputError(f"{name}: looks like binary data, not text or HTML")
    declared_html = (content_type or "").endswith(("html", "xhtml+xml")) and "<" in text[:4096]
    if looks_like_html(text) or declared_html:
        document = document_from_html(text, url=url, name=name)
    else:
        document = document_from_text(text)
        document.url = url
    document.metadata["encoding"] = encoding
    if note:
        document.metadata["decoding"] = note
        document.warnings.append(note)  # the reader of the analysis should know the text may be mis-decoded
        # Replaced bytes lose text: say so on the console too; a detected code page is only recorded.
        (log.warning if "U+FFFD" in note else log.info)("%s: %s", name, note)
    return document


def _meta_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in its head (``<meta charset="windows-1251">``), if any."""
    found = _META_CHARSET.search(raw[:4096])
    if found is None:
        return None
    name = found.group(1).decode("ascii", "replace").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def binary_kind(raw: bytes) -> str | None:
    """What binary format ``raw`` is in (by its leading bytes), or None."""
    for signature, kind in BINARY_SIGNATURES:
        if raw.startswith(signature):
            # "MZ"/"ID3"/"BZh" also begin ordinary words: trust them only with binary bytes close behind.
            if (
                len(signature) <= 3
                and signature not in (b"\xff\xd8\xff", b"\x1f\x8b")
                and not _has_binary_bytes(raw[:512])
            ):
                continue
            return kind
    return None


def _has_binary_bytes(sample: bytes) -> bool:
    return any(b < 9 or 13 < b < 32 for b in sample)


def _control_ratio(raw: bytes) -> float:
    """Share of control bytes (other than tab, newlines and form feed) in the first 8 KB."""
    sample = raw[:8192]
    return sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127) / max(1, len(sample))


def _wide_unicode(raw: bytes) -> bool:
    """UTF-16 or UTF-32 (whose ASCII characters carry zero bytes), with or without a byte-order mark."""
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(raw) is not None


def decode(raw: bytes, declared_charset: str | None = None) -> tuple[str, str, str | None]:
    """``(text, encoding, note)``: the text with newlines normalised; ``note`` says what was guessed or replaced."""
    text, encoding, note = _decode(raw, declared_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = _CONTROL.sub("", text.replace("\f", "\n").replace("\v", "\n"))
    return text, encoding, note


def _decode(raw: bytes, declared_charset: str | None) -> tuple[str, str, str | None]:
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            try:
                return body.decode(encoding), encoding, None
            except UnicodeDecodeError:
                text = body.decode(encoding, errors="replace")
                return (
                    text,
                    encoding,
                    f"invalid {encoding} sequences replaced with U+FFFD ({text.count(chr(0xFFFD))})",
                )
    # Before UTF-8: ASCII text in UTF-16 is valid UTF-8 too, with a zero byte after every letter.
    utf16 = _utf16_without_bom(raw)
    if utf16:
        try:
            return raw.decode(utf16), utf16, f"decoded as {utf16} (no byte-order mark)"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        pass
    if _VALID_UTF8_MULTIBYTE.search(raw):
        # Real UTF-8 with a few broken bytes: a single-byte guess would garble every valid character.
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(8, len(raw) // 200):
            return text, "utf-8", f"invalid UTF-8: {bad} byte sequence(s) replaced with U+FFFD"
    if declared_charset:
        try:
            return raw.decode(declared_charset), declared_charset, None
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        encoding = codecs.lookup(best.encoding).name
        if encoding in LATIN_GUESSES:
            # Short Western text is often guessed as a sibling code page; English news in a single-byte
            # encoding is almost always Windows-1252 (curly quotes and dashes in 0x80-0x9f).
            try:
                return raw.decode("cp1252"), "cp1252", "not UTF-8: decoded as cp1252 (detected)"
            except UnicodeDecodeError:
                pass
        if encoding.startswith(DOS_AND_MAC_PREFIXES) and _mostly_ascii(raw):
            # English with a stray byte or a few curly quotes: a DOS or Mac code page fits such bytes as well
            # as any (\x93 is "ô" in cp437), but news is not written in one; Windows-1252 is the likely source.
            text = raw.decode("cp1252", errors="replace")
            bad = text.count("\ufffd")
            replaced = f", {bad} undecodable byte(s) replaced with U+FFFD" if bad else ""
            return (
                text,
                "cp1252",
                f"not UTF-8: mostly ASCII, decoded as cp1252 (detected {encoding}){replaced}",
            )
        return str(best), encoding, f"not UTF-8: decoded as {encoding} (detected)"
    text = raw.decode("utf-8", errors="replace")
    return text, "utf-8", f"encoding unknown: {text.count(chr(0xFFFD))} invalid byte(s) replaced with U+FFFD"


def _mostly_ascii(raw: bytes) -> bool:
    """At most 10% of the first 64 KB are bytes over 0x7f."""
    sample = raw[:65536]
    return sum(1 for b in sample if b > 0x7F) <= 0.1 * len(sample)


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` for UTF-16 without a byte-order mark, else None.

    In UTF-16 text of an alphabetic script (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic...) nearly every
    high byte is 0x00-0x07: such bytes crowd the odd positions (little-endian) or the even ones (big-endian).
    The guess must then decode and read mostly as letters and spaces.
    """
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    low_even = sum(1 for b in even if b < 8) / len(even)
    low_odd = sum(1 for b in odd if b < 8) / len(odd)
    if low_odd > 0.6 and low_even < 0.2:
        guess = "utf-16-le"
    elif low_even > 0.6 and low_odd < 0.2:
        guess = "utf-16-be"
    else:
        return None
    try:
        text = sample.decode(guess)
    except UnicodeDecodeError:
        return None
    readable = sum(1 for ch in text if ch.isalpha() or ch.isspace() or ch in ".,;:!?'\"-()«»“”’")
    return guess if readable / max(1, len(text)) > 0.8 else None


def _looks_binary(text: str) -> bool:
    """Decoded random bytes: many replacement characters, private-use or unassigned code points."""
    sample = text[:20000]
    if not sample:
        return False
    odd = sum(
        1
        for ch in sample
        if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc") and ch not in "\n\t"
    )
    return odd / len(sample) > 0.05


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML document (a doctype or <html> start, or several structural tags)."""
    head = text[:8192]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAG.findall(head)) >= 3 and head.lstrip().startswith("<")


# -- plain text ---------------------------------------------------------------------------------------------

# A headline is one line without a final full stop, short enough to be one, followed by the body.
# (99% of the 3,811 titles of the AllSides corpus have at most 18 words and 108 characters.)
MAX_HEADLINE_CHARS = 160
MAX_HEADLINE_WORDS = 25
_SENTENCE_END = (".", "…", ";", ",", ":")
_BYLINE = re.compile(r"^(?:By|BY|Posted|Published|Updated|Written by)\s")
# Caption and credit lines scrapers leave above articles.
_CAPTION = re.compile(
    r"\b(?:Image copyright|Image caption|Media caption|Media playback|Story highlights|Enlarge this image"
    r"|Getty Images|Photo:|Photograph:|SHARE THIS ARTICLE|LISTEN TO ARTICLE)"
    r"|\((?:Photo|Image|File|Credit)\b|\((?:[^()]*/)?(?:AP|AFP|Reuters|Getty)[^()]*\)$"
)
# "... to dismantle ISIL. Obama's blurry policy": a full stop after a word, then a new capitalised sentence.
_TWO_SENTENCES = re.compile(r"[a-z]{2}\.[”\"’']?\s+[“\"]?[A-Z]")
_ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "... talks with the U.S."
_DATELINE = re.compile(r"^\W*\d{1,4}[./ -]\d{1,2}[./ -]\d{1,4}\W*$")
# A run-on standfirst: a capitalised gerund after a lower-case word, followed by a lower-case word
# ("... Baku-Bishkek convergence Analysing theses of ...").
_STANDFIRST = re.compile(r"(?<=[a-z0-9)’'\"”])\s+(?=[A-Z][a-z]+ing\s+[a-z])")


def document_from_text(text: str, title: str | None = None) -> Document:
    """A plain-text document; a first line that reads as a headline becomes the title, and the date of a
    dateline (:func:`dateline_date`) the publication date.

    ``text`` is kept as given apart from newline normalisation (offsets point into it); the title is metadata.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return Document(
        text=text, title=title if title is not None else headline(text), published=dateline_date(text)
    )


# What may stand before a date on a line of its own: "Published: ", "Posted on ", "Updated ".
_DATE_LINE_LEAD = re.compile(
    r"^(?:(?:first\s+)?(?:published|posted|dated?|updated|last\s+updated)(?:\s+on)?\s*:?\s*)?", re.I
)
# A wire dateline: a place in capitals or title case, a comma, then the date up to "(Reuters)", a dash or a colon.
_WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30})?),\s+"
    r"(?P<date>[A-Za-z0-9., ]{6,40}?)\s*(?:\([^()]{1,40}\)\s*)?(?:[-–—:]|\s-\s)"
)
DATELINE_LINES = 4  # how many non-blank lines from the top may hold the date


def dateline_date(text: str) -> date | None:
    """The publication date written at the top of a plain text, or None.

    Read from the first :data:`DATELINE_LINES` non-blank lines: a line that is a date (optionally after
    "Published:", "Posted on", "Updated"), or a wire dateline opening a paragraph ("BAKU, October 13, 2022
    (Reuters) - ..."). The date must be one :func:`publication_date` reads, year included.
    """
    lines = [line.strip() for line in text.split("\n", 40) if line.strip()][:DATELINE_LINES]
    for line in lines:
        candidates = []
        if len(line) <= 80:
            candidates.append(_DATE_LINE_LEAD.sub("", line).strip(" .|"))
        wire = _WIRE_DATELINE.match(line)
        if wire:
            candidates.append(wire.group("date").strip(" ,."))
        for candidate in candidates:
            if not re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", candidate):
                continue  # no year: never guessed
            try:
                return publication_date(candidate)
            except InputError:
                continue
    return None


def headline(text: str) -> str | None:
    """The headline on the first line of ``text``, or None when that line reads as body text.

    When the line runs a standfirst into the headline ("Turkic factor – major point of Baku-Bishkek
    convergence Analysing theses of President Aliyev"), only the part before the standfirst is the title.
    Photo captions, credits, bylines and datelines ("(CNN) ...", "Image copyright ...") are not headlines.
    """
    first, _, rest = text.lstrip().partition("\n")
    first = " ".join(first.split())
    if not rest.strip() or not first or first[0].islower() or first[0] in "(<[":
        return None
    if _BYLINE.match(first) or _DATELINE.match(first) or first.startswith(("http://", "https://")):
        return None
    if _CAPTION.search(first) or len(first.split()) > 15 and _TWO_SENTENCES.search(first):
        return None  # a long line of two sentences is a caption or a lead, not "X Says Y. Here Is Why"
    if (
        first.endswith(_SENTENCE_END)
        and not first.endswith(("...", "…"))
        and not _ABBREVIATION_END.search(first)
    ):
        return None
    split = _STANDFIRST.search(first)
    if split and len(first[: split.start()].split()) >= 3 and len(first[split.end() :].split()) >= 3:
        first = first[: split.start()].rstrip(" –—-:")
    words = first.split()
    if len(first) > MAX_HEADLINE_CHARS or len(words) > MAX_HEADLINE_WORDS:
        return None
    if len(words) < 2 and not first[:1].isupper():
        return None
    return first


# -- HTML ---------------------------------------------------------------------------------------------------


def document_from_html(html: str, url: str | None = None, name: str = "<html>") -> Document:
    """The article in an HTML page: body by trafilatura, date by htmldate, title and author from metadata."""
    import trafilatura
    from htmldate import find_date

    try:
        body = trafilatura.extract(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
        if not body:  # precision can discard a short page entirely; fall back to recall, then to all text
            body = trafilatura.extract(html, url=url, favor_recall=True, include_comments=False)
        if not body:
            body = visible_text(html)
    except Exception as exc:  # lxml and trafilatura raise many types on hostile markup: all mean "unreadable"
        raise InputError(f"{name}: the HTML could not be parsed ({type(exc).__name__})") from None
    if not body or not body.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    document = Document(text=body.replace("\r\n", "\n"), url=url)
    try:
        meta = trafilatura.extract_metadata(html, default_url=url)
    except Exception as exc:  # metadata is a bonus: a page with broken metadata still has its text
        log.info("%s: no metadata (%s)", name, exc)
        meta = None
    if meta is not None:
        document.title = _clean(meta.title)
        document.author = _clean(meta.author)
        document.source = _clean(meta.sitename) or _clean(meta.hostname)
        document.url = url or _clean(meta.url)
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False)
        if not found and meta is not None and meta.date:
            found = meta.date
        if found:
            document.published = publication_date(found)
    except (ValueError, TypeError, CommuniqueError) as exc:
        log.info("%s: no publication date (%s)", name, exc)
    document.metadata["format"] = "html"
    return document


def visible_text(html: str) -> str:
    """Every visible line of text of ``html`` (scripts, styles and the head left out): the last resort.

    Markup too deep for the parser (libxml2 stops at 256 levels) is stripped tag by tag instead.
    """
    import lxml.html
    from lxml.etree import ParserError

    text = ""
    try:
        tree = lxml.html.fromstring(html)
        for hidden in tree.xpath("//script|//style|//noscript|//template|//head"):
            hidden.drop_tree()
        text = tree.text_content()
    except (ParserError, ValueError):
        pass
    if not text.strip():
        import html as entities

        text = entities.unescape(_TAG.sub("\n", _HIDDEN_BLOCK.sub("", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_HIDDEN_BLOCK = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


# -- publication dates --------------------------------------------------------------------------------------

# Month names and the abbreviations feeds and style guides use ("Sept.", "Oct."), lower case.
MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# A time of day after the date, with an optional am/pm and time zone; it never changes the date: the
# publication's own local date is the one written.
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d(?:[.,]\d+)?)?"
    r"(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:z|(?:utc|gmt)?[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5}))?)?"
)
_ISO_TIME = (
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)

# The date formats a publication date may come in, tried in order; the first that matches the whole value
# decides. Named groups: year, month (a number) or month_name, day; ``first``/``second`` are the day and the
# month in an unknown order, read only when the numbers make it unambiguous.
PUBLICATION_DATE_FORMATS: tuple[tuple[str, str], ...] = (
    (
        "ISO 8601 date or date-time (2016-10-24, 2016-10-24T08:00:00-04:00)",
        r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})" + _ISO_TIME,
    ),
    (
        "ISO 8601 basic (20161024, 20161024T080000Z)",
        r"(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?:T\d{4}(?:\d{2})?(?:Z|[+-]\d{2}(?:\d{2})?)?)?",
    ),
    (
        "year first with slashes or dots (2016/10/24)",
        r"(?P<year>\d{4})([/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})" + _TIME,
    ),
    (
        "day month year, RFC 2822 included (24 October 2016, Mon, 24 Oct 2016 08:00:00 GMT)",
        _WEEKDAY
        + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?"
        + _MONTH
        + r",?[\s-]+(?P<year>\d{4}|\d{2})"
        + _TIME,
    ),
    (
        "month day year (October 24, 2016; Oct. 24, 2016)",
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME,
    ),
    (
        "numeric day and month, year last (10/24/16, 24.10.2016): only when unambiguous",
        r"(?P<first>\d{1,2})([/.-])(?P<second>\d{1,2})\2(?P<year>\d{4}|\d{2})" + _TIME,
    ),
)
_PUBLICATION_DATE_PATTERNS = tuple(
    (name, re.compile(pattern, re.I)) for name, pattern in PUBLICATION_DATE_FORMATS
)
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def publication_date(value: str | date) -> date:
    """The calendar date of a publication date as feeds and exports write it (see :data:`PUBLICATION_DATE_FORMATS`).

    A time of day and a time zone are allowed and ignored: the date is the one written, the publication's own
    local date, not its UTC date. Two-digit years are read as POSIX ``strptime`` does (69-99: 1900s, 00-68:
    2000s). A numeric date without the year first is read only when one of its numbers exceeds 12 (or both are
    equal): "10/24/16" is 24 October 2016, "03/04/16" is refused as ambiguous. Anything unreadable, ambiguous or
    not a real day is an :class:`InputError` saying which.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = " ".join(str(value).split())
    for _name, pattern in _PUBLICATION_DATE_PATTERNS:
        found = pattern.fullmatch(written)
        if found is not None:
            return _calendar_date(found, _shown(value))
    raise InputError(
        f"publication date {_shown(value)} is not a date communique reads "
        "(YYYY-MM-DD, an ISO 8601 or RFC 2822 date-time, 'October 24, 2016', '24 October 2016', "
        "or an unambiguous numeric date)"
    )


def _shown(value: object) -> str:
    """``value`` quoted for a message, cut short: a record's date field may hold anything."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _calendar_date(found: re.Match[str], shown: str) -> date:
    fields = found.groupdict()
    year = int(fields["year"])
    if len(fields["year"]) == 2:
        year += 1900 if year >= 69 else 2000
    if fields.get("first") is not None:
        first, second = int(fields["first"]), int(fields["second"])
        if not (0 < first <= 31 and 0 < second <= 31) or min(first, second) > 12:
            raise InputError(f"publication date {shown} is not a real date (a day is 1-31 and a month 1-12)")
        if first == second or second <= 12 < first:
            day, month = first, second
        elif first <= 12 < second:
            month, day = first, second
        else:
            raise InputError(
                f"publication date {shown} is ambiguous: {_MONTH_NAMES[first - 1]} {second} or "
                f"{_MONTH_NAMES[second - 1]} {first}? Write it as YYYY-MM-DD"
            )
    else:
        day = int(fields["day"])
        month = MONTHS[fields["month_name"].lower()] if fields.get("month_name") else int(fields["month"])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InputError(f"publication date {shown} is not a real date ({exc})") from None


# -- JSONL records ------------------------------------------------------------------------------------------

# Field names accepted for each document field, first present one wins: the contract's name first, then the
# spellings of common corpus exports (AllSides' ID/date/authors, MongoDB's _id, schema.org's datePublished,
# RSS's pubDate). Both `analyze --jsonl` and `ingest` read records through this one table.
RECORD_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ID", "_id", "doc_id"),
    "text": ("text", "body", "content"),
    "published": (
        "published",
        "date",
        "publish_date",
        "published_at",
        "publication_date",
        "datePublished",
        "pubDate",
    ),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "author": ("author", "authors", "byline"),
    "source": ("source", "outlet", "publisher"),
    "genre": ("genre",),
}


@dataclass(frozen=True)
class RecordLine:
    """One non-blank line of a JSONL file: its JSON object, or why it is not one (``problem``)."""

    number: int
    record: dict[str, Any] | None
    problem: str | None = None


def read_jsonl(path: str | Path) -> Iterator[Document | AnalysisFailure]:
    """One :class:`Document` or :class:`AnalysisFailure` per non-blank line of a JSONL file (.gz allowed), in order.

    A line that cannot become a document (bad JSON, no text, not UTF-8, too long) yields a failure whose message
    starts with its line number; the lines after it are read as usual. An unreadable publication date does not
    lose the document: it is analysed without one, and the problem is in ``Document.warnings`` (and logged).
    Only an unreadable file or a corrupt gzip stream ends the iteration early (with a failure saying so).
    """
    for line in jsonl_records(path):
        identifier = record_id(line.record) or f"line-{line.number}"
        if line.record is None:
            yield AnalysisFailure(identifier, f"line {line.number}: {line.problem}")
            continue
        try:
            document = document_from_record(line.record)
        except (CommuniqueError, ValueError, TypeError) as exc:
            message = exc.message if isinstance(exc, CommuniqueError) else f"{type(exc).__name__}: {exc}"
            yield AnalysisFailure(identifier, f"line {line.number}: {message}")
            continue
        for warning in document.warnings:
            log.warning("line %d (%s): %s", line.number, document.id, warning)
        yield document


def jsonl_records(path: str | Path) -> Iterator[RecordLine]:
    """Every non-blank line of a JSONL file (.gz allowed) as a JSON object, or the reason it is not one.

    Lines that are not valid UTF-8 or JSON, not an object, or over :data:`MAX_LINE_BYTES` each give a
    :class:`RecordLine` with a ``problem``; reading goes on. An unreadable file or a corrupt gzip stream ends
    the lines with one saying "input ends here".
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    number = 0
    try:
        stream: IO[bytes] = gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb")  # type: ignore[assignment]
        with stream:
            for number, line, too_long in _lines(stream):
                if not too_long and not line.strip():
                    continue  # blank lines separate nothing in JSONL: no record (as in `analyze`'s count)
                yield _record_line(number, line, too_long)
    except (OSError, EOFError, zlib.error) as exc:
        yield RecordLine(number + 1, None, f"input ends here: {exc}")


def _lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, line, too long?) for every line; a line over the limit is skipped to its end."""
    number = 0
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (more := stream.readline(1024 * 1024)) and not more.endswith(b"\n"):
                pass
            yield number, b"", True
            continue
        yield number, line, False


def _record_line(number: int, line: bytes, too_long: bool) -> RecordLine:
    if too_long:
        return RecordLine(number, None, f"line is over the {_megabytes(MAX_LINE_BYTES)} limit")
    try:
        record = json.loads(line.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return RecordLine(number, None, "line is not valid UTF-8")
    except ValueError as exc:
        return RecordLine(number, None, f"not valid JSON ({exc})")
    if not isinstance(record, dict):
        return RecordLine(number, None, f"expected a JSON object, got {type(record).__name__}")
    return RecordLine(number, record)


def document_from_record(record: dict[str, Any]) -> Document:
    """A document from one JSON object with the fields of :data:`RECORD_FIELDS` (only text is required).

    The document's id is the record's id, else the content hash. A missing or empty text is an
    :class:`InputError`; an unreadable publication date is not: the document keeps no date and says why in
    ``Document.warnings``.
    """

    def pick(field: str) -> Any:
        for key in RECORD_FIELDS[field]:
            if record.get(key) not in (None, "", []):
                return record[key]
        return None

    text = pick("text")
    if not isinstance(text, str):
        raise InputError(
            "record has no text" if text is None else f"text is {type(text).__name__}, not a string"
        )
    if not text.strip():
        raise InputError("record text is empty")
    document = Document(
        text=text.replace("\r\n", "\n"),
        id=record_id(record) or "",
        title=_field_text(pick("title")),
        url=_field_text(pick("url")),
        author=_field_text(pick("author")),
        source=_field_text(pick("source")),
        genre=_field_text(pick("genre")),
    )
    published = pick("published")
    if published is not None:
        try:
            document.published = publication_date(published if isinstance(published, str) else str(published))
        except InputError as exc:
            document.warnings.append(f"{exc.message}; analysed without a publication date")
    return document


def _field_text(value: Any) -> str | None:
    """A record value as one line of text: strings and numbers as written, a list of them joined by commas."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, str | int | float) and str(v).strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    return _clean(value)


def record_id(record: Any) -> str | None:
    """The id a JSON record gives itself (a non-blank string or an integer), or None."""
    if not isinstance(record, dict):
        return None
    for key in RECORD_FIELDS["id"]:
        value = record.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None


# -- samples ------------------------------------------------------------------------------------------------


def sample_documents() -> Iterator[Document]:
    """The sample articles that ship with the package (see samples/README.md)."""
    from importlib import resources

    folder = resources.files("communique") / "samples"
    for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        document = document_from_text((folder / entry["file"]).read_text(encoding="utf-8"))
        document.published = publication_date(entry["published"])
        document.source = entry.get("source")
        document.metadata["file"] = entry["file"]
        yield document
