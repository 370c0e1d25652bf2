"""The workshop session model (no Streamlit): named scenarios, undo/redo, the evaluator, tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from smartmap.analysis import catalog
from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.metrics import cached_metrics, compute_metrics
from smartmap.analysis.params import MetricParams
from smartmap.core import vocab

TESTBED = S.AddEnvironment(name="Testbädd Norrtälje", env_type="testbed", lat=59.80, lon=18.60,
                           priority_areas=("industrial_transition",),
                           services=("testbed_access",), governance_level="municipal")
CLOSE_KTH = S.CloseEnvironment(id="kth-innovation")
CLOSE_SSP = S.CloseEnvironment(id="sodertalje-science-park")
MOVE_OPENLAB = S.MoveEnvironment(id="openlab", lat=59.2, lon=17.6)
RETAG_SSES = S.RetagEnvironment(id="sses", services=("education",))
REOPEN_SWETOX = S.ReopenEnvironment(id="swetox")
VALID_EDITS = [TESTBED, CLOSE_KTH, CLOSE_SSP, MOVE_OPENLAB, RETAG_SSES, REOPEN_SWETOX,
               S.AddEnvironment(name="Inkubator Nynäshamn", env_type="incubator", lat=58.905,
                                lon=17.94, priority_areas=("ict",)),
               S.MoveEnvironment(id="kth-innovation", lat=59.62, lon=17.85)]


# --- the session model -----------------------------------------------------------------------


def test_edit_undo_redo_and_redo_cleared_by_a_new_change():
    ws = W.Workshop.start("A")
    assert not ws.can_undo and not ws.can_redo
    ws = ws.add_edit(TESTBED).add_edit(CLOSE_KTH)
    assert ws.scenario.edits == (TESTBED, CLOSE_KTH) and ws.can_undo
    back = ws.undo()
    assert back.scenario.edits == (TESTBED,) and back.can_redo
    assert back.redo().scenario.edits == (TESTBED, CLOSE_KTH)
    branched = back.add_edit(CLOSE_SSP)
    assert branched.scenario.edits == (TESTBED, CLOSE_SSP) and not branched.can_redo
    assert back.undo().undo().scenario.edits == ()  # undo past the start is a no-op
    fresh = W.Workshop.start("A")
    assert fresh.undo() is fresh and fresh.redo() is fresh


def test_no_op_changes_are_not_recorded():
    ws = W.Workshop.start("A")
    assert ws.set_parameters(MetricParams()) is ws
    assert ws.rename("A") is ws
    assert ws.change(ws.scenario) is ws
    assert ws.describe(author="", description="") is ws
    ws2 = ws.set_parameters(MetricParams(radius_km=15))
    assert ws2.scenario.parameters.radius_km == 15 and ws2.undo().scenario.parameters.radius_km == 10


def test_history_is_bounded():
    ws = W.Workshop.start("A")
    for i in range(W.MAX_HISTORY + 20):
        ws = ws.set_parameters(MetricParams(radius_km=1 + i % 40 + (i // 40) / 100))
    assert len(ws.drafts[0].undo) == W.MAX_HISTORY


def test_several_scenarios_each_with_its_own_history():
    ws = W.Workshop.start("A").add_edit(TESTBED)
    ws = ws.new("B").add_edit(CLOSE_KTH).add_edit(CLOSE_SSP)
    assert ws.names == ("A", "B") and ws.scenario.name == "B"
    ws = ws.select("A").undo()  # undo in A leaves B alone
    assert ws.get("A").edits == () and ws.get("B").edits == (CLOSE_KTH, CLOSE_SSP)
    ws = ws.select("B").undo()
    assert ws.get("B").edits == (CLOSE_KTH,) and ws.get("A").edits == ()
    ws = ws.duplicate()
    assert ws.scenario.name == "B (2)" and ws.scenario.edits == (CLOSE_KTH,)
    assert not ws.can_undo  # a copy starts without history
    ws = ws.delete("B (2)", "fallback")
    assert ws.names == ("A", "B") and ws.scenario.name == "B"
    ws = ws.delete("A", "fallback").delete("B", "fallback")
    assert ws.names == ("fallback",) and ws.scenario.edits == ()


def test_names_stay_unique_and_clean():
    ws = W.Workshop.start("  Scenario   1 ")
    assert ws.scenario.name == "Scenario 1"
    ws = ws.new("Scenario 1").new("Scenario 1")
    assert ws.names == ("Scenario 1", "Scenario 1 (2)", "Scenario 1 (3)")
    with pytest.raises(W.WorkshopError, match="already exists"):
        ws.rename("Scenario 1")
    with pytest.raises(W.WorkshopError, match="needs a name"):
        ws.rename(" \x00\t ")
    with pytest.raises(W.WorkshopError, match="no scenario called"):
        ws.select("nope")
    assert ws.rename("Ny\x07 namn").scenario.name == "Ny namn"


def test_added_scenario_replaces_a_pristine_one_and_is_renamed_on_clash():
    loaded = S.Scenario("Testbädd", edits=(TESTBED,))
    ws = W.Workshop.start("Scenario 1")
    assert ws.pristine
    one = ws.add(loaded)
    assert one.names == ("Testbädd",) and one.scenario == loaded
    two = one.add(loaded)
    assert two.names == ("Testbädd", "Testbädd (2)") and two.scenario.edits == (TESTBED,)


def test_remove_edit_is_undoable():
    ws = W.Workshop.start("A").add_edit(TESTBED).add_edit(CLOSE_KTH).add_edit(CLOSE_SSP)
    cut = ws.remove_edit(1)
    assert cut.scenario.edits == (TESTBED, CLOSE_SSP)
    assert cut.undo().scenario.edits == (TESTBED, CLOSE_KTH, CLOSE_SSP)
    with pytest.raises(W.WorkshopError):
        ws.remove_edit(3)


edit_choice = st.sampled_from(VALID_EDITS)
radius_choice = st.sampled_from([5.0, 10.0, 15.0, 25.0])


class WorkshopMachine(RuleBasedStateMachine):
    """Random sessions against a plain reference: per scenario a list of states and a cursor."""

    def __init__(self):
        super().__init__()
        self.ws = W.Workshop.start("S0")
        self.model: dict[str, tuple[list[tuple], int]] = {"S0": ([((), MetricParams())], 0)}
        self.active = "S0"

    def _current(self) -> tuple:
        states, i = self.model[self.active]
        return states[i]

    def _record(self, state: tuple) -> None:
        states, i = self.model[self.active]
        if state != states[i]:
            self.model[self.active] = ([*states[: i + 1], state], i + 1)

    @rule(edit=edit_choice)
    def edit(self, edit):
        self.ws = self.ws.add_edit(edit)
        edits, params = self._current()
        self._record(((*edits, edit), params))

    @rule(radius=radius_choice)
    def radius(self, radius):
        self.ws = self.ws.set_parameters(MetricParams(radius_km=radius))
        edits, _ = self._current()
        self._record((edits, MetricParams(radius_km=radius)))

    @precondition(lambda self: len(self._current()[0]) > 0)
    @rule(data=st.data())
    def remove(self, data):
        edits, params = self._current()
        k = data.draw(st.integers(0, len(edits) - 1))
        self.ws = self.ws.remove_edit(k)
        self._record((edits[:k] + edits[k + 1:], params))

    @rule()
    def undo(self):
        self.ws = self.ws.undo()
        states, i = self.model[self.active]
        self.model[self.active] = (states, max(0, i - 1))

    @rule()
    def redo(self):
        self.ws = self.ws.redo()
        states, i = self.model[self.active]
        self.model[self.active] = (states, min(len(states) - 1, i + 1))

    @precondition(lambda self: len(self.model) < 5)
    @rule()
    def new(self):
        name = f"S{len(self.model)}"
        self.ws = self.ws.new(name)
        self.model[name] = ([((), MetricParams())], 0)
        self.active = name

    @rule(data=st.data())
    def select(self, data):
        name = data.draw(st.sampled_from(sorted(self.model)))
        self.ws = self.ws.select(name)
        self.active = name

    @invariant()
    def matches_model(self):
        assert self.ws.scenario.name == self.active
        assert set(self.ws.names) == set(self.model)
        for name, (states, i) in self.model.items():
            sc = self.ws.get(name)
            assert (sc.edits, sc.parameters) == states[i]
        states, i = self.model[self.active]
        assert self.ws.can_undo == (i > 0)
        assert self.ws.can_redo == (i < len(states) - 1)


TestWorkshopMachine = WorkshopMachine.TestCase
TestWorkshopMachine.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)


# --- the evaluator ---------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VALID_EDITS), max_size=6))
def test_incremental_apply_equals_full_apply(territory, edits):
    ev = W.Evaluator(territory)
    sc = S.Scenario("x")
    for edit in edits:  # the workshop's path: one edit at a time on the cached prefix
        sc = sc.with_edit(edit)
        try:
            ev.territory(sc)
        except S.ScenarioError:
            sc = S.Scenario("x", edits=sc.edits[:-1])  # refused: the session keeps the old one
    full = S.apply(territory, sc)
    assert ev.territory(sc).digest() == full.digest()
    assert W.Evaluator(territory).territory(sc).digest() == full.digest()


def test_evaluator_refuses_bad_edits_naming_them_and_keeps_the_baseline(territory):
    before = territory.digest()
    ev = W.Evaluator(territory)
    good = S.Scenario("x", edits=(TESTBED,))
    ev.territory(good)
    with pytest.raises(S.ScenarioError, match=r"edit 2 \(close 'nope'\)"):
        ev.check(good.with_edit(S.CloseEnvironment(id="nope")))
    with pytest.raises(S.ScenarioError, match="outside the county"):
        ev.check(good.with_edit(S.AddEnvironment(name="Gbg", env_type="testbed", lat=57.7,
                                                 lon=11.97)))
    assert territory.digest() == before


def test_compare_with_baseline_equals_library_diff(territory):
    sc = S.Scenario("x", edits=(TESTBED, CLOSE_KTH), parameters=MetricParams(radius_km=12))
    got = W.Evaluator(territory).compare(None, sc)
    want = S.diff(territory, sc)
    pd.testing.assert_frame_equal(got.municipalities, want.municipalities)
    pd.testing.assert_frame_equal(got.county, want.county)
    assert got.after.radius_curve.empty and not want.after.radius_curve.empty


def test_compare_any_two_scenarios(territory):
    ev = W.Evaluator(territory)
    a = S.Scenario("A", edits=(CLOSE_KTH,))
    b = S.Scenario("B", edits=(TESTBED,), parameters=MetricParams(radius_km=15))
    ab, ba = ev.compare(a, b), ev.compare(b, a)
    assert ab.reference is a and ab.scenario is b
    np.testing.assert_allclose(ab.municipalities["delta"].to_numpy(),
                               -ba.municipalities["delta"].to_numpy(), equal_nan=True)
    after_a = compute_metrics(S.apply(territory, a), a.parameters).municipalities
    after_b = compute_metrics(S.apply(territory, b), b.parameters).municipalities
    w = ab.wide("cov_industrial_transition")
    np.testing.assert_allclose(w["before"].astype(float), after_a["cov_industrial_transition"])
    np.testing.assert_allclose(w["after"].astype(float), after_b["cov_industrial_transition"])
    same = ev.compare(a, S.Scenario("A copy", edits=a.edits))
    assert not same.municipalities["changed"].any() and not same.county["changed"].any()


def test_two_evaluators_do_not_share_results(territory):
    one, two = W.Evaluator(territory), W.Evaluator(territory)
    sc = S.Scenario("x", edits=(CLOSE_SSP,))
    one.compare(None, sc)
    assert two._territories.data == {} and two._metrics.data == {}


def test_cached_baseline_metrics_cannot_be_changed_by_a_caller(territory):
    first = cached_metrics(territory)
    first.municipalities.loc[0, "cov_any"] = -1.0
    first.county["cov"] = 2.0
    again = cached_metrics(territory)
    assert again.municipalities.loc[0, "cov_any"] >= 0 and (again.county["cov"] <= 1).all()
    pd.testing.assert_frame_equal(again.municipalities,
                                  compute_metrics(territory).municipalities)


def test_changed_ids_names_what_the_scenario_touched(territory):
    ev = W.Evaluator(territory)
    sc = S.Scenario("x", edits=(TESTBED, CLOSE_KTH, MOVE_OPENLAB, RETAG_SSES))
    ids = ev.changed_ids(None, sc)
    assert ids == sorted(["scenario-1-testbadd-norrtalje", "kth-innovation", "openlab", "sses"])
    assert ev.changed_ids(sc, sc) == []


# --- what the page shows ---------------------------------------------------------------------


def test_change_table_puts_the_largest_change_first(territory):
    d = W.Evaluator(territory).compare(None, S.Scenario("x", edits=(TESTBED,)))
    top = W.change_table(d, "cov_industrial_transition", "en", n=10)
    assert list(top.columns) == ["Municipality", "Before", "After", "Change"]
    assert top.iloc[0]["Municipality"] == "Norrtälje (0188)"
    assert top.iloc[0]["Before"] == "0.0 %" and top.iloc[0]["Change"].startswith("+")
    full = W.change_table(d, "cov_industrial_transition", "sv")
    assert len(full) == 26 and full.iloc[0]["Kommun"] == "Norrtälje (0188)"
    assert (full.iloc[1:]["Förändring"] == "–").all()


def test_county_and_edit_tables(territory):
    sc = S.Scenario("x", edits=(TESTBED, CLOSE_KTH, RETAG_SSES))
    d = W.Evaluator(territory).compare(None, sc)
    county = W.county_table(d, "en")
    assert len(county) == 5 and county.iloc[-1]["Area"] == "Any area"
    # the test bed adds one, closing KTH Innovation (tagged with every area) removes one
    row = county.set_index("Area").loc[vocab.label("ict", "en", territory.region)]
    assert row["Environments counted"].endswith("(−1)")
    names = dict(zip(territory.environments["id"], territory.environments["name"], strict=True))
    edits = W.edits_table(sc, names, "sv", territory.region)
    assert list(edits["#"]) == [1, 2, 3]
    assert edits.iloc[0, 1] == "Lägg till" and edits.iloc[1, 2] == "KTH Innovation (kth-innovation)"
    assert "Tjänster: Utbildning" in edits.iloc[2, 3]


def test_comparable_metrics_are_numeric_and_known(territory):
    comparable = W.comparable_metrics(territory.region)
    assert comparable[0].startswith("cov_")
    assert "cov_any" in comparable and "white_spot_any" not in comparable
    for metric in comparable:
        assert catalog.metric_info(metric, territory.region).kind in (
            "count", "rate", "km", "share", "ratio")
