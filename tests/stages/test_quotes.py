"""Quote attribution: direct and indirect quotes with speaker, cue and content."""

from __future__ import annotations

import pytest

from communique.document import Actor, Document, Mention, Sentence
from communique.stages.quotes import QuoteExtractor, find_quotations

# -- quotation marks ---------------------------------------------------------------------------------------


def _quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotations(text)]


def test_curly_quotation_is_found_with_its_marks() -> None:
    text = "“We will not give in,” the minister said."
    assert _quoted(text) == ["“We will not give in,”"]


def test_straight_quotation_is_found_with_its_marks() -> None:
    text = 'The mayor said: "We do not see a link to terrorism."'
    assert _quoted(text) == ['"We do not see a link to terrorism."']


def test_angle_and_low_high_quotation_marks_are_found() -> None:
    text = "Er sagte „Wir kommen“, und sie sagte «Nous partons»."
    assert _quoted(text) == ["„Wir kommen“", "«Nous partons»"]


def test_apostrophes_inside_single_quotes_do_not_close_them() -> None:
    text = "Pence said Trump was ‘mocking’ the Clinton camp’s choice and didn’t regret it."
    assert _quoted(text) == ["‘mocking’"]


def test_apostrophe_alone_is_not_a_quotation_mark() -> None:
    assert _quoted("The voters’ concerns and Azerbaijan’s policy don’t change.") == []


def test_unclosed_quotation_stops_at_the_end_of_its_paragraph() -> None:
    text = "“This never ends, he said.\nThe next paragraph is the author's own text."
    quotes = find_quotations(text)
    assert len(quotes) == 1
    assert text[quotes[0].start : quotes[0].end] == "“This never ends, he said."
    assert not quotes[0].closed and not quotes[0].continues


def test_open_quotation_continues_when_the_next_paragraph_opens_with_a_mark() -> None:
    text = "“The first paragraph of the statement.\n“The second paragraph,” she said."
    first, second = find_quotations(text)
    assert first.continues and not first.closed
    assert second.closed


# -- direct quotes -----------------------------------------------------------------------------------------


def _quotes(analyzer, text: str, published: str = "2022-10-13"):
    return analyzer.analyze(text, published=published).quotes


def test_quotation_before_the_speaker_and_cue_is_direct(analyzer) -> None:
    text = "“We will defend our borders,” Prime Minister Nikol Pashinyan said on Tuesday."
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "direct"
    assert quote.cue.text == "said"
    assert quote.speaker.text == "Prime Minister Nikol Pashinyan"
    assert quote.content.text == "“We will defend our borders,”"


def test_cue_before_the_speaker_after_a_quotation_is_direct(analyzer) -> None:
    text = (
        '"That speech went beyond the room," said Donna Brazile, the interim chairwoman of the '
        "Democratic National Committee."
    )
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "direct"
    assert quote.speaker.text.startswith("Donna Brazile")
    assert quote.content.text == '"That speech went beyond the room,"'


def test_speaker_and_colon_before_a_quotation_is_direct(analyzer) -> None:
    text = "The Turkish foreign minister told reporters: «Our support for Azerbaijan is unconditional.»"
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "direct"
    assert quote.cue.text == "told"
    assert quote.content.text == "«Our support for Azerbaijan is unconditional.»"


def test_quotation_split_around_its_cue_gives_both_parts_the_same_cue(analyzer) -> None:
    text = (
        '"My name may not be on the ballot, but our progress is on the ballot," Mr. Obama said on Saturday '
        'night in Washington. "Tolerance is on the ballot. Democracy is on the ballot."'
    )
    quotes = _quotes(analyzer, text)
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert {(q.cue.start, q.cue.end) for q in quotes} == {(quotes[0].cue.start, quotes[0].cue.end)}
    assert quotes[1].content.text == '"Tolerance is on the ballot. Democracy is on the ballot."'
    assert {q.speaker.text for q in quotes} == {"Mr. Obama"}


