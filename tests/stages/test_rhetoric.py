"""Persuasion techniques at span level (SemEval-2023 Task 3 names), precision first."""

from __future__ import annotations


def _spans(analyzer, text: str) -> list[tuple[str, str]]:
    return [(r.technique, r.text) for r in analyzer.analyze(text).rhetoric]


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def test_near_total_quantifier_flags_the_whole_noun_phrase_as_exaggeration(analyzer):
    spans = _spans(analyzer, "Against this idea Armenia staged an almost global campaign in the West.")
    assert ("Exaggeration-Minimisation", "an almost global campaign") in spans


def test_labelling_adjective_and_noun_flag_the_phrase_with_its_of_complement(analyzer):
    spans = _spans(analyzer, "The alliance is a serious threat to ardent opponents of regional integration.")
    assert ("Name_Calling-Labeling", "ardent opponents of regional integration") in spans


def test_kinship_adjective_before_a_country_is_flag_waving(analyzer):
    spans = _spans(analyzer, "Baku keeps close relations with fraternal Türkiye.")
    assert ("Flag_Waving", "fraternal Türkiye") in spans


def test_whole_essence_of_is_a_causal_oversimplification(analyzer):
    spans = _spans(
        analyzer, "Hostility to its neighbours is the whole essence of the government's foreign policy."
    )
    assert ("Causal_Oversimplification", "the whole essence of the government's foreign policy") in spans


def test_government_called_a_regime_is_labelling(analyzer):
    spans = _spans(analyzer, "The Assad regime bombed rebel-held districts of Idlib again on Sunday.")
    assert any(t == "Name_Calling-Labeling" and "Assad regime" in s for t, s in spans)


def test_sanctions_regime_and_regime_change_are_not_labelling(analyzer):
    spans = _spans(
        analyzer,
        "The sanctions regime against Iran was tightened in May. Critics warned that the plan amounted to regime change.",
    )
    assert not [s for s in spans if s[0] == "Name_Calling-Labeling"]


def test_so_called_casts_doubt_on_the_noun_it_precedes(analyzer):
    spans = _spans(analyzer, "Moscow organised the so-called referendum in Crimea within three weeks.")
    assert any(t == "Doubt" and "so-called referendum" in s for t, s in spans)


def test_anaphora_inside_a_sentence_is_repetition(analyzer):
    spans = _spans(
        analyzer, "We will rebuild our villages, we will return to our lands, and we will never forget."
    )
    assert any(t == "Repetition" and s.lower().startswith("we will") for t, s in spans)


def test_existential_threat_is_an_appeal_to_fear(analyzer):
    spans = _spans(analyzer, "The new missile base is an existential threat to the whole region.")
    assert any(t == "Appeal_to_Fear-Prejudice" for t, _ in spans)


def test_experts_agree_is_an_appeal_to_authority(analyzer):
    spans = _spans(
        analyzer, "Experts agree that the pipeline will change the balance of power in the Caspian."
    )
    assert ("Appeal_to_Authority", "Experts agree") in spans


def test_neutral_wire_report_has_no_rhetoric(analyzer):
    text = (
        "The foreign ministers of Georgia and Azerbaijan met in Tbilisi on Thursday to discuss transit routes. "
        "The talks will continue next month, a spokesman for the ministry said."
    )
    assert _spans(analyzer, text) == []


def test_every_span_points_at_its_own_text_and_names_its_cue(seed_analysis):
    text = seed_analysis["document"]["text"]
    for span in seed_analysis["rhetoric"]:
        assert text[span["start"] : span["end"]] == span["text"]
        assert span["cue"]


def test_seed_expected_spans_are_flagged_with_few_others(seed_analysis, seed_gold):
    text = seed_analysis["document"]["text"]
    expected = []
    for item in seed_gold["rhetoric"]["expected"]:
        start = text.index(item["text"])
        expected.append((start, start + len(item["text"]), set(item["techniques"])))
    found = [
        any(
            _overlaps(s["start"], s["end"], start, end) and s["technique"] in techniques
            for s in seed_analysis["rhetoric"]
        )
        for start, end, techniques in expected
    ]
    others = {
        (s["start"], s["end"])
        for s in seed_analysis["rhetoric"]
        if not any(_overlaps(s["start"], s["end"], start, end) for start, end, _ in expected)
    }
    assert sum(found) >= 3, found
    assert len(others) <= 3, others
