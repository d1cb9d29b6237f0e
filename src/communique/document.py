"""The one document model every stage reads and extends.

Ingestion makes a :class:`Document`; the pipeline parses it once with spaCy (``Document.parsed``) and each
stage adds its own layer (actors, dates, quotes, sentence kinds, events, rhetoric, stance). A stage never
rewrites a layer made by an earlier stage. :func:`to_contract` turns a document into the analysis object of
the JSON contract (``schema: communique/1``); every extracted item carries character offsets into
``Document.text`` (Python ``str`` offsets, end exclusive) and the index of its sentence.
"""

from __future__ import annotations

import bisect
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

SCHEMA = "communique/1"


@dataclass
class Span:
    """A stretch of the document text."""

    text: str
    start: int
    end: int


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    kind: str = "report"  # report | quote | opinion
    cues: list[str] = field(default_factory=list)


@dataclass
class Mention:
    text: str
    start: int
    end: int
    sentence: int
    # how the text names the actor: name | adjective | capital | acronym | title | pronoun | possessive
    kind: str = "name"


@dataclass
class Actor:
    """One canonical actor of a document, with every place the text names it."""

    id: str
    name: str
    type: str  # country | person | organization | group | region
    code: str | None  # ISO 3166-1 alpha-3 of its state, "IGO" for international organizations, or None
    sector: str | None  # PLOVER/CAMEO sector on the document's date (GOV, MIL, ELI, OPP, IGO, ...)
    mentions: list[Mention] = field(default_factory=list)
    kb_id: str | None = None  # identifier of the knowledge-base entry it resolved to
    role: str | None = None  # e.g. "President of Azerbaijan" for a person on the document's date


@dataclass
class DateExpression:
    text: str
    start: int
    end: int
    value: str | None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; None when it cannot be resolved
    granularity: str | None  # year | month | day
    sentence: int = 0
    relative: bool = False


@dataclass
class Participant:
    actor_id: str | None
    code: str | None
    sector: str | None
    text: str


@dataclass
class EventDate:
    text: str
    value: str | None
    granularity: str | None


@dataclass
class Location:
    text: str
    code: str | None


@dataclass
class Event:
    type: str
    mode: str | None
    context: list[str]
    actor: list[Participant]
    recipient: list[Participant]
    date: EventDate | None
    location: Location | None
    status: str  # realized | future | hypothetical | negated | historical
    attribution: str  # reported | quoted | author
    score: float
    sentence: int
    trigger: Span
    evidence: Span
    confidence: float = 1.0
    other_evidence: list[Span] = field(default_factory=list)  # further mentions of the same event


@dataclass
class Speaker:
    text: str
    actor_id: str | None
    name: str | None
    code: str | None
    start: int | None = None  # offsets of ``text`` in the document, when the speaker is named in it
    end: int | None = None


@dataclass
class Quote:
    kind: str  # direct | indirect
    speaker: Speaker
    cue: Span
    content: Span
    sentence: int = 0


@dataclass
class RhetoricSpan:
    technique: str  # SemEval-2023 Task 3 technique name
    text: str
    start: int
    end: int
    sentence: int = 0
    cue: str | None = None  # the lexicon entry or pattern that flagged it


@dataclass
class Stance:
    actor_id: str
    code: str | None
    score: float  # -1..+1
    sentences: list[int] = field(default_factory=list)


@dataclass
class AnalysisFailure:
    """A document of a batch that could not be read or analysed; the batch goes on without it."""

    document_id: str
    error: str

    def to_contract(self) -> dict[str, Any]:
        return {"document": {"id": self.document_id}, "error": self.error}


