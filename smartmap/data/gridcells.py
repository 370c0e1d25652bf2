"""Statistical grid cells: their ids, corners, squares and sample points.

Two id conventions are read and written, both naming a cell by its **lower-left (south-west)
corner** in metres:

- **SCB "statistik på rutor"** (``rutid_scb`` in SCB's open GeoPackages, ``Ruta``/``rutid`` in
  older CSV deliveries): 13 digits, the SWEREF 99 TM (EPSG:3006) easting of the corner in 6 digits
  followed by its northing in 7 digits. SCB's live layer ``stat:befolkning_1km_2025`` pairs
  ``rutid_scb`` ``3940006133000`` with ``rutid_inspire`` ``SE_CRS3006RES1000mN6133000E394000``,
  which spells the same corner out (E 394000, N 6133000). Region Dalarna's R package reads the id
  the same way ("koordinat i nedre vänstra hörnet, format XXXXXXYYYYYYY": easting = characters
  1-6, northing = 7-13, centre = corner + half the cell size; ``Region-Dalarna/rdpaket``,
  ``packages/rdgis/R/rutor.R``). The id does not carry the cell size: it comes from the file's
  ``rutstorl`` column or from the source's setting (SCB's open data: 1,000 m, and 250 m in urban
  areas).
- **INSPIRE / Eurostat GEOSTAT** (``GRD_ID``): ``CRS3035RES1000mN2684000E4334000`` = CRS (EPSG
  code), resolution, then the northing and the easting of the corner. Commission Implementing
  Regulation (EU) 2018/1799, Art. 3(2) fixes this code for the 2021 census 1 km grid (ETRS89-LAEA,
  EPSG:3035); Art. 3(3) lets a country code and ``_`` precede it (``SE_CRS3035...``). The older
  GEOSTAT 2011 spelling ``1kmN2684E4334`` (resolution and coordinates in km) is read too.

Everything is vectorised over numpy arrays (no Python loop over cells).

>>> e, n, ok = parse_scb_ids(pd.Series(["3940006133000"]))
>>> int(e[0]), int(n[0]), bool(ok[0])
(394000, 6133000, True)
>>> scb_ids(e, n).tolist()
['3940006133000']
>>> cells = parse_inspire_ids(pd.Series(["SE_CRS3035RES1000mN2684000E4334000", "1kmN2684E4334"]))
>>> cells.epsg.tolist(), cells.size.tolist(), cells.e.tolist(), cells.n.tolist()
([3035, 3035], [1000, 1000], [4334000, 4334000], [2684000, 2684000])
>>> inspire_ids(3035, np.array([1000]), cells.e[:1], cells.n[:1]).tolist()
['CRS3035RES1000mN2684000E4334000']
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

SCB_ID_PATTERN = r"^(\d{6})(\d{7})$"
"""A SCB cell id: 6-digit easting, 7-digit northing of the lower-left corner (EPSG:3006)."""

INSPIRE_ID_PATTERN = (
    r"^(?:[A-Z]{2}(?:-[A-Z]{2})*_)?CRS(\d{4,5})RES(\d+)(m|km)N(\d+)E(\d+)$"
)
"""An INSPIRE cell code (Reg. (EU) 2018/1799 Art. 3), optionally after a country prefix."""

GEOSTAT2011_ID_PATTERN = r"^(\d+)(km|m)N(\d+)E(\d+)$"
"""The GEOSTAT 2011 short code (``1kmN2684E4334``: resolution and coordinates in km, EPSG:3035)."""

GEOSTAT_EPSG = 3035
"""ETRS89-LAEA: the CRS of every GEOSTAT grid."""


@dataclass(frozen=True)
class ParsedCells:
    """Cells parsed from INSPIRE codes: EPSG code, cell size (m) and lower-left corner (m).

    ``ok`` marks the codes that parsed; the other entries are 0 there.
    """

    epsg: np.ndarray
    size: np.ndarray
    e: np.ndarray
    n: np.ndarray
    ok: np.ndarray


def _text(ids: pd.Series) -> pd.Series:
    return ids.astype("str").str.strip()


def parse_scb_ids(ids: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Easting, northing (int64 metres, EPSG:3006) of each SCB id's lower-left corner, and which
    ids are well formed (:data:`SCB_ID_PATTERN`: 13 ASCII digits). Bad ids get 0, 0, False.

    Vectorised over the characters' code points (a national file has 100,000s of ids).
    """
    text = _text(ids).to_numpy(dtype=str)
    count = len(text)
    e = np.zeros(count, dtype=np.int64)
    n = np.zeros(count, dtype=np.int64)
    ok = np.strings.str_len(text) == 13 if count else np.zeros(0, dtype=bool)
    if ok.any():
        codes = np.frombuffer(text[ok].astype("U13").tobytes(), dtype=np.uint32).reshape(-1, 13)
        digits = codes.astype(np.int64) - ord("0")
        good = ((digits >= 0) & (digits <= 9)).all(axis=1)
        where = np.flatnonzero(ok)
        ok[where[~good]] = False
        e[where[good]] = digits[good, :6] @ (10 ** np.arange(5, -1, -1))
        n[where[good]] = digits[good, 6:] @ (10 ** np.arange(6, -1, -1))
    return e, n, ok


