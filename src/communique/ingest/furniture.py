"""Page furniture and photo captions: found in a text as read, and removed before any stage reads it.

    strip_furniture(text) -> Stripped          the text without furniture, and every span removed
    find_furniture(text) -> list[Furniture]    the spans alone, each with the rule that found it

Scraped and extracted articles carry text that is not the article: photo galleries ("Hide Caption 3 of 12"),
captions and credits ("Photo: Lefteris Pitarakis, AP", "Jonathan Bachman/Reuters"), embedded players ("Media
playback is unsupported on your device"), advertisement slots, calls to action ("Click here for reprint
permission.", "Read more: ..."), newsletter sign-up forms. Left in, they become actors ("Replay More"), quotes and events. One function per
rule (as trafilatura writes its extractor) finds them over the vocabulary of ``data/ingest/furniture.yaml``.

Offsets: the stages analyse, and the store keeps, the text *after* removal, so every offset of the analysis points
into the stored text. What was removed is kept in ``Document.metadata["furniture"]`` as ``{rule, start, end,
text}`` with offsets into the text as read: the input can be rebuilt exactly (:func:`restore`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from communique.resources import load_yaml


@dataclass(frozen=True)
class Furniture:
    """A span of the text as read that is not the article: [start, end) and the rule that found it."""

    rule: str
    start: int
    end: int


@dataclass(frozen=True)
class Stripped:
    text: str  # the text without furniture
    removed: list[dict[str, Any]]  # {rule, start, end, text}, offsets into the text as read, in text order


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # the line's end, before its newline
    text: str


@cache
def vocabulary() -> dict[str, Any]:
    """The phrases and patterns of every rule (data/ingest/furniture.yaml), read once."""
    return dict(load_yaml("ingest", "furniture.yaml"))


def _lines(text: str) -> Iterator[Line]:
    start = 0
    for raw in text.split("\n"):
        yield Line(start, start + len(raw), raw)
        start += len(raw) + 1


def _alternatives(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


# -- the rules: each finds one kind of furniture ---------------------------------------------------------------


def gallery(text: str) -> Iterator[Furniture]:
    """A photo gallery: from the start of its line to its last "Hide Caption N of M" (the text after it, if any,
    is the article again); a line that opens with a counter ("8 of 15 Photos:") likewise."""
    words = vocabulary()["gallery"]
    marker = re.compile(words["marker"])
    counter = re.compile(words["counter"])
    for line in _lines(text):
        markers = list(marker.finditer(line.text))
        if markers:
            yield Furniture("gallery", line.start, line.start + markers[-1].end())
        elif counter.match(line.text.lstrip()):
            yield Furniture("gallery", line.start, line.end)


def video_teaser(text: str) -> Iterator[Furniture]:
    """A video teaser line: "JUST WATCHED <title> Replay More Videos ... MUST WATCH <title> 02:38"."""
    markers = vocabulary()["video_teaser"]["markers"]
    for line in _lines(text):
        if sum(1 for m in markers if m in line.text) >= 2:
            yield Furniture("video_teaser", line.start, line.end)


def caption_line(text: str) -> Iterator[Furniture]:
    """A line opening with a caption's or a player's label ("Image copyright", "Media caption", "Enlarge this
    image", "Facebook Twitter Pinterest"): the whole line is the caption."""
    opening = re.compile(rf"\s*(?:{_alternatives(vocabulary()['caption_lines'])})(?=\W|$)")
    for line in _lines(text):
        if opening.match(line.text):
            yield Furniture("caption", line.start, line.end)


def photo_credit(text: str) -> Iterator[Furniture]:
    """A photo's credit and the caption it closes: a line ending in a credit ("... on Saturday. Photograph:
    Amel Emric/AP", "... March 25, 2020. Jonathan Bachman/Reuters", "Xi Jinping and Donald Trump Photographer:
    Qilai Shen/Bloomberg") is a caption; a parenthesised credit inside a line ("... (Photo: Lefteris Pitarakis,
    AP) Story ...") closes the caption that opens the line. On a line too long to be a caption (a paragraph the
    scraper ran a caption into), only the credit goes."""
    words = vocabulary()["photo_credit"]
    agencies = _alternatives(words["agencies"])
    name = r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|de|van|von|al|el|da|di))*"
    after_sentence = r"(?:^|(?<=[.!?”\"'] ))"
    labelled = re.compile(
        rf"(?:{after_sentence}(?:{_alternatives(words['labels'])})|(?<= )(?:{_alternatives(words['caption_labels'])}))"
        r" [^()\n]{2,120}$"
    )
    # "Jonathan Bachman/Reuters", "Alexis Demarco –APG/Getty Images", "Rafa Albarran/Madrid City Hall/AFP/Getty
    # Images", "Yuri Kadobnov /AFP/Getty Images"
    bare = re.compile(
        rf"{after_sentence}{name}(?: for {name})?(?: ?[–-] ?[A-Z]{{2,}})? ?/(?:[^/\n]{{1,40}}/){{0,3}}"
        rf"(?:{agencies})(?:/[\w ]+)?$"
    )
    parenthesised = re.compile(rf"\((?:{_alternatives(words['parenthesised'])})\b[^()\n]{{0,120}}\)")
    for line in _lines(text):
        found = labelled.search(line.text) or bare.search(line.text)
        if len(line.text) > words["max_line_chars"]:
            if found:
                yield Furniture("photo_credit", line.start + found.start(), line.end)
            continue
        if found:
            yield Furniture("photo_credit", line.start, line.end)
            continue
        found = parenthesised.search(line.text)
        if found:
            yield Furniture("photo_credit", line.start, line.start + found.end())


