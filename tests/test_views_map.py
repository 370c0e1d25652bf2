"""The map page's view-model (smartmap.app.views.map), without streamlit, in both languages."""

from __future__ import annotations

import json

import pytest

from smartmap.analysis import catalog
from smartmap.analysis.metrics import municipality_metrics
from smartmap.app.views import map as view
from smartmap.render.assets import urls

ASSETS = urls("")


@pytest.fixture(scope="module")
def result(territory):
    return view.metrics(territory, view.MapChoices())


def test_choropleth_columns_come_in_a_readers_order_and_only_numbers(result):
    columns = view.choropleth_columns(result.municipalities, result.region)
    assert columns[:3] == ["cov_any", "n_env", "env_per_100k"]
    assert columns.index("cov_ict") < columns.index("dist_km_ict") < columns.index("lq_ict")
    assert "kommun" not in columns and "nearest_core" not in columns  # text is not a colour
    assert all(catalog.metric_info(c, result.region).kind != "text" for c in columns)
    assert view.metric_options(result)[0] == view.NO_METRIC
    assert view.metric_option_label("none", "en") == "No metric (outlines only)"
    assert view.metric_option_label("n_env", "sv") == catalog.metric_label("n_env", "sv")
    region = result.region
    assert view.metric_option_label("cov_ict", "en", region) == catalog.metric_label(
        "cov_ict", "en", region=region)


@pytest.mark.parametrize("lang, title, headers", [
    ("sv", "Innovationsstöd i Stockholms län", ["Namn", "Typ", "Kommun", "Huvudman",
                                               "Styrningsnivå", "Status"]),
    ("en", "Innovation support in Stockholm County", ["Name", "Type", "Municipality", "Host",
                                                      "Governance level", "Status"]),
])
def test_map_view_in_both_languages(territory, result, lang, title, headers):
    v = view.map_view(territory, result, view.MapChoices(), lang, ASSETS)
    assert v.title == title
    assert list(v.environments_table.columns) == headers
    shown = territory.environments["status"].isin(["active", "planned"])
    assert len(v.environments_table) == shown.sum() == len(v.shown)
    assert f"{len(territory.municipalities)} " in v.caption and "R = 10 km" in v.caption
    assert v.upload_note is None
    # the metric table: code, municipality, the metric's title; values formatted in the language
    info = catalog.metric_info("cov_any")
    assert list(v.metric_table.columns)[2] == info.title(lang, 10)
    assert v.metric_heading.endswith(info.title(lang, 10))
    expected = municipality_metrics(territory).set_index("kommun_kod")["cov_any"]
    first = v.metric_table.iloc[0]
    share = f"{100 * expected[first.iloc[0]]:.1f}"
    assert first.iloc[2] == (share.replace(".", ",") if lang == "sv" else share) + " %"
    # the environments' type is a label in the language, not an id
    assert not set(v.environments_table[headers[1]]) & set(territory.environments["env_type"])


def test_the_map_has_the_chosen_layers_and_local_assets(territory, result):
    v = view.map_view(territory, result, view.MapChoices(), "sv", ASSETS)
    assert len(v.groups) == 3  # choropleth, environments, urban cores
    html = v.base.get_root().render()
    assert "/app/static/vendor/" in html and "unpkg" not in html and "cdn." not in html
    every = view.MapChoices(metric="none", layers=view.LAYERS)
    v = view.map_view(territory, result, every, "sv", ASSETS)
    assert len(v.groups) == 5 and v.metric_table is None and v.metric_heading is None


def test_filters_change_what_is_drawn_never_a_number(territory, result):
    everything = view.map_view(territory, result, view.MapChoices(), "en", ASSETS)
    life = view.MapChoices(areas=("life_science",), query="karolinska")
    v = view.map_view(territory, result, life, "en", ASSETS)
    env = territory.environments
    expected = (env["status"].isin(["active", "planned"])
                & env["priority_areas"].str.contains("life_science")
                & (env["name"] + " " + env["host_organisation"].fillna("")).str.lower()
                .str.contains("karolinska"))
    assert 0 < len(v.shown) == expected.sum() < len(everything.shown)
    assert v.metric_table.equals(everything.metric_table)


