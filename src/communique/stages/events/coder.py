"""The PLOVER event coder: who did what to whom, when, where and how sure, with the sentence behind it.

:class:`EventCoder` reads the parse and the layers of the earlier stages (actors, dates, quotes, sentence kinds)
and adds ``document.events``. It works in four steps, all driven by the data in ``data/plover/``:

1. **Triggers.** One pass of a compiled spaCy ``Matcher`` finds the multi-word patterns of ``triggers.tsv``;
   one pass over the tokens looks verb and noun lemmas up in dictionaries. A phrase beats a single word on the
   same head.
2. **Clauses.** A trigger inside the complement of another ("threatened *to cut off* electricity", "demanded
   *the withdrawal* of troops") does not make an event of its own: it gives the governing event its mode
   (``rules.yaml: complement_mode``) or, for an intention ("vowed to ..."), its type.
3. **Participants** from the dependency parse: subject, or passive agent, as actor; object or the object of
   to/with/against/on/from as recipient; conjoined actors are all kept ("Azerbaijan and Türkiye signed");
   "between A and B" makes both actors; event nouns take their own arguments ("the visit of President Aliyev
   to Kyrgyzstan", "Russia's invasion of Ukraine") or the subject of a light verb ("held talks"). The manual's
   visit rule makes the visitor the actor and the host the recipient. Codes and sectors come from the actor
   layer; an event needs at least one coded actor.
4. **Status, attribution, date, place, score.** Auxiliaries and markers decide future, hypothetical, negated
   and historical status; future cooperation is recoded AGREE and future force THREATEN, as the manual says.
   An event inside a quote is asserted by the speaker ("quoted"), in an opinion sentence by the author. The date
   is the date expression nearest the trigger in the parse, else the publication date; the score comes from the
   manual's table. The same event told twice becomes one event with both pieces of evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from communique.document import Actor, Document, Event, EventDate, Location, Mention, Participant, Span
from communique.resources import data_path, load_yaml, read_tsv
from communique.vocabulary import IRREGULAR_VERBS, PLOVER_TYPES, require_plover_types

# PLOVER_TYPES is the vocabulary's, named here too for the modules that import it with the coder.
__all__ = ["PLOVER_TYPES", "EventCoder", "Lexicon", "SentenceCoding", "Trigger", "plover_score", "word_forms"]

# Dependency labels through which a trigger sits inside the complement of another trigger.
_COMPLEMENT_DEPS = {
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
# Children that never belong to an actor's noun phrase.
_NOT_IN_PHRASE = {
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
_SUBJECT_PREPS = {"of", "from", "in", "throughout", "within", "among", "across", "for"}
# Prepositions that introduce the recipient of a verb.
_RECIPIENT_PREPS = (
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
_OBJECT_RECIPIENT_PREPS = {
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
_PURPOSE_RECIPIENT_PREPS = {"against", "to", "with", "on", "toward", "towards"}
# Identifier prefix of the capitals the event coder adds as places (they are not in document.actors).
_PLACE = "place:"
_RELATIVE_PRONOUNS = {"who", "which", "that", "whom", "whose"}
_PRONOUNS = {"it", "they", "he", "she", "we", "them", "him", "her", "i", "its", "their", "his", "our"}


# ----------------------------------------------------------------------------------------- the lexicon
@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a word or phrase and the PLOVER type, mode and context it signals."""

    kind: str  # verb | noun | phrase | rule
    pattern: str
    type: str  # a PLOVER type or INTENT
    mode: str | None
    context: str | None
    weight: float
    head: int = 0  # index of the head token in a phrase


@dataclass
class Lexicon:
    """The trigger lexicon, the coding rules and the score, context and mode tables of ``data/plover``."""

    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]
    phrases: list[Trigger]
    rules: dict[str, Any]
    scores: dict[tuple[str, str | None], float]
    contexts: dict[str, list[str]]
    modes: dict[str, dict[str, list[str]]]

    @classmethod
    def load(cls) -> Lexicon:
        return _load_lexicon()


@cache
def _load_lexicon() -> Lexicon:
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    phrases: list[Trigger] = []
    rows = read_tsv("plover", "triggers.tsv")
    require_plover_types((row[2] for row in rows), data_path("plover", "triggers.tsv"), also=("INTENT",))
    for kind, pattern, typ, mode, context, weight in rows:
        words = pattern.split()
        head = next((i for i, w in enumerate(words) if w.startswith("^")), None)
        if kind == "noun" and len(words) > 1 and head is None:
            kind, head = "phrase", len(words) - 1  # a compound event noun: its head is the last word
        entry = Trigger(
            kind=kind,
            pattern=pattern.replace("^", ""),
            type=typ,
            mode=None if mode == "-" else mode,
            context=None if context == "-" else context,
            weight=float(weight),
            head=head or 0,
        )
        if kind == "verb":
            verbs[pattern] = entry
        elif kind == "noun":
            nouns[pattern] = entry
        else:
            phrases.append(entry)
    score_rows = read_tsv("plover", "scores.tsv")
    require_plover_types((row[0] for row in score_rows), data_path("plover", "scores.tsv"))
    scores = {(t, None if m == "-" else m): float(s) for t, m, s in score_rows}
    return Lexicon(
        verbs=verbs,
        nouns=nouns,
        phrases=phrases,
        rules=load_yaml("plover", "rules.yaml"),
        scores=scores,
        contexts=load_yaml("plover", "contexts.yaml"),
        modes=load_yaml("plover", "modes.yaml"),
    )


def plover_score(event_type: str, mode: str | None = None) -> float:
    """The PLOVER conflict-cooperation score of a type and mode (the type's own score when the mode has none)."""
    scores = _load_lexicon().scores
    return scores.get((event_type, mode), scores.get((event_type, None), 0.0))


def _match_steps(
    steps: list[tuple[frozenset[int], int]], lower: list[int], punct: list[int], start: int, n: int
) -> int | None:
    """End (exclusive) of a phrase match beginning at ``start``, or None. Each later word may follow up to its
    allowed gap of non-punctuation tokens; the nearest occurrence is taken."""
    pos = start
    for forms, gap in steps[1:]:
        for j in range(pos + 1, min(n, pos + 2 + gap)):
            if lower[j] in forms:
                pos = j
                break
            if punct[j]:
                return None
        else:
            return None
    return pos + 1


@cache
def word_forms(lemma: str) -> frozenset[str]:
    """The inflected forms of an English lemma (regular rules plus the irregular verbs of news text)."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "d"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    forms |= set(IRREGULAR_VERBS.get(w, ()))
    return frozenset(forms)


def _base_forms(word: str) -> list[str]:
    """A word and the lemmas spaCy may give its plural ("restrictions" -> "restriction", "penalties" ->
    "penalty"), so the lexicon can be written in the forms news text uses."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 3:
        forms += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return forms


# ------------------------------------------------------------------------------------ working records
@dataclass
class _Candidate:
    entry: Trigger
    head: Any  # spaCy Token
    start: int  # token span of the matched words
    end: int
    complements: list[_Candidate] = field(default_factory=list)
    governed: bool = False
    rank: tuple[int, float] = (1, 0.0)


@dataclass
class _Found:
    """Participants found for one event, with how they were found."""

    actors: list[tuple[Actor, Mention]]
    recipients: list[tuple[Actor, Mention]]
    by_parse: bool = True


