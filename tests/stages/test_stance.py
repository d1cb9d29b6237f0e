"""Stance: the document's attitude to each actor, in -1..+1, with the sentences that drove it."""

from __future__ import annotations

import re

from communique.document import Actor, Document, Event, Mention, Participant, Quote, Span, Speaker

# Hand-built actor layer, so these specifications hold whatever the actor recogniser does.
NAMES = {
    "ARM": r"Armenia|Armenian",
    "AZE": r"Azerbaijan|Azerbaijani|Baku",
    "TUR": r"Türkiye|Turkey",
    "GEO": r"Georgia",
    "RUS": r"Russia|Moscow",
    "KGZ": r"Kyrgyzstan|Bishkek",
}


def _stage(analyzer, name: str):
    return next(s for s in analyzer.stages if s.name == name)


def _with_actors(document: Document) -> Document:
    document.actors = []
    for code, pattern in NAMES.items():
        actor = Actor(id=code.lower(), name=code, type="country", code=code, sector="GOV")
        for m in re.finditer(rf"\b(?:{pattern})\b", document.text):
            actor.mentions.append(Mention(m.group(), m.start(), m.end(), document.sentence_at(m.start())))
        if actor.mentions:
            document.actors.append(actor)
    return document


def _stance(
    analyzer, text: str, quotes: list[Quote] | None = None, events: list[Event] | None = None
) -> dict:
    document = _with_actors(analyzer.analyze(text))
    document.quotes = quotes or []
    document.events = events or []
    _stage(analyzer, "stance")(document)
    return {s.code: s for s in document.stance}


def test_aggression_against_a_state_is_negative_for_the_aggressor_and_sympathetic_to_the_victim(analyzer):
    stance = _stance(analyzer, "Armenia's aggression against Azerbaijan continued throughout the summer.")
    assert stance["ARM"].score < 0
    assert stance["AZE"].score > 0


def test_subject_of_a_clause_revealing_a_negative_quality_is_portrayed_negatively(analyzer):
    stance = _stance(
        analyzer, "By its actions, Armenia reveals the Turkophobia cultivated in the nation for centuries."
    )
    assert stance["ARM"].score < 0
    assert stance["ARM"].sentences == [0]


def test_evaluative_adjective_reaches_the_country_it_modifies(analyzer):
    stance = _stance(analyzer, "Relations between Azerbaijan and fraternal Türkiye keep growing.")
    assert stance["TUR"].score > 0


def test_partnership_between_two_states_is_positive_for_both(analyzer):
    stance = _stance(
        analyzer, "The strategic partnership between Azerbaijan and Kyrgyzstan was signed in April."
    )
    assert stance["AZE"].score > 0 and stance["KGZ"].score > 0


def test_negation_flips_the_evaluation(analyzer):
    plain = _stance(analyzer, "Georgia is a hostile neighbour.")
    negated = _stance(analyzer, "Georgia is not a hostile neighbour.")
    assert plain["GEO"].score < 0
    assert negated["GEO"].score > 0


def test_quoted_words_weigh_less_than_the_authors_own(analyzer):
    own = _stance(analyzer, "Russia's aggression against Georgia was condemned.")
    text = "“Russia's aggression against Georgia must be condemned,” the minister said."
    content_end = text.index(",”")
    quote = Quote(
        kind="direct",
        speaker=Speaker(text="the minister", actor_id=None, name=None, code=None),
        cue=Span("said", text.index("said"), text.index("said") + 4),
        content=Span(text[1:content_end], 1, content_end),
    )
    quoted = _stance(analyzer, text, quotes=[quote])
    assert own["RUS"].score < quoted["RUS"].score < 0


def test_actor_mentioned_without_evaluation_scores_zero(analyzer):
    stance = _stance(analyzer, "Foreign ministers of Georgia and Azerbaijan met in Tbilisi on Thursday.")
    assert stance["GEO"].score == 0.0
    assert stance["GEO"].sentences == []


def test_conflictual_events_pull_the_actors_stance_down(analyzer):
    text = "Russia moved troops toward the border on Monday."
    document = _with_actors(analyzer.analyze(text))
    russia = document.actors[0]
    document.events = [
        Event(
            type="MOBILIZE",
            mode=None,
            context=[],
            actor=[Participant(russia.id, "RUS", "MIL", "Russia")],
            recipient=[],
            date=None,
            location=None,
            status="realized",
            attribution="author",
            score=-7.0,
            sentence=0,
            trigger=Span("moved", 7, 12),
            evidence=Span(text, 0, len(text)),
        )
    ]
    _stage(analyzer, "stance")(document)
    assert document.stance[0].score < 0


def test_document_without_actors_has_no_stance(analyzer):
    document = analyzer.analyze("Talks resumed on Thursday after a week of delays.")
    document.actors = []
    _stage(analyzer, "stance")(document)
    assert document.stance == []


def test_every_actor_gets_exactly_one_stance_entry(seed_analysis):
    ids = [s["actor_id"] for s in seed_analysis["stance"]]
    assert sorted(ids) == sorted(a["id"] for a in seed_analysis["actors"])
    assert all(-1.0 <= s["score"] <= 1.0 for s in seed_analysis["stance"])


def test_seed_stance_signs_match_the_gold(seed_analysis, seed_gold):
    by_code: dict[str, float] = {}
    for s in seed_analysis["stance"]:
        if s["code"] and abs(s["score"]) >= abs(by_code.get(s["code"], 0.0)):
            actor = next(a for a in seed_analysis["actors"] if a["id"] == s["actor_id"])
            if actor["type"] == "country":
                by_code[s["code"]] = s["score"]
    for expected in seed_gold["stance"]["expected"]:
        score = by_code.get(expected["code"], 0.0)
        assert (score > 0) if expected["sign"] == "positive" else (score < 0), (expected, score)


def test_calling_something_a_provocation_does_not_blame_the_speaker(analyzer):
    stance = _stance(
        analyzer, "Armenia called the shelling of its villages by Azerbaijan a deliberate provocation."
    )
    assert stance["ARM"].score >= 0