def test_radius_drives_the_numbers(territory):
    choices = view.MapChoices(radius=30)
    result = view.metrics(territory, choices)
    v = view.map_view(territory, result, choices, "sv", ASSETS)
    assert result.params.radius_km == 30
    assert "R = 30 km" in v.caption and "30 km" in v.metric_heading


def test_upload_note_names_the_file(territory, result):
    v = view.map_view(territory, result, view.MapChoices(), "en", ASSETS, upload_name="mine.csv")
    assert "mine.csv" in v.upload_note


def test_downloads_are_built_on_demand(territory, result):
    v = view.map_view(territory, result, view.MapChoices(areas=("ict",)), "sv", ASSETS)
    env, mun, csv, png = v.downloads(excel=True)
    assert [d.key for d in (env, mun, csv, png)] == ["dl_env_geojson", "dl_mun_geojson",
                                                     "dl_metrics_csv", "dl_png"]
    assert env.label.endswith(f"({len(v.shown)})")
    features = json.loads(env.data())["features"]
    assert len(features) == len(v.shown)
    assert len(json.loads(mun.data())["features"]) == len(territory.municipalities)
    assert csv.file_name == "smartmap_metrics_R10km.csv"
    excel = csv.data()
    assert excel.startswith("\ufeff".encode()) and b";" in excel.splitlines()[0]
    plain = v.downloads(excel=False)[2].data()
    assert not plain.startswith("\ufeff".encode()) and b"," in plain.splitlines()[0]
    assert png.data().startswith(b"\x89PNG")


def test_profile_options_and_clicks(result):
    codes, labels, default = view.profile_options(result)
    # the most populous municipality first (Stockholm, in the shipped data)
    assert len(codes) == 26 and default == "0180" and labels["0181"] == "Södertälje (0181)"
    click = {"last_active_drawing": {"properties": {"kommun_kod": "0181"}}}
    assert view.clicked_municipality(click, codes) == "0181"
    assert view.clicked_municipality({"last_active_drawing": {"properties": {"kommun_kod": "9999"}}},
                                     codes) is None
    assert view.clicked_municipality(None, codes) is None
    assert view.clicked_municipality({"last_active_drawing": None}, codes) is None


@pytest.mark.parametrize("lang, words", [("sv", "inom 10 km"), ("en", "within 10 km")])
def test_profile_view(territory, result, lang, words):
    p = view.profile_view(territory, result, "0181", lang)
    assert any("Södertälje" in s for s in p.sentences)
    assert any(words in s for s in p.sentences)
    row = result.municipalities.set_index("kommun_kod").loc["0181"]
    assert str(int(row["n_env"])) in p.comparison.iloc[0].tolist()
    assert p.environments_heading.endswith(f"({len(p.environments)})")
    assert len(p.services) > 0


def test_the_map_reports_its_view_and_zooms_to_a_chosen_place(territory):
    from smartmap.app.views import link

    assert view.reported_view({"center": {"lat": 59.33291, "lng": 18.06861}, "zoom": 11}) == \
        link.MapView(59.3329, 18.0686, 11)
    assert view.reported_view({"center": None, "zoom": 8}) is None
    assert view.reported_view({"center": {"lat": "x", "lng": 1}, "zoom": 8}) is None
    minx, miny, maxx, maxy = view.municipality_bounds(territory, "0188")
    assert 18 < minx < maxx < 19.5 and 59.5 < miny < maxy < 60.5  # Norrtälje
    assert view.municipality_bounds(territory, "9999") is None
    ids, labels = view.environment_choices(territory.environments, "en")
    assert ids[0] == "" and labels[""] == "(none chosen)" and "kth-innovation" in ids
    assert labels["kth-innovation"] == "KTH Innovation (Stockholm)"
    focus = {"kind": "kommun", "code": "0188", "token": 3, "env_token": 1}
    groups = view.focus_groups(territory, territory.environments, "sv", focus, "kth-innovation")
    from smartmap.render import maps

    html = maps.environment_map(territory, urls(""), groups=groups).get_root().render()
    assert '"token": "3"' in html and "sm-selected" in html and '"openPopup": true' in html
