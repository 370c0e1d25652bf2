"""The scenario workshop's view-model (smartmap.app.views.workshop), without streamlit."""

from __future__ import annotations

import numpy as np
import pytest

from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.params import MetricParams, ParameterError
from smartmap.app.views import workshop as view
from smartmap.core import vocab
from smartmap.core.problemtext import error_text
from smartmap.core.settings import get_settings

TESTBED = S.AddEnvironment(name="Test bed Norrtälje", env_type="testbed", lat=59.80, lon=18.60,
                           priority_areas=("industrial_transition",),
                           services=("testbed_access",))


@pytest.fixture(scope="module")
def ev(territory):
    return W.Evaluator(territory)


@pytest.mark.parametrize("page_url, expected", [
    ("http://host:8501/workshop", "http://host:8501/?scenario=abc"),
    ("http://host:8501/workshop/?scenario=old#x", "http://host:8501/?scenario=abc"),
    ("http://host:8501/smartmap/workshop", "http://host:8501/smartmap/?scenario=abc"),
    ("http://host:8501/", "http://host:8501/?scenario=abc"),
    (None, "?scenario=abc"),
])
def test_share_url_points_at_the_apps_root(page_url, expected):
    assert view.share_url(page_url, "abc") == expected


def test_a_public_address_replaces_the_browsers_own_in_share_links():
    link = view.share_url("http://localhost:8501/workshop?ws=tok", "abc", "https://s.example.se/m/")
    assert link == "https://s.example.se/m/?scenario=abc"
    local = view.share("http://localhost:8501/workshop", "abc", None, "en")
    assert local.link == "http://localhost:8501/?scenario=abc" and local.local_warning
    public = view.share("http://localhost:8501/", "abc", "http://10.1.2.3:8501/", "sv")
    assert public.local_warning is None and public.qr_svg.startswith("<svg")
    assert 'aria-label="QR-kod' in public.qr_svg


@pytest.mark.parametrize("lang, words", [("sv", ("R = 12.5 km", "aktiva + planerade", "Inkubator")),
                                         ("en", ("R = 12.5 km", "active + planned", "Incubator"))])
def test_parameters_in_one_line(lang, words, territory):
    p = MetricParams(radius_km=12.5, include_planned=True, env_types=("incubator",))
    line = view.describe_params(p, lang, territory.region)
    assert all(w in line for w in words), line
    assert territory.region.core_classes.label("central_core", lang) in line


def test_status_line_escapes_the_name(territory):
    sc = S.Scenario("*bold* [x](y)")
    line = view.status_line(sc, "en", territory.region)
    assert "\\*bold\\*" in line and "\\[x\\]" in line and "0 edit" in line


def test_place_of_a_click(territory):
    tolerance = get_settings().assign_tolerance_m
    assert view.place((59.80, 18.60), territory, tolerance, "en") == "Norrtälje (0188)"
    assert view.place((57.7, 11.97), territory, tolerance, "en") == "outside the county"
    assert view.place((57.7, 11.97), territory, tolerance, "sv") == "utanför länet"


def test_compare_options_and_labels():
    ws = W.Workshop.start("A").new("B")
    assert view.compare_options(ws) == [view.BASELINE_OPTION, "A"]
    assert view.compare_label(view.BASELINE_OPTION, "sv") == "Utgångsläget"
    assert view.compare_label("A", "en") == "A"


def test_parameter_widgets_round_trip(territory):
    region = territory.region
    p = MetricParams(radius_km=7.5, include_planned=True, env_types=("testbed", "incubator"),
                     core_classes=("central_core",))
    values = view.param_values(p, region)
    assert set(values) == set(view.PARAM_FIELDS)
    assert values["ws_cores"] == ["central_core"] and values["ws_radius"] == 7.5
    assert view.params_from(values, region) == p
    default = view.param_values(MetricParams(), region)
    assert default["ws_cores"] == list(region.nearest_core_classes)
    assert view.params_from(default, region) == MetricParams()
    with pytest.raises(ParameterError):
        view.params_from({**values, "ws_radius": -1.0}, region)
    with pytest.raises(ParameterError, match="at least one"):
        view.params_from({**values, "ws_cores": []}, region)


def test_the_add_form_says_what_is_missing():
    form = {"ws_add_name": "  Lab  ", "ws_add_type": "testbed", "ws_add_lat": 59.8,
            "ws_add_lon": 18.6, "ws_add_areas": ["ict"], "ws_add_services": [],
            "ws_add_host": " Host ", "ws_add_level": "mixed", "ws_add_status": "planned"}
    edit = view.add_edit(form)
    assert edit == S.AddEnvironment(name="Lab", env_type="testbed", lat=59.8, lon=18.6,
                                    priority_areas=("ict",), services=(), host_organisation="Host",
                                    governance_level="mixed", status="planned")
    assert view.add_edit({**form, "ws_add_name": " "}) == "ws_need_name"
    assert view.add_edit({**form, "ws_add_lon": None}) == "ws_need_location"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_comparison_with_the_baseline(ev, territory, lang):
    sc = S.Scenario("Scenario 1").with_edit(TESTBED)
    c = view.comparison(ev, sc, None, "cov_industrial_transition", "change", lang, (59.8, 18.6))
    labels = {k.label: k for k in c.kpis}
    n_env = labels[vocab.text("ws_kpi_n_env", lang)]  # the figures of the metric's area
    before, after, _ = ev.compare(None, sc).county_value("industrial_transition", "n_env")
    assert (n_env.value, n_env.delta, n_env.delta_color) == (str(after), "+1", "normal")
    assert n_env.help.endswith(f": {before}")
    cov = labels[vocab.text("ws_kpi_cov", lang, r="10")]
    assert cov.delta.startswith("+") and cov.delta_arrow == "auto"
    assert c.ref_label == vocab.text("ws_baseline", lang)
    assert territory.region.areas.label("industrial_transition", lang) in c.kpi_caption
    assert c.top.iloc[0, 0] == "Norrtälje (0188)" and len(c.all) == 26
    assert c.county.shape[0] == 5 and c.county.columns[0] == vocab.text("ws_col_area", lang)
    assert len(c.groups) == 3  # the change, the environments, the pending click
    assert len(c.territory.environments) == len(territory.environments) + 1


