"""UN General Assembly ideal points beside the events (docs/corpus.md, "UN voting beside the events").

    import_unga(store, "IdealpointestimatesAll_Apr2020.csv")   load (or replace) the estimates in the store
    ideal_points(store, "AZE")                                   {year: IdealPoint}
    distance_series(store, "AZE", "KGZ")                         |A - B| per year, and its trend
    centre_points(store, "AZE", centres)                         the country's point against each centre's

Bailey, Strezhnev and Voeten estimate each member state's ideal point per session from all its recorded votes
(dynamic ordinal IRT; higher = closer to the US-led Western position). The distance between two states' points
in a year is the standard independent measure of how close their foreign-policy preferences are: a check on
the event-based figures, not a replacement (recorded votes only; consensus adoptions are not in it).
Session ``s`` opens in September of ``1945 + s``: that calendar year is the one it is shown under.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from communique.errors import CommuniqueError

if TYPE_CHECKING:
    from communique.corpus.relations import Centre
    from communique.corpus.store import Store

SOURCE = (
    "UN General Assembly ideal points: Bailey, Strezhnev & Voeten (2017), estimated from each state's recorded "
    "votes per session (higher = closer to the US-led Western position); shown under the year the session opens."
)
DISTANCE = "distance = |ideal point of one − ideal point of the other| in that session; smaller = more alike."
COLUMNS = ("ccode", "session", "NVotes", "IdealPoint", "Q5%", "Q50%", "Q95%", "iso3c", "Countryname")
FIRST_YEAR = 1945  # session 1 opened in 1946


@dataclass
class ImportResult:
    source: str
    rows: int
    replaced: int  # rows the store held before, all replaced


@dataclass
class IdealPoint:
    year: int
    session: int
    point: float
    votes: int
    low: float | None = None  # posterior 5% quantile
    high: float | None = None  # posterior 95% quantile


@dataclass
class DistanceYear:
    year: int
    a: float
    b: float
    distance: float
    a_votes: int
    b_votes: int


@dataclass
class DistanceSeries:
    a: str
    b: str
    source: str
    definition: str
    years: list[DistanceYear]
    trend: float | None  # OLS slope of the distance per year: negative = moving together


@dataclass
class CentrePoint:
    point: (
        float | None
    )  # the centre's ideal point: its member's, or the mean of its members' (never the country)
    distance: float | None  # |country − centre|
    members: int  # member states with an estimate that year


@dataclass
class CentreYear:
    year: int
    point: float  # the country's ideal point
    votes: int
    centres: dict[str, CentrePoint] = field(default_factory=dict)


@dataclass
class CentreSeries:
    country: str
    source: str
    definition: str
    years: list[CentreYear]


def _number(value: str, column: str, line: int) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise CommuniqueError(f"line {line}: {column} is not a number: {value!r}") from exc


def read_csv(path: str | Path) -> list[tuple[object, ...]]:
    """The rows of an ideal-point CSV as the store keeps them; an error names the line and column at fault.

    The published file is Windows-1252 ('Côte d’Ivoire'); UTF-8 is read too.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise CommuniqueError(
            f"{path}: not an ideal-point file (Bailey, Strezhnev & Voeten): no column {', '.join(missing)}"
        )
    rows: list[tuple[object, ...]] = []
    for line, r in enumerate(reader, start=2):
        session = int(_number(r["session"], "session", line))

        def quantile(column: str, r: dict[str, str] = r, line: int = line) -> float | None:
            value = (r.get(column) or "").strip()
            return None if value in ("", "NA") else _number(value, column, line)

        code = (r["iso3c"] or "").strip()
        if not code or code == "NA":
            raise CommuniqueError(f"line {line}: no iso3c state code")
        rows.append(
            (
                int(_number(r["ccode"], "ccode", line)),
                session,
                FIRST_YEAR + session,
                code,
                (r["Countryname"] or "").strip(),
                int(_number(r["NVotes"] or "0", "NVotes", line)),
                _number(r["IdealPoint"], "IdealPoint", line),
                quantile("Q5%"),
                quantile("Q50%"),
                quantile("Q95%"),
            )
        )
    return rows


