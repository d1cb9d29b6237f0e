"""The PLOVER event coder: who did what to whom, when, where and how sure, with the sentence behind it.

:class:`EventCoder` reads the parse and the layers of the earlier stages (actors, dates, quotes, sentence kinds)
and adds ``document.events``. It works in four steps, each in its own module and all driven by the data in
``data/plover/``:

1. **Triggers** (:mod:`.triggers`): the words and phrases of ``triggers.tsv`` found in one pass over the tokens.
2. **Clauses** (:mod:`.governance`): a trigger inside the complement of another gives the governing event its
   mode or, for an intention ("vowed to ..."), its type, and makes no event of its own.
3. **Participants** (:mod:`.participants`, :mod:`.phrases`, :mod:`.domestic`) from the dependency parse; codes
   and sectors come from the actor layer; an event needs at least one coded actor. The manual's visit rule makes
   the visitor the actor and the host the recipient.
4. **Status, attribution, date, place, score** (:mod:`.status`, :mod:`.cues`, :mod:`.rules`); future
   cooperation is recoded AGREE and future force THREATEN, as the manual says. The same event told twice
   becomes one event with both pieces of evidence.

The rules' events then go to the learned model (:mod:`.model`), which gives each a confidence and may add the
types the rules missed. The state of one document lives in a :class:`~.run.CodingRun`, never on the coder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from communique.document import Actor, Document, Event, EventDate, Mention, Participant, Span
from communique.stages.events.cues import Cues, contexts, load_cues, mode_from_words
from communique.stages.events.domestic import domestic_recipient, is_the_state, names_the_state
from communique.stages.events.governance import (
    clause_verb,
    complement,
    govern,
    has_condition,
    obligations,
    type_and_mode,
)
from communique.stages.events.inflection import word_forms
from communique.stages.events.participants import Found, conditional_subjects, participants, without
from communique.stages.events.rules import Rules, load_rules, plover_score
from communique.stages.events.run import PLACE, CodingRun, Named, is_place
from communique.stages.events.status import attribution, event_date, historical, is_future_or_modal, location
from communique.stages.events.status import status as event_status
from communique.stages.events.triggers import Candidate, Lexicon, Trigger, TriggerFinder, load_lexicon
from communique.vocabulary import PLOVER_TYPES

# Names other modules import with the coder (PLOVER_TYPES is the vocabulary's).
__all__ = ["PLOVER_TYPES", "EventCoder", "Lexicon", "SentenceCoding", "Trigger", "plover_score", "word_forms"]


@dataclass
class SentenceCoding:
    """What the rules found in one sentence: its trigger candidates, the events made of them, its actor codes,
    and the run of the document it belongs to (so that more events can be built in it)."""

    index: int
    sent: SpacySpan
    events: list[Event]
    candidates: list[Candidate]
    codes: set[str]
    run: CodingRun


@dataclass
class _Draft:
    """An event being decided: its type, mode and status, and its parties, as the coding rules revise them."""

    type: str
    mode: str | None
    status: str
    actors: list[Named]
    recipients: list[Named]


class EventCoder:
    """Codes PLOVER 2.0 events from a parsed document with its actor, date, quote and sentence-kind layers."""

    name = "events"

    def __init__(self, nlp: Language, kb: Any, use_model: bool = True) -> None:
        from communique.stages.events.model import load_model

        self.nlp = nlp
        self.kb = kb
        self.rules: Rules = load_rules()
        self.cues: Cues = load_cues()
        self.lexicon: Lexicon = load_lexicon()
        self.finder = TriggerFinder(nlp.vocab, self.lexicon, self.rules.obligation_modals)
        self.model = load_model() if use_model else None

    # -- the stage -----------------------------------------------------------------------------------
    def __call__(self, document: Document) -> None:
        events: list[Event] = []
        for coded in self.rule_pass(document):
            found = coded.events
            if self.model is not None and (found or coded.candidates or coded.codes):
                found = self._judge(document, coded)
            events.extend(found)
        document.events = merge(events)

    def rule_pass(self, document: Document) -> Iterator[SentenceCoding]:
        """The rules, sentence by sentence: every sentence with a coded actor, its trigger candidates and the
        events the rules make of them (before the learned model keeps, drops or adds any)."""
        doc = document.parsed
        if doc is None:
            return
        run = CodingRun.start(document, doc, self.rules, self.kb)
        if not run.mentions:
            return
        candidates, modals = self.finder.find(doc)
        c_index = m_index = 0
        for sent_index, sent in enumerate(doc.sents):
            in_sentence = []
            while c_index < len(candidates) and candidates[c_index].head.i < sent.end:
                if candidates[c_index].head.i >= sent.start:
                    in_sentence.append(candidates[c_index])
                c_index += 1
            sent_modals = []
            while m_index < len(modals) and modals[m_index] < sent.end:
                if modals[m_index] >= sent.start:
                    sent_modals.append(doc[modals[m_index]])
                m_index += 1
            if sent_modals:
                in_sentence.extend(obligations(self.rules, sent_modals, in_sentence))
            codes = {
                code
                for i in range(sent.start, sent.end)
                if i in run.mentions and (code := run.mentions[i][0].code)
            }
            if not in_sentence and not codes:
                continue
            govern(self.rules, in_sentence)
            found = [
                event
                for cand in in_sentence
                if not cand.governed and (event := self._event(run, sent, sent_index, cand)) is not None
            ]
            yield SentenceCoding(sent_index, sent, found, in_sentence, codes, run)

    # -- the learned decisions (model.py) ------------------------------------------------------------
    def _judge(self, document: Document, coded: SentenceCoding) -> list[Event]:
        """Keep the rule events the event model trusts, and add the types the sentence model sees but the
        rules did not code, with participants, status and date found by the same parse rules."""
        from communique.stages.events.model import event_features, sentence_features

        model = self.model
        assert model is not None
        sent = coded.sent
        probabilities = model.type_probabilities(sentence_features(sent, coded.events), sent)
        # Every rule event is kept with the model's confidence (dropping them cost the PLOVER wire records
        # 7 points of type accuracy): the analytics count by confidence. Proposals must reach keep_threshold.
        kept: list[Event] = []
        for event in coded.events:
            confidence = model.event_probability(
                event_features(event, probabilities, "rules", event.confidence >= 0.75)
            )
            event.confidence = round(confidence, 3)
            kept.append(event)
        kept_types = {e.type for e in kept}
        proposals = sorted(
            (t for t, p in probabilities.items() if p >= model.add_threshold and t not in kept_types),
            key=lambda t: -probabilities[t],
        )
        for etype in proposals[:2]:
            proposed = self.event_of_type(document, coded, etype)
            if proposed is None or proposed.type in kept_types:
                continue
            event = proposed
            confidence = model.event_probability(event_features(event, probabilities, "learned"))
            if confidence >= model.keep_threshold:
                event.confidence = round(confidence, 3)
                kept.append(event)
                kept_types.add(event.type)
        return kept

    def event_of_type(self, document: Document, coded: SentenceCoding, etype: str) -> Event | None:
        """An event of ``etype`` in a sentence, at the first trigger candidate, the root or another verb whose
        parse gives it a coded actor (the sentence model proposes the type; training asks the same)."""
        sent, sent_index = coded.sent, coded.index
        heads: list[Token] = [c.head for c in coded.candidates]
        heads.append(sent.root)
        heads.extend(t for t in sent if t.pos_ == "VERB" and t not in heads)
        # "according to" attributes; it is never the event (a reporting verb can be: "X said Y lied" is ACCUSE).
        heads = [h for h in heads if h.lower_ != "according"]
        seen: set[int] = set()
        for head in heads:
            if head.i in seen:
                continue
            seen.add(head.i)
            kind = "verb" if head.pos_ in ("VERB", "AUX") else "noun"
            entry = Trigger(
                kind=kind, pattern=head.lemma_.lower(), type=etype, mode=None, context=None, weight=0.8
            )
            event = self._event(coded.run, sent, sent_index, Candidate(entry, head, head.i, head.i + 1))
            if event is not None:
                return event
        return None

    # -- one event -----------------------------------------------------------------------------------
    def _event(self, run: CodingRun, sent: SpacySpan, sent_index: int, cand: Candidate) -> Event | None:
        """The event a trigger candidate makes in its sentence, or None (no coded actor, no usable parse)."""
        rules = run.rules
        about = complement(rules, cand)
        etype, mode = type_and_mode(rules, cand, about)
        found = participants(run, cand)
        if found is None or not found.actors:
            return None
        draft = _Draft(etype, mode, event_status(rules, cand), found.actors, found.recipients)
        self._recode(run, cand, draft, found, sent)
        _orient(run, cand, draft)
        actors = draft.actors
        recipients = _without_own_side(run, draft, cand.head.doc)
        actor_parts = [_participant(a, m) for a, m in actors]
        targets = [_participant(a, m) for a, m in recipients]
        if not any(p.code for p in actor_parts):
            return None
        if not targets and draft.type in rules.domestic_recipient_types:
            targets = domestic_recipient(run, cand, actors)
        when = event_date(run.document, sent, cand.head)
        if draft.status == "realized" and historical(rules, run.document, cand.head, when):
            draft.status = "historical"
        trigger = _trigger_span(cand)
        confidence = cand.entry.weight * (1.0 if found.by_parse else 0.75)
        if any(p.actor_id in run.inferred for p in actor_parts):
            confidence *= 0.7
        if targets:
            confidence = min(1.0, confidence + 0.05)
        return Event(
            type=draft.type,
            mode=draft.mode,
            context=contexts(self.cues, cand, sent),
            actor=actor_parts,
            recipient=targets,
            date=when,
            location=location(run.document, cand, run.kb),
            status=draft.status,
            attribution=attribution(rules, run.document, sent_index, trigger.start),
            score=plover_score(draft.type, draft.mode),
            sentence=sent_index,
            trigger=trigger,
            evidence=Span(text=sent.text, start=sent.start_char, end=sent.end_char),
            confidence=round(confidence, 3),
        )

    def _recode(self, run: CodingRun, cand: Candidate, draft: _Draft, found: Found, sent: SpacySpan) -> None:
        """The manual's recodings by status and party: a future or modal refusal to cooperate is a REJECT,
        future cooperation AGREE and future force THREATEN, a state's protest a diplomatic ACCUSE; a mode the
        trigger does not give comes from the sentence's words."""
        rules = run.rules
        head = cand.head
        if (
            draft.status == "negated"
            and is_future_or_modal(rules, clause_verb(head))
            and draft.type in rules.cooperative_types
        ):
            draft.type, draft.mode, draft.status = rules.refusal_type, None, "realized"
        if draft.status == "future":
            draft.type = rules.future_type.get(draft.type, draft.type)
            if draft.type == "AGREE":
                draft.mode = None
            elif draft.type == "THREATEN" and cand.entry.type != "THREATEN":
                draft.mode = rules.complement_mode_of("THREATEN", cand.entry.type, cand.entry.mode)
        # A state "protesting" to another is a diplomatic protest: ACCUSE disapprove (manual, PROTEST).
        if (
            draft.type == "PROTEST"
            and cand.entry.kind == "verb"
            and all(names_the_state(a, m) for a, m in found.actors)
        ):
            draft.type, draft.mode = "ACCUSE", "disapprove"
        if draft.mode is None:
            draft.mode = mode_from_words(self.cues, draft.type, sent)


