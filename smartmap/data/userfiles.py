"""Read a user's innovation-environments file into exactly the shipped environments schema.

Users bring lists as Excel CSV exports (UTF-8, UTF-8 with BOM or Windows-1252; ``,``, ``;`` or tab
separated; decimal comma), CSV with SWEREF 99 TM easting/northing, GeoJSON FeatureCollections of
points or a GeoPackage point layer. :func:`read_environments` turns any of them into a GeoDataFrame
with the same columns and dtypes as ``Territory.environments`` (EPSG:3006), says which rule gave each
row its municipality, and refuses a file with any error as a whole: a
:class:`~smartmap.core.errors.DataValidationError` lists every problem, one per row and field. Reading is
pure: the Territory passed in is only read. The accepted formats and every decision are written
down in ``docs/data-io.md``.

>>> generate_id("Södertälje Science Park")
'sodertalje-science-park-2e312f'
>>> decode_text("Täby;Solna".encode("cp1252"))
('Täby;Solna', 'Windows-1252')
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, cast

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from smartmap.core import lists, vocab
from smartmap.core.errors import DataValidationError, Phrase, Problem, SmartmapError
from smartmap.core.i18n import LANGS, Lang, message
from smartmap.core.limits import MAX_COLUMNS, MAX_NAME_CHARS, MAX_ROWS, MAX_TEXT_CHARS
from smartmap.core.problemtext import keyed, phrase, rekeyed
from smartmap.core.region import Terms
from smartmap.core.settings import ANALYSIS_CRS, EXCHANGE_CRS, Settings, get_settings
from smartmap.data import safety, schemas
from smartmap.data.layers import (
    ASSIGN_CONTAINS,
    ASSIGN_DECLARED,
    LAYERS,
    Territory,
    assign_municipalities,
    build_point_layer,
    check_locations,
    county_names,
)
from smartmap.data.schemas import ENVIRONMENT_FIELDS, Field

RULE_DECLARED = ASSIGN_DECLARED
"""The row's own ``kommun_kod`` (authoritative, as for the shipped data)."""
RULE_CONTAINING = ASSIGN_CONTAINS
"""No code given: the municipality polygon the point lies in."""


OPTIONAL_IN_UPLOADS = ("id", "kommun_kod", "kommun")
"""Columns of the shipped schema a user file may leave out (ids are generated, codes assigned)."""

USER_FIELDS: tuple[Field, ...] = tuple(
    replace(f, required=False, nullable=True) if f.name in OPTIONAL_IN_UPLOADS else f
    for f in ENVIRONMENT_FIELDS
    if f.name not in ("lat", "lon")
)
"""The environments schema as checked on user files (coordinates are checked separately)."""

COORDINATE_ALIASES: dict[str, tuple[str, ...]] = {
    "lat": ("lat", "latitude", "latitud"),
    "lon": ("lon", "lng", "long", "longitude", "longitud"),
    "easting": ("easting", "east", "e", "sweref_e", "sweref99_e", "sweref99tm_e",
                "sweref99_tm_e"),
    "northing": ("northing", "north", "n", "sweref_n", "sweref99_n", "sweref99tm_n",
                 "sweref99_tm_n"),
}
"""Accepted coordinate column names (compared case-insensitively; spaces and '-' count as '_')."""

SWEREF_EASTING = (180_000.0, 1_090_000.0)
SWEREF_NORTHING = (6_090_000.0, 7_700_000.0)
"""Ranges of SWEREF 99 TM coordinates over Sweden (EPSG:3006 area of use, rounded outwards)."""

CSV_SEPARATORS = (";", ",", "\t")
SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab"}

_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MOJIBAKE = re.compile("Ã[¥¤¶…„–]")
_WGS84_CRS_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "ogc:crs84", "crs84",
    "epsg:4326", "urn:ogc:def:crs:epsg::4326", "urn:ogc:def:crs:epsg:6.6:4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84", "http://www.opengis.net/def/crs/epsg/0/4326",
}
# what the file was expected to be or hold: catalog keys (msgctxt "problem")
_EXPECT_FORMAT = "exp_format"
_EXPECT_LATLON = "exp_latlon"
_EXPECT_SWEREF = "exp_sweref"
_EXPECT_GEOMETRY = "exp_geometry"

ASSIGNMENT_COLUMNS = ["row", "id", "name", "kommun_kod", "kommun", "rule", "distance_m"]


@dataclass(frozen=True)
class ReadResult:
    """What a valid file turned into, and how.

    ``environments`` has exactly the columns and dtypes of ``Territory.environments`` (EPSG:3006).
    ``assignments`` has one row per environment: the file ``row`` (CSV header = row 1; GeoJSON and
    GeoPackage: feature number), ``id``, ``name``, ``kommun_kod``, ``kommun``, ``rule`` (how the
    municipality was found) and ``distance_m`` (point to that municipality's polygon, 0 inside).
    ``warnings`` are findings that did not stop the file (point outside its declared polygon, a
    name that differs from the code's, an ignored column ...).
    """

    environments: gpd.GeoDataFrame
    assignments: pd.DataFrame
    warnings: tuple[Problem, ...]
    source: str
    detected: Mapping[str, str]
    generated_ids: tuple[str, ...] = ()
    shared_ids: tuple[str, ...] = ()
    """Ids that are also in the territory (environments or actors): the same entity."""

    @property
    def rows(self) -> int:
        """Number of environments read."""
        return len(self.environments)

    def rule_counts(self) -> dict[str, int]:
        """How many rows each assignment rule placed, in rule order."""
        counts = self.assignments["rule"].value_counts()
        order = sorted(counts.index, key=lambda r: (r != ASSIGN_DECLARED, r != ASSIGN_CONTAINS, r))
        return {str(rule): int(counts[rule]) for rule in order}

    def summary(self) -> str:
        """A plain-text report: what was read, how each row was assigned, the warnings."""
        how = ", ".join(f"{v}" for v in self.detected.values())
        lines = [f"{self.source}: OK, {self.rows} environment(s) read ({how})"]
        counts = ", ".join(f"{n} {rule}" for rule, n in self.rule_counts().items())
        lines.append(f"Municipality assignment: {counts}")
        if self.generated_ids:
            lines.append(f"Ids generated from the name: {len(self.generated_ids)}")
        if self.shared_ids:
            lines.append(f"Ids also in the territory (the same entity): {len(self.shared_ids)}")
        table = self.assignments.copy()
        table["distance_m"] = table["distance_m"].map(
            lambda d: "-" if pd.isna(d) else f"{d:.0f}"
        )
        lines += ["", table.to_string(index=False)]
        if self.warnings:
            lines += ["", f"Warnings ({len(self.warnings)}):"]
            lines += [f"  [{p.severity}] {p}" for p in self.warnings]
        return "\n".join(lines)


