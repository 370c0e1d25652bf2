"""The stakeholder map: a metric choropleth, environments, urban cores; filters, search, profile."""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from smartmap.analysis import catalog
from smartmap.analysis.environments import EnvFilter, filter_environments
from smartmap.analysis.metrics import cached_metrics
from smartmap.analysis.params import MetricParams
from smartmap.analysis.profile import municipality_profile
from smartmap.app import state
from smartmap.core import fmt, vocab
from smartmap.core.settings import BASEMAPS
from smartmap.data import export
from smartmap.render import classify, maps
from smartmap.render.htmltext import markdown_text

lang = state.lang()
t = state.translator(lang)
territory = state.territory()
env_all = territory.environments
sb = st.sidebar

# --- sidebar: what is counted (the metrics) --------------------------------------------------
sb.header(t("analysis"))
radius = sb.slider(t("radius"), min_value=1, max_value=50, step=1, help=t("radius_help"),
                   **state.bind("a_radius", 10))
include_planned = sb.checkbox(t("include_planned"), **state.bind("a_planned", False))
params = MetricParams(radius_km=float(radius), include_planned=include_planned)
result = cached_metrics(territory, params)  # the shared baseline: computed once per R
table = result.municipalities
by_code = table.set_index("kommun_kod")

# --- sidebar: what is shown ------------------------------------------------------------------
sb.header(t("filters"))


region = territory.region


def _multi(name: str, label: str, enum: vocab.Vocabulary,
           default: list[str] | None = None) -> list[str]:
    return sb.multiselect(
        label, options=list(vocab.values(enum)),
        format_func=lambda v: vocab.label(v, lang, region),
        placeholder=t("all"), **state.bind(name, default or []),
    )


areas = _multi("f_areas", t("areas"), region.areas)
types = _multi("f_types", t("type"), vocab.EnvType)
services = _multi("f_services", t("services"), vocab.Service)
levels = _multi("f_levels", t("level"), vocab.Level)
statuses = _multi("f_statuses", t("status"), vocab.Status, ["active", "planned"])
query = sb.text_input(t("search"), **state.bind("f_query", ""), placeholder=t("search_hint"))

sb.header(t("map_display"))
metric_options = ["none", *state.choropleth_columns(table, region)]
metric = sb.selectbox(
    t("metric"), options=metric_options, **state.bind("f_metric", "cov_any"),
    format_func=lambda c: t("metric_none") if c == "none" else catalog.metric_label(c, lang, region=region),
)
method = sb.radio(t("classes"), options=list(classify.METHODS), horizontal=True,
                  format_func=lambda m: t("method_" + m), **state.bind("f_method", "natural_breaks"))
color_by = sb.radio(t("color_by"), options=list(maps.COLOR_BY), horizontal=True,
                    format_func=lambda v: t("color_by_" + v), **state.bind("f_color_by", "env_type"))
layer_opts = ["environments", "urban_cores", "settlements", "population_points"]
shown_layers = sb.multiselect(t("layers"), options=layer_opts, format_func=lambda v: t(v),
                              **state.bind("f_layers", ["environments", "urban_cores"]))
basemap = sb.selectbox(t("basemap"), options=list(BASEMAPS), help=t("basemap_help"),
                       format_func=lambda b: t("basemap_" + b),
                       **state.bind("f_basemap", state.settings().basemap))
if basemap != "none":
    sb.warning(t("basemap_warning"))

flt = EnvFilter(areas=areas, types=types, services=services, levels=levels, statuses=statuses,
                query=query)
env = filter_environments(env_all, flt)
drawn = maps.drawable(env)

# --- header ---------------------------------------------------------------------------------
st.title(t("map_title", county=state.county_name(lang)))
caption = t("map_caption", n_mun=len(territory.municipalities), n_env=len(drawn),
            n_all=len(env_all))
if len(env) > len(drawn):
    caption += " · " + t("not_drawn", n=len(env) - len(drawn))
caption += " · " + t("params_caption", r=f"{radius:g}",
                     statuses=", ".join(vocab.label(s, lang) for s in params.statuses))
st.caption(caption)
if st.session_state.get(state.ENV_OVERRIDE):
    st.info(t("using_upload", name=st.session_state[state.ENV_OVERRIDE]["name"]))

# --- the map and the profile ----------------------------------------------------------------
col_map, col_profile = st.columns([3, 2], gap="medium")
centre, zoom = maps.county_view(territory)
base = maps.base_map(state.asset_urls(), basemap, centre, zoom)
if metric == "none":
    groups: list[folium.FeatureGroup] = [maps.municipality_layer(territory.municipalities, lang)]
else:
    values = table.set_index("kommun_kod")[metric]
    groups = [maps.choropleth_layer(territory.municipalities, values, metric, lang, method,
                                    radius_km=radius, region=region)]
