"""Scoring quote attribution against brat standoff annotations (the PolNeAR layout).

A directory holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``; an article annotated by several
people has several ``.ann`` files, and each counts as one gold document (so such an article weighs as many
times as it has annotators, as in the data). In an ``.ann`` file, ``T`` lines are text-bound spans typed
``Source``, ``Cue`` or ``Content`` (other types such as ``Discard`` and ``Discuss`` are ignored), possibly
discontinuous (``start end;start end``), and ``E`` lines (``Attribution`` or ``Attribution-no-source``) tie
one cue, one content and at most one source together.

Predictions come from :class:`~communique.document.Quote` objects. Quotes that share a cue span are one
attribution (a quotation split around its reporting clause gives one quote per part); its content is the
union of their contents and its source the speaker's span.

Matching, for each role (cue, source, content) separately and per gold document:

* A region is a set of character offsets: the union of its spans minus whitespace characters.
* **exact**: a predicted region matches a gold region when the two sets are equal.
* **overlap**: a predicted region matches a gold region when the two sets share at least one offset.
* Matching is one-to-one: candidate pairs are taken in order of decreasing shared characters (exact pairs
  all share everything), and a gold or predicted region joins at most one pair.
* precision = matched / predicted regions, recall = matched / gold regions, F1 their harmonic mean, all
  micro-averaged over every gold document (sums of counts, then the ratios).
* **direct quotes alone**: after the content matching above, a gold content is direct when its first
  non-space character is a quotation mark, and a predicted content is direct when its quote kind is
  ``direct``; direct precision = matched predicted direct / predicted direct, direct recall = matched gold
  direct / gold direct.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.document import Document
from communique.errors import InputError

ROLES = ("cue", "source", "content")
_QUOTE_MARKS = "\"“”‘’«»„'"


@dataclass(frozen=True)
class Region:
    """One annotated or predicted stretch, possibly discontinuous, as (start, end) spans."""

    spans: tuple[tuple[int, int], ...]

    def offsets(self, text: str) -> frozenset[int]:
        """The character offsets the region covers, whitespace excluded."""
        return frozenset(i for s, e in self.spans for i in range(s, e) if not text[i].isspace())

    def text(self, text: str) -> str:
        return " … ".join(text[s:e] for s, e in self.spans)


@dataclass
class Attribution:
    """One attribution relation: who (source), the cue, and what (content)."""

    cue: Region | None
    source: Region | None
    content: Region | None
    direct: bool = False


@dataclass
class GoldDocument:
    name: str  # the .ann file's stem
    text_name: str  # the text file's stem
    text: str
    attributions: list[Attribution]


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class QuoteScores:
    """Counts for each (role, mode) — e.g. ("content", "overlap") — and for direct quotes alone."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)
    documents: int = 0

    def get(self, role: str, mode: str) -> Counts:
        return self.counts.setdefault((role, mode), Counts())

    def add(self, other: QuoteScores) -> None:
        for key, value in other.counts.items():
            self.counts.setdefault(key, Counts()).add(value)
        self.documents += other.documents

    def rows(self) -> list[tuple[str, str, Counts]]:
        order = [(r, m) for r in (*ROLES, "direct") for m in ("exact", "overlap")]
        return [(r, m, self.counts[(r, m)]) for r, m in order if (r, m) in self.counts]

    def table(self) -> str:
        """A plain-text table of every figure."""
        lines = [f"{'role':<8} {'match':<8} {'gold':>6} {'pred':>6} {'hit':>6} {'P':>6} {'R':>6} {'F1':>6}"]
        for role, mode, c in self.rows():
            lines.append(
                f"{role:<8} {mode:<8} {c.gold:>6} {c.predicted:>6} {c.matched:>6} "
                f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}"
            )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "scores": {
                f"{role}_{mode}": {
                    "gold": c.gold,
                    "predicted": c.predicted,
                    "matched": c.matched,
                    "precision": round(c.precision, 4),
                    "recall": round(c.recall, 4),
                    "f1": round(c.f1, 4),
                }
                for role, mode, c in self.rows()
            },
        }


# -- reading brat ------------------------------------------------------------------------------------------
def read_ann(content: str, text: str) -> list[Attribution]:
    """The attributions of one brat ``.ann`` file (its text is needed to tell direct quotes)."""
    spans: dict[str, tuple[str, Region]] = {}
    relations: list[dict[str, str]] = []
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        try:
            if line.startswith("T"):
                kind, offsets = fields[1].split(" ", 1)
                parts = tuple((int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";")))
                spans[fields[0]] = (kind, Region(parts))
            elif line.startswith("E"):
                args = fields[1].split()
                relations.append(dict(arg.split(":", 1) for arg in args[1:]))
        except (IndexError, ValueError) as exc:
            raise InputError(f"line {number} of a brat file is malformed: {line[:80]!r}") from exc
    found = []
    for relation in relations:
        roles = {}
        for role_name, key in (("Cue", "cue"), ("Source", "source"), ("Content", "content")):
            ref = relation.get(role_name)
            if ref in spans and spans[ref][0] == role_name:
                roles[key] = spans[ref][1]
        content_region = roles.get("content")
        direct = content_region is not None and _starts_with_mark(content_region, text)
        found.append(Attribution(roles.get("cue"), roles.get("source"), content_region, direct))
    return found


