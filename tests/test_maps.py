"""The folium map: what it asks the browser to draw and load."""

import numpy as np
import pandas as pd
import pytest

from smartmap.core.errors import AssetError
from smartmap.render import assets, maps
from smartmap.render.htmltext import escape


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
    assert u.js[0].split("?v=")[0] == "/tools/smartmap/app/static/vendor/jquery/jquery.min.js"
    assert all("?v=" in url for url in u.all)  # versioned: browsers may keep them for good


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


def test_every_metric_legend_reads_well_in_both_languages(territory):
    """Every numeric metric of the map (counts, shares, km, rates, ratios): distinct labels, a
    class of zeros reads "0", and zero is never written "0,0"/"0.0"."""
    import re

    from smartmap.analysis import catalog
    from smartmap.analysis.metrics import cached_metrics
    from smartmap.render import classify

    table = cached_metrics(territory).municipalities.set_index("kommun_kod")
    m = territory.municipalities
    kinds = set()
    zero_inflated = 0
    for column in table.columns:
        info = catalog.metric_info(column, territory.region) if column != "kommun" else None
        if info is None or info.kind in ("text", "bool"):
            continue
        kinds.add(info.kind)
        values = pd.to_numeric(table[column], errors="coerce").astype("float64")
        shown = values * 100 if info.kind == "share" else values
        for method in classify.METHODS:
            bounds = classify.breaks(shown.dropna().to_numpy(), method, 5)
            for lang in ("sv", "en"):
                _, entries, _ = maps.choropleth_colours(m, values, column, lang, method,
                                                        region=territory.region)
                labels = [label for label, colour in entries if colour != maps.style.NO_DATA_COLOUR]
                assert len(labels) == len(set(labels)) == len(bounds), (column, labels)
                assert not any(re.search(r"(?<![\d.,])0[.,]0+(?!\d)", x) for x in labels), labels
                zeros_only = bounds and bounds[0] == 0 and shown.min() == 0
                assert (labels[0] == "0") == bool(zeros_only), (column, method, labels)
                if zeros_only:
                    zero_inflated += 1
                    assert labels[1].startswith("> 0 – ") or info.kind == "count", labels
    assert kinds >= {"count", "share", "km", "rate", "ratio"}
    assert zero_inflated > 0


def test_choropleth_refuses_text_metrics(territory):
    m = territory.municipalities
    with pytest.raises(ValueError):
        maps.choropleth_layer(m, m.set_index("kommun_kod")["kommun"], "nearest_core")


