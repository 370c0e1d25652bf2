"""Folium maps of a territory, built to work offline.

Every map loads Leaflet and jQuery from the URLs of :mod:`smartmap.render.assets` (never a CDN). The map
itself (:func:`base_map`) carries no data; each data layer is a ``FeatureGroup`` built by one
function here, with its legend inside it, so a page can hand the groups that change to
``st_folium(feature_group_to_add=...)`` and keep the user's zoom. Municipalities are drawn as one
SVG path each (class ``sm-municipality``), environments as circle markers (class ``sm-env``). Every
text from data that reaches HTML is escaped. Basemap tiles are added only when asked for.
"""

from __future__ import annotations

import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import NotRequired, TypeAlias, TypedDict

import folium
import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
import shapely.geometry
from branca.element import MacroElement
from jinja2 import Template

from smartmap.analysis import catalog
from smartmap.analysis.environments import location_precision
from smartmap.core import lists, vocab
from smartmap.core.fmt import format_delta, format_value, is_missing
from smartmap.core.region import Region, Terms
from smartmap.core.settings import EXCHANGE_CRS, Basemap
from smartmap.data.layers import Territory
from smartmap.render import classify, style
from smartmap.render.assets import AssetUrls, is_local
from smartmap.render.htmltext import escape, link

MUNICIPALITY_CLASS = "sm-municipality"
ENVIRONMENT_CLASS = "sm-env"
CORE_CLASS = "sm-core"
SETTLEMENT_CLASS = "sm-settlement"
POPULATION_CLASS = "sm-poppoint"
DELTA_CLASS = "sm-delta"
EDITED_CLASS = "sm-edited"
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

STACK_PIXELS = 12
"""Markers closer than this on screen are stacked into one numbered marker (``stack=True``)."""

COLOR_BY = ("env_type", "area")
"""How environment markers can be coloured: by type, or by (first listed) priority area."""


def _t(key: str, lang: vocab.Lang) -> str:
    return vocab.text(key, lang)


def _to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.to_crs(EXCHANGE_CRS)


