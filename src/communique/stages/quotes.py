"""Quote attribution: who said what, with the cue that introduces it and the words attributed.

The stage fills ``document.quotes`` with :class:`~communique.document.Quote` objects, one per stretch of
attributed content. A quotation split around its reporting clause ("“...,” he said. “...”") gives one quote
per part, all sharing the same cue span; readers (and :mod:`communique.evaluation.quotes`) join quotes with
the same cue into one attribution.

How it works, in one pass over the characters and one over the tokens:

1. :func:`find_quotations` pairs quotation marks paragraph by paragraph: straight ``"``, curly “ ” and
   ‘ ’ (an apostrophe between letters never opens or closes), angle « », and „ “. A quotation still open at
   the end of a paragraph stops there; it *continues* when the next paragraph opens with a quotation mark (the
   newspaper convention for quotations that run over several paragraphs). Unbalanced marks therefore never
   swallow more than one paragraph.
2. Cue words come from ``data/quotes/cues.yaml``: reporting verbs by lemma ("said", "stressed", "pointed
   out", "warned of", "according to"). Each cue outside quotation marks gets its speaker from the parse
   (its subject, the subject it shares as a conjunct or participle — "..., noting that" — the antecedent of
   "who", or the object of "according to").
3. Content, in order of preference: a quotation next to the reporting clause ("“...,” X said", "“...,” said
   X", "X said: “...”"), extended by the quotations that follow the reporting sentence with nothing in
   between; else the clause complement ("X stressed that ..."), an object ("X pointed out the importance of
   ..."), an infinitive ("X promised to ..."), a prepositional object ("X called for ..."), or the clause the
   reporting verb is tacked onto ("..., X said.").
4. Two layout cues need no verb: a quotation followed by a dash and a name (“...” ― Name), and a speaker
   label before a colon at the start of a transcript paragraph ("PENCE: ...") or of the headline
   ("Pence: ..."). A free quotation after any clause ending in a colon goes to that clause's subject
   ("Sanders made the following comment: “...”").
5. An indirect attribution whose cue lies inside what another one reports is dropped ("experts say it
   underscores ..."), and so are the author's own beliefs ("I think that ...") and passives ("this fact is
   confirmed by ...").
6. The speaker is linked to the actor whose mention covers the speaker's head word; a pronoun or a bare title
   with no actor mention goes to the nearest preceding person actor.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy
from spacy.attrs import IDX, LEMMA, LOWER
from spacy.strings import get_string_id

from communique.document import Actor, Document, Quote, Span, Speaker
from communique.resources import load_yaml
from communique.vocabulary import SPEAKER_TITLES

# Opening mark -> the marks that close it. „ closes with “ (German) or ” (some English typesetting).
_CLOSERS = {"“": '”"', "«": "»", "„": "“”", "‘": "’", '"': '"”'}
_DOUBLE_OPENERS = '“«„"'
_ALL_MARKS = '"“”‘’«»„'
_MARK = re.compile("[\"“”‘’«»„']")
_SPACE_OR_OPEN = " \t\n([{—–-/\u00a0\u2009\u2003" + "“«„‘"
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_RELATIVE_PRONOUNS = {"who", "that", "which"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_PARTICIPLE_DEPS = {"advcl", "xcomp", "conj", "acl"}
_TRIM = " \t\n\r,;:.—–-"
# Words that join a second, contrasted report to a first ("X said ..., while Y said ...").
_CONTRAST_LINKS = {"while", "whereas", "but", "although", "though"}
# A gap between a quotation and the reporting clause after it: spaces, a comma, a dash.
_GAP_BEFORE_CLAUSE = re.compile(r"[ \t\u00a0,—–-]*")
# What may stand before a quotation that opens a sentence: nothing, end punctuation, a closing mark, a colon.
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\"”’»)\]—–\n])[ \t\u00a0]*$")
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)
# Between an indirect report and a quotation that opens the next sentence: its end and a space, no line break.
_REPORT_THEN_QUOTATION = re.compile(r"[\"”’)]?[.!?][\"”’)]?[ \t\u00a0]+")
_ENDS_SENTENCE = re.compile(r"[.!?][\"”’»)]?[ \t\u00a0]+$")
# A sentence boundary inside a stretch of text: end punctuation or an ellipsis, then space and a capital or an
# opening mark ("the U.S. military" has none).
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[A-Z“\"‘«])")
_DASH_NAME = re.compile(
    r"[ \t\u00a0]*[―—–][ \t\u00a0]*((?:[A-Z][\w.'’-]*)(?:[ \t]+(?:[A-Z][\w.'’-]*|de|van|von|da|del|la)){0,4})"
    r"[ \t\u00a0.]*(?=\n|$)"
)
# "Said Ellis: “...”" opening a sentence (the parser often takes "Said" for a name).
_FRONTED_SAID = re.compile(
    r"(?:^|(?<=[.!?\"”’]\s)|(?<=\n))(Said|Says|Added|Adds)[ \t]+"
    r"((?:the[ \t]+)?[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]*$"
)
_TRANSCRIPT_LABEL = re.compile(r"[\"“]?([A-Z][A-Z.'’ -]{1,40}[A-Z]):[ \t]+(?=\S)")
_HEADLINE_LABEL = re.compile(r"([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")


@dataclass(frozen=True)
class Quotation:
    """A stretch of text between quotation marks (marks included)."""

    start: int
    end: int
    closed: bool  # False when the paragraph ended before a closing mark
    continues: bool = False  # the next paragraph opens with a mark and goes on with the same quotation


@dataclass(frozen=True)
class CueVerb:
    """How one reporting verb carries its content (see ``data/quotes/cues.yaml``)."""

    lemma: str
    particle: str | None = None
    object: bool = False
    xcomp: bool = False
    prep: frozenset[str] = frozenset()
    addressee: bool = False
    weak: bool = False
    quoted: bool = False


@dataclass
class _Attribution:
    cue: tuple[int, int]
    speaker: tuple[int, int] | None
    speaker_head: Any  # spaCy token standing for the speaker, if any
    parts: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False


@cache
def cue_lexicon() -> dict[str, Any]:
    """data/quotes/cues.yaml, read once per process (the quotes and coreference stages both read it)."""
    return dict(load_yaml("quotes", "cues.yaml"))


def load_cues() -> tuple[dict[str, CueVerb], list[tuple[str, ...]]]:
    """The cue verbs by lemma and the fixed cue phrases (as lowercase word tuples) from the packaged lexicon."""
    raw = cue_lexicon()
    verbs = {}
    for lemma, options in (raw.get("verbs") or {}).items():
        options = options or {}
        verbs[lemma] = CueVerb(
            lemma=lemma,
            particle=options.get("particle"),
            object=bool(options.get("object")),
            xcomp=bool(options.get("xcomp")),
            prep=frozenset(options.get("prep") or ()),
            addressee=bool(options.get("addressee")),
            weak=bool(options.get("weak")),
            quoted=bool(options.get("quoted")),
        )
    phrases = [tuple(p.lower().split()) for p in raw.get("phrases") or []]
    return verbs, phrases


def _cue_words(section: str) -> frozenset[str]:
    """A word list of the cue lexicon (``statement_nouns``, ``unnamed_speakers``)."""
    raw = cue_lexicon()
    return frozenset(str(w).lower() for w in raw.get(section) or [])


_STATEMENT_NOUNS = _cue_words("statement_nouns")
_UNNAMED_SPEAKERS = _cue_words("unnamed_speakers")
_CUE_NOUNS = _cue_words("cue_nouns")


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation in ``text``, paragraph by paragraph, in text order.

    A quotation never runs past the end of its paragraph; one left open there is marked ``continues`` when
    the next non-empty paragraph starts with a quotation mark. Apostrophes (a ’ or ' between letters or after
    a plural s) are never quotation marks. Nested quotations stay inside the outer one.
    """
    quotations: list[Quotation] = []
    pos = 0
    length = len(text)
    while pos < length:
        newline = text.find("\n", pos)
        end = length if newline < 0 else newline
        quotations.extend(_paragraph_quotations(text, pos, end))
        pos = end + 1
    # The newspaper convention: an open quotation continues when the next paragraph opens with a mark.
    marked = []
    for i, q in enumerate(quotations):
        if not q.closed and i + 1 < len(quotations):
            nxt = quotations[i + 1]
            between = text[q.end : nxt.start]
            if "\n" in between and not between.strip():
                q = Quotation(q.start, q.end, q.closed, continues=True)
        if not q.closed and not q.continues:
            q = _cap_stray_opening(text, q)
        marked.append(q)
    return marked


