"""The metrics contract (DESIGN.md "Metrics"): a golden table computed by hand, properties, the
nested-loop reference, the real data and the CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartmap.analysis import metrics as mx
from smartmap.analysis.metrics import (
    MetricParams,
    ParameterError,
    catchment_points,
    compute_metrics,
    county_kpis,
    municipality_metrics,
    radius_curve,
    read_metrics_csv,
)
from smartmap.cli import app
from smartmap.data.population import population_model
from tests.metrics_reference import reference_distance_metrics
from tests.synthetic import (
    AREAS_AND_ANY,
    TEST_REGION,
    A,
    B,
    C,
    environment,
    golden_territory,
    make_territory,
    point_layer,
    population_point,
    square,
)

NA = None
S208 = math.sqrt(208)  # |(16,10) - (4,18)| in km: a2's nearest ict environment


def frame(columns: dict[str, list], dtypes: dict[str, str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.array(v, dtype=dtypes[c]) if dtypes[c] != "float64" else
                        np.array([np.nan if x is None else x for x in v], dtype="float64")
                        for c, v in columns.items()})
    return out


# Every number below was worked out by hand from the positions in tests/synthetic.py
# (golden_territory's docstring). Distances in km from each population point to the nearest
# counted environment of each area (R = 10 km):
#                 life_science  ict          industrial  any
#   a1 (4,10)     8  (e1)       8  (e1)      10 (e2)      8     weight 20,000
#   rest A(10,10) 10 (e1/e4)    10 (e1)      8  (e2)      8     weight 10,000
#   a2 (16,10)    8  (e4)       sqrt(208)    10 (e2)      8     weight 10,000
#   b1 (28,2)     20 (e4)       20 (e3)      18 (e2)      18    weight 10,000 (12,500 x 0.8)
#   c1 (50,10)    -- weight 0 (P = 0) --
# climate_urban has no counted environment anywhere (e5 closed, e6 planned).
GOLDEN = {
    "kommun_kod": [A, B, C],
    "kommun": ["Aby", "Bby", "Cby"],
    "population": [40000, 10000, 0],  # P of municipalities.csv, beside the metrics built on it
    "n_env": [3, 0, 2],
    "n_env_science_park": [1, 0, 0],
    "n_env_incubator": [1, 0, 0],
    "n_env_accelerator": [0, 0, 0],  # e7 has no coordinates
    "n_env_testbed": [1, 0, 0],  # e5 is closed
    "n_env_cluster": [0, 0, 1],
    "n_env_collaboration_platform": [0, 0, 0],
    "n_env_innovation_office": [0, 0, 0],
    "n_env_research_institute": [0, 0, 0],
    "n_env_business_support": [0, 0, 1],
    "n_env_coworking_hub": [0, 0, 0],  # e6 is planned
    "n_env_life_science": [2, 0, 0],
    "n_env_ict": [1, 0, 1],
    "n_env_industrial_transition": [1, 0, 0],
    "n_env_climate_urban": [0, 0, 0],
    "env_per_100k": [7.5, 0.0, NA],
    "dist_km_life_science": [(20000 * 8 + 10000 * 10 + 10000 * 8) / 40000, 20.0, NA],
    "dist_km_ict": [(20000 * 8 + 10000 * 10 + 10000 * S208) / 40000, 20.0, NA],
    "dist_km_industrial_transition": [(20000 * 10 + 10000 * 8 + 10000 * 10) / 40000, 18.0, NA],
    "dist_km_climate_urban": [NA, NA, NA],
    "dist_km_any": [8.0, 18.0, NA],
    "cov_life_science": [1.0, 0.0, NA],  # rest of A is exactly 10 km away: covered
    "cov_ict": [0.75, 0.0, NA],
    "cov_industrial_transition": [1.0, 0.0, NA],  # a1 and a2 exactly at R
    "cov_climate_urban": [0.0, 0.0, NA],
    "cov_any": [1.0, 0.0, NA],
    "white_spot_life_science": [False, True, NA],
    "white_spot_ict": [False, True, NA],
    "white_spot_industrial_transition": [False, True, NA],
    "white_spot_climate_urban": [True, True, NA],
    "white_spot_any": [False, True, NA],
    "has_env_life_science": [True, False, False],
    "has_env_ict": [True, False, True],
    "has_env_industrial_transition": [True, False, False],
    "has_env_climate_urban": [False, False, False],
    "has_env_any": [True, False, True],
    # N = 5 counted (e1 e2 e3 e4 e8), N_ls = 2, N_ict = 2, N_ind = 1, N_climate = 0
    "lq_life_science": [(2 / 3) / (2 / 5), NA, 0.0],
    "lq_ict": [(1 / 3) / (2 / 5), NA, (1 / 2) / (2 / 5)],
    "lq_industrial_transition": [(1 / 3) / (1 / 5), NA, 0.0],
    "lq_climate_urban": [NA, NA, NA],
    # mean points: A (8.5,10), B = b1 (28,2), C has weight 0 so the plain mean c1 (50,10);
    # b1 is 8 km from both beta and delta: the tie goes to the lower id
    "nearest_core": ["alpha", "beta", "beta"],
    "dist_core_km": [4.0, 8.0, 22.0],
    "member_cores": ["alpha;nocoords", "beta;delta", "delta;gamma"],
    "levels_local": ["municipal;academic;private;mixed", "sub_regional",
                     "regional;sub_regional;municipal"],
    "levels_all": ["eu;national;regional;municipal;academic;private;mixed",
                   "eu;national;regional;sub_regional",
                   "eu;national;regional;sub_regional;municipal"],
}


@pytest.fixture(scope="module")
def golden():
    return golden_territory()


@pytest.fixture(scope="module")
def golden_result(golden):
    return compute_metrics(golden)


MUNICIPALITY_COLUMNS = mx.municipality_columns(TEST_REGION)
COLUMN_DTYPES = mx.column_dtypes(TEST_REGION)


def test_golden_municipality_table(golden_result):
    expected = frame(GOLDEN, COLUMN_DTYPES)
    got = golden_result.municipalities
    assert list(got.columns) == list(MUNICIPALITY_COLUMNS) == list(GOLDEN)
    assert {c: str(t) for c, t in got.dtypes.items()} == COLUMN_DTYPES
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=0)


def test_golden_exact_values_where_representable(golden_result):
    got = golden_result.municipalities.set_index("kommun_kod")
    assert got.loc[A, "dist_km_life_science"] == 8.5
    assert got.loc[A, "cov_ict"] == 0.75
    assert got.loc[A, "cov_industrial_transition"] == 1.0
    assert got.loc[A, "dist_core_km"] == 4.0


def test_golden_county_kpis(golden_result):
    k = golden_result.county.set_index("area")
    assert list(golden_result.county.columns) == list(mx.COUNTY_COLUMNS)
    assert list(k.index) == list(AREAS_AND_ANY)
    assert (k["radius_km"] == 10.0).all() and (k["population"] == 50000).all()
    assert list(k["n_env"]) == [2, 2, 1, 0, 5]
    assert list(k["cov"]) == pytest.approx([0.8, 0.6, 0.8, 0.0, 0.8], rel=1e-12)
    dist = [(340000 + 200000) / 50000, (260000 + 10000 * S208 + 200000) / 50000,
            (380000 + 180000) / 50000, NA, (320000 + 180000) / 50000]
    assert k.loc["life_science":"industrial_transition", "dist_km"].tolist() == pytest.approx(
        [d for d in dist if d is not None][:3], rel=1e-12)
    assert np.isnan(k.loc["climate_urban", "dist_km"]) and k.loc["any", "dist_km"] == 10.0
    # ict: A and C have one each; the tie goes to the lower code
    assert list(k["largest_kommun_kod"].iloc[:3]) == [A, A, A]
    assert k.loc["any", "largest_kommun"] == "Aby"
    assert pd.isna(k.loc["climate_urban", "largest_kommun_kod"])
    assert k["largest_share"].tolist()[:3] == [1.0, 0.5, 1.0]
    assert k.loc["any", "largest_share"] == 0.6
    assert k.loc["any", "herfindahl"] == pytest.approx(0.36 + 0.16, rel=1e-12)
    assert k.loc["ict", "herfindahl"] == 0.5
    assert np.isnan(k.loc["climate_urban", "herfindahl"])
    assert list(k["n_white_spots"]) == [1, 1, 1, 2, 1]
    assert list(k["white_spots"]) == [B, B, B, f"{A};{B}", B]


def test_golden_radius_curve(golden_result):
    curve = golden_result.radius_curve.set_index("radius_km")
    assert list(curve.index) == list(range(1, 51))
    assert list(curve.columns) == [f"cov_{a}" for a in AREAS_AND_ANY]
    assert curve.loc[1].tolist() == [0, 0, 0, 0, 0]
    assert curve.loc[8].tolist() == pytest.approx([0.6, 0.4, 0.2, 0, 0.8], rel=1e-12)
    assert curve.loc[10].tolist() == golden_result.county["cov"].tolist()
    assert curve.loc[18].tolist() == pytest.approx([0.8, 0.8, 1.0, 0, 1.0], rel=1e-12)
    assert curve.loc[20].tolist() == pytest.approx([1.0, 1.0, 1.0, 0, 1.0], rel=1e-12)
    assert (curve.diff().dropna() >= 0).all().all()


def test_golden_services(golden_result):
    s = golden_result.services.set_index("kommun_kod")
    assert list(golden_result.services.columns) == list(mx.SERVICE_COLUMNS)
    expected_a = {"incubation": 1.0, "acceleration": 0.0, "testbed_access": 1.0,
                  "lab_access": 1.0, "financing": 0.0, "advisory": 0.75, "matchmaking": 0.0,
                  "coworking": 0.0, "education": 0.0, "internationalisation": 0.0}
    assert {k: s.loc[A, f"cov_{k}"] for k in expected_a} == expected_a
    assert (s.loc[B].drop("kommun") == 0).all()
    assert s.loc[C].drop("kommun").isna().all()

    lv = golden_result.service_levels.set_index("service")
    assert list(golden_result.service_levels.columns) == list(mx.SERVICE_LEVEL_COLUMNS)
    assert lv.loc["incubation", ["academic", "mixed", "n_env"]].tolist() == [1, 1, 2]
    assert lv.loc["lab_access", ["private", "mixed", "n_env"]].tolist() == [1, 1, 2]
    assert lv.loc["matchmaking", ["regional", "n_env"]].tolist() == [1, 1]
    assert lv.loc["coworking", "n_env"] == 0  # e6 is planned
    assert lv.drop(columns=["n_env", "cov_county"]).sum().sum() == 7
    assert lv["cov_county"].tolist() == pytest.approx(
        [0.8, 0, 0.8, 0.8, 0, 0.6, 0, 0, 0, 0], rel=1e-12)


def test_golden_cores(golden_result, golden):
    cores = golden_result.cores
    assert list(cores.columns) == list(mx.core_columns(TEST_REGION))
    assert list(cores["core_id"]) == ["alpha", "beta", "delta"]  # central first, then by id
    assert list(cores["catchment_population"]) == [40000.0, 10000.0, 0.0]
    assert list(cores["catchment_share"]) == [0.8, 0.2, 0.0]
    assert list(cores["catchment_points"]) == [3, 2, 0]
    assert list(cores["catchment_kommun_koder"]) == [A, f"{B};{C}", ""]
    assert list(cores["n_env"]) == [2, 0, 0]  # e1 at 6.0 km, e4 at 8.5 km from alpha
    assert cores.loc[0, ["n_env_life_science", "n_env_ict", "n_env_industrial_transition",
                         "n_env_climate_urban"]].tolist() == [2, 1, 0, 0]
    pts = catchment_points(golden).set_index("point_id")
    assert pts.loc["b1", "core_id"] == "beta" and pts.loc["b1", "dist_core_km"] == 8.0
    assert pts.loc["c1", "core_id"] == "beta"


def test_golden_priorities(golden_result):
    p = golden_result.priorities
    assert list(p.columns) == list(mx.PRIORITY_COLUMNS)
    assert len(p) == 12
    assert list(p["kommun_kod"]) == [A] * 4 + [B] * 4 + [C] * 4
    a = p[p["kommun_kod"] == A].set_index("area")
    assert a.loc["life_science", "niche"]  # LQ 5/3 on 2 environments
    assert not a.loc["industrial_transition", "niche"]  # LQ 5/3 but only 1 environment
    assert a["lq"].tolist()[:3] == pytest.approx([5 / 3, 5 / 6, 5 / 3], rel=1e-12)
    assert list(a["gap"]) == [False, False, False, True]  # 40,000 people, no climate env
    assert list(a["n_env_area"]) == [2, 1, 1, 0] and (a["n_env"] == 3).all()
    assert not p.loc[p["kommun_kod"] == B, "gap"].any()  # B has only 10,000 people
    c = p[p["kommun_kod"] == C].set_index("area")
    assert c.loc["ict", "lq"] == 1.25 and not c.loc["ict", "niche"]
    assert list(p["population"].iloc[[0, 4, 8]]) == [40000, 10000, 0]


def test_problems_reported(golden_result):
    found = {(p.record_id, p.field) for p in golden_result.problems}
    assert ("e7", "lat/lon") in found  # an active environment without coordinates
    assert ("nocoords", "lat/lon") in found  # a candidate core without coordinates
    assert len(golden_result.problems) == 2


def test_parameters(golden):
    planned = municipality_metrics(golden, MetricParams(include_planned=True)).set_index(
        "kommun_kod")
    assert planned.loc[B, "n_env"] == 1 and planned.loc[B, "n_env_coworking_hub"] == 1
    assert planned.loc[B, "has_env_climate_urban"]
    assert planned.loc[B, "levels_local"] == "sub_regional;municipal"
    only = municipality_metrics(golden, MetricParams(env_types=["testbed"])).set_index("kommun_kod")
    assert only["n_env"].tolist() == [1, 0, 0]
    assert only.loc[A, "dist_km_any"] == 9.5 and np.isnan(only.loc[A, "dist_km_ict"])
    assert only.loc[A, "cov_ict"] == 0.0
    wide = municipality_metrics(golden, MetricParams(radius_km=20)).set_index("kommun_kod")
    assert wide.loc[B, "cov_any"] == 1.0 and not wide.loc[B, "white_spot_any"]
    strategic = municipality_metrics(
        golden, MetricParams(core_classes=["strategic_location"])).set_index("kommun_kod")
    assert strategic.loc[C, "nearest_core"] == "gamma" and strategic.loc[C, "dist_core_km"] == 0
    assert list(strategic.reset_index().columns) == list(MUNICIPALITY_COLUMNS)


@pytest.mark.parametrize("kwargs, message", [
    ({"radius_km": 0}, "radius_km"),
    ({"radius_km": -3}, "radius_km"),
    ({"radius_km": float("nan")}, "radius_km"),
    ({"radius_km": float("inf")}, "radius_km"),
    ({"radius_km": True}, "radius_km"),
    ({"radius_km": "10"}, "radius_km"),
    ({"env_types": ["spaceport"]}, "spaceport"),
    ({"env_types": []}, "at least one"),
    ({"core_classes": []}, "at least one"),
    ({"include_planned": "yes"}, "include_planned"),
])
def test_parameters_validated(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        MetricParams(**kwargs)


def test_core_classes_are_checked_against_the_region(golden):
    params = MetricParams(core_classes=["capital", "outer_core"])
    with pytest.raises(ParameterError, match="capital"):
        params.cores_for(TEST_REGION)
    with pytest.raises(ParameterError, match="capital"):
        municipality_metrics(golden, params)
    assert MetricParams().cores_for(TEST_REGION) == TEST_REGION.nearest_core_classes
    assert MetricParams(core_classes=["outer_core", "central_core"]).cores_for(TEST_REGION) == (
        "central_core", "outer_core")  # the region's order


def test_parameters_normalised():
    p = MetricParams(radius_km=5, env_types=("testbed", "incubator", "testbed"))
    assert p.radius_km == 5.0 and isinstance(p.radius_km, float)
    assert p.types == ("incubator", "testbed") and p.radius_m == 5000.0
    assert MetricParams().types == mx.TYPE_IDS and MetricParams().statuses == ("active",)
    assert MetricParams(include_planned=True).statuses == ("active", "planned")
    assert hash(p) == hash(MetricParams(radius_km=5.0, env_types=("incubator", "testbed")))


def test_environment_with_a_code_outside_the_county(golden):
    """It counts in distances and county totals, in no municipality's row, and is reported."""
    extra = point_layer([environment("far", "0999", 28, 4, areas="ict")], "environments")
    t = golden.replace(environments=pd.concat([golden.environments, extra], ignore_index=True))
    r = compute_metrics(t)
    table = r.municipalities.set_index("kommun_kod")
    assert table["n_env"].sum() == 5
    assert table.loc[B, "dist_km_ict"] == 2.0 and table.loc[B, "cov_ict"] == 1.0
    assert r.county.set_index("area").loc["any", "n_env"] == 6
    assert ("far", "kommun_kod") in {(p.record_id, p.field) for p in r.problems}


