"""The workshop's state in this browser session, and what arrives before the page is drawn.

Everything a facilitator makes lives in this session only: the
:class:`~smartmap.analysis.workshop.Workshop` (named scenarios with their undo/redo stacks) and the
session's :class:`~smartmap.analysis.workshop.Evaluator` (recent results), in plain session keys
that survive page switches. The baseline is the shipped territory, shared read-only by every
session and never changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.params import MetricParams
from smartmap.app import state, ui
from smartmap.app.views import workshop as V
from smartmap.app.views.common import Translator
from smartmap.core import vocab
from smartmap.core.problemtext import error_text
from smartmap.core.region import Region
from smartmap.core.settings import Settings
from smartmap.data.layers import Territory
from smartmap.render.htmltext import markdown_text as md

WS: ui.Slot[W.Workshop] = ui.Slot("sm_ws")
EVAL: ui.Slot[W.Evaluator] = ui.Slot("sm_ws_eval")
FLASH: ui.Slot[tuple[str, str]] = ui.Slot("sm_ws_flash")
"""(kind, message) shown once after an action."""
CLICK_SEEN: ui.Slot[tuple[float, float]] = ui.Slot("sm_ws_click_seen")
"""The last map click already handled."""
PENDING: ui.Slot[tuple[float, float] | None] = ui.Slot("sm_ws_pending")
"""(lat, lon) of a click waiting to become an environment (or a move)."""
TOKENS_SEEN: ui.Slot[set[str]] = ui.Slot("sm_ws_tokens_seen")
SHOWN: ui.Slot[tuple[int, MetricParams]] = ui.Slot("sm_ws_shown")
"""What the parameter widgets were last filled from (the active scenario, its parameters)."""
DETAILS_SHOWN: ui.Slot[tuple[int, str, str, str]] = ui.Slot("sm_ws_details_shown")
"""... and the name, author and description fields."""
BASE: ui.Slot[str] = ui.Slot("sm_ws_base")
"""Which baseline the workshop was made on (``state.baseline_token``)."""
MAP_KEY = "ws_map"
SESSION_SLOTS = (WS, EVAL, FLASH, CLICK_SEEN, PENDING, SHOWN, DETAILS_SHOWN)


@dataclass(frozen=True)
class Session:
    """One run of the page: its language, the baseline and the settings, and the session's
    workshop and evaluator."""

    lang: vocab.Lang
    t: Translator
    baseline: Territory
    settings: Settings

    @property
    def ws(self) -> W.Workshop:
        """The session's workshop (one empty scenario at first)."""
        return WS.get_or(lambda: W.Workshop.start(self.t("ws_default_name", n=1)))

    def commit(self, ws: W.Workshop) -> None:
        WS.set(ws)

    @property
    def ev(self) -> W.Evaluator:
        """The session's evaluator (a new one if the baseline was reloaded)."""
        ev = EVAL.get()
        if ev is None or ev.baseline is not self.baseline:
            ev = EVAL.set(W.Evaluator(self.baseline))
        return ev

    def flash(self, kind: str, message: str) -> None:
        """Show ``message`` as ``st.<kind>`` once, at the top of the next run."""
        FLASH.set((kind, message))


def _shared_link(s: Session) -> None:
    """A scenario arriving in the address (a shared link) is opened once."""
    token = st.query_params.get(V.QUERY)
    if token:  # taken in once: a reload restores the session (``keep``), not the link again
        st.query_params.pop(V.QUERY, None)
    seen = TOKENS_SEEN.get_or(set)
    if token and token not in seen:
        seen.add(token)
        try:
            shared = s.ev.check(S.from_share_token(token))
        except S.ScenarioError as exc:
            s.flash("error", s.t("ws_link_refused", msg=md(error_text(exc, s.lang))))
        else:
            s.commit(s.ws.add(shared))
            s.flash("success", s.t("ws_link_loaded", name=md(s.ws.scenario.name)))


def _map_click() -> None:
    """A new click on the map becomes the pending point and the add form's location."""
    clicked = (ui.value(MAP_KEY) or {}).get("last_clicked")
    if clicked and clicked.get("lat") is not None:
        point = (round(float(clicked["lat"]), 5), round(float(clicked["lng"]), 5))
        if CLICK_SEEN.get() != point:
            CLICK_SEEN.set(point)
            PENDING.set(point)
            ui.set_widget("ws_add_lat", point[0])
            ui.set_widget("ws_add_lon", point[1])


def _fill_from_scenario(ws: W.Workshop, region: Region) -> None:
    """Fill the parameter and detail widgets from the active scenario when it changed
    elsewhere (undo, another scenario, a file)."""
    sc = ws.scenario
    if SHOWN.get() != (ws.active, sc.parameters):
        for name, value in V.param_values(sc.parameters, region).items():
            ui.set_widget(name, value)
        SHOWN.set((ws.active, sc.parameters))
    details = (ws.active, sc.name, sc.author, sc.description)
    if DETAILS_SHOWN.get() != details:
        ui.set_widget("ws_rename", sc.name)
        ui.set_widget("ws_author", sc.author)
        ui.set_widget("ws_description", sc.description)
        DETAILS_SHOWN.set(details)
    ui.set_widget("ws_active", sc.name)


def _same_baseline() -> None:
    """A workshop made on another baseline (the session brought or dropped a region package)
    starts afresh: its scenarios name the other region's environments."""
    token = state.baseline_token()
    if BASE.get() != token:
        for slot in SESSION_SLOTS:
            slot.pop()
        BASE.set(token)


def start() -> Session:
    """This run's session, after a shared link and a map click are taken in."""
    _same_baseline()
    lang = ui.lang()
    s = Session(lang, ui.translator(lang), state.baseline(), state.settings())
    _shared_link(s)
    _map_click()
    _fill_from_scenario(s.ws, s.baseline.region)
    return s


def _sidebar_is_behind(ws: W.Workshop) -> bool:
    """Whether the sidebar (drawn outside the page's fragment) shows another scenario, name or
    parameters than the active scenario has (after an undo, a redo, a file)."""
    sc = ws.scenario
    return (SHOWN.get() != (ws.active, sc.parameters)
            or DETAILS_SHOWN.get() != (ws.active, sc.name, sc.author, sc.description))


def in_fragment(s: Session) -> None:
    """At the start of each run of the page's fragment: take in a map click, and rerun the whole
    page when the sidebar would show something stale."""
    _map_click()
    if _sidebar_is_behind(s.ws):
        st.rerun(scope="app")


def notices(s: Session) -> None:
    """The messages above the comparison (always a container, so the elements below keep their
    place, and the tabs the one the user opened, whether a message shows or not)."""
    with st.container():
        if state.ENV_OVERRIDE.get():
            st.info(s.t("ws_shipped_only"))
        flash = FLASH.pop()
        if flash:
            getattr(st, flash[0])(flash[1])
