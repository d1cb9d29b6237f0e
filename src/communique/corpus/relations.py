"""Relations analytics over the stored real-world events (``event_clusters``), defined in docs/corpus.md.

    dyad_series(store, "AZE", "KGZ", by="month")   directed dyad series: counts by type and quad class, scores
    balance(store, "AZE", by="year")                multi-vector balance toward the centres of power
    convergence(store, "AZE", "KGZ", by="year")     dyadic score trend, and similarity of stances to third parties
    network(store, since=..., until=...)            the relation network of a period
    explain(store, cluster_ids)                     the events, documents and evidence behind any number

Every number of every result carries the ids of the real-world events (clusters) it is computed from
(``clusters`` on each row or cell); :func:`explain` turns those into the reports and their evidence sentences.
Aggregation happens in SQL; Python only reshapes the grouped rows and does the arithmetic across groups.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from communique import vocabulary
from communique.corpus.trend import slope
from communique.errors import CommuniqueError
from communique.resources import load_yaml

if TYPE_CHECKING:
    from communique.corpus.store import Store
    from communique.kb.unga import CentreSeries, DistanceSeries

QUADS = vocabulary.QUADS
COOPERATIVE = vocabulary.COOPERATIVE_QUADS  # the quad classes that count as cooperation


@dataclass
class Centre:
    """A centre of power: a name, member states (codes) and the organisation's own names."""

    name: str
    label: str
    members: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()

    @property
    def parties(self) -> tuple[str, ...]:
        return self.members + self.organizations


@cache
def default_centres() -> tuple[Centre, ...]:
    """The default centres (RUS, USA, EU, CHN, TUR, OTS) from the packaged data file."""
    return load_centres(load_yaml("corpus", "centres.yaml"))


def load_centres(data: dict[str, Any]) -> tuple[Centre, ...]:
    """Centres from a mapping shaped like data/corpus/centres.yaml."""
    try:
        return tuple(
            Centre(
                str(c["name"]),
                str(c.get("label") or c["name"]),
                tuple(str(m) for m in c.get("members", [])),
                tuple(str(o) for o in c.get("organizations", [])),
            )
            for c in data["centres"]
        )
    except (KeyError, TypeError) as exc:
        raise CommuniqueError(f"centres file is malformed: {exc!r}") from exc


def _date_filter(since: str | None, until: str | None, column: str = "event_date") -> tuple[str, list[Any]]:
    sql, params = "", []
    if since:
        sql += f" AND {column} >= ?"
        params.append(since)
    if until:
        sql += f" AND {column} <= ?"
        params.append(until)
    return sql, params


def set_aside_by_language(store: Store, since: str | None = None, until: str | None = None) -> dict[str, int]:
    """Stored documents of the period not in English, by language: they hold no events, so no number counts them.

    A document counts by its publication date (undated ones only when no period is given).
    """
    dates, params = _date_filter(since, until, "published")
    rows = store.query(
        f"SELECT language, count(*) FROM documents WHERE language <> 'en'{dates} GROUP BY language ORDER BY language",
        params,
    )
    return {str(code): int(n) for code, n in rows}


def _ids(value: str | None) -> list[str]:
    return sorted(value.split(",")) if value else []


# -- directed dyad series -------------------------------------------------------------------------------------


@dataclass
class DyadPeriod:
    period: str
    events: int = 0  # real-world events (clusters)
    reports: int = 0  # event mentions merged into them
    sources: int = 0  # sum over events of distinct outlets reporting each
    score_sum: float = 0.0
    by_type: dict[str, int] = field(default_factory=dict)
    by_quad: dict[str, int] = field(default_factory=dict)
    clusters: list[str] = field(default_factory=list)

    @property
    def score_mean(self) -> float | None:
        return self.score_sum / self.events if self.events else None


@dataclass
class DyadSeries:
    actor: str
    recipient: str
    by: str
    periods: list[DyadPeriod]
    set_aside_by_language: dict[str, int] = field(default_factory=dict)  # see set_aside_by_language()