class _FileRefused(SmartmapError):
    """The file as a whole cannot be read (carries one file-level problem: the catalog keys of
    its message and expectation, and their values; or a problem already made, named "").

    ``read_environments`` turns it into a :class:`DataValidationError`.
    """

    def __init__(self, code: str | Problem, expected: str | None = None,
                 field: str | None = None, row: int | None = None, **args: object):
        self.problem = (code if isinstance(code, Problem)
                        else keyed("", row, field, code, expected, **args))
        super().__init__(self.problem.message)


@dataclass
class _Coordinates:
    """Coordinates of every row as read, before any check."""

    x: np.ndarray
    """Longitude or easting (float, NaN where absent or unusable)."""
    y: np.ndarray
    crs: Literal["wgs84", "sweref"]
    missing: np.ndarray
    """Rows without any coordinate (allowed when the row declares ``kommun_kod``)."""
    invalid: np.ndarray
    """Rows whose coordinates were already reported as unusable."""
    x_field: str
    y_field: str
    pair_field: str


@dataclass
class _Raw:
    """A file parsed into text cells, before the schema checks."""

    table: pd.DataFrame
    rows: np.ndarray
    coords: _Coordinates | None
    detected: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    broken_rows: set[int] = field(default_factory=set)
    """Rows whose cells do not line up with the header: only that is reported for them."""


# ---------------------------------------------------------------------------------------------
# public entry


def read_environments(
    source: Path | str | bytes,
    territory: Territory,
    *,
    name: str | None = None,
    settings: Settings | None = None,
) -> ReadResult:
    """Read an environments file (path or uploaded bytes) against a territory's municipalities.

    ``name`` is the file name shown in messages (and, for bytes, the hint for the format); it
    defaults to the path's name or ``upload``. Raises :class:`DataValidationError` listing every
    problem when anything is wrong; never changes ``territory``.
    """
    settings = settings or get_settings()
    if isinstance(source, str):
        source = Path(source)
    label = safety.file_label(name or (source.name if isinstance(source, Path) else "upload"))
    try:
        data = _load_bytes(source, settings.max_upload_bytes)
        raw = _parse(data, label)
    except _FileRefused as exc:
        problem = replace(exc.problem, source=label)
        raise DataValidationError([problem], f"{label}: refused") from None
    return _to_environments(raw, territory, settings, label)


def generate_id(name: str) -> str:
    """A stable id from a name: an ASCII slug plus 6 hex digits of the name's SHA-1.

    The hash keeps names that slug alike apart ("Café X" / "Cafe X"); whitespace and Unicode
    normalisation do not change the id.
    """
    clean = " ".join(unicodedata.normalize("NFC", name).split())
    ascii_ = unicodedata.normalize("NFKD", clean).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:48].strip("-") or "env"
    digest = hashlib.sha1(clean.encode("utf-8")).hexdigest()[:6]
    return f"{slug}-{digest}"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Strict UTF-8 first: Windows-1252 text with å/ä/ö is practically never valid UTF-8, so the
    order is safe. Returns the text and the encoding's name; raises a SmartmapError for bytes
    that are none of these.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError as exc:
            raise _FileRefused("bom_not_utf8", "exp_utf8_text", byte=exc.start + 3) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _FileRefused("bom_not_utf16", "exp_utf8_text") from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise _FileRefused("not_text_byte", _EXPECT_FORMAT, byte=exc.start,
                           hex=f"0x{data[exc.start]:02x}") from None


# ---------------------------------------------------------------------------------------------
# bytes -> parsed text table


def _load_bytes(source: Path | bytes, limit: int) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        _check_size(len(data), limit)
        return data
    if not isinstance(source, Path):
        raise _FileRefused("cannot_read_type", "exp_path_or_bytes", type=type(source).__name__)
    if not source.exists():
        raise _FileRefused("file_not_found", "exp_existing_file")
    if not source.is_file():
        raise _FileRefused("not_a_file", "exp_a_file")
    try:
        _check_size(source.stat().st_size, limit)
        return source.read_bytes()
    except OSError as exc:
        raise _FileRefused("cannot_be_read", "exp_readable_file",
                           reason=exc.strerror or exc) from None


def _check_size(size: int, limit: int) -> None:
    if size > limit:
        raise _FileRefused("file_too_big", "exp_at_most_mib", mib=f"{size / 2**20:.1f}",
                           size=size, limit_mib=f"{limit / 2**20:g}", limit=limit)
    if size == 0:
        raise _FileRefused("empty_file_bytes", "exp_header_and_row")


def _parse(data: bytes, label: str) -> _Raw:
    suffix = Path(label).suffix.lower()
    if data.startswith(_SQLITE_MAGIC):
        return _parse_gpkg(data, label)
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise _FileRefused("excel_workbook", "exp_csv_from_excel")
    if suffix == ".gpkg":
        raise _FileRefused("not_gpkg_header", "exp_gpkg")
    text, encoding = decode_text(data)
    control = safety.CONTROL.search(text)
    if control is not None:
        raise _FileRefused("binary_data", _EXPECT_FORMAT, hex=f"0x{ord(control.group()):02x}",
                           pos=control.start())
    if not text.strip():
        raise _FileRefused("empty_whitespace", "exp_header_and_row")
    first = text.lstrip()[:1]
    if first in "{[" or suffix in (".json", ".geojson"):
        raw = _parse_geojson(text, label)
    else:
        raw = _parse_csv(text, label)
    raw.detected["encoding"] = encoding
    raw.detected = _ordered_detected(raw.detected)
    if _MOJIBAKE.search(text):
        raw.problems.append(keyed(label, None, None, "mojibake", "exp_aao", "warning"))
    return raw


def _ordered_detected(detected: dict[str, str]) -> dict[str, str]:
    order = ["format", "encoding", "separator", "decimal", "coordinates"]
    return {k: detected[k] for k in order if k in detected} | {
        k: v for k, v in detected.items() if k not in order
    }


def column_key(header: str) -> str:
    """A header normalised for matching: trimmed, case-folded, spaces/hyphens as ``_``.

    >>> column_key(" Priority areas ")
    'priority_areas'
    """
    text = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "")
    text = safety.CONTROL.sub("", safety.strip_bidi(text)).strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


HEADER_CONTEXT = "column_header"
"""Catalog context of the column headers a user file may use, in Swedish and English."""


