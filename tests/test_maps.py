"""The folium map: what it asks the browser to draw and load."""

import pytest

from smartmap import assets, maps
from smartmap.errors import AssetError
from smartmap.htmltext import escape


def test_map_draws_26_municipalities_and_every_located_environment(territory):
    m = maps.environment_map(territory, assets.urls(""))
    html = m.get_root().render()
    assert html.count(maps.ENVIRONMENT_CLASS + " ") == len(maps.drawable(territory.environments))
    assert html.count('"kommun_kod"') == 26
    assert maps.external_links(m) == []
    assert all(u.startswith("/app/static/vendor/") for u in maps.asset_links(m))


def test_no_tiles_by_default_and_tiles_on_request(territory):
    plain = maps.environment_map(territory, assets.urls("")).get_root().render()
    assert "tile.openstreetmap.org" not in plain
    osm = maps.environment_map(territory, assets.urls(""), basemap="osm").get_root().render()
    assert "tile.openstreetmap.org" in osm


def test_asset_urls_honour_base_path():
    u = assets.urls("/tools/smartmap")
    assert u.js[0] == "/tools/smartmap/app/static/vendor/jquery/jquery.min.js"


def test_popup_escapes_hostile_text(territory):
    row = territory.environments.iloc[0].copy()
    row["name"] = "<script>alert(1)</script> `tick` ${x} \"q\" 'a'"
    row["website"] = "javascript:alert(1)"
    html = maps.environment_popup_html(row, "en")
    assert "<script>" not in html and "`" not in html and "${" not in html
    assert escape(row["name"]) in html
    assert 'href="javascript' not in html


def test_environments_without_coordinates_are_not_drawn(tiny):
    env = tiny.environments
    drawn = maps.drawable(env)
    assert "no-coords" in set(env["id"]) and "no-coords" not in set(drawn["id"])


def test_installed_assets_exist(tmp_path):
    vendor = assets.install(tmp_path)
    assert (vendor / "leaflet" / "leaflet.js").stat().st_size > 100_000
    (vendor / "leaflet" / "leaflet.js").unlink()
    with pytest.raises(AssetError, match="leaflet.js"):
        assets.check_installed(tmp_path)
