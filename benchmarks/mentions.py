"""How many actor mentions resolve to a state code or IGO, over a fixed seeded draw of corpus articles.

    python benchmarks/mentions.py [--n 300] [--seed 14] [--corpus PATH] [--sample 100] [--sample-out FILE]

Draws ``--n`` articles with text from the corpus (default ``../shared/corpora/allsides-geopolitics.jsonl.gz``)
with ``random.Random(seed)``, so every run reads the same articles, reads them as ``communique ingest`` does
(page furniture and captions removed, a missing date taken from the text) and runs the stages that make actors
(actors, then coreference) over them. Offsets are into the text as ingested. A mention is *resolved* when its actor carries a code: an ISO 3166-1
alpha-3 state code or ``IGO``. Prints the share of resolved mentions overall and by the actor's type (country,
person, organization, group, ...) and by how the text names it (name, title, pronoun, ...), and the most
frequent unresolved surfaces, which is where the next fix lies. The target is at least 85% (issue 14).

With ``--sample-out``, ``--sample`` resolved mentions drawn at random (same seed) are written one JSON object a
line, with the sentence they stand in, for a person to check the code and sector by hand; the verdicts go to
``docs/mention-check.jsonl`` without the sentence text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"
# the stages that make document.actors; the later ones do not change it
ACTOR_STAGES = ("actors", "coreference")


def draw_records(path: Path, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` corpus records with text drawn at random (seeded), in corpus order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        records = [r for r in map(json.loads, lines) if (r.get("text") or "").strip()]
    if n >= len(records):
        return records
    return [records[i] for i in sorted(random.Random(seed).sample(range(len(records)), n))]


def analyse(records: list[dict[str, Any]]) -> list[Any]:
    """The records read as ``communique ingest`` reads them (page furniture removed, a missing date taken from
    the text), after the actor stages."""
    from communique.document import Document
    from communique.ingest.records import document_from_record
    from communique.pipeline import Analyzer

    analyzer = Analyzer()
    analyzer.stages = [s for s in analyzer.stages if s.name in ACTOR_STAGES]
    documents = [document_from_record(r) for r in records]
    return [d for d in analyzer.analyze_documents(documents) if isinstance(d, Document)]


def share(resolved: int, total: int) -> str:
    return f"{resolved / total:6.1%}" if total else "     -"


def report(documents: list[Any], top: int) -> tuple[int, int]:
    """Print the tables; return (resolved, total) mentions."""
    by_type: Counter[tuple[str, bool]] = Counter()
    by_kind: Counter[tuple[str, bool]] = Counter()
    unresolved: Counter[str] = Counter()
    for document in documents:
        for actor in document.actors:
            ok = actor.code is not None
            for mention in actor.mentions:
                by_type[(actor.type, ok)] += 1
                by_kind[(mention.kind, ok)] += 1
                if not ok:
                    unresolved[f"{actor.type}: {mention.text}"] += 1
    resolved = sum(v for (_, ok), v in by_type.items() if ok)
    total = sum(by_type.values())
    # the knowledge base's own entries with no state: regions ("Europe") and transnational groups (Islamic State)
    stateless = sum(
        len(a.mentions)
        for d in documents
        for a in d.actors
        if a.code is None and (a.kb_id or a.type == "region")
    )
    print(
        f"{len(documents)} documents, {total} actor mentions, resolved to a state code or IGO: {share(resolved, total)}"
    )
    print(
        f"of the rest, {stateless} are mentions of regions and transnational groups the knowledge base knows to "
        f"have no state; resolved over the others: {share(resolved, total - stateless)}"
    )
    for title, counts in (("actor type", by_type), ("mention kind", by_kind)):
        print(f"\n{title:14} {'mentions':>9} {'resolved':>9}")
        for name in sorted({k for k, _ in counts}, key=lambda k: -(counts[(k, True)] + counts[(k, False)])):
            n_ok, n_all = counts[(name, True)], counts[(name, True)] + counts[(name, False)]
            print(f"{name:14} {n_all:9} {share(n_ok, n_all):>9}")
    print(f"\nmost frequent unresolved mentions (of {total - resolved}):")
    for surface, count in unresolved.most_common(top):
        print(f"{count:5}  {surface}")
    return resolved, total


def sample(documents: list[Any], size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` resolved mentions drawn at random, each with its sentence (for checking, not for committing)."""
    pool = []
    for document in documents:
        for actor in document.actors:
            if actor.code is None:
                continue
            for mention in actor.mentions:
                sentence = document.sentences[mention.sentence]
                pool.append(
                    {
                        "document": document.id,
                        "start": mention.start,
                        "end": mention.end,
                        "sentence": mention.sentence,
                        "text": mention.text,
                        "kind": mention.kind,
                        "actor": actor.name,
                        "type": actor.type,
                        "code": actor.code,
                        "sector": actor.sector,
                        "context": document.text[sentence.start : sentence.end],
                    }
                )
    return random.Random(seed).sample(pool, min(size, len(pool)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="articles to draw (default 300)")
    parser.add_argument("--seed", type=int, default=14, help="seed of the draws (default 14)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--top", type=int, default=40, help="unresolved surfaces to list (default 40)")
    parser.add_argument("--sample", type=int, default=100, help="resolved mentions to draw for a hand check")
    parser.add_argument("--sample-out", type=Path, help="write the drawn mentions here, one JSON a line")
    parser.add_argument("--target", type=float, default=0.85, help="exit 1 below this share (default 0.85)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (the benchmark reads ../shared)", file=sys.stderr)
        return 2
    documents = analyse(draw_records(args.corpus, args.n, args.seed))
    resolved, total = report(documents, args.top)
    if args.sample_out:
        with args.sample_out.open("w", encoding="utf-8") as out:
            for row in sample(documents, args.sample, args.seed):
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"\n{args.sample} resolved mentions written to {args.sample_out}")
    return 0 if total and resolved / total >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