def _orient(run: CodingRun, cand: Candidate, draft: _Draft) -> None:
    """Who acts on whom, after the rules that turn the parse around: the visitor acts on the host, a victim's
    subject is acted on, an ultimatum ("X will do Y unless Z") is a THREATEN, a capital is a venue rather than a
    target, and a threat with no target is aimed at the subject of its condition."""
    rules = run.rules
    head = cand.head
    first_word = cand.entry.pattern.split()[0]
    if draft.type == "CONSULT" and draft.mode == "visit" and first_word in rules.visitor_is_object:
        if draft.recipients:
            draft.actors, draft.recipients = draft.recipients, draft.actors
    if first_word in rules.victim_subject_verbs and draft.recipients:
        # "a prisoner died of torture in Israeli custody"
        draft.actors, draft.recipients = draft.recipients, draft.actors
    if draft.type != "THREATEN" and has_condition(head, rules.ultimatum_marks):
        draft.mode = rules.complement_mode_of("THREATEN", draft.type, draft.mode)
        draft.type, draft.status = "THREATEN", "realized"
    if draft.recipients and all(is_place(a) for a, _ in draft.recipients):
        # A capital is the venue, not the target, of a joint act ("A and B signed in Baku") or of a state
        # acting at home ("Azerbaijan hosted the summit in Baku").
        acting = {a.code for a, _ in draft.actors if a.code}
        at_home = {a.code for a, _ in draft.recipients} & acting
        if len(acting) > 1 or (at_home and any(is_the_state(run, a, m, head.doc) for a, m in draft.actors)):
            draft.recipients = []
    if draft.type == "THREATEN" and all(is_place(a) for a, _ in draft.recipients):
        # "threatened to stop negotiations if the United States goes ahead": the threat is aimed at the
        # one whose act would set it off.
        draft.recipients = without(conditional_subjects(run, head), draft.actors) or draft.recipients


