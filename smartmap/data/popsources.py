"""Population sources: the points model, a population grid (SCB, GEOSTAT) or areas with a table.

Every source is a :class:`~smartmap.data.population.PopulationSource`: called with a territory it
gives candidate population points (EPSG:3006) with their municipality, and the population model
(:func:`~smartmap.data.population.population_model`) weights them against the municipal
populations P. The metrics, county KPIs, services, cores and the radius curve take any source
(``compute_metrics(territory, params, population=source)``). Which source a region uses is a
small spec, :class:`PopulationSpec` (the ``[population]`` table of a region manifest), turned into
a source by :func:`population_source_from_spec`.

**points** (the default): the shipped ``population_points.csv`` / ``settlements.csv`` model,
unchanged (:class:`PointsSource`).

**grid**: a population grid file, one row per cell, each cell named by its lower-left corner
(:mod:`smartmap.data.gridcells` states both id conventions and where they are documented):

- ``format = "scb"``: SCB "statistik på rutor" (https://www.scb.se/vara-tjanster/oppna-data/
  oppna-geodata/statistik-pa-rutor/; open data on 1 km squares, 250 m in urban areas, SWEREF 99
  TM). The id column is ``rutid_scb`` (SCB's GeoPackages), ``rutid`` or ``Ruta``; the population
  column ``beftotalt`` (SCB's name; ``pop`` is accepted too); the cell size comes from a
  ``rutstorl`` column when there is one, else from ``cell_size_m`` (default 1000); the year from
  ``referenstid`` (``20251231``) or ``year``.
- ``format = "geostat"``: the Eurostat GEOSTAT census grid (2021: ``ESTAT_Census_2021_V2.csv`` /
  ``_V3.csv``, header ``GRD_ID,T,M,F,...``; the first 2021 release named the total
  ``OBS_VALUE_T``; GISCO's grids ``TOT_P_2021``; GEOSTAT 2011 ``TOT_P``). ``GRD_ID`` is an INSPIRE
  code (``CRS3035RES1000mN2684000E4334000``) whose CRS and size are read from the code itself.

Files are CSV (UTF-8 or Windows-1252; ``,``, ``;`` or tab) or a vector file (GeoPackage,
shapefile, GeoJSON) whose attributes carry the id; a vector layer without an id column has its
square polygons read as the cells. Column names match case-insensitively. Each cell's population
sits at its centre, or (``spread = k``) is shared equally by the centres of a k x k split of the
cell, so a cell on a municipal border is split between the municipalities. Points are reprojected
to EPSG:3006 and get their municipality by the house rule
(:func:`~smartmap.data.layers.assign_municipalities`: the containing polygon, else the nearest
within the tolerance, 5 km); a sub-point outside every polygon takes its cell's municipality. A
cell none of whose points is in or near the county is dropped, and the dropped cells and people
are reported in one line (a national file holds 100,000 cells outside any one county).

**areas**: polygons (DeSO, RegSO ...; a GeoPackage, GeoJSON or shapefile with an area code column:
``desokod``, ``deso``, ``regsokod`` or ``regso`` unless ``code_column`` says) and a CSV population
table joined by that code (``table_code_column``, default the same name; population
``population``, ``befolkning``, ``folkmängd``, ``beftotalt`` or ``pop`` unless
``population_column`` says). Each area's population sits at its ``representative_point()``, or is
shared by the points of a k x k lattice over the area that lie inside it. The municipality is the
area's declared code (``kommun_column``, or a ``kommunkod`` column) when there is one, else the
house rule applied to the representative point. Areas without a population row and table rows
without an area are reported by file, row and field; their people are not placed.

**Reconciliation.** A grid or an area table counts everybody where they live, so it is
authoritative for *where* people live and ``municipalities.csv`` (P) for *how many*: within each
municipality the source's values are scaled by P / K (K = the source's sum there), up or down
(rules ``scaled_up`` / ``scaled_down``; the factor is the report's ``scale_factor``), so the
county total stays the sum of P and the report columns keep their meaning (``given_sum`` = K,
``model_total`` = P). A municipality the source does not reach gets all of P at its
representative point (``no_usable_point``), one whose P is missing weighs 0 (``no_population``).
Sources differ from P because of the year, SCB's disclosure control ("värden mindre än fyra kan
vara justerade") and cells on a border assigned by their centre; the report shows each factor.

A file that cannot be read, or a row with a bad id, size or population, or a duplicate cell or
code, refuses the source as a whole with a :class:`~smartmap.core.errors.DataValidationError`
naming file, row and field; a cell or area without a published figure is skipped and counted.

>>> spec = PopulationSpec.from_mapping({"kind": "grid", "file": "befolkning_1km.csv",
...                                     "format": "scb", "spread": 2})
>>> spec.kind, spec.format, spec.spread, spec.cell_size_m
('grid', 'scb', 2, None)
>>> PopulationSpec.from_mapping({"kind": "grid", "format": "scb"})
Traceback (most recent call last):
...
smartmap.core.errors.DataValidationError: population source: 1 problem(s)
- population source, field 'file': missing: a grid needs its file (expected a path relative to the data folder, e.g. 'befolkning_1km_2024.gpkg')
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.core.errors import DataValidationError, Phrase, Problem, SmartmapError
from smartmap.core.popspec import (  # noqa: F401  (re-exported: callers spell popsources.PopulationSpec)
    GRID_FORMATS,
    MAX_SPREAD,
    SPEC_KINDS,
    SPEC_ORIGIN,
    GridFormat,
    PopulationSpec,
    SpecKind,
)
from smartmap.core.problemtext import keyed, phrase, rekeyed
from smartmap.core.settings import ANALYSIS_CRS, Settings, get_settings
from smartmap.data import gridcells
from smartmap.data.layers import (
    ASSIGN_CONTAINS,
    ASSIGN_DECLARED,
    ASSIGN_OUTSIDE,
    Territory,
    assign_municipalities,
)
from smartmap.data.population import (
    DEPENDS_ON,
    SOURCE_COLUMNS,
    PopulationSource,
    SourceResult,
    shipped_points,
)
from smartmap.data.userfiles import _parse_numbers, column_key, decode_text

SCB_ID_COLUMNS = ("rutid_scb", "rutid", "ruta")
SCB_POPULATION_COLUMNS = ("beftotalt", "pop")
SCB_SIZE_COLUMN = "rutstorl"
SCB_DATE_COLUMN = "referenstid"
GEOSTAT_ID_COLUMNS = ("grd_id",)
GEOSTAT_POPULATION_COLUMNS = ("t", "obs_value_t", "tot_p_2021", "tot_p")
GEOSTAT_YEAR = 2021
"""Reference year of the GEOSTAT census grid (unless the spec's ``year`` says otherwise)."""
AREA_CODE_COLUMNS = ("desokod", "deso", "regsokod", "regso")
AREA_KOMMUN_COLUMNS = ("kommunkod",)
TABLE_POPULATION_COLUMNS = ("population", "befolkning", "folkmängd", "beftotalt", "pop")
NOT_PUBLISHED = ("", ":", "..", "-")
"""Cells meaning "no figure published" (skipped and counted, not refused)."""

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
VECTOR_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb")

# what was expected: catalog keys (msgctxt "problem")
_EXPECT_SCB_ID = "exp_scb_id"
_EXPECT_INSPIRE_ID = "exp_inspire_id"
_EXPECT_COUNT = "exp_people_count"
_CELL_ID = phrase("noun_cell_id")
_POPULATION = phrase("noun_population")
_AREA_CODE = phrase("noun_area_code")
"""What a column holds, for the messages about it."""


# ---------------------------------------------------------------------------------------------
# the spec


# ---------------------------------------------------------------------------------------------
# the sources


@dataclass(frozen=True)
class PointsSource:
    """The shipped points model (``population_points.csv``, else ``settlements.csv``)."""

    cache_key: str = "shipped"
    depends_on: tuple[str, ...] = DEPENDS_ON

    def __call__(self, territory: Territory) -> gpd.GeoDataFrame:
        return shipped_points(territory)


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class GridSource:
    """Population from a grid file (SCB "statistik på rutor" or GEOSTAT); see the module doc."""

    spec: PopulationSpec
    path: Path
    tolerance_m: float = 5000.0
    depends_on: tuple[str, ...] = ("municipalities",)

    @property
    def cache_key(self) -> tuple[object, ...]:
        """Spec, tolerance and the file's path, size and modification time."""
        return ("grid", self.spec, self.tolerance_m, _file_key(self.path))

    @property
    def label(self) -> str:
        """The file as named in messages (relative to the data folder when possible)."""
        return self.spec.file or self.path.name

    def read(self) -> GridCells:
        """The file's cells, checked (raises :class:`DataValidationError` on a bad file)."""
        return read_grid(self.path, self.spec, self.label)

    def __call__(self, territory: Territory) -> SourceResult:
        cells = self.read()
        return _grid_points(cells, territory, self.spec, self.label, self.tolerance_m)


@dataclass(frozen=True)
class AreasSource:
    """Population from area polygons and a population table joined by code."""

    spec: PopulationSpec
    path: Path
    table_path: Path
    tolerance_m: float = 5000.0
    depends_on: tuple[str, ...] = ("municipalities",)

    @property
    def cache_key(self) -> tuple[object, ...]:
        """Spec, tolerance and both files' paths, sizes and modification times."""
        return ("areas", self.spec, self.tolerance_m, _file_key(self.path),
                _file_key(self.table_path))

    def __call__(self, territory: Territory) -> SourceResult:
        return _areas_points(self, territory)


def region_source(territory: Territory,
                  settings: Settings | None = None) -> PopulationSource | None:
    """The population source the territory's region names in its manifest (``None``: the points
    model, the default every metric uses when no source is given)."""
    region = territory.region
    if region.population.kind == "points" or region.data_dir is None:
        return None
    return population_source_from_spec(region.population, region.data_dir, settings)


def population_source_from_spec(spec: PopulationSpec | Mapping[str, object],
                                data_dir: Path | str,
                                settings: Settings | None = None) -> PopulationSource:
    """The source a spec names, with its files resolved against ``data_dir``.

    A missing file is refused here, before any territory is loaded; the file's content is read
    (and checked) when the source is first called. The assignment tolerance is the settings'.

    >>> src = population_source_from_spec({"kind": "points"}, "geodata")
    >>> src.cache_key
    'shipped'
    """
    if not isinstance(spec, PopulationSpec):
        spec = PopulationSpec.from_mapping(spec)
    settings = settings or get_settings()
    base = Path(data_dir)
    if spec.kind == "points":
        return PointsSource()
    problems = []
    paths = {}
    for name in ("file", "table"):
        rel = getattr(spec, name)
        if rel is None:
            continue
        path = base / rel
        paths[name] = path
        if not path.is_file():
            problems.append(keyed(spec.origin, None, name, "path_not_found", "exp_file_in_folder",
                                  value=repr(rel), folder=base))
    if problems:
        raise DataValidationError(problems, f"{spec.origin}: file(s) missing")
    tol = float(settings.assign_tolerance_m)
    if spec.kind == "grid":
        return GridSource(spec, paths["file"], tol)
    return AreasSource(spec, paths["file"], paths["table"], tol)


# ---------------------------------------------------------------------------------------------
# reading tables


class _Refused(SmartmapError):
    """A file-level problem: turned into a DataValidationError naming the file. Built from
    catalog keys (``msgctxt "problem"``) and their values, or from a problem already made."""

    def __init__(self, code: str | Problem, expected: str | None = None,
                 field: str | None = None, **args: object):
        self.problem = (code if isinstance(code, Problem)
                        else keyed("", None, field, code, expected, **args))
        super().__init__(self.problem.message)


def _refuse(label: str, exc: _Refused) -> DataValidationError:
    return DataValidationError([replace(exc.problem, source=label)], f"{label}: refused")


@dataclass
class _Table:
    """A file's attribute table as text, the person-counted row of each record, and geometry."""

    text: pd.DataFrame
    rows: np.ndarray
    geometry: gpd.GeoSeries | None = None
    kind: str = "CSV"


def _separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ","


def _read_csv(path: Path) -> _Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _Refused("cannot_be_read", "exp_readable_file", reason=exc.strerror or exc) from None
    if not data.strip():
        raise _Refused("empty_file", "exp_header_and_row")
    if data.startswith(b"SQLite format 3\x00") or data.startswith(b"PK\x03\x04"):
        raise _Refused("binary_named_csv", "exp_csv_or_extension")
    try:
        text, _ = decode_text(data)
    except SmartmapError as exc:
        said = getattr(exc, "problem", None)
        if isinstance(said, Problem) and said.code is not None:
            raise _Refused(rekeyed(said, to_expected="exp_text_encoding")) from None
        raise _Refused("as_said", "exp_text_encoding", text=str(exc)) from None
    del data
    body = text.lstrip("\r\n")
    lead = text[: len(text) - len(body)].count("\n")
    del text
    header = body.split("\n", 1)[0]
    try:
        frame = pd.read_csv(io.StringIO(body), sep=_separator(header), dtype=str,
                            keep_default_na=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise _Refused("csv_malformed", "exp_one_cell_per_column", reason=exc) from None
    frame = frame.fillna("")
    # the header is row 1 (after any blank lines); blank lines keep their numbers, are no records
    rows = np.arange(2, len(frame) + 2) + lead
    blank = (frame == "").all(axis=1).to_numpy() if len(frame.columns) else np.ones(len(frame),
                                                                                   bool)
    frame = frame.loc[~blank].reset_index(drop=True)
    if frame.empty:
        raise _Refused("no_rows_header_only", "exp_row_below_header")
    return _Table(frame, rows[~blank])


def _vector_layer(path: Path, layer: str | None) -> str | None:
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layers = pyogrio.list_layers(path)
    names = [str(n) for n in layers[:, 0]]
    if layer is not None:
        if layer not in names:
            if names:
                raise _Refused("no_such_layer", "exp_layer_name", "layer", layer=repr(layer),
                               layers=", ".join(names))
            raise _Refused("no_such_layer_none", "exp_layer_name", "layer", layer=repr(layer))
        return layer
    if len(names) == 1:
        return names[0]
    raise _Refused("which_layer", "exp_layer_in_spec", "layer", n=len(names),
                   layers=", ".join(names))


def _read_vector(path: Path, layer: str | None, geometry: bool) -> _Table:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        name = _vector_layer(path, layer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path, layer=name, read_geometry=geometry)
    except (DataSourceError, DataLayerError, RuntimeError, ValueError) as exc:
        raise _Refused("vector_unreadable", "exp_vector_file", reason=exc) from None
    if frame.empty:
        raise _Refused("no_features_in_layer", "exp_one_feature", layer=repr(name))
    geom = None
    if geometry:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            raise _Refused("layer_no_geometry_crs", "exp_polygons_crs", layer=repr(name))
        geom = frame.geometry
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    text = pd.DataFrame({c: _as_text(frame[c]) for c in frame.columns}, index=frame.index)
    return _Table(text.reset_index(drop=True), np.arange(1, len(frame) + 1),
                  None if geom is None else geom.reset_index(drop=True), f"layer {name!r}")


def _as_text(values: pd.Series) -> pd.Series:
    """Attribute values as text; whole floats (``7.0``, a 13-digit id as float) lose ``.0``."""
    if pd.api.types.is_float_dtype(values):
        v = values.to_numpy(dtype="float64", na_value=np.nan)
        whole = np.isfinite(v) & (np.floor(v) == v) & (np.abs(v) < 2**53)
        out = values.astype("object").map(lambda x: "" if pd.isna(x) else repr(float(x)))
        out[whole] = v[whole].astype(np.int64).astype(str)
        return out.astype("str")
    return values.astype("object").where(values.notna(), "").astype("str")


def _read_any(path: Path, layer: str | None, geometry: bool) -> _Table:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if geometry:
            raise _Refused("csv_no_polygons", "exp_polygon_file")
        return _read_csv(path)
    if suffix in VECTOR_SUFFIXES:
        return _read_vector(path, layer, geometry)
    raise _Refused("unknown_file_type", "exp_one_of_plain", value=repr(suffix or "(none)"),
                   allowed=", ".join(CSV_SUFFIXES + VECTOR_SUFFIXES))


def _find_column(table: pd.DataFrame, given: str | None, candidates: tuple[str, ...],
                 what: Phrase, spec_key: str) -> str | None:
    """The column named by the spec, else the first documented name present (case-insensitive).

    Returns None when neither is there and ``given`` is None; a given name that is missing is
    refused.
    """
    keys = {column_key(c): c for c in table.columns}
    if given is not None:
        found = keys.get(column_key(given))
        if found is None:
            raise _Refused("no_such_column", "exp_column_name", spec_key, given=repr(given),
                           what=what, columns=", ".join(table.columns))
        return found
    for cand in candidates:
        if column_key(cand) in keys:
            return keys[column_key(cand)]
    return None


def _require_column(table: pd.DataFrame, given: str | None, candidates: tuple[str, ...],
                    what: Phrase, spec_key: str) -> str:
    found = _find_column(table, given, candidates, what, spec_key)
    if found is None:
        raise _Refused("no_column_among", "exp_column_named", spec_key, what=what,
                       columns=", ".join(table.columns), names=" or ".join(candidates),
                       key=spec_key)
    return found


def _counts(text: pd.Series, rows: np.ndarray, label: str, column: str,
            problems: list[Problem], ids: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """People per record: values, and which records have no published figure (blank, ':', '..').

    Non-numbers and negative numbers are errors (one per row)."""
    stripped = text.astype("str").str.strip()
    unpublished = stripped.isin(NOT_PUBLISHED).to_numpy()
    values, _, bad, _ = _parse_numbers(stripped.where(~unpublished, ""))
    negative = ~bad & ~unpublished & (values < 0)
    for pos in np.flatnonzero((bad & ~unpublished) | negative):
        problems.append(keyed(label, int(rows[pos]), column,
                              "negative_number" if negative[pos] else "not_a_number",
                              _EXPECT_COUNT, "error", None if ids is None else str(ids[pos]),
                              value=repr(text.iloc[pos])))
    return np.where(unpublished | bad | negative, np.nan, values), unpublished


def _by_row(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file, then row order (file-level ones first)."""
    return sorted(problems, key=lambda p: (p.source, -1 if p.row is None else p.row))


def _duplicates(keys: np.ndarray, rows: np.ndarray, label: str, column: str, what: Phrase,
                problems: list[Problem]) -> None:
    frame = pd.DataFrame({"key": keys, "row": rows})
    dup = frame["key"].duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first = frame.drop_duplicates("key").set_index("key")["row"]
    for pos in np.flatnonzero(dup):
        problems.append(keyed(label, int(rows[pos]), column, "same_as_row", "exp_each_once",
                              "error", str(keys[pos]), what=what, row=int(first[keys[pos]])))


# ---------------------------------------------------------------------------------------------
# grid


@dataclass(frozen=True)
class GridCells:
    """A grid file's cells, checked: id, lower-left corner and size (metres, in ``epsg``), people,
    reference year and file row. Cells without a published figure are not in it."""

    ids: np.ndarray
    e: np.ndarray
    n: np.ndarray
    size: np.ndarray
    epsg: int
    population: np.ndarray
    year: np.ndarray
    rows: np.ndarray
    problems: tuple[Problem, ...]
    """Warnings and notes from reading (cells without a figure, zero cells)."""

    def __len__(self) -> int:
        return len(self.ids)


def read_grid(path: Path, spec: PopulationSpec, label: str | None = None) -> GridCells:
    """Read and check a grid file (module doc); refuses it with every problem if any row is bad."""
    label = label or path.name
    try:
        table = _read_any(path, spec.layer, geometry=False)
        if spec.format == "scb":
            id_col = _find_column(table.text, spec.id_column, SCB_ID_COLUMNS, _CELL_ID,
                                  "id_column")
            pop_col = _require_column(table.text, spec.population_column,
                                      SCB_POPULATION_COLUMNS, _POPULATION, "population_column")
        else:
            id_col = _find_column(table.text, spec.id_column, GEOSTAT_ID_COLUMNS, _CELL_ID,
                                  "id_column")
            pop_col = _require_column(table.text, spec.population_column,
                                      GEOSTAT_POPULATION_COLUMNS, _POPULATION,
                                      "population_column")
        if id_col is None:
            if path.suffix.lower() in CSV_SUFFIXES:
                names = SCB_ID_COLUMNS if spec.format == "scb" else GEOSTAT_ID_COLUMNS
                raise _Refused("no_column_among", "exp_column_named", "id_column", what=_CELL_ID,
                               columns=", ".join(table.text.columns), names=" or ".join(names),
                               key="id_column")
            table = _read_vector(path, spec.layer, geometry=True)
    except _Refused as exc:
        raise _refuse(label, exc) from None
    problems: list[Problem] = []
    text, rows = table.text, table.rows
    if id_col is not None:
        raw_ids = text[id_col].astype("str").str.strip()
        e, n, size, epsg, ok = _parse_ids(raw_ids, text, rows, spec, label, id_col, problems)
    else:
        raw_ids, e, n, size, epsg, ok = _ids_from_squares(table, spec, label, problems)
        id_col = "geometry"
    people, unpublished = _counts(text[pop_col], rows, label, pop_col, problems,
                                  raw_ids.to_numpy())
    year = _years(text, rows, spec, label, problems)
    ids = _canonical_ids(spec.format, e, n, size, epsg, ok, raw_ids.to_numpy(dtype=str))
    _duplicates(ids[ok], rows[ok], label, id_col, phrase("noun_cell"), problems)
    errors = _by_row(p for p in problems if p.severity == "error")
    if errors:
        raise DataValidationError(errors, f"{label}: {len(errors)} problem(s); nothing was used")
    notes = list(problems)
    skipped = int(unpublished.sum())
    if skipped:
        notes.append(keyed(label, None, pop_col, "cells_unpublished", None, "warning",
                           n=skipped))
    zero = int((~unpublished & (people == 0)).sum())
    if zero:
        notes.append(keyed(label, None, pop_col, "cells_zero", None, "info", n=zero))
    # cells in id order, so that nothing downstream (not even a float sum) depends on row order
    keep = np.flatnonzero(~unpublished & (people > 0))
    keep = keep[np.argsort(ids[keep], kind="stable")]
    return GridCells(ids[keep], e[keep], n[keep], size[keep], epsg, people[keep], year[keep],
                     rows[keep], tuple(notes))


def _parse_ids(raw: pd.Series, text: pd.DataFrame, rows: np.ndarray, spec: PopulationSpec,
               label: str, column: str, problems: list[Problem]
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    count = len(raw)
    if spec.format == "scb":
        e, n, ok = gridcells.parse_scb_ids(raw)
        epsg = 3006
        size_col = _find_column(text, None, (SCB_SIZE_COLUMN,), phrase("noun_cell_size"),
                                "cell_size_m")
        if size_col is not None:
            values, _, bad, _ = _parse_numbers(text[size_col])
            bad |= ~bad & ((values <= 0) | (values != np.round(values)))
            for pos in np.flatnonzero(bad):
                problems.append(keyed(label, int(rows[pos]), size_col, "not_cell_size_value",
                                      "exp_metres_cell", "error", str(raw.iloc[pos]),
                                      value=repr(text[size_col].iloc[pos])))
            size = np.where(bad, 0, np.nan_to_num(values)).astype(np.int64)
            if spec.cell_size_m is not None:
                other = ~bad & (size != spec.cell_size_m)
                for pos in np.flatnonzero(other):
                    problems.append(keyed(
                        label, int(rows[pos]), size_col, "size_vs_spec", "exp_same_size",
                        "error", str(raw.iloc[pos]), size=size[pos], spec=spec.cell_size_m))
            ok &= ~bad
        else:
            size = np.full(count, spec.cell_size_m or 1000, dtype=np.int64)
        expect = _EXPECT_SCB_ID
    else:
        cells = gridcells.parse_inspire_ids(raw)
        e, n, size, ok = cells.e, cells.n, cells.size, cells.ok
        known = np.isin(cells.epsg, (3035, 3006))
        for pos in np.flatnonzero(ok & ~known):
            problems.append(keyed(label, int(rows[pos]), column, "cell_in_epsg", "exp_grid_epsg",
                                  "error", str(raw.iloc[pos]), epsg=cells.epsg[pos]))
        ok &= known
        found = np.unique(cells.epsg[ok])
        if len(found) > 1:
            problems.append(keyed(label, None, column, "cells_several_crs", "exp_one_crs",
                                  crs=", ".join(f"EPSG:{c}" for c in found)))
        epsg = int(found[0]) if len(found) else gridcells.GEOSTAT_EPSG
        if spec.cell_size_m is not None:
            other = ok & (size != spec.cell_size_m)
            for pos in np.flatnonzero(other):
                problems.append(keyed(label, int(rows[pos]), column, "cell_size_vs_spec",
                                      "exp_same_size", "error", str(raw.iloc[pos]),
                                      size=size[pos], spec=spec.cell_size_m))
        expect = _EXPECT_INSPIRE_ID
    parsed = ok.copy()
    for pos in np.flatnonzero(~parsed & ~_flagged(problems, label, rows)):
        value = raw.iloc[pos]
        problems.append(keyed(label, int(rows[pos]), column,
                              "not_a_cell_id" if value else "empty_cell_id", expect, "error",
                              None, value=repr(value)))
    off = parsed & (size > 0) & ((e % np.maximum(size, 1) != 0) | (n % np.maximum(size, 1) != 0))
    for pos in np.flatnonzero(off):
        hint = spec.format == "scb" and e[pos] % 250 == 0 and n[pos] % 250 == 0
        problems.append(keyed(label, int(rows[pos]), column,
                              "corner_off_grid_250" if hint else "corner_off_grid",
                              "exp_corner_multiple", "error", str(raw.iloc[pos]), e=e[pos],
                              n=n[pos], size=size[pos]))
    return e, n, size, epsg, parsed & ~off


def _flagged(problems: list[Problem], label: str, rows: np.ndarray) -> np.ndarray:
    """Rows that already carry an error (no second message for the same id)."""
    seen = {p.row for p in problems
            if p.source == label and p.severity == "error" and p.row is not None}
    return np.isin(rows, list(seen)) if seen else np.zeros(len(rows), dtype=bool)


def _ids_from_squares(table: _Table, spec: PopulationSpec, label: str,
                      problems: list[Problem]
                      ) -> tuple[pd.Series, np.ndarray, np.ndarray, np.ndarray, int, np.ndarray]:
    """Cells from square polygons (a vector grid without an id column)."""
    geom = table.geometry
    assert geom is not None
    epsg = 3006 if spec.format == "scb" else gridcells.GEOSTAT_EPSG
    if geom.crs is not None and geom.crs.to_epsg() != epsg:
        geom = geom.to_crs(epsg)
    e, n, size, ok = gridcells.corners_of_squares(geom.values)
    if spec.cell_size_m is not None:
        ok &= size == spec.cell_size_m
    ok &= (size > 0) & (e % np.maximum(size, 1) == 0) & (n % np.maximum(size, 1) == 0)
    for pos in np.flatnonzero(~ok):
        problems.append(keyed(label, int(table.rows[pos]), "geometry", "not_grid_square",
                              "exp_square_of" if spec.cell_size_m else "exp_square", "error",
                              None, epsg=epsg, size=spec.cell_size_m or ""))
    ids = (gridcells.scb_ids(e, n) if spec.format == "scb"
           else gridcells.inspire_ids(epsg, size, e, n))
    return pd.Series(ids, dtype="str"), e, n, size, epsg, ok


def _canonical_ids(fmt: str | None, e: np.ndarray, n: np.ndarray, size: np.ndarray, epsg: int,
                   ok: np.ndarray, raw: np.ndarray) -> np.ndarray:
    """One spelling per cell (duplicates are found whatever spelling a file used)."""
    out = raw.astype(object).copy()
    if ok.any():
        if fmt == "scb":
            out[ok] = gridcells.scb_ids(e[ok], n[ok])
        else:
            out[ok] = gridcells.inspire_ids(epsg, size[ok], e[ok], n[ok])
    return out.astype(str)


def _years(text: pd.DataFrame, rows: np.ndarray, spec: PopulationSpec, label: str,
           problems: list[Problem]) -> np.ndarray:
    if spec.year is not None:
        return np.full(len(text), spec.year, dtype=np.int64)
    col = _find_column(text, None, (SCB_DATE_COLUMN,), phrase("noun_reference_date"), "year")
    if col is not None:
        years = pd.to_numeric(text[col].astype("str").str.strip().str[:4], errors="coerce")
        years = years.where((years >= 1900) & (years <= 2100))
        return years.fillna(-1).to_numpy(dtype=np.int64)
    default = GEOSTAT_YEAR if spec.format == "geostat" else -1
    return np.full(len(text), default, dtype=np.int64)


def _years_array(year: np.ndarray) -> pd.arrays.IntegerArray:
    """Years as nullable integers (-1 = unknown)."""
    return pd.arrays.IntegerArray(np.where(year >= 0, year, 0).astype(np.int64), year < 0)


def _to_analysis(x: np.ndarray, y: np.ndarray, epsg: int) -> tuple[np.ndarray, np.ndarray]:
    if epsg == 3006:
        return x, y
    from pyproj import Transformer

    tr = Transformer.from_crs(epsg, 3006, always_xy=True)
    return tr.transform(x, y)


def _grid_points(cells: GridCells, territory: Territory, spec: PopulationSpec, label: str,
                 tolerance_m: float) -> SourceResult:
    source_name = f"{spec.format}_grid"
    notes = list(cells.problems)
    muni = territory.municipalities
    cx, cy, _ = gridcells.cell_points(cells.e, cells.n, cells.size, 1)
    cx, cy = _to_analysis(cx, cy, cells.epsg)
    # cells far from the county cannot be assigned: leave them out of the spatial join
    minx, miny, maxx, maxy = shapely.bounds(territory.county_polygon)
    reach = tolerance_m + float(cells.size.max(initial=0))
    near = (cx >= minx - reach) & (cx <= maxx + reach) & (cy >= miny - reach) & (cy <= maxy + reach)
    code = np.full(len(cells), None, dtype=object)
    rule = np.full(len(cells), ASSIGN_OUTSIDE, dtype=object)
    if near.any():
        got = assign_municipalities(
            gpd.GeoSeries(shapely.points(cx[near], cy[near]), crs=ANALYSIS_CRS), muni,
            tolerance_m)
        code[near] = got["kommun_kod"].astype("object").where(got["kommun_kod"].notna(),
                                                              None).to_numpy()
        rule[near] = got["rule"].to_numpy()
    k = spec.spread
    if k == 1:
        px, py, cell = cx, cy, np.arange(len(cells))
        sub_code = code
    else:
        sx, sy, cell = gridcells.cell_points(cells.e, cells.n, cells.size, k)
        sx, sy = _to_analysis(sx, sy, cells.epsg)
        keep = near[cell]
        px, py, cell = sx[keep], sy[keep], cell[keep]
        got = assign_municipalities(gpd.GeoSeries(shapely.points(px, py), crs=ANALYSIS_CRS), muni,
                                    tolerance_m)
        sub_code = got["kommun_kod"].astype("object").where(got["kommun_kod"].notna(),
                                                            None).to_numpy()
        # a cell whose centre is outside takes the first of its points that is inside
        first = pd.Series(sub_code).groupby(cell).first()
        fill = pd.Series(code).isna().to_numpy() & np.isin(np.arange(len(cells)), first.index)
        code[fill] = first.reindex(np.flatnonzero(fill)).to_numpy()
        sub_code = np.where(pd.isna(sub_code), code[cell], sub_code)
    kept_cell = ~pd.isna(code)
    outside = ~kept_cell
    if outside.any():
        notes.append(keyed(
            label, None, None, "cells_outside", None, "warning", None, n=int(outside.sum()),
            people=f"{cells.population[outside].sum():,.0f}", km=f"{tolerance_m / 1000:g}"))
    nearest = kept_cell & (rule != ASSIGN_CONTAINS) & (rule != ASSIGN_OUTSIDE)
    if nearest.any():
        notes.append(keyed(label, None, None, "cells_nearest", None, "info", None,
                           n=int(nearest.sum()), km=f"{tolerance_m / 1000:g}"))
    use = kept_cell[cell] & ~pd.isna(sub_code)
    per = len(gridcells.sub_offsets(k))
    ids = cells.ids[cell[use]]
    if k > 1:  # every sub-point of a cell near the county is here: number them 0..k²-1
        sub = owner_numbers(cell)[use]
        point_ids = np.char.add(np.char.add(ids.astype(str), "/"), sub.astype(str))
    else:
        point_ids = ids.astype(str)
    year = cells.year[cell[use]]
    frame = gpd.GeoDataFrame(
        {
            "point_id": point_ids,
            "name": ids.astype(str),
            "kommun_kod": np.asarray(sub_code[use], dtype=object).astype(str),
            "population": cells.population[cell[use]] / per,
            "population_year": _years_array(year),
            "source": source_name,
            "source_row": pd.array(cells.rows[cell[use]], dtype="Int64"),
        },
        geometry=shapely.points(px[use], py[use]),
        crs=ANALYSIS_CRS,
    )[[*SOURCE_COLUMNS, "geometry"]]
    return SourceResult(frame, tuple(notes), "scale")


# ---------------------------------------------------------------------------------------------
# areas


def _areas_points(src: AreasSource, territory: Territory) -> SourceResult:
    spec = src.spec
    poly_label, table_label = spec.file or src.path.name, spec.table or src.table_path.name
    try:
        polys = _read_any(src.path, spec.layer, geometry=True)
        code_col = _require_column(polys.text, spec.code_column, AREA_CODE_COLUMNS, _AREA_CODE,
                                   "code_column")
        kommun_col = _find_column(polys.text, spec.kommun_column, AREA_KOMMUN_COLUMNS,
                                  phrase("noun_municipality_code"), "kommun_column")
    except _Refused as exc:
        raise _refuse(poly_label, exc) from None
    try:
        table = _read_any(src.table_path, None, geometry=False)
        t_code = _require_column(table.text, spec.table_code_column, (code_col, *AREA_CODE_COLUMNS),
                                 _AREA_CODE, "table_code_column")
        t_pop = _require_column(table.text, spec.population_column, TABLE_POPULATION_COLUMNS,
                                _POPULATION, "population_column")
    except _Refused as exc:
        raise _refuse(table_label, exc) from None
    problems: list[Problem] = []
    codes = polys.text[code_col].astype("str").str.strip().to_numpy()
    geoms = polys.geometry
    assert geoms is not None
    geoms = geoms.to_crs(ANALYSIS_CRS) if geoms.crs.to_epsg() != 3006 else geoms
    gvals = geoms.values
    bad_geom = shapely.is_missing(gvals) | shapely.is_empty(gvals)
    area_type = shapely.get_type_id(gvals)
    bad_geom |= ~np.isin(area_type, (3, 6))  # Polygon, MultiPolygon
    for pos in np.flatnonzero(bad_geom):
        missing = shapely.is_missing(gvals[pos]) or shapely.is_empty(gvals[pos])
        problems.append(keyed(poly_label, int(polys.rows[pos]), "geometry",
                              "no_polygon" if missing else "not_a_polygon", "exp_polygon",
                              "error", codes[pos] or None,
                              kind="" if missing else gvals[pos].geom_type))
    for pos in np.flatnonzero(codes == ""):
        problems.append(keyed(poly_label, int(polys.rows[pos]), code_col, "empty_area_code",
                              "exp_area_code"))
    _duplicates(codes[codes != ""], polys.rows[codes != ""], poly_label, code_col, _AREA_CODE,
                problems)
    t_codes = table.text[t_code].astype("str").str.strip().to_numpy()
    for pos in np.flatnonzero(t_codes == ""):
        problems.append(keyed(table_label, int(table.rows[pos]), t_code, "empty_area_code",
                              "exp_area_code"))
    _duplicates(t_codes[t_codes != ""], table.rows[t_codes != ""], table_label, t_code,
                _AREA_CODE, problems)
    people, unpublished = _counts(table.text[t_pop], table.rows, table_label, t_pop, problems,
                                  t_codes)
    errors = _by_row(p for p in problems if p.severity == "error")
    if errors:
        raise DataValidationError(errors, f"{poly_label} / {table_label}: {len(errors)} "
                                  "problem(s); nothing was used")
    notes: list[Problem] = []
    year = np.full(len(codes), spec.year if spec.year is not None else -1, dtype=np.int64)

    # municipality: the declared code, else the house rule on the representative point
    rep = shapely.point_on_surface(gvals)
    known = set(territory.municipalities["kommun_kod"].astype(str))
    if kommun_col is not None:
        declared = polys.text[kommun_col].astype("str").str.strip().str.zfill(4).to_numpy()
        muni = declared.astype(object)
        muni[~np.isin(declared, list(known))] = None
        rule = np.where(pd.isna(muni), ASSIGN_OUTSIDE, ASSIGN_DECLARED)
    else:
        got = assign_municipalities(gpd.GeoSeries(rep, crs=ANALYSIS_CRS),
                                    territory.municipalities, src.tolerance_m)
        muni = got["kommun_kod"].astype("object").where(got["kommun_kod"].notna(),
                                                        None).to_numpy()
        rule = got["rule"].to_numpy()
    inside = ~pd.isna(muni)

    # join the table by code
    pos_in_table = pd.Index(t_codes).get_indexer(pd.Index(codes))
    matched = pos_in_table >= 0
    pop = np.where(matched, people[np.maximum(pos_in_table, 0)], np.nan)
    no_figure = matched & np.isnan(pop)
    for pos in np.flatnonzero(inside & ~matched):
        notes.append(keyed(poly_label, int(polys.rows[pos]), code_col, "area_no_row",
                           "exp_row_with_code", "warning", codes[pos], area=repr(codes[pos]),
                           table=table_label))
    if (inside & no_figure).any():
        notes.append(keyed(table_label, None, t_pop, "areas_unpublished", None, "warning",
                           n=int((inside & no_figure).sum())))
    # table rows without an area: rows of this county named one by one, the others counted
    unused = ~np.isin(t_codes, codes)
    # (DeSO and RegSO codes start with the municipality code: SCB, "Geografiska indelningar")
    prefix = pd.Series(codes[inside], dtype="str").str[:4]
    prefixed = bool(len(prefix)) and bool(prefix.isin(known).all())
    local = unused & (pd.Series(t_codes, dtype="str").str[:4].isin(known).to_numpy()
                      if prefixed else True)
    for pos in np.flatnonzero(local):
        unknown = np.isnan(people[pos])
        notes.append(keyed(table_label, int(table.rows[pos]), t_code,
                           "code_no_area" if unknown else "code_no_area_people",
                           "exp_area_with_code", "warning", t_codes[pos],
                           code=repr(t_codes[pos]), polygons=poly_label,
                           people="" if unknown else f"{people[pos]:,.0f}"))
    if (unused & ~local).any():
        notes.append(keyed(table_label, None, t_code, "rows_other_counties", None, "info",
                           n=int((unused & ~local).sum())))
    outside = ~inside & matched & ~np.isnan(pop)
    if outside.any():
        notes.append(keyed(poly_label, None, None, "areas_outside", None,
                           "info" if kommun_col else "warning", None, n=int(outside.sum()),
                           people=f"{np.nansum(pop[outside]):,.0f}"))
    nearest = inside & (rule != ASSIGN_CONTAINS) & (rule != ASSIGN_DECLARED)
    if nearest.any():
        notes.append(keyed(poly_label, None, None, "areas_nearest", None, "info", None,
                           n=int(nearest.sum()), km=f"{src.tolerance_m / 1000:g}"))

    use = inside & matched & ~np.isnan(pop) & ~bad_geom
    idx = np.flatnonzero(use)
    idx = idx[np.argsort(codes[idx], kind="stable")]  # code order: row order changes nothing
    px, py, owner = _area_points(gvals[idx], rep[idx], spec.spread)
    per = np.bincount(owner, minlength=len(idx))
    area = idx[owner]
    sub = owner_numbers(owner)
    point_ids = (codes[area].astype(str) if spec.spread == 1 else
                 np.char.add(np.char.add(codes[area].astype(str), "/"), sub.astype(str)))
    yr = year[area]
    frame = gpd.GeoDataFrame(
        {
            "point_id": point_ids,
            "name": codes[area].astype(str),
            "kommun_kod": np.asarray(muni[area], dtype=object).astype(str),
            "population": pop[area] / per[owner],
            "population_year": _years_array(yr),
            "source": "areas",
            "source_row": pd.array(polys.rows[area], dtype="Int64"),
        },
        geometry=shapely.points(px, py),
        crs=ANALYSIS_CRS,
    )[[*SOURCE_COLUMNS, "geometry"]]
    return SourceResult(frame, tuple(notes), "scale")


def owner_numbers(owner: np.ndarray) -> np.ndarray:
    """0, 1, 2 ... within each run of equal consecutive owners.

    >>> owner_numbers(np.array([0, 0, 0, 1, 2, 2])).tolist()
    [0, 1, 2, 0, 0, 1]
    """
    if len(owner) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    counts = np.diff(np.r_[starts, len(owner)])
    numbers: npt.NDArray[np.intp] = np.arange(len(owner)) - np.repeat(starts, counts)
    return numbers


def _area_points(polys: np.ndarray, rep: np.ndarray, k: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points standing for each area: its representative point (k = 1), or the points of a k x k
    lattice over its bounding box that lie inside it (the representative point when none does).
    Returns x, y and the index of the area of each point, areas in order."""
    rxy = shapely.get_coordinates(rep).reshape(-1, 2)
    if k == 1 or len(polys) == 0:
        return rxy[:, 0], rxy[:, 1], np.arange(len(polys))
    b = shapely.bounds(polys)
    off = gridcells.sub_offsets(k)
    x = (b[:, 0, None] + (b[:, 2] - b[:, 0])[:, None] * off[None, :, 0]).ravel()
    y = (b[:, 1, None] + (b[:, 3] - b[:, 1])[:, None] * off[None, :, 1]).ravel()
    owner = np.repeat(np.arange(len(polys)), len(off))
    inside = shapely.contains_xy(polys[owner], x, y)
    hit = np.bincount(owner[inside], minlength=len(polys)) > 0
    x = np.concatenate([x[inside], rxy[~hit, 0]])
    y = np.concatenate([y[inside], rxy[~hit, 1]])
    owner = np.concatenate([owner[inside], np.flatnonzero(~hit)])
    order = np.argsort(owner, kind="stable")
    return x[order], y[order], owner[order]
