"""The store's timestamps: one clock for every row that records when it was written (UTC, to the second)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """The current time as the store writes it: ISO 8601, UTC, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")