def dyad_series(
    store: Store,
    actor: str,
    recipient: str,
    by: str = "month",
    since: str | None = None,
    until: str | None = None,
) -> DyadSeries:
    """Events from ``actor`` to ``recipient`` per period: counts by PLOVER type and quad class, score sum/mean."""
    period = store.period("event_date", by)
    dates, params = _date_filter(since, until)
    rows = store.query(
        f"SELECT {period} AS p, type, quad_class, count(*), sum(score), sum(sources), sum(reports), "
        f"{store.group_concat('id')} FROM event_clusters WHERE actor = ? AND recipient = ?{dates} "
        "GROUP BY p, type, quad_class ORDER BY p, type",
        [actor, recipient, *params],
    )
    periods: dict[str, DyadPeriod] = {}
    for p, type_, quad, n, score, sources, reports, ids in rows:
        cell = periods.setdefault(p, DyadPeriod(p))
        cell.events += int(n)
        cell.score_sum += float(score)
        cell.sources += int(sources)
        cell.reports += int(reports)
        cell.by_type[type_] = cell.by_type.get(type_, 0) + int(n)
        cell.by_quad[quad] = cell.by_quad.get(quad, 0) + int(n)
        cell.clusters.extend(_ids(ids))
    for cell in periods.values():
        cell.clusters.sort()
        cell.score_sum = round(cell.score_sum, 4)
    return DyadSeries(
        actor, recipient, by, list(periods.values()), set_aside_by_language(store, since, until)
    )


# -- multi-vector balance -------------------------------------------------------------------------------------


@dataclass
class CentreCell:
    centre: str
    cooperative: int = 0  # cooperative real-world events with the centre
    conflictual: int = 0
    share: float | None = None  # cooperative / all cooperative events with any centre
    net_score: float = 0.0  # sum of the PLOVER scores of all events with the centre
    clusters: list[str] = field(default_factory=list)


@dataclass
class BalancePeriod:
    period: str
    centres: dict[str, CentreCell]
    evenness: float | None  # normalised Shannon entropy of the shares; None without cooperative events


@dataclass
class Balance:
    country: str
    by: str
    direction: str
    centres: tuple[Centre, ...]
    periods: list[BalancePeriod]
    set_aside_by_language: dict[str, int] = field(default_factory=dict)  # see set_aside_by_language()
    ideal_points: CentreSeries | None = None  # UN General Assembly ideal points per year (unga.py)


def centre_case(centres: Sequence[Centre], country: str, column: str) -> tuple[str, list[Any]]:
    """SQL CASE naming the first centre whose parties include ``column`` (never the country's own)."""
    parts, params = [], []
    for centre in centres:
        parties = [p for p in centre.parties if p != country]
        if parties:
            parts.append(f"WHEN {column} IN ({', '.join('?' * len(parties))}) THEN ?")
            params += [*parties, centre.name]
    return "CASE " + " ".join(parts) + " END", params


def balance(
    store: Store,
    country: str,
    centres: Sequence[Centre] | None = None,
    by: str = "year",
    since: str | None = None,
    until: str | None = None,
    direction: str = "both",
) -> Balance:
    """How a country's engagement is spread over the centres of power, per period (docs/corpus.md)."""
    centres = tuple(centres or default_centres())
    if direction not in ("both", "out", "in"):
        raise CommuniqueError(f"direction must be both, out or in, not {direction!r}")
    period = store.period("event_date", by)
    dates, date_params = _date_filter(since, until)
    legs, params = [], []
    if direction in ("both", "out"):
        legs.append(
            f"SELECT {period} AS p, recipient AS party, quad_class, score, id FROM event_clusters "
            f"WHERE actor = ?{dates}"
        )
        params += [country, *date_params]
    if direction in ("both", "in"):
        legs.append(
            f"SELECT {period} AS p, actor AS party, quad_class, score, id FROM event_clusters "
            f"WHERE recipient = ?{dates}"
        )
        params += [country, *date_params]
    case, case_params = centre_case(centres, country, "party")
    coop = ", ".join("?" * len(COOPERATIVE))
    rows = store.query(
        f"SELECT p, centre, cooperative, count(*), sum(score), {store.group_concat('id')} FROM ("
        f"SELECT p, {case} AS centre, CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END AS cooperative, score, id "
        f"FROM ({' UNION ALL '.join(legs)}) legs) engaged WHERE centre IS NOT NULL "
        "GROUP BY p, centre, cooperative ORDER BY p",
        [*case_params, *COOPERATIVE, *params],
    )
    names = [c.name for c in centres]
    periods: dict[str, dict[str, CentreCell]] = {}
    for p, centre, cooperative, n, score, ids in rows:
        cells = periods.setdefault(p, {name: CentreCell(name) for name in names})
        cell = cells[centre]
        if int(cooperative):
            cell.cooperative += int(n)
        else:
            cell.conflictual += int(n)
        cell.net_score = round(cell.net_score + float(score), 4)
        cell.clusters = sorted(cell.clusters + _ids(ids))
    result = []
    for p, cells in periods.items():
        total = sum(c.cooperative for c in cells.values())
        exact = [c.cooperative / total for c in cells.values()] if total else []
        for cell, share in zip(cells.values(), exact, strict=False):
            cell.share = round(share, 4)
        result.append(BalancePeriod(p, cells, evenness(exact) if total else None))
    from communique.kb.unga import centre_points

    return Balance(
        country,
        by,
        direction,
        centres,
        result,
        set_aside_by_language(store, since, until),
        centre_points(store, country, centres, since, until),
    )


