"""Watching sources: poll feeds, list files and folders on a schedule and ingest what is new.

    watch(["https://example.org/rss.xml", "feeds.txt", "inbox/"], store, every=900) -> list[Poll]

Each poll of a source is one ingestion run (:func:`communique.corpus.run.ingest`, the one write path): a feed is
fetched with a conditional GET (its ETag and Last-Modified are kept by the run in the ``feeds`` table), every
document is stored exactly once, and a document the store holds already is skipped before analysis.

What the watch knows of each source (last fetch, what it stored, consecutive errors, backoff, next run) is in
the store's ``watch_sources`` table, so a watch stopped or killed and started again goes on where it was. A
poll's documents are written by its run before its row is updated: a watch killed between the two polls the
source again on restart and the run adds nothing it holds. A source that fails (its fetch or its reading
fails, or the run raises) is retried after ``every * 2**n`` (n consecutive failures), capped at
:data:`MAX_BACKOFF` (or ``every``, if longer); the other sources are polled as usual meanwhile.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from communique.corpus.store import Store
from communique.errors import InputError

log = logging.getLogger(__name__)

MAX_BACKOFF = 6 * 3600.0  # seconds: a failing source is still tried at least every six hours
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_interval(text: str) -> float:
    """Seconds in an interval written ``30s``, ``15m``, ``2h``, ``1d`` or a bare number of seconds."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise InputError(f"not an interval: {text!r} (write e.g. 30s, 15m, 2h or 1d)")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def backoff(every: float, consecutive_errors: int, cap: float = MAX_BACKOFF) -> float:
    """The wait before a source that failed ``consecutive_errors`` times in a row is polled again."""
    if consecutive_errors <= 0:
        return every
    return min(every * 2.0 ** min(consecutive_errors, 60), max(cap, every))


def stamp(seconds: float) -> str:
    """A time (seconds since the epoch) as the store keeps it: UTC ISO 8601 to the millisecond."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")


def seconds_of(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@dataclass
class Poll:
    """One poll of one source."""

    source: str
    started: float
    status: str  # ok | unchanged | error
    added: int = 0
    errors: int = 0  # run errors: the source's own failure, or documents it could not read
    error: str | None = None
    run_id: int | None = None
    next_run: float = 0.0


SOURCE_COLUMNS = (
    "source", "every_seconds", "added_at", "last_fetch", "last_status", "last_added", "items_added", "polls",
    "errors", "consecutive_errors", "last_error", "backoff_seconds", "next_run", "last_run_id",
)  # fmt: skip


def sources(store: Store) -> list[dict[str, Any]]:
    """Every watched source's state, in the order of its next run."""
    rows = store.query(f"SELECT {', '.join(SOURCE_COLUMNS)} FROM watch_sources ORDER BY next_run, source")
    return [dict(zip(SOURCE_COLUMNS, row, strict=True)) for row in rows]


def register(
    store: Store, names: Sequence[str], every: float, clock: Callable[[], float] = time.time
) -> None:
    """Watch these sources every ``every`` seconds: a new one is due now; a known one keeps its schedule (its
    next run moves earlier if the new interval brings it forward) and its errors."""
    at = clock()
    with store.transaction():
        for name in names:
            rows = store.query(
                "SELECT last_fetch, consecutive_errors, next_run FROM watch_sources WHERE source = ?", (name,)
            )
            if not rows:
                store.execute(
                    "INSERT INTO watch_sources (source, every_seconds, added_at, next_run) VALUES (?, ?, ?, ?)",
                    (name, every, stamp(at), stamp(at)),
                )
                continue
            last_fetch, errors, next_run = rows[0]
            due = seconds_of(next_run)
            if last_fetch and not errors:
                due = min(due, seconds_of(last_fetch) + every)
            store.execute(
                "UPDATE watch_sources SET every_seconds = ?, next_run = ? WHERE source = ?",
                (every, stamp(due), name),
            )


