"""Relations analytics: dyad series, multi-vector balance, convergence, network, and the evidence behind them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from corpus_records import REPORTS, record, stored

from communique.corpus import relations
from communique.corpus.dedup import merge_events
from communique.corpus.relations import Centre


@pytest.fixture
def corpus(store):
    store.write_batch(None, [stored(r) for r in REPORTS])
    merge_events(store)
    return store


def test_two_outlets_reporting_the_bishkek_declaration_make_one_event_with_two_sources(corpus):
    series = relations.dyad_series(corpus, "AZE", "KGZ", by="month")
    assert [p.period for p in series.periods] == ["2022-10"]
    october = series.periods[0]
    assert (october.events, october.reports, october.sources) == (1, 2, 2)
    assert october.by_type == {"AGREE": 1} and october.by_quad == {"verbal_cooperation": 1}
    assert october.score_mean == 3.0


def test_dyad_series_is_directed(corpus):
    toward_azerbaijan = relations.dyad_series(corpus, "KGZ", "AZE", by="year")
    assert [(p.period, p.events) for p in toward_azerbaijan.periods] == [("2021", 1), ("2022", 1)]


def test_weekly_periods_are_labelled_by_their_monday(corpus):
    series = relations.dyad_series(corpus, "AZE", "KGZ", by="week")
    assert [p.period for p in series.periods] == ["2022-10-10"]  # 13 October 2022 was a Thursday


def test_balance_shares_split_cooperation_over_the_centres(corpus):
    result = relations.balance(corpus, "AZE", by="year")
    year = {p.period: p for p in result.periods}["2022"]
    shares = {name: cell.share for name, cell in year.centres.items()}
    # 2022 cooperation: RUS consult, DEU (EU) agree, CHN agree, TUR agree, and the Bishkek declaration with
    # KGZ (OTS), coded in both directions and so counted once each way.
    assert shares == {"RUS": 0.1667, "USA": 0.0, "EU": 0.1667, "CHN": 0.1667, "TUR": 0.1667, "OTS": 0.3333}
    assert year.centres["RUS"].net_score == 1.0 - 2.0  # the consultation and the accusation
    entropy = -(4 * (1 / 6) * math.log(1 / 6) + (2 / 6) * math.log(2 / 6))
    assert year.evenness == pytest.approx(round(entropy / math.log(6), 4))


def test_turkiye_counts_toward_its_own_centre_not_the_turkic_states(corpus):
    result = relations.balance(corpus, "KGZ", by="year")
    year = {p.period: p for p in result.periods}["2022"]
    assert year.centres["TUR"].cooperative == 1
    assert year.centres["OTS"].cooperative == 2  # the declaration with Azerbaijan, both ways; not Türkiye


def test_a_country_is_never_a_member_of_its_own_centre():
    custom = [Centre("OTS", "Turkic states", members=("AZE", "KGZ"))]
    case, params = relations.centre_case(custom, "AZE", "party")
    assert "AZE" not in params and "KGZ" in params


def test_evenness_is_one_for_equal_shares_and_zero_for_a_single_partner():
    assert relations.evenness([0.25, 0.25, 0.25, 0.25]) == 1.0
    assert relations.evenness([1.0, 0.0, 0.0]) == 0.0


def test_every_balance_number_traces_to_events_with_evidence(corpus):
    result = relations.balance(corpus, "AZE", by="year")
    year = {p.period: p for p in result.periods}["2022"]
    evidence = relations.explain(corpus, year.centres["CHN"].clusters)
    assert [e.text for e in evidence] == [
        "China and Azerbaijan agreed on a transit corridor across the Caspian Sea."
    ]
    assert evidence[0].outlet == "Xinhua"


def test_convergence_compares_stances_toward_shared_third_parties(corpus):
    result = relations.convergence(corpus, "AZE", "KGZ", by="year")
    year = {p.period: p for p in result.periods}["2022"]
    assert year.shared_parties == ["RUS", "TUR"]
    # AZE: RUS mean (1 - 2)/2 = -0.5, TUR 3; KGZ: RUS 1, TUR 3
    expected = (-0.5 * 1 + 3 * 3) / (math.hypot(-0.5, 3) * math.hypot(1, 3))
    assert year.similarity == pytest.approx(expected, abs=1e-4)


def test_convergence_trend_is_the_slope_of_the_dyadic_mean_score(corpus):
    result = relations.convergence(corpus, "AZE", "KGZ", by="year")
    scores = {p.period: p.dyad_score_mean for p in result.periods}
    assert scores == {"2021": 1.0, "2022": 3.0}
    assert result.score_trend == 2.0


def test_network_edges_carry_net_scores_and_counts(corpus):
    net = relations.network(corpus, since="2022-01-01", until="2022-12-31")
    edges = {(e.actor, e.recipient): e for e in net.edges}
    assert edges[("AZE", "RUS")].events == 2 and edges[("AZE", "RUS")].net_score == -1.0
    assert edges[("AZE", "RUS")].conflictual == 1
    assert ("TUR", "AZE") not in edges  # the drone deliveries were in 2021
    assert net.nodes["AZE"]["out"] == 5


def test_reports_three_weeks_apart_are_two_events(store):
    first = record(
        "Kazakhstan and Uzbekistan held consultations on water sharing.",
        "2022-04-01",
        [("CONSULT", "KAZ", "UZB")],
    )
    second = record(
        "Kazakhstan and Uzbekistan held further consultations on water sharing.",
        "2022-04-22",
        [("CONSULT", "KAZ", "UZB")],
    )
    store.write_batch(None, [stored(first), stored(second)])
    merge_events(store)
    assert relations.dyad_series(store, "KAZ", "UZB", by="month").periods[0].events == 2


def test_an_event_dated_to_an_earlier_month_counts_in_that_month_not_at_publication(store):
    shusha = record(
        "In June 2021, Azerbaijan and Türkiye signed the Shusha Declaration.",
        "2022-10-13",
        [("AGREE", "AZE", "TUR")],
        event_date="2021-06",
        status="historical",
    )
    store.write_batch(None, [stored(shusha)])
    merge_events(store)
    assert [p.period for p in relations.dyad_series(store, "AZE", "TUR", by="month").periods] == ["2021-06"]


def test_an_event_dated_to_the_publication_month_counts_on_the_publication_day(store):
    talks = record(
        "This month Kazakhstan and Uzbekistan held consultations on water sharing.",
        "2022-04-21",
        [("CONSULT", "KAZ", "UZB")],
        event_date="2022-04",
    )
    store.write_batch(None, [stored(talks)])
    merge_events(store)
    assert [p.period for p in relations.dyad_series(store, "KAZ", "UZB", by="day").periods] == ["2022-04-21"]


def test_a_historical_event_dated_only_to_a_year_is_not_counted(store):
    old = record(
        "In 2008 Russia and Georgia fought a war.",
        "2022-04-21",
        [("ASSAULT", "RUS", "GEO")],
        event_date="2008",
        status="historical",
    )
    store.write_batch(None, [stored(old)])
    merge_events(store)
    assert relations.dyad_series(store, "RUS", "GEO", by="year").periods == []


def test_relations_are_identical_on_sqlite_and_postgresql(tmp_path, pg_database):
    from communique.corpus.store import open_store

    results = []
    for target in (str(tmp_path / "c.db"), pg_database):
        with open_store(target) as s:
            s.write_batch(None, [stored(r) for r in REPORTS])
            merge_events(s)
            results.append(
                (
                    relations.balance(s, "AZE", by="month"),
                    relations.convergence(s, "AZE", "KGZ"),
                    relations.dyad_series(s, "AZE", "RUS", by="week"),
                    relations.network(s),
                )
            )
    assert results[0] == results[1]


@pytest.fixture
def corpus_db(tmp_path):
    from communique.corpus.store import open_store

    path = tmp_path / "corpus.db"
    with open_store(path) as s:
        s.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(s)
    return str(path)


def run_cli(*args: str) -> str:
    from typer.testing import CliRunner

    from communique.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def test_balance_explain_prints_the_evidence_behind_every_share(corpus_db):
    output = run_cli("balance", "AZE", "--db", corpus_db, "--explain")
    assert "evenness" in output
    assert "AZE ↔ CHN 2022" in output
    assert "China and Azerbaijan agreed on a transit corridor across the Caspian Sea." in output


def test_relations_command_prints_both_directions_with_their_evidence(corpus_db):
    output = run_cli("relations", "AZE", "KGZ", "--db", corpus_db, "--by", "month", "--explain")
    assert "AZE → KGZ by month" in output and "KGZ → AZE by month" in output
    assert "Azerbaijan and Kyrgyzstan signed a declaration on strategic partnership in Bishkek." in output


def test_convergence_command_prints_the_trend(corpus_db):
    output = run_cli("convergence", "AZE", "KGZ", "--db", corpus_db)
    assert "trend of the dyadic mean score: 2.000 per year" in output


def test_every_corpus_command_option_is_documented():
    import typer.main

    from communique.cli import app

    folder = Path(__file__).resolve().parents[2] / "docs"
    docs = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))
    )  # corpus.md and others
    group = typer.main.get_command(app)
    for name in ("ingest", "runs", "search", "relations", "balance", "convergence", "network", "export"):
        assert f"`{name}" in docs or f" {name} " in docs, name
        for param in group.commands[name].params:
            for option in param.opts:
                if option.startswith("--"):
                    assert option in docs, f"{name} {option} is not documented in docs/"


def test_a_centres_file_that_repeats_a_key_is_refused_with_both_lines(corpus_db, tmp_path):
    from typer.testing import CliRunner

    from communique.cli import app

    centres = tmp_path / "centres.yaml"
    centres.write_text("centres:\n  - name: RUS\n    members: [RUS]\n    name: USA\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["balance", "AZE", "--db", corpus_db, "--centres", str(centres)])
    assert result.exit_code == 2
    assert "centres.yaml: line 4: key 'name' repeats the key of line 2" in " ".join(result.output.split())
