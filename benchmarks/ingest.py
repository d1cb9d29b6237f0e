"""Ingest benchmark: analysis alone vs. analysis + SQLite vs. analysis + PostgreSQL, peak memory, query latency.

    python benchmarks/ingest.py                      # the 3,811 articles of ../shared/corpora/allsides-geopolitics
    python benchmarks/ingest.py --limit 200          # a quick sample
    python benchmarks/ingest.py --pg-url postgresql://...   (default: artifacts/pg-url from scripts/test-services)

How it measures (so that the corpus is analysed once, not three times, on a small machine):
1. Analysis alone: every article through the worker pool (``corpus.analyse_stream``), nothing stored. Gives
   documents/s and the peak resident memory of the main process plus workers, sampled every second, both over
   the first 1,000 articles (``--mark``) and over the whole corpus (flat memory: the two peaks should be about equal).
   The analysis objects are kept in a cache file for step 2.
2. Storing, per backend: the real ``corpus.ingest`` path (reading, triage and near-duplicate detection,
   batched transactional writes, event merging) with the analysis replaced by a lookup in the cache. Its time
   is the whole cost storage adds; the storing share is store_s / (analysis_s + store_s) and must be <= 15%.
   In a real ingest the writes overlap with the workers' analysis, so this is an upper bound.
   A second ingest of the same input must add zero rows.
3. Query latency on each database: relations AZE KGZ, balance AZE and convergence AZE KGZ (best of 5, ms),
   after the seed article is ingested too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from memory import MemorySampler

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"
SEED = ROOT.parent / "shared" / "seed" / "baku-bishkek.txt"


def limited(path: Path, limit: int | None) -> Path:
    """The first ``limit`` lines of the corpus in a temporary file (the whole corpus when no limit)."""
    if limit is None:
        return path
    out = Path(tempfile.mkdtemp(prefix="communique-bench-")) / f"corpus-{limit}.jsonl"
    with gzip.open(path, "rt", encoding="utf-8") as lines, out.open("w", encoding="utf-8") as sink:
        for i, line in enumerate(lines):
            if i >= limit:
                break
            sink.write(line)
    return out


def analysis_alone(source: Path, workers: int, cache: Path, mark: int = 1000) -> dict[str, Any]:
    from communique.corpus.run import IngestSettings, analyse_stream, read_records
    from communique.corpus.store import AnalysedDocument

    settings = IngestSettings(workers=workers)
    n = failures = 0
    dump_seconds = 0.0
    with MemorySampler() as memory, gzip.open(cache, "wt", encoding="utf-8") as sink:
        started = time.perf_counter()
        for result in analyse_stream(read_records(source), settings):
            t = time.perf_counter()
            if isinstance(result, AnalysedDocument):
                sink.write(json.dumps(result.record, ensure_ascii=False) + "\n")
            else:
                failures += 1
            dump_seconds += time.perf_counter() - t
            n += 1
            if n == mark:
                memory.mark("first")
        seconds = time.perf_counter() - started - dump_seconds
    return {
        "documents": n,
        "failures": failures,
        "seconds": round(seconds, 1),
        "documents_per_second": round(n / seconds, 2),
        f"peak_rss_mb_first_{mark}": round(memory.marks.get("first", memory.peak)),
        "peak_rss_mb": round(memory.peak),
    }


def cached_records(cache: Path) -> dict[str, dict[str, Any]]:
    with gzip.open(cache, "rt", encoding="utf-8") as lines:
        return {r["document"]["id"]: r for r in map(json.loads, lines)}


def replay(store: Any, source: Path, records: dict[str, dict[str, Any]]) -> Any:
    """corpus.ingest with the analysis step answered from the cache (the rest of the path is the real one)."""
    from communique.corpus import run as corpus
    from communique.corpus.store import AnalysedDocument, DocumentError

    real = corpus.analyse_chunk

    def from_cache(chunk: list[Any]) -> list[Any]:
        out = []
        for item in chunk:
            if isinstance(item, corpus.Task):
                record = records.get(item.incoming.document.id)
                if record is None:
                    out.append(DocumentError(item.incoming.origin, item.incoming.document.id, "not in cache"))
                    continue
                doc = dict(
                    record["document"],
                    url=item.incoming.document.url,
                    author=item.incoming.document.author,
                    source=item.incoming.document.source,
                )
                out.append(
                    AnalysedDocument(
                        {**record, "document": doc},
                        item.incoming.external_id,
                        item.incoming.origin,
                        item.signature,
                    )
                )
            else:
                out.append(item)
        return out

    corpus.analyse_chunk = from_cache  # type: ignore[assignment]
    try:
        return corpus.ingest([str(source)], store, corpus.IngestSettings(workers=0))
    finally:
        corpus.analyse_chunk = real


def query_timings(store: Any) -> dict[str, float]:
    from communique.corpus import relations

    calls = {
        "relations AZE KGZ": lambda: (
            relations.dyad_series(store, "AZE", "KGZ", "month"),
            relations.dyad_series(store, "KGZ", "AZE", "month"),
        ),
        "balance AZE": lambda: relations.balance(store, "AZE", by="year"),
        "convergence AZE KGZ": lambda: relations.convergence(store, "AZE", "KGZ", by="year"),
        "network (all)": lambda: relations.network(store),
    }
    timings = {}
    for name, call in calls.items():
        best = float("inf")
        for _ in range(5):
            t = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - t)
        timings[name] = round(best * 1000, 1)
    return timings


def ingest_seed(store: Any) -> None:
    """The seed article, analysed for real (one document, in this process)."""
    if not SEED.exists():
        return
    from communique.corpus.run import IngestSettings, ingest

    folder = Path(tempfile.mkdtemp(prefix="communique-seed-"))
    seed = folder / "seed.json"
    seed.write_text(
        json.dumps(
            {
                "text": SEED.read_text(encoding="utf-8"),
                "published": "2022-10-13",
                "source": "seed",
                "title": "Baku and Bishkek",
            }
        ),
        encoding="utf-8",
    )
    from communique.corpus import run as corpus

    ingest([str(seed)], store, IngestSettings(workers=0))
    corpus.use_analyzer(None)  # the next backend's memory figure must not include this model


def store_phase(
    name: str, target: str, source: Path, records: dict[str, dict[str, Any]], analysis_seconds: float
) -> Iterator[tuple[str, Any]]:
    from communique.corpus.store import open_store

    store = open_store(target)
    with MemorySampler() as memory:
        report = replay(store, source, records)
    yield "documents added", report.added
    yield "linked as copies", report.linked
    yield "errors", report.errors
    yield "store seconds", round(report.seconds, 1)
    yield "storing share of ingest time", f"{report.seconds / (analysis_seconds + report.seconds):.1%}"
    yield (
        "ingest documents/s (analysis + store)",
        round(report.documents / (analysis_seconds + report.seconds), 2),
    )
    yield "peak RSS MB (store process)", round(memory.peak)
    again = replay(store, source, records)
    yield "second ingest: rows added", again.added + again.linked
    ingest_seed(store)
    counts = store.counts()
    yield (
        "counts",
        {k: counts[k] for k in ("documents", "document_links", "events", "event_clusters", "quotes")},
    )
    yield "database MB", round(store.size_bytes() / 2**20, 1)
    yield "query ms (best of 5)", query_timings(store)
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="Only the first N articles.")
    parser.add_argument(
        "--mark", type=int, default=1000, help="Also report the memory peak after N articles."
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pg-url", default=None, help="PostgreSQL server URL (a fresh database is created).")
    parser.add_argument("--cache", type=Path, default=None, help="Analysis cache file (reuse with --reuse).")
    parser.add_argument(
        "--reuse", action="store_true", help="Skip the analysis; use --cache from a previous run."
    )
    parser.add_argument(
        "--analysis-seconds", type=float, default=None, help="With --reuse: the measured time."
    )
    args = parser.parse_args(argv)

    if not CORPUS.exists():
        print(f"needs {CORPUS}", file=sys.stderr)
        return 2
    source = limited(CORPUS, args.limit)
    work = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    cache = args.cache or work / "analysis.jsonl.gz"
    if args.reuse:
        analysis = {"seconds": args.analysis_seconds}
    else:
        analysis = analysis_alone(source, args.workers, cache, args.mark)
        print("analysis alone (no store):", json.dumps(analysis), flush=True)
    records = cached_records(cache)

    targets = [("SQLite", str(work / "bench.db"))]
    pg_url = args.pg_url
    marker = ROOT / "artifacts" / "pg-url"
    if pg_url is None and marker.exists():
        pg_url = marker.read_text(encoding="utf-8").strip()
    if pg_url:
        import psycopg

        name = f"communique_bench_{os.getpid()}"
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        targets.append(("PostgreSQL", pg_url.rsplit("/", 1)[0] + "/" + name))
    for name, target in targets:
        print(f"\n{name}:", flush=True)
        for key, value in store_phase(name, target, source, records, float(analysis["seconds"])):
            print(f"  {key}: {json.dumps(value) if isinstance(value, dict) else value}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
