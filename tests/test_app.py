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
