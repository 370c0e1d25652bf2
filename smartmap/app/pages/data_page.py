"""Bring your own data: upload environments for this session only, or restore the shipped data.

Widgets only; reading the file and what the page shows come from ``smartmap.app.views.data``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui
from smartmap.app.views import data as view

lang = ui.lang()
t = ui.translator(lang)
settings = state.settings()
LAST: ui.Slot[str] = ui.Slot("sm_upload_last")  # the last file handled (a rerun does not redo it)
OUTCOME: ui.Slot[view.UploadOutcome] = ui.Slot("sm_upload_result")

override = state.ENV_OVERRIDE.get()
header = view.data_header(state.baseline(), override, settings, lang)
st.title(header.title)
st.markdown(header.intro)
getattr(st, header.status[0])(header.status[1])

mode = st.radio(t("data_mode"), options=list(view.MODES), format_func=lambda m: t("data_mode_" + m),
                horizontal=True, **ui.bind("data_mode", "add"))
upload = st.file_uploader(t("data_upload"), type=list(view.FILE_TYPES), key="sm_upload",
                          max_upload_size=max(1, settings.max_upload_bytes // (1024 * 1024)))

if upload is not None:
    content = upload.getvalue()
    digest = view.upload_digest(content, upload.name)
    if LAST.get() != digest:
        LAST.set(digest)
        outcome, accepted = view.read_upload(content, upload.name, state.baseline(), settings, mode)
        OUTCOME.set(outcome)
        if accepted is not None:
            state.ENV_OVERRIDE.set(accepted)
            st.rerun()

# the mode can be changed after the upload: the same file is used again
if override and override.mode != mode:
    state.ENV_OVERRIDE.set(view.EnvOverride(mode, override.frame, override.name))
    st.rerun()

report = view.outcome_view(OUTCOME.get(), lang)
if report.refused:
    st.error(report.refused)
    st.dataframe(report.problems, hide_index=True, width="stretch")
elif report.assignments is not None:
    st.subheader(report.assignments_heading)
    st.dataframe(report.assignments, hide_index=True, width="stretch")
    if report.warnings_note:
        st.warning(report.warnings_note)
        st.dataframe(report.warnings, hide_index=True, width="stretch")

if st.button(t("data_restore"), key="data_restore", disabled=not override, type="primary"):
    state.ENV_OVERRIDE.pop()
    OUTCOME.pop()
    st.rerun()

with st.expander(t("data_format_help")):
    st.markdown(t("data_format_text"))
    st.dataframe(view.example_table(), hide_index=True)
