"""What triage costs a ``POST /api/analyze`` with ``store=true``, against bare spaCy parsing the same request's text.

    python benchmarks/api_store.py [--documents 4000] [--repeat 5]

The API sends a stored analysis through the ingestion run's triage, whose near-duplicate index holds the
MinHash signature of every stored document. It keeps that index between requests and only adds what was
stored since. This builds a SQLite store of ``--documents`` random signatures (the index's cost depends on
their number, not their text), then times, median of ``--repeat``:

* **fresh index**: the triage built from every stored signature (what each request paid before it was kept);
* **kept index**: the triage brought up to date from the index of the previous request;
* **bare spaCy**: ``nlp`` of the packaged model alone over a bundled sample article, the floor of what the
  request's own analysis costs, in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path


def median_ms(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from communique.corpus.dedup import NEAR_THRESHOLD, PERMUTATIONS, NearDuplicateIndex
    from communique.corpus.run import Triage
    from communique.corpus.store import open_store
    from communique.pipeline import MODEL, load_language

    store = open_store(Path(tempfile.mkdtemp(prefix="communique-api-store-")) / "bench.db")
    rows = [(f"d{i:07}", f"text {i}", os.urandom(PERMUTATIONS * 4)) for i in range(args.documents)]
    with store.transaction():
        store.executemany(
            "INSERT INTO documents (id, text, language, signature) VALUES (?, ?, 'en', ?)", rows
        )
    fresh = median_ms(lambda: Triage(store, NEAR_THRESHOLD, NearDuplicateIndex(NEAR_THRESHOLD)), args.repeat)
    kept_index = Triage(store, NEAR_THRESHOLD).index
    kept = median_ms(lambda: Triage(store, NEAR_THRESHOLD, kept_index), args.repeat)

    text = (resources.files("communique") / "samples" / "bishkek-summit.txt").read_text(encoding="utf-8")
    nlp = load_language(MODEL)
    nlp(text)  # the first call loads lazily what the model needs
    bare = median_ms(lambda: nlp(text), args.repeat)
    print(f"stored signatures: {args.documents:,}; median of {args.repeat}")
    print(f"triage, fresh index: {fresh:8.1f} ms")
    print(f"triage, kept index:  {kept:8.1f} ms")
    print(f"bare spaCy, one sample article ({len(text):,} characters): {bare:8.1f} ms")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