def test_no_environments_at_all_keeps_every_column(golden):
    empty = golden.replace(environments=golden.environments.iloc[0:0])
    table = municipality_metrics(empty)
    assert list(table.columns) == list(MUNICIPALITY_COLUMNS)
    assert (table["n_env"] == 0).all() and table["dist_km_any"].isna().all()
    assert table.loc[table["kommun_kod"] != C, "cov_any"].tolist() == [0.0, 0.0]
    assert table["lq_ict"].isna().all()
    k = county_kpis(empty)
    assert (k["cov"] == 0).all() and k["dist_km"].isna().all()


def test_a_finer_population_layer_drops_in(golden):
    """Metrics take any weighted point layer: passing the model's own points changes nothing,
    and a different layer changes the numbers."""
    model = population_model(golden).points
    same = municipality_metrics(golden, population=model[["kommun_kod", "weight", "geometry"]])
    pd.testing.assert_frame_equal(same, municipality_metrics(golden))
    moved = model.copy()
    moved.loc[moved["point_id"] == "b1", "geometry"] = moved.loc[
        moved["point_id"] == "a2", "geometry"].values
    other = municipality_metrics(golden, population=moved).set_index("kommun_kod")
    assert other.loc[B, "dist_km_any"] == 8.0
    with pytest.raises(ParameterError, match="weight"):
        municipality_metrics(golden, population=model.drop(columns="weight"))


