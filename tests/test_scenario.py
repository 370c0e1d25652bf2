"""The scenario model: apply, files, share links and refusals (no metrics here)."""

import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartmap.analysis import scenario as S
from smartmap.core import vocab
from smartmap.core.settings import Settings
from smartmap.data import safety
from smartmap.data.region import load_region

SHIPPED = load_region(Settings().data_dir)
AREAS, AREAS_AND_ANY = SHIPPED.area_ids, SHIPPED.areas_and_any

NORRTALJE_TESTBED = S.AddEnvironment(
    name="Testbädd Norrtälje", env_type="testbed", lat=59.758, lon=18.705,
    priority_areas=("industrial_transition",), services=("testbed_access",),
    host_organisation="Norrtälje kommun", governance_level="municipal",
)


def test_apply_adds_closes_moves_retags_without_touching_baseline(territory):
    before = territory.digest()
    sc = S.Scenario("w", edits=(
        NORRTALJE_TESTBED,
        S.CloseEnvironment(id="kth-innovation"),
        S.MoveEnvironment(id="openlab", lat=59.2, lon=17.6),
        S.RetagEnvironment(id="sses", services=("education",)),
        S.ReopenEnvironment(id="swetox"),
    ))
    out = S.apply(territory, sc)
    assert territory.digest() == before
    env = out.environments.set_index("id")
    added = env.loc["scenario-1-testbadd-norrtalje"]
    assert (added["kommun_kod"], added["kommun"], added["status"]) == ("0188", "Norrtälje", "active")
    assert env.loc["kth-innovation", "status"] == "closed"
    assert env.loc["openlab", "kommun_kod"] == "0181"  # moved to Södertälje: code from geometry
    assert env.loc["sses", "services"] == "education"
    assert env.loc["swetox", "status"] == "active"
    assert list(out.environments.dtypes) == list(territory.environments.dtypes)
    assert out.environments.crs == territory.environments.crs


def test_empty_scenario_changes_nothing(territory):
    out = S.apply(territory, S.Scenario("empty"))
    assert out.digest() == territory.digest()


def test_move_keeps_named_municipality(territory):
    # a point on the Solna/Stockholm border: the edit's code wins over the generalised polygon
    sc = S.Scenario("m", edits=(S.MoveEnvironment(id="openlab", lat=59.3489, lon=18.0262,
                                                  kommun_kod="0184"),))
    env = S.apply(territory, sc).environments.set_index("id")
    assert env.loc["openlab", "kommun_kod"] == "0184"
    sc2 = S.Scenario("m", edits=(S.MoveEnvironment(id="openlab", lat=59.3489, lon=18.0262),))
    assert S.apply(territory, sc2).environments.set_index("id").loc["openlab", "kommun_kod"] == "0180"


@pytest.mark.parametrize("edit, message", [
    (S.CloseEnvironment(id="no-such-id"), "edit 1 (close 'no-such-id'): no environment has the id"),
    (S.RetagEnvironment(id="openlab", priority_areas=("space",)), "unknown priority_areas value(s) space"),
    (S.AddEnvironment(name="Gbg", env_type="testbed", lat=57.70, lon=11.97), "outside the county"),
    (S.AddEnvironment(name="x", env_type="spaceport", lat=59.3, lon=18.0), "unknown env_type 'spaceport'"),
    (S.AddEnvironment(name="x", env_type="testbed", lat=float("nan"), lon=18.0), "invalid WGS 84"),
    (S.MoveEnvironment(id="openlab", lat=59.3, lon=18.0, kommun_kod="0999"), "'0999' is not in the county"),
])
def test_bad_edits_are_refused_naming_the_edit(territory, edit, message):
    before = territory.digest()
    with pytest.raises(S.ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        S.apply(territory, S.Scenario("bad", edits=(edit,)))
    assert territory.digest() == before


def test_second_edit_is_named_in_the_error(territory):
    sc = S.Scenario("x", edits=(NORRTALJE_TESTBED, S.CloseEnvironment(id="nope")))
    with pytest.raises(S.ScenarioError) as err:
        S.apply(territory, sc)
    assert err.value.edit_index == 1 and str(err.value).startswith("edit 2 (close 'nope')")


# what a scenario may hold: no control characters, bidi controls or surrogates (core.limits and
# data.safety; test_safety.py shows the rest refused)
texts = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"),
                              exclude_characters=safety.BIDI_CONTROLS), max_size=20)
