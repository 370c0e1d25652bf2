"""Entry point of the Streamlit app: page set-up, offline assets, language, navigation."""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui
from smartmap.core import vocab
from smartmap.core.errors import SmartmapError
from smartmap.render import assets

PAGES_DIR = "smartmap/app/pages"


def _language_switch() -> None:
    if ui.LANG not in st.session_state:
        st.session_state[ui.LANG] = "sv"
    st.sidebar.radio(
        "Språk / Language",
        options=list(vocab.LANGS),
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
        key=ui.LANG,
        horizontal=True,
    )


def run() -> None:
    """Set up the page, make sure the map assets are served, and run the selected page."""
    st.set_page_config(page_title="smartmap", page_icon=":world_map:", layout="wide")
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
    state.restore_session()  # a reload brings the session's workshop and language back
    _language_switch()
    t = ui.translator(ui.lang())
    if state.LOST.pop():
        st.info(t("keep_lost"))
    region = state.baseline().region
    if not region.has_package:
        st.warning(t("no_package", county=region.name(ui.lang()), code=region.county))
    elif region.test_data:
        st.info(t("test_data_notice", region=region.name(ui.lang())))
    shared = "scenario" in st.query_params  # a shared link opens the workshop at once
    pages = [
        st.Page(f"{PAGES_DIR}/map_page.py", title=t("page_map"), icon=":material/map:",
                default=not shared, url_path="map"),
        st.Page(f"{PAGES_DIR}/data_page.py", title=t("page_data"), icon=":material/upload_file:",
                url_path="data"),
        workshop := st.Page(f"{PAGES_DIR}/workshop_page.py", title=t("page_workshop"),
                            icon=":material/science:", url_path="workshop", default=shared),
        st.Page(f"{PAGES_DIR}/governance_page.py", title=t("page_governance"), icon=":material/account_tree:", url_path="governance"),
        st.Page(f"{PAGES_DIR}/about_page.py", title=t("page_about"), icon=":material/info:",
                url_path="about"),
    ]
    page = st.navigation(pages)
    if shared and page.title != workshop.title:  # a shared link on another page's address
        st.switch_page(f"{PAGES_DIR}/workshop_page.py", query_params=st.query_params.to_dict())
    try:
        page.run()
    finally:
        state.keep_session()
