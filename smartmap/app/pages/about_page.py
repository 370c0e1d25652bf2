"""About the data: sources, years, licences and every cross-check finding.

Widgets only; what the page shows comes from ``smartmap.app.views.about``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui
from smartmap.app.views.about import about_view

v = about_view(state.territory(), ui.lang())
st.title(v.title)
st.markdown(v.intro)
st.subheader(v.layers_heading)
st.dataframe(v.layers, hide_index=True, width="stretch")
st.subheader(v.problems_heading)
st.caption(v.problems_note)
st.dataframe(v.problems, hide_index=True, width="stretch")
if v.provenance is not None:
    with st.expander(v.provenance_heading):
        st.markdown(v.provenance)
st.caption(v.version)