@dataclass
class SentenceCoding:
    """What the rules found in one sentence: its trigger candidates, the events made of them, its actor codes."""

    index: int
    sent: Any  # spaCy Span
    events: list[Event]
    candidates: list[_Candidate]
    codes: set[str]


# ----------------------------------------------------------------------------------------- the stage
class EventCoder:
    """Codes PLOVER 2.0 events from a parsed document with its actor, date, quote and sentence-kind layers."""

    name = "events"

    def __init__(self, nlp: Any, kb: Any, use_model: bool = True) -> None:
        from communique.stages.events.model import load_model

        self.nlp = nlp
        self.kb = kb
        self.lexicon = Lexicon.load()
        self.model = load_model() if use_model else None
        rules = self.lexicon.rules
        # Everything is compiled to spaCy string hashes once, so that finding triggers is one pass over the
        # document's token arrays with dictionary lookups (a spaCy Matcher with gapped patterns cost a third
        # of the parse time).
        strings = nlp.vocab.strings

        def hashes(words: Iterable[str]) -> frozenset[int]:
            return frozenset(strings.add(w) for w in words)

        self._verb_by_lemma = {
            strings.add(v): e for k, e in self.lexicon.verbs.items() for v in (k, k.capitalize())
        }
        # Surface form -> verb entry, for verbs the lemmatizer gets wrong ("staged" -> "stag").
        self._verb_by_form = {
            strings.add(form): e for k, e in self.lexicon.verbs.items() for form in word_forms(k)
        }
        self._noun_by_word = {
            strings.add(v): e
            for k, e in self.lexicon.nouns.items()
            for v in (k, k.capitalize(), *_base_forms(k), *word_forms(k))
        }
        self._verb_tags = hashes(["VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"])
        self._noun_pos = hashes(["NOUN", "PROPN"])
        self._modal_words = hashes(rules["obligation_modals"])
        # Phrases: first-word forms -> [(entry, steps)], a step being (forms of the word, tokens it may skip).
        self._phrases_by_first: dict[int, list[tuple[Trigger, list[tuple[frozenset[int], int]]]]] = {}
        for entry in self.lexicon.phrases:
            steps: list[tuple[frozenset[int], int]] = []
            gap = 0
            for word in entry.pattern.split():
                if word == "...":
                    gap = 3
                    continue
                forms = {
                    form for w in word.split("|") for base in _base_forms(w) for form in word_forms(base)
                }
                steps.append((hashes(forms), gap))
                gap = 0
            for first in steps[0][0]:
                self._phrases_by_first.setdefault(first, []).append((entry, steps))
        # The rule verbs by surface form: the lemmatizer misreads some ("staged" -> "stag").
        self._form_lemma = {
            form: verb
            for key in ("light_verbs", "reporting_verbs", "attending_verbs", "commanding_verbs")
            for verb in rules[key]
            for form in word_forms(verb)
        }
        self.light_verbs = set(rules["light_verbs"])
        self.reporting_verbs = set(rules["reporting_verbs"])
        self.attending_verbs = set(rules["attending_verbs"])
        self.ultimatum_marks = set(rules["ultimatum_marks"])
        self.condition_marks = set(rules["condition_marks"])
        self.attack_instruments = set(rules["attack_instruments"])
        self.victim_subject = set(rules["victim_subject_verbs"])
        self.commanding = set(rules["commanding_verbs"])
        self.domestic_types = set(rules["domestic_recipient_types"])
        self.domestic_sectors = set(rules["domestic_target"]["sectors"])
        self.domestic_words = set(rules["domestic_target"]["words"])
        self.object_required = set(rules["object_required_verbs"])
        self.actor_object = set(rules["actor_object_verbs"])
        self.obligation = set(rules["obligation_modals"])
        self.cooperative = set(rules["cooperative_types"])
        self.conflict = set(rules["conflict_types"])
        status = rules["status"]
        self.future_aux = set(status["future_aux"])
        self.future_words = set(status["future_words"])
        self.future_heads = set(status["future_infinitive_heads"])
        self.hyp_aux = set(status["hypothetical_aux"])
        self.hyp_marks = set(status["hypothetical_marks"])
        self.hyp_words = set(status["hypothetical_words"])
        self.would = set(status["would"])
        self.negation = set(status["negation"])
        self.historical_words = set(status["historical_words"])
        self.historical_days = int(status["historical_days"])
        self.visitor_is_object = set(rules.get("visitor_is_object", ["host", "receive"]))
        # Context cue words: one-word cues looked up by lemma, longer ones by substring of the sentence.
        self._context_words: dict[str, list[str]] = {}
        self._context_phrases: list[tuple[str, str]] = []
        for context, words in self.lexicon.contexts.items():
            for word in words:
                if " " in word:
                    self._context_phrases.append((word, context))
                else:
                    self._context_words.setdefault(word, []).append(context)

    # -- the stage -----------------------------------------------------------------------------------
    def __call__(self, document: Document) -> None:
        events: list[Event] = []
        for coded in self.rule_pass(document):
            found = coded.events
            if self.model is not None and (found or coded.candidates or coded.codes):
                found = self._judge(document, coded)
            events.extend(found)
        document.events = _merge(events)

    def rule_pass(self, document: Document) -> Iterator[SentenceCoding]:
        """The rules, sentence by sentence: every sentence with a coded actor, its trigger candidates and the
        events the rules make of them (before the learned model keeps, drops or adds any)."""
        doc = document.parsed
        if doc is None:
            return
        self._document = document
        self._mentions = self._mention_tokens(document, doc)
        self._add_places(doc)
        self._codes_by_sentence: dict[int, set[str]] = {}
        self._inferred: set[str] = set()
        if not self._mentions:
            return
        candidates, modals = self._candidates(doc)
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
            obligations = self._obligations(sent_modals, in_sentence) if sent_modals else []
            in_sentence.extend(obligations)
            codes = {
                code
                for i in range(sent.start, sent.end)
                if i in self._mentions and (code := self._mentions[i][0].code)
            }
            if not in_sentence and not codes:
                continue
            self._govern(in_sentence)
            found = [
                event
                for cand in in_sentence
                if not cand.governed and (event := self._event(document, sent, sent_index, cand)) is not None
            ]
            yield SentenceCoding(sent_index, sent, found, in_sentence, codes)

    # -- the learned decisions (event_model.py) -------------------------------------------------------
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
        heads: list[Any] = [c.head for c in coded.candidates]
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
            event = self._event(document, sent, sent_index, _Candidate(entry, head, head.i, head.i + 1))
            if event is not None:
                return event
        return None

    def _lemma(self, token: Any) -> str:
        return self._form_lemma.get(token.lower_) or token.lemma_.lower()

    # -- actor mentions by token ---------------------------------------------------------------------
    @staticmethod
    def _mention_tokens(document: Document, doc: Any) -> dict[int, tuple[Actor, Mention]]:
        """Token index -> the actor mention covering it (coded mentions win over uncoded ones)."""
        by_token: dict[int, tuple[Actor, Mention]] = {}
        for actor in document.actors:
            for mention in actor.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None or _opposed(span):
                    continue
                for token in span:
                    current = by_token.get(token.i)
                    if current is None or (current[0].code is None and actor.code is not None):
                        by_token[token.i] = (actor, mention)
        return by_token

    def _add_places(self, doc: Any) -> None:
        """Capitals the actor layer left out because they are places ("demonstrated in Baku", "opened an
        embassy in Tehran"): the PLOVER records code where a domestic event happens, and a capital's state
        is the target of what is done there. They take part as places, never as the state acting."""
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or any(t.i in self._mentions for t in ent):
                continue
            country = self.kb.capital_of(ent.text)
            if country is None:
                continue
            actor = Actor(
                id=f"{_PLACE}{country.code}", name=ent.text, type="place", code=country.code, sector=None
            )
            mention = Mention(ent.text, ent.start_char, ent.end_char, 0, "capital")
            actor.mentions.append(mention)
            for token in ent:
                self._mentions[token.i] = (actor, mention)

    # -- step 1: triggers ----------------------------------------------------------------------------
    def _candidates(self, doc: Any) -> tuple[list[_Candidate], list[int]]:
        """Trigger candidates in token order, and the indices of obligation modals ("must")."""
        from spacy.attrs import IS_PUNCT, LEMMA, LOWER, POS, TAG

        lower, lemma, tag, pos, punct = (
            (
                list(column)
                for column in zip(*doc.to_array([LOWER, LEMMA, TAG, POS, IS_PUNCT]).tolist(), strict=True)
            )
            if len(doc)
            else ([], [], [], [], [])
        )
        by_head: dict[int, _Candidate] = {}
        covered: set[int] = set()
        singles: list[tuple[int, Trigger]] = []
        modals: list[int] = []
        n = len(lower)
        for i in range(n):
            word = lower[i]
            if word in self._modal_words:
                modals.append(i)
            for entry, steps in self._phrases_by_first.get(word, ()):
                end = _match_steps(steps, lower, punct, i, n)
                if end is None:
                    continue
                head = self._phrase_head(doc, entry, i, end)
                current = by_head.get(head.i)
                # The most specific phrase (most words), then the most reliable, wins on one head.
                rank = (len(steps), entry.weight)
                if current is None or rank > current.rank:
                    by_head[head.i] = _Candidate(entry, head, i, end, rank=rank)
            found = None
            if tag[i] in self._verb_tags:
                found = self._verb_by_lemma.get(lemma[i]) or self._verb_by_form.get(word)
            elif pos[i] in self._noun_pos:
                found = self._noun_by_word.get(lemma[i]) or self._noun_by_word.get(word)
            if found is not None:
                singles.append((i, found))
        for cand in by_head.values():
            covered.update(i for i in range(cand.start, cand.end) if i != cand.head.i)
        for i, entry in singles:
            if i not in by_head and i not in covered:
                by_head[i] = _Candidate(entry, doc[i], i, i + 1)
        return [c for _, c in sorted(by_head.items())], modals

    @staticmethod
    def _phrase_head(doc: Any, entry: Trigger, start: int, end: int) -> Any:
        words = [w for w in entry.pattern.split() if w != "..."]
        if entry.head == 0:
            return doc[start]
        # The head is the n-th named word: find it among the matched tokens by lemma.
        wanted = {
            f
            for w in words[min(entry.head, len(words) - 1)].split("|")
            for b in _base_forms(w)
            for f in word_forms(b)
        }
        for token in doc[start:end]:
            if token.lower_ in wanted:
                return token
        return doc[end - 1]

    def _obligations(self, modals: list[Any], candidates: list[_Candidate]) -> list[_Candidate]:
        """ "X said Y must Z": the speaker asks Y to do Z (REQUEST), whatever Z is."""
        found = []
        heads = {c.head.i: c for c in candidates}
        for modal in modals:
            token = modal.head
            if modal.dep_ != "aux" or token.dep_ != "ccomp":
                continue
            if self._lemma(token.head) not in self.reporting_verbs:
                continue
            if not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
                continue
            entry = Trigger("rule", "must", "REQUEST", None, None, 0.75)
            cand = _Candidate(entry, token, token.i, token.i + 1)
            inner = heads.get(token.i)
            if inner is not None:
                inner.governed = True
                cand.complements.append(inner)
            cand.entry = Trigger("rule", "must", "REQUEST", None, None, 0.75)
            found.append(cand)
        return found

    # -- step 2: which trigger governs which ---------------------------------------------------------
    def _govern(self, candidates: list[_Candidate]) -> None:
        heads = {c.head.i: c for c in candidates}
        for cand in candidates:
            if cand.entry.kind == "rule":
                continue
            token = cand.head
            steps = 0
            while (
                token.head is not token
                and steps < 6
                and (token.dep_ in _COMPLEMENT_DEPS or (steps == 0 and _infinitive_clause(token)))
            ):
                token = token.head
                steps += 1
                if self._lemma(token) in self.reporting_verbs and token.i not in heads:
                    break
                governor = heads.get(token.i)
                if governor is not None and governor is not cand:
                    if governor.entry.kind == "rule" and cand in governor.complements:
                        break
                    cand.governed = True
                    governor.complements.append(cand)
                    break
            # The manual: the demand a protest makes is not an event of its own ("staged demonstrations to
            # demand reforms", "rioted ... demanding independence").
            if not cand.governed and cand.entry.type == "REQUEST":
                token = cand.head
                for _ in range(4):
                    if (
                        token.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl")
                        or token.head is token
                    ):
                        break
                    token = token.head
                    governor = heads.get(token.i)
                    if governor is not None and governor.entry.type == "PROTEST":
                        cand.governed = True
                        break

    # -- step 3 and 4: one event ---------------------------------------------------------------------
    def _event(self, document: Document, sent: Any, sent_index: int, cand: _Candidate) -> Event | None:
        head = cand.head
        complement = self._complement(cand)
        etype, mode = self._type_and_mode(cand, complement)
        found = self._participants(cand)
        if found is None or not found.actors:
            return None
        status = self._status(cand)
        # A refusal to cooperate in the future ("will not accept") is a REJECT; a past one is a negated event.
        if (
            status == "negated"
            and self._is_future_or_modal(self._clause_verb(head))
            and etype in self.cooperative
        ):
            etype, mode, status = self.lexicon.rules["refusal_type"], None, "realized"
        if status == "future":
            etype = self.lexicon.rules["future_type"].get(etype, etype)
            if etype == "AGREE":
                mode = None
            elif etype == "THREATEN" and cand.entry.type != "THREATEN":
                mode = self._complement_mode("THREATEN", cand.entry.type, cand.entry.mode)
        # A state "protesting" to another is a diplomatic protest: ACCUSE disapprove (manual, PROTEST).
        if (
            etype == "PROTEST"
            and cand.entry.kind == "verb"
            and all(_names_the_state(a, m) for a, m in found.actors)
        ):
            etype, mode = "ACCUSE", "disapprove"
        if mode is None:
            mode = self._mode_from_words(etype, sent)
        actors, recipients = found.actors, found.recipients
        first_word = cand.entry.pattern.split()[0]
        if etype == "CONSULT" and mode == "visit" and first_word in self.visitor_is_object:
            actors, recipients = (recipients, actors) if recipients else (actors, recipients)
        if first_word in self.victim_subject and recipients:
            actors, recipients = recipients, actors  # "a prisoner died of torture in Israeli custody"
        # "X will do Y unless Z" is an ultimatum (THREATEN), whatever Y is.
        if etype != "THREATEN" and self._has_condition(head, self.ultimatum_marks):
            mode = self._complement_mode("THREATEN", etype, mode)
            etype, status = "THREATEN", "realized"
        if recipients and all(_is_place(a) for a, _ in recipients):
            # A capital is the venue, not the target, of a joint act ("A and B signed in Baku") or of a state
            # acting at home ("Azerbaijan hosted the summit in Baku").
            acting = {a.code for a, _ in actors if a.code}
            at_home = {a.code for a, _ in recipients} & acting
            if len(acting) > 1 or (at_home and any(self._is_the_state(a, m, head.doc) for a, m in actors)):
                recipients = []
        if etype == "THREATEN" and all(_is_place(a) for a, _ in recipients):
            # "threatened to stop negotiations if the United States goes ahead": the threat is aimed at the
            # one whose act would set it off.
            recipients = _without(self._conditional_subjects(head), actors) or recipients
        recipients = [r for r in recipients if not _in_one_list(r[1], actors, head.doc)]
        recipients = [r for r in recipients if not _own_unnamed(r, actors, self._inferred)]
        recipients = [r for r in recipients if not _same_party(r, actors)]
        participants = [_participant(a, m) for a, m in actors]
        targets = [_participant(a, m) for a, m in recipients]
        if not any(p.code for p in participants):
            return None
        if not targets and etype in self.domestic_types:
            targets = self._domestic_recipient(cand, actors)
        when = self._date(document, sent, sent_index, head)
        if status == "realized" and self._historical(document, head, when):
            status = "historical"
        trigger_tokens = [head] if cand.entry.kind != "phrase" else list(head.doc[cand.start : cand.end])
        trigger = Span(
            text=head.doc[trigger_tokens[0].i : trigger_tokens[-1].i + 1].text,
            start=trigger_tokens[0].idx,
            end=trigger_tokens[-1].idx + len(trigger_tokens[-1].text),
        )
        confidence = cand.entry.weight * (1.0 if found.by_parse else 0.75)
        if any(p.actor_id in self._inferred for p in participants):
            confidence *= 0.7
        if targets:
            confidence = min(1.0, confidence + 0.05)
        return Event(
            type=etype,
            mode=mode,
            context=self._contexts(cand, complement, sent),
            actor=participants,
            recipient=targets,
            date=when,
            location=self._location(document, cand),
            status=status,
            attribution=self._attribution(document, sent_index, trigger.start),
            score=plover_score(etype, mode),
            sentence=sent_index,
            trigger=trigger,
            evidence=Span(text=sent.text, start=sent.start_char, end=sent.end_char),
            confidence=round(confidence, 3),
        )

    def _conditional_subjects(self, head: Any) -> list[tuple[Actor, Mention]]:
        """The coded subjects of the conditions ("if X ...", "unless X ...") on a trigger or its complements."""
        found: list[tuple[Actor, Mention]] = []
        for token in self._complement_chain(self._clause_verb(head)):
            for clause in token.children:
                if clause.dep_ == "advcl" and any(
                    c.dep_ == "mark" and c.lower_ in self.condition_marks for c in clause.children
                ):
                    for subj in clause.children:
                        if subj.dep_ in ("nsubj", "nsubjpass"):
                            found.extend(self._phrase_actors(subj, subject=True))
        return _dedupe(found)

    def _has_condition(self, head: Any, marks: set[str]) -> bool:
        verb = self._clause_verb(head)
        for clause in verb.children:
            if clause.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in marks for c in clause.children
            ):
                return True
        return False

    def _domestic_recipient(self, cand: _Candidate, actors: list[tuple[Actor, Mention]]) -> list[Participant]:
        """An action on an unnamed group at home ("banned opposition candidates", "lifted a state of
        emergency") has the actor's own country as recipient, as in the PLOVER gold records.

        A group inside a country (rebels, students, police) acting on something unnamed acts at home. A state
        or its government acting on something unnamed is given itself as recipient only when its clause shows
        a domestic target (:meth:`_domestic_context`); otherwise "Armenia staged a campaign" would make the
        self-dyad ARM -> ARM."""
        codes = {a.code for a, _ in actors if a.code}
        if len(codes) != 1:
            return []
        code = next(iter(codes))
        verb = cand.head
        for token in self._complement_chain(verb):
            for child in token.children:
                target = None
                if child.dep_ in ("dobj", "nsubjpass", "dative") and child.pos_ in ("NOUN", "PROPN"):
                    target = child
                elif child.dep_ == "prep" and child.lower_ in ("against", "on", "in", "from", "to"):
                    target = next(
                        (o for o in child.children if o.dep_ == "pobj" and o.pos_ in ("NOUN", "PROPN")), None
                    )
                if target is None or target.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC"):
                    continue
                state = [(a, m) for a, m in actors if self._is_the_state(a, m, target.doc)]
                if state and not self._domestic_context(cand, target, code, actors):
                    return []
                text = target.doc[target.left_edge.i : target.i + 1].text
                return [Participant(actor_id=None, code=code, sector=None, text=text)]
        return []

    def _is_the_state(self, actor: Actor, mention: Mention, doc: Any) -> bool:
        """The actor is a state or its government itself ("Armenia", "Sudan's government"), not a group
        inside it that the mention only locates ("students throughout Indonesia", "Rebels in the Ivory
        Coast")."""
        if actor.sector == "MIL":
            return True  # armed forces strike abroad as often as at home ("warplanes struck targets in Gaza")
        if not _names_the_state(actor, mention):
            return False
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or span.root.dep_ not in ("pobj", "amod", "compound", "poss", "nmod"):
            return True
        # The mention qualifies another noun: the state only if that noun names its government.
        head = span.root.head
        while head.dep_ in ("prep", "pobj") and head.head is not head:
            head = head.head
        return self.kb.agent_sector(head.lower_) in ("GOV", "LEG")

    def _domestic_context(
        self, cand: _Candidate, target: Any, code: str, actors: list[tuple[Actor, Mention]]
    ) -> bool:
        """Whether the trigger's clause shows that a state acts on something at home: a domestic group or
        institution ("opposition", "rebels", "martial law") or the state's own land named again ("in Sudan",
        "in Lagos"). Anything else ("sent in aircraft", "staged a campaign", "warplanes struck targets") may be
        abroad or no target at all, and gives no self-dyad."""
        doc = target.doc
        # The actor's own phrase ("Pakistan President Zia", "Ankara's district administration") shows nothing.
        own: set[int] = set()
        for _, mention in actors:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                own.update(t.i for t in span.root.subtree)
        clause = self._clause_verb(cand.head)
        # Words such as "province" or "citizens" are domestic only where no other country is named: in "the
        # Syrian rebel-held province of Idlib" the province is Syria's.
        words_count = not (self._sentence_codes(cand.head.sent) - {code})
        for token in clause.subtree:
            if token.i in own:
                continue
            hit = self._mentions.get(token.i)
            if hit is not None:
                if hit[0].code == code and hit[1].kind not in ("pronoun", "possessive"):
                    return True
                continue
            if words_count and (
                token.lower_ in self.domestic_words or token.lemma_.lower() in self.domestic_words
            ):
                return True
            if token.pos_ in ("NOUN", "ADJ") and self.kb.agent_sector(token.lower_) in self.domestic_sectors:
                return True
        # Nothing in the clause names a domestic target: a state acting on a thing ("sent in aircraft",
        # "staged a campaign") is no event on itself (self-dyads only where the text names the target at home).
        return False

    # -- type and mode -------------------------------------------------------------------------------
    def _complement(self, cand: _Candidate) -> tuple[str, str | None] | None:
        """The resolved type and mode of what a verbal trigger is about (its first governed trigger)."""
        for inner in cand.complements:
            resolved = self._type_and_mode(inner, self._complement(inner))
            return resolved
        return None

    def _type_and_mode(
        self, cand: _Candidate, complement: tuple[str, str | None] | None
    ) -> tuple[str, str | None]:
        rules = self.lexicon.rules
        etype, mode = cand.entry.type, cand.entry.mode
        inner_type, inner_mode = complement if complement else (None, None)
        if etype == "INTENT":
            if inner_type in self.conflict:
                etype = rules["intent_type"]["conflict"]
            elif inner_type in self.cooperative:
                etype = rules["intent_type"]["cooperation"]
            else:
                etype = rules["intent_type"]["default"]
        if (
            etype == "REQUEST"
            and inner_type in ("COERCE", "SANCTION")
            and cand.entry.pattern in self.commanding
        ):
            return inner_type, inner_mode  # an authority ordering a coercive act commits it
        if etype == "REQUEST" and inner_type in ("SANCTION", "MOBILIZE"):
            return rules["request_for_conflict"], "disapprove"
        if mode is None and inner_type is not None and etype in ("THREATEN", "REQUEST", "REJECT"):
            mode = self._complement_mode(etype, inner_type, inner_mode)
        return etype, mode

    def _complement_mode(self, etype: str, inner_type: str, inner_mode: str | None) -> str | None:
        table = self.lexicon.rules["complement_mode"].get(etype, {})
        return table.get(f"{inner_type}:{inner_mode}") or table.get(inner_type) or table.get("default")

    def _mode_from_words(self, etype: str, sent: Any) -> str | None:
        table = self.lexicon.modes.get(etype)
        if not table:
            return None
        lowered = f" {sent.text.lower()} "
        for mode, words in table.items():
            if any(f" {w}" in lowered and _word_in(w, lowered) for w in words):
                return str(mode)
        return None

    # -- participants --------------------------------------------------------------------------------
    def _participants(self, cand: _Candidate) -> _Found | None:
        head = cand.head
        if cand.entry.kind == "rule":  # "X said Y must ...": speaker asks the subject of the clause
            speaker = self._subject_actors(head.head)
            asked = [
                m
                for child in head.children
                if child.dep_ in ("nsubj", "nsubjpass")
                for m in self._phrase_actors(child, subject=True)
            ]
            if not speaker or not asked:
                return None
            return _Found(speaker[0], _without(asked, speaker[0]), speaker[1])
        if head.pos_ in ("NOUN", "PROPN") and not head.tag_.startswith("VB"):
            return self._noun_participants(cand)
        verb_lemma = cand.entry.pattern if cand.entry.kind == "verb" else ""
        recipients = self._object_actors(head, cand)
        if (
            verb_lemma in self.object_required
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
        actors, by_parse = self._subject_actors(head) or ([], False)
        if verb_lemma in self.actor_object and not recipients:
            return None
        if not actors and cand.entry.type == "ASSAULT":
            actors, by_parse = self._unidentified_attacker(cand), False
        if not actors and head.dep_ in ("nsubjpass",):
            return None
        return _Found(actors, _without(recipients, actors), by_parse)

    def _subject_actors(self, verb: Any, depth: int = 0) -> tuple[list[tuple[Actor, Mention]], bool] | None:
        """The actors doing what ``verb`` says: its subject, passive agent, or the subject it inherits."""
        if depth > 4:
            return None
        children = list(verb.children)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in children)
        if passive:
            for agent in (c for c in children if c.dep_ == "agent"):
                found = [m for obj in agent.children if obj.dep_ == "pobj" for m in self._phrase_actors(obj)]
                if found:
                    return found, True
            # "signed between Azerbaijan and Kyrgyzstan": the parties are all actors (reciprocal).
            between = self._between_actors(verb)
            return (between, True) if between else None
        for subj in (c for c in children if c.dep_ in ("nsubj", "csubj", "expl")):
            if subj.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return self._phrase_actors_or_none(verb.head)
            found = self._phrase_actors(subj, subject=True)
            if found:
                return found, True
            # "it said", and "their forces had completed" under a reporting verb: the speaker.
            if subj.lower_ in _PRONOUNS or any(
                c.dep_ == "poss" and c.lower_ in _PRONOUNS for c in subj.children
            ):
                return self._pronoun_antecedent(verb, subj)
            group = self._unplaced_group(subj)
            return ([group], False) if group else None
        # "X has been indicted ... and will resign": a conjoined verb of a passive shares its subject.
        if verb.dep_ == "conj" and any(c.dep_ == "nsubjpass" for c in verb.head.children):
            subj = next(c for c in verb.head.children if c.dep_ == "nsubjpass")
            found = self._phrase_actors(subj, subject=True)
            return (found, True) if found else None
        # No subject of its own: controlled verbs and participles inherit their head's subject.
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "ccomp") and verb.head is not verb:
            return self._subject_actors(verb.head, depth + 1)
        if verb.dep_ in ("acl", "relcl") and verb.head is not verb:
            return self._phrase_actors_or_none(verb.head)
        return self._preceding_actors(verb)

    def _unplaced_group(self, subj: Any) -> tuple[Actor, Mention] | None:
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
            and self.kb.agent_sector(subj.lower_) is None
        ):
            return None
        codes = self._sentence_codes(subj.sent)
        if len(codes) > 1:
            # Several countries named: the group is where it acts ("protesters set fire to the French embassy
            # in Niamey").
            codes = self._place_codes(subj.head, exclude=subj)
        if len(codes) != 1:
            return None
        span = subj.doc[subj.left_edge.i : subj.i + 1]
        actor = Actor(id="", name=span.text, type="group", code=next(iter(codes)), sector=None)
        self._inferred.add("")
        return actor, Mention(span.text, span.start_char, span.end_char, 0, "name")

    def _place_codes(self, verb: Any, exclude: Any) -> set[str]:
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
                hit = self._mentions.get(token.i)
                if (
                    hit is not None
                    and hit[0].code not in (None, "IGO")
                    and hit[0].type in ("country", "place")
                ):
                    codes.add(hit[0].code)
                    break
        return codes

    def _unidentified_attacker(self, cand: _Candidate) -> list[tuple[Actor, Mention]]:
        """Violence with no named perpetrator ("a roadside bomb killed three soldiers near Basra") is coded,
        as PLOVER does, to unidentified armed forces (UAF) of the country where it happened."""
        verb = self._clause_verb(cand.head)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "agent")]
        # Only when the doer is unnamed: a passive without agent, or a weapon or attack as subject.
        doers = [o for c in subjects for o in ([c] if c.dep_ == "nsubj" else c.children)]
        if any(d.lemma_.lower() not in self.attack_instruments for d in doers):
            return []
        places: list[Any] = []
        for token in (verb, *[c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]):
            for prep in token.subtree:
                if prep.dep_ == "prep" and prep.lower_ in ("in", "near", "outside", "at", "inside", "around"):
                    places.extend(o for o in prep.children if o.dep_ == "pobj")
        codes: list[tuple[str, Any]] = []
        for place in places:
            for token in place.subtree:
                hit = self._mentions.get(token.i)
                if hit is not None and hit[0].code and hit[0].code != "IGO":
                    codes.append((hit[0].code, hit[1]))
                    break
        if not codes:
            sentence_codes = self._sentence_codes(cand.head.sent)
            if len(sentence_codes) != 1:
                return []
            codes = [(next(iter(sentence_codes)), None)]
        code, mention = codes[0]
        text = mention.text if mention is not None else ""
        start = mention.start if mention is not None else cand.head.idx
        actor = Actor(id="", name="unidentified armed forces", type="group", code=code, sector="UAF")
        self._inferred.add("")
        return [(actor, Mention(text, start, start + len(text), 0, "name"))]

    def _between_actors(self, token: Any) -> list[tuple[Actor, Mention]]:
        found: list[tuple[Actor, Mention]] = []
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("between", "among", "amongst"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        for member in (obj, *obj.conjuncts):
                            found.extend(self._phrase_actors(member, conj=False))
        return _dedupe(found)

    def _sentence_codes(self, sent: Any) -> set[str]:
        codes = self._codes_by_sentence.get(sent.start)
        if codes is None:
            codes = {
                hit[0].code
                for i in range(sent.start, sent.end)
                if (hit := self._mentions.get(i)) and hit[0].code
            }
            codes.discard("IGO")
            self._codes_by_sentence[sent.start] = codes
        return codes

    def _phrase_actors_or_none(self, token: Any) -> tuple[list[tuple[Actor, Mention]], bool] | None:
        found = self._phrase_actors(token, subject=True)
        return (found, True) if found else None

    def _pronoun_antecedent(self, verb: Any, pronoun: Any) -> tuple[list[tuple[Actor, Mention]], bool] | None:
        """ "Hungary said it will support ...": a pronoun subject under a reporting verb is the speaker."""
        token = verb
        while token.dep_ in ("ccomp", "xcomp", "conj", "advcl") and token.head is not token:
            token = token.head
            if self._lemma(token) in self.reporting_verbs or token.tag_.startswith("VB"):
                found = self._subject_actors(token, depth=3)
                if found:
                    return found
        return self._preceding_actors(pronoun)

    def _preceding_actors(self, token: Any) -> tuple[list[tuple[Actor, Mention]], bool] | None:
        """Fallback when the parse gives no subject: the nearest coded actors before the token, in its
        sentence, together with those conjoined to them."""
        sent = token.sent
        for i in range(token.i - 1, sent.start - 1, -1):
            hit = self._mentions.get(i)
            if hit is None or hit[0].code is None:
                continue
            anchor = token.doc[i]
            group = [anchor, *anchor.conjuncts]
            found: list[tuple[Actor, Mention]] = []
            for member in group:
                if member.i < token.i:
                    near = self._phrase_actors(member)
                    got = self._mentions.get(member.i) or (near[0] if near else None)
                    if got is not None and got[0].code and got not in found:
                        found.append(got)
            return (sorted(found, key=lambda am: am[1].start) or [hit]), False
        return None

    def _object_actors(self, verb: Any, cand: _Candidate) -> list[tuple[Actor, Mention]]:
        """Recipients of a verb: its object, then the object of a recipient preposition; looks into the
        complement clause ("threatened to cut off electricity to X") when the verb itself has none, and last
        into the clause saying what the act is for ("began a hunger strike to protest against X"). A place
        ("in Tehran") is taken only when no actor is found."""
        fallback: list[tuple[Actor, Mention]] = []
        for found in self._recipient_candidates(verb):
            if not all(_is_place(a) for a, _ in found):
                return found
            fallback = fallback or found
        return fallback

    def _recipient_candidates(self, verb: Any) -> Iterator[list[tuple[Actor, Mention]]]:
        """The recipients a verb's parse offers, best first (see :meth:`_object_actors`)."""
        for token in self._complement_chain(verb):
            found: list[tuple[Actor, Mention]] = []
            children = list(token.children)
            # "kidnapped up to 16 Russian advisers": the parser hangs the object's preposition on a particle.
            children += [g for c in children if c.dep_ == "prt" for g in c.children if g.dep_ == "prep"]
            if any(c.dep_ == "nsubjpass" for c in children):
                for c in children:
                    if c.dep_ == "nsubjpass":
                        found.extend(self._phrase_actors(c, subject=True))
                if found:
                    yield found
                    found = []
            objects = [c for c in children if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd")]
            for c in objects:
                # "brokered a ceasefire between Israel and Hamas": both parties, not only the nearest.
                parties = [
                    m
                    for prep in c.children
                    if prep.dep_ == "prep" and prep.lower_ in ("between", "among")
                    for o in prep.children
                    if o.dep_ == "pobj"
                    for m in self._phrase_actors(o)
                ]
                found.extend(parties or self._phrase_actors(c))
            if found:
                yield found
                found = []
            for c in objects:
                for prep in c.children:
                    if prep.dep_ == "prep" and prep.lower_ in _OBJECT_RECIPIENT_PREPS:
                        for obj in prep.children:
                            if obj.dep_ == "pobj":
                                found.extend(self._phrase_actors(obj))
            if found:
                yield found
                found = []
            if token is not verb and token.dep_ == "ccomp":
                for c in children:
                    if c.dep_ == "nsubj":
                        found.extend(self._phrase_actors(c, subject=True))
                if found:
                    yield found
                    found = []
            for prep_lemma in _RECIPIENT_PREPS:
                for prep in (c for c in children if c.dep_ in ("prep", "dative") and c.lower_ == prep_lemma):
                    objects_of_prep = [o for o in prep.children if o.dep_ in ("pobj", "pcomp")]
                    for obj in objects_of_prep:
                        found.extend(self._phrase_actors(obj))
                    if not objects_of_prep:
                        found.extend(self._stranded_object(prep))
                if found:
                    yield found
                    found = []
            # "mediated between Israel and Hamas": the parties are the recipients of the third party's act.
            if token is verb and not any(c.dep_ in ("nsubjpass", "auxpass") for c in children):
                found.extend(self._between_actors(token))
                if found:
                    yield found
                    found = []
            # "demanded that the US cancel", "pushing hard for the US (to) support": the clause's subject is
            # the one asked.
            for c in children:
                if c.dep_ == "ccomp" or (
                    c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                ):
                    for s in c.children:
                        if s.dep_ == "nsubj":
                            found.extend(self._phrase_actors(s, subject=True))
            if found:
                yield found
                found = []
        # What the act is for, only through a preposition of opposition or address: "began a hunger strike
        # to protest against X", not "resigned to allow X's elections".
        for purpose in (c for c in verb.children if _infinitive_clause(c)):
            for prep in purpose.children:
                if prep.dep_ == "prep" and prep.lower_ in _PURPOSE_RECIPIENT_PREPS:
                    found = [m for o in prep.children if o.dep_ == "pobj" for m in self._phrase_actors(o)]
                    if found:
                        yield found

    def _stranded_object(self, prep: Any) -> list[tuple[Actor, Mention]]:
        """The object of a preposition the parser left without one ("granted asylum to five Panamanian army
        officers holed up ...", where "officers" became the subject of "holed"): the first coded actor in the
        words that follow it, up to a punctuation mark or conjunction."""
        doc = prep.doc
        for i in range(prep.i + 1, min(prep.i + 8, prep.sent.end)):
            token = doc[i]
            if token.is_punct or token.dep_ == "cc" or token.pos_ in ("VERB", "AUX", "ADP"):
                return []
            hit = self._mentions.get(i)
            if hit is not None and hit[0].code is not None:
                return [hit]
        return []

    @staticmethod
    def _complement_chain(verb: Any) -> Iterator[Any]:
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

    def _noun_participants(self, cand: _Candidate) -> _Found | None:
        """Participants of an event noun: its own arguments, else the subject of the light verb it serves."""
        noun = cand.head
        actors: list[tuple[Actor, Mention]] = []
        recipients: list[tuple[Actor, Mention]] = []
        visit = cand.entry.mode == "visit"
        for child in noun.children:
            if (
                child.dep_ in ("amod", "compound")
                and child.i in self._mentions
                and cand.entry.type == "SANCTION"
            ):
                recipients.extend(self._phrase_actors(child))  # "Iran sanctions": sanctions on Iran
            elif child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and child.i in self._mentions):
                actors.extend(self._phrase_actors(child))
            elif child.dep_ == "prep":
                objs = [o for o in child.children if o.dep_ == "pobj"]
                prep = child.lower_
                for obj in objs:
                    if prep == "between" or prep == "among":
                        # The parties of talks are all actors; those of a mediation are its recipients.
                        parties = recipients if cand.entry.mode == "third-party" else actors
                        for member in (obj, *obj.conjuncts):
                            parties.extend(self._phrase_actors(member, conj=False))
                    elif prep == "by":
                        actors.extend(self._phrase_actors(obj))
                    elif prep == "of":
                        # "the visit of Aliyev": the visitor; "the invasion of Ukraine": the victim.
                        (
                            actors
                            if (visit or cand.entry.type in ("CONSULT", "AGREE", "SUPPORT", "PROTEST"))
                            and not actors
                            else recipients
                        ).extend(self._phrase_actors(obj))
                    elif prep in _RECIPIENT_PREPS:
                        recipients.extend(self._phrase_actors(obj))
            elif child.dep_ == "acl" and child.lemma_.lower() in ("sign", "conclude", "hold", "reach"):
                # "the Declaration, which was signed between A and B" is handled by the verb itself.
                pass
        by_parse = True
        if not actors:
            governor = noun.head
            serving = self.light_verbs | self.reporting_verbs
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
                serving = self.attending_verbs if governor.lower_ in ("for", "in", "to", "at") else set()
                governor = governor.head
            if noun.dep_ in ("dobj", "pobj", "attr") and self._lemma(governor) in serving:
                found = self._subject_actors(governor)
                if found:
                    actors, by_parse = found
                if not recipients:
                    recipients = [r for r in self._object_actors(governor, cand) if r not in actors]
            elif noun.dep_ == "nsubjpass" or (
                noun.dep_ == "nsubj"
                and self._lemma(governor)
                in ("take", "begin", "start", "continue", "end", "resume", "open", "conclude")
            ):
                # "Talks between A and B took place": only the noun's own arguments count.
                pass
        if not actors:
            return None
        return _Found(_dedupe(actors), _without(_dedupe(recipients), actors), by_parse)

    def _phrase_actors(
        self, head: Any, subject: bool = False, conj: bool = True
    ) -> list[tuple[Actor, Mention]]:
        """The coded actors a noun phrase names: for the head and each conjunct, the shallowest mentions."""
        found: list[tuple[Actor, Mention]] = []
        members = [head, *head.conjuncts] if conj and head.dep_ != "conj" else [head]
        if conj and head.dep_ == "conj":
            members = [head, *[c for c in head.conjuncts if c.i > head.i]]
        for member in members:
            hit = self._shallowest(member, subject)
            for item in hit:
                if item not in found:
                    found.append(item)
        return found

    def _shallowest(self, head: Any, subject: bool) -> list[tuple[Actor, Mention]]:
        frontier = [head]
        uncoded: tuple[Actor, Mention] | None = None
        for _depth in range(8 if subject else 5):
            hits = []
            for token in frontier:
                hit = self._mentions.get(token.i)
                if hit is not None and hit[0].code is not None:
                    hit = self._residence(token, hit)
                if hit is not None and hit[0].code is not None and hit not in hits:
                    hits.append(hit)
                elif hit is not None and uncoded is None:
                    uncoded = hit
            if hits:
                return hits[:1] if len({h[0].code for h in hits}) == 1 else _distinct_codes(hits)
            if uncoded is not None and subject:
                # A person or group the knowledge base cannot place, in a sentence naming one country only
                # ("President Yoweri Museveni has banned Ugandan opposition candidates"): the manual resolves
                # actors "using the context of the article"; we use the sentence, with lower confidence.
                codes = self._sentence_codes(head.sent)
                if len(codes) == 1:
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
                    self._inferred.add(actor.id)
                    return [(proxy, mention)]
                return []
            nxt = []
            for token in frontier:
                for child in token.children:
                    if child.dep_ in _NOT_IN_PHRASE:
                        continue
                    if child.dep_ == "prep" and subject and child.lower_ not in _SUBJECT_PREPS:
                        continue
                    nxt.append(child)
            if not nxt:
                return []
            frontier = nxt
        return []

    def _residence(self, token: Any, hit: tuple[Actor, Mention]) -> tuple[Actor, Mention]:
        """A people named by its nation ("Serbs", "Albanians") but placed in another state is coded, as in the
        PLOVER records, with the state it lives in: "Bosnian Serbs" -> BIH, "the Albanians of southern Serbia"
        -> SRB, "killed three ethnic Albanians in southeastern Serbia" -> SRB."""
        actor, mention = hit
        if actor.type != "country" or mention.kind != "adjective" or token.tag_ not in ("NNS", "NNPS"):
            return hit
        places: list[Any] = []
        for child in token.children:
            if child.dep_ in ("amod", "compound", "nmod"):
                places.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
                places.extend(o for o in child.children if o.dep_ == "pobj")
        if any(c.dep_ == "amod" and c.lower_ == "ethnic" for c in token.children):
            # An ethnic minority takes the state where the clause places the act.
            verb = self._clause_verb(token)
            for prep in verb.subtree:
                if (
                    prep.dep_ == "prep"
                    and prep.lower_ in ("in", "inside", "within")
                    and prep.head.i != token.i
                ):
                    places.extend(o for o in prep.children if o.dep_ == "pobj")
        for place in places:
            for t in place.subtree:
                other = self._mentions.get(t.i)
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

    # -- status --------------------------------------------------------------------------------------
    def _clause_verb(self, token: Any) -> Any:
        """The verb whose clause the trigger belongs to (a noun's governing verb)."""
        steps = 0
        while not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")) and token.head is not token:
            token = token.head
            steps += 1
            if steps > 4:
                break
        return token

    def _is_future_or_modal(self, verb: Any) -> bool:
        for c in verb.children:
            if c.dep_ == "aux" and c.lower_ in self.future_aux | self.would | self.hyp_aux:
                return True
        return False

    def _status(self, cand: _Candidate) -> str:
        head = cand.head
        verb = self._clause_verb(head)
        # The chain of verbs that govern the trigger within the sentence, nearest first.
        chain = [verb]
        token = verb
        while (
            token.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp", "relcl", "acl")
            and token.head is not token
        ):
            if self._lemma(token.head) in self.reporting_verbs:
                break
            token = token.head
            chain.append(token)
            if len(chain) > 4:
                break
        if cand.entry.type in ("AGREE", "INTENT") or cand.entry.kind == "rule":
            chain = chain[:1]  # "agreed to meet": the agreement itself happened
        for v in chain[:2]:
            for c in v.children:
                if c.dep_ == "neg" or (c.lower_ in self.negation and c.dep_ in ("neg", "advmod", "det")):
                    return "negated"
        for v in chain[:3]:
            children = list(v.children)
            lower = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
            if lower & self.hyp_aux or any(c.dep_ == "mark" and c.lower_ in self.hyp_marks for c in children):
                return "hypothetical"
            if v.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in children):
                return "hypothetical"
            if lower & self.future_aux:
                return "future"
            if lower & self.would:
                reported = v.dep_ == "ccomp" or (self._lemma(v.head) in self.reporting_verbs)
                return "future" if reported else "hypothetical"
            # "the summit to be held", "is to visit", "is going to sign"
            if v.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
                if self._lemma(v.head) in self.future_heads or v.dep_ in ("acl", "relcl"):
                    return "future"
        # Event nouns: "the upcoming summit", "next month's talks"
        if cand.head.pos_ in ("NOUN", "PROPN"):
            for c in cand.head.subtree:
                if c.lower_ in self.future_words and c.i < cand.head.i:
                    return "future"
            for c in cand.head.children:
                if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children):
                    return "future"
        for c in cand.head.sent:
            if c.lower_ in self.hyp_words and c.pos_ in ("ADJ", "ADV") and c.head in chain[:2]:
                return "hypothetical"
        return "realized"

    def _historical(self, document: Document, head: Any, when: EventDate | None) -> bool:
        verb = self._clause_verb(head)
        if any(c.lower_ in self.historical_words for c in verb.children):
            return True
        if when is None or not when.text or not when.value or document.published is None:
            return False
        value = when.value + "-01-01"[len(when.value) - 4 :] if len(when.value) < 10 else when.value
        try:
            then = date.fromisoformat(value[:10])
        except ValueError:
            return False
        return (document.published - then) > timedelta(days=self.historical_days)

    # -- attribution ---------------------------------------------------------------------------------
    def _attribution(self, document: Document, sent_index: int, offset: int) -> str:
        for quote in document.quotes:
            if quote.content.start <= offset < quote.content.end:
                return "quoted"
        kinds = self.lexicon.rules["attribution"]
        if 0 <= sent_index < len(document.sentences):
            kind = document.sentences[sent_index].kind
            if kind in kinds["quote_kinds"]:
                return "quoted"
            if kind in kinds["opinion_kinds"]:
                return "author"
        return "reported"

    # -- when and where ------------------------------------------------------------------------------
    def _date(self, document: Document, sent: Any, sent_index: int, head: Any) -> EventDate | None:
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

    def _location(self, document: Document, cand: _Candidate) -> Location | None:
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
                        return Location(text=text, code=hit[0].code if hit else None)
            if token.head is token or token.dep_ not in ("xcomp", "advcl", "conj", "dobj", "pobj", "prep"):
                break
            token = token.head
        return None

    # -- contexts ------------------------------------------------------------------------------------
    def _contexts(self, cand: _Candidate, complement: tuple[str, str | None] | None, sent: Any) -> list[str]:
        found: list[str] = []
        if cand.entry.context:
            found.append(cand.entry.context)
        for inner in cand.complements:
            if inner.entry.context and inner.entry.context not in found:
                found.append(inner.entry.context)
        for token in sent:
            for context in self._context_words.get(token.lemma_.lower(), ()):
                if context not in found:
                    found.append(context)
        lowered = sent.text.lower()
        for phrase, context in self._context_phrases:
            if context not in found and phrase in lowered:
                found.append(context)
        return found


