"""Mode and context from the words of a sentence: ``data/plover/modes.yaml`` (a type's modes by cue word, first
listed first) and ``data/plover/contexts.yaml`` (PLOVER contexts by cue word or phrase)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span as SpacySpan

from communique.resources import data_path, load_yaml
from communique.stages.events.triggers import Candidate
from communique.vocabulary import require_plover_types


@dataclass(frozen=True)
class Cues:
    """The cue words of modes and contexts, ready for lookup."""

    modes: dict[str, dict[str, tuple[str, ...]]]  # type -> mode -> cue words, in the file's order
    context_words: dict[str, tuple[str, ...]]  # one-word cue (a lemma) -> its contexts
    context_phrases: tuple[tuple[str, str], ...]  # (longer cue, context), matched in the sentence's text


@cache
def load_cues() -> Cues:
    """The packaged mode and context cues (read once per process)."""
    modes_raw = load_yaml("plover", "modes.yaml")
    require_plover_types(modes_raw, data_path("plover", "modes.yaml"))
    modes = {
        str(etype): {str(mode): tuple(str(w) for w in words) for mode, words in table.items()}
        for etype, table in modes_raw.items()
    }
    words: dict[str, list[str]] = {}
    phrases: list[tuple[str, str]] = []
    for context, cues in load_yaml("plover", "contexts.yaml").items():
        for word in cues:
            if " " in word:
                phrases.append((word, context))
            else:
                words.setdefault(word, []).append(context)
    return Cues(modes, {w: tuple(c) for w, c in words.items()}, tuple(phrases))


def mode_from_words(cues: Cues, etype: str, sent: SpacySpan) -> str | None:
    """The first mode of ``etype`` whose cue word the sentence has, or None."""
    table = cues.modes.get(etype)
    if not table:
        return None
    lowered = f" {sent.text.lower()} "
    for mode, words in table.items():
        if any(f" {w}" in lowered and _word_in(w, lowered) for w in words):
            return str(mode)
    return None


def contexts(cues: Cues, cand: Candidate, sent: SpacySpan) -> list[str]:
    """The PLOVER contexts of an event: its trigger's and its complements', then those the sentence's words cue."""
    found: list[str] = []
    if cand.entry.context:
        found.append(cand.entry.context)
    for inner in cand.complements:
        if inner.entry.context and inner.entry.context not in found:
            found.append(inner.entry.context)
    for token in sent:
        for context in cues.context_words.get(token.lemma_.lower(), ()):
            if context not in found:
                found.append(context)
    lowered = sent.text.lower()
    for phrase, context in cues.context_phrases:
        if context not in found and phrase in lowered:
            found.append(context)
    return found


def _word_in(word: str, lowered: str) -> bool:
    """``word`` starts a word of ``lowered`` and ends one (no letter follows it)."""
    i = lowered.find(f" {word}")
    while i >= 0:
        after = lowered[i + 1 + len(word) : i + 2 + len(word)]
        if not after.isalpha():
            return True
        i = lowered.find(f" {word}", i + 1)
    return False
