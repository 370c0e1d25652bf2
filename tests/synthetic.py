"""Build small synthetic territories for tests (and the benchmark) with the real layer schemas.

Coordinates are given in EPSG:3006 metres; lat/lon columns are derived from them so every frame
looks exactly like one :func:`smartmap.load_territory` builds. Nothing here is data about the real
county: it is made-up geometry for checking the arithmetic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from smartmap.core.region import Region
from smartmap.core.settings import ANALYSIS_CRS
from smartmap.data import schemas
from smartmap.data.layers import LAYERS, Territory
from smartmap.data.region import load_region

TINY = Path(__file__).parent / "data" / "tiny"
"""The tiny test package (tests/data/tiny): its manifest is the test region's vocabulary."""
TEST_REGION: Region = dataclasses.replace(load_region(TINY), county="99", data_dir=None,
                                          manifest=None)
"""The synthetic territories' region: the tiny package's four test areas and core classes."""
AREAS: tuple[str, ...] = TEST_REGION.area_ids
AREAS_AND_ANY: tuple[str, ...] = TEST_REGION.areas_and_any

X0, Y0 = 600_000.0, 6_500_000.0
"""Origin of the test grid (somewhere in Sweden, so lat/lon are sensible)."""

Row = Mapping[str, object]


def _text(rows: Sequence[Row], fields: Sequence[schemas.Field]) -> pd.DataFrame:
    names = [f.name for f in fields]
    data = {n: ["" if r.get(n) is None else str(r.get(n)) for r in rows] for n in names}
    return pd.DataFrame(data, columns=names, dtype="str")


def point_layer(rows: Sequence[Row], spec_name: str) -> gpd.GeoDataFrame:
    """A point layer from rows with ``x``/``y`` in metres (None = no coordinates)."""
    spec = LAYERS[spec_name]
    fields = spec.fields_for(TEST_REGION)
    xs = np.array([np.nan if r.get("x") is None else float(r["x"]) for r in rows])
    ys = np.array([np.nan if r.get("y") is None else float(r["y"]) for r in rows])
    ok = ~(np.isnan(xs) | np.isnan(ys))
    geoms = np.full(len(rows), None, dtype=object)
    geoms[ok] = shapely.points(xs[ok], ys[ok])
    series = gpd.GeoSeries(geoms, crs=ANALYSIS_CRS)
    lonlat = series.to_crs(4326)
    text = _text(rows, fields)
    lat = np.full(len(rows), "", dtype=object)
    lon = np.full(len(rows), "", dtype=object)
    lat[ok] = [f"{p.y:.9f}" for p in lonlat[ok]]
    lon[ok] = [f"{p.x:.9f}" for p in lonlat[ok]]
    text["lat"], text["lon"] = lat, lon
    typed = schemas.to_typed(text, fields)
    return gpd.GeoDataFrame(typed, geometry=series.values, crs=ANALYSIS_CRS)


def municipalities_frame(rows: Sequence[Row]) -> gpd.GeoDataFrame:
    """Municipalities from rows with ``kommun_kod``, ``kommun``, ``population`` and ``geometry``."""
    spec = LAYERS["municipalities"]
    typed = schemas.to_typed(_text(rows, spec.fields), spec.fields)
    return gpd.GeoDataFrame(typed, geometry=[r["geometry"] for r in rows], crs=ANALYSIS_CRS)


def environment(id: str, kommun: str, x: float | None, y: float | None, *, areas: str = "",
                env_type: str = "testbed", level: str = "private", services: str = "",
                status: str = "active") -> dict[str, object]:
    """One environment row (x, y in km from the grid origin; None = no coordinates)."""
    return {"id": id, "name": id, "env_type": env_type, "kommun_kod": kommun,
            "x": None if x is None else X0 + 1000 * x, "y": None if y is None else Y0 + 1000 * y,
            "priority_areas": areas, "host_organisation": "host", "governance_level": level,
            "services": services, "status": status}


def population_point(id: str, kommun: str, x: float | None, y: float | None,
                     population: float | None, kind: str = "district") -> dict[str, object]:
    """One population point row (x, y in km from the grid origin)."""
    return {"point_id": id, "name": id, "kommun_kod": kommun, "kind": kind,
            "population": population, "population_year": 2024 if population is not None else None,
            "x": None if x is None else X0 + 1000 * x, "y": None if y is None else Y0 + 1000 * y}


def settlement(id: str, kommun: str, x: float | None, y: float | None,
               population: float | None) -> dict[str, object]:
    """One settlement row (x, y in km from the grid origin)."""
    return {"settlement_id": id, "name": id, "kommun_kod": kommun, "population": population,
            "population_year": 2020 if population is not None else None,
            "x": None if x is None else X0 + 1000 * x, "y": None if y is None else Y0 + 1000 * y}


def core(id: str, core_class: str, koder: str, x: float | None, y: float | None) -> dict[str, object]:
    """One urban core row (x, y in km from the grid origin)."""
    return {"core_id": id, "name": id, "core_class": core_class, "kommun_koder": koder,
            "x": None if x is None else X0 + 1000 * x, "y": None if y is None else Y0 + 1000 * y}


