"""The vocabularies several layers share, each stated once, in a data file of ``data/vocabulary/``.

    PLOVER_TYPES        the 16 PLOVER 2.0 event types, in the manual's order         plover_types.yaml
    QUAD_CLASSES        type -> quad class (verbal/material cooperation/conflict)    plover_types.yaml
    QUADS               the four quad classes; COOPERATIVE_QUADS those that cooperate
    COOPERATIVE_TYPES   the types of a cooperative quad class
    RECIPROCAL_TYPES    the types whose parties act together (either may be named first)  plover_types.yaml
    MONTHS              month name ("January") -> number                               months.yaml
    MONTH_ABBREVIATIONS abbreviation ("Sept") -> number
    MONTH_WORDS         every name and abbreviation in lower case ("january", "jan", ...) -> number
    IRREGULAR_VERBS     lemma -> the forms inflection rules cannot make ("held")       irregular_verbs.tsv
    SPEAKER_TITLES      words of office that stand for a person ("the president said")  titles.yaml
    NAME_TITLES         words of office and rank written before a name ("Prime Minister X")

The event coder, its rule and trigger files, the terminal report, the store's rows and the relations analytics
take the PLOVER types from here; a type that is not listed is refused where a data file names it.
"""

from __future__ import annotations

from typing import Any

from communique.errors import DataFileError
from communique.resources import data_path, load_yaml, read_tsv


def _plover() -> tuple[tuple[str, ...], dict[str, str], tuple[str, ...], tuple[str, ...], frozenset[str]]:
    raw: dict[str, Any] = load_yaml("vocabulary", "plover_types.yaml")
    quads = {str(name): bool(spec["cooperative"]) for name, spec in raw["quad_classes"].items()}
    classes = {str(t): str(q) for t, q in raw["types"].items()}
    reciprocal = frozenset(str(t) for t in raw["reciprocal"])
    unknown = sorted({q for q in classes.values() if q not in quads})
    if unknown:
        raise DataFileError(f"{data_path('vocabulary', 'plover_types.yaml')}: unknown quad classes {unknown}")
    if not reciprocal <= classes.keys():
        raise DataFileError(
            f"{data_path('vocabulary', 'plover_types.yaml')}: reciprocal types that are not PLOVER types "
            f"{sorted(reciprocal - classes.keys())}"
        )
    cooperative = tuple(q for q, is_cooperative in quads.items() if is_cooperative)
    return tuple(classes), classes, tuple(quads), cooperative, reciprocal


PLOVER_TYPES, QUAD_CLASSES, QUADS, COOPERATIVE_QUADS, RECIPROCAL_TYPES = _plover()
COOPERATIVE_TYPES = frozenset(t for t, q in QUAD_CLASSES.items() if q in COOPERATIVE_QUADS)


def quad_class(event_type: str) -> str:
    """The quad class of a PLOVER type (KeyError for a type PLOVER does not have)."""
    return QUAD_CLASSES[event_type]


def require_plover_types(types: Any, source: str, *, also: tuple[str, ...] = ()) -> None:
    """Refuse a data file that names a type PLOVER does not have (``also``: the file's own extra labels)."""
    unknown = sorted({str(t) for t in types} - set(PLOVER_TYPES) - set(also))
    if unknown:
        raise DataFileError(f"{source}: not PLOVER 2.0 types: {', '.join(unknown)}")


def _months() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    raw: dict[str, list[Any]] = load_yaml("vocabulary", "months.yaml")
    months = {str(name): int(spec[0]) for name, spec in raw.items()}
    abbreviations = {str(short): int(spec[0]) for spec in raw.values() for short in spec[1:]}
    words = {str(word).lower(): int(spec[0]) for name, spec in raw.items() for word in (name, *spec[1:])}
    return months, abbreviations, words


MONTHS, MONTH_ABBREVIATIONS, MONTH_WORDS = _months()

IRREGULAR_VERBS: dict[str, tuple[str, ...]] = {
    row[0]: tuple(row[1].split()) for row in read_tsv("vocabulary", "irregular_verbs.tsv")
}


def _titles() -> tuple[frozenset[str], frozenset[str]]:
    raw: dict[str, list[str]] = load_yaml("vocabulary", "titles.yaml")
    return (
        frozenset(str(w).lower() for w in raw["speaker_titles"]),
        frozenset(str(w).lower() for w in raw["name_titles"]),
    )


SPEAKER_TITLES, NAME_TITLES = _titles()
