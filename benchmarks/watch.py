"""A long watch of a local feed that grows slowly: memory stays flat and an unchanged feed's poll is cheap.

    python benchmarks/watch.py [--polls 500] [--grow-every 10]

A feed server on 127.0.0.1 (a thread of this process) publishes one more article every ``--grow-every`` polls;
`communique.corpus.watch.watch` polls it ``--polls`` times with a clock that jumps to each next run (no waiting), in
this process (workers=0, as `communique watch` does). Reported: this process's resident memory after poll 50
and after the last one, and the CPU time of this thread (the feed server's own thread not counted) for each
poll the feed answered with a 304, from the end of one poll to the end of the next: the loop's own work
included. Targets (issue 16): memory after 500 polls within 10% of memory after 50; a 304 poll under 50 ms.
Articles: the shared corpus (../shared/corpora/allsides-geopolitics.jsonl.gz), cut to 1,500 characters.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import html
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-geopolitics.jsonl.gz"


def articles(n: int, chars: int = 1500) -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            text = record["text"]
            if len(text) > chars and "\n" in text[:chars]:
                text = text[: text.rfind("\n", 0, chars)]
            out.append({"title": record.get("title") or f"article {len(out)}", "text": text[:chars]})
            if len(out) == n:
                break
    return out


def serve(records: list[dict], published: list[int]) -> tuple[ThreadingHTTPServer, str]:
    class Feed(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/rss.xml":
                etag = f'"{published[0]}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                items = "".join(
                    f"<item><title>{html.escape(r['title'])}</title><link>{base}/a{i}.html</link>"
                    f"<guid>item-{i}</guid></item>"
                    for i, r in enumerate(records[: published[0]])
                )
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'
                self._send(body.encode(), "application/rss+xml", etag)
                return
            record = records[int(self.path[2:].split(".")[0])]
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n") if p.strip())
            page = (
                f"<html><head><title>{html.escape(record['title'])}</title></head><body><article>{paragraphs}"
            )
            self._send((page + "</article></body></html>").encode(), "text/html; charset=utf-8", None)

        def _send(self, body: bytes, kind: str, etag: str | None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/rss.xml"


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polls", type=int, default=500)
    parser.add_argument("--grow-every", type=int, default=10)
    parser.add_argument("--every", type=float, default=900.0)
    args = parser.parse_args()
    os.environ["COMMUNIQUE_ALLOW_PRIVATE_URLS"] = "1"
    import logging

    logging.disable(logging.WARNING)  # a run's own warnings (undated articles) would drown the report

    from communique.corpus.run import IngestSettings
    from communique.corpus.store import open_store
    from communique.corpus.watch import Poll, watch

    records = articles(args.polls // args.grow_every + 2)
    published = [1]
    server, url = serve(records, published)
    clock = [1_800_000_000.0]
    polls: list[tuple[str, int, float]] = []  # status, added, CPU seconds
    marks: dict[int, float] = {}
    last = [time.thread_time()]

    def on_poll(poll: Poll) -> None:
        now = time.thread_time()
        polls.append((poll.status, poll.added, now - last[0]))
        n = len(polls)
        if n % args.grow_every == 0 and n < args.polls:  # nothing published after the last poll
            published[0] = min(published[0] + 1, len(records))
        if n in (50, args.polls):
            gc.collect()
            marks[n] = rss_mb()
        last[0] = time.thread_time()

    def sleep(seconds: float) -> None:
        clock[0] += max(seconds, 0.0)

    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "watch.db") as store:
        started = time.perf_counter()
        watch(
            [url], store, args.every, args.polls, IngestSettings(workers=0), lambda: clock[0], sleep, on_poll
        )
        seconds = time.perf_counter() - started
        documents = store.counts(["documents"])["documents"]
    server.shutdown()
    unchanged = sorted(cpu for status, _, cpu in polls if status == "unchanged")
    growth = marks[args.polls] / marks[50] - 1 if 50 in marks else float("nan")
    p95 = unchanged[int(0.95 * (len(unchanged) - 1))]
    print(
        f"polls: {len(polls)} in {seconds:.1f} s; documents stored: {documents} (published: {published[0]})"
    )
    print(f"memory: {marks.get(50, float('nan')):.1f} MB after 50 polls, {marks[args.polls]:.1f} MB after {args.polls}"
          f" ({100 * growth:+.1f}%; target within 10%)")  # fmt: skip
    print(f"a 304 poll's CPU ({len(unchanged)} polls): median {1000 * statistics.median(unchanged):.1f} ms, "
          f"p95 {1000 * p95:.1f} ms, max {1000 * unchanged[-1]:.1f} ms (target under 50 ms)")  # fmt: skip
    ok = documents == published[0] and abs(growth) <= 0.10 and p95 < 0.050
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
