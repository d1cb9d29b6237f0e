"""The people knowledge base (data/kb/people/*.yaml) is well formed and agrees with independent leader lists.

These tests read the YAML directly so they check the data itself, whatever the loader does with it.
Cross-checks: REIGN (one effective leader per country-month to March 2021) and the CIA World Factbook
(chiefs of state and heads of government, current to about January 2026).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, shared_path

KB = ROOT / "src" / "communique" / "data" / "kb"
PEOPLE_DIR = KB / "people"
ROLES = {
    "head_of_state",
    "head_of_government",
    "foreign_minister",
    "defence_minister",
    "deputy_head_of_government",
    "monarch",
    "supreme_leader",
    "igo_head",
}
# Offices beyond the core ones (people/offices.yaml); each names its sector when it is not GOV.
EXTRA_ROLES = {
    "legislator",
    "speaker",
    "minister",
    "national_security_adviser",
    "un_ambassador",
    "attorney_general",
    "spokesperson",
    "adviser",
    "military_chief",
    "intelligence_chief",
    "police_chief",
    "central_bank_governor",
    "governor",
    "mayor",
    "ambassador",
    "party_leader",
    "group_leader",
    "prosecutor",
}
# Offices with many holders at once: a legislature's seats, a cabinet's ministers.
MULTI_SEAT_ROLES = {"legislator", "minister"}
LEADER_ROLES = {"head_of_state", "head_of_government", "monarch", "supreme_leader"}
# Outgoing and incoming holders often overlap by days to weeks (acting periods, formal dates).
HANDOVER_DAYS = 60
TODAY = dt.date(2026, 11, 30)
# The C loader reads the ~2,000 entries several times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# COW numeric country codes (REIGN's ccode) for the states this knowledge base covers.
COW_TO_ISO3 = {
    2: "USA",
    20: "CAN",
    70: "MEX",
    140: "BRA",
    160: "ARG",
    200: "GBR",
    205: "IRL",
    210: "NLD",
    211: "BEL",
    212: "LUX",
    220: "FRA",
    230: "ESP",
    235: "PRT",
    255: "DEU",
    260: "DEU",
    290: "POL",
    305: "AUT",
    310: "HUN",
    316: "CZE",
    317: "SVK",
    325: "ITA",
    338: "MLT",
    339: "ALB",
    341: "MNE",
    343: "MKD",
    344: "HRV",
    349: "SVN",
    350: "GRC",
    352: "CYP",
    355: "BGR",
    359: "MDA",
    360: "ROU",
    365: "RUS",
    366: "EST",
    367: "LVA",
    368: "LTU",
    369: "UKR",
    370: "BLR",
    371: "ARM",
    372: "GEO",
    373: "AZE",
    375: "FIN",
    380: "SWE",
    385: "NOR",
    390: "DNK",
    395: "ISL",
    560: "ZAF",
    620: "LBY",
    630: "IRN",
    640: "TUR",
    645: "IRQ",
    651: "EGY",
    652: "SYR",
    660: "LBN",
    663: "JOR",
    666: "ISR",
    670: "SAU",
    679: "YEM",
    690: "KWT",
    692: "BHR",
    694: "QAT",
    696: "ARE",
    698: "OMN",
    700: "AFG",
    701: "TKM",
    702: "TJK",
    703: "KGZ",
    704: "UZB",
    705: "KAZ",
    710: "CHN",
    732: "KOR",
    740: "JPN",
    750: "IND",
    770: "PAK",
    850: "IDN",
    900: "AUS",
}
# Factbook short names that the mledoze country list spells differently.
FACTBOOK_NAME_TO_ISO3 = {
    "Turkey (Turkiye)": "TUR",
    "Korea, South": "KOR",
    "Korea, North": "PRK",
    "Czechia": "CZE",
    "Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Burma": "MMR",
    "Gaza Strip": "PSE",
    "West Bank": "PSE",
    "Holy See (Vatican City)": "VAT",
    "Russia": "RUS",
    "Iran": "IRN",
    "Syria": "SYR",
}


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _load_people() -> list[tuple[str, dict]]:
    if not PEOPLE_DIR.is_dir():
        pytest.skip("no data/kb/people directory yet")
    people = []
    for path in sorted(PEOPLE_DIR.glob("*.yaml")):
        for person in yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or []:
            people.append((path.name, person))
    return people


PEOPLE = _load_people() if PEOPLE_DIR.is_dir() else []


def _fold(text: str) -> str:
    """Upper-case ASCII letters only, so 'Rüütel', 'RUUTEL' and 'Ruutel' compare equal."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z ]+", " ", text.upper().replace("-", " ")).strip()