def actor(id: str, level: str, territory: str, actor_type: str = "authority") -> dict[str, object]:
    return {"actor_id": id, "name": id, "level": level, "actor_type": actor_type,
            "territory": territory}


def square(x_km: float, y_km: float, size_km: float) -> shapely.Polygon:
    """A square municipality polygon with its lower-left corner at (x, y) km from the origin."""
    return shapely.box(X0 + 1000 * x_km, Y0 + 1000 * y_km, X0 + 1000 * (x_km + size_km),
                       Y0 + 1000 * (y_km + size_km))


def make_territory(
    municipalities: Sequence[Row],
    environments: Iterable[Row] = (),
    population_points: Iterable[Row] = (),
    settlements: Iterable[Row] = (),
    urban_cores: Iterable[Row] = (),
    actors: Iterable[Row] = (),
    region: Region = TEST_REGION,
) -> Territory:
    """A Territory whose frames have exactly the schemas of the loaded layers."""
    links = schemas.to_typed(_text([], LAYERS["links"].fields), LAYERS["links"].fields)
    actor_spec = LAYERS["actors"]
    return Territory(region, {
        "municipalities": municipalities_frame(municipalities),
        "environments": point_layer(list(environments), "environments"),
        "urban_cores": point_layer(list(urban_cores), "urban_cores"),
        "settlements": point_layer(list(settlements), "settlements"),
        "population_points": point_layer(list(population_points), "population_points"),
        "actors": schemas.to_typed(_text(list(actors), actor_spec.fields), actor_spec.fields),
        "links": links,
    })


# ---------------------------------------------------------------------------------------------
# the golden territory (tests/test_metrics.py computes its table by hand)

A, B, C = "0101", "0102", "0103"


def golden_territory() -> Territory:
    """Three 20 km squares side by side: A (40,000 people), B (10,000, no environments), C (0).

    Positions (km from the origin):
    - A: points a1 (4,10) 20,000 and a2 (16,10) 10,000; the remaining 10,000 go to "rest of A" at
      the square's representative point (10,10). Environments e1 (4,18) life_science;ict,
      e2 (10,2) industrial_transition, e4 (16,18) life_science, e7 ict without coordinates.
    - B: point b1 (28,2) with 12,500 > P = 10,000, so scaled by 0.8. A closed (e5) and a planned
      (e6) climate_urban environment, not counted by default.
    - C: P = 0, point c1 (50,10) with 500 (scaled to 0). e3 (44,14) ict, e8 (56,18) no area.
    - Cores: alpha central (8.5,14), beta outer (28,10), delta outer (28,-6) (tie with beta for
      b1), gamma strategic_location (50,10), nocoords outer without coordinates.
    """
    munis = [
        {"kommun_kod": A, "kommun": "Aby", "population": 40000, "population_year": 2024,
         "geometry": square(0, 0, 20)},
        {"kommun_kod": B, "kommun": "Bby", "population": 10000, "population_year": 2023,
         "geometry": square(20, 0, 20)},
        {"kommun_kod": C, "kommun": "Cby", "population": 0, "population_year": 2024,
         "geometry": square(40, 0, 20)},
    ]
    envs = [
        environment("e1", A, 4, 18, areas="life_science;ict", env_type="incubator",
                    level="academic", services="incubation;advisory"),
        environment("e2", A, 10, 2, areas="industrial_transition", env_type="testbed",
                    level="private", services="testbed_access;lab_access"),
        environment("e3", C, 44, 14, areas="ict", env_type="cluster", level="regional",
                    services="matchmaking"),
        environment("e4", A, 16, 18, areas="life_science", env_type="science_park",
                    level="mixed", services="lab_access;incubation"),
        environment("e5", B, 30, 11, areas="climate_urban", env_type="testbed",
                    level="national", status="closed"),
        environment("e6", B, 30, 14, areas="climate_urban;ict", env_type="coworking_hub",
                    level="municipal", services="coworking", status="planned"),
        environment("e7", A, None, None, areas="ict", env_type="accelerator", level="private"),
        environment("e8", C, 56, 18, areas="", env_type="business_support", level="municipal"),
    ]
    points = [
        population_point("a1", A, 4, 10, 20000),
        population_point("a2", A, 16, 10, 10000),
        population_point("b1", B, 28, 2, 12500),
        population_point("c1", C, 50, 10, 500),
    ]
    cores = [
        core("alpha", "central_core", A, 8.5, 14),
        core("beta", "outer_core", B, 28, 10),
        core("delta", "outer_core", f"{B};{C}", 28, -6),
        core("gamma", "strategic_location", C, 50, 10),
        core("nocoords", "outer_core", A, None, None),
    ]
    acts = [
        actor("reg", "regional", "county"),
        actor("eu1", "eu", "eu"),
        actor("nat", "national", "national"),
        actor("muni-a", "municipal", A),
        actor("sub", "sub_regional", f"{B};{C}"),
    ]
    return make_territory(munis, envs, points, (), cores, acts)
