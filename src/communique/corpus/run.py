"""The ingestion run: sources -> documents -> analysis in worker processes -> batched, exactly-once writes.

    ingest(["articles/", "feeds.txt", "https://example.org/rss.xml"], store) -> IngestReport

Sources are expanded in order (:func:`read_sources`): a directory (recursively: .txt, .html/.htm, .json,
.jsonl, .jsonl.gz), a file of those kinds, a list file (every non-blank line a path or URL), an http(s) URL of
an article or of an RSS/Atom feed (fetched with a conditional GET: the feed's ETag and Last-Modified are kept
in the store), or a local .rss/.atom/.xml feed file.

Exactly once: a document's id is :func:`~communique.document.content_id` of its text, whatever id the input
gave it (that one is kept as ``external_id``). The main process decides, in input order, what each document
is — already stored, an exact copy, a near copy (:mod:`communique.corpus.dedup`), or new — and only new documents go
to the workers. Results come back in input order and each chunk of whole documents is written in one
transaction, so a run killed at any moment leaves only complete documents behind, and a rerun makes the same
decisions for the rest. Event clusters are rebuilt for the keys with new rows at the end of each run.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.corpus.dedup import NEAR_THRESHOLD, NearDuplicateIndex, merge_events, signature
from communique.corpus.store import AnalysedDocument, DocumentError, DocumentLink, Store
from communique.document import Document, content_id, to_contract
from communique.errors import CommuniqueError, InputError, StoreError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


@dataclass
class Incoming:
    """A document read from a source, before deduplication.

    ``analysis`` is its contract record when it was analysed already (``POST /api/analyze`` answers with the
    analysis, then stores it): the run stores that record, if the document is new, rather than analyse the
    text a second time.
    """

    document: Document
    origin: str
    external_id: str | None = None
    analysis: dict[str, Any] | None = None


@dataclass
class IngestSettings:
    """How a run works; recorded with the run."""

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # 0: analyse in this process
    chunk_size: int = 8  # documents per worker task and per write transaction
    near_threshold: float = NEAR_THRESHOLD
    analysis_batch: int = 8  # documents per spaCy nlp.pipe batch inside a worker
    # A worker is replaced after this many chunks: the parser's string store and the stages' caches grow with
    # every new document, so recycling keeps memory flat over any corpus (one model load per 800 documents).
    chunks_per_worker: int = 100
    # Publication date (YYYY-MM-DD) for the documents that come without one (`ingest --published`).
    published: str | None = None


@dataclass
class IngestReport:
    run_id: int
    added: int = 0
    linked: int = 0
    skipped: int = 0  # already stored: known before analysis, or stored meanwhile (below)
    errors: int = 0
    seconds: float = 0.0
    clusters: int = 0
    # Of the skipped: analysed by this run, then found stored by the time it wrote them (another run over the
    # same input got there first).
    stored_meanwhile: int = 0
    concurrent_runs: list[int] = field(default_factory=list)  # runs over the same sources when this one began

    @property
    def documents(self) -> int:
        return self.added + self.linked + self.skipped + self.errors

    @property
    def analysed_per_second(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


# -- reading sources ------------------------------------------------------------------------------------------


def read_sources(
    sources: Iterable[str],
    feed_states: dict[str, tuple[str | None, str | None]] | None = None,
    store: Store | None = None,
    published: str | None = None,
) -> Iterator[Incoming | DocumentError]:
    """Every document the sources hold, in order; unreadable ones as :class:`DocumentError`.

    ``feed_states`` collects the ETag/Last-Modified of each feed fetched, to be saved once the run's documents
    are stored (saving earlier would make a rerun after a crash skip the feed's unstored entries).
    ``published`` (YYYY-MM-DD) dates the documents that have no date of their own; dated ones keep theirs.
    """
    if published is None:
        yield from _read_sources(sources, feed_states, store)
        return
    from communique.ingest.published import publication_date

    day = publication_date(published)
    for item in _read_sources(sources, feed_states, store):
        if isinstance(item, Incoming) and item.document.published is None:
            item.document.published = day
        yield item


def _read_sources(
    sources: Iterable[str],
    feed_states: dict[str, tuple[str | None, str | None]] | None,
    store: Store | None,
) -> Iterator[Incoming | DocumentError]:
    for source in sources:
        try:
            yield from _read_source(source, feed_states if feed_states is not None else {}, store)
        except CommuniqueError as exc:
            yield DocumentError(source, None, str(exc))
        except OSError as exc:
            yield DocumentError(source, None, f"cannot read {source}: {exc}")


def _read_source(
    source: str, feed_states: dict[str, tuple[str | None, str | None]], store: Store | None
) -> Iterator[Incoming | DocumentError]:
    if source.startswith(("http://", "https://")):
        yield from _read_url(source, feed_states, store)
        return
    path = Path(source)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if _suffix(child) in (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".json", *JSONL_SUFFIXES):
                yield from read_sources([str(child)], feed_states, store)
        return
    if not path.exists():
        raise InputError(f"{source}: no such file or directory")
    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        yield from read_records(path)
    elif suffix == ".json":
        yield from _read_json(path)
    elif suffix in FEED_SUFFIXES:
        yield from _read_feed(path.read_bytes(), str(path), feed_states, store)
    elif _is_list_file(path):
        base = path.parent
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            if not entry.startswith(("http://", "https://")) and not Path(entry).is_absolute():
                entry = str(base / entry)
            yield from read_sources([entry], feed_states, store)
    else:
        yield _incoming_file(path)


def count_documents(sources: Iterable[str]) -> int | None:
    """How many documents the sources hold, read as :func:`read_sources` reads them, without analysing any;
    None when that cannot be known beforehand (a URL or a feed, whose entries are known only once fetched).

    A JSONL file counts its non-blank lines, a JSON file its records, a directory and a list file the files
    they name; used to give a run's progress a total and an estimated end.
    """
    total = 0
    for source in sources:
        if source.startswith(("http://", "https://")):
            return None
        path = Path(source)
        if path.is_dir():
            children = [
                str(p)
                for p in sorted(path.rglob("*"))
                if p.is_file() and _suffix(p) in (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".json", *JSONL_SUFFIXES)
            ]
            counted = count_documents(children)
        elif not path.exists():
            counted = 1  # read as one error
        else:
            counted = _count_file(path)
        if counted is None:
            return None
        total += counted
    return total


def _count_file(path: Path) -> int | None:
    import gzip

    suffix = _suffix(path)
    if suffix in JSONL_SUFFIXES:
        opener: Any = gzip.open if suffix.endswith(".gz") else open
        with opener(path, "rb") as lines:
            return sum(1 for line in lines if line.strip())
    if suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return 1
        return len(data) if isinstance(data, list) else 1
    if suffix in FEED_SUFFIXES:
        return None
    if _is_list_file(path):
        base = path.parent
        entries = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]
        return count_documents(
            e if e.startswith(("http://", "https://")) or Path(e).is_absolute() else str(base / e)
            for e in entries
        )
    return 1


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for double in (".jsonl.gz", ".ndjson.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def _incoming_file(path: Path) -> Incoming:
    from communique.ingest.read import read_source

    document = read_source(str(path))
    return Incoming(_fresh(document), str(path))


def _is_list_file(path: Path) -> bool:
    """A small text file every non-blank, non-comment line of which is a URL or an existing path."""
    if _suffix(path) not in (".txt", ".list", ".lst", "") or path.stat().st_size > 1_000_000:
        return False
    lines = [
        line.strip()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    if not lines:
        return False
    for line in lines:
        if line.startswith(("http://", "https://")) and " " not in line:
            continue
        candidate = Path(line) if Path(line).is_absolute() else path.parent / line
        try:
            if not candidate.exists():
                return False
        except (OSError, ValueError):  # too long for a file name, or a NUL in it: prose, not a list of paths
            return False
    return True


def read_records(path: Path) -> Iterator[Incoming | DocumentError]:
    """Documents of a JSONL file (gzip allowed), one JSON object a line, read as `analyze --jsonl` reads them.

    Lines and fields are read by :mod:`communique.ingest.records` (:func:`~communique.ingest.records.jsonl_records`,
    :data:`~communique.ingest.records.RECORD_FIELDS`); a line that is no document is a :class:`DocumentError` whose
    origin is ``path:line``.
    """
    from communique.ingest.records import jsonl_records

    for line in jsonl_records(path):
        origin = f"{path}:{line.number}"
        if line.record is None:
            yield DocumentError(origin, None, str(InputError(line.problem or "unreadable line")))
            continue
        try:
            yield document_from_record(line.record, origin)
        except (ValueError, TypeError, CommuniqueError) as exc:
            yield DocumentError(origin, None, str(exc))


def _read_json(path: Path) -> Iterator[Incoming | DocumentError]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        yield DocumentError(str(path), None, f"not valid JSON: {exc}")
        return
    records = data if isinstance(data, list) else [data]
    for i, record in enumerate(records):
        origin = str(path) if len(records) == 1 else f"{path}[{i}]"
        try:
            if not isinstance(record, dict):
                raise InputError("not a JSON object")
            yield document_from_record(record, origin)
        except (ValueError, TypeError, CommuniqueError) as exc:
            yield DocumentError(origin, None, str(exc))


def document_from_record(record: dict[str, Any], origin: str) -> Incoming:
    """A document from one JSON record (:func:`communique.ingest.records.document_from_record`), ready to store.

    The document's id is its content id; the record's own id becomes the external id. An unreadable
    publication date leaves the document undated, with the reason in ``Document.warnings`` and in the log.
    """
    from communique.ingest.records import document_from_record as read_document
    from communique.ingest.records import record_id

    document = read_document(record)
    for warning in document.warnings:
        log.warning("%s: %s", origin, warning)
    return Incoming(_fresh(document), origin, record_id(record))


def _fresh(document: Document) -> Document:
    # NUL characters carry no text and PostgreSQL cannot store them: drop them before the id is computed, so
    # both stores hold the same documents. The id is always the content id, whatever a reader set.
    if "\x00" in document.text:
        document.text = document.text.replace("\x00", "")
    document.id = content_id(document.text)
    return document


def _read_url(
    url: str, feed_states: dict[str, tuple[str | None, str | None]], store: Store | None
) -> Iterator[Incoming | DocumentError]:
    """An article, or every article of a feed (fetched with a conditional GET against the feed's last state)."""
    from communique.ingest.fetch import fetch
    from communique.ingest.read import MAX_INPUT_BYTES, document_from_bytes

    etag, modified = store.feed_state(url) if store is not None else (None, None)
    fetched = fetch(url, etag=etag, last_modified=modified, max_bytes=MAX_INPUT_BYTES)
    if fetched.status == 304:  # the feed has not changed since the last run
        return
    if _looks_like_feed(fetched.content, fetched.content_type or ""):
        feed_states[url] = (fetched.etag, fetched.last_modified)
        yield from _read_feed(fetched.content, url, feed_states, store)
        return
    document = document_from_bytes(
        fetched.content,
        name=url,
        url=fetched.final_url,
        declared_charset=fetched.charset,
        content_type=fetched.content_type,
    )
    document.url = document.url or fetched.final_url
    yield Incoming(_fresh(document), url)


def _looks_like_feed(body: bytes, content_type: str) -> bool:
    if any(kind in content_type for kind in ("rss", "atom")):
        return True
    head = body[:512].lstrip().lower()
    return head.startswith((b"<rss", b"<feed")) or (
        head.startswith(b"<?xml") and (b"<rss" in body[:2048].lower() or b"<feed" in body[:2048].lower())
    )


def _read_feed(
    body: bytes, origin: str, feed_states: dict[str, tuple[str | None, str | None]], store: Store | None
) -> Iterator[Incoming | DocumentError]:
    """The articles of an RSS/Atom feed: each entry's link is fetched; an entry without one uses its summary."""
    import feedparser

    from communique.pipeline import parse_published

    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        yield DocumentError(origin, None, f"not a readable RSS/Atom feed: {parsed.get('bozo_exception')}")
        return
    feed_title = parsed.feed.get("title")
    for entry in parsed.entries:
        link = entry.get("link")
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}"
        try:
            if link and link.startswith(("http://", "https://")):
                if store is not None and store.stored_entry(link, entry.get("id")):
                    continue  # stored by an earlier run: not fetched again (a watch polls a feed often)
                found = [i for i in _read_url(link, {}, None) if isinstance(i, Incoming)]
                if not found:
                    continue
                incoming = found[0]
            else:
                text = _feed_entry_text(entry)
                if not text:
                    continue
                incoming = Incoming(
                    _fresh(Document(text=text)), f"{origin}#{entry.get('id') or entry.get('title')}"
                )
            document = incoming.document
            document.title = document.title or entry.get("title")
            document.url = document.url or link
            document.source = feed_title or document.source  # the outlet as the subscriber named it
            if published and document.published is None:
                document.published = parse_published(published)
            incoming.external_id = incoming.external_id or entry.get("id")
            yield incoming
        except CommuniqueError as exc:
            yield DocumentError(link or origin, None, str(exc))


def _feed_entry_text(entry: Any) -> str:
    import re
    from html import unescape

    parts = [c.get("value", "") for c in entry.get("content", [])] or [entry.get("summary", "")]
    text = unescape(re.sub(r"<[^>]+>", " ", "\n\n".join(p for p in parts if p)))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


# -- analysis in worker processes -----------------------------------------------------------------------------

_analyzer: Any = None


def _start_worker(analysis_batch: int) -> None:
    """Pool initializer: load the model once per worker, and die with the parent (a killed run leaves no orphans)."""
    global _analyzer
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: orphans exit when their pipe closes
        pass
    from communique.pipeline import Analyzer

    _analyzer = Analyzer()
    _analyzer.analysis_batch = analysis_batch


def use_analyzer(analyzer: Any) -> None:
    """Make ``analyzer`` the one :func:`analyse_chunk` uses in this process (a Ray actor loads its own once)."""
    global _analyzer
    _analyzer = analyzer


@dataclass
class Task:
    """A new document the triage sends to analysis: what was read, and its MinHash signature (None for a text
    too short to have one), which is stored with it for the near-duplicate index."""

    incoming: Incoming
    signature: bytes | None


Chunk = list["Task | DocumentLink | DocumentError"]


def analyse_chunk(chunk: Chunk) -> list[AnalysedDocument | DocumentLink | DocumentError]:
    """Analyse the documents of one chunk (links and errors pass through, a document analysed already keeps
    its analysis), in order."""
    from communique.document import AnalysisFailure
    from communique.pipeline import Analyzer

    global _analyzer
    tasks = [item for item in chunk if isinstance(item, Task) and item.incoming.analysis is None]
    results: dict[int, Document | AnalysisFailure] = {}
    if tasks:
        if _analyzer is None:
            _analyzer = Analyzer()
        batch = getattr(_analyzer, "analysis_batch", 8)
        for task, result in zip(
            tasks,
            _analyzer.analyze_documents([t.incoming.document for t in tasks], batch_size=batch),
            strict=True,
        ):
            results[id(task)] = result
    out: list[AnalysedDocument | DocumentLink | DocumentError] = []
    for item in chunk:
        if not isinstance(item, Task):
            out.append(item)
            continue
        analysed_already, incoming = item.incoming.analysis, item.incoming
        if analysed_already is not None:
            out.append(
                AnalysedDocument(analysed_already, incoming.external_id, incoming.origin, item.signature)
            )
            continue
        result = results[id(item)]
        if isinstance(result, Document):
            result.parsed = None
            out.append(
                AnalysedDocument(
                    to_contract(result), item.incoming.external_id, item.incoming.origin, item.signature
                )
            )
        else:
            out.append(DocumentError(item.incoming.origin, result.document_id, result.error))
    return out


class _Analysis:
    """Runs chunks in order, in worker processes (or here, with no workers), with a bounded number in flight."""

    def __init__(self, settings: IngestSettings) -> None:
        self.settings = settings
        self.pool: ProcessPoolExecutor | None = None
        if settings.workers > 0:
            import multiprocessing

            self.pool = ProcessPoolExecutor(
                max_workers=settings.workers,
                mp_context=multiprocessing.get_context("spawn"),  # no copy of our DB connection in a worker
                initializer=_start_worker,
                initargs=(settings.analysis_batch,),
                max_tasks_per_child=settings.chunks_per_worker or None,
            )
        self.pending: deque[Future[Any] | list[Any]] = deque()
        self.limit = max(2, settings.workers * 2)

    def submit(self, chunk: Chunk) -> Iterator[list[AnalysedDocument | DocumentLink | DocumentError]]:
        """Queue a chunk; yield the results of the oldest chunks once too many are in flight."""
        if self.pool is None:
            self.pending.append(analyse_chunk(chunk))
        elif not any(isinstance(i, Task) for i in chunk) and not self.pending:
            self.pending.append(list(chunk))
        else:
            self.pending.append(self.pool.submit(analyse_chunk, chunk))
        while len(self.pending) > self.limit or (self.pool is None and self.pending):
            yield self._result(self.pending.popleft())

    def drain(self) -> Iterator[list[AnalysedDocument | DocumentLink | DocumentError]]:
        while self.pending:
            yield self._result(self.pending.popleft())

    @staticmethod
    def _result(item: Future[Any] | list[Any]) -> list[Any]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return item.result() if isinstance(item, Future) else item
        except BrokenProcessPool as exc:
            raise CommuniqueError(
                "an analysis worker died (out of memory, or killed); what was stored is kept: run the same "
                "ingest again to resume"
            ) from exc

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def analyse_stream(
    documents: Iterable[Incoming | DocumentError], settings: IngestSettings | None = None
) -> Iterator[AnalysedDocument | DocumentLink | DocumentError]:
    """Analyse documents in the worker pool without storing them (the benchmark's 'analysis alone')."""
    settings = settings or IngestSettings()
    analysis = _Analysis(settings)
    try:
        chunk: Chunk = []
        for item in documents:
            chunk.append(Task(item, None) if isinstance(item, Incoming) else item)
            if len(chunk) >= settings.chunk_size:
                for results in analysis.submit(chunk):
                    yield from results
                chunk = []
        if chunk:
            for results in analysis.submit(chunk):
                yield from results
        for results in analysis.drain():
            yield from results
    finally:
        analysis.close()


# -- the run --------------------------------------------------------------------------------------------------


class Triage:
    """Decides, in input order, what each incoming document is: stored, a copy, a near copy, or new.

        triage = Triage(store, NEAR_THRESHOLD)   # indexes the signatures of every stored document
        triage.decide(incoming)  # -> Task (new: analyse it), DocumentLink (a copy: link it), or None (stored)

    Every write path decides with it, so ``ingest``, the Ray engine and ``POST /api/analyze`` store a document
    once and link its copies: an exact copy (the same text under another id or URL) and a near copy (a MinHash
    similarity at or over the threshold with a stored document, or with one new earlier in the run) become
    :class:`~communique.corpus.store.DocumentLink` rows to the stored document, never a second document.
    Documents decided new are remembered, so a copy later in the same run is linked too.
    """

    def __init__(self, store: Store, threshold: float, index: NearDuplicateIndex | None = None) -> None:
        """``index``: one built before over this store (``POST /api/analyze`` keeps one between requests),
        brought up to date here with the documents stored since, instead of indexing every document again."""
        self.store = store
        self.index = (
            index if index is not None and index.threshold == threshold else NearDuplicateIndex(threshold)
        )
        for doc_id, sig in store.signatures():  # an indexed document is skipped by add()
            self.index.add(doc_id, sig)
        self.in_run: dict[str, tuple[str | None, str | None]] = {}  # new this run: id -> (external id, url)
        self.linked: set[str] = set()

    def decide(self, incoming: Incoming) -> Task | DocumentLink | None:
        document = _fresh(incoming.document)
        doc_id = document.id
        identity = self.in_run.get(doc_id) or self.store.document_identity(doc_id)
        if identity is not None:
            return self._exact_copy(doc_id, identity, incoming)
        if doc_id in self.linked or self.store.known_keys([doc_id]):
            return None  # a near copy linked before
        sig = signature(document.text)
        if sig is not None:
            near = self.index.find(sig)
            if near is not None:
                self.linked.add(doc_id)
                return _link(near[0], doc_id, "near", near[1], incoming)
            self.index.add(doc_id, sig)
        self.in_run[doc_id] = (incoming.external_id, document.url)
        return Task(incoming, sig)

    def _exact_copy(
        self, doc_id: str, identity: tuple[str | None, str | None], incoming: Incoming
    ) -> DocumentLink | None:
        key = incoming.external_id or incoming.document.url
        if not key or key in identity or key in self.linked:
            return None
        if self.store.known_keys([key]):
            return None
        self.linked.add(key)
        return _link(doc_id, key, "exact", 1.0, incoming)


def _link(document_id: str, key: str, kind: str, similarity: float, incoming: Incoming) -> DocumentLink:
    d = incoming.document
    return DocumentLink(
        document_id,
        key,
        kind,
        similarity,
        incoming.external_id,
        d.url,
        d.source,
        d.title,
        d.published.isoformat() if d.published else None,
    )


# The metadata of a stored document that can be corrected (`communique documents edit`, PATCH /api/documents).
EDITABLE_FIELDS = ("published", "title", "source")


def edit_document(
    store: Store,
    document_id: str,
    changes: Mapping[str, str | None],
    analyzer: Any = None,
) -> list[tuple[str, Any, Any]]:
    """Correct a stored document's ``published`` (YYYY-MM-DD), ``title`` or ``source``; return what changed as
    (field, old, new).

    The stored text is analysed again with the corrected metadata, so relative dates ("yesterday") resolve
    against the new publication date and every event is counted on the right day; the document's rows are
    replaced in one transaction and the real-world events of its dyads rebuilt, so every analytic follows.
    A value of None or "" clears the field; a field not in ``changes`` is left as it is.
    """
    from communique.ingest.published import publication_date

    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(f"cannot edit {', '.join(sorted(unknown))}: only {', '.join(EDITABLE_FIELDS)}")
    row = store.stored_document(document_id)
    if row is None:
        raise InputError(f"no stored document {document_id}")
    wanted: dict[str, str | None] = {}
    for name, value in changes.items():
        value = " ".join(value.split()) if value else None
        if name == "published" and value is not None:
            value = publication_date(value).isoformat()
        wanted[name] = value
    edits = [(name, row[name], value) for name, value in wanted.items() if row[name] != value]
    if not edits:
        return []
    merged = {**row, **wanted}
    document = Document(
        text=row["text"],
        id=row["id"],
        title=merged["title"],
        published=publication_date(merged["published"]) if merged["published"] else None,
        url=row["url"],
        author=row["author"],
        source=merged["source"],
        bias=row["bias"],
    )
    if analyzer is None:
        from communique.pipeline import Analyzer

        analyzer = _analyzer or Analyzer()  # the model this process loaded already (workers=0), if any
    analysed = analyzer.analyze(document)
    analysed.parsed = None
    record = to_contract(analysed)
    store.replace_document(AnalysedDocument(record, row["external_id"], row["origin"], None), edits)
    merge_events(store)
    return edits


ProgressCallback = Callable[[IngestReport], None]


def ingest(
    sources: Iterable[str],
    store: Store,
    settings: IngestSettings | None = None,
    on_progress: ProgressCallback | None = None,
) -> IngestReport:
    """Read, deduplicate, analyse and store every document of the sources; safe to rerun and to kill."""
    settings = settings or IngestSettings()
    sources = list(sources)
    feed_states: dict[str, tuple[str | None, str | None]] = {}
    documents = read_sources(sources, feed_states, store, settings.published)
    return ingest_documents(documents, store, settings, on_progress, sources=sources, feed_states=feed_states)


def ingest_documents(
    documents: Iterable[Incoming | DocumentError],
    store: Store,
    settings: IngestSettings | None = None,
    on_progress: ProgressCallback | None = None,
    *,
    sources: Sequence[str] = (),
    feed_states: Mapping[str, tuple[str | None, str | None]] | None = None,
    near_index: NearDuplicateIndex | None = None,
) -> IngestReport:
    """The ingestion run over documents read already: triage, analysis, exactly-once writes, event merging.

    ``sources`` names what they were read from (recorded with the run); ``feed_states`` is filled while
    ``documents`` is read and saved once they are stored; ``near_index`` is an index of the store's
    signatures kept from an earlier run (:class:`Triage`), which ends up holding this run's new documents too.
    :func:`ingest` reads its sources into this; ``POST /api/analyze`` with ``store=true`` sends its one
    document through it.
    """
    settings = settings or IngestSettings()
    sources = list(sources)
    run_id = store.start_run(sources, settings.__dict__)
    report = IngestReport(run_id, concurrent_runs=[r for r in store.running_runs(sources) if r != run_id])
    if report.concurrent_runs:
        log.warning(
            "run %s is ingesting the same sources as run(s) %s: what they store first is analysed here "
            "and then skipped",
            run_id,
            ", ".join(map(str, report.concurrent_runs)),
        )
    triage = Triage(store, settings.near_threshold, near_index)
    analysis = _Analysis(settings)
    started = time.perf_counter()
    status = "failed"

    def write(results: list[AnalysedDocument | DocumentLink | DocumentError]) -> None:
        store_results(store, run_id, results, report)
        report.seconds = time.perf_counter() - started
        if on_progress:
            on_progress(report)

    try:
        chunk: Chunk = []
        for item in documents:
            decided: Task | DocumentLink | DocumentError | None
            decided = triage.decide(item) if isinstance(item, Incoming) else item
            if decided is None:
                report.skipped += 1
                if on_progress and report.skipped % 100 == 0:  # a rerun writes nothing: still show it moving
                    on_progress(report)
                continue
            chunk.append(decided)
            if (
                sum(isinstance(i, Task) for i in chunk) >= settings.chunk_size
                or len(chunk) >= 4 * settings.chunk_size
            ):
                for results in analysis.submit(chunk):
                    write(results)
                chunk = []
        if chunk:
            for results in analysis.submit(chunk):
                write(results)
        for results in analysis.drain():
            write(results)
        report.clusters = merge_events(store)
        for url, (etag, modified) in (feed_states or {}).items():
            store.set_feed_state(url, etag, modified)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        analysis.close()
        report.seconds = time.perf_counter() - started
        store.finish_run(run_id, status, report.__dict__)
    return report


def store_results(
    store: Store,
    run_id: int,
    results: Sequence[AnalysedDocument | DocumentLink | DocumentError],
    report: IngestReport,
) -> None:
    """Write one chunk of a run's results in one transaction and add what happened to ``report``.

    One document the database refuses (a NUL character for PostgreSQL, say) must not stop the run: the chunk is
    then written one item at a time and each refused one recorded as an error of the run. Both engines write
    through this.
    """
    if not results:
        return
    try:
        counts = store.write_batch(run_id, results)
    except StoreError:
        counts = {"added": 0, "linked": 0, "errors": 0, "stored_meanwhile": 0}
        for item in results:
            try:
                single = store.write_batch(run_id, [item])
            except StoreError as exc:
                origin = item.origin if isinstance(item, AnalysedDocument | DocumentError) else item.copy_key
                doc_id = item.record["document"]["id"] if isinstance(item, AnalysedDocument) else None
                single = store.write_batch(
                    run_id, [DocumentError(origin or "", doc_id, f"not stored: {exc}")]
                )
            for key, value in single.items():
                counts[key] += value
    report.added += counts["added"]
    report.linked += counts["linked"]
    report.errors += counts["errors"]
    report.skipped += counts.get("stored_meanwhile", 0)
    report.stored_meanwhile += counts.get("stored_meanwhile", 0)
