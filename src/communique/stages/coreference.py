"""Coreference within a document, for the forms news uses to refer back to an actor it has named.

The actors stage names actors where the text names them (a name, an adjective, a capital, a title with its
state, a pronoun next to its person). This stage reads those actors and adds the mentions that only make
sense against what came before, each with its offsets and sentence:

* **the country**, **the nation** and **the country's X**: the state the article was just talking about (the
  state named most often so far among those named in the last three sentences, the latest on a tie); "the
  country's military" is that state's military (MIL), "the country's foreign minister" the person holding the
  office if the article named them, else the office as a person-type actor of that state;
* **the two leaders**, **both countries**: the last two (or three) distinct people holding office, or states,
  named in the last three sentences, each given the mention;
* **the ministry**, **the army**, **the government** with no state of their own: the body of the same kind
  named last in the last four sentences ("Iran's foreign ministry ... The ministry said"), else the body of the
  only state named in the last three sentences;
* **the president**, **the foreign minister** left unresolved by the actors stage: the one person named before
  them whose role carries the title (with two such people, neither);
* **he**, **she** as the subject of a verb of saying that the actors stage left alone: the person named last
  in the last two sentences, of a compatible gender, when no unnamed person came in between.

Nothing is guessed across a paragraph that names no candidate: a form with no antecedent stays unresolved.
"The Kremlin" and "the White House" need no antecedent; the knowledge base knows them as seats of government.
The word lists are in ``data/coreference/forms.yaml``; the verbs of saying are the quote cues
(``data/quotes/cues.yaml``).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Any

from communique.document import Actor, Document, Mention
from communique.resources import load_yaml
from communique.stages.quotes import cue_lexicon

# How far back (in sentences) each form looks for its antecedent.
COUNTRY_WINDOW = 3
GROUP_WINDOW = 3
BODY_WINDOW = 4
PRONOUN_WINDOW = 2
KIND = "description"  # the mention kind of a definite description resolved here


def _forms() -> dict[str, Any]:
    loaded: dict[str, Any] = load_yaml("coreference", "forms.yaml")
    return loaded


def _speech_verbs() -> frozenset[str]:
    return frozenset(cue_lexicon().get("verbs") or {})


def _sector_names() -> dict[str, str]:
    words = load_yaml("actors", "resolution.yaml")
    return dict(words["sector_names"])


@dataclass
class _Seen:
    """One mention already made, in text order."""

    start: int
    end: int
    sentence: int
    actor: Actor
    mention: Mention


class CoreferenceResolver:
    """Adds the mentions of actors that the text makes by description or pronoun (see the module docstring)."""

    name = "coreference"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.kb = kb
        forms = _forms()
        self.country_nouns = frozenset(forms["country_nouns"])
        self.other_modifiers = frozenset(forms["other_modifiers"])
        self.plural_heads: dict[str, dict[str, str]] = forms["plural_heads"]
        self.counts: dict[str, int] = forms["counts"]
        self.bare_agents = frozenset(forms["bare_agents"])
        self.antecedent_only = frozenset(forms["antecedent_only"])
        self.speech_verbs = _speech_verbs()
        self.sector_names = _sector_names()
        self.titles = frozenset(
            term for term, sector in kb.agents.items() if sector == "GOV" and _is_person_title(term)
        )

    def __call__(self, document: Document) -> None:
        if document.parsed is None or not document.actors:
            return
        _Run(self, document).resolve()


def _is_person_title(term: str) -> bool:
    last = term.split()[-1]
    return last in {"president", "minister", "premier", "chancellor", "secretary", "king", "queen", "emir"}


class _Run:
    def __init__(self, resolver: CoreferenceResolver, document: Document) -> None:
        self.r = resolver
        self.document = document
        self.doc = document.parsed
        self.seen: list[_Seen] = []
        self.covered = [False] * len(self.doc)
        for actor in document.actors:
            for m in actor.mentions:
                self._record(actor, m)
        self.seen.sort(key=lambda s: s.start)
        self.starts = [s.start for s in self.seen]
        self.counts: Counter[str] = Counter()
        self.next_id = 1 + max((int(a.id[1:]) for a in document.actors if a.id[1:].isdigit()), default=0)
        # people the parser found but the actors stage could not name: a pronoun after one is left alone
        self.unnamed_people = [
            e.start_char for e in self.doc.ents if e.label_ == "PERSON" and not self._is_covered(e)
        ]

    def _record(self, actor: Actor, m: Mention) -> None:
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            for k in range(span.start, span.end):
                self.covered[k] = True
        self.seen.append(_Seen(m.start, m.end, m.sentence, actor, m))

    def _is_covered(self, span: Any) -> bool:
        return any(self.covered[k] for k in range(span.start, span.end))

    def _before(self, offset: int, window: int) -> list[_Seen]:
        """Mentions ending before ``offset`` in its sentence and the ``window`` sentences before, latest first."""
        sentence = self.document.sentence_at(offset)
        out = []
        for s in reversed(self.seen[: bisect.bisect_left(self.starts, offset)]):
            if sentence - s.sentence > window:
                break
            if s.end <= offset:
                out.append(s)
        return out

    def _clause_mates(self, token: Any) -> set[str]:
        """Actors the description's own sentence names after it, or as a modifier of a word it depends on: "The
        country lifted its sanctions on North Korea" is not North Korea, nor "U.S. forces in both countries" the
        United States."""
        ancestors = {a.i for a in token.ancestors}
        sent = token.sent
        mates = set()
        for s in self.seen[bisect.bisect_left(self.starts, sent.start_char) :]:
            if s.start >= sent.end_char:
                break
            if s.start > token.idx:
                mates.add(s.actor.id)
                continue
            span = self.doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is not None and (span.root.head.i in ancestors or span.root.i in ancestors):
                mates.add(s.actor.id)
        return mates

    def _add(self, actor: Actor, start: int, end: int, kind: str = KIND) -> None:
        mention = Mention(self.document.text[start:end], start, end, self.document.sentence_at(start), kind)
        actor.mentions.append(mention)
        actor.mentions.sort(key=lambda m: (m.start, m.end))
        self._record(actor, mention)
        i = bisect.bisect_left(self.starts, start)
        self.seen.insert(i, self.seen.pop())
        self.starts.insert(i, start)

    # ------------------------------------------------------------------------------------------------------
    def resolve(self) -> None:
        for token in self.doc:
            if self.covered[token.i]:
                continue
            low = token.lower_
            if token.tag_ in ("NNS", "NNPS") and low in self.r.plural_heads:
                self._plural(token)
            elif low in self.r.country_nouns and token.tag_ == "NN":
                self._country(token)
            elif low in ("he", "she") and token.dep_ == "nsubj":
                self._speaker_pronoun(token)
            elif token.pos_ == "NOUN" and token.tag_ in ("NN", "NNS"):
                self._bare_agent(token)

    # -- "the two leaders", "both countries" -----------------------------------------------------------------
    def _plural(self, head: Any) -> None:
        words = {
            c.lower_: c for c in head.children if c.dep_ in ("nummod", "det", "predet", "amod", "quantmod")
        }
        count = next((n for w, n in self.r.counts.items() if w in words), None)
        if count is None or (words.get("both") is None and "the" not in words):
            return
        wanted = self.r.plural_heads[head.lower_]
        first = min([c.i for c in words.values()] + [head.i])
        if any(self.covered[k] for k in range(first, head.i + 1)):
            return
        chosen: list[Actor] = []
        mates = self._clause_mates(head)
        for s in self._before(self.doc[first].idx, GROUP_WINDOW):
            a = s.actor
            if a in chosen or a.code is None or a.type != wanted["type"] or a.id in mates:
                continue
            if wanted.get("sector") and a.sector != wanted["sector"]:
                continue
            chosen.append(a)
            if len(chosen) == count:
                break
        if len(chosen) < count:
            return
        start, end = self.doc[first].idx, head.idx + len(head)
        for actor in chosen:
            self._add(actor, start, end)

    # -- "the country", "the country's military" ---------------------------------------------------------------
    def _country(self, noun: Any) -> None:
        det = next((c for c in noun.children if c.dep_ == "det"), None)
        if det is None or det.lower_ not in ("the", "this") or det.i != noun.i - 1:
            return  # "a country", "the Gulf country", "the neighbouring country": not the one just named
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children) or any(
            c.dep_ == "appos" for c in noun.children
        ):
            return  # "the country of Georgia": the name follows
        country = self._salient_country(det.idx, self._clause_mates(noun))
        if country is None:
            return
        owner = noun.head
        if noun.dep_ == "poss" and not self.covered[owner.i] and owner.pos_ in ("NOUN", "PROPN"):
            if self._country_body(country, det, owner):
                return
        self._add(country, det.idx, noun.idx + len(noun))

    def _salient_country(self, offset: int, excluded: set[str]) -> Actor | None:
        window = [
            s
            for s in self._before(offset, COUNTRY_WINDOW)
            if s.actor.type == "country" and s.actor.code and s.actor.id not in excluded
        ]
        if not window:
            return None
        counts = Counter(
            s.actor.id
            for s in self.seen[: bisect.bisect_left(self.starts, offset)]
            if s.actor.type == "country"
        )
        latest: dict[str, int] = {}
        for rank, s in enumerate(window):
            latest.setdefault(s.actor.id, rank)
        best = min(latest, key=lambda a: (-counts[a], latest[a]))
        return next(s.actor for s in window if s.actor.id == best)

    def _country_body(self, country: Actor, det: Any, owner: Any) -> bool:
        """'the country's X': X as the state's body or office holder; False when X is no agent."""
        modifiers = [
            c for c in owner.children if c.dep_ in ("compound", "amod") and c.i < owner.i and c.i > det.i
        ]
        phrase = " ".join(t.lower_ for t in [*modifiers, owner])
        sector = self.r.kb.agents.get(phrase) or self.r.kb.agent_sector(phrase)
        if sector is None:
            return False
        start, end = det.idx, owner.idx + len(owner)
        if phrase in self.r.titles or phrase.split()[-1] in ("leader", "ruler"):
            if any(c.dep_ == "appos" for c in owner.children) or self._name_follows(owner):
                return True  # "the country's leader, Kim Jong Un": the name is the mention
            person = self._office_holder(country, phrase, start)
            self._add(person, start, end)
            return True
        self._add(self._body(country, sector), start, end)
        return True

    def _name_follows(self, token: Any) -> bool:
        nxt = token.i + 1
        if nxt + 1 >= len(self.doc) or self.doc[nxt].text != ",":
            return False
        return any(s.actor.type == "person" and s.start == self.doc[nxt + 1].idx for s in self.seen)

    def _office_holder(self, country: Actor, title: str, offset: int) -> Actor:
        """The person the article named holding ``title`` of ``country``, else the office itself."""
        last = title.split()[-1]
        for s in self.seen[: bisect.bisect_left(self.starts, offset)][::-1]:
            a = s.actor
            if a.type == "person" and a.code == country.code and a.role and _role_has(a.role, title, last):
                return a
        office = f"{title.title()} of {country.name}"
        for a in self.document.actors:
            if a.type == "person" and a.name == office:
                return a
        return self._new_actor(office, "person", country.code, "GOV", role=office)

    def _body(self, country: Actor, sector: str) -> Actor:
        for a in self.document.actors:
            if a.type == "group" and a.code == country.code and a.sector == sector and a.kb_id is None:
                return a
        adjective = (
            self.r.kb.countries[country.code].adjectives if country.code in self.r.kb.countries else []
        )
        name = (
            f"{adjective[0] if adjective else country.name} {self.r.sector_names.get(sector, 'government')}"
        )
        return self._new_actor(name, "group", country.code, sector)

    def _new_actor(
        self, name: str, type: str, code: str | None, sector: str, role: str | None = None
    ) -> Actor:
        actor = Actor(id=f"a{self.next_id}", name=name, type=type, code=code, sector=sector, role=role)
        self.next_id += 1
        self.document.actors.append(actor)
        return actor

    # -- "the ministry", "the president" ----------------------------------------------------------------------
    def _bare_agent(self, head: Any) -> None:
        det = next((c for c in head.children if c.dep_ == "det"), None)
        if det is None or det.lower_ != "the":
            return
        modifiers = [t for t in self.doc[det.i + 1 : head.i]]
        if any(t.dep_ not in ("compound", "amod") or t.head.i != head.i for t in modifiers):
            return
        if any(self.covered[t.i] for t in modifiers) or any(
            c.dep_ in ("poss", "appos") or (c.dep_ == "prep" and c.lower_ in ("of", "in", "for"))
            for c in head.children
        ):
            return  # "the ministry of defence", "the army in Syria": the actors stage had its chance
        phrase = " ".join(t.lower_ for t in [*modifiers, head])
        start, end = det.idx, head.idx + len(head)
        if phrase in self.r.titles and head.tag_ == "NN":
            person = self._titled_person(phrase, start)
            if person is not None:
                self._add(person, start, end)
            return
        if phrase not in self.r.bare_agents and phrase not in self.r.antecedent_only:
            return
        sector = self.r.kb.agents.get(phrase) or self.r.kb.agent_sector(phrase)
        if sector is None:
            return
        window = self._before(start, BODY_WINDOW)
        for s in window:
            a = s.actor
            # the same kind of body named just before: "Iran's foreign ministry ... the ministry"
            if a.type in ("group", "organization") and a.sector == sector and a.code and a.code != "IGO":
                if s.mention.text.lower().endswith(head.lower_):
                    self._add(a, start, end)
                    return
        if phrase in self.r.antecedent_only:
            return
        states = {
            s.actor.code: s.actor
            for s in self._before(start, COUNTRY_WINDOW - 1)
            if s.actor.type == "country"
        }
        if len(states) == 1:
            (country,) = states.values()
            self._add(self._body(country, sector), start, end)

    def _titled_person(self, title: str, offset: int) -> Actor | None:
        """The one person named before ``offset`` whose role carries the title; with two presidents in the
        article ("Will Trump meet Putin? ... the president said") the bare title is left alone."""
        last = title.split()[-1]
        holders = {
            s.actor.id: s.actor
            for s in self.seen[: bisect.bisect_left(self.starts, offset)]
            if s.actor.type == "person"
            and s.actor.code
            and s.actor.role
            and _role_has(s.actor.role, title, last)
        }
        return next(iter(holders.values())) if len(holders) == 1 else None

    # -- "he said" -----------------------------------------------------------------------------------------
    def _speaker_pronoun(self, pronoun: Any) -> None:
        verb = pronoun.head
        if verb.lemma_.lower() not in self.r.speech_verbs or self._inside_quotation(pronoun.idx):
            return
        gender = "f" if pronoun.lower_ == "she" else "m"
        for s in self._before(pronoun.idx, PRONOUN_WINDOW):
            a = s.actor
            if a.type != "person":
                continue
            known = _gender(a)
            if known is not None and known != gender:
                continue
            if any(s.start < k < pronoun.idx for k in self.unnamed_people):
                return  # someone the article did not let us name came in between
            self._add(a, pronoun.idx, pronoun.idx + len(pronoun), kind="pronoun")
            return

    def _inside_quotation(self, offset: int) -> bool:
        text = self.document.text
        before = text[text.rfind("\n", 0, offset) + 1 : offset]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _role_has(role: str, title: str, last: str) -> bool:
    low = role.lower()
    if title in low:
        return not (last == "president" and "vice president" in low and title == "president")
    return False


def _gender(actor: Actor) -> str | None:
    for m in actor.mentions:
        low = m.text.lower()
        if low in ("he", "his", "him"):
            return "m"
        if low in ("she", "her", "hers"):
            return "f"
    return None