def advertisement(text: str) -> Iterator[Furniture]:
    """A line that is an advertisement slot's label and nothing else ("Advertisement")."""
    labels = {label.casefold() for label in vocabulary()["advertisement"]}
    for line in _lines(text):
        if line.text.strip().casefold() in labels:
            yield Furniture("advertisement", line.start, line.end)


def signup_form(text: str) -> Iterator[Furniture]:
    """A newsletter sign-up form a scraper kept as one line ("Get The Brief. Sign up to receive ... Choose your
    country United States of America Afghanistan Albania ... check your spam folder."): a line holding at least
    two of the form's phrases is the form, whatever its length (its list of countries would become actors)."""
    words = vocabulary()["signup_form"]
    for line in _lines(text):
        if sum(1 for phrase in words["phrases"] if phrase in line.text) >= words["min_phrases"]:
            yield Furniture("signup_form", line.start, line.end)


def call_to_action(text: str) -> Iterator[Furniture]:
    """Words addressed to the reader of the page: a sentence "Click here ..."/"Sign up for ..." (or the same in
    parentheses), a line "Read more: ...", "Copyright © ...", a link line "Read more from Laura here." (short,
    no comma), and a short teaser line ending in "Read more"."""
    words = vocabulary()["call_to_action"]
    openings = _alternatives(words["sentences"])
    sentence = re.compile(rf"(?:^|(?<=[.!?] ))(?:{openings})\b[^\n]*?(?:[.!?](?= |$)|$)")
    parenthesised = re.compile(rf"\(\s*(?:{openings})\b[^()\n]*\)")
    opening = re.compile(rf"\s*(?:{_alternatives(words['lines'])})")
    short_opening = re.compile(rf"\s*(?:{_alternatives(words['short_lines'])})\b")
    teaser = re.compile(rf"(?:{_alternatives(words['line_ends'])})\s*$")
    for line in _lines(text):
        short = len(line.text) <= words["max_teaser_chars"]
        if (
            opening.match(line.text)
            or (short and teaser.search(line.text))
            or (_link_line(line.text, words["max_short_line_chars"]) and short_opening.match(line.text))
        ):
            yield Furniture("call_to_action", line.start, line.end)
            continue
        for found in (*sentence.finditer(line.text), *parenthesised.finditer(line.text)):
            yield Furniture("call_to_action", line.start + found.start(), line.start + found.end())


