"""The manual's coding rules, as data: ``data/plover/rules.yaml`` read into a typed :class:`Rules`, and the
conflict-cooperation scores of ``data/plover/scores.tsv``.

Every key of ``rules.yaml`` is a field here, with its type; a key the file lacks, a key this module does not
know (a typo) and a type name PLOVER does not have are refused with the file's name when the rules are loaded,
not when a sentence first needs them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, get_args, get_origin, get_type_hints

from spacy.tokens import Token

from communique.errors import DataFileError
from communique.resources import data_path, load_yaml, read_tsv
from communique.stages.events.inflection import word_forms
from communique.vocabulary import COOPERATIVE_TYPES, require_plover_types

RULES_FILE = data_path("plover", "rules.yaml")
SCORES_FILE = data_path("plover", "scores.tsv")


@dataclass(frozen=True)
class IntentTypes:
    """The type of a stated intention ("vowed to ...") by what is intended."""

    cooperation: str
    conflict: str
    default: str


@dataclass(frozen=True)
class DomesticTarget:
    """What shows that a state acting on something unnamed acts at home: agent sectors and words."""

    sectors: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class StatusRules:
    """The auxiliaries and words that make an event future, hypothetical, negated or historical."""

    future_aux: frozenset[str]
    future_words: frozenset[str]
    future_infinitive_heads: frozenset[str]
    hypothetical_aux: frozenset[str]
    hypothetical_marks: frozenset[str]
    hypothetical_words: frozenset[str]
    would: frozenset[str]
    negation: frozenset[str]
    historical_words: frozenset[str]
    historical_days: int


@dataclass(frozen=True)
class AttributionRules:
    """The sentence kinds whose events the speaker (a quote) or the author (opinion) asserts."""

    quote_kinds: frozenset[str]
    opinion_kinds: frozenset[str]


@dataclass(frozen=True)
class Rules:
    """``data/plover/rules.yaml``: one field per key (its comments say what each rule is for)."""

    future_type: dict[str, str]
    intent_type: IntentTypes
    conflict_types: frozenset[str]
    refusal_type: str
    request_for_conflict: str
    ultimatum_marks: frozenset[str]
    condition_marks: frozenset[str]
    attack_instruments: frozenset[str]
    object_required_verbs: frozenset[str]
    actor_object_verbs: frozenset[str]
    victim_subject_verbs: frozenset[str]
    visitor_is_object: frozenset[str]
    commanding_verbs: frozenset[str]
    domestic_recipient_types: frozenset[str]
    domestic_target: DomesticTarget
    complement_mode: dict[str, dict[str, str]]
    light_verbs: frozenset[str]
    attending_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    obligation_modals: frozenset[str]
    status: StatusRules
    attribution: AttributionRules
    # Surface form -> rule verb, for the verbs the lemmatizer misreads ("staged" -> "stag"); made from the verb
    # lists in the file's order (a form two verbs share goes to the later one), not a key of the file.
    verb_forms: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def cooperative_types(self) -> frozenset[str]:
        """The types of the cooperative quad classes (the vocabulary's)."""
        return COOPERATIVE_TYPES

    def lemma(self, token: Token) -> str:
        """A token's lemma, with the rule verbs' own forms first (the lemmatizer reads "staged" as "stag")."""
        return self.verb_forms.get(token.lower_) or token.lemma_.lower()

    def complement_mode_of(self, etype: str, inner_type: str, inner_mode: str | None) -> str | None:
        """The mode an event of ``etype`` takes from what it is about (``complement_mode``)."""
        table = self.complement_mode.get(etype, {})
        return table.get(f"{inner_type}:{inner_mode}") or table.get(inner_type) or table.get("default")


# The verb lists whose forms :attr:`Rules.verb_forms` knows, in this order.
_VERB_LISTS = ("light_verbs", "reporting_verbs", "attending_verbs", "commanding_verbs")


@cache
def load_rules() -> Rules:
    """The packaged coding rules (read once per process)."""
    return rules_from(load_yaml("plover", "rules.yaml"), RULES_FILE)


def rules_from(raw: Any, source: str) -> Rules:
    """Rules from a mapping shaped like ``rules.yaml``; ``source`` names it in errors."""
    rules: Rules = _typed(Rules, raw, source)
    verb_forms = {form: verb for key in _VERB_LISTS for verb in raw[key] for form in word_forms(verb)}
    rules = dataclasses.replace(rules, verb_forms=verb_forms)
    _require_types(rules, source)
    return rules


def _typed(cls: Any, raw: Any, where: str) -> Any:
    """An instance of the dataclass ``cls`` from a YAML mapping, each value converted to its field's type."""
    if not isinstance(raw, Mapping):
        raise DataFileError(f"{where}: a mapping expected, not {type(raw).__name__}")
    hints = get_type_hints(cls)
    wanted = {f.name for f in dataclasses.fields(cls) if f.name != "verb_forms"}
    missing = sorted(wanted - set(raw))
    unknown = sorted(set(raw) - wanted)
    if missing:
        raise DataFileError(f"{where}: missing {', '.join(missing)}")
    if unknown:
        raise DataFileError(f"{where}: unknown keys {', '.join(unknown)} (a typo, or a rule the coder lacks)")
    return cls(**{name: _value(hints[name], raw[name], f"{where}: {name}") for name in wanted})


def _value(hint: Any, raw: Any, where: str) -> Any:
    origin = get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _typed(hint, raw, where)
    if hint in (str, int):
        if isinstance(raw, bool) or not isinstance(raw, hint):
            raise DataFileError(f"{where}: {hint.__name__} expected, not {raw!r}")
        return raw
    if origin is frozenset:
        if not isinstance(raw, list):
            raise DataFileError(f"{where}: a list expected, not {raw!r}")
        return frozenset(str(item) for item in raw)
    if origin is dict:
        _, value_type = get_args(hint)
        if not isinstance(raw, Mapping):
            raise DataFileError(f"{where}: a mapping expected, not {raw!r}")
        return {str(k): _value(value_type, v, f"{where}: {k}") for k, v in raw.items()}
    raise TypeError(f"no conversion for {hint!r}")  # pragma: no cover - a field type this module lacks


def _require_types(rules: Rules, source: str) -> None:
    named: list[str] = [*rules.future_type, *rules.future_type.values()]
    named += [rules.intent_type.cooperation, rules.intent_type.conflict, rules.intent_type.default]
    named += [*rules.conflict_types, rules.refusal_type, rules.request_for_conflict]
    named += [*rules.domestic_recipient_types, *rules.complement_mode]
    named += [
        k.partition(":")[0] for table in rules.complement_mode.values() for k in table if k != "default"
    ]
    require_plover_types(named, source)


# ------------------------------------------------------------------------------------------ the scores
@cache
def _scores() -> dict[tuple[str, str | None], float]:
    rows = read_tsv("plover", "scores.tsv")
    require_plover_types((row[0] for row in rows), SCORES_FILE)
    return {(row[0], None if row[1] == "-" else row[1]): float(row[2]) for row in rows}


def plover_score(event_type: str, mode: str | None = None) -> float:
    """The PLOVER conflict-cooperation score of a type and mode (the type's own score when the mode has none)."""
    scores = _scores()
    return scores.get((event_type, mode), scores.get((event_type, None), 0.0))
