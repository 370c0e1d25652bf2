"""The stakeholder map: municipalities, innovation environments, urban cores; filters and search."""

from __future__ import annotations

import folium
import streamlit as st
from streamlit_folium import st_folium

from smartmap import export, maps, staticmap, vocab
from smartmap.app import state
from smartmap.environments import EnvFilter, filter_environments

t = state.t
lang = state.lang()
territory = state.territory()
env_all = territory.environments

# --- sidebar: filters -----------------------------------------------------------------------
sb = st.sidebar
sb.header(t("filters"))


def _multi(key: str, label: str, enum: type, default: list[str] | None = None) -> list[str]:
    save = state.keep(key, default or [])
    return sb.multiselect(
        label, options=list(vocab.values(enum)), format_func=lambda v: vocab.label(v, lang),
        key=key, on_change=save, placeholder=t("all"),
    )


areas = _multi("f_areas", t("areas"), vocab.Area)
types = _multi("f_types", t("type"), vocab.EnvType)
services = _multi("f_services", t("services"), vocab.Service)
levels = _multi("f_levels", t("level"), vocab.Level)
statuses = _multi("f_statuses", t("status"), vocab.Status, ["active", "planned"])
save_q = state.keep("f_query", "")
query = sb.text_input(t("search"), key="f_query", on_change=save_q, placeholder=t("search_hint"))

sb.header(t("map_display"))
save_c = state.keep("f_color_by", "env_type")
color_by = sb.radio(t("color_by"), options=list(maps.COLOR_BY), key="f_color_by", on_change=save_c,
                    format_func=lambda v: t("color_by_" + v), horizontal=True)
layer_opts = ["environments", "urban_cores", "settlements", "population_points"]
save_l = state.keep("f_layers", ["environments", "urban_cores"])
shown_layers = sb.multiselect(t("layers"), options=layer_opts, key="f_layers", on_change=save_l,
                              format_func=lambda v: t(v))

flt = EnvFilter(areas=areas, types=types, services=services, levels=levels, statuses=statuses,
                query=query)
env = filter_environments(env_all, flt)
drawn = maps.drawable(env)

# --- header ---------------------------------------------------------------------------------
st.title(t("map_title"))
caption = t("map_caption", n_mun=len(territory.municipalities), n_env=len(drawn),
            n_all=len(env_all))
if len(env) > len(drawn):
    caption += " · " + t("not_drawn", n=len(env) - len(drawn))
st.caption(caption)

# --- the map --------------------------------------------------------------------------------
centre, zoom = maps.county_view(territory)
base = maps.base_map(state.asset_urls(), state.settings().basemap, centre, zoom)
groups: list[folium.FeatureGroup] = [maps.municipality_layer(territory.municipalities, lang)]
if "environments" in shown_layers:
    groups.append(maps.environment_layer(env, lang, color_by))
if "urban_cores" in shown_layers:
    groups.append(maps.urban_core_layer(territory.urban_cores, lang))
if "settlements" in shown_layers:
    groups.append(maps.settlement_layer(territory.settlements, lang))
if "population_points" in shown_layers:
    groups.append(maps.population_layer(territory.population_points, lang))

result = st_folium(
    base,
    key="sm_map",
    height=650,
    use_container_width=True,
    feature_group_to_add=groups,
    layer_control=folium.LayerControl(collapsed=False),
    returned_objects=["last_active_drawing"],
)

# --- the table beside the map (accessibility: every map has its data as a table) -------------
st.subheader(t("table_environments", n=len(env)))
table = env.drop(columns="geometry").assign(
    env_type=lambda d: d["env_type"].map(lambda v: vocab.label(v, lang)),
    governance_level=lambda d: d["governance_level"].map(lambda v: vocab.label(v, lang)),
    status=lambda d: d["status"].map(lambda v: vocab.label(v, lang)),
)[["name", "env_type", "kommun", "host_organisation", "governance_level", "status"]]
table.columns = [t("name"), t("type"), t("municipality"), t("host"), t("level"), t("status")]
st.dataframe(table, hide_index=True, use_container_width=True)

# --- downloads ------------------------------------------------------------------------------
st.subheader(t("downloads"))
c1, c2 = st.columns(2)
c1.download_button(
    t("dl_env_geojson", n=len(env)),
    data=lambda: export.geojson_bytes(env, "environments"),
    file_name="smartmap_environments.geojson",
    mime="application/geo+json",
    key="dl_env_geojson",
)
c2.download_button(
    t("dl_png"),
    data=lambda: staticmap.render(territory.municipalities, env, lang=lang, color_by=color_by,
                                  title=t("map_title")),
    file_name="smartmap_map.png",
    mime="image/png",
    key="dl_png",
)
