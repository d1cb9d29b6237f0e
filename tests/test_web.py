"""The web UI in a real headless Chromium (Debian's, driven by Playwright), against a live server on loopback.

Screenshots of every page are saved under artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import shared_path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser

HOSTILE = """Officials report new talks between Azerbaijan and Kyrgyzstan
<script>alert('script tag ran')</script> Azerbaijani President Ilham Aliyev visited Bishkek on Tuesday.
<img src=x onerror="alert('onerror ran')"> He signed a declaration with Kyrgyz President Sadyr Japarov.
<a href="javascript:alert('link ran')">click here</a> "We are brothers," Aliyev said."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(analyzer):
    """A real uvicorn server on loopback over the shared test store (samples, seed, corpus articles)."""
    import uvicorn
    from web_corpus import web_store

    from communique.api import create_app

    db = str(web_store(analyzer))
    app = create_app(db, token="test-token")
    app.state.communique._analyzer = analyzer  # the session's model: one load for the whole test run
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("needs Debian's chromium (installed by scripts/test-services)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.console_errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # A full-page capture can take long on a busy machine: a late screenshot is not a failure of the page.
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, timeout=120_000)


def test_pasted_article_is_shown_with_highlighted_spans_and_an_event_list(server, page):
    base, _ = server
    page.goto(f"{base}/ui/analyse")
    page.fill("textarea[name=text]", (ROOT / "src/communique/samples/bishkek-summit.txt").read_text())
    page.fill("input[name=published]", "2024-11-08")
    page.click("button[type=submit]")
    page.wait_for_selector("#analysis .article-text", timeout=60_000)
    actors = page.locator("#analysis mark.actor")
    assert actors.count() >= 5
    assert "Sadyr Japarov" in actors.all_inner_texts()
    assert page.locator("#analysis mark.date").count() >= 1
    # hover tells what it was coded as
    assert page.locator("#analysis mark.actor").first.get_attribute("title")
    events = page.locator("ul.events li[data-event]")
    assert events.count() >= 1
    events.first.click()  # scrolls the text to the event's evidence
    assert page.locator("mark.event.focus").count() == 1
    _shot(page, "analyse")
    assert page.console_errors == []


def test_hostile_article_is_shown_as_text_and_nothing_executes(server, page):
    base, _ = server
    page.goto(f"{base}/ui/analyse")
    page.fill("textarea[name=text]", HOSTILE)
    page.click("button[type=submit]")
    page.wait_for_selector("#analysis .article-text", timeout=60_000)
    page.wait_for_timeout(500)
    text = page.locator("#analysis .article-text").inner_text()
    assert "<script>alert('script tag ran')</script>" in text
    assert 'onerror="alert' in text
    assert page.locator("#analysis script, #analysis img, #analysis a[href^='javascript']").count() == 0
    assert page.dialogs == []
    assert page.console_errors == []
    _shot(page, "hostile-article")


def _open(page, base: str, path: str, name: str) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_selector(f"#app[data-ready={name}]", timeout=30_000)
    assert page.locator("#app .error").count() == 0, page.locator("#app .error").all_inner_texts()


def test_articles_page_lists_stored_articles_and_opens_one_with_its_highlighted_analysis(server, page):
    base, _ = server
    _open(page, base, "/ui/articles", "articles")
    rows = page.locator("table.data tbody tr a")
    assert rows.count() >= 4
    _shot(page, "articles")
    page.get_by_text("Turkic leaders meet in Bishkek, sign transport and energy deals").click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator(".article-text mark.actor").count() >= 5
    assert page.locator("ul.events li[data-event]").count() >= 1
    assert page.get_by_text("Other articles reporting the same events").count() == 1
    _shot(page, "article")
    assert page.console_errors == []


def test_stored_article_lists_its_near_duplicates_and_the_other_reports_of_its_events(server, page):
    base, _ = server
    _open(page, base, "/ui/articles?q=Middle Corridor", "articles")
    page.get_by_text(
        "Azerbaijan, Georgia and Kazakhstan agree to expand Middle Corridor freight"
    ).first.click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    copy = page.get_by_role("link", name="Middle Corridor (wire copy)")
    assert copy.get_attribute("href") == "https://example.org/wire/middle-corridor"
    assert "exact copy · wire copy" in page.locator("#app").inner_text()
    page.get_by_role("link", name="Bayramov holds rail freight talks in Tbilisi").click()  # the same talks
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator("#app h1").inner_text() == "Bayramov holds rail freight talks in Tbilisi"
    back = page.get_by_role(
        "link", name="Azerbaijan, Georgia and Kazakhstan agree to expand Middle Corridor freight"
    )
    assert back.count() == 1  # and it lists the first report among its own related articles
    _shot(page, "article-related")
    assert page.console_errors == []


def test_events_page_lists_filtered_events_with_download_links(server, page):
    base, _ = server
    _open(page, base, "/ui/events?actor=AZE", "events")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1
    assert "AZE" in page.locator("table.data tbody").inner_text()
    csv = page.get_by_role("link", name="CSV").get_attribute("href")
    assert csv.startswith("/api/events/export") and "actor=AZE" in csv
    _shot(page, "events")
    assert page.console_errors == []