def _index() -> dict[str, list[tuple[dt.date, dt.date, str, dict]]]:
    spans = defaultdict(list)
    for _, person in PEOPLE:
        for role in person["roles"]:
            spans[role["country"]].append(
                (_date(role["start"]), _date(role["end"]) or TODAY, role["role"], person)
            )
    return spans


SPANS = _index()


def _holders(code: str, day: dt.date, roles: set[str]) -> list[dict]:
    """People holding one of `roles` in country `code` on `day`."""
    found: list[dict] = []
    for start, end, role, person in SPANS.get(code, []):
        if role in roles and start <= day <= end and person not in found:
            found.append(person)
    return found


def _words(person: dict) -> set[str]:
    words: set[str] = set()
    for name in [person["name"], *person.get("aliases", [])]:
        words.update(_fold(name).split())
    return words


PARTICLES = {
    "AL",
    "EL",
    "AS",
    "AN",
    "ATH",
    "AD",
    "AR",
    "BIN",
    "IBN",
    "BEN",
    "BINT",
    "VAN",
    "VON",
    "DE",
    "DA",
    "DER",
    "LA",
}


def _same_surname(surname: str, person: dict) -> bool:
    """REIGN and the Factbook name leaders by surname, sometimes with initials, Arabic particles or another
    transliteration ('H. Aliyev', 'Qabus Bin Said', 'Berdymukhammedov'): their last name word, or at least
    half of their name words (tribal or family names we do not list), must be close to one of the person's."""
    wanted = [w for w in _fold(surname).split() if len(w) > 1 and w not in PARTICLES]
    if not wanted:
        return False
    words = _words(person)

    def close(word: str) -> bool:
        return any(difflib.SequenceMatcher(None, word, ours).ratio() >= 0.8 for ours in words)

    hits = [close(w) for w in wanted]
    return hits[-1] or 2 * sum(hits) >= len(hits)


def _likeness(surname: str, person: dict) -> float:
    """How closely a person's name words match a source's surname (mean best ratio per word), to pick one of
    several matching holders: 'FREDERIKSEN' is the prime minister, not King Frederik."""
    wanted = [w for w in _fold(surname).split() if len(w) > 1 and w not in PARTICLES]
    words = _words(person)
    if not wanted or not words:
        return 0.0
    return sum(max(difflib.SequenceMatcher(None, w, ours).ratio() for ours in words) for w in wanted) / len(
        wanted
    )


# The states the issue asks for in full (G20, post-Soviet, Middle East, NATO and EU members) plus Libya,
# Afghanistan and Pakistan. world.yaml and historical.yaml add other leaders selectively and are not held to
# completeness.
REQUIRED = set(
    """
    USA CAN MEX BRA ARG GBR FRA DEU ITA JPN KOR IND CHN IDN AUS ZAF RUS TUR SAU
    UKR BLR MDA GEO ARM AZE KAZ KGZ TJK TKM UZB EST LVA LTU
    IRN IRQ SYR LBN ISR PSE JOR YEM OMN ARE QAT BHR KWT EGY LBY AFG PAK
    ALB AUT BEL BGR HRV CYP CZE DNK FIN GRC HUN ISL IRL LUX MLT MNE NLD MKD NOR POL PRT ROU SVK SVN ESP SWE
    """.split()
)


def _covered_countries() -> set[str]:
    """Required states that have leaders in the data (all of them, once the data is complete)."""
    return REQUIRED & {
        r["country"]
        for _, p in PEOPLE
        for r in p["roles"]
        if r["role"] in LEADER_ROLES and r["country"] != "IGO"
    }


def test_every_required_state_has_leaders_in_the_data():
    assert _covered_countries() == REQUIRED, sorted(REQUIRED - _covered_countries())


