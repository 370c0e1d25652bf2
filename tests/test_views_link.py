"""Every view is a link (smartmap.app.views.link): choices to a query string and back, and
nothing a tampered link holds gets further than a notice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartmap.app.views import link
from smartmap.app.views import map as view


@pytest.fixture(scope="module")
def options(territory) -> link.LinkOptions:
    result = view.metrics(territory, view.DEFAULT_CHOICES)
    _, _, default_code = view.profile_options(result)
    return view.link_options(territory, result, default_code)


def test_the_default_view_is_the_empty_query(options):
    assert link.map_query(options.defaults, options) == {}
    reading = link.read_map_query({}, options)
    assert reading.values == dict(options.defaults) and reading.ignored == [] and not reading.view


def test_a_view_round_trips_through_its_query(options):
    values = dict(options.defaults)
    values.update({"a_radius": 15, "a_planned": True, "f_areas": ["ict", "life_science"],
                   "f_statuses": [], "f_query": "KTH, Kista & co", "f_metric": "n_env",
                   "f_method": "quantiles", "f_color_by": "area",
                   "f_layers": ["environments"], "profile_kommun": "0188",
                   "map_env": "kth-innovation"})
    shown = link.MapView(59.3402, 18.0586, 13)
    query = link.map_query(values, options, shown)
    assert query["r"] == "15" and query["area"] == "ict,life_science" and query["status"] == ""
    assert query["view"] == "59.3402,18.0586,13" and "basemap" not in query
    back = link.read_map_query(query, options)
    assert back.ignored == [] and back.values == values and back.view == shown


@pytest.mark.parametrize("param, value", [
    ("r", "abc"), ("r", "0"), ("r", "51"), ("r", "1e3"), ("r", "-5"), ("planned", "yes"),
    ("area", "ict,no_such_area"), ("area", "ict,ict"), ("metric", "__class__"),
    ("metric", "<script>"), ("classes", "jenks"), ("kommun", "9999"), ("env", "../etc"),
    ("layers", "tiles"), ("q", "x" * 201), ("q", "a\u202eb"), ("view", "59,18"),
    ("view", "nan,18,9"), ("view", "59,18,99"), ("view", "91,18,9"), ("view", "1" * 50),
])
def test_a_tampered_parameter_is_refused_and_its_widget_keeps_the_default(options, param, value):
    reading = link.read_map_query({param: value, "r": "20"} if param != "r" else {param: value},
                                  options)
    assert param in reading.ignored
    field = next((f for f in link.FIELDS if f.name == param), None)
    if field is not None:
        assert reading.values[field.widget] == options.defaults[field.widget]
    if param != "r":  # the good parameter beside it still counts
        assert reading.values["a_radius"] == 20


def test_the_language_comes_from_lang_only_when_the_app_speaks_it():
    assert link.read_lang({"lang": "en"}) == "en"
    assert link.read_lang({"lang": "de"}) is None and link.read_lang({}) is None


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([*link.MAP_PARAMS, "other"]),
                       st.text(max_size=60), max_size=8))
def test_any_query_reads_to_allowed_values(options, query):
    """Whatever a link holds, every widget gets one of its options (or a value in range)."""
    reading = link.read_map_query(query, options)
    for f in link.FIELDS:
        value = reading.values[f.widget]
        allowed = options.options.get(f.widget)
        if f.kind == "one":
            assert value in allowed or value == options.defaults[f.widget]
        elif f.kind == "many":
            assert all(v in allowed for v in value)
        elif f.kind == "int":
            assert link.RADIUS_RANGE[0] <= value <= link.RADIUS_RANGE[1]
    assert set(reading.ignored) <= set(query)