def header(column: str, lang: Lang) -> str:
    """The header of an environments column in a language (``priority_areas`` /
    ``prioriterade områden``): what templates write and uploads accept.

    >>> header("name", "sv"), header("name", "en")
    ('namn', 'name')
    """
    return message(column, lang, HEADER_CONTEXT)


def _header_aliases() -> dict[str, str]:
    """Every language's header of every environments column -> the column (the canonical, English
    names and the coordinate spellings included)."""
    out = {alias: canon for canon, aliases in COORDINATE_ALIASES.items() for alias in aliases}
    for f in ENVIRONMENT_FIELDS:
        for lang in LANGS:
            out.setdefault(column_key(header(f.name, lang)), f.name)
    return out


_ALIAS = _header_aliases()
_KNOWN = {f.name for f in ENVIRONMENT_FIELDS} | set(_ALIAS)


def _canonical(header: str) -> str:
    key = column_key(header)
    return _ALIAS.get(key, key)


def _choose_separator(header_line: str) -> str:
    """The separator that splits the header into the most known column names (then most cells)."""
    def score(sep: str) -> tuple[int, int]:
        cells = next(csv.reader([header_line], delimiter=sep), [])
        return sum(column_key(c) in _KNOWN for c in cells), len(cells)

    return max(CSV_SEPARATORS, key=score)


def _parse_csv(text: str, label: str) -> _Raw:
    lines = text.splitlines()
    body = text
    separator: str | None = None
    if lines and re.fullmatch(r"sep=.", lines[0].strip()):
        separator = lines[0].strip()[4]
        body = text.split("\n", 1)[1] if "\n" in text else ""
    header_line = next((ln for ln in body.splitlines() if ln.strip()), "")
    if separator is None:
        separator = _choose_separator(header_line)
    try:  # at most the header, MAX_ROWS rows and one more to notice the excess
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator, strict=True)
        records = list(itertools.islice(reader, MAX_ROWS + 2))
        more = next(reader, None) is not None
    except csv.Error as exc:
        raise _FileRefused("csv_malformed", "exp_csv_quotes", reason=exc) from None
    if more or len(records) > MAX_ROWS + 1:
        raise _FileRefused("too_many_lines", "exp_at_most_rows_lines", max=MAX_ROWS)
    skipped = 0
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
        skipped += 1
    if not records:
        raise _FileRefused("empty_no_header", "exp_header_and_row")
    header, data = records[0], records[1:]
    if len(header) > MAX_COLUMNS:
        raise _FileRefused("header_columns", "exp_at_most_columns", row=skipped + 1,
                           n=len(header), max=MAX_COLUMNS)
    problems: list[Problem] = []
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for pos, head in enumerate(header):
        name = _canonical(head)
        if not name:
            if any(pos < len(r) and r[pos].strip() for r in data):
                problems.append(keyed(label, skipped + 1, f"column {pos + 1}", "column_no_name",
                                      "exp_header_every_column", "warning"))
            continue
        if name in seen:
            problems.append(keyed(label, skipped + 1, head.strip(), "column_twice",
                                  "exp_each_column_once", first=seen[name] + 1, second=pos + 1))
            continue
        seen[name] = pos
        keep.append(pos)
        names.append(name)
    width = len(header)
    cells: list[list[str]] = []
    rows: list[int] = []
    broken: set[int] = set()
    for number, record in enumerate(data, start=skipped + 2):
        if not any(c.strip() for c in record):
            continue
        if len(record) > width and any(c.strip() for c in record[width:]):
            problems.append(keyed(label, number, None, "cells_vs_header", "exp_cell_per_column",
                                  cells=len(record), width=width))
            broken.add(number)
        record = record + [""] * (width - len(record))
        cells.append([record[p] for p in keep])
        rows.append(number)
    if not cells:
        raise _FileRefused("no_rows_header_only", "exp_row_below_header")
    table = pd.DataFrame(cells, columns=names, dtype="str")
    # smartmap's Excel export writes text that starts like a formula as '=...; undo that
    table = table.apply(lambda s: s.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True))
    coords, comma = _csv_coordinates(table, label, np.array(rows), problems)
    detected = {
        "format": "CSV",
        "separator": f"separator {SEPARATOR_NAMES.get(separator, repr(separator))}",
    }
    if comma:
        detected["decimal"] = "decimal comma"
    if coords is not None:
        detected["coordinates"] = ("lat/lon (WGS 84)" if coords.crs == "wgs84"
                                   else "easting/northing (SWEREF 99 TM)")
    return _Raw(table, np.array(rows), coords, detected, problems, broken)


