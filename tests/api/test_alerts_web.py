"""The Alerts page and the correction flow in a real headless Chromium: unread counts in the navigation, each
alert's events one click from their article, marking read and correcting with the token, never without it."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from corpus_records import REPORTS, record, stored
from live_server import serving

from communique.corpus import relations
from communique.corpus.alerts import check_alerts, save_query
from communique.corpus.corrections import corrections
from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "test-token"
ACCUSATION = "Azerbaijan accused Russia of failing to stop Armenian forces near Lachin."
SHELLING = "Azerbaijan accused Russia of shelling <b>villages</b> near Tovuz <script>window.ran=1</script>."
BORDER = "Azerbaijan accused Russia of moving troops to the border with Armenia."

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path):
    """A store of hand-coded reports with a saved query and two alerts, served by uvicorn on loopback."""

    from communique.api.app import create_app

    db = tmp_path / "corpus.db"
    with open_store(db) as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(store)
        save_query(store, "aze-rus", dyad=("AZE", "RUS"))
        store.write_batch(
            None,
            [
                stored(
                    record(SHELLING, "2023-02-01", [("ACCUSE", "AZE", "RUS")], title="Shelling near Tovuz")
                ),
                stored(
                    record(BORDER, "2023-03-10", [("ACCUSE", "AZE", "RUS")], title="Troops at the border")
                ),
            ],
        )
        merge_events(store)
        assert len(check_alerts(store)) == 2
    with serving(create_app(str(db), token=TOKEN)) as url:
        yield url, db


@pytest.fixture
def page():
    if not CHROMIUM:
        pytest.skip("needs Debian's chromium (installed by scripts/test-services)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        pg = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        yield pg
        assert not errors
        browser.close()


def _ready(page, name: str) -> None:
    page.wait_for_selector(f"#app[data-ready={name}]", timeout=30_000)


def _until(page, expression: str, timeout: float = 30.0) -> None:
    """Wait until a JavaScript expression is true (polled from here: the page's CSP forbids Playwright's own
    in-page polling, which evaluates strings)."""
    deadline = time.time() + timeout
    while not page.evaluate(expression):
        assert time.time() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.05)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, timeout=120_000)


def test_the_alerts_page_lists_each_alert_with_its_evidence_one_click_from_the_article(served, page):
    base, db = served
    page.goto(f"{base}/ui/sources")
    _ready(page, "sources")
    _until(page, "document.getElementById('unread-alerts').textContent === '2'")
    page.click("header nav a[href='/ui/alerts']")  # reached from the navigation, with its unread count
    _ready(page, "alerts")
    assert page.locator("#app .error").count() == 0
    items = page.locator("li.alert")
    assert items.count() == 2
    assert items.nth(0).locator(".alert-head strong").inner_text() == "ACCUSE AZE → RUS on 2023-03-10"
    assert items.nth(0).locator(".badge.unread").inner_text() == "new"
    shelling = items.nth(1)
    # article text is text: the markup in it is shown, never run or rendered
    assert shelling.locator("blockquote").inner_text() == SHELLING
    assert shelling.locator("blockquote b, blockquote script").count() == 0
    assert page.evaluate("window.ran") is None
    assert "sentence 0, characters 0–" in shelling.locator(".evidence .muted").inner_text()
    feed = page.locator("a.feed").get_attribute("href")
    assert feed and feed.endswith(".atom")
    _shot(page, "alerts")
    page.set_viewport_size({"width": 390, "height": 800})  # a phone: nothing scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "alerts-390")
    page.set_viewport_size({"width": 1300, "height": 900})
    shelling.locator(".evidence a").click()  # one click to the article
    _ready(page, "article")
    assert page.locator("h1").first.inner_text() == "Shelling near Tovuz"


def test_marking_an_alert_read_needs_the_token_and_lowers_the_unread_count(served, page):
    base, _ = served
    page.goto(f"{base}/ui/alerts")
    _ready(page, "alerts")
    page.locator("li.alert").nth(0).locator("button.read").click()
    page.wait_for_selector("#app .status .error")
    assert "Bearer" in page.locator("#app .status .error").inner_text()
    assert page.locator("li.alert.unread").count() == 2
    page.fill(".row.controls input[name=token]", TOKEN)
    page.locator("li.alert").nth(0).locator("button.read").click()
    _until(page, "document.querySelectorAll('li.alert.unread').length === 1")
    _until(page, "document.getElementById('unread-alerts').textContent === '1'")
    page.check("input[name=unread]")
    _ready(page, "alerts")
    _until(page, "document.querySelectorAll('li.alert').length === 1")
    page.click("text=Mark all read")  # the token is kept for the tab
    _until(page, "document.getElementById('unread-alerts').hidden")
    assert page.locator("li.alert").count() == 0


def _event_row(page, text: str):
    return page.locator("ul.correct-events > li").filter(has_text=text)


def test_an_analyst_corrects_an_event_on_its_article_and_the_relations_follow(served, page):
    base, db = served
    with open_store(db) as store:
        doc_id, event_id = store.query(
            "SELECT d.id, e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE d.text = ?",
            (ACCUSATION,),
        )[0]
    page.goto(f"{base}/ui/article/{doc_id}")
    _ready(page, "article")
    row = page.locator(f"ul.correct-events > li[data-event='{event_id}']")
    row.locator("button.open-correction").click()
    form = row.locator("form.correct-event")
    form.locator("input[name=recipient]").fill("ARM")
    form.locator("input[name=note]").fill("Armenian forces are the target")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#app .corrections .status .error")  # no name yet
    page.fill("input[name=by]", "ana")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#app .corrections .status .error")  # and no token: refused
    assert "writes" in page.locator("#app .corrections .status .error").inner_text()
    with open_store(db) as store:
        assert corrections(store) == []
    page.fill("input[name=token]", TOKEN)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".badge.corrected")
    _ready(page, "article")
    row = page.locator(f"ul.correct-events > li[data-event='{event_id}']")
    assert "AZE → ARM" in row.inner_text() and "corrected by ana" in row.inner_text()
    history = page.locator(".corrections table.data tbody tr").all_inner_texts()
    assert len(history) == 1 and "ana" in history[0] and "ACCUSE AZE → RUS realized" in history[0]
    assert '{"recipient":["ARM"]}' in history[0]  # only what the analyst changed
    with open_store(db) as store:
        assert [p.events for p in relations.dyad_series(store, "AZE", "ARM").periods] == [1]
        assert corrections(store)[0].note == "Armenian forces are the target"
    _shot(page, "correction")

    # reject it: it stays on the page, marked, and counts nowhere
    row.locator("button.open-correction").click()
    row.locator("button.reject").click()
    page.wait_for_selector(".badge.conf:text('rejected')")
    with open_store(db) as store:
        assert relations.dyad_series(store, "AZE", "ARM").periods == []
        assert len(corrections(store)) == 2


def test_an_analyst_adds_a_missed_event_from_a_sentence(served, page):
    base, db = served
    text = "Azerbaijan's foreign minister met his counterpart from Kyrgyzstan in Bishkek on Monday."
    rec = record(text, "2022-10-10", [])
    rec["actors"] = record(text, "2022-10-10", [("CONSULT", "AZE", "KGZ")])["actors"]
    with open_store(db) as store:
        store.write_batch(None, [stored(rec)])
    page.goto(f"{base}/ui/article/{rec['document']['id']}")
    _ready(page, "article")
    assert page.locator("ul.correct-events > li").count() == 0
    page.fill("input[name=token]", TOKEN)
    page.fill("input[name=by]", "ana")
    add = page.locator("form.add-event")
    add.locator("select[name=sentence]").select_option("0")
    add.locator("select[name=type]").select_option("CONSULT")
    add.locator("input[name=actor]").fill("AZE")
    add.locator("input[name=recipient]").fill("KGZ")
    add.locator("input[name=trigger]").fill("met")
    add.locator("button[type=submit]").click()
    page.wait_for_selector("ul.correct-events > li .badge.corrected")
    _ready(page, "article")
    assert "AZE → KGZ" in page.locator("ul.correct-events > li").inner_text()
    assert page.locator("ul.events li").count() == 1  # the article's own event list shows it too
    with open_store(db) as store:
        (october,) = [p for p in relations.dyad_series(store, "AZE", "KGZ").periods if p.period == "2022-10"]
        assert october.by_type.get("CONSULT") == 1


def test_an_analyst_saves_and_deletes_a_query_on_the_alerts_page(tmp_path, page):

    from communique.api.app import create_app

    db = tmp_path / "corpus.db"
    with open_store(db) as store:
        store.write_batch(None, [stored(r) for r in REPORTS])
        merge_events(store)
    with serving(create_app(str(db), token=TOKEN)) as url:
        page.goto(f"{url}/ui/alerts")
        _ready(page, "alerts")
        assert "No saved query yet" in page.locator("#app .empty").inner_text()
        form = page.locator("form.save-query")
        form.locator("input[name=name]").fill("aze-rus")
        form.locator("input[name=a]").fill("Azerbaijan")
        form.locator("input[name=b]").fill("RUS")
        form.locator("input[name=types]").fill("accuse, threaten")
        form.locator("input[name=deviation]").fill("2")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#app .status .error")  # no token: refused
        with open_store(db) as store:
            assert store.query("SELECT count(*) FROM saved_queries") == [(0,)]
        form.locator("input[name=token]").fill(TOKEN)
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#app table.data")
        _ready(page, "alerts")
        row = page.locator("#app table.data tbody tr").first.inner_text()
        assert "aze-rus" in row and "AZE → RUS (ACCUSE, THREATEN), change > 2 SD over 12 months" in row
        page.locator("button.delete").click()
        page.wait_for_selector("#app .empty")
        with open_store(db) as store:
            assert store.query("SELECT count(*) FROM saved_queries") == [(0,)]
