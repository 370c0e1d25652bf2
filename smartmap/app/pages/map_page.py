"""The stakeholder map: municipalities and innovation environments."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from smartmap import maps
from smartmap.app import state

territory = state.baseline()
lang = "sv"
st.title("Innovationsmiljöer i Stockholms län")
env = territory.environments
drawn = maps.drawable(env)
st.caption(
    f"{len(territory.municipalities)} kommuner · {len(drawn)} innovationsmiljöer på kartan"
    + (f" · {len(env) - len(drawn)} utan koordinater (visas bara i tabellen)" if len(env) > len(drawn) else "")
)
m = maps.environment_map(territory, state.asset_urls(), lang, state.settings().basemap)
st_folium(m, key="stakeholder_map", height=620, use_container_width=True, returned_objects=[])
st.dataframe(
    env.drop(columns="geometry")[["name", "env_type", "kommun", "host_organisation", "governance_level", "status"]],
    hide_index=True,
)
