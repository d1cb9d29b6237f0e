"""Which analyzer produced a document's rows: the package version and the learned event model's hash.

    analyzer_version() -> "communique 0.1.0+events.f84a97d9df75"

Every stored document records it (``runs`` shows it), so ``reanalyze`` knows what an older analyzer wrote.
"""

from __future__ import annotations

import json
from functools import cache


@cache
def analyzer_version() -> str:
    """The analyzer this process runs: ``communique <version>+events.<first 12 hex of the model's sha256>``
    (``+events.rules`` when the package ships no event model)."""
    from communique import __version__
    from communique.stages.events.model import MODEL_DIR, MODEL_NAME

    meta = MODEL_DIR / f"{MODEL_NAME}.json"
    try:
        digest = str(json.loads(meta.read_text(encoding="utf-8"))["sha256"])[:12]
    except (OSError, KeyError, ValueError):
        digest = "rules"
    return f"communique {__version__}+events.{digest}"
