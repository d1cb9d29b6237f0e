"""A readable terminal report of one analysed document (rich): actors, events, quotes, dates, opinion,
persuasion techniques and stance, each finding followed by the sentence it came from."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from communique.document import Document, Event
from communique.vocabulary import COOPERATIVE_TYPES


def _sentence_text(document: Document, index: int, limit: int = 160) -> str:
    if not document.sentences:
        return ""
    s = document.sentences[min(index, len(document.sentences) - 1)]
    text = " ".join(document.text[s.start : s.end].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _evidence(document: Document, index: int, limit: int = 160) -> str:
    return f"    [dim][{index}] {escape(_sentence_text(document, index, limit))}[/]"


def _parties(event: Event) -> str:
    def side(participants: list) -> str:
        return ", ".join(p.code or p.text for p in participants) or "–"

    return f"{side(event.actor)} → {side(event.recipient)}"


def print_report(document: Document, console: Console) -> None:
    title = document.title or "(untitled)"
    published = document.published.isoformat() if document.published else "date unknown"
    console.rule(f"[bold]{escape(title)}[/]", style="cyan")
    opinion = [s for s in document.sentences if s.kind == "opinion"]
    quoted = [s for s in document.sentences if s.kind == "quote"]
    console.print(
        f"published {published} · genre [bold]{document.genre or '?'}[/] · {len(document.sentences)} sentences "
        f"({len(opinion)} opinion, {len(quoted)} quote) · id {document.id}",
        highlight=False,
    )

    if document.actors:
        table = Table(title="Actors", title_justify="left", title_style="bold", expand=True)
        for col, ratio in (("name", 3), ("type", 2), ("code", 1), ("sector", 1), ("mentions", 5)):
            table.add_column(col, ratio=ratio, overflow="fold")
        for a in document.actors:
            surface = sorted({m.text for m in a.mentions})
            table.add_row(
                escape(a.name),
                a.type,
                a.code or "-",
                a.sector or "-",
                f"{len(a.mentions)}× " + escape(", ".join(surface)),
            )
        console.print(table)

    if document.events:
        console.print(f"\n[bold]Events (PLOVER 2.0)[/] — {len(document.events)}")
        for e in document.events:
            colour = "green" if e.type in COOPERATIVE_TYPES else "red"
            when = e.date.value if e.date and e.date.value else "undated"
            console.print(
                f"  [{colour}]{e.type}{'/' + e.mode if e.mode else ''}[/]  [bold]{escape(_parties(e))}[/]  {when}"
                f"  · {e.status} · {e.attribution} · score {e.score:+g}",
                highlight=False,
            )
            console.print(_evidence(document, e.sentence), highlight=False)

    if document.quotes:
        console.print(f"\n[bold]Quotes[/] — {len(document.quotes)}")
        for q in document.quotes:
            speaker = q.speaker.name or q.speaker.text
            if q.speaker.code:
                speaker += f" ({q.speaker.code})"
            content = q.content.text if len(q.content.text) < 150 else q.content.text[:149] + "…"
            console.print(
                f"  {q.kind:8} [bold]{escape(speaker)}[/] [dim]{escape(q.cue.text)}:[/] {escape(content)}",
                highlight=False,
            )

    if document.dates:
        console.print(f"\n[bold]Dates[/] — {len(document.dates)}")
        for d in document.dates:
            console.print(
                f"  {escape(d.text):24} → {d.value or 'unresolved'} ({d.granularity or '?'})  "
                f"[dim]sentence {d.sentence}[/]",
                highlight=False,
            )

    if opinion:
        console.print(f"\n[bold]The author's opinion[/] — {len(opinion)} sentences, e.g.")
        for s in opinion[:4]:
            console.print(f"  [dim]cues: {escape(', '.join(s.cues))}[/]", highlight=False)
            console.print(_evidence(document, s.index), highlight=False)

    if document.rhetoric:
        console.print(f"\n[bold]Persuasion techniques[/] — {len(document.rhetoric)}")
        for r in document.rhetoric:
            console.print(
                f"  [magenta]{r.technique}[/]: “{escape(r.text)}”  [dim]sentence {r.sentence}[/]",
                highlight=False,
            )

    if document.stance:
        console.print("\n[bold]Stance toward actors[/] (-1 hostile … +1 favourable)")
        for st in sorted(document.stance, key=lambda x: x.score):
            actor = document.actor(st.actor_id)
            colour = "green" if st.score > 0 else "red" if st.score < 0 else "white"
            name = actor.name if actor else st.actor_id
            console.print(
                f"  [{colour}]{st.score:+.2f}[/] {escape(name)} ({st.code or '-'})  [dim]sentences "
                f"{', '.join(map(str, st.sentences[:8]))}[/]",
                highlight=False,
            )
    console.print()
