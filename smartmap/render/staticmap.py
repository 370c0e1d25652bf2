"""Static maps (PNG for slides, SVG for the self-contained report), drawn with matplotlib.

The same colours, classes and labels as the interactive map: municipalities as a choropleth of a
metric (or plain outlines), environments as dots coloured by type or priority area, a legend, a
scale bar and the data attribution. Drawn in SWEREF 99 TM, so distances on the image are true.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from smartmap.analysis import catalog
from smartmap.core import vocab
from smartmap.core.region import Region
from smartmap.render import classify, style
from smartmap.render.maps import choropleth_colours, drawable, legend_entries, marker_colour

Format = Literal["png", "svg"]


def _scale_bar(ax: Axes, length_m: float = 20_000) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    x = x0 + 0.04 * (x1 - x0)
    y = y0 + 0.04 * (y1 - y0)
    ax.plot([x, x + length_m], [y, y], color="#111111", linewidth=3, solid_capstyle="butt")
    ax.text(x + length_m / 2, y + 0.012 * (y1 - y0), f"{length_m / 1000:g} km", ha="center",
            va="bottom", fontsize=8)


def render(
    municipalities: gpd.GeoDataFrame,
    environments: gpd.GeoDataFrame | None = None,
    values: pd.Series | None = None,
    column: str | None = None,
    lang: vocab.Lang = "sv",
    title: str | None = None,
    radius_km: float | None = None,
    color_by: str = "env_type",
    method: classify.Method = "natural_breaks",
    k: int = 5,
    fmt: Format = "png",
    size: Sequence[float] = (8.0, 9.0),
    dpi: int = 150,
    highlight: Sequence[str] = (),
    region: Region | None = None,
) -> bytes:
    """Draw the map and return the image bytes (PNG or SVG).

    ``values`` (indexed by ``kommun_kod``) with its metric ``column`` makes a choropleth;
    ``highlight`` lists municipality codes to outline in black (e.g. white spots).
    """
    fig, ax = plt.subplots(figsize=tuple(size), dpi=dpi)
    try:
        handles: list[Artist] = []
        if values is not None and column is not None:
            colours, entries, _ = choropleth_colours(municipalities, values, column, lang, method,
                                                     k, region=region)
            municipalities.plot(ax=ax, color=colours, edgecolor=style.MUNICIPALITY_LINE,
                                linewidth=0.6)
            info = catalog.metric_info(column, region)
            handles.append(Patch(color="none", label=info.title(lang, radius_km)))
            handles += [Patch(facecolor=c, edgecolor="#555555", label=lab) for lab, c in entries]
        else:
            municipalities.plot(ax=ax, color=style.MUNICIPALITY_FILL,
                                edgecolor=style.MUNICIPALITY_LINE, linewidth=0.6)
        if highlight:
            sel = municipalities[municipalities["kommun_kod"].isin(list(highlight))]
            if not sel.empty:
                sel.boundary.plot(ax=ax, color="#000000", linewidth=1.8)
        if environments is not None:
            env = drawable(environments)
            if not env.empty:
                colours_env = [marker_colour(row, color_by, region) for _, row in env.iterrows()]
                ax.scatter(env.geometry.x, env.geometry.y, s=28, c=colours_env,
                           edgecolors="#222222", linewidths=0.6, zorder=3)
                head = vocab.text("legend_types" if color_by == "env_type" else "legend_areas",
                                  lang)
                handles.append(Patch(color="none", label=head))
                handles += [
                    Line2D([], [], marker="o", linestyle="", markerfacecolor=c,
                           markeredgecolor="#222222", label=lab)
                    for lab, c in legend_entries(env, lang, color_by, region)
                ]
        minx, miny, maxx, maxy = municipalities.total_bounds
        padx, pady = 0.03 * (maxx - minx), 0.03 * (maxy - miny)
        ax.set_xlim(minx - padx, maxx + padx)
        ax.set_ylim(miny - pady, maxy + pady)
        ax.set_aspect("equal")
        ax.set_axis_off()
        _scale_bar(ax)
        if title:
            ax.set_title(title, fontsize=12, loc="left")
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
                      frameon=False)
        fig.text(0.01, 0.01, vocab.text("static_attribution", lang), fontsize=6, color="#444444")
        buf = io.BytesIO()
        # no tool URL inside the file: the report must not contain any http(s) reference
        metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, bbox_inches="tight", metadata=metadata)
        return buf.getvalue()
    finally:
        plt.close(fig)
