"""Typed settings with defaults, overridable by environment variables (``SMARTMAP_*``).

Read once per call of :func:`get_settings`; pass a ``Settings`` around rather than reading globals,
so tests can use their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent

Basemap = Literal["none", "osm", "cartodb"]
BASEMAPS: tuple[Basemap, ...] = ("none", "osm", "cartodb")

ANALYSIS_CRS = "EPSG:3006"
"""SWEREF 99 TM: metres, for every distance and area."""
EXCHANGE_CRS = "EPSG:4326"
"""WGS 84: for GeoJSON, the web map and lat/lon columns."""


@dataclass(frozen=True)
class Settings:
    """Everything a run of smartmap can be configured with."""

    data_dir: Path = field(default_factory=lambda: PROJECT_DIR / "geodata")
    """The region package analysed: the shipped one unless ``SMARTMAP_DATA_DIR`` names another."""
    data_dir_explicit: bool = False
    """True when the user named the data folder: a package for another county is then refused."""
    county: str | None = None
    """The county asked for (``SMARTMAP_COUNTY``); ``None`` means the data package's own county."""
    assign_tolerance_m: float = 5000.0
    """Records without a municipality code are matched to the nearest polygon within this distance;
    "outside the county" means outside the county buffered by it."""
    radius_km: float = 10.0
    basemap: Basemap = "none"
    max_upload_bytes: int = 20 * 1024 * 1024
    max_scenario_bytes: int = 5 * 1024 * 1024
    public_url: str | None = None
    """The address participants reach the app at (``SMARTMAP_PUBLIC_URL``, e.g.
    ``http://10.0.0.5:8501/`` or ``https://smartmap.example.se/``): share links and their QR code
    use it instead of the address the facilitator's own browser shows (often ``localhost``)."""

    def with_(self, **changes: Any) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)


def public_url(value: str) -> str:
    """A public address for share links: ``http(s)://host[:port][/path]``, ending in ``/``.

    >>> public_url(" https://smartmap.example.se/app ")
    'https://smartmap.example.se/app/'
    >>> public_url("smartmap.example.se")
    Traceback (most recent call last):
    ...
    ValueError: SMARTMAP_PUBLIC_URL='smartmap.example.se' is not an http(s) address with a host (e.g. http://10.0.0.5:8501/)
    """
    text = value.strip()
    parts = urlsplit(text)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.query
            or parts.fragment or any(c.isspace() for c in text)):
        raise ValueError(f"SMARTMAP_PUBLIC_URL={value.strip()!r} is not an http(s) address with "
                         "a host (e.g. http://10.0.0.5:8501/)")
    return text if text.endswith("/") else text + "/"


def get_settings() -> Settings:
    """Defaults, overridden by ``SMARTMAP_DATA_DIR``, ``SMARTMAP_COUNTY``, ``SMARTMAP_BASEMAP``
    and ``SMARTMAP_PUBLIC_URL``."""
    base = Settings()
    changes: dict[str, object] = {}
    if data_dir := os.environ.get("SMARTMAP_DATA_DIR"):
        changes["data_dir"] = Path(data_dir)
        changes["data_dir_explicit"] = True
    if county := os.environ.get("SMARTMAP_COUNTY", "").strip():
        changes["county"] = county
    basemap = os.environ.get("SMARTMAP_BASEMAP", "").strip().lower()
    if basemap:
        if basemap not in BASEMAPS:
            raise ValueError(
                f"SMARTMAP_BASEMAP={basemap!r} is not one of {', '.join(BASEMAPS)}"
            )
        changes["basemap"] = basemap
    if public := os.environ.get("SMARTMAP_PUBLIC_URL", "").strip():
        changes["public_url"] = public_url(public)
    return base.with_(**changes) if changes else base
