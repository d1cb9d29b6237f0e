"""benchmarks/region.py and benchmarks/region_check.py: what counts as a resolved name of the region, and the
draw and score of a hand check."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from corpus_records import record, stored

from communique.corpus.dedup import merge_events
from communique.corpus.store import open_store
from communique.document import Actor, Document, Mention

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import region  # noqa: E402
import region_check  # noqa: E402

TEXT = "Aliyev met Pashinyan in Baku. The Astana process resumed, and Nagorno-Karabakh was calm."


def document(*actors: tuple[str, str | None, int, int]) -> Document:
    doc = Document(text=TEXT, id="d1")
    for i, (name, code, start, end) in enumerate(actors):
        doc.actors.append(
            Actor(f"a{i}", name, "person", code, None, [Mention(TEXT[start:end], start, end, 0)])
        )
    return doc


def test_a_name_counts_resolved_only_when_an_actor_of_its_state_covers_it():
    terms = region.read_terms()
    doc = document(("Ilham Aliyev", "AZE", 0, 6), ("Nikol Pashinyan", "AZE", 11, 20))  # Pashinyan misresolved
    found = {o.term.surface: o for o in region.occurrences([doc], terms)}
    assert set(found) == {"Aliyev", "Pashinyan", "Baku", "Astana", "Nagorno-Karabakh"}  # not "Karabakh" twice
    assert found["Aliyev"].resolved_to == "AZE" == found["Aliyev"].term.code
    assert found["Pashinyan"].resolved_to == "AZE" != found["Pashinyan"].term.code  # a wrong state is no hit
    assert found["Nagorno-Karabakh"].resolved_to is None


def test_a_miss_is_told_apart_by_how_the_text_uses_the_name():
    found = {o.term.surface: o for o in region.occurrences([document()], region.read_terms())}
    assert region.miss_kind(found["Baku"], TEXT) == "the place where something happens"
    assert region.miss_kind(found["Astana"], TEXT) == "a format named for the city"
    assert region.miss_kind(found["Nagorno-Karabakh"], TEXT) == "other"


def test_every_term_names_a_state_code_and_a_known_kind():
    terms = region.read_terms()
    assert len({t.surface for t in terms}) == len(terms)  # no surface listed twice
    assert {t.kind for t in terms} == {"state", "capital", "leader", "minister", "place"}
    assert all(len(t.code) == 3 and t.code.isupper() for t in terms)


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        store.write_batch(
            None,
            [
                stored(
                    record(
                        "Azerbaijan and Kyrgyzstan signed a declaration.",
                        "2022-10-12",
                        [("SUPPORT", "AZE", "KGZ")],
                    )
                ),
                stored(record("Azerbaijan accused Armenia.", "2020-10-01", [("ACCUSE", "AZE", "ARM")])),
            ],
        )
        merge_events(store)
    return path


def test_the_draw_writes_offsets_and_coding_and_never_the_text(db, tmp_path, capsys):
    out = tmp_path / "check.jsonl"
    assert region_check.main([str(db), "--draw", "5", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted((r["type"], r["actor"], r["recipient"]) for r in rows) == [
        ("ACCUSE", ["AZE"], ["ARM"]),
        ("SUPPORT", ["AZE"], ["KGZ"]),
    ]
    assert all(
        set(r) == {"doc", "start", "end", "type", "status", "actor", "recipient", "trigger", "confidence"}
        for r in rows
    )
    assert "accused" not in out.read_text()
    region_check.main([str(db), "--show", str(out)])
    shown = capsys.readouterr().out
    assert "[[Azerbaijan]] accused Armenia." in shown  # the sentence from the store, the trigger marked
    assert "ACCUSE realized ['AZE'] -> ['ARM']" in shown
    rows[0]["verdict"], rows[1]["verdict"] = "right", "wrong"
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    region_check.main([str(db), "--score", str(out)])
    assert "2 events: right 1, wrong 1" in capsys.readouterr().out
