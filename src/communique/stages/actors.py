"""Actor recognition and resolution: every mention of a state, organization, group or person linked to one
canonical actor with its type, code and sector on the document's date.

The parse it reads carries the knowledge base's names as entities (the entity rulers of
:mod:`communique.stages.entities`, which the pipeline adds to spaCy before the statistical NER). The stage reads the
parse once and resolves, in text order:

* names, former names, capitals and seats of government ("Baku and Ankara adhere to", "the Kremlin") to the
  state; adjectives and demonyms to the state;
* people by full name, by surname ("President Aliyev", "Aliyev", "al-Bashir", "Bashir") and by the title in front
  of an unknown name ("Russian Foreign Minister X" -> RUS, GOV); a person's sector comes from the knowledge base
  on the document's date (GOV in office, ELI afterwards). A lone word spaCy labels ORG or GPE ("Trump said") is
  still a surname when it is no state, organisation or group in the knowledge base and names someone named in
  full in the document or a head of state or government on the date;
* titles without a name ("the Azerbaijani president", "the president") and subject pronouns ("he") to the most
  recent compatible person, only within a short window and only when the choice is clear;
* generic agents with a nationality ("Russian troops", "the Iraqi police") to group actors with code and sector;
* "our country" to the state the document is clearly about.

Words that spaCy labels as entities but are not actors (ideologies, religions, sentence adverbs, hyphenated
city pairs such as "Baku-Bishkek") are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from communique.document import Actor, Document, Mention
from communique.kb.knowledge import KnowledgeBase
from communique.kb.model import (
    REIGN_ROLE,
    Country,
    Entry,
    Group,
    Organization,
    Person,
    PersonState,
    is_acronym,
    name_key,
)
from communique.resources import load_yaml


def _word_lists() -> dict[str, Any]:
    """The recogniser's word lists (data/actors/resolution.yaml), read once at import."""
    return dict(load_yaml("actors", "resolution.yaml"))


_WORDS = _word_lists()
PERSON_TITLES: dict[str, tuple[str | None, str | None]] = {
    k: tuple(v) for k, v in _WORDS["person_titles"].items()
}
TITLE_MODIFIERS = set(_WORDS["title_modifiers"])
FORMER = set(_WORDS["former"])
HONORIFICS = set(_WORDS["honorifics"])
_HONORIFIC_GENDER: dict[str, str] = dict(_WORDS["honorific_gender"])
SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
POSSESSIVE_PRONOUNS = {"his": "m", "her": "f"}
OUR_NOUNS = set(_WORDS["our_nouns"])
LOCATIVE_PREPOSITIONS = set(_WORDS["locative_prepositions"])
SEAT_LOCATIVE_PREPOSITIONS = set(_WORDS["seat_locative_prepositions"])
JUNK_SUFFIXES = tuple(_WORDS["junk_suffixes"])
RELIGIONS = set(_WORDS["religions"])
SENTENCE_ADVERBS = set(_WORDS["sentence_adverbs"])
NON_ACTOR_HEADS = set(_WORDS["non_actor_heads"])
OFFICES_IN_CAPITALS = set(_WORDS["offices_in_capitals"])
OFFICES_OF_STATE = set(_WORDS["offices_of_state"])
PLACE_PREPOSITIONS = set(_WORDS["place_prepositions"])
PAGE_FURNITURE = set(_WORDS["page_furniture"])
NAME_ARTICLE_WORDS = set(_WORDS["publication_articles"])
_RUN_TOGETHER = re.compile(r"[a-z][A-Z]{2,}")
MOTION_VERBS = set(_WORDS["motion_verbs"])
DESTINATION_VERBS = MOTION_VERBS | set(_WORDS["destination_verbs"])
CAPTURE_VERBS = set(_WORDS["capture_verbs"])
BATTLE_NOUNS = set(_WORDS["battle_nouns"])
PLACE_NOUNS = set(_WORDS["place_nouns"])
FEATURE_NOUNS = set(_WORDS["feature_nouns"])
SECTOR_NAMES: dict[str, str] = dict(_WORDS["sector_names"])
ORG_LABELS = {"ORG", "FAC"}
# offices whose holder a bare surname names even when spaCy calls the word an organisation or a place
LEADER_ROLES = ("head_of_state", "head_of_government")
NAME_ARTICLES = ("al-", "el-")  # "al-Bashir" is also written "Bashir"


@dataclass
class Candidate:
    """A resolved mention before actors are assembled."""

    key: str  # identity of the actor ("country:AZE", "person:ilham-aliyev", "agent:RUS:MIL", ...)
    start: int  # character offsets
    end: int
    text: str
    kind: str
    token_start: int
    token_end: int
    subject: bool = False


@dataclass
class PendingActor:
    name: str
    type: str
    code: str | None
    sector: str | None
    kb_id: str | None = None
    role: str | None = None
    person: Person | None = None
    title: str | None = None  # for unknown people: the title that introduced them
    gender: str | None = None
    mentions: list[Candidate] = field(default_factory=list)


class ActorRecognizer:
    """Fills ``document.actors`` from a parse whose entities include the knowledge base's names
    (:func:`communique.stages.entities.add_entity_rulers`, which the pipeline adds before this stage runs)."""

    name = "actors"

    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.nlp = nlp
        self.kb = kb
        # words that may be part of a multi-word agent term ("foreign" in "foreign minister")
        self.agent_words = {w for term in kb.agents for w in term.split()}

    # -- the stage ------------------------------------------------------------------------------------------
    def __call__(self, document: Document) -> None:
        doc = document.parsed
        if doc is None:
            return
        run = _Run(self, document, doc, document.published or date.today())
        run.resolve()
        document.actors = run.actors()


