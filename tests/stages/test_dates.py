"""Dates: every date expression normalised against the publication date (communique/stages/dates.py)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def dates_of(analyzer, text: str, published: str | None = "2022-10-13") -> dict[str, tuple]:
    """text -> (value, granularity) of every date expression found."""
    document = analyzer.analyze(text, published=published)
    return {d.text: (d.value, d.granularity) for d in document.dates}


# -- the seed article -------------------------------------------------------------------------------------


def test_seed_required_dates_have_gold_values(seed_analysis, seed_gold):
    found = {(d["text"], d["value"]) for d in seed_analysis["dates"]}
    for required in seed_gold["dates"]["required"]:
        assert (required["text"], required["value"]) in found, required


def test_seed_six_months_ago_resolves_both_occurrences_to_april(seed_analysis):
    values = [d["value"] for d in seed_analysis["dates"] if d["text"] == "six months ago"]
    assert values == ["2022-04", "2022-04"]


def test_seed_today_resolves_to_publication_day(seed_analysis):
    todays = [d for d in seed_analysis["dates"] if d["text"].lower() == "today"]
    assert todays and all(d["value"] == "2022-10-13" and d["granularity"] == "day" for d in todays)


def test_seed_centuries_is_not_a_date(seed_analysis):
    assert not any("centur" in d["text"] for d in seed_analysis["dates"])


def test_date_offsets_point_at_their_text(seed_analysis):
    text = seed_analysis["document"]["text"]
    for d in seed_analysis["dates"]:
        assert text[d["start"] : d["end"]] == d["text"]


def test_date_sentence_index_contains_the_date(analyzer, seed_text):
    document = analyzer.analyze(seed_text, published="2022-10-13")
    for d in document.dates:
        sentence = document.sentences[d.sentence]
        assert sentence.start <= d.start < sentence.end


# -- absolute ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, text, value",
    [
        ("The ministers met on 13 October 2022 in Baku.", "13 October 2022", "2022-10-13"),
        ("The agreement was signed Oct. 13, 2022, in Ankara.", "Oct. 13, 2022", "2022-10-13"),
        ("The decree dated 2022-10-13 entered into force at once.", "2022-10-13", "2022-10-13"),
        ("The memorandum of 13.10.2022 was never ratified.", "13.10.2022", "2022-10-13"),
    ],
)
def test_full_dates_resolve_to_the_day(analyzer, sentence, text, value):
    assert dates_of(analyzer, sentence, published="2023-05-01")[text] == (value, "day")


def test_month_and_year_resolves_to_the_month(analyzer):
    found = dates_of(analyzer, "In June 2021, Azerbaijan and Turkey signed the Shusha Declaration.")
    assert found["June 2021"] == ("2021-06", "month")


def test_year_after_preposition_resolves_to_the_year(analyzer):
    found = dates_of(analyzer, "The treaty was ratified in 2019 by both parliaments.")
    assert found["2019"] == ("2019", "year")


def test_year_range_gives_both_years(analyzer):
    found = dates_of(analyzer, "He served as prime minister from 2003 to 2011.")
    assert found["2003"] == ("2003", "year") and found["2011"] == ("2011", "year")


def test_decade_keeps_value_null_with_decade_granularity(analyzer):
    found = dates_of(analyzer, "The border was quiet throughout the 1990s.")
    assert found["1990s"] == (None, "decade")


def test_number_of_people_is_not_a_year(analyzer):
    assert dates_of(analyzer, "Among the arrivals were 2000 refugees from the border villages.") == {}


def test_absolute_dates_resolve_without_publication_date(analyzer):
    found = dates_of(analyzer, "The accord was signed on 9 November 2020 in Moscow.", published=None)
    assert found["9 November 2020"] == ("2020-11-09", "day")


def test_impossible_calendar_date_is_dropped(analyzer):
    assert "31 June 2022" not in dates_of(analyzer, "The letter is dated 31 June 2022, an impossible day.")


# -- partial ----------------------------------------------------------------------------------------------


def test_past_month_day_takes_most_recent_occurrence(analyzer):
    found = dates_of(analyzer, "The summit took place on October 11 at the initiative of the host.")
    assert found["October 11"] == ("2022-10-11", "day")


def test_future_month_day_takes_next_occurrence(analyzer):
    found = dates_of(analyzer, "The runoff election will be held on March 3.")
    assert found["March 3"] == ("2023-03-03", "day")


def test_past_month_day_across_year_boundary(analyzer):
    found = dates_of(
        analyzer, "The ministers met on December 28 to discuss gas transit.", published="2023-01-05"
    )
    assert found["December 28"] == ("2022-12-28", "day")


def test_future_month_day_across_year_boundary(analyzer):
    found = dates_of(analyzer, "Talks will resume on January 10 in Geneva.", published="2022-12-20")
    assert found["January 10"] == ("2023-01-10", "day")


def test_february_29_in_past_tense_finds_the_last_leap_year(analyzer):
    found = dates_of(analyzer, "The accord was signed on February 29 in Doha.", published="2023-03-10")
    assert found["February 29"] == ("2020-02-29", "day")


def test_february_29_in_leap_year(analyzer):
    found = dates_of(analyzer, "The accord was signed on February 29 in Doha.", published="2024-03-10")
    assert found["February 29"] == ("2024-02-29", "day")


def test_weekday_with_month_day_picks_the_year_that_fits(analyzer):
    found = dates_of(analyzer, "The attack on Monday, March 23 killed four soldiers.", published="2020-03-25")
    assert found["Monday, March 23"] == ("2020-03-23", "day")


def test_bare_weekday_in_past_tense_is_most_recent_such_day(analyzer):
    # 2022-10-13 is a Thursday.
    assert dates_of(analyzer, "Troops withdrew from the town on Friday.")["Friday"] == ("2022-10-07", "day")


def test_bare_weekday_in_future_tense_is_next_such_day(analyzer):
    found = dates_of(analyzer, "The president will travel to Moscow on Monday.")
    assert found["Monday"] == ("2022-10-17", "day")


def test_last_weekday_is_before_publication(analyzer):
    found = dates_of(analyzer, "The delegation arrived last Tuesday.")
    assert found["last Tuesday"] == ("2022-10-11", "day")


def test_weekday_naming_publication_day_in_past_tense_is_that_day(analyzer):
    found = dates_of(analyzer, "The foreign minister said Thursday that talks had failed.")
    assert found["Thursday"] == ("2022-10-13", "day")


def test_bare_month_in_past_tense_is_most_recent(analyzer):
    assert dates_of(analyzer, "Voting took place in March.")["March"] == ("2022-03", "month")


def test_bare_month_with_future_tense_is_next(analyzer):
    found = dates_of(analyzer, "Parliament will debate the budget in February.")
    assert found["February"] == ("2023-02", "month")


def test_modal_may_is_not_a_month(analyzer):
    assert dates_of(analyzer, "May the talks succeed, and parliament may vote on the bill.") == {}


def test_partial_dates_keep_null_value_without_publication_date(analyzer):
    found = dates_of(analyzer, "The summit took place on October 11.", published=None)
    assert found["October 11"] == (None, "day")


# -- relative ---------------------------------------------------------------------------------------------


def test_months_ago_resolves_to_month(analyzer):
    found = dates_of(analyzer, "The declaration was signed six months ago.")
    assert found["six months ago"] == ("2022-04", "month")


def test_next_month_resolves_to_following_month(analyzer):
    assert dates_of(analyzer, "The visit is planned for next month.")["next month"] == ("2022-11", "month")


def test_next_month_in_december_rolls_over_the_year(analyzer):
    found = dates_of(analyzer, "The visit is planned for next month.", published="2022-12-02")
    assert found["next month"] == ("2023-01", "month")


def test_last_year_and_next_year(analyzer):
    found = dates_of(analyzer, "The ceasefire was agreed last year and will be reviewed next year.")
    assert found["last year"] == ("2021", "year") and found["next year"] == ("2023", "year")


def test_yesterday_and_tomorrow(analyzer):
    found = dates_of(analyzer, "The two sides held talks yesterday and will meet again tomorrow.")
    assert found["yesterday"] == ("2022-10-12", "day") and found["tomorrow"] == ("2022-10-14", "day")


def test_earlier_this_month(analyzer):
    found = dates_of(analyzer, "Earlier this month the border crossing was closed.")
    assert found["Earlier this month"] == ("2022-10", "month")


def test_weeks_ago_resolves_to_the_day(analyzer):
    found = dates_of(analyzer, "Parliament voted two weeks ago to extend the mission.")
    assert found["two weeks ago"] == ("2022-09-29", "day")


def test_a_decade_ago_resolves_to_year(analyzer):
    assert dates_of(analyzer, "The base was opened a decade ago.")["a decade ago"] == ("2012", "year")


def test_anchored_relative_keeps_null_value(analyzer):
    found = dates_of(analyzer, "Three years after the war, the region remains tense.")
    assert found["Three years after"] == (None, "year")


def test_vague_count_keeps_null_value(analyzer):
    found = dates_of(analyzer, "A few years ago, relations between the neighbours were warmer.")
    assert found["A few years ago"] == (None, "year")


def test_relative_dates_keep_null_value_without_publication_date(analyzer):
    found = dates_of(analyzer, "The talks collapsed six months ago and resume next month.", published=None)
    assert found["six months ago"] == (None, "month") and found["next month"] == (None, "month")


def test_relative_flag_marks_relative_and_partial_expressions(analyzer):
    document = analyzer.analyze(
        "In June 2021 they met; six months ago they met again.", published="2022-10-13"
    )
    flags = {d.text: d.relative for d in document.dates}
    assert flags == {"June 2021": False, "six months ago": True}


# -- not points in time -----------------------------------------------------------------------------------


def test_durations_are_not_dates(analyzer):
    text = "The sanctions have lasted six months, and the two countries have quarrelled for decades."
    assert dates_of(analyzer, text) == {}


def test_ages_are_not_dates(analyzer):
    assert dates_of(analyzer, "A 13-year-old boy was wounded in the three-year war.") == {}


def test_newspaper_name_today_is_not_a_date(analyzer):
    assert "Today" not in dates_of(analyzer, "The minister told USA Today that the talks had failed.")


def test_theresa_may_is_not_a_month(analyzer):
    text = "Leadsom apologized to May on Monday, and a neighbour of May praised her."
    assert "May" not in dates_of(analyzer, text, published="2016-07-11")


def test_month_after_in_is_a_month_even_when_may(analyzer):
    found = dates_of(analyzer, "The step was taken in May, officials acknowledged.", published="2015-08-16")
    assert found["May"] == ("2015-05", "month")


def test_would_governs_a_future_month(analyzer):
    found = dates_of(analyzer, "Cameron had announced he would resign by October.", published="2016-07-11")
    assert found["October"] == ("2016-10", "month")


def test_present_tense_weekday_is_upcoming(analyzer):
    # 2013-06-14 is a Friday; the summit is on the coming Monday.
    found = dates_of(analyzer, "The next test comes Monday when Obama meets Putin.", published="2013-06-14")
    assert found["Monday"] == ("2013-06-17", "day")


def test_scheduled_weekday_is_upcoming(analyzer):
    text = "On Sunday afternoon, the president is scheduled to travel to the cemetery."
    assert dates_of(analyzer, text, published="2018-11-10")["Sunday"] == ("2018-11-11", "day")


def test_reported_speech_in_present_tense_keeps_the_past_weekday(analyzer):
    found = dates_of(analyzer, "Kerry says Tuesday that the talks failed.", published="2014-04-24")
    assert found["Tuesday"] == ("2014-04-22", "day")


def test_last_night_after_a_possessive_is_not_yesterday(analyzer):
    assert dates_of(analyzer, "We were entertained at a lavish dinner on our last night in town.") == {}


def test_weekday_qualifying_a_plural_noun_is_not_a_day(analyzer):
    text = "Rice went on five different Sunday news shows and misled the public."
    assert "Sunday" not in dates_of(analyzer, text)


def test_upper_case_newspaper_name_is_not_today(analyzer):
    text = "Doug Stanglin USA TODAY Thousands of migrants arrived in Austria on Saturday."
    assert "TODAY" not in dates_of(analyzer, text, published="2015-09-05")


def test_plans_to_governs_a_future_weekday(analyzer):
    text = "Trump was meeting the Queen in England, with plans to meet Putin for a summit on Monday."
    assert dates_of(analyzer, text, published="2018-07-13")["Monday"] == ("2018-07-16", "day")


def test_infinitive_after_a_participle_is_upcoming(analyzer):
    text = "David Holmes, an aide subpoenaed to testify behind closed doors on Friday, overheard the call."
    assert dates_of(analyzer, text, published="2019-11-14")["Friday"] == ("2019-11-15", "day")


def test_purpose_infinitive_in_past_passive_stays_in_the_past(analyzer):
    text = "He was flown to Geneva to meet the envoy on Friday."
    assert dates_of(analyzer, text, published="2019-11-14")["Friday"] == ("2019-11-08", "day")


def test_today_after_that_is_still_today(analyzer):
    assert dates_of(analyzer, "The fact is that today the regime has the guns.")["today"] == (
        "2022-10-13",
        "day",
    )


# -- any text ---------------------------------------------------------------------------------------------

DATE_WORDS = [
    "May",
    "2019",
    "last",
    "Friday",
    "six months ago",
    "Oct.",
    "13",
    ",",
    "the",
    "1990s",
    "next",
    "week",
    "'90s",
    "February 29",
    "-",
    "mid",
    "Today",
    "in",
    "December 28",
    "a few",
    "years",
    "ago",
    "will",
    "said",
    "\n",
    "31 June",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=6)), max_size=30),
    published=st.one_of(st.none(), st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31))),
)
def test_any_text_gives_dates_whose_offsets_point_at_their_text(analyzer, words, published):
    text = " ".join(words)
    resolver = next(stage for stage in analyzer.stages if stage.name == "dates")
    for parsed in (None, analyzer.nlp(text)):
        for found in resolver.find(text, published, parsed):
            assert text[found.start : found.end] == found.text
            assert found.value is None or re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", found.value)


def test_first_end_of_a_range_borrows_the_year_of_the_second(analyzer):
    text = "His longest absence was a 24-day period between June 7 and July 1, 2012."
    found = dates_of(analyzer, text, published="2014-10-10")
    assert found["June 7"] == ("2012-06-07", "day") and found["July 1, 2012"] == ("2012-07-01", "day")


def test_range_across_new_year_puts_the_first_end_in_the_year_before(analyzer):
    found = dates_of(analyzer, "The ceasefire held from December 20 to January 3, 2015.", published=None)
    assert found["December 20"] == ("2014-12-20", "day")


def test_title_case_show_name_is_not_a_date(analyzer):
    text = "Today on ABC News' This Week, Rudy Giuliani was asked about pardons."
    assert "This Week" not in dates_of(analyzer, text, published="2018-06-03")


def test_september_11_attacks_name_2001(analyzer):
    text = "Security was tightened after the Sept. 11 attacks on New York and Washington."
    assert dates_of(analyzer, text, published="2013-08-05")["Sept. 11"] == ("2001-09-11", "day")


def test_a_single_september_11_attack_follows_the_publication_date(analyzer):
    text = "The cable foreshadowed the deadly Sept. 11 attack on the U.S. compound in Benghazi."
    assert dates_of(analyzer, text, published="2012-10-31")["Sept. 11"] == ("2012-09-11", "day")


def test_end_of_the_year_is_the_publication_year(analyzer):
    text = "Officials expect asylum requests to reach 30,000 by the end of the year."
    assert dates_of(analyzer, text, published="2015-09-05")["the end of the year"] == ("2015", "year")


def test_end_of_the_year_told_in_the_past_is_left_out(analyzer):
    assert dates_of(analyzer, "At the end of the year, the minister resigned.", published="2015-09-05") == {}
