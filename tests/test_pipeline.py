"""The pipeline runs every stage over one document and keeps evidence offsets honest."""

from __future__ import annotations

from pathlib import Path

import pytest

import communique

FIXTURES = Path(__file__).parent / "fixtures"


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
    from communique.document import AnalysisFailure

    docs = [
        communique.Document(text="Iran protested."),
        communique.Document(text="   "),
        communique.Document(text="Chile voted."),
    ]
    results = list(analyzer.analyze_documents(docs))
    assert [type(r).__name__ for r in results] == ["Document", "AnalysisFailure", "Document"]
    assert isinstance(results[1], AnalysisFailure) and "empty" in results[1].error


@pytest.mark.parametrize("code", ["ru", "tr"])
def test_an_article_not_in_english_is_set_aside_by_the_english_stages_with_a_warning(analyzer, code):
    text = (FIXTURES / f"aliyev-bishkek.{code}.txt").read_text(encoding="utf-8")
    result = communique.to_contract(analyzer.analyze(text, published="2022-10-12"))
    assert result["document"]["language"] == code
    assert result["document"]["text"] == text
    assert any("not English" in w for w in result["document"]["warnings"])
    assert result["actors"] == [] and result["events"] == [] and result["quotes"] == []
    assert result["dates"] == [] and result["rhetoric"] == [] and result["stance"] == []


def test_a_batch_identifies_each_documents_language(analyzer):
    from communique.document import Document

    russian = (FIXTURES / "aliyev-bishkek.ru.txt").read_text(encoding="utf-8")
    english = "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek on Wednesday."
    done = list(analyzer.analyze_documents([Document(text=russian), Document(text=english)]))
    assert [d.language for d in done] == ["ru", "en"]
    assert done[0].actors == [] and done[1].actors and not done[1].warnings