def test_quotation_running_over_two_paragraphs_belongs_to_one_speaker(analyzer) -> None:
    text = (
        "The minister said: “We have opened the road to Lachin and we will keep it open.\n"
        "“Nobody will close it again.”\n"
        "The talks resumed on Monday."
    )
    quotes = _quotes(analyzer, text)
    assert len(quotes) == 2
    assert quotes[1].content.text == "“Nobody will close it again.”"
    assert quotes[0].cue.start == quotes[1].cue.start


def test_pronoun_speaker_of_a_direct_quote_resolves_to_the_person_named_before(analyzer) -> None:
    text = (
        "Ilham Aliyev arrived in Bishkek on Tuesday. “Our peoples share one history,” he said at the airport."
    )
    (quote,) = _quotes(analyzer, text)
    assert quote.speaker.text == "he"
    assert quote.speaker.name == "Ilham Aliyev"
    assert quote.speaker.code == "AZE"


def test_quoted_words_inside_a_reporting_sentence_are_not_a_separate_quote(analyzer) -> None:
    text = (
        'In an interview on CBS\'s "Face the Nation," House Speaker Paul Ryan said the recent protests '
        "demand that all Americans listen more."
    )
    quotes = _quotes(analyzer, text)
    assert [q.kind for q in quotes] == ["indirect"]
    assert quotes[0].content.text.startswith("the recent protests demand")


def test_quotation_followed_by_a_dash_and_a_name_is_attributed_to_the_name(analyzer) -> None:
    text = "“He makes simple blanket statements about people he knows nothing about.” ― Pamela Padilla\nNext."
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "direct"
    assert quote.speaker.text == "Pamela Padilla"


# -- indirect quotes ---------------------------------------------------------------------------------------


def test_said_that_clause_is_an_indirect_quote(analyzer) -> None:
    text = "The Kremlin spokesman said that Russia would not send troops to the border."
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "indirect"
    assert quote.cue.text == "said"
    assert quote.content.text == "that Russia would not send troops to the border"


def test_said_without_that_is_an_indirect_quote(analyzer) -> None:
    text = "Stein said she plans to join her supporters at the protest."
    (quote,) = _quotes(analyzer, text)
    assert quote.speaker.text == "Stein"
    assert quote.content.text == "she plans to join her supporters at the protest"


def test_pointed_out_takes_its_object_as_content(analyzer) -> None:
    text = (
        "Speaking in Bishkek, the Azerbaijani president pointed out the great importance of the Declaration "
        "on Strategic Partnership."
    )
    (quote,) = _quotes(analyzer, text)
    assert quote.cue.text == "pointed out"
    assert quote.content.text.startswith("the great importance of the Declaration")


def test_according_to_takes_the_rest_of_the_sentence_as_content(analyzer) -> None:
    text = (
        "Mrs. Clinton now holds an advantage of 83 percentage points among black voters, according to a "
        "New York Times poll released last week."
    )
    (quote,) = _quotes(analyzer, text)
    assert quote.cue.text == "according to"
    assert quote.speaker.text == "a New York Times poll released last week"
    assert quote.content.text.startswith("Mrs. Clinton now holds")


def test_reporting_clause_after_the_reported_one_is_an_indirect_quote(analyzer) -> None:
    text = (
        "The ceasefire along the border has held since Monday, the Armenian Defence Ministry said in a "
        "statement."
    )
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "indirect"
    assert quote.content.text == "The ceasefire along the border has held since Monday"


def test_parenthetical_reporting_clause_reports_the_sentence_around_it(analyzer) -> None:
    text = "Too often, Mr. Clarke said, the debate over coal is infected with tribalism."
    quotes = _quotes(analyzer, text)
    assert {q.cue.text for q in quotes} == {"said"}
    assert "".join(q.content.text for q in quotes).startswith("Too often")
    assert any(q.content.text.startswith("the debate over coal") for q in quotes)