def import_unga(store: Store, path: str | Path) -> ImportResult:
    """Load the ideal points of ``path`` into the store, replacing any loaded before, in one transaction."""
    rows = read_csv(path)
    keys = {(r[0], r[1]) for r in rows}
    if len(keys) != len(rows):
        raise CommuniqueError(f"{path}: a state (ccode) appears twice in one session")
    with store.transaction():
        before = int(store.query("SELECT count(*) FROM unga_ideal_points")[0][0])
        store.execute("DELETE FROM unga_ideal_points")
        for i in range(0, len(rows), 1000):
            store.executemany(
                "INSERT INTO unga_ideal_points (ccode, session, year, code, country, votes, ideal_point, "
                "q5, q50, q95) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows[i : i + 1000],
            )
        store.execute(
            "INSERT INTO unga_imports (source, row_count, imported_at) VALUES (?, ?, ?)",
            [Path(path).name, len(rows), datetime.now(UTC).isoformat(timespec="seconds")],
        )
    return ImportResult(Path(path).name, len(rows), before)


def _years(since: str | None, until: str | None) -> tuple[str, list[object]]:
    sql, params = "", list[object]()
    if since:
        sql += " AND year >= ?"
        params.append(int(since[:4]))
    if until:
        sql += " AND year <= ?"
        params.append(int(until[:4]))
    return sql, params


def points(
    store: Store, codes: Sequence[str], since: str | None = None, until: str | None = None
) -> dict[str, dict[int, IdealPoint]]:
    """Every loaded ideal point of the given states, by code and year.

    A code two states shared in one session (YAR: the two Yemens until 1990) keeps the lower ccode's row.
    """
    found: dict[str, dict[int, IdealPoint]] = {c: {} for c in codes}
    if not codes:
        return found
    years, params = _years(since, until)
    rows = store.query(
        "SELECT code, year, session, ideal_point, votes, q5, q95 FROM unga_ideal_points "
        f"WHERE code IN ({', '.join('?' * len(codes))}){years} ORDER BY code, year, ccode DESC",
        [*codes, *params],
    )
    for code, year, session, point, votes, low, high in rows:
        found[code][int(year)] = IdealPoint(
            int(year),
            int(session),
            float(point),
            int(votes),
            None if low is None else float(low),
            None if high is None else float(high),
        )
    return found


def ideal_points(
    store: Store, code: str, since: str | None = None, until: str | None = None
) -> dict[int, IdealPoint]:
    """One state's ideal point per year."""
    return points(store, [code], since, until)[code]


def loaded(store: Store) -> int:
    """How many ideal points the store holds."""
    return int(store.query("SELECT count(*) FROM unga_ideal_points")[0][0])


def distance_series(
    store: Store, a: str, b: str, since: str | None = None, until: str | None = None
) -> DistanceSeries:
    """The distance between two states' ideal points in every year both have one."""
    from communique.corpus.trend import slope

    found = points(store, [a, b], since, until)
    years = [
        DistanceYear(
            y,
            round(pa.point, 4),
            round(found[b][y].point, 4),
            round(abs(pa.point - found[b][y].point), 4),
            pa.votes,
            found[b][y].votes,
        )
        for y, pa in sorted(found[a].items())
        if y in found[b]
    ]
    return DistanceSeries(a, b, SOURCE, DISTANCE, years, slope([(y.year, y.distance) for y in years]))


def centre_points(
    store: Store,
    country: str,
    centres: Sequence[Centre],
    since: str | None = None,
    until: str | None = None,
) -> CentreSeries:
    """The country's ideal point per year against each centre's: a one-state centre's own, or the mean of the
    member states' points that year (the country itself left out, as in the balance); organisations have none."""
    members = {c.name: [m for m in c.members if m != country] for c in centres}
    codes = sorted({country, *(m for ms in members.values() for m in ms)})
    found = points(store, codes, since, until)
    years = []
    for year, own in sorted(found[country].items()):
        cell = CentreYear(year, round(own.point, 4), own.votes)
        for name, ms in members.items():
            values = [found[m][year].point for m in ms if year in found[m]]
            point = sum(values) / len(values) if values else None
            cell.centres[name] = CentrePoint(
                None if point is None else round(point, 4),
                None if point is None else round(abs(own.point - point), 4),
                len(values),
            )
        years.append(cell)
    definition = (
        "distance = |the country's ideal point − the centre's|; a centre of several states stands at the mean "
        "of its members' points that year (membership as in the centres file)."
    )
    return CentreSeries(country, SOURCE, definition, years)
