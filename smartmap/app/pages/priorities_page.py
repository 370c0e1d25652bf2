"""Priorities: smart priorities across territorial levels (the smart territorial map).

The county summary (which regional areas are anchored locally), the matrix of levels x areas with
a drill-down per cell, the alignment per territory and area with its downloads, the stated
priorities with their sources, the sub-regional collaborations and the business base. Widgets
only; what the page shows comes from ``smartmap.app.views.priorities``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.app import state, ui
from smartmap.app.views import priorities as view
from smartmap.render.htmltext import markdown_text as md

lang = ui.lang()
t = ui.translator(lang)
territory = state.territory()
p = view.priorities_of(territory)

st.title(t("pri_title"))
st.caption(t("pri_intro"))

# --- 1. the region's areas and their local anchoring -----------------------------------------
st.subheader(t("pri_summary"))
for sentence in view.summary_sentences(p, lang):
    st.markdown(md(sentence))
# a grid, not a light table: nine columns scroll sideways on a narrow window, and the grid's
# scrolling is reachable from the keyboard (axe: scrollable-region-focusable)
st.dataframe(view.summary_table(p, lang), hide_index=True, width="stretch", key="pri_summary")

# --- 2. the smart territorial map: levels x areas, a drill-down per cell ---------------------
st.subheader(t("pri_matrix"))
st.caption(t("pri_matrix_caption"))
m = view.matrix_view(p, lang)
CELL_SHOWN: ui.Slot[bool] = ui.Slot("pri_cell_shown")
if not CELL_SHOWN.get():
    ui.set_widget("pri_cell_level", m.first_filled[0])
    ui.set_widget("pri_cell_area", m.first_filled[1])
    CELL_SHOWN.set(True)


def pick_cell() -> None:
    event = ui.value("pri_matrix")
    cells = event.selection.cells if event is not None else []
    if cells:
        pos, column = cells[0]
        if 0 <= int(pos) < len(m.levels) and column in m.areas:
            ui.set_widget("pri_cell_level", m.levels[int(pos)])
            ui.set_widget("pri_cell_area", column)


st.dataframe(m.table, key="pri_matrix", on_select=pick_cell, selection_mode="single-cell",
             width="stretch", column_config={
                 "_index": st.column_config.TextColumn(width=140),
                 **{a: st.column_config.TextColumn(label, width=180, help=label)
                    for a, label in m.column_labels.items()}})
c1, c2 = st.columns(2)
level = c1.selectbox(t("pri_cell_level"), options=m.levels,
                     format_func=lambda lv: view.level_label(lv, lang),
                     **ui.bind("pri_cell_level", m.first_filled[0], options=m.levels))
area = c2.selectbox(t("pri_cell_area"), options=m.areas,
                    format_func=lambda a: p.label(a, lang),
                    **ui.bind("pri_cell_area", m.first_filled[1], options=m.areas))
cell = view.cell_detail(p, level, area, lang)
st.markdown(md(cell.heading))
link = st.column_config.LinkColumn(t("pri_col_source"))
for heading, frame, key in ((t("pri_statements_heading"), cell.statements, "pri_cell_statements"),
                            (t("pri_actors_heading"), cell.actors, "pri_cell_actors"),
                            (t("pri_spaces_heading"), cell.spaces, "pri_cell_spaces")):
    st.markdown(f"**{md(heading)}**")
    if frame.empty:
        st.caption(t("pri_nothing"))
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key=key,
                     column_config={t("pri_col_source"): link})

# --- 3. alignment per territory and area ------------------------------------------------------
st.subheader(t("pri_alignment"))
st.caption(t("pri_alignment_caption", r=view.radius_text(p, lang)))
levels, areas = view.level_options(), view.area_options(p)
c1, c2 = st.columns(2)
pick_level = c1.selectbox(t("pri_pick_level"), options=levels,
                          format_func=lambda lv: view.level_label(lv, lang),
                          **ui.bind("pri_level", "municipal", options=levels))
pick_area = c2.selectbox(t("pri_pick_area"), options=areas,
                         format_func=lambda a: view.area_label(p, a, lang),
                         **ui.bind("pri_area", view.ALL, options=areas))
st.dataframe(view.alignment_table(p, pick_level, pick_area, lang), hide_index=True,
             width="stretch", key="pri_alignment_table")
d1, d2 = st.columns(2)
for col, d in zip((d1, d2), view.downloads(p, lang), strict=True):
    col.download_button(d.label, data=d.data(), file_name=d.file_name, mime=d.mime, key=d.key,
                        on_click="ignore", icon=":material/download:")
st.caption(t("pri_assessment_hint"))

# --- 4. the priorities and their sources ------------------------------------------------------
st.subheader(t("pri_sources"))
st.caption(t("pri_sources_caption"))
st.markdown(md(view.no_source_sentence(p, lang)))
st.dataframe(view.statements_table(p, lang), hide_index=True, width="stretch",
             key="pri_statements", column_config={t("pri_col_source"): link})

# --- 5. sub-regional collaborations; 6. the business base ------------------------------------
st.subheader(t("pri_collaborations"))
st.caption(t("pri_collaborations_caption"))
st.dataframe(view.collaborations_table(p, lang), hide_index=True, width="stretch",
             key="pri_collaborations", column_config={t("pri_col_source"): link})
st.subheader(t("pri_business"))
sentence, employment = view.employment_view(p, lang)
st.markdown(md(sentence))
if employment is not None:
    st.dataframe(employment, hide_index=True, width="stretch", key="pri_employment")