def _located(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geom = frame.geometry
    return frame.loc[geom.notna() & ~geom.is_empty]


def drawable(environments: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The environments that have a location (the others stay in tables only)."""
    return _located(environments)


# ---------------------------------------------------------------------------------------------
# the map


def county_view(territory: Territory, height_px: int = 650,
                width_px: int = 700, step: float = 1.0) -> tuple[tuple[float, float], float]:
    """Centre (lat, lon) and the largest zoom (a multiple of ``step``: 1 for whole levels, 0.25
    for a map made with ``zoom_snap=0.25``) that shows the whole county in a map of that size
    (computed once per territory, size and step).

    Web Mercator: a zoom level z spans 256 * 2**z pixels per 360 degrees of longitude, and a
    degree of latitude is 1 / cos(latitude) times taller than a degree of longitude.
    """
    def build(t: Territory) -> tuple[tuple[float, float], float]:
        minx, miny, maxx, maxy = _to_wgs84(t.municipalities).total_bounds
        lat = (miny + maxy) / 2
        per_degree_x = 256 / 360
        per_degree_y = per_degree_x / max(np.cos(np.radians(lat)), 1e-6)
        fit_x = width_px / max((maxx - minx) * per_degree_x, 1e-9)
        fit_y = height_px / max((maxy - miny) * per_degree_y, 1e-9)
        zoom = float(np.clip(np.floor(np.log2(min(fit_x, fit_y)) / step) * step, 4, 11))
        return (float(lat), float((minx + maxx) / 2)), int(zoom) if step == 1 else zoom

    return territory.cached(("county_view", height_px, width_px, step), ("municipalities",),
                            build)


def base_map(
    assets: AssetUrls,
    basemap: Basemap = "none",
    location: Sequence[float] = (59.45, 18.15),
    zoom: float = DEFAULT_ZOOM,
    zoom_snap: float | None = None,
) -> folium.Map:
    """An empty Leaflet map that loads its scripts from ``assets`` and has tiles only on request
    (``zoom_snap`` < 1 allows zoom levels between the whole ones, e.g. 7.75)."""
    m = folium.Map(
        location=list(location),
        # folium annotates an int; Leaflet takes any zoom (7.75 with zoom_snap 0.25)
        zoom_start=zoom,  # type: ignore[arg-type]
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        zoom_snap=zoom_snap,  # folium leaves out the options that are None
        zoom_delta=None if zoom_snap is None else zoom_snap * 2,
    )
    m.default_js = [(f"smartmap_js_{i}", url) for i, url in enumerate(assets.js)]
    m.default_css = [(f"smartmap_css_{i}", url) for i, url in enumerate(assets.css)]
    MetricScale().add_to(m)
    if basemap != "none":
        url, attribution = TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=18, control=False).add_to(m)
    return m


class _Macro(MacroElement):
    """A branca ``MacroElement`` with a typed constructor, the base of smartmap's own elements
    (each draws itself from its ``_template``)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's __init__ has no annotations


class MetricScale(_Macro):
    """A metric-only scale bar (Leaflet's default also shows miles), and the guard that fades a
    legend while a tooltip lies under it (``smartmap-map.js``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        if (window.smartmap) { smartmap.guardTooltips({{ this._parent.get_name() }}); }
        {% endmacro %}
        """
    )


LegendEntry = tuple[str, str] | tuple[str, str, str]
"""(text, colour) or (text, colour, shape); shape is ``circle``, ``square``, ``ring`` (a hollow
ring: an urban core), ``approx`` (a dotted ring: an approximate location) or ``stack`` (stacked
markers)."""


def legend_html(title: str, entries: Sequence[LegendEntry], note: str | None = None,
                shape: str = "circle") -> str:
    """A legend's content: its title (the ``<summary>`` that folds it) and one row per entry,
    every text escaped."""
    rows = []
    for entry in entries:
        text, colour = entry[0], entry[1]
        kind = entry[2] if len(entry) > 2 else shape
        if kind in ("ring", "approx"):
            swatch = (f'<span class="sm-sw sm-sw-{kind}" style="border-color:{escape(colour)}">'
                      "</span>")
        elif kind == "stack":
            swatch = '<span class="sm-sw sm-sw-stack">3</span>'
        else:
            cls = "sm-sw sm-sw-circle" if kind == "circle" else "sm-sw"
            swatch = f'<span class="{cls}" style="background:{escape(colour)}"></span>'
        rows.append(f'<div class="sm-row">{swatch}{escape(text)}</div>')
    foot = f'<div class="sm-note">{escape(note)}</div>' if note else ""
    return f"<summary>{escape(title)}</summary>{''.join(rows)}{foot}"


class Legend(_Macro):
    """A compact, collapsible legend that lives inside a feature group: shown while the group
    is on the map (``smartmap.legend`` in ``smartmap-map.js``).

    Added to a FeatureGroup, it appears when the group is added and disappears when the group is
    removed (by the layer control, or by st_folium replacing the group). It is a ``<details>``
    element: a click or Enter on its title folds it; it starts folded on narrow maps, and fades
    while a tooltip lies under it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        smartmap.legend({{ this._parent.get_name() }},
                        {position: {{ this.position|tojson }}, title: {{ this.title|tojson }},
                         html: {{ this.html|tojson }}, folded: {{ this.folded|tojson }}});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        entries: Sequence[LegendEntry],
        note: str | None = None,
        position: str = "bottomright",
        shape: str = "circle",
        collapsed: bool = False,
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.position = position
        self.html = legend_html(title, entries, note, shape)
        self.folded = bool(collapsed)


class Focus(_Macro):
    """Zoom the map once to a chosen place (``bounds`` [[s, w], [n, e]] or a ``point``): when the
    group holding it is drawn with a new ``token``, not again when the layers are redrawn. With
    ``open_popup``, the popup of the group's marker opens (a place chosen from a list)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        smartmap.focusOn({{ this._parent.get_name() }}, {{ this.spec|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, token: str, bounds: Sequence[Sequence[float]] | None = None,
                 point: Sequence[float] | None = None, zoom: int = 13, open_popup: bool = False,
                 exact: bool = False) -> None:
        super().__init__()
        self._name = "Focus"
        spec: dict[str, object] = {"token": str(token), "zoom": int(zoom), "maxZoom": int(zoom),
                                   "openPopup": bool(open_popup), "exact": bool(exact)}
        if bounds is not None:
            spec["bounds"] = [[round(float(v), 5) for v in corner] for corner in bounds]
        if point is not None:
            spec["point"] = [round(float(v), 6) for v in point]
        self.spec = spec


JsonValue: TypeAlias = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
"""A value ``json.dumps`` writes as it is."""
MarkerOptions: TypeAlias = dict[str, str | int | float | bool | None]
"""Leaflet options of a circle marker (``radius``, ``color``, ``className`` ...)."""


class MarkerRow(TypedDict):
    """One marker of :class:`CircleMarkers`: where, how it looks, its texts (escaped HTML)."""

    lat: float
    lon: float
    options: MarkerOptions
    tooltip: str
    popup: str
    approx: NotRequired[bool]


