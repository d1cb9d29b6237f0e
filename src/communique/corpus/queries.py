"""The store's read questions, asked in one place: what the API's pages and the CLI show.

    events_page(store, EventFilters(party="AZE", status="realized"), limit=50, offset=0) -> {"items": [...], ...}
    outlets(store, limit=100) -> {"items": [...], "total": n}

Every answer is plain data (dicts and lists, JSON-ready); a paginated one is ``{"items", "total", "limit",
"offset"}``. The SQL text of every answer lives here (or in :mod:`~communique.corpus.store.base` and
:mod:`~communique.corpus.relations`), never in the HTTP layer. Parameters are always bound (``?``), never
formatted in, except page sizes and offsets, which are integers checked by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from communique.corpus.store.base import LIKE_ESCAPE, SearchFilters, Store, containing, document_filters

# The most search hits ranked for one answer: a page beyond them is empty.
MAX_SEARCH_HITS = 2000


def page(items: list[Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """One page of a longer list, with the list's length."""
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def store_version(store: Store) -> tuple[Any, ...]:
    """A value that changes whenever the store's content may have: a run started or finished, a document or
    link added, a document corrected or analysed again, an event corrected, UN ideal points imported, a query
    saved or deleted, an alert raised or read."""
    return tuple(
        store.query(
            "SELECT (SELECT max(id) FROM runs), (SELECT count(finished_at) FROM runs), "
            "(SELECT count(*) FROM documents), (SELECT count(*) FROM document_links), "
            "(SELECT max(id) FROM document_edits), (SELECT max(id) FROM unga_imports), "
            "(SELECT max(id) FROM corrections), (SELECT count(*) FROM document_analyses), "
            "(SELECT max(id) FROM saved_queries), (SELECT count(*) FROM saved_queries), "
            "(SELECT max(id) FROM alerts), (SELECT count(read_at) FROM alerts)"
        )[0]
    )


def coverage(store: Store, by: str) -> dict[str, int]:
    """How many analysed (English, dated) articles the store holds per period: the coverage behind a chart."""
    period = store.period("published", by)
    return {
        str(p): int(n)
        for p, n in store.query(
            f"SELECT {period} AS p, count(*) FROM documents WHERE published IS NOT NULL AND language = 'en' "
            "GROUP BY p ORDER BY p"
        )
    }


def opening(text: str | None, title: str | None) -> str:
    """The first words of an article for a list, without the headline it starts with."""
    text = " ".join((text or "").split())
    if title and text.startswith(" ".join(title.split())):
        text = text[len(" ".join(title.split())) :].lstrip()
    return text if len(text) <= 240 else text[: text.rfind(" ", 0, 240)] + " …"


# -- documents ------------------------------------------------------------------------------------------------


def search_page(
    store: Store, q: str, filters: SearchFilters, limit: int, offset: int, quotes: bool = True
) -> dict[str, Any]:
    """Full-text hits over articles (and quotations, if ``quotes``), best first, paginated; each hit as
    :class:`~communique.corpus.store.base.SearchHit` makes it."""
    if not q.strip():
        return page([], 0, limit, offset)
    hits = store.search(q, filters, limit=min(offset + limit, MAX_SEARCH_HITS), quotes=quotes)
    total = (
        len(hits)
        if len(hits) < offset + limit
        else len(store.search(q, filters, MAX_SEARCH_HITS, quotes=quotes))
    )
    return page([asdict(h) for h in hits[offset : offset + limit]], total, limit, offset)


