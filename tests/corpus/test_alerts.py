"""Saved queries and alerts: each new matching real-world event alerts once, changes against a baseline alert,
the Atom feed validates, and a webhook receiver on loopback gets each alert once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
from corpus_records import REPORTS, record, stored

from communique.corpus.alerts import (
    alert_evidence,
    alerts,
    atom_feed,
    change_series,
    check_alerts,
    deliver_webhooks,
    deviation,
    mark_read,
    save_query,
    saved_query,
    unread_counts,
)
from communique.corpus.corrections import correct_event
from communique.corpus.dedup import merge_events
from communique.errors import InputError


def add(store, *records) -> None:
    store.write_batch(None, [stored(r) for r in records])
    merge_events(store)


def accusation(day: str, outlet: str = "Eurasianet", words: str = "near Lachin in the spring") -> dict:
    return record(
        f"Azerbaijan accused Russia of failing to stop Armenian forces {words}.",
        day,
        [("ACCUSE", "AZE", "RUS")],
        source=outlet,
        event_date=day,
    )


def test_only_events_stored_after_a_query_is_saved_alert(store):
    add(store, *REPORTS)
    save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    assert check_alerts(store) == []
    add(store, accusation("2023-02-01"))
    (alert,) = check_alerts(store)
    assert alert.summary == "ACCUSE AZE → RUS on 2023-02-01"
    assert alert.kind == "event" and alert.query == "aze-rus"


def test_a_real_world_event_alerts_once_however_often_the_check_runs(store):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    add(store, accusation("2023-02-01"))
    assert len(check_alerts(store)) == 1
    assert check_alerts(store) == [] and check_alerts(store) == []
    # a second outlet reporting the same event two days later: the same real-world event, no new alert
    add(store, accusation("2023-02-03", "AKIpress", "by Lachin on Friday"))
    assert check_alerts(store) == []
    (alert,) = alerts(store)
    assert len(alert.events) == 2  # the alert names both reports
    # a new event a month later alerts
    add(store, accusation("2023-03-10", words="at the border"))
    assert [a.summary for a in check_alerts(store)] == ["ACCUSE AZE → RUS on 2023-03-10"]
    assert len(alerts(store)) == 2


def test_event_types_and_minimum_confidence_restrict_what_alerts(store):
    save_query(store, "threats", dyad=("AZE", "RUS"), event_types=["threaten"])
    save_query(store, "sure", dyad=("AZE", "RUS"), min_confidence=0.95)
    add(store, accusation("2023-02-01"))  # an ACCUSE at confidence 0.9
    assert check_alerts(store) == []
    threat = record(
        "Azerbaijan threatened Russia with consequences over Lachin.",
        "2023-04-01",
        [("THREATEN", "AZE", "RUS")],
    )
    add(store, threat)
    assert [a.query for a in check_alerts(store)] == ["threats"]


def test_a_balance_query_alerts_on_events_with_any_centre_and_a_search_on_matching_articles(store):
    save_query(store, "aze-balance", country="AZE")
    save_query(store, "lachin", search="Lachin")
    add(
        store,
        accusation("2023-02-01"),
        record("Azerbaijan and Georgia signed a trade deal.", "2023-02-02", [("AGREE", "AZE", "GEO")]),
    )
    got = sorted((a.query, a.summary) for a in check_alerts(store))
    assert got == [
        ("aze-balance", "ACCUSE AZE → RUS on 2023-02-01"),  # Russia is a centre, Georgia is not
        ("lachin", "ACCUSE AZE → RUS on 2023-02-01"),
    ]


def test_an_alert_names_its_events_with_their_evidence_and_article(store):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    rec = accusation("2023-02-01")
    add(store, rec)
    (alert,) = check_alerts(store)
    (evidence,) = alert_evidence(store, alert)
    text = rec["document"]["text"]
    assert evidence.document_id == rec["document"]["id"]
    assert (evidence.sentence, evidence.start, evidence.end) == (0, 0, len(text))
    assert evidence.text == text[evidence.start : evidence.end]
    assert not evidence.corrected


def test_a_rejected_event_does_not_alert_and_a_corrected_one_can(store):
    save_query(store, "aze-arm", dyad=("AZE", "ARM"))
    rec = accusation("2023-02-01")
    add(store, rec)
    assert check_alerts(store) == []
    correct_event(store, f"{rec['document']['id']}:0", recipient=["ARM"], by="ana")
    (alert,) = check_alerts(store)
    assert alert_evidence(store, alert)[0].corrected


def test_unread_counts_and_marking_read(store):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    add(store, accusation("2023-02-01"), accusation("2023-03-10", words="at the border"))
    first, second = check_alerts(store)
    assert unread_counts(store) == {"aze-rus": 2}
    assert mark_read(store, [first.id]) == 1
    assert unread_counts(store) == {"aze-rus": 1}
    assert [a.id for a in alerts(store, unread=True)] == [second.id]
    assert mark_read(store) == 1 and unread_counts(store) == {}


# -- change against a baseline ---------------------------------------------------------------------------------


def monthly(score_types: list[str]) -> list[dict]:
    """One AZE -> RUS event in each month from January 2022, of the given types (one a month)."""
    return [
        record(
            f"Azerbaijan and Russia: report number {i} on the month's relations.",
            f"{2022 + i // 12}-{i % 12 + 1:02d}-15",
            [(t, "AZE", "RUS")],
        )
        for i, t in enumerate(score_types)
    ]


def test_a_deviation_fires_on_a_constructed_series_and_not_on_a_steady_one():
    noisy = [(f"2022-{m:02d}", 1.0 if m % 2 else 3.0) for m in range(1, 13)]
    jump = deviation([*noisy, ("2023-01", -9.0)], k=2.0)
    assert jump is not None and jump.period == "2023-01" and jump.mean == 2.0 and jump.sigmas > 10
    assert deviation([*noisy, ("2023-01", 3.0)], k=2.0) is None  # within the baseline's spread
    steady = [(f"2022-{m:02d}", 1.0) for m in range(1, 14)]
    assert deviation(steady, k=2.0) is None
    assert deviation(noisy[:3], k=2.0) is None  # too short a baseline to say anything


def test_a_dyads_monthly_score_moving_beyond_k_sd_alerts_once(store):
    query = save_query(store, "aze-rus-change", dyad=("AZE", "RUS"), deviation=2.0)
    add(store, *monthly(["CONSULT", "AGREE"] * 6))
    assert [a for a in check_alerts(store) if a.kind == "deviation"] == []
    add(store, *monthly(["CONSULT", "AGREE"] * 6 + ["ASSAULT"])[12:])
    change = [a for a in check_alerts(store) if a.kind == "deviation"]
    assert len(change) == 1
    (alert,) = change
    assert (alert.period, alert.measure, alert.value, alert.baseline_mean) == ("2023-01", "score", -9.0, 2.0)
    assert "AZE → RUS mean score in 2023-01" in alert.summary
    assert [e.published for e in alert_evidence(store, alert)] == ["2023-01-15"]
    assert check_alerts(store) == []  # once per month and measure
    assert change_series(store, query)["score"][-1][:2] == ("2023-01", -9.0)


def test_a_steady_dyad_raises_no_change_alert(store):
    save_query(store, "steady", dyad=("AZE", "RUS"), deviation=2.0)
    add(store, *monthly(["CONSULT"] * 13))
    assert [a for a in check_alerts(store) if a.kind == "deviation"] == []


def test_a_balance_share_moving_beyond_k_sd_alerts(store):
    save_query(store, "aze-balance", country="AZE", deviation=2.0)
    months = []
    for i in range(12):
        day = f"2022-{i + 1:02d}-10"
        months.append(record(f"Azerbaijan and Russia talks, round {i}.", day, [("CONSULT", "AZE", "RUS")]))
        months.append(record(f"Azerbaijan and China talks, round {i}.", day, [("CONSULT", "AZE", "CHN")]))
    add(store, *months)
    assert [a for a in check_alerts(store) if a.kind == "deviation"] == []
    for j in range(3):
        add(
            store,
            record(
                f"Azerbaijan and Russia talks, January {j}.", f"2023-01-1{j}", [("CONSULT", "AZE", "RUS")]
            ),
        )
    change = sorted(a.measure for a in check_alerts(store) if a.kind == "deviation")
    # the share of each centre Azerbaijan engaged with moved: Russia 0.5 -> 1.0, China 0.5 -> 0
    assert change == ["share:CHN", "share:RUS"]


# -- saving -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "one of"),
        ({"search": "x", "country": "AZE"}, "one of"),
        ({"dyad": ("AZE", "RUS"), "event_types": ["SHOUT"]}, "not PLOVER 2.0 types: SHOUT"),
        ({"dyad": ("AZE", "RUS"), "min_confidence": 2}, "between 0 and 1"),
        ({"search": "Lachin", "deviation": 2}, "not a search"),
        ({"dyad": ("AZE", "RUS"), "deviation": -1}, "positive"),
        ({"dyad": ("AZE", "RUS"), "webhook": "ftp://x"}, "http"),
    ],
)
def test_a_bad_query_is_refused_and_nothing_is_saved(store, kwargs, message):
    with pytest.raises(InputError, match=message):
        save_query(store, "q", **kwargs)
    assert store.query("SELECT count(*) FROM saved_queries") == [(0,)]


def test_a_query_name_is_unique_and_an_unknown_one_names_the_saved(store):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    with pytest.raises(InputError, match="saved already"):
        save_query(store, "aze-rus", dyad=("AZE", "KGZ"))
    with pytest.raises(InputError, match=r"no saved query 'nope' \(saved: aze-rus\)"):
        saved_query(store, "nope")


# -- Atom -----------------------------------------------------------------------------------------------------------


def test_the_atom_feed_of_a_query_validates_and_lists_its_alerts(store):
    query = save_query(store, "aze-rus", dyad=("AZE", "RUS"))
    add(store, accusation("2023-02-01"), accusation("2023-03-10", words="at the <border> & beyond"))
    check_alerts(store)
    feed = feedparser.parse(atom_feed(store, query, "http://127.0.0.1:8000"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "communique alerts: aze-rus"
    titles = [e.title for e in feed.entries]
    assert titles == ["ACCUSE AZE → RUS on 2023-03-10", "ACCUSE AZE → RUS on 2023-02-01"]
    assert all(e.link.startswith("http://127.0.0.1:8000/ui/article/") for e in feed.entries)
    assert "at the <border> & beyond" in feed.entries[0].content[0].value  # the evidence, escaped in the XML
    assert len({e.id for e in feed.entries}) == 2


def test_the_atom_feed_of_a_query_without_alerts_validates(store):
    query = save_query(store, "quiet", dyad=("AZE", "RUS"))
    feed = feedparser.parse(atom_feed(store, query, "http://localhost"))
    assert not feed.bozo and feed.entries == []


# -- webhook --------------------------------------------------------------------------------------------------------


class Receiver:
    """An HTTP receiver on loopback recording each POST; it answers 500 to the first ``failures`` of them."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[dict] = []  # bodies it answered 2xx
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.attempts += 1
                status = 500 if receiver.attempts <= receiver.failures else 204
                if status == 204:
                    receiver.received.append({"key": self.headers["Idempotency-Key"], **body})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(failures=1)
    yield server
    server.http.shutdown()


