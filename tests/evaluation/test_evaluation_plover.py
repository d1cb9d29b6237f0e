"""The PLOVER evaluation: how records are scored, and the event coder's figures on the dev set."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from conftest import shared_path

from communique.errors import InputError
from communique.evaluation.plover import (
    CodeScore,
    choose_event,
    evaluate_plover,
    format_plover_report,
    load_plover_records,
)


def test_code_scores_are_micro_averaged_over_records():
    score = CodeScore()
    score.add({"USA", "JOR"}, {"USA", "JOR"})  # 2 tp
    score.add({"RUS"}, {"UKR"})  # 1 fp, 1 fn
    score.add(set(), {"IRQ"})  # a record without an event: 1 fn
    assert (score.tp, score.fp, score.fn) == (2, 1, 2)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 4)
    assert score.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_chosen_event_is_the_one_whose_trigger_shares_the_gold_event_words():
    fired = SimpleNamespace(trigger=SimpleNamespace(text="opened fire"), confidence=0.6)
    arrested = SimpleNamespace(trigger=SimpleNamespace(text="arresting"), confidence=0.9)
    assert choose_event([fired, arrested], "opened fire") is fired
    assert choose_event([fired, arrested], "") is arrested
    assert choose_event([], "opened fire") is None


def test_split_keeps_two_of_three_records_for_tuning_and_the_third_for_checking(tmp_path):
    path = tmp_path / "records.json"
    records = [{"text": f"sentence {i}", "event": "AGREE", "source": [], "target": []} for i in range(9)]
    path.write_text(json.dumps({"records": records}), encoding="utf-8")
    tune, check = load_plover_records(path, "tune"), load_plover_records(path, "check")
    assert len(tune) == 6 and len(check) == 3
    assert not {r["text"] for r in tune} & {r["text"] for r in check}


def test_a_file_without_records_is_an_input_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"meta": {}}', encoding="utf-8")
    with pytest.raises(InputError):
        load_plover_records(path)


def test_dev_set_meets_the_event_type_and_code_targets(analyzer):
    records = load_plover_records(shared_path("eval", "plover-gsr-dev.json"))
    report = evaluate_plover(records, analyzer)
    print()
    print(format_plover_report(report, show=5))
    # The targets are 0.75 / 0.80 / 0.70; the floors sit a little under the measured figures
    # (0.866 / 0.875 / 0.815 on 2026-11-29) so a regression shows, while small knowledge-base changes do not.
    assert report.type_accuracy >= 0.83
    assert report.actor.f1 >= 0.85
    assert report.recipient.f1 >= 0.78


def test_held_back_third_of_the_dev_set_keeps_recipient_f1(analyzer):
    # The 'check' third is never used to tune the coder: it stands in for the held-out set (measured 0.710).
    records = load_plover_records(shared_path("eval", "plover-gsr-dev.json"), "check")
    report = evaluate_plover(records, analyzer)
    assert report.recipient.f1 >= 0.68


def test_report_prints_a_confusion_matrix_row_per_gold_type(analyzer):
    records = load_plover_records(shared_path("eval", "plover-gsr-dev.json"))[:6]
    text = format_plover_report(evaluate_plover(records, analyzer), show=2)
    assert "confusion (rows gold, columns predicted):" in text
    assert any(line.startswith("AGREE") for line in text.splitlines())