def evenness(shares: Sequence[float]) -> float | None:
    """Shannon entropy of the shares divided by its maximum, ln(number of centres): 1 perfectly even, 0 one only."""
    if len(shares) < 2 or not sum(shares):
        return None
    entropy = -sum(s * math.log(s) for s in shares if s > 0)
    return round(entropy / math.log(len(shares)), 4) + 0.0  # + 0.0 turns the -0.0 of a single share into 0.0


# -- convergence ----------------------------------------------------------------------------------------------


@dataclass
class ConvergencePeriod:
    period: str
    dyad_events: int = 0  # real-world events between the two, either direction
    dyad_score_sum: float = 0.0
    dyad_score_mean: float | None = None
    shared_parties: list[str] = field(default_factory=list)  # third parties both engaged with
    similarity: float | None = None  # of their mean scores toward the shared third parties
    dyad_clusters: list[str] = field(default_factory=list)
    third_party_clusters: list[str] = field(default_factory=list)
    ideal_point_distance: float | None = None  # UN vote distance of the period's year (unga.py), if loaded


@dataclass
class Convergence:
    a: str
    b: str
    by: str
    measure: str
    periods: list[ConvergencePeriod]
    score_trend: float | None  # OLS slope of the dyadic mean score per period step
    similarity_trend: float | None  # OLS slope of the similarity per period step
    set_aside_by_language: dict[str, int] = field(default_factory=dict)  # see set_aside_by_language()
    ideal_points: DistanceSeries | None = None  # distance of their UN General Assembly ideal points per year


def convergence(
    store: Store,
    a: str,
    b: str,
    by: str = "year",
    since: str | None = None,
    until: str | None = None,
    measure: str = "cosine",
) -> Convergence:
    """Are two countries moving together? Their dyadic score over time, and how alike they treat third parties."""
    if measure not in ("cosine", "pearson"):
        raise CommuniqueError(f"measure must be cosine or pearson, not {measure!r}")
    period = store.period("event_date", by)
    dates, date_params = _date_filter(since, until)
    dyad = store.query(
        f"SELECT {period} AS p, count(*), sum(score), {store.group_concat('id')} FROM event_clusters "
        f"WHERE ((actor = ? AND recipient = ?) OR (actor = ? AND recipient = ?)){dates} GROUP BY p ORDER BY p",
        [a, b, b, a, *date_params],
    )
    thirds = store.query(
        f"SELECT p, focal, third, count(*), sum(score), {store.group_concat('id')} FROM ("
        f"SELECT {period} AS p, actor AS focal, recipient AS third, score, id FROM event_clusters "
        f"WHERE actor IN (?, ?) AND recipient NOT IN (?, ?){dates} UNION ALL "
        f"SELECT {period} AS p, recipient AS focal, actor AS third, score, id FROM event_clusters "
        f"WHERE recipient IN (?, ?) AND actor NOT IN (?, ?){dates}) legs "
        "GROUP BY p, focal, third ORDER BY p, third",
        [a, b, a, b, *date_params, a, b, a, b, *date_params],
    )
    periods: dict[str, ConvergencePeriod] = {}
    for p, n, score, ids in dyad:
        periods[p] = ConvergencePeriod(
            p, int(n), round(float(score), 4), round(float(score) / int(n), 4), dyad_clusters=_ids(ids)
        )
    stances: dict[str, dict[str, dict[str, tuple[float, list[str]]]]] = defaultdict(lambda: defaultdict(dict))
    for p, focal, third, n, score, ids in thirds:
        stances[p][focal][third] = (float(score) / int(n), _ids(ids))
    for p, by_focal in stances.items():
        cell = periods.setdefault(p, ConvergencePeriod(p))
        shared = sorted(set(by_focal.get(a, {})) & set(by_focal.get(b, {})))
        cell.shared_parties = shared
        if shared:
            x = [by_focal[a][t][0] for t in shared]
            y = [by_focal[b][t][0] for t in shared]
            cell.similarity = cosine(x, y) if measure == "cosine" else pearson(x, y)
            cell.third_party_clusters = sorted(
                {i for t in shared for focal in (a, b) for i in by_focal[focal][t][1]}
            )
    ordered = [periods[p] for p in sorted(periods)]
    from communique.kb.unga import distance_series

    votes = distance_series(store, a, b, since, until)
    distances = {y.year: y.distance for y in votes.years}
    for cell in ordered:
        cell.ideal_point_distance = distances.get(int(cell.period[:4]))
    score_points = [
        (period_index(c.period, by), c.dyad_score_mean) for c in ordered if c.dyad_score_mean is not None
    ]
    similarity_points = [
        (period_index(c.period, by), c.similarity) for c in ordered if c.similarity is not None
    ]
    return Convergence(
        a,
        b,
        by,
        measure,
        ordered,
        slope(score_points),
        slope(similarity_points),
        set_aside_by_language(store, since, until),
        votes,
    )


