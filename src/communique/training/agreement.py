"""Agreement between two independent labellings of the same sentences (docs/annotation.md, "Splits and agreement").

The first labels (``allsides-*.jsonl``) train; the second (``agreement-*.jsonl``), made by an annotator who had
not seen the first, only measure how far two careful readers agree: Cohen's kappa on "has an event or not",
and F1 of the second against the first for the types of each sentence, the actor and recipient codes of each
type, and whole events (type, an actor code in common, status).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _lines(paths: list[Path]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found[row["sid"]] = row
    return found


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def kappa(first: list[bool], second: list[bool]) -> float:
    n = len(first)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p1, p2 = sum(first) / n, sum(second) / n
    expected = p1 * p2 + (1 - p1) * (1 - p2)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def _codes(event: dict[str, Any], side: str) -> set[str]:
    return {m["code"] for m in event.get(side, []) if m.get("code")}


def compare(first: dict[str, dict[str, Any]], second: dict[str, dict[str, Any]]) -> dict[str, Any]:
    shared = sorted(set(first) & set(second))
    has_a = [bool(first[s]["events"]) for s in shared]
    has_b = [bool(second[s]["events"]) for s in shared]
    counts = {k: [0, 0, 0] for k in ("type", "actor", "recipient", "event")}
    for sid in shared:
        a, b = first[sid]["events"], second[sid]["events"]
        ta, tb = {e["type"] for e in a}, {e["type"] for e in b}
        counts["type"][0] += len(ta & tb)
        counts["type"][1] += len(tb - ta)
        counts["type"][2] += len(ta - tb)
        for side in ("actor", "recipient"):
            ca = {(e["type"], c) for e in a for c in _codes(e, side)}
            cb = {(e["type"], c) for e in b for c in _codes(e, side)}
            counts[side][0] += len(ca & cb)
            counts[side][1] += len(cb - ca)
            counts[side][2] += len(ca - cb)
        matched = 0
        unused = list(a)
        for e in b:
            hit = next(
                (
                    g
                    for g in unused
                    if g["type"] == e["type"]
                    and g["status"] == e["status"]
                    and (not _codes(g, "actor") or _codes(g, "actor") & _codes(e, "actor"))
                ),
                None,
            )
            if hit is not None:
                unused.remove(hit)
                matched += 1
        counts["event"][0] += matched
        counts["event"][1] += len(b) - matched
        counts["event"][2] += len(a) - matched
    return {
        "sentences": len(shared),
        "with_event": [sum(has_a), sum(has_b)],
        "kappa_event": round(kappa(has_a, has_b), 3),
        **{f"{k}_f1": round(_f1(*v), 3) for k, v in counts.items()},
    }


def agreement_report(folder: Path) -> str:
    second = _lines(sorted(folder.glob("agreement-*.jsonl")))
    first = _lines(sorted(p for p in folder.glob("*.jsonl") if not p.name.startswith("agreement")))
    if not second:
        return f"no agreement-*.jsonl in {folder}: nothing labelled twice"
    result = compare(first, second)
    return (
        f"{result['sentences']} sentences labelled twice; with an event: {result['with_event'][0]} (first), "
        f"{result['with_event'][1]} (second)\n"
        f"event / no event: Cohen's kappa {result['kappa_event']:.3f}\n"
        f"types F1 {result['type_f1']:.3f}; actor codes F1 {result['actor_f1']:.3f}; "
        f"recipient codes F1 {result['recipient_f1']:.3f}; whole events F1 {result['event_f1']:.3f}"
    )