def test_participle_cue_shares_the_speaker_of_its_main_verb(analyzer) -> None:
    text = (
        "“Much of what we defined is already real politics,” President Aliyev said, noting that the two "
        "countries have a common history."
    )
    quotes = _quotes(analyzer, text)
    noting = next(q for q in quotes if q.cue.text == "noting")
    assert noting.kind == "indirect"
    assert noting.speaker.text == "President Aliyev"
    assert "common history" in noting.content.text


def test_authors_own_belief_is_not_a_quote(analyzer) -> None:
    text = "I think that the summit will change little in the region."
    assert _quotes(analyzer, text) == []


def test_passive_subject_is_not_a_speaker(analyzer) -> None:
    text = "This fact is clearly confirmed by the steps of the Azerbaijani government."
    assert _quotes(analyzer, text) == []


# -- robustness --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "“He said it would end soon, the spokesman said.\n\nThe talks continue. Nothing else is quoted here.",
        '"Unbalanced "marks" everywhere," he said "and more.\n"',
        "”Closing first,“ then opening, ‘single’ and ’odd‘ and «»„“ empty ones.",
        '"',
    ],
)
def test_unbalanced_quotation_marks_never_crash_or_swallow_the_next_paragraph(analyzer, text: str) -> None:
    document = analyzer.analyze(text)
    for quote in document.quotes:
        assert quote.kind == "direct" or "\n\n" not in quote.content.text
        if quote.kind == "direct":
            assert "\n" not in quote.content.text


def test_speaker_links_to_the_actor_whose_mention_covers_its_head() -> None:
    import spacy

    nlp = spacy.blank("en")
    text = "The president stressed that the document raised relations to a new level."
    words = [
        "The",
        "president",
        "stressed",
        "that",
        "the",
        "document",
        "raised",
        "relations",
        "to",
        "a",
        "new",
        "level",
        ".",
    ]
    heads = [1, 2, 2, 6, 5, 6, 2, 6, 6, 11, 11, 8, 2]
    deps = [
        "det",
        "nsubj",
        "ROOT",
        "mark",
        "det",
        "nsubj",
        "ccomp",
        "dobj",
        "prep",
        "det",
        "amod",
        "pobj",
        "punct",
    ]
    pos = [
        "DET",
        "NOUN",
        "VERB",
        "SCONJ",
        "DET",
        "NOUN",
        "VERB",
        "NOUN",
        "ADP",
        "DET",
        "ADJ",
        "NOUN",
        "PUNCT",
    ]
    lemmas = [
        "the",
        "president",
        "stress",
        "that",
        "the",
        "document",
        "raise",
        "relation",
        "to",
        "a",
        "new",
        "level",
        ".",
    ]
    doc = spacy.tokens.Doc(
        nlp.vocab,
        words=words,
        spaces=[True] * 11 + [False, False],
        heads=heads,
        deps=deps,
        pos=pos,
        lemmas=lemmas,
        sent_starts=[True] + [False] * 12,
    )
    assert doc.text == text
    document = Document(text=text)
    document.parsed = doc
    document.sentences = [Sentence(index=0, start=0, end=len(text))]
    aliyev = Actor(
        id="a1",
        name="Ilham Aliyev",
        type="person",
        code="AZE",
        sector="GOV",
        mentions=[Mention(text="The president", start=0, end=13, sentence=0, kind="title")],
    )
    document.actors = [aliyev]
    QuoteExtractor(nlp, None)(document)
    (quote,) = document.quotes
    assert (quote.speaker.actor_id, quote.speaker.name, quote.speaker.code) == ("a1", "Ilham Aliyev", "AZE")
    assert quote.content.text == "that the document raised relations to a new level"


# -- the seed ----------------------------------------------------------------------------------------------


def _seed_quote(seed_analysis: dict, cue: str, needle: str) -> dict | None:
    for quote in seed_analysis["quotes"]:
        content = quote["content"]["text"]
        if quote["cue"]["text"] == cue and (content.lstrip('“"').startswith(needle) or needle in content):
            return quote
    return None


