"""Ingestion: any supported input becomes a :class:`Document`, or a one-line :class:`InputError`/`FetchError`.

Public functions:

    read_source(source, published=None, title=None) -> Document     a file path, an http(s) URL, or "-" (stdin)
    document_from_bytes(raw, name=..., ...) -> Document              plain text or HTML, encoding detected
    document_from_text(text) -> Document                             plain text; a headline line becomes the title
    document_from_html(html, url=None) -> Document                   article body, title, author, date, url
    read_jsonl(path) -> Iterator[Document | AnalysisFailure]          JSONL (optionally .gz), one result a line
    sample_documents() -> Iterator[Document]                          the articles that ship with the package

What each promises:

* **Encoding.** UTF-8 (with or without BOM), UTF-16/32 with a BOM, UTF-16 LE/BE without one (told apart by
  where the zero bytes fall), otherwise charset-normalizer's best guess (Windows-1252, Latin-1, ...). Mostly
  valid UTF-8 with a few bad bytes is decoded with U+FFFD in their place. ``Document.metadata`` records the
  ``encoding`` and, when anything was replaced or guessed, a ``decoding`` note.
* **Text.** Newlines become ``\\n``; control characters other than tab and newline are dropped;
  ``Document.text`` is exactly what the pipeline analyses (every offset points into it).
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
from datetime import date
from pathlib import Path
from typing import IO, Any

from .document import Document
from .errors import CommuniqueError, InputError
from .pipeline import AnalysisFailure, parse_published

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
        document.published = parse_published(published)
    if title is not None:
        document.title = title
    return document


def document_from_url(url: str) -> Document:
    """Fetch ``url`` safely (see :mod:`communique.fetching`) and ingest what came back."""
    from .fetching import fetch

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
        return str(best), encoding, f"not UTF-8: decoded as {encoding} (detected)"
    text = raw.decode("utf-8", errors="replace")
    return text, "utf-8", f"encoding unknown: {text.count(chr(0xFFFD))} invalid byte(s) replaced with U+FFFD"


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
    """A plain-text document; a first line that reads as a headline becomes the title.

    ``text`` is kept as given apart from newline normalisation (offsets point into it); the title is metadata.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return Document(text=text, title=title if title is not None else headline(text))


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
            document.published = parse_published(found)
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


# -- JSONL --------------------------------------------------------------------------------------------------

# Field names accepted for each document field (the contract's first; then common corpus spellings).
RECORD_FIELDS = {
    "id": ("id", "ID", "doc_id"),
    "text": ("text", "body", "content"),
    "published": ("published", "date", "publish_date"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "author": ("author", "authors"),
    "source": ("source",),
}


def read_jsonl(path: str | Path) -> Iterator[Document | AnalysisFailure]:
    """One :class:`Document` or :class:`AnalysisFailure` per non-blank line of a JSONL file (.gz allowed), in order.

    A line that cannot become a document (bad JSON, no text, a bad date, not UTF-8, too long) yields a failure
    whose message starts with its line number; the lines after it are read as usual. Only an unreadable file or
    a corrupt gzip stream ends the iteration early (with a failure saying so).
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
                yield _record(line, number, too_long)
    except (OSError, EOFError, zlib.error) as exc:
        yield AnalysisFailure(f"line-{number + 1}", f"line {number + 1}: input ends here: {exc}")


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


def _record(line: bytes, number: int, too_long: bool) -> Document | AnalysisFailure:
    record: Any = None
    try:
        if too_long:
            raise InputError(f"line is over the {_megabytes(MAX_LINE_BYTES)} limit")
        try:
            record = json.loads(line.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputError("line is not valid UTF-8") from None
        except ValueError as exc:
            raise InputError(f"not valid JSON ({exc})") from None
        if not isinstance(record, dict):
            raise InputError(f"expected a JSON object, got {type(record).__name__}")
        return document_from_record(record)
    except (CommuniqueError, ValueError, TypeError) as exc:
        identifier = _record_id(record) or f"line-{number}"
        message = exc.message if isinstance(exc, CommuniqueError) else f"{type(exc).__name__}: {exc}"
        return AnalysisFailure(identifier, f"line {number}: {message}")


def document_from_record(record: dict[str, Any]) -> Document:
    """A document from one JSON object with the fields of :data:`RECORD_FIELDS` (only text is required)."""

    def pick(field: str) -> Any:
        for key in RECORD_FIELDS[field]:
            if record.get(key) not in (None, ""):
                return record[key]
        return None

    text = pick("text")
    if not isinstance(text, str):
        raise InputError(
            "record has no text" if text is None else f"text is {type(text).__name__}, not a string"
        )
    if not text.strip():
        raise InputError("record text is empty")
    identifier = _record_id(record)
    title, author = pick("title"), pick("author")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author)
    document = Document(
        text=text.replace("\r\n", "\n"),
        id=identifier or "",
        title=str(title) if title is not None else None,
        url=_clean(pick("url")),
        author=_clean(author),
        source=_clean(pick("source")),
    )
    published = pick("published")
    if published is not None:
        document.published = parse_published(str(published))
    return document


def _record_id(record: Any) -> str | None:
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
        document.published = parse_published(entry["published"])
        document.source = entry.get("source")
        document.metadata["file"] = entry["file"]
        yield document
