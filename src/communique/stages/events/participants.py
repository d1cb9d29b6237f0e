"""Step 3 of the event coder: who acts and on whom, from the dependency parse.

The subject, or the passive agent, is the actor; the object, or the object of to/with/against/on/from, the
recipient; conjoined actors are all kept ("Azerbaijan and Türkiye signed"), and "between A and B" makes both
actors. Event nouns take their own arguments ("the visit of President Aliyev to Kyrgyzstan", "Russia's invasion
of Ukraine") or the subject of a light verb ("held talks"). Each rule is one function; the recipient rules are
tried in order (:data:`CLAUSE_RECIPIENT_RULES`), and the first that finds an actor other than a place wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from communique.document import Actor, Mention
from communique.stages.events.governance import clause_verb, complement_chain, infinitive_clause
from communique.stages.events.phrases import dedupe, phrase_actors, phrase_actors_or_none
from communique.stages.events.run import CodingRun, Named, is_place
from communique.stages.events.triggers import Candidate

# Prepositions that introduce the recipient of a verb, in the order they are tried.
RECIPIENT_PREPS = (
    "to",
    "with",
    "against",
    "on",
    "upon",
    "from",
    "toward",
    "towards",
    "into",
    "at",
    "over",
    "for",
    "in",
)
# Prepositions of a verb's object that name the recipient ("asylum to", "sanctions on", "restrictions against").
OBJECT_RECIPIENT_PREPS = {
    "to",
    "on",
    "upon",
    "against",
    "for",
    "with",
    "in",
    "into",
    "toward",
    "towards",
    "from",
}
# Prepositions of a purpose clause that name the recipient of the act it serves ("to protest against X").
PURPOSE_RECIPIENT_PREPS = {"against", "to", "with", "on", "toward", "towards"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
PRONOUNS = {"it", "they", "he", "she", "we", "them", "him", "her", "i", "its", "their", "his", "our"}
# Verbs whose subject begins or ends an event noun rather than taking part ("talks took place").
_ASPECT_VERBS = ("take", "begin", "start", "continue", "end", "resume", "open", "conclude")

# Actors found, and whether the parse gave them (False: a fallback such as the nearest actor before).
Subjects = tuple[list[Named], bool]


@dataclass
class Found:
    """Participants found for one event, with how they were found."""

    actors: list[Named]
    recipients: list[Named]
    by_parse: bool = True


def participants(run: CodingRun, cand: Candidate) -> Found | None:
    """The actors and recipients of a trigger, or None when the parse gives it no actor it can use."""
    head = cand.head
    if cand.entry.kind == "rule":
        return _obligation_participants(run, head)
    if head.pos_ in ("NOUN", "PROPN") and not head.tag_.startswith("VB"):
        return noun_participants(run, cand)
    return _verb_participants(run, cand)


def _obligation_participants(run: CodingRun, head: Token) -> Found | None:
    """ "X said Y must ...": the speaker asks the subject of the clause."""
    speaker = subject_actors(run, head.head)
    asked = [
        m
        for child in head.children
        if child.dep_ in ("nsubj", "nsubjpass")
        for m in phrase_actors(run, child, subject=True)
    ]
    if not speaker or not asked:
        return None
    return Found(speaker[0], without(asked, speaker[0]), speaker[1])


def _verb_participants(run: CodingRun, cand: Candidate) -> Found | None:
    head = cand.head
    rules = run.rules
    verb_lemma = cand.entry.pattern if cand.entry.kind == "verb" else ""
    recipients = object_actors(run, head)
    if (
        verb_lemma in rules.object_required_verbs
        and not any(
            (c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN"))
            # "allowed Russian troops to use its territory": the object parsed as the complement's subject
            or (
                c.dep_ == "ccomp"
                and any(g.dep_ == "nsubj" and g.pos_ in ("NOUN", "PROPN") for g in c.children)
            )
            for c in head.children
        )
        # "withdrew from Kherson": no object, but a coded actor or place the act is directed at
        and not any(a.code for a, _ in recipients)
    ):
        return None
    actors, by_parse = subject_actors(run, head) or ([], False)
    if verb_lemma in rules.actor_object_verbs and not recipients:
        return None
    if not actors and cand.entry.type == "ASSAULT":
        actors, by_parse = unidentified_attacker(run, cand), False
    if not actors and head.dep_ in ("nsubjpass",):
        return None
    return Found(actors, without(recipients, actors), by_parse)


# ----------------------------------------------------------------------------------------- actors
def subject_actors(run: CodingRun, verb: Token, depth: int = 0) -> Subjects | None:
    """The actors doing what ``verb`` says: its subject, passive agent, or the subject it inherits."""
    if depth > 4:
        return None
    children = list(verb.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
    if passive:
        for agent in (c for c in children if c.dep_ == "agent"):
            found = [m for obj in agent.children if obj.dep_ == "pobj" for m in phrase_actors(run, obj)]
            if found:
                return found, True
        # "signed between Azerbaijan and Kyrgyzstan": the parties are all actors (reciprocal).
        between = between_actors(run, verb)
        return (between, True) if between else None
    for subj in (c for c in children if c.dep_ in ("nsubj", "csubj", "expl")):
        return _actors_of_subject(run, verb, subj)
    # "X has been indicted ... and will resign": a conjoined verb of a passive shares its subject.
    if verb.dep_ == "conj" and any(c.dep_ == "nsubjpass" for c in verb.head.children):
        subj = next(c for c in verb.head.children if c.dep_ == "nsubjpass")
        found = phrase_actors(run, subj, subject=True)
        return (found, True) if found else None
    # No subject of its own: controlled verbs and participles inherit their head's subject.
    if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp") and verb.head is not verb:
        return subject_actors(run, verb.head, depth + 1)
    if verb.dep_ in ("acl", "relcl") and verb.head is not verb:
        return phrase_actors_or_none(run, verb.head)
    return preceding_actors(run, verb)


def _actors_of_subject(run: CodingRun, verb: Token, subj: Token) -> Subjects | None:
    """The actors a verb's own subject names: through a relative pronoun, a pronoun's antecedent, or a group
    the text does not name."""
    if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
        return phrase_actors_or_none(run, verb.head)
    found = phrase_actors(run, subj, subject=True)
    if found:
        return found, True
    # "it said", and "their forces had completed" under a reporting verb: the speaker.
    if subj.lower_ in PRONOUNS or any(c.dep_ == "poss" and c.lower_ in PRONOUNS for c in subj.children):
        return pronoun_antecedent(run, verb, subj)
    group = unplaced_group(run, subj)
    return ([group], False) if group else None


def unplaced_group(run: CodingRun, subj: Token) -> Named | None:
    """A group of people the text does not name ("Islamic fundamentalists continued their hunger strike")
    in a sentence that names one country: that country's (unidentified) group."""
    # "a group of Chechen refugees", "dozens of students": the people the collective noun counts.
    of = next((c for c in subj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    counted = next((o for o in of.children if o.dep_ == "pobj"), None) if of is not None else None
    if counted is not None and counted.tag_ in ("NNS", "NNPS"):
        subj = counted
    if (
        subj.tag_ not in ("NNS", "NNPS")
        and subj.ent_type_ not in ("NORP", "PERSON", "ORG")
        and run.kb.agent_sector(subj.lower_) is None
    ):
        return None
    codes = run.sentence_codes(subj.sent)
    if len(codes) > 1:
        # Several countries named: the group is where it acts ("protesters set fire to the French embassy
        # in Niamey").
        codes = place_codes(run, subj.head, exclude=subj)
    if len(codes) != 1:
        return None
    span = subj.doc[subj.left_edge.i : subj.i + 1]
    actor = Actor(id="", name=span.text, type="group", code=next(iter(codes)), sector=None)
    run.inferred.add("")
    return actor, Mention(span.text, span.start_char, span.end_char, 0, "name")


def place_codes(run: CodingRun, verb: Token, exclude: Token) -> set[str]:
    """The codes of the countries and capitals in the locative phrases ("in Niamey", "at a jail in Dili")
    of a verb's clause, outside the ``exclude`` phrase."""
    skip = {t.i for t in exclude.subtree}
    codes: set[str] = set()
    for prep in verb.subtree:
        if (
            prep.i in skip
            or prep.dep_ != "prep"
            or prep.lower_ not in ("in", "at", "inside", "near", "outside")
        ):
            continue
        for token in prep.subtree:
            hit = run.mentions.get(token.i)
            if hit is not None and hit[0].code not in (None, "IGO") and hit[0].type in ("country", "place"):
                codes.add(str(hit[0].code))
                break
    return codes


def unidentified_attacker(run: CodingRun, cand: Candidate) -> list[Named]:
    """Violence with no named perpetrator ("a roadside bomb killed three soldiers near Basra") is coded,
    as PLOVER does, to unidentified armed forces (UAF) of the country where it happened."""
    verb = clause_verb(cand.head)
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "agent")]
    # Only when the doer is unnamed: a passive without agent, or a weapon or attack as subject.
    doers = [o for c in subjects for o in ([c] if c.dep_ == "nsubj" else c.children)]
    if any(d.lemma_.lower() not in run.rules.attack_instruments for d in doers):
        return []
    places: list[Token] = []
    for token in (verb, *[c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]):
        for prep in token.subtree:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "near", "outside", "at", "inside", "around"):
                places.extend(o for o in prep.children if o.dep_ == "pobj")
    codes: list[tuple[str, Mention | None]] = []
    for place in places:
        for token in place.subtree:
            hit = run.mentions.get(token.i)
            if hit is not None and hit[0].code and hit[0].code != "IGO":
                codes.append((hit[0].code, hit[1]))
                break
    if not codes:
        sentence_codes = run.sentence_codes(cand.head.sent)
        if len(sentence_codes) != 1:
            return []
        codes = [(next(iter(sentence_codes)), None)]
    code, mention = codes[0]
    text = mention.text if mention is not None else ""
    start = mention.start if mention is not None else cand.head.idx
    actor = Actor(id="", name="unidentified armed forces", type="group", code=code, sector="UAF")
    run.inferred.add("")
    return [(actor, Mention(text, start, start + len(text), 0, "name"))]


