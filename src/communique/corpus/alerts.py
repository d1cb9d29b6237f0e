"""Saved queries and the alerts they raise: new matching real-world events, and changes against a baseline.

    save_query(store, "aze-rus", dyad=("AZE", "RUS"), event_types=["ACCUSE"], deviation=2.0)  -> SavedQuery
    check_alerts(store)          -> the new alerts (the watch calls it after every poll that stored documents)
    alerts(store, unread=True)   -> alerts, newest first; alert_evidence(store, alert) -> the events behind one
    atom_feed(store, query, base_url)  -> an Atom 1.0 document of a query's alerts
    deliver_webhooks(store)      -> POST each alert not yet delivered to its query's webhook

A query is one of three kinds: a full-text ``search`` (events in the documents it finds), a directed ``dyad``
(actor -> recipient), or a country's ``balance`` (its events with the centres of power, either direction);
each may name PLOVER event types and a minimum confidence. Only counted events match (``event_sources``, see
docs/corpus.md).

**Event alerts.** One alert per new real-world event (``event_clusters``) with a matching report. Every matching
event id a query has seen is recorded in ``alert_events`` (the events stored when it was saved too, without an
alert), so a real-world event alerts once however often the check runs: a further report of an event that has
alerted joins that alert.

**Change alerts** (``deviation`` k set): a dyad's monthly mean PLOVER score, or each centre's share of a
country's cooperative events, in the latest month with events, against the trailing baseline of the
``baseline_months`` months with events before it (at least :data:`MIN_BASELINE`): an alert when the value is
more than k sample standard deviations from the baseline mean. Each (measure, month) alerts once.

**Webhook.** An alert of a query with a webhook is POSTed as JSON (with its evidence); it is marked delivered
when the receiver answers 2xx, and tried again at the next delivery otherwise. The body and the
``Idempotency-Key`` header carry the alert's id, so a receiver can drop a repeat whose answer was lost.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from communique.errors import InputError

if TYPE_CHECKING:
    from communique.corpus.store import Store

KINDS = ("search", "dyad", "balance")
MIN_BASELINE = 3  # months with events before the latest one, at least, for a change alert


@dataclass
class SavedQuery:
    id: int
    name: str
    kind: str
    search: str | None = None
    actor: str | None = None
    recipient: str | None = None
    country: str | None = None
    event_types: list[str] = field(default_factory=list)
    min_confidence: float | None = None
    deviation: float | None = None
    baseline_months: int = 12
    webhook: str | None = None
    created_at: str = ""

    def describe(self) -> str:
        """What the query watches, in a few words."""
        if self.kind == "search":
            what = f"search {self.search!r}"
        elif self.kind == "dyad":
            what = f"{self.actor} → {self.recipient}"
        else:
            what = f"balance of {self.country}"
        if self.event_types:
            what += " (" + ", ".join(self.event_types) + ")"
        if self.min_confidence is not None:
            what += f", confidence ≥ {self.min_confidence:g}"
        if self.deviation is not None:
            what += f", change > {self.deviation:g} SD over {self.baseline_months} months"
        return what


@dataclass
class Alert:
    id: int
    query_id: int
    query: str  # the saved query's name
    kind: str  # event | deviation
    summary: str
    events: list[str]
    created_at: str
    cluster_id: str | None = None
    period: str | None = None
    measure: str | None = None
    value: float | None = None
    baseline_mean: float | None = None
    baseline_sd: float | None = None
    read_at: str | None = None
    delivery_attempts: int = 0
    delivered_at: str | None = None
    delivery_error: str | None = None


@dataclass
class AlertEvidence:
    """One event behind an alert: where it is told, with its evidence sentence and offsets."""

    event_id: str
    document_id: str
    type: str
    status: str | None
    sentence: int | None
    text: str | None  # the evidence span
    start: int | None
    end: int | None
    title: str | None
    source: str | None
    published: str | None
    url: str | None
    corrected: bool


_QUERY_COLUMNS = (
    "id, name, kind, search, actor, recipient, country, event_types, min_confidence, deviation, "
    "baseline_months, webhook, created_at"
)


def _query(row: Sequence[Any]) -> SavedQuery:
    return SavedQuery(
        int(row[0]),
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6],
        json.loads(row[7]),
        None if row[8] is None else float(row[8]),
        None if row[9] is None else float(row[9]),
        int(row[10]),
        row[11],
        row[12],
    )


def saved_queries(store: Store) -> list[SavedQuery]:
    return [_query(r) for r in store.query(f"SELECT {_QUERY_COLUMNS} FROM saved_queries ORDER BY name")]


def saved_query(store: Store, name_or_id: str | int) -> SavedQuery:
    """The saved query of that name (or id); InputError naming the saved ones when there is none."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        rows = store.query(
            f"SELECT {_QUERY_COLUMNS} FROM saved_queries WHERE id = ? OR name = ?",
            (int(name_or_id), str(name_or_id)),
        )
    else:
        rows = store.query(f"SELECT {_QUERY_COLUMNS} FROM saved_queries WHERE name = ?", (name_or_id,))
    if not rows:
        names = ", ".join(q.name for q in saved_queries(store)) or "none yet"
        raise InputError(f"no saved query {name_or_id!r} (saved: {names})")
    return _query(rows[0])


