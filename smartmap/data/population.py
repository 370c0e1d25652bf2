"""The population model: weighted points standing for where the county's people live.

Accessibility metrics weigh distances by people, so every municipality's population P (from
``municipalities.csv``) is spread over points, following DESIGN.md ("Population model"):

1. The candidate points of a municipality come from a *population source*. The shipped source
   (:func:`shipped_points`) takes the municipality's rows of ``population_points.csv`` and, when it
   has no located row there, its rows of ``settlements.csv``. A point belongs to the municipality of
   its declared ``kommun_kod``. Rows without coordinates are skipped and reported; their people end
   up in the remainder below.
2. K = the sum of the located points that have a population. If K > P those values are scaled by
   P / K (rule ``scaled_down``).
3. The remainder r = P - K (if > 0) is shared equally by the located points without a population
   (``remainder_shared``); if there are none, it goes to a point "rest of <municipality>" at the
   polygon's ``representative_point()`` (``rest_point``).
4. A municipality with no usable point gets that representative point for all of P
   (``no_usable_point``); one whose P is missing keeps its points with weight 0 (``no_population``),
   so its metrics are NA.

The county total of the weights equals the sum of the municipal populations (to float rounding).
A finer source (a population grid, DeSO areas: :mod:`smartmap.data.popsources`) drops in as another
:class:`PopulationSource`. It may return a :class:`SourceResult` instead of a bare frame, to pass
on what reading its files found and to ask for the ``scale`` reconciliation: a source that counts
everybody where they live (a grid, areas with a population table) is authoritative for *where*
people live and ``municipalities.csv`` for *how many*, so when its sum K differs from P the
municipality's values are multiplied by P / K either way (``scaled_down`` / ``scaled_up``, the
factor in the report's ``scale_factor``), never topped up with a rest point.

>>> from smartmap.data.layers import load_territory
>>> model = population_model(load_territory())
>>> round(model.points["weight"].sum()) == int(load_territory().municipalities["population"].sum())
True
>>> model.report.set_index("kommun_kod").loc["0187", "rules"]
'as_given;rest_point'
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, Protocol

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.core import lists, vocab
from smartmap.core.errors import Problem
from smartmap.core.problemtext import keyed
from smartmap.core.settings import ANALYSIS_CRS
from smartmap.core.vocab import PopulationRule
from smartmap.data.layers import LAYERS, Territory

SOURCE_COLUMNS: tuple[str, ...] = (
    "point_id", "name", "kommun_kod", "population", "population_year", "source", "source_row",
)
"""Columns a population source returns (plus point geometry in EPSG:3006, empty when unknown)."""

POINT_COLUMNS: tuple[str, ...] = (
    "point_id", "name", "kommun_kod", "population_given", "population_year", "weight", "source",
    "rule", "geometry",
)
"""Columns of :attr:`PopulationModel.points`."""

REPORT_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "population", "source_layer", "n_rows", "n_used", "n_no_coords",
    "n_without_population", "given_sum", "scale_factor", "remainder", "rest_weight", "model_total",
    "rules", "note",
)
"""Columns of :attr:`PopulationModel.report`, one row per municipality in code order."""

MUNICIPALITY_SOURCE = "municipalities"
"""``source`` of the representative points (their weight comes from ``municipalities.csv``)."""

DEPENDS_ON: tuple[str, ...] = ("municipalities", "population_points", "settlements")
"""Layers the shipped model is computed from (its cache entry survives other edits)."""


Reconcile = Literal["fill", "scale"]
"""How a source's values meet the municipal populations P.

``fill`` (the points model): values above P are scaled down, a shortfall goes to points without a
population or to a rest point. ``scale``: the values are scaled to P both ways (factor P / K).
"""


@dataclass(frozen=True)
class SourceResult:
    """What a source gives beyond bare points: the reading's findings and its reconciliation."""

    points: gpd.GeoDataFrame
    """:data:`SOURCE_COLUMNS` with point geometry in EPSG:3006."""
    problems: tuple[Problem, ...] = ()
    reconcile: Reconcile = "fill"