def between_actors(run: CodingRun, token: Token) -> list[Named]:
    """The parties of "between A and B" (or among) under a token."""
    found: list[Named] = []
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("between", "among", "amongst"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    for member in (obj, *obj.conjuncts):
                        found.extend(phrase_actors(run, member, conj=False))
    return dedupe(found)


def pronoun_antecedent(run: CodingRun, verb: Token, pronoun: Token) -> Subjects | None:
    """ "Hungary said it will support ...": a pronoun subject under a reporting verb is the speaker."""
    token = verb
    while token.dep_ in ("ccomp", "xcomp", "conj", "advcl") and token.head is not token:
        token = token.head
        if run.lemma(token) in run.rules.reporting_verbs or token.tag_.startswith("VB"):
            found = subject_actors(run, token, depth=3)
            if found:
                return found
    return preceding_actors(run, pronoun)


def preceding_actors(run: CodingRun, token: Token) -> Subjects | None:
    """Fallback when the parse gives no subject: the nearest coded actors before the token, in its
    sentence, together with those conjoined to them."""
    sent = token.sent
    for i in range(token.i - 1, sent.start - 1, -1):
        hit = run.mentions.get(i)
        if hit is None or hit[0].code is None:
            continue
        anchor = token.doc[i]
        group = [anchor, *anchor.conjuncts]
        found: list[Named] = []
        for member in group:
            if member.i < token.i:
                near = phrase_actors(run, member)
                got = run.mentions.get(member.i) or (near[0] if near else None)
                if got is not None and got[0].code and got not in found:
                    found.append(got)
        return (sorted(found, key=lambda am: am[1].start) or [hit]), False
    return None


def conditional_subjects(run: CodingRun, head: Token) -> list[Named]:
    """The coded subjects of the conditions ("if X ...", "unless X ...") on a trigger or its complements."""
    found: list[Named] = []
    for token in complement_chain(clause_verb(head)):
        for clause in token.children:
            if clause.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in run.rules.condition_marks for c in clause.children
            ):
                for subj in clause.children:
                    if subj.dep_ in ("nsubj", "nsubjpass"):
                        found.extend(phrase_actors(run, subj, subject=True))
    return dedupe(found)


