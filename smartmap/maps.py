"""Folium maps of a territory, built to work offline.

Every map loads Leaflet and jQuery from the URLs of :mod:`smartmap.assets` (never a CDN), draws
municipalities as one SVG path each (class ``sm-municipality``) and environments as circle markers
(class ``sm-env``), and escapes every text from data that reaches HTML. Basemap tiles are added
only when asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from smartmap import style, vocab
from smartmap.assets import AssetUrls, is_local
from smartmap.htmltext import escape, link
from smartmap.layers import Territory
from smartmap.settings import EXCHANGE_CRS, Basemap

MUNICIPALITY_CLASS = "sm-municipality"
ENVIRONMENT_CLASS = "sm-env"
DEFAULT_ZOOM = 9

TILES: dict[str, tuple[str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
    ),
    "cartodb": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors '
        '&copy; <a href="https://carto.com/attributions">CARTO</a>',
    ),
}

COLOR_BY: dict[str, str] = {"env_type": "env_type", "area": "priority_areas"}
"""How environment markers can be coloured: by type, or by (first) priority area."""

TEXT = {
    "type": vocab.Label("Typ", "Type"),
    "host": vocab.Label("Huvudman", "Host"),
    "level": vocab.Label("Styrningsnivå", "Governance level"),
    "areas": vocab.Label("Prioriterade områden", "Priority areas"),
    "services": vocab.Label("Tjänster", "Services"),
    "status": vocab.Label("Status", "Status"),
    "municipality": vocab.Label("Kommun", "Municipality"),
    "website": vocab.Label("Webbplats", "Website"),
    "source": vocab.Label("Källa", "Source"),
    "none": vocab.Label("inga", "none"),
    "legend_types": vocab.Label("Typ av miljö", "Type of environment"),
    "legend_areas": vocab.Label("Prioriterat område (första)", "Priority area (first listed)"),
    "no_area": vocab.Label("Inget S3-område", "No S3 area"),
    "municipalities": vocab.Label("Kommuner", "Municipalities"),
    "environments": vocab.Label("Innovationsmiljöer", "Innovation environments"),
}


def _t(key: str, lang: vocab.Lang) -> str:
    return TEXT[key](lang)


def base_map(
    assets: AssetUrls,
    basemap: Basemap = "none",
    location: Sequence[float] = (59.40, 18.10),
    zoom: int = DEFAULT_ZOOM,
) -> folium.Map:
    """An empty Leaflet map that loads its scripts from ``assets`` and has tiles only on request."""
    m = folium.Map(
        location=list(location),
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    m.default_js = [(f"smartmap_js_{i}", url) for i, url in enumerate(assets.js)]
    m.default_css = [(f"smartmap_css_{i}", url) for i, url in enumerate(assets.css)]
    if basemap != "none":
        url, attribution = TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=18).add_to(m)
    return m


def _to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(EXCHANGE_CRS)


def municipality_layer(municipalities: gpd.GeoDataFrame, lang: vocab.Lang = "sv") -> folium.FeatureGroup:
    """The municipality polygons, one SVG path each, with an escaped name tooltip."""
    geo = _to_wgs84(municipalities[["kommun_kod", "kommun", "geometry"]])
    geo = geo.assign(
        label=[f"{escape(n)} ({escape(c)})" for n, c in zip(geo["kommun"], geo["kommun_kod"], strict=True)]
    )[["kommun_kod", "label", "geometry"]]
    group = folium.FeatureGroup(name=_t("municipalities", lang), control=True)
    folium.GeoJson(
        geo.to_json(drop_id=True),
        name=_t("municipalities", lang),
        style_function=lambda _f: {
            "fillColor": style.MUNICIPALITY_FILL,
            "color": style.MUNICIPALITY_LINE,
            "weight": 1,
            "fillOpacity": 0.6,
        },
        highlight_function=lambda _f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        className=MUNICIPALITY_CLASS,
    ).add_to(group)
    return group


def _list_labels(text: object, enum: type, lang: vocab.Lang) -> str:
    items = vocab.parse_list(None if pd.isna(text) else str(text), enum)
    return ", ".join(vocab.label(i, lang) for i in items) if items else _t("none", lang)


def environment_popup_html(row: pd.Series, lang: vocab.Lang = "sv") -> str:
    """The popup of one environment: every text from data escaped, links only if http(s)."""
    parts = [
        f"<strong>{escape(row['name'])}</strong>",
        f"{_t('type', lang)}: {escape(vocab.label(row['env_type'], lang))}",
        f"{_t('municipality', lang)}: {escape(row.get('kommun'))} ({escape(row['kommun_kod'])})",
        f"{_t('host', lang)}: {escape(row.get('host_organisation'))}",
        f"{_t('level', lang)}: {escape(vocab.label(row['governance_level'], lang))}",
        f"{_t('areas', lang)}: {escape(_list_labels(row.get('priority_areas'), vocab.Area, lang))}",
        f"{_t('services', lang)}: {escape(_list_labels(row.get('services'), vocab.Service, lang))}",
        f"{_t('status', lang)}: {escape(vocab.label(row['status'], lang))}",
    ]
    if not pd.isna(row.get("website")) and row.get("website"):
        parts.append(f"{_t('website', lang)}: {link(row.get('website'))}")
    if not pd.isna(row.get("source_url")) and row.get("source_url"):
        first = str(row.get("source_url")).split(" | ")[0]
        parts.append(f"{_t('source', lang)}: {link(first)}")
    return '<div class="sm-popup">' + "<br>".join(parts) + "</div>"


def marker_colour(row: pd.Series, color_by: str = "env_type") -> str:
    """Colour of an environment's marker: its type's, or its first priority area's."""
    if color_by == "area":
        areas = vocab.parse_list(row.get("priority_areas"), vocab.Area)
        return style.AREA_COLOURS[areas[0]] if areas else style.NONE_COLOUR
    return style.ENV_TYPE_COLOURS[row["env_type"]]


