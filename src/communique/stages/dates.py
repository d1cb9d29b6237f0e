"""Dates: every date expression of a document, normalised against its publication date.

:class:`DateResolver` finds date expressions with one regular expression compiled once from the lexicon in
``data/time/lexicon.yaml``, tried only at the tokens that can start one; the parse decides the ambiguous ones
(a bare "May", a bare year, a name such as "USA Today") and the tense of partial dates. It resolves each to a value of the contract (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) with its granularity:

* absolute  — "13 October 2022", "Oct. 13, 2022", "2022-10-13" (day); "June 2021" (month); "in 2019" (year);
  "the 1990s" keeps ``value: null`` with granularity ``decade`` (a decade is no point in time);
* partial   — "October 11", "in March", "on Monday", "last Tuesday": the occurrence nearest the publication date
  that the tense of the governing verb allows (past tense: on or before it; future tense or "next": after it);
* relative  — "six months ago", "next month", "last year", "yesterday", "this week", "earlier this month",
  "two weeks ago", "a decade ago"; anchored on another event ("three years after", "a day later") they keep
  ``value: null``.

Without a publication date, partial and relative expressions keep ``value: null``; absolute ones still resolve.
Durations ("six months", "for decades", "centuries"), ages ("a 13-year-old") and vague spans ("in recent
years") are not points in time and are left out.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from communique.document import DateExpression, Document
from communique.resources import load_yaml
from communique.vocabulary import MONTH_ABBREVIATIONS, MONTHS

# Granularity of expressions that name no single year (kept with value null).
DECADE = "decade"
CENTURY = "century"

# How far after publication a partial date with no tense cue may lie and still be read as upcoming
# ("the Oct. 25 election" in an article of Oct. 13); beyond it the most recent occurrence is meant.
NEUTRAL_FUTURE_DAYS = 45
NEUTRAL_FUTURE_MONTHS = 2

# Entity labels under which a number or a month name is part of a name or a quantity, not a date.
NAME_LABELS = {"PERSON", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "FAC", "GPE", "LOC", "NORP"}
NOT_DATE_LABELS = NAME_LABELS | {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
# Words before "last night"/"this morning" that make them a noun phrase ("our last night in town").
DETERMINERS = frozenset("the a an our his her their my its your that this every each".split())
# Words before a bare "May" that make it the month ("in May"), not Theresa May.
STRONG_MONTH_CUES = frozenset("in since until till during through by early late mid".split())
PRESENT_BE = frozenset({"is", "are", "am", "'s", "'re"})


@dataclass(frozen=True)
class Lexicon:
    """The time words of ``data/time/lexicon.yaml``, with the month names of ``data/vocabulary/months.yaml``."""

    months: dict[str, int]
    month_abbreviations: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    vague_numbers: list[str]
    approximators: list[str]
    units: dict[str, tuple[str, int, str]]
    deictics: dict[str, int]
    seasons: dict[str, int]
    holidays: dict[str, tuple[int, int]]
    year_cues: frozenset[str]
    future_auxiliaries: frozenset[str]
    future_governors: frozenset[str]
    reporting_verbs: frozenset[str]
    named_days: dict[tuple[int, int], tuple[int, re.Pattern[str]]]

    @classmethod
    def load(cls) -> Lexicon:
        raw = load_yaml("time", "lexicon.yaml")
        return cls(
            months=dict(MONTHS),
            month_abbreviations=dict(MONTH_ABBREVIATIONS),
            weekdays=dict(raw["weekdays"]),
            numbers={k.lower(): int(v) for k, v in raw["numbers"].items()},
            vague_numbers=[v.lower() for v in raw["vague_numbers"]],
            approximators=[v.lower() for v in raw["approximators"]],
            units={k: (v[0], int(v[1]), v[2]) for k, v in raw["units"].items()},
            deictics={k.lower(): int(v) for k, v in raw["deictics"].items()},
            seasons={k.lower(): int(v) for k, v in raw["seasons"].items()},
            holidays={k: (int(v[0]), int(v[1])) for k, v in raw["holidays"].items()},
            year_cues=frozenset(v.lower() for v in raw["year_cues"]),
            future_auxiliaries=frozenset(v.lower() for v in raw["future_auxiliaries"]),
            future_governors=frozenset(v.lower() for v in raw["future_governors"]),
            reporting_verbs=frozenset(v.lower() for v in raw["reporting_verbs"]),
            named_days={
                (int(n["month"]), int(n["day"])): (
                    int(n["year"]),
                    re.compile(r"\s+(?:" + "|".join(re.escape(w) for w in n["followed_by"]) + r")\b"),
                )
                for n in raw.get("named_days", [])
            },
        )


def _alternation(words: list[str] | dict[str, Any], *, capitalised: bool = False) -> str:
    """A regex alternation of ``words``, longest first; month/weekday names also in upper case."""
    items = sorted(words, key=len, reverse=True)
    if capitalised:
        items = [x for w in items for x in (w, w.upper())]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in items)


@lru_cache(maxsize=1)
def _grammar() -> tuple[Lexicon, re.Pattern[str]]:
    """The lexicon and the one combined pattern; built once per process."""
    lex = Lexicon.load()
    full_month = _alternation(lex.months, capitalised=True)
    any_month = rf"(?:{full_month}|(?:{_alternation(lex.month_abbreviations, capitalised=True)})\.?)"
    weekday = _alternation(lex.weekdays, capitalised=True)
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:1[6-9]\d\d|20\d\d)"
    number = rf"(?:\d{{1,3}}|{_alternation(lex.numbers)})"
    vague = _alternation(lex.vague_numbers)
    approx = rf"(?:(?i:{_alternation(lex.approximators)})\s+)?"
    units = _alternation(lex.units)
    edge = r"(?:early|late|mid)[-\s]+"
    season = _alternation(lex.seasons)

    # Alternatives are tried left to right at each position, so the longer forms come first.
    # Every alternative is wrapped in an outer group named after its kind; inner groups carry its parts.
    alternatives = [
        # 2022-10-13
        rf"(?P<iso>(?P<iso_y>{year})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01]))(?![\d-])",
        # 13.10.2022 (European) and 10/13/2022 (US; read day-first only when the first number exceeds 12)
        rf"(?P<num>(?P<num_a>\d{{1,2}})(?P<num_sep>[./])(?P<num_b>\d{{1,2}})(?P=num_sep)(?P<num_y>{year}))(?![\d./])",
        # [Thursday,] Oct. 13[, 2022]
        rf"(?P<mdy>(?:(?P<mdy_wd>{weekday}),?\s+)?(?P<mdy_edge>{edge})?(?P<mdy_m>{any_month})\s+(?P<mdy_d>{day})"
        rf"(?![\d:])(?:,?\s+(?P<mdy_y>{year})(?!\d))?)(?![\w%])",
        # [Thursday,] [the] 13[th] [of] October[ 2022]
        rf"(?P<dmy>(?:(?P<dmy_wd>{weekday}),?\s+)?(?:(?i:the)\s+)?(?P<dmy_d>{day})(?:\s+of)?\s+(?P<dmy_m>{any_month})"
        rf"(?:,?\s+(?P<dmy_y>{year})(?!\d))?)\b",
        # [early] June [of] 2021
        rf"(?P<my>(?P<my_edge>(?i:{edge}))?(?P<my_m>{any_month}),?\s+(?:of\s+)?(?P<my_y>{year}))(?!\d)",
        # [late] December last year
        rf"(?P<mrel>(?P<mrel_edge>(?i:{edge}))?(?P<mrel_m>{full_month})\s+(?P<mrel_rel>(?i:last|next|this))\s+(?i:year))\b",
        # last December, this past April, next March
        rf"(?P<relm>(?P<relm_rel>(?i:last|next|this\s+past|this\s+coming|this))\s+(?P<relm_m>{full_month}))\b",
        # [early] March (checked against the parse: not the verbs "may" and "march", not a name)
        rf"(?P<mo>(?P<mo_edge>(?i:{edge}))?(?P<mo_m>{full_month}))(?![\w-])",
        # New Year's Day
        rf"(?P<hol>{_alternation(lex.holidays)})\b",
        # [the] summer of 2013, summer 2013
        rf"(?P<seay>(?P<seay_s>(?i:{season}))\s+(?:of\s+)?(?P<seay_y>{year}))(?!\d)",
        # earlier this month, late last year, the end of next year, next month, last summer, this week
        rf"(?P<ru>(?P<ru_edge>(?i:earlier|later|early|late|mid|(?:the\s+)?(?:end|start|beginning|middle)\s+of)\s+)?"
        rf"(?P<ru_rel>(?i:last|next|this\s+past|this\s+coming|this))\s+"
        rf"(?P<ru_u>(?i:week|weekend|month|year|decade|century|{season})))(?!-)\b",
        # the end of the year, the beginning of the month (the current one, unless told in the past tense)
        r"(?P<endof>(?i:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+the\s+(?P<endof_u>year|month)))\b",
        # over the weekend
        r"(?P<wkend>(?i:over\s+the|the\s+past)\s+(?i:weekend))\b",
        # last Tuesday, next Friday, late Wednesday, Friday
        rf"(?P<wd>(?P<wd_rel>(?i:last|next|this\s+past|this\s+coming|this|early|late)\s+)?(?P<wd_d>{weekday}))(?![\w-])",
        # yesterday, today, tomorrow, last night, this morning
        rf"(?P<deic>(?i:{_alternation(lex.deictics)}))\b",
        # six months ago, more than a week ago, two years later, three years after
        rf"(?P<ago>{approx}(?P<ago_n>(?i:{number}|{vague}))\s+(?P<ago_u>(?i:{units}))s?\s+"
        rf"(?P<ago_dir>(?i:ago|from\s+now|hence|earlier|later|before|after|afterwards?)))\b",
        r"(?P<agov>(?P<agov_u>(?i:days|weeks|months|years|decades))\s+(?i:ago))\b",
        # [the] [early] 1990s, the '90s
        rf"(?P<dec>(?P<dec_edge>(?i:{edge}))?(?:(?P<dec_y>1[0-9]\d0|20\d0)['’]?s|['’](?P<dec_s>\d0)s))\b",
        # the 20th century, the twentieth century, this century, last century
        r"(?P<cent>(?i:(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
        r"eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
        r"twentieth|twenty-first)\s+century))(?![-\w])",
        # [early|mid-] 2019
        rf"(?P<yr>(?P<yr_edge>(?i:{edge}))?(?P<yr_y>{year}))(?![\d%]|s\b|-(?:0[1-9]|1[0-2])(?!\d)|\s*(?:percent|per\s+cent))",
    ]
    # Not inside a word, a number, an abbreviation or a path ("U.S.2019", "$2019", "10/13").
    return lex, re.compile(r"(?<![\w.$/])(?:" + "|".join(alternatives) + ")")


class DateResolver:
    """Finds every date expression of a document and normalises it against ``document.published``."""

    name = "dates"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb
        self.lexicon, self.pattern = _grammar()
        # Each alternative of the pattern is an outer group named for its kind (inner groups have a "_").
        self._kinds = [name for name in self.pattern.groupindex if "_" not in name]
        self._month_lookup = {k.lower(): v for k, v in self.lexicon.months.items()} | {
            k.lower(): v for k, v in self.lexicon.month_abbreviations.items()
        }
        self._weekday_lookup = {k.lower(): v for k, v in self.lexicon.weekdays.items()}
        self._triggers = _first_words(self.lexicon)

    def __call__(self, document: Document) -> None:
        document.dates = self.find(document.text, document.published, document.parsed, document)

    def find(
        self, text: str, published: date | None, parsed: Any = None, document: Document | None = None
    ) -> list[DateExpression]:
        """Every date expression of ``text``, in text order, resolved against ``published``."""
        found: list[DateExpression] = []
        parts: list[tuple[int, int] | None] = []  # (month, day) of a partial date, to borrow a range's year
        for match in self._matches(text, parsed):
            kind = next(k for k in self._kinds if match.group(k) is not None)
            start, end = match.span(kind)
            context = _Context(text, start, end, parsed)
            if context.label() in NAME_LABELS:  # "USA Today", "April Ryan", "the Six-Day War"
                continue
            if kind in ("ru", "deic") and context.is_title_case_name():
                continue  # ABC's "This Week", "Today" show
            resolved = getattr(self, "_" + kind)(match, published, context)
            if resolved is None:
                continue
            value, granularity, relative = resolved
            found.append(
                DateExpression(
                    text=text[start:end],
                    start=start,
                    end=end,
                    value=value,
                    granularity=granularity,
                    sentence=document.sentence_at(start) if document is not None else 0,
                    relative=relative,
                )
            )
            parts.append(self._partial_month_day(match, kind))
        _borrow_range_years(text, found, parts)
        return found

    def _partial_month_day(self, match: re.Match[str], kind: str) -> tuple[int, int] | None:
        """(month, day) of a month-day without a year ("June 7"); (month, 0) of a bare month; else None."""
        if kind in ("mdy", "dmy") and match[kind + "_y"] is None:
            day = re.match(r"\d+", match[kind + "_d"])
            return self._month(match[kind + "_m"]), int(day.group()) if day else 1
        if kind == "mo":
            return self._month(match["mo_m"]), 0
        return None

    def _matches(self, text: str, parsed: Any) -> Iterator[re.Match[str]]:
        """The pattern's matches, tried only where a token could begin a date expression.

        Same matches as ``pattern.finditer(text)`` (which is used when there is no parse), at a fraction of
        the cost: the pattern is tried at the few tokens that start one of its alternatives.
        """
        if parsed is None:
            yield from self.pattern.finditer(text)
            return
        end = 0
        for token in parsed:
            if token.idx < end:
                continue
            word = token.lower_
            if (
                word not in self._triggers
                and not word[:1].isdigit()
                and not word[1:2].isdigit()
                and word.partition("-")[0] not in self._triggers  # "mid-1990s" as one token
            ):
                continue
            match = self.pattern.match(text, token.idx)
            if match is not None:
                end = match.end()
                yield match

    # -- absolute --------------------------------------------------------------------------------------
    def _iso(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        return _day_value(int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"]), relative=False)

    def _num(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        a, b, y = int(m["num_a"]), int(m["num_b"]), int(m["num_y"])
        # Dots are the European order (day first); slashes the US order unless the first number cannot be a month.
        day_first = m["num_sep"] == "." or a > 12
        month, day = (b, a) if day_first else (a, b)
        return _day_value(y, month, day, relative=False)

    def _mdy(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        return self._month_day(m["mdy_m"], m["mdy_d"], m["mdy_y"], m["mdy_wd"], published, ctx)

    def _dmy(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        return self._month_day(m["dmy_m"], m["dmy_d"], m["dmy_y"], m["dmy_wd"], published, ctx)

    def _my(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        month = self._month(m["my_m"])
        return f"{int(m['my_y']):04d}-{month:02d}", "month", False

    def _yr(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        if not m["yr_edge"] and not ctx.year_is_date(self.lexicon.year_cues):
            return None
        return m["yr_y"], "year", False

    def _dec(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        if ctx.label() in NOT_DATE_LABELS - {"CARDINAL"}:
            return None
        return None, DECADE, False

    def _cent(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        return None, CENTURY, False

    def _seay(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        return m["seay_y"], "year", False

    # -- partial ---------------------------------------------------------------------------------------
    def _month_day(
        self,
        month_word: str,
        day_word: str,
        year_word: str | None,
        weekday_word: str | None,
        published: date | None,
        ctx: _Context,
    ) -> _Resolved:
        month = self._month(month_word)
        day = int(re.match(r"\d+", day_word).group())  # type: ignore[union-attr]
        if year_word:
            return _day_value(int(year_word), month, day, relative=False)
        named = self.lexicon.named_days.get((month, day))
        if named is not None and named[1].match(ctx.text, ctx.end):
            return _day_value(named[0], month, day, relative=False)  # "the Sept. 11 attacks"
        if published is None:
            return None, "day", True
        weekday = self._weekday_lookup.get(weekday_word.lower()) if weekday_word else None
        # Four years back so that "February 29" finds its leap year.
        candidates = [d for y in range(published.year - 4, published.year + 2) if (d := _date(y, month, day))]
        if not candidates:
            return None, "day", True
        tense = ctx.tense(self.lexicon)
        window = timedelta(days=NEUTRAL_FUTURE_DAYS)
        chosen = _choose(candidates, published, tense, window)
        if weekday is not None and chosen.weekday() != weekday:
            # "Monday, March 23": the weekday names the year, if one within a year of publication fits.
            fitting = [d for d in candidates if d.weekday() == weekday and abs((d - published).days) <= 366]
            if fitting:
                chosen = _choose(fitting, published, tense, window)
        return chosen.isoformat(), "day", True

    def _hol(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        name = " ".join(m["hol"].replace("’", "'").split())
        month, day = next(v for k, v in self.lexicon.holidays.items() if k.lower() == name.lower())
        return self._month_day(calendar.month_name[month], str(day), None, None, published, ctx)

    def _relm(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        month = self._month(m["relm_m"])
        if published is None:
            return None, "month", True
        rel = " ".join(m["relm_rel"].lower().split())
        this_year = date(published.year, month, 1)
        pub_month = published.replace(day=1)
        if rel in ("last", "this past"):
            chosen = this_year if this_year < pub_month else date(published.year - 1, month, 1)
        elif rel in ("next", "this coming"):
            chosen = this_year if this_year > pub_month else date(published.year + 1, month, 1)
        else:
            chosen = this_year
        return f"{chosen.year:04d}-{chosen.month:02d}", "month", True

    def _mo(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        if not m["mo_edge"] and not ctx.month_is_date(self.lexicon.year_cues):
            return None
        month = self._month(m["mo_m"])
        if published is None:
            return None, "month", True
        this_month = published.replace(day=1)
        candidates = [date(y, month, 1) for y in (published.year - 1, published.year, published.year + 1)]
        chosen = _choose(
            candidates, this_month, ctx.tense(self.lexicon), timedelta(days=31 * NEUTRAL_FUTURE_MONTHS)
        )
        return f"{chosen.year:04d}-{chosen.month:02d}", "month", True

    def _mrel(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        month = self._month(m["mrel_m"])
        if published is None:
            return None, "month", True
        offset = {"last": -1, "next": 1, "this": 0}[m["mrel_rel"].lower()]
        return f"{published.year + offset:04d}-{month:02d}", "month", True

    def _wd(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        if ctx.label() in NOT_DATE_LABELS or ctx.modifies_plural_noun():
            return None  # "the Sunday talk shows" name no day
        weekday = self._weekday_lookup[m["wd_d"].lower()]
        if published is None:
            return None, "day", True
        rel = " ".join((m["wd_rel"] or "").lower().split())
        back = (published.weekday() - weekday) % 7  # days back to the most recent such day (0: today)
        if rel in ("last", "this past"):
            chosen = published - timedelta(days=back or 7)
        elif rel in ("next", "this coming"):
            chosen = published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
        else:
            tense = ctx.tense(self.lexicon)
            if tense in ("future", "present"):  # "comes Monday when Obama meets Putin"
                chosen = published + timedelta(days=(weekday - published.weekday()) % 7)
            else:
                # News reports a past weekday far more often than an upcoming one.
                chosen = published - timedelta(days=back)
        return chosen.isoformat(), "day", True

    # -- relative --------------------------------------------------------------------------------------
    def _deic(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        previous = ctx.previous_word()
        if previous in DETERMINERS and m["deic"].lower().startswith(("last", "this")):
            return None  # "on our last night in town"
        if not m["deic"].islower() and ctx.raw_previous_word()[:1].isupper() and not ctx.starts_sentence():
            return None  # "USA TODAY", "NBC's Today"
        if published is None:
            return None, "day", True
        offset = self.lexicon.deictics[" ".join(m["deic"].lower().split())]
        return (published + timedelta(days=offset)).isoformat(), "day", True

    def _ru(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        unit = m["ru_u"].lower()
        rel = " ".join(m["ru_rel"].lower().split())
        step = -1 if rel in ("last", "this past") else 1 if rel in ("next", "this coming") else 0
        if unit == "decade" or unit == "century":
            return None, unit if unit == DECADE else CENTURY, True
        if unit in self.lexicon.seasons:
            if published is None:
                return None, "year", True
            return str(_season_year(published, self.lexicon.seasons[unit], step)), "year", True
        if published is None:
            return None, "month" if unit in ("week", "month") else "day" if unit == "weekend" else unit, True
        if unit == "year":
            return str(published.year + step), "year", True
        if unit == "month":
            return _month_value(published, step), "month", True
        if unit == "week":
            # A week has no value of its own in the contract: the month holding its middle stands for it.
            middle = published + timedelta(days=7 * step)
            return f"{middle.year:04d}-{middle.month:02d}", "month", True
        return _weekend(published, step, ctx.tense(self.lexicon)), "day", True

    def _endof(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        unit = m["endof_u"].lower()
        if ctx.tense(self.lexicon) == "past":
            return None  # "at the end of the year he resigned": the year of the story, not of publication
        if published is None:
            return None, unit, True
        return (
            (str(published.year), "year", True)
            if unit == "year"
            else (_month_value(published, 0), "month", True)
        )

    def _wkend(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        if published is None:
            return None, "day", True
        return _weekend(published, -1, "past"), "day", True

    def _ago(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        unit, size, granularity = self.lexicon.units[m["ago_u"].lower()]
        direction = " ".join(m["ago_dir"].lower().split())
        count = self.lexicon.numbers.get(" ".join(m["ago_n"].lower().split()))
        if count is None and m["ago_n"].isdigit():
            count = int(m["ago_n"])
        # Anchored on another event ("three years after the war"), or too vague to count: no value.
        if count is None or published is None or direction not in ("ago", "from now", "hence"):
            return None, granularity, True
        sign = -1 if direction == "ago" else 1
        n = sign * count * size
        if unit == "day":
            return (published + timedelta(days=n)).isoformat(), granularity, True
        if unit == "month":
            return _month_value(published, n), granularity, True
        return str(published.year + n), granularity, True

    def _agov(self, m: re.Match[str], published: date | None, ctx: _Context) -> _Resolved:
        unit = m["agov_u"].lower().rstrip("s")
        return None, self.lexicon.units[unit][2], True

    def _month(self, word: str) -> int:
        return self._month_lookup[word.rstrip(".").lower()]


_Resolved = tuple[str | None, str, bool] | None


class _Context:
    """What the parse says around one match: its entity label, its tense, the word before it."""

    def __init__(self, text: str, start: int, end: int, parsed: Any) -> None:
        self.text, self.start, self.end = text, start, end
        self.span = parsed.char_span(start, end, alignment_mode="expand") if parsed is not None else None

    def label(self) -> str:
        if self.span is None or not len(self.span):
            return ""
        labels = [t.ent_type_ for t in self.span if t.ent_type_]
        return max(set(labels), key=labels.count) if labels else ""

    def previous_word(self) -> str:
        """The word before the expression, lower-cased, without opening quotes or brackets."""
        return self.raw_previous_word().lower()

    def raw_previous_word(self) -> str:
        before = self.text[max(0, self.start - 30) : self.start].split()
        return before[-1].lstrip("(\"“'‘") if before else ""

    def month_is_date(self, cues: frozenset[str]) -> bool:
        """Whether a bare month name is a date: after "in", "since", "until"..., or spaCy's DATE.

        A bare "May" needs a strong cue ("in May", "by May"): spaCy often tags Theresa May a DATE, and
        "apologized to May" is about her.
        """
        previous = self.previous_word()
        if self.text[self.start : self.end] in ("May", "MAY"):
            return previous in STRONG_MONTH_CUES
        if previous in cues:
            return True
        if self.span is not None and len(self.span) and self.span[0].tag_.startswith(("MD", "VB")):
            return False
        return self.label() == "DATE"

    def modifies_plural_noun(self) -> bool:
        """Whether the expression qualifies a plural noun ("Sunday talk shows"): a habit, not a day."""
        if self.span is None or not len(self.span):
            return False
        token = self.span.root
        return (
            token.dep_ in ("compound", "nmod", "amod") and token.head.tag_ == "NNS" and token.head.i > token.i
        )

    def is_title_case_name(self) -> bool:
        """Whether a relative expression is written like a name mid-sentence ("on ABC's This Week")."""
        words = self.text[self.start : self.end].split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words) or self.starts_sentence():
            return False
        return not self.text[self.start : self.end].isupper()

    def starts_sentence(self) -> bool:
        if self.span is None or not len(self.span):
            return self.start == 0 or self.text[: self.start].rstrip()[-1:] in (".", "!", "?", "\n", "")
        return bool(self.span[0].is_sent_start)

    def year_is_date(self, cues: frozenset[str]) -> bool:
        """Whether a bare four-digit number is a year: not a quantity ("2000 refugees"), after a cue or DATE."""
        label = self.label()
        if label in NOT_DATE_LABELS:
            return False
        if self.span is not None and len(self.span):
            token = self.span[-1]
            if token.dep_ == "nummod" and token.head.i > token.i and token.head.tag_ == "NNS":
                # "2000 refugees" counts people; "the 2016 elections" still names a year.
                if token.i == 0 or token.doc[token.i - 1].lower_ not in DETERMINERS:
                    return False
        previous = self.previous_word()
        if previous.endswith(("-", "–")) or previous in cues:
            return True
        return label == "DATE"

    def tense(self, lexicon: Lexicon) -> str | None:
        """``future``, ``past``, ``present`` or None (no verb) for the verb governing this expression."""
        if self.span is None or not len(self.span):
            return None
        verb = self.span.root
        for _ in range(6):  # climb from the expression to the first verb that governs it
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX"):
            return None
        words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        perfect = words & {"has", "have", "had", "'ve", "'d"}
        if words & lexicon.future_auxiliaries or ("would" in words and not perfect):
            return "future"  # "will meet on Friday"; "said it would resign by October"
        infinitive = verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if infinitive and verb.head.lemma_.lower() in lexicon.future_governors and verb.head.pos_ == "NOUN":
            return "future"  # "with plans to meet Putin on Monday"
        if (
            infinitive
            and verb.dep_ in ("xcomp", "advcl", "acl")
            and (verb.head.tag_ == "VBN" or verb.head.dep_ == "acl")  # a participle, not a past-tense verb
            and not (
                {c.lower_ for c in verb.head.children if c.dep_ in ("aux", "auxpass")}
                & {"has", "have", "had", "was", "were"}
            )
        ):
            return "future"  # "an aide subpoenaed to testify on Friday"
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.future_governors:
            governor = verb.head
            governor_aux = {c.lower_ for c in governor.children if c.dep_ in ("aux", "auxpass")}
            present = governor.tag_ in ("VBZ", "VBP", "VBG", "JJ") or governor_aux & PRESENT_BE
            if governor_aux & lexicon.future_auxiliaries or present:
                return "future"  # "plans to visit on Monday", "is due to vote on October 20"
        if verb.tag_ == "VBG" and words & PRESENT_BE:
            return "future"  # "is meeting on Friday"
        if verb.lemma_.lower() in lexicon.future_governors and (
            words & PRESENT_BE or verb.tag_ in ("VBZ", "VBP", "VBG")
        ):
            return "future"  # "on Sunday the president is scheduled to travel"
        if verb.tag_ == "VBD" or perfect or words & {"did", "was", "were"}:
            return "past"
        if verb.tag_ in ("VBZ", "VBP") and not words and verb.lemma_.lower() not in lexicon.reporting_verbs:
            return "present"  # "the summit opens Friday" (but "Kerry says Tuesday" reports the past)
        return None


_RANGE_LINK = re.compile(r"\s*(?:and|to|through|until|till|-|–|—)\s*")


def _borrow_range_years(text: str, found: list[DateExpression], parts: list[tuple[int, int] | None]) -> None:
    """Give "between June 7 and July 1, 2012" the year of its second end: 2012-06-07, not this year's June."""
    for i in range(len(found) - 1):
        part, here, there = parts[i], found[i], found[i + 1]
        if part is None or there.relative or there.value is None or len(there.value) < 7:
            continue
        if not _RANGE_LINK.fullmatch(text[here.end : there.start]):
            continue
        year, month = int(there.value[:4]), int(there.value[5:7])
        day = int(there.value[8:10]) if len(there.value) == 10 else 31
        # The range runs forward: a first end later in the year than the second lies in the year before.
        if (part[0], part[1]) > (month, day):
            year -= 1
        if part[1] == 0:
            here.value = f"{year:04d}-{part[0]:02d}"
        else:
            resolved = _date(year, part[0], part[1])
            if resolved is None:
                continue
            here.value = resolved.isoformat()
        here.relative = False


