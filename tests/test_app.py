"""Streamlit AppTest: the pages run and ask for the right map with local assets only."""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
    shown = territory.environments["status"].isin(["active", "planned"]).sum()
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
