"""The stakeholder map: a metric choropleth, environments, urban cores; filters, search, profile.

Widgets only; what the page shows comes from ``smartmap.app.views.map``.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from smartmap.app import state, ui
from smartmap.app.views import map as view
from smartmap.app.views.common import TermKind, term_label, term_options
from smartmap.core.settings import BASEMAPS
from smartmap.render import classify, maps
from smartmap.render.htmltext import markdown_text

lang = ui.lang()
t = ui.translator(lang)
territory = state.territory()
sb = st.sidebar
LAST_CLICK: ui.Slot[str] = ui.Slot("sm_last_click")  # the map click already shown in the profile

# --- sidebar: what is counted (the metrics), then what is shown ----------------------------------
sb.header(t("analysis"))
radius = sb.slider(t("radius"), min_value=1, max_value=50, step=1, help=t("radius_help"),
                   **ui.bind("a_radius", 10))
include_planned = sb.checkbox(t("include_planned"), **ui.bind("a_planned", False))
result = view.metrics(territory, view.MapChoices(radius=radius, include_planned=include_planned))

sb.header(t("filters"))


def terms(name: str, label: str, kind: TermKind, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    options = term_options(kind, territory)
    return tuple(sb.multiselect(label, options=options, placeholder=t("all"),
                                format_func=lambda v: term_label(v, lang, territory),
                                **ui.bind(name, list(default), options=options)))


areas = terms("f_areas", t("areas"), "area")
types = terms("f_types", t("type"), "env_type")
services = terms("f_services", t("services"), "service")
levels = terms("f_levels", t("level"), "level")
statuses = terms("f_statuses", t("status"), "status", view.DEFAULT_STATUSES)
query = sb.text_input(t("search"), **ui.bind("f_query", ""), placeholder=t("search_hint"))

sb.header(t("map_display"))
metrics = view.metric_options(result)
metric = sb.selectbox(t("metric"), options=metrics,
                      format_func=lambda c: view.metric_option_label(c, lang, territory.region),
                      **ui.bind("f_metric", "cov_any", options=metrics))
method = sb.radio(t("classes"), options=list(classify.METHODS), horizontal=True,
                  format_func=lambda m: t("method_" + m), **ui.bind("f_method", "natural_breaks"))
color_by = sb.radio(t("color_by"), options=list(maps.COLOR_BY), horizontal=True,
                    format_func=lambda v: t("color_by_" + v), **ui.bind("f_color_by", "env_type"))
layers = sb.multiselect(t("layers"), options=list(view.LAYERS), format_func=lambda v: t(v),
                        **ui.bind("f_layers", list(view.DEFAULT_LAYERS)))
basemap = sb.selectbox(t("basemap"), options=list(BASEMAPS), help=t("basemap_help"),
                       format_func=lambda b: t("basemap_" + b),
                       **ui.bind("f_basemap", state.settings().basemap))
if basemap != "none":
    sb.warning(t("basemap_warning"))

choices = view.MapChoices(radius=radius, include_planned=include_planned, areas=areas, types=types,
                          services=services, levels=levels, statuses=statuses, query=query,
                          metric=metric, method=method, color_by=color_by, layers=tuple(layers),
                          basemap=basemap)
upload = state.ENV_OVERRIDE.get()
v = view.map_view(territory, result, choices, lang, state.asset_urls(),
                  upload.name if upload else None)

# --- header, the map and the profile ----------------------------------------------------------
st.title(v.title)
st.caption(v.caption)
if v.upload_note:
    st.info(v.upload_note)

col_map, col_profile = st.columns([3, 2], gap="medium")
with col_map:
    clicked = st_folium(v.base, key="sm_map", height=640, use_container_width=True,
                        feature_group_to_add=v.groups, layer_control=maps.layer_control(),
                        returned_objects=["last_active_drawing"])
    st.caption(t("map_hint"))

codes, labels, default_code = view.profile_options(result)
code_clicked = view.clicked_municipality(clicked, codes)
if code_clicked and LAST_CLICK.get() != code_clicked:
    LAST_CLICK.set(code_clicked)
    ui.set_widget("profile_kommun", code_clicked)

with col_profile:
    st.subheader(t("profile"))
    chosen = st.selectbox(t("profile_pick"), options=codes, format_func=labels.get,
                          **ui.bind("profile_kommun", default_code, options=codes))
    profile = view.profile_view(territory, result, chosen, lang)
    for sentence in profile.sentences:
        st.markdown(f"- {markdown_text(sentence)}")
    st.table(profile.comparison)
    with st.expander(t("prof_services")):
        st.table(profile.services)
    with st.expander(profile.environments_heading):
        st.dataframe(profile.environments, hide_index=True, width="stretch")

# --- tables beside the map (accessibility: every map has its data as a table) ----------------
if v.metric_table is not None:
    st.subheader(v.metric_heading)
    st.dataframe(v.metric_table, hide_index=True, width="stretch")
st.subheader(v.environments_heading)
st.dataframe(v.environments_table, hide_index=True, width="stretch")

# --- downloads (each file is built when its button is clicked) -------------------------------
st.subheader(t("downloads"))
columns = st.columns(4)
excel = columns[2].checkbox(t("dl_excel"), **ui.bind("dl_excel", True))
for col, d in zip(columns, v.downloads(excel), strict=True):
    col.download_button(d.label, data=d.data, file_name=d.file_name, mime=d.mime, key=d.key,
                        on_click="ignore")
