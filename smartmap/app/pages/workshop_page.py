"""The scenario workshop: edit the territory live, compare, undo/redo, save, open and share.

Everything a facilitator makes lives in this browser session only (``st.session_state``): the
:class:`~smartmap.analysis.workshop.Workshop` (named scenarios with their undo/redo stacks) and the
session's :class:`~smartmap.analysis.workshop.Evaluator` (recent results). The baseline is the shipped
territory, shared read-only by every session and never changed. Actions run in widget callbacks,
so the page that follows already shows their result.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from smartmap.analysis import catalog
from smartmap.analysis import scenario as S
from smartmap.analysis import workshop as W
from smartmap.analysis.params import MetricParams, ParameterError
from smartmap.app import state
from smartmap.core import fmt, vocab
from smartmap.core.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS, RADIUS_KM_MAX, RADIUS_KM_MIN
from smartmap.data.layers import Territory, assign_municipalities, points_from_latlon
from smartmap.data.safety import clean_line, file_label
from smartmap.render import maps
from smartmap.render.htmltext import markdown_text as md

lang = state.lang()


def t(key: str, **values: object) -> str:
    """An interface text in this run's language (also right when Streamlit formats an option
    outside the run, as AppTest does)."""
    return vocab.text(key, lang, **values)


def k(name: str) -> str:
    """The key of a widget whose options are shown in the session's language.

    Streamlit keeps a selectbox's or multiselect's value by its displayed label, so after a
    language switch the old labels no longer match; each language gets its own widget, filled
    from the scenario or from :func:`_remember`.
    """
    return f"{name}.{lang}"


def _remember(name: str, default: object, allowed: Sequence[object]) -> Callable[[], None]:
    """Start the widget from the last value chosen in any language (and across page switches);
    returns the ``on_change`` callback that records the choice."""
    store = f"sm_ws_choice_{name}"
    value = st.session_state.get(store, default)
    st.session_state[k(name)] = value if value in allowed else default

    def save() -> None:
        st.session_state[store] = st.session_state[k(name)]

    return save


baseline = state.baseline()
settings = state.settings()

# session keys that are not widgets (they survive page switches)
WS = "sm_ws"                    # the Workshop
EVAL = "sm_ws_eval"             # the session's Evaluator
FLASH = "sm_ws_flash"           # (kind, message) shown once after an action
CLICK_SEEN = "sm_ws_click_seen"  # last map click already handled
PENDING = "sm_ws_pending"       # (lat, lon) of a click waiting to become an environment
UPLOAD_SEEN = "sm_ws_upload_seen"
LOAD_ERROR = "sm_ws_load_error"
TOKENS_SEEN = "sm_ws_tokens_seen"
SHOWN = "sm_ws_shown"           # what the parameter widgets were last filled from
DETAILS_SHOWN = "sm_ws_details_shown"  # ... and the name, author and description fields
PICK_SHOWN = "sm_ws_pick_shown"
MAP_KEY = "ws_map"
BASELINE_OPTION = "\x00baseline"
QUERY = "scenario"
PAGE_PATH = "workshop"

METRICS = list(W.COMPARABLE_METRICS)


def _workshop() -> W.Workshop:
    if WS not in st.session_state:
        st.session_state[WS] = W.Workshop.start(t("ws_default_name", n=1))
    return st.session_state[WS]


def _evaluator() -> W.Evaluator:
    ev = st.session_state.get(EVAL)
    if ev is None or ev.baseline is not baseline:
        ev = st.session_state[EVAL] = W.Evaluator(baseline)
    return ev


def _commit(ws: W.Workshop) -> None:
    st.session_state[WS] = ws


def _flash(kind: str, message: str) -> None:
    st.session_state[FLASH] = (kind, message)


def _try(action: Callable[[], W.Workshop]) -> bool:
    """Run an action on the workshop; a refusal shows its message and changes nothing."""
    try:
        _commit(action())
    except (S.ScenarioError, ParameterError) as exc:
        _flash("error", t("ws_refused", msg=md(exc)))
        return False
    return True


def _place(point: tuple[float, float]) -> str:
    """The municipality a clicked point falls in (the same rule as the edits), or "outside"."""
    where = assign_municipalities(points_from_latlon(pd.DataFrame({"lat": [point[0]],
                                                                    "lon": [point[1]]})),
                                  baseline.municipalities, settings.assign_tolerance_m).iloc[0]
    code = where["kommun_kod"]
    muni = baseline.municipalities.set_index("kommun_kod")["kommun"]
    if not isinstance(code, str) or code not in muni.index:
        return t("ws_outside")
    return f"{muni[code]} ({code})"


def share_url(page_url: str | None, token: str) -> str:
    """The link to send: the app's address (not the page's: a deep link makes Streamlit probe
    for its server under the page path first) with the scenario in the query."""
    root = (page_url or "").split("?")[0].split("#")[0]
    if root.rstrip("/").endswith("/" + PAGE_PATH):
        root = root.rstrip("/")[: -len(PAGE_PATH)]
    if root and not root.endswith("/"):
        root += "/"
    return f"{root}?{QUERY}={token}"


def _describe_params(p: MetricParams) -> str:
    types = (t("ws_params_all_types") if p.env_types is None
             else ", ".join(vocab.label(x, lang) for x in p.env_types))
    cores = ", ".join(vocab.label(c, lang) for c in p.core_classes)
    planned = t("ws_params_planned") if p.include_planned else t("ws_params_active")
    return " · ".join([t("ws_params_radius", r=f"{p.radius_km:g}"), planned, types, cores])


def _names(territory: Territory) -> dict[str, str]:
    env = territory.environments
    return dict(zip(env["id"].astype(str), env["name"].astype(str), strict=True))


# --- callbacks (run before the page is drawn) -----------------------------------------------


def _undo() -> None:
    _try(lambda: _workshop().undo())


def _redo() -> None:
    _try(lambda: _workshop().redo())


def _select() -> None:
    _try(lambda: _workshop().select(st.session_state["ws_active"]))


def _new() -> None:
    ws = _workshop()
    _commit(ws.new(t("ws_default_name", n=len(ws.drafts) + 1)))


def _duplicate() -> None:
    ws = _workshop()
    _commit(ws.duplicate(t("ws_copy_name", name=ws.scenario.name)))


def _delete() -> None:
    ws = _workshop()
    name = ws.scenario.name
    _commit(ws.delete(name, t("ws_default_name", n=1)))
    _flash("info", t("ws_deleted", name=md(name)))


def _rename() -> None:
    new = st.session_state.get("ws_rename", "")
    if not _try(lambda: _workshop().rename(new)):
        st.session_state.pop(DETAILS_SHOWN, None)  # show the current name again


def _params_from_widgets() -> MetricParams:
    ss = st.session_state
    return MetricParams(
        radius_km=float(ss["ws_radius"]),
        include_planned=bool(ss["ws_planned"]),
        env_types=tuple(ss[k("ws_types")]) or None,
        core_classes=tuple(ss[k("ws_cores")]),
    )


def _set_params() -> None:
    try:
        params = _params_from_widgets()
    except ParameterError as exc:
        _flash("error", t("ws_refused", msg=md(exc)))
        st.session_state.pop(SHOWN, None)  # put the widgets back to the scenario's values
        return
    _commit(_workshop().set_parameters(params))


def _save_details() -> None:
    ss = st.session_state
    _try(lambda: _workshop().describe(ss.get("ws_author", ""), ss.get("ws_description", "")))


def _add_edit(edit: S.Edit, done: str) -> bool:
    """Validate the edit against the baseline and the bounds, then record it (undoable)."""
    ws, ev = _workshop(), _evaluator()
    candidate = ws.scenario.with_edit(edit)
    try:
        changed = ws.change(ev.check(candidate))
    except S.ScenarioError as exc:
        _flash("error", t("ws_refused", msg=md(exc)))
        return False
    _commit(changed)
    _flash("success", done)
    return True


def _add_environment() -> None:
    ss = st.session_state
    name = clean_line(ss.get("ws_add_name"))
    lat, lon = ss.get("ws_add_lat"), ss.get("ws_add_lon")
    if not name:
        _flash("error", t("ws_need_name"))
        return
    if lat is None or lon is None:
        _flash("error", t("ws_need_location"))
        return
    edit = S.AddEnvironment(
        name=name, env_type=ss[k("ws_add_type")], lat=round(float(lat), 6),
        lon=round(float(lon), 6),
        priority_areas=tuple(ss.get(k("ws_add_areas"), [])),
        services=tuple(ss.get(k("ws_add_services"), [])),
        host_organisation=clean_line(ss.get("ws_add_host")),
        governance_level=ss[k("ws_add_level")], status=ss[k("ws_add_status")],
    )
    if _add_edit(edit, t("ws_added", name=md(name))):
        ss[PENDING] = None
        ss["ws_add_name"] = ""
        ss["ws_add_host"] = ""
        ss["ws_add_lat"] = ss["ws_add_lon"] = None


def _env_edit(kind: str) -> None:
    ss = st.session_state
    ident = ss.get(k("ws_pick"))
    if not ident:
        return
    label = md(ss.get("ws_pick_label", ident))
    if kind == "close":
        _add_edit(S.CloseEnvironment(id=ident), t("ws_closed", name=label))
    elif kind == "reopen":
        _add_edit(S.ReopenEnvironment(id=ident), t("ws_reopened", name=label))
    elif kind in ("move", "move_click"):
        if kind == "move_click" and ss.get(PENDING):
            lat, lon = ss[PENDING]
        else:
            lat, lon = ss.get("ws_move_lat"), ss.get("ws_move_lon")
        if lat is None or lon is None:
            _flash("error", t("ws_need_location"))
            return
        if _add_edit(S.MoveEnvironment(id=ident, lat=round(float(lat), 6),
                                       lon=round(float(lon), 6)), t("ws_moved", name=label)):
            ss[PENDING] = None
    elif kind == "retag":
        retag = S.RetagEnvironment(id=ident,
                                   priority_areas=tuple(ss.get(k("ws_retag_areas"), [])),
                                   services=tuple(ss.get(k("ws_retag_services"), [])))
        _add_edit(retag, t("ws_retagged", name=label))
    ss.pop(PICK_SHOWN, None)


def _remove_edit() -> None:
    number = st.session_state.get("ws_remove")
    if number:
        _try(lambda: _workshop().remove_edit(int(number) - 1))


def _forget_click() -> None:
    st.session_state[PENDING] = None


# --- incoming: a shared link, a map click ----------------------------------------------------

ws = _workshop()
ev = _evaluator()
token = st.query_params.get(QUERY)
seen_tokens: set[str] = st.session_state.setdefault(TOKENS_SEEN, set())
if token and token not in seen_tokens:
    seen_tokens.add(token)
    try:
        shared = ev.check(S.from_share_token(token))
    except S.ScenarioError as exc:
        _flash("error", t("ws_link_refused", msg=md(exc)))
    else:
        ws = ws.add(shared)
        _commit(ws)
        _flash("success", t("ws_link_loaded", name=md(ws.scenario.name)))

clicked = (st.session_state.get(MAP_KEY) or {}).get("last_clicked")
if clicked and clicked.get("lat") is not None:
    point = (round(float(clicked["lat"]), 5), round(float(clicked["lng"]), 5))
    if st.session_state.get(CLICK_SEEN) != point:
        st.session_state[CLICK_SEEN] = point
        st.session_state[PENDING] = point
        st.session_state["ws_add_lat"], st.session_state["ws_add_lon"] = point
pending = st.session_state.get(PENDING)

# fill the parameter and detail widgets from the active scenario when it changed elsewhere
sc = ws.scenario
shown = (lang, ws.active, sc.parameters)
if st.session_state.get(SHOWN) != shown:
    p = sc.parameters
    st.session_state.update({
        "ws_radius": float(p.radius_km), "ws_planned": p.include_planned,
        k("ws_types"): [] if p.env_types is None else [x.value for x in p.env_types],
        k("ws_cores"): [c.value for c in p.core_classes],
    })
    st.session_state[SHOWN] = shown
details = (ws.active, sc.name, sc.author, sc.description)
if st.session_state.get(DETAILS_SHOWN) != details:
    st.session_state.update({"ws_rename": sc.name, "ws_author": sc.author,
                             "ws_description": sc.description})
    st.session_state[DETAILS_SHOWN] = details
st.session_state["ws_active"] = sc.name

# --- sidebar: scenarios and parameters -------------------------------------------------------

sb = st.sidebar
sb.header(t("ws_scenarios"))
sb.selectbox(t("ws_active"), options=list(ws.names), key="ws_active", on_change=_select)
c1, c2 = sb.columns(2)
c1.button(t("ws_new"), key="ws_new", on_click=_new, width="stretch", icon=":material/add:")
c2.button(t("ws_duplicate"), key="ws_duplicate", on_click=_duplicate, width="stretch",
          icon=":material/content_copy:")
sb.text_input(t("ws_rename"), key="ws_rename", max_chars=MAX_NAME_CHARS)
c1, c2 = sb.columns(2)
c1.button(t("ws_rename_button"), key="ws_rename_button", on_click=_rename, width="stretch")
c2.button(t("ws_delete"), key="ws_delete", on_click=_delete, width="stretch",
          icon=":material/delete:")

sb.header(t("ws_parameters"))
sb.number_input(t("ws_radius"), min_value=RADIUS_KM_MIN, max_value=RADIUS_KM_MAX, step=0.5,
                format="%.1f", key="ws_radius", on_change=_set_params)
sb.checkbox(t("ws_planned"), key="ws_planned", on_change=_set_params)
sb.multiselect(t("ws_types"), options=list(vocab.values(vocab.EnvType)),
               format_func=lambda v: vocab.label(v, lang), key=k("ws_types"),
               on_change=_set_params, placeholder=t("all"))
sb.multiselect(t("ws_cores"), options=list(vocab.values(vocab.CoreClass)),
               format_func=lambda v: vocab.label(v, lang), key=k("ws_cores"),
               on_change=_set_params)
sb.caption(t("ws_params_note"))

# --- header ----------------------------------------------------------------------------------

st.title(t("ws_title"))
st.caption(t("ws_intro"))
notices = st.container()  # always there, so the elements below keep their place (and tabs
with notices:             # keep the one the user opened) whether a message shows or not
    if st.session_state.get(state.ENV_OVERRIDE):
        st.info(t("ws_shipped_only"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        getattr(st, flash[0])(flash[1])

bar = st.columns([1, 1, 6])
bar[0].button(t("ws_undo"), key="ws_undo", on_click=_undo, disabled=not ws.can_undo,
              icon=":material/undo:", width="stretch")
bar[1].button(t("ws_redo"), key="ws_redo", on_click=_redo, disabled=not ws.can_redo,
              icon=":material/redo:", width="stretch")
bar[2].markdown(t("ws_status", name=md(sc.name), n=len(sc.edits),
                  params=md(_describe_params(sc.parameters))))

others = [n for n in ws.names if n != sc.name]
ref_options = [BASELINE_OPTION, *others]
save_compare = _remember("ws_compare", BASELINE_OPTION, ref_options)
save_metric = _remember("ws_metric", "cov_any", METRICS)
save_view = _remember("ws_view", "change", maps.COMPARE_VIEWS)
ctl = st.columns([2, 3, 3])
ref_name = ctl[0].selectbox(
    t("ws_compare_with"), options=ref_options, key=k("ws_compare"), on_change=save_compare,
    format_func=lambda v: t("ws_baseline") if v == BASELINE_OPTION else v)
metric = ctl[1].selectbox(
    t("ws_metric"), options=METRICS, key=k("ws_metric"), on_change=save_metric,
    format_func=lambda c: catalog.metric_label(c, lang, sc.parameters.radius_km))
view = ctl[2].radio(t("ws_view"), options=list(maps.COMPARE_VIEWS), key=k("ws_view"),
                    on_change=save_view, horizontal=True,
                    format_func=lambda v: t(f"ws_view_{v}"))
reference = None if ref_name == BASELINE_OPTION else ws.get(ref_name)
ref_label = t("ws_baseline") if reference is None else reference.name

# --- the numbers -----------------------------------------------------------------------------

started = time.perf_counter()
diff = ev.compare(reference, sc)
scen_territory = ev.territory(sc)
ref_territory = ev.territory(reference)
changed = ev.changed_ids(reference, sc)

radius = sc.parameters.radius_km
kpi_area = W.metric_area(metric)
st.caption(t("ws_kpi_caption", area=md(vocab.label(kpi_area, lang)), ref=md(ref_label),
             name=md(sc.name)))
kpis = st.columns(4)
for col, (area_metric, kind, label) in zip(kpis, [
    ("cov", "share", t("ws_kpi_cov", r=f"{radius:g}")),
    ("dist_km", "km", t("ws_kpi_dist")),
    ("n_env", "count", t("ws_kpi_n_env")),
    ("n_white_spots", "count", t("ws_kpi_white", r=f"{radius:g}")),
], strict=True):
    before, after, delta = diff.county_value(kpi_area, area_metric)
    places = 2 if kind in ("share", "km") else None
    text = None if delta != delta else fmt.format_delta(delta, kind, lang, places)
    better = {"cov": "normal", "dist_km": "inverse", "n_env": "normal",
              "n_white_spots": "inverse"}[area_metric]
    still = text is None or text.startswith("±")
    text = None if text is None else text.replace("−", "-")
    col.metric(label, fmt.format_value(after, kind, lang), delta=text,
               delta_color="off" if still else better, delta_arrow="off" if still else "auto",
               help=t("ws_kpi_help", ref=md(ref_label),
                      before=md(fmt.format_value(before, kind, lang))))

# --- the map and the table beside it ---------------------------------------------------------

wide = diff.wide(metric).set_index("kommun_kod")
shown_env = ref_territory.environments if view == "reference" else scen_territory.environments
groups = maps.comparison_groups(baseline.municipalities, wide["before"], wide["after"], metric,
                                shown_env, lang, view, radius, changed)
if pending:
    groups.append(maps.marker_layer(pending[0], pending[1], t("ws_new_here"),
                                    t("ws_pending_layer")))
elapsed_ms = 1000 * (time.perf_counter() - started)

left, right = st.columns([3, 2])
with left:
    centre, zoom = maps.county_view(baseline)
    base = maps.base_map(state.asset_urls(), settings.basemap, centre, zoom)
    st_folium(base, key=MAP_KEY, height=640, use_container_width=True,
              feature_group_to_add=groups, layer_control=folium.LayerControl(collapsed=False),
              returned_objects=["last_clicked"])
    st.caption(t("ws_map_hint", ms=f"{elapsed_ms:.0f}"))
with right:
    st.subheader(t("ws_most_changed"))
    st.caption(t("ws_most_changed_note", ref=md(ref_label), name=md(sc.name),
                 metric=md(catalog.metric_label(metric, lang, radius))))
    top = W.change_table(diff, metric, lang, n=10)
    if top.empty:
        st.info(t("ws_nothing_changed"))
    else:
        st.table(top, hide_index=True, border="horizontal")
    with st.expander(t("ws_all_municipalities")):
        st.dataframe(W.change_table(diff, metric, lang), hide_index=True,
                     width="stretch")

# --- editing ---------------------------------------------------------------------------------

names = _names(scen_territory)
tab_add, tab_change, tab_edits, tab_county, tab_files = st.tabs(
    [t("ws_tab_add"), t("ws_tab_change"), t("ws_tab_edits"), t("ws_tab_county"),
     t("ws_tab_files")])

with tab_add:
    if pending:
        st.info(t("ws_clicked", lat=f"{pending[0]:.5f}", lon=f"{pending[1]:.5f}",
                  place=md(_place(pending))))
        st.button(t("ws_forget_click"), key="ws_forget_click", on_click=_forget_click)
    else:
        st.caption(t("ws_add_hint"))
    with st.form("ws_add_form", clear_on_submit=False):
        a1, a2 = st.columns(2)
        a1.text_input(t("name"), key="ws_add_name", max_chars=MAX_NAME_CHARS)
        a2.selectbox(t("type"), options=list(vocab.values(vocab.EnvType)),
                     index=list(vocab.values(vocab.EnvType)).index("testbed"),
                     format_func=lambda v: vocab.label(v, lang), key=k("ws_add_type"))
        a1.multiselect(t("areas"), options=list(vocab.values(vocab.Area)),
                       format_func=lambda v: vocab.label(v, lang), key=k("ws_add_areas"),
                       placeholder=t("none"))
        a2.multiselect(t("services"), options=list(vocab.values(vocab.Service)),
                       format_func=lambda v: vocab.label(v, lang), key=k("ws_add_services"),
                       placeholder=t("none"))
        a1.text_input(t("host"), key="ws_add_host", max_chars=MAX_NAME_CHARS)
        a2.selectbox(t("level"), options=list(vocab.values(vocab.Level)),
                     index=list(vocab.values(vocab.Level)).index("mixed"),
                     format_func=lambda v: vocab.label(v, lang), key=k("ws_add_level"))
        a1.number_input(t("ws_lat"), min_value=-90.0, max_value=90.0, value=None,
                        step=0.001, format="%.5f", key="ws_add_lat")
        a2.number_input(t("ws_lon"), min_value=-180.0, max_value=180.0, value=None,
                        step=0.001, format="%.5f", key="ws_add_lon")
        a1.selectbox(t("status"), options=["active", "planned"],
                     format_func=lambda v: vocab.label(v, lang), key=k("ws_add_status"))
        st.form_submit_button(t("ws_add_button"), on_click=_add_environment, type="primary")

with tab_change:
    env = scen_territory.environments.sort_values("name", key=lambda s: s.str.lower())
    labels = {
        str(i): f"{n} · {m if isinstance(m, str) else '–'} · {vocab.label(s, lang)}"
        for i, n, m, s in zip(env["id"], env["name"], env["kommun"], env["status"], strict=True)
    }
    save_pick = _remember("ws_pick", None, list(labels))
    pick = st.selectbox(t("ws_pick"), options=list(labels), format_func=labels.get,
                        key=k("ws_pick"), index=None, placeholder=t("ws_pick_hint"),
                        on_change=save_pick)
    if pick:
        row = env.set_index("id").loc[pick]
        st.session_state["ws_pick_label"] = str(row["name"])
        current = (lang, pick, sc.edits)
        if st.session_state.get(PICK_SHOWN) != current:
            st.session_state[PICK_SHOWN] = current
            lat_v, lon_v = row["lat"], row["lon"]
            st.session_state["ws_move_lat"] = None if lat_v != lat_v else float(lat_v)
            st.session_state["ws_move_lon"] = None if lon_v != lon_v else float(lon_v)
            st.session_state[k("ws_retag_areas")] = [a.value for a in vocab.parse_list(
                row["priority_areas"] if isinstance(row["priority_areas"], str) else "",
                vocab.Area)]
            st.session_state[k("ws_retag_services")] = [x.value for x in vocab.parse_list(
                row["services"] if isinstance(row["services"], str) else "", vocab.Service)]
        status = str(row["status"])
        st.caption(t("ws_pick_status", type=md(vocab.label(row["env_type"], lang)),
                     status=md(vocab.label(status, lang)),
                     place=md(row["kommun"] if isinstance(row["kommun"], str) else "–")))
        b1, b2 = st.columns(2)
        b1.button(t("ws_close"), key="ws_close", on_click=_env_edit, args=("close",),
                  disabled=status == "closed")
        b2.button(t("ws_reopen"), key="ws_reopen", on_click=_env_edit, args=("reopen",),
                  disabled=status == "active")
        st.markdown(f"**{t('ws_move_heading')}**")
        m1, m2 = st.columns(2)
        m1.number_input(t("ws_lat"), min_value=-90.0, max_value=90.0, value=None, step=0.001,
                        format="%.5f", key="ws_move_lat")
        m2.number_input(t("ws_lon"), min_value=-180.0, max_value=180.0, value=None, step=0.001,
                        format="%.5f", key="ws_move_lon")
        m1.button(t("ws_move"), key="ws_move", on_click=_env_edit, args=("move",))
        if pending:
            m2.button(t("ws_move_click", lat=f"{pending[0]:.4f}", lon=f"{pending[1]:.4f}"),
                      key="ws_move_click", on_click=_env_edit, args=("move_click",))
        st.markdown(f"**{t('ws_retag_heading')}**")
        st.multiselect(t("areas"), options=list(vocab.values(vocab.Area)),
                       format_func=lambda v: vocab.label(v, lang), key=k("ws_retag_areas"),
                       placeholder=t("none"))
        st.multiselect(t("services"), options=list(vocab.values(vocab.Service)),
                       format_func=lambda v: vocab.label(v, lang), key=k("ws_retag_services"),
                       placeholder=t("none"))
        st.button(t("ws_retag"), key="ws_retag", on_click=_env_edit, args=("retag",))

with tab_edits:
    if not sc.edits:
        st.caption(t("ws_no_edits"))
    else:
        st.dataframe(W.edits_table(sc, names, lang), hide_index=True, width="stretch")
        r1, r2 = st.columns([1, 3])
        r1.selectbox(t("ws_remove_which"), options=list(range(1, len(sc.edits) + 1)),
                     key="ws_remove")
        r2.button(t("ws_remove"), key="ws_remove_button", on_click=_remove_edit)

with tab_county:
    st.caption(t("ws_county_note", ref=md(ref_label), name=md(sc.name)))
    st.table(W.county_table(diff, lang), hide_index=True, border="horizontal")

with tab_files:
    st.text_input(t("ws_author"), key="ws_author", max_chars=MAX_NAME_CHARS)
    st.text_area(t("ws_description"), key="ws_description", max_chars=MAX_TEXT_CHARS, height=80)
    st.button(t("ws_save_details"), key="ws_save_details", on_click=_save_details)
    st.download_button(
        t("ws_download"), data=S.dumps(sc).encode("utf-8"),
        file_name=S.file_name(sc), mime="application/json", key="ws_download",
        on_click="ignore", icon=":material/download:")
    limit_mb = settings.max_scenario_bytes / (1024 * 1024)
    upload = st.file_uploader(t("ws_upload", mb=f"{limit_mb:g}"), type=["json"],
                              key="ws_upload", max_upload_size=max(1, int(limit_mb)))
    if upload is not None:
        content = upload.getvalue()
        digest = hashlib.sha256(content + upload.name.encode()).hexdigest()
        if st.session_state.get(UPLOAD_SEEN) != digest:
            st.session_state[UPLOAD_SEEN] = digest
            st.session_state.pop(LOAD_ERROR, None)
            try:
                opened = ev.check(S.loads(content, source=upload.name))
            except S.ScenarioError as exc:
                label = file_label(upload.name)
                text = str(exc) if str(exc).startswith(label) else f"{label}: {exc}"
                st.session_state[LOAD_ERROR] = t("ws_load_refused", msg=md(text))
            else:
                _commit(_workshop().add(opened))
                _flash("success", t("ws_loaded", file=md(file_label(upload.name)),
                                    name=md(_workshop().scenario.name)))
                st.rerun()
    if st.session_state.get(LOAD_ERROR):
        st.error(st.session_state[LOAD_ERROR])
    st.markdown(f"**{t('ws_share')}**")
    try:
        share = S.to_share_token(sc)
    except S.ScenarioError:
        share = None
        st.warning(t("ws_share_too_large"))
    if share is not None:
        st.code(share_url(st.context.url, share), language=None, wrap_lines=True)
        st.caption(t("ws_share_note", n=len(share)))

# the address bar follows the active scenario, so a reload or a copied address brings it back
trivial = not sc.edits and sc.parameters == MetricParams()
wanted = None if (trivial or share is None) else share
if st.query_params.get(QUERY) != wanted:
    if wanted is None:
        st.query_params.pop(QUERY, None)
    else:
        st.query_params[QUERY] = wanted
        seen_tokens.add(wanted)
