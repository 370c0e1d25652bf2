"""A plain nested-loop reference for the distance and coverage metrics.

Deliberately naive, a direct transcription of the definitions in DESIGN.md: for every
municipality, area and population point, a loop over every counted environment keeping the
nearest one of the area. Pure Python, easy to check by eye; the library's vectorised path must
agree with it to 1e-9. Used by the tests and by
``benchmarks/bench_metrics.py`` (never by the library).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tests.synthetic import AREAS_AND_ANY


def reference_distance_metrics(
    codes: Sequence[str],
    populations: Sequence[float | None],
    points: Sequence[tuple[str, float, float, float]],
    environments: Sequence[tuple[float, float, frozenset[str]]],
    radius_km: float,
) -> dict[str, dict[str, float | None]]:
    """``dist_km_<a>`` and ``cov_<a>`` per municipality code, by brute force.

    ``points`` are (kommun_kod, x, y, weight); ``environments`` are the counted ones as
    (x, y, areas). ``None`` stands for NA.
    """
    radius_m = 1000.0 * radius_km
    out: dict[str, dict[str, float | None]] = {}
    for code, population in zip(codes, populations, strict=True):
        row: dict[str, float | None] = {}
        total = 0.0
        for p in points:
            if p[0] == code:
                total += p[3]
        defined = population is not None and population > 0 and total > 0
        for area in AREAS_AND_ANY:
            empty = True
            for e in environments:
                if area == "any" or area in e[2]:
                    empty = False
            if not defined:
                row[f"dist_km_{area}"] = None
                row[f"cov_{area}"] = None
                continue
            weighted = 0.0
            covered = 0.0
            for p_code, x, y, w in points:
                if p_code != code:
                    continue
                best = math.inf
                for ex, ey, areas in environments:
                    if area == "any" or area in areas:
                        d = math.hypot(ex - x, ey - y)
                        if d < best:
                            best = d
                if best <= radius_m:
                    covered += w
                if not empty:
                    weighted += w * best
            row[f"dist_km_{area}"] = None if empty else weighted / total / 1000.0
            row[f"cov_{area}"] = covered / total
        out[code] = row
    return out