def _cap_stray_opening(text: str, q: Quotation) -> Quotation:
    """A mark opened mid-paragraph and never closed (nor continued) is most likely a typo: the quotation is
    taken to end with its sentence, not to swallow the rest of the paragraph."""
    paragraph_start = text.rfind("\n", 0, q.start) + 1
    if not text[paragraph_start : q.start].strip():
        return q  # a paragraph-initial mark: the quotation runs to the paragraph's end by convention
    found = _SENTENCE_END.search(text, q.start, q.end)
    if found is None:
        return q
    return Quotation(q.start, found.end(), closed=False)


def _paragraph_quotations(text: str, start: int, end: int) -> list[Quotation]:
    found: list[Quotation] = []
    open_at = -1
    closers = ""
    i = start
    while i < end:
        found_mark = _MARK.search(text, i, end)  # jump to the next mark: no Python step per character
        if found_mark is None:
            break
        i = found_mark.start()
        ch = text[i]
        width = 1
        if ch == "'":
            if i + 1 < end and text[i + 1] == "'":
                ch, width = '"', 2  # ''...'' (two apostrophes) is a double quotation mark in some archives
            else:
                close = _straight_single_close(text, i, start, end) if open_at < 0 else -1
                if close > 0:
                    # 'We are ready,' he said: some outlets quote with straight single marks
                    found.append(Quotation(i, close + 1, closed=True))
                    i = close + 1
                    continue
                i += 1  # a lone straight ' is far more often an apostrophe than a quotation mark
                continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + width] if i + width < end else " "
        if open_at >= 0 and ch == "“" and text[open_at] == "“" and _opens(prev, nxt):
            # a second “ while one is open: English nests with single marks, so the first was left open
            found.append(Quotation(open_at, _trim_end(text, open_at, i), closed=False))
            open_at = -1
        if open_at < 0:
            if ch in "“«„" or (ch == '"' and _opens(prev, nxt)):
                open_at, closers = i, _CLOSERS[ch]
            elif ch == "”" and nxt.isalnum() and i == _first_visible(text, start, end):
                # a closing mark typed at the start of a paragraph, used as an opening one
                open_at, closers = i, "”"
            elif ch == "‘" and _opens(prev, nxt) and _has_single_close(text, i + 1, end):
                open_at, closers = i, "’"
        elif ch in closers:
            if ch == "’" and (
                nxt.isalpha() or (prev == "s" and nxt == " " and _has_single_close(text, i + 1, end))
            ):
                i += 1  # an apostrophe (don’t, voters’) inside a single-quoted stretch
                continue
            if ch == '"' and closers == '"”' and prev.isspace() and not nxt.isspace() and nxt not in ".,;:!?":
                # a straight mark after a space opens a new quotation: the last one was left open
                found.append(Quotation(open_at, _trim_end(text, open_at, i), closed=False))
                open_at = i
                i += width
                continue
            found.append(Quotation(open_at, i + width, closed=True))
            open_at = -1
        i += width
    if open_at >= 0:
        found.append(Quotation(open_at, _trim_end(text, open_at, end), closed=False))
    return found


_SINGLE_CLOSE = re.compile(r"(?<=[^\s'])'(?![\w'])")


def _straight_single_close(text: str, i: int, start: int, end: int) -> int:
    """Where a straight ' at ``i`` that opens a quotation closes, or -1 when it is an apostrophe.

    It opens only after a space, an opening bracket or a dash (or at the paragraph's start) and before a
    letter; it closes at the next ' after a non-space and before a non-letter that is not a plural's
    apostrophe ("the players' union"), with at least three words between; "'90s" and "rock 'n' roll" stay.
    """
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if not (prev.isspace() or prev in "([{—–-:") or not nxt.isalpha():
        return -1
    pos = i + 1
    while True:
        m = _SINGLE_CLOSE.search(text, pos, end)
        if m is None:
            return -1
        j = m.start()
        before = text[j - 1]
        if before == "s" and text[j - 2 : j - 1].isalpha() and j + 1 < end and text[j + 1] == " ":
            nxt_word = text[j + 2 : j + 3]
            if nxt_word.islower():  # "the players' union": an apostrophe, look further
                pos = j + 1
                continue
        return j if len(text[i + 1 : j].split()) >= 3 else -1


def _opens(prev: str, nxt: str) -> bool:
    return (prev in _SPACE_OR_OPEN or prev.isspace()) and not nxt.isspace()


def _first_visible(text: str, start: int, end: int) -> int:
    i = start
    while i < end and text[i].isspace():
        i += 1
    return i


def _has_single_close(text: str, i: int, end: int) -> bool:
    # A ‘ opens only if a ’ that is not an apostrophe follows in the paragraph.
    while True:
        j = text.find("’", i, end)
        if j < 0:
            return False
        after = text[j + 1] if j + 1 < end else " "
        if not after.isalpha():
            return True
        i = j + 1


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1].isspace():
        end -= 1
    return end


def _is_ancestor(ancestor: Any, token: Any) -> bool:
    while token.i != ancestor.i:
        if token.head.i == token.i:
            return False
        token = token.head
    return True


