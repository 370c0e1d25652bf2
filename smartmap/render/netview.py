"""The governance network as one self-contained HTML document: an SVG drawn and filtered in the
browser, with no external asset of any kind.

What a stakeholder can do with it (docs/governance.md, "The network"): zoom (wheel, the + and −
buttons, or the keyboard on those buttons) and pan (drag); filter by priority area, governance
level and municipality; read the full name, level and kind of any node on hover or keyboard focus;
pick a programme chain to highlight it. Nodes stand in columns by governance level, left to right
(EU ... civil society), then the environments; rows come from
:func:`smartmap.render.charts.network_layout` (fewer crossings). Colours are the levels'
colour-blind-safe palette; relations differ by line style as well as colour.

Every text from data goes into the document as JSON and is put on the page with ``textContent``,
never as markup, so a name cannot inject HTML or script. The JSON is made safe to sit inside a
``<script>`` element (``<``, ``>`` and ``&`` as unicode escapes).

>>> import pandas as pd
>>> html = network_html(pd.DataFrame({"node_id": ["a"], "name": ["<A>"], "kind": ["actor"],
...     "level": ["eu"], "env_level": [""], "foreign": [False], "country": ["EU"]}),
...     pd.DataFrame(columns=["from_id", "to_id", "relation", "derived"]), {}, [], {})
>>> "<A>" in html, "\\\\u003cA\\\\u003e" in html, "http" in html
(False, True, False)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TypedDict

import pandas as pd

from smartmap.analysis.governance import short_name
from smartmap.core.vocab import Level, NodeKind, Relation
from smartmap.render import style
from smartmap.render.charts import DERIVED_STYLE, ENV_BAND, RELATION_STYLES, network_layout

DASHES: dict[str, str] = {
    Relation.FUNDS.value: "", Relation.COORDINATES.value: "6 3", Relation.OWNS.value: "",
    Relation.HOSTS.value: "", Relation.MEMBER_OF.value: "5 2 2 2",
    Relation.PARTNER_OF.value: "2 3", Relation.REPORTS_TO.value: "1 4", "derived": "3 3",
}
"""SVG dash patterns of the relations (the same styles as the static drawing)."""
LABEL_CHARS = 34
"""Characters of a node's label in the drawing; the full name is shown on hover and focus."""


def _safe_json(value: object) -> str:
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))


def _band(kind: str, level: str) -> str:
    return ENV_BAND if kind == NodeKind.ENVIRONMENT.value else level


class NetworkChain(TypedDict):
    """A programme chain the page can highlight: its text and its node ids, from the
    environment upwards."""

    label: str
    nodes: Sequence[str]


def network_data(nodes: pd.DataFrame, edges: pd.DataFrame, pairs: Mapping[str, Sequence[str]],
                 chains: Sequence[NetworkChain], labels: Mapping[str, object],
                 initial: Mapping[str, str] | None = None) -> dict[str, object]:
    """The document's data: nodes (with their column and row), edges, chains and texts.

    ``pairs``: per node id the ``area|kommun_kod`` pairs it is involved in (``any`` for every
    area; the page's filters use them); ``chains``: ``{"label", "nodes"}`` read from the
    environment upwards; ``labels``: the page's texts and the labels of levels, areas,
    municipalities, relations and kinds; ``initial``: the filters to start with (``area``,
    ``muni``).
    """
    bands, layout = network_layout(nodes, edges) if len(nodes) else ([], {})
    levels = labels.get("levels", {})
    level_labels = dict(levels) if isinstance(levels, Mapping) else {}
    out_nodes = []
    for r in nodes.itertuples(index=False):
        kind = str(r.kind)
        level = str(r.level if kind != NodeKind.ENVIRONMENT.value else r.env_level)
        band, row = layout.get(str(r.node_id), (0, 0.0))
        name = str(r.name)
        label = short_name(name)
        if len(label) > LABEL_CHARS:
            label = label[: LABEL_CHARS - 1].rstrip() + "…"
        foreign = bool(getattr(r, "foreign", False))
        if foreign and str(getattr(r, "country", "")).strip():
            label += f" [{r.country}]"
        out_nodes.append({
            "id": str(r.node_id), "name": name, "label": label, "kind": kind, "level": level,
            "band": int(band), "row": float(row),
            "colour": style.LEVEL_COLOURS.get(level, style.NONE_COLOUR),
            "foreign": foreign, "pairs": sorted(set(pairs.get(str(r.node_id), ()))),
        })
    out_edges = []
    for e in edges.itertuples(index=False):
        derived = bool(getattr(e, "derived", False))
        rel = str(e.relation)
        colour = (DERIVED_STYLE if derived else RELATION_STYLES.get(rel, DERIVED_STYLE))["color"]
        out_edges.append({"from": str(e.from_id), "to": str(e.to_id), "rel": rel,
                          "derived": derived, "colour": colour,
                          "dash": DASHES["derived" if derived else rel]})
    return {
        "bands": [{"id": b, "label": str(level_labels.get(b, labels.get("environments", b)))}
                  for b in bands],
        "nodes": out_nodes, "edges": out_edges,
        "chains": [{"label": str(c["label"]), "nodes": [str(n) for n in c["nodes"]]}
                   for c in chains],
        "labels": dict(labels),
        "levels": [lv.value for lv in Level],
        "initial": dict(initial or {}),
    }


