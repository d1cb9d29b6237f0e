"""Step 4 of the event coder: an event's status, attribution, date and place.

Auxiliaries and markers decide future, hypothetical, negated and historical status. An event inside a quote is
asserted by the speaker ("quoted"), in an opinion sentence by the author. The date is the date expression
nearest the trigger in the parse, else the publication date; the place is a location in a locative phrase of
the trigger or the clauses above it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from communique.document import Document, EventDate, Location
from communique.stages.events.governance import clause_verb
from communique.stages.events.rules import Rules
from communique.stages.events.triggers import Candidate


def is_future_or_modal(rules: Rules, verb: Token) -> bool:
    """The verb has a future, conditional or modal auxiliary ("will", "would", "could")."""
    status = rules.status
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in status.future_aux | status.would | status.hypothetical_aux:
            return True
    return False


def status(rules: Rules, cand: Candidate) -> str:
    """realized, future, hypothetical or negated (historical is decided with the date: :func:`historical`)."""
    chain = _governing_verbs(rules, cand)
    if _negated(rules, chain):
        return "negated"
    marked = _modal_status(rules, chain)
    if marked is not None:
        return marked
    words = rules.status
    # Event nouns: "the upcoming summit", "next month's talks"
    if cand.head.pos_ in ("NOUN", "PROPN"):
        for c in cand.head.subtree:
            if c.lower_ in words.future_words and c.i < cand.head.i:
                return "future"
        for c in cand.head.children:
            if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children):
                return "future"
    for c in cand.head.sent:
        if c.lower_ in words.hypothetical_words and c.pos_ in ("ADJ", "ADV") and c.head in chain[:2]:
            return "hypothetical"
    return "realized"


def _governing_verbs(rules: Rules, cand: Candidate) -> list[Token]:
    """The chain of verbs that govern the trigger within the sentence, nearest first, up to a reporting verb."""
    verb = clause_verb(cand.head)
    chain = [verb]
    token = verb
    while (
        token.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "relcl", "acl") and token.head is not token
    ):
        if rules.lemma(token.head) in rules.reporting_verbs:
            break
        token = token.head
        chain.append(token)
        if len(chain) > 4:
            break
    if cand.entry.type in ("AGREE", "INTENT") or cand.entry.kind == "rule":
        chain = chain[:1]  # "agreed to meet": the agreement itself happened
    return chain


def _negated(rules: Rules, chain: list[Token]) -> bool:
    for v in chain[:2]:
        for c in v.children:
            if c.dep_ == "neg" or (c.lower_ in rules.status.negation and c.dep_ in ("neg", "advmod", "det")):
                return True
    return False


def _modal_status(rules: Rules, chain: list[Token]) -> str | None:
    """future or hypothetical from the auxiliaries and markers of the governing verbs, or None."""
    words = rules.status
    for v in chain[:3]:
        children = list(v.children)
        lower = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
        if lower & words.hypothetical_aux or any(
            c.dep_ == "mark" and c.lower_ in words.hypothetical_marks for c in children
        ):
            return "hypothetical"
        if v.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in children):
            return "hypothetical"
        if lower & words.future_aux:
            return "future"
        if lower & words.would:
            reported = v.dep_ == "ccomp" or (rules.lemma(v.head) in rules.reporting_verbs)
            return "future" if reported else "hypothetical"
        # "the summit to be held", "is to visit", "is going to sign"
        if v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
            if rules.lemma(v.head) in words.future_infinitive_heads or v.dep_ in ("acl", "relcl"):
                return "future"
    return None


def historical(rules: Rules, document: Document, head: Token, when: EventDate | None) -> bool:
    """The event is told as history: a word such as "formerly", or a date long before publication."""
    verb = clause_verb(head)
    if any(c.lower_ in rules.status.historical_words for c in verb.children):
        return True
    if when is None or not when.text or not when.value or document.published is None:
        return False
    value = when.value + "-01-01"[len(when.value) - 4 :] if len(when.value) < 10 else when.value
    try:
        then = date.fromisoformat(value[:10])
    except ValueError:
        return False
    return (document.published - then) > timedelta(days=rules.status.historical_days)


def attribution(rules: Rules, document: Document, sent_index: int, offset: int) -> str:
    """quoted (inside a quote's content, or a quote sentence), author (an opinion sentence) or reported."""
    for quote in document.quotes:
        if quote.content.start <= offset < quote.content.end:
            return "quoted"
    kinds = rules.attribution
    if 0 <= sent_index < len(document.sentences):
        kind = document.sentences[sent_index].kind
        if kind in kinds.quote_kinds:
            return "quoted"
        if kind in kinds.opinion_kinds:
            return "author"
    return "reported"


def event_date(document: Document, sent: SpacySpan, head: Token) -> EventDate | None:
    """The date expression of the sentence nearest the trigger in the parse, else the publication date."""
    best, best_key = None, None
    for expression in document.dates:
        if expression.value is None:
            continue
        if not (sent.start_char <= expression.start < sent.end_char):
            continue
        span = head.doc.char_span(expression.start, expression.end, alignment_mode="expand")
        if span is None:
            continue
        key = (_tree_distance(head, span.root), abs(span.root.i - head.i))
        if best_key is None or key < best_key:
            best, best_key = expression, key
    if best is not None:
        return EventDate(text=best.text, value=best.value, granularity=best.granularity)
    if document.published is not None:
        return EventDate(text="", value=document.published.isoformat(), granularity="day")
    return None


def location(document: Document, cand: Candidate, kb: Any = None) -> Location | None:
    """A place in a locative phrase ("in Baku") of the trigger or of the clauses it belongs to. Its code is that
    of the actor mention there, else (a capital named as a place is no actor: "met in Hanoi") the state the
    knowledge base gives the name."""
    token = cand.head
    for _ in range(3):
        for prep in token.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at", "near", "outside", "inside"):
                continue
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "LOC", "FAC"):
                    ent = next((e for e in obj.doc.ents if e.start <= obj.i < e.end), None)
                    text = ent.text if ent is not None else obj.text
                    start = ent.start_char if ent is not None else obj.idx
                    hit = document.mention_at(start, start + len(text))
                    code = hit[0].code if hit else None
                    if code is None and kb is not None:
                        country = kb.country_named(text.removeprefix("the "))
                        code = country.code if country is not None else None
                    return Location(text=text, code=code)
        if token.head is token or token.dep_ not in ("xcomp", "advcl", "conj", "dobj", "pobj", "prep"):
            break
        token = token.head
    return None


def _tree_distance(a: Token, b: Token) -> int:
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99
