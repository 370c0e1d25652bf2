"""The workshop's edit forms: add an environment (typed or clicked position), change one (close,
reopen, move, re-tag), and the list of the scenario's edits."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from smartmap.analysis import workshop as W
from smartmap.app import ui
from smartmap.app.views import workshop as V
from smartmap.app.views.common import term_label, term_options
from smartmap.app.workshop.actions import PICK_LABEL, PICK_SHOWN, Actions
from smartmap.app.workshop.session import PENDING, Session
from smartmap.core import vocab
from smartmap.core.limits import MAX_NAME_CHARS
from smartmap.data.layers import Territory
from smartmap.render.htmltext import markdown_text as md


def _terms(s: Session, column: DeltaGenerator | None, label: str, name: str,
           options: list[str], in_form: bool = False) -> None:
    """A multiselect of terms in ``column`` (``None``: the page's main area)."""
    multiselect = st.multiselect if column is None else column.multiselect
    multiselect(label, options=options,
                       format_func=lambda v: term_label(v, s.lang, s.baseline),
                       placeholder=s.t("none"), **ui.bind(name, [], options=options, in_form=in_form))


def _position(s: Session, c1: DeltaGenerator, c2: DeltaGenerator, prefix: str,
              in_form: bool = False) -> None:
    for column, axis, limit in ((c1, "lat", 90.0), (c2, "lon", 180.0)):
        column.number_input(s.t(f"ws_{axis}"), min_value=-limit, max_value=limit, step=0.001,
                            value=None, format="%.5f",
                            **ui.bind(f"{prefix}_{axis}", None, in_form=in_form))


def add_tab(s: Session, act: Actions) -> None:
    """A new environment: the clicked point (if any) and the form."""
    t, lang = s.t, s.lang
    pending = PENDING.get()
    if pending:
        st.info(t("ws_clicked", lat=f"{pending[0]:.5f}", lon=f"{pending[1]:.5f}",
                  place=md(V.place(pending, s.baseline, s.settings.assign_tolerance_m, lang))))
        st.button(t("ws_forget_click"), key="ws_forget_click", on_click=act.forget_click)
    else:
        st.caption(t("ws_add_hint"))

    def select(column: DeltaGenerator, label: str, name: str, options: list[str]) -> None:
        column.selectbox(label, options=options, format_func=lambda v: vocab.label(v, lang),
                         **ui.bind(name, V.ADD_DEFAULTS[name], options=options, in_form=True))

    with st.form("ws_add_form", clear_on_submit=False):
        a1, a2 = st.columns(2)
        a1.text_input(t("name"), max_chars=MAX_NAME_CHARS,
                      **ui.bind("ws_add_name", "", in_form=True))
        select(a2, t("type"), "ws_add_type", term_options("env_type", s.baseline))
        _terms(s, a1, t("areas"), "ws_add_areas", V.area_options(s.baseline), in_form=True)
        _terms(s, a2, t("services"), "ws_add_services", term_options("service", s.baseline),
               in_form=True)
        a1.text_input(t("host"), max_chars=MAX_NAME_CHARS,
                      **ui.bind("ws_add_host", "", in_form=True))
        select(a2, t("level"), "ws_add_level", term_options("level", s.baseline))
        _position(s, a1, a2, "ws_add", in_form=True)
        select(a1, t("status"), "ws_add_status", list(V.ADD_STATUSES))
        st.form_submit_button(t("ws_add_button"), on_click=act.add_environment, type="primary")


def change_tab(s: Session, act: Actions, territory: Territory) -> None:
    """Pick an environment of the scenario, then close, reopen, move or re-tag it."""
    t, lang, sc = s.t, s.lang, s.ws.scenario
    labels = V.pick_options(territory, lang, s.baseline)
    pick = st.selectbox(t("ws_pick"), options=list(labels), format_func=lambda e: labels[e],
                        index=None,
                        placeholder=t("ws_pick_hint"), **ui.bind("ws_pick", None, options=list(labels)))
    if not pick:
        return
    env = V.picked(territory, pick, lang)
    PICK_LABEL.set(env.name)
    if PICK_SHOWN.get() != (pick, sc.edits):  # fill the forms from the environment as it is now
        PICK_SHOWN.set((pick, sc.edits))
        for name, value in (("ws_move_lat", env.lat), ("ws_move_lon", env.lon),
                            ("ws_retag_areas", env.areas), ("ws_retag_services", env.services)):
            ui.set_widget(name, value)
    st.caption(env.caption)
    b1, b2 = st.columns(2)
    b1.button(t("ws_close"), key="ws_close", on_click=act.change_environment, args=("close",),
              disabled=env.status == "closed")
    b2.button(t("ws_reopen"), key="ws_reopen", on_click=act.change_environment, args=("reopen",),
              disabled=env.status == "active")
    st.markdown(f"**{t('ws_move_heading')}**")
    m1, m2 = st.columns(2)
    _position(s, m1, m2, "ws_move")
    m1.button(t("ws_move"), key="ws_move", on_click=act.change_environment, args=("move",))
    pending = PENDING.get()
    if pending:
        m2.button(t("ws_move_click", lat=f"{pending[0]:.4f}", lon=f"{pending[1]:.4f}"),
                  key="ws_move_click", on_click=act.change_environment, args=("move_click",))
    st.markdown(f"**{t('ws_retag_heading')}**")
    _terms(s, None, t("areas"), "ws_retag_areas", V.area_options(s.baseline))
    _terms(s, None, t("services"), "ws_retag_services", term_options("service", s.baseline))
    st.button(t("ws_retag"), key="ws_retag", on_click=act.change_environment, args=("retag",))


def edits_tab(s: Session, act: Actions, territory: Territory) -> None:
    """The scenario's edits in order; one can be removed (undoable)."""
    t, sc = s.t, s.ws.scenario
    if not sc.edits:
        st.caption(t("ws_no_edits"))
        return
    st.dataframe(W.edits_table(sc, V.env_names(territory), s.lang, territory.region),
                 hide_index=True,
                 width="stretch")
    r1, r2 = st.columns([1, 3])
    numbers = list(range(1, len(sc.edits) + 1))
    r1.selectbox(t("ws_remove_which"), options=numbers, **ui.bind("ws_remove", 1, options=numbers))
    r2.button(t("ws_remove"), key="ws_remove_button", on_click=act.remove_edit)
