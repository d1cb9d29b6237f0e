"""A country brief: the seed's two questions answered for any state, as one self-contained, printable HTML page.

    brief = country_brief(store, "AZE", partner="KGZ", since="2015-01-01")
    page = render_brief(brief)

The brief gathers what the analytics already compute (corpus/relations.py, kb/unga.py): the country's balance
over time with the centres of power and the UN-vote distance to each, its top partners with the trend of each
dyad, its convergence with one chosen partner beside the two states' UN-vote distance, and the coverage behind
it all (how many articles, from which outlets, how many undated), so a reader can judge how much to trust it.
Every number on the page links to the list of the real-world events behind it, each report with its evidence
sentence, document, outlet and date, further down the same page. The page draws its charts as inline SVG, loads
nothing from anywhere, and escapes every piece of stored text (titles, outlets, sentences, URLs).
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from communique.corpus.relations import (
    COOPERATIVE,
    Balance,
    Convergence,
    Evidence,
    balance,
    convergence,
    explain,
    slope,
)
from communique.errors import CommuniqueError

if TYPE_CHECKING:
    from communique.corpus.store import Store

TOP_PARTNERS = 8
OUTLETS_SHOWN = 12  # the coverage table's rows; the rest are summed in one
EVIDENCE_SHOWN = 100  # reports listed under one number; the rest are counted, and `--explain` lists them all
_DOT = "."  # a source line that ends in a full stop gets no second one
COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563")


@dataclass
class PartnerYear:
    year: str
    events: int
    score_mean: float
    clusters: list[str]


@dataclass
class Partner:
    """A state the country had events with, either direction, over the brief's period."""

    code: str
    events: int
    cooperative: int
    conflictual: int
    net_score: float
    trend: float | None  # OLS slope of the yearly mean score: positive = warming
    years: list[PartnerYear]
    clusters: list[str]


@dataclass
class Outlet:
    name: str | None
    documents: int


@dataclass
class Coverage:
    """The articles behind the brief: those reporting at least one of the country's counted events."""

    documents: int
    undated: int  # of them, documents without a publication date (their events carry their own dates)
    first: str | None  # earliest and latest publication date among the dated ones
    last: str | None
    outlets: list[Outlet]
    events: int  # real-world events the country takes part in
    store_documents: int  # every document in the store, for scale


@dataclass
class Brief:
    country: str
    name: str
    since: str | None
    until: str | None
    balance: Balance
    partners: list[Partner]
    partner: str | None
    convergence: Convergence | None
    coverage: Coverage
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)  # cluster id -> its reports


def country_brief(
    store: Store,
    country: str,
    partner: str | None = None,
    since: str | None = None,
    until: str | None = None,
    top: int = TOP_PARTNERS,
) -> Brief:
    """Gather the brief of ``country`` (an ISO3 code); ``partner`` defaults to its top partner, if any."""
    from communique.kb.knowledge import KnowledgeBase

    kb = KnowledgeBase.load()
    state = kb.country(country)
    if state is None:
        raise CommuniqueError(f"{country!r} is not a state code the knowledge base knows")
    if partner is not None and partner == country:
        raise CommuniqueError(f"the partner must be another state than {country}")
    partners = top_partners(store, country, since, until, top)
    chosen = partner or (partners[0].code if partners else None)
    result = Brief(
        country,
        state.name,
        since,
        until,
        balance(store, country, since=since, until=until),
        partners,
        chosen,
        convergence(store, country, chosen, since=since, until=until) if chosen else None,
        coverage(store, country, since, until),
    )
    wanted = {c for p in result.balance.periods for cell in p.centres.values() for c in cell.clusters}
    wanted |= {c for p in partners for c in p.clusters}
    if result.convergence:
        wanted |= {c for p in result.convergence.periods for c in p.dyad_clusters + p.third_party_clusters}
    for report in explain(store, sorted(wanted)):
        result.evidence.setdefault(report.cluster_id, []).append(report)
    return result


