"""Step 1 of the event coder: the words and phrases of data/plover/triggers.tsv found in a parsed sentence."""

from __future__ import annotations

import pytest

from communique.stages.events.rules import load_rules
from communique.stages.events.triggers import TriggerFinder, load_lexicon


@pytest.fixture(scope="module")
def finder(analyzer) -> TriggerFinder:
    return TriggerFinder(analyzer.nlp.vocab, load_lexicon(), load_rules().obligation_modals)


def _found(analyzer, finder: TriggerFinder, text: str) -> list[tuple[str, str, str]]:
    doc = analyzer.nlp(text)
    candidates, _ = finder.find(doc)
    return [(c.entry.kind, c.entry.type, doc[c.start : c.end].text) for c in candidates]


def test_a_phrase_beats_the_single_words_on_its_head(analyzer, finder) -> None:
    # "send" alone codes nothing, "aid" alone is AID 0.45: the phrase "send ... aid" (0.85) is the one trigger
    found = _found(analyzer, finder, "Turkey sent aid to Syria.")
    assert found == [("phrase", "AID", "sent aid")]


def test_a_phrase_may_skip_up_to_three_words_between_its_words(analyzer, finder) -> None:
    assert ("phrase", "AID", "sent three tonnes of aid") in _found(
        analyzer, finder, "Turkey sent three tonnes of aid to Syria."
    )
    too_far = _found(analyzer, finder, "Turkey sent three large shipments of food aid to Syria.")
    assert not any(kind == "phrase" and etype == "AID" for kind, etype, _ in too_far)


def test_punctuation_ends_a_phrase_gap(analyzer, finder) -> None:
    found = _found(analyzer, finder, "Turkey sent troops, and aid followed.")
    assert not any(text.startswith("sent") and "aid" in text for _, _, text in found)


def test_a_phrase_matches_the_inflected_forms_of_its_words_whatever_their_lemma(analyzer, finder) -> None:
    # spaCy's small model lemmatizes "staged" as "stag"; phrases match the forms of "stage" in the text
    assert _found(analyzer, finder, "Armenia staged a campaign.") == [
        ("phrase", "PROTEST", "staged a campaign")
    ]


def test_obligation_modals_are_reported_by_index(analyzer, finder) -> None:
    doc = analyzer.nlp("Russia said Ukraine must withdraw.")
    _, modals = finder.find(doc)
    assert [doc[i].text for i in modals] == ["must"]