def _parse_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Numbers from text cells: decimal comma, spaces between digit groups and '−' accepted.

    Returns values (NaN where blank or bad), blank mask, bad mask, whether a decimal comma was seen.
    """
    t = text.astype("str").str.strip().str.replace("\u2212", "-", regex=False)
    t = t.str.replace(r"(?<=\d)[\s\u00a0\u202f](?=\d)", "", regex=True)
    comma = t.str.fullmatch(r"[+-]?\d*,\d+").fillna(False).astype(bool)
    t = t.where(~comma, t.str.replace(",", ".", regex=False))
    blank = (t == "").to_numpy()
    values = pd.to_numeric(t.where(~blank, None), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )
    bad = ~blank & ~np.isfinite(values)
    values = np.where(bad, np.nan, values)
    return values, blank, bad, bool(comma.any())


def _csv_coordinates(
    table: pd.DataFrame, label: str, rows: np.ndarray, problems: list[Problem]
) -> tuple[_Coordinates | None, bool]:
    has = {c: c in table.columns for c in COORDINATE_ALIASES}
    latlon = has["lat"] or has["lon"]
    sweref = has["easting"] or has["northing"]
    expected = "exp_coordinate_columns"
    if latlon and sweref:
        problems.append(keyed(label, None, "lat/lon", "both_coordinate_pairs",
                              "exp_one_coordinate_pair"))
        return None, False
    if not latlon and not sweref:
        problems.append(keyed(label, None, "lat/lon", "no_coordinate_columns", expected))
        return None, False
    x_name, y_name = ("lon", "lat") if latlon else ("easting", "northing")
    for name in (y_name, x_name):
        if not has[name]:
            problems.append(keyed(label, None, name, "missing_column", expected))
    if not (has[x_name] and has[y_name]):
        return None, False
    x, x_blank, x_bad, x_comma = _parse_numbers(table[x_name])
    y, y_blank, y_bad, y_comma = _parse_numbers(table[y_name])
    example = _EXPECT_LATLON if latlon else _EXPECT_SWEREF
    invalid = np.zeros(len(table), dtype=bool)
    for name, values, blank, bad, other_blank, other in (
        (y_name, table[y_name], y_blank, y_bad, x_blank, x_name),
        (x_name, table[x_name], x_blank, x_bad, y_blank, y_name),
    ):
        for pos in np.flatnonzero(bad):
            problems.append(keyed(label, int(rows[pos]), name, "not_a_number", example,
                                  value=repr(values.iloc[pos].strip())))
        for pos in np.flatnonzero(blank & ~other_blank):
            problems.append(keyed(label, int(rows[pos]), name, "empty_but_other",
                                  "exp_both_or_neither", other=other, y=y_name, x=x_name))
        invalid |= bad | (blank & ~other_blank)
    coords = _Coordinates(
        x=x, y=y, crs="wgs84" if latlon else "sweref", missing=x_blank & y_blank,
        invalid=invalid, x_field=x_name, y_field=y_name,
        pair_field="lat/lon" if latlon else "easting/northing",
    )
    return coords, x_comma or y_comma


def _cell_text(value: object) -> str:
    """A GeoJSON/GeoPackage attribute value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if not np.isfinite(value):
            return ""
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, list | tuple):
        return lists.join(_cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def _attribute_table(
    records: list[dict[str, object]], label: str, problems: list[Problem]
) -> pd.DataFrame:
    """Attribute dicts (GeoJSON properties, GeoPackage fields) as a text table, keys normalised.

    Row N is record N (1-based). At most ``MAX_COLUMNS`` distinct names; a number that is no
    usable value (a huge integer, NaN, Infinity) and text with unpaired surrogates are problems
    of their row and field (the cell is emptied or its surrogates replaced, so the table can be
    built; the file is refused anyway).
    """
    columns: dict[str, str] = {}
    clashes: set[str] = set()
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key in seen:
                continue
            seen.add(key)
            if len(key) > MAX_NAME_CHARS or safety.SURROGATE.search(key):
                raise _FileRefused("bad_property_name", "exp_names_at_most",
                                   name=safety.preview(key, 40), max=MAX_NAME_CHARS)
            canon = _canonical(key)
            first = columns.setdefault(canon, key)
            if first != key and key not in clashes:
                clashes.add(key)
                problems.append(keyed(label, None, key, "property_names_clash",
                                      "exp_each_column_once", first=repr(first), key=repr(key)))
            if len(columns) > MAX_COLUMNS:
                raise _FileRefused("too_many_properties", "exp_at_most_columns", max=MAX_COLUMNS)
    data: dict[str, list[str]] = {}
    for canon, key in columns.items():
        cells: list[str] = []
        for pos, record in enumerate(records):
            value = record.get(key)
            if isinstance(value, safety.UnusableNumber):
                problems.append(keyed(label, pos + 1, canon, "unusable_number",
                                      "exp_float_or_text", value=value.phrase or str(value)))
                value = None
            text = _cell_text(value)
            if safety.SURROGATE.search(text):
                problems.append(keyed(label, pos + 1, canon, "unpaired_surrogate", "exp_utf8"))
                text = safety.SURROGATE.sub("\ufffd", text)
            cells.append(text)
        data[canon] = cells
    return pd.DataFrame(data, index=range(len(records)), dtype="str")


def _drop_coordinate_attributes(
    table: pd.DataFrame, lat: np.ndarray, lon: np.ndarray, rows: np.ndarray, label: str,
    problems: list[Problem],
) -> pd.DataFrame:
    """Coordinates come from the geometry; warn where lat/lon attributes disagree with it."""
    for name, geom_values in (("lat", lat), ("lon", lon)):
        if name not in table.columns:
            continue
        values, _, _, _ = _parse_numbers(table[name])
        differs = np.isfinite(values) & np.isfinite(geom_values) & (
            np.abs(values - geom_values) > 1e-5
        )
        for pos in np.flatnonzero(differs):
            problems.append(keyed(label, int(rows[pos]), name, "attribute_vs_geometry",
                                  "exp_same_position", "warning", value=repr(values[pos]),
                                  geometry=repr(geom_values[pos])))
    drop = [c for c in table.columns if c in COORDINATE_ALIASES]
    return table.drop(columns=drop)


def _json_preview(value: object, limit: int = 60) -> str:
    """A parsed JSON value as short JSON text for a message (unusable numbers as words)."""
    return safety.shorten(json.dumps(value, default=str), limit)


def _crs_name(crs: object) -> str | None:
    if not isinstance(crs, dict):
        return None
    props = crs.get("properties")
    if not isinstance(props, dict):
        return None
    if "name" in props:
        return str(props["name"])
    if "code" in props:
        return f"EPSG:{props['code']}"
    if "href" in props:
        return str(props["href"])
    return None


def _parse_geojson(text: str, label: str) -> _Raw:
    try:
        doc = safety.load_json(text)
    except safety.InputRefused as exc:
        raise _FileRefused(exc.problem) from None
    except json.JSONDecodeError as exc:
        code, expected = (("json_truncated", "exp_complete_geojson")
                          if exc.pos >= len(text.rstrip()) else ("json_invalid", "exp_geojson_fc"))
        raise _FileRefused(code, expected, line=exc.lineno, column=exc.colno,
                           reason=exc.msg) from None
    expected = "exp_geojson_points"
    if not isinstance(doc, dict):
        raise _FileRefused("json_not_object", expected, type=type(doc).__name__)
    kind = doc.get("type")
    if kind != "FeatureCollection":
        if isinstance(kind, str):
            raise _FileRefused("geojson_not_fc", expected, field="type",
                               kind=safety.shown(kind, 40))
        raise _FileRefused("geojson_no_type", expected, field="type")
    if doc.get("crs") is not None:
        crs = _crs_name(doc["crs"])
        if crs is None or crs.strip().casefold() not in _WGS84_CRS_NAMES:
            raise _FileRefused(
                "crs_not_wgs84", "exp_no_crs", field="crs",
                crs=safety.shown(crs) if crs else _json_preview(doc["crs"]),
            )
    features = doc.get("features")
    if not isinstance(features, list):
        raise _FileRefused("features_missing", expected, field="features")
    if not features:
        raise _FileRefused("no_features", "exp_one_point_feature", field="features")
    if len(features) > MAX_ROWS:
        raise _FileRefused("n_features", "exp_at_most_features", field="features",
                           n=len(features), max=MAX_ROWS)
    problems: list[Problem] = []
    n = len(features)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    missing = np.zeros(n, dtype=bool)
    invalid = np.zeros(n, dtype=bool)
    records: list[dict[str, object]] = []
    for pos, feature in enumerate(features):
        row = pos + 1
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            what = (safety.shown(feature.get("type"), 40) if isinstance(feature, dict)
                    else type(feature).__name__)
            problems.append(keyed(label, row, "type", "not_a_feature", "exp_feature_point",
                                  what=what))
            records.append({})
            invalid[pos] = True
            continue
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            problems.append(keyed(label, row, "properties", "not_an_object",
                                  "exp_object_columns"))
            props = {}
        props = dict(props)
        if "id" not in props and isinstance(feature.get("id"), str | int):
            props["id"] = feature["id"]
        records.append(props)
        geometry = feature.get("geometry")
        if geometry is None:
            missing[pos] = True
            continue
        gtype = geometry.get("type") if isinstance(geometry, dict) else None
        if gtype != "Point":
            if isinstance(gtype, str):
                problems.append(keyed(label, row, "geometry", "geometry_not_point",
                                      _EXPECT_GEOMETRY, kind=safety.shown(gtype, 40)))
            else:
                problems.append(keyed(label, row, "geometry", "geometry_not_object",
                                      _EXPECT_GEOMETRY))
            invalid[pos] = True
            continue
        coordinates = geometry.get("coordinates")
        numeric = (
            isinstance(coordinates, list) and len(coordinates) in (2, 3)
            and all(isinstance(c, int | float | safety.UnusableNumber) and not isinstance(c, bool)
                    for c in coordinates)
        )
        if not numeric:
            problems.append(keyed(label, row, "geometry", "coords_not_two_numbers",
                                  _EXPECT_GEOMETRY, coordinates=_json_preview(coordinates)))
            invalid[pos] = True
            continue
        if not all(isinstance(c, int | float) and np.isfinite(c) for c in coordinates):
            problems.append(keyed(label, row, "geometry", "coords_not_finite",
                                  _EXPECT_GEOMETRY, coordinates=_json_preview(coordinates)))
            invalid[pos] = True
            continue
        if not coordinates:
            missing[pos] = True
            continue
        x[pos], y[pos] = float(coordinates[0]), float(coordinates[1])
    rows = np.arange(1, n + 1)
    table = _attribute_table(records, label, problems)
    table = _drop_coordinate_attributes(table, y, x, rows, label, problems)
    coords = _Coordinates(x, y, "wgs84", missing, invalid, "geometry", "geometry", "geometry")
    detected = {"format": "GeoJSON", "coordinates": "geometry (WGS 84)"}
    return _Raw(table, rows, coords, detected, problems)


def _parse_gpkg(data: bytes, label: str) -> _Raw:
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    try:  # sqlite3 first: views, virtual tables, computed columns, size (safety.py)
        contents = safety.inspect_geopackage(data)
    except safety.InputRefused as exc:
        raise _FileRefused(exc.problem) from None
    names = [c.name for c in contents]
    types = [c.geometry_type or "" for c in contents]
    points = [n for n, t in zip(names, types, strict=True) if "point" in t.lower()]
    if "environments" in names:
        layer = "environments"
    elif len(points) == 1:
        layer = points[0]
    elif len(names) == 1:
        layer = names[0]
    else:
        listing = ", ".join(f"{n} ({t or 'no geometry'})"
                            for n, t in zip(names, types, strict=True)) or "none"
        raise _FileRefused("gpkg_layers", "exp_one_point_layer", listing=listing)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(io.BytesIO(data), layer=layer,
                                           max_features=MAX_ROWS)
    except (DataSourceError, DataLayerError, RuntimeError, ValueError) as exc:
        raise _FileRefused("gpkg_unreadable", "exp_gpkg", reason=exc) from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise _FileRefused("layer_no_geometry", "exp_point_layer", layer=repr(layer))
    if frame.crs is None:
        raise _FileRefused("layer_no_crs", "exp_layer_crs", layer=repr(layer))
    if frame.empty:
        raise _FileRefused("layer_empty", "exp_one_feature", layer=repr(layer))
    problems: list[Problem] = []
    geoms = frame.geometry.values
    type_id = shapely.get_type_id(geoms)
    empty = (type_id == -1) | shapely.is_empty(geoms)
    not_point = ~empty & (type_id != 0)
    rows = np.arange(1, len(frame) + 1)
    for pos in np.flatnonzero(not_point):
        problems.append(keyed(label, int(rows[pos]), "geometry", "geometry_not_point",
                              "exp_point", kind=geoms[pos].geom_type))
    usable = ~empty & ~not_point
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    if usable.any():
        try:
            with np.errstate(all="ignore"):
                wgs = gpd.GeoSeries(geoms[usable], crs=frame.crs).to_crs(EXCHANGE_CRS)
        except (RuntimeError, ValueError) as exc:  # pyproj cannot transform this CRS
            raise _FileRefused("layer_crs_convert", "exp_layer_crs_short", layer=repr(layer),
                               crs=frame.crs.to_string(), reason=exc) from None
        x[usable], y[usable] = wgs.x.to_numpy(), wgs.y.to_numpy()
    bad_xy = usable & ~(np.isfinite(x) & np.isfinite(y))
    for pos in np.flatnonzero(bad_xy):
        problems.append(keyed(label, int(rows[pos]), "geometry", "coords_not_convertible",
                              "exp_point_in_sweden", crs=frame.crs.to_string()))
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    # pandas-stubs types the keys of ``to_dict`` as any label; a GeoPackage's are its field names
    records = cast(list[dict[str, object]],
                   attrs.astype("object").where(attrs.notna(), None).to_dict("records"))
    table = _attribute_table(records, label, problems)
    table = _drop_coordinate_attributes(table, y, x, rows, label, problems)
    coords = _Coordinates(x, y, "wgs84", empty, not_point | bad_xy, "geometry", "geometry",
                          "geometry")
    detected = {"format": f"GeoPackage layer {layer!r}",
                "coordinates": f"geometry ({frame.crs.to_string()})"}
    return _Raw(table, rows, coords, detected, problems)


# ---------------------------------------------------------------------------------------------
# text table -> environments


def _term_lookup(enum: vocab.Vocabulary) -> dict[str, str]:
    """Ids, Swedish and English labels of a vocabulary, case-folded, -> the id."""
    out: dict[str, str] = {}
    pairs: list[tuple[str, vocab.Label | None]]
    if isinstance(enum, Terms):
        pairs = [(t.id, t.label) for t in enum]
    else:
        pairs = [(m.value, vocab.LABELS.get(m)) for m in enum]
    for value, label in pairs:
        for key in (value, label.sv if label else None, label.en if label else None):
            if key:
                out.setdefault(key.casefold(), value)
                out.setdefault(column_key(key), value)
    return out


def _normalise_terms(table: pd.DataFrame, fields: Sequence[Field]) -> pd.DataFrame:
    """Vocabulary cells as ids: case, spaces and the Swedish/English labels are accepted."""
    out = table.copy()
    for f in fields:
        if f.kind not in ("enum", "enum_list") or f.name not in out.columns or f.enum is None:
            continue
        lookup = _term_lookup(schemas.field_vocabulary(f))

        def term(part: str, lookup: dict[str, str] = lookup) -> str:
            p = part.strip()
            return lookup.get(p.casefold(), lookup.get(column_key(p), p))

        column = out[f.name].astype("str")
        if f.kind == "enum":
            mapping = {v: term(v) for v in column.unique()}
        else:
            mapping = {
                v: lists.join(term(p) for p in lists.split(v))
                for v in column.unique()
            }
        out[f.name] = column.map(mapping).astype("str")
    return out


def _pad_codes(table: pd.DataFrame, rows: np.ndarray, label: str) -> tuple[pd.DataFrame,
                                                                            list[Problem]]:
    """Excel turns 0180 into 180: read three-digit codes with their leading zero, and say so."""
    if "kommun_kod" not in table.columns:
        return table, []
    codes = table["kommun_kod"].astype("str").str.strip()
    short = codes.str.fullmatch(r"\d{3}").fillna(False).astype(bool).to_numpy()
    if not short.any():
        return table, []
    out = table.copy()
    out["kommun_kod"] = codes.where(~short, "0" + codes)
    problems = [
        keyed(label, int(rows[pos]), "kommun_kod", "code_padded", "exp_four_digits", "warning",
              value=repr(codes.iloc[pos]), code=codes.iloc[pos])
        for pos in np.flatnonzero(short)
    ]
    return out, problems


def _remap_rows(problems: list[Problem], rows: np.ndarray) -> list[Problem]:
    """Problems numbered by table position -> numbered by the row the user sees."""
    return [p if p.row is None else replace(p, row=int(rows[p.row])) for p in problems]


def _check_coordinates(
    coords: _Coordinates,
    county: shapely.Geometry,
    county_name: str | Phrase,
    tolerance_m: float,
    rows: np.ndarray,
    label: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Problem]]:
    """Range, unit, axis-order and county checks; returns lat, lon, usable mask, problems."""
    problems: list[Problem] = []
    n = len(rows)
    ok = ~(coords.missing | coords.invalid)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    x, y = coords.x, coords.y
    geometry = coords.pair_field == "geometry"
    if coords.crs == "wgs84":
        lat_range = ok & (np.abs(y) > 90)
        lon_range = ok & (np.abs(x) > 180)
        if geometry:
            for pos in np.flatnonzero(lat_range | lon_range):
                metres = max(abs(x[pos]), abs(y[pos])) > 1000
                problems.append(keyed(label, int(rows[pos]), "geometry",
                                      "coords_look_metres" if metres else "coords_out_of_range",
                                      "exp_geometry_reproject", x=_num(x[pos]), y=_num(y[pos])))
        else:
            for mask, values, name, what, limit in (
                (lat_range, y, coords.y_field, phrase("latitude"), 90),
                (lon_range, x, coords.x_field, phrase("longitude"), 180),
            ):
                for pos in np.flatnonzero(mask):
                    value = values[pos]
                    if abs(value) > 1000:
                        code, expected = "value_looks_metres", "exp_latlon_metres_hint"
                    else:
                        code, expected = "value_out_of_range_for", "exp_what_from_to"
                    problems.append(keyed(label, int(rows[pos]), name, code, expected,
                                          value=_num(value), what=what, limit=limit))
        degrees = ok & ~lat_range & ~lon_range
        lat[degrees], lon[degrees] = y[degrees], x[degrees]
        candidates = degrees
        points = _project(lon, lat, candidates)
    else:
        e, nn = x, y
        in_e = (e >= SWEREF_EASTING[0]) & (e <= SWEREF_EASTING[1])
        in_n = (nn >= SWEREF_NORTHING[0]) & (nn <= SWEREF_NORTHING[1])
        looks_degrees = ok & (np.abs(e) <= 180) & (np.abs(nn) <= 180)
        swapped = ok & ~looks_degrees & ~in_e & ~in_n & (
            (e >= SWEREF_NORTHING[0]) & (e <= SWEREF_NORTHING[1])
            & (nn >= SWEREF_EASTING[0]) & (nn <= SWEREF_EASTING[1])
        )
        for pos in np.flatnonzero(looks_degrees):
            problems.append(keyed(label, int(rows[pos]), "easting/northing", "en_look_degrees",
                                  "exp_sweref_degrees_hint", e=_num(e[pos]), n=_num(nn[pos])))
        for pos in np.flatnonzero(swapped):
            problems.append(keyed(label, int(rows[pos]), "easting/northing", "en_swapped",
                                  _EXPECT_SWEREF, e=_num(e[pos]), n=_num(nn[pos])))
        candidates = ok & ~looks_degrees & ~swapped
        pts = np.full(n, None, dtype=object)
        pts[candidates] = shapely.points(e[candidates], nn[candidates])
        points = gpd.GeoSeries(pts, crs=ANALYSIS_CRS)
        if candidates.any():
            wgs = points[candidates].to_crs(EXCHANGE_CRS)
            lon[candidates], lat[candidates] = wgs.x.to_numpy(), wgs.y.to_numpy()
    distance = np.full(n, np.inf)
    if candidates.any():
        d = shapely.distance(county, points.values[candidates])
        distance[candidates] = np.where(np.isfinite(d), d, np.inf)
    inside = candidates & (distance <= tolerance_m)
    outside = candidates & ~inside
    swapped_latlon = np.zeros(n, dtype=bool)
    if coords.crs == "wgs84" and outside.any():
        alt = _project(lat, lon, outside)
        d_alt = np.full(n, np.inf)
        d_alt[outside] = shapely.distance(county, alt.values[outside])
        swapped_latlon = outside & (d_alt <= tolerance_m)
    tol_km = f"{tolerance_m / 1000:g} km"
    for pos in np.flatnonzero(swapped_latlon):
        problems.append(keyed(label, int(rows[pos]), coords.pair_field,
                              "geojson_swapped" if geometry else "latlon_swapped",
                              _EXPECT_GEOMETRY if geometry else _EXPECT_LATLON,
                              x=_num(x[pos]), y=_num(y[pos]), county=county_name))
    for pos in np.flatnonzero(outside & ~swapped_latlon):
        far = np.isfinite(distance[pos])
        problems.append(keyed(label, int(rows[pos]), coords.pair_field,
                              "point_outside_km" if far else "point_far_outside",
                              "exp_in_county_tol", county=county_name, tolerance=tol_km,
                              km=f"{distance[pos] / 1000:.1f}" if far else ""))
    usable = inside
    lat[~usable], lon[~usable] = np.nan, np.nan
    return lat, lon, usable, problems