def _without_own_side(run: CodingRun, draft: _Draft, doc: Doc) -> list[Named]:
    """The recipients that are not on the actors' side: not listed with them, not an unnamed thing of their
    own, not one of them again."""
    actors = draft.actors
    recipients = [r for r in draft.recipients if not _in_one_list(r[1], actors, doc)]
    recipients = [r for r in recipients if not _own_unnamed(r, actors, run.inferred)]
    return [r for r in recipients if not _same_party(r, actors)]


def _trigger_span(cand: Candidate) -> Span:
    head = cand.head
    tokens = [head] if cand.entry.kind != "phrase" else list(head.doc[cand.start : cand.end])
    return Span(
        text=head.doc[tokens[0].i : tokens[-1].i + 1].text,
        start=tokens[0].idx,
        end=tokens[-1].idx + len(tokens[-1].text),
    )


# ------------------------------------------------------------------------------------ the parties
def _mention_root(mention: Mention, doc: Doc) -> Token | None:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _in_one_list(mention: Mention, actors: list[Named], doc: Doc) -> bool:
    """A recipient coordinated with an actor ("Brazil, China and Egypt traded with...") is on the actor's side:
    the members of one list never act on each other."""
    root = _mention_root(mention, doc)
    if root is None:
        return False
    group = {root.i, *(t.i for t in root.conjuncts)}
    for _, other in actors:
        other_root = _mention_root(other, doc)
        if other_root is not None and other_root.i in group:
            return True
    return False