def documents_page(
    store: Store, filters: SearchFilters, limit: int, offset: int, q: str | None = None
) -> dict[str, Any]:
    """Stored articles, newest first, each with its opening words (or, with ``q``, the full-text hits among
    them, best first, each with the passage that matched)."""
    if q and q.strip():
        found = search_page(store, q, filters, limit, offset, quotes=False)
        items = [
            {
                "id": h["document_id"],
                "title": h["title"],
                "published": h["published"],
                "source": h["source"],
                "genre": h["genre"],
                "snippet": h["snippet"],
            }
            for h in found["items"]
        ]
        return page(items, found["total"], limit, offset)
    where, params = document_filters(filters, "d")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.query(f"SELECT count(*) FROM documents d{clause}", params)[0][0])
    rows = store.query(
        "SELECT d.id, d.title, d.published, d.source, d.genre, d.url, "
        "(SELECT count(*) FROM events e WHERE e.document_id = d.id), substr(d.text, 1, 400) "
        f"FROM documents d{clause} ORDER BY d.published DESC, d.id LIMIT {int(limit)} OFFSET {int(offset)}",
        params,
    )
    items = [
        {
            "id": r[0],
            "title": r[1],
            "published": r[2],
            "source": r[3],
            "genre": r[4],
            "url": r[5],
            "events": int(r[6]),
            "snippet": opening(r[7], r[1]),
        }
        for r in rows
    ]
    return page(items, total, limit, offset)


def document_duplicates(store: Store, document_id: str) -> list[dict[str, Any]]:
    """The copies linked to a stored document (exact or near), most similar first."""
    return [
        {"kind": r[0], "similarity": r[1], "url": r[2], "source": r[3], "title": r[4], "published": r[5]}
        for r in store.query(
            "SELECT kind, similarity, url, source, title, published FROM document_links WHERE document_id = ? "
            "ORDER BY similarity DESC, copy_key",
            (document_id,),
        )
    ]


def copy_link(store: Store, copy_key: str) -> dict[str, Any] | None:
    """The stored document a copy (its content id, external id or URL) was linked to, or None."""
    rows = store.query(
        "SELECT document_id, kind, similarity FROM document_links WHERE copy_key = ? ORDER BY document_id",
        (copy_key,),
    )
    return {"document_id": rows[0][0], "kind": rows[0][1], "similarity": rows[0][2]} if rows else None


def related_documents(store: Store, document_id: str, limit: int = 50) -> list[dict[str, Any]]:
    """The other articles reporting the same real-world events as a document, those sharing most first."""
    return [
        {"id": r[0], "title": r[1], "source": r[2], "published": r[3], "shared_events": int(r[4])}
        for r in store.query(
            "SELECT d.id, d.title, d.source, d.published, count(DISTINCT mine.cluster_id) FROM event_sources mine "
            "JOIN event_sources other ON other.cluster_id = mine.cluster_id AND other.document_id <> mine.document_id "
            "JOIN documents d ON d.id = other.document_id WHERE mine.document_id = ? "
            f"GROUP BY d.id, d.title, d.source, d.published ORDER BY 5 DESC, d.published LIMIT {int(limit)}",
            (document_id,),
        )
    ]


# -- outlets --------------------------------------------------------------------------------------------------


