"""`communique watch`: sources polled on a schedule, every item stored once, kills survived, failures backed off.

Everything is served on 127.0.0.1 by a feed server in a thread that publishes new items over time.
"""

from __future__ import annotations

import html
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import communique.corpus.run as corpus_module
from communique.corpus.run import IngestSettings
from communique.corpus.store import open_store
from communique.corpus.watch import backoff, parse_interval, sources, watch
from communique.errors import InputError
from tests.corpus.test_corpus import corpus_records

CLI = [sys.executable, "-c", "from communique.cli import main; main()"]


class FeedServer:
    """An RSS feed (answering conditional GETs by ETag) whose items link to article pages; ``publish`` adds
    items; ``/broken.xml`` answers 500 while ``broken`` is set; article pages from ``slow_from`` on take a
    second each."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records
        self.published = 0
        self.broken = True
        self.slow_from: int | None = None
        self.requests: list[tuple[str, str | None, int]] = []  # path, If-None-Match, status answered
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.feed = f"{self.base}/rss.xml"
        self.broken_feed = f"{self.base}/broken.xml"

    def publish(self, n: int) -> None:
        self.published = min(self.published + n, len(self.records))

    def titles(self, n: int | None = None) -> list[str]:
        return [r["title"] for r in self.records[: self.published if n is None else n]]

    def feed_requests(self, path: str = "/rss.xml") -> list[tuple[str, str | None, int]]:
        return [r for r in self.requests if r[0] == path]

    def answer(self, handler: BaseHTTPRequestHandler) -> int:
        if handler.path == "/broken.xml" and self.broken:
            return self._send(handler, 500, b"down", "text/plain", {})
        if handler.path in ("/rss.xml", "/broken.xml"):
            etag = f'"{handler.path}-{self.published}"'
            if handler.headers.get("If-None-Match") == etag:
                return self._send(handler, 304, b"", "", {})
            items = "".join(
                f"<item><title>{html.escape(r['title'])}</title><link>{self.base}/a{i}.html</link>"
                f"<guid>item-{i}</guid><pubDate>Tue, 12 May 2015 10:00:00 GMT</pubDate></item>"
                for i, r in enumerate(self.records[: self.published])
            )
            body = (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>{items}</channel></rss>'
            )
            return self._send(handler, 200, body.encode(), "application/rss+xml", {"ETag": etag})
        i = int(handler.path[2:].split(".")[0])
        if self.slow_from is not None and i >= self.slow_from:
            time.sleep(1.0)
        record = self.records[i]
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in record["text"].split("\n") if p.strip())
        page = (
            f"<html><head><title>{html.escape(record['title'])}</title></head><body><article>{paragraphs}"
            "</article></body></html>"
        )
        return self._send(handler, 200, page.encode(), "text/html; charset=utf-8", {})

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, body: bytes, kind: str, headers: dict[str, str]
    ) -> int:
        # recorded before the answer is sent: a client that has its answer finds its request listed
        self.requests.append((handler.path, handler.headers.get("If-None-Match"), status))
        handler.send_response(status)
        if kind:
            handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
        return status


@pytest.fixture
def feeds(monkeypatch) -> Iterator[FeedServer]:
    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    server = FeedServer(corpus_records(16, chars=700))
    yield server
    server.http.shutdown()


@pytest.fixture(scope="module")
def in_process(analyzer):
    """Analyse in this process with the session's model, as `watch` does by default (--workers 0)."""
    corpus_module._analyzer = analyzer
    yield IngestSettings(workers=0, chunk_size=4)
    corpus_module._analyzer = None