class CircleMarkers(_Macro):
    """Many circle markers drawn by one short script from a JSON array (fast to build and send).

    Each row gives ``lat``, ``lon``, Leaflet ``options`` (colours, ``className`` ...), an escaped
    ``tooltip`` and a ``popup`` HTML string built with every data text escaped. Leaflet builds a
    popup's DOM only when it opens. With ``stack``, markers that overlap on screen are drawn as
    one numbered marker that fans out on click (``smartmap.markers`` in ``smartmap-map.js``). The JSON is written with Jinja's ``tojson`` (``<``, ``>``,
    ``&`` and ``'`` escaped), so no text can end the script. Building one folium ``CircleMarker``
    with tooltip and popup per row costs about a millisecond each in template compilation; this
    costs microseconds.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        smartmap.markers({{ this._parent.get_name() }}, {{ this.rows|tojson }},
                         {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, rows: Sequence[MarkerRow], max_width: int = 340, stack: bool = False,
                 stack_label: str = "{n}") -> None:
        super().__init__()
        self._name = "CircleMarkers"
        self.rows = [_json_ready(r) for r in rows]
        self._points = [(float(r["lat"]), float(r["lon"])) for r in rows]
        self.max_width = int(max_width)
        self.options = {"maxWidth": self.max_width, "stack": bool(stack),
                        "stackPixels": STACK_PIXELS, "stackLabel": stack_label}

    def _get_self_bounds(self) -> list[list[float | None]]:
        if not self._points:
            return [[None, None], [None, None]]
        lats = [lat for lat, _ in self._points]
        lons = [lon for _, lon in self._points]
        return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _json_ready(value: object) -> JsonValue:
    """Plain JSON values (numpy numbers become floats/ints, NA becomes null)."""
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        item: JsonValue = value.item()  # the Python number (or text) of a numpy scalar
        return item
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if is_missing(value):
        return None
    return str(value)


# ---------------------------------------------------------------------------------------------
# municipalities


@functools.lru_cache(maxsize=16)
def _geometry_json(crs: str, wkb: tuple[bytes, ...]) -> tuple[str, ...]:
    """GeoJSON geometry text in WGS 84 (1e-5 degree grid) of each polygon, computed once per set
    of polygons: every choropleth and change map redraws the same municipalities."""
    series = gpd.GeoSeries(shapely.from_wkb(list(wkb)), crs=crs).to_crs(EXCHANGE_CRS)
    fixed = series.set_precision(1e-5)
    return tuple(json.dumps(shapely.geometry.mapping(g)) if g is not None else "null"
                 for g in fixed)


def _municipality_geojson(municipalities: gpd.GeoDataFrame, extra: pd.DataFrame) -> str:
    frame = municipalities.reset_index(drop=True)
    geometry = _geometry_json(frame.crs.to_string(),
                              tuple(shapely.to_wkb(frame.geometry.values).tolist()))
    props: dict[str, list[object]] = {
        "kommun_kod": frame["kommun_kod"].tolist(),
        "label": [f"{escape(n)} ({escape(c)})"
                  for n, c in zip(frame["kommun"], frame["kommun_kod"], strict=True)],
    }
    for column in extra.columns:
        props[column] = extra[column].tolist()
    features = []
    for i, geom in enumerate(geometry):
        properties = json.dumps({k: _json_ready(v[i]) for k, v in props.items()},
                                ensure_ascii=False)
        features.append(f'{{"type": "Feature", "properties": {properties}, "geometry": {geom}}}')
    return '{"type": "FeatureCollection", "features": [' + ", ".join(features) + "]}"


def municipality_layer(municipalities: gpd.GeoDataFrame, lang: vocab.Lang = "sv") -> folium.FeatureGroup:
    """The municipality outlines, one SVG path each, with an escaped name tooltip."""
    group = folium.FeatureGroup(name=_t("municipalities", lang), control=True)
    data = _municipality_geojson(municipalities, pd.DataFrame(index=municipalities.index))
    folium.GeoJson(
        data,
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


def choropleth_colours(
    municipalities: gpd.GeoDataFrame,
    values: pd.Series,
    column: str,
    lang: vocab.Lang = "sv",
    method: classify.Method = "natural_breaks",
    k: int = 5,
    palette: Sequence[str] | None = None,
    bounds: Sequence[float] | None = None,
    minimum: float | None = None,
    region: Region | None = None,
) -> tuple[list[str], list[tuple[str, str]], npt.NDArray[np.object_]]:
    """Fill colour per municipality, legend entries and the raw values, for any map renderer.

    Numbers are classed by natural breaks or quantiles into a colour-blind-safe sequential
    palette; yes/no metrics get two colours (blue = favourable); missing values are grey. The
    values are aligned on the municipalities by ``kommun_kod``. ``bounds`` (class upper bounds in
    displayed units, % for shares) and ``minimum`` fix the classes.
    """
    info = catalog.metric_info(column, region)
    if info.kind == "text":
        raise ValueError(f"{column} is a text column and cannot be mapped as a choropleth")
    by_code = values.copy()
    by_code.index = by_code.index.astype("str")
    aligned = by_code.reindex(municipalities["kommun_kod"].astype("str").to_numpy())
    raw = aligned.to_numpy(dtype=np.object_)
    if info.kind == "bool":
        yes, no = style.BOOL_COLOURS
        if info.higher_is_better is False:
            yes, no = no, yes
        colours = [style.NO_DATA_COLOUR if pd.isna(v) else (yes if bool(v) else no) for v in raw]
        entries = [(format_value(True, "bool", lang), yes), (format_value(False, "bool", lang), no)]
    else:
        numeric = pd.to_numeric(aligned, errors="coerce")
        shown = numeric * 100 if info.kind == "share" else numeric
        bounds = list(classify.breaks(shown.to_numpy(), method, k) if bounds is None else bounds)
        pal = list(palette or style.sequential(len(bounds)))
        cls = classify.assign_classes(shown.to_numpy(), bounds)
        colours = [pal[c] if c >= 0 else style.NO_DATA_COLOUR for c in cls]
        if minimum is None:
            minimum = float(np.nanmin(shown)) if np.isfinite(shown).any() else None
        labels = classify.class_labels(bounds, minimum, info.kind, lang)
        entries = list(zip(labels, pal, strict=False))
    if style.NO_DATA_COLOUR in colours:
        entries.append((_t("no_data", lang), style.NO_DATA_COLOUR))
    return colours, entries, raw


def _filled_municipalities(
    municipalities: gpd.GeoDataFrame,
    colours: Sequence[str],
    value_text: Sequence[str],
    name: str,
    class_name: str,
    opacity: float,
) -> folium.FeatureGroup:
    """A group with the municipalities filled in the given colours and an (escaped) tooltip."""
    extra = pd.DataFrame({"fill": list(colours), "value": list(value_text)},
                         index=municipalities.index)
    group = folium.FeatureGroup(name=name, control=True)
    folium.GeoJson(
        _municipality_geojson(municipalities, extra),
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": style.MUNICIPALITY_LINE,
            "weight": 1,
            "fillOpacity": opacity,
        },
        highlight_function=lambda _f: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["label", "value"], labels=False),
        className=class_name,
    ).add_to(group)
    return group


def choropleth_layer(
    municipalities: gpd.GeoDataFrame,
    values: pd.Series,
    column: str,
    lang: vocab.Lang = "sv",
    method: classify.Method = "natural_breaks",
    k: int = 5,
    radius_km: float | None = None,
    palette: Sequence[str] | None = None,
    bounds: Sequence[float] | None = None,
    minimum: float | None = None,
    name: str | None = None,
    region: Region | None = None,
) -> folium.FeatureGroup:
    """Municipalities coloured by a metric (one value per municipality, aligned by ``kommun_kod``).

    Classes and colours as :func:`choropleth_colours`. The legend gives the metric's name, unit
    and the radius, and the tooltip the exact value. Fixed ``bounds``/``minimum`` make two maps of
    the same metric (baseline and scenario) use the same colours for the same values.
    """
    info = catalog.metric_info(column, region)
    title = info.title(lang, radius_km)
    colours, entries, raw = choropleth_colours(municipalities, values, column, lang, method, k,
                                               palette, bounds, minimum, region)
    value_text = [f"{escape(title)}: {escape(format_value(v, info.kind, lang))}" for v in raw]
    group = _filled_municipalities(municipalities, colours, value_text,
                                   name or _t("choropleth", lang), MUNICIPALITY_CLASS, 0.75)
    note = None
    if info.kind in ("km", "share") or column.startswith("dist"):
        note = _t("map_straight_line", lang)
    Legend(title, entries, note=note, position="bottomleft", shape="square").add_to(group)
    return group


def shared_classes(
    series: Sequence[pd.Series], column: str, method: classify.Method = "natural_breaks", k: int = 5,
    region: Region | None = None,
) -> tuple[list[float], float | None]:
    """Class bounds and minimum (displayed units) over several value sets of one metric, for
    :func:`choropleth_layer` maps that must be comparable (baseline vs scenario)."""
    info = catalog.metric_info(column, region)
    values = pd.concat([pd.to_numeric(pd.Series(s, dtype="object"), errors="coerce")
                        for s in series], ignore_index=True).astype("float64")
    shown = values * 100 if info.kind == "share" else values
    finite = shown[np.isfinite(shown)]
    return classify.breaks(finite.to_numpy(), method, k), (float(finite.min()) if len(finite)
                                                          else None)


def delta_unit(kind: str, lang: vocab.Lang = "sv") -> str:
    """Unit of a change: percentage points for shares, else the metric's own unit."""
    if kind == "share":
        return _t("unit_percentage_points", lang)
    if kind == "km":
        return "km"
    return ""


