"""Every view is a link: the map page's choices in the address's query string, and back.

``map_query`` writes what the user chose (only what differs from the default view, so the
default address stays short); ``read_map_query`` reads an address back into the values of the
page's widgets, refusing anything it does not know (a tampered or outdated link): such a
parameter is named in ``LinkReading.ignored`` and its widget keeps the default. The language
lives in ``lang`` on every page (``read_lang``). A basemap is never taken from a link: it makes
the browser contact a tile server, and only the user may choose that.

| parameter | widget | value |
|---|---|---|
| ``lang`` | language | ``sv`` (default) or ``en`` |
| ``r`` | radius | whole km in the slider's range |
| ``planned`` | planned environments count | ``1`` |
| ``area``, ``type``, ``service``, ``level``, ``status`` | filters | term ids, comma-separated |
| ``q`` | search | text |
| ``metric`` | choropleth | a metric id or ``none`` |
| ``classes``, ``colour``, ``layers`` | map display | ids (layers comma-separated) |
| ``kommun`` | the profile's municipality | a municipality code |
| ``env`` | the environment shown on the map | an environment id |
| ``view`` | the map's extent | ``lat,lon,zoom`` |
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from smartmap.core import vocab

RADIUS_RANGE = (1, 50)
"""The radius slider's range (km)."""
MAX_QUERY_CHARS = 200
"""A search text longer than this in a link is refused (the search box has no use for more)."""
ZOOM_RANGE = (4, 18)
LIST_SEPARATOR = ","

Value: TypeAlias = int | bool | str | list[str]
"""A widget value a link sets: the radius, a flag, one option or a text, a list of options."""

LANG = "lang"
VIEW = "view"
KOMMUN = "kommun"
ENV = "env"


@dataclass(frozen=True)
class Field:
    """One query parameter of the map page and the bound widget it sets."""

    name: str
    widget: str
    kind: str
    """``int``, ``flag``, ``one`` (one of the options), ``many`` (a list of options), ``text``."""


FIELDS: tuple[Field, ...] = (
    Field("r", "a_radius", "int"),
    Field("planned", "a_planned", "flag"),
    Field("area", "f_areas", "many"),
    Field("type", "f_types", "many"),
    Field("service", "f_services", "many"),
    Field("level", "f_levels", "many"),
    Field("status", "f_statuses", "many"),
    Field("q", "f_query", "text"),
    Field("metric", "f_metric", "one"),
    Field("classes", "f_method", "one"),
    Field("colour", "f_color_by", "one"),
    Field("layers", "f_layers", "many"),
    Field(KOMMUN, "profile_kommun", "one"),
    Field(ENV, "map_env", "one"),
)
"""The map page's parameters in the order they are written."""
MAP_PARAMS: tuple[str, ...] = (*(f.name for f in FIELDS), VIEW)
"""Every query parameter the map page reads and writes (``lang`` is every page's)."""


@dataclass(frozen=True)
class MapView:
    """The map's centre and zoom (what ``view`` holds)."""

    lat: float
    lon: float
    zoom: int

    def text(self) -> str:
        """``59.3293,18.0686,11``: four decimals (about 10 m) are plenty for a view.

        >>> MapView(59.329312, 18.06861, 11).text()
        '59.3293,18.0686,11'
        """
        return f"{self.lat:.4f},{self.lon:.4f},{self.zoom:d}"


def parse_view(text: str) -> MapView | None:
    """A ``view`` value, or ``None`` for anything that is not a plausible map view.

    >>> parse_view("59.33,18.07,11")
    MapView(lat=59.33, lon=18.07, zoom=11)
    >>> parse_view("59.33,18.07,99") is None, parse_view("nan,1,9") is None
    (True, True)
    """
    parts = text.split(",")
    if len(parts) != 3 or len(text) > 40:
        return None
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 85 or abs(lon) > 180:
        return None
    if not ZOOM_RANGE[0] <= zoom <= ZOOM_RANGE[1]:
        return None
    return MapView(lat, lon, zoom)


@dataclass(frozen=True)
class LinkOptions:
    """What a link may choose: for each widget of kind ``one``/``many`` its options, and every
    widget's default value."""

    options: Mapping[str, Sequence[str]]
    defaults: Mapping[str, Value]


@dataclass
class LinkReading:
    """A link read back: the widgets' values (defaults where the link says nothing or something
    unknown), the view, and the parameters that were refused."""

    values: dict[str, Value] = field(default_factory=dict)
    view: MapView | None = None
    ignored: list[str] = field(default_factory=list)


def _split(text: str) -> list[str]:
    return [item for item in (part.strip() for part in text.split(LIST_SEPARATOR)) if item]


def read_map_query(query: Mapping[str, str], options: LinkOptions) -> LinkReading:
    """The map page's widget values from a query string (see the module docstring)."""
    out = LinkReading(values=dict(options.defaults))
    for f in FIELDS:
        if f.name not in query:
            continue
        raw = str(query[f.name])
        value = _value(f, raw, options)
        if value is None:
            out.ignored.append(f.name)
        else:
            out.values[f.widget] = value
    if VIEW in query:
        out.view = parse_view(str(query[VIEW]))
        if out.view is None:
            out.ignored.append(VIEW)
    out.ignored.extend(sorted(k for k in query if k not in MAP_PARAMS and k != LANG))
    return out


def _value(f: Field, raw: str, options: LinkOptions) -> Value | None:
    """The widget value a parameter stands for, or ``None`` when it cannot be one."""
    if f.kind == "int":
        if not raw.isdigit() or len(raw) > 3:
            return None
        number = int(raw)
        return number if RADIUS_RANGE[0] <= number <= RADIUS_RANGE[1] else None
    if f.kind == "flag":
        return {"1": True, "0": False}.get(raw)
    if f.kind == "text":
        return raw if len(raw) <= MAX_QUERY_CHARS and raw.isprintable() else None
    allowed = options.options.get(f.widget, ())
    if f.kind == "one":
        return raw if raw in allowed else None
    items = _split(raw)
    if not items or any(i not in allowed for i in items) or len(set(items)) != len(items):
        return None if raw else []
    return items


def map_query(values: Mapping[str, object], options: LinkOptions,
              view: MapView | None = None) -> dict[str, str]:
    """The query parameters of the map page for the widget ``values`` (as the session has
    them): only those that differ from the default view, in a fixed order."""
    out: dict[str, str] = {}
    for f in FIELDS:
        value = values.get(f.widget, options.defaults.get(f.widget))
        default = options.defaults.get(f.widget)
        if value is None or _same(value, default):
            continue
        if f.kind == "flag":
            out[f.name] = "1" if value else "0"
        elif f.kind == "many":
            out[f.name] = LIST_SEPARATOR.join(str(v) for v in _items(value))
        elif f.kind == "text":
            if str(value).strip():
                out[f.name] = str(value)
        else:
            out[f.name] = str(value)
    if view is not None:
        out[VIEW] = view.text()
    return out


def _same(value: object, default: object) -> bool:
    if isinstance(value, list | tuple) or isinstance(default, list | tuple):
        return _items(value) == _items(default)
    return value == default


def _items(value: object) -> list[object]:
    """The items of a list widget's value (none for ``None`` or an empty value)."""
    return list(value) if isinstance(value, Iterable) and value else []


def read_lang(query: Mapping[str, str]) -> vocab.Lang | None:
    """The language a link asks for (``None``: it asks for none, or for one the app lacks)."""
    value = query.get(LANG)
    return next((lang for lang in vocab.LANGS if lang == value), None)