class PopulationSource(Protocol):
    """Anything that gives the candidate population points of a territory.

    It returns a GeoDataFrame with :data:`SOURCE_COLUMNS` (``population`` float, NaN when unknown;
    ``source`` the layer name; ``source_row`` the file row or NA) and point geometry in EPSG:3006,
    or a :class:`SourceResult` wrapping one. A source with a hashable ``cache_key`` attribute (and
    optionally ``depends_on``, the layers it reads; default the municipalities) has its model
    cached on the territory like the shipped one.
    """

    def __call__(self, territory: Territory) -> gpd.GeoDataFrame | SourceResult: ...


@dataclass(frozen=True)
class PopulationModel:
    """Weighted points, the per-municipality report of the rules applied, and problems found."""

    points: gpd.GeoDataFrame
    report: pd.DataFrame
    problems: tuple[Problem, ...]


def _located(geometry: gpd.GeoSeries) -> npt.NDArray[np.bool_]:
    values = geometry.values
    located: npt.NDArray[np.bool_] = ~(shapely.is_missing(values) | shapely.is_empty(values))
    return located


def _source_frame(layer: gpd.GeoDataFrame, id_column: str, source: str) -> gpd.GeoDataFrame:
    pop = layer["population"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    return gpd.GeoDataFrame(
        {
            "point_id": layer[id_column].astype("str").to_numpy(),
            "name": layer["name"].astype("str").to_numpy(),
            "kommun_kod": layer["kommun_kod"].astype("str").to_numpy(),
            "population": pop,
            "population_year": layer["population_year"].astype("Int64").to_numpy(),
            "source": source,
            "source_row": pd.array(layer.index.to_numpy() + 2, dtype="Int64"),
        },
        geometry=layer.geometry.values,
        crs=ANALYSIS_CRS,
    )


def shipped_points(territory: Territory) -> gpd.GeoDataFrame:
    """The shipped source: ``population_points`` rows, else (per municipality) ``settlements`` rows.

    A municipality falls back to its settlements when it has no *located* row in the population
    points (a row without coordinates cannot be used, so it does not block the fallback).
    """
    points = _source_frame(territory.population_points, "point_id", "population_points")
    settlements = _source_frame(territory.settlements, "settlement_id", "settlements")
    have = set(points.loc[_located(points.geometry), "kommun_kod"])
    fallback = settlements.loc[~settlements["kommun_kod"].isin(have)]
    frames = [f for f in (points, fallback) if len(f)]
    if not frames:
        return points
    out = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=ANALYSIS_CRS)


def source_key(source: PopulationSource | None) -> Hashable | None:
    """The cache key of a source: ``"shipped"`` for the default, its ``cache_key`` attribute, or
    None (not cached) for a plain callable."""
    if source is None:
        return "shipped"
    return getattr(source, "cache_key", None)


def source_depends_on(source: PopulationSource | None) -> tuple[str, ...]:
    """The layers a source's model is computed from (its cache survives edits of the others)."""
    if source is None:
        return DEPENDS_ON
    return tuple(getattr(source, "depends_on", ("municipalities",)))


def population_model(territory: Territory, source: PopulationSource | None = None) -> PopulationModel:
    """The weighted population points of a territory and the report of how they were weighted.

    Without ``source`` the shipped layers are used. The result is cached on the territory for the
    shipped source (it depends only on municipalities, population points and settlements) and for
    any source with a ``cache_key`` (:func:`source_key`); callers get copy-on-write copies.
    """
    build_from: PopulationSource = shipped_points if source is None else source
    key = source_key(source)
    if key is None:
        return _build(territory, build_from)
    model = territory.cached(
        ("population_model", key), source_depends_on(source), lambda t: _build(t, build_from),
    )
    return PopulationModel(
        model.points.copy(deep=False), model.report.copy(deep=False), model.problems
    )


