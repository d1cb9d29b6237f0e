"""Page furniture and photo captions never reach the stages (communique/ingest/furniture.py): each rule finds its
kind, the article around it is kept word for word, and what was removed can be put back exactly."""

from __future__ import annotations

import pytest

from communique.ingest.furniture import find_furniture, restore, strip_furniture
from communique.ingest.read import document_from_text
from communique.ingest.records import document_from_record

BODY = (
    "Azerbaijan and Kazakhstan signed a ferry agreement in Baku on Monday.\n\n"
    "The deal doubles the number of sailings across the Caspian Sea, the ministry said."
)


def _around(furniture: str) -> str:
    """The furniture as a paragraph of its own between the two paragraphs of the article."""
    first, second = BODY.split("\n\n")
    return f"{first}\n\n{furniture}\n\n{second}"


@pytest.mark.parametrize(
    "rule, furniture",
    [
        (
            "gallery",
            "Photos: Caspian ferries Photos: Caspian ferries A ferry leaves Alat port. Hide Caption 1 of 12 "
            "Photos: Caspian ferries Trucks wait at the quay. Hide Caption 2 of 12",
        ),
        ("gallery", "8 of 15 Photos: Caspian ferries Trucks wait at the quay."),
        (
            "video_teaser",
            "JUST WATCHED Ferry link reopens Replay More Videos ... MUST WATCH Ferry link reopens 02:38",
        ),
        ("caption", "Image copyright Reuters Image caption The ferry terminal at Alat opened in 2018"),
        ("caption", "Media playback is unsupported on your device Media caption Aliyev: 'A new corridor'"),
        (
            "caption",
            "Enlarge this image toggle caption Tofik Babayev/AFP/Getty Images Tofik Babayev/AFP/Getty Images",
        ),
        ("caption", "Facebook Twitter Pinterest Trucks at Alat port. Photograph: Aziz Karimov/Reuters"),
        ("photo_credit", "A ferry leaves Alat port on March 14, 2023. Photo: Aziz Karimov/Reuters"),
        ("photo_credit", "A ferry leaves Alat port on March 14, 2023. Aziz Karimov/Reuters"),
        (
            "photo_credit",
            "President Ilham Aliyev in Baku on Monday. (Photo: Tofik Babayev, AFP/Getty Images)",
        ),
        (
            "photo_credit",
            "Ilham Aliyev and Sadyr Japarov Photographer: Vyacheslav Oseledko/AFP via Getty Images",
        ),
        ("photo_credit", "Trucks wait at Alat port on March 14, 2023. Aziz Karimov /AFP/Getty Images"),
        (
            "photo_credit",
            "Trucks wait at Alat port on March 14, 2023. Aziz Karimov/Port of Baku/AFP/Getty Images",
        ),
        ("advertisement", "Advertisement"),
        ("advertisement", "ADVERTISEMENT"),
        ("call_to_action", "Read more: Why the Middle Corridor matters"),
        ("call_to_action", "Kazakhstan's grain goes west by sea Read more"),
        ("call_to_action", "Sign up for Daily Newsletters Manage Newsletters"),
        ("call_to_action", "Read more from our Central Asia correspondent here."),
        (
            "signup_form",
            "Get The Brief. Sign up to receive the top stories. Choose your country United States of America "
            "Afghanistan Albania Algeria Azerbaijan Kazakhstan Sign Up Now You may unsubscribe at any time.",
        ),
        ("call_to_action", "Copyright © 2023 The Caspian Times, LLC. Click here for reprint permission."),
    ],
)
def test_each_kind_of_furniture_is_removed_and_the_article_kept_word_for_word(rule, furniture):
    stripped = strip_furniture(_around(furniture))
    assert stripped.text == BODY
    assert [span["rule"] for span in stripped.removed] == [rule]


def test_a_call_to_action_inside_a_paragraph_goes_and_the_paragraph_stays():
    text = "The ferry runs twice a week. Click here to see the timetable. Tickets cost 40 manat."
    assert strip_furniture(text).text == "The ferry runs twice a week. Tickets cost 40 manat."


