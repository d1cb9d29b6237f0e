"""The knowledge base's data model: its entries (states, organizations, groups, people with dated roles), what a
person is on a date, and the text keys under which names are looked up.

    Country, Organization, Group (with dated SectorPeriods), Person (with Roles and opposition Periods)
    PersonState       what a person is on a date: code, sector, the role held (or last held) and its text
    Entry             one entry a surface form denotes, and how (as a name, a capital, an adjective...)
    name_key(text)    the case-, accent- and spacing-insensitive key of a name ("Türkiye" = "turkiye")
    is_acronym(text)  acronyms are matched by exact case, names are not

Loading and merging the data files is :mod:`communique.kb.load`; the index of surface forms
:mod:`communique.kb.index`; the queries :class:`communique.kb.knowledge.KnowledgeBase`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

REIGN_ROLE = "leader"  # the role of a REIGN leader spell (communique/kb/reign.py)

# Order of importance when a person holds several roles at once: the first decides the role text.
ROLE_RANK = {
    "monarch": 0,
    "supreme_leader": 0,
    "head_of_state": 1,
    "head_of_government": 2,
    "deputy_head_of_government": 3,
    "leader": 3,  # REIGN's effective national leader (data/kb/imported/reign.yaml)
    "foreign_minister": 4,
    "defence_minister": 5,
    "igo_head": 1,
    # offices beyond the schema's core ones (people/offices.yaml): a minister or speaker outranks a seat
    "minister": 6,
    "speaker": 6,
    "legislator": 8,
}
ROLE_TITLES = {
    "monarch": "Monarch",
    "supreme_leader": "Supreme Leader",
    "head_of_state": "Head of State",
    "head_of_government": "Head of Government",
    "deputy_head_of_government": "Deputy Head of Government",
    "foreign_minister": "Foreign Minister",
    "defence_minister": "Defence Minister",
    "igo_head": "Head",
    "leader": "Leader",
}
SECTORS = frozenset(
    "GOV MIL ELI OPP REB INS LEG JUD COP SPY BUS MED CVL REF EDU REL LAB AGR HLH NGO IGO UAF MNC ENV CRM SEP "
    "PTY MOD RAD UIS IMG".split()
)


@dataclass
class Country:
    code: str
    name: str
    iso2: str | None = None
    official: str | None = None
    aliases: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    capital: str | None = None
    capital_aliases: list[str] = field(default_factory=list)
    seat_metonyms: list[str] = field(default_factory=list)
    un_status: str | None = None

    @property
    def kb_id(self) -> str:
        return f"country:{self.code}"

    def names(self) -> list[str]:
        """Every name that denotes the state itself (not its capital or people)."""
        return [self.name, *([self.official] if self.official else []), *self.aliases, *self.former]


@dataclass
class Organization:
    id: str
    name: str
    acronyms: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    former: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    observers: list[str] = field(default_factory=list)
    kind: str = "igo"
    # names that denote it only where spaCy itself finds them as a whole entity ("Security Council" alone):
    # looked up, never matched by the entity ruler, so "Virginia General Assembly" is not cut apart
    bare_names: list[str] = field(default_factory=list)
    parent: str | None = None
    code: str | None = None  # a national body (a state's company, party...) may name its state
    sector: str | None = None

    @property
    def kb_id(self) -> str:
        return f"organization:{self.id}"

    @property
    def actor_code(self) -> str | None:
        """The contract code: "IGO" for international organizations, else the state it belongs to."""
        if self.code:
            return self.code
        return "IGO" if self.kind in ("igo", "military_alliance", "economic_bloc", "forum", "court") else None

    @property
    def actor_sector(self) -> str | None:
        if self.sector:
            return self.sector
        return {"ngo": "NGO", "court": "IGO"}.get(self.kind, "IGO" if self.actor_code == "IGO" else None)

    def names(self) -> list[str]:
        return [self.name, *self.aliases, *self.former]


@dataclass
class SectorPeriod:
    """A stretch of time in which a group had one sector (and possibly another home state)."""

    sector: str
    start: date | None = None
    end: date | None = None
    code: str | None = None

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass
class Group:
    id: str
    name: str
    type: str = "group"  # group | region
    aliases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    # words that name the group only where the parser already sees a nationality-like word ("Republican
    # lawmakers", "Kurdish fighters"): looked up, never matched by the entity ruler, so "Liberal Democratic
    # Party" or "Republican Guard" are not cut apart
    adjectives: list[str] = field(default_factory=list)
    bare_names: list[str] = field(default_factory=list)  # as for organizations: looked up, not ruler-matched
    members: list[str] = field(default_factory=list)
    code: str | None = None
    sector: str | None = None
    sectors: list[SectorPeriod] = field(default_factory=list)  # dated sectors; ``sector`` outside them

    @property
    def kb_id(self) -> str:
        return f"group:{self.id}"

    def sector_on(self, on: date | None) -> str | None:
        """The group's sector on ``on``: the listed period covering that date, else the undated ``sector``."""
        if on is not None:
            for period in self.sectors:
                if period.active(on):
                    return period.sector
        return self.sector

    def code_on(self, on: date | None) -> str | None:
        """The group's state on ``on``: a dated period may name another one, else the undated ``code``."""
        if on is not None:
            for period in self.sectors:
                if period.active(on) and period.code:
                    return period.code
        return self.code

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


