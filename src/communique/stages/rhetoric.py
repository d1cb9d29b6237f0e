"""Persuasion techniques at span level, named as in SemEval-2023 Task 3.

The detector looks words up in a lexicon (``data/rhetoric/lexicon.yaml``: loaded and labelling words, flag-waving,
exaggeration, authority, doubt, fear and causal-oversimplification phrases, slogans) and runs token patterns
(``data/rhetoric/patterns.yaml``) once over the parse. A hit on an evaluative word is widened to the noun phrase
it describes ("fraternal" -> "fraternal Türkiye", "almost global" -> "an almost global campaign"), so the span
shown to an analyst is the phrase that carries the technique. Repetition is found from the parse: the same
clause opening repeated inside a sentence ("we must ..., we must ...") or at the start of three sentences in a row.

One span may carry several techniques: each gets its own :class:`RhetoricSpan` with the same offsets; overlapping
hits of the same technique are merged into the longest. Precision comes first: the lexicon leaves out words that
are neutral in ordinary news reporting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher

from communique.document import Document, RhetoricSpan
from communique.resources import load_yaml

_NOUNS = {"NOUN", "PROPN"}
# Dependency labels by which a describing word hangs on the noun it describes.
_MODIFIER_DEPS = {"amod", "advmod", "compound", "nmod", "npadvmod", "poss", "nummod", "det"}
# Right-hand dependents that still belong to the noun phrase an analyst would mark.
_NP_RIGHT_DEPS = {"conj", "cc", "compound", "appos"}
MAX_SPAN_TOKENS = 16


@dataclass(frozen=True)
class _Hit:
    technique: str
    start: int  # token index
    end: int  # token index, exclusive
    cue: str
    widen: bool


class RhetoricDetector:
    """Fills ``document.rhetoric`` with technique spans and the lexicon entry or pattern that flagged each."""

    name = "rhetoric"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb
        lexicon = load_yaml("rhetoric", "lexicon.yaml")
        # word -> [(technique, required coarse POS or None, widen)]
        self.words: dict[str, list[tuple[str, str | None, bool]]] = defaultdict(list)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.labels: dict[str, tuple[str, bool]] = {}
        # technique -> largest gap (tokens) across which two of its hits in one sentence form one appeal
        self.join_gap: dict[str, int] = {}
        # words that only persuade when the author (or a quoted speaker) uses them, not in plain reporting
        self.author_voice_only: set[str] = set()
        for technique, entry in lexicon.items():
            self.join_gap[technique] = int(entry.get("join_gap", 0))
            self.author_voice_only |= {str(w).lower() for w in entry.get("author_voice_only") or []}
            widen = entry.get("span", "match") == "phrase"
            for word in entry.get("words") or []:
                text, _, pos = str(word).partition("/")
                self.words[text.lower()].append((technique, pos or None, widen))
            phrases = [str(p) for p in entry.get("phrases") or []]
            if phrases:
                self.phrases.add(technique, [nlp.make_doc(p) for p in phrases])
                self.labels[technique] = (technique, widen)
        self.matcher = Matcher(nlp.vocab)
        self.unless_next: dict[str, set[str]] = {}
        for pattern in load_yaml("rhetoric", "patterns.yaml"):
            self.matcher.add(pattern["id"], [pattern["pattern"]], greedy="LONGEST")
            self.unless_next[pattern["id"]] = set(pattern.get("unless_next") or [])
            self.labels[pattern["id"]] = (pattern["technique"], pattern.get("span", "match") == "phrase")

    def __call__(self, document: Document) -> None:
        parsed = document.parsed
        if parsed is None:
            return
        hits: list[_Hit] = []
        reporting = {s.index for s in document.sentences if s.kind == "report"}
        for token in parsed:
            entries = self.words.get(token.lower_) or self.words.get(token.lemma_.lower())
            if not entries:
                continue
            if token.lower_ in self.author_voice_only and document.sentence_at(token.idx) in reporting:
                continue
            for technique, pos, widen in entries:
                if pos is None or token.pos_ == pos:
                    hits.append(_Hit(technique, token.i, token.i + 1, token.lower_, widen))
        for match_id, start, end in self.phrases(parsed):
            technique, widen = self.labels[self.nlp.vocab.strings[match_id]]
            hits.append(_Hit(technique, start, end, parsed[start:end].text.lower(), widen))
        for match_id, start, end in self.matcher(parsed):
            label = self.nlp.vocab.strings[match_id]
            if end < len(parsed) and parsed[end].lower_ in self.unless_next[label]:
                continue
            technique, widen = self.labels[label]
            hits.append(_Hit(technique, start, end, label, widen))
        hits.extend(_repetitions(parsed))

        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for hit in hits:
            start, end = _phrase_extent(parsed, hit.start, hit.end) if hit.widen else (hit.start, hit.end)
            spans[hit.technique].append((start, end, hit.cue))
        found: list[RhetoricSpan] = []
        for technique, items in spans.items():
            for start, end, cue in _merge_overlaps(items, parsed, self.join_gap.get(technique, 0)):
                first, last = parsed[start], parsed[end - 1]
                char_start, char_end = first.idx, last.idx + len(last.text)
                found.append(
                    RhetoricSpan(
                        technique=technique,
                        text=document.text[char_start:char_end],
                        start=char_start,
                        end=char_end,
                        sentence=document.sentence_at(char_start),
                        cue=cue,
                    )
                )
        found.sort(key=lambda r: (r.start, r.end, r.technique))
        document.rhetoric = found


def _merge_overlaps(items: list[tuple[int, int, str]], parsed: Any, gap: int) -> list[tuple[int, int, str]]:
    """Overlapping hits of one technique become one span (their union); the first cue names it.

    Hits closer than ``gap`` tokens inside one sentence are joined too: for techniques such as flag-waving the
    appeal is the whole stretch ("our ancestors ... national dignity"), not each word.
    """
    merged: list[tuple[int, int, str]] = []
    for start, end, cue in sorted(items):
        joins = (
            merged
            and gap
            and start - merged[-1][1] <= gap
            and parsed[start].sent.start == parsed[merged[-1][0]].sent.start
        )
        if merged and (start < merged[-1][1] or joins):
            m_start, m_end, m_cue = merged[-1]
            merged[-1] = (m_start, max(m_end, end), m_cue)
        else:
            merged.append((start, end, cue))
    return merged


def _phrase_extent(parsed: Any, start: int, end: int) -> tuple[int, int]:
    """The noun phrase a hit describes: determiners and modifiers on the left, "of ..." and conjuncts on the right.

    A hit that is not a noun and does not modify one keeps its own extent.
    """
    anchor = parsed[start:end].root
    hops = 0
    while anchor.pos_ not in _NOUNS and hops < 2:
        head = anchor.head
        if head is anchor or anchor.dep_ not in _MODIFIER_DEPS or head.i < anchor.i or head.i - anchor.i > 4:
            return start, end
        anchor, hops = head, hops + 1
    if anchor.pos_ not in _NOUNS:
        return start, end
    sentence = anchor.sent
    left = anchor.i
    for child in reversed(list(anchor.lefts)):
        # contiguous left dependents only: stop at punctuation or anything that starts a clause
        if (
            child.is_punct
            or child.pos_ in ("VERB", "AUX")
            or child.dep_ in ("nsubj", "advcl", "relcl", "prep", "mark")
        ):
            break
        left = child.left_edge.i
    left = max(min(left, start), sentence.start)
    right = anchor.i + 1
    for child in anchor.rights:
        if not ((child.dep_ == "prep" and child.lower_ == "of") or child.dep_ in _NP_RIGHT_DEPS):
            break
        edge = child.right_edge.i + 1
        # never run across punctuation (an appositive after a comma is another phrase)
        for i in range(right, edge):
            if parsed[i].is_punct and parsed[i].text not in ("-", "–"):
                edge = i
                break
        if edge <= right:
            break
        right = edge
    right = min(max(right, end), sentence.end)
    # a phrase never ends on punctuation or a dangling conjunction ("the terrorists as well as")
    while right > max(left + 1, end) and (
        parsed[right - 1].is_punct
        or parsed[right - 1].is_space
        or parsed[right - 1].dep_ in ("cc", "prep", "det")
        or parsed[right - 1].lower_ in ("as", "well")
    ):
        right -= 1
    if right - left > MAX_SPAN_TOKENS:
        return start, end
    return left, right


def _clause_openings(sentence: Any) -> list[int]:
    """Token indices that open a clause: the first word of the sentence and words after , ; : or a dash."""
    starts: list[int] = []
    previous_punct = True
    for token in sentence:
        if token.is_space or token.text in ("“", '"', "«"):
            continue
        if token.is_punct and token.text in (",", ";", ":", "—", "–"):
            previous_punct = True
            continue
        if previous_punct and token.is_alpha:
            starts.append(token.i)
        previous_punct = False
    return starts


def _repetitions(parsed: Any) -> list[_Hit]:
    """Anaphora: a pronoun and modal ("we must") or the same three words opening two clauses of a sentence, or
    a pronoun and modal opening three sentences in a row."""
    hits: list[_Hit] = []
    run: list[tuple[int, str]] = []
    for sentence in parsed.sents:
        openings = _clause_openings(sentence)
        seen: dict[str, list[int]] = defaultdict(list)
        for i in openings:
            if i + 2 >= sentence.end:
                continue
            first, second, third = parsed[i], parsed[i + 1], parsed[i + 2]
            if _modal_opening(first, second):
                seen[f"{first.lower_} {second.lower_}"].append(i)
            elif _clausal_triple(first, second, third):
                seen[f"{first.lower_} {second.lower_} {third.lower_}"].append(i)
        for key, positions in seen.items():
            if len(positions) >= 2:
                hits.append(_Hit("Repetition", positions[0], positions[-1] + len(key.split()), key, False))
        if openings and openings[0] + 1 < sentence.end:
            i = openings[0]
            key = f"{parsed[i].lower_} {parsed[i + 1].lower_}"
            # across sentences only "we will ... We will ... We will": repeated nouns open captions and lists
            if not _modal_opening(parsed[i], parsed[i + 1]):
                key = ""
        else:
            i, key = sentence.start, ""
        if key and run and run[-1][1] == key:
            run.append((i, key))
        else:
            if len(run) >= 3:
                hits.append(_Hit("Repetition", run[0][0], run[-1][0] + 2, run[0][1], False))
            run = [(i, key)] if key else []
    if len(run) >= 3:
        hits.append(_Hit("Repetition", run[0][0], run[-1][0] + 2, run[0][1], False))
    return hits


def _clausal_triple(*tokens: Any) -> bool:
    """Three words that open a clause rather than a list item: a verb among them, no proper name."""
    return (
        all(t.is_alpha for t in tokens)
        and any(t.pos_ in ("VERB", "AUX") for t in tokens)
        and not any(t.pos_ == "PROPN" for t in tokens)
    )


def _modal_opening(first: Any, second: Any) -> bool:
    """A clause opening of pronoun and modal ("we must", "they will"), the usual shape of rhetorical anaphora."""
    return bool(first.pos_ == "PRON" and second.tag_ == "MD")
