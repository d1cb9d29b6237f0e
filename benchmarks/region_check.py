"""A hand check of the events a store counts: draw them at random, then read each sentence and judge it.

    python benchmarks/region_check.py STORE --draw 100 [--seed 18] --out docs/region-check.jsonl
    python benchmarks/region_check.py STORE --show docs/region-check.jsonl     # the sentences beside the coding
    python benchmarks/region_check.py STORE --score docs/region-check.jsonl    # the share judged right

``--draw`` takes events the analytics count (those with a row in event_sources: dated, at or above the
coder's confidence threshold, between two parties) at random with ``random.Random(seed)``, and writes each as
the document's corpus ID, the sentence's offsets and the coding (type, status, actor and recipient codes,
trigger offsets, confidence), never the article's text. The person checking reads each sentence with
``--show`` and adds ``verdict`` (right | partly | wrong: right = type, actor, recipient and status all as a
reader codes them; partly = the type right but a participant or the status wrong) and ``why``; ``--score``
prints the counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def draw(db: str, n: int, seed: int) -> list[dict]:
    from communique.corpus.store import open_store

    with open_store(db) as store:
        ids = [r[0] for r in store.query("SELECT DISTINCT event_id FROM event_sources ORDER BY event_id")]
        chosen = sorted(random.Random(seed).sample(ids, min(n, len(ids))))
        rows = []
        for event_id in chosen:
            (doc, external, type_, status, confidence, t0, t1, sentence), *_ = store.query(
                "SELECT e.document_id, d.external_id, e.type, e.status, e.confidence, e.trigger_start, "
                "e.trigger_end, e.sentence FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = ?",
                [event_id],
            )
            start, end = store.query(
                "SELECT char_start, char_end FROM sentences WHERE document_id = ? AND idx = ?",
                [doc, sentence],
            )[0]
            dyads = store.query("SELECT actor, recipient FROM event_sources WHERE event_id = ?", [event_id])
            rows.append(
                {
                    "doc": external or doc,
                    "start": start,
                    "end": end,
                    "type": type_,
                    "status": status,
                    "actor": sorted({a for a, _ in dyads}),
                    "recipient": sorted({r for _, r in dyads}),
                    "trigger": [t0, t1],
                    "confidence": None if confidence is None else round(float(confidence), 3),
                }
            )
    return rows


def show(db: str, path: Path) -> None:
    from communique.corpus.store import open_store

    with open_store(db) as store:
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            (text,) = store.query(
                "SELECT text FROM documents WHERE external_id = ? OR id = ? LIMIT 1", [row["doc"], row["doc"]]
            )[0]
            t0, t1 = row["trigger"]
            sentence = text[row["start"] : t0] + "[[" + text[t0:t1] + "]]" + text[t1 : row["end"]]
            print(f"{i:3} {row['doc']} {row['type']} {row['status']} {row['actor']} -> {row['recipient']}")
            print(f"    {' '.join(sentence.split())}")
            if "verdict" in row:
                print(f"    => {row['verdict']}: {row.get('why', '')}")


def score(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    verdicts = Counter(r.get("verdict", "unjudged") for r in rows)
    print(f"{len(rows)} events: " + ", ".join(f"{k} {v}" for k, v in verdicts.most_common()))
    print(
        f"right {verdicts['right'] / len(rows):.0%}; right or partly {(verdicts['right'] + verdicts['partly']) / len(rows):.0%}"
    )
    wrong = Counter(r.get("type") for r in rows if r.get("verdict") == "wrong")
    print("wrong by coded type: " + ", ".join(f"{k} {v}" for k, v in wrong.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--draw", type=int)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--show", type=Path)
    parser.add_argument("--score", type=Path)
    args = parser.parse_args(argv)
    if args.draw:
        rows = draw(args.store, args.draw, args.seed)
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        (args.out.write_text(text, encoding="utf-8") if args.out else sys.stdout.write(text))
    if args.show:
        show(args.store, args.show)
    if args.score:
        score(args.score)
    return 0


if __name__ == "__main__":
    sys.exit(main())
