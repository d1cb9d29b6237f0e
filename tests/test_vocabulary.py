"""The shared vocabularies: each stated once, in data/vocabulary/, and read by every layer that needs it."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from communique import vocabulary
from communique.errors import DataFileError


def test_the_plover_types_are_the_manuals_sixteen_in_its_order() -> None:
    assert vocabulary.PLOVER_TYPES == (
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
        "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    )  # fmt: skip


def test_the_learned_event_model_has_one_column_per_type_in_the_vocabularys_order() -> None:
    meta = json.loads(
        (resources.files("communique") / "data" / "models" / "event-coder.json").read_text("utf-8")
    )
    assert tuple(meta["types"]) == vocabulary.PLOVER_TYPES


def test_each_type_has_its_manuals_quad_class() -> None:
    assert vocabulary.quad_class("CONSULT") == "verbal_cooperation"
    assert vocabulary.quad_class("AID") == "material_cooperation"
    assert vocabulary.quad_class("THREATEN") == "verbal_conflict"
    assert vocabulary.quad_class("ASSAULT") == "material_conflict"
    assert set(vocabulary.QUAD_CLASSES) == set(vocabulary.PLOVER_TYPES)


def test_the_cooperative_types_are_those_of_the_cooperative_quad_classes() -> None:
    assert vocabulary.COOPERATIVE_QUADS == ("verbal_cooperation", "material_cooperation")
    assert vocabulary.COOPERATIVE_TYPES == {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
    }


def test_a_data_file_naming_a_type_plover_lacks_is_refused() -> None:
    vocabulary.require_plover_types(["AGREE", "INTENT"], "triggers.tsv", also=("INTENT",))
    with pytest.raises(DataFileError, match=r"triggers\.tsv: not PLOVER 2\.0 types: YIELD"):
        vocabulary.require_plover_types(["AGREE", "YIELD"], "triggers.tsv")


def test_months_and_their_abbreviations_give_the_month_number() -> None:
    assert list(vocabulary.MONTHS.values()) == list(range(1, 13))
    assert vocabulary.MONTHS["May"] == 5
    assert vocabulary.MONTH_ABBREVIATIONS["Sept"] == vocabulary.MONTH_ABBREVIATIONS["Sep"] == 9
    assert "May" not in vocabulary.MONTH_ABBREVIATIONS  # "May" is the name itself
    # feeds' dates read every name and abbreviation in lower case, each name before its abbreviations
    assert list(vocabulary.MONTH_WORDS)[:4] == ["january", "jan", "february", "feb"]
    assert vocabulary.MONTH_WORDS["sept"] == vocabulary.MONTH_WORDS["september"] == 9


def test_irregular_verbs_give_the_forms_rules_cannot_make() -> None:
    assert vocabulary.IRREGULAR_VERBS["hold"] == ("held",)
    assert "struck" in vocabulary.IRREGULAR_VERBS["strike"]


def test_title_words_are_lower_case_and_each_list_keeps_its_own_use() -> None:
    assert {"president", "envoy", "spokesman"} <= vocabulary.SPEAKER_TITLES
    assert {"prime", "lt.", "sheikh"} <= vocabulary.NAME_TITLES
    assert "spokesman" not in vocabulary.NAME_TITLES  # a spokesman is no title before an official's name