# ------------------------------------------------------------------------------------- recipients
def object_actors(run: CodingRun, verb: Token) -> list[Named]:
    """Recipients of a verb: its object, then the object of a recipient preposition; looks into the
    complement clause ("threatened to cut off electricity to X") when the verb itself has none, and last
    into the clause saying what the act is for ("began a hunger strike to protest against X"). A place
    ("in Tehran") is taken only when no actor is found."""
    fallback: list[Named] = []
    for found in recipient_candidates(run, verb):
        if not all(is_place(a) for a, _ in found):
            return found
        fallback = fallback or found
    return fallback


def recipient_candidates(run: CodingRun, verb: Token) -> Iterator[list[Named]]:
    """The recipients a verb's parse offers, best first: for the verb and each verb sharing its objects, the
    rules of :data:`CLAUSE_RECIPIENT_RULES` in order, then the purpose clause. Lazily: a later rule is not
    tried once a caller has what it needs (a rule may record an inferred actor)."""
    for token in complement_chain(verb):
        children = list(token.children)
        # "kidnapped up to 16 Russian advisers": the parser hangs the object's preposition on a particle.
        children += [g for c in children if c.dep_ == "prt" for g in c.children if g.dep_ == "prep"]
        for rule in CLAUSE_RECIPIENT_RULES:
            for found in rule(run, verb, token, children):
                if found:
                    yield found
    yield from _purpose_recipients(run, verb)


