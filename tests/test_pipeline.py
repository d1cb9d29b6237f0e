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


# -- declared stage contracts ---------------------------------------------------------------------------------


def test_the_stages_run_in_an_order_that_satisfies_every_declared_contract():
    from communique.pipeline import STAGES, check_stage_order

    check_stage_order(STAGES)  # raises on the first stage that reads what no stage before it writes


def test_a_pipeline_whose_stage_reads_what_a_later_stage_writes_is_refused_when_built():
    from communique.errors import PipelineError
    from communique.pipeline import Analyzer

    with pytest.raises(PipelineError) as refused:
        Analyzer(stages=["quotes", "actors"])  # refused before the model or the knowledge base is loaded
    assert "'quotes' reads 'actors'" in str(refused.value)
    assert "put 'actors' before it" in str(refused.value)


def test_a_stage_that_writes_a_layer_an_earlier_stage_already_read_is_refused():
    """Coreference adds mentions to the actors: after quotes have read the actors, they would miss them."""
    from communique.errors import PipelineError
    from communique.pipeline import check_stage_order, stage_contracts

    with pytest.raises(PipelineError, match="'coreference' writes 'actors', which 'quotes' has already read"):
        check_stage_order(stage_contracts(["actors", "quotes", "coreference"]))


def test_a_stage_reading_a_layer_that_no_stage_of_the_pipeline_writes_is_refused():
    from communique.errors import PipelineError
    from communique.pipeline import check_stage_order, stage_contracts

    with pytest.raises(PipelineError, match="no stage of this pipeline writes 'events'"):
        check_stage_order(stage_contracts(["actors", "quotes", "stance"]))


def test_the_actor_stage_without_the_knowledge_base_entity_rulers_is_refused():
    from communique.errors import PipelineError
    from communique.pipeline import INPUT_LAYERS, PARSE_LAYERS, check_stage_order, stage_contracts

    with pytest.raises(PipelineError, match="add_entity_rulers"):
        check_stage_order(stage_contracts(["actors"]), available=(*INPUT_LAYERS, *PARSE_LAYERS))


def test_an_unknown_stage_name_is_refused_with_the_names_there_are():
    from communique.errors import PipelineError
    from communique.pipeline import Analyzer

    with pytest.raises(PipelineError, match="no stage named 'sentiment'; the stages are actors, coreference"):
        Analyzer(stages=["actors", "sentiment"])


def test_the_entity_rulers_are_added_by_the_pipeline_and_building_a_stage_leaves_spacy_as_it_was(analyzer):
    from communique.stages.actors import ActorRecognizer
    from communique.stages.entities import RULERS

    assert all(name in analyzer.nlp.pipe_names for name in RULERS)
    assert analyzer.nlp.pipe_names.index(RULERS[-1]) < analyzer.nlp.pipe_names.index("ner")
    before = list(analyzer.nlp.pipe_names)
    ActorRecognizer(analyzer.nlp, analyzer.kb)
    assert analyzer.nlp.pipe_names == before


# Document methods that read a layer.
LAYER_OF_METHOD = {
    "sentence_at": "sentences",
    "mention_at": "actors",
    "mentions_within": "actors",
    "actor": "actors",
}


def test_every_stage_reads_and_writes_only_the_layers_it_declares(analyzer):
    """Each stage runs over a document that records which of its layers are read and assigned: a stage touching
    a layer it does not declare would let a wrong order pass the check."""
    from dataclasses import fields

    from communique.document import Document
    from communique.pipeline import INPUT_LAYERS, PARSE_LAYERS

    layers = {f.name for f in fields(Document)}
    touched: list[tuple[str, str]] = []

    class RecordingDocument(Document):
        def __getattribute__(self, name: str):
            if name in layers or name in LAYER_OF_METHOD:
                touched.append(("reads", LAYER_OF_METHOD.get(name, name)))
            return super().__getattribute__(name)

        def __setattr__(self, name: str, value) -> None:
            if name in layers:
                touched.append(("writes", name))
            super().__setattr__(name, value)

    text = (
        "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek on Wednesday. "
        '"We will build a new corridor," he said. The two leaders signed a treaty on strategic partnership, '
        "and the foreign ministry said Baku would send aid. Critics accused the government of ignoring protests."
    )
    document = analyzer.analyze(text, published="2022-10-12")
    recording = RecordingDocument(**{f.name: getattr(document, f.name) for f in fields(Document)})
    recording.actors, recording.dates, recording.quotes, recording.events = [], [], [], []
    for sentence in recording.sentences:
        sentence.kind, sentence.cues = "report", []
    assert [stage.name for stage in analyzer.stages] == [contract.name for contract in analyzer.contracts]
    undeclared = {}
    for contract, stage in zip(analyzer.contracts, analyzer.stages, strict=True):
        touched.clear()
        stage(recording)
        allowed_reads = {*INPUT_LAYERS, *PARSE_LAYERS, *contract.requires, *contract.assigns}
        allowed_writes = {*contract.assigns, "metadata"}
        if "sentence_kinds" in contract.assigns:
            allowed_writes.add("sentences")
        wrong = sorted(
            {
                f"{what} {layer}"
                for what, layer in touched
                if layer not in (allowed_reads if what == "reads" else allowed_writes)
            }
        )
        if wrong:
            undeclared[contract.name] = wrong
    assert undeclared == {}
    assert recording.events and recording.actors  # the stages really ran over the recording document


def test_the_pipeline_docstring_lists_every_stage_with_the_layers_it_declares():
    """The table a reader meets first in pipeline.py is the registry's: a stage or a layer added to one only fails."""
    import re

    import communique.pipeline as pipeline

    lines = pipeline.__doc__.splitlines()
    names = [contract.name for contract in pipeline.STAGES]
    rows: dict[str, str] = {}
    current = None
    for line in lines:
        first = line.split()[0] if line.strip() else ""
        if line.startswith("    ") and not line.startswith("     ") and first in names:
            current = first
            rows[current] = line
        elif current and line.startswith("      ") and not first.endswith(":"):
            rows[current] += " " + line  # a row continued on the next line
        else:
            current = None
    assert list(rows) == names
    for contract in pipeline.STAGES:
        words = set(re.findall(r"[a-z_]+|[A-Z]\w+", rows[contract.name]))
        assert contract.factory.rpartition(":")[2] in words, contract.name
        assert set(contract.requires) | set(contract.assigns) <= words, contract.name