def outlets(store: Store, limit: int) -> dict[str, Any]:
    """Per outlet (most articles first): its articles, dates and genres, its media-bias rating where the input
    gave one (``bias``: the rating most of its rated articles carry, e.g. AllSides' left, center, right; None
    when none did), its sentences by kind and the share that are the author's opinion, its persuasion techniques (per 100 sentences), the five real-world events it
    reports most and its mean stance toward the five parties it covers most."""
    by: dict[str, dict[str, Any]] = {}
    for source, articles, first, last, opinion, news, analysis in store.query(
        "SELECT source, count(*), min(published), max(published), "
        "sum(CASE WHEN genre = 'opinion' THEN 1 ELSE 0 END), sum(CASE WHEN genre = 'news' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN genre = 'analysis' THEN 1 ELSE 0 END) FROM documents WHERE source IS NOT NULL "
        "GROUP BY source ORDER BY 2 DESC, 1"
    )[:limit]:
        by[source] = {
            "source": source,
            "articles": int(articles),
            "first": first,
            "last": last,
            "genres": {"news": int(news or 0), "opinion": int(opinion or 0), "analysis": int(analysis or 0)},
            "bias": None,
            "sentences": 0,
            "kinds": {},
            "techniques": {},
            "events": [],
            "stance": [],
        }
    for source, bias in store.query(
        "SELECT source, bias FROM documents WHERE source IS NOT NULL AND bias IS NOT NULL "
        "GROUP BY source, bias ORDER BY source, count(*) DESC, bias"
    ):
        if source in by and by[source]["bias"] is None:
            by[source]["bias"] = bias
    for source, kind, n in store.query(
        "SELECT d.source, s.kind, count(*) FROM sentences s JOIN documents d ON d.id = s.document_id "
        "WHERE d.source IS NOT NULL GROUP BY d.source, s.kind"
    ):
        if source in by:
            by[source]["kinds"][kind] = int(n)
            by[source]["sentences"] += int(n)
    for source, technique, n in store.query(
        "SELECT d.source, r.technique, count(*) FROM rhetoric r JOIN documents d ON d.id = r.document_id "
        "WHERE d.source IS NOT NULL GROUP BY d.source, r.technique ORDER BY 3 DESC, 2"
    ):
        if source in by:
            by[source]["techniques"][technique] = int(n)
    for source, type_, actor, recipient, n in store.query(
        "SELECT es.outlet, es.type, es.actor, es.recipient, count(DISTINCT es.cluster_id) FROM event_sources es "
        "WHERE es.outlet IS NOT NULL GROUP BY es.outlet, es.type, es.actor, es.recipient ORDER BY 5 DESC, 2, 3, 4"
    ):
        if source in by and len(by[source]["events"]) < 5:
            by[source]["events"].append(
                {"type": type_, "actor": actor, "recipient": recipient, "events": int(n)}
            )
    for source, party, mean, documents in store.query(
        "SELECT d.source, st.party, avg(st.score), count(DISTINCT st.document_id) FROM stance st "
        "JOIN documents d ON d.id = st.document_id WHERE d.source IS NOT NULL AND st.party IS NOT NULL "
        "GROUP BY d.source, st.party ORDER BY 4 DESC, 2"
    ):
        if source in by and len(by[source]["stance"]) < 5:
            by[source]["stance"].append(
                {"party": party, "mean": round(float(mean), 3), "documents": int(documents)}
            )
    items = list(by.values())
    for o in items:
        sentences = o["sentences"] or 1
        o["opinion_share"] = round(o["kinds"].get("opinion", 0) / sentences, 3) if o["sentences"] else None
        o["techniques_per_100_sentences"] = (
            round(100 * sum(o["techniques"].values()) / sentences, 2) if o["sentences"] else None
        )
    return {"items": items, "total": len(items)}


# -- events ---------------------------------------------------------------------------------------------------


def _values(text: str | None) -> list[str]:
    """The values of a comma-separated filter ("realized, historical"), lower-cased."""
    return [v.strip().lower() for v in (text or "").split(",") if v.strip()]


