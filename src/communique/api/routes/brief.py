"""The Brief page: the country brief (render/brief.py) served as the page the `brief` command writes.

Unlike the single-page UI, the page is drawn on the server: it is the same self-contained, printable HTML as
`communique brief`, with a form above it to ask for another country, partner or period. Every piece of stored
text in it is escaped, and the page carries no script at all; its Content-Security-Policy allows none, so
nothing from an article can execute.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import HTTPException, Query
from fastapi.responses import HTMLResponse

from communique.api.state import State
from communique.render.brief import brief_form, country_brief, render_brief, render_form_page

# Inline styles only: no script, no request anywhere (the charts are inline SVG), forms only to this server.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
Name = Annotated[str | None, Query(max_length=120)]
Day = Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD; empty: no bound")]


def brief(
    state: State,
    country: Name = None,
    partner: Name = None,
    since: Day = None,
    until: Day = None,
) -> HTMLResponse:
    """A country's brief: balance, top partners, convergence with a partner, UN votes, coverage, evidence."""
    form = brief_form("/brief", country or "", partner or "", since or "", until or "")
    if not country:
        return HTMLResponse(render_form_page(form), headers=HEADERS)
    try:  # the form sends empty fields: no bound
        first, last = (date.fromisoformat(d).isoformat() if d else None for d in (since, until))
    except ValueError:
        return HTMLResponse(render_form_page(form, "dates are YYYY-MM-DD"), status_code=422, headers=HEADERS)
    try:
        code = state.party(country)
        other = state.party(partner) if partner else None
    except HTTPException as exc:
        return HTMLResponse(render_form_page(form, str(exc.detail)), status_code=422, headers=HEADERS)
    if state.kb.country(code) is None or (other is not None and state.kb.country(other) is None):
        message = f"{country if state.kb.country(code) is None else partner} is not a state"
        return HTMLResponse(render_form_page(form, message), status_code=422, headers=HEADERS)
    if other == code:
        return HTMLResponse(
            render_form_page(form, "the partner must be another state"), status_code=422, headers=HEADERS
        )
    result = country_brief(state.store, code, other, first, last)
    return HTMLResponse(render_brief(result, form), headers=HEADERS)
