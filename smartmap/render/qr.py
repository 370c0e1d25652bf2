"""QR codes of share links, drawn offline as SVG (segno: pure Python, no network, no images).

A participant points a phone at the projector and opens the scenario: the code holds exactly the
link shown beside it. Error correction "M" (15 % of the code may be unreadable, e.g. a projector's
glare) and a quiet zone of four modules, as the QR standard asks.

>>> svg = qr_svg("http://10.0.0.5:8501/?scenario=abc")
>>> svg.startswith("<svg") and 'aria-label="QR' in svg
True
"""

from __future__ import annotations

import functools

import segno

from smartmap.render.htmltext import escape

MASK = 0
"""A fixed data mask. Every decoder reads any of the eight masks; letting the encoder score all
eight (for the fewest look-alike patterns) costs about ten times as long, on every page run
after an edit (a new link). The code is shown large on a screen, where the score hardly matters."""


@functools.lru_cache(maxsize=64)
def qr_svg(link: str, scale: int = 6, label: str = "QR code") -> str:
    """An inline SVG of the QR code of ``link`` (black on white, ``scale`` px per module); kept
    for the last links drawn (choosing the mask costs tens of milliseconds, every page run)."""
    code = segno.make(link, error="m", micro=False, mask=MASK)
    svg = code.svg_inline(scale=scale, border=4, dark="#000000", light="#ffffff",
                          title=None, svgclass="sm-qr", lineclass=None)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
