"""`communique brief`: the country brief as one self-contained page (render/brief.py, cli/brief.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus_records import record, stored
from typer.testing import CliRunner

from communique.cli import app
from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from communique.errors import CommuniqueError
from communique.kb import unga
from communique.render.brief import country_brief
from tests.kb.test_unga import small_csv

# (text, published, outlet, type, actor, recipient, event date of an undated report)
REPORTS = [
    (
        "Azerbaijan and Kyrgyzstan signed a declaration.",
        "2018-03-01",
        "Eurasianet",
        "AGREE",
        "AZE",
        "KGZ",
        None,
    ),
    ("Azerbaijan and Kyrgyzstan signed a treaty.", "2019-03-01", "Eurasianet", "AGREE", "AZE", "KGZ", None),
    ("Azerbaijan accused Russia.", "2018-04-01", "Tehran Times", "ACCUSE", "AZE", "RUS", None),
    ("Azerbaijan and Russia signed a treaty.", "2019-04-01", "Tehran Times", "AGREE", "AZE", "RUS", None),
    (
        "The United States sanctioned Azerbaijan.",
        None,
        "Tehran Times",
        "SANCTION",
        "USA",
        "AZE",
        "2019-05-06",
    ),
    (
        "Azerbaijan and Türkiye agreed <script>alert(1)</script>.",
        "2019-06-01",
        "Eurasianet",
        "AGREE",
        "AZE",
        "TUR",
        None,
    ),
    ("Kyrgyzstan and Russia signed a treaty.", "2019-07-01", "Eurasianet", "AGREE", "KGZ", "RUS", None),
]


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(
            None,
            [
                stored(
                    record(
                        text,
                        published,
                        [(kind, a, r)],
                        source=outlet,
                        title=f"<b>{text}</b>",
                        event_date=event_date,
                    )
                )
                for text, published, outlet, kind, a, r, event_date in REPORTS
            ],
        )
        merge_events(store)
        unga.import_unga(store, small_csv(tmp_path / "points.csv"))
    return path


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_the_brief_gathers_balance_partners_convergence_and_coverage(db):
    with open_store(db) as store:
        brief = country_brief(store, "AZE", partner="KGZ")
    assert [(p.code, p.events, p.cooperative, p.conflictual) for p in brief.partners] == [
        ("KGZ", 2, 2, 0),
        ("RUS", 2, 1, 1),
        ("TUR", 1, 1, 0),
        ("USA", 1, 0, 1),
    ]
    rus = brief.partners[1]
    assert rus.trend is not None and rus.trend > 0  # an accusation in 2018, a treaty in 2019: warming
    assert [
        (p.period, p.centres["RUS"].cooperative, p.centres["RUS"].conflictual) for p in brief.balance.periods
    ] == [
        ("2018", 0, 1),
        ("2019", 1, 0),
    ]
    assert brief.convergence is not None and brief.convergence.b == "KGZ"
    assert [p.dyad_events for p in brief.convergence.periods if p.dyad_events] == [1, 1]
    assert [round(y.distance, 3) for y in brief.convergence.ideal_points.years] == [0.25, 0.3]
    coverage = brief.coverage
    assert (coverage.documents, coverage.undated, coverage.events) == (6, 1, 6)  # KGZ-RUS is not Azerbaijan's
    assert [(o.name, o.documents) for o in coverage.outlets] == [("Eurasianet", 3), ("Tehran Times", 3)]
    assert (coverage.first, coverage.last) == ("2018-03-01", "2019-06-01")
    # every event behind a number is there with its evidence sentence
    assert sum(len(v) for v in brief.evidence.values()) == 7  # AZE's six, and KGZ-RUS as a shared third party


def test_the_partner_defaults_to_the_top_partner_and_cannot_be_the_country(db):
    with open_store(db) as store:
        assert country_brief(store, "AZE").partner == "KGZ"
        with pytest.raises(CommuniqueError, match="another state"):
            country_brief(store, "AZE", partner="AZE")


def test_the_command_writes_one_page_whose_every_number_links_to_its_events(db, tmp_path):
    out = tmp_path / "brief.html"
    result = run("brief", "Azerbaijan", "--db", db, "--partner", "Kyrgyzstan", "--out", out)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "Country brief: Azerbaijan (AZE)" in page
    assert "Convergence with KGZ" in page
    targets = set(re.findall(r'href="#(ev\d+)"', page))
    anchors = set(re.findall(r'id="(ev\d+)"', page))
    assert targets and targets == anchors  # each number's events are on the page, and no list is orphaned
    for text, *_ in REPORTS[:5]:
        assert text in page  # the evidence sentences
    assert "0.250" in page and "0.300" in page  # the UN vote distance beside the events
    assert "Eurasianet" in page and "Tehran Times" in page
    assert "1 undated" in page
    # 2019: Russia is the one third party both dealt with, so the similarity is 1 by construction, and says so
    assert "A similarity over a single shared third party is ±1 whatever the scores" in page


def test_the_page_escapes_stored_text_and_loads_nothing(db, tmp_path):
    out = tmp_path / "brief.html"
    assert run("brief", "AZE", "--db", db, "--out", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"<(script|link|img|iframe)\b|@import|url\(|\bsrc=", page)
    assert "<svg" in page and "@media print" in page  # the charts are inline; it prints


def test_a_period_with_no_events_says_so(db, tmp_path):
    out = tmp_path / "brief.html"
    assert run("brief", "AZE", "--db", db, "--since", "2021-01-01", "--out", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "No stored article reports an event of Azerbaijan in this period" in page
    assert "No events of Azerbaijan with any centre of power" in page


def test_an_unknown_country_is_an_error_and_writes_nothing(db, tmp_path):
    out = tmp_path / "brief.html"
    result = run("brief", "Atlantis", "--db", db, "--out", out)
    assert result.exit_code == 2
    assert "error:" in result.output
    assert not out.exists()


def test_without_ideal_points_the_page_says_how_to_load_them(tmp_path):
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(None, [stored(record(*REPORTS[0][:2], [REPORTS[0][3:6]]))])
        merge_events(store)
    out = tmp_path / "brief.html"
    assert run("brief", "AZE", "--db", path, "--out", out).exit_code == 0
    assert out.read_text(encoding="utf-8").count("communique import unga FILE") == 2  # balance, convergence
