"""The index of the knowledge base's surface forms: every name, capital, adjective, acronym and surname, and the
entries each denotes.

    NameIndex.build(entries)      the index of a base's entries
    index.lookup(surface)         the entries a surface form denotes (acronyms by exact case, names by name_key)
    index.surname_ids(surname)    the people a surname alone may name
    index.iso2.get(code)          the ISO3 code of an ISO2 one

``names`` (keyed by :func:`~communique.kb.model.name_key`) and ``acronyms`` (keyed by the exact text) hold every
surface form; a form may denote several entries (a state and its capital are two kinds of one entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from communique.kb.load import Entries
from communique.kb.model import Entry, is_acronym, name_key


@dataclass
class NameIndex:
    names: dict[str, list[Entry]] = field(default_factory=dict)
    acronyms: dict[str, list[Entry]] = field(default_factory=dict)
    surnames: dict[str, list[str]] = field(default_factory=dict)  # name_key(surname) -> person ids
    iso2: dict[str, str] = field(default_factory=dict)  # ISO2 -> ISO3

    @classmethod
    def build(cls, entries: Entries) -> NameIndex:
        index = cls(iso2={c.iso2: c.code for c in entries.countries.values() if c.iso2})
        for c in entries.countries.values():
            for name in c.names():
                index.add(name, Entry("country", c.kb_id, c.name))
            if c.capital:
                for name in [c.capital, *c.capital_aliases]:
                    index.add(name, Entry("capital", c.kb_id, c.name))
            for name in c.seat_metonyms:
                index.add(name, Entry("seat", c.kb_id, c.name))
            for name in c.adjectives:
                index.add(name, Entry("adjective", c.kb_id, c.name))
            for name in c.demonyms:
                index.add(name, Entry("demonym", c.kb_id, c.name))
        for o in entries.organizations.values():
            for name in o.names():
                index.add(name, Entry("organization", o.kb_id, o.name))
            for name in o.acronyms:
                index.add(name, Entry("organization", o.kb_id, o.name), acronym=True)
            for name in o.bare_names:
                index.add(name, Entry("organization", o.kb_id, o.name))
        for g in entries.groups.values():
            for name in g.names():
                index.add(name, Entry("group", g.kb_id, g.name))
            for name in g.acronyms:
                index.add(name, Entry("group", g.kb_id, g.name), acronym=True)
            for name in g.adjectives:
                index.add(name, Entry("adjective", g.kb_id, g.name))
            for name in g.bare_names:
                index.add(name, Entry("group", g.kb_id, g.name))
        for p in entries.people.values():
            for name in p.matched_names():
                index.add(name, Entry("person", p.kb_id, p.name))
            for surname in p.surnames():
                ids = index.surnames.setdefault(name_key(surname), [])
                if p.id not in ids:
                    ids.append(p.id)
        return index

    def add(self, surface: str, entry: Entry, acronym: bool = False) -> None:
        """Index ``entry`` under ``surface`` (an acronym by its exact text, a name by its key)."""
        if not isinstance(surface, str) or not surface.strip():
            return
        if acronym or is_acronym(surface):
            table, key = self.acronyms, surface.strip()
        else:
            table, key = self.names, name_key(surface)
        found = table.setdefault(key, [])
        if entry not in found:
            found.append(entry)

    def lookup(self, surface: str) -> list[Entry]:
        """Entries a surface form denotes: acronyms by exact case, names case- and accent-insensitively; a
        possessive ("Iran's") denotes what the name does when the whole form denotes nothing."""
        surface = surface.strip()
        found = list(self.acronyms.get(surface, []))
        if not is_acronym(surface) or not found:
            found += [e for e in self.names.get(name_key(surface), []) if e not in found]
        if not found and surface.endswith(("'s", "’s")):
            return self.lookup(surface[:-2])
        return found

    def surname_ids(self, surname: str) -> list[str]:
        """The ids of the people whose surname (alone) is ``surname``."""
        return self.surnames.get(name_key(surname), [])
