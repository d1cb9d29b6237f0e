"""Publication dates: as feeds, exports and page metadata write them, and as a plain text's dateline gives one.

    publication_date(value) -> date        ISO 8601, RFC 2822, "October 24, 2016", an unambiguous numeric date
    dateline_date(text) -> date | None     the date at the top of a plain text ("BAKU, October 13, 2022 -")
    text_date(text) -> date | None         the date an undated record's text allows: its latest full date

A date on a line of its own near the top ("October 13, 2022", "Published: 13 October 2022") or opening the first
paragraph as a dateline ("BAKU, October 13, 2022 (Reuters) -") is the publication date; a dateline without a year
("BAKU, Oct 13 -") dates nothing (the year is not guessed). Anything unreadable is an :class:`InputError`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from communique import vocabulary
from communique.errors import InputError

# Month names and the abbreviations feeds and style guides use ("Sept.", "Oct."), lower case.
MONTHS: dict[str, int] = vocabulary.MONTH_WORDS
_MONTH = "(?P<month_name>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
# A time of day after the date, with an optional am/pm and time zone; it never changes the date: the
# publication's own local date is the one written.
_TIME = (
    r"(?:,?\s*(?:at\s+)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d(?:[.,]\d+)?)?"
    r"(?:\s*[ap]\.?\s?m\.?)?(?:\s*(?:z|(?:utc|gmt)?[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5}))?)?"
)
_ISO_TIME = (
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)

# The date formats a publication date may come in, tried in order; the first that matches the whole value
# decides. Named groups: year, month (a number) or month_name, day; ``first``/``second`` are the day and the
# month in an unknown order, read only when the numbers make it unambiguous.
PUBLICATION_DATE_FORMATS: tuple[tuple[str, str], ...] = (
    (
        "ISO 8601 date or date-time (2016-10-24, 2016-10-24T08:00:00-04:00)",
        r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})" + _ISO_TIME,
    ),
    (
        "ISO 8601 basic (20161024, 20161024T080000Z)",
        r"(?P<year>(?:19|20)\d{2})(?P<month>[01]\d)(?P<day>[0-3]\d)(?:T\d{4}(?:\d{2})?(?:Z|[+-]\d{2}(?:\d{2})?)?)?",
    ),
    (
        "year first with slashes or dots (2016/10/24)",
        r"(?P<year>\d{4})([/.])(?P<month>\d{1,2})\2(?P<day>\d{1,2})" + _TIME,
    ),
    (
        "day month year, RFC 2822 included (24 October 2016, Mon, 24 Oct 2016 08:00:00 GMT)",
        _WEEKDAY
        + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?"
        + _MONTH
        + r",?[\s-]+(?P<year>\d{4}|\d{2})"
        + _TIME,
    ),
    (
        "month day year (October 24, 2016; Oct. 24, 2016)",
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME,
    ),
    (
        "numeric day and month, year last (10/24/16, 24.10.2016): only when unambiguous",
        r"(?P<first>\d{1,2})([/.-])(?P<second>\d{1,2})\2(?P<year>\d{4}|\d{2})" + _TIME,
    ),
)
_PUBLICATION_DATE_PATTERNS = tuple(
    (name, re.compile(pattern, re.I)) for name, pattern in PUBLICATION_DATE_FORMATS
)
_MONTH_NAMES = tuple(vocabulary.MONTHS)


def publication_date(value: str | date) -> date:
    """The calendar date of a publication date as feeds and exports write it (see :data:`PUBLICATION_DATE_FORMATS`).

    A time of day and a time zone are allowed and ignored: the date is the one written, the publication's own
    local date, not its UTC date. Two-digit years are read as POSIX ``strptime`` does (69-99: 1900s, 00-68:
    2000s). A numeric date without the year first is read only when one of its numbers exceeds 12 (or both are
    equal): "10/24/16" is 24 October 2016, "03/04/16" is refused as ambiguous. Anything unreadable, ambiguous or
    not a real day is an :class:`InputError` saying which.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = " ".join(str(value).split())
    for _name, pattern in _PUBLICATION_DATE_PATTERNS:
        found = pattern.fullmatch(written)
        if found is not None:
            return _calendar_date(found, _shown(value))
    raise InputError(
        f"publication date {_shown(value)} is not a date communique reads "
        "(YYYY-MM-DD, an ISO 8601 or RFC 2822 date-time, 'October 24, 2016', '24 October 2016', "
        "or an unambiguous numeric date)"
    )