def _own_unnamed(recipient: Named, actors: list[Named], inferred: set[str]) -> bool:
    """An unnamed thing that only took the acting state's own code from the sentence ("aircraft", "its
    citizens", "officials" sent by it) is not a target: it would make a self-dyad the text never states."""
    actor, _ = recipient
    own = {a.code for a, _ in actors if a.code}
    return bool(own) and actor.code in own and (not actor.id or actor.id in inferred)


def _same_party(recipient: Named, actors: list[Named]) -> bool:
    """The recipient is one of the actors again ("Kim ... Kim", "Trump ... the incoming president"): an actor
    does not act on itself. (Its own state may be the recipient of a domestic act, as in the PLOVER records:
    dropping those cost the wire records 12 points of recipient F1.)"""
    actor, _ = recipient
    return bool(actor.id) and any(actor.id == a.id for a, _ in actors)


def _participant(actor: Actor, mention: Mention) -> Participant:
    actor_id = None if actor.id.startswith(PLACE) else actor.id or None  # a place is no actor of the document
    return Participant(actor_id=actor_id, code=actor.code, sector=actor.sector, text=mention.text)


# ------------------------------------------------------------------------------------- one event, many
def _date_compatible(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None or not a.text or not b.text:
        return True  # a publication-date fallback is compatible with any explicit date
    va, vb = a.value or "", b.value or ""
    return va.startswith(vb) or vb.startswith(va)


def merge(events: list[Event]) -> list[Event]:
    """One event, many mentions: the same type between the same parties on a compatible date is one event."""
    merged: list[Event] = []
    for event in events:
        key = (event.type, frozenset(p.code for p in event.actor), frozenset(p.code for p in event.recipient))
        twin = next(
            (
                m
                for m in merged
                if (m.type, frozenset(p.code for p in m.actor), frozenset(p.code for p in m.recipient)) == key
                and _date_compatible(m.date, event.date)
                and m.status == event.status
            ),
            None,
        )
        if twin is None:
            merged.append(event)
            continue
        if event.sentence != twin.sentence or event.evidence.start != twin.evidence.start:
            twin.other_evidence.append(event.evidence)
        else:
            twin.other_evidence.append(event.trigger)
        twin.confidence = round(min(1.0, max(twin.confidence, event.confidence) + 0.05), 3)
        if (twin.date is None or not twin.date.text) and event.date is not None and event.date.text:
            twin.date = event.date
        for c in event.context:
            if c not in twin.context:
                twin.context.append(c)
    return merged
