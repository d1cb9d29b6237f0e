"""Throughput of the full analysis against bare spaCy, on the same corpus articles, in the same run.

    python benchmarks/throughput.py [--n 1000] [--batch-size 16] [--corpus PATH]

Reads the first N articles of the corpus (default ``../shared/corpora/allsides-geopolitics.jsonl.gz``), then
times, over exactly the same texts:

* **bare spaCy**: ``nlp.pipe`` of the packaged model loaded on its own (no knowledge-base rulers, no stages);
* **full analysis**: ``Analyzer.analyze_documents`` (parse with the actor rulers, then every stage).

The bare pass runs twice, before and after the full pass, and its mean is used, so that load on a shared
machine drifting during the run does not favour either side. Prints documents/s and sentences/s of both and
the ratio full/bare; the target is at least 0.70. Exits 1 when the ratio is below ``--target``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"


def read_articles(path: Path, n: int) -> list[dict[str, str]]:
    """The first ``n`` articles with text: ``{"id", "text", "published"}``."""
    opener = gzip.open if path.suffix == ".gz" else open
    articles: list[dict[str, str]] = []
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = (record.get("text") or "").strip()
            if text:
                articles.append(
                    {
                        "id": str(record.get("ID") or record.get("id") or len(articles)),
                        "text": text,
                        "published": (record.get("date") or "")[:10],
                    }
                )
            if len(articles) >= n:
                break
    return articles


def time_bare(texts: list[str], batch_size: int) -> tuple[float, int]:
    """Seconds and sentences of bare ``nlp.pipe`` over the texts."""
    from communique.pipeline import MODEL, load_language

    nlp = load_language(MODEL)
    nlp.max_length = 1_000_001
    start = time.perf_counter()
    sentences = sum(sum(1 for _ in doc.sents) for doc in nlp.pipe(texts, batch_size=batch_size))
    return time.perf_counter() - start, sentences


def time_full(articles: list[dict[str, str]], batch_size: int) -> tuple[float, int, int]:
    """Seconds, sentences and events of the full analysis over the articles."""
    from communique.document import Document
    from communique.pipeline import Analyzer, parse_published

    analyzer = Analyzer()
    documents = [
        Document(
            text=a["text"], id=a["id"], published=parse_published(a["published"]) if a["published"] else None
        )
        for a in articles
    ]
    start = time.perf_counter()
    sentences = events = 0
    for result in analyzer.analyze_documents(documents, batch_size=batch_size):
        if isinstance(result, Document):
            sentences += len(result.sentences)
            events += len(result.events)
    return time.perf_counter() - start, sentences, events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of corpus articles (default 1000)")
    parser.add_argument(
        "--batch-size", type=int, default=16, help="documents per nlp.pipe batch (default 16)"
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL(.gz) corpus with a text field"
    )
    parser.add_argument("--target", type=float, default=0.70, help="minimum ratio full/bare (default 0.70)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    articles = read_articles(args.corpus, args.n)
    texts = [a["text"] for a in articles]
    print(f"{len(articles)} articles, {sum(len(t) for t in texts):,} characters")

    bare_before, sentences_bare = time_bare(texts, args.batch_size)
    full_seconds, sentences_full, events = time_full(articles, args.batch_size)
    bare_after, _ = time_bare(texts, args.batch_size)
    bare_seconds = (bare_before + bare_after) / 2

    n = len(articles)
    print(
        f"bare spaCy nlp.pipe : {n / bare_seconds:7.2f} documents/s  {sentences_bare / bare_seconds:8.1f} "
        f"sentences/s  ({bare_before:.1f} s before, {bare_after:.1f} s after)"
    )
    print(
        f"full analysis       : {n / full_seconds:7.2f} documents/s  {sentences_full / full_seconds:8.1f} "
        f"sentences/s  ({full_seconds:.1f} s, {events} events)"
    )
    ratio = bare_seconds / full_seconds
    print(f"ratio full/bare     : {ratio:.3f}  (target >= {args.target:.2f})")
    return 0 if ratio >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
