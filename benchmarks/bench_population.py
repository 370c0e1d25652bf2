"""Benchmark of the metrics on a population grid: 50,000 cells x 100,000 environments.

Run with ``.venv/bin/python benchmarks/bench_population.py`` (``--quick`` for fewer repetitions,
``--spread K`` to share each cell over K x K points). It writes an SCB-style grid file (``Ruta;
Beftotalt``, 250 m cells: 50,000 cells drawn from those whose centre lies in Stockholm County)
and 100,000 environments scattered around the municipalities, both from a seeded generator:
made-up test loads, not data. It times, as medians:

- reading the grid file and building the population model (cold);
- the full metrics (every table, ``compute_metrics``) on a territory with no cache at all, so the
  grid is read, assigned and weighted again;
- the path after an edit of the environments (what a scenario does): the per-municipality table
  and all tables, with the population model kept in the territory's cache;
- the workshop's incremental path (:class:`smartmap.analysis.live.LiveMetrics`): 20 successive
  edits (add, close, move, re-tag, re-open) and 20 undos, each "edit -> metrics" (the
  municipality and county tables after the edit), median and 95th percentile, checked to be
  exactly equal to a full recompute; applying the edit to the 100k-row layer is timed apart;

beside a simple reference run on the same weighted points: one ``scipy.spatial.cKDTree`` per
priority area over the counted environments, queried for every point, and the weighted shares and
mean distances summed per municipality with pandas (the plain recompute an analyst would write).
It prints the ratios side by side and the largest difference between the two (target <= 1e-9).
No test asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_metrics import _typed_points, edited, fresh, median_ms, random_lists  # noqa: E402

from smartmap.analysis import metrics as mx  # noqa: E402
from smartmap.analysis import scenario as S  # noqa: E402
from smartmap.analysis.live import LiveMetrics  # noqa: E402
from smartmap.analysis.metrics import (  # noqa: E402
    MetricParams,
    compute_metrics,
    municipality_metrics,
)
from smartmap.core import vocab  # noqa: E402
from smartmap.data import gridcells  # noqa: E402
from smartmap.data.layers import Territory, load_territory  # noqa: E402
from smartmap.data.popsources import population_source_from_spec  # noqa: E402
from smartmap.data.population import population_model  # noqa: E402

SEED = 20261202
N_CELLS = 50_000
N_ENV = 100_000
CELL_M = 250


def grid_file(territory: Territory, directory: Path, n_cells: int, seed: int = SEED) -> Path:
    """An SCB-style CSV of ``n_cells`` 250 m cells whose centres lie in the county."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = shapely.bounds(territory.county_polygon)
    e0, n0 = int(minx // CELL_M * CELL_M), int(miny // CELL_M * CELL_M)
    ee, nn = np.meshgrid(np.arange(e0, maxx, CELL_M), np.arange(n0, maxy, CELL_M))
    e, n = ee.ravel().astype(np.int64), nn.ravel().astype(np.int64)
    inside = shapely.contains_xy(territory.county_polygon, e + CELL_M / 2, n + CELL_M / 2)
    e, n = e[inside], n[inside]
    pick = np.sort(rng.choice(len(e), size=min(n_cells, len(e)), replace=False))
    people = rng.integers(1, 400, len(pick))
    ids = gridcells.scb_ids(e[pick], n[pick])
    path = directory / "befolkning_250m.csv"
    lines = ["Ruta;Beftotalt", *(f"{i};{p}" for i, p in zip(ids, people, strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def with_environments(territory: Territory, n_env: int, seed: int = SEED) -> Territory:
    """The territory with ``n_env`` made-up environments scattered around its municipalities."""
    rng = np.random.default_rng(seed + 1)
    muni = territory.municipalities.sort_values("kommun_kod")
    codes = muni["kommun_kod"].to_numpy(dtype=object)
    rep = shapely.get_coordinates(shapely.point_on_surface(muni.geometry.values))
    which = rng.integers(0, len(codes), n_env)
    xy = rep[which] + rng.normal(0, 12_000, (n_env, 2))
    envs = _typed_points({
        "id": [f"e{i}" for i in range(n_env)], "name": [f"e{i}" for i in range(n_env)],
        "env_type": rng.choice(vocab.values(vocab.EnvType), n_env), "kommun_kod": codes[which],
        "priority_areas": random_lists(rng, territory.region.area_ids, n_env, 2),
        "governance_level": rng.choice(vocab.values(vocab.Level), n_env),
        "services": random_lists(rng, vocab.values(vocab.Service), n_env, 3),
        "status": rng.choice(["active"] * 8 + ["planned", "closed"], n_env),
    }, "environments", xy[:, 0], xy[:, 1], n_env)
    return territory.replace(environments=envs)


def reference(territory: Territory, source, params: MetricParams) -> pd.DataFrame:
    """The plain recompute: a k-d tree per area over the counted environments, pandas sums."""
    pts = population_model(territory, source).points
    env = mx.counted_environments(territory, params)
    exy = shapely.get_coordinates(env.geometry.values)
    pxy = shapely.get_coordinates(pts.geometry.values)
    tags = env["priority_areas"].fillna("").astype(str).str.split(";")
    frame = pd.DataFrame({"kommun_kod": pts["kommun_kod"].to_numpy(),
                          "w": pts["weight"].to_numpy()})
    for a in territory.region.areas_and_any:
        member = np.ones(len(env), bool) if a == "any" else tags.map(lambda t, a=a: a in t)
        member = np.asarray(member, dtype=bool)
        if member.any():
            d, _ = cKDTree(exy[member]).query(pxy, k=1)
        else:
            d = np.full(len(pxy), np.inf)
        frame[f"wd_{a}"] = frame["w"] * np.where(np.isfinite(d), d, 0.0)
        frame[f"wc_{a}"] = np.where(d <= params.radius_m, frame["w"], 0.0)
    sums = frame.groupby("kommun_kod").sum()
    out = pd.DataFrame(index=sums.index)
    for a in territory.region.areas_and_any:
        out[f"cov_{a}"] = sums[f"wc_{a}"] / sums["w"]
        out[f"dist_km_{a}"] = sums[f"wd_{a}"] / sums["w"] / 1000.0
    return out


def workshop_edits(territory: Territory, n: int, seed: int = SEED) -> list[S.Edit]:
    """``n`` edits a facilitator could make on the big territory (seeded)."""
    rng = np.random.default_rng(seed + 2)
    areas = territory.region.area_ids
    env = territory.environments
    ids = env["id"].to_numpy(dtype=object)
    closed = ids[(env["status"] == "closed").to_numpy()]
    edits: list[S.Edit] = []
    for i in range(n):
        lat, lon = 59.1 + rng.uniform(0, 0.7), 17.7 + rng.uniform(0, 1.0)
        kind = i % 5
        pick = str(ids[rng.integers(0, len(ids))])
        if kind == 0:
            edits.append(S.AddEnvironment(name=f"Testbädd {i}", env_type="testbed", lat=lat,
                                          lon=lon, priority_areas=(areas[i % len(areas)],)))
        elif kind == 1:
            edits.append(S.CloseEnvironment(id=pick))
        elif kind == 2:
            edits.append(S.MoveEnvironment(id=pick, lat=lat, lon=lon))
        elif kind == 3:
            edits.append(S.RetagEnvironment(id=pick, priority_areas=(areas[(i + 1) % len(areas)],)))
        else:
            edits.append(S.ReopenEnvironment(id=str(closed[rng.integers(0, len(closed))])))
    return edits


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def workshop_path(territory: Territory, src, params: MetricParams, n: int) -> dict:
    """Edit -> metrics and undo -> metrics with the live metrics, plus the apply step apart."""
    live = LiveMetrics(territory, params, src)
    edits = workshop_edits(territory, n)
    applied = [territory]
    apply_ms, edit_ms, undo_ms = [], [], []
    for k, edit in enumerate(edits, 1):
        t0 = time.perf_counter()
        applied.append(S.apply_edits(territory, (edit,), start=applied[-1], offset=k - 1))
        t1 = time.perf_counter()
        live.move_to(tuple(edits[:k]), applied[-1])
        live.result(params)
        t2 = time.perf_counter()
        apply_ms.append((t1 - t0) * 1000)
        edit_ms.append((t2 - t1) * 1000)
    for k in range(n - 1, -1, -1):  # undo every edit, one by one
        t0 = time.perf_counter()
        live.move_to(tuple(edits[:k]), applied[k])
        live.result(params)
        undo_ms.append((time.perf_counter() - t0) * 1000)
    live.move_to(tuple(edits), applied[-1])  # redo all at once, then compare with a recompute
    got = live.result(params)
    want = compute_metrics(applied[-1], params, population=src, radii=())
    exact = (got.municipalities.equals(want.municipalities) and got.county.equals(want.county))
    return {"apply": apply_ms, "edit": edit_ms, "undo": undo_ms, "exact": exact}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--spread", type=int, default=1, help="k x k points per cell")
    args = parser.parse_args()
    q = args.quick
    params = MetricParams()
    base = load_territory()
    t0 = time.perf_counter()
    territory = with_environments(base, N_ENV)
    with tempfile.TemporaryDirectory() as tmp:
        path = grid_file(territory, Path(tmp), N_CELLS)
        build_s = time.perf_counter() - t0
        src = population_source_from_spec({"kind": "grid", "format": "scb", "file": path.name,
                                           "cell_size_m": CELL_M, "spread": args.spread}, tmp)
        model = population_model(territory, src)
        n_pts = len(model.points)
        n_counted = len(mx.counted_environments(territory, params))
        size = f"{N_CELLS:,} cells ({n_pts:,} pts) x {N_ENV // 1000}k env ({n_counted:,} counted)"

        rows: list[tuple[str, int, float]] = []
        runs_cold, runs_warm = (1, 3) if q else (3, 7)
        model_ms = median_ms(lambda: population_model(fresh(territory), src), runs_cold)
        rows.append(("grid read + population model, cold", runs_cold, model_ms))
        cold_ms = median_ms(lambda: compute_metrics(fresh(territory), params, population=src),
                            runs_cold)
        rows.append(("full metrics (all tables), cold", runs_cold, cold_ms))
        compute_metrics(territory, params, population=src)  # warm the population cache
        table_ms = median_ms(lambda: municipality_metrics(edited(territory), params,
                                                          population=src), runs_warm)
        rows.append(("after an edit: municipality table", runs_warm, table_ms))
        all_ms = median_ms(lambda: compute_metrics(edited(territory), params, population=src),
                           runs_warm)
        rows.append(("after an edit: all tables", runs_warm, all_ms))
        ref_ms = median_ms(lambda: reference(territory, src, params), runs_warm)
        rows.append(("reference: cKDTree per area + pandas sums", runs_warm, ref_ms))

        ws = workshop_path(territory, src, params, 10 if q else 20)
        fast = municipality_metrics(edited(territory), params, population=src).set_index(
            "kommun_kod")
        ref = reference(territory, src, params)
    diff = 0.0
    for code in ref.index:
        for column in ref.columns:
            want, got = ref.at[code, column], fast.at[code, column]
            if column.startswith("dist_km_") and not np.isfinite(want):
                continue
            diff = max(diff, abs(got - want))

    width = max(len(r[0]) for r in rows)
    print(f"smartmap population-grid benchmark (seed {SEED}; inputs built in {build_s:.1f} s)")
    print(f"size: {size}; R = {params.radius_km:g} km; spread {args.spread}")
    print(f"{'case':<{width}}  {'runs':>4}  {'median':>11}  {'vs reference':>12}")
    print("-" * (width + 35))
    for name, runs, ms in rows:
        print(f"{name:<{width}}  {runs:>4}  {ms:>8.1f} ms  {ms / ref_ms:>11.2f}x")
    print("-" * (width + 35))
    print(f"after an edit the table takes {table_ms / ref_ms:.2f}x the reference's time and all "
          f"tables {all_ms / ref_ms:.2f}x; a cold run (file read again) {cold_ms / ref_ms:.2f}x")
    ok = diff <= 1e-9
    print(f"max |smartmap - reference| over dist_km_* and cov_*: {diff:.3e} (target <= 1e-9: "
          f"{'yes' if ok else 'NO'})")
    n_ws = len(ws["edit"])
    print()
    print(f"the workshop, incremental (live metrics), {n_ws} successive edits and {n_ws} undos:")
    print(f"{'case':<{width}}  {'median':>9}  {'p95':>9}  {'reference / median':>18}")
    for name, key in (("edit -> metrics (municipality + county)", "edit"),
                      ("undo -> metrics", "undo"),
                      ("apply the edit to the 100k-row layer", "apply")):
        values = ws[key]
        print(f"{name:<{width}}  {np.median(values):>6.1f} ms  {p95(values):>6.1f} ms  "
              f"{ref_ms / np.median(values):>17.0f}x")
    target = np.median(ws["edit"]) < 10.0
    print(f"edit -> metrics < 10 ms: {'yes' if target else 'NO'}; the full recompute peer "
          f"(cKDTree per area) takes {ref_ms:.0f} ms, the library's full table {table_ms:.0f} ms; "
          f"live tables exactly equal to a full recompute: {'yes' if ws['exact'] else 'NO'}")
    return 0 if ok and ws["exact"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
