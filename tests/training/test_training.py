"""The event annotation corpus and the command that learns from it (docs/annotation.md, docs/event-coder.md)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import shared_path
from typer.testing import CliRunner

from communique.training.annotations import ANNOTATIONS, LabelError, compile_event, compile_work, load
from communique.training.sample import split_of

SENTENCE = "The minister said he would meet Iran's foreign minister, and he did."


def test_a_work_label_becomes_offsets_into_the_document():
    event = {
        "type": "CONSULT",
        "status": "future",
        "trigger": "meet",
        "actor": [{"text": "he", "code": "TUR", "sector": "GOV"}],
        "recipient": [{"text": "Iran", "code": "IRN", "sector": None}],
    }
    compiled = compile_event(event, SENTENCE, 1000, "test")
    start, end = compiled["actor"][0]["span"]
    # "he" first occurs inside "The": the label moves to the whole word, in document offsets.
    assert SENTENCE[start - 1000 : end - 1000] == "he" and start - 1000 == SENTENCE.index(" he ") + 1
    assert compiled["trigger"] == [1000 + SENTENCE.index("meet"), 1000 + SENTENCE.index("meet") + 4]
    assert "text" not in json.dumps(compiled)  # no corpus text in the committed form


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"type": "ATTACK"}, "not a PLOVER 2.0 type"),
        ({"status": "done"}, "status"),
        ({"trigger": "visit"}, "not in the sentence"),
        ({"actor": [{"text": "Iran", "code": "Iran"}]}, "ISO 3166-1"),
        ({"actor": [{"text": "Iran", "code": "IRN", "sector": "ARMY"}]}, "sector"),
    ],
)
def test_a_label_that_does_not_fit_its_sentence_is_refused_with_the_reason(change, reason):
    event = {"type": "CONSULT", "status": "future", "trigger": "meet", "actor": [], "recipient": []} | change
    with pytest.raises(LabelError, match=reason):
        compile_event(event, SENTENCE, 0, "labels-001.jsonl:3")


def test_a_work_file_compiles_what_fits_and_reports_the_rest(tmp_path: Path):
    sampled = {
        "d:0-68": {"sid": "d:0-68", "doc": "d", "start": 0, "end": 68, "split": "train", "text": SENTENCE}
    }
    work = tmp_path / "labels-001.jsonl"
    work.write_text(
        json.dumps({"sid": "d:0-68", "events": []}) + "\n" + json.dumps({"sid": "x:1-2", "events": []}) + "\n"
    )
    lines, errors = compile_work([work], sampled)
    assert [line["sid"] for line in lines] == ["d:0-68"]
    assert len(errors) == 1 and "labels-001.jsonl:2" in errors[0] and "unknown sentence" in errors[0]


def test_splits_are_by_article_and_stable():
    assert split_of("01jT0YSxhaABWy87") == split_of("01jT0YSxhaABWy87")
    shares = defaultdict(int)
    for i in range(3000):
        shares[split_of(f"article-{i}")] += 1
    assert 0.65 < shares["train"] / 3000 < 0.75 and 0.12 < shares["test"] / 3000 < 0.18


@pytest.fixture(scope="module")
def corpus() -> list:
    shared_path("corpora", "allsides-geopolitics.jsonl.gz")
    return load()


def test_the_committed_corpus_has_over_3000_labelled_real_sentences_each_in_one_split(corpus):
    real = [s for s in corpus if s.source == "allsides"]
    assert len(real) >= 3000
    splits_of_article = defaultdict(set)
    for s in real:
        splits_of_article[s.doc].add(s.split)
    assert all(len(splits) == 1 for splits in splits_of_article.values())
    assert {s.split for s in real} == {"train", "dev", "test"}
    # It teaches non-events too: a good share of sentences report none.
    assert 0.3 < sum(not s.events for s in real) / len(real) < 0.7


def test_every_committed_span_lies_inside_its_sentence_on_word_boundaries(corpus):
    for s in corpus:
        for event in s.events:
            for mention in [*event.actor, *event.recipient]:
                assert s.start <= mention.start < mention.end <= s.end, s.sid
                text = s.span(mention)
                assert text.strip() == text and text, s.sid


def test_the_committed_files_carry_no_corpus_text():
    for path in sorted(ANNOTATIONS.glob("allsides-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:20]:
            assert "text" not in json.loads(line)


@pytest.mark.slow
def test_train_events_smoke_run_writes_a_model_that_codes(tmp_path: Path):
    """A short run of the training command: it fits, measures, writes weights with their hash, and they load."""
    from communique.cli import app
    from communique.stages.events.model import load_model

    shared_path("corpora", "allsides-geopolitics.jsonl.gz")
    vectors = (
        Path(__file__).resolve().parents[2] / "src" / "communique" / "data" / "models" / "word-vectors.npz"
    )
    (tmp_path / "word-vectors.npz").write_bytes(vectors.read_bytes())
    # Two analyst corrections in the export's format (communique export corrections): the run fits with and
    # without them and reports the test split both ways.
    corrections = tmp_path / "corrections.jsonl"
    text = "Azerbaijan's foreign minister accused Armenia on Monday of shelling villages near the border."
    label = {
        "doc": "written",
        "split": "train",
        "published": "2022-09-13",
        "text": text,
        "events": [
            {
                "type": "ACCUSE",
                "mode": None,
                "status": "realized",
                "trigger": [text.index("accused"), text.index("accused") + 7],
                "actor": [{"span": [0, 10], "code": "AZE", "sector": "GOV"}],
                "recipient": [{"span": [text.index("Armenia"), text.index("Armenia") + 7], "code": "ARM"}],
            }
        ],
    }
    corrections.write_text(
        "".join(json.dumps({"sid": f"correction-{n}", **label}) + "\n" for n in range(2)), encoding="utf-8"
    )
    result = CliRunner().invoke(
        app,
        ["train", "events", "--limit", "400", "--out", str(tmp_path), "--with-corrections", str(corrections)],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((tmp_path / "event-coder.json").read_text())
    assert meta["command"] == "communique train events" and len(meta["sha256"]) == 64
    assert {"test", "test_rules_only"} <= set(meta["metrics"])
    assert meta["metrics"]["corrections"] == 2
    before, after = meta["metrics"]["without_corrections"]["test"], meta["metrics"]["test"]
    assert before["sentences"] == after["sentences"]  # the same test split, measured both ways
    model = load_model(tmp_path)
    assert model is not None and 0 <= model.keep_threshold <= 1
