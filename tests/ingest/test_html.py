"""HTML pages (communique/ingest/html.py): the article's body, title, author and date; markup that breaks parsers
still yields its text."""

from __future__ import annotations

from datetime import date

import pytest

from communique.errors import InputError
from communique.ingest.read import document_from_bytes, read_source
from tests.ingest.test_decode import ARTICLE_HTML

# -- HTML -------------------------------------------------------------------------------------------------


def test_html_file_yields_title_author_date_and_body():
    document = read_source(str(ARTICLE_HTML))
    assert document.title == "Caspian ferry link reopens after two-year pause"
    assert document.author == "Leyla Mammadova"
    assert document.published == date(2023, 3, 14)
    assert "resumed on Monday after a two-year suspension" in document.text
    assert document.url == "https://ledger.example.org/2023/03/14/caspian-ferry"


def test_html_body_leaves_out_comments_navigation_and_cookie_banner():
    text = read_source(str(ARTICLE_HTML)).text
    assert "Great news for truckers" not in text
    assert "We use cookies" not in text
    assert "Home" not in text.split()


def test_html_is_detected_by_content_not_by_file_name(tmp_path):
    renamed = tmp_path / "story.txt"
    renamed.write_bytes(ARTICLE_HTML.read_bytes())
    assert read_source(str(renamed)).author == "Leyla Mammadova"


def test_published_option_overrides_the_date_found():
    document = read_source(str(ARTICLE_HTML), published="2023-03-20", title="Ferry link reopens")
    assert document.published == date(2023, 3, 20) and document.title == "Ferry link reopens"


def test_malformed_html_still_yields_its_text():
    html = (
        "<html><head><title>Yerevan reopens crossing</title></head><body><div><p>Officials in Yerevan said on "
        "Tuesday that the Margara crossing would reopen <b>next week<div><p>after talks with Baku and Ankara."
        "</span></table><p>Traders in the border villages welcomed the news"
    )
    document = document_from_bytes(html.encode(), name="broken.html")
    assert "Margara crossing would reopen" in document.text
    assert document.title == "Yerevan reopens crossing"


def test_html_in_the_charset_its_meta_tag_declares_is_decoded():
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Переговоры в Тбилиси</title></head><body><article><p>Делегации Армении и Азербайджана "
        "встретились в Тбилиси в понедельник и договорились продолжить переговоры о границе.</p>"
        "<p>Следующая встреча состоится в следующем месяце в Алматы.</p></article></body></html>"
    )
    document = document_from_bytes(html.encode("cp1251"), name="ru.html")
    assert document.metadata["encoding"] == "cp1251"
    assert document.title == "Переговоры в Тбилиси" and "встретились в Тбилиси" in document.text


def test_html_with_only_scripts_is_an_input_error():
    html = "<html><head><script>var a = 1;</script></head><body><script>track()</script></body></html>"
    with pytest.raises(InputError, match="no article text"):
        document_from_bytes(html.encode(), name="page.html")


def test_deeply_nested_html_still_yields_its_text():
    html = "<html><body>" + "<div>" * 20000 + "<p>Officials met in Baku &amp; Yerevan.</p>" + "</div>" * 20000
    document = document_from_bytes(html.encode(), name="nested.html")
    assert document.text == "Officials met in Baku & Yerevan."
