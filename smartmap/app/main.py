"""Entry point of the Streamlit app: page set-up, offline assets, navigation."""

from __future__ import annotations

import streamlit as st

from smartmap import assets
from smartmap.app import state
from smartmap.errors import SmartmapError


def run() -> None:
    """Set up the page, make sure the map assets are served, and run the selected page."""
    st.set_page_config(page_title="smartmap – Stockholms län", page_icon=":world_map:", layout="wide")
    try:
        assets.install()
    except SmartmapError as exc:
        st.error(f"The map cannot be shown: {exc}")
        st.stop()
    try:
        state.baseline()
    except SmartmapError as exc:
        st.error(f"The shipped data could not be loaded:\n\n{exc}")
        st.stop()
    pages = [
        st.Page("smartmap/app/pages/map_page.py", title="Karta / Map", icon=":material/map:",
                default=True, url_path="map"),
    ]
    st.navigation(pages).run()