def test_the_webhook_receiver_gets_each_alert_once_after_a_failed_try(store, receiver):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"), webhook=receiver.url)
    add(store, accusation("2023-02-01"))
    (alert,) = check_alerts(store)
    (first,) = deliver_webhooks(store)
    assert not first.delivered and first.error == "HTTP 500"
    assert receiver.received == []
    (second,) = deliver_webhooks(store)
    assert second.delivered
    assert deliver_webhooks(store) == []  # delivered: never sent again
    add(store, accusation("2023-03-10", words="at the border"))
    check_alerts(store)
    deliver_webhooks(store)
    deliver_webhooks(store)
    keys = [r["key"] for r in receiver.received]
    assert len(keys) == 2 and len(set(keys)) == 2
    body = receiver.received[0]
    assert body["alert"]["id"] == alert.id and body["alert"]["summary"] == alert.summary
    assert body["evidence"][0]["text"].startswith("Azerbaijan accused Russia")
    (stored_alert,) = [a for a in alerts(store) if a.id == alert.id]
    assert stored_alert.delivered_at and stored_alert.delivery_attempts == 2


def test_an_unreachable_webhook_is_recorded_and_kept_for_later(store):
    save_query(store, "aze-rus", dyad=("AZE", "RUS"), webhook="http://127.0.0.1:9/hook")
    add(store, accusation("2023-02-01"))
    check_alerts(store)
    (failed,) = deliver_webhooks(store)
    assert not failed.delivered and "ConnectError" in (failed.error or "")
    (alert,) = alerts(store)
    assert alert.delivered_at is None and alert.delivery_error == failed.error


def test_a_search_query_asks_the_full_text_index_only_about_documents_it_has_not_seen(store):
    add(store, *REPORTS)
    ids = [r["document"]["id"] for r in REPORTS]
    lachin = {r["document"]["id"] for r in REPORTS if "Lachin" in r["document"]["text"]}
    assert lachin and store.documents_matching("Lachin", ids) == lachin
    assert store.documents_matching("Lachin", []) == set()
    assert store.documents_matching("Lachin", [i for i in ids if i not in lachin]) == set()
