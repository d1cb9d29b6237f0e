"""Alerts across a watch: a saved query alerts once per new real-world event however often the watch polls, and
its webhook receiver on loopback gets each alert once (the first delivery fails and is retried at a later poll)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from communique.corpus.alerts import alerts, save_query
from communique.corpus.store import open_store
from communique.corpus.watch import watch
from tests.corpus.test_alerts import Receiver
from tests.corpus.test_corpus import corpus_records
from tests.corpus.test_watch import Clock, FeedServer, in_process  # noqa: F401  (a fixture)


@pytest.fixture
def feeds(monkeypatch) -> Iterator[FeedServer]:
    """A feed of whole articles (the watch tests' are cut to 700 characters: too short to tell dyadic events)."""
    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    server = FeedServer(corpus_records(8))
    yield server
    server.http.shutdown()


def test_a_saved_query_alerts_once_per_event_across_repeated_watch_runs(
    feeds,
    in_process,  # noqa: F811
    tmp_path,
):
    receiver = Receiver(failures=1)
    clock = Clock()
    growth = iter([0, 3, 0, 2, 0])  # published after each poll
    raised: list[int] = []
    feeds.publish(3)
    try:
        with open_store(tmp_path / "corpus.db") as store:
            save_query(store, "everything", search="the", webhook=receiver.url)  # every English article
            polls = watch(
                [feeds.feed],
                store,
                every=900,
                polls=6,
                settings=in_process,
                clock=clock,
                sleep=clock.sleep,
                on_poll=lambda _: (
                    raised.append(len(alerts(store, limit=None))),
                    feeds.publish(next(growth, 0)),
                ),
            )
            found = alerts(store, limit=None)
            counted = {r[0] for r in store.query("SELECT event_id FROM event_sources")}
            named = [e for a in found for e in a.events]
    finally:
        receiver.http.shutdown()
    assert [p.added for p in polls] == [3, 0, 3, 0, 2, 0]
    assert counted and found
    # every counted report is behind exactly one alert: none alerted twice, none missed
    assert len(named) == len(set(named)) and set(named) == counted
    # a poll that stored nothing raised nothing
    assert all(raised[i] == raised[i - 1] for i, p in enumerate(polls) if i and p.added == 0)
    # the receiver answered 500 once: that alert came at a later poll; each alert arrived once
    keys = [r["key"] for r in receiver.received]
    assert sorted(keys) == sorted(f"communique-alert-{a.id}" for a in found)
    assert receiver.attempts == len(found) + 1
