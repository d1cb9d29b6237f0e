"""What the event coder counts on corpus articles it was never trained on, and a sample for checking by hand.

    python benchmarks/coded_events.py [--articles 150] [--sample 50] [--out docs/event-check.jsonl]
    python benchmarks/coded_events.py --show docs/event-check.jsonl     # print the sampled sentences to check

Analyses AllSides articles that hold no annotated sentence (``annotations/events``), with 2 workers, and over
the events the analytics count (confidence at or above the model's ``count_threshold``) prints: how many, the
share of self-dyads (an actor code also among the recipients), the share with no recipient, and the types.
It then draws ``--sample`` counted events at random (seeded) and writes each as corpus ID, sentence offsets
and the coded event, never the outlet's text (offsets into the text as ingestion stores it: page furniture and
captions removed); ``--show`` prints them with their sentences, read from
../shared, for the verdicts recorded in docs/event-coder.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"
sys.path.insert(0, str(ROOT / "src"))


def unseen_articles(n: int) -> list[dict]:
    annotated = set()
    for path in (ROOT / "annotations" / "events").glob("*.jsonl"):
        annotated |= {json.loads(line)["doc"] for line in path.read_text().splitlines() if line.strip()}
    articles = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record["ID"] not in annotated and record.get("text") and record.get("date"):
                articles.append(record)
    random.Random(7).shuffle(articles)
    return articles[:n]


def measure(n: int, sample: int, out: Path) -> None:
    from communique.document import Document
    from communique.ingest.furniture import strip_furniture
    from communique.pipeline import analyze_contracts, parse_published
    from communique.stages.events.model import load_model

    model = load_model()
    threshold = model.count_threshold if model else 0.0
    articles = unseen_articles(n)
    documents = [
        # As ingestion reads them: page furniture and photo captions removed (offsets are into that text).
        Document(
            text=strip_furniture(r["text"]).text,
            id=r["ID"],
            published=parse_published(r["date"]),
            title=r.get("title"),
        )
        for r in articles
    ]
    counted: list[tuple[str, dict, dict]] = []
    every = 0
    for analysis in analyze_contracts(documents, workers=2):
        if "error" in analysis:
            continue
        for event in analysis["events"]:
            every += 1
            if event["confidence"] >= threshold:
                counted.append((analysis["document"]["id"], event, analysis["sentences"][event["sentence"]]))
    self_dyads = sum(
        bool({p["code"] for p in e["actor"] if p["code"]} & {p["code"] for p in e["recipient"] if p["code"]})
        for _, e, _ in counted
    )
    print(
        f"{len(articles)} unseen articles, {every} events, {len(counted)} counted (confidence >= {threshold})"
    )
    print(f"self-dyads among counted: {self_dyads} ({self_dyads / max(1, len(counted)):.1%})")
    print(
        f"without a recipient code: {sum(not any(p['code'] for p in e['recipient']) for _, e, _ in counted)}"
    )
    print("types:", dict(Counter(e["type"] for _, e, _ in counted).most_common()))
    drawn = random.Random(13).sample(counted, min(sample, len(counted)))
    with out.open("w", encoding="utf-8") as sink:
        for doc_id, event, sentence in drawn:
            row = {
                "doc": doc_id,
                "start": sentence["start"],
                "end": sentence["end"],
                "type": event["type"],
                "status": event["status"],
                "actor": [p["code"] for p in event["actor"]],
                "recipient": [p["code"] for p in event["recipient"]],
                "trigger": [event["trigger"]["start"], event["trigger"]["end"]],
                "confidence": event["confidence"],
            }
            sink.write(json.dumps(row) + "\n")
    print(f"{len(drawn)} counted events drawn into {out} (offsets only; --show prints their sentences)")


def show(path: Path) -> None:
    from communique.ingest.furniture import strip_furniture

    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    wanted = {r["doc"] for r in rows}
    texts = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record["ID"] in wanted:
                texts[record["ID"]] = strip_furniture(record["text"]).text
    for number, r in enumerate(rows, start=1):
        text = texts[r["doc"]]
        print(
            f"{number}. {r['type']} {r['status']} {r['actor']} -> {r['recipient']} "
            f"[{text[r['trigger'][0] : r['trigger'][1]]}] ({r['confidence']})"
        )
        print("   " + " ".join(text[r["start"] : r["end"]].split()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "event-check.jsonl")
    parser.add_argument("--show", type=Path)
    args = parser.parse_args()
    if args.show:
        show(args.show)
    else:
        measure(args.articles, args.sample, args.out)
