"""Language identification (communique/stages/language.py): other languages told from English, English kept English."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.stages.language import identify_language

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("code", ["ru", "tr", "zh"])
def test_an_article_in_russian_turkish_or_chinese_is_identified_as_not_english(code):
    identified = identify_language((FIXTURES / f"aliyev-bishkek.{code}.txt").read_text(encoding="utf-8"))
    assert not identified.is_english
    assert identified.code == code


def test_the_seed_article_is_english(seed_text):
    assert identify_language(seed_text).is_english


@pytest.mark.parametrize(
    "sentence",
    [
        # Short and full of foreign names: the identifier's top guess is Turkish or Nigerian Pidgin for these.
        "Kyrgyzstan hosted Azerbaijani President Ilham Aliyev in Bishkek.",
        "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek.",
        "The ministers met on 13 October 2022 in Baku.",
        "Russia condemned Ukraine.",
    ],
)
def test_a_short_english_sentence_full_of_foreign_names_stays_english(sentence):
    assert identify_language(sentence).code == "en"


def test_a_text_with_too_few_letters_to_tell_is_english():
    assert identify_language("12.10.2022 — 14:30").code == "en"