@dataclass
class EventFilters:
    """Which coded events to list; every field is optional. ``status`` and ``attribution`` take one value or
    several, comma-separated (``realized,historical``); ``party`` is either side; an event coded without a
    confidence (the rule coder's) passes any ``min_confidence``."""

    actor: str | None = None
    recipient: str | None = None
    type: str | None = None
    since: str | None = None  # YYYY-MM-DD, on the event's date (its article's when it has none)
    until: str | None = None
    source: str | None = None
    genre: str | None = None
    document_id: str | None = None
    party: str | None = None
    status: str | None = None
    attribution: str | None = None
    min_confidence: float | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL ``WHERE`` clause over events ``e`` joined to their documents ``d``, and its parameters."""
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        for column, wanted in (("status", self.status), ("attribution", self.attribution)):
            values = _values(wanted)
            if values:
                where.append(f"e.{column} IN ({', '.join('?' * len(values))})")
                params += values
        if self.min_confidence is not None:
            where.append("(e.confidence IS NULL OR e.confidence >= ?)")
            params.append(self.min_confidence)
        # The events a party takes part in, looked up through the participants' party and code indexes (an
        # EXISTS per event would visit every event of the store).
        if self.party:
            where.append(
                "e.id IN (SELECT event_id FROM event_participants WHERE party = ? "
                "UNION SELECT event_id FROM event_participants WHERE code = ?)"
            )
            params += [self.party, self.party]
        for role, party in (("actor", self.actor), ("recipient", self.recipient)):
            if party:
                where.append(
                    "e.id IN (SELECT event_id FROM event_participants WHERE party = ? AND role = ? "
                    "UNION SELECT event_id FROM event_participants WHERE code = ? AND role = ?)"
                )
                params += [party, role, party, role]
        for sql, value in (
            ("e.type = ?", self.type.upper() if self.type else None),
            ("coalesce(e.event_date, d.published) >= ?", self.since),
            ("coalesce(e.event_date, d.published) <= ?", self.until),
            ("lower(d.source) = lower(?)", self.source),
            ("d.genre = ?", self.genre),
            ("e.document_id = ?", self.document_id),
        ):
            if value:
                where.append(sql)
                params.append(value)
        return " WHERE " + " AND ".join(where), params

    def matches(self, record: Mapping[str, Any]) -> bool:
        """Whether an exported event record (as :func:`~communique.corpus.exports.event_rows` makes it, its
        parties joined with ';') passes the filters other than the dates, which ``event_rows`` applies."""
        actors, recipients = record["actor"].split(";"), record["recipient"].split(";")
        statuses, attributions = _values(self.status), _values(self.attribution)
        confidence = record.get("confidence")
        return (
            (not self.actor or self.actor in actors)
            and (not self.recipient or self.recipient in recipients)
            and (not self.type or record["type"] == self.type.upper())
            and (not self.source or (record["source"] or "").lower() == self.source.lower())
            and (not self.party or self.party in (*actors, *recipients))
            and (not statuses or (record.get("status") or "") in statuses)
            and (not attributions or (record.get("attribution") or "") in attributions)
            and (self.min_confidence is None or confidence is None or confidence >= self.min_confidence)
        )


# One event as the pages list it: its parties, date, evidence sentence, document and how many outlets reported it.
_EVENT_SELECT = (
    "SELECT e.id, e.document_id, coalesce(e.event_date, e.date_value, d.published), e.type, e.mode, e.status, "
    "e.attribution, e.score, e.quad_class, "
    "(SELECT {agg} FROM event_participants p WHERE p.event_id = e.id AND p.role = 'actor'), "
    "(SELECT {agg} FROM event_participants p WHERE p.event_id = e.id AND p.role = 'recipient'), "
    "(SELECT max(c.sources) FROM event_sources es JOIN event_clusters c ON c.id = es.cluster_id "
    "WHERE es.event_id = e.id), "
    "ev.text, d.title, d.source, d.published, e.confidence "
    "FROM events e JOIN documents d ON d.id = e.document_id "
    "LEFT JOIN event_evidence ev ON ev.event_id = e.id AND ev.idx = 0"
)
_EVENT_FIELDS = (
    "id",
    "document_id",
    "date",
    "type",
    "mode",
    "status",
    "attribution",
    "score",
    "quad_class",
    "actor_codes",
    "recipient_codes",
    "source_count",
    "evidence",
    "title",
    "source",
    "published",
    "confidence",
)


def _codes(value: str | None) -> list[str]:
    return sorted(c for c in (value or "").split(",") if c)


def events_page(store: Store, filters: EventFilters, limit: int, offset: int) -> dict[str, Any]:
    """Coded events (each report of an event in an article), newest first, paginated."""
    where, params = filters.where()
    total = int(
        store.query(f"SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id{where}", params)[
            0
        ][0]
    )
    sql = _EVENT_SELECT.format(agg=store.group_concat("coalesce(p.party, p.text)"))
    order = "ORDER BY coalesce(e.event_date, d.published) DESC, e.id"
    # The page's ids first, then their columns: the per-event subqueries then run for the page's rows only,
    # not for every matching event before the sort (thousands for a frequent party).
    ids = (
        f"SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id{where} {order} "
        f"LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    items = []
    for row in store.query(f"{sql} WHERE e.id IN ({ids}) {order}", params):
        item = dict(zip(_EVENT_FIELDS, row, strict=True))
        item["actor_codes"], item["recipient_codes"] = _codes(row[9]), _codes(row[10])
        item["source_count"] = int(row[11] or 1)
        items.append(item)
    return page(items, total, limit, offset)


def evidence_page(
    store: Store, clusters: list[str], limit: int, offset: int, type_: str | None = None
) -> dict[str, Any]:
    """The reports (with their evidence sentences) behind the given real-world events, newest first, paginated;
    ``type_`` keeps the events of one PLOVER type."""
    from communique.corpus.relations import explain

    evidence = [e for e in explain(store, clusters) if not type_ or e.type == type_.upper()]
    evidence.sort(key=lambda e: (e.event_date, e.event_id), reverse=True)
    items = [
        {
            "id": e.event_id,
            "cluster_id": e.cluster_id,
            "date": e.event_date,
            "type": e.type,
            "actor_codes": [e.actor],
            "recipient_codes": [e.recipient],
            "score": e.score,
            "document_id": e.document_id,
            "title": e.title,
            "source": e.outlet,
            "published": e.published,
            "evidence": e.text,
        }
        for e in evidence[offset : offset + limit]
    ]
    return page(items, len(evidence), limit, offset)


# -- actors, stance and quotes --------------------------------------------------------------------------------


def actors_page(store: Store, q: str | None, limit: int, offset: int) -> dict[str, Any]:
    """Actors (states by code, organisations by name) by the number of articles naming them; ``q`` keeps those
    whose code or name contains it. Each item: code, name (as an article wrote it), type, documents."""
    where, params = "WHERE party IS NOT NULL", []
    if q:
        where += f" AND (lower(party) LIKE lower(?) {LIKE_ESCAPE} OR lower(name) LIKE lower(?) {LIKE_ESCAPE})"
        params += [containing(q), containing(q)]
    total = int(store.query(f"SELECT count(DISTINCT party) FROM actors {where}", params)[0][0])
    rows = store.query(
        f"SELECT party, min(name), min(type), count(DISTINCT document_id) FROM actors {where} "
        f"GROUP BY party ORDER BY 4 DESC, party LIMIT {int(limit)} OFFSET {int(offset)}",
        params,
    )
    items = [{"code": r[0], "name": r[1], "type": r[2], "documents": int(r[3])} for r in rows]
    return page(items, total, limit, offset)


def actor_mentions(store: Store, code: str) -> tuple[str | None, int]:
    """A name the store knows an actor by, and how many articles name it (by its party or its code)."""
    rows = store.query(  # both halves answered from the (party|code, document_id) indexes alone
        "SELECT (SELECT name FROM actors WHERE party = ? LIMIT 1), count(DISTINCT document_id) FROM "
        "(SELECT document_id FROM actors WHERE party = ? UNION ALL SELECT document_id FROM actors WHERE code = ?) k",
        (code, code, code),
    )
    return rows[0][0], int(rows[0][1])


def actor_timeline(store: Store, code: str, by: str) -> list[dict[str, Any]]:
    """An actor's real-world events per period, either side: cooperative and conflictual counts, net score."""
    from communique.corpus.relations import COOPERATIVE

    period = store.period("event_date", by)
    coop = ", ".join("?" * len(COOPERATIVE))
    return [
        {
            "period": r[0],
            "cooperative": int(r[1]),
            "conflictual": int(r[2]),
            "net_score": round(float(r[3]), 2),
        }
        for r in store.query(
            f"SELECT {period} AS p, sum(CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END), "
            f"sum(CASE WHEN quad_class IN ({coop}) THEN 0 ELSE 1 END), sum(score) FROM event_clusters "
            "WHERE actor = ? OR recipient = ? GROUP BY p ORDER BY p",
            [*COOPERATIVE, *COOPERATIVE, code, code],
        )
    ]


