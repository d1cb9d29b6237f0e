"""A readable terminal report of one analysed document (rich), each finding with its sentence."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from .document import Document


def _sentence_text(document: Document, index: int, limit: int = 110) -> str:
    if not document.sentences:
        return ""
    s = document.sentences[min(index, len(document.sentences) - 1)]
    text = " ".join(document.text[s.start : s.end].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_report(document: Document, console: Console) -> None:
    title = document.title or "(untitled)"
    published = document.published.isoformat() if document.published else "date unknown"
    console.rule(f"[bold]{title}[/]", style="cyan")
    console.print(f"published {published} · genre {document.genre or '?'} · {len(document.sentences)} sentences · id {document.id}", highlight=False)

    if document.actors:
        table = Table(title="Actors", title_justify="left", expand=True)
        for col in ("name", "type", "code", "sector", "mentions"):
            table.add_column(col)
        for a in document.actors:
            surface = sorted({m.text for m in a.mentions})
            table.add_row(a.name, a.type, a.code or "-", a.sector or "-", f"{len(a.mentions)}: " + ", ".join(surface)[:60])
        console.print(table)

    if document.events:
        table = Table(title="Events (PLOVER 2.0)", title_justify="left", expand=True)
        for col in ("type", "actor → recipient", "date", "status", "attribution", "score", "evidence"):
            table.add_column(col, overflow="fold")
        for e in document.events:
            parties = ",".join(p.code or p.text for p in e.actor) + " → " + ",".join(p.code or p.text for p in e.recipient)
            kind = e.type + (f"/{e.mode}" if e.mode else "")
            table.add_row(kind, parties, e.date.value if e.date and e.date.value else "-", e.status, e.attribution,
                          f"{e.score:+g}", f"[{e.sentence}] {_sentence_text(document, e.sentence, 80)}")
        console.print(table)

    if document.quotes:
        table = Table(title="Quotes", title_justify="left", expand=True)
        for col in ("kind", "speaker", "cue", "content"):
            table.add_column(col, overflow="fold")
        for q in document.quotes:
            speaker = q.speaker.name or q.speaker.text
            if q.speaker.code:
                speaker += f" ({q.speaker.code})"
            content = q.content.text if len(q.content.text) < 120 else q.content.text[:119] + "…"
            table.add_row(q.kind, speaker, q.cue.text, content)
        console.print(table)

    if document.dates:
        table = Table(title="Dates", title_justify="left", expand=True)
        for col in ("text", "value", "granularity", "sentence"):
            table.add_column(col, overflow="fold")
        for d in document.dates:
            table.add_row(d.text, d.value or "-", d.granularity or "-", f"[{d.sentence}] {_sentence_text(document, d.sentence, 70)}")
        console.print(table)

    if document.rhetoric:
        table = Table(title="Persuasion techniques", title_justify="left", expand=True)
        for col in ("technique", "span", "sentence"):
            table.add_column(col, overflow="fold")
        for r in document.rhetoric:
            table.add_row(r.technique, r.text, str(r.sentence))
        console.print(table)

    if document.stance:
        table = Table(title="Stance toward actors", title_justify="left")
        for col in ("actor", "code", "score", "sentences"):
            table.add_column(col)
        for s in document.stance:
            actor = document.actor(s.actor_id)
            table.add_row(actor.name if actor else s.actor_id, s.code or "-", f"{s.score:+.2f}", ",".join(map(str, s.sentences[:8])))
        console.print(table)

    opinion = [s for s in document.sentences if s.kind == "opinion"]
    if opinion:
        console.print(f"[bold]Author's opinion[/] in {len(opinion)} of {len(document.sentences)} sentences, e.g.:")
        for s in opinion[:3]:
            console.print(f"  [{s.index}] {_sentence_text(document, s.index)}  [dim]cues: {', '.join(s.cues)}[/]", highlight=False)
