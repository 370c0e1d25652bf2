"""About the data: sources, years, licences and every cross-check finding."""

from __future__ import annotations

import streamlit as st

from smartmap import __version__
from smartmap.app import state
from smartmap.core.settings import PROJECT_DIR
from smartmap.data.summary import layer_table

lang = state.lang()
t = state.translator(lang)
territory = state.territory()

st.title(t("page_about"))
st.markdown(t("about_intro"))
st.subheader(t("about_layers"))
layers = layer_table(territory)
layers.columns = [t("col_" + c) for c in layers.columns]
st.dataframe(layers, hide_index=True, width="stretch")
st.subheader(t("about_problems"))
st.caption(t("about_problems_note"))
problems = territory.problems[["severity", "source", "row", "record_id", "field", "message",
                               "expected"]]
problems.columns = [t("col_" + c) for c in problems.columns]
st.dataframe(problems, hide_index=True, width="stretch")
provenance = PROJECT_DIR / "geodata" / "PROVENANCE.md"
if provenance.exists():
    with st.expander(t("about_provenance")):
        st.markdown(provenance.read_text(encoding="utf-8"))
st.caption(f"smartmap {__version__}")