def delta_layer(
    municipalities: gpd.GeoDataFrame,
    before: pd.Series,
    after: pd.Series,
    column: str,
    lang: vocab.Lang = "sv",
    radius_km: float | None = None,
    name: str | None = None,
    region: Region | None = None,
) -> folium.FeatureGroup:
    """Municipalities coloured by the change of a metric (after - before), centred on zero.

    A diverging colour-blind-safe palette (:data:`smartmap.render.style.DIVERGING`): the middle colour
    is "no change", blue is better and red is worse for metrics with a direction (a shorter
    distance is better), blue is up for the others. Three round classes on each side, the same
    width up and down. Before and after are aligned by ``kommun_kod``; the tooltip gives both and
    the change. Yes/no and text metrics have no change map.
    """
    info = catalog.metric_info(column, region)
    if info.kind in ("bool", "text"):
        raise ValueError(f"{column} is not numeric and has no change map")
    codes = municipalities["kommun_kod"].astype("str").to_numpy()

    def aligned(values: pd.Series) -> npt.NDArray[np.float64]:
        v = values.copy()
        v.index = v.index.astype("str")
        return pd.to_numeric(v.reindex(codes), errors="coerce").to_numpy(dtype=np.float64,
                                                                          na_value=np.nan)

    b, a = aligned(before), aligned(after)
    delta = a - b
    both_missing = np.isnan(a) & np.isnan(b)
    delta = np.where(both_missing, 0.0, delta)  # missing on both sides: unchanged
    shown = delta * 100 if info.kind == "share" else delta
    bounds = classify.delta_bounds(shown, integer=info.kind == "count")
    cls = classify.delta_classes(list(shown), bounds)
    k = len(bounds)
    direction = -1 if info.higher_is_better is False else 1
    palette = style.DIVERGING  # 7 colours, red (worse) .. neutral .. blue (better)
    mid = len(palette) // 2
    colours = [style.NO_DATA_COLOUR if c < -k else palette[mid + direction * c] for c in cls]
    title = vocab.text("map_change_title", lang, title=info.title(lang, radius_km))
    entries: list[tuple[str, str]] = []
    present = set(int(c) for c in cls)
    for c in range(k, -k - 1, -1):  # the classes that occur, from most up to most down
        if c == 0:
            entries.append((_t("no_change", lang), palette[mid]))
        elif c in present:
            low, high = (0.0 if abs(c) == 1 else bounds[abs(c) - 2]), bounds[abs(c) - 1]
            sign = "+" if c > 0 else "−"
            entries.append((f"{sign}{_num(low, info.kind, lang)} – "
                            f"{sign}{_num(high, info.kind, lang)}",
                            palette[mid + direction * c]))
    if any(c < -k for c in cls):
        entries.append((_t("no_data", lang), style.NO_DATA_COLOUR))
    value_text = [
        f"{escape(format_value(x, info.kind, lang))} → {escape(format_value(y, info.kind, lang))} "
        f"({escape(format_delta(None if np.isnan(d) else d, info.kind, lang))})"
        for x, y, d in zip(b, a, delta, strict=True)
    ]
    group = _filled_municipalities(municipalities, colours, value_text,
                                   name or _t("change_layer", lang),
                                   f"{MUNICIPALITY_CLASS} {DELTA_CLASS}", 0.8)
    unit = delta_unit(info.kind, lang)
    note = _t("change_note_direction" if info.higher_is_better is not None else "change_note",
              lang)
    if unit:
        note = f"{unit[:1].upper()}{unit[1:]}. {note}"
    Legend(title, entries, note=note, position="bottomleft", shape="square").add_to(group)
    return group