def _num(value: float) -> str:
    """A coordinate as a person wrote it: no exponent, no trailing zeros."""
    return f"{value:.10g}"


def _project(lon: np.ndarray, lat: np.ndarray, mask: np.ndarray) -> gpd.GeoSeries:
    """WGS 84 points (where ``mask``) in EPSG:3006; None elsewhere."""
    pts = np.full(len(lon), None, dtype=object)
    pts[mask] = shapely.points(lon[mask], lat[mask])
    series = gpd.GeoSeries(pts, crs=EXCHANGE_CRS)
    with np.errstate(all="ignore"):
        return series.to_crs(ANALYSIS_CRS)


def _blank(series: pd.Series) -> npt.NDArray[np.bool_]:
    return (series.isna() | (series.astype("str").str.strip() == "")).to_numpy()


def _column(table: pd.DataFrame, name: str) -> pd.Series[str]:
    """A text column of the table (``""`` where empty or absent)."""
    if name in table.columns:
        return table[name].astype("str").fillna("")
    return pd.Series([""] * len(table), index=table.index, dtype="str")


def _with_record_ids(problems: list[Problem], rows: np.ndarray, ids: pd.Series) -> list[Problem]:
    """Name the row's id in problems that have a row but no id yet (when the row has one)."""
    by_row = {int(r): safety.shown(i) for r, i in zip(rows, ids, strict=True) if i}
    return [
        replace(p, record_id=by_row[p.row]) if p.record_id is None and p.row in by_row else p
        for p in problems
    ]


