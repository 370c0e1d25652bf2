"""Territorial coverage metrics: the smart-mapping numbers of DESIGN.md ("Metrics").

Everything is a pure function of a :class:`~smartmap.data.layers.Territory` and :class:`MetricParams`
(plus, optionally, another weighted population layer). The counted environments E are those with
status ``active`` (plus ``planned`` when asked), of the counted types, with coordinates; E_a are
those tagged with priority area a, E_any = E. Distances are straight lines in EPSG:3006 (metres);
they are reported in km and compared with the radius in metres (``d <= 1000 * R``).

The tables (docs/metrics.md states every definition and its caveats):

- :func:`municipality_metrics`: one row per municipality, :func:`municipality_columns`.
- :func:`county_kpis`: coverage, weighted distance, concentration, white spots per area.
- :func:`radius_curve`: county coverage per area for R = 1..50 km.
- :func:`service_coverage` and :func:`service_levels`: the Cohes3ion services view.
- :func:`core_catchments` and :func:`catchment_points`: the regional urban cores.
- :func:`smart_priorities`: counts, location quotients, niches and gaps (municipality x area).
- :func:`compute_metrics`: all of them at once, sharing one distance computation.

Fast by construction: nearest distances come from a k-d tree over each environment set
(:mod:`smartmap.analysis.nearest`), aggregation from ``numpy.bincount``; nothing loops over geometries in
Python (:func:`point_distances` and :func:`group_shares` are the hot kernel). The population model is cached on the territory, so recomputing after an edit of the
environments (a scenario) only redoes the environment side.

>>> from smartmap.data.layers import load_territory
>>> table = municipality_metrics(load_territory())
>>> len(table), list(table.columns) == list(municipality_columns(load_territory().region))
(26, True)
>>> table.set_index("kommun_kod").loc["0180", "cov_any"]
np.float64(1.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeAlias, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.analysis import catalog, rules
from smartmap.analysis.governance import municipality_levels
from smartmap.analysis.nearest import nearest_distances, nearest_distances_xy, nearest_lowest  # noqa: F401
from smartmap.analysis.params import (  # noqa: F401  (metrics' callers may import them from here too)
    ENV_DEPENDS_ON,
    LEVEL_IDS,
    SERVICE_IDS,
    TYPE_IDS,
    MetricParams,
    ParameterError,
    _env_arrays,
    _Environments,
    _environments,
    _lookup,
    _readonly,
    counted_environments,
    located,
)
from smartmap.core import lists, vocab
from smartmap.core.atomic import atomic_target
from smartmap.core.errors import Problem, SmartmapError, file_row
from smartmap.core.problemtext import keyed
from smartmap.core.region import Region
from smartmap.core.settings import ANALYSIS_CRS
from smartmap.core.vocab import Status
from smartmap.data.layers import LAYERS, Territory
from smartmap.data.popsources import region_source
from smartmap.data.population import (
    PopulationSource,
    population_model,
    source_depends_on,
    source_key,
)

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""Distances in metres, weights, shares and their sums."""
BoolArray: TypeAlias = npt.NDArray[np.bool_]
"""Memberships (an environment in a set) and masks."""

Population: TypeAlias = gpd.GeoDataFrame | PopulationSource | None
"""What the metrics weigh distances by: None (the shipped points model), a population source
(:mod:`smartmap.data.popsources`: grid, areas ...) or a ready weighted point layer."""

KEY_COLUMNS: tuple[str, ...] = ("kommun_kod", "kommun")
"""Identify the municipality; every per-municipality table starts with them."""



def metric_columns(region: Region) -> tuple[str, ...]:
    """The DESIGN.md metric columns for a region's areas, in the catalogue's order
    (:data:`smartmap.analysis.catalog.MUNICIPALITY_METRICS`; ``has_env_any`` = ``n_env > 0``).

    >>> from smartmap.core.region import Region, Label
    >>> metric_columns(Region("99", Label("T", "T")))[-6:]
    ('has_env_any', 'nearest_core', 'dist_core_km', 'member_cores', 'levels_local', 'levels_all')
    """
    return tuple(c for entry in catalog.MUNICIPALITY_METRICS for c in entry.columns(region))


def municipality_columns(region: Region) -> tuple[str, ...]:
    """Columns of :func:`municipality_metrics`, in order; none ever disappears."""
    return (*KEY_COLUMNS, *metric_columns(region))


ColumnDtype: TypeAlias = Literal["Int64", "int64", "boolean", "bool", "str", "float64"]
"""The dtypes of the municipality table (``boolean``, ``Int64``: nullable)."""


def _dtype(column: str) -> ColumnDtype:
    if column == "population":
        return "Int64"
    if column.startswith("n_env"):
        return "int64"
    if column.startswith("white_spot_"):
        return "boolean"
    if column.startswith("has_env_"):
        return "bool"
    if column in (*KEY_COLUMNS, "nearest_core", "member_cores", "levels_local", "levels_all"):
        return "str"
    return "float64"


def column_dtypes(region: Region) -> dict[str, ColumnDtype]:
    """dtype of every column of the municipality table (``boolean`` = nullable, NA allowed)."""
    return {c: _dtype(c) for c in municipality_columns(region)}

NA_STRING_COLUMNS: tuple[str, ...] = ("nearest_core",)
"""String columns that are NA (not ``""``) when empty."""

COUNTY_COLUMNS: tuple[str, ...] = (
    "area", "radius_km", "n_env", "population", "cov", "dist_km", "largest_kommun_kod",
    "largest_kommun", "largest_share", "herfindahl", "n_white_spots", "white_spots",
)


