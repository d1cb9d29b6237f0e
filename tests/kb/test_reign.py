"""The REIGN importer and the leader spells the knowledge base ships from it (data/kb/imported/reign.yaml)."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from conftest import shared_path

from communique.kb.reign import SNAPSHOT, cow_states, read_spells, reign_people


@pytest.fixture(scope="module")
def shipped_kb(tmp_path_factory):
    """The knowledge base as installed: no user import, no override file."""
    from communique.kb.knowledge import KnowledgeBase

    home = tmp_path_factory.mktemp("empty-home")
    mp = pytest.MonkeyPatch()
    for variable in ("COMMUNIQUE_KB_OVERRIDES", "COMMUNIQUE_KB_DIR"):
        mp.delenv(variable, raising=False)
    mp.setenv("COMMUNIQUE_DATA_DIR", str(home / "data"))
    mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
    mp.setenv("XDG_CACHE_HOME", str(home / "cache"))
    try:
        yield KnowledgeBase.load()
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def spells():
    return read_spells(shared_path("reference", "kb", "reign-leaders"))


def test_cow_numbers_map_to_iso3_codes_not_to_the_cow_letters():
    states = cow_states()
    # COW's letters collide with other ISO3 codes: AUS is Austria, SWZ Switzerland, MNG Montenegro
    assert states["305"].iso3 == "AUT" and states["225"].iso3 == "CHE" and states["341"].iso3 == "MNE"
    assert states["900"].iso3 == "AUS" and states["705"].iso3 == "KAZ"


def test_predecessor_states_are_left_out(spells):
    assert not [s for s in spells if s.code == "RUS" and s.start < date(1991, 12, 25)]  # the Soviet Union
    assert not [s for s in spells if s.code == "CZE" and s.start < date(1993, 1, 1)]  # Czechoslovakia


def test_a_spell_ends_the_day_before_the_next_leader_took_office(spells):
    usa = [s for s in spells if s.code == "USA"]
    truman = next(s for s in usa if s.leader == "Truman")
    eisenhower = next(s for s in usa if s.leader == "Eisenhower")
    assert truman.start == date(1945, 4, 12)
    assert truman.end == date(1953, 1, 19) and eisenhower.start == date(1953, 1, 20)


def test_the_shipped_file_is_what_the_importer_writes_from_the_shipped_base(spells, shipped_kb):
    from communique.kb.load import packaged_kb_dir

    people, counts = reign_people(spells, shipped_kb)
    text = (packaged_kb_dir() / "imported" / "reign.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["people"] == people
    print(f"\nREIGN spells: {counts}")
    assert counts["new"] + counts["merged"] > 1500


def test_a_former_leader_only_reign_knows_is_in_government_during_the_spell_and_eli_after(shipped_kb):
    during = shipped_kb.resolve_person("Abboud", date(1960, 6, 1))
    after = shipped_kb.resolve_person("Abboud", date(2026, 1, 15))
    assert during is not None and during.code == "SDN" and during.sector == "GOV"
    assert after is not None and after.code == "SDN" and after.sector == "ELI"


def test_an_open_spell_of_someone_no_longer_in_office_closes_at_the_snapshot(shipped_kb):
    # Francisco Sagasti was Peru's president in March 2021 and holds no office in the Factbook's final edition
    state = shipped_kb.resolve_person("Francisco Sagasti", date(2026, 1, 15))
    assert state is not None and state.code == "PER" and state.sector == "ELI"
    assert state.role is not None and state.role.end == SNAPSHOT


def test_a_lone_surname_that_names_someone_else_is_not_added():
    # "Johnson" (Lyndon B. Johnson in REIGN) would take every "Johnson" of the news, Boris Johnson's too
    from communique.kb.load import packaged_kb_dir

    people = yaml.safe_load((packaged_kb_dir() / "imported" / "reign.yaml").read_text(encoding="utf-8"))
    assert "Johnson" not in {p["name"] for p in people["people"]}


def test_a_surname_reign_gives_alone_is_no_name_matched_everywhere(shipped_kb):
    # REIGN lists Barbados's Lloyd Erskine Sandiford as "Sandiford" and others as "Christian" or "Thompson":
    # such a word names the leader only as a surname, with a title ("former Prime Minister Thompson")
    christian = [p for p in shipped_kb.people.values() if p.name == "Christian"]
    assert christian and christian[0].matched_names() == []
    assert not [e for e in shipped_kb.lookup("Christian") if e.kind == "person"]
    assert christian[0] in shipped_kb.people_with_surname("Christian")


def test_a_reign_leader_named_by_title_and_surname_resolves(analyzer):
    actors = analyzer.analyze("Former President Pinochet died in 2006.", published="2026-01-15").actors
    person = next(a for a in actors if a.type == "person")
    assert (person.code, person.sector) == ("CHL", "ELI")