def test_seed_has_every_required_quote_with_kind_speaker_and_code(seed_analysis, seed_gold) -> None:
    for expected in seed_gold["quotes"]["required"]:
        needle = expected.get("content_starts") or expected.get("content_contains")
        quote = _seed_quote(seed_analysis, expected["cue"], needle)
        assert quote is not None, f"missing: {expected}"
        assert quote["kind"] == expected["kind"]
        assert quote["speaker"]["name"] == expected["speaker"]
        assert quote["speaker"]["code"] == expected["speaker_code"]


# -- speakers introduced by their role ---------------------------------------------------------------------


def test_role_then_name_in_commas_gives_the_quote_to_the_name_not_the_person_before(analyzer) -> None:
    text = (
        "Vladimir Putin chaired the meeting. The defence minister, Sergei Shoigu, said the troops would stay."
    )
    (quote,) = _quotes(analyzer, text, published="2020-05-01")
    assert quote.speaker.name == "Sergei Shoigu"
    assert quote.speaker.text == "The defence minister, Sergei Shoigu"


def test_role_then_name_without_the_second_comma_gives_the_quote_to_the_name(analyzer) -> None:
    text = (
        "Malcolm Turnbull spoke first. The Australian foreign affairs minister, Julie Bishop said the talks "
        "were useful."
    )
    (quote,) = _quotes(analyzer, text, published="2017-06-01")
    assert quote.speaker.name == "Julie Bishop"


def test_possessive_role_then_name_gives_the_quote_to_the_name_with_an_adverb_before_the_cue(
    analyzer,
) -> None:
    text = (
        "Recep Tayyip Erdoğan spoke on Monday. Erdoğan's spokesman, Ibrahim Kalin, sharply criticised the "
        "decision."
    )
    (quote,) = _quotes(analyzer, text, published="2018-03-01")
    assert quote.speaker.text.endswith("Ibrahim Kalin")
    assert quote.speaker.name == "Ibrahim Kalin"


def test_role_then_name_then_two_people_is_not_read_as_one_speaker(analyzer) -> None:
    text = "The defence minister, Sergei Shoigu and the generals said the troops would stay."
    quotes = _quotes(analyzer, text, published="2020-05-01")
    assert all(q.speaker.name != "Sergei Shoigu" or "generals" in q.speaker.text for q in quotes)


def test_title_after_the_quotation_goes_to_the_person_holding_it(analyzer) -> None:
    text = "Sergey Lavrov met Antony Blinken in Geneva. “We will not withdraw our troops,” said the minister."
    (quote,) = _quotes(analyzer, text, published="2022-01-21")
    assert quote.kind == "direct"
    assert quote.speaker.name == "Sergei Lavrov"


def test_a_statement_released_by_a_ministry_is_attributed_to_the_ministry(analyzer) -> None:
    text = "The Armenian foreign ministry released a statement saying the shelling had to stop."
    (quote,) = _quotes(analyzer, text)
    assert quote.speaker.text == "The Armenian foreign ministry"
    assert quote.speaker.code == "ARM"
    assert quote.content.text == "the shelling had to stop"


def test_an_unnamed_spokesman_is_linked_to_the_organisation_named_with_him(analyzer) -> None:
    text = "Ilham Aliyev arrived on Monday. A spokesman for the Iranian foreign ministry said the talks would resume."
    (quote,) = _quotes(analyzer, text)
    assert quote.speaker.code == "IRN"
    assert quote.speaker.name != "Ilham Aliyev"


def test_straight_single_quotation_marks_make_a_direct_quote(analyzer) -> None:
    text = "Ilham Aliyev spoke in Baku. 'We are ready for peace with our neighbours,' he said."
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "direct"
    assert quote.content.text == "'We are ready for peace with our neighbours,'"
    assert quote.speaker.name == "Ilham Aliyev"


def test_straight_apostrophes_are_not_single_quotation_marks() -> None:
    assert _quoted("The players' union said it won't back down, as in the '90s.") == []
    assert _quoted("The generals' plan 'will not work at all', he said.") == ["'will not work at all'"]


