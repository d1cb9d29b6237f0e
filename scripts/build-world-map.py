"""Build src/communique/api/web/static/world.json: one SVG path per country, keyed by ISO 3166-1 alpha-3.

Source: the npm package world-atlas 2.0.2 (countries-110m.json, TopoJSON of Natural Earth 1:110m admin-0
countries, public domain; package ISC-licensed, (c) Mike Bostock). Numeric ids are ISO 3166-1 numeric; the
numeric -> alpha-3 table comes from pycountry (ISO 3166). Run once by a maintainer, not at install time:

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build-world-map.py package/countries-110m.json   (needs pycountry in the environment)

Projection: equirectangular, 360 x 180 units (x = lon + 180, y = 90 - lat), clipped to 84N..60S for display.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

# Natural Earth features without an ISO numeric id in world-atlas: (name -> alpha-3).
NAMED = {"Kosovo": "XKX", "N. Cyprus": "CYP", "Somaliland": "SOM", "Taiwan": "TWN"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topology["transform"]["scale"]
    tx, ty = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def path_of(polygons: list[list[list[int]]], arcs: list[list[tuple[float, float]]]) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            pts = ring_points(ring, arcs)
            if len(pts) < 3:
                continue
            coords = " ".join(f"{lon + 180:.2f},{90 - lat:.2f}" for lon, lat in pts)
            parts.append(f"M{coords}Z")
    return "".join(parts)


def main(source: str, out: str = "src/communique/api/web/static/world.json") -> None:
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    countries: dict[str, dict[str, str]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = None
        if "id" in geometry:
            country = pycountry.countries.get(numeric=str(geometry["id"]).zfill(3))
            code = country.alpha_3 if country else None
        code = code or NAMED.get(name)
        if not code or "arcs" not in geometry:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = path_of(polygons, arcs)
        if code in countries:  # e.g. Northern Cyprus drawn as part of Cyprus
            countries[code]["d"] += path
        else:
            countries[code] = {"name": name, "d": path}
    Path(out).write_text(json.dumps({"source": "world-atlas 2.0.2 countries-110m (Natural Earth)",
                                     "viewBox": "0 6 360 144", "countries": countries}, separators=(",", ":")))
    print(f"{len(countries)} countries -> {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
