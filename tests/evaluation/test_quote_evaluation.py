"""Scoring quote attribution against brat standoff annotations."""

from __future__ import annotations

import pytest

from communique.document import Document, Quote, Span, Speaker
from communique.errors import InputError
from communique.evaluation.quotes import (
    Attribution,
    Region,
    evaluate,
    predicted_attributions,
    read_ann,
    read_corpus,
    score_document,
)
from tests.conftest import shared_path

TEXT = (
    '"Are we where we need to be? Probably not," Ms. Moore said. "Are we going to get there? Absolutely."\n'
    "Stein said she plans to join her supporters."
)
ANN = (
    "T1\tContent 0 43;59 100\t...\n"
    "T2\tSource 44 53\tMs. Moore\n"
    "T3\tCue 54 58\tsaid\n"
    "T4\tAttribution 54 58\tsaid\n"
    "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    "T5\tSource 101 106\tStein\n"
    "T6\tCue 107 111\tsaid\n"
    "T7\tContent 112 145\tshe plans to join her supporters\n"
    "T8\tAttribution 107 111\tsaid\n"
    "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5\n"
    "T9\tDiscard 0 5\tignored\n"
)


def _quote(kind: str, speaker: tuple[int, int], cue: tuple[int, int], content: tuple[int, int]) -> Quote:
    return Quote(
        kind=kind,
        speaker=Speaker(TEXT[speaker[0] : speaker[1]], None, None, None, start=speaker[0], end=speaker[1]),
        cue=Span(TEXT[cue[0] : cue[1]], *cue),
        content=Span(TEXT[content[0] : content[1]], *content),
    )


def test_brat_reader_keeps_discontinuous_content_and_ignores_other_span_types() -> None:
    gold = read_ann(ANN, TEXT)
    assert len(gold) == 2
    assert gold[0].content == Region(((0, 43), (59, 100)))
    assert gold[0].direct and not gold[1].direct
    assert gold[1].source == Region(((101, 106),))


def test_brat_reader_accepts_an_attribution_without_source() -> None:
    ann = "T1\tCue 107 111\tsaid\nT2\tContent 112 145\tx\nT3\tAttribution-no-source 107 111\tsaid\n"
    ann += "E1\tAttribution-no-source:T3 Content:T2 Cue:T1\n"
    (attribution,) = read_ann(ann, TEXT)
    assert attribution.source is None and attribution.cue == Region(((107, 111),))


def test_malformed_brat_line_is_an_input_error() -> None:
    with pytest.raises(InputError):
        read_ann("T1\tContent zero 5\tx\n", TEXT)


def test_quotes_sharing_a_cue_are_scored_as_one_discontinuous_attribution() -> None:
    document = Document(text=TEXT)
    document.quotes = [
        _quote("direct", (44, 53), (54, 58), (0, 43)),
        _quote("direct", (44, 53), (54, 58), (59, 100)),
    ]
    (predicted,) = predicted_attributions(document)
    assert predicted.content == Region(((0, 43), (59, 100)))
    scores = score_document(read_ann(ANN, TEXT), [predicted], TEXT)
    exact = scores.get("content", "exact")
    assert (exact.gold, exact.predicted, exact.matched) == (2, 1, 1)
    assert scores.get("direct", "exact").f1 == 1.0


def test_overlap_matches_a_shorter_content_that_exact_does_not() -> None:
    gold = read_ann(ANN, TEXT)
    predicted = [Attribution(Region(((107, 111),)), Region(((101, 106),)), Region(((112, 121),)))]
    scores = score_document(gold, predicted, TEXT)
    assert scores.get("content", "exact").matched == 0
    assert scores.get("content", "overlap").matched == 1
    assert scores.get("cue", "exact").matched == 1 and scores.get("source", "exact").matched == 1


def test_one_predicted_span_matches_at_most_one_gold_span() -> None:
    gold = read_ann(ANN, TEXT)
    everything = Region(((0, len(TEXT)),))
    scores = score_document(gold, [Attribution(None, None, everything)], TEXT)
    overlap = scores.get("content", "overlap")
    assert (overlap.matched, overlap.precision, overlap.recall) == (1, 1.0, 0.5)


def test_whitespace_differences_do_not_break_an_exact_match() -> None:
    gold = read_ann(ANN, TEXT)
    predicted = [Attribution(None, None, Region(((111, 145),)))]  # starts on the space before "she"
    assert score_document(gold, predicted, TEXT).get("content", "exact").matched == 1


def test_corpus_without_the_brat_folders_is_an_input_error(tmp_path) -> None:
    with pytest.raises(InputError):
        read_corpus(tmp_path)


# -- the development set -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_polnear_dev_meets_the_content_targets(analyzer, capsys) -> None:
    """Content-overlap F1 >= 0.75 over all attributions and >= 0.90 for direct quotes (issue 4)."""
    documents = read_corpus(shared_path("eval", "polnear-dev"))

    def analyze_texts(texts: list[str]) -> list[Document]:
        return list(analyzer.analyze_documents(Document(text=t) for t in texts))

    total, _ = evaluate(documents, analyze_texts)
    with capsys.disabled():  # the figures belong in the CI log even when the test passes
        print("\nquote attribution on polnear-dev\n" + total.table())
    assert total.get("content", "overlap").f1 >= 0.75
    assert total.get("direct", "overlap").f1 >= 0.90
    assert total.get("source", "overlap").f1 >= 0.65
