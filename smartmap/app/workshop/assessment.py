"""The workshop's assessment tab: the computed strengths and areas for improvement of the active
scenario (recomputed after every edit), which the facilitator may keep or take out, their own
notes, and the assessment as it is saved with the scenario and shown in the report."""

from __future__ import annotations

import streamlit as st

from smartmap.app.views import assessment as AV
from smartmap.app.workshop.actions import Actions
from smartmap.app.workshop.session import Session


def assessment_tab(s: Session, act: Actions) -> None:
    """Draw the two editors, the save button and the assessment as shown."""
    t, lang, sc = s.t, s.lang, s.ws.scenario
    computed = s.ev.assessment_computed(sc, lang)
    version = AV.version(sc)
    cols = AV.columns(lang)
    choices = AV.options(s.baseline, lang)
    st.caption(t("ws_ass_intro"))
    st.markdown(f"**{t('ws_ass_computed_heading')}**")
    computed_key, notes_key = f"ws_ass_computed_{version}", f"ws_ass_notes_{version}"
    st.data_editor(
        AV.computed_frame(computed, sc.assessment, s.baseline, lang), key=computed_key,
        hide_index=True, width="stretch", num_rows="fixed",
        disabled=[c for k, c in cols.items() if k != "keep"],
        column_config={AV.KEY: None,
                       cols["keep"]: st.column_config.CheckboxColumn(cols["keep"], width=60),
                       cols["area"]: st.column_config.TextColumn(cols["area"], width=170),
                       cols["level"]: st.column_config.TextColumn(cols["level"], width=110),
                       cols["kind"]: st.column_config.TextColumn(cols["kind"], width=110),
                       cols["text"]: st.column_config.TextColumn(cols["text"], width="large")})
    st.markdown(f"**{t('ws_ass_notes_heading')}**")
    st.data_editor(
        AV.notes_frame(sc.assessment, s.baseline, lang), key=notes_key, hide_index=True,
        width="stretch", num_rows="dynamic",
        column_config={
            cols["area"]: st.column_config.SelectboxColumn(cols["area"], options=choices["area"],
                                                           required=True),
            cols["level"]: st.column_config.SelectboxColumn(cols["level"],
                                                            options=choices["level"],
                                                            required=True),
            cols["kind"]: st.column_config.SelectboxColumn(cols["kind"], options=choices["kind"],
                                                           required=True),
            cols["text"]: st.column_config.TextColumn(cols["text"], width="large",
                                                      max_chars=1000, required=True)})
    st.button(t("ws_ass_save"), key="ws_ass_save", type="primary",
              on_click=act.save_assessment, args=(computed_key, notes_key))
    st.markdown(f"**{t('ws_ass_shown')}**")
    st.table(AV.lines_table(s.ev.assessment_lines(sc, lang), s.baseline, lang), hide_index=True,
             border="horizontal")
    st.caption(t("ws_ass_saved_with"))
    d = AV.report_download(s.ev, sc, lang)
    st.download_button(d.label, data=d.data, file_name=d.file_name, mime=d.mime, key=d.key,
                       icon=":material/download:")