class _Run:
    """The resolution of one document (state kept apart from the reusable recognizer)."""

    def __init__(self, recognizer: ActorRecognizer, document: Document, doc: Doc, on: date) -> None:
        self.r = recognizer
        self.kb = recognizer.kb
        self.document = document
        self.doc = doc
        self.on = on
        self.pending: dict[str, PendingActor] = {}
        self.candidates: list[Candidate] = []
        self.unresolved_people: list[int] = []  # token starts of PERSON entities left without an actor
        # token starts of entities spaCy labelled ORG/GPE/NORP... that are shaped like a surname ("Trump said")
        self.mislabelled: set[int] = set()
        self.token_owner: list[str | None] = [None] * len(doc)  # actor key owning each token
        self.consumed: list[bool] = [False] * len(doc)  # tokens already explained (titles, names)
        # token attributes read many times, fetched in one pass
        self.lows: list[str] = []
        self.nouns: list[bool] = []
        self.propn: list[bool] = []
        self.plural: list[bool] = []
        for t in doc:
            pos = t.pos_
            self.lows.append(t.lower_)
            self.nouns.append(pos == "NOUN" or pos == "PROPN")
            self.propn.append(pos == "PROPN")
            self.plural.append(t.tag_ in ("NNS", "NNPS"))
        self.sent_index: list[int] = [0] * len(doc)
        for i, sent in enumerate(doc.sents):
            for position in range(sent.start, sent.end):
                self.sent_index[position] = i

    # ------------------------------------------------------------------------------------------------------
    def resolve(self) -> None:
        person_spans = []
        for ent in self.doc.ents:
            if self._is_junk(ent):
                continue
            entries = self._entries(ent)
            if entries:
                self._add_entry_mention(ent, entries)
            elif ent.label_ == "PERSON":
                person_spans.append(ent)
            elif ent.label_ in ORG_LABELS and (_particle_name(ent) or self._named_after_a_title(ent)):
                # "Staffan de Mistura", "the Russian ambassador to the UN, Vasily Nebenzia": people the
                # parser took for organisations
                person_spans.append(ent)
            elif self._surname_shaped(ent):
                # perhaps a person's surname under another label: decided with the people, in text order
                self.mislabelled.add(ent.start)
                person_spans.append(ent)
            elif ent.label_ in ORG_LABELS:
                self._add_unknown_org(ent)
        self._resolve_people(person_spans)
        self._scan_tokens()

    # -- entities -------------------------------------------------------------------------------------------
    def _is_junk(self, ent: Span) -> bool:
        text = ent.text.strip()
        low = text.lower()
        words = low.replace("’", "'").split()
        if not words or not text[:1].isalpha() and not text[:1].isdigit():
            return True
        if low.endswith(JUNK_SUFFIXES) or words[-1] in RELIGIONS or low in RELIGIONS:
            return True
        if words[0] in SENTENCE_ADVERBS or (len(words) == 1 and ent.root.pos_ == "ADV"):
            return True
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"):
            return True
        if "/" in text or "\n" in text:
            return True  # photo credits ("Bikram Rai/AP") and text run across lines
        if _RUN_TOGETHER.search(text):
            return True  # "John TrumpGOP": a byline run into a tag, two words without a space
        if words[-1] in PAGE_FURNITURE and self._on_a_short_line(ent):
            return True  # "Replay More", "Monitor Stories": the page's buttons and links, not text
        if "-" in text and " " not in text:
            parts = [p for p in text.split("-") if p]
            if len(parts) == 2 and all(self.kb.lookup(p) for p in parts):
                return True  # "Baku-Bishkek": a pair of places, never one actor
        return False

    def _on_a_short_line(self, ent: Span) -> bool:
        """Whether the entity stands on a short line of its own (a button or link label, not a sentence)."""
        text = self.document.text
        line_start = text.rfind("\n", 0, ent.start_char) + 1
        line_end = text.find("\n", ent.end_char)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        return len(line.split()) <= 6 and not line.rstrip().endswith((".", "?", "!", '"', "”"))

    def _entries(self, ent: Span) -> list[Entry]:
        text = ent.text
        if text.lower().startswith("the "):
            text = text[4:]
        entries = self.kb.lookup(text)
        if ent.ent_id_:
            # the ruler knows which entry it matched; keep it first
            entries = sorted(entries, key=lambda e: e.kb_id != ent.ent_id_)
        if not entries:
            return []
        want = {
            "PERSON": ("person",),
            "GPE": ("country", "capital"),
            "LOC": ("group", "country", "capital"),
            "NORP": ("adjective", "demonym", "group"),
            "ORG": ("organization", "seat", "group"),
        }.get(ent.label_, ())
        entries.sort(key=lambda e: 0 if e.kind in want else 1)
        if ent.label_ != "PERSON" and entries[0].kind == "person" and not ent.ent_id_:
            return []  # spaCy's ORG/GPE guess on a text that is only a person's name elsewhere: decided later
        if len(ent) == 1 and entries[0].kind == "person" and not self._has_title_before(ent.start):
            if len(ent.text) < 8:
                return []
        return entries

    def _surname_shaped(self, ent: Span) -> bool:
        """One capitalised word, possibly hyphenated or with an article ("Trump", "al-Bashir", "Trump's"),
        that the knowledge base knows as no country, organisation, group or adjective."""
        text = _strip_possessive(ent.text.strip())
        if not text or any(c.isspace() for c in text) or is_acronym(text):
            return False  # several words, or an acronym ("PKK", a shouted "TRUMP" in a headline)
        core = text[3:] if text.lower().startswith(NAME_ARTICLES) else text
        if not core[:1].isupper() or not all(c.isalpha() or c in "-'’" for c in core):
            return False
        return not any(e.kind != "person" for e in self.kb.lookup(text))

    def _add_entry_mention(self, ent: Span, entries: list[Entry]) -> None:
        entry = entries[0]
        item = self.kb.entry(entry.kb_id)
        if item is None:
            return
        kind = {
            "country": "name",
            "capital": "capital",
            "seat": "capital",
            "adjective": "adjective",
            "demonym": "adjective",
            "organization": "acronym" if is_acronym(ent.text) else "name",
            "group": "name",
            "person": "name",
        }[entry.kind]
        if entry.kind in ("capital", "seat") and self._is_location(ent, seat=entry.kind == "seat"):
            return  # "speaking in Bishkek", "entered Downing Street": a place, not the state acting
        if isinstance(item, Person):
            self._person_from_zone(ent, item)
            return
        if self._in_feature_name(ent):
            return  # "the South China Sea", "the Gulf of Mexico": a sea, not the state
        if isinstance(item, Country) and entry.kind in ("country", "adjective", "demonym") and kind == "name":
            if self._modifies_noun(ent):
                kind = "adjective"  # "US troops", "Russia sanctions"
        self._ensure(entry.kb_id, item)
        self._mention(entry.kb_id, ent.start_char, ent.end_char, ent.start, ent.end, kind)

    def _add_unknown_org(self, ent: Span) -> None:
        words = [t for t in ent if not t.is_punct]
        text = ent.text.strip().rstrip("'’")
        if text.lower().startswith("the "):
            text = text[4:]
        if text.endswith(("'s", "’s")):
            text = text[:-2]
        content = [t for t in words if t.lower_ not in ("the", "of", "for", "and", "on", "in", "de", "&")]
        if content and self._national_office_mention(ent, content):
            return
        if not words or words[-1].lower_ in ("of", "for", "and", "the", "on", "in", "to"):
            return  # a name cut short ("Office for the Southern District of")
        if not content:
            return
        if any(t.lower_ in NON_ACTOR_HEADS for t in content):
            return
        # "Russian Foreign Ministry", "Iraq's Defense Ministry": an office of a state named just before it
        agent = self._agent_at(ent.end - 1)
        if agent is not None and agent[2] >= ent.start:
            country, _c, _f = self._agent_country(agent[2], agent[3])
            if country is not None:
                self._agent_mention(*agent)
                return
        if len(content) == 1:
            # a lone word: only a real acronym (three letters or more) passes ("PKK", "CSTO")
            # (at most six letters: "ANALYSIS" in a headline is a shouted word, not an acronym)
            if not (is_acronym(text) and 3 <= len(text.replace(".", "")) <= 6):
                return
        elif not all(t.text[:1].isupper() or t.text[:1].isdigit() for t in content):
            return
        key = "org:" + name_key(text)
        if key not in self.pending:
            self.pending[key] = PendingActor(name=text, type="organization", code=None, sector=None)
        self._mention(
            key, ent.start_char, ent.end_char, ent.start, ent.end, "acronym" if is_acronym(text) else "name"
        )

    def _national_office_mention(self, ent: Span, content: list[Token]) -> bool:
        """Add "Iran's Ministry of Foreign Affairs" or "the Ministry of Defence of Armenia" as the state's own
        office (its government, army or police); False when the entity is no such office."""
        national = self._national_office(ent, content)
        if national is None:
            return False
        country, sector = national
        key = f"agent:{country.code}:{sector}"
        if key not in self.pending:
            adjective = country.adjectives[0] if country.adjectives else country.name
            self.pending[key] = PendingActor(
                name=f"{adjective} {SECTOR_NAMES.get(sector, 'government')}",
                type="group",
                code=country.code,
                sector=sector,
            )
        start, end = ent.start, ent.end
        if start >= 2 and self.lows[start - 1] in ("'s", "’s") and self._country_at(start - 2) is country:
            start = self._entity_start(start - 2)
        while end > start + 1 and self.lows[end - 1] in ("of", "the"):
            end -= 1  # "The Ministry of Defence of" (Armenia is a mention of its own)
        last = self.doc[end - 1]
        self._mention(key, self.doc[start].idx, last.idx + len(last), start, end, "name")
        return True

    def _national_office(self, ent: Span, content: list[Token]) -> tuple[Country, str] | None:
        """The state and sector of an office named with its state: a ministry, embassy or army whose state is
        a possessive just before it ("Iran's Ministry of Foreign Affairs") or follows "of" inside it."""
        office = next((t for t in content if t.lower_ in OFFICES_OF_STATE), None)
        if office is None:
            return None
        sector = self.kb.agent_sector(office.lower_)
        if sector is None:
            return None
        start = ent.start
        if start >= 2 and self.lows[start - 1] in ("'s", "’s"):
            country = self._country_at(start - 2)
            if country is not None:
                return country, sector
        doc = self.doc
        k = ent.end + 1 if ent.end < len(doc) and self.lows[ent.end] == "of" else ent.end
        if k < len(doc) and self.lows[k - 1] == "of" and doc[k].ent_iob_ == "B":
            # "the Ministry of Defence of Armenia", which the parser splits in two: the state comes later
            e = k + 1
            while e < len(doc) and doc[e].ent_iob_ == "I":
                e += 1
            country = self.kb.country_named(doc[k:e].text)
            if country is not None:
                return country, sector
        for t in ent:
            if t.lower_ == "of" and t.i + 1 < ent.end:
                name = self.doc[t.i + 1 : ent.end].text
                country = self.kb.country_named(name.removeprefix("the "))
                if country is not None:
                    return country, sector
        return None

    def _is_location(self, ent: Span, seat: bool = False) -> bool:
        """Whether a capital (or, with ``seat``, a seat of government) names where someone is or goes: the
        object of a preposition of place ("in Bishkek", "at the White House"), of a verb of going ("entered
        Downing Street", "visit Moscow") or of "for"/"to" after one ("departs for Hanoi"). As a subject ("Moscow
        said", "Downing Street denied") or after "from" for a seat ("a statement from the Kremlin") it is not."""
        root = ent.root
        head = root.head
        if root.dep_ == "dobj" and head.lemma_.lower() in DESTINATION_VERBS:
            return True  # "entered Downing Street", "Trump enters the White House"
        if root.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("for", "to", "toward", "towards"):
            if head.head.lemma_.lower() in DESTINATION_VERBS:
                return True  # "departs for Hanoi", "flew to Moscow"
        if root.dep_ == "pobj" and head.lower_ in (
            SEAT_LOCATIVE_PREPOSITIONS if seat else LOCATIVE_PREPOSITIONS
        ):
            return True
        # "Washington University", "Moscow State University": the city names a place or an institution
        if (
            not seat
            and ent.root.dep_ == "compound"
            and head.i == ent.end
            and head.pos_ == "PROPN"
            and head.text[:1].isupper()
        ):
            return self.token_owner[head.i] is None and self._agent_at(head.i) is None
        return False

    def _in_feature_name(self, ent: Span) -> bool:
        """Whether the entity is part of the name of a sea, gulf, strait or other geographic feature: before a
        capitalised feature noun ("South China Sea", "Korean Peninsula"), after one and "of" ("Sea of Japan",
        "Gulf of Mexico"), or the feature itself followed by "of" and a name ("the Gulf of Mexico")."""
        doc = self.doc
        after = doc[ent.end] if ent.end < len(doc) else None
        if after is not None and after.lower_ in FEATURE_NOUNS and after.text[:1].isupper():
            return True
        s = ent.start + (1 if self.lows[ent.start] == "the" else 0)
        if s >= 2 and self.lows[s - 1] == "of":
            feature = doc[s - 2]
            if feature.lower_ in FEATURE_NOUNS and feature.text[:1].isupper():
                return True
        last = doc[ent.end - 1]
        return (
            last.lower_ in FEATURE_NOUNS
            and last.text[:1].isupper()
            and ent.end + 1 < len(doc)
            and self.lows[ent.end] == "of"
            and doc[ent.end + 1].text[:1].isupper()
        )

    def _modifies_noun(self, ent: Span) -> bool:
        root = ent.root
        return (
            root.dep_ in ("compound", "amod", "nmod")
            and root.head.pos_ in ("NOUN", "PROPN")
            and root.head.i >= ent.end
        )

    # -- people -----------------------------------------------------------------------------------------------
    def _has_title_before(self, i: int) -> bool:
        j = i - 1
        while j >= 0 and self.doc[j].lower_ in TITLE_MODIFIERS:
            j -= 1
        return j >= 0 and self._agent_at(j) is not None

    def _title_zone(
        self, start: int, end: int
    ) -> tuple[str | None, str | None, Country | None, bool, list[int]]:
        """Title words left of a name (or in an apposition): (term, sector, country, former, token indexes)."""
        doc = self.doc
        tokens: list[int] = []
        j = start - 1
        sent_start = doc[start].sent.start
        if j > sent_start and doc[j].text == ",":
            j -= 1  # "the former president of Kazakhstan, Nursultan Nazarbayev"
        while j >= sent_start and start - j <= 8:
            t = doc[j]
            if t.is_space or "\n" in t.whitespace_:
                break
            owner = self.token_owner[j] or ""
            possessed = j + 1 < start and doc[j + 1].lower_ in ("'s", "’s")
            if (
                t.lower_ in TITLE_MODIFIERS
                or t.lower_ in self.r.agent_words
                or self.kb.agent_sector(t.lower_)
                or self._country_at(j) is not None
                or owner.startswith(("organization:", "group:"))
                # "Erdoğan's spokesman, Ibrahim Kalin": the office belongs to a person named before it
                or (owner.startswith("person:") and possessed and bool(tokens))
            ):
                tokens.append(j)
                j -= 1
                continue
            break
        tokens.reverse()
        root = doc[start:end].root
        if not any(self._agent_at(k) for k in tokens):
            # "the former president of Kazakhstan, Nursultan Nazarbayev": the title is the head of an apposition
            head = root.head if root.dep_ == "appos" else None
            # "president of Kazakhstan, Nursultan Nazarbayev" may hang the name on "Kazakhstan": climb to the title
            steps = 0
            while (
                head is not None
                and not self._agent_at(head.i)
                and head.dep_ in ("pobj", "prep")
                and steps < 2
            ):
                head, steps = head.head, steps + 1
            if head is not None and not self._agent_at(head.i):
                head = None
            if head is None:
                head = next((c for c in root.children if c.dep_ == "appos" and self._agent_at(c.i)), None)
            if head is not None and self._agent_at(head.i):
                tokens = [t.i for t in head.subtree if not (start <= t.i < end) and not t.is_punct]
                tokens = [
                    k
                    for k in tokens
                    if self._country_at(k) or self._agent_at(k) or doc[k].lower_ in TITLE_MODIFIERS
                ]
        term = sector = None
        country = None
        former = False
        for k in tokens:
            agent = self._agent_at(k)
            if agent:
                term, sector = agent[0], agent[1]
            c = self._country_at(k)
            if c is not None and country is None:
                country = c
            if doc[k].lower_ in FORMER:
                former = True
        if term is None:
            return None, None, None, False, []
        words = term.split()
        if len(words) > 1 and words[0] in FORMER:  # "former president" is the office "president", held before
            term, former = " ".join(words[1:]), True
        return term, sector, country, former, tokens

    def _pending_person(self, person: Person) -> str:
        """The actor key of a known person, adding them (with their code and role on the date) on first sight."""
        if person.kb_id not in self.pending:
            state = self.kb.person_state(person, self.on)
            self.pending[person.kb_id] = PendingActor(
                name=person.name,
                type="person",
                code=state.code,
                sector=state.sector,
                kb_id=person.kb_id,
                role=state.role_text,
                person=person,
                gender=person.gender,
            )
        return person.kb_id

    def _person_from_zone(self, ent: Span, person: Person) -> None:
        term, _sector, country, _former, tokens = self._title_zone(ent.start, ent.end)
        self._consume(tokens, country_too=False)
        key = self._pending_person(person)
        self._mention(
            key, ent.start_char, ent.end_char, ent.start, ent.end, "name", subject=_is_subject(ent.root)
        )

    def _resolve_people(self, spans: list[Span]) -> None:
        """Unknown PERSON spans: a known person's surname, else a new person described by their title."""
        doc_surnames: dict[str, str] = {}  # surnames of knowledge-base people named in the document
        first_words: dict[str, str] = {}  # their first words ("Kim" of Kim Jong Un: surname written first)
        for key, actor in self.pending.items():
            if actor.person is not None:
                for s in actor.person.surnames():
                    doc_surnames.setdefault(name_key(s), key)
                    if s.lower().startswith(NAME_ARTICLES):
                        doc_surnames.setdefault(name_key(s[3:]), key)  # "Bashir" after "Omar al-Bashir"
                for name in actor.person.names():
                    name_words = name.split()
                    if len(name_words) >= 2:
                        first_words.setdefault(name_key(name_words[0]), key)
        self.doc_surnames = doc_surnames
        # Surnames of people the knowledge base does not know: linked only where spaCy also sees a person,
        # never in the free-token scan (a mislabelled "Iron Dome" must not make every "Dome" a person).
        unknown_surnames: dict[str, str] = {}
        for ent in spans:
            words = [t for t in ent if not t.is_punct]
            while len(words) > 1 and (
                words[0].lower_.rstrip(".") in HONORIFICS or words[0].lower_ in self.r.agent_words
            ):
                words = words[1:]  # "Mrs May", "Senator McCain": the name is what follows
            if not words:
                continue
            if len(ent) > 1 and len(words) == 1 and words[0].lower_ in self.r.agent_words:
                continue  # "Crown Prince" with no name after it: a title, nobody's name
            text = _strip_possessive(self.doc[words[0].i : words[-1].i + 1].text.strip())
            # one word, though the tokenizer may have cut it ("al-Bashir" is "al", "-", "Bashir")
            single = not any(c.isspace() for c in text)
            last = name_key(text) if single else name_key(words[-1].text)
            if single and text.lower().startswith(NAME_ARTICLES) and not self._surname_known(last):
                last = name_key(text[3:])  # "al-Bashir" for a "Bashir" named in full
            mislabelled = ent.start in self.mislabelled
            # titles the parser took into the name ("Gen Paul X") belong to the zone left of the name proper
            term, sector, country, former, tokens = self._title_zone(words[0].i, ent.end)
            subject = _is_subject(ent.root)
            target = None
            if last in doc_surnames and (single or self._same_first_name(words, doc_surnames[last])):
                target = doc_surnames[last]
            elif single and last in first_words:
                target = first_words[last]
            elif last in unknown_surnames and (
                single or self._same_first_name(words, unknown_surnames[last])
            ):
                # "President Trump" after "first lady Melania Trump": the holder of that title in the knowledge base
                titled = single and term is not None and self._known_person_by_surname(last, term, country)
                target = None if titled else unknown_surnames[last]
            if target is not None:
                self._consume(tokens, country_too=False)
                self._mention(target, ent.start_char, ent.end_char, ent.start, ent.end, "name", subject)
                continue
            known = self._known_person_by_surname(last, term, country) if single else None
            if known is not None and mislabelled and term is None and not self._leads_a_state(known):
                known = None  # spaCy saw no person: only a head of state or government is named this way
            if mislabelled and known is None:
                if ent.label_ in ORG_LABELS:
                    self._add_unknown_org(ent)  # not a person after all: what an ORG entity gets otherwise
                continue
            if known is not None:
                self._person_from_zone(ent, known)
                for s in known.surnames():
                    self.doc_surnames.setdefault(name_key(s), known.kb_id)
                continue
            if len(words) == 1 and term is None:
                self.unresolved_people.append(ent.start)  # someone we cannot name still blocks "he"
                continue  # a lone unknown word: not enough to call it a person
            if not _looks_like_a_name(words) or any(c in ent.text for c in '"“”«»'):
                continue
            if term is None and self._names_a_place(ent):
                continue  # "fighting raged in Tal Afar", "villagers fled to Chah Bahar": a place, not a person
            if len(words) >= 2 and words[0].text in NAME_ARTICLE_WORDS:
                continue  # "Der Spiegel", "Le Monde": a title with an article is a publication, not a person
            self._consume(tokens, country_too=False)
            key = "person:" + name_key(text)
            if key not in self.pending:
                self.pending[key] = self._unknown_person(text, term, sector, country, former, tokens)
                # "Trump Trump" (a headline run into a byline) is one word twice, no full name to take a surname from
                if len(words) >= 2 and name_key(words[0].text) != last:
                    unknown_surnames.setdefault(last, key)
                    if term is not None:
                        # introduced by a title ("the refugee minister, Saleh Gharib"): a person, so the
                        # surname alone names them later even where the parser sees no person
                        self.doc_surnames.setdefault(last, key)
            self._mention(key, ent.start_char, ent.end_char, ent.start, ent.end, "name", subject)

    def _names_a_place(self, ent: Span) -> bool:
        """Whether an unknown name is the object of a preposition of place ("in", "near", "outside"), or of
        "to"/"towards" after a verb of motion ("fled to"): people are seldom where something happens."""
        root = ent.root
        for c in root.children:
            if c.dep_ == "appos" and any(
                w.lemma_.lower() in PLACE_NOUNS for w in (c, *(g for g in c.children if g.dep_ == "compound"))
            ):
                return True  # "Tal Afar, a town west of Mosul"
        verb = root.head
        if root.dep_ == "dobj" and (verb.lemma_.lower() in CAPTURE_VERBS or verb.lower_ in CAPTURE_VERBS):
            return True  # "forces retook Tal Afar"
        prep = root.head
        if root.dep_ != "pobj" or prep.i >= ent.start:
            return False
        if prep.lower_ in PLACE_PREPOSITIONS:
            return True
        if prep.lower_ == "for" and prep.head.lemma_.lower() in BATTLE_NOUNS:
            return True  # "the battle for Tal Afar"
        return prep.lower_ in ("to", "towards", "toward") and prep.head.lemma_.lower() in MOTION_VERBS

    def _named_after_a_title(self, ent: Span) -> bool:
        """A two- or three-word capitalised name in apposition to a person's title ("the ambassador, Vasily
        Nebenzia"): a person, whatever label the parser gave it."""
        words = [t for t in ent if not t.is_punct]
        if not 2 <= len(words) <= 3 or not _looks_like_a_name(words) or ent.root.dep_ != "appos":
            return False
        head = ent.root.head
        for _ in range(2):  # "the ambassador to the UN, Vasily Nebenzia" hangs the name on "UN"
            if head.dep_ in ("pobj", "prep") and self._agent_at(head.i) is None:
                head = head.head
        if head.i >= ent.start or head.tag_ in ("NNS", "NNPS"):
            return False
        agent = self._agent_at(head.i)
        return agent is not None and agent[1] in ("GOV", "MIL", "IGO", "OPP", "REB")

    def _posting_organisation(self, tokens: list[int]) -> PendingActor | None:
        """The international organisation named before a title when the state named after it, behind
        "for"/"to"/"in", is only where the person serves ("the UN envoy for Syria"), else None."""
        terms = [k for k in tokens if self._agent_at(k) is not None]
        if not terms:
            return None
        at = terms[-1]
        posted = any(
            self._country_at(k) is not None and k > at and self.lows[k - 1] in ("for", "to", "in", "on")
            for k in tokens
        )
        if not posted:
            return None
        for k in range(max(0, min(tokens) - 1), at):
            owner = self.token_owner[k] or ""
            org = self.pending.get(owner) if owner.startswith("organization:") else None
            if org is not None and org.code == "IGO":
                return org
        return None

    def _unknown_person(
        self,
        name: str,
        term: str | None,
        sector: str | None,
        country: Country | None,
        former: bool,
        tokens: list[int],
    ) -> PendingActor:
        """A person the knowledge base does not know, described by the title in front of the name:
        "Russian Foreign Minister X" (RUS, GOV), "Hamas leader X" (the group's code and sector)."""
        employer = self._posting_organisation(tokens) if country is not None and term else None
        if employer is not None:
            # "the UN envoy for Syria, Staffan de Mistura": the UN's envoy, posted to Syria
            office = " ".join(w.capitalize() for w in (term or "").split())
            return PendingActor(
                name=name,
                type="person",
                code=employer.code,
                sector="IGO" if sector == "GOV" else sector,
                role=f"{office} of {employer.name}",
                title=term,
            )
        code = country.code if country else None
        title = " ".join(w.capitalize() for w in term.split()) if term else None
        of = country.name if country else None
        if country is None and term:
            owner = next(
                (
                    owner_key
                    for k in tokens
                    if (owner_key := self.token_owner[k])
                    and not owner_key.startswith(("country:", "person:"))
                ),
                None,
            )
            group = self.pending.get(owner) if owner else None
            if group is not None and group.type in ("organization", "group"):
                code, of = group.code, group.name
                if group.sector and sector == "GOV":
                    sector = group.sector  # a leader of Hamas is coded as Hamas is
            principal = next(
                (
                    self.pending[key]
                    for k in tokens
                    if (key := self.token_owner[k] or "").startswith("person:") and key in self.pending
                ),
                None,
            )
            if group is None and principal is not None and principal.sector == "GOV" and sector == "GOV":
                # a government leader's spokesman or adviser serves that government
                code, of = principal.code, principal.name
        role = f"{'former ' if former else ''}{title}" + (f" of {of}" if of else "") if title else None
        # a former minister or a retired general is no longer in the state's service: an elite
        actor_sector = "ELI" if former and sector in ("GOV", "MIL") else sector
        return PendingActor(name=name, type="person", code=code, sector=actor_sector, role=role, title=term)

    def _surname_known(self, key: str) -> bool:
        return key in self.doc_surnames or bool(self.kb.people_with_surname(key))

    def _leads_a_state(self, person: Person) -> bool:
        """Whether ``person`` is a head of state or government on the document's date."""
        return any(r.role in LEADER_ROLES and r.active(self.on) for r in person.roles)

    def _same_first_name(self, words: list[Token], key: str) -> bool:
        actor = self.pending.get(key)
        if actor is None:
            return False
        first = name_key(words[0].text)
        names = actor.person.names() if actor.person else [actor.name]
        return any(name_key(n).split()[0] == first for n in names if n.split())

    def _known_person_by_surname(
        self, surname: str, term: str | None, country: Country | None
    ) -> Person | None:
        """A knowledge-base person for a lone surname: the one in office on the date, matching title and country."""
        people = self.kb.people_with_surname(surname)
        if not people:
            return None
        scored = []
        for p in people:
            state = self.kb.person_state(p, self.on)
            if country is not None and state.code != country.code:
                continue
            if term is not None and not _title_matches(term, state, p):
                continue
            rank = {"GOV": 0, "IGO": 0, "OPP": 1, "ELI": 2}.get(state.sector or "", 3)
            scored.append((rank, p))
        if not scored:
            return None
        scored.sort(key=lambda x: x[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None  # two equally plausible people: do not guess
        if scored[0][0] >= 2 and term is None:
            return None  # a bare surname of someone not in office on that date: too weak to name them
        return scored[0][1]

    # -- tokens: surnames, titles, agents, pronouns, "our country" ---------------------------------------------
    def _scan_tokens(self) -> None:
        doc = self.doc
        lows = self.lows
        surnames = {k.lower(): v for k, v in self.doc_surnames.items()}
        n = len(doc)
        i = 0
        while i < n:
            if self.token_owner[i] is not None or self.consumed[i]:
                i += 1
                continue
            low = lows[i]
            # a surname of someone already named in the document ("Aliyev said")
            if low in surnames and self.propn[i]:
                t = doc[i]
                if t.text[:1].isupper():
                    _term, _s, _c, _f, tokens = self._title_zone(i, i + 1)
                    self._consume(tokens, country_too=False)
                    self._mention(surnames[low], t.idx, t.idx + len(t.text), i, i + 1, "name", _is_subject(t))
                    i += 1
                    continue
            agent = self._agent_at(i, forward=True)
            if agent is not None:
                term, sector, a_start, a_end = agent
                if not any(
                    self.token_owner[k] is not None or self.consumed[k] for k in range(a_start, a_end)
                ):
                    self._agent_mention(term, sector, a_start, a_end)
                    i = a_end
                    continue
            if low in SUBJECT_PRONOUNS or low in POSSESSIVE_PRONOUNS or low == "our":
                t = doc[i]
                if low in SUBJECT_PRONOUNS and t.dep_ in ("nsubj", "nsubjpass"):
                    self._pronoun(i, SUBJECT_PRONOUNS[low])
                elif low in POSSESSIVE_PRONOUNS and t.dep_ == "poss":
                    self._pronoun(i, POSSESSIVE_PRONOUNS[low])
                elif low == "our" and i + 1 < n and lows[i + 1] in OUR_NOUNS and t.head.i == i + 1:
                    self._our_country(i)
            i += 1

    def _agent_at(self, i: int, forward: bool = False) -> tuple[str, str, int, int] | None:
        """The agent term at token i: as the last word ("foreign *minister*"), or, with ``forward``, as the
        first word of a longer term ("*foreign* minister"), preferring the longest."""
        lows, nouns = self.lows, self.nouns
        if lows[i] not in self.r.agent_words and not (lows[i].endswith("s") and nouns[i]):
            return None  # the common case, decided by one set lookup
        agents = self.kb.agents
        n = len(lows)
        if forward:
            for size in (3, 2):
                end = i + size
                if end <= n and nouns[end - 1]:
                    phrase = " ".join(lows[i:end])
                    sector = agents.get(phrase) or (
                        self.kb.agent_sector(phrase) if self.plural[end - 1] else None
                    )
                    if sector:
                        return phrase, sector, i, end
        if not nouns[i]:
            return None
        for size in (3, 2):
            begin = i - size + 1
            if begin >= 0:
                phrase = " ".join(lows[begin : i + 1])
                if phrase in agents:
                    return phrase, agents[phrase], begin, i + 1
        sector = agents.get(lows[i]) or (self.kb.agent_sector(lows[i]) if self.plural[i] else None)
        if sector:
            return lows[i], sector, i, i + 1
        return None

    def _entity_start(self, i: int) -> int:
        """The first token of the mention that owns token i ("North Korean", not "Korean")."""
        key = self.token_owner[i]
        while i > 0 and key is not None and self.token_owner[i - 1] == key and not self.doc[i - 1].is_space:
            i -= 1
        return i

    def _country_at(self, i: int) -> Country | None:
        key = self.token_owner[i]
        if key and key.startswith("country:"):
            return self.kb.countries.get(key.partition(":")[2])
        return None

    def _agent_country(self, a_start: int, a_end: int) -> tuple[Country | None, int | None, bool]:
        """The nationality of an agent term: a modifier ("Russian troops", "Russia's army") or "of Azerbaijan"."""
        doc = self.doc
        head = doc[a_end - 1]
        former = any(doc[k].lower_ in FORMER for k in range(max(0, a_start - 2), a_start))
        # the nearest modifier first, never across a line break ("Afghanistan\n\nUkrainian President")
        for child in sorted(head.children, key=lambda c: -c.i):
            if child.dep_ == "amod" and child.lower_ in FORMER:
                former = True
            if child.i < a_start and child.dep_ in ("amod", "compound", "nmod", "poss", "npadvmod"):
                if any(doc[k].is_space or "\n" in doc[k].whitespace_ for k in range(child.i, a_start)):
                    continue
                c = self._country_at(child.i)
                if c is not None:
                    return c, child.i, former
        # tokens right before the term ("Azerbaijani foreign minister" parsed flat)
        j = a_start - 1
        while j >= 0 and doc[j].lower_ in TITLE_MODIFIERS | {"'s", "’s"} and "\n" not in doc[j].whitespace_:
            if doc[j].lower_ in FORMER:
                former = True
            j -= 1
        if j >= 0 and self._country_at(j) is not None and j >= a_start - 4 and "\n" not in doc[j].whitespace_:
            return self._country_at(j), j, former
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        c = self._country_at(pobj.i)
                        if c is not None:
                            return c, pobj.i, former
            elif child.dep_ == "prep" and child.lower_ == "in" and head.lower_ in OFFICES_IN_CAPITALS:
                # "the Foreign Ministry in Baku": a ministry sits in its own capital
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN":
                        c = self.kb.capital_of(pobj.text)
                        if c is not None:
                            return c, None, former
        return None, None, former

    def _agent_mention(self, term: str, sector: str, a_start: int, a_end: int) -> None:
        doc = self.doc
        head = doc[a_end - 1]
        country, c_index, former = self._agent_country(a_start, a_end)
        plural = head.tag_ in ("NNS", "NNPS")
        words = term.split()
        if len(words) > 1 and words[0] in FORMER:  # "former president": the office, held in the past
            former, term = True, " ".join(words[1:])
        if term in PERSON_TITLES and not plural:
            articles = {c.lower_ for c in head.children if c.dep_ == "det"}
            if articles & {"a", "an", "any", "every", "each", "no"}:
                return  # "when an American president draws a red line": anyone in the office, not one person
            determined = bool(articles & {"the", "this", "that"}) or country is not None
            if not determined:
                return
            person_key = self._person_for_title(term, country, former, a_start)
            if person_key is not None:
                start_tok = (
                    self._entity_start(c_index) if c_index is not None and c_index < a_start else a_start
                )
                det = next((c for c in head.children if c.dep_ == "det" and c.i < start_tok), None)
                s = det.i if det is not None else start_tok
                self._mention(
                    person_key, doc[s].idx, head.idx + len(head.text), s, a_end, "title", _is_subject(head)
                )
                return
            if country is None:
                return
            # an unnamed office holder of a known state: the office, as a person-type actor of that state
            key = f"office:{country.code}:{term}:{'former' if former else 'current'}"
            if key not in self.pending:
                title = " ".join(w.capitalize() for w in term.split())
                self.pending[key] = PendingActor(
                    name=f"{'former ' if former else ''}{title} of {country.name}",
                    type="person",
                    code=country.code,
                    sector="ELI" if former and sector == "GOV" else sector,
                    role=f"{'former ' if former else ''}{title} of {country.name}",
                )
            s = self._entity_start(c_index) if c_index is not None and c_index < a_start else a_start
            self._mention(key, doc[s].idx, head.idx + len(head.text), s, a_end, "title", _is_subject(head))
            return
        if country is None:
            return
        if c_index is not None and c_index < a_start and head.text[:1].isupper() and head.i > head.sent.start:
            # "Malaysia Airlines", "Washington University": a country's or capital's name before a capitalised
            # noun is the name of one institution; an adjective ("Irish Parliament", "U.S. Forces") is not
            surface = doc[self._entity_start(c_index) : c_index + 1].text
            if doc[c_index + 1].lower_ not in ("'s", "’s") and not is_acronym(surface):
                if not any(e.kind in ("adjective", "demonym") for e in self.kb.lookup(surface)):
                    return
        if former and sector == "GOV":
            sector = "ELI"
        key = f"agent:{country.code}:{sector}"
        s = self._entity_start(c_index) if c_index is not None and c_index < a_start else a_start
        if key not in self.pending:
            adjective = country.adjectives[0] if country.adjectives else country.name
            noun = SECTOR_NAMES.get(sector, term)
            self.pending[key] = PendingActor(
                name=f"{adjective} {noun}", type="group", code=country.code, sector=sector
            )
        self._mention(key, doc[s].idx, head.idx + len(head.text), s, a_end, "title", _is_subject(head))

    def _person_for_title(self, term: str, country: Country | None, former: bool, at: int) -> str | None:
        """The person a bare title refers to: the most recent compatible person in the last few sentences,
        else the single holder of that office of that state on the date."""
        sent = self.sent_index[at]
        for cand in sorted(self.candidates, key=lambda c: c.token_start, reverse=True):
            if cand.token_start >= at:
                continue
            if sent - self.sent_index[cand.token_start] > 2:
                break
            actor = self.pending.get(cand.key)
            if actor is None or actor.type != "person":
                continue
            if country is not None and actor.code != country.code:
                continue
            if not _actor_title_matches(term, actor, self.kb, self.on, former):
                continue
            return cand.key
        if country is not None and not former:
            role, word = PERSON_TITLES.get(term, (None, None))
            if role is None:
                return None
            holders = [
                p
                for p in self.kb.current_holders(country.code, role, self.on)
                if word is None or any(word in (r.title or "").lower() for r in p.roles if r.active(self.on))
            ]
            if len(holders) == 1:
                return self._pending_person(holders[0])
        return None

    def _pronoun(self, i: int, gender: str) -> None:
        """He/she/his/her: the nearest preceding person subject (or the only person) within two sentences."""
        if self._inside_quote(self.doc[i].idx):
            return  # in a quotation "he" is seldom the person the narrative was about
        sent = self.sent_index[i]
        window = []
        for cand in self.candidates:
            if cand.token_start >= i or sent - self.sent_index[cand.token_start] > 2:
                continue
            actor = self.pending.get(cand.key)
            if actor is None or actor.type != "person":
                continue
            known = actor.gender or _HONORIFIC_GENDER.get(
                self.lows[cand.token_start - 1] if cand.token_start else ""
            )
            if known and known != gender:
                continue
            window.append(cand)
        if not window:
            return
        subjects = [c for c in window if c.subject]
        distinct = {c.key for c in window}
        if subjects:
            chosen = max(subjects, key=lambda c: c.token_start)
            if any(chosen.token_start < k < i for k in self.unresolved_people):
                return  # someone else, whom we could not name, came in between ("Bush's remarks ... he")
            choice = chosen.key
        elif len(distinct) == 1 and not any(window[0].token_start < k < i for k in self.unresolved_people):
            choice = window[0].key
        else:
            return
        t = self.doc[i]
        if self.pending[choice].gender is None:
            self.pending[choice].gender = gender  # "he" once, so not "she" later
        self._mention(choice, t.idx, t.idx + len(t.text), i, i + 1, "pronoun", t.dep_.startswith("nsubj"))

    def _inside_quote(self, offset: int) -> bool:
        """Whether ``offset`` lies inside quotation marks opened earlier in the same paragraph."""
        text = self.document.text
        start = text.rfind("\n", 0, offset) + 1
        before = text[start:offset]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

    def _our_country(self, i: int) -> None:
        """'our country' = the state the document is clearly about, if it is named near by."""
        counts = Counter(c.key for c in self.candidates if c.key.startswith("country:"))
        if not counts:
            return
        ranked = counts.most_common(2)
        top, top_count = ranked[0]
        runner = ranked[1][1] if len(ranked) > 1 else 0
        if top_count < 3 or top_count < 1.5 * runner:
            return
        sent = self.sent_index[i]
        if not any(
            c.key == top and 0 <= sent - self.sent_index[c.token_start] <= 2
            for c in self.candidates
            if c.token_start < i
        ):
            return
        head = self.doc[i + 1]
        self._mention(
            top, self.doc[i].idx, head.idx + len(head.text), i, i + 2, "possessive", _is_subject(head)
        )

    # -- bookkeeping ------------------------------------------------------------------------------------------
    def _ensure(self, key: str, item: Any) -> None:
        if key in self.pending:
            return
        if isinstance(item, Country):
            self.pending[key] = PendingActor(
                name=item.name, type="country", code=item.code, sector=None, kb_id=key
            )
        elif isinstance(item, Organization):
            self.pending[key] = PendingActor(
                name=item.name, type="organization", code=item.actor_code, sector=item.actor_sector, kb_id=key
            )
        elif isinstance(item, Group):
            self.pending[key] = PendingActor(
                # a group's sector and state may change over time (the Taliban: REB, then GOV in 2021)
                name=item.name,
                type=item.type,
                code=item.code_on(self.on),
                sector=item.sector_on(self.on),
                kb_id=key,
            )

    def _consume(self, tokens: list[int], country_too: bool) -> None:
        for k in tokens:
            if country_too or self.token_owner[k] is None:
                self.consumed[k] = True

    def _mention(
        self, key: str, start: int, end: int, t_start: int, t_end: int, kind: str, subject: bool = False
    ) -> None:
        if any(self.token_owner[k] == key for k in range(t_start, t_end)) and kind != "title":
            return
        for k in range(t_start, t_end):
            if self.token_owner[k] is None:
                self.token_owner[k] = key
        text = self.document.text[start:end]
        self.candidates.append(Candidate(key, start, end, text, kind, t_start, t_end, subject))

    def actors(self) -> list[Actor]:
        by_key: dict[str, list[Candidate]] = {}
        for cand in sorted(self.candidates, key=lambda c: (c.start, c.end)):
            by_key.setdefault(cand.key, []).append(cand)
        ordered = sorted(by_key.items(), key=lambda kv: kv[1][0].start)
        out = []
        for n, (key, cands) in enumerate(ordered, start=1):
            p = self.pending[key]
            mentions = []
            seen: set[tuple[int, int]] = set()
            for c in cands:
                if (c.start, c.end) in seen:
                    continue
                seen.add((c.start, c.end))
                mentions.append(Mention(c.text, c.start, c.end, self.document.sentence_at(c.start), c.kind))
            out.append(
                Actor(
                    id=f"a{n}",
                    name=p.name,
                    type=p.type,
                    code=p.code,
                    sector=p.sector,
                    mentions=mentions,
                    kb_id=p.kb_id,
                    role=p.role,
                )
            )
        return out


# ---------------------------------------------------------------------------------------------------------
def _looks_like_a_name(words: list[Token]) -> bool:
    """A person's name: one to five capitalised words, no possessive inside, not ending in a place word."""
    if not words or len(words) > 5 or words[-1].lower_ in NON_ACTOR_HEADS:
        return False
    if any(c.isdigit() for w in words for c in w.text):
        return False
    for w in words:
        text = w.text
        if text in ("'s", "’s") or text.lower() in ("the", "of", "and", "for"):
            return False
        if not (
            text[:1].isupper() or text.lower() in ("al", "bin", "de", "van", "von", "da", "del", "la", "le")
        ):
            if not text.lower().startswith(("al-", "el-", "d'")):
                return False
    return True


_NAME_PARTICLES = {
    "de",
    "van",
    "von",
    "da",
    "di",
    "del",
    "della",
    "bin",
    "ibn",
    "ben",
    "al",
    "el",
    "le",
    "du",
    "der",
}


def _particle_name(ent: Span) -> bool:
    """A person's name with a lowercase particle inside: capitalised given name(s), the particle, then a
    capitalised surname ("Staffan de Mistura", "Ursula von der Leyen"), with no other lowercase word."""
    words = [t for t in ent if not t.is_punct]
    if not 3 <= len(words) <= 5 or not words[0].text[:1].isupper() or not words[-1].text[:1].isupper():
        return False
    inner = [w.text for w in words[1:-1] if not w.text[:1].isupper()]
    return (
        bool(inner) and all(w in _NAME_PARTICLES for w in inner) and words[0].lower_ not in ("the", "banco")
    )


def _strip_possessive(text: str) -> str:
    return text[:-2] if text.endswith(("'s", "’s")) else text


def _is_subject(token: Token) -> bool:
    return token.dep_ in ("nsubj", "nsubjpass") or (
        token.dep_ in ("compound", "appos") and token.head.dep_ in ("nsubj", "nsubjpass")
    )


def _title_matches(term: str, state: PersonState, person: Person) -> bool:
    role, word = PERSON_TITLES.get(term, (None, term))
    if state.role is None:
        return False
    if state.role.role == REIGN_ROLE and role in LEADER_ROLES:
        return True  # REIGN names a state's effective leader without the office: a president or a premier
    title = (state.role.title or "").lower()
    if word and word in title:
        return True
    if role and state.role.role == role and (word is None or not title):
        return True
    return word is None and role is None


def _actor_title_matches(term: str, actor: PendingActor, kb: KnowledgeBase, on: date, former: bool) -> bool:
    if actor.person is not None:
        state = kb.person_state(actor.person, on)
        if former != (state.sector == "ELI"):
            return False
        return _title_matches(term, state, actor.person)
    if actor.title is None:
        return False
    return term == actor.title or term.split()[-1] == actor.title.split()[-1]
