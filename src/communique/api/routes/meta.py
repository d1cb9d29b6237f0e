"""Whether the server is up."""

from __future__ import annotations

from typing import Any


def health() -> dict[str, Any]:
    return {"status": "ok", "schema": "communique/1"}
