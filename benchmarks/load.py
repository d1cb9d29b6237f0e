"""Load test of the HTTP API: 50 concurrent clients on loopback reading every page's endpoints.

    python benchmarks/load.py --db communique.db [--seconds 20] [--clients 50] [--with-ingest]

Starts `communique serve`'s app in its own process over the store, discovers real ids (documents, actors, dyads)
from it, computes every page once with one client (the cold figures: each answer computed from the store),
then runs the clients for a bounded time and prints, per endpoint, the request count, errors and the
p50/p95 of the server time (the Server-Timing header: what the server spent, thread queueing included) and of the
round trip seen by the client. The server caches an answer until the store changes, so under load most reads are
cache hits; the concurrent ingest (--with-ingest) commits a batch every few seconds, and each commit makes the
next read of every page a computation again. With --with-ingest, an ingest of further corpus articles writes into the same store
meanwhile. Without --db, a store of the bundled samples, the seed and --articles corpus articles is built first.
Exit status 1 when any request failed. Target (issue 6): every page < 300 ms server time at p95, zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpora" / "allsides-geopolitics.jsonl.gz"
SEED = SHARED / "seed" / "baku-bishkek.txt"
TOKEN = "load-test-token"


def corpus_records(skip: int, n: int, chars: int = 3000) -> list[dict]:
    """Corpus articles ``skip``..``skip + n``, cut to about ``chars`` characters."""
    records: list[dict] = []
    if not CORPUS.exists():
        return records
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            if i < skip:
                continue
            record = json.loads(line)
            record["text"] = (record.get("text") or "")[:chars]
            records.append(record)
            if len(records) == n:
                break
    return records


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def build_store(db: Path, articles: int) -> None:
    """The samples, the seed and ``articles`` corpus articles, ingested with `communique ingest`."""
    from communique.ingest.read import sample_documents

    records = [
        {"text": d.text, "published": str(d.published), "source": d.source, "title": d.title}
        for d in sample_documents()
    ]
    if SEED.exists():
        records.append(
            {"text": SEED.read_text(encoding="utf-8"), "published": "2022-10-13", "source": "seed"}
        )
    source = write_jsonl(records + corpus_records(0, articles), db.with_suffix(".jsonl"))
    subprocess.run(ingest_command(source, str(db)), check=True)


def ingest_command(source: Path, db: str, *options: str) -> list[str]:
    """`communique ingest SOURCE --db DB [options]` run by this interpreter (the venv the benchmark runs in)."""
    return [
        sys.executable,
        "-c",
        "from communique.cli import main; main()",
        "ingest",
        str(source),
        "--db",
        db,
        *options,
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int) -> subprocess.Popen:
    code = (
        "import uvicorn; from communique.api.app import create_app; "
        f"uvicorn.run(create_app({db!r}, token={TOKEN!r}), host='127.0.0.1', port={port}, log_level='warning')"
    )
    server = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def start_ingest(db: str, skip: int, n: int, workdir: Path) -> subprocess.Popen | None:
    records = corpus_records(skip, n)
    if not records:
        print("no shared corpus: --with-ingest has nothing to ingest", file=sys.stderr)
        return None
    source = write_jsonl(records, workdir / "ingest.jsonl")
    return subprocess.Popen(
        ingest_command(source, db, "--workers", "1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def page_requests(base: str) -> list[tuple[str, str]]:
    """(page name, path) for every API call the UI's pages make, with real ids from the store."""
    get = lambda path: httpx.get(base + path, timeout=30).json()  # noqa: E731
    documents = [d["id"] for d in get("/api/documents?limit=50")["items"]]
    actors = [a["code"] for a in get("/api/actors?limit=20")["items"]]
    edges = get("/api/network?min_events=1")["edges"]
    dyads = [(e["source"], e["target"]) for e in edges] or [("AZE", "KGZ")]
    countries = [c for c in actors if len(c) == 3 and c.isupper()] or ["AZE"]
    calls = [
        ("articles", "/api/documents?limit=100"),
        ("events", "/api/events?limit=100"),
        ("network", "/api/network?min_events=2"),
        ("map", "/static/world.json"),
    ]
    calls += [("article", f"/api/documents/{d}") for d in documents[:20]]
    calls += [("events", f"/api/events?actor={c}&limit=100") for c in countries[:5]]
    calls += [("actor", f"/api/actors/{c}") for c in actors[:10]]
    calls += [("relations", f"/api/relations?a={a}&b={b}&by=month") for a, b in dyads[:10]]
    calls += [("balance", f"/api/balance?country={c}&by=year") for c in countries[:5]]
    calls += [("map", f"/api/relations/partners?country={c}") for c in countries[:5]]
    return calls


