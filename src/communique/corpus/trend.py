"""The trend of a series over periods: the least-squares slope the relations, convergence and UN vote figures
report (one function, so that every "trend" in the analytics means the same thing)."""

from __future__ import annotations

from collections.abc import Sequence


def slope(points: Sequence[tuple[int, float | None]]) -> float | None:
    """Ordinary least-squares slope of y on x; None with fewer than two distinct x."""
    pts = [(x, y) for x, y in points if y is not None]
    if len({x for x, _ in pts}) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sxx, 4)