def drawable(environments: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The environments that have a location (the others stay in tables only)."""
    geom = environments.geometry
    return environments.loc[geom.notna() & ~geom.is_empty]


def environment_layer(
    environments: gpd.GeoDataFrame,
    lang: vocab.Lang = "sv",
    color_by: str = "env_type",
) -> folium.FeatureGroup:
    """One circle marker per environment with a location, coloured by type or area."""
    group = folium.FeatureGroup(name=_t("environments", lang), control=True)
    env = drawable(environments)
    if env.empty:
        return group
    wgs = _to_wgs84(env)
    for (_, row), geom in zip(env.iterrows(), wgs.geometry, strict=True):
        colour = marker_colour(row, color_by)
        folium.CircleMarker(
            location=[round(geom.y, 6), round(geom.x, 6)],
            radius=7,
            color="#222222",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.9,
            tooltip=folium.Tooltip(escape(row["name"])),
            popup=folium.Popup(environment_popup_html(row, lang), max_width=320),
            className=f"{ENVIRONMENT_CLASS} {ENVIRONMENT_CLASS}-{row['env_type']}",
        ).add_to(group)
    return group


class Legend(MacroElement):
    """A Leaflet control in the map's bottom-right corner listing colours and their meaning."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'bottomright'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'sm-legend');
            div.setAttribute('role', 'region');
            div.setAttribute('aria-label', {{ this.title|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, entries: Sequence[tuple[str, str]]):
        super().__init__()
        self._name = "Legend"
        self.title = title
        rows = "".join(
            f'<div><span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
            f'border:1px solid #222;background:{escape(colour)};margin-right:6px"></span>'
            f"{escape(text)}</div>"
            for text, colour in entries
        )
        self.html = (
            '<div style="background:rgba(255,255,255,0.92);padding:6px 8px;border-radius:4px;'
            'font:12px/1.4 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,0.3)">'
            f"<strong>{escape(title)}</strong>{rows}</div>"
        )


def legend_entries(
    environments: gpd.GeoDataFrame, lang: vocab.Lang = "sv", color_by: str = "env_type"
) -> list[tuple[str, str]]:
    """(label, colour) for each category present among the drawn environments, in vocab order."""
    env = drawable(environments)
    if color_by == "area":
        first = env["priority_areas"].map(
            lambda v: (vocab.parse_list(v, vocab.Area) or (None,))[0]
        )
        present = set(first)
        entries = [(vocab.label(a, lang), style.AREA_COLOURS[a]) for a in vocab.Area if a in present]
        if None in present:
            entries.append((_t("no_area", lang), style.NONE_COLOUR))
        return entries
    present = set(env["env_type"])
    return [
        (vocab.label(t, lang), style.ENV_TYPE_COLOURS[t]) for t in vocab.EnvType if t in present
    ]


def county_bounds(territory: Territory) -> list[list[float]]:
    """[[south, west], [north, east]] of the county in WGS 84."""
    minx, miny, maxx, maxy = _to_wgs84(territory.municipalities).total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def environment_map(
    territory: Territory,
    assets: AssetUrls,
    lang: vocab.Lang = "sv",
    basemap: Basemap = "none",
    environments: gpd.GeoDataFrame | None = None,
    color_by: str = "env_type",
) -> folium.Map:
    """The county's municipalities and environments with a legend and a layer control."""
    env = territory.environments if environments is None else environments
    bounds = county_bounds(territory)
    centre = ((bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2)
    m = base_map(assets, basemap, centre)
    municipality_layer(territory.municipalities, lang).add_to(m)
    environment_layer(env, lang, color_by).add_to(m)
    title = _t("legend_types" if color_by == "env_type" else "legend_areas", lang)
    Legend(title, legend_entries(env, lang, color_by)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds(bounds)
    return m


def asset_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map's elements ask the browser to load."""
    links: list[str] = []

    def walk(element: object) -> None:
        for _, url in getattr(element, "default_js", []) or []:
            links.append(url)
        for _, url in getattr(element, "default_css", []) or []:
            links.append(url)
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(links))


def external_links(m: folium.Map) -> list[str]:
    """Asset URLs that would leave this server (must be empty for an offline map)."""
    return [u for u in asset_links(m) if not is_local(u)]
