"""The alerts and corrections endpoints: alerts with their evidence and unread counts, the Atom feed per saved
query, corrections through the API (the token required), and the Relations answer following a correction."""

from __future__ import annotations

import feedparser
import pytest
from corpus_records import REPORTS, record, stored

from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from tests.api.test_api import LOOPBACK, OUTSIDE, TOKEN, client_at

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ACCUSATION = "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin."
NEW = "Azerbaijan accused Russia of shelling <b>villages</b> near Tovuz & Gazakh."


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(store)
    return str(path)


@pytest.fixture
def client(db):
    from communique.api.app import create_app

    with client_at(create_app(db, token=TOKEN), LOOPBACK) as c:
        yield c


def add(db: str, *records: dict) -> None:
    with open_store(db) as store:
        store.write_batch(None, [stored(r) for r in records])
        merge_events(store)


def event_id(db: str, text: str = ACCUSATION) -> str:
    with open_store(db) as store:
        return store.query(
            "SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.text = ?", (text,)
        )[0][0]


def test_a_saved_query_needs_the_token_and_its_alerts_carry_their_evidence(db, client):
    query = {"name": "aze-rus", "dyad": ["Azerbaijan", "RUS"], "event_types": ["ACCUSE"]}
    assert client.post("/api/alerts/queries", json=query).status_code == 401
    saved = client.post("/api/alerts/queries", json=query, headers=AUTH)
    assert saved.status_code == 200, saved.text
    assert (saved.json()["actor"], saved.json()["recipient"]) == ("AZE", "RUS")
    add(db, record(NEW, "2023-02-01", [("ACCUSE", "AZE", "RUS")]))
    assert client.post("/api/alerts/check").status_code == 401
    checked = client.post("/api/alerts/check", headers=AUTH).json()
    assert [a["summary"] for a in checked["alerts"]] == ["ACCUSE AZE → RUS on 2023-02-01"]
    assert client.get("/api/alerts/unread").json() == {"total": 1, "by_query": {"aze-rus": 1}}
    page = client.get("/api/alerts").json()
    (alert,) = page["items"]
    (evidence,) = alert["evidence"]
    assert evidence["text"] == NEW and (evidence["start"], evidence["end"]) == (0, len(NEW))
    assert page["queries"][0]["unread"] == 1 and page["queries"][0]["feed"].endswith(".atom")
    assert client.post("/api/alerts/read", json={"all": True}).status_code == 401
    assert client.post("/api/alerts/read", json={"ids": [alert["id"]]}, headers=AUTH).json() == {"marked": 1}
    assert client.get("/api/alerts/unread").json()["total"] == 0
    assert client.post("/api/alerts/check", headers=AUTH).json()["alerts"] == []  # once per event


def test_a_bad_saved_query_is_a_400_naming_the_problem(client):
    r = client.post(
        "/api/alerts/queries", json={"name": "q", "dyad": ["AZE", "RUS"], "event_types": ["X"]}, headers=AUTH
    )
    assert r.status_code == 400 and "not PLOVER 2.0 types: X" in r.json()["error"]


def test_the_atom_feed_validates_and_escapes_the_evidence(db, client):
    client.post("/api/alerts/queries", json={"name": "aze-rus", "dyad": ["AZE", "RUS"]}, headers=AUTH)
    add(db, record(NEW, "2023-02-01", [("ACCUSE", "AZE", "RUS")]))
    client.post("/api/alerts/check", headers=AUTH)
    query_id = client.get("/api/alerts").json()["queries"][0]["id"]
    r = client.get(f"/api/alerts/feeds/{query_id}.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(r.content)
    assert not feed.bozo and [e.title for e in feed.entries] == ["ACCUSE AZE → RUS on 2023-02-01"]
    assert "<b>villages</b>" not in r.text and "&lt;b&gt;villages&lt;/b&gt;" in r.text
    assert feed.entries[0].link.startswith("http://127.0.0.1/ui/article/")
    assert client.get("/api/alerts/feeds/99.atom").status_code == 400


def test_reads_from_outside_loopback_need_the_token(db):
    from communique.api.app import create_app

    with client_at(create_app(db, token=TOKEN), OUTSIDE) as outside:
        assert outside.get("/api/alerts").status_code == 401
        assert outside.get("/api/corrections").status_code == 401
        assert outside.get("/api/alerts", headers=AUTH).status_code == 200


def test_a_correction_through_the_api_changes_the_relations_answer_and_is_listed(db, client):
    target = event_id(db)
    body = {"recipient": ["ARM"], "by": "ana", "note": "the target"}
    assert client.post(f"/api/events/{target}/corrections", json=body).status_code == 401
    before = client.get("/api/relations", params={"a": "AZE", "b": "ARM"}).json()
    client.post("/api/alerts/queries", json={"name": "aze-arm", "dyad": ["AZE", "ARM"]}, headers=AUTH)
    made = client.post(f"/api/events/{target}/corrections", json=body, headers=AUTH)
    assert made.status_code == 200, made.text
    assert made.json()["current_event"] == target and made.json()["original"]["type"] == "ACCUSE"
    after = client.get("/api/relations", params={"a": "AZE", "b": "ARM"}).json()
    assert before != after  # the read cache saw the correction
    assert client.get("/api/alerts/unread").json()["by_query"] == {"aze-arm": 1}  # it matches a query now
    (listed,) = client.get("/api/corrections", params={"document": target.split(":")[0]}).json()["items"]
    assert (listed["corrected_by"], listed["changes"]) == ("ana", {"recipient": ["ARM"]})
    bad = client.post(f"/api/events/{target}/corrections", json={"type": "SHOUT", "by": "ana"}, headers=AUTH)
    assert bad.status_code == 400 and "not a PLOVER 2.0 type" in bad.json()["error"]


def test_a_missed_event_is_added_from_a_sentence_through_the_api(db, client):
    text = "Azerbaijan's foreign minister met his counterpart from Kyrgyzstan in Bishkek on Monday."
    rec = record(text, "2022-10-10", [])
    rec["actors"] = record(text, "2022-10-10", [("CONSULT", "AZE", "KGZ")])["actors"]
    add(db, rec)
    doc = rec["document"]["id"]
    body = {
        "sentence": 0,
        "type": "CONSULT",
        "actor": ["AZE"],
        "recipient": ["KGZ"],
        "trigger": "met",
        "by": "ana",
    }
    assert client.post(f"/api/documents/{doc}/events", json=body).status_code == 401
    made = client.post(f"/api/documents/{doc}/events", json=body, headers=AUTH)
    assert made.status_code == 200, made.text
    assert made.json()["action"] == "add" and made.json()["current_event"] == f"{doc}:0"
    events = client.get(f"/api/documents/{doc}").json()["events"]
    assert [(e["type"], e["trigger"]["text"], e["evidence"]["text"]) for e in events] == [
        ("CONSULT", "met", text)
    ]
    assert client.post("/api/documents/nope/events", json=body, headers=AUTH).status_code == 404
