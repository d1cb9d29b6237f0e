"""The learned half of the event coder as shipped: its weights, its confidence, its decisions on plain news."""

from __future__ import annotations

import hashlib
import json

from communique.stages.events.model import MODEL_DIR, load_model


def test_the_shipped_weights_are_the_ones_their_metadata_names():
    meta = json.loads((MODEL_DIR / "event-coder.json").read_text())
    assert hashlib.sha256((MODEL_DIR / "event-coder.npz").read_bytes()).hexdigest() == meta["sha256"]
    assert meta["command"] == "communique train events"
    model = load_model()
    assert model is not None and len(model.types) == 16


def test_every_event_has_a_confidence_between_0_and_1(analyzer):
    document = analyzer.analyze(
        "Russian aircraft carried out air strikes on the Syrian province of Idlib on Monday, "
        "and Turkey condemned the attacks. Iran's foreign minister met his Turkish counterpart in Ankara.",
        published="2019-03-14",
    )
    assert document.events
    assert all(0.0 <= e.confidence <= 1.0 for e in document.events)


def test_a_sentence_without_a_political_actor_reports_no_event(analyzer):
    document = analyzer.analyze("A magnitude-7.3 earthquake struck Nepal on Tuesday.", published="2015-05-12")
    assert document.events == []


def test_a_meeting_between_two_states_is_coded_with_both(analyzer):
    document = analyzer.analyze(
        "Iranian Foreign Minister Mohammad Javad Zarif met Turkish Foreign Minister Mevlut Cavusoglu in Ankara "
        "on Tuesday.",
        published="2019-03-14",
    )
    consults = [e for e in document.events if e.type == "CONSULT"]
    assert consults
    codes = {p.code for e in consults for p in e.actor + e.recipient}
    assert {"IRN", "TUR"} <= codes