# One recipient rule: (run, the trigger's verb, the clause verb tried, its children) -> candidate lists.
RecipientRule = Callable[[CodingRun, Token, Token, list[Token]], Iterator[list[Named]]]


def _passive_subjects(
    run: CodingRun, verb: Token, token: Token, children: list[Token]
) -> Iterator[list[Named]]:
    """ "X was expelled": the passive subject."""
    if any(c.dep_ == "nsubjpass" for c in children):
        yield [m for c in children if c.dep_ == "nsubjpass" for m in phrase_actors(run, c, subject=True)]


def _objects(run: CodingRun, verb: Token, token: Token, children: list[Token]) -> Iterator[list[Named]]:
    """The direct, dative or predicative objects; "brokered a ceasefire between Israel and Hamas": both
    parties, not only the nearest."""
    found: list[Named] = []
    for c in _object_children(children):
        parties = [
            m
            for prep in c.children
            if prep.dep_ == "prep" and prep.lower_ in ("between", "among")
            for o in prep.children
            if o.dep_ == "pobj"
            for m in phrase_actors(run, o)
        ]
        found.extend(parties or phrase_actors(run, c))
    yield found


def _object_prepositions(
    run: CodingRun, verb: Token, token: Token, children: list[Token]
) -> Iterator[list[Named]]:
    """The object of a preposition on the object ("asylum to X", "sanctions on X")."""
    yield [
        m
        for c in _object_children(children)
        for prep in c.children
        if prep.dep_ == "prep" and prep.lower_ in OBJECT_RECIPIENT_PREPS
        for obj in prep.children
        if obj.dep_ == "pobj"
        for m in phrase_actors(run, obj)
    ]


