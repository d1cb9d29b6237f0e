"""HTML pages: the article's body, title, author and publication date.

    document_from_html(html, url=None, name=...) -> Document    body by trafilatura, date by htmldate
    visible_text(html) -> str                                    every visible line: the last resort

HTML is recognised by content, not by file name (:func:`communique.ingest.decode.looks_like_html`); trafilatura
extracts the body (precision first, no comments), htmldate the publication date, trafilatura's metadata the title
and author; page furniture and captions the extractor kept are removed (:mod:`communique.ingest.furniture`). A
page with no article text is an :class:`InputError`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from communique.document import Document
from communique.errors import CommuniqueError, InputError
from communique.ingest.furniture import strip_furniture
from communique.ingest.published import publication_date

log = logging.getLogger(__name__)


def document_from_html(html: str, url: str | None = None, name: str = "<html>") -> Document:
    """The article in an HTML page: body by trafilatura, date by htmldate, title and author from metadata."""
    import trafilatura
    from htmldate import find_date

    try:
        body = trafilatura.extract(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
        if not body:  # precision can discard a short page entirely; fall back to recall, then to all text
            body = trafilatura.extract(html, url=url, favor_recall=True, include_comments=False)
        if not body:
            body = visible_text(html)
    except Exception as exc:  # lxml and trafilatura raise many types on hostile markup: all mean "unreadable"
        raise InputError(f"{name}: the HTML could not be parsed ({type(exc).__name__})") from None
    if not body or not body.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    stripped = strip_furniture(body.replace("\r\n", "\n"))
    document = Document(text=stripped.text, url=url)
    if stripped.removed:
        document.metadata["furniture"] = stripped.removed
    try:
        meta = trafilatura.extract_metadata(html, default_url=url)
    except Exception as exc:  # metadata is a bonus: a page with broken metadata still has its text
        log.info("%s: no metadata (%s)", name, exc)
        meta = None
    if meta is not None:
        document.title = _clean(meta.title)
        document.author = _clean(meta.author)
        document.source = _clean(meta.sitename) or _clean(meta.hostname)
        document.url = url or _clean(meta.url)
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=False)
        if not found and meta is not None and meta.date:
            found = meta.date
        if found:
            document.published = publication_date(found)
    except (ValueError, TypeError, CommuniqueError) as exc:
        log.info("%s: no publication date (%s)", name, exc)
    document.metadata["format"] = "html"
    return document


def visible_text(html: str) -> str:
    """Every visible line of text of ``html`` (scripts, styles and the head left out): the last resort.

    Markup too deep for the parser (libxml2 stops at 256 levels) is stripped tag by tag instead.
    """
    import lxml.html
    from lxml.etree import ParserError

    text = ""
    try:
        tree = lxml.html.fromstring(html)
        for hidden in tree.xpath("//script|//style|//noscript|//template|//head"):
            hidden.drop_tree()
        text = tree.text_content()
    except (ParserError, ValueError):
        pass
    if not text.strip():
        import html as entities

        text = entities.unescape(_TAG.sub("\n", _HIDDEN_BLOCK.sub("", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_HIDDEN_BLOCK = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
