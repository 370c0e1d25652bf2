"""Shared, read-only baseline and per-session state.

The baseline Territory is loaded once per server (``st.cache_resource``) and is immutable, so no
session can change it; everything a session changes lives in ``st.session_state``.
"""

from __future__ import annotations

import streamlit as st

from smartmap import assets
from smartmap.assets import AssetUrls
from smartmap.layers import Territory, load_territory
from smartmap.settings import Settings, get_settings


@st.cache_resource(show_spinner=False)
def _baseline(county: str) -> Territory:
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