floats = st.floats(-90, 90, allow_nan=False)
term_lists = st.lists(st.sampled_from(AREAS), max_size=3).map(tuple)
edits = st.one_of(
    st.builds(S.AddEnvironment, name=texts, env_type=st.sampled_from(vocab.values(vocab.EnvType)),
              lat=floats, lon=floats, priority_areas=term_lists,
              services=st.lists(st.sampled_from(vocab.values(vocab.Service)), max_size=3).map(tuple),
              host_organisation=texts, id=st.none() | texts, kommun_kod=st.none() | texts),
    st.builds(S.MoveEnvironment, id=texts, lat=floats, lon=floats, kommun_kod=st.none() | texts),
    st.builds(S.CloseEnvironment, id=texts),
    st.builds(S.ReopenEnvironment, id=texts),
    st.builds(S.RetagEnvironment, id=texts, priority_areas=st.none() | term_lists,
              services=st.none() | st.just(("advisory",))),
)
scenarios = st.builds(
    S.Scenario,
    name=texts.filter(str.strip),
    edits=st.lists(edits, max_size=6).map(tuple),
    parameters=st.builds(S.Parameters, radius_km=st.floats(0.5, 50), include_planned=st.booleans(),
                         env_types=st.none() | st.lists(st.sampled_from(vocab.values(vocab.EnvType)),
                                                        min_size=1, max_size=3, unique=True).map(tuple)),
    author=texts, description=texts,
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios)
def test_save_load_and_share_link_round_trip(sc):
    assert S.loads(S.dumps(sc)) == sc
    assert S.from_share_token(S.to_share_token(sc)) == sc