# ---------------------------------------------------------------------------------------------
# properties

AREA_LISTS = st.lists(st.sampled_from(["life_science", "ict", "industrial_transition",
                                       "climate_urban"]), max_size=3, unique=True)
TYPES = st.sampled_from(list(mx.TYPE_IDS))
LEVELS = st.sampled_from(["eu", "regional", "municipal", "academic", "private", "mixed"])
CODES = [A, B, C]


@st.composite
def env_rows(draw, prefix="e", max_size=8):
    rows = []
    for i in range(draw(st.integers(0, max_size))):
        rows.append(environment(
            f"{prefix}{i}", draw(st.sampled_from(CODES)), draw(st.floats(-5, 65)),
            draw(st.floats(-5, 25)), areas=";".join(draw(AREA_LISTS)), env_type=draw(TYPES),
            level=draw(LEVELS), services=draw(st.sampled_from(["", "incubation",
                                                               "advisory;financing"])),
            status=draw(st.sampled_from(["active", "active", "planned", "closed"]))))
    return rows


@st.composite
def territories(draw):
    munis = [{"kommun_kod": c, "kommun": f"M{c}",
              "population": draw(st.one_of(st.none(), st.integers(0, 90000))),
              "population_year": 2024, "geometry": square(20 * i, 0, 20)}
             for i, c in enumerate(CODES)]
    points = [population_point(f"p{i}", draw(st.sampled_from(CODES)), draw(st.floats(0, 60)),
                               draw(st.floats(0, 20)),
                               draw(st.one_of(st.none(), st.integers(0, 40000))))
              for i in range(draw(st.integers(0, 7)))]
    return make_territory(munis, draw(env_rows()), points)