def cosine(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Cosine similarity of two vectors; None when either is all zeros."""
    nx = math.sqrt(sum(v * v for v in x))
    ny = math.sqrt(sum(v * v for v in y))
    if not nx or not ny:
        return None
    return round(sum(p * q for p, q in zip(x, y, strict=True)) / (nx * ny), 4)


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson correlation; None with fewer than three points or a constant vector."""
    if len(x) < 3:
        return None
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return cosine([v - mx for v in x], [v - my for v in y])


def period_index(label: str, by: str) -> int:
    """Consecutive integers for consecutive periods (so a gap of two months counts as two steps)."""
    if by == "year":
        return int(label[:4])
    if by == "month":
        return int(label[:4]) * 12 + int(label[5:7]) - 1
    ordinal = date.fromisoformat(label[:10]).toordinal()
    return ordinal // 7 if by == "week" else ordinal


# -- network --------------------------------------------------------------------------------------------------


@dataclass
class Edge:
    actor: str
    recipient: str
    events: int
    net_score: float
    cooperative: int
    conflictual: int
    sources: int
    clusters: list[str]


@dataclass
class Network:
    since: str | None
    until: str | None
    nodes: dict[str, dict[str, Any]]  # party -> {"events": n, "out": n, "in": n, "net_score": x}
    edges: list[Edge]
    set_aside_by_language: dict[str, int] = field(default_factory=dict)  # see set_aside_by_language()


def network(store: Store, since: str | None = None, until: str | None = None, min_events: int = 1) -> Network:
    """Actors as nodes, directed edges weighted by the net PLOVER score of their events in the period."""
    dates, params = _date_filter(since, until)
    coop = ", ".join("?" * len(COOPERATIVE))
    rows = store.query(
        f"SELECT actor, recipient, count(*), sum(score), sum(CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END), "
        f"sum(sources), {store.group_concat('id')} FROM event_clusters WHERE 1 = 1{dates} "
        "GROUP BY actor, recipient HAVING count(*) >= ? ORDER BY actor, recipient",
        [*COOPERATIVE, *params, min_events],
    )
    edges = [
        Edge(s, t, int(n), round(float(score), 4), int(c), int(n) - int(c), int(src), _ids(ids))
        for s, t, n, score, c, src, ids in rows
    ]
    nodes: dict[str, dict[str, Any]] = {}
    for e in edges:
        for party, key in ((e.actor, "out"), (e.recipient, "in")):
            node = nodes.setdefault(party, {"events": 0, "out": 0, "in": 0, "net_score": 0.0})
            node[key] += e.events
            node["events"] += e.events
            node["net_score"] = round(node["net_score"] + e.net_score, 4)
    return Network(
        since, until, dict(sorted(nodes.items())), edges, set_aside_by_language(store, since, until)
    )


# -- evidence -------------------------------------------------------------------------------------------------


@dataclass
class Evidence:
    cluster_id: str
    type: str
    actor: str
    recipient: str
    event_date: str
    score: float
    event_id: str
    document_id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    text: str | None  # the evidence sentence of the report
    corrected: bool = False  # an analyst corrected or added the report (corpus/corrections.py)


def explain(store: Store, cluster_ids: Sequence[str]) -> list[Evidence]:
    """Every report (event in a document) behind the given real-world events, with its evidence sentence."""
    found: list[Evidence] = []
    ids = sorted(set(cluster_ids))
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        rows = store.query(
            "SELECT c.id, c.type, c.actor, c.recipient, c.event_date, c.score, es.event_id, es.document_id, "
            "d.title, d.source, d.published, d.url, ev.text, e.correction_id FROM event_clusters c "
            "JOIN event_sources es ON es.cluster_id = c.id JOIN documents d ON d.id = es.document_id "
            "JOIN events e ON e.id = es.event_id "
            "LEFT JOIN event_evidence ev ON ev.event_id = es.event_id AND ev.idx = 0 "
            f"WHERE c.id IN ({', '.join('?' * len(chunk))}) ORDER BY c.event_date, c.id, es.event_id",
            chunk,
        )
        found += [
            Evidence(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                float(r[5]),
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                r[11],
                r[12],
                r[13] is not None,
            )
            for r in rows
        ]
    found.sort(key=lambda e: (e.event_date, e.cluster_id, e.event_id))
    return found