# ------------------------------------------------------------------------------------------ helpers
def _names_the_state(actor: Actor, mention: Mention) -> bool:
    """The mention names a state or its government ("Lebanon", "Beirut", "the Lebanese government"), not its
    people ("Lebanese students", "Nigerians")."""
    if actor.sector in ("GOV", "LEG", "IGO"):
        return True
    return actor.type == "country" and (mention.kind == "capital" or mention.text == actor.name)


def _opposed(span: Any) -> bool:
    """The mention is the object of an "anti-" prefix ("an anti-Syria journalist"): it names whom the phrase
    opposes, not whose it is."""
    doc, start = span.doc, span.start
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti":
        return True
    return start >= 1 and doc[start - 1].lower_ in ("anti-", "anti")


def _infinitive_clause(token: Any) -> bool:
    """An adverbial clause in the infinitive ("sworn to fight", "staged protests to demand"): what the
    governing act is for, so it belongs to that act."""
    return token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _word_in(word: str, lowered: str) -> bool:
    i = lowered.find(f" {word}")
    while i >= 0:
        after = lowered[i + 1 + len(word) : i + 2 + len(word)]
        if not after.isalpha():
            return True
        i = lowered.find(f" {word}", i + 1)
    return False


def _is_place(actor: Actor) -> bool:
    return actor.id.startswith(_PLACE)