PROPERTY_SETTINGS = settings(max_examples=30, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(territories(), env_rows(prefix="new", max_size=1).filter(lambda r: len(r) == 1),
       st.floats(0.5, 40))
def test_adding_an_environment_never_hurts(t, new, radius):
    new[0]["status"] = "active"
    params = MetricParams(radius_km=radius)
    before = municipality_metrics(t, params)
    env = pd.concat([t.environments, point_layer(new, "environments")], ignore_index=True)
    grown = t.replace(environments=env)
    after = municipality_metrics(grown, params)
    for a in AREAS_AND_ANY:
        b, c = before[f"cov_{a}"].to_numpy(), after[f"cov_{a}"].to_numpy()
        ok = ~np.isnan(b)
        assert (np.isnan(b) == np.isnan(c)).all()
        assert (c[ok] >= b[ok]).all(), a
        db = np.nan_to_num(before[f"dist_km_{a}"].to_numpy(), nan=np.inf)
        da = np.nan_to_num(after[f"dist_km_{a}"].to_numpy(), nan=np.inf)
        assert (da <= db).all(), a
    kb, ka = county_kpis(t, params), county_kpis(grown, params)
    assert (ka["cov"].to_numpy() >= kb["cov"].to_numpy()).all() or kb["cov"].isna().all()


@PROPERTY_SETTINGS
@given(territories(), st.floats(0.5, 40))
def test_shares_lie_in_unit_interval(t, radius):
    r = compute_metrics(t, MetricParams(radius_km=radius, include_planned=True))
    shares = [r.municipalities[[f"cov_{a}" for a in AREAS_AND_ANY]],
              r.services.drop(columns=["kommun_kod", "kommun"]),
              r.county[["cov", "largest_share", "herfindahl"]],
              r.radius_curve.drop(columns="radius_km"),
              r.service_levels[["cov_county"]], r.cores[["catchment_share"]]]
    for table in shares:
        values = table.to_numpy(dtype="float64")
        values = values[~np.isnan(values)]
        assert ((values >= 0) & (values <= 1)).all()
    # NA exactly where the population is 0 or missing
    pop = r.municipalities["kommun_kod"].map(
        t.municipalities.set_index("kommun_kod")["population"])
    na = pop.isna() | (pop == 0)
    assert (r.municipalities["cov_any"].isna() == na.to_numpy()).all()
    assert (r.municipalities["white_spot_any"].isna() == na.to_numpy()).all()


@PROPERTY_SETTINGS
@given(territories(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(t, rnd):
    def shuffled(frame):
        order = list(range(len(frame)))
        rnd.shuffle(order)
        return frame.iloc[order]

    params = MetricParams(radius_km=7, include_planned=True)
    base = compute_metrics(t, params)
    t2 = t.replace(**{name: shuffled(t.layer(name)) for name in
                      ("municipalities", "environments", "population_points", "urban_cores",
                       "actors")})
    again = compute_metrics(t2, params)
    for name, table in base.tables().items():
        pd.testing.assert_frame_equal(table, again.tables()[name], check_exact=True, obj=name)
    pd.testing.assert_frame_equal(base.municipalities, again.municipalities, check_exact=True)


def _reference_for(t, params):
    pts = population_model(t).points
    env = mx.counted_environments(t, params)
    points = [(k, g.x, g.y, w) for k, g, w in zip(pts["kommun_kod"], pts.geometry,
                                                   pts["weight"], strict=True)]
    envs = [(g.x, g.y, frozenset(a.split(";")) - {""})
            for g, a in zip(env.geometry, env["priority_areas"], strict=True)]
    muni = t.municipalities.sort_values("kommun_kod")
    pops = [None if pd.isna(p) else float(p) for p in muni["population"]]
    return reference_distance_metrics(list(muni["kommun_kod"]), pops, points, envs,
                                      params.radius_km)


@PROPERTY_SETTINGS
@given(territories(), st.floats(0.5, 40))
def test_fast_path_equals_nested_loop_reference(t, radius):
    params = MetricParams(radius_km=radius)
    fast = municipality_metrics(t, params).set_index("kommun_kod")
    ref = _reference_for(t, params)
    for code, row in ref.items():
        for column, value in row.items():
            got = fast.loc[code, column]
            if value is None:
                assert np.isnan(got), (code, column)
            else:
                assert abs(got - value) <= 1e-9, (code, column, got, value)


def test_fast_path_equals_reference_on_real_data(territory):
    params = MetricParams()
    fast = municipality_metrics(territory, params).set_index("kommun_kod")
    ref = _reference_for(territory, params)
    worst = max(abs(fast.loc[c, k] - v) for c, row in ref.items() for k, v in row.items()
                if v is not None)
    assert worst <= 1e-9


def test_nearest_kernels():
    import shapely
    src = shapely.points([[0, 0], [10, 0]])
    assert np.isinf(mx.nearest_distances(src, np.array([], dtype=object))).all()
    idx, dist = mx.nearest_lowest(src, shapely.points([[5, 0], [5, 0], [20, 0]]))
    assert idx.tolist() == [0, 0] and dist.tolist() == [5.0, 5.0]
    idx, dist = mx.nearest_lowest(src, np.array([], dtype=object))
    assert idx.tolist() == [-1, -1] and np.isnan(dist).all()


# ---------------------------------------------------------------------------------------------
# real data and the CLI


def test_real_table(territory):
    table = municipality_metrics(territory)
    assert len(table) == 26
    assert list(table.columns) == list(mx.municipality_columns(territory.region))
    assert list(table["kommun_kod"]) == sorted(territory.municipalities["kommun_kod"])
    assert {c: str(t) for c, t in table.dtypes.items()} == mx.column_dtypes(territory.region)
    env = territory.environments
    located = env.geometry.notna() & ~env.geometry.is_empty
    active = env[(env["status"] == "active") & located]
    assert table["n_env"].sum() == len(active)
    # the one active row without coordinates (cluster-engine-flemingsberg) is not counted
    assert set(env.loc[(env["status"] == "active") & ~located, "id"]) == {
        "cluster-engine-flemingsberg"}
    t = table.set_index("kommun_kod")
    assert t.loc["0180", "n_env"] == (active["kommun_kod"] == "0180").sum()
    assert t.loc["0180", "cov_any"] == 1.0 and t.loc["0180", "nearest_core"] == (
        "centrala-regionkarnan")
    assert "norrtalje-stad" in t.loc["0188", "member_cores"]
    for a in territory.region.areas_and_any:
        assert table[f"cov_{a}"].between(0, 1).all()
        assert table[f"dist_km_{a}"].notna().all()
    assert (t["levels_all"].str.len() >= t["levels_local"].str.len()).all()


def test_real_scenario_edit_keeps_population_cache(territory):
    edited = territory.replace(environments=territory.environments.iloc[:10])
    key = ("metrics_population", "shipped")
    municipality_metrics(territory)
    assert key in edited._cache or key in territory._cache
    table = municipality_metrics(edited)
    assert table["n_env"].sum() <= 10


runner = CliRunner()


def test_cli_writes_the_library_table(tmp_path, territory):
    out = tmp_path / "m.csv"
    tables = tmp_path / "tables"
    result = runner.invoke(app, ["metrics", "--out", str(out), "--tables", str(tables)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "coverage" in result.output
    back = read_metrics_csv(out, territory.region)
    pd.testing.assert_frame_equal(back, municipality_metrics(territory), check_exact=True)
    plain = pd.read_csv(out, dtype={"kommun_kod": str})
    assert plain["kommun_kod"].iloc[0] == "0114"
    for stem in ("county", "radius_curve", "services", "service_levels", "cores", "priorities",
                 "population"):
        assert (tables / f"{stem}.csv").stat().st_size > 0
    curve = pd.read_csv(tables / "radius_curve.csv")
    assert len(curve) == 50


def test_cli_parameters(tmp_path, territory):
    out = tmp_path / "m.csv"
    result = runner.invoke(app, ["metrics", "--out", str(out), "--radius-km", "5",
                                 "--include-planned", "--types", "testbed,incubator",
                                 "--types", "science_park", "--core-classes", "outer_core"])
    assert result.exit_code == 0, result.output
    params = MetricParams(radius_km=5, include_planned=True,
                          env_types=["testbed", "incubator", "science_park"],
                          core_classes=["outer_core"])
    pd.testing.assert_frame_equal(read_metrics_csv(out, territory.region),
                                  municipality_metrics(territory, params),
                                  check_exact=True)


@pytest.mark.parametrize("args, message", [
    (["--radius-km", "0"], "radius_km"),
    (["--types", "spaceport"], "spaceport"),
    (["--core-classes", "capital"], "capital"),
    (["--county", "99"], "unknown county"),
])
def test_cli_errors_exit_1_without_traceback(tmp_path, args, message):
    result = runner.invoke(app, ["metrics", "--out", str(tmp_path / "m.csv"), *args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "m.csv").exists()


def test_read_metrics_csv_refuses_other_tables(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(mx.SmartmapError, match="not a metrics table"):
        read_metrics_csv(path, TEST_REGION)


def test_radius_curve_custom_radii(territory):
    curve = radius_curve(territory, radii=[2.5, 10])
    assert curve["radius_km"].tolist() == [2.5, 10.0]
    assert curve["cov_any"].iloc[1] == county_kpis(territory)["cov"].iloc[-1]
    with pytest.raises(ParameterError):
        radius_curve(territory, radii=[0])


def test_a_new_metric_is_one_entry_and_one_function(monkeypatch, golden, tmp_path):
    """docs/architecture.md's worked example: a catalogue entry plus a registered function."""
    from smartmap.analysis import catalog
    from smartmap.core.i18n import Label

    entry = catalog.MetricInfo("env_per_1000km2", Label("Miljöer per 1 000 km²",
                                                        "Environments per 1,000 km²"),
                               Label("per 1 000 km²", "per 1,000 km²"), "rate", True)
    monkeypatch.setattr(catalog, "MUNICIPALITY_METRICS",
                        (*catalog.MUNICIPALITY_METRICS[:5], entry,
                         *catalog.MUNICIPALITY_METRICS[5:]))
    monkeypatch.setitem(catalog._FIXED_METRICS, entry.column, entry)

    def per_area(ctx):
        area = np.array([400.0, 400.0, 0.0])  # the golden squares are 20 km x 20 km; C has none
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(area > 0, 1000.0 * ctx.counts["n_env"] / area, np.nan)

    monkeypatch.setitem(mx._COMPUTE, entry.key, per_area)
    table = municipality_metrics(golden)
    assert list(table.columns).index("env_per_1000km2") == list(table.columns).index(
        "env_per_100k") + 1
    assert table["env_per_1000km2"].tolist()[:2] == [7.5, 0.0] and np.isnan(
        table["env_per_1000km2"].iloc[2])
    assert catalog.metric_label("env_per_1000km2", "en") == (
        "Environments per 1,000 km² [per 1,000 km²]")
    mx.write_csv(table, tmp_path / "m.csv")
    back = read_metrics_csv(tmp_path / "m.csv", golden.region)
    assert back["env_per_1000km2"].tolist()[:2] == [7.5, 0.0]


def test_a_catalogued_metric_without_a_computation_is_refused(monkeypatch, golden):
    from smartmap.analysis import catalog

    entry = catalog.MetricInfo("nothing_yet", catalog.Label("x", "x"), None, "count")
    monkeypatch.setattr(catalog, "MUNICIPALITY_METRICS", (*catalog.MUNICIPALITY_METRICS, entry))
    with pytest.raises(NotImplementedError, match="nothing_yet"):
        municipality_metrics(golden)
