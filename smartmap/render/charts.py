"""Static charts for the governance page and the report, drawn with matplotlib (PNG or SVG bytes).

- :func:`network_chart`: actors and environments in columns by governance level (EU, national,
  regional, sub-regional, municipal, academic, private, civil society, then the environments),
  links as lines styled by relation: the multilevel system read from left to right.
- :func:`territory_chart`: which municipalities an actor's territory covers.
- :func:`radius_chart`: the radius-sensitivity curve (county coverage per area for R = 1..50 km).

Colours are the colour-blind-safe palettes of :mod:`smartmap.render.style`; relations differ by line
style, not only by colour; every text comes from :mod:`smartmap.core.vocab`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TypedDict

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.typing import LineStyleType

from smartmap.analysis.governance import short_name
from smartmap.core import lists, vocab
from smartmap.core.region import Region
from smartmap.core.vocab import Level, NodeKind, Relation
from smartmap.render import style
from smartmap.render.staticmap import Format

ENV_BAND = "environments"
LABEL_CHARS = 25


class LineStyle(TypedDict):
    """How a relation's links are drawn (matplotlib's line properties)."""

    color: str
    linestyle: LineStyleType
    linewidth: float


RELATION_STYLES: dict[str, LineStyle] = {
    Relation.FUNDS.value: {"color": "#111111", "linestyle": "-", "linewidth": 1.5},
    Relation.COORDINATES.value: {"color": "#444444", "linestyle": (0, (5, 2)), "linewidth": 1.0},
    Relation.OWNS.value: {"color": "#666666", "linestyle": "-", "linewidth": 0.9},
    Relation.HOSTS.value: {"color": "#888888", "linestyle": "-", "linewidth": 0.9},
    Relation.MEMBER_OF.value: {"color": "#AAAAAA", "linestyle": (0, (4, 1, 1, 1)),
                               "linewidth": 0.8},
    Relation.PARTNER_OF.value: {"color": "#666666", "linestyle": (0, (1, 1.5)), "linewidth": 1.1},
    Relation.REPORTS_TO.value: {"color": "#444444", "linestyle": (0, (1, 3)), "linewidth": 0.9},
}
DERIVED_STYLE: LineStyle = {"color": "#999999", "linestyle": (0, (2, 2)), "linewidth": 0.8}
ROW_H = 0.26
MARKERS = {NodeKind.ACTOR.value: "s", NodeKind.BOTH.value: "D", NodeKind.ENVIRONMENT.value: "o"}


def _save(fig: Figure, fmt: Format) -> bytes:
    buf = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, bbox_inches="tight", metadata=metadata)
    return buf.getvalue()


def _truncate(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _band(row: pd.Series) -> str:
    return ENV_BAND if row["kind"] == NodeKind.ENVIRONMENT.value else str(row["level"])


def network_layout(nodes: pd.DataFrame, edges: pd.DataFrame,
                   passes: int = 6) -> tuple[list[str], dict[str, tuple[int, float]]]:
    """Bands (left to right) and each node's (band index, row): a layered layout.

    Rows inside a band are ordered by the mean row of each node's neighbours (barycentre
    heuristic, a few sweeps), which keeps crossings down; ties by name. Deterministic.

    >>> nodes = pd.DataFrame({"node_id": ["a", "e"], "kind": ["actor", "environment"],
    ...                       "level": ["eu", "private"], "name": ["A", "E"]})
    >>> edges = pd.DataFrame({"from_id": ["a"], "to_id": ["e"]})
    >>> network_layout(nodes, edges)
    (['eu', 'environments'], {'a': (0, 0.0), 'e': (1, 0.0)})
    """
    order = [lv for lv in vocab.values(Level)] + [ENV_BAND]
    band_of = {str(nid): _band(row)
               for nid, row in nodes.set_index("node_id", drop=False).iterrows()}
    bands = [b for b in order if b in set(band_of.values())]
    members: dict[str, list[str]] = {b: [] for b in bands}
    names: dict[str, str] = dict(zip(nodes["node_id"], nodes["name"].astype("str"), strict=True))

    def by_name(nid: str) -> tuple[str, str]:
        return names.get(nid, nid).casefold(), nid

    for nid in sorted(band_of, key=by_name):
        members[band_of[nid]].append(nid)
    neighbours: dict[str, list[str]] = {n: [] for n in band_of}
    for a, b in zip(edges["from_id"], edges["to_id"], strict=True):
        if a in neighbours and b in neighbours and a != b:
            neighbours[a].append(b)
            neighbours[b].append(a)

    def rows() -> dict[str, float]:
        out = {}
        for b in bands:
            n = len(members[b])
            for i, nid in enumerate(members[b]):
                out[nid] = float(i) - (n - 1) / 2.0
        return out

    for sweep in range(passes):
        pos = rows()
        seq = bands if sweep % 2 == 0 else list(reversed(bands))
        for b in seq:
            def key(nid: str, pos: dict[str, float] = pos) -> tuple[float, str, str]:
                nb = [pos[m] for m in neighbours[nid] if band_of[m] != band_of[nid]]
                return (float(np.mean(nb)) if nb else pos[nid], names.get(nid, nid).casefold(), nid)

            members[b] = sorted(members[b], key=key)
    pos = rows()
    return bands, {nid: (bands.index(band_of[nid]), pos[nid]) for nid in band_of}


def _band_title(band: str, lang: vocab.Lang) -> str:
    return vocab.text("environments", lang) if band == ENV_BAND else vocab.label(band, lang)


def network_chart(nodes: pd.DataFrame, edges: pd.DataFrame, lang: vocab.Lang = "sv",
                  title: str | None = None, fmt: Format = "png", dpi: int = 130) -> bytes:
    """Draw the governance network (nodes and edges of :func:`smartmap.analysis.governance.network`)."""
    bands, layout = network_layout(nodes, edges)
    per_band = [sum(1 for b, _ in layout.values() if b == i) for i in range(len(bands))]
    tallest = max(per_band) if per_band else 1
    col_w = 2.3
    fig_w = max(6.0, col_w * max(len(bands), 1) + 0.6)
    fig_h = max(2.6, ROW_H * tallest + 1.9)
    fig, ax = plt.subplots(figsize=(fig_w, fig_h), dpi=dpi)
    try:
        if nodes.empty:
            ax.text(0.5, 0.5, vocab.text("gov_network_empty", lang), ha="center", va="center")
            ax.set_axis_off()
            return _save(fig, fmt)
        xy = {nid: (b * col_w, -row * ROW_H) for nid, (b, row) in layout.items()}
        for row in edges.itertuples(index=False):
            source, target = str(row.from_id), str(row.to_id)
            if source not in xy or target not in xy:
                continue
            style_ = DERIVED_STYLE if bool(getattr(row, "derived", False)) else \
                RELATION_STYLES.get(str(row.relation), DERIVED_STYLE)
            (x0, y0), (x1, y1) = xy[source], xy[target]
            if x0 == x1:  # same band: an arc to the left, not a line hidden in the column
                ax.add_patch(FancyArrowPatch(
                    (x0, y0), (x1, y1), arrowstyle="-", connectionstyle="arc3,rad=0.35",
                    color=style_["color"], linestyle=style_["linestyle"],
                    linewidth=style_["linewidth"], alpha=0.75, zorder=1))
                continue
            ax.plot([x0, x1], [y0, y1], alpha=0.75, zorder=1, solid_capstyle="round", **style_)
        info = nodes.set_index("node_id")
        for nid, (x, y) in xy.items():
            r = info.loc[nid]
            kind = str(r["kind"])
            level = str(r["level"] if kind != NodeKind.ENVIRONMENT.value else r["env_level"])
            colour = style.LEVEL_COLOURS.get(level, style.NONE_COLOUR)
            foreign = bool(r["foreign"])
            ax.scatter([x], [y], s=46 if kind != NodeKind.ENVIRONMENT.value else 36,
                       marker=MARKERS.get(kind, "o"),
                       c="#FFFFFF" if foreign else colour, edgecolors=colour if foreign else "#222222",
                       linewidths=1.6 if foreign else 0.6, zorder=3)
            label = _truncate(short_name(r["name"]))
            if foreign and str(r["country"]).strip():
                label = _truncate(short_name(r["name"]), LABEL_CHARS - 5) + f" [{r['country']}]"
            ax.text(x + 0.09, y, label, fontsize=7.6, va="center", ha="left", zorder=4,
                    bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none",
                          "alpha": 0.8})
        top = max(y for _, y in xy.values()) + 0.45
        for i, band in enumerate(bands):
            ax.text(i * col_w, top, _band_title(band, lang), fontsize=8.5, fontweight="bold",
                    ha="left", va="bottom",
                    color="#000000")
        ax.set_xlim(-0.3, col_w * len(bands))
        ys = [y for _, y in xy.values()]
        ax.set_ylim(min(ys) - 0.4, top + 0.45)
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=11, loc="left", pad=14)
        kinds = set(nodes["kind"])
        handles = [Line2D([], [], marker=MARKERS[k.value], linestyle="", markerfacecolor="#BBBBBB",
                          markeredgecolor="#222222", label=vocab.label(k, lang))
                   for k in NodeKind if k.value in kinds]
        if nodes["foreign"].astype(bool).any():
            handles.append(Line2D([], [], marker="s", linestyle="", markerfacecolor="#FFFFFF",
                                  markeredgecolor=style.LEVEL_COLOURS[Level.EU.value],
                                  markeredgewidth=1.6, label=vocab.text("gov_foreign", lang)))
        derived = edges["derived"].astype(bool) if "derived" in edges.columns else \
            pd.Series(False, index=edges.index)
        present = set(edges.loc[~derived, "relation"]) if len(edges) else set()
        handles += [Line2D([], [], label=vocab.label(Relation(rel), lang), **RELATION_STYLES[rel])
                    for rel in vocab.values(Relation) if rel in present]
        if len(edges) and derived.any():
            handles.append(Line2D([], [], label=vocab.text("gov_derived_host", lang),
                                  **DERIVED_STYLE))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), ncol=4,
                  fontsize=7, frameon=False)
        return _save(fig, fmt)
    finally:
        plt.close(fig)


def territory_chart(municipalities: gpd.GeoDataFrame, codes: Sequence[str], level: str,
                    lang: vocab.Lang = "sv", title: str | None = None, fmt: Format = "png",
                    size: Sequence[float] = (5.2, 5.6), dpi: int = 130) -> bytes:
    """The county with the municipalities in ``codes`` filled in the colour of ``level``."""
    fig, ax = plt.subplots(figsize=tuple(size), dpi=dpi)
    try:
        covered = municipalities["kommun_kod"].astype("str").isin(list(codes)).to_numpy()
        colour = style.LEVEL_COLOURS.get(level, style.GOOD_COLOUR)
        colours = np.where(covered, colour, style.MUNICIPALITY_FILL)
        municipalities.plot(ax=ax, color=list(colours), edgecolor=style.MUNICIPALITY_LINE,
                            linewidth=0.6)
        if 0 < covered.sum() <= 8:
            sel = municipalities[covered]
            pts = sel.geometry.representative_point()
            for name, p in zip(sel["kommun"], pts, strict=True):
                ax.annotate(str(name), (p.x, p.y), fontsize=7, ha="center", va="center",
                            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white",
                                  "edgecolor": "none", "alpha": 0.8})
        ax.set_aspect("equal")
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=11, loc="left")
        handles = [Patch(facecolor=colour, edgecolor="#555555",
                         label=vocab.text("gov_covered", lang, n=int(covered.sum()))),
                   Patch(facecolor=style.MUNICIPALITY_FILL, edgecolor="#555555",
                         label=vocab.text("gov_not_covered", lang))]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                  frameon=False)
        fig.text(0.01, 0.01, vocab.text("static_attribution", lang), fontsize=6, color="#444444")
        return _save(fig, fmt)
    finally:
        plt.close(fig)


def radius_chart(curve: pd.DataFrame, radius_km: float, region: Region, lang: vocab.Lang = "sv",
                 title: str | None = None, fmt: Format = "png", size: Sequence[float] = (7.5, 4.2),
                 dpi: int = 130) -> bytes:
    """County coverage (% of residents) against the radius, one line per area plus ``any``."""
    fig, ax = plt.subplots(figsize=tuple(size), dpi=dpi)
    try:
        for area in region.areas_and_any:
            column = f"cov_{area}"
            if column not in curve.columns:
                continue
            dashed = area == vocab.ANY_AREA
            ax.plot(curve["radius_km"], 100 * curve[column].astype("float64"),
                    color="#555555" if dashed else region.areas.colour(area),
                    linestyle="--" if dashed else "-", linewidth=1.8,
                    label=vocab.label(area, lang, region))
        ax.axvline(radius_km, color="#000000", linewidth=0.8, linestyle=":")
        ax.text(radius_km, 2, f" R = {radius_km:g} km", fontsize=8, va="bottom")
        ax.set_xlabel(vocab.text("rep_radius_axis", lang))
        ax.set_ylabel(vocab.text("rep_coverage_axis", lang))
        ax.set_ylim(0, 101)
        ax.set_xlim(float(curve["radius_km"].min()), float(curve["radius_km"].max()))
        ax.grid(True, color="#DDDDDD", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        if title:
            ax.set_title(title, fontsize=11, loc="left")
        ax.legend(fontsize=7.5, frameon=False, loc="lower right")
        return _save(fig, fmt)
    finally:
        plt.close(fig)


def levels_label(levels: object, lang: vocab.Lang = "sv") -> str:
    """A ``;``-list of level ids as readable labels (``eu;national`` -> ``EU, Nationell``); a
    table cell as it is (empty or missing: no label), like :func:`smartmap.core.lists.split`."""
    return ", ".join(vocab.label(lv, lang) for lv in lists.split(levels))