def test_an_unnamed_spokesman_goes_to_the_organisation_named_before_never_to_a_person(analyzer) -> None:
    text = (
        "Vladimir Putin met the generals. The Pentagon declined to comment on the meeting. A spokesman said "
        "the report was being studied."
    )
    quote = next(q for q in _quotes(analyzer, text) if q.speaker.text == "A spokesman")
    assert quote.speaker.name != "Vladimir Putin"
    assert quote.speaker.code == "USA"


# -- continuation paragraphs and more reporting verbs ------------------------------------------------------


def test_a_paragraph_that_is_one_quotation_goes_on_quoting_the_speaker_just_before(analyzer) -> None:
    text = (
        "Ilham Aliyev spoke in Baku on Monday. “We are ready for peace,” he said.\n\n"
        "“Our army will defend every village.”\n\n"
        "The talks resume next week."
    )
    quotes = _quotes(analyzer, text)
    assert [q.content.text for q in quotes] == [
        "“We are ready for peace,”",
        "“Our army will defend every village.”",
    ]
    assert {q.speaker.name for q in quotes} == {"Ilham Aliyev"}


def test_a_quoted_paragraph_after_someone_else_is_named_is_not_given_to_the_earlier_speaker(analyzer) -> None:
    text = (
        "Ilham Aliyev spoke in Baku on Monday. “We are ready for peace,” he said.\n"
        "Nikol Pashinyan answered in Yerevan the next day.\n"
        "“Our army will defend every village.”"
    )
    quotes = _quotes(analyzer, text)
    assert not [q for q in quotes if q.speaker.name == "Ilham Aliyev" and "army" in q.content.text]


def test_a_speaker_who_denounces_or_likens_is_attributed_what_they_denounced(analyzer) -> None:
    text = "Nikol Pashinyan denounced the blockade of the Lachin corridor and likened it to a siege."
    quotes = _quotes(analyzer, text)
    assert {q.cue.text for q in quotes} >= {"denounced", "likened"}
    assert all(q.speaker.name == "Nikol Pashinyan" for q in quotes)


def test_a_role_running_past_its_head_noun_still_gives_the_quote_to_the_name_after_it(analyzer) -> None:
    text = "“We need long talks with the Turks,” the US secretary of state, Mike Pompeo, said on Tuesday."
    (quote,) = _quotes(analyzer, text, published="2019-01-08")
    assert quote.kind == "direct"
    assert quote.speaker.name == "Mike Pompeo"


def test_a_contrasted_second_report_is_an_attribution_of_its_own(analyzer) -> None:
    text = "Erdoğan said Turkey would keep its observation posts, while Putin said the deal was firm."
    quotes = _quotes(analyzer, text, published="2019-01-08")
    assert [(q.speaker.name, q.content.text) for q in quotes] == [
        ("Recep Tayyip Erdoğan", "Turkey would keep its observation posts"),
        ("Vladimir Putin", "the deal was firm"),
    ]


def test_a_reporting_verb_after_a_preposition_takes_the_subject_of_the_clause_it_hangs_on(analyzer) -> None:
    text = "Nikol Pashinyan ended the meeting by saying that the border would open."
    (quote,) = _quotes(analyzer, text)
    assert quote.cue.text == "saying"
    assert quote.speaker.name == "Nikol Pashinyan"
    assert quote.content.text.endswith("the border would open")


def test_a_noun_of_saying_with_a_possessive_speaker_and_a_that_clause_is_an_attribution(analyzer) -> None:
    text = "Nobody in Yerevan believed Aliyev's claim that the border had been quiet for a month."
    (quote,) = _quotes(analyzer, text)
    assert (quote.cue.text, quote.speaker.text, quote.speaker.name) == ("claim", "Aliyev", "Ilham Aliyev")
    assert quote.content.text == "that the border had been quiet for a month"


def test_a_stray_opening_mark_ends_its_quotation_at_an_ellipsis_before_a_capital() -> None:
    # "U.S. military" is no sentence end (a small letter follows); "… The" is.
    text = "He called it “a plan of the U.S. military… The talks ended there.\n"
    (quote,) = find_quotations(text)
    assert text[quote.start : quote.end] == "“a plan of the U.S. military…"
    assert not quote.closed