def stance_by_source(store: Store, code: str) -> list[dict[str, Any]]:
    """Per outlet, the mean stance of its articles toward an actor (each article once: its mean over the
    party's actors), most articles first."""
    return [
        {"source": r[0], "documents": int(r[1]), "mean": round(float(r[2]), 3)}
        for r in store.query(
            "SELECT coalesce(d.source, '(unknown)'), count(*), avg(x.score) FROM (SELECT document_id, "
            "avg(score) AS score FROM stance WHERE party = ? GROUP BY document_id) x "
            "JOIN documents d ON d.id = x.document_id GROUP BY 1 ORDER BY 2 DESC, 1",
            (code,),
        )
    ]


def stance_page(store: Store, code: str, source: str | None, limit: int, offset: int) -> dict[str, Any]:
    """The articles' stance toward an actor, newest first, each with the sentences it was read from;
    ``source`` keeps one outlet's (``(unknown)`` for articles without one)."""
    where, params = "WHERE s.party = ?", [code]
    if source:
        where += " AND coalesce(d.source, '(unknown)') = ?"
        params.append(source)
    base = (
        "FROM stance s JOIN documents d ON d.id = s.document_id JOIN actors a "
        f"ON a.document_id = s.document_id AND a.actor_id = s.actor_id {where}"
    )
    total = int(store.query(f"SELECT count(*) {base}", params)[0][0])
    rows = store.query(
        f"SELECT s.document_id, s.score, s.sentences, d.title, d.source, d.published, a.name {base} "
        f"ORDER BY d.published DESC, s.document_id, s.actor_id LIMIT {int(limit)} OFFSET {int(offset)}",
        params,
    )
    items = []
    for document_id, score, indices, title, outlet, published, name in rows:
        items.append(
            {
                "document_id": document_id,
                "actor": name,
                "score": score,
                "title": title,
                "source": outlet,
                "published": published,
                "sentences": sentence_texts(
                    store, document_id, [int(i) for i in json.loads(indices or "[]")]
                ),
            }
        )
    return page(items, total, limit, offset)


