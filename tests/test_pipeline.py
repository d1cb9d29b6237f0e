"""The pipeline runs every stage over one document and keeps evidence offsets honest."""

from __future__ import annotations

import communique


def test_analyze_returns_the_contract_object(analyzer):
    result = communique.to_contract(
        analyzer.analyze("Russia and China signed a trade deal on Monday.", published="2024-01-10")
    )
    assert result["schema"] == "communique/1"
    for key in ("document", "sentences", "actors", "events", "quotes", "dates", "rhetoric", "stance"):
        assert key in result
    assert result["document"]["published"] == "2024-01-10"


def test_sentences_cover_the_text_with_exact_offsets(analyzer):
    text = "The talks ended. Both sides agreed to meet again in May."
    document = analyzer.analyze(text)
    assert [text[s.start : s.end] for s in document.sentences] == [
        "The talks ended.",
        "Both sides agreed to meet again in May.",
    ]


def test_a_bad_document_in_a_batch_is_recorded_and_the_batch_goes_on(analyzer):
    from communique.pipeline import AnalysisFailure

    docs = [
        communique.Document(text="Iran protested."),
        communique.Document(text="   "),
        communique.Document(text="Chile voted."),
    ]
    results = list(analyzer.analyze_documents(docs))
    assert [type(r).__name__ for r in results] == ["Document", "AnalysisFailure", "Document"]
    assert isinstance(results[1], AnalysisFailure) and "empty" in results[1].error
