"""Loading the knowledge base (communique/kb/load.py): user overrides on top of the base, a later entry correcting
an earlier one, the cache, and malformed files refused with their file, entry and field (or line)."""

from __future__ import annotations

from datetime import date

import pytest

from communique.errors import KnowledgeBaseError
from communique.kb.knowledge import KnowledgeBase


@pytest.fixture
def small_base(tmp_path, monkeypatch):
    """A two-entry base (Kazakhstan, Nazarbayev) so override tests need not parse the whole packaged data."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    base = tmp_path / "kb"
    (base / "people").mkdir(parents=True)
    (base / "countries.yaml").write_text(
        "- {code: KAZ, iso2: KZ, name: Kazakhstan, official: Republic of Kazakhstan, adjectives: [Kazakh],\n"
        "   capital: Astana, capital_aliases: [Nur-Sultan, Akmola]}\n",
        encoding="utf-8",
    )
    (base / "people" / "central_asia.yaml").write_text(
        "- name: Nursultan Nazarbayev\n"
        "  roles:\n"
        "    - {country: KAZ, role: head_of_state, title: President, start: 1990-04-24, end: 2019-03-20}\n",
        encoding="utf-8",
    )
    return base


def test_override_file_adds_a_person_and_corrects_a_capital(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "countries:\n"
        "  - {code: KAZ, capital: Nur-Sultan}\n"
        "people:\n"
        "  - name: Askar Mamin\n"
        "    roles:\n"
        "      - {country: KAZ, role: head_of_government, title: Prime Minister, start: 2019-02-25, end: 2022-01-05}\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    assert kb.country("KAZ").capital == "Nur-Sultan"
    assert kb.country("KAZ").name == "Kazakhstan"  # fields not given are kept
    state = kb.resolve_person("Askar Mamin", date(2020, 1, 1))
    assert (state.code, state.sector, state.role_text) == ("KAZ", "GOV", "Prime Minister of Kazakhstan")


def test_override_roles_are_added_to_a_known_person(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "people:\n  - name: Nursultan Nazarbayev\n    opposition: [{start: 2030-01-01}]\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    assert kb.resolve_person("Nursultan Nazarbayev", date(2015, 1, 1)).sector == "GOV"
    assert kb.resolve_person("Nursultan Nazarbayev", date(2031, 1, 1)).sector == "OPP"


def test_malformed_override_names_the_file_entry_and_field(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "people:\n  - name: Askar Mamin\n    roles:\n      - {country: KAZ, role: head_of_government, start: 2019-13-45}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    message = str(caught.value)
    assert str(overrides) in message and "Askar Mamin" in message and "`start`" in message


def test_missing_override_file_given_explicitly_is_an_error(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="not found"):
        KnowledgeBase.load(overrides=tmp_path / "nope.yaml", data_dir=tmp_path)


def test_cached_base_is_rebuilt_when_an_override_changes(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text("countries:\n  - {code: KAZ, capital: Nur-Sultan}\n", encoding="utf-8")
    assert KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base).country(
        "KAZ"
    ).capital == ("Nur-Sultan")
    overrides.write_text("countries:\n  - {code: KAZ, capital: Astana}\n", encoding="utf-8")
    import os

    os.utime(overrides, ns=(1, 1))  # a different modification time, as an edit would give
    assert KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base).country(
        "KAZ"
    ).capital == ("Astana")


def test_override_file_can_date_a_groups_sector(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "groups:\n"
        "  - id: ALASH\n"
        "    name: Alash Orda\n"
        "    code: KAZ\n"
        "    sector: OPP\n"
        "    sectors:\n"
        "      - {sector: GOV, start: 1917-12-13, end: 1920-08-26}\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    assert kb.groups["ALASH"].sector_on(date(1918, 6, 1)) == "GOV"
    assert kb.groups["ALASH"].sector_on(date(1921, 1, 1)) == "OPP"


def test_dated_sector_with_an_unknown_code_names_the_entry_and_field(tmp_path, small_base):
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "groups:\n  - {id: ALASH, name: Alash Orda, sectors: [{sector: RULERS, start: 1917-12-13}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    assert "Alash Orda" in str(caught.value) and "`sector`" in str(caught.value)


def test_a_key_written_twice_in_an_override_file_is_refused_with_both_lines(tmp_path, small_base):
    """YAML alone keeps the last value and says nothing: the first capital would be lost without a word."""
    overrides = tmp_path / "kb-overrides.yaml"
    overrides.write_text(
        "countries:\n  - code: KAZ\n    capital: Nur-Sultan\n    capital: Astana\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        KnowledgeBase.load(overrides=overrides, data_dir=tmp_path, kb_dir=small_base)
    message = str(caught.value)
    assert str(overrides) in message and "capital" in message and "line 3" in message and "line 4" in message


def test_an_agent_term_listed_twice_is_refused_with_both_lines(tmp_path, small_base):
    (small_base / "agents.tsv").write_text(
        "term\tsector\tnote\ntroops\tMIL\tsoldiers\nTroops\tREB\ta second reading\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        KnowledgeBase.load(data_dir=tmp_path, kb_dir=small_base, use_cache=False)
    assert (
        "agents.tsv" in str(caught.value) and "line 3" in str(caught.value) and "line 2" in str(caught.value)
    )


def test_agent_terms_are_read_with_their_sectors_and_a_bad_sector_names_its_line(tmp_path, small_base):
    (small_base / "agents.tsv").write_text("term\tsector\ntroops\tMIL\nriot police\tCOP\n", encoding="utf-8")
    kb = KnowledgeBase.load(data_dir=tmp_path, kb_dir=small_base, use_cache=False)
    assert kb.agent_sector("troops") == "MIL" and kb.agent_sector("riot police") == "COP"
    (small_base / "agents.tsv").write_text("term\tsector\ntroops\tARMY\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"line 2 \('troops'\).*unknown sector 'ARMY'"):
        KnowledgeBase.load(data_dir=tmp_path, kb_dir=small_base, use_cache=False)
