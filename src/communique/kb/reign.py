"""Import national leaders' spells in office from REIGN (Rulers, Elections, and Irregular Governance).

REIGN's ``leaderlist`` (Bell, Besaw & Frank 2021, One Earth Future; built on Archigos and LEAD) has one row per
spell of a country's *effective* leader, 1945 to its snapshot (March 2021): a COW state number, the leader's name
(often the surname alone: "Erdogan", "Tokayev"), the start day, month and year and the end month and year (blank
while in office). Each spell becomes a dated ``leader`` role, so that a former leader is ELI after the spell.

* States: COW numbers go to ISO3 codes through ``data/importers/cow_states.tsv``; spells of states that have no
  successor in the knowledge base (the Soviet Union before 1991-12-25, East Germany, South Vietnam...) are left
  out.
* People: a spell goes to a person the knowledge base already knows when the name (or, for a surname alone, the
  surname) is that of one person with a role in that state; a spell whose tenure the knowledge base already
  records (an overlapping role of that person in that state) adds nothing. A new person is added under the
  written name, but a lone surname only when it names nobody and nothing else in the knowledge base ("Johnson"
  or "Houthi" would take every later mention).
* Dates: a spell ends the day before the next leader of its state took office when that was in its end month,
  else on the last day of its end month. A spell still open at the snapshot ends the day before the person's
  next recorded role in that state (a Factbook office held today: still in office), else at the snapshot: the
  person no longer holds office in the knowledge base, and REIGN does not say when they left.

The result is written as the ``people`` section of a user-format file (``data/kb/imported/reign.yaml`` for the
shipped base), read on top of the written people and the Factbook import.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from communique.errors import KnowledgeBaseError
from communique.kb.knowledge import KnowledgeBase
from communique.kb.model import REIGN_ROLE, Person, name_key
from communique.resources import read_tsv

SNAPSHOT = date(2021, 3, 31)  # the last month leaderlist_3_21.csv covers


@dataclass
class Spell:
    """One leader spell of REIGN, with the state as an ISO3 code."""

    code: str
    leader: str
    start: date
    end: date | None  # None: in office at the snapshot
    reign_id: str


@dataclass(frozen=True)
class CowState:
    iso3: str
    since: date | None  # spells that began before this date belong to a predecessor state


def cow_states() -> dict[str, CowState]:
    """COW state number -> the knowledge base's ISO3 code (and the date from which the mapping holds)."""
    states: dict[str, CowState] = {}
    for row in read_tsv("importers", "cow_states.tsv"):
        if row.get("iso3"):
            since = date.fromisoformat(row.get("from")) if row.get("from") else None
            states[row.get("ccode")] = CowState(row.get("iso3"), since)
    return states


def read_spells(path: Path | str) -> list[Spell]:
    """Every spell of a REIGN ``leaderlist`` CSV whose state is a state of the knowledge base, in file order."""
    path = Path(path)
    if path.is_dir():
        found = sorted(path.glob("leaderlist*.csv"))
        if not found:
            raise KnowledgeBaseError(f"{path}: no leaderlist*.csv (REIGN's leader list) in this directory")
        path = found[-1]
    try:
        # the file is UTF-8 with a stray Windows-1252 byte in one note; names are unaffected
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise KnowledgeBaseError(f"{path}: cannot read REIGN's leader list: {exc}") from exc
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"ccode", "leader", "syear", "eyear"} <= set(reader.fieldnames):
        raise KnowledgeBaseError(f"{path}: not a REIGN leader list (needs ccode, leader, sdate... columns)")
    states = cow_states()
    raw: list[tuple[str, dict[str, str], date]] = []
    for row in reader:
        state = states.get(row["ccode"].strip())
        try:
            start = date(int(row["syear"]), int(row["smonth"] or 1), int(row["sdate"] or 1))
        except ValueError:
            continue
        if state is None or (state.since is not None and start < state.since):
            continue
        raw.append((state.iso3, row, start))
    starts: dict[str, list[date]] = {}
    for code, _row, start in raw:
        starts.setdefault(code, []).append(start)
    spells = []
    for code, row, start in raw:
        end = None
        if row["eyear"].strip():
            year, month = int(row["eyear"]), int(row["emonth"] or 12)
            later = [s for s in starts[code] if s > start and (s.year, s.month) == (year, month)]
            end = (
                min(later) - timedelta(days=1)
                if later
                else date(year, month, calendar.monthrange(year, month)[1])
            )
            end = max(end, start)
        leader = " ".join(row["leader"].split())
        spells.append(Spell(code, leader, start, end, row["leadid"].strip()))
    return spells


# ---------------------------------------------------------------------------------------------------------
def _written_roles(person: Person, code: str) -> list[Any]:
    """The person's roles in ``code`` that did not come from an earlier REIGN import."""
    return [r for r in person.roles if r.country == code and r.role != REIGN_ROLE]


