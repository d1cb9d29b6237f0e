"""English inflection for the trigger lexicon: the forms a lemma takes in news text, so that the lexicon can be
written in lemmas and still match what the tagger or lemmatizer gets wrong ("staged" -> "stag")."""

from __future__ import annotations

from functools import cache

from communique.vocabulary import IRREGULAR_VERBS


@cache
def word_forms(lemma: str) -> frozenset[str]:
    """The inflected forms of an English lemma (regular rules plus the irregular verbs of news text,
    ``data/vocabulary/irregular_verbs.tsv``)."""
    w = lemma.lower()
    forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing"}
    if w.endswith("e"):
        forms |= {w[:-1] + "ing", w + "d"}
    if w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        forms |= {w[:-1] + "ies", w[:-1] + "ied"}
    if len(w) >= 3 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        forms |= {w + w[-1] + "ed", w + w[-1] + "ing"}
    forms |= set(IRREGULAR_VERBS.get(w, ()))
    return frozenset(forms)


def base_forms(word: str) -> list[str]:
    """A word and the lemmas spaCy may give its plural ("restrictions" -> "restriction", "penalties" ->
    "penalty"), so the lexicon can be written in the forms news text uses."""
    forms = [word]
    if word.endswith("ies") and len(word) > 4:
        forms.append(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 3:
        forms += [word[:-2], word[:-1]]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        forms.append(word[:-1])
    return forms
