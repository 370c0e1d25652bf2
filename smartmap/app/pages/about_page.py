"""About the data: sources, years, licences, every cross-check finding, and the package's evidence
(population source and located shares, the white-spot search, the environments' status check).

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
st.subheader(v.population_heading)
for sentence in v.population_sentences:
    st.write(sentence)
st.caption(v.population_note)
st.dataframe(v.population, hide_index=True, width="stretch")
st.subheader(v.white_spots_heading)
st.caption(v.white_spots_intro)
if v.white_spots_missing is not None:
    st.info(v.white_spots_missing)
st.dataframe(v.white_spots, hide_index=True, width="stretch")
st.subheader(v.verification_heading)
st.caption(v.verification_intro)
st.dataframe(v.verification, hide_index=True, width="stretch")
if v.provenance is not None:
    with st.expander(v.provenance_heading):
        st.markdown(v.provenance)
st.caption(v.version)