def save_query(
    store: Store,
    name: str,
    *,
    search: str | None = None,
    dyad: tuple[str, str] | None = None,
    country: str | None = None,
    event_types: Sequence[str] = (),
    min_confidence: float | None = None,
    deviation: float | None = None,
    baseline_months: int = 12,
    webhook: str | None = None,
) -> SavedQuery:
    """Save a query (exactly one of ``search``, ``dyad``, ``country``); the events it matches now are recorded
    as seen, so only events stored from now on alert. Raises InputError, saving nothing, for a bad query."""
    from communique.corpus.clock import now
    from communique.vocabulary import PLOVER_TYPES

    name = " ".join((name or "").split())
    if not name:
        raise InputError("a saved query needs a name")
    given = [k for k, v in (("search", search), ("dyad", dyad), ("balance", country)) if v]
    if len(given) != 1:
        raise InputError(
            "a saved query is one of: a search, a dyad (actor and recipient), a country's balance"
        )
    kind = given[0]
    if kind == "search" and not (search or "").strip():
        raise InputError("the search is empty")
    types = [t.upper() for t in event_types]
    unknown = [t for t in types if t not in PLOVER_TYPES]
    if unknown:
        raise InputError(f"not PLOVER 2.0 types: {', '.join(unknown)} (types: {', '.join(PLOVER_TYPES)})")
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise InputError(f"the minimum confidence is between 0 and 1, not {min_confidence}")
    if deviation is not None:
        if kind == "search":
            raise InputError("change alerts watch a dyad's score or a balance share: not a search")
        if not deviation > 0:
            raise InputError(f"the deviation is a positive number of standard deviations, not {deviation}")
    if baseline_months < MIN_BASELINE:
        raise InputError(f"the baseline needs at least {MIN_BASELINE} months, not {baseline_months}")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise InputError(f"the webhook is an http:// or https:// URL, not {webhook!r}")
    if store.query("SELECT 1 FROM saved_queries WHERE name = ?", (name,)):
        raise InputError(f"a query named {name!r} is saved already (delete it first to change it)")
    actor, recipient = dyad if dyad else (None, None)
    with store.transaction():
        cursor = store.execute(
            "INSERT INTO saved_queries (name, kind, search, actor, recipient, country, event_types, "
            "min_confidence, deviation, baseline_months, webhook, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                name,
                kind,
                search.strip() if search else None,
                actor,
                recipient,
                country,
                json.dumps(types),
                min_confidence,
                deviation,
                baseline_months,
                webhook,
                now(),
            ),
        )
        query = saved_query(store, int(cursor.fetchone()[0]))
        seen = sorted({event_id for event_id, *_ in _new_matches(store, query)})
        store.executemany(
            "INSERT INTO alert_events (query_id, event_id, alert_id) VALUES (?, ?, NULL) ON CONFLICT DO NOTHING",
            [(query.id, e) for e in seen],
        )
    return query


def delete_query(store: Store, name: str) -> None:
    """Delete a saved query and its alerts."""
    query = saved_query(store, name)
    with store.transaction():
        for table in ("alert_events", "alerts"):
            store.execute(f"DELETE FROM {table} WHERE query_id = ?", (query.id,))
        store.execute("DELETE FROM saved_queries WHERE id = ?", (query.id,))


