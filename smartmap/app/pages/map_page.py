"""The stakeholder map: a metric choropleth, environments, urban cores; filters, search, profile.

Widgets only; what the page shows comes from ``smartmap.app.views.map``. The map comes first and
fills the window; the profile sits beside it (below it on a phone), the tables below. Every
choice, the chosen municipality and the map's view are in the address (``views.link``), so a
reload or a sent link opens the same view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict

import streamlit as st
from streamlit_folium import st_folium

from smartmap.app import state, ui
from smartmap.app.views import link
from smartmap.app.views import map as view
from smartmap.app.views.common import MapLayer, TermKind, term_label, term_options
from smartmap.core.settings import BASEMAPS
from smartmap.render import classify, maps
from smartmap.render.htmltext import markdown_text

PAGE = "map"
lang = ui.lang()
t = ui.translator(lang)
territory = state.territory()
sb = st.sidebar


class Notice(TypedDict):
    """The parameters of a link that were refused, and the address written after it."""

    ignored: list[str]
    written: dict[str, str] | None


LAST_CLICK: ui.Slot[str] = ui.Slot("sm_last_click")  # the map click already shown in the profile
FOCUS: ui.Slot[view.Focus] = ui.Slot("sm_map_focus")  # what the map last zoomed to
START: ui.Slot[link.MapView] = ui.Slot("sm_map_start")  # the base map's view (never changes)
SEEN: ui.Slot[link.MapView] = ui.Slot("sm_map_view")  # the view the map last reported
LINKED_VIEW: ui.Slot[bool] = ui.Slot("sm_map_linked_view")  # the session opened at a link's view
NOTICE: ui.Slot[Notice] = ui.Slot("sm_link_notice")  # link parameters that were refused

st.markdown(
    """<style>
    [data-testid="stMainBlockContainer"] { padding-top: 1.5rem; padding-bottom: 2rem; }
    [data-testid="stMainBlockContainer"] h1 { font-size: 1.65rem; padding: 0 0 0.2rem; }
    iframe[title="streamlit_folium.st_folium"] {
        height: max(380px, calc(100vh - 9rem)) !important; }
    /* the profile's tables wrap in the side panel instead of scrolling sideways */
    [data-testid="stTable"] table { table-layout: fixed; width: 100%; }
    [data-testid="stTable"] th, [data-testid="stTable"] td,
    [data-testid="stTable"] [data-testid="stMarkdownContainer"] {
        overflow-wrap: anywhere; overflow: visible; }
    @media (max-width: 640px) {
        [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
        iframe[title="streamlit_folium.st_folium"] { height: 68vh !important; } }
    </style>""",
    unsafe_allow_html=True,
)


def _next_token() -> int:
    return int((FOCUS.get() or {}).get("token", 0)) + 1


def focus_municipality(code: str) -> None:
    """Zoom the map to municipality ``code`` (once)."""
    old = FOCUS.get() or {}
    FOCUS.set({"kind": "kommun", "code": code, "token": _next_token(),
               "env_token": old.get("env_token", 0)})


def focus_environment() -> None:
    """The chosen environment gets a fresh focus: the map zooms to it even if it did before."""
    old = FOCUS.get() or {}
    FOCUS.set({**old, "env_token": int(old.get("env_token", 0)) + 1, "env_quiet": False})


# --- the address: a link, a bookmark or a reload sets the page's widgets --------------------
defaults_result = view.metrics(territory, view.DEFAULT_CHOICES)
codes, labels, default_code = view.profile_options(defaults_result)
options = view.link_options(territory, defaults_result, default_code)
arrived = ui.link_arrived(PAGE, link.MAP_PARAMS)
if arrived is not None:
    reading = link.read_map_query(arrived, options)
    for widget, value in reading.values.items():
        ui.set_widget(widget, value)
    if reading.view is not None:
        if START.get() is None:
            START.set(reading.view)
            LINKED_VIEW.set(True)
        else:  # the browser went back or forward to another view
            FOCUS.set({"kind": "view", "lat": reading.view.lat, "lon": reading.view.lon,
                       "zoom": reading.view.zoom, "token": _next_token()})
    elif link.KOMMUN in arrived and link.KOMMUN not in reading.ignored:
        focus_municipality(str(reading.values["profile_kommun"]))
    if arrived.get(link.ENV) and link.ENV not in reading.ignored:
        focus_environment()
        if reading.view is not None:  # the link's view already shows it
            FOCUS.set({**(FOCUS.get() or {}), "env_quiet": True})
    if reading.ignored:
        NOTICE.set({"ignored": reading.ignored, "written": None})
    else:
        NOTICE.pop()
start = START.get()

# --- sidebar: what is counted (the metrics), then what is shown ----------------------------------
sb.header(t("analysis"))
radius = sb.slider(t("radius"), min_value=link.RADIUS_RANGE[0], max_value=link.RADIUS_RANGE[1],
                   step=1, help=t("radius_help"), **ui.bind("a_radius", 10))
include_planned = sb.checkbox(t("include_planned"), **ui.bind("a_planned", False))
result = view.metrics(territory, view.MapChoices(radius=radius, include_planned=include_planned))

sb.header(t("filters"))


def terms(name: str, label: str, kind: TermKind, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    opts = term_options(kind, territory)
    return tuple(sb.multiselect(label, options=opts, placeholder=t("all"),
                                format_func=lambda v: term_label(v, lang, territory),
                                **ui.bind(name, list(default), options=opts)))


areas = terms("f_areas", t("areas"), "area")
types = terms("f_types", t("type"), "env_type")
services = terms("f_services", t("services"), "service")
levels = terms("f_levels", t("level"), "level")
statuses = terms("f_statuses", t("status"), "status", view.DEFAULT_STATUSES)
query = sb.text_input(t("search"), **ui.bind("f_query", ""), placeholder=t("search_hint"),
                      max_chars=link.MAX_QUERY_CHARS)

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
                  upload.name if upload else None,
                  start=None if start is None else (start.lat, start.lon, start.zoom))


def write_link() -> None:
    """Keep the address equal to the view (the parameters that differ from the default)."""
    values = {f.widget: ui.value(f.widget, options.defaults.get(f.widget)) for f in link.FIELDS}
    # the view once the map is not at the county view any more, or the view a link opened at
    seen = SEEN.get()
    moved = seen is not None and seen != view.start_view(territory)
    shown = (seen or start) if moved or LINKED_VIEW.get() else None
    params = link.map_query(values, options, shown)
    ui.write_link(PAGE, params, link.MAP_PARAMS)
    notice = NOTICE.get()
    if notice and notice["written"] is None:
        notice["written"] = params
    elif notice and params != notice["written"]:  # the user has moved on from the link
        NOTICE.pop()


# --- header, the map and the side panel ------------------------------------------------------
st.title(v.title)
st.caption(v.caption)
notice = NOTICE.get()
if notice and notice["ignored"]:
    st.warning(t("link_ignored", params=", ".join(notice["ignored"])), icon=":material/link_off:")
if v.upload_note:
    st.info(v.upload_note)

col_map, col_side = st.columns([5, 2], gap="medium")
with col_side:
    env_ids, env_labels = view.environment_choices(v.shown, lang)
    env_id = st.selectbox(t("env_pick"), options=env_ids, format_func=lambda i: env_labels[i],
                          help=t("env_pick_help"),
                          **ui.bind("map_env", "", options=env_ids, on_change=focus_environment))

focus = FOCUS.get()


def make_groups() -> list[MapLayer]:
    return [*v.groups, *view.focus_groups(territory, v.shown, lang, focus, env_id or "")]


@st.fragment
def draw_map(make_base: Callable[[], MapLayer],
             make_groups: Callable[[], Sequence[MapLayer]]) -> None:
    """The map; a pan or zoom reruns only this (it keeps the view in the address). The map is
    built anew on every run: st_folium changes the folium objects it draws."""
    returned = st_folium(make_base(), key="sm_map", height=640, use_container_width=True,
                         feature_group_to_add=make_groups(), layer_control=maps.layer_control(),
                         returned_objects=["last_active_drawing", "center", "zoom"])
    code_clicked = view.clicked_municipality(returned, codes)
    if code_clicked and LAST_CLICK.get() != code_clicked:
        LAST_CLICK.set(code_clicked)
        ui.set_widget("profile_kommun", code_clicked)
        focus_municipality(code_clicked)
        st.rerun()
    reported = view.reported_view(returned)
    if reported is not None and reported != SEEN.get():
        SEEN.set(reported)
        write_link()


with col_map:
    draw_map(v.make_base, make_groups)
    st.caption(t("map_hint"))

with col_side:
    st.subheader(t("profile"))
    chosen = st.selectbox(t("profile_pick"), options=codes, format_func=lambda c: labels[c],
                          **ui.bind("profile_kommun", default_code, options=codes,
                                    on_change=lambda: focus_municipality(
                                        st.session_state["profile_kommun"])))
    profile = view.profile_view(territory, result, chosen, lang)
    for sentence in profile.sentences:
        st.markdown(f"- {markdown_text(sentence)}")
    st.table(profile.comparison)
    with st.expander(t("prof_services")):
        st.table(profile.services)
    with st.expander(profile.environments_heading):
        st.dataframe(profile.environments, hide_index=True, width="stretch")

write_link()

# --- tables below the map (accessibility: every map has its data as a table) -----------------
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
