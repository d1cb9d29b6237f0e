"""The vocabularies the web UI draws with, from their one home (:mod:`communique.vocabulary`)."""

from __future__ import annotations

from typing import Any


def vocabulary() -> dict[str, Any]:
    """The PLOVER 2.0 event types in the manual's order, each with its quad class and whether that class
    cooperates, and the four quad classes (``data/vocabulary/plover_types.yaml``): the UI's type lists,
    legends and colours."""
    from communique.vocabulary import COOPERATIVE_QUADS, PLOVER_TYPES, QUAD_CLASSES, QUADS

    return {
        "types": [
            {"type": t, "quad_class": QUAD_CLASSES[t], "cooperative": QUAD_CLASSES[t] in COOPERATIVE_QUADS}
            for t in PLOVER_TYPES
        ],
        "quad_classes": [{"name": q, "cooperative": q in COOPERATIVE_QUADS} for q in QUADS],
    }