def _dates(since: str | None, until: str | None) -> tuple[str, list[str]]:
    sql, params = "", []
    for bound, op in ((since, ">="), (until, "<=")):
        if bound:
            sql += f" AND event_date {op} ?"
            params.append(bound)
    return sql, params


def top_partners(
    store: Store, country: str, since: str | None = None, until: str | None = None, top: int = TOP_PARTNERS
) -> list[Partner]:
    """The states the country had most real-world events with (either direction), each with its yearly trend."""
    year = store.period("event_date", "year")
    dates, params = _dates(since, until)
    coop = ", ".join("?" * len(COOPERATIVE))
    rows = store.query(
        f"SELECT party, p, count(*), sum(score), sum(CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END), "
        f"{store.group_concat('id')} FROM ("
        f"SELECT CASE WHEN actor = ? THEN recipient ELSE actor END AS party, {year} AS p, quad_class, score, id "
        f"FROM event_clusters WHERE (actor = ? OR recipient = ?) AND actor <> recipient{dates}) legs "
        "GROUP BY party, p ORDER BY party, p",
        [*COOPERATIVE, country, country, country, *params],
    )
    by_party: dict[str, list[tuple[str, int, float, int, list[str]]]] = defaultdict(list)
    for party, p, n, score, cooperative, ids in rows:
        if len(str(party)) == 3 and str(party).isalpha() and str(party).isupper():  # states, not IGOs
            by_party[str(party)].append(
                (str(p), int(n), float(score), int(cooperative), sorted(ids.split(",")))
            )
    partners = []
    for party, years in by_party.items():
        events = sum(y[1] for y in years)
        cooperative = sum(y[3] for y in years)
        partners.append(
            Partner(
                party,
                events,
                cooperative,
                events - cooperative,
                round(sum(y[2] for y in years), 4),
                slope([(int(y[0][:4]), y[2] / y[1]) for y in years]),
                [PartnerYear(y[0], y[1], round(y[2] / y[1], 4), y[4]) for y in years],
                sorted(c for y in years for c in y[4]),
            )
        )
    partners.sort(key=lambda p: (-p.events, p.code))
    return partners[:top]


def coverage(store: Store, country: str, since: str | None = None, until: str | None = None) -> Coverage:
    dates, params = _dates(since, until)
    reporting = (
        "SELECT DISTINCT es.document_id FROM event_sources es JOIN event_clusters c ON c.id = es.cluster_id "
        f"WHERE (c.actor = ? OR c.recipient = ?) AND c.actor <> c.recipient{dates.replace('event_date', 'c.event_date')}"
    )
    rows = store.query(
        f"SELECT source, count(*), sum(CASE WHEN published IS NULL THEN 1 ELSE 0 END), min(published), "
        f"max(published) FROM documents WHERE id IN ({reporting}) GROUP BY source ORDER BY count(*) DESC, source",
        [country, country, *params],
    )
    events = store.query(
        f"SELECT count(*) FROM event_clusters WHERE (actor = ? OR recipient = ?) AND actor <> recipient{dates}",
        [country, country, *params],
    )[0][0]
    firsts = [r[3] for r in rows if r[3]]
    lasts = [r[4] for r in rows if r[4]]
    return Coverage(
        sum(int(r[1]) for r in rows),
        sum(int(r[2]) for r in rows),
        min(firsts) if firsts else None,
        max(lasts) if lasts else None,
        [Outlet(r[0], int(r[1])) for r in rows],
        int(events),
        int(store.query("SELECT count(*) FROM documents")[0][0]),
    )


