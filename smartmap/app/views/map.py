"""The stakeholder map page: what it shows for the user's analysis settings, filters and display.

``map_view`` gives the header, the map layers (built by ``smartmap.render.maps``), the tables
beside the map and the downloads; ``profile_view`` the municipality profile. The numbers come from
the same ``MetricsResult`` as ``smartmap metrics``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import geopandas as gpd
import pandas as pd

from smartmap.analysis import catalog
from smartmap.analysis.environments import EnvFilter, filter_environments
from smartmap.analysis.metrics import MetricsResult, cached_metrics
from smartmap.analysis.params import MetricParams
from smartmap.analysis.profile import municipality_profile
from smartmap.app.views import link
from smartmap.app.views.common import Download, MapLayer, Translator, county_name, translator
from smartmap.core import fmt, vocab
from smartmap.core.region import Region
from smartmap.core.settings import EXCHANGE_CRS, Basemap
from smartmap.data import export
from smartmap.data.layers import Territory
from smartmap.render import classify, maps
from smartmap.render.assets import AssetUrls

LAYERS = ("environments", "urban_cores", "settlements", "population_points")
"""The point layers a user can show, in the sidebar's order."""
DEFAULT_LAYERS = ("environments", "urban_cores")
DEFAULT_STATUSES = ("active", "planned")
NO_METRIC = "none"

CHOROPLETH_ORDER = ("cov_any", "n_env", "env_per_100k", "cov_", "dist_km_", "white_spot_",
                    "has_env_", "lq_", "n_env_", "dist_core_km")


@dataclass(frozen=True)
class MapChoices:
    """What the user chose in the sidebar: the analysis, the filters and the map display."""

    radius: int = 10
    include_planned: bool = False
    areas: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    query: str = ""
    metric: str = "cov_any"
    method: classify.Method = "natural_breaks"
    color_by: str = "env_type"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: Basemap = "none"

    @property
    def params(self) -> MetricParams:
        """The analysis settings: they drive every number on the page."""
        return MetricParams(radius_km=float(self.radius), include_planned=self.include_planned)

    @property
    def filter(self) -> EnvFilter:
        """What is drawn (a filter never changes a number)."""
        return EnvFilter(areas=self.areas, types=self.types, services=self.services,
                         levels=self.levels, statuses=self.statuses, query=self.query)


def metrics(territory: Territory, choices: MapChoices) -> MetricsResult:
    """The metrics for the chosen radius (computed once per territory and radius)."""
    return cached_metrics(territory, choices.params)


def choropleth_columns(table: pd.DataFrame, region: Region | None = None) -> list[str]:
    """Metric columns that can colour the map (numbers and yes/no), in a reader's order."""
    candidates = [c for c in table.columns if c not in ("kommun_kod", "kommun")]
    usable = []
    for c in candidates:
        try:
            kind = catalog.metric_info(c, region).kind
        except KeyError:
            continue
        if kind != "text":
            usable.append(c)
    order = {c: i for i, c in enumerate(CHOROPLETH_ORDER)}

    def rank(column: str) -> tuple[int, int]:
        if column in order:
            return (order[column], 0)
        prefix = max((p for p in CHOROPLETH_ORDER if column.startswith(p)), key=len, default="")
        return (order.get(prefix, len(order)), candidates.index(column))

    return sorted(usable, key=rank)


def metric_options(result: MetricsResult) -> list[str]:
    """The choropleth select's options: outlines only, then every usable metric."""
    return [NO_METRIC, *choropleth_columns(result.municipalities, result.region)]


def metric_option_label(column: str, lang: vocab.Lang, region: Region | None = None) -> str:
    """How the choropleth select shows an option."""
    if column == NO_METRIC:
        return vocab.text("metric_none", lang)
    return catalog.metric_label(column, lang, region=region)


def profile_options(result: MetricsResult) -> tuple[list[str], dict[str, str], str]:
    """The profile select's codes, their labels ("Södertälje (0181)") and the default code (the
    most populous municipality: where most readers live)."""
    table = result.municipalities
    codes = list(table["kommun_kod"])
    labels = {c: f"{n} ({c})" for c, n in zip(codes, table["kommun"], strict=True)}
    population = table["population"].astype("Float64").fillna(-1)
    default = codes[int(population.to_numpy().argmax())] if codes else ""
    return codes, labels, default