class _TokenQuotes:
    """For a token index, the index of the quotation it lies in, or -1 (a bisect on demand)."""

    def __init__(self, offsets: list[int], quotations: list[Quotation]) -> None:
        self.offsets = offsets
        self.starts = [q.start for q in quotations]
        self.ends = [q.end for q in quotations]

    def __getitem__(self, i: int) -> int:
        offset = self.offsets[i]
        k = bisect.bisect_right(self.starts, offset) - 1
        return k if k >= 0 and offset < self.ends[k] else -1


class QuoteExtractor:
    """Finds direct and indirect quotes with their speaker, cue and content (see the module docstring)."""

    name = "quotes"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb
        self.verbs, phrases = load_cues()
        # fixed phrases by their first word, for a one-token lookup while walking the tokens
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            self.phrases.setdefault(phrase[0], []).append(phrase)
        # string hashes as spaCy stores them, for the vectorised prefilter over a parse
        lemma_forms = {form for lemma in self.verbs for form in (lemma, lemma.capitalize())}
        self.lemma_ids = numpy.array([get_string_id(f) for f in lemma_forms], dtype=numpy.uint64)
        self.phrase_ids = numpy.array([get_string_id(w) for w in self.phrases], dtype=numpy.uint64)

    def __call__(self, document: Document) -> None:
        doc = document.parsed
        if doc is None:
            return
        run = _Run(self, document, doc)
        document.quotes = run.quotes()


