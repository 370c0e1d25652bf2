"""The scenario workshop: edit the territory live, compare, undo/redo, save, open and share.

Everything a facilitator makes lives in this browser session (kept across a reload under the
session's token, ``smartmap.app.keep``); the baseline is never changed. The parts of the page are
in ``smartmap.app.workshop``; what they show is computed by ``smartmap.app.views.workshop``.

The page below the sidebar is one fragment: an edit, an undo or a choice reruns only it, not the
navigation and the sidebar, and the map's layers are replaced in place (``st_folium``'s
``feature_group_to_add``), so the room sees the change quickly and the map keeps its extent.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state
from smartmap.app.workshop import assessment, compare, edit, files, session, sidebar
from smartmap.app.workshop.actions import Actions

TABS = "ws_tabs"
s = session.start()  # a shared link and a map click are taken in; widgets follow the scenario
act = Actions(s)
sidebar.draw(s, act)


@st.fragment
def body() -> None:
    session.in_fragment(s)  # a map click; a change the sidebar must show reruns the whole page
    compare.layout(s)
    compare.header(s, act)
    comparison = compare.draw(s)
    t = s.t
    # the tabs say which is open (a click reruns the fragment), so the assessment, which
    # recomputes the alignment of the scenario (about 90 ms), and the share link's QR code (about
    # 30 ms) are made only while they are shown
    add, change, edits, county, judged, share_files = st.tabs(
        [t("ws_tab_add"), t("ws_tab_change"), t("ws_tab_edits"), t("ws_tab_county"),
         t("ws_tab_assessment"), t("ws_tab_files")], key=TABS, on_change="rerun")
    with add:
        edit.add_tab(s, act)
    with change:
        edit.change_tab(s, act, comparison.territory)
    with edits:
        edit.edits_tab(s, act, comparison.territory)
    with county:
        compare.county_tab(comparison)
    with judged:
        if judged.open:
            assessment.assessment_tab(s, act)
    with share_files:  # the link and its QR code (a new one after every edit) only when shown
        files.files_tab(s, act, share=share_files.open is not False)
    state.keep_session()  # a fragment run does not reach the end of the page's run


body()
