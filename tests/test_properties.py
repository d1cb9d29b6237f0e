"""Properties that hold for any input (hypothesis): no exception escapes reading or analysis but a clear
:class:`~communique.errors.CommuniqueError`, and every offset of the analysis points at the text it claims.

The generated texts mix real news sentences (so that actors, events, quotes, dates and rhetoric are found)
with arbitrary Unicode, stray quotation marks, punctuation and odd whitespace between and inside them.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communique.document import to_contract
from communique.errors import CommuniqueError

SENTENCES = [
    "Azerbaijani President Ilham Aliyev met Kyrgyz President Sadyr Japarov in Bishkek on 12 October 2022.",
    "\u201cWe will never accept this,\u201d the Russian Foreign Ministry said on Tuesday.",
    "Moscow accused Washington of meddling, while Beijing called for restraint.",
    "The two leaders signed an agreement on transit, according to a statement from Baku.",
    "Turkey has pledged $500 million in aid to Kyrgyzstan, Erdogan told reporters last week.",
    "Critics say the so-called reforms are nothing but a smokescreen for corruption.",
    "Armenia and Azerbaijan exchanged fire near the border, the defence ministry said.",
    "NATO Secretary-General Jens Stoltenberg warned that Russia would face consequences.",
    'China\'s foreign minister Wang Yi said: "Our cooperation is a model for the region."',
    "Protesters in Tbilisi demanded the government withdraw the bill by the end of the month.",
]
NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40) | st.sampled_from(
    [
        '"',
        "\u201c",
        "\u201d",
        "'",
        "\u00ab",
        "\u00bb",
        "...",
        "\u2014",
        " ",
        "\n",
        "\n\n",
        "\t",
        "\u200b",
        "\u202e",
        ":",
        "(",
        ")",
        "!!!",
        "U.S.",
        "Mr.",
        "\u4e2d\u56fd",
        "\u0628\u0627\u0643\u0648",
    ]
)
TEXTS = st.lists(st.sampled_from(SENTENCES) | NOISE, min_size=1, max_size=8).map(" ".join)

ANALYSIS_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _analyse(analyzer: Any, text: str) -> dict[str, Any] | None:
    """The contract of ``text``, or None when it was refused with a CommuniqueError (blank input only)."""
    try:
        return to_contract(analyzer.analyze(text))
    except CommuniqueError:
        assert not text.strip(), f"only blank text may be refused, not {text!r}"
        return None


@ANALYSIS_SETTINGS
@given(text=TEXTS)
def test_no_exception_escapes_analysis_of_any_text(analyzer, text):
    contract = _analyse(analyzer, text)
    if contract is not None:
        assert contract["document"]["text"] == text


def spans(contract: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (what, span) of the analysis that carries text and offsets."""
    found: list[tuple[str, dict[str, Any]]] = []
    for actor in contract["actors"]:
        found += [("mention", m) for m in actor["mentions"]]
    found += [("date", d) for d in contract["dates"]]
    for event in contract["events"]:
        for name in ("trigger", "evidence"):
            if event[name]:
                found.append((f"event {name}", event[name]))
        found += [("event other evidence", s) for s in event["other_evidence"] if s]
    for quote in contract["quotes"]:
        for name in ("cue", "content"):
            if quote[name]:
                found.append((f"quote {name}", quote[name]))
        if quote["speaker"] and quote["speaker"].get("start") is not None:
            found.append(("quote speaker", quote["speaker"]))
    found += [("rhetoric", r) for r in contract["rhetoric"]]
    return found


@ANALYSIS_SETTINGS
@given(text=TEXTS)
def test_every_offset_points_at_the_text_it_claims(analyzer, text):
    contract = _analyse(analyzer, text)
    if contract is None:
        return
    for what, span in spans(contract):
        assert 0 <= span["start"] <= span["end"] <= len(text), (what, span)
        assert text[span["start"] : span["end"]] == span["text"], (what, span, text)
    previous_end = 0
    for sentence in contract["sentences"]:
        assert previous_end <= sentence["start"] <= sentence["end"] <= len(text), sentence
        previous_end = sentence["end"]


def test_offsets_hold_on_the_sentences_the_generator_draws_from(analyzer):
    # The generated texts only test offsets if the analysis finds things in them: make sure it does.
    contract = to_contract(analyzer.analyze(" ".join(SENTENCES)))
    kinds = {what.split()[0] for what, _ in spans(contract)}
    assert {"mention", "date", "event", "quote"} <= kinds
    for what, span in spans(contract):
        assert " ".join(SENTENCES)[span["start"] : span["end"]] == span["text"], (what, span)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    raw=st.binary(max_size=2048)
    | TEXTS.map(lambda t: t.encode("utf-8"))
    | TEXTS.map(lambda t: t.encode("utf-16-le"))
)
def test_reading_any_bytes_gives_a_document_or_a_clear_error(raw):
    from communique.ingest.read import document_from_bytes

    try:
        document = document_from_bytes(raw, name="generated")
    except CommuniqueError as exc:
        assert str(exc)
        return
    assert document.text.strip()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    record=st.dictionaries(
        st.sampled_from(["text", "id", "title", "date", "author", "source", "url"]),
        st.none() | st.integers() | st.text(max_size=60) | st.lists(st.text(max_size=5)),
    )
)
def test_any_json_record_gives_a_document_or_a_clear_error(record):
    from communique.corpus.run import document_from_record

    try:
        incoming = document_from_record(record, "generated:1")
    except CommuniqueError as exc:
        assert str(exc)
        return
    assert incoming.document.text.strip()
