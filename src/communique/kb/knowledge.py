"""The actor knowledge base: states, organizations, groups, generic agents and people with dated roles, and the
questions the stages, the CLI and the API ask of it.

    KnowledgeBase.load(overrides=None, data_dir=None, kb_dir=None)   the packaged base, user imports, overrides
    kb.lookup(surface) -> [Entry]           what a surface form denotes
    kb.resolve_person(name, on)             what a person is on a date (code, sector, role)
    kb.actor_code(name, on)                 the state a name typed by a user stands for (or UnknownActorError)
    kb.country(code), kb.country_named(name), kb.capital_of(name), kb.adjective_of(name), kb.agent_sector(term)

The entries are :mod:`communique.kb.model`'s; which files are read and how they are merged is
:mod:`communique.kb.load`; the index of surface forms :mod:`communique.kb.index`.

Sectors of a person on a date: GOV while holding any role (or the role's own ``sector``: a senator is LEG, a
chief of staff MIL), OPP during a listed opposition period, ELI after a role ended (a former leader), ``None``
before the first role. A group's sector may change over time: ``sectors: [{sector, start, end}]`` dates it (the
Taliban are REB until 2021-08-14 and GOV of Afghanistan from 2021-08-15); ``sector`` is the default outside
every listed period. The loaded base is cached as a pickle keyed by the paths, sizes and modification times of
every source file (:func:`communique.kb.load.cache_path`), so a process starts in milliseconds.
"""

from __future__ import annotations

import difflib
import os
import pickle
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from communique.errors import UnknownActorError
from communique.kb.index import NameIndex
from communique.kb.load import Entries, cache_path, prune_cache, read_entries, source_files
from communique.kb.model import (
    ROLE_RANK,
    ROLE_TITLES,
    Country,
    Entry,
    Group,
    Organization,
    Person,
    PersonState,
    Role,
    name_key,
)


class KnowledgeBase:
    """Every entry, with lookups by surface form, ISO3 code, capital, adjective, surname and agent word."""

    def __init__(self, entries: Entries | None = None) -> None:
        entries = entries if entries is not None else Entries()
        self.countries: dict[str, Country] = entries.countries
        self.organizations: dict[str, Organization] = entries.organizations
        self.groups: dict[str, Group] = entries.groups
        self.people: dict[str, Person] = entries.people
        self.agents: dict[str, str] = entries.agents  # lowercase term -> sector
        self.sources: list[str] = entries.sources
        self.index = NameIndex.build(entries)

    @classmethod
    def load(
        cls,
        overrides: Path | str | None = None,
        data_dir: Path | str | None = None,
        use_cache: bool = True,
        kb_dir: Path | str | None = None,
    ) -> KnowledgeBase:
        """The packaged base (or ``kb_dir``) plus the user's imports and the user override file, indexed.

        Raises :class:`KnowledgeBaseError` naming the file, entry and field of the first malformed entry.
        """
        sources = source_files(overrides, data_dir, kb_dir)
        cached = cache_path(sources) if use_cache else None
        if cached is not None and cached.exists():
            try:
                with cached.open("rb") as fh:
                    kb = pickle.load(fh)
                if isinstance(kb, cls):
                    return kb
            except Exception:  # a stale or partial cache is rebuilt, never trusted
                pass
        kb = cls(read_entries(sources))
        if cached is not None:
            try:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(cached)
                prune_cache(cached.parent)
            except OSError:  # a read-only home must not stop analysis
                pass
        return kb

    # -- lookups --------------------------------------------------------------------------------------------
    def lookup(self, surface: str) -> list[Entry]:
        """Entries a surface form denotes: acronyms by exact case, names case- and accent-insensitively."""
        return self.index.lookup(surface)

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
        return self.countries.get(code) or self.countries.get(self.index.iso2.get(code, ""))

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
        return [self.people[i] for i in self.index.surname_ids(name)]

    def people_with_surname(self, surname: str) -> list[Person]:
        return [self.people[i] for i in self.index.surname_ids(surname)]

    def surnames(self) -> Iterator[str]:
        yield from self.index.surnames

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

    def __len__(self) -> int:
        return len(self.countries) + len(self.organizations) + len(self.groups) + len(self.people)


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
