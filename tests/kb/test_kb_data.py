"""The packaged knowledge-base data (countries, organizations, groups, agents) is complete, consistent and right.

Most tests read the files directly, so they check the data whatever the loader does with it; a few load the four
files through :class:`KnowledgeBase` to check that the names a journalist writes resolve to the right entry.
Cross-checks against independent references in ../shared (skipped when absent): mledoze/countries (ISO codes,
UN membership, capitals), the CIA World Factbook (capitals, organization participation) and the Phoenix agents
dictionary (sectors of generic agent words). Each prints its coverage figures (run with ``-s`` to see them).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
from collections import defaultdict

import pytest
import yaml
from conftest import ROOT, shared_path

from communique.kb.model import SECTORS as SECTOR_CODES

KB = ROOT / "src" / "communique" / "data" / "kb"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTORS = set(
    "GOV MIL ELI OPP REB INS LEG JUD COP SPY BUS MED CVL REF EDU REL LAB AGR HLH NGO IGO UAF MNC ENV CRM SEP "
    "PTY MOD RAD UIS IMG".split()
)
COUNTRY_FIELDS = {
    "code", "iso2", "name", "official", "aliases", "former", "adjectives", "demonyms", "capital",
    "capital_aliases", "seat_metonyms", "un_status",
}  # fmt: skip
ORG_KINDS = {"igo", "military_alliance", "economic_bloc", "forum", "ngo", "court"}


def _load(name: str) -> list[dict]:
    return yaml.load((KB / name).read_text(encoding="utf-8"), Loader=LOADER)


@pytest.fixture(scope="module")
def countries() -> list[dict]:
    return _load("countries.yaml")


@pytest.fixture(scope="module")
def by_code(countries) -> dict[str, dict]:
    return {c["code"]: c for c in countries}


@pytest.fixture(scope="module")
def organizations() -> dict[str, dict]:
    return {o["id"]: o for o in _load("organizations.yaml")}


@pytest.fixture(scope="module")
def groups() -> dict[str, dict]:
    return {g["id"]: g for g in _load("groups.yaml")}


@pytest.fixture(scope="module")
def agent_rows() -> list[list[str]]:
    lines = [ln for ln in (KB / "agents.tsv").read_text(encoding="utf-8").splitlines() if ln.strip()]
    rows = list(csv.reader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))
    assert rows[0] == ["term", "sector", "note"], "agents.tsv starts with the header term<TAB>sector<TAB>note"
    return rows[1:]


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The four files of this data set (without people) through the real loader, no cache, no user files."""
    from communique.kb.knowledge import KnowledgeBase

    root = tmp_path_factory.mktemp("kbdata")
    kb_dir = root / "kb"
    kb_dir.mkdir()
    for name in ("countries.yaml", "organizations.yaml", "groups.yaml", "agents.tsv"):
        shutil.copy(KB / name, kb_dir / name)
    mp = pytest.MonkeyPatch()
    mp.setenv("COMMUNIQUE_KB_OVERRIDES", str(root / "no-overrides.yaml"))
    try:
        return KnowledgeBase.load(use_cache=False, data_dir=root / "data", kb_dir=kb_dir)
    finally:
        mp.undo()