def test_nothing_changed_is_grey_and_empty(ev):
    sc = S.Scenario("Scenario 1")
    c = view.comparison(ev, sc, None, "cov_any", "scenario", "en")
    assert c.top.empty and len(c.groups) == 2
    assert all(k.delta_color == "off" and k.delta_arrow == "off" for k in c.kpis)


def test_compared_with_another_scenario(ev):
    one = S.Scenario("Scenario 1").with_edit(TESTBED)
    two = S.Scenario("Scenario 2", parameters=MetricParams(radius_km=20))
    c = view.comparison(ev, two, one, "cov_any", "reference", "en")
    assert c.ref_label == "Scenario 1" and "Scenario 1 → Scenario 2" in c.county_caption
    assert any(k.label == "Residents within 20 km" for k in c.kpis)


def test_picking_an_environment(territory):
    labels = view.pick_options(territory, "en")
    names = [v.split(" · ")[0] for v in labels.values()]
    assert names == sorted(names, key=str.lower) and len(labels) == len(territory.environments)
    assert labels["kth-innovation"] == "KTH Innovation · Stockholm"
    closed = S.apply(territory, S.Scenario("x", edits=(S.CloseEnvironment(id="kth-innovation"),
                                                       TESTBED)))
    after = view.pick_options(closed, "sv", territory)
    assert after["kth-innovation"] == labels["kth-innovation"]  # an edit keeps the label
    assert after["scenario-2-test-bed-norrtalje"] == "Test bed Norrtälje · nytt i scenariot"
    env = view.picked(territory, "kth-innovation", "sv")
    assert (env.name, env.status, env.lat, env.lon) == ("KTH Innovation", "active", 59.3472, 18.0708)
    assert env.areas == list(territory.region.area_ids)
    assert env.services == ["incubation", "advisory", "matchmaking", "education"]
    assert "Stockholm" in env.caption and "Aktiv" in env.caption


def test_term_lists_come_from_the_one_place(territory):
    assert view.area_options(territory) == list(territory.region.area_ids)
    assert view.core_options(territory) == list(territory.region.core_classes.ids)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_default_comparison_isolates_the_edits(ev, territory, lang):
    """A scenario at R = 15 km: by default the baseline is measured at 15 km too, so only the
    edits show; the switch shows the radius alone and both together, each labelled."""
    wider = S.Scenario("R15", parameters=MetricParams(radius_km=15))
    edits = view.comparison(ev, wider, None, "cov_any", "change", lang)
    assert edits.top.empty  # no edits: no change, however large the radius
    assert "15" in edits.effect_note and vocab.text("ws_baseline", lang) in edits.effect_help
    params = view.comparison(ev, wider, None, "cov_any", "change", lang, effect="parameters")
    both = view.comparison(ev, wider, None, "cov_any", "change", lang, effect="both")
    assert not params.top.empty and params.top.equals(both.top)
    assert vocab.text("ws_side_own_params", lang, side=vocab.text("ws_baseline", lang)) \
        in params.kpi_caption
    assert "R = 10 km → R = 15 km" in params.effect_note and "15" in params.effect_help
    with_edit = wider.with_edit(TESTBED)
    e = ev.compare(None, with_edit, "edits").wide("cov_industrial_transition")
    b = ev.compare(None, with_edit, "both").wide("cov_industrial_transition")
    p = ev.compare(None, with_edit, "parameters").wide("cov_industrial_transition")
    assert (e["before"].astype(float) >= b["before"].astype(float)).all()  # baseline at 15 km
    np.testing.assert_allclose(e["after"].astype(float), b["after"].astype(float))
    np.testing.assert_allclose(p["after"].astype(float), e["before"].astype(float))
    assert set(e[e["changed"]]["kommun_kod"]) == {"0188"}  # only the test bed's effect


@pytest.mark.parametrize("lang, words", [
    ("sv", ("ändring 2 (lägg till 'Gbg')", "utanför länet", "ett scenario behöver ett namn",
            "minst en klass", "2 ändringar", "1 ändring ")),
    ("en", ("edit 2 (add 'Gbg')", "outside the county", "a scenario needs a name",
            "at least one urban-core class", "2 edits", "1 edit ")),
])
def test_refusals_and_counts_in_the_users_language(ev, territory, lang, words):
    far = S.Scenario("x", edits=(TESTBED, S.AddEnvironment(name="Gbg", env_type="testbed",
                                                           lat=57.7, lon=11.97)))
    with pytest.raises(S.ScenarioError) as outside:
        ev.check(far)
    with pytest.raises(W.WorkshopError) as nameless:
        W.Workshop.start("A").rename("  ")
    with pytest.raises(ParameterError) as no_cores:
        MetricParams(core_classes=())
    text = " ".join(error_text(e.value, lang) for e in (outside, nameless, no_cores))
    for word in words[:4]:
        assert word in text, text
    assert "outside the county" not in text or lang == "en"
    two = view.status_line(S.Scenario("a", edits=(TESTBED, TESTBED)), lang, territory.region)
    one = view.status_line(S.Scenario("a", edits=(TESTBED,)), lang, territory.region)
    assert words[4] in two and words[5] in one
