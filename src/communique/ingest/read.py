"""Reading documents in: any supported input becomes a :class:`Document`, or a one-line InputError/FetchError.

    read_source(source, published=None, title=None) -> Document     a file path, an http(s) URL, or "-" (stdin)
    document_from_url(url) -> Document                               fetched safely (communique.ingest.fetch)
    document_from_bytes(raw, name=..., ...) -> Document              plain text or HTML, encoding detected
    document_from_text(text) -> Document                             plain text; a headline line becomes the title,
                                                                     a dateline date the publication date
    headline(text) -> str | None                                     the headline on a plain text's first line
    sample_documents() -> Iterator[Document]                         the articles that ship with the package

The other modules of ``communique.ingest``, one step each:

    decode      bytes -> text (encodings, byte-order marks, binary data refused)
    html        an HTML page -> its article's body, title, author and date
    published   publication dates as written (feeds, exports, datelines)
    records     JSONL records -> documents (``analyze --jsonl`` and ``ingest``)
    fetch       one safe HTTP(S) GET

What each promises:

* **Text.** ``Document.text`` is exactly what the pipeline analyses (every offset points into it); the decoding
  is recorded in ``Document.metadata`` (``encoding``, and a ``decoding`` note, also one of ``Document.warnings``,
  when anything was replaced or guessed).
* **Refusals** (one clear line each): empty input, binary data (images, archives, PDFs, random bytes), input
  over :data:`MAX_INPUT_BYTES`, HTML with no article text, and every fetch failure.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from communique.document import Document
from communique.errors import InputError
from communique.ingest.decode import decode_input, looks_like_html, megabytes
from communique.ingest.furniture import strip_furniture
from communique.ingest.html import document_from_html
from communique.ingest.published import dateline_date, publication_date

log = logging.getLogger(__name__)

# A file, a page or standard input larger than this is refused before it is decoded (an article is rarely
# over 200 KB; HTML pages with inline scripts reach a few MB).
MAX_INPUT_BYTES = 20 * 1024 * 1024
# Seconds a URL may take, redirects and body included.
FETCH_TIMEOUT = 20.0
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
                f"{path}: {megabytes(size)} is over the {megabytes(MAX_INPUT_BYTES)} input limit"
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
        raise InputError(f"{name}: input is over the {megabytes(MAX_INPUT_BYTES)} limit")
    return raw


# -- bytes -> document ---------------------------------------------------------------------------------------


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
        raise InputError(f"{name}: input is over the {megabytes(MAX_INPUT_BYTES)} limit")
    decoded = decode_input(raw, name, declared_charset)
    text = decoded.text
    declared_html = (content_type or "").endswith(("html", "xhtml+xml")) and "<" in text[:4096]
    if looks_like_html(text) or declared_html:
        document = document_from_html(text, url=url, name=name)
    else:
        document = document_from_text(text)
        document.url = url
    document.metadata["encoding"] = decoded.encoding
    if decoded.note:
        document.metadata["decoding"] = decoded.note
        document.warnings.append(
            decoded.note
        )  # the reader of the analysis should know the text may be mis-decoded
        # Replaced bytes lose text: say so on the console too; a detected code page is only recorded.
        (log.warning if "U+FFFD" in decoded.note else log.info)("%s: %s", name, decoded.note)
    return document


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

    ``text`` is kept as given apart from newline normalisation and the page furniture and captions removed
    (:mod:`communique.ingest.furniture`: what was removed is in ``metadata["furniture"]``); offsets point into
    the text kept. The title is metadata.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    stripped = strip_furniture(text)
    text = stripped.text
    document = Document(
        text=text, title=title if title is not None else headline(text), published=dateline_date(text)
    )
    if stripped.removed:
        document.metadata["furniture"] = stripped.removed
    return document


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