def core_columns(region: Region) -> tuple[str, ...]:
    """Columns of :func:`core_catchments`, in order."""
    return (
        "core_id", "name", "core_class", "kommun_koder", "catchment_population",
        "catchment_share", "catchment_points", "catchment_kommun_koder", "n_env",
        *(f"n_env_{a}" for a in region.area_ids),
    )

PRIORITY_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "area", "n_env_area", "n_env", "lq", "niche", "population", "cov",
    "gap",
)
SERVICE_COLUMNS: tuple[str, ...] = (*KEY_COLUMNS, *(f"cov_{s}" for s in SERVICE_IDS))
SERVICE_LEVEL_COLUMNS: tuple[str, ...] = ("service", *LEVEL_IDS, "n_env", "cov_county")

RADII_KM: tuple[int, ...] = tuple(range(1, 51))


# ---------------------------------------------------------------------------------------------
# kernels


def bin_sums(bins: npt.NDArray[np.integer], weights: npt.ArrayLike, n_bins: int) -> FloatArray:
    """The sum of the weights in each bin (``np.bincount`` with weights, ``minlength=n_bins``).

    >>> bin_sums(np.array([0, 2, 2]), np.array([1.5, 1.0, 2.0]), 4).tolist()
    [1.5, 0.0, 3.0, 0.0]
    """
    # numpy's stubs type every bincount as integer counts; with weights it sums them as floats
    return cast(FloatArray, np.bincount(bins, weights=weights, minlength=n_bins))


def _group_sum(group: npt.NDArray[np.integer], values: FloatArray, n_groups: int,
               flat: npt.NDArray[np.integer] | None = None) -> FloatArray:
    """Column-wise sums of ``values`` (n x k) per group (n,): an n_groups x k matrix.

    One ``bincount`` over (group, column) pairs: sums in row order, so results are reproducible.
    ``flat`` is :func:`group_index` of the groups when the caller has it.
    """
    k = values.shape[1]
    if flat is None:
        flat = group_index(group, k)
    sums = bin_sums(flat, values.ravel(), n_groups * k)
    return sums.reshape(n_groups, k)


def group_index(group: npt.NDArray[np.integer], k: int) -> npt.NDArray[np.integer]:
    """The flat (group, column) bin of every element of an n x k array (for ``_group_sum``)."""
    return (group[:, None] * k + np.arange(k)[None, :]).ravel()


def any_per_column(matrix: BoolArray) -> BoolArray:
    """Whether each column of an n x k matrix has a true value (``matrix.any(axis=0)``).

    >>> any_per_column(np.array([[True, False], [False, False]])).tolist()
    [True, False]
    """
    # numpy's stubs type any(axis=...) as a scalar or an array: they do not know the matrix is 2-D
    return cast(BoolArray, matrix.any(axis=0))


def point_distances(points_xy: FloatArray, env_xy: FloatArray, membership: BoolArray) -> FloatArray:
    """n_points x k metres from each point to the nearest environment of each set (``inf`` when
    the set is empty). ``membership`` (n_env x k, bool) says which environments form each set."""
    out = np.empty((len(points_xy), membership.shape[1]))
    for j in range(membership.shape[1]):  # one k-d tree search per set (5 or 10 sets)
        out[:, j] = nearest_distances_xy(points_xy, env_xy[membership[:, j]])
    return out


def weighted_sums(dist: FloatArray, weight: FloatArray,
                  radius_m: float) -> tuple[FloatArray, FloatArray]:
    """Per point and set: the weight when within ``radius_m`` (else 0), and weight x distance
    (0 for an empty set): what coverage shares and mean distances sum, per municipality and
    for the county."""
    w = weight[:, None]
    return np.where(dist <= radius_m, w, 0.0), w * np.where(np.isfinite(dist), dist, 0.0)


