"""The workshop's incremental metrics equal a full recompute exactly, after any edit sequence.

Random sequences of edits (add, move, close, reopen, retag, in any order and on environments
added earlier) are played one step at a time, with jumps back to earlier states (undo) and to
other parameters; after every step the live tables must equal ``compute_metrics`` on the applied
territory with ``==`` (``check_exact``), on the shipped population and on a dense random one.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartmap.analysis import scenario as S
from smartmap.analysis.live import LiveMetrics
from smartmap.analysis.metrics import MetricParams, compute_metrics
from smartmap.analysis.workshop import Evaluator
from smartmap.core.settings import ANALYSIS_CRS


@pytest.fixture(scope="module")
def dense(territory) -> gpd.GeoDataFrame:
    """2,000 weighted points spread over the county (a made-up test load, not data)."""
    rng = np.random.default_rng(15)
    muni = territory.municipalities.sort_values("kommun_kod")
    rep = muni.geometry.representative_point()
    which = rng.integers(0, len(muni), 2000)
    xy = np.column_stack([rep.x.to_numpy()[which], rep.y.to_numpy()[which]])
    xy = xy + rng.normal(0, 8000, xy.shape)
    return gpd.GeoDataFrame({"kommun_kod": muni["kommun_kod"].to_numpy()[which],
                             "weight": rng.integers(1, 500, len(xy)).astype(float)},
                            geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=ANALYSIS_CRS)


def assert_same(live: LiveMetrics, territory, params, population=None) -> None:
    got = live.result(params)
    want = compute_metrics(territory, params, population=population, radii=())
    pd.testing.assert_frame_equal(got.municipalities, want.municipalities, check_exact=True)
    pd.testing.assert_frame_equal(got.county, want.county, check_exact=True)
    assert got.priorities.empty and got.radius_curve.empty  # computed when shown


IDS = ["kth-innovation", "sodertalje-science-park", "openlab", "sses", "swetox",
       "campus-roslagen", "sting"]


@st.composite
def edit_sequences(draw, areas: tuple[str, ...]):
    n = draw(st.integers(1, 8))
    edits: list[S.Edit] = []
    added: list[str] = []
    point = st.tuples(st.floats(59.0, 59.9), st.floats(17.6, 18.9))
    for i in range(n):
        kind = draw(st.sampled_from(["add", "move", "close", "reopen", "retag"]))
        ident = draw(st.sampled_from(IDS + added))
        if kind == "add":
            lat, lon = draw(point)
            tags = tuple(draw(st.lists(st.sampled_from(areas), max_size=2, unique=True)))
            edits.append(S.AddEnvironment(name=f"n{i}", env_type="testbed", lat=lat, lon=lon,
                                          priority_areas=tags,
                                          status=draw(st.sampled_from(["active", "planned"]))))
            added.append(f"scenario-{i + 1}-n{i}")
        elif kind == "move":
            lat, lon = draw(point)
            edits.append(S.MoveEnvironment(id=ident, lat=lat, lon=lon))
        elif kind == "close":
            edits.append(S.CloseEnvironment(id=ident))
        elif kind == "reopen":
            edits.append(S.ReopenEnvironment(id=ident))
        else:
            tags = tuple(draw(st.lists(st.sampled_from(areas), max_size=3, unique=True)))
            edits.append(S.RetagEnvironment(id=ident, priority_areas=tags))
    jumps = draw(st.lists(st.integers(0, n), max_size=3))
    return tuple(edits), jumps


def _play(territory, population, data, params) -> None:
    edits, jumps = data
    live = LiveMetrics(territory, params, population)
    for k in [*range(1, len(edits) + 1), *jumps]:  # each edit, then undo/redo jumps
        try:
            applied = S.apply_edits(territory, edits[:k])
        except S.ScenarioError:
            return  # a point far outside the county: refused, as the workshop does
        live.move_to(edits[:k], applied)
        assert_same(live, applied, params, population)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edit_sequences_equal_a_full_recompute(territory, data):
    seq = data.draw(edit_sequences(territory.region.area_ids))
    _play(territory, None, seq, MetricParams())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_edit_sequences_equal_a_full_recompute_on_dense_points(territory, dense, data):
    seq = data.draw(edit_sequences(territory.region.area_ids))
    radius = data.draw(st.sampled_from([3.0, 10.0, 25.0]))
    planned = data.draw(st.booleans())
    _play(territory, dense, seq, MetricParams(radius_km=radius, include_planned=planned))


def test_a_new_radius_costs_no_distance_and_stays_exact(territory):
    live = LiveMetrics(territory)
    sc = (S.CloseEnvironment(id="kth-innovation"),)
    applied = S.apply_edits(territory, sc)
    live.move_to(sc, applied)
    before = live.dist.copy()
    for r in (1.0, 7.5, 50.0):
        assert_same(live, applied, MetricParams(radius_km=r))
    assert np.array_equal(before, live.dist)
    with pytest.raises(ValueError, match="other statuses"):
        live.result(MetricParams(include_planned=True))


def test_sessions_share_the_baseline_and_never_change_it(territory):
    digest = territory.digest()
    one, two = LiveMetrics(territory), LiveMetrics(territory)
    assert one.dist is two.dist  # shared until a session edits
    sc = (S.CloseEnvironment(id="sting"),)
    one.move_to(sc, S.apply_edits(territory, sc))
    assert one.dist is not two.dist and one.dist.flags.writeable and not two.dist.flags.writeable
    assert_same(two, territory, MetricParams())
    assert territory.digest() == digest


def test_the_evaluator_measures_with_live_metrics_exactly(territory):
    ev = Evaluator(territory)
    sc = S.Scenario("x", edits=(S.CloseEnvironment(id="kth-innovation"),),
                    parameters=MetricParams(radius_km=12))
    got = ev.metrics(sc)
    assert not got.complete
    want = compute_metrics(S.apply(territory, sc), sc.parameters)
    pd.testing.assert_frame_equal(got.municipalities, want.municipalities, check_exact=True)
    full = ev.full(sc)
    assert full.complete and len(full.radius_curve) == 50 and not full.services.empty
