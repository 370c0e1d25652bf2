"""Colours: colour-blind-safe palettes for every categorical vocabulary.

Categorical colours are Paul Tol's "muted" scheme (safe for the common colour-vision deficiencies)
plus pale grey; sequential colours for choropleths are in :mod:`smartmap.render.maps`.
"""

from __future__ import annotations

from smartmap.core import vocab

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
ANY_AREA_COLOUR = "#BBBBBB"
"""Colour of the pseudo-area ``any``; a region's areas and core classes carry their own colours
(:meth:`smartmap.core.region.Terms.colour`)."""
LEVEL_COLOURS: dict[str, str] = dict(
    zip(vocab.values(vocab.Level), (*TOL_MUTED[:8], "#BBBBBB"), strict=True)
)
STATUS_COLOURS: dict[str, str] = dict(
    zip(vocab.values(vocab.Status), ("#117733", "#DDCC77", "#BBBBBB"), strict=True)
)
MUNICIPALITY_FILL = "#F2F2F2"
MUNICIPALITY_LINE = "#555555"

NO_DATA_COLOUR = "#D9D9D9"
GOOD_COLOUR = "#2166AC"
BAD_COLOUR = "#E69F00"
BOOL_COLOURS = (GOOD_COLOUR, BAD_COLOUR)
"""(colour of the favourable answer, colour of the unfavourable one): blue / orange."""

# ColorBrewer YlGnBu (colour-blind safe), by number of classes
_YLGNBU: dict[int, tuple[str, ...]] = {
    1: ("#41B6C4",),
    2: ("#A1DAB4", "#2C7FB8"),
    3: ("#EDF8B1", "#7FCDBB", "#2C7FB8"),
    4: ("#FFFFCC", "#A1DAB4", "#41B6C4", "#225EA8"),
    5: ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"),
    6: ("#FFFFCC", "#C7E9B4", "#7FCDBB", "#41B6C4", "#2C7FB8", "#253494"),
    7: ("#FFFFCC", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#0C2C84"),
}
# ColorBrewer RdBu (colour-blind safe), for changes: red = worse, blue = better
DIVERGING = ("#B2182B", "#EF8A62", "#FDDBC7", "#F7F7F7", "#D1E5F0", "#67A9CF", "#2166AC")


def sequential(n: int) -> tuple[str, ...]:
    """A colour-blind-safe light-to-dark palette of ``n`` colours (1 to 7)."""
    if n <= 0:
        return ()
    return _YLGNBU[min(n, 7)]
