"""Browser assets of the map (Leaflet, jQuery), served by the app itself so the map works offline.

The files come from the PyPI packages ``XStatic-Leaflet`` and ``XStatic-jQuery``, plus smartmap's
own map script and styles (``smartmap/render/js/``: legends, stacked markers, focus). :func:`install`
copies them into the app's static folder (Streamlit serves it under ``/app/static/``);
:func:`urls` gives the URLs a map must load, honouring ``server.baseUrlPath``. A missing file raises
:class:`~smartmap.core.errors.AssetError` rather than leaving an empty map.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from smartmap.core.errors import AssetError
from smartmap.core.settings import PROJECT_DIR

STATIC_DIR = PROJECT_DIR / "static"
"""Streamlit's static folder: next to ``app.py``, ignored by git, filled at start-up."""
VENDOR = "vendor"
OWN = "smartmap.render"
"""The "package" of smartmap's own map files (in ``smartmap/render/js/``)."""
OWN_DIR = Path(__file__).resolve().parent / "js"

# (package module, file inside the package's data dir, target path under static/vendor)
_FILES: tuple[tuple[str, str, str], ...] = (
    ("xstatic.pkg.leaflet", "leaflet.js", "leaflet/leaflet.js"),
    ("xstatic.pkg.leaflet", "leaflet.css", "leaflet/leaflet.css"),
    ("xstatic.pkg.leaflet", "images/layers.png", "leaflet/images/layers.png"),
    ("xstatic.pkg.leaflet", "images/layers-2x.png", "leaflet/images/layers-2x.png"),
    ("xstatic.pkg.leaflet", "images/marker-icon.png", "leaflet/images/marker-icon.png"),
    ("xstatic.pkg.leaflet", "images/marker-icon-2x.png", "leaflet/images/marker-icon-2x.png"),
    ("xstatic.pkg.leaflet", "images/marker-shadow.png", "leaflet/images/marker-shadow.png"),
    ("xstatic.pkg.jquery", "jquery.min.js", "jquery/jquery.min.js"),
    (OWN, "smartmap-map.js", "smartmap/smartmap-map.js"),
    (OWN, "smartmap-map.css", "smartmap/smartmap-map.css"),
)
JS = ("jquery/jquery.min.js", "leaflet/leaflet.js", "smartmap/smartmap-map.js")
CSS = ("leaflet/leaflet.css", "smartmap/smartmap-map.css")


@dataclass(frozen=True)
class AssetUrls:
    """URLs of the scripts and stylesheets a map page loads, in load order."""

    js: tuple[str, ...]
    css: tuple[str, ...]
    images: str

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.js, *self.css)


def _package_data_dir(module: str) -> Path:
    if module == OWN:
        return OWN_DIR
    try:
        pkg = __import__(module, fromlist=["BASE_DIR"])
    except ImportError as exc:  # pragma: no cover - depends on the install
        dist = "XStatic-Leaflet" if "leaflet" in module else "XStatic-jQuery"
        raise AssetError(f"the map needs the Python package {dist}; install the project's "
                         "requirements (see README)") from exc
    return Path(pkg.BASE_DIR)


def sources() -> dict[str, Path]:
    """Target path (under ``static/vendor``) -> file in the installed XStatic package."""
    out = {}
    for module, name, target in _FILES:
        src = _package_data_dir(module) / name
        if not src.is_file():
            raise AssetError(f"map asset {name} is missing from the installed package {module} "
                             f"(looked for {src})")
        out[target] = src
    return out


def install(static_dir: Path = STATIC_DIR) -> Path:
    """Copy the map assets into ``static_dir/vendor`` (idempotent); return the vendor folder."""
    vendor = static_dir / VENDOR
    for target, src in sources().items():
        dest = vendor / target
        if (dest.is_file() and dest.stat().st_size == src.stat().st_size
                and dest.stat().st_mtime >= src.stat().st_mtime):
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(dest.suffix + ".tmp")
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    check_installed(static_dir)
    return vendor


def check_installed(static_dir: Path = STATIC_DIR) -> None:
    """Raise AssetError naming the first asset missing from the static folder."""
    for _, _, target in _FILES:
        if not (static_dir / VENDOR / target).is_file():
            raise AssetError(f"map asset static/{VENDOR}/{target} is missing; the app copies it "
                             "at start-up from the XStatic packages")


@functools.cache
def version(target: str) -> str:
    """A short hash of one asset's content (``JS``/``CSS`` target), put in its URL so that a
    browser may keep the file for good and still gets the new one after an upgrade."""
    return hashlib.sha256(sources()[target].read_bytes()).hexdigest()[:10]


def urls(base_url_path: str = "") -> AssetUrls:
    """Absolute URL paths of the assets as Streamlit serves them, under ``server.baseUrlPath``,
    each with its content's version (``?v=...``; the server lets browsers cache them for good).

    >>> urls("").js[1].split("?")[0]
    '/app/static/vendor/leaflet/leaflet.js'
    >>> urls("/smartmap/").css[0].startswith('/smartmap/app/static/vendor/leaflet/leaflet.css?v=')
    True
    """
    base = base_url_path.strip("/")
    prefix = f"/{base}/app/static/{VENDOR}/" if base else f"/app/static/{VENDOR}/"
    return AssetUrls(
        js=tuple(f"{prefix}{p}?v={version(p)}" for p in JS),
        css=tuple(f"{prefix}{p}?v={version(p)}" for p in CSS),
        images=prefix + "leaflet/images/",
    )


def is_local(url: str) -> bool:
    """True for a URL path on this server (no scheme, no host)."""
    return url.startswith("/") and not url.startswith("//")
