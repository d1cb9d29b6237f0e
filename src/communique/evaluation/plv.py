"""The event coder on real news sentences with gold source, target and type: the PLV TSV format.

Reads a tab-separated file with the columns ``sentence``, ``source``, ``target`` and ``gold_root`` (one gold
relation a row, as in ``../shared/eval/plv-dev/PLV_train.tsv``). Each sentence is analysed alone, with no
publication date. Two figures, as that set's README defines them:

* **type recall**: the gold type is among the types coded for the sentence;
* **pair recall**: an event of the gold type has the source among its actors and the target among its
  recipients (for the reciprocal CONSULT, AGREE and COOPERATE the target may stand among the actors too); a side
  matches when it shares a content word with the gold span.

The labels use an earlier PLOVER draft: its ``YIELD`` is PLOVER 2.0's CONCEDE or RETREAT, so either counts.
Beside the figures: recall per gold type, the confusions (gold type -> the types coded instead), and the
share of sentences with no event at all.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.errors import InputError
from communique.vocabulary import RECIPROCAL_TYPES

RECIPROCAL = RECIPROCAL_TYPES
ALIASES = {"YIELD": {"CONCEDE", "RETREAT"}}
_STOP = set(
    "a an the of in on at to for from by with and or its their his her this that these those who which "
    "s mr mrs ms dr new".split()
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass
class PlvRow:
    sentence: str
    source: str
    target: str
    gold: str


@dataclass
class PlvReport:
    rows: int = 0
    type_hits: int = 0
    pair_hits: int = 0
    no_event: int = 0
    by_type: Counter[str] = field(default_factory=Counter)
    type_hits_by_type: Counter[str] = field(default_factory=Counter)
    pair_hits_by_type: Counter[str] = field(default_factory=Counter)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[PlvRow, list[str]]] = field(default_factory=list)

    @property
    def type_recall(self) -> float:
        return self.type_hits / self.rows if self.rows else 0.0

    @property
    def pair_recall(self) -> float:
        return self.pair_hits / self.rows if self.rows else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "type_recall": round(self.type_recall, 4),
            "pair_recall": round(self.pair_recall, 4),
            "no_event": self.no_event,
            "per_type": {
                t: {
                    "rows": n,
                    "type_recall": round(self.type_hits_by_type[t] / n, 4),
                    "pair_recall": round(self.pair_hits_by_type[t] / n, 4),
                }
                for t, n in sorted(self.by_type.items())
            },
        }


def load_plv(path: str | Path) -> list[PlvRow]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file (a PLV TSV with sentence, source, target, gold_root columns)")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t")
        missing = {"sentence", "source", "target", "gold_root"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"{path}: not a PLV TSV file (missing columns: {', '.join(sorted(missing))})")
        return [
            PlvRow(r["sentence"], r["source"] or "", r["target"] or "", r["gold_root"].strip().upper())
            for r in reader
            if r.get("sentence")
        ]


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _side_matches(side: Iterable[Any], gold_words: set[str]) -> bool:
    return any(content_words(p.text) & gold_words for p in side)


def gold_types(gold: str) -> set[str]:
    return ALIASES.get(gold, {gold})


def score_row(row: PlvRow, events: list[Any]) -> tuple[bool, bool]:
    """(type hit, pair hit) of one gold relation against the events coded for its sentence."""
    wanted = gold_types(row.gold)
    of_type = [e for e in events if e.type in wanted]
    source, target = content_words(row.source), content_words(row.target)
    pair = False
    for event in of_type:
        source_ok = _side_matches(event.actor, source)
        target_ok = _side_matches(event.recipient, target) or (
            event.type in RECIPROCAL and _side_matches(event.actor, target)
        )
        if source_ok and target_ok:
            pair = True
            break
    return bool(of_type), pair


def evaluate_plv(rows: list[PlvRow], analyzer: Any) -> PlvReport:
    from communique.document import Document

    report = PlvReport()
    sentences = sorted({r.sentence for r in rows})
    analysed = {
        text: doc
        for text, doc in zip(
            sentences,
            analyzer.analyze_documents(Document(text=t, id=f"plv-{i}") for i, t in enumerate(sentences)),
            strict=True,
        )
    }
    for row in rows:
        document = analysed[row.sentence]
        events = list(getattr(document, "events", []) or [])
        type_hit, pair_hit = score_row(row, events)
        report.rows += 1
        report.by_type[row.gold] += 1
        report.no_event += not events
        if type_hit:
            report.type_hits += 1
            report.type_hits_by_type[row.gold] += 1
        else:
            coded = sorted({e.type for e in events}) or ["none"]
            for other in coded:
                report.confusions[(row.gold, other)] += 1
            report.misses.append((row, coded))
        if pair_hit:
            report.pair_hits += 1
            report.pair_hits_by_type[row.gold] += 1
    return report


def format_plv_report(report: PlvReport, show: int = 10) -> str:
    lines = [
        f"{report.rows} gold relations; type recall {report.type_recall:.3f}, pair recall {report.pair_recall:.3f};"
        f" {report.no_event} with no event coded",
        "",
        f"{'gold type':<10} {'rows':>5} {'type rec':>9} {'pair rec':>9}",
    ]
    for gold, count in sorted(report.by_type.items(), key=lambda kv: -kv[1]):
        lines.append(
            f"{gold:<10} {count:>5} {report.type_hits_by_type[gold] / count:>9.3f}"
            f" {report.pair_hits_by_type[gold] / count:>9.3f}"
        )
    lines += ["", "most frequent confusions (gold -> coded instead):"]
    for (gold, coded), count in report.confusions.most_common(12):
        lines.append(f"  {gold:<10} -> {coded:<10} {count}")
    if show:
        lines += ["", f"first {show} misses:"]
        for row, types in report.misses[:show]:
            lines.append(f"  [{row.gold} coded {','.join(types)}] {row.sentence[:160]}")
    return "\n".join(lines)
