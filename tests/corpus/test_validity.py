"""benchmarks/validity.py: the correlations between the event measures and the UN ideal-point distance."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from corpus_records import record, stored

from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from communique.kb import unga
from tests.kb.test_unga import small_csv

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import validity  # noqa: E402

EVENTS = [  # (text, date, type, actor, recipient): friendly with the close, hostile with the distant
    ("Azerbaijan and Kyrgyzstan signed a declaration.", "2018-03-01", "AGREE", "AZE", "KGZ"),
    ("Azerbaijan and Kyrgyzstan signed a treaty.", "2019-03-01", "AGREE", "AZE", "KGZ"),
    ("Azerbaijan accused Russia.", "2018-04-01", "ACCUSE", "AZE", "RUS"),
    ("Azerbaijan threatened the United States.", "2018-05-01", "THREATEN", "AZE", "USA"),
    ("The United States sanctioned Azerbaijan.", "2019-05-01", "SANCTION", "USA", "AZE"),
]


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(None, [stored(record(t, d, [(k, a, r)])) for t, d, k, a, r in EVENTS])
        merge_events(store)
    return path


def test_each_dyad_year_gets_its_measures_and_its_ideal_point_distance(db, tmp_path):
    with open_store(db) as store:
        unga.import_unga(store, small_csv(tmp_path / "points.csv"))
        years, correlations = validity.validity(store, min_events=1)
    assert [(d.a, d.b, d.year, d.cooperative_share, round(d.distance, 3)) for d in years] == [
        ("AZE", "KGZ", 2018, 1.0, 0.25),
        ("AZE", "KGZ", 2019, 1.0, 0.3),
        ("AZE", "RUS", 2018, 0.0, 1.0),
        ("AZE", "USA", 2018, 0.0, 3.5),
        ("AZE", "USA", 2019, 0.0, 3.45),
    ]
    net = correlations[0]
    assert net.measure == "net score" and net.n == 5
    assert net.pearson is not None and net.pearson < -0.8  # friendlier events, closer votes
    assert net.pearson_ci is not None and net.pearson_ci[0] <= net.pearson <= net.pearson_ci[1]
    with open_store(db) as store:
        assert validity.validity(store, min_events=2)[0] == []  # the threshold leaves out thin years


def test_the_script_loads_ideal_points_into_a_store_without_and_prints_the_figures(db, tmp_path, capsys):
    assert validity.main([str(db), "--min-events", "1", "--unga", str(small_csv(tmp_path / "p.csv"))]) == 0
    printed = capsys.readouterr().out
    assert "loaded 13 from p.csv" in printed
    assert "5 dyad-years (3 pairs of states) with at least 1 events" in printed
    assert "net score" in printed and "Spearman" in printed


def test_ranks_share_ties_and_the_interval_needs_four_points():
    assert validity.ranks([3.0, 1.0, 3.0, 2.0]) == [3.5, 1.0, 3.5, 2.0]
    assert validity.fisher_ci(0.5, 3) is None
    low, high = validity.fisher_ci(0.5, 103)
    assert low < 0.5 < high and round(high - low, 2) == 0.29
