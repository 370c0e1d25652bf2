"""Governance: who supports what, where, at which level and through which programmes.

Answers in plain sentences first (a municipality and a priority area), then the matrix (priority
area or service x governance level, with the actors and environments behind each cell), the
interactive network (zoom, filters, full names, a chain highlighted), an actor's territory on a map, the programme chains and the gaps; and offers the
action-plan report as a download, built on click. Widgets only; what the page shows comes from
``smartmap.app.views.governance``.
"""

from __future__ import annotations

import streamlit as st

from smartmap.analysis import governance
from smartmap.app import state, ui
from smartmap.app.views import governance as view
from smartmap.core import vocab
from smartmap.data.layers import Territory
from smartmap.render.htmltext import markdown_text as md

lang = ui.lang()
t = ui.translator(lang)
territory = state.territory()
g = view.governance_of(territory)
digest = territory.digest()


@st.cache_data(show_spinner=False, max_entries=64)
def network_html(digest: str, kommun: str, area: str, lang_: vocab.Lang,
                 _territory: Territory) -> str:
    return view.network_html(_territory, kommun, area, lang_)


@st.cache_data(show_spinner=False, max_entries=64)
def actor_png(digest: str, actor: str, lang_: vocab.Lang, _territory: Territory) -> bytes:
    return view.actor_png(_territory, actor, lang_)


st.title(t("gov_title"))
st.caption(t("gov_intro"))

# --- what to look at -----------------------------------------------------------------------------
codes, areas = view.municipality_options(g), view.area_options(g)
c1, c2 = st.columns(2)
kommun = c1.selectbox(t("gov_pick_municipality"), options=codes,
                      format_func=lambda c: g.municipality(c, lang),
                      **ui.bind("gov_kommun", view.WHOLE_COUNTY, options=codes))
area = c2.selectbox(t("gov_pick_area"), options=areas, format_func=lambda a: g.label(a, lang),
                    **ui.bind("gov_area", vocab.ANY_AREA, options=areas))

# --- 1. the question in plain sentences ------------------------------------------------------
st.subheader(t("gov_question"))
sentences, hint = view.question(g, kommun, area, lang)
for sentence in sentences:
    st.markdown(md(sentence))
if hint:
    st.caption(hint)

# --- 2. the matrix and the cell the user picked ----------------------------------------------
st.subheader(t("gov_matrix_title"))
dims = list(governance.DIMENSIONS)
dim = st.radio(t("gov_matrix_rows"), options=dims, horizontal=True,
               format_func=lambda d: view.dimension_label(d, lang),
               **ui.bind("gov_dim", "area", options=dims))
m = view.matrix_view(g, dim, kommun, lang)
st.caption(m.caption)
st.caption(t("gov_matrix_caption"))
row_key, level_key = f"gov_cell_row_{dim}", f"gov_cell_level_{dim}"
# a new municipality (or first visit) starts on the first non-empty cell; a picked cell stays
CELL_FOR: ui.Slot[str] = ui.Slot(f"gov_cell_for_{dim}")
if CELL_FOR.get() != kommun:
    ui.set_widget(row_key, m.first_filled[0])
    ui.set_widget(level_key, m.first_filled[1])
    CELL_FOR.set(kommun)


def pick_cell() -> None:
    event = ui.value(f"gov_matrix_{dim}")
    cells = event.selection.cells if event is not None else []
    if cells:
        pos, column = cells[0]
        if 0 <= int(pos) < len(m.keys) and column in m.levels:
            ui.set_widget(row_key, m.keys[int(pos)])
            ui.set_widget(level_key, column)


st.dataframe(m.table[m.shown], key=f"gov_matrix_{dim}", on_select=pick_cell,
             selection_mode="single-cell", width="stretch", column_config={
                 "_index": st.column_config.TextColumn(width=340),
                 **{lv: st.column_config.NumberColumn(m.short_labels[lv], format="%d",
                                                      width=62, help=m.column_labels[lv])
                    for lv in m.shown}})
if m.empty_note:
    st.caption(m.empty_note)
c1, c2 = st.columns(2)
row = c1.selectbox(t("gov_cell_row"), options=m.keys, format_func=lambda k: g.label(k, lang),
                   **ui.bind(row_key, m.first_filled[0], options=m.keys))
level = c2.selectbox(t("gov_cell_level"), options=m.levels,
                     format_func=lambda lv: vocab.label(lv, lang),
                     **ui.bind(level_key, m.first_filled[1], options=m.levels))
sentence, cell = view.cell_view(g, m, row, level, dim, kommun, lang)
st.markdown(md(sentence))
if cell is None:
    st.info(t("gov_cell_empty"))
else:
    st.dataframe(cell, hide_index=True, width="stretch", key="gov_cell_table")

# --- 3. the network ---------------------------------------------------------------------
st.subheader(t("gov_network"))
st.caption(t("gov_network_caption"))
st.iframe(network_html(digest, kommun, area, lang, territory), height=720,
          alt=t("gov_network"))
heading, links = view.network_table(g, kommun, area, lang)
with st.expander(heading):
    st.dataframe(links, hide_index=True, width="stretch")

# --- 4. an actor's territory -----------------------------------------------------------
st.subheader(t("gov_territory"))
actors, default_actor = view.actor_options(g, kommun)
actor = st.selectbox(t("gov_pick_actor"), options=actors,
                     format_func=lambda a: view.actor_label(g, a, lang),
                     **ui.bind("gov_actor", default_actor, options=actors))
a = view.actor_view(g, actor, lang)
c1, c2 = st.columns([3, 2])
c1.image(actor_png(digest, actor, lang, territory), width="stretch",
         alt=view.actor_label(g, actor, lang))
c2.markdown(md(a.text))
c2.dataframe(a.municipalities, hide_index=True, width="stretch", height=a.height)

# --- 5. chains, levels, gaps -----------------------------------------------------------------
st.subheader(t("gov_chains"))
st.caption(t("gov_chains_caption"))
st.table(view.chains_table(g, kommun, area, lang))
st.subheader(t("gov_gaps"))
st.caption(t("gov_gaps_caption"))
st.dataframe(view.gaps_table(g, kommun, area, lang), hide_index=True, width="stretch",
             key="gov_gaps_table")
with st.expander(t("gov_levels_table")):
    st.dataframe(view.levels_table(g, lang), hide_index=True, width="stretch")
with st.expander(t("gov_problems", n=len(g.model.problems))):
    st.dataframe(view.problems_table(g, lang), hide_index=True, width="stretch")

# --- 6. the report (built when the button is clicked) ---------------------------------------
st.subheader(t("gov_report"))
st.caption(t("gov_report_caption", lang_name=t("gov_lang_name")))
d = view.report_download(g, lang)
st.download_button(d.label, data=d.data, file_name=d.file_name, mime=d.mime, key=d.key)
