"""Make the kommun boundaries shipped in the package from okfse/sweden-geojson.

The source (swedish_municipalities.geojson, ~0.8 MB, already simplified with mapshaper)
is projected once with the sinusoidal equal-area projection (x = (lon − 15°)·cos(lat),
y = lat, in degrees), simplified with Douglas–Peucker at two tolerances (a fine level for
a län, a coarse one for all of Sweden) and written as gzipped JSON of integer thousandths
of a degree, delta-encoded. Borders shared by two kommuner are cut into arcs at the points
where three or more kommuner (or the coast) meet and each arc is simplified once, so
neighbours keep one common border: no gaps, no overlaps.

Run by hand (numpy only, which matplotlib brings along):
  python tools/simplify_map.py swedish_municipalities.geojson \
      src/strategihalsa/render/maps/kommuner.json.gz
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np

CENTRAL_MERIDIAN = 15.0
SCALE = 1000  # stored as integer thousandths of a degree (about 110 m)
TOLERANCES = {"fine": 0.004, "coarse": 0.03}  # degrees of latitude: about 450 m and 3 km
SOURCE = {
    "name": "okfse/sweden-geojson, swedish_municipalities.geojson",
    "url": "https://github.com/okfse/sweden-geojson",
    "origin": "Valmyndigheten (via opendatasoft), förenklad med mapshaper",
    "terms": "Fri att återanvända enligt förrådets README (ingen licensfil)",
}
Point = tuple[float, float]


def project(lon: float, lat: float) -> Point:
    """Sinusoidal projection in degrees: equal-area, the aspect right at every latitude."""
    return (lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)), lat


def rings_of(feature: dict) -> list[list[Point]]:
    """A feature's rings, projected, without the closing point: exteriors counter-clockwise,
    holes clockwise (so a nonzero fill leaves the holes empty)."""
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" \
        else geometry["coordinates"]
    return [oriented([project(*point) for point in ring[:-1]], n == 0)
            for polygon in polygons for n, ring in enumerate(polygon)]


def oriented(ring: list[Point], counter_clockwise: bool) -> list[Point]:
    """The ring in the asked orientation (shoelace sign)."""
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1],
                                                               strict=True))
    return ring if (area > 0) == counter_clockwise else ring[::-1]


def junctions(rings: list[list[Point]]) -> set[Point]:
    """Points with more than two distinct neighbours over all rings: where borders meet."""
    neighbours: dict[Point, set[Point]] = defaultdict(set)
    for ring in rings:
        for n, point in enumerate(ring):
            neighbours[point].update((ring[n - 1], ring[(n + 1) % len(ring)]))
    return {point for point, found in neighbours.items() if len(found) > 2}


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """The points kept by Douglas–Peucker (the first and the last always)."""
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = points[first], points[last]
        segment = end - start
        length = math.hypot(*segment)
        inner = points[first + 1:last] - start
        cross = segment[0] * inner[:, 1] - segment[1] * inner[:, 0]
        distance = np.abs(cross) / length if length else np.hypot(inner[:, 0], inner[:, 1])
        farthest = int(np.argmax(distance))
        if distance[farthest] > tolerance:
            keep[first + 1 + farthest] = True
            stack += [(first, first + 1 + farthest), (first + 1 + farthest, last)]
    return points[keep]


def simplify_arc(arc: list[Point], tolerance: float, cache: dict) -> list[Point]:
    """One arc simplified in a canonical direction, so both neighbours get the same."""
    forward = arc[0] <= arc[-1]
    key = tuple(arc if forward else arc[::-1])
    if key not in cache:
        cache[key] = [tuple(p) for p in douglas_peucker(np.array(key), tolerance)]
    return cache[key] if forward else cache[key][::-1]


def simplify_ring(ring: list[Point], cuts: set[Point], tolerance: float, cache: dict
                  ) -> list[Point]:
    """A ring cut into arcs at its junctions (or, without any, at its lowest point)."""
    marks = [n for n, point in enumerate(ring) if point in cuts] or [ring.index(min(ring))]
    start = marks[0]
    turned = ring[start:] + ring[:start] + [ring[start]]
    marks = [n - start for n in marks] + [len(ring)]
    found: list[Point] = []
    for first, last in pairwise(marks):
        found += simplify_arc(turned[first:last + 1], tolerance, cache)[:-1]
    return found


def encode(ring: list[Point]) -> list[int] | None:
    """Integer thousandths, duplicates dropped, delta-encoded; None for a ring that
    collapsed below a triangle."""
    grid = [(round(x * SCALE), round(y * SCALE)) for x, y in ring]
    unique = [p for n, p in enumerate(grid) if p != grid[n - 1]]
    if len(unique) < 3:
        return None
    flat = [unique[0][0], unique[0][1]]
    for (x0, y0), (x1, y1) in pairwise(unique):
        flat += [x1 - x0, y1 - y0]
    return flat


def level(features: list[dict], tolerance: float) -> dict[str, list[list[int]]]:
    """Every kommun's simplified rings at one tolerance (its largest ring always kept)."""
    rings = {f["properties"]["id"]: rings_of(f) for f in features}
    cuts = junctions([r for found in rings.values() for r in found])
    cache: dict = {}
    found = {}
    for code, own in rings.items():
        simplified = [simplify_ring(r, cuts, tolerance, cache) for r in own]
        encoded = [e for e in map(encode, simplified) if e]
        found[code] = encoded or [encode(max(own, key=len))]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    features = json.loads(args.source.read_text(encoding="utf-8"))["features"]
    names = {f["properties"]["id"]: f["properties"]["kom_namn"] for f in features}
    data = {"source": SOURCE, "projection": "sinusoidal, central meridian 15° E, degrees",
            "scale": SCALE, "names": dict(sorted(names.items())),
            "levels": {name: dict(sorted(level(features, tolerance).items()))
                       for name, tolerance in TOLERANCES.items()}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.target.parent.mkdir(parents=True, exist_ok=True)
    args.target.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    for name, rings in data["levels"].items():
        points = sum(len(r) // 2 for found in rings.values() for r in found)
        print(f"{name}: {len(rings)} kommuner, {points} points")
    print(f"{args.target}: {args.target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