def test_static_png_and_svg(territory):
    from smartmap.render import staticmap

    m = territory.municipalities
    png = staticmap.render(m, territory.environments,
                           values=m.set_index("kommun_kod")["population"], column="population")
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    svg = staticmap.render(m, territory.environments, fmt="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "<image" not in svg


def _fills(group) -> dict[str, str]:

    geojson = next(c for c in group._children.values() if c._name == "GeoJson")
    return {f["properties"]["kommun_kod"]: f["properties"]["fill"] for f in geojson.data["features"]}


def test_delta_layer_is_centred_on_zero_and_knows_better_from_worse(territory):
    from smartmap.render import style

    m = territory.municipalities
    codes = m["kommun_kod"]
    before = pd.Series(0.5, index=codes)
    after = before.copy()
    after["0188"], after["0180"], after["0114"] = 0.8, 0.2, float("nan")
    fills = _fills(maps.delta_layer(m, before, after, "cov_any", "en"))
    mid = style.DIVERGING[3]
    assert fills["0188"] == style.DIVERGING[-1]  # the largest rise of a share: darkest blue
    assert fills["0180"] == style.DIVERGING[0]  # the largest fall: darkest red
    assert fills["0114"] == style.NO_DATA_COLOUR and fills["0186"] == mid
    # a distance that falls is better: blue
    dist = maps.delta_layer(m, pd.Series(5.0, index=codes), after.fillna(0.5) * 10, "dist_km_any")
    assert _fills(dist)["0180"] == style.DIVERGING[-1] and _fills(dist)["0188"] == style.DIVERGING[0]
    with pytest.raises(ValueError):
        maps.delta_layer(m, before, after, "white_spot_any")


def test_delta_layer_legend_and_tooltips_are_escaped_and_localised(territory):
    m = territory.municipalities.copy()
    m.loc[m["kommun_kod"] == "0188", "kommun"] = "<script>alert(1)</script>"
    codes = m["kommun_kod"]
    before, after = pd.Series(0.0, index=codes), pd.Series(0.0, index=codes)
    after["0188"] = 0.339
    group = maps.delta_layer(m, before, after, "cov_industrial_transition", "sv", radius_km=10,
                             region=territory.region)
    geojson = next(c for c in group._children.values() if c._name == "GeoJson")
    legend = next(c for c in group._children.values() if isinstance(c, maps.Legend))
    props = {f["properties"]["kommun_kod"]: f["properties"] for f in geojson.data["features"]}
    assert props["0188"]["label"] == "&lt;script&gt;alert(1)&lt;/script&gt; (0188)"
    assert props["0188"]["value"] == "0,0 % → 33,9 % (+33,9 p.e.)"
    assert props["0180"]["value"] == "0,0 % → 0,0 % (±0,0 p.e.)"
    assert "Förändring: Andel invånare inom 10 km" in legend.html
    assert "Ingen förändring" in legend.html and "Procentenheter" in legend.html
    html = maps.environment_map(territory, assets.urls(""), groups=[group]).get_root().render()
    assert "<script>alert(1)" not in html


def test_environment_markers_ring_the_changed_ones_and_stay_safe(territory):
    env = territory.environments.copy()
    env.loc[env.index[0], "name"] = "</script><script>alert(2)</script>"
    group = maps.environment_layer(env, "en", highlight=[env.iloc[1]["id"]])
    fmap = maps.environment_map(territory, assets.urls(""), groups=[group])
    html = fmap.get_root().render()
    assert "</script><script>alert(2)" not in html
    assert html.count(maps.EDITED_CLASS) == 1
    assert html.count("sm-env sm-env-") == len(maps.drawable(env))


def test_shared_classes_make_two_maps_comparable(territory):
    m = territory.municipalities
    a = pd.Series(np.linspace(0, 0.5, 26), index=m["kommun_kod"])
    b = a + 0.5
    bounds, minimum = maps.shared_classes([a, b], "cov_any")
    assert minimum == 0 and bounds[-1] == pytest.approx(100)


def test_approximate_points_are_dotted_rings_with_a_legend_entry_and_a_popup_that_says_so(territory):
    from smartmap.analysis.environments import location_precision

    env = territory.environments
    layer = maps.environment_layer(env, "sv", stack=True)
    html = maps.environment_map(territory, assets.urls(""), groups=[layer]).get_root().render()
    approx = env[location_precision(env) == "placeholder"]
    assert html.count(" sm-approx") == len(maps.drawable(approx)) >= 9
    assert "Ungef\\u00e4rligt l\\u00e4ge" in html or "Ungefärligt läge" in html
    assert "sm-sw-approx" in html and "sm-sw-stack" in html  # both legend entries
    assert '"stack": true' in html
    row = approx.iloc[0]
    popup = maps.environment_popup_html(row, "en", "placeholder")
    assert popup.index("Approximate location") < popup.index("Type:")


def test_the_map_layers_are_the_same_text_on_every_build(territory):
    """st_folium redraws every layer when their text changes: two builds must be identical."""
    from streamlit_folium import _get_feature_group_string

    def text() -> str:
        m = maps.base_map(assets.urls(""))
        groups = [maps.municipality_layer(territory.municipalities),
                  maps.environment_layer(territory.environments, stack=True),
                  maps.urban_core_layer(territory.urban_cores, "sv", territory.region),
                  maps.settlement_layer(territory.settlements)]
        return "".join(_get_feature_group_string(g, m, i) for i, g in enumerate(groups))

    assert text() == text()
