"""The document's stance toward each actor it mentions, in -1..+1, with the sentences that drove it.

Evidence comes from evaluative words (``data/stance/polarity.tsv``) attached to an actor through the parse:

* a *quality* word describes its target: the noun an adjective modifies ("fraternal Türkiye"), the subject of
  a predicate ("Armenia is aggressive"), the actor a noun names or its governing clause's subject ("Armenia
  reveals the Turkophobia ...");
* a *conflict* word is a hostile act: its doer (possessor, "by" agent, the subject of the clause) is portrayed
  negatively and the actor it is "against"/"on" sympathetically ("aggression against Azerbaijan");
* a *cooperation* word is a friendly act: doer and partners ("with", "between") are portrayed positively.

Negation ("not", "never") flips a word. Words inside quoted speech count less than the author's own
(``QUOTE_WEIGHT``), and a speaker praising or blaming itself counts less still. Coded events add the PLOVER
cooperation/conflict score of what an actor does (``EVENT_WEIGHT``). The contributions of an actor are combined
into ``sum / (sum of magnitudes + 1)``, so one mild word gives a mild score and many consistent ones approach
±1. Every actor gets an entry; an actor with no evidence scores 0.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from communique.document import Document, Stance
from communique.resources import read_tsv
from communique.stages.opinion import quoted_ranges, quoted_token_mask

QUOTE_WEIGHT = 0.5
SELF_QUOTE_WEIGHT = 0.2  # a speaker's words about itself say little about the author's attitude
VICTIM_SHARE = 0.5  # the victim of a hostile act gets this share of the act's weight, as sympathy
EVENT_WEIGHT = 0.4  # a PLOVER score of +-10 contributes +-0.4
DRIVER_THRESHOLD = 0.15  # a sentence "drives" the stance when it contributes at least this much

_VICTIM_PREPS = {"against", "on", "upon", "toward", "towards", "at"}
_PARTNER_PREPS = {"with", "between", "among", "amongst", "to", "for"}
_DOER_PREPS = {"by", "of", "from"}
# Clause-level dependents that start another proposition: actors inside them are not the word's target.
_OTHER_CLAUSE = {"relcl", "ccomp", "advcl", "acl", "parataxis", "xcomp", "csubj", "punct"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}


@dataclass(frozen=True)
class _Entry:
    score: float
    role: str  # quality | conflict | cooperation


def load_polarity() -> dict[str, _Entry]:
    """The polarity lexicon: lower-case lemma -> score and role."""
    rows = read_tsv("stance", "polarity.tsv")
    return {row[0].lower(): _Entry(float(row[1]), row[2]) for row in rows}


class StanceScorer:
    """Fills ``document.stance``: one :class:`Stance` per actor, scored from the words that evaluate it."""

    name = "stance"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb
        self.lexicon = load_polarity()

    def __call__(self, document: Document) -> None:
        parsed = document.parsed
        if parsed is None or not document.actors:
            document.stance = [Stance(a.id, a.code, 0.0, []) for a in document.actors]
            return
        token_actor = _token_actors(document, parsed)
        ranges = quoted_ranges(document)
        quoted = quoted_token_mask(parsed, ranges)
        speakers = _quote_speakers(document)
        contributions: dict[str, list[tuple[float, int]]] = defaultdict(list)

        for token in parsed:
            entry = self.lexicon.get(token.lemma_.lower()) or self.lexicon.get(token.lower_)
            if entry is None or token.pos_ not in ("NOUN", "ADJ", "VERB", "PROPN"):
                continue
            if token.i in token_actor:
                continue  # a word of an actor's own name ("Council of Turkic Cooperation") is not an evaluation
            weight = QUOTE_WEIGHT if quoted[token.i] else 1.0
            score = entry.score * (-1.0 if _negated(token) else 1.0) * weight
            sentence = document.sentence_at(token.idx)
            speaker = speakers.get(sentence) if quoted[token.i] else None
            for actor_id, share in self._targets(token, entry.role, token_actor):
                value = score * share
                if speaker is not None and speaker == actor_id:
                    value *= SELF_QUOTE_WEIGHT / QUOTE_WEIGHT
                contributions[actor_id].append((value, sentence))

        for event in document.events:
            for participant in event.actor:
                if participant.actor_id:
                    contributions[participant.actor_id].append(
                        (event.score / 10.0 * EVENT_WEIGHT, event.sentence)
                    )

        stances: list[Stance] = []
        for actor in document.actors:
            values = contributions.get(actor.id, [])
            total = sum(v for v, _ in values)
            magnitude = sum(abs(v) for v, _ in values)
            score = max(-1.0, min(1.0, total / (magnitude + 1.0))) if values else 0.0
            per_sentence: dict[int, float] = defaultdict(float)
            for v, s in values:
                per_sentence[s] += v
            drivers = sorted(
                s for s, v in per_sentence.items() if abs(v) >= DRIVER_THRESHOLD and v * score > 0
            )
            stances.append(
                Stance(actor_id=actor.id, code=actor.code, score=round(score, 3), sentences=drivers)
            )
        document.stance = stances

    def _targets(self, token: Any, role: str, token_actor: dict[int, str]) -> list[tuple[str, float]]:
        """The actors an evaluative word is about, each with the share of its score it receives."""
        out: dict[str, float] = {}

        def give(actor_ids: set[str], share: float) -> None:
            for actor_id in actor_ids:
                if abs(share) > abs(out.get(actor_id, 0.0)):
                    out[actor_id] = share

        if role == "quality" and token.pos_ not in ("NOUN", "ADJ", "PROPN"):
            return []  # "lies" the verb is not "lies" the noun
        if token.pos_ == "ADJ":
            described = _described(token)
            if described is not None:
                named = _named_by(described, token_actor)
                if not named and described.dep_ in ("attr", "oprd", "appos", "dobj"):
                    named = _clause_subject_actors(described, token_actor)  # "Georgia is a hostile neighbour"
                give(named, 1.0)
            return list(out.items())

        if token.pos_ == "VERB":
            give(_subject_actors(token, token_actor), 1.0)
            objects: set[str] = set()
            for child in token.children:
                if child.dep_ in ("dobj", "dative", "attr", "oprd", "nsubjpass"):
                    objects |= _actors_in(child, token_actor)
                elif child.dep_ == "prep" and child.lower_ in _VICTIM_PREPS | _PARTNER_PREPS:
                    objects |= _actors_in(child, token_actor)
            if role == "conflict":
                give(objects - set(out), -VICTIM_SHARE)
            elif role == "cooperation":
                give(objects - set(out), 0.6)
            return list(out.items())

        # a noun: who it names or who does it, who takes part in it, who suffers it
        doers = _named_by(token, token_actor, appositions=role == "quality")
        partners: set[str] = set()
        victims: set[str] = set()
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in _VICTIM_PREPS:
                victims |= _actors_in(child, token_actor)
            elif child.dep_ == "prep" and child.lower_ in _PARTNER_PREPS:
                partners |= _actors_in(child, token_actor)
        if role == "cooperation":
            doers |= partners
        if not doers and token.dep_ == "appos" and token.head.i in token_actor:
            doers.add(token_actor[token.head.i])  # "Armenia, the aggressor"
        if not doers:
            doers = _clause_subject_actors(token, token_actor)
        give(doers, 1.0)
        if role == "conflict":
            give(victims - doers, -VICTIM_SHARE)
        return list(out.items())


def _token_actors(document: Document, parsed: Any) -> dict[int, str]:
    """Token index -> id of the actor whose mention covers it."""
    out: dict[int, str] = {}
    for actor in document.actors:
        for mention in actor.mentions:
            span = parsed.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            for token in span:
                out[token.i] = actor.id
    return out


def _quote_speakers(document: Document) -> dict[int, str]:
    """Sentence index -> actor id of the speaker quoted there."""
    out: dict[int, str] = {}
    for quote in document.quotes:
        if quote.speaker.actor_id:
            first = document.sentence_at(quote.content.start)
            last = document.sentence_at(max(quote.content.start, quote.content.end - 1))
            for s in range(first, last + 1):
                out[s] = quote.speaker.actor_id
    return out


def _negated(token: Any) -> bool:
    """Whether the word or the clause it sits in is negated ("not aggressive", "is not a hostile neighbour")."""
    candidate, hops = token, 0
    while hops < 4:
        if any(child.dep_ == "neg" for child in candidate.children):
            return True
        if candidate.pos_ in ("VERB", "AUX") or candidate.head is candidate:
            return False
        candidate, hops = candidate.head, hops + 1
    return False


def _described(adjective: Any) -> Any:
    """The noun an adjective evaluates: its head noun, or the subject when it is a predicate ("X is hostile")."""
    if adjective.dep_ in ("amod", "conj") and adjective.head.pos_ in ("NOUN", "PROPN"):
        return adjective.head
    if adjective.dep_ in ("conj",) and adjective.head.pos_ == "ADJ":
        return _described(adjective.head)
    if adjective.dep_ in ("acomp", "attr", "oprd"):
        for child in adjective.head.children:
            if child.dep_ in _SUBJECTS:
                return child
    return None


def _actors_in(root: Any, token_actor: dict[int, str]) -> set[str]:
    """Actors mentioned in the phrase under ``root``: the noun phrase with its conjuncts, appositions and "of"
    phrases, never entering another clause or another preposition ("a place in the politics of X" is not X)."""
    found: set[str] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        if token.i in token_actor:
            found.add(token_actor[token.i])
        for child in token.children:
            if child.dep_ in _OTHER_CLAUSE:
                continue
            if child.dep_ == "prep" and child.lower_ != "of" and child is not root:
                continue
            stack.append(child)
    return found


def _named_by(noun: Any, token_actor: dict[int, str], appositions: bool = True) -> set[str]:
    """Actors a noun phrase names or belongs to: the noun itself, possessors, compounds and nationality
    adjectives, "of"/"by"/"from" phrases, and (for qualities) appositions ("opponents, especially Armenia")."""
    found: set[str] = set()
    if noun.i in token_actor:
        found.add(token_actor[noun.i])
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod", "conj") or (
            appositions and child.dep_ == "appos"
        ):
            found |= _actors_in(child, token_actor)
        elif child.dep_ in ("prep", "agent") and child.lower_ in _DOER_PREPS:
            found |= _actors_in(child, token_actor)
    return found


def _subject_actors(verb: Any, token_actor: dict[int, str]) -> set[str]:
    """Actors in the subject (or passive "by" agent) of a verb, following conjoined verbs to a shared subject."""
    found: set[str] = set()
    current, hops = verb, 0
    while hops < 3:
        for child in current.children:
            if child.dep_ in ("nsubj", "csubj"):
                found |= _actors_in(child, token_actor)
            elif child.dep_ == "agent":
                found |= _actors_in(child, token_actor)
        if found or current.dep_ not in ("conj", "xcomp", "pcomp", "advcl") or current.head is current:
            break
        current, hops = current.head, hops + 1
    return found


# Links a noun may climb to reach the clause that acts it out: object, predicate, "by"-means, a small clause.
_CLIMB_DEPS = {"dobj", "attr", "oprd", "conj", "appos", "ccomp", "xcomp", "acomp", "pcomp"}
_MEANS_PREPS = {"by", "through", "via", "with"}
_NAMING_VERBS = {"call", "describe", "label", "brand", "term", "name", "dub", "consider", "deem", "declare"}


def _clause_subject_actors(noun: Any, token_actor: dict[int, str]) -> set[str]:
    """For a noun that names no actor itself: the subject of the clause whose object, predicate or means it is
    ("Armenia reveals the Turkophobia", "by aggression against X, Armenia ..."). A noun inside any other
    prepositional phrase ("vulnerable due to the terrorists") says nothing about that subject."""
    current, hops = noun, 0
    while current.head is not current and hops < 6:
        dep = current.dep_
        if dep == "pobj" and current.head.lower_ in _MEANS_PREPS:
            pass
        elif dep == "prep" and current.lower_ in _MEANS_PREPS:
            pass
        elif dep == "nsubj" and current.head.dep_ in ("ccomp", "xcomp"):
            pass  # "reveals [the Turkophobia cultivated ...]": a small clause under the revealing verb
        elif dep not in _CLIMB_DEPS:
            return set()
        current, hops = current.head, hops + 1
        if current.pos_ in ("VERB", "AUX"):
            found: set[str] = set()
            # "X called the attack a provocation": the label is about the thing named, not about X
            wanted = ("dobj", "nsubjpass") if current.lemma_ in _NAMING_VERBS else ("nsubj", "csubj", "agent")
            for child in current.children:
                if child.dep_ in wanted and not _contains(child, noun):
                    found |= _actors_in(child, token_actor)
            if found or current.lemma_ in _NAMING_VERBS:
                return found
    return set()


def _contains(root: Any, token: Any) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i
