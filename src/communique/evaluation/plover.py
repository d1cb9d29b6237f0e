"""Built-in evaluations of communique against gold-standard files.

PLOVER events (:func:`evaluate_plover`, :func:`format_plover_report`) read records in the format of the PLOVER
gold-standard records (``plover-gsr-dev.json``: ``{"records": [{"text", "date", "event", "eventText",
"source": [{"code"}], "target": [{"code"}]}]}``). Each record is one sentence with one gold event:

* the sentence is analysed by the full pipeline with the record's date as publication date;
* the predicted event is the one whose trigger shares the most words with the record's ``eventText`` (the
  words the annotators marked as the event), ties and records without ``eventText`` going to the most
  confident event; a record with no event at all is a miss. The same figures for "the most confident event,
  ignoring eventText" are reported too (``unguided``), so selection cannot hide a coder that finds the wrong
  event first;
* **event-type accuracy** = records whose predicted type equals the gold type / all records;
* **actor-code** and **recipient-code precision, recall and F1** are micro-averaged over records, comparing the
  *set* of country/IGO codes of the predicted event's actor (recipient) with the set of the gold ``source``
  (``target``) codes: true positives are codes in both, false positives predicted codes not in gold, false
  negatives gold codes not predicted. A record with no event contributes only false negatives.

Records can be split for held-out discipline: ``split="tune"`` takes two records of every three, ``"check"``
the third (by position in the file), ``"all"`` every record.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from communique.errors import InputError

_WORD = re.compile(r"[a-z][a-z\-]+")
_NONE = "NONE"


@dataclass
class CodeScore:
    """Micro-averaged precision, recall and F1 of sets (of codes, or of (type, code) pairs)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[Any], gold: set[Any]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class RecordResult:
    id: str
    text: str
    gold_type: str
    gold_actor: set[str]
    gold_recipient: set[str]
    event_text: str
    predicted_type: str = _NONE
    predicted_actor: set[str] = field(default_factory=set)
    predicted_recipient: set[str] = field(default_factory=set)
    trigger: str = ""
    unguided_type: str = _NONE

    @property
    def errors(self) -> int:
        """How wrong the prediction is: 2 for the type, 1 for each wrong code set."""
        return (
            2 * (self.predicted_type != self.gold_type)
            + (self.predicted_actor != self.gold_actor)
            + (self.predicted_recipient != self.gold_recipient)
        )


@dataclass
class PloverReport:
    """The figures of one PLOVER evaluation run."""

    records: list[RecordResult]
    type_accuracy: float
    unguided_type_accuracy: float
    actor: CodeScore
    recipient: CodeScore
    confusion: dict[str, Counter[str]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": len(self.records),
            "type_accuracy": round(self.type_accuracy, 4),
            "unguided_type_accuracy": round(self.unguided_type_accuracy, 4),
            "actor": self.actor.as_dict(),
            "recipient": self.recipient.as_dict(),
            "confusion": {g: dict(c) for g, c in self.confusion.items()},
        }


