"""The workshop's sidebar: the session's scenarios (pick, new, duplicate, rename, delete) and the
active scenario's parameters."""

from __future__ import annotations

import streamlit as st

from smartmap.app import ui
from smartmap.app.views import workshop as V
from smartmap.app.views.common import term_label, term_options
from smartmap.app.workshop.actions import Actions
from smartmap.app.workshop.session import Session
from smartmap.core import vocab
from smartmap.core.limits import MAX_NAME_CHARS, RADIUS_KM_MAX, RADIUS_KM_MIN


def draw(s: Session, act: Actions) -> None:
    """Draw the sidebar for the active scenario."""
    t, lang, ws, sb = s.t, s.lang, s.ws, st.sidebar
    sb.header(t("ws_scenarios"))
    names = list(ws.names)
    sb.selectbox(t("ws_active"), options=names,
                 **ui.bind("ws_active", ws.scenario.name, options=names, on_change=act.select))
    c1, c2 = sb.columns(2)
    c1.button(t("ws_new"), key="ws_new", on_click=act.new, width="stretch", icon=":material/add:")
    c2.button(t("ws_duplicate"), key="ws_duplicate", on_click=act.duplicate, width="stretch",
              icon=":material/content_copy:")
    sb.text_input(t("ws_rename"), max_chars=MAX_NAME_CHARS, **ui.bind("ws_rename", ws.scenario.name))
    c1, c2 = sb.columns(2)
    c1.button(t("ws_rename_button"), key="ws_rename_button", on_click=act.rename, width="stretch")
    c2.button(t("ws_delete"), key="ws_delete", on_click=act.delete, width="stretch",
              icon=":material/delete:")

    sb.header(t("ws_parameters"))
    p = V.param_values(ws.scenario.parameters, s.baseline.region)
    sb.number_input(t("ws_radius"), min_value=RADIUS_KM_MIN, max_value=RADIUS_KM_MAX, step=0.5,
                    format="%.1f",
                    **ui.bind("ws_radius", p["ws_radius"], on_change=act.set_params))
    sb.checkbox(t("ws_planned"), **ui.bind("ws_planned", p["ws_planned"], on_change=act.set_params))
    types = term_options("env_type", s.baseline)
    sb.multiselect(t("ws_types"), options=types, format_func=lambda v: vocab.label(v, lang),
                   placeholder=t("all"),
                   **ui.bind("ws_types", p["ws_types"], options=types, on_change=act.set_params))
    cores = V.core_options(s.baseline)
    sb.multiselect(t("ws_cores"), options=cores,
                   format_func=lambda v: term_label(v, lang, s.baseline),
                   **ui.bind("ws_cores", p["ws_cores"], options=cores, on_change=act.set_params))
    sb.caption(t("ws_params_note"))
