"""Bring your own data: upload environments for this session only, or restore the shipped data."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from smartmap.app import state
from smartmap.core.errors import DataValidationError, Problem, SmartmapError, problems_frame
from smartmap.data import userfiles as smio
from smartmap.data.safety import file_label

lang = state.lang()
t = state.translator(lang)
settings = state.settings()
LAST = "sm_upload_last"          # digest of the last file handled (so a rerun does not redo it)
RESULT = "sm_upload_result"      # dict(kind="ok"|"refused", ...)

st.title(t("page_data"))
st.markdown(t("data_intro", mb=settings.max_upload_bytes // (1024 * 1024)))

override = st.session_state.get(state.ENV_OVERRIDE)
if override:
    st.success(t("data_in_use", name=override["name"], n=len(override["frame"]),
                 mode=t("data_mode_" + override["mode"])))
else:
    st.info(t("data_shipped", n=len(state.baseline().environments)))

mode = st.radio(t("data_mode"), options=["add", "replace"], **state.bind("data_mode", "add"),
                format_func=lambda m: t("data_mode_" + m), horizontal=True)
upload = st.file_uploader(t("data_upload"), type=["csv", "txt", "geojson", "json", "gpkg"],
                          key="sm_upload",
                          max_upload_size=max(1, settings.max_upload_bytes // (1024 * 1024)))

if upload is not None:
    content = upload.getvalue()
    digest = hashlib.sha256(content + upload.name.encode()).hexdigest()
    if st.session_state.get(LAST) != digest:
        st.session_state[LAST] = digest
        name = file_label(upload.name)  # as messages show it (invisible characters escaped)
        try:
            result = smio.read_environments(content, state.baseline(), name=upload.name,
                                            settings=settings)
        except DataValidationError as exc:
            st.session_state[RESULT] = {"kind": "refused", "name": name,
                                        "problems": exc.problems}
        except SmartmapError as exc:  # any other refusal: one line, never a traceback
            st.session_state[RESULT] = {"kind": "refused", "name": name,
                                        "problems": [Problem(name, None, None, str(exc))]}
        else:
            st.session_state[RESULT] = {"kind": "ok", "name": name,
                                        "assignments": result.assignments,
                                        "warnings": list(result.warnings)}
            st.session_state[state.ENV_OVERRIDE] = {"mode": mode, "frame": result.environments,
                                                     "name": name}
            st.rerun()

# the mode can be changed after the upload: the same file is used again
if override and override["mode"] != mode:
    st.session_state[state.ENV_OVERRIDE] = {**override, "mode": mode}
    st.rerun()

outcome = st.session_state.get(RESULT)
if outcome and outcome["kind"] == "refused":
    st.error(t("data_refused", name=outcome["name"], n=len(outcome["problems"])))
    table = problems_frame(outcome["problems"])[["row", "field", "message", "expected"]]
    table.columns = [t("col_row"), t("col_field"), t("col_problem"), t("col_expected")]
    st.dataframe(table, hide_index=True, width="stretch")
elif outcome and outcome["kind"] == "ok":
    st.subheader(t("data_assignments"))
    st.dataframe(outcome["assignments"], hide_index=True, width="stretch")
    if outcome["warnings"]:
        st.warning(t("data_warnings", n=len(outcome["warnings"])))
        st.dataframe(problems_frame(outcome["warnings"])[["row", "field", "message"]],
                     hide_index=True, width="stretch")

if st.button(t("data_restore"), key="data_restore", disabled=not override, type="primary"):
    st.session_state.pop(state.ENV_OVERRIDE, None)
    st.session_state.pop(RESULT, None)
    st.rerun()

with st.expander(t("data_format_help")):
    st.markdown(t("data_format_text"))
    example = pd.DataFrame([{
        "name": "Exempel Lab", "env_type": "testbed", "lat": 59.3293, "lon": 18.0686,
        "priority_areas": "ict;climate_urban", "host_organisation": "Exempel AB",
        "governance_level": "private", "services": "testbed_access", "status": "active",
    }])
    st.dataframe(example, hide_index=True)
