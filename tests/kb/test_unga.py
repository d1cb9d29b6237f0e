"""UN General Assembly ideal points beside the events (issue 18, item 2): import, distances, CLI and API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import shared_path
from corpus_records import record, stored
from typer.testing import CliRunner

from communique.cli import app
from communique.corpus import relations
from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from communique.kb import unga

HEADER = "Row,ccode,session,NVotes,IdealPoint,QO%,Q5%,Q10%,Q50%,Q90%,Q95%,Q100%,iso3c,Countryname"
# (ccode, iso3c, name, {session: ideal point}); session 73 opened in 2018, 74 in 2019.
STATES = [
    (373, "AZE", "Azerbaijan", {73: -0.5, 74: -0.7}),
    (703, "KGZ", "Kyrgyzstan", {73: -0.25, 74: -0.4}),
    (365, "RUS", "Russia", {73: -1.5, 74: -1.6}),
    (2, "USA", "United States", {73: 3.0, 74: 2.75}),
    (255, "DEU", "Germany", {73: 1.0, 74: 1.1}),
    (220, "FRA", "France", {73: 1.5, 74: 1.3}),
    (640, "TUR", "Turkey", {73: 0.0}),
]


def small_csv(path: Path, states=STATES, encoding: str = "utf-8") -> Path:
    lines, row = [HEADER], 0
    for ccode, code, name, sessions in states:
        for session, point in sessions.items():
            row += 1
            q = ",".join(str(point + d) for d in (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3))
            lines.append(f"{row},{ccode},{session},50,{point},{q},{code},{name}")
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_the_published_file_loads_all_10469_rows_and_a_reimport_replaces_them(store):
    real = shared_path("reference", "unga-ideal-points", "IdealpointestimatesAll_Apr2020.csv")
    first = unga.import_unga(store, real)
    assert (first.rows, first.replaced) == (10469, 0)
    assert unga.loaded(store) == 10469
    again = unga.import_unga(store, real)
    assert (again.rows, again.replaced) == (10469, 10469)
    assert unga.loaded(store) == 10469  # replaced, not added
    assert store.query("SELECT count(*) FROM unga_imports") == [(2,)]
    # the file is Windows-1252: names come through as written
    assert store.query("SELECT DISTINCT country FROM unga_ideal_points WHERE code = 'CIV'") == [
        ("Côte d’Ivoire",)
    ]
    azerbaijan = unga.ideal_points(store, "AZE")
    assert min(azerbaijan) == 1991 and azerbaijan[1991].session == 46  # session 46 opened in September 1991
    assert max(unga.ideal_points(store, "USA")) == 2019


def test_a_small_file_gives_the_distance_per_year(store, tmp_path):
    unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    series = unga.distance_series(store, "AZE", "KGZ")
    assert [(y.year, y.a, y.b, y.distance) for y in series.years] == [
        (2018, -0.5, -0.25, 0.25),
        (2019, -0.7, -0.4, 0.3),
    ]
    assert series.trend == pytest.approx(0.05)
    assert "Bailey, Strezhnev & Voeten" in series.source
    assert [y.year for y in unga.distance_series(store, "AZE", "KGZ", since="2019-01-01").years] == [2019]
    assert unga.distance_series(store, "AZE", "XYZ").years == []


def test_a_reimport_of_a_smaller_file_leaves_only_its_rows(store, tmp_path):
    unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    result = unga.import_unga(store, small_csv(tmp_path / "two.csv", STATES[:1]))
    assert (result.rows, result.replaced) == (2, 13)
    assert unga.loaded(store) == 2


def test_a_windows_1252_file_is_read(store, tmp_path):
    states = [(437, "CIV", "Côte d’Ivoire", {74: 0.1})]
    unga.import_unga(store, small_csv(tmp_path / "cp.csv", states, encoding="cp1252"))
    assert store.query("SELECT country FROM unga_ideal_points") == [("Côte d’Ivoire",)]


def test_a_file_that_is_not_an_ideal_point_file_is_refused_and_the_store_keeps_what_it_had(store, tmp_path):
    from communique.errors import CommuniqueError

    unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CommuniqueError, match="not an ideal-point file"):
        unga.import_unga(store, bad)
    broken = tmp_path / "broken.csv"
    broken.write_text(HEADER + "\n1,373,74,50,high,0,0,0,0,0,0,0,AZE,Azerbaijan\n", encoding="utf-8")
    with pytest.raises(CommuniqueError, match="line 2: IdealPoint"):
        unga.import_unga(store, broken)
    assert unga.loaded(store) == 13


def test_balance_sets_the_country_against_each_centre(store, tmp_path):
    unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    result = relations.balance(store, "AZE")
    assert result.ideal_points is not None
    y2018, y2019 = result.ideal_points.years
    assert (y2018.year, y2018.point) == (2018, -0.5)
    assert (y2018.centres["RUS"].point, y2018.centres["RUS"].distance) == (-1.5, 1.0)
    assert (y2018.centres["EU"].point, y2018.centres["EU"].members) == (1.25, 2)  # mean of DEU and FRA
    assert y2018.centres["EU"].distance == 1.75
    assert y2018.centres["CHN"].point is None and y2018.centres["CHN"].members == 0
    # OTS without Azerbaijan itself: Kyrgyzstan and Türkiye in 2018, Kyrgyzstan alone in 2019
    assert (y2018.centres["OTS"].point, y2018.centres["OTS"].members) == (-0.125, 2)
    assert (y2019.centres["OTS"].point, y2019.centres["OTS"].members) == (-0.4, 1)
    assert y2019.centres["TUR"].point is None


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(
            None,
            [
                stored(
                    record(
                        "Azerbaijan and Kyrgyzstan signed a declaration.",
                        "2019-10-13",
                        [("AGREE", "AZE", "KGZ")],
                    )
                ),
                stored(
                    record("Azerbaijan and Russia signed a treaty.", "2019-05-02", [("AGREE", "AZE", "RUS")])
                ),
            ],
        )
        merge_events(store)
        unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    return path


def test_convergence_puts_the_vote_distance_beside_the_event_figures(db):
    with open_store(db) as store:
        result = relations.convergence(store, "AZE", "KGZ")
    assert [(p.period, p.dyad_events, p.ideal_point_distance) for p in result.periods] == [("2019", 1, 0.3)]
    assert result.ideal_points is not None and [y.year for y in result.ideal_points.years] == [2018, 2019]


def test_the_import_command_loads_and_replaces(db, tmp_path):
    csv = small_csv(tmp_path / "again.csv")
    done = run("import", "unga", csv, "--db", db)
    assert done.exit_code == 0, done.output
    assert "loaded 13 ideal points from again.csv, replacing the 13 loaded before" in done.output
    assert "Bailey, Strezhnev & Voeten" in done.output
    missing = run("import", "unga", tmp_path / "nowhere.csv", "--db", db)
    assert missing.exit_code != 0


def test_the_convergence_command_prints_the_vote_distance_column_and_its_source(db):
    shown = run("convergence", "AZE", "KGZ", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "UN vote distance" in shown.output
    assert "Bailey, Strezhnev & Voeten" in shown.output
    tsv = run("convergence", "AZE", "KGZ", "--db", db, "--tsv")
    lines = [line.split("\t") for line in tsv.output.strip().splitlines()]
    assert lines[0][-1] == "UN vote distance"
    # 2018 has votes but no events: its row is there, beside the event year
    assert [(r[0], r[1], r[-1]) for r in lines[1:]] == [("2018", "0", "0.250"), ("2019", "1", "0.300")]
    as_json = json.loads(run("convergence", "AZE", "KGZ", "--db", db, "--json").output)
    assert as_json["ideal_points"]["years"][1]["distance"] == 0.3


def test_the_balance_command_prints_the_ideal_points_against_the_centres(db):
    shown = run("balance", "AZE", "--db", db)
    assert shown.exit_code == 0, shown.output
    assert "AZE ideal point" in shown.output and "EU (distance)" in shown.output
    assert "1.250 (1.750)" in shown.output  # 2018: the EU's mean point and AZE's distance from it
    assert "Bailey, Strezhnev & Voeten" in shown.output
    tsv = run("balance", "AZE", "--db", db, "--tsv")
    header, row = (line.split("\t") for line in tsv.output.strip().splitlines())
    assert header[-7:] == [
        "AZE ideal point",
        *[f"{n} ideal point" for n in ("RUS", "USA", "EU", "CHN", "TUR", "OTS")],
    ]
    assert row[0] == "2019" and row[-7] == "-0.700" and row[-6] == "-1.600"


def test_without_ideal_points_the_commands_say_how_to_load_them(tmp_path):
    path = tmp_path / "empty.db"
    open_store(path).close()
    shown = run("convergence", "AZE", "KGZ", "--db", path)
    assert shown.exit_code == 0 and "communique import unga FILE" in " ".join(shown.output.split())


def test_the_api_gains_the_ideal_point_fields(db):
    from fastapi.testclient import TestClient

    from communique.api.app import create_app

    with TestClient(
        create_app(str(db), token="t"), base_url="http://127.0.0.1", client=("127.0.0.1", 5000)
    ) as c:
        convergence = c.get("/api/convergence", params={"a": "AZE", "b": "KGZ"}).json()
        assert convergence["periods"][0]["ideal_point_distance"] == 0.3
        assert convergence["periods"][0]["dyad_events"] == 1  # the event fields are still there
        assert convergence["ideal_points"]["years"][0] == {
            "year": 2018,
            "a": -0.5,
            "b": -0.25,
            "distance": 0.25,
            "a_votes": 50,
            "b_votes": 50,
        }
        assert "Bailey" in convergence["ideal_points"]["source"]
        balance = c.get("/api/balance", params={"country": "AZE"}).json()
        assert balance["periods"][0]["centres"]["RUS"]["cooperative"] == 1
        assert balance["ideal_points"]["years"][0]["centres"]["EU"] == {
            "point": 1.25,
            "distance": 1.75,
            "members": 2,
        }
        assert "Bailey" in balance["ideal_points"]["source"]


def test_a_migration_that_arrives_after_a_later_one_ran_is_still_applied(tmp_path, monkeypatch):
    # 0006_unga may reach a store before 0005 (another change's number) exists: the runner applies every
    # migration it has not recorded, so the earlier one runs when it arrives, and the version stays the highest.
    from communique.corpus.store.sqlite import SQLiteStore

    everything = SQLiteStore.migrations
    numbers = [m.number for m in everything(SQLiteStore(":memory:"))]
    held_back = numbers[-2]  # the one before the last, as 0005 before 0006
    monkeypatch.setattr(
        SQLiteStore, "migrations", lambda self: [m for m in everything(self) if m.number != held_back]
    )
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        applied = [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY version")]
        assert held_back not in applied and numbers[-1] in applied
    monkeypatch.setattr(SQLiteStore, "migrations", everything)
    with open_store(path) as store:
        applied = [r[0] for r in store.query("SELECT version FROM schema_migrations ORDER BY version")]
        assert applied == numbers
        assert store.migrate() == numbers[-1]