def _build(territory: Territory, source: PopulationSource) -> PopulationModel:
    muni = territory.municipalities
    codes = muni["kommun_kod"].astype("str").to_numpy()
    order = np.argsort(codes, kind="stable")
    muni = muni.iloc[order].reset_index(drop=True)
    codes = codes[order]
    names = muni["kommun"].astype("str").to_numpy()
    n = len(muni)
    big_p = muni["population"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    p_known = ~np.isnan(big_p)

    got = source(territory)
    result = got if isinstance(got, SourceResult) else SourceResult(got)
    cand = result.points
    missing = [c for c in SOURCE_COLUMNS if c not in cand.columns]
    if missing:
        raise ValueError(f"population source lacks column(s) {missing}")
    if result.reconcile not in ("fill", "scale"):
        raise ValueError(f"unknown reconciliation {result.reconcile!r}")
    located = _located(cand.geometry)
    mi_all = pd.Index(codes).get_indexer(cand["kommun_kod"].astype("str"))
    problems = [*result.problems, *_source_problems(cand, located, mi_all)]

    use = cand.loc[located & (mi_all >= 0)]
    mi = mi_all[located & (mi_all >= 0)]
    pop = use["population"].to_numpy(dtype="float64", na_value=np.nan)
    has_pop = ~np.isnan(pop)

    given_sum = np.bincount(mi[has_pop], weights=pop[has_pop], minlength=n)
    n_used = np.bincount(mi, minlength=n)
    n_nopop = np.bincount(mi[~has_pop], minlength=n)
    n_rows = np.bincount(mi_all[mi_all >= 0], minlength=n)
    n_nocoord = np.bincount(mi_all[(mi_all >= 0) & ~located], minlength=n)

    scaled = p_known & (given_sum > big_p)
    up = p_known & (given_sum > 0) & (given_sum < big_p) & (result.reconcile == "scale")
    factor = np.ones(n)
    rescaled = scaled | up
    factor[rescaled] = big_p[rescaled] / given_sum[rescaled]
    remainder = np.where(p_known, np.maximum(big_p - given_sum, 0.0), 0.0)
    remainder[rescaled] = 0.0
    share = np.divide(remainder, n_nopop, out=np.zeros(n), where=n_nopop > 0)

    weight = np.where(has_pop, np.where(has_pop, pop, 0.0) * factor[mi], share[mi])
    rule = np.where(
        has_pop,
        np.where(scaled[mi], PopulationRule.SCALED_DOWN.value,
                 np.where(up[mi], PopulationRule.SCALED_UP.value, PopulationRule.AS_GIVEN.value)),
        PopulationRule.REMAINDER_SHARED.value,
    ).astype(object)
    weight[~p_known[mi]] = 0.0
    rule[~p_known[mi]] = PopulationRule.NO_POPULATION.value

    rest = p_known & (remainder > 0) & (n_nopop == 0) & (n_used > 0)
    whole = n_used == 0
    extra = rest | whole
    rep = shapely.point_on_surface(muni.geometry.values[extra])
    extra_rule = np.where(
        rest[extra],
        PopulationRule.REST_POINT.value,
        np.where(p_known[extra], PopulationRule.NO_USABLE_POINT.value,
                 PopulationRule.NO_POPULATION.value),
    )
    extra_weight = np.where(rest[extra], remainder[extra], np.where(p_known[extra], big_p[extra], 0))
    extra_label = np.where(rest[extra], "rest of ", "all of ")
    extra_id = np.where(rest[extra], "rest-of-", "all-of-")
    years = muni["population_year"].astype("Int64").to_numpy()[extra]
    extras = gpd.GeoDataFrame(
        {
            "point_id": [f"{p}{c}" for p, c in zip(extra_id, codes[extra], strict=True)],
            "name": [f"{p}{m}" for p, m in zip(extra_label, names[extra], strict=True)],
            "kommun_kod": codes[extra],
            "population_given": np.full(int(extra.sum()), np.nan),
            "population_year": pd.array(years, dtype="Int64"),
            "weight": extra_weight.astype("float64"),
            "source": MUNICIPALITY_SOURCE,
            "rule": extra_rule.astype(object),
        },
        geometry=rep,
        crs=ANALYSIS_CRS,
    )
    kept = gpd.GeoDataFrame(
        {
            "point_id": use["point_id"].astype("str").to_numpy(),
            "name": use["name"].astype("str").to_numpy(),
            "kommun_kod": codes[mi],
            "population_given": pop,
            "population_year": pd.array(use["population_year"].to_numpy(), dtype="Int64"),
            "weight": weight.astype("float64"),
            "source": use["source"].astype("str").to_numpy(),
            "rule": rule,
        },
        geometry=use.geometry.values,
        crs=ANALYSIS_CRS,
    )
    points = pd.concat([kept, extras], ignore_index=True)
    points = gpd.GeoDataFrame(points, geometry="geometry", crs=ANALYSIS_CRS)
    points = _canonical_order(points)
    points["rule"] = points["rule"].astype("str")
    points = points[list(POINT_COLUMNS)]

    report = _report(
        codes, names, muni["population"].astype("Int64"), cand, mi_all, n_rows, n_used, n_nocoord,
        n_nopop, given_sum, np.where(rescaled, factor, np.nan), remainder,
        np.where(rest, remainder, np.nan), points,
    )
    return PopulationModel(points, report, tuple(problems))


def _canonical_order(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Sort by municipality, id and position so results never depend on input row order."""
    xy = shapely.get_coordinates(points.geometry.values)
    keys = (xy[:, 1], xy[:, 0], points["point_id"].to_numpy(dtype=str),
            points["kommun_kod"].to_numpy(dtype=str))
    return points.iloc[np.lexsort(keys)].reset_index(drop=True)


def _source_problems(cand: gpd.GeoDataFrame, located: np.ndarray, mi: np.ndarray) -> list[Problem]:
    problems = []
    files = {name: spec.file for name, spec in LAYERS.items()}
    for i in np.flatnonzero(mi < 0):
        src = str(cand["source"].iat[i])
        row = cand["source_row"].iat[i]
        problems.append(keyed(
            files.get(src, src), None if pd.isna(row) else int(row), "kommun_kod",
            "point_unknown_municipality", "exp_county_municipality_code", "warning",
            str(cand["point_id"].iat[i]), code=repr(cand["kommun_kod"].iat[i]),
        ))
    for i in np.flatnonzero((mi >= 0) & ~located):
        src = str(cand["source"].iat[i])
        row = cand["source_row"].iat[i]
        problems.append(keyed(
            files.get(src, src), None if pd.isna(row) else int(row), "lat/lon",
            "point_no_coordinates", "exp_lat_lon", "warning", str(cand["point_id"].iat[i]),
        ))
    return problems


def _report(
    codes: np.ndarray, names: np.ndarray, population: pd.Series, cand: gpd.GeoDataFrame,
    mi_all: np.ndarray, n_rows: np.ndarray, n_used: np.ndarray, n_nocoord: np.ndarray,
    n_nopop: np.ndarray, given_sum: np.ndarray, scale: np.ndarray, remainder: np.ndarray,
    rest_weight: np.ndarray, points: gpd.GeoDataFrame,
) -> pd.DataFrame:
    n = len(codes)
    # distinct (municipality, value) pairs first: a grid source has 100,000s of points
    sources = pd.DataFrame({"m": mi_all[mi_all >= 0],
                            "s": cand["source"].astype("str").to_numpy()[mi_all >= 0]})
    by_muni = sources.drop_duplicates().groupby("m")["s"].agg(lists.join)
    source_layer = np.array([by_muni.get(i, "none") for i in range(n)], dtype=object)
    pmi = pd.Index(codes).get_indexer(points["kommun_kod"])
    total = np.bincount(pmi, weights=points["weight"].to_numpy(), minlength=n)
    rules_used = pd.DataFrame({"m": pmi, "r": points["rule"].to_numpy()}).drop_duplicates()
    rule_sets = rules_used.groupby("m")["r"].agg(set)
    rules = [vocab.join_list(rule_sets.get(i, set()), PopulationRule) for i in range(n)]
    notes = [_note(*args) for args in zip(
        names, population.to_numpy(dtype="float64", na_value=np.nan), source_layer, n_used,
        n_nocoord, n_nopop, given_sum, scale, remainder, rest_weight, strict=True)]
    return pd.DataFrame({
        "kommun_kod": codes,
        "kommun": names,
        "population": population.to_numpy(),
        "source_layer": source_layer.astype(str),
        "n_rows": n_rows,
        "n_used": n_used,
        "n_no_coords": n_nocoord,
        "n_without_population": n_nopop,
        "given_sum": given_sum,
        "scale_factor": scale,
        "remainder": remainder,
        "rest_weight": rest_weight,
        "model_total": total,
        "rules": rules,
        "note": notes,
    })[list(REPORT_COLUMNS)]


def _note(
    name: str, p: float, layer: str, used: int, nocoord: int, nopop: int, k: float, scale: float,
    r: float, rest: float,
) -> str:
    """One plain English sentence per municipality saying which rules applied."""
    if np.isnan(p):
        return f"{name}: municipal population missing; its points carry weight 0 and its metrics are NA."
    parts = [f"{name}: P = {p:,.0f}"]
    if used == 0:
        parts.append("no usable population point, so all of P sits at the polygon's "
                     "representative point")
    else:
        parts.append(f"{used} point(s) from {layer}, K = {k:,.0f}")
        if not np.isnan(scale) and k > p:
            parts.append(f"K > P, so the given values were scaled by {scale:.6f}")
        elif not np.isnan(scale):
            parts.append(f"K < P, so the source's values were scaled up by {scale:.6f} (the "
                         "source says where people live, municipalities.csv how many)")
        if nopop and r > 0:
            parts.append(f"remainder {r:,.0f} shared equally by {nopop} point(s) without a "
                         "population")
        if not np.isnan(rest):
            parts.append(f"remainder {rest:,.0f} placed at 'rest of {name}' (representative point)")
    if nocoord:
        parts.append(f"{nocoord} row(s) without coordinates skipped")
    return "; ".join(parts) + "."


LOCATED_COLUMNS: tuple[str, ...] = (
    "kommun_kod", "kommun", "population", "n_stated", "on_stated", "on_unstated", "on_rest",
    "located_share",
)
"""Columns of :func:`located_population`, one row per municipality of the report."""


def located_population(report: pd.DataFrame) -> pd.DataFrame:
    """How much of each municipality's population sits on points whose population is *stated*.

    A coverage share is only as fine as the points it weighs: residents on a point with a stated
    population (a district, a locality, a grid cell, an area) are *located*; the remainder of the
    points model is not, whether it is shared by located points without a figure
    (``on_unstated``) or put on one "rest of <municipality>" representative point (``on_rest``,
    also the whole population of a municipality without any usable point). ``located_share`` is
    ``on_stated / population`` (NA when the population is missing or 0). ``n_stated`` counts the
    points with a stated population. Computed from a :attr:`PopulationModel.report` (also
    :attr:`~smartmap.analysis.metrics.MetricsResult.population`), so the About page, PROVENANCE.md,
    the profile and the report read the same numbers; an empty report gives an empty table.

    >>> from smartmap.data.layers import load_territory
    >>> table = located_population(population_model(load_territory()).report)
    >>> table.set_index("kommun_kod").loc["0180", ["on_rest", "located_share"]].round(4).tolist()
    [131250.0, 0.8682]
    """
    missing = [c for c in ("kommun_kod", "kommun", "population", "n_used",
                           "n_without_population", "remainder", "model_total") if c not in report]
    if missing and len(report):
        raise ValueError(f"population report lacks column(s) {missing}")
    if not len(report):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in LOCATED_COLUMNS})
    p = (pd.to_numeric(report["population"], errors="coerce").astype("Float64")
         .to_numpy(dtype="float64", na_value=np.nan))
    total = report["model_total"].to_numpy(dtype="float64")
    remainder = report["remainder"].to_numpy(dtype="float64")
    n_unstated = report["n_without_population"].to_numpy(dtype="int64")
    on_unstated = np.where(n_unstated > 0, remainder, 0.0)
    on_rest = remainder - on_unstated
    on_stated = np.maximum(total - remainder, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(p > 0, on_stated / p, np.nan)
    return pd.DataFrame({
        "kommun_kod": report["kommun_kod"].astype("str").to_numpy(),
        "kommun": report["kommun"].astype("str").to_numpy(),
        "population": report["population"].to_numpy(),
        "n_stated": (report["n_used"].to_numpy(dtype="int64") - n_unstated),
        "on_stated": on_stated,
        "on_unstated": on_unstated,
        "on_rest": on_rest,
        "located_share": share,
    })[list(LOCATED_COLUMNS)]