def load_plover_records(path: str | Path, split: str = "all") -> list[dict[str, Any]]:
    """The records of a PLOVER gold-standard file (a ``{"records": [...]}`` object or a plain list)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read PLOVER records from {path}: {exc}") from exc
    records = data.get("records") if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) and "text" in r for r in records):
        raise InputError(f"{path}: expected a list of records with 'text', 'event', 'source', 'target'")
    if split == "tune":
        return [r for i, r in enumerate(records) if i % 3 != 2]
    if split == "check":
        return [r for i, r in enumerate(records) if i % 3 == 2]
    if split != "all":
        raise InputError(f"unknown split {split!r} (all, tune, check)")
    return records


def _codes(entities: Any) -> set[str]:
    return {e["code"] for e in entities or [] if isinstance(e, dict) and e.get("code")}


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _overlap(event_words: set[str], trigger: str) -> int:
    """Words shared by the gold event text and a trigger, allowing for inflection (first five letters)."""
    stems = {w[:5] for w in event_words}
    return sum(1 for w in _words(trigger) if w[:5] in stems)


def choose_event(events: list[Any], event_text: str) -> Any | None:
    """The predicted event of a record: most trigger words shared with ``event_text``, then most confident."""
    if not events:
        return None
    words = _words(event_text)
    return max(events, key=lambda e: (_overlap(words, e.trigger.text), e.confidence))


def evaluate_plover(records: list[dict[str, Any]], analyzer: Any) -> PloverReport:
    """Run the analyzer on each record's sentence and score the chosen event against the gold event."""
    results: list[RecordResult] = []
    actor, recipient = CodeScore(), CodeScore()
    confusion: dict[str, Counter[str]] = {}
    correct = unguided_correct = 0
    for n, record in enumerate(records):
        result = RecordResult(
            id=str(record.get("id", n)),
            text=record["text"],
            gold_type=str(record.get("event", "")),
            gold_actor=_codes(record.get("source")),
            gold_recipient=_codes(record.get("target")),
            event_text=str(record.get("eventText", "")),
        )
        text = record["text"].strip().strip("{}").strip()
        document = analyzer.analyze(text, published=record.get("date") or None)
        chosen = choose_event(document.events, result.event_text)
        if chosen is not None:
            result.predicted_type = chosen.type
            result.predicted_actor = {p.code for p in chosen.actor if p.code}
            result.predicted_recipient = {p.code for p in chosen.recipient if p.code}
            result.trigger = chosen.trigger.text
            result.unguided_type = max(document.events, key=lambda e: e.confidence).type
        correct += result.predicted_type == result.gold_type
        unguided_correct += result.unguided_type == result.gold_type
        actor.add(result.predicted_actor, result.gold_actor)
        recipient.add(result.predicted_recipient, result.gold_recipient)
        confusion.setdefault(result.gold_type, Counter())[result.predicted_type] += 1
        results.append(result)
    total = len(results) or 1
    return PloverReport(results, correct / total, unguided_correct / total, actor, recipient, confusion)


def format_plover_report(report: PloverReport, show: int = 10) -> str:
    """The report as text: headline figures, a confusion matrix (gold rows, predicted columns), worst misses."""
    lines = [
        f"records: {len(report.records)}",
        f"event-type accuracy: {report.type_accuracy:.3f}   (most confident event, ignoring eventText: "
        f"{report.unguided_type_accuracy:.3f})",
    ]
    for name, score in (("actor codes", report.actor), ("recipient codes", report.recipient)):
        lines.append(
            f"{name}: precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}  "
            f"(tp {score.tp}, fp {score.fp}, fn {score.fn})"
        )
    gold_types = sorted(report.confusion)
    predicted = sorted({p for c in report.confusion.values() for p in c} | set(gold_types))
    abbrev = {t: t[:4] for t in predicted}
    lines.append("")
    lines.append("confusion (rows gold, columns predicted):")
    lines.append(" " * 10 + " ".join(f"{abbrev[p]:>4}" for p in predicted))
    for g in gold_types:
        row = report.confusion[g]
        lines.append(f"{g:<10}" + " ".join(f"{row.get(p, 0) or '.':>4}" for p in predicted))
    misses = sorted((r for r in report.records if r.errors), key=lambda r: -r.errors)[:show]
    if misses:
        lines.append("")
        lines.append(f"worst misses ({len(misses)} of {sum(1 for r in report.records if r.errors)}):")
        for r in misses:
            lines.append(
                f"- {r.id}: gold {r.gold_type} {sorted(r.gold_actor)}->{sorted(r.gold_recipient)}  "
                f"predicted {r.predicted_type} {sorted(r.predicted_actor)}->{sorted(r.predicted_recipient)}"
                f"  trigger {r.trigger!r}"
            )
            lines.append(f"    {r.text}")
    return "\n".join(lines)