@pytest.mark.parametrize("content, message", [
    ("{", "invalid or truncated JSON"),
    ('{"schema_version": 1, "name": "x", "edits": [{"kind": "close", "id": "a"}', "truncated JSON"),
    ("", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not a text file"),
    ('{"schema_version": 3, "name": "x"}', "schema version 3 is newer"),
    ('{"schema_version": 0, "name": "x"}', "schema version 0 is older"),
    ('{"schema_version": 1, "name": "x", "edits": [{"kind": "teleport"}]}', "edit 1: unknown edit kind 'teleport'"),
    ('{"schema_version": 1, "name": "x", "edits": [{"kind": "close"}]}', "edit 1 (close): missing field(s) id"),
    ('{"schema_version": 1, "name": "x", "edits": [{"kind": "add", "name": "a", "env_type": "testbed", "lat": "north", "lon": 1}]}', "lat must be a number"),
    ('{"schema_version": 1, "name": "x", "parameters": {"radius_km": -3}}', "radius_km must be a finite number from 0.1 to 100 km, got -3"),
    ('[1, 2]', "JSON object"),
])
def test_bad_scenario_files_are_refused(content, message):
    with pytest.raises(S.ScenarioError, match=message.replace("(", r"\(").replace(")", r"\)")):
        S.loads(content)


def test_oversized_scenario_file_is_refused():
    big = json.dumps({"schema_version": 1, "name": "x", "description": "a" * (5 * 1024 * 1024)})
    with pytest.raises(S.ScenarioError, match="larger than the 5.24288 MB|larger than"):
        S.loads(big)


def test_damaged_share_token_is_refused():
    with pytest.raises(S.ScenarioError, match="damaged"):
        S.from_share_token("not*base64")
    with pytest.raises(S.ScenarioError):
        S.from_share_token("x" * (S.MAX_SHARE_CHARS + 1))


def test_shipped_example_scenarios_load_and_apply(territory):
    from smartmap.core.settings import PROJECT_DIR

    folder = PROJECT_DIR / "geodata" / "scenarios"
    a = S.loads((folder / "norrtalje_testbed.json").read_bytes())
    b = S.loads((folder / "close_sodertalje_science_park.json").read_bytes())
    env_a = S.apply(territory, a).environments.set_index("id")
    assert env_a.loc["scenario-norrtalje-testbed", "kommun_kod"] == "0188"
    env_b = S.apply(territory, b).environments.set_index("id")
    assert env_b.loc["sodertalje-science-park", "status"] == "closed"


# --- diff against the baseline -----------------------------------------------------------------

COV = [f"cov_{a}" for a in AREAS_AND_ANY]
DIST = [f"dist_km_{a}" for a in AREAS_AND_ANY]


def test_empty_scenario_gives_zero_deltas(territory):
    d = S.diff(territory, S.Scenario("nothing"))
    assert not d.municipalities["changed"].any()
    assert not d.county["changed"].any()
    numeric = d.municipalities["delta"].dropna()
    assert (numeric == 0).all()


def test_float_noise_is_no_change_and_counts_agree_with_the_list(territory):
    """One definition of "changed" (docs/scenarios.md): beyond float noise, for the count,
    the list and the county table alike."""
    import dataclasses

    import numpy as np

    before = S.scenario_metrics(territory, None)
    mun = before.municipalities.copy()
    floats = [c for c in mun.columns if mun[c].dtype == "float64"]
    noisy = mun[floats] * (1 + 1e-13) + 1e-15  # what summing in another order does
    mun[floats] = noisy
    mun.loc[mun["kommun_kod"] == "0188", "cov_ict"] += 1e-6  # a real, if tiny, change
    d = S.compare_results(before, dataclasses.replace(before, municipalities=mun),
                          S.Scenario("noise"))
    changes = d.changes()
    assert changes[["kommun_kod", "metric"]].values.tolist() == [["0188", "cov_ict"]]
    assert d.changed_municipalities == ["0188"]
    assert bool(np.isnan(d.municipalities["delta"]).all()) is False
    real = S.diff(territory, S.Scenario("n", edits=(NORRTALJE_TESTBED,)))
    assert real.changed_municipalities == sorted(set(real.changes()["kommun_kod"]))
    assert len(real.changed_municipalities) > 2  # the LQs move everywhere the area is present


def test_norrtalje_testbed_raises_norrtalje_coverage(territory):
    sc = S.Scenario("n", edits=(NORRTALJE_TESTBED,))
    d = S.diff(territory, sc)
    row = d.wide("cov_industrial_transition").set_index("kommun_kod").loc["0188"]
    assert row["before"] == 0 and row["after"] > 0.2 and row["changed"]
    assert d.most_changed("cov_industrial_transition").iloc[0]["kommun_kod"] == "0188"
    county = d.county.set_index(["area", "metric"])
    assert county.loc[("industrial_transition", "n_env"), "delta"] == 1


def test_radius_only_scenario_changes_coverage(territory):
    sc = S.Scenario("r", parameters=S.Parameters(radius_km=15))
    d = S.diff(territory, sc)
    cov = d.municipalities[d.municipalities["metric"].isin(COV)]
    assert (cov["delta"].dropna() >= 0).all() and cov["changed"].any()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lat=st.floats(59.0, 59.9), lon=st.floats(17.5, 18.9),
       area=st.sampled_from(AREAS))
def test_adding_never_lowers_coverage(territory, lat, lon, area):
    add = S.AddEnvironment(name="x", env_type="testbed", lat=lat, lon=lon, priority_areas=(area,))
    try:
        d = S.diff(territory, S.Scenario("a", edits=(add,)))
    except S.ScenarioError:
        return  # a point in the sea far outside the county is refused, as it should be
    m = d.municipalities
    cov = m[m["metric"].isin(COV)]["delta"].dropna()
    dist = m[m["metric"].isin(DIST)]["delta"].dropna()
    assert (cov >= -1e-12).all() and (dist <= 1e-9).all()