def test_every_person_has_a_name_and_roles_or_opposition_periods_with_the_required_fields():
    assert PEOPLE, "no people loaded"
    for filename, person in PEOPLE:
        assert isinstance(person.get("name"), str) and person["name"].strip(), (filename, person)
        assert person.get("roles") or person.get("opposition"), (filename, person["name"], "has no roles")
        for role in person["roles"]:
            for key in ("country", "role", "title", "start", "end"):
                assert key in role, (filename, person["name"], role, f"missing {key}")
            assert role["role"] in ROLES | EXTRA_ROLES, (person["name"], role["role"])
            if role["country"] == "IGO":
                assert role.get("org"), (person["name"], "IGO role without org")
        for period in person.get("opposition", []):
            assert period.get("country") and period.get("start"), (person["name"], period)
            assert _date(period["start"]) <= (_date(period["end"]) or TODAY), (person["name"], period)


def test_every_role_starts_on_or_before_it_ends_and_no_later_than_today():
    for _, person in PEOPLE:
        for role in person["roles"]:
            start, end = _date(role["start"]), _date(role["end"])
            assert start is not None, (person["name"], role)
            assert start <= (end or TODAY), (person["name"], role)
            # 1991 onwards is the scope; earlier leaders still cited (Thatcher, Nixon, Nasser) are kept as former.
            assert dt.date(1900, 1, 1) <= start <= TODAY, (person["name"], role)


def test_aliases_are_full_names_never_the_bare_surname():
    for _, person in PEOPLE:
        surname = person["name"].split()[-1]
        for alias in person.get("aliases", []):
            assert alias != surname and alias != person["name"], (person["name"], alias)


def test_country_codes_exist_in_the_countries_file():
    countries_file = KB / "countries.yaml"
    if not countries_file.exists():
        pytest.skip("data/kb/countries.yaml not written yet")
    codes = {entry["code"] for entry in yaml.load(countries_file.read_text(encoding="utf-8"), Loader=LOADER)}
    unknown = sorted({r["country"] for _, p in PEOPLE for r in p["roles"] if r["country"] != "IGO"} - codes)
    assert not unknown, f"country codes not in countries.yaml: {unknown}"