def _first_words(lex: Lexicon) -> frozenset[str]:
    """Lower-case words one of the pattern's alternatives can begin with (numbers aside)."""
    phrases: list[str] = [
        *lex.months,
        *lex.weekdays,
        *lex.numbers,
        *lex.vague_numbers,
        *lex.approximators,
        *lex.deictics,
        *lex.seasons,
        *lex.holidays,
        *lex.units,
    ]
    words = {p.split()[0].lower().replace("’", "'") for p in phrases}
    for abbreviation in lex.month_abbreviations:
        words |= {abbreviation.lower(), abbreviation.lower() + "."}
    words |= {w + "s" for w in lex.units}  # "years ago", "decades ago"
    words |= set(
        "last next this early late mid earlier later the over end start beginning middle first second third "
        "fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth "
        "sixteenth seventeenth eighteenth nineteenth twentieth twenty-first".split()
    )
    return frozenset(words | {w.replace("'", "’") for w in words})


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_value(year: int, month: int, day: int, *, relative: bool) -> _Resolved:
    found = _date(year, month, day)
    if found is None:
        return None  # "31 June 2022", "29 February 2023": not a date
    return found.isoformat(), "day", relative


def _choose(candidates: list[date], published: date, tense: str | None, window: timedelta) -> date:
    """The occurrence the tense allows: past -> latest on or before; future -> earliest on or after."""
    before = [d for d in candidates if d <= published]
    after = [d for d in candidates if d >= published]
    if tense == "future" and after:
        return min(after)
    if tense == "past" and before:
        return max(before)
    if after and min(after) - published <= window:
        return min(after)
    return max(before) if before else min(after)


