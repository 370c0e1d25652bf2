"""The shared, read-only baseline and what each session brings to it.

The shipped Territory is loaded once per server (``st.cache_resource``) and is immutable, so no
session can change it. What a session brings lives in :class:`~smartmap.app.ui.Slot` s, so
switching pages does not lose it: a whole region package (:data:`PACKAGE`, whose territory is
then this session's baseline) and its own environments (:data:`ENV_OVERRIDE`, on top of the
baseline). Language, widget values and other session keys: ``smartmap.app.ui``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import keep, ui
from smartmap.app.views.data import EnvOverride, SessionPackage, session_territory
from smartmap.core.settings import Settings, get_settings
from smartmap.data.layers import Territory, load_territory
from smartmap.render import assets
from smartmap.render.assets import AssetUrls

ENV_OVERRIDE: ui.Slot[EnvOverride] = ui.Slot("sm_env_override")
"""The session's uploaded environments (none: the baseline's)."""
PACKAGE: ui.Slot[SessionPackage] = ui.Slot("sm_package")
"""The session's own region package (none: the shipped data)."""
TOKEN: ui.Slot[str] = ui.Slot("sm_keep_token")
"""This session's token (``keep``): the key of its kept state, carried in the address."""
LOST: ui.Slot[bool] = ui.Slot("sm_keep_lost")
"""True once when the address named a session the server no longer keeps."""
KEPT_KEYS: tuple[str, ...] = (
    ui.LANG, "sm_widget_values", "sm_ws", "sm_ws_shown", "sm_ws_details_shown",
    "sm_ws_pick_shown", "ws_pick_label", "sm_ws_pending", "sm_ws_click_seen", "sm_ws_base",
)
"""The session keys a reload keeps (``keep``): the language, every bound widget's value, the
workshop with its histories and what its forms were filled from. Not kept: results (recomputed),
uploads (the "Your data" page's files, which may be large)."""


@st.cache_resource(show_spinner=False)
def store() -> keep.SessionStore:
    """The server's store of kept sessions (one per server process)."""
    return keep.SessionStore()


def _copy(value: object) -> object:
    return dict(value) if isinstance(value, dict) else (set(value) if isinstance(value, set)
                                                       else value)


def restore_session() -> None:
    """Give the session its token; on the first run of a session whose address carries a token
    the server keeps (a reload), bring back its kept state. Call before anything reads it."""
    if TOKEN.get() is None:
        asked = st.query_params.get(keep.QUERY)
        if keep.valid_token(asked) and (kept := store().get(asked)) is not None:
            for key, value in kept.values.items():
                st.session_state[key] = _copy(value)
            TOKEN.set(asked)
        else:
            TOKEN.set(keep.new_token())
            if asked:
                LOST.set(True)
    token = TOKEN.get()
    if token is not None and st.query_params.get(keep.QUERY) != token:
        st.query_params[keep.QUERY] = token


def keep_session() -> None:
    """Keep this session's state under its token (after each run, so a reload finds it)."""
    token = TOKEN.get()
    if token is None:
        return
    state = st.session_state
    store().put(token, {k: _copy(state[k]) for k in KEPT_KEYS if k in state})


@st.cache_resource(show_spinner=False)
def _shipped(county: str | None, data_dir: str, explicit: bool) -> Territory:
    """Keyed by the settings that choose the region (tests change them within one process)."""
    return load_territory(county, data_dir if explicit else None)


def settings() -> Settings:
    """The run's settings (environment variables included)."""
    return get_settings()


def shipped() -> Territory:
    """The territory the server was started with, shared by every session, never mutated."""
    s = settings()
    return _shipped(s.county, str(s.data_dir), s.data_dir_explicit)


def baseline() -> Territory:
    """This session's baseline: its own region package, else the shipped territory."""
    package = PACKAGE.get()
    return package.territory if package is not None else shipped()


def baseline_token() -> str:
    """Identifies the session's baseline: what was made on another one starts afresh."""
    package = PACKAGE.get()
    return "shipped" if package is None else package.token


def asset_urls() -> AssetUrls:
    """URLs of the offline map assets under this server's ``server.baseUrlPath``."""
    return assets.urls(st.get_option("server.baseUrlPath") or "")


def territory() -> Territory:
    """The territory this session works on (the baseline unless it brought its own data)."""
    return session_territory(baseline(), ENV_OVERRIDE.get())