def _known_person(kb: KnowledgeBase, spell: Spell) -> Person | None:
    """The one person of the knowledge base a spell's name denotes in its state, if exactly one."""
    words = spell.leader.replace(".", ". ").split()
    named = kb.people_named(spell.leader) or kb.people_named(spell.leader.replace("-", " "))
    candidates = [p for p in named if _written_roles(p, spell.code)]
    if not candidates and len(words) > 1:
        # "Lopez Obrador", "Sanchez Ceren", "M. Rutte": the end of a known name
        key = name_key(spell.leader.split(".")[-1].strip())
        candidates = [
            p
            for p in kb.people_with_surname(words[-1])
            if _written_roles(p, spell.code) and any(name_key(n).endswith(key) for n in p.names())
        ]
    unique = {p.id: p for p in candidates}
    return next(iter(unique.values())) if len(unique) == 1 else None


def _new_name_is_safe(kb: KnowledgeBase, leader: str) -> bool:
    """A new person's name must not take the mentions of another entry or of another person's surname."""
    if any(c.isdigit() for c in leader) or " and " in leader or "(" in leader:
        return False  # "Cardelli and Dolcini": two people in one row
    for entry in kb.lookup(leader):
        person = kb.people.get(entry.kb_id.partition(":")[2]) if entry.kind == "person" else None
        if person is None or not _from_reign_only(person):
            return False
    return " " in leader or all(_from_reign_only(p) for p in kb.people_with_surname(leader))


def _from_reign_only(person: Person) -> bool:
    """A person only an earlier REIGN import added: a new import writes them again, so they are no obstacle."""
    return bool(person.roles) and all(r.role == REIGN_ROLE for r in person.roles)


def reign_people(spells: list[Spell], kb: KnowledgeBase) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The person entries (name and ``leader`` roles) the spells add to ``kb``, and counts of what was done."""
    entries: dict[str, dict[str, Any]] = {}
    counts = {"spells": len(spells), "merged": 0, "new": 0, "already known": 0, "ambiguous name": 0}
    for spell in spells:
        person = _known_person(kb, spell)
        end = spell.end
        if person is not None:
            written = _written_roles(person, spell.code)
            if any(
                (r.start is None or r.start <= (end or SNAPSHOT)) and (r.end is None or r.end >= spell.start)
                for r in written
            ):
                counts["already known"] += 1  # the written data or the Factbook dates this tenure better
                continue
            if end is None:
                later = [r.start for r in written if r.start is not None and r.start > spell.start]
                end = min(later) - timedelta(days=1) if later else SNAPSHOT
            name, surname = person.name, None
            counts["merged"] += 1
        else:
            if not _new_name_is_safe(kb, spell.leader):
                counts["ambiguous name"] += 1
                continue
            end = end or SNAPSHOT
            name = spell.leader
            surname = spell.leader.split()[-1] if " " in spell.leader else None
            counts["new"] += 1
        entry = entries.setdefault(name_key(name), {"name": name})
        if surname and "surname" not in entry and not _has_particle_end(name):
            entry["surname"] = surname
        entry.setdefault("roles", []).append(
            {
                "country": spell.code,
                "role": REIGN_ROLE,
                "start": spell.start.isoformat(),
                "end": end.isoformat(),
                "source": f"REIGN {spell.reign_id}",
            }
        )
    return sorted(entries.values(), key=lambda e: e["name"]), counts


def _has_particle_end(name: str) -> bool:
    return name.split()[-1].lower() in ("jr.", "jr", "sr.", "ii", "iii", "iv")


def import_reign(
    path: Path | str, out: Path | str, kb: KnowledgeBase | None = None, source: str | None = None
) -> tuple[Path, dict[str, int]]:
    """Write REIGN's leader spells as a user-format knowledge-base file at ``out``; return it and the counts."""
    kb = kb or KnowledgeBase.load()
    spells = read_spells(path)
    people, counts = reign_people(spells, kb)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = source or str(Path(path).resolve())
    header = (
        "# National leaders' spells in office 1945-2021, imported by `communique kb import reign`\n"
        f"# from {origin}: REIGN (Bell, Besaw & Frank 2021, One Earth Future), see SOURCES.md.\n"
        f"# {counts['spells']} spells: {counts['merged']} added to people already known, {counts['new']} new,\n"
        f"# {counts['already known']} already dated by the written data or the Factbook, "
        f"{counts['ambiguous name']} left out (a name that would take another entry's mentions).\n"
        "# Regenerated by every import: put your own corrections in kb-overrides.yaml instead.\n"
    )
    body = yaml.safe_dump({"people": people}, allow_unicode=True, sort_keys=False, width=120)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(target)
    return target, counts
