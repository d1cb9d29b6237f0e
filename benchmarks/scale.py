"""Scale-out benchmark: bare spaCy, the local engine with 1 and 2 processes, Ray with 1 and 2 actors.

    python benchmarks/scale.py [--sizes 1000,3811] [--configs bare,local1,local2,ray1,ray2] [--corpus PATH]

For each size N, the first N articles of the corpus (default ``../shared/corpora/allsides-geopolitics.jsonl.gz``)
are written to a temporary JSONL file and every configuration runs in its own child process (so peak memory
and Ray's start and stop are its own):

* ``bare``: ``nlp.pipe`` of the packaged spaCy model alone, in one process (no stages, no store);
* ``local1``/``local2``: ``communique ingest`` (:func:`communique.corpus.run.ingest`) into a fresh SQLite store with
  1 or 2 worker processes;
* ``ray1``/``ray2``: the same ingest on the Ray engine (:func:`communique.corpus.ray_engine.ingest_ray`) with 1 or 2
  actors on a Ray started on this machine.

Figures per run: documents/s and sentences/s over the whole run (model loading, Ray start-up and store writes
included), steady documents/s (from the first stored result to the end: what a long run converges to), and
peak RSS of the whole process tree (driver, workers and, for Ray, its raylet and GCS), sampled every second.
Ray's actors run at niceness 0 here, like the local workers (Ray's default is 15).
The speed-up of 2 workers over 1 is computed on the steady rate (target: at least 1.7x on 2 free cores).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from memory import MemorySampler

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"
CONFIGS = ("bare", "local1", "local2", "ray1", "ray2")


def write_input(corpus: Path, n: int, directory: Path) -> tuple[Path, int]:
    """The first ``n`` corpus lines with text as a JSONL file; returns it and how many it holds."""
    path = directory / f"articles-{n}.jsonl"
    written = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for line in lines:
            if written >= n:
                break
            if (json.loads(line).get("text") or "").strip():
                out.write(line if line.endswith("\n") else line + "\n")
                written += 1
    return path, written


def run_one(config: str, source: Path, chunk_size: int) -> dict[str, Any]:
    """Run one configuration here (the child process) and return its measurements."""
    with tempfile.TemporaryDirectory(prefix="communique-scale-") as work, MemorySampler() as memory:
        started = time.perf_counter()
        first: list[tuple[float, int]] = []

        def progress(report: Any) -> None:
            if not first and report.added:
                first.append((time.perf_counter(), report.added))

        if config == "bare":
            from communique.pipeline import MODEL, load_language

            texts = [json.loads(line)["text"] for line in source.open(encoding="utf-8")]
            nlp = load_language(MODEL)
            nlp.max_length = 2_000_000
            loaded = time.perf_counter()
            first.append((loaded, 0))
            sentences = sum(sum(1 for _ in doc.sents) for doc in nlp.pipe(texts, batch_size=16))
            documents = len(texts)
        else:
            from communique.corpus.run import IngestSettings, ingest
            from communique.corpus.store import open_store

            workers = int(config[-1])
            settings = IngestSettings(workers=workers, chunk_size=chunk_size)
            with open_store(Path(work) / "bench.db") as store:
                if config.startswith("local"):
                    report = ingest([str(source)], store, settings, on_progress=progress)
                else:
                    from communique.corpus.ray_engine import RaySettings, ingest_ray

                    # Ray starts its workers at niceness 15 (harmless on a dedicated node); on a shared machine
                    # that would measure the scheduler, not the engine, so actors run at the local workers' 0.
                    os.environ.setdefault("RAY_worker_niceness", "0")

                    ray_settings = RaySettings(actors=workers, shard_dir=str(Path(work) / "shards"))
                    report = ingest_ray([str(source)], store, settings, ray_settings, on_progress=progress)
                documents = report.added
                sentences = store.counts(("sentences",))["sentences"]
        ended = time.perf_counter()
    seconds = ended - started
    steady_from, steady_done = first[0] if first else (started, 0)
    steady = (documents - steady_done) / (ended - steady_from) if ended > steady_from else 0.0
    return {
        "config": config,
        "documents": documents,
        "sentences": sentences,
        "seconds": round(seconds, 2),
        "documents_per_s": documents / seconds,
        "sentences_per_s": sentences / seconds,
        "steady_documents_per_s": steady,
        "peak_rss_mb": memory.peak,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,3811", help="comma-separated article counts")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--chunk-size", type=int, default=8)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # child mode: run this configuration
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        print(json.dumps(run_one(args.one, args.input, args.chunk_size)))
        return 0

    configs = [c for c in args.configs.split(",") if c]
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="communique-scale-input-") as directory:
        for size in (int(s) for s in args.sizes.split(",") if s):
            source, n = write_input(args.corpus, size, Path(directory))
            for config in configs:
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--one",
                        config,
                        "--input",
                        str(source),
                        "--chunk-size",
                        str(args.chunk_size),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if child.returncode != 0:
                    print(f"{config} on {n} failed:\n{child.stderr[-3000:]}", file=sys.stderr, flush=True)
                    continue
                result = json.loads(child.stdout.strip().splitlines()[-1])
                result["size"] = n
                results.append(result)
                print(
                    f"  {n:>5} {config:<7} {result['documents_per_s']:7.2f} docs/s "
                    f"{result['steady_documents_per_s']:7.2f} steady {result['sentences_per_s']:8.1f} sents/s "
                    f"{result['peak_rss_mb']:7.0f} MB  ({result['seconds']:.0f} s)",
                    flush=True,
                )
    print_table(results)
    print(f"load average at end: {os.getloadavg()[0]:.1f} (other work on the machine slows every figure)")
    return 0


def print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(
        f"{'articles':>8} {'engine':<8} {'docs/s':>8} {'steady docs/s':>14} {'sents/s':>9} {'peak RSS MB':>12} "
        f"{'seconds':>8}"
    )
    for r in results:
        print(
            f"{r['size']:>8} {r['config']:<8} {r['documents_per_s']:>8.2f} {r['steady_documents_per_s']:>14.2f} "
            f"{r['sentences_per_s']:>9.1f} {r['peak_rss_mb']:>12.0f} {r['seconds']:>8.1f}"
        )
    by = {(r["size"], r["config"]): r for r in results}
    for size in sorted({r["size"] for r in results}):
        for engine in ("local", "ray"):
            one, two = by.get((size, f"{engine}1")), by.get((size, f"{engine}2"))
            if one and two and one["steady_documents_per_s"]:
                steady = two["steady_documents_per_s"] / one["steady_documents_per_s"]
                whole = two["documents_per_s"] / one["documents_per_s"]
                print(
                    f"speed-up of 2 workers over 1, {engine}, {size} articles: {steady:.2f}x steady, "
                    f"{whole:.2f}x whole run (target >= 1.7x)"
                )


if __name__ == "__main__":
    sys.exit(main())