def _num(value: float, kind: str, lang: vocab.Lang) -> str:
    decimals = 0 if kind in ("count", "area") else (2 if kind == "ratio" else 1)
    if float(value).is_integer():
        decimals = 0
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "sv" else text


def marker_layer(
    lat: float, lon: float, label: str, name: str, css_class: str = "sm-pending"
) -> folium.FeatureGroup:
    """One highlighted point (where the user clicked), as a ring with an escaped tooltip."""
    group = folium.FeatureGroup(name=name, control=False)
    folium.CircleMarker(
        location=[round(float(lat), 6), round(float(lon), 6)],
        radius=11,
        color="#000000",
        weight=3,
        dash_array="4 3",
        fill=True,
        fill_color="#FFFFFF",
        fill_opacity=0.5,
        tooltip=folium.Tooltip(escape(label), permanent=True, direction="top"),
        className=css_class,
    ).add_to(group)
    return group


# ---------------------------------------------------------------------------------------------
# environments


def _list_labels(text: object, enum: vocab.Vocabulary, lang: vocab.Lang) -> str:
    items = lists.split(text)
    if isinstance(enum, Terms):
        names = [enum.label(i, lang) for i in items if i in enum]
    else:
        names = [vocab.label(i, lang) for i in vocab.parse_list(text, enum)]
    return ", ".join(names) if names else _t("none", lang)


def _areas(region: Region | None) -> Terms:
    return region.areas if region is not None else Terms("area")


Record: TypeAlias = pd.Series | Mapping[Hashable, object]
"""One environment: a table row, or its record (column -> value)."""
_PopupKey: TypeAlias = tuple[tuple[tuple[Hashable, object], ...], vocab.Lang, str | None,
                             Region | None]
_POPUPS: OrderedDict[_PopupKey, str] = OrderedDict()
_POPUPS_MAX = 20_000
_POPUPS_LOCK = threading.Lock()


def _popup(row: Mapping[Hashable, object], lang: vocab.Lang, precision: str | None,
           region: Region | None) -> str:
    """:func:`environment_popup_html`, kept per row content (a workshop redraws the same
    environments after every edit; only the edited ones are new)."""
    try:
        key: _PopupKey = (tuple(row.items()), lang, precision, region)
        hash(key)
    except TypeError:
        return environment_popup_html(row, lang, precision, region)
    found = _POPUPS.get(key)
    if found is None:
        found = environment_popup_html(row, lang, precision, region)
        with _POPUPS_LOCK:  # sessions draw in their own threads
            _POPUPS[key] = found
            while len(_POPUPS) > _POPUPS_MAX:
                _POPUPS.popitem(last=False)
    return found


