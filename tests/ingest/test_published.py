"""Publication dates (communique/ingest/published.py): the formats feeds and exports write, refused when
ambiguous or unreal; a plain text's dateline."""

from __future__ import annotations

from datetime import date

import pytest

from communique.errors import InputError
from communique.ingest.read import document_from_text
from communique.pipeline import parse_published

# -- publication dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "2016-10-24",
        "2016-10-24T08:00:00Z",
        "2016-10-24T08:00:00.000+00:00",
        "2016-10-24 08:00:00 UTC",
        "20161024",
        "2016/10/24",
        "Mon, 24 Oct 2016 08:00:00 GMT",
        "Mon, 24 Oct 2016 08:00:00 +0000",
        "24 Oct 2016 08:00 EST",
        "October 24, 2016",
        "Monday, October 24, 2016 8:00 AM ET",
        "24 October 2016",
        "24th of October 2016",
        "Oct. 24, 2016",
        "Oct 24, 2016, 8:00 a.m. EDT",
        "24-Oct-2016",
        "10/24/16",
        "10/24/2016",
        "24/10/2016",
        "24.10.2016",
    ],
)
def test_feed_and_export_date_formats_give_the_calendar_date(written):
    assert parse_published(written) == date(2016, 10, 24)


def test_a_time_zone_does_not_move_the_date_off_the_one_written():
    assert parse_published("2016-10-24T23:30:00-05:00") == date(2016, 10, 24)  # 25 October in UTC
    assert parse_published("Tue, 25 Oct 2016 01:30:00 +0900") == date(2016, 10, 25)  # 24 October in UTC


def test_sept_abbreviation_and_two_digit_rfc_822_years_are_read():
    assert parse_published("Sept. 5, 2016") == date(2016, 9, 5)
    assert parse_published("Fri, 05 Mar 99 12:00:00 GMT") == date(1999, 3, 5)


def test_numeric_date_with_both_numbers_up_to_12_is_refused_as_ambiguous():
    with pytest.raises(
        InputError, match=r"'03/04/16' is ambiguous: March 4 or April 3\? Write it as YYYY-MM-DD"
    ):
        parse_published("03/04/16")


def test_numeric_date_with_equal_day_and_month_is_not_ambiguous():
    assert parse_published("03/03/16") == date(2016, 3, 3)


@pytest.mark.parametrize("written", ["2016-02-30", "13/13/2016", "00/05/2016", "31 Sept 2016"])
def test_a_day_that_does_not_exist_is_refused(written):
    with pytest.raises(InputError, match="is not a real date"):
        parse_published(written)


@pytest.mark.parametrize("written", ["next Tuesday", "1477296000", "2016-10-24T25:00:00", "October 2016", ""])
def test_text_that_is_no_calendar_date_is_refused_with_the_formats_read(written):
    with pytest.raises(
        InputError, match="is not a date communique reads .YYYY-MM-DD, an ISO 8601 or RFC 2822"
    ):
        parse_published(written)


def test_a_date_object_is_taken_as_it_is():
    from datetime import datetime

    assert parse_published(date(2016, 10, 24)) == date(2016, 10, 24)
    assert parse_published(datetime(2016, 10, 24, 23, 30)) == date(2016, 10, 24)


# -- a plain text's own date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "top",
    [
        "BAKU, October 13, 2022 (Reuters) - Azerbaijan and Kyrgyzstan signed a treaty.",
        "BISHKEK, Kyrgyzstan, 13 October 2022 — Azerbaijan and Kyrgyzstan signed a treaty.",
        "Published: 13 October 2022",
        "October 13, 2022",
        "2022-10-13",
    ],
)
def test_a_dateline_near_the_top_of_a_plain_text_is_its_publication_date(top):
    text = f"Aliyev in Bishkek\n{top}\nAzerbaijan and Kyrgyzstan signed a treaty in Bishkek on Thursday.\n"
    assert document_from_text(text).published == date(2022, 10, 13)


def test_a_dateline_without_a_year_dates_nothing():
    text = "Aliyev in Bishkek\nBAKU, Oct 13 (Reuters) - Azerbaijan and Kyrgyzstan signed a treaty.\n"
    assert document_from_text(text).published is None


def test_a_date_inside_the_body_is_not_taken_for_the_publication_date():
    text = "Aliyev in Bishkek\nThe talks began in 2021 and ended on 12 May 2022 with a treaty in Bishkek.\n"
    assert document_from_text(text).published is None
