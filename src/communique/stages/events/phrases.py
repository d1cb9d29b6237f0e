"""The coded actors a noun phrase names: for the phrase's head and each conjunct, the shallowest actor mentions
in its subtree ("the foreign ministers of Azerbaijan and Kyrgyzstan" names both states). A people named by its
nation but living in another state takes that state's code; an unplaced person in a sentence that names one
country takes that country's, and is remembered as inferred."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from communique.document import Actor
from communique.stages.events.governance import clause_verb
from communique.stages.events.run import CodingRun, Named

# Children that never belong to an actor's noun phrase.
NOT_IN_PHRASE = {
    "relcl",
    "acl",
    "advcl",
    "punct",
    "cc",
    "det",
    "ccomp",
    "xcomp",
    "conj",
    "case",
    "mark",
    "aux",
    "neg",
    "prep_skip",
}
# Prepositions inside a subject phrase that still name the subject ("leaders of", "students throughout").
SUBJECT_PREPS = {"of", "from", "in", "throughout", "within", "among", "across", "for"}


def phrase_actors(run: CodingRun, head: Token, subject: bool = False, conj: bool = True) -> list[Named]:
    """The coded actors a noun phrase names: for the head and each conjunct, the shallowest mentions."""
    found: list[Named] = []
    members = [head, *head.conjuncts] if conj and head.dep_ != "conj" else [head]
    if conj and head.dep_ == "conj":
        members = [head, *[c for c in head.conjuncts if c.i > head.i]]
    for member in members:
        for item in _shallowest(run, member, subject):
            if item not in found:
                found.append(item)
    return found


def phrase_actors_or_none(run: CodingRun, token: Token) -> tuple[list[Named], bool] | None:
    """The actors a subject phrase names, found by the parse, or None."""
    found = phrase_actors(run, token, subject=True)
    return (found, True) if found else None


def dedupe(items: Iterable[Named]) -> list[Named]:
    """The first mention of each actor."""
    out: list[Named] = []
    seen: set[str] = set()
    for actor, mention in items:
        if actor.id not in seen:
            seen.add(actor.id)
            out.append((actor, mention))
    return out


def _shallowest(run: CodingRun, head: Token, subject: bool) -> list[Named]:
    """The coded mentions nearest the top of the phrase under ``head`` (breadth first, a few levels deep)."""
    frontier = [head]
    uncoded: Named | None = None
    for _depth in range(8 if subject else 5):
        hits = []
        for token in frontier:
            hit = run.mentions.get(token.i)
            if hit is not None and hit[0].code is not None:
                hit = _residence(run, token, hit)
            if hit is not None and hit[0].code is not None and hit not in hits:
                hits.append(hit)
            elif hit is not None and uncoded is None:
                uncoded = hit
        if hits:
            return hits[:1] if len({h[0].code for h in hits}) == 1 else _distinct_codes(hits)
        if uncoded is not None and subject:
            return _placed_by_sentence(run, head, uncoded)
        nxt = []
        for token in frontier:
            for child in token.children:
                if child.dep_ in NOT_IN_PHRASE:
                    continue
                if child.dep_ == "prep" and subject and child.lower_ not in SUBJECT_PREPS:
                    continue
                nxt.append(child)
        if not nxt:
            return []
        frontier = nxt
    return []


def _placed_by_sentence(run: CodingRun, head: Token, uncoded: Named) -> list[Named]:
    """A person or group the knowledge base cannot place, in a sentence naming one country only ("President
    Yoweri Museveni has banned Ugandan opposition candidates"): the manual resolves actors "using the context
    of the article"; we use the sentence, with lower confidence."""
    codes = run.sentence_codes(head.sent)
    if len(codes) != 1:
        return []
    actor, mention = uncoded
    proxy = Actor(
        id=actor.id,
        name=actor.name,
        type=actor.type,
        code=next(iter(codes)),
        sector=actor.sector,
        mentions=actor.mentions,
        kb_id=actor.kb_id,
        role=actor.role,
    )
    run.inferred.add(actor.id)
    return [(proxy, mention)]


def _residence(run: CodingRun, token: Token, hit: Named) -> Named:
    """A people named by its nation ("Serbs", "Albanians") but placed in another state is coded, as in the
    PLOVER records, with the state it lives in: "Bosnian Serbs" -> BIH, "the Albanians of southern Serbia"
    -> SRB, "killed three ethnic Albanians in southeastern Serbia" -> SRB."""
    actor, mention = hit
    if actor.type != "country" or mention.kind != "adjective" or token.tag_ not in ("NNS", "NNPS"):
        return hit
    places: list[Token] = []
    for child in token.children:
        if child.dep_ in ("amod", "compound", "nmod"):
            places.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
            places.extend(o for o in child.children if o.dep_ == "pobj")
    if any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in token.children):
        # An ethnic minority takes the state where the clause places the act.
        verb = clause_verb(token)
        for prep in verb.subtree:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "inside", "within") and prep.head.i != token.i:
                places.extend(o for o in prep.children if o.dep_ == "pobj")
    for place in places:
        for t in place.subtree:
            other = run.mentions.get(t.i)
            if (
                other is not None
                and other[0].code not in (None, "IGO", actor.code)
                and other[0].type in ("country", "place")
            ):
                resident = Actor(
                    id=actor.id,
                    name=actor.name,
                    type="group",
                    code=other[0].code,
                    sector=actor.sector,
                    mentions=actor.mentions,
                    kb_id=actor.kb_id,
                    role=actor.role,
                )
                return resident, mention
    return hit


def _distinct_codes(hits: list[Named]) -> list[Named]:
    """Several actors at one depth of a phrase: keep the first of each code."""
    out, codes = [], set()
    for hit in hits:
        if hit[0].code not in codes:
            codes.add(hit[0].code)
            out.append(hit)
    return out[:1]