# -- the page -------------------------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.5 system-ui,sans-serif;overflow-wrap:break-word;max-width:64rem;margin:1.5rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d1d5db}
h3{font-size:1rem} .meta,.note{color:#4b5563;font-size:.9rem} .answer{background:#f3f4f6;padding:.6rem .9rem;
border-left:4px solid #2563eb} table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
td,th{border:1px solid #d1d5db;padding:.25rem .4rem;text-align:right;vertical-align:top}
td:first-child,th:first-child,td.text{text-align:left} td:first-child{white-space:nowrap} a{color:#1d4ed8} .chart{width:100%;max-width:60rem}
.legend span{display:inline-block;margin-right:1rem} .swatch{display:inline-block;width:.8rem;height:.8rem;
margin-right:.3rem;vertical-align:middle} .evidence{border-top:1px solid #e5e7eb;padding-top:.3rem}
.evidence:target{background:#fefce8} .evidence li{margin-bottom:.4rem} .sentence{font-style:italic}
.scroll{overflow-x:auto} .two{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:40rem){.two{grid-template-columns:1fr}}
.ask{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:1rem} .ask input{width:11rem}
@media print{.ask{display:none} body{max-width:none;margin:0;font-size:11px} a{color:inherit;text-decoration:none}
h2{break-after:avoid} table,svg{break-inside:avoid} .evidence{break-inside:avoid-page}}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _n(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:+.{digits}f}"


class _Anchors:
    """One anchor per distinct set of events, so that every number links to the list of events behind it."""

    def __init__(self) -> None:
        self.groups: dict[
            tuple[str, ...], tuple[str, list[str]]
        ] = {}  # events -> (anchor, the numbers' labels)

    def anchor(self, clusters: Sequence[str], label: str) -> str:
        key = tuple(sorted(set(clusters)))
        if key not in self.groups:
            self.groups[key] = (f"ev{len(self.groups) + 1}", [])
        anchor, labels = self.groups[key]
        if label not in labels:
            labels.append(label)  # two numbers counting the same events share one list, named for both
        return anchor

    def link(self, text: str, clusters: Sequence[str], label: str) -> str:
        if not clusters:
            return _e(text)
        anchor = self.anchor(clusters, label)
        return f'<a href="#{anchor}" title="{_e(label)}: the events behind this number">{_e(text)}</a>'


def brief_form(action: str, country: str = "", partner: str = "", since: str = "", until: str = "") -> str:
    """The form that asks for another brief (the web page's; the file the command writes has none)."""
    fields = (
        ("country", "Country", country, "AZE, Azerbaijan or Aliyev"),
        ("partner", "Partner", partner, "default: the top partner"),
        ("since", "From", since, "YYYY-MM-DD"),
        ("until", "To", until, "YYYY-MM-DD"),
    )
    inputs = "".join(
        f'<label>{label} <input name="{name}" value="{_e(value)}" placeholder="{_e(hint)}"></label> '
        for name, label, value, hint in fields
    )
    return f'<form class="ask" method="get" action="{_e(action)}">{inputs}<button type="submit">Brief</button></form>'


def render_form_page(form: str, message: str = "") -> str:
    """A page with the form alone: no country asked yet, or one the knowledge base does not know."""
    said = f'<p class="answer">{_e(message)}</p>' if message else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Country brief</title><style>{STYLE}</style></head><body><h1>Country brief</h1>"
        "<p>A state's balance with the centres of power, its top partners, its convergence with a partner and "
        f"the UN votes beside them, with the events behind every number.</p>{said}{form}</body></html>"
    )


def render_brief(brief: Brief, form: str = "") -> str:
    anchors = _Anchors()
    period = f"{brief.since or 'the first event'} to {brief.until or 'the last'}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Country brief: {_e(brief.name)}</title><style>{STYLE}</style></head><body>",
        form,
        f"<h1>Country brief: {_e(brief.name)} ({_e(brief.country)})</h1>",
        f'<p class="meta">Events dated {_e(period)}, from the corpus store; every number links to the events '
        "behind it, each with its evidence sentence and source, further down this page.</p>",
        _coverage(brief),
        _balance(brief, anchors),
        _partners(brief, anchors),
        _convergence(brief, anchors),
        _evidence(brief, anchors),
        "</body></html>",
    ]
    return "\n".join(parts)


def _coverage(brief: Brief) -> str:
    c = brief.coverage
    if not c.documents:
        return (
            '<section id="coverage"><h2>Coverage</h2><p class="answer">No stored article reports an event of '
            f"{_e(brief.name)} in this period ({c.store_documents} documents in the store): nothing below can "
            "be judged.</p></section>"
        )
    dated = f"published {_e(c.first)} to {_e(c.last)}" if c.first else "none of them with a publication date"
    undated = (
        f"; {c.undated} undated, their events counted on the dates the text gives them" if c.undated else ""
    )
    shown = c.outlets[:OUTLETS_SHOWN]
    rows = "".join(f"<tr><td>{_e(o.name or '(no outlet)')}</td><td>{o.documents}</td></tr>" for o in shown)
    if len(c.outlets) > len(shown):
        rest = c.outlets[len(shown) :]
        rows += f"<tr><td>{len(rest)} more outlets</td><td>{sum(o.documents for o in rest)}</td></tr>"
    return (
        '<section id="coverage"><h2>Coverage</h2>'
        f"<p>{c.events} real-world events of {_e(brief.name)} with another party, reported in {c.documents} "
        f"articles ({dated}{undated}) from {len(c.outlets)} outlet{'s' if len(c.outlets) != 1 else ''}; "
        f"the store holds {c.store_documents} documents in all. Few articles or a single outlet mean the "
        "figures below say more about that outlet's attention than about the country.</p>"
        f"<table><thead><tr><th>outlet</th><th>articles</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _balance(brief: Brief, anchors: _Anchors) -> str:
    b = brief.balance
    # a centre that is the country itself (Russia's brief and the RUS centre) has nothing to show
    names = [c.name for c in b.centres if c.organizations or c.members != (brief.country,)]
    labels = {c.name: c.label for c in b.centres}
    head = (
        '<section id="balance"><h2>Balance with the centres of power</h2>'
        f'<p class="note">Cooperative events of {_e(brief.name)} with each centre per year (both directions), '
        "their share of all its cooperative events with the centres, the net PLOVER score and the evenness "
        "(normalised entropy of the shares: 1 = equal engagement with every centre, 0 = one centre only).</p>"
    )
    if not b.periods:
        return (
            head + f"<p>No events of {_e(brief.name)} with any centre of power in this period.</p></section>"
        )
    totals = {n: sum(p.centres[n].cooperative for p in b.periods) for n in names}
    evens = [p.evenness for p in b.periods if p.evenness is not None]
    leading = max(names, key=lambda n: totals[n])
    answer = (
        f"Over {len(b.periods)} year{'s' if len(b.periods) != 1 else ''} with events, {totals[leading]} of "
        f"{sum(totals.values())} cooperative events with the centres were with {_e(labels[leading])}; the mean "
        f"evenness is {_n(sum(evens) / len(evens) if evens else None)}."
    )
    legend = "".join(
        f'<span><i class="swatch" style="background:{COLOURS[i % len(COLOURS)]}"></i>{_e(labels[n])}</span>'
        for i, n in enumerate(names)
    )
    rows = []
    for p in b.periods:
        cells = []
        for n in names:
            cell = p.centres[n]
            if not cell.clusters:
                cells.append("<td>–</td>")
                continue
            text = f"{_n(cell.share)} ({cell.cooperative}/{cell.conflictual}, {_signed(cell.net_score, 1)})"
            cells.append(
                f"<td>{anchors.link(text, cell.clusters, f'{brief.country} with {n} in {p.period}')}</td>"
            )
        rows.append(f"<tr><td>{_e(p.period)}</td>{''.join(cells)}<td>{_n(p.evenness)}</td></tr>")
    table = (
        '<div class="scroll"><table><thead><tr><th>year</th>'
        + "".join(f"<th>{_e(n)}: share (coop./confl., net)</th>" for n in names)
        + "<th>evenness</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )
    return (
        head
        + f'<p class="answer">{answer}</p>'
        + f'<div class="legend">{legend}</div>'
        + _balance_chart(brief, names, labels, anchors)
        + table
        + _balance_votes(brief, names)
        + "</section>"
    )


def _balance_chart(brief: Brief, names: list[str], labels: dict[str, str], anchors: _Anchors) -> str:
    periods = brief.balance.periods
    width, height, left, bottom = 900, 220, 40, 24
    most = max(sum(p.centres[n].cooperative for n in names) for p in periods) or 1
    step = (width - left) / len(periods)
    bar = max(2.0, min(40.0, step * 0.7))
    shapes = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#9ca3af"/>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11">0</text>',
        f'<text x="{left - 6}" y="12" text-anchor="end" font-size="11">{most}</text>',
    ]
    for i, p in enumerate(periods):
        x = left + i * step + (step - bar) / 2
        y = float(height - bottom)
        for j, n in enumerate(names):
            cell = p.centres[n]
            if not cell.cooperative:
                continue
            h = (height - bottom - 8) * cell.cooperative / most
            y -= h
            label = f"{brief.country} with {n} in {p.period}"
            shapes.append(
                f'<a href="#{anchors.anchor(cell.clusters, label)}"><rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"><title>{_e(p.period)}: {cell.cooperative} cooperative '
                f"events with {_e(labels[n])}</title></rect></a>"
            )
        if len(periods) <= 30 or i % max(1, len(periods) // 15) == 0:
            shapes.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 6}" text-anchor="middle" font-size="11">'
                f"{_e(p.period)}</text>"
            )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="cooperative events with each '
        f'centre per year">{"".join(shapes)}</svg>'
    )


def _line_chart(series: list[tuple[str, str, list[tuple[int, float]]]], label: str, width: int = 900) -> str:
    """Lines over years: ``(name, colour, [(year, value)])``; the y axis spans the values shown."""
    points = [pt for _, _, pts in series for pt in pts]
    if not points:
        return ""
    height, left, bottom = 200, 48, 24
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    if y1 == y0:
        y0, y1 = y0 - 1, y1 + 1

    def x(year: int) -> float:
        return left + (width - left - 24) * ((year - x0) / (x1 - x0) if x1 > x0 else 0.5)

    def y(value: float) -> float:
        return 8 + (height - bottom - 8) * (1 - (value - y0) / (y1 - y0))

    shapes = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#9ca3af"/>',
        f'<text x="{left - 6}" y="{y(y1) + 4:.1f}" text-anchor="end" font-size="11">{y1:.2f}</text>',
        f'<text x="{left - 6}" y="{y(y0) + 4:.1f}" text-anchor="end" font-size="11">{y0:.2f}</text>',
        f'<text x="{x(x0):.1f}" y="{height - 6}" text-anchor="middle" font-size="11">{x0}</text>',
        f'<text x="{x(x1):.1f}" y="{height - 6}" text-anchor="middle" font-size="11">{x1}</text>',
    ]
    for name, colour, pts in series:
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in sorted(pts))
        shapes.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        shapes += [
            f'<circle cx="{x(a):.1f}" cy="{y(b):.1f}" r="3" fill="{colour}"><title>{_e(name)} {a}: {b:.3f}'
            "</title></circle>"
            for a, b in pts
        ]
    return f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}">{"".join(shapes)}</svg>'


