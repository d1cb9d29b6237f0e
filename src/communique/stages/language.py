"""Language identification: the language a document is written in, before any English stage reads it.

    identify_language(text) -> Identified(code, english)       ISO 639 code ("en", "ru", "tr", ...)

The identifier is py3langid (langid.py's model of 142 languages, shipped inside the package: nothing is
downloaded). The stages after it are written for English (an English spaCy model, English cue lexicons), so a
document in another language is set aside by the pipeline: stored and searchable, with a warning, but without
actors, dates, quotes, events, rhetoric or stance, rather than analysed into garbage.

Short English news sentences full of foreign names ("Kyrgyzstan hosted Azerbaijani President Ilham Aliyev in
Bishkek.") can come out as Turkish or Nigerian Pidgin, yet keep an English probability above 1%; a Russian,
Turkish or Chinese article has one under 0.001%. So a text is taken as not English only when English is all but
ruled out (:data:`NOT_ENGLISH_BELOW`), and anything too short to tell (:data:`MIN_LETTERS`) is English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

ENGLISH = "en"
# The probability of English under which a text is another language.
NOT_ENGLISH_BELOW = 0.001
# Fewer letters than this and no language is told apart reliably: the text is taken as English.
MIN_LETTERS = 20
# Identification reads the start of a long text only: a few pages tell the language as well as a book.
SAMPLE_CHARS = 20_000


@dataclass(frozen=True)
class Identified:
    code: str  # ISO 639 code of the language the text is taken to be in
    english: float  # the identifier's probability that the text is English

    @property
    def is_english(self) -> bool:
        return self.code == ENGLISH


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> Identified:
    """The language ``text`` is written in (English unless English is all but ruled out)."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for ch in sample if ch.isalpha()) < MIN_LETTERS:
        return Identified(ENGLISH, 1.0)
    ranked = _identifier().rank(sample)
    english = next((float(p) for code, p in ranked if code == ENGLISH), 0.0)
    top = str(ranked[0][0])
    if top != ENGLISH and english < NOT_ENGLISH_BELOW:
        return Identified(top, english)
    return Identified(ENGLISH, english)
