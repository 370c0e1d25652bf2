"""Entry point of the Streamlit app: page set-up, offline assets, language, navigation.

Every page has its own address (``/map``, ``/data``, ``/workshop``, ``/governance``, ``/about``):
the app's root is a hidden page that opens the map (``smartmap.app.web`` also redirects ``/``
there before Streamlit answers). The language is part of every address (``?lang=en``).
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui, web
from smartmap.app.views import link
from smartmap.core import vocab
from smartmap.core.errors import SmartmapError
from smartmap.render import assets

PAGES_DIR = "smartmap/app/pages"
MAP_PAGE = f"{PAGES_DIR}/map_page.py"
WORKSHOP_PAGE = f"{PAGES_DIR}/workshop_page.py"
LANG_LINK = "*lang"
"""The language's entry in ``ui.link_arrived``: read once per session, then kept in the address."""


def _language_switch() -> None:
    if ui.LANG not in st.session_state:
        st.session_state[ui.LANG] = "sv"
    arrived = ui.link_arrived(LANG_LINK, [link.LANG])
    if arrived is not None and link.LANG in arrived:
        chosen = link.read_lang(arrived)
        if chosen is not None:
            st.session_state[ui.LANG] = chosen
    st.sidebar.radio(
        "Språk / Language",
        options=list(vocab.LANGS),
        format_func=lambda code: {"sv": "Svenska", "en": "English"}[code],
        key=ui.LANG,
        horizontal=True,
    )
    language = ui.lang()
    ui.write_link(LANG_LINK, {link.LANG: language} if language != "sv" else {}, [link.LANG])


def _home() -> None:
    """The app's root: the map, at its own address (the link's parameters kept)."""
    st.switch_page(MAP_PAGE, query_params=st.query_params.to_dict())


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
    region = state.baseline().region
    if not region.has_package:
        st.warning(t("no_package", county=region.name(ui.lang()), code=region.county))
    elif region.test_data:
        st.info(t("test_data_notice", region=region.name(ui.lang())))
    shared = "scenario" in st.query_params  # a shared link opens the workshop at once
    pages = [
        st.Page(_home, title=t("page_map"), default=True, visibility="hidden", url_path="home"),
        st.Page(MAP_PAGE, title=t("page_map"), icon=":material/map:", url_path=web.HOME),
        st.Page(f"{PAGES_DIR}/data_page.py", title=t("page_data"), icon=":material/upload_file:",
                url_path="data"),
        st.Page(WORKSHOP_PAGE, title=t("page_workshop"), icon=":material/science:",
                url_path=web.SCENARIO_PAGE),
        st.Page(f"{PAGES_DIR}/governance_page.py", title=t("page_governance"), icon=":material/account_tree:", url_path="governance"),
        st.Page(f"{PAGES_DIR}/priorities_page.py", title=t("page_priorities"),
                icon=":material/flag:", url_path="priorities"),
        st.Page(f"{PAGES_DIR}/about_page.py", title=t("page_about"), icon=":material/info:",
                url_path="about"),
    ]
    page = st.navigation(pages)
    # said on the page shown (not the door), and until a run of it ends without a rerun
    lost = page.url_path != "home" and bool(state.LOST.get())
    if lost:
        st.info(t("keep_lost"))
    if shared and page.url_path != web.SCENARIO_PAGE:  # a shared link on another address
        st.switch_page(WORKSHOP_PAGE, query_params=st.query_params.to_dict())
    try:
        page.run()
    finally:
        state.keep_session()
    if lost:
        state.LOST.pop()