def environment_popup_html(row: Record, lang: vocab.Lang = "sv",
                           precision: str | None = None, region: Region | None = None) -> str:
    """The popup of one environment: every text from data escaped, links only if http(s)."""
    parts = [f"<strong>{escape(row['name'])}</strong>"]
    if precision == vocab.Precision.PLACEHOLDER:
        parts.append(f'<span class="sm-approx-note">{escape(_t("approximate_location", lang))}:'
                     f" {escape(_t('approximate_location_note', lang))}</span>")
    parts += [
        f"{_t('type', lang)}: {escape(vocab.label(str(row['env_type']), lang))}",
        f"{_t('municipality', lang)}: {escape(row.get('kommun'))} ({escape(row['kommun_kod'])})",
        f"{_t('host', lang)}: {escape(row.get('host_organisation'))}",
        f"{_t('level', lang)}: {escape(vocab.label(str(row['governance_level']), lang))}",
        f"{_t('areas', lang)}: {escape(_list_labels(row.get('priority_areas'), _areas(region), lang))}",
        f"{_t('services', lang)}: {escape(_list_labels(row.get('services'), vocab.Service, lang))}",
        f"{_t('status', lang)}: {escape(vocab.label(str(row['status']), lang))}",
    ]
    if precision:
        parts.append(f"{_t('precision', lang)}: {escape(vocab.label(precision, lang))}")
    website = row.get("website")
    if isinstance(website, str) and website.strip():
        parts.append(f"{_t('website', lang)}: {link(website, _host(website))}")
    source = row.get("source_url")
    if isinstance(source, str) and source.strip():
        links = [link(u.strip(), _host(u.strip())) for u in source.split(" | ") if u.strip()]
        parts.append(f"{_t('source', lang)}: {', '.join(links)}")
    return '<div class="sm-popup">' + "<br>".join(parts) + "</div>"


def _host(url: str) -> str:
    text = url.split("://", 1)[-1]
    return text.split("/", 1)[0] or url


def marker_colour(row: Record, color_by: str = "env_type",
                  region: Region | None = None) -> str:
    """Colour of an environment's marker: its type's, or its first priority area's."""
    if color_by == "area":
        terms = _areas(region)
        areas = [a for a in lists.split(row.get("priority_areas")) if a in terms]
        return terms.colour(areas[0]) if areas else style.NONE_COLOUR
    return style.ENV_TYPE_COLOURS[str(row["env_type"])]


def legend_entries(
    environments: gpd.GeoDataFrame, lang: vocab.Lang = "sv", color_by: str = "env_type",
    region: Region | None = None,
) -> list[tuple[str, str]]:
    """(label, colour) for each category present among the drawn environments, in vocab order."""
    env = drawable(environments)
    if color_by == "area":
        terms = _areas(region)
        first = env["priority_areas"].map(
            lambda v: next((a for a in lists.split(v) if a in terms), None))
        present = set(first)
        entries = [(t.label(lang), terms.colour(t.id)) for t in terms if t.id in present]
        if None in present:
            entries.append((_t("no_area", lang), style.NONE_COLOUR))
        return entries
    present = set(env["env_type"])
    return [(vocab.label(t, lang), style.ENV_TYPE_COLOURS[t]) for t in vocab.EnvType if t in present]