@dataclass
class Role:
    country: str  # ISO3, or "IGO" with ``org``
    role: str
    title: str | None = None
    start: date | None = None
    end: date | None = None
    org: str | None = None
    represented: bool = False  # an absentee sovereign (King Charles III in Canada): not the home country
    sector: str | None = None  # the sector while held, when not GOV (a senator LEG, a chief of staff MIL)

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass
class Period:
    start: date | None = None
    end: date | None = None
    country: str | None = None

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass
class Person:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    opposition: list[Period] = field(default_factory=list)
    surname: str | None = None
    gender: str | None = None  # "m" | "f" when known; lets "he"/"she" skip the wrong person

    @property
    def kb_id(self) -> str:
        return f"person:{self.id}"

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def matched_names(self) -> list[str]:
        """The names that denote the person wherever they occur: every name, except the lone surname under
        which REIGN lists a leader nothing else knows ("Thompson", "Christian"), which is only a surname."""
        if self.surname_only():
            return []
        return self.names()

    def surname_only(self) -> bool:
        return (
            " " not in self.name.strip()
            and bool(self.roles)
            and all(r.role == REIGN_ROLE for r in self.roles)
        )

    def surnames(self) -> list[str]:
        """The surnames the text may use alone ("Aliyev"): explicit, else the last word of each name."""
        found: list[str] = []
        if self.surname:
            found.append(self.surname)
        if self.surname_only():
            found.append(self.name.strip())
        for name in self.names():
            words = [w for w in name.replace(",", " ").split() if w.lower().rstrip(".") not in _NAME_SUFFIXES]
            if len(words) >= 2 and words[-1] not in found and not _ROMAN.fullmatch(words[-1]):
                found.append(words[-1])
        return found


_NAME_SUFFIXES = {"jr", "sr"}
_ROMAN = re.compile(r"[IVX]+")


@dataclass
class PersonState:
    """What a person is on a given date."""

    person: Person
    on: date
    code: str | None
    sector: str | None
    role: Role | None  # the role held (or last held, for ELI)
    role_text: str | None  # "President of Azerbaijan", "former President of Kazakhstan"


@dataclass(frozen=True)
class Entry:
    """One knowledge-base entry a surface form can denote, and how (``kind``)."""

    kind: str  # country | capital | adjective | demonym | seat | organization | group | person
    kb_id: str
    name: str


_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "ʼ": "'"})


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The case-, accent- and spacing-insensitive key under which names are looked up ("Türkiye" = "turkiye")."""
    text = unicodedata.normalize("NFKD", text.translate(_DASHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ı", "i").replace("ə", "a").replace("Ə", "a").replace("ł", "l").replace("ø", "o")
    text = re.sub(r"^the\s+", "", text.casefold().strip())
    return " ".join(text.split())


def is_acronym(text: str) -> bool:
    """Acronyms ("UN", "U.S.", "OSCE", "OPEC+") are matched case-sensitively; names are not."""
    core = text.replace(".", "").replace("+", "").replace("-", "").replace("&", "")
    return 1 < len(core) <= 8 and core.isupper() and " " not in text.strip()


def slug(text: str) -> str:
    key = name_key(text)
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")
