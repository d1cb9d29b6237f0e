"""The Brief page (/brief): the country brief drawn on the server, in a real headless Chromium.

Over the small store of tests/render/test_brief.py, served on loopback; the screenshot goes to
artifacts/screenshots/brief.png.
"""

from __future__ import annotations

import pytest
from live_server import serving

from tests.api.test_web import _shot, browser, page  # noqa: F401  (the Chromium fixtures of test_web.py)
from tests.render.test_brief import db as brief_db  # noqa: F401  (the small store, a fixture)

pytestmark = pytest.mark.browser


@pytest.fixture()
def brief_server(brief_db):  # noqa: F811
    from communique.api.app import create_app

    with serving(create_app(str(brief_db), token="t")) as url:
        yield url


def test_the_brief_is_reached_from_the_navigation_and_asks_for_a_country(brief_server, page):  # noqa: F811
    page.goto(f"{brief_server}/ui/balance")
    page.locator("nav a", has_text="Brief").click()
    page.wait_for_selector("form.ask")
    page.fill("input[name=country]", "Azerbaijan")
    page.fill("input[name=partner]", "Kyrgyzstan")
    page.click("form.ask button[type=submit]")
    page.wait_for_selector("h1:has-text('Country brief: Azerbaijan (AZE)')")
    assert page.locator("#convergence h2").inner_text() == "Convergence with KGZ"
    assert page.input_value("input[name=partner]") == "Kyrgyzstan"  # the form keeps what was asked


def test_every_number_opens_the_events_behind_it_with_their_evidence(brief_server, page):  # noqa: F811
    page.goto(f"{brief_server}/brief?country=AZE&partner=KGZ")
    page.wait_for_selector("#balance svg rect")
    # the chart: one bar segment per centre and year with cooperative events: Kyrgyzstan counts toward the
    # Organization of Turkic States (2018, 2019), Russia and Türkiye in 2019
    bars = page.locator("#balance svg rect title").all_text_contents()
    assert sorted(bars) == [
        "2018: 1 cooperative events with Organization of Turkic States and its members",
        "2019: 1 cooperative events with Organization of Turkic States and its members",
        "2019: 1 cooperative events with Russia",
        "2019: 1 cooperative events with Türkiye",
    ]
    # the convergence table: 2018's one AZE-KGZ event, one click away
    page.locator("#convergence tbody tr", has_text="2018").locator("a").first.click()
    target = page.locator(".evidence:target")
    # the same event is the balance's OTS 2018 cell: one list, named for both numbers
    assert target.locator("h3").inner_text() == "AZE with OTS in 2018; AZE ↔ KGZ 2018: 1 event, 1 report"
    assert "Azerbaijan and Kyrgyzstan signed a declaration." in target.locator(".sentence").inner_text()
    assert target.evaluate("el => el.getBoundingClientRect().top") < 200  # scrolled to it
    # the UN vote distance stands beside the events
    row = page.locator("#convergence tbody tr", has_text="2019").inner_text().split("\t")
    assert row[0] == "2019" and row[-1] == "0.300"
    assert "Tehran Times" in page.locator("#coverage").inner_text()
    page.set_viewport_size({"width": 1300, "height": 900})
    _shot(page, "brief")


def test_the_page_runs_no_script_and_shows_stored_text_as_text(brief_server, page):  # noqa: F811
    page.goto(f"{brief_server}/brief?country=AZE")
    page.wait_for_selector("#evidence")
    assert page.dialogs == [] and page.console_errors == []
    assert page.evaluate("document.scripts.length") == 0
    assert page.locator("#evidence", has_text="<script>alert(1)</script>").count() == 1


def test_an_unknown_country_is_said_on_the_form(brief_server, page):  # noqa: F811
    response = page.goto(f"{brief_server}/brief?country=Atlantis")
    assert response is not None and response.status == 422
    assert "Atlantis" in page.locator(".answer").inner_text()
    assert page.locator("form.ask").count() == 1


def test_a_phone_reads_the_brief_without_sideways_scroll(brief_server, page):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{brief_server}/brief?country=AZE")
    page.wait_for_selector("#evidence")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
