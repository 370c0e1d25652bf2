"""The shared, read-only baseline and what each session brings to it.

The shipped Territory is loaded once per server (``st.cache_resource``) and is immutable, so no
session can change it. What a session brings lives in :class:`~smartmap.app.ui.Slot` s, so
switching pages does not lose it: a whole region package (:data:`PACKAGE`, whose territory is
then this session's baseline) and its own environments (:data:`ENV_OVERRIDE`, on top of the
baseline). Language, widget values and other session keys: ``smartmap.app.ui``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import ui
from smartmap.app.views.data import EnvOverride, SessionPackage, session_territory
from smartmap.core.settings import Settings, get_settings
from smartmap.data.layers import Territory, load_territory
from smartmap.render import assets
from smartmap.render.assets import AssetUrls

ENV_OVERRIDE: ui.Slot[EnvOverride] = ui.Slot("sm_env_override")
"""The session's uploaded environments (none: the baseline's)."""
PACKAGE: ui.Slot[SessionPackage] = ui.Slot("sm_package")
"""The session's own region package (none: the shipped data)."""


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
