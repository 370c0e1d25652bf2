"""The workshop's comparison: the header with undo and redo, what to compare with, the county
KPIs, the change map and the municipalities that changed most."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from smartmap.analysis import catalog
from smartmap.app import state, ui
from smartmap.app.views import workshop as V
from smartmap.app.workshop.actions import Actions
from smartmap.app.workshop.session import MAP_KEY, PENDING, Session, notices
from smartmap.render import maps

MAP_HEIGHT = 400
"""Pixels: with the KPIs above it, the map fits a 1280 x 720 projector without scrolling."""

COMPACT_CSS = """<style>
.block-container {padding-top: 2.6rem; padding-bottom: 2rem;}
.block-container h1 {font-size: 1.7rem; padding: 0.2rem 0 0.3rem 0;}
[data-testid="stMetricValue"] {font-size: 1.7rem;}
[data-testid="stMetric"] label p {font-size: 0.85rem;}
</style>"""
"""The workshop's layout for a projector: less padding, a smaller title and KPI figures."""
PRESENTATION_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 0.8rem; max-width: 100%;}
</style>"""
"""Presentation: the sidebar and Streamlit's header hidden, the page to the screen's edges."""


def layout(s: Session) -> None:
    """The projector layout, and the presentation mode when it is switched on."""
    css = COMPACT_CSS + (PRESENTATION_CSS if ui.value("ws_presentation", False) else "")
    st.markdown(css, unsafe_allow_html=True)


def header(s: Session, act: Actions) -> None:
    """Title, undo / redo and the presentation switch in one row; the active scenario in one
    line; the messages."""
    t, ws = s.t, s.ws
    bar = st.columns([4, 1.4, 1.4, 2.2], vertical_alignment="center")
    with bar[0]:
        st.title(t("ws_title"))
    bar[1].button(t("ws_undo"), key="ws_undo", on_click=act.undo, disabled=not ws.can_undo,
                  icon=":material/undo:", width="stretch")
    bar[2].button(t("ws_redo"), key="ws_redo", on_click=act.redo, disabled=not ws.can_redo,
                  icon=":material/redo:", width="stretch")
    bar[3].toggle(t("ws_presentation"), help=t("ws_presentation_help"),
                  **ui.bind("ws_presentation", False))
    st.markdown(V.status_line(ws.scenario, s.lang, s.baseline.region))
    notices(s)


def draw(s: Session) -> V.Comparison:
    """The choices, the KPIs, the map and the tables beside it; returns the comparison."""
    t, lang, ws = s.t, s.lang, s.ws
    sc = ws.scenario
    refs = V.compare_options(ws)
    ctl = st.columns([2, 3, 2, 2])
    ref_name = ctl[0].selectbox(t("ws_compare_with"), options=refs,
                                format_func=lambda v: V.compare_label(v, lang),
                                **ui.bind("ws_compare", V.BASELINE_OPTION, options=refs))
    effects = list(V.EFFECTS)
    effect = ctl[3].selectbox(t("ws_effect"), options=effects,
                              format_func=lambda v: t(f"ws_effect_{v}"), help=t("ws_effect_help"),
                              **ui.bind("ws_effect", "edits", options=effects))
    metrics = V.metric_options(s.baseline)
    region = s.baseline.region
    metric = ctl[1].selectbox(
        t("ws_metric"), options=metrics,
        format_func=lambda c: catalog.metric_label(c, lang, sc.parameters.radius_km, region),
        **ui.bind("ws_metric", "cov_any", options=metrics))
    views = list(maps.COMPARE_VIEWS)
    view = ctl[2].selectbox(t("ws_view"), options=views,
                            format_func=lambda v: t(f"ws_view_{v}"),
                            **ui.bind("ws_view", "change", options=views))
    reference = None if ref_name == V.BASELINE_OPTION else ws.get(ref_name)
    c = V.comparison(s.ev, sc, reference, metric, view, lang, PENDING.get(), effect)

    st.caption(f"{c.kpi_caption} · {c.effect_note}", help=c.effect_help)
    left, right = st.columns([3, 2])  # the map beside the figures: both on a 1280 x 720 screen
    with right:  # the figures first: they reach the browser before the map's layers are built
        cards = right.columns(2)
        for i, k in enumerate(c.kpis):
            cards[i % 2].metric(k.label, k.value, delta=k.delta, delta_color=k.delta_color,
                                delta_arrow=k.delta_arrow, help=k.help)
        st.markdown(f"**{t('ws_most_changed')}**")
        st.caption(c.changed_caption)
        if c.top.empty:
            st.info(t("ws_nothing_changed"))
        else:
            st.table(c.top, hide_index=True, border="horizontal")
        with st.expander(t("ws_all_municipalities")):
            st.dataframe(c.all, hide_index=True, width="stretch")
    with left:
        centre, zoom = maps.county_view(s.baseline, height_px=MAP_HEIGHT, width_px=480,
                                        step=0.25)
        base = maps.base_map(state.asset_urls(), s.settings.basemap, centre, zoom, zoom_snap=0.25)
        st_folium(base, key=MAP_KEY, height=MAP_HEIGHT, use_container_width=True,
                  feature_group_to_add=c.groups, layer_control=maps.layer_control(),
                  returned_objects=["last_clicked"])
        st.caption(t("ws_map_hint", ms=f"{c.elapsed_ms:.0f}") + " " + t("ws_intro"))
    return c


def county_tab(c: V.Comparison) -> None:
    """The county KPIs of every area, before and after."""
    st.caption(c.county_caption)
    st.table(c.county, hide_index=True, border="horizontal")
