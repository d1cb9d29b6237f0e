"""The event coder's rules file (data/plover/rules.yaml) read into a typed object, and its trigger lexicon:
what the file says is what the coder gets, and a file that says something the coder cannot use is refused
when it is loaded, with the file's name."""

from __future__ import annotations

import copy

import pytest

from communique.errors import DataFileError
from communique.resources import load_yaml
from communique.stages.events.inflection import word_forms
from communique.stages.events.rules import Rules, load_rules, plover_score, rules_from
from communique.stages.events.triggers import load_lexicon


@pytest.fixture()
def raw() -> dict:
    return copy.deepcopy(load_yaml("plover", "rules.yaml"))


def test_the_packaged_rules_load_into_typed_fields() -> None:
    rules = load_rules()
    assert isinstance(rules, Rules)
    assert rules.status.historical_days == 1825
    assert "will" in rules.status.future_aux
    assert rules.intent_type.conflict == "THREATEN"
    assert rules.complement_mode["REJECT"]["CONSULT"] == "meet"  # the YAML alias of REQUEST's table
    assert rules.visitor_is_object == {"host", "receive"}


def test_the_cooperative_types_are_the_vocabularys() -> None:
    assert load_rules().cooperative_types == {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
    }


def test_a_rule_verbs_irregular_form_gives_its_lemma() -> None:
    rules = load_rules()
    assert rules.verb_forms["held"] == "hold"
    assert rules.verb_forms["said"] == "say"
    # "told" is listed after "tell" among the reporting verbs: the later verb keeps the form
    assert rules.verb_forms["told"] == "told"


def test_a_missing_rule_is_refused_with_the_file_and_key(raw: dict) -> None:
    del raw["refusal_type"]
    with pytest.raises(DataFileError, match=r"rules\.yaml: missing refusal_type"):
        rules_from(raw, "data/plover/rules.yaml")


def test_an_unknown_rule_is_refused_as_a_typo(raw: dict) -> None:
    raw["light_verb"] = ["hold"]
    with pytest.raises(DataFileError, match=r"rules\.yaml: unknown keys light_verb"):
        rules_from(raw, "data/plover/rules.yaml")


def test_a_nested_rule_of_the_wrong_type_is_refused_with_its_path(raw: dict) -> None:
    raw["status"]["historical_days"] = "five years"
    with pytest.raises(DataFileError, match=r"rules\.yaml: status: historical_days: int expected"):
        rules_from(raw, "data/plover/rules.yaml")


def test_a_list_rule_written_as_a_word_is_refused(raw: dict) -> None:
    raw["ultimatum_marks"] = "unless"
    with pytest.raises(DataFileError, match=r"ultimatum_marks: a list expected"):
        rules_from(raw, "data/plover/rules.yaml")


def test_a_rule_naming_a_type_plover_lacks_is_refused(raw: dict) -> None:
    raw["future_type"]["RETREAT"] = "YIELD"
    with pytest.raises(DataFileError, match=r"rules\.yaml: not PLOVER 2\.0 types: YIELD"):
        rules_from(raw, "data/plover/rules.yaml")


def test_the_trigger_lexicon_codes_evacuate_once_as_retreat() -> None:
    entry = load_lexicon().verbs["evacuate"]
    assert (entry.type, entry.mode, entry.weight) == ("RETREAT", "withdraw", 0.4)


def test_a_compound_event_noun_is_a_phrase_headed_by_its_last_word() -> None:
    phrase = next(p for p in load_lexicon().phrases if p.pattern == "hunger strike")
    assert (phrase.kind, phrase.head, phrase.type, phrase.mode) == ("phrase", 1, "PROTEST", "hunger")


def test_the_score_of_a_mode_falls_back_to_its_types() -> None:
    assert plover_score("CONSULT", "visit") == 4
    assert plover_score("CONSULT", "no-such-mode") == plover_score("CONSULT") == 2.5


def test_inflection_knows_regular_and_irregular_forms() -> None:
    assert {"signs", "signed", "signing"} <= word_forms("sign")
    assert {"denies", "denied"} <= word_forms("deny")
    assert {"struck", "stricken"} <= word_forms("strike")