class _Run:
    """One document's extraction; keeps the per-document indexes off the extractor."""

    def __init__(self, extractor: QuoteExtractor, document: Document, doc: Any) -> None:
        self.x = extractor
        self.document = document
        self.doc = doc
        self.text: str = document.text
        self.quotations = find_quotations(self.text)
        self.q_starts = [q.start for q in self.quotations]
        self.owner: dict[int, _Attribution] = {}  # quotation index -> the attribution it belongs to
        self.token_quote = self._token_quotes()

    # -- indexes ------------------------------------------------------------------------------------------
    def _token_quotes(self) -> _TokenQuotes:
        return _TokenQuotes(self.doc.to_array([IDX]).tolist(), self.quotations)

    def _quotation_ending_before(self, offset: int) -> int:
        i = bisect.bisect_left(self.q_starts, offset) - 1
        return i

    # -- the run ------------------------------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        attributions: list[_Attribution] = []
        attributions.extend(self._layout_attributions())
        verb_cues = self._verb_cues()
        # First every reporting clause takes the quotations next to it, so that a later "“...,” she added"
        # keeps its own quotation; then each extends over the quotations that follow its sentence.
        pending: list[tuple[_Attribution, Any, CueVerb | None]] = []
        for token, cue, entry in verb_cues:
            attribution = self._attribution_for(token, cue, entry)
            if attribution is None:
                continue
            pending.append((attribution, token, entry))
            self._take_adjacent(attribution, token)
        for attribution, token, entry in pending:
            if attribution.parts:
                self._extend_over_following(attribution, token)
            elif entry is not None:
                self._indirect_content(attribution, token, entry)
                follower = (
                    self._quotation_after_report(attribution, token)
                    if attribution.parts and not entry.weak
                    else None
                )
                if follower is not None:
                    attributions.append(follower)
            else:
                self._according_content(attribution, token)
            if attribution.parts:
                attributions.append(attribution)
        attributions.extend(self._colon_attributions())
        attributions.extend(self._noun_attributions())
        self._continue_into_quoted_paragraphs(attributions)
        attributions = self._outermost(attributions)
        attributions.sort(key=lambda a: a.cue[0])
        return [q for a in attributions for q in self._to_quotes(a)]

    def _continue_into_quoted_paragraphs(self, attributions: list[_Attribution]) -> None:
        """A paragraph that is one quotation and nothing else goes on quoting the speaker of the paragraph
        just before, when that paragraph's last attribution is a direct quote and nothing else was said after
        it ("“We are ready for peace,” he said.\n“Our army will defend every village.”")."""
        text = self.text
        direct = sorted(
            (a for a in attributions if a.direct and a.speaker is not None), key=lambda a: a.cue[0]
        )
        for i, q in enumerate(self.quotations):
            if i in self.owner or not q.closed:
                continue
            start = text.rfind("\n", 0, q.start) + 1
            end = text.find("\n", q.end)
            end = len(text) if end < 0 else end
            if text[start : q.start].strip() or text[q.end : end].strip() or start == 0:
                continue
            previous_end = len(text[:start].rstrip())  # paragraphs may be apart by blank lines
            previous_start = text.rfind("\n", 0, previous_end) + 1
            before = [a for a in direct if a.cue[0] < start - 1]
            if not before:
                continue
            last = before[-1]
            parts_end = max(e for _, e in last.parts)
            if max(last.cue[1], parts_end) < previous_start:
                continue  # the speaker's quote is older than the paragraph just before
            if any(
                previous_start <= a.cue[0] < start and a is not last
                for a in attributions
                if a.cue[0] > last.cue[0]
            ):
                continue  # someone else was quoted after them
            speaker_end = last.speaker[1] if last.speaker is not None else 0
            if text[max(last.cue[1], parts_end, speaker_end) : previous_end].strip(' \t.,;:"”’'):
                continue  # the narrative went on after the quote: the paragraph may be anyone's
            self._own(last, i)

    def _outermost(self, attributions: list[_Attribution]) -> list[_Attribution]:
        """Drop an indirect attribution whose cue lies inside what another one reports.

        In "experts say it underscores the regime's determination", "underscores" is part of what the
        experts say, not a second attribution by "it".
        """
        spans = [(s, e, a) for a in attributions if not a.direct for s, e in a.parts]

        def inside(a: _Attribution) -> bool:
            return any(s <= a.cue[0] < e and other is not a for s, e, other in spans)

        def fragment(a: _Attribution) -> bool:
            # a mixed quote: the quoted words inside an indirect report ("said the offensive would continue
            # “until the last terrorist is neutralised”") are that report's, not a quote of "the offensive"
            return inside(a) and all(any(s <= q0 and q1 <= e for s, e, _ in spans) for q0, q1 in a.parts)

        return [a for a in attributions if (a.direct and not fragment(a)) or (not a.direct and not inside(a))]

    # -- cues ---------------------------------------------------------------------------------------------
    def _verb_cues(self) -> list[tuple[Any, tuple[int, int], CueVerb | None]]:
        """Cue tokens outside quotations, in text order: (token, cue span, verb entry or None for a phrase)."""
        found: list[tuple[Any, tuple[int, int], CueVerb | None]] = []
        doc = self.doc
        verbs = self.x.verbs
        phrases = self.x.phrases
        # Only tokens whose lemma is a cue verb or whose word opens a cue phrase are looked at, found with
        # one vectorised test over the token array instead of a Python loop over every token.
        lemmas, lowers = doc.to_array([LEMMA, LOWER]).T
        wanted = numpy.isin(lemmas, self.x.lemma_ids) | numpy.isin(lowers, self.x.phrase_ids)
        for i in numpy.flatnonzero(wanted).tolist():
            if self.token_quote[i] >= 0:
                continue
            token = doc[i]
            lower = token.lower_
            if lower in phrases:
                words = self._phrase_at(token, phrases[lower])
                if words is not None:
                    found.append((words[-1], (words[0].idx, words[-1].idx + len(words[-1])), None))
                    continue
            if token.pos_ not in ("VERB", "AUX") or token.tag_ == "MD":
                continue
            entry = verbs.get(token.lemma_.lower())
            if entry is None:
                continue
            cue_end = token.idx + len(token)
            if entry.particle:
                particle = next(
                    (c for c in token.children if c.dep_ == "prt" and c.lower_ == entry.particle), None
                )
                if particle is None:
                    continue
                cue_end = particle.idx + len(particle)
            found.append((token, (token.idx, cue_end), entry))
        return found

    def _phrase_at(self, token: Any, candidates: list[tuple[str, ...]]) -> Any:
        doc = self.doc
        for phrase in candidates:
            words = doc[token.i : token.i + len(phrase)]
            if len(words) == len(phrase) and tuple(w.lower_ for w in words) == phrase:
                return words
        return None

    def _attribution_for(
        self, token: Any, cue: tuple[int, int], entry: CueVerb | None
    ) -> _Attribution | None:
        if entry is None:  # "according to X": the source is the object of the last word
            source = next((c for c in token.children if c.dep_ == "pobj"), None)
            if source is None:
                return None
            return _Attribution(cue=cue, speaker=self._span_of(source), speaker_head=source)
        subject = self._subject(token)
        if subject is None and not entry.weak:
            subject = self._inverted_subject(token)
        if subject is None and not entry.weak:
            return self._fronted_speaker(token, cue)
        if subject is None:
            return None
        if entry.weak and subject.lower_ in _FIRST_PERSON:
            return None  # the author's own voice, not an attribution
        if subject.lower_ in ("this", "these") and subject.n_lefts + subject.n_rights == 0:
            return None  # "this suggests that ...": the author's inference from a fact, not a source
        if subject.lower_ in _RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            # "the ambassador, who said ...": the pronoun is resolved to its antecedent; one that stands for a
            # clause or a quoted word names no speaker, and the attribution is dropped
            antecedent = subject.head.head
            if antecedent.pos_ not in ("NOUN", "PROPN", "PRON") or self.token_quote[antecedent.i] >= 0:
                return None
            return _Attribution(cue=cue, speaker=self._span_of(subject), speaker_head=antecedent)
        return _Attribution(cue=cue, speaker=self._span_of(subject), speaker_head=subject)

    def _subject(self, verb: Any) -> Any:
        """The subject of a reporting verb: its own, or the one it shares as a conjunct or participle."""
        reporter = self._reporting_ancestor(verb)
        if reporter is not None:
            verb = reporter  # "X said ..., arguing that ...": X argues, whatever the parser hung it on
        for _ in range(3):
            for child in verb.children:
                # a subject inside a quotation belongs to the quoted words, not to the reporting verb
                if child.dep_ in _SUBJECT_DEPS and self.token_quote[child.i] == self.token_quote[verb.i]:
                    # a passive ("this fact is confirmed by ...") has what was said as its subject
                    return child if child.dep_ == "nsubj" else None
            if verb.dep_ in _PARTICIPLE_DEPS and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
                verb = verb.head
                continue
            prep = verb.head
            if verb.dep_ == "pcomp" and prep.dep_ == "prep" and prep.head.pos_ in ("VERB", "AUX"):
                verb = prep.head  # "she ended the meeting by saying that ...", "after saying ..."
                continue
            statement = verb.head
            if (
                verb.dep_ == "acl"
                and statement.lemma_.lower() in _STATEMENT_NOUNS
                and statement.dep_ in ("dobj", "pobj")
                and statement.head.pos_ in ("VERB", "AUX", "ADP")
            ):
                # "the ministry released a statement saying ...": the statement speaks for whoever made it
                verb = statement.head if statement.dep_ == "dobj" else statement.head.head
                continue
            return None
        return None

    def _reporting_ancestor(self, verb: Any) -> Any:
        """The reporting verb a participle set off by a comma goes on from ("said he did not believe it would
        work, arguing that ..."), or None: the participle reports what that verb's subject says."""
        if (
            verb.tag_ != "VBG"
            or verb.dep_ not in _PARTICIPLE_DEPS
            or any(c.dep_ in _SUBJECT_DEPS for c in verb.children)
        ):
            return None
        before = verb.left_edge.i - 1
        if before < 0 or self.doc[before].text != ",":
            return None
        for ancestor in verb.ancestors:
            if ancestor.pos_ == "VERB" and ancestor.lemma_.lower() in self.x.verbs and ancestor.tag_ != "VBG":
                return ancestor
        return None

    def _inverted_subject(self, verb: Any) -> Any:
        """The speaker after the verb in "“...,” said X" when the parser did not make X the subject."""
        i = self._quotation_ending_before(verb.idx)
        follows_quotation = i >= 0 and _GAP_BEFORE_CLAUSE.fullmatch(
            self.text, self.quotations[i].end, verb.idx
        )
        if not follows_quotation and verb.i != verb.sent.start:  # "Said Ellis: “...”" opens its sentence
            return None
        for child in verb.rights:
            if child.dep_ in ("dobj", "attr", "npadvmod", "appos", "dative", "oprd") and child.pos_ in (
                "PROPN",
                "NOUN",
                "PRON",
            ):
                return child
        return None

    def _fronted_speaker(self, verb: Any, cue: tuple[int, int]) -> _Attribution | None:
        """“...,” Flynn, a top Trump surrogate, said — when the parser hung the name on the quotation."""
        i = self._quotation_ending_before(verb.idx)
        if i < 0:
            return None
        q = self.quotations[i]
        between = self.doc.char_span(q.end, verb.idx, alignment_mode="contract")
        if between is None or not 0 < len(between) <= 25 or "\n" in between.text:
            return None
        words = [t for t in between if not t.is_punct]
        if not words or words[0].pos_ not in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
            return None
        if any(t.pos_ in ("VERB", "AUX") for t in words) or _SENTENCE_END.search(between.text):
            return None
        head = next((t for t in words if t.pos_ in ("PROPN", "PRON")), words[0])
        return _Attribution(cue=cue, speaker=self._trimmed(words[0].idx, verb.idx), speaker_head=head)

    def _span_of(self, token: Any) -> tuple[int, int]:
        """The character span of a token's subtree, trimmed of edge punctuation, never entering a quotation."""
        left, right = token.left_edge.i, token.right_edge.i
        quote = self.token_quote[token.i]
        while left < token.i and self.token_quote[left] >= 0 and self.token_quote[left] != quote:
            left += 1
        while right > token.i and self.token_quote[right] >= 0 and self.token_quote[right] != quote:
            right -= 1
        return self._trimmed(self.doc[left].idx, self.doc[right].idx + len(self.doc[right]))

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            if text[end - 1] == "." and end - 2 >= start and text[end - 2].isupper():
                break  # "U.S." keeps its point
            end -= 1
        return start, end

    # -- direct quotations --------------------------------------------------------------------------------
    def _take_adjacent(self, attribution: _Attribution, verb: Any) -> None:
        """Give the attribution the free quotations right before and right after its reporting clause."""
        if attribution.speaker is None:
            return
        clause_start = min(attribution.cue[0], attribution.speaker[0])
        i = self._quotation_ending_before(clause_start)
        if i >= 0 and i not in self.owner:
            q = self.quotations[i]
            if (
                q.end <= clause_start
                and _GAP_BEFORE_CLAUSE.fullmatch(self.text, q.end, clause_start)
                and (
                    (
                        _SENTENCE_OPENING.search(self.text, max(0, q.start - 40), q.start)
                        # “... limited.” A source said Washington had ...: a quotation that ends its own
                        # sentence is not what the next sentence's verb reports when that verb has a clause
                        and not self.text[q.start : q.end].rstrip(_ALL_MARKS).endswith(".")
                    )
                    or not self._reports_clause_after(verb)
                )
            ):
                self._own(attribution, i)
                if not _SENTENCE_OPENING.search(self.text, max(0, q.start - 40), q.start):
                    self._lead_into(attribution, q)
        clause_end = max(attribution.cue[1], attribution.speaker[1])
        j = bisect.bisect_left(self.q_starts, clause_end)
        if j < len(self.quotations) and j not in self.owner:
            q = self.quotations[j]
            gap = self.text[clause_end : q.start]
            stripped = gap.rstrip()
            if (
                (stripped.endswith((":", ",")) or (not stripped and clause_end == attribution.cue[1]))
                and len(gap) <= 120
                and not _SENTENCE_END.search(stripped)
                and ("\n" not in gap or stripped.endswith(":"))
                and not self._cue_between(clause_end, q.start)
                and not _THAT.search(gap)  # "said that under Obama, “...”": a mixed indirect quote
            ):
                self._own(attribution, j)

    def _lead_into(self, attribution: _Attribution, q: Quotation) -> None:
        """A mixed quote: a quotation that does not open its sentence ("The country “has made dramatic changes,”
        McConnell said") is reported with the words that lead into it, as one indirect report."""
        first = self.doc.char_span(q.start, q.start + 1, alignment_mode="expand")
        if first is None:
            return
        sentence_start = max(first[0].sent.start_char, self.text.rfind("\n", 0, q.start) + 1)
        start, _ = self._trimmed(sentence_start, q.start)
        if start >= q.start or self.token_quote[first[0].sent.start] >= 0:
            return
        lead = self.doc.char_span(start, q.start, alignment_mode="expand")
        if lead is not None and all(t.pos_ == "PRON" or t.is_punct for t in lead):
            return  # "It “must be put into effect everywhere”, Macron said": a pronoun only glues the quotation
        attribution.parts.remove((q.start, q.end))
        attribution.parts.append((start, q.end))
        attribution.parts.sort()

    def _reports_clause_after(self, verb: Any) -> bool:
        # "In an interview on “Face the Nation,” Ryan said the ...": the quotation is not what was said
        return any(
            c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > verb.i and self.token_quote[c.i] < 0
            for c in verb.children
        )

    def _cue_between(self, start: int, end: int) -> bool:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return False
        return any(t.pos_ == "VERB" and t.lemma_.lower() in self.x.verbs for t in span)

    def _extend_over_following(self, attribution: _Attribution, verb: Any) -> None:
        """Add the free quotations that go on after the reporting clause.

        The first may follow the reporting sentence ("“...,” he said on Friday. “...”"); the next ones must
        follow with nothing but space in between, or continue from the paragraph before.
        """
        last = max(e for _, e in attribution.parts)
        clause_end = max(last, attribution.cue[1], attribution.speaker[1] if attribution.speaker else 0)
        j = bisect.bisect_left(self.q_starts, clause_end)
        if j >= len(self.quotations) or j in self.owner:
            return
        q = self.quotations[j]
        gap = self.text[clause_end : q.start]
        previous = self.quotations[j - 1] if j > 0 else None
        carried_over = (
            previous is not None and previous.continues and previous.end == last and not gap.strip()
        )
        if ("\n" in gap and not carried_over) or len(gap) > 300:
            return
        if gap.strip():
            if not _ENDS_SENTENCE.search(gap) or self._cue_between(clause_end, q.start):
                return
        self._own(attribution, j)
        while j + 1 < len(self.quotations) and j + 1 not in self.owner:
            q, nxt = self.quotations[j], self.quotations[j + 1]
            between = self.text[q.end : nxt.start]
            if between.strip() or ("\n" in between and not q.continues):
                break
            j += 1
            self._own(attribution, j)

    def _quotation_after_report(self, attribution: _Attribution, verb: Any) -> _Attribution | None:
        """A free quotation that opens the sentence right after an indirect report, in the same paragraph, goes
        on quoting its speaker ("Lavrov said Moscow would not accept new sanctions. “We have been patient for too
        long.”"); a quotation with a reporting clause of its own has been taken by it already."""
        if verb.dep_ != "ROOT" or any(c.dep_ == "neg" for c in verb.children):
            return None  # a participle (", emphasizing ...") or a denial reports on the way to something else
        end = max(e for _, e in attribution.parts)
        j = bisect.bisect_left(self.q_starts, end)
        if j >= len(self.quotations) or j in self.owner or attribution.speaker is None:
            return None
        q = self.quotations[j]
        gap = self.text[end : q.start]
        if not _REPORT_THEN_QUOTATION.fullmatch(gap) or not q.closed:
            return None
        s0, s1 = attribution.speaker
        if self.text[s0:s1].lower() in _FIRST_PERSON:
            return None
        # an attribution of its own, cued by the layout (its opening mark) like the dash of “...” ― Name: the
        # report and the quotation are two things the speaker said
        follower = _Attribution(
            cue=(q.start, q.start + 1), speaker=attribution.speaker, speaker_head=attribution.speaker_head
        )
        self._own(follower, j)
        return follower

    def _own(self, attribution: _Attribution, index: int) -> None:
        q = self.quotations[index]
        self.owner[index] = attribution
        attribution.parts.append((q.start, q.end))
        attribution.parts.sort()
        attribution.direct = True

    # -- indirect content ---------------------------------------------------------------------------------
    def _indirect_content(self, attribution: _Attribution, verb: Any, entry: CueVerb) -> None:
        if entry.quoted:
            return
        children = list(verb.children)
        content = None
        clauses = [c for c in children if c.dep_ == "ccomp" and not self._is_owned_token(c)]
        if clauses:
            right = [c for c in clauses if c.i > verb.i]
            content = (right or clauses)[0]
        if content is None and entry.xcomp:
            content = next((c for c in children if c.dep_ == "xcomp" and c.i > verb.i), None)
        if content is None and entry.prep:
            prep = next(
                (c for c in children if c.dep_ == "prep" and c.lower_ in entry.prep and c.i > verb.i), None
            )
            if prep is not None:
                pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    attribution.cue = (attribution.cue[0], prep.idx + len(prep))
                    content = pobj
        if content is None:
            content = self._clause_on_statement(verb)
        if content is None and entry.object and not entry.weak:
            content = next((c for c in children if c.dep_ == "dobj" and c.i > verb.i), None)
        if content is not None:
            start, end = self._content_span(content)
            end = self._before_another_report(content, start, end)
            if content.dep_ == "dobj":
                # "called Oz a quack": the object's complement belongs to what was said
                for c in children:
                    if c.dep_ in ("oprd", "xcomp") and c.i > content.i:
                        end = max(end, self._content_span(c)[1])
            if end > start and not self._overlaps_cue_or_speaker(attribution, start, end):
                attribution.parts.append((start, end))
            return
        if entry.weak:
            return
        if attribution.speaker is None or verb.dep_ == "relcl":
            return  # "The official, who spoke on condition of anonymity, said ...": the clause reports nothing
        parts = self._around_parenthetical(attribution, verb)
        if parts:
            attribution.parts.extend(parts)
            return
        # "X said as much", "Flynn says Trump 'absolutely right'": whatever follows the verb in its clause
        rights = [
            c
            for c in verb.rights
            if c.dep_ not in ("punct", "cc", "conj", "npadvmod", "advmod", "prep", "advcl", "mark", "prt")
            and not (entry.addressee and c.dep_ in ("dobj", "dative"))
        ]
        if rights:
            start, end = self._content_span(rights[0])
            end = max(end, self._content_span(rights[-1])[1])
            if end > start and not self._overlaps_cue_or_speaker(attribution, start, end):
                attribution.parts.append((start, end))

    def _clause_on_statement(self, verb: Any) -> Any:
        """The "that" clause the parser hung on the noun of a phrase after the verb ("the Kremlin said in a
        statement that ...", "she said in an interview on Sunday that ...") or on a passive clause of time ("said
        after the deal was announced that ...")."""
        for prep in verb.children:
            if prep.i < verb.i or prep.dep_ not in ("prep", "advcl"):
                continue
            if prep.dep_ == "advcl" and not any(c.dep_ in ("auxpass", "nsubjpass") for c in prep.children):
                continue  # "said after the deal was announced that ...": a passive takes no "that" of its own
            for noun in prep.subtree:
                for c in noun.children:
                    if c.dep_ in ("acl", "ccomp", "relcl") and any(
                        m.dep_ == "mark" and m.lower_ == "that" for m in c.children
                    ):
                        return c
        return None

    def _before_another_report(self, content: Any, start: int, end: int) -> int:
        """Where content ends when a contrasted report of someone else follows inside it: "Erdoğan said Turkey
        would stay, while Putin said the deal was firm" (the second is an attribution of its own)."""
        for t in content.subtree:
            if t.i <= content.i or t.pos_ != "VERB" or t.lemma_.lower() not in self.x.verbs:
                continue
            if self._reporting_ancestor(t) is not None:
                # ", arguing that ...": a second report by the same speaker, an attribution of its own
                return self._trimmed(start, self.doc[t.left_edge.i - 1].idx)[1]
            if not any(c.dep_ in _SUBJECT_DEPS for c in t.children):
                continue
            link = [c for c in t.children if c.dep_ in ("mark", "cc") and c.lower_ in _CONTRAST_LINKS]
            if t.dep_ in ("advcl", "conj") and link:
                first = min(link[0].i, t.left_edge.i)
                return self._trimmed(start, self.doc[first].idx)[1]
        return end

    def _around_parenthetical(self, attribution: _Attribution, verb: Any) -> list[tuple[int, int]]:
        """Text around a parenthetical clause: "Too often, Mr. Clarke said, the debate ..." and "..., X said.": the sentence around the clause."""
        assert attribution.speaker is not None
        if not any(c.dep_ == "nsubj" for c in verb.children):
            return []  # "Firstly, speaking in Bishkek, the president ...": a participle reports nothing by itself
        clause_start = min(attribution.speaker[0], attribution.cue[0])
        # the clause runs on over its own adjuncts ("said on Friday in an interview") up to a comma or the end
        sent = verb.sent
        k = verb.i + 1
        while k < sent.end and self.doc[k].text not in (",", ";", ".", "!", "?", ":", "—", "–"):
            if not _is_ancestor(verb, self.doc[k]) or self.token_quote[k] >= 0:
                return []
            k += 1
        clause_end = self.doc[k - 1].idx + len(self.doc[k - 1])
        paragraph_start = self.text.rfind("\n", 0, clause_start) + 1
        paragraph_end = self.text.find("\n", clause_end)
        paragraph_end = len(self.text) if paragraph_end < 0 else paragraph_end
        s0 = max(sent.start_char, paragraph_start)
        s1 = min(sent.end_char, paragraph_end)
        before = self.text[s0:clause_start]
        after = self.text[clause_end:s1]
        if not before.rstrip().endswith(","):
            return []  # the clause opens its sentence: nothing before it was reported
        parts = []
        start, end = self._trimmed(s0, clause_start)
        reported = self.doc.char_span(start, end, alignment_mode="expand")
        interrupts = after.startswith(",") and bool(after.strip(' ,.;!?"”'))
        if not interrupts and (reported is None or not any(t.pos_ in ("VERB", "AUX") for t in reported)):
            return []  # "In Honolulu last week, he told ...": an adjunct, not a reported clause
        if end - start > 3:
            parts.append((start, end))
        if after.startswith(",") and after.strip(' ,.;!?"”'):
            start, end = self._trimmed(clause_end, s1)
            if end - start > 3:
                parts.append((start, end))
        return parts

    def _according_content(self, attribution: _Attribution, source: Any) -> None:
        """'according to X, ...': the content is the rest of the clause the phrase belongs to."""
        phrase = self.doc.char_span(attribution.cue[0], attribution.cue[1], alignment_mode="expand")
        if phrase is None:
            return
        first = phrase[0]
        phrase_start = min(first.left_edge.i, phrase.start)
        phrase_end = max(first.right_edge.i, source.right_edge.i)
        head = first.head
        sent = first.sent
        if head.i == first.i or phrase_start <= head.i <= phrase_end:
            left_i, right_i = sent.start, sent.end - 1
        else:
            left_i, right_i = min(head.left_edge.i, phrase_start), max(head.right_edge.i, phrase_end)
        parts = []
        if phrase_start > left_i:
            parts.append(self._trimmed(self.doc[left_i].idx, self.doc[phrase_start].idx))
        if phrase_end < right_i:
            last = self.doc[right_i]
            parts.append(self._trimmed(self.doc[phrase_end + 1].idx, last.idx + len(last)))
        attribution.parts.extend(p for p in parts if p[1] - p[0] > 10)

    def _is_owned_token(self, token: Any) -> bool:
        q = self.token_quote[token.i]
        return q >= 0 and q in self.owner

    def _content_span(self, token: Any) -> tuple[int, int]:
        left, right = token.left_edge, token.right_edge
        start, end = left.idx, right.idx + len(right)
        # a quotation that starts inside the content is kept whole
        qi = self.token_quote[right.i]
        if qi >= 0 and self.quotations[qi].start >= start:
            end = max(end, self.quotations[qi].end)
        start, end = self._trimmed(start, end)
        if (
            end < len(self.text)
            and end > 0
            and self.text[end - 1] not in '"”’»'
            and self.text[end : end + 1] in '"”’»'
        ):
            end += 1
        return start, end

    def _overlaps_cue_or_speaker(self, attribution: _Attribution, start: int, end: int) -> bool:
        c0, c1 = attribution.cue
        if start < c1 and c0 < end:
            return True
        if attribution.speaker is not None:
            s0, s1 = attribution.speaker
            return start < s1 and s0 < end and not (start <= s0 and s1 <= end)
        return False

    def _noun_attributions(self) -> list[_Attribution]:
        """A noun of saying with a possessive speaker and a "that" clause: "Erdoğan's claim that the
        offensive was over" (speaker Erdoğan, cue "claim", content the clause)."""
        found = []
        for token in self.doc:
            if (
                token.pos_ != "NOUN"
                or token.lemma_.lower() not in _CUE_NOUNS
                or self.token_quote[token.i] >= 0
            ):
                continue
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            clause = next(
                (
                    c
                    for c in token.children
                    if c.dep_ in ("acl", "ccomp", "relcl")
                    and c.i > token.i
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                ),
                None,
            )
            if owner is None or clause is None or owner.lower_ in _FIRST_PERSON | {"my", "our"}:
                continue
            start, end = self._content_span(clause)
            s0, s1 = self._span_of(owner)
            if self.text[s0:s1].endswith(("'s", "’s")):
                s1 -= 2  # "Erdoğan's": the speaker is Erdoğan
            attribution = _Attribution(
                cue=(token.idx, token.idx + len(token)), speaker=(s0, s1), speaker_head=owner
            )
            if end > start and not self._overlaps_cue_or_speaker(attribution, start, end):
                attribution.parts.append((start, end))
                found.append(attribution)
        return found

    def _colon_attributions(self) -> list[_Attribution]:
        """Clauses ending in a colon before a quotation: "X made the following comment: “...”": any clause with a subject ending in a colon before a quotation."""
        found = []
        for i, q in enumerate(self.quotations):
            if i in self.owner:
                continue
            window = self.text[max(0, q.start - 8) : q.start]
            stripped = window.rstrip()
            if not stripped.endswith(":") or window[len(stripped) :].count("\n") > 2:
                continue
            colon = q.start - len(window) + len(stripped) - 1
            span = self.doc.char_span(colon, colon + 1, alignment_mode="expand")
            if span is None or self.token_quote[span[0].i] >= 0:
                continue
            verb = span[0].head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            if verb.pos_ not in ("VERB", "AUX") or self.token_quote[verb.i] >= 0:
                continue
            subject = self._subject(verb)
            if subject is None or self.token_quote[subject.i] >= 0:
                continue
            attribution = _Attribution(
                cue=(verb.idx, verb.idx + len(verb)), speaker=self._span_of(subject), speaker_head=subject
            )
            self._own(attribution, i)
            self._extend_over_following(attribution, verb)
            found.append(attribution)
        return found

    # -- cues without a verb ------------------------------------------------------------------------------
    def _layout_attributions(self) -> list[_Attribution]:
        found: list[_Attribution] = []
        text = self.text
        # “...” ― Name
        for i, q in enumerate(self.quotations):
            if not q.closed:
                continue
            m = _DASH_NAME.match(text, q.end)
            if m:
                dash_at = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\u00a0"))
                attribution = _Attribution(
                    cue=(dash_at, dash_at + 1), speaker=(m.start(1), m.end(1)), speaker_head=None
                )
                self._own(attribution, i)
                found.append(attribution)
        # Said Ellis: “...”
        for i, q in enumerate(self.quotations):
            if i in self.owner:
                continue
            line_start = text.rfind("\n", 0, q.start) + 1
            m = _FRONTED_SAID.search(text, max(line_start, q.start - 80), q.start)
            if m:
                attribution = _Attribution(
                    cue=(m.start(1), m.end(1)), speaker=(m.start(2), m.end(2)), speaker_head=None
                )
                self._own(attribution, i)
                found.append(attribution)
        # PENCE: ... (transcript) and Pence: ... (headline)
        pos = 0
        first_line = True
        while pos < len(text):
            newline = text.find("\n", pos)
            end = len(text) if newline < 0 else newline
            if text[pos:end].strip():
                label = _TRANSCRIPT_LABEL.match(text, pos)
                if label is None and first_line:
                    label = _HEADLINE_LABEL.match(text, pos)
                first_line = False
                if label is not None:
                    colon = label.end(1)
                    content = self._trimmed(label.end(), end)
                    if text[content[1] : end].startswith(('"', "”", "’")):
                        content = (content[0], content[1] + 1)
                    if content[1] > content[0]:
                        attribution = _Attribution(
                            cue=(colon, colon + 1), speaker=(label.start(1), label.end(1)), speaker_head=None
                        )
                        attribution.parts.append(content)
                        for k, q in enumerate(self.quotations):
                            if q.start <= content[0] < q.end or content[0] <= q.start < content[1]:
                                self.owner.setdefault(k, attribution)
                        found.append(attribution)
            pos = end + 1
        return found

    # -- output -------------------------------------------------------------------------------------------
    def _to_quotes(self, attribution: _Attribution) -> list[Quote]:
        speaker = self._speaker(attribution)
        c0, c1 = attribution.cue
        cue = Span(self.text[c0:c1], c0, c1)
        sentence = self.document.sentence_at(c0)
        quotes = []
        quotation_spans = {(q.start, q.end) for q in self.quotations}
        for start, end in attribution.parts:
            # direct: the content is a whole quotation, however the reporting clause was found
            kind = "direct" if (start, end) in quotation_spans else "indirect"
            quotes.append(
                Quote(
                    kind=kind,
                    speaker=speaker,
                    cue=cue,
                    content=Span(self.text[start:end], start, end),
                    sentence=sentence,
                )
            )
        return quotes

    def _speaker(self, attribution: _Attribution) -> Speaker:
        if attribution.speaker is None:
            return Speaker(text="", actor_id=None, name=None, code=None)
        s0, s1 = attribution.speaker
        head = attribution.speaker_head
        actor = None
        apposed = self._apposed_name(head, attribution.cue[0]) or self._apposed_name_after_cue(
            head, attribution.cue[1]
        )
        if apposed is not None:
            # "the defence minister, Sergei Shoigu, said": the name after the role is the speaker
            actor, name_end = apposed
            s1 = name_end if head.idx > attribution.cue[0] else max(s1, name_end)
        elif head is not None:
            found = self.document.mention_at(head.idx, head.idx + len(head))
            actor = found[0] if found else None
            if actor is None and head.lemma_.lower() in _UNNAMED_SPEAKERS:
                # "a spokesman for the ministry", "the official": their organisation, never a person named
                # before (Putin's spokesman is not Putin)
                actor = self._organisation_in(s0, s1) or self._organisation_before(s0)
            elif actor is None and (head.lower_ in _PERSON_PRONOUNS or head.lemma_.lower() in SPEAKER_TITLES):
                actor = self._nearest_person_before(s0, head.lemma_.lower())
        else:
            found = self.document.mention_at(s0, s1)
            actor = found[0] if found else None
        return Speaker(
            text=self.text[s0:s1],
            actor_id=actor.id if actor else None,
            name=actor.name if actor else None,
            code=actor.code if actor else None,
            start=s0,
            end=s1,
        )

    def _organisation_in(self, start: int, end: int) -> Actor | None:
        """The organisation, group or state named inside an unnamed speaker ("a spokesman for the Iranian
        foreign ministry", "a senior US official"): the most specific (longest) mention, a body before a state."""
        best: tuple[int, int, Actor] | None = None
        for actor in self.document.actors:
            if actor.type == "person":
                continue
            for m in actor.mentions:
                if start <= m.start and m.end <= end:
                    rank = (0 if actor.type == "country" else 1, m.end - m.start)
                    if best is None or rank > best[:2]:
                        best = (*rank, actor)
        return best[2] if best else None

    def _organisation_before(self, offset: int) -> Actor | None:
        """The organisation or group named last in the two sentences before ``offset``, else the seat of
        government named last ("The Pentagon declined to comment on the report. A spokesman said ..."): a
        named body is more specific than a capital standing for a government."""
        sentence = self.document.sentence_at(offset)
        best: dict[bool, tuple[int, Actor]] = {}
        for actor in self.document.actors:
            if actor.type not in ("organization", "group", "country"):
                continue
            for m in actor.mentions:
                if actor.type == "country" and m.kind != "capital":
                    continue  # "the Kremlin", "the Pentagon" speak for a government; "Russia" is too broad
                if m.end <= offset and sentence - self.document.sentence_at(m.start) <= 2:
                    body = actor.type != "country"
                    if body not in best or m.start > best[body][0]:
                        best[body] = (m.start, actor)
        chosen = best.get(True) or best.get(False)
        return chosen[1] if chosen else None

    def _apposed_name(self, head: Any, cue_start: int) -> tuple[Actor, int] | None:
        """The person named right after a speaker that is a role ("the French president, Emmanuel Macron,
        told", "Erdoğan's spokesman, Ibrahim Kalin, sharply criticised"), with the end of the name.

        Only a role noun followed by a comma and a person's name, with nothing but punctuation, adverbs and
        auxiliaries between the name and the cue, counts: the name is the speaker's, not a new clause's.
        """
        if head is None or head.pos_ != "NOUN" or head.idx >= cue_start:
            return None
        # the role may run on past its head noun ("the US secretary of state, Mike Pompeo")
        k = head.i + 1
        while k < len(self.doc) and self.doc[k].idx < cue_start and self.doc[k].text != ",":
            if not _is_ancestor(head, self.doc[k]) or k - head.i > 6:
                return None
            k += 1
        last = self.doc[k - 1]
        after = last.idx + len(last)
        gap = re.match(r"[ \t\u00a0]*,[ \t\u00a0]*", self.text[after:cue_start])
        if gap is None:
            return None
        name_start = after + gap.end()
        found = self.document.mention_at(name_start, name_start + 1)
        if found is None:
            return None
        actor, mention = found
        if actor.type != "person" or mention.start != name_start or mention.end > cue_start:
            return None
        rest = self.doc.char_span(mention.end, cue_start, alignment_mode="expand")
        if rest is not None and any(
            not (t.is_punct or t.is_space or t.pos_ in ("ADV", "AUX", "PART")) for t in rest
        ):
            return None  # "the minister, Sergei Shoigu and the generals said": not one speaker
        return actor, mention.end

    def _apposed_name_after_cue(self, head: Any, cue_end: int) -> tuple[Actor, int] | None:
        """The person named right after a role that follows its cue ("“...,” said the minister, Mohammad Javad
        Zarif, on Monday"): the speaker ends with the name, not with what the parser hung on it."""
        if head is None or head.pos_ not in ("NOUN", "PROPN") or head.idx < cue_end:
            return None
        if head.pos_ == "PROPN" and self.document.mention_at(head.idx, head.idx + len(head)) is not None:
            return None  # a name, not a role ("said Zarif, the foreign minister")
        doc = self.doc
        k = head.i + 1
        while k < len(doc) and doc[k].text != ",":
            if not _is_ancestor(head, doc[k]) or k - head.i > 6:
                return None
            k += 1
        if k + 1 >= len(doc):
            return None
        name_start = doc[k + 1].idx
        found = self.document.mention_at(name_start, name_start + 1)
        if found is None:
            return None
        actor, mention = found
        if actor.type != "person" or mention.start != name_start:
            return None
        return actor, mention.end

    def _nearest_person_before(self, offset: int, title: str) -> Actor | None:
        """The person actor named last before ``offset``; for a title, preferably one whose role has it."""
        best: tuple[int, Actor] | None = None
        best_titled: tuple[int, Actor] | None = None
        for actor in self.document.actors:
            if actor.type != "person":
                continue
            before = [m.start for m in actor.mentions if m.end <= offset]
            if not before:
                continue
            at = max(before)
            if best is None or at > best[0]:
                best = (at, actor)
            if title in SPEAKER_TITLES and actor.role and title in actor.role.lower():
                if best_titled is None or at > best_titled[0]:
                    best_titled = (at, actor)
        chosen = best_titled or best
        return chosen[1] if chosen else None
