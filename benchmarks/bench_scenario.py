"""Benchmark of the scenario workshop's server-side work after an edit, on the real data.

Run with ``.venv/bin/python benchmarks/bench_scenario.py`` (``--quick`` for fewer repetitions,
``--check`` to exit 1 when the target is missed). It times what the workshop page does on the
server after a facilitator's edit, median of 20 edits (issue 6: under 300 ms):

1. apply the scenario to the baseline (the session's :class:`smartmap.analysis.workshop.Evaluator` replays
   only the new edit on the territory it already has),
2. compute the scenario's metrics (the baseline's are cached per parameter set) and the diff,
3. build the map layers (change choropleth + environments with changed ones ringed) and render
   them to the JavaScript st_folium sends to the browser,
4. recompute the smart-priorities alignment of the scenario and the assessment's computed lines
   (the workshop's Assessment tab, docs/alignment.md).

Next to it, a simple reference does the same work the plain way: a baseline without any cache,
``scenario.diff`` (apply every edit, compute both sides with the radius curve), a choropleth
built with ``GeoDataFrame.to_json`` and one folium ``CircleMarker`` with tooltip and popup per
environment. The edits are a realistic session: test beds added at RUFS urban cores
(regional_urban_cores.csv), incubators closed, environments moved, re-tagged, a radius changed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartmap.analysis import scenario as S  # noqa: E402
from smartmap.analysis.environments import location_precision  # noqa: E402
from smartmap.analysis.metrics import cached_metrics  # noqa: E402
from smartmap.analysis.params import MetricParams  # noqa: E402
from smartmap.analysis.workshop import Evaluator  # noqa: E402
from smartmap.core import vocab  # noqa: E402
from smartmap.core.region import Region  # noqa: E402
from smartmap.core.settings import EXCHANGE_CRS  # noqa: E402
from smartmap.data.layers import LAYERS, Territory, load_territory  # noqa: E402
from smartmap.render import maps  # noqa: E402
from smartmap.render.assets import urls  # noqa: E402
from smartmap.render.htmltext import escape  # noqa: E402

TARGET_MS = 300.0
METRIC = "cov_any"


def render_groups(groups: list[folium.FeatureGroup]) -> int:
    """Render the groups to the JavaScript st_folium sends (its own function); total length."""
    from streamlit_folium import _get_feature_group_string

    m = maps.base_map(urls(""))
    return sum(len(_get_feature_group_string(g, m, i)) for i, g in enumerate(groups))


def session_edits(territory: Territory, n: int) -> list[S.Edit]:
    """``n`` edits a facilitator could make, taken from the real layers (ids, core locations)."""
    env = territory.environments
    cores = territory.urban_cores
    cores = cores[cores.geometry.notna() & ~cores.geometry.is_empty].to_crs(EXCHANGE_CRS)
    active = env[env["status"] == "active"]["id"].tolist()
    edits: list[S.Edit] = []
    areas = territory.region.area_ids
    i = 0
    while len(edits) < n:
        core = cores.iloc[i % len(cores)]
        kind = i % 5
        if kind == 0:
            edits.append(S.AddEnvironment(
                name=f"Testbädd {core['name']}", env_type="testbed", lat=round(core.geometry.y, 5),
                lon=round(core.geometry.x, 5), priority_areas=(areas[i % 4],),
                services=("testbed_access",), governance_level="municipal"))
        elif kind == 1:
            edits.append(S.CloseEnvironment(id=active[(7 * i) % len(active)]))
        elif kind == 2:
            edits.append(S.MoveEnvironment(id=active[(11 * i + 3) % len(active)],
                                           lat=round(core.geometry.y, 5),
                                           lon=round(core.geometry.x, 5) + 0.01))
        elif kind == 3:
            edits.append(S.RetagEnvironment(id=active[(5 * i + 1) % len(active)],
                                            priority_areas=(areas[(i + 1) % 4],)))
        else:
            edits.append(S.ReopenEnvironment(id=active[(7 * (i - 3)) % len(active)]))
        i += 1
    return edits


def workshop_step(ev: Evaluator, scenario: S.Scenario) -> dict[str, float]:
    """What the page does after an edit, stage by stage (milliseconds)."""
    t0 = time.perf_counter()
    territory = ev.territory(scenario)
    t1 = time.perf_counter()
    ev.metrics(None)
    ev.metrics(scenario)
    t2 = time.perf_counter()
    d = ev.compare(None, scenario)
    wide = d.wide(METRIC).set_index("kommun_kod")
    changed = ev.changed_ids(None, scenario)
    t3 = time.perf_counter()
    groups = maps.comparison_groups(ev.baseline.municipalities, wide["before"], wide["after"],
                                    METRIC, territory.environments, "sv", "change",
                                    scenario.parameters.radius_km, changed,
                                    region=territory.region)
    t4 = time.perf_counter()
    render_groups(groups)
    t5 = time.perf_counter()
    ev.assessment_computed(scenario, "sv")  # the alignment, then the computed lines
    t6 = time.perf_counter()
    ms = 1000.0
    return {"apply": (t1 - t0) * ms, "metrics": (t2 - t1) * ms, "diff": (t3 - t2) * ms,
            "layers": (t4 - t3) * ms, "render": (t5 - t4) * ms, "alignment": (t6 - t5) * ms,
            "total": (t6 - t0) * ms}


def no_cache(territory: Territory) -> Territory:
    """The same layers with no derived data cached (population model, baseline metrics ...)."""
    return Territory(territory.region, {k: territory.layer(k) for k in LAYERS},
                     territory.problem_list)


def plain_marker_layer(environments: gpd.GeoDataFrame, lang: vocab.Lang,
                       region: Region) -> folium.FeatureGroup:
    """Environments the plain folium way: one CircleMarker with tooltip and popup each."""
    group = folium.FeatureGroup(name="environments")
    env = maps.drawable(environments)
    wgs = env.to_crs(EXCHANGE_CRS)
    precision = location_precision(env)
    for (idx, row), geom in zip(env.iterrows(), wgs.geometry, strict=True):
        folium.CircleMarker(
            location=[round(geom.y, 6), round(geom.x, 6)], radius=7, color="#222222", weight=1,
            fill=True, fill_color=maps.marker_colour(row), fill_opacity=0.9,
            tooltip=folium.Tooltip(escape(row["name"])),
            popup=folium.Popup(maps.environment_popup_html(row, lang, precision[idx],
                                                           region),
                               max_width=340, lazy=True),
            className=f"sm-env sm-env-{row['env_type']}",
        ).add_to(group)
    return group


def plain_delta_layer(municipalities: gpd.GeoDataFrame, delta: pd.Series) -> folium.FeatureGroup:
    """The change choropleth the plain way: GeoDataFrame.to_json every time."""
    geo = municipalities[["kommun_kod", "geometry"]].to_crs(EXCHANGE_CRS)
    geo["delta"] = delta.reindex(geo["kommun_kod"]).to_numpy(dtype="float64")
    group = folium.FeatureGroup(name="change")
    folium.GeoJson(geo.to_json(drop_id=True), style_function=lambda f: {"fillColor": "#F7F7F7"},
                   tooltip=folium.GeoJsonTooltip(fields=["kommun_kod", "delta"])).add_to(group)
    return group


def reference_step(baseline: Territory, scenario: S.Scenario) -> float:
    """The plain full recompute: no caches, diff of both sides, folium objects per marker."""
    t0 = time.perf_counter()
    base = no_cache(baseline)
    d = S.diff(base, scenario)
    after = S.apply(base, scenario)
    wide = d.wide(METRIC).set_index("kommun_kod")
    groups = [plain_delta_layer(base.municipalities, wide["delta"]),
              plain_marker_layer(after.environments, "sv", after.region)]
    render_groups(groups)
    return (time.perf_counter() - t0) * 1000.0


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 edits instead of 20")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    n = 5 if args.quick else 20

    baseline = load_territory()
    cached_metrics(baseline, MetricParams())  # the app's baseline is warm (st.cache_resource)
    edits = session_edits(baseline, n + 1)

    # the workshop: one session making n edits one after the other
    ev = Evaluator(baseline)
    scenario = S.Scenario("benchmark")
    scenario = scenario.with_edit(edits[0])
    workshop_step(ev, scenario)  # warm-up: first view of the page
    stages: list[dict[str, float]] = []
    for edit in edits[1:]:
        scenario = scenario.with_edit(edit)
        stages.append(workshop_step(ev, scenario))
    # a parameter change (radius) and an undo are edits too: time them separately (median of
    # 5; each radius is new to the session, the undone state is one the session has seen)
    radius_ms = median([workshop_step(ev, scenario.with_parameters(MetricParams(radius_km=r)))[
        "total"] for r in (11, 12.5, 15, 20, 25)])
    undo_ms = median([workshop_step(ev, S.Scenario("benchmark", edits=scenario.edits[:-k]))[
        "total"] for k in range(1, 6)])
    # a session opening a file with all n edits at once (nothing cached for it)
    cold_ms = median([workshop_step(Evaluator(baseline), scenario)["total"]
                      for _ in range(3 if args.quick else 5)])

    # the simple reference: full recompute without caches, on the same growing scenario
    ref: list[float] = []
    chain = S.Scenario("reference", edits=(edits[0],))
    reference_step(baseline, chain)
    for edit in edits[1:]:
        chain = chain.with_edit(edit)
        ref.append(reference_step(baseline, chain))

    fast = median([s["total"] for s in stages])
    reference = median(ref)
    print(f"smartmap scenario workshop benchmark: real data ({len(baseline.environments)} "
          f"environments, {len(baseline.municipalities)} municipalities), median of {n} "
          f"successive edits, metric {METRIC}, change map")
    print(f"{'stage (workshop, after an edit)':<44} {'median':>10}")
    for key in ("apply", "metrics", "diff", "layers", "render", "alignment"):
        print(f"  {key:<42} {median([s[key] for s in stages]):>7.1f} ms")
    print(f"{'workshop: after an edit (total)':<44} {fast:>7.1f} ms   target < {TARGET_MS:.0f} ms: "
          f"{'yes' if fast < TARGET_MS else 'NO'}")
    print(f"{'workshop: a new radius':<44} {radius_ms:>7.1f} ms")
    print(f"{'workshop: undo (results cached)':<44} {undo_ms:>7.1f} ms")
    print(f"{'workshop: open a {n}-edit file, cold session':<44} {cold_ms:>7.1f} ms".replace(
        "{n}", str(n)))
    print(f"{'reference: full recompute without caches':<44} {reference:>7.1f} ms")
    print(f"ratio reference / workshop: {reference / fast:.1f}x")
    ok = fast < TARGET_MS
    return 1 if (args.check and not ok) else 0


if __name__ == "__main__":
    raise SystemExit(main())
