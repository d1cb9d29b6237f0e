"""Do the event-based measures agree with UN voting? Correlations over the dyad-years of a store.

    python benchmarks/validity.py STORE [STORE ...] [--min-events 5] [--unga FILE]

For every pair of states and calendar year with at least ``--min-events`` real-world events between the two
(the real-world events the analytics count, event_clusters, either direction) and an ideal point for both in the
store (``communique import unga``; a store without any is given ``--unga``, by default the copy in
../shared/reference/unga-ideal-points/), it takes three event-based measures

    net score          the mean PLOVER score of the pair's events that year (net score / events)
    cooperative share  cooperative events (verbal or material cooperation) / events
    similarity         the cosine similarity of their mean scores toward the third parties both dealt with
                       (relations.convergence; dyad-years without a shared third party are left out of it)

and prints, for each, the Pearson and Spearman correlation with the ideal-point distance |A − B| of that year,
a 95% confidence interval (Fisher z; for Spearman with the 1.06 variance factor of Fieller et al.), and the
number of dyad-years. If the measures mean what they say the correlations are negative: more cooperation,
smaller distance. Nothing here tunes a definition: the measures are those of docs/corpus.md.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNGA = ROOT.parent / "shared" / "reference" / "unga-ideal-points" / "IdealpointestimatesAll_Apr2020.csv"
sys.path.insert(0, str(ROOT / "src"))

MEASURES = ("net score", "cooperative share", "similarity")


@dataclass
class DyadYear:
    a: str
    b: str
    year: int
    events: int
    net_score: float
    cooperative_share: float
    similarity: float | None
    distance: float


@dataclass
class Correlation:
    measure: str
    n: int
    pearson: float | None
    pearson_ci: tuple[float, float] | None
    spearman: float | None
    spearman_ci: tuple[float, float] | None


def ranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n, ties given their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    if len(x) < 3:
        return None
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if not sxx or not syy:
        return None
    return sxy / math.sqrt(sxx * syy)


def fisher_ci(r: float | None, n: int, factor: float = 1.0) -> tuple[float, float] | None:
    """95% interval of a correlation by Fisher's z; ``factor`` scales the variance (1.06 for Spearman)."""
    if r is None or n < 4:
        return None
    r = max(min(r, 0.999999), -0.999999)
    z, se = math.atanh(r), math.sqrt(factor / (n - 3))
    return (round(math.tanh(z - 1.96 * se), 3), round(math.tanh(z + 1.96 * se), 3))


def correlate(measure: str, pairs: Sequence[tuple[float, float]]) -> Correlation:
    x, y = [p[0] for p in pairs], [p[1] for p in pairs]
    r = pearson(x, y)
    rho = pearson(ranks(x), ranks(y)) if len(x) >= 3 else None
    return Correlation(
        measure,
        len(pairs),
        None if r is None else round(r, 3),
        fisher_ci(r, len(pairs)),
        None if rho is None else round(rho, 3),
        fisher_ci(rho, len(pairs), 1.06),
    )


def dyad_years(store, min_events: int) -> list[DyadYear]:
    """Every unordered pair of states and year with at least ``min_events`` events and both ideal points."""
    from communique.corpus import relations
    from communique.kb import unga

    year = store.period("event_date", "year")
    coop = ", ".join("?" * len(relations.COOPERATIVE))
    rows = store.query(
        f"SELECT a, b, y, count(*), sum(score), sum(cooperative) FROM ("
        f"SELECT CASE WHEN actor < recipient THEN actor ELSE recipient END AS a, "
        f"CASE WHEN actor < recipient THEN recipient ELSE actor END AS b, {year} AS y, score, "
        f"CASE WHEN quad_class IN ({coop}) THEN 1 ELSE 0 END AS cooperative FROM event_clusters "
        "WHERE actor <> recipient AND event_date IS NOT NULL) pairs "
        "GROUP BY a, b, y HAVING count(*) >= ? ORDER BY a, b, y",
        [*relations.COOPERATIVE, min_events],
    )
    codes = sorted({r[0] for r in rows} | {r[1] for r in rows})
    points = unga.points(store, codes)
    found: list[DyadYear] = []
    similarities: dict[tuple[str, str], dict[str, float | None]] = {}
    for a, b, y, n, score, cooperative in rows:
        year_ = int(str(y)[:4])
        if year_ not in points.get(a, {}) or year_ not in points.get(b, {}):
            continue
        if (a, b) not in similarities:
            series = relations.convergence(store, a, b, "year")
            similarities[(a, b)] = {p.period: p.similarity for p in series.periods}
        found.append(
            DyadYear(
                a,
                b,
                year_,
                int(n),
                float(score) / int(n),
                int(cooperative) / int(n),
                similarities[(a, b)].get(str(year_)),
                abs(points[a][year_].point - points[b][year_].point),
            )
        )
    return found


def validity(store, min_events: int) -> tuple[list[DyadYear], list[Correlation]]:
    years = dyad_years(store, min_events)
    return years, [
        correlate("net score", [(d.net_score, d.distance) for d in years]),
        correlate("cooperative share", [(d.cooperative_share, d.distance) for d in years]),
        correlate("similarity", [(d.similarity, d.distance) for d in years if d.similarity is not None]),
    ]


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, tuple):
        return f"[{value[0]:+.3f}, {value[1]:+.3f}]"
    if isinstance(value, float):
        return f"{value:+.3f}"
    return str(value)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stores", nargs="+", help="corpus stores (SQLite paths or postgresql:// URLs)")
    parser.add_argument("--min-events", type=int, default=5, help="events a dyad-year needs (default 5)")
    parser.add_argument("--unga", type=Path, default=UNGA, help="ideal-point CSV for a store that has none")
    args = parser.parse_args(argv)

    from communique.corpus.store import open_store
    from communique.kb import unga

    for target in args.stores:
        with open_store(target) as store:
            if not unga.loaded(store):
                result = unga.import_unga(store, args.unga)
                print(f"{target}: no ideal points stored; loaded {result.rows} from {result.source}")
            years, correlations = validity(store, args.min_events)
            pairs = len({(d.a, d.b) for d in years})
            print(
                f"\n{target}: {len(years)} dyad-years ({pairs} pairs of states) with at least "
                f"{args.min_events} events and both ideal points"
            )
            print(f"{'measure':<18} {'n':>5} {'Pearson r':>10} {'95% CI':>18} {'Spearman':>9} {'95% CI':>18}")
            for c in correlations:
                print(
                    f"{c.measure:<18} {c.n:>5} {_fmt(c.pearson):>10} {_fmt(c.pearson_ci):>18} "
                    f"{_fmt(c.spearman):>9} {_fmt(c.spearman_ci):>18}"
                )
            print(
                "expected if the measures mean what they say: negative (more cooperation, smaller distance)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
