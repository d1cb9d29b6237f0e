"""The one data loader: every packaged YAML and TSV file is read through it, and a repeated key is refused with
the file and the lines of both occurrences instead of one value silently replacing the other."""

from __future__ import annotations

from datetime import date
from importlib import resources as importlib_resources
from pathlib import Path

import pytest

from communique.errors import DataFileError
from communique.resources import TSV_FORMATS, load_yaml, parse_tsv, parse_yaml, read_tsv

DATA = Path(str(importlib_resources.files("communique") / "data"))


# -- YAML -------------------------------------------------------------------------------------------------
def test_a_top_level_key_written_twice_is_refused_with_both_lines() -> None:
    text = "light_verbs: [hold]\nreporting_verbs: [say]\nlight_verbs: [make]\n"
    with pytest.raises(DataFileError) as caught:
        parse_yaml(text, "data/plover/rules.yaml")
    message = str(caught.value)
    assert "data/plover/rules.yaml" in message
    assert "line 3" in message and "line 1" in message
    assert "'light_verbs'" in message


def test_a_key_repeated_deep_inside_a_mapping_is_refused() -> None:
    text = (
        "complement_mode:\n  THREATEN:\n    COERCE: restrict\n    SANCTION: relations\n    COERCE: arrest\n"
    )
    with pytest.raises(DataFileError, match=r"line 5: key 'COERCE' repeats the key of line 3"):
        parse_yaml(text, "rules.yaml")


def test_a_key_repeated_in_a_mapping_inside_a_list_is_refused() -> None:
    text = "- id: loaded\n  technique: Loaded_Language\n- id: flag\n  id: flag2\n"
    with pytest.raises(DataFileError, match=r"line 4: key 'id' repeats the key of line 3"):
        parse_yaml(text, "patterns.yaml")


def test_the_same_key_in_two_different_mappings_is_allowed() -> None:
    text = "a: {x: 1}\nb: {x: 2}\n"
    assert parse_yaml(text, "f.yaml") == {"a": {"x": 1}, "b": {"x": 2}}


def test_a_merge_key_may_be_overridden_as_yaml_intends() -> None:
    text = "base: &base {mode: a, weight: 1}\nchild:\n  <<: *base\n  mode: b\n"
    assert parse_yaml(text, "f.yaml")["child"] == {"mode": "b", "weight": 1}


def test_malformed_yaml_is_refused_with_its_file_and_line() -> None:
    with pytest.raises(DataFileError, match=r"cues\.yaml: line 2: malformed YAML"):
        parse_yaml("verbs: [say]\nphrases: according: to\n", "cues.yaml")


def test_dates_may_be_kept_as_the_text_written() -> None:
    assert parse_yaml("start: 1991-12-25\n", "kb.yaml") == {"start": date(1991, 12, 25)}
    assert parse_yaml("start: 1991-12-25\n", "kb.yaml", dates_as_text=True) == {"start": "1991-12-25"}


def test_a_missing_packaged_file_is_named_in_the_error() -> None:
    with pytest.raises(DataFileError, match=r"data/plover/nothing\.yaml"):
        load_yaml("plover", "nothing.yaml")


# -- TSV --------------------------------------------------------------------------------------------------
TRIGGERS = (
    "# kind, pattern, type, mode, context, weight\n"
    "verb\tevacuate\tAID\t-\t-\t0.6\n"
    "\n"
    "verb\tevacuate\tRETREAT\twithdraw\t-\t0.4\n"
)


def test_a_tsv_row_repeating_the_key_columns_is_refused_with_both_lines() -> None:
    with pytest.raises(DataFileError) as caught:
        parse_tsv(TRIGGERS, "data/plover/triggers.tsv", key=(0, 1), width=6)
    message = str(caught.value)
    assert message.startswith("[E600] data/plover/triggers.tsv: line 4:")
    assert "'verb\\tevacuate'" in message and "line 2" in message


def test_rows_differing_in_a_key_column_are_both_kept() -> None:
    text = "verb\tevacuate\tRETREAT\t-\t-\t0.4\nnoun\tevacuate\tRETREAT\t-\t-\t0.4\n"
    rows = parse_tsv(text, "t.tsv", key=(0, 1), width=6)
    assert [(r.line, r[0]) for r in rows] == [(1, "verb"), (2, "noun")]


def test_a_key_repeated_in_another_case_is_refused_when_case_is_folded() -> None:
    text = "term\tscore\trole\nAggression\t-0.9\tconflict\naggression\t-0.8\tconflict\n"
    assert len(parse_tsv(text, "p.tsv", key=(0,), width=3, header=True)) == 2
    with pytest.raises(DataFileError, match="line 3"):
        parse_tsv(text, "p.tsv", key=(0,), width=3, header=True, fold_case=True)


def test_a_short_row_is_refused_with_its_line() -> None:
    with pytest.raises(DataFileError, match=r"s\.tsv: line 2: 2 cells, 3 expected"):
        parse_tsv("AGREE\t-\t2.5\nCONSULT visit\t4\n", "s.tsv", key=(0, 1), width=3)


def test_comments_blank_lines_and_surrounding_space_are_skipped() -> None:
    rows = parse_tsv("# a comment\n\n  go \twent gone \n", "v.tsv", key=(0,), width=2)
    assert [(r.line, r.cells) for r in rows] == [(3, ("go", "went gone"))]


def test_a_header_names_the_columns_and_is_not_a_row() -> None:
    rows = parse_tsv("ccode\tcow\tiso3\tfrom\n2\tUSA\tUSA\n", "c.tsv", key=(0,), width=3, header=True)
    assert len(rows) == 1
    assert rows[0].get("iso3") == "USA" and rows[0].get("from") == ""


def test_a_packaged_tsv_without_a_declared_format_is_refused() -> None:
    with pytest.raises(DataFileError, match="no format declared"):
        read_tsv("plover", "unknown.tsv")


# -- the packaged files ------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", sorted(p.relative_to(DATA).as_posix() for p in DATA.rglob("*.yaml")))
def test_every_packaged_yaml_file_states_each_key_once(path: str) -> None:
    load_yaml(*path.split("/"))


def test_every_packaged_tsv_file_has_a_declared_format() -> None:
    packaged = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.tsv")}
    assert packaged == set(TSV_FORMATS)


@pytest.mark.parametrize("path", sorted(TSV_FORMATS))
def test_every_packaged_tsv_file_states_each_key_once(path: str) -> None:
    assert read_tsv(*path.split("/"))
