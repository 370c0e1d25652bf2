"""Colours: colour-blind-safe palettes for every categorical vocabulary.

Categorical colours are Paul Tol's "muted" scheme (safe for the common colour-vision deficiencies)
plus pale grey; sequential colours for choropleths are in :mod:`smartmap.maps`.
"""

from __future__ import annotations

from smartmap import vocab

TOL_MUTED = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
    "#BBBBBB",  # grey
)
NONE_COLOUR = "#DDDDDD"

ENV_TYPE_COLOURS: dict[str, str] = dict(
    zip(vocab.values(vocab.EnvType), TOL_MUTED, strict=True)
)
AREA_COLOURS: dict[str, str] = {
    vocab.Area.LIFE_SCIENCE: "#CC6677",
    vocab.Area.ICT: "#332288",
    vocab.Area.INDUSTRIAL_TRANSITION: "#DDCC77",
    vocab.Area.CLIMATE_URBAN: "#117733",
    vocab.ANY_AREA: "#BBBBBB",
}
LEVEL_COLOURS: dict[str, str] = dict(
    zip(vocab.values(vocab.Level), (*TOL_MUTED[:8], "#BBBBBB"), strict=True)
)
STATUS_COLOURS: dict[str, str] = {"active": "#117733", "planned": "#DDCC77", "closed": "#BBBBBB"}
CORE_COLOURS: dict[str, str] = {
    "central_core": "#000000", "outer_core": "#444444", "strategic_location": "#777777",
    "other": "#AAAAAA",
}
MUNICIPALITY_FILL = "#F2F2F2"
MUNICIPALITY_LINE = "#555555"
