"""The state of coding one document: which actor mention covers each token, the actors the coder inferred, and
each sentence's actor codes. The coder makes one :class:`CodingRun` per document and the rule modules read it;
nothing of one document stays on the coder for the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from communique.document import Actor, Document, Mention
from communique.stages.events.rules import Rules

# Identifier prefix of the capitals the event coder adds as places (they are not in document.actors).
PLACE = "place:"

# An actor and the mention by which the text names it.
Named = tuple[Actor, Mention]


@dataclass
class CodingRun:
    """One document being coded."""

    document: Document
    doc: Doc
    rules: Rules
    kb: Any  # the knowledge base: capital_of(), agent_sector()
    mentions: dict[int, Named] = field(default_factory=dict)  # token index -> the mention covering it
    inferred: set[str] = field(default_factory=set)  # ids of actors given a code from their sentence
    _codes_by_sentence: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def start(cls, document: Document, doc: Doc, rules: Rules, kb: Any) -> CodingRun:
        """A run over a parsed document: its actor mentions by token, and the capitals it names as places."""
        run = cls(document, doc, rules, kb, _mention_tokens(document, doc))
        run._add_places()
        return run

    def lemma(self, token: Token) -> str:
        return self.rules.lemma(token)

    def sentence_codes(self, sent: SpacySpan) -> set[str]:
        """The state codes the actor mentions of a sentence carry (IGO left out)."""
        codes = self._codes_by_sentence.get(sent.start)
        if codes is None:
            codes = {
                hit[0].code
                for i in range(sent.start, sent.end)
                if (hit := self.mentions.get(i)) and hit[0].code
            }
            codes.discard("IGO")
            self._codes_by_sentence[sent.start] = codes
        return codes

    def _add_places(self) -> None:
        """Capitals the actor layer left out because they are places ("demonstrated in Baku", "opened an
        embassy in Tehran"): the PLOVER records code where a domestic event happens, and a capital's state
        is the target of what is done there. They take part as places, never as the state acting."""
        for ent in self.doc.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or any(t.i in self.mentions for t in ent):
                continue
            country = self.kb.capital_of(ent.text)
            if country is None:
                continue
            actor = Actor(
                id=f"{PLACE}{country.code}", name=ent.text, type="place", code=country.code, sector=None
            )
            mention = Mention(ent.text, ent.start_char, ent.end_char, 0, "capital")
            actor.mentions.append(mention)
            for token in ent:
                self.mentions[token.i] = (actor, mention)


def is_place(actor: Actor) -> bool:
    """The actor is a capital the coder added as a place."""
    return actor.id.startswith(PLACE)


def _mention_tokens(document: Document, doc: Doc) -> dict[int, Named]:
    """Token index -> the actor mention covering it (coded mentions win over uncoded ones)."""
    by_token: dict[int, Named] = {}
    for actor in document.actors:
        for mention in actor.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or _opposed(span):
                continue
            for token in span:
                current = by_token.get(token.i)
                if current is None or (current[0].code is None and actor.code is not None):
                    by_token[token.i] = (actor, mention)
    return by_token


def _opposed(span: SpacySpan) -> bool:
    """The mention is the object of an "anti-" prefix ("an anti-Syria journalist"): it names whom the phrase
    opposes, not whose it is."""
    doc, start = span.doc, span.start
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti":
        return True
    return start >= 1 and doc[start - 1].lower_ in ("anti-", "anti")
