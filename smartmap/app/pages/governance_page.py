"""Governance: who supports what, where, at which level and through which programmes.

Answers in plain sentences first (a municipality and a priority area), then the matrix (priority
area or service x governance level, with the actors and environments behind each cell), the
network drawing, an actor's territory on a map, the programme chains and the gaps; and offers the
action-plan report as a download, built on click.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from smartmap.analysis import catalog, governance
from smartmap.analysis.params import MetricParams, counted_environments
from smartmap.app import state
from smartmap.core import lists, vocab
from smartmap.render import charts, report
from smartmap.render.htmltext import markdown_text as md

t = state.t
lang = state.lang()
territory = state.territory()
params = MetricParams()
model = governance.governance_model(territory)
names = dict(zip(territory.municipalities["kommun_kod"].astype("str"),
                 territory.municipalities["kommun"].astype("str"), strict=True))
node_names = model.names()
node_levels = model.levels()
region = territory.region


def label(term: object, lang_: vocab.Lang = lang) -> str:
    """A term's label; the region's own terms (its areas) included."""
    return vocab.label(term, lang_, region)  # type: ignore[arg-type]



def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def node(node_id: str) -> str:
    return governance.short_name(node_names.get(node_id, node_id))


def nodes(ids: list[str]) -> str:
    return ", ".join(node(i) for i in ids) if ids else t("none")


@st.cache_data(show_spinner=False, max_entries=64)
def _network_png(digest: str, kommun: str, area: str, lang_: str, _territory) -> bytes:
    drawn, edges = governance.network(_territory, params, kommun or None, area or None)
    title = " · ".join(p for p in (names.get(kommun, t("gov_whole_county")),
                                   label(area, lang_) if area else "") if p)
    return charts.network_chart(drawn, edges, lang_, title=title, fmt="png", dpi=110)


@st.cache_data(show_spinner=False, max_entries=64)
def _territory_png(digest: str, actor_id: str, lang_: str, _territory) -> bytes:
    codes = governance.covered_municipalities(_territory, actor_id)
    return charts.territory_chart(_territory.municipalities, codes, node_levels.get(actor_id, ""),
                                  lang_, title=node(actor_id), fmt="png", dpi=110)


def valid(key: str, options: list, default: object) -> None:
    """Reset a widget's value that is not among its options any more (a language switch sends
    back the old label, which Streamlit then returns as the value)."""
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = default


digest = territory.digest()

st.title(t("gov_title"))
st.caption(t("gov_intro"))

# --- what to look at -----------------------------------------------------------------------------
codes = ["", *sorted(names)]
save_k = state.keep("gov_kommun", "")
save_a = state.keep("gov_area", vocab.ANY_AREA)
valid("gov_kommun", codes, "")
valid("gov_area", list(region.areas_and_any), vocab.ANY_AREA)
c1, c2 = st.columns(2)
kommun = c1.selectbox(t("gov_pick_municipality"), options=codes, key="gov_kommun", on_change=save_k,
                      format_func=lambda c: names.get(c, vocab.text("gov_whole_county", lang)))
area = c2.selectbox(t("gov_pick_area"), options=list(region.areas_and_any), key="gov_area",
                    on_change=save_a, format_func=lambda a: label(a, lang))
area_filter = "" if area == vocab.ANY_AREA else area

# --- 1. the question in plain sentences ------------------------------------------------------
st.subheader(t("gov_question"))
if kommun:
    for sentence in governance.support_sentences(territory, kommun, area, lang, params):
        st.markdown(md(sentence))
else:
    summary = governance.dimension_summary(territory, params, "area").set_index("key")
    row = summary.loc[area]
    key = "gov_county_summary_any" if area == vocab.ANY_AREA else "gov_county_summary"
    st.markdown(md(t(key, area=label(area, lang), n=int(row["n_env"]),
                     levels=charts.levels_label(row["levels"], lang) or t("none"),
                     programmes=nodes(lists.split(row["programmes"])),
                     chains=int(row["n_chains"]))))
    st.caption(t("gov_pick_hint"))

# --- 2. the matrix -------------------------------------------------------------------------
st.subheader(t("gov_matrix_title"))
save_d = state.keep("gov_dim", "area")
valid("gov_dim", list(governance.DIMENSIONS), "area")
dim = st.radio(t("gov_matrix_rows"), options=list(governance.DIMENSIONS), key="gov_dim",
               on_change=save_d, horizontal=True,
               format_func=lambda d: vocab.text("areas" if d == "area" else "services", lang))
st.caption(t("gov_matrix", dim=t("areas") if dim == "area" else t("services")))
involved = governance.involvement(territory, params, dim)
matrix = governance.level_matrix(involved, dim, kommun or None, region)
keys = list(matrix.index)
levels = list(matrix.columns)
shown = matrix.copy()
shown.index = [label(k, lang) for k in keys]
st.caption(t("gov_matrix_caption"))

row_key, level_key = f"gov_cell_row_{dim}", f"gov_cell_level_{dim}"
valid(row_key, keys, keys[0])
valid(level_key, levels, levels[0])
# a new municipality (or first visit): start on the first non-empty cell; a cell the user picked
# stays while the municipality does
if st.session_state.get(f"gov_cell_for_{dim}") != kommun or row_key not in st.session_state:
    filled = [(k, lv) for k in keys for lv in levels if matrix.loc[k, lv] > 0]
    st.session_state[row_key], st.session_state[level_key] = filled[0] if filled else (
        keys[0], levels[0])
    st.session_state[f"gov_cell_for_{dim}"] = kommun


def _pick_cell() -> None:
    event = st.session_state.get(f"gov_matrix_{dim}")
    cells = event.selection.cells if event is not None else []
    if cells:
        pos, column = cells[0]
        if 0 <= int(pos) < len(keys) and column in levels:
            st.session_state[row_key] = keys[int(pos)]
            st.session_state[level_key] = column


st.dataframe(
    shown, key=f"gov_matrix_{dim}", on_select=_pick_cell, selection_mode="single-cell",
    width="stretch",
    column_config={lv: st.column_config.NumberColumn(label(lv, lang), format="%d")
                   for lv in levels},
)
c1, c2 = st.columns(2)
row = c1.selectbox(t("gov_cell_row"), options=keys, key=row_key,
                   format_func=lambda k: label(k, lang))
level = c2.selectbox(t("gov_cell_level"), options=levels, key=level_key,
                     format_func=lambda lv: label(lv, lang))
cell = governance.cell_nodes(involved, row, level, dim, kommun or None)
st.markdown(md(t("gov_cell_list", n=len(cell), row=label(row, lang),
                 level=label(level, lang))))
if cell.empty:
    st.info(t("gov_cell_empty"))
else:
    kinds = model.nodes.set_index("node_id")["kind"]
    st.dataframe(pd.DataFrame({
        t("name"): [node(n) for n in cell["node_id"]],
        t("type"): [label(kinds.get(n, "actor"), lang) for n in cell["node_id"]],
        t("col_role"): [", ".join(label(r, lang) for r in lists.split(x))
                        for x in cell["roles"]],
        t("col_through"): [nodes(lists.split(x)) for x in cell["env_ids"]],
    }), hide_index=True, width="stretch", key="gov_cell_table")

# --- 3. the network ---------------------------------------------------------------------
st.subheader(t("gov_network"))
png = _network_png(digest, kommun, area_filter, lang, territory)
st.image(png, caption=t("gov_network_caption"), width="content")
drawn, edges = governance.network(territory, params, kommun or None, area_filter or None)
with st.expander(t("gov_network_table", n=len(edges))):
    st.dataframe(pd.DataFrame({
        t("col_from"): [node(a) for a in edges["from_id"]],
        t("col_relation"): [vocab.text("gov_derived_host", lang) if bool(d)
                            else label(vocab.Relation(r), lang)
                            for r, d in zip(edges["relation"], edges["derived"], strict=True)],
        t("col_to"): [node(b) for b in edges["to_id"]],
    }), hide_index=True, width="stretch")

# --- 4. an actor's territory -----------------------------------------------------------
st.subheader(t("gov_territory"))
actors = model.actors.assign(
    _rank=lambda d: d["level"].map(lambda lv: vocab.values(vocab.Level).index(lv)
                                   if lv in vocab.values(vocab.Level) else 99),
    _name=lambda d: d["name"].str.casefold(),
).sort_values(["_rank", "_name"])
actor_ids = list(actors["node_id"])
local = governance.actor_coverage(territory)
local_ids = list(local.loc[(local["kommun_kod"] == kommun) & (local["scope"] == "explicit"),
                           "actor_id"]) if kommun else []
default_actor = local_ids[0] if local_ids else ("region-stockholm" if "region-stockholm"
                                                in actor_ids else actor_ids[0])
save_act = state.keep("gov_actor", default_actor)
if st.session_state.get("gov_actor") not in actor_ids:
    st.session_state["gov_actor"] = default_actor
actor = st.selectbox(t("gov_pick_actor"), options=actor_ids, key="gov_actor", on_change=save_act,
                     format_func=lambda a: f"{node(a)} ({label(node_levels.get(a, ''), lang)})"
                     if node_levels.get(a) else node(a))
info = model.nodes.set_index("node_id").loc[actor]
covered = governance.covered_municipalities(territory, actor)
c1, c2 = st.columns([3, 2])
c1.image(_territory_png(digest, actor, lang, territory), width="stretch")
if bool(info["foreign"]):
    c2.markdown(md(t("gov_foreign_note", actor=node(actor), country=info["country"])))
else:
    c2.markdown(md(t("gov_territory_text", actor=node(actor),
                     level=label(info["level"], lang).lower(),
                     type=label(info["actor_type"], lang).lower(), n=len(covered),
                     m=len(names))))
c2.dataframe(pd.DataFrame({t("municipality"): [names.get(c, c) for c in covered]}),
             hide_index=True, width="stretch", height=min(36 * (len(covered) + 1), 420))

# --- 5. chains, levels, gaps -----------------------------------------------------------------
st.subheader(t("gov_chains"))
st.caption(t("gov_chains_caption"))
counted_ids = set(counted_environments(territory, params)["id"])
chains = model.chains[model.chains["env_id"].isin(counted_ids)]
if kommun:
    chains = chains[chains["kommun_kod"] == kommun]
if area_filter:
    chains = chains.loc[lists.contains(chains["areas"], area_filter)]
st.table(pd.DataFrame({
    t("municipality"): [names.get(k, k) for k in chains["kommun_kod"]],
    t("col_through"): [node(e) for e in chains["env_id"]],
    t("col_chain"): [governance.chain_text(p, node_names, node_levels, lang)
                     for p in chains["path"]],
    t("col_kind"): [label(k, lang) for k in chains["kind"]],
    t("col_steering"): [nodes(lists.split(s)) for s in chains["steering"]],
    t("col_counts"): [vocab.text(f"rep_chain_{s}", lang) for s in governance.chain_status(chains)],
}).set_index(t("municipality")))

st.subheader(t("gov_gaps"))
st.caption(t("gov_gaps_caption"))
gaps = governance.gaps(territory, params)
if kommun:
    gaps = gaps[gaps["kommun_kod"] == kommun]
if area_filter:
    gaps = gaps[gaps["area"].isin(["", area_filter])]
st.dataframe(pd.DataFrame({
    t("col_scope"): [label(vocab.GapScope(s), lang) for s in gaps["scope"]],
    t("col_gap"): [capital(label(vocab.GapKind(g), lang)) for g in gaps["gap"]],
    t("municipality"): [names.get(k, "–") for k in gaps["kommun_kod"]],
    t("gov_pick_area"): [label(a, lang) if a else "–" for a in gaps["area"]],
    catalog.metric_label("levels_local", lang): [charts.levels_label(x, lang) for x in
                                               gaps["levels_local"]],
    t("col_n_env"): gaps["n_env"].to_numpy(),
}), hide_index=True, width="stretch", key="gov_gaps_table")

with st.expander(t("gov_levels_table")):
    gov = governance.municipality_governance(territory, params)
    st.dataframe(pd.DataFrame({
        t("municipality"): gov["kommun"],
        catalog.metric_label("levels_local", lang): [charts.levels_label(x, lang)
                                                   for x in gov["levels_local"]],
        catalog.metric_label("levels_all", lang): [charts.levels_label(x, lang)
                                                 for x in gov["levels_all"]],
        t("col_local_actors"): [nodes(lists.split(x)) for x in gov["actors_local"]],
        t("col_n_chains"): gov["n_chains"],
        t("col_programmes"): [nodes(lists.split(x)) for x in gov["programmes"]],
    }), hide_index=True, width="stretch")

with st.expander(t("gov_problems", n=len(model.problems))):
    st.dataframe(model.problems_frame(), hide_index=True, width="stretch")

# --- 6. the report ------------------------------------------------------------------------
st.subheader(t("gov_report"))
st.caption(t("gov_report_caption", lang_name=t("gov_lang_name")))
st.download_button(
    t("gov_report_button"),
    data=lambda: report.build_report(territory, params, lang).encode("utf-8"),
    file_name=f"smartmap_report_{lang}.html",
    mime="text/html",
    key="gov_report_download",
)
