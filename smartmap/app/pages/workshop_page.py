"""The scenario workshop: edit the territory live, compare, undo/redo, save, open and share.

Everything a facilitator makes lives in this browser session only; the baseline is never changed.
The parts of the page are in ``smartmap.app.workshop``; what they show is computed by
``smartmap.app.views.workshop``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app.workshop import compare, edit, files, session, sidebar
from smartmap.app.workshop.actions import Actions

s = session.start()  # a shared link and a map click are taken in; widgets follow the scenario
act = Actions(s)
sidebar.draw(s, act)
compare.header(s, act)
comparison = compare.draw(s)

t = s.t
add, change, edits, county, share_files = st.tabs(
    [t("ws_tab_add"), t("ws_tab_change"), t("ws_tab_edits"), t("ws_tab_county"), t("ws_tab_files")])
with add:
    edit.add_tab(s, act)
with change:
    edit.change_tab(s, act, comparison.territory)
with edits:
    edit.edits_tab(s, act, comparison.territory)
with county:
    compare.county_tab(comparison)
with share_files:
    files.files_tab(s, act)