async def client(base: str, calls: list[tuple[str, str]], until: float, results: dict, seed: int) -> None:
    rng = random.Random(seed)
    by_page: dict[str, list[str]] = defaultdict(list)
    for page, path in calls:
        by_page[page].append(path)
    pages = sorted(by_page)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        turn = seed
        while time.perf_counter() < until:
            page = pages[turn % len(pages)]  # every page in turn, each client starting elsewhere
            turn += 1
            path = rng.choice(by_page[page])
            started = time.perf_counter()
            try:
                response = await http.get(path)
                wall = (time.perf_counter() - started) * 1000
                timing = response.headers.get("server-timing", "")
                server = float(timing.split("dur=")[1]) if "dur=" in timing else wall
                ok = response.status_code == 200
            except httpx.HTTPError:
                wall, server, ok = (time.perf_counter() - started) * 1000, float("nan"), False
            cell = results[page]
            cell["server"].append(server)
            cell["wall"].append(wall)
            cell["errors"] += 0 if ok else 1


def percentile(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v == v)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def run(base: str, calls: list[tuple[str, str]], clients: int, seconds: float) -> dict:
    results: dict = defaultdict(lambda: {"server": [], "wall": [], "errors": 0})
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client(base, calls, until, results, i) for i in range(clients)))
    return results


def report(results: dict, seconds: float | None) -> int:
    print(
        f"{'page':<10} {'requests':>8} {'errors':>6} {'server p50':>11} {'server p95':>11} "
        f"{'client p50':>11} {'client p95':>11}"
    )
    errors = total = 0
    for page in sorted(results):
        cell = results[page]
        total += len(cell["server"])
        errors += cell["errors"]
        print(
            f"{page:<10} {len(cell['server']):>8} {cell['errors']:>6} {percentile(cell['server'], 0.5):>9.1f}ms "
            f"{percentile(cell['server'], 0.95):>9.1f}ms {percentile(cell['wall'], 0.5):>9.1f}ms "
            f"{percentile(cell['wall'], 0.95):>9.1f}ms"
        )
    rate = f" in {seconds:.0f} s ({total / seconds:.0f}/s)" if seconds else ""
    print(
        f"total: {total} requests{rate}, {errors} errors; "
        f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="store to serve (default: build one in a temporary directory)")
    parser.add_argument("--articles", type=int, default=200, help="corpus articles in a built store")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--with-ingest", action="store_true", help="ingest more articles into the store meanwhile"
    )
    parser.add_argument(
        "--ingest-articles",
        type=int,
        default=300,
        help="articles the concurrent ingest writes (enough to keep writing for the whole run)",
    )
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="communique-load-"))
    db = args.db
    if db is None:
        db = str(workdir / "load.db")
        build_store(Path(db), args.articles)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port)
    ingest = None
    try:
        calls = page_requests(base)
        cold: dict = defaultdict(lambda: {"server": [], "wall": [], "errors": 0})
        for page, path in calls:  # one pass, one request at a time: each page computed from the store (cold)
            started = time.perf_counter()
            response = httpx.get(base + path, timeout=60)
            wall = (time.perf_counter() - started) * 1000
            timing = response.headers.get("server-timing", "")
            cold[page]["server"].append(float(timing.split("dur=")[1]) if "dur=" in timing else wall)
            cold[page]["wall"].append(wall)
            cold[page]["errors"] += 0 if response.status_code == 200 else 1
        print("first computation of every page (no cache, one client):")
        cold_errors = report(cold, None)
        print(f"\n{args.clients} clients for {args.seconds:.0f} s (answers cached until the store changes):")
        if args.with_ingest:
            ingest = start_ingest(db, 2000, args.ingest_articles, workdir)  # past the built store's articles
        results = asyncio.run(run(base, calls, args.clients, args.seconds))
        if ingest is not None:
            print(f"ingest running meanwhile: {'still running' if ingest.poll() is None else 'finished'}")
        errors = report(results, args.seconds) + cold_errors
    finally:
        for process in (ingest, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