def _mention_root(mention: Mention, doc: Any) -> Any:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _in_one_list(mention: Mention, actors: list[tuple[Actor, Mention]], doc: Any) -> bool:
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


def _own_unnamed(
    recipient: tuple[Actor, Mention], actors: list[tuple[Actor, Mention]], inferred: set[str]
) -> bool:
    """An unnamed thing that only took the acting state's own code from the sentence ("aircraft", "its
    citizens", "officials" sent by it) is not a target: it would make a self-dyad the text never states."""
    actor, _ = recipient
    own = {a.code for a, _ in actors if a.code}
    return bool(own) and actor.code in own and (not actor.id or actor.id in inferred)


def _same_party(recipient: tuple[Actor, Mention], actors: list[tuple[Actor, Mention]]) -> bool:
    """The recipient is one of the actors again ("Kim ... Kim", "Trump ... the incoming president"): an actor
    does not act on itself. (Its own state may be the recipient of a domestic act, as in the PLOVER records:
    dropping those cost the wire records 12 points of recipient F1.)"""
    actor, _ = recipient
    return bool(actor.id) and any(actor.id == a.id for a, _ in actors)


def _participant(actor: Actor, mention: Mention) -> Participant:
    actor_id = (
        None if actor.id.startswith(_PLACE) else actor.id or None
    )  # a place is no actor of the document
    return Participant(actor_id=actor_id, code=actor.code, sector=actor.sector, text=mention.text)


