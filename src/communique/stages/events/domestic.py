"""Domestic events: when a state's act on something at home has the state itself as recipient.

The PLOVER records code an action on an unnamed group at home ("banned opposition candidates", "lifted a state
of emergency") with the actor's own country as recipient. A state acting on something unnamed gets that self-dyad
only where its clause shows a domestic target (``rules.yaml: domestic_target``); otherwise "Armenia staged a
campaign" would make ARM -> ARM.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from communique.document import Actor, Mention, Participant
from communique.stages.events.governance import clause_verb, complement_chain
from communique.stages.events.run import CodingRun, Named
from communique.stages.events.triggers import Candidate


def names_the_state(actor: Actor, mention: Mention) -> bool:
    """The mention names a state or its government ("Lebanon", "Beirut", "the Lebanese government"), not its
    people ("Lebanese students", "Nigerians")."""
    if actor.sector in ("GOV", "LEG", "IGO"):
        return True
    return actor.type == "country" and (mention.kind == "capital" or mention.text == actor.name)


def domestic_recipient(run: CodingRun, cand: Candidate, actors: list[Named]) -> list[Participant]:
    """The actor's own country as recipient of its act on an unnamed target at home, or nothing.

    A group inside a country (rebels, students, police) acting on something unnamed acts at home. A state or
    its government acting on something unnamed is given itself as recipient only when its clause shows a
    domestic target (:func:`domestic_context`)."""
    codes = {a.code for a, _ in actors if a.code}
    if len(codes) != 1:
        return []
    code = next(iter(codes))
    for token in complement_chain(cand.head):
        for child in token.children:
            target = _unnamed_target(child)
            if target is None or target.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
                continue
            state = [(a, m) for a, m in actors if is_the_state(run, a, m, target.doc)]
            if state and not domestic_context(run, cand, target, code, actors):
                return []
            text = target.doc[target.left_edge.i : target.i + 1].text
            return [Participant(actor_id=None, code=code, sector=None, text=text)]
    return []


def _unnamed_target(child: Token) -> Token | None:
    """The noun a verb acts on through this child: its object, or the object of against/on/in/from/to."""
    if child.dep_ in ("dobj", "nsubjpass", "dative") and child.pos_ in ("NOUN", "PROPN"):
        return child
    if child.dep_ == "prep" and child.lower_ in ("against", "on", "in", "from", "to"):
        return next((o for o in child.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")), None)
    return None


def is_the_state(run: CodingRun, actor: Actor, mention: Mention, doc: Doc) -> bool:
    """The actor is a state or its government itself ("Armenia", "Sudan's government"), not a group
    inside it that the mention only locates ("students throughout Indonesia", "Rebels in the Ivory
    Coast")."""
    if actor.sector == "MIL":
        return True  # armed forces strike abroad as often as at home ("warplanes struck targets in Gaza")
    if not names_the_state(actor, mention):
        return False
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.root.dep_ not in ("pobj", "amod", "compound", "poss", "nmod"):
        return True
    # The mention qualifies another noun: the state only if that noun names its government.
    head = span.root.head
    while head.dep_ in ("prep", "pobj") and head.head is not head:
        head = head.head
    return bool(run.kb.agent_sector(head.lower_) in ("GOV", "LEG"))


def domestic_context(run: CodingRun, cand: Candidate, target: Token, code: str, actors: list[Named]) -> bool:
    """Whether the trigger's clause shows that a state acts on something at home: a domestic group or
    institution ("opposition", "rebels", "martial law") or the state's own land named again ("in Sudan",
    "in Lagos"). Anything else ("sent in aircraft", "staged a campaign", "warplanes struck targets") may be
    abroad or no target at all, and gives no self-dyad."""
    doc = target.doc
    domestic = run.rules.domestic_target
    # The actor's own phrase ("Pakistan President Zia", "Ankara's district administration") shows nothing.
    own: set[int] = set()
    for _, mention in actors:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None:
            own.update(t.i for t in span.root.subtree)
    clause = clause_verb(cand.head)
    # Words such as "province" or "citizens" are domestic only where no other country is named: in "the
    # Syrian rebel-held province of Idlib" the province is Syria's.
    words_count = not (run.sentence_codes(cand.head.sent) - {code})
    for token in clause.subtree:
        if token.i in own:
            continue
        hit = run.mentions.get(token.i)
        if hit is not None:
            if hit[0].code == code and hit[1].kind not in ("pronoun", "possessive"):
                return True
            continue
        if words_count and (token.lower_ in domestic.words or token.lemma_.lower() in domestic.words):
            return True
        if token.pos_ in ("NOUN", "ADJ") and run.kb.agent_sector(token.lower_) in domestic.sectors:
            return True
    # Nothing in the clause names a domestic target: a state acting on a thing ("sent in aircraft",
    # "staged a campaign") is no event on itself (self-dyads only where the text names the target at home).
    return False
