"""Loading the knowledge base: which files, in which order, and how a later entry corrects an earlier one.

    source_files(overrides, data_dir, kb_dir) -> [(kind, path)]   every file read, in order
    read_entries(sources) -> Entries                             the merged entries of those files
    user_data_dir(), overrides_path(), packaged_kb_dir()         where user imports, overrides and the base live

The packaged data lives in ``communique/data/kb/``: ``countries.yaml``, ``organizations.yaml``, ``groups.yaml``,
``agents.tsv`` and ``people/*.yaml``, then the importers' shipped output in ``imported/*.yaml``; then the user's
own imports (``kb-factbook.yaml``, ``kb-reign.yaml`` in the user data directory) and the user override file. A
later entry with the same identity (country ``code``, organization/group ``id``, person ``id``, name or alias)
corrects the earlier one: scalar fields and lists given replace the old ones, except that a person's ``roles``
and ``aliases`` are merged. A malformed entry is a :class:`KnowledgeBaseError` naming its file, entry and field.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from communique.errors import DataFileError, KnowledgeBaseError
from communique.kb.model import (
    SECTORS,
    Country,
    Group,
    Organization,
    Period,
    Person,
    Role,
    SectorPeriod,
    name_key,
    slug,
)
from communique.resources import parse_tsv, parse_yaml

FACTBOOK_FILE = "kb-factbook.yaml"
REIGN_FILE = "kb-reign.yaml"
IMPORTED_DIR = "imported"  # under the base data directory: the importers' committed output
ROLE_FIELDS = frozenset("country role title start end org represented sector note source".split())
# The modules whose code shapes a loaded base: a cached base made by another version of them is not reused.
CODE_MODULES = ("model.py", "load.py", "index.py", "knowledge.py")
CACHE_VERSION = 8


@dataclass
class Entries:
    """Every entry of the knowledge base, by identity, and the files they were read from."""

    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)  # lowercase term -> sector
    sources: list[str] = field(default_factory=list)


def read_entries(sources: Iterable[tuple[str, Path]]) -> Entries:
    """The entries of every source file, merged in order (see the module docstring)."""
    merger = EntryMerger()
    for kind, path in sources:
        merger.read(kind, path)
    return merger.entries


class EntryMerger:
    """Merges source files into :class:`Entries`, a later entry correcting an earlier one with its identity."""

    def __init__(self) -> None:
        self.entries = Entries()
        self._person_keys: dict[str, str] = {}  # name_key of every name and alias -> person id

    def read(self, kind: str, path: Path) -> None:
        """Merge one source file (``kind`` as :func:`source_files` names it) into the entries."""
        self.entries.sources.append(str(path))
        text = path.read_text(encoding="utf-8")
        if kind == "agents":
            self._agents_file(text, str(path))
            return
        try:  # dates kept as text, so that a bad date is reported with its entry and field
            data = parse_yaml(text, str(path), dates_as_text=True)
        except DataFileError as exc:  # malformed YAML, or a key written twice in one mapping
            raise KnowledgeBaseError(f"not valid YAML: {exc.message}") from exc
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
                    self._section(section, data[section], str(path))
            for i, row in enumerate(data.get("agents") or []):
                if not isinstance(row, dict) or "term" not in row or "sector" not in row:
                    raise KnowledgeBaseError(f"{path}: agents entry {i + 1}: needs `term` and `sector`")
                self._agent(str(row["term"]), str(row["sector"]), f"{path}: agents entry {i + 1}")
            return
        self._section(kind, data, str(path))

    def _section(self, section: str, data: Any, where: str) -> None:
        if not isinstance(data, list):
            raise KnowledgeBaseError(f"{where}: `{section}` must be a list of entries")
        for i, raw in enumerate(data):
            label = f"{where}: {section} entry {i + 1}"
            if not isinstance(raw, dict):
                raise KnowledgeBaseError(f"{label}: expected a mapping, got {type(raw).__name__}")
            name = raw.get("name") or raw.get("code") or raw.get("id")
            label = f"{label} ({name})" if name else label
            if section == "countries":
                self._country(raw, label)
            elif section == "organizations":
                self._simple(self.entries.organizations, Organization, raw, label)
            elif section == "groups":
                self._simple(self.entries.groups, Group, raw, label)
            else:
                self._person(raw, label)

    def _country(self, raw: dict[str, Any], label: str) -> None:
        code = raw.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]{3}", code):
            raise KnowledgeBaseError(
                f"{label}: field `code` must be an ISO 3166-1 alpha-3 code, got {code!r}"
            )
        old = self.entries.countries.get(code)
        values = _fields(Country, raw, label)
        if old is None:
            if "name" not in values:
                raise KnowledgeBaseError(f"{label}: field `name` is required for a new country")
            self.entries.countries[code] = Country(**values)
        else:
            for key, value in values.items():
                setattr(old, key, value)

    def _simple(self, table: dict[str, Any], klass: type, raw: dict[str, Any], label: str) -> None:
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

    def _person(self, raw: dict[str, Any], label: str) -> None:
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
        old = self._known_person(raw.get("id"), [values["name"], *values.get("aliases", [])])
        if old is None:
            ident = raw.get("id") or slug(values["name"])
            if (
                ident in self.entries.people
            ):  # two different people with one name: keep both, told apart by country
                first = roles[0].country.lower() if roles else str(len(self.entries.people))
                ident = f"{ident}-{first}"
            values["id"] = ident
            self.entries.people[ident] = person = Person(**values, roles=roles, opposition=opposition)
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

    def _known_person(self, ident: Any, names: list[str]) -> Person | None:
        """The person an entry corrects: by ``id`` when it has one, else by any of its names."""
        if isinstance(ident, str) and ident:
            return self.entries.people.get(
                ident
            )  # an explicit new id is a new person, even with a known name
        for name in names:
            if not isinstance(name, str):
                continue
            # "Salman bin Hamad Al-Khalifa" (the Factbook) is "Salman bin Hamad Al Khalifa" (the written data)
            for key in dict.fromkeys([name_key(name), name_key(name.replace("-", " "))]):
                ident = self._person_keys.get(key)
                if ident is not None:
                    return self.entries.people[ident]
        return None

    def _agents_file(self, text: str, where: str) -> None:
        """The packaged agents table (term, sector, note); a term listed twice is refused with both lines."""
        try:
            rows = parse_tsv(text, where, key=(0,), width=2, header=True, fold_case=True)
        except DataFileError as exc:
            raise KnowledgeBaseError(exc.message) from exc
        for row in rows:
            self._agent(row.cells[0], row.cells[1], f"{where}: line {row.line} ({row.cells[0]!r})")

    def _agent(self, term: str, sector: str, label: str) -> None:
        sector = sector.strip().split("/")[0].strip().rstrip("?")
        if sector not in SECTORS:
            raise KnowledgeBaseError(f"{label}: field `sector`: unknown sector {sector!r}")
        self.entries.agents[" ".join(term.lower().split())] = sector


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


def source_files(
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


def cache_path(sources: Iterable[tuple[str, Path]]) -> Path | None:
    """Where the base read from ``sources`` is cached: keyed by every file's path, size and modification time and
    by this package's knowledge-base code; None when a source cannot be read."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    here = Path(__file__).parent
    for name in CODE_MODULES:  # a new version of the code may shape entries differently
        code = (here / name).stat()
        digest.update(f"{name}|{code.st_size}|{code.st_mtime_ns}".encode())
    for kind, path in sources:
        try:
            st = path.stat()
        except OSError:
            return None
        digest.update(f"{kind}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "communique" / f"kb-{digest.hexdigest()[:16]}.pickle"


def prune_cache(directory: Path, keep: int = 8) -> None:
    """Keep the few most recent cached bases; each edit of a data file leaves an outdated one behind."""
    cached = sorted(directory.glob("kb-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[keep:]:
        old.unlink(missing_ok=True)
