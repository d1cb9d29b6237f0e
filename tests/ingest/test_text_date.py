"""A record without a publication date takes the one its text allows (ingest/published.py: text_date)."""

from __future__ import annotations

from datetime import date

from communique.ingest.published import text_date
from communique.ingest.records import document_from_record


def test_the_latest_date_written_in_full_is_the_publication_date():
    text = "The commission met on 3 March 2019. The talks of January 12, 2019 prepared it; more will follow."
    assert text_date(text) == date(2019, 3, 3)


def test_a_later_year_named_anywhere_leaves_the_text_undated():
    # the report speaks from 2021: its only full date is history, not the day it was written
    assert text_date("The ceasefire of May 12, 1994 held until the war of 2020, Aliyev said in 2021.") is None


def test_a_dateline_of_day_and_month_takes_the_year_of_the_latest_date():
    assert text_date("Baku, Aug 6, IRNA -- The minister recalled the visit of July 30, 2019.") == date(
        2019, 8, 6
    )
    # a dateline day before the latest written date falls in the next year
    assert text_date("Baku, Jan 6, IRNA -- The talks of December 30, 2019 went well.") == date(2020, 1, 6)


def test_no_full_date_or_only_future_ones_date_nothing():
    assert text_date("Talks are held on Tuesday in Baku, as in 2019.") is None
    assert text_date("The summit of May 4, 2031 is planned.", latest=date(2026, 1, 1)) is None
    assert text_date("On 31 February 2019 nothing happened.") is None  # not a calendar day


def test_a_record_without_a_date_is_dated_from_its_text_and_says_so():
    document = document_from_record({"id": "t1", "text": "Iran and Armenia signed a deal on 5 June 2018."})
    assert document.published == date(2018, 6, 5)
    assert document.metadata["published_from"] == "text"


def test_a_record_with_a_date_keeps_it():
    document = document_from_record(
        {"id": "t2", "text": "Iran and Armenia signed a deal on 5 June 2018.", "published": "2018-06-07"}
    )
    assert document.published == date(2018, 6, 7)
    assert "published_from" not in document.metadata