def network_html(nodes: pd.DataFrame, edges: pd.DataFrame, pairs: Mapping[str, Sequence[str]],
                 chains: Sequence[NetworkChain], labels: Mapping[str, object],
                 initial: Mapping[str, str] | None = None, height: int = 680) -> str:
    """The interactive network as a complete HTML document (see the module docstring)."""
    data = network_data(nodes, edges, pairs, chains, labels, initial)
    lang = str(labels.get("lang", "sv"))
    return (_TEMPLATE.replace("__LANG__", "sv" if lang == "sv" else "en")
            .replace("__HEIGHT__", str(int(height)))
            .replace("__DATA__", _safe_json(data)))


_TEMPLATE = """<!DOCTYPE html>
<html lang="__LANG__"><head><meta charset="utf-8">
<style>
body { margin: 0; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; font-size: 13px;
       color: #1a1a1a; background: #fff; }
#bar { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: end; padding: 6px 4px; }
#bar label { display: flex; flex-direction: column; font-size: 12px; color: #333; }
#bar select, #bar button { font: inherit; padding: 3px 6px; border: 1px solid #999;
       border-radius: 4px; background: #fff; max-width: 26em; }
#bar button { min-width: 2.2em; cursor: pointer; }
#bar select:focus, #bar button:focus, .node:focus { outline: 3px solid #225ea8; outline-offset: 1px; }
#wrap { position: relative; border: 1px solid #d0d0d0; border-radius: 4px;
        height: calc(__HEIGHT__px - 64px); overflow: hidden; cursor: grab; }
#wrap.dragging { cursor: grabbing; }
svg { width: 100%; height: 100%; display: block; }
.band { font-weight: 600; font-size: 13px; fill: #000; }
.edge { fill: none; stroke-width: 1.3; opacity: .7; }
.node text { font-size: 12px; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.node { cursor: pointer; }
.dim { opacity: .12; }
.hl .shape { stroke: #000; stroke-width: 2.5; }
.edge.hl { stroke: #d62728 !important; stroke-width: 3.2; opacity: 1; }
#tip { position: absolute; pointer-events: none; background: #fff; border: 1px solid #555;
       border-radius: 4px; padding: 4px 7px; box-shadow: 0 1px 4px rgba(0,0,0,.25);
       max-width: 28em; display: none; font-size: 12.5px; z-index: 2; }
#tip b { display: block; }
#status { font-size: 12px; color: #444; padding: 2px 4px; }
</style></head><body>
<div id="bar" role="toolbar"></div>
<div id="status" aria-live="polite"></div>
<div id="wrap"><svg id="svg" role="img"><g id="view"></g></svg><div id="tip" role="tooltip"></div></div>
<script id="data" type="application/json">__DATA__</script>
<script>
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("data").textContent);
  var L = D.labels, SVGNS = document.getElementById("svg").namespaceURI;
  var COL = 250, ROW = 24, TOP = 34, LEFT = 14;
  var byId = {}; D.nodes.forEach(function (n) { byId[n.id] = n; });
  var state = {area: "", level: "", muni: "", chain: -1};
  var bar = document.getElementById("bar"), svg = document.getElementById("svg");
  var view = document.getElementById("view"), tip = document.getElementById("tip");
  var wrap = document.getElementById("wrap"), status = document.getElementById("status");
  svg.setAttribute("aria-label", L.title || "");

  function el(tag, attrs, parent) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function select(name, text, options, onchange) {
    var lab = document.createElement("label"); lab.textContent = text;
    var s = document.createElement("select"); s.id = "f-" + name;
    options.forEach(function (o) {
      var opt = document.createElement("option"); opt.value = o[0]; opt.textContent = o[1];
      s.appendChild(opt);
    });
    s.addEventListener("change", function () { onchange(s.value); draw(); fit(); });
    lab.appendChild(s); bar.appendChild(lab); return s;
  }
  function button(id, text, title, onclick) {
    var b = document.createElement("button"); b.type = "button"; b.id = id;
    b.textContent = text; b.title = title; b.setAttribute("aria-label", title);
    b.addEventListener("click", onclick); bar.appendChild(b); return b;
  }
  var all = [["", L.all]];
  var start = D.initial || {};
  select("area", L.area, all.concat(L.areas || []), function (v) { state.area = v; });
  select("level", L.level, all.concat(D.levels.filter(function (lv) {
    return D.nodes.some(function (n) { return n.level === lv; });
  }).map(function (lv) { return [lv, (L.levels || {})[lv] || lv]; })),
    function (v) { state.level = v; });
  select("muni", L.municipality, all.concat(L.municipalities || []),
    function (v) { state.muni = v; });
  select("chain", L.chain, [["-1", L.no_chain]].concat(D.chains.map(function (c, i) {
    return [String(i), c.label];
  })), function (v) { state.chain = parseInt(v, 10); });

  ["area", "muni"].forEach(function (k) {
    var box = document.getElementById("f-" + k);
    if (start[k] && Array.prototype.some.call(box.options, function (o) { return o.value === start[k]; })) {
      box.value = start[k]; state[k] = start[k];
    }
  });
  var scale = 1, tx = 0, ty = 0;
  function apply() { view.setAttribute("transform",
    "translate(" + tx + "," + ty + ") scale(" + scale + ")"); }
  function zoom(f, cx, cy) {
    var r = wrap.getBoundingClientRect();
    cx = cx === undefined ? r.width / 2 : cx; cy = cy === undefined ? r.height / 2 : cy;
    var ns = Math.min(4, Math.max(0.15, scale * f));
    tx = cx - (cx - tx) * ns / scale; ty = cy - (cy - ty) * ns / scale; scale = ns; apply();
  }
  var fitted = {w: 1, h: 1};
  function fit() {
    var r = wrap.getBoundingClientRect();
    scale = Math.max(0.3, Math.min(1, (r.width - 10) / fitted.w)); tx = 5; ty = 5; apply();
  }
  button("zoom-in", "+", L.zoom_in, function () { zoom(1.25); });
  button("zoom-out", "\\u2212", L.zoom_out, function () { zoom(0.8); });
  button("zoom-reset", L.reset, L.reset, fit);
  wrap.addEventListener("wheel", function (ev) {
    ev.preventDefault(); var r = wrap.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 1.15 : 0.87, ev.clientX - r.left, ev.clientY - r.top);
  }, {passive: false});
  var drag = null;
  wrap.addEventListener("mousedown", function (ev) {
    drag = {x: ev.clientX - tx, y: ev.clientY - ty}; wrap.classList.add("dragging");
  });
  window.addEventListener("mouseup", function () { drag = null; wrap.classList.remove("dragging"); });
  window.addEventListener("mousemove", function (ev) {
    if (drag) { tx = ev.clientX - drag.x; ty = ev.clientY - drag.y; apply(); }
  });

  function matches(n) {
    if (state.level && n.level !== state.level) return false;
    if (!state.area && !state.muni) return true;
    var want = (state.area || "any") + "|" + (state.muni || "");
    return n.pairs.some(function (p) {
      return state.muni ? p === want : p.indexOf((state.area || "any") + "|") === 0;
    });
  }
  function showTip(n, x, y) {
    tip.textContent = "";
    var b = document.createElement("b"); b.textContent = n.name; tip.appendChild(b);
    var s = document.createElement("span");
    s.textContent = ((L.levels || {})[n.level] || n.level) + " \\u00b7 " + ((L.kinds || {})[n.kind] || n.kind);
    tip.appendChild(s);
    var r = wrap.getBoundingClientRect();
    tip.style.left = Math.min(x + 14, r.width - 240) + "px"; tip.style.top = (y + 12) + "px";
    tip.style.display = "block";
  }
  function hideTip() { tip.style.display = "none"; }

  function draw() {
    hideTip();
    while (view.firstChild) view.removeChild(view.firstChild);
    var chain = state.chain >= 0 ? D.chains[state.chain] : null;
    var inChain = {}; if (chain) chain.nodes.forEach(function (id) { inChain[id] = true; });
    var shown = D.nodes.filter(function (n) { return matches(n) || inChain[n.id]; });
    var present = {}; shown.forEach(function (n) { present[n.id] = true; });
    var edges = D.edges.filter(function (e) { return present[e.from] && present[e.to]; });
    var bands = D.bands.map(function (b, i) { return i; }).filter(function (i) {
      return shown.some(function (n) { return n.band === i; });
    });
    var x = {}, pos = {}, height = 0;
    bands.forEach(function (b, col) {
      x[b] = LEFT + col * COL;
      var members = shown.filter(function (n) { return n.band === b; })
        .sort(function (a, c) { return a.row - c.row; });
      members.forEach(function (n, i) { pos[n.id] = [x[b], TOP + 14 + i * ROW]; });
      height = Math.max(height, TOP + 14 + members.length * ROW);
      var t = el("text", {x: x[b], y: TOP - 10, "class": "band"}, view);
      t.textContent = D.bands[b].label;
    });
    fitted = {w: LEFT + bands.length * COL, h: height};
    var hlEdge = {};
    if (chain) for (var i = 0; i + 1 < chain.nodes.length; i++) {
      hlEdge[chain.nodes[i] + ">" + chain.nodes[i + 1]] = true;
      hlEdge[chain.nodes[i + 1] + ">" + chain.nodes[i]] = true;
    }
    var eg = el("g", {}, view);
    edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      var d = a[0] === b[0]
        ? "M" + a[0] + "," + a[1] + " C" + (a[0] - 60) + "," + a[1] + " " + (b[0] - 60) + "," + b[1] + " " + b[0] + "," + b[1]
        : "M" + a[0] + "," + a[1] + " L" + b[0] + "," + b[1];
      var p = el("path", {d: d, "class": "edge", stroke: e.colour}, eg);
      if (e.dash) p.setAttribute("stroke-dasharray", e.dash);
      if (chain) p.classList.add(hlEdge[e.from + ">" + e.to] ? "hl" : "dim");
      var tt = el("title", {}, p);
      tt.textContent = byId[e.from].name + " \\u2192 " + ((L.relations || {})[e.derived ? "derived" : e.rel] || e.rel) + " \\u2192 " + byId[e.to].name;
    });
    var ng = el("g", {}, view);
    shown.forEach(function (n) {
      var p = pos[n.id];
      var g = el("g", {"class": "node", transform: "translate(" + p[0] + "," + p[1] + ")",
                       tabindex: "0", role: "img"}, ng);
      g.setAttribute("aria-label", n.name);
      var fill = n.foreign ? "#fff" : n.colour, stroke = n.foreign ? n.colour : "#222";
      var shape;
      if (n.kind === "environment") shape = el("circle", {r: 5.5}, g);
      else if (n.kind === "both") shape = el("rect", {x: -5.5, y: -5.5, width: 11, height: 11,
                                                     transform: "rotate(45)"}, g);
      else shape = el("rect", {x: -5.5, y: -5.5, width: 11, height: 11}, g);
      shape.setAttribute("class", "shape"); shape.setAttribute("fill", fill);
      shape.setAttribute("stroke", stroke); shape.setAttribute("stroke-width", n.foreign ? 2 : 0.8);
      var t = el("text", {x: 10, y: 4}, g); t.textContent = n.label;
      var tt = el("title", {}, g); tt.textContent = n.name;
      if (chain) g.classList.add(inChain[n.id] ? "hl" : "dim");
      g.addEventListener("mousemove", function (ev) {
        var r = wrap.getBoundingClientRect(); showTip(n, ev.clientX - r.left, ev.clientY - r.top);
      });
      g.addEventListener("mouseleave", hideTip);
      g.addEventListener("focus", function () {
        var r = g.getBoundingClientRect(), w = wrap.getBoundingClientRect();
        showTip(n, r.left - w.left, r.top - w.top);
      });
      g.addEventListener("blur", hideTip);
    });
    status.textContent = shown.length ? (L.shown || "").replace("{n}", shown.length)
      .replace("{e}", edges.length) : L.empty;
    if (!drawn) { drawn = true; fit(); }
  }
  var drawn = false;
  draw();
  window.addEventListener("resize", function () { fit(); });
})();
</script></body></html>
"""