if "environments" in shown_layers:
    groups.append(maps.environment_layer(env, lang, color_by, region=region))
if "urban_cores" in shown_layers:
    groups.append(maps.urban_core_layer(territory.urban_cores, lang, region))
if "settlements" in shown_layers:
    groups.append(maps.settlement_layer(territory.settlements, lang))
if "population_points" in shown_layers:
    groups.append(maps.population_layer(territory.population_points, lang))

with col_map:
    clicked = st_folium(
        base,
        key="sm_map",
        height=640,
        use_container_width=True,
        feature_group_to_add=groups,
        layer_control=folium.LayerControl(collapsed=False),
        returned_objects=["last_active_drawing"],
    )
    st.caption(t("map_hint"))

codes = list(table["kommun_kod"])
drawing = (clicked or {}).get("last_active_drawing") or {}
code_clicked = (drawing.get("properties") or {}).get("kommun_kod")
if code_clicked in codes and st.session_state.get("sm_last_click") != code_clicked:
    st.session_state["sm_last_click"] = code_clicked
    state.set_bound("profile_kommun", code_clicked)

with col_profile:
    st.subheader(t("profile"))
    chosen = st.selectbox(t("profile_pick"), options=codes,
                          format_func=lambda c: f"{by_code.loc[c, 'kommun']} ({c})",
                          **state.bind("profile_kommun", "0180" if "0180" in codes else codes[0]))
    profile = municipality_profile(territory, result, chosen, lang)
    for sentence in profile.sentences:
        st.markdown(f"- {markdown_text(sentence)}")
    st.table(profile.comparison.set_index(profile.comparison.columns[0]))
    with st.expander(t("prof_services")):
        st.table(profile.services.set_index(profile.services.columns[0]))
    with st.expander(t("prof_envs") + f" ({len(profile.environments)})"):
        st.dataframe(profile.environments, hide_index=True, width="stretch")

# --- tables beside the map (accessibility: every map has its data as a table) ---------------
if metric != "none":
    info = catalog.metric_info(metric, region)
    st.subheader(t("table_metric", metric=info.title(lang, radius)))
    metric_table = table[["kommun_kod", "kommun", metric]].copy()
    metric_table[metric] = metric_table[metric].map(lambda v: fmt.format_value(v, info.kind, lang))
    metric_table.columns = [t("code"), t("municipality"), info.title(lang, radius)]
    st.dataframe(metric_table, hide_index=True, width="stretch")

st.subheader(t("table_environments", n=len(env)))
env_table = env.drop(columns="geometry").assign(
    env_type=lambda d: d["env_type"].map(lambda v: vocab.label(v, lang)),
    governance_level=lambda d: d["governance_level"].map(lambda v: vocab.label(v, lang)),
    status=lambda d: d["status"].map(lambda v: vocab.label(v, lang)),
)[["name", "env_type", "kommun", "host_organisation", "governance_level", "status"]]
env_table.columns = [t("name"), t("type"), t("municipality"), t("host"), t("level"), t("status")]
st.dataframe(env_table, hide_index=True, width="stretch")

# --- downloads ------------------------------------------------------------------------------
st.subheader(t("downloads"))
c1, c2, c3, c4 = st.columns(4)
c1.download_button(
    t("dl_env_geojson", n=len(env)),
    data=lambda: export.geojson_bytes(env, "environments"),
    file_name="smartmap_environments.geojson", mime="application/geo+json",
    key="dl_env_geojson", on_click="ignore",
)
c2.download_button(
    t("dl_mun_geojson"),
    data=lambda: export.geojson_bytes(
        export.join_municipality_table(territory.municipalities, table), "municipalities"),
    file_name="smartmap_municipalities.geojson", mime="application/geo+json",
    key="dl_mun_geojson", on_click="ignore",
)
excel = c3.checkbox(t("dl_excel"), **state.bind("dl_excel", True))
c3.download_button(
    t("dl_metrics_csv"),
    data=lambda: export.csv_bytes(table, excel=excel),
    file_name=f"smartmap_metrics_R{radius:g}km.csv", mime="text/csv", key="dl_metrics_csv", on_click="ignore",
)


def _png() -> bytes:
    from smartmap.render import staticmap  # matplotlib: imported only when a PNG is asked for

    return staticmap.render(
        territory.municipalities, env if "environments" in shown_layers else None,
        values=None if metric == "none" else by_code[metric],
        column=None if metric == "none" else metric, lang=lang,
        title=t("map_title", county=state.county_name(lang)),
        radius_km=radius, color_by=color_by, method=method, region=region)


c4.download_button(
    t("dl_png"),
    data=_png,
    file_name="smartmap_map.png", mime="image/png", key="dl_png", on_click="ignore",
)