def group_shares(dist: FloatArray, weight: FloatArray, group: npt.NDArray[np.integer],
                 defined: BoolArray, nonempty: BoolArray, radius_m: float,
                 sums: tuple[FloatArray, FloatArray] | None = None,
                 flat: npt.NDArray[np.integer] | None = None) -> tuple[FloatArray, FloatArray]:
    """Per group (municipality) and set: the weighted share of points with ``dist <= radius_m``
    and the weighted mean distance in km.

    ``dist`` is n_points x k metres, ``group`` the group index of each point, ``defined`` says
    which groups have a population (others get NA), ``nonempty`` which sets have members (the mean
    distance to an empty set is NA, its coverage 0). Sums run in point order (reproducible).
    ``sums`` (:func:`weighted_sums`) and ``flat`` (:func:`group_index`) when already computed.
    """
    n_groups = len(defined)
    covered, weighted = sums if sums is not None else weighted_sums(dist, weight, radius_m)
    cov_sum = _group_sum(group, covered, n_groups, flat)
    dist_sum = _group_sum(group, weighted, n_groups, flat)
    total = bin_sums(group, weight, n_groups)[:, None]
    ok = defined[:, None] & (total > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(ok, np.minimum(cov_sum / total, 1.0), np.nan)  # float steps above 1
        dist_km = np.where(ok & nonempty[None, :], dist_sum / total / 1000.0, np.nan)
    return cov, dist_km


# ---------------------------------------------------------------------------------------------
# inputs: population arrays (cached) and counted environments


@dataclass(frozen=True)
class _Population:
    codes: npt.NDArray[np.object_]
    names: npt.NDArray[np.object_]
    population: FloatArray  # municipal P, NaN when missing
    frame: gpd.GeoDataFrame  # the weighted points used, canonical order
    geoms: npt.NDArray[np.object_]
    xy: FloatArray
    weight: FloatArray
    muni: npt.NDArray[np.intp]
    total: FloatArray  # sum of weights per municipality
    mean_points: npt.NDArray[np.object_]  # population-weighted mean point per municipality
    problems: tuple[Problem, ...]

    @property
    def n(self) -> int:
        return len(self.codes)

    @property
    def pop_ok(self) -> BoolArray:
        """Municipalities whose shares are defined: population > 0 and weighted points."""
        return (self.population > 0) & (self.total > 0)


def _build_population(territory: Territory, points: gpd.GeoDataFrame,
                      problems: Sequence[Problem]) -> _Population:
    missing = {"kommun_kod", "weight", "geometry"} - set(points.columns)
    if missing:
        raise ParameterError(f"population layer lacks column(s) {sorted(missing)}")
    if points.crs is not None and points.crs.to_epsg() != 3006:
        points = points.to_crs(ANALYSIS_CRS)
    muni = territory.municipalities
    order = np.argsort(muni["kommun_kod"].astype("str").to_numpy(), kind="stable")
    muni = muni.iloc[order].reset_index(drop=True)
    codes = muni["kommun_kod"].astype("str").to_numpy()
    names = muni["kommun"].astype("str").to_numpy()
    big_p = muni["population"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    weight = pd.to_numeric(points["weight"], errors="coerce").to_numpy(dtype="float64",
                                                                       na_value=np.nan)
    if not np.all(np.isfinite(weight) & (weight >= 0)):
        raise ParameterError("population weights must be finite numbers >= 0")
    mi = pd.Index(codes).get_indexer(points["kommun_kod"].astype("str"))
    ok = located(points.geometry) & (mi >= 0)
    problems = list(problems)
    dropped = int((~ok).sum())
    if dropped:
        problems.append(keyed("population", None, None, "points_dropped", None, "warning",
                              n=dropped))
    frame = points.loc[ok]
    xy = shapely.get_coordinates(frame.geometry.values)
    keys = [frame["weight"].to_numpy(dtype="float64"), xy[:, 1], xy[:, 0],
            frame["kommun_kod"].to_numpy(dtype=str)]
    if "point_id" in frame.columns:
        keys.insert(0, frame["point_id"].astype("str").to_numpy())
    sort = np.lexsort(keys)
    frame = frame.iloc[sort].reset_index(drop=True)
    xy = xy[sort]
    weight = frame["weight"].to_numpy(dtype="float64").copy()
    mi = pd.Index(codes).get_indexer(frame["kommun_kod"].astype("str"))
    n = len(codes)
    total = bin_sums(mi, weight, n)
    count = np.bincount(mi, minlength=n)
    wx = bin_sums(mi, weight * xy[:, 0], n)
    wy = bin_sums(mi, weight * xy[:, 1], n)
    sx = bin_sums(mi, xy[:, 0], n)
    sy = bin_sums(mi, xy[:, 1], n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(total > 0, wx / total, sx / count)
        my = np.where(total > 0, wy / total, sy / count)
    empty = count == 0
    if empty.any():
        rep = shapely.get_coordinates(shapely.point_on_surface(muni.geometry.values[empty]))
        mx[empty], my[empty] = rep[:, 0], rep[:, 1]
    geoms = np.array(frame.geometry.values, dtype=object, copy=True)
    codes, names = codes.copy(), names.copy()
    mean_points = np.asarray(shapely.points(mx, my) if n else np.array([], dtype=object),
                             dtype=object)
    xy = np.ascontiguousarray(xy)
    _readonly(codes, names, big_p, geoms, xy, weight, mi, total, mean_points)
    return _Population(codes, names, big_p, frame, geoms, xy, weight, mi, total, mean_points,
                       tuple(problems))


def _population(territory: Territory, population: Population) -> _Population:
    if population is None:
        population = region_source(territory)
    if isinstance(population, gpd.GeoDataFrame):
        return _build_population(territory, population, ())

    def build(t: Territory) -> _Population:
        model = population_model(t, population)
        return _build_population(t, model.points, model.problems)

    key = source_key(population)
    if key is None:
        return build(territory)
    return territory.cached(("metrics_population", key), source_depends_on(population), build)


def _environment_problems(territory: Territory, params: MetricParams,
                          env: _Environments) -> list[Problem]:
    problems = []
    spec = LAYERS["environments"]
    frame = territory.environments
    arrays = _env_arrays(territory)
    unlocated = (np.isin(arrays.status, [vocab.values(Status).index(s) for s in params.statuses])
                 & np.isin(arrays.type_idx, [TYPE_IDS.index(t) for t in params.types])
                 & ~arrays.located)
    ids = frame["id"].to_numpy(dtype=object)
    for pos in np.flatnonzero(unlocated):
        problems.append(keyed(spec.file, file_row(frame.index[pos]), "lat/lon",
                              "env_no_coordinates", "exp_lat_lon", "warning", str(ids[pos])))
    for pos in env.rows[env.muni < 0]:
        problems.append(keyed(spec.file, file_row(frame.index[pos]), "kommun_kod",
                              "env_code_not_in_county", None, "warning", str(ids[pos]),
                              code=repr(arrays.kommun[pos])))
    return problems


# ---------------------------------------------------------------------------------------------
# the shared computation


class MetricsContext:
    """Inputs and distances shared by every table for one (territory, params, population)."""

    def __init__(self, territory: Territory, params: MetricParams | None = None,
                 population: Population = None):
        self.territory = territory
        self.region = territory.region
        self.area_ids = self.region.area_ids
        self.areas_and_any = self.region.areas_and_any
        self.params = params or MetricParams()
        self.core_classes = self.params.cores_for(self.region)
        self.pop = _population(territory, population)
        self.env = _environments(territory, self.params)

    @cached_property
    def area_dist(self) -> FloatArray:
        """n_points x (areas + 1): metres to the nearest member of E_a (areas, then any); inf when
        empty."""
        sets = self.env.sets
        return self._distances(sets)

    @cached_property
    def service_dist(self) -> FloatArray:
        """n_points x 10: metres to the nearest counted environment offering each service."""
        return self._distances(self.env.services)

    def _distances(self, membership: BoolArray) -> FloatArray:
        return point_distances(self.pop.xy, self.env.xy, membership)

    @cached_property
    def counts(self) -> dict[str, npt.NDArray[np.int64]]:
        """Per-municipality counts: n_env, by type (n x types) and by area (n x areas)."""
        n = self.pop.n
        inside = self.env.muni >= 0
        mi = self.env.muni[inside]
        types = np.zeros((n, len(TYPE_IDS)), dtype=np.int64)
        np.add.at(types, (mi, self.env.type_idx[inside]), 1)
        areas = _group_sum(mi, self.env.areas[inside].astype(np.float64), n).astype(np.int64)
        return {"n_env": np.bincount(mi, minlength=n).astype(np.int64), "types": types,
                "areas": areas}

    def _sums(self, dist: FloatArray, radius_m: float) -> tuple[FloatArray, FloatArray]:
        """:func:`weighted_sums` of ``dist``, computed once per distance array and radius (the
        municipal and the county shares add the same arrays)."""
        memo: dict[tuple[int, float], tuple[FloatArray, tuple[FloatArray, FloatArray]]]
        memo = self.__dict__.setdefault("_sums_memo", {})
        key = (id(dist), radius_m)
        if key not in memo:
            memo[key] = (dist, weighted_sums(dist, self.pop.weight, radius_m))
        return memo[key][1]

    def shares(self, dist: FloatArray, nonempty: BoolArray,
               radius_m: float | None = None) -> tuple[FloatArray, FloatArray]:
        """Per-municipality coverage share and weighted mean distance (km) for each column."""
        radius_m = self.params.radius_m if radius_m is None else radius_m
        flat = self.__dict__.get("_flat") if dist.shape[1] == self.__dict__.get("_flat_k") else None
        return group_shares(dist, self.pop.weight, self.pop.muni, self.pop.pop_ok, nonempty,
                            radius_m, self._sums(dist, radius_m), flat)

    def county_shares(self, dist: FloatArray, nonempty: BoolArray,
                      radius_m: float | None = None) -> tuple[FloatArray, FloatArray]:
        """County coverage share and weighted mean distance (km) for each column."""
        radius_m = self.params.radius_m if radius_m is None else radius_m
        w = self.pop.weight
        total = float(w.sum())
        covered_w, weighted = self._sums(dist, radius_m)
        covered = covered_w.sum(axis=0)
        finite = weighted.sum(axis=0)
        if total <= 0:
            nan = np.full(dist.shape[1], np.nan)
            return nan, nan
        # the covered and the total sums add the same weights in another order: a share may
        # come out one float step above 1, which no share can be
        share = np.minimum(covered / total, 1.0)
        return share, np.where(nonempty, finite / total / 1000.0, np.nan)

    @cached_property
    def area_nonempty(self) -> BoolArray:
        return any_per_column(self.env.sets)

    @cached_property
    def env_totals(self) -> tuple[int, npt.NDArray[np.int64]]:
        """|E| and |E_a| for the region's areas (the county counts behind LQs and shares)."""
        return self.env.n, self.env.areas.sum(axis=0)

    @cached_property
    def area_shares(self) -> tuple[FloatArray, FloatArray]:
        return self.shares(self.area_dist, self.area_nonempty)

    @cached_property
    def core_points(self) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
        """Ids and points of the candidate cores, sorted by core id."""
        return _candidate_cores(self.territory, self.core_classes)

    @cached_property
    def mean_point_core(self) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Nearest candidate core of each municipality's population-weighted mean point."""
        return nearest_lowest(self.pop.mean_points, self.core_points[1])

    @cached_property
    def levels(self) -> pd.DataFrame:
        """``levels_local`` / ``levels_all`` of every municipality (code order)."""
        return municipality_levels(self.territory, self.env.levels_frame())

    @cached_property
    def point_core(self) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Nearest candidate core of each population point (index into :attr:`core_points`)."""
        return nearest_lowest(self.pop.geoms, self.core_points[1])

    def problems(self) -> list[Problem]:
        """What the metrics skipped: unlocated environments and cores, dropped population points."""
        out = list(self.pop.problems)
        out += _environment_problems(self.territory, self.params, self.env)
        spec = LAYERS["urban_cores"]
        cores = self.territory.urban_cores
        cand = cores["core_class"].isin(list(self.core_classes)).to_numpy()
        for idx in cores.index[cand & ~located(cores.geometry)]:
            out.append(keyed(spec.file, file_row(idx), "lat/lon", "core_no_coordinates",
                             "exp_lat_lon", "warning", str(cores.at[idx, "core_id"])))
        return out


def _context(territory: Territory, params: MetricParams | None,
             population: Population) -> MetricsContext:
    return MetricsContext(territory, params, population)


# ---------------------------------------------------------------------------------------------
# the tables


def member_cores(territory: Territory) -> pd.Series[str]:
    """Per municipality code: the cores (any class) whose ``kommun_koder`` list it, ``;``-joined.

    Ordered by core class (the region's order), then core id. Cached per territory (it depends only
    on the urban cores and the municipalities).
    """
    def build(t: Territory) -> pd.Series[str]:
        cores = t.urban_cores
        codes = np.sort(t.municipalities["kommun_kod"].to_numpy(dtype=object))
        classes = t.region.core_classes.ids
        rows = sorted(
            zip(cores["core_class"].to_numpy(dtype=object), cores["core_id"].to_numpy(dtype=object),
                cores["kommun_koder"].to_numpy(dtype=object), strict=True),
            key=lambda r: (classes.index(r[0]) if r[0] in classes else len(classes), str(r[1])),
        )
        listed: dict[str, list[str]] = {str(c): [] for c in codes}
        for _, core_id, koder in rows:
            for code in lists.split(koder):
                if code in listed:
                    listed[code].append(str(core_id))
        return pd.Series([lists.join(v) for v in listed.values()],
                         index=pd.Index(list(listed), dtype="str"), name="member_cores", dtype="str")

    return territory.cached(("member_cores",), ("urban_cores", "municipalities"), build).copy()


def _candidate_cores(territory: Territory, classes: tuple[str, ...]
                     ) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Ids and points of the cores of the candidate classes with coordinates, sorted by id."""
    def build(t: Territory) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
        cores = t.urban_cores
        keep = cores["core_class"].isin(list(classes)).to_numpy() & located(
            cores.geometry)
        ids = cores["core_id"].to_numpy(dtype=object)[keep]
        geoms = np.array(cores.geometry.values, dtype=object)[keep]
        order = np.argsort(ids.astype(str), kind="stable")
        ids, geoms = ids[order], geoms[order]
        _readonly(ids, geoms)
        return ids, geoms

    return territory.cached(("candidate_cores", classes), ("urban_cores",), build)


Column = np.ndarray | pd.api.extensions.ExtensionArray
Compute = Callable[["MetricsContext"], Column | Sequence[Column]]
"""A metric's computation: one array (one value per municipality, code order), or for a family
one array per key (:meth:`smartmap.analysis.catalog.MetricInfo.keys`)."""

_COMPUTE: dict[str, Compute] = {}


def computes(key: str) -> Callable[[Compute], Compute]:
    """Register the computation of the catalogue entry ``key`` (a column, or ``<prefix>{<over>}``)."""
    def register(fn: Compute) -> Compute:
        _COMPUTE[key] = fn
        return fn
    return register


@computes("population")
def _population_column(ctx: MetricsContext) -> Column:
    p = ctx.pop.population
    return pd.arrays.IntegerArray(np.nan_to_num(p).round().astype(np.int64), np.isnan(p))


@computes("n_env")
def _n_env(ctx: MetricsContext) -> Column:
    return ctx.counts["n_env"]


@computes("n_env_{types}")
def _n_env_types(ctx: MetricsContext) -> Sequence[Column]:
    return list(ctx.counts["types"].T)


@computes("n_env_{areas}")
def _n_env_areas(ctx: MetricsContext) -> Sequence[Column]:
    return list(ctx.counts["areas"].T)


@computes("env_per_100k")
def _env_per_100k(ctx: MetricsContext) -> Column:
    pop = ctx.pop.population
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(pop > 0, 100000.0 * ctx.counts["n_env"] / pop, np.nan)


@computes("dist_km_{areas_any}")
def _dist_km(ctx: MetricsContext) -> Sequence[Column]:
    return list(ctx.area_shares[1].T)


@computes("cov_{areas_any}")
def _cov(ctx: MetricsContext) -> Sequence[Column]:
    return list(ctx.area_shares[0].T)


@computes("white_spot_{areas_any}")
def _white_spot(ctx: MetricsContext) -> Sequence[Column]:
    cov, ok = ctx.area_shares[0], ctx.pop.pop_ok
    return [pd.arrays.BooleanArray(np.where(ok, c == 0, False), ~ok) for c in cov.T]


@computes("has_env_{areas_any}")
def _has_env(ctx: MetricsContext) -> Sequence[Column]:
    counts = ctx.counts
    return list(np.column_stack([counts["areas"] > 0, counts["n_env"] > 0]).T)


@computes("lq_{areas}")
def _lq(ctx: MetricsContext) -> Sequence[Column]:
    n_env, by_area = ctx.counts["n_env"], ctx.counts["areas"]
    big_n, big_na = ctx.env_totals
    out = []
    for j in range(by_area.shape[1]):
        with np.errstate(invalid="ignore", divide="ignore"):
            lq = (by_area[:, j] / n_env) / (big_na[j] / big_n) if big_n else np.nan
        out.append(np.where((n_env > 0) & (big_na[j] > 0), lq, np.nan))
    return out


@computes("nearest_core")
def _nearest_core(ctx: MetricsContext) -> Column:
    return np.array([*ctx.core_points[0], np.nan], dtype=object)[ctx.mean_point_core[0]]


@computes("dist_core_km")
def _dist_core_km(ctx: MetricsContext) -> Column:
    return ctx.mean_point_core[1] / 1000.0


@computes("member_cores")
def _member_cores(ctx: MetricsContext) -> Column:
    return member_cores(ctx.territory).reindex(ctx.pop.codes).to_numpy(dtype=object)


@computes("levels_local")
def _levels_local(ctx: MetricsContext) -> Column:
    return ctx.levels["levels_local"].to_numpy(dtype=object)


@computes("levels_all")
def _levels_all(ctx: MetricsContext) -> Column:
    return ctx.levels["levels_all"].to_numpy(dtype=object)


def _municipality_table(ctx: MetricsContext) -> pd.DataFrame:
    """The catalogue's columns in order, each from its registered computation."""
    cols: dict[str, object] = {"kommun_kod": ctx.pop.codes, "kommun": ctx.pop.names}
    for entry in catalog.MUNICIPALITY_METRICS:
        try:
            compute = _COMPUTE[entry.key]
        except KeyError:
            raise NotImplementedError(f"metric {entry.key!r} is catalogued but has no "
                                      "computation (register one with @computes)") from None
        values = compute(ctx)
        names = entry.columns(ctx.region)
        if entry.over is None:
            cols[names[0]] = values
        else:
            if len(values) != len(names):
                raise ValueError(f"{entry.key}: {len(values)} columns for {len(names)} keys")
            cols.update(zip(names, values, strict=True))
    return pd.DataFrame(cols)


def municipality_metrics(territory: Territory, params: MetricParams | None = None,
                         population: Population = None) -> pd.DataFrame:
    """The per-municipality table: one row per municipality in code order, :func:`municipality_columns`.

    ``population`` replaces the shipped population model by another population source (a grid or
    areas: :func:`smartmap.data.popsources.population_source_from_spec`; cached on the territory
    like the shipped model) or by any weighted point layer with ``kommun_kod``, ``weight`` and
    point geometry.
    """
    return _municipality_table(_context(territory, params, population))


def _county_table(ctx: MetricsContext, table: pd.DataFrame) -> pd.DataFrame:
    cov, dist_km = ctx.county_shares(ctx.area_dist, ctx.area_nonempty)
    counts = ctx.counts
    per_muni = np.column_stack([counts["areas"], counts["n_env"]])
    big_n, big_na = ctx.env_totals
    totals = np.append(big_na, big_n)
    rows = []
    for j, a in enumerate(ctx.areas_and_any):
        big_n = int(totals[j])
        ws = table[f"white_spot_{a}"].fillna(False).to_numpy(dtype=bool)
        row = {"area": a, "radius_km": ctx.params.radius_km, "n_env": big_n,
               "population": float(ctx.pop.weight.sum()), "cov": cov[j], "dist_km": dist_km[j],
               "largest_kommun_kod": None, "largest_kommun": None, "largest_share": np.nan,
               "herfindahl": np.nan, "n_white_spots": int(ws.sum()),
               "white_spots": lists.join(ctx.pop.codes[ws])}
        if big_n:
            share = per_muni[:, j] / big_n
            top = int(np.argmax(per_muni[:, j]))
            row.update(largest_kommun_kod=ctx.pop.codes[top], largest_kommun=ctx.pop.names[top],
                       largest_share=share[top], herfindahl=float(np.sum(share ** 2)))
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(COUNTY_COLUMNS))
    return out.astype({"largest_kommun_kod": "str", "largest_kommun": "str", "area": "str",
                       "white_spots": "str"})


def county_kpis(territory: Territory, params: MetricParams | None = None,
                population: Population = None) -> pd.DataFrame:
    """County KPIs, one row per area (the region's areas and ``any``): :data:`COUNTY_COLUMNS`.

    ``cov``/``dist_km`` over the county population; concentration of E_a over municipalities
    (``largest_share``, ``herfindahl``); white-spot municipalities (``white_spot_<a>`` true).
    """
    ctx = _context(territory, params, population)
    return _county_table(ctx, _municipality_table(ctx))


def _radius_table(ctx: MetricsContext, radii: Iterable[float]) -> pd.DataFrame:
    radii = [float(r) for r in radii]
    if any(not math.isfinite(r) or r <= 0 for r in radii):
        raise ParameterError("every radius must be a finite number > 0")
    rows = [ctx.county_shares(ctx.area_dist, ctx.area_nonempty, 1000.0 * r)[0] for r in radii]
    data = np.vstack(rows) if rows else np.zeros((0, len(ctx.areas_and_any)))
    out = pd.DataFrame(data, columns=[f"cov_{a}" for a in ctx.areas_and_any])
    out.insert(0, "radius_km", radii)
    return out


def radius_curve(territory: Territory, params: MetricParams | None = None,
                 population: Population = None,
                 radii: Iterable[float] = RADII_KM) -> pd.DataFrame:
    """County coverage per area (``cov_<a>``) for each radius in km (default 1..50)."""
    return _radius_table(_context(territory, params, population), radii)


def _service_table(ctx: MetricsContext) -> pd.DataFrame:
    nonempty = any_per_column(ctx.env.services)
    cov, _ = ctx.shares(ctx.service_dist, nonempty)
    cols: dict[str, object] = {"kommun_kod": ctx.pop.codes, "kommun": ctx.pop.names}
    for j, s in enumerate(SERVICE_IDS):
        cols[f"cov_{s}"] = cov[:, j]
    return pd.DataFrame(cols).astype({"kommun_kod": "str", "kommun": "str"})


def service_coverage(territory: Territory, params: MetricParams | None = None,
                     population: Population = None) -> pd.DataFrame:
    """Municipality x service: share of the population within R of a counted environment offering
    the service (``cov_<service>``; 0 when none offers it, NA when the population is 0/missing)."""
    return _service_table(_context(territory, params, population))


def _service_level_table(ctx: MetricsContext) -> pd.DataFrame:
    svc = ctx.env.services
    lv = ctx.env.level_idx
    counts = np.zeros((len(SERVICE_IDS), len(LEVEL_IDS)), dtype=np.int64)
    rows, cols = np.nonzero(svc.T)
    ok = lv[cols] >= 0
    np.add.at(counts, (rows[ok], lv[cols][ok]), 1)
    cov, _ = ctx.county_shares(ctx.service_dist, any_per_column(svc))
    out = pd.DataFrame(counts, columns=list(LEVEL_IDS))
    out.insert(0, "service", list(SERVICE_IDS))
    out["n_env"] = svc.sum(axis=0).astype(np.int64)
    out["cov_county"] = cov
    return out.astype({"service": "str"})


def service_levels(territory: Territory, params: MetricParams | None = None,
                   population: Population = None) -> pd.DataFrame:
    """Service x governance level: how many counted environments of each level offer each service,
    with ``n_env`` (all levels) and ``cov_county`` (county population share within R)."""
    return _service_level_table(_context(territory, params, population))


def _core_table(ctx: MetricsContext) -> pd.DataFrame:
    ids, core_geoms = ctx.core_points
    k = len(ids)
    idx, _ = ctx.point_core
    has = idx >= 0
    catch = bin_sums(idx[has], ctx.pop.weight[has], k)
    npts = np.bincount(idx[has], minlength=k)
    total = float(ctx.pop.weight.sum())
    seen = np.zeros((k, ctx.pop.n), dtype=bool)
    seen[idx[has], ctx.pop.muni[has]] = True
    catch_codes = [lists.join(ctx.pop.codes[row]) for row in seen]
    within = np.zeros((k, len(ctx.areas_and_any)), dtype=np.int64)
    if k and ctx.env.n:
        tree = shapely.STRtree(ctx.env.geoms)
        ci, ei = tree.query(core_geoms, predicate="dwithin", distance=ctx.params.radius_m * 1.001)
        d = shapely.distance(core_geoms[ci], ctx.env.geoms[ei])
        keep = d <= ctx.params.radius_m
        within = _group_sum(ci[keep], ctx.env.sets[ei[keep]].astype(np.float64), k).astype(np.int64)
    cores = ctx.territory.urban_cores
    pos = pd.Index(cores["core_id"].to_numpy(dtype=object)).get_indexer(ids)
    core_class = cores["core_class"].to_numpy(dtype=object)[pos]
    rank = pd.Index(ctx.region.core_classes.ids).get_indexer(core_class)
    order = np.lexsort((ids.astype(str), rank))
    out = pd.DataFrame({
        "core_id": ids,
        "name": cores["name"].to_numpy(dtype=object)[pos],
        "core_class": core_class,
        "kommun_koder": cores["kommun_koder"].to_numpy(dtype=object)[pos],
        "catchment_population": catch,
        "catchment_share": catch / total if total > 0 else np.full(k, np.nan),
        "catchment_points": npts.astype(np.int64),
        "catchment_kommun_koder": np.array(catch_codes, dtype=object),
        "n_env": within[:, -1],
        **{f"n_env_{a}": within[:, j] for j, a in enumerate(ctx.area_ids)},
    })
    return out.iloc[order].reset_index(drop=True)[list(core_columns(ctx.region))]


def core_catchments(territory: Territory, params: MetricParams | None = None,
                    population: Population = None) -> pd.DataFrame:
    """One row per candidate urban core (with coordinates): its catchment (the population points
    nearest to it; ties to the lowest core id), catchment population and share, and the counted
    environments within R km of the core point per area (``n_env_<a>``; ``n_env`` = any)."""
    return _core_table(_context(territory, params, population))


def catchment_points(territory: Territory, params: MetricParams | None = None,
                     population: Population = None) -> gpd.GeoDataFrame:
    """The weighted population points with their nearest candidate core (``core_id``,
    ``dist_core_km``): the catchments as points, for maps."""
    ctx = _context(territory, params, population)
    idx, dist = ctx.point_core
    ids = ctx.core_points[0]
    out = ctx.pop.frame.copy()
    out["core_id"] = pd.array(np.array([*ids, None], dtype=object)[idx], dtype="str")
    out["dist_core_km"] = dist / 1000.0
    return out


def _priority_table(ctx: MetricsContext, table: pd.DataFrame) -> pd.DataFrame:
    n, k, areas = ctx.pop.n, len(ctx.area_ids), ctx.area_ids

    def stack(prefix: str) -> np.ndarray:  # the columns' own dtype
        if not areas:
            return np.array([], dtype=object)
        return np.column_stack([table[f"{prefix}{a}"].to_numpy() for a in areas]).ravel()

    big_p = np.repeat(ctx.pop.population, k)
    lq = stack("lq_").astype("float64")
    n_a = stack("n_env_").astype(np.int64)
    white = stack("white_spot_")
    white = (pd.array(white, dtype="boolean").fillna(False).to_numpy(dtype=bool) if k
             else np.zeros(0, dtype=bool))
    return pd.DataFrame({
        "kommun_kod": np.repeat(ctx.pop.codes, k),
        "kommun": np.repeat(ctx.pop.names, k),
        "area": np.tile(np.array(areas, dtype=object), n),
        "n_env_area": n_a,
        "n_env": np.repeat(table["n_env"].to_numpy(dtype=np.int64), k),
        "lq": lq,
        "niche": rules.is_niche(lq, n_a),
        "population": pd.arrays.IntegerArray(np.nan_to_num(big_p).astype(np.int64),
                                             np.isnan(big_p)),
        "cov": stack("cov_").astype("float64"),
        "gap": rules.is_gap(big_p, white),
    })[list(PRIORITY_COLUMNS)]


def smart_priorities(territory: Territory, params: MetricParams | None = None,
                     population: Population = None) -> pd.DataFrame:
    """Municipality x area (long form, code then area order): counts, LQ with n beside it, and the
    flags ``niche`` (LQ >= 1.5 with >= 2 environments of the area) and ``gap`` (population >
    30,000 and no environment of the area within R km of any of its population points)."""
    ctx = _context(territory, params, population)
    return _priority_table(ctx, _municipality_table(ctx))


@dataclass(frozen=True)
class MetricsResult:
    """Every metrics table for one territory and parameter set, plus what was skipped."""

    params: MetricParams
    municipalities: pd.DataFrame
    county: pd.DataFrame
    radius_curve: pd.DataFrame
    services: pd.DataFrame
    service_levels: pd.DataFrame
    cores: pd.DataFrame
    priorities: pd.DataFrame
    population: pd.DataFrame
    """The population model's per-municipality report (empty for a caller-given point layer)."""
    problems: tuple[Problem, ...] = field(default=())
    region: Region | None = None
    """The region measured (its areas name the per-area columns)."""
    complete: bool = True
    """False for the workshop's incremental results (:mod:`smartmap.analysis.live`): only
    ``municipalities``, ``county`` and ``population`` are filled; the radius curve, services,
    cores and priorities are computed when a page shows them (``compute_metrics``)."""

    def tables(self) -> dict[str, pd.DataFrame]:
        """The further tables by file stem (what ``smartmap metrics --tables DIR`` writes)."""
        return {"county": self.county, "radius_curve": self.radius_curve,
                "services": self.services, "service_levels": self.service_levels,
                "cores": self.cores, "priorities": self.priorities,
                "population": self.population}


def compute_metrics(territory: Territory, params: MetricParams | None = None,
                    population: Population = None,
                    radii: Iterable[float] = RADII_KM) -> MetricsResult:
    """All metrics tables at once, computing distances once."""
    if population is None:
        population = region_source(territory)
    ctx = _context(territory, params, population)
    table = _municipality_table(ctx)
    report = (pd.DataFrame(columns=["kommun_kod"]) if isinstance(population, gpd.GeoDataFrame)
              else population_model(territory, population).report)
    return MetricsResult(
        params=ctx.params,
        municipalities=table,
        county=_county_table(ctx, table),
        radius_curve=_radius_table(ctx, radii),
        services=_service_table(ctx),
        service_levels=_service_level_table(ctx),
        cores=_core_table(ctx),
        priorities=_priority_table(ctx, table),
        population=report,
        problems=tuple(ctx.problems()),
        region=ctx.region,
    )


RESULT_TABLES: tuple[str, ...] = ("municipalities", "county", "radius_curve", "services",
                                   "service_levels", "cores", "priorities", "population")
"""The table fields of :class:`MetricsResult`."""


def cached_metrics(territory: Territory, params: MetricParams | None = None) -> MetricsResult:
    """:func:`compute_metrics` with the shipped population, computed once per territory and
    parameter set (the workshop compares every scenario with the same baseline).

    The result is cached on the territory (dropped when any layer is replaced). Each call returns
    copy-on-write copies of the tables, so a caller changing them cannot change the cache.

    >>> from smartmap.data.layers import load_territory
    >>> t = load_territory()
    >>> a, b = cached_metrics(t), cached_metrics(t)
    >>> a.municipalities.equals(b.municipalities), a.municipalities is b.municipalities
    (True, False)
    """
    params = params or MetricParams()
    result = territory.cached(("metrics_result", params), tuple(LAYERS),
                              lambda t: compute_metrics(t, params))
    return replace(result, **{name: getattr(result, name).copy(deep=False)
                              for name in RESULT_TABLES})


# ---------------------------------------------------------------------------------------------
# CSV


def csv_text(frame: pd.DataFrame) -> str:
    """A table as the CSV text :func:`write_csv` writes (for standard output).

    >>> csv_text(pd.DataFrame({"kommun_kod": ["0114"], "cov_any": [0.25], "lq_ict": [np.nan]}))
    'kommun_kod,cov_any,lq_ict\\n0114,0.25,\\n'
    """
    return frame.to_csv(index=False, lineterminator="\n")


def write_csv(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a table as UTF-8 CSV atomically (:mod:`smartmap.core.atomic`). Floats keep full precision
    (shortest round-trip repr), codes stay text, NA is an empty cell."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_target(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text(frame))
    return path


def read_metrics_csv(path: Path | str, region: Region) -> pd.DataFrame:
    """Read a municipality table written by :func:`write_csv` back with the library's dtypes."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    columns = municipality_columns(region)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SmartmapError(f"{path}: not a metrics table (missing columns {missing})")
    out: dict[str, object] = {}
    for column in columns:
        text = raw[column]
        kind = _dtype(column)
        if kind == "int64":
            out[column] = text.astype("int64")
        elif kind == "Int64":
            out[column] = pd.to_numeric(text.replace("", None)).astype("Int64")
        elif kind == "float64":
            out[column] = pd.to_numeric(text.replace("", np.nan)).astype("float64")
        elif kind in ("bool", "boolean"):
            mapped = text.map({"True": True, "False": False, "": pd.NA})
            out[column] = mapped.astype(kind)
        elif column in NA_STRING_COLUMNS:
            out[column] = text.replace("", None).astype("str")
        else:
            out[column] = text.astype("str")
    return pd.DataFrame(out)
