"""Coreference within a document: descriptions and pronouns that refer back to an actor the article named."""

from __future__ import annotations


def _analysis(analyzer, text: str, published: str = "2019-06-01"):
    return analyzer.analyze(text, published=published)


def _owner(document, surface: str, occurrence: int = 0):
    """The actors having a mention with exactly this text (the occurrence-th such text in the document)."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(surface, start + 1)
    end = start + len(surface)
    owners = [a for a in document.actors if any(m.start == start and m.end == end for m in a.mentions)]
    assert owners, (
        f"no actor has the mention {surface!r}: {[(a.name, [m.text for m in a.mentions]) for a in document.actors]}"
    )
    return owners


def _has_no_mention(document, surface: str) -> bool:
    return not any(m.text == surface for a in document.actors for m in a.mentions)


def test_the_ministry_is_the_ministry_named_before_with_its_state_and_sector(analyzer):
    document = _analysis(
        analyzer,
        "Iran's foreign ministry summoned the British ambassador on Sunday. "
        "The ministry said the seizure of the tanker in Gibraltar was illegal.",
    )
    (actor,) = _owner(document, "The ministry")
    assert (actor.code, actor.sector) == ("IRN", "GOV")
    mention = next(m for m in actor.mentions if m.text == "The ministry")
    assert mention.sentence == 1 and document.text[mention.start : mention.end] == "The ministry"


def test_the_countrys_military_and_foreign_minister_belong_to_the_state_just_named(analyzer):
    document = _analysis(
        analyzer,
        "Venezuela has been in crisis for years. The country's military has stood by Nicolas Maduro, "
        "and the country's foreign minister accused Washington of plotting a coup.",
    )
    (military,) = _owner(document, "The country's military")
    assert (military.code, military.sector, military.type) == ("VEN", "MIL", "group")
    (minister,) = _owner(document, "the country's foreign minister")
    assert (minister.code, minister.sector, minister.type) == ("VEN", "GOV", "person")
    assert minister.name != "Nicolás Maduro"  # the foreign minister is not the president


def test_the_country_is_the_state_the_article_is_about_not_the_last_one_named(analyzer):
    document = _analysis(
        analyzer,
        "Ukraine asked for more weapons on Monday. Ukraine's president said Russia had massed troops on "
        "the border. The country needs air defence, he added.",
    )
    (country,) = _owner(document, "The country")
    assert country.code == "UKR"


def test_the_two_leaders_are_both_people_named_before(analyzer):
    document = _analysis(
        analyzer,
        "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Sochi on Tuesday. "
        "The two leaders agreed to set up a buffer zone in Idlib.",
    )
    owners = _owner(document, "The two leaders")
    assert sorted((a.code, a.sector) for a in owners) == [("RUS", "GOV"), ("TUR", "GOV")]


def test_both_countries_are_the_two_states_named_before(analyzer):
    document = _analysis(
        analyzer,
        "India and Pakistan exchanged fire across the Line of Control overnight. "
        "Both countries claim the whole of Kashmir.",
    )
    assert sorted(a.code for a in _owner(document, "Both countries")) == ["IND", "PAK"]


def test_a_plural_description_with_too_few_antecedents_stays_unresolved(analyzer):
    document = _analysis(
        analyzer,
        "German Chancellor Angela Merkel arrived in Washington on Thursday. The two leaders will meet on Friday.",
    )
    assert _has_no_mention(document, "The two leaders")


def test_a_bare_ministry_with_two_states_in_sight_and_none_named_before_stays_unresolved(analyzer):
    document = _analysis(
        analyzer,
        "Russia and Ukraine traded accusations on Monday. The ministry said talks would resume next week.",
    )
    assert _has_no_mention(document, "The ministry")


def test_the_army_with_one_state_in_sight_is_that_states_military(analyzer):
    document = _analysis(
        analyzer,
        "Fighting flared again in northern Syria on Monday. The army said it had retaken two villages.",
    )
    (army,) = _owner(document, "The army")
    assert (army.code, army.sector) == ("SYR", "MIL")


def test_the_neighbouring_country_is_not_the_country_just_named(analyzer):
    document = _analysis(
        analyzer,
        "Thousands of Venezuelans crossed into Colombia this week. The neighbouring country has taken in "
        "more than a million people.",
    )
    assert _has_no_mention(document, "The neighbouring country")


def test_the_president_left_unresolved_is_the_president_named_before(analyzer):
    document = _analysis(
        analyzer,
        "Emmanuel Macron, the French president, flew to Beijing on Sunday for talks on trade. "
        "Officials from both sides met first. Ministers then signed a dozen contracts. "
        "The president is due to meet students on Tuesday.",
    )
    (president,) = _owner(document, "The president")
    assert (president.code, president.sector) == ("FRA", "GOV")


def test_he_as_a_speaker_is_the_person_named_before_and_the_quote_is_theirs(analyzer):
    document = _analysis(
        analyzer,
        "Iranian Foreign Minister Mohammad Javad Zarif arrived in Tokyo on Monday. "
        "Tehran would never negotiate under pressure, he said.",
    )
    (speaker,) = _owner(document, "he")
    assert (speaker.code, speaker.sector) == ("IRN", "GOV")
    quote = next(q for q in document.quotes if q.cue.text == "said")
    assert quote.speaker.code == "IRN"


def test_the_kremlin_is_the_russian_government_without_an_antecedent(analyzer):
    document = _analysis(analyzer, "The Kremlin dismissed the report as absolutely false.")
    (kremlin,) = _owner(document, "Kremlin")
    assert kremlin.code == "RUS"


def test_the_country_is_not_a_state_its_own_sentence_names_after_it(analyzer):
    document = _analysis(
        analyzer,
        "Japan has pressed North Korea for years over the abductions. North Korea denies holding anyone. "
        "The country lifted some sanctions on North Korea in 2014 after Pyongyang reopened its inquiry.",
    )
    (country,) = _owner(document, "The country")
    assert country.code == "JPN"


def test_both_countries_are_not_the_state_that_modifies_the_word_they_depend_on(analyzer):
    document = _analysis(
        analyzer,
        "A strike would risk huge casualties in Japan and South Korea, and among U.S. forces in both countries.",
    )
    assert sorted(a.code for a in _owner(document, "both countries")) == ["JPN", "KOR"]


def test_a_bare_title_with_two_holders_in_the_article_stays_unresolved(analyzer):
    document = _analysis(
        analyzer,
        "Will President Trump meet President Putin in Paris? The Kremlin said the pair would hold a working "
        "lunch, but the US contradicted that the same day. Officials gave no details. Aides said nothing more. "
        '"I don\'t think we have anything scheduled," the president said.',
        published="2018-11-09",
    )
    assert _has_no_mention(document, "the president")


def test_the_administration_with_only_a_foreign_state_in_sight_is_not_that_states_government(analyzer):
    document = _analysis(
        analyzer,
        "Syria used chemical weapons again, the report said. "
        'A former official said the administration "did underestimate Assad."',
    )
    assert _has_no_mention(document, "the administration")
