"""Step 1 of the event coder: the trigger lexicon (``data/plover/triggers.tsv``) and the words of a document
that match it.

One pass over the document's token arrays finds the multi-word patterns (each later word may follow within its
allowed gap) and looks verb and noun lemmas up in dictionaries; a phrase beats a single word on the same head.
Everything is compiled to spaCy string hashes once per vocabulary (:class:`TriggerFinder`): a spaCy ``Matcher``
with gapped patterns cost a third of the parse time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from communique.resources import data_path, read_tsv
from communique.stages.events.inflection import base_forms, word_forms
from communique.vocabulary import require_plover_types

TRIGGERS_FILE = data_path("plover", "triggers.tsv")
# A phrase step: the forms one word may take, and how many other tokens may come before it.
Step = tuple[frozenset[int], int]


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a word or phrase and the PLOVER type, mode and context it signals."""

    kind: str  # verb | noun | phrase | rule
    pattern: str
    type: str  # a PLOVER type or INTENT
    mode: str | None
    context: str | None
    weight: float
    head: int = 0  # index of the head token in a phrase


@dataclass
class Lexicon:
    """The trigger lexicon: verb and noun lemmas, and phrases."""

    verbs: dict[str, Trigger]
    nouns: dict[str, Trigger]
    phrases: list[Trigger]

    @classmethod
    def load(cls) -> Lexicon:
        return load_lexicon()


@cache
def load_lexicon() -> Lexicon:
    """The packaged trigger lexicon (read once per process)."""
    verbs: dict[str, Trigger] = {}
    nouns: dict[str, Trigger] = {}
    phrases: list[Trigger] = []
    rows = read_tsv("plover", "triggers.tsv")
    require_plover_types((row[2] for row in rows), TRIGGERS_FILE, also=("INTENT",))
    for kind, pattern, typ, mode, context, weight in rows:
        words = pattern.split()
        head = next((i for i, w in enumerate(words) if w.startswith("^")), None)
        if kind == "noun" and len(words) > 1 and head is None:
            kind, head = "phrase", len(words) - 1  # a compound event noun: its head is the last word
        entry = Trigger(
            kind=kind,
            pattern=pattern.replace("^", ""),
            type=typ,
            mode=None if mode == "-" else mode,
            context=None if context == "-" else context,
            weight=float(weight),
            head=head or 0,
        )
        if kind == "verb":
            verbs[pattern] = entry
        elif kind == "noun":
            nouns[pattern] = entry
        else:
            phrases.append(entry)
    return Lexicon(verbs=verbs, nouns=nouns, phrases=phrases)


@dataclass
class Candidate:
    """A trigger found in the text: its entry, its head token and the span of the matched words, and (after
    :mod:`~communique.stages.events.governance`) the triggers in its complement."""

    entry: Trigger
    head: Token
    start: int  # token span of the matched words
    end: int
    complements: list[Candidate] = field(default_factory=list)
    governed: bool = False
    rank: tuple[int, float] = (1, 0.0)


