"""The Convergence and Balance pages show the UN ideal points beside the events, in a real headless Chromium.

Over a small store of its own (two events, the small ideal-point file of test_unga.py), served on loopback as
tests/api/test_web.py serves its own; screenshots go to artifacts/screenshots/ (convergence-unga, balance-unga).
"""

from __future__ import annotations

import pytest
from corpus_records import record, stored
from live_server import serving

from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from communique.kb import unga
from tests.api.test_web import _charts, _open, _option, _shot, browser, page  # noqa: F401  (the Chromium fixtures of test_web.py)
from tests.kb.test_unga import small_csv

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def unga_server(tmp_path_factory):

    from communique.api.app import create_app

    folder = tmp_path_factory.mktemp("unga-web")
    db = folder / "corpus.db"
    with open_store(db) as store:
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
        unga.import_unga(store, small_csv(folder / "points.csv"))
    with serving(create_app(str(db), token="t")) as url:
        yield url


def test_convergence_page_charts_the_un_vote_distance_beside_the_events(unga_server, page):  # noqa: F811
    _open(page, unga_server, "/ui/convergence?a=AZE&b=KGZ&by=year", "convergence")
    section = page.locator("#unga")
    assert "distance between the ideal points of AZE and KGZ" in section.locator("h2").inner_text()
    assert "Bailey, Strezhnev & Voeten" in section.locator("p.source").inner_text()
    chart = _charts(page, "line").last
    option = _option(chart)
    assert option["xAxis"][0]["data"] == ["2018", "2019"]
    assert option["series"][0]["data"] == [0.25, 0.3]
    assert section.locator("table.data tbody tr").all_inner_texts()[1].split("\t") == [
        "2019",
        "-0.700",
        "-0.400",
        "0.300",
    ]
    # the event table carries the year's distance too
    head = page.locator("#app table.data").first.locator("th").all_inner_texts()
    assert head[-1] == "UN vote distance"
    assert page.locator("#app table.data").first.locator("tbody tr td").last.inner_text() == "0.300"
    _shot(page, "convergence-unga")
    assert page.console_errors == []


def test_balance_page_sets_the_countrys_ideal_point_against_each_centre(unga_server, page):  # noqa: F811
    _open(page, unga_server, "/ui/balance?country=AZE", "balance")
    section = page.locator("#unga")
    assert "AZE's ideal point against each centre's" in section.locator("h2").inner_text()
    assert "Bailey, Strezhnev & Voeten" in section.locator("p.source").inner_text()
    heads = section.locator("th").all_inner_texts()
    assert heads[:3] == ["year", "AZE ideal point", "RUS (distance)"]
    first = section.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first[:2] == ["2018", "-0.500"] and first[2] == "-1.500 (1.000)"
    assert first[heads.index("EU (distance)")] == "1.250 (1.750)"
    assert first[heads.index("CHN (distance)")] == "–"
    _shot(page, "balance-unga")
    assert page.console_errors == []


def test_without_ideal_points_the_page_says_how_to_load_them(unga_server, page):  # noqa: F811
    _open(page, unga_server, "/ui/convergence?a=USA&b=CHN&by=year", "convergence")
    assert "communique import unga FILE" in page.locator("#unga").inner_text()
    assert page.console_errors == []