@pytest.mark.parametrize("env_id", ["kth-innovation", "sodertalje-science-park", "campus-roslagen"])
def test_closing_never_raises_coverage(territory, env_id):
    closed = S.diff(territory, S.Scenario("c", edits=(S.CloseEnvironment(id=env_id),)))
    m = closed.municipalities
    assert (m[m["metric"].isin(COV)]["delta"].dropna() <= 1e-12).all()
    assert (m[m["metric"].isin(DIST)]["delta"].dropna() >= -1e-9).all()


# --- apply in steps, compare any two, helpers --------------------------------------------------


def test_apply_in_steps_equals_apply_at_once(territory):
    edits = (NORRTALJE_TESTBED, S.MoveEnvironment(id="scenario-1-testbadd-norrtalje", lat=59.8,
                                                  lon=18.6),
             S.CloseEnvironment(id="kth-innovation"), S.ReopenEnvironment(id="kth-innovation"),
             S.RetagEnvironment(id="scenario-1-testbadd-norrtalje", priority_areas=("ict",)))
    whole = S.apply(territory, S.Scenario("x", edits=edits))
    for k in range(len(edits) + 1):
        head = S.apply_edits(territory, edits[:k])
        assert S.apply_edits(territory, edits[k:], start=head, offset=k).digest() == whole.digest()
    env = whole.environments.set_index("id").loc["scenario-1-testbadd-norrtalje"]
    assert (env["priority_areas"], env["kommun_kod"]) == ("ict", "0188")


def test_errors_in_later_steps_keep_their_number(territory):
    head = S.apply_edits(territory, (NORRTALJE_TESTBED,))
    with pytest.raises(S.ScenarioError, match=r"^edit 2 \(close 'nope'\)"):
        S.apply_edits(territory, (S.CloseEnvironment(id="nope"),), start=head, offset=1)


def test_first_bad_edit_is_named_even_when_a_later_one_is_outside(territory):
    sc = S.Scenario("x", edits=(S.CloseEnvironment(id="nope"),
                                S.AddEnvironment(name="Gbg", env_type="testbed", lat=57.7,
                                                 lon=11.97)))
    with pytest.raises(S.ScenarioError, match=r"^edit 1 \(close 'nope'\)"):
        S.apply(territory, sc)


def test_compare_two_scenarios_measures_each_with_its_own_parameters(territory):
    a = S.Scenario("a", parameters=S.Parameters(radius_km=5))
    b = S.Scenario("b", parameters=S.Parameters(radius_km=20))
    d = S.compare(territory, a, b)
    cov = d.municipalities[d.municipalities["metric"] == "cov_any"]
    assert (cov["delta"].dropna() >= 0).all() and cov["changed"].any()
    assert d.before.params.radius_km == 5 and d.after.params.radius_km == 20
    assert d.county_value("any", "cov")[2] > 0
    with pytest.raises(KeyError):
        d.county_value("any", "nope")


def test_diff_without_radius_curve_has_the_same_deltas(territory):
    sc = S.Scenario("c", edits=(S.CloseEnvironment(id="sodertalje-science-park"),))
    fast, full = S.diff(territory, sc, radius_curve=False), S.diff(territory, sc)
    pd.testing.assert_frame_equal(fast.municipalities, full.municipalities)
    assert fast.after.radius_curve.empty and len(full.after.radius_curve) == 50


def test_file_name_and_changed_ids(territory):
    assert S.file_name(S.Scenario("<script>../../etc")) == "script-etc.json"
    out = S.apply(territory, S.Scenario("x", edits=(S.CloseEnvironment(id="openlab"),)))
    assert S.changed_ids(territory.environments, out.environments) == ["openlab"]
    assert S.changed_ids(territory.environments, territory.environments) == []