def environment_layer(
    environments: gpd.GeoDataFrame,
    lang: vocab.Lang = "sv",
    color_by: str = "env_type",
    legend: bool = True,
    name: str | None = None,
    extra_class: str = "",
    highlight: Collection[str] = (),
    region: Region | None = None,
    stack: bool = False,
    legend_collapsed: bool = False,
) -> folium.FeatureGroup:
    """One circle marker per environment with a location, coloured by type or area, + legend.

    Environments whose id is in ``highlight`` (those a scenario changed) get a thick ring and the
    class ``sm-edited``. A point whose location is approximate (a placeholder that only places
    the environment in its municipality, :func:`~smartmap.analysis.environments.location_precision`)
    is a hollow ring in its colour (class ``sm-approx``), with its own legend entry, and its popup
    says so first. With ``stack``, markers that overlap on screen are stacked into one numbered
    marker that fans out on click or Enter (the locations themselves are never moved).
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}")
    group = folium.FeatureGroup(name=name or _t("environments", lang), control=True)
    env = drawable(environments)
    if env.empty:
        return group
    wgs = _to_wgs84(env)
    precision = location_precision(env)
    approx = precision == vocab.Precision.PLACEHOLDER
    planned = env["status"] == vocab.Status.PLANNED
    closed = env["status"] == vocab.Status.CLOSED
    marked = set(highlight)
    rows: list[MarkerRow] = []
    records = pd.DataFrame(env.drop(columns="geometry")).to_dict("records")
    for idx, row, geom in zip(env.index, records, wgs.geometry, strict=True):
        status_class = " sm-closed" if closed[idx] else (" sm-planned" if planned[idx] else "")
        edited = row["id"] in marked
        if edited:
            status_class += f" {EDITED_CLASS}"
        colour = marker_colour(row, color_by, region)
        if approx[idx]:
            status_class += " sm-approx"
        rows.append({
            "lat": round(geom.y, 6),
            "lon": round(geom.x, 6),
            "approx": bool(approx[idx]),
            "options": {
                "radius": 9 if edited else 7,
                "color": "#000000" if edited else (colour if approx[idx] else "#222222"),
                "weight": 3 if edited or approx[idx] else (2 if planned[idx] else 1),
                "dashArray": "2 2" if approx[idx] else ("3 2" if planned[idx] else None),
                "fill": True,
                "fillColor": "#ffffff" if approx[idx] else colour,
                "fillOpacity": 0.35 if closed[idx] else 0.9,
                "className": f"{ENVIRONMENT_CLASS} {ENVIRONMENT_CLASS}-{row['env_type']}"
                             f"{status_class}" + (f" {extra_class}" if extra_class else ""),
            },
            "tooltip": escape(row["name"]) + (
                f" ({escape(_t('approximate_location', lang).lower())})" if approx[idx] else ""),
            "popup": _popup(row, lang, precision[idx], region),
        })
    CircleMarkers(rows, max_width=340, stack=stack,
                  stack_label=_t("stack_label", lang)).add_to(group)
    if legend:
        title = _t("legend_types" if color_by == "env_type" else "legend_areas", lang)
        entries: list[LegendEntry] = list(legend_entries(env, lang, color_by, region))
        if approx.any():
            entries.append((_t("approximate_location", lang), "#555555", "approx"))
        if stack:
            entries.append((_t("legend_stack", lang), "#222222", "stack"))
        Legend(title, entries, collapsed=legend_collapsed).add_to(group)
    return group


def selection_layer(environment: gpd.GeoDataFrame, lang: vocab.Lang, token: str | None,
                    region: Region | None = None, zoom: int = 13) -> folium.FeatureGroup:
    """One environment (a one-row frame) chosen from a list, the keyboard's way to the map: a
    thick ring at its true location with its popup open, and the map zoomed to it once per
    choice (``token``; ``None``: the ring only, the map stays where it is)."""
    group = folium.FeatureGroup(name=_t("chosen_environment", lang), control=False)
    located = drawable(environment)
    if located.empty:
        return group
    point = _to_wgs84(located).geometry.iloc[0]
    row = located.iloc[0]
    rows: list[MarkerRow] = [{
        "lat": round(point.y, 6), "lon": round(point.x, 6),
        "options": {"radius": 13, "color": "#000000", "weight": 4, "fill": False,
                    "className": "sm-selected"},
        "tooltip": escape(row["name"]),
        "popup": environment_popup_html(row, lang, location_precision(located).iloc[0], region),
    }]
    CircleMarkers(rows).add_to(group)
    if token is not None:
        Focus(token, point=(point.y, point.x), zoom=zoom, open_popup=True).add_to(group)
    return group


def view_layer(lat: float, lon: float, zoom: int, token: str,
               lang: vocab.Lang = "sv") -> folium.FeatureGroup:
    """An empty group that sets the map's view once (per ``token``): a view from a link."""
    group = folium.FeatureGroup(name=_t("chosen_municipality", lang), control=False)
    Focus(token, point=(lat, lon), zoom=zoom, exact=True).add_to(group)
    return group


def focus_layer(bounds: Sequence[float], token: str, lang: vocab.Lang = "sv",
                max_zoom: int = 11) -> folium.FeatureGroup:
    """An empty group that zooms the map once (per ``token``) to ``bounds`` (minx, miny, maxx,
    maxy in WGS 84): a municipality chosen in the profile, or from a link."""
    group = folium.FeatureGroup(name=_t("chosen_municipality", lang), control=False)
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    Focus(token, bounds=[[miny, minx], [maxy, maxx]], zoom=max_zoom).add_to(group)
    return group


# ---------------------------------------------------------------------------------------------
# urban cores, settlements, population points


def urban_core_layer(cores: gpd.GeoDataFrame, lang: vocab.Lang = "sv",
                     region: Region | None = None) -> folium.FeatureGroup:
    """The region's urban cores as ringed markers, larger and darker for the first classes."""
    group = folium.FeatureGroup(name=_t("urban_cores", lang), control=True)
    located = _located(cores)
    if located.empty:
        return group
    wgs = _to_wgs84(located)
    classes = region.core_classes if region is not None else Terms("core class")
    sizes = {c: max(14 - 3 * i, 5) for i, c in enumerate(classes.ids)}

    def class_label(cls: str) -> str:
        return classes.label(cls, lang) if cls in classes else cls

    rows: list[MarkerRow] = []
    for (_, row), geom in zip(located.iterrows(), wgs.geometry, strict=True):
        cls = row["core_class"]
        popup = (
            f"<strong>{escape(row['name'])}</strong><br>"
            f"{_t('core_class', lang)}: {escape(class_label(cls))}<br>"
            f"{_t('municipalities', lang)}: {escape(row['kommun_koder'])}"
        )
        if isinstance(row.get("description"), str):
            popup += f"<br><small>{escape(row['description'])}</small>"
        rows.append({
            "lat": round(geom.y, 6), "lon": round(geom.x, 6),
            "options": {"radius": sizes.get(cls, 7), "weight": 3, "fill": False,
                        "color": classes.colour(cls) if cls in classes else "#000000",
                        "className": f"{CORE_CLASS} {CORE_CLASS}-{cls}"},
            "tooltip": f"{escape(row['name'])} ({escape(class_label(cls))})",
            "popup": f'<div class="sm-popup">{popup}</div>',
        })
    # one script from JSON, the same text on every run (folium's popups carry random ids, and a
    # changed text makes the app's map redraw every layer)
    CircleMarkers(rows, max_width=320).add_to(group)
    present = [c for c in classes.ids if c in set(located["core_class"])]
    Legend(_t("urban_cores", lang), [(class_label(c), classes.colour(c)) for c in present],
           position="topleft", shape="ring").add_to(group)
    return group


