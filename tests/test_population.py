"""The population model (DESIGN.md "Population model"): every rule, the report, the cache."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartmap.core.settings import ANALYSIS_CRS
from smartmap.data import population as pm
from smartmap.data.population import POINT_COLUMNS, REPORT_COLUMNS, population_model
from tests.synthetic import (
    X0,
    Y0,
    A,
    B,
    C,
    golden_territory,
    make_territory,
    population_point,
    settlement,
    square,
)


def _muni(code: str, x: float, population: int | None) -> dict[str, object]:
    return {"kommun_kod": code, "kommun": f"M{code}", "population": population,
            "population_year": 2024, "geometry": square(x, 0, 20)}


def test_golden_points_and_report():
    model = population_model(golden_territory())
    pts = model.points
    assert list(pts.columns) == list(POINT_COLUMNS)
    assert pts.crs.to_epsg() == 3006
    # canonical order: municipality code, then point id
    assert list(pts["point_id"]) == ["a1", "a2", f"rest-of-{A}", "b1", "c1"]
    assert list(pts["kommun_kod"]) == [A, A, A, B, C]
    assert list(pts["weight"]) == [20000.0, 10000.0, 10000.0, 10000.0, 0.0]
    assert list(pts["rule"]) == ["as_given", "as_given", "rest_point", "scaled_down",
                                 "scaled_down"]
    assert list(pts["source"]) == ["population_points", "population_points", "municipalities",
                                   "population_points", "population_points"]
    assert pts.loc[2, "name"] == "rest of Aby"
    # the rest point sits at the square's representative point, its centre
    assert (pts.geometry.x[2], pts.geometry.y[2]) == (X0 + 10000, Y0 + 10000)
    assert np.isnan(pts.loc[2, "population_given"]) and pts.loc[3, "population_given"] == 12500

    rep = model.report.set_index("kommun_kod")
    assert list(model.report.columns) == list(REPORT_COLUMNS)
    assert rep.loc[A, ["n_rows", "n_used", "n_no_coords", "n_without_population"]].tolist() == [
        2, 2, 0, 0]
    assert rep.loc[A, "given_sum"] == 30000 and rep.loc[A, "remainder"] == 10000
    assert rep.loc[A, "rest_weight"] == 10000 and np.isnan(rep.loc[A, "scale_factor"])
    assert rep.loc[A, "rules"] == "as_given;rest_point"
    assert rep.loc[B, "scale_factor"] == 0.8 and rep.loc[B, "remainder"] == 0
    assert rep.loc[B, "rules"] == "scaled_down"
    assert rep.loc[C, "scale_factor"] == 0.0 and rep.loc[C, "model_total"] == 0
    assert list(rep["model_total"]) == [40000.0, 10000.0, 0.0]
    assert list(rep["source_layer"]) == ["population_points"] * 3
    assert "scaled by 0.800000" in rep.loc[B, "note"]
    assert "rest of Aby" in rep.loc[A, "note"]
    assert model.problems == ()


def test_every_rule():
    munis = [_muni("0201", 0, 1000), _muni("0202", 20, 900), _muni("0203", 40, 500),
             _muni("0204", 60, None), _muni("0205", 80, 300), _muni("0206", 100, 700)]
    points = [
        # 0201: one point with 400, two without population: remainder 600 shared 300/300
        population_point("p1", "0201", 2, 2, 400),
        population_point("p2", "0201", 4, 4, None),
        population_point("p3", "0201", 6, 6, None),
        # 0202: only a point without coordinates: skipped, fallback to settlements
        population_point("p4", "0202", None, None, 800),
        # 0204: population missing: its points keep weight 0
        population_point("p5", "0204", 62, 5, 100),
        # 0206: K = 700 = P, a point without population gets 0
        population_point("p6", "0206", 102, 5, 700),
        population_point("p7", "0206", 104, 5, None),
        # a code that is not in the territory
        population_point("p8", "0999", 5, 5, 50),
    ]
    settlements = [
        settlement("s1", "0202", 22, 5, 300),
        settlement("s2", "0202", 24, 5, None),
        settlement("s3", "0203", 42, 5, 200),  # 0203 has no population point: used
        settlement("s4", "0201", 3, 3, 999),   # not used: 0201 has population points
    ]
    t = make_territory(munis, population_points=points, settlements=settlements)
    model = population_model(t)
    w = model.points.set_index("point_id")
    assert w.loc["p1", "weight"] == 400 and w.loc["p1", "rule"] == "as_given"
    assert w.loc["p2", "weight"] == 300 and w.loc["p3", "weight"] == 300
    assert w.loc["p2", "rule"] == "remainder_shared"
    assert "s4" not in w.index and "p4" not in w.index
    assert w.loc["s1", "weight"] == 300 and w.loc["s2", "weight"] == 600
    assert w.loc["s1", "source"] == "settlements"
    # 0203 has no population point: its settlement is used, remainder 300 to a rest point
    assert w.loc["s3", "weight"] == 200 and w.loc["rest-of-0203", "weight"] == 300
    assert w.loc["p5", "weight"] == 0 and w.loc["p5", "rule"] == "no_population"
    # 0205 has no point at all: everything at the representative point
    assert w.loc["all-of-0205", "weight"] == 300
    assert w.loc["all-of-0205", "rule"] == "no_usable_point"
    assert w.loc["all-of-0205", "name"] == "all of M0205"
    assert (w.loc["all-of-0205"].geometry.x, w.loc["all-of-0205"].geometry.y) == (
        X0 + 90000, Y0 + 10000)
    assert w.loc["p6", "weight"] == 700 and w.loc["p7", "weight"] == 0
    assert "p8" not in w.index

    rep = model.report.set_index("kommun_kod")
    assert rep.loc["0201", "rules"] == "as_given;remainder_shared"
    assert rep.loc["0202", "source_layer"] == "population_points;settlements"
    assert rep.loc["0202", "n_no_coords"] == 1 and rep.loc["0202", "n_rows"] == 3
    assert rep.loc["0203", "source_layer"] == "settlements"
    assert rep.loc["0203", "rules"] == "as_given;rest_point"
    assert rep.loc["0204", "rules"] == "no_population"
    assert "missing" in rep.loc["0204", "note"]
    assert rep.loc["0205", "source_layer"] == "none" and rep.loc["0205", "n_used"] == 0
    assert rep.loc["0205", "rules"] == "no_usable_point"
    assert rep.loc["0206", "rules"] == "as_given;remainder_shared"
    # the county total is the sum of the known municipal populations
    assert model.points["weight"].sum() == pytest.approx(1000 + 900 + 500 + 300 + 700, abs=0.5)

    found = {(p.source, p.record_id, p.field) for p in model.problems}
    assert found == {("population_points.csv", "p4", "lat/lon"),
                     ("population_points.csv", "p8", "kommun_kod")}
    row = next(p.row for p in model.problems if p.record_id == "p4")
    assert row == 5  # the fourth data row of the file


def test_every_municipality_has_a_point_and_weights_are_finite(territory):
    model = population_model(territory)
    assert set(model.points["kommun_kod"]) == set(territory.municipalities["kommun_kod"])
    assert np.isfinite(model.points["weight"]).all() and (model.points["weight"] >= 0).all()


def test_real_total_preserved_and_report(territory):
    model = population_model(territory)
    total = territory.municipalities["population"].sum()
    assert abs(model.points["weight"].sum() - total) <= 0.5
    assert len(model.report) == 26
    assert list(model.report["kommun_kod"]) == sorted(territory.municipalities["kommun_kod"])
    by_muni = model.points.groupby("kommun_kod")["weight"].sum()
    pop = territory.municipalities.set_index("kommun_kod")["population"]
    assert (abs(by_muni - pop.astype(float)) <= 0.5).all()
    rep = model.report.set_index("kommun_kod")
    # Stockholm's districts are from 2011: the growth since sits at "rest of Stockholm"
    assert rep.loc["0180", "rest_weight"] == 995574 - 864324
    assert rep.loc["0123", "rules"] == "as_given"
    assert (model.points["rule"].isin(["as_given", "rest_point"])).all()


def test_cached_on_territory_and_kept_by_environment_edits(monkeypatch):
    t = golden_territory()
    calls = []
    real = pm.shipped_points

    def counting(territory):
        calls.append(1)
        return real(territory)

    monkeypatch.setattr(pm, "shipped_points", counting)
    first = population_model(t)
    population_model(t)
    assert len(calls) == 1
    edited = t.replace(environments=t.environments.head(2))
    again = population_model(edited)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(pd.DataFrame(first.points), pd.DataFrame(again.points))
    population_model(t.replace(population_points=t.population_points.head(1)))
    assert len(calls) == 2
    # callers cannot change the cached model
    got = population_model(t).points
    got.loc[0, "weight"] = -1
    assert population_model(t).points.loc[0, "weight"] == 20000


def test_pluggable_source():
    """A finer layer (here a made-up 2-cell grid for A) drops in as another source."""
    t = golden_territory()

    def grid(territory):
        return gpd.GeoDataFrame(
            {"point_id": ["g1", "g2"], "name": ["cell 1", "cell 2"], "kommun_kod": [A, A],
             "population": [25000.0, 15000.0], "population_year": pd.array([2024, 2024],
                                                                            dtype="Int64"),
             "source": "grid", "source_row": pd.array([None, None], dtype="Int64")},
            geometry=gpd.points_from_xy([X0 + 5000, X0 + 15000], [Y0 + 5000, Y0 + 5000]),
            crs=ANALYSIS_CRS,
        )

    model = population_model(t, grid)
    w = model.points.set_index("point_id")["weight"]
    assert w["g1"] == 25000 and w["g2"] == 15000
    # B has no cell: all of its population at its representative point; C has P = 0
    assert w[f"all-of-{B}"] == 10000 and w[f"all-of-{C}"] == 0
    assert model.report.set_index("kommun_kod").loc[A, "source_layer"] == "grid"


populations = st.one_of(st.none(), st.integers(0, 50_000))


@st.composite
def random_territories(draw):
    n = draw(st.integers(1, 4))
    codes = [f"03{i:02d}" for i in range(n)]
    munis = [_muni(c, 20 * i, draw(populations)) for i, c in enumerate(codes)]
    points = []
    for j in range(draw(st.integers(0, 10))):
        code = draw(st.sampled_from(codes))
        located = draw(st.booleans()) or draw(st.booleans())
        x = draw(st.floats(0, 100)) if located else None
        points.append(population_point(f"p{j}", code, x, 5 if located else None,
                                       draw(populations)))
    setts = []
    for j in range(draw(st.integers(0, 4))):
        setts.append(settlement(f"s{j}", draw(st.sampled_from(codes)), draw(st.floats(0, 100)),
                                7, draw(populations)))
    return make_territory(munis, population_points=points, settlements=setts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_territories(), st.randoms(use_true_random=False))
def test_total_preserved_and_row_order_irrelevant(t, rnd):
    model = population_model(t)
    pop = t.municipalities["population"]
    expected = float(pop.dropna().sum())
    assert abs(model.points["weight"].sum() - expected) <= 0.5
    assert (model.points["weight"] >= 0).all()
    assert np.isfinite(model.points["weight"]).all()
    for code, p in zip(t.municipalities["kommun_kod"], pop, strict=True):
        mine = model.points.loc[model.points["kommun_kod"] == code, "weight"].sum()
        assert len(model.points[model.points["kommun_kod"] == code]) >= 1
        assert math.isclose(mine, 0 if pd.isna(p) else p, abs_tol=1e-6)

    def shuffled(frame):
        order = list(range(len(frame)))
        rnd.shuffle(order)
        return frame.iloc[order]

    t2 = t.replace(population_points=shuffled(t.population_points),
                   settlements=shuffled(t.settlements),
                   municipalities=shuffled(t.municipalities))
    again = population_model(t2)
    pd.testing.assert_frame_equal(pd.DataFrame(model.points), pd.DataFrame(again.points),
                                  check_exact=True)
    pd.testing.assert_frame_equal(model.report, again.report, check_exact=True)
