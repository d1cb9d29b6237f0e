"""Step 2 of the event coder: which trigger governs which, and the type and mode that follow.

A trigger inside the complement of another ("threatened *to cut off* electricity", "demanded *the withdrawal* of
troops") makes no event of its own: it gives the governing event its mode (``rules.yaml: complement_mode``) or,
for an intention ("vowed to ..."), its type. "X said Y must Z" is a REQUEST of the speaker to Y, whatever Z is.
The clause helpers here (the verb a trigger's clause hangs on, the verbs that share its objects) serve the
later steps too.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from communique.stages.events.rules import Rules
from communique.stages.events.triggers import Candidate, Trigger

# Dependency labels through which a trigger sits inside the complement of another trigger.
COMPLEMENT_DEPS = {
    "xcomp",
    "ccomp",
    "dobj",
    "pobj",
    "prep",
    "pcomp",
    "acl",
    "amod",
    "compound",
    "nmod",
    "attr",
    "oprd",
    "dative",
    "nsubjpass",
    "agent",
    "acomp",
    "appos",
}

# The resolved type and mode of what a trigger is about.
Resolved = tuple[str, str | None]


# ------------------------------------------------------------------------------------------ clauses
def infinitive_clause(token: Token) -> bool:
    """An adverbial clause in the infinitive ("sworn to fight", "staged protests to demand"): what the
    governing act is for, so it belongs to that act."""
    return token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def clause_verb(token: Token) -> Token:
    """The verb whose clause the trigger belongs to (a noun's governing verb)."""
    steps = 0
    while not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")) and token.head is not token:
        token = token.head
        steps += 1
        if steps > 4:
            break
    return token


def complement_chain(verb: Token) -> Iterator[Token]:
    """The verb, then the verbs it shares objects with: its complements ("ready to contribute troops to
    X") and its conjuncts ("donated and delivered goods to X")."""
    yield verb
    frontier = [verb]
    for _ in range(3):
        nxt = [c for t in frontier for c in t.children if c.dep_ in ("xcomp", "ccomp", "acomp")]
        nxt += [c for t in frontier for c in t.children if c.dep_ == "conj" and c.tag_.startswith("VB")]
        if not nxt:
            return
        yield from nxt
        frontier = nxt


def has_condition(head: Token, marks: frozenset[str]) -> bool:
    """The trigger's clause has an adverbial clause opened by one of ``marks`` ("unless", "if")."""
    verb = clause_verb(head)
    for clause in verb.children:
        if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children):
            return True
    return False


# ------------------------------------------------------------------------------------- governance
def obligations(rules: Rules, modals: list[Token], candidates: list[Candidate]) -> list[Candidate]:
    """ "X said Y must Z": the speaker asks Y to do Z (REQUEST), whatever Z is."""
    found = []
    heads = {c.head.i: c for c in candidates}
    for modal in modals:
        token = modal.head
        if modal.dep_ != "aux" or token.dep_ != "ccomp":
            continue
        if rules.lemma(token.head) not in rules.reporting_verbs:
            continue
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            continue
        cand = Candidate(Trigger("rule", "must", "REQUEST", None, None, 0.75), token, token.i, token.i + 1)
        inner = heads.get(token.i)
        if inner is not None:
            inner.governed = True
            cand.complements.append(inner)
        found.append(cand)
    return found


def govern(rules: Rules, candidates: list[Candidate]) -> None:
    """Mark each candidate inside another's complement as governed by it (and so no event of its own)."""
    heads = {c.head.i: c for c in candidates}
    for cand in candidates:
        if cand.entry.kind == "rule":
            continue
        _find_governor(rules, cand, heads)
        if not cand.governed and cand.entry.type == "REQUEST":
            _govern_protest_demand(cand, heads)


def _find_governor(rules: Rules, cand: Candidate, heads: dict[int, Candidate]) -> None:
    """Climb from the trigger through complement labels to the nearest other trigger, which governs it; a
    reporting verb that is no trigger stops the climb ("X said Y threatened")."""
    token = cand.head
    steps = 0
    while (
        token.head is not token
        and steps < 6
        and (token.dep_ in COMPLEMENT_DEPS or (steps == 0 and infinitive_clause(token)))
    ):
        token = token.head
        steps += 1
        if rules.lemma(token) in rules.reporting_verbs and token.i not in heads:
            break
        governor = heads.get(token.i)
        if governor is not None and governor is not cand:
            if governor.entry.kind == "rule" and cand in governor.complements:
                break
            cand.governed = True
            governor.complements.append(cand)
            break


def _govern_protest_demand(cand: Candidate, heads: dict[int, Candidate]) -> None:
    """The manual: the demand a protest makes is not an event of its own ("staged demonstrations to demand
    reforms", "rioted ... demanding independence")."""
    token = cand.head
    for _ in range(4):
        if token.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl") or token.head is token:
            break
        token = token.head
        governor = heads.get(token.i)
        if governor is not None and governor.entry.type == "PROTEST":
            cand.governed = True
            break


# --------------------------------------------------------------------------------- type and mode
def complement(rules: Rules, cand: Candidate) -> Resolved | None:
    """The resolved type and mode of what a verbal trigger is about (its first governed trigger)."""
    for inner in cand.complements:
        return type_and_mode(rules, inner, complement(rules, inner))
    return None


def type_and_mode(rules: Rules, cand: Candidate, about: Resolved | None) -> Resolved:
    """A trigger's type and mode, given the type and mode of what it is about."""
    etype, mode = cand.entry.type, cand.entry.mode
    inner_type, inner_mode = about if about else (None, None)
    if etype == "INTENT":
        if inner_type in rules.conflict_types:
            etype = rules.intent_type.conflict
        elif inner_type in rules.cooperative_types:
            etype = rules.intent_type.cooperation
        else:
            etype = rules.intent_type.default
    if (
        etype == "REQUEST"
        and inner_type in ("COERCE", "SANCTION")
        and cand.entry.pattern in rules.commanding_verbs
    ):
        return inner_type, inner_mode  # an authority ordering a coercive act commits it
    if etype == "REQUEST" and inner_type in ("SANCTION", "MOBILIZE"):
        return rules.request_for_conflict, "disapprove"
    if mode is None and inner_type is not None and etype in ("THREATEN", "REQUEST", "REJECT"):
        mode = rules.complement_mode_of(etype, inner_type, inner_mode)
    return etype, mode