def _shown(value: object) -> str:
    """``value`` quoted for a message, cut short: a record's date field may hold anything."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _calendar_date(found: re.Match[str], shown: str) -> date:
    fields = found.groupdict()
    year = int(fields["year"])
    if len(fields["year"]) == 2:
        year += 1900 if year >= 69 else 2000
    if fields.get("first") is not None:
        first, second = int(fields["first"]), int(fields["second"])
        if not (0 < first <= 31 and 0 < second <= 31) or min(first, second) > 12:
            raise InputError(f"publication date {shown} is not a real date (a day is 1-31 and a month 1-12)")
        if first == second or second <= 12 < first:
            day, month = first, second
        elif first <= 12 < second:
            month, day = first, second
        else:
            raise InputError(
                f"publication date {shown} is ambiguous: {_MONTH_NAMES[first - 1]} {second} or "
                f"{_MONTH_NAMES[second - 1]} {first}? Write it as YYYY-MM-DD"
            )
    else:
        day = int(fields["day"])
        month = MONTHS[fields["month_name"].lower()] if fields.get("month_name") else int(fields["month"])
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise InputError(f"publication date {shown} is not a real date ({exc})") from None


# What may stand before a date on a line of its own: "Published: ", "Posted on ", "Updated ".
_DATE_LINE_LEAD = re.compile(
    r"^(?:(?:first\s+)?(?:published|posted|dated?|updated|last\s+updated)(?:\s+on)?\s*:?\s*)?", re.I
)
# A wire dateline: a place in capitals or title case, a comma, then the date up to "(Reuters)", a dash or a colon.
_WIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’ -]{1,40}(?:,\s*[A-Z][A-Za-z.'’ -]{1,30})?),\s+"
    r"(?P<date>[A-Za-z0-9., ]{6,40}?)\s*(?:\([^()]{1,40}\)\s*)?(?:[-–—:]|\s-\s)"
)
DATELINE_LINES = 4  # how many non-blank lines from the top may hold the date


def dateline_date(text: str) -> date | None:
    """The publication date written at the top of a plain text, or None.

    Read from the first :data:`DATELINE_LINES` non-blank lines: a line that is a date (optionally after
    "Published:", "Posted on", "Updated"), or a wire dateline opening a paragraph ("BAKU, October 13, 2022
    (Reuters) - ..."). The date must be one :func:`publication_date` reads, year included.
    """
    lines = [line.strip() for line in text.split("\n", 40) if line.strip()][:DATELINE_LINES]
    for line in lines:
        candidates = []
        if len(line) <= 80:
            candidates.append(_DATE_LINE_LEAD.sub("", line).strip(" .|"))
        wire = _WIRE_DATELINE.match(line)
        if wire:
            candidates.append(wire.group("date").strip(" ,."))
        for candidate in candidates:
            if not re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", candidate):
                continue  # no year: never guessed
            try:
                return publication_date(candidate)
            except InputError:
                continue
    return None


# A date written in running text with its day, month and year ("September 23, 2017", "23 September 2017").
_TEXT_DATES = (
    re.compile(r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})\b", re.I),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>(?:19|20)\d{2})\b", re.I
    ),
)
_TEXT_YEAR = re.compile(r"(?<![\d.,/-])(?:19|20)\d{2}(?![\d])")
# A wire dateline that gives only the day and the month ("Baku, Aug 6, IRNA --"), in the first lines
_DAY_MONTH_DATELINE = re.compile(
    r"^\W*[A-Z][A-Za-z.'’ -]{1,40},\s+(?i:" + _MONTH + r")\s+(?P<day>\d{1,2})\b(?!,?\s+(?:19|20)\d{2})"
)


def text_date(text: str, latest: date | None = None) -> date | None:
    """The publication date a text without one allows: the latest date it writes out with day, month and year.

    News reports what happened up to the day it is published, so the latest fully written date is taken as
    the publication date, unless the text names a later year anywhere ("in 2019" after "May 4, 2018": the
    text speaks from a later time than any date it gives, and nothing is guessed), or the date is after
    ``latest`` (default today). A dateline that gives only the day and the month ("Baku, Aug 6, IRNA")
    takes that day in the year of the latest written date (the next year when the day falls before it).
    None when the text writes no full date. The date can be days after the real one when a report's latest
    written date is ahead of it ("will be held on September 23, 2017"); docs/region.md gives the measured check.
    """
    found = []
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            try:
                found.append(date(int(match["year"]), MONTHS[match["month_name"].lower()], int(match["day"])))
            except ValueError:
                continue
    limit = latest or date.today()
    found = [d for d in found if d <= limit]
    if not found:
        return None
    newest = max(found)
    if any(int(y) > newest.year for y in _TEXT_YEAR.findall(text) if int(y) <= limit.year):
        return None
    head = text.lstrip()[:200]
    dateline = _DAY_MONTH_DATELINE.match(head)
    if dateline:
        try:
            day = date(newest.year, MONTHS[dateline["month_name"].lower()], int(dateline["day"]))
            if day < newest:
                day = day.replace(year=newest.year + 1)
            if day <= limit:
                return day
        except ValueError:
            pass
    return newest
