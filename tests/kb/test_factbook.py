"""The Factbook importer: reading executive-branch texts and resolving the imported office holders."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import shared_path

from communique.kb.factbook import first_named, parse_executive, read_holders


def test_surname_in_capitals_and_since_date_are_read():
    [holder] = parse_executive("President Vladimir Vladimirovich PUTIN (since 7 May 2012)")
    assert holder.name == "Vladimir Vladimirovich Putin"
    assert "Vladimir Putin" in holder.aliases
    assert holder.title == "President"
    assert holder.start == date(2012, 5, 7)


def test_represented_monarch_is_marked_and_representative_kept_apart():
    holders = parse_executive(
        "King CHARLES III (since 8 September 2022); represented by Governor General Mary SIMON (since 26 July 2021)"
    )
    assert [h.name for h in holders] == ["Charles III", "Mary Simon"]
    assert holders[0].represented and not holders[0].representative
    assert holders[1].representative and holders[1].title == "Governor General"


def test_co_princes_each_become_a_holder():
    holders = parse_executive(
        "Co-prince Emmanuel MACRON (since 14 May 2017); represented by Patrick STROZDA (since 14 May 2017); and "
        "Co-prince Archbishop Joan-Enric VIVES i Sicilia (since 12 May 2003); represented by Eduard Ibanez "
        "PULIDO (since 27 November 2023)"
    )
    sovereigns = [h.name for h in holders if not h.representative]
    assert sovereigns == ["Emmanuel Macron", "Joan-Enric Vives i Sicilia"]


def test_collective_presidency_lists_every_member():
    holders = parse_executive(
        "Chairperson of the Presidency Zeljko KOMSIC (chairperson since 16 July 2025; presidency member since 20 "
        "November 2018 - Croat seat); Denis BECIROVIC (presidency member since 16 November 2022 - Bosniak seat); "
        "Zeljka CVIJANOVIC (presidency member since 16 November 2022 - Serb seat)"
    )
    assert [h.name for h in holders] == ["Zeljko Komsic", "Denis Becirovic", "Zeljka Cvijanovic"]


def test_notes_html_and_entities_are_not_names():
    holders = parse_executive(
        "Prime Minister Alix Didier FILS-AIM&Eacute; (since 10 November 2024)<br><br><strong>note:</strong> "
        "President Jovenel MOISE was assassinated on 7 July 2021"
    )
    assert [h.name for h in holders] == ["Alix Didier Fils-Aimé"]


def test_two_regents_joined_by_and_are_two_holders_with_an_end_date():
    holders = parse_executive(
        "co-chiefs of state Captains Regent Matteo ROSSI and Lorenzo BUGLI (for the period 1 October 2025 - 31 "
        "March 2026)"
    )
    assert [h.name for h in holders] == ["Matteo Rossi", "Lorenzo Bugli"]
    assert holders[1].end == date(2026, 3, 31)


def test_alternative_spelling_becomes_an_alias():
    [holder] = parse_executive("King WACHIRALONGKON; also spelled Vajiralongkorn (since 1 December 2016)")
    assert holder.aliases == ["Vajiralongkorn"]
    assert holder.start == date(2016, 12, 1)


# ---------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The Factbook imported into a temporary user data directory; the knowledge base and an actor stage
    that read it (the other stages are not needed to resolve a name)."""
    from communique.kb.factbook import import_factbook
    from communique.kb.knowledge import KnowledgeBase
    from communique.pipeline import load_language
    from communique.stages.actors import ActorRecognizer
    from communique.stages.entities import add_entity_rulers

    directory = shared_path("reference", "kb", "factbook-json")
    data_dir = tmp_path_factory.mktemp("communique-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("COMMUNIQUE_DATA_DIR", str(data_dir))
    mp.setenv("XDG_CACHE_HOME", str(data_dir / "cache"))
    try:
        written = import_factbook(directory, kb=KnowledgeBase.load())
        assert written.parent == data_dir
        kb = KnowledgeBase.load()
        nlp = load_language()
        add_entity_rulers(nlp, kb)
        yield directory, kb, nlp, ActorRecognizer(nlp, kb)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The knowledge base as installed, with no import and no override file, and an actor stage over it."""
    from communique.kb.knowledge import KnowledgeBase
    from communique.pipeline import load_language
    from communique.stages.actors import ActorRecognizer
    from communique.stages.entities import add_entity_rulers

    directory = shared_path("reference", "kb", "factbook-json")
    home = tmp_path_factory.mktemp("empty-home")
    mp = pytest.MonkeyPatch()
    for variable in ("COMMUNIQUE_KB_OVERRIDES", "COMMUNIQUE_KB_DIR"):
        mp.delenv(variable, raising=False)
    mp.setenv("COMMUNIQUE_DATA_DIR", str(home / "data"))
    mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
    mp.setenv("XDG_CACHE_HOME", str(home / "cache"))
    try:
        kb = KnowledgeBase.load()
        assert not any("kb-factbook" in source or "overrides" in source for source in kb.sources)
        nlp = load_language()
        add_entity_rulers(nlp, kb)
        yield directory, kb, nlp, ActorRecognizer(nlp, kb)
    finally:
        mp.undo()


def _expected_code(holder, code, home):
    # A sovereign "represented by" a governor general (Charles III in Canada) is the head of state of his own
    # country first: a sentence naming him alone means that country.
    return home.get(holder.name, code) if holder.represented else code


def _rate(imported, which: str, verbatim: bool = False, titled: bool = False) -> tuple[float, list[str]]:
    """Share of profiles whose first chief of state (or head of government) resolves, in "<name> met reporters
    on Monday." dated 2026-01-15, to the profile's state with sector GOV. ``verbatim`` writes the name exactly
    as the Factbook does, title and capitals included ("President Vladimir Vladimirovich PUTIN"); ``titled``
    writes the title before the name as the press does ("President Patrice Talon")."""
    from communique.document import Document, Sentence

    directory, kb, nlp, recognizer = imported
    profiles, _ = read_holders(directory, kb)
    home = {
        p.chief_of_state[0].name: p.code
        for p in profiles
        if p.chief_of_state and not p.chief_of_state[0].represented
    }
    cases = []
    for p in profiles:
        holders = p.chief_of_state if which == "chief" else p.head_of_government
        if holders:
            cases.append((p, holders[0]))
    missing = [
        p.gec for p in profiles if not (p.chief_of_state if which == "chief" else p.head_of_government)
    ]
    names = [
        first_named(p.chief_of_state_text if which == "chief" else p.head_of_government_text)
        if verbatim
        else f"{h.title} {h.name}"
        if titled and h.title
        else h.name
        for p, h in cases
    ]
    docs = [Document(text=f"{name} met reporters on Monday.", published=date(2026, 1, 15)) for name in names]
    for document, parsed in zip(docs, nlp.pipe([d.text for d in docs]), strict=True):
        document.parsed = parsed
        document.sentences = [Sentence(i, s.start_char, s.end_char) for i, s in enumerate(parsed.sents)]
        recognizer(document)
    failures = []
    for (p, holder), document in zip(cases, docs, strict=True):
        expected = _expected_code(holder, p.code, home)
        span_end = len(document.text) - len(" met reporters on Monday.")
        person = next(
            (a for a in document.actors if a.type == "person" and a.mentions[0].start < span_end), None
        )
        if person is None or person.code != expected or person.sector != "GOV":
            got = f"{person.code} {person.sector}" if person else "no person"
            failures.append(f"{p.gec}/{p.code}: {holder.name!r} -> {got}")
    total = len(cases) + len(missing)
    return (len(cases) - len(failures)) / total, failures + [f"{g}: no holder read" for g in missing]


def test_chiefs_of_state_named_as_in_the_factbook_resolve_to_their_country_in_government(imported):
    rate, failures = _rate(imported, "chief")
    print(f"\nFactbook chiefs of state resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.95


def test_heads_of_government_named_as_in_the_factbook_resolve_to_their_country_in_government(imported):
    rate, failures = _rate(imported, "head")
    print(f"\nFactbook heads of government resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.95


def test_chiefs_of_state_written_verbatim_with_title_and_capitals_resolve_too(imported):
    rate, failures = _rate(imported, "chief", verbatim=True)
    print(f"\nFactbook chiefs of state, verbatim text, resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.95


def test_heads_of_government_written_verbatim_with_title_and_capitals_resolve_too(imported):
    rate, failures = _rate(imported, "head", verbatim=True)
    print(f"\nFactbook heads of government, verbatim text, resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.95


def test_import_keeps_packaged_history_and_adds_the_current_office(imported):
    _, kb, _, _ = imported
    state = kb.resolve_person("Ilham Aliyev", date(2026, 1, 15))
    assert state is not None and state.code == "AZE" and state.sector == "GOV"
    assert len([p for p in kb.people.values() if p.name == "Ilham Aliyev"]) == 1


# ---------------------------------------------------------------------------------------------------------
# The shipped knowledge base: what a user gets from `pip install` without running any import.
def test_shipped_chiefs_of_state_with_their_title_resolve_to_their_country_in_government(shipped):
    rate, failures = _rate(shipped, "chief", titled=True)
    print(f"\nshipped KB, chiefs of state resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.98


def test_shipped_heads_of_government_with_their_title_resolve_to_their_country_in_government(shipped):
    rate, failures = _rate(shipped, "head", titled=True)
    print(f"\nshipped KB, heads of government resolved: {rate:.1%}; failures: {failures}")
    assert rate >= 0.98


def test_shipped_office_holders_named_without_a_title_resolve_too(shipped):
    chiefs, chief_failures = _rate(shipped, "chief")
    heads, head_failures = _rate(shipped, "head")
    print(
        f"\nshipped KB, bare names: chiefs {chiefs:.1%}, heads {heads:.1%}: {chief_failures + head_failures}"
    )
    assert chiefs >= 0.98 and heads >= 0.98
