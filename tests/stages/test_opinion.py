"""Sentence kinds (report | quote | opinion), their cues, and the document genre."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from communique.document import Document, Quote, Span, Speaker


def _stage(analyzer, name: str):
    return next(s for s in analyzer.stages if s.name == name)


def _kinds(analyzer, text: str) -> list[tuple[str, list[str]]]:
    document = analyzer.analyze(text)
    return [(s.kind, s.cues) for s in document.sentences]


def test_epistemic_marker_makes_the_authors_sentence_an_opinion(analyzer):
    [(kind, cues)] = _kinds(
        analyzer,
        "It is obvious that the latest round of sanctions will not change the Kremlin's calculations.",
    )
    assert kind == "opinion"
    assert any("obvious" in c.lower() for c in cues)


def test_suffice_it_to_recall_is_an_opinion_cue(analyzer):
    [(kind, cues)] = _kinds(
        analyzer, "Suffice it to recall that Russia's economy grew last year despite the sanctions."
    )
    assert kind == "opinion"
    assert "Suffice it to recall" in cues


def test_authors_first_person_outside_quotes_is_opinion(analyzer):
    [(kind, cues)] = _kinds(
        analyzer, "The importance of our country has increased significantly in the international arena."
    )
    assert kind == "opinion"
    assert "our" in cues


def test_wire_report_sentence_is_a_report(analyzer):
    [(kind, cues)] = _kinds(
        analyzer,
        "Azerbaijan's Defence Ministry denied the accusation on Tuesday, saying its troops had only returned fire.",
    )
    assert kind == "report"
    assert cues == []


def test_prescription_by_the_author_is_opinion_but_reported_prescription_is_not(analyzer):
    [(own, _)] = _kinds(
        analyzer, "The European Union should invest in its own defence and energy independence."
    )
    [(reported, _)] = _kinds(
        analyzer, "The European Union said that Armenia should withdraw its troops from the border."
    )
    assert own == "opinion"
    assert reported in ("report", "quote")  # the EU's words, whether or not the quotes stage took them


def test_rhetorical_question_by_the_author_is_opinion(analyzer):
    [(kind, cues)] = _kinds(analyzer, "Can sanctions alone change Moscow's course in Ukraine?")
    assert kind == "opinion"
    assert "?" in cues


def test_sentence_in_quotation_marks_is_a_quote_even_with_first_person(analyzer):
    kinds = _kinds(
        analyzer, "“We must be closer to our roots and rely on our traditions,” the president emphasized."
    )
    assert kinds[0][0] == "quote"


def test_sentence_covered_by_an_indirect_quote_layer_is_a_quote(analyzer):
    text = "The president stressed that this document contributed to the rise of relations between the two countries."
    document = analyzer.analyze(text)
    start = text.index("this document")
    document.quotes = [
        Quote(
            kind="indirect",
            speaker=Speaker(text="The president", actor_id="a1", name="Ilham Aliyev", code="AZE"),
            cue=Span("stressed", text.index("stressed"), text.index("stressed") + 8),
            content=Span(text[start:-1], start, len(text) - 1),
        )
    ]
    _stage(analyzer, "opinion")(document)
    assert document.sentences[0].kind == "quote"


def test_indirect_quote_without_an_actor_as_speaker_stays_the_authors_sentence(analyzer):
    text = "And this suggests that the Turkic factor is a key element in the rapprochement between Baku and Bishkek."
    document = analyzer.analyze(text)
    start = text.index("the Turkic")
    document.quotes = [
        Quote(
            kind="indirect",
            speaker=Speaker(text="this", actor_id=None, name=None, code=None),
            cue=Span("suggests", text.index("suggests"), text.index("suggests") + 8),
            content=Span(text[start:-1], start, len(text) - 1),
        )
    ]
    _stage(analyzer, "opinion")(document)
    assert document.sentences[0].kind == "opinion"


def test_empty_document_layers_do_not_crash_the_classifier(analyzer):
    document = Document(text="Talks resumed in Tbilisi.")
    _stage(analyzer, "opinion")(document)  # no parse, no sentences: nothing to do
    assert document.genre is None


def test_seed_opinion_piece_has_genre_opinion(seed_analysis, seed_gold):
    assert seed_analysis["document"]["genre"] == seed_gold["document"]["genre"] == "opinion"


def test_seed_sentences_with_stance_markers_are_opinion(seed_analysis):
    by_text = {
        seed_analysis["document"]["text"][s["start"] : s["end"]]: s for s in seed_analysis["sentences"]
    }
    marked = [
        s for t, s in by_text.items() if t.startswith(("Suffice it to recall", "So far, it is obvious"))
    ]
    assert len(marked) == 2
    assert all(s["kind"] == "opinion" and s["cues"] for s in marked)


@pytest.mark.parametrize("name", ["border-shelling.txt", "tbilisi-transit-talks.txt", "bishkek-summit.txt"])
def test_sample_wire_reports_have_genre_news(analyzer, name):
    text = resources.files("communique").joinpath("samples", name).read_text(encoding="utf-8")
    assert analyzer.analyze(text).genre == "news"


def test_sample_opinion_piece_has_genre_opinion(analyzer):
    index = json.loads(
        resources.files("communique").joinpath("samples", "index.json").read_text(encoding="utf-8")
    )
    assert any(entry["file"] == "sanctions-opinion.txt" for entry in index)
    text = (
        resources.files("communique").joinpath("samples", "sanctions-opinion.txt").read_text(encoding="utf-8")
    )
    assert analyzer.analyze(text).genre == "opinion"


def test_unbalanced_quotation_marks_do_not_break_sentence_kinds(analyzer):
    text = "The minister said “the talks will go on. It is obvious that Baku wants a deal. Yerevan has not replied."
    document = analyzer.analyze(text)
    assert [s.kind for s in document.sentences][-1] == "report"
    assert any(s.kind == "opinion" for s in document.sentences)