def _month_value(published: date, months: int) -> str:
    index = published.year * 12 + published.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _season_year(published: date, start_month: int, step: int) -> int:
    """The year of the season meant ("last summer"), named by the year of its middle month (winter: January).

    ``step`` -1 is the latest season that has ended by publication, +1 the first that has not begun, 0 the
    one of the publication year.
    """
    occurrences = []
    for year in range(published.year - 2, published.year + 2):
        start = date(year, start_month, 1)
        end_index = year * 12 + start_month - 1 + 3  # first month after the season
        end = date(end_index // 12, end_index % 12 + 1, 1)
        middle_year = year + 1 if start_month == 12 else year
        occurrences.append((start, end, middle_year))
    if step < 0:
        return max(o for o in occurrences if o[1] <= published)[2]
    if step > 0:
        return min(o for o in occurrences if o[0] > published)[2]
    current = [o for o in occurrences if o[0] <= published < o[1]]
    return current[0][2] if current else next(o[2] for o in occurrences if o[0].year == published.year)


def _weekend(published: date, step: int, tense: str | None) -> str:
    """The Saturday of the weekend meant: last (or past tense) -> the latest one; next -> the coming one."""
    back = (published.weekday() - 5) % 7  # days back to the latest Saturday (0 on a Saturday)
    ahead = (5 - published.weekday()) % 7
    if step > 0:
        return (published + timedelta(days=ahead or 7)).isoformat()
    if step < 0 or tense == "past" or back <= 1:
        return (published - timedelta(days=back)).isoformat()
    return (published + timedelta(days=ahead)).isoformat()  # "this weekend" on a weekday: the coming one
