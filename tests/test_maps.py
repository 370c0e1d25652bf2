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


def test_choropleth_colours_and_escaped_tooltips(territory):
    m = territory.municipalities
    values = m.set_index("kommun_kod")["population"].astype("float")
    values.iloc[0] = float("nan")
    group = maps.choropleth_layer(m, values, "population", "en", "quantiles")
    fmap = maps.environment_map(territory, assets.urls(""), groups=[group])
    html = fmap.get_root().render()
    assert html.count('"kommun_kod"') == 26
    assert "No data" in html and "Population [residents]" in html


def test_choropleth_refuses_text_metrics(territory):
    m = territory.municipalities
    with pytest.raises(ValueError):
        maps.choropleth_layer(m, m.set_index("kommun_kod")["kommun"], "nearest_core")


def test_static_png_and_svg(territory):
    from smartmap import staticmap

    m = territory.municipalities
    png = staticmap.render(m, territory.environments,
                           values=m.set_index("kommun_kod")["population"], column="population")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    svg = staticmap.render(m, territory.environments, fmt="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "<image" not in svg
