"""JSONL records: one JSON object a line (.gz allowed) becomes a :class:`Document`, or the reason it cannot.

    read_jsonl(path) -> Iterator[Document | AnalysisFailure]     one result a line, in order (`analyze --jsonl`)
    jsonl_records(path) -> Iterator[RecordLine]                   the lines as JSON objects (also `ingest`'s)
    document_from_record(record) -> Document                      one JSON record, fields per RECORD_FIELDS
    record_id(record) -> str | None                               the id a record gives itself

A bad line (not JSON, not UTF-8, over :data:`MAX_LINE_BYTES`, without text) is reported with its line number and
the lines after it are read as usual; an unreadable publication date costs the date only, with a warning.
"""

from __future__ import annotations

import gzip
import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from communique.document import AnalysisFailure, Document
from communique.errors import CommuniqueError, InputError
from communique.ingest.decode import megabytes
from communique.ingest.furniture import strip_furniture
from communique.ingest.published import publication_date, text_date

log = logging.getLogger(__name__)

# One JSONL line larger than this is an error record (the rest of the line is skipped, the run goes on).
MAX_LINE_BYTES = 20 * 1024 * 1024

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
    "bias": ("bias", "bias_text", "allsides_bias"),  # the outlet's media-bias rating (AllSides: bias_text)
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
        return RecordLine(number, None, f"line is over the {megabytes(MAX_LINE_BYTES)} limit")
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

    Page furniture and captions are removed from the text (:mod:`communique.ingest.furniture`; what was removed is
    in ``metadata["furniture"]``). The document's id is the record's id, else the content hash of the text kept.
    A missing or empty text is an :class:`InputError`; an unreadable publication date is not: the document keeps no
    date and says why in ``Document.warnings``.
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
    stripped = strip_furniture(text.replace("\r\n", "\n"))
    document = Document(
        text=stripped.text,
        id=record_id(record) or "",
        title=_field_text(pick("title")),
        url=_field_text(pick("url")),
        author=_field_text(pick("author")),
        source=_field_text(pick("source")),
        genre=_field_text(pick("genre")),
        bias=_field_text(pick("bias")),
    )
    if stripped.removed:
        document.metadata["furniture"] = stripped.removed
    published = pick("published")
    if published is not None:
        try:
            document.published = publication_date(published if isinstance(published, str) else str(published))
        except InputError as exc:
            document.warnings.append(f"{exc.message}; analysed without a publication date")
    if document.published is None:  # a record without a date: the one its text allows, if any
        document.published = text_date(document.text)
        if document.published is not None:
            document.metadata["published_from"] = "text"
    return document


def _field_text(value: Any) -> str | None:
    """A record value as one line of text: strings and numbers as written, a list of them joined by commas."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if isinstance(v, str | int | float) and str(v).strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def record_id(record: Any) -> str | None:
    """The id a JSON record gives itself (a non-blank string or an integer), or None."""
    if not isinstance(record, dict):
        return None
    for key in RECORD_FIELDS["id"]:
        value = record.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None