def _key(text: str) -> str:
    """Case-, accent- and 'the'-insensitive key, as the loader compares names."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("–", "-"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()
    return " ".join(re.sub(r"^the\s+", "", text).split())


def _names(entry: dict, *fields: str) -> list[str]:
    out: list[str] = []
    for f in fields:
        value = entry.get(f)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += value
    return out


# ---------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["countries.yaml", "organizations.yaml", "groups.yaml", "agents.tsv"])
def test_every_kb_file_opens_with_a_comment_naming_its_sources(name):
    head = (KB / name).read_text(encoding="utf-8").splitlines()[:6]
    assert head[0].startswith("#")
    text = " ".join(head).lower()
    assert "written for communique" in text and "checked against" in text and "2026" in text


def test_sources_note_names_every_data_file_and_reference():
    text = (KB / "SOURCES.md").read_text(encoding="utf-8")
    for needle in ("countries.yaml", "organizations.yaml", "groups.yaml", "agents.tsv", "mledoze", "Factbook",
                   "Phoenix", "2026-11"):  # fmt: skip
        assert needle in text


# ---------------------------------------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------------------------------------
def test_countries_are_the_193_un_members_two_observers_kosovo_and_taiwan(countries):
    status = defaultdict(set)
    for c in countries:
        status[c["un_status"]].add(c["code"])
    print(f"\ncountries: {len(countries)} ({', '.join(f'{k} {len(v)}' for k, v in sorted(status.items()))})")
    assert len(countries) == 197
    assert len(status["member"]) == 193
    assert status["observer"] == {"VAT", "PSE"}
    assert status["non-member"] == {"XKX", "TWN"}


def test_country_entries_use_only_schema_fields_with_the_right_types(countries):
    for c in countries:
        assert set(c) <= COUNTRY_FIELDS, (c["code"], set(c) - COUNTRY_FIELDS)
        assert re.fullmatch(r"[A-Z]{3}", c["code"]), c["code"]
        # YAML reads a bare NO (Norway) as false: iso2 must come back as two capital letters
        assert isinstance(c["iso2"], str) and re.fullmatch(r"[A-Z]{2}", c["iso2"]), (c["code"], c["iso2"])
        for f in ("name", "official", "capital"):
            assert isinstance(c.get(f), str) and c[f].strip(), (c["code"], f)
        for f in COUNTRY_FIELDS - {"code", "iso2", "name", "official", "capital", "un_status"}:
            value = c.get(f, [])
            assert isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value), (
                c["code"],
                f,
            )


def test_country_codes_are_unique(countries):
    for field in ("code", "iso2"):
        seen: dict[str, int] = defaultdict(int)
        for c in countries:
            seen[c[field]] += 1
        assert [k for k, n in seen.items() if n > 1] == [], field


def test_no_name_denotes_two_different_countries(countries):
    """A name, capital, adjective, demonym or seat used by two states would make every mention ambiguous."""
    owner: dict[str, set[str]] = defaultdict(set)
    for c in countries:
        for name in _names(c, "name", "official", "aliases", "former", "adjectives", "demonyms", "capital",
                           "capital_aliases", "seat_metonyms"):  # fmt: skip
            owner[_key(name)].add(c["code"])
    clashes = {k: sorted(v) for k, v in owner.items() if len(v) > 1}
    assert clashes == {}


def test_press_short_forms_and_former_names_are_known(by_code):
    expected = {
        "USA": ["U.S.", "US", "America", "United States of America"],
        "GBR": ["UK", "Britain", "Great Britain"],
        "TUR": ["Turkey", "Türkiye"],
        "CZE": ["Czechia", "Czech Republic"],
        "CIV": ["Ivory Coast", "Côte d'Ivoire"],
        "PRK": ["North Korea", "DPRK"],
        "KOR": ["South Korea", "ROK"],
        "IRN": ["Iran", "Islamic Republic of Iran", "Persia"],
        "RUS": ["Russia", "Russian Federation"],
        "CHN": ["China", "PRC", "mainland China"],
        "TWN": ["Taiwan", "Republic of China"],
        "KGZ": ["Kirghizia", "Kirgizia", "Kyrgyz Republic"],
        "MMR": ["Burma"],
        "SWZ": ["Swaziland"],
        "COD": ["Zaire", "DRC"],
        "LKA": ["Ceylon"],
        "THA": ["Siam"],
        "MKD": ["Macedonia", "FYROM"],
        "MDA": ["Moldavia"],
        "BLR": ["Byelorussia"],
        "TKM": ["Turkmenia"],
        "TJK": ["Tadzhikistan"],
    }
    for code, names in expected.items():
        known = {_key(n) for n in _names(by_code[code], "name", "official", "aliases", "former")}
        assert {_key(n) for n in names} <= known, (code, [n for n in names if _key(n) not in known])


def test_adjectives_demonyms_capitals_and_seats_of_the_seed_states(by_code):
    assert {"Azerbaijani", "Azeri"} <= set(by_code["AZE"]["adjectives"])
    assert {"Kyrgyz", "Kirghiz"} <= set(by_code["KGZ"]["adjectives"])
    assert by_code["TUR"]["adjectives"][0] == "Turkish" and "Turks" in by_code["TUR"]["demonyms"]
    assert (by_code["AZE"]["capital"], by_code["KGZ"]["capital"], by_code["TUR"]["capital"]) == (
        "Baku", "Bishkek", "Ankara",
    )  # fmt: skip
    assert by_code["UKR"]["capital"] == "Kyiv" and "Kiev" in by_code["UKR"]["capital_aliases"]
    assert by_code["KAZ"]["capital"] == "Astana" and "Nur-Sultan" in by_code["KAZ"]["capital_aliases"]
    assert {"White House", "Pentagon", "State Department"} <= set(by_code["USA"]["seat_metonyms"])
    assert (
        "Kremlin" in by_code["RUS"]["seat_metonyms"] and "Downing Street" in by_code["GBR"]["seat_metonyms"]
    )


def test_every_state_has_an_adjective_or_a_reason_not_to(countries):
    """The recogniser names agent groups from the first adjective ("Kyrgyz troops"); only Dominica, whose
    adjective "Dominican" belongs to the Dominican Republic, goes without."""
    missing = sorted(c["code"] for c in countries if not c.get("adjectives"))
    assert missing == ["DMA"]


def test_iso_codes_and_un_membership_agree_with_mledoze(by_code):
    ref = json.loads(shared_path("reference", "kb", "mledoze-countries", "countries.json").read_text("utf-8"))
    un_members = {c["cca3"]: c for c in ref if c.get("unMember")}
    present = [code for code in un_members if code in by_code]
    print(f"\nmledoze UN members present: {len(present)}/{len(un_members)}")
    assert sorted(set(un_members) - set(by_code)) == []
    ref_by_code = {c["cca3"]: c for c in ref}
    wrong_iso2 = [(k, c["iso2"], ref_by_code[k]["cca2"]) for k, c in by_code.items()
                  if k in ref_by_code and ref_by_code[k]["cca2"] != c["iso2"]]  # fmt: skip
    assert wrong_iso2 == []
    not_members = sorted(k for k, c in by_code.items() if c["un_status"] == "member" and k not in un_members)
    assert not_members == []


def test_capitals_agree_with_mledoze_for_at_least_95_percent(by_code):
    ref = json.loads(shared_path("reference", "kb", "mledoze-countries", "countries.json").read_text("utf-8"))
    checked, agree, differ = 0, 0, []
    for c in ref:
        mine = by_code.get(c["cca3"])
        if mine is None or not c.get("capital"):
            continue
        checked += 1
        theirs = {_key(x) for x in c["capital"]}
        ours = {_key(x) for x in _names(mine, "capital", "capital_aliases", "seat_metonyms")}
        if _key(mine["capital"]) in theirs or theirs & ours:
            agree += 1
        else:
            differ.append((c["cca3"], mine["capital"], c["capital"]))
    print(f"\ncapitals agreeing with mledoze: {agree}/{checked} = {agree / checked:.1%}; differ: {differ}")
    assert checked >= 190 and agree / checked >= 0.95


def _factbook_states(kb) -> list[tuple[str, dict]]:
    """(ISO3, profile) for each Factbook profile the importer matches to one of our states."""
    from communique.kb import factbook

    directory = shared_path("reference", "kb", "factbook-json")
    out = []
    for _gec, profile in factbook.read_profiles(directory):
        code = factbook.profile_country(profile, kb)
        if code:
            out.append((code, profile))
    return out


def test_factbook_profiles_match_every_state_and_their_capitals_agree(kb, by_code):
    from communique.kb import factbook

    states = _factbook_states(kb)
    matched = {code for code, _ in states}
    checked, agree, differ = 0, 0, []
    for code, profile in states:
        capital = factbook._text(profile.get("Government", {}).get("Capital", {}).get("name"))
        capital = re.split(r"[;(,]", capital)[0].strip()
        if not capital or capital.lower() == "none":
            continue
        checked += 1
        ours = {_key(x) for x in _names(by_code[code], "capital", "capital_aliases", "seat_metonyms")}
        if _key(capital) in ours:
            agree += 1
        else:
            differ.append((code, by_code[code]["capital"], capital))
    print(f"\nFactbook profiles matched to states: {len(matched)}/{len(by_code)}; "
          f"capitals agreeing: {agree}/{checked} = {agree / max(checked, 1):.1%}; differ: {differ}")  # fmt: skip
    # Palestine has no Factbook profile of its own (West Bank and Gaza Strip are separate, without a capital)
    assert len(matched) >= len(by_code) - 2
    assert agree / checked >= 0.9


# ---------------------------------------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------------------------------------
def test_organizations_are_well_formed_and_name_only_known_states(organizations, by_code):
    print(f"\norganizations: {len(organizations)}")
    assert len(organizations) >= 60
    for oid, o in organizations.items():
        assert o.get("name"), oid
        assert o.get("kind") in ORG_KINDS, (oid, o.get("kind"))
        members, observers = o.get("members", []), o.get("observers", [])
        assert [c for c in members + observers if c not in by_code] == [], oid
        assert len(set(members)) == len(members) and len(set(observers)) == len(observers), oid
        assert not set(members) & set(observers), oid
        assert o.get("parent") is None or o["parent"] in organizations, oid
        assert o.get("sector") is None or o["sector"] in SECTORS, oid


def test_every_organization_the_schema_requires_is_present(organizations):
    required = [
        "UN", "UNSC", "UNGA", "UNHCR", "UNICEF", "WFP", "WHO", "IAEA", "IMF", "WORLD_BANK", "WTO", "OSCE", "COE",
        "EU", "EU_COMMISSION", "EU_PARLIAMENT", "EUROPEAN_COUNCIL", "EU_COUNCIL", "NATO", "CSTO", "CIS", "EAEU",
        "SCO", "OTS", "OIC", "GUAM", "BRICS", "ASEAN", "AU", "ARAB_LEAGUE", "GCC", "G7", "G20", "OPEC",
        "OPEC_PLUS", "ECOWAS", "MERCOSUR", "OAS", "APEC", "INTERPOL", "ICC", "ICJ", "ICRC", "AMNESTY", "HRW",
        "EDB", "CRRF", "CICA", "ECO", "BSEC", "V4", "NORDIC_COUNCIL", "QUAD", "AUKUS",
    ]  # fmt: skip
    assert [r for r in required if r not in organizations] == []


def test_memberships_are_current_to_2026(organizations):
    def members(oid: str) -> set[str]:
        return set(organizations[oid].get("members", []))

    assert len(members("UN")) == 193 and len(members("EU")) == 27 and "GBR" not in members("EU")
    assert len(members("NATO")) == 32 and {"FIN", "SWE"} <= members("NATO")
    assert members("CSTO") == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"}
    assert members("EAEU") == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert members("OTS") == {"AZE", "KAZ", "KGZ", "TUR", "UZB"}
    assert set(organizations["OTS"]["observers"]) == {"HUN", "TKM"}
    assert members("GUAM") == {"AZE", "GEO", "MDA", "UKR"}
    assert {"IRN", "BLR", "IND", "PAK"} <= members("SCO") and len(members("SCO")) == 10
    assert {"EGY", "ETH", "IRN", "ARE", "IDN"} <= members("BRICS") and "SAU" not in members("BRICS")
    assert "TLS" in members("ASEAN") and len(members("ASEAN")) == 11
    assert members("GCC") == {"BHR", "KWT", "OMN", "QAT", "SAU", "ARE"}
    assert len(members("ARAB_LEAGUE")) == 22 and "SYR" in members("ARAB_LEAGUE")
    assert len(members("AU")) == 54 and "MAR" in members("AU")
    assert "AGO" not in members("OPEC") and not {"MLI", "BFA", "NER"} & members("ECOWAS")
    assert "RUS" not in members("COE") and len(members("COE")) == 46
    assert len(members("OSCE")) == 57 and len(members("OIC")) == 57


def test_membership_agrees_with_factbook_participation_lists(kb, organizations):
    """For bodies whose Factbook abbreviation is unambiguous, our members and the Factbook's nearly coincide
    (the Factbook is current to about January 2026; the EU entry still lists the UK)."""
    from communique.kb import factbook

    abbreviations = {
        "NATO": "NATO", "EU": "EU", "CSTO": "CSTO", "CIS": "CIS", "EAEU": "EAEU", "GCC": "GCC", "GUAM": "GUAM",
        "ASEAN": "ASEAN", "G7": "G-7", "G20": "G-20", "ECO": "ECO", "SAARC": "SAARC", "BIMSTEC": "BIMSTEC",
        "IGAD": "IGAD", "EAC": "EAC", "OSCE": "OSCE", "PIF": "PIF", "NORDIC_COUNCIL": "NC",
    }  # fmt: skip
    participation: dict[str, set[str]] = defaultdict(set)
    for code, profile in _factbook_states(kb):
        text = factbook._text(profile.get("Government", {}).get("International organization participation"))
        for item in text.split(","):
            m = re.fullmatch(r"\s*(.*?)\s*(?:\((.*?)\))?\s*", item)
            if m and (m.group(2) or "members") in ("members", "member"):
                participation[m.group(1)].add(code)
    scores = {}
    for oid, abbr in abbreviations.items():
        ours, theirs = set(organizations[oid]["members"]), participation[abbr]
        scores[oid] = len(ours & theirs) / len(ours | theirs)
    print("\nmembership overlap with the Factbook (Jaccard): "
          + ", ".join(f"{k} {v:.2f}" for k, v in scores.items()))  # fmt: skip
    assert {k: v for k, v in scores.items() if v < 0.9} == {}


def test_acronyms_are_written_in_capitals(organizations, groups):
    for entry in [*organizations.values(), *groups.values()]:
        for acronym in entry.get("acronyms", []):
            assert any(ch.isupper() for ch in acronym) and " " not in acronym.strip(), (entry["id"], acronym)


# ---------------------------------------------------------------------------------------------------------
# Groups
# ---------------------------------------------------------------------------------------------------------
def test_groups_are_well_formed_and_name_only_known_states(groups, by_code):
    types = defaultdict(int)
    for gid, g in groups.items():
        types[g.get("type", "group")] += 1
        assert g.get("type", "group") in ("group", "region"), gid
        assert [c for c in g.get("members", []) if c not in by_code] == [], gid
        assert g.get("code") is None or g["code"] in by_code, gid
        assert g.get("sector") is None or g["sector"] in SECTORS, gid
    armed = sum(1 for g in groups.values() if g.get("sector"))
    print(f"\ngroups: {len(groups)} ({dict(types)}; {armed} with a sector)")
    assert len(groups) >= 40


def test_blocs_and_regions_a_journalist_names_are_present(groups):
    required = {
        "WEST": "Western countries", "TURKIC_WORLD": "Turkic states", "SOUTH_CAUCASUS": "Transcaucasia",
        "CENTRAL_ASIA": "Central Asian states", "MIDDLE_EAST": "Middle East", "BALKANS": "Balkans",
        "EASTERN_EUROPE": "Eastern Europe", "GULF": "Gulf states", "LATIN_AMERICA": "Latin America",
        "ARAB_WORLD": "Arab countries", "SAHEL": "Sahel", "INDO_PACIFIC": "Indo-Pacific",
        "GLOBAL_SOUTH": "Global South", "POST_SOVIET": "former Soviet republics",
        "TRANSATLANTIC": "transatlantic allies",
    }  # fmt: skip
    for gid, name in required.items():
        assert _key(name) in {_key(n) for n in _names(groups[gid], "name", "aliases")}, gid
    assert set(groups["TURKIC_WORLD"]["members"]) == {"AZE", "KAZ", "KGZ", "TUR", "TKM", "UZB"}
    assert set(groups["SOUTH_CAUCASUS"]["members"]) == {"ARM", "AZE", "GEO"}
    assert set(groups["CENTRAL_ASIA"]["members"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}


def test_armed_groups_carry_home_state_and_sector(groups):
    expected = {
        "HAMAS": ("PSE", "REB"), "HEZBOLLAH": ("LBN", "REB"), "TALIBAN": ("AFG", "REB"),
        "ISLAMIC_STATE": (None, "INS"), "AL_QAEDA": (None, "INS"), "HOUTHIS": ("YEM", "REB"),
        "PKK": ("TUR", "REB"), "WAGNER": ("RUS", "MIL"),
    }  # fmt: skip
    for gid, (code, sector) in expected.items():
        assert (groups[gid].get("code"), groups[gid].get("sector")) == (code, sector), gid
    for alias in ("ISIS", "ISIL"):
        assert alias in groups["ISLAMIC_STATE"]["acronyms"]
    assert "Daesh" in groups["ISLAMIC_STATE"]["aliases"]


def test_dated_group_sectors_are_known_sectors_in_time_order_without_overlap(groups):
    """A group whose role changed (the Taliban in 2021) lists periods a date can fall into only once."""
    dated = {gid: g["sectors"] for gid, g in groups.items() if g.get("sectors")}
    assert {"TALIBAN", "HTS", "RSF_SUDAN"} <= set(dated)
    for gid, periods in dated.items():
        spans = [(str(p.get("start") or "0000"), str(p.get("end") or "9999"), p["sector"]) for p in periods]
        assert spans == sorted(spans), gid
        for (_s, end, _x), (next_start, _e, _y) in zip(spans, spans[1:], strict=False):
            assert end < next_start, (gid, end, next_start)
        assert all(sector in SECTOR_CODES for _s, _e, sector in spans), gid
    taliban = [(str(p.get("start")), p["sector"]) for p in dated["TALIBAN"]]
    assert ("2021-08-15", "GOV") in taliban


def test_national_bodies_name_the_state_they_belong_to(groups):
    """A legislature, party, newsroom, army or spy agency without a state would give its mentions no code."""
    national = {"LEG", "PTY", "MED", "MIL", "COP", "SPY", "GOV"}
    stateless = [gid for gid, g in groups.items() if g.get("sector") in national and not g.get("code")]
    assert stateless == []
    assert (groups["US_CONGRESS"]["code"], groups["US_CONGRESS"]["sector"]) == ("USA", "LEG")
    assert (groups["MILLI_MAJLIS"]["code"], groups["JOGORKU_KENESH"]["code"]) == ("AZE", "KGZ")


# ---------------------------------------------------------------------------------------------------------
# Agents
# ---------------------------------------------------------------------------------------------------------
def test_agents_have_three_columns_known_sectors_and_unique_lowercase_terms(agent_rows):
    assert all(len(r) == 3 for r in agent_rows), [r for r in agent_rows if len(r) != 3][:5]
    terms = [r[0] for r in agent_rows]
    assert len(set(terms)) == len(terms)
    assert all(t == t.lower() and t == t.strip() and t for t in terms)
    assert {r[1] for r in agent_rows} <= SECTORS
    print(f"\nagent terms: {len(terms)}")
    assert len(terms) >= 150


def test_core_agent_words_map_to_their_cameo_sectors(agent_rows):
    sector = {r[0]: r[1] for r in agent_rows}
    expected = {
        "president": "GOV", "prime minister": "GOV", "premier": "GOV", "chancellor": "GOV",
        "foreign minister": "GOV", "defence minister": "GOV", "defense minister": "GOV", "spokesman": "GOV",
        "spokeswoman": "GOV", "spokesperson": "GOV", "officials": "GOV", "diplomats": "GOV", "ambassador": "GOV",
        "envoy": "GOV", "government": "GOV", "cabinet": "GOV", "ministry": "GOV", "king": "GOV", "emir": "GOV",
        "army": "MIL", "troops": "MIL", "soldiers": "MIL", "forces": "MIL", "military": "MIL", "navy": "MIL",
        "generals": "MIL", "commander": "MIL", "police": "COP", "intelligence": "SPY", "rebels": "REB",
        "militants": "REB", "guerrillas": "REB", "insurgents": "INS", "terrorists": "INS", "separatists": "SEP",
        "opposition": "OPP", "protesters": "OPP", "demonstrators": "OPP", "activists": "OPP",
        "parliament": "LEG", "lawmakers": "LEG", "senators": "LEG", "mps": "LEG", "court": "JUD",
        "judges": "JUD", "prosecutors": "JUD", "refugees": "REF", "civilians": "CVL", "businessmen": "BUS",
        "companies": "BUS", "media": "MED", "journalists": "MED", "students": "EDU", "clergy": "REL",
        "unions": "LAB", "farmers": "AGR", "doctors": "HLH", "ngos": "NGO", "former president": "ELI",
        "former prime minister": "ELI",
    }  # fmt: skip
    wrong = {t: (sector.get(t), s) for t, s in expected.items() if sector.get(t) != s}
    assert wrong == {}


def _phoenix_agents() -> dict[str, str]:
    """Phoenix agent term (lowercase, words) -> primary CAMEO sector; macros like !PERSON! expanded."""
    path = shared_path("reference", "kb", "phoenix-dictionaries", "Phoenix.agents.txt")
    macros: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.split("#")[0].strip()
        m = re.fullmatch(r"(![A-Z]+!)\s*=\s*(.*)", line)
        if m:
            macros[m.group(1)] = [w.strip().lower() for w in m.group(2).split(",")]
            continue
        m = re.match(r"([A-Z!_'\-.]+?)\s*(?:\{[^}]*\})?\s*\[~([A-Z]{3})", line)
        if not m:
            continue
        forms = [m.group(1)]
        for macro, words in macros.items():
            forms = [f.replace(macro, "_" + w.upper() if not f.startswith(macro) else w.upper()) for f in forms
                     for w in (words if macro in f else [""])]  # fmt: skip
        for form in forms:
            out.setdefault(" ".join(form.lower().replace("_", " ").split()), m.group(2))
    return out


def test_agent_sectors_agree_with_phoenix_where_both_list_the_word(agent_rows):
    phoenix = _phoenix_agents()
    shared, agree, differ = 0, 0, []
    for term, sector, _note in agent_rows:
        ref = phoenix.get(term) or (phoenix.get(term[:-1]) if term.endswith("s") else None)
        if ref is None:
            continue
        shared += 1
        if ref == sector:
            agree += 1
        else:
            differ.append((term, sector, ref))
    print(f"\nagent sectors agreeing with Phoenix: {agree}/{shared} = {agree / shared:.1%}; differ: {differ}")
    assert shared >= 60 and agree / shared >= 0.8


# ---------------------------------------------------------------------------------------------------------
# Resolution through the loader
# ---------------------------------------------------------------------------------------------------------
def _resolves(kb, surface: str) -> set[str]:
    return {e.kb_id for e in kb.lookup(surface)}


def test_press_former_and_capital_names_resolve_to_one_state(kb):
    cases = {
        "Turkey": "TUR", "Türkiye": "TUR", "Turkiye": "TUR", "Ankara": "TUR", "Kirghizia": "KGZ",
        "Bishkek": "KGZ", "Azeri": "AZE", "Kiev": "UKR", "Kyiv": "UKR", "Nur-Sultan": "KAZ", "U.S.": "USA",
        "Washington": "USA", "White House": "USA", "Kremlin": "RUS", "Downing Street": "GBR",
        "Elysee": "FRA", "Zhongnanhai": "CHN", "Ivory Coast": "CIV", "Burma": "MMR", "Swaziland": "SWZ",
        "Byelorussia": "BLR", "Britain": "GBR", "Czech Republic": "CZE", "DPRK": "PRK", "Persia": "IRN",
    }  # fmt: skip
    wrong = {
        s: sorted(_resolves(kb, s)) for s, code in cases.items() if _resolves(kb, s) != {f"country:{code}"}
    }
    assert wrong == {}


def test_older_names_of_the_turkic_organization_resolve_to_ots(kb):
    for surface in (
        "Organization of Turkic States",
        "Turkic Council",
        "Council of Turkic Cooperation",
        "OTS",
    ):
        assert _resolves(kb, surface) == {"organization:OTS"}, surface


def test_no_surface_form_names_both_a_state_and_an_organization_or_group(kb):
    clashes = []
    for table in (kb.index.names, kb.index.acronyms):
        for key, entries in table.items():
            kinds = {e.kb_id.partition(":")[0] for e in entries}
            if "country" in kinds and len(kinds) > 1:
                clashes.append((key, sorted(e.kb_id for e in entries)))
    assert clashes == []


def test_no_name_or_acronym_denotes_two_organizations_or_groups(kb):
    """ "RSF" once meant both Reporters Without Borders and Sudan's Rapid Support Forces: one must give way."""
    clashes = []
    for table in (kb.index.names, kb.index.acronyms):
        for key, entries in table.items():
            ids = {e.kb_id for e in entries}
            if len(ids) > 1:
                clashes.append((key, sorted(ids)))
    assert clashes == []


def test_seed_article_names_resolve_and_its_forbidden_words_are_not_entries(kb, seed_gold):
    for actor in seed_gold["actors"]["required"]:
        if actor["type"] not in ("country", "organization"):
            continue
        for mention in actor.get("mentions_include", []) or [actor["name"]]:
            found = _resolves(kb, mention)
            if actor["type"] == "country":
                assert found == {f"country:{actor['code']}"}, mention
            else:
                assert len(found) == 1 and found.pop().startswith("organization:"), mention
    for word in seed_gold["actors"]["forbidden_as_actors"]:
        assert kb.lookup(word) == [], word
