"""Ingestion: any supported input becomes a :class:`Document` (FIRST CUT: being hardened).

Public functions:
    read_source(source, published=None, title=None) -> Document     a file path, an http(s) URL, or "-" (stdin)
    document_from_bytes(raw, name=..., ...) -> Document                plain text or HTML, encoding detected
    read_jsonl(path) -> Iterator[Document | AnalysisFailure]           JSONL (optionally .gz), one document a line
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .document import Document
from .errors import InputError
from .pipeline import AnalysisFailure, parse_published

MAX_INPUT_BYTES = 20 * 1024 * 1024


def read_source(source: str, published: str | date | None = None, title: str | None = None) -> Document:
    if source == "-":
        raw = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        document = document_from_bytes(raw, name="<stdin>")
    else:
        path = Path(source)
        if not path.exists():
            raise InputError(f"{source}: no such file")
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"{source}: file is larger than {MAX_INPUT_BYTES // 2**20} MB")
        document = document_from_bytes(path.read_bytes(), name=source)
    if published is not None:
        document.published = parse_published(published)
    if title is not None:
        document.title = title
    return document


def document_from_bytes(raw: bytes, name: str = "<input>") -> Document:
    if not raw.strip():
        raise InputError(f"{name}: empty input")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8") from exc
    return document_from_text(text)


def document_from_text(text: str) -> Document:
    """Plain text; a short first line without final punctuation is taken as the headline."""
    text = text.replace("\r\n", "\n").strip("\ufeff")
    title = None
    first, _, rest = text.partition("\n")
    if rest.strip() and len(first) < 200 and not first.rstrip().endswith((".", "!", "?", ":", "”", '"')):
        title = first.strip()
    return Document(text=text, title=title)


def read_jsonl(path: str | Path) -> Iterator[Document | AnalysisFailure]:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:  # type: ignore[operator]
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text = record.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise InputError("record has no text")
                document = Document(text=text, id=str(record.get("id") or ""), title=record.get("title"))
                if record.get("published"):
                    document.published = parse_published(record["published"])
                yield document
            except Exception as exc:
                yield AnalysisFailure(str(_safe_id(line) or f"line-{number}"), f"line {number}: {exc}")


def _safe_id(line: str) -> str | None:
    try:
        value = json.loads(line).get("id")
        return str(value) if value is not None else None
    except Exception:
        return None


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
