"""Metric parameters and the counted-environment selection E, shared by metrics and governance.

E (DESIGN.md "Metrics") is the environments of the counted statuses and types that have
coordinates; :func:`counted_environments` is its one definition. The environments layer is parsed
once per territory into arrays (:func:`env_arrays`), which metrics and scenarios reuse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.core import lists, vocab
from smartmap.core.errors import Phrase
from smartmap.core.limits import RADIUS_KM_MAX, RADIUS_KM_MIN
from smartmap.core.problemtext import KeyedError, phrase
from smartmap.core.region import Region
from smartmap.core.vocab import EnvType, Level, Service, Status
from smartmap.data.layers import Territory
from smartmap.data.safety import preview

TYPE_IDS: tuple[str, ...] = vocab.values(EnvType)
SERVICE_IDS: tuple[str, ...] = vocab.values(Service)
LEVEL_IDS: tuple[str, ...] = vocab.values(Level)


_E = TypeVar("_E", bound=StrEnum)


class ParameterError(KeyedError, ValueError):
    """A metrics parameter is out of range or names an unknown term (a catalog text, keys
    ``pm_*``: ``str()`` English, :func:`~smartmap.core.problemtext.error_text` in a language)."""


def _enum_tuple(values: Iterable[object], enum: type[_E], what: Phrase) -> tuple[_E, ...]:
    if isinstance(values, str):
        values = [values]
    items = [str(v).strip() for v in values]
    unknown = [v for v in items if v not in enum._value2member_map_]
    if unknown:
        raise ParameterError(phrase(
            "pm_unknown_terms", what=what,
            values=preview(", ".join(repr(u) for u in unknown), 80)[1:-1],
            allowed=", ".join(vocab.values(enum))))
    if not items:
        raise ParameterError(phrase("pm_at_least_one", what=what))
    present = set(items)
    return tuple(m for m in enum if m.value in present)


@dataclass(frozen=True, init=False)
class MetricParams:
    """Parameters of every metric: radius, planned environments, counted types, core classes.

    >>> MetricParams(radius_km=5, env_types=["testbed", "incubator"]).env_types
    (<EnvType.INCUBATOR: 'incubator'>, <EnvType.TESTBED: 'testbed'>)
    >>> MetricParams(radius_km=0)
    Traceback (most recent call last):
    ...
    smartmap.analysis.params.ParameterError: radius_km must be a finite number from 0.1 to 100 km, got 0
    """

    radius_km: float = 10.0
    include_planned: bool = False
    env_types: tuple[EnvType, ...] | None = None
    """Counted environment types; ``None`` means all."""
    core_classes: tuple[str, ...] | None = None
    """Urban-core classes that are candidates for ``nearest_core`` and catchments; ``None`` means
    the region's default (the classes its manifest marks ``nearest``). Ids are checked against the
    region when the metrics run (:meth:`cores_for`)."""

    def __init__(self, radius_km: float = 10.0, include_planned: bool = False,
                 env_types: Iterable[str] | None = None,
                 core_classes: Iterable[str] | None = None) -> None:
        # the dataclass __init__, written out to say what it takes: type ids as text (kept as
        # EnvType members) and any iterable of ids; __post_init__ checks and normalises them
        for name, value in (("radius_km", radius_km), ("include_planned", include_planned),
                            ("env_types", env_types), ("core_classes", core_classes)):
            object.__setattr__(self, name, value)
        self.__post_init__()

    def __post_init__(self) -> None:
        object.__setattr__(self, "radius_km", radius_km(self.radius_km))
        if not isinstance(self.include_planned, bool):
            raise ParameterError(phrase("pm_planned_bool", value=repr(self.include_planned)))
        if self.env_types is not None:
            object.__setattr__(
                self, "env_types", _enum_tuple(self.env_types, EnvType, phrase("pm_env_types"))
            )
        if self.core_classes is not None:
            classes = [self.core_classes] if isinstance(self.core_classes, str) else self.core_classes
            items = tuple(dict.fromkeys(str(c).strip() for c in classes))
            if not items or not all(items):
                raise ParameterError(phrase("pm_one_core_class"))
            object.__setattr__(self, "core_classes", items)

    @property
    def radius_m(self) -> float:
        """The radius in metres (what distances are compared with)."""
        return 1000.0 * self.radius_km

    @property
    def statuses(self) -> tuple[str, ...]:
        """Counted statuses: active, plus planned when asked."""
        if self.include_planned:
            return (Status.ACTIVE.value, Status.PLANNED.value)
        return (Status.ACTIVE.value,)

    @property
    def types(self) -> tuple[str, ...]:
        """Counted environment type ids (all when ``env_types`` is None)."""
        return TYPE_IDS if self.env_types is None else tuple(t.value for t in self.env_types)

    def cores_for(self, region: Region) -> tuple[str, ...]:
        """The candidate core classes in the region's order; unknown ids raise ParameterError."""
        if self.core_classes is None:
            return region.nearest_core_classes
        unknown = [c for c in self.core_classes if c not in region.core_classes]
        if unknown:
            expected = ", ".join(region.core_classes.ids) or phrase("pm_no_classes")
            raise ParameterError(phrase("pm_unknown_core_classes",
                                        values=", ".join(repr(u) for u in unknown),
                                        allowed=expected))
        return tuple(c for c in region.core_classes.ids if c in self.core_classes)

    def describe(self, region: Region | None = None) -> str:
        """One line for reports and the CLI."""
        types = "all types" if self.env_types is None else ", ".join(self.types)
        if region is not None:
            classes = ", ".join(self.cores_for(region)) or "none"
        elif self.core_classes is None:
            classes = "the region's default"
        else:
            classes = ", ".join(self.core_classes)
        return (f"R = {self.radius_km:g} km; statuses: {', '.join(self.statuses)}; {types}; "
                f"core classes: {classes}")


