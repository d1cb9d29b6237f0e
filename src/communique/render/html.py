"""A standalone HTML page of analysed documents: the text with actors, dates, events, quotes and techniques
highlighted. Every piece of article text is escaped; the page loads nothing from anywhere."""

from __future__ import annotations

import html
from collections.abc import Iterable

from communique.document import Document

STYLE = """
body{font:16px/1.6 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem} .meta{color:#666} article{white-space:pre-wrap;border-top:1px solid #ddd;padding-top:1rem}
.actor{background:#dbeafe;border-bottom:2px solid #2563eb} .date{background:#fef3c7;border-bottom:2px solid #d97706}
.quote{background:#dcfce7} .event{outline:2px solid #dc2626;border-radius:2px} .rhetoric{text-decoration:underline wavy #9333ea}
.legend span{padding:0 .4rem;margin-right:.5rem} table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
"""


def _layers(document: Document) -> list[tuple[int, int, str, str]]:
    """(start, end, css class, tooltip) for every highlighted span."""
    spans: list[tuple[int, int, str, str]] = []
    for q in document.quotes:
        spans.append(
            (q.content.start, q.content.end, "quote", f"{q.kind} quote: {q.speaker.name or q.speaker.text}")
        )
    for a in document.actors:
        for m in a.mentions:
            spans.append((m.start, m.end, "actor", f"{a.name} · {a.type} · {a.code or '-'} {a.sector or ''}"))
    for d in document.dates:
        spans.append((d.start, d.end, "date", f"date {d.value or '?'} ({d.granularity or '?'})"))
    for e in document.events:
        spans.append(
            (
                e.trigger.start,
                e.trigger.end,
                "event",
                f"{e.type} {e.mode or ''} · {e.status} · {e.attribution}",
            )
        )
    for r in document.rhetoric:
        spans.append((r.start, r.end, "rhetoric", r.technique))
    return spans


def highlight(document: Document) -> str:
    """The document text as escaped HTML with nested <mark> spans at character boundaries."""
    text = document.text
    opens: dict[int, list[tuple[int, str, str]]] = {}
    for start, end, css, tip in _layers(document):
        if 0 <= start < end <= len(text):
            opens.setdefault(start, []).append((end, css, tip))
    out: list[str] = []
    stack: list[int] = []  # end offsets of open marks
    for i, ch in enumerate(text):
        while stack and stack[-1] <= i:
            stack.pop()
            out.append("</mark>")
        for end, css, tip in sorted(opens.get(i, []), key=lambda x: -x[0]):
            # Marks must nest: clip a span to the innermost open one so the HTML stays well formed.
            end = min([end] + stack)
            out.append(f'<mark class="{css}" title="{html.escape(tip, quote=True)}">')
            stack.append(end)
        out.append(html.escape(ch))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def render_html(documents: Iterable[Document]) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>communique analysis</title>",
        f"<style>{STYLE}</style></head><body>",
    ]
    for document in documents:
        parts.append(f"<h1>{html.escape(document.title or '(untitled)')}</h1>")
        parts.append(
            f"<p class='meta'>published {html.escape(str(document.published or 'unknown'))} · genre "
            f"{html.escape(document.genre or '?')}</p>"
        )
        parts.append(
            "<p class='legend'><span class='actor'>actor</span><span class='date'>date</span>"
            "<span class='event'>event trigger</span><span class='quote'>quote</span>"
            "<span class='rhetoric'>persuasion technique</span></p>"
        )
        parts.append(f"<article>{highlight(document)}</article>")
        if document.events:
            parts.append(
                "<h2>Events</h2><table><tr><th>type</th><th>actor → recipient</th><th>date</th>"
                "<th>status</th><th>attribution</th><th>evidence</th></tr>"
            )
            for e in document.events:
                parties = (
                    ",".join(p.code or p.text for p in e.actor)
                    + " → "
                    + ",".join(p.code or p.text for p in e.recipient)
                )
                parts.append(
                    "<tr>"
                    + "".join(
                        f"<td>{html.escape(str(c))}</td>"
                        for c in (
                            f"{e.type} {e.mode or ''}",
                            parties,
                            e.date.value if e.date else "-",
                            e.status,
                            e.attribution,
                            e.evidence.text,
                        )
                    )
                    + "</tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)
