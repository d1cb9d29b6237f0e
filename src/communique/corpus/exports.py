"""Exports of a corpus store: events as CSV, Parquet, JSONL or PLOVER records; documents as contract JSONL;
the relation network as GEXF (opens in Gephi).

    export(store, "events", "csv" | "parquet" | "jsonl" | "plover", out, since=..., until=...)
    export(store, "documents", "jsonl", out)           # one analysis object (communique/1) per line
    export(store, "network", "gexf", out)              # relations.network() of the period

Event rows stream from the database in pages, so memory stays flat however large the corpus is. Every CSV cell
a spreadsheet would run as a formula is neutralised (:func:`csv_cell`), here and in the API's CSV download.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from communique.errors import CommuniqueError

if TYPE_CHECKING:
    from communique.corpus.store import Store

EVENT_COLUMNS = (
    "id",
    "document_id",
    "type",
    "mode",
    "quad_class",
    "status",
    "attribution",
    "score",
    "confidence",
    "date_value",
    "date_granularity",
    "event_date",
    "actor",
    "recipient",
    "location_code",
    "trigger",
    "evidence",
    "published",
    "source",
    "title",
    "url",
    "clusters",
    "corrected",  # an analyst corrected or added it (corpus/corrections.py)
)
QUAD_CODES = {
    "verbal_cooperation": 1,
    "material_cooperation": 2,
    "verbal_conflict": 3,
    "material_conflict": 4,
}
FORMATS = {"events": ("csv", "parquet", "jsonl", "plover"), "documents": ("jsonl",), "network": ("gexf",)}
PAGE = 2000
# OWASP's rule for CSV injection: a text cell starting with one of these is a formula to Excel, LibreOffice and
# Google Sheets (=HYPERLINK(...), =cmd|' /C calc'!A0); an apostrophe in front makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export(
    store: Store, what: str, fmt: str, out: str | Path, since: str | None = None, until: str | None = None
) -> int:
    """Write ``what`` (events, documents, network) in ``fmt`` to ``out``; return the number of records."""
    if fmt not in FORMATS.get(what, ()):
        allowed = ", ".join(f"{w}: {'/'.join(f)}" for w, f in FORMATS.items())
        raise CommuniqueError(f"cannot export {what} as {fmt} (formats: {allowed})")
    out = Path(out)
    if what == "network":
        return write_gexf(store, out, since, until)
    if fmt == "parquet":
        return write_parquet(store, out, since, until)
    with open(out, "w", encoding="utf-8", newline="") as sink:
        if what == "documents":
            return write_documents_jsonl(store, sink, since, until)
        if fmt == "csv":
            return write_csv(store, sink, since, until)
        if fmt == "plover":
            return write_plover(store, sink, since, until)
        return write_events_jsonl(store, sink, since, until)


def event_rows(store: Store, since: str | None = None, until: str | None = None) -> Iterator[dict[str, Any]]:
    """Every stored event as a flat record (participants joined with ';'), in document and event order."""
    where, params = "", []
    if since:
        where += " AND coalesce(e.event_date, d.published) >= ?"
        params.append(since)
    if until:
        where += " AND coalesce(e.event_date, d.published) <= ?"
        params.append(until)
    last = ""
    while True:
        rows = store.query(
            "SELECT e.id, e.document_id, e.type, e.mode, e.quad_class, e.status, e.attribution, e.score, "
            "e.confidence, e.date_value, e.date_granularity, e.event_date, "
            "(SELECT " + store.group_concat("coalesce(p.party, p.text)") + " FROM event_participants p "
            "WHERE p.event_id = e.id AND p.role = 'actor'), "
            "(SELECT " + store.group_concat("coalesce(p.party, p.text)") + " FROM event_participants p "
            "WHERE p.event_id = e.id AND p.role = 'recipient'), "
            "e.location_code, e.trigger_text, ev.text, d.published, d.source, d.title, d.url, "
            "(SELECT "
            + store.group_concat("es.cluster_id")
            + " FROM event_sources es WHERE es.event_id = e.id), "
            "e.correction_id IS NOT NULL, e.context, e.location_text "
            "FROM events e JOIN documents d ON d.id = e.document_id "
            "LEFT JOIN event_evidence ev ON ev.event_id = e.id AND ev.idx = 0 "
            f"WHERE e.id > ?{where} ORDER BY e.id LIMIT {PAGE}",
            [last, *params],
        )
        if not rows:
            return
        for row in rows:
            record = dict(zip(EVENT_COLUMNS, row[: len(EVENT_COLUMNS)], strict=True))
            for key in ("actor", "recipient", "clusters"):
                record[key] = ";".join(sorted((record[key] or "").split(","))) if record[key] else ""
            record["corrected"] = bool(record["corrected"])
            record["context"] = json.loads(row[-2] or "[]")
            record["location_text"] = row[-1]
            yield record
        last = rows[-1][0]


def csv_cell(value: Any) -> Any:
    """``value`` as safe to open in a spreadsheet: text that would start a formula gets a leading ``'``.

    Numbers are left alone (a negative score is a number, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_event_csv(records: Iterable[dict[str, Any]], sink: IO[str]) -> int:
    """Write event records (as :func:`event_rows` makes them) as CSV, formula cells neutralised; return how many."""
    writer = csv.DictWriter(sink, fieldnames=[*EVENT_COLUMNS, "context"], extrasaction="ignore")
    writer.writeheader()
    n = 0
    for record in records:
        row = {**record, "context": ";".join(record["context"])}
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
        n += 1
    return n


def write_csv(store: Store, sink: IO[str], since: str | None = None, until: str | None = None) -> int:
    return write_event_csv(event_rows(store, since, until), sink)


def write_parquet(store: Store, out: Path, since: str | None = None, until: str | None = None) -> int:
    return write_event_parquet(event_rows(store, since, until), out)


def write_event_parquet(records: Iterable[dict[str, Any]], out: Path | IO[bytes]) -> int:
    """Write event records (as :func:`event_rows` makes them) as Parquet, a page at a time; return how many."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    floats = {"score", "confidence"}
    schema = pa.schema(
        [
            (c, pa.float64() if c in floats else pa.bool_() if c == "corrected" else pa.string())
            for c in EVENT_COLUMNS
        ]
        + [("context", pa.list_(pa.string()))]
    )
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        page: list[dict[str, Any]] = []
        for record in records:
            page.append(record)
            if len(page) >= PAGE:
                writer.write_table(pa.Table.from_pylist(page, schema=schema))
                n += len(page)
                page = []
        if page or n == 0:
            writer.write_table(pa.Table.from_pylist(page, schema=schema))
            n += len(page)
    return n


def write_events_jsonl(
    store: Store, sink: IO[str], since: str | None = None, until: str | None = None
) -> int:
    n = 0
    for record in event_rows(store, since, until):
        sink.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def plover_record(record: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER 2.0 JSON record (the manual's "PLOVER JSON" fields), as POLECAT publishes them."""

    def entities(codes: str) -> list[dict[str, Any]]:
        return [{"code": c} for c in codes.split(";") if c]

    return {
        "id": record["id"],
        "date": record["event_date"] or record["published"],
        "actor": entities(record["actor"]),
        "recipient": entities(record["recipient"]),
        "event": [record["type"]],
        "mode": [record["mode"]] if record["mode"] else [],
        "context": record["context"],
        "quad_code": QUAD_CODES.get(record["quad_class"] or ""),
        "event_scale": record["score"],
        "event_loc": {"name": record["location_text"], "code": record["location_code"]}
        if record["location_text"] or record["location_code"]
        else None,
        "event_text": [record["evidence"]] if record["evidence"] else [],
        "link": record["clusters"] or None,
        "cite_info": {
            "document_id": record["document_id"],
            "title": record["title"],
            "source": record["source"],
            "url": record["url"],
            "published": record["published"],
        },
        "status": record["status"],
        "attribution": record["attribution"],
        "corrected": record["corrected"],  # an analyst corrected or added it (corpus/corrections.py)
        "coder": "communique",
    }


def write_plover(store: Store, sink: IO[str], since: str | None = None, until: str | None = None) -> int:
    n = 0
    for record in event_rows(store, since, until):
        if record["status"] == "rejected":  # an analyst said it did not happen: not an event to publish
            continue
        sink.write(json.dumps(plover_record(record), ensure_ascii=False) + "\n")
        n += 1
    return n


def document_contract(store: Store, document_id: str) -> dict[str, Any] | None:
    """The analysis object (JSON contract) of a stored document, rebuilt from its rows."""
    rows = store.query(
        "SELECT id, title, published, genre, language, url, author, source, bias, text FROM documents WHERE id = ?",
        (document_id,),
    )
    if not rows:
        return None
    doc = dict(
        zip(
            ("id", "title", "published", "genre", "language", "url", "author", "source", "bias", "text"),
            rows[0],
            strict=True,
        )
    )
    q = store.query
    mentions: dict[str, list[dict[str, Any]]] = {}
    for actor_id, text, start, end, sentence, kind in q(
        "SELECT actor_id, text, char_start, char_end, sentence, kind FROM mentions WHERE document_id = ? "
        "ORDER BY actor_id, idx",
        (document_id,),
    ):
        mentions.setdefault(actor_id, []).append(
            {"text": text, "start": start, "end": end, "sentence": sentence, "kind": kind}
        )
    participants: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for event_id, role, actor_id, code, sector, text in q(
        "SELECT p.event_id, p.role, p.actor_id, p.code, p.sector, p.text FROM event_participants p "
        "JOIN events e ON e.id = p.event_id WHERE e.document_id = ? ORDER BY p.event_id, p.role, p.idx",
        (document_id,),
    ):
        participants.setdefault(event_id, {"actor": [], "recipient": []})[role].append(
            {"actor_id": actor_id, "code": code, "sector": sector, "text": text}
        )
    evidence: dict[str, list[dict[str, Any]]] = {}
    for event_id, text, start, end in q(
        "SELECT v.event_id, v.text, v.char_start, v.char_end FROM event_evidence v JOIN events e ON e.id = v.event_id "
        "WHERE e.document_id = ? ORDER BY v.event_id, v.idx",
        (document_id,),
    ):
        evidence.setdefault(event_id, []).append({"text": text, "start": start, "end": end})
    events = []
    for r in q(
        "SELECT id, type, mode, context, date_text, date_value, date_granularity, location_text, location_code, "
        "status, attribution, score, confidence, sentence, trigger_text, trigger_start, trigger_end "
        "FROM events WHERE document_id = ? ORDER BY idx",
        (document_id,),
    ):
        spans = evidence.get(r[0], [])
        parts = participants.get(r[0], {"actor": [], "recipient": []})
        events.append(
            {
                "type": r[1],
                "mode": r[2],
                "context": json.loads(r[3]),
                "actor": parts["actor"],
                "recipient": parts["recipient"],
                "date": {"text": r[4], "value": r[5], "granularity": r[6]} if r[4] or r[5] else None,
                "location": {"text": r[7], "code": r[8]} if r[7] or r[8] else None,
                "status": r[9],
                "attribution": r[10],
                "score": r[11],
                "confidence": r[12],
                "sentence": r[13],
                "trigger": {"text": r[14], "start": r[15], "end": r[16]},
                "evidence": spans[0] if spans else None,
                "other_evidence": spans[1:],
            }
        )
    return {
        "schema": "communique/1",
        "document": doc,
        "sentences": [
            {"index": i, "start": s, "end": e, "kind": k, "cues": json.loads(c)}
            for i, s, e, k, c in q(
                "SELECT idx, char_start, char_end, kind, cues FROM sentences WHERE document_id = ? ORDER BY idx",
                (document_id,),
            )
        ],
        "actors": [
            {
                "id": a,
                "name": n,
                "type": t,
                "code": c,
                "sector": s,
                "role": r,
                "kb_id": k,
                "mentions": mentions.get(a, []),
            }
            for a, n, t, c, s, r, k in q(
                "SELECT actor_id, name, type, code, sector, role, kb_id FROM actors WHERE document_id = ? "
                "ORDER BY actor_id",
                (document_id,),
            )
        ],
        "events": events,
        "quotes": [
            {
                "kind": r[0],
                "speaker": {"text": r[1], "actor_id": r[2], "name": r[3], "code": r[4]},
                "cue": {"text": r[5], "start": r[6], "end": r[7]},
                "content": {"text": r[8], "start": r[9], "end": r[10]},
                "sentence": r[11],
            }
            for r in q(
                "SELECT kind, speaker_text, speaker_actor_id, speaker_name, speaker_code, cue_text, cue_start, "
                "cue_end, content_text, content_start, content_end, sentence FROM quotes WHERE document_id = ? "
                "ORDER BY idx",
                (document_id,),
            )
        ],
        "dates": [
            {"text": t, "start": s, "end": e, "value": v, "granularity": g, "sentence": n}
            for t, s, e, v, g, n in q(
                "SELECT text, char_start, char_end, value, granularity, sentence FROM dates WHERE document_id = ? "
                "ORDER BY idx",
                (document_id,),
            )
        ],
        "rhetoric": [
            {"technique": t, "text": x, "start": s, "end": e, "sentence": n, "cue": c}
            for t, x, s, e, n, c in q(
                "SELECT technique, text, char_start, char_end, sentence, cue FROM rhetoric WHERE document_id = ? "
                "ORDER BY idx",
                (document_id,),
            )
        ],
        "stance": [
            {"actor_id": a, "code": c, "score": s, "sentences": json.loads(n)}
            for a, c, s, n in q(
                "SELECT actor_id, code, score, sentences FROM stance WHERE document_id = ? ORDER BY actor_id",
                (document_id,),
            )
        ],
    }


def write_documents_jsonl(
    store: Store, sink: IO[str], since: str | None = None, until: str | None = None
) -> int:
    where, params = "", []
    if since:
        where += " AND published >= ?"
        params.append(since)
    if until:
        where += " AND published <= ?"
        params.append(until)
    n, last = 0, ""
    while True:
        ids = [
            r[0]
            for r in store.query(
                f"SELECT id FROM documents WHERE id > ?{where} ORDER BY id LIMIT {PAGE}", [last, *params]
            )
        ]
        if not ids:
            return n
        for doc_id in ids:
            record = document_contract(store, doc_id)
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
        last = ids[-1]


def write_gexf(store: Store, out: Path, since: str | None = None, until: str | None = None) -> int:
    """The relation network as GEXF 1.3: directed edges weighted by event count, with net score attributes."""
    from communique.corpus.relations import network

    net = network(store, since=since, until=until)
    period = f"relation network, {since or 'first event'} to {until or 'last event'}"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
        f'  <meta lastmodifieddate="{datetime.now(UTC).date().isoformat()}"><creator>communique</creator>'
        f"<description>{escape(period)}</description></meta>",
        '  <graph mode="static" defaultedgetype="directed">',
        '    <attributes class="node"><attribute id="events" title="events" type="integer"/>'
        '<attribute id="net_score" title="net_score" type="double"/></attributes>',
        '    <attributes class="edge"><attribute id="net_score" title="net_score" type="double"/>'
        '<attribute id="cooperative" title="cooperative" type="integer"/>'
        '<attribute id="conflictual" title="conflictual" type="integer"/>'
        '<attribute id="sources" title="sources" type="integer"/></attributes>',
        "    <nodes>",
    ]
    for party, node in net.nodes.items():
        lines.append(
            f"      <node id={quoteattr(party)} label={quoteattr(party)}><attvalues>"
            f'<attvalue for="events" value="{node["events"]}"/><attvalue for="net_score" value="{node["net_score"]}"/>'
            "</attvalues></node>"
        )
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for i, e in enumerate(net.edges):
        lines.append(
            f'      <edge id="{i}" source={quoteattr(e.actor)} target={quoteattr(e.recipient)} weight="{e.events}">'
            f'<attvalues><attvalue for="net_score" value="{e.net_score}"/>'
            f'<attvalue for="cooperative" value="{e.cooperative}"/><attvalue for="conflictual" value="{e.conflictual}"/>'
            f'<attvalue for="sources" value="{e.sources}"/></attvalues></edge>'
        )
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    return len(net.edges)
