"""Fact, quote or opinion: the kind of each sentence and the genre of the document.

Every sentence gets ``kind``:

* ``quote`` when most of its characters are quoted speech (the content of a quote found by the quotes stage,
  or text inside quotation marks when that stage found nothing);
* ``opinion`` when the author evaluates or argues outside quoted speech: an epistemic or stance phrase ("it is
  obvious that", "suffice it to recall", "in fact", "undoubtedly"), the author's first person ("we", "our"), a
  rhetorical question, a directive by the author ("X should ..." without a reporting verb), or at least two
  weaker cues (evaluative adjectives and adverbs, argumentative connectives);
* ``report`` otherwise.

``cues`` lists the words that decided. The document ``genre`` (news | opinion | analysis) follows from the mix:
the share of opinion sentences among the author's own sentences, the author's first person, and the signs of a
wire report (a dateline, "said on Tuesday", reporting verbs). The cue lists live in ``data/opinion/markers.yaml``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher

from communique.document import Document
from communique.resources import load_yaml

# A sentence is quoted speech when at least this share of its characters lies inside quote content.
QUOTE_SHARE = 0.5
# Weak cues (evaluative words, connectives) needed to call a sentence opinion without a strong cue.
WEAK_CUES_NEEDED = 2

_QUOTE_PAIRS = re.compile(r"“[^”]{3,}”|\"[^\"\n]{3,}\"|«[^»]{3,}»|„[^“”]{3,}[“”]")


def quoted_ranges(document: Document) -> list[tuple[int, int]]:
    """Character ranges of quoted speech, sorted: quote contents, or quotation-mark pairs if there are none.

    An indirect quote counts only when its speaker resolved to an actor: "this suggests that ..." or "the theses
    confirm that ..." attribute nothing to anyone and remain the author's words. Later stages use this to tell
    the author's own words from the words of the people quoted.
    """
    ranges = [
        (q.content.start, q.content.end)
        for q in document.quotes
        if q.content.end > q.content.start and _someone_speaks(q)
    ]
    if not document.quotes:
        ranges = [(m.start(), m.end()) for m in _QUOTE_PAIRS.finditer(document.text)]
    return _merge(sorted(ranges))


def _someone_speaks(quote: Any) -> bool:
    """A direct quote, or an indirect one whose speaker is a known actor."""
    return bool(quote.kind == "direct" or quote.speaker.actor_id)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def quoted_token_mask(parsed: Any, ranges: list[tuple[int, int]]) -> list[bool]:
    """For each token of the parse, whether it lies inside one of the (sorted, merged) quoted ranges."""
    mask = [False] * len(parsed)
    r = 0
    for token in parsed:
        while r < len(ranges) and ranges[r][1] <= token.idx:
            r += 1
        if r < len(ranges) and ranges[r][0] <= token.idx < ranges[r][1]:
            mask[token.i] = True
    return mask


@dataclass
class _Evidence:
    strong: list[str] = field(default_factory=list)
    weak: list[str] = field(default_factory=list)
    reporting: bool = False


class SentenceClassifier:
    """Sets ``document.sentences[*].kind`` and ``.cues`` and ``document.genre``."""

    name = "opinion"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb
        markers = load_yaml("opinion", "markers.yaml")
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label in ("epistemic_phrases", "reporting_phrases"):
            multi = [p for p in markers[label] if " " in p or "'" in p]
            self.phrases.add(label, [nlp.make_doc(p) for p in multi])
        self.single_epistemic = {p for p in markers["epistemic_phrases"] if " " not in p}
        self.prescriptive_words = {p for p in markers["prescriptive"] if " " not in p}
        self.phrases.add("prescriptive", [nlp.make_doc(p) for p in markers["prescriptive"] if " " in p])
        self.first_person = set(markers["first_person"])
        self.evaluative = set(markers["evaluative"])
        rhetoric = load_yaml("rhetoric", "lexicon.yaml")
        for technique in ("Loaded_Language", "Name_Calling-Labeling"):
            self.evaluative |= {str(w).partition("/")[0] for w in rhetoric[technique]["words"]}
        self.constructions = Matcher(nlp.vocab)
        self.constructions.add("extraposition", [markers["extraposition_pattern"]])
        self.page_imperatives = set(markers["page_imperatives"])
        self.connectives = set(markers["connectives"])
        self.reporting_lemmas = set(markers["reporting_verbs"])
        self.dateline = re.compile(markers["dateline_regex"])
        self.wire = re.compile(markers["wire_regex"])

    def __call__(self, document: Document) -> None:
        parsed = document.parsed
        if parsed is None or not document.sentences:
            return
        ranges = quoted_ranges(document)
        quoted = quoted_token_mask(parsed, ranges)
        evidence = [_Evidence() for _ in document.sentences]
        token_sentence = self._token_sentences(document, parsed)

        prescriptions: dict[int, list[str]] = {}
        for match_id, start, end in self.phrases(parsed):
            if any(quoted[start:end]):
                continue
            label = self.nlp.vocab.strings[match_id]
            ev = evidence[token_sentence[start]]
            text = parsed[start:end].text
            if label == "reporting_phrases":
                ev.reporting = True
            elif label == "prescriptive":
                # strong unless the sentence reports someone ("X said Y would do better to ...")
                prescriptions.setdefault(token_sentence[start], []).append(text)
            else:
                ev.strong.append(text)

        for _, start, end in self.constructions(parsed):
            if not any(quoted[start:end]):
                evidence[token_sentence[start]].strong.append(parsed[start:end].text)
        for s, sentence in enumerate(parsed.sents):
            if s < len(evidence) and self._imperative(sentence, quoted):
                evidence[token_sentence[sentence.start]].strong.append(sentence.root.text)

        for token in parsed:
            if quoted[token.i] or token.is_space or token.is_punct:
                continue
            s = token_sentence[token.i]
            ev = evidence[s]
            lower = token.lower_
            if token.lemma_ in self.reporting_lemmas and token.pos_ == "VERB" and _attributes_speech(token):
                ev.reporting = True
            if lower in self.first_person and token.text not in ("US", "U.S."):
                ev.strong.append(token.text)
            elif lower in self.single_epistemic:
                ev.strong.append(token.text)
            elif lower in self.prescriptive_words and token.tag_ == "MD":
                prescriptions.setdefault(s, []).append(token.text)
            elif lower in self.evaluative or lower in self.connectives:
                ev.weak.append(token.text)

        opinion_count = author_count = first_person = 0
        for sentence, ev in zip(document.sentences, evidence, strict=True):
            share = _covered_share(sentence.start, sentence.end, ranges, document.text)
            if share >= QUOTE_SHARE:
                sentence.kind, sentence.cues = "quote", ["quoted speech"]
                continue
            author_count += 1
            cues = list(dict.fromkeys(ev.strong))
            if not ev.reporting and sentence.index in prescriptions:
                cues += prescriptions[sentence.index]
            if _rhetorical_question(document.text, sentence.start, sentence.end, ranges):
                cues.append("?")
            weak = list(dict.fromkeys(w.lower() for w in ev.weak))
            if cues or len(weak) >= WEAK_CUES_NEEDED:
                sentence.kind, sentence.cues = "opinion", cues + weak
                opinion_count += 1
            else:
                sentence.kind, sentence.cues = "report", []
            first_person += sum(1 for c in ev.strong if c.lower() in self.first_person)

        document.genre = self._genre(document, opinion_count, author_count, first_person)

    def _imperative(self, sentence: Any, quoted: list[bool]) -> bool:
        """A sentence that opens with a bare verb and has no subject: the author addressing the reader."""
        words = [t for t in sentence if not (t.is_punct or t.is_space)]
        if len(words) < 3 or quoted[words[0].i] or sentence.text.rstrip().endswith("?"):
            return False
        root = sentence.root
        return (
            root.i == words[0].i
            and root.tag_ == "VB"
            and root.lower_ not in self.page_imperatives
            and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children)
        )

    def _genre(self, document: Document, opinions: int, author_sentences: int, first_person: int) -> str:
        """news | opinion | analysis from the share of the author's own sentences that opine.

        The evidence is kept in ``document.metadata["genre_evidence"]`` so a reader can see why.
        """
        sentences = max(1, len(document.sentences))
        share = opinions / max(1, author_sentences)
        wire = len(self.wire.findall(document.text)) + 3 * bool(self.dateline.search(document.text[:300]))
        quoted = sum(1 for s in document.sentences if s.kind == "quote") / sentences
        document.metadata["genre_evidence"] = {
            "opinion_share": round(share, 3),
            "quote_share": round(quoted, 3),
            "first_person": first_person,
            "wire_signals": wire,
        }
        # Thresholds set on a spot check of the AllSides corpus: news reports stay under ~0.17 opinion share and
        # rarely use the first person outside quotes; columns run from ~0.2 with a strong "I"/"we" upward.
        if share >= 0.3 or (share >= 0.18 and first_person >= 5):
            return "opinion"
        if share >= 0.18 and wire <= 1 and quoted < 0.3:
            return "analysis"
        return "news"

    @staticmethod
    def _token_sentences(document: Document, parsed: Any) -> list[int]:
        """The index of the document sentence holding each token."""
        out = [0] * len(parsed)
        s = 0
        sentences = document.sentences
        for token in parsed:
            while s + 1 < len(sentences) and sentences[s + 1].start <= token.idx:
                s += 1
            out[token.i] = s
        return out


def _attributes_speech(verb: Any) -> bool:
    """A reporting verb that attributes words to someone ("said that ...", "..., he said"), not "announcing
    packages"."""
    return verb.dep_ == "parataxis" or any(c.dep_ in ("ccomp", "parataxis") for c in verb.children)


def _covered_share(start: int, end: int, ranges: list[tuple[int, int]], text: str) -> float:
    """Share of the non-space characters of [start, end) inside the quoted ranges."""
    span = text[start:end]
    total = len(span) - span.count(" ") - span.count("\n")
    if total <= 0 or not ranges:
        return 0.0
    covered = 0
    # ranges are sorted and disjoint: start at the last one beginning before this sentence
    first = max(0, bisect.bisect_right(ranges, (start, len(text) + 1)) - 1)
    for r_start, r_end in ranges[first:]:
        if r_end <= start:
            continue
        if r_start >= end:
            break
        piece = text[max(start, r_start) : min(end, r_end)]
        covered += len(piece) - piece.count(" ") - piece.count("\n")
    return covered / total


def _rhetorical_question(text: str, start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """A question asked by the author: the sentence ends in "?" outside any quote."""
    stripped = text[start:end].rstrip()
    if not stripped.endswith("?"):
        return False
    last = start + len(stripped) - 1
    return not any(r_start <= last < r_end for r_start, r_end in ranges)