def test_a_role_after_the_cue_with_a_name_in_apposition_is_that_person(analyzer) -> None:
    text = "'We will not retreat from our commitments,' said the minister, Mohammad Javad Zarif, on Monday."
    (quote,) = _quotes(analyzer, text, published="2019-06-01")
    assert quote.kind == "direct"
    assert quote.content.text == "'We will not retreat from our commitments,'"
    assert (quote.speaker.text, quote.speaker.name, quote.speaker.code) == (
        "the minister, Mohammad Javad Zarif",
        "Mohammad Javad Zarif",
        "IRN",
    )


def test_a_participle_report_after_a_comma_is_a_second_attribution_by_the_same_speaker(analyzer) -> None:
    text = (
        "Sergei Lavrov said the sanctions would not change Moscow's course, arguing that "
        "Russia had already adapted its economy."
    )
    quotes = _quotes(analyzer, text, published="2019-06-01")
    assert [(q.cue.text, q.speaker.name, q.content.text) for q in quotes] == [
        ("said", "Sergei Lavrov", "the sanctions would not change Moscow's course"),
        ("arguing", "Sergei Lavrov", "that Russia had already adapted its economy"),
    ]


def test_a_fronted_said_before_a_colon_and_a_quotation_attributes_it(analyzer) -> None:
    text = "Washington has largely ignored the issue. Said Ellis: “I don’t see any interest in a deal.”"
    (quote,) = _quotes(analyzer, text)
    assert (quote.kind, quote.cue.text, quote.speaker.text) == ("direct", "Said", "Ellis")
    assert quote.content.text == "“I don’t see any interest in a deal.”"


def test_a_relative_pronoun_speaker_is_resolved_to_its_antecedent(analyzer) -> None:
    text = (
        "Iranian Foreign Minister Mohammad Javad Zarif, who said Tehran was ready to talk, "
        "left Tokyo on Tuesday."
    )
    (quote,) = _quotes(analyzer, text, published="2019-06-01")
    assert quote.speaker.text == "who"
    assert (quote.speaker.name, quote.speaker.code) == ("Mohammad Javad Zarif", "IRN")
    assert quote.content.text == "Tehran was ready to talk"


def test_a_relative_pronoun_standing_for_a_clause_names_no_speaker(analyzer) -> None:
    text = "The talks collapsed in June, which analysts said was no surprise."
    quotes = _quotes(analyzer, text)
    assert all(q.speaker.text != "which" for q in quotes)


def test_a_statement_the_ministry_released_speaks_for_the_ministry_named_before(analyzer) -> None:
    text = (
        "Iran's foreign ministry summoned the British ambassador on Sunday. "
        "The ministry later released a statement saying the seizure of the tanker was piracy."
    )
    (quote,) = [q for q in _quotes(analyzer, text, published="2019-07-08") if q.cue.text == "saying"]
    assert quote.speaker.text == "The ministry"
    assert quote.speaker.code == "IRN"
    assert quote.content.text == "the seizure of the tanker was piracy"


def test_a_quoted_fragment_inside_an_indirect_report_is_that_reports_not_a_quote_of_its_own(analyzer) -> None:
    text = (
        "Turkish President Recep Tayyip Erdogan said the offensive would continue "
        '"until the last terrorist is neutralised" and that Ankara would not bow to pressure.'
    )
    (quote,) = _quotes(analyzer, text, published="2019-10-15")
    assert (quote.kind, quote.cue.text, quote.speaker.name) == ("indirect", "said", "Recep Tayyip Erdoğan")
    assert '"until the last terrorist is neutralised"' in quote.content.text