def poll(store: Store, source: str, settings: Any = None, clock: Callable[[], float] = time.time) -> Poll:
    """Ingest what is new in one source now and record the poll (and when the next one is due)."""
    from communique.corpus.run import ingest

    started = clock()
    result = Poll(source, started, "ok")
    try:
        report = ingest([source], store, settings)
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # one bad source never stops the others: whatever it raised is its error
        log.warning("watch: %s failed: %s", source, exc)
        result.status, result.error, result.errors = "error", f"{type(exc).__name__}: {exc}", 1
    else:
        result.run_id, result.added, result.errors = report.run_id, report.added, report.errors
        own = [e[3] for e in store.run_errors(report.run_id) if e[1] == source]
        if own:  # the source itself could not be read (a refused fetch, an HTTP error, a missing folder)
            result.status, result.error = "error", own[0]
        elif report.documents == 0:
            result.status = "unchanged"
    _record(store, result)
    _alert(store, result)
    return result


def _alert(store: Store, result: Poll) -> None:
    """Raise the saved queries' alerts for what a poll stored, and deliver any webhook still owed (a receiver
    that failed is tried again at every poll). A failure here is logged; it never stops the watch."""
    from communique.corpus.alerts import check_alerts, deliver_webhooks

    try:
        if result.added:
            check_alerts(store)
        deliver_webhooks(store)
    except Exception as exc:
        log.warning("watch: alerts after %s failed: %s", result.source, exc)


def _record(store: Store, result: Poll) -> None:
    with store.transaction():
        rows = store.query(
            "SELECT every_seconds, consecutive_errors FROM watch_sources WHERE source = ?", (result.source,)
        )
        every, consecutive = (float(rows[0][0]), int(rows[0][1])) if rows else (0.0, 0)
        failed = result.status == "error"
        consecutive = consecutive + 1 if failed else 0
        wait = backoff(every, consecutive)
        result.next_run = result.started + wait
        store.execute(
            "UPDATE watch_sources SET last_fetch = ?, last_status = ?, last_added = ?, "
            "items_added = items_added + ?, polls = polls + 1, errors = errors + ?, consecutive_errors = ?, "
            "last_error = ?, backoff_seconds = ?, next_run = ?, last_run_id = ? WHERE source = ?",
            (
                stamp(result.started),
                result.status,
                result.added,
                result.added,
                1 if failed else 0,
                consecutive,
                result.error,
                wait if failed else 0.0,
                stamp(result.next_run),
                result.run_id,
                result.source,
            ),
        )


def watch(
    names: Sequence[str],
    store: Store,
    every: float,
    polls: int | None = None,
    settings: Any = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], object] = time.sleep,
    on_poll: Callable[[Poll], None] | None = None,
    stop: Callable[[], bool] | None = None,
    wait: bool = True,
) -> list[Poll]:
    """Poll the sources on their schedule, for ``polls`` rounds (None: until ``stop()`` says so, or for ever).

    A round waits for the earliest next run among the sources, then polls every source that is due, in the
    order given; with ``wait=False`` a round with no source due ends the watch instead (`watch --once`, for
    cron). Returns the polls made.
    """
    names = list(dict.fromkeys(names))
    if not names:
        raise InputError("watch needs at least one source")
    register(store, names, every, clock)
    done: list[Poll] = []
    rounds = 0
    while polls is None or rounds < polls:
        if stop is not None and stop():
            break
        due_at = _next_runs(store, names)
        now = clock()
        due = [name for name in names if due_at[name] <= now]
        if not due:
            if not wait:
                break
            # sleep in slices of at most a second, so a stop request is heard soon
            sleep(min(min(due_at.values()) - now, 1.0) if stop is not None else min(due_at.values()) - now)
            continue
        for name in due:
            if stop is not None and stop():
                break
            result = poll(store, name, settings, clock)
            done.append(result)
            if on_poll is not None:
                on_poll(result)
        rounds += 1
    return done


def _next_runs(store: Store, names: Sequence[str]) -> dict[str, float]:
    wanted = set(names)
    return {
        source: seconds_of(next_run)
        for source, next_run in store.query("SELECT source, next_run FROM watch_sources")
        if source in wanted
    }
