"""Streamlit AppTest: the pages run and ask for the right map with local assets only."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartmap.render import maps

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def folium_args(at: AppTest) -> list[dict]:
    """The arguments of every st_folium call on the page (the map the browser is asked to draw)."""
    out = []
    for el in at.get("component_instance"):
        if el.proto.component_name.endswith("st_folium"):
            out.append(json.loads(el.proto.json_args))
    return out


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def drawn(args: dict) -> str:
    return (args["script"] or "") + (args["feature_group"] or "")


def test_map_page_runs_and_draws_county(app, territory):
    (args,) = folium_args(app)
    js = drawn(args)
    assert js.count("sm-municipality") >= 1
    assert js.count('"kommun_kod"') == 26
    env = maps.drawable(territory.environments)  # rows without coordinates are not drawn
    shown = env["status"].isin(["active", "planned"]).sum()
    assert js.count("sm-env sm-env-") == shown


def test_every_asset_url_is_local(app):
    (args,) = folium_args(app)
    links = args["js_links"] + args["css_links"]
    assert links, "the map must load Leaflet and jQuery"
    assert all(u.startswith("/app/static/vendor/") for u in links), links
    assert not any("http" in u for u in links)


DATA = Path(__file__).resolve().parent / "data" / "io"


def _data_page(at: AppTest) -> AppTest:
    at.switch_page("smartmap/app/pages/data_page.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _env_count_on_map(at: AppTest) -> int:
    at.switch_page("smartmap/app/pages/map_page.py")
    at.run()
    assert not at.exception, at.exception
    (args,) = folium_args(at)
    return drawn(args).count("sm-env sm-env-")


def test_invalid_upload_lists_problems_and_changes_nothing(app):
    before = _env_count_on_map(app)
    at = _data_page(app)
    bad = (DATA / "bad" / "broken_excel_export.csv").read_bytes()
    at.file_uploader(key="sm_upload").set_value(("broken_excel_export.csv", bad, "text/csv"))
    at.run()
    assert not at.exception
    assert any("broken_excel_export.csv" in e.value for e in at.error)
    table = at.dataframe[0].value
    assert len(table) >= 3 and table.iloc[:, 0].notna().any()  # rows named
    assert _env_count_on_map(at) == before


@pytest.mark.parametrize("name", ["recursive_view.gpkg", "deep_property.geojson",
                                  "surrogate_name.geojson"])
def test_hostile_upload_is_refused_with_a_message_and_changes_nothing(app, name):
    before = _env_count_on_map(app)
    at = _data_page(app)
    content = (DATA.parent / "hostile" / "inputs" / name).read_bytes()
    at.file_uploader(key="sm_upload").set_value((name, content, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert any(name in e.value for e in at.error)
    table = at.dataframe[0].value  # the problems (the format help's example comes after)
    assert len(table) == 1 and name in at.error[0].value and table.iloc[0, 2]
    assert _env_count_on_map(at) == before


@pytest.mark.parametrize("name, field, sv, en", [
    ("unknown_type.csv", "env_type", "okänt värde 'makerspace'", "unknown value 'makerspace'"),
    ("outside_county.csv", "lat/lon", "km utanför Stockholms län", "km outside Stockholms län"),
    ("missing_column.csv", "env_type", "obligatorisk kolumn saknas", "missing required column"),
])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_refused_upload_reads_in_the_users_language(name, field, sv, en, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["sm_lang"] = lang
    at.run()
    at = _data_page(at)
    content = (DATA / "bad" / name).read_bytes()
    at.file_uploader(key="sm_upload").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value  # row, field, problem, expected
    lines = table[table.iloc[:, 1] == field]
    assert len(lines) >= 1, table
    said = " ".join(lines.iloc[:, 2]) + " " + " ".join(lines.iloc[:, 3].fillna(""))
    assert (sv if lang == "sv" else en) in said, said
    assert (en if lang == "sv" else sv) not in said
    if name == "missing_column.csv":
        holding = "en kolumn 'env_type' med ett av:" if lang == "sv" else (
            "a column 'env_type' holding one of:")
        assert holding in said


def test_valid_upload_changes_this_session_only(app):
    shipped = _env_count_on_map(app)
    at = _data_page(app)
    good = (DATA / "envs_excel_sv.csv").read_bytes()
    at.file_uploader(key="sm_upload").set_value(("envs_excel_sv.csv", good, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any("envs_excel_sv.csv" in s.value for s in at.success)
    at.radio(key="data_mode").set_value("replace").run()
    replaced = _env_count_on_map(at)
    assert 0 < replaced < shipped
    # a second session still sees the shipped data
    other = AppTest.from_file(APP, default_timeout=60)
    other.run()
    assert _env_count_on_map(other) == shipped
    # restoring brings the shipped data back
    at = _data_page(at)
    at.button(key="data_restore").click().run()
    assert _env_count_on_map(at) == shipped


def _map_args(at: AppTest) -> dict:
    (args,) = folium_args(at)
    return args


def test_language_switch_changes_labels(app):
    assert app.title[0].value == "Innovationsstöd i Stockholms län"
    app.multiselect(key="f_areas").set_value(["ict"]).run()
    app.radio(key="f_method").set_value("quantiles").run()
    assert any(ms.label == "Prioriterade områden" for ms in app.multiselect)
    app.radio(key="sm_lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Innovation support in Stockholm County"
    assert any(ms.label == "Priority areas" for ms in app.multiselect)
    # the choices survive the switch and are shown in the new language
    assert app.multiselect(key="f_areas").value == ["ict"]
    assert app.radio(key="f_method").value == "quantiles"
    assert "ICT, tech and digitalisation" in app.multiselect(key="f_areas").options
    js = drawn(_map_args(app))
    assert "Share of residents within 10 km (any area) [%]" in js  # the legend's title
    assert "Andel inv" not in js
    # the language survives a page switch
    app.switch_page("smartmap/app/pages/about_page.py").run()
    assert app.title[0].value == "About the data"


def test_filters_and_search_change_what_is_drawn(app, territory):
    env = maps.drawable(territory.environments)  # rows without coordinates are not drawn
    shown = env["status"].isin(["active", "planned"])
    app.multiselect(key="f_areas").set_value(["life_science"]).run()
    count = drawn(_map_args(app)).count("sm-env sm-env-")
    assert count == (shown & env["priority_areas"].str.contains("life_science")).sum()
    app.multiselect(key="f_areas").set_value([]).run()
    app.text_input(key="f_query").set_value("Flemingsberg").run()
    js = drawn(_map_args(app))
    flemingsberg = shown & (env["name"].str.contains("Flemingsberg", case=False)
                            | env["host_organisation"].fillna("").str.contains("Flemingsberg", case=False))
    assert js.count("sm-env sm-env-") == flemingsberg.sum() > 0
    app.multiselect(key="f_statuses").set_value(["closed"]).run()
    app.text_input(key="f_query").set_value("").run()
    assert drawn(_map_args(app)).count("sm-env sm-env-") == (env["status"] == "closed").sum()


def test_metric_choice_changes_choropleth_not_base_map(app):
    before = _map_args(app)
    app.selectbox(key="f_metric").set_value("n_env").run()
    after = _map_args(app)
    assert after["script"] == before["script"]  # same base map: st_folium keeps the view
    assert after["feature_group"] != before["feature_group"]
    assert "Antal innovationsmilj" in after["feature_group"]


def test_profile_shows_the_metrics_of_the_chosen_municipality(app, territory):
    from smartmap.analysis.metrics import municipality_metrics

    app.selectbox(key="profile_kommun").set_value("0181").run()
    assert not app.exception
    row = municipality_metrics(territory).set_index("kommun_kod").loc["0181"]
    text = " ".join(m.value for m in app.markdown)
    assert "Södertälje" in text
    cov = f"{100 * (1 - row['cov_climate_urban']):.1f}".replace(".", ",")
    assert f"inom 10 km för {cov} %" in text.replace("\\", "")
    table = app.table[0].value  # the profile's comparison beside the map
    assert str(int(row["n_env"])) in table.iloc[0].tolist()


def test_radius_changes_the_metrics(app):
    app.selectbox(key="profile_kommun").set_value("0188").run()
    text10 = " ".join(m.value for m in app.markdown)
    app.slider(key="a_radius").set_value(30).run()
    assert not app.exception
    text30 = " ".join(m.value for m in app.markdown)
    assert "inom 30 km" in text30.replace("\\", "") and text10 != text30


@pytest.mark.parametrize("lang, heading, none_found", [
    ("sv", "Vita fläckar: sökta, inget hittat", "sökt 2026-12-07, inget hittat"),
    ("en", "White spots: searched, none found", "searched on 2026-12-07, none found")])
def test_about_page_shows_population_and_white_spots(lang, heading, none_found):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["sm_lang"] = lang
    at.run()
    at.switch_page("smartmap/app/pages/about_page.py").run()
    assert not at.exception, at.exception
    assert heading in [h.value for h in at.subheader]
    frames = [d.value for d in at.dataframe]
    population = next(f for f in frames if len(f) == 26 and "Stockholm" in set(f.iloc[:, 0]))
    assert population.set_index(population.columns[0]).loc["Stockholm"].iloc[7] == (
        "86,8 %" if lang == "sv" else "86.8 %")
    from smartmap.core import vocab

    spots = next(f for f in frames if vocab.text("prov_col_searched_on", lang) in f.columns)
    assert len(spots) == 11
    assert (spots.iloc[:, 2] == none_found).sum() == 7


PAGES = sorted(p.name for p in (Path(APP).parent / "smartmap" / "app" / "pages").glob("*_page.py"))


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_both_languages(page, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["sm_lang"] = lang
    at.run()
    at.switch_page(f"smartmap/app/pages/{page}")
    at.run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


def test_another_county_loads_its_municipalities(monkeypatch):
    monkeypatch.setenv("SMARTMAP_COUNTY", "03")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Innovationsstöd i Uppsala län"
    (args,) = folium_args(at)
    assert drawn(args).count('"kommun_kod"') == 8


def test_a_county_without_a_package_is_said_plainly(monkeypatch):
    monkeypatch.setenv("SMARTMAP_COUNTY", "12")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert any("inget datapaket för Skåne län (12)" in w.value for w in at.warning)


def _linked(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_link_opens_its_view_and_the_address_keeps_it():
    at = _linked(lang="en", r="15", area="ict,life_science", metric="n_env", kommun="0188",
                 status="", env="kth-innovation", view="59.3402,18.0586,13")
    assert at.title[0].value == "Innovation support in Stockholm County"
    assert at.slider(key="a_radius").value == 15
    assert at.multiselect(key="f_areas").value == ["ict", "life_science"]
    assert at.multiselect(key="f_statuses").value == []
    assert at.selectbox(key="f_metric").value == "n_env"
    assert at.selectbox(key="profile_kommun").value == "0188"
    assert at.selectbox(key="map_env").value == "kth-innovation"
    assert any("Norrtälje" in m.value for m in at.markdown)  # its profile
    assert not at.warning
    # the address still holds the view (what the page writes back equals the link)
    kept = {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}
    assert kept["r"] == "15" and kept["area"] == "ict,life_science" and kept["lang"] == "en"
    assert kept["kommun"] == "0188" and kept["view"] == "59.3402,18.0586,13"
    # the map starts at the link's view
    (args,) = folium_args(at)
    assert "center: [59.3402, 18.0586]" in args["script"] and '"zoom": 13' in args["script"]


def test_a_tampered_link_gives_a_notice_and_the_default_view():
    at = _linked(r="abc", metric="__class__", area="ict,evil", kommun="<script>", lang="xx",
                 view="nan,1,99")
    notice = " ".join(w.value for w in at.warning)
    for name in ("r", "metric", "area", "kommun", "view"):
        assert name in notice
    assert at.title[0].value.startswith("Innovationsstöd")  # Swedish: the default language
    assert at.slider(key="a_radius").value == 10
    assert at.selectbox(key="f_metric").value == "cov_any"
    assert at.multiselect(key="f_areas").value == []


def test_every_page_sets_its_language_from_the_link():
    at = _linked(lang="en")
    for page, heading in (("governance_page.py", "Multilevel governance"),
                          ("about_page.py", "About the data")):
        at.switch_page(f"smartmap/app/pages/{page}").run()
        assert not at.exception, at.exception
        assert at.title[0].value.startswith(heading)