ONE_LINE_FIELDS = ("name", "host_organisation", "kommun", "address")
"""Names: at most ``MAX_NAME_CHARS`` characters; tabs and line breaks become spaces."""
BIDI_STRIPPED_FIELDS = (*ONE_LINE_FIELDS, "notes")
"""Free text: bidirectional controls are removed with a warning (they come with copied text and
only change how it is displayed). In every other field (ids, codes, terms, numbers, URLs) they
are refused: there they would hide what the value really is."""


def _check_cells(
    table: pd.DataFrame, rows: np.ndarray, label: str
) -> tuple[pd.DataFrame, list[Problem], set[tuple[int, str]]]:
    """Length and invisible characters of every cell of the schema's columns (docs/data-io.md).

    Returns the table with bidi controls stripped and line breaks in names made spaces, the
    problems (errors and warnings), and the (row, field) cells refused here: other checks' echoes
    of those cells are dropped. Vectorised per column; only flagged cells are looped over.
    """
    out = table.copy()
    problems: list[Problem] = []
    refused: set[tuple[int, str]] = set()
    known = {f.name for f in ENVIRONMENT_FIELDS} | set(COORDINATE_ALIASES)
    for column in [c for c in table.columns if c in known]:
        values = table[column].astype("str").fillna("")
        one_line = column in ONE_LINE_FIELDS
        limit = MAX_NAME_CHARS if one_line else MAX_TEXT_CHARS
        too_long = (values.str.len() > limit).to_numpy()
        control = values.str.contains(safety.CONTROL, regex=True).to_numpy(dtype=bool)
        bidi = values.str.contains(safety.BIDI, regex=True).to_numpy(dtype=bool)
        strip_bidi = column in BIDI_STRIPPED_FIELDS
        for pos in np.flatnonzero(too_long | control | (bidi & ~strip_bidi)):
            text = values.iloc[pos]
            found = (safety.CONTROL.search(text) if control[pos] else safety.BIDI.search(text))
            if too_long[pos]:
                problems.append(keyed(label, int(rows[pos]), column, "too_long",
                                      "exp_at_most_chars", n=len(text), limit=limit))
            else:
                ch = found.group() if found else ""
                problems.append(keyed(label, int(rows[pos]), column, "holds_char",
                                      "exp_no_controls", kind=safety.char_kind_phrase(ch),
                                      char=safety.describe_char(ch),
                                      pos=found.start() + 1 if found else 0))
            refused.add((int(rows[pos]), column))
        if strip_bidi and bidi.any():
            for pos in np.flatnonzero(bidi & ~too_long & ~control):
                chars = sorted(set(safety.BIDI.findall(values.iloc[pos])))
                problems.append(keyed(
                    label, int(rows[pos]), column, "bidi_removed", "exp_no_bidi", "warning",
                    chars=", ".join(safety.describe_char(c) for c in chars)))
            values = values.str.replace(safety.BIDI, "", regex=True)
        if one_line:
            values = values.where(~values.str.contains(safety.BREAK, regex=True),
                                  values.str.replace(r"\s+", " ", regex=True).str.strip())
        out[column] = values
    return out, problems, refused


