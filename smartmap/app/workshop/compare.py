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


def header(s: Session, act: Actions) -> None:
    """Title, messages, undo / redo and the active scenario in one line."""
    t, ws = s.t, s.ws
    st.title(t("ws_title"))
    st.caption(t("ws_intro"))
    notices(s)
    bar = st.columns([1, 1, 6])
    bar[0].button(t("ws_undo"), key="ws_undo", on_click=act.undo, disabled=not ws.can_undo,
                  icon=":material/undo:", width="stretch")
    bar[1].button(t("ws_redo"), key="ws_redo", on_click=act.redo, disabled=not ws.can_redo,
                  icon=":material/redo:", width="stretch")
    bar[2].markdown(V.status_line(ws.scenario, s.lang, s.baseline.region))


def draw(s: Session) -> V.Comparison:
    """The choices, the KPIs, the map and the tables beside it; returns the comparison."""
    t, lang, ws = s.t, s.lang, s.ws
    sc = ws.scenario
    refs = V.compare_options(ws)
    ctl = st.columns([2, 3, 3, 3])
    ref_name = ctl[0].selectbox(t("ws_compare_with"), options=refs,
                                format_func=lambda v: V.compare_label(v, lang),
                                **ui.bind("ws_compare", V.BASELINE_OPTION, options=refs))
    effects = list(V.EFFECTS)
    effect = ctl[3].radio(t("ws_effect"), options=effects, horizontal=True,
                          format_func=lambda v: t(f"ws_effect_{v}"), help=t("ws_effect_help"),
                          **ui.bind("ws_effect", "edits", options=effects))
    metrics = V.metric_options(s.baseline)
    region = s.baseline.region
    metric = ctl[1].selectbox(
        t("ws_metric"), options=metrics,
        format_func=lambda c: catalog.metric_label(c, lang, sc.parameters.radius_km, region),
        **ui.bind("ws_metric", "cov_any", options=metrics))
    views = list(maps.COMPARE_VIEWS)
    view = ctl[2].radio(t("ws_view"), options=views, horizontal=True,
                        format_func=lambda v: t(f"ws_view_{v}"),
                        **ui.bind("ws_view", "change", options=views))
    reference = None if ref_name == V.BASELINE_OPTION else ws.get(ref_name)
    c = V.comparison(s.ev, sc, reference, metric, view, lang, PENDING.get(), effect)

    st.caption(f"{c.kpi_caption} · {c.effect_note}")
    for col, k in zip(st.columns(4), c.kpis, strict=True):
        col.metric(k.label, k.value, delta=k.delta, delta_color=k.delta_color,
                   delta_arrow=k.delta_arrow, help=k.help)

    left, right = st.columns([3, 2])
    with left:
        centre, zoom = maps.county_view(s.baseline)
        base = maps.base_map(state.asset_urls(), s.settings.basemap, centre, zoom)
        st_folium(base, key=MAP_KEY, height=640, use_container_width=True,
                  feature_group_to_add=c.groups, layer_control=maps.layer_control(),
                  returned_objects=["last_clicked"])
        st.caption(t("ws_map_hint", ms=f"{c.elapsed_ms:.0f}"))
    with right:
        st.subheader(t("ws_most_changed"))
        st.caption(c.changed_caption)
        if c.top.empty:
            st.info(t("ws_nothing_changed"))
        else:
            st.table(c.top, hide_index=True, border="horizontal")
        with st.expander(t("ws_all_municipalities")):
            st.dataframe(c.all, hide_index=True, width="stretch")
    return c


def county_tab(c: V.Comparison) -> None:
    """The county KPIs of every area, before and after."""
    st.caption(c.county_caption)
    st.table(c.county, hide_index=True, border="horizontal")