def scb_ids(e: np.ndarray, n: np.ndarray) -> np.ndarray:
    """SCB ids of lower-left corners (the inverse of :func:`parse_scb_ids`)."""
    e = np.asarray(e, dtype=np.int64)
    n = np.asarray(n, dtype=np.int64)
    if np.any((e < 0) | (e > 999_999) | (n < 0) | (n > 9_999_999)):
        raise ValueError("a corner does not fit the 6+7 digits of a SCB id")
    return np.char.add(np.char.zfill(e.astype(str), 6), np.char.zfill(n.astype(str), 7))


def parse_inspire_ids(ids: pd.Series) -> ParsedCells:
    """Parse INSPIRE codes (and the GEOSTAT 2011 short spelling) into CRS, size and corner."""
    text = _text(ids)
    count = len(text)
    epsg = np.zeros(count, dtype=np.int64)
    size = np.zeros(count, dtype=np.int64)
    e = np.zeros(count, dtype=np.int64)
    n = np.zeros(count, dtype=np.int64)
    long = text.str.extract(INSPIRE_ID_PATTERN)
    ok_long = long[0].notna().to_numpy()
    if ok_long.any():
        part = long.loc[ok_long]
        unit = np.where(part[2].to_numpy() == "km", 1000, 1)
        epsg[ok_long] = part[0].astype("int64").to_numpy()
        size[ok_long] = part[1].astype("int64").to_numpy() * unit
        n[ok_long] = part[3].astype("int64").to_numpy()
        e[ok_long] = part[4].astype("int64").to_numpy()
    short = text.str.extract(GEOSTAT2011_ID_PATTERN)
    ok_short = short[0].notna().to_numpy() & ~ok_long
    if ok_short.any():
        part = short.loc[ok_short]
        unit = np.where(part[1].to_numpy() == "km", 1000, 1)
        epsg[ok_short] = GEOSTAT_EPSG
        size[ok_short] = part[0].astype("int64").to_numpy() * unit
        n[ok_short] = part[2].astype("int64").to_numpy() * unit
        e[ok_short] = part[3].astype("int64").to_numpy() * unit
    ok = (ok_long | ok_short) & (size > 0)
    return ParsedCells(epsg, size, e, n, ok)


def inspire_ids(epsg: int, size: np.ndarray, e: np.ndarray, n: np.ndarray) -> np.ndarray:
    """INSPIRE codes (``CRS<epsg>RES<size>mN<northing>E<easting>``) of lower-left corners."""
    size = np.broadcast_to(np.asarray(size, dtype=np.int64), np.shape(e))
    parts: list[str | npt.NDArray[np.str_]] = [
        f"CRS{int(epsg)}RES", size.astype(np.str_), "mN", np.asarray(n, np.int64).astype(np.str_),
        "E", np.asarray(e, np.int64).astype(np.str_)]
    out = np.asarray(parts[0], dtype=np.str_)
    for part in parts[1:]:
        out = np.char.add(out, part)
    return np.asarray(out, dtype=str).reshape(np.shape(e))


def cell_squares(e: np.ndarray, n: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The cells as square polygons (in the CRS of their corners)."""
    e = np.asarray(e, dtype="float64")
    n = np.asarray(n, dtype="float64")
    size = np.broadcast_to(np.asarray(size, dtype="float64"), e.shape)
    return shapely.box(e, n, e + size, n + size)


def corners_of_squares(squares: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                     np.ndarray]:
    """Lower-left corner and size (metres, rounded) of square cells, and which geometries are
    axis-parallel squares (area equals size², width equals height, within 1 mm)."""
    squares = np.asarray(squares, dtype=object)
    bounds = shapely.bounds(squares)
    width = bounds[:, 2] - bounds[:, 0]
    height = bounds[:, 3] - bounds[:, 1]
    area = shapely.area(squares)
    with np.errstate(invalid="ignore"):
        ok = (np.abs(width - height) < 1e-3) & (np.abs(area - width * height) < 1e-3 * width) & (
            width > 0)
    ok &= np.isfinite(bounds).all(axis=1)
    size = np.where(ok, np.round(width), 0).astype(np.int64)
    e = np.where(ok, np.round(bounds[:, 0]), 0).astype(np.int64)
    n = np.where(ok, np.round(bounds[:, 1]), 0).astype(np.int64)
    return e, n, size, ok


def sub_offsets(k: int) -> np.ndarray:
    """Offsets (as fractions of a cell's side) of the centres of a k x k split of a cell.

    >>> sub_offsets(2).tolist()
    [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]
    """
    if k < 1:
        raise ValueError("k must be >= 1")
    steps = (np.arange(k) + 0.5) / k
    fx, fy = np.meshgrid(steps, steps)
    return np.column_stack([fx.ravel(), fy.ravel()])


def cell_points(e: np.ndarray, n: np.ndarray, size: np.ndarray, k: int = 1
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y of the centres of each cell's k x k sub-cells (k = 1: the cell centre) and the index
    of the cell each point belongs to (cells in order, sub-points row by row from the south-west).
    """
    e = np.asarray(e, dtype="float64")
    n = np.asarray(n, dtype="float64")
    size = np.broadcast_to(np.asarray(size, dtype="float64"), e.shape)
    off = sub_offsets(k)
    x = (e[:, None] + size[:, None] * off[None, :, 0]).ravel()
    y = (n[:, None] + size[:, None] * off[None, :, 1]).ravel()
    cell = np.repeat(np.arange(len(e)), len(off))
    return x, y, cell