class TriggerFinder:
    """The lexicon compiled to one vocabulary's string hashes; :meth:`find` is one pass over a document."""

    def __init__(self, vocab: Vocab, lexicon: Lexicon, obligation_modals: Iterable[str]) -> None:
        strings = vocab.strings

        def hashes(words: Iterable[str]) -> frozenset[int]:
            return frozenset(strings.add(w) for w in words)

        self._verb_by_lemma = {
            strings.add(v): e for k, e in lexicon.verbs.items() for v in (k, k.capitalize())
        }
        # Surface form -> verb entry, for verbs the lemmatizer gets wrong ("staged" -> "stag").
        self._verb_by_form = {
            strings.add(form): e for k, e in lexicon.verbs.items() for form in word_forms(k)
        }
        self._noun_by_word = {
            strings.add(v): e
            for k, e in lexicon.nouns.items()
            for v in (k, k.capitalize(), *base_forms(k), *word_forms(k))
        }
        self._verb_tags = hashes(["VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"])
        self._noun_pos = hashes(["NOUN", "PROPN"])
        self._modal_words = hashes(obligation_modals)
        # Phrases: first-word forms -> [(entry, steps)].
        self._phrases_by_first: dict[int, list[tuple[Trigger, list[Step]]]] = {}
        for entry in lexicon.phrases:
            steps: list[Step] = []
            gap = 0
            for word in entry.pattern.split():
                if word == "...":
                    gap = 3
                    continue
                forms = {form for w in word.split("|") for base in base_forms(w) for form in word_forms(base)}
                steps.append((hashes(forms), gap))
                gap = 0
            for first in steps[0][0]:
                self._phrases_by_first.setdefault(first, []).append((entry, steps))

    def find(self, doc: Doc) -> tuple[list[Candidate], list[int]]:
        """Trigger candidates in token order, and the indices of obligation modals ("must")."""
        from spacy.attrs import IS_PUNCT, LEMMA, LOWER, POS, TAG

        lower, lemma, tag, pos, punct = (
            (
                list(column)
                for column in zip(*doc.to_array([LOWER, LEMMA, TAG, POS, IS_PUNCT]).tolist(), strict=True)
            )
            if len(doc)
            else ([], [], [], [], [])
        )
        by_head: dict[int, Candidate] = {}
        covered: set[int] = set()
        singles: list[tuple[int, Trigger]] = []
        modals: list[int] = []
        n = len(lower)
        for i in range(n):
            word = lower[i]
            if word in self._modal_words:
                modals.append(i)
            for entry, steps in self._phrases_by_first.get(word, ()):
                end = _match_steps(steps, lower, punct, i, n)
                if end is None:
                    continue
                head = _phrase_head(doc, entry, i, end)
                current = by_head.get(head.i)
                # The most specific phrase (most words), then the most reliable, wins on one head.
                rank = (len(steps), entry.weight)
                if current is None or rank > current.rank:
                    by_head[head.i] = Candidate(entry, head, i, end, rank=rank)
            found = None
            if tag[i] in self._verb_tags:
                found = self._verb_by_lemma.get(lemma[i]) or self._verb_by_form.get(word)
            elif pos[i] in self._noun_pos:
                found = self._noun_by_word.get(lemma[i]) or self._noun_by_word.get(word)
            if found is not None:
                singles.append((i, found))
        for cand in by_head.values():
            covered.update(i for i in range(cand.start, cand.end) if i != cand.head.i)
        for i, entry in singles:
            if i not in by_head and i not in covered:
                by_head[i] = Candidate(entry, doc[i], i, i + 1)
        return [c for _, c in sorted(by_head.items())], modals


def _match_steps(steps: list[Step], lower: list[int], punct: list[int], start: int, n: int) -> int | None:
    """End (exclusive) of a phrase match beginning at ``start``, or None. Each later word may follow up to its
    allowed gap of non-punctuation tokens; the nearest occurrence is taken."""
    pos = start
    for forms, gap in steps[1:]:
        for j in range(pos + 1, min(n, pos + 2 + gap)):
            if lower[j] in forms:
                pos = j
                break
            if punct[j]:
                return None
        else:
            return None
    return pos + 1


def _phrase_head(doc: Doc, entry: Trigger, start: int, end: int) -> Token:
    """The token of a matched phrase whose arguments give the event's participants (the ``^`` word)."""
    words = [w for w in entry.pattern.split() if w != "..."]
    if entry.head == 0:
        return doc[start]
    # The head is the n-th named word: find it among the matched tokens by lemma.
    wanted = {
        f
        for w in words[min(entry.head, len(words) - 1)].split("|")
        for b in base_forms(w)
        for f in word_forms(b)
    }
    for token in doc[start:end]:
        if token.lower_ in wanted:
            return token
    return doc[end - 1]