def _to_environments(raw: _Raw, territory: Territory, settings: Settings, label: str) -> ReadResult:
    problems = list(raw.problems)
    rows = raw.rows
    table = raw.table.reset_index(drop=True)
    table, cell_problems, refused_cells = _check_cells(table, rows, label)
    known_columns = {f.name for f in ENVIRONMENT_FIELDS} | set(COORDINATE_ALIASES)
    for column in table.columns:
        if column not in known_columns:
            problems.append(keyed(label, None, column, "column_ignored", "exp_data_io_columns",
                                  "warning"))
    table, padded = _pad_codes(table, rows, label)
    problems += padded
    user_fields = schemas.bind(USER_FIELDS, territory.region)
    table = _normalise_terms(table, user_fields)
    checked = table.drop(columns=[c for c in COORDINATE_ALIASES if c in table.columns])
    for p in _remap_rows(
        schemas.validate_text(checked, user_fields, label, row_offset=0, id_column="id"), rows
    ):
        if p.row is None and p.code == "missing_column" and p.expected_code is not None:
            p = rekeyed(p, to_expected="exp_column_holding", column=p.field or "",
                        holding=Phrase(p.expected_code, p.args))
        problems.append(p)

    municipalities = territory.municipalities
    county = territory.county_polygon
    county_name: str | Phrase = county_names().get(territory.county) or phrase(
        "county_code", county=territory.county)
    n = len(table)
    if raw.coords is not None:
        lat, lon, located, coord_problems = _check_coordinates(
            raw.coords, county, county_name, settings.assign_tolerance_m, rows, label
        )
        problems += coord_problems
        missing = raw.coords.missing
    else:
        lat = lon = np.full(n, np.nan)
        located = np.zeros(n, dtype=bool)
        missing = np.zeros(n, dtype=bool)

    codes = _column(table, "kommun_kod").str.strip()
    declared = ~_blank(codes) & codes.str.fullmatch(schemas.CODE_PATTERN).fillna(False).to_numpy()
    code_names = dict(zip(municipalities["kommun_kod"], municipalities["kommun"], strict=True))
    for pos in np.flatnonzero(declared & ~codes.isin(code_names).to_numpy()):
        problems.append(keyed(label, int(rows[pos]), "kommun_kod", "code_not_in_county",
                              "exp_code_of_county_or_empty", code=codes.iloc[pos],
                              county=county_name, codes=", ".join(sorted(code_names))))
    no_code = _blank(codes)
    for pos in np.flatnonzero(no_code & missing):
        field_name = raw.coords.pair_field if raw.coords is not None else "lat/lon"
        problems.append(keyed(label, int(rows[pos]), field_name, "no_place",
                              "exp_coords_or_code"))

    ids = _column(table, "id").str.strip()
    explicit = ~_blank(ids)
    first_row: dict[str, int] = {}
    for pos in np.flatnonzero(explicit):
        rid = ids.iloc[pos]
        if rid in first_row:
            problems.append(keyed(label, int(rows[pos]), "id", "duplicate_id_row",
                                  "exp_unique_ids", "error", rid, id=repr(rid),
                                  first=first_row[rid]))
        else:
            first_row[rid] = int(rows[pos])

    # a row whose cells do not line up with the header gets that one problem, not its echoes
    problems = [p for p in problems if p.row not in raw.broken_rows or p.field is None]
    # a cell refused for its length or characters gets that one problem, not its echoes
    problems = [p for p in problems if (p.row, p.field) not in refused_cells] + [
        p for p in cell_problems if p.row not in raw.broken_rows]
    problems = _with_record_ids(problems, rows, ids)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        errors.sort(key=lambda p: (p.row if p.row is not None else -1, p.field or ""))
        raise DataValidationError(errors, f"{label}: refused, {len(errors)} problem(s)")
    warns = [p for p in problems if p.severity != "error"]

    # ids: explicit ones kept; missing ones generated from the name, unique within the file
    names = _column(table, "name")
    taken = set(ids[explicit])
    generated: list[str] = []
    numbered: list[int] = []
    for pos in np.flatnonzero(~explicit):
        base = generate_id(names.iloc[pos])
        candidate, k = base, 1
        while candidate in taken:
            k += 1
            candidate = f"{base}-{k}"
        if k > 1:
            numbered.append(int(rows[pos]))
        taken.add(candidate)
        ids.iat[int(pos)] = candidate
        generated.append(candidate)
    if numbered:
        warns.append(keyed(label, None, "id", "ids_numbered", "exp_explicit_id", "warning",
                           rows=", ".join(map(str, numbered))))

    # municipality: declared code, else containing polygon, else nearest within the tolerance
    rule = np.where(declared, ASSIGN_DECLARED, "").astype(object)
    to_assign = ~declared & located
    if to_assign.any():
        positions = np.flatnonzero(to_assign)
        points = gpd.GeoSeries(_project(lon, lat, to_assign).values[positions], crs=ANALYSIS_CRS)
        assigned = assign_municipalities(points, municipalities, settings.assign_tolerance_m)
        found = assigned["kommun_kod"].notna().to_numpy()
        found_codes = assigned["kommun_kod"].to_numpy()[found]
        # pandas-stubs accepts no ndarray as the value of an iloc assignment; pandas does
        codes.iloc[positions[found]] = found_codes  # type: ignore[call-overload]
        rule[positions[found]] = assigned["rule"].to_numpy()[found]

    kommun_given = _column(table, "kommun").str.strip()
    official = codes.map(code_names)
    for pos in np.flatnonzero(~_blank(kommun_given) & ~_blank(official)):
        given, name = kommun_given.iloc[pos], official.iloc[pos]
        if given.casefold() != str(name).casefold():
            how = (phrase("by_own_code") if rule[pos] == ASSIGN_DECLARED
                   else phrase("by_rule", rule=rule[pos]))
            warns.append(keyed(label, int(rows[pos]), "kommun", "name_differs",
                               "exp_municipality_name", "warning", ids.iloc[pos],
                               given=repr(given), name=name, code=codes.iloc[pos], how=how,
                               quoted=repr(name)))

    text = table.drop(columns=[c for c in COORDINATE_ALIASES if c in table.columns]).copy()
    text["id"] = ids.to_numpy()
    text["kommun_kod"] = codes.to_numpy()
    text["kommun"] = official.fillna("").astype("str").to_numpy()
    text["lat"] = [repr(float(v)) if np.isfinite(v) else "" for v in lat]
    text["lon"] = [repr(float(v)) if np.isfinite(v) else "" for v in lon]
    typed = schemas.to_typed(text, schemas.bind(ENVIRONMENT_FIELDS, territory.region)).reset_index(
        drop=True)
    environments = build_point_layer(typed)

    distances = environments.geometry.distance(
        gpd.GeoSeries(
            municipalities.set_index("kommun_kod").geometry.reindex(typed["kommun_kod"]).values,
            index=environments.index, crs=ANALYSIS_CRS,
        )
    )
    assignments = pd.DataFrame({
        "row": rows.astype("int64"),
        "id": typed["id"],
        "name": typed["name"],
        "kommun_kod": typed["kommun_kod"],
        "kommun": typed["kommun"],
        "rule": pd.Series(rule, dtype="str"),
        "distance_m": distances.round(1).to_numpy(),
    }, columns=ASSIGNMENT_COLUMNS)

    # declared rows without a point or outside their polygon: the shipped data's cross-check
    # (pre-filtered here, vectorised, because check_locations loops over the rows it gets)
    own_polygon = municipalities.set_index("kommun_kod").geometry.reindex(typed["kommun_kod"])
    inside_own = shapely.within(environments.geometry.values, own_polygon.values)
    suspect = declared & ~inside_own
    spec = replace(LAYERS["environments"], file=label)
    at_declared = environments.loc[suspect].copy()
    at_declared.index = pd.Index(rows[suspect] - 2)  # check_locations numbers rows as index + 2
    warns += check_locations(at_declared, municipalities, spec)
    warns.sort(key=lambda p: (p.row if p.row is not None else -1, p.field or ""))

    known = set(territory.environments["id"]) | set(territory.actors["actor_id"])
    shared = tuple(i for i in typed["id"] if i in known)
    return ReadResult(
        environments=environments,
        assignments=assignments,
        warnings=tuple(warns),
        source=label,
        detected=dict(raw.detected),
        generated_ids=tuple(generated),
        shared_ids=shared,
    )