def _population_points_layer(
    points: gpd.GeoDataFrame, name: str, css: str, colour: str, lang: vocab.Lang
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, control=True)
    located = _located(points)
    if located.empty:
        return group
    wgs = _to_wgs84(located)
    pop = pd.to_numeric(located["population"], errors="coerce")
    radius = np.clip(np.sqrt(pop.fillna(0).to_numpy(dtype=np.float64)) / 40, 2.5, 12)
    for (_, row), geom, r, p in zip(located.iterrows(), wgs.geometry, radius, pop, strict=True):
        year = row.get("population_year")
        pop_text = format_value(p, "count", lang) if not pd.isna(p) else _t("no_data", lang)
        if not pd.isna(p) and not pd.isna(year):
            pop_text += f" ({int(year)})"
        folium.CircleMarker(
            location=[round(geom.y, 6), round(geom.x, 6)],
            radius=float(r),
            color=colour,
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=0.4,
            tooltip=folium.Tooltip(
                f"{escape(row['name'])}: {escape(pop_text)} {escape(_t('population', lang).lower())}"
            ),
            className=css,
        ).add_to(group)
    return group


def settlement_layer(settlements: gpd.GeoDataFrame, lang: vocab.Lang = "sv") -> folium.FeatureGroup:
    """SCB tätorter as grey circles sized by population."""
    return _population_points_layer(
        settlements, _t("settlements", lang), SETTLEMENT_CLASS, "#777777", lang
    )


def population_layer(points: gpd.GeoDataFrame, lang: vocab.Lang = "sv") -> folium.FeatureGroup:
    """Population points as purple circles sized by population."""
    return _population_points_layer(
        points, _t("population_points", lang), POPULATION_CLASS, "#6A3D9A", lang
    )


# ---------------------------------------------------------------------------------------------
# the scenario workshop: baseline (or another scenario) against a scenario

COMPARE_VIEWS = ("change", "scenario", "reference")
"""What the workshop map shows: the change, the scenario's values, or the reference's values."""


def comparison_groups(
    municipalities: gpd.GeoDataFrame,
    before: pd.Series,
    after: pd.Series,
    column: str,
    environments: gpd.GeoDataFrame,
    lang: vocab.Lang = "sv",
    view: str = "change",
    radius_km: float | None = None,
    highlight: Collection[str] = (),
    color_by: str = "env_type",
    region: Region | None = None,
) -> list[folium.FeatureGroup]:
    """The layer groups of the workshop map: the change (or one side's values, classed the same
    for both sides) and the environments of the side shown, with changed ones ringed."""
    if view not in COMPARE_VIEWS:
        raise ValueError(f"view must be one of {COMPARE_VIEWS}")
    if view == "change":
        area = delta_layer(municipalities, before, after, column, lang, radius_km, region=region)
    else:
        bounds, minimum = shared_classes([before, after], column, region=region)
        values = after if view == "scenario" else before
        area = choropleth_layer(municipalities, values, column, lang, radius_km=radius_km,
                                bounds=bounds, minimum=minimum, region=region)
    return [area, environment_layer(environments, lang, color_by, highlight=highlight,
                                    region=region, legend_collapsed=True)]


# ---------------------------------------------------------------------------------------------
# composing a whole map (CLI, report, tests); the app passes the groups to st_folium instead


def layer_control() -> folium.LayerControl:
    """The layer switcher of every map, open so that the layers are listed without a click."""
    return folium.LayerControl(collapsed=False)


def environment_map(
    territory: Territory,
    assets: AssetUrls,
    lang: vocab.Lang = "sv",
    basemap: Basemap = "none",
    environments: gpd.GeoDataFrame | None = None,
    color_by: str = "env_type",
    groups: Sequence[folium.FeatureGroup] | None = None,
) -> folium.Map:
    """A whole map: the given layer groups (default: municipalities + environments) + layer control."""
    env = territory.environments if environments is None else environments
    centre, zoom = county_view(territory)
    m = base_map(assets, basemap, centre, zoom)
    if groups is None:
        groups = [municipality_layer(territory.municipalities, lang),
                  environment_layer(env, lang, color_by, region=territory.region)]
    for group in groups:
        group.add_to(m)
    layer_control().add_to(m)
    return m


def asset_links(m: folium.Map) -> list[str]:
    """Every script and stylesheet URL the map's elements ask the browser to load."""
    links: list[str] = []

    def walk(element: object) -> None:
        # any element may carry assets (folium's JSCSSMixin and others), so ask each one
        js: list[tuple[str, str]] = getattr(element, "default_js", []) or []
        css: list[tuple[str, str]] = getattr(element, "default_css", []) or []
        links.extend(url for _, url in [*js, *css])
        children: dict[str, object] = getattr(element, "_children", {})
        for child in children.values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(links))


def external_links(m: folium.Map) -> list[str]:
    """Asset URLs that would leave this server (must be empty for an offline map)."""
    return [u for u in asset_links(m) if not is_local(u)]
