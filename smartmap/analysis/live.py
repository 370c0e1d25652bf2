"""Incremental metrics for the workshop: an edit costs what it changes, not the whole county.

:func:`smartmap.analysis.metrics.compute_metrics` measures a territory from scratch: a k-d tree
per environment set, every population point queried, every table built. In the workshop one
edit changes one or two environments, so most of that work is repeated for nothing.
:class:`LiveMetrics` keeps, per population point (cell) and set E_a (the region's areas and
``any``), the distance to the nearest member **and which member it is**, and updates them:

- an environment that joins a set (added, re-opened, re-tagged, or moved: it joins at its new
  place) changes only the cells closer to it than to their current nearest: one vectorised
  distance over the cells, then a comparison;
- an environment that leaves a set (closed, re-tagged, moved away) changes only the cells it
  served: those are measured again against the rest of the set, with the baseline's k-d tree of
  the set (skipping its members the scenario changed) plus the few environments the scenario
  changed or added;
- the per-municipality counts (by type, by area, governance levels) move by plus or minus one.

The municipal and county aggregates are then built by the metrics' own functions from the
updated arrays, so the numbers are **exactly** those of a full recompute (a property test plays
random edit sequences and compares with ``==``): each distance is the same floating-point
operation in both (a k-d tree returns ``sqrt(dx*dx + dy*dy)``, which is what the vectorised
step computes), a minimum is order-free, and the sums run over the same arrays in the same order.

The parameters that decide membership (statuses, types) key a :class:`LiveMetrics`; the radius
and the urban-core classes only change the aggregates, so a new radius costs no distance at all.
The baseline's trees and distances are computed once per baseline and parameter set and shared
(read-only) by every session; a session copies the distance arrays on its first edit.

Tables no one looks at while editing (the radius curve, services, cores) are left out of a live
result (``MetricsResult.complete`` is False); ``compute_metrics`` gives them when shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.spatial import cKDTree

from smartmap.analysis.governance import municipality_levels
from smartmap.analysis.metrics import (
    BoolArray,
    FloatArray,
    MetricsContext,
    MetricsResult,
    Population,
    _county_table,
    _municipality_table,
    _population,
    bin_sums,
    group_index,
)
from smartmap.analysis.params import (
    LEVEL_IDS,
    TYPE_IDS,
    MetricParams,
    _env_arrays,
    counted_mask,
    municipality_codes,
    parse_environments,
)
from smartmap.data.layers import LAYERS, Territory
from smartmap.data.popsources import region_source
from smartmap.data.population import population_model

if TYPE_CHECKING:  # for annotations only: live runs no scenario code
    from smartmap.analysis.scenario import Edit

__all__ = ["LiveMetrics", "edit_ids"]

FULL_REBUILD_ROWS = 256
"""More changed rows than this in one step: rebuild the distances from the sets (cheaper than
many single updates, and the same numbers)."""


def edit_ids(edits: Iterable[Edit]) -> set[str]:
    """The ids of existing environments a list of edits names (adds name none)."""
    return {ident for e in edits if getattr(e, "kind", "") != "add"
            and isinstance(ident := getattr(e, "id", None), str)}


def _adds(edits: Sequence[Edit]) -> list[int]:
    """Positions of the add edits in a list of edits (the p-th makes the p-th added row)."""
    return [i for i, e in enumerate(edits) if getattr(e, "kind", "") == "add"]


@dataclass(frozen=True)
class _Row:
    """One environment as the metrics see it (None for a row that does not exist)."""

    counted: bool
    member: tuple[bool, ...]  # of each set: the region's areas, then any
    x: float
    y: float
    muni: int
    type_idx: int
    level_idx: int


@dataclass(frozen=True)
class _Base:
    """What every session shares for one baseline, population and counted set: the baseline's
    rows as arrays, a k-d tree per set over its members, the distances and nearest members."""

    n_rows: int
    counted: BoolArray  # (m,)
    member: BoolArray  # (m, k) counted members of each set
    xy: FloatArray  # (m, 2)
    muni: npt.NDArray[np.int64]
    type_idx: npt.NDArray[np.int64]
    level_idx: npt.NDArray[np.int64]
    rows: tuple[npt.NDArray[np.intp], ...]  # per set: the member rows, layer order
    trees: tuple[cKDTree | None, ...]
    dist: FloatArray  # (n_points, k), read-only
    nearest: npt.NDArray[np.integer]  # (n_points, k) row of the nearest member, -1: empty set
    row_of: dict[str, int]


def _sets(areas: BoolArray, counted: BoolArray) -> BoolArray:
    return np.column_stack([areas, np.ones(len(counted), dtype=bool)]) & counted[:, None]


def _nearest(points: FloatArray, rows: npt.NDArray[np.intp], xy: FloatArray,
             tree: cKDTree | None) -> tuple[FloatArray, npt.NDArray[np.integer]]:
    if tree is None or len(points) == 0:
        return np.full(len(points), np.inf), np.full(len(points), -1, dtype=np.int64)
    d, i = tree.query(points, k=1)
    return np.asarray(d, dtype="float64"), rows[i]


def _base(baseline: Territory, pop_xy: FloatArray, pop_key: object,
          statuses: tuple[str, ...], types: tuple[str, ...]) -> _Base:
    params = MetricParams(include_planned="planned" in statuses,
                          env_types=None if types == TYPE_IDS else types)

    def build(t: Territory) -> _Base:
        arrays = _env_arrays(t)
        counted = counted_mask(arrays, params)
        member = _sets(arrays.areas, counted)
        rows, trees, dist, nearest = [], [], [], []
        for j in range(member.shape[1]):
            r = np.flatnonzero(member[:, j])
            tree = cKDTree(arrays.xy[r]) if len(r) else None
            d, nn = _nearest(pop_xy, r, arrays.xy, tree)
            rows.append(r)
            trees.append(tree)
            dist.append(d)
            nearest.append(nn)
        ids = t.environments["id"].to_numpy(dtype=object)
        row_of: dict[str, int] = {}
        for i, ident in enumerate(ids):
            row_of.setdefault(str(ident), i)
        d = np.column_stack(dist) if dist else np.zeros((len(pop_xy), 0))
        nn = np.column_stack(nearest) if nearest else np.zeros((len(pop_xy), 0), dtype=np.int64)
        for a in (counted, member, d, nn):
            a.setflags(write=False)
        return _Base(len(ids), counted, member, arrays.xy, arrays.muni, arrays.type_idx,
                     arrays.level_idx, tuple(rows), tuple(trees), d, nn, row_of)

    return baseline.cached(("live_base", pop_key, statuses, types), tuple(LAYERS), build)


class LiveMetrics:
    """The metrics of one session's current scenario, updated edit by edit (module docstring).

    ``move_to(edits, territory)`` takes it to any other scenario of the same baseline (an edit,
    an undo, another scenario), ``result(params)`` gives the tables. ``params`` must count the
    same statuses and types as the ones it was made for (:attr:`key`).
    """

    def __init__(self, baseline: Territory, params: MetricParams | None = None,
                 population: Population = None):
        params = params or MetricParams()
        self.baseline = baseline
        self.population = region_source(baseline) if population is None else population
        self.pop = _population(baseline, self.population)
        self.key = (params.statuses, params.types)
        self.codes = list(municipality_codes(baseline))
        self.base = _base(baseline, self.pop.xy, id(self.pop), *self.key)
        self.params = params
        self.k = self.base.member.shape[1]
        self.n_areas = self.k - 1
        self.edits: tuple[Edit, ...] = ()
        self.appended: list[str] = []
        """Ids of the rows the current scenario added (after the baseline's)."""
        self.territory = baseline
        self.changed: dict[int, _Row | None] = {}
        """Rows whose values differ (or may differ) from the baseline's; None: no such row."""
        self.changed_mask = np.zeros(self.base.n_rows, dtype=bool)
        self.dist = self.base.dist
        self.nearest = self.base.nearest
        self._own = False
        self._levels: tuple[bytes, pd.DataFrame] | None = None
        self.flat = group_index(self.pop.muni, self.k)
        self._counts_from_base()

    # --- state ---------------------------------------------------------------------------------

    def _counts_from_base(self) -> None:
        b = self.base
        n = len(self.codes)
        c = b.counted & (b.muni >= 0)
        mi = b.muni[c]
        self.n_env = np.bincount(mi, minlength=n).astype(np.int64)
        self.types = np.zeros((n, len(TYPE_IDS)), dtype=np.int64)
        np.add.at(self.types, (mi, b.type_idx[c]), 1)
        self.areas = np.column_stack(
            [bin_sums(mi, b.member[c][:, a], n).astype(np.int64)
             for a in range(self.n_areas)]).reshape(n, self.n_areas)
        lv = c & (b.level_idx >= 0)
        self.levels = np.zeros((n, len(LEVEL_IDS)), dtype=np.int64)
        np.add.at(self.levels, (b.muni[lv], b.level_idx[lv]), 1)
        self.total = int(b.counted.sum())
        self.total_areas = b.member[:, :self.n_areas].sum(axis=0).astype(np.int64)

    def _base_row(self, r: int) -> _Row | None:
        b = self.base
        if r >= b.n_rows:
            return None
        return _Row(bool(b.counted[r]), tuple(bool(v) for v in b.member[r]), float(b.xy[r, 0]),
                    float(b.xy[r, 1]), int(b.muni[r]), int(b.type_idx[r]), int(b.level_idx[r]))

    def _row(self, r: int) -> _Row | None:
        return self.changed[r] if r in self.changed else self._base_row(r)

    def _parse(self, territory: Territory, env: pd.DataFrame,
               rows: Sequence[int]) -> dict[int, _Row | None]:
        present = [r for r in rows if r < len(env)]
        out: dict[int, _Row | None] = {r: None for r in rows if r >= len(env)}
        if not present:
            return out
        arrays = parse_environments(env.iloc[present], self.codes, territory.region)
        counted = counted_mask(arrays, self.params)
        member = _sets(arrays.areas, counted)
        for i, r in enumerate(present):
            out[r] = _Row(bool(counted[i]), tuple(bool(v) for v in member[i]),
                          float(arrays.xy[i, 0]), float(arrays.xy[i, 1]), int(arrays.muni[i]),
                          int(arrays.type_idx[i]), int(arrays.level_idx[i]))
        return out

    def _count(self, row: _Row | None, sign: int) -> None:
        if row is None or not row.counted:
            return
        self.total += sign
        self.total_areas += sign * np.array(row.member[:self.n_areas], dtype=np.int64)
        if row.muni < 0:
            return
        self.n_env[row.muni] += sign
        self.types[row.muni, row.type_idx] += sign
        self.areas[row.muni] += sign * np.array(row.member[:self.n_areas], dtype=np.int64)
        if row.level_idx >= 0:
            self.levels[row.muni, row.level_idx] += sign

    # --- moving to another scenario ---------------------------------------------------------------

    def move_to(self, edits: tuple[Edit, ...], territory: Territory) -> None:
        """Take the state to the scenario with ``edits`` (``territory`` = the baseline after them)."""
        if edits == self.edits and territory is self.territory:
            return
        common = 0
        for a, b in zip(self.edits, edits, strict=False):
            if a != b:
                break
            common += 1
        named = edit_ids(self.edits[common:]) | edit_ids(edits[common:])
        rows = {self.base.row_of[i] for i in named if i in self.base.row_of}
        # rows the scenario added: the p-th add edit makes row n_base + p
        env = territory.environments  # one (shallow) copy of a large layer per step
        tail = env.iloc[self.base.n_rows:]
        new_ids = tail["id"].astype(str).tolist()
        for ids, made in ((self.appended, _adds(self.edits)), (new_ids, _adds(edits))):
            for p, index in enumerate(made):
                if index >= common or (p < len(ids) and ids[p] in named):
                    rows.add(self.base.n_rows + p)
        new = self._parse(territory, env, sorted(rows))
        self.appended = new_ids
        steps = [(r, self._row(r), row) for r, row in new.items() if self._row(r) != row]
        self.edits, self.territory = edits, territory
        if not steps:
            return
        if not self._own:
            self.dist, self.nearest = self.dist.copy(), self.nearest.copy()
            self._own = True
        leave: list[list[int]] = [[] for _ in range(self.k)]
        join: list[list[int]] = [[] for _ in range(self.k)]
        for r, old, row in steps:
            self._count(old, -1)
            self._count(row, +1)
            if row is None and r >= self.base.n_rows:
                self.changed.pop(r, None)
            else:
                self.changed[r] = row
                if r < self.base.n_rows:
                    self.changed_mask[r] = True
            moved = (old is None or row is None or (old.x, old.y) != (row.x, row.y))
            for j in range(self.k):
                was = old is not None and old.member[j]
                now = row is not None and row.member[j]
                if was and (not now or moved):
                    leave[j].append(r)
                if now and (not was or moved):
                    join[j].append(r)
        if len(steps) > FULL_REBUILD_ROWS:
            self._rebuild()
            return
        for j in range(self.k):
            if leave[j]:
                self._leave(j, np.array(leave[j], dtype=np.int64))
            for r in join[j]:
                self._join(j, r)

    def _extras(self, j: int) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Rows the scenario changed that are members of set j now, and their points."""
        members = [(r, row) for r, row in self.changed.items() if row is not None and row.member[j]]
        xy = np.array([(row.x, row.y) for _, row in members], dtype="float64").reshape(-1, 2)
        return np.array([r for r, _ in members], dtype=np.int64), xy

    def _measure(self, j: int,
                 cells: npt.NDArray[np.intp]) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """Distance and nearest member of set j, now, for some cells."""
        pts = self.pop.xy[cells]
        n = len(cells)
        best = np.full(n, np.inf)
        who = np.full(n, -1, dtype=np.int64)
        tree, rows = self.base.trees[j], self.base.rows[j]
        if tree is not None and n:
            todo = np.arange(n)
            k = 4
            while len(todo):
                kk = min(k, len(rows))
                d, i = tree.query(pts[todo], k=kk)
                # scipy-stubs type a query as one distance or an array; with points it is arrays
                d, i = np.asarray(d).reshape(len(todo), kk), np.asarray(i).reshape(len(todo), kk)
                ok = i < len(rows)
                cand = rows[np.where(ok, i, 0)]
                valid = ok & ~self.changed_mask[cand]
                found = valid.any(axis=1)
                first = np.argmax(valid, axis=1)
                hit = todo[found]
                best[hit] = d[found, first[found]]
                who[hit] = cand[found, first[found]]
                if kk >= len(rows):
                    break
                todo = todo[~found]
                k *= 8
        extra_rows, extra_xy = self._extras(j)
        if len(extra_rows) and n:
            dx = pts[:, 0][:, None] - extra_xy[:, 0][None, :]
            dy = pts[:, 1][:, None] - extra_xy[:, 1][None, :]
            d = np.sqrt(dx * dx + dy * dy)
            pick = np.argmin(d, axis=1)
            dmin = d[np.arange(n), pick]
            closer = dmin < best
            best[closer] = dmin[closer]
            who[closer] = extra_rows[pick[closer]]
        return best, who

    def _leave(self, j: int, rows: npt.NDArray[np.int64]) -> None:
        cells = np.flatnonzero(np.isin(self.nearest[:, j], rows, kind="table"))
        if len(cells):
            self.dist[cells, j], self.nearest[cells, j] = self._measure(j, cells)

    def _join(self, j: int, r: int) -> None:
        row = self.changed[r]
        assert row is not None
        dx = self.pop.xy[:, 0] - row.x
        dy = self.pop.xy[:, 1] - row.y
        d = np.sqrt(dx * dx + dy * dy)
        closer = d < self.dist[:, j]
        self.dist[closer, j] = d[closer]
        self.nearest[closer, j] = r

    def _rebuild(self) -> None:
        cells = np.arange(len(self.pop.xy))
        for j in range(self.k):
            self.dist[:, j], self.nearest[:, j] = self._measure(j, cells)

    def levels_table(self) -> pd.DataFrame:
        """``levels_local``/``levels_all`` (governance's own function, on one row per
        municipality and level present), kept while the levels present stay the same."""
        present = self.levels > 0
        key = present.tobytes()
        if self._levels is None or self._levels[0] != key:
            mi, li = np.nonzero(present)
            codes = np.array(self.codes, dtype=object)
            frame = pd.DataFrame({"kommun_kod": codes[mi],
                                  "governance_level": np.array(LEVEL_IDS, dtype=object)[li]})
            self._levels = (key, municipality_levels(self.territory, frame))
        return self._levels[1]

    # --- results -----------------------------------------------------------------------------------

    def result(self, params: MetricParams | None = None) -> MetricsResult:
        """The municipality and county tables of the current scenario with
        ``params`` (radius and core classes free; statuses and types as :attr:`key`)."""
        params = params or self.params
        if (params.statuses, params.types) != self.key:
            raise ValueError("these live metrics count other statuses or types")
        ctx = _LiveContext(self, params)
        table = _municipality_table(ctx)
        report = (pd.DataFrame(columns=["kommun_kod"])
                  if isinstance(self.population, gpd.GeoDataFrame)
                  else population_model(self.territory, self.population).report)
        empty = pd.DataFrame()
        return MetricsResult(
            params=params, municipalities=table, county=_county_table(ctx, table),
            radius_curve=empty, services=empty, service_levels=empty, cores=empty,
            priorities=empty, population=report,
            problems=tuple(self.pop.problems), region=ctx.region, complete=False)


class _LiveContext(MetricsContext):
    """A metrics context whose distances, counts and levels come from :class:`LiveMetrics`."""

    def __init__(self, live: LiveMetrics, params: MetricParams):
        territory = live.territory
        self.territory = territory
        self.region = territory.region
        self.area_ids = self.region.area_ids
        self.areas_and_any = self.region.areas_and_any
        self.params = params
        self.core_classes = params.cores_for(self.region)
        self.pop = live.pop
        self.env = None  # type: ignore[assignment]  # not needed by the live tables
        d = self.__dict__
        d["area_dist"] = live.dist
        d["_flat"], d["_flat_k"] = live.flat, live.k
        d["counts"] = {"n_env": live.n_env.copy(), "types": live.types.copy(),
                       "areas": live.areas.copy()}
        d["env_totals"] = (live.total, live.total_areas.copy())
        d["area_nonempty"] = np.append(live.total_areas, live.total) > 0
        d["levels"] = live.levels_table()
