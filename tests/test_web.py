"""The web UI in a real headless Chromium (Debian's, driven by Playwright), against a live server on loopback.

Screenshots of every page are saved under artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

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
def server(tmp_path_factory):
    """A real uvicorn server on loopback over a store holding the bundled samples."""
    import uvicorn

    from communique.api import create_app

    db = str(tmp_path_factory.mktemp("web") / "web.db")
    app = create_app(db, token="test-token")
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
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
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
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


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
    assert page.locator("#analysis mark.actor").first.get_attribute("title")  # hover tells what it was coded as
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