def test_no_two_people_hold_the_same_office_at_once_beyond_a_handover():
    offices: dict[tuple[str, str, str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for _, person in PEOPLE:
        for role in person["roles"]:
            if role["role"] in MULTI_SEAT_ROLES:
                continue
            # IGO offices of one organization (EU Commission, European Council...) and the extra offices
            # (Director of the CIA, Director of the FBI...) differ by title.
            by_title = role["country"] == "IGO" or role["role"] in EXTRA_ROLES
            title = role["title"].replace("Acting ", "") if by_title else ""
            key = (role["country"], role.get("org", ""), role["role"], title)
            offices[key].append((_date(role["start"]), _date(role["end"]) or TODAY, person["name"]))
    overlaps = []
    for key, spans in offices.items():
        spans.sort()
        for i, (start, end, name) in enumerate(spans):
            for other_start, other_end, other in spans[i + 1 :]:
                if other_start > end:
                    break
                if other != name and (min(end, other_end) - other_start).days > HANDOVER_DAYS:
                    overlaps.append(
                        (key, name, str(start), str(end), other, str(other_start), str(other_end))
                    )
    for overlap in overlaps:
        print("overlap:", overlap)
    assert not overlaps, f"{len(overlaps)} overlapping office holders, first: {overlaps[:5]}"


@pytest.mark.parametrize("day", [dt.date(2026, 1, 15), dt.date(2015, 6, 1), dt.date(2003, 3, 1)])
def test_every_covered_country_has_a_head_of_state_or_government_on_the_day(day):
    missing = sorted(code for code in _covered_countries() if not _holders(code, day, LEADER_ROLES))
    assert not missing, f"no head of state or government on {day}: {missing}"


def test_reign_effective_leaders_are_among_our_heads_of_state_and_government():
    path = shared_path("reference", "kb", "reign-leaders", "leaderlist_3_21.csv")
    covered = _covered_countries()
    spells = defaultdict(list)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for row in csv.DictReader(handle):
            code = COW_TO_ISO3.get(int(row["ccode"]))
            if code not in covered:
                continue
            start = dt.date(int(row["syear"]), int(row["smonth"]), int(row["sdate"] or 1))
            # REIGN leaves the end empty for leaders still in office in March 2021.
            end = dt.date(int(row["eyear"]), int(row["emonth"]), 28) if row["eyear"] else dt.date(2021, 3, 31)
            spells[code].append((start, end, row["leader"]))
    checked, agreed, misses = 0, 0, []
    for code, rows in spells.items():
        for year in range(1992, 2021):
            for month in (3, 9):
                day = dt.date(year, month, 15)
                leaders = [name for start, end, name in rows if start <= day <= end]
                if len(leaders) != 1:
                    continue
                checked += 1
                ours = _holders(code, day, LEADER_ROLES)
                if any(_same_surname(leaders[0], p) for p in ours):
                    agreed += 1
                else:
                    misses.append((code, str(day), leaders[0], [p["name"] for p in ours]))
    rate = agreed / checked
    print(f"REIGN agreement: {agreed}/{checked} = {rate:.3f}")
    for miss in misses:
        print("REIGN differs:", miss)
    assert checked > 500
    assert rate >= 0.85


def _factbook_iso3(data: dict, names: dict[str, str]) -> str | None:
    short = (
        data.get("Government", {}).get("Country name", {}).get("conventional short form", {}).get("text", "")
    )
    return FACTBOOK_NAME_TO_ISO3.get(short) or names.get(short.lower())


def _factbook_offices(factbook: Path) -> list[tuple[str, str, str, dt.date | None]]:
    """(ISO3, office, capitalised surname, 'since' date) for each Factbook chief of state and head of government."""
    mledoze = json.loads(
        shared_path("reference", "kb", "mledoze-countries", "countries.json").read_text(encoding="utf-8")
    )
    names = {}
    for entry in mledoze:
        for name in [entry["name"]["common"], entry["name"]["official"], *entry.get("altSpellings", [])]:
            names[name.lower()] = entry["cca3"]
    offices = []
    for path in sorted(factbook.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        code = _factbook_iso3(data, names)
        executive = data.get("Government", {}).get("Executive branch", {})
        for office in ("chief of state", "head of government"):
            raw = re.sub(r"<[^>]+>", " ", executive.get(office, {}).get("text", ""))
            # The Factbook capitalises the surname just before "(since ...)": "Prime Minister Keir STARMER (since".
            text = raw.split("(since")[0].split(";")[0]
            surnames = re.findall(r"\b[A-ZÀ-Þ][A-ZÀ-Þ'\-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)*\b", text)
            surnames = [s for s in surnames if len(s) > 2 and s not in {"II", "III", "NOTE", "GNU"}][-1:]
            if not code or not surnames:
                continue
            since = re.search(r"\(since (\d{1,2}) (\w+) (\d{4})\)", raw)
            day = None
            if since:
                try:
                    day = dt.datetime.strptime(" ".join(since.groups()), "%d %B %Y").date()
                except ValueError:
                    day = None
            offices.append((code, office, surnames[0], day))
    return offices


def test_factbook_current_chiefs_of_state_and_heads_of_government_are_our_holders():
    offices = _factbook_offices(shared_path("reference", "kb", "factbook-json"))
    covered = _covered_countries()
    day = dt.date(2026, 1, 15)
    checked, agreed, dated, same_start, misses = 0, 0, 0, 0, []
    for code, office, surname, since in offices:
        if code not in covered:
            continue
        checked += 1
        ours = sorted(
            (p for p in _holders(code, day, LEADER_ROLES) if _same_surname(surname, p)),
            key=lambda p: -_likeness(surname, p),
        )
        if not ours:
            misses.append((code, office, surname, [p["name"] for p in _holders(code, day, LEADER_ROLES)]))
            continue
        agreed += 1
        if since is None:
            continue
        # Our start of the continuous spell that includes the day, whichever leader role it is.
        starts = [
            start
            for start, end, role, person in SPANS[code]
            if person is ours[0] and role in LEADER_ROLES and start <= day <= end
        ]
        dated += 1
        if any(abs((start - since).days) <= 31 for start in starts):
            same_start += 1
        else:
            print("Factbook start differs:", code, office, surname, since, [str(s) for s in starts])
    rate = agreed / checked
    print(
        f"Factbook agreement on {day}: {agreed}/{checked} = {rate:.3f}; same start (31 days): {same_start}/{dated}"
    )
    for miss in misses:
        print("Factbook differs:", miss)
    assert checked > 100
    assert rate >= 0.95
    assert same_start / dated >= 0.8


def _offices_of(name: str, day: dt.date) -> set[tuple[str, str]]:
    """(country, role) pairs the person called `name` holds on `day`."""
    held = set()
    for _, person in PEOPLE:
        if person["name"] != name:
            continue
        for role in person["roles"]:
            if _date(role["start"]) <= day <= (_date(role["end"]) or TODAY):
                held.add((role["country"], role["role"]))
    return held


def test_a_leader_who_changed_offices_resolves_to_the_office_of_the_document_date():
    assert _offices_of("Vladimir Putin", dt.date(2010, 6, 1)) == {("RUS", "head_of_government")}
    assert _offices_of("Vladimir Putin", dt.date(2015, 6, 1)) == {("RUS", "head_of_state")}
    assert _offices_of("Dmitry Medvedev", dt.date(2015, 6, 1)) == {("RUS", "head_of_government")}
    assert _offices_of("Nursultan Nazarbayev", dt.date(2015, 6, 1)) == {("KAZ", "head_of_state")}
    assert _offices_of("Nursultan Nazarbayev", dt.date(2022, 10, 13)) == set()
    assert _offices_of("Ilham Aliyev", dt.date(2022, 10, 13)) == {("AZE", "head_of_state")}
    assert _offices_of("Sadyr Japarov", dt.date(2022, 10, 13)) == {("KGZ", "head_of_state")}


def test_each_person_has_one_entry_and_namesakes_are_different_people():
    entries = defaultdict(list)
    for filename, person in PEOPLE:
        entries[person["name"]].append((filename, person))
    for name, found in entries.items():
        if len(found) == 1:
            continue
        # Namesakes (Latvia's two Andris Bērziņš) are kept apart; one person split over two entries is an error.
        offices = [{(r["country"], r["role"], str(r["start"])) for r in p["roles"]} for _, p in found]
        assert all(not (a & b) for i, a in enumerate(offices) for b in offices[i + 1 :]), name
        assert len({f for f, _ in found}) == 1, (
            f"{name} has entries in several files: {[f for f, _ in found]}"
        )


def test_surname_first_names_carry_the_family_name_the_news_uses_alone():
    surnames = {person["name"]: person.get("surname") for _, person in PEOPLE}
    assert surnames["Xi Jinping"] == "Xi"
    assert surnames["Moon Jae-in"] == "Moon"
    assert surnames["Kim Jong Un"] == "Kim"
    assert surnames["Luiz Inácio Lula da Silva"] == "Lula"
    assert surnames["Vladimir Putin"] is None  # the last word already is the surname


def test_every_person_has_a_gender_so_pronouns_can_skip_the_wrong_person():
    genders = {person["name"]: person.get("gender") for _, person in PEOPLE}
    assert set(genders.values()) <= {"m", "f"}
    assert genders["Angela Merkel"] == "f" and genders["Olaf Scholz"] == "m"
    assert genders["Maia Sandu"] == "f" and genders["Kaja Kallas"] == "f"


def test_no_extra_office_holder_shares_a_surname_with_a_head_of_government_in_office_the_same_years():
    """A bare "Trump" or "Khan" picks the one person in office; a second office holder with that surname then
    would make it a tie and leave it unresolved (why Ivanka Trump and Karim Khan are not in offices.yaml)."""

    def surnames(person: dict) -> set[str]:
        names = [person["name"], *person.get("aliases", [])]
        return {_fold(person["surname"])} if person.get("surname") else {_fold(n.split()[-1]) for n in names}

    def spans(person: dict, roles: set[str] | None) -> list[tuple[dt.date, dt.date]]:
        return [
            (_date(r["start"]), _date(r["end"]) or TODAY)
            for r in person["roles"]
            if r.get("sector", "GOV") == "GOV" and (roles is None or r["role"] in roles)
        ]

    leaders = [p for _, p in PEOPLE if spans(p, LEADER_ROLES)]
    ties = []
    for filename, person in PEOPLE:
        if filename != "offices.yaml":
            continue
        for leader in leaders:
            if leader is person or not surnames(leader) & surnames(person):
                continue
            for start, end in spans(person, None):
                for l_start, l_end in spans(leader, LEADER_ROLES):
                    if (min(end, l_end) - max(start, l_start)).days > HANDOVER_DAYS:
                        ties.append((person["name"], leader["name"]))
    assert not ties, ties