def _complement_subject(
    run: CodingRun, verb: Token, token: Token, children: list[Token]
) -> Iterator[list[Named]]:
    """In a clause complement of the trigger, that clause's subject."""
    if token is not verb and token.dep_ == "ccomp":
        yield [m for c in children if c.dep_ == "nsubj" for m in phrase_actors(run, c, subject=True)]


def _prepositions(run: CodingRun, verb: Token, token: Token, children: list[Token]) -> Iterator[list[Named]]:
    """The object of a recipient preposition ("to", "with", "against" ...), one preposition at a time in
    :data:`RECIPIENT_PREPS` order; a preposition the parser left without object takes the next actor."""
    for prep_lemma in RECIPIENT_PREPS:
        found: list[Named] = []
        for prep in (c for c in children if c.dep_ in ("prep", "dative") and c.lower_ == prep_lemma):
            objects_of_prep = [o for o in prep.children if o.dep_ in ("pobj", "pcomp")]
            for obj in objects_of_prep:
                found.extend(phrase_actors(run, obj))
            if not objects_of_prep:
                found.extend(stranded_object(run, prep))
        yield found


def _mediated_parties(
    run: CodingRun, verb: Token, token: Token, children: list[Token]
) -> Iterator[list[Named]]:
    """ "mediated between Israel and Hamas": the parties are the recipients of the third party's act."""
    if token is verb and not any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
        yield between_actors(run, token)


def _asked_subjects(
    run: CodingRun, verb: Token, token: Token, children: list[Token]
) -> Iterator[list[Named]]:
    """ "demanded that the US cancel", "pushing hard for the US (to) support": the clause's subject is the
    one asked."""
    yield [
        m
        for c in children
        if c.dep_ == "ccomp"
        or (c.dep_ == "advcl" and any(k.dep_ == "mark" and k.lower_ == "for" for k in c.children))
        for s in c.children
        if s.dep_ == "nsubj"
        for m in phrase_actors(run, s, subject=True)
    ]


CLAUSE_RECIPIENT_RULES: tuple[RecipientRule, ...] = (
    _passive_subjects,
    _objects,
    _object_prepositions,
    _complement_subject,
    _prepositions,
    _mediated_parties,
    _asked_subjects,
)


def _purpose_recipients(run: CodingRun, verb: Token) -> Iterator[list[Named]]:
    """What the act is for, only through a preposition of opposition or address: "began a hunger strike to
    protest against X", not "resigned to allow X's elections"."""
    for purpose in (c for c in verb.children if infinitive_clause(c)):
        for prep in purpose.children:
            if prep.dep_ == "prep" and prep.lower_ in PURPOSE_RECIPIENT_PREPS:
                found = [m for o in prep.children if o.dep_ == "pobj" for m in phrase_actors(run, o)]
                if found:
                    yield found


