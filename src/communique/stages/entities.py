"""Knowledge-base entities: every name the knowledge base knows marked as a spaCy entity, before the statistical NER.

    add_entity_rulers(nlp, kb)     adds the two rulers to ``nlp`` (replacing earlier ones); the pipeline calls it
    entity_patterns(kb)            the rulers' phrase patterns, for inspection and tests

Two spaCy entity rulers run before the statistical NER (so NER fills in around them): one matches multi-word
names case-insensitively ("Organization of Islamic cooperation"), the other single words and acronyms by exact
case ("UN", "Türkiye", "Baku", "Azerbaijani"). Each match carries its knowledge-base id as the entity's
``ent_id_``, which the actor stage (:mod:`communique.stages.actors`) resolves.

The rulers are part of the parse: they are added to the shared ``nlp`` once, by the pipeline, explicitly; no
stage changes ``nlp`` as a side effect of being built.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from communique.kb.knowledge import KnowledgeBase
from communique.kb.model import is_acronym

RULER_NAMES = "communique_kb_names"  # multi-word names, matched on lowercase
RULER_WORDS = "communique_kb_words"  # single words and acronyms, matched on exact text
RULERS = (RULER_NAMES, RULER_WORDS)


def add_entity_rulers(nlp: Language, kb: KnowledgeBase) -> None:
    """Add the knowledge base's entity rulers to ``nlp`` before its NER, replacing any added before."""
    for name in RULERS:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    lower, orth = entity_patterns(kb)
    before = "ner" if "ner" in nlp.pipe_names else None
    config = {"phrase_matcher_attr": "LOWER", "overwrite_ents": False}
    names = nlp.add_pipe("entity_ruler", name=RULER_NAMES, before=before, config=config)
    words = nlp.add_pipe("entity_ruler", name=RULER_WORDS, before=before, config={"overwrite_ents": False})
    # Only the tokenizer is needed to build phrase patterns; never run the parser over them.
    with nlp.select_pipes(enable=[]):
        names.add_patterns(lower)  # type: ignore[attr-defined]
        words.add_patterns(orth)  # type: ignore[attr-defined]


def has_entity_rulers(nlp: Language) -> bool:
    """Whether ``nlp`` marks the knowledge base's names (:func:`add_entity_rulers` was called on it)."""
    return all(name in nlp.pipe_names for name in RULERS)


def entity_patterns(kb: KnowledgeBase) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rulers' phrase patterns: (multi-word names matched on LOWER, single words and acronyms on ORTH)."""
    lower: list[dict[str, Any]] = []
    orth: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(surface: str, label: str, ident: str, acronym: bool = False) -> None:
        surface = " ".join(str(surface).split())
        if len(surface) < 2:
            return
        single = " " not in surface and "-" not in surface
        core = surface[4:] if surface.lower().startswith("the ") and label != "PERSON" else None
        if core and " " not in core:
            # "the West": the article is what tells the bloc from a compass point, so keep it, exact case
            variants, table = [f"the {core}", f"The {core}"], orth
        elif core:
            # "the Turkic world" is also "the large Turkic world": the article is no part of the name
            variants, table = [core], lower
        elif acronym or is_acronym(surface):
            variants, table = [surface], orth
        elif single:
            variants, table = (
                list(dict.fromkeys([surface, surface.upper(), surface[:1].upper() + surface[1:]])),
                orth,
            )
        else:
            variants, table = [surface], lower
        for variant in variants:
            marker = (variant if table is orth else variant.lower(), ident)
            if marker not in seen:
                seen.add(marker)
                table.append({"label": label, "pattern": variant, "id": ident})

    for c in kb.countries.values():
        for n in c.names():
            add(n, "GPE", c.kb_id)
        for n in [c.capital, *c.capital_aliases] if c.capital else c.capital_aliases:
            add(n, "GPE", c.kb_id)
        for n in c.seat_metonyms:
            add(n, "ORG", c.kb_id)
        for n in [*c.adjectives, *c.demonyms]:
            add(n, "NORP", c.kb_id)
    for o in kb.organizations.values():
        for n in o.names():
            add(n, "ORG", o.kb_id)
        for n in o.acronyms:
            add(n, "ORG", o.kb_id, acronym=True)
    for g in kb.groups.values():
        label = "LOC" if g.type == "region" else ("ORG" if g.sector or g.sectors else "NORP")
        for n in g.names():
            add(n, label, g.kb_id)
        for n in g.acronyms:
            add(n, label, g.kb_id, acronym=True)
    for p in kb.people.values():
        for n in p.matched_names():
            # A one-word name ("Ibrahim") is too common to match everywhere; long ones ("Naruhito") are not.
            if " " in n.strip() or len(n.strip()) >= 8:
                add(n, "PERSON", p.kb_id)
    return lower, orth