def test_a_parenthesised_call_to_action_goes_with_its_parentheses():
    text = "The ferry runs twice a week. (Click here for the timetable.) Tickets cost 40 manat."
    assert strip_furniture(text).text == "The ferry runs twice a week. Tickets cost 40 manat."


def test_a_credit_run_into_a_long_paragraph_goes_and_the_paragraph_stays():
    paragraph = " ".join(
        ["The ferry link between Alat and Aktau carried 40 trucks a day before the pause."] * 6
    )
    text = f"{paragraph} Photograph: Aziz Karimov/Reuters\n\n{BODY}"
    assert strip_furniture(text).text == f"{paragraph}\n\n{BODY}"


def test_a_summary_label_after_a_caption_goes_with_the_caption():
    text = "A ferry leaves Alat. (Photo: Aziz Karimov, AFP) Story Highlights The link reopens after two years"
    assert strip_furniture(text).text == "The link reopens after two years"


def test_a_summary_keeps_its_text_and_loses_its_label():
    text = "Story highlights The ferry link between Alat and Aktau reopens\n\n" + BODY
    assert strip_furniture(text).text == "The ferry link between Alat and Aktau reopens\n\n" + BODY


def test_the_text_after_a_gallery_on_its_line_is_kept():
    text = (
        "Photos: Caspian ferries A ferry leaves Alat port. Hide Caption 1 of 1 The talks resumed on Tuesday."
    )
    assert strip_furniture(text).text == "The talks resumed on Tuesday."


@pytest.mark.parametrize(
    "sentence",
    [
        "Photos of the summit were released by the presidential press service on Monday.",
        "Read more about the agreement in the ministry's statement, officials said.",
        "Reuters reported that the talks would resume. The AP could not confirm it.",
        "The advertisement campaign, the ministry said, cost $2 million.",
        "Officials said they would sign up for the program next year.",
        "The minister said the photo showed the new terminal (a claim denied by Kazakhstan).",
    ],
)
def test_article_sentences_that_mention_photos_agencies_or_reading_are_kept(sentence):
    text = f"{BODY}\n\n{sentence}"
    assert strip_furniture(text).text == text
    assert find_furniture(text) == []


def test_the_text_as_read_is_rebuilt_exactly_from_the_kept_text_and_the_removed_spans():
    text = (
        _around("Advertisement")
        + "\n\nRead more: Caspian trade\n\nA ferry at Alat. (Photo: AFP) It sailed at 9."
    )
    stripped = strip_furniture(text)
    assert len(stripped.removed) == 3
    assert restore(stripped.text, stripped.removed) == text
    for span in stripped.removed:  # every recorded span points at its own text in the input
        assert text[span["start"] : span["end"]] == span["text"]


def test_an_article_of_furniture_only_is_kept_as_it_is_rather_than_lost():
    text = "Advertisement\n\nRead more: Caspian trade"
    assert strip_furniture(text).text == text


def test_ingested_records_and_plain_texts_are_stripped_and_say_what_was_removed():
    record = document_from_record({"id": "r1", "text": _around("Advertisement")})
    assert record.text == BODY
    assert record.metadata["furniture"][0]["rule"] == "advertisement"
    plain = document_from_text(
        "Image copyright AFP Image caption The port of Alat\n" + "Ferry link reopens\n" + BODY
    )
    assert plain.title == "Ferry link reopens"  # the caption above the headline is not the title
    assert "Image caption" not in plain.text


def test_offsets_of_the_analysis_point_into_the_stored_text(analyzer):
    """The stages read the stripped text: an actor's offsets find its name there, however much went before."""
    document = document_from_record(
        {
            "id": "r2",
            "text": "Advertisement\n\nJUST WATCHED Baku Replay More Videos ... MUST WATCH Baku 01:10\n\n"
            + BODY,
        }
    )
    analysed = analyzer.analyze(document)
    mentions = [m for actor in analysed.actors for m in actor.mentions]
    assert mentions
    assert all(analysed.text[m.start : m.end] == m.text for m in mentions)
    assert any(m.text == "Azerbaijan" and m.start == 0 for m in mentions)