# -- matching ---------------------------------------------------------------------------------------------------


def _new_matches(store: Store, query: SavedQuery) -> list[tuple[str, str, str, str, str, str, str]]:
    """(event id, cluster id, type, actor, recipient, date, document id) of the placed, counted reports matching
    ``query`` that it has not seen, in date and id order (kind ``any``: whatever the kind would restrict)."""
    where: list[str] = ["es.cluster_id IS NOT NULL"]
    params: list[Any] = []
    if query.kind == "any":
        pass
    elif query.kind == "dyad":
        where.append("es.actor = ? AND es.recipient = ?")
        params += [query.actor, query.recipient]
    elif query.kind == "balance":
        from communique.corpus.relations import default_centres

        parties = sorted({p for c in default_centres() for p in c.parties if p != query.country})
        marks = ", ".join("?" * len(parties))
        where.append(
            f"((es.actor = ? AND es.recipient IN ({marks})) OR (es.recipient = ? AND es.actor IN ({marks})))"
        )
        params += [query.country, *parties, query.country, *parties]
    else:
        # The full-text search is asked only about the documents of events this query has not seen yet.
        unseen = _new_matches(store, SavedQuery(**{**query.__dict__, "kind": "any"}))
        documents = sorted(store.documents_matching(query.search or "", [m[6] for m in unseen]))
        if not documents:
            return []
        return [m for m in unseen if m[6] in set(documents)]
    if query.event_types:
        where.append(f"es.type IN ({', '.join('?' * len(query.event_types))})")
        params += query.event_types
    if query.min_confidence is not None:
        where.append("(e.confidence IS NULL OR e.confidence >= ?)")
        params.append(query.min_confidence)
    rows = store.query(
        "SELECT es.event_id, es.cluster_id, es.type, es.actor, es.recipient, es.event_date, es.document_id "
        "FROM event_sources es "
        "JOIN events e ON e.id = es.event_id WHERE "
        + " AND ".join(where)
        + " AND NOT EXISTS (SELECT 1 FROM alert_events ae WHERE ae.query_id = ? AND ae.event_id = es.event_id) "
        "ORDER BY es.event_date, es.event_id, es.actor, es.recipient",
        [*params, query.id],
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def check_alerts(store: Store, queries: Sequence[SavedQuery] | None = None) -> list[Alert]:
    """Raise the alerts every saved query (or those given) has for what the store holds now; return them."""
    made: list[int] = []
    for query in saved_queries(store) if queries is None else queries:
        with store.transaction():
            made += _event_alerts(store, query)
            if query.deviation is not None:
                made += _change_alerts(store, query)
    return alerts_by_id(store, made)


def _insert_alert(store: Store, query: SavedQuery, key: str, values: dict[str, Any]) -> int | None:
    from communique.corpus.clock import now

    columns = ["query_id", "alert_key", "created_at", *values]
    cursor = store.execute(
        f"INSERT INTO alerts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
        "ON CONFLICT DO NOTHING RETURNING id",
        [query.id, key, now(), *values.values()],
    )
    row = cursor.fetchone()
    return int(row[0]) if row else None


def _event_alerts(store: Store, query: SavedQuery) -> list[int]:
    by_cluster: dict[str, list[tuple[str, str, str, str, str, str, str]]] = {}
    for match in _new_matches(store, query):
        by_cluster.setdefault(match[1], []).append(match)
    made: list[int] = []
    for cluster_id, matches in by_cluster.items():
        event_ids = sorted({m[0] for m in matches})
        # A real-world event this query has seen (an alert, or stored before it was saved) does not alert again.
        known = store.query(
            "SELECT ae.alert_id FROM alert_events ae JOIN event_sources es ON es.event_id = ae.event_id "
            "WHERE ae.query_id = ? AND es.cluster_id = ? "
            "ORDER BY CASE WHEN ae.alert_id IS NULL THEN 1 ELSE 0 END, ae.alert_id LIMIT 1",
            (query.id, cluster_id),
        )
        if known:
            alert_id = known[0][0]
            if alert_id is not None:
                events = json.loads(store.query("SELECT events FROM alerts WHERE id = ?", (alert_id,))[0][0])
                store.execute(
                    "UPDATE alerts SET events = ? WHERE id = ?",
                    (json.dumps(sorted(set(events) | set(event_ids))), alert_id),
                )
        else:
            _, _, type_, actor, recipient, day, _ = matches[0]
            reports = len(event_ids)
            summary = f"{type_} {actor} → {recipient} on {day}" + (
                f" ({reports} reports)" if reports > 1 else ""
            )
            alert_id = _insert_alert(
                store,
                query,
                f"event:{event_ids[0]}",
                {
                    "kind": "event",
                    "summary": summary,
                    "cluster_id": cluster_id,
                    "events": json.dumps(event_ids),
                },
            )
            if alert_id is not None:
                made.append(alert_id)
        store.executemany(
            "INSERT INTO alert_events (query_id, event_id, alert_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [(query.id, e, alert_id) for e in event_ids],
        )
    return made


# -- change against the baseline -----------------------------------------------------------------------------


@dataclass
class Deviation:
    period: str
    value: float
    mean: float
    sd: float

    @property
    def sigmas(self) -> float:
        return math.inf if self.sd == 0 else abs(self.value - self.mean) / self.sd


def deviation(series: Sequence[tuple[str, float]], k: float, baseline: int = 12) -> Deviation | None:
    """The latest point of a (period, value) series, when it is more than ``k`` sample standard deviations from
    the mean of the ``baseline`` points before it (at least :data:`MIN_BASELINE`); else None. A value equal to
    a constant baseline is no deviation; any other value against a constant baseline is one."""
    if len(series) < MIN_BASELINE + 1:
        return None
    period, value = series[-1]
    before = [v for _, v in series[-1 - baseline : -1]]
    mean = sum(before) / len(before)
    sd = math.sqrt(sum((v - mean) ** 2 for v in before) / (len(before) - 1))
    found = Deviation(period, value, round(mean, 4), round(sd, 4))
    if abs(value - mean) <= 1e-9 or found.sigmas <= k:
        return None
    return found


def _ids(value: str | None) -> list[str]:
    return sorted(value.split(",")) if value else []


def _report_ids(store: Store, cluster_ids: Sequence[str]) -> list[str]:
    found: set[str] = set()
    ids = list(cluster_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        found.update(
            r[0]
            for r in store.query(
                f"SELECT event_id FROM event_sources WHERE cluster_id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        )
    return sorted(found)


def change_series(store: Store, query: SavedQuery) -> dict[str, list[tuple[str, float, list[str]]]]:
    """The monthly series a query's change alerts watch, by measure: ``score`` (a dyad's mean PLOVER score of
    the month's real-world events, of the query's types) or ``share:<centre>`` (a balance share), each point
    (month, value, the real-world events behind it)."""
    if query.kind == "dyad":
        types = ""
        params: list[Any] = [query.actor, query.recipient]
        if query.event_types:
            types = f" AND type IN ({', '.join('?' * len(query.event_types))})"
            params += query.event_types
        rows = store.query(
            f"SELECT {store.period('event_date', 'month')} AS p, count(*), sum(score), {store.group_concat('id')} "
            f"FROM event_clusters WHERE actor = ? AND recipient = ?{types} GROUP BY p ORDER BY p",
            params,
        )
        return {"score": [(p, round(float(s) / int(n), 4), _ids(ids)) for p, n, s, ids in rows]}
    if query.kind == "balance" and query.country:
        from communique.corpus.relations import balance

        found: dict[str, list[tuple[str, float, list[str]]]] = {}
        for period in balance(store, query.country, by="month").periods:
            for name, cell in period.centres.items():
                if cell.share is not None:
                    found.setdefault(f"share:{name}", []).append((period.period, cell.share, cell.clusters))
        return found
    return {}


def _change_alerts(store: Store, query: SavedQuery) -> list[int]:
    assert query.deviation is not None
    made: list[int] = []
    for measure, points in change_series(store, query).items():
        found = deviation([(p, v) for p, v, _ in points], query.deviation, query.baseline_months)
        if found is None:
            continue
        label = (
            f"{query.actor} → {query.recipient} mean score"
            if measure == "score"
            else f"{query.country}'s cooperative share with {measure.split(':', 1)[1]}"
        )
        sigmas = "a constant baseline" if found.sd == 0 else f"{found.sigmas:.1f} SD"
        summary = (
            f"{label} in {found.period}: {found.value:g} against a baseline of {found.mean:g} ± {found.sd:g} "
            f"({sigmas})"
        )
        alert_id = _insert_alert(
            store,
            query,
            f"deviation:{measure}:{found.period}",
            {
                "kind": "deviation",
                "summary": summary,
                "period": found.period,
                "measure": measure,
                "value": found.value,
                "baseline_mean": found.mean,
                "baseline_sd": found.sd,
                "events": json.dumps(_report_ids(store, points[-1][2])),
            },
        )
        if alert_id is not None:
            made.append(alert_id)
    return made


# -- reading alerts ---------------------------------------------------------------------------------------------

_ALERT_COLUMNS = (
    "a.id, a.query_id, q.name, a.kind, a.summary, a.events, a.created_at, a.cluster_id, a.period, a.measure, "
    "a.value, a.baseline_mean, a.baseline_sd, a.read_at, a.delivery_attempts, a.delivered_at, a.delivery_error"
)


def _alert(row: Sequence[Any]) -> Alert:
    return Alert(
        int(row[0]),
        int(row[1]),
        row[2],
        row[3],
        row[4],
        json.loads(row[5]),
        row[6],
        row[7],
        row[8],
        row[9],
        None if row[10] is None else float(row[10]),
        None if row[11] is None else float(row[11]),
        None if row[12] is None else float(row[12]),
        row[13],
        int(row[14]),
        row[15],
        row[16],
    )


def alerts(
    store: Store, query_id: int | None = None, unread: bool = False, limit: int | None = 200
) -> list[Alert]:
    """Alerts, newest first: of one saved query, if given; only the unread ones, if ``unread``."""
    where, params = ["1 = 1"], []
    if query_id is not None:
        where.append("a.query_id = ?")
        params.append(query_id)
    if unread:
        where.append("a.read_at IS NULL")
    sql = (
        f"SELECT {_ALERT_COLUMNS} FROM alerts a JOIN saved_queries q ON q.id = a.query_id "
        f"WHERE {' AND '.join(where)} ORDER BY a.id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return [_alert(r) for r in store.query(sql, params)]


def alerts_by_id(store: Store, alert_ids: Sequence[int]) -> list[Alert]:
    """These alerts, newest first."""
    found: list[Alert] = []
    ids = [int(i) for i in alert_ids]
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        found += [
            _alert(r)
            for r in store.query(
                f"SELECT {_ALERT_COLUMNS} FROM alerts a JOIN saved_queries q ON q.id = a.query_id "
                f"WHERE a.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        ]
    return sorted(found, key=lambda a: -a.id)


def unread_counts(store: Store) -> dict[str, int]:
    """Unread alerts by saved query name (queries with none are left out)."""
    rows = store.query(
        "SELECT q.name, count(*) FROM alerts a JOIN saved_queries q ON q.id = a.query_id "
        "WHERE a.read_at IS NULL GROUP BY q.name ORDER BY q.name"
    )
    return {name: int(n) for name, n in rows}


def mark_read(store: Store, alert_ids: Sequence[int] | None = None) -> int:
    """Mark these alerts (None: every alert) read; return how many were unread."""
    from communique.corpus.clock import now

    with store.transaction():
        if alert_ids is None:
            cursor = store.execute("UPDATE alerts SET read_at = ? WHERE read_at IS NULL", (now(),))
        else:
            ids = [int(i) for i in alert_ids]
            if not ids:
                return 0
            cursor = store.execute(
                f"UPDATE alerts SET read_at = ? WHERE read_at IS NULL AND id IN ({', '.join('?' * len(ids))})",
                [now(), *ids],
            )
        return int(cursor.rowcount)


def alert_evidence(store: Store, alert: Alert) -> list[AlertEvidence]:
    """The events behind an alert with their evidence sentence, offsets and article, in date order."""
    found: list[AlertEvidence] = []
    ids = list(alert.events)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = store.query(
            "SELECT e.id, e.document_id, e.type, e.status, e.sentence, ev.text, ev.char_start, ev.char_end, "
            "d.title, d.source, d.published, d.url, e.correction_id FROM events e "
            "JOIN documents d ON d.id = e.document_id "
            "LEFT JOIN event_evidence ev ON ev.event_id = e.id AND ev.idx = 0 "
            f"WHERE e.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        found += [
            AlertEvidence(
                r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12] is not None
            )
            for r in rows
        ]
    found.sort(key=lambda e: (e.published or "", e.event_id))
    return found


# -- Atom ---------------------------------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def _atom_time(stamp: str) -> str:
    """An RFC 3339 time as Atom requires (the store's UTC ISO times, with Z)."""
    return stamp.replace("+00:00", "Z") if "T" in stamp else f"{stamp}T00:00:00Z"


def atom_feed(store: Store, query: SavedQuery, base_url: str, limit: int = 100) -> str:
    """An Atom 1.0 feed of a saved query's latest alerts; each entry links the article of its first event
    (``base_url``/ui/article/ID) and lists every event behind it with its evidence sentence."""
    from communique.corpus.clock import now

    base = base_url.rstrip("/")
    found = alerts(store, query.id, limit=limit)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    sub(feed, "id", f"urn:communique:saved-query:{query.id}")
    sub(feed, "title", f"communique alerts: {query.name}")
    sub(feed, "subtitle", query.describe())
    sub(feed, "updated", _atom_time(found[0].created_at if found else query.created_at or now()))
    sub(feed, "link", rel="self", href=f"{base}/api/alerts/feeds/{query.id}.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/ui/alerts?query={query.id}")
    author = sub(feed, "author")
    sub(author, "name", "communique")
    for alert in found:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:communique:alert:{query.id}:{alert.id}")
        sub(entry, "title", alert.summary)
        sub(entry, "updated", _atom_time(alert.created_at))
        evidence = alert_evidence(store, alert)
        if evidence:
            sub(
                entry,
                "link",
                rel="alternate",
                type="text/html",
                href=f"{base}/ui/article/{evidence[0].document_id}",
            )
        lines = [alert.summary, ""] + [
            f"{e.published or 'undated'} {e.source or ''} {e.title or ''} [{e.event_id}, sentence {e.sentence}, "
            f"{e.start}-{e.end}]: {e.text or ''}"
            for e in evidence
        ]
        sub(entry, "content", "\n".join(lines), type="text")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


# -- webhooks -----------------------------------------------------------------------------------------------------


@dataclass
class Delivery:
    alert_id: int
    url: str
    delivered: bool
    error: str | None = None


Post = Callable[[str, bytes, dict[str, str]], int]  # (url, body, headers) -> HTTP status


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    import httpx

    return httpx.post(url, content=body, headers=headers, timeout=10.0).status_code


def webhook_body(store: Store, alert: Alert) -> dict[str, Any]:
    return {
        "alert": asdict(alert),
        "evidence": [asdict(e) for e in alert_evidence(store, alert)],
    }


def deliver_webhooks(store: Store, post: Post | None = None) -> list[Delivery]:
    """POST every alert not yet delivered to its query's webhook, oldest first; return what was tried. A
    failure (no answer, or not 2xx) is recorded on the alert and tried again next time."""
    from communique.corpus.clock import now

    send = post or _post
    rows = store.query(
        "SELECT a.id, q.webhook FROM alerts a JOIN saved_queries q ON q.id = a.query_id "
        "WHERE q.webhook IS NOT NULL AND a.delivered_at IS NULL ORDER BY a.id"
    )
    done: list[Delivery] = []
    by_id = {a.id: a for a in alerts_by_id(store, [r[0] for r in rows])}
    for alert_id, url in rows:
        alert = by_id[int(alert_id)]
        body = json.dumps(webhook_body(store, alert), ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": f"communique-alert-{alert.id}",
            "User-Agent": "communique alerts",
        }
        error: str | None = None
        try:
            status = send(url, body, headers)
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except Exception as exc:  # a receiver down or unreachable: kept for the next try
            error = f"{type(exc).__name__}: {exc}"
        with store.transaction():
            if error is None:
                store.execute(
                    "UPDATE alerts SET delivered_at = ?, delivery_attempts = delivery_attempts + 1, "
                    "delivery_error = NULL WHERE id = ?",
                    (now(), alert.id),
                )
            else:
                store.execute(
                    "UPDATE alerts SET delivery_attempts = delivery_attempts + 1, delivery_error = ? WHERE id = ?",
                    (error, alert.id),
                )
        done.append(Delivery(alert.id, url, error is None, error))
    return done