def test_a_relative_clause_about_the_speaker_reports_nothing_and_leaves_the_main_report(analyzer) -> None:
    text = (
        'A senior State Department official said the talks had been "constructive but difficult." '
        "The official, who spoke on condition of anonymity, said no date had been set."
    )
    quotes = _quotes(analyzer, text, published="2019-06-01")
    assert [(q.cue.text, q.content.text) for q in quotes] == [
        ("said", 'the talks had been "constructive but difficult."'),
        ("said", "no date had been set"),
    ]
    assert all(q.speaker.code == "USA" for q in quotes)


def test_a_that_clause_after_in_a_statement_is_what_was_said(analyzer) -> None:
    text = "The Kremlin said in a statement that Putin and Erdogan had discussed the situation in Idlib."
    (quote,) = _quotes(analyzer, text, published="2019-06-01")
    assert (quote.speaker.text, quote.speaker.code) == ("The Kremlin", "RUS")
    assert quote.content.text == "that Putin and Erdogan had discussed the situation in Idlib"


def test_a_second_opening_mark_closes_a_quotation_left_open_before_it() -> None:
    text = "Bolton retweeted him, adding “My thoughts exactly. Pompeo said on Monday: “We will talk to the Turks.”"
    quoted = _quoted(text)
    assert quoted == ["“My thoughts exactly.", "“We will talk to the Turks.”"]


def test_a_that_clause_after_a_passive_clause_of_time_is_what_was_said(analyzer) -> None:
    text = (
        "The Russian defence minister, Sergei Shoigu, said after the deal was announced that there would be "
        "no military offensive in the province."
    )
    (quote,) = _quotes(analyzer, text, published="2018-09-18")
    assert (quote.speaker.name, quote.speaker.code) == ("Sergei Shoigu", "RUS")
    assert quote.content.text == "that there would be no military offensive in the province"


def test_a_free_quotation_right_after_an_indirect_report_goes_on_quoting_its_speaker(analyzer) -> None:
    text = (
        "Sergei Lavrov said Moscow would not accept new sanctions. "
        "“We have been patient for too long. Our response will be firm.”"
    )
    quotes = _quotes(analyzer, text, published="2019-06-01")
    assert [(q.kind, q.speaker.name, q.content.text) for q in quotes] == [
        ("indirect", "Sergei Lavrov", "Moscow would not accept new sanctions"),
        ("direct", "Sergei Lavrov", "“We have been patient for too long. Our response will be firm.”"),
    ]
    assert quotes[1].cue.text == "“"  # cued by the layout, an attribution of its own


def test_a_quotation_after_a_participle_report_is_not_given_to_the_participle(analyzer) -> None:
    text = (
        "“We are ready,” Lavrov said, emphasizing that Moscow had been patient. “Our response will be firm.”"
    )
    quotes = _quotes(analyzer, text, published="2019-06-01")
    assert all(q.cue.text != "“" for q in quotes)


def test_a_quotation_that_ends_its_own_sentence_is_not_the_content_of_the_next_report(analyzer) -> None:
    text = (
        "“Resources from Washington will be quite limited.” A source close to the Iraqi leadership said "
        "Washington had been lobbying Baghdad to take the detainees."
    )
    quotes = _quotes(analyzer, text, published="2019-06-01")
    said = [q for q in quotes if q.cue.text == "said"]
    assert [q.content.text for q in said] == ["Washington had been lobbying Baghdad to take the detainees"]


def test_a_quotation_that_does_not_open_its_sentence_is_a_mixed_indirect_report(analyzer) -> None:
    text = "Burma “has made dramatic changes for the better,” McConnell said in June 2012."
    (quote,) = _quotes(analyzer, text)
    assert quote.kind == "indirect"
    assert quote.content.text == "Burma “has made dramatic changes for the better,”"
    assert quote.speaker.text == "McConnell"


def test_a_quotation_led_in_by_a_pronoun_alone_stays_direct(analyzer) -> None:
    text = "It “must be put into effect everywhere and by everyone without delay”, Macron said on Monday."
    (quote,) = _quotes(analyzer, text, published="2018-02-26")
    assert quote.kind == "direct"
    assert quote.content.text == "“must be put into effect everywhere and by everyone without delay”"