def _link_line(text: str, max_chars: int) -> bool:
    """A line short enough to be a link's text and with no comma, which a reported sentence ("Read more about the
    agreement in the statement, officials said.") would have."""
    return len(text) <= max_chars and "," not in text


def label(text: str) -> Iterator[Furniture]:
    """A label a page puts before its own summary ("Story highlights"), at the start of a line or after a
    caption's closing parenthesis: the label goes, the summary stays."""
    opening = re.compile(rf"(?:^|(?<=\) ))(?:{_alternatives(vocabulary()['labels'])})\b ?")
    for line in _lines(text):
        for found in opening.finditer(line.text):
            yield Furniture("label", line.start + found.start(), line.start + found.end())


RULES: tuple[Callable[[str], Iterator[Furniture]], ...] = (
    gallery,
    video_teaser,
    caption_line,
    photo_credit,
    advertisement,
    signup_form,
    call_to_action,
    label,
)


# -- finding and removing ---------------------------------------------------------------------------------------


def find_furniture(text: str) -> list[Furniture]:
    """Every span of furniture in ``text``, in text order, overlapping spans merged (the first rule names it)."""
    found = sorted(
        (f for rule in RULES for f in rule(text) if f.end > f.start), key=lambda f: (f.start, -f.end)
    )
    merged: list[Furniture] = []
    for item in found:
        if merged and item.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Furniture(last.rule, last.start, max(last.end, item.end))
        else:
            merged.append(item)
    return merged


def _widen(text: str, item: Furniture) -> Furniture:
    """The span with the space that only separated it: a whole line takes its newline and the blank lines after
    it (so "para\\n\\nCAPTION\\n\\nnext" becomes "para\\n\\nnext"); a span inside a line takes one adjoining space."""
    start, end = item.start, item.end
    line_start = start == 0 or text[start - 1] == "\n"
    line_end = end == len(text) or text[end] == "\n"
    if line_start and line_end:
        while end < len(text) and text[end] == "\n":
            end += 1
        if end == len(text):  # the last lines of the text: take the newlines before them instead
            while start > 0 and text[start - 1] == "\n":
                start -= 1
    elif end < len(text) and text[end] == " ":
        end += 1
    elif start > 0 and text[start - 1] == " ":
        start -= 1
    while line_start and end < len(text) and text[end] == " ":
        end += 1  # what is left of the line starts with its text, not with a space
    return Furniture(item.rule, start, end)


def strip_furniture(text: str) -> Stripped:
    """``text`` without its furniture, and what was removed (offsets into ``text``)."""
    spans = [_widen(text, item) for item in find_furniture(text)]
    if not spans:
        return Stripped(text, [])
    kept: list[str] = []
    removed: list[dict[str, Any]] = []
    at = 0
    for span in spans:
        start = max(span.start, at)
        if span.end <= start:
            continue
        kept.append(text[at:start])
        removed.append({"rule": span.rule, "start": start, "end": span.end, "text": text[start : span.end]})
        at = span.end
    kept.append(text[at:])
    stripped = "".join(kept)
    if not stripped.strip():  # all furniture: better an article of captions than no article
        return Stripped(text, [])
    return Stripped(stripped, removed)


def restore(stripped: str, removed: list[dict[str, Any]]) -> str:
    """The text as read, from the stripped text and the spans removed from it."""
    parts: list[str] = []
    at_original = at_stripped = 0
    for span in removed:
        keep = span["start"] - at_original
        parts.append(stripped[at_stripped : at_stripped + keep])
        parts.append(span["text"])
        at_stripped += keep
        at_original = span["end"]
    parts.append(stripped[at_stripped:])
    return "".join(parts)