def test_actor_page_shows_the_knowledge_base_profile_timeline_and_stance(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/AZE", "actor")
    assert "Republic of Azerbaijan" in page.locator("#app").inner_text()
    assert page.locator("svg.chart.bars rect.bar").count() >= 1
    assert page.locator("svg.chart.stance rect.bar").count() >= 1
    assert page.locator("table.data").nth(0).locator("tbody tr td").first.inner_text() != "No data."
    _shot(page, "actor")
    assert page.console_errors == []


def test_actor_stance_bar_click_lists_the_sentences_each_article_was_read_from(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/GEO", "actor")
    source = "communique sample"  # the Middle Corridor sample: Georgia's prime minister welcomes the decision
    page.locator(f"svg.chart.stance rect.bar.pickable[data-source='{source}']").click()
    page.wait_for_selector("#evidence[data-ready]")
    assert f"How {source} wrote about" in page.locator("#evidence h2").inner_text()
    assert page.locator("#evidence table.data tbody tr a").count() >= 1
    assert page.locator("#evidence p.sentence").count() >= 1
    assert page.console_errors == []


def test_actor_timeline_bar_lists_events_with_the_actor_on_either_side(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/KGZ", "actor")
    page.locator("svg.chart.bars rect.bar.pickable").first.click()
    page.wait_for_selector("#app[data-ready=events]")
    assert "party=KGZ" in page.url
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1 and all("KGZ" in r for r in rows.all_inner_texts())
    assert page.console_errors == []


def test_relations_page_charts_the_seed_dyad_with_its_evidence(server, page):
    base, _ = server
    shared_path("seed", "baku-bishkek.txt")
    _open(page, base, "/ui/relations?a=AZE&b=KGZ&by=month", "relations")
    assert page.locator("svg.chart.line circle").count() >= 1
    assert page.locator("svg.chart.bars rect.bar").count() >= 1
    assert "Kyrgyz" in page.locator("table.data tbody").inner_text()
    _shot(page, "relations")
    bar = page.locator("svg.chart.bars rect.bar.pickable").first  # a mark lists the events behind it
    event_type, period = bar.get_attribute("data-series"), bar.get_attribute("data-period")
    bar.click()
    page.wait_for_selector("#evidence[data-ready]")
    assert page.locator("#evidence h2").inner_text().startswith(f"{event_type} AZE → KGZ in {period}")
    rows = page.locator("#evidence table.data tbody tr")
    assert rows.count() >= 1
    assert all(event_type in r and "AZE → KGZ" in r for r in rows.all_inner_texts())
    # a point of the score line: the events of every type in its period
    page.locator("svg.chart.line circle.pickable").first.click(force=True)
    page.locator("#evidence[data-ready] h2", has_text=re.compile("^Events")).wait_for()
    assert page.locator("#evidence table.data tbody tr").count() >= rows.count()
    page.locator("#evidence table.data tbody tr a").first.click()  # the evidence sentence opens its article
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.console_errors == []


def test_convergence_page_charts_the_dyadic_score_and_stance_similarity_and_a_point_lists_its_events(
    server, page
):
    shared_path("corpora", "allsides-geopolitics.jsonl.gz")  # the US and Russia, and their third parties
    base, _ = server
    _open(page, base, "/ui/relations?a=USA&b=RUS&by=year", "relations")
    page.get_by_role("link", name="convergence of USA and RUS").click()  # the Relations page leads here
    page.wait_for_selector("#app[data-ready=convergence]")
    assert page.locator("#app .error").count() == 0
    score, similarity = page.locator("svg.chart.line").nth(0), page.locator("svg.chart.line").nth(1)
    assert score.locator("circle.pickable").count() >= 1
    assert similarity.locator("circle.pickable").count() >= 1
    assert "Score trend" in page.locator("#app").inner_text()
    _shot(page, "convergence")

    point = score.locator("circle.pickable").first
    period = point.get_attribute("data-period")
    point.click(force=True)  # the circle is small: click its centre even if the line is drawn over it
    page.wait_for_selector("#evidence[data-ready]")
    evidence = page.locator("#evidence")
    assert f"Events between USA and RUS in {period}" in evidence.locator("h2").inner_text()
    rows = evidence.locator("table.data tbody tr")
    assert rows.count() >= 1
    assert all("USA" in r and "RUS" in r for r in rows.all_inner_texts())

    point = similarity.locator("circle.pickable").first
    period = point.get_attribute("data-period")
    point.click(force=True)
    page.locator("#evidence[data-ready] h2", has_text=f"third parties in {period}").wait_for()
    assert evidence.locator("table.data tbody tr").count() >= 2  # each of the two with a shared party
    _shot(page, "convergence-evidence")
    evidence.locator("table.data tbody tr a").first.click()  # and from the list to the article
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.console_errors == []


def test_stored_article_full_of_markup_is_shown_as_text_wherever_its_text_appears(server, page):
    from web_corpus import HOSTILE_STORED

    base, _ = server

    def nothing_ran() -> None:
        assert page.locator("#app script, #app img, #app a[href^='javascript'], #app [onerror]").count() == 0
        assert page.dialogs == [] and page.console_errors == []

    _open(page, base, "/ui/events?source=hostile wire", "events")
    assert "onerror=\"alert('stored onerror ran')\"" in page.locator("table.data tbody").inner_text()
    nothing_ran()
    page.locator("table.data tbody tr a").first.click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator("#app h1").inner_text() == HOSTILE_STORED["title"]
    assert "<script>alert('stored script ran')</script>" in page.locator(".article-text").inner_text()
    assert "javascript:alert('stored link ran')" in page.locator(".article-text").inner_text()
    nothing_ran()
    _open(page, base, "/ui/convergence?a=AZE&b=KGZ&by=year", "convergence")
    page.locator("svg.chart.line").first.locator("circle.pickable[data-period='2022']").click(force=True)
    page.wait_for_selector("#evidence[data-ready]")
    assert "<img src=x onerror=\"alert('stored onerror ran')\">" in page.locator("#evidence").inner_text()
    _shot(page, "hostile-stored-article")
    nothing_ran()


def test_actors_page_lists_actors_linking_to_their_profiles(server, page):
    base, _ = server
    _open(page, base, "/ui/actors", "actors")
    assert page.locator("table.data tbody tr a").count() >= 10
    page.locator("table.data tbody tr a", has_text="RUS").first.click()
    page.wait_for_selector("#app[data-ready=actor]")
    assert "Russia" in page.locator("#app h1").inner_text()
    _shot(page, "actors")
    assert page.console_errors == []


def test_balance_page_draws_shares_by_centre_and_the_evenness_index(server, page):
    shared_path("seed", "baku-bishkek.txt")  # AZE's engagement with the centres comes from the seed
    base, _ = server
    _open(page, base, "/ui/balance?country=AZE", "balance")
    assert page.locator("svg.chart.bars rect.bar").count() >= 1
    assert page.locator("svg.chart.line circle").count() >= 1
    _shot(page, "balance")
    assert page.console_errors == []


def test_balance_segment_click_lists_the_countrys_events_with_that_centre(server, page):
    shared_path("seed", "baku-bishkek.txt")
    base, _ = server
    _open(page, base, "/ui/balance?country=AZE", "balance")
    page.locator("svg.chart.bars rect.bar.pickable").first.click()
    page.wait_for_selector("#evidence[data-ready]")
    assert "AZE's events with" in page.locator("#evidence h2").inner_text()
    rows = page.locator("#evidence table.data tbody tr")
    assert rows.count() >= 1 and "No data." not in rows.first.inner_text()
    assert all("AZE" in r for r in rows.all_inner_texts())
    assert page.console_errors == []


def test_map_page_shades_partner_countries_of_the_chosen_country(server, page):
    base, _ = server
    _open(page, base, "/ui/map?country=RUS", "map")
    shaded = page.locator("svg.chart.map path[data-code]:not([fill='#e2e8f0'])")
    assert page.locator("svg.chart.map path").count() > 100
    assert shaded.count() >= 2  # the country itself and at least one partner
    _shot(page, "map")
    assert page.console_errors == []


def test_network_node_click_lands_on_the_actor_page(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1", "network")
    nodes = page.locator("svg.chart.network a.node")
    assert nodes.count() >= 3
    assert page.locator("svg.chart.network line").count() >= 2
    _shot(page, "network")
    node = page.locator("svg.chart.network a.node[data-node=CHN]")
    code = "CHN" if node.count() else nodes.first.get_attribute("data-node")
    page.locator(f"svg.chart.network a.node[data-node='{code}'] circle").click(force=True)
    page.wait_for_selector("#app[data-ready=actor]")
    assert page.url.endswith(f"/ui/actor/{code}")
    assert code in page.locator("#app h1").inner_text()
    assert page.console_errors == []


def test_network_filtered_to_one_actor_draws_only_that_actors_relations(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1&actor=AZE", "network")
    nodes = page.locator("svg.chart.network a.node")
    codes = {nodes.nth(i).get_attribute("data-node") for i in range(nodes.count())}
    assert "AZE" in codes and len(codes) >= 2
    assert page.locator("svg.chart.network line").count() <= 2 * (len(codes) - 1)
    assert page.console_errors == []


def test_network_edge_opens_the_dyads_relations_with_their_evidence(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1&actor=AZE&since=2022-01-01", "network")
    # An edge is a thin line often crossed by others: the click is dispatched to it rather than aimed at a pixel.
    page.locator("svg.chart.network line.pickable").first.dispatch_event("click")
    page.wait_for_selector("#app[data-ready=relations]")
    assert "a=" in page.url and "b=" in page.url and "since=2022-01-01" in page.url
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1 and "No data." not in rows.first.inner_text()
    assert page.console_errors == []