def _object_children(children: list[Token]) -> list[Token]:
    return [c for c in children if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd")]


def stranded_object(run: CodingRun, prep: Token) -> list[Named]:
    """The object of a preposition the parser left without one ("granted asylum to five Panamanian army
    officers holed up ...", where "officers" became the subject of "holed"): the first coded actor in the
    words that follow it, up to a punctuation mark or conjunction."""
    doc = prep.doc
    for i in range(prep.i + 1, min(prep.i + 8, prep.sent.end)):
        token = doc[i]
        if token.is_punct or token.dep_ == "cc" or token.pos_ in ("VERB", "AUX", "ADP"):
            return []
        hit = run.mentions.get(i)
        if hit is not None and hit[0].code is not None:
            return [hit]
    return []


# ------------------------------------------------------------------------------------- event nouns
def noun_participants(run: CodingRun, cand: Candidate) -> Found | None:
    """Participants of an event noun: its own arguments, else the subject of the light verb it serves."""
    actors, recipients = _noun_arguments(run, cand)
    by_parse = True
    if not actors:
        served = _served_verb(run, cand.head)
        if served is not None:
            found = subject_actors(run, served)
            if found:
                actors, by_parse = found
            if not recipients:
                recipients = [r for r in object_actors(run, served) if r not in actors]
    if not actors:
        return None
    return Found(dedupe(actors), without(dedupe(recipients), actors), by_parse)


def _noun_arguments(run: CodingRun, cand: Candidate) -> tuple[list[Named], list[Named]]:
    """The actors and recipients an event noun's own dependents name ("Russia's invasion of Ukraine", "talks
    between A and B", "the visit of Aliyev to Bishkek", "Iran sanctions": sanctions on Iran)."""
    noun = cand.head
    actors: list[Named] = []
    recipients: list[Named] = []
    visit = cand.entry.mode == "visit"
    for child in noun.children:
        if child.dep_ in ("amod", "compound") and child.i in run.mentions and cand.entry.type == "SANCTION":
            recipients.extend(phrase_actors(run, child))  # "Iran sanctions": sanctions on Iran
        elif child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and child.i in run.mentions):
            actors.extend(phrase_actors(run, child))
        elif child.dep_ == "prep":
            prep = child.lower_
            for obj in (o for o in child.children if o.dep_ == "pobj"):
                if prep == "between" or prep == "among":
                    # The parties of talks are all actors; those of a mediation are its recipients.
                    parties = recipients if cand.entry.mode == "third-party" else actors
                    for member in (obj, *obj.conjuncts):
                        parties.extend(phrase_actors(run, member, conj=False))
                elif prep == "by":
                    actors.extend(phrase_actors(run, obj))
                elif prep == "of":
                    # "the visit of Aliyev": the visitor; "the invasion of Ukraine": the victim.
                    (
                        actors
                        if (visit or cand.entry.type in ("CONSULT", "AGREE", "SUPPORT", "PROTEST"))
                        and not actors
                        else recipients
                    ).extend(phrase_actors(run, obj))
                elif prep in RECIPIENT_PREPS:
                    recipients.extend(phrase_actors(run, obj))
        # "the Declaration, which was signed between A and B" (an acl) is handled by the verb itself.
    return actors, recipients


def _served_verb(run: CodingRun, noun: Token) -> Token | None:
    """The verb whose subject acts in an event noun without actors of its own: a light or reporting verb
    taking it as object ("held talks", "announced sanctions"), or a verb of going or taking part through a
    preposition ("returned to Geneva for talks"). None where only the noun's arguments count ("talks between
    A and B took place")."""
    rules = run.rules
    governor = noun.head
    serving = rules.light_verbs | rules.reporting_verbs
    # "announced $400 million in military aid": the amount stands for the aid it measures.
    if (
        noun.dep_ == "pobj"
        and governor.lower_ in ("in", "of")
        and governor.head.pos_ == "NUM"
        and governor.head.dep_ == "dobj"
    ):
        noun, governor = governor.head, governor.head.head
    # Through a preposition only verbs of going or taking part: "returned to Geneva for talks".
    if noun.dep_ == "pobj" and governor.dep_ == "prep":
        serving = rules.attending_verbs if governor.lower_ in ("for", "in", "to", "at") else frozenset()
        governor = governor.head
    if noun.dep_ in ("dobj", "pobj", "attr") and run.lemma(governor) in serving:
        return governor
    return None


# ----------------------------------------------------------------------------------------- helpers
def without(items: list[Named], other: list[Named]) -> list[Named]:
    """Recipients other than the actors' own mentions. The same actor named again ("Croatia investigates
    Croatian extremists") stays: domestic events have the actor's country as recipient; a pronoun or
    possessive pointing back at the actor ("withdrew its troops") does not."""
    taken = {(m.start, m.end) for _, m in other}
    ids = {a.id for a, _ in other}
    return [
        (a, m)
        for a, m in dedupe(items)
        if (m.start, m.end) not in taken and not (a.id in ids and m.kind in ("pronoun", "possessive"))
    ]
