"""Shared, read-only baseline and per-session state.

The baseline Territory is loaded once per server (``st.cache_resource``) and is immutable, so no
session can change it; everything a session changes (its language, its uploaded environments, its
filters) lives in ``st.session_state`` under keys that are not widget keys, so switching pages
does not lose it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from smartmap import assets, vocab
from smartmap.assets import AssetUrls
from smartmap.layers import Territory, load_territory
from smartmap.settings import Settings, get_settings

LANG = "sm_lang"
ENV_OVERRIDE = "sm_env_override"
"""Session-only environments: dict(mode="add"|"replace", frame=GeoDataFrame, name=str)."""


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


def lang() -> vocab.Lang:
    """The session's language (``sv`` by default)."""
    return st.session_state.get(LANG, "sv")


def t(key: str, **values: object) -> str:
    """An interface text in the session's language."""
    return vocab.text(key, lang(), **values)


def keep(key: str, default: Any) -> Callable[[], None]:
    """Make widget ``key`` remember its value across page switches.

    Streamlit drops a widget's state when its page is not shown; we mirror it under a permanent
    key and restore it before the widget is created. Pass the returned callback as ``on_change``.
    """
    perm = f"_keep_{key}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(perm, default)

    def save() -> None:
        st.session_state[perm] = st.session_state[key]

    save()
    return save


def combine_environments(
    base: gpd.GeoDataFrame, uploaded: gpd.GeoDataFrame, mode: str
) -> gpd.GeoDataFrame:
    """The environments after an upload: ``replace`` uses only the file; ``add`` appends it,
    and a row whose id is already shipped replaces that shipped row (same id = same entity)."""
    if mode == "replace":
        return uploaded.copy(deep=False)
    kept = base.loc[~base["id"].isin(set(uploaded["id"]))]
    combined = pd.concat([kept, uploaded], ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=base.crs)


def session_environments() -> gpd.GeoDataFrame:
    """This session's environments: the shipped ones, or the user's upload added or in place."""
    base = baseline().environments
    override = st.session_state.get(ENV_OVERRIDE)
    if not override:
        return base
    return combine_environments(base, override["frame"], override["mode"])


def territory() -> Territory:
    """The territory this session works on (the baseline unless it brought its own data)."""
    if not st.session_state.get(ENV_OVERRIDE):
        return baseline()
    return baseline().replace(environments=session_environments())
