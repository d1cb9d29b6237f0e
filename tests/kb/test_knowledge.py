"""The knowledge base's questions (communique/kb/knowledge.py, kb/index.py): lookups by name, code, capital and
adjective, what a person or a group is on a date, the names a user types, and the `kb` commands."""

from __future__ import annotations

from datetime import date

import pytest

from communique.kb.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _country(kb: KnowledgeBase, surface: str) -> str | None:
    country = kb.country_named(surface)
    return country.code if country else None


def test_every_un_member_and_observer_plus_kosovo_and_taiwan_is_a_state(kb):
    assert len(kb.countries) >= 197
    for code in ("VAT", "PSE", "XKX", "TWN", "SSD", "AZE"):
        assert kb.country(code) is not None, code


def test_turkey_and_turkiye_name_the_same_state(kb):
    assert _country(kb, "Turkey") == _country(kb, "Türkiye") == "TUR"


def test_former_name_kirghizia_resolves_to_kyrgyzstan(kb):
    assert _country(kb, "Kirghizia") == "KGZ"


def test_capitals_and_adjectives_resolve_to_their_state(kb):
    assert kb.capital_of("Ankara").code == "TUR"
    assert kb.capital_of("Kiev").code == "UKR"
    assert kb.adjective_of("Azerbaijani").code == "AZE"
    assert kb.adjective_of("Russian").code == "RUS"


def test_acronyms_match_only_in_capitals(kb):
    assert any(e.kb_id == "country:USA" for e in kb.lookup("US"))
    assert not kb.lookup("us")
    assert any(e.kind == "organization" for e in kb.lookup("OSCE"))


def test_names_match_whatever_their_case(kb):
    assert kb.lookup("Organization of Islamic cooperation") == kb.lookup(
        "Organization of Islamic Cooperation"
    )


def test_older_name_of_an_organization_resolves_to_the_current_one(kb):
    [entry] = [e for e in kb.lookup("Council of Turkic Cooperation") if e.kind == "organization"]
    assert entry.name in ("Organization of Turkic States", "Organisation of Turkic States")


def test_leader_is_government_in_office_and_elite_after(kb):
    assert kb.resolve_person("Nursultan Nazarbayev", date(2015, 6, 1)).sector == "GOV"
    later = kb.resolve_person("Nursultan Nazarbayev", date(2022, 10, 13))
    assert (later.code, later.sector) == ("KAZ", "ELI")


def test_person_has_no_sector_before_the_first_role(kb):
    state = kb.resolve_person("Ilham Aliyev", date(1995, 1, 1))
    assert state.sector is None and state.code == "AZE"


def test_surname_alone_finds_the_person_in_office(kb):
    state = kb.resolve_person("Aliyev", date(2022, 10, 13))
    assert state.person.name == "Ilham Aliyev" and state.sector == "GOV"
    assert state.role_text == "President of Azerbaijan"


def test_generic_agent_words_map_to_sectors(kb):
    assert kb.agent_sector("troops") == "MIL"
    assert kb.agent_sector("police") == "COP"
    assert kb.agent_sector("foreign minister") == "GOV"


def test_kb_show_prints_role_code_and_sector_on_a_date():
    from typer.testing import CliRunner

    from communique.cli import app

    result = CliRunner().invoke(app, ["kb", "show", "Nursultan Nazarbayev", "--date", "2022-10-13"])
    assert result.exit_code == 0, result.output
    assert (
        "KAZ" in result.output
        and "ELI" in result.output
        and "former President of Kazakhstan" in result.output
    )


def test_kb_show_unknown_name_exits_non_zero():
    from typer.testing import CliRunner

    from communique.cli import app

    result = CliRunner().invoke(app, ["kb", "show", "Atlantis Republic of Nowhere"])
    assert result.exit_code == 1


# -- dated group sectors and role sectors --------------------------------------------------------------------
def test_taliban_are_rebels_in_2019_and_afghanistans_government_after_taking_kabul(kb):
    taliban = kb.groups["TALIBAN"]
    assert (taliban.code_on(date(2019, 2, 1)), taliban.sector_on(date(2019, 2, 1))) == ("AFG", "REB")
    assert taliban.sector_on(date(2021, 8, 14)) == "REB"
    assert (taliban.code_on(date(2023, 3, 1)), taliban.sector_on(date(2023, 3, 1))) == ("AFG", "GOV")


def test_group_without_dated_sectors_has_its_one_sector_on_every_date(kb):
    hezbollah = kb.groups["HEZBOLLAH"]
    assert hezbollah.sector_on(date(2006, 7, 12)) == hezbollah.sector_on(date(2024, 9, 27)) == "REB"


def test_kb_show_gives_the_groups_sector_on_the_date_asked(kb):
    from communique.cli.kb import describe

    assert describe(kb, "Hayat Tahrir al-Sham", date(2020, 1, 1))[0]["sector"] == "REB"
    assert describe(kb, "Hayat Tahrir al-Sham", date(2025, 3, 1))[0]["sector"] == "GOV"


def test_senator_is_legislature_while_in_office_and_elite_after(kb):
    in_office = kb.resolve_person("John McCain", date(2015, 6, 1))
    assert (in_office.code, in_office.sector, in_office.role_text) == ("USA", "LEG", "U.S. Senator")
    assert kb.resolve_person("John McCain", date(2019, 6, 1)).sector == "ELI"


def test_armed_group_leader_has_the_groups_sector_and_state(kb):
    state = kb.resolve_person("Hassan Nasrallah", date(2019, 6, 1))
    assert (state.code, state.sector, state.role_text) == ("LBN", "REB", "Secretary-General of Hezbollah")


def test_role_held_in_a_uniform_or_an_agency_gives_its_sector(kb):
    assert kb.resolve_person("Martin Dempsey", date(2014, 9, 16)).sector == "MIL"
    assert kb.resolve_person("Gina Haspel", date(2019, 1, 29)).sector == "SPY"
    assert kb.resolve_person("John Bolton", date(2019, 5, 1)).sector == "GOV"


# -- names a user types ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["TUR", "tur", "Turkey", "Türkiye", "turkiye", "Ankara", "Turkish", "Erdogan", "Recep Tayyip Erdoğan"],
)
def test_a_code_in_any_case_a_state_its_capital_or_its_leader_names_the_state(name):
    from communique.kb.knowledge import KnowledgeBase

    assert KnowledgeBase.load().actor_code(name) == "TUR"


def test_an_unknown_name_raises_with_the_nearest_names():
    from communique.errors import UnknownActorError
    from communique.kb.knowledge import KnowledgeBase

    with pytest.raises(UnknownActorError) as raised:
        KnowledgeBase.load().actor_code("Kyrgystan")
    assert "Kyrgyzstan (KGZ)" in raised.value.nearest
