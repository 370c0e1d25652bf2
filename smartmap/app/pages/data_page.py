"""Bring your own data: environments, or a whole region package, for this session only; or
restore the shipped data.

Widgets only; reading the files and what the page shows come from ``smartmap.app.views.data``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui
from smartmap.app.views import data as view
from smartmap.core import vocab

lang = ui.lang()
t = ui.translator(lang)
settings = state.settings()
LAST: ui.Slot[str] = ui.Slot("sm_upload_last")  # the last file handled (a rerun does not redo it)
OUTCOME: ui.Slot[view.UploadOutcome] = ui.Slot("sm_upload_result")
LAST_PACKAGE: ui.Slot[str] = ui.Slot("sm_package_last")
PACKAGE_OUTCOME: ui.Slot[view.PackageOutcome] = ui.Slot("sm_package_result")
max_mb = max(1, settings.max_upload_bytes // (1024 * 1024))

override = state.ENV_OVERRIDE.get()
package = state.PACKAGE.get()
header = view.data_header(state.baseline(), override, settings, lang, package)
st.title(header.title)
st.markdown(header.intro)
getattr(st, header.status[0])(header.status[1])

mode = st.radio(t("data_mode"), options=list(view.MODES), format_func=lambda m: t("data_mode_" + m),
                horizontal=True, **ui.bind("data_mode", "add"))
upload = ui.file_uploader(t("data_upload"), view.FILE_TYPES, "sm_upload", max_mb)

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

if st.button(t("data_restore"), key="data_restore", disabled=not (override or package),
             type="primary"):
    state.ENV_OVERRIDE.pop()
    state.PACKAGE.pop()
    OUTCOME.pop()
    PACKAGE_OUTCOME.pop()
    st.rerun()

with st.expander(t("data_format_help")):
    st.markdown(t("data_format_text"))
    left, right = st.columns(2)
    for column, language in zip((left, right), vocab.LANGS, strict=True):
        column.download_button(t(f"data_template_{language}"), data=view.template_csv(language),
                               file_name=f"smartmap_template_{language}.csv",
                               mime="text/csv", key=f"data_template_{language}",
                               on_click="ignore")
    st.subheader(t("data_guide_heading"))
    st.markdown(t("data_guide_intro"))
    st.dataframe(view.column_guide(state.baseline(), lang), hide_index=True, width="stretch")
    st.dataframe(view.example_table(state.baseline()), hide_index=True)

# --- a whole region package ------------------------------------------------------------------
st.header(t("data_package_heading"))
st.markdown(t("data_package_intro", mb=max_mb))
files = ui.file_uploader(t("data_package_upload"), view.PACKAGE_TYPES, "sm_package_upload",
                         max_mb, multiple=True)
if files:
    pairs = [(f.name, f.getvalue()) for f in files]
    digest = view.package_digest(pairs)
    if LAST_PACKAGE.get() != digest:
        LAST_PACKAGE.set(digest)
        package_outcome, new_package = view.read_package_upload(pairs, settings, lang)
        PACKAGE_OUTCOME.set(package_outcome)
        if new_package is not None:
            state.PACKAGE.set(new_package)
            state.ENV_OVERRIDE.pop()  # environments brought for the other region
            OUTCOME.pop()
            st.rerun()

shown = view.package_view(PACKAGE_OUTCOME.get(), lang)
if shown.headline:
    getattr(st, shown.headline[0])(shown.headline[1])
    if shown.test_note:
        st.info(shown.test_note)
    if shown.warnings_note:
        st.warning(shown.warnings_note)
    if shown.problems is not None:
        st.dataframe(shown.problems, hide_index=True, width="stretch")