def clicked_municipality(returned: Mapping[str, Any] | None, codes: list[str]) -> str | None:
    """The code of the municipality the user clicked on the map (st_folium's return), if any."""
    drawing = (returned or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("kommun_kod")
    return code if code in codes else None


@dataclass
class MapView:
    """Everything the map page shows for one set of choices."""

    title: str
    caption: str
    upload_note: str | None
    make_base: Callable[[], MapLayer]
    make_groups: Callable[[], Sequence[MapLayer]]
    metric_heading: str | None
    metric_table: pd.DataFrame | None
    environments_heading: str
    environments_table: pd.DataFrame
    shown: gpd.GeoDataFrame
    """The environments that pass the filters."""
    payloads: dict[str, Download]
    """The downloads by name."""
    csv: Callable[[bool], Download]
    """The metrics CSV's download, for Swedish Excel or not."""

    @property
    def base(self) -> MapLayer:
        """The base map (``render.maps.base_map``): it never changes, so st_folium keeps the
        view. A new one each time: st_folium changes the map it draws."""
        return self.make_base()

    @property
    def groups(self) -> Sequence[MapLayer]:
        """The data layers (``render.maps``), replaced through ``feature_group_to_add``; new
        ones each time, for the same reason."""
        return self.make_groups()

    def downloads(self, excel: bool) -> list[Download]:
        """The four downloads; the metrics CSV for Swedish Excel when ``excel``."""
        d = self.payloads
        return [d["env"], d["mun"], self.csv(excel), d["png"]]


def _metric_table(table: pd.DataFrame, metric: str, radius: float, lang: vocab.Lang,
                  t: Translator, region: Region) -> tuple[str, pd.DataFrame]:
    info = catalog.metric_info(metric, region)
    out = table[["kommun_kod", "kommun", metric]].copy()
    out[metric] = out[metric].map(lambda v: fmt.format_value(v, info.kind, lang))
    out.columns = [t("code"), t("municipality"), info.title(lang, radius)]
    return t("table_metric", metric=info.title(lang, radius)), out


def _environments_table(env: gpd.GeoDataFrame, lang: vocab.Lang, t: Translator) -> pd.DataFrame:
    out: pd.DataFrame = env.drop(columns="geometry").assign(
        env_type=lambda d: d["env_type"].map(lambda v: vocab.label(v, lang)),
        governance_level=lambda d: d["governance_level"].map(lambda v: vocab.label(v, lang)),
        status=lambda d: d["status"].map(lambda v: vocab.label(v, lang)),
    )[["name", "env_type", "kommun", "host_organisation", "governance_level", "status"]]
    out.columns = [t("name"), t("type"), t("municipality"), t("host"), t("level"), t("status")]
    return out


def _groups(territory: Territory, table: pd.DataFrame, env: gpd.GeoDataFrame,
            c: MapChoices, lang: vocab.Lang) -> Sequence[MapLayer]:
    if c.metric == NO_METRIC:
        groups = [maps.municipality_layer(territory.municipalities, lang)]
    else:
        values = table.set_index("kommun_kod")[c.metric]
        groups = [maps.choropleth_layer(territory.municipalities, values, c.metric, lang,
                                        c.method, radius_km=c.radius, region=territory.region)]
    if "environments" in c.layers:
        groups.append(maps.environment_layer(env, lang, c.color_by, region=territory.region,
                                             stack=True))
    if "urban_cores" in c.layers:
        groups.append(maps.urban_core_layer(territory.urban_cores, lang, territory.region))
    if "settlements" in c.layers:
        groups.append(maps.settlement_layer(territory.settlements, lang))
    if "population_points" in c.layers:
        groups.append(maps.population_layer(territory.population_points, lang))
    return groups


def map_view(territory: Territory, result: MetricsResult, choices: MapChoices,
             lang: vocab.Lang, assets: AssetUrls, upload_name: str | None = None,
             start: tuple[float, float, int] | None = None) -> MapView:
    """The map page for ``choices``: header, map layers, tables and downloads. ``start``: the
    base map's first view (lat, lon, zoom; default the whole county)."""

    t = translator(lang)
    c, table = choices, result.municipalities
    env_all = territory.environments
    env = filter_environments(env_all, c.filter)
    drawn = maps.drawable(env)
    title = t("map_title", county=county_name(territory, lang))
    caption = t("map_caption", n_mun=len(territory.municipalities), n_env=len(drawn),
                n_all=len(env_all))
    if len(env) > len(drawn):
        caption += " · " + t("not_drawn", n=len(env) - len(drawn))
    caption += " · " + t("params_caption", r=f"{c.radius:g}", statuses=", ".join(
        vocab.label(s, lang) for s in c.params.statuses))
    centre, zoom = maps.county_view(territory) if start is None else (start[:2], int(start[2]))
    metric_heading = metric_table = None
    if c.metric != NO_METRIC:
        metric_heading, metric_table = _metric_table(table, c.metric, c.radius, lang, t,
                                                     territory.region)

    def csv(excel: bool) -> Download:
        return Download("dl_metrics_csv", t("dl_metrics_csv"),
                        lambda: export.csv_bytes(table, excel=excel),
                        f"smartmap_metrics_R{c.radius:g}km.csv", "text/csv")

    def png() -> bytes:
        from smartmap.render import staticmap  # matplotlib: imported only when a PNG is asked for

        by_code = table.set_index("kommun_kod")
        return staticmap.render(
            territory.municipalities, env if "environments" in c.layers else None,
            values=None if c.metric == NO_METRIC else by_code[c.metric],
            column=None if c.metric == NO_METRIC else c.metric, lang=lang, title=title,
            radius_km=c.radius, color_by=c.color_by, method=c.method, region=territory.region)

    downloads = {
        "env": Download("dl_env_geojson", t("dl_env_geojson", n=len(env)),
                        lambda: export.geojson_bytes(env, "environments"),
                        "smartmap_environments.geojson", "application/geo+json"),
        "mun": Download("dl_mun_geojson", t("dl_mun_geojson"),
                        lambda: export.geojson_bytes(export.join_municipality_table(
                            territory.municipalities, table), "municipalities"),
                        "smartmap_municipalities.geojson", "application/geo+json"),
        "png": Download("dl_png", t("dl_png"), png, "smartmap_map.png", "image/png"),
    }
    return MapView(
        title=title, caption=caption,
        upload_note=None if upload_name is None else t("using_upload", name=upload_name),
        make_base=lambda: maps.base_map(assets, c.basemap, centre, zoom),
        make_groups=lambda: _groups(territory, table, env, c, lang),
        metric_heading=metric_heading, metric_table=metric_table,
        environments_heading=t("table_environments", n=len(env)),
        environments_table=_environments_table(env, lang, t), shown=env, payloads=downloads,
        csv=csv,
    )


@dataclass(frozen=True)
class ProfileView:
    """The municipality profile beside the map."""

    sentences: tuple[str, ...]
    comparison: pd.DataFrame
    """Metric by municipality and county, indexed by the metric's label."""
    services: pd.DataFrame
    """Share of residents within R km per service, indexed by the service's label."""
    environments_heading: str
    environments: pd.DataFrame


def profile_view(territory: Territory, result: MetricsResult, code: str,
                 lang: vocab.Lang) -> ProfileView:
    """The profile of municipality ``code`` (``analysis.profile``), ready to draw."""
    p = municipality_profile(territory, result, code, lang)
    return ProfileView(
        sentences=p.sentences,
        comparison=p.comparison.set_index(p.comparison.columns[0]),
        services=p.services.set_index(p.services.columns[0]),
        environments_heading=vocab.text("prof_envs", lang) + f" ({len(p.environments)})",
        environments=p.environments,
    )


# ---------------------------------------------------------------------------------------------
# links, the map's view and what the map zooms to

DEFAULT_CHOICES = MapChoices()


def link_options(territory: Territory, result: MetricsResult,
                 default_code: str) -> link.LinkOptions:
    """What a link may set on the map page and the page's defaults (``views.link``)."""
    from smartmap.app.views.common import term_options

    d = DEFAULT_CHOICES
    env = maps.drawable(territory.environments)
    options: dict[str, Sequence[str]] = {
        "f_areas": term_options("area", territory), "f_types": term_options("env_type", territory),
        "f_services": term_options("service", territory),
        "f_levels": term_options("level", territory),
        "f_statuses": term_options("status", territory),
        "f_metric": metric_options(result), "f_method": list(classify.METHODS),
        "f_color_by": list(maps.COLOR_BY), "f_layers": list(LAYERS),
        "profile_kommun": list(result.municipalities["kommun_kod"]),
        "map_env": ["", *env["id"].astype(str)],
    }
    defaults: dict[str, link.Value] = {
        "a_radius": d.radius, "a_planned": d.include_planned, "f_areas": list(d.areas),
        "f_types": list(d.types), "f_services": list(d.services), "f_levels": list(d.levels),
        "f_statuses": list(d.statuses), "f_query": d.query, "f_metric": d.metric,
        "f_method": d.method, "f_color_by": d.color_by, "f_layers": list(d.layers),
        "profile_kommun": default_code, "map_env": "",
    }
    return link.LinkOptions(options, defaults)


def start_view(territory: Territory) -> link.MapView:
    """The map's first view: the whole county."""
    (lat, lon), zoom = maps.county_view(territory)  # whole zoom levels (step 1)
    return link.MapView(round(lat, 4), round(lon, 4), int(zoom))


def reported_view(returned: Mapping[str, Any] | None) -> link.MapView | None:
    """The view the map reports (st_folium's ``center`` and ``zoom``), if it reports one."""
    returned = returned or {}
    centre = returned.get("center") or {}
    try:
        view = link.MapView(round(float(centre["lat"]), 4), round(float(centre["lng"]), 4),
                            int(returned["zoom"]))
    except (KeyError, TypeError, ValueError):
        return None
    return link.parse_view(view.text())


def municipality_bounds(territory: Territory, code: str) -> tuple[float, ...] | None:
    """A municipality's bounds in WGS 84 (minx, miny, maxx, maxy), for zooming to it."""
    mun = territory.municipalities
    chosen = mun.loc[mun["kommun_kod"] == code]
    if chosen.empty:
        return None
    return tuple(float(v) for v in chosen.to_crs(EXCHANGE_CRS).total_bounds)


def environment_choices(shown: gpd.GeoDataFrame,
                        lang: vocab.Lang) -> tuple[list[str], dict[str, str]]:
    """The "show an environment on the map" list: the shown environments that have a location,
    by name (ids as options, "" for none), and their labels ("KTH Innovation (Stockholm)")."""
    env = maps.drawable(shown).sort_values("name", key=lambda s: s.str.casefold())
    ids = ["", *env["id"].astype(str)]
    labels = {"": vocab.text("env_pick_none", lang)}
    labels.update({str(i): f"{n} ({k})" for i, n, k in zip(env["id"], env["name"], env["kommun"],
                                                            strict=True)})
    return ids, labels


class Focus(TypedDict, total=False):
    """What the map last zoomed to: a municipality (``code``) or a link's view (``lat``,
    ``lon``, ``zoom``), each time with a new ``token``; ``env_token`` renews the zoom to the
    chosen environment, ``env_quiet`` skips it (a link's own view comes first)."""

    kind: Literal["kommun", "view"]
    code: str
    lat: float
    lon: float
    zoom: int
    token: int
    env_token: int
    env_quiet: bool


def focus_groups(territory: Territory, shown: gpd.GeoDataFrame, lang: vocab.Lang,
                 focus: Focus | None, env_id: str) -> list[MapLayer]:
    """The groups that zoom the map to a chosen municipality or show a chosen environment."""
    groups: list[MapLayer] = []
    if focus and focus.get("kind") == "kommun":
        bounds = municipality_bounds(territory, str(focus.get("code")))
        if bounds is not None:
            groups.append(maps.focus_layer(bounds, str(focus["token"]), lang))
    elif focus and focus.get("kind") == "view":
        groups.append(maps.view_layer(focus["lat"], focus["lon"], focus["zoom"],
                                      str(focus["token"]), lang))
    if env_id:
        env = shown.loc[shown["id"].astype(str) == env_id]
        if not env.empty:
            quiet = (focus or {}).get("env_quiet", False)  # a link's own view comes first
            token = None if quiet else f"env:{env_id}:{(focus or {}).get('env_token', 0)}"
            groups.append(maps.selection_layer(env.iloc[[0]], lang, token, territory.region))
    return groups
