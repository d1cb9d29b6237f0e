"""The Sources page in a real headless Chromium: each watched source's last fetch, new items, errors, next run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from live_server import serving

import communique.corpus.run as corpus_module
from communique.corpus.run import IngestSettings
from communique.corpus.store import open_store
from communique.corpus.watch import watch
from tests.corpus.test_watch import Clock, FeedServer, corpus_records

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(analyzer, tmp_path, monkeypatch):
    """A store whose watch polled a good feed and a broken one, served by uvicorn on loopback."""

    from communique.api.app import create_app

    monkeypatch.setenv("COMMUNIQUE_ALLOW_PRIVATE_URLS", "1")
    corpus_module._analyzer = analyzer
    feeds = FeedServer(corpus_records(4, chars=700))
    feeds.publish(2)
    db = tmp_path / "corpus.db"
    clock = Clock()
    clock.now = time.time()  # the page says how long ago and how soon, against the browser's clock
    settings = IngestSettings(workers=0, chunk_size=4)
    with open_store(db) as store:
        watch([feeds.feed, feeds.broken_feed], store, 900, 1, settings, clock, clock.sleep)
    app = create_app(str(db), token="test-token")
    with serving(app) as url:
        yield url, feeds, db, settings
    feeds.http.shutdown()
    corpus_module._analyzer = None


@pytest.fixture
def page():
    if not CHROMIUM:
        pytest.skip("needs Debian's chromium (installed by scripts/test-services)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        assert not errors
        browser.close()


def _rows(page) -> dict[str, list[str]]:
    rows = page.locator("#app table.data tbody tr")
    cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
    return {c[0]: c for c in cells}


def test_the_sources_page_shows_each_sources_last_fetch_new_items_errors_and_next_run(watched, page):
    base, feeds, db, settings = watched
    page.goto(f"{base}/ui/outlets")
    page.wait_for_selector("#app[data-ready=outlets]")
    page.click("header nav a[href='/ui/sources']")  # reached from the navigation
    page.wait_for_selector("#app[data-ready=sources]")
    assert page.locator("header nav a.active").inner_text() == "Sources"
    assert page.locator("#app .error").count() == 0
    rows = _rows(page)
    assert set(rows) == {feeds.feed, feeds.broken_feed}
    source, last_fetch, status, new, polls, errors, next_run = rows[feeds.feed]
    assert (status, new, polls, errors) == ("ok", "2 / 2", "1", "none")
    assert "ago" in last_fetch and "in 15 min" in next_run
    _, _, status, _, _, errors, next_run = rows[feeds.broken_feed]
    assert status == "error" and "1 in a row" in errors and "HTTP 500" in errors
    assert "backed off 30 min" in next_run and "in 30 min" in next_run
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "sources.png"), full_page=True, timeout=120_000)
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: long URLs wrap, nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(SHOTS / "sources-390.png"), full_page=True, timeout=120_000)
    page.set_viewport_size({"width": 1300, "height": 900})

    # The feed publishes two more and the broken one comes back: the next polls show on the page.
    feeds.publish(2)
    feeds.broken = False
    clock = Clock()
    clock.now = time.time() + 3600
    with open_store(db) as store:
        watch([feeds.feed, feeds.broken_feed], store, 900, 1, settings, clock, clock.sleep)
    page.reload()
    page.wait_for_selector("#app[data-ready=sources]")
    rows = _rows(page)
    assert rows[feeds.feed][2:5] == ["ok", "2 / 4", "2"]
    # the broken feed is back, with the other feed's entries (stored already): nothing new, no error
    assert rows[feeds.broken_feed][2] == "unchanged" and rows[feeds.broken_feed][5] == "none now (1 before)"


def test_the_sources_page_says_how_to_start_a_watch_when_none_is(tmp_path, page):

    from communique.api.app import create_app

    db = tmp_path / "corpus.db"
    open_store(db).close()
    with serving(create_app(str(db), token="t")) as url:
        page.goto(f"{url}/ui/sources")
        page.wait_for_selector("#app[data-ready=sources]")
        assert "communique watch SOURCES... --every 15m" in page.locator("#app .empty").inner_text()
