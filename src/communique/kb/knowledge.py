"""The actor knowledge base: states, organizations, groups, generic agents and people with dated roles.

The packaged data lives in ``communique/data/kb/`` (schema: ``docs``/``KB_SCHEMA``): ``countries.yaml``,
``organizations.yaml``, ``groups.yaml``, ``agents.tsv`` and ``people/*.yaml``, then the importers' shipped output
in ``imported/*.yaml`` (the Factbook's office holders, REIGN's leader spells: user-format files read after the
written people, so they add roles to people already known). User files go on top, in
this order, each in the same schema (any of the sections ``countries``, ``organizations``, ``groups``,
``people``, ``agents``):

1. the user's own imports (``communique kb import factbook DIR``, ``communique kb import reign CSV``) in the
   user data directory (``$COMMUNIQUE_DATA_DIR`` or ``~/.local/share/communique``), files ``kb-factbook.yaml``
   and ``kb-reign.yaml``;
2. the user override file (argument, ``$COMMUNIQUE_KB_OVERRIDES`` or ``~/.config/communique/kb-overrides.yaml``).

A later entry with the same identity (country ``code``, organization/group ``id``, person ``id``, name or alias)
corrects the earlier one: scalar fields and lists given replace the old ones, except that a person's ``roles``
and ``aliases`` are merged (the Factbook adds a current role to a person the packaged data already knows).

Sectors of a person on a date: GOV while holding any role (or the role's own ``sector``: a senator is LEG, a
chief of staff MIL), OPP during a listed opposition period, ELI after a role ended (a former leader), ``None``
before the first role. A group's sector may change over time: ``sectors: [{sector, start, end}]`` dates it (the
Taliban are REB until 2021-08-14 and GOV of Afghanistan from 2021-08-15); ``sector`` is the default outside
every listed period. The parsed base is cached as a pickle keyed by the
paths, sizes and modification times of every source file, so a process starts in milliseconds.
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import os
import pickle
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from communique.errors import KnowledgeBaseError, UnknownActorError

CACHE_VERSION = 7
FACTBOOK_FILE = "kb-factbook.yaml"
REIGN_FILE = "kb-reign.yaml"
REIGN_ROLE = "leader"  # the role of a REIGN leader spell (communique/kb/reign.py)
IMPORTED_DIR = "imported"  # under the base data directory: the importers' committed output

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
ROLE_FIELDS = frozenset("country role title start end org represented sector note source".split())
SECTORS = frozenset(
    "GOV MIL ELI OPP REB INS LEG JUD COP SPY BUS MED CVL REF EDU REL LAB AGR HLH NGO IGO UAF MNC ENV CRM SEP "
    "PTY MOD RAD UIS IMG".split()
)


# ---------------------------------------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------------------
# Text keys
# ---------------------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------------------
# The knowledge base
# ---------------------------------------------------------------------------------------------------------
class KnowledgeBase:
    """Every entry, with lookups by surface form, ISO3 code, capital, adjective, surname and agent word."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        self.organizations: dict[str, Organization] = {}
        self.groups: dict[str, Group] = {}
        self.people: dict[str, Person] = {}
        self.agents: dict[str, str] = {}  # lowercase term -> sector
        self.sources: list[str] = []
        self._names: dict[str, list[Entry]] = {}
        self._acronyms: dict[str, list[Entry]] = {}
        self._surnames: dict[str, list[str]] = {}  # name_key(surname) -> person ids
        self._iso2: dict[str, str] = {}
        self._person_keys: dict[str, str] = {}  # name_key of every name and alias -> person id, while loading

    # -- loading --------------------------------------------------------------------------------------------
    @classmethod
    def load(
        cls,
        overrides: Path | str | None = None,
        data_dir: Path | str | None = None,
        use_cache: bool = True,
        kb_dir: Path | str | None = None,
    ) -> KnowledgeBase:
        """The packaged base (or ``kb_dir``) plus the Factbook import and the user override file, indexed.

        Raises :class:`KnowledgeBaseError` naming the file, entry and field of the first malformed entry.
        """
        sources = _source_files(overrides, data_dir, kb_dir)
        cache_path = _cache_path(sources) if use_cache else None
        if cache_path is not None and cache_path.exists():
            try:
                with cache_path.open("rb") as fh:
                    kb = pickle.load(fh)
                if isinstance(kb, cls):
                    return kb
            except Exception:  # a stale or partial cache is rebuilt, never trusted
                pass
        kb = cls()
        for kind, path in sources:
            kb._read(kind, path)
        kb._index()
        if cache_path is not None:
            try:
                cache_path.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache_path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(cache_path)
                _prune_cache(cache_path.parent)
            except OSError:  # a read-only home must not stop analysis
                pass
        return kb

    def _read(self, kind: str, path: Path) -> None:
        self.sources.append(str(path))
        text = path.read_text(encoding="utf-8")
        if kind == "agents":
            self._read_agents(text, str(path))
            return
        try:
            data = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(f"{path}: not valid YAML: {exc}") from exc
        if data is None:
            return
        if kind == "user":
            if not isinstance(data, dict):
                raise KnowledgeBaseError(
                    f"{path}: expected a mapping with sections countries/organizations/groups/people/agents"
                )
            unknown = set(data) - {"countries", "organizations", "groups", "people", "agents"}
            if unknown:
                raise KnowledgeBaseError(f"{path}: unknown section(s) {sorted(unknown)}")
            for section in ("countries", "organizations", "groups", "people"):
                if data.get(section):
                    self._read_section(section, data[section], str(path))
            for i, row in enumerate(data.get("agents") or []):
                if not isinstance(row, dict) or "term" not in row or "sector" not in row:
                    raise KnowledgeBaseError(f"{path}: agents entry {i + 1}: needs `term` and `sector`")
                self._add_agent(str(row["term"]), str(row["sector"]), f"{path}: agents entry {i + 1}")
            return
        self._read_section(kind, data, str(path))

    def _read_section(self, section: str, data: Any, where: str) -> None:
        if not isinstance(data, list):
            raise KnowledgeBaseError(f"{where}: `{section}` must be a list of entries")
        for i, raw in enumerate(data):
            label = f"{where}: {section} entry {i + 1}"
            if not isinstance(raw, dict):
                raise KnowledgeBaseError(f"{label}: expected a mapping, got {type(raw).__name__}")
            name = raw.get("name") or raw.get("code") or raw.get("id")
            label = f"{label} ({name})" if name else label
            if section == "countries":
                self._merge_country(raw, label)
            elif section == "organizations":
                self._merge_simple(self.organizations, Organization, raw, label)
            elif section == "groups":
                self._merge_simple(self.groups, Group, raw, label)
            else:
                self._merge_person(raw, label)

    def _merge_country(self, raw: dict[str, Any], label: str) -> None:
        code = raw.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
            raise KnowledgeBaseError(
                f"{label}: field `code` must be an ISO 3166-1 alpha-3 code, got {code!r}"
            )
        old = self.countries.get(code)
        values = _fields(Country, raw, label)
        if old is None:
            if "name" not in values:
                raise KnowledgeBaseError(f"{label}: field `name` is required for a new country")
            self.countries[code] = Country(**values)
        else:
            for key, value in values.items():
                setattr(old, key, value)

    def _merge_simple(self, table: dict[str, Any], klass: type, raw: dict[str, Any], label: str) -> None:
        values = _fields(klass, raw, label)
        if "sectors" in raw:
            if klass is not Group:
                raise KnowledgeBaseError(f"{label}: unknown field `sectors` (only groups have dated sectors)")
            if not isinstance(raw["sectors"], list):
                raise KnowledgeBaseError(f"{label}: field `sectors` must be a list of {{sector, start, end}}")
            values["sectors"] = [
                _sector_period(p, f"{label}: sectors {j + 1}") for j, p in enumerate(raw["sectors"])
            ]
        ident = values.get("id")
        if not isinstance(ident, str) or not ident:
            raise KnowledgeBaseError(f"{label}: field `id` is required")
        for key in ("members", "observers"):
            for code in values.get(key) or []:
                if not isinstance(code, str):
                    raise KnowledgeBaseError(f"{label}: field `{key}` must list ISO3 codes, got {code!r}")
        if values.get("sector") and values["sector"] not in SECTORS:
            raise KnowledgeBaseError(f"{label}: field `sector`: unknown sector {values['sector']!r}")
        if klass is Group and values.get("type", "group") not in ("group", "region"):
            raise KnowledgeBaseError(f"{label}: field `type` must be group or region, got {values['type']!r}")
        old = table.get(ident)
        if old is None:
            if "name" not in values:
                raise KnowledgeBaseError(f"{label}: field `name` is required for a new entry")
            table[ident] = klass(**values)
        else:
            for key, value in values.items():
                setattr(old, key, value)

    def _merge_person(self, raw: dict[str, Any], label: str) -> None:
        raw = dict(raw)
        roles_raw = raw.pop("roles", None) or []
        opposition_raw = raw.pop("opposition", None) or []
        if not isinstance(roles_raw, list):
            raise KnowledgeBaseError(f"{label}: field `roles` must be a list")
        roles = [_role(r, f"{label}: role {j + 1}") for j, r in enumerate(roles_raw)]
        if not isinstance(opposition_raw, list):
            raise KnowledgeBaseError(f"{label}: field `opposition` must be a list")
        opposition = [_period(p, f"{label}: opposition {j + 1}") for j, p in enumerate(opposition_raw)]
        values = _fields(Person, {"id": raw.get("id") or "-", **raw}, label)
        if not isinstance(values.get("name"), str) or not values["name"].strip():
            raise KnowledgeBaseError(f"{label}: field `name` is required")
        if values.get("gender") not in (None, "m", "f"):
            raise KnowledgeBaseError(f"{label}: field `gender` must be m or f")
        old = self._find_person(raw.get("id"), [values["name"], *values.get("aliases", [])])
        if old is None:
            ident = raw.get("id") or slug(values["name"])
            if ident in self.people:  # two different people with one name: keep both, told apart by country
                first = roles[0].country.lower() if roles else str(len(self.people))
                ident = f"{ident}-{first}"
            values["id"] = ident
            self.people[ident] = person = Person(**values, roles=roles, opposition=opposition)
            for name in person.names():
                self._person_keys.setdefault(name_key(name), ident)
                self._person_keys.setdefault(name_key(name.replace("-", " ")), ident)
            return
        for alias in [values["name"], *values.get("aliases", [])]:
            if name_key(alias) not in {name_key(n) for n in old.names()}:
                old.aliases.append(alias)
                self._person_keys.setdefault(name_key(alias), old.id)
        for key in ("surname", "gender"):
            if values.get(key):
                setattr(old, key, values[key])
        if raw.get("replace_roles"):
            old.roles = []
        known = {(r.country, r.role, r.start) for r in old.roles}
        for role in roles:
            same = [
                r for r in old.roles if r.country == role.country and r.role == role.role and r.end is None
            ]
            if (role.country, role.role, role.start) in known:
                continue
            if same and role.end is None and role.start is not None:
                # Two open-ended terms of the same office: the later source knows the current start date.
                for r in same:
                    if r.start is not None and abs((r.start - role.start).days) < 400:
                        r.start = min(r.start, role.start)
                        break
                else:
                    old.roles.append(role)
            else:
                old.roles.append(role)
        old.opposition.extend(opposition)

    def _find_person(self, ident: Any, names: list[str]) -> Person | None:
        """The person an entry corrects: by ``id`` when it has one, else by any of its names."""
        if isinstance(ident, str) and ident:
            return self.people.get(ident)  # an explicit new id is a new person, even with a known name
        for name in names:
            if not isinstance(name, str):
                continue
            # "Salman bin Hamad Al-Khalifa" (the Factbook) is "Salman bin Hamad Al Khalifa" (the written data)
            for key in dict.fromkeys([name_key(name), name_key(name.replace("-", " "))]):
                ident = self._person_keys.get(key)
                if ident is not None:
                    return self.people[ident]
        return None

    def _read_agents(self, text: str, where: str) -> None:
        lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        for i, row in enumerate(csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")):
            if i == 0 and row and row[0].strip().lower() == "term":
                continue
            if len(row) < 2:
                raise KnowledgeBaseError(f"{where}: row {i + 1} ({row!r}): needs term<TAB>sector")
            self._add_agent(row[0], row[1], f"{where}: row {i + 1} ({row[0]!r})")

    def _add_agent(self, term: str, sector: str, label: str) -> None:
        sector = sector.strip().split("/")[0].strip().rstrip("?")
        if sector not in SECTORS:
            raise KnowledgeBaseError(f"{label}: field `sector`: unknown sector {sector!r}")
        self.agents[" ".join(term.lower().split())] = sector

    # -- indexing -------------------------------------------------------------------------------------------
    def _index(self) -> None:
        self._names, self._acronyms, self._surnames = {}, {}, {}
        self._iso2 = {c.iso2: c.code for c in self.countries.values() if c.iso2}
        for c in self.countries.values():
            for name in c.names():
                self._add(name, Entry("country", c.kb_id, c.name))
            if c.capital:
                for name in [c.capital, *c.capital_aliases]:
                    self._add(name, Entry("capital", c.kb_id, c.name))
            for name in c.seat_metonyms:
                self._add(name, Entry("seat", c.kb_id, c.name))
            for name in c.adjectives:
                self._add(name, Entry("adjective", c.kb_id, c.name))
            for name in c.demonyms:
                self._add(name, Entry("demonym", c.kb_id, c.name))
        for o in self.organizations.values():
            for name in o.names():
                self._add(name, Entry("organization", o.kb_id, o.name))
            for name in o.acronyms:
                self._add(name, Entry("organization", o.kb_id, o.name), acronym=True)
            for name in o.bare_names:
                self._add(name, Entry("organization", o.kb_id, o.name))
        for g in self.groups.values():
            for name in g.names():
                self._add(name, Entry("group", g.kb_id, g.name))
            for name in g.acronyms:
                self._add(name, Entry("group", g.kb_id, g.name), acronym=True)
            for name in g.adjectives:
                self._add(name, Entry("adjective", g.kb_id, g.name))
            for name in g.bare_names:
                self._add(name, Entry("group", g.kb_id, g.name))
        for p in self.people.values():
            for name in p.matched_names():
                self._add(name, Entry("person", p.kb_id, p.name))
            for surname in p.surnames():
                ids = self._surnames.setdefault(name_key(surname), [])
                if p.id not in ids:
                    ids.append(p.id)

    def _add(self, surface: str, entry: Entry, acronym: bool = False) -> None:
        if not isinstance(surface, str) or not surface.strip():
            return
        if acronym or is_acronym(surface):
            table, key = self._acronyms, surface.strip()
        else:
            table, key = self._names, name_key(surface)
        found = table.setdefault(key, [])
        if entry not in found:
            found.append(entry)

    # -- lookups --------------------------------------------------------------------------------------------
    def lookup(self, surface: str) -> list[Entry]:
        """Entries a surface form denotes: acronyms by exact case, names case- and accent-insensitively."""
        surface = surface.strip()
        found = list(self._acronyms.get(surface, []))
        if not is_acronym(surface) or not found:
            found += [e for e in self._names.get(name_key(surface), []) if e not in found]
        if not found and surface.endswith(("'s", "’s")):
            return self.lookup(surface[:-2])
        return found

    def entry(self, kb_id: str) -> Country | Organization | Group | Person | None:
        """The entry behind an ``Entry.kb_id`` such as ``country:AZE`` or ``person:ilham-aliyev``."""
        kind, _, ident = kb_id.partition(":")
        tables: dict[str, dict[str, Any]] = {
            "country": self.countries,
            "organization": self.organizations,
            "group": self.groups,
            "person": self.people,
        }
        table = tables.get(kind, {})
        return table.get(ident)

    def country(self, code: str) -> Country | None:
        """A state by ISO3 (or ISO2) code."""
        code = code.upper()
        return self.countries.get(code) or self.countries.get(self._iso2.get(code, ""))

    def country_named(self, surface: str) -> Country | None:
        """The state a name, capital, adjective or demonym denotes ("Kirghizia", "Ankara", "Azeri")."""
        for e in self.lookup(surface):
            if e.kb_id.startswith("country:") and e.kind in (
                "country",
                "capital",
                "adjective",
                "demonym",
                "seat",
            ):
                return self.countries.get(e.kb_id.partition(":")[2])
        return None

    def capital_of(self, surface: str) -> Country | None:
        for e in self.lookup(surface):
            if e.kind == "capital":
                return self.countries.get(e.kb_id.partition(":")[2])
        return None

    def adjective_of(self, surface: str) -> Country | None:
        for e in self.lookup(surface):
            if e.kind in ("adjective", "demonym") and e.kb_id.startswith("country:"):
                return self.countries.get(e.kb_id.partition(":")[2])
        return None

    def agent_sector(self, term: str) -> str | None:
        """The sector of a generic agent word ("troops" -> MIL), trying the singular of a plural."""
        key = " ".join(term.lower().split())
        if key in self.agents:
            return self.agents[key]
        for suffix, repl in (("ies", "y"), ("es", ""), ("s", "")):
            if key.endswith(suffix) and key[: -len(suffix)] + repl in self.agents:
                return self.agents[key[: -len(suffix)] + repl]
        return None

    def people_named(self, name: str) -> list[Person]:
        """People whose full name or alias is ``name``; failing that, whose surname is ``name``."""
        full = [self.people[e.kb_id.partition(":")[2]] for e in self.lookup(name) if e.kind == "person"]
        if full:
            return full
        return [self.people[i] for i in self._surnames.get(name_key(name), [])]

    def people_with_surname(self, surname: str) -> list[Person]:
        return [self.people[i] for i in self._surnames.get(name_key(surname), [])]

    def surnames(self) -> Iterator[str]:
        yield from self._surnames

    def resolve_person(self, person: Person | str, on: date | None = None) -> PersonState | None:
        """What a person is on ``on`` (default today): GOV during a role, OPP in opposition, ELI after, None before.

        A name that matches several people prefers the one holding a role on that date.
        """
        on = on or date.today()
        if isinstance(person, str):
            candidates = self.people_named(person)
            if not candidates:
                return None
            states = [self.person_state(p, on) for p in candidates]
            states.sort(key=lambda s: {"GOV": 0, "OPP": 1, "ELI": 2}.get(s.sector or "", 3))
            return states[0]
        return self.person_state(person, on)

    def person_state(self, person: Person, on: date) -> PersonState:
        active = [r for r in person.roles if r.active(on)]
        if active:
            active.sort(key=lambda r: (r.represented, ROLE_RANK.get(r.role, 9), r.start or date.min))
            role = active[0]
            sector = role.sector or ("IGO" if role.country == "IGO" else "GOV")
            return PersonState(person, on, role.country, sector, role, self.role_text(role))
        for period in person.opposition:
            if period.active(on):
                code = period.country or _last_country(person)
                return PersonState(person, on, code, "OPP", None, "opposition figure")
        past = [r for r in person.roles if r.end is not None and r.end < on]
        if past:
            past.sort(key=lambda r: (r.end or date.min, -ROLE_RANK.get(r.role, 9)), reverse=True)
            home = [r for r in past if not r.represented] or past
            role = home[0]
            return PersonState(person, on, role.country, "ELI", role, f"former {self.role_text(role)}")
        first = sorted(person.roles, key=lambda r: r.start or date.min)
        code = next((r.country for r in first if not r.represented), first[0].country if first else None)
        return PersonState(person, on, code, None, None, None)

    def role_text(self, role: Role) -> str:
        title = role.title or ROLE_TITLES.get(role.role, role.role.replace("_", " ").title())
        if role.country == "IGO" and " of " in title:
            return title  # "President of the World Bank" already names what it heads
            org = self.organizations.get(role.org)
            return f"{title} of {org.name if org else role.org}"
        group = self.groups.get(role.org) if role.org else None
        if group is not None:
            return f"{title} of {group.name}"  # "Secretary-General of Hezbollah": the group says where
        country = self.countries.get(role.country)
        if country is not None and _names_place(title, country, self):
            return title  # "U.S. Senator", "First Minister of Scotland", "Mayor of London" already say where
        return f"{title} of {country.name if country else role.country}"

    def actor_code(self, name: str, on: date | None = None) -> str:
        """The state code a name typed by a user stands for: an ISO3 or ISO2 code in any case ("tur"), a
        state's name, former name, capital or adjective ("Turkey", "Ankara", "Turkish"), a person by the state
        they serve or served on ``on`` (default today: "Erdogan" is TUR), or a national body by its state.

        Raises :class:`UnknownActorError` naming the nearest names the knowledge base knows.
        """
        text = " ".join(name.split())
        if re.fullmatch(r"[A-Za-z]{3}", text) and text.upper() in self.countries:
            return text.upper()
        country = self.country_named(text)
        if country is None and re.fullmatch(r"[A-Za-z]{2}", text):
            country = self.country(text)
        if country is not None:
            return country.code
        state = self.resolve_person(text, on or date.today()) if text else None
        if state is not None and state.code in self.countries:
            return state.code
        for entry in self.lookup(text) if text else []:
            item = self.entry(entry.kb_id)
            code = (
                item.code
                if isinstance(item, Organization)
                else item.code_on(on or date.today())
                if isinstance(item, Group)
                else None
            )
            if code in self.countries:
                return str(code)
        nearest = self.nearest_names(text)
        hint = f"; nearest: {', '.join(nearest)}" if nearest else ""
        raise UnknownActorError(f"{name!r} names no state or person in the knowledge base{hint}", nearest)

    def nearest_names(self, name: str, n: int = 5) -> list[str]:
        """The names of states (and their codes) and of people closest in spelling to ``name``."""
        labels: dict[str, str] = {}
        for c in self.countries.values():
            for label in (c.code, c.name, *c.aliases):
                labels.setdefault(name_key(label), f"{c.name} ({c.code})")
        for p in self.people.values():
            labels.setdefault(name_key(p.name), p.name)
            for surname in p.surnames():
                labels.setdefault(name_key(surname), p.name)
        keys = difflib.get_close_matches(name_key(name), list(labels), n=n * 3, cutoff=0.6)
        return list(dict.fromkeys(labels[k] for k in keys))[:n]

    def current_holders(self, code: str, role: str, on: date) -> list[Person]:
        """People holding ``role`` (e.g. head_of_state) of ``code`` on ``on``."""
        return [
            p
            for p in self.people.values()
            if any(r.country == code and r.role == role and r.active(on) for r in p.roles)
        ]

    def describe(self, name: str, on: date | None = None) -> list[dict[str, Any]]:
        """Every entry ``name`` denotes, as plain dicts of what it resolves to on ``on`` (for `kb show`)."""
        on = on or date.today()
        out: list[dict[str, Any]] = []
        entries = self.lookup(name)
        if not entries:
            entries = [Entry("person", p.kb_id, p.name) for p in self.people_with_surname(name)]
        code = self.country(name) if re.fullmatch(r"[A-Za-z]{3}", name.strip()) else None
        if code and not any(e.kb_id == code.kb_id for e in entries):
            entries.insert(0, Entry("country", code.kb_id, code.name))
        for e in entries:
            item = self.entry(e.kb_id)
            row: dict[str, Any] = {"matched_as": e.kind, "kb_id": e.kb_id, "name": e.name}
            if isinstance(item, Country):
                row.update(
                    type="country",
                    code=item.code,
                    sector="GOV" if e.kind in ("capital", "seat") else None,
                    capital=item.capital,
                    aliases=[*item.aliases, *item.former],
                    adjectives=item.adjectives,
                )
            elif isinstance(item, Organization):
                row.update(
                    type="organization",
                    code=item.actor_code,
                    sector=item.actor_sector,
                    aliases=[*item.acronyms, *item.aliases, *item.former],
                    members=item.members,
                )
            elif isinstance(item, Group):
                row.update(
                    type=item.type,
                    code=item.code_on(on),
                    sector=item.sector_on(on),
                    aliases=[*item.aliases, *item.adjectives],
                    members=item.members,
                )
            elif isinstance(item, Person):
                state = self.person_state(item, on)
                row.update(
                    type="person",
                    code=state.code,
                    sector=state.sector,
                    role=state.role_text,
                    aliases=item.aliases,
                    roles=[
                        f"{self.role_text(r)} ({r.start or '?'} - {r.end or 'present'})"
                        + (" [represented]" if r.represented else "")
                        for r in sorted(item.roles, key=lambda r: r.start or date.min)
                    ],
                )
            out.append(row)
        sector = self.agent_sector(name)
        if sector and not out:
            out.append({"matched_as": "agent", "type": "agent", "name": name, "sector": sector})
        return out

    def __len__(self) -> int:
        return len(self.countries) + len(self.organizations) + len(self.groups) + len(self.people)


# ---------------------------------------------------------------------------------------------------------
# Files
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML loader that keeps dates as text, so a bad date is reported with its entry and field."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


# ---------------------------------------------------------------------------------------------------------
def user_data_dir() -> Path:
    """Where `kb import` writes: ``$COMMUNIQUE_DATA_DIR`` or ``~/.local/share/communique``."""
    env = os.environ.get("COMMUNIQUE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "communique"


def overrides_path(overrides: Path | str | None = None) -> Path:
    if overrides is not None:
        return Path(overrides).expanduser()
    env = os.environ.get("COMMUNIQUE_KB_OVERRIDES")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "communique" / "kb-overrides.yaml"


def packaged_kb_dir() -> Path:
    """The base data directory: ``$COMMUNIQUE_KB_DIR`` (a whole replacement base) or the packaged one."""
    env = os.environ.get("COMMUNIQUE_KB_DIR")
    if env:
        return Path(env).expanduser()
    return Path(str(resources.files("communique") / "data" / "kb"))


def _source_files(
    overrides: Path | str | None, data_dir: Path | str | None, kb_dir: Path | str | None = None
) -> list[tuple[str, Path]]:
    kb_dir = Path(kb_dir) if kb_dir is not None else packaged_kb_dir()
    files: list[tuple[str, Path]] = []
    for name, kind in (
        ("countries.yaml", "countries"),
        ("organizations.yaml", "organizations"),
        ("groups.yaml", "groups"),
        ("agents.tsv", "agents"),
    ):
        if (kb_dir / name).exists():
            files.append((kind, kb_dir / name))
    people_dir = kb_dir / "people"
    if people_dir.is_dir():
        files += [("people", p) for p in sorted(people_dir.glob("*.yaml"))]
    # the importers' shipped output (Factbook office holders, REIGN leader spells), read after the written
    # files so that it adds roles to the people they already know instead of making second entries
    imported_dir = kb_dir / IMPORTED_DIR
    if imported_dir.is_dir():
        files += [("user", p) for p in sorted(imported_dir.glob("*.yaml"))]
    user_dir = Path(data_dir).expanduser() if data_dir is not None else user_data_dir()
    for imported in (FACTBOOK_FILE, REIGN_FILE):
        if (user_dir / imported).exists():
            files.append(("user", user_dir / imported))
    user = overrides_path(overrides)
    if overrides is not None and not user.exists():
        raise KnowledgeBaseError(f"{user}: override file not found")
    if user.exists():
        files.append(("user", user))
    return files


def _cache_path(sources: Iterable[tuple[str, Path]]) -> Path | None:
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    code = Path(__file__).stat()  # a new version of this module may shape entries differently
    digest.update(f"{code.st_size}|{code.st_mtime_ns}".encode())
    for kind, path in sources:
        try:
            st = path.stat()
        except OSError:
            return None
        digest.update(f"{kind}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "communique" / f"kb-{digest.hexdigest()[:16]}.pickle"


def _prune_cache(directory: Path, keep: int = 8) -> None:
    """Keep the few most recent cached bases; each edit of a data file leaves an outdated one behind."""
    cached = sorted(directory.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[keep:]:
        old.unlink(missing_ok=True)


def _fields(klass: type, raw: dict[str, Any], label: str) -> dict[str, Any]:
    """The known fields of ``raw`` for ``klass``, type-checked (lists of strings, strings)."""
    allowed = {f.name: f for f in fields(klass)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("roles", "opposition", "replace_roles", "sectors", "note", "notes", "source", "sources"):
            continue
        if key not in allowed:
            raise KnowledgeBaseError(f"{label}: unknown field `{key}`")
        if allowed[key].default_factory is list:
            if value is None:
                value = []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise KnowledgeBaseError(f"{label}: field `{key}` must be a list of strings")
        elif value is not None and not isinstance(value, str):
            if isinstance(value, (int, float)) and key in ("name", "official", "capital"):
                value = str(value)
            elif key == "represented":
                value = bool(value)
            else:
                raise KnowledgeBaseError(f"{label}: field `{key}` must be text, got {value!r}")
        values[key] = value
    return values


def _date(value: Any, label: str, key: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "{}"), (r"\d{4}-\d{2}", "{}-01"), (r"\d{4}", "{}-01-01")):
        if re.fullmatch(pattern, text):
            try:
                return date.fromisoformat(fmt.format(text))
            except ValueError:
                break
    raise KnowledgeBaseError(f"{label}: field `{key}` must be a date YYYY-MM-DD, got {value!r}")


def _role(raw: Any, label: str) -> Role:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{label}: expected a mapping with country, role, start, end")
    unknown = set(raw) - ROLE_FIELDS
    if unknown:
        raise KnowledgeBaseError(f"{label}: unknown field(s) {sorted(unknown)}")
    country, role = raw.get("country"), raw.get("role")
    if not isinstance(country, str) or not re.fullmatch(r"[A-Z]{3}", country):
        raise KnowledgeBaseError(f"{label}: field `country` must be an ISO3 code or IGO, got {country!r}")
    if not isinstance(role, str) or not role:
        raise KnowledgeBaseError(f"{label}: field `role` is required")
    start, end = _date(raw.get("start"), label, "start"), _date(raw.get("end"), label, "end")
    if start and end and end < start:
        raise KnowledgeBaseError(f"{label}: `end` {end} is before `start` {start}")
    title = raw.get("title")
    sector = raw.get("sector")
    if sector is not None and sector not in SECTORS:
        raise KnowledgeBaseError(f"{label}: field `sector`: unknown sector {sector!r}")
    return Role(
        country=country,
        role=role,
        title=str(title) if title else None,
        start=start,
        end=end,
        org=raw.get("org"),
        represented=bool(raw.get("represented", False)),
        sector=sector,
    )


def _period(raw: Any, label: str) -> Period:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{label}: expected a mapping with start, end")
    return Period(
        _date(raw.get("start"), label, "start"), _date(raw.get("end"), label, "end"), raw.get("country")
    )


def _sector_period(raw: Any, label: str) -> SectorPeriod:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{label}: expected a mapping with sector, start, end")
    unknown = set(raw) - {"sector", "start", "end", "code", "note"}
    if unknown:
        raise KnowledgeBaseError(f"{label}: unknown field(s) {sorted(unknown)}")
    sector, code = raw.get("sector"), raw.get("code")
    if sector not in SECTORS:
        raise KnowledgeBaseError(f"{label}: field `sector`: unknown sector {sector!r}")
    if code is not None and (not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code)):
        raise KnowledgeBaseError(f"{label}: field `code` must be an ISO3 code, got {code!r}")
    start, end = _date(raw.get("start"), label, "start"), _date(raw.get("end"), label, "end")
    if start and end and end < start:
        raise KnowledgeBaseError(f"{label}: `end` {end} is before `start` {start}")
    return SectorPeriod(sector=str(sector), start=start, end=end, code=code)


def _names_place(title: str, country: Country, kb: KnowledgeBase) -> bool:
    """Whether a role title already names its state ("U.S. Senator") or a place ("Governor of ..., United
    States", "First Minister of Scotland", "Mayor of London"), so "of <state>" would repeat or confuse it."""
    words = f" {title} "
    for name in [country.name, *country.aliases, *country.adjectives]:
        if len(name) > 1 and f" {name} " in words.replace(",", " "):
            return True
    place = title.rpartition(" of ")[2].removeprefix("the ")
    return bool(place) and " of " in title and any(e.kind != "person" for e in kb.lookup(place))


def _last_country(person: Person) -> str | None:
    roles = sorted(person.roles, key=lambda r: r.start or date.min)
    return roles[-1].country if roles else None
