"""PLACEHOLDER: being built (see the issue tracker); produces nothing yet."""

from __future__ import annotations

from typing import Any

from .document import Document


class StanceScorer:
    name = "stance"

    def __init__(self, nlp: Any, kb: Any) -> None:
        self.nlp = nlp
        self.kb = kb

    def __call__(self, document: Document) -> None:
        return None