def sentence_texts(store: Store, document_id: str, indices: list[int]) -> list[str]:
    """The text of a document's sentences at these indices, in document order."""
    if not indices:
        return []
    spans = store.query(
        "SELECT idx, char_start, char_end FROM sentences WHERE document_id = ? "
        f"AND idx IN ({', '.join('?' * len(indices))}) ORDER BY idx",
        [document_id, *indices],
    )
    if not spans:
        return []
    text = store.query("SELECT text FROM documents WHERE id = ?", (document_id,))[0][0]
    return [text[r[1] : r[2]].strip() for r in spans]


def quotes_page(
    store: Store,
    speaker: str | None,
    q: str | None,
    document_id: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """Quotations with their speakers, newest first; ``speaker`` is a code (AZE) or a name, ``q`` words the
    quotation contains."""
    where, params = document_filters(SearchFilters(since=since, until=until), "d")
    if speaker:
        where.append(
            "(qt.speaker_code = ? OR lower(qt.speaker_name) = lower(?) OR lower(qt.speaker_text) = lower(?))"
        )
        params += [speaker, speaker, speaker]
    if q:
        where.append(f"lower(qt.content_text) LIKE lower(?) {LIKE_ESCAPE}")
        params.append(containing(q))
    if document_id:
        where.append("qt.document_id = ?")
        params.append(document_id)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    base = "FROM quotes qt JOIN documents d ON d.id = qt.document_id"
    total = int(store.query(f"SELECT count(*) {base}{clause}", params)[0][0])
    rows = store.query(
        f"SELECT qt.document_id, qt.idx, qt.kind, coalesce(qt.speaker_name, qt.speaker_text), qt.speaker_code, "
        f"qt.content_text, d.title, d.source, d.published {base}{clause} "
        f"ORDER BY d.published DESC, qt.document_id, qt.idx LIMIT {int(limit)} OFFSET {int(offset)}",
        params,
    )
    fields = (
        "document_id",
        "index",
        "kind",
        "speaker",
        "speaker_code",
        "text",
        "title",
        "source",
        "published",
    )
    return page([dict(zip(fields, r, strict=True)) for r in rows], total, limit, offset)


# -- relations ------------------------------------------------------------------------------------------------


def partners(store: Store, country: str, since: str | None, until: str | None) -> dict[str, dict[str, Any]]:
    """Per partner (other than the country itself), the country's real-world events with it in both
    directions and their net PLOVER score (the map)."""
    dates, params = "", []
    for sql, value in ((" AND event_date >= ?", since), (" AND event_date <= ?", until)):
        if value:
            dates += sql
            params.append(value)
    rows = store.query(
        "SELECT partner, count(*), sum(score) FROM ("
        f"SELECT recipient AS partner, score FROM event_clusters WHERE actor = ?{dates} UNION ALL "
        f"SELECT actor AS partner, score FROM event_clusters WHERE recipient = ?{dates}) legs "
        "GROUP BY partner ORDER BY partner",
        [country, *params, country, *params],
    )
    return {r[0]: {"events": int(r[1]), "net_score": round(float(r[2]), 2)} for r in rows if r[0] != country}
