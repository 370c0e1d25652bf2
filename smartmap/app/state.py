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

from smartmap.analysis import catalog
from smartmap.core import vocab
from smartmap.core.region import Region
from smartmap.core.settings import Settings, get_settings
from smartmap.data.layers import Territory, load_territory
from smartmap.render import assets
from smartmap.render.assets import AssetUrls

LANG = "sm_lang"
ENV_OVERRIDE = "sm_env_override"
"""Session-only environments: dict(mode="add"|"replace", frame=GeoDataFrame, name=str)."""


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


def lang() -> vocab.Lang:
    """The session's language (``sv`` by default)."""
    return st.session_state.get(LANG, "sv")


def t(key: str, **values: object) -> str:
    """An interface text in the session's language."""
    return vocab.text(key, lang(), **values)


def translator(language: vocab.Lang) -> Callable[..., str]:
    """A ``t(key, **values)`` bound to one language (widgets' format functions must not change
    language between the run that drew them and the next)."""

    def t_(key: str, **values: object) -> str:
        return vocab.text(key, language, **values)

    return t_


def widget_key(name: str) -> str:
    """The widget key of ``name`` in the session's language.

    Widgets whose labels or option texts depend on the language get one key per language: a
    switch of language then draws fresh widgets (with the new texts) initialised from the value
    kept under the language-independent name, instead of widgets whose chosen option texts no
    longer match their options.
    """
    return f"{name}__{lang()}"


def bind(name: str, default: Any) -> dict[str, Any]:
    """``key`` and ``on_change`` for a widget whose value survives page and language switches."""
    wkey = widget_key(name)
    perm = f"_keep_{name}"
    if wkey not in st.session_state:
        st.session_state[wkey] = st.session_state.get(perm, default)
    st.session_state[perm] = st.session_state[wkey]

    def save() -> None:
        st.session_state[perm] = st.session_state[wkey]

    return {"key": wkey, "on_change": save}


def set_bound(name: str, value: Any) -> None:
    """Set a bound widget's value before it is drawn (e.g. from a map click)."""
    st.session_state[f"_keep_{name}"] = value
    st.session_state[widget_key(name)] = value


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


CHOROPLETH_ORDER = ("cov_any", "n_env", "env_per_100k", "cov_", "dist_km_", "white_spot_",
                    "has_env_", "lq_", "n_env_", "dist_core_km")


def choropleth_columns(table: pd.DataFrame, region: Region | None = None) -> list[str]:
    """Metric columns that can colour the map (numbers and yes/no), in a reader's order."""
    candidates = [c for c in table.columns if c not in ("kommun_kod", "kommun")]
    usable = []
    for c in candidates:
        try:
            kind = catalog.metric_info(c, region).kind
        except KeyError:
            continue
        if kind != "text":
            usable.append(c)
    order = {c: i for i, c in enumerate(CHOROPLETH_ORDER)}

    def rank(column: str) -> tuple[int, int]:
        if column in order:
            return (order[column], 0)
        prefix = max((p for p in CHOROPLETH_ORDER if column.startswith(p)), key=len, default="")
        return (order.get(prefix, len(order)), candidates.index(column))

    return sorted(usable, key=rank)


def county_name(language: vocab.Lang) -> str:
    """The session's region by name, from its manifest (e.g. "Stockholms län")."""
    return baseline().region.name(language)