@dataclass
class Document:
    """An article and everything the stages found in it."""

    text: str
    id: str = ""
    title: str | None = None
    published: date | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None  # outlet or feed the document came from
    language: str = "en"
    genre: str | None = None  # news | opinion | analysis
    # The outlet's media-bias rating as the input gives it (AllSides: left, center, right), never inferred.
    bias: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # Problems with the input that did not stop the analysis (e.g. an unreadable publication date), in words.
    warnings: list[str] = field(default_factory=list)

    sentences: list[Sentence] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    dates: list[DateExpression] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    rhetoric: list[RhetoricSpan] = field(default_factory=list)
    stance: list[Stance] = field(default_factory=list)

    # The spaCy parse; never serialised. Set by the pipeline before the first stage runs.
    parsed: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def sentence_at(self, offset: int) -> int:
        """Index of the sentence containing character ``offset`` (the last one if past the end)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo if self.sentences else 0

    def actor(self, actor_id: str | None) -> Actor | None:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        return None

    def mentions_within(self, start: int, end: int) -> list[tuple[Actor, Mention]]:
        """Every actor mention lying inside [start, end), in text order."""
        index = self._mention_index()
        i = bisect.bisect_left(index, (start,))
        found = []
        while i < len(index) and index[i][0] < end:
            if index[i][1] <= end:
                found.append((index[i][2], index[i][3]))
            i += 1
        return found

    def mention_at(self, start: int, end: int) -> tuple[Actor, Mention] | None:
        """The actor mention overlapping [start, end) the most, if any."""
        index = self._mention_index()
        best, best_overlap = None, 0
        i = max(0, bisect.bisect_left(index, (start,)) - 8)  # mentions are short; look a little to the left
        while i < len(index) and index[i][0] < end:
            overlap = min(end, index[i][1]) - max(start, index[i][0])
            if overlap > best_overlap:
                best, best_overlap = (index[i][2], index[i][3]), overlap
            i += 1
        return best

    def _mention_index(self) -> list[tuple[int, int, Actor, Mention]]:
        # Built once per document after the actors stage; rebuilt if the actor layer changes size.
        size = sum(len(a.mentions) for a in self.actors)
        cached = self.__dict__.get("_mentions_cache")
        if cached is None or cached[0] != size:
            index = sorted(
                ((m.start, m.end, a, m) for a in self.actors for m in a.mentions), key=lambda x: (x[0], x[1])
            )
            self.__dict__["_mentions_cache"] = (size, index)
            return index
        return cached[1]


def normalised_text(text: str) -> str:
    """The text as used for identity: Unicode NFC, whitespace collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def content_id(text: str) -> str:
    """A stable document id from normalised content, so re-ingesting the same article is a no-op."""
    return hashlib.sha256(normalised_text(text).encode("utf-8")).hexdigest()[:20]


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"text": span.text, "start": span.start, "end": span.end}


def to_contract(document: Document, include_text: bool = True) -> dict[str, Any]:
    """The analysis object of the JSON contract (see CONTRACT.md / docs/contract.md)."""
    doc: dict[str, Any] = {
        "id": document.id,
        "title": document.title,
        "published": document.published.isoformat() if document.published else None,
        "genre": document.genre,
        "language": document.language,
        "url": document.url,
        "author": document.author,
        "source": document.source,
        "bias": document.bias,
        "warnings": list(document.warnings),
    }
    if include_text:
        doc["text"] = document.text
    return {
        "schema": SCHEMA,
        "document": doc,
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "kind": s.kind, "cues": list(s.cues)}
            for s in document.sentences
        ],
        "actors": [
            {
                "id": a.id,
                "name": a.name,
                "type": a.type,
                "code": a.code,
                "sector": a.sector,
                "role": a.role,
                "kb_id": a.kb_id,
                "mentions": [
                    {"text": m.text, "start": m.start, "end": m.end, "sentence": m.sentence, "kind": m.kind}
                    for m in a.mentions
                ],
            }
            for a in document.actors
        ],
        "events": [_event(e) for e in document.events],
        "quotes": [
            {
                "kind": q.kind,
                "speaker": {
                    "text": q.speaker.text,
                    "actor_id": q.speaker.actor_id,
                    "name": q.speaker.name,
                    "code": q.speaker.code,
                    "start": q.speaker.start,
                    "end": q.speaker.end,
                },
                "cue": _span(q.cue),
                "content": _span(q.content),
                "sentence": q.sentence,
            }
            for q in document.quotes
        ],
        "dates": [
            {
                "text": d.text,
                "start": d.start,
                "end": d.end,
                "value": d.value,
                "granularity": d.granularity,
                "sentence": d.sentence,
            }
            for d in document.dates
        ],
        "rhetoric": [
            {
                "technique": r.technique,
                "text": r.text,
                "start": r.start,
                "end": r.end,
                "sentence": r.sentence,
                "cue": r.cue,
            }
            for r in document.rhetoric
        ],
        "stance": [
            {
                "actor_id": s.actor_id,
                "code": s.code,
                "score": round(s.score, 3),
                "sentences": list(s.sentences),
            }
            for s in document.stance
        ],
    }


def _participant(p: Participant) -> dict[str, Any]:
    return {"actor_id": p.actor_id, "code": p.code, "sector": p.sector, "text": p.text}


def _event(e: Event) -> dict[str, Any]:
    return {
        "type": e.type,
        "mode": e.mode,
        "context": list(e.context),
        "actor": [_participant(p) for p in e.actor],
        "recipient": [_participant(p) for p in e.recipient],
        "date": (
            {"text": e.date.text, "value": e.date.value, "granularity": e.date.granularity}
            if e.date
            else None
        ),
        "location": {"text": e.location.text, "code": e.location.code} if e.location else None,
        "status": e.status,
        "attribution": e.attribution,
        "score": e.score,
        "confidence": round(e.confidence, 3),
        "sentence": e.sentence,
        "trigger": _span(e.trigger),
        "evidence": _span(e.evidence),
        "other_evidence": [_span(s) for s in e.other_evidence],
    }