def _starts_with_mark(region: Region, text: str) -> bool:
    start = min(s for s, _ in region.spans)
    stripped = text[start : max(e for _, e in region.spans)].lstrip()
    return bool(stripped) and stripped[0] in _QUOTE_MARKS


def read_corpus(directory: Path) -> list[GoldDocument]:
    """Every annotated document of a PolNeAR-style directory, in file-name order."""
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise InputError(f"{directory} needs text/ and attributions/ folders (brat standoff, PolNeAR layout)")
    texts = {p.stem: p for p in text_dir.glob("*.txt")}
    documents = []
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem
        text_name = stem if stem in texts else stem.rsplit("_", 1)[0]
        if text_name not in texts:
            raise InputError(f"{ann.name} has no text file in {text_dir}")
        text = texts[text_name].read_text(encoding="utf-8")
        documents.append(GoldDocument(stem, text_name, text, read_ann(ann.read_text(encoding="utf-8"), text)))
    return documents


# -- predictions -------------------------------------------------------------------------------------------
def predicted_attributions(document: Document) -> list[Attribution]:
    """The document's quotes as attributions: quotes sharing a cue span are one attribution."""
    grouped: dict[tuple[int, int], list[Any]] = {}
    for quote in document.quotes:
        grouped.setdefault((quote.cue.start, quote.cue.end), []).append(quote)
    found = []
    for (c0, c1), quotes in grouped.items():
        parts = tuple(sorted({(q.content.start, q.content.end) for q in quotes}))
        speaker = quotes[0].speaker
        source = None
        if speaker.start is not None and speaker.end is not None and speaker.end > speaker.start:
            source = Region(((speaker.start, speaker.end),))
        direct = any(q.kind == "direct" for q in quotes)
        found.append(Attribution(Region(((c0, c1),)), source, Region(parts), direct))
    return found


# -- scoring -----------------------------------------------------------------------------------------------
def score_document(gold: list[Attribution], predicted: list[Attribution], text: str) -> QuoteScores:
    """Scores of one document's predicted attributions against its gold ones (see the module docstring)."""
    scores = QuoteScores(documents=1)
    for role in ROLES:
        gold_regions = [(a, getattr(a, role)) for a in gold if getattr(a, role) is not None]
        pred_regions = [(a, getattr(a, role)) for a in predicted if getattr(a, role) is not None]
        g_sets = [r.offsets(text) for _, r in gold_regions]
        p_sets = [r.offsets(text) for _, r in pred_regions]
        for mode in ("exact", "overlap"):
            pairs = _match(g_sets, p_sets, exact=mode == "exact")
            counts = scores.get(role, mode)
            counts.gold += len(g_sets)
            counts.predicted += len(p_sets)
            counts.matched += len(pairs)
            if role == "content":
                direct = scores.get("direct", mode)
                direct.gold += sum(1 for a, _ in gold_regions if a.direct)
                direct.predicted += sum(1 for a, _ in pred_regions if a.direct)
                direct.matched += sum(
                    1 for g, p in pairs if gold_regions[g][0].direct and pred_regions[p][0].direct
                )
    return scores


def _match(gold: list[frozenset[int]], predicted: list[frozenset[int]], exact: bool) -> list[tuple[int, int]]:
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if exact:
                if g and g == p:
                    candidates.append((len(g), gi, pi))
            else:
                shared = len(g & p)
                if shared:
                    candidates.append((shared, gi, pi))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def evaluate(
    documents: Iterable[GoldDocument], analyze_texts: Any
) -> tuple[QuoteScores, list[tuple[GoldDocument, QuoteScores]]]:
    """Score every gold document; ``analyze_texts`` maps a list of texts to analysed Documents in order.

    Each distinct text is analysed once even when several annotators marked it.
    """
    documents = list(documents)
    names = list(dict.fromkeys(d.text_name for d in documents))
    texts = {d.text_name: d.text for d in documents}
    analysed = dict(zip(names, analyze_texts([texts[n] for n in names]), strict=True))
    total = QuoteScores()
    per_document = []
    for gold in documents:
        document = analysed[gold.text_name]
        # a document the pipeline could not analyse predicts nothing (and so counts against recall)
        predicted = predicted_attributions(document) if isinstance(document, Document) else []
        result = score_document(gold.attributions, predicted, gold.text)
        per_document.append((gold, result))
        total.add(result)
    return total, per_document


def iter_split(documents: list[GoldDocument], part: str) -> Iterator[GoldDocument]:
    """A fixed split by article name: ``tune`` (about 2/3), ``check`` (the rest) or ``all``."""
    import zlib

    for d in documents:
        bucket = zlib.crc32(d.text_name.encode("utf-8")) % 3
        if part == "all" or (part == "tune") == (bucket != 0):
            yield d