class Clock:
    """A clock the watch sleeps on: sleeping moves it on at once."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def stored_titles(store) -> list[str]:
    return sorted(r[0] for r in store.query("SELECT title FROM documents"))


def test_a_watch_stores_every_item_of_a_growing_feed_once_across_polls(feeds, in_process, tmp_path):
    clock = Clock()
    growth = iter([2, 0, 1, 3])  # published after each poll: two more, none, one, three
    feeds.publish(2)
    with open_store(tmp_path / "corpus.db") as store:
        polls = watch(
            [feeds.feed],
            store,
            every=900,
            polls=5,
            settings=in_process,
            clock=clock,
            sleep=clock.sleep,
            on_poll=lambda _: feeds.publish(next(growth, 0)),
        )
        assert [p.added for p in polls] == [2, 2, 0, 1, 3]
        assert [p.status for p in polls] == ["ok", "ok", "unchanged", "ok", "ok"]
        assert [p.started - polls[0].started for p in polls] == [0, 900, 1800, 2700, 3600]  # on schedule
        assert stored_titles(store) == sorted(feeds.titles()) and len(feeds.titles()) == 8
        assert store.counts(["document_links"])["document_links"] == 0  # nothing stored twice, even as a link
        (state,) = sources(store)
        assert (state["polls"], state["items_added"], state["last_added"], state["errors"]) == (5, 8, 3, 0)
    # each article page was fetched once: an entry stored already is not fetched again when its feed changes
    articles = [r[0] for r in feeds.requests if r[0].startswith("/a")]
    assert sorted(articles) == sorted(f"/a{i}.html" for i in range(8))
    # each poll asked for the feed conditionally; the one after which nothing was published got a 304
    assert [status for _, _, status in feeds.feed_requests()] == [200, 200, 304, 200, 200]
    assert [etag for _, etag, _ in feeds.feed_requests()] == [
        None,
        '"/rss.xml-2"',
        '"/rss.xml-4"',
        '"/rss.xml-4"',
        '"/rss.xml-5"',
    ]


def test_a_feed_answering_304_stores_nothing_new(feeds, in_process, tmp_path):
    clock = Clock()
    feeds.publish(3)
    with open_store(tmp_path / "corpus.db") as store:
        first = watch([feeds.feed], store, 60, 1, in_process, clock, clock.sleep)
        before = (store.counts(), len(store.run_errors()))
        feeds.requests.clear()
        again = watch([feeds.feed], store, 60, 2, in_process, clock, clock.sleep)
        assert (store.counts(), len(store.run_errors())) == before
        assert [p.added for p in first] == [3]
        assert [(p.status, p.added) for p in again] == [("unchanged", 0), ("unchanged", 0)]
        # only the feed was asked for, conditionally, and it answered 304; no article was fetched again
        assert feeds.requests == [("/rss.xml", '"/rss.xml-3"', 304)] * 2
        assert sources(store)[0]["last_status"] == "unchanged"


def test_a_failing_source_is_backed_off_while_the_others_go_on(feeds, in_process, tmp_path):
    clock = Clock()
    start = clock.now
    feeds.publish(1)
    with open_store(tmp_path / "corpus.db") as store:
        polls = watch(
            [feeds.broken_feed, feeds.feed],
            store,
            every=60,
            polls=8,
            settings=in_process,
            clock=clock,
            sleep=clock.sleep,
            on_poll=lambda p: feeds.publish(1) if p.source == feeds.feed else None,
        )
        good = [p for p in polls if p.source == feeds.feed]
        bad = [p for p in polls if p.source == feeds.broken_feed]
        assert [p.started - start for p in good] == [60 * i for i in range(8)]  # never held up
        assert all(p.status == "ok" and p.added == 1 for p in good)
        # the broken one: retried after 2, 4, 8 intervals (0 s, then 120, 360 and 840 s)
        assert [p.started - start for p in bad] == [0, 120, 360]
        assert all(p.status == "error" and "HTTP 500" in (p.error or "") for p in bad)
        assert stored_titles(store) == sorted(feeds.titles(8))
        state = {s["source"]: s for s in sources(store)}
        broken = state[feeds.broken_feed]
        assert (broken["consecutive_errors"], broken["errors"], broken["backoff_seconds"]) == (3, 3, 480)
        assert broken["last_status"] == "error" and "HTTP 500" in broken["last_error"]
        assert state[feeds.feed]["consecutive_errors"] == 0

    # The backoff is in the store: a watch started again leaves the broken source alone until it is due ...
    feeds.broken = False
    with open_store(tmp_path / "corpus.db") as store:
        at = clock.now
        assert (
            watch([feeds.broken_feed, feeds.feed], store, 60, 1, in_process, clock, clock.sleep, wait=False)
            == []
        )
        assert clock.now == at  # `watch --once` with nothing due: it polls nothing and waits for nothing
        again = watch([feeds.broken_feed, feeds.feed], store, 60, 1, in_process, clock, clock.sleep)
        assert [p.source for p in again] == [feeds.feed]
        clock.now = start + 840  # ... and polls it when it is; once it answers, its errors are over
        recovered = watch([feeds.broken_feed, feeds.feed], store, 60, 1, in_process, clock, clock.sleep)
        # (it serves the other feed's entries, stored already: nothing new, and no error)
        assert recovered[0].source == feeds.broken_feed and recovered[0].status == "unchanged"
        state = {s["source"]: s for s in sources(store)}
        assert state[feeds.broken_feed]["consecutive_errors"] == 0
        assert state[feeds.broken_feed]["backoff_seconds"] == 0
        assert state[feeds.broken_feed]["next_run"] > state[feeds.broken_feed]["last_fetch"]


def test_the_backoff_doubles_and_is_capped():
    assert [backoff(60, n) for n in range(4)] == [60, 120, 240, 480]
    assert backoff(60, 30) == 6 * 3600  # capped ...
    assert backoff(86400, 5) == 86400  # ... but never shorter than the interval itself
    assert [parse_interval(t) for t in ("15m", "30s", "2h", "1d", "0.5s", "90")] == [
        900,
        30,
        7200,
        86400,
        0.5,
        90,
    ]
    with pytest.raises(InputError):
        parse_interval("soon")


def _documents(db) -> int:
    import sqlite3

    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(connection.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_a_watch_killed_mid_run_and_restarted_loses_and_repeats_nothing(feeds, tmp_path):
    db = tmp_path / "corpus.db"
    feeds.publish(12)
    feeds.slow_from = 8  # the first chunk of 8 is written, then the run is still reading when it is killed
    env = {**os.environ, "COMMUNIQUE_ALLOW_PRIVATE_URLS": "1"}
    command = [*CLI, "watch", feeds.feed, "--every", "1h", "--db", str(db)]
    process = subprocess.Popen(
        [*command, "--polls", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None and _documents(db) < 8:
        time.sleep(0.05)
    assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    stored_at_kill = _documents(db)
    assert 8 <= stored_at_kill < 12  # killed in the middle of the run

    feeds.slow_from = None
    feeds.publish(3)  # and the feed went on publishing meanwhile
    restarted = subprocess.run([*command, "--once"], env=env, capture_output=True, text=True, timeout=300)
    assert restarted.returncode == 0, restarted.stderr
    with open_store(db) as store:
        assert stored_titles(store) == sorted(feeds.titles()) and len(feeds.titles()) == 15
        assert store.counts(["document_links"])["document_links"] == 0
        assert [r["status"] for r in store.runs()] == ["interrupted", "finished"]
        (state,) = sources(store)
        assert (state["polls"], state["last_added"], state["consecutive_errors"]) == (
            1,
            15 - stored_at_kill,
            0,
        )


def test_the_api_lists_each_watched_source_with_its_last_fetch_errors_and_next_run(
    feeds, in_process, tmp_path
):
    from fastapi.testclient import TestClient

    from communique.api.app import create_app

    clock = Clock()
    feeds.publish(2)
    db = tmp_path / "corpus.db"
    with open_store(db) as store:
        watch([feeds.feed, feeds.broken_feed], store, 900, 1, in_process, clock, clock.sleep)
    client = TestClient(
        create_app(str(db), token="t"), base_url="http://127.0.0.1", client=("127.0.0.1", 5000)
    )
    answer = client.get("/api/sources")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 2
    by_source = {s["source"]: s for s in body["items"]}
    good, bad = by_source[feeds.feed], by_source[feeds.broken_feed]
    assert (good["last_status"], good["last_added"], good["consecutive_errors"]) == ("ok", 2, 0)
    assert good["last_fetch"] and good["next_run"] > good["last_fetch"]
    assert (bad["last_status"], bad["consecutive_errors"], bad["backoff_seconds"]) == ("error", 1, 1800)
    assert "HTTP 500" in bad["last_error"]


def test_serve_watch_polls_in_a_thread_beside_the_server_and_stops_with_it(feeds, in_process, tmp_path):
    from communique.cli.serve import start_watch

    feeds.publish(2)
    db = tmp_path / "corpus.db"
    open_store(db).close()
    watcher = start_watch(str(db), [feeds.feed], 0.2)
    try:
        deadline = time.monotonic() + 120
        polled: list[dict] = []
        while time.monotonic() < deadline:
            with open_store(db) as store:
                polled = sources(store)
            if polled and polled[0]["polls"] >= 1:
                feeds.publish(1)  # published while the server runs: the next polls take it
                break
            time.sleep(0.05)
        while time.monotonic() < deadline:
            with open_store(db) as store:
                if len(stored_titles(store)) == 3:
                    break
            time.sleep(0.05)
    finally:
        watcher.stop(timeout=60)
    assert not watcher.thread.is_alive()
    with open_store(db) as store:
        assert stored_titles(store) == sorted(feeds.titles()) and len(feeds.titles()) == 3
        assert sources(store)[0]["items_added"] == 3


@pytest.mark.postgres
def test_a_watch_keeps_its_schedule_and_backoff_in_postgresql_too(feeds, in_process, pg_database):
    clock = Clock()
    start = clock.now
    feeds.publish(1)
    with open_store(pg_database) as store:
        polls = watch(
            [feeds.broken_feed, feeds.feed],
            store,
            every=60,
            polls=3,
            settings=in_process,
            clock=clock,
            sleep=clock.sleep,
            on_poll=lambda p: feeds.publish(1) if p.source == feeds.feed else None,
        )
        assert [(p.source == feeds.feed, p.started - start, p.status) for p in polls] == [
            (False, 0, "error"),
            (True, 0, "ok"),
            (True, 60, "ok"),
            (False, 120, "error"),
            (True, 120, "ok"),
        ]
        assert stored_titles(store) == sorted(feeds.titles(3))
    with open_store(pg_database) as store:  # reopened: the state was kept
        state = {s["source"]: s for s in sources(store)}
        assert (
            state[feeds.broken_feed]["consecutive_errors"],
            state[feeds.broken_feed]["backoff_seconds"],
        ) == (2, 240)
        assert (state[feeds.feed]["polls"], state[feeds.feed]["items_added"]) == (3, 3)