def _dedupe(items: Iterable[tuple[Actor, Mention]]) -> list[tuple[Actor, Mention]]:
    out: list[tuple[Actor, Mention]] = []
    seen: set[str] = set()
    for actor, mention in items:
        if actor.id not in seen:
            seen.add(actor.id)
            out.append((actor, mention))
    return out


def _distinct_codes(hits: list[tuple[Actor, Mention]]) -> list[tuple[Actor, Mention]]:
    """Several actors at one depth of a phrase: keep the first of each code."""
    out, codes = [], set()
    for hit in hits:
        if hit[0].code not in codes:
            codes.add(hit[0].code)
            out.append(hit)
    return out[:1]


def _without(
    items: list[tuple[Actor, Mention]], other: list[tuple[Actor, Mention]]
) -> list[tuple[Actor, Mention]]:
    """Recipients other than the actors' own mentions. The same actor named again ("Croatia investigates
    Croatian extremists") stays: domestic events have the actor's country as recipient; a pronoun or
    possessive pointing back at the actor ("withdrew its troops") does not."""
    taken = {(m.start, m.end) for _, m in other}
    ids = {a.id for a, _ in other}
    return [
        (a, m)
        for a, m in _dedupe(items)
        if (m.start, m.end) not in taken and not (a.id in ids and m.kind in ("pronoun", "possessive"))
    ]


def _tree_distance(a: Any, b: Any) -> int:
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


def _date_compatible(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None or not a.text or not b.text:
        return True  # a publication-date fallback is compatible with any explicit date
    va, vb = a.value or "", b.value or ""
    return va.startswith(vb) or vb.startswith(va)


def _merge(events: list[Event]) -> list[Event]:
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
