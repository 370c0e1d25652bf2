"""The shared, read-only baseline and what each session brings to it.

The baseline Territory is loaded once per server (``st.cache_resource``) and is immutable, so no
session can change it. A session's own environments (an upload) live in a :class:`~smartmap.app.ui.Slot`,
so switching pages does not lose them. Language, widget values and other session keys:
``smartmap.app.ui``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import ui
from smartmap.app.views.data import EnvOverride, session_territory
from smartmap.core.settings import Settings, get_settings
from smartmap.data.layers import Territory, load_territory
from smartmap.render import assets
from smartmap.render.assets import AssetUrls

ENV_OVERRIDE: ui.Slot[EnvOverride] = ui.Slot("sm_env_override")
"""The session's uploaded environments (none: the shipped ones)."""


@st.cache_resource(show_spinner=False)
def _baseline(county: str | None) -> Territory:
    return load_territory(county)


def settings() -> Settings:
    """The run's settings (environment variables included)."""
    return get_settings()


def baseline() -> Territory:
    """The shipped territory, shared by every session and never mutated."""
    return _baseline(settings().county)


def asset_urls() -> AssetUrls:
    """URLs of the offline map assets under this server's ``server.baseUrlPath``."""
    return assets.urls(st.get_option("server.baseUrlPath") or "")


def territory() -> Territory:
    """The territory this session works on (the baseline unless it brought its own data)."""
    return session_territory(baseline(), ENV_OVERRIDE.get())