def _shown_years(brief: Brief, years: list[int], with_events: set[int]) -> list[int]:
    """The UN-vote years a section shows: all of the period asked, else those the section has events in (the
    ideal points run from 1946, and one event recalled from 1918 would stretch the span to a century)."""
    if brief.since or brief.until:
        return years
    return [y for y in years if y in with_events]


def _balance_votes(brief: Brief, names: list[str]) -> str:
    votes = brief.balance.ideal_points
    head = "<h3>UN General Assembly votes beside it</h3>"
    with_events = {int(p.period[:4]) for p in brief.balance.periods}
    shown = set(_shown_years(brief, [y.year for y in votes.years], with_events)) if votes else set()
    if votes is None or not shown:
        return (
            head
            + f'<p class="note">No UN General Assembly ideal points of {_e(brief.country)} in the store for '
            "this period: load them with <code>communique import unga FILE</code> (Bailey, Strezhnev &amp; "
            "Voeten, per session to 2019).</p>"
        )
    years = [y for y in votes.years if y.year in shown]
    series = [(brief.country, "#111827", [(y.year, y.point) for y in years])]
    for i, n in enumerate(names):
        pts = [(y.year, p.point) for y in years if (p := y.centres.get(n)) and p.point is not None]
        if pts:
            series.append((n, COLOURS[i % len(COLOURS)], pts))
    rows = "".join(
        f"<tr><td>{y.year}</td><td>{_n(y.point, 3)}</td>"
        + "".join(
            "<td>–</td>"
            if (p := y.centres.get(n)) is None or p.point is None or p.distance is None
            else f"<td>{p.point:.3f} ({p.distance:.3f})</td>"
            for n in names
        )
        + "</tr>"
        for y in years
    )
    return (
        head
        + f"<p class=\"note\">{_e(brief.country)}'s ideal point (black) against each centre's, per year: "
        f"{_e(votes.definition)} Source: {_e(votes.source.rstrip(_DOT))}.</p>"
        + _line_chart(series, "UN General Assembly ideal points per year")
        + '<div class="scroll"><table><thead><tr><th>year</th>'
        + f"<th>{_e(brief.country)} ideal point</th>"
        + "".join(f"<th>{_e(n)} (distance)</th>" for n in names)
        + f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def _partners(brief: Brief, anchors: _Anchors) -> str:
    head = (
        '<section id="partners"><h2>Top partners</h2>'
        f'<p class="note">The states {_e(brief.name)} had most real-world events with, either direction; the '
        "trend is the least-squares slope of the yearly mean PLOVER score (positive = relations warming), over "
        "the years with events.</p>"
    )
    if not brief.partners:
        return head + "<p>No events with another state in this period.</p></section>"
    rows = []
    for p in brief.partners:
        years = ", ".join(
            anchors.link(
                f"{y.year}: {y.events} ({_signed(y.score_mean, 1)})",
                y.clusters,
                f"{brief.country} ↔ {p.code} {y.year}",
            )
            for y in p.years
        )
        rows.append(
            f"<tr><td>{_e(p.code)}</td><td>{anchors.link(str(p.events), p.clusters, f'{brief.country} ↔ {p.code}')}</td>"
            f"<td>{p.cooperative}</td><td>{p.conflictual}</td><td>{_signed(p.net_score, 1)}</td>"
            f'<td>{_signed(p.trend, 2)}</td><td class="text">{years}</td></tr>'
        )
    return (
        head
        + '<div class="scroll"><table><thead><tr><th>partner</th><th>events</th><th>cooperative</th><th>conflictual</th>'
        "<th>net score</th><th>trend per year</th><th>by year: events (mean score)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div></section>"
    )


def _convergence(brief: Brief, anchors: _Anchors) -> str:
    c = brief.convergence
    head = '<section id="convergence"><h2>Convergence'
    if c is None:
        return (
            head
            + "</h2><p>No partner to compare with: the country has no events with another state.</p></section>"
        )
    head += f" with {_e(c.b)}</h2>"
    votes = c.ideal_points
    with_events = {int(p.period[:4]) for p in c.periods}
    shown = set(_shown_years(brief, [y.year for y in votes.years], with_events)) if votes else set()
    distance = {y.year: y for y in votes.years if y.year in shown} if votes else {}
    dyad = sum(p.dyad_events for p in c.periods)
    trend_votes = votes.trend if votes else None
    answer = (
        f"{dyad} real-world event{'s' if dyad != 1 else ''} between {_e(c.a)} and {_e(c.b)}; the trend of their "
        f"yearly mean score is {_signed(c.score_trend)} per year and of the similarity of their stances toward "
        f"shared third parties {_signed(c.similarity_trend)} per year (positive = converging); their UN vote "
        f"distance moves {_signed(trend_votes, 3)} per year (negative = converging)."
    )
    years = sorted({p.period for p in c.periods} | {str(y) for y in distance})
    by_period = {p.period: p for p in c.periods}
    rows = []
    for year in years:
        p = by_period.get(year)
        v = distance.get(int(year[:4]))
        if p is None:
            rows.append(
                f"<tr><td>{_e(year)}</td><td>0</td><td>–</td><td>–</td><td>–</td><td>{_n(v.distance if v else None, 3)}</td></tr>"
            )
            continue
        label = f"{c.a} ↔ {c.b} {year}"
        rows.append(
            f"<tr><td>{_e(year)}</td><td>{anchors.link(str(p.dyad_events), p.dyad_clusters, label)}</td>"
            f"<td>{_signed(p.dyad_score_mean)}</td>"
            f'<td class="text">{_e(", ".join(p.shared_parties)) or "–"}</td>'
            f"<td>{anchors.link(_n(p.similarity), p.third_party_clusters, f'{c.a}, {c.b} ↔ third parties {year}')}</td>"
            f"<td>{_n(v.distance if v else None, 3)}</td></tr>"
        )
    score_series = [
        (
            "mean score",
            "#2563eb",
            [(int(p.period[:4]), p.dyad_score_mean) for p in c.periods if p.dyad_score_mean is not None],
        ),
        (
            "similarity",
            "#059669",
            [(int(p.period[:4]), p.similarity) for p in c.periods if p.similarity is not None],
        ),
    ]
    charts = (
        '<div class="two"><div><h3>Events: mean score (blue), similarity (green)</h3>'
        + (_line_chart([s for s in score_series if s[2]], "events per year", 440) or "<p>No events.</p>")
        + "</div><div><h3>UN vote distance</h3>"
        + (
            _line_chart(
                [("distance", "#111827", [(y, v.distance) for y, v in distance.items()])],
                "UN vote distance per year",
                440,
            )
            if distance
            else '<p class="note">No UN ideal points for both states in this period (<code>communique import unga FILE</code>).</p>'
        )
        + "</div></div>"
    )
    source = (
        f'<p class="note">{_e(votes.definition)} Source: {_e(votes.source.rstrip(_DOT))}.</p>'
        if votes and votes.years
        else ""
    )
    if any(len(p.shared_parties) == 1 for p in c.periods):
        source = (
            '<p class="note">A similarity over a single shared third party is ±1 whatever the scores: '
            "alone it says nothing.</p>" + source
        )
    return (
        head
        + f'<p class="answer">{answer}</p>'
        + charts
        + '<div class="scroll"><table><thead><tr><th>year</th><th>events</th><th>mean score</th><th>shared third parties</th>'
        f"<th>similarity ({_e(c.measure)})</th><th>UN vote distance</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
        + source
        + "</section>"
    )


def _evidence(brief: Brief, anchors: _Anchors) -> str:
    parts = ['<section id="evidence"><h2>The events behind the numbers</h2>']
    if not anchors.groups:
        parts.append("<p>No events.</p>")
    for clusters, (anchor, labels) in anchors.groups.items():
        reports = [r for c in clusters for r in brief.evidence.get(c, [])]
        parts.append(
            f'<div class="evidence" id="{anchor}"><h3>{_e("; ".join(labels))}: {len(clusters)} event'
            f"{'s' if len(clusters) != 1 else ''}, {len(reports)} report{'s' if len(reports) != 1 else ''}</h3><ol>"
        )
        for r in reports[:EVIDENCE_SHOWN]:
            title = _e(r.title or r.document_id[:12])
            if r.url and r.url.startswith(("http://", "https://")):
                title = f'<a href="{_e(r.url)}">{title}</a>'
            corrected = " (corrected by an analyst)" if r.corrected else ""
            parts.append(
                f"<li>{_e(r.event_date)} {_e(r.type)} {_e(r.actor)} → {_e(r.recipient)} ({_signed(r.score, 1)})"
                f'{corrected}: <span class="sentence">{_e(r.text)}</span> — {title}, {_e(r.outlet or "no outlet")}, '
                f"{_e(r.published or 'undated')}</li>"
            )
        parts.append("</ol>")
        if len(reports) > EVIDENCE_SHOWN:
            parts.append(
                f'<p class="note">and {len(reports) - EVIDENCE_SHOWN} more reports: '
                "<code>communique balance/convergence ... --explain</code> lists them all.</p>"
            )
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)