def radius_km(value: object) -> float:
    """A catchment radius as a float in [RADIUS_KM_MIN, RADIUS_KM_MAX] km (``core.limits``).

    Refuses booleans, text, NaN, infinities, values out of range and integers too large for a
    float (``10**400``) with a :class:`ParameterError`, never an ``OverflowError``.
    """
    message = phrase("pm_radius", low=f"{RADIUS_KM_MIN:g}", high=f"{RADIUS_KM_MAX:g}",
                     value=preview(value, 40))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(message)
    try:
        r = float(value)
    except OverflowError:
        raise ParameterError(message) from None
    if not (math.isfinite(r) and RADIUS_KM_MIN <= r <= RADIUS_KM_MAX):
        raise ParameterError(message)
    return r


def located(geometry: gpd.GeoSeries | npt.NDArray[np.object_]) -> npt.NDArray[np.bool_]:
    """True where a geometry exists and is not empty."""
    values = geometry.values if isinstance(geometry, gpd.GeoSeries) else np.asarray(geometry)
    where: npt.NDArray[np.bool_] = ~(shapely.is_missing(values) | shapely.is_empty(values))
    return where


def _lookup(values: pd.Series, ids: Sequence[str]) -> npt.NDArray[np.int64]:
    """Index of each value in ``ids`` (-1 when absent or missing), via ``factorize``."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    where = {v: i for i, v in enumerate(ids)}
    table = np.array([where.get(str(u).strip(), -1) for u in uniques] + [-1], dtype=np.int64)
    return table[codes]


def _readonly(*arrays: np.ndarray) -> None:
    for a in arrays:
        a.setflags(write=False)


@dataclass(frozen=True)
class _EnvArrays:
    """The environments layer parsed once into arrays (cached per territory)."""

    located: npt.NDArray[np.bool_]
    status: npt.NDArray[np.int64]  # index into Status, -1 unknown
    type_idx: npt.NDArray[np.int64]
    level_idx: npt.NDArray[np.int64]
    muni: npt.NDArray[np.int64]  # municipality index (code order), -1: not a county municipality
    kommun: npt.NDArray[np.object_]
    areas: npt.NDArray[np.bool_]  # m x number of the region's areas
    services: npt.NDArray[np.bool_]  # m x 10
    geoms: npt.NDArray[np.object_]
    xy: npt.NDArray[np.float64]  # m x 2, NaN where not located


ENV_DEPENDS_ON: tuple[str, ...] = ("environments", "municipalities")


def parse_environments(env: pd.DataFrame, codes: Sequence[str], region: Region) -> _EnvArrays:
    """Environment rows as arrays (row by row: parsing a few rows gives the same values as
    parsing them within the whole layer, which the workshop's incremental metrics rely on).
    ``codes`` are the county's municipality codes in sorted order."""
    where = located(env.geometry)
    geoms = np.array(env.geometry.values, dtype=object, copy=True)
    xy = np.full((len(env), 2), np.nan)
    xy[where] = shapely.get_coordinates(geoms[where])
    arrays = _EnvArrays(
        located=where,
        status=_lookup(env["status"], vocab.values(Status)),
        type_idx=_lookup(env["env_type"], TYPE_IDS),
        level_idx=_lookup(env["governance_level"], LEVEL_IDS),
        muni=_lookup(env["kommun_kod"], list(codes)),
        kommun=env["kommun_kod"].to_numpy(dtype=object),
        areas=lists.membership(env["priority_areas"], region.area_ids),
        services=lists.membership(env["services"], SERVICE_IDS),
        geoms=geoms,
        xy=xy,
    )
    _readonly(*(getattr(arrays, f) for f in arrays.__dataclass_fields__))
    return arrays


def municipality_codes(territory: Territory) -> npt.NDArray[np.object_]:
    """The county's municipality codes, sorted (the metrics' row order)."""
    return np.sort(territory.municipalities["kommun_kod"].to_numpy(dtype=object))


def _env_arrays(territory: Territory) -> _EnvArrays:
    def build(t: Territory) -> _EnvArrays:
        return parse_environments(t.environments, list(municipality_codes(t)), t.region)

    return territory.cached(("metrics_environments",), ENV_DEPENDS_ON, build)


def counted_mask(arrays: _EnvArrays, params: MetricParams) -> npt.NDArray[np.bool_]:
    """Which rows of parsed environments are in E (located, counted status and type)."""
    return _counted_mask(arrays, params)


def _counted_mask(arrays: _EnvArrays, params: MetricParams) -> npt.NDArray[np.bool_]:
    statuses = [vocab.values(Status).index(s) for s in params.statuses]
    types = [TYPE_IDS.index(t) for t in params.types]
    return arrays.located & np.isin(arrays.status, statuses) & np.isin(arrays.type_idx, types)


@dataclass(frozen=True)
class _Environments:
    """E: the counted environments as arrays (rows of the layer selected by ``rows``)."""

    rows: npt.NDArray[np.intp]
    geoms: npt.NDArray[np.object_]
    xy: npt.NDArray[np.float64]
    muni: npt.NDArray[np.int64]
    kommun: npt.NDArray[np.object_]
    type_idx: npt.NDArray[np.int64]
    level_idx: npt.NDArray[np.int64]
    areas: npt.NDArray[np.bool_]
    services: npt.NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.rows)

    @property
    def sets(self) -> npt.NDArray[np.bool_]:
        """n x (areas + 1) membership of E_a for the region's areas and any."""
        return np.column_stack([self.areas, np.ones(self.n, dtype=bool)])

    def levels_frame(self) -> pd.DataFrame:
        """``kommun_kod`` and ``governance_level`` of E (what governance needs)."""
        names = np.array([*LEVEL_IDS, ""], dtype=object)
        return pd.DataFrame({"kommun_kod": self.kommun, "governance_level": names[self.level_idx]})


def counted_environments(territory: Territory, params: MetricParams | None = None) -> gpd.GeoDataFrame:
    """E: environments of the counted statuses and types that have coordinates."""
    params = params or MetricParams()
    return territory.environments.iloc[_counted_mask(_env_arrays(territory), params)]


def _environments(territory: Territory, params: MetricParams) -> _Environments:
    arrays = _env_arrays(territory)
    rows = np.flatnonzero(_counted_mask(arrays, params))
    return _Environments(
        rows=rows, geoms=arrays.geoms[rows], xy=arrays.xy[rows], muni=arrays.muni[rows],
        kommun=arrays.kommun[rows], type_idx=arrays.type_idx[rows],
        level_idx=arrays.level_idx[rows],
        areas=arrays.areas[rows], services=arrays.services[rows],
    )
